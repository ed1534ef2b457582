//! Interval reports from the contact records and the KPI registry (issue 5).
//!
//! The same semantics, option names and defaults as `hotline report` (see
//! `docs/reports.md`): the store streams the period's records (and, for agent-time KPIs,
//! the agent state spells) into a `hotline_metrics::Report`; the answer is the finished
//! table as JSON, the CLI's CSV, or a chart drawn by `hotline_charts`. An agent sees only
//! their own records. The web UI's reports page (`ui::reports`) uses the functions here.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hotline_charts::{
    BarChart, Bin, Histogram, LineSeries, NumberFormat, Orientation, Strings, TargetLine,
    TimeSeriesChart,
};
use hotline_metrics::kpi::{Inputs, REGISTRY};
use hotline_metrics::report::DEFAULT_KPIS;
use hotline_metrics::{
    Availability, Dimension, Interval, KpiId, KpiParams, Report, ReportError, ReportSpec,
    ReportTable, Unit, WaitRange,
};
use hotline_store::{ContactSink, ReportQuery, Role, ScanSink, StoreError};
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::policy::rules;
use crate::auth::{Principal, Subject};
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::state::AppState;
use crate::ui::i18n::Lang;

rules! { RULES {
    GET "/api/v1/kpis" => ALL,
    GET "/api/v1/reports" => ALL, // self: agents get their own records only
    GET "/api/v1/reports/chart" => ALL, // self
}}

/// Most interval × group cells one report may have.
pub const MAX_CELLS: usize = 100_000;
/// Most lines in a line chart (the first groups in order; narrow with a filter).
pub const MAX_SERIES: usize = 8;
/// Most bars in a bar chart.
pub const MAX_BARS: usize = 40;

/// The routes, with their OpenAPI paths.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kpis))
        .routes(routes!(report))
        .routes(routes!(chart))
}

// ---------------------------------------------------------------------------------
// The registry

/// A KPI's names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KpiNamesOut {
    /// English.
    pub en: &'static str,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: &'static str,
    /// Spanish.
    pub es: &'static str,
}

/// One KPI of the registry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KpiOut {
    /// Id (`service_level`), as in `kpi=` and CSV columns.
    pub id: &'static str,
    /// Names in the UI's languages.
    pub names: KpiNamesOut,
    /// The formula, in words.
    pub formula: &'static str,
    /// `count`, `percent` (0–100), `seconds`, `hours`, `per_hour`, `score`, `money`.
    #[schema(value_type = String)]
    pub unit: Unit,
    /// `higher_is_better`, `lower_is_better`, `near_target`, `volume`.
    #[schema(value_type = String)]
    pub direction: hotline_metrics::Direction,
    /// Which variant of the field's definitions this is.
    pub variant: &'static str,
    /// Where the definition comes from.
    pub source: &'static str,
    /// `computed` (reports give it) or `not_fed_yet` (defined; reports refuse it).
    pub availability: &'static str,
    /// What computes it (`contact records`), or what will feed it.
    pub availability_detail: &'static str,
    /// `contacts` (any grouping), `agent_time` (grouping by agent or team only), `none`.
    #[schema(value_type = String)]
    pub inputs: Inputs,
}

impl KpiOut {
    /// The registry entry of `kpi`.
    pub fn of(kpi: KpiId) -> KpiOut {
        let d = kpi.def();
        let (availability, availability_detail) = match d.availability {
            Availability::Computed { from } => ("computed", from),
            Availability::NotFedYet { by } => ("not_fed_yet", by),
        };
        KpiOut {
            id: kpi.as_str(),
            names: KpiNamesOut {
                en: d.names.en,
                zh_cn: d.names.zh,
                es: d.names.es,
            },
            formula: d.formula,
            unit: d.unit,
            direction: d.direction,
            variant: d.variant,
            source: d.source,
            availability,
            availability_detail,
            inputs: d.inputs,
        }
    }
}

/// A KPI's name in `lang`.
pub fn kpi_name(kpi: KpiId, lang: Lang) -> &'static str {
    let n = &kpi.def().names;
    match lang {
        Lang::En => n.en,
        Lang::ZhCn => n.zh,
        Lang::Es => n.es,
    }
}

/// The KPI registry: every KPI with its exact definition, in registry order.
#[utoipa::path(get, path = "/api/v1/kpis", tag = "reports",
    responses((status = 200, body = [KpiOut])))]
pub async fn kpis() -> Json<Vec<KpiOut>> {
    Json(REGISTRY.iter().map(|d| KpiOut::of(d.id)).collect())
}

// ---------------------------------------------------------------------------------
// Parameters

