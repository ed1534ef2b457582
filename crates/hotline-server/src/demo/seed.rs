//! The demo center's organisation: the seeds' telecom hotline (Jilin's "10060" customer
//! service center: 150 agents in five teams led by team leaders, a "gold club" of VIP
//! members who must reach their service level while sharing agents with everyone else).
//! The queues, skills, shifts and volumes are those of `examples/scenarios/gold-club.toml`.

use hotline_store::{
    Channel, NewDepartment, NewPerson, NewSite, NewSkill, NewTeam, PersonId, PersonSkillRow,
    Proficiency, QueueSettings, Role, RoutingStep, SkillId, StepAction, Store, TeamId, Tier,
    WrapUp,
};

/// One of the five queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoQueue {
    /// VIP members.
    Gold,
    /// Billing enquiries.
    Billing,
    /// Fault reports.
    Faults,
    /// Service requests.
    Service,
    /// Complaints.
    Complaints,
}

/// How a queue's callers behave (seconds of the demo day).
#[derive(Clone, Copy, Debug)]
pub struct Traffic {
    /// Arrivals per half hour from 08:00 to 20:00.
    pub arrivals: [u32; 24],
    /// Mean handle (talk) time.
    pub handle_s: f64,
    /// Its coefficient of variation (lognormal).
    pub handle_cv: f64,
    /// Mean patience (exponential).
    pub patience_s: f64,
    /// Mean wrap-up (lognormal, cv 0.5).
    pub wrap_up_s: f64,
}

impl DemoQueue {
    /// All five.
    pub const ALL: [DemoQueue; 5] = [
        DemoQueue::Gold,
        DemoQueue::Billing,
        DemoQueue::Faults,
        DemoQueue::Service,
        DemoQueue::Complaints,
    ];

    /// The queue's name.
    pub const fn name(self) -> &'static str {
        match self {
            DemoQueue::Gold => "Gold club (VIP)",
            DemoQueue::Billing => "Billing enquiries",
            DemoQueue::Faults => "Fault reports",
            DemoQueue::Service => "Service requests",
            DemoQueue::Complaints => "Complaints",
        }
    }

    /// Its skill's name.
    pub const fn skill(self) -> &'static str {
        match self {
            DemoQueue::Gold => "gold_club",
            DemoQueue::Billing => "billing",
            DemoQueue::Faults => "faults",
            DemoQueue::Service => "service_requests",
            DemoQueue::Complaints => "complaints",
        }
    }

    /// Its callers (the gold-club scenario's figures).
    pub const fn traffic(self) -> Traffic {
        match self {
            DemoQueue::Gold => Traffic {
                arrivals: [
                    37, 50, 64, 74, 81, 81, 77, 71, 64, 61, 64, 71, 74, 74, 71, 67, 64, 61, 57, 54,
                    50, 47, 40, 34,
                ],
                handle_s: 360.0,
                handle_cv: 0.7,
                patience_s: 300.0,
                wrap_up_s: 25.0,
            },
            DemoQueue::Billing => Traffic {
                arrivals: [
                    145, 197, 250, 290, 316, 316, 303, 276, 250, 237, 250, 276, 290, 290, 276, 263,
                    250, 237, 224, 211, 197, 184, 158, 132,
                ],
                handle_s: 300.0,
                handle_cv: 0.8,
                patience_s: 180.0,
                wrap_up_s: 15.0,
            },
            DemoQueue::Faults => Traffic {
                arrivals: [
                    103, 140, 178, 206, 225, 225, 215, 197, 178, 168, 178, 197, 206, 206, 197, 187,
                    178, 168, 159, 150, 140, 131, 112, 94,
                ],
                handle_s: 420.0,
                handle_cv: 0.9,
                patience_s: 240.0,
                wrap_up_s: 20.0,
            },
            DemoQueue::Service => Traffic {
                arrivals: [
                    56, 77, 97, 113, 123, 123, 118, 107, 97, 92, 97, 107, 113, 113, 107, 102, 97,
                    92, 87, 82, 77, 72, 61, 51,
                ],
                handle_s: 240.0,
                handle_cv: 1.0,
                patience_s: 300.0,
                wrap_up_s: 15.0,
            },
            DemoQueue::Complaints => Traffic {
                arrivals: [
                    16, 22, 28, 32, 35, 35, 34, 31, 28, 26, 28, 31, 32, 32, 31, 29, 28, 26, 25, 23,
                    22, 20, 18, 15,
                ],
                handle_s: 600.0,
                handle_cv: 0.6,
                patience_s: 300.0,
                wrap_up_s: 45.0,
            },
        }
    }

    /// Why callers of this queue call (an IVR attribute shown on the desktop).
    pub const fn reasons(self) -> &'static [&'static str] {
        match self {
            DemoQueue::Gold => &[
                "plan upgrade",
                "international roaming",
                "bill review",
                "new line",
            ],
            DemoQueue::Billing => &[
                "unexpected charge",
                "payment not received",
                "roaming charges",
                "invoice copy",
            ],
            DemoQueue::Faults => &["no signal", "broadband down", "slow data", "landline noise"],
            DemoQueue::Service => &[
                "change plan",
                "SIM replacement",
                "move address",
                "number transfer",
            ],
            DemoQueue::Complaints => &[
                "repeated outage",
                "wrong charge not refunded",
                "rude treatment",
                "long wait",
            ],
        }
    }

    /// The complaint category of a complaint's reason (`None` outside the complaints
    /// queue): what the weekly complaint analysis groups by.
    pub fn complaint_category(self, reason: &str) -> Option<&'static str> {
        if self != DemoQueue::Complaints {
            return None;
        }
        Some(match reason {
            "repeated outage" => "network fault",
            "wrong charge not refunded" => "billing dispute",
            "rude treatment" => "staff attitude",
            "long wait" => "waiting time",
            _ => "other",
        })
    }
}

