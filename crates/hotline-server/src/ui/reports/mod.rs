//! The reports page: interval reports with charts (issue 5).
//!
//! A plain GET form (no script: the page is drawn on the server, charts are inline SVG
//! from `hotline-charts`), run through the same code as `GET /api/v1/reports`
//! (`api::reports::prepare` / `run`), so the page, the API and its CSV agree. Everyone
//! signed in may open it; an agent's report is narrowed to their own contacts, as in
//! the API. Default: yesterday by 30 minutes by queue in the server's time zone.

#[cfg(test)]
mod tests;
mod texts;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hotline_metrics::kpi::REGISTRY;
use hotline_metrics::report::DEFAULT_KPIS;
use hotline_metrics::{ReportTable, Unit};
use hotline_store::Role;

use super::i18n::Lang;
use super::page::{self, Chrome, Section};
use crate::api::reports::{
    self as api, bar_chart, group_label, kpi_name, line_chart, time_label, wait_histogram,
    ChartWords, ReportParams, WaitBins,
};
use crate::error::ApiError;
use crate::state::AppState;

pub use texts::{texts, ReportTexts};

/// The pages' routes (merged into the UI router before the state is applied).
pub fn routes() -> Router<AppState> {
    Router::new().route("/reports", get(page))
}

/// A `<select>` option.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Value sent.
    pub value: String,
    /// Text shown.
    pub label: String,
    /// Chosen.
    pub selected: bool,
}

/// A KPI checkbox.
#[derive(Clone, Debug)]
pub struct KpiBox {
    /// Id.
    pub id: &'static str,
    /// Name in the page's language.
    pub name: &'static str,
    /// The definition (the `title`).
    pub formula: &'static str,
    /// Chosen.
    pub checked: bool,
    /// Not fed yet: shown, not choosable.
    pub disabled: bool,
}

/// One line of the result table.
#[derive(Clone, Debug)]
pub struct TableRow {
    /// Interval label (or "Total").
    pub interval: String,
    /// Group label.
    pub group: String,
    /// Values, formatted with their unit.
    pub cells: Vec<String>,
    /// A totals row.
    pub total: bool,
}

/// The charts of one KPI.
#[derive(Clone, Debug)]
pub struct KpiCharts {
    /// KPI name.
    pub name: String,
    /// Time series SVG.
    pub line: String,
    /// Totals by group SVG.
    pub bar: String,
}

/// A report's result on the page.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The table.
    pub table: ReportTable,
    /// The waits of its contacts.
    pub waits: WaitBins,
    /// T of the service level, ms.
    pub threshold_ms: i64,
}

/// The page.
#[derive(Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    /// Layout.
    pub chrome: Chrome,
    /// Words.
    pub r: &'static ReportTexts,
    /// An agent (own contacts only).
    pub own_only: bool,
    /// From (form value).
    pub from: String,
    /// To (form value).
    pub to: String,
    /// Interval options.
    pub intervals: Vec<Opt>,
    /// Grouping options.
    pub dims: Vec<Opt>,
    /// Queue options (first: all).
    pub queues: Vec<Opt>,
    /// Team options (first: all).
    pub teams: Vec<Opt>,
    /// KPI checkboxes.
    pub kpis: Vec<KpiBox>,
    /// The error, if the report could not run.
    pub error: Option<String>,
    /// `Times in …; n contacts`.
    pub summary: String,
    /// Column headings (KPI names with units).
    pub headings: Vec<String>,
    /// Group column heading.
    pub group_heading: String,
    /// Rows then totals.
    pub rows: Vec<TableRow>,
    /// Charts per KPI.
    pub charts: Vec<KpiCharts>,
    /// The wait histogram.
    pub waits: String,
    /// CSV link.
    pub csv_href: String,
    /// Whether a result is shown.
    pub has_result: bool,
}

/// A value with its unit, for the table.
pub fn format_value(unit: Unit, v: Option<f64>) -> String {
    match v {
        None => "–".into(),
        Some(v) => match unit {
            Unit::Count => format!("{}", v.round() as i64),
            Unit::Percent => format!("{v:.1}%"),
            Unit::Seconds => format!("{v:.1} s"),
            Unit::Hours => format!("{v:.2} h"),
            _ => format!("{v:.2}"),
        },
    }
}