/// What a report asks for (the CLI's `hotline report` options, same names and defaults).
#[derive(Clone, Debug, Default, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Start (inclusive): a date (local midnight in `timezone`), a local date-time
    /// (`2026-11-23T08:00`) or an instant with an offset. Default: yesterday.
    pub from: Option<String>,
    /// End (exclusive), as `from`. Default: one day after `from`.
    pub to: Option<String>,
    /// `15m`, `30m`, `1h` (any minutes or hours dividing a day), `day`, `week`, `month`.
    /// Default `30m`.
    pub interval: Option<String>,
    /// `queue`, `team`, `agent`, `channel` or `attr.<name>`, several separated by
    /// commas, or `none`. Default `queue`.
    pub by: Option<String>,
    /// KPI ids, separated by commas or repeated (`kpi=offered&kpi=asa_s`). Default:
    /// offered, answered, abandoned, service_level, asa_s, aht_s, abandon_rate.
    pub kpi: Vec<String>,
    /// IANA zone whose calendar the intervals follow. Default: the server's.
    pub timezone: Option<String>,
    /// T of the service level (`20s`, `30`, `1m`). Default `20s`.
    pub sl_threshold: Option<String>,
    /// S: abandons shorter than this are short abandons. Default `5s`.
    pub short_abandon: Option<String>,
    /// `monday` (default), `sunday` or `saturday`.
    pub week_start: Option<String>,
    /// Only this queue (its name).
    pub queue: Option<String>,
    /// Only agents of this team (its name).
    pub team: Option<String>,
    /// Only this agent (their username); an agent always gets only their own.
    pub agent: Option<String>,
    /// `true`: leave out intervals in which a group had nothing.
    pub skip_empty: Option<String>,
    /// `true`: CSV also gets each group's total and the grand total (JSON always has
    /// them).
    pub totals: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// The chart's own parameters (with the report's).
#[derive(Clone, Debug, Default, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartParams {
    /// `line` (default: a time series per group), `bar` (totals per group) or
    /// `histogram` (wait of the selected contacts, the SL threshold marked).
    pub chart: Option<String>,
    /// Language of the chart's words: `en` (default), `zh-CN`, `es`.
    pub lang: Option<String>,
}

/// `%XX` and `+` decoded; `None` for bad escapes or invalid UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The pairs of a query string, decoded, in order (empty values kept).
pub fn query_pairs(raw: Option<&str>) -> ApiResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (Some(k), Some(v)) = (decode(k), decode(v)) else {
            return Err(ApiError::new(
                Code::InvalidParameter,
                format!("the query string has a bad percent-escape in {part:?}"),
            ));
        };
        out.push((k, v));
    }
    Ok(out)
}

impl ReportParams {
    /// The report parameters among `pairs`; other names must be in `extra` (returned),
    /// anything else is a 400 naming it. Empty values count as absent.
    pub fn from_pairs(
        pairs: &[(String, String)],
        extra: &[&str],
    ) -> ApiResult<(ReportParams, Vec<(String, String)>)> {
        let mut p = ReportParams::default();
        let mut rest = Vec::new();
        for (k, v) in pairs {
            let v = v.trim();
            let value = (!v.is_empty()).then(|| v.to_owned());
            let slot = match k.as_str() {
                "from" => &mut p.from,
                "to" => &mut p.to,
                "interval" => &mut p.interval,
                "by" => &mut p.by,
                "timezone" => &mut p.timezone,
                "sl_threshold" => &mut p.sl_threshold,
                "short_abandon" => &mut p.short_abandon,
                "week_start" => &mut p.week_start,
                "queue" => &mut p.queue,
                "team" => &mut p.team,
                "agent" => &mut p.agent,
                "skip_empty" => &mut p.skip_empty,
                "totals" => &mut p.totals,
                "format" => &mut p.format,
                "kpi" => {
                    p.kpi.extend(
                        v.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned),
                    );
                    continue;
                }
                other if extra.contains(&other) => {
                    rest.push((k.clone(), v.to_owned()));
                    continue;
                }
                other => {
                    return Err(ApiError::new(
                        Code::InvalidParameter,
                        format!("unknown query parameter {other:?}"),
                    )
                    .with_field(other));
                }
            };
            if value.is_some() {
                *slot = value;
            }
        }
        Ok((p, rest))
    }

    /// The query string of these parameters (for links: the CSV download).
    pub fn to_query(&self) -> String {
        let enc = encode;
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}={}", enc(v)));
            }
        };
        push("from", &self.from);
        push("to", &self.to);
        push("interval", &self.interval);
        push("by", &self.by);
        push("timezone", &self.timezone);
        push("sl_threshold", &self.sl_threshold);
        push("short_abandon", &self.short_abandon);
        push("week_start", &self.week_start);
        push("queue", &self.queue);
        push("team", &self.team);
        push("agent", &self.agent);
        push("skip_empty", &self.skip_empty);
        push("totals", &self.totals);
        if !self.kpi.is_empty() {
            parts.push(format!("kpi={}", enc(&self.kpi.join(","))));
        }
        parts.join("&")
    }
}

fn boolean(field: &str, v: &Option<String>) -> ApiResult<bool> {
    match v.as_deref() {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(ApiError::invalid(
            field,
            format!("{other:?}"),
            "true or false",
        )),
    }
}

