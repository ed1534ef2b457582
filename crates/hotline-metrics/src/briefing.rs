//! The daily morning briefing — "management by fact": the manager's first look each
//! morning at yesterday, as numbers with their targets and short notes drawn from them.
//!
//! ```text
//! let spec = BriefingSpec::new(date(2024, 3, 4), TimeZone::get("Europe/Madrid")?);
//! let previous = day_figures(&spec.for_date(date(2024, 3, 3)), &prev_records, &prev_states)?;
//! let briefing = morning_briefing(&spec, &records, &states, &Comparisons {
//!     previous_day: Some(previous),
//!     same_weekday_last_week: None,
//! })?;
//! ```
//!
//! Every figure comes from the [`Report`] machinery (the KPI definitions of
//! `docs/kpis.md`); this module only chooses the reports, combines queues with different
//! service-level thresholds, ranks intervals and reasons, compares with targets and
//! earlier days, and writes notes. Definitions of every field: `docs/briefing.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::kpi::{Direction, KpiId};
use crate::record::{AgentState, AgentStateInterval, ContactRecord};
use crate::report::interval::{boundaries, Interval};
use crate::report::{Dimension, KpiParams, Report, ReportError, ReportSpec, ReportTable, Row};
use crate::time::{DurationMs, TimestampMs, DAY_MS};

/// The name under which not-ready time without a reason is listed.
pub const NO_REASON: &str = "(no reason)";

/// A target for one figure.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Met when the value is at least this (service level).
    AtLeast(f64),
    /// Met when the value is at most this (abandon rate, ASA, AHT).
    AtMost(f64),
    /// Met when the value is within `[low, high]` (occupancy).
    Between(f64, f64),
}

impl Target {
    /// Whether `value` meets the target (bounds included).
    pub fn met(&self, value: f64) -> bool {
        match *self {
            Target::AtLeast(t) => value >= t,
            Target::AtMost(t) => value <= t,
            Target::Between(lo, hi) => value >= lo.min(hi) && value <= lo.max(hi),
        }
    }

    /// How far `value` is from meeting the target (0 when it does).
    fn distance(&self, value: f64) -> f64 {
        match *self {
            Target::AtLeast(t) => (t - value).max(0.0),
            Target::AtMost(t) => (value - t).max(0.0),
            Target::Between(lo, hi) => {
                (lo.min(hi) - value).max(0.0) + (value - lo.max(hi)).max(0.0)
            }
        }
    }

    fn check(&self, field: &str) -> Result<(), BriefingError> {
        let ok = match *self {
            Target::AtLeast(t) | Target::AtMost(t) => t.is_finite(),
            Target::Between(a, b) => a.is_finite() && b.is_finite(),
        };
        if ok {
            Ok(())
        } else {
            Err(BriefingError::Invalid {
                field: field.into(),
                value: format!("{self:?}"),
                allowed: "finite numbers".into(),
            })
        }
    }

    /// `80%`, `30 s`, `75–85%` (for notes).
    fn text(&self, unit: &str) -> String {
        match *self {
            Target::AtLeast(t) | Target::AtMost(t) => format!("{}{unit}", trim(t)),
            Target::Between(a, b) => format!("{}–{}{unit}", trim(a.min(b)), trim(a.max(b))),
        }
    }
}

/// A queue's service-level target: `service_level_pct` % answered within `threshold`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueTarget {
    /// The target, in percent of offered.
    pub service_level_pct: f64,
    /// T: answered with a wait ≤ T counts as within the service level.
    pub threshold: DurationMs,
}

impl Default for QueueTarget {
    /// 80 % within 20 s.
    fn default() -> QueueTarget {
        QueueTarget {
            service_level_pct: 80.0,
            threshold: DurationMs::from_secs(20),
        }
    }
}

/// The targets the day is judged against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    /// Per queue (by name).
    pub queues: BTreeMap<String, QueueTarget>,
    /// For queues not listed.
    pub default_queue: QueueTarget,
    /// Center-wide abandon rate, % (usually `AtMost`).
    pub abandon_rate_pct: Option<Target>,
    /// Center-wide average speed of answer, s (usually `AtMost`).
    pub asa_s: Option<Target>,
    /// Center-wide average handle time, s (usually `AtMost`).
    pub aht_s: Option<Target>,
    /// Center-wide occupancy, % (usually `Between`).
    pub occupancy_pct: Option<Target>,
}

