//! Small builders shared by the test modules.

use hotline_store::*;
use serde_json::json;

pub fn skill(name: &str) -> NewSkill {
    NewSkill {
        name: name.to_owned(),
        description: String::new(),
    }
}

pub fn person(username: &str, role: Role, team: Option<TeamId>) -> NewPerson {
    NewPerson {
        username: username.to_owned(),
        display_name: format!("Person {username}"),
        role,
        tier: Tier::Junior,
        team_id: team,
        active: true,
        password_hash: None,
    }
}

pub fn queue(name: &str, skill: SkillId) -> QueueSettings {
    QueueSettings {
        name: name.to_owned(),
        channel: Channel::Voice,
        skill_id: skill,
        min_proficiency: Proficiency::MIN,
        base_priority: 0,
        aging_points_per_s: 0.0,
        aging_cap: None,
        service_level_threshold_s: 20,
        target_service_level_pct: 80.0,
        wrap_up: WrapUp::Fixed { seconds: 0 },
        expected_handle_time_s: None,
        routing_steps: Vec::new(),
    }
}

pub fn p(level: i64) -> Proficiency {
    Proficiency::parse("proficiency", level).unwrap()
}

/// A site, a department, a team; a skill, a queue; two agents in the team.
#[derive(Debug)]
pub struct Center {
    pub site: Site,
    pub department: Department,
    pub team: Team,
    pub skill: Skill,
    pub queue: Queue,
    pub ana: Person,
    pub bo: Person,
}

pub async fn center(store: &Store) -> Center {
    let site = store
        .create_site(&NewSite {
            name: "Madrid".into(),
            time_zone: "Europe/Madrid".into(),
        })
        .await
        .unwrap();
    let department = store
        .create_department(&NewDepartment {
            site_id: site.id,
            name: "Customer service".into(),
        })
        .await
        .unwrap();
    let team = store
        .create_team(&NewTeam {
            department_id: department.id,
            name: "Team 1".into(),
            leader_id: None,
        })
        .await
        .unwrap();
    let skill = store.create_skill(&skill("billing")).await.unwrap();
    let queue = store
        .create_queue(&queue("Billing", skill.id))
        .await
        .unwrap();
    let ana = store
        .create_person(&person("ana", Role::Agent, Some(team.id)))
        .await
        .unwrap();
    let bo = store
        .create_person(&person("bo", Role::Agent, Some(team.id)))
        .await
        .unwrap();
    Center {
        site,
        department,
        team,
        skill,
        queue,
        ana,
        bo,
    }
}

/// An answered contact: arrived at `at` s, waited 10 s, talked 100 s, wrapped up 20 s.
pub fn answered(id: &str, queue: QueueId, agent: PersonId, at: i64) -> ContactRecord {
    let arrived = at * 1000;
    ContactRecord {
        contact_id: id.to_owned(),
        queue_id: queue,
        channel: Channel::Voice,
        customer_id: format!("cust-{id}"),
        agent_id: Some(agent),
        arrived_at: TimestampMs(arrived),
        answered_at: Some(TimestampMs(arrived + 10_000)),
        ended_at: TimestampMs(arrived + 110_000),
        wrap_up_end_at: Some(TimestampMs(arrived + 130_000)),
        outcome: Outcome::Answered,
        wait_ms: DurationMs(10_000),
        talk_ms: DurationMs(100_000),
        hold_ms: DurationMs::ZERO,
        wrap_up_ms: DurationMs(20_000),
        transfers: 0,
        attributes: json!({"vip": false}),
    }
}

/// An abandoned contact: arrived at `at` s, hung up after 30 s.
pub fn abandoned(id: &str, queue: QueueId, at: i64) -> ContactRecord {
    let arrived = at * 1000;
    ContactRecord {
        contact_id: id.to_owned(),
        queue_id: queue,
        channel: Channel::Voice,
        customer_id: format!("cust-{id}"),
        agent_id: None,
        arrived_at: TimestampMs(arrived),
        answered_at: None,
        ended_at: TimestampMs(arrived + 30_000),
        wrap_up_end_at: None,
        outcome: Outcome::Abandoned,
        wait_ms: DurationMs(30_000),
        talk_ms: DurationMs::ZERO,
        hold_ms: DurationMs::ZERO,
        wrap_up_ms: DurationMs::ZERO,
        transfers: 0,
        attributes: json!({}),
    }
}

/// Asserts that `result` is an `Invalid` naming `field`.
#[track_caller]
pub fn assert_invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) {
    match result {
        Err(StoreError::Invalid { field: f, .. }) if f == field => {}
        other => panic!("expected Invalid for {field}, got {other:?}"),
    }
}

/// Asserts that `result` is a `Conflict` whose text contains `needle`.
#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, needle: &str) {
    match result {
        Err(StoreError::Conflict { what }) if what.contains(needle) => {}
        other => panic!("expected Conflict containing {needle:?}, got {other:?}"),
    }
}

/// Asserts that `result` is a `NotFound` for `entity` `id`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>, entity: &str, id: &str) {
    match result {
        Err(StoreError::NotFound { entity: e, id: i }) if e == entity && i == id => {}
        other => panic!("expected NotFound {entity} {id}, got {other:?}"),
    }
}
