//! Queues and their routing settings: skill and minimum proficiency, priority and aging,
//! service-level threshold and target, wrap-up, and bullseye routing steps (stored as
//! JSON; checked here with the same rules as the routing engine's `QueueConfig`, and
//! against the skills and teams that exist).

use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::db::{in_write_tx, on_read};
use crate::error::{on_unique, Result, StoreError};
use crate::ids::{QueueId, SkillId, TeamId};
use crate::org::count;
use crate::org::structure::MAX_NAME_CHARS;
use crate::values::{check_text, Channel, Proficiency};
use crate::Store;

/// Longest threshold, wrap-up or step delay: one day, in seconds.
pub const MAX_QUEUE_SECONDS: u32 = 24 * 3600;
/// Highest aging rate, in points per second (the routing engine's bound).
pub const MAX_AGING_RATE: f64 = 1_000_000.0;
/// Most routing steps per queue.
pub const MAX_ROUTING_STEPS: usize = 32;

/// What happens after a contact of this queue ends, before the agent is free again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum WrapUp {
    /// Exactly this long (0: none), unless the agent finishes earlier.
    Fixed {
        /// Seconds, `0 ..= 86400`.
        seconds: u32,
    },
    /// Until the agent says they are done.
    Manual,
}

/// What a routing step changes. Steps only widen the set of eligible agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepAction {
    /// Lower the minimum proficiency in the queue's own skill.
    RelaxProficiency {
        /// The new minimum, below the one in force before the step.
        min: Proficiency,
    },
    /// Also accept agents with this other skill at this level or better.
    AddSkill {
        /// The skill.
        skill_id: SkillId,
        /// Minimum proficiency in it.
        min: Proficiency,
    },
    /// Also accept every member of this team, whatever their skills (overflow).
    AddTeam {
        /// The team.
        team_id: TeamId,
    },
}

/// After a contact has waited `after_s` seconds in the queue, `action` applies (bullseye).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoutingStep {
    /// Seconds in the queue, `1 ..= 86400`, not decreasing from one step to the next.
    pub after_s: u32,
    /// What changes.
    pub action: StepAction,
}

/// A queue's settings, as given to create or replace it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueSettings {
    /// Unique name.
    pub name: String,
    /// Medium of its contacts.
    pub channel: Channel,
    /// The skill an agent needs.
    pub skill_id: SkillId,
    /// Minimum proficiency in `skill_id`.
    pub min_proficiency: Proficiency,
    /// Base priority points (higher is served first; VIP queues get more).
    pub base_priority: i32,
    /// Priority points gained per second waited, `0 ..= 1e6` (0: no aging).
    pub aging_points_per_s: f64,
    /// Cap on the points gained by aging; `None`: no cap.
    pub aging_cap: Option<u32>,
    /// Service-level threshold T in seconds (answered within T met the target), `1 ..= 86400`.
    pub service_level_threshold_s: u32,
    /// Target share answered within T, in percent `0 ..= 100` (the wallboard's colours).
    pub target_service_level_pct: f64,
    /// Wrap-up after each contact.
    pub wrap_up: WrapUp,
    /// Handle time the wait estimate assumes until the queue has observed some, in
    /// seconds `1 ..= 86400`; `None`: no estimate until then.
    pub expected_handle_time_s: Option<u32>,
    /// Bullseye steps, in non-decreasing `after_s`.
    pub routing_steps: Vec<RoutingStep>,
}

/// A stored queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Id.
    pub id: QueueId,
    /// Its settings.
    #[serde(flatten)]
    pub settings: QueueSettings,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: QueueId,
    name: String,
    channel: String,
    skill_id: SkillId,
    min_proficiency: i64,
    base_priority: i64,
    aging_points_per_s: f64,
    aging_cap: Option<i64>,
    service_level_threshold_s: i64,
    target_service_level_pct: f64,
    wrap_up_mode: String,
    wrap_up_s: Option<i64>,
    expected_handle_time_s: Option<i64>,
    routing_steps: Json<Vec<RoutingStep>>,
}

fn corrupt(column: &'static str, value: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table: "queues",
        column,
        value: value.to_string(),
    }
}

fn small(column: &'static str, v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| corrupt(column, v))
}

