//! The runtime's [`Journal`] over `hotline-store`: entries as JSON rows of the event log,
//! the genesis as the snapshot at sequence 0, records and agent spells in their tables.

use std::collections::{BTreeMap, HashMap};

use hotline_routing::{AgentState, Time};
use hotline_store::{
    self as store, AgentStateKind, NewAgentState, NewLoggedEvent, PersonId, Seq, Snapshot, Store,
    StoreError, TimestampMs,
};
use serde::{Deserialize, Serialize};

use crate::runtime::entry::{Entry, LoggedEntry};
use crate::runtime::tracker::{ContactRecord, Spell};
use crate::runtime::{Genesis, Journal, JournalError};

/// The genesis as stored in the snapshot at sequence 0.
#[derive(Serialize, Deserialize)]
struct GenesisData {
    format: String,
    at: u64,
    config: hotline_routing::RoutingConfig,
}

const GENESIS_FORMAT: &str = "hotline.genesis.v1";

/// [`Journal`] on a [`Store`].
#[derive(Clone, Debug)]
pub struct StoreJournal {
    store: Store,
}

impl StoreJournal {
    /// Over `store`.
    pub fn new(store: Store) -> StoreJournal {
        StoreJournal { store }
    }
}

fn err(context: &str, e: impl std::fmt::Display) -> JournalError {
    JournalError(format!("{context}: {e}"))
}

fn ts(t: Time) -> TimestampMs {
    TimestampMs(i64::try_from(t.as_millis()).unwrap_or(i64::MAX))
}

/// The event log's `kind` column: `arrived`, `engine.agent-ready`, `queue_updated` ...
fn kind(entry: &Entry) -> String {
    match entry {
        Entry::Arrived { .. } => "arrived".into(),
        Entry::Engine { event } => {
            let name = event.name();
            let mut kebab = String::from("engine.");
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() {
                    if i > 0 {
                        kebab.push('-');
                    }
                    kebab.push(c.to_ascii_lowercase());
                } else {
                    kebab.push(c);
                }
            }
            kebab
        }
        Entry::AgentAdded { .. } => "agent_added".into(),
        Entry::AgentUpdated { .. } => "agent_updated".into(),
        Entry::AgentRemoved { .. } => "agent_removed".into(),
        Entry::QueueAdded { .. } => "queue_added".into(),
        Entry::QueueUpdated { .. } => "queue_updated".into(),
        Entry::QueueRemoved { .. } => "queue_removed".into(),
        Entry::CountersReset => "counters_reset".into(),
    }
}

/// The store's form of a contact record. The IVR's attributes stay at the top level
/// beside `vip`; what routing did sits under `routing`.
pub fn to_store_record(r: &ContactRecord) -> store::ContactRecord {
    let mut attributes: serde_json::Map<String, serde_json::Value> = r
        .details
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if r.details.vip {
        attributes.insert("vip".into(), true.into());
    }
    attributes.insert(
        "routing".into(),
        serde_json::json!({
            "queues": r.queues.iter().map(|q| q.0).collect::<Vec<_>>(),
            "priority_boost": r.priority_boost,
            "offers": r.offers,
            "ring_no_answers": r.ring_no_answers,
            "level": r.routing_level,
            "callback": r.callback,
        }),
    );
    store::ContactRecord {
        contact_id: r.contact.0.to_string(),
        queue_id: store::QueueId(i64::from(r.queue.0)),
        channel: r.details.channel.to_store(),
        customer_id: r.details.customer_id.clone().unwrap_or_default(),
        agent_id: r.agent.map(|a| PersonId(i64::from(a.0))),
        arrived_at: ts(r.arrived_at),
        answered_at: r.answered_at.map(ts),
        ended_at: ts(r.ended_at),
        wrap_up_end_at: r.wrap_up_ended_at.map(ts),
        outcome: r.outcome.to_store(),
        wait_ms: store::DurationMs(r.wait_ms as i64),
        talk_ms: store::DurationMs(r.talk_ms as i64),
        hold_ms: store::DurationMs::ZERO,
        wrap_up_ms: store::DurationMs(r.wrap_up_ms as i64),
        transfers: u32::from(r.transfers),
        attributes: serde_json::Value::Object(attributes),
    }
}

