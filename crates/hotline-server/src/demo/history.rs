//! The demo center's past: the weeks before the demo starts, simulated by `hotline-sim`
//! through the same routing engine, so that the reports, the morning briefing, the
//! complaint analysis and the scorecards have something to show on the first start.
//!
//! The scenario is `examples/scenarios/gold-club.toml`, the same center as the live demo
//! (a test keeps the two in step: queues, arrival profiles, teams and their sizes). Day
//! `d` of the history is replication `d` of the scenario, placed at 08:00 of that day in
//! the server's time zone. The simulator knows queues, agents and times; customers,
//! complaint categories and VIP flags are drawn here from a seeded generator the way the
//! live traffic draws them, and each agent's state history follows from their shift and
//! the contacts they handled (logged in for the shift; busy, wrap-up or ready in between —
//! the simulated agents take no breaks, so the history has no not-ready time).
//!
//! Everything goes in as one import (`demo history (simulated)`), so a report can tell it
//! from live records, and a second start finds it and adds nothing.

use std::collections::BTreeMap;

use hotline_metrics::{
    AgentState, AgentStateInterval, Channel, ContactRecord, DurationMs, Outcome, TimestampMs,
};
use hotline_sim::{ContactLog, LogOutcome, Scenario, Simulation};
use hotline_store::{ImportEnd, ImportKind, NewImport, Store};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use super::seed::{self, DemoQueue, TEAMS};

/// The simulated center: the same one the live demo runs.
pub const SCENARIO: &str = include_str!("../../../../examples/scenarios/gold-club.toml");

/// The import's source name: how a report (and the next start) recognises the history.
pub const SOURCE: &str = "demo history (simulated)";

/// Records written per batch (the import is one transaction either way).
const BATCH: usize = 20_000;

/// What the history added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Days simulated.
    pub days: u32,
    /// Contact records written.
    pub records: u64,
    /// Agent state spells written.
    pub spells: u64,
}

/// The demo team and index of the scenario's agent group `group`'s `k`-th agent (the
/// scenario splits the technical team's late shift into its own group; in the demo the
/// late agents are the team's first ones).
fn demo_agent(group: &str, k: u32) -> Option<(usize, u32)> {
    let tech_late = TEAMS[3].late;
    Some(match group {
        "gold-desk" => (0, k),
        "complaints-team" => (1, k),
        "billing" => (2, k),
        "tech-late" => (3, k),
        "tech" => (3, tech_late + k),
        "generalists" => (4, k),
        _ => return None,
    })
}

/// The demo queue of the scenario's queue `id`.
fn demo_queue(id: &str) -> Option<DemoQueue> {
    Some(match id {
        "gold" => DemoQueue::Gold,
        "billing" => DemoQueue::Billing,
        "faults" => DemoQueue::Faults,
        "service_requests" => DemoQueue::Service,
        "complaints" => DemoQueue::Complaints,
        _ => return None,
    })
}

/// Simulates `days` days ending yesterday (in `tz`, `today` being today's date there) and
/// imports them, unless a history is already stored. `now` stamps the import.
pub async fn ensure(
    store: &Store,
    tz: &jiff::tz::TimeZone,
    today: jiff::civil::Date,
    days: u32,
    human_agents: u32,
    seed: u64,
    now: hotline_store::TimestampMs,
) -> anyhow::Result<Option<History>> {
    if days == 0
        || store
            .list_imports()
            .await?
            .iter()
            .any(|r| r.source == SOURCE)
    {
        return Ok(None);
    }
    let (records, spells) = simulate(tz, today, days, human_agents, seed)?;
    let mut import = store
        .begin_import(&NewImport {
            kind: ImportKind::Records,
            source: SOURCE.into(),
            sha256: format!("{:064x}", u128::from(seed) << 32 | u128::from(days)),
            started_at: now,
        })
        .await?;
    for chunk in records.chunks(BATCH) {
        import.add_records(chunk).await?;
    }
    for chunk in spells.chunks(BATCH) {
        import.add_agent_states(chunk).await?;
    }
    let written = History {
        days,
        records: import.records().accepted,
        spells: import.states().accepted,
    };
    let mut notes = serde_json::Map::new();
    notes.insert("days".into(), days.into());
    notes.insert("seed".into(), seed.into());
    import
        .finish(ImportEnd {
            finished_at: hotline_store::TimestampMs::now(),
            rejected: 0,
            notes,
        })
        .await?;
    Ok(Some(written))
}

