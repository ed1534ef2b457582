//! The state the routing task owns: the engine and the tracker around it.

use hotline_routing::{ConfigError, Decision, Engine, Event, RoutingConfig, RoutingError, Time};

use super::entry::{Entry, LoggedEntry};
use super::tracker::{Effects, Tracker};

/// The engine plus everything derived from the same entries. Only the routing task
/// mutates it; queries get a shared reference inside the task.
#[derive(Debug)]
pub struct Live {
    /// The routing engine.
    pub engine: Engine,
    /// Contact details, records in progress, agents' time in state.
    pub tracker: Tracker,
    /// The next contact id to hand out.
    pub next_contact: u64,
    /// The sequence number of the last entry applied.
    pub seq: u64,
    /// When the log started.
    pub genesis_at: Time,
    /// Since when the queue counters run (the start of the log or the last reset).
    pub counters_since: Time,
    /// The last input's decisions (the engine's own buffer is borrowed mutably, the
    /// tracker needs the engine too).
    decisions: Vec<Decision>,
}

impl Live {
    /// A fresh engine at the start of the log.
    pub fn new(config: RoutingConfig, genesis_at: Time) -> Result<Live, ConfigError> {
        Ok(Live {
            engine: Engine::new(config)?,
            tracker: Tracker::default(),
            next_contact: 1,
            seq: 0,
            genesis_at,
            counters_since: genesis_at,
            decisions: Vec::new(),
        })
    }

    /// Applies `entry` at `at` to the engine, then lets the tracker see the decisions.
    /// A refused entry leaves both unchanged.
    pub fn apply(
        &mut self,
        at: Time,
        entry: &Entry,
        out: &mut Effects,
    ) -> Result<&[Decision], RoutingError> {
        let engine = &mut self.engine;
        let decisions: &[Decision] = match entry {
            Entry::Arrived {
                contact,
                queue,
                priority_boost,
                ..
            } => engine.handle(
                Event::ContactArrived {
                    contact: *contact,
                    queue: *queue,
                    priority_boost: *priority_boost,
                },
                at,
            )?,
            Entry::Engine { event } => engine.handle(*event, at)?,
            Entry::AgentAdded { agent } => engine.add_agent(agent.clone(), at)?,
            Entry::AgentUpdated { agent } => engine.update_agent(agent.clone(), at)?,
            Entry::AgentRemoved { agent } => engine.remove_agent(*agent, at)?,
            Entry::QueueAdded { queue } => engine.add_queue(queue.clone(), at)?,
            Entry::QueueUpdated { queue } => engine.update_queue(queue.clone(), at)?,
            Entry::QueueRemoved { queue } => engine.remove_queue(*queue, at)?,
            Entry::CountersReset => {
                engine.reset_counters();
                self.counters_since = at;
                &[]
            }
        };
        self.decisions.clear();
        self.decisions.extend_from_slice(decisions);
        if let Entry::Arrived { contact, .. } = entry {
            self.next_contact = self.next_contact.max(contact.0.saturating_add(1));
        }
        self.tracker
            .observe(at, entry, &self.decisions, &self.engine, out);
        Ok(&self.decisions)
    }

    /// Applies an entry read back from the log (its effects go to `out`, for the
    /// records a crash may have lost). The log only holds entries the engine accepted, so a refusal here means the log and the engine disagree: the error says
    /// which entry.
    pub fn replay(&mut self, logged: &LoggedEntry, out: &mut Effects) -> Result<(), ReplayError> {
        if logged.seq != self.seq + 1 {
            return Err(ReplayError::Gap {
                expected: self.seq + 1,
                found: logged.seq,
            });
        }
        self.apply(logged.at, &logged.entry, out)
            .map_err(|source| ReplayError::Refused {
                seq: logged.seq,
                kind: logged.entry.kind(),
                source,
            })?;
        self.seq = logged.seq;
        Ok(())
    }
}

/// The log cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// Entries are missing.
    #[error("event log entry {expected} is missing (found {found} next)")]
    Gap {
        /// The sequence number expected next.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// The engine refused an entry it had accepted before.
    #[error("event log entry {seq} ({kind}) was refused on replay: {source}")]
    Refused {
        /// Its sequence number.
        seq: u64,
        /// Its kind.
        kind: &'static str,
        /// Why.
        source: RoutingError,
    },
}
