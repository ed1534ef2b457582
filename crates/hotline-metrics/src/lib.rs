//! Hotline's measurement core: contact records in, KPIs out.
//!
//! A pure library — no I/O, no clock, no database. Parsers take text or a reader the
//! caller opened and return values; time zones come in as arguments. The three parts:
//!
//! - [`import`]: the record model's parsers — Hotline's documented contact-record CSV
//!   (with a column mapping for other platforms' exports), the Anonymous Bank data set
//!   (August 1999), and Asterisk's `queue_log`. Each returns accepted records, the
//!   rejected rows (line, field, value, reason) and counts, so the caller chooses
//!   between all-or-nothing and skip-bad.
//! - [`kpi`]: the KPI registry — one exact definition per number, its variant and the
//!   source of that definition, in three languages, and whether anything feeds it yet.
//! - [`report`]: interval bucketing in a time zone (across DST), grouping, and a
//!   streaming accumulator whose memory grows with groups × intervals, not records.
//!
//! Built on reports: [`briefing`], the daily morning briefing (headline KPIs against
//! targets and earlier days, queues, worst intervals, not-ready reasons, notes), and
//! [`complaints`], the weekly complaint analysis (categories, trend, rising categories,
//! repeat callers, service of the complaint queues).

pub mod briefing;
pub mod complaints;
pub mod import;
pub mod kpi;
pub mod record;
pub mod reject;
pub mod report;
pub mod time;

pub use briefing::{morning_briefing, Briefing, BriefingError, BriefingSpec, Targets};
pub use complaints::{
    weekly_complaints, ComplaintAnalysis, ComplaintError, ComplaintSpec, IsoWeek,
};
pub use import::Parsed;
pub use kpi::{Availability, Direction, KpiDef, KpiId, Unit};
pub use record::{AgentState, AgentStateInterval, Channel, ContactRecord, Outcome};
pub use reject::Reject;
pub use report::{
    ContactSums, Dimension, Interval, KpiParams, Report, ReportError, ReportSpec, ReportTable,
    WaitHistogram, WaitRange, CELL_MS,
};
pub use time::{DurationMs, TimestampMs};
