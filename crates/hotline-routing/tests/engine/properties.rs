//! Long random event sequences against an independent, brute-force model.
//!
//! After every accepted event (and every timer tick, driven one deadline at a time as the
//! simulator and the server do) the model checks, by scanning everything:
//!
//! 1. no agent holds more contacts than its slots;
//! 2. every contact's stay in a queue ends exactly once (the model tracks stays from the
//!    events and `ContactEnded` decisions and compares them with the engine's contacts);
//! 3. no contact waits while an eligible agent is ready with a free slot (eligibility
//!    recomputed from the configuration and the time waited, not from the engine);
//! 4. every offer goes to an eligible agent, and no contact still waiting that this agent
//!    could take has a higher score, or an equal score and an earlier place (first come,
//!    first served);
//! 5. an arriving contact goes to the agent the selection policy names, computed here by
//!    brute force over all agents.
//!
//! Refused events must leave the engine's debug dump unchanged, and replaying the same
//! events must give the same decisions.

use std::collections::BTreeMap;

use hotline_routing::*;
use proptest::prelude::*;

// ----- the independent reference ------------------------------------------------------

/// The requirement after waiting `waited`: (skills with minimum, groups).
fn requirement(q: &QueueConfig, waited: Span) -> (Vec<(SkillId, u8)>, Vec<GroupId>) {
    let mut skills = vec![(q.skill, q.min_proficiency.get())];
    let mut groups = Vec::new();
    for step in q.steps.iter().filter(|s| s.after <= waited) {
        match step.action {
            StepAction::RelaxProficiency { min } => skills[0].1 = min.get(),
            StepAction::AddSkill { skill, min } => {
                match skills.iter_mut().find(|(s, _)| *s == skill) {
                    Some(e) => e.1 = e.1.min(min.get()),
                    None => skills.push((skill, min.get())),
                }
            }
            StepAction::AddGroup { group } => groups.push(group),
        }
    }
    (skills, groups)
}

fn level(q: &QueueConfig, waited: Span) -> u16 {
    let mut afters: Vec<Span> = q
        .steps
        .iter()
        .map(|s| s.after)
        .filter(|a| *a <= waited)
        .collect();
    afters.dedup();
    afters.len() as u16
}

/// The best proficiency by which the agent qualifies (0 if only by group); `None` if it
/// does not qualify.
fn qualifies(
    req: &(Vec<(SkillId, u8)>, Vec<GroupId>),
    a: &AgentConfig,
    primary: SkillId,
) -> Option<u8> {
    let mut rank = None;
    for (skill, min) in &req.0 {
        if let Some(p) = a.proficiency(*skill) {
            if p.get() >= *min {
                rank = Some(rank.unwrap_or(0).max(p.get()));
            }
        }
    }
    if req.1.contains(&a.group) {
        let p = a.proficiency(primary).map_or(0, |p| p.get());
        rank = Some(rank.unwrap_or(0).max(p));
    }
    rank
}

fn score(q: &QueueConfig, boost: i32, place: Time, now: Time) -> i64 {
    let base = (i64::from(q.priority) + i64::from(boost)) * 1_000_000;
    let aging = match q.aging {
        None => 0,
        Some(a) => {
            let rate = (a.points_per_second * 1000.0).round() as u64;
            let raw = rate.saturating_mul((now - place).as_millis());
            let cap = a.max_points.map_or(u64::MAX, |m| u64::from(m) * 1_000_000);
            raw.min(cap).min((i64::MAX / 4) as u64)
        }
    };
    base + aging as i64
}

/// What was fed to the engine, for the replay.
#[derive(Clone, Debug)]
enum Entry {
    Event(Event, Time),
    UpdateAgent(AgentConfig, Time),
}

struct Model {
    engine: Engine,
    config: RoutingConfig,
    now: Time,
    /// Live stays: contact → queue.
    live: BTreeMap<ContactId, QueueId>,
    arrivals: u64,
    finished: u64,
    rr_last: BTreeMap<QueueId, AgentId>,
    log: Vec<Entry>,
    decisions: Vec<Decision>,
    next_contact: u64,
}

