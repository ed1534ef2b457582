//! The small hand-checked world: one department, two teams, four agents, a dozen
//! records in March 2024 in Europe/Berlin (which changes to summer time on the 31st).
//!
//! Org: center `c` → department `d1` ("Operations") → team `t1` (queue q1: a1, a2),
//! team `t2` (queue q2: a3, a4).
//!
//! | id | queue | agent | arrives (local) | wait | talk | wrap | handle | outcome |
//! |---|---|---|---|---|---|---|---|---|
//! | r1 | q1 | a1 | 03-04 09:00 | 10 | 200 | 40 | 240 | answered |
//! | r2 | q1 | a1 | 03-05 09:00 | 20 | 300 | 60 | 360 | answered |
//! | r3 | q1 | a2 | 03-06 09:00 | 30 | 150 | 30 | 180 | answered, 1 transfer |
//! | r4 | q1 | — | 03-07 09:00 | 40 | | | | abandoned |
//! | r5 | q2 | a3 | 03-08 09:00 | 5 | 250 | 50 | 300 | answered |
//! | r6 | q2 | a3 | 03-09 09:00 | 20 | 340 | 50 | 390 | answered |
//! | r7 | q2 | a4 | 03-10 09:00 | 15 | 100 | 20 | 120 | answered |
//! | r8 | q2 | a4 | 03-11 09:00 | 0 | 200 | 40 | 240 | answered |
//! | r9 | q2 | a4 | 03-12 09:00 | 45 | 340 | 20 | 360 | answered |
//! | r10 | q1 | a2 | 03-31 23:59:59.999 (+02:00) | 12 | 220 | 20 | 240 | answered |
//! | r11 | q1 | a1 | 04-01 00:00:00.000 (+02:00) | 8 | 100 | 0 | 100 | answered (April) |
//! | r12 | q2 | a3 | 01-15 10:00 | 10 | 250 | 50 | 300 | answered (January) |
//! | r13 | q1 | a1 | 2023-12-20 10:00 | 10 | 100 | 0 | 100 | answered (outside) |
//!
//! March, T = 20 s: center offered 10, answered 9, abandoned 1 (10 %), within T 7
//! (70 %), handle 2430 s / 9 = 270 s. Team t1 (q1): offered 5, abandoned 1 (20 %),
//! within T 3 (r1, r2, r10: 60 %), handle 1020 / 4 = 255. Team t2 (q2): offered 5,
//! abandoned 0, within T 4 (80 %), handle 1410 / 5 = 282. Agents' AHT: a1 600 / 2 =
//! 300, a2 420 / 2 = 210, a3 690 / 2 = 345, a4 720 / 3 = 240.
//!
//! Agent states in March (one hour each): a1 busy 45 min + ready 15 (occupancy 75 %),
//! a2 busy 30 + ready 30 (50 %), a3 busy 54 + ready 6 (90 %), a4 none. Team t1: 75 /
//! 120 = 62.5 %, t2: 90 %, center 129 / 180 = 71.67 %.

use hotline_metrics::{
    AgentState, AgentStateInterval, Channel, ContactRecord, DurationMs, Outcome, TimestampMs,
};
use hotline_scorecard::{Definition, Org};
use jiff::tz::TimeZone;

pub fn tz() -> TimeZone {
    TimeZone::get("Europe/Berlin").unwrap()
}

