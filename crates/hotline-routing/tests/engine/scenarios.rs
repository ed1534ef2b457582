//! Step-by-step scenarios: every decision checked, in order.

use super::support::*;
use hotline_routing::*;

fn two_queue_config() -> RoutingConfig {
    let mut general = queue(0, 0);
    general.priority = 0;
    let mut gold = queue(1, 1);
    gold.priority = 10;
    RoutingConfig {
        queues: vec![general, gold],
        agents: vec![agent(0, 0, &[(0, 3), (1, 3)])],
        ..RoutingConfig::default()
    }
}

#[test]
fn gold_club_queue_priority_overtakes_general() {
    let mut run = Run::new(two_queue_config());
    assert_eq!(
        run.ev(Event::AgentLoggedIn { agent: A0 }, t(0)),
        vec![state(A0, AgentState::NotReady(ReasonCode::LOGGED_IN))]
    );
    assert_eq!(
        run.ev(Event::AgentReady { agent: A0 }, t(0)),
        vec![state(A0, AgentState::Ready)]
    );
    assert_eq!(
        run.arrive(1, Q0, t(1)),
        vec![offer(1, A0, Q0), state(A0, AgentState::Offered)]
    );
    assert_eq!(
        run.accept(A0, 1, t(2)),
        vec![answered(1, A0, Q0, 1000), state(A0, AgentState::OnContact)]
    );
    assert_eq!(run.arrive(2, Q0, t(3)), vec![queued(2, Q0)]);
    assert_eq!(run.arrive(3, Q1, t(4)), vec![queued(3, Q1)]);
    // The general caller waited longer, but gold has 10 points more.
    assert_eq!(
        run.end(1, t(10)),
        vec![
            ended(1, Q0, Some(A0), Outcome::Completed, 1000),
            offer(3, A0, Q1),
            state(A0, AgentState::Offered),
        ]
    );
}

#[test]
fn gold_member_boost_overtakes_within_one_queue() {
    let mut run = Run::new(two_queue_config());
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(1));
    run.accept(A0, 1, t(1));
    assert_eq!(run.arrive_boosted(2, Q0, 0, t(2)), vec![queued(2, Q0)]);
    assert_eq!(run.arrive_boosted(3, Q0, 5, t(3)), vec![queued(3, Q0)]);
    assert_eq!(run.arrive_boosted(4, Q0, 5, t(4)), vec![queued(4, Q0)]);
    let d = run.end(1, t(10));
    assert_eq!(Run::offers(&d), vec![(3, A0)]);
    run.accept(A0, 3, t(10));
    // Equal boost: first come, first served.
    assert_eq!(Run::offers(&run.end(3, t(20))), vec![(4, A0)]);
    run.accept(A0, 4, t(20));
    assert_eq!(Run::offers(&run.end(4, t(30))), vec![(2, A0)]);
}

fn aging_config(points_per_second: f64, cap: Option<u32>) -> RoutingConfig {
    let mut config = two_queue_config();
    config.queues[0].aging = Some(Aging {
        points_per_second,
        max_points: cap,
    });
    config.auto_accept = true;
    config
}

/// Agent busy from t=0; general contact 2 waits from t=0, gold contact 3 from t=16;
/// the agent frees at t=20 and must choose.
fn aging_choice(config: RoutingConfig) -> u64 {
    let mut run = Run::new(config);
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    run.arrive(2, Q0, t(0));
    run.arrive(3, Q1, t(16));
    let offers = Run::offers(&run.end(1, t(20)));
    assert_eq!(offers.len(), 1);
    offers[0].0
}

#[test]
fn aging_lets_an_old_general_contact_overtake_gold() {
    // 1 point/s × 20 s = 20 > 10.
    assert_eq!(aging_choice(aging_config(1.0, Some(100))), 2);
    // Capped at 5 points: gold keeps its lead.
    assert_eq!(aging_choice(aging_config(1.0, Some(5))), 3);
    // 0.4 point/s × 20 s = 8 < 10.
    assert_eq!(aging_choice(aging_config(0.4, None)), 3);
    // 0.5 point/s × 20 s = 10 = 10: a tie, served first come first served.
    assert_eq!(aging_choice(aging_config(0.5, None)), 2);
}

