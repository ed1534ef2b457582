//! Every value, status and score of the hand-checked world (see `common`), worked by
//! hand in the comments.

use hotline_metrics::KpiId;
use hotline_scorecard::score::{achievement, status};
use hotline_scorecard::{
    evaluate, resolve, Better, Level, NoData, OwnerKey, OwnerResult, Period, ScorecardSet, Status,
};

use crate::common::{approx, def, org, records, some, states, tz};

fn march() -> ScorecardSet {
    let resolved = resolve(&def(), &org()).unwrap();
    let periods = [Period::month(2024, 3).unwrap()];
    let eval = evaluate(&resolved, &periods, &tz(), records(), states()).unwrap();
    eval.sets.into_iter().next().unwrap()
}

fn owner(set: &ScorecardSet, level: Level, id: &str) -> OwnerResult {
    set.get(&OwnerKey::new(level, id)).unwrap().clone()
}

#[track_caller]
fn check(o: &OwnerResult, path: &str, value: Option<f64>, st: Status, score: Option<f64>) {
    let m = o.measure(path).unwrap_or_else(|| panic!("{path}"));
    match (m.value, value) {
        (Some(a), Some(b)) => approx(a, b),
        (a, b) => assert_eq!(a, b, "{path} value"),
    }
    assert_eq!(m.status, st, "{path} status");
    match (m.score, score) {
        (Some(a), Some(b)) => approx(a, b),
        (a, b) => assert_eq!(a, b, "{path} score"),
    }
}

#[test]
fn center() {
    let set = march();
    assert_eq!(set.period.to_string(), "2024-03");
    assert_eq!(set.from, "2024-03-01T00:00:00+01:00");
    assert_eq!(set.to, "2024-04-01T00:00:00+02:00");
    let c = owner(&set, Level::Center, "c");
    // Service level 7 / 10 = 70: amber (≥ 60, < 80); 70 / 80.
    check(
        &c,
        "customer.reach.service_level",
        Some(70.0),
        Status::Amber,
        Some(87.5),
    );
    // Abandon rate 1 / 10 = 10 = the target: green; 10 / 10.
    check(
        &c,
        "customer.reach.abandon_rate",
        Some(10.0),
        Status::Green,
        Some(100.0),
    );
    // Not fed: no data, no score, and the reason.
    check(&c, "customer.satisfaction.csat", None, Status::NoData, None);
    assert_eq!(
        c.measure("customer.satisfaction.csat").unwrap().no_data,
        Some(NoData::NotFedYet {
            by: "surveys module".into()
        })
    );
    // AHT 2430 / 9 = 270 ≤ 300: green; 300 / 270.
    check(
        &c,
        "internal.efficiency.aht_s",
        Some(270.0),
        Status::Green,
        Some(100.0 * 300.0 / 270.0),
    );
    // Occupancy 129 / 180 = 71.67: 8.33 from 80, within 10: amber; 1 − 8.33 / 80.
    let occ = 100.0 * 129.0 / 180.0;
    check(
        &c,
        "internal.efficiency.occupancy",
        Some(occ),
        Status::Amber,
        Some(100.0 * (1.0 - (80.0 - occ) / 80.0)),
    );
    // Answered 9 ≥ 8: green; 9 / 8.
    check(
        &c,
        "financial.productivity.answered",
        Some(9.0),
        Status::Green,
        Some(112.5),
    );
    // Objectives: reach (2 × 87.5 + 100) / 3; satisfaction none.
    let reach = (2.0 * 87.5 + 100.0) / 3.0;
    let p = &c.perspectives[0];
    some(p.objectives[0].score, reach);
    assert_eq!(p.objectives[1].score, None);
    // Customer = reach alone (satisfaction renormalised away).
    some(p.score, reach);
    let internal = (100.0 * 300.0 / 270.0 + 100.0 * (1.0 - (80.0 - occ) / 80.0)) / 2.0;
    some(c.perspectives[2].score, internal);
    assert_eq!(c.perspectives[2].perspective.as_str(), "internal");
    // Total: (2 × customer + internal + financial) / 4.
    let total = (2.0 * reach + internal + 112.5) / 4.0;
    some(c.score, total);
    approx(total, 28525.0 / 288.0);
    // Effective weights: customer ½ (all on reach: SL ⅓, abandons ⅙), internal ¼,
    // financial ¼; csat 0.
    let ew = |path: &str| c.measure(path).unwrap().effective_weight;
    approx(ew("customer.reach.service_level"), 1.0 / 3.0);
    approx(ew("customer.reach.abandon_rate"), 1.0 / 6.0);
    approx(ew("customer.satisfaction.csat"), 0.0);
    approx(ew("internal.efficiency.aht_s"), 0.125);
    approx(ew("internal.efficiency.occupancy"), 0.125);
    approx(ew("financial.productivity.answered"), 0.25);
    let weighted: f64 = c
        .measures()
        .filter_map(|m| m.score.map(|s| s * m.effective_weight))
        .sum();
    approx(weighted, total);
    assert_eq!(
        (
            c.counts.green,
            c.counts.amber,
            c.counts.red,
            c.counts.no_data
        ),
        (3, 2, 0, 1)
    );
}