impl Model {
    fn new(config: RoutingConfig) -> Model {
        Model {
            engine: Engine::new(config.clone()).expect("generated configs are valid"),
            config,
            now: Time::ZERO,
            live: BTreeMap::new(),
            arrivals: 0,
            finished: 0,
            rr_last: BTreeMap::new(),
            log: Vec::new(),
            decisions: Vec::new(),
            next_contact: 0,
        }
    }

    fn queue_cfg(&self, q: QueueId) -> &QueueConfig {
        self.config
            .queues
            .iter()
            .find(|c| c.id == q)
            .expect("configured")
    }

    fn agent_cfg(&self, a: AgentId) -> &AgentConfig {
        self.config
            .agents
            .iter()
            .find(|c| c.id == a)
            .expect("configured")
    }

    fn available(&self, v: &AgentView) -> bool {
        v.presence == Presence::Ready && v.contacts.len() < usize::from(v.slots)
    }

    /// The agent the policy must pick for a new contact in `queue`, by brute force.
    fn expected_agent(&self, queue: QueueId) -> Option<AgentId> {
        let q = self.queue_cfg(queue);
        let req = requirement(q, Span::ZERO);
        let policy = self.config.agent_selection;
        let mut candidates: Vec<(AgentView, u8)> = self
            .engine
            .agents()
            .filter(|v| self.available(v))
            .filter_map(|v| {
                let rank = qualifies(&req, self.agent_cfg(v.id), q.skill)?;
                Some((v, rank))
            })
            .collect();
        if policy == AgentSelection::RoundRobin {
            candidates.sort_by_key(|(v, _)| v.id);
            let last = self.rr_last.get(&queue).copied();
            return candidates
                .iter()
                .find(|(v, _)| last.is_none_or(|l| v.id > l))
                .or(candidates.first())
                .map(|(v, _)| v.id);
        }
        candidates
            .into_iter()
            .min_by_key(|(v, rank)| {
                let since = v.available_since.expect("available").as_millis();
                let primary = match policy {
                    AgentSelection::FewestContacts => v.contacts_accepted,
                    AgentSelection::Linear => u64::from(v.group.0),
                    _ => 0,
                };
                let rank = if policy == AgentSelection::HighestProficiency {
                    *rank
                } else {
                    0
                };
                (
                    v.contacts.len(),
                    std::cmp::Reverse(rank),
                    primary,
                    since,
                    v.id,
                )
            })
            .map(|(v, _)| v.id)
    }

    /// Fires every timer up to `target`, one deadline at a time, then moves the clock.
    fn advance(&mut self, target: Time) {
        while let Some(d) = self.engine.next_deadline() {
            if d > target {
                break;
            }
            assert!(d >= self.now, "deadline {d} before now {}", self.now);
            assert!(self.apply(Event::Tick, d));
            if let Some(next) = self.engine.next_deadline() {
                assert!(next > d, "tick at {d} left a due timer at {next}");
            }
        }
        self.now = self.now.max(target);
    }

    /// Applies an event; checks refusal leaves no trace, or acceptance keeps the invariants.
    fn apply(&mut self, event: Event, at: Time) -> bool {
        let expected = match event {
            Event::ContactArrived { queue, .. }
                if self.config.queues.iter().any(|q| q.id == queue) =>
            {
                Some(self.expected_agent(queue))
            }
            _ => None,
        };
        let before = format!("{:?}", self.engine);
        let result = self.engine.handle(event, at).map(<[Decision]>::to_vec);
        match result {
            Err(err) => {
                assert_eq!(
                    before,
                    format!("{:?}", self.engine),
                    "refused {event:?} ({err}) changed the engine"
                );
                false
            }
            Ok(decisions) => {
                self.now = at;
                self.log.push(Entry::Event(event, at));
                self.decisions.extend(decisions.iter().copied());
                self.check(event, &decisions, expected);
                true
            }
        }
    }

