//! The HTTP/JSON API under `/api/v1`: one module per resource, each returning its own
//! router with its OpenAPI paths; the authentication middleware wraps every protected
//! route (see `auth::policy` for who may call what).

pub mod agents;
pub mod contacts;
pub mod dto;
pub mod extract;
pub mod imports;
pub mod live;
pub mod management;
pub mod org;
pub mod people;
pub mod queues;
pub mod realtime;
pub mod reports;
pub mod session;

use axum::middleware::from_fn_with_state;
use axum::Router;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

use crate::openapi::ApiDoc;
use crate::state::AppState;

/// The API's routes (without state) and their OpenAPI document.
pub fn routes(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (public, public_doc) = session::public().split_for_parts();
    let (protected, protected_doc) = protected().split_for_parts();
    let protected =
        protected.route_layer(from_fn_with_state(state.clone(), crate::auth::authenticate));
    let mut doc = ApiDoc::openapi();
    doc.merge(public_doc);
    doc.merge(protected_doc);
    (public.merge(protected), doc)
}

/// Every route that needs credentials.
pub fn protected() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(session::protected())
        .merge(org::router())
        .merge(people::router())
        .merge(queues::router())
        .merge(contacts::router())
        .merge(agents::router())
        .merge(realtime::router())
        .merge(reports::router())
        .merge(imports::router())
        .merge(management::router())
}
