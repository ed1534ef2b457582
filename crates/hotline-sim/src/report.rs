//! From the tallies of the replications to the report: metric definitions, means and 95%
//! confidence half-widths, the readable table and the per-interval series.

use std::fmt::Write as _;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::tally::{GroupTally, QueueTally, ReplicationTally};

/// The per-queue metrics, in report order. Definitions in `docs/simulator.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Contacts arriving after the warm-up (and before the end of arrivals).
    Offered,
    Answered,
    Abandoned,
    /// Offered but still waiting when the run stopped.
    Unfinished,
    /// Share of offered contacts that did not get an agent on arrival.
    PWait,
    /// abandoned / offered.
    PAbandon,
    /// Mean wait of answered contacts.
    AsaServed,
    /// Mean wait of all offered contacts: abandoned ones until they hung up, unfinished
    /// ones until the run stopped.
    AsaAll,
    /// Answered within the queue's threshold / offered.
    ServiceLevel,
    /// Answered within the queue's threshold / answered.
    ServiceLevelOfAnswered,
    /// Mean |EWT at arrival − realised wait| over answered contacts that queued.
    EwtMae,
}

impl Metric {
    pub const ALL: [Metric; 11] = [
        Metric::Offered,
        Metric::Answered,
        Metric::Abandoned,
        Metric::Unfinished,
        Metric::PWait,
        Metric::PAbandon,
        Metric::AsaServed,
        Metric::AsaAll,
        Metric::ServiceLevel,
        Metric::ServiceLevelOfAnswered,
        Metric::EwtMae,
    ];

    /// The name in JSON and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Offered => "offered",
            Metric::Answered => "answered",
            Metric::Abandoned => "abandoned",
            Metric::Unfinished => "unfinished",
            Metric::PWait => "p_wait",
            Metric::PAbandon => "p_abandon",
            Metric::AsaServed => "asa_served_s",
            Metric::AsaAll => "asa_all_s",
            Metric::ServiceLevel => "service_level",
            Metric::ServiceLevelOfAnswered => "service_level_of_answered",
            Metric::EwtMae => "ewt_mae_s",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Metric::Offered | Metric::Answered | Metric::Abandoned | Metric::Unfinished => {
                Kind::Count
            }
            Metric::PWait
            | Metric::PAbandon
            | Metric::ServiceLevel
            | Metric::ServiceLevelOfAnswered => Kind::Share,
            Metric::AsaServed | Metric::AsaAll | Metric::EwtMae => Kind::Seconds,
        }
    }

    /// The metric's value in one replication; `None` where its denominator is zero.
    pub fn of(self, t: &QueueTally) -> Option<f64> {
        let ratio = |a: f64, b: u64| (b > 0).then(|| a / b as f64);
        match self {
            Metric::Offered => Some(t.offered as f64),
            Metric::Answered => Some(t.answered as f64),
            Metric::Abandoned => Some(t.abandoned as f64),
            Metric::Unfinished => Some(t.unfinished as f64),
            Metric::PWait => ratio(t.waited as f64, t.offered),
            Metric::PAbandon => ratio(t.abandoned as f64, t.offered),
            Metric::AsaServed => ratio(t.wait_answered_s, t.answered),
            Metric::AsaAll => ratio(t.wait_all_s, t.offered),
            Metric::ServiceLevel => ratio(t.answered_within_sl as f64, t.offered),
            Metric::ServiceLevelOfAnswered => ratio(t.answered_within_sl as f64, t.answered),
            Metric::EwtMae => ratio(t.ewt_abs_error_s, t.ewt_n),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Count,
    Share,
    Seconds,
}

/// Occupancy of a group in one replication: busy / (busy + idle), agent time on contacts
/// and wrap-up over logged-in time, inside the measurement window.
pub fn occupancy(g: &GroupTally) -> Option<f64> {
    let staffed = g.busy_s + g.idle_s;
    (staffed > 0.0).then(|| g.busy_s / staffed)
}

/// Every metric of one queue (or of all queues), summarised over replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    values: [Option<Summary>; Metric::ALL.len()],
}

impl Metrics {
    fn from_tallies<'a>(tallies: impl Iterator<Item = &'a QueueTally> + Clone) -> Metrics {
        let mut values = [None; Metric::ALL.len()];
        for (slot, m) in values.iter_mut().zip(Metric::ALL) {
            *slot = Summary::of(tallies.clone().filter_map(|t| m.of(t)));
        }
        Metrics { values }
    }

    /// `None` when no replication defined the metric.
    pub fn get(&self, m: Metric) -> Option<Summary> {
        self.values[Metric::ALL.iter().position(|x| *x == m).unwrap_or(0)]
    }
}

