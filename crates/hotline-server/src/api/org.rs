//! Sites, departments, teams and skills: plain store-backed CRUD (none of them changes
//! routing by itself; a person's team and skills do, see `people`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use hotline_store::{
    DepartmentId, NewDepartment, NewSite, NewSkill, NewTeam, PersonId, SiteId, SkillId, TeamId,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{
    DepartmentIn, DepartmentOut, SiteIn, SiteOut, SkillIn, SkillOut, TeamIn, TeamOut,
};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::error::{ApiResult, Problem};
use crate::state::AppState;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sites, create_site))
        .routes(routes!(get_site, update_site, delete_site))
        .routes(routes!(list_departments, create_department))
        .routes(routes!(
            get_department,
            update_department,
            delete_department
        ))
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team, update_team, delete_team))
        .routes(routes!(list_skills, create_skill))
        .routes(routes!(get_skill, update_skill, delete_skill))
}

// ----- sites ------------------------------------------------------------------------------

/// Every site.
#[utoipa::path(get, path = "/api/v1/sites", tag = "organisation",
    responses((status = 200, body = [SiteOut])))]
pub async fn list_sites(State(state): State<AppState>) -> ApiResult<Json<Vec<SiteOut>>> {
    Ok(Json(
        state
            .store()
            .list_sites()
            .await?
            .into_iter()
            .map(SiteOut::from)
            .collect(),
    ))
}

