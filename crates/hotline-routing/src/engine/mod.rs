//! The engine: state, event handling and queries.
//!
//! Layout: contacts live in a slab ([`contact`]), agents and queues in vectors indexed by
//! their dense ids, ready agents in an ordered index per skill and proficiency
//! ([`index`]), waiting contacts in per-queue lines split by step level and boost
//! ([`queue`]), and every timer in one heap ([`timers`]). Each event touches a bounded
//! number of these structures: no scan over all agents, queues or contacts.

mod admin;
mod agent;
mod contact;
mod ewt;
mod hash;
mod index;
mod queue;
mod stats;
mod timers;

use std::cmp::Reverse;

use self::agent::{AgentRt, Held};
use self::contact::{ContactRec, Contacts, Where};
use self::index::ReadyIndex;
use self::queue::QueueRt;
use self::timers::{Timer, TimerKind, Timers};
use crate::config::{RoutingConfig, WrapUp};
use crate::decision::{AgentState, Decision, Outcome, Presence};
use crate::error::{ConfigError, RoutingError};
use crate::event::Event;
use crate::ids::{AgentId, ContactId, QueueId, ReasonCode};
use crate::time::{Span, Time};
use crate::view::{AgentView, ContactView, HeldContact, Phase};

/// The routing engine. Own it in one place (the server's routing task, the simulator's
/// loop) and feed it events in time order.
#[derive(Clone, Debug)]
pub struct Engine {
    config: RoutingConfig,
    now: Time,
    decisions: Vec<Decision>,
    queues: Vec<Option<QueueRt>>,
    agents: Vec<Option<AgentRt>>,
    index: ReadyIndex,
    lookup: admin::QueueLookup,
    contacts: Contacts,
    timers: Timers,
    next_token: u64,
    next_seq: u64,
    /// Reused buffers, so a `Tick` does not allocate.
    due: Vec<Timer>,
    /// Contacts in line waiting to be settled, and whether to announce them as queued.
    pending: Vec<(u32, bool)>,
}

impl Engine {
    /// Builds an engine from a validated configuration; every agent starts logged out.
    pub fn new(config: RoutingConfig) -> Result<Engine, ConfigError> {
        config.validate()?;
        let mut engine = Engine {
            config: RoutingConfig::default(),
            now: Time::ZERO,
            decisions: Vec::new(),
            queues: Vec::new(),
            agents: Vec::new(),
            index: ReadyIndex::default(),
            lookup: admin::QueueLookup::default(),
            contacts: Contacts::default(),
            timers: Timers::default(),
            next_token: 0,
            next_seq: 0,
            due: Vec::new(),
            pending: Vec::new(),
        };
        for q in &config.queues {
            engine.put_queue(QueueRt::new(q, config.ewt_window));
        }
        for a in &config.agents {
            engine.put_agent(admin::new_agent(a));
        }
        engine.config = config;
        engine.rebuild();
        Ok(engine)
    }

    /// Applies one event at `now` and returns the decisions it caused, in order. The slice
    /// borrows an internal buffer reused by the next call.
    ///
    /// `now` must not be earlier than the `now` of any previous call. An invalid event
    /// (unknown id, wrong state) returns an error and leaves the engine unchanged.
    pub fn handle(&mut self, event: Event, now: Time) -> Result<&[Decision], RoutingError> {
        self.check_time(now)?;
        self.validate(&event)?;
        self.now = now;
        self.decisions.clear();
        self.apply(event);
        self.drop_stale_timers();
        Ok(&self.decisions)
    }

    /// The earliest time at which an [`Event::Tick`] has something to do (a ring timeout,
    /// the end of a fixed wrap-up, a routing step), or `None`.
    pub fn next_deadline(&self) -> Option<Time> {
        self.timers.peek().map(|t| Time::from_millis(t.at))
    }

    /// The latest `now` the engine has seen.
    pub fn now(&self) -> Time {
        self.now
    }

    /// The configuration in force (including run-time changes).
    pub fn config(&self) -> &RoutingConfig {
        &self.config
    }

    /// An agent's displayed state; `None` for an unknown agent.
    pub fn agent_state(&self, agent: AgentId) -> Option<AgentState> {
        self.agent_rt(agent).map(AgentRt::state)
    }

