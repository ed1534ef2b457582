//! Scoring: each measure's status (green, amber, red or no data) and score (its
//! achievement against the target), then weighted means up to objectives,
//! perspectives and the owner's total.
//!
//! - **Status** (a value exactly at a threshold takes the better colour; values within
//!   1e-9, relative, of a threshold count as at it):
//!   higher is better: green if value ≥ green, amber if ≥ amber, else red;
//!   lower is better: green if value ≤ green, amber if ≤ amber, else red;
//!   near target: d = |value − target|; green if d ≤ green_within, amber if ≤
//!   amber_within, else red.
//! - **Score** of a measure = achievement in per cent, capped to 0–150:
//!   higher: 100 × value / target; lower: 100 × target / value (150 when value ≤ 0);
//!   near target: 100 × (1 − |value − target| / target), at least 0.
//! - **Weights**: an objective's score is the weighted mean of its measures' scores,
//!   a perspective's of its objectives', the total of the perspectives'. Only items
//!   with a score take part: a measure with no data is left out and its siblings'
//!   weights are renormalised to sum to 1 (so are an objective's or a perspective's
//!   when nothing under it has data). `effective_weight` is an item's share of the
//!   total: the product of its normalised weights up the tree; the total equals
//!   Σ effective_weight × score over the measures.

use std::collections::BTreeMap;

use hotline_metrics::{Availability, KpiId, Unit};
use serde::Serialize;

use crate::definition::{Better, Perspective, Text};
use crate::org::{Level, Owner, OwnerKey};
use crate::period::Period;
use crate::resolve::{EffectiveMeasure, EffectiveScorecard, Resolved, Source, Sourced};
use crate::values::{scope, KpiValues, PeriodValues, Scope};

/// Most a measure's score (achievement) can be, in per cent.
pub const SCORE_CAP: f64 = 150.0;

/// A measure's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// On target.
    Green,
    /// Between the thresholds: watch it.
    Amber,
    /// Beyond the amber threshold.
    Red,
    /// No value: see the reason.
    NoData,
}

impl Status {
    /// `green`, `amber`, `red`, `no_data`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Amber => "amber",
            Status::Red => "red",
            Status::NoData => "no_data",
        }
    }
}

/// Why a measure has no value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum NoData {
    /// The registry lists the KPI as not fed yet; the module that will feed it.
    NotFedYet {
        /// e.g. `surveys module`.
        by: String,
    },
    /// A queue-side KPI for an owner without queues (an agent, or a team or
    /// department the org gives no queues).
    NotApplicable,
    /// Nothing to compute it from in the period (no contacts, no logged-in time).
    NothingInPeriod,
}

impl NoData {
    /// In English, for tables: `no data (not fed yet: surveys module)`.
    pub fn text(&self) -> String {
        match self {
            NoData::NotFedYet { by } => format!("no data (not fed yet: {by})"),
            NoData::NotApplicable => {
                "no data (not applicable: a queue-side KPI and no queues owned)".into()
            }
            NoData::NothingInPeriod => "no data (nothing in the period)".into(),
        }
    }
}

/// One measure of one owner in one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasureResult {
    /// `customer.reach.service_level`.
    pub path: String,
    /// The KPI.
    pub kpi: KpiId,
    /// Its name (registry).
    pub name: Text,
    /// Its unit.
    pub unit: Unit,
    /// Which way is better.
    pub better: Better,
    /// The value (`None`: no data).
    pub value: Option<f64>,
    /// Target and where it was set.
    pub target: Sourced<f64>,
    /// Green threshold (near target: distance).
    pub green: Sourced<f64>,
    /// Amber threshold (near target: distance).
    pub amber: Sourced<f64>,
    /// Weight within the objective.
    pub weight: Sourced<f64>,
    /// Its colour.
    pub status: Status,
    /// Why there is no value.
    pub no_data: Option<NoData>,
    /// Achievement in per cent, 0–150 (`None`: no data).
    pub score: Option<f64>,
    /// Share of the owner's total (0 when no data).
    pub effective_weight: f64,
}