impl TryFrom<QueueRow> for Queue {
    type Error = StoreError;
    fn try_from(r: QueueRow) -> Result<Queue> {
        let wrap_up = match (r.wrap_up_mode.as_str(), r.wrap_up_s) {
            ("fixed", Some(s)) => WrapUp::Fixed {
                seconds: small("wrap_up_s", s)?,
            },
            ("manual", None) => WrapUp::Manual,
            (mode, _) => return Err(corrupt("wrap_up_mode", mode)),
        };
        Ok(Queue {
            id: r.id,
            settings: QueueSettings {
                name: r.name,
                channel: Channel::from_db("queues", "channel", r.channel)?,
                skill_id: r.skill_id,
                min_proficiency: Proficiency::from_db(
                    "queues",
                    "min_proficiency",
                    r.min_proficiency,
                )?,
                base_priority: i32::try_from(r.base_priority)
                    .map_err(|_| corrupt("base_priority", r.base_priority))?,
                aging_points_per_s: r.aging_points_per_s,
                aging_cap: r.aging_cap.map(|c| small("aging_cap", c)).transpose()?,
                service_level_threshold_s: small(
                    "service_level_threshold_s",
                    r.service_level_threshold_s,
                )?,
                target_service_level_pct: r.target_service_level_pct,
                wrap_up,
                expected_handle_time_s: r
                    .expected_handle_time_s
                    .map(|s| small("expected_handle_time_s", s))
                    .transpose()?,
                routing_steps: r.routing_steps.0,
            },
        })
    }
}

/// The skills and teams the routing steps name, with the step index.
struct StepReferences {
    skills: Vec<(usize, SkillId)>,
    teams: Vec<(usize, TeamId)>,
}

impl QueueSettings {
    /// Checks every field that needs no database lookup; returns the skills and teams
    /// the steps name, for the caller to check against the database.
    fn check(&self) -> Result<StepReferences> {
        check_text("name", &self.name, MAX_NAME_CHARS)?;
        let rate = self.aging_points_per_s;
        if !rate.is_finite() || !(0.0..=MAX_AGING_RATE).contains(&rate) {
            return Err(StoreError::invalid(
                "aging_points_per_s",
                rate,
                format!("a number from 0 to {MAX_AGING_RATE}"),
            ));
        }
        if !(1..=MAX_QUEUE_SECONDS).contains(&self.service_level_threshold_s) {
            return Err(StoreError::invalid(
                "service_level_threshold_s",
                self.service_level_threshold_s,
                format!("whole seconds from 1 to {MAX_QUEUE_SECONDS}"),
            ));
        }
        let pct = self.target_service_level_pct;
        if !pct.is_finite() || !(0.0..=100.0).contains(&pct) {
            return Err(StoreError::invalid(
                "target_service_level_pct",
                pct,
                "a percentage from 0 to 100",
            ));
        }
        if let WrapUp::Fixed { seconds } = self.wrap_up {
            if seconds > MAX_QUEUE_SECONDS {
                return Err(StoreError::invalid(
                    "wrap_up.seconds",
                    seconds,
                    format!("whole seconds from 0 to {MAX_QUEUE_SECONDS}"),
                ));
            }
        }
        if let Some(aht) = self.expected_handle_time_s {
            if !(1..=MAX_QUEUE_SECONDS).contains(&aht) {
                return Err(StoreError::invalid(
                    "expected_handle_time_s",
                    aht,
                    format!("whole seconds from 1 to {MAX_QUEUE_SECONDS}, or null"),
                ));
            }
        }
        if self.routing_steps.len() > MAX_ROUTING_STEPS {
            return Err(StoreError::invalid(
                "routing_steps",
                format!("{} steps", self.routing_steps.len()),
                format!("at most {MAX_ROUTING_STEPS} steps"),
            ));
        }
        // The same rules as the routing engine: every step widens eligibility.
        let mut min = self.min_proficiency;
        let mut skills: Vec<(SkillId, Proficiency)> = vec![(self.skill_id, min)];
        let mut teams: Vec<TeamId> = Vec::new();
        let mut named_skills = Vec::new();
        let mut previous = 0;
        for (i, step) in self.routing_steps.iter().enumerate() {
            let field = format!("routing_steps[{i}]");
            if step.after_s == 0 || step.after_s < previous || step.after_s > MAX_QUEUE_SECONDS {
                return Err(StoreError::invalid(
                    format!("{field}.after_s"),
                    step.after_s,
                    format!(
                        "whole seconds from 1 to {MAX_QUEUE_SECONDS}, not before the previous \
                         step ({previous} s)"
                    ),
                ));
            }
            previous = step.after_s;
            match step.action {
                StepAction::RelaxProficiency { min: new } => {
                    if new >= min {
                        return Err(StoreError::invalid(
                            format!("{field}.action.min"),
                            new,
                            format!("a proficiency below the {min} required before this step"),
                        ));
                    }
                    min = new;
                    skills[0].1 = new;
                }
                StepAction::AddSkill {
                    skill_id,
                    min: level,
                } => {
                    named_skills.push((i, skill_id));
                    if let Some(existing) = skills.iter_mut().find(|(s, _)| *s == skill_id) {
                        if level >= existing.1 {
                            return Err(StoreError::invalid(
                                format!("{field}.action"),
                                format!("add skill {skill_id} at {level}"),
                                format!(
                                    "a step that widens eligibility; skill {skill_id} is \
                                     already accepted at proficiency {}",
                                    existing.1
                                ),
                            ));
                        }
                        existing.1 = level;
                        if existing.0 == self.skill_id {
                            min = level;
                        }
                    } else {
                        skills.push((skill_id, level));
                    }
                }
                StepAction::AddTeam { team_id } => {
                    if teams.contains(&team_id) {
                        return Err(StoreError::invalid(
                            format!("{field}.action.team_id"),
                            team_id,
                            "a team not already opened by an earlier step",
                        ));
                    }
                    teams.push(team_id);
                }
            }
        }
        let named_teams = self
            .routing_steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s.action {
                StepAction::AddTeam { team_id } => Some((i, team_id)),
                _ => None,
            })
            .collect();
        Ok(StepReferences {
            skills: named_skills,
            teams: named_teams,
        })
    }
}

