//! Bar chart: categories with one or several series, grouped or stacked, vertical or
//! horizontal (for long labels such as not-ready reasons).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::common::{
    finite, legend, reference_line, tick_label_width, value_axis, Linear, NumberFormat, Size,
    Strings, Swatch, TargetLine,
};
use crate::palette::{series as colour, INK, MUTED};
use crate::svg::{escape, n, text_width, truncate, Anchor, Svg};
use crate::ticks::axis_ticks;

/// One series of bars.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BarSeries {
    /// Its name in the legend and tooltips.
    pub name: String,
    /// One value per category (`None`, NaN or ±∞: no bar).
    pub values: Vec<Option<f64>>,
}

impl BarSeries {
    /// A series named `name`.
    pub fn new(name: impl Into<String>, values: Vec<Option<f64>>) -> BarSeries {
        BarSeries {
            name: name.into(),
            values,
        }
    }
}

/// How several series share a category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BarLayout {
    /// Side by side.
    #[default]
    Grouped,
    /// On top of each other (positive values up, negative down).
    Stacked,
}

/// Which way bars grow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Columns: categories along the bottom.
    #[default]
    Vertical,
    /// Bars: categories down the left, room for long labels.
    Horizontal,
}

/// A bar chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    /// Title (drawn at the top; empty: none).
    pub title: String,
    /// Text alternative; `None`: generated (each category's values, the total).
    pub summary: Option<String>,
    /// Category labels, in drawing order.
    pub categories: Vec<String>,
    /// The series (one: no legend, values written at the bar ends).
    pub series: Vec<BarSeries>,
    /// Grouped or stacked.
    pub layout: BarLayout,
    /// Columns or bars.
    pub orientation: Orientation,
    /// The value axis' title.
    pub value_title: String,
    /// How values are written.
    pub format: NumberFormat,
    /// A reference line across the bars.
    pub target: Option<TargetLine>,
    /// Drawing size.
    pub size: Size,
    /// Words the chart writes.
    pub strings: Strings,
}

impl BarChart {
    /// One series of values over `categories`, vertical, 640 × 320.
    pub fn new(
        title: impl Into<String>,
        categories: Vec<String>,
        values: Vec<Option<f64>>,
    ) -> BarChart {
        BarChart {
            title: title.into(),
            summary: None,
            categories,
            series: vec![BarSeries::new("", values)],
            layout: BarLayout::Grouped,
            orientation: Orientation::Vertical,
            value_title: String::new(),
            format: NumberFormat::default(),
            target: None,
            size: Size::new(640.0, 320.0),
            strings: Strings::default(),
        }
    }

    fn value(&self, s: usize, c: usize) -> Option<f64> {
        finite(self.series[s].values.get(c).copied().flatten())
    }

    /// The text alternative.
    pub fn summary_text(&self) -> String {
        if let Some(s) = &self.summary {
            return s.clone();
        }
        let f = &self.format;
        let mut parts = Vec::new();
        for (ci, cat) in self.categories.iter().enumerate() {
            let vals: Vec<String> = (0..self.series.len())
                .filter_map(|si| {
                    self.value(si, ci).map(|v| {
                        let name = &self.series[si].name;
                        if name.trim().is_empty() {
                            f.format(v)
                        } else {
                            format!("{name} {}", f.format(v))
                        }
                    })
                })
                .collect();
            if !vals.is_empty() {
                parts.push(format!("{cat}: {}", vals.join(", ")));
            }
        }
        if parts.is_empty() {
            return self.strings.no_data.clone();
        }
        if let Some(t) = &self.target {
            parts.push(t.text(&self.strings, f));
        }
        parts.join("; ")
    }

    /// The value extent: (min, max) of what is drawn, 0 included.
    fn extent(&self) -> Option<(f64, f64)> {
        let mut any = false;
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for c in 0..self.categories.len() {
            let (mut pos, mut neg) = (0.0f64, 0.0f64);
            for s in 0..self.series.len() {
                if let Some(v) = self.value(s, c) {
                    any = true;
                    match self.layout {
                        BarLayout::Grouped => {
                            lo = lo.min(v);
                            hi = hi.max(v);
                        }
                        BarLayout::Stacked => {
                            if v >= 0.0 {
                                pos += v;
                            } else {
                                neg += v;
                            }
                        }
                    }
                }
            }
            lo = lo.min(neg);
            hi = hi.max(pos);
        }
        any.then_some((lo, hi))
    }

