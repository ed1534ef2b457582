//! Sparkline: a tiny trend line for wallboard and scorecard cells — no axes, the last
//! point marked, an optional target line.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::common::{finite, Linear, NumberFormat, Size, Strings};
use crate::palette::{series as colour, GRID, INK, MUTED};
use crate::svg::{escape, n, Svg};
use crate::ticks::MAX_MAGNITUDE;

/// A sparkline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sparkline {
    /// What it shows (the accessible name: `Service level, last 8 weeks`).
    pub label: String,
    /// The values, oldest first (`None`, NaN, ±∞: a gap).
    pub values: Vec<Option<f64>>,
    /// A dashed reference line (included in the vertical range).
    pub target: Option<f64>,
    /// How values are written in the text alternative and tooltips.
    pub format: NumberFormat,
    /// Drawing size (default 100 × 24).
    pub size: Size,
    /// Words the chart writes.
    pub strings: Strings,
}

impl Sparkline {
    /// A sparkline of `values`, 100 × 24.
    pub fn new(label: impl Into<String>, values: Vec<Option<f64>>) -> Sparkline {
        Sparkline {
            label: label.into(),
            values,
            target: None,
            format: NumberFormat::default(),
            size: Size::new(100.0, 24.0),
            strings: Strings::default(),
        }
    }

    fn points(&self) -> Vec<(usize, f64)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| finite(*v).map(|v| (i, v)))
            .collect()
    }

    /// The text alternative: latest, min, max (and the target).
    pub fn summary_text(&self) -> String {
        let pts = self.points();
        let st = &self.strings;
        let f = &self.format;
        let Some(&(_, last)) = pts.last() else {
            return st.no_data.clone();
        };
        let min = pts.iter().map(|p| p.1).fold(last, f64::min);
        let max = pts.iter().map(|p| p.1).fold(last, f64::max);
        let mut s = format!(
            "{} {}, {} {}, {} {}",
            st.latest,
            f.format(last),
            st.min,
            f.format(min),
            st.max,
            f.format(max)
        );
        if let Some(t) = finite(self.target) {
            let _ = write!(s, ", {} {}", st.target, f.format(t));
        }
        s
    }

    /// The SVG.
    pub fn to_svg(&self) -> String {
        let summary = self.summary_text();
        let mut svg = Svg::open("hc-sparkline", self.size, &self.label, &summary);
        let pts = self.points();
        let size = svg.size;
        if pts.is_empty() {
            // Too small for the "no data" frame: a flat dashed line says it.
            let _ = write!(
                svg.out,
                r#"<line class="hc-no-data" x1="2" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="2" stroke-dasharray="3 3"/>"#,
                n(size.width - 2.0),
                y = n(size.height / 2.0)
            );
            return svg.close();
        }
        let mut lo = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let mut hi = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        if let Some(t) = finite(self.target) {
            lo = lo.min(t);
            hi = hi.max(t);
        }
        if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
            // Flat: draw it in the middle.
            let pad = if hi == 0.0 {
                1.0
            } else {
                hi.abs().min(MAX_MAGNITUDE / 2.0)
            };
            lo -= pad;
            hi += pad;
        }
        let r = (size.height / 10.0).clamp(1.0, 3.0);
        let y = Linear {
            d0: lo,
            d1: hi,
            r0: size.height - r - 1.0,
            r1: r + 1.0,
        };
        let count = self.values.len().max(1);
        let x = |i: usize| {
            if count == 1 {
                size.width / 2.0
            } else {
                r + 1.0 + (size.width - 2.0 * r - 2.0) * i as f64 / (count - 1) as f64
            }
        };
        if let Some(t) = finite(self.target) {
            let _ = write!(
                svg.out,
                r#"<line class="hc-target" x1="0" y1="{ty}" x2="{}" y2="{ty}" stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 2"/>"#,
                n(size.width),
                ty = n(y.map(t))
            );
        }
        let mut d = String::new();
        let mut prev: Option<usize> = None;
        for &(i, v) in &pts {
            let cmd = if prev == Some(i.wrapping_sub(1)) {
                "L"
            } else {
                "M"
            };
            let _ = write!(d, "{cmd}{} {}", n(x(i)), n(y.map(v)));
            prev = Some(i);
        }
        let c = colour(0);
        let _ = write!(
            svg.out,
            r#"<path class="hc-line" d="{d}" fill="none" stroke="{c}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>"#
        );
        // Isolated points (no neighbour to draw a line to) get a dot.
        for (k, &(i, v)) in pts.iter().enumerate() {
            let before = k > 0 && pts[k - 1].0 + 1 == i;
            let after = k + 1 < pts.len() && pts[k + 1].0 == i + 1;
            if !before && !after && k + 1 != pts.len() {
                let _ = write!(
                    svg.out,
                    r#"<circle class="hc-point" cx="{}" cy="{}" r="{}" fill="{c}"/>"#,
                    n(x(i)),
                    n(y.map(v)),
                    n(r * 0.7)
                );
            }
        }
        let &(li, lv) = pts.last().expect("not empty");
        let _ = write!(
            svg.out,
            r#"<circle class="hc-last" cx="{}" cy="{}" r="{}" fill="{INK}"><title>{}</title></circle>"#,
            n(x(li)),
            n(y.map(lv)),
            n(r),
            escape(&format!("{}: {}", self.label, self.format.format(lv)))
        );
        svg.close()
    }
}
