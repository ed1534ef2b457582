//! The morning briefing on a hand-checked day in Europe/Madrid: every figure worked out
//! by hand below, the comparison deltas, the notes, the DST day (46 half-hours), an
//! empty day, records and spells outside the day, and the refusals.

use std::collections::BTreeMap;

use hotline_metrics::briefing::{
    day_figures, morning_briefing, Briefing, BriefingError, BriefingSpec, Comparisons, DayFigures,
    IntervalRow, NoteKind, QueueRow, QueueTarget, ReasonRow, Status, Target, Targets, NO_REASON,
};
use hotline_metrics::report::Interval;
use hotline_metrics::{
    AgentState, AgentStateInterval, Channel, ContactRecord, DurationMs, KpiId, Outcome, TimestampMs,
};
use jiff::civil::date;
use jiff::tz::TimeZone;

fn t(rfc3339: &str) -> TimestampMs {
    TimestampMs(rfc3339.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn s(secs: i64) -> DurationMs {
    DurationMs::from_secs(secs)
}

fn madrid() -> TimeZone {
    TimeZone::get("Europe/Madrid").unwrap()
}

/// A record arriving at `arrived` (RFC 3339); `answered` contacts get an agent.
#[allow(clippy::too_many_arguments)]
fn rec(
    id: &str,
    queue: &str,
    arrived: &str,
    outcome: Outcome,
    wait: i64,
    talk: i64,
    hold: i64,
    wrap: i64,
) -> ContactRecord {
    let arrived = t(arrived);
    let answered = matches!(outcome, Outcome::Answered).then(|| arrived.plus(s(wait)));
    let ended = answered
        .unwrap_or(arrived.plus(s(wait)))
        .plus(s(talk + hold));
    ContactRecord {
        contact_id: id.into(),
        queue: queue.into(),
        channel: Channel::Voice,
        customer: String::new(),
        agent: answered.map(|_| "ana".to_owned()),
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
        transfers: 0,
        attributes: serde_json::Map::new(),
    }
}

fn spell(
    agent: &str,
    state: AgentState,
    reason: Option<&str>,
    from: &str,
    to: &str,
) -> AgentStateInterval {
    AgentStateInterval {
        agent: agent.into(),
        team: None,
        state,
        reason: reason.map(str::to_owned),
        from: t(from),
        to: t(to),
    }
}

/// The hand-checked day, Monday 2024-03-04 in Madrid (UTC+1).
///
/// | id | queue (target, T) | arrives | outcome | wait | talk | hold | wrap | handle | within T |
/// |---|---|---|---|---|---|---|---|---|---|
/// | b1 | billing (80 %, 20 s) | 08:05 | answered | 10 | 100 | 0 | 20 | 120 | yes |
/// | b2 | billing | 08:10 | answered | 25 | 200 | 0 | 40 | 240 | no |
/// | b3 | billing | 08:20 | abandoned | 40 | | | | | no |
/// | b4 | billing | 10:00 | answered | 5 | 60 | 0 | 0 | 60 | yes |
/// | f1 | faults (70 %, 30 s) | 08:15 | answered | 25 | 300 | 30 | 30 | 360 | yes |
/// | f2 | faults | 09:40 | answered | 35 | 120 | 0 | 0 | 120 | no |
/// | f3 | faults | 09:45 | abandoned | 10 | | | | | no |
/// | f4 | faults | 09:50 | flow-out | 60 | | | | | no |
/// | s1 | sales (default 80 %, 20 s) | 10:10 | answered | 15 | 90 | 0 | 30 | 120 | yes |
/// | x1, x2 | billing | 03-03 23:59, 03-05 00:00 | outside the day | | | | | | |
///
/// Offered 9, answered 6, abandoned 2; within T 4 → SL 44.444 %; ASA 115 / 6 =
/// 19.1667 s; AHT 1020 / 6 = 170 s; abandon rate 22.222 %. The center's SL target is
/// weighted by offered: (4 × 80 + 4 × 70 + 1 × 80) / 9 = 75.5556 %.
fn day_records() -> Vec<ContactRecord> {
    use Outcome::*;
    vec![
        rec(
            "x1",
            "billing",
            "2024-03-03T23:59:00+01:00",
            Answered,
            1,
            10,
            0,
            0,
        ),
        rec(
            "b1",
            "billing",
            "2024-03-04T08:05:00+01:00",
            Answered,
            10,
            100,
            0,
            20,
        ),
        rec(
            "b2",
            "billing",
            "2024-03-04T08:10:00+01:00",
            Answered,
            25,
            200,
            0,
            40,
        ),
        rec(
            "b3",
            "billing",
            "2024-03-04T08:20:00+01:00",
            Abandoned,
            40,
            0,
            0,
            0,
        ),
        rec(
            "b4",
            "billing",
            "2024-03-04T10:00:00+01:00",
            Answered,
            5,
            60,
            0,
            0,
        ),
        rec(
            "f1",
            "faults",
            "2024-03-04T08:15:00+01:00",
            Answered,
            25,
            300,
            30,
            30,
        ),
        rec(
            "f2",
            "faults",
            "2024-03-04T09:40:00+01:00",
            Answered,
            35,
            120,
            0,
            0,
        ),
        rec(
            "f3",
            "faults",
            "2024-03-04T09:45:00+01:00",
            Abandoned,
            10,
            0,
            0,
            0,
        ),
        rec(
            "f4",
            "faults",
            "2024-03-04T09:50:00+01:00",
            TransferredOut,
            60,
            0,
            0,
            0,
        ),
        rec(
            "s1",
            "sales",
            "2024-03-04T10:10:00+01:00",
            Answered,
            15,
            90,
            0,
            30,
        ),
        rec(
            "x2",
            "billing",
            "2024-03-05T00:00:00+01:00",
            Answered,
            1,
            10,
            0,
            0,
        ),
    ]
}

/// Agent spells (local times, UTC+1):
///
/// - ana: ready 08:00–08:30, busy 08:30–09:30, not ready "lunch" 09:30–10:30, wrap-up
///   10:30–10:45 → logged in 165 min;
/// - bo: ready 08:00–09:00, not ready "break" 09:00–09:15, not ready (no reason)
///   09:15–09:20, busy 09:20–10:00, logged out 10:00–11:00 → logged in 120 min;
/// - carl: not ready "lunch" from 23:00 the day before to 01:00 → 60 min inside the day;
/// - dan: ready the next day (outside).
///
/// Logged in 345 min; on contacts 60 + 15 + 40 = 115, ready 90 → occupancy
/// 115 / 205 = 56.0976 %. Lunch 120 min (34.7826 % of logged-in time), break 15
/// (4.3478 %), no reason 5 (1.4493 %).
fn day_states() -> Vec<AgentStateInterval> {
    use AgentState::*;
    vec![
        spell(
            "ana",
            Ready,
            None,
            "2024-03-04T08:00:00+01:00",
            "2024-03-04T08:30:00+01:00",
        ),
        spell(
            "ana",
            Busy,
            None,
            "2024-03-04T08:30:00+01:00",
            "2024-03-04T09:30:00+01:00",
        ),
        spell(
            "ana",
            NotReady,
            Some("lunch"),
            "2024-03-04T09:30:00+01:00",
            "2024-03-04T10:30:00+01:00",
        ),
        spell(
            "ana",
            WrapUp,
            None,
            "2024-03-04T10:30:00+01:00",
            "2024-03-04T10:45:00+01:00",
        ),
        spell(
            "bo",
            Ready,
            None,
            "2024-03-04T08:00:00+01:00",
            "2024-03-04T09:00:00+01:00",
        ),
        spell(
            "bo",
            NotReady,
            Some("break"),
            "2024-03-04T09:00:00+01:00",
            "2024-03-04T09:15:00+01:00",
        ),
        spell(
            "bo",
            NotReady,
            None,
            "2024-03-04T09:15:00+01:00",
            "2024-03-04T09:20:00+01:00",
        ),
        spell(
            "bo",
            Busy,
            None,
            "2024-03-04T09:20:00+01:00",
            "2024-03-04T10:00:00+01:00",
        ),
        spell(
            "bo",
            LoggedOut,
            None,
            "2024-03-04T10:00:00+01:00",
            "2024-03-04T11:00:00+01:00",
        ),
        spell(
            "carl",
            NotReady,
            Some("lunch"),
            "2024-03-03T23:00:00+01:00",
            "2024-03-04T01:00:00+01:00",
        ),
        spell(
            "dan",
            Ready,
            None,
            "2024-03-05T08:00:00+01:00",
            "2024-03-05T09:00:00+01:00",
        ),
    ]
}

fn targets() -> Targets {
    let mut queues = BTreeMap::new();
    queues.insert(
        "billing".to_owned(),
        QueueTarget {
            service_level_pct: 80.0,
            threshold: s(20),
        },
    );
    queues.insert(
        "faults".to_owned(),
        QueueTarget {
            service_level_pct: 70.0,
            threshold: s(30),
        },
    );
    queues.insert(
        "gold".to_owned(),
        QueueTarget {
            service_level_pct: 90.0,
            threshold: s(10),
        },
    );
    Targets {
        queues,
        default_queue: QueueTarget::default(),
        abandon_rate_pct: Some(Target::AtMost(5.0)),
        asa_s: Some(Target::AtMost(20.0)),
        aht_s: Some(Target::AtMost(180.0)),
        occupancy_pct: Some(Target::Between(75.0, 85.0)),
    }
}

fn spec() -> BriefingSpec {
    let mut spec = BriefingSpec::new(date(2024, 3, 4), madrid());
    spec.targets = targets();
    spec.worst_intervals = 2;
    spec
}

/// The day before: billing p1 answered in 5 s (talk 100), p2 abandoned after 30 s →
/// offered 2, answered 1, abandoned 1, SL 50 %, ASA 5 s, AHT 100 s, abandon rate 50 %;
/// no agent spells (occupancy undefined).
fn previous_day() -> DayFigures {
    let records = [
        rec(
            "p1",
            "billing",
            "2024-03-03T09:00:00+01:00",
            Outcome::Answered,
            5,
            100,
            0,
            0,
        ),
        rec(
            "p2",
            "billing",
            "2024-03-03T09:10:00+01:00",
            Outcome::Abandoned,
            30,
            0,
            0,
            0,
        ),
    ];
    day_figures(&spec().for_date(date(2024, 3, 3)), &records, &[]).unwrap()
}

#[track_caller]
fn approx(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} ≠ {b}");
}

fn briefing() -> Briefing {
    let last_week = DayFigures {
        date: "2024-02-26".into(),
        offered: 10,
        occupancy: Some(90.0),
        ..DayFigures::default()
    };
    morning_briefing(
        &spec(),
        &day_records(),
        &day_states(),
        &Comparisons {
            previous_day: Some(previous_day()),
            same_weekday_last_week: Some(last_week),
        },
    )
    .unwrap()
}

#[test]
fn the_day_frame_and_what_was_read() {
    let b = briefing();
    assert_eq!(b.date, "2024-03-04");
    assert_eq!(b.time_zone, "Europe/Madrid");
    assert_eq!(b.from, "2024-03-04T00:00:00+01:00");
    assert_eq!(b.to, "2024-03-05T00:00:00+01:00");
    assert_eq!(b.interval, "30m");
    assert_eq!(b.intervals, 48);
    assert_eq!(b.timeline.len(), 48);
    assert_eq!(b.timeline[0].label, "00:00–00:30");
    assert_eq!(b.timeline[47].label, "23:30–00:00");
    assert_eq!(b.timeline[47].end, "2024-03-05T00:00:00+01:00");
    assert_eq!(b.stats.records, 9);
    assert_eq!(b.stats.records_outside_day, 2);
    assert_eq!(b.stats.states, 10);
    assert_eq!(b.stats.states_outside_day, 1);
}

#[test]
fn headline_figures_targets_and_deltas() {
    let b = briefing();
    let f = &b.figures;
    assert_eq!((f.offered, f.answered, f.abandoned), (9, 6, 2));
    assert_eq!(f.answered_within_threshold, 4);
    approx(f.service_level, 400.0 / 9.0);
    approx(f.asa_s, 115.0 / 6.0);
    approx(f.aht_s, 170.0);
    approx(f.abandon_rate, 200.0 / 9.0);
    approx(f.occupancy, 100.0 * 115.0 / 205.0);
    assert_eq!(f.logged_in_ms, 345 * 60_000);

    let kpis: Vec<KpiId> = b.headline.iter().map(|h| h.kpi).collect();
    assert_eq!(
        kpis,
        [
            KpiId::Offered,
            KpiId::Answered,
            KpiId::Abandoned,
            KpiId::ServiceLevel,
            KpiId::AsaS,
            KpiId::AhtS,
            KpiId::AbandonRate,
            KpiId::Occupancy,
        ]
    );
    let h = |k: KpiId| b.headline.iter().find(|h| h.kpi == k).unwrap();
    // Volumes: no target; the delta has no better direction.
    let offered = h(KpiId::Offered);
    assert_eq!(offered.value, Some(9.0));
    assert_eq!(offered.status, Status::NoTarget);
    assert_eq!(offered.target, None);
    let d = offered.previous_day.as_ref().unwrap();
    assert_eq!(d.date, "2024-03-03");
    assert_eq!((d.value, d.change, d.better), (Some(2.0), Some(7.0), None));
    let lw = offered.same_weekday_last_week.as_ref().unwrap();
    assert_eq!((lw.date.as_str(), lw.change), ("2024-02-26", Some(-1.0)));
    assert_eq!(
        h(KpiId::Answered).previous_day.as_ref().unwrap().change,
        Some(5.0)
    );
    assert_eq!(
        h(KpiId::Abandoned).previous_day.as_ref().unwrap().change,
        Some(1.0)
    );
    // Service level against the offered-weighted target, 680 / 9.
    let sl = h(KpiId::ServiceLevel);
    assert_eq!(sl.status, Status::Missed);
    match sl.target {
        Some(Target::AtLeast(v)) => assert!((v - 680.0 / 9.0).abs() < 1e-9),
        other => panic!("{other:?}"),
    }
    let d = sl.previous_day.as_ref().unwrap();
    approx(d.value, 50.0);
    approx(d.change, 400.0 / 9.0 - 50.0);
    assert_eq!(d.better, Some(false));
    // ASA and AHT met; both worse than the day before.
    let asa = h(KpiId::AsaS);
    assert_eq!(
        (asa.status, asa.target),
        (Status::Met, Some(Target::AtMost(20.0)))
    );
    approx(asa.previous_day.as_ref().unwrap().change, 115.0 / 6.0 - 5.0);
    assert_eq!(asa.previous_day.as_ref().unwrap().better, Some(false));
    let aht = h(KpiId::AhtS);
    assert_eq!(aht.status, Status::Met);
    approx(aht.previous_day.as_ref().unwrap().change, 70.0);
    // Abandon rate missed, but better than the day before (50 %).
    let ar = h(KpiId::AbandonRate);
    assert_eq!(ar.status, Status::Missed);
    approx(ar.previous_day.as_ref().unwrap().change, 200.0 / 9.0 - 50.0);
    assert_eq!(ar.previous_day.as_ref().unwrap().better, Some(true));
    // Occupancy: missed its 75–85 % band; nothing the day before; last week's 90 % was
    // closer to the band (5 points off against 18.9).
    let occ = h(KpiId::Occupancy);
    assert_eq!(occ.status, Status::Missed);
    let d = occ.previous_day.as_ref().unwrap();
    assert_eq!((d.value, d.change, d.better), (None, None, None));
    let lw = occ.same_weekday_last_week.as_ref().unwrap();
    approx(lw.change, 100.0 * 115.0 / 205.0 - 90.0);
    assert_eq!(lw.better, Some(false));
    // ASA last week: not given → no change.
    let lw = h(KpiId::AsaS).same_weekday_last_week.clone().unwrap();
    assert_eq!((lw.value, lw.change, lw.better), (None, None, None));
}

#[test]
fn queues_with_their_own_thresholds() {
    let b = briefing();
    let names: Vec<&str> = b.queues.iter().map(|q| q.queue.as_str()).collect();
    assert_eq!(names, ["billing", "faults", "gold", "sales"]);
    let q = |name: &str| b.queues.iter().find(|q| q.queue == name).unwrap().clone();
    let billing = q("billing");
    assert_eq!(
        (billing.offered, billing.answered, billing.abandoned),
        (4, 3, 1)
    );
    approx(billing.service_level, 50.0);
    assert_eq!(billing.service_level_target_pct, 80.0);
    assert_eq!(billing.threshold_s, 20.0);
    assert_eq!(billing.status, Status::Missed);
    approx(billing.asa_s, 40.0 / 3.0);
    approx(billing.aht_s, 140.0);
    approx(billing.abandon_rate, 25.0);
    let faults = q("faults");
    assert_eq!(
        (faults.offered, faults.answered, faults.abandoned),
        (4, 2, 1)
    );
    approx(faults.service_level, 25.0); // f1 waited 25 s: within faults' 30 s
    assert_eq!(faults.threshold_s, 30.0);
    assert_eq!(faults.status, Status::Missed);
    approx(faults.asa_s, 30.0);
    approx(faults.aht_s, 240.0);
    approx(faults.abandon_rate, 25.0);
    let sales = q("sales");
    assert_eq!(sales.status, Status::Met);
    approx(sales.service_level, 100.0);
    assert_eq!(
        (sales.service_level_target_pct, sales.threshold_s),
        (80.0, 20.0)
    );
    approx(sales.abandon_rate, 0.0);
    assert_eq!(
        q("gold"),
        QueueRow {
            queue: "gold".into(),
            offered: 0,
            answered: 0,
            abandoned: 0,
            service_level: None,
            service_level_target_pct: 90.0,
            threshold_s: 10.0,
            status: Status::NoData,
            asa_s: None,
            aht_s: None,
            abandon_rate: None,
        }
    );
}

#[test]
fn timeline_worst_and_busiest_intervals() {
    let b = briefing();
    let with_contacts: Vec<&IntervalRow> = b.timeline.iter().filter(|r| r.offered > 0).collect();
    assert_eq!(with_contacts.len(), 3);
    let eight = IntervalRow {
        start: "2024-03-04T08:00:00+01:00".into(),
        end: "2024-03-04T08:30:00+01:00".into(),
        label: "08:00–08:30".into(),
        offered: 4,
        answered: 3,
        abandoned: 1,
        service_level: Some(50.0), // b1 within billing's 20 s, f1 within faults' 30 s
        asa_s: Some(20.0),
    };
    let half_nine = IntervalRow {
        start: "2024-03-04T09:30:00+01:00".into(),
        end: "2024-03-04T10:00:00+01:00".into(),
        label: "09:30–10:00".into(),
        offered: 3,
        answered: 1,
        abandoned: 1,
        service_level: Some(0.0),
        asa_s: Some(35.0),
    };
    assert_eq!(b.timeline[16], eight);
    assert_eq!(b.timeline[19], half_nine);
    assert_eq!(b.timeline[20].offered, 2);
    assert_eq!(b.timeline[20].service_level, Some(100.0));
    assert_eq!(b.timeline[20].asa_s, Some(10.0));
    // An interval without contacts: zeros and no ratios.
    assert_eq!(b.timeline[0].offered, 0);
    assert_eq!(
        (b.timeline[0].service_level, b.timeline[0].asa_s),
        (None, None)
    );
    // The two worst (spec.worst_intervals = 2), lowest service level first.
    assert_eq!(b.worst_intervals, [half_nine, eight.clone()]);
    assert_eq!(b.busiest_interval, Some(eight));
}

#[test]
fn not_ready_reasons_by_time() {
    let b = briefing();
    let share = |min: f64| Some(100.0 * min / 345.0);
    let expected = [("lunch", 120i64), ("break", 15), (NO_REASON, 5)];
    assert_eq!(b.not_ready.len(), 3);
    for (row, (reason, min)) in b.not_ready.iter().zip(expected) {
        assert_eq!(row.reason, reason);
        assert_eq!(row.time_ms, min * 60_000);
        assert!((row.hours - min as f64 / 60.0).abs() < 1e-12);
        approx(row.share_of_logged_in_pct, share(min as f64).unwrap());
    }
    // top_reasons cuts the list.
    let mut spec = spec();
    spec.top_reasons = 1;
    let one = morning_briefing(
        &spec,
        &day_records(),
        &day_states(),
        &Comparisons::default(),
    )
    .unwrap();
    assert_eq!(
        one.not_ready,
        [ReasonRow {
            reason: "lunch".into(),
            time_ms: 7_200_000,
            hours: 2.0,
            share_of_logged_in_pct: Some(100.0 * 120.0 / 345.0),
        }]
    );
}

#[test]
fn notes_from_the_facts() {
    let b = briefing();
    let texts: Vec<&str> = b.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Service level 44.4% missed the 75.56% target; 1 of 3 intervals under 50%.",
            "Abandon rate 22.2% missed the 5% target.",
            "Occupancy 56.1% missed the 75–85% target.",
            "faults: service level 25.0% missed its 70% target (4 offered).",
            "billing: service level 50.0% missed its 80% target (4 offered).",
            "Busiest interval: 08:00–08:30 with 4 offered.",
            "Top not-ready reason: lunch, 2.0 h (34.8% of logged-in time).",
            "Offered 9: +350.0% against the previous day (2).",
        ]
    );
    assert_eq!(
        b.notes[0].kind,
        NoteKind::ServiceLevel {
            value: 400.0 / 9.0,
            target: 680.0 / 9.0,
            met: false,
            poor_intervals: 1,
            intervals_with_contacts: 3,
            poor_under: 50.0,
        }
    );
    assert_eq!(
        b.notes[1].kind,
        NoteKind::TargetMissed {
            kpi: KpiId::AbandonRate,
            value: 200.0 / 9.0,
            target: Target::AtMost(5.0),
        }
    );
}

