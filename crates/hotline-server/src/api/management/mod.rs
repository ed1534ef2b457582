//! The morning briefing, the weekly complaint analysis and the balanced scorecard (issue 5).
//!
//! | route | roles |
//! |---|---|
//! | `GET /api/v1/briefing?date=` | office staff |
//! | `GET /api/v1/complaints?week=&queues=` | office staff (customer ids: staff only) |
//! | `GET /api/v1/scorecard?period=&owner=` | everyone; an agent only their own |
//! | `GET /api/v1/scorecard.csv?period=&owner=` | the same |
//! | `GET /api/v1/scorecard/definition` | office staff |
//! | `PUT /api/v1/scorecard/definition` | admin, manager |
//!
//! See `docs/management-pages.md`.

pub mod data;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hotline_metrics::{Briefing, ComplaintAnalysis};
use hotline_scorecard::{
    self as sc, Definition, Level, OwnerKey, OwnerResult, Period, Problem as ScProblem,
    ScorecardError, Trend,
};
use hotline_store::{DefinitionFormat, NewScorecardDefinition, Role, TimestampMs};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::data::{DefinitionSource, Scorecards, SkippedOverride};
use super::extract::ApiQuery;
use crate::auth::policy::rules;
use crate::auth::{Principal, Subject};
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::state::AppState;

rules! { RULES {
    GET "/api/v1/briefing" => STAFF,
    GET "/api/v1/complaints" => STAFF,
    GET "/api/v1/scorecard" => ALL, // self: agents only their own
    GET "/api/v1/scorecard.csv" => ALL, // self: agents only their own
    GET "/api/v1/scorecard/definition" => STAFF,
    PUT "/api/v1/scorecard/definition" => MANAGERS,
}}

/// The routes, with their OpenAPI paths.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_briefing))
        .routes(routes!(get_complaints))
        .routes(routes!(get_scorecard))
        .routes(routes!(get_scorecard_csv))
        .routes(routes!(get_definition, put_definition))
}

/// `?date=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BriefingQuery {
    /// The day, `YYYY-MM-DD` (default: yesterday in the server's time zone).
    pub date: Option<String>,
}

/// The morning briefing of one day: headline KPIs against targets (queue targets from
/// the queues' settings; abandon rate, ASA, AHT and occupancy from the center's
/// scorecard) and against the day before and the same weekday a week before; per queue;
/// the half-hour timeline; the worst and busiest intervals; not-ready reasons; notes
/// (`kind` is the data, `text` the English). Fields: `docs/briefing.md`.
#[utoipa::path(get, path = "/api/v1/briefing", tag = "management", params(BriefingQuery),
    responses((status = 200, description = "The briefing (hotline_metrics::Briefing)", body = Object),
        (status = 400, description = "A bad date, naming `date`", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn get_briefing(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BriefingQuery>,
) -> ApiResult<Json<Briefing>> {
    let date = q.date.as_deref().map(data::parse_date).transpose()?;
    Ok(Json(data::briefing(&state, date).await?))
}

/// `?week=&queues=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplaintQuery {
    /// ISO week `2026-W47` (default: last week in the server's time zone).
    pub week: Option<String>,
    /// Complaint queues by name, comma-separated (default: queues whose name contains
    /// "complaint", "投诉" or "reclamación", any case). Records with attribute
    /// `type = complaint` count too.
    pub queues: Option<String>,
}

/// The analysis with the queues taken as complaint queues.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintsOut {
    /// The complaint queues used.
    pub complaint_queues: Vec<String>,
    /// The analysis (hotline_metrics::ComplaintAnalysis; `docs/briefing.md`).
    #[schema(value_type = Object)]
    pub analysis: ComplaintAnalysis,
}

/// The weekly complaint analysis: by category (attribute `category`) and queue, the
/// trend over the 4 weeks before, rising categories, repeat callers (with customer ids:
/// office staff only), the complaint queues' service.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "management", params(ComplaintQuery),
    responses((status = 200, body = ComplaintsOut),
        (status = 400, description = "A bad week or an unknown queue, naming `week` or `queues`", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn get_complaints(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ComplaintQuery>,
) -> ApiResult<Json<ComplaintsOut>> {
    let week = q.week.as_deref().map(data::parse_week).transpose()?;
    let queues = q.queues.as_deref().map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect::<Vec<_>>()
    });
    let (analysis, complaint_queues) = data::complaints(&state, week, queues).await?;
    Ok(Json(ComplaintsOut {
        complaint_queues,
        analysis,
    }))
}

/// `?period=&owner=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ScorecardQuery {
    /// `2026-11` (month), `2026-Q4` (quarter) or `2026` (year); default: this month.
    pub period: Option<String>,
    /// `center`, `department:ID`, `team:ID`, `agent:ID` — a store id (`team:3`) or the
    /// scorecard's id (`team:Billing`, `agent:ana`). Default: an agent themselves,
    /// everyone else the center. Agents may name only themselves.
    pub owner: Option<String>,
}

