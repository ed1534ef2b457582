//! Read-only views for queries: contacts, agents, live queue metrics.

use serde::{Deserialize, Serialize};

use crate::decision::{AgentState, Presence};
use crate::ids::{AgentId, ContactId, GroupId, QueueId, ReasonCode};
use crate::time::{Span, Time};

/// Where a live contact is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactState {
    /// In line.
    Waiting,
    /// Ringing at an agent.
    Offered(AgentId),
    /// Connected to an agent.
    Connected(AgentId),
}

/// A live contact (waiting, ringing or connected).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    /// The contact.
    pub id: ContactId,
    /// Its current queue.
    pub queue: QueueId,
    /// Where it is.
    pub state: ContactState,
    /// True once the caller asked for a callback.
    pub callback: bool,
    /// Per-contact priority points.
    pub priority_boost: i32,
    /// Its place in line: the time that orders it and drives aging (the original arrival
    /// for a transfer that keeps arrival time).
    pub place: Time,
    /// Tie-break among equal places: the global arrival sequence number.
    pub sequence: u64,
    /// When it entered its current queue (service level, ASA and routing steps count from
    /// here).
    pub entered_queue: Time,
    /// The routing step level in force (0 = the queue's initial requirement).
    pub level: u16,
}

/// One contact an agent holds and in which phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HeldContact {
    /// The contact.
    pub contact: ContactId,
    /// Its queue.
    pub queue: QueueId,
    /// The phase.
    pub phase: Phase,
}

/// The phase of a held contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Ringing.
    Offered,
    /// Connected.
    Connected,
    /// After-contact work (the contact itself has ended).
    WrapUp,
}

/// An agent's live state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentView {
    /// The agent.
    pub id: AgentId,
    /// Their group.
    pub group: GroupId,
    /// The state a desktop shows.
    pub state: AgentState,
    /// Ready / not ready / logged out, independent of held contacts.
    pub presence: Presence,
    /// Concurrent contacts allowed.
    pub slots: u16,
    /// Contacts held, in the order they were offered.
    pub contacts: Vec<HeldContact>,
    /// Since when the agent has had free capacity while ready (the longest-idle key);
    /// `None` when they cannot take a contact now.
    pub available_since: Option<Time>,
    /// Contacts accepted since the engine started or counters were reset.
    pub contacts_accepted: u64,
}

/// Agents by displayed state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCounts {
    /// Logged in (every state but logged out).
    pub online: u32,
    /// Ready and holding no contact.
    pub available: u32,
    /// Offered (ringing).
    pub offered: u32,
    /// On a contact.
    pub on_contact: u32,
    /// In wrap-up.
    pub wrap_up: u32,
    /// Not ready, by reason code (ascending code).
    pub not_ready: Vec<(ReasonCode, u32)>,
}

/// The three service-level definitions, each `None` while its denominator is zero.
///
/// T is the queue's `service_level` threshold; "within T" means waited ≤ T.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceLevels {
    /// Answered within T / offered, where offered counts every stay whose live wait has
    /// ended: answered + abandoned + callbacks requested + transferred out unanswered
    /// (abandons count as missed; the Erlang C definition).
    pub of_offered: Option<f64>,
    /// Answered within T / answered (Asterisk `SL`).
    pub of_answered: Option<f64>,
    /// (Answered within T + abandoned within the short-abandon threshold) / (answered +
    /// abandoned) (Asterisk `SL2`; the threshold defaults to T as in Asterisk).
    pub asterisk_sl2: Option<f64>,
}

/// Live metrics of one queue. Counters run since the engine started or since
/// [`Engine::reset_counters`](crate::Engine::reset_counters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueStats {
    /// The queue.
    pub queue: QueueId,
    /// Contacts waiting now (callbacks included).
    pub waiting: u32,
    /// Of which callbacks.
    pub waiting_callbacks: u32,
    /// Contacts ringing at an agent now.
    pub ringing: u32,
    /// The longest current wait in this queue (from entering it).
    pub oldest_wait: Option<Span>,
    /// Contacts that entered the queue (arrivals and transfers in).
    pub entered: u64,
    /// Stays whose live wait ended: answered + abandoned + callbacks requested +
    /// transferred out unanswered.
    pub offered: u64,
    /// Live contacts answered (callbacks not included).
    pub answered: u64,
    /// Of which within T.
    pub answered_within_threshold: u64,
    /// Callers who hung up before being connected (cancelled callbacks included).
    pub abandoned: u64,
    /// Of which within the short-abandon threshold.
    pub abandoned_short: u64,
    /// Callbacks requested.
    pub callbacks_requested: u64,
    /// Callbacks answered by an agent.
    pub callbacks_answered: u64,
    /// Callbacks cancelled before an agent took them (not counted as abandoned).
    pub callbacks_cancelled: u64,
    /// Stays that ended by transfer to another queue (answered or not).
    pub transferred_out: u64,
    /// Of which before being answered.
    pub transferred_out_unanswered: u64,
    /// Contacts whose handling (connected + wrap-up) finished.
    pub handled: u64,
    /// The three service levels.
    pub service_level: ServiceLevels,
    /// Average speed of answer: mean wait of answered live contacts.
    pub asa: Option<Span>,
    /// Average handle time: mean of connected + wrap-up time per handled contact.
    pub aht: Option<Span>,
    /// Mean handle time of the most recent contacts (the wait estimate's input).
    pub recent_aht: Option<Span>,
    /// Agents who can serve the queue at its initial requirement, by state.
    pub agents: AgentCounts,
    /// Estimated wait for a contact arriving now with no priority boost.
    pub estimated_wait_new: Option<Span>,
}