/// One objective.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveResult {
    /// Id.
    pub id: String,
    /// `customer.reach`.
    pub path: String,
    /// Name.
    pub name: Text,
    /// Weight within the perspective.
    pub weight: Sourced<f64>,
    /// Weighted mean of its measures' scores (`None`: none has data).
    pub score: Option<f64>,
    /// Share of the owner's total.
    pub effective_weight: f64,
    /// Its measures (enabled ones).
    pub measures: Vec<MeasureResult>,
}

/// One perspective.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerspectiveResult {
    /// Which.
    pub perspective: Perspective,
    /// Name.
    pub name: Text,
    /// Weight among perspectives.
    pub weight: Sourced<f64>,
    /// Weighted mean of its objectives' scores.
    pub score: Option<f64>,
    /// Share of the owner's total.
    pub effective_weight: f64,
    /// Its objectives (enabled ones).
    pub objectives: Vec<ObjectiveResult>,
}

/// Measures by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Green.
    pub green: u32,
    /// Amber.
    pub amber: u32,
    /// Red.
    pub red: u32,
    /// No data.
    pub no_data: u32,
}

/// One owner's scorecard for one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnerResult {
    /// Whose (level, id, name, parent for drill-down).
    pub owner: Owner,
    /// Weighted total, 0–150 (`None`: no measure has data).
    pub score: Option<f64>,
    /// Measures by status.
    pub counts: StatusCounts,
    /// The perspectives (enabled ones).
    pub perspectives: Vec<PerspectiveResult>,
}

impl OwnerResult {
    /// Every measure.
    pub fn measures(&self) -> impl Iterator<Item = &MeasureResult> {
        self.perspectives
            .iter()
            .flat_map(|p| p.objectives.iter().flat_map(|o| o.measures.iter()))
    }

    /// The measure at `path` (`customer.reach.service_level`).
    pub fn measure(&self, path: &str) -> Option<&MeasureResult> {
        self.measures().find(|m| m.path == path)
    }
}

/// Every owner's scorecard for one period: the data of the managers' pages
/// (drill down with [`ScorecardSet::children`]) and of each agent's page
/// ([`ScorecardSet::get`] with the agent's key, nothing else).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScorecardSet {
    /// The definition's name.
    pub name: Text,
    /// The period.
    pub period: Period,
    /// Its start, RFC 3339.
    pub from: String,
    /// Its end (exclusive), RFC 3339.
    pub to: String,
    /// One per owner, in the org's tree order (center first).
    pub owners: Vec<OwnerResult>,
}

impl ScorecardSet {
    /// The scorecard of `owner`.
    pub fn get(&self, owner: &OwnerKey) -> Option<&OwnerResult> {
        self.owners.iter().find(|o| &o.owner.key == owner)
    }

    /// The scorecards one level below `owner` (a department's teams…).
    pub fn children<'a>(
        &'a self,
        owner: &'a OwnerKey,
    ) -> impl Iterator<Item = &'a OwnerResult> + 'a {
        self.owners
            .iter()
            .filter(move |o| o.owner.parent.as_ref() == Some(owner))
    }

    /// The scorecards of one level.
    pub fn level(&self, level: Level) -> impl Iterator<Item = &OwnerResult> {
        self.owners
            .iter()
            .filter(move |o| o.owner.key.level == level)
    }

    /// Only `owner` and the owners under it (a manager's view of their part of the
    /// tree; for an agent, their own scorecard only).
    pub fn subtree(&self, owner: &OwnerKey) -> ScorecardSet {
        ScorecardSet {
            owners: self
                .owners
                .iter()
                .filter(|o| &o.owner.key == owner || o.owner.ancestors.contains(owner))
                .cloned()
                .collect(),
            ..self.clone_empty()
        }
    }

    fn clone_empty(&self) -> ScorecardSet {
        ScorecardSet {
            name: self.name.clone(),
            period: self.period,
            from: self.from.clone(),
            to: self.to.clone(),
            owners: Vec::new(),
        }
    }
}

