//! Time series line chart: several series over shared times, gaps where values are
//! missing, "nice" value ticks, an optional target line, a legend.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::common::{
    dash, finite, legend, marker, reference_line, tick_label_width, value_axis, Linear,
    NumberFormat, Shape, Size, Strings, Swatch, TargetLine,
};
use crate::palette::{series as colour, GRID, INK, MUTED};
use crate::svg::{n, text_width, Anchor, Svg};
use crate::ticks::axis_ticks;

/// One line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineSeries {
    /// Its name in the legend and tooltips.
    pub name: String,
    /// One value per time of the chart (`None`, NaN or ±∞: a gap).
    pub values: Vec<Option<f64>>,
}

impl LineSeries {
    /// A series named `name`.
    pub fn new(name: impl Into<String>, values: Vec<Option<f64>>) -> LineSeries {
        LineSeries {
            name: name.into(),
            values,
        }
    }
}

/// A labelled position on the time axis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct XTick {
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// What to write there (`08:00`, `Mon 4`), chosen by the caller.
    pub label: String,
}

/// A line chart over time. Times are milliseconds since the Unix epoch and every label
/// comes from the caller: the chart knows no clock and no time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeSeriesChart {
    /// Title (drawn at the top and the start of the accessible name; empty: none).
    pub title: String,
    /// Text alternative; `None`: generated from the data (latest, min and max per series,
    /// points under the target).
    pub summary: Option<String>,
    /// The x positions, ascending, shared by every series.
    pub times: Vec<i64>,
    /// One label per time for tooltips and the summary (`10:00–10:30`); may be empty.
    pub time_labels: Vec<String>,
    /// Labels on the time axis; empty: the time labels, thinned to fit.
    pub x_ticks: Vec<XTick>,
    /// The time axis' extent; `None`: first to last time.
    pub x_range: Option<(i64, i64)>,
    /// The lines.
    pub series: Vec<LineSeries>,
    /// The value axis' title (`Service level (%)`), drawn above it.
    pub y_title: String,
    /// How values are written.
    pub format: NumberFormat,
    /// The value axis reaches down to at least this (default 0: zero-based).
    pub y_min: Option<f64>,
    /// The value axis reaches up to at least this (e.g. 100 for percentages).
    pub y_max: Option<f64>,
    /// A horizontal target line.
    pub target: Option<TargetLine>,
    /// Drawing size.
    pub size: Size,
    /// Words the chart writes.
    pub strings: Strings,
}

impl TimeSeriesChart {
    /// An empty chart titled `title` over `times` (640 × 320, zero-based, plain numbers).
    pub fn new(title: impl Into<String>, times: Vec<i64>) -> TimeSeriesChart {
        TimeSeriesChart {
            title: title.into(),
            summary: None,
            times,
            time_labels: Vec::new(),
            x_ticks: Vec::new(),
            x_range: None,
            series: Vec::new(),
            y_title: String::new(),
            format: NumberFormat::default(),
            y_min: Some(0.0),
            y_max: None,
            target: None,
            size: Size::new(640.0, 320.0),
            strings: Strings::default(),
        }
    }

    fn value(&self, s: &LineSeries, i: usize) -> Option<f64> {
        if i >= self.times.len() {
            return None;
        }
        finite(s.values.get(i).copied().flatten())
    }

    fn label(&self, i: usize) -> Option<&str> {
        self.time_labels.get(i).map(String::as_str)
    }