impl Default for Targets {
    /// Every queue 80 % in 20 s; no center-wide targets.
    fn default() -> Targets {
        Targets {
            queues: BTreeMap::new(),
            default_queue: QueueTarget::default(),
            abandon_rate_pct: None,
            asa_s: None,
            aht_s: None,
            occupancy_pct: None,
        }
    }
}

impl Targets {
    /// The target of `queue`.
    pub fn queue(&self, queue: &str) -> QueueTarget {
        self.queues
            .get(queue)
            .copied()
            .unwrap_or(self.default_queue)
    }
}

/// What to brief on.
#[derive(Clone, Debug)]
pub struct BriefingSpec {
    /// The day (local calendar date in `time_zone`).
    pub date: Date,
    /// The zone whose calendar defines the day and its intervals.
    pub time_zone: TimeZone,
    /// The targets.
    pub targets: Targets,
    /// Interval length for the timeline and the worst intervals (default 30 minutes).
    pub interval: Interval,
    /// S, the short-abandon threshold (default 5 s).
    pub short_abandon_threshold: DurationMs,
    /// How many worst intervals to list (default 5).
    pub worst_intervals: usize,
    /// How many not-ready reasons to list (default 5).
    pub top_reasons: usize,
    /// Intervals with a service level under this (%) are counted as poor in the notes
    /// (default 50).
    pub poor_interval_pct: f64,
}

impl BriefingSpec {
    /// Defaults: 30-minute intervals, 80/20 for every queue, S = 5 s, 5 worst intervals,
    /// 5 reasons, poor under 50 %.
    pub fn new(date: Date, time_zone: TimeZone) -> BriefingSpec {
        BriefingSpec {
            date,
            time_zone,
            targets: Targets::default(),
            interval: Interval::Minutes(30),
            short_abandon_threshold: DurationMs::from_secs(5),
            worst_intervals: 5,
            top_reasons: 5,
            poor_interval_pct: 50.0,
        }
    }

    /// The same settings for another day (to compute a comparison day's figures).
    pub fn for_date(&self, date: Date) -> BriefingSpec {
        BriefingSpec {
            date,
            ..self.clone()
        }
    }
}

/// A briefing that cannot be made as asked.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum BriefingError {
    /// A setting out of range.
    #[error("{field} = {value:?}: expected {allowed}")]
    Invalid {
        /// The setting.
        field: String,
        /// Its value.
        value: String,
        /// What is allowed.
        allowed: String,
    },
    /// The underlying report refused.
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// The headline figures of one day: what a comparison needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    /// The local date, `2024-03-04`.
    pub date: String,
    /// Offered contacts.
    pub offered: u64,
    /// Answered contacts.
    pub answered: u64,
    /// Abandoned contacts.
    pub abandoned: u64,
    /// Contacts answered within their queue's T.
    pub answered_within_threshold: u64,
    /// Service level, % of offered answered within each queue's T.
    pub service_level: Option<f64>,
    /// Average speed of answer, s.
    pub asa_s: Option<f64>,
    /// Average handle time, s.
    pub aht_s: Option<f64>,
    /// Abandon rate, %.
    pub abandon_rate: Option<f64>,
    /// Occupancy, %.
    pub occupancy: Option<f64>,
    /// Logged-in agent time, ms.
    pub logged_in_ms: i64,
}

impl DayFigures {
    /// The value of a headline KPI (`None` for KPIs the briefing does not carry).
    pub fn value(&self, kpi: KpiId) -> Option<f64> {
        match kpi {
            KpiId::Offered => Some(self.offered as f64),
            KpiId::Answered => Some(self.answered as f64),
            KpiId::Abandoned => Some(self.abandoned as f64),
            KpiId::ServiceLevel => self.service_level,
            KpiId::AsaS => self.asa_s,
            KpiId::AhtS => self.aht_s,
            KpiId::AbandonRate => self.abandon_rate,
            KpiId::Occupancy => self.occupancy,
            _ => None,
        }
    }
}

/// Earlier days to compare with (their figures from [`day_figures`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparisons {
    /// The day before.
    pub previous_day: Option<DayFigures>,
    /// The same weekday a week before.
    pub same_weekday_last_week: Option<DayFigures>,
}

/// Whether a figure met its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Met.
    Met,
    /// Missed.
    Missed,
    /// No value (e.g. ASA with nothing answered).
    NoData,
    /// No target for this figure.
    NoTarget,
}