fn pool(policy: AgentSelection, agents: Vec<AgentConfig>) -> RoutingConfig {
    RoutingConfig {
        queues: vec![queue(0, 0)],
        agents,
        agent_selection: policy,
        auto_accept: true,
        ..RoutingConfig::default()
    }
}

#[test]
fn linear_selection_tries_specialists_first() {
    let mut run = Run::new(pool(
        AgentSelection::Linear,
        vec![agent(0, 1, &[(0, 3)]), agent(1, 0, &[(0, 3)])],
    ));
    run.ready(A0, t(0));
    run.ready(A1, t(5));
    // A0 (generalist, group 1) has been idle longer; A1 is a specialist (group 0).
    assert_eq!(Run::offers(&run.arrive(1, Q0, t(10))), vec![(1, A1)]);
    assert_eq!(Run::offers(&run.arrive(2, Q0, t(11))), vec![(2, A0)]);
    run.end(1, t(12));
    run.end(2, t(13));
    assert_eq!(Run::offers(&run.arrive(3, Q0, t(14))), vec![(3, A1)]);
}

#[test]
fn longest_idle_is_the_default() {
    let mut run = Run::new(pool(
        AgentSelection::default(),
        vec![
            agent(0, 0, &[(0, 3)]),
            agent(1, 0, &[(0, 3)]),
            agent(2, 0, &[(0, 3)]),
        ],
    ));
    run.ready(A1, t(1));
    run.ready(A2, t(2));
    run.ready(A0, t(3));
    assert_eq!(
        run.arrive(1, Q0, t(10)),
        vec![
            offer(1, A1, Q0),
            answered(1, A1, Q0, 0),
            state(A1, AgentState::OnContact)
        ]
    );
    assert_eq!(Run::offers(&run.arrive(2, Q0, t(10))), vec![(2, A2)]);
    // A1 finishes first but is now the most recently idle.
    run.end(1, t(11));
    assert_eq!(Run::offers(&run.arrive(3, Q0, t(12))), vec![(3, A0)]);
    assert_eq!(Run::offers(&run.arrive(4, Q0, t(12))), vec![(4, A1)]);
}

#[test]
fn round_robin_continues_after_the_last_agent_served() {
    let mut run = Run::new(pool(
        AgentSelection::RoundRobin,
        vec![
            agent(0, 0, &[(0, 3)]),
            agent(1, 0, &[(0, 3)]),
            agent(2, 0, &[(0, 3)]),
        ],
    ));
    run.ready(A2, t(1));
    run.ready(A0, t(2));
    run.ready(A1, t(3));
    let mut served = Vec::new();
    for n in 1..=5u64 {
        let offers = Run::offers(&run.arrive(n, Q0, t(10 + n)));
        served.push(offers[0].1);
        run.end(n, t(10 + n));
    }
    assert_eq!(served, vec![A0, A1, A2, A0, A1]);
}

#[test]
fn highest_proficiency_then_longest_idle() {
    let mut run = Run::new(pool(
        AgentSelection::HighestProficiency,
        vec![
            agent(0, 0, &[(0, 2)]),
            agent(1, 0, &[(0, 5)]),
            agent(2, 0, &[(0, 3)]),
            agent(3, 0, &[(0, 3)]),
        ],
    ));
    run.ready(A0, t(1));
    run.ready(A3, t(2));
    run.ready(A2, t(3));
    run.ready(A1, t(4));
    let mut served = Vec::new();
    for n in 1..=4u64 {
        served.push(Run::offers(&run.arrive(n, Q0, t(10)))[0].1);
    }
    assert_eq!(served, vec![A1, A3, A2, A0]);
}

#[test]
fn fewest_contacts_prefers_the_least_used_agent() {
    let mut run = Run::new(pool(
        AgentSelection::FewestContacts,
        vec![agent(0, 0, &[(0, 3)]), agent(1, 0, &[(0, 3)])],
    ));
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(1));
    run.end(1, t(2));
    run.arrive(2, Q0, t(3));
    run.end(2, t(4));
    run.ready(A1, t(5));
    // A0 has been idle longer but took two contacts; A1 none.
    assert_eq!(Run::offers(&run.arrive(3, Q0, t(6))), vec![(3, A1)]);
    assert_eq!(run.engine.agent(A0).unwrap().contacts_accepted, 2);
}