/// `20s`, `20`, `1.5m`, `1h`, `250ms` as milliseconds (the CLI's reading).
fn duration(field: &str, text: &str) -> ApiResult<hotline_metrics::DurationMs> {
    let t = text.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3_600_000.0)
    } else {
        (t, 1000.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 && v * mult < 1e15 => {
            Ok(hotline_metrics::DurationMs((v * mult).round() as i64))
        }
        _ => Err(ApiError::invalid(
            field,
            format!("{text:?}"),
            "a duration ≥ 0 like 20s, 1.5m, 1h, 250ms (a bare number is seconds)",
        )),
    }
}

/// A date (local midnight), a local date-time, or an instant with an offset (the CLI's
/// reading; a local time skipped by DST is the clock after the change, a repeated one
/// the first).
fn instant(field: &str, text: &str, tz: &TimeZone) -> ApiResult<hotline_metrics::TimestampMs> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(hotline_metrics::TimestampMs::from_jiff(ts));
    }
    let local = if let Ok(dt) = t.parse::<DateTime>() {
        Some(dt)
    } else {
        t.parse::<Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    };
    let bad = || {
        ApiError::invalid(
            field,
            format!("{text:?}"),
            "a date (2026-11-23), a local date-time (2026-11-23T08:00) or an instant \
             (2026-11-23T08:00:00Z)",
        )
    };
    let dt = local.ok_or_else(bad)?;
    let zoned = tz
        .to_ambiguous_zoned_datetime(dt)
        .compatible()
        .map_err(|_| bad())?;
    Ok(hotline_metrics::TimestampMs::from_jiff(zoned.timestamp()))
}

/// The zone named `name` (field `timezone`), or the server's.
pub fn time_zone(state: &AppState, name: Option<&str>) -> ApiResult<TimeZone> {
    match name {
        Some(n) => TimeZone::get(n).map_err(|_| {
            ApiError::invalid(
                "timezone",
                format!("{n:?}"),
                "an IANA time zone such as Europe/Madrid, Asia/Shanghai or UTC",
            )
        }),
        None => Ok(TimeZone::get(&state.settings().time_zone).unwrap_or(TimeZone::UTC)),
    }
}

/// Yesterday's date in `tz`.
pub fn yesterday(tz: &TimeZone) -> Date {
    let today = jiff::Timestamp::now().to_zoned_datetime(tz.clone()).date();
    today.yesterday().unwrap_or(today)
}

/// A report error as a 422 naming the query parameter.
fn report_error(e: ReportError) -> ApiError {
    match e {
        ReportError::Invalid {
            field,
            value,
            allowed,
        } => {
            let field = match field.as_str() {
                "kpis" => "kpi",
                "service_level_threshold" => "sl_threshold",
                "short_abandon_threshold" => "short_abandon",
                other => other,
            };
            ApiError::invalid(field, format!("{value:?}"), &allowed)
        }
        e @ ReportError::NotFed { .. } => {
            ApiError::new(Code::InvalidField, e.to_string()).with_field("kpi")
        }
        e @ ReportError::NotGroupable { .. } => {
            ApiError::new(Code::InvalidField, e.to_string()).with_field("by")
        }
    }
}

/// A report ready to read: the accumulator, what to read, whether agent time is needed.
#[derive(Debug)]
pub struct Prepared {
    /// The accumulator (settings checked).
    pub report: Report,
    /// What the store streams.
    pub query: ReportQuery,
    /// Whether agent state spells are read too.
    pub agent_time: bool,
    /// The KPIs, in column order.
    pub kpis: Vec<KpiId>,
    /// The zone.
    pub time_zone: TimeZone,
    /// T of the service level.
    pub sl_threshold_ms: i64,
}