fn status(value: Option<f64>, target: Option<Target>) -> Status {
    match (value, target) {
        (None, _) => Status::NoData,
        (Some(_), None) => Status::NoTarget,
        (Some(v), Some(t)) if t.met(v) => Status::Met,
        _ => Status::Missed,
    }
}

/// A headline figure against an earlier day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// The earlier day, `2024-03-03`.
    pub date: String,
    /// Its value.
    pub value: Option<f64>,
    /// This day's value minus the earlier one, in the KPI's unit (percentage points for
    /// percentages); `None` when either is missing.
    pub change: Option<f64>,
    /// Whether the change is an improvement (by the KPI's direction; for occupancy:
    /// closer to its target); `None` for volumes, no change, or no way to tell.
    pub better: Option<bool>,
}

/// One headline figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeadlineKpi {
    /// Which.
    pub kpi: KpiId,
    /// The day's value.
    pub value: Option<f64>,
    /// Its target, if any.
    pub target: Option<Target>,
    /// Met or missed.
    pub status: Status,
    /// Against the previous day.
    pub previous_day: Option<Delta>,
    /// Against the same weekday last week.
    pub same_weekday_last_week: Option<Delta>,
}

/// One queue's day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    /// The queue.
    pub queue: String,
    /// Offered.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Service level with the queue's T, %.
    pub service_level: Option<f64>,
    /// The queue's target, %.
    pub service_level_target_pct: f64,
    /// The queue's T, seconds.
    pub threshold_s: f64,
    /// Service level against the queue's target.
    pub status: Status,
    /// Average speed of answer, s.
    pub asa_s: Option<f64>,
    /// Average handle time, s.
    pub aht_s: Option<f64>,
    /// Abandon rate, %.
    pub abandon_rate: Option<f64>,
}

/// One interval of the day, center-wide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalRow {
    /// Start, RFC 3339 in the day's zone.
    pub start: String,
    /// End, RFC 3339 in the day's zone.
    pub end: String,
    /// `10:00–10:30` in local time.
    pub label: String,
    /// Offered.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Service level (each queue with its own T), %.
    pub service_level: Option<f64>,
    /// Average speed of answer, s.
    pub asa_s: Option<f64>,
}

/// Not-ready time for one reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReasonRow {
    /// The reason ([`NO_REASON`] when none was given).
    pub reason: String,
    /// Not-ready time within the day, ms.
    pub time_ms: i64,
    /// The same in hours.
    pub hours: f64,
    /// 100 × time / logged-in time of all agents that day.
    pub share_of_logged_in_pct: Option<f64>,
}

/// What a note says, as data (for a page to translate); [`Note::text`] is the English.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteKind {
    /// Nothing was offered.
    NoContacts,
    /// The center's service level against its target, with the poor intervals.
    ServiceLevel {
        /// The value, %.
        value: f64,
        /// The target, %.
        target: f64,
        /// Whether it was met.
        met: bool,
        /// Intervals with contacts whose service level was under `poor_under`.
        poor_intervals: usize,
        /// Intervals with contacts.
        intervals_with_contacts: usize,
        /// The poor-interval level, %.
        poor_under: f64,
    },
    /// A center-wide target missed (abandon rate, ASA, AHT, occupancy).
    TargetMissed {
        /// Which.
        kpi: KpiId,
        /// The value.
        value: f64,
        /// The target.
        target: Target,
    },
    /// A queue missed its service-level target.
    QueueMissed {
        /// The queue.
        queue: String,
        /// Its service level, %.
        value: f64,
        /// Its target, %.
        target: f64,
        /// Its offered contacts.
        offered: u64,
    },
    /// The busiest interval.
    Busiest {
        /// `10:00–10:30`.
        label: String,
        /// Offered then.
        offered: u64,
    },
    /// The largest not-ready reason.
    TopNotReady {
        /// The reason.
        reason: String,
        /// Hours.
        hours: f64,
        /// Share of logged-in time, %.
        share_pct: Option<f64>,
    },
    /// Volume against the previous day.
    VolumeChange {
        /// Offered this day.
        offered: u64,
        /// Offered the previous day.
        previous: u64,
        /// Change in %, `None` when the previous day had none.
        change_pct: Option<f64>,
    },
}

/// A short fact-based note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// The facts.
    pub kind: NoteKind,
    /// The English sentence.
    pub text: String,
}