#[test]
fn ring_no_answer_requeues_at_the_old_place_and_marks_the_agent() {
    let mut config = pool(
        AgentSelection::LongestIdle,
        vec![agent(0, 0, &[(0, 3)]), agent(1, 0, &[(0, 3)])],
    );
    config.auto_accept = false;
    config.ring_timeout = Some(Span::from_secs(10));
    let mut run = Run::new(config);
    run.ready(A0, t(0));
    assert_eq!(
        run.arrive(1, Q0, t(0)),
        vec![offer(1, A0, Q0), state(A0, AgentState::Offered)]
    );
    assert_eq!(run.arrive(2, Q0, t(1)), vec![queued(2, Q0)]);
    assert_eq!(run.engine.next_deadline(), Some(t(10)));
    assert_eq!(run.tick(ms(9_999)), vec![]);
    assert_eq!(
        run.tick(t(10)),
        vec![
            Decision::RingNoAnswer {
                agent: A0,
                contact: c(1)
            },
            state(A0, AgentState::NotReady(ReasonCode::NO_ANSWER)),
            queued(1, Q0),
        ]
    );
    assert_eq!(run.engine.next_deadline(), None);
    let view = run.engine.contact(c(1)).unwrap();
    assert_eq!(
        (view.place, view.entered_queue, view.state),
        (t(0), t(0), ContactState::Waiting)
    );
    // The next agent gets contact 1 (its old place is ahead of contact 2).
    assert_eq!(Run::offers(&run.ready(A1, t(11))), vec![(1, A1)]);
    // Accepting in time cancels the ring timer.
    assert_eq!(run.engine.next_deadline(), Some(t(21)));
    assert_eq!(
        run.accept(A1, 1, ms(20_999)),
        vec![
            answered(1, A1, Q0, 20_999),
            state(A1, AgentState::OnContact)
        ]
    );
    assert_eq!(run.engine.next_deadline(), None);
}

#[test]
fn rejected_offer_goes_to_the_next_agent_and_the_rejecting_agent_is_not_ready() {
    let mut config = pool(
        AgentSelection::LongestIdle,
        vec![agent(0, 0, &[(0, 3)]), agent(1, 0, &[(0, 3)])],
    );
    config.auto_accept = false;
    let mut run = Run::new(config);
    run.ready(A0, t(0));
    run.ready(A1, t(1));
    run.arrive(1, Q0, t(2));
    assert_eq!(
        run.ev(
            Event::OfferRejected {
                agent: A0,
                contact: c(1)
            },
            t(3)
        ),
        vec![
            state(A0, AgentState::NotReady(ReasonCode::REJECTED)),
            offer(1, A1, Q0),
            state(A1, AgentState::Offered),
        ]
    );
}

#[test]
fn callback_keeps_its_place_and_is_offered_as_a_callback() {
    let mut config = pool(AgentSelection::LongestIdle, vec![agent(0, 0, &[(0, 3)])]);
    config.auto_accept = false;
    let mut run = Run::new(config);
    run.ready(A0, t(0));
    run.arrive(0, Q0, t(0));
    run.accept(A0, 0, t(0));
    run.arrive(1, Q0, t(1));
    run.arrive(2, Q0, t(2));
    assert_eq!(
        run.ev(Event::CallbackRequested { contact: c(1) }, t(3)),
        vec![]
    );
    assert!(run.engine.contact(c(1)).unwrap().callback);
    assert_eq!(
        run.end(0, t(10)),
        vec![
            ended(0, Q0, Some(A0), Outcome::Completed, 0),
            Decision::Offer {
                contact: c(1),
                agent: A0,
                queue: Q0,
                callback: true
            },
            state(A0, AgentState::Offered),
        ]
    );
    assert_eq!(
        run.accept(A0, 1, t(11)),
        vec![
            answered(1, A0, Q0, 10_000),
            state(A0, AgentState::OnContact)
        ]
    );
    assert_eq!(
        run.end(1, t(20))[0],
        ended(1, Q0, Some(A0), Outcome::CallbackCompleted, 10_000)
    );
    let stats = run.engine.queue_stats(Q0, t(20)).unwrap();
    assert_eq!(
        (
            stats.callbacks_requested,
            stats.callbacks_answered,
            stats.answered
        ),
        (1, 1, 1)
    );
    // Handle time counts from the answer, not from the offer: 10 s and (20 − 11) s.
    assert_eq!(stats.aht, Some(Span::from_millis(9_500)));
}