/// Per agent group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMetrics {
    pub occupancy: Option<Summary>,
}

/// The result of a simulation over all replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Per queue, in the scenario's order.
    pub queues: Vec<(String, Metrics)>,
    pub all: Metrics,
    /// Per agent group, in the scenario's order.
    pub groups: Vec<(String, GroupMetrics)>,
    pub replications: usize,
}

impl Report {
    /// Summarises the replications of `scenario`.
    pub fn new(scenario: &Scenario, reps: &[ReplicationTally]) -> Report {
        let queues = scenario
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| {
                (
                    q.id.clone(),
                    Metrics::from_tallies(reps.iter().map(|r| &r.queues[i])),
                )
            })
            .collect();
        let alls: Vec<QueueTally> = reps.iter().map(|r| r.all()).collect();
        let groups = scenario
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                (
                    g.name.clone(),
                    GroupMetrics {
                        occupancy: Summary::of(reps.iter().filter_map(|r| occupancy(&r.groups[i]))),
                    },
                )
            })
            .collect();
        Report {
            queues,
            all: Metrics::from_tallies(alls.iter()),
            groups,
            replications: reps.len(),
        }
    }

    /// The queue's metrics by id.
    pub fn queue(&self, id: &str) -> Option<&Metrics> {
        self.queues.iter().find(|(q, _)| q == id).map(|(_, m)| m)
    }

    /// The readable table: metrics as rows, queues (then `all`) as columns, each cell
    /// `mean ± half-width`; shares in percent.
    pub fn table(&self) -> String {
        let mut cols: Vec<(&str, &Metrics)> =
            self.queues.iter().map(|(q, m)| (q.as_str(), m)).collect();
        cols.push(("all", &self.all));
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut header = vec!["metric".to_string()];
        header.extend(cols.iter().map(|(q, _)| q.to_string()));
        rows.push(header);
        for m in Metric::ALL {
            let mut row = vec![m.name().to_string()];
            row.extend(cols.iter().map(|(_, ms)| cell(ms.get(m), m.kind())));
            rows.push(row);
        }
        let mut out = render(&rows);
        out.push('\n');
        let mut grows = vec![vec!["agent group".to_string(), "occupancy".to_string()]];
        for (g, gm) in &self.groups {
            grows.push(vec![g.clone(), cell(gm.occupancy, Kind::Share)]);
        }
        out.push_str(&render(&grows));
        let _ = writeln!(
            out,
            "\nmean over {} replication{} ± 95% confidence half-width (Student t)",
            self.replications,
            if self.replications == 1 { "" } else { "s" }
        );
        out
    }
}

fn cell(s: Option<Summary>, kind: Kind) -> String {
    let Some(s) = s else {
        return "-".to_string();
    };
    let (scale, digits) = match kind {
        Kind::Count => (1.0, 1),
        Kind::Share => (100.0, 2),
        Kind::Seconds => (1.0, 2),
    };
    let unit = if kind == Kind::Share { "%" } else { "" };
    match s.ci95 {
        Some(h) => format!(
            "{:.*}{unit} ± {:.*}",
            digits,
            s.mean * scale,
            digits,
            h * scale
        ),
        None => format!("{:.*}{unit}", digits, s.mean * scale),
    }
}

/// Left-aligned first column, right-aligned others, two spaces apart.
fn render(rows: &[Vec<String>]) -> String {
    let ncol = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..ncol)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, s) in r.iter().enumerate() {
            let pad = widths[c] - s.chars().count();
            if c == 0 {
                line.push_str(s);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.push_str("  ");
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(s);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

struct SummaryJson(Option<Summary>);

impl Serialize for SummaryJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("mean", &self.0.map(|x| x.mean))?;
        m.serialize_entry("ci95", &self.0.and_then(|x| x.ci95))?;
        m.end()
    }
}

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Metric::ALL.len()))?;
        for (m, v) in Metric::ALL.iter().zip(self.values) {
            map.serialize_entry(m.name(), &SummaryJson(v))?;
        }
        map.end()
    }
}

impl Serialize for GroupMetrics {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("occupancy", &SummaryJson(self.occupancy))?;
        map.end()
    }
}

struct Named<'a, T>(&'a [(String, T)]);

impl<T: Serialize> Serialize for Named<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `{"queues": {"<id>": {"<metric>": {"mean": x, "ci95": h}}}, "all": {...},
/// "groups": {"<group>": {"occupancy": {...}}}}`, in the scenario's order.
impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("queues", &Named(&self.queues))?;
        map.serialize_entry("all", &self.all)?;
        map.serialize_entry("groups", &Named(&self.groups))?;
        map.end()
    }
}