/// A team of the center.
#[derive(Clone, Copy, Debug)]
pub struct TeamPlan {
    /// Name.
    pub name: &'static str,
    /// Agents.
    pub size: u32,
    /// Skills and base proficiency.
    pub skills: &'static [(DemoQueue, u8)],
    /// Shift (minutes of the day): start, end.
    pub shift: (u32, u32),
    /// Agents of the team on a late shift 12:00–20:00 (the first ones).
    pub late: u32,
    /// Username stem.
    pub stem: &'static str,
}

/// The five teams (150 agents).
pub const TEAMS: [TeamPlan; 5] = [
    TeamPlan {
        name: "Gold club desk",
        size: 16,
        skills: &[(DemoQueue::Gold, 5), (DemoQueue::Complaints, 4)],
        shift: (8 * 60, 20 * 60),
        late: 0,
        stem: "gold",
    },
    TeamPlan {
        name: "Complaints",
        size: 12,
        skills: &[(DemoQueue::Complaints, 5), (DemoQueue::Gold, 4)],
        shift: (8 * 60, 20 * 60),
        late: 0,
        stem: "complaints",
    },
    TeamPlan {
        name: "Billing",
        size: 44,
        skills: &[(DemoQueue::Billing, 4), (DemoQueue::Service, 3)],
        shift: (8 * 60, 20 * 60),
        late: 0,
        stem: "billing",
    },
    TeamPlan {
        name: "Technical support",
        size: 48,
        skills: &[(DemoQueue::Faults, 4)],
        shift: (8 * 60, 20 * 60),
        late: 8,
        stem: "tech",
    },
    TeamPlan {
        name: "Generalists",
        size: 30,
        skills: &[
            (DemoQueue::Billing, 3),
            (DemoQueue::Faults, 2),
            (DemoQueue::Service, 4),
            (DemoQueue::Gold, 3),
        ],
        shift: (8 * 60, 16 * 60),
        late: 0,
        stem: "general",
    },
];

/// Index of the team whose agents the people at the desktops drive.
pub const HUMAN_TEAM: usize = 2;

const SURNAMES: &[&str] = &[
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
    "García",
    "Martínez",
    "López",
    "Smith",
];
const GIVEN: &[&str] = &[
    "Wei", "Fang", "Na", "Min", "Jing", "Lei", "Yan", "Jun", "Tao", "Ming", "Hui", "Xin", "Ping",
    "Lan", "Qiang", "Yu", "Ling", "Hao", "Lucía", "Mateo", "Sofía", "Emma", "Daniel", "Olivia",
];

/// A deterministic display name for person `n` (family name first for Chinese names).
pub fn display_name(n: usize) -> String {
    let s = SURNAMES[(n * 7 + n / SURNAMES.len()) % SURNAMES.len()];
    let g = GIVEN[(n * 5 + n / 3) % GIVEN.len()];
    if ["García", "Martínez", "López", "Smith"].contains(&s) {
        format!("{g} {s}")
    } else {
        format!("{s} {g}")
    }
}

