//! The morning briefing, the weekly complaint analysis and the scorecard pages (issue 5).

use axum::Router;

use crate::state::AppState;

/// The pages' routes (merged into the UI router before the state is applied).
pub fn routes() -> Router<AppState> {
    Router::new()
}
