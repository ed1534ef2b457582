//! The weekly complaint analysis: complaints are a source of improvement, so each week
//! shows what customers complained about, where, whether it is rising, who keeps
//! coming back, and how the complaint queues answered.
//!
//! ```text
//! let spec = ComplaintSpec::new(IsoWeek::new(2024, 13)?, tz, ComplaintFilter::queues(["complaints"]));
//! let analysis = weekly_complaints(&spec, &records)?;   // records of every queue, see below
//! ```
//!
//! The records passed should cover every queue from the start of the trend
//! (`trend_weeks` weeks before the week) — or from `repeat_window` before the week, if
//! earlier — to the end of the week: complaints are selected here, and a repeat caller
//! may have called another queue first. Records outside that span are ignored and
//! counted. Definitions of every field: `docs/briefing.md`.
//!
//! **Customer ids are personal data.** [`RepeatCaller::customer`] carries them as given
//! so that a supervisor can call the customer back; the caller must show them only to
//! people allowed to see them and must not write them to logs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::briefing::{start_of_day, BriefingError};
use crate::kpi::KpiId;
use crate::record::ContactRecord;
use crate::report::interval::Interval;
use crate::report::{Dimension, KpiParams, Report, ReportError, ReportSpec, ReportTable, Row};
use crate::time::{DurationMs, TimestampMs};

/// The category of complaints without one (attribute missing, null or blank).
pub const UNCATEGORISED: &str = "uncategorised";

/// An ISO 8601 week (Monday to Sunday; week 1 holds the year's first Thursday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IsoWeek {
    /// The ISO week-numbering year.
    pub year: i16,
    /// The week, 1–52 or 53.
    pub week: i8,
}

impl IsoWeek {
    /// Week `week` of ISO year `year` (refused when that year has no such week).
    pub fn new(year: i16, week: i8) -> Result<IsoWeek, ComplaintError> {
        ISOWeekDate::new(year, week, Weekday::Monday)
            .map(|_| IsoWeek { year, week })
            .map_err(|e| ComplaintError::Invalid {
                field: "week".into(),
                value: format!("{year}-W{week:02}"),
                allowed: format!("a week that year has ({e})"),
            })
    }

    /// The week holding `date`.
    pub fn of(date: Date) -> IsoWeek {
        let w = date.iso_week_date();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    /// Its Monday.
    pub fn monday(self) -> Result<Date, ComplaintError> {
        ISOWeekDate::new(self.year, self.week, Weekday::Monday)
            .map(|d| d.date())
            .map_err(|e| ComplaintError::Invalid {
                field: "week".into(),
                value: self.to_string(),
                allowed: format!("a week that year has ({e})"),
            })
    }

    /// The week `n` weeks earlier.
    pub fn minus(self, n: usize) -> Result<IsoWeek, ComplaintError> {
        let monday = self.monday()?;
        let days = i64::try_from(n).unwrap_or(i64::MAX).saturating_mul(7);
        let earlier = monday
            .checked_sub(jiff::Span::new().days(days))
            .map_err(|e| ComplaintError::Invalid {
                field: "trend_weeks".into(),
                value: n.to_string(),
                allowed: format!("a number of weeks within the calendar ({e})"),
            })?;
        Ok(IsoWeek::of(earlier))
    }
}

impl std::fmt::Display for IsoWeek {
    /// `2024-W13`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

/// Which records are complaints: those in one of `queues`, or with attribute
/// `attribute.0` equal to `attribute.1` (as text: `"complaint"`, or `true` → `"true"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFilter {
    /// Complaint queues, by name.
    pub queues: Vec<String>,
    /// An attribute marking a complaint (`("type", "complaint")`).
    pub attribute: Option<(String, String)>,
}

/// Words in a queue's name that make it a complaint queue (compared in lower case), in
/// the three languages of the UI.
pub const COMPLAINT_WORDS: [&str; 4] = ["complaint", "投诉", "reclamación", "reclamacion"];

/// Whether a queue's name marks it as a complaint queue ("Complaints", "投诉热线",
/// "Reclamaciones").
pub fn is_complaint_queue(name: &str) -> bool {
    let lower = name.to_lowercase();
    COMPLAINT_WORDS.iter().any(|w| lower.contains(w))
}

impl ComplaintFilter {
    /// The usual rule: the records of `queues` (by default, the queues whose names mark
    /// them: [`is_complaint_queue`]) and every record with attribute `type` =
    /// `complaint`, whatever its queue.
    pub fn standard(queues: Vec<String>) -> ComplaintFilter {
        ComplaintFilter {
            queues,
            attribute: Some(("type".into(), "complaint".into())),
        }
    }

