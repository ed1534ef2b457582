//! Period boundaries in a non-UTC zone and a three-month trend.

use hotline_scorecard::{evaluate, resolve, trend, Level, OwnerKey, Period, PeriodKind, Status};

use crate::common::{approx, def, org, rec, records, some, states, ts, tz};

#[test]
fn the_last_millisecond_of_the_month_belongs_to_it() {
    let resolved = resolve(&def(), &org()).unwrap();
    let periods = Period::month(2024, 4).unwrap().trailing(2);
    let eval = evaluate(&resolved, &periods, &tz(), records(), states()).unwrap();
    let a2 = OwnerKey::new(Level::Agent, "a2");
    let a1 = OwnerKey::new(Level::Agent, "a1");
    let answered = |i: usize, who: &OwnerKey| {
        eval.sets[i]
            .get(who)
            .unwrap()
            .measure("financial.productivity.answered")
            .unwrap()
            .value
    };
    // r10 at 2024-03-31T23:59:59.999+02:00 is a2's second March contact; r11 at
    // 2024-04-01T00:00:00+02:00 is a1's only April one.
    assert_eq!(answered(0, &a2), Some(2.0));
    assert_eq!(answered(1, &a2), Some(0.0));
    assert_eq!(answered(0, &a1), Some(2.0));
    assert_eq!(answered(1, &a1), Some(1.0));
    assert_eq!(eval.sets[1].period.to_string(), "2024-04");
    // In UTC the same instants fall in other months; the zone decides.
    assert_eq!(
        Period::containing(
            PeriodKind::Month,
            ts("2024-03-31T23:59:59.999+02:00"),
            &tz()
        )
        .unwrap()
        .to_string(),
        "2024-03"
    );
    assert_eq!(
        Period::containing(
            PeriodKind::Month,
            ts("2024-04-01T00:00:00+02:00"),
            &jiff::tz::TimeZone::UTC
        )
        .unwrap()
        .to_string(),
        "2024-03"
    );
    // A quarter holds both.
    let q = [
        Period::quarter(2024, 1).unwrap(),
        Period::quarter(2024, 2).unwrap(),
    ];
    let eval = evaluate(&resolved, &q, &tz(), records(), states()).unwrap();
    let c = OwnerKey::new(Level::Center, "c");
    let v = |i: usize| {
        eval.sets[i]
            .get(&c)
            .unwrap()
            .measure("financial.productivity.answered")
            .unwrap()
            .value
    };
    // Q1: r1–r10 answered 9 and r12 in January; Q2: r11.
    assert_eq!(v(0), Some(10.0));
    assert_eq!(v(1), Some(1.0));
    assert_eq!(eval.stats.records_outside, 1);
}

#[test]
fn a_trend_over_three_months() {
    let resolved = resolve(&def(), &org()).unwrap();
    let periods = Period::month(2024, 3).unwrap().trailing(3);
    let eval = evaluate(&resolved, &periods, &tz(), records(), states()).unwrap();
    let c = trend(&eval.sets, &OwnerKey::new(Level::Center, "c"));
    let labels: Vec<String> = c.points.iter().map(|p| p.period.to_string()).collect();
    assert_eq!(labels, ["2024-01", "2024-02", "2024-03"]);
    // January: r12 only (a3, wait 10, handle 300). SL 100 (125), abandons 0 (150):
    // reach (2 × 125 + 150) / 3; AHT 300 (100); occupancy none; answered 1 of 8
    // (12.5, red).
    let jan = &c.points[0];
    let reach = (2.0 * 125.0 + 150.0) / 3.0;
    some(jan.score, (2.0 * reach + 100.0 + 12.5) / 4.0);
    let ans = |p: &hotline_scorecard::TrendPoint| {
        p.measures
            .iter()
            .find(|m| m.path == "financial.productivity.answered")
            .unwrap()
            .clone()
    };
    assert_eq!(ans(jan).status, Status::Red);
    // February: nothing. Ratios are undefined (no data); the count is 0, red, and is
    // then the whole score.
    let feb = &c.points[1];
    assert_eq!(ans(feb).value, Some(0.0));
    some(feb.score, 0.0);
    let sl = feb
        .measures
        .iter()
        .find(|m| m.path == "customer.reach.service_level")
        .unwrap();
    assert_eq!((sl.value, sl.status), (None, Status::NoData));
    // March: as in `scoring::center`.
    some(c.points[2].score, 28525.0 / 288.0);
    // An agent's trend: a3 had r12 in January.
    let a3 = trend(&eval.sets, &OwnerKey::new(Level::Agent, "a3"));
    let aht: Vec<Option<f64>> = a3
        .points
        .iter()
        .map(|p| {
            p.measures
                .iter()
                .find(|m| m.kpi.as_str() == "aht_s")
                .unwrap()
                .value
        })
        .collect();
    assert_eq!(aht, [Some(300.0), None, Some(345.0)]);
    approx(
        a3.points[2]
            .measures
            .iter()
            .find(|m| m.kpi.as_str() == "aht_s")
            .unwrap()
            .target,
        360.0,
    );
}

#[test]
fn periods_must_be_one_kind_in_order() {
    let resolved = resolve(&def(), &org()).unwrap();
    let m = Period::month(2024, 3).unwrap();
    for bad in [
        vec![m, m],
        vec![m.next().unwrap(), m],
        vec![m, Period::quarter(2024, 2).unwrap()],
    ] {
        let err = evaluate(&resolved, &bad, &tz(), records(), states()).unwrap_err();
        assert_eq!(err.problems()[0].path, "periods");
    }
}

#[test]
fn record_team_field_wins_over_the_org() {
    // A record that says its team is t2 counts for t2's agent-side values even though
    // the org puts a1 in t1; a record of an agent the org does not know counts for
    // the center and is reported.
    let resolved = resolve(&def(), &org()).unwrap();
    let mut r = rec(
        "x1",
        "q9",
        Some("a1"),
        "2024-03-20T10:00:00+01:00",
        10,
        100,
        0,
        0,
    );
    r.team = Some("t2".into());
    let stranger = rec(
        "x2",
        "q9",
        Some("zz"),
        "2024-03-20T11:00:00+01:00",
        10,
        100,
        0,
        0,
    );
    let eval = evaluate(
        &resolved,
        &[Period::month(2024, 3).unwrap()],
        &tz(),
        [r, stranger],
        states(),
    )
    .unwrap();
    let set = &eval.sets[0];
    let ans = |l, id| {
        set.get(&OwnerKey::new(l, id))
            .unwrap()
            .measure("financial.productivity.answered")
            .unwrap()
            .value
    };
    assert_eq!(ans(Level::Team, "t2"), Some(1.0));
    assert_eq!(ans(Level::Team, "t1"), Some(0.0));
    assert_eq!(ans(Level::Agent, "a1"), Some(1.0));
    assert_eq!(ans(Level::Center, "c"), Some(2.0));
    assert_eq!(eval.stats.records_without_team, 1);
    assert_eq!(eval.stats.records_without_queue_owner, 2);
    // q9 belongs to no team: t2's service level has nothing in the period.
    let t2 = set.get(&OwnerKey::new(Level::Team, "t2")).unwrap();
    assert_eq!(
        t2.measure("customer.reach.service_level").unwrap().no_data,
        Some(hotline_scorecard::NoData::NothingInPeriod)
    );
}
