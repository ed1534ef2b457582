//! People, their passwords and skills. Every change that matters to routing (active,
//! team, skills) is applied to the live engine right after the store, through the
//! routing task.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use hotline_routing::{AgentId, Presence};
use hotline_store::{
    NewPerson, PersonFilter, PersonId, PersonSkill, PersonUpdate, Role, SkillId, TeamId,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{PasswordIn, PersonIn, PersonOut, PersonUpdateIn, RoleDto, SkillLevel};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::{password, Principal};
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::org_sync;
use crate::state::AppState;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person, delete_person))
        .routes(routes!(set_password))
        .routes(routes!(get_skills, set_skills))
}

/// Filter for people.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeopleFilter {
    /// Only this team's members.
    pub team_id: Option<i64>,
    /// Only this role.
    pub role: Option<RoleDto>,
    /// Only active (true) or inactive (false) people.
    pub active: Option<bool>,
}

/// Only an admin may create, change or remove an admin, or make someone one.
fn check_admin_rights(principal: &Principal, roles: &[Role]) -> ApiResult<()> {
    if principal.role != Role::Admin && roles.contains(&Role::Admin) {
        return Err(ApiError::forbidden(
            "only an admin may create, change or remove an admin",
        ));
    }
    Ok(())
}

fn skills_of(field: &str, levels: &[SkillLevel]) -> ApiResult<Vec<PersonSkill>> {
    levels
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Ok(PersonSkill {
                skill_id: SkillId(s.skill_id),
                proficiency: hotline_store::Proficiency::parse(
                    &format!("{field}[{i}].proficiency"),
                    i64::from(s.proficiency),
                )?,
            })
        })
        .collect()
}

/// 409 while the person is logged in as an agent (they must log out first).
async fn require_logged_out(state: &AppState, id: PersonId, what: &str) -> ApiResult<()> {
    let Ok(agent) = u32::try_from(id.0).map(AgentId) else {
        return Ok(());
    };
    let presence = state
        .runtime()
        .query(move |live, _| live.engine.agent(agent).map(|a| a.presence))
        .await?;
    match presence {
        Some(p) if p != Presence::LoggedOut => Err(ApiError::new(
            Code::InvalidState,
            format!("person {id} is logged in as an agent; log them out before {what}"),
        )),
        _ => Ok(()),
    }
}

async fn after_change(state: &AppState, id: PersonId) -> ApiResult<()> {
    state.auth().forget_person(id);
    org_sync::sync_person(state.store(), state.runtime(), id).await?;
    state.refresh_directory().await
}

/// People, by id.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleFilter),
    responses((status = 200, body = [PersonOut])))]
pub async fn list_people(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<PeopleFilter>,
) -> ApiResult<Json<Vec<PersonOut>>> {
    let people = state
        .store()
        .list_people(&PersonFilter {
            team_id: filter.team_id.map(TeamId),
            role: filter.role.map(Role::from),
            active: filter.active,
        })
        .await?;
    Ok(Json(people.into_iter().map(PersonOut::from).collect()))
}

