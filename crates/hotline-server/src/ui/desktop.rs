//! The agent desktop: state, ready / not ready with a reason, the ringing offer with the
//! customer's details and wait, the connected contact, wrap-up.
//!
//! The buttons call the desktop API (`POST /api/v1/agents/{id}/ready`, `…/not-ready`,
//! `…/accept`, `…/reject`, `…/wrap-up-done`, `…/login`, `…/logout`,
//! `POST /api/v1/contacts/{id}/end`) from the browser with the session cookie. The
//! script follows `GET /api/v1/stream/desktop?agent_id=…` and, on each event, fetches
//! `/desktop/panel` — this module's rendering of `GET /api/v1/agents/{id}` — so the
//! offer shows up the moment the engine makes it. Customer details are shown, never
//! logged.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use hotline_routing::AgentId;
use hotline_store::Role;
use serde::Deserialize;

use super::format;
use super::i18n::{fill, Texts};
use super::page::{self, Chrome, Section, Viewer};
use super::wallboard::{reason_words, state_words};
use crate::api::dto::{AgentOut, AgentStateName, PhaseDto};
use crate::runtime::entry::Channel;
use crate::state::AppState;

/// A contact on the desktop.
#[derive(Clone, Debug)]
pub struct HeldView {
    /// Contact id (for the API calls).
    pub contact_id: u64,
    /// Queue name.
    pub queue: String,
    /// The customer's name (the IVR's `name` attribute), else their id, else "unknown
    /// customer".
    pub customer: String,
    /// Their id under the name, when both are known.
    pub customer_id: Option<String>,
    /// Ringing (its wait is shown).
    pub ringing: bool,
    /// A VIP (gold club) customer.
    pub vip: bool,
    /// A callback to make.
    pub callback: bool,
    /// Channel in words.
    pub channel: &'static str,
    /// Wait from entering the queue to now (offers) — ticks in the browser.
    pub waited_ms: u64,
    /// It, formatted.
    pub waited: String,
    /// Time in the conversation so far (connected contacts) — ticks in the browser.
    pub talked_ms: Option<u64>,
    /// It, formatted.
    pub talked: String,
    /// The IVR's attributes, as (key, value) text.
    pub attributes: Vec<(String, String)>,
}

/// A not-ready reason in the picker.
#[derive(Clone, Debug)]
pub struct ReasonOption {
    /// API name.
    pub name: &'static str,
    /// Words.
    pub label: String,
    /// The reason in force.
    pub selected: bool,
}

/// An agent a supervisor can open.
#[derive(Clone, Debug)]
pub struct AgentChoice {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The one shown.
    pub selected: bool,
}

/// Everything the desktop panel shows.
#[derive(Clone, Debug)]
pub struct Desk {
    /// State CSS class.
    pub state_class: &'static str,
    /// State words.
    pub state: &'static str,
    /// Not-ready reason words.
    pub reason: Option<String>,
    /// Time in state, ms.
    pub time_ms: Option<u64>,
    /// It, formatted.
    pub time: String,
    /// Logged out of the queues.
    pub logged_out: bool,
    /// Presence ready (free or busy): no "Ready" button.
    pub ready: bool,
    /// Presence not ready while still holding a contact ("pending not ready").
    pub pending_not_ready: Option<String>,
    /// Connected to a contact (log out is refused then).
    pub connected_now: bool,
    /// The reason picker.
    pub reasons: Vec<ReasonOption>,
    /// Ringing offers.
    pub offers: Vec<HeldView>,
    /// Connected contacts.
    pub connected: Vec<HeldView>,
    /// Contacts in wrap-up.
    pub wrap_up: Vec<HeldView>,
    /// "Contacts accepted: 12".
    pub accepted: String,
}

