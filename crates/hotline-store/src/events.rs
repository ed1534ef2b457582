//! The durable event log and engine snapshots.
//!
//! The server writes every accepted event here *before* acknowledging it, many events per
//! transaction (group commit: one fsync for the whole batch is what makes ≥ 10,000
//! durable events per second possible on SQLite). On restart it loads the latest
//! snapshot and replays the events after it.
//!
//! Sequence numbers come from a one-row counter (`event_log_head`) bumped in the same
//! transaction as the insert: they are gap-free, strictly increasing, never reused (not
//! even after truncation), and concurrent appenders on PostgreSQL serialise on that row.

use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::db::{in_write_tx, on_read};
use crate::error::{Result, StoreError};
use crate::ids::{Seq, TimestampMs};
use crate::org::count;
use crate::Store;

/// Rows per multi-row INSERT (4 parameters each).
const CHUNK: usize = 1000;
/// Snapshots kept; older ones are deleted when a new one is saved.
pub const KEEP_SNAPSHOTS: i64 = 3;
/// Most events one `events_after` call returns.
pub const MAX_REPLAY_BATCH: u32 = 100_000;

/// An event to append.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewLoggedEvent {
    /// When it happened (the time the engine applies it at).
    pub occurred_at: TimestampMs,
    /// Its type, `1..=64` of `a-z 0-9 _ . -` ("contact_arrived", "agent.ready").
    pub kind: String,
    /// Its data.
    pub payload: serde_json::Value,
}

/// An event read back from the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedEvent {
    /// Its position in the log.
    pub seq: Seq,
    /// When it happened.
    pub occurred_at: TimestampMs,
    /// Its type.
    pub kind: String,
    /// Its data.
    pub payload: serde_json::Value,
}

/// A snapshot of the engine state after applying every event up to `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The last event the state includes.
    pub seq: Seq,
    /// When it was taken.
    pub taken_at: TimestampMs,
    /// The serialised state (format chosen by the server).
    pub data: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: Seq,
    occurred_at: TimestampMs,
    kind: String,
    payload: Json<serde_json::Value>,
}

fn check_kind(field: String, kind: &str) -> Result<()> {
    let ok = (1..=64).contains(&kind.len())
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            field,
            kind,
            "1 to 64 characters from a-z, 0-9, '_', '.', '-'",
        ))
    }
}

impl Store {
    /// Appends `events` in one transaction and returns their sequence numbers, in
    /// order. All or nothing: when any event is invalid or the write fails, nothing is
    /// written and no number is used. When this returns `Ok` the events are on disk
    /// (SQLite: `synchronous=FULL`; PostgreSQL: its commit).
    pub async fn append_events(&self, events: &[NewLoggedEvent]) -> Result<Vec<Seq>> {
        for (i, e) in events.iter().enumerate() {
            check_kind(format!("events[{i}].kind"), &e.kind)?;
        }
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let n = events.len() as i64;
        let last = in_write_tx!(self, |tx, Db| {
            let last: i64 = sqlx::query_scalar::<Db, i64>(
                "UPDATE event_log_head SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq",
            )
            .bind(n)
            .fetch_one(&mut *tx)
            .await?;
            let mut seq = last - n;
            for chunk in events.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO event_log (seq, occurred_at, kind, payload) ",
                );
                qb.push_values(chunk, |mut row, e| {
                    seq += 1;
                    row.push_bind(seq)
                        .push_bind(e.occurred_at)
                        .push_bind(e.kind.as_str())
                        .push_bind(Json(&e.payload));
                });
                qb.build().execute(&mut *tx).await?;
            }
            last
        });
        Ok((last - n + 1..=last).map(Seq).collect())
    }

    /// Up to `limit` events with a sequence number above `after`, in order. Replay from
    /// [`Seq::ZERO`] (or from the latest snapshot's `seq`) until this returns fewer than
    /// `limit`.
    pub async fn events_after(&self, after: Seq, limit: u32) -> Result<Vec<LoggedEvent>> {
        if !(1..=MAX_REPLAY_BATCH).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                limit,
                format!("1 to {MAX_REPLAY_BATCH}"),
            ));
        }
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, EventRow>(
                "SELECT seq, occurred_at, kind, payload FROM event_log \
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| LoggedEvent {
                seq: r.seq,
                occurred_at: r.occurred_at,
                kind: r.kind,
                payload: r.payload.0,
            })
            .collect())
    }

    /// The sequence number of the last event ever appended ([`Seq::ZERO`] for none),
    /// truncated events included.
    pub async fn last_event_seq(&self) -> Result<Seq> {
        let last = on_read!(self, |pool, Db| {
            sqlx::query_scalar::<Db, i64>("SELECT last_seq FROM event_log_head WHERE id = 1")
                .fetch_one(pool)
                .await?
        });
        Ok(Seq(last))
    }

    /// Stores a snapshot of the state after event `snapshot.seq` (which must have been
    /// appended), replacing one at the same `seq`, and keeps only the latest
    /// [`KEEP_SNAPSHOTS`].
    pub async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<()> {
        if snapshot.seq < Seq::ZERO {
            return Err(StoreError::invalid(
                "seq",
                snapshot.seq,
                "a sequence number ≥ 0",
            ));
        }
        in_write_tx!(self, |tx, Db| {
            let last: i64 =
                sqlx::query_scalar::<Db, i64>("SELECT last_seq FROM event_log_head WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            if snapshot.seq.0 > last {
                return Err(StoreError::invalid(
                    "seq",
                    snapshot.seq,
                    format!("at most the last appended sequence number ({last})"),
                ));
            }
            sqlx::query::<Db>(
                "INSERT INTO snapshots (seq, taken_at, data) VALUES ($1, $2, $3) \
                 ON CONFLICT (seq) DO UPDATE SET taken_at = excluded.taken_at, data = excluded.data",
            )
            .bind(snapshot.seq)
            .bind(snapshot.taken_at)
            .bind(snapshot.data.as_slice())
            .execute(&mut *tx)
            .await?;
            sqlx::query::<Db>(
                "DELETE FROM snapshots WHERE seq < \
                 (SELECT MIN(seq) FROM (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT $1) AS kept)",
            )
            .bind(KEEP_SNAPSHOTS)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The snapshot with the highest `seq`, if any.
    pub async fn latest_snapshot(&self) -> Result<Option<Snapshot>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            seq: Seq,
            taken_at: TimestampMs,
            data: Vec<u8>,
        }
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Row>(
                "SELECT seq, taken_at, data FROM snapshots ORDER BY seq DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| Snapshot {
            seq: r.seq,
            taken_at: r.taken_at,
            data: r.data,
        }))
    }

    /// Deletes the events up to and including `seq`; how many. A conflict unless a
    /// snapshot at `seq` or later exists: the log is never cut where nothing could
    /// rebuild the state.
    pub async fn truncate_events_through(&self, seq: Seq) -> Result<u64> {
        let n = in_write_tx!(self, |tx, Db| {
            let covered = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM snapshots WHERE seq >= $1",
                seq
            );
            if covered == 0 {
                return Err(StoreError::conflict(format!(
                    "no snapshot covers event {seq}; save one first"
                )));
            }
            sqlx::query::<Db>("DELETE FROM event_log WHERE seq <= $1")
                .bind(seq)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n)
    }
}
