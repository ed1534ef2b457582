//! Starting the server for a test (port 0, a fresh SQLite directory or PostgreSQL
//! database), calling it, and reading its event streams.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hotline_server::{App, AppState, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares a module `$name` with the test body run once on SQLite and once on
/// PostgreSQL (which must be reachable: the tests fail, never skip).
macro_rules! both {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::server::helpers::with_app($crate::server::helpers::Backend::Sqlite, |$app| async move $body).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::server::helpers::with_app($crate::server::helpers::Backend::Postgres, |$app| async move $body).await
            }
        }
    };
}
pub(crate) use both;

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "hotline_srv_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host}/{db}?{q}"),
        None => format!("{host}/{db}"),
    }
}

/// The settings of a test server on `database`.
pub fn settings(dir: &std::path::Path, database_url: Option<String>) -> Settings {
    Settings {
        port: 0,
        data_dir: dir.join("data"),
        database_url,
        admin_password: Some(ADMIN_PASSWORD.into()),
        ring_timeout: None,
        wallboard_interval: Duration::from_millis(100),
        // Cheap hashes: argon2 is slow without optimisation (the cost only changes new
        // hashes; verification is the same code).
        password_cost: hotline_server::auth::password::Cost {
            memory_kib: 256,
            iterations: 1,
        },
        ..Settings::default()
    }
}

/// A running server and a client logged in as the admin.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub admin: String,
    pub state: AppState,
    pub settings: Settings,
    pub backend: Backend,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub async fn start(settings: Settings, backend: Backend) -> TestApp {
        let app = App::build(settings.clone())
            .await
            .expect("the server starts");
        let base = format!("http://{}", app.local_addr());
        let state = app.state();
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(app.run(async {
            let _ = rx.await;
        }));
        let http = reqwest::Client::new();
        let mut t = TestApp {
            base,
            http,
            admin: String::new(),
            state,
            settings,
            backend,
            shutdown: Some(tx),
            server: Some(server),
        };
        t.admin = t.login("admin", ADMIN_PASSWORD).await;
        t
    }

    /// Stops the server gracefully (flushing the event log).
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }

    /// Stops and starts again on the same database.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        TestApp::start(self.settings.clone(), self.backend).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in; panics unless it works.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {username}: {body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// Any call; the body is parsed as JSON (or `null`).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("the server answers");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(&self.admin), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(&self.admin), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(&self.admin), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(&self.admin), None)
            .await
    }

    /// POST as admin, expecting `status`; returns the body.
    pub async fn ok(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: StatusCode,
    ) -> Value {
        let (s, b) = self
            .call(method.clone(), path, Some(&self.admin), body)
            .await;
        assert_eq!(s, status, "{method} {path}: {b}");
        b
    }

    /// POST as admin, expecting 201; returns the new resource's id.
    pub async fn create(&self, path: &str, body: Value) -> i64 {
        let out = self
            .ok(Method::POST, path, Some(body), StatusCode::CREATED)
            .await;
        out["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{path}: no id in {out}"))
    }

    /// Opens a server-sent event stream.
    pub async fn events(&self, path: &str, token: &str) -> Events {
        let resp = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("stream opens");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(
            resp.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        Events {
            response: resp,
            buffer: String::new(),
        }
    }
}

/// Runs `body` on a fresh server over `backend`; drops the PostgreSQL database after.
pub async fn with_app<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestApp) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("temporary directory");
    match backend {
        Backend::Sqlite => {
            let app = TestApp::start(settings(dir.path(), None), backend).await;
            body(app).await;
        }
        Backend::Postgres => {
            let Ok(admin_url) = std::env::var("HOTLINE_TEST_POSTGRES_URL") else {
                panic!(
                    "HOTLINE_TEST_POSTGRES_URL is not set. The server's API tests run on SQLite \
                     and PostgreSQL and skip nothing: run `eval \"$(scripts/postgres)\"` first, \
                     or ./scripts/test"
                );
            };
            let name = unique_name();
            let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!("HOTLINE_TEST_POSTGRES_URL={admin_url} does not answer ({e}); run scripts/postgres")
            });
            admin_with_retry(&mut admin, format!("CREATE DATABASE {name}"))
                .await
                .expect("create the test database");
            let url = with_database(&admin_url, &name);
            let settings = settings(dir.path(), Some(url));
            let outcome = tokio::spawn(async move {
                let app = TestApp::start(settings, backend).await;
                body(app).await;
            })
            .await;
            let dropped = admin_with_retry(
                &mut admin,
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
            dropped.expect("drop the test database");
        }
    }
}

