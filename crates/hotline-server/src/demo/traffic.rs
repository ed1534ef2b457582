//! Live simulated traffic for the demo center. Callers arrive by the day's profile, wait
//! with limited patience, and virtual agents log in for their shifts, answer, talk, wrap
//! up, take breaks and lunch — every one of these an input to the same routing task the
//! CTI API and the desktops use ([`RuntimeHandle::apply`]). A demo day runs from 08:00
//! to 20:00, `speed` times faster than real time, and starts over.
//!
//! Randomness lives here, in the adapter (seeded, so the same seed gives the same
//! callers); the engine stays deterministic.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::time::Duration;

use hotline_routing::{
    AgentId, ContactId, ContactState, Event, Phase, Presence, QueueId, ReasonCode,
};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, LogNormal};
use rand_pcg::Pcg64;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::seed::{DemoQueue, Seeded, TEAMS};
use super::DemoConfig;
use crate::runtime::entry::{Attributes, Channel, ContactDetails};
use crate::runtime::tracker::DesktopEvent;
use crate::runtime::{Input, Push, RuntimeHandle};

const DAY_START: f64 = 8.0 * 60.0;
const DAY_MINUTES: f64 = 12.0 * 60.0;
/// Offers a virtual agent lets ring out (to show ring-no-answer on the wallboard).
const MISSED_OFFERS: f64 = 0.01;

#[derive(Clone, Copy, Debug)]
enum Action {
    Arrive(usize),
    Abandon(ContactId),
    Accept(AgentId, ContactId),
    End(ContactId),
    WrapUpDone(AgentId, ContactId),
    Login(AgentId),
    Ready(AgentId),
    NotReady(AgentId, ReasonCode),
    Logout(AgentId),
    PlanDay,
}

struct Scheduled {
    at: Instant,
    seq: u64,
    action: Action,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        // Earliest first from a max-heap.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

#[derive(Clone, Copy, Debug)]
struct Virtual {
    team: usize,
    late: bool,
}

/// The demo's traffic generator.
pub struct Driver {
    runtime: RuntimeHandle,
    config: DemoConfig,
    queues: [QueueId; 5],
    agents: HashMap<AgentId, Virtual>,
    rng: Pcg64,
    heap: BinaryHeap<Scheduled>,
    seq: u64,
    started: Instant,
    /// The queue (index) of each contact the agents may handle.
    contact_queue: HashMap<ContactId, usize>,
    /// Recent callers: some call again (repeat calls are what the complaint analysis and
    /// first-contact resolution look for).
    recent_customers: std::collections::VecDeque<String>,
}

/// How many recent callers may call again.
const RECENT_CUSTOMERS: usize = 2_000;

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("config", &self.config)
            .field("agents", &self.agents.len())
            .field("scheduled", &self.heap.len())
            .finish_non_exhaustive()
    }
}

impl Driver {
    /// A driver for the seeded center; `human` agents are left alone.
    pub fn new(runtime: RuntimeHandle, config: DemoConfig, seeded: &Seeded) -> Driver {
        let mut agents = HashMap::new();
        for &(person, team, i) in &seeded.agents {
            if team == super::seed::HUMAN_TEAM && i < config.human_agents {
                continue;
            }
            if let Ok(id) = u32::try_from(person.0) {
                agents.insert(
                    AgentId(id),
                    Virtual {
                        team,
                        late: i < TEAMS[team].late,
                    },
                );
            }
        }
        let queues = seeded
            .queues
            .map(|q| QueueId(u32::try_from(q).unwrap_or(0)));
        Driver {
            runtime,
            rng: Pcg64::seed_from_u64(config.seed),
            config,
            queues,
            agents,
            heap: BinaryHeap::new(),
            seq: 0,
            started: Instant::now(),
            contact_queue: HashMap::new(),
            recent_customers: std::collections::VecDeque::with_capacity(RECENT_CUSTOMERS),
        }
    }

    /// Minutes since the start of the demo's first day (08:00 = 0).
    fn demo_minutes(&self, at: Instant) -> f64 {
        let elapsed = at.saturating_duration_since(self.started).as_secs_f64();
        f64::from(self.config.start_minute) - DAY_START + elapsed * self.config.speed / 60.0
    }

    /// The demo day's clock time (minutes after midnight, 480..1200).
    fn minute_of_day(&self, at: Instant) -> f64 {
        DAY_START + self.demo_minutes(at).rem_euclid(DAY_MINUTES)
    }

