//! Decisions: what the engine tells the world, in the order they happen.

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ContactId, QueueId, ReasonCode};
use crate::time::{Span, Time};

/// An agent's state as a desktop or wallboard shows it.
///
/// A multi-slot agent may hold contacts in several phases at once; the state shown is the
/// most engaged one (on contact, then offered, then wrap-up), else their presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgentState {
    /// Not logged in.
    LoggedOut,
    /// Ready and holding no contact.
    Ready,
    /// A contact is ringing at the agent (reserved for them).
    Offered,
    /// Connected to a contact.
    OnContact,
    /// After-contact work.
    WrapUp,
    /// Logged in, holding no contact, not ready for this reason.
    NotReady(ReasonCode),
}

impl AgentState {
    /// Lower-case name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            AgentState::LoggedOut => "logged out",
            AgentState::Ready => "ready",
            AgentState::Offered => "offered",
            AgentState::OnContact => "on contact",
            AgentState::WrapUp => "in wrap-up",
            AgentState::NotReady(_) => "not ready",
        }
    }
}

/// What the agent said about taking new contacts, independent of the contacts they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Not logged in.
    LoggedOut,
    /// Takes new contacts while a slot is free.
    Ready,
    /// Takes no new contacts.
    NotReady(ReasonCode),
}

/// How a contact's stay in one queue ended. Every stay ends exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Answered by an agent, then ended.
    Completed,
    /// A callback was offered, accepted and ended.
    CallbackCompleted,
    /// The caller hung up (or cancelled their callback) before being connected.
    Abandoned,
    /// Moved to another queue; `answered` when an agent had been connected first.
    TransferredOut {
        /// The queue it went to.
        to: QueueId,
        /// Whether it was answered in this queue before the transfer.
        answered: bool,
    },
}

/// One thing the engine decided or observed, for the agent desktop, the wallboard, the
/// contact record and the simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Decision {
    /// The contact waits in the queue (new arrival with no agent free, or back in line
    /// after a ring-no-answer, rejection or withdrawn offer, or transferred in).
    ContactQueued {
        /// The contact.
        contact: ContactId,
        /// Its queue.
        queue: QueueId,
        /// True for a waiting callback.
        callback: bool,
    },
    /// The contact reached routing step `level` (1 = first step): more agents may serve it.
    RoutingStepReached {
        /// The contact.
        contact: ContactId,
        /// Its queue.
        queue: QueueId,
        /// The step level now in force.
        level: u16,
    },
    /// Offer the contact to the agent (ring the agent; with auto-accept the agent is
    /// connected at once and [`Decision::ContactAnswered`] follows).
    Offer {
        /// The contact.
        contact: ContactId,
        /// The agent.
        agent: AgentId,
        /// The contact's queue.
        queue: QueueId,
        /// The agent is to call the customer back.
        callback: bool,
    },
    /// The agent is connected to the contact.
    ContactAnswered {
        /// The contact.
        contact: ContactId,
        /// The agent.
        agent: AgentId,
        /// The queue it was answered from.
        queue: QueueId,
        /// Time from entering the queue to the answer (ring time included).
        waited: Span,
    },
    /// A ringing offer was withdrawn because the caller hung up, the contact was moved,
    /// or the agent logged out.
    OfferWithdrawn {
        /// The contact.
        contact: ContactId,
        /// The agent.
        agent: AgentId,
    },
    /// The offer rang out: the agent goes not ready ("no answer") and the contact goes
    /// back to its old place.
    RingNoAnswer {
        /// The agent.
        agent: AgentId,
        /// The contact.
        contact: ContactId,
    },
    /// The contact's stay in `queue` ended (exactly once per stay).
    ContactEnded {
        /// The contact.
        contact: ContactId,
        /// The queue of this stay.
        queue: QueueId,
        /// The agent who answered it, if any.
        agent: Option<AgentId>,
        /// How it ended.
        outcome: Outcome,
        /// Time from entering the queue to the answer, or to leaving unanswered.
        waited: Span,
    },
    /// The agent started after-contact work on this contact.
    WrapUpStarted {
        /// The agent.
        agent: AgentId,
        /// The contact.
        contact: ContactId,
        /// When a fixed wrap-up ends; `None` for manual wrap-up.
        until: Option<Time>,
    },
    /// The agent finished after-contact work on this contact; the slot is free.
    WrapUpEnded {
        /// The agent.
        agent: AgentId,
        /// The contact.
        contact: ContactId,
    },
    /// The agent's displayed state changed.
    AgentStateChanged {
        /// The agent.
        agent: AgentId,
        /// The new state.
        state: AgentState,
    },
}
