//! What every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use hotline_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::watch;

use crate::api::dto::Wallboard;
use crate::auth::AuthCache;
use crate::config::Settings;
use crate::error::ApiResult;
use crate::runtime::RuntimeHandle;

/// Names and targets the live views show beside the engine's numbers, cached from the
/// store (refreshed after every organisation change).
#[derive(Clone, Debug, Default)]
pub struct Directory {
    /// Person id → (display name, team).
    pub people: HashMap<i64, (String, Option<i64>)>,
    /// Queue id → its stored settings.
    pub queues: HashMap<i64, hotline_store::QueueSettings>,
    /// Team id → name (the wallboard names teams on every render; reading them from the
    /// database each second per viewer would be wasted work).
    pub teams: HashMap<i64, String>,
}

/// The application state: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    runtime: RuntimeHandle,
    auth: AuthCache,
    settings: Settings,
    directory: RwLock<Arc<Directory>>,
    wallboard: watch::Receiver<Option<Arc<Wallboard>>>,
    closing: watch::Receiver<bool>,
    metrics: PrometheusHandle,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.inner.store.backend_kind())
            .field("runtime", &self.inner.runtime.status())
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub(crate) fn new(
        store: Store,
        runtime: RuntimeHandle,
        settings: Settings,
        wallboard: watch::Receiver<Option<Arc<Wallboard>>>,
        closing: watch::Receiver<bool>,
        metrics: PrometheusHandle,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                runtime,
                auth: AuthCache::default(),
                settings,
                directory: RwLock::new(Arc::new(Directory::default())),
                wallboard,
                closing,
                metrics,
            }),
        }
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The routing task.
    pub fn runtime(&self) -> &RuntimeHandle {
        &self.inner.runtime
    }

    /// Credential cache and login throttling.
    pub fn auth(&self) -> &AuthCache {
        &self.inner.auth
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The Prometheus registry.
    pub fn metrics(&self) -> &PrometheusHandle {
        &self.inner.metrics
    }

    /// The latest wallboard, as pushed to the streams.
    pub fn wallboard(&self) -> watch::Receiver<Option<Arc<Wallboard>>> {
        self.inner.wallboard.clone()
    }

    /// Completes when the server begins to shut down (streams end on it).
    pub fn closing(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.inner.closing.clone();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }

    /// The cached names and queue targets.
    pub fn directory(&self) -> Arc<Directory> {
        self.inner
            .directory
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reloads the directory from the store.
    pub async fn refresh_directory(&self) -> ApiResult<()> {
        let store = self.store();
        let people = store.list_people(&Default::default()).await?;
        let queues = store.list_queues().await?;
        let teams = store.list_teams(None).await?;
        let directory = Directory {
            teams: teams.into_iter().map(|t| (t.id.0, t.name)).collect(),
            people: people
                .into_iter()
                .map(|p| (p.id.0, (p.display_name, p.team_id.map(|t| t.0))))
                .collect(),
            queues: queues.into_iter().map(|q| (q.id.0, q.settings)).collect(),
        };
        *self
            .inner
            .directory
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(directory);
        Ok(())
    }
}
