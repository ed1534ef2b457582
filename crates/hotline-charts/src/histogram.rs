//! Histogram: counts per bin (given, or computed from values), with an optional
//! threshold marker; bins at or beyond the threshold are drawn in a second colour.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::common::{
    finite, reference_line, tick_label_width, value_axis, Linear, NumberFormat, Size, Strings,
    TargetLine,
};
use crate::palette::{series as colour, INK, MUTED};
use crate::svg::{escape, n, Anchor, Svg};
use crate::ticks::{nice_ticks, whole_ticks, MAX_MAGNITUDE};

/// Most bins [`bins_from_values`] makes.
pub const MAX_BINS: usize = 200;

/// One bin: `[from, to)` (the last bin of a computed set also holds `to`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Lower edge (inclusive).
    pub from: f64,
    /// Upper edge (exclusive, except the last computed bin's).
    pub to: f64,
    /// How many values.
    pub count: u64,
}

/// Bins for `values` (non-finite values left out): of width `width` aligned on its
/// multiples when given (more than [`MAX_BINS`] such bins: automatic instead), else
/// at most 12 bins on "nice" edges. Every value lands in exactly one bin: `[from, to)`,
/// the last also holding its upper edge. No finite value: no bins.
pub fn bins_from_values(values: &[f64], width: Option<f64>) -> Vec<Bin> {
    let vals: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE))
        .collect();
    let Some(lo) = vals.iter().copied().reduce(f64::min) else {
        return Vec::new();
    };
    let hi = vals.iter().copied().fold(lo, f64::max);
    let fixed = width
        .filter(|w| w.is_finite() && *w > 0.0 && (hi - lo) / w < MAX_BINS as f64)
        .and_then(|w| {
            let k0 = (lo / w).floor();
            let k1 = (hi / w).floor() + 1.0;
            if !(k0.abs() < 1e15 && k1.abs() < 1e15) {
                return None;
            }
            let edges: Vec<f64> = (k0 as i64..=k1 as i64).map(|k| k as f64 * w).collect();
            // Too fine for the magnitude (edges that round together): automatic bins.
            let ok = edges.len() >= 2
                && edges.windows(2).all(|e| e[0] < e[1])
                && edges[0] <= lo
                && hi < edges[edges.len() - 1];
            ok.then_some(edges)
        });
    let edges: Vec<f64> = match fixed {
        Some(edges) => edges,
        None => {
            // The last bin holds its upper edge, so a maximum on an edge needs no
            // extra bin.
            let mut t = nice_ticks(lo, hi, 12).values;
            if t.len() < 2 {
                t.push(t[0] + 1.0);
            }
            t
        }
    };
    let mut bins: Vec<Bin> = edges
        .windows(2)
        .map(|e| Bin {
            from: e[0],
            to: e[1],
            count: 0,
        })
        .collect();
    let Some(last) = bins.len().checked_sub(1) else {
        return Vec::new();
    };
    for v in vals {
        let i = bins.partition_point(|b| b.to <= v).min(last);
        bins[i].count += 1;
    }
    bins
}

/// A histogram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Title (drawn at the top; empty: none).
    pub title: String,
    /// Text alternative; `None`: generated (count, the fullest bin, the share up to the
    /// threshold).
    pub summary: Option<String>,
    /// The bins, ascending and not overlapping (bins with a non-finite or empty range
    /// are skipped).
    pub bins: Vec<Bin>,
    /// The value (x) axis' title (`Wait (s)`).
    pub x_title: String,
    /// How bin edges are written.
    pub format: NumberFormat,
    /// A vertical marker (`T = 20 s`); bins starting at or after it use the second colour.
    pub threshold: Option<TargetLine>,
    /// Drawing size.
    pub size: Size,
    /// Words the chart writes.
    pub strings: Strings,
}

impl Histogram {
    /// A histogram of given bins, 640 × 320.
    pub fn new(title: impl Into<String>, bins: Vec<Bin>) -> Histogram {
        Histogram {
            title: title.into(),
            summary: None,
            bins,
            x_title: String::new(),
            format: NumberFormat::default(),
            threshold: None,
            size: Size::new(640.0, 320.0),
            strings: Strings::default(),
        }
    }

    /// A histogram of `values` binned by [`bins_from_values`].
    pub fn from_values(title: impl Into<String>, values: &[f64], width: Option<f64>) -> Histogram {
        Histogram::new(title, bins_from_values(values, width))
    }