    /// The SVG.
    pub fn to_svg(&self) -> String {
        let summary = self.summary_text();
        let kind = match self.orientation {
            Orientation::Vertical => "hc-bar-chart",
            Orientation::Horizontal => "hc-bar-chart hc-horizontal",
        };
        let mut svg = Svg::open(kind, self.size, &self.title, &summary);
        let Some((mut lo, mut hi)) = self.extent() else {
            let msg = self.strings.no_data.clone();
            return svg.no_data(&self.title, &msg);
        };
        if let Some(t) = self.target.as_ref().and_then(|t| finite(Some(t.value))) {
            lo = lo.min(t);
            hi = hi.max(t);
        }
        let size = svg.size;
        let mut top = svg.heading(&self.title) + 4.0;
        let named = self.series.len() > 1 || self.series.iter().any(|s| !s.name.trim().is_empty());
        if named {
            let items: Vec<(String, &str, Swatch)> = self
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| (s.name.clone(), colour(i), Swatch::Block))
                .collect();
            top += legend(&mut svg, &items, 8.0, top, size.width - 16.0);
        }
        if !self.value_title.trim().is_empty() {
            svg.text(
                "hc-axis-title",
                8.0,
                top + 10.0,
                Anchor::Start,
                11.0,
                MUTED,
                &self.value_title,
                None,
            );
            top += 16.0;
        }
        let horizontal = self.orientation == Orientation::Horizontal;
        let value_len = if horizontal {
            size.width * 0.6
        } else {
            size.height - top - 30.0
        };
        let ticks = axis_ticks(
            self.format.decimals,
            lo,
            hi,
            ((value_len.max(10.0) / if horizontal { 70.0 } else { 40.0 }) as usize).clamp(2, 10),
        );
        let n_cat = self.categories.len().max(1);
        let single = self.series.len() == 1;
        // Room for value labels at the bar ends of a single series.
        let end_room = if single {
            self.categories
                .iter()
                .enumerate()
                .filter_map(|(c, _)| self.value(0, c))
                .map(|v| text_width(&self.format.format(v), 11.0))
                .fold(0.0, f64::max)
                + 8.0
        } else {
            0.0
        };
        let (x0, x1, y0, y1, band, vscale);
        if horizontal {
            let label_w = self
                .categories
                .iter()
                .map(|c| text_width(c, 12.0))
                .fold(0.0, f64::max)
                .min(size.width * 0.4)
                + 8.0;
            x0 = (8.0 + label_w).min(size.width - 20.0);
            x1 = (size.width - 12.0 - end_room).max(x0 + 1.0);
            y0 = top + 4.0;
            y1 = (size.height - 24.0).max(y0 + 1.0);
            band = (y1 - y0) / n_cat as f64;
            vscale = Linear {
                d0: ticks.lo,
                d1: ticks.hi,
                r0: x0,
                r1: x1,
            };
            value_axis(
                &mut svg,
                &ticks,
                vscale,
                false,
                y0,
                y1,
                y1 + 16.0,
                &self.format,
            );
        } else {
            x0 = (8.0 + tick_label_width(&ticks, &self.format) + 6.0).min(size.width - 20.0);
            x1 = size.width - 12.0;
            y0 = top + 6.0 + if single { 14.0 } else { 0.0 };
            y1 = (size.height - 24.0).max(y0 + 1.0);
            band = (x1 - x0) / n_cat as f64;
            vscale = Linear {
                d0: ticks.lo,
                d1: ticks.hi,
                r0: y1,
                r1: y0,
            };
            value_axis(
                &mut svg,
                &ticks,
                vscale,
                true,
                x0,
                x1,
                x0 - 6.0,
                &self.format,
            );
        }
        let zero = vscale.map(0.0f64.clamp(ticks.lo, ticks.hi));
        // Category labels.
        svg.out.push_str(r#"<g class="hc-axis hc-axis-category">"#);
        for (ci, cat) in self.categories.iter().enumerate() {
            if horizontal {
                let (shown, cut) = truncate(cat, x0 - 16.0, 12.0);
                let cy = y0 + band * (ci as f64 + 0.5) + 4.0;
                svg.text(
                    "hc-category",
                    x0 - 8.0,
                    cy,
                    Anchor::End,
                    12.0,
                    INK,
                    &shown,
                    cut.then_some(cat.as_str()),
                );
            } else {
                let (shown, cut) = truncate(cat, band - 4.0, 11.0);
                let cx = x0 + band * (ci as f64 + 0.5);
                svg.text(
                    "hc-category",
                    cx,
                    y1 + 16.0,
                    Anchor::Middle,
                    11.0,
                    INK,
                    &shown,
                    cut.then_some(cat.as_str()),
                );
            }
        }
        svg.out.push_str("</g>");
        // Bars.
        let n_ser = self.series.len().max(1);
        let group = band * 0.7;
        for (ci, cat) in self.categories.iter().enumerate() {
            let band_start = if horizontal { y0 } else { x0 } + band * ci as f64 + band * 0.15;
            let (mut pos, mut neg) = (0.0f64, 0.0f64);
            for si in 0..self.series.len() {
                let Some(v) = self.value(si, ci) else {
                    continue;
                };
                let (a, b, offset, thick) = match self.layout {
                    BarLayout::Grouped => {
                        let thick = group / n_ser as f64;
                        (0.0, v, band_start + thick * si as f64, thick)
                    }
                    BarLayout::Stacked => {
                        let base = if v >= 0.0 { &mut pos } else { &mut neg };
                        let from = *base;
                        *base += v;
                        (from, *base, band_start, group)
                    }
                };
                let (pa, pb) = (vscale.map(a), vscale.map(b));
                let (lo_p, len) = (pa.min(pb), (pa - pb).abs());
                let (x, y, w, h) = if horizontal {
                    (lo_p, offset, len, thick)
                } else {
                    (offset, lo_p, thick, len)
                };
                let name = &self.series[si].name;
                let tip = if name.trim().is_empty() {
                    format!("{cat}: {}", self.format.format(v))
                } else {
                    format!("{cat} — {name}: {}", self.format.format(v))
                };
                let _ = write!(
                    svg.out,
                    r##"<rect class="hc-bar hc-series-{si}" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" stroke-width="{}"><title>{}</title></rect>"##,
                    n(x),
                    n(y),
                    n(w.max(0.0)),
                    n(h.max(0.0)),
                    colour(si),
                    if self.layout == BarLayout::Stacked {
                        "1"
                    } else {
                        "0"
                    },
                    escape(&tip)
                );
                if single {
                    let text = self.format.format(v);
                    if horizontal {
                        let (tx, anchor) = if v >= 0.0 {
                            (x + w + 4.0, Anchor::Start)
                        } else {
                            (x - 4.0, Anchor::End)
                        };
                        svg.text(
                            "hc-value",
                            tx,
                            y + h / 2.0 + 4.0,
                            anchor,
                            11.0,
                            INK,
                            &text,
                            None,
                        );
                    } else {
                        let ty = if v >= 0.0 { y - 4.0 } else { y + h + 12.0 };
                        svg.text(
                            "hc-value",
                            x + w / 2.0,
                            ty,
                            Anchor::Middle,
                            11.0,
                            INK,
                            &text,
                            None,
                        );
                    }
                }
            }
        }
        // The zero line over the bars.
        let (zx1, zy1, zx2, zy2) = if horizontal {
            (zero, y0, zero, y1)
        } else {
            (x0, zero, x1, zero)
        };
        let _ = write!(
            svg.out,
            r#"<line class="hc-axis-line" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="1"/>"#,
            n(zx1),
            n(zy1),
            n(zx2),
            n(zy2)
        );
        if let Some(t) = &self.target {
            if let Some(v) = finite(Some(t.value)) {
                let p = vscale.map(v);
                let label = t.text(&self.strings, &self.format);
                if horizontal {
                    reference_line(
                        &mut svg,
                        "hc-target",
                        p,
                        y0,
                        p,
                        y1,
                        &label,
                        p,
                        y0 - 2.0,
                        Anchor::Middle,
                    );
                } else {
                    reference_line(
                        &mut svg,
                        "hc-target",
                        x0,
                        p,
                        x1,
                        p,
                        &label,
                        x1,
                        p - 4.0,
                        Anchor::End,
                    );
                }
            }
        }
        svg.close()
    }
}
