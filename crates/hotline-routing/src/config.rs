//! What the engine is told about the center: queues, agents and the global routing rules.
//!
//! Every field is checked by [`RoutingConfig::validate`] (called by
//! [`Engine::new`](crate::Engine::new)); an error names the field, the value and what
//! is allowed. Nothing is silently clamped.

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::ids::{AgentId, GroupId, Proficiency, QueueId, SkillId};
use crate::time::Span;

/// Longest span accepted for timeouts, wrap-up and thresholds: one day.
pub const MAX_CONFIG_SPAN: Span = Span::from_secs(24 * 3600);
/// Most concurrent contacts one agent may hold.
pub const MAX_SLOTS: u16 = 64;
/// Highest aging rate accepted, in points per second.
pub const MAX_AGING_RATE: f64 = 1_000_000.0;

/// How the engine picks among several ready agents that can all take an arriving contact.
///
/// Multi-slot agents (chat) holding fewer contacts are always preferred first, for every
/// policy except [`AgentSelection::RoundRobin`]; the policy orders agents of equal load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgentSelection {
    /// The agent available for the longest time (since becoming ready or finishing their
    /// last contact). Spreads work evenly; the industry default.
    #[default]
    LongestIdle,
    /// The agent with the highest proficiency in the skill that makes them eligible;
    /// ties by longest idle.
    HighestProficiency,
    /// The agent who has accepted the fewest contacts since the engine started (or since
    /// [`Engine::reset_counters`](crate::Engine::reset_counters)); ties by longest idle.
    FewestContacts,
    /// Per queue, the next agent id after the agent who got this queue's previous contact,
    /// wrapping around (Asterisk's `rrmemory`).
    RoundRobin,
    /// Agent groups in order: the lowest [`GroupId`] first ("specialists first"); within a
    /// group, longest idle.
    Linear,
}

/// What happens after a contact ends, before the agent's slot is free again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WrapUp {
    /// Wrap-up lasts exactly this long (zero: none), unless the agent sends
    /// [`Event::WrapUpDone`](crate::Event::WrapUpDone) earlier.
    Fixed(Span),
    /// Wrap-up lasts until the agent sends [`Event::WrapUpDone`](crate::Event::WrapUpDone).
    Manual,
}

impl Default for WrapUp {
    fn default() -> Self {
        WrapUp::Fixed(Span::ZERO)
    }
}

/// Priority aging: a waiting contact gains `points_per_second` priority points per second
/// waited, up to `max_points`.
///
/// The engine computes in integer micro-points: the rate is rounded to the nearest
/// 0.001 point per second, and waiting is counted in whole milliseconds, so the result is
/// exact and identical on every machine.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aging {
    /// Points gained per second waited, `0 ..= 1_000_000`.
    pub points_per_second: f64,
    /// Cap on the points gained by aging; `None` for no cap.
    pub max_points: Option<u32>,
}

/// What a routing step changes. Steps only ever widen the set of eligible agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepAction {
    /// Lower the minimum proficiency required in the queue's own skill.
    RelaxProficiency {
        /// The new minimum; must be lower than the one in force before the step.
        min: Proficiency,
    },
    /// Also accept agents who have this other skill at this level or better.
    AddSkill {
        /// The alternative skill.
        skill: SkillId,
        /// Minimum proficiency in it.
        min: Proficiency,
    },
    /// Also accept every agent of this group, whatever their skills (the overflow ring of
    /// a bullseye).
    AddGroup {
        /// The group opened to the queue.
        group: GroupId,
    },
}

/// After a contact has waited `after` in the queue, `action` applies to it (bullseye).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoutingStep {
    /// Time in this queue after which the step applies; steps are listed in
    /// non-decreasing order of `after`, and steps with the same `after` apply together.
    pub after: Span,
    /// What changes.
    pub action: StepAction,
}

/// One queue (a line of waiting contacts with the rules for serving them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueConfig {
    /// The queue's id.
    pub id: QueueId,
    /// The skill an agent needs to take contacts from this queue.
    pub skill: SkillId,
    /// The minimum proficiency in `skill`.
    pub min_proficiency: Proficiency,
    /// Base priority points of every contact in this queue (higher is served first).
    pub priority: i32,
    /// Optional priority aging.
    pub aging: Option<Aging>,
    /// Service-level threshold T: a contact answered within T met the target.
    pub service_level: Span,
    /// Routing steps (bullseye), in non-decreasing order of `after`.
    pub steps: Vec<RoutingStep>,
    /// Wrap-up for contacts of this queue; `None` uses [`RoutingConfig::wrap_up`].
    pub wrap_up: Option<WrapUp>,
    /// Handle time assumed by the wait estimate until the queue has observed some; `None`
    /// means no estimate until then.
    pub expected_handle_time: Option<Span>,
}

