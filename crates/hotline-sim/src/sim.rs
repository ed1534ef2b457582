//! The event loop: one replication of a scenario through the routing engine under a
//! virtual clock.
//!
//! The simulator never decides who serves whom: it tells the engine what happens
//! (arrivals, hang-ups, ends of calls, log-ins) and acts on the engine's decisions
//! (start talking when the engine connects a contact, start a wrap-up timer, ...). So the
//! numbers it reports are those of the engine the live server runs.

use hotline_routing::{
    AgentId, AgentState, ContactId, Decision, Engine, Event, Outcome as EngineOutcome, QueueId,
    ReasonCode, RoutingError, Span, Time,
};
use thiserror::Error;

use crate::arrivals::ArrivalStream;
use crate::calendar::Calendar;
use crate::dist::Dist;
use crate::model::{ms, Model};
use crate::report::{interval_rows, IntervalRow, Report};
use crate::rng::{stream, Purpose, SimRng};
use crate::scenario::{AtEnd, Scenario};
use crate::tally::{
    ContactLog, ContactRecord, GroupTally, LogOutcome, Outcome, QueueTally, ReplicationTally,
};

/// The reason code a simulated agent goes not ready with when their shift ends while they
/// still hold a contact; they log out once it is done.
pub const END_OF_SHIFT: ReasonCode = ReasonCode(1);

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// The engine refused the configuration built from the scenario.
    #[error("the routing engine rejected the scenario: {0}")]
    Config(#[from] hotline_routing::ConfigError),
    /// The engine refused an event: a defect in the simulator or the engine, reported
    /// instead of panicking.
    #[error("replication {replication}: the routing engine refused {event} at {now}: {source}")]
    Engine {
        replication: u32,
        event: &'static str,
        now: Time,
        source: RoutingError,
    },
}

/// A scenario ready to run: the engine configuration is built and checked once.
#[derive(Debug, Clone)]
pub struct Simulation {
    scenario: Scenario,
    model: Model,
    log_contacts: bool,
}

impl Simulation {
    pub fn new(scenario: Scenario) -> Result<Simulation, SimError> {
        let model = Model::new(&scenario)?;
        Ok(Simulation {
            scenario,
            model,
            log_contacts: false,
        })
    }

    /// Also keep one [`ContactLog`] per contact in each replication's tally
    /// (`contact_log`), for writing contact records. Off by default: a long run's log
    /// grows with its contacts.
    pub fn with_contact_log(mut self, on: bool) -> Simulation {
        self.log_contacts = on;
        self
    }

    /// The agents' names, by the engine's dense agent index: `<group>-<n>`, `n` from 1
    /// within each `[[agents]]` group, zero-padded to the group's width (`tier1-007`).
    pub fn agent_names(&self) -> Vec<String> {
        let mut names = vec![String::new(); self.model.agent_group.len()];
        for (g, range) in self.model.group_agents.iter().enumerate() {
            let group = &self.scenario.groups[g].name;
            let width = range.len().to_string().len().max(3);
            for (k, a) in range.clone().enumerate() {
                names[a as usize] = format!("{group}-{:0width$}", k + 1);
            }
        }
        names
    }