fn channel_words(c: Channel, t: &Texts) -> &'static str {
    match c {
        Channel::Voice => t.channel_voice,
        Channel::Chat => t.channel_chat,
        Channel::Email => t.channel_email,
        Channel::Messaging => t.channel_messaging,
        Channel::Video => t.channel_video,
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Builds the panel from the agent's live state; `now` is an RFC 3339 time.
pub fn desk(agent: &AgentOut, queues: &HashMap<i64, String>, t: &Texts, now: &str) -> Desk {
    let (state_class, state) = state_words(agent.state.state, t);
    // The reason in force is the presence's: it outlives a contact still held.
    let reason_name = agent
        .presence
        .reason
        .clone()
        .or_else(|| agent.state.reason.clone());
    let held = |phase: PhaseDto| -> Vec<HeldView> {
        agent
            .contacts
            .iter()
            .filter(|h| h.phase == phase)
            .map(|h| {
                let details = h.details.clone().unwrap_or_default();
                let waited_ms = h
                    .entered_queue_at
                    .as_deref()
                    .map_or(0, |at| format::millis_between(at, now));
                let talked_ms = h
                    .answered_at
                    .as_deref()
                    .map(|at| format::millis_between(at, now));
                let name = details
                    .attributes
                    .get("name")
                    .or_else(|| details.attributes.get("customer_name"))
                    .map(scalar);
                let (customer, customer_id) = match (name, details.customer_id.clone()) {
                    (Some(n), id) => (n, id),
                    (None, Some(id)) => (id, None),
                    (None, None) => (t.offer_unknown_customer.to_string(), None),
                };
                HeldView {
                    customer,
                    customer_id,
                    ringing: phase == PhaseDto::Offered,
                    contact_id: h.contact_id,
                    queue: queues
                        .get(&i64::from(h.queue_id))
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", h.queue_id)),
                    vip: details.vip,
                    callback: h.callback,
                    channel: channel_words(details.channel, t),
                    waited_ms,
                    waited: format::clock(waited_ms),
                    talked_ms,
                    talked: format::clock_opt(talked_ms),
                    attributes: details
                        .attributes
                        .iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "name" | "customer_name"))
                        .map(|(k, v)| (k.clone(), scalar(v)))
                        .collect(),
                }
            })
            .collect()
    };
    let state_name = agent.state.state;
    let presence = agent.presence.state;
    let pending = presence == AgentStateName::NotReady && !agent.contacts.is_empty();
    Desk {
        pending_not_ready: pending.then(|| {
            agent
                .presence
                .reason
                .as_deref()
                .map_or_else(|| t.state_not_ready.to_string(), |r| reason_words(r, t))
        }),
        state_class,
        state,
        reason: agent.state.reason.as_deref().map(|r| reason_words(r, t)),
        time_ms: agent.time_in_state_ms,
        time: format::clock_opt(agent.time_in_state_ms),
        logged_out: state_name == AgentStateName::LoggedOut,
        ready: presence == AgentStateName::Ready,
        connected_now: agent
            .contacts
            .iter()
            .any(|h| h.phase == PhaseDto::Connected),
        reasons: crate::reasons::REASONS
            .iter()
            .filter(|r| !r.automatic)
            .map(|r| ReasonOption {
                name: r.name,
                label: reason_words(r.name, t),
                selected: reason_name.as_deref() == Some(r.name),
            })
            .collect(),
        offers: held(PhaseDto::Offered),
        connected: held(PhaseDto::Connected),
        wrap_up: held(PhaseDto::WrapUp),
        accepted: fill(
            t.contacts_today,
            &[("n", &agent.contacts_accepted.to_string())],
        ),
    }
}

/// The page.
#[derive(Template)]
#[template(path = "desktop.html")]
pub struct DesktopPage {
    /// Layout.
    pub chrome: Chrome,
    /// Texts.
    pub t: &'static Texts,
    /// Whose desktop.
    pub heading: String,
    /// The agent shown.
    pub agent_id: i64,
    /// For supervisors: every agent they can open.
    pub choices: Vec<AgentChoice>,
    /// The panel, or why there is none.
    pub desk: Result<Desk, String>,
}

