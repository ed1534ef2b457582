//! Runs one async test body against each backend.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use hotline_store::{BackendKind, Store};
use sqlx::{Connection, PgConnection};

/// A database for one test: connect to it as often as the test needs (reopening is how
/// durability is tested).
#[derive(Debug)]
pub struct TestDb {
    pub kind: BackendKind,
    pub url: String,
    /// The SQLite file, for SQLite.
    pub path: Option<PathBuf>,
}

impl TestDb {
    pub async fn connect(&self) -> Store {
        Store::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e:?}", self.url))
    }
}

/// Declares a test module `$name` with two tests, `sqlite` and `postgres`, running the
/// same body with `$db: TestDb`.
macro_rules! both {
    ($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::harness::run(hotline_store::BackendKind::Sqlite, |$db| async move $body)
                    .await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::harness::run(hotline_store::BackendKind::Postgres, |$db| async move $body)
                    .await
            }
        }
    };
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "hotline_test_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

pub async fn run<F, Fut>(kind: BackendKind, body: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match kind {
        BackendKind::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let path = dir.path().join("data").join("hotline.db");
            let db = TestDb {
                kind,
                url: format!("sqlite://{}", path.display()),
                path: Some(path),
            };
            body(db).await;
        }
        BackendKind::Postgres => {
            let Ok(admin_url) = std::env::var("HOTLINE_TEST_POSTGRES_URL") else {
                panic!(
                    "HOTLINE_TEST_POSTGRES_URL is not set. The store's tests run on SQLite and \
                     PostgreSQL and skip nothing: run `eval \"$(scripts/postgres)\"` first \
                     (it starts a local test server and sets the variable), or use ./scripts/test"
                );
            };
            let name = unique_name();
            let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!("HOTLINE_TEST_POSTGRES_URL={admin_url} does not answer ({e}); run scripts/postgres")
            });
            admin_with_retry(&mut admin, format!("CREATE DATABASE {name}"))
                .await
                .expect("create the test database");
            let db = TestDb {
                kind,
                url: with_database(&admin_url, &name),
                path: None,
            };
            // In a task, so that a failing body still lets us drop the database.
            let outcome = tokio::spawn(body(db)).await;
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

#[test]
fn database_name_is_replaced() {
    assert_eq!(
        with_database("postgres://u@h:1/hotline", "x"),
        "postgres://u@h:1/x"
    );
    assert_eq!(
        with_database("postgres://u@h:1/hotline?sslmode=disable", "x"),
        "postgres://u@h:1/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h:1", "x"), "postgres://u@h:1/x");
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