    /// Each agent's `[[agents]]` group name, by the engine's dense agent index.
    pub fn agent_groups(&self) -> Vec<String> {
        self.model
            .agent_group
            .iter()
            .map(|&g| self.scenario.groups[g as usize].name.clone())
            .collect()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Runs replication `index` (0-based). Its random numbers depend only on the seed and
    /// the index, so replications can run in any order, on any thread.
    pub fn run_replication(&self, index: u32) -> Result<ReplicationTally, SimError> {
        self.run_replication_with_progress(index, &mut |_| {})
    }

    /// As [`Simulation::run_replication`], calling `progress` now and then with the share
    /// of the simulated duration done (0 to 1).
    pub fn run_replication_with_progress(
        &self,
        index: u32,
        progress: &mut dyn FnMut(f64),
    ) -> Result<ReplicationTally, SimError> {
        Replication::new(&self.scenario, &self.model, index, self.log_contacts)?.run(progress)
    }

    /// Runs every replication in order and summarises them.
    pub fn run(&self) -> Result<(Report, Vec<ReplicationTally>), SimError> {
        let reps = (0..self.scenario.run.replications)
            .map(|i| self.run_replication(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((self.report(&reps), reps))
    }

    /// Means and confidence half-widths over `reps`.
    pub fn report(&self, reps: &[ReplicationTally]) -> Report {
        Report::new(&self.scenario, reps)
    }

    /// The per-interval series over `reps`.
    pub fn intervals(&self, reps: &[ReplicationTally]) -> Vec<IntervalRow> {
        interval_rows(&self.scenario, reps)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    /// The next arrival of a queue (one is pending per queue at a time).
    Arrival {
        queue: u32,
    },
    /// A waiting caller's patience runs out; ignored if the contact was answered meanwhile
    /// (lazy cancellation: cheaper than removing it from the heap).
    Patience {
        slot: u32,
        gen: u32,
    },
    /// The talk ends.
    TalkEnd {
        slot: u32,
        gen: u32,
    },
    /// The agent finishes their (manual) wrap-up.
    WrapUpDone {
        agent: u32,
        slot: u32,
        gen: u32,
    },
    ShiftStart {
        group: u32,
    },
    ShiftEnd {
        group: u32,
    },
    LogOut {
        agent: u32,
    },
    /// The engine has a timer due (routing step, fixed wrap-up end).
    Tick,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContactPhase {
    Free,
    Waiting,
    Talking,
    /// Ended, the agent in wrap-up still refers to it.
    WrappingUp,
}

#[derive(Debug, Clone, Copy)]
struct Contact {
    gen: u32,
    phase: ContactPhase,
    queue: u32,
    arrival_ms: u64,
    arrival_s: f64,
    handle_ms: u64,
    patience_ms: Option<u64>,
    /// Set once the contact has queued (patience timer started, EWT asked).
    queued: bool,
    ewt_s: Option<f64>,
    /// For the contact log: arrival number, who answered and when, when it ended.
    seq: u64,
    agent: Option<u32>,
    answered_ms: Option<u64>,
    ended_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Activity {
    Off,
    Idle,
    Busy,
}

#[derive(Debug, Clone, Copy)]
struct AgentSim {
    group: u32,
    activity: Activity,
    since_ms: u64,
    /// The shift ended while they held a contact: log out when it is done.
    leaving: bool,
}

/// A slot index and generation packed into the engine's contact id, so a stale timer of a
/// reused slot is recognised.
#[inline]
fn contact_id(slot: u32, gen: u32) -> ContactId {
    ContactId((u64::from(gen) << 32) | u64::from(slot))
}

#[inline]
fn slot_of(id: ContactId) -> (u32, u32) {
    (id.0 as u32, (id.0 >> 32) as u32)
}

struct QueueDraws {
    arrivals: ArrivalStream,
    arrival_rng: SimRng,
    handle: Dist,
    handle_rng: SimRng,
    patience: Option<Dist>,
    patience_rng: SimRng,
    sl_ms: u64,
}

/// The simulator's side of the world; the engine is kept apart so its decisions (which
/// borrow it) can be applied here.
struct World<'a> {
    scenario: &'a Scenario,
    model: &'a Model,
    replication: u32,
    cal: Calendar<u64, Ev>,
    contacts: Vec<Contact>,
    free: Vec<u32>,
    agents: Vec<AgentSim>,
    queues: Vec<QueueDraws>,
    wrap_rngs: Vec<SimRng>,
    tick_at: Option<u64>,
    warmup_ms: u64,
    end_ms: u64,
    interval_ms: u64,
    tally: ReplicationTally,
    /// A contact that queued on arrival and still needs its EWT read.
    needs_ewt: Option<ContactId>,
    /// Whether to keep the contact log.
    log: bool,
}

struct Replication<'a> {
    engine: Engine,
    world: World<'a>,
}

impl<'a> Replication<'a> {
    fn new(
        scenario: &'a Scenario,
        model: &'a Model,
        index: u32,
        log: bool,
    ) -> Result<Replication<'a>, SimError> {
        let seed = scenario.run.seed;
        let rep = u64::from(index);
        let end_ms = ms(scenario.run.duration_s);
        let interval_ms = ms(scenario.run.interval_s).max(1);
        let nint = end_ms.div_ceil(interval_ms) as usize;
        let queues = scenario
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| QueueDraws {
                arrivals: ArrivalStream::new(q.arrivals.clone(), scenario.run.duration_s),
                arrival_rng: stream(seed, rep, Purpose::Arrivals, i as u64),
                handle: q.handle_time,
                handle_rng: stream(seed, rep, Purpose::HandleTime, i as u64),
                patience: q.patience,
                patience_rng: stream(seed, rep, Purpose::Patience, i as u64),
                sl_ms: ms(q.service_level_s),
            })
            .collect();
        let agents = model
            .agent_group
            .iter()
            .map(|&g| AgentSim {
                group: g,
                activity: Activity::Off,
                since_ms: 0,
                leaving: false,
            })
            .collect();
        let nq = scenario.queues.len();
        let tally = ReplicationTally {
            queues: vec![QueueTally::default(); nq],
            groups: vec![GroupTally::default(); scenario.groups.len()],
            intervals: vec![vec![QueueTally::default(); nq]; nint],
            interval_agents: vec![GroupTally::default(); nint],
            events: 0,
            contacts: 0,
            contact_log: Vec::new(),
        };
        let agent_count = model.agent_group.len();
        Ok(Replication {
            engine: Engine::new(model.config.clone())?,
            world: World {
                scenario,
                model,
                replication: index,
                cal: Calendar::with_capacity(agent_count * 2 + nq + 64),
                contacts: Vec::with_capacity(agent_count * 2 + 64),
                free: Vec::new(),
                agents,
                queues,
                wrap_rngs: (0..scenario.groups.len())
                    .map(|g| stream(seed, rep, Purpose::WrapUp, g as u64))
                    .collect(),
                tick_at: None,
                warmup_ms: ms(scenario.run.warmup_s),
                end_ms,
                interval_ms,
                tally,
                needs_ewt: None,
                log,
            },
        })
    }

    fn run(mut self, progress: &mut dyn FnMut(f64)) -> Result<ReplicationTally, SimError> {
        let w = &mut self.world;
        for (gi, g) in w.scenario.groups.iter().enumerate() {
            let (start, end) = g.shift.map_or((0, None), |s| {
                (ms(s.start_s), s.end_s.is_finite().then(|| ms(s.end_s)))
            });
            w.cal.schedule(start, Ev::ShiftStart { group: gi as u32 });
            if let Some(end) = end {
                w.cal.schedule(end, Ev::ShiftEnd { group: gi as u32 });
            }
        }
        for qi in 0..w.queues.len() {
            w.schedule_next_arrival(qi);
        }
        let cutoff = w.scenario.run.at_end == AtEnd::Cutoff;
        let mut now = 0u64;
        while let Some((t, ev)) = self.world.cal.pop() {
            if cutoff && t >= self.world.end_ms {
                now = self.world.end_ms;
                break;
            }
            now = t;
            self.world.tally.events += 1;
            if self.world.tally.events & 0xFFFF == 0 {
                progress((t as f64 / self.world.end_ms as f64).min(1.0));
            }
            self.step(t, ev)?;
        }
        if cutoff {
            now = now.max(self.world.end_ms);
        }
        let mut w = self.world;
        w.finish(now);
        progress(1.0);
        Ok(w.tally)
    }

    /// Handles one event through the engine and applies its decisions.
    fn handle(&mut self, event: Event, now: u64) -> Result<(), SimError> {
        let t = Time::from_millis(now);
        let decisions = self
            .engine
            .handle(event, t)
            .map_err(|source| SimError::Engine {
                replication: self.world.replication,
                event: event.name(),
                now: t,
                source,
            })?;
        self.world.apply(decisions, now);
        if let Some(c) = self.world.needs_ewt.take() {
            let ewt = self.engine.estimated_wait(c, t).map(Span::as_secs_f64);
            let (slot, _) = slot_of(c);
            self.world.contacts[slot as usize].ewt_s = ewt;
        }
        if let Some(d) = self.engine.next_deadline() {
            let d = d.as_millis().max(now);
            if self.world.tick_at.is_none_or(|x| d < x) {
                self.world.tick_at = Some(d);
                self.world.cal.schedule(d, Ev::Tick);
            }
        }
        Ok(())
    }

    fn step(&mut self, now: u64, ev: Ev) -> Result<(), SimError> {
        match ev {
            Ev::Arrival { queue } => {
                let id = self.world.new_contact(queue, now);
                self.handle(
                    Event::ContactArrived {
                        contact: id,
                        queue: QueueId(queue),
                        priority_boost: 0,
                    },
                    now,
                )?;
                self.world.schedule_next_arrival(queue as usize);
            }
            Ev::Patience { slot, gen } => {
                let c = &self.world.contacts[slot as usize];
                if c.gen == gen && c.phase == ContactPhase::Waiting {
                    self.handle(
                        Event::ContactAbandoned {
                            contact: contact_id(slot, gen),
                        },
                        now,
                    )?;
                }
            }
            Ev::TalkEnd { slot, gen } => {
                self.handle(
                    Event::ContactEnded {
                        contact: contact_id(slot, gen),
                    },
                    now,
                )?;
            }
            Ev::WrapUpDone { agent, slot, gen } => {
                self.handle(
                    Event::WrapUpDone {
                        agent: AgentId(agent),
                        contact: contact_id(slot, gen),
                    },
                    now,
                )?;
            }
            Ev::ShiftStart { group } => {
                for a in self.world.model.group_agents[group as usize].clone() {
                    self.handle(Event::AgentLoggedIn { agent: AgentId(a) }, now)?;
                    self.handle(Event::AgentReady { agent: AgentId(a) }, now)?;
                }
            }
            Ev::ShiftEnd { group } => {
                for a in self.world.model.group_agents[group as usize].clone() {
                    let agent = AgentId(a);
                    match self.world.agents[a as usize].activity {
                        Activity::Busy => {
                            self.world.agents[a as usize].leaving = true;
                            self.handle(
                                Event::AgentNotReady {
                                    agent,
                                    reason: END_OF_SHIFT,
                                },
                                now,
                            )?;
                        }
                        Activity::Idle => self.handle(Event::AgentLoggedOut { agent }, now)?,
                        Activity::Off => {}
                    }
                }
            }
            Ev::LogOut { agent } => {
                let a = &mut self.world.agents[agent as usize];
                if a.leaving {
                    a.leaving = false;
                    self.handle(
                        Event::AgentLoggedOut {
                            agent: AgentId(agent),
                        },
                        now,
                    )?;
                }
            }
            Ev::Tick => {
                if self.world.tick_at == Some(now) {
                    self.world.tick_at = None;
                    self.handle(Event::Tick, now)?;
                }
            }
        }
        Ok(())
    }
}

impl World<'_> {
    fn schedule_next_arrival(&mut self, qi: usize) {
        let q = &mut self.queues[qi];
        if let Some(t) = q.arrivals.next(&mut q.arrival_rng) {
            self.cal.schedule(ms(t), Ev::Arrival { queue: qi as u32 });
        }
    }

    fn new_contact(&mut self, queue: u32, now: u64) -> ContactId {
        let q = &mut self.queues[queue as usize];
        // Every caller draws a handle time and a patience, used or not, so caller k of a
        // queue gets the same values whatever the staffing (common random numbers).
        let handle_ms = ms(q.handle.sample(&mut q.handle_rng));
        let patience_ms = q.patience.map(|p| ms(p.sample(&mut q.patience_rng)));
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.contacts.push(Contact {
                    gen: 0,
                    phase: ContactPhase::Free,
                    queue: 0,
                    arrival_ms: 0,
                    arrival_s: 0.0,
                    handle_ms: 0,
                    patience_ms: None,
                    queued: false,
                    ewt_s: None,
                    seq: 0,
                    agent: None,
                    answered_ms: None,
                    ended_ms: 0,
                });
                (self.contacts.len() - 1) as u32
            }
        };
        let c = &mut self.contacts[slot as usize];
        c.gen = c.gen.wrapping_add(1);
        c.phase = ContactPhase::Waiting;
        c.queue = queue;
        c.arrival_ms = now;
        c.arrival_s = now as f64 / 1000.0;
        c.handle_ms = handle_ms;
        c.patience_ms = patience_ms;
        c.queued = false;
        c.ewt_s = None;
        c.seq = self.tally.contacts;
        c.agent = None;
        c.answered_ms = None;
        c.ended_ms = 0;
        self.tally.contacts += 1;
        contact_id(slot, c.gen)
    }

    /// Adds the contact in `slot` to the contact log (when kept).
    fn log(&mut self, slot: u32, outcome: LogOutcome, wrap_up_end_ms: Option<u64>) {
        if !self.log {
            return;
        }
        let c = &self.contacts[slot as usize];
        self.tally.contact_log.push(ContactLog {
            seq: c.seq,
            queue: c.queue as usize,
            agent: c.agent,
            arrival_ms: c.arrival_ms,
            answered_ms: c.answered_ms,
            ended_ms: c.ended_ms,
            wrap_up_end_ms,
            outcome,
        });
    }

    fn release(&mut self, slot: u32) {
        self.contacts[slot as usize].phase = ContactPhase::Free;
        self.free.push(slot);
    }

    /// Counts a contact whose fate is known.
    fn record(&mut self, slot: u32, outcome: Outcome, wait_ms: u64) {
        let c = &self.contacts[slot as usize];
        let q = &self.queues[c.queue as usize];
        let wait_s = wait_ms as f64 / 1000.0;
        let rec = ContactRecord {
            queue: c.queue as usize,
            arrival_s: c.arrival_s,
            outcome,
            wait_s,
            handle_s: c.handle_ms as f64 / 1000.0,
            within_sl: outcome == Outcome::Answered && wait_ms <= q.sl_ms,
            ewt_s: if outcome == Outcome::Answered && c.queued {
                c.ewt_s
            } else {
                None
            },
        };
        if c.arrival_ms >= self.warmup_ms {
            self.tally.queues[rec.queue].record(&rec);
        }
        let k = (c.arrival_ms / self.interval_ms) as usize;
        if let Some(iv) = self.tally.intervals.get_mut(k) {
            iv[rec.queue].record(&rec);
        }
    }

    /// Adds an agent's time in `activity` over `[from, to)` to the group (measurement
    /// window only) and to the interval series.
    fn account(&mut self, group: u32, activity: Activity, from: u64, to: u64) {
        if activity == Activity::Off || to <= from {
            return;
        }
        let add = |t: &mut GroupTally, d: u64| {
            let s = d as f64 / 1000.0;
            match activity {
                Activity::Busy => t.busy_s += s,
                _ => t.idle_s += s,
            }
        };
        let (a, b) = (from.max(self.warmup_ms), to.min(self.end_ms));
        if b > a {
            add(&mut self.tally.groups[group as usize], b - a);
        }
        let mut t = from;
        let stop = to.min(self.end_ms);
        while t < stop {
            let k = t / self.interval_ms;
            let next = ((k + 1) * self.interval_ms).min(stop);
            if let Some(iv) = self.tally.interval_agents.get_mut(k as usize) {
                add(iv, next - t);
            }
            t = next;
        }
    }

    fn set_activity(&mut self, agent: u32, activity: Activity, now: u64) {
        let a = self.agents[agent as usize];
        if a.activity == activity {
            return;
        }
        self.account(a.group, a.activity, a.since_ms, now);
        let a = &mut self.agents[agent as usize];
        a.activity = activity;
        a.since_ms = now;
    }

    fn apply(&mut self, decisions: &[Decision], now: u64) {
        for d in decisions {
            match *d {
                Decision::ContactQueued {
                    contact,
                    callback: false,
                    ..
                } => {
                    let (slot, _) = slot_of(contact);
                    let c = &mut self.contacts[slot as usize];
                    c.phase = ContactPhase::Waiting;
                    if !c.queued {
                        c.queued = true;
                        if let Some(p) = c.patience_ms {
                            let gen = c.gen;
                            self.cal.schedule(now + p, Ev::Patience { slot, gen });
                        }
                        self.needs_ewt = Some(contact);
                    }
                }
                Decision::ContactAnswered {
                    contact,
                    waited,
                    agent,
                    ..
                } => {
                    let (slot, gen) = slot_of(contact);
                    let c = &mut self.contacts[slot as usize];
                    c.phase = ContactPhase::Talking;
                    c.agent = Some(agent.0);
                    c.answered_ms = Some(now);
                    let end = now + c.handle_ms;
                    c.ended_ms = end;
                    self.cal.schedule(end, Ev::TalkEnd { slot, gen });
                    self.record(slot, Outcome::Answered, waited.as_millis());
                }
                Decision::ContactEnded {
                    contact,
                    outcome,
                    waited,
                    ..
                } => {
                    let (slot, _) = slot_of(contact);
                    match outcome {
                        EngineOutcome::Abandoned => {
                            self.record(slot, Outcome::Abandoned, waited.as_millis());
                            self.contacts[slot as usize].ended_ms = now;
                            self.log(slot, LogOutcome::Abandoned, None);
                            self.release(slot);
                        }
                        _ if self.model.manual_wrap_up => {
                            self.contacts[slot as usize].phase = ContactPhase::WrappingUp;
                        }
                        _ => {
                            self.log(slot, LogOutcome::Answered, None);
                            self.release(slot);
                        }
                    }
                }
                Decision::WrapUpStarted {
                    agent,
                    contact,
                    until: None,
                } => {
                    let g = self.agents[agent.index()].group as usize;
                    let wrap = self.scenario.groups[g]
                        .wrap_up
                        .map_or(0, |d| ms(d.sample(&mut self.wrap_rngs[g])));
                    let (slot, gen) = slot_of(contact);
                    self.cal.schedule(
                        now + wrap,
                        Ev::WrapUpDone {
                            agent: agent.0,
                            slot,
                            gen,
                        },
                    );
                }
                Decision::WrapUpEnded { contact, .. } => {
                    let (slot, _) = slot_of(contact);
                    if self.contacts[slot as usize].phase == ContactPhase::WrappingUp {
                        self.log(slot, LogOutcome::Answered, Some(now));
                        self.release(slot);
                    }
                }
                Decision::AgentStateChanged { agent, state } => {
                    let activity = match state {
                        AgentState::Ready => Activity::Idle,
                        AgentState::Offered | AgentState::OnContact | AgentState::WrapUp => {
                            Activity::Busy
                        }
                        AgentState::NotReady(_) | AgentState::LoggedOut => Activity::Off,
                    };
                    self.set_activity(agent.0, activity, now);
                    if matches!(state, AgentState::NotReady(_))
                        && self.agents[agent.index()].leaving
                    {
                        self.cal.schedule(now, Ev::LogOut { agent: agent.0 });
                    }
                }
                _ => {}
            }
        }
    }

    /// Closes the books at `now`: agents' time so far, contacts still waiting.
    fn finish(&mut self, now: u64) {
        let end = now.max(self.end_ms);
        for a in 0..self.agents.len() {
            let ag = self.agents[a];
            self.account(ag.group, ag.activity, ag.since_ms, end);
        }
        for slot in 0..self.contacts.len() {
            let c = self.contacts[slot];
            match c.phase {
                ContactPhase::Waiting => {
                    self.record(
                        slot as u32,
                        Outcome::Unfinished,
                        now.saturating_sub(c.arrival_ms),
                    );
                    self.contacts[slot].ended_ms = now;
                    self.log(slot as u32, LogOutcome::Unfinished, None);
                }
                // Cut off while talking or wrapping up: answered (as the tallies count
                // it), ending when its drawn handle time says; the wrap-up end unknown.
                ContactPhase::Talking | ContactPhase::WrappingUp => {
                    self.log(slot as u32, LogOutcome::Answered, None);
                }
                ContactPhase::Free => {}
            }
        }
    }
}