    /// The wall instant at which the current demo day reaches `minute` (later days for
    /// `day` > 0).
    fn instant_at(&self, day_offset: f64, minute: f64) -> Instant {
        let today = (self.demo_minutes(Instant::now()) / DAY_MINUTES).floor();
        let demo = (today + day_offset) * DAY_MINUTES + (minute - DAY_START);
        let from_start = demo - (f64::from(self.config.start_minute) - DAY_START);
        self.started + Duration::from_secs_f64((from_start * 60.0 / self.config.speed).max(0.0))
    }

    /// Real time for `secs` seconds of the demo day.
    fn real(&self, secs: f64) -> Duration {
        Duration::from_secs_f64((secs / self.config.speed).clamp(0.0, 86_400.0))
    }

    fn schedule(&mut self, at: Instant, action: Action) {
        self.seq += 1;
        self.heap.push(Scheduled {
            at,
            seq: self.seq,
            action,
        });
    }

    fn after(&mut self, demo_secs: f64, action: Action) {
        let at = Instant::now() + self.real(demo_secs);
        self.schedule(at, action);
    }

    fn lognormal(&mut self, mean: f64, cv: f64) -> f64 {
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        LogNormal::new(mu, sigma2.sqrt()).map_or(mean, |d| d.sample(&mut self.rng))
    }

    fn exponential(&mut self, mean: f64) -> f64 {
        Exp::new(1.0 / mean).map_or(mean, |d| d.sample(&mut self.rng))
    }

    /// Seconds of the demo day until the queue's next caller.
    fn next_arrival(&mut self, q: usize) -> f64 {
        let minute = self.minute_of_day(Instant::now());
        let interval = (((minute - DAY_START) / 30.0) as usize).min(23);
        let per_half_hour = f64::from(DemoQueue::ALL[q].traffic().arrivals[interval]);
        if per_half_hour <= 0.0 {
            return 1800.0;
        }
        self.exponential(1800.0 / per_half_hour)
    }

