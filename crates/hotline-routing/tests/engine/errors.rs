//! Refused events and configurations: a clear error, and the engine exactly as before.

use super::support::*;
use hotline_routing::*;

fn busy_center() -> Run {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0), queue(1, 1)],
        agents: vec![
            agent(0, 0, &[(0, 3)]),
            agent(1, 0, &[(0, 3)]),
            agent(2, 0, &[(1, 3)]),
        ],
        ring_timeout: Some(Span::from_secs(15)),
        wrap_up: WrapUp::Manual,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.ready(A1, t(0));
    run.arrive(1, Q0, t(1));
    run.accept(A0, 1, t(2));
    run.arrive(2, Q0, t(3));
    run.arrive(3, Q0, t(4));
    run.arrive(4, Q1, t(4));
    run
}

/// The error, and proof that nothing changed: same debug dump, same decisions after.
fn refused(run: &mut Run, event: Event, at: Time) -> RoutingError {
    let before = format!("{:?}", run.engine);
    let err = run.try_ev(event, at).expect_err("event must be refused");
    assert_eq!(
        before,
        format!("{:?}", run.engine),
        "state changed by refused {event:?}"
    );
    err
}

#[test]
fn refused_events_name_the_problem_and_change_nothing() {
    let mut run = busy_center();
    let cases: Vec<(Event, Time, RoutingError)> = vec![
        (
            Event::Tick,
            t(3),
            RoutingError::TimeWentBackwards {
                now: t(3),
                last: t(4),
            },
        ),
        (
            Event::ContactEnded { contact: c(99) },
            t(5),
            RoutingError::UnknownContact(c(99)),
        ),
        (
            Event::ContactArrived {
                contact: c(2),
                queue: Q0,
                priority_boost: 0,
            },
            t(5),
            RoutingError::DuplicateContact(c(2)),
        ),
        (
            Event::ContactArrived {
                contact: c(9),
                queue: QueueId(7),
                priority_boost: 0,
            },
            t(5),
            RoutingError::UnknownQueue(QueueId(7)),
        ),
        (
            Event::AgentReady { agent: AgentId(42) },
            t(5),
            RoutingError::UnknownAgent(AgentId(42)),
        ),
        (
            Event::OfferAccepted {
                agent: A0,
                contact: c(3),
            },
            t(5),
            RoutingError::NoSuchOffer {
                agent: A0,
                contact: c(3),
            },
        ),
        (
            Event::OfferRejected {
                agent: A0,
                contact: c(2),
            },
            t(5),
            RoutingError::NoSuchOffer {
                agent: A0,
                contact: c(2),
            },
        ),
        (
            Event::ContactEnded { contact: c(3) },
            t(5),
            RoutingError::ContactState {
                contact: c(3),
                event: "ContactEnded",
                state: "waiting",
            },
        ),
        (
            Event::ContactAbandoned { contact: c(1) },
            t(5),
            RoutingError::ContactState {
                contact: c(1),
                event: "ContactAbandoned",
                state: "connected",
            },
        ),
        (
            Event::CallbackRequested { contact: c(1) },
            t(5),
            RoutingError::ContactState {
                contact: c(1),
                event: "CallbackRequested",
                state: "connected",
            },
        ),
        (
            Event::ContactTransferred {
                contact: c(3),
                to: Q0,
            },
            t(5),
            RoutingError::ContactState {
                contact: c(3),
                event: "ContactTransferred",
                state: "already in the target queue",
            },
        ),
        (
            Event::AgentLoggedOut { agent: A0 },
            t(5),
            RoutingError::AgentState {
                agent: A0,
                event: "AgentLoggedOut",
                state: "on contact",
            },
        ),
        (
            Event::AgentLoggedIn { agent: A1 },
            t(5),
            RoutingError::AgentState {
                agent: A1,
                event: "AgentLoggedIn",
                state: "offered",
            },
        ),
        (
            Event::AgentReady { agent: A2 },
            t(5),
            RoutingError::AgentState {
                agent: A2,
                event: "AgentReady",
                state: "logged out",
            },
        ),
        (
            Event::WrapUpDone {
                agent: A0,
                contact: c(1),
            },
            t(5),
            RoutingError::NotInWrapUp {
                agent: A0,
                contact: c(1),
            },
        ),
    ];
    for (event, at, expected) in cases {
        assert_eq!(refused(&mut run, event, at), expected, "{event:?}");
    }
    run.ev(Event::CallbackRequested { contact: c(3) }, t(5));
    assert_eq!(
        refused(&mut run, Event::CallbackRequested { contact: c(3) }, t(6)),
        RoutingError::ContactState {
            contact: c(3),
            event: "CallbackRequested",
            state: "already a waiting callback"
        }
    );
    // After all those refusals the engine carries on exactly as planned: contact 2 rings
    // at agent 1 from 3 s and rings out at 18 s.
    assert_eq!(run.engine.next_deadline(), Some(t(18)));
    assert_eq!(
        run.tick(t(18))[0],
        Decision::RingNoAnswer {
            agent: A1,
            contact: c(2)
        }
    );
}