fn transfer_choice(keep: bool) -> (Vec<Decision>, u64) {
    let config = RoutingConfig {
        queues: vec![queue(0, 0), queue(1, 1)],
        agents: vec![agent(1, 0, &[(1, 3)])],
        transfer_keeps_arrival: keep,
        ..RoutingConfig::default()
    };
    let mut run = Run::new(config);
    run.arrive(0, Q0, t(0));
    run.arrive(1, Q1, t(5));
    let d = run.ev(
        Event::ContactTransferred {
            contact: c(0),
            to: Q1,
        },
        t(10),
    );
    let offers = Run::offers(&run.ready(A1, t(11)));
    (d, offers[0].0)
}

#[test]
fn transfer_keeps_the_original_arrival_only_when_set() {
    let (d, first) = transfer_choice(true);
    assert_eq!(
        d,
        vec![
            ended(
                0,
                Q0,
                None,
                Outcome::TransferredOut {
                    to: Q1,
                    answered: false
                },
                10_000
            ),
            queued(0, Q1),
        ]
    );
    assert_eq!(first, 0);
    let (_, first) = transfer_choice(false);
    assert_eq!(first, 1);
}

#[test]
fn transfer_of_a_connected_contact_sends_the_agent_to_wrap_up() {
    let mut config = RoutingConfig {
        queues: vec![queue(0, 0), queue(1, 1)],
        agents: vec![agent(0, 0, &[(0, 3)]), agent(1, 0, &[(1, 3)])],
        wrap_up: WrapUp::Fixed(Span::from_secs(5)),
        auto_accept: true,
        ..RoutingConfig::default()
    };
    config.queues[1].wrap_up = Some(WrapUp::Manual);
    let mut run = Run::new(config);
    run.ready(A0, t(0));
    run.ready(A1, t(0));
    run.arrive(7, Q0, t(1));
    assert_eq!(
        run.ev(
            Event::ContactTransferred {
                contact: c(7),
                to: Q1
            },
            t(31)
        ),
        vec![
            ended(
                7,
                Q0,
                Some(A0),
                Outcome::TransferredOut {
                    to: Q1,
                    answered: true
                },
                0
            ),
            Decision::WrapUpStarted {
                agent: A0,
                contact: c(7),
                until: Some(t(36))
            },
            offer(7, A1, Q1),
            answered(7, A1, Q1, 0),
            state(A1, AgentState::OnContact),
            state(A0, AgentState::WrapUp),
        ]
    );
    let q0 = run.engine.queue_stats(Q0, t(31)).unwrap();
    assert_eq!(
        (
            q0.answered,
            q0.transferred_out,
            q0.transferred_out_unanswered
        ),
        (1, 1, 0)
    );
    assert_eq!(run.engine.queue_stats(Q1, t(31)).unwrap().entered, 1);
}

