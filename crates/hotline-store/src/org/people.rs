//! People (with role, tier, team and an opaque password hash) and their skills.
//!
//! People with history (contact records, agent state rows) or who lead a team cannot be
//! deleted: deactivate them instead (`active = false`), which also ends their sessions.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::db::{in_write_tx, on_read};
use crate::error::{on_unique, Result, StoreError};
use crate::ids::{PersonId, SkillId, TeamId};
use crate::org::count;
use crate::org::structure::MAX_NAME_CHARS;
use crate::values::{check_hash, check_text, check_username, Proficiency, Role, Tier};
use crate::Store;

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters.
pub(crate) const CHUNK: usize = 500;

/// A person as given to create them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    /// Login name, unique: 2–64 of `a-z 0-9 . _ - @`.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// What they may do.
    pub role: Role,
    /// Career tier.
    pub tier: Tier,
    /// Their team (none for admins and managers outside the floor).
    pub team_id: Option<TeamId>,
    /// Whether they can log in and take contacts.
    pub active: bool,
    /// Password hash (argon2 PHC string made by the server); `None`: cannot log in with a
    /// password until one is set.
    pub password_hash: Option<String>,
}

impl fmt::Debug for NewPerson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPerson")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("tier", &self.tier)
            .field("team_id", &self.team_id)
            .field("active", &self.active)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// The editable fields of a person (the password hash has its own method).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonUpdate {
    /// Login name, unique.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// What they may do.
    pub role: Role,
    /// Career tier.
    pub tier: Tier,
    /// Their team.
    pub team_id: Option<TeamId>,
    /// Whether they can log in; `false` also ends their sessions.
    pub active: bool,
}

/// A stored person. The password hash is never part of it (see [`Store::get_login`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Id.
    pub id: PersonId,
    /// Login name, unique.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// What they may do.
    pub role: Role,
    /// Career tier.
    pub tier: Tier,
    /// Their team.
    pub team_id: Option<TeamId>,
    /// Whether they can log in and take contacts.
    pub active: bool,
}

/// Which people to list; every `None` field matches all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFilter {
    /// Members of this team.
    pub team_id: Option<TeamId>,
    /// With this role.
    pub role: Option<Role>,
    /// Active or not.
    pub active: Option<bool>,
}

/// What the server needs to check a password login.
#[derive(Clone, PartialEq, Eq)]
pub struct Login {
    /// The person.
    pub person: Person,
    /// Their password hash, if one was set.
    pub password_hash: Option<String>,
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("person", &self.person)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// One skill of one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSkill {
    /// The skill.
    pub skill_id: SkillId,
    /// How well (1–5).
    pub proficiency: Proficiency,
}