#[test]
fn department_is_the_union_of_its_teams() {
    let set = march();
    let d = owner(&set, Level::Department, "d1");
    // It owns q1 and q2 through its teams: the same queue-side values as the center.
    check(
        &d,
        "customer.reach.service_level",
        Some(70.0),
        Status::Amber,
        Some(87.5),
    );
    check(
        &d,
        "customer.reach.abandon_rate",
        Some(10.0),
        Status::Green,
        Some(100.0),
    );
    check(
        &d,
        "internal.efficiency.aht_s",
        Some(270.0),
        Status::Green,
        Some(100.0 * 300.0 / 270.0),
    );
    // Answered: the level-wide team override does not apply to a department.
    check(
        &d,
        "financial.productivity.answered",
        Some(9.0),
        Status::Green,
        Some(112.5),
    );
    // Occupancy weight 3 from its own override.
    let occ = d.measure("internal.efficiency.occupancy").unwrap();
    assert_eq!(occ.weight.value, 3.0);
    assert_eq!(occ.weight.from.to_string(), "department d1");
}

#[test]
fn teams() {
    let set = march();
    let t1 = owner(&set, Level::Team, "t1");
    // SL 3 / 5 = 60, with t1's target 85 and amber 65: red; 60 / 85.
    check(
        &t1,
        "customer.reach.service_level",
        Some(60.0),
        Status::Red,
        Some(6000.0 / 85.0),
    );
    // Abandons 1 / 5 = 20 = amber exactly: amber; 10 / 20.
    check(
        &t1,
        "customer.reach.abandon_rate",
        Some(20.0),
        Status::Amber,
        Some(50.0),
    );
    // AHT 1020 / 4 = 255: green; 300 / 255.
    check(
        &t1,
        "internal.efficiency.aht_s",
        Some(255.0),
        Status::Green,
        Some(30000.0 / 255.0),
    );
    // Occupancy 75 / 120 = 62.5: 17.5 away: red; 1 − 17.5 / 80.
    check(
        &t1,
        "internal.efficiency.occupancy",
        Some(62.5),
        Status::Red,
        Some(78.125),
    );
    // Answered 4 = the team amber (every team: 5 / 4): amber; 4 / 5.
    check(
        &t1,
        "financial.productivity.answered",
        Some(4.0),
        Status::Amber,
        Some(80.0),
    );
    let reach = (2.0 * 6000.0 / 85.0 + 50.0) / 3.0;
    let internal = (30000.0 / 255.0 + 3.0 * 78.125) / 4.0;
    some(t1.score, (2.0 * reach + internal + 80.0) / 4.0);

    let t2 = owner(&set, Level::Team, "t2");
    // SL 4 / 5 = 80 = green exactly; 80 / 80.
    check(
        &t2,
        "customer.reach.service_level",
        Some(80.0),
        Status::Green,
        Some(100.0),
    );
    // No abandons: 0 % is green and scores the cap (lower is better, value 0).
    check(
        &t2,
        "customer.reach.abandon_rate",
        Some(0.0),
        Status::Green,
        Some(150.0),
    );
    check(
        &t2,
        "internal.efficiency.aht_s",
        Some(282.0),
        Status::Green,
        Some(30000.0 / 282.0),
    );
    // Occupancy 90: 10 away = amber_within exactly: amber; 1 − 10 / 80.
    check(
        &t2,
        "internal.efficiency.occupancy",
        Some(90.0),
        Status::Amber,
        Some(87.5),
    );
    // Answered 5 = the team target: green.
    check(
        &t2,
        "financial.productivity.answered",
        Some(5.0),
        Status::Green,
        Some(100.0),
    );
    let reach = (2.0 * 100.0 + 150.0) / 3.0;
    let internal = (30000.0 / 282.0 + 3.0 * 87.5) / 4.0;
    some(t2.score, (2.0 * reach + internal + 100.0) / 4.0);
}