fn queue_taken(name: &str) -> impl FnOnce() -> String + '_ {
    move || format!("a queue named {name:?} already exists")
}

/// Checks, inside a write transaction, that the queue's skill and the skills and teams
/// its steps name exist.
macro_rules! check_references {
    ($tx:ident, $Db:ident, $q:expr, $skills:expr, $teams:expr) => {{
        if count!(
            &mut *$tx,
            $Db,
            "SELECT COUNT(*) FROM skills WHERE id = $1",
            $q.skill_id
        ) == 0
        {
            return Err(StoreError::invalid(
                "skill_id",
                $q.skill_id,
                "the id of an existing skill",
            ));
        }
        for (i, skill) in $skills {
            if count!(
                &mut *$tx,
                $Db,
                "SELECT COUNT(*) FROM skills WHERE id = $1",
                skill
            ) == 0
            {
                return Err(StoreError::invalid(
                    format!("routing_steps[{i}].action.skill_id"),
                    skill,
                    "the id of an existing skill",
                ));
            }
        }
        for (i, team) in $teams {
            if count!(
                &mut *$tx,
                $Db,
                "SELECT COUNT(*) FROM teams WHERE id = $1",
                team
            ) == 0
            {
                return Err(StoreError::invalid(
                    format!("routing_steps[{i}].action.team_id"),
                    team,
                    "the id of an existing team",
                ));
            }
        }
    }};
}

fn wrap_up_columns(w: WrapUp) -> (&'static str, Option<i64>) {
    match w {
        WrapUp::Fixed { seconds } => ("fixed", Some(i64::from(seconds))),
        WrapUp::Manual => ("manual", None),
    }
}