#[test]
fn serialises_for_the_api() {
    let b = briefing();
    let json = serde_json::to_value(&b).unwrap();
    assert_eq!(json["headline"][3]["kpi"], "service_level");
    assert_eq!(json["headline"][3]["status"], "missed");
    assert_eq!(
        json["headline"][6]["target"],
        serde_json::json!({"at_most": 5.0})
    );
    assert_eq!(json["notes"][0]["kind"]["kind"], "service_level");
    assert_eq!(json["queues"][2]["status"], "no_data");
    let back: Briefing = serde_json::from_value(json).unwrap();
    assert_eq!(back, b);
}

#[test]
fn day_figures_are_the_briefings() {
    let f = day_figures(&spec(), &day_records(), &day_states()).unwrap();
    assert_eq!(f, briefing().figures);
    let p = previous_day();
    assert_eq!((p.offered, p.answered, p.abandoned), (2, 1, 1));
    approx(p.service_level, 50.0);
    approx(p.asa_s, 5.0);
    approx(p.aht_s, 100.0);
    approx(p.abandon_rate, 50.0);
    assert_eq!((p.occupancy, p.logged_in_ms), (None, 0));
}

#[test]
fn the_spring_dst_day_in_madrid_has_46_half_hours() {
    // 2024-03-31: clocks go from 02:00 to 03:00.
    let records = [
        rec(
            "d1",
            "billing",
            "2024-03-31T01:45:00+01:00",
            Outcome::Answered,
            10,
            60,
            0,
            0,
        ),
        rec(
            "d2",
            "billing",
            "2024-03-31T03:00:00+02:00",
            Outcome::Abandoned,
            50,
            0,
            0,
            0,
        ),
        rec(
            "d3",
            "billing",
            "2024-03-31T23:59:00+02:00",
            Outcome::Answered,
            30,
            60,
            0,
            0,
        ),
    ];
    let spec = spec().for_date(date(2024, 3, 31));
    let b = morning_briefing(&spec, &records, &[], &Comparisons::default()).unwrap();
    assert_eq!(b.intervals, 46);
    assert_eq!(b.timeline.len(), 46);
    assert_eq!(b.from, "2024-03-31T00:00:00+01:00");
    assert_eq!(b.to, "2024-04-01T00:00:00+02:00");
    assert_eq!(b.timeline[3].label, "01:30–03:00");
    assert_eq!(b.timeline[3].start, "2024-03-31T01:30:00+01:00");
    assert_eq!(b.timeline[3].end, "2024-03-31T03:00:00+02:00");
    assert_eq!(b.timeline[3].offered, 1);
    assert_eq!(b.timeline[4].label, "03:00–03:30");
    assert_eq!(b.timeline[4].abandoned, 1);
    assert_eq!(b.timeline[45].label, "23:30–00:00");
    assert_eq!(b.timeline[45].offered, 1);
    assert_eq!(b.stats.records, 3);
    approx(b.figures.service_level, 100.0 / 3.0);
    assert_eq!(
        b.notes[0].text,
        "Service level 33.3% missed the 80% target; 2 of 3 intervals under 50%."
    );
}