/// The tier of a team's `i`-th agent: the seeds' mix, ~40% junior, ~30% intermediate,
/// ~30% senior and expert.
pub fn tier(i: u32) -> Tier {
    match i % 10 {
        0..=3 => Tier::Junior,
        4..=6 => Tier::Intermediate,
        7 | 8 => Tier::Senior,
        _ => Tier::Expert,
    }
}

/// Proficiency by tier around the team's base (juniors one lower, experts one higher).
pub fn proficiency(base: u8, tier: Tier) -> u8 {
    match tier {
        Tier::Junior => base.saturating_sub(1).max(1),
        Tier::Intermediate | Tier::Senior => base,
        Tier::Expert => (base + 1).min(5),
    }
}

/// What seeding produced (or found).
#[derive(Debug, Clone)]
pub struct Seeded {
    /// Queue ids, in [`DemoQueue::ALL`] order.
    pub queues: [i64; 5],
    /// Every agent: (person, team index, index in team).
    pub agents: Vec<(PersonId, usize, u32)>,
}

/// The username of a team's `i`-th agent (the first of the human team are `agent`,
/// `agent2`, …).
pub fn username(team: usize, i: u32, human_agents: u32) -> String {
    if team == HUMAN_TEAM && i < human_agents {
        if i == 0 {
            "agent".into()
        } else {
            format!("agent{}", i + 1)
        }
    } else {
        format!("{}.{:02}", TEAMS[team].stem, i + 1)
    }
}

fn p(level: u8) -> Proficiency {
    Proficiency::parse("proficiency", i64::from(level)).unwrap_or(Proficiency::MIN)
}

/// Creates the organisation unless it exists (found by its site's name); returns ids.
pub async fn seed(
    store: &Store,
    human_agents: u32,
    passwords: &dyn Fn(&str) -> Option<String>,
) -> hotline_store::Result<Seeded> {
    const SITE: &str = "Jilin 10060 hotline";
    if store.list_sites().await?.iter().any(|s| s.name == SITE) {
        return found(store, human_agents).await;
    }
    let site = store
        .create_site(&NewSite {
            name: SITE.into(),
            time_zone: "Asia/Shanghai".into(),
        })
        .await?;
    let dept = store
        .create_department(&NewDepartment {
            site_id: site.id,
            name: "Customer service center".into(),
        })
        .await?;
    let mut skills = Vec::new();
    for q in DemoQueue::ALL {
        let s = store
            .create_skill(&NewSkill {
                name: q.skill().into(),
                description: q.name().into(),
            })
            .await?;
        skills.push(s.id);
    }
    let skill = |q: DemoQueue| skills[DemoQueue::ALL.iter().position(|x| *x == q).unwrap_or(0)];
    let mut teams = Vec::new();
    for t in TEAMS {
        teams.push(
            store
                .create_team(&NewTeam {
                    department_id: dept.id,
                    name: t.name.into(),
                    leader_id: None,
                })
                .await?
                .id,
        );
    }
    // Managers and team leaders first, then the 150 agents, in one batch each.
    let mut staff = vec![NewPerson {
        username: "manager".into(),
        display_name: "Zhang Hong".into(),
        role: Role::Manager,
        tier: Tier::Expert,
        team_id: None,
        active: true,
        password_hash: passwords("manager"),
    }];
    for (i, t) in TEAMS.iter().enumerate() {
        let username = if i == HUMAN_TEAM {
            "supervisor".to_string()
        } else {
            format!("lead.{}", t.stem)
        };
        staff.push(NewPerson {
            password_hash: passwords(&username),
            username,
            display_name: display_name(1000 + i),
            role: Role::Supervisor,
            tier: Tier::Senior,
            team_id: Some(teams[i]),
            active: true,
        });
    }
    staff.push(NewPerson {
        username: "quality".into(),
        display_name: "Sun Li".into(),
        role: Role::Quality,
        tier: Tier::Senior,
        team_id: None,
        active: true,
        password_hash: passwords("quality"),
    });
    let staff = store.create_people(&staff).await?;
    for (i, leader) in staff[1..=TEAMS.len()].iter().enumerate() {
        store
            .update_team(
                teams[i],
                &NewTeam {
                    department_id: dept.id,
                    name: TEAMS[i].name.into(),
                    leader_id: Some(leader.id),
                },
            )
            .await?;
    }
    let mut agents = Vec::new();
    let mut n = 0;
    for (ti, t) in TEAMS.iter().enumerate() {
        for i in 0..t.size {
            let username = username(ti, i, human_agents);
            agents.push(NewPerson {
                password_hash: passwords(&username),
                username,
                display_name: display_name(n),
                role: Role::Agent,
                tier: tier(i),
                team_id: Some(teams[ti]),
                active: true,
            });
            n += 1;
        }
    }
    let created = store.create_people(&agents).await?;
    let mut rows = Vec::new();
    let mut out = Vec::new();
    let mut k = 0;
    for (ti, t) in TEAMS.iter().enumerate() {
        for i in 0..t.size {
            let person = &created[k];
            k += 1;
            for (q, base) in t.skills {
                rows.push(PersonSkillRow {
                    person_id: person.id,
                    skill_id: skill(*q),
                    proficiency: p(proficiency(*base, tier(i))),
                });
            }
            out.push((person.id, ti, i));
        }
    }
    store.upsert_person_skills(&rows).await?;
    let mut queues = [0; 5];
    for (qi, q) in DemoQueue::ALL.iter().enumerate() {
        let settings = queue_settings(*q, skill(*q), teams[3]);
        queues[qi] = store.create_queue(&settings).await?.id.0;
    }
    Ok(Seeded {
        queues,
        agents: out,
    })
}

