//! Building and running the server: store, first admin, engine (replay), organisation
//! sync, background tasks, router.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn;
use axum::Router;
use hotline_store::{NewPerson, PersonFilter, Role, Store, StoreOptions, Tier, WriterLock};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;

use crate::config::{redact_url, Settings};
use crate::runtime::{self, Input, RuntimeSettings};
use crate::state::AppState;
use crate::{api, auth, openapi, ops, org_sync, persist, ui};

/// The first admin, created at the first start.
#[derive(Clone)]
pub struct FirstAdmin {
    /// Their username.
    pub username: String,
    /// The generated password, when none was given (print it once).
    pub generated_password: Option<String>,
}

impl std::fmt::Debug for FirstAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirstAdmin")
            .field("username", &self.username)
            .field(
                "generated_password",
                &self.generated_password.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A built server, bound to its port, not yet serving.
pub struct App {
    listener: TcpListener,
    router: Router,
    state: AppState,
    runtime_task: JoinHandle<()>,
    tasks: Vec<JoinHandle<()>>,
    closing: watch::Sender<bool>,
    first_admin: Option<FirstAdmin>,
    writer_lock: WriterLock,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("addr", &self.listener.local_addr().ok())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Opens the database named by the settings (creating the data directory for SQLite).
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    match &settings.database_url {
        Some(url) => Store::connect_with(url, store_options())
            .await
            .with_context(|| format!("opening the database {}", redact_url(url))),
        None => {
            std::fs::create_dir_all(&settings.data_dir).with_context(|| {
                format!(
                    "creating the data directory {}",
                    settings.data_dir.display()
                )
            })?;
            let path = settings.data_dir.join("hotline.db");
            Store::open_sqlite_file(&path, store_options())
                .await
                .with_context(|| format!("opening {}", path.display()))
        }
    }
}

/// The server checkpoints SQLite's WAL from a background task ([`spawn_checkpoints`]), so
/// that no event log commit pays for a checkpoint.
fn store_options() -> StoreOptions {
    StoreOptions {
        background_checkpoints: true,
        ..StoreOptions::default()
    }
}

/// How often the WAL is copied into the database file (SQLite).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Copies the WAL into the database file off the commit path, every
/// [`CHECKPOINT_EVERY`] (a passive checkpoint: it never blocks the writer).
fn spawn_checkpoints(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        if state.store().backend_kind() != hotline_store::BackendKind::Sqlite {
            return;
        }
        let wal_pages = metrics::gauge!("hotline_sqlite_wal_pages");
        loop {
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            match state.store().checkpoint().await {
                Ok((log, _copied)) => wal_pages.set(log as f64),
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed; retrying"),
            }
        }
    })
}

/// Creates the first admin when the database has none.
async fn ensure_admin(store: &Store, settings: &Settings) -> anyhow::Result<Option<FirstAdmin>> {
    let admins = store
        .list_people(&PersonFilter {
            role: Some(Role::Admin),
            ..PersonFilter::default()
        })
        .await?;
    if !admins.is_empty() {
        return Ok(None);
    }
    let (password, generated) = match &settings.admin_password {
        Some(p) => {
            auth::password::check("HOTLINE_ADMIN_PASSWORD", p)
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            (p.clone(), false)
        }
        None => (auth::token::generate("")[..20].to_string(), true),
    };
    let hash = auth::password::hash(password.clone(), settings.password_cost)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let person = store
        .create_person(&NewPerson {
            username: "admin".into(),
            display_name: "Administrator".into(),
            role: Role::Admin,
            tier: Tier::Expert,
            team_id: None,
            active: true,
            password_hash: Some(hash),
        })
        .await
        .context("creating the first admin")?;
    tracing::info!(person = person.id.0, "first admin created");
    Ok(Some(FirstAdmin {
        username: person.username,
        generated_password: generated.then_some(password),
    }))
}

