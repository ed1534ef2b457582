//! Contact records: one row per finished contact, the single source for reports.
//!
//! A record is immutable once written and keyed by the contact id, so writing the same
//! record again (a retry after a crash between the write and its acknowledgement) is a
//! no-op. Listing pages by `(arrived_at, contact_id)` with an opaque cursor; an agent's
//! view is the same query with `agent_id` set by the server.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::db::{in_write_tx, on_read};
use crate::error::{Result, StoreError};
use crate::ids::{DurationMs, PersonId, QueueId, TimestampMs};
use crate::intervals::{facts, write_cells, CellBatch};
use crate::org::people::existing_ids;
use crate::values::{check_text, Channel, Outcome};
use crate::Store;

/// Rows per multi-row INSERT (16 parameters each).
const CHUNK: usize = 500;
/// Longest contact or customer id, in characters.
pub const MAX_ID_CHARS: usize = 128;
/// Largest `attributes` object, serialised, in bytes.
pub const MAX_ATTRIBUTES_BYTES: usize = 16 * 1024;
/// Most records one `list_contact_records` call returns.
pub const MAX_PAGE: u32 = 10_000;

/// One finished contact. Times are milliseconds since the Unix epoch; durations in
/// milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// The contact's id (from the adapter or the server), unique.
    pub contact_id: String,
    /// The queue it was served from (the last one, after transfers).
    pub queue_id: QueueId,
    /// Its medium.
    pub channel: Channel,
    /// The customer's id in the center's systems (may be empty when unknown).
    pub customer_id: String,
    /// The agent who handled it, if any.
    pub agent_id: Option<PersonId>,
    /// When it entered the first queue.
    pub arrived_at: TimestampMs,
    /// When an agent answered it.
    pub answered_at: Option<TimestampMs>,
    /// When the conversation (or the wait) ended.
    pub ended_at: TimestampMs,
    /// When the agent's after-contact work ended.
    pub wrap_up_end_at: Option<TimestampMs>,
    /// How it ended.
    pub outcome: Outcome,
    /// Time waiting in queue(s).
    pub wait_ms: DurationMs,
    /// Time talking (or chatting) with an agent, hold excluded.
    pub talk_ms: DurationMs,
    /// Time on hold.
    pub hold_ms: DurationMs,
    /// After-contact work.
    pub wrap_up_ms: DurationMs,
    /// How many times it was transferred.
    pub transfers: u32,
    /// Other facts as a JSON object (`{"vip": true, "language": "es"}`).
    pub attributes: serde_json::Value,
}

/// Where a page of contact records starts: after this record. Shown to clients as an
/// opaque string (`Display` / [`ContactCursor::parse`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContactCursor {
    /// Arrival of the last record of the previous page.
    pub arrived_at: TimestampMs,
    /// Its id.
    pub contact_id: String,
}

impl fmt::Display for ContactCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.arrived_at.0, self.contact_id)
    }
}

impl ContactCursor {
    /// Reads a cursor made by `Display`; an error naming `field` otherwise.
    pub fn parse(field: &str, text: &str) -> Result<ContactCursor> {
        let bad = || StoreError::invalid(field, text, "a cursor returned by a previous page");
        let (ms, id) = text.split_once(':').ok_or_else(bad)?;
        let ms: i64 = ms.parse().map_err(|_| bad())?;
        if id.is_empty() {
            return Err(bad());
        }
        Ok(ContactCursor {
            arrived_at: TimestampMs(ms),
            contact_id: id.to_owned(),
        })
    }
}

impl Serialize for ContactCursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ContactCursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ContactCursor::parse("cursor", &text).map_err(serde::de::Error::custom)
    }
}

/// Which contact records to list: arrivals in `[from, to)`, optionally of one queue,
/// one agent, one outcome; `limit` per page, after `after`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFilter {
    /// Earliest arrival (inclusive).
    pub from: Option<TimestampMs>,
    /// Latest arrival (exclusive).
    pub to: Option<TimestampMs>,
    /// Only this queue.
    pub queue_id: Option<QueueId>,
    /// Only this agent's records: the server always sets it for the `agent` role.
    pub agent_id: Option<PersonId>,
    /// Only this outcome.
    pub outcome: Option<Outcome>,
    /// Page size, `1 ..= 10000`.
    pub limit: u32,
    /// Continue after this record (the previous page's `next`).
    pub after: Option<ContactCursor>,
}

