//! What the briefing, complaint and scorecard routes and pages compute: the store's
//! records and org read into the pure engines (`hotline-metrics`' briefing and complaint
//! analysis, `hotline-scorecard`). The API and the pages call the same functions, so a
//! page never shows what the API would not.

use std::collections::{BTreeMap, HashMap};

use hotline_metrics as m;
use hotline_metrics::briefing::{Comparisons, QueueTarget};
use hotline_metrics::complaints::ComplaintFilter;
use hotline_metrics::{Briefing, BriefingSpec, ComplaintAnalysis, ComplaintSpec, IsoWeek};
use hotline_scorecard::{
    self as sc, Definition, Level, Org, OwnerKey, Period, PeriodKind, Resolved, ScorecardError,
    ScorecardSet,
};
use hotline_store::{DefinitionFormat, PersonFilter, RecordFields, ReportQuery, Role, TimestampMs};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// Previous weeks in the complaint trend.
pub const TREND_WEEKS: usize = 4;

/// Periods in a scorecard's trend (the period and the 6 before it).
pub const TREND_PERIODS: usize = 7;

/// The server's time zone.
pub fn time_zone(state: &AppState) -> ApiResult<TimeZone> {
    TimeZone::get(&state.settings().time_zone).map_err(|e| ApiError::internal(&e))
}

/// Today in `tz`.
pub fn today(tz: &TimeZone) -> Date {
    jiff::Timestamp::now().to_zoned_datetime(tz.clone()).date()
}

/// The first instant of `date` in `tz` (the end of a DST gap over midnight).
fn start_of(date: Date, tz: &TimeZone, field: &str) -> ApiResult<TimestampMs> {
    date.to_zoned_datetime(tz.clone())
        .map(|z| TimestampMs(z.timestamp().as_millisecond()))
        .map_err(|e| {
            ApiError::new(
                Code::InvalidParameter,
                format!("{field} = {date} cannot be placed in the time zone: {e}"),
            )
            .with_field(field)
        })
}

fn next_day(date: Date, field: &str) -> ApiResult<Date> {
    date.tomorrow().map_err(|e| {
        ApiError::new(
            Code::InvalidParameter,
            format!("{field} = {date} is at the end of the calendar: {e}"),
        )
        .with_field(field)
    })
}

/// The records of `[from, to)` with `fields` (complaints need the customer and the
/// attributes; KPIs do not).
async fn records(
    state: &AppState,
    from: TimestampMs,
    to: TimestampMs,
    fields: RecordFields,
) -> ApiResult<Vec<m::ContactRecord>> {
    let q = ReportQuery {
        from,
        to,
        ..ReportQuery::default()
    };
    Ok(state.store().report_records(&q, fields).await?)
}

async fn states(
    state: &AppState,
    from: TimestampMs,
    to: TimestampMs,
) -> ApiResult<Vec<m::AgentStateInterval>> {
    let q = ReportQuery {
        from,
        to,
        ..ReportQuery::default()
    };
    let now = TimestampMs::now().min(to);
    Ok(state.store().report_states(&q, Some(now)).await?)
}

// ---------------------------------------------------------------------------------------
// Morning briefing

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> ApiResult<Date> {
    text.trim().parse::<Date>().map_err(|_| {
        ApiError::new(
            Code::InvalidParameter,
            format!("date = {text:?} is not allowed: expected a date YYYY-MM-DD"),
        )
        .with_field("date")
    })
}