    /// An agent's full live state.
    pub fn agent(&self, agent: AgentId) -> Option<AgentView> {
        self.agent_rt(agent).map(|a| AgentView {
            id: a.id,
            group: a.group,
            state: a.state(),
            presence: a.presence,
            slots: a.slots,
            contacts: a
                .held
                .iter()
                .map(|h| HeldContact {
                    contact: h.contact,
                    queue: h.queue,
                    phase: h.phase,
                })
                .collect(),
            available_since: a.ready_key.map(|_| a.available_since),
            contacts_accepted: a.accepted,
        })
    }

    /// Every configured agent, by ascending id.
    pub fn agents(&self) -> impl Iterator<Item = AgentView> + '_ {
        self.agents
            .iter()
            .flatten()
            .filter_map(|a| self.agent(a.id))
    }

    /// A live contact (waiting, ringing or connected).
    pub fn contact(&self, contact: ContactId) -> Option<ContactView> {
        self.contacts
            .slot(contact)
            .map(|slot| self.contacts.get(slot).view())
    }

    /// Every live contact (waiting, ringing, connected), in a deterministic order.
    pub fn contacts(&self) -> impl Iterator<Item = ContactView> + '_ {
        self.contacts.live().map(ContactRec::view)
    }

    /// Live contacts (waiting, ringing, connected).
    pub fn live_contacts(&self) -> usize {
        self.contacts.len()
    }

    /// Contacts waiting in all queues.
    pub fn waiting(&self) -> usize {
        self.queues
            .iter()
            .flatten()
            .map(|q| q.waiting as usize)
            .sum()
    }

    /// Makes room for this many live contacts in total, so that growing the contact
    /// store (a copy of everything in it) does not happen on the event path later. A
    /// server expecting a peak of 50,000 live contacts calls `reserve(50_000)` at start.
    pub fn reserve(&mut self, contacts: usize) {
        self.contacts.reserve(contacts);
    }

    /// Pending timer entries, cancelled ones included (they are dropped lazily); for
    /// diagnostics and benchmarks.
    pub fn timer_entries(&self) -> usize {
        self.timers.len()
    }

    fn check_time(&self, now: Time) -> Result<(), RoutingError> {
        if now < self.now {
            return Err(RoutingError::TimeWentBackwards {
                now,
                last: self.now,
            });
        }
        Ok(())
    }

    // ----- lookups -------------------------------------------------------------------

    fn agent_rt(&self, id: AgentId) -> Option<&AgentRt> {
        self.agents.get(id.index()).and_then(Option::as_ref)
    }

    fn queue_rt(&self, id: QueueId) -> Option<&QueueRt> {
        self.queues.get(id.index()).and_then(Option::as_ref)
    }

    fn ag(&mut self, id: AgentId) -> &mut AgentRt {
        self.agents[id.index()]
            .as_mut()
            .expect("agent validated before use")
    }

    fn qu(&mut self, id: QueueId) -> &mut QueueRt {
        self.queues[id.index()]
            .as_mut()
            .expect("queue validated before use")
    }

    fn put_queue(&mut self, q: QueueRt) {
        let i = q.id.index();
        if self.queues.len() <= i {
            self.queues.resize_with(i + 1, || None);
        }
        self.queues[i] = Some(q);
    }

    fn put_agent(&mut self, a: AgentRt) {
        let i = a.id.index();
        if self.agents.len() <= i {
            self.agents.resize_with(i + 1, || None);
        }
        self.agents[i] = Some(a);
    }

    fn token(&mut self) -> u64 {
        self.next_token += 1;
        self.next_token
    }

    fn emit(&mut self, d: Decision) {
        self.decisions.push(d);
    }

    fn wrap_policy(&self, q: QueueId) -> WrapUp {
        self.queue_rt(q)
            .and_then(|q| q.wrap_up)
            .unwrap_or(self.config.wrap_up)
    }

    fn short_abandon(&self, q: &QueueRt) -> Span {
        self.config.short_abandon.unwrap_or(q.service_level)
    }

    // ----- validation (no mutation) ---------------------------------------------------

    fn contact_slot(&self, id: ContactId) -> Result<u32, RoutingError> {
        self.contacts
            .slot(id)
            .ok_or(RoutingError::UnknownContact(id))
    }

    fn known_agent(&self, id: AgentId) -> Result<&AgentRt, RoutingError> {
        self.agent_rt(id).ok_or(RoutingError::UnknownAgent(id))
    }

    fn validate(&self, event: &Event) -> Result<(), RoutingError> {
        let contact_state = |contact: ContactId, state: &'static str| RoutingError::ContactState {
            contact,
            event: event.name(),
            state,
        };
        let agent_state = |a: &AgentRt| RoutingError::AgentState {
            agent: a.id,
            event: event.name(),
            state: a.state().name(),
        };
        match *event {
            Event::ContactArrived { contact, queue, .. } => {
                self.queue_rt(queue)
                    .ok_or(RoutingError::UnknownQueue(queue))?;
                if self.contacts.slot(contact).is_some() {
                    return Err(RoutingError::DuplicateContact(contact));
                }
            }
            Event::ContactAbandoned { contact } => {
                let c = self.contacts.get(self.contact_slot(contact)?);
                if let Where::Connected(_) = c.at {
                    return Err(contact_state(contact, c.at.name()));
                }
            }
            Event::CallbackRequested { contact } => {
                let c = self.contacts.get(self.contact_slot(contact)?);
                if c.at != Where::Waiting {
                    return Err(contact_state(contact, c.at.name()));
                }
                if c.callback {
                    return Err(contact_state(contact, "already a waiting callback"));
                }
            }
            Event::ContactTransferred { contact, to } => {
                let c = self.contacts.get(self.contact_slot(contact)?);
                self.queue_rt(to).ok_or(RoutingError::UnknownQueue(to))?;
                if c.queue == to && !matches!(c.at, Where::Connected(_)) {
                    return Err(contact_state(contact, "already in the target queue"));
                }
            }
            Event::ContactEnded { contact } => {
                let c = self.contacts.get(self.contact_slot(contact)?);
                if !matches!(c.at, Where::Connected(_)) {
                    return Err(contact_state(contact, c.at.name()));
                }
            }
            Event::AgentLoggedIn { agent } => {
                let a = self.known_agent(agent)?;
                if a.presence != Presence::LoggedOut {
                    return Err(agent_state(a));
                }
            }
            Event::AgentLoggedOut { agent } => {
                let a = self.known_agent(agent)?;
                if a.presence == Presence::LoggedOut
                    || a.held.iter().any(|h| h.phase == Phase::Connected)
                {
                    return Err(agent_state(a));
                }
            }
            Event::AgentReady { agent } | Event::AgentNotReady { agent, .. } => {
                let a = self.known_agent(agent)?;
                if a.presence == Presence::LoggedOut {
                    return Err(agent_state(a));
                }
            }
            Event::OfferAccepted { agent, contact } | Event::OfferRejected { agent, contact } => {
                self.known_agent(agent)?;
                let c = self.contacts.get(self.contact_slot(contact)?);
                if c.at != Where::Offered(agent) {
                    return Err(RoutingError::NoSuchOffer { agent, contact });
                }
            }
            Event::WrapUpDone { agent, contact } => {
                let a = self.known_agent(agent)?;
                if a.held_index(contact, Phase::WrapUp).is_none() {
                    return Err(RoutingError::NotInWrapUp { agent, contact });
                }
            }
            Event::Tick => {}
        }
        Ok(())
    }

    // ----- application (validated; infallible) ---------------------------------------

    fn apply(&mut self, event: Event) {
        match event {
            Event::ContactArrived {
                contact,
                queue,
                priority_boost,
            } => self.arrive(contact, queue, priority_boost),
            Event::ContactAbandoned { contact } => self.abandon(contact),
            Event::CallbackRequested { contact } => self.request_callback(contact),
            Event::ContactTransferred { contact, to } => self.transfer(contact, to),
            Event::ContactEnded { contact } => self.end_contact(contact),
            Event::AgentLoggedIn { agent } => {
                self.set_presence(agent, Presence::NotReady(ReasonCode::LOGGED_IN));
                self.announce(agent);
            }
            Event::AgentLoggedOut { agent } => self.log_out(agent),
            Event::AgentReady { agent } => {
                self.set_presence(agent, Presence::Ready);
                self.fill(agent);
                self.announce(agent);
            }
            Event::AgentNotReady { agent, reason } => {
                self.set_presence(agent, Presence::NotReady(reason));
                self.reindex(agent);
                self.announce(agent);
            }
            Event::OfferAccepted { agent, contact } => self.accept(agent, contact),
            Event::OfferRejected { agent, contact } => {
                self.take_back_offer(agent, contact, ReasonCode::REJECTED, false);
            }
            Event::WrapUpDone { agent, contact } => {
                let i = self
                    .ag(agent)
                    .held_index(contact, Phase::WrapUp)
                    .expect("validated");
                self.end_wrap(agent, i);
                self.fill(agent);
                self.announce(agent);
            }
            Event::Tick => self.tick(),
        }
    }

    fn arrive(&mut self, id: ContactId, queue: QueueId, boost: i32) {
        let now = self.now;
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = self.contacts.insert(ContactRec {
            id,
            queue,
            at: Where::Waiting,
            callback: false,
            boost,
            place: now,
            seq,
            entered: now,
            answered_at: None,
            level: 0,
            step_token: 0,
        });
        self.qu(queue).counters.entered += 1;
        self.place(slot);
    }

    /// Routes a contact that is not in line: to the best ready agent, else into line.
    fn place(&mut self, slot: u32) {
        let (queue, level) = {
            let c = self.contacts.get(slot);
            (c.queue, c.level)
        };
        match self.best_agent(queue, level) {
            Some(agent) => self.offer(slot, agent),
            None => {
                self.line_insert(slot);
                self.schedule_step(slot);
                let c = self.contacts.get(slot);
                let d = Decision::ContactQueued {
                    contact: c.id,
                    queue,
                    callback: c.callback,
                };
                self.emit(d);
            }
        }
    }

    /// Routes contacts that are already in line, best score first, so that when several
    /// compete for one agent the agent gets the one it would have picked itself.
    fn settle_pending(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        let now = self.now.as_millis();
        if pending.len() > 1 {
            pending.sort_unstable_by_key(|&(slot, _)| {
                let c = self.contacts.get(slot);
                let q = self.queue_rt(c.queue).expect("live contact's queue exists");
                (Reverse(q.score(c.boost, c.place.as_millis(), now)), c.seq)
            });
        }
        for &(slot, announce) in &pending {
            let (at, queue, level, id, callback) = {
                let c = self.contacts.get(slot);
                (c.at, c.queue, c.level, c.id, c.callback)
            };
            if at != Where::Waiting {
                continue;
            }
            match self.best_agent(queue, level) {
                Some(agent) => {
                    self.line_remove(slot);
                    self.offer(slot, agent);
                }
                None => {
                    if self.contacts.get(slot).step_token == 0 {
                        self.schedule_step(slot);
                    }
                    if announce {
                        self.emit(Decision::ContactQueued {
                            contact: id,
                            queue,
                            callback,
                        });
                    }
                }
            }
        }
        pending.clear();
        self.pending = pending;
    }

    fn best_agent(&self, queue: QueueId, level: u16) -> Option<AgentId> {
        let q = self.queue_rt(queue)?;
        self.index.best(
            &q.levels[usize::from(level)],
            self.config.agent_selection,
            q.rr_last,
            &self.agents,
        )
    }

    /// The waiting contact an agent takes: the highest score over every queue it serves at
    /// the contact's level, ties by earliest place.
    fn best_contact(&self, agent: &AgentRt) -> Option<u32> {
        let now = self.now.as_millis();
        let mut best: Option<(i64, u64, u32)> = None;
        for &(qid, min_level) in &agent.candidates {
            let Some(q) = self.queue_rt(qid) else {
                continue;
            };
            if q.waiting == 0 {
                continue;
            }
            for class in &q.classes {
                if class.level < min_level {
                    continue;
                }
                if let Some(h) = class.head {
                    let score = q.score(class.boost, h.place_ms, now);
                    if best.is_none_or(|(s, sq, _)| score > s || (score == s && h.seq < sq)) {
                        best = Some((score, h.seq, h.slot));
                    }
                }
            }
        }
        best.map(|(_, _, slot)| slot)
    }

    /// While the agent is ready with a free slot, gives it the best waiting contact.
    fn fill(&mut self, agent: AgentId) {
        loop {
            let a = self.agents[agent.index()].as_ref().expect("validated");
            if !a.is_available() {
                break;
            }
            match self.best_contact(a) {
                Some(slot) => {
                    self.line_remove(slot);
                    self.offer(slot, agent);
                }
                None => break,
            }
        }
        self.reindex(agent);
    }

    fn line_insert(&mut self, slot: u32) {
        let c = self.contacts.get_mut(slot);
        c.at = Where::Waiting;
        let (queue, level, boost, seq, place, callback, out_of_order) = (
            c.queue,
            c.level,
            c.boost,
            c.seq,
            c.place,
            c.callback,
            c.place != c.entered,
        );
        let q = self.qu(queue);
        q.insert(level, boost, seq, slot, place.as_millis());
        q.waiting_callbacks += u32::from(callback);
        q.waiting_out_of_order += u32::from(out_of_order);
    }

    fn line_remove(&mut self, slot: u32) {
        let c = self.contacts.get_mut(slot);
        c.step_token = 0;
        let (queue, level, boost, seq, callback, out_of_order) = (
            c.queue,
            c.level,
            c.boost,
            c.seq,
            c.callback,
            c.place != c.entered,
        );
        let q = self.qu(queue);
        q.remove(level, boost, seq);
        q.waiting_callbacks -= u32::from(callback);
        q.waiting_out_of_order -= u32::from(out_of_order);
    }

    fn schedule_step(&mut self, slot: u32) {
        let c = self.contacts.get(slot);
        let next = usize::from(c.level) + 1;
        let q = self.queue_rt(c.queue).expect("live contact's queue exists");
        if let Some(level) = q.levels.get(next) {
            let at = (c.entered + level.after).as_millis();
            let token = self.token();
            self.contacts.get_mut(slot).step_token = token;
            self.timers.push(at, token, TimerKind::Step(slot));
        }
    }

    fn offer(&mut self, slot: u32, agent: AgentId) {
        let auto = self.config.auto_accept;
        let token = self.token();
        let now = self.now;
        let c = self.contacts.get_mut(slot);
        c.step_token = 0;
        c.at = if auto {
            Where::Connected(agent)
        } else {
            Where::Offered(agent)
        };
        let (id, queue, callback) = (c.id, c.queue, c.callback);
        self.ag(agent).held.push(Held {
            contact: id,
            slot,
            queue,
            phase: if auto {
                Phase::Connected
            } else {
                Phase::Offered
            },
            token,
            answered_at: now,
        });
        self.qu(queue).rr_last = Some(agent);
        self.emit(Decision::Offer {
            contact: id,
            agent,
            queue,
            callback,
        });
        if auto {
            self.answered(slot, agent);
        } else {
            self.qu(queue).ringing += 1;
            if let Some(ring) = self.config.ring_timeout {
                self.timers
                    .push((now + ring).as_millis(), token, TimerKind::Ring(agent.0));
            }
        }
        self.reindex(agent);
        self.announce(agent);
    }

    /// Books an answer: counters, the agent's accepted count, the decision.
    fn answered(&mut self, slot: u32, agent: AgentId) {
        let now = self.now;
        let c = self.contacts.get_mut(slot);
        c.answered_at = Some(now);
        let (id, queue, callback, waited) = (c.id, c.queue, c.callback, now - c.entered);
        let q = self.qu(queue);
        q.connected += 1;
        if callback {
            q.counters.callbacks_answered += 1;
        } else {
            q.counters.answered += 1;
            q.counters.offered += 1;
            q.counters.wait_ms += waited.as_millis();
            if waited <= q.service_level {
                q.counters.answered_within += 1;
            }
        }
        self.ag(agent).accepted += 1;
        self.emit(Decision::ContactAnswered {
            contact: id,
            agent,
            queue,
            waited,
        });
    }

    fn accept(&mut self, agent: AgentId, contact: ContactId) {
        let slot = self.contacts.slot(contact).expect("validated");
        let now = self.now;
        let a = self.ag(agent);
        let i = a.held_index(contact, Phase::Offered).expect("validated");
        a.held[i].phase = Phase::Connected;
        a.held[i].answered_at = now;
        self.contacts.get_mut(slot).at = Where::Connected(agent);
        let queue = self.contacts.get(slot).queue;
        self.qu(queue).ringing -= 1;
        self.answered(slot, agent);
        self.reindex(agent);
        self.announce(agent);
    }

    /// Removes a ringing offer from its agent (the contact's state is the caller's job).
    fn withdraw(&mut self, agent: AgentId, contact: ContactId, announce: bool) {
        let now = self.now;
        let a = self.ag(agent);
        let i = a
            .held_index(contact, Phase::Offered)
            .expect("offered contact is held");
        let held = a.held.remove(i);
        a.available_since = now;
        self.qu(held.queue).ringing -= 1;
        if announce {
            self.emit(Decision::OfferWithdrawn { contact, agent });
        }
    }

    /// Ring-no-answer or rejection: the agent goes not ready, the contact back to its place.
    fn take_back_offer(
        &mut self,
        agent: AgentId,
        contact: ContactId,
        reason: ReasonCode,
        rang_out: bool,
    ) {
        let slot = self.contacts.slot(contact).expect("validated");
        self.withdraw(agent, contact, false);
        if rang_out {
            self.emit(Decision::RingNoAnswer { agent, contact });
        }
        self.set_presence(agent, Presence::NotReady(reason));
        self.reindex(agent);
        self.announce(agent);
        self.requeue(slot);
        self.settle_pending();
    }

    /// Puts a contact that was taken out of line back at its old place (same place, same
    /// sequence, same queue entry; the step level catches up with the time in queue) and
    /// marks it for settling.
    fn requeue(&mut self, slot: u32) {
        let now = self.now;
        let c = self.contacts.get(slot);
        let (queue, id, old) = (c.queue, c.id, c.level);
        let level = self
            .queue_rt(queue)
            .expect("live contact's queue exists")
            .level_after(now - c.entered);
        self.contacts.get_mut(slot).level = level;
        if level > old {
            self.emit(Decision::RoutingStepReached {
                contact: id,
                queue,
                level,
            });
        }
        self.line_insert(slot);
        self.pending.push((slot, true));
    }

    fn abandon(&mut self, contact: ContactId) {
        let slot = self.contacts.slot(contact).expect("validated");
        let c = self.contacts.get(slot);
        let (at, queue, callback, waited) = (c.at, c.queue, c.callback, self.now - c.entered);
        let mut freed = None;
        match at {
            Where::Waiting => self.line_remove(slot),
            Where::Offered(agent) => {
                self.withdraw(agent, contact, true);
                freed = Some(agent);
            }
            Where::Connected(_) | Where::Free => unreachable!("validated"),
        }
        let short = self.short_abandon(self.queue_rt(queue).expect("exists"));
        let counters = &mut self.qu(queue).counters;
        if callback {
            counters.callbacks_cancelled += 1;
        } else {
            counters.abandoned += 1;
            counters.offered += 1;
            counters.abandon_wait_ms += waited.as_millis();
            if waited <= short {
                counters.abandoned_short += 1;
            }
        }
        self.emit(Decision::ContactEnded {
            contact,
            queue,
            agent: None,
            outcome: Outcome::Abandoned,
            waited,
        });
        self.contacts.release(slot);
        if let Some(agent) = freed {
            self.fill(agent);
            self.announce(agent);
        }
    }

    fn request_callback(&mut self, contact: ContactId) {
        let slot = self.contacts.slot(contact).expect("validated");
        let c = self.contacts.get_mut(slot);
        c.callback = true;
        let queue = c.queue;
        let q = self.qu(queue);
        q.waiting_callbacks += 1;
        q.counters.callbacks_requested += 1;
        q.counters.offered += 1;
    }

    fn transfer(&mut self, contact: ContactId, to: QueueId) {
        let now = self.now;
        let slot = self.contacts.slot(contact).expect("validated");
        let c = self.contacts.get(slot);
        let (at, from, callback, entered, answered_at) =
            (c.at, c.queue, c.callback, c.entered, c.answered_at);
        let mut agent = None;
        match at {
            Where::Waiting => self.line_remove(slot),
            Where::Offered(a) => {
                self.withdraw(a, contact, true);
                agent = Some(a);
            }
            Where::Connected(a) => agent = Some(a),
            Where::Free => unreachable!("validated"),
        }
        let answered = matches!(at, Where::Connected(_));
        let counters = &mut self.qu(from).counters;
        counters.transferred_out += 1;
        if !answered {
            counters.transferred_out_unanswered += 1;
            if !callback {
                counters.offered += 1;
            }
        }
        self.emit(Decision::ContactEnded {
            contact,
            queue: from,
            agent: if answered { agent } else { None },
            outcome: Outcome::TransferredOut { to, answered },
            waited: answered_at.unwrap_or(now) - entered,
        });
        if answered {
            let a = agent.expect("connected contact has an agent");
            self.finish_connected(a, contact);
        }
        // The agent is freeing up: it must choose among all waiting contacts (the moved
        // one included) once the moved contact is placed, not be handed the moved contact
        // as if it had been waiting for work.
        if let Some(a) = agent {
            self.unindex(a);
        }
        let keep = self.config.transfer_keeps_arrival;
        let seq = self.next_seq;
        let c = self.contacts.get_mut(slot);
        c.queue = to;
        c.entered = now;
        c.level = 0;
        c.answered_at = None;
        if !keep {
            c.place = now;
            c.seq = seq;
        }
        if !keep {
            self.next_seq += 1;
        }
        self.qu(to).counters.entered += 1;
        self.place(slot);
        if let Some(a) = agent {
            self.fill(a);
            self.announce(a);
        }
    }

    fn end_contact(&mut self, contact: ContactId) {
        let slot = self.contacts.slot(contact).expect("validated");
        let c = self.contacts.get(slot);
        let Where::Connected(agent) = c.at else {
            unreachable!("validated")
        };
        let outcome = if c.callback {
            Outcome::CallbackCompleted
        } else {
            Outcome::Completed
        };
        let queue = c.queue;
        let waited = c.answered_at.unwrap_or(self.now) - c.entered;
        self.emit(Decision::ContactEnded {
            contact,
            queue,
            agent: Some(agent),
            outcome,
            waited,
        });
        self.contacts.release(slot);
        self.finish_connected(agent, contact);
        self.fill(agent);
        self.announce(agent);
    }

    /// The agent's part of a contact is over: wrap-up per the queue's policy.
    fn finish_connected(&mut self, agent: AgentId, contact: ContactId) {
        let now = self.now;
        let i = self
            .ag(agent)
            .held_index(contact, Phase::Connected)
            .expect("connected contact is held");
        let queue = self.ag(agent).held[i].queue;
        self.qu(queue).connected -= 1;
        match self.wrap_policy(queue) {
            WrapUp::Fixed(span) if span.is_zero() => {
                let held = self.ag(agent).held.remove(i);
                self.ag(agent).available_since = now;
                self.book_handle(queue, now - held.answered_at);
            }
            policy => {
                let token = self.token();
                let a = self.ag(agent);
                a.held[i].phase = Phase::WrapUp;
                a.held[i].token = token;
                let until = match policy {
                    WrapUp::Fixed(span) => {
                        let until = now + span;
                        self.timers
                            .push(until.as_millis(), token, TimerKind::WrapUp(agent.0));
                        Some(until)
                    }
                    WrapUp::Manual => None,
                };
                self.qu(queue).wrapping += 1;
                self.emit(Decision::WrapUpStarted {
                    agent,
                    contact,
                    until,
                });
            }
        }
    }

    fn end_wrap(&mut self, agent: AgentId, i: usize) {
        let now = self.now;
        let a = self.ag(agent);
        let held = a.held.remove(i);
        a.available_since = now;
        self.qu(held.queue).wrapping -= 1;
        self.book_handle(held.queue, now - held.answered_at);
        self.emit(Decision::WrapUpEnded {
            agent,
            contact: held.contact,
        });
    }

    fn book_handle(&mut self, queue: QueueId, handle: Span) {
        let q = self.qu(queue);
        q.counters.handled += 1;
        q.counters.handle_ms += handle.as_millis();
        q.recent.push(handle.as_millis());
    }

    fn log_out(&mut self, agent: AgentId) {
        let held: Vec<Held> = self.ag(agent).held.clone();
        for h in held.iter().rev() {
            match h.phase {
                Phase::Offered => {
                    self.withdraw(agent, h.contact, true);
                }
                Phase::WrapUp => {
                    let i = self
                        .ag(agent)
                        .held_index(h.contact, Phase::WrapUp)
                        .expect("held");
                    self.end_wrap(agent, i);
                }
                Phase::Connected => unreachable!("validated"),
            }
        }
        self.set_presence(agent, Presence::LoggedOut);
        self.reindex(agent);
        self.announce(agent);
        for h in held.iter().filter(|h| h.phase == Phase::Offered) {
            self.requeue(h.slot);
        }
        self.settle_pending();
    }

    fn tick(&mut self) {
        let now = self.now.as_millis();
        let mut due = std::mem::take(&mut self.due);
        while let Some(top) = self.timers.peek() {
            if top.at > now {
                break;
            }
            let at = top.at;
            // Every valid timer of this instant: steps first (heap order), then ring and
            // wrap-up timers in creation order.
            due.clear();
            while let Some(t) = self.timers.peek() {
                if t.at != at {
                    break;
                }
                let t = self.timers.pop().expect("peeked");
                if self.timer_valid(&t) {
                    due.push(t);
                }
            }
            for t in &due {
                match t.kind {
                    TimerKind::Step(slot) => self.raise_level(slot),
                    TimerKind::Ring(agent) => {
                        let agent = AgentId(agent);
                        let a = self.ag(agent);
                        let i = a
                            .held
                            .iter()
                            .position(|h| h.token == t.token)
                            .expect("valid timer");
                        let (contact, slot) = (a.held[i].contact, a.held[i].slot);
                        self.withdraw(agent, contact, false);
                        self.emit(Decision::RingNoAnswer { agent, contact });
                        self.set_presence(agent, Presence::NotReady(ReasonCode::NO_ANSWER));
                        self.reindex(agent);
                        self.announce(agent);
                        self.requeue(slot);
                    }
                    TimerKind::WrapUp(_) => {}
                }
            }
            self.settle_pending();
            for t in &due {
                if let TimerKind::WrapUp(agent) = t.kind {
                    let agent = AgentId(agent);
                    if let Some(i) = self.ag(agent).held.iter().position(|h| h.token == t.token) {
                        self.end_wrap(agent, i);
                        self.fill(agent);
                        self.announce(agent);
                    }
                }
            }
        }
        due.clear();
        self.due = due;
    }

    /// A routing step fired: the contact moves to its next level (same place in line) and
    /// is marked for settling.
    fn raise_level(&mut self, slot: u32) {
        let c = self.contacts.get(slot);
        let (queue, old, boost, seq, place, id) = (c.queue, c.level, c.boost, c.seq, c.place, c.id);
        let level = old + 1;
        let q = self.qu(queue);
        q.remove(old, boost, seq);
        q.insert(level, boost, seq, slot, place.as_millis());
        let c = self.contacts.get_mut(slot);
        c.level = level;
        c.step_token = 0;
        self.emit(Decision::RoutingStepReached {
            contact: id,
            queue,
            level,
        });
        self.pending.push((slot, false));
    }

    fn timer_valid(&self, t: &Timer) -> bool {
        match t.kind {
            TimerKind::Step(slot) => {
                let c = self.contacts.get(slot);
                c.step_token == t.token && c.at == Where::Waiting
            }
            TimerKind::Ring(agent) => self.agents[agent as usize].as_ref().is_some_and(|a| {
                a.held
                    .iter()
                    .any(|h| h.token == t.token && h.phase == Phase::Offered)
            }),
            TimerKind::WrapUp(agent) => self.agents[agent as usize].as_ref().is_some_and(|a| {
                a.held
                    .iter()
                    .any(|h| h.token == t.token && h.phase == Phase::WrapUp)
            }),
        }
    }

    fn drop_stale_timers(&mut self) {
        while let Some(t) = self.timers.peek() {
            if self.timer_valid(t) {
                break;
            }
            self.timers.pop();
        }
    }

    /// Changes presence and keeps the staffed counts (wait estimate) in step.
    fn set_presence(&mut self, agent: AgentId, presence: Presence) {
        let a = self.agents[agent.index()].as_mut().expect("validated");
        let was = a.presence == Presence::Ready;
        let is = presence == Presence::Ready;
        a.presence = presence;
        if was != is {
            let slots = u32::from(a.slots);
            for &(q, level) in &a.candidates {
                if let Some(Some(q)) = self.queues.get_mut(q.index()) {
                    let n = &mut q.staffed_from[usize::from(level)];
                    *n = if is { *n + slots } else { *n - slots };
                }
            }
        }
    }

    /// Puts the agent where it belongs in the ready index (or out of it).
    fn reindex(&mut self, agent: AgentId) {
        let now = self.now;
        let policy = self.config.agent_selection;
        let a = self.agents[agent.index()].as_mut().expect("validated");
        let want = if a.is_available() {
            if a.ready_key.is_none() {
                a.available_since = now;
            }
            Some(a.key(policy))
        } else {
            None
        };
        if want != a.ready_key {
            if let Some(old) = a.ready_key {
                self.index.remove(a, old);
            }
            if let Some(new) = want {
                self.index.insert(a, new);
            }
            a.ready_key = want;
        }
    }

    /// Takes the agent out of the ready index until the next [`Engine::reindex`].
    fn unindex(&mut self, agent: AgentId) {
        let a = self.agents[agent.index()].as_mut().expect("validated");
        if let Some(old) = a.ready_key.take() {
            self.index.remove(a, old);
        }
    }

    /// Emits the agent's displayed state if it changed since last announced.
    fn announce(&mut self, agent: AgentId) {
        let a = self.ag(agent);
        let state = a.state();
        if state != a.shown {
            a.shown = state;
            self.emit(Decision::AgentStateChanged { agent, state });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agents and queues live in vectors indexed by id, so the id bounds cap the memory a
    /// single large id can make the engine allocate.
    #[test]
    fn largest_ids_cannot_allocate_more_than_256_mib() {
        let agents = AgentId::MAX as usize * std::mem::size_of::<Option<AgentRt>>();
        let queues = QueueId::MAX as usize * std::mem::size_of::<Option<QueueRt>>();
        assert!(agents <= 256 << 20, "agents: {agents} bytes");
        assert!(queues <= 256 << 20, "queues: {queues} bytes");
    }
}