impl App {
    /// Opens the store, rebuilds the engine from the event log, syncs the organisation
    /// and binds the port.
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let store = open_store(&settings).await?;
        Self::build_with_store(settings, store).await
    }

    /// [`App::build`] on an already opened store.
    pub async fn build_with_store(settings: Settings, store: Store) -> anyhow::Result<App> {
        // Before anything reads or writes: two servers on one event log would interleave
        // their events and neither could rebuild its engine from the result.
        let writer_lock = store
            .lock_event_log_writer()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        tracing::info!(lock = %writer_lock.describe(), "this server is the event log's only writer");
        let metrics = ops::metrics_handle();
        let first_admin = ensure_admin(&store, &settings).await?;
        let desired = org_sync::desired(&store)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let seed = org_sync::routing_config(&desired, &settings);
        let journal = Arc::new(persist::StoreJournal::new(store.clone()));
        let (runtime, runtime_task) = runtime::start(
            journal,
            seed.clone(),
            RuntimeSettings {
                reserve_contacts: settings.expected_live_contacts,
                ..RuntimeSettings::default()
            },
        )
        .await
        .context("rebuilding the routing engine from the event log")?;
        let genesis = runtime
            .query(|live, _| {
                (
                    live.engine.config().ring_timeout,
                    live.engine.config().agent_selection,
                )
            })
            .await?;
        if genesis != (seed.ring_timeout, seed.agent_selection) {
            tracing::warn!(
                "the ring timeout and agent selection are those the event log started with \
                 ({:?}, {:?}); the settings given now ({:?}, {:?}) apply to a new log only",
                genesis.0,
                genesis.1,
                seed.ring_timeout,
                seed.agent_selection
            );
        }
        let changes = org_sync::reconcile(&runtime, &desired)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if changes > 0 {
            tracing::info!(
                changes,
                "routing engine brought in line with the organisation"
            );
        }
        let (wallboard_tx, wallboard_rx) = watch::channel(None);
        let (closing, closing_rx) = watch::channel(false);
        let state = AppState::new(
            store,
            runtime,
            settings.clone(),
            wallboard_rx,
            closing_rx,
            metrics,
        );
        state
            .refresh_directory()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let tasks = vec![
            api::realtime::spawn_publisher(
                state.clone(),
                wallboard_tx,
                settings.wallboard_interval,
            ),
            spawn_day_reset(state.clone())?,
            spawn_session_cleanup(state.clone()),
            spawn_checkpoints(state.clone()),
        ];
        let router = router(state.clone());
        let listener = TcpListener::bind((settings.bind, settings.port))
            .await
            .with_context(|| format!("listening on {}:{}", settings.bind, settings.port))?;
        Ok(App {
            listener,
            router,
            state,
            runtime_task,
            tasks,
            closing,
            first_admin,
            writer_lock,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The shared state (tests and the demo feed events through it).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// The first admin, when this start created them.
    pub fn first_admin(&self) -> Option<&FirstAdmin> {
        self.first_admin.as_ref()
    }

    /// Serves until `shutdown` completes, then closes the streams, flushes the event
    /// log and closes the database.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let App {
            listener,
            router,
            state,
            runtime_task,
            tasks,
            closing,
            writer_lock,
            ..
        } = self;
        let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
            shutdown.await;
            // Streams end on this, so the graceful shutdown does not wait for them.
            let _ = closing.send(true);
        });
        let result = serve.await;
        state.runtime().stop().await;
        let _ = runtime_task.await;
        for t in tasks {
            t.abort();
        }
        writer_lock.release().await;
        state.store().close().await;
        tracing::info!("server stopped");
        result.context("serving HTTP")
    }
}

/// The whole router: API, docs, operations, UI.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api::routes(&state);
    Router::new()
        .merge(api)
        .merge(openapi::router(doc))
        .merge(ops::router())
        .with_state(state.clone())
        .merge(ui::router(state))
        .fallback(ops::not_found)
        .method_not_allowed_fallback(ops::method_not_allowed)
        .layer(from_fn(ops::observe))
        .layer(CatchPanicLayer::custom(ops::panic_response))
        .layer(DefaultBodyLimit::max(1 << 20))
}

/// Zeroes the live counters at each midnight of the configured time zone (and at start
/// when the counters still run from an earlier day), as a logged event.
fn spawn_day_reset(state: AppState) -> anyhow::Result<JoinHandle<()>> {
    let tz = jiff::tz::TimeZone::get(&state.settings().time_zone).with_context(|| {
        format!(
            "time zone {:?}: expected an IANA name such as Asia/Shanghai or UTC",
            state.settings().time_zone
        )
    })?;
    Ok(tokio::spawn(async move {
        loop {
            let now = jiff::Timestamp::now().to_zoned_datetime(tz.clone());
            let Ok(today) = now.start_of_day() else {
                return;
            };
            let since = state
                .runtime()
                .query(|live, _| live.counters_since.as_millis())
                .await;
            let Ok(since) = since else { return };
            if (since as i64) < today.timestamp().as_millisecond() {
                match state.runtime().apply(Input::ResetCounters).await {
                    Ok(_) => tracing::info!("live counters reset for a new day"),
                    Err(e) => tracing::warn!(error = %e, "resetting the live counters failed"),
                }
            }
            let Ok(next) = now.tomorrow().and_then(|t| t.start_of_day()) else {
                return;
            };
            let wait = (next.timestamp().as_millisecond()
                - jiff::Timestamp::now().as_millisecond())
            .max(1_000);
            tokio::time::sleep(Duration::from_millis(wait as u64)).await;
        }
    }))
}

/// Deletes expired sessions every hour.
fn spawn_session_cleanup(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match state
                .store()
                .delete_expired_sessions(hotline_store::TimestampMs::now())
                .await
            {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions deleted"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "deleting expired sessions failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    })
}
