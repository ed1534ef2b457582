//! The morning briefing, the weekly complaint analysis and the scorecard pages (issue 5).
//!
//! Each page computes its data with the same functions as its API route
//! (`api::management::data`), for the roles the API gives that data: the briefing and the
//! complaints for office staff, the scorecard for everyone with agents narrowed to their
//! own card. Charts are drawn on the server (`hotline-charts`); the only script is the
//! print button's (`/management/print.js`: the CSP forbids inline scripts).

mod texts;
mod views;

#[cfg(test)]
mod tests;

use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hotline_store::Role;
use serde::Deserialize;

use super::page::{self, Chrome, Section, Viewer};
use crate::api::management::{data, scorecard_for};
use crate::auth::policy::{ALL, STAFF};
use crate::state::AppState;

use texts::texts;

/// The print button's script (a click on `[data-print]` opens the print dialog).
pub const PRINT_JS: &str = "document.addEventListener('click', function (e) {\n  var b = e.target.closest && e.target.closest('[data-print]');\n  if (b) { e.preventDefault(); window.print(); }\n});\n";

/// The pages' routes (merged into the UI router before the state is applied).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/briefing", get(briefing))
        .route("/complaints", get(complaints))
        .route("/scorecard", get(scorecard))
        .route("/management/print.js", get(print_js))
}

async fn print_js() -> Response {
    let mut r = PRINT_JS.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The viewer, or the sign-in redirect / "not allowed" page.
async fn open(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    roles: &[Role],
) -> Result<Viewer, Response> {
    let Some(viewer) = page::viewer(state, headers).await else {
        let mut to = format!("/login?next={}", page::encode(path));
        if crate::auth::session_cookie(headers).is_some() {
            to.push_str("&ended=1");
        }
        return Err(page::harden(Redirect::to(&to).into_response()));
    };
    if !roles.contains(&viewer.role()) {
        return Err(page::harden(page::forbidden(&viewer, path)));
    }
    Ok(viewer)
}

fn chrome(
    viewer: &Viewer,
    section: Section,
    title: &str,
    path: &str,
    class: &'static str,
) -> Chrome {
    Chrome::new(viewer, Some(section), title, path, class)
}

/// An API error on a page: 4xx as a message in the page's language, else "failed".
fn problem(viewer: &Viewer, path: &str, e: &crate::error::ApiError) -> Response {
    let status = e.code.status();
    if status == axum::http::StatusCode::FORBIDDEN {
        return page::harden(page::forbidden(viewer, path));
    }
    let t = texts(viewer.lang);
    let r = page::failed(
        viewer,
        path,
        &crate::ui::i18n::fill(t.bad_input, &[("detail", &e.detail)]),
    );
    let mut r = page::harden(r);
    if status.is_client_error() {
        *r.status_mut() = status;
    }
    r
}

/// `?date=`.
#[derive(Debug, Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

/// `GET /briefing`.
pub async fn briefing(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<DateQuery>,
) -> Response {
    let path = uri.path_and_query().map_or("/briefing", |p| p.as_str());
    let viewer = match open(&state, &headers, path, STAFF).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = texts(viewer.lang);
    let date = match q
        .date
        .as_deref()
        .filter(|d| !d.is_empty())
        .map(data::parse_date)
        .transpose()
    {
        Ok(d) => d,
        Err(e) => return problem(&viewer, path, &e),
    };
    match data::briefing(&state, date).await {
        Ok(b) => page::harden(page::render(&views::briefing_page(
            chrome(
                &viewer,
                Section::Briefing,
                t.briefing_title,
                path,
                "briefing",
            ),
            viewer.lang,
            &b,
        ))),
        Err(e) => problem(&viewer, path, &e),
    }
}

/// `?week=`.
#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
}

/// `GET /complaints`.
pub async fn complaints(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<WeekQuery>,
) -> Response {
    let path = uri.path_and_query().map_or("/complaints", |p| p.as_str());
    let viewer = match open(&state, &headers, path, STAFF).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = texts(viewer.lang);
    let week = match q
        .week
        .as_deref()
        .filter(|w| !w.is_empty())
        .map(data::parse_week)
        .transpose()
    {
        Ok(w) => w,
        Err(e) => return problem(&viewer, path, &e),
    };
    match data::complaints(&state, week, None).await {
        Ok((a, queues)) => page::harden(page::render(&views::complaints_page(
            chrome(
                &viewer,
                Section::Complaints,
                t.complaints_title,
                path,
                "complaints",
            ),
            viewer.lang,
            &a,
            &queues,
            STAFF.contains(&viewer.role()),
        ))),
        Err(e) => problem(&viewer, path, &e),
    }
}

/// `?period=&owner=`.
#[derive(Debug, Deserialize)]
pub struct ScorecardPageQuery {
    period: Option<String>,
    owner: Option<String>,
}

/// `GET /scorecard`.
pub async fn scorecard(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ScorecardPageQuery>,
) -> Response {
    let path = uri.path_and_query().map_or("/scorecard", |p| p.as_str());
    let viewer = match open(&state, &headers, path, ALL).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = texts(viewer.lang);
    let period = q.period.as_deref().filter(|p| !p.is_empty());
    let owner = q.owner.as_deref().filter(|o| !o.is_empty());
    let (cards, key) = match scorecard_for(&state, &viewer.principal, period, owner).await {
        Ok(x) => x,
        Err(e) => return problem(&viewer, path, &e),
    };
    let tz = data::time_zone(&state).ok();
    let now = |k| tz.as_ref().and_then(|tz| data::current_period(tz, k).ok());
    let quick = [
        (t.this_month, now(hotline_scorecard::PeriodKind::Month)),
        (t.this_quarter, now(hotline_scorecard::PeriodKind::Quarter)),
        (t.this_year, now(hotline_scorecard::PeriodKind::Year)),
    ];
    match views::scorecard_page(
        chrome(
            &viewer,
            Section::Scorecard,
            t.scorecard_title,
            path,
            "scorecard",
        ),
        viewer.lang,
        &cards,
        &key,
        viewer.role() != Role::Agent,
        &quick,
    ) {
        Some(p) => page::harden(page::render(&p)),
        None => problem(
            &viewer,
            path,
            &crate::error::ApiError::not_found("owner", &key),
        ),
    }
}
