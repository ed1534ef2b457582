//! Interval reports: contact records and agent state intervals in, one row of KPI
//! values per (interval, group) out.
//!
//! ```text
//! let mut report = Report::new(spec)?;
//! for r in records { report.add(&r); }          // any order, any number
//! for s in states { report.add_state(&s); }
//! let table = report.finish();                  // rows, per-group totals, grand total
//! ```
//!
//! Conventions: a contact is booked in the interval in which it entered the queue
//! (`arrived_at`), and only if that is in `[from, to)`; an agent state interval is
//! split across the intervals it overlaps. Memory holds one cell of sums per
//! (interval, group) that received anything: O(groups × intervals), never O(records).

mod acc;
pub mod interval;
pub mod sums;
mod table;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::kpi::{Availability, Inputs, KpiId};
use crate::record::{AgentStateInterval, Channel, ContactRecord};
use crate::time::{DurationMs, TimestampMs};

use acc::Cell;
pub use interval::Interval;
pub use sums::{ContactSums, WaitHistogram, WaitRange, CELL_MS};
pub use table::{ReportStats, ReportTable, Row};

/// The KPIs of a report that names none: the issue's CSV example.
pub const DEFAULT_KPIS: [KpiId; 7] = [
    KpiId::Offered,
    KpiId::Answered,
    KpiId::Abandoned,
    KpiId::ServiceLevel,
    KpiId::AsaS,
    KpiId::AhtS,
    KpiId::AbandonRate,
];

/// What rows are grouped by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The contact's queue.
    Queue,
    /// The agent's team (the record's, else the spec's agent → team map).
    Team,
    /// The handling agent.
    Agent,
    /// The contact's channel.
    Channel,
    /// A record attribute (`vip`, `priority`), as text.
    Attribute(String),
}

impl Dimension {
    /// `queue`, `team`, `agent`, `channel` or `attr.<name>`.
    pub fn parse(text: &str) -> Result<Dimension, ReportError> {
        match text.trim() {
            "queue" => Ok(Dimension::Queue),
            "team" => Ok(Dimension::Team),
            "agent" => Ok(Dimension::Agent),
            "channel" => Ok(Dimension::Channel),
            t => match t.strip_prefix("attr.") {
                Some(name) if !name.is_empty() => Ok(Dimension::Attribute(name.to_owned())),
                _ => Err(ReportError::Invalid {
                    field: "by".into(),
                    value: text.to_owned(),
                    allowed: "queue, team, agent, channel or attr.<name>".into(),
                }),
            },
        }
    }

    /// The column name in the output.
    pub fn name(&self) -> String {
        match self {
            Dimension::Queue => "queue".into(),
            Dimension::Team => "team".into(),
            Dimension::Agent => "agent".into(),
            Dimension::Channel => "channel".into(),
            Dimension::Attribute(a) => format!("attr.{a}"),
        }
    }

    fn is_agent_side(&self) -> bool {
        matches!(self, Dimension::Agent | Dimension::Team)
    }
}

/// The thresholds KPI variants depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiParams {
    /// T: answered (or, for SL2, abandoned) with a wait ≤ T meets the service level.
    pub service_level_threshold: DurationMs,
    /// S: an abandon with a wait < S is a short abandon.
    pub short_abandon_threshold: DurationMs,
}

impl Default for KpiParams {
    /// 20 s (the "80/20" convention) and 5 s.
    fn default() -> KpiParams {
        KpiParams {
            service_level_threshold: DurationMs::from_secs(20),
            short_abandon_threshold: DurationMs::from_secs(5),
        }
    }
}