    fn check(&mut self, event: Event, decisions: &[Decision], expected: Option<Option<AgentId>>) {
        let now = self.now;
        // (2) stays: from the event and the decisions.
        if let Event::ContactArrived { contact, queue, .. } = event {
            assert!(
                self.live.insert(contact, queue).is_none(),
                "{contact} arrived twice"
            );
            self.arrivals += 1;
        }
        for d in decisions {
            match *d {
                Decision::ContactEnded {
                    contact,
                    queue,
                    outcome,
                    ..
                } => {
                    assert_eq!(
                        self.live.remove(&contact),
                        Some(queue),
                        "{contact} ended a stay it did not have"
                    );
                    match outcome {
                        Outcome::TransferredOut { to, .. } => {
                            self.live.insert(contact, to);
                        }
                        _ => self.finished += 1,
                    }
                }
                Decision::Offer { queue, agent, .. } => {
                    self.rr_last.insert(queue, agent);
                }
                _ => {}
            }
        }
        let engine_live: BTreeMap<ContactId, QueueId> =
            self.engine.contacts().map(|c| (c.id, c.queue)).collect();
        assert_eq!(engine_live, self.live, "live stays differ after {event:?}");
        assert_eq!(self.arrivals, self.finished + self.live.len() as u64);

        // (1) slots.
        let agents: Vec<AgentView> = self.engine.agents().collect();
        for v in &agents {
            assert!(
                v.contacts.len() <= usize::from(v.slots),
                "{} over its slots",
                v.id
            );
        }

        // (3) nobody waits while an eligible agent is ready and free.
        let waiting: Vec<ContactView> = self
            .engine
            .contacts()
            .filter(|c| c.state == ContactState::Waiting)
            .collect();
        for c in &waiting {
            let q = self.queue_cfg(c.queue);
            let waited = now - c.entered_queue;
            assert_eq!(c.level, level(q, waited), "{} level after {waited}", c.id);
            let req = requirement(q, waited);
            for v in agents.iter().filter(|v| self.available(v)) {
                assert!(
                    qualifies(&req, self.agent_cfg(v.id), q.skill).is_none(),
                    "{} waits while eligible {} is free (after {event:?} at {now})",
                    c.id,
                    v.id
                );
            }
        }

        // (4) offers: eligible agent, best contact for it.
        for d in decisions {
            let Decision::Offer {
                contact,
                agent,
                queue,
                ..
            } = *d
            else {
                continue;
            };
            let o = self
                .engine
                .contact(contact)
                .expect("offered contact is live");
            assert_eq!(o.queue, queue);
            let q = self.queue_cfg(queue);
            let a = self.agent_cfg(agent).clone();
            assert!(
                qualifies(&requirement(q, now - o.entered_queue), &a, q.skill).is_some(),
                "{contact} offered to ineligible {agent}"
            );
            let mine = (
                score(q, o.priority_boost, o.place, now),
                std::cmp::Reverse(o.sequence),
            );
            for w in &waiting {
                let wq = self.queue_cfg(w.queue);
                if qualifies(&requirement(wq, now - w.entered_queue), &a, wq.skill).is_some() {
                    let theirs = (
                        score(wq, w.priority_boost, w.place, now),
                        std::cmp::Reverse(w.sequence),
                    );
                    assert!(
                        theirs < mine,
                        "{agent} took {contact} {mine:?} while {} {theirs:?} waits",
                        w.id
                    );
                }
            }
        }

        // (5) the selection policy, for arrivals.
        if let (Event::ContactArrived { contact, queue, .. }, Some(expected)) = (event, expected) {
            match expected {
                Some(agent) => assert!(
                    decisions.contains(&Decision::Offer {
                        contact,
                        agent,
                        queue,
                        callback: false
                    }),
                    "{contact} should go to {agent} by {:?}: {decisions:?}",
                    self.config.agent_selection
                ),
                None => assert!(decisions.contains(&Decision::ContactQueued {
                    contact,
                    queue,
                    callback: false
                })),
            }
        }

        // Queue counters agree with the line.
        for q in &self.config.queues {
            let stats = self.engine.queue_stats(q.id, now).expect("queue exists");
            let n = waiting.iter().filter(|c| c.queue == q.id).count();
            assert_eq!(stats.waiting as usize, n);
            let oldest = waiting
                .iter()
                .filter(|c| c.queue == q.id)
                .map(|c| now - c.entered_queue)
                .max();
            assert_eq!(stats.oldest_wait, oldest);
        }
    }

    /// The `k`-th live contact (by id) in a state `want` accepts.
    fn pick(&self, k: u16, want: impl Fn(&ContactView) -> bool) -> Option<ContactView> {
        let mut all: Vec<ContactView> = self.engine.contacts().filter(|c| want(c)).collect();
        all.sort_by_key(|c| c.id);
        (!all.is_empty()).then(|| all[usize::from(k) % all.len()])
    }