/// Scores every owner of `resolved` on `values`.
pub fn score(resolved: &Resolved, values: &PeriodValues) -> ScorecardSet {
    let owners = resolved
        .scorecards
        .iter()
        .map(|sc| score_owner(sc, values.values.get(&sc.owner.key)))
        .collect();
    ScorecardSet {
        name: resolved.name.clone(),
        period: values.period,
        from: values.from.clone(),
        to: values.to.clone(),
        owners,
    }
}

/// Scores one owner's scorecard on its values (`None`: no values at all).
pub fn score_owner(sc: &EffectiveScorecard, values: Option<&KpiValues>) -> OwnerResult {
    let empty = BTreeMap::new();
    let values = values.unwrap_or(&empty);
    let mut counts = StatusCounts::default();
    let mut perspectives = Vec::new();
    for p in sc.perspectives.iter().filter(|p| p.enabled.value) {
        let mut objectives = Vec::new();
        for o in p.objectives.iter().filter(|o| o.enabled.value) {
            let measures: Vec<MeasureResult> = o
                .measures
                .iter()
                .filter(|m| m.enabled.value)
                .map(|m| measure(m, values.get(&m.kpi).copied(), &sc.owner))
                .collect();
            for m in &measures {
                match m.status {
                    Status::Green => counts.green += 1,
                    Status::Amber => counts.amber += 1,
                    Status::Red => counts.red += 1,
                    Status::NoData => counts.no_data += 1,
                }
            }
            let score = mean(measures.iter().map(|m| (m.weight.value, m.score)));
            objectives.push(ObjectiveResult {
                id: o.id.clone(),
                path: o.path.clone(),
                name: o.name.clone(),
                weight: o.weight.clone(),
                score,
                effective_weight: 0.0,
                measures,
            });
        }
        let score = mean(objectives.iter().map(|o| (o.weight.value, o.score)));
        perspectives.push(PerspectiveResult {
            perspective: p.perspective,
            name: p.name.clone(),
            weight: p.weight.clone(),
            score,
            effective_weight: 0.0,
            objectives,
        });
    }
    let score = mean(perspectives.iter().map(|p| (p.weight.value, p.score)));
    // Shares of the total.
    let sum = |it: &mut dyn Iterator<Item = (f64, Option<f64>)>| -> f64 {
        it.filter(|(_, s)| s.is_some()).map(|(w, _)| w).sum()
    };
    let sp = sum(&mut perspectives.iter().map(|p| (p.weight.value, p.score)));
    for p in &mut perspectives {
        if p.score.is_none() {
            continue;
        }
        p.effective_weight = p.weight.value / sp;
        let so = sum(&mut p.objectives.iter().map(|o| (o.weight.value, o.score)));
        for o in &mut p.objectives {
            if o.score.is_none() {
                continue;
            }
            o.effective_weight = p.effective_weight * o.weight.value / so;
            let sm = sum(&mut o.measures.iter().map(|m| (m.weight.value, m.score)));
            for m in &mut o.measures {
                if m.score.is_some() {
                    m.effective_weight = o.effective_weight * m.weight.value / sm;
                }
            }
        }
    }
    OwnerResult {
        owner: sc.owner.clone(),
        score,
        counts,
        perspectives,
    }
}

/// Weighted mean over the items with a score.
fn mean(items: impl Iterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let (mut ws, mut s) = (0.0, 0.0);
    for (w, x) in items {
        if let Some(x) = x {
            ws += w;
            s += w * x;
        }
    }
    (ws > 0.0).then(|| s / ws)
}

