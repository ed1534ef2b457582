//! Bullet chart with red / amber / green bands: a value against its target for
//! scorecards. The status is also written (icon and word), never shown by colour alone.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::common::{finite, Linear, NumberFormat, Size, Strings};
use crate::palette::{AMBER, AMBER_BAND, GREEN, GREEN_BAND, INK, MUTED, RED, RED_BAND};
use crate::svg::{escape, n, text_width, truncate, Anchor, Svg};
use crate::ticks::nice_ticks;

/// A red / amber / green status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// Off target.
    Red,
    /// At risk.
    Amber,
    /// On target.
    Green,
}

impl Rag {
    /// `red`, `amber` or `green` (also the CSS class suffix: `hc-rag-green`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }

    /// The icon written beside the value: ✕, ! or ✓.
    pub fn icon(self) -> &'static str {
        match self {
            Rag::Red => "✕",
            Rag::Amber => "!",
            Rag::Green => "✓",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Rag::Red => RED,
            Rag::Amber => AMBER,
            Rag::Green => GREEN,
        }
    }

    fn word(self, s: &Strings) -> &str {
        match self {
            Rag::Red => &s.red,
            Rag::Amber => &s.amber,
            Rag::Green => &s.green,
        }
    }
}

/// Which way is better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better (service level).
    #[default]
    Higher,
    /// Lower is better (abandon rate, ASA).
    Lower,
}

/// Where the bands change. Higher is better: green from `green` up, amber from `amber`
/// up to `green`, red below `amber`. Lower is better: green up to `green`, amber up to
/// `amber`, red above. (Given the wrong way round, the two are swapped.)
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RagBands {
    /// Which way is better.
    pub better: Better,
    /// The green boundary (usually the target).
    pub green: f64,
    /// The amber boundary.
    pub amber: f64,
}

impl RagBands {
    /// Bands for a higher-is-better value.
    pub fn higher_is_better(green_from: f64, amber_from: f64) -> RagBands {
        RagBands {
            better: Better::Higher,
            green: green_from,
            amber: amber_from,
        }
    }

    /// Bands for a lower-is-better value.
    pub fn lower_is_better(green_to: f64, amber_to: f64) -> RagBands {
        RagBands {
            better: Better::Lower,
            green: green_to,
            amber: amber_to,
        }
    }

    /// (green, amber) finite and in the order `better` needs.
    fn ordered(&self) -> (f64, f64) {
        let g = finite(Some(self.green)).unwrap_or(0.0);
        let a = finite(Some(self.amber)).unwrap_or(g);
        match self.better {
            Better::Higher => (g.max(a), g.min(a)),
            Better::Lower => (g.min(a), g.max(a)),
        }
    }

    /// The status of `value`; boundaries belong to the better band.
    pub fn status(&self, value: f64) -> Rag {
        let (g, a) = self.ordered();
        match self.better {
            Better::Higher if value >= g => Rag::Green,
            Better::Higher if value >= a => Rag::Amber,
            Better::Higher => Rag::Red,
            Better::Lower if value <= g => Rag::Green,
            Better::Lower if value <= a => Rag::Amber,
            Better::Lower => Rag::Red,
        }
    }
}

/// A bullet chart: label, bands, the value as a bar, the target as a tick, the value
/// and its status as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bullet {
    /// What it measures (drawn on the left, and the accessible name).
    pub label: String,
    /// The value (`None` or non-finite: no data).
    pub value: Option<f64>,
    /// The target, drawn as a tick.
    pub target: Option<f64>,
    /// The bands.
    pub bands: RagBands,
    /// The scale; `None`: zero to a nice number above everything drawn.
    pub range: Option<(f64, f64)>,
    /// How the value is written.
    pub format: NumberFormat,
    /// Drawing size (default 420 × 44; the label takes 40 % of the width, the value
    /// text at least 18 %).
    pub size: Size,
    /// Words the chart writes.
    pub strings: Strings,
}

impl Bullet {
    /// A bullet for `value` against `target` with `bands`, 420 × 44.
    pub fn new(
        label: impl Into<String>,
        value: Option<f64>,
        target: Option<f64>,
        bands: RagBands,
    ) -> Bullet {
        Bullet {
            label: label.into(),
            value,
            target,
            bands,
            range: None,
            format: NumberFormat::default(),
            size: Size::new(420.0, 44.0),
            strings: Strings::default(),
        }
    }

    /// The status of the value (`None` without one).
    pub fn status(&self) -> Option<Rag> {
        finite(self.value).map(|v| self.bands.status(v))
    }

    /// The text alternative: value, status, target.
    pub fn summary_text(&self) -> String {
        let st = &self.strings;
        let mut s = match (finite(self.value), self.status()) {
            (Some(v), Some(r)) => format!("{} ({})", self.format.format(v), r.word(st)),
            _ => st.no_data.clone(),
        };
        if let Some(t) = finite(self.target) {
            let _ = write!(s, ", {} {}", st.target, self.format.format(t));
        }
        s
    }