impl Default for ContactFilter {
    fn default() -> ContactFilter {
        ContactFilter {
            from: None,
            to: None,
            queue_id: None,
            agent_id: None,
            outcome: None,
            limit: 1000,
            after: None,
        }
    }
}

/// One page of contact records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactPage {
    /// The records, by arrival then id.
    pub records: Vec<ContactRecord>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<ContactCursor>,
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    contact_id: String,
    queue_id: QueueId,
    channel: String,
    customer_id: String,
    agent_id: Option<PersonId>,
    arrived_at: TimestampMs,
    answered_at: Option<TimestampMs>,
    ended_at: TimestampMs,
    wrap_up_end_at: Option<TimestampMs>,
    outcome: String,
    wait_ms: DurationMs,
    talk_ms: DurationMs,
    hold_ms: DurationMs,
    wrap_up_ms: DurationMs,
    transfers: i64,
    attributes: Json<serde_json::Value>,
}

impl TryFrom<ContactRow> for ContactRecord {
    type Error = StoreError;
    fn try_from(r: ContactRow) -> Result<ContactRecord> {
        Ok(ContactRecord {
            contact_id: r.contact_id,
            queue_id: r.queue_id,
            channel: Channel::from_db("contact_records", "channel", r.channel)?,
            customer_id: r.customer_id,
            agent_id: r.agent_id,
            arrived_at: r.arrived_at,
            answered_at: r.answered_at,
            ended_at: r.ended_at,
            wrap_up_end_at: r.wrap_up_end_at,
            outcome: Outcome::from_db("contact_records", "outcome", r.outcome)?,
            wait_ms: r.wait_ms,
            talk_ms: r.talk_ms,
            hold_ms: r.hold_ms,
            wrap_up_ms: r.wrap_up_ms,
            transfers: u32::try_from(r.transfers).map_err(|_| StoreError::Corrupt {
                table: "contact_records",
                column: "transfers",
                value: r.transfers.to_string(),
            })?,
            attributes: r.attributes.0,
        })
    }
}

impl ContactRecord {
    fn check(&self, at: &str) -> Result<()> {
        let field = |name: &str| format!("{at}.{name}");
        check_text(&field("contact_id"), &self.contact_id, MAX_ID_CHARS)?;
        if self.customer_id.chars().count() > MAX_ID_CHARS
            || self.customer_id.chars().any(char::is_control)
        {
            return Err(StoreError::invalid(
                field("customer_id"),
                format!("<{} characters>", self.customer_id.chars().count()),
                format!("0 to {MAX_ID_CHARS} characters, no control characters"),
            ));
        }
        let not_before = |name: &str, t: TimestampMs, other: &str, o: TimestampMs| {
            if t < o {
                Err(StoreError::invalid(
                    field(name),
                    t.0,
                    format!("a time not before {other} ({})", o.0),
                ))
            } else {
                Ok(())
            }
        };
        if let Some(a) = self.answered_at {
            not_before("answered_at", a, "arrived_at", self.arrived_at)?;
            not_before("ended_at", self.ended_at, "answered_at", a)?;
        }
        not_before("ended_at", self.ended_at, "arrived_at", self.arrived_at)?;
        if let Some(w) = self.wrap_up_end_at {
            not_before("wrap_up_end_at", w, "ended_at", self.ended_at)?;
            if self.answered_at.is_none() {
                return Err(StoreError::invalid(
                    field("wrap_up_end_at"),
                    w.0,
                    "null for a contact no agent answered",
                ));
            }
        }
        match self.outcome {
            Outcome::Answered | Outcome::CallbackCompleted => {
                if self.answered_at.is_none() || self.agent_id.is_none() {
                    return Err(StoreError::invalid(
                        field("outcome"),
                        self.outcome,
                        "answered or callback_completed only with answered_at and agent_id set",
                    ));
                }
            }
            Outcome::Abandoned => {
                if self.answered_at.is_some() {
                    return Err(StoreError::invalid(
                        field("outcome"),
                        self.outcome,
                        "abandoned only for a contact no agent answered (answered_at null)",
                    ));
                }
            }
            Outcome::TransferredOut | Outcome::Unfinished => {}
        }
        for (name, d) in [
            ("wait_ms", self.wait_ms),
            ("talk_ms", self.talk_ms),
            ("hold_ms", self.hold_ms),
            ("wrap_up_ms", self.wrap_up_ms),
        ] {
            if d.0 < 0 {
                return Err(StoreError::invalid(field(name), d.0, "a duration ≥ 0"));
            }
        }
        if !self.attributes.is_object() {
            return Err(StoreError::invalid(
                field("attributes"),
                self.attributes.to_string(),
                "a JSON object",
            ));
        }
        let size = self.attributes.to_string().len();
        if size > MAX_ATTRIBUTES_BYTES {
            return Err(StoreError::invalid(
                field("attributes"),
                format!("<{size} bytes>"),
                format!("at most {MAX_ATTRIBUTES_BYTES} bytes of JSON"),
            ));
        }
        Ok(())
    }
}