impl From<NoteKind> for Note {
    fn from(kind: NoteKind) -> Note {
        let text = kind.to_string();
        Note { kind, text }
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoteKind::NoContacts => f.write_str("No contacts were offered."),
            NoteKind::ServiceLevel {
                value,
                target,
                met,
                poor_intervals,
                intervals_with_contacts,
                poor_under,
            } => write!(
                f,
                "Service level {value:.1}% {} the {}% target; {poor_intervals} of \
                 {intervals_with_contacts} intervals under {}%.",
                if *met { "met" } else { "missed" },
                trim(*target),
                trim(*poor_under)
            ),
            NoteKind::TargetMissed { kpi, value, target } => {
                let (name, unit) = kpi_words(*kpi);
                write!(
                    f,
                    "{name} {value:.1}{unit} missed the {} target.",
                    target.text(unit)
                )
            }
            NoteKind::QueueMissed {
                queue,
                value,
                target,
                offered,
            } => write!(
                f,
                "{queue}: service level {value:.1}% missed its {}% target ({offered} offered).",
                trim(*target)
            ),
            NoteKind::Busiest { label, offered } => {
                write!(f, "Busiest interval: {label} with {offered} offered.")
            }
            NoteKind::TopNotReady {
                reason,
                hours,
                share_pct,
            } => {
                write!(f, "Top not-ready reason: {reason}, {hours:.1} h")?;
                match share_pct {
                    Some(s) => write!(f, " ({s:.1}% of logged-in time)."),
                    None => f.write_str("."),
                }
            }
            NoteKind::VolumeChange {
                offered,
                previous,
                change_pct,
            } => match change_pct {
                Some(c) => write!(
                    f,
                    "Offered {offered}: {c:+.1}% against the previous day ({previous})."
                ),
                None => write!(f, "Offered {offered}; none the previous day."),
            },
        }
    }
}

fn kpi_words(kpi: KpiId) -> (&'static str, &'static str) {
    match kpi {
        KpiId::AbandonRate => ("Abandon rate", "%"),
        KpiId::AsaS => ("Average speed of answer", " s"),
        KpiId::AhtS => ("Average handle time", " s"),
        KpiId::Occupancy => ("Occupancy", "%"),
        KpiId::ServiceLevel => ("Service level", "%"),
        _ => (kpi.def().names.en, ""),
    }
}

/// `80`, `80.5` (no trailing zeros).
fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefingStats {
    /// Contact records that arrived within the day.
    pub records: u64,
    /// Contact records outside the day, ignored.
    pub records_outside_day: u64,
    /// State spells overlapping the day.
    pub states: u64,
    /// State spells entirely outside the day, ignored.
    pub states_outside_day: u64,
}

/// The morning briefing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    /// The day, `2024-03-04`.
    pub date: String,
    /// IANA zone name.
    pub time_zone: String,
    /// Start of the day, RFC 3339.
    pub from: String,
    /// End of the day (start of the next), RFC 3339.
    pub to: String,
    /// Interval length (`30m`).
    pub interval: String,
    /// Number of intervals in the day (48 half-hours; 46 or 50 on DST days).
    pub intervals: usize,
    /// The day's headline figures (for comparisons).
    pub figures: DayFigures,
    /// Offered, answered, abandoned, service level, ASA, AHT, abandon rate, occupancy.
    pub headline: Vec<HeadlineKpi>,
    /// Every queue with contacts or a target, by name.
    pub queues: Vec<QueueRow>,
    /// Every interval of the day, in order.
    pub timeline: Vec<IntervalRow>,
    /// The intervals with the lowest service level among those with contacts.
    pub worst_intervals: Vec<IntervalRow>,
    /// The interval with the most offered (`None`: nothing offered).
    pub busiest_interval: Option<IntervalRow>,
    /// Not-ready reasons by time, largest first.
    pub not_ready: Vec<ReasonRow>,
    /// Fact-based notes, most important first.
    pub notes: Vec<Note>,
    /// What was read.
    pub stats: BriefingStats,
}

/// The first instant of `date` in `tz` (midnight, or the end of a gap over it).
pub(crate) fn start_of_day(date: Date, tz: &TimeZone) -> Result<TimestampMs, BriefingError> {
    date.to_zoned_datetime(tz.clone())
        .map(|z| TimestampMs(z.timestamp().as_millisecond()))
        .map_err(|e| BriefingError::Invalid {
            field: "date".into(),
            value: date.to_string(),
            allowed: format!("a date the time zone can represent ({e})"),
        })
}