/// Checks the parameters and narrows them to what `principal` may see (an agent: their
/// own records only; asking for another agent is a 403).
pub fn prepare(state: &AppState, principal: &Principal, p: &ReportParams) -> ApiResult<Prepared> {
    let mut agent = p.agent.clone();
    if principal.role == Role::Agent {
        let Subject::Person { ref username, .. } = principal.subject else {
            return Err(ApiError::forbidden(
                "an agent API key has no records of its own",
            ));
        };
        if agent.as_ref().is_some_and(|a| a != username) {
            return Err(ApiError::forbidden(
                "an agent may report only on their own records",
            ));
        }
        agent = Some(username.clone());
    }
    let tz = time_zone(state, p.timezone.as_deref())?;
    let from = match &p.from {
        Some(f) => instant("from", f, &tz)?,
        None => instant("from", &yesterday(&tz).to_string(), &tz)?,
    };
    let to = match &p.to {
        Some(t) => instant("to", t, &tz)?,
        None => {
            let start = from
                .to_jiff()
                .ok_or_else(|| ApiError::invalid("from", from, "a time within ±9999 years"))?
                .to_zoned_datetime(tz.clone());
            let next = start
                .tomorrow()
                .map_err(|_| ApiError::invalid("from", from, "a time within ±9999 years"))?;
            hotline_metrics::TimestampMs::from_jiff(next.timestamp())
        }
    };
    if to <= from {
        return Err(ApiError::invalid(
            "to",
            format!("{:?}", p.to.clone().unwrap_or_default()),
            &format!("a time after from ({})", from.to_rfc3339_in(&tz)),
        ));
    }
    let mut spec = ReportSpec::new(from, to, tz.clone());
    spec.interval =
        Interval::parse(p.interval.as_deref().unwrap_or("30m")).map_err(report_error)?;
    let by = p.by.as_deref().unwrap_or("queue");
    spec.group_by = if by.trim() == "none" {
        Vec::new()
    } else {
        by.split(',')
            .map(|d| Dimension::parse(d).map_err(report_error))
            .collect::<ApiResult<_>>()?
    };
    spec.kpis = if p.kpi.is_empty() {
        DEFAULT_KPIS.to_vec()
    } else {
        p.kpi
            .iter()
            .map(|k| {
                KpiId::parse(k)
                    .ok_or_else(|| ApiError::invalid("kpi", format!("{k:?}"), &KpiId::allowed()))
            })
            .collect::<ApiResult<_>>()?
    };
    spec.params = KpiParams {
        service_level_threshold: duration(
            "sl_threshold",
            p.sl_threshold.as_deref().unwrap_or("20s"),
        )?,
        short_abandon_threshold: duration(
            "short_abandon",
            p.short_abandon.as_deref().unwrap_or("5s"),
        )?,
    };
    spec.week_start = match p.week_start.as_deref().unwrap_or("monday") {
        "monday" => Weekday::Monday,
        "sunday" => Weekday::Sunday,
        "saturday" => Weekday::Saturday,
        other => {
            return Err(ApiError::invalid(
                "week_start",
                format!("{other:?}"),
                "monday, sunday or saturday",
            ))
        }
    };
    spec.include_empty = !boolean("skip_empty", &p.skip_empty)?;
    let agent_time = spec
        .kpis
        .iter()
        .any(|k| k.def().inputs == Inputs::AgentTime);
    if agent_time && p.queue.is_some() {
        return Err(ApiError::new(
            Code::InvalidField,
            "queue: agent-time KPIs (occupancy, utilisation, …) cannot be filtered by queue: \
             agent time belongs to no queue; filter by agent or team",
        )
        .with_field("queue"));
    }
    let kpis = spec.kpis.clone();
    let sl_threshold_ms = spec.params.service_level_threshold.0;
    let group_by = spec.group_by.clone();
    let report = Report::new(spec).map_err(report_error)?;

    // At most MAX_CELLS interval × group cells, the groups bounded by the directory.
    let dir = state.directory();
    let mut groups: usize = 1;
    for d in &group_by {
        let n = match d {
            Dimension::Queue if p.queue.is_some() => 1,
            Dimension::Queue => dir.queues.len() + 1,
            Dimension::Team if p.team.is_some() => 1,
            Dimension::Team => dir.teams.len() + 1,
            Dimension::Agent if agent.is_some() => 1,
            Dimension::Agent => dir.people.len() + 1,
            Dimension::Channel => 5,
            Dimension::Attribute(_) => 1,
        };
        groups = groups.saturating_mul(n.max(1));
    }
    let cells = report.intervals().saturating_mul(groups);
    if cells > MAX_CELLS {
        return Err(ApiError::new(
            Code::InvalidField,
            format!(
                "interval: {} intervals × up to {groups} groups = {cells} cells; a report may \
                 have at most {MAX_CELLS}: choose a longer interval, a shorter period or a filter",
                report.intervals()
            ),
        )
        .with_field("interval"));
    }
    Ok(Prepared {
        report,
        query: ReportQuery {
            from: hotline_store::TimestampMs(from.0),
            to: hotline_store::TimestampMs(to.0),
            queue: p.queue.clone(),
            agent,
            team: p.team.clone(),
        },
        agent_time,
        kpis,
        time_zone: tz,
        sl_threshold_ms,
    })
}

/// Waits of the contacts read, in bins of [`WAIT_BIN_MS`] up to two hours (longer
/// waits count in the last bin).
#[derive(Clone, Debug, Default)]
pub struct WaitBins {
    counts: Vec<u64>,
}

/// Width of the finest wait bin.
pub const WAIT_BIN_MS: i64 = 5_000;
const WAIT_BINS: usize = 1440;

/// A scan's shares count waits apart; the bins add up.
impl ScanSink for WaitBins {
    fn fork(&self) -> Self {
        WaitBins::default()
    }
    fn absorb(&mut self, other: Self) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
    }
}

/// A report and, when asked, the waits of its contacts, from records or interval
/// cells alike.
struct Contacts {
    report: Report,
    bins: WaitBins,
    count_waits: bool,
}

