//! Turns the engine's decisions into what the world keeps and sees: contact records,
//! agents' state history and desktop notifications.
//!
//! One record per stay in a queue (a transferred contact has one per queue it visited,
//! numbered by `stay`), written once the stay is over *and* its wrap-up has ended, so the
//! record is complete when it reaches the store. The tracker is rebuilt by the replay like
//! the engine, so a restart loses no half-built record.

use std::collections::HashMap;
use std::sync::Arc;

use hotline_routing::{
    AgentId, AgentState, ContactId, Decision, Engine, Event, Outcome, QueueId, Time,
};
use serde::Serialize;

use super::entry::{ContactDetails, Entry};

/// How a contact ended, as its record keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordOutcome {
    /// Answered by an agent, then ended.
    Answered,
    /// A callback, answered and ended.
    CallbackCompleted,
    /// The customer left before any agent answered (a cancelled callback included).
    Abandoned,
    /// Answered, transferred, and then lost in the next queue.
    TransferredOut,
}

impl RecordOutcome {
    /// The store's value.
    pub const fn to_store(self) -> hotline_store::Outcome {
        match self {
            RecordOutcome::Answered => hotline_store::Outcome::Answered,
            RecordOutcome::CallbackCompleted => hotline_store::Outcome::CallbackCompleted,
            RecordOutcome::Abandoned => hotline_store::Outcome::Abandoned,
            RecordOutcome::TransferredOut => hotline_store::Outcome::TransferredOut,
        }
    }
}

/// One finished contact: the single source for reports. A transferred contact keeps one
/// record, in the queue where it ended, with its waits, talk and wrap-up summed over the
/// queues it visited (listed in `queues`).
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRecord {
    /// The contact.
    pub contact: ContactId,
    /// The queue where it ended.
    pub queue: QueueId,
    /// Every queue it waited in, in order.
    pub queues: Vec<QueueId>,
    /// Channel, customer and attributes.
    pub details: Arc<ContactDetails>,
    /// The last agent who answered it, if any.
    pub agent: Option<AgentId>,
    /// When it first arrived.
    pub arrived_at: Time,
    /// When an agent first answered it.
    pub answered_at: Option<Time>,
    /// When the contact (the conversation or the wait) ended.
    pub ended_at: Time,
    /// When the last agent's wrap-up ended (answered contacts only).
    pub wrap_up_ended_at: Option<Time>,
    /// How it ended.
    pub outcome: RecordOutcome,
    /// Time waiting in queue(s), ring time included.
    pub wait_ms: u64,
    /// Time connected to agents.
    pub talk_ms: u64,
    /// After-contact work, summed over agents.
    pub wrap_up_ms: u64,
    /// Transfers between queues.
    pub transfers: u16,
    /// Offers made (more than one after a reject or a ring-no-answer).
    pub offers: u16,
    /// Offers that rang out.
    pub ring_no_answers: u16,
    /// The highest routing step reached.
    pub routing_level: u16,
    /// A callback was requested.
    pub callback: bool,
    /// Priority points the contact carried.
    pub priority_boost: i32,
}

/// A finished spell of an agent in one displayed state (the agent state history).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spell {
    /// The agent.
    pub agent: AgentId,
    /// The state.
    pub state: AgentState,
    /// Start.
    pub from: Time,
    /// End.
    pub to: Time,
}

/// What an agent's desktop is told. Customer details travel with the offer so the desktop
/// can show who is calling before accepting.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DesktopEvent {
    /// The agent's displayed state changed.
    State {
        /// The new state.
        state: crate::api::dto::AgentStateDto,
    },
    /// A contact rings at the agent.
    Offer {
        /// The contact.
        contact: u64,
        /// Its queue.
        queue: u32,
        /// Call the customer back.
        callback: bool,
        /// Who and how.
        details: ContactDetails,
        /// When it entered the queue.
        entered_queue_at: String,
        /// How long it has waited in this queue, in ms.
        waited_ms: u64,
    },
    /// The offer was withdrawn (caller hung up, contact moved).
    OfferWithdrawn {
        /// The contact.
        contact: u64,
    },
    /// The offer rang out; the agent is now not ready.
    RingNoAnswer {
        /// The contact.
        contact: u64,
    },
    /// Connected.
    Answered {
        /// The contact.
        contact: u64,
        /// Its queue.
        queue: u32,
        /// Wait before the answer, in ms.
        waited_ms: u64,
    },
    /// The contact ended (hang-up or transfer).
    ContactEnded {
        /// The contact.
        contact: u64,
        /// How.
        outcome: RecordOutcome,
    },
    /// After-contact work started.
    WrapUpStarted {
        /// The contact.
        contact: u64,
        /// When a fixed wrap-up ends; absent for manual wrap-up.
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<String>,
    },
    /// After-contact work ended.
    WrapUpEnded {
        /// The contact.
        contact: u64,
    },
}