    /// The SVG.
    pub fn to_svg(&self) -> String {
        let summary = self.summary_text();
        let mut svg = Svg::open("hc-bullet", self.size, &self.label, &summary);
        let size = svg.size;
        let (g, a) = self.bands.ordered();
        let value = finite(self.value);
        let target = finite(self.target);
        let (d0, d1) = match self
            .range
            .and_then(|(lo, hi)| Some((finite(Some(lo))?, finite(Some(hi))?)))
        {
            Some((lo, hi)) if hi > lo => (lo, hi),
            _ => {
                let mut lo = 0.0f64;
                let mut hi = 0.0f64;
                for v in [Some(g), Some(a), value, target].into_iter().flatten() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                let t = nice_ticks(lo, hi, 4);
                (t.lo, t.hi)
            }
        };
        let value_text = match (value, self.status()) {
            (Some(v), Some(r)) => format!("{} {}", r.icon(), self.format.format(v)),
            _ => self.strings.no_data.clone(),
        };
        // Fixed columns, so that bullets of one scorecard line up row under row.
        let label_w = if self.label.trim().is_empty() {
            0.0
        } else {
            size.width * 0.4
        };
        let value_w = (text_width(&value_text, 12.0) + 10.0).max(size.width * 0.18);
        let x0 = (8.0 + label_w).min(size.width - 30.0);
        let x1 = (size.width - 8.0 - value_w).max(x0 + 10.0);
        let (y0, y1) = (4.0, (size.height - 4.0).max(8.0));
        let mid = (y0 + y1) / 2.0;
        let x = Linear {
            d0,
            d1,
            r0: x0,
            r1: x1,
        };
        let (shown, cut) = truncate(&self.label, label_w - 8.0, 12.0);
        svg.text(
            "hc-label",
            8.0,
            mid + 4.0,
            Anchor::Start,
            12.0,
            INK,
            &shown,
            cut.then_some(self.label.as_str()),
        );
        // Bands, worst to best along the scale.
        let bands: [(Rag, f64, f64); 3] = match self.bands.better {
            crate::Better::Higher => [(Rag::Red, d0, a), (Rag::Amber, a, g), (Rag::Green, g, d1)],
            crate::Better::Lower => [(Rag::Green, d0, g), (Rag::Amber, g, a), (Rag::Red, a, d1)],
        };
        let f = &self.format;
        for (rag, from, to) in bands {
            let (from, to) = (from.clamp(d0, d1), to.clamp(d0, d1));
            if to <= from {
                continue;
            }
            let fill = match rag {
                Rag::Red => RED_BAND,
                Rag::Amber => AMBER_BAND,
                Rag::Green => GREEN_BAND,
            };
            let tip = format!(
                "{}: {}–{}",
                rag.word(&self.strings),
                f.format(from),
                f.format(to)
            );
            let _ = write!(
                svg.out,
                r#"<rect class="hc-band hc-rag-{}" x="{}" y="{}" width="{}" height="{}" fill="{fill}"><title>{}</title></rect>"#,
                rag.as_str(),
                n(x.map(from)),
                n(y0),
                n((x.map(to) - x.map(from)).max(0.0)),
                n(y1 - y0),
                escape(&tip)
            );
        }
        let bar_h = ((y1 - y0) / 3.0).max(1.0);
        if let Some(v) = value {
            let zero = x.map(0.0f64.clamp(d0, d1));
            let px = x.map(v.clamp(d0, d1));
            let _ = write!(
                svg.out,
                r#"<rect class="hc-value-bar" x="{}" y="{}" width="{}" height="{}" fill="{INK}"><title>{}</title></rect>"#,
                n(zero.min(px)),
                n(mid - bar_h / 2.0),
                n((px - zero).abs()),
                n(bar_h),
                escape(&format!("{}: {}", self.label, f.format(v)))
            );
        }
        if let Some(t) = target {
            let px = x.map(t.clamp(d0, d1));
            let _ = write!(
                svg.out,
                r#"<line class="hc-target" x1="{px}" y1="{}" x2="{px}" y2="{}" stroke="{INK}" stroke-width="2.5"><title>{}</title></line>"#,
                n(y0 + 2.0),
                n(y1 - 2.0),
                escape(&format!("{} {}", self.strings.target, f.format(t))),
                px = n(px)
            );
        }
        let (class, fill) = match self.status() {
            Some(r) => (format!("hc-status hc-rag-{}", r.as_str()), r.colour()),
            None => ("hc-status hc-no-data".to_owned(), MUTED),
        };
        let word = self.status().map(|r| r.word(&self.strings).to_owned());
        svg.text(
            &class,
            size.width - 8.0,
            mid + 4.0,
            Anchor::End,
            12.0,
            fill,
            &value_text,
            word.as_deref(),
        );
        svg.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rag_boundaries_belong_to_the_better_band() {
        let sl = RagBands::higher_is_better(80.0, 70.0);
        assert_eq!(sl.status(80.0), Rag::Green);
        assert_eq!(sl.status(79.9), Rag::Amber);
        assert_eq!(sl.status(70.0), Rag::Amber);
        assert_eq!(sl.status(69.9), Rag::Red);
        let ab = RagBands::lower_is_better(5.0, 10.0);
        assert_eq!(ab.status(5.0), Rag::Green);
        assert_eq!(ab.status(7.0), Rag::Amber);
        assert_eq!(ab.status(10.1), Rag::Red);
        // Swapped boundaries mean the same.
        assert_eq!(
            RagBands::higher_is_better(70.0, 80.0).status(75.0),
            Rag::Amber
        );
    }
}