    /// Complaints are the records of these queues.
    pub fn queues<S: Into<String>>(queues: impl IntoIterator<Item = S>) -> ComplaintFilter {
        ComplaintFilter {
            queues: queues.into_iter().map(Into::into).collect(),
            attribute: None,
        }
    }

    /// Complaints are the records whose attribute `name` is `value`.
    pub fn attribute(name: impl Into<String>, value: impl Into<String>) -> ComplaintFilter {
        ComplaintFilter {
            queues: Vec::new(),
            attribute: Some((name.into(), value.into())),
        }
    }

    /// Whether `r` is a complaint.
    pub fn matches(&self, r: &ContactRecord) -> bool {
        if self.queues.contains(&r.queue) {
            return true;
        }
        match &self.attribute {
            Some((name, value)) => attribute_text(r, name).is_some_and(|v| v == *value),
            None => false,
        }
    }
}

/// An attribute as text (`None`: missing or null).
fn attribute_text(r: &ContactRecord, name: &str) -> Option<String> {
    match r.attributes.get(name) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(v) => Some(v.to_string()),
    }
}

/// What to analyse.
#[derive(Clone, Debug)]
pub struct ComplaintSpec {
    /// The week.
    pub week: IsoWeek,
    /// The zone whose calendar defines the weeks.
    pub time_zone: TimeZone,
    /// Which records are complaints.
    pub filter: ComplaintFilter,
    /// The attribute holding the category (default `category`).
    pub category_attribute: String,
    /// Previous weeks in the trend (default 4).
    pub trend_weeks: usize,
    /// A complaint this long after an earlier contact makes a repeat caller (default 7
    /// days).
    pub repeat_window: DurationMs,
    /// How many rising categories to list (default 3).
    pub rising: usize,
    /// T and S for the complaint queues' service figures (default 20 s, 5 s).
    pub params: KpiParams,
}

impl ComplaintSpec {
    /// Defaults: category attribute `category`, 4 trend weeks, 7-day repeat window, 3
    /// rising categories, T = 20 s.
    pub fn new(week: IsoWeek, time_zone: TimeZone, filter: ComplaintFilter) -> ComplaintSpec {
        ComplaintSpec {
            week,
            time_zone,
            filter,
            category_attribute: "category".into(),
            trend_weeks: 4,
            repeat_window: DurationMs::from_secs(7 * 24 * 3600),
            rising: 3,
            params: KpiParams::default(),
        }
    }
}

/// An analysis that cannot be made as asked.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ComplaintError {
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

impl From<BriefingError> for ComplaintError {
    fn from(e: BriefingError) -> ComplaintError {
        match e {
            BriefingError::Invalid {
                field,
                value,
                allowed,
            } => ComplaintError::Invalid {
                field,
                value,
                allowed,
            },
            BriefingError::Report(r) => ComplaintError::Report(r),
        }
    }
}

/// A count and its share of the week's complaints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The category or queue.
    pub name: String,
    /// Complaints.
    pub count: u64,
    /// 100 × count / the week's complaints.
    pub share_pct: f64,
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSpan {
    /// `2024-W13`.
    pub week: String,
    /// Its Monday's first instant, RFC 3339.
    pub from: String,
    /// The next Monday's, RFC 3339.
    pub to: String,
}

/// One category's complaints per trend week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTrend {
    /// The category.
    pub category: String,
    /// Complaints per week, oldest first (aligned with [`Trend::weeks`]).
    pub counts: Vec<u64>,
}

/// Complaints per week, oldest first, the analysed week last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// The weeks.
    pub weeks: Vec<WeekSpan>,
    /// All complaints per week.
    pub totals: Vec<u64>,
    /// Per category (every category seen in any of the weeks), the largest this week
    /// first, then by name.
    pub categories: Vec<CategoryTrend>,
}

