//! Live metrics and the wait estimate against hand-computed figures.

use super::support::*;
use hotline_routing::*;

fn sl_center(short_abandon: Option<Span>) -> Run {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: vec![agent(0, 0, &[(0, 3)])],
        auto_accept: true,
        short_abandon,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0)); // answered at once
    run.arrive(2, Q0, t(0));
    run.arrive(3, Q0, t(0));
    run.arrive(4, Q0, t(0));
    run.ev(Event::ContactAbandoned { contact: c(3) }, t(3)); // short abandon
    run.ev(Event::ContactAbandoned { contact: c(4) }, t(10)); // within T, not short
    run.end(1, t(30)); // 2 answered after 30 s
    run.arrive(5, Q0, t(31));
    run.ev(Event::CallbackRequested { contact: c(5) }, t(32));
    run.end(2, t(60)); // callback 5 answered
    run
}

#[test]
fn three_service_levels_asa_and_aht() {
    let run = sl_center(Some(Span::from_secs(5)));
    let s = run.engine.queue_stats(Q0, t(60)).unwrap();
    assert_eq!(
        (
            s.entered,
            s.offered,
            s.answered,
            s.answered_within_threshold
        ),
        (5, 5, 2, 1)
    );
    assert_eq!((s.abandoned, s.abandoned_short), (2, 1));
    assert_eq!(
        (s.callbacks_requested, s.callbacks_answered, s.handled),
        (1, 1, 2)
    );
    assert_eq!(s.service_level.of_offered, Some(1.0 / 5.0));
    assert_eq!(s.service_level.of_answered, Some(0.5));
    assert_eq!(s.service_level.asterisk_sl2, Some(2.0 / 4.0));
    assert_eq!(s.asa, Some(Span::from_secs(15)));
    assert_eq!(s.aht, Some(Span::from_secs(30)));
    assert_eq!((s.waiting, s.oldest_wait), (0, None));
    assert_eq!(s.agents.online, 1);
    assert_eq!(s.agents.on_contact, 1);

    // Without a short-abandon threshold, Asterisk counts abandons within T (20 s) as met.
    let run = sl_center(None);
    let s = run.engine.queue_stats(Q0, t(60)).unwrap();
    assert_eq!(s.service_level.asterisk_sl2, Some(3.0 / 4.0));
}

#[test]
fn counters_reset_but_live_state_stays() {
    let mut run = sl_center(None);
    run.arrive(6, Q0, t(61));
    run.engine.reset_counters();
    let s = run.engine.queue_stats(Q0, t(70)).unwrap();
    assert_eq!((s.entered, s.answered, s.waiting), (0, 0, 1));
    assert_eq!(s.oldest_wait, Some(Span::from_secs(9)));
    assert_eq!(s.service_level.of_offered, None);
}

#[test]
fn agents_by_state_counts_not_ready_by_reason() {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: (0..5).map(|i| agent(i, 0, &[(0, 3)])).collect(),
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.ready(A1, t(0));
    run.ev(Event::AgentLoggedIn { agent: A2 }, t(0));
    run.ev(Event::AgentLoggedIn { agent: A3 }, t(0));
    run.ev(
        Event::AgentNotReady {
            agent: A3,
            reason: ReasonCode(2),
        },
        t(0),
    );
    run.arrive(1, Q0, t(1));
    let counts = run.engine.agents_by_state();
    assert_eq!(
        counts,
        AgentCounts {
            online: 4,
            available: 1,
            offered: 1,
            on_contact: 0,
            wrap_up: 0,
            not_ready: vec![(ReasonCode(2), 1), (ReasonCode::LOGGED_IN, 1)],
        }
    );
}