impl ScanSink for Contacts {
    fn fork(&self) -> Self {
        Contacts {
            report: self.report.fork(),
            bins: WaitBins::default(),
            count_waits: self.count_waits,
        }
    }
    fn absorb(&mut self, other: Self) {
        self.report.merge(other.report);
        self.bins.absorb(other.bins);
    }
}

impl ContactSink for Contacts {
    fn report(&self) -> &Report {
        &self.report
    }
    fn record(&mut self, r: &hotline_metrics::ContactRecord) {
        self.report.add(r);
        if self.count_waits {
            self.bins.add(r.wait.0);
        }
    }
    fn cell(
        &mut self,
        start: hotline_metrics::TimestampMs,
        queue: &str,
        channel: hotline_metrics::Channel,
        sums: &hotline_metrics::ContactSums,
    ) {
        self.report.add_sums(start, queue, channel, sums);
        if self.count_waits {
            self.bins.add_histogram(&sums.waits);
        }
    }
}

impl WaitBins {
    /// Counts the waits of a cell's histogram, each in the bin [`WaitBins::add`] would
    /// give it: a histogram entry never straddles two bins (bins are whole seconds).
    pub fn add_histogram(&mut self, h: &hotline_metrics::WaitHistogram) {
        for (range, n) in h.entries() {
            // Any wait of the entry: all fall in the same bin.
            let wait = match range {
                WaitRange::Exactly(ms) => ms,
                WaitRange::Between(lo, _) => lo + 1,
                WaitRange::Over(ms) => ms + 1,
            };
            self.add_n(wait, n);
        }
    }

    /// Counts one wait.
    pub fn add(&mut self, wait_ms: i64) {
        self.add_n(wait_ms, 1);
    }

    fn add_n(&mut self, wait_ms: i64, n: u64) {
        let i = usize::try_from(wait_ms.max(0) / WAIT_BIN_MS)
            .unwrap_or(WAIT_BINS)
            .min(WAIT_BINS - 1);
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += n;
    }

    /// Contacts counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The bins in seconds, merged to at most about 40, covering `threshold_ms` too.
    pub fn bins(&self, threshold_ms: i64) -> Vec<Bin> {
        let used = self.counts.len().max(1);
        let threshold_bins = usize::try_from(threshold_ms / WAIT_BIN_MS + 1).unwrap_or(1);
        let span = used.max(threshold_bins.min(WAIT_BINS));
        let k = [1usize, 2, 3, 4, 6, 12, 24, 36, 72, 144]
            .into_iter()
            .find(|k| span.div_ceil(*k) <= 40)
            .unwrap_or(144);
        let n = span.div_ceil(k);
        let width = (WAIT_BIN_MS as f64 / 1000.0) * k as f64;
        (0..n)
            .map(|b| Bin {
                from: b as f64 * width,
                to: (b + 1) as f64 * width,
                count: self.counts.iter().skip(b * k).take(k).sum(),
            })
            .collect()
    }
}

/// Reads the period from the store into the report; with `waits`, counts each
/// contact's wait too.
pub async fn run(
    state: &AppState,
    prepared: Prepared,
    waits: Option<&mut WaitBins>,
) -> ApiResult<ReportTable> {
    let Prepared {
        report,
        query,
        agent_time,
        ..
    } = prepared;
    let store = state.store();
    // The scan checks that the queue, agent or team exists: a 422 naming the field.
    let named = |e: StoreError| -> ApiError {
        match e {
            StoreError::NotFound { entity, id } => {
                let (field, what) = match entity {
                    "queue" => ("queue", "the name of a queue"),
                    "person" => ("agent", "the username of a person"),
                    _ => ("team", "the name of a team"),
                };
                ApiError::invalid(field, format!("{id:?}"), what)
            }
            other => other.into(),
        }
    };
    let sink = Contacts {
        report,
        bins: WaitBins::default(),
        count_waits: waits.is_some(),
    };
    let (
        Contacts {
            mut report, bins, ..
        },
        _,
    ) = store
        .read_report_contacts(&query, sink)
        .await
        .map_err(named)?;
    if let Some(w) = waits {
        w.absorb(bins);
    }
    if agent_time {
        // Spells still open (agents logged in now) count until now.
        let now = hotline_store::TimestampMs::from_jiff(jiff::Timestamp::now());
        (report, _) = store
            .scan_report_states(&query, Some(now), report, |report, s| report.add_state(s))
            .await
            .map_err(named)?;
    }
    Ok(report.finish())
}

// ---------------------------------------------------------------------------------
// The report route

/// The JSON report: the table (rows, totals, settings, counts) and the definitions of
/// its KPIs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    /// The table as `hotline report --format json` prints it: `interval`, `time_zone`,
    /// `from`, `to`, `group_by`, `kpis`, `params`, `rows`, `totals`, `total`, `stats`.
    #[schema(value_type = Object)]
    #[serde(flatten)]
    pub table: ReportTable,
    /// The KPIs' definitions, in column order.
    pub definitions: Vec<KpiOut>,
}

