//! Keeps the live engine's agents and queues equal to the organisation in the store.
//!
//! The store is where people, skills and queues are edited; the engine needs them as
//! dense ids with skills and routing rules. Store ids are used as engine ids directly
//! (person 17 is agent#17), so ids in the event log stay meaningful across restarts.
//! Every active person is an agent in the engine (a supervisor may take calls too); a
//! person's team is their agent group.
//!
//! After each change in the store the handler calls [`sync_person`] / [`sync_queue`],
//! which compares the desired configuration with the engine's and sends the difference
//! through the routing task (so it is logged like any event). [`reconcile`] does the
//! same for everything at start, repairing a crash between a store write and its engine
//! update.

use std::collections::{BTreeMap, HashMap};

use hotline_routing::{
    AgentConfig, AgentId, Aging, ConfigError, GroupId, Proficiency, QueueConfig, QueueId,
    RoutingConfig, RoutingStep, SkillId, Span, StepAction, WrapUp,
};
use hotline_store::{self as store, PersonFilter, PersonId, Store};

use crate::config::Settings;
use crate::error::{ApiError, ApiResult};
use crate::runtime::{Input, RuntimeHandle};

fn dense(field: &str, id: i64, max: u32) -> ApiResult<u32> {
    u32::try_from(id).ok().filter(|v| *v < max).ok_or_else(|| {
        ApiError::invalid(
            field,
            id,
            &format!("an id below {max} (the routing engine's bound)"),
        )
    })
}

/// The engine's configuration of a person with these skills.
pub fn agent_config(
    person: &store::Person,
    skills: &[store::PersonSkill],
) -> ApiResult<AgentConfig> {
    let id = AgentId(dense("id", person.id.0, AgentId::MAX)?);
    let group = GroupId(match person.team_id {
        Some(t) => dense("team_id", t.0, GroupId::MAX)?,
        None => 0,
    });
    let mut engine_skills = Vec::with_capacity(skills.len());
    for (i, s) in skills.iter().enumerate() {
        let skill = SkillId(dense(
            &format!("skills[{i}].skill_id"),
            s.skill_id.0,
            SkillId::MAX,
        )?);
        let level = Proficiency::new(s.proficiency.get()).map_err(|e| {
            ApiError::invalid(
                format!("skills[{i}].proficiency"),
                s.proficiency,
                &e.to_string(),
            )
        })?;
        engine_skills.push((skill, level));
    }
    engine_skills.sort_by_key(|(s, _)| *s);
    Ok(AgentConfig::new(id, group, engine_skills))
}

/// The engine's configuration of a stored queue.
pub fn queue_config(queue: &store::Queue) -> ApiResult<QueueConfig> {
    let s = &queue.settings;
    let mut q = QueueConfig::new(
        QueueId(dense("id", queue.id.0, QueueId::MAX)?),
        SkillId(dense("skill_id", s.skill_id.0, SkillId::MAX)?),
    );
    q.min_proficiency = Proficiency::new(s.min_proficiency.get())
        .map_err(|e| ApiError::invalid("min_proficiency", s.min_proficiency, &e.to_string()))?;
    q.priority = s.base_priority;
    q.aging = (s.aging_points_per_s > 0.0).then_some(Aging {
        points_per_second: s.aging_points_per_s,
        max_points: s.aging_cap,
    });
    q.service_level = Span::from_secs(u64::from(s.service_level_threshold_s));
    q.wrap_up = Some(match s.wrap_up {
        store::WrapUp::Fixed { seconds } => WrapUp::Fixed(Span::from_secs(u64::from(seconds))),
        store::WrapUp::Manual => WrapUp::Manual,
    });
    q.expected_handle_time = s
        .expected_handle_time_s
        .map(|v| Span::from_secs(u64::from(v)));
    for (i, step) in s.routing_steps.iter().enumerate() {
        let field = |f: &str| format!("routing_steps[{i}].action.{f}");
        let action = match step.action {
            store::StepAction::RelaxProficiency { min } => StepAction::RelaxProficiency {
                min: Proficiency::new(min.get())
                    .map_err(|e| ApiError::invalid(field("min"), min, &e.to_string()))?,
            },
            store::StepAction::AddSkill { skill_id, min } => StepAction::AddSkill {
                skill: SkillId(dense(&field("skill_id"), skill_id.0, SkillId::MAX)?),
                min: Proficiency::new(min.get())
                    .map_err(|e| ApiError::invalid(field("min"), min, &e.to_string()))?,
            },
            store::StepAction::AddTeam { team_id } => StepAction::AddGroup {
                group: GroupId(dense(&field("team_id"), team_id.0, GroupId::MAX)?),
            },
        };
        q.steps.push(RoutingStep {
            after: Span::from_secs(u64::from(step.after_s)),
            action,
        });
    }
    q.validate().map_err(|e| {
        let (field, value, allowed) = match e {
            ConfigError::Invalid {
                field,
                value,
                allowed,
            } => (field, value, allowed),
            ConfigError::Duplicate { field, value } => (field, value, "a unique value".into()),
        };
        ApiError::invalid(api_field(&field), value, &allowed)
    })?;
    Ok(q)
}

