//! Web UI pages (login, wallboard, agent desktop, admin) — filled in by the UI work; `app` mounts this router at `/`.

use axum::Router;

use crate::state::AppState;

/// The pages' routes (none yet).
pub fn router(_state: AppState) -> Router {
    Router::new()
}