/// An interval report: one row per interval and group with the KPIs asked for, as JSON
/// or as the CLI's CSV (`interval_start, <by>, <kpi ids…>`). Agents get only their own
/// records.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ReportParams),
    responses((status = 200, body = ReportOut, description = "JSON, or text/csv with format=csv"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    principal: Principal,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let pairs = query_pairs(raw.as_deref())?;
    let (p, _) = ReportParams::from_pairs(&pairs, &[])?;
    let csv = match p.format.as_deref().unwrap_or("json") {
        "json" => false,
        "csv" => true,
        other => {
            return Err(ApiError::invalid(
                "format",
                format!("{other:?}"),
                "json or csv",
            ))
        }
    };
    let totals = boolean("totals", &p.totals)?;
    let prepared = prepare(&state, &principal, &p)?;
    let kpis = prepared.kpis.clone();
    let table = run(&state, prepared, None).await?;
    if csv {
        let mut r = table.to_csv(totals).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        r.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"report.csv\""),
        );
        return Ok(r);
    }
    Ok(Json(ReportOut {
        table,
        definitions: kpis.into_iter().map(KpiOut::of).collect(),
    })
    .into_response())
}

// ---------------------------------------------------------------------------------
// Charts

/// The words of the charts in one language.
#[derive(Clone, Debug)]
pub struct ChartWords {
    /// The language (KPI names).
    pub lang: Lang,
    /// The chart library's own words.
    pub strings: Strings,
    /// `{kpi} by interval`.
    pub line_title: &'static str,
    /// `{kpi}: total by {by}`.
    pub bar_title: &'static str,
    /// Histogram title.
    pub waits_title: &'static str,
    /// Histogram x axis.
    pub waits_axis: &'static str,
    /// `Service level threshold {t} s`.
    pub threshold: &'static str,
    /// A group without a value (the agent of an abandoned contact).
    pub no_value: &'static str,
    /// The single group of `by=none`.
    pub all: &'static str,
}

impl ChartWords {
    /// The words in `lang`.
    pub fn of(lang: Lang) -> ChartWords {
        match lang {
            Lang::En => ChartWords {
                lang,
                strings: Strings::default(),
                line_title: "{kpi} by interval",
                bar_title: "{kpi}: total by {by}",
                waits_title: "Wait in queue (answered and abandoned contacts)",
                waits_axis: "Wait (s)",
                threshold: "Service level threshold {t} s",
                no_value: "(none)",
                all: "All",
            },
            Lang::ZhCn => ChartWords {
                lang,
                strings: Strings {
                    no_data: "无数据".into(),
                    target: "目标".into(),
                    latest: "最新".into(),
                    min: "最小".into(),
                    max: "最大".into(),
                    total: "合计".into(),
                    below_target: "{total} 个中有 {count} 个低于目标".into(),
                    values: "{count} 个值".into(),
                    red: "未达标".into(),
                    amber: "有风险".into(),
                    green: "达标".into(),
                },
                line_title: "{kpi}（按时段）",
                bar_title: "{kpi}：按{by}合计",
                waits_title: "排队等待时长（接通与放弃）",
                waits_axis: "等待（秒）",
                threshold: "服务水平阈值 {t} 秒",
                no_value: "（无）",
                all: "全部",
            },
            Lang::Es => ChartWords {
                lang,
                strings: Strings {
                    no_data: "Sin datos".into(),
                    target: "Objetivo".into(),
                    latest: "último".into(),
                    min: "mín.".into(),
                    max: "máx.".into(),
                    total: "total".into(),
                    below_target: "{count} de {total} por debajo del objetivo".into(),
                    values: "{count} valores".into(),
                    red: "fuera de objetivo".into(),
                    amber: "en riesgo".into(),
                    green: "en objetivo".into(),
                },
                line_title: "{kpi} por intervalo",
                bar_title: "{kpi}: total por {by}",
                waits_title: "Espera en cola (contactos atendidos y abandonados)",
                waits_axis: "Espera (s)",
                threshold: "Umbral del nivel de servicio {t} s",
                no_value: "(ninguno)",
                all: "Todos",
            },
        }
    }
}

/// How a unit's values are written in charts.
pub fn number_format(unit: Unit) -> NumberFormat {
    match unit {
        Unit::Count => NumberFormat::count(),
        Unit::Percent => NumberFormat::percent(),
        Unit::Seconds => NumberFormat {
            decimals: Some(1),
            suffix: " s".into(),
        },
        Unit::Hours => NumberFormat {
            decimals: Some(2),
            suffix: " h".into(),
        },
        _ => NumberFormat::plain(),
    }
}

