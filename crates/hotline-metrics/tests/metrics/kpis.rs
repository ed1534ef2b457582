//! Every computed KPI on a small record set checked by hand, every variant, plus
//! grouping, interval splitting, DST, totals, the CSV form and the refusals.

use std::collections::HashMap;

use hotline_metrics::report::{Dimension, Interval, KpiParams, Report, ReportError, ReportSpec};
use hotline_metrics::{
    AgentState, AgentStateInterval, Channel, ContactRecord, DurationMs, KpiId, Outcome,
    ReportTable, TimestampMs,
};
use jiff::tz::TimeZone;
use serde_json::json;

use crate::common::approx;

/// 2024-03-04 08:00 UTC plus `min` minutes.
fn at(min: i64) -> TimestampMs {
    TimestampMs(1_709_539_200_000 + min * 60_000)
}

fn s(secs: i64) -> DurationMs {
    DurationMs::from_secs(secs)
}

#[allow(clippy::too_many_arguments)]
fn rec(
    id: &str,
    queue: &str,
    arrived_min: i64,
    outcome: Outcome,
    agent: Option<&str>,
    wait: i64,
    talk: i64,
    hold: i64,
    wrap: i64,
    transfers: u32,
) -> ContactRecord {
    let arrived = at(arrived_min);
    let answered = agent.map(|_| arrived.plus(s(wait)));
    let ended = answered
        .unwrap_or(arrived.plus(s(wait)))
        .plus(s(talk + hold));
    ContactRecord {
        contact_id: id.into(),
        queue: queue.into(),
        channel: if queue == "sales" {
            Channel::Chat
        } else {
            Channel::Voice
        },
        customer: String::new(),
        agent: agent.map(str::to_owned),
        team: None,
        arrived_at: arrived,
        answered_at: answered,
        ended_at: ended,
        wrap_up_end_at: answered.map(|_| ended.plus(s(wrap))),
        outcome,
        wait: s(wait),
        talk: s(talk),
        hold: s(hold),
        wrap_up: s(wrap),
        transfers,
        attributes: serde_json::Map::from_iter([("vip".to_owned(), json!(id == "r1"))]),
    }
}

/// The hand-checked set. Billing (T = 20 s, S = 5 s):
///
/// | id | arrives | outcome | agent | wait | talk | hold | wrap | transfers |
/// |---|---|---|---|---|---|---|---|---|
/// | r1 | 08:00 | answered | ana | 10 | 100 | 20 | 30 | 0 |
/// | r2 | 08:05 | answered | ana | 20 | 200 | 0 | 60 | 1 |
/// | r3 | 08:31 | answered | bo | 45 | 300 | 10 | 20 | 0 |
/// | r4 | 08:06 | abandoned | | 3 | | | | |
/// | r5 | 08:07 | abandoned | | 5 | | | | |
/// | r6 | 08:08 | abandoned | | 60 | | | | |
/// | r7 | 08:09 | flow-out | | 300 | | | | |
/// | r8 | 08:10 | callback completed | bo | 100 | 50 | 0 | 0 | 0 |
/// | r9 | 08:11 | unfinished | | 30 | | | | |
///
/// Sales: s1 at 08:10, answered by cy after 5 s, talk 120.
fn records() -> Vec<ContactRecord> {
    use Outcome::*;
    vec![
        rec(
            "r1",
            "billing",
            0,
            Answered,
            Some("ana"),
            10,
            100,
            20,
            30,
            0,
        ),
        rec("r2", "billing", 5, Answered, Some("ana"), 20, 200, 0, 60, 1),
        rec(
            "r3",
            "billing",
            31,
            Answered,
            Some("bo"),
            45,
            300,
            10,
            20,
            0,
        ),
        rec("r4", "billing", 6, Abandoned, None, 3, 0, 0, 0, 0),
        rec("r5", "billing", 7, Abandoned, None, 5, 0, 0, 0, 0),
        rec("r6", "billing", 8, Abandoned, None, 60, 0, 0, 0, 0),
        rec("r7", "billing", 9, TransferredOut, None, 300, 0, 0, 0, 0),
        rec(
            "r8",
            "billing",
            10,
            CallbackCompleted,
            Some("bo"),
            100,
            50,
            0,
            0,
            0,
        ),
        rec("r9", "billing", 11, Unfinished, None, 30, 0, 0, 0, 0),
        rec("s1", "sales", 10, Answered, Some("cy"), 5, 120, 0, 0, 0),
    ]
}