fn stepped(action: StepAction, after_s: u64, agent_cfg: AgentConfig) -> Run {
    let mut q = queue(0, 0);
    q.min_proficiency = p(4);
    q.steps = vec![RoutingStep {
        after: Span::from_secs(after_s),
        action,
    }];
    let mut run = Run::new(RoutingConfig {
        queues: vec![q],
        agents: vec![agent_cfg],
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run
}

#[test]
fn relax_proficiency_step_applies_at_exactly_n_seconds() {
    let mut run = stepped(
        StepAction::RelaxProficiency { min: p(2) },
        30,
        agent(0, 0, &[(0, 3)]),
    );
    assert_eq!(run.arrive(1, Q0, ms(500)), vec![queued(1, Q0)]);
    assert_eq!(run.engine.next_deadline(), Some(ms(30_500)));
    assert_eq!(run.tick(ms(30_499)), vec![]);
    assert_eq!(
        run.tick(ms(30_500)),
        vec![
            Decision::RoutingStepReached {
                contact: c(1),
                queue: Q0,
                level: 1
            },
            offer(1, A0, Q0),
            state(A0, AgentState::Offered),
        ]
    );
}

#[test]
fn add_skill_step_opens_the_queue_to_another_skill() {
    let mut run = stepped(
        StepAction::AddSkill {
            skill: SkillId(1),
            min: p(2),
        },
        20,
        agent(0, 0, &[(1, 2)]),
    );
    run.arrive(1, Q0, t(5));
    assert_eq!(run.engine.next_deadline(), Some(t(25)));
    let d = run.tick(t(25));
    assert_eq!(Run::offers(&d), vec![(1, A0)]);
}

#[test]
fn add_group_step_opens_the_queue_to_a_group_without_the_skill() {
    let mut run = stepped(
        StepAction::AddGroup { group: GroupId(7) },
        60,
        agent(0, 7, &[]),
    );
    run.arrive(1, Q0, t(0));
    assert_eq!(run.tick(t(59)), vec![]);
    assert_eq!(Run::offers(&run.tick(t(60))), vec![(1, A0)]);
}

#[test]
fn bullseye_levels_progress_and_an_agent_freed_later_sees_the_new_level() {
    let mut q = queue(0, 0);
    q.min_proficiency = p(5);
    q.steps = vec![
        RoutingStep {
            after: Span::from_secs(10),
            action: StepAction::RelaxProficiency { min: p(3) },
        },
        RoutingStep {
            after: Span::from_secs(20),
            action: StepAction::AddSkill {
                skill: SkillId(1),
                min: p(1),
            },
        },
        RoutingStep {
            after: Span::from_secs(30),
            action: StepAction::AddGroup { group: GroupId(9) },
        },
    ];
    let mut run = Run::new(RoutingConfig {
        queues: vec![q],
        agents: vec![agent(0, 9, &[(2, 1)]), agent(1, 0, &[(1, 1)])],
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    let levels: Vec<u16> = [t(10), t(20)]
        .into_iter()
        .flat_map(|at| run.tick(at))
        .filter_map(|d| match d {
            Decision::RoutingStepReached { level, .. } => Some(level),
            _ => None,
        })
        .collect();
    assert_eq!(levels, vec![1, 2]);
    // At level 2 agent 1 (skill 1) would do, but is logged out; it logs in at 25 s.
    assert_eq!(Run::offers(&run.ready(A1, t(25))), vec![(1, A1)]);
    assert_eq!(run.engine.next_deadline(), None);
}

#[test]
fn fixed_wrap_up_ends_by_itself_and_the_agent_takes_the_next_contact() {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: vec![agent(0, 0, &[(0, 3)])],
        wrap_up: WrapUp::Fixed(Span::from_secs(30)),
        auto_accept: true,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    run.arrive(2, Q0, t(1));
    assert_eq!(
        run.end(1, t(10)),
        vec![
            ended(1, Q0, Some(A0), Outcome::Completed, 0),
            Decision::WrapUpStarted {
                agent: A0,
                contact: c(1),
                until: Some(t(40))
            },
            state(A0, AgentState::WrapUp),
        ]
    );
    assert_eq!(run.engine.next_deadline(), Some(t(40)));
    assert_eq!(
        run.tick(t(40)),
        vec![
            Decision::WrapUpEnded {
                agent: A0,
                contact: c(1)
            },
            offer(2, A0, Q0),
            answered(2, A0, Q0, 39_000),
            state(A0, AgentState::OnContact),
        ]
    );
    // An agent may finish a fixed wrap-up early.
    run.end(2, t(50));
    assert_eq!(
        run.ev(
            Event::WrapUpDone {
                agent: A0,
                contact: c(2)
            },
            t(55)
        ),
        vec![
            Decision::WrapUpEnded {
                agent: A0,
                contact: c(2)
            },
            state(A0, AgentState::Ready)
        ]
    );
    assert_eq!(run.engine.next_deadline(), None);
    // Handle = connected + wrap-up: (40 − 0) s and (55 − 40) s.
    assert_eq!(
        run.engine.queue_stats(Q0, t(55)).unwrap().aht,
        Some(Span::from_millis(27_500))
    );
}

#[test]
fn manual_wrap_up_lasts_until_the_agent_says_done() {
    let mut config = RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: vec![agent(0, 0, &[(0, 3)])],
        auto_accept: true,
        ..RoutingConfig::default()
    };
    config.queues[0].wrap_up = Some(WrapUp::Manual);
    let mut run = Run::new(config);
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    run.arrive(2, Q0, t(1));
    let d = run.end(1, t(10));
    assert_eq!(
        d[1],
        Decision::WrapUpStarted {
            agent: A0,
            contact: c(1),
            until: None
        }
    );
    assert_eq!(run.engine.next_deadline(), None);
    assert_eq!(run.tick(t(1000)), vec![]);
    assert_eq!(
        run.ev(
            Event::WrapUpDone {
                agent: A0,
                contact: c(1)
            },
            t(1000)
        ),
        vec![
            Decision::WrapUpEnded {
                agent: A0,
                contact: c(1)
            },
            offer(2, A0, Q0),
            answered(2, A0, Q0, 999_000),
            state(A0, AgentState::OnContact),
        ]
    );
}

#[test]
fn multi_slot_agents_never_exceed_their_slots_and_least_loaded_goes_first() {
    let mut a0 = agent(0, 0, &[(0, 3)]);
    a0.slots = 3;
    let mut a1 = agent(1, 0, &[(0, 3)]);
    a1.slots = 2;
    let mut run = Run::new(pool(AgentSelection::LongestIdle, vec![a0, a1]));
    run.ready(A0, t(0));
    run.ready(A1, t(1));
    let mut served = Vec::new();
    for n in 1..=7u64 {
        let d = run.arrive(n, Q0, t(10 + n));
        served.push(Run::offers(&d).first().map(|o| o.1));
        for a in [A0, A1] {
            let view = run.engine.agent(a).unwrap();
            assert!(view.contacts.len() <= usize::from(view.slots));
        }
    }
    // Load first (0,0 → A0 idle longer; then 1,0 → A1; 1,1 → A0; 2,1 → A1; 2,2 → A0; full).
    assert_eq!(
        served,
        vec![Some(A0), Some(A1), Some(A0), Some(A1), Some(A0), None, None]
    );
    assert_eq!(run.engine.queue_stats(Q0, t(20)).unwrap().waiting, 2);
    // A chat ends: the freed slot takes the oldest waiting chat.
    assert_eq!(Run::offers(&run.end(2, t(30))), vec![(6, A1)]);
    assert_eq!(run.engine.agent_state(A0), Some(AgentState::OnContact));
}

#[test]
fn not_ready_while_on_contact_takes_effect_when_the_contact_ends() {
    let mut run = Run::new(pool(
        AgentSelection::LongestIdle,
        vec![agent(0, 0, &[(0, 3)])],
    ));
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    run.arrive(2, Q0, t(1));
    assert_eq!(
        run.ev(
            Event::AgentNotReady {
                agent: A0,
                reason: ReasonCode(4)
            },
            t(2)
        ),
        vec![]
    );
    assert_eq!(
        run.end(1, t(3)),
        vec![
            ended(1, Q0, Some(A0), Outcome::Completed, 0),
            state(A0, AgentState::NotReady(ReasonCode(4))),
        ]
    );
    assert_eq!(run.engine.queue_stats(Q0, t(3)).unwrap().waiting, 1);
    assert_eq!(
        Run::offers(&run.ev(Event::AgentReady { agent: A0 }, t(4))),
        vec![(2, A0)]
    );
}

#[test]
fn logging_out_withdraws_a_ringing_offer_and_ends_wrap_up() {
    let mut a0 = agent(0, 0, &[(0, 3)]);
    a0.slots = 2;
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0)],
        agents: vec![a0, agent(1, 0, &[(0, 3)])],
        wrap_up: WrapUp::Manual,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(1));
    run.accept(A0, 1, t(1));
    run.end(1, t(2));
    run.arrive(2, Q0, t(3));
    assert_eq!(run.engine.agent(A0).unwrap().contacts.len(), 2);
    assert_eq!(
        run.ev(Event::AgentLoggedOut { agent: A0 }, t(4)),
        vec![
            Decision::OfferWithdrawn {
                contact: c(2),
                agent: A0
            },
            Decision::WrapUpEnded {
                agent: A0,
                contact: c(1)
            },
            state(A0, AgentState::LoggedOut),
            queued(2, Q0),
        ]
    );
    assert_eq!(Run::offers(&run.ready(A1, t(5))), vec![(2, A1)]);
}

