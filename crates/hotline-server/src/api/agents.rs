//! The agent desktop: log in and out, ready, not ready with a reason, accept or reject an
//! offer, finish wrap-up. An agent acts only on themselves; supervisors on anyone.

use axum::extract::State;
use axum::Json;
use hotline_routing::{AgentId, ContactId, Event};
use hotline_store::PersonId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::contacts::ack;
use super::dto::{AgentOut, ContactRefIn, EventAck, NotReadyIn};
use super::extract::{ApiJson, ApiPath};
use super::live;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Problem};
use crate::runtime::Input;
use crate::state::AppState;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_agent))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(ready))
        .routes(routes!(not_ready))
        .routes(routes!(accept))
        .routes(routes!(reject))
        .routes(routes!(wrap_up_done))
}

fn agent_id(principal: &Principal, id: i64) -> ApiResult<AgentId> {
    principal.require_act_for(PersonId(id))?;
    u32::try_from(id)
        .ok()
        .filter(|a| *a < AgentId::MAX)
        .map(AgentId)
        .ok_or_else(|| ApiError::not_found("agent", id))
}

/// The agent's live state with the contacts they hold.
pub async fn agent_view(state: &AppState, agent: AgentId) -> ApiResult<AgentOut> {
    let mut out = state
        .runtime()
        .query(move |live, now| live::agent_out(live, now, agent, true))
        .await?
        .ok_or_else(|| ApiError::not_found("agent", agent.0))?;
    live::name_agents(std::slice::from_mut(&mut out), &state.directory());
    Ok(out)
}

async fn act(state: &AppState, agent: AgentId, event: Event) -> ApiResult<Json<EventAck>> {
    let applied = state.runtime().apply(Input::Event(event)).await?;
    let view = agent_view(state, agent).await?;
    Ok(Json(ack(applied, None, Some(view))))
}

/// An agent's live state: state, reason, time in state, the contacts they hold with
/// the customers' details.
#[utoipa::path(get, path = "/api/v1/agents/{id}", tag = "desktop",
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = AgentOut),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_agent(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AgentOut>> {
    let agent = agent_id(&principal, id)?;
    Ok(Json(agent_view(&state, agent).await?))
}

/// Log in to take contacts; the agent starts not ready (`logged_in`).
#[utoipa::path(post, path = "/api/v1/agents/{id}/login", tag = "desktop",
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already logged in", body = Problem, content_type = "application/problem+json")))]
pub async fn login(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    act(&state, agent, Event::AgentLoggedIn { agent }).await
}

/// Log out (refused while connected to a contact; a ringing offer goes back to its
/// place; a wrap-up ends).
#[utoipa::path(post, path = "/api/v1/agents/{id}/logout", tag = "desktop",
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn logout(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    act(&state, agent, Event::AgentLoggedOut { agent }).await
}

/// Ready for contacts; a waiting contact is offered at once if one fits.
#[utoipa::path(post, path = "/api/v1/agents/{id}/ready", tag = "desktop",
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not logged in", body = Problem, content_type = "application/problem+json")))]
pub async fn ready(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    act(&state, agent, Event::AgentReady { agent }).await
}

/// Not ready, with a reason from `GET /api/v1/reason-codes`.
#[utoipa::path(post, path = "/api/v1/agents/{id}/not-ready", tag = "desktop", request_body = NotReadyIn,
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown reason", body = Problem, content_type = "application/problem+json")))]
pub async fn not_ready(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NotReadyIn>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    let reason = crate::reasons::parse(&body.reason).ok_or_else(|| {
        ApiError::invalid(
            "reason",
            format!("{:?}", body.reason),
            &crate::reasons::allowed(),
        )
    })?;
    act(&state, agent, Event::AgentNotReady { agent, reason }).await
}

/// Accept the offered contact: connected.
#[utoipa::path(post, path = "/api/v1/agents/{id}/accept", tag = "desktop", request_body = ContactRefIn,
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No such offer", body = Problem, content_type = "application/problem+json")))]
pub async fn accept(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactRefIn>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    let contact = ContactId(body.contact_id);
    act(&state, agent, Event::OfferAccepted { agent, contact }).await
}

/// Reject the offered contact: it goes back to its place, the agent goes not ready
/// (`rejected`).
#[utoipa::path(post, path = "/api/v1/agents/{id}/reject", tag = "desktop", request_body = ContactRefIn,
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No such offer", body = Problem, content_type = "application/problem+json")))]
pub async fn reject(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactRefIn>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    let contact = ContactId(body.contact_id);
    act(&state, agent, Event::OfferRejected { agent, contact }).await
}

/// Wrap-up done for this contact: the slot is free again.
#[utoipa::path(post, path = "/api/v1/agents/{id}/wrap-up-done", tag = "desktop", request_body = ContactRefIn,
    params(("id" = i64, Path, description = "Agent (person) id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in wrap-up for it", body = Problem, content_type = "application/problem+json")))]
pub async fn wrap_up_done(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactRefIn>,
) -> ApiResult<Json<EventAck>> {
    let agent = agent_id(&principal, id)?;
    let contact = ContactId(body.contact_id);
    act(&state, agent, Event::WrapUpDone { agent, contact }).await
}
