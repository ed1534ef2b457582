//! Sites, their departments and the departments' teams (with an optional team leader).
//! Deleting something that still has children is a conflict, never a cascade: a team
//! with members stays until its members are moved.

use serde::{Deserialize, Serialize};

use crate::db::{in_write_tx, on_read};
use crate::error::{on_unique, Result, StoreError};
use crate::ids::{DepartmentId, PersonId, SiteId, TeamId};
use crate::org::count;
use crate::values::{check_text, check_time_zone};
use crate::Store;

/// Longest name of a site, department, team, skill or queue, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A site as given to create or replace it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSite {
    /// Unique name.
    pub name: String,
    /// IANA time zone of the site (schedules and daily reports use it).
    pub time_zone: String,
}

/// A stored site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Site {
    /// Id.
    pub id: SiteId,
    /// Unique name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
}

/// A department as given to create or replace it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDepartment {
    /// The site it belongs to.
    pub site_id: SiteId,
    /// Name, unique within the site.
    pub name: String,
}

/// A stored department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Department {
    /// Id.
    pub id: DepartmentId,
    /// The site it belongs to.
    pub site_id: SiteId,
    /// Name, unique within the site.
    pub name: String,
}

/// A team as given to create or replace it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTeam {
    /// The department it belongs to.
    pub department_id: DepartmentId,
    /// Name, unique within the department.
    pub name: String,
    /// The team leader, if any (any existing person).
    pub leader_id: Option<PersonId>,
}

/// A stored team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Team {
    /// Id.
    pub id: TeamId,
    /// The department it belongs to.
    pub department_id: DepartmentId,
    /// Name, unique within the department.
    pub name: String,
    /// The team leader, if any.
    pub leader_id: Option<PersonId>,
}

impl NewSite {
    fn check(&self) -> Result<()> {
        check_text("name", &self.name, MAX_NAME_CHARS)?;
        check_time_zone("time_zone", &self.time_zone)
    }
}

impl NewDepartment {
    fn check(&self) -> Result<()> {
        check_text("name", &self.name, MAX_NAME_CHARS)
    }
}

impl NewTeam {
    fn check(&self) -> Result<()> {
        check_text("name", &self.name, MAX_NAME_CHARS)
    }
}

fn site_taken(name: &str) -> impl FnOnce() -> String + '_ {
    move || format!("a site named {name:?} already exists")
}

fn department_taken(d: &NewDepartment) -> impl FnOnce() -> String + '_ {
    move || {
        format!(
            "site {} already has a department named {:?}",
            d.site_id, d.name
        )
    }
}

fn team_taken(t: &NewTeam) -> impl FnOnce() -> String + '_ {
    move || {
        format!(
            "department {} already has a team named {:?}",
            t.department_id, t.name
        )
    }
}

fn missing(field: &str, id: impl ToString, entity: &str) -> StoreError {
    StoreError::invalid(field, id, format!("the id of an existing {entity}"))
}

impl Store {
    // ----- sites -------------------------------------------------------------------