/// A scorecard one level down (for drill-down).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildOut {
    /// `team:Billing`.
    pub owner: String,
    /// Display name.
    pub name: String,
    /// Level.
    pub level: String,
    /// Total score.
    pub score: Option<f64>,
    /// Measures by status.
    #[schema(value_type = Object)]
    pub counts: sc::StatusCounts,
}

/// One owner's scorecard.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScorecardOut {
    /// The period.
    pub period: String,
    /// The server's time zone.
    pub time_zone: String,
    /// `team:Billing`.
    pub owner: String,
    /// Where the definition came from (`example` when none was saved).
    pub definition: DefinitionSource,
    /// Overrides left out: their owner is not in the organisation.
    pub skipped_overrides: Vec<SkippedOverride>,
    /// The scorecard (hotline_scorecard::OwnerResult; `docs/scorecard.md`).
    #[schema(value_type = Object)]
    pub scorecard: OwnerResult,
    /// The owners one level down (none for an agent's own view of themselves).
    pub children: Vec<ChildOut>,
    /// The same scorecard over this period and the 6 before it.
    #[schema(value_type = Object)]
    pub trend: Trend,
}

/// The person's username when they are an agent (whose view is narrowed).
fn agent_username(principal: &Principal) -> Option<&str> {
    match (&principal.subject, principal.role) {
        (Subject::Person { username, .. }, Role::Agent) => Some(username),
        _ => None,
    }
}

/// Scorecards for the query, the owner chosen and checked against the caller.
pub async fn scorecard_for(
    state: &AppState,
    principal: &Principal,
    period: Option<&str>,
    owner: Option<&str>,
) -> ApiResult<(Scorecards, OwnerKey)> {
    let tz = data::time_zone(state)?;
    let period = match period {
        Some(p) => data::parse_period(p)?,
        None => data::current_period(&tz, sc::PeriodKind::Month)?,
    };
    let cards = data::scorecards(state, period).await?;
    let me = agent_username(principal);
    let key = match (owner, me) {
        (Some(o), _) => data::parse_owner(o, &cards)?,
        (None, Some(me)) => data::parse_owner(&format!("agent:{me}"), &cards)?,
        (None, None) => cards
            .current()
            .owners
            .first()
            .map(|o| o.owner.key.clone())
            .ok_or_else(|| ApiError::internal(&"no center in the scorecard set"))?,
    };
    if principal.role == Role::Agent && !(key.level == Level::Agent && Some(key.id.as_str()) == me)
    {
        return Err(ApiError::forbidden(
            "agents may read only their own scorecard",
        ));
    }
    Ok((cards, key))
}

/// The JSON of `key`'s scorecard.
pub fn scorecard_out(
    state: &AppState,
    cards: &Scorecards,
    key: &OwnerKey,
) -> ApiResult<ScorecardOut> {
    let set = cards.current();
    let result = set
        .get(key)
        .ok_or_else(|| ApiError::not_found("owner", key))?
        .clone();
    Ok(ScorecardOut {
        period: set.period.to_string(),
        time_zone: state.settings().time_zone.clone(),
        owner: key.to_string(),
        definition: cards.source.clone(),
        skipped_overrides: cards.skipped.clone(),
        children: set
            .children(key)
            .map(|c| ChildOut {
                owner: c.owner.key.to_string(),
                name: c.owner.name.clone(),
                level: c.owner.key.level.to_string(),
                score: c.score,
                counts: c.counts,
            })
            .collect(),
        trend: sc::trend(&cards.sets, key),
        scorecard: result,
    })
}