/// A group's label: its values joined by ` · `.
pub fn group_label(groups: &[Option<String>], words: &ChartWords) -> String {
    if groups.is_empty() {
        return words.all.to_owned();
    }
    groups
        .iter()
        .map(|g| g.as_deref().unwrap_or(words.no_value))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// An interval start as the axis shows it.
pub fn time_label(interval: &str, start: &str, several_days: bool) -> String {
    let date = start.get(..10).unwrap_or(start);
    let clock = start.get(11..16).unwrap_or("");
    match interval {
        "month" => start.get(..7).unwrap_or(start).to_owned(),
        "day" | "week" => date.to_owned(),
        _ if several_days => format!("{} {clock}", date.get(5..).unwrap_or(date)),
        _ => clock.to_owned(),
    }
}

fn fill(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (k, v) in pairs {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// A line per group (the first [`MAX_SERIES`]) of `kpi` over the intervals.
pub fn line_chart(table: &ReportTable, kpi: KpiId, words: &ChartWords) -> String {
    let col = table.column(kpi);
    let mut starts: Vec<&str> = Vec::new();
    for r in &table.rows {
        let s = r.interval_start.as_deref().unwrap_or("");
        if starts.last() != Some(&s) {
            starts.push(s);
        }
    }
    let times: Vec<i64> = starts
        .iter()
        .map(|s| {
            s.parse::<jiff::Timestamp>()
                .map_or(0, |t| t.as_millisecond())
        })
        .collect();
    let several_days = starts
        .first()
        .zip(starts.last())
        .is_some_and(|(a, b)| a.get(..10) != b.get(..10));
    let groups: Vec<&Vec<Option<String>>> = table
        .totals
        .iter()
        .map(|r| &r.groups)
        .take(MAX_SERIES)
        .collect();
    let unit = kpi.def().unit;
    let name = kpi_name(kpi, words.lang);
    let mut chart = TimeSeriesChart::new(fill(words.line_title, &[("kpi", name)]), times);
    chart.time_labels = starts
        .iter()
        .map(|s| time_label(&table.interval, s, several_days))
        .collect();
    for g in groups {
        let mut values = vec![None; starts.len()];
        let mut t = 0;
        for r in &table.rows {
            let s = r.interval_start.as_deref().unwrap_or("");
            while t < starts.len() && starts[t] != s {
                t += 1;
            }
            if r.groups == *g && t < starts.len() {
                values[t] = col.and_then(|c| r.values[c]);
            }
        }
        chart
            .series
            .push(LineSeries::new(group_label(g, words), values));
    }
    chart.format = number_format(unit);
    if unit == Unit::Percent {
        chart.y_max = Some(100.0);
    }
    chart.strings = words.strings.clone();
    chart.to_svg()
}

/// A bar per group (the first [`MAX_BARS`]) of `kpi` over the whole period.
pub fn bar_chart(table: &ReportTable, kpi: KpiId, words: &ChartWords) -> String {
    let col = table.column(kpi);
    let rows: Vec<_> = table.totals.iter().take(MAX_BARS).collect();
    let by = if table.group_by.is_empty() {
        words.all.to_owned()
    } else {
        table.group_by.join(", ")
    };
    let name = kpi_name(kpi, words.lang);
    let mut chart = BarChart::new(
        fill(words.bar_title, &[("kpi", name), ("by", &by)]),
        rows.iter().map(|r| group_label(&r.groups, words)).collect(),
        rows.iter().map(|r| col.and_then(|c| r.values[c])).collect(),
    );
    chart.series[0].name = name.to_owned();
    chart.orientation = Orientation::Horizontal;
    let height = 60.0 + 28.0 * rows.len().max(1) as f64;
    chart.size = hotline_charts::Size::new(640.0, height.clamp(160.0, 1200.0));
    chart.format = number_format(kpi.def().unit);
    chart.strings = words.strings.clone();
    chart.to_svg()
}

/// The distribution of the contacts' waits with the service-level threshold marked.
pub fn wait_histogram(waits: &WaitBins, threshold_ms: i64, words: &ChartWords) -> String {
    let bins = if waits.total() == 0 {
        Vec::new()
    } else {
        waits.bins(threshold_ms)
    };
    let mut chart = Histogram::new(words.waits_title, bins);
    chart.x_title = words.waits_axis.to_owned();
    chart.format = NumberFormat::count();
    let t = threshold_ms as f64 / 1000.0;
    let t_text = NumberFormat::plain().format(t);
    chart.threshold = Some(TargetLine::new(t, fill(words.threshold, &[("t", &t_text)])));
    chart.strings = words.strings.clone();
    chart.to_svg()
}

/// A chart of one KPI of a report (`line`: a series per group; `bar`: totals per
/// group), or the distribution of the selected contacts' waits (`histogram`), as SVG.
/// Same parameters and narrowing as `/api/v1/reports`; `kpi` names one KPI (line and
/// bar).
#[utoipa::path(get, path = "/api/v1/reports/chart", tag = "reports", params(ReportParams, ChartParams),
    responses((status = 200, content_type = "image/svg+xml", body = String),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn chart(
    State(state): State<AppState>,
    principal: Principal,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let pairs = query_pairs(raw.as_deref())?;
    let (p, extra) = ReportParams::from_pairs(&pairs, &["chart", "lang"])?;
    let get = |k: &str| {
        extra
            .iter()
            .rev()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let kind = get("chart").unwrap_or("line");
    if !matches!(kind, "line" | "bar" | "histogram") {
        return Err(ApiError::invalid(
            "chart",
            format!("{kind:?}"),
            "line, bar or histogram",
        ));
    }
    let lang = match get("lang") {
        None => Lang::En,
        Some(l) => Lang::parse(l)
            .ok_or_else(|| ApiError::invalid("lang", format!("{l:?}"), "en, zh-CN or es"))?,
    };
    if p.format.is_some() {
        return Err(ApiError::invalid(
            "format",
            format!("{:?}", p.format.clone().unwrap_or_default()),
            "nothing: a chart is SVG",
        ));
    }
    if kind != "histogram" && p.kpi.len() != 1 {
        return Err(ApiError::invalid(
            "kpi",
            format!("{:?}", p.kpi.join(",")),
            "exactly one KPI id for a line or bar chart",
        ));
    }
    let mut p = p;
    if kind == "histogram" && p.kpi.is_empty() {
        p.kpi = vec!["offered".into()];
    }
    let prepared = prepare(&state, &principal, &p)?;
    let kpi = prepared.kpis[0];
    let threshold = prepared.sl_threshold_ms;
    let words = ChartWords::of(lang);
    let svg = if kind == "histogram" {
        let mut waits = WaitBins::default();
        run(&state, prepared, Some(&mut waits)).await?;
        wait_histogram(&waits, threshold, &words)
    } else {
        let table = run(&state, prepared, None).await?;
        if kind == "line" {
            line_chart(&table, kpi, &words)
        } else {
            bar_chart(&table, kpi, &words)
        }
    };
    let mut r = svg.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_and_kpis_repeat_or_split() {
        let pairs =
            query_pairs(Some("kpi=offered%2Casa_s&kpi=aht_s&queue=Gold+club&team=")).unwrap();
        let (p, rest) = ReportParams::from_pairs(&pairs, &[]).unwrap();
        assert_eq!(p.kpi, ["offered", "asa_s", "aht_s"]);
        assert_eq!(p.queue.as_deref(), Some("Gold club"));
        assert_eq!(p.team, None);
        assert!(rest.is_empty());
        let e = ReportParams::from_pairs(&[("colour".into(), "red".into())], &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("colour"));
        assert!(query_pairs(Some("from=%zz")).is_err());
        assert_eq!(
            p.to_query(),
            "queue=Gold%20club&kpi=offered%2Casa_s%2Caht_s"
        );
    }

    #[test]
    fn durations_read_as_the_cli_reads_them() {
        assert_eq!(duration("x", "20s").unwrap().0, 20_000);
        assert_eq!(duration("x", "30").unwrap().0, 30_000);
        assert_eq!(duration("x", "1.5m").unwrap().0, 90_000);
        assert_eq!(duration("x", "250ms").unwrap().0, 250);
        assert_eq!(
            duration("sl_threshold", "-1").unwrap_err().field.as_deref(),
            Some("sl_threshold")
        );
    }

    #[test]
    fn wait_bins_merge_to_a_readable_number() {
        let mut w = WaitBins::default();
        for ms in [0, 4_999, 5_000, 31_000, 200_000] {
            w.add(ms);
        }
        let bins = w.bins(20_000);
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 5);
        assert!(bins.len() <= 40);
        assert_eq!(bins[0].from, 0.0);
        // 41 fine bins (0–205 s) → 21 bins of 10 s.
        assert_eq!(bins[0].to, 10.0);
        assert_eq!(bins[0].count, 3);
    }

    /// A cell's histogram lands every wait in the bin the wait itself would: at and
    /// around the 5 s edges, whole seconds and not, and past the two-hour end.
    #[test]
    fn wait_bins_from_a_histogram_are_the_bins_of_its_waits() {
        let waits = [
            0, 1, 999, 1_000, 4_999, 5_000, 5_001, 9_999, 10_000, 14_500, 61_000, 7_194_999,
            7_195_000, 7_200_000, 7_200_001, 9_000_000,
        ];
        let (mut one_by_one, mut h) = (
            WaitBins::default(),
            hotline_metrics::WaitHistogram::default(),
        );
        for w in waits {
            one_by_one.add(w);
            h.add(w);
        }
        let mut from_cell = WaitBins::default();
        from_cell.add_histogram(&h);
        assert_eq!(from_cell.counts, one_by_one.counts);
        assert_eq!(from_cell.total(), waits.len() as u64);
    }

    #[test]
    fn time_labels_follow_the_interval() {
        let s = "2026-11-23T08:30:00+08:00";
        assert_eq!(time_label("30m", s, false), "08:30");
        assert_eq!(time_label("30m", s, true), "11-23 08:30");
        assert_eq!(time_label("day", s, false), "2026-11-23");
        assert_eq!(time_label("month", s, false), "2026-11");
    }
}