/// The panel alone, for the live updates.
#[derive(Template)]
#[template(path = "desktop_panel.html")]
pub struct PanelFragment {
    /// Texts.
    pub t: &'static Texts,
    /// The panel, or why there is none.
    pub desk: Result<Desk, String>,
}

/// `?agent=` for supervisors.
#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    agent: Option<i64>,
}

/// The agent to show: oneself, or for supervisors and above the one asked for.
fn target(viewer: &Viewer, q: &DeskQuery) -> Result<i64, StatusCode> {
    match q.agent {
        Some(id) if id != viewer.person_id => {
            if viewer.principal.may_act_for(hotline_store::PersonId(id)) {
                Ok(id)
            } else {
                Err(StatusCode::FORBIDDEN)
            }
        }
        _ => Ok(viewer.person_id),
    }
}

async fn load(state: &AppState, id: i64, t: &Texts) -> Result<Desk, String> {
    let agent = u32::try_from(id)
        .ok()
        .filter(|a| *a < AgentId::MAX)
        .map(AgentId)
        .ok_or_else(|| t.not_an_agent.to_string())?;
    let view = match crate::api::agents::agent_view(state, agent).await {
        Ok(v) => v,
        Err(e) if e.code == crate::error::Code::NotFound => return Err(t.not_an_agent.to_string()),
        Err(e) => return Err(e.detail),
    };
    let queues: HashMap<i64, String> = state
        .directory()
        .queues
        .iter()
        .map(|(id, s)| (*id, s.name.clone()))
        .collect();
    let now = jiff::Timestamp::now();
    Ok(desk(&view, &queues, t, &format!("{now:.3}")))
}

/// `GET /desktop[?agent=ID]`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<DeskQuery>,
) -> Response {
    let path = uri.path_and_query().map_or("/desktop", |p| p.as_str());
    let viewer = match page::require(&state, &headers, path, Section::Desktop).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(id) = target(&viewer, &q) else {
        return page::harden(page::forbidden(&viewer, path));
    };
    let t = viewer.lang.texts();
    let dir = state.directory();
    let name = dir
        .people
        .get(&id)
        .map_or_else(|| format!("#{id}"), |(n, _)| n.clone());
    let choices = if viewer.principal.is_supervisor() {
        match state
            .store()
            .list_people(&hotline_store::PersonFilter {
                active: Some(true),
                ..Default::default()
            })
            .await
        {
            Ok(people) => {
                let mut c: Vec<AgentChoice> = people
                    .into_iter()
                    .filter(|p| p.role == Role::Agent || p.id.0 == id || p.id.0 == viewer.person_id)
                    .map(|p| AgentChoice {
                        selected: p.id.0 == id,
                        id: p.id.0,
                        name: p.display_name,
                    })
                    .collect();
                c.sort_by(|a, b| a.name.cmp(&b.name));
                c
            }
            Err(e) => return page::harden(page::failed(&viewer, path, &e.to_string())),
        }
    } else {
        Vec::new()
    };
    let desk = load(&state, id, t).await;
    let heading = if id == viewer.person_id {
        t.desktop_title.to_string()
    } else {
        fill(t.desktop_for, &[("name", &name)])
    };
    page::harden(page::render(&DesktopPage {
        chrome: Chrome::new(
            &viewer,
            Some(Section::Desktop),
            t.desktop_title,
            path,
            "desktop",
        ),
        t,
        heading,
        agent_id: id,
        choices,
        desk,
    }))
}

/// `GET /desktop/panel[?agent=ID]`: the panel alone (for the script).
pub async fn fragment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<DeskQuery>,
) -> Response {
    let viewer = match page::require_fragment(&state, &headers, Section::Desktop).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let id = match target(&viewer, &q) {
        Ok(id) => id,
        Err(status) => return status.into_response(),
    };
    let t = viewer.lang.texts();
    let desk = load(&state, id, t).await;
    match (PanelFragment { t, desk }).render() {
        Ok(html) => page::harden(Html(html).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "rendering the desktop failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
