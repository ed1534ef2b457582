//! What the event log holds: every input that changed the engine, with its time.
//!
//! Replaying the entries in order, each at its recorded time, rebuilds the engine exactly
//! (the engine is deterministic), so `Tick`s and run-time configuration changes are
//! entries too. Contact details the engine never sees (channel, customer, attributes) ride
//! on the arrival entry: the contact records and the desktops need them after a restart.

use std::collections::BTreeMap;

use hotline_routing::{AgentConfig, AgentId, ContactId, Event, QueueConfig, QueueId, Time};
use serde::{Deserialize, Serialize};

/// How the customer reached the center (the store's channels).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A phone call.
    #[default]
    Voice,
    /// A web or app chat.
    Chat,
    /// An e-mail.
    Email,
    /// Messaging apps and SMS.
    Messaging,
    /// A video call.
    Video,
}

impl Channel {
    /// The store's value.
    pub const fn to_store(self) -> hotline_store::Channel {
        match self {
            Channel::Voice => hotline_store::Channel::Voice,
            Channel::Chat => hotline_store::Channel::Chat,
            Channel::Email => hotline_store::Channel::Email,
            Channel::Messaging => hotline_store::Channel::Messaging,
            Channel::Video => hotline_store::Channel::Video,
        }
    }

    /// From the store's value.
    pub const fn from_store(channel: hotline_store::Channel) -> Channel {
        match channel {
            hotline_store::Channel::Voice => Channel::Voice,
            hotline_store::Channel::Chat => Channel::Chat,
            hotline_store::Channel::Email => Channel::Email,
            hotline_store::Channel::Messaging => Channel::Messaging,
            hotline_store::Channel::Video => Channel::Video,
        }
    }
}

/// A scalar attribute value attached to a contact by the IVR or the CTI adapter.
pub type Attributes = BTreeMap<String, serde_json::Value>;

/// What the CTI adapter told us about a contact besides its queue. Personal data: it goes
/// to the store, the contact records and the agent's desktop, never into logs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactDetails {
    /// The channel.
    pub channel: Channel,
    /// The customer's id in the CRM (account number, phone number ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// A VIP customer (shown on the desktop; adds the VIP boost unless a boost was given).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vip: bool,
    /// Free attributes from the IVR (name, language, reason for calling ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub attributes: Attributes,
}

/// One input applied to the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// `Event::ContactArrived` with the contact's details.
    Arrived {
        /// The contact id the server chose.
        contact: ContactId,
        /// Its queue.
        queue: QueueId,
        /// Priority points for this contact.
        priority_boost: i32,
        /// Channel, customer and attributes.
        details: ContactDetails,
    },
    /// Any other engine event, `Tick` included.
    Engine {
        /// The event.
        event: Event,
    },
    /// `Engine::add_agent`.
    AgentAdded {
        /// The new agent.
        agent: AgentConfig,
    },
    /// `Engine::update_agent`.
    AgentUpdated {
        /// The agent's new configuration.
        agent: AgentConfig,
    },
    /// `Engine::remove_agent`.
    AgentRemoved {
        /// The agent.
        agent: AgentId,
    },
    /// `Engine::add_queue`.
    QueueAdded {
        /// The new queue.
        queue: QueueConfig,
    },
    /// `Engine::update_queue`.
    QueueUpdated {
        /// The queue's new configuration.
        queue: QueueConfig,
    },
    /// `Engine::remove_queue`.
    QueueRemoved {
        /// The queue.
        queue: QueueId,
    },
    /// `Engine::reset_counters` (the live counters start a new day).
    CountersReset,
}

impl Entry {
    /// A short name for metrics and logs (no personal data).
    pub fn kind(&self) -> &'static str {
        match self {
            Entry::Arrived { .. } => "ContactArrived",
            Entry::Engine { event } => event.name(),
            Entry::AgentAdded { .. } => "AgentAdded",
            Entry::AgentUpdated { .. } => "AgentUpdated",
            Entry::AgentRemoved { .. } => "AgentRemoved",
            Entry::QueueAdded { .. } => "QueueAdded",
            Entry::QueueUpdated { .. } => "QueueUpdated",
            Entry::QueueRemoved { .. } => "QueueRemoved",
            Entry::CountersReset => "CountersReset",
        }
    }
}

/// An entry with its place in the log and its time.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedEntry {
    /// Position in the log, from 1, without gaps.
    pub seq: u64,
    /// The engine time it was applied at.
    pub at: Time,
    /// The input.
    pub entry: Entry,
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_routing::{GroupId, Proficiency, SkillId};

    #[test]
    fn entries_round_trip_through_json() {
        let mut attributes = Attributes::new();
        attributes.insert("language".into(), "es".into());
        let entries = vec![
            Entry::Arrived {
                contact: ContactId(42),
                queue: QueueId(3),
                priority_boost: 10,
                details: ContactDetails {
                    channel: Channel::Chat,
                    customer_id: Some("C-1".into()),
                    vip: true,
                    attributes,
                },
            },
            Entry::Engine { event: Event::Tick },
            Entry::Engine {
                event: Event::AgentNotReady {
                    agent: AgentId(7),
                    reason: hotline_routing::ReasonCode(2),
                },
            },
            Entry::AgentAdded {
                agent: AgentConfig::new(
                    AgentId(7),
                    GroupId(1),
                    vec![(SkillId(2), Proficiency::MAX)],
                ),
            },
            Entry::QueueAdded {
                queue: QueueConfig::new(QueueId(3), SkillId(2)),
            },
            Entry::CountersReset,
        ];
        for entry in entries {
            let json = serde_json::to_string(&entry).unwrap();
            let back: Entry = serde_json::from_str(&json).unwrap();
            assert_eq!(back, entry, "{json}");
        }
        let json = serde_json::to_string(&Entry::Engine {
            event: Event::ContactEnded {
                contact: ContactId(9),
            },
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"type":"engine","event":{"type":"contact-ended","contact":9}}"#
        );
    }
}
