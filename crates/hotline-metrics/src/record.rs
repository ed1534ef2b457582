//! The record model every import produces and every report reads: one contact record
//! per queued contact, and agent state intervals.
//!
//! Fields mirror `hotline-store`'s `ContactRecord` and agent-state rows (same units,
//! same outcome and state names, same invariants) so that storing an import is a
//! field-by-field copy; here queues, agents and teams are names, since an import
//! meets them before the store has resolved them to ids.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::time::{DurationMs, TimestampMs};

/// Longest contact or customer id, in characters (as in the store).
pub const MAX_ID_CHARS: usize = 128;

/// Defines a closed enum written as snake_case text, with parsing that names the
/// allowed values.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The written name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value named `text` (exactly, as written by [`Self::as_str`]).
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// "one of: a, b, c".
            pub fn allowed() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                format!("one of: {}", names.join(", "))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// The medium of a contact.
    Channel {
        /// Phone call.
        Voice = "voice",
        /// Web chat.
        Chat = "chat",
        /// Email.
        Email = "email",
        /// Messaging apps and SMS.
        Messaging = "messaging",
        /// Video call.
        Video = "video",
    }
);

text_enum!(
    /// How a contact ended.
    Outcome {
        /// An agent answered it and it ended normally.
        Answered = "answered",
        /// The customer hung up (or left the chat) before an agent answered.
        Abandoned = "abandoned",
        /// The customer took a callback and an agent completed it.
        CallbackCompleted = "callback_completed",
        /// Left the queue for another destination: after an answer when `answered_at`
        /// is set (the agent transferred it out), else a flow-out (queue timeout, no
        /// agents, the caller pressed a key to leave — the reason in
        /// `attributes.queue_exit`).
        TransferredOut = "transferred_out",
        /// Still open when the record was written (a shutdown, a lost adapter).
        Unfinished = "unfinished",
    }
);

text_enum!(
    /// An agent's state, for time-in-state, occupancy, utilisation and shrinkage.
    AgentState {
        /// Not logged in.
        LoggedOut = "logged_out",
        /// Logged in and waiting for a contact.
        Ready = "ready",
        /// Logged in, taking no contacts (the interval's reason says why).
        NotReady = "not_ready",
        /// An offer is ringing on the desktop.
        Reserved = "reserved",
        /// Handling a contact.
        Busy = "busy",
        /// After-contact work.
        WrapUp = "wrap_up",
    }
);

impl AgentState {
    /// Whether the agent is logged in during this state.
    pub fn logged_in(self) -> bool {
        !matches!(self, AgentState::LoggedOut)
    }

    /// Whether the time counts as spent on contacts (occupancy's and utilisation's
    /// numerator): busy, wrap-up and reserved (an offer ringing blocks other offers).
    pub fn on_contact(self) -> bool {
        matches!(
            self,
            AgentState::Busy | AgentState::WrapUp | AgentState::Reserved
        )
    }
}

/// One queued contact, finished (or explicitly unfinished). Times in milliseconds
/// since the Unix epoch, durations in milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// The contact's id, unique; re-importing the same file yields the same ids.
    pub contact_id: String,
    /// The queue (skill, service type) it waited in — the last one after transfers.
    pub queue: String,
    /// Its medium.
    pub channel: Channel,
    /// The customer's id or number; empty when unknown.
    pub customer: String,
    /// The agent who handled it, if any.
    pub agent: Option<String>,
    /// The agent's team, when the source says so (a report can also map agents to
    /// teams).
    pub team: Option<String>,
    /// When it entered the queue (not the IVR).
    pub arrived_at: TimestampMs,
    /// When an agent answered it.
    pub answered_at: Option<TimestampMs>,
    /// When the conversation (or the wait) ended.
    pub ended_at: TimestampMs,
    /// When the agent's after-contact work ended.
    pub wrap_up_end_at: Option<TimestampMs>,
    /// How it ended.
    pub outcome: Outcome,
    /// Time waiting in queue.
    pub wait: DurationMs,
    /// Time talking with an agent, hold excluded.
    pub talk: DurationMs,
    /// Time on hold.
    pub hold: DurationMs,
    /// After-contact work.
    pub wrap_up: DurationMs,
    /// How many times it was transferred.
    pub transfers: u32,
    /// Other facts (`{"vip": true, "vru_s": 12}`), as in the store's JSON column.
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// A broken record invariant: which field, its value, what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The record field.
    pub field: &'static str,
    /// Its value, as text.
    pub value: String,
    /// What would have been accepted.
    pub allowed: String,
}