fn measure(m: &EffectiveMeasure, value: Option<f64>, owner: &Owner) -> MeasureResult {
    let def = m.kpi.def();
    let value = value.filter(|v| v.is_finite());
    let no_data = match value {
        Some(_) => None,
        None => Some(match def.availability {
            Availability::NotFedYet { by } => NoData::NotFedYet { by: by.to_owned() },
            Availability::Computed { .. }
                if scope(m.kpi) == Scope::Queue && !owner.has_queues() =>
            {
                NoData::NotApplicable
            }
            Availability::Computed { .. } => NoData::NothingInPeriod,
        }),
    };
    let (status, score) = match value {
        Some(v) => (
            status(m.better, v, m.target.value, m.green.value, m.amber.value),
            Some(achievement(m.better, v, m.target.value)),
        ),
        None => (Status::NoData, None),
    };
    MeasureResult {
        path: m.path.clone(),
        kpi: m.kpi,
        name: Text {
            en: def.names.en.into(),
            zh: Some(def.names.zh.into()),
            es: Some(def.names.es.into()),
        },
        unit: m.unit,
        better: m.better,
        value,
        target: m.target.clone(),
        green: m.green.clone(),
        amber: m.amber.clone(),
        weight: m.weight.clone(),
        status,
        no_data,
        score,
        effective_weight: 0.0,
    }
}

/// `a ≤ b`, with a relative tolerance of 1e-9 for computed ratios.
fn le(a: f64, b: f64) -> bool {
    a <= b + 1e-9 * b.abs().max(1.0)
}

/// The colour of `value` (see the module docs).
pub fn status(better: Better, value: f64, target: f64, green: f64, amber: f64) -> Status {
    let (g, a) = match better {
        Better::Higher => (le(green, value), le(amber, value)),
        Better::Lower => (le(value, green), le(value, amber)),
        Better::NearTarget => {
            let d = (value - target).abs();
            (le(d, green), le(d, amber))
        }
    };
    if g {
        Status::Green
    } else if a {
        Status::Amber
    } else {
        Status::Red
    }
}

/// Achievement in per cent, capped to 0–[`SCORE_CAP`] (see the module docs).
pub fn achievement(better: Better, value: f64, target: f64) -> f64 {
    let a = match better {
        Better::Higher => 100.0 * value / target,
        Better::Lower if value <= 0.0 => SCORE_CAP,
        Better::Lower => 100.0 * target / value,
        Better::NearTarget => 100.0 * (1.0 - (value - target).abs() / target),
    };
    if a.is_nan() {
        0.0
    } else {
        a.clamp(0.0, SCORE_CAP)
    }
}

/// One owner over several periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    /// Whose.
    pub owner: OwnerKey,
    /// One point per period, oldest first (periods where the owner is missing are
    /// skipped).
    pub points: Vec<TrendPoint>,
}

/// One period of a trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The period.
    pub period: Period,
    /// Total score.
    pub score: Option<f64>,
    /// Each perspective's score.
    pub perspectives: Vec<(Perspective, Option<f64>)>,
    /// Each measure: path, value, status, score.
    pub measures: Vec<TrendMeasure>,
}

/// One measure in one period of a trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendMeasure {
    /// `customer.reach.service_level`.
    pub path: String,
    /// The KPI.
    pub kpi: KpiId,
    /// The value.
    pub value: Option<f64>,
    /// The target that period.
    pub target: f64,
    /// Its colour.
    pub status: Status,
    /// Its score.
    pub score: Option<f64>,
}

/// `owner`'s scorecard over `sets` (one per period, oldest first): the same
/// scorecard's total, perspectives and measures period by period.
pub fn trend(sets: &[ScorecardSet], owner: &OwnerKey) -> Trend {
    let points = sets
        .iter()
        .filter_map(|s| {
            let o = s.get(owner)?;
            Some(TrendPoint {
                period: s.period,
                score: o.score,
                perspectives: o
                    .perspectives
                    .iter()
                    .map(|p| (p.perspective, p.score))
                    .collect(),
                measures: o
                    .measures()
                    .map(|m| TrendMeasure {
                        path: m.path.clone(),
                        kpi: m.kpi,
                        value: m.value,
                        target: m.target.value,
                        status: m.status,
                        score: m.score,
                    })
                    .collect(),
            })
        })
        .collect();
    Trend {
        owner: owner.clone(),
        points,
    }
}

/// `from` as a short text: `center`, `every team`, `team billing`.
pub(crate) fn source_text(s: &Source) -> String {
    s.to_string()
}
