use hotline_wfm::{erlang_a, erlang_c, Agents, Probability, Seconds, Traffic};
use proptest::prelude::*;

fn secs(v: f64) -> Seconds {
    Seconds::new("t", v).unwrap()
}

fn c_goal(t: f64, sl: f64) -> erlang_c::Goal {
    erlang_c::Goal {
        answer_within: secs(t),
        service_level: Some(Probability::new("target_sl", sl).unwrap()),
        asa: None,
        max_occupancy: None,
    }
}

fn a_goal(t: f64, sl: f64) -> erlang_a::Goal {
    erlang_a::Goal {
        answer_within: secs(t),
        service_level: Some(Probability::new("target_sl", sl).unwrap()),
        sl_basis: erlang_a::SlBasis::Offered,
        max_abandon: None,
        asa: None,
        max_occupancy: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn erlang_c_service_level_rises_and_asa_falls_with_agents(
        load in 0.05f64..3000.0, aht in 30.0f64..900.0, t in 0.0f64..120.0, extra in 0u32..40,
    ) {
        let traffic = Traffic::new(load * 1800.0 / aht, 1800.0, aht).unwrap();
        let n = erlang_c::minimum_agents(&traffic) + extra;
        let a = erlang_c::evaluate(&traffic, Agents::new("agents", n).unwrap(), secs(t)).unwrap();
        let b = erlang_c::evaluate(&traffic, Agents::new("agents", n + 1).unwrap(), secs(t)).unwrap();
        prop_assert!(b.service_level >= a.service_level, "{} {}", a.service_level, b.service_level);
        prop_assert!(b.asa_s <= a.asa_s);
        prop_assert!(b.p_wait <= a.p_wait);
        prop_assert!((0.0..=1.0).contains(&a.service_level) && (0.0..=1.0).contains(&a.p_wait));
    }

    #[test]
    fn erlang_c_solution_is_minimal(
        load in 0.05f64..2000.0, aht in 30.0f64..900.0, t in 0.0f64..90.0, sl in 0.5f64..0.99,
    ) {
        let traffic = Traffic::new(load * 1800.0 / aht, 1800.0, aht).unwrap();
        let r = erlang_c::solve(&traffic, &c_goal(t, sl)).unwrap();
        prop_assert!(r.service_level >= sl);
        if r.agents > erlang_c::minimum_agents(&traffic) {
            let fewer = erlang_c::evaluate(&traffic, Agents::new("agents", r.agents - 1).unwrap(), secs(t)).unwrap();
            prop_assert!(fewer.service_level < sl);
        }
    }

    #[test]
    fn erlang_a_solution_is_minimal(
        load in 0.1f64..200.0, aht in 60.0f64..600.0, patience in 5.0f64..600.0, t in 0.0f64..60.0, sl in 0.3f64..0.95,
    ) {
        let traffic = Traffic::new(load * 1800.0 / aht, 1800.0, aht).unwrap();
        let p = Seconds::positive("patience", patience).unwrap();
        let r = erlang_a::solve(&traffic, p, &a_goal(t, sl)).unwrap();
        prop_assert!(r.service_level >= sl);
        if r.agents > 1 {
            let fewer = erlang_a::evaluate(&traffic, p, Agents::new("agents", r.agents - 1).unwrap(), secs(t)).unwrap();
            prop_assert!(fewer.service_level < sl, "{} agents: {}", r.agents - 1, fewer.service_level);
        }
    }

    #[test]
    fn erlang_a_service_level_rises_with_agents(
        load in 0.1f64..300.0, aht in 60.0f64..600.0, patience in 5.0f64..900.0, t in 0.0f64..60.0, n in 1u32..400,
    ) {
        let traffic = Traffic::new(load * 1800.0 / aht, 1800.0, aht).unwrap();
        let p = Seconds::positive("patience", patience).unwrap();
        let a = erlang_a::evaluate(&traffic, p, Agents::new("agents", n).unwrap(), secs(t)).unwrap();
        let b = erlang_a::evaluate(&traffic, p, Agents::new("agents", n + 1).unwrap(), secs(t)).unwrap();
        prop_assert!(b.service_level >= a.service_level - 1e-12);
        prop_assert!(b.p_abandon <= a.p_abandon + 1e-12);
        prop_assert!(b.asa_all_s <= a.asa_all_s + 1e-9);
        for v in [a.service_level, a.p_abandon, a.p_wait, a.p_wait_gt_t, a.p_abandon_within_t, a.service_level_of_answered, a.occupancy] {
            prop_assert!((0.0..=1.0 + 1e-12).contains(&v), "{v}");
        }
        // The three fates within t add up.
        prop_assert!((a.service_level + a.p_abandon_within_t + a.p_wait_gt_t - 1.0).abs() < 1e-9);
    }

    #[test]
    fn erlang_a_with_very_long_patience_is_erlang_c(
        load in 0.5f64..500.0, aht in 60.0f64..600.0, t in 0.0f64..60.0, extra in 1u32..30,
    ) {
        let traffic = Traffic::new(load * 1800.0 / aht, 1800.0, aht).unwrap();
        let n = erlang_c::minimum_agents(&traffic) + extra;
        let c = erlang_c::evaluate(&traffic, Agents::new("agents", n).unwrap(), secs(t)).unwrap();
        let a = erlang_a::evaluate(&traffic, Seconds::positive("patience", 1e13).unwrap(), Agents::new("agents", n).unwrap(), secs(t)).unwrap();
        prop_assert!((a.service_level - c.service_level).abs() < 1e-5, "{} vs {}", a.service_level, c.service_level);
        prop_assert!((a.p_wait - c.p_wait).abs() < 1e-5);
        prop_assert!((a.asa_served_s - c.asa_s).abs() < 1e-3 * c.asa_s.max(1.0));
        prop_assert!(a.p_abandon < 1e-4);
    }
}