    fn run(&mut self, op: &Op) {
        let n_agents = self.config.agents.len() as u8;
        let n_queues = self.config.queues.len() as u8;
        let agent = |i: u8| AgentId(u32::from(i % n_agents.max(1)));
        let now = self.now;
        match op {
            Op::Advance(ms) => self.advance(now + Span::from_millis(u64::from(*ms))),
            Op::Arrive(q, boost) => {
                let contact = ContactId(self.next_contact);
                self.next_contact += 1;
                let queue = QueueId(u32::from(q % n_queues));
                self.apply(
                    Event::ContactArrived {
                        contact,
                        queue,
                        priority_boost: i32::from(*boost),
                    },
                    now,
                );
            }
            Op::Abandon(k) => {
                if let Some(c) = self.pick(*k, |c| !matches!(c.state, ContactState::Connected(_))) {
                    assert!(self.apply(Event::ContactAbandoned { contact: c.id }, now));
                }
            }
            Op::Callback(k) => {
                if let Some(c) = self.pick(*k, |c| c.state == ContactState::Waiting && !c.callback)
                {
                    assert!(self.apply(Event::CallbackRequested { contact: c.id }, now));
                }
            }
            Op::Transfer(k, q) => {
                let to = QueueId(u32::from(q % n_queues));
                if let Some(c) = self.pick(*k, |c| {
                    c.queue != to || matches!(c.state, ContactState::Connected(_))
                }) {
                    assert!(self.apply(Event::ContactTransferred { contact: c.id, to }, now));
                }
            }
            Op::End(k) => {
                if let Some(c) = self.pick(*k, |c| matches!(c.state, ContactState::Connected(_))) {
                    assert!(self.apply(Event::ContactEnded { contact: c.id }, now));
                }
            }
            Op::Accept(k) | Op::Reject(k) => {
                if let Some(c) = self.pick(*k, |c| matches!(c.state, ContactState::Offered(_))) {
                    let ContactState::Offered(agent) = c.state else {
                        unreachable!()
                    };
                    let event = if matches!(op, Op::Accept(_)) {
                        Event::OfferAccepted {
                            agent,
                            contact: c.id,
                        }
                    } else {
                        Event::OfferRejected {
                            agent,
                            contact: c.id,
                        }
                    };
                    assert!(self.apply(event, now));
                }
            }
            Op::Login(a) => {
                self.apply(Event::AgentLoggedIn { agent: agent(*a) }, now);
            }
            Op::Logout(a) => {
                self.apply(Event::AgentLoggedOut { agent: agent(*a) }, now);
            }
            Op::Ready(a) => {
                let agent = agent(*a);
                if self.engine.agent_state(agent) == Some(AgentState::LoggedOut) {
                    assert!(self.apply(Event::AgentLoggedIn { agent }, now));
                }
                assert!(self.apply(Event::AgentReady { agent }, now));
            }
            Op::NotReady(a, r) => {
                self.apply(
                    Event::AgentNotReady {
                        agent: agent(*a),
                        reason: ReasonCode(u16::from(*r)),
                    },
                    now,
                );
            }
            Op::WrapDone(a) => {
                let agent = agent(*a);
                let held = self.engine.agent(agent).and_then(|v| {
                    v.contacts
                        .iter()
                        .find(|h| h.phase == Phase::WrapUp)
                        .copied()
                });
                if let Some(h) = held {
                    assert!(self.apply(
                        Event::WrapUpDone {
                            agent,
                            contact: h.contact
                        },
                        now
                    ));
                }
            }
            Op::Reskill(a, skills) => {
                let id = agent(*a);
                let mut cfg = self.agent_cfg(id).clone();
                cfg.skills = dedup_skills(skills);
                let before = self.engine.agent(id).map(|v| v.contacts.len());
                let decisions = self
                    .engine
                    .update_agent(cfg.clone(), now)
                    .expect("valid agent")
                    .to_vec();
                self.config
                    .agents
                    .iter_mut()
                    .filter(|c| c.id == id)
                    .for_each(|c| *c = cfg.clone());
                assert!(before.is_some());
                self.log.push(Entry::UpdateAgent(cfg, now));
                self.decisions.extend(decisions.iter().copied());
                self.check(Event::Tick, &decisions, None);
            }
            Op::Raw(kind, contact, a, q) => {
                let contact = ContactId(u64::from(*contact));
                let agent = AgentId(u32::from(*a));
                let queue = QueueId(u32::from(*q));
                let event = match kind % 12 {
                    0 => Event::ContactArrived {
                        contact: ContactId(1_000_000 + contact.0),
                        queue,
                        priority_boost: 0,
                    },
                    1 => Event::ContactAbandoned { contact },
                    2 => Event::CallbackRequested { contact },
                    3 => Event::ContactTransferred { contact, to: queue },
                    4 => Event::ContactEnded { contact },
                    5 => Event::AgentLoggedIn { agent },
                    6 => Event::AgentLoggedOut { agent },
                    7 => Event::AgentReady { agent },
                    8 => Event::OfferAccepted { agent, contact },
                    9 => Event::OfferRejected { agent, contact },
                    10 => Event::WrapUpDone { agent, contact },
                    _ => Event::Tick,
                };
                // Now and then a stale time, which must be refused.
                let engine_now = self.engine.now();
                if *kind >= 200 && engine_now > Time::ZERO {
                    assert!(!self.apply(event, Time::from_millis(engine_now.as_millis() - 1)));
                } else {
                    self.apply(event, now);
                }
            }
        }
    }
}