    /// Shifts, lunches and breaks of the current demo day.
    fn plan_day(&mut self) {
        let now = self.minute_of_day(Instant::now());
        let mut ids: Vec<AgentId> = self.agents.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let v = self.agents[&id];
            let (start, end) = if v.late {
                (12 * 60, 20 * 60)
            } else {
                TEAMS[v.team].shift
            };
            let (start, end) = (f64::from(start), f64::from(end));
            let login = start + self.rng.gen_range(0.0..5.0);
            let login = if login < now {
                now + self.rng.gen_range(0.0..0.5)
            } else {
                login
            };
            if end > now {
                self.schedule(self.instant_at(0.0, login), Action::Login(id));
                let logout = end - self.rng.gen_range(0.0..3.0);
                self.schedule(self.instant_at(0.0, logout), Action::Logout(id));
            }
            let mut pauses = vec![
                (
                    self.rng.gen_range(690.0..810.0),
                    30.0,
                    crate::reasons::parse("lunch"),
                ),
                (
                    self.rng.gen_range(570.0..660.0),
                    15.0,
                    crate::reasons::parse("break"),
                ),
                (
                    self.rng.gen_range(900.0..1050.0),
                    15.0,
                    crate::reasons::parse("break"),
                ),
            ];
            if self.rng.gen_bool(0.15) {
                pauses.push((
                    self.rng.gen_range(600.0..1080.0),
                    20.0,
                    crate::reasons::parse("training"),
                ));
            }
            for (at, length, reason) in pauses {
                let Some(reason) = reason else { continue };
                if at > now && at > login && at + length < end {
                    self.schedule(self.instant_at(0.0, at), Action::NotReady(id, reason));
                    self.schedule(self.instant_at(0.0, at + length), Action::Ready(id));
                }
            }
        }
        // The next day starts when this one ends.
        self.schedule(self.instant_at(1.0, DAY_START), Action::PlanDay);
    }

    /// Picks up where the engine is (after a restart): offers, calls and wrap-ups of
    /// virtual agents continue, waiting callers keep their patience.
    async fn resume(&mut self) {
        let agents: Vec<AgentId> = self.agents.keys().copied().collect();
        let Ok((views, waiting)) = self
            .runtime
            .query(move |live, _| {
                let views: Vec<_> = agents
                    .iter()
                    .filter_map(|a| live.engine.agent(*a))
                    .collect();
                let waiting: Vec<_> = live
                    .engine
                    .contacts()
                    .filter(|c| c.state == ContactState::Waiting)
                    .map(|c| (c.id, c.queue))
                    .collect();
                (views, waiting)
            })
            .await
        else {
            return;
        };
        for view in views {
            for held in &view.contacts {
                if let Some(q) = self.queues.iter().position(|x| *x == held.queue) {
                    self.contact_queue.insert(held.contact, q);
                }
                let action = match held.phase {
                    Phase::Offered => Action::Accept(view.id, held.contact),
                    Phase::Connected => Action::End(held.contact),
                    Phase::WrapUp => Action::WrapUpDone(view.id, held.contact),
                };
                let delay = self.rng.gen_range(1.0..30.0);
                self.after(delay, action);
            }
            if matches!(view.presence, Presence::NotReady(_)) {
                let delay = self.rng.gen_range(5.0..60.0);
                self.after(delay, Action::Ready(view.id));
            }
        }
        for (contact, queue) in waiting {
            if let Some(q) = self.queues.iter().position(|x| *x == queue) {
                let patience = self.exponential(DemoQueue::ALL[q].traffic().patience_s);
                self.after(patience, Action::Abandon(contact));
            }
        }
    }

    fn details(&mut self, q: usize) -> ContactDetails {
        let queue = DemoQueue::ALL[q];
        let mut attributes = Attributes::new();
        let language = match self.rng.gen_range(0..10) {
            0 => "en",
            1 => "es",
            _ => "zh-CN",
        };
        attributes.insert("language".into(), language.into());
        let reasons = queue.reasons();
        let reason = reasons[self.rng.gen_range(0..reasons.len())];
        attributes.insert("reason".into(), reason.into());
        if queue == DemoQueue::Gold {
            attributes.insert("member_level".into(), "gold".into());
        }
        if let Some(category) = queue.complaint_category(reason) {
            attributes.insert("type".into(), "complaint".into());
            attributes.insert("category".into(), category.into());
        }
        // A complaint often follows an earlier call that did not settle the matter.
        let repeat_share = if queue == DemoQueue::Complaints {
            0.3
        } else {
            0.05
        };
        let customer = match self.recent_customers.len() {
            0 => None,
            n if self.rng.gen_bool(repeat_share) => {
                Some(self.recent_customers[self.rng.gen_range(0..n)].clone())
            }
            _ => None,
        }
        .unwrap_or_else(|| format!("13{:09}", self.rng.gen_range(0..1_000_000_000u32)));
        if self.recent_customers.len() == RECENT_CUSTOMERS {
            self.recent_customers.pop_front();
        }
        self.recent_customers.push_back(customer.clone());
        ContactDetails {
            channel: Channel::Voice,
            customer_id: Some(customer),
            vip: queue == DemoQueue::Gold,
            attributes,
        }
    }

    async fn apply(&self, input: Input) -> Option<crate::runtime::Applied> {
        match self.runtime.apply(input).await {
            Ok(a) => Some(a),
            Err(e) => {
                tracing::debug!(error = %e, "demo input refused");
                None
            }
        }
    }

    async fn run_action(&mut self, action: Action) {
        match action {
            Action::Arrive(q) => {
                let details = self.details(q);
                let applied = self
                    .apply(Input::Arrive {
                        queue: self.queues[q],
                        priority_boost: 0,
                        details,
                        estimate: false,
                    })
                    .await;
                if let Some(contact) = applied.and_then(|a| a.contact_id) {
                    self.contact_queue.insert(contact, q);
                    let patience = self.exponential(DemoQueue::ALL[q].traffic().patience_s);
                    self.after(patience, Action::Abandon(contact));
                }
                let next = self.next_arrival(q);
                self.after(next, Action::Arrive(q));
            }
            Action::Abandon(contact) => {
                // Only callers still waiting hang up (the engine refuses the others).
                let waiting = self
                    .runtime
                    .query(move |live, _| live.engine.contact(contact).map(|c| c.state))
                    .await
                    .ok()
                    .flatten();
                if waiting == Some(ContactState::Waiting) {
                    self.apply(Input::Event(Event::ContactAbandoned { contact }))
                        .await;
                    self.contact_queue.remove(&contact);
                }
            }
            Action::Accept(agent, contact) => {
                self.apply(Input::Event(Event::OfferAccepted { agent, contact }))
                    .await;
            }
            Action::End(contact) => {
                self.apply(Input::Event(Event::ContactEnded { contact }))
                    .await;
            }
            Action::WrapUpDone(agent, contact) => {
                self.apply(Input::Event(Event::WrapUpDone { agent, contact }))
                    .await;
                self.contact_queue.remove(&contact);
            }
            Action::Login(agent) => {
                self.apply(Input::Event(Event::AgentLoggedIn { agent }))
                    .await;
                let delay = self.rng.gen_range(5.0..60.0);
                self.after(delay, Action::Ready(agent));
            }
            Action::Ready(agent) => {
                self.apply(Input::Event(Event::AgentReady { agent })).await;
            }
            Action::NotReady(agent, reason) => {
                self.apply(Input::Event(Event::AgentNotReady { agent, reason }))
                    .await;
            }
            Action::Logout(agent) => {
                if let Some(reason) = crate::reasons::parse("back_office") {
                    self.apply(Input::Event(Event::AgentNotReady { agent, reason }))
                        .await;
                }
                if self
                    .apply(Input::Event(Event::AgentLoggedOut { agent }))
                    .await
                    .is_none()
                {
                    // Still on a call: log out after it.
                    let still_in = self
                        .runtime
                        .query(move |live, _| live.engine.agent(agent).map(|a| a.presence))
                        .await
                        .ok()
                        .flatten();
                    if matches!(still_in, Some(Presence::NotReady(_) | Presence::Ready)) {
                        self.after(30.0, Action::Logout(agent));
                    }
                }
            }
            Action::PlanDay => self.plan_day(),
        }
    }

    fn on_push(&mut self, push: &Push) {
        for (agent, event) in &push.desktop {
            if !self.agents.contains_key(agent) {
                continue;
            }
            match event {
                DesktopEvent::Offer { contact, queue, .. } => {
                    let contact = ContactId(*contact);
                    if let Some(q) = self.queues.iter().position(|x| x.0 == *queue) {
                        self.contact_queue.insert(contact, q);
                    }
                    if !self.rng.gen_bool(MISSED_OFFERS) {
                        let ring = self.rng.gen_range(2.0..6.0);
                        self.after(ring, Action::Accept(*agent, contact));
                    }
                }
                DesktopEvent::Answered { contact, .. } => {
                    let contact = ContactId(*contact);
                    let q = self.contact_queue.get(&contact).copied().unwrap_or(1);
                    let t = DemoQueue::ALL[q].traffic();
                    let talk = self.lognormal(t.handle_s, t.handle_cv);
                    self.after(talk, Action::End(contact));
                }
                DesktopEvent::WrapUpStarted { contact, .. } => {
                    let contact = ContactId(*contact);
                    let q = self.contact_queue.get(&contact).copied().unwrap_or(1);
                    let wrap = self.lognormal(DemoQueue::ALL[q].traffic().wrap_up_s, 0.5);
                    self.after(wrap, Action::WrapUpDone(*agent, contact));
                }
                DesktopEvent::RingNoAnswer { .. } => {
                    let pause = self.rng.gen_range(15.0..45.0);
                    self.after(pause, Action::Ready(*agent));
                }
                _ => {}
            }
        }
    }

    /// Runs until the routing task stops.
    pub async fn run(mut self) {
        let mut push = self.runtime.subscribe();
        self.resume().await;
        self.plan_day();
        for q in 0..DemoQueue::ALL.len() {
            let first = self.next_arrival(q);
            self.after(first, Action::Arrive(q));
        }
        tracing::info!(
            agents = self.agents.len(),
            speed = self.config.speed,
            "demo traffic started"
        );
        loop {
            let next = self.heap.peek().map(|s| s.at);
            let sleep = tokio::time::sleep_until(
                next.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600)),
            );
            tokio::select! {
                biased;
                msg = push.recv() => match msg {
                    Ok(p) => self.on_push(&p),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "demo traffic fell behind the desktop stream");
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                () = sleep => {
                    while self.heap.peek().is_some_and(|s| s.at <= Instant::now()) {
                        let Some(s) = self.heap.pop() else { break };
                        self.run_action(s.action).await;
                        // Offers caused by these inputs arrive on the stream meanwhile.
                        while let Ok(p) = push.try_recv() {
                            self.on_push(&p);
                        }
                    }
                }
            }
            if matches!(self.runtime.status(), crate::runtime::Status::Stopped) {
                return;
            }
        }
    }
}