fn st(agent: &str, state: AgentState, from_min: i64, to_min: i64) -> AgentStateInterval {
    AgentStateInterval {
        agent: agent.into(),
        team: None,
        state,
        reason: (state == AgentState::NotReady).then(|| "Break".to_owned()),
        from: at(from_min),
        to: at(to_min),
    }
}

/// ana: ready 08:00–10, busy –20, wrap-up –25, not ready –40, reserved –41, busy –50,
/// ready –09:00. bo: busy 08:00–30, ready –09:00. cy: logged out until 08:30, ready
/// –09:00.
fn states() -> Vec<AgentStateInterval> {
    use AgentState::*;
    vec![
        st("ana", Ready, 0, 10),
        st("ana", Busy, 10, 20),
        st("ana", WrapUp, 20, 25),
        st("ana", NotReady, 25, 40),
        st("ana", Reserved, 40, 41),
        st("ana", Busy, 41, 50),
        st("ana", Ready, 50, 60),
        st("bo", Busy, 0, 30),
        st("bo", Ready, 30, 60),
        st("cy", LoggedOut, 0, 30),
        st("cy", Ready, 30, 60),
    ]
}

const CONTACT_KPIS: [KpiId; 21] = [
    KpiId::Offered,
    KpiId::Answered,
    KpiId::Abandoned,
    KpiId::ShortAbandoned,
    KpiId::FlowedOut,
    KpiId::ServiceLevel,
    KpiId::ServiceLevelAnswered,
    KpiId::ServiceLevelSl2,
    KpiId::ServiceLevelExclShort,
    KpiId::AsaS,
    KpiId::MaxWaitS,
    KpiId::AvgAbandonWaitS,
    KpiId::AhtS,
    KpiId::AvgTalkS,
    KpiId::AvgHoldS,
    KpiId::AvgWrapUpS,
    KpiId::AbandonRate,
    KpiId::AbandonRateExclShort,
    KpiId::AnswerRate,
    KpiId::TransferRate,
    KpiId::CallbackRate,
];

const AGENT_KPIS: [KpiId; 5] = [
    KpiId::Occupancy,
    KpiId::Utilisation,
    KpiId::ShrinkageLoggedIn,
    KpiId::ContactsPerAgentHour,
    KpiId::LoggedInHours,
];

fn spec(by: Vec<Dimension>, kpis: &[KpiId]) -> ReportSpec {
    let mut spec = ReportSpec::new(at(0), at(60), TimeZone::UTC);
    spec.group_by = by;
    spec.kpis = kpis.to_vec();
    spec.agent_teams = HashMap::from([
        ("ana".to_owned(), "A".to_owned()),
        ("bo".to_owned(), "A".to_owned()),
        ("cy".to_owned(), "B".to_owned()),
    ]);
    spec
}

fn run(spec: ReportSpec) -> ReportTable {
    let mut r = Report::new(spec).unwrap();
    for c in records() {
        r.add(&c);
    }
    for s in states() {
        r.add_state(&s);
    }
    r.finish()
}

fn check(t: &ReportTable, row: &hotline_metrics::report::Row, want: &[(KpiId, Option<f64>)]) {
    for &(k, v) in want {
        match (t.value(row, k), v) {
            (Some(a), Some(b)) => {
                assert!((a - b).abs() < 1e-9, "{k}: {a} ≠ {b} in {row:?}");
            }
            (a, b) => assert_eq!(a, b, "{k} in {row:?}"),
        }
    }
}