/// The store's form of a spell.
pub fn to_store_spell(s: &Spell) -> NewAgentState {
    let (state, reason) = match s.state {
        AgentState::LoggedOut => (AgentStateKind::LoggedOut, None),
        AgentState::Ready => (AgentStateKind::Ready, None),
        AgentState::Offered => (AgentStateKind::Reserved, None),
        AgentState::OnContact => (AgentStateKind::Busy, None),
        AgentState::WrapUp => (AgentStateKind::WrapUp, None),
        AgentState::NotReady(code) => (AgentStateKind::NotReady, Some(crate::reasons::name(code))),
    };
    NewAgentState {
        person_id: PersonId(i64::from(s.agent.0)),
        state,
        reason,
        from_at: ts(s.from),
        to_at: Some(ts(s.to)),
    }
}

impl StoreJournal {
    /// Inserts records; a record the store refuses as invalid is logged (by id and field,
    /// never its content) and skipped, so one bad record cannot hold up the others.
    async fn insert_records(&self, records: &[store::ContactRecord]) -> Result<u64, JournalError> {
        match self.store.insert_contact_records(records).await {
            Ok(n) => Ok(n),
            Err(StoreError::Invalid { .. }) if records.len() > 1 => {
                let mut n = 0;
                for r in records {
                    n += Box::pin(self.insert_records(std::slice::from_ref(r))).await?;
                }
                Ok(n)
            }
            Err(StoreError::Invalid { field, .. }) => {
                tracing::error!(
                    contact_id = %records[0].contact_id,
                    field = %field,
                    "contact record refused by the store; skipped"
                );
                Ok(0)
            }
            Err(e) => Err(err("contact records", e)),
        }
    }

    async fn insert_spells(&self, spells: &[NewAgentState]) -> Result<(), JournalError> {
        match self.store.insert_agent_states(spells).await {
            Ok(_) => Ok(()),
            Err(StoreError::Invalid { field, .. }) => {
                // A person deleted meanwhile: their history cannot be kept.
                tracing::warn!(field = %field, "agent state history refused by the store; skipped");
                Ok(())
            }
            Err(e) => Err(err("agent state history", e)),
        }
    }
}

impl Journal for StoreJournal {
    async fn genesis(&self) -> Result<Option<Genesis>, JournalError> {
        let Some(snapshot) = self
            .store
            .latest_snapshot()
            .await
            .map_err(|e| err("reading the snapshot", e))?
        else {
            return Ok(None);
        };
        if snapshot.seq != Seq::ZERO {
            return Err(JournalError(format!(
                "the latest snapshot is at event {}, but this server only writes the genesis \
                 (event 0); it was written by another program",
                snapshot.seq
            )));
        }
        let data: GenesisData = serde_json::from_slice(&snapshot.data)
            .map_err(|e| err("decoding the genesis snapshot", e))?;
        if data.format != GENESIS_FORMAT {
            return Err(JournalError(format!(
                "unknown snapshot format {:?} (expected {GENESIS_FORMAT})",
                data.format
            )));
        }
        Ok(Some(Genesis {
            config: data.config,
            at: Time::from_millis(data.at),
        }))
    }

    async fn save_genesis(&self, genesis: &Genesis) -> Result<(), JournalError> {
        let last = self
            .store
            .last_event_seq()
            .await
            .map_err(|e| err("reading the event log", e))?;
        if last != Seq::ZERO {
            return Err(JournalError(format!(
                "the event log holds {last} events but no genesis snapshot; refusing to start \
                 a new log over it"
            )));
        }
        let data = serde_json::to_vec(&GenesisData {
            format: GENESIS_FORMAT.into(),
            at: genesis.at.as_millis(),
            config: genesis.config.clone(),
        })
        .map_err(|e| err("encoding the genesis", e))?;
        self.store
            .save_snapshot(&Snapshot {
                seq: Seq::ZERO,
                taken_at: ts(genesis.at),
                data,
            })
            .await
            .map_err(|e| err("saving the genesis", e))
    }

    async fn entries(&self, after: u64, limit: usize) -> Result<Vec<LoggedEntry>, JournalError> {
        let limit = u32::try_from(limit)
            .unwrap_or(u32::MAX)
            .clamp(1, store::MAX_REPLAY_BATCH);
        let events = self
            .store
            .events_after(Seq(after as i64), limit)
            .await
            .map_err(|e| err("reading the event log", e))?;
        events
            .into_iter()
            .map(|e| {
                let entry: Entry = serde_json::from_value(e.payload).map_err(|x| {
                    JournalError(format!(
                        "event {} ({}) cannot be decoded: {x}",
                        e.seq, e.kind
                    ))
                })?;
                Ok(LoggedEntry {
                    seq: e.seq.0 as u64,
                    at: Time::from_millis(u64::try_from(e.occurred_at.0).unwrap_or(0)),
                    entry,
                })
            })
            .collect()
    }

