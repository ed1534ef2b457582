//! Opening the database: the backend is chosen once from the URL, the migrations of that
//! backend are applied, and every repository method then runs the *same* code on either
//! pool through [`on_read!`] and [`in_write_tx!`] (the body is expanded once per backend,
//! with `$Db` naming the sqlx database type; SQL uses `$1` placeholders, which both
//! drivers accept).
//!
//! SQLite gets two pools on one file: a single writer connection (SQLite admits one
//! writer at a time; queueing writers in the pool is fair and async, where SQLite's own
//! busy handler would sleep in steps of up to 100 ms) and a few reader connections,
//! which WAL lets read while the writer commits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Connection;

use crate::error::{Result, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long a SQLite connection waits for a lock held by another process before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an operation waits for a free pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Which database a [`Store`] runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// One SQLite file (WAL), the default.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Pool sizes and the like; [`StoreOptions::default`] suits a single server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// PostgreSQL: most connections in the pool.
    pub max_connections: u32,
    /// SQLite: reader connections beside the single writer.
    pub sqlite_readers: u32,
    /// SQLite: the writer never checkpoints the WAL into the database file itself; the
    /// owner calls [`Store::checkpoint`] from a background task instead. A commit that
    /// crosses SQLite's automatic checkpoint threshold would otherwise copy the WAL and
    /// fsync the database file before it returns: a stall of tens to hundreds of
    /// milliseconds on the event log's commit path. Off by default (short-lived
    /// commands let SQLite checkpoint as usual).
    pub background_checkpoints: bool,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            max_connections: 10,
            sqlite_readers: 4,
            background_checkpoints: false,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        path: PathBuf,
    },
    Postgres(PgPool),
}

/// The database: every repository is a method on it. Cheap to clone (pools are shared).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
}

/// Runs `$body` once per backend with `$pool` a pool to read from and `$Db` the sqlx
/// database type.
macro_rules! on_read {
    ($store:expr, |$pool:ident, $Db:ident| $body:expr) => {
        match &$store.backend {
            $crate::db::Backend::Sqlite { read: $pool, .. } => {
                #[allow(unused)]
                type $Db = ::sqlx::Sqlite;
                $body
            }
            $crate::db::Backend::Postgres($pool) => {
                #[allow(unused)]
                type $Db = ::sqlx::Postgres;
                $body
            }
        }
    };
}