/// Everything one input produced besides the engine's own state change.
#[derive(Debug, Default)]
pub struct Effects {
    /// Finished contacts.
    pub records: Vec<ContactRecord>,
    /// Finished spells in a state.
    pub spells: Vec<Spell>,
    /// Desktop notifications, per agent.
    pub desktop: Vec<(AgentId, DesktopEvent)>,
    /// The wallboard's figures changed.
    pub wallboard_changed: bool,
}

impl Effects {
    /// True when nothing happened.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
            && self.spells.is_empty()
            && self.desktop.is_empty()
            && !self.wallboard_changed
    }

    /// Moves everything from `other` into `self`.
    pub fn append(&mut self, other: &mut Effects) {
        self.records.append(&mut other.records);
        self.spells.append(&mut other.spells);
        self.desktop.append(&mut other.desktop);
        self.wallboard_changed |= other.wallboard_changed;
    }
}

/// The stay in progress.
#[derive(Clone, Copy, Debug)]
struct Stay {
    entered_at: Time,
}

/// A contact whose record is not finished yet.
#[derive(Clone, Debug)]
struct Open {
    details: Arc<ContactDetails>,
    arrived_at: Time,
    priority_boost: i32,
    /// In a queue (waiting, ringing or connected); `None` once it ended.
    stay: Option<Stay>,
    queues: Vec<QueueId>,
    answered_at: Option<Time>,
    connected_at: Option<Time>,
    agent: Option<AgentId>,
    ended: Option<(Time, RecordOutcome)>,
    wait_ms: u64,
    talk_ms: u64,
    wrap_up_ms: u64,
    transfers: u16,
    offers: u16,
    ring_no_answers: u16,
    level: u16,
    callback: bool,
    /// Wrap-ups still running for it.
    wraps: u16,
    last_wrap_end: Option<Time>,
}

impl Open {
    fn record(&self, contact: ContactId) -> ContactRecord {
        let (ended_at, outcome) = self.ended.expect("only ended contacts are recorded");
        ContactRecord {
            contact,
            queue: *self.queues.last().expect("a contact has a queue"),
            queues: self.queues.clone(),
            details: self.details.clone(),
            agent: self.agent,
            arrived_at: self.arrived_at,
            answered_at: self.answered_at,
            ended_at,
            wrap_up_ended_at: self
                .last_wrap_end
                .filter(|w| self.answered_at.is_some() && *w >= ended_at),
            outcome,
            wait_ms: self.wait_ms,
            talk_ms: self.talk_ms,
            wrap_up_ms: self.wrap_up_ms,
            transfers: self.transfers,
            offers: self.offers,
            ring_no_answers: self.ring_no_answers,
            routing_level: self.level,
            callback: self.callback,
            priority_boost: self.priority_boost,
        }
    }
}

/// The tracker's state; see the module docs.
#[derive(Debug, Default)]
pub struct Tracker {
    contacts: HashMap<ContactId, Open>,
    /// Running wrap-ups: (contact, agent) → when the contact ended for that agent.
    wraps: HashMap<(ContactId, AgentId), Time>,
    /// Each agent's displayed state and since when.
    agents: HashMap<AgentId, (AgentState, Time)>,
    /// Answered stays that ended in this input; their wrap-up is zero unless a
    /// `WrapUpStarted` follows in the same input.
    ended_without_wrap: Vec<(ContactId, AgentId)>,
}

impl Tracker {
    /// Makes room for this many open contacts, so that growing the map (a copy of all
    /// of it) does not happen on the event path.
    pub fn reserve(&mut self, contacts: usize) {
        self.contacts
            .reserve(contacts.saturating_sub(self.contacts.len()));
    }

