//! The streaming read behind reports: contact records and agent state spells of a time
//! range, as `hotline_metrics` records with the queue's name, the agent's username and
//! the agent's team name joined in, one row at a time (sqlx `fetch`): a month of ten
//! million records never sits in memory; the report's accumulator is what grows, with
//! groups × intervals.
//!
//! The team is the agent's team **now** (people carry one team; the store keeps no
//! history of moves), so a report by team regroups the past by today's teams.

use futures_util::stream::{BoxStream, StreamExt};
use hotline_metrics as m;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::db::on_read;
use crate::error::{Result, StoreError};
use crate::ids::TimestampMs;
use crate::Store;

/// Which records (and spells) a report reads: arrivals in `[from, to)` (spells
/// overlapping it), optionally of one queue, one agent (username) or one team.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// First instant (inclusive).
    pub from: TimestampMs,
    /// Last instant (exclusive).
    pub to: TimestampMs,
    /// Only this queue (by name). Agent state spells belong to no queue: not filtered.
    pub queue: Option<String>,
    /// Only this agent (by username).
    pub agent: Option<String>,
    /// Only agents of this team (by name).
    pub team: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    contact_id: String,
    queue: String,
    channel: String,
    customer_id: String,
    agent: Option<String>,
    team: Option<String>,
    arrived_at: i64,
    answered_at: Option<i64>,
    ended_at: i64,
    wrap_up_end_at: Option<i64>,
    outcome: String,
    wait_ms: i64,
    talk_ms: i64,
    hold_ms: i64,
    wrap_up_ms: i64,
    transfers: i64,
    attributes: Json<serde_json::Map<String, serde_json::Value>>,
}

fn corrupt(table: &'static str, column: &'static str, value: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        value: value.to_string(),
    }
}

impl TryFrom<RecordRow> for m::ContactRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<m::ContactRecord> {
        Ok(m::ContactRecord {
            channel: m::Channel::parse(&r.channel)
                .ok_or_else(|| corrupt("contact_records", "channel", &r.channel))?,
            outcome: m::Outcome::parse(&r.outcome)
                .ok_or_else(|| corrupt("contact_records", "outcome", &r.outcome))?,
            transfers: u32::try_from(r.transfers)
                .map_err(|_| corrupt("contact_records", "transfers", r.transfers))?,
            contact_id: r.contact_id,
            queue: r.queue,
            customer: r.customer_id,
            agent: r.agent,
            team: r.team,
            arrived_at: m::TimestampMs(r.arrived_at),
            answered_at: r.answered_at.map(m::TimestampMs),
            ended_at: m::TimestampMs(r.ended_at),
            wrap_up_end_at: r.wrap_up_end_at.map(m::TimestampMs),
            wait: m::DurationMs(r.wait_ms),
            talk: m::DurationMs(r.talk_ms),
            hold: m::DurationMs(r.hold_ms),
            wrap_up: m::DurationMs(r.wrap_up_ms),
            attributes: r.attributes.0,
        })
    }
}

#[derive(sqlx::FromRow)]
struct StateRow {
    agent: String,
    team: Option<String>,
    state: String,
    reason: Option<String>,
    from_at: i64,
    to_at: Option<i64>,
}

/// `$n` placeholders for the optional filters, in order, after `$1` and `$2`.
fn filters(q: &ReportQuery, queue: &str, agent: &str, team: &str) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    for (value, column) in [(&q.queue, queue), (&q.agent, agent), (&q.team, team)] {
        if let Some(v) = value {
            binds.push(v.clone());
            sql.push_str(&format!(" AND {column} = ${}", binds.len() + 2));
        }
    }
    (sql, binds)
}

