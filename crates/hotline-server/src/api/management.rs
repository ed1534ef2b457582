//! The morning briefing, the weekly complaint analysis and the balanced scorecard (issue 5).

use utoipa_axum::router::OpenApiRouter;

use crate::auth::policy::rules;
use crate::state::AppState;

rules! { RULES {} }

/// The routes, with their OpenAPI paths.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