#[test]
fn agents_are_scored_on_their_own_records() {
    let set = march();
    let a1 = owner(&set, Level::Agent, "a1");
    assert_eq!(a1.owner.name, "Ana");
    // Queue-side KPIs do not apply to a person.
    for path in [
        "customer.reach.service_level",
        "customer.reach.abandon_rate",
    ] {
        check(&a1, path, None, Status::NoData, None);
        assert_eq!(
            a1.measure(path).unwrap().no_data,
            Some(NoData::NotApplicable)
        );
    }
    // AHT 600 / 2 = 300 = green exactly.
    check(
        &a1,
        "internal.efficiency.aht_s",
        Some(300.0),
        Status::Green,
        Some(100.0),
    );
    // Occupancy 45 / 60 = 75: 5 away = green_within exactly: green; 1 − 5 / 80.
    check(
        &a1,
        "internal.efficiency.occupancy",
        Some(75.0),
        Status::Green,
        Some(93.75),
    );
    // Answered 2 = every agent's amber: amber; 2 / 3.
    check(
        &a1,
        "financial.productivity.answered",
        Some(2.0),
        Status::Amber,
        Some(200.0 / 3.0),
    );
    // Customer has no data at all: the total is internal and financial, 1 : 1.
    assert_eq!(a1.perspectives[0].score, None);
    let internal = (100.0 + 3.0 * 93.75) / 4.0;
    some(a1.score, (internal + 200.0 / 3.0) / 2.0);
    approx(
        a1.measure("internal.efficiency.aht_s")
            .unwrap()
            .effective_weight,
        0.125,
    );
    approx(
        a1.measure("internal.efficiency.occupancy")
            .unwrap()
            .effective_weight,
        0.375,
    );
    approx(
        a1.measure("financial.productivity.answered")
            .unwrap()
            .effective_weight,
        0.5,
    );

    // a2: AHT 420 / 2 = 210; occupancy 50 (30 away: red).
    let a2 = owner(&set, Level::Agent, "a2");
    check(
        &a2,
        "internal.efficiency.aht_s",
        Some(210.0),
        Status::Green,
        Some(30000.0 / 210.0),
    );
    check(
        &a2,
        "internal.efficiency.occupancy",
        Some(50.0),
        Status::Red,
        Some(62.5),
    );

    // a3: AHT 345 against their own target 360 (amber 400): green; 360 / 345.
    let a3 = owner(&set, Level::Agent, "a3");
    check(
        &a3,
        "internal.efficiency.aht_s",
        Some(345.0),
        Status::Green,
        Some(36000.0 / 345.0),
    );
    check(
        &a3,
        "internal.efficiency.occupancy",
        Some(90.0),
        Status::Amber,
        Some(87.5),
    );

    // a4: no state time, so no occupancy (nothing in the period): internal is AHT
    // alone, renormalised.
    let a4 = owner(&set, Level::Agent, "a4");
    check(
        &a4,
        "internal.efficiency.aht_s",
        Some(240.0),
        Status::Green,
        Some(125.0),
    );
    check(
        &a4,
        "internal.efficiency.occupancy",
        None,
        Status::NoData,
        None,
    );
    assert_eq!(
        a4.measure("internal.efficiency.occupancy").unwrap().no_data,
        Some(NoData::NothingInPeriod)
    );
    some(a4.perspectives[2].score, 125.0);
    check(
        &a4,
        "financial.productivity.answered",
        Some(3.0),
        Status::Green,
        Some(100.0),
    );
    some(a4.score, (125.0 + 100.0) / 2.0);
}