impl Store {
    /// Checks that the queue, agent and team a query names exist: a typo would
    /// otherwise give an empty report that looks like a quiet day.
    pub async fn check_report_query(&self, q: &ReportQuery) -> Result<()> {
        if q.to <= q.from {
            return Err(StoreError::invalid(
                "to",
                q.to,
                format!("a time after from ({})", q.from),
            ));
        }
        let checks: [(&Option<String>, &'static str, &str); 3] = [
            (
                &q.queue,
                "queue",
                "SELECT COUNT(*) FROM queues WHERE name = $1",
            ),
            (
                &q.agent,
                "person",
                "SELECT COUNT(*) FROM people WHERE username = $1",
            ),
            (
                &q.team,
                "team",
                "SELECT COUNT(*) FROM teams WHERE name = $1",
            ),
        ];
        for (value, entity, sql) in checks {
            let Some(v) = value else { continue };
            let n = on_read!(self, |pool, Db| {
                sqlx::query_scalar::<Db, i64>(sql)
                    .bind(v)
                    .fetch_one(pool)
                    .await?
            });
            if n == 0 {
                return Err(StoreError::not_found(entity, v));
            }
        }
        Ok(())
    }

    /// The contact records of `q`, by arrival, streamed.
    pub fn stream_report_records<'a>(
        &'a self,
        q: &ReportQuery,
    ) -> BoxStream<'a, Result<m::ContactRecord>> {
        let (extra, binds) = filters(q, "q.name", "p.username", "t.name");
        let sql = format!(
            "SELECT c.contact_id, q.name AS queue, c.channel, c.customer_id, \
             p.username AS agent, t.name AS team, c.arrived_at, c.answered_at, c.ended_at, \
             c.wrap_up_end_at, c.outcome, c.wait_ms, c.talk_ms, c.hold_ms, c.wrap_up_ms, \
             c.transfers, c.attributes \
             FROM contact_records c JOIN queues q ON q.id = c.queue_id \
             LEFT JOIN people p ON p.id = c.agent_id LEFT JOIN teams t ON t.id = p.team_id \
             WHERE c.arrived_at >= $1 AND c.arrived_at < $2{extra} ORDER BY c.arrived_at"
        );
        let (from, to) = (q.from.0, q.to.0);
        on_read!(self, |pool, Db| {
            let mut query = sqlx::query_as::<Db, RecordRow>(sqlx::AssertSqlSafe(sql))
                .bind(from)
                .bind(to);
            for b in binds {
                query = query.bind(b);
            }
            query
                .fetch(pool)
                .map(|row| m::ContactRecord::try_from(row?))
                .boxed()
        })
    }

    /// The agent state spells overlapping `[q.from, q.to)` of `q`'s agent or team (a
    /// queue filter does not apply: agent time belongs to no queue), by start, streamed.
    /// A spell still open ends at `open_until` (the caller's "now"); with `None`, open
    /// spells are left out.
    pub fn stream_report_states<'a>(
        &'a self,
        q: &ReportQuery,
        open_until: Option<TimestampMs>,
    ) -> BoxStream<'a, Result<m::AgentStateInterval>> {
        let unfiltered = ReportQuery {
            queue: None,
            ..q.clone()
        };
        let (extra, binds) = filters(&unfiltered, "", "p.username", "t.name");
        let open = if open_until.is_some() {
            "(s.to_at IS NULL OR s.to_at > $1)"
        } else {
            "s.to_at > $1"
        };
        let sql = format!(
            "SELECT p.username AS agent, t.name AS team, s.state, s.reason, s.from_at, s.to_at \
             FROM agent_states s JOIN people p ON p.id = s.person_id \
             LEFT JOIN teams t ON t.id = p.team_id \
             WHERE s.from_at < $2 AND {open}{extra} ORDER BY s.from_at, s.id"
        );
        let (from, to) = (q.from.0, q.to.0);
        let until = open_until.map(|t| t.0);
        on_read!(self, |pool, Db| {
            let mut query = sqlx::query_as::<Db, StateRow>(sqlx::AssertSqlSafe(sql))
                .bind(from)
                .bind(to);
            for b in binds {
                query = query.bind(b);
            }
            query
                .fetch(pool)
                .map(move |row| {
                    let r = row?;
                    let state = m::AgentState::parse(&r.state)
                        .ok_or_else(|| corrupt("agent_states", "state", &r.state))?;
                    let to = r.to_at.or(until).unwrap_or(r.from_at).max(r.from_at);
                    Ok(m::AgentStateInterval {
                        agent: r.agent,
                        team: r.team,
                        state,
                        reason: r.reason,
                        from: m::TimestampMs(r.from_at),
                        to: m::TimestampMs(to),
                    })
                })
                .boxed()
        })
    }
}