/// The morning briefing of `date` (default: yesterday in the server's zone): targets per
/// queue from the queues' settings, center-wide ones from the scorecard in force;
/// compared with the day before and the same weekday a week before.
pub async fn briefing(state: &AppState, date: Option<Date>) -> ApiResult<Briefing> {
    let tz = time_zone(state)?;
    let date = match date {
        Some(d) => d,
        None => today(&tz).yesterday().map_err(|e| ApiError::internal(&e))?,
    };
    let (def, _) = definition_in_force(state).await?;
    let mut targets = sc::briefing_targets(&def);
    for q in state.store().list_queues().await? {
        targets.queues.insert(
            q.settings.name.clone(),
            QueueTarget {
                service_level_pct: q.settings.target_service_level_pct,
                threshold: m::DurationMs::from_secs(i64::from(
                    q.settings.service_level_threshold_s,
                )),
            },
        );
    }
    let mut spec = BriefingSpec::new(date, tz.clone());
    spec.targets = targets;
    let bad = |e: m::BriefingError| match e {
        m::BriefingError::Invalid {
            field,
            value,
            allowed,
        } => {
            let field = if field == "date" {
                field
            } else {
                format!("targets.{field}")
            };
            ApiError::new(
                Code::InvalidParameter,
                format!("{field} = {value} is not allowed: expected {allowed}"),
            )
            .with_field(if field == "date" { "date" } else { "targets" })
        }
        other => ApiError::new(Code::InvalidParameter, other.to_string()).with_field("date"),
    };
    let day = |d: Date| -> ApiResult<(TimestampMs, TimestampMs)> {
        Ok((
            start_of(d, &tz, "date")?,
            start_of(next_day(d, "date")?, &tz, "date")?,
        ))
    };
    let (from, to) = day(date)?;
    let mut compare = Comparisons::default();
    for (i, back) in [1_i64, 7].into_iter().enumerate() {
        let Ok(d) = date.checked_sub(jiff::Span::new().days(back)) else {
            continue;
        };
        let (f, t) = day(d)?;
        let recs = records(state, f, t, RecordFields::KPIS).await?;
        let sts = states(state, f, t).await?;
        let figures =
            hotline_metrics::briefing::day_figures(&spec.for_date(d), &recs, &sts).map_err(bad)?;
        if i == 0 {
            compare.previous_day = Some(figures);
        } else {
            compare.same_weekday_last_week = Some(figures);
        }
    }
    let recs = records(state, from, to, RecordFields::KPIS).await?;
    let sts = states(state, from, to).await?;
    hotline_metrics::morning_briefing(&spec, &recs, &sts, &compare).map_err(bad)
}

// ---------------------------------------------------------------------------------------
// Weekly complaints

/// Parses `2026-W47` (or `2026-w47`).
pub fn parse_week(text: &str) -> ApiResult<IsoWeek> {
    let bad = || {
        ApiError::new(
            Code::InvalidParameter,
            format!("week = {text:?} is not allowed: expected an ISO week YYYY-Www (2026-W47) that the year has"),
        )
        .with_field("week")
    };
    let t = text.trim();
    let (y, w) = t
        .split_once("-W")
        .or_else(|| t.split_once("-w"))
        .ok_or_else(bad)?;
    let (Ok(y), Ok(w)) = (y.parse::<i16>(), w.parse::<i8>()) else {
        return Err(bad());
    };
    if !(1..=9998).contains(&y) {
        return Err(bad());
    }
    IsoWeek::new(y, w).map_err(|_| bad())
}