/// `[start, end)` of a local day.
pub(crate) fn day_bounds(
    date: Date,
    tz: &TimeZone,
) -> Result<(TimestampMs, TimestampMs), BriefingError> {
    let next = date.tomorrow().map_err(|e| BriefingError::Invalid {
        field: "date".into(),
        value: date.to_string(),
        allowed: format!("a date before 9999-12-31 ({e})"),
    })?;
    Ok((start_of_day(date, tz)?, start_of_day(next, tz)?))
}

/// `HH:MM` local time of `t`.
pub(crate) fn local_hm(t: i64, tz: &TimeZone) -> String {
    let off = TimestampMs(t)
        .to_jiff()
        .map_or(0, |ts| i64::from(tz.to_offset(ts).seconds()) * 1000);
    let min = (t + off).rem_euclid(DAY_MS) / 60_000;
    format!("{:02}:{:02}", min / 60, min % 60)
}

const QUEUE_KPIS: [KpiId; 7] = [
    KpiId::Offered,
    KpiId::Answered,
    KpiId::Abandoned,
    KpiId::ServiceLevel,
    KpiId::AsaS,
    KpiId::AhtS,
    KpiId::AbandonRate,
];

const CENTER_KPIS: [KpiId; 8] = [
    KpiId::Offered,
    KpiId::Answered,
    KpiId::Abandoned,
    KpiId::AsaS,
    KpiId::AhtS,
    KpiId::AbandonRate,
    KpiId::Occupancy,
    KpiId::LoggedInHours,
];

/// The headline figures of a day alone (for [`Comparisons`]).
pub fn day_figures<'a>(
    spec: &BriefingSpec,
    records: impl IntoIterator<Item = &'a ContactRecord>,
    states: impl IntoIterator<Item = &'a AgentStateInterval>,
) -> Result<DayFigures, BriefingError> {
    Ok(morning_briefing(spec, records, states, &Comparisons::default())?.figures)
}

fn count(table: &ReportTable, row: &Row, kpi: KpiId) -> u64 {
    table.value(row, kpi).map_or(0, |v| v.round() as u64)
}