/// A category with more complaints this week than its mean over the previous weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rising {
    /// The category.
    pub category: String,
    /// Complaints this week.
    pub this_week: u64,
    /// Mean complaints per week over the previous `trend_weeks` weeks.
    pub previous_mean: f64,
    /// this_week − previous_mean.
    pub change: f64,
    /// 100 × change / previous_mean (`None` when the previous mean is 0: new).
    pub change_pct: Option<f64>,
}

/// A customer who came back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatCaller {
    /// The customer id, as in the records. Personal data: show it only to people
    /// allowed to see it, never log it.
    pub customer: String,
    /// Their complaints in the week.
    pub complaints: u64,
    /// Whether they complained at least twice in the week.
    pub multiple_complaints: bool,
    /// Their other contacts (any queue, not one of the week's complaints) that arrived
    /// within the repeat window before one of the week's complaints.
    pub earlier_contacts: u64,
    /// The week's complaint ids, in arrival order.
    pub contact_ids: Vec<String>,
    /// The categories of the week's complaints, sorted.
    pub categories: Vec<String>,
    /// The first complaint of the week, RFC 3339.
    pub first_complaint: String,
    /// The last complaint of the week, RFC 3339.
    pub last_complaint: String,
}

/// Service figures of the complaint queues (over the week's complaints).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRow {
    /// The queue; `None` for the total.
    pub queue: Option<String>,
    /// Offered.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Service level (answered within T / offered), %.
    pub service_level: Option<f64>,
    /// Average speed of answer, s.
    pub asa_s: Option<f64>,
    /// Abandon rate, %.
    pub abandon_rate: Option<f64>,
}

/// What was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintStats {
    /// Records read in the span (trend start or repeat-window start to week end).
    pub records: u64,
    /// Records outside that span, ignored.
    pub records_outside: u64,
    /// Complaints in the trend weeks before the analysed week.
    pub complaints_in_previous_weeks: u64,
    /// The week's complaints without a customer id (never repeat callers).
    pub complaints_without_customer: u64,
}

/// The weekly complaint analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplaintAnalysis {
    /// `2024-W13`.
    pub week: String,
    /// IANA zone name.
    pub time_zone: String,
    /// Monday 00:00, RFC 3339.
    pub from: String,
    /// The next Monday 00:00, RFC 3339.
    pub to: String,
    /// The week's complaints.
    pub complaints: u64,
    /// Distinct customers (non-empty ids) who complained in the week.
    pub customers: u64,
    /// By category, largest first (then by name).
    pub by_category: Vec<Share>,
    /// By queue, largest first (then by name).
    pub by_queue: Vec<Share>,
    /// The previous weeks and this one.
    pub trend: Trend,
    /// Categories above their recent mean, largest increase first.
    pub rising: Vec<Rising>,
    /// Repeat callers, most complaints first (then most earlier contacts, then id).
    pub repeat_callers: Vec<RepeatCaller>,
    /// Service of the week's complaints per queue (by name).
    pub service_by_queue: Vec<ServiceRow>,
    /// Service of all the week's complaints.
    pub service: ServiceRow,
    /// What was read.
    pub stats: ComplaintStats,
}

/// One contact of a customer, for the repeat-caller rule.
struct Seen {
    at: i64,
    /// Index into the week's complaints, when it is one.
    complaint: Option<usize>,
}