impl QueueConfig {
    /// A queue needing `skill` at proficiency 1 or better, priority 0, no aging, a 20 s
    /// service-level threshold, no steps, the global wrap-up, no prior handle time.
    pub fn new(id: QueueId, skill: SkillId) -> QueueConfig {
        QueueConfig {
            id,
            skill,
            min_proficiency: Proficiency::MIN,
            priority: 0,
            aging: None,
            service_level: Span::from_secs(20),
            steps: Vec::new(),
            wrap_up: None,
            expected_handle_time: None,
        }
    }

    /// Checks every field; `Ok` means the engine can use the queue as it is.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let at = |field: &str| format!("{}.{field}", self.id);
        if self.id.0 >= QueueId::MAX {
            return Err(ConfigError::invalid(
                "queue.id",
                self.id.0,
                format!("an id below {}", QueueId::MAX),
            ));
        }
        check_skill(&at("skill"), self.skill)?;
        if let Some(aging) = self.aging {
            let rate = aging.points_per_second;
            if !rate.is_finite() || !(0.0..=MAX_AGING_RATE).contains(&rate) {
                return Err(ConfigError::invalid(
                    at("aging.points_per_second"),
                    rate,
                    format!("a number from 0 to {MAX_AGING_RATE}"),
                ));
            }
        }
        if self.service_level.is_zero() || self.service_level > MAX_CONFIG_SPAN {
            return Err(ConfigError::invalid(
                at("service_level"),
                self.service_level,
                "a span above zero and at most one day",
            ));
        }
        if let Some(WrapUp::Fixed(span)) = self.wrap_up {
            check_span(&at("wrap_up"), span)?;
        }
        if let Some(aht) = self.expected_handle_time {
            if aht.is_zero() || aht > MAX_CONFIG_SPAN {
                return Err(ConfigError::invalid(
                    at("expected_handle_time"),
                    aht,
                    "a span above zero and at most one day",
                ));
            }
        }
        let mut min = self.min_proficiency;
        let mut skills: Vec<(SkillId, Proficiency)> = vec![(self.skill, min)];
        let mut groups: Vec<GroupId> = Vec::new();
        let mut previous = Span::ZERO;
        for (i, step) in self.steps.iter().enumerate() {
            let field = at(&format!("steps[{i}]"));
            if step.after.is_zero() || step.after < previous {
                return Err(ConfigError::invalid(
                    format!("{field}.after"),
                    step.after,
                    format!(
                        "a span above zero and not before the previous step ({previous}); \
                         the initial requirement is the queue's own skill"
                    ),
                ));
            }
            previous = step.after;
            match step.action {
                StepAction::RelaxProficiency { min: new } => {
                    if new >= min {
                        return Err(ConfigError::invalid(
                            format!("{field}.action.min"),
                            new,
                            format!("a proficiency below the {min} required before this step"),
                        ));
                    }
                    min = new;
                    skills[0].1 = new;
                }
                StepAction::AddSkill { skill, min: level } => {
                    check_skill(&format!("{field}.action.skill"), skill)?;
                    if let Some(existing) = skills.iter_mut().find(|(s, _)| *s == skill) {
                        if level >= existing.1 {
                            return Err(ConfigError::invalid(
                                format!("{field}.action"),
                                format!("add {skill} at {level}"),
                                format!(
                                    "a step that widens eligibility; {skill} is already \
                                     accepted at proficiency {}",
                                    existing.1
                                ),
                            ));
                        }
                        existing.1 = level;
                        if existing.0 == self.skill {
                            min = level;
                        }
                    } else {
                        skills.push((skill, level));
                    }
                }
                StepAction::AddGroup { group } => {
                    check_group(&format!("{field}.action.group"), group)?;
                    if groups.contains(&group) {
                        return Err(ConfigError::invalid(
                            format!("{field}.action.group"),
                            group,
                            "a group not already opened by an earlier step",
                        ));
                    }
                    groups.push(group);
                }
            }
        }
        Ok(())
    }
}

/// One agent as the router sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentConfig {
    /// The agent's id.
    pub id: AgentId,
    /// The agent's group (team, tier).
    pub group: GroupId,
    /// Skills with proficiency; each skill at most once.
    pub skills: Vec<(SkillId, Proficiency)>,
    /// How many contacts the agent may hold at once (chat); 1 for voice.
    pub slots: u16,
}