/// The morning briefing for `spec.date` from that day's contact records and agent state
/// spells (records arriving outside the day and spells entirely outside it are ignored
/// and counted), compared with earlier days' figures.
pub fn morning_briefing<'a>(
    spec: &BriefingSpec,
    records: impl IntoIterator<Item = &'a ContactRecord>,
    states: impl IntoIterator<Item = &'a AgentStateInterval>,
    compare: &Comparisons,
) -> Result<Briefing, BriefingError> {
    check(spec)?;
    let tz = &spec.time_zone;
    let (from, to) = day_bounds(spec.date, tz)?;
    let params = |t: DurationMs| KpiParams {
        service_level_threshold: t,
        short_abandon_threshold: spec.short_abandon_threshold,
    };
    let base = |group_by: Vec<Dimension>, kpis: &[KpiId], t: DurationMs, empty: bool| {
        let mut s = ReportSpec::new(from, to, tz.clone());
        s.interval = spec.interval;
        s.group_by = group_by;
        s.kpis = kpis.to_vec();
        s.params = params(t);
        s.include_empty = empty;
        s
    };
    let mut center = Report::new(base(
        Vec::new(),
        &CENTER_KPIS,
        spec.targets.default_queue.threshold,
        true,
    ))?;
    // One queue report per distinct threshold: service level needs each queue's T.
    let mut by_threshold: BTreeMap<DurationMs, Report> = BTreeMap::new();
    let mut stats = BriefingStats::default();
    for r in records {
        if r.arrived_at < from || r.arrived_at >= to {
            stats.records_outside_day += 1;
            continue;
        }
        stats.records += 1;
        center.add(r);
        let t = spec.targets.queue(&r.queue).threshold;
        let report = match by_threshold.entry(t) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(Report::new(base(
                vec![Dimension::Queue],
                &QUEUE_KPIS,
                t,
                false,
            ))?),
        };
        report.add(r);
    }
    let mut reasons: HashMap<String, i64> = HashMap::new();
    for s in states {
        let a = s.from.0.max(from.0);
        let b = s.to.0.min(to.0);
        if b <= a {
            stats.states_outside_day += 1;
            continue;
        }
        stats.states += 1;
        center.add_state(s);
        if s.state == AgentState::NotReady {
            let reason = s.reason.as_deref().filter(|r| !r.trim().is_empty());
            *reasons
                .entry(reason.unwrap_or(NO_REASON).to_owned())
                .or_default() += b - a;
        }
    }
    let bounds = boundaries(spec.interval, tz, Weekday::Monday, from, to)?;
    let center = center.finish();
    let queue_tables: Vec<ReportTable> = by_threshold.into_values().map(Report::finish).collect();

    // Per interval: answered within T summed over queues (each with its own T).
    let labels: HashMap<String, usize> = bounds[..bounds.len() - 1]
        .iter()
        .enumerate()
        .map(|(i, &b)| (TimestampMs(b).to_rfc3339_in(tz), i))
        .collect();
    let n = bounds.len() - 1;
    let mut within = vec![0u64; n];
    for table in &queue_tables {
        for row in &table.rows {
            let Some(i) = row.interval_start.as_ref().and_then(|l| labels.get(l)) else {
                continue;
            };
            within[*i] += answered_within(table, row);
        }
    }
    let timeline: Vec<IntervalRow> = center
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let offered = count(&center, row, KpiId::Offered);
            IntervalRow {
                start: TimestampMs(bounds[i]).to_rfc3339_in(tz),
                end: TimestampMs(bounds[i + 1]).to_rfc3339_in(tz),
                label: format!(
                    "{}–{}",
                    local_hm(bounds[i], tz),
                    local_hm(bounds[i + 1], tz)
                ),
                offered,
                answered: count(&center, row, KpiId::Answered),
                abandoned: count(&center, row, KpiId::Abandoned),
                service_level: (offered > 0).then(|| 100.0 * within[i] as f64 / offered as f64),
                asa_s: center.value(row, KpiId::AsaS),
            }
        })
        .collect();

    // Queues: every queue met or targeted.
    let mut queues: BTreeMap<String, QueueRow> = BTreeMap::new();
    let mut answered_within_threshold = 0;
    let mut weighted_target = 0.0;
    for table in &queue_tables {
        for row in &table.totals {
            let Some(Some(name)) = row.groups.first() else {
                continue;
            };
            answered_within_threshold += answered_within(table, row);
            let t = spec.targets.queue(name);
            let offered = count(table, row, KpiId::Offered);
            weighted_target += offered as f64 * t.service_level_pct;
            let sl = table.value(row, KpiId::ServiceLevel);
            queues.insert(
                name.clone(),
                QueueRow {
                    queue: name.clone(),
                    offered,
                    answered: count(table, row, KpiId::Answered),
                    abandoned: count(table, row, KpiId::Abandoned),
                    service_level: sl,
                    service_level_target_pct: t.service_level_pct,
                    threshold_s: t.threshold.as_secs_f64(),
                    status: status(sl, Some(Target::AtLeast(t.service_level_pct))),
                    asa_s: table.value(row, KpiId::AsaS),
                    aht_s: table.value(row, KpiId::AhtS),
                    abandon_rate: table.value(row, KpiId::AbandonRate),
                },
            );
        }
    }
    for (name, t) in &spec.targets.queues {
        queues.entry(name.clone()).or_insert_with(|| QueueRow {
            queue: name.clone(),
            offered: 0,
            answered: 0,
            abandoned: 0,
            service_level: None,
            service_level_target_pct: t.service_level_pct,
            threshold_s: t.threshold.as_secs_f64(),
            status: Status::NoData,
            asa_s: None,
            aht_s: None,
            abandon_rate: None,
        });
    }

    let total = &center.total;
    let offered = count(&center, total, KpiId::Offered);
    let logged_in_ms =
        (center.value(total, KpiId::LoggedInHours).unwrap_or(0.0) * 3_600_000.0).round() as i64;
    let figures = DayFigures {
        date: spec.date.to_string(),
        offered,
        answered: count(&center, total, KpiId::Answered),
        abandoned: count(&center, total, KpiId::Abandoned),
        answered_within_threshold,
        service_level: (offered > 0)
            .then(|| 100.0 * answered_within_threshold as f64 / offered as f64),
        asa_s: center.value(total, KpiId::AsaS),
        aht_s: center.value(total, KpiId::AhtS),
        abandon_rate: center.value(total, KpiId::AbandonRate),
        occupancy: center.value(total, KpiId::Occupancy),
        logged_in_ms,
    };
    // The center's service-level target: the queues' targets weighted by offered;
    // with nothing offered, the plain mean of the listed queues' (or the default).
    let sl_target = if offered > 0 {
        weighted_target / offered as f64
    } else if spec.targets.queues.is_empty() {
        spec.targets.default_queue.service_level_pct
    } else {
        spec.targets
            .queues
            .values()
            .map(|t| t.service_level_pct)
            .sum::<f64>()
            / spec.targets.queues.len() as f64
    };
    let targets = &spec.targets;
    let headline: Vec<HeadlineKpi> = [
        (KpiId::Offered, None),
        (KpiId::Answered, None),
        (KpiId::Abandoned, None),
        (KpiId::ServiceLevel, Some(Target::AtLeast(sl_target))),
        (KpiId::AsaS, targets.asa_s),
        (KpiId::AhtS, targets.aht_s),
        (KpiId::AbandonRate, targets.abandon_rate_pct),
        (KpiId::Occupancy, targets.occupancy_pct),
    ]
    .into_iter()
    .map(|(kpi, target)| {
        let value = figures.value(kpi);
        let delta = |other: &Option<DayFigures>| {
            other.as_ref().map(|o| {
                let before = o.value(kpi);
                let change = value.zip(before).map(|(a, b)| a - b);
                Delta {
                    date: o.date.clone(),
                    value: before,
                    change,
                    better: better(kpi, target, value, before),
                }
            })
        };
        HeadlineKpi {
            kpi,
            value,
            target,
            status: status(value, target),
            previous_day: delta(&compare.previous_day),
            same_weekday_last_week: delta(&compare.same_weekday_last_week),
        }
    })
    .collect();

    // Worst intervals: lowest service level among those with contacts; ties: more
    // offered first, then earlier.
    // (Earlier by position: RFC 3339 text does not sort across an offset change.)
    let mut ranked: Vec<(usize, &IntervalRow)> = timeline
        .iter()
        .enumerate()
        .filter(|(_, r)| r.offered > 0)
        .collect();
    ranked.sort_by(|(ia, a), (ib, b)| {
        let (sa, sb) = (
            a.service_level.unwrap_or(0.0),
            b.service_level.unwrap_or(0.0),
        );
        sa.total_cmp(&sb)
            .then(b.offered.cmp(&a.offered))
            .then(ia.cmp(ib))
    });
    let ranked: Vec<&IntervalRow> = ranked.into_iter().map(|(_, r)| r).collect();
    let poor = ranked
        .iter()
        .filter(|r| r.service_level.is_some_and(|s| s < spec.poor_interval_pct))
        .count();
    let with_contacts = ranked.len();
    let worst_intervals: Vec<IntervalRow> = ranked
        .iter()
        .take(spec.worst_intervals)
        .map(|r| (*r).clone())
        .collect();
    // Busiest: most offered, the earliest of equals.
    let busiest_interval = timeline
        .iter()
        .filter(|r| r.offered > 0)
        .fold(None::<&IntervalRow>, |best, r| match best {
            Some(b) if b.offered >= r.offered => Some(b),
            _ => Some(r),
        })
        .cloned();

    let mut not_ready: Vec<ReasonRow> = reasons
        .into_iter()
        .map(|(reason, ms)| ReasonRow {
            reason,
            time_ms: ms,
            hours: ms as f64 / 3_600_000.0,
            share_of_logged_in_pct: (logged_in_ms > 0)
                .then(|| 100.0 * ms as f64 / logged_in_ms as f64),
        })
        .collect();
    not_ready.sort_by(|a, b| b.time_ms.cmp(&a.time_ms).then(a.reason.cmp(&b.reason)));
    not_ready.truncate(spec.top_reasons);

    // Notes, most important first.
    let mut notes: Vec<Note> = Vec::new();
    if offered == 0 {
        notes.push(NoteKind::NoContacts.into());
    }
    if let Some(v) = figures.service_level {
        notes.push(
            NoteKind::ServiceLevel {
                value: v,
                target: sl_target,
                met: v >= sl_target,
                poor_intervals: poor,
                intervals_with_contacts: with_contacts,
                poor_under: spec.poor_interval_pct,
            }
            .into(),
        );
    }
    for h in &headline {
        if h.status == Status::Missed && h.kpi != KpiId::ServiceLevel {
            if let (Some(value), Some(target)) = (h.value, h.target) {
                notes.push(
                    NoteKind::TargetMissed {
                        kpi: h.kpi,
                        value,
                        target,
                    }
                    .into(),
                );
            }
        }
    }
    let mut missed: Vec<&QueueRow> = queues
        .values()
        .filter(|q| q.status == Status::Missed)
        .collect();
    missed.sort_by(|a, b| {
        let gap = |q: &QueueRow| q.service_level_target_pct - q.service_level.unwrap_or(0.0);
        gap(b).total_cmp(&gap(a)).then(a.queue.cmp(&b.queue))
    });
    for q in missed {
        notes.push(
            NoteKind::QueueMissed {
                queue: q.queue.clone(),
                value: q.service_level.unwrap_or(0.0),
                target: q.service_level_target_pct,
                offered: q.offered,
            }
            .into(),
        );
    }
    if let Some(b) = &busiest_interval {
        notes.push(
            NoteKind::Busiest {
                label: b.label.clone(),
                offered: b.offered,
            }
            .into(),
        );
    }
    if let Some(r) = not_ready.first() {
        notes.push(
            NoteKind::TopNotReady {
                reason: r.reason.clone(),
                hours: r.hours,
                share_pct: r.share_of_logged_in_pct,
            }
            .into(),
        );
    }
    if let Some(p) = &compare.previous_day {
        notes.push(
            NoteKind::VolumeChange {
                offered,
                previous: p.offered,
                change_pct: (p.offered > 0)
                    .then(|| 100.0 * (offered as f64 - p.offered as f64) / p.offered as f64),
            }
            .into(),
        );
    }

    Ok(Briefing {
        date: spec.date.to_string(),
        time_zone: center.time_zone.clone(),
        from: center.from.clone(),
        to: center.to.clone(),
        interval: center.interval.clone(),
        intervals: n,
        figures,
        headline,
        queues: queues.into_values().collect(),
        timeline,
        worst_intervals,
        busiest_interval,
        not_ready,
        notes,
        stats,
    })
}