    /// The details of a contact not yet recorded (live or in wrap-up).
    pub fn details(&self, contact: ContactId) -> Option<&Arc<ContactDetails>> {
        self.contacts.get(&contact).map(|c| &c.details)
    }

    /// When the live contact entered its current queue and when it first arrived.
    pub fn times(&self, contact: ContactId) -> Option<(Time, Time)> {
        let c = self.contacts.get(&contact)?;
        c.stay.map(|s| (s.entered_at, c.arrived_at))
    }

    /// When the contact's current conversation started (`None` before an agent
    /// answered) and whether it is a callback, for the agent's desktop.
    pub fn conversation(&self, contact: ContactId) -> Option<(Option<Time>, bool)> {
        let c = self.contacts.get(&contact)?;
        Some((c.connected_at, c.callback))
    }

    /// An agent's displayed state and since when; `None` for an agent who has not
    /// changed state since the log started (logged out).
    pub fn agent_since(&self, agent: AgentId) -> Option<(AgentState, Time)> {
        self.agents.get(&agent).copied()
    }

    /// Contacts whose record is not finished (live or in wrap-up).
    pub fn open(&self) -> usize {
        self.contacts.len()
    }

    /// Records what `entry` applied at `at` produced in `decisions`.
    pub fn observe(
        &mut self,
        at: Time,
        entry: &Entry,
        decisions: &[Decision],
        engine: &Engine,
        out: &mut Effects,
    ) {
        match entry {
            Entry::Arrived {
                contact,
                queue,
                priority_boost,
                details,
            } => {
                self.contacts.insert(
                    *contact,
                    Open {
                        details: Arc::new(details.clone()),
                        arrived_at: at,
                        priority_boost: *priority_boost,
                        stay: Some(Stay { entered_at: at }),
                        queues: vec![*queue],
                        answered_at: None,
                        connected_at: None,
                        agent: None,
                        ended: None,
                        wait_ms: 0,
                        talk_ms: 0,
                        wrap_up_ms: 0,
                        transfers: 0,
                        offers: 0,
                        ring_no_answers: 0,
                        level: 0,
                        callback: false,
                        wraps: 0,
                        last_wrap_end: None,
                    },
                );
                out.wallboard_changed = true;
            }
            Entry::Engine {
                event: Event::CallbackRequested { contact },
            } => {
                if let Some(c) = self.contacts.get_mut(contact) {
                    c.callback = true;
                }
                out.wallboard_changed = true;
            }
            Entry::Engine { event: Event::Tick } => {}
            _ => out.wallboard_changed = true,
        }
        for d in decisions {
            self.decision(at, d, engine, out);
        }
        for (contact, agent) in std::mem::take(&mut self.ended_without_wrap) {
            self.end_wrap(at, contact, agent, out);
        }
    }

    fn end_wrap(&mut self, at: Time, contact: ContactId, agent: AgentId, out: &mut Effects) {
        let Some(started) = self.wraps.remove(&(contact, agent)) else {
            return;
        };
        let Some(c) = self.contacts.get_mut(&contact) else {
            return;
        };
        c.wrap_up_ms += at.since(started).as_millis();
        c.wraps = c.wraps.saturating_sub(1);
        c.last_wrap_end = Some(c.last_wrap_end.map_or(at, |w| w.max(at)));
        self.finish_if_done(contact, out);
    }

    fn finish_if_done(&mut self, contact: ContactId, out: &mut Effects) {
        if let Some(c) = self.contacts.get(&contact) {
            if c.ended.is_some() && c.wraps == 0 {
                out.records.push(c.record(contact));
                self.contacts.remove(&contact);
            }
        }
    }