/// The complaint analysis of `week` (default: last week, the ISO week of the day seven
/// days ago) over `queues` (default: the complaint queues by name), plus every record
/// with attribute `type = complaint`.
pub async fn complaints(
    state: &AppState,
    week: Option<IsoWeek>,
    queues: Option<Vec<String>>,
) -> ApiResult<(ComplaintAnalysis, Vec<String>)> {
    let tz = time_zone(state)?;
    let week = match week {
        Some(w) => w,
        None => {
            let d = today(&tz)
                .checked_sub(jiff::Span::new().days(7))
                .map_err(|e| ApiError::internal(&e))?;
            IsoWeek::of(d)
        }
    };
    let known: Vec<String> = state
        .store()
        .list_queues()
        .await?
        .into_iter()
        .map(|q| q.settings.name)
        .collect();
    let queues = match queues {
        Some(list) => {
            for (i, q) in list.iter().enumerate() {
                if !known.contains(q) {
                    return Err(ApiError::new(
                        Code::InvalidParameter,
                        format!(
                            "queues[{i}] = {q:?} is not allowed: expected a queue name: {}",
                            known.join(", ")
                        ),
                    )
                    .with_field("queues"));
                }
            }
            list
        }
        None => known
            .into_iter()
            .filter(|q| m::complaints::is_complaint_queue(q))
            .collect(),
    };
    let filter = ComplaintFilter::standard(queues.clone());
    let mut spec = ComplaintSpec::new(week, tz.clone(), filter);
    spec.trend_weeks = TREND_WEEKS;
    let week_err = |e: m::ComplaintError| {
        ApiError::new(Code::InvalidParameter, e.to_string()).with_field("week")
    };
    let first = week.minus(TREND_WEEKS).map_err(week_err)?;
    let monday = first.monday().map_err(week_err)?;
    // The repeat window (7 days) is covered by the trend weeks.
    let from = start_of(monday, &tz, "week")?;
    let end = week
        .monday()
        .map_err(week_err)?
        .checked_add(jiff::Span::new().days(7))
        .map_err(|e| ApiError::new(Code::InvalidParameter, e.to_string()).with_field("week"))?;
    let to = start_of(end, &tz, "week")?;
    let recs = records(state, from, to, RecordFields::ALL).await?;
    let analysis = hotline_metrics::weekly_complaints(&spec, &recs).map_err(week_err)?;
    Ok((analysis, queues))
}

// ---------------------------------------------------------------------------------------
// Scorecard

/// Where the definition in force came from.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DefinitionSource {
    /// `stored` (saved through the API) or `example` (none saved: the telecom example).
    pub source: &'static str,
    /// Version (stored only).
    pub id: Option<i64>,
    /// When it was saved (RFC 3339), stored only.
    pub created_at: Option<String>,
    /// The person who saved it.
    pub created_by: Option<i64>,
    /// `toml` or `json`.
    pub format: &'static str,
}

/// The definition in force: the latest stored, else the telecom example.
pub async fn definition_in_force(state: &AppState) -> ApiResult<(Definition, DefinitionSource)> {
    match state.store().latest_scorecard_definition().await? {
        Some(row) => {
            let parsed = match row.format {
                DefinitionFormat::Toml => Definition::from_toml(&row.definition),
                DefinitionFormat::Json => Definition::from_json(&row.definition),
            };
            let def = parsed.map_err(|e| ApiError::internal(&e))?;
            Ok((
                def,
                DefinitionSource {
                    source: "stored",
                    id: Some(row.id),
                    created_at: Some(rfc3339(row.created_at)),
                    created_by: row.created_by.map(|p| p.0),
                    format: row.format.as_str(),
                },
            ))
        }
        None => Ok((
            Definition::telecom_example(),
            DefinitionSource {
                source: "example",
                id: None,
                created_at: None,
                created_by: None,
                format: "toml",
            },
        )),
    }
}

/// The stored text of the definition in force (the example's TOML when none).
pub async fn definition_text(state: &AppState) -> ApiResult<String> {
    Ok(match state.store().latest_scorecard_definition().await? {
        Some(row) => row.definition,
        None => Definition::telecom_example().to_toml(),
    })
}

fn rfc3339(t: TimestampMs) -> String {
    jiff::Timestamp::from_millisecond(t.0)
        .map(|ts| ts.to_string())
        .unwrap_or_default()
}