#[test]
fn drill_down_and_own_view() {
    let set = march();
    let center = OwnerKey::new(Level::Center, "c");
    let kids: Vec<String> = set
        .children(&center)
        .map(|o| o.owner.key.to_string())
        .collect();
    assert_eq!(kids, ["department:d1"]);
    let d1 = OwnerKey::new(Level::Department, "d1");
    let kids: Vec<String> = set.children(&d1).map(|o| o.owner.key.to_string()).collect();
    assert_eq!(kids, ["team:t1", "team:t2"]);
    let t1 = OwnerKey::new(Level::Team, "t1");
    let sub: Vec<String> = set
        .subtree(&t1)
        .owners
        .iter()
        .map(|o| o.owner.key.to_string())
        .collect();
    assert_eq!(sub, ["team:t1", "agent:a1", "agent:a2"]);
    let a2 = OwnerKey::new(Level::Agent, "a2");
    assert_eq!(set.subtree(&a2).owners.len(), 1);
    assert_eq!(set.level(Level::Agent).count(), 4);
    let order: Vec<String> = set.owners.iter().map(|o| o.owner.key.to_string()).collect();
    assert_eq!(
        order,
        [
            "center:c",
            "department:d1",
            "team:t1",
            "agent:a1",
            "agent:a2",
            "team:t2",
            "agent:a3",
            "agent:a4"
        ]
    );
}

#[test]
fn status_boundaries_and_direction() {
    use Status::*;
    // Higher is better, green 80, amber 60.
    for (v, s) in [
        (80.0, Green),
        (79.999, Amber),
        (60.0, Amber),
        (59.999, Red),
        (100.0, Green),
    ] {
        assert_eq!(status(Better::Higher, v, 80.0, 80.0, 60.0), s, "{v}");
    }
    // A computed value a rounding error below the threshold counts as at it.
    assert_eq!(
        status(Better::Higher, 80.0 - 1e-12, 80.0, 80.0, 60.0),
        Green
    );
    // Lower is better, green 300, amber 360.
    for (v, s) in [
        (300.0, Green),
        (300.001, Amber),
        (360.0, Amber),
        (360.001, Red),
        (0.0, Green),
    ] {
        assert_eq!(status(Better::Lower, v, 300.0, 300.0, 360.0), s, "{v}");
    }
    // Near target 85 ± 5 / 10, both sides.
    for (v, s) in [
        (85.0, Green),
        (80.0, Green),
        (90.0, Green),
        (79.9, Amber),
        (90.1, Amber),
        (75.0, Amber),
        (95.0, Amber),
        (74.9, Red),
        (95.1, Red),
    ] {
        assert_eq!(status(Better::NearTarget, v, 85.0, 5.0, 10.0), s, "{v}");
    }
    // Achievement: ratio, inverse ratio, distance; capped to 0..=150.
    approx(achievement(Better::Higher, 40.0, 80.0), 50.0);
    approx(achievement(Better::Higher, 200.0, 80.0), 150.0);
    approx(achievement(Better::Higher, -5.0, 80.0), 0.0);
    approx(achievement(Better::Lower, 600.0, 300.0), 50.0);
    approx(achievement(Better::Lower, 100.0, 300.0), 150.0);
    approx(achievement(Better::Lower, 0.0, 300.0), 150.0);
    approx(achievement(Better::NearTarget, 90.0, 80.0), 87.5);
    approx(achievement(Better::NearTarget, 70.0, 80.0), 87.5);
    approx(achievement(Better::NearTarget, 200.0, 80.0), 0.0);
}

#[test]
fn values_from_elsewhere_are_scored() {
    // A QA import (not fed by records) supplies csat for the center: it is scored
    // and the satisfaction objective takes part again.
    let resolved = resolve(&def(), &org()).unwrap();
    let periods = [Period::month(2024, 3).unwrap()];
    let mut values = hotline_scorecard::compute_values(
        &resolved.org,
        &periods,
        &tz(),
        &resolved.kpis(),
        resolved.settings.params(),
        records(),
        states(),
    )
    .unwrap();
    let v = &mut values.periods[0];
    v.values
        .get_mut(&OwnerKey::new(Level::Center, "c"))
        .unwrap()
        .insert(KpiId::Csat, 85.5);
    let set = hotline_scorecard::score(&resolved, v);
    let c = owner(&set, Level::Center, "c");
    check(
        &c,
        "customer.satisfaction.csat",
        Some(85.5),
        Status::Amber,
        Some(95.0),
    );
    let reach = (2.0 * 87.5 + 100.0) / 3.0;
    some(c.perspectives[0].score, (reach + 95.0) / 2.0);
    assert_eq!(values.stats.records, 10);
    assert_eq!(values.stats.records_outside, 3);
    assert_eq!(values.stats.states, 6);
}