impl ContactRecord {
    /// Handle time: talk + hold + after-contact work.
    pub fn handle(&self) -> DurationMs {
        DurationMs(self.talk.0 + self.hold.0 + self.wrap_up.0)
    }

    /// Checks the invariants the store enforces, so an import rejects a row here with
    /// its line number rather than failing a whole batch later.
    pub fn check(&self) -> Result<(), FieldError> {
        let err = |field, value: String, allowed: String| {
            Err(FieldError {
                field,
                value,
                allowed,
            })
        };
        for (field, v) in [("contact_id", &self.contact_id), ("queue", &self.queue)] {
            if v.is_empty() || v.chars().count() > MAX_ID_CHARS || v.chars().any(char::is_control) {
                return err(
                    field,
                    v.clone(),
                    format!("1 to {MAX_ID_CHARS} characters, no control characters"),
                );
            }
        }
        if too_long(&self.customer) || has_control(&self.customer) {
            return err(
                "customer",
                self.customer.clone(),
                format!("0 to {MAX_ID_CHARS} characters, no control characters"),
            );
        }
        let not_before = |field, t: TimestampMs, other: &str, o: TimestampMs| {
            if t < o {
                err(
                    field,
                    t.to_string(),
                    format!("a time not before {other} ({o})"),
                )
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
                return err(
                    "wrap_up_end_at",
                    w.to_string(),
                    "empty for a contact no agent answered".into(),
                );
            }
        }
        match self.outcome {
            Outcome::Answered | Outcome::CallbackCompleted => {
                if self.answered_at.is_none() || self.agent.is_none() {
                    return err(
                        "outcome",
                        self.outcome.to_string(),
                        "answered or callback_completed only with answered_at and agent set".into(),
                    );
                }
            }
            Outcome::Abandoned => {
                if self.answered_at.is_some() {
                    return err(
                        "outcome",
                        self.outcome.to_string(),
                        "abandoned only for a contact no agent answered (answered_at empty)".into(),
                    );
                }
            }
            Outcome::TransferredOut | Outcome::Unfinished => {}
        }
        for (field, d) in [
            ("wait", self.wait),
            ("talk", self.talk),
            ("hold", self.hold),
            ("wrap_up", self.wrap_up),
        ] {
            if d.0 < 0 {
                return err(field, d.0.to_string(), "a duration ≥ 0".into());
            }
        }
        Ok(())
    }
}

/// More than [`MAX_ID_CHARS`] characters (counted only when the bytes could be).
fn too_long(s: &str) -> bool {
    s.len() > MAX_ID_CHARS && s.chars().count() > MAX_ID_CHARS
}

/// A control character (C0, DEL or C1); C1 is only possible after a 0xC2 byte.
fn has_control(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) && s.chars().any(char::is_control)
}

/// A spell of one agent in one state, `[from, to)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStateInterval {
    /// The agent.
    pub agent: String,
    /// The agent's team, when the source says so.
    pub team: Option<String>,
    /// The state.
    pub state: AgentState,
    /// Why (the not-ready reason); `None` when the state needs none or none was given.
    pub reason: Option<String>,
    /// Start (inclusive).
    pub from: TimestampMs,
    /// End (exclusive).
    pub to: TimestampMs,
}

impl AgentStateInterval {
    /// Its length.
    pub fn duration(&self) -> DurationMs {
        self.to.since(self.from)
    }
}