/// The organisation from the store: the center → departments (`d<id>`, by name) →
/// teams (by name: contact records carry it) → agents (people with role agent and a
/// team, by username). A queue belongs to the team whose agents answered most of its
/// contacts in `records` ([`sc::queue_owners`]); with `None` no queue is owned below the
/// center.
pub async fn org(state: &AppState, records: Option<&[m::ContactRecord]>) -> ApiResult<Org> {
    let store = state.store();
    let sites = store.list_sites().await?;
    let departments = store.list_departments(None).await?;
    let teams = store.list_teams(None).await?;
    let people = store.list_people(&PersonFilter::default()).await?;
    let owner_of = match records {
        Some(records) => sc::queue_owners(&sc::queue_answers(records)),
        None => BTreeMap::new(),
    };
    let mut seen_teams = std::collections::HashSet::new();
    let mut out = Org {
        id: "center".into(),
        name: match sites.as_slice() {
            [one] => one.name.clone(),
            _ => String::new(),
        },
        departments: Vec::new(),
    };
    for d in &departments {
        let mut dept = sc::Department {
            id: format!("d{}", d.id.0),
            name: d.name.clone(),
            queues: Vec::new(),
            teams: Vec::new(),
        };
        for t in teams.iter().filter(|t| t.department_id == d.id) {
            if !seen_teams.insert(t.name.clone()) {
                continue;
            }
            let agents = people
                .iter()
                .filter(|p| p.role == Role::Agent && p.team_id == Some(t.id))
                .map(|p| sc::Agent {
                    id: p.username.clone(),
                    name: p.display_name.clone(),
                })
                .collect();
            dept.teams.push(sc::Team {
                id: t.name.clone(),
                name: t.name.clone(),
                queues: owner_of
                    .iter()
                    .filter(|(_, team)| **team == t.name)
                    .map(|(q, _)| q.clone())
                    .collect(),
                agents,
            });
        }
        out.departments.push(dept);
    }
    Ok(out)
}

/// An override left out because the org does not have its owner (the API's form of
/// [`sc::SkippedOverride`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SkippedOverride {
    /// `overrides[0].team`.
    pub path: String,
    /// The owner named.
    pub value: String,
    /// Why.
    pub allowed: String,
}

impl From<sc::SkippedOverride> for SkippedOverride {
    fn from(s: sc::SkippedOverride) -> SkippedOverride {
        SkippedOverride {
            path: s.path,
            value: s.value,
            allowed: s.allowed,
        }
    }
}

/// [`sc::resolve_lenient`], with the skipped overrides in the API's form.
pub fn resolve_lenient(
    def: &Definition,
    org: &Org,
) -> Result<(Resolved, Vec<SkippedOverride>), ScorecardError> {
    sc::resolve_lenient(def, org)
        .map(|(r, skipped)| (r, skipped.into_iter().map(Into::into).collect()))
}

/// Parses `2026-11`, `2026-Q4`, `2026`.
pub fn parse_period(text: &str) -> ApiResult<Period> {
    text.trim().parse::<Period>().map_err(|_| {
        ApiError::new(
            Code::InvalidParameter,
            format!("period = {text:?} is not allowed: expected YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY (a year)"),
        )
        .with_field("period")
    })
}

/// The period of `kind` holding today.
pub fn current_period(tz: &TimeZone, kind: PeriodKind) -> ApiResult<Period> {
    Period::containing(kind, m::TimestampMs(TimestampMs::now().0), tz)
        .map_err(|e| ApiError::internal(&e))
}

/// The scorecards of a period and the periods before it.
#[derive(Clone, Debug)]
pub struct Scorecards {
    /// Oldest first; the last is the period asked for.
    pub sets: Vec<ScorecardSet>,
    /// Where the definition came from.
    pub source: DefinitionSource,
    /// Overrides left out.
    pub skipped: Vec<SkippedOverride>,
    /// person id → org key (agents), team store id → key, department store id → key.
    pub ids: HashMap<(Level, i64), OwnerKey>,
    /// Username → person id.
    pub person_ids: HashMap<String, i64>,
}

impl Scorecards {
    /// The set of the period asked for.
    pub fn current(&self) -> &ScorecardSet {
        self.sets.last().expect("at least one period")
    }
}