impl ContactRecord {
    /// What an interval cell reads of this record.
    fn facts(&self) -> hotline_metrics::ContactRecord {
        // The two crates name channels and outcomes alike (a test in values.rs).
        let channel = hotline_metrics::Channel::parse(self.channel.as_str())
            .unwrap_or(hotline_metrics::Channel::Voice);
        let outcome = hotline_metrics::Outcome::parse(self.outcome.as_str())
            .unwrap_or(hotline_metrics::Outcome::Unfinished);
        facts(
            channel,
            self.arrived_at.0,
            self.answered_at.map(|t| t.0),
            outcome,
            [
                self.wait_ms.0,
                self.talk_ms.0,
                self.hold_ms.0,
                self.wrap_up_ms.0,
            ],
            self.transfers,
        )
    }
}

/// The records of `chunk` that an `INSERT … ON CONFLICT DO NOTHING RETURNING id` wrote,
/// given the ids it returned: the first record with each returned id (a later one with
/// the same id in the same statement met the first and was skipped).
pub(crate) fn newly_inserted<R>(
    chunk: &[R],
    returned: Vec<String>,
    id: impl Fn(&R) -> &str,
) -> Vec<&R> {
    if returned.len() == chunk.len() {
        return chunk.iter().collect();
    }
    let mut left: std::collections::HashSet<String> = returned.into_iter().collect();
    chunk.iter().filter(|r| left.remove(id(r))).collect()
}