/// Two agents serving Q0 (priority 0) and Q1 (priority 10), with a recent handle time of
/// 60 s in Q0.
fn ewt_center() -> Run {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0), {
            let mut q = queue(1, 1);
            q.priority = 10;
            q
        }],
        agents: vec![
            agent(0, 0, &[(0, 3), (1, 3)]),
            agent(1, 0, &[(0, 3), (1, 3)]),
        ],
        auto_accept: true,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.ready(A1, t(0));
    assert_eq!(run.engine.estimated_wait_new(Q0, 0, t(0)), Some(Span::ZERO));
    run.arrive(1, Q0, t(0));
    run.arrive(2, Q0, t(0));
    assert_eq!(
        run.engine.estimated_wait_new(Q0, 0, t(0)),
        None,
        "no handle time observed yet"
    );
    run.end(1, t(60));
    run.end(2, t(60));
    run.arrive(3, Q0, t(60));
    run.arrive(4, Q0, t(60));
    run.arrive(5, Q0, t(61));
    run.arrive(6, Q0, t(62));
    run.arrive(7, Q0, t(63));
    run
}

#[test]
fn wait_estimate_counts_position_agents_and_recent_handle_time() {
    let mut run = ewt_center();
    let e = &run.engine;
    // (k + 1) × 60 s / 2 agents.
    assert_eq!(e.estimated_wait(c(5), t(63)), Some(Span::from_secs(30)));
    assert_eq!(e.estimated_wait(c(7), t(63)), Some(Span::from_secs(90)));
    assert_eq!(
        e.estimated_wait_new(Q0, 0, t(63)),
        Some(Span::from_secs(120))
    );
    assert_eq!(
        e.estimated_wait(c(3), t(63)),
        None,
        "connected, not waiting"
    );
    assert_eq!(
        e.queue_stats(Q0, t(63)).unwrap().estimated_wait_new,
        Some(Span::from_secs(120))
    );
    // Two higher-priority contacts in a queue served by the same agents come first.
    run.arrive(8, Q1, t(64));
    run.arrive(9, Q1, t(64));
    let e = &run.engine;
    assert_eq!(e.estimated_wait(c(5), t(64)), Some(Span::from_secs(90)));
    assert_eq!(
        e.estimated_wait_new(Q0, 0, t(64)),
        Some(Span::from_secs(180))
    );
    // A boosted newcomer in Q0 beats the waiting Q0 contacts but not Q1's.
    assert_eq!(
        e.estimated_wait_new(Q0, 20, t(64)),
        Some(Span::from_secs(30))
    );
    // Nobody staffed: no estimate.
    run.ev(
        Event::AgentNotReady {
            agent: A0,
            reason: ReasonCode(1),
        },
        t(65),
    );
    run.ev(
        Event::AgentNotReady {
            agent: A1,
            reason: ReasonCode(1),
        },
        t(65),
    );
    assert_eq!(run.engine.estimated_wait(c(5), t(65)), None);
}

#[test]
fn oldest_wait_counts_from_entering_the_queue_even_for_transfers_keeping_arrival() {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0), queue(1, 1)],
        agents: vec![],
        ..RoutingConfig::default()
    });
    run.arrive(1, Q0, t(0));
    run.arrive(2, Q1, t(10));
    run.ev(
        Event::ContactTransferred {
            contact: c(1),
            to: Q1,
        },
        t(50),
    );
    let s = run.engine.queue_stats(Q1, t(60)).unwrap();
    // Contact 1 is first in line (arrival kept) but entered Q1 only at 50 s.
    assert_eq!((s.waiting, s.oldest_wait), (2, Some(Span::from_secs(50))));
    assert_eq!(run.engine.contact(c(1)).unwrap().place, t(0));
}

#[test]
fn wait_estimate_expects_callers_ahead_to_give_up_at_the_observed_rate() {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: vec![agent(0, 0, &[(0, 3)])],
        auto_accept: true,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    run.end(1, t(60)); // handle time 60 s
    run.arrive(2, Q0, t(60)); // answered at once
    run.arrive(3, Q0, t(60));
    run.ev(Event::ContactAbandoned { contact: c(3) }, t(80)); // 1 abandon in 20 s of waiting
    run.arrive(4, Q0, t(80));
    run.arrive(5, Q0, t(80));
    // θ = 1/20 s, n/h = 1/60 s: 1/(1/60) + 1/(1/60 + 1/20) = 60 s + 15 s.
    assert_eq!(
        run.engine.estimated_wait(c(5), t(80)),
        Some(Span::from_secs(75))
    );
    assert_eq!(
        run.engine.estimated_wait(c(4), t(80)),
        Some(Span::from_secs(60))
    );
}