/// A server-sent event stream being read.
pub struct Events {
    response: reqwest::Response,
    buffer: String,
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Sse {
    pub event: String,
    pub data: Value,
}

impl Events {
    /// The next event (comments and keep-alives skipped), within `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(i) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..i + 2).collect();
                let mut event = String::from("message");
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() {
                    continue;
                }
                let data = serde_json::from_str(&data).unwrap_or(Value::String(data));
                return Some(Sse { event, data });
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event named `name`, skipping others, within `timeout`.
    pub async fn next_named(&mut self, name: &str, timeout: Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let e = self.next(left).await?;
            if e.event == name {
                return Some(e);
            }
        }
    }
}

/// A small center: one site, department and team, one skill, one queue, two agents and a
/// supervisor (passwords `<username>-password`).
pub struct Center {
    pub team: i64,
    pub skill: i64,
    pub queue: i64,
    pub other_queue: i64,
    pub ana: i64,
    pub ben: i64,
    pub sup: i64,
    pub ana_token: String,
    pub ben_token: String,
    pub sup_token: String,
}

pub async fn center(app: &TestApp) -> Center {
    let site = app
        .ok(
            Method::POST,
            "/api/v1/sites",
            Some(json!({"name": "Changchun", "time_zone": "Asia/Shanghai"})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let dept = app
        .ok(
            Method::POST,
            "/api/v1/departments",
            Some(json!({"site_id": site, "name": "Customer service"})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let team = app
        .ok(
            Method::POST,
            "/api/v1/teams",
            Some(json!({"department_id": dept, "name": "Team 1"})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let skill = app
        .ok(
            Method::POST,
            "/api/v1/skills",
            Some(json!({"name": "billing"})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let queue = app
        .ok(
            Method::POST,
            "/api/v1/queues",
            Some(json!({"name": "Billing enquiries", "skill_id": skill, "wrap_up": {"mode": "manual"}})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let other_queue = app
        .ok(
            Method::POST,
            "/api/v1/queues",
            Some(json!({"name": "Complaints", "skill_id": skill, "base_priority": 5, "wrap_up": {"mode": "manual"}})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let mut ids = Vec::new();
    for (username, role) in [("ana", "agent"), ("ben", "agent"), ("sue", "supervisor")] {
        let body = json!({
            "username": username,
            "display_name": username.to_uppercase(),
            "role": role,
            "team_id": team,
            "password": format!("{username}-password"),
            "skills": [{"skill_id": skill, "proficiency": 4}],
        });
        let p = app
            .ok(
                Method::POST,
                "/api/v1/people",
                Some(body),
                StatusCode::CREATED,
            )
            .await;
        ids.push(p["id"].as_i64().unwrap());
    }
    Center {
        team,
        skill,
        queue,
        other_queue,
        ana: ids[0],
        ben: ids[1],
        sup: ids[2],
        ana_token: app.login("ana", "ana-password").await,
        ben_token: app.login("ben", "ben-password").await,
        sup_token: app.login("sue", "sue-password").await,
    }
}

/// Creates or drops a test database (`sql`), retrying for a few seconds: PostgreSQL
/// refuses to copy `template1` while another session is in it (a concurrent test's
/// `CREATE DATABASE`), and `DROP … WITH (FORCE)` while a session it may not end (an
/// autovacuum worker, where the role lacks pg_signal_backend) is in the database.
async fn admin_with_retry(admin: &mut sqlx::PgConnection, sql: String) -> Result<(), sqlx::Error> {
    let mut tries = 0;
    loop {
        match sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut *admin)
            .await
        {
            Ok(_) => return Ok(()),
            Err(_) if tries < 20 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            Err(e) => return Err(e),
        }
    }
}