/// What to report.
#[derive(Clone, Debug)]
pub struct ReportSpec {
    /// First instant (inclusive).
    pub from: TimestampMs,
    /// Last instant (exclusive).
    pub to: TimestampMs,
    /// The zone whose calendar the intervals follow.
    pub time_zone: TimeZone,
    /// Interval length.
    pub interval: Interval,
    /// First day of a week (for `Interval::Week`).
    pub week_start: Weekday,
    /// Grouping (empty: one group, everything).
    pub group_by: Vec<Dimension>,
    /// KPIs, in column order.
    pub kpis: Vec<KpiId>,
    /// Thresholds.
    pub params: KpiParams,
    /// Agent → team, for records and states that do not carry a team.
    pub agent_teams: HashMap<String, String>,
    /// Whether intervals where a group had nothing get a row (of zeros and empty
    /// ratios), so time series have no holes.
    pub include_empty: bool,
}

impl ReportSpec {
    /// Whether the report reads records' attributes (it groups by one): a reader can
    /// skip decoding them otherwise.
    pub fn needs_attributes(&self) -> bool {
        self.group_by
            .iter()
            .any(|d| matches!(d, Dimension::Attribute(_)))
    }

    /// 30-minute intervals by queue with the default KPIs and thresholds, Monday
    /// weeks, empty intervals included.
    pub fn new(from: TimestampMs, to: TimestampMs, time_zone: TimeZone) -> ReportSpec {
        ReportSpec {
            from,
            to,
            time_zone,
            interval: Interval::Minutes(30),
            week_start: Weekday::Monday,
            group_by: vec![Dimension::Queue],
            kpis: DEFAULT_KPIS.to_vec(),
            params: KpiParams::default(),
            agent_teams: HashMap::new(),
            include_empty: true,
        }
    }
}

/// A report that cannot be computed as asked.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReportError {
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
    /// A KPI nothing feeds yet.
    #[error("KPI {kpi} is not fed yet (it will be by the {by}); see docs/kpis.md")]
    NotFed {
        /// The KPI.
        kpi: KpiId,
        /// What will feed it.
        by: &'static str,
    },
    /// An agent-time KPI grouped by something agent time does not belong to.
    #[error(
        "KPI {kpi} comes from agent state time, which belongs to no {dimension}: group by \
         agent or team (or nothing) for it"
    )]
    NotGroupable {
        /// The KPI.
        kpi: KpiId,
        /// The dimension.
        dimension: String,
    },
}

/// A fast hasher for small integer keys and short names (FxHash's mixing).
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in chunks.by_ref() {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.write_u64(u64::from_le_bytes(tail) ^ rest.len() as u64);
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The cells of the interval records are arriving in, by group in a plain vector:
/// records usually come in time order, so most additions touch this small, hot
/// vector instead of the big map; it is merged into the map when another interval
/// comes (a record out of order costs one merge, never a wrong sum).
#[derive(Debug, Default)]
struct HotInterval {
    bucket: usize,
    cells: Vec<Cell>,
    used: Vec<bool>,
    touched: Vec<u32>,
}

impl HotInterval {
    #[inline]
    fn cell<'a>(
        &'a mut self,
        bucket: usize,
        group: u32,
        map: &mut FxMap<u64, Cell>,
    ) -> &'a mut Cell {
        if bucket != self.bucket {
            self.flush(map);
            self.bucket = bucket;
        }
        let g = group as usize;
        if g >= self.cells.len() {
            self.cells.resize(g + 1, Cell::default());
            self.used.resize(g + 1, false);
        }
        if !self.used[g] {
            self.used[g] = true;
            self.touched.push(group);
        }
        &mut self.cells[g]
    }

    fn flush(&mut self, map: &mut FxMap<u64, Cell>) {
        for g in self.touched.drain(..) {
            self.used[g as usize] = false;
            let cell = std::mem::take(&mut self.cells[g as usize]);
            map.entry(cell_key(self.bucket, g))
                .or_default()
                .merge(&cell);
        }
    }
}

/// The groups met so far, numbered in order of appearance.
#[derive(Debug, Default)]
struct Groups {
    /// One dimension: the value itself; several: values joined by U+001F, U+0000 for
    /// none.
    ids: FxMap<Box<str>, u32>,
    /// One dimension: the group without a value.
    none: Option<u32>,
    values: Vec<Vec<Option<String>>>,
}

