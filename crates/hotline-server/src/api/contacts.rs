//! The CTI API for telephony and chat adapters: a contact arrives, is abandoned, asks for
//! a callback, is transferred, ends. Each call is answered once the event is durable.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use hotline_routing::{AgentId, ContactId, ContactState, Event, QueueId};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{rfc3339, ArriveIn, ContactOut, DecisionDto, EventAck, TransferIn};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::live;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::runtime::entry::{Attributes, ContactDetails};
use crate::runtime::{Applied, Input};
use crate::state::AppState;

/// Most attributes on one contact.
pub const MAX_ATTRIBUTES: usize = 32;
/// Longest attribute key.
pub const MAX_KEY_CHARS: usize = 64;
/// Longest attribute text value.
pub const MAX_VALUE_CHARS: usize = 1024;
/// Longest customer id.
pub const MAX_CUSTOMER_CHARS: usize = 128;
/// Largest priority boost either way.
pub const MAX_BOOST: i32 = 1000;
/// Attribute keys the server writes itself into the contact record.
const RESERVED_KEYS: &[&str] = &["vip", "routing"];

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, arrive))
        .routes(routes!(get_contact))
        .routes(routes!(abandon))
        .routes(routes!(callback))
        .routes(routes!(end))
        .routes(routes!(transfer))
}

/// The API answer for an applied event.
pub fn ack(
    applied: Applied,
    contact: Option<ContactOut>,
    agent: Option<super::dto::AgentOut>,
) -> EventAck {
    EventAck {
        seq: applied.seq,
        at: rfc3339(applied.at),
        contact,
        agent,
        decisions: applied.decisions.iter().map(DecisionDto::from).collect(),
    }
}

pub(crate) fn engine_queue(field: &str, id: i64) -> ApiResult<QueueId> {
    u32::try_from(id)
        .ok()
        .filter(|q| *q < QueueId::MAX)
        .map(QueueId)
        .ok_or_else(|| ApiError::invalid(field, id, "the id of a queue"))
}

fn check_attributes(attributes: &Attributes) -> ApiResult<()> {
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(ApiError::invalid(
            "attributes",
            format!("{} attributes", attributes.len()),
            &format!("at most {MAX_ATTRIBUTES} attributes"),
        ));
    }
    for (key, value) in attributes {
        let field = format!("attributes.{key}");
        let n = key.chars().count();
        if n == 0 || n > MAX_KEY_CHARS || key.chars().any(char::is_control) {
            return Err(ApiError::invalid(
                "attributes",
                format!("a key of {n} characters"),
                &format!("keys of 1 to {MAX_KEY_CHARS} characters without control characters"),
            ));
        }
        if RESERVED_KEYS.contains(&key.as_str()) {
            return Err(ApiError::invalid(
                field,
                "(reserved)",
                "a key other than vip and routing (use the vip field for VIP customers)",
            ));
        }
        // Values are personal data: never echo them in the error.
        match value {
            serde_json::Value::String(s) if s.chars().count() > MAX_VALUE_CHARS => {
                return Err(ApiError::invalid(
                    field,
                    format!("<{} characters>", s.chars().count()),
                    &format!("text of at most {MAX_VALUE_CHARS} characters"),
                ));
            }
            serde_json::Value::String(_)
            | serde_json::Value::Number(_)
            | serde_json::Value::Bool(_) => {}
            _ => {
                return Err(ApiError::invalid(
                    field,
                    "<a list, object or null>",
                    "a string, number or boolean",
                ))
            }
        }
    }
    Ok(())
}

/// A new contact enters a queue.
///
/// The answer (201) comes once the arrival is in the event log; its decisions say
/// whether it was offered to an agent at once or queued. With `estimate_wait` it also
/// carries the estimated wait, for the IVR to announce.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "cti", request_body = ArriveIn,
    responses((status = 201, body = EventAck),
        (status = 422, description = "Unknown queue or invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The event log is unavailable", body = Problem, content_type = "application/problem+json")))]