/// One skill of one person, with the person (bulk loads and the routing engine's agents).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSkillRow {
    /// The person.
    pub person_id: PersonId,
    /// The skill.
    pub skill_id: SkillId,
    /// How well (1–5).
    pub proficiency: Proficiency,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: PersonId,
    username: String,
    display_name: String,
    role: String,
    tier: String,
    team_id: Option<TeamId>,
    active: bool,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(r: PersonRow) -> Result<Person> {
        Ok(Person {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: Role::from_db("people", "role", r.role)?,
            tier: Tier::from_db("people", "tier", r.tier)?,
            team_id: r.team_id,
            active: r.active,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SkillLevelRow {
    person_id: PersonId,
    skill_id: SkillId,
    proficiency: i64,
}

impl TryFrom<SkillLevelRow> for PersonSkillRow {
    type Error = StoreError;
    fn try_from(r: SkillLevelRow) -> Result<PersonSkillRow> {
        Ok(PersonSkillRow {
            person_id: r.person_id,
            skill_id: r.skill_id,
            proficiency: Proficiency::from_db("person_skills", "proficiency", r.proficiency)?,
        })
    }
}

fn check_person_fields(
    prefix: &str,
    username: &str,
    display_name: &str,
    password_hash: Option<&str>,
) -> Result<()> {
    check_username(&format!("{prefix}username"), username)?;
    check_text(
        &format!("{prefix}display_name"),
        display_name,
        MAX_NAME_CHARS * 2,
    )?;
    if let Some(hash) = password_hash {
        check_hash(&format!("{prefix}password_hash"), hash)?;
    }
    Ok(())
}

fn username_taken(username: &str) -> impl FnOnce() -> String + '_ {
    move || format!("the username {username:?} is already taken")
}

/// The ids among `ids` that exist in `$table`, as a `HashSet<i64>` (one query per
/// chunk, inside a repository body).
macro_rules! existing_ids {
    ($conn:expr, $Db:ident, $table:literal, $ids:expr) => {{
        let mut found: ::std::collections::HashSet<i64> = ::std::collections::HashSet::new();
        let ids: Vec<i64> = $ids;
        for chunk in ids.chunks($crate::org::people::CHUNK) {
            let mut qb = sqlx::QueryBuilder::<$Db>::new(concat!(
                "SELECT id FROM ",
                $table,
                " WHERE id IN ("
            ));
            let mut list = qb.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            qb.push(")");
            let rows: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *$conn).await?;
            found.extend(rows);
        }
        found
    }};
}

pub(crate) use existing_ids;

/// Refuses, inside a write transaction, a change that would leave no active admin:
/// `$keeps` says whether person `$id` stays an active admin after the change.
macro_rules! keep_an_admin {
    ($tx:ident, $Db:ident, $id:expr, $keeps:expr) => {{
        let is_admin = count!(
            &mut *$tx,
            $Db,
            "SELECT COUNT(*) FROM people WHERE id = $1 AND role = 'admin' AND active = TRUE",
            $id
        ) > 0;
        if is_admin && !$keeps {
            let others = count!(
                &mut *$tx,
                $Db,
                "SELECT COUNT(*) FROM people WHERE role = 'admin' AND active = TRUE AND id <> $1",
                $id
            );
            if others == 0 {
                return Err(StoreError::conflict(format!(
                    "person {} is the last active admin; make someone else admin first",
                    $id
                )));
            }
        }
    }};
}

impl Store {
    /// Creates one person.
    /// Errors name the field plainly: `username`.
    pub async fn create_person(&self, person: &NewPerson) -> Result<Person> {
        let mut created = self
            .insert_people(std::slice::from_ref(person), |_| String::new())
            .await?;
        Ok(created.remove(0))
    }

    /// Creates many people in one transaction (all or none), in order. Errors name the
    /// row: `people[12].username`.
    pub async fn create_people(&self, people: &[NewPerson]) -> Result<Vec<Person>> {
        self.insert_people(people, |i| format!("people[{i}]."))
            .await
    }

    /// Creates people; `prefix(i)` names row `i` in errors.
    async fn insert_people(
        &self,
        people: &[NewPerson],
        prefix: impl Fn(usize) -> String,
    ) -> Result<Vec<Person>> {
        let mut names = HashSet::new();
        for (i, p) in people.iter().enumerate() {
            check_person_fields(
                &prefix(i),
                &p.username,
                &p.display_name,
                p.password_hash.as_deref(),
            )?;
            if !names.insert(p.username.as_str()) {
                return Err(StoreError::conflict(format!(
                    "the username {:?} appears twice in the batch",
                    p.username
                )));
            }
        }
        let teams: BTreeSet<i64> = people
            .iter()
            .filter_map(|p| p.team_id)
            .map(|t| t.0)
            .collect();
        let created = in_write_tx!(self, |tx, Db| {
            let found = existing_ids!(tx, Db, "teams", teams.iter().copied().collect());
            if let Some((i, p)) = people
                .iter()
                .enumerate()
                .find(|(_, p)| p.team_id.is_some_and(|t| !found.contains(&t.0)))
            {
                return Err(StoreError::invalid(
                    format!("{}team_id", prefix(i)),
                    p.team_id.map_or(0, |t| t.0),
                    "the id of an existing team",
                ));
            }
            let mut out = Vec::with_capacity(people.len());
            for p in people {
                let row = sqlx::query_as::<Db, PersonRow>(
                    "INSERT INTO people (username, display_name, role, tier, team_id, active, password_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     RETURNING id, username, display_name, role, tier, team_id, active",
                )
                .bind(&p.username)
                .bind(&p.display_name)
                .bind(p.role.as_str())
                .bind(p.tier.as_str())
                .bind(p.team_id)
                .bind(p.active)
                .bind(p.password_hash.as_deref())
                .fetch_one(&mut *tx)
                .await
                .map_err(on_unique(username_taken(&p.username)))?;
                out.push(Person::try_from(row)?);
            }
            out
        });
        Ok(created)
    }

    /// The person `id`.
    pub async fn get_person(&self, id: PersonId) -> Result<Person> {
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, PersonRow>(
                "SELECT id, username, display_name, role, tier, team_id, active \
                 FROM people WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(PersonId::ENTITY, id))?
            .try_into()
    }

    /// The person with this username.
    pub async fn get_person_by_username(&self, username: &str) -> Result<Person> {
        let login = self.get_login(username).await?;
        login
            .map(|l| l.person)
            .ok_or_else(|| StoreError::not_found(PersonId::ENTITY, username))
    }

    /// The person with this username and their password hash, for a login; `None` when
    /// no such person exists (the server answers the same 401 either way).
    pub async fn get_login(&self, username: &str) -> Result<Option<Login>> {
        #[derive(sqlx::FromRow)]
        struct LoginRow {
            #[sqlx(flatten)]
            person: PersonRow,
            password_hash: Option<String>,
        }
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, LoginRow>(
                "SELECT id, username, display_name, role, tier, team_id, active, password_hash \
                 FROM people WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(pool)
            .await?
        });
        row.map(|r| {
            Ok(Login {
                person: r.person.try_into()?,
                password_hash: r.password_hash,
            })
        })
        .transpose()
    }

    /// People matching `filter`, by id.
    pub async fn list_people(&self, filter: &PersonFilter) -> Result<Vec<Person>> {
        let role = filter.role.map(Role::as_str);
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, PersonRow>(
                "SELECT id, username, display_name, role, tier, team_id, active FROM people \
                 WHERE ($1 IS NULL OR team_id = $1) AND ($2 IS NULL OR role = $2) \
                 AND ($3 IS NULL OR active = $3) ORDER BY id",
            )
            .bind(filter.team_id)
            .bind(role)
            .bind(filter.active)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Person::try_from).collect()
    }

    /// Replaces the editable fields of person `id`. Deactivating ends their sessions.
    /// The last active admin cannot be demoted or deactivated (nobody could manage
    /// people any more).
    pub async fn update_person(&self, id: PersonId, update: &PersonUpdate) -> Result<Person> {
        check_person_fields("", &update.username, &update.display_name, None)?;
        let row = in_write_tx!(self, |tx, Db| {
            keep_an_admin!(tx, Db, id, update.role == Role::Admin && update.active);
            if let Some(team) = update.team_id {
                if count!(
                    &mut *tx,
                    Db,
                    "SELECT COUNT(*) FROM teams WHERE id = $1",
                    team
                ) == 0
                {
                    return Err(StoreError::invalid(
                        "team_id",
                        team,
                        "the id of an existing team",
                    ));
                }
            }
            let row = sqlx::query_as::<Db, PersonRow>(
                "UPDATE people SET username = $1, display_name = $2, role = $3, tier = $4, \
                 team_id = $5, active = $6 WHERE id = $7 \
                 RETURNING id, username, display_name, role, tier, team_id, active",
            )
            .bind(&update.username)
            .bind(&update.display_name)
            .bind(update.role.as_str())
            .bind(update.tier.as_str())
            .bind(update.team_id)
            .bind(update.active)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique(username_taken(&update.username)))?;
            if row.is_some() && !update.active {
                sqlx::query::<Db>("DELETE FROM sessions WHERE person_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            row
        });
        row.ok_or_else(|| StoreError::not_found(PersonId::ENTITY, id))?
            .try_into()
    }

    /// Sets (or with `None` removes) the password hash of person `id`.
    pub async fn set_password_hash(&self, id: PersonId, hash: Option<&str>) -> Result<()> {
        if let Some(h) = hash {
            check_hash("password_hash", h)?;
        }
        let done = in_write_tx!(self, |tx, Db| {
            sqlx::query::<Db>("UPDATE people SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::not_found(PersonId::ENTITY, id));
        }
        Ok(())
    }

    /// Deletes person `id` with their skills and sessions. A conflict when they lead a
    /// team or have history (contact records, agent states): deactivate them instead;
    /// and for the last active admin.
    pub async fn delete_person(&self, id: PersonId) -> Result<()> {
        in_write_tx!(self, |tx, Db| {
            keep_an_admin!(tx, Db, id, false);
            let led = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM teams WHERE leader_id = $1",
                id
            );
            if led > 0 {
                return Err(StoreError::conflict(format!(
                    "person {id} leads {led} team(s); choose another leader first"
                )));
            }
            let records = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM contact_records WHERE agent_id = $1",
                id
            );
            let states = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM agent_states WHERE person_id = $1",
                id
            );
            if records + states > 0 {
                return Err(StoreError::conflict(format!(
                    "person {id} has history ({records} contact record(s), {states} state row(s)); deactivate them instead"
                )));
            }
            let done = sqlx::query::<Db>("DELETE FROM people WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found(PersonId::ENTITY, id));
            }
        });
        Ok(())
    }

    // ----- skills of people --------------------------------------------------------

    /// Replaces the skills of person `id` with `skills` (each skill at most once).
    pub async fn set_person_skills(
        &self,
        id: PersonId,
        skills: &[PersonSkill],
    ) -> Result<Vec<PersonSkill>> {
        let mut seen = HashSet::new();
        for (i, s) in skills.iter().enumerate() {
            if !seen.insert(s.skill_id) {
                return Err(StoreError::invalid(
                    format!("skills[{i}].skill_id"),
                    s.skill_id,
                    "each skill at most once",
                ));
            }
        }
        in_write_tx!(self, |tx, Db| {
            if count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM people WHERE id = $1",
                id
            ) == 0
            {
                return Err(StoreError::not_found(PersonId::ENTITY, id));
            }
            let found = existing_ids!(
                tx,
                Db,
                "skills",
                skills.iter().map(|s| s.skill_id.0).collect()
            );
            if let Some((i, s)) = skills
                .iter()
                .enumerate()
                .find(|(_, s)| !found.contains(&s.skill_id.0))
            {
                return Err(StoreError::invalid(
                    format!("skills[{i}].skill_id"),
                    s.skill_id,
                    "the id of an existing skill",
                ));
            }
            sqlx::query::<Db>("DELETE FROM person_skills WHERE person_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for chunk in skills.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO person_skills (person_id, skill_id, proficiency) ",
                );
                qb.push_values(chunk, |mut row, s| {
                    row.push_bind(id)
                        .push_bind(s.skill_id)
                        .push_bind(i64::from(s.proficiency.get()));
                });
                qb.build().execute(&mut *tx).await?;
            }
        });
        let mut out = skills.to_vec();
        out.sort_by_key(|s| s.skill_id);
        Ok(out)
    }

    /// Adds or changes many (person, skill, proficiency) rows in one transaction; rows
    /// for a pair that already exists replace its proficiency. For bulk loads.
    pub async fn upsert_person_skills(&self, rows: &[PersonSkillRow]) -> Result<()> {
        let people: BTreeSet<i64> = rows.iter().map(|r| r.person_id.0).collect();
        let skills: BTreeSet<i64> = rows.iter().map(|r| r.skill_id.0).collect();
        let mut seen = HashSet::new();
        for (i, r) in rows.iter().enumerate() {
            if !seen.insert((r.person_id, r.skill_id)) {
                return Err(StoreError::invalid(
                    format!("rows[{i}]"),
                    format!("person {} skill {}", r.person_id, r.skill_id),
                    "each (person, skill) pair at most once per batch",
                ));
            }
        }
        in_write_tx!(self, |tx, Db| {
            let found_people = existing_ids!(tx, Db, "people", people.iter().copied().collect());
            let found_skills = existing_ids!(tx, Db, "skills", skills.iter().copied().collect());
            for (i, r) in rows.iter().enumerate() {
                if !found_people.contains(&r.person_id.0) {
                    return Err(StoreError::invalid(
                        format!("rows[{i}].person_id"),
                        r.person_id,
                        "the id of an existing person",
                    ));
                }
                if !found_skills.contains(&r.skill_id.0) {
                    return Err(StoreError::invalid(
                        format!("rows[{i}].skill_id"),
                        r.skill_id,
                        "the id of an existing skill",
                    ));
                }
            }
            for chunk in rows.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO person_skills (person_id, skill_id, proficiency) ",
                );
                qb.push_values(chunk, |mut row, r| {
                    row.push_bind(r.person_id)
                        .push_bind(r.skill_id)
                        .push_bind(i64::from(r.proficiency.get()));
                });
                qb.push(
                    " ON CONFLICT (person_id, skill_id) DO UPDATE SET proficiency = excluded.proficiency",
                );
                qb.build().execute(&mut *tx).await?;
            }
        });
        Ok(())
    }

    /// The skills of person `id`, by skill id.
    pub async fn list_person_skills(&self, id: PersonId) -> Result<Vec<PersonSkill>> {
        let (exists, rows) = on_read!(self, |pool, Db| {
            let mut conn = pool.acquire().await?;
            let exists = count!(
                &mut *conn,
                Db,
                "SELECT COUNT(*) FROM people WHERE id = $1",
                id
            );
            let rows = sqlx::query_as::<Db, SkillLevelRow>(
                "SELECT person_id, skill_id, proficiency FROM person_skills \
                 WHERE person_id = $1 ORDER BY skill_id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            (exists, rows)
        });
        if exists == 0 {
            return Err(StoreError::not_found(PersonId::ENTITY, id));
        }
        rows.into_iter()
            .map(|r| {
                let r = PersonSkillRow::try_from(r)?;
                Ok(PersonSkill {
                    skill_id: r.skill_id,
                    proficiency: r.proficiency,
                })
            })
            .collect()
    }

    /// Every (person, skill, proficiency) row, by person then skill: what the routing
    /// engine needs to build its agents.
    pub async fn list_all_person_skills(&self) -> Result<Vec<PersonSkillRow>> {
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, SkillLevelRow>(
                "SELECT person_id, skill_id, proficiency FROM person_skills \
                 ORDER BY person_id, skill_id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(PersonSkillRow::try_from).collect()
    }
}