#[test]
fn skills_changed_at_run_time_take_effect_at_once() {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0), queue(1, 1)],
        agents: vec![agent(0, 0, &[(0, 3)])],
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q1, t(1));
    let d = run
        .engine
        .update_agent(agent(0, 0, &[(0, 3), (1, 2)]), t(2))
        .unwrap()
        .to_vec();
    assert_eq!(d, vec![offer(1, A0, Q1), state(A0, AgentState::Offered)]);
    assert_eq!(run.engine.config().agents[0].skills.len(), 2);
}

#[test]
fn queues_and_agents_can_be_added_and_removed_at_run_time() {
    let mut run = Run::new(RoutingConfig::default());
    run.engine.add_queue(queue(3, 5), t(0)).unwrap();
    run.engine.add_agent(agent(2, 0, &[(5, 1)]), t(0)).unwrap();
    assert_eq!(run.arrive(1, QueueId(3), t(1)), vec![queued(1, QueueId(3))]);
    assert_eq!(Run::offers(&run.ready(A2, t(2))), vec![(1, A2)]);
    assert!(matches!(
        run.engine.remove_queue(QueueId(3), t(3)),
        Err(RoutingError::QueueNotEmpty { contacts: 1, .. })
    ));
    run.ev(Event::ContactAbandoned { contact: c(1) }, t(3));
    run.engine.remove_queue(QueueId(3), t(3)).unwrap();
    assert!(run.engine.queue_stats(QueueId(3), t(3)).is_err());
    assert!(matches!(
        run.engine.remove_agent(A2, t(3)),
        Err(RoutingError::AgentState { .. })
    ));
    run.ev(Event::AgentLoggedOut { agent: A2 }, t(4));
    run.engine.remove_agent(A2, t(4)).unwrap();
    assert_eq!(run.engine.agent(A2), None);
    // A changed queue re-levels its waiting contacts against the new steps.
    run.engine.add_queue(queue(0, 0), t(5)).unwrap();
    run.engine.add_agent(agent(0, 0, &[(0, 1)]), t(5)).unwrap();
    let mut strict = queue(0, 0);
    strict.min_proficiency = p(3);
    run.engine.update_queue(strict.clone(), t(5)).unwrap();
    run.ready(A0, t(5));
    run.arrive(9, Q0, t(6));
    strict.steps = vec![RoutingStep {
        after: Span::from_secs(10),
        action: StepAction::RelaxProficiency { min: p(1) },
    }];
    let d = run.engine.update_queue(strict, t(20)).unwrap().to_vec();
    assert_eq!(d, vec![offer(9, A0, Q0), state(A0, AgentState::Offered)]);
}

