//! Agent state history: one row per spell in a state (ready, not ready with a reason,
//! busy, …), the raw material for adherence, occupancy and time-in-state reports.
//! An open spell has no `to_at` yet.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::db::{in_write_tx, on_read};
use crate::error::{Result, StoreError};
use crate::ids::{AgentStateId, PersonId, TimestampMs};
use crate::org::people::existing_ids;
use crate::values::{check_text, AgentStateKind};
use crate::Store;

/// Rows per multi-row INSERT (5 parameters each).
const CHUNK: usize = 1000;
/// Longest not-ready reason, in characters.
pub const MAX_REASON_CHARS: usize = 100;

/// A spell in a state, as given to store it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAgentState {
    /// The agent.
    pub person_id: PersonId,
    /// The state.
    pub state: AgentStateKind,
    /// Why (not-ready reason code or text); `None` when the state needs none.
    pub reason: Option<String>,
    /// Start.
    pub from_at: TimestampMs,
    /// End; `None` while the spell lasts.
    pub to_at: Option<TimestampMs>,
}

/// A stored spell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentState {
    /// Id (insertion order).
    pub id: AgentStateId,
    /// The agent.
    pub person_id: PersonId,
    /// The state.
    pub state: AgentStateKind,
    /// Why.
    pub reason: Option<String>,
    /// Start.
    pub from_at: TimestampMs,
    /// End; `None` while the spell lasts.
    pub to_at: Option<TimestampMs>,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    id: AgentStateId,
    person_id: PersonId,
    state: String,
    reason: Option<String>,
    from_at: TimestampMs,
    to_at: Option<TimestampMs>,
}

impl TryFrom<StateRow> for AgentState {
    type Error = StoreError;
    fn try_from(r: StateRow) -> Result<AgentState> {
        Ok(AgentState {
            id: r.id,
            person_id: r.person_id,
            state: AgentStateKind::from_db("agent_states", "state", r.state)?,
            reason: r.reason,
            from_at: r.from_at,
            to_at: r.to_at,
        })
    }
}

impl Store {
    /// Stores spells in one transaction, all or none; how many.
    pub async fn insert_agent_states(&self, rows: &[NewAgentState]) -> Result<u64> {
        for (i, r) in rows.iter().enumerate() {
            if let Some(reason) = &r.reason {
                check_text(&format!("rows[{i}].reason"), reason, MAX_REASON_CHARS)?;
            }
            if let Some(to) = r.to_at {
                if to < r.from_at {
                    return Err(StoreError::invalid(
                        format!("rows[{i}].to_at"),
                        to.0,
                        format!("a time not before from_at ({})", r.from_at.0),
                    ));
                }
            }
        }
        if rows.is_empty() {
            return Ok(0);
        }
        let people: BTreeSet<i64> = rows.iter().map(|r| r.person_id.0).collect();
        let n = in_write_tx!(self, |tx, Db| {
            let found = existing_ids!(tx, Db, "people", people.iter().copied().collect());
            if let Some((i, r)) = rows
                .iter()
                .enumerate()
                .find(|(_, r)| !found.contains(&r.person_id.0))
            {
                return Err(StoreError::invalid(
                    format!("rows[{i}].person_id"),
                    r.person_id,
                    "the id of an existing person",
                ));
            }
            let mut n = 0;
            for chunk in rows.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO agent_states (person_id, state, reason, from_at, to_at) ",
                );
                qb.push_values(chunk, |mut row, r| {
                    row.push_bind(r.person_id)
                        .push_bind(r.state.as_str())
                        .push_bind(r.reason.as_deref())
                        .push_bind(r.from_at)
                        .push_bind(r.to_at);
                });
                n += qb.build().execute(&mut *tx).await?.rows_affected();
            }
            n
        });
        Ok(n)
    }

    /// Ends the open spells of `person` at `at` (those that started at or before `at`);
    /// how many were open.
    pub async fn end_open_agent_states(&self, person: PersonId, at: TimestampMs) -> Result<u64> {
        Ok(in_write_tx!(self, |tx, Db| {
            sqlx::query::<Db>(
                "UPDATE agent_states SET to_at = $1 \
                 WHERE person_id = $2 AND to_at IS NULL AND from_at <= $1",
            )
            .bind(at)
            .bind(person)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        }))
    }

    /// The spells of `person` that overlap `[from, to)` (open spells count as lasting),
    /// by start then id.
    pub async fn list_agent_states(
        &self,
        person: PersonId,
        from: TimestampMs,
        to: TimestampMs,
    ) -> Result<Vec<AgentState>> {
        if to < from {
            return Err(StoreError::invalid(
                "to",
                to.0,
                format!("a time not before from ({})", from.0),
            ));
        }
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, StateRow>(
                "SELECT id, person_id, state, reason, from_at, to_at FROM agent_states \
                 WHERE person_id = $1 AND from_at < $3 AND (to_at IS NULL OR to_at > $2) \
                 ORDER BY from_at, id",
            )
            .bind(person)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AgentState::try_from).collect()
    }
}