pub fn ts(text: &str) -> TimestampMs {
    TimestampMs(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn s(secs: i64) -> DurationMs {
    DurationMs::from_secs(secs)
}

#[allow(clippy::too_many_arguments)]
pub fn rec(
    id: &str,
    queue: &str,
    agent: Option<&str>,
    arrived: &str,
    wait: i64,
    talk: i64,
    wrap: i64,
    transfers: u32,
) -> ContactRecord {
    let arrived = ts(arrived);
    let answered = agent.map(|_| arrived.plus(s(wait)));
    let ended = answered.unwrap_or(arrived.plus(s(wait))).plus(s(talk));
    ContactRecord {
        contact_id: id.into(),
        queue: queue.into(),
        channel: Channel::Voice,
        customer: String::new(),
        agent: agent.map(str::to_owned),
        team: None,
        arrived_at: arrived,
        answered_at: answered,
        ended_at: ended,
        wrap_up_end_at: answered.map(|_| ended.plus(s(wrap))),
        outcome: if agent.is_some() {
            Outcome::Answered
        } else {
            Outcome::Abandoned
        },
        wait: s(wait),
        talk: s(talk),
        hold: DurationMs::ZERO,
        wrap_up: s(wrap),
        transfers,
        attributes: serde_json::Map::new(),
    }
}

pub fn records() -> Vec<ContactRecord> {
    vec![
        rec(
            "r1",
            "q1",
            Some("a1"),
            "2024-03-04T09:00:00+01:00",
            10,
            200,
            40,
            0,
        ),
        rec(
            "r2",
            "q1",
            Some("a1"),
            "2024-03-05T09:00:00+01:00",
            20,
            300,
            60,
            0,
        ),
        rec(
            "r3",
            "q1",
            Some("a2"),
            "2024-03-06T09:00:00+01:00",
            30,
            150,
            30,
            1,
        ),
        rec("r4", "q1", None, "2024-03-07T09:00:00+01:00", 40, 0, 0, 0),
        rec(
            "r5",
            "q2",
            Some("a3"),
            "2024-03-08T09:00:00+01:00",
            5,
            250,
            50,
            0,
        ),
        rec(
            "r6",
            "q2",
            Some("a3"),
            "2024-03-09T09:00:00+01:00",
            20,
            340,
            50,
            0,
        ),
        rec(
            "r7",
            "q2",
            Some("a4"),
            "2024-03-10T09:00:00+01:00",
            15,
            100,
            20,
            0,
        ),
        rec(
            "r8",
            "q2",
            Some("a4"),
            "2024-03-11T09:00:00+01:00",
            0,
            200,
            40,
            0,
        ),
        rec(
            "r9",
            "q2",
            Some("a4"),
            "2024-03-12T09:00:00+01:00",
            45,
            340,
            20,
            0,
        ),
        rec(
            "r10",
            "q1",
            Some("a2"),
            "2024-03-31T23:59:59.999+02:00",
            12,
            220,
            20,
            0,
        ),
        rec(
            "r11",
            "q1",
            Some("a1"),
            "2024-04-01T00:00:00+02:00",
            8,
            100,
            0,
            0,
        ),
        rec(
            "r12",
            "q2",
            Some("a3"),
            "2024-01-15T10:00:00+01:00",
            10,
            250,
            50,
            0,
        ),
        rec(
            "r13",
            "q1",
            Some("a1"),
            "2023-12-20T10:00:00+01:00",
            10,
            100,
            0,
            0,
        ),
    ]
}

pub fn state(agent: &str, state: AgentState, from: &str, to: &str) -> AgentStateInterval {
    AgentStateInterval {
        agent: agent.into(),
        team: None,
        state,
        reason: None,
        from: ts(from),
        to: ts(to),
    }
}

pub fn states() -> Vec<AgentStateInterval> {
    use AgentState::*;
    vec![
        state(
            "a1",
            Busy,
            "2024-03-04T09:00:00+01:00",
            "2024-03-04T09:45:00+01:00",
        ),
        state(
            "a1",
            Ready,
            "2024-03-04T09:45:00+01:00",
            "2024-03-04T10:00:00+01:00",
        ),
        state(
            "a2",
            Busy,
            "2024-03-06T09:00:00+01:00",
            "2024-03-06T09:30:00+01:00",
        ),
        state(
            "a2",
            Ready,
            "2024-03-06T09:30:00+01:00",
            "2024-03-06T10:00:00+01:00",
        ),
        state(
            "a3",
            Busy,
            "2024-03-08T09:00:00+01:00",
            "2024-03-08T09:54:00+01:00",
        ),
        state(
            "a3",
            Ready,
            "2024-03-08T09:54:00+01:00",
            "2024-03-08T10:00:00+01:00",
        ),
    ]
}

pub const ORG: &str = r#"
id = "c"
name = "Test center"

[[departments]]
id = "d1"
name = "Operations"

[[departments.teams]]
id = "t1"
queues = ["q1"]
agents = [{ id = "a1", name = "Ana" }, { id = "a2" }]

[[departments.teams]]
id = "t2"
queues = ["q2"]
agents = [{ id = "a3" }, { id = "a4" }]
"#;

pub fn org() -> Org {
    Org::from_toml(ORG).unwrap()
}

/// The test definition. Center: customer (weight 2: reach = service level w2 +
/// abandon rate w1; satisfaction = csat, not fed), internal (w1: efficiency = AHT +
/// occupancy), financial (w1: productivity = answered, higher is better).
pub const DEF: &str = r#"
name = "Test"

[perspectives.customer]
weight = 2

[[perspectives.customer.objectives]]
id = "reach"
name = "Reach"

[[perspectives.customer.objectives.measures]]
kpi = "service_level"
target = 80
amber = 60
weight = 2

[[perspectives.customer.objectives.measures]]
kpi = "abandon_rate"
target = 10
amber = 20

[[perspectives.customer.objectives]]
id = "satisfaction"
name = { en = "Satisfaction", zh = "满意度", es = "Satisfacción" }

[[perspectives.customer.objectives.measures]]
kpi = "csat"
target = 90
amber = 80

[perspectives.internal]

[[perspectives.internal.objectives]]
id = "efficiency"
name = "Efficiency"

[[perspectives.internal.objectives.measures]]
kpi = "aht_s"
target = 300
amber = 360

[[perspectives.internal.objectives.measures]]
kpi = "occupancy"
target = 80
green_within = 5
amber_within = 10

[perspectives.financial]

[[perspectives.financial.objectives]]
id = "productivity"
name = "Productivity"

[[perspectives.financial.objectives.measures]]
kpi = "answered"
better = "higher"
target = 8
amber = 6

[[overrides]]
team = "t1"
measure = "customer.reach.service_level"
target = 85
amber = 65

[[overrides]]
level = "team"
measure = "financial.productivity.answered"
target = 5
amber = 4

[[overrides]]
level = "agent"
measure = "financial.productivity.answered"
target = 3
amber = 2

[[overrides]]
agent = "a3"
measure = "internal.efficiency.aht_s"
target = 360
amber = 400

[[overrides]]
department = "Operations"
measure = "internal.efficiency.occupancy"
weight = 3
"#;

pub fn def() -> Definition {
    Definition::from_toml(DEF).unwrap()
}

/// `a` equals `b` to 1e-9 (relative).
#[track_caller]
pub fn approx(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} ≠ {b}");
}

/// `Some(a)` equals `b` to 1e-9.
#[track_caller]
pub fn some(a: Option<f64>, b: f64) {
    approx(a.unwrap_or_else(|| panic!("no value, expected {b}")), b);
}
