//! Invariants: scores in range and consistent, an override that changes nothing
//! changes nothing, the order of records does not matter.

use std::collections::BTreeMap;

use hotline_metrics::{AgentState, AgentStateInterval, ContactRecord, KpiId};
use hotline_scorecard::{
    evaluate, resolve, score, Definition, Level, OwnerKey, Period, PeriodValues, Resolved,
};
use proptest::prelude::*;

use crate::common::{def, org, rec, state, DEF};

fn march() -> Period {
    Period::month(2024, 3).unwrap()
}

/// Values for every owner: each KPI present or not, in a wide range.
fn values_strategy() -> impl Strategy<Value = Vec<Vec<Option<f64>>>> {
    let kpis = 6;
    prop::collection::vec(
        prop::collection::vec(prop::option::of(-50.0f64..2000.0), kpis),
        8,
    )
}

const KPIS: [KpiId; 6] = [
    KpiId::ServiceLevel,
    KpiId::AbandonRate,
    KpiId::Csat,
    KpiId::AhtS,
    KpiId::Occupancy,
    KpiId::Answered,
];

fn period_values(r: &Resolved, v: &[Vec<Option<f64>>]) -> PeriodValues {
    let mut values = BTreeMap::new();
    for (sc, row) in r.scorecards.iter().zip(v) {
        let mut m = BTreeMap::new();
        for (k, x) in KPIS.iter().zip(row) {
            if let Some(x) = x {
                m.insert(*k, *x);
            }
        }
        values.insert(sc.owner.key.clone(), m);
    }
    PeriodValues {
        period: march(),
        from: String::new(),
        to: String::new(),
        values,
    }
}

fn records_strategy() -> impl Strategy<Value = Vec<ContactRecord>> {
    let one = (
        0usize..2,
        prop::option::of(0usize..5),
        0i64..(31 * 24 * 60),
        0i64..120,
        0i64..600,
        0i64..60,
        0u32..2,
    )
        .prop_map(|(q, agent, minute, wait, talk, wrap, transfers)| {
            let agents = ["a1", "a2", "a3", "a4", "zz"];
            let t = jiff::Timestamp::from_second(1_709_247_600 + minute * 60 - 3600).unwrap();
            rec(
                "r",
                ["q1", "q2"][q],
                agent.map(|a| agents[a]),
                &t.to_string(),
                wait,
                talk,
                wrap,
                transfers,
            )
        });
    prop::collection::vec(one, 0..40)
}

fn states_strategy() -> impl Strategy<Value = Vec<AgentStateInterval>> {
    let one =
        (0usize..4, 0usize..4, 0i64..(32 * 24 * 60), 1i64..600).prop_map(|(a, s, minute, len)| {
            let t = |m: i64| {
                jiff::Timestamp::from_second(1_709_247_600 + m * 60 - 3 * 86_400)
                    .unwrap()
                    .to_string()
            };
            let st = [
                AgentState::Ready,
                AgentState::Busy,
                AgentState::NotReady,
                AgentState::WrapUp,
            ][s];
            state(
                ["a1", "a2", "a3", "a4"][a],
                st,
                &t(minute),
                &t(minute + len),
            )
        });
    prop::collection::vec(one, 0..20)
}

proptest! {
    #[test]
    fn scores_are_in_range_and_add_up(v in values_strategy()) {
        let r = resolve(&def(), &org()).unwrap();
        let set = score(&r, &period_values(&r, &v));
        for o in &set.owners {
            let mut sum_w = 0.0;
            let mut sum = 0.0;
            for m in o.measures() {
                if let Some(s) = m.score {
                    prop_assert!((0.0..=150.0).contains(&s), "{s}");
                    sum_w += m.effective_weight;
                    sum += m.effective_weight * s;
                } else {
                    prop_assert_eq!(m.effective_weight, 0.0);
                }
            }
            match o.score {
                Some(total) => {
                    prop_assert!((0.0..=150.0).contains(&total));
                    prop_assert!((sum_w - 1.0).abs() < 1e-9, "{}", sum_w);
                    prop_assert!((sum - total).abs() < 1e-9 * total.max(1.0));
                }
                None => prop_assert_eq!(sum_w, 0.0),
            }
            for p in &o.perspectives {
                if let Some(s) = p.score {
                    prop_assert!((0.0..=150.0).contains(&s));
                }
            }
        }
    }

    #[test]
    fn overriding_with_the_inherited_value_changes_nothing(
        v in values_strategy(),
        owners in prop::collection::vec(0usize..7, 0..5),
    ) {
        // Without overrides every owner's scorecard is the center's.
        let mut plain = def();
        plain.overrides.clear();
        let r0 = resolve(&plain, &org()).unwrap();
        let center = &r0.scorecards[0].perspectives;
        for sc in &r0.scorecards {
            let values = |ps: &Vec<hotline_scorecard::EffectivePerspective>| -> Vec<(f64, f64, f64, f64)> {
                ps.iter().flat_map(|p| p.objectives.iter().flat_map(|o| o.measures.iter()))
                    .map(|m| (m.target.value, m.green.value, m.amber.value, m.weight.value)).collect()
            };
            prop_assert_eq!(values(&sc.perspectives), values(center));
        }
        // Overrides that restate what an owner inherits: the same scores.
        let r = resolve(&def(), &org()).unwrap();
        let names = ["d1", "t1", "t2", "a1", "a2", "a3", "a4"];
        let mut text = DEF.to_owned();
        let mut seen = std::collections::HashSet::new();
        for i in owners {
            if !seen.insert(i) { continue; }
            let key = ["department", "team", "team", "agent", "agent", "agent", "agent"][i];
            let level = [Level::Department, Level::Team, Level::Team, Level::Agent, Level::Agent, Level::Agent, Level::Agent][i];
            let sc = r.get(&OwnerKey::new(level, names[i])).unwrap();
            let (_, _, m) = sc.measures().find(|(_, _, m)| m.path == "internal.efficiency.aht_s").unwrap();
            if key == "agent" && names[i] == "a3" { continue; } // has its own already
            text.push_str(&format!(
                "\n[[overrides]]\n{key} = \"{}\"\nmeasure = \"internal.efficiency.aht_s\"\ntarget = {}\namber = {}\nweight = {}\n",
                names[i], m.target.value, m.amber.value, m.weight.value
            ));
        }
        let r2 = resolve(&Definition::from_toml(&text).unwrap(), &org()).unwrap();
        let pv = period_values(&r, &v);
        let a = score(&r, &pv);
        let b = score(&r2, &pv);
        for (x, y) in a.owners.iter().zip(&b.owners) {
            prop_assert_eq!(x.score, y.score);
            prop_assert_eq!(x.counts, y.counts);
        }
    }

    #[test]
    fn the_order_of_records_does_not_matter(
        (records, shuffled) in records_strategy().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        (states, states_shuffled) in states_strategy().prop_flat_map(|s| (Just(s.clone()), Just(s).prop_shuffle())),
    ) {
        let r = resolve(&def(), &org()).unwrap();
        let periods = march().trailing(2);
        let tz = crate::common::tz();
        let a = evaluate(&r, &periods, &tz, &records, &states).unwrap();
        let b = evaluate(&r, &periods, &tz, &shuffled, &states_shuffled).unwrap();
        prop_assert_eq!(a, b);
    }
}
