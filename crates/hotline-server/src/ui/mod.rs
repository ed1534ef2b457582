//! The web UI: sign-in, wallboard, agent desktop and administration, served by the same
//! binary as the API.
//!
//! Pages are rendered on the server with askama templates (`templates/`), in English,
//! Simplified Chinese or Spanish ([`i18n`]); charts are SVG drawn here ([`svg`]). The
//! browser side is one small script (`assets/app.js`, native `fetch`, `EventSource` and
//! `<dialog>`, no framework) that calls the JSON API with the session cookie and follows
//! the server-sent event streams. Nothing is installed or built at run time: the assets
//! are compiled into the binary. See `docs/ui.md`.
//!
//! Every page checks the session cookie through the API's own authentication (so the
//! same sessions, expiry and roles apply) and opens only to the roles the API gives the
//! data behind it; a visitor without a session is sent to the sign-in page and back.

mod admin;
mod assets;
mod desktop;
pub mod format;
pub mod i18n;
mod login;
mod management;
mod page;
mod reports;
pub mod svg;
mod wallboard;

use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// The pages' routes, with the state applied (the app merges them at `/`).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang", get(login::set_language))
        .route("/wallboard", get(wallboard::page))
        .route("/wallboard/board", get(wallboard::fragment))
        .route("/desktop", get(desktop::page))
        .route("/desktop/panel", get(desktop::fragment))
        .route("/admin", get(|| async { Redirect::to("/admin/people") }))
        .route("/admin/people", get(admin::people))
        .route("/admin/teams", get(admin::teams))
        .route("/admin/skills", get(admin::skills))
        .route("/admin/queues", get(admin::queues))
        .route("/assets/{name}", get(assets::serve))
        .merge(reports::routes())
        .merge(management::routes())
        .with_state(state)
}

#[cfg(test)]
mod tests;
