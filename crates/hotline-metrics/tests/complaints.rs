//! The weekly complaint analysis on a hand-checked set: ISO week 2024-W13 in
//! Europe/Madrid (the week of the spring DST change: 167 hours), two trend weeks
//! before it, complaints picked by queue or by attribute, categories (missing, null and
//! blank ones "uncategorised"), repeat callers by both rules, the complaint queues'
//! service, records outside the span, an empty week, and the refusals.

use hotline_metrics::complaints::{
    weekly_complaints, CategoryTrend, ComplaintAnalysis, ComplaintError, ComplaintFilter,
    ComplaintSpec, IsoWeek, RepeatCaller, ServiceRow, Share, WeekSpan, UNCATEGORISED,
};
use hotline_metrics::{Channel, ContactRecord, DurationMs, Outcome, TimestampMs};
use jiff::civil::date;
use jiff::tz::TimeZone;
use serde_json::{json, Value};

fn t(rfc3339: &str) -> TimestampMs {
    TimestampMs(rfc3339.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

/// A record: `outcome` answered / abandoned / transferred_out after `wait` seconds.
fn rec(
    id: &str,
    queue: &str,
    customer: &str,
    arrived: &str,
    outcome: Outcome,
    wait: i64,
    attrs: Value,
) -> ContactRecord {
    let arrived = t(arrived);
    let wait = DurationMs::from_secs(wait);
    let answered = (outcome == Outcome::Answered).then(|| arrived.plus(wait));
    let ended = arrived.plus(wait).plus(DurationMs::from_secs(60));
    ContactRecord {
        contact_id: id.into(),
        queue: queue.into(),
        channel: Channel::Voice,
        customer: customer.into(),
        agent: answered.map(|_| "ana".to_owned()),
        team: None,
        arrived_at: arrived,
        answered_at: answered,
        ended_at: ended,
        wrap_up_end_at: None,
        outcome,
        wait,
        talk: DurationMs::from_secs(if answered.is_some() { 60 } else { 0 }),
        hold: DurationMs::ZERO,
        wrap_up: DurationMs::ZERO,
        transfers: 0,
        attributes: match attrs {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        },
    }
}

/// The set (times in Madrid: +01:00 until Sunday 2024-03-31 02:00, +02:00 after).
///
/// | id | queue | customer | arrives | what | category |
/// |---|---|---|---|---|---|
/// | o2 | complaints | C1 | 03-10 23:59 | before the span | billing dispute |
/// | c11a | complaints | C1 | 03-12 10:00 | W11 complaint | billing dispute |
/// | c11b | complaints | C9 | 03-13 10:00 | W11 complaint | network fault |
/// | c12a | complaints | C2 | 03-19 10:00 | W12 complaint | billing dispute |
/// | c12b | complaints | — | 03-20 10:00 | W12 complaint | (missing) |
/// | c12c | complaints | C1 | 03-22 12:00 | W12 complaint | billing dispute |
/// | n2 | faults | C6 | 03-20 10:00 | not a complaint | |
/// | n1 | billing | C5 | 03-24 20:00 | not a complaint | |
/// | n4 | billing | C3 | 03-25 08:00 | not a complaint | |
/// | k1 | complaints | C1 | 03-26 09:00 | answered in 10 s | billing dispute |
/// | k2 | complaints | C3 | 03-26 10:00 | answered in 30 s | billing dispute |
/// | n5 | billing | C7 | 03-26 11:00 | type = other: not a complaint | billing dispute |
/// | k4 | billing | C4 | 03-27 15:00 | type = complaint, answered in 5 s | staff attitude |
/// | n3 | faults | C4 | 03-28 09:00 | not a complaint (after k4) | |
/// | k3 | complaints | C3 | 03-28 11:00 | abandoned after 50 s | network fault |
/// | k5 | complaints | C5 | 03-29 16:00 | answered in 25 s | "  " (blank) |
/// | k6 | complaints | — | 03-31 10:00 +02 | flow-out after 60 s | null |
/// | k7 | complaints | C6 | 03-31 23:30 +02 | answered in 15 s | network fault |
/// | o1 | complaints | C1 | 04-01 00:00 +02 | after the week | |
fn records() -> Vec<ContactRecord> {
    use Outcome::*;
    let cat = |c: &str| json!({ "category": c });
    vec![
        rec(
            "o2",
            "complaints",
            "C1",
            "2024-03-10T23:59:00+01:00",
            Answered,
            5,
            cat("billing dispute"),
        ),
        rec(
            "c11a",
            "complaints",
            "C1",
            "2024-03-12T10:00:00+01:00",
            Answered,
            5,
            cat("billing dispute"),
        ),
        rec(
            "c11b",
            "complaints",
            "C9",
            "2024-03-13T10:00:00+01:00",
            Answered,
            5,
            cat("network fault"),
        ),
        rec(
            "c12a",
            "complaints",
            "C2",
            "2024-03-19T10:00:00+01:00",
            Answered,
            5,
            cat("billing dispute"),
        ),
        rec(
            "c12b",
            "complaints",
            "",
            "2024-03-20T10:00:00+01:00",
            Answered,
            5,
            json!({}),
        ),
        rec(
            "c12c",
            "complaints",
            "C1",
            "2024-03-22T12:00:00+01:00",
            Answered,
            5,
            cat("billing dispute"),
        ),
        rec(
            "n2",
            "faults",
            "C6",
            "2024-03-20T10:00:00+01:00",
            Answered,
            5,
            json!({}),
        ),
        rec(
            "n1",
            "billing",
            "C5",
            "2024-03-24T20:00:00+01:00",
            Answered,
            5,
            json!({}),
        ),
        rec(
            "n4",
            "billing",
            "C3",
            "2024-03-25T08:00:00+01:00",
            Answered,
            5,
            json!({}),
        ),
        rec(
            "k1",
            "complaints",
            "C1",
            "2024-03-26T09:00:00+01:00",
            Answered,
            10,
            cat("billing dispute"),
        ),
        rec(
            "k2",
            "complaints",
            "C3",
            "2024-03-26T10:00:00+01:00",
            Answered,
            30,
            cat("billing dispute"),
        ),
        rec(
            "n5",
            "billing",
            "C7",
            "2024-03-26T11:00:00+01:00",
            Answered,
            5,
            json!({"type": "other", "category": "billing dispute"}),
        ),
        rec(
            "k4",
            "billing",
            "C4",
            "2024-03-27T15:00:00+01:00",
            Answered,
            5,
            json!({"type": "complaint", "category": "staff attitude"}),
        ),
        rec(
            "n3",
            "faults",
            "C4",
            "2024-03-28T09:00:00+01:00",
            Answered,
            5,
            json!({}),
        ),
        rec(
            "k3",
            "complaints",
            "C3",
            "2024-03-28T11:00:00+01:00",
            Abandoned,
            50,
            cat("network fault"),
        ),
        rec(
            "k5",
            "complaints",
            "C5",
            "2024-03-29T16:00:00+01:00",
            Answered,
            25,
            cat("  "),
        ),
        rec(
            "k6",
            "complaints",
            "",
            "2024-03-31T10:00:00+02:00",
            TransferredOut,
            60,
            json!({"category": null}),
        ),
        rec(
            "k7",
            "complaints",
            "C6",
            "2024-03-31T23:30:00+02:00",
            Answered,
            15,
            cat("network fault"),
        ),
        rec(
            "o1",
            "complaints",
            "C1",
            "2024-04-01T00:00:00+02:00",
            Answered,
            5,
            json!({}),
        ),
    ]
}

fn spec() -> ComplaintSpec {
    let filter = ComplaintFilter {
        queues: vec!["complaints".into()],
        attribute: Some(("type".into(), "complaint".into())),
    };
    let mut spec = ComplaintSpec::new(
        IsoWeek::new(2024, 13).unwrap(),
        TimeZone::get("Europe/Madrid").unwrap(),
        filter,
    );
    spec.trend_weeks = 2;
    spec
}

fn analysis() -> ComplaintAnalysis {
    weekly_complaints(&spec(), &records()).unwrap()
}

fn share(name: &str, count: u64, of: u64) -> Share {
    Share {
        name: name.into(),
        count,
        share_pct: 100.0 * count as f64 / of as f64,
    }
}

#[test]
fn the_week_and_what_was_read() {
    let a = analysis();
    assert_eq!(a.week, "2024-W13");
    assert_eq!(a.time_zone, "Europe/Madrid");
    assert_eq!(a.from, "2024-03-25T00:00:00+01:00");
    assert_eq!(a.to, "2024-04-01T00:00:00+02:00");
    assert_eq!(a.complaints, 7);
    assert_eq!(a.customers, 5);
    assert_eq!(a.stats.records, 17);
    assert_eq!(a.stats.records_outside, 2);
    assert_eq!(a.stats.complaints_in_previous_weeks, 5);
    assert_eq!(a.stats.complaints_without_customer, 1);
}

#[test]
fn volume_by_category_and_queue() {
    let a = analysis();
    assert_eq!(
        a.by_category,
        [
            share("billing dispute", 2, 7),
            share("network fault", 2, 7),
            share(UNCATEGORISED, 2, 7),
            share("staff attitude", 1, 7),
        ]
    );
    assert_eq!(
        a.by_queue,
        [share("complaints", 6, 7), share("billing", 1, 7)]
    );
}

#[test]
fn trend_and_rising_categories() {
    let a = analysis();
    assert_eq!(
        a.trend.weeks,
        [
            WeekSpan {
                week: "2024-W11".into(),
                from: "2024-03-11T00:00:00+01:00".into(),
                to: "2024-03-18T00:00:00+01:00".into(),
            },
            WeekSpan {
                week: "2024-W12".into(),
                from: "2024-03-18T00:00:00+01:00".into(),
                to: "2024-03-25T00:00:00+01:00".into(),
            },
            WeekSpan {
                week: "2024-W13".into(),
                from: "2024-03-25T00:00:00+01:00".into(),
                to: "2024-04-01T00:00:00+02:00".into(),
            },
        ]
    );
    assert_eq!(a.trend.totals, [2, 3, 7]);
    let trend = |category: &str, counts: [u64; 3]| CategoryTrend {
        category: category.into(),
        counts: counts.to_vec(),
    };
    assert_eq!(
        a.trend.categories,
        [
            trend("billing dispute", [1, 2, 2]),
            trend("network fault", [1, 0, 2]),
            trend(UNCATEGORISED, [0, 1, 2]),
            trend("staff attitude", [0, 0, 1]),
        ]
    );
    // Mean of the two previous weeks: billing 1.5 (+0.5), network 0.5 (+1.5), uncategorised
    // 0.5 (+1.5), staff attitude 0 (+1, new). The three largest increases:
    let r: Vec<(&str, u64, f64, f64, Option<f64>)> = a
        .rising
        .iter()
        .map(|r| {
            (
                r.category.as_str(),
                r.this_week,
                r.previous_mean,
                r.change,
                r.change_pct,
            )
        })
        .collect();
    assert_eq!(
        r,
        [
            ("network fault", 2, 0.5, 1.5, Some(300.0)),
            (UNCATEGORISED, 2, 0.5, 1.5, Some(300.0)),
            ("staff attitude", 1, 0.0, 1.0, None),
        ]
    );
    let mut all = spec();
    all.rising = 10;
    let a = weekly_complaints(&all, &records()).unwrap();
    assert_eq!(a.rising.len(), 4);
    assert_eq!(a.rising[3].category, "billing dispute");
    assert_eq!(a.rising[3].change_pct, Some(100.0 * 0.5 / 1.5));
}

#[test]
fn repeat_callers_by_both_rules() {
    let a = analysis();
    assert_eq!(
        a.repeat_callers,
        [
            // Two complaints this week, and a billing call (n4) the day before the first.
            RepeatCaller {
                customer: "C3".into(),
                complaints: 2,
                multiple_complaints: true,
                earlier_contacts: 1,
                contact_ids: vec!["k2".into(), "k3".into()],
                categories: vec!["billing dispute".into(), "network fault".into()],
                first_complaint: "2024-03-26T10:00:00+01:00".into(),
                last_complaint: "2024-03-28T11:00:00+01:00".into(),
            },
            // One complaint, 3 days 21 hours after last week's complaint c12c (c11a, 14
            // days earlier, is outside the window).
            RepeatCaller {
                customer: "C1".into(),
                complaints: 1,
                multiple_complaints: false,
                earlier_contacts: 1,
                contact_ids: vec!["k1".into()],
                categories: vec!["billing dispute".into()],
                first_complaint: "2024-03-26T09:00:00+01:00".into(),
                last_complaint: "2024-03-26T09:00:00+01:00".into(),
            },
            // One complaint 4 days 20 hours after a billing call (n1, before the week).
            RepeatCaller {
                customer: "C5".into(),
                complaints: 1,
                multiple_complaints: false,
                earlier_contacts: 1,
                contact_ids: vec!["k5".into()],
                categories: vec![UNCATEGORISED.into()],
                first_complaint: "2024-03-29T16:00:00+01:00".into(),
                last_complaint: "2024-03-29T16:00:00+01:00".into(),
            },
        ]
    );
    // Not repeat callers: C4 called faults after complaining; C6's other call was 11
    // days before; k6 has no customer id.
    // A shorter window drops C5 (4 d 20 h) and keeps C1 (3 d 21 h) and C3.
    let mut short = spec();
    short.repeat_window = DurationMs::from_secs(4 * 24 * 3600);
    let a = weekly_complaints(&short, &records()).unwrap();
    let ids: Vec<&str> = a
        .repeat_callers
        .iter()
        .map(|r| r.customer.as_str())
        .collect();
    assert_eq!(ids, ["C3", "C1"]);
}

#[test]
fn service_of_the_complaint_queues() {
    let a = analysis();
    assert_eq!(
        a.service_by_queue,
        [
            ServiceRow {
                queue: Some("billing".into()),
                offered: 1,
                answered: 1,
                abandoned: 0,
                service_level: Some(100.0),
                asa_s: Some(5.0),
                abandon_rate: Some(0.0),
            },
            // k1 10 s, k2 30 s, k5 25 s, k7 15 s answered; k3 abandoned; k6 flowed out.
            ServiceRow {
                queue: Some("complaints".into()),
                offered: 6,
                answered: 4,
                abandoned: 1,
                service_level: Some(100.0 * 2.0 / 6.0),
                asa_s: Some(20.0),
                abandon_rate: Some(100.0 / 6.0),
            },
        ]
    );
    assert_eq!(
        a.service,
        ServiceRow {
            queue: None,
            offered: 7,
            answered: 5,
            abandoned: 1,
            service_level: Some(300.0 / 7.0),
            asa_s: Some(17.0),
            abandon_rate: Some(100.0 / 7.0),
        }
    );
}

#[test]
fn serialises_for_the_api() {
    let a = analysis();
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["by_category"][2]["name"], UNCATEGORISED);
    assert_eq!(v["repeat_callers"][0]["customer"], "C3");
    assert_eq!(v["rising"][2]["change_pct"], Value::Null);
    let back: ComplaintAnalysis = serde_json::from_value(v).unwrap();
    assert_eq!(back, a);
}

#[test]
fn selection_by_queue_or_attribute_alone() {
    let mut by_attr = spec();
    by_attr.filter = ComplaintFilter::attribute("type", "complaint");
    let a = weekly_complaints(&by_attr, &records()).unwrap();
    assert_eq!(a.complaints, 1);
    assert_eq!(a.by_category, [share("staff attitude", 1, 1)]);
    assert!(a.repeat_callers.is_empty());
    let mut by_queue = spec();
    by_queue.filter = ComplaintFilter::queues(["complaints"]);
    assert_eq!(
        weekly_complaints(&by_queue, &records()).unwrap().complaints,
        6
    );
    // Another category attribute: none has it, so everything is uncategorised.
    let mut other = spec();
    other.category_attribute = "reason".into();
    let a = weekly_complaints(&other, &records()).unwrap();
    assert_eq!(a.by_category, [share(UNCATEGORISED, 7, 7)]);
}

#[test]
fn no_trend_weeks_and_an_empty_week() {
    let mut no_trend = spec();
    no_trend.trend_weeks = 0;
    let a = weekly_complaints(&no_trend, &records()).unwrap();
    assert_eq!(a.trend.weeks.len(), 1);
    assert_eq!(a.trend.totals, [7]);
    assert!(a.rising.is_empty());
    // The span is now the repeat window (from 03-18): o2, c11a, c11b and o1 are outside.
    assert_eq!(a.stats.records_outside, 4);
    assert_eq!(a.stats.complaints_in_previous_weeks, 0);
    assert_eq!(
        a.repeat_callers.len(),
        3,
        "c12c is still an earlier contact"
    );

    let empty = weekly_complaints(&spec(), &[]).unwrap();
    assert_eq!(empty.complaints, 0);
    assert!(empty.by_category.is_empty() && empty.by_queue.is_empty());
    assert_eq!(empty.trend.totals, [0, 0, 0]);
    assert!(empty.trend.categories.is_empty());
    assert!(empty.rising.is_empty() && empty.repeat_callers.is_empty());
    assert!(empty.service_by_queue.is_empty());
    assert_eq!(
        empty.service,
        ServiceRow {
            queue: None,
            offered: 0,
            answered: 0,
            abandoned: 0,
            service_level: None,
            asa_s: None,
            abandon_rate: None,
        }
    );
}

#[test]
fn iso_weeks() {
    assert_eq!(IsoWeek::of(date(2024, 12, 30)).to_string(), "2025-W01");
    assert_eq!(IsoWeek::of(date(2021, 1, 3)).to_string(), "2020-W53");
    assert_eq!(
        IsoWeek::new(2024, 13).unwrap().monday().unwrap(),
        date(2024, 3, 25)
    );
    assert_eq!(
        IsoWeek::new(2024, 2).unwrap().minus(3).unwrap().to_string(),
        "2023-W51"
    );
    assert!(matches!(
        IsoWeek::new(2024, 53),
        Err(ComplaintError::Invalid { field, .. }) if field == "week"
    ));
    assert!(IsoWeek::new(2020, 53).is_ok());
    let mut bad = spec();
    bad.repeat_window = DurationMs(-1);
    assert!(weekly_complaints(&bad, &[]).is_err());
    let mut bad = spec();
    bad.trend_weeks = 10_000;
    assert!(weekly_complaints(&bad, &[]).is_err());
}
