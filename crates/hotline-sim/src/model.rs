//! From a scenario to the routing engine's configuration: dense ids for queues, skills,
//! groups and agents, and the engine settings a simulation needs.

use hotline_routing::{
    AgentConfig, AgentId, AgentSelection as EngineSelection, Aging, ConfigError, GroupId,
    Proficiency, QueueConfig, QueueId, RoutingConfig, RoutingStep, SkillId, Span, StepAction,
    WrapUp,
};

use crate::scenario::{AgentSelection, Scenario};

/// Milliseconds (the engine's time unit) from seconds, rounded to the nearest.
#[inline]
pub fn ms(seconds: f64) -> u64 {
    // Scenario values are validated finite and non-negative; draws are non-negative.
    (seconds * 1000.0).round() as u64
}

/// The scenario mapped onto the engine's dense ids.
#[derive(Debug, Clone)]
pub struct Model {
    pub config: RoutingConfig,
    /// For each group, its agents' ids: `first..first + count`.
    pub group_agents: Vec<std::ops::Range<u32>>,
    /// Each agent's group index.
    pub agent_group: Vec<u32>,
    /// True when some group has wrap-up: the engine then runs manual wrap-up and the
    /// simulator ends each one after a drawn time.
    pub manual_wrap_up: bool,
}

/// The dense id of a skill name, assigned in order of first use.
fn skill_id(name: &str, skills: &mut Vec<String>) -> SkillId {
    let i = match skills.iter().position(|s| s == name) {
        Some(i) => i,
        None => {
            skills.push(name.to_string());
            skills.len() - 1
        }
    };
    SkillId(i as u32)
}

impl Model {
    pub fn new(s: &Scenario) -> Result<Model, ConfigError> {
        let mut skills: Vec<String> = Vec::new();
        let mut queues = Vec::with_capacity(s.queues.len());
        for (qi, q) in s.queues.iter().enumerate() {
            let mut c = QueueConfig::new(QueueId(qi as u32), skill_id(&q.skill, &mut skills));
            c.min_proficiency = Proficiency::new(q.min_proficiency)?;
            c.priority = q.priority;
            c.aging = q.aging.map(|a| Aging {
                points_per_second: a.points_per_s,
                max_points: a.max_points,
            });
            c.service_level = Span::from_millis(ms(q.service_level_s));
            c.expected_handle_time = Some(Span::from_millis(ms(q.handle_time.mean_s()).max(1)));
            for st in &q.steps {
                let after = Span::from_millis(ms(st.after_s).max(1));
                if let Some(m) = st.min_proficiency {
                    c.steps.push(RoutingStep {
                        after,
                        action: StepAction::RelaxProficiency {
                            min: Proficiency::new(m)?,
                        },
                    });
                }
                if let Some(a) = &st.add_skill {
                    c.steps.push(RoutingStep {
                        after,
                        action: StepAction::AddSkill {
                            skill: skill_id(&a.skill, &mut skills),
                            min: Proficiency::new(a.min_proficiency)?,
                        },
                    });
                }
                if let Some(g) = st.add_group {
                    c.steps.push(RoutingStep {
                        after,
                        action: StepAction::AddGroup {
                            group: GroupId(g as u32),
                        },
                    });
                }
            }
            queues.push(c);
        }
        let mut agents = Vec::new();
        let mut group_agents = Vec::with_capacity(s.groups.len());
        let mut agent_group = Vec::new();
        for (gi, g) in s.groups.iter().enumerate() {
            let mut gskills = Vec::with_capacity(g.skills.len());
            for (name, p) in &g.skills {
                // Every group skill names a queue skill (checked by the scenario).
                let id = skills.iter().position(|s| s == name).unwrap_or(usize::MAX);
                gskills.push((SkillId(id as u32), Proficiency::new(*p)?));
            }
            let first = agents.len() as u32;
            for _ in 0..g.count {
                let id = AgentId(agents.len() as u32);
                let mut a = AgentConfig::new(id, GroupId(gi as u32), gskills.clone());
                a.slots = g.slots;
                agents.push(a);
                agent_group.push(gi as u32);
            }
            group_agents.push(first..agents.len() as u32);
        }
        let manual_wrap_up = s.groups.iter().any(|g| g.wrap_up.is_some());
        let config = RoutingConfig {
            queues,
            agents,
            agent_selection: match s.routing.agent_selection {
                AgentSelection::LongestIdle => EngineSelection::LongestIdle,
                AgentSelection::HighestProficiency => EngineSelection::HighestProficiency,
                AgentSelection::FewestContacts => EngineSelection::FewestContacts,
                AgentSelection::RoundRobin => EngineSelection::RoundRobin,
                AgentSelection::Linear => EngineSelection::Linear,
            },
            wrap_up: if manual_wrap_up {
                WrapUp::Manual
            } else {
                WrapUp::Fixed(Span::ZERO)
            },
            // Virtual agents answer at once: no ringing, no ring-no-answer.
            auto_accept: true,
            ring_timeout: None,
            ewt_window: s.routing.ewt_window,
            ..RoutingConfig::default()
        };
        config.validate()?;
        Ok(Model {
            config,
            group_agents,
            agent_group,
            manual_wrap_up,
        })
    }
}