    /// Creates a site.
    pub async fn create_site(&self, site: &NewSite) -> Result<Site> {
        site.check()?;
        let created = in_write_tx!(self, |tx, Db| {
            sqlx::query_as::<Db, Site>(
                "INSERT INTO sites (name, time_zone) VALUES ($1, $2) RETURNING id, name, time_zone",
            )
            .bind(&site.name)
            .bind(&site.time_zone)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique(site_taken(&site.name)))?
        });
        Ok(created)
    }

    /// The site `id`.
    pub async fn get_site(&self, id: SiteId) -> Result<Site> {
        on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Site>("SELECT id, name, time_zone FROM sites WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        })
        .ok_or_else(|| StoreError::not_found(SiteId::ENTITY, id))
    }

    /// Every site, by id.
    pub async fn list_sites(&self) -> Result<Vec<Site>> {
        Ok(on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Site>("SELECT id, name, time_zone FROM sites ORDER BY id")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Replaces the fields of site `id`.
    pub async fn update_site(&self, id: SiteId, site: &NewSite) -> Result<Site> {
        site.check()?;
        in_write_tx!(self, |tx, Db| {
            sqlx::query_as::<Db, Site>(
                "UPDATE sites SET name = $1, time_zone = $2 WHERE id = $3 \
                 RETURNING id, name, time_zone",
            )
            .bind(&site.name)
            .bind(&site.time_zone)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique(site_taken(&site.name)))?
        })
        .ok_or_else(|| StoreError::not_found(SiteId::ENTITY, id))
    }

    /// Deletes site `id`; a conflict while it has departments.
    pub async fn delete_site(&self, id: SiteId) -> Result<()> {
        in_write_tx!(self, |tx, Db| {
            let n = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM departments WHERE site_id = $1",
                id
            );
            if n > 0 {
                return Err(StoreError::conflict(format!(
                    "site {id} still has {n} department(s); delete or move them first"
                )));
            }
            let done = sqlx::query::<Db>("DELETE FROM sites WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found(SiteId::ENTITY, id));
            }
        });
        Ok(())
    }

    // ----- departments -------------------------------------------------------------

    /// Creates a department in an existing site.
    pub async fn create_department(&self, dept: &NewDepartment) -> Result<Department> {
        dept.check()?;
        let created = in_write_tx!(self, |tx, Db| {
            if count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM sites WHERE id = $1",
                dept.site_id
            ) == 0
            {
                return Err(missing("site_id", dept.site_id, "site"));
            }
            sqlx::query_as::<Db, Department>(
                "INSERT INTO departments (site_id, name) VALUES ($1, $2) \
                 RETURNING id, site_id, name",
            )
            .bind(dept.site_id)
            .bind(&dept.name)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique(department_taken(dept)))?
        });
        Ok(created)
    }

    /// The department `id`.
    pub async fn get_department(&self, id: DepartmentId) -> Result<Department> {
        on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Department>(
                "SELECT id, site_id, name FROM departments WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        })
        .ok_or_else(|| StoreError::not_found(DepartmentId::ENTITY, id))
    }

    /// Departments, of one site or of all, by id.
    pub async fn list_departments(&self, site: Option<SiteId>) -> Result<Vec<Department>> {
        Ok(on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Department>(
                "SELECT id, site_id, name FROM departments \
                 WHERE ($1 IS NULL OR site_id = $1) ORDER BY id",
            )
            .bind(site)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces the fields of department `id` (it may move to another site).
    pub async fn update_department(
        &self,
        id: DepartmentId,
        dept: &NewDepartment,
    ) -> Result<Department> {
        dept.check()?;
        in_write_tx!(self, |tx, Db| {
            if count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM sites WHERE id = $1",
                dept.site_id
            ) == 0
            {
                return Err(missing("site_id", dept.site_id, "site"));
            }
            sqlx::query_as::<Db, Department>(
                "UPDATE departments SET site_id = $1, name = $2 WHERE id = $3 \
                 RETURNING id, site_id, name",
            )
            .bind(dept.site_id)
            .bind(&dept.name)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique(department_taken(dept)))?
        })
        .ok_or_else(|| StoreError::not_found(DepartmentId::ENTITY, id))
    }

    /// Deletes department `id`; a conflict while it has teams.
    pub async fn delete_department(&self, id: DepartmentId) -> Result<()> {
        in_write_tx!(self, |tx, Db| {
            let n = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM teams WHERE department_id = $1",
                id
            );
            if n > 0 {
                return Err(StoreError::conflict(format!(
                    "department {id} still has {n} team(s); delete or move them first"
                )));
            }
            let done = sqlx::query::<Db>("DELETE FROM departments WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found(DepartmentId::ENTITY, id));
            }
        });
        Ok(())
    }

    // ----- teams -------------------------------------------------------------------

    /// Creates a team in an existing department, with an optional existing leader.
    pub async fn create_team(&self, team: &NewTeam) -> Result<Team> {
        team.check()?;
        let created = in_write_tx!(self, |tx, Db| {
            if count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM departments WHERE id = $1",
                team.department_id
            ) == 0
            {
                return Err(missing("department_id", team.department_id, "department"));
            }
            if let Some(leader) = team.leader_id {
                if count!(
                    &mut *tx,
                    Db,
                    "SELECT COUNT(*) FROM people WHERE id = $1",
                    leader
                ) == 0
                {
                    return Err(missing("leader_id", leader, "person"));
                }
            }
            sqlx::query_as::<Db, Team>(
                "INSERT INTO teams (department_id, name, leader_id) VALUES ($1, $2, $3) \
                 RETURNING id, department_id, name, leader_id",
            )
            .bind(team.department_id)
            .bind(&team.name)
            .bind(team.leader_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique(team_taken(team)))?
        });
        Ok(created)
    }

    /// The team `id`.
    pub async fn get_team(&self, id: TeamId) -> Result<Team> {
        on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Team>(
                "SELECT id, department_id, name, leader_id FROM teams WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        })
        .ok_or_else(|| StoreError::not_found(TeamId::ENTITY, id))
    }

    /// Teams, of one department or of all, by id.
    pub async fn list_teams(&self, department: Option<DepartmentId>) -> Result<Vec<Team>> {
        Ok(on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Team>(
                "SELECT id, department_id, name, leader_id FROM teams \
                 WHERE ($1 IS NULL OR department_id = $1) ORDER BY id",
            )
            .bind(department)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces the fields of team `id` (department, name, leader).
    pub async fn update_team(&self, id: TeamId, team: &NewTeam) -> Result<Team> {
        team.check()?;
        in_write_tx!(self, |tx, Db| {
            if count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM departments WHERE id = $1",
                team.department_id
            ) == 0
            {
                return Err(missing("department_id", team.department_id, "department"));
            }
            if let Some(leader) = team.leader_id {
                if count!(
                    &mut *tx,
                    Db,
                    "SELECT COUNT(*) FROM people WHERE id = $1",
                    leader
                ) == 0
                {
                    return Err(missing("leader_id", leader, "person"));
                }
            }
            sqlx::query_as::<Db, Team>(
                "UPDATE teams SET department_id = $1, name = $2, leader_id = $3 WHERE id = $4 \
                 RETURNING id, department_id, name, leader_id",
            )
            .bind(team.department_id)
            .bind(&team.name)
            .bind(team.leader_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(on_unique(team_taken(team)))?
        })
        .ok_or_else(|| StoreError::not_found(TeamId::ENTITY, id))
    }

    /// Deletes team `id`; a conflict while it has members or a queue's routing step
    /// opens it.
    pub async fn delete_team(&self, id: TeamId) -> Result<()> {
        let used_by = self.queues_referring_to_team(id).await?;
        in_write_tx!(self, |tx, Db| {
            let n = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM people WHERE team_id = $1",
                id
            );
            if n > 0 {
                return Err(StoreError::conflict(format!(
                    "team {id} still has {n} member(s); move them to another team first"
                )));
            }
            if let Some(queue) = used_by.first() {
                return Err(StoreError::conflict(format!(
                    "team {id} is opened by a routing step of queue {queue:?}; edit the queue first"
                )));
            }
            let done = sqlx::query::<Db>("DELETE FROM teams WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found(TeamId::ENTITY, id));
            }
        });
        Ok(())
    }
}
