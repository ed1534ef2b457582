use hotline_wfm::{
    erlang_a, erlang_b, erlang_c, Agents, Erlangs, Probability, Seconds, Traffic, WfmError,
};

fn secs(v: f64) -> Seconds {
    Seconds::new("t", v).unwrap()
}

fn goal(t: f64, sl: f64) -> erlang_c::Goal {
    erlang_c::Goal {
        answer_within: secs(t),
        service_level: Some(Probability::new("target_sl", sl).unwrap()),
        asa: None,
        max_occupancy: None,
    }
}

#[test]
fn loads_from_a_hundredth_to_ten_thousand_erlangs() {
    for load in [0.01, 0.5, 1.0, 9.99, 100.0, 1234.5, 5000.0, 10_000.0] {
        let traffic = Traffic::new(load, 180.0, 180.0).unwrap();
        for sl in [0.5, 0.8, 0.99] {
            let r = erlang_c::solve(&traffic, &goal(20.0, sl)).unwrap();
            assert!(
                r.service_level >= sl && r.service_level <= 1.0,
                "{load} {sl}: {r:?}"
            );
            assert!(f64::from(r.agents) > load);
            assert!(r.asa_s.is_finite() && r.p_wait.is_finite());
        }
    }
}

#[test]
fn twenty_thousand_agents_on_a_tiny_load_is_finite() {
    let traffic = Traffic::new(0.01, 180.0, 180.0).unwrap();
    let r =
        erlang_c::evaluate(&traffic, Agents::new("agents", 20_000).unwrap(), secs(20.0)).unwrap();
    assert_eq!(r.p_wait, 0.0);
    assert_eq!(r.service_level, 1.0);
    let a = erlang_a::evaluate(
        &traffic,
        Seconds::positive("patience", 60.0).unwrap(),
        Agents::new("agents", 20_000).unwrap(),
        secs(20.0),
    )
    .unwrap();
    assert_eq!(a.p_wait, 0.0);
    assert_eq!(a.service_level, 1.0);
}

#[test]
fn erlang_a_heavy_overload_does_not_overflow() {
    // 10,000 Erlangs on 2,000 agents, patience 10 minutes: most callers leave.
    let traffic = Traffic::new(10_000.0, 180.0, 180.0).unwrap();
    let a = erlang_a::evaluate(
        &traffic,
        Seconds::positive("patience", 600.0).unwrap(),
        Agents::new("agents", 2_000).unwrap(),
        secs(20.0),
    )
    .unwrap();
    // Fluid limit: the agents carry at most 2,000 Erlangs, so at least 80% abandon.
    assert!(a.p_abandon > 0.79 && a.p_abandon < 0.81, "{}", a.p_abandon);
    assert!(a.occupancy > 0.999 && a.occupancy <= 1.0, "{a:?}");
    assert!(a.p_wait > 0.999);
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    assert!(Traffic::new(f64::NAN, 1800.0, 180.0).is_err());
    assert!(Traffic::new(-5.0, 1800.0, 180.0).is_err());
    assert!(Traffic::new(100.0, 1800.0, 0.0).is_err());
    assert!(Probability::new("target_sl", 1.2).is_err());
    assert!(Erlangs::new("load", 0.0).is_err());
    let traffic = Traffic::new(100.0, 1800.0, 180.0).unwrap();
    let err =
        erlang_c::evaluate(&traffic, Agents::new("agents", 9).unwrap(), secs(20.0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "agents = 9 cannot carry a load of 10 Erlangs: Erlang C needs more agents than the load (at least 11); use Erlang A if callers abandon"
    );
    let none = erlang_c::Goal {
        service_level: None,
        ..goal(20.0, 0.8)
    };
    assert!(matches!(
        erlang_c::solve(&traffic, &none),
        Err(WfmError::InvalidInput {
            field: "target",
            ..
        })
    ));
}

#[test]
fn erlang_b_solve_is_minimal() {
    for load in [0.1, 2.5, 25.0, 250.0, 2500.0] {
        for target in [0.001, 0.01, 0.05] {
            let r = erlang_b::solve(
                Erlangs::new("load", load).unwrap(),
                Probability::new("target_blocking", target).unwrap(),
            )
            .unwrap();
            assert!(r.blocking <= target);
            if r.lines > 1 {
                let fewer = erlang_b::evaluate(
                    Erlangs::new("load", load).unwrap(),
                    Agents::new("lines", r.lines - 1).unwrap(),
                );
                assert!(fewer.blocking > target, "{load} {target}");
            }
        }
    }
}