/// One row of the per-interval series: one queue (or `all`) in one interval, averaged
/// over replications. Counts are means per replication; ratios are pooled over the
/// replications (sum of numerators over sum of denominators), empty where undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalRow {
    pub interval_start_s: f64,
    pub interval_end_s: f64,
    pub queue: String,
    pub offered: f64,
    pub answered: f64,
    pub abandoned: f64,
    pub unfinished: f64,
    pub service_level: Option<f64>,
    pub service_level_of_answered: Option<f64>,
    pub p_abandon: Option<f64>,
    pub asa_s: Option<f64>,
    pub asa_all_s: Option<f64>,
    /// Mean logged-in agents over the interval, all groups (on the `all` rows only).
    pub agents_staffed: Option<f64>,
    /// Busy / logged-in agent time, all groups (on the `all` rows only).
    pub occupancy: Option<f64>,
}

/// The per-interval series over the whole run (warm-up included), one row per queue and
/// one `all` row per interval. Contacts count in the interval they arrived in.
pub fn interval_rows(scenario: &Scenario, reps: &[ReplicationTally]) -> Vec<IntervalRow> {
    let n = reps.len().max(1) as f64;
    let step = scenario.run.interval_s;
    let nint = reps.iter().map(|r| r.intervals.len()).max().unwrap_or(0);
    let mut rows = Vec::new();
    for k in 0..nint {
        let start = k as f64 * step;
        let end = (start + step).min(scenario.run.duration_s);
        let mut all = QueueTally::default();
        let mut agents = GroupTally::default();
        for r in reps {
            if let Some(a) = r.interval_agents.get(k) {
                agents.add(a);
            }
        }
        let mut push = |name: &str, t: &QueueTally, agents: Option<&GroupTally>| {
            let ratio = |a: f64, b: u64| (b > 0).then(|| a / b as f64);
            rows.push(IntervalRow {
                interval_start_s: start,
                interval_end_s: end,
                queue: name.to_string(),
                offered: t.offered as f64 / n,
                answered: t.answered as f64 / n,
                abandoned: t.abandoned as f64 / n,
                unfinished: t.unfinished as f64 / n,
                service_level: ratio(t.answered_within_sl as f64, t.offered),
                service_level_of_answered: ratio(t.answered_within_sl as f64, t.answered),
                p_abandon: ratio(t.abandoned as f64, t.offered),
                asa_s: ratio(t.wait_answered_s, t.answered),
                asa_all_s: ratio(t.wait_all_s, t.offered),
                agents_staffed: agents.map(|a| (a.busy_s + a.idle_s) / n / (end - start)),
                occupancy: agents.and_then(occupancy),
            });
        };
        for (qi, q) in scenario.queues.iter().enumerate() {
            let mut t = QueueTally::default();
            for r in reps {
                if let Some(x) = r.intervals.get(k).and_then(|i| i.get(qi)) {
                    t.add(x);
                }
            }
            all.add(&t);
            push(&q.id, &t, None);
        }
        push("all", &all, Some(&agents));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_a_tally() {
        let t = QueueTally {
            offered: 100,
            answered: 90,
            abandoned: 8,
            unfinished: 2,
            waited: 40,
            answered_within_sl: 72,
            wait_answered_s: 900.0,
            wait_all_s: 1100.0,
            handle_s: 0.0,
            ewt_abs_error_s: 300.0,
            ewt_n: 30,
        };
        let v = |m: Metric| m.of(&t).unwrap();
        assert_eq!(v(Metric::PWait), 0.4);
        assert_eq!(v(Metric::PAbandon), 0.08);
        assert_eq!(v(Metric::AsaServed), 10.0);
        assert_eq!(v(Metric::AsaAll), 11.0);
        assert_eq!(v(Metric::ServiceLevel), 0.72);
        assert_eq!(v(Metric::ServiceLevelOfAnswered), 0.8);
        assert_eq!(v(Metric::EwtMae), 10.0);
        assert_eq!(Metric::AsaServed.of(&QueueTally::default()), None);
    }

    #[test]
    fn table_aligns_columns() {
        let rows = vec![
            vec!["metric".to_string(), "vip".to_string()],
            vec!["offered".to_string(), "12.5 ± 1.0".to_string()],
        ];
        assert_eq!(render(&rows), "metric          vip\noffered  12.5 ± 1.0\n");
    }
}