/// Create a person, with a password and skills; an active person becomes an agent of
/// the live engine at once (logged out).
#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = PersonIn,
    responses((status = 201, body = PersonOut),
        (status = 403, description = "Only an admin may create an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_person(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<PersonIn>,
) -> ApiResult<(StatusCode, Json<PersonOut>)> {
    let role = Role::from(body.role);
    check_admin_rights(&principal, &[role])?;
    let skills = skills_of("skills", &body.skills)?;
    let password_hash = match body.password {
        Some(p) => {
            password::check("password", &p)?;
            Some(password::hash(p, state.settings().password_cost).await?)
        }
        None => None,
    };
    let person = state
        .store()
        .create_person(&NewPerson {
            username: body.username,
            display_name: body.display_name,
            role,
            tier: body.tier.into(),
            team_id: body.team_id.map(TeamId),
            active: body.active,
            password_hash,
        })
        .await
        .map_err(ApiError::from)?;
    if !skills.is_empty() {
        if let Err(e) = state.store().set_person_skills(person.id, &skills).await {
            // Keep create all-or-nothing for the caller.
            let _ = state.store().delete_person(person.id).await;
            return Err(e.into());
        }
    }
    after_change(&state, person.id).await?;
    tracing::info!(person = person.id.0, "person created");
    Ok((StatusCode::CREATED, Json(person.into())))
}

/// One person (an agent may read only themselves).
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = PersonOut),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_person(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PersonOut>> {
    principal.require_read(PersonId(id))?;
    Ok(Json(state.store().get_person(PersonId(id)).await?.into()))
}

/// Replace a person's details. Deactivating a logged-in agent is refused (409).
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "people", request_body = PersonUpdateIn,
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = PersonOut),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_person(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PersonUpdateIn>,
) -> ApiResult<Json<PersonOut>> {
    let id = PersonId(id);
    let current = state.store().get_person(id).await?;
    let role = Role::from(body.role);
    check_admin_rights(&principal, &[role, current.role])?;
    if current.active && !body.active {
        require_logged_out(&state, id, "deactivating them").await?;
    }
    let person = state
        .store()
        .update_person(
            id,
            &PersonUpdate {
                username: body.username,
                display_name: body.display_name,
                role,
                tier: body.tier.into(),
                team_id: body.team_id.map(TeamId),
                active: body.active,
            },
        )
        .await?;
    after_change(&state, id).await?;
    Ok(Json(person.into()))
}

/// Delete a person who never took part in any contact (otherwise deactivate them: their
/// history refers to them).
#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Logged in, or referred to by history", body = Problem, content_type = "application/problem+json")))]
pub async fn delete_person(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let id = PersonId(id);
    let current = state.store().get_person(id).await?;
    check_admin_rights(&principal, &[current.role])?;
    if principal.person_id() == Some(id) {
        return Err(ApiError::new(Code::Conflict, "you cannot delete yourself"));
    }
    require_logged_out(&state, id, "deleting them").await?;
    state.store().delete_person(id).await?;
    after_change(&state, id).await?;
    tracing::info!(person = id.0, "person deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// Set a person's password (their sessions end).
#[utoipa::path(put, path = "/api/v1/people/{id}/password", tag = "people", request_body = PasswordIn,
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_password(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PasswordIn>,
) -> ApiResult<StatusCode> {
    let id = PersonId(id);
    let current = state.store().get_person(id).await?;
    check_admin_rights(&principal, &[current.role])?;
    password::check("password", &body.password)?;
    let hash = password::hash(body.password, state.settings().password_cost).await?;
    state.store().set_password_hash(id, Some(&hash)).await?;
    state.store().delete_sessions_of(id).await?;
    state.auth().forget_person(id);
    tracing::info!(person = id.0, "password set");
    Ok(StatusCode::NO_CONTENT)
}

/// A person's skills (an agent may read only their own).
#[utoipa::path(get, path = "/api/v1/people/{id}/skills", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = [SkillLevel]),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_skills(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<SkillLevel>>> {
    principal.require_read(PersonId(id))?;
    let skills = state.store().list_person_skills(PersonId(id)).await?;
    Ok(Json(
        skills
            .into_iter()
            .map(|s| SkillLevel {
                skill_id: s.skill_id.0,
                proficiency: s.proficiency.get(),
            })
            .collect(),
    ))
}

/// Replace a person's skills and proficiencies; the live engine routes by them at once
/// (a ready agent who becomes eligible for a waiting contact is offered it).
#[utoipa::path(put, path = "/api/v1/people/{id}/skills", tag = "people", request_body = [SkillLevel],
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = [SkillLevel]),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_skills(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Vec<SkillLevel>>,
) -> ApiResult<Json<Vec<SkillLevel>>> {
    let id = PersonId(id);
    let skills = skills_of("", &body)?;
    let stored = state.store().set_person_skills(id, &skills).await?;
    after_change(&state, id).await?;
    Ok(Json(
        stored
            .into_iter()
            .map(|s| SkillLevel {
                skill_id: s.skill_id.0,
                proficiency: s.proficiency.get(),
            })
            .collect(),
    ))
}
