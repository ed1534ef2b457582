//! Live state on request, push streams (server-sent events), and contact records.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::Json;
use futures_util::Stream;
use futures_util::StreamExt as _;
use hotline_routing::AgentId;
use hotline_store::{ContactCursor, ContactFilter, PersonId, QueueId, Role, TimestampMs};
use serde::Deserialize;
use tokio::sync::{broadcast, watch};
use tokio_stream::wrappers::WatchStream;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{AgentOut, OutcomeDto, QueueRealtime, RecordOut, RecordPage, Wallboard};
use super::extract::ApiQuery;
use super::live;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::runtime::tracker::DesktopEvent;
use crate::runtime::Push;
use crate::state::AppState;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queues))
        .routes(routes!(agents))
        .routes(routes!(wallboard_stream))
        .routes(routes!(desktop_stream))
        .routes(routes!(contact_records))
}

/// Live figures of every queue, now.
#[utoipa::path(get, path = "/api/v1/realtime/queues", tag = "live",
    responses((status = 200, body = [QueueRealtime])))]
pub async fn queues(State(state): State<AppState>) -> ApiResult<Json<Vec<QueueRealtime>>> {
    let mut list = state.runtime().query(live::queues).await?;
    live::name_queues(&mut list, &state.directory());
    Ok(Json(list))
}

/// Filter for the agents' live states.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AgentsFilter {
    /// Include logged-out agents (default false).
    #[serde(default)]
    pub logged_out: bool,
}

/// Every agent's state, reason and time in state, now.
#[utoipa::path(get, path = "/api/v1/realtime/agents", tag = "live", params(AgentsFilter),
    responses((status = 200, body = [AgentOut])))]
pub async fn agents(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<AgentsFilter>,
) -> ApiResult<Json<Vec<AgentOut>>> {
    let logged_out = filter.logged_out;
    let mut list = state
        .runtime()
        .query(move |l, now| live::agents(l, now, logged_out))
        .await?;
    live::name_agents(&mut list, &state.directory());
    Ok(Json(list))
}

/// The wallboard as a stream of server-sent events: one `wallboard` event (a
/// [`Wallboard`] document) at once, then whenever figures change (at most once per
/// second) and every five seconds regardless (times in state move on).
#[utoipa::path(get, path = "/api/v1/stream/wallboard", tag = "live",
    responses((status = 200, description = "`text/event-stream` of `wallboard` events, each a Wallboard", body = Wallboard, content_type = "text/event-stream")))]
pub async fn wallboard_stream(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let stream = WatchStream::new(state.wallboard())
        .filter_map(|w| futures_util::future::ready(w.map(|w| Ok(sse("wallboard", &*w)))))
        .take_until(state.closing());
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Which desktop to follow.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DesktopFilter {
    /// The agent (supervisors may follow anyone; agents only themselves, the default).
    pub agent_id: Option<i64>,
}

struct Desktop {
    state: AppState,
    agent: AgentId,
    rx: broadcast::Receiver<Arc<Push>>,
    queue: VecDeque<SseEvent>,
    snapshot: bool,
}

fn sse(name: &str, data: &impl serde::Serialize) -> SseEvent {
    SseEvent::default()
        .event(name)
        .json_data(data)
        .unwrap_or_else(|_| SseEvent::default().comment("encoding failed"))
}

fn event_name(e: &DesktopEvent) -> &'static str {
    match e {
        DesktopEvent::State { .. } => "state",
        DesktopEvent::Offer { .. } => "offer",
        DesktopEvent::OfferWithdrawn { .. } => "offer_withdrawn",
        DesktopEvent::RingNoAnswer { .. } => "ring_no_answer",
        DesktopEvent::Answered { .. } => "answered",
        DesktopEvent::ContactEnded { .. } => "contact_ended",
        DesktopEvent::WrapUpStarted { .. } => "wrap_up_started",
        DesktopEvent::WrapUpEnded { .. } => "wrap_up_ended",
    }
}