impl Store {
    /// Writes `records` in one transaction, all or none; a record whose contact id is
    /// already stored is skipped (idempotent re-insert). Returns how many were new.
    pub async fn insert_contact_records(&self, records: &[ContactRecord]) -> Result<u64> {
        for (i, r) in records.iter().enumerate() {
            r.check(&format!("records[{i}]"))?;
        }
        if records.is_empty() {
            return Ok(0);
        }
        let queues: BTreeSet<i64> = records.iter().map(|r| r.queue_id.0).collect();
        let agents: BTreeSet<i64> = records
            .iter()
            .filter_map(|r| r.agent_id)
            .map(|a| a.0)
            .collect();
        let inserted = in_write_tx!(self, |tx, Db| {
            let found = existing_ids!(tx, Db, "queues", queues.iter().copied().collect());
            if let Some((i, r)) = records
                .iter()
                .enumerate()
                .find(|(_, r)| !found.contains(&r.queue_id.0))
            {
                return Err(StoreError::invalid(
                    format!("records[{i}].queue_id"),
                    r.queue_id,
                    "the id of an existing queue",
                ));
            }
            let found = existing_ids!(tx, Db, "people", agents.iter().copied().collect());
            if let Some((i, r)) = records
                .iter()
                .enumerate()
                .find(|(_, r)| r.agent_id.is_some_and(|a| !found.contains(&a.0)))
            {
                return Err(StoreError::invalid(
                    format!("records[{i}].agent_id"),
                    r.agent_id.map_or(0, |a| a.0),
                    "the id of an existing person",
                ));
            }
            let pg = matches!(self.backend, crate::db::Backend::Postgres(_));
            let mut inserted = 0;
            let mut cells = CellBatch::default();
            for chunk in records.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO contact_records (contact_id, queue_id, channel, customer_id, \
                     agent_id, arrived_at, answered_at, ended_at, wrap_up_end_at, outcome, \
                     wait_ms, talk_ms, hold_ms, wrap_up_ms, transfers, attributes) ",
                );
                qb.push_values(chunk, |mut row, r| {
                    row.push_bind(r.contact_id.as_str())
                        .push_bind(r.queue_id)
                        .push_bind(r.channel.as_str())
                        .push_bind(r.customer_id.as_str())
                        .push_bind(r.agent_id)
                        .push_bind(r.arrived_at)
                        .push_bind(r.answered_at)
                        .push_bind(r.ended_at)
                        .push_bind(r.wrap_up_end_at)
                        .push_bind(r.outcome.as_str())
                        .push_bind(r.wait_ms)
                        .push_bind(r.talk_ms)
                        .push_bind(r.hold_ms)
                        .push_bind(r.wrap_up_ms)
                        .push_bind(i64::from(r.transfers))
                        .push_bind(Json(&r.attributes));
                });
                qb.push(" ON CONFLICT (contact_id) DO NOTHING RETURNING contact_id");
                let new: Vec<String> = qb
                    .build_query_scalar::<String>()
                    .fetch_all(&mut *tx)
                    .await?;
                inserted += new.len() as u64;
                for r in newly_inserted(chunk, new, |r| r.contact_id.as_str()) {
                    cells.add(r.queue_id.0, &r.facts());
                }
            }
            write_cells!(&mut *tx, Db, pg, cells);
            inserted
        });
        Ok(inserted)
    }

    /// The contact record of contact `contact_id`.
    pub async fn get_contact_record(&self, contact_id: &str) -> Result<ContactRecord> {
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, ContactRow>(
                "SELECT contact_id, queue_id, channel, customer_id, agent_id, arrived_at, \
                 answered_at, ended_at, wrap_up_end_at, outcome, wait_ms, talk_ms, hold_ms, \
                 wrap_up_ms, transfers, attributes FROM contact_records WHERE contact_id = $1",
            )
            .bind(contact_id)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found("contact record", contact_id))?
            .try_into()
    }

    /// One page of the records matching `filter`, by arrival then contact id.
    pub async fn list_contact_records(&self, filter: &ContactFilter) -> Result<ContactPage> {
        if !(1..=MAX_PAGE).contains(&filter.limit) {
            return Err(StoreError::invalid(
                "limit",
                filter.limit,
                format!("1 to {MAX_PAGE}"),
            ));
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to) {
            if to < from {
                return Err(StoreError::invalid(
                    "to",
                    to.0,
                    format!("a time not before from ({})", from.0),
                ));
            }
        }
        let fetch = i64::from(filter.limit) + 1;
        let rows = on_read!(self, |pool, Db| {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "SELECT contact_id, queue_id, channel, customer_id, agent_id, arrived_at, \
                 answered_at, ended_at, wrap_up_end_at, outcome, wait_ms, talk_ms, hold_ms, \
                 wrap_up_ms, transfers, attributes FROM contact_records WHERE 1 = 1",
            );
            if let Some(from) = filter.from {
                qb.push(" AND arrived_at >= ").push_bind(from);
            }
            if let Some(to) = filter.to {
                qb.push(" AND arrived_at < ").push_bind(to);
            }
            if let Some(queue) = filter.queue_id {
                qb.push(" AND queue_id = ").push_bind(queue);
            }
            if let Some(agent) = filter.agent_id {
                qb.push(" AND agent_id = ").push_bind(agent);
            }
            if let Some(outcome) = filter.outcome {
                qb.push(" AND outcome = ").push_bind(outcome.as_str());
            }
            if let Some(after) = &filter.after {
                qb.push(" AND (arrived_at > ")
                    .push_bind(after.arrived_at)
                    .push(" OR (arrived_at = ")
                    .push_bind(after.arrived_at)
                    .push(" AND contact_id > ")
                    .push_bind(after.contact_id.as_str())
                    .push("))");
            }
            qb.push(" ORDER BY arrived_at, contact_id LIMIT ")
                .push_bind(fetch);
            qb.build_query_as::<ContactRow>().fetch_all(pool).await?
        });
        let mut records = rows
            .into_iter()
            .map(ContactRecord::try_from)
            .collect::<Result<Vec<_>>>()?;
        let next = if records.len() > filter.limit as usize {
            records.truncate(filter.limit as usize);
            records.last().map(|r| ContactCursor {
                arrived_at: r.arrived_at,
                contact_id: r.contact_id.clone(),
            })
        } else {
            None
        };
        Ok(ContactPage { records, next })
    }
}