/// The API's name for a field of the engine's queue configuration
/// (`queue#3.steps[0].action.min` → `routing_steps[0].action.min`).
pub fn api_field(engine: &str) -> String {
    let field = match engine.split_once('.') {
        Some((head, rest)) if head.starts_with("queue#") => rest,
        _ => engine,
    };
    let field = field
        .replacen("steps[", "routing_steps[", 1)
        .replace("action.skill", "action.skill_id")
        .replace("action.group", "action.team_id");
    match field.as_str() {
        "skill" => "skill_id".into(),
        "service_level" => "service_level_threshold_s".into(),
        "aging.points_per_second" => "aging_points_per_s".into(),
        "wrap_up" => "wrap_up.seconds".into(),
        "expected_handle_time" => "expected_handle_time_s".into(),
        _ => field,
    }
}

/// What the engine should hold according to the store.
#[derive(Debug, Default)]
pub struct Desired {
    /// Agents by id.
    pub agents: BTreeMap<AgentId, AgentConfig>,
    /// Queues by id.
    pub queues: BTreeMap<QueueId, QueueConfig>,
}

/// Reads the organisation from the store. Rows the engine cannot take (ids out of its
/// range) are left out with an error in the log rather than blocking the start.
pub async fn desired(store: &Store) -> ApiResult<Desired> {
    let people = store
        .list_people(&PersonFilter {
            active: Some(true),
            ..PersonFilter::default()
        })
        .await?;
    let mut skills: HashMap<PersonId, Vec<store::PersonSkill>> = HashMap::new();
    for row in store.list_all_person_skills().await? {
        skills
            .entry(row.person_id)
            .or_default()
            .push(store::PersonSkill {
                skill_id: row.skill_id,
                proficiency: row.proficiency,
            });
    }
    let mut out = Desired::default();
    for p in &people {
        match agent_config(p, skills.get(&p.id).map_or(&[], Vec::as_slice)) {
            Ok(a) => {
                out.agents.insert(a.id, a);
            }
            Err(e) => tracing::error!(person = p.id.0, error = %e, "person left out of routing"),
        }
    }
    for q in store.list_queues().await? {
        match queue_config(&q) {
            Ok(c) => {
                out.queues.insert(c.id, c);
            }
            Err(e) => tracing::error!(queue = q.id.0, error = %e, "queue left out of routing"),
        }
    }
    Ok(out)
}

/// The configuration a new event log starts with.
pub fn routing_config(desired: &Desired, settings: &Settings) -> RoutingConfig {
    RoutingConfig {
        queues: desired.queues.values().cloned().collect(),
        agents: desired.agents.values().cloned().collect(),
        agent_selection: settings.agent_selection,
        ring_timeout: settings
            .ring_timeout
            .map(|d| Span::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))),
        ..RoutingConfig::default()
    }
}

