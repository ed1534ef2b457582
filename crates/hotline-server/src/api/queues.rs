//! Queues and their routing settings. The engine's rules are checked before anything is
//! stored, and a change reaches the live engine right after the store (waiting contacts
//! keep their place and are re-levelled against new steps).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use hotline_routing::QueueId as EngineQueueId;
use hotline_store::{Queue, QueueId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{QueueIn, QueueOut};
use super::extract::{ApiJson, ApiPath};
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::org_sync;
use crate::reasons::{Reason, REASONS};
use crate::state::AppState;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_queues, create_queue))
        .routes(routes!(get_queue, update_queue, delete_queue))
        .routes(routes!(list_reasons))
}

/// Checks the settings with both the store's and the engine's rules (the id does not
/// matter to either).
fn check(body: &QueueIn) -> ApiResult<hotline_store::QueueSettings> {
    let settings = body.to_store()?;
    org_sync::queue_config(&Queue {
        id: QueueId(1),
        settings: settings.clone(),
    })?;
    Ok(settings)
}

async fn after_change(state: &AppState, id: QueueId) -> ApiResult<()> {
    org_sync::sync_queue(state.store(), state.runtime(), id).await?;
    state.refresh_directory().await
}

/// Every queue with its routing settings.
#[utoipa::path(get, path = "/api/v1/queues", tag = "queues",
    responses((status = 200, body = [QueueOut])))]
pub async fn list_queues(State(state): State<AppState>) -> ApiResult<Json<Vec<QueueOut>>> {
    Ok(Json(
        state
            .store()
            .list_queues()
            .await?
            .into_iter()
            .map(QueueOut::from)
            .collect(),
    ))
}

/// Create a queue; it takes contacts at once.
#[utoipa::path(post, path = "/api/v1/queues", tag = "queues", request_body = QueueIn,
    responses((status = 201, body = QueueOut),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid setting, naming the field", body = Problem, content_type = "application/problem+json")))]
pub async fn create_queue(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<QueueIn>,
) -> ApiResult<(StatusCode, Json<QueueOut>)> {
    let settings = check(&body)?;
    let queue = state.store().create_queue(&settings).await?;
    after_change(&state, queue.id).await?;
    tracing::info!(queue = queue.id.0, "queue created");
    Ok((StatusCode::CREATED, Json(queue.into())))
}

/// One queue.
#[utoipa::path(get, path = "/api/v1/queues/{id}", tag = "queues",
    params(("id" = i64, Path, description = "Queue id")),
    responses((status = 200, body = QueueOut), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_queue(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<QueueOut>> {
    Ok(Json(state.store().get_queue(QueueId(id)).await?.into()))
}

/// Replace a queue's settings; the live engine applies them at once.
#[utoipa::path(put, path = "/api/v1/queues/{id}", tag = "queues", request_body = QueueIn,
    params(("id" = i64, Path, description = "Queue id")),
    responses((status = 200, body = QueueOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_queue(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<QueueIn>,
) -> ApiResult<Json<QueueOut>> {
    let settings = check(&body)?;
    let queue = state.store().update_queue(QueueId(id), &settings).await?;
    after_change(&state, queue.id).await?;
    Ok(Json(queue.into()))
}

/// Delete a queue that holds no contact and has no history (contact records refer to
/// their queue).
#[utoipa::path(delete, path = "/api/v1/queues/{id}", tag = "queues",
    params(("id" = i64, Path, description = "Queue id")),
    responses((status = 204),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Contacts in it, or records refer to it", body = Problem, content_type = "application/problem+json")))]
pub async fn delete_queue(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.store().get_queue(QueueId(id)).await?;
    if let Ok(engine_id) = u32::try_from(id).map(EngineQueueId) {
        let busy = state
            .runtime()
            .query(move |live, _| {
                live.engine
                    .contacts()
                    .filter(|c| c.queue == engine_id)
                    .count()
                    + live
                        .engine
                        .agents()
                        .map(|a| a.contacts.iter().filter(|h| h.queue == engine_id).count())
                        .sum::<usize>()
            })
            .await?;
        if busy > 0 {
            return Err(ApiError::new(
                Code::InvalidState,
                format!("queue {id} still holds contacts (waiting, ringing, connected or in wrap-up); it can be deleted only when empty"),
            ));
        }
    }
    state.store().delete_queue(QueueId(id)).await?;
    after_change(&state, QueueId(id)).await?;
    tracing::info!(queue = id, "queue deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The not-ready reasons (agents pick by `name`; `automatic` ones the engine sets).
#[utoipa::path(get, path = "/api/v1/reason-codes", tag = "desktop",
    responses((status = 200, body = [Reason])))]
pub async fn list_reasons() -> Json<&'static [Reason]> {
    Json(REASONS)
}
