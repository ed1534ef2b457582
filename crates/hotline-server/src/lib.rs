//! Hotline's server: the live routing engine in one task with a durable event log, the
//! HTTP/JSON API with authentication and push streams, operations endpoints, and the
//! demo center. See `docs/server.md` (how it works) and `docs/api.md` (how to use it).
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! let app = hotline_server::App::build(hotline_server::Settings::default()).await?;
//! println!("listening on http://{}", app.local_addr());
//! app.run(async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

pub mod api;
mod app;
pub mod auth;
pub mod config;
pub mod demo;
pub mod error;
pub mod openapi;
pub mod ops;
pub mod org_sync;
pub mod persist;
pub mod reasons;
pub mod runtime;
pub mod state;
pub mod ui;

pub use app::{App, FirstAdmin};
pub use config::Settings;
pub use state::AppState;
