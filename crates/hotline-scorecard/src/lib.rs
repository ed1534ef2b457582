//! The balanced scorecard: objectives in four perspectives, measured by KPIs from the
//! registry with targets, thresholds and weights, cascaded center → department → team
//! → agent. Pure: no I/O, no clock — records, the organisation, the period and the
//! time zone come in as arguments. See `docs/scorecard.md`.
//!
//! ```text
//! let def = Definition::from_toml(text)?;           // or from_json; validate() alone
//! let resolved = resolve(&def, &org)?;               // every owner's effective scorecard
//! let periods = Period::month(2024, 3)?.trailing(3); // a trend over three months
//! let eval = evaluate(&resolved, &periods, &tz, records, states)?;
//! let page = eval.sets.last().unwrap().get(&OwnerKey::new(Level::Team, "billing"));
//! let csv = to_csv(&eval.sets);
//! ```
//!
//! - [`definition`] — the format (TOML files, JSON for the API) and its validation.
//! - [`org`] — the organisation, as plain data.
//! - [`resolve`](mod@resolve) — the cascade and provenance.
//! - [`values`] — KPI values per owner and period from records, in one pass.
//! - [`score`](mod@score) — statuses, achievement, weighted scores, trends.
//! - [`export`] — the CSV form.
//! - [`uses`] — queue ownership, the briefing's targets, lenient resolution.

pub mod definition;
mod error;
pub mod export;
pub mod org;
pub mod period;
pub mod resolve;
pub mod score;
pub mod uses;
pub mod values;

use std::borrow::Borrow;

use hotline_metrics::{AgentStateInterval, ContactRecord};
use jiff::tz::TimeZone;
use serde::Serialize;

pub use definition::{
    Better, Definition, MeasureDef, ObjectiveDef, Override, Perspective, PerspectiveDef, Settings,
    Text,
};
pub use error::{Problem, ScorecardError};
pub use export::to_csv;
pub use org::{Agent, Department, Level, Org, Owner, OwnerKey, Team};
pub use period::{Period, PeriodKind};
pub use resolve::{
    resolve, EffectiveMeasure, EffectiveObjective, EffectivePerspective, EffectiveScorecard,
    Resolved, Source, Sourced,
};
pub use score::{
    score, score_owner, trend, MeasureResult, NoData, ObjectiveResult, OwnerResult,
    PerspectiveResult, ScorecardSet, Status, StatusCounts, Trend, TrendPoint,
};
pub use uses::{
    briefing_targets, queue_answers, queue_owners, resolve_lenient, QueueAnswers, SkippedOverride,
};
pub use values::{compute_values, ComputedValues, KpiValues, PeriodValues, Scope, ValueStats};

/// Scorecards for several periods, and what was read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// One per period, oldest first.
    pub sets: Vec<ScorecardSet>,
    /// What the pass over the records read.
    pub stats: ValueStats,
}

/// Every owner's scorecard in each of `periods` (same kind, increasing): the KPIs the
/// scorecards use, computed from `records` and `states` in one pass each, then scored.
/// For a trend pass `period.trailing(n)`.
pub fn evaluate<R, S>(
    resolved: &Resolved,
    periods: &[Period],
    tz: &TimeZone,
    records: impl IntoIterator<Item = R>,
    states: impl IntoIterator<Item = S>,
) -> Result<Evaluation, ScorecardError>
where
    R: Borrow<ContactRecord>,
    S: Borrow<AgentStateInterval>,
{
    let values = compute_values(
        &resolved.org,
        periods,
        tz,
        &resolved.kpis(),
        resolved.settings.params(),
        records,
        states,
    )?;
    Ok(Evaluation {
        sets: values.periods.iter().map(|v| score(resolved, v)).collect(),
        stats: values.stats,
    })
}