impl Groups {
    /// The group of a one-dimension report with this value.
    #[inline]
    fn single(&mut self, value: Option<&str>) -> u32 {
        let Some(v) = value else {
            if let Some(g) = self.none {
                return g;
            }
            let g = self.values.len() as u32;
            self.values.push(vec![None]);
            self.none = Some(g);
            return g;
        };
        if let Some(&g) = self.ids.get(v) {
            return g;
        }
        let g = self.values.len() as u32;
        self.values.push(vec![Some(v.to_owned())]);
        self.ids.insert(v.into(), g);
        g
    }

    /// The group of these dimension values (a report with `dims` dimensions).
    fn of_values(&mut self, values: &[Option<String>], dims: usize) -> u32 {
        if dims == 1 {
            return self.single(values[0].as_deref());
        }
        let mut key = String::new();
        for v in values {
            key.push('\u{1f}');
            push_opt(&mut key, v.as_deref());
        }
        self.multi(&key)
    }

    /// The group of a multi-dimension key.
    fn multi(&mut self, key: &str) -> u32 {
        if let Some(&g) = self.ids.get(key) {
            return g;
        }
        let g = self.values.len() as u32;
        let values = key
            .split('\u{1f}')
            .skip(1)
            .map(|v| (v != "\u{0}").then(|| v.to_owned()))
            .collect();
        self.values.push(values);
        self.ids.insert(key.into(), g);
        g
    }
}

/// The streaming accumulator.
#[derive(Debug)]
pub struct Report {
    spec: ReportSpec,
    bounds: Vec<i64>,
    last_bucket: usize,
    groups: Groups,
    cells: FxMap<u64, Cell>,
    hot: HotInterval,
    key: String,
    agent_time: bool,
    stats: ReportStats,
}

impl Report {
    /// Checks the spec and computes the interval boundaries.
    pub fn new(spec: ReportSpec) -> Result<Report, ReportError> {
        if spec.to <= spec.from {
            return Err(ReportError::Invalid {
                field: "to".into(),
                value: spec.to.to_string(),
                allowed: format!("a time after from ({})", spec.from),
            });
        }
        for (field, d) in [
            (
                "service_level_threshold",
                spec.params.service_level_threshold,
            ),
            (
                "short_abandon_threshold",
                spec.params.short_abandon_threshold,
            ),
        ] {
            if d.0 < 0 {
                return Err(ReportError::Invalid {
                    field: field.into(),
                    value: d.to_string(),
                    allowed: "a duration ≥ 0".into(),
                });
            }
        }
        if spec.kpis.is_empty() {
            return Err(ReportError::Invalid {
                field: "kpis".into(),
                value: String::new(),
                allowed: "at least one KPI".into(),
            });
        }
        let mut seen = Vec::new();
        for &kpi in &spec.kpis {
            if seen.contains(&kpi) {
                return Err(ReportError::Invalid {
                    field: "kpis".into(),
                    value: kpi.to_string(),
                    allowed: "each KPI once".into(),
                });
            }
            seen.push(kpi);
            let def = kpi.def();
            if let Availability::NotFedYet { by } = def.availability {
                return Err(ReportError::NotFed { kpi, by });
            }
            if def.inputs == Inputs::AgentTime {
                if let Some(d) = spec.group_by.iter().find(|d| !d.is_agent_side()) {
                    return Err(ReportError::NotGroupable {
                        kpi,
                        dimension: d.name(),
                    });
                }
            }
        }
        let mut dims = Vec::new();
        for d in &spec.group_by {
            if dims.contains(&d) {
                return Err(ReportError::Invalid {
                    field: "by".into(),
                    value: d.name(),
                    allowed: "each dimension once".into(),
                });
            }
            dims.push(d);
        }
        let bounds = interval::boundaries(
            spec.interval,
            &spec.time_zone,
            spec.week_start,
            spec.from,
            spec.to,
        )?;
        let agent_time = spec.group_by.iter().all(Dimension::is_agent_side);
        Ok(Report {
            spec,
            bounds,
            last_bucket: 0,
            groups: Groups::default(),
            cells: FxMap::default(),
            hot: HotInterval::default(),
            key: String::new(),
            agent_time,
            stats: ReportStats::default(),
        })
    }