/// Brings the engine's agents and queues in line with `desired`. Removals the engine
/// refuses (an agent still logged in, a queue still holding contacts) are logged and
/// retried at the next start.
pub async fn reconcile(runtime: &RuntimeHandle, desired: &Desired) -> ApiResult<usize> {
    let current = runtime
        .query(|live, _| live.engine.config().clone())
        .await?;
    let agents: BTreeMap<AgentId, &AgentConfig> =
        current.agents.iter().map(|a| (a.id, a)).collect();
    let queues: BTreeMap<QueueId, &QueueConfig> =
        current.queues.iter().map(|q| (q.id, q)).collect();
    let mut inputs = Vec::new();
    // Queues first: agents' skills may refer to them only through skills, but steps may
    // open a queue to a group, which needs nothing else first.
    for (id, q) in &desired.queues {
        match queues.get(id) {
            None => inputs.push(Input::AddQueue(q.clone())),
            Some(c) if *c != q => inputs.push(Input::UpdateQueue(q.clone())),
            Some(_) => {}
        }
    }
    for (id, a) in &desired.agents {
        match agents.get(id) {
            None => inputs.push(Input::AddAgent(a.clone())),
            Some(c) if *c != a => inputs.push(Input::UpdateAgent(a.clone())),
            Some(_) => {}
        }
    }
    for id in agents.keys().filter(|id| !desired.agents.contains_key(id)) {
        inputs.push(Input::RemoveAgent(*id));
    }
    for id in queues.keys().filter(|id| !desired.queues.contains_key(id)) {
        inputs.push(Input::RemoveQueue(*id));
    }
    let n = inputs.len();
    for input in inputs {
        if let Err(e) = runtime.apply(input.clone()).await {
            tracing::warn!(error = %e, "the engine refused an organisation change; it will be retried at the next start");
        }
    }
    Ok(n)
}

/// Makes the engine's agent for `person` match the store (added, updated or removed).
pub async fn sync_person(
    store: &Store,
    runtime: &RuntimeHandle,
    person: PersonId,
) -> ApiResult<()> {
    let id = AgentId(dense("id", person.0, AgentId::MAX)?);
    let desired = match store.get_person(person).await {
        Ok(p) if p.active => {
            let skills = store.list_person_skills(person).await?;
            Some(agent_config(&p, &skills)?)
        }
        Ok(_) | Err(store::StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let current = runtime
        .query(move |live, _| {
            live.engine
                .config()
                .agents
                .iter()
                .find(|a| a.id == id)
                .cloned()
        })
        .await?;
    let input = match (current, desired) {
        (None, Some(a)) => Input::AddAgent(a),
        (Some(c), Some(a)) if c != a => Input::UpdateAgent(a),
        (Some(_), None) => Input::RemoveAgent(id),
        _ => return Ok(()),
    };
    runtime.apply(input).await?;
    Ok(())
}

/// Makes the engine's queue `queue` match the store.
pub async fn sync_queue(
    store: &Store,
    runtime: &RuntimeHandle,
    queue: store::QueueId,
) -> ApiResult<()> {
    let id = QueueId(dense("id", queue.0, QueueId::MAX)?);
    let desired = match store.get_queue(queue).await {
        Ok(q) => Some(queue_config(&q)?),
        Err(store::StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let current = runtime
        .query(move |live, _| {
            live.engine
                .config()
                .queues
                .iter()
                .find(|q| q.id == id)
                .cloned()
        })
        .await?;
    let input = match (current, desired) {
        (None, Some(q)) => Input::AddQueue(q),
        (Some(c), Some(q)) if c != q => Input::UpdateQueue(q),
        (Some(_), None) => Input::RemoveQueue(id),
        _ => return Ok(()),
    };
    runtime.apply(input).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::api_field;

    #[test]
    fn engine_fields_get_their_api_names() {
        assert_eq!(
            api_field("queue#3.steps[1].action.min"),
            "routing_steps[1].action.min"
        );
        assert_eq!(
            api_field("queue#3.steps[0].action.group"),
            "routing_steps[0].action.team_id"
        );
        assert_eq!(
            api_field("queue#3.service_level"),
            "service_level_threshold_s"
        );
        assert_eq!(api_field("queue.id"), "queue.id");
    }
}