    async fn append(&self, entries: &[LoggedEntry]) -> Result<(), JournalError> {
        let events: Vec<NewLoggedEvent> = entries
            .iter()
            .map(|e| {
                Ok(NewLoggedEvent {
                    occurred_at: ts(e.at),
                    kind: kind(&e.entry),
                    payload: serde_json::to_value(&e.entry)
                        .map_err(|x| err("encoding an event", x))?,
                })
            })
            .collect::<Result<_, JournalError>>()?;
        let seqs = self
            .store
            .append_events(&events)
            .await
            .map_err(|e| err("appending to the event log", e))?;
        let expected = entries.first().map(|e| e.seq as i64);
        if seqs.first().map(|s| s.0) != expected {
            // Someone else appends to this log: two servers on one database. The entries
            // are written, but under other numbers; a replay will sort it out.
            return Err(JournalError(format!(
                "the event log numbered the batch from {:?}, the engine from {expected:?}: \
                 is another server writing to the same database?",
                seqs.first().map(|s| s.0)
            )));
        }
        Ok(())
    }

    async fn store_effects(
        &self,
        records: &[ContactRecord],
        spells: &[Spell],
    ) -> Result<(), JournalError> {
        if !records.is_empty() {
            let rows: Vec<store::ContactRecord> = records.iter().map(to_store_record).collect();
            self.insert_records(&rows).await?;
        }
        if !spells.is_empty() {
            let rows: Vec<NewAgentState> = spells.iter().map(to_store_spell).collect();
            self.insert_spells(&rows).await?;
        }
        Ok(())
    }

    async fn restore_effects(
        &self,
        records: &[ContactRecord],
        spells: &[Spell],
    ) -> Result<(), JournalError> {
        // Records: newest first, a chunk at a time, until a chunk is already all stored
        // (records are stored in log order, so everything older is stored too).
        let mut restored = 0;
        for chunk in records.rchunks(500) {
            let rows: Vec<store::ContactRecord> = chunk.iter().map(to_store_record).collect();
            let n = self.insert_records(&rows).await?;
            restored += n;
            if n == 0 {
                break;
            }
        }
        // Spells have no natural key: compare with what is stored per agent from the
        // earliest replayed spell on.
        let mut by_agent: BTreeMap<PersonId, Vec<NewAgentState>> = BTreeMap::new();
        for s in spells {
            let row = to_store_spell(s);
            by_agent.entry(row.person_id).or_default().push(row);
        }
        let mut missing = Vec::new();
        for (person, rows) in by_agent {
            let from = rows.iter().map(|r| r.from_at).min().unwrap_or_default();
            let to = TimestampMs(i64::MAX);
            let stored = match self.store.list_agent_states(person, from, to).await {
                Ok(stored) => stored,
                Err(StoreError::NotFound { .. }) => continue,
                Err(e) => return Err(err("reading agent state history", e)),
            };
            let mut have: HashMap<(i64, Option<i64>, &'static str), usize> = HashMap::new();
            for s in &stored {
                *have
                    .entry((s.from_at.0, s.to_at.map(|t| t.0), s.state.as_str()))
                    .or_default() += 1;
            }
            for row in rows {
                let key = (row.from_at.0, row.to_at.map(|t| t.0), row.state.as_str());
                match have.get_mut(&key) {
                    Some(n) if *n > 0 => *n -= 1,
                    _ => missing.push(row),
                }
            }
        }
        if !missing.is_empty() {
            self.insert_spells(&missing).await?;
        }
        if restored > 0 || !missing.is_empty() {
            tracing::warn!(
                records = restored,
                spells = missing.len(),
                "restored contact records and agent states lost by an unclean stop"
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_routing::Event;

    #[test]
    fn kinds_are_valid_log_kinds() {
        let k = kind(&Entry::Engine {
            event: Event::AgentNotReady {
                agent: hotline_routing::AgentId(1),
                reason: hotline_routing::ReasonCode(1),
            },
        });
        assert_eq!(k, "engine.agent-not-ready");
        assert_eq!(kind(&Entry::CountersReset), "counters_reset");
    }
}