#[test]
fn an_empty_day() {
    let b = morning_briefing(&spec(), &[], &[], &Comparisons::default()).unwrap();
    assert_eq!(b.intervals, 48);
    assert!(b
        .timeline
        .iter()
        .all(|r| r.offered == 0 && r.service_level.is_none()));
    assert_eq!(b.figures.offered, 0);
    let sl = b
        .headline
        .iter()
        .find(|h| h.kpi == KpiId::ServiceLevel)
        .unwrap();
    assert_eq!((sl.value, sl.status), (None, Status::NoData));
    // With nothing offered the target is the plain mean of the listed queues'.
    assert_eq!(sl.target, Some(Target::AtLeast(80.0)));
    let offered = &b.headline[0];
    assert_eq!(
        (offered.value, offered.status),
        (Some(0.0), Status::NoTarget)
    );
    assert_eq!(
        b.headline
            .iter()
            .find(|h| h.kpi == KpiId::Occupancy)
            .unwrap()
            .status,
        Status::NoData
    );
    assert!(b.worst_intervals.is_empty());
    assert_eq!(b.busiest_interval, None);
    assert!(b.not_ready.is_empty());
    assert_eq!(b.queues.len(), 3, "the targeted queues, with no data");
    assert!(b.queues.iter().all(|q| q.status == Status::NoData));
    let texts: Vec<&str> = b.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["No contacts were offered."]);
    // Only records of other days: the same.
    let outside = morning_briefing(
        &spec().for_date(date(2024, 3, 6)),
        &day_records(),
        &day_states(),
        &Comparisons::default(),
    )
    .unwrap();
    assert_eq!(outside.figures.offered, 0);
    assert_eq!(outside.stats.records_outside_day, 11);
    assert_eq!(outside.stats.states_outside_day, 11);
}

