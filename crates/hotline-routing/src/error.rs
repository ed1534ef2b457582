//! Errors: configuration errors name the field, the value and what is allowed; routing
//! errors name the event, the id and the state that made it invalid. An error never
//! changes the engine's state.

use crate::ids::{AgentId, ContactId, QueueId};
use crate::time::Time;

/// A configuration value the engine cannot work with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A value out of range or inconsistent with another field.
    #[error("{field} = {value} is not allowed: expected {allowed}")]
    Invalid {
        /// Path of the field, e.g. `queues[2].steps[0].after`.
        field: String,
        /// The offending value as written.
        value: String,
        /// What would have been accepted.
        allowed: String,
    },
    /// An id given twice where ids must be unique.
    #[error("{field} = {value} appears more than once; ids must be unique")]
    Duplicate {
        /// Path of the field.
        field: String,
        /// The repeated id.
        value: String,
    },
}

impl ConfigError {
    pub(crate) fn invalid(
        field: impl Into<String>,
        value: impl ToString,
        allowed: impl Into<String>,
    ) -> ConfigError {
        ConfigError::Invalid {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}

/// An event or command the engine refused. The engine's state is exactly as before.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// `now` earlier than the `now` of a previous call.
    #[error("time went backwards: now = {now} but the engine is already at {last}")]
    TimeWentBackwards {
        /// The `now` passed in.
        now: Time,
        /// The latest `now` the engine has seen.
        last: Time,
    },
    /// No contact with this id is in the engine.
    #[error("unknown contact {0}")]
    UnknownContact(ContactId),
    /// A contact with this id is already in the engine.
    #[error(
        "contact {0} is already in the engine; contact ids must be unique among live contacts"
    )]
    DuplicateContact(ContactId),
    /// No agent with this id.
    #[error("unknown agent {0}")]
    UnknownAgent(AgentId),
    /// No queue with this id.
    #[error("unknown queue {0}")]
    UnknownQueue(QueueId),
    /// The event does not apply to the contact in its current state.
    #[error("{event} is not valid for {contact} while it is {state}")]
    ContactState {
        /// The contact.
        contact: ContactId,
        /// The event or command refused.
        event: &'static str,
        /// The contact's current state.
        state: &'static str,
    },
    /// The event does not apply to the agent in its current state.
    #[error("{event} is not valid for {agent} while it is {state}")]
    AgentState {
        /// The agent.
        agent: AgentId,
        /// The event or command refused.
        event: &'static str,
        /// The agent's current state.
        state: &'static str,
    },
    /// The agent has no pending offer of this contact.
    #[error("{agent} has no pending offer of {contact}")]
    NoSuchOffer {
        /// The agent.
        agent: AgentId,
        /// The contact.
        contact: ContactId,
    },
    /// The agent is not wrapping up this contact.
    #[error("{agent} is not in wrap-up for {contact}")]
    NotInWrapUp {
        /// The agent.
        agent: AgentId,
        /// The contact.
        contact: ContactId,
    },
    /// A queue cannot be removed while contacts are in it (waiting, ringing, connected or
    /// in wrap-up).
    #[error("{queue} still holds {contacts} contact(s); it can be removed only when empty")]
    QueueNotEmpty {
        /// The queue.
        queue: QueueId,
        /// How many contacts still refer to it.
        contacts: usize,
    },
    /// A run-time configuration change was invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
}