// ----- generators -----------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Advance(u32),
    Arrive(u8, i8),
    Abandon(u16),
    Callback(u16),
    Transfer(u16, u8),
    End(u16),
    Accept(u16),
    Reject(u16),
    Login(u8),
    Logout(u8),
    Ready(u8),
    NotReady(u8, u8),
    WrapDone(u8),
    Reskill(u8, Vec<(u8, u8)>),
    Raw(u8, u8, u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u32..8, 0u32..4000).prop_map(|(k, ms)| Op::Advance(if k == 0 { 0 } else { (ms / 250) * 250 + k })),
        6 => (any::<u8>(), -1i8..=3).prop_map(|(q, b)| Op::Arrive(q, if b < 0 { 0 } else { b })),
        1 => any::<u16>().prop_map(Op::Abandon),
        1 => any::<u16>().prop_map(Op::Callback),
        1 => (any::<u16>(), any::<u8>()).prop_map(|(k, q)| Op::Transfer(k, q)),
        5 => any::<u16>().prop_map(Op::End),
        4 => any::<u16>().prop_map(Op::Accept),
        1 => any::<u16>().prop_map(Op::Reject),
        1 => any::<u8>().prop_map(Op::Login),
        1 => any::<u8>().prop_map(Op::Logout),
        3 => any::<u8>().prop_map(Op::Ready),
        1 => (any::<u8>(), 0u8..3).prop_map(|(a, r)| Op::NotReady(a, r)),
        2 => any::<u8>().prop_map(Op::WrapDone),
        1 => (any::<u8>(), prop::collection::vec((0u8..4, 1u8..=5), 0..3)).prop_map(|(a, s)| Op::Reskill(a, s)),
        1 => (any::<u8>(), 0u8..40, 0u8..8, 0u8..5).prop_map(|(k, c, a, q)| Op::Raw(k, c, a, q)),
    ]
}

fn dedup_skills(raw: &[(u8, u8)]) -> Vec<(SkillId, Proficiency)> {
    let mut out: Vec<(SkillId, Proficiency)> = Vec::new();
    for &(s, l) in raw {
        if !out.iter().any(|(have, _)| have.0 == u32::from(s)) {
            out.push((SkillId(u32::from(s)), Proficiency::new(l).expect("1..=5")));
        }
    }
    out
}

type RawStep = (u64, u8, u8, u8);
/// (skill, min proficiency, priority, aging (rate index, cap), SL seconds, steps, wrap-up).
type RawQueue = (u8, u8, i8, Option<(u8, Option<u8>)>, u64, Vec<RawStep>, u8);

