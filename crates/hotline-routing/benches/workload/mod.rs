//! Recorded workloads for the engine benchmarks.
//!
//! A small discrete-event driver (random arrivals, patience, talk and wrap-up times,
//! breaks, callbacks, transfers) runs the engine once and records every event it fed it.
//! The benchmarks then replay that trace into a clone of the engine as it was when the
//! recording started: the engine is deterministic, so the replay sees exactly the same
//! states, and the measurement contains nothing but `Engine::handle`.

#![allow(dead_code)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use hotline_routing::*;

/// SplitMix64: tiny, seeded, good enough to draw a workload.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Exponential with this mean, in whole milliseconds (at least 1).
    pub fn exp_ms(&mut self, mean_s: f64) -> u64 {
        let u = 1.0 - self.unit();
        ((-u.ln() * mean_s * 1000.0) as u64).max(1)
    }
}

/// An engine state and the events to replay from it.
#[derive(Debug)]
pub struct Workload {
    pub name: String,
    pub base: Engine,
    pub trace: Vec<(Event, Time)>,
    /// Contacts waiting when the trace starts, and at its end.
    pub waiting_start: usize,
    pub waiting_end: usize,
}

impl Workload {
    /// Replays the whole trace into `engine`; returns the number of decisions (so the
    /// work cannot be optimised away).
    pub fn replay(&self, engine: &mut Engine) -> usize {
        let mut decisions = 0;
        for &(event, at) in &self.trace {
            decisions += engine
                .handle(event, at)
                .expect("recorded events are valid")
                .len();
        }
        decisions
    }

    /// Counts of each event kind in the trace, by name.
    pub fn mix(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for (e, _) in &self.trace {
            match counts.iter_mut().find(|(n, _)| *n == e.name()) {
                Some(c) => c.1 += 1,
                None => counts.push((e.name(), 1)),
            }
        }
        counts.sort_by_key(|(_, n)| Reverse(*n));
        counts
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Arrival,
    /// An arrival that does not schedule the next one (filling the lines).
    Extra,
    Patience(ContactId),
    Callback(ContactId),
    TalkEnd(ContactId),
    WrapDone(AgentId, ContactId),
    BreakEnd(AgentId),
}

struct Driver {
    engine: Engine,
    rng: Rng,
    cal: BinaryHeap<Reverse<(u64, u64, Ev)>>,
    seq: u64,
    next_contact: u64,
    recording: bool,
    trace: Vec<(Event, Time)>,
    queues: u32,
    arrival_mean_s: f64,
    talk_mean_s: f64,
    wrap_mean_s: f64,
    patience_mean_s: f64,
    /// Share of waiting callers who ask for a callback after a minute.
    callback_share: f64,
    /// Share of contacts transferred to another queue instead of ending.
    transfer_share: f64,
    /// Share of wrap-ups after which the agent takes a break.
    break_share: f64,
    auto_accept: bool,
}

impl Driver {
    fn at(&mut self, t: u64, ev: Ev) {
        self.seq += 1;
        self.cal.push(Reverse((t, self.seq, ev)));
    }

    fn feed(&mut self, event: Event, now: u64) {
        let t = Time::from_millis(now);
        if self.recording {
            self.trace.push((event, t));
        }
        let decisions = self
            .engine
            .handle(event, t)
            .expect("driver sends valid events")
            .to_vec();
        for d in decisions {
            match d {
                Decision::Offer { contact, agent, .. } if !self.auto_accept => {
                    self.feed(Event::OfferAccepted { agent, contact }, now);
                }
                Decision::ContactAnswered { contact, .. } => {
                    let end = now + self.rng.exp_ms(self.talk_mean_s);
                    self.at(end, Ev::TalkEnd(contact));
                }
                Decision::WrapUpStarted {
                    agent,
                    contact,
                    until: None,
                } => {
                    let done = now + self.rng.exp_ms(self.wrap_mean_s);
                    self.at(done, Ev::WrapDone(agent, contact));
                }
                _ => {}
            }
        }
    }

    fn arrival(&mut self, now: u64) {
        let contact = ContactId(self.next_contact);
        self.next_contact += 1;
        let queue = QueueId(self.rng.below(u64::from(self.queues)) as u32);
        let boost = if self.rng.below(50) == 0 { 5 } else { 0 };
        self.feed(
            Event::ContactArrived {
                contact,
                queue,
                priority_boost: boost,
            },
            now,
        );
        let patience = now + self.rng.exp_ms(self.patience_mean_s);
        self.at(patience, Ev::Patience(contact));
        if self.rng.unit() < self.callback_share {
            self.at(now + 60_000, Ev::Callback(contact));
        }
    }