/// One agent's desktop as a stream of server-sent events: first a `snapshot` (an
/// [`AgentOut`] with held contacts and customer details), then `state`, `offer` (with
/// the customer's details and wait), `offer_withdrawn`, `ring_no_answer`, `answered`,
/// `contact_ended`, `wrap_up_started`, `wrap_up_ended` as they commit; each a
/// [`DesktopEvent`]. After a gap (a slow client) a fresh `snapshot` follows.
#[utoipa::path(get, path = "/api/v1/stream/desktop", tag = "live", params(DesktopFilter),
    responses((status = 200, description = "`text/event-stream`: `snapshot` (AgentOut), then DesktopEvent events", body = DesktopEvent, content_type = "text/event-stream"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn desktop_stream(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(filter): ApiQuery<DesktopFilter>,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let id = match (filter.agent_id, principal.person_id()) {
        (Some(id), _) => id,
        (None, Some(me)) => me.0,
        (None, None) => {
            return Err(ApiError::new(
                Code::InvalidParameter,
                "agent_id is required with an API key",
            )
            .with_field("agent_id"))
        }
    };
    principal.require_act_for(PersonId(id))?;
    let agent = u32::try_from(id)
        .ok()
        .map(AgentId)
        .ok_or_else(|| ApiError::not_found("agent", id))?;
    // Subscribe before the snapshot so nothing falls between them.
    let rx = state.runtime().subscribe();
    super::agents::agent_view(&state, agent).await?;
    let state_closing = state.closing();
    let desktop = Desktop {
        state,
        agent,
        rx,
        queue: VecDeque::new(),
        snapshot: true,
    };
    let closing = state_closing;
    let stream = futures_util::stream::unfold(desktop, |mut d| async move {
        loop {
            if let Some(e) = d.queue.pop_front() {
                return Some((Ok(e), d));
            }
            if d.snapshot {
                d.snapshot = false;
                match super::agents::agent_view(&d.state, d.agent).await {
                    Ok(view) => d.queue.push_back(sse("snapshot", &view)),
                    Err(_) => return None,
                }
                continue;
            }
            match d.rx.recv().await {
                Ok(push) => {
                    for (a, e) in &push.desktop {
                        if *a == d.agent {
                            d.queue.push_back(sse(event_name(e), e));
                        }
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => d.snapshot = true,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(stream.take_until(closing)).keep_alive(KeepAlive::default()))
}

/// Filter and page of contact records.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    /// Arrived at or after (RFC 3339).
    pub from: Option<String>,
    /// Arrived before (RFC 3339).
    pub to: Option<String>,
    /// Only this queue's (where they ended).
    pub queue_id: Option<i64>,
    /// Only this agent's (an agent always gets only their own).
    pub agent_id: Option<i64>,
    /// Only this outcome.
    pub outcome: Option<OutcomeDto>,
    /// Page size, 1 to 1000 (default 100).
    pub limit: Option<u32>,
    /// The `next` of the previous page.
    pub after: Option<String>,
}

fn timestamp(field: &str, text: &str) -> ApiResult<TimestampMs> {
    text.parse::<jiff::Timestamp>()
        .map(TimestampMs::from_jiff)
        .map_err(|_| {
            ApiError::new(
                Code::InvalidParameter,
                format!("{field} = {text:?} is not allowed: expected an RFC 3339 time such as 2026-11-23T08:00:00Z"),
            )
            .with_field(field)
        })
}

/// Finished contacts, oldest arrival first, a page at a time. Agents get only the
/// contacts they handled.
#[utoipa::path(get, path = "/api/v1/contact-records", tag = "records", params(RecordQuery),
    responses((status = 200, body = RecordPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn contact_records(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> ApiResult<Json<RecordPage>> {
    let mut agent = q.agent_id.map(PersonId);
    if principal.role == Role::Agent {
        let me = principal
            .person_id()
            .ok_or_else(|| ApiError::forbidden("an agent API key has no records of its own"))?;
        if agent.is_some_and(|a| a != me) {
            return Err(ApiError::forbidden(
                "an agent may read only their own contact records",
            ));
        }
        agent = Some(me);
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::new(
            Code::InvalidParameter,
            format!("limit = {limit} is not allowed: expected 1 to 1000"),
        )
        .with_field("limit"));
    }
    let filter = ContactFilter {
        from: q
            .from
            .as_deref()
            .map(|t| timestamp("from", t))
            .transpose()?,
        to: q.to.as_deref().map(|t| timestamp("to", t)).transpose()?,
        queue_id: q.queue_id.map(QueueId),
        agent_id: agent,
        outcome: q.outcome.map(Into::into),
        limit,
        after: q
            .after
            .as_deref()
            .map(|a| ContactCursor::parse("after", a))
            .transpose()
            .map_err(|e| ApiError::from(e).with_field("after"))?,
    };
    let page = state
        .store()
        .list_contact_records(&filter)
        .await
        .map_err(|e| {
            let mut e = ApiError::from(e);
            if e.code == Code::InvalidField {
                e.code = Code::InvalidParameter;
            }
            e
        })?;
    Ok(Json(RecordPage {
        records: page.records.into_iter().map(RecordOut::from).collect(),
        next: page.next.map(|c| c.to_string()),
    }))
}

/// Keeps the wallboard current: rebuilt when the figures changed (at most every
/// `interval`) and every five seconds regardless; also sets the queue gauges.
pub(crate) fn spawn_publisher(
    state: AppState,
    tx: watch::Sender<Option<Arc<Wallboard>>>,
    interval: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut push = state.runtime().subscribe();
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut dirty = true;
        let mut last = Instant::now();
        loop {
            tokio::select! {
                r = push.recv() => match r {
                    Ok(p) => dirty |= p.wallboard_changed,
                    Err(broadcast::error::RecvError::Lagged(_)) => dirty = true,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = tick.tick() => {
                    if !dirty && last.elapsed() < Duration::from_secs(5) {
                        continue;
                    }
                    dirty = false;
                    last = Instant::now();
                    let Ok(mut board) = state.runtime().query(live::wallboard).await else {
                        continue;
                    };
                    live::name_wallboard(&mut board, &state.directory());
                    gauges(&board);
                    tx.send_replace(Some(Arc::new(board)));
                }
            }
        }
    })
}

fn gauges(board: &Wallboard) {
    for q in &board.queues {
        let name = q.name.clone().unwrap_or_else(|| q.queue_id.to_string());
        metrics::gauge!("hotline_queue_waiting", "queue" => name.clone()).set(f64::from(q.waiting));
        metrics::gauge!("hotline_queue_oldest_wait_seconds", "queue" => name.clone())
            .set(q.oldest_wait_ms.unwrap_or(0) as f64 / 1000.0);
        if let Some(sl) = q.service_level.of_offered {
            metrics::gauge!("hotline_queue_service_level", "queue" => name).set(sl);
        }
    }
    let t = &board.totals;
    for (state, n) in [
        ("available", t.available),
        ("offered", t.offered),
        ("on_contact", t.on_contact),
        ("wrap_up", t.wrap_up),
    ] {
        metrics::gauge!("hotline_agents", "state" => state).set(f64::from(n));
    }
    let not_ready: u32 = t.not_ready.iter().map(|r| r.count).sum();
    metrics::gauge!("hotline_agents", "state" => "not_ready").set(f64::from(not_ready));
}