/// Runs `$body` once per backend inside a write transaction `$tx`; commits when the body
/// returns normally, rolls back when it returns early with `?`.
macro_rules! in_write_tx {
    ($store:expr, |$tx:ident, $Db:ident| $body:expr) => {
        match &$store.backend {
            $crate::db::Backend::Sqlite { write, .. } => {
                #[allow(unused)]
                type $Db = ::sqlx::Sqlite;
                // IMMEDIATE takes the write lock up front, so a transaction that reads
                // before it writes can never fail halfway on a lock upgrade.
                #[allow(unused_mut)]
                let mut $tx = write.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::db::Backend::Postgres(pool) => {
                #[allow(unused)]
                type $Db = ::sqlx::Postgres;
                #[allow(unused_mut)]
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

pub(crate) use {in_write_tx, on_read};

impl Store {
    /// Opens the database named by `url` and applies pending migrations:
    /// `postgres://…` / `postgresql://…` for PostgreSQL; `sqlite://path`, `sqlite:path`
    /// or a plain file path for SQLite (the file and its directory are created if
    /// missing). In-memory SQLite is refused: the event log must survive a restart.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// [`Store::connect`] with explicit pool options.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::connect_postgres(url, options).await?
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            if rest.contains(":memory:") || rest.contains("mode=memory") || rest.is_empty() {
                return Err(StoreError::Config {
                    target: url.to_owned(),
                    reason:
                        "in-memory SQLite would lose the event log on restart; give a file path"
                            .into(),
                });
            }
            let opts = SqliteConnectOptions::from_str(url).map_err(|e| StoreError::Config {
                target: url.to_owned(),
                reason: e.to_string(),
            })?;
            Store::connect_sqlite(opts, options).await?
        } else if url.contains("://") {
            return Err(StoreError::Config {
                target: redact(url),
                reason: "unknown scheme: use postgres://…, sqlite://path or a file path".into(),
            });
        } else {
            Store::open_sqlite_file(Path::new(url), options).await?
        };
        Ok(store)
    }

    /// Opens (creating if needed) the SQLite database file at `path`.
    pub async fn open_sqlite_file(path: &Path, options: StoreOptions) -> Result<Store> {
        if path.as_os_str().is_empty() {
            return Err(StoreError::Config {
                target: String::new(),
                reason: "empty path".into(),
            });
        }
        Store::connect_sqlite(SqliteConnectOptions::new().filename(path), options).await
    }

    async fn connect_sqlite(opts: SqliteConnectOptions, options: StoreOptions) -> Result<Store> {
        let path = opts.get_filename().to_owned();
        let target = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Config {
                target: target.clone(),
                reason: format!("cannot create directory {}: {e}", dir.display()),
            })?;
        }
        // WAL: readers never block the writer. synchronous=FULL: a commit returns only
        // after the WAL is fsynced, so an acknowledged event survives a power cut (NORMAL
        // could lose the last commits). Foreign keys are off by default in SQLite.
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            .foreign_keys(true);
        let config_err = |e: sqlx::Error| StoreError::Config {
            target: target.clone(),
            reason: e.to_string(),
        };
        let write_opts = if options.background_checkpoints {
            opts.clone().pragma("wal_autocheckpoint", "0")
        } else {
            opts.clone()
        };
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(write_opts)
            .await
            .map_err(config_err)?;
        SQLITE_MIGRATIONS.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(options.sqlite_readers.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(opts)
            .await
            .map_err(config_err)?;
        Store {
            backend: Backend::Sqlite { read, write, path },
        }
        .opened()
        .await
    }

    async fn connect_postgres(url: &str, options: StoreOptions) -> Result<Store> {
        let config_err = |e: sqlx::Error| StoreError::Config {
            target: redact(url),
            reason: e.to_string(),
        };
        let opts = PgConnectOptions::from_str(url).map_err(config_err)?;
        // One plain connection first: a wrong host, port or password fails at once with
        // the server's own message, where the pool would retry until its timeout.
        PgConnection::connect_with(&opts)
            .await
            .map_err(config_err)?
            .close()
            .await
            .map_err(config_err)?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(opts)
            .await
            .map_err(config_err)?;
        // The migrator holds an advisory lock while it runs: two servers starting at
        // once apply each migration once.
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Store {
            backend: Backend::Postgres(pool),
        }
        .opened()
        .await
    }

    /// The last step of opening, after the migrations: data a migration could not
    /// derive in SQL (the interval cells of records stored before them).
    async fn opened(self) -> Result<Store> {
        let now = crate::ids::TimestampMs::from_jiff(jiff::Timestamp::now());
        self.build_contact_intervals(now).await?;
        Ok(self)
    }

    /// Which backend this store runs on.
    pub fn backend_kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite { .. } => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// The SQLite file, if this store is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Postgres(_) => None,
        }
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        on_read!(self, |pool, Db| {
            sqlx::query_scalar::<Db, i64>("SELECT CAST(1 AS BIGINT)")
                .fetch_one(pool)
                .await?;
        });
        Ok(())
    }

    /// The settings that decide whether a committed write survives a crash, as the
    /// database reports them (for the startup log, and for tests that prove them):
    /// SQLite `journal_mode`, `synchronous`, `foreign_keys` on the writer connection;
    /// PostgreSQL `fsync`, `synchronous_commit`.
    pub async fn durability(&self) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        match &self.backend {
            Backend::Sqlite { write, .. } => {
                let mut conn = write.acquire().await?;
                let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(&mut *conn)
                    .await?;
                let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(&mut *conn)
                    .await?;
                let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                    .fetch_one(&mut *conn)
                    .await?;
                let sync = match sync {
                    0 => "off",
                    1 => "normal",
                    2 => "full",
                    3 => "extra",
                    _ => "unknown",
                };
                out.insert("journal_mode".to_owned(), journal.to_lowercase());
                out.insert("synchronous".to_owned(), sync.to_owned());
                out.insert(
                    "foreign_keys".to_owned(),
                    if fk == 1 { "on" } else { "off" }.to_owned(),
                );
            }
            Backend::Postgres(pool) => {
                for name in ["fsync", "synchronous_commit"] {
                    let value: String = sqlx::query_scalar("SELECT current_setting($1)")
                        .bind(name)
                        .fetch_one(pool)
                        .await?;
                    out.insert(name.to_owned(), value);
                }
            }
        }
        Ok(out)
    }

    /// SQLite: copies what it can of the WAL into the database file without blocking the
    /// writer or readers (a passive checkpoint, on a reader connection), and returns the
    /// WAL's size and the frames copied, in pages. PostgreSQL: nothing to do, `(0, 0)`.
    pub async fn checkpoint(&self) -> Result<(i64, i64)> {
        match &self.backend {
            Backend::Sqlite { read, .. } => {
                let (_busy, log, copied): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                        .fetch_one(read)
                        .await?;
                Ok((log, copied))
            }
            Backend::Postgres(_) => Ok((0, 0)),
        }
    }

    /// The highest migration version applied (the schema version).
    pub async fn schema_version(&self) -> Result<i64> {
        let v = on_read!(self, |pool, Db| {
            sqlx::query_scalar::<Db, Option<i64>>(
                "SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(v.unwrap_or(0))
    }

    /// Closes every connection, waiting for operations in flight. SQLite checkpoints its
    /// WAL into the main file when the last connection closes.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = userinfo.split(':').next().unwrap_or_default();
    format!("{scheme}://{user}:***@{host}")
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(
            redact("postgres://hotline:s3cret@db:5432/hotline"),
            "postgres://hotline:***@db:5432/hotline"
        );
        assert_eq!(redact("postgres://db/hotline"), "postgres://db/hotline");
    }
}