    /// An empty report with the same spec and intervals, to accumulate another share
    /// of the records (on another thread) and [`Report::merge`] back.
    pub fn fork(&self) -> Report {
        Report {
            spec: self.spec.clone(),
            bounds: self.bounds.clone(),
            last_bucket: 0,
            groups: Groups::default(),
            cells: FxMap::default(),
            hot: HotInterval::default(),
            key: String::new(),
            agent_time: self.agent_time,
            stats: ReportStats::default(),
        }
    }

    /// Adds what `other` (a [`Report::fork`] of this report) accumulated: the result is
    /// the report of both shares' records and states, exactly (cells are sums).
    pub fn merge(&mut self, mut other: Report) {
        debug_assert_eq!(
            self.bounds, other.bounds,
            "merge of a report with other intervals"
        );
        other.hot.flush(&mut other.cells);
        // Groups are numbered in order of appearance, which differs between shares.
        let ids: Vec<u32> = other
            .groups
            .values
            .iter()
            .map(|values| self.groups.of_values(values, self.spec.group_by.len()))
            .collect();
        for (key, cell) in other.cells {
            let (bucket, group) = ((key >> 32) as usize, (key & 0xFFFF_FFFF) as usize);
            self.cells
                .entry(cell_key(bucket, ids[group]))
                .or_default()
                .merge(&cell);
        }
        let (s, o) = (&mut self.stats, other.stats);
        s.records += o.records;
        s.records_out_of_range += o.records_out_of_range;
        s.cells += o.cells;
        s.states += o.states;
        s.states_out_of_range += o.states_out_of_range;
        s.states_not_grouped += o.states_not_grouped;
    }

    /// The spec.
    pub fn spec(&self) -> &ReportSpec {
        &self.spec
    }

    /// The number of intervals.
    pub fn intervals(&self) -> usize {
        self.bounds.len() - 1
    }

    /// The interval holding `t` (which is within `[from, to)`).
    #[inline]
    fn bucket(&mut self, t: i64) -> usize {
        let b = &self.bounds;
        let c = self.last_bucket;
        if b[c] <= t && t < b[c + 1] {
            return c;
        }
        let i = b.partition_point(|&x| x <= t) - 1;
        self.last_bucket = i;
        i
    }

    /// Adds a contact record (booked at its arrival).
    pub fn add(&mut self, r: &ContactRecord) {
        let t = r.arrived_at.0;
        if t < self.spec.from.0 || t >= self.spec.to.0 {
            self.stats.records_out_of_range += 1;
            return;
        }
        self.stats.records += 1;
        let bucket = self.bucket(t);
        let group = if self.spec.group_by.len() == 1 {
            // One dimension (the usual report): look the value up as it is.
            let value = dimension_value(&self.spec.group_by[0], r, &self.spec.agent_teams);
            self.groups.single(value.as_deref())
        } else {
            self.key.clear();
            for d in &self.spec.group_by {
                self.key.push('\u{1f}');
                let value = dimension_value(d, r, &self.spec.agent_teams);
                push_opt(&mut self.key, value.as_deref());
            }
            self.groups.multi(&self.key)
        };
        let params = self.spec.params;
        self.hot
            .cell(bucket, group, &mut self.cells)
            .contacts
            .add(r, &params);
    }

