//! Events: what the world tells the engine. Each comes with its `now`.

use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, ContactId, QueueId, ReasonCode};

/// Something that happened in the center. Passed to
/// [`Engine::handle`](crate::Engine::handle) together with the time it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Event {
    /// A new contact enters `queue`. A VIP is either a queue with a higher base priority
    /// or a contact with a positive `priority_boost` (points added to its score); both
    /// work and combine.
    ContactArrived {
        /// Caller-chosen id, unique among live contacts.
        contact: ContactId,
        /// The queue it enters.
        queue: QueueId,
        /// Priority points added to the queue's base priority for this contact only.
        priority_boost: i32,
    },
    /// The caller hung up while waiting or while the offer was ringing.
    ContactAbandoned {
        /// The contact.
        contact: ContactId,
    },
    /// The waiting caller asked to be called back: they hang up but keep their place;
    /// when their turn comes an agent is offered the callback.
    CallbackRequested {
        /// The contact.
        contact: ContactId,
    },
    /// The contact moves to another queue: from waiting or ringing (overflow) or from an
    /// agent (the agent transferred it; the agent goes to wrap-up). It leaves its first
    /// queue with outcome transferred-out.
    ContactTransferred {
        /// The contact.
        contact: ContactId,
        /// The queue it goes to.
        to: QueueId,
    },
    /// A connected contact ended (the agent or the customer hung up, the chat closed).
    ContactEnded {
        /// The contact.
        contact: ContactId,
    },
    /// The agent logged in; they start not ready with
    /// [`ReasonCode::LOGGED_IN`](crate::ReasonCode::LOGGED_IN).
    AgentLoggedIn {
        /// The agent.
        agent: AgentId,
    },
    /// The agent logged out. Refused while they are connected to a contact; a ringing
    /// offer is withdrawn (the contact goes back to its place) and a wrap-up ends.
    AgentLoggedOut {
        /// The agent.
        agent: AgentId,
    },
    /// The agent is ready for contacts (when their current contacts are done, if any).
    AgentReady {
        /// The agent.
        agent: AgentId,
    },
    /// The agent is not ready; takes effect for new offers at once, current contacts
    /// continue.
    AgentNotReady {
        /// The agent.
        agent: AgentId,
        /// Why.
        reason: ReasonCode,
    },
    /// The agent accepted the offer: they are connected to the contact.
    OfferAccepted {
        /// The agent.
        agent: AgentId,
        /// The offered contact.
        contact: ContactId,
    },
    /// The agent rejected the offer: the contact goes back to its place and the agent
    /// goes not ready with [`ReasonCode::REJECTED`](crate::ReasonCode::REJECTED) (so the
    /// same contact is not offered straight back to them).
    OfferRejected {
        /// The agent.
        agent: AgentId,
        /// The offered contact.
        contact: ContactId,
    },
    /// The agent finished wrap-up for this contact (manual wrap-up, or early end of a
    /// fixed one).
    WrapUpDone {
        /// The agent.
        agent: AgentId,
        /// The contact being wrapped up.
        contact: ContactId,
    },
    /// Time passed: fires every timer due at or before `now` (ring-no-answer, fixed
    /// wrap-up end, routing steps). Send it whenever `now` reaches
    /// [`Engine::next_deadline`](crate::Engine::next_deadline); other events never fire
    /// timers.
    Tick,
}

impl Event {
    /// The event's name, as used in error messages.
    pub const fn name(&self) -> &'static str {
        match self {
            Event::ContactArrived { .. } => "ContactArrived",
            Event::ContactAbandoned { .. } => "ContactAbandoned",
            Event::CallbackRequested { .. } => "CallbackRequested",
            Event::ContactTransferred { .. } => "ContactTransferred",
            Event::ContactEnded { .. } => "ContactEnded",
            Event::AgentLoggedIn { .. } => "AgentLoggedIn",
            Event::AgentLoggedOut { .. } => "AgentLoggedOut",
            Event::AgentReady { .. } => "AgentReady",
            Event::AgentNotReady { .. } => "AgentNotReady",
            Event::OfferAccepted { .. } => "OfferAccepted",
            Event::OfferRejected { .. } => "OfferRejected",
            Event::WrapUpDone { .. } => "WrapUpDone",
            Event::Tick => "Tick",
        }
    }
}