    /// Runs until `until_ms` of simulated time or `max_events` recorded events.
    fn run(&mut self, until_ms: u64, max_events: usize) -> u64 {
        let mut now = 0;
        loop {
            if self.recording && self.trace.len() >= max_events {
                return now;
            }
            let next = self.cal.peek().map(|Reverse((t, _, _))| *t);
            let deadline = self.engine.next_deadline().map(Time::as_millis);
            match (next, deadline) {
                (_, Some(d)) if next.is_none_or(|n| d <= n) => {
                    if d > until_ms {
                        return now;
                    }
                    now = now.max(d);
                    self.feed(Event::Tick, now);
                    continue;
                }
                (None, _) => return now,
                _ => {}
            }
            let Reverse((t, _, ev)) = self.cal.pop().expect("peeked");
            if t > until_ms {
                self.cal.push(Reverse((t, 0, ev)));
                return now;
            }
            now = t;
            match ev {
                Ev::Arrival => {
                    self.arrival(now);
                    let next = now + self.rng.exp_ms(self.arrival_mean_s);
                    self.at(next, Ev::Arrival);
                }
                Ev::Extra => self.arrival(now),
                Ev::Patience(c) => {
                    if self
                        .engine
                        .contact(c)
                        .is_some_and(|v| v.state == ContactState::Waiting && !v.callback)
                    {
                        self.feed(Event::ContactAbandoned { contact: c }, now);
                    }
                }
                Ev::Callback(c) => {
                    if self
                        .engine
                        .contact(c)
                        .is_some_and(|v| v.state == ContactState::Waiting && !v.callback)
                    {
                        self.feed(Event::CallbackRequested { contact: c }, now);
                    }
                }
                Ev::TalkEnd(c) => {
                    let Some(view) = self.engine.contact(c) else {
                        continue;
                    };
                    if self.rng.unit() < self.transfer_share {
                        let to = QueueId((view.queue.0 + 1) % self.queues);
                        self.feed(Event::ContactTransferred { contact: c, to }, now);
                        let patience = now + self.rng.exp_ms(self.patience_mean_s);
                        self.at(patience, Ev::Patience(c));
                    } else {
                        self.feed(Event::ContactEnded { contact: c }, now);
                    }
                }
                Ev::WrapDone(a, c) => {
                    if self.rng.unit() < self.break_share {
                        self.feed(
                            Event::AgentNotReady {
                                agent: a,
                                reason: ReasonCode(1),
                            },
                            now,
                        );
                        let back = now + self.rng.exp_ms(600.0);
                        self.at(back, Ev::BreakEnd(a));
                    }
                    self.feed(
                        Event::WrapUpDone {
                            agent: a,
                            contact: c,
                        },
                        now,
                    );
                }
                Ev::BreakEnd(a) => self.feed(Event::AgentReady { agent: a }, now),
            }
        }
    }
}

/// The engine benchmark: 10,000 agents in 20 groups, 1,000 queues (one skill
/// each, 10% VIP, aging, bullseye steps), about 100,000 waiting contacts, in overload
/// (callers abandon, arrivals replace them). Agents have four skills among their group's
/// 50 queues, so about 40 agents serve each queue. Manual wrap-up, offers accepted by
/// event, breaks, callbacks, transfers.
pub fn large(events: usize, seed: u64) -> Workload {
    let queues: u32 = 1_000;
    let agents: u32 = 10_000;
    let groups: u32 = 20;
    let per_group_queues = queues / groups;
    let mut rng = Rng::new(seed);
    let p = |n: u64| Proficiency::new(n as u8).expect("1..=5");
    let mut config = RoutingConfig {
        wrap_up: WrapUp::Manual,
        ewt_window: 100,
        ..RoutingConfig::default()
    };
    for q in 0..queues {
        let mut qc = QueueConfig::new(QueueId(q), SkillId(q));
        qc.min_proficiency = p(1 + rng.below(3));
        qc.priority = if q % 10 == 0 { 10 } else { rng.below(3) as i32 };
        if q % 3 == 0 {
            qc.aging = Some(Aging {
                points_per_second: 0.1,
                max_points: Some(20),
            });
        }
        if qc.min_proficiency > Proficiency::MIN {
            qc.steps.push(RoutingStep {
                after: Span::from_secs(30),
                action: StepAction::RelaxProficiency {
                    min: Proficiency::MIN,
                },
            });
        }
        if q % 5 == 0 {
            let group = q / per_group_queues;
            let alt = group * per_group_queues + (q + 1) % per_group_queues;
            qc.steps.push(RoutingStep {
                after: Span::from_secs(90),
                action: StepAction::AddSkill {
                    skill: SkillId(alt),
                    min: p(1),
                },
            });
        }
        config.queues.push(qc);
    }
    for a in 0..agents {
        let group = a % groups;
        let mut skills: Vec<(SkillId, Proficiency)> = Vec::new();
        while skills.len() < 4 {
            let s =
                SkillId(group * per_group_queues + rng.below(u64::from(per_group_queues)) as u32);
            if !skills.iter().any(|(have, _)| *have == s) {
                skills.push((s, p(1 + rng.below(5))));
            }
        }
        config
            .agents
            .push(AgentConfig::new(AgentId(a), GroupId(group), skills));
    }
    let engine = Engine::new(config).expect("valid benchmark config");
    let mut d = Driver {
        engine,
        rng,
        cal: BinaryHeap::new(),
        seq: 0,
        next_contact: 0,
        recording: false,
        trace: Vec::new(),
        queues,
        arrival_mean_s: 1.0 / 86.0,
        talk_mean_s: 300.0,
        wrap_mean_s: 20.0,
        patience_mean_s: 1_800.0,
        callback_share: 0.05,
        transfer_share: 0.02,
        break_share: 0.02,
        auto_accept: false,
    };
    for a in 0..agents {
        d.feed(Event::AgentLoggedIn { agent: AgentId(a) }, 0);
        d.feed(Event::AgentReady { agent: AgentId(a) }, 0);
    }
    // Fill the lines: 110,000 callers in the first 100 s (10,000 are answered at once).
    for i in 0..110_000u64 {
        d.at(i * 100 / 110, Ev::Extra);
    }
    d.run(100_000, usize::MAX);
    let start = d.engine.now().as_millis().max(100_000);
    d.at(start, Ev::Arrival);
    let base = d.engine.clone();
    let waiting_start = base.waiting();
    d.recording = true;
    d.run(u64::MAX, events);
    Workload {
        name: format!("{agents} agents, {queues} queues"),
        waiting_start,
        waiting_end: d.engine.waiting(),
        base,
        trace: d.trace,
    }
}

/// The simulator's hot path: one queue, `agents` agents, M/M/c+M at `load` (offered
/// erlangs / agents), auto-accept, no wrap-up: arrival, answer or queue, end, abandon.
pub fn single_queue(agents: u32, load: f64, events: usize, seed: u64) -> Workload {
    let config = RoutingConfig {
        queues: vec![QueueConfig::new(QueueId(0), SkillId(0))],
        agents: (0..agents)
            .map(|a| AgentConfig::new(AgentId(a), GroupId(0), vec![(SkillId(0), Proficiency::MAX)]))
            .collect(),
        auto_accept: true,
        ..RoutingConfig::default()
    };
    let talk = 240.0;
    let mut d = Driver {
        engine: Engine::new(config).expect("valid"),
        rng: Rng::new(seed),
        cal: BinaryHeap::new(),
        seq: 0,
        next_contact: 0,
        recording: false,
        trace: Vec::new(),
        queues: 1,
        arrival_mean_s: talk / (load * f64::from(agents)),
        talk_mean_s: talk,
        wrap_mean_s: 0.0,
        patience_mean_s: 180.0,
        callback_share: 0.0,
        transfer_share: 0.0,
        break_share: 0.0,
        auto_accept: true,
    };
    for a in 0..agents {
        d.feed(Event::AgentLoggedIn { agent: AgentId(a) }, 0);
        d.feed(Event::AgentReady { agent: AgentId(a) }, 0);
    }
    d.at(0, Ev::Arrival);
    // Warm up for an hour of simulated time, then record.
    d.run(3_600_000, usize::MAX);
    let base = d.engine.clone();
    let waiting_start = base.waiting();
    d.recording = true;
    d.run(u64::MAX, events);
    Workload {
        name: format!("one queue, {agents} agents, load {load}"),
        waiting_start,
        waiting_end: d.engine.waiting(),
        base,
        trace: d.trace,
    }
}