#[test]
fn same_events_give_the_same_decisions() {
    let script = |run: &mut Run| -> Vec<Decision> {
        let mut all = Vec::new();
        all.extend(run.ready(A0, t(0)));
        all.extend(run.ready(A1, t(0)));
        for n in 0..20u64 {
            all.extend(run.arrive(n, if n % 3 == 0 { Q1 } else { Q0 }, t(n)));
        }
        for n in 0..20u64 {
            if let Some(ContactState::Connected(_)) = run.engine.contact(c(n)).map(|v| v.state) {
                all.extend(run.end(n, t(30 + n)));
            }
        }
        all
    };
    let mut config = two_queue_config();
    config.agents.push(agent(1, 0, &[(0, 2)]));
    config.auto_accept = true;
    let a = script(&mut Run::new(config.clone()));
    let b = script(&mut Run::new(config));
    assert!(a.len() > 40);
    assert_eq!(a, b);
}

#[test]
fn an_agent_freed_by_its_own_transfer_takes_the_best_waiting_contact() {
    let mut run = Run::new(RoutingConfig {
        queues: vec![queue(0, 0), queue(1, 1)],
        agents: vec![agent(0, 0, &[(0, 3), (1, 3)])],
        transfer_keeps_arrival: false,
        auto_accept: true,
        ..RoutingConfig::default()
    });
    run.ready(A0, t(0));
    run.arrive(1, Q0, t(0));
    assert_eq!(run.arrive(3, Q1, t(5)), vec![queued(3, Q1)]);
    // Contact 1 joins Q1 behind contact 3; the agent, free again, takes contact 3.
    assert_eq!(
        run.ev(
            Event::ContactTransferred {
                contact: c(1),
                to: Q1
            },
            t(10)
        ),
        vec![
            ended(
                1,
                Q0,
                Some(A0),
                Outcome::TransferredOut {
                    to: Q1,
                    answered: true
                },
                0
            ),
            queued(1, Q1),
            offer(3, A0, Q1),
            answered(3, A0, Q1, 5_000),
        ]
    );
}