/// Every owner's scorecard for `period` and the `TREND_PERIODS - 1` before it.
pub async fn scorecards(state: &AppState, period: Period) -> ApiResult<Scorecards> {
    let tz = time_zone(state)?;
    let periods = period.trailing(TREND_PERIODS);
    let bounds = |p: &Period| {
        p.bounds(&tz)
            .map_err(|e| ApiError::new(Code::InvalidParameter, e.to_string()).with_field("period"))
    };
    let from = bounds(periods.first().unwrap_or(&period))?.0;
    let to = bounds(&period)?.1;
    let (from, to) = (TimestampMs(from.0), TimestampMs(to.0));
    let (def, source) = definition_in_force(state).await?;
    // Seven periods of records and spells, in the scan's order: the engine sums, so the
    // sort `records` and `states` do for the other pages would be wasted here.
    let q = ReportQuery {
        from,
        to,
        ..ReportQuery::default()
    };
    let store = state.store();
    let (recs, _) = store
        .scan_report_records(&q, RecordFields::KPIS, Vec::new(), |v, r| v.push(r.clone()))
        .await?;
    let now = TimestampMs::now().min(to);
    let (sts, _) = store
        .scan_report_states(&q, Some(now), Vec::new(), |v, s| v.push(s.clone()))
        .await?;
    let org = org(state, Some(&recs)).await?;
    let (resolved, skipped) = resolve_lenient(&def, &org).map_err(|e| {
        ApiError::new(
            Code::Conflict,
            format!("the scorecard definition in force does not fit the organisation: {e}"),
        )
    })?;
    let eval = sc::evaluate(&resolved, &periods, &tz, &recs, &sts)
        .map_err(|e| ApiError::new(Code::InvalidParameter, e.to_string()).with_field("period"))?;
    let mut ids = HashMap::new();
    let mut person_ids = HashMap::new();
    for p in state.store().list_people(&PersonFilter::default()).await? {
        ids.insert(
            (Level::Agent, p.id.0),
            OwnerKey::new(Level::Agent, p.username.clone()),
        );
        person_ids.insert(p.username, p.id.0);
    }
    for t in state.store().list_teams(None).await? {
        ids.insert((Level::Team, t.id.0), OwnerKey::new(Level::Team, t.name));
    }
    for d in state.store().list_departments(None).await? {
        ids.insert(
            (Level::Department, d.id.0),
            OwnerKey::new(Level::Department, format!("d{}", d.id.0)),
        );
    }
    Ok(Scorecards {
        sets: eval.sets,
        source,
        skipped,
        ids,
        person_ids,
    })
}

/// The owner named by `text` (`center`, `team:3` by store id or `team:Billing` by the
/// org's id, `agent:7` or `agent:ana`, `department:2` or `department:d2`).
pub fn parse_owner(text: &str, cards: &Scorecards) -> ApiResult<OwnerKey> {
    let set = cards.current();
    let center = set.owners.first().map(|o| o.owner.key.clone());
    let bad = |why: &str| {
        ApiError::new(
            Code::InvalidParameter,
            format!("owner = {text:?} is not allowed: expected center, department:ID, team:ID or agent:ID{why}"),
        )
        .with_field("owner")
    };
    let t = text.trim();
    if t == "center" || t.starts_with("center:") {
        return center.ok_or_else(|| bad(""));
    }
    let (level, rest) = t.split_once(':').ok_or_else(|| bad(""))?;
    let level = Level::parse(level).ok_or_else(|| bad(""))?;
    let by_key = OwnerKey::new(level, rest);
    if set.get(&by_key).is_some() {
        return Ok(by_key);
    }
    if let Ok(n) = rest.parse::<i64>() {
        if let Some(k) = cards.ids.get(&(level, n)) {
            if set.get(k).is_some() {
                return Ok(k.clone());
            }
        }
    }
    Err(ApiError::new(
        Code::NotFound,
        format!(
            "owner {t} has no scorecard: no such {level} in the organisation (agents need a team)"
        ),
    )
    .with_field("owner"))
}
