//! A finished report: rows, totals, and its CSV form.

use serde::Serialize;

use super::KpiParams;
use crate::kpi::{KpiId, Unit};

/// Counts of what a report read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReportStats {
    /// Contact records counted.
    pub records: u64,
    /// Contact records that arrived outside `[from, to)`.
    pub records_out_of_range: u64,
    /// Interval cells the contact records were counted from ([`super::ContactSums`]);
    /// 0 when they were read one by one.
    pub cells: u64,
    /// Agent state intervals counted.
    pub states: u64,
    /// Agent state intervals entirely outside `[from, to)`.
    pub states_out_of_range: u64,
    /// Agent state intervals ignored because the grouping has no agent side.
    pub states_not_grouped: u64,
}

/// One row: an interval (or a total) for one group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Start of the interval, RFC 3339 in the report's zone; `None` for totals.
    pub interval_start: Option<String>,
    /// The group's values, one per grouping dimension (`None`: no value, e.g. the
    /// agent of an abandoned call).
    pub groups: Vec<Option<String>>,
    /// The KPI values, in the spec's KPI order (`None`: undefined, e.g. ASA with no
    /// answered contact).
    pub values: Vec<Option<f64>>,
}

/// A finished report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportTable {
    /// Interval length (`30m`, `day`, …).
    pub interval: String,
    /// IANA zone name.
    pub time_zone: String,
    /// Report start, RFC 3339.
    pub from: String,
    /// Report end, RFC 3339.
    pub to: String,
    /// Grouping column names.
    pub group_by: Vec<String>,
    /// KPI columns.
    pub kpis: Vec<KpiId>,
    /// Thresholds used.
    pub params: KpiParams,
    /// One row per interval and group, by interval then group.
    pub rows: Vec<Row>,
    /// One row per group over the whole period.
    pub totals: Vec<Row>,
    /// Everything over the whole period.
    pub total: Row,
    /// What was read.
    pub stats: ReportStats,
}

impl ReportTable {
    /// Column index of `kpi`.
    pub fn column(&self, kpi: KpiId) -> Option<usize> {
        self.kpis.iter().position(|&k| k == kpi)
    }

    /// `kpi`'s value in `row`.
    pub fn value(&self, row: &Row, kpi: KpiId) -> Option<f64> {
        self.column(kpi).and_then(|i| row.values[i])
    }

    /// The totals row of the group with these values.
    pub fn total_of(&self, groups: &[Option<&str>]) -> Option<&Row> {
        self.totals.iter().find(|r| {
            r.groups
                .iter()
                .map(Option::as_deref)
                .eq(groups.iter().copied())
        })
    }

    /// CSV: `interval_start, <group columns>, <kpi ids>`, one line per row; with
    /// `with_totals`, per-group totals and the grand total follow, their
    /// `interval_start` written as `total`. Counts are integers, other values have at
    /// most 4 decimals, undefined values are empty.
    pub fn to_csv(&self, with_totals: bool) -> String {
        let mut out = String::new();
        let mut header = vec!["interval_start".to_owned()];
        header.extend(self.group_by.iter().cloned());
        header.extend(self.kpis.iter().map(|k| k.as_str().to_owned()));
        push_line(&mut out, header.iter().map(String::as_str));
        let mut write = |row: &Row| {
            let mut cells = vec![row.interval_start.clone().unwrap_or_else(|| "total".into())];
            cells.extend(row.groups.iter().map(|g| g.clone().unwrap_or_default()));
            for (k, v) in self.kpis.iter().zip(&row.values) {
                cells.push(format_value(k.def().unit, *v));
            }
            push_line(&mut out, cells.iter().map(String::as_str));
        };
        for row in &self.rows {
            write(row);
        }
        if with_totals {
            for row in &self.totals {
                write(row);
            }
            write(&self.total);
        }
        out
    }
}

/// A value as written in CSV.
pub fn format_value(unit: Unit, v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(v) if unit == Unit::Count => format!("{}", v.round() as i64),
        Some(v) => {
            let s = format!("{v:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".into()
            } else {
                s.to_owned()
            }
        }
    }
}

fn push_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if c.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&c.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(c);
        }
    }
    out.push('\n');
}