pub async fn arrive(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ArriveIn>,
) -> ApiResult<(StatusCode, Json<EventAck>)> {
    let queue = engine_queue("queue_id", body.queue_id)?;
    if let Some(c) = &body.customer_id {
        let n = c.chars().count();
        if n > MAX_CUSTOMER_CHARS || c.chars().any(char::is_control) {
            return Err(ApiError::invalid(
                "customer_id",
                format!("<{n} characters>"),
                &format!("at most {MAX_CUSTOMER_CHARS} characters without control characters"),
            ));
        }
    }
    if let Some(b) = body.priority_boost {
        if !(-MAX_BOOST..=MAX_BOOST).contains(&b) {
            return Err(ApiError::invalid(
                "priority_boost",
                b,
                &format!("an integer from -{MAX_BOOST} to {MAX_BOOST}"),
            ));
        }
    }
    check_attributes(&body.attributes)?;
    let channel = match body.channel {
        Some(c) => c,
        None => state
            .directory()
            .queues
            .get(&body.queue_id)
            .map(|q| crate::runtime::entry::Channel::from_store(q.channel))
            .unwrap_or_default(),
    };
    let boost = body.priority_boost.unwrap_or(if body.vip {
        state.settings().vip_boost
    } else {
        0
    });
    let applied = state
        .runtime()
        .apply(Input::Arrive {
            queue,
            priority_boost: boost,
            details: ContactDetails {
                channel,
                customer_id: body.customer_id,
                vip: body.vip,
                attributes: body.attributes,
            },
            estimate: body.estimate_wait,
        })
        .await?;
    let id = applied.contact_id.unwrap_or(ContactId(0));
    // The contact as the engine left it, without a second trip to the routing task.
    let mut contact = match &applied.contact {
        Some(view) => live::view_out(view),
        None => ContactOut {
            contact_id: id.0,
            queue_id: Some(queue.0),
            state: super::dto::ContactStateName::Ended,
            agent_id: None,
            callback: false,
            priority_boost: boost,
            routing_level: 0,
            entered_queue_at: None,
            estimated_wait_ms: None,
            details: None,
        },
    };
    contact.estimated_wait_ms = applied.estimated_wait.map(|w| w.as_millis());
    Ok((StatusCode::CREATED, Json(ack(applied, Some(contact), None))))
}

/// Filter for live contacts.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LiveFilter {
    /// Only this queue's.
    pub queue_id: Option<i64>,
    /// At most this many (default 1000, at most 10000).
    pub limit: Option<usize>,
}

/// Live contacts (waiting, ringing, connected), oldest first, with customer details.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "cti", params(LiveFilter),
    responses((status = 200, body = [ContactOut])))]