fn unit_suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => " (%)",
        Unit::Seconds => " (s)",
        Unit::Hours => " (h)",
        _ => "",
    }
}

/// The form's choices as given (defaults filled in).
#[derive(Clone, Debug, Default)]
pub struct Form {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Interval.
    pub interval: String,
    /// Grouping.
    pub by: String,
    /// KPIs.
    pub kpis: Vec<String>,
    /// Queue filter.
    pub queue: Option<String>,
    /// Team filter.
    pub team: Option<String>,
}

#[allow(clippy::too_many_arguments)]
/// The page from its parts (pure: the unit tests draw it from a hand-made table).
pub fn view(
    chrome: Chrome,
    lang: Lang,
    form: &Form,
    queue_names: &[String],
    team_names: &[String],
    own_only: bool,
    outcome: Result<Outcome, ApiError>,
    csv_href: String,
) -> ReportsPage {
    let r = texts(lang);
    let words = ChartWords::of(lang);
    let opts = |values: &[&str], labels: &[&str], chosen: &str| -> Vec<Opt> {
        values
            .iter()
            .zip(labels)
            .map(|(v, l)| Opt {
                value: (*v).to_owned(),
                label: (*l).to_owned(),
                selected: *v == chosen,
            })
            .collect()
    };
    let filter = |names: &[String], chosen: &Option<String>| -> Vec<Opt> {
        let mut o = vec![Opt {
            value: String::new(),
            label: r.all.to_owned(),
            selected: chosen.is_none(),
        }];
        o.extend(names.iter().map(|n| Opt {
            value: n.clone(),
            label: n.clone(),
            selected: chosen.as_deref() == Some(n.as_str()),
        }));
        o
    };
    let kpis = REGISTRY
        .iter()
        .map(|d| KpiBox {
            id: d.id.as_str(),
            name: kpi_name(d.id, lang),
            formula: d.formula,
            checked: form.kpis.iter().any(|k| k == d.id.as_str()),
            disabled: !d.is_computed(),
        })
        .collect();
    let mut page = ReportsPage {
        chrome,
        r,
        own_only,
        from: form.from.clone(),
        to: form.to.clone(),
        intervals: opts(
            &["15m", "30m", "1h", "day", "week", "month"],
            &r.intervals,
            &form.interval,
        ),
        dims: opts(
            &["queue", "team", "agent", "channel", "none"],
            &r.dims,
            &form.by,
        ),
        queues: filter(queue_names, &form.queue),
        teams: filter(team_names, &form.team),
        kpis,
        error: None,
        summary: String::new(),
        headings: Vec::new(),
        group_heading: String::new(),
        rows: Vec::new(),
        charts: Vec::new(),
        waits: String::new(),
        csv_href,
        has_result: false,
    };
    let o = match outcome {
        Ok(o) => o,
        Err(e) => {
            page.error = Some(e.detail);
            return page;
        }
    };
    let t = &o.table;
    page.has_result = true;
    page.summary = r
        .summary
        .replace("{tz}", &t.time_zone)
        .replace("{n}", &t.stats.records.to_string());
    page.headings = t
        .kpis
        .iter()
        .map(|k| format!("{}{}", kpi_name(*k, lang), unit_suffix(k.def().unit)))
        .collect();
    page.group_heading = if t.group_by.is_empty() {
        String::new()
    } else {
        t.group_by
            .iter()
            .map(|g| {
                let i = ["queue", "team", "agent", "channel"]
                    .iter()
                    .position(|d| d == g);
                i.map_or_else(|| g.clone(), |i| r.dims[i].to_owned())
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let several_days = t.rows.first().zip(t.rows.last()).is_some_and(|(a, b)| {
        a.interval_start.as_deref().and_then(|s| s.get(..10))
            != b.interval_start.as_deref().and_then(|s| s.get(..10))
    });
    let cells = |values: &[Option<f64>]| -> Vec<String> {
        t.kpis
            .iter()
            .zip(values)
            .map(|(k, v)| format_value(k.def().unit, *v))
            .collect()
    };
    for row in &t.rows {
        page.rows.push(TableRow {
            interval: time_label(
                &t.interval,
                row.interval_start.as_deref().unwrap_or(""),
                several_days,
            ),
            group: group_label(&row.groups, &words),
            cells: cells(&row.values),
            total: false,
        });
    }
    if !t.rows.is_empty() {
        for row in &t.totals {
            page.rows.push(TableRow {
                interval: r.total.to_owned(),
                group: group_label(&row.groups, &words),
                cells: cells(&row.values),
                total: true,
            });
        }
        if t.totals.len() != 1 {
            page.rows.push(TableRow {
                interval: r.total.to_owned(),
                group: words.all.to_owned(),
                cells: cells(&t.total.values),
                total: true,
            });
        }
    }
    page.charts = t
        .kpis
        .iter()
        .map(|k| KpiCharts {
            name: kpi_name(*k, lang).to_owned(),
            line: line_chart(t, *k, &words),
            bar: bar_chart(t, *k, &words),
        })
        .collect();
    page.waits = wait_histogram(&o.waits, o.threshold_ms, &words);
    page
}

async fn page(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path_and_query().map_or("/reports", |p| p.as_str());
    let Some(viewer) = page::viewer(&state, &headers).await else {
        let mut to = format!("/login?next={}", page::encode(path));
        if crate::auth::session_cookie(&headers).is_some() {
            to.push_str("&ended=1");
        }
        return Redirect::to(&to).into_response();
    };
    let r = texts(viewer.lang);
    let chrome = Chrome::new(&viewer, Some(Section::Reports), r.title, path, "reports");
    let parsed = api::query_pairs(uri.query())
        .and_then(|pairs| ReportParams::from_pairs(&pairs, &[]).map(|(p, _)| p));
    let dir = state.directory();
    let mut queue_names: Vec<String> = dir.queues.values().map(|q| q.name.clone()).collect();
    queue_names.sort();
    let mut team_names: Vec<String> = dir.teams.values().cloned().collect();
    team_names.sort();
    let own_only = viewer.role() == Role::Agent;
    let (form, outcome, csv_href) = match parsed {
        Err(e) => (Form::default(), Err(e), String::new()),
        Ok(mut p) => {
            // The defaults, written into the form: yesterday, 30 minutes, by queue.
            let tz = api::time_zone(&state, p.timezone.as_deref());
            if let Ok(tz) = &tz {
                if p.from.is_none() {
                    let y = api::yesterday(tz);
                    p.from = Some(y.to_string());
                    if p.to.is_none() {
                        p.to = y.tomorrow().ok().map(|d| d.to_string());
                    }
                }
                if p.to.is_none() {
                    if let Ok(d) = p.from.as_deref().unwrap_or("").parse::<jiff::civil::Date>() {
                        p.to = d.tomorrow().ok().map(|d| d.to_string());
                    }
                }
            }
            p.interval.get_or_insert_with(|| "30m".into());
            p.by.get_or_insert_with(|| "queue".into());
            if p.kpi.is_empty() {
                p.kpi = DEFAULT_KPIS.iter().map(|k| k.as_str().to_owned()).collect();
            }
            let form = Form {
                from: p.from.clone().unwrap_or_default(),
                to: p.to.clone().unwrap_or_default(),
                interval: p.interval.clone().unwrap_or_default(),
                by: p.by.clone().unwrap_or_default(),
                kpis: p.kpi.clone(),
                queue: p.queue.clone(),
                team: p.team.clone(),
            };
            let csv_href = format!("/api/v1/reports?{}&format=csv", p.to_query());
            let outcome = match api::prepare(&state, &viewer.principal, &p) {
                Err(e) => Err(e),
                Ok(prepared) => {
                    let threshold_ms = prepared.sl_threshold_ms;
                    let mut waits = WaitBins::default();
                    api::run(&state, prepared, Some(&mut waits))
                        .await
                        .map(|table| Outcome {
                            table,
                            waits,
                            threshold_ms,
                        })
                }
            };
            (form, outcome, csv_href)
        }
    };
    let status = match &outcome {
        Err(e) => e.code.status(),
        Ok(_) => axum::http::StatusCode::OK,
    };
    let page = view(
        chrome,
        viewer.lang,
        &form,
        &queue_names,
        &team_names,
        own_only,
        outcome,
        csv_href,
    );
    page::render_status(status, &page)
}