/// The records and state spells of `days` simulated days ending the day before `today`.
pub fn simulate(
    tz: &jiff::tz::TimeZone,
    today: jiff::civil::Date,
    days: u32,
    human_agents: u32,
    seed: u64,
) -> anyhow::Result<(Vec<ContactRecord>, Vec<AgentStateInterval>)> {
    let mut scenario = Scenario::from_toml(SCENARIO)?;
    scenario.run.seed = seed;
    scenario.run.replications = days;
    let sim = Simulation::new(scenario)?.with_contact_log(true);
    let scenario = sim.scenario();
    let names = sim.agent_names();
    let groups = sim.agent_groups();
    // Per simulated agent: demo username, team name, shift (ms after 08:00).
    let mut agents = Vec::with_capacity(names.len());
    let mut in_group: BTreeMap<&str, u32> = BTreeMap::new();
    for g in &groups {
        let k = in_group.entry(g.as_str()).or_insert(0);
        let (team, i) = demo_agent(g, *k)
            .ok_or_else(|| anyhow::anyhow!("scenario agent group {g:?} is not in the demo"))?;
        *k += 1;
        let spec = scenario
            .groups
            .iter()
            .find(|s| &s.name == g)
            .ok_or_else(|| anyhow::anyhow!("scenario agent group {g:?} has no spec"))?;
        let (start_s, end_s) = spec
            .shift
            .map_or((0.0, scenario.run.duration_s), |s| (s.start_s, s.end_s));
        agents.push((
            seed::username(team, i, human_agents),
            TEAMS[team].name,
            (start_s * 1000.0) as u64,
            (end_s.min(scenario.run.duration_s) * 1000.0) as u64,
        ));
    }
    let queues = scenario
        .queues
        .iter()
        .map(|q| {
            demo_queue(&q.id)
                .ok_or_else(|| anyhow::anyhow!("scenario queue {:?} is not in the demo", q.id))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut rng = Pcg64::seed_from_u64(seed ^ 0x4849_5354_4f52_5921);
    let mut customers = Customers::default();
    let mut records = Vec::new();
    let mut spells = Vec::new();
    for d in 0..days {
        let date = today
            .checked_sub(jiff::Span::new().days(i64::from(days - d)))
            .map_err(|e| anyhow::anyhow!("history day {d}: {e}"))?;
        let opens = date
            .at(8, 0, 0, 0)
            .to_zoned_datetime(tz.clone())
            .map_err(|e| anyhow::anyhow!("08:00 on {date}: {e}"))?;
        let base = opens.timestamp().as_millisecond();
        let at = |ms: u64| TimestampMs(base + ms as i64);
        let mut log = sim.run_replication(d)?.contact_log;
        log.sort_by_key(|c| (c.arrival_ms, c.seq));
        let mut handled: Vec<Vec<&ContactLog>> = vec![Vec::new(); agents.len()];
        for c in &log {
            if let Some(a) = c.agent {
                handled[a as usize].push(c);
            }
            let queue = queues[c.queue];
            let agent = c.agent.map(|a| &agents[a as usize]);
            records.push(ContactRecord {
                contact_id: format!("demo-history-{date}-{}", c.seq + 1),
                queue: queue.name().into(),
                channel: Channel::Voice,
                customer: customers.next(&mut rng, queue),
                agent: agent.map(|a| a.0.clone()),
                team: agent.map(|a| a.1.to_string()),
                arrived_at: at(c.arrival_ms),
                answered_at: c.answered_ms.map(at),
                ended_at: at(c.ended_ms),
                wrap_up_end_at: c.wrap_up_end_ms.map(at),
                outcome: match c.outcome {
                    LogOutcome::Answered => Outcome::Answered,
                    LogOutcome::Abandoned => Outcome::Abandoned,
                    LogOutcome::Unfinished => Outcome::Unfinished,
                },
                wait: DurationMs(c.wait_ms() as i64),
                talk: DurationMs(c.talk_ms() as i64),
                hold: DurationMs::ZERO,
                wrap_up: DurationMs(c.wrap_up_ms() as i64),
                transfers: 0,
                attributes: attributes(&mut rng, queue),
            });
        }
        for (a, contacts) in handled.iter().enumerate() {
            let (name, team, start, end) = &agents[a];
            spells.extend(timeline(name, team, *start, *end, contacts, &at));
        }
    }
    Ok((records, spells))
}

/// One agent's day: logged in for the shift, busy while talking, in wrap-up after, ready
/// in between; a contact running past the shift keeps them logged in until it is done.
fn timeline(
    name: &str,
    team: &str,
    start: u64,
    end: u64,
    contacts: &[&ContactLog],
    at: &dyn Fn(u64) -> TimestampMs,
) -> Vec<AgentStateInterval> {
    let mut out = Vec::new();
    let mut push = |state, from: u64, to: u64| {
        if to > from {
            out.push(AgentStateInterval {
                agent: name.to_owned(),
                team: Some(team.to_owned()),
                state,
                reason: None,
                from: at(from),
                to: at(to),
            });
        }
    };
    let mut cursor = start;
    let mut sorted: Vec<&&ContactLog> = contacts.iter().collect();
    sorted.sort_by_key(|c| c.answered_ms);
    for c in sorted {
        let Some(answered) = c.answered_ms else {
            continue;
        };
        let answered = answered.max(cursor);
        push(AgentState::Ready, cursor, answered);
        let ended = c.ended_ms.max(answered);
        push(AgentState::Busy, answered, ended);
        let done = c.wrap_up_end_ms.unwrap_or(ended).max(ended);
        push(AgentState::WrapUp, ended, done);
        cursor = done;
    }
    push(AgentState::Ready, cursor, end);
    out
}

/// Callers of the history: mostly new numbers, some calling again (more often for
/// complaints), as in the live traffic.
#[derive(Default)]
struct Customers {
    recent: std::collections::VecDeque<String>,
}

impl Customers {
    const KEEP: usize = 2_000;

    fn next(&mut self, rng: &mut Pcg64, queue: DemoQueue) -> String {
        let again = if queue == DemoQueue::Complaints {
            0.3
        } else {
            0.05
        };
        let customer = if !self.recent.is_empty() && rng.gen_bool(again) {
            self.recent[rng.gen_range(0..self.recent.len())].clone()
        } else {
            format!("13{:09}", rng.gen_range(0..1_000_000_000u32))
        };
        if self.recent.len() == Self::KEEP {
            self.recent.pop_front();
        }
        self.recent.push_back(customer.clone());
        customer
    }
}

/// What the IVR would have attached: the reason, VIP for the gold club, and the type
/// and category of a complaint.
fn attributes(rng: &mut Pcg64, queue: DemoQueue) -> serde_json::Map<String, serde_json::Value> {
    let mut a = serde_json::Map::new();
    let reasons = queue.reasons();
    let reason = reasons[rng.gen_range(0..reasons.len())];
    a.insert("reason".into(), reason.into());
    if queue == DemoQueue::Gold {
        a.insert("vip".into(), true.into());
    }
    if let Some(category) = queue.complaint_category(reason) {
        a.insert("type".into(), "complaint".into());
        a.insert("category".into(), category.into());
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_is_the_demo_center() {
        let scenario = Scenario::from_toml(SCENARIO).unwrap();
        let mut sizes = [0u32; 5];
        for g in &scenario.groups {
            let (team, _) = demo_agent(&g.name, 0).unwrap();
            sizes[team] += g.count;
        }
        assert_eq!(sizes, TEAMS.map(|t| t.size));
        assert_eq!(
            scenario
                .groups
                .iter()
                .find(|g| g.name == "tech-late")
                .unwrap()
                .count,
            TEAMS[3].late
        );
        for q in &scenario.queues {
            let demo = demo_queue(&q.id).unwrap();
            for (i, n) in demo.traffic().arrivals.iter().enumerate() {
                let from = i as f64 * 1800.0;
                let expected = q.arrivals.expected(from, from + 1800.0);
                assert!(
                    (expected - f64::from(*n)).abs() < 1e-6,
                    "{} interval {i}",
                    q.id
                );
            }
        }
        assert_eq!(scenario.queues.len(), DemoQueue::ALL.len());
    }

    #[test]
    fn a_simulated_day_is_a_plausible_day_of_the_demo() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let today = jiff::civil::date(2026, 11, 23);
        let (records, spells) = simulate(&tz, today, 2, 3, 7).unwrap();
        // Yesterday and the day before, from 08:00 Shanghai time.
        let first = records.iter().map(|r| r.arrived_at).min().unwrap();
        assert_eq!(
            first.0 / 1000 / 3600 * 3600 * 1000,
            jiff::civil::date(2026, 11, 21)
                .at(8, 0, 0, 0)
                .to_zoned_datetime(tz.clone())
                .unwrap()
                .timestamp()
                .as_millisecond()
        );
        let per_day = records.len() / 2;
        assert!(
            (12_000..16_000).contains(&per_day),
            "{per_day} contacts a day"
        );
        for r in &records {
            r.check().unwrap();
            hotline_store::check_import_record(r).unwrap();
        }
        let complaints: Vec<_> = records.iter().filter(|r| r.queue == "Complaints").collect();
        assert!(complaints
            .iter()
            .all(|r| r.attributes["type"] == "complaint"));
        assert!(complaints
            .iter()
            .all(|r| r.attributes.contains_key("category")));
        // The human agent `agent` (Billing's first) has a history of their own.
        assert!(records.iter().any(|r| r.agent.as_deref() == Some("agent")));
        assert!(records
            .iter()
            .any(|r| r.agent.as_deref() == Some("tech.01")));
        // Spells tile each agent's shift without overlap.
        let mut by_agent: BTreeMap<&str, Vec<&AgentStateInterval>> = BTreeMap::new();
        for s in &spells {
            hotline_store::check_import_state(s).unwrap();
            by_agent.entry(&s.agent).or_default().push(s);
        }
        assert_eq!(by_agent.len(), 150);
        for (agent, list) in by_agent {
            for w in list.windows(2) {
                if w[0].from.0 / 86_400_000 == w[1].from.0 / 86_400_000 {
                    assert!(
                        w[0].to <= w[1].from,
                        "{agent}: {:?} overlaps {:?}",
                        w[0],
                        w[1]
                    );
                }
            }
        }
        // Same seed, same history.
        let again = simulate(&tz, today, 2, 3, 7).unwrap();
        assert_eq!(again.0, records);
    }
}