#[test]
fn error_messages_are_readable() {
    let err = RoutingError::NoSuchOffer {
        agent: A0,
        contact: c(3),
    };
    assert_eq!(err.to_string(), "agent#0 has no pending offer of contact#3");
    let err = RoutingError::TimeWentBackwards {
        now: ms(1500),
        last: t(2),
    };
    assert_eq!(
        err.to_string(),
        "time went backwards: now = t=1.500s but the engine is already at t=2.000s"
    );
}

#[test]
fn refused_admin_commands_change_nothing() {
    let mut run = busy_center();
    let before = format!("{:?}", run.engine);
    assert!(matches!(
        run.engine.add_agent(agent(0, 0, &[]), t(5)),
        Err(RoutingError::Config(ConfigError::Duplicate { .. }))
    ));
    assert_eq!(
        run.engine.update_agent(agent(9, 0, &[]), t(5)),
        Err(RoutingError::UnknownAgent(AgentId(9)))
    );
    assert!(matches!(
        run.engine.add_queue(queue(1, 1), t(5)),
        Err(RoutingError::Config(_))
    ));
    assert_eq!(
        run.engine.update_queue(queue(5, 1), t(5)),
        Err(RoutingError::UnknownQueue(QueueId(5)))
    );
    assert_eq!(
        run.engine.remove_queue(Q0, t(5)),
        Err(RoutingError::QueueNotEmpty {
            queue: Q0,
            contacts: 3
        })
    );
    let mut bad = agent(1, 0, &[(0, 3)]);
    bad.slots = 0;
    assert!(matches!(
        run.engine.update_agent(bad, t(5)),
        Err(RoutingError::Config(_))
    ));
    assert!(matches!(
        run.engine.add_agent(agent(3, 0, &[]), t(1)),
        Err(RoutingError::TimeWentBackwards { .. })
    ));
    assert_eq!(before, format!("{:?}", run.engine));
}

fn config_error(config: RoutingConfig) -> String {
    Engine::new(config)
        .expect_err("config must be refused")
        .to_string()
}

#[test]
fn configuration_errors_name_field_value_and_allowed() {
    let base = || RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: vec![agent(0, 0, &[(0, 3)])],
        ..RoutingConfig::default()
    };

    let mut c1 = base();
    c1.queues[0].steps = vec![RoutingStep {
        after: Span::from_secs(10),
        action: StepAction::RelaxProficiency { min: p(1) },
    }];
    assert_eq!(
        config_error(c1),
        "queue#0.steps[0].action.min = 1 is not allowed: expected a proficiency below the 1 required before this step"
    );

    let mut c2 = base();
    c2.queues[0].steps = vec![
        RoutingStep {
            after: Span::from_secs(30),
            action: StepAction::AddGroup { group: GroupId(1) },
        },
        RoutingStep {
            after: Span::from_secs(10),
            action: StepAction::AddGroup { group: GroupId(2) },
        },
    ];
    assert!(config_error(c2).starts_with("queue#0.steps[1].after = 10.000s is not allowed"));

    let mut c3 = base();
    c3.queues.push(queue(0, 1));
    assert_eq!(
        config_error(c3),
        "queues[1].id = 0 appears more than once; ids must be unique"
    );

    let mut c4 = base();
    c4.agents[0].skills.push((SkillId(0), p(1)));
    assert_eq!(
        config_error(c4),
        "agent#0.skills[1] = skill#0 appears more than once; ids must be unique"
    );

    let mut c5 = base();
    c5.ring_timeout = Some(Span::ZERO);
    assert!(config_error(c5).starts_with("ring_timeout = 0.000s is not allowed"));

    let mut c6 = base();
    c6.queues[0].aging = Some(Aging {
        points_per_second: f64::NAN,
        max_points: None,
    });
    assert!(config_error(c6).starts_with("queue#0.aging.points_per_second = NaN is not allowed"));

    let mut c7 = base();
    c7.agents[0].slots = 65;
    assert_eq!(
        config_error(c7),
        "agent#0.slots = 65 is not allowed: expected 1 to 64 concurrent contacts"
    );

    let mut c8 = base();
    c8.queues[0].min_proficiency = p(3);
    c8.queues[0].steps = vec![RoutingStep {
        after: Span::from_secs(5),
        action: StepAction::AddSkill {
            skill: SkillId(0),
            min: p(1),
        },
    }];
    assert_eq!(
        Engine::new(c8).map(|_| ()),
        Ok(()),
        "adding the own skill at a lower level relaxes it"
    );

    let mut c9 = base();
    c9.agents[0].id = AgentId(AgentId::MAX);
    assert_eq!(
        config_error(c9),
        "agent.id = 1048576 is not allowed: expected an id below 1048576"
    );

    let mut c10 = base();
    c10.queues[0].service_level = Span::ZERO;
    assert!(config_error(c10).starts_with("queue#0.service_level = 0.000s"));

    assert!(matches!(
        serde_json_proficiency(),
        Err(ConfigError::Invalid { .. })
    ));
}

fn serde_json_proficiency() -> Result<Proficiency, ConfigError> {
    "9".parse::<Proficiency>()
}