pub async fn list_contacts(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<LiveFilter>,
) -> ApiResult<Json<Vec<ContactOut>>> {
    let limit = filter.limit.unwrap_or(1000);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::new(
            Code::InvalidParameter,
            format!("limit = {limit} is not allowed: expected 1 to 10000"),
        )
        .with_field("limit"));
    }
    let queue = filter
        .queue_id
        .map(|q| engine_queue("queue_id", q))
        .transpose()?;
    let list = state
        .runtime()
        .query(move |live, _| {
            let mut views: Vec<_> = live
                .engine
                .contacts()
                .filter(|c| queue.is_none_or(|q| c.queue == q))
                .collect();
            views.sort_by_key(|c| (c.entered_queue, c.sequence));
            views.truncate(limit);
            views
                .iter()
                .map(|v| live::contact_view_out(live, v, true))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(Json(list))
}

/// A contact: where it is, with customer details. An agent sees only contacts offered or
/// connected to them.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "cti",
    params(("id" = u64, Path, description = "Contact id")),
    responses((status = 200, body = ContactOut),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_contact(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<ContactOut>> {
    let contact = ContactId(id);
    let (out, holder) = state
        .runtime()
        .query(move |live, _| {
            let holder = live.engine.contact(contact).and_then(|c| match c.state {
                ContactState::Offered(a) | ContactState::Connected(a) => Some(a),
                ContactState::Waiting => None,
            });
            let known =
                live.engine.contact(contact).is_some() || live.tracker.details(contact).is_some();
            (
                known.then(|| live::contact_out(live, contact, true)),
                holder,
            )
        })
        .await?;
    let out = out.ok_or_else(|| ApiError::not_found("live contact", id))?;
    if !principal.is_supervisor() {
        let me = principal.person_id().map(|p| p.0);
        if holder.map(|a| i64::from(a.0)) != me || me.is_none() {
            return Err(ApiError::forbidden(
                "an agent may see only the contacts offered or connected to them",
            ));
        }
    }
    Ok(Json(out))
}

async fn contact_event(
    state: &AppState,
    event: Event,
    contact: ContactId,
) -> ApiResult<Json<EventAck>> {
    let applied = state.runtime().apply(Input::Event(event)).await?;
    // The contact as the engine left it, without a second trip to the routing task.
    let out = match &applied.contact {
        Some(view) => live::view_out(view),
        None => ContactOut {
            contact_id: contact.0,
            queue_id: None,
            state: super::dto::ContactStateName::Ended,
            agent_id: None,
            callback: false,
            priority_boost: 0,
            routing_level: 0,
            entered_queue_at: None,
            estimated_wait_ms: None,
            details: None,
        },
    };
    Ok(Json(ack(applied, Some(out), None)))
}

/// For agents: the contact must be connected to them.
async fn require_own_connected(
    state: &AppState,
    principal: &Principal,
    contact: ContactId,
) -> ApiResult<()> {
    if principal.is_supervisor() {
        return Ok(());
    }
    let holder = state
        .runtime()
        .query(
            move |live, _| match live.engine.contact(contact).map(|c| c.state) {
                Some(ContactState::Connected(a)) => Some(a),
                _ => None,
            },
        )
        .await?;
    let me = principal
        .person_id()
        .and_then(|p| u32::try_from(p.0).ok())
        .map(AgentId);
    if holder.is_some() && holder == me {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "an agent may end or transfer only a contact connected to them",
        ))
    }
}

/// The customer hung up while waiting or ringing (or cancelled their callback).
#[utoipa::path(post, path = "/api/v1/contacts/{id}/abandon", tag = "cti",
    params(("id" = u64, Path, description = "Contact id")),
    responses((status = 200, body = EventAck),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Connected: use end", body = Problem, content_type = "application/problem+json")))]
pub async fn abandon(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<EventAck>> {
    contact_event(
        &state,
        Event::ContactAbandoned {
            contact: ContactId(id),
        },
        ContactId(id),
    )
    .await
}

/// The waiting customer asked to be called back: they hang up but keep their place.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/callback", tag = "cti",
    params(("id" = u64, Path, description = "Contact id")),
    responses((status = 200, body = EventAck),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not waiting", body = Problem, content_type = "application/problem+json")))]
pub async fn callback(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<EventAck>> {
    contact_event(
        &state,
        Event::CallbackRequested {
            contact: ContactId(id),
        },
        ContactId(id),
    )
    .await
}

/// A connected contact ended (hang-up, chat closed); the agent goes to wrap-up. An
/// agent may end only their own contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/end", tag = "cti",
    params(("id" = u64, Path, description = "Contact id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not connected", body = Problem, content_type = "application/problem+json")))]
pub async fn end(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<EventAck>> {
    require_own_connected(&state, &principal, ContactId(id)).await?;
    contact_event(
        &state,
        Event::ContactEnded {
            contact: ContactId(id),
        },
        ContactId(id),
    )
    .await
}

/// Move a contact to another queue: waiting or ringing (overflow), or connected (the
/// agent transfers it and goes to wrap-up). An agent may transfer only their own contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/transfer", tag = "cti", request_body = TransferIn,
    params(("id" = u64, Path, description = "Contact id")),
    responses((status = 200, body = EventAck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown queue", body = Problem, content_type = "application/problem+json")))]
pub async fn transfer(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<u64>,
    ApiJson(body): ApiJson<TransferIn>,
) -> ApiResult<Json<EventAck>> {
    let to = engine_queue("queue_id", body.queue_id)?;
    require_own_connected(&state, &principal, ContactId(id)).await?;
    contact_event(
        &state,
        Event::ContactTransferred {
            contact: ContactId(id),
            to,
        },
        ContactId(id),
    )
    .await
}