    /// Whether this report can take its contacts as [`ContactSums`] cells
    /// ([`Report::add_sums`]) instead of records: it groups by nothing, queue or
    /// channel; its thresholds are whole seconds up to [`sums::MAX_THRESHOLD_S`]; and
    /// every interval boundary, `from` and `to` included, falls on a [`CELL_MS`]
    /// boundary (so no cell straddles two intervals or the period's ends).
    pub fn takes_sums(&self) -> bool {
        self.spec
            .group_by
            .iter()
            .all(|d| matches!(d, Dimension::Queue | Dimension::Channel))
            && sums::params_fit(&self.spec.params)
            && self.spec.from.0 % CELL_MS == 0
            && self.spec.to.0 % CELL_MS == 0
            && self.bounds.iter().all(|b| b % CELL_MS == 0)
    }

    /// Adds the contacts of one cell — those of `queue` and `channel` that arrived in
    /// `[start, start + CELL_MS)` — as [`Report::add`] would add each of them. Only for
    /// a report that [`Report::takes_sums`]; a cell outside `[from, to)` is counted as
    /// out of range.
    pub fn add_sums(&mut self, start: TimestampMs, queue: &str, channel: Channel, s: &ContactSums) {
        debug_assert!(
            self.takes_sums(),
            "add_sums on a report that does not take sums"
        );
        let t = start.0;
        if t < self.spec.from.0 || t >= self.spec.to.0 {
            self.stats.records_out_of_range += s.offered;
            return;
        }
        let Some(contacts) = s.contacts(&self.spec.params) else {
            return;
        };
        self.stats.records += s.offered;
        self.stats.cells += 1;
        let bucket = self.bucket(t);
        let value = |d: &Dimension| match d {
            Dimension::Channel => channel.as_str(),
            _ => queue,
        };
        let group = match self.spec.group_by.as_slice() {
            [d] => self.groups.single(Some(value(d))),
            dims => {
                self.key.clear();
                for d in dims {
                    self.key.push('\u{1f}');
                    push_val(&mut self.key, value(d));
                }
                self.groups.multi(&self.key)
            }
        };
        self.hot
            .cell(bucket, group, &mut self.cells)
            .contacts
            .merge(&contacts);
    }

    /// Adds an agent state interval, split over the intervals it overlaps. Ignored
    /// (and counted) when the report groups by a dimension agent time lacks.
    pub fn add_state(&mut self, s: &AgentStateInterval) {
        if !self.agent_time {
            self.stats.states_not_grouped += 1;
            return;
        }
        let from = s.from.0.max(self.spec.from.0);
        let to = s.to.0.min(self.spec.to.0);
        if to <= from {
            self.stats.states_out_of_range += 1;
            return;
        }
        self.stats.states += 1;
        let team = |agent: &str| -> Option<String> {
            s.team
                .clone()
                .or_else(|| self.spec.agent_teams.get(agent).cloned())
        };
        let values: Vec<Option<String>> = self
            .spec
            .group_by
            .iter()
            .map(|d| match d {
                Dimension::Agent => Some(s.agent.clone()),
                _ => team(&s.agent),
            })
            .collect();
        let group = if values.len() == 1 {
            self.groups.single(values[0].as_deref())
        } else {
            self.key.clear();
            for v in &values {
                self.key.push('\u{1f}');
                push_opt(&mut self.key, v.as_deref());
            }
            self.groups.multi(&self.key)
        };
        let mut bucket = self.bucket(from);
        let mut t = from;
        while t < to {
            let end = self.bounds[bucket + 1].min(to);
            self.cells
                .entry(cell_key(bucket, group))
                .or_default()
                .time
                .add(s, end - t);
            t = end;
            bucket += 1;
        }
    }

