//! Importing contact records, Asterisk queue_log files and agent-state history through the API (issue 5).

use utoipa_axum::router::OpenApiRouter;

use crate::auth::policy::rules;
use crate::state::AppState;

rules! { RULES {} }

/// The routes, with their OpenAPI paths.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
