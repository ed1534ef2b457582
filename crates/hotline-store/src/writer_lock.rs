//! One writer of the event log per database.
//!
//! The server applies events to its in-memory engine and appends them to the log; a
//! second server on the same database would interleave its own events with the first
//! one's, and neither could rebuild a consistent engine from the result. So a server
//! takes this lock before it reads the log and holds it until it exits:
//!
//! - SQLite: an exclusive OS file lock on `<database file>.lock` (the process id is
//!   written into it for the error message). The OS drops the lock when the process
//!   dies, even by `kill -9`, so a crash never leaves a stale lock behind.
//! - PostgreSQL: a session-level advisory lock held on a dedicated connection; the
//!   server drops it when that connection ends (process exit, crash or network loss).
//!
//! Importers and report readers do not take it: they never write the event log.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::PathBuf;

use sqlx::{Connection as _, PgConnection};

use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::Store;

/// The advisory lock key: `hotline.` as eight ASCII bytes, so that `pg_locks` shows a
/// recognisable number and other applications' keys are unlikely to collide with it.
const PG_LOCK_KEY: i64 = i64::from_be_bytes(*b"hotline.");

/// Held while this process is the event log's writer; dropping it releases the lock.
#[derive(Debug)]
pub struct WriterLock {
    held: Held,
}

#[derive(Debug)]
enum Held {
    File { _file: File, path: PathBuf },
    Postgres(Option<PgConnection>),
}

impl WriterLock {
    /// What is locked, for the startup log: the lock file, or the advisory lock key.
    pub fn describe(&self) -> String {
        match &self.held {
            Held::File { path, .. } => format!("lock file {}", path.display()),
            Held::Postgres(_) => format!("PostgreSQL advisory lock {PG_LOCK_KEY}"),
        }
    }

    /// Releases the lock now (on PostgreSQL, waiting for the server to confirm).
    pub async fn release(mut self) {
        if let Held::Postgres(conn) = &mut self.held {
            if let Some(mut conn) = conn.take() {
                let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(PG_LOCK_KEY)
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
            }
        }
    }
}

impl Store {
    /// Takes the single-writer lock of this database's event log, or fails at once with
    /// [`StoreError::Conflict`] naming the holder when another process has it.
    pub async fn lock_event_log_writer(&self) -> Result<WriterLock> {
        match &self.backend {
            Backend::Sqlite { path, .. } => lock_file(path_with_suffix(path)),
            Backend::Postgres(pool) => {
                // A connection of its own, detached from the pool: the lock lives exactly
                // as long as this connection, and the pool must not hand it out or recycle it.
                let mut conn = pool.acquire().await?.detach();
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(PG_LOCK_KEY)
                    .fetch_one(&mut conn)
                    .await?;
                if !got {
                    let holder: Option<i32> = sqlx::query_scalar(
                        "SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
                         WHERE l.locktype = 'advisory' AND l.granted \
                         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                         AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 LIMIT 1",
                    )
                    .bind(PG_LOCK_KEY)
                    .fetch_optional(&mut conn)
                    .await
                    .ok()
                    .flatten();
                    let _ = conn.close().await;
                    return Err(StoreError::Conflict {
                        what: format!(
                            "another Hotline server is writing this database's event log \
                             (PostgreSQL advisory lock {PG_LOCK_KEY} held by backend pid {}); \
                             stop it first, or give this server its own database",
                            holder.map_or_else(|| "unknown".into(), |p| p.to_string())
                        ),
                    });
                }
                Ok(WriterLock {
                    held: Held::Postgres(Some(conn)),
                })
            }
        }
    }
}

fn path_with_suffix(db: &std::path::Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn lock_file(path: PathBuf) -> Result<WriterLock> {
    let io_err = |what: &str, e: std::io::Error| StoreError::Config {
        target: path.display().to_string(),
        reason: format!("{what}: {e}"),
    };
    // Not truncated on open: the holder's pid must stay readable until we own the lock.
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| io_err("cannot open the lock file", e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(StoreError::Conflict {
                what: format!(
                    "another Hotline server{} is using this database (lock file {}); stop it \
                     first, or give this server its own --data-dir",
                    if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" (process {holder})")
                    },
                    path.display()
                ),
            });
        }
        Err(TryLockError::Error(e)) => return Err(io_err("cannot lock the lock file", e)),
    }
    // Best effort: the pid only improves the message another process shows.
    let _ = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)).map(|_| ()))
        .and_then(|()| writeln!(file, "{}", std::process::id()))
        .and_then(|()| file.flush());
    Ok(WriterLock {
        held: Held::File { _file: file, path },
    })
}