    fn decision(&mut self, at: Time, d: &Decision, engine: &Engine, out: &mut Effects) {
        match *d {
            Decision::ContactQueued { .. } => out.wallboard_changed = true,
            Decision::RoutingStepReached { contact, level, .. } => {
                if let Some(c) = self.contacts.get_mut(&contact) {
                    c.level = c.level.max(level);
                }
            }
            Decision::Offer {
                contact,
                agent,
                queue,
                callback,
            } => {
                out.wallboard_changed = true;
                let Some(c) = self.contacts.get_mut(&contact) else {
                    return;
                };
                c.offers = c.offers.saturating_add(1);
                if let Some(view) = engine.contact(contact) {
                    c.level = c.level.max(view.level);
                }
                let entered = c.stay.map_or(at, |s| s.entered_at);
                out.desktop.push((
                    agent,
                    DesktopEvent::Offer {
                        contact: contact.0,
                        queue: queue.0,
                        callback,
                        details: (*c.details).clone(),
                        entered_queue_at: crate::api::dto::rfc3339(entered),
                        waited_ms: at.since(entered).as_millis(),
                    },
                ));
            }
            Decision::ContactAnswered {
                contact,
                agent,
                queue,
                waited,
            } => {
                if let Some(c) = self.contacts.get_mut(&contact) {
                    c.answered_at.get_or_insert(at);
                    c.connected_at = Some(at);
                    c.agent = Some(agent);
                }
                out.desktop.push((
                    agent,
                    DesktopEvent::Answered {
                        contact: contact.0,
                        queue: queue.0,
                        waited_ms: waited.as_millis(),
                    },
                ));
            }
            Decision::OfferWithdrawn { contact, agent } => {
                out.desktop
                    .push((agent, DesktopEvent::OfferWithdrawn { contact: contact.0 }));
            }
            Decision::RingNoAnswer { agent, contact } => {
                if let Some(c) = self.contacts.get_mut(&contact) {
                    c.ring_no_answers = c.ring_no_answers.saturating_add(1);
                }
                out.desktop
                    .push((agent, DesktopEvent::RingNoAnswer { contact: contact.0 }));
            }
            Decision::ContactEnded {
                contact,
                agent,
                outcome,
                waited,
                ..
            } => {
                out.wallboard_changed = true;
                let Some(c) = self.contacts.get_mut(&contact) else {
                    return;
                };
                c.wait_ms += waited.as_millis();
                if let Some(since) = c.connected_at.take() {
                    c.talk_ms += at.since(since).as_millis();
                }
                let shown = match outcome {
                    Outcome::TransferredOut { to, .. } => {
                        c.transfers = c.transfers.saturating_add(1);
                        c.stay = Some(Stay { entered_at: at });
                        c.queues.push(to);
                        RecordOutcome::TransferredOut
                    }
                    Outcome::Completed => RecordOutcome::Answered,
                    Outcome::CallbackCompleted => RecordOutcome::CallbackCompleted,
                    Outcome::Abandoned if c.answered_at.is_some() => RecordOutcome::TransferredOut,
                    Outcome::Abandoned => RecordOutcome::Abandoned,
                };
                if !matches!(outcome, Outcome::TransferredOut { .. }) {
                    c.stay = None;
                    c.ended = Some((at, shown));
                }
                if let Some(agent) = agent {
                    c.wraps += 1;
                    self.wraps.insert((contact, agent), at);
                    self.ended_without_wrap.push((contact, agent));
                    out.desktop.push((
                        agent,
                        DesktopEvent::ContactEnded {
                            contact: contact.0,
                            outcome: shown,
                        },
                    ));
                } else {
                    self.finish_if_done(contact, out);
                }
            }
            Decision::WrapUpStarted {
                agent,
                contact,
                until,
            } => {
                self.ended_without_wrap
                    .retain(|&(c, a)| !(c == contact && a == agent));
                out.desktop.push((
                    agent,
                    DesktopEvent::WrapUpStarted {
                        contact: contact.0,
                        until: until.map(crate::api::dto::rfc3339),
                    },
                ));
            }
            Decision::WrapUpEnded { agent, contact } => {
                self.end_wrap(at, contact, agent, out);
                out.desktop
                    .push((agent, DesktopEvent::WrapUpEnded { contact: contact.0 }));
            }
            Decision::AgentStateChanged { agent, state } => {
                out.wallboard_changed = true;
                if let Some((previous, since)) = self.agents.insert(agent, (state, at)) {
                    if since < at {
                        out.spells.push(Spell {
                            agent,
                            state: previous,
                            from: since,
                            to: at,
                        });
                    }
                }
                out.desktop.push((
                    agent,
                    DesktopEvent::State {
                        state: crate::api::dto::AgentStateDto::from(state),
                    },
                ));
            }
        }
    }
}