/// One owner's balanced scorecard for a period: every measure's value, target, status,
/// weight, score and where each target was set; the owners one level down; the trend
/// over the 6 periods before. Agents may read only their own (403 otherwise).
#[utoipa::path(get, path = "/api/v1/scorecard", tag = "management", params(ScorecardQuery),
    responses((status = 200, body = ScorecardOut),
        (status = 400, description = "A bad period or owner, naming the parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An agent asking for another's scorecard", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such owner in the organisation", body = Problem, content_type = "application/problem+json")))]
pub async fn get_scorecard(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(q): ApiQuery<ScorecardQuery>,
) -> ApiResult<Json<ScorecardOut>> {
    let (cards, key) =
        scorecard_for(&state, &principal, q.period.as_deref(), q.owner.as_deref()).await?;
    Ok(Json(scorecard_out(&state, &cards, &key)?))
}

/// `scorecard-2026-11-team-Billing.csv`.
pub fn csv_name(period: &Period, key: &OwnerKey) -> String {
    let clean: String = format!("{}-{}", key.level, key.id)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("scorecard-{period}-{clean}.csv")
}

/// The CSV of an owner's scorecard and everything under it (an agent: their own):
/// one line per total, perspective, objective and measure (`docs/scorecard.md#output`).
#[utoipa::path(get, path = "/api/v1/scorecard.csv", tag = "management", params(ScorecardQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_scorecard_csv(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(q): ApiQuery<ScorecardQuery>,
) -> ApiResult<Response> {
    let (cards, key) =
        scorecard_for(&state, &principal, q.period.as_deref(), q.owner.as_deref()).await?;
    let set = cards.current();
    let body = sc::to_csv(&[set.subtree(&key)]);
    let name = csv_name(&set.period, &key);
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The definition in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionOut {
    /// Where it came from (`example`: none saved, the telecom example applies).
    pub source: DefinitionSource,
    /// The text as saved (TOML or JSON; the example's TOML).
    pub text: String,
    /// The definition as JSON (the same keys as the TOML file).
    #[schema(value_type = Object)]
    pub definition: Definition,
    /// Overrides the current organisation cannot apply (their owner is missing).
    pub skipped_overrides: Vec<SkippedOverride>,
}

async fn definition_out(state: &AppState) -> ApiResult<DefinitionOut> {
    let (definition, source) = data::definition_in_force(state).await?;
    let org = data::org(state, None).await?;
    let skipped = data::resolve_lenient(&definition, &org)
        .map(|(_, s)| s)
        .unwrap_or_default();
    Ok(DefinitionOut {
        source,
        text: data::definition_text(state).await?,
        definition,
        skipped_overrides: skipped,
    })
}

/// The center's scorecard definition in force (the latest saved; the telecom example
/// when none was saved).
#[utoipa::path(get, path = "/api/v1/scorecard/definition", tag = "management",
    responses((status = 200, body = DefinitionOut),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn get_definition(State(state): State<AppState>) -> ApiResult<Json<DefinitionOut>> {
    Ok(Json(definition_out(&state).await?))
}

/// A definition refused: every problem with its key path.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionProblem {
    /// `/api/docs#error-invalid_field`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `invalid_field`.
    pub code: &'static str,
    /// Summary.
    pub title: &'static str,
    /// 422.
    pub status: u16,
    /// Every problem, one per line.
    pub detail: String,
    /// The first problem's key path.
    pub field: String,
    /// Every problem: key path, value found, what is allowed.
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<ScProblem>,
}

fn refused(problems: Vec<ScProblem>) -> Response {
    let code = Code::InvalidField;
    let doc = DefinitionProblem {
        type_: format!("/api/docs#error-{}", code.as_str()),
        code: code.as_str(),
        title: code.title(),
        status: code.status().as_u16(),
        detail: problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        field: problems.first().map(|p| p.path.clone()).unwrap_or_default(),
        problems,
    };
    let mut r = (code.status(), serde_json::to_vec(&doc).unwrap_or_default()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

fn scorecard_problems(e: ScorecardError) -> Vec<ScProblem> {
    match e {
        ScorecardError::Invalid(p) => p,
        ScorecardError::Parse {
            format,
            path,
            message,
        } => vec![ScProblem {
            path: if path.is_empty() { ".".into() } else { path },
            value: String::new(),
            allowed: format!("well-formed {format}: {message}"),
        }],
        other => vec![ScProblem {
            path: ".".into(),
            value: String::new(),
            allowed: other.to_string(),
        }],
    }
}

/// Replaces the center's scorecard definition: the body is the TOML file
/// (`Content-Type: application/toml` or `text/plain`) or the same keys in JSON
/// (`application/json`). It is validated against the organisation now (every problem is
/// listed with its key path in `problems`); a valid one is saved as a new version and is
/// in force at once.
#[utoipa::path(put, path = "/api/v1/scorecard/definition", tag = "management",
    request_body(content = String, description = "TOML (application/toml, text/plain) or JSON (application/json)"),
    responses((status = 200, body = DefinitionOut),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every problem with its key path", body = DefinitionProblem, content_type = "application/problem+json")))]
pub async fn put_definition(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match ct.as_str() {
        "application/json" => DefinitionFormat::Json,
        "application/toml" | "text/plain" | "text/x-toml" | "application/x-toml" => {
            DefinitionFormat::Toml
        }
        _ => {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                format!("Content-Type {ct:?} is not allowed: expected application/toml, text/plain or application/json"),
            ))
        }
    };
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return Ok(refused(vec![ScProblem {
            path: ".".into(),
            value: String::new(),
            allowed: "UTF-8 text".into(),
        }]));
    };
    let parsed = match format {
        DefinitionFormat::Toml => Definition::from_toml(&text),
        DefinitionFormat::Json => Definition::from_json(&text),
    };
    let def = match parsed {
        Ok(d) => d,
        Err(e) => return Ok(refused(scorecard_problems(e))),
    };
    let org = data::org(&state, None).await?;
    if let Err(e) = sc::resolve(&def, &org) {
        return Ok(refused(scorecard_problems(e)));
    }
    let created_by = match &principal.subject {
        Subject::Person { id, .. } => Some(*id),
        _ => None,
    };
    let saved = state
        .store()
        .save_scorecard_definition(&NewScorecardDefinition {
            created_at: TimestampMs::now(),
            created_by,
            format,
            definition: text,
        })
        .await?;
    tracing::info!(version = saved.id, "scorecard definition saved");
    Ok((StatusCode::OK, Json(definition_out(&state).await?)).into_response())
}
