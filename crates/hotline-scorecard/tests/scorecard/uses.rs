//! Queue ownership, the briefing's center targets, and lenient resolution.

use hotline_metrics::briefing::Target;
use hotline_scorecard::{
    briefing_targets, queue_owners, resolve_lenient, Definition, QueueAnswers, ScorecardError,
};

use crate::common::*;

fn answers(rows: &[(&str, &str, u64)]) -> Vec<QueueAnswers> {
    rows.iter()
        .map(|&(queue, team, answered)| QueueAnswers {
            queue: queue.into(),
            team: team.into(),
            answered,
        })
        .collect()
}

#[test]
fn a_queue_belongs_to_the_team_that_answered_most_of_it() {
    let owners = queue_owners(&answers(&[
        ("billing", "t2", 40),
        ("billing", "t1", 41),
        ("faults", "t2", 7),
        ("faults", "t1", 7),
        ("sales", "t3", 0),
    ]));
    let got: Vec<(&str, &str)> = owners
        .iter()
        .map(|(q, t)| (q.as_str(), t.as_str()))
        .collect();
    // A tie goes to the first team by id, whatever the order of the rows; a queue
    // nobody answered has no owner.
    assert_eq!(got, [("billing", "t1"), ("faults", "t1")]);
    let reversed = queue_owners(&answers(&[("faults", "t1", 7), ("faults", "t2", 7)]));
    assert_eq!(reversed["faults"], "t1");
}

#[test]
fn answers_are_counted_per_queue_and_team_from_the_records() {
    // The hand-checked records (common.rs) with the teams of the org: a1, a2 in t1 and
    // a3, a4 in t2; r4 (abandoned) and unassigned teams do not count.
    let mut records = records();
    for r in &mut records {
        r.team = r
            .agent
            .as_deref()
            .map(|a| if a == "a1" || a == "a2" { "t1" } else { "t2" }.to_owned());
    }
    records[0].team = None;
    let got: Vec<(String, String, u64)> = hotline_scorecard::queue_answers(&records)
        .into_iter()
        .map(|a| (a.queue, a.team, a.answered))
        .collect();
    // q1: r2, r3, r10, r11, r13 answered by t1 (r1 has no team); q2: r5–r9, r12 by t2.
    assert_eq!(
        got,
        [("q1".into(), "t1".into(), 5), ("q2".into(), "t2".into(), 6)]
    );
}

#[test]
fn the_briefing_takes_the_center_targets_of_the_telecom_example() {
    let t = briefing_targets(&Definition::telecom_example());
    // abandon_rate target 5 (no green threshold: the target), asa_s 20, aht_s 330 —
    // the center's measures, not the overrides'; occupancy 85 ± 5.
    assert_eq!(t.abandon_rate_pct, Some(Target::AtMost(5.0)));
    assert_eq!(t.asa_s, Some(Target::AtMost(20.0)));
    assert_eq!(t.aht_s, Some(Target::AtMost(330.0)));
    assert_eq!(t.occupancy_pct, Some(Target::Between(80.0, 90.0)));
    assert!(t.queues.is_empty());
}

#[test]
fn a_disabled_measure_sets_no_briefing_target() {
    let text = Definition::telecom_example().to_toml().replacen(
        "kpi = \"asa_s\"\n",
        "kpi = \"asa_s\"\nenabled = false\n",
        1,
    );
    let def = Definition::from_toml(&text).unwrap();
    assert_eq!(briefing_targets(&def).asa_s, None);
    assert_eq!(briefing_targets(&def).aht_s, Some(Target::AtMost(330.0)));
}

#[test]
fn overrides_naming_owners_the_org_lacks_are_left_out_and_named() {
    // The telecom example's overrides name its own teams (gold, complaints, tech), a
    // department by name and one agent; the test org has none of them.
    let def = Definition::telecom_example();
    assert!(matches!(
        hotline_scorecard::resolve(&def, &org()),
        Err(ScorecardError::Invalid(_))
    ));
    let (resolved, skipped) = resolve_lenient(&def, &org()).unwrap();
    let got: Vec<(&str, &str)> = skipped
        .iter()
        .map(|s| (s.path.as_str(), s.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("overrides[0].team", "gold"),
            ("overrides[1].team", "complaints"),
            ("overrides[2].team", "tech"),
            ("overrides[3].department", "Inbound service"),
            ("overrides[6].agent", "billing.02"),
        ]
    );
    // The level-wide overrides still apply: no agent has the people objective.
    assert!(!resolved.scorecards.is_empty());
}

#[test]
fn other_problems_are_still_errors() {
    // An override for a team the org has that makes amber better than the target
    // (AHT: lower is better): a problem only once applied, and not about an owner.
    let text = format!(
        "{}\n[[overrides]]\nteam = \"t1\"\nmeasure = \"internal.efficiency.aht_s\"\namber = 300\n",
        Definition::telecom_example().to_toml()
    );
    let def = Definition::from_toml(&text).unwrap();
    match resolve_lenient(&def, &org()) {
        Err(ScorecardError::Invalid(problems)) => {
            // Named by its index as written (the eighth override), although five before
            // it were left out.
            let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
            assert_eq!(paths, ["overrides[7].amber"]);
        }
        other => panic!("expected the amber problem, got {other:?}"),
    }
}