#[test]
fn every_contact_kpi_by_queue_every_variant() {
    let t = run(spec(vec![Dimension::Queue], &CONTACT_KPIS));
    let billing = t.total_of(&[Some("billing")]).unwrap();
    use KpiId::*;
    check(
        &t,
        billing,
        &[
            (Offered, Some(9.0)),
            // r1, r2, r3 and the callback r8.
            (Answered, Some(4.0)),
            (Abandoned, Some(3.0)),
            // r4 (3 s < 5 s); r5 waited exactly 5 s: not short.
            (ShortAbandoned, Some(1.0)),
            (FlowedOut, Some(1.0)),
            // Within 20 s (≤): r1 (10) and r2 (20).
            (ServiceLevel, Some(100.0 * 2.0 / 9.0)),
            (ServiceLevelAnswered, Some(50.0)),
            // + abandons within 20 s: r4, r5 → (2 + 2) / (4 + 3).
            (ServiceLevelSl2, Some(100.0 * 4.0 / 7.0)),
            (ServiceLevelExclShort, Some(25.0)),
            // (10 + 20 + 45 + 100) / 4.
            (AsaS, Some(43.75)),
            (MaxWaitS, Some(300.0)),
            (AvgAbandonWaitS, Some(68.0 / 3.0)),
            // (150 + 260 + 330 + 50) / 4.
            (AhtS, Some(197.5)),
            (AvgTalkS, Some(162.5)),
            (AvgHoldS, Some(7.5)),
            (AvgWrapUpS, Some(27.5)),
            (AbandonRate, Some(100.0 / 3.0)),
            // (3 − 1) / (9 − 1).
            (AbandonRateExclShort, Some(25.0)),
            (AnswerRate, Some(100.0 * 4.0 / 9.0)),
            (TransferRate, Some(25.0)),
            (CallbackRate, Some(100.0 / 9.0)),
        ],
    );
    let sales = t.total_of(&[Some("sales")]).unwrap();
    check(
        &t,
        sales,
        &[
            (Offered, Some(1.0)),
            (ServiceLevel, Some(100.0)),
            (AsaS, Some(5.0)),
            (AhtS, Some(120.0)),
            // No abandons: the rate is 0 %, the time to abandon has no value.
            (AbandonRate, Some(0.0)),
            (AvgAbandonWaitS, None),
        ],
    );
    check(
        &t,
        &t.total,
        &[
            (Offered, Some(10.0)),
            (Answered, Some(5.0)),
            (ServiceLevel, Some(30.0)),
            (AsaS, Some(180.0 / 5.0)),
        ],
    );

    // Intervals: r3 arrived at 08:31, the rest of billing in the first half hour.
    let rows: Vec<(&str, &str, f64, f64)> = t
        .rows
        .iter()
        .map(|r| {
            (
                r.interval_start.as_deref().unwrap(),
                r.groups[0].as_deref().unwrap(),
                t.value(r, Offered).unwrap(),
                t.value(r, Answered).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2024-03-04T08:00:00+00:00", "billing", 8.0, 3.0),
            ("2024-03-04T08:00:00+00:00", "sales", 1.0, 1.0),
            ("2024-03-04T08:30:00+00:00", "billing", 1.0, 1.0),
            // An empty interval still has a row (zeros, empty ratios).
            ("2024-03-04T08:30:00+00:00", "sales", 0.0, 0.0),
        ]
    );
    assert_eq!(t.value(&t.rows[3], AsaS), None);
    assert_eq!(t.value(&t.rows[3], ServiceLevel), None);
    // Agent states are not grouped by queue.
    assert_eq!(t.stats.states_not_grouped, 11);
    assert_eq!(t.stats.records, 10);
}

#[test]
fn thresholds_change_the_variants_that_use_them() {
    let mut sp = spec(vec![Dimension::Queue], &CONTACT_KPIS);
    sp.params = KpiParams {
        service_level_threshold: s(10),
        short_abandon_threshold: s(6),
    };
    let t = run(sp);
    let billing = t.total_of(&[Some("billing")]).unwrap();
    use KpiId::*;
    check(
        &t,
        billing,
        &[
            // Only r1 (10 s) within T = 10 s; r4 and r5 are short abandons under 6 s.
            (ServiceLevel, Some(100.0 / 9.0)),
            (ServiceLevelAnswered, Some(25.0)),
            (ServiceLevelSl2, Some(100.0 * 3.0 / 7.0)),
            (ShortAbandoned, Some(2.0)),
            (ServiceLevelExclShort, Some(100.0 / 7.0)),
            (AbandonRateExclShort, Some(100.0 / 7.0)),
            (AbandonRate, Some(100.0 / 3.0)),
        ],
    );
}

#[test]
fn agent_time_kpis_by_agent_and_team() {
    let mut kpis = AGENT_KPIS.to_vec();
    kpis.push(KpiId::Answered);
    let t = run(spec(vec![Dimension::Agent], &kpis));
    use KpiId::*;
    // ana over the hour: on contacts 600 + 300 + 60 + 540 = 1500 s, ready 1200 s, not
    // ready 900 s; she answered r1 and r2.
    check(
        &t,
        t.total_of(&[Some("ana")]).unwrap(),
        &[
            (Occupancy, Some(100.0 * 1500.0 / 2700.0)),
            (Utilisation, Some(100.0 * 1500.0 / 3600.0)),
            (ShrinkageLoggedIn, Some(25.0)),
            (ContactsPerAgentHour, Some(2.0)),
            (LoggedInHours, Some(1.0)),
        ],
    );
    check(
        &t,
        t.total_of(&[Some("bo")]).unwrap(),
        &[
            (Occupancy, Some(50.0)),
            (Utilisation, Some(50.0)),
            (ShrinkageLoggedIn, Some(0.0)),
            (ContactsPerAgentHour, Some(2.0)),
        ],
    );
    // cy was logged in half an hour and answered one contact; logged-out time counts
    // nowhere.
    check(
        &t,
        t.total_of(&[Some("cy")]).unwrap(),
        &[
            (Occupancy, Some(0.0)),
            (LoggedInHours, Some(0.5)),
            (ContactsPerAgentHour, Some(2.0)),
        ],
    );
    // Unanswered contacts have no agent: their group has no agent time.
    check(
        &t,
        t.total_of(&[None]).unwrap(),
        &[
            (Answered, Some(0.0)),
            (Occupancy, None),
            (ContactsPerAgentHour, None),
        ],
    );
    // ana's half hours: 08:00 ready 600, busy 600, wrap-up 300, not ready 300;
    // 08:30 not ready 600, reserved 60, busy 540, ready 600.
    let ana: Vec<[Option<f64>; 3]> = t
        .rows
        .iter()
        .filter(|r| r.groups[0].as_deref() == Some("ana"))
        .map(|r| {
            [
                t.value(r, Occupancy),
                t.value(r, Utilisation),
                t.value(r, ShrinkageLoggedIn),
            ]
        })
        .collect();
    assert_eq!(ana.len(), 2);
    for (got, want) in ana
        .iter()
        .zip([[60.0, 50.0, 100.0 / 6.0], [50.0, 100.0 / 3.0, 100.0 / 3.0]])
    {
        for (g, w) in got.iter().zip(want) {
            approx(g.unwrap(), w);
        }
    }
    // cy answered s1 at 08:10 while logged out (as far as states say): no rate there.
    let cy_first = t
        .rows
        .iter()
        .find(|r| r.groups[0].as_deref() == Some("cy"))
        .unwrap();
    assert_eq!(
        (
            t.value(cy_first, Answered),
            t.value(cy_first, ContactsPerAgentHour)
        ),
        (Some(1.0), None)
    );

    let t = run(spec(vec![Dimension::Team], &kpis));
    // Team A = ana + bo: on contacts 1500 + 1800, ready 1200 + 1800, not ready 900;
    // 4 answered in 2 logged-in hours.
    check(
        &t,
        t.total_of(&[Some("A")]).unwrap(),
        &[
            (Occupancy, Some(100.0 * 3300.0 / 6300.0)),
            (Utilisation, Some(100.0 * 3300.0 / 7200.0)),
            (ShrinkageLoggedIn, Some(12.5)),
            (ContactsPerAgentHour, Some(2.0)),
            (Answered, Some(4.0)),
        ],
    );
    check(
        &t,
        t.total_of(&[Some("B")]).unwrap(),
        &[(Answered, Some(1.0)), (LoggedInHours, Some(0.5))],
    );
    // No grouping: the whole center.
    let t = run(spec(vec![], &kpis));
    check(
        &t,
        &t.total,
        &[
            (LoggedInHours, Some(2.5)),
            (ContactsPerAgentHour, Some(2.0)),
            (Occupancy, Some(100.0 * 3300.0 / 8100.0)),
        ],
    );
    assert_eq!(t.rows.len(), 2);
}

#[test]
fn other_dimensions_channel_and_attribute() {
    let t = run(spec(
        vec![Dimension::Channel, Dimension::Attribute("vip".into())],
        &[KpiId::Offered],
    ));
    let groups: Vec<(Option<&str>, Option<&str>, f64)> = t
        .totals
        .iter()
        .map(|r| {
            (
                r.groups[0].as_deref(),
                r.groups[1].as_deref(),
                t.value(r, KpiId::Offered).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (Some("chat"), Some("false"), 1.0),
            (Some("voice"), Some("false"), 8.0),
            (Some("voice"), Some("true"), 1.0)
        ]
    );
}

#[test]
fn hours_across_a_dst_change_are_separate_rows() {
    // New York, 3 November 2024: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z).
    let ny = TimeZone::get("America/New_York").unwrap();
    let t0 = TimestampMs(
        "2024-11-03T04:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond(),
    );
    let mut sp = ReportSpec::new(t0, TimestampMs(t0.0 + 4 * 3_600_000), ny);
    sp.interval = Interval::parse("1h").unwrap();
    sp.group_by = vec![];
    sp.kpis = vec![KpiId::Offered];
    let mut r = Report::new(sp).unwrap();
    assert_eq!(r.intervals(), 4);
    let mut c = records().remove(0);
    for offset_min in [90, 150, 151] {
        c.arrived_at = TimestampMs(t0.0 + offset_min * 60_000);
        c.answered_at = Some(c.arrived_at);
        c.ended_at = c.arrived_at;
        r.add(&c);
    }
    let t = r.finish();
    let rows: Vec<(&str, f64)> = t
        .rows
        .iter()
        .map(|r| (r.interval_start.as_deref().unwrap(), r.values[0].unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            ("2024-11-03T00:00:00-04:00", 0.0),
            ("2024-11-03T01:00:00-04:00", 1.0),
            ("2024-11-03T01:00:00-05:00", 2.0),
            ("2024-11-03T02:00:00-05:00", 0.0),
        ]
    );
}

#[test]
fn csv_output_and_empty_intervals_left_out() {
    let mut sp = spec(
        vec![Dimension::Queue],
        &[KpiId::Offered, KpiId::ServiceLevel, KpiId::AsaS],
    );
    sp.include_empty = false;
    let t = run(sp);
    assert_eq!(
        t.to_csv(true),
        "interval_start,queue,offered,service_level,asa_s\n\
         2024-03-04T08:00:00+00:00,billing,8,25,43.3333\n\
         2024-03-04T08:00:00+00:00,sales,1,100,5\n\
         2024-03-04T08:30:00+00:00,billing,1,0,45\n\
         total,billing,9,22.2222,43.75\n\
         total,sales,1,100,5\n\
         total,,10,30,36\n"
    );
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["kpis"], json!(["offered", "service_level", "asa_s"]));
    assert_eq!(json["rows"][0]["values"], json!([8.0, 25.0, 130.0 / 3.0]));
}

#[test]
fn reports_refuse_what_they_cannot_compute() {
    let err = |kpis: &[KpiId], by: Vec<Dimension>| Report::new(spec(by, kpis)).unwrap_err();
    assert_eq!(
        err(&[KpiId::Csat], vec![]),
        ReportError::NotFed {
            kpi: KpiId::Csat,
            by: "surveys module"
        }
    );
    assert!(err(&[KpiId::QaScore], vec![])
        .to_string()
        .contains("quality module"));
    assert_eq!(
        err(&[KpiId::Occupancy], vec![Dimension::Queue]),
        ReportError::NotGroupable {
            kpi: KpiId::Occupancy,
            dimension: "queue".into()
        }
    );
    assert!(matches!(err(&[], vec![]), ReportError::Invalid { .. }));
    assert!(matches!(
        err(&[KpiId::Offered, KpiId::Offered], vec![]),
        ReportError::Invalid { .. }
    ));
    assert!(matches!(
        err(&[KpiId::Offered], vec![Dimension::Queue, Dimension::Queue]),
        ReportError::Invalid { .. }
    ));
    let mut sp = spec(vec![], &[KpiId::Offered]);
    sp.to = sp.from;
    assert!(Report::new(sp)
        .unwrap_err()
        .to_string()
        .contains("a time after from"));
    let mut sp = spec(vec![], &[KpiId::Offered]);
    sp.interval = Interval::Minutes(7);
    assert!(Report::new(sp).is_err());
    let mut sp = spec(vec![], &[KpiId::Offered]);
    sp.from = TimestampMs(0);
    sp.to = TimestampMs(400 * 86_400_000 * 365);
    sp.interval = Interval::Minutes(5);
    assert!(Report::new(sp)
        .unwrap_err()
        .to_string()
        .contains("at most 1000000 intervals"));
    assert!(Dimension::parse("skill").is_err());
    assert_eq!(
        Dimension::parse("attr.vip").unwrap(),
        Dimension::Attribute("vip".into())
    );
    // Records outside [from, to) are counted, not added.
    let mut r = Report::new(spec(vec![], &[KpiId::Offered])).unwrap();
    let mut c = records().remove(0);
    c.arrived_at = at(60);
    r.add(&c);
    c.arrived_at = at(-1);
    r.add(&c);
    let t = r.finish();
    assert_eq!((t.stats.records, t.stats.records_out_of_range), (0, 2));
    assert_eq!(t.value(&t.total, KpiId::Offered), Some(0.0));
}