    /// The text alternative (the given summary, or one generated from the data).
    pub fn summary_text(&self) -> String {
        if let Some(s) = &self.summary {
            return s.clone();
        }
        let st = &self.strings;
        let f = &self.format;
        let mut parts = Vec::new();
        let at = |i: usize| self.label(i).map(|l| format!(" ({l})")).unwrap_or_default();
        for s in &self.series {
            let points: Vec<(usize, f64)> = (0..self.times.len())
                .filter_map(|i| self.value(s, i).map(|v| (i, v)))
                .collect();
            let Some(&(li, lv)) = points.last() else {
                parts.push(format!("{}: {}", s.name, st.no_data));
                continue;
            };
            let (mi, mv) = points
                .iter()
                .copied()
                .fold(points[0], |a, b| if b.1 < a.1 { b } else { a });
            let (xi, xv) = points
                .iter()
                .copied()
                .fold(points[0], |a, b| if b.1 > a.1 { b } else { a });
            let mut p = format!(
                "{}: {} {}{}, {} {}{}, {} {}{}",
                s.name,
                st.latest,
                f.format(lv),
                at(li),
                st.min,
                f.format(mv),
                at(mi),
                st.max,
                f.format(xv),
                at(xi)
            );
            if let Some(t) = self.target.as_ref().and_then(|t| finite(Some(t.value))) {
                let below = points.iter().filter(|(_, v)| *v < t).count();
                p.push_str(", ");
                p.push_str(
                    &st.below_target
                        .replace("{count}", &below.to_string())
                        .replace("{total}", &points.len().to_string()),
                );
            }
            parts.push(p);
        }
        if parts.is_empty() {
            return st.no_data.clone();
        }
        if let Some(t) = &self.target {
            parts.push(t.text(st, f));
        }
        parts.join("; ")
    }