/// The queue's routing settings (the gold-club scenario's, with manual wrap-up so the
/// desktop's "wrap-up done" matters).
pub fn queue_settings(q: DemoQueue, skill: SkillId, tech_team: TeamId) -> QueueSettings {
    let t = q.traffic();
    let (priority, min, sl, target, aging, cap, steps): (
        i32,
        u8,
        u32,
        f64,
        f64,
        Option<u32>,
        Vec<RoutingStep>,
    ) = match q {
        DemoQueue::Gold => (
            10,
            4,
            20,
            90.0,
            0.0,
            None,
            vec![RoutingStep {
                after_s: 30,
                action: StepAction::RelaxProficiency { min: p(3) },
            }],
        ),
        DemoQueue::Billing => (0, 1, 30, 80.0, 0.05, Some(6), vec![]),
        DemoQueue::Faults => (
            0,
            3,
            30,
            80.0,
            0.0,
            None,
            vec![RoutingStep {
                after_s: 45,
                action: StepAction::RelaxProficiency { min: p(2) },
            }],
        ),
        DemoQueue::Service => (
            0,
            1,
            60,
            80.0,
            0.1,
            Some(8),
            vec![RoutingStep {
                after_s: 180,
                action: StepAction::AddTeam { team_id: tech_team },
            }],
        ),
        DemoQueue::Complaints => (5, 1, 30, 85.0, 0.0, None, vec![]),
    };
    QueueSettings {
        name: q.name().into(),
        channel: Channel::Voice,
        skill_id: skill,
        min_proficiency: p(min),
        base_priority: priority,
        aging_points_per_s: aging,
        aging_cap: cap,
        service_level_threshold_s: sl,
        target_service_level_pct: target,
        wrap_up: WrapUp::Manual,
        expected_handle_time_s: Some(t.handle_s as u32),
        routing_steps: steps,
    }
}

/// The ids of an organisation seeded before.
async fn found(store: &Store, human_agents: u32) -> hotline_store::Result<Seeded> {
    let all_queues = store.list_queues().await?;
    let mut queues = [0; 5];
    for (qi, q) in DemoQueue::ALL.iter().enumerate() {
        queues[qi] = all_queues
            .iter()
            .find(|x| x.settings.name == q.name())
            .map(|x| x.id.0)
            .ok_or_else(|| hotline_store::StoreError::not_found("queue", q.name()))?;
    }
    let people = store.list_people(&Default::default()).await?;
    let mut agents = Vec::new();
    for (ti, t) in TEAMS.iter().enumerate() {
        for i in 0..t.size {
            let name = username(ti, i, human_agents);
            if let Some(person) = people.iter().find(|p| p.username == name) {
                agents.push((person.id, ti, i));
            }
        }
    }
    Ok(Seeded { queues, agents })
}

#[cfg(test)]
mod tests {
    use super::DemoQueue;

    #[test]
    fn every_complaint_reason_has_a_category_and_only_complaints_do() {
        for q in DemoQueue::ALL {
            for reason in q.reasons() {
                let category = q.complaint_category(reason);
                if q == DemoQueue::Complaints {
                    assert!(
                        category.is_some_and(|c| c != "other"),
                        "{reason:?} has no category"
                    );
                } else {
                    assert_eq!(category, None);
                }
            }
        }
    }
}