impl AgentConfig {
    /// An agent with one slot.
    pub fn new(id: AgentId, group: GroupId, skills: Vec<(SkillId, Proficiency)>) -> AgentConfig {
        AgentConfig {
            id,
            group,
            skills,
            slots: 1,
        }
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.id.0 >= AgentId::MAX {
            return Err(ConfigError::invalid(
                "agent.id",
                self.id.0,
                format!("an id below {}", AgentId::MAX),
            ));
        }
        check_group(&format!("{}.group", self.id), self.group)?;
        if self.slots == 0 || self.slots > MAX_SLOTS {
            return Err(ConfigError::invalid(
                format!("{}.slots", self.id),
                self.slots,
                format!("1 to {MAX_SLOTS} concurrent contacts"),
            ));
        }
        for (i, (skill, _)) in self.skills.iter().enumerate() {
            let field = format!("{}.skills[{i}]", self.id);
            check_skill(&field, *skill)?;
            if self.skills[..i].iter().any(|(s, _)| s == skill) {
                return Err(ConfigError::Duplicate {
                    field,
                    value: skill.to_string(),
                });
            }
        }
        Ok(())
    }

    /// The agent's proficiency in `skill`, if they have it.
    pub fn proficiency(&self, skill: SkillId) -> Option<Proficiency> {
        self.skills
            .iter()
            .find(|(s, _)| *s == skill)
            .map(|(_, p)| *p)
    }
}

/// Everything the engine needs to start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingConfig {
    /// The queues.
    pub queues: Vec<QueueConfig>,
    /// The agents (all start logged out).
    pub agents: Vec<AgentConfig>,
    /// How an arriving contact picks among ready agents.
    pub agent_selection: AgentSelection,
    /// Wrap-up for queues that do not set their own.
    pub wrap_up: WrapUp,
    /// An offer not accepted within this span rings out: the agent goes not ready with
    /// [`ReasonCode::NO_ANSWER`](crate::ReasonCode::NO_ANSWER) and the contact goes back
    /// to its old place. `None`: offers ring until accepted or rejected.
    pub ring_timeout: Option<Span>,
    /// A contact transferred to another queue keeps its original arrival time for
    /// ordering and aging there (it does not go to the back of the line).
    pub transfer_keeps_arrival: bool,
    /// Abandons within this span count as met in the Asterisk SL2 service level; `None`
    /// uses each queue's service-level threshold, as Asterisk does.
    pub short_abandon: Option<Span>,
    /// Offers are accepted at once: the agent goes straight to on-contact (the `Offer`
    /// decision is still emitted). Saves an event per contact in simulations.
    pub auto_accept: bool,
    /// The wait estimate uses the mean handle time of this many most recent contacts of
    /// the queue.
    pub ewt_window: u32,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        RoutingConfig {
            queues: Vec::new(),
            agents: Vec::new(),
            agent_selection: AgentSelection::LongestIdle,
            wrap_up: WrapUp::Fixed(Span::ZERO),
            ring_timeout: None,
            transfer_keeps_arrival: true,
            short_abandon: None,
            auto_accept: false,
            ewt_window: 100,
        }
    }
}

impl RoutingConfig {
    /// Checks every field of every queue and agent, and that ids are unique.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let WrapUp::Fixed(span) = self.wrap_up {
            check_span("wrap_up", span)?;
        }
        if let Some(ring) = self.ring_timeout {
            if ring.is_zero() || ring > MAX_CONFIG_SPAN {
                return Err(ConfigError::invalid(
                    "ring_timeout",
                    ring,
                    "a span above zero and at most one day, or none",
                ));
            }
        }
        if let Some(short) = self.short_abandon {
            check_span("short_abandon", short)?;
        }
        if self.ewt_window == 0 || self.ewt_window > 100_000 {
            return Err(ConfigError::invalid(
                "ewt_window",
                self.ewt_window,
                "1 to 100000 contacts",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, q) in self.queues.iter().enumerate() {
            q.validate()?;
            if !seen.insert(q.id) {
                return Err(ConfigError::Duplicate {
                    field: format!("queues[{i}].id"),
                    value: q.id.0.to_string(),
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, a) in self.agents.iter().enumerate() {
            a.validate()?;
            if !seen.insert(a.id) {
                return Err(ConfigError::Duplicate {
                    field: format!("agents[{i}].id"),
                    value: a.id.0.to_string(),
                });
            }
        }
        Ok(())
    }
}

fn check_span(field: &str, span: Span) -> Result<(), ConfigError> {
    if span > MAX_CONFIG_SPAN {
        return Err(ConfigError::invalid(
            field,
            span,
            "a span of at most one day",
        ));
    }
    Ok(())
}

fn check_skill(field: &str, skill: SkillId) -> Result<(), ConfigError> {
    if skill.0 >= SkillId::MAX {
        return Err(ConfigError::invalid(
            field,
            skill.0,
            format!("a skill id below {}", SkillId::MAX),
        ));
    }
    Ok(())
}

fn check_group(field: &str, group: GroupId) -> Result<(), ConfigError> {
    if group.0 >= GroupId::MAX {
        return Err(ConfigError::invalid(
            field,
            group.0,
            format!("a group id below {}", GroupId::MAX),
        ));
    }
    Ok(())
}