    /// The SVG.
    pub fn to_svg(&self) -> String {
        let summary = self.summary_text();
        let mut svg = Svg::open("hc-line-chart", self.size, &self.title, &summary);
        let (lo, hi) = self
            .series
            .iter()
            .flat_map(|s| (0..self.times.len()).filter_map(move |i| self.value(s, i)))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        if lo > hi {
            let msg = self.strings.no_data.clone();
            return svg.no_data(&self.title, &msg);
        }
        let size = svg.size;
        let mut top = svg.heading(&self.title) + 4.0;
        let items: Vec<(String, &str, Swatch)> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), colour(i), Swatch::Line(i)))
            .collect();
        if self.series.iter().any(|s| !s.name.trim().is_empty()) {
            top += legend(&mut svg, &items, 8.0, top, size.width - 16.0);
        }
        if !self.y_title.trim().is_empty() {
            svg.text(
                "hc-axis-title",
                8.0,
                top + 10.0,
                Anchor::Start,
                11.0,
                MUTED,
                &self.y_title,
                None,
            );
            top += 16.0;
        }
        // Value domain: data, the requested bounds, the target.
        let mut dlo = lo;
        let mut dhi = hi;
        for v in [
            self.y_min,
            self.y_max,
            self.target.as_ref().map(|t| t.value),
        ]
        .into_iter()
        .filter_map(finite)
        {
            dlo = dlo.min(v);
            dhi = dhi.max(v);
        }
        let plot_h_guess = (size.height - top - 30.0).max(10.0);
        let ticks = axis_ticks(
            self.format.decimals,
            dlo,
            dhi,
            ((plot_h_guess / 40.0) as usize).clamp(2, 10),
        );
        let left = 8.0 + tick_label_width(&ticks, &self.format) + 6.0;
        let right = size.width - 12.0;
        let bottom = (size.height - 24.0).max(top + 1.0);
        let (x0, x1) = (left.min(right - 1.0), right);
        let y = Linear {
            d0: ticks.lo,
            d1: ticks.hi,
            r0: bottom,
            r1: top + 6.0,
        };
        value_axis(&mut svg, &ticks, y, true, x0, x1, x0 - 6.0, &self.format);
        // Time axis.
        let (t0, t1) = self.x_range.unwrap_or_else(|| {
            let first = self.times.iter().copied().min().unwrap_or(0);
            let last = self.times.iter().copied().max().unwrap_or(0);
            (first, last)
        });
        let (t0, t1) = (t0.min(t1), t0.max(t1));
        let pad = if self.times.len() <= 1 { 0.0 } else { 4.0 };
        let xmap = |t: i64| -> f64 {
            let span = (t1 as i128 - t0 as i128) as f64;
            if span <= 0.0 {
                return (x0 + x1) / 2.0;
            }
            let f = ((t as i128 - t0 as i128) as f64 / span).clamp(-0.05, 1.05);
            x0 + pad + f * (x1 - x0 - 2.0 * pad)
        };
        let _ = write!(
            svg.out,
            r#"<line class="hc-axis-line" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="1"/>"#,
            n(x0),
            n(bottom),
            n(x1),
            n(bottom)
        );
        self.time_axis(&mut svg, &xmap, t0, t1, x0, x1, bottom);
        if let Some(t) = &self.target {
            if let Some(v) = finite(Some(t.value)) {
                let py = y.map(v);
                reference_line(
                    &mut svg,
                    "hc-target",
                    x0,
                    py,
                    x1,
                    py,
                    &t.text(&self.strings, &self.format),
                    x1,
                    py - 4.0,
                    Anchor::End,
                );
            }
        }
        // Lines, then markers carrying the tooltips.
        let many = self.times.len() > 48;
        for (si, s) in self.series.iter().enumerate() {
            let c = colour(si);
            let mut d = String::new();
            let mut pen_down = false;
            for (i, &t) in self.times.iter().enumerate() {
                match self.value(s, i) {
                    Some(v) => {
                        let _ = write!(
                            d,
                            "{}{} {}",
                            if pen_down { "L" } else { "M" },
                            n(xmap(t)),
                            n(y.map(v))
                        );
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            let dash_attr = dash(si)
                .map(|d| format!(r#" stroke-dasharray="{d}""#))
                .unwrap_or_default();
            let _ = write!(
                svg.out,
                r#"<g class="hc-series hc-series-{si}"><path class="hc-line" d="{d}" fill="none" stroke="{c}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"{dash_attr}/><g class="hc-points" fill="{c}">"#
            );
            for (i, &t) in self.times.iter().enumerate() {
                let Some(v) = self.value(s, i) else { continue };
                let tip = match self.label(i) {
                    Some(l) => format!("{} — {l}: {}", s.name, self.format.format(v)),
                    None => format!("{}: {}", s.name, self.format.format(v)),
                };
                let r = if many { 2.2 } else { 3.2 };
                marker(
                    &mut svg.out,
                    Shape::of(si),
                    xmap(t),
                    y.map(v),
                    r,
                    Some(&tip),
                );
            }
            svg.out.push_str("</g></g>");
        }
        svg.close()
    }

    /// Labels along the time axis: the caller's ticks, or the time labels thinned.
    #[allow(clippy::too_many_arguments)]
    fn time_axis(
        &self,
        svg: &mut Svg,
        xmap: &dyn Fn(i64) -> f64,
        t0: i64,
        t1: i64,
        x0: f64,
        x1: f64,
        bottom: f64,
    ) {
        let ticks: Vec<(i64, &str)> = if self.x_ticks.is_empty() {
            self.times
                .iter()
                .zip(&self.time_labels)
                .map(|(&t, l)| (t, l.as_str()))
                .collect()
        } else {
            self.x_ticks
                .iter()
                .map(|t| (t.at, t.label.as_str()))
                .collect()
        };
        let ticks: Vec<(i64, &str)> = ticks
            .into_iter()
            .filter(|&(t, _)| t >= t0 && t <= t1)
            .collect();
        if ticks.is_empty() {
            return;
        }
        let widest = ticks
            .iter()
            .map(|(_, l)| text_width(l, 11.0))
            .fold(0.0, f64::max)
            + 10.0;
        let fit = (((x1 - x0) / widest).floor() as usize).max(1);
        let every = ticks.len().div_ceil(fit).max(1);
        svg.out.push_str(r#"<g class="hc-axis hc-axis-time">"#);
        for &(t, label) in ticks.iter().step_by(every) {
            let px = xmap(t);
            let _ = write!(
                svg.out,
                r#"<line class="hc-tick-mark" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
                n(px),
                n(bottom),
                n(px),
                n(bottom + 4.0)
            );
            // A label centred on a tick at either end would run off the drawing: it ends
            // (or starts) at its tick instead.
            let half = text_width(label, 11.0) / 2.0;
            let anchor = if px + half > x1 + 10.0 {
                Anchor::End
            } else if px - half < 2.0 {
                Anchor::Start
            } else {
                Anchor::Middle
            };
            svg.text(
                "hc-tick",
                px,
                bottom + 16.0,
                anchor,
                11.0,
                MUTED,
                label,
                None,
            );
        }
        svg.out.push_str("</g>");
    }
}