#[test]
fn refusals() {
    let mut bad = spec();
    bad.targets.asa_s = Some(Target::AtMost(f64::NAN));
    assert!(matches!(
        morning_briefing(&bad, &[], &[], &Comparisons::default()),
        Err(BriefingError::Invalid { field, .. }) if field == "targets.asa_s"
    ));
    let mut bad = spec();
    bad.interval = Interval::Day;
    assert!(matches!(
        morning_briefing(&bad, &[], &[], &Comparisons::default()),
        Err(BriefingError::Invalid { field, .. }) if field == "interval"
    ));
    let mut bad = spec();
    bad.targets.default_queue.threshold = DurationMs(-1);
    assert!(morning_briefing(&bad, &[], &[], &Comparisons::default()).is_err());
    // Hourly intervals work too.
    let mut hourly = spec();
    hourly.interval = Interval::Minutes(60);
    let b = morning_briefing(&hourly, &day_records(), &[], &Comparisons::default()).unwrap();
    assert_eq!(b.intervals, 24);
    assert_eq!(b.timeline[8].offered, 4);
}

#[test]
fn the_autumn_dst_day_has_50_half_hours() {
    // 2024-10-27 in Madrid: 03:00 CEST becomes 02:00 CET, the hour 02:00 happens twice.
    let records = [
        rec(
            "a1",
            "billing",
            "2024-10-27T02:10:00+02:00",
            Outcome::Answered,
            10,
            60,
            0,
            0,
        ),
        rec(
            "a2",
            "billing",
            "2024-10-27T02:10:00+01:00",
            Outcome::Answered,
            10,
            60,
            0,
            0,
        ),
    ];
    let b = morning_briefing(
        &spec().for_date(date(2024, 10, 27)),
        &records,
        &[],
        &Comparisons::default(),
    )
    .unwrap();
    assert_eq!(b.intervals, 50);
    assert_eq!(b.to, "2024-10-28T00:00:00+01:00");
    // Both 02:00–02:30 intervals, one hour apart, each with its contact.
    assert_eq!(b.timeline[4].label, "02:00–02:30");
    assert_eq!(b.timeline[4].start, "2024-10-27T02:00:00+02:00");
    assert_eq!(b.timeline[6].label, "02:00–02:30");
    assert_eq!(b.timeline[6].start, "2024-10-27T02:00:00+01:00");
    assert_eq!((b.timeline[4].offered, b.timeline[6].offered), (1, 1));
    // Equal service levels: the earlier interval is the busiest and listed first.
    assert_eq!(
        b.busiest_interval.as_ref().unwrap().start,
        b.timeline[4].start
    );
    assert_eq!(b.worst_intervals[0].start, b.timeline[4].start);
}

#[test]
fn targets_hold_their_bounds() {
    assert!(Target::AtLeast(80.0).met(80.0));
    assert!(!Target::AtLeast(80.0).met(79.99));
    assert!(Target::AtMost(20.0).met(20.0));
    assert!(
        Target::Between(85.0, 75.0).met(75.0),
        "bounds in either order"
    );
    assert!(!Target::Between(75.0, 85.0).met(85.1));
}