/// Contacts answered within T in a row of a queue report: service level × offered,
/// recovered exactly (the report's SL is 100 × n / offered).
fn answered_within(table: &ReportTable, row: &Row) -> u64 {
    let offered = count(table, row, KpiId::Offered);
    table
        .value(row, KpiId::ServiceLevel)
        .map_or(0, |sl| (sl * offered as f64 / 100.0).round() as u64)
}

/// Whether moving from `before` to `now` is an improvement for `kpi`.
fn better(
    kpi: KpiId,
    target: Option<Target>,
    now: Option<f64>,
    before: Option<f64>,
) -> Option<bool> {
    let (now, before) = (now?, before?);
    if now == before {
        return None;
    }
    match kpi.def().direction {
        Direction::HigherIsBetter => Some(now > before),
        Direction::LowerIsBetter => Some(now < before),
        Direction::NearTarget => {
            let t = target?;
            let (dn, db) = (t.distance(now), t.distance(before));
            (dn != db).then_some(dn < db)
        }
        Direction::Volume => None,
    }
}

fn check(spec: &BriefingSpec) -> Result<(), BriefingError> {
    let t = &spec.targets;
    let queue_ok = |q: &QueueTarget| q.service_level_pct.is_finite() && q.threshold.0 >= 0;
    for (name, q) in t
        .queues
        .iter()
        .map(|(n, q)| (n.as_str(), q))
        .chain([("(default)", &t.default_queue)])
    {
        if !queue_ok(q) {
            return Err(BriefingError::Invalid {
                field: format!("targets.queues[{name}]"),
                value: format!("{q:?}"),
                allowed: "a finite service-level target and a threshold ≥ 0".into(),
            });
        }
    }
    for (field, target) in [
        ("targets.abandon_rate_pct", t.abandon_rate_pct),
        ("targets.asa_s", t.asa_s),
        ("targets.aht_s", t.aht_s),
        ("targets.occupancy_pct", t.occupancy_pct),
    ] {
        if let Some(target) = target {
            target.check(field)?;
        }
    }
    if !matches!(spec.interval, Interval::Minutes(_)) {
        return Err(BriefingError::Invalid {
            field: "interval".into(),
            value: spec.interval.to_string(),
            allowed: "an interval shorter than a day (15m, 30m, 1h…)".into(),
        });
    }
    if !spec.poor_interval_pct.is_finite() {
        return Err(BriefingError::Invalid {
            field: "poor_interval_pct".into(),
            value: spec.poor_interval_pct.to_string(),
            allowed: "a finite percentage".into(),
        });
    }
    Ok(())
}