/// Create a site.
#[utoipa::path(post, path = "/api/v1/sites", tag = "organisation", request_body = SiteIn,
    responses((status = 201, body = SiteOut),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json")))]
pub async fn create_site(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SiteIn>,
) -> ApiResult<(StatusCode, Json<SiteOut>)> {
    let site = state
        .store()
        .create_site(&NewSite {
            name: body.name,
            time_zone: body.time_zone,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(site.into())))
}

/// One site.
#[utoipa::path(get, path = "/api/v1/sites/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Site id")),
    responses((status = 200, body = SiteOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_site(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SiteOut>> {
    Ok(Json(state.store().get_site(SiteId(id)).await?.into()))
}

/// Replace a site.
#[utoipa::path(put, path = "/api/v1/sites/{id}", tag = "organisation", request_body = SiteIn,
    params(("id" = i64, Path, description = "Site id")),
    responses((status = 200, body = SiteOut), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_site(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SiteIn>,
) -> ApiResult<Json<SiteOut>> {
    let site = state
        .store()
        .update_site(
            SiteId(id),
            &NewSite {
                name: body.name,
                time_zone: body.time_zone,
            },
        )
        .await?;
    Ok(Json(site.into()))
}

/// Delete a site (only without departments).
#[utoipa::path(delete, path = "/api/v1/sites/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Site id")),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still has departments", body = Problem, content_type = "application/problem+json")))]
pub async fn delete_site(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.store().delete_site(SiteId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- departments ------------------------------------------------------------------------

/// Filter for departments.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DepartmentFilter {
    /// Only this site's.
    pub site_id: Option<i64>,
}

/// Departments.
#[utoipa::path(get, path = "/api/v1/departments", tag = "organisation", params(DepartmentFilter),
    responses((status = 200, body = [DepartmentOut])))]
pub async fn list_departments(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<DepartmentFilter>,
) -> ApiResult<Json<Vec<DepartmentOut>>> {
    let list = state
        .store()
        .list_departments(filter.site_id.map(SiteId))
        .await?;
    Ok(Json(list.into_iter().map(DepartmentOut::from).collect()))
}

/// Create a department.
#[utoipa::path(post, path = "/api/v1/departments", tag = "organisation", request_body = DepartmentIn,
    responses((status = 201, body = DepartmentOut), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_department(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<DepartmentIn>,
) -> ApiResult<(StatusCode, Json<DepartmentOut>)> {
    let d = state
        .store()
        .create_department(&NewDepartment {
            site_id: SiteId(body.site_id),
            name: body.name,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// One department.
#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_department(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DepartmentOut>> {
    Ok(Json(
        state.store().get_department(DepartmentId(id)).await?.into(),
    ))
}

/// Replace a department.
#[utoipa::path(put, path = "/api/v1/departments/{id}", tag = "organisation", request_body = DepartmentIn,
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentOut), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_department(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DepartmentIn>,
) -> ApiResult<Json<DepartmentOut>> {
    let d = state
        .store()
        .update_department(
            DepartmentId(id),
            &NewDepartment {
                site_id: SiteId(body.site_id),
                name: body.name,
            },
        )
        .await?;
    Ok(Json(d.into()))
}

/// Delete a department (only without teams).
#[utoipa::path(delete, path = "/api/v1/departments/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_department(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.store().delete_department(DepartmentId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- teams ------------------------------------------------------------------------------

/// Filter for teams.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TeamFilter {
    /// Only this department's.
    pub department_id: Option<i64>,
}

/// Teams.
#[utoipa::path(get, path = "/api/v1/teams", tag = "organisation", params(TeamFilter),
    responses((status = 200, body = [TeamOut])))]
pub async fn list_teams(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<TeamFilter>,
) -> ApiResult<Json<Vec<TeamOut>>> {
    let list = state
        .store()
        .list_teams(filter.department_id.map(DepartmentId))
        .await?;
    Ok(Json(list.into_iter().map(TeamOut::from).collect()))
}

fn new_team(body: TeamIn) -> NewTeam {
    NewTeam {
        department_id: DepartmentId(body.department_id),
        name: body.name,
        leader_id: body.leader_id.map(PersonId),
    }
}

/// Create a team (with its team leader).
#[utoipa::path(post, path = "/api/v1/teams", tag = "organisation", request_body = TeamIn,
    responses((status = 201, body = TeamOut), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_team(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TeamIn>,
) -> ApiResult<(StatusCode, Json<TeamOut>)> {
    let t = state.store().create_team(&new_team(body)).await?;
    state.refresh_directory().await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// One team.
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Team id")),
    responses((status = 200, body = TeamOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_team(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TeamOut>> {
    Ok(Json(state.store().get_team(TeamId(id)).await?.into()))
}

/// Replace a team.
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "organisation", request_body = TeamIn,
    params(("id" = i64, Path, description = "Team id")),
    responses((status = 200, body = TeamOut), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_team(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TeamIn>,
) -> ApiResult<Json<TeamOut>> {
    let t = state
        .store()
        .update_team(TeamId(id), &new_team(body))
        .await?;
    state.refresh_directory().await?;
    Ok(Json(t.into()))
}

/// Delete a team (only without members, and not opened to a queue by a routing step).
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Team id")),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_team(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.store().delete_team(TeamId(id)).await?;
    state.refresh_directory().await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- skills -----------------------------------------------------------------------------

/// Every skill.
#[utoipa::path(get, path = "/api/v1/skills", tag = "organisation",
    responses((status = 200, body = [SkillOut])))]
pub async fn list_skills(State(state): State<AppState>) -> ApiResult<Json<Vec<SkillOut>>> {
    Ok(Json(
        state
            .store()
            .list_skills()
            .await?
            .into_iter()
            .map(SkillOut::from)
            .collect(),
    ))
}

/// Create a skill.
#[utoipa::path(post, path = "/api/v1/skills", tag = "organisation", request_body = SkillIn,
    responses((status = 201, body = SkillOut), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_skill(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SkillIn>,
) -> ApiResult<(StatusCode, Json<SkillOut>)> {
    let s = state
        .store()
        .create_skill(&NewSkill {
            name: body.name,
            description: body.description,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

/// One skill.
#[utoipa::path(get, path = "/api/v1/skills/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Skill id")),
    responses((status = 200, body = SkillOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_skill(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SkillOut>> {
    Ok(Json(state.store().get_skill(SkillId(id)).await?.into()))
}

/// Rename or describe a skill.
#[utoipa::path(put, path = "/api/v1/skills/{id}", tag = "organisation", request_body = SkillIn,
    params(("id" = i64, Path, description = "Skill id")),
    responses((status = 200, body = SkillOut), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_skill(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SkillIn>,
) -> ApiResult<Json<SkillOut>> {
    let s = state
        .store()
        .update_skill(
            SkillId(id),
            &NewSkill {
                name: body.name,
                description: body.description,
            },
        )
        .await?;
    Ok(Json(s.into()))
}

/// Delete a skill (only when no person and no queue uses it).
#[utoipa::path(delete, path = "/api/v1/skills/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Skill id")),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_skill(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.store().delete_skill(SkillId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