fn build_queue(id: u32, raw: RawQueue) -> QueueConfig {
    let (skill, min, priority, aging, sl, mut steps, wrap) = raw;
    let mut q = QueueConfig::new(QueueId(id), SkillId(u32::from(skill)));
    q.min_proficiency = Proficiency::new(min).expect("1..=5");
    q.priority = i32::from(priority);
    q.aging = aging.map(|(rate, cap)| Aging {
        points_per_second: [0.1, 0.5, 1.0, 2.5][usize::from(rate % 4)],
        max_points: cap.map(u32::from),
    });
    q.service_level = Span::from_secs(sl);
    q.wrap_up = match wrap % 4 {
        0 => Some(WrapUp::Manual),
        1 => Some(WrapUp::Fixed(Span::from_secs(2))),
        _ => None,
    };
    steps.sort();
    for (after, kind, a, b) in steps {
        let action = match kind % 3 {
            0 => StepAction::RelaxProficiency {
                min: Proficiency::new(1 + a % 5).expect("1..=5"),
            },
            1 => StepAction::AddSkill {
                skill: SkillId(u32::from(a % 4)),
                min: Proficiency::new(1 + b % 5).expect("1..=5"),
            },
            _ => StepAction::AddGroup {
                group: GroupId(u32::from(a % 3)),
            },
        };
        q.steps.push(RoutingStep {
            after: Span::from_millis(after),
            action,
        });
        if q.validate().is_err() {
            q.steps.pop();
        }
    }
    q
}

fn config() -> impl Strategy<Value = RoutingConfig> {
    let queue_raw = (
        0u8..3,
        1u8..=3,
        -2i8..=5,
        prop::option::of((any::<u8>(), prop::option::of(1u8..20))),
        5u64..30,
        prop::collection::vec((1u64..40_000, any::<u8>(), any::<u8>(), any::<u8>()), 0..4),
        any::<u8>(),
    );
    let agent_raw = (
        0u8..3,
        prop::collection::vec((0u8..4, 1u8..=5), 0..4),
        prop_oneof![3 => Just(1u16), 1 => 2u16..=3],
    );
    (
        prop::collection::vec(queue_raw, 1..4),
        prop::collection::vec(agent_raw, 1..7),
        0u8..5,
        prop::option::of(2u64..12),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1u64..10),
    )
        .prop_map(
            |(queues, agents, policy, ring, wrap, auto, keep, short)| RoutingConfig {
                queues: queues
                    .into_iter()
                    .enumerate()
                    .map(|(i, raw)| build_queue(i as u32, raw))
                    .collect(),
                agents: agents
                    .into_iter()
                    .enumerate()
                    .map(|(i, (group, skills, slots))| AgentConfig {
                        id: AgentId(i as u32),
                        group: GroupId(u32::from(group)),
                        skills: dedup_skills(&skills),
                        slots,
                    })
                    .collect(),
                agent_selection: [
                    AgentSelection::LongestIdle,
                    AgentSelection::HighestProficiency,
                    AgentSelection::FewestContacts,
                    AgentSelection::RoundRobin,
                    AgentSelection::Linear,
                ][usize::from(policy)],
                ring_timeout: ring.map(Span::from_secs),
                wrap_up: match wrap {
                    0 => WrapUp::Fixed(Span::ZERO),
                    1 => WrapUp::Fixed(Span::from_millis(1500)),
                    _ => WrapUp::Manual,
                },
                auto_accept: auto,
                transfer_keeps_arrival: keep,
                short_abandon: short.map(Span::from_secs),
                ewt_window: 5,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 192,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_over_random_event_sequences(config in config(), ops in prop::collection::vec(op(), 100..400)) {
        let mut model = Model::new(config.clone());
        for op in &ops {
            model.run(op);
        }
        // Every wait estimate is computable without panicking, and zero only when due.
        for c in model.engine.contacts().collect::<Vec<_>>() {
            let _ = model.engine.estimated_wait(c.id, model.now);
        }
        // Same events, same decisions.
        let mut again = Engine::new(config).expect("valid");
        let mut decisions = Vec::new();
        for entry in &model.log {
            let out = match entry {
                Entry::Event(event, at) => again.handle(*event, *at),
                Entry::UpdateAgent(cfg, at) => again.update_agent(cfg.clone(), *at),
            };
            decisions.extend(out.expect("accepted before").iter().copied());
        }
        prop_assert_eq!(decisions, model.decisions);
    }
}
