//! Skills (billing, faults, Spanish, …). A skill held by people or required by a queue
//! cannot be deleted.

use serde::{Deserialize, Serialize};

use crate::db::{in_write_tx, on_read};
use crate::error::{on_unique, Result, StoreError};
use crate::ids::SkillId;
use crate::org::count;
use crate::org::structure::MAX_NAME_CHARS;
use crate::values::check_text;
use crate::Store;

/// Longest skill description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// A skill as given to create or replace it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSkill {
    /// Unique name.
    pub name: String,
    /// Free text, may be empty.
    #[serde(default)]
    pub description: String,
}

/// A stored skill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Skill {
    /// Id.
    pub id: SkillId,
    /// Unique name.
    pub name: String,
    /// Free text.
    pub description: String,
}

impl NewSkill {
    fn check(&self) -> Result<()> {
        check_text("name", &self.name, MAX_NAME_CHARS)?;
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(StoreError::invalid(
                "description",
                format!("<{} characters>", self.description.chars().count()),
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        Ok(())
    }
}

fn skill_taken(name: &str) -> impl FnOnce() -> String + '_ {
    move || format!("a skill named {name:?} already exists")
}

impl Store {
    /// Creates a skill.
    pub async fn create_skill(&self, skill: &NewSkill) -> Result<Skill> {
        skill.check()?;
        let created = in_write_tx!(self, |tx, Db| {
            sqlx::query_as::<Db, Skill>(
                "INSERT INTO skills (name, description) VALUES ($1, $2) \
                 RETURNING id, name, description",
            )
            .bind(&skill.name)
            .bind(&skill.description)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique(skill_taken(&skill.name)))?
        });
        Ok(created)
    }

    /// The skill `id`.
    pub async fn get_skill(&self, id: SkillId) -> Result<Skill> {
        on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Skill>("SELECT id, name, description FROM skills WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        })
        .ok_or_else(|| StoreError::not_found(SkillId::ENTITY, id))
    }

    /// Every skill, by id.
    pub async fn list_skills(&self) -> Result<Vec<Skill>> {
        Ok(on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Skill>("SELECT id, name, description FROM skills ORDER BY id")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Replaces the fields of skill `id`.
    pub async fn update_skill(&self, id: SkillId, skill: &NewSkill) -> Result<Skill> {
        skill.check()?;
        in_write_tx!(self, |tx, Db| {
            sqlx::query_as::<Db, Skill>(
                "UPDATE skills SET name = $1, description = $2 WHERE id = $3 \
                 RETURNING id, name, description",
            )
            .bind(&skill.name)
            .bind(&skill.description)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique(skill_taken(&skill.name)))?
        })
        .ok_or_else(|| StoreError::not_found(SkillId::ENTITY, id))
    }

    /// Deletes skill `id`; a conflict while people hold it or a queue needs it (as its
    /// skill or in a routing step).
    pub async fn delete_skill(&self, id: SkillId) -> Result<()> {
        let steps = self.queues_referring_to_skill_in_steps(id).await?;
        in_write_tx!(self, |tx, Db| {
            let held = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM person_skills WHERE skill_id = $1",
                id
            );
            if held > 0 {
                return Err(StoreError::conflict(format!(
                    "skill {id} is held by {held} person(s); remove it from them first"
                )));
            }
            let queues = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM queues WHERE skill_id = $1",
                id
            );
            if queues > 0 {
                return Err(StoreError::conflict(format!(
                    "skill {id} is the skill of {queues} queue(s); change those queues first"
                )));
            }
            if let Some(queue) = steps.first() {
                return Err(StoreError::conflict(format!(
                    "skill {id} is used by a routing step of queue {queue:?}; edit the queue first"
                )));
            }
            let done = sqlx::query::<Db>("DELETE FROM skills WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found(SkillId::ENTITY, id));
            }
        });
        Ok(())
    }
}