    /// The table: rows by interval then group, totals per group, the grand total.
    pub fn finish(mut self) -> ReportTable {
        self.hot.flush(&mut self.cells);
        let Report {
            spec,
            bounds,
            groups,
            cells,
            stats,
            ..
        } = self;
        let groups = groups.values;
        let mut order: Vec<u32> = (0..groups.len() as u32).collect();
        order.sort_by(|&a, &b| groups[a as usize].cmp(&groups[b as usize]));
        if order.is_empty() && spec.include_empty && spec.group_by.is_empty() {
            order.push(u32::MAX);
        }
        let values = |cell: &Cell| spec.kpis.iter().map(|&k| cell.value(k)).collect::<Vec<_>>();
        let group_values = |g: u32| -> Vec<Option<String>> {
            if g == u32::MAX {
                Vec::new()
            } else {
                groups[g as usize].clone()
            }
        };
        let empty = Cell::default();
        let mut rows = Vec::new();
        let mut total = Cell::default();
        let mut per_group: Vec<Cell> = vec![Cell::default(); groups.len()];
        for (b, &start) in bounds[..bounds.len() - 1].iter().enumerate() {
            // Formatting a time in a zone is the slow part of a row: once per interval.
            let mut label: Option<String> = None;
            for &g in &order {
                let cell = if g == u32::MAX {
                    None
                } else {
                    cells.get(&cell_key(b, g))
                };
                if cell.is_none() && !spec.include_empty {
                    continue;
                }
                let cell = cell.unwrap_or(&empty);
                if g != u32::MAX {
                    per_group[g as usize].merge(cell);
                }
                total.merge(cell);
                let label =
                    label.get_or_insert_with(|| TimestampMs(start).to_rfc3339_in(&spec.time_zone));
                rows.push(Row {
                    interval_start: Some(label.clone()),
                    groups: group_values(g),
                    values: values(cell),
                });
            }
        }
        let totals = order
            .iter()
            .filter(|&&g| g != u32::MAX)
            .map(|&g| Row {
                interval_start: None,
                groups: group_values(g),
                values: values(&per_group[g as usize]),
            })
            .collect();
        ReportTable {
            interval: spec.interval.to_string(),
            time_zone: spec
                .time_zone
                .iana_name()
                .map_or_else(|| "fixed".to_owned(), str::to_owned),
            from: spec.from.to_rfc3339_in(&spec.time_zone),
            to: spec.to.to_rfc3339_in(&spec.time_zone),
            group_by: spec.group_by.iter().map(Dimension::name).collect(),
            kpis: spec.kpis.clone(),
            params: spec.params,
            rows,
            totals,
            total: Row {
                interval_start: None,
                groups: vec![None; spec.group_by.len()],
                values: values(&total),
            },
            stats,
        }
    }
}

/// A record's value for dimension `d` (`None`: it has none, e.g. no agent).
#[inline]
fn dimension_value<'a>(
    d: &Dimension,
    r: &'a ContactRecord,
    teams: &'a HashMap<String, String>,
) -> Option<Cow<'a, str>> {
    match d {
        Dimension::Queue => Some(Cow::Borrowed(r.queue.as_str())),
        Dimension::Channel => Some(Cow::Borrowed(r.channel.as_str())),
        Dimension::Agent => r.agent.as_deref().map(Cow::Borrowed),
        Dimension::Team => r
            .team
            .as_deref()
            .or_else(|| {
                r.agent
                    .as_deref()
                    .and_then(|a| teams.get(a))
                    .map(String::as_str)
            })
            .map(Cow::Borrowed),
        Dimension::Attribute(name) => match r.attributes.get(name) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(Cow::Borrowed(s.as_str())),
            Some(v) => Some(Cow::Owned(v.to_string())),
        },
    }
}

fn push_opt(key: &mut String, v: Option<&str>) {
    match v {
        Some(v) => push_val(key, v),
        None => key.push('\u{0}'),
    }
}

/// Appends a group value; the two separator characters cannot occur in it.
fn push_val(key: &mut String, v: &str) {
    if v.contains(['\u{1f}', '\u{0}']) {
        key.push_str(&v.replace(['\u{1f}', '\u{0}'], "\u{fffd}"));
    } else {
        key.push_str(v);
    }
}

#[inline]
fn cell_key(bucket: usize, group: u32) -> u64 {
    ((bucket as u64) << 32) | u64::from(group)
}