/// The category of a complaint.
fn category(r: &ContactRecord, attribute: &str) -> String {
    match attribute_text(r, attribute) {
        Some(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ => UNCATEGORISED.to_owned(),
    }
}

fn shares(counts: BTreeMap<String, u64>, total: u64) -> Vec<Share> {
    let mut v: Vec<Share> = counts
        .into_iter()
        .map(|(name, count)| Share {
            name,
            count,
            share_pct: if total > 0 {
                100.0 * count as f64 / total as f64
            } else {
                0.0
            },
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    v
}

fn service_row(table: &ReportTable, row: &Row, queue: Option<String>) -> ServiceRow {
    let count = |k| table.value(row, k).map_or(0, |v: f64| v.round() as u64);
    ServiceRow {
        queue,
        offered: count(KpiId::Offered),
        answered: count(KpiId::Answered),
        abandoned: count(KpiId::Abandoned),
        service_level: table.value(row, KpiId::ServiceLevel),
        asa_s: table.value(row, KpiId::AsaS),
        abandon_rate: table.value(row, KpiId::AbandonRate),
    }
}

/// The complaint analysis of `spec.week` (see the module documentation for which
/// records to pass).
pub fn weekly_complaints<'a>(
    spec: &ComplaintSpec,
    records: impl IntoIterator<Item = &'a ContactRecord>,
) -> Result<ComplaintAnalysis, ComplaintError> {
    if spec.repeat_window.0 < 0 {
        return Err(ComplaintError::Invalid {
            field: "repeat_window".into(),
            value: spec.repeat_window.to_string(),
            allowed: "a duration ≥ 0".into(),
        });
    }
    if spec.trend_weeks > 520 {
        return Err(ComplaintError::Invalid {
            field: "trend_weeks".into(),
            value: spec.trend_weeks.to_string(),
            allowed: "at most 520 weeks".into(),
        });
    }
    let tz = &spec.time_zone;
    // Week boundaries, oldest first: weeks[i] = [bounds[i], bounds[i + 1]).
    let mut weeks = Vec::with_capacity(spec.trend_weeks + 1);
    for k in (0..=spec.trend_weeks).rev() {
        weeks.push(spec.week.minus(k)?);
    }
    let mut bounds = Vec::with_capacity(weeks.len() + 1);
    for w in &weeks {
        bounds.push(start_of_day(w.monday()?, tz)?.0);
    }
    let next_monday = spec
        .week
        .monday()?
        .checked_add(jiff::Span::new().days(7))
        .map_err(|e| ComplaintError::Invalid {
            field: "week".into(),
            value: spec.week.to_string(),
            allowed: format!("a week before the end of the calendar ({e})"),
        })?;
    bounds.push(start_of_day(next_monday, tz)?.0);
    let last = weeks.len() - 1;
    let (from, to) = (bounds[last], bounds[last + 1]);
    let repeat_from = from.saturating_sub(spec.repeat_window.0);
    let span_from = bounds[0].min(repeat_from);

    let mut report_spec = ReportSpec::new(TimestampMs(from), TimestampMs(to), tz.clone());
    report_spec.interval = Interval::Week;
    report_spec.group_by = vec![Dimension::Queue];
    report_spec.kpis = vec![
        KpiId::Offered,
        KpiId::Answered,
        KpiId::Abandoned,
        KpiId::ServiceLevel,
        KpiId::AsaS,
        KpiId::AbandonRate,
    ];
    report_spec.params = spec.params;
    report_spec.include_empty = false;
    let mut report = Report::new(report_spec)?;

    let mut stats = ComplaintStats::default();
    let mut trend_counts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut totals = vec![0u64; weeks.len()];
    let mut by_category: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_queue: BTreeMap<String, u64> = BTreeMap::new();
    // The week's complaints: (contact id, arrival, category, customer).
    let mut complaints: Vec<(String, i64, String, String)> = Vec::new();
    let mut contacts: HashMap<String, Vec<Seen>> = HashMap::new();
    for r in records {
        let t = r.arrived_at.0;
        if t < span_from || t >= to {
            stats.records_outside += 1;
            continue;
        }
        stats.records += 1;
        let complaint = spec.filter.matches(r);
        let mut week_complaint = None;
        if complaint && t >= bounds[0] {
            let w = bounds.partition_point(|&b| b <= t) - 1;
            let cat = category(r, &spec.category_attribute);
            trend_counts
                .entry(cat.clone())
                .or_insert_with(|| vec![0; weeks.len()])[w] += 1;
            totals[w] += 1;
            if w == last {
                *by_category.entry(cat.clone()).or_default() += 1;
                *by_queue.entry(r.queue.clone()).or_default() += 1;
                report.add(r);
                if r.customer.is_empty() {
                    stats.complaints_without_customer += 1;
                }
                week_complaint = Some(complaints.len());
                complaints.push((r.contact_id.clone(), t, cat, r.customer.clone()));
            } else {
                stats.complaints_in_previous_weeks += 1;
            }
        }
        if !r.customer.is_empty() && t >= repeat_from {
            contacts.entry(r.customer.clone()).or_default().push(Seen {
                at: t,
                complaint: week_complaint,
            });
        }
    }

    // Repeat callers.
    let window = spec.repeat_window.0;
    let mut repeat_callers = Vec::new();
    let mut customers = 0;
    for (customer, seen) in &contacts {
        let mine: Vec<usize> = seen.iter().filter_map(|s| s.complaint).collect();
        if mine.is_empty() {
            continue;
        }
        customers += 1;
        let earlier = seen
            .iter()
            .filter(|c| c.complaint.is_none())
            .filter(|c| {
                mine.iter().any(|&k| {
                    let at = complaints[k].1;
                    c.at < at && at - c.at <= window
                })
            })
            .count() as u64;
        if mine.len() < 2 && earlier == 0 {
            continue;
        }
        let mut ordered = mine.clone();
        ordered.sort_by(|&a, &b| {
            complaints[a]
                .1
                .cmp(&complaints[b].1)
                .then(complaints[a].0.cmp(&complaints[b].0))
        });
        let categories: BTreeSet<String> = mine.iter().map(|&k| complaints[k].2.clone()).collect();
        let first = complaints[ordered[0]].1;
        let last_at = complaints[ordered[ordered.len() - 1]].1;
        repeat_callers.push(RepeatCaller {
            customer: customer.clone(),
            complaints: mine.len() as u64,
            multiple_complaints: mine.len() >= 2,
            earlier_contacts: earlier,
            contact_ids: ordered.iter().map(|&k| complaints[k].0.clone()).collect(),
            categories: categories.into_iter().collect(),
            first_complaint: TimestampMs(first).to_rfc3339_in(tz),
            last_complaint: TimestampMs(last_at).to_rfc3339_in(tz),
        });
    }
    repeat_callers.sort_by(|a, b| {
        b.complaints
            .cmp(&a.complaints)
            .then(b.earlier_contacts.cmp(&a.earlier_contacts))
            .then(a.customer.cmp(&b.customer))
    });

    // Trend and rising categories.
    let mut categories: Vec<CategoryTrend> = trend_counts
        .into_iter()
        .map(|(category, counts)| CategoryTrend { category, counts })
        .collect();
    categories.sort_by(|a, b| {
        b.counts[last]
            .cmp(&a.counts[last])
            .then(a.category.cmp(&b.category))
    });
    let mut rising: Vec<Rising> = if spec.trend_weeks == 0 {
        Vec::new()
    } else {
        categories
            .iter()
            .filter_map(|c| {
                let this_week = c.counts[last];
                let previous_mean =
                    c.counts[..last].iter().sum::<u64>() as f64 / spec.trend_weeks as f64;
                let change = this_week as f64 - previous_mean;
                (change > 0.0).then(|| Rising {
                    category: c.category.clone(),
                    this_week,
                    previous_mean,
                    change,
                    change_pct: (previous_mean > 0.0).then(|| 100.0 * change / previous_mean),
                })
            })
            .collect()
    };
    rising.sort_by(|a, b| {
        b.change
            .total_cmp(&a.change)
            .then(a.category.cmp(&b.category))
    });
    rising.truncate(spec.rising);

    let table = report.finish();
    let service_by_queue = table
        .totals
        .iter()
        .map(|row| service_row(&table, row, row.groups.first().cloned().flatten()))
        .collect();
    let service = service_row(&table, &table.total, None);
    let week_spans = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| WeekSpan {
            week: w.to_string(),
            from: TimestampMs(bounds[i]).to_rfc3339_in(tz),
            to: TimestampMs(bounds[i + 1]).to_rfc3339_in(tz),
        })
        .collect();
    let total = complaints.len() as u64;
    Ok(ComplaintAnalysis {
        week: spec.week.to_string(),
        time_zone: table.time_zone.clone(),
        from: TimestampMs(from).to_rfc3339_in(tz),
        to: TimestampMs(to).to_rfc3339_in(tz),
        complaints: total,
        customers,
        by_category: shares(by_category, total),
        by_queue: shares(by_queue, total),
        trend: Trend {
            weeks: week_spans,
            totals,
            categories,
        },
        rising,
        repeat_callers,
        service_by_queue,
        service,
        stats,
    })
}