impl Store {
    /// Creates a queue.
    pub async fn create_queue(&self, q: &QueueSettings) -> Result<Queue> {
        let refs = q.check()?;
        let (mode, wrap_s) = wrap_up_columns(q.wrap_up);
        let row = in_write_tx!(self, |tx, Db| {
            check_references!(tx, Db, q, &refs.skills, &refs.teams);
            sqlx::query_as::<Db, QueueRow>(
                "INSERT INTO queues (name, channel, skill_id, min_proficiency, base_priority, \
                 aging_points_per_s, aging_cap, service_level_threshold_s, target_service_level_pct, \
                 wrap_up_mode, wrap_up_s, expected_handle_time_s, routing_steps) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 RETURNING id, name, channel, skill_id, min_proficiency, base_priority, \
                 aging_points_per_s, aging_cap, service_level_threshold_s, target_service_level_pct, \
                 wrap_up_mode, wrap_up_s, expected_handle_time_s, routing_steps",
            )
            .bind(&q.name)
            .bind(q.channel.as_str())
            .bind(q.skill_id)
            .bind(i64::from(q.min_proficiency.get()))
            .bind(i64::from(q.base_priority))
            .bind(q.aging_points_per_s)
            .bind(q.aging_cap.map(i64::from))
            .bind(i64::from(q.service_level_threshold_s))
            .bind(q.target_service_level_pct)
            .bind(mode)
            .bind(wrap_s)
            .bind(q.expected_handle_time_s.map(i64::from))
            .bind(Json(&q.routing_steps))
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique(queue_taken(&q.name)))?
        });
        row.try_into()
    }

    /// The queue `id`.
    pub async fn get_queue(&self, id: QueueId) -> Result<Queue> {
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, QueueRow>(
                "SELECT id, name, channel, skill_id, min_proficiency, base_priority, \
                 aging_points_per_s, aging_cap, service_level_threshold_s, target_service_level_pct, \
                 wrap_up_mode, wrap_up_s, expected_handle_time_s, routing_steps \
                 FROM queues WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(QueueId::ENTITY, id))?
            .try_into()
    }

    /// Every queue, by id.
    pub async fn list_queues(&self) -> Result<Vec<Queue>> {
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, QueueRow>(
                "SELECT id, name, channel, skill_id, min_proficiency, base_priority, \
                 aging_points_per_s, aging_cap, service_level_threshold_s, target_service_level_pct, \
                 wrap_up_mode, wrap_up_s, expected_handle_time_s, routing_steps \
                 FROM queues ORDER BY id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Queue::try_from).collect()
    }

    /// Replaces the settings of queue `id`.
    pub async fn update_queue(&self, id: QueueId, q: &QueueSettings) -> Result<Queue> {
        let refs = q.check()?;
        let (mode, wrap_s) = wrap_up_columns(q.wrap_up);
        let row = in_write_tx!(self, |tx, Db| {
            check_references!(tx, Db, q, &refs.skills, &refs.teams);
            sqlx::query_as::<Db, QueueRow>(
                "UPDATE queues SET name = $1, channel = $2, skill_id = $3, min_proficiency = $4, \
                 base_priority = $5, aging_points_per_s = $6, aging_cap = $7, \
                 service_level_threshold_s = $8, target_service_level_pct = $9, \
                 wrap_up_mode = $10, wrap_up_s = $11, expected_handle_time_s = $12, \
                 routing_steps = $13 WHERE id = $14 \
                 RETURNING id, name, channel, skill_id, min_proficiency, base_priority, \
                 aging_points_per_s, aging_cap, service_level_threshold_s, target_service_level_pct, \
                 wrap_up_mode, wrap_up_s, expected_handle_time_s, routing_steps",
            )
            .bind(&q.name)
            .bind(q.channel.as_str())
            .bind(q.skill_id)
            .bind(i64::from(q.min_proficiency.get()))
            .bind(i64::from(q.base_priority))
            .bind(q.aging_points_per_s)
            .bind(q.aging_cap.map(i64::from))
            .bind(i64::from(q.service_level_threshold_s))
            .bind(q.target_service_level_pct)
            .bind(mode)
            .bind(wrap_s)
            .bind(q.expected_handle_time_s.map(i64::from))
            .bind(Json(&q.routing_steps))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique(queue_taken(&q.name)))?
        });
        row.ok_or_else(|| StoreError::not_found(QueueId::ENTITY, id))?
            .try_into()
    }

    /// Deletes queue `id`; a conflict once it has contact records (reports need it).
    pub async fn delete_queue(&self, id: QueueId) -> Result<()> {
        in_write_tx!(self, |tx, Db| {
            let n = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM contact_records WHERE queue_id = $1",
                id
            );
            if n > 0 {
                return Err(StoreError::conflict(format!(
                    "queue {id} has {n} contact record(s); reports need it, so it cannot be deleted"
                )));
            }
            let done = sqlx::query::<Db>("DELETE FROM queues WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found(QueueId::ENTITY, id));
            }
        });
        Ok(())
    }

    /// Names of the queues whose routing steps open team `team`.
    pub(crate) async fn queues_referring_to_team(&self, team: TeamId) -> Result<Vec<String>> {
        Ok(self
            .list_queues()
            .await?
            .into_iter()
            .filter(|q| {
                q.settings
                    .routing_steps
                    .iter()
                    .any(|s| s.action == StepAction::AddTeam { team_id: team })
            })
            .map(|q| q.settings.name)
            .collect())
    }

    /// Names of the queues whose routing steps add skill `skill`.
    pub(crate) async fn queues_referring_to_skill_in_steps(
        &self,
        skill: SkillId,
    ) -> Result<Vec<String>> {
        Ok(self
            .list_queues()
            .await?
            .into_iter()
            .filter(|q| {
                q.settings.routing_steps.iter().any(
                    |s| matches!(s.action, StepAction::AddSkill { skill_id, .. } if skill_id == skill),
                )
            })
            .map(|q| q.settings.name)
            .collect())
    }
}