    fn drawable(&self) -> Vec<Bin> {
        self.bins
            .iter()
            .filter(|b| b.from.is_finite() && b.to.is_finite() && b.to > b.from)
            .map(|b| Bin {
                from: b.from.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE),
                to: b.to.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE),
                count: b.count,
            })
            .filter(|b| b.to > b.from)
            .collect()
    }

    /// The text alternative.
    pub fn summary_text(&self) -> String {
        if let Some(s) = &self.summary {
            return s.clone();
        }
        let bins = self.drawable();
        let total: u64 = bins.iter().fold(0u64, |a, b| a.saturating_add(b.count));
        if total == 0 {
            return self.strings.no_data.clone();
        }
        let f = &self.format;
        let fullest = bins
            .iter()
            .fold(bins[0], |a, &b| if b.count > a.count { b } else { a });
        let mut s = format!(
            "{}; {} {}–{}: {}",
            self.strings.values.replace("{count}", &total.to_string()),
            self.strings.max,
            f.format(fullest.from),
            f.format(fullest.to),
            fullest.count
        );
        if let Some(t) = self.threshold.as_ref().filter(|t| t.value.is_finite()) {
            // The share is exact only when the threshold is a bin edge.
            if bins.iter().any(|b| b.to == t.value) {
                let under: u64 = bins
                    .iter()
                    .filter(|b| b.to <= t.value)
                    .fold(0u64, |a, b| a.saturating_add(b.count));
                let _ = write!(
                    s,
                    "; {}: {:.1}% ≤ {}",
                    t.text(&self.strings, f),
                    100.0 * under as f64 / total as f64,
                    f.format(t.value)
                );
            } else {
                let _ = write!(s, "; {}", t.text(&self.strings, f));
            }
        }
        s
    }

    /// The SVG.
    pub fn to_svg(&self) -> String {
        let summary = self.summary_text();
        let mut svg = Svg::open("hc-histogram", self.size, &self.title, &summary);
        let bins = self.drawable();
        if bins.iter().all(|b| b.count == 0) {
            let msg = self.strings.no_data.clone();
            return svg.no_data(&self.title, &msg);
        }
        let size = svg.size;
        let top = svg.heading(&self.title) + 10.0;
        let max_count = bins.iter().map(|b| b.count).max().unwrap_or(0) as f64;
        let counts = whole_ticks(
            0.0,
            max_count,
            (((size.height - top - 50.0) / 40.0) as usize).clamp(2, 8),
        );
        let count_fmt = NumberFormat::count();
        let x0 = (8.0 + tick_label_width(&counts, &count_fmt) + 6.0).min(size.width - 20.0);
        let x1 = size.width - 12.0;
        let bottom = (size.height
            - if self.x_title.trim().is_empty() {
                24.0
            } else {
                40.0
            })
        .max(top + 1.0);
        let y = Linear {
            d0: counts.lo,
            d1: counts.hi,
            r0: bottom,
            r1: top + 6.0,
        };
        value_axis(&mut svg, &counts, y, true, x0, x1, x0 - 6.0, &count_fmt);
        let mut lo = bins[0].from;
        let mut hi = bins.iter().map(|b| b.to).fold(lo, f64::max);
        lo = bins.iter().map(|b| b.from).fold(lo, f64::min);
        if let Some(t) = self.threshold.as_ref().and_then(|t| finite(Some(t.value))) {
            lo = lo.min(t);
            hi = hi.max(t);
        }
        let xt = nice_ticks(lo, hi, (((x1 - x0) / 70.0) as usize).clamp(2, 12));
        let x = Linear {
            d0: lo,
            d1: hi,
            r0: x0,
            r1: x1,
        };
        // x labels at the nice ticks inside the range.
        svg.out.push_str(r#"<g class="hc-axis hc-axis-value-x">"#);
        for &t in xt.values.iter().filter(|&&t| t >= lo && t <= hi) {
            svg.text(
                "hc-tick",
                x.map(t),
                bottom + 16.0,
                Anchor::Middle,
                11.0,
                MUTED,
                &self.format.tick(t, &xt),
                None,
            );
        }
        svg.out.push_str("</g>");
        if !self.x_title.trim().is_empty() {
            svg.text(
                "hc-axis-title",
                (x0 + x1) / 2.0,
                bottom + 32.0,
                Anchor::Middle,
                11.0,
                MUTED,
                &self.x_title,
                None,
            );
        }
        let threshold = self.threshold.as_ref().and_then(|t| finite(Some(t.value)));
        for b in &bins {
            let over = threshold.is_some_and(|t| b.from >= t);
            let (px0, px1) = (x.map(b.from), x.map(b.to));
            let py = y.map(b.count as f64);
            let tip = format!(
                "{}–{}: {}",
                self.format.format(b.from),
                self.format.format(b.to),
                b.count
            );
            let _ = write!(
                svg.out,
                r##"<rect class="hc-bin{}" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" stroke-width="1"><title>{}</title></rect>"##,
                if over { " hc-over" } else { "" },
                n(px0.min(px1)),
                n(py),
                n((px1 - px0).abs()),
                n((bottom - py).max(0.0)),
                if over { colour(1) } else { colour(0) },
                escape(&tip)
            );
        }
        let _ = write!(
            svg.out,
            r#"<line class="hc-axis-line" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="1"/>"#,
            n(x0),
            n(bottom),
            n(x1),
            n(bottom)
        );
        if let (Some(t), Some(line)) = (threshold, &self.threshold) {
            let px = x.map(t);
            let label = line.text(&self.strings, &self.format);
            reference_line(
                &mut svg,
                "hc-threshold",
                px,
                top + 2.0,
                px,
                bottom,
                &label,
                px + 4.0,
                top + 10.0,
                Anchor::Start,
            );
        }
        svg.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_bins_hold_every_value_once() {
        let b = bins_from_values(&[0.0, 5.0, 9.9, 10.0, 25.0, f64::NAN], Some(10.0));
        assert_eq!(
            b,
            [
                Bin {
                    from: 0.0,
                    to: 10.0,
                    count: 3
                },
                Bin {
                    from: 10.0,
                    to: 20.0,
                    count: 1
                },
                Bin {
                    from: 20.0,
                    to: 30.0,
                    count: 1
                },
            ]
        );
        let auto = bins_from_values(&[3.0, 17.0, 40.0, 58.0], None);
        assert_eq!(auto.iter().map(|b| b.count).sum::<u64>(), 4);
        assert_eq!(auto[0].from, 0.0);
        assert_eq!(auto.last().unwrap().to, 60.0);
        assert_eq!(auto.last().unwrap().count, 1, "58 in the last bin");
        assert!(bins_from_values(&[f64::NAN], None).is_empty());
        let one = bins_from_values(&[7.0, 7.0], None);
        assert_eq!(one.iter().map(|b| b.count).sum::<u64>(), 2);
    }
}
