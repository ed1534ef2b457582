//! What every chart shares: its size, how numbers are written, target lines, the
//! words it uses, the legend, markers and axes.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::palette::{GRID, INK, MUTED};
use crate::svg::{escape, n, text_width, truncate, Anchor, Svg};
use crate::ticks::{Ticks, MAX_MAGNITUDE};

/// A chart's drawing size in user units (the `viewBox`; also `width` and `height`, which
/// a page's CSS may override to scale it: `svg.hc-chart { max-width: 100%; height: auto }`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Size {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Size {
    /// `width` × `height`.
    pub const fn new(width: f64, height: f64) -> Size {
        Size { width, height }
    }

    /// Within 16–10 000 each way (a non-finite side becomes 640 × 320's).
    pub fn sanitized(self) -> Size {
        let side = |v: f64, default: f64| {
            if v.is_finite() {
                v.clamp(16.0, 10_000.0)
            } else {
                default
            }
        };
        Size {
            width: side(self.width, 640.0),
            height: side(self.height, 320.0),
        }
    }
}

/// How values are written in labels, tooltips and summaries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberFormat {
    /// Decimals; `None`: as many as the size needs (2 below 10, 1 below 100, else 0),
    /// trailing zeros dropped.
    pub decimals: Option<usize>,
    /// Written after the number (`%`, ` s`).
    pub suffix: String,
}

impl NumberFormat {
    /// Automatic decimals, no unit.
    pub fn plain() -> NumberFormat {
        NumberFormat::default()
    }

    /// Whole numbers.
    pub fn count() -> NumberFormat {
        NumberFormat {
            decimals: Some(0),
            suffix: String::new(),
        }
    }

    /// One decimal and `%`.
    pub fn percent() -> NumberFormat {
        NumberFormat {
            decimals: Some(1),
            suffix: "%".into(),
        }
    }

    /// Whole seconds: `34 s`.
    pub fn seconds() -> NumberFormat {
        NumberFormat {
            decimals: Some(0),
            suffix: " s".into(),
        }
    }

    /// `v` written with this format (non-finite values as `–`).
    pub fn format(&self, v: f64) -> String {
        let digits = match self.decimals {
            Some(d) => d.min(6),
            None => {
                let a = v.abs();
                if a >= 100.0 {
                    0
                } else if a >= 10.0 {
                    1
                } else {
                    2
                }
            }
        };
        let mut s = number(v, digits);
        if self.decimals.is_none() && s.contains('.') && !s.contains('e') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
        }
        s + &self.suffix
    }

    /// A tick value: the ticks' own decimals, so neighbours never print alike.
    pub(crate) fn tick(&self, v: f64, ticks: &Ticks) -> String {
        number(v, ticks.decimals.min(12)) + &self.suffix
    }
}

/// `v` with `digits` decimals; ±1e9 and beyond in exponent form; never `-0`.
fn number(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = if v.abs() >= 1e9 {
        format!("{v:.2e}")
    } else {
        format!("{v:.digits$}")
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_owned()
    } else {
        s
    }
}

/// A horizontal reference line (a target) or a vertical marker (a threshold), with its
/// label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetLine {
    /// Where, in data units.
    pub value: f64,
    /// What to write next to it (`Target 80%`); empty: [`Strings::target`] and the value.
    pub label: String,
}

impl TargetLine {
    /// A line at `value` labelled `label`.
    pub fn new(value: f64, label: impl Into<String>) -> TargetLine {
        TargetLine {
            value,
            label: label.into(),
        }
    }

    pub(crate) fn text(&self, strings: &Strings, format: &NumberFormat) -> String {
        if self.label.trim().is_empty() {
            format!("{} {}", strings.target, format.format(self.value))
        } else {
            self.label.clone()
        }
    }
}

/// The words charts write themselves (the rest comes from the caller): English by
/// default; a page in another language passes its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strings {
    /// Shown instead of a chart without data.
    pub no_data: String,
    /// A target line's label, before its value.
    pub target: String,
    /// "latest" value (summaries).
    pub latest: String,
    /// "min" (summaries).
    pub min: String,
    /// "max" (summaries).
    pub max: String,
    /// "total" (summaries).
    pub total: String,
    /// `{count} of {total} below the target` (summaries).
    pub below_target: String,
    /// `{count} values` (histogram summaries).
    pub values: String,
    /// Red status.
    pub red: String,
    /// Amber status.
    pub amber: String,
    /// Green status.
    pub green: String,
}

impl Default for Strings {
    fn default() -> Strings {
        Strings {
            no_data: "No data".into(),
            target: "Target".into(),
            latest: "latest".into(),
            min: "min".into(),
            max: "max".into(),
            total: "total".into(),
            below_target: "{count} of {total} below the target".into(),
            values: "{count} values".into(),
            red: "off target".into(),
            amber: "at risk".into(),
            green: "on target".into(),
        }
    }
}

/// A data value a chart may draw: finite, clamped to ±[`MAX_MAGNITUDE`].
pub(crate) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
        .map(|v| v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE))
}

/// A linear map from data to drawing units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn map(&self, v: f64) -> f64 {
        // Halves keep the span finite even at ±1e300.
        let span = self.d1 / 2.0 - self.d0 / 2.0;
        if span <= 0.0 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        let t = ((v / 2.0 - self.d0 / 2.0) / span).clamp(-0.05, 1.05);
        self.r0 + t * (self.r1 - self.r0)
    }
}

/// Marker shapes, so series differ by more than colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
}

impl Shape {
    pub fn of(i: usize) -> Shape {
        [
            Shape::Circle,
            Shape::Square,
            Shape::Triangle,
            Shape::Diamond,
        ][i % 4]
    }
}

/// Dash patterns per series (solid first).
pub(crate) fn dash(i: usize) -> Option<&'static str> {
    [None, Some("6 3"), Some("2 3"), Some("8 3 2 3")][i % 4]
}

/// A marker at (x, y) with an optional tooltip.
pub(crate) fn marker(out: &mut String, shape: Shape, x: f64, y: f64, r: f64, tip: Option<&str>) {
    let open = match shape {
        Shape::Circle => format!(r#"<circle cx="{}" cy="{}" r="{}""#, n(x), n(y), n(r)),
        Shape::Square => format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}""#,
            n(x - r),
            n(y - r),
            n(2.0 * r),
            n(2.0 * r)
        ),
        Shape::Triangle => format!(
            r#"<path d="M{} {}L{} {}L{} {}Z""#,
            n(x),
            n(y - r * 1.2),
            n(x + r * 1.1),
            n(y + r * 0.8),
            n(x - r * 1.1),
            n(y + r * 0.8)
        ),
        Shape::Diamond => format!(
            r#"<path d="M{} {}L{} {}L{} {}L{} {}Z""#,
            n(x),
            n(y - r * 1.3),
            n(x + r * 1.3),
            n(y),
            n(x),
            n(y + r * 1.3),
            n(x - r * 1.3),
            n(y)
        ),
    };
    out.push_str(&open);
    match tip {
        Some(t) => {
            let tag = match shape {
                Shape::Circle => "circle",
                Shape::Square => "rect",
                _ => "path",
            };
            let _ = write!(out, "><title>{}</title></{tag}>", escape(t));
        }
        None => out.push_str("/>"),
    }
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Swatch {
    /// A line with the series' dash and marker.
    Line(usize),
    /// A filled square.
    Block,
}

/// Draws a legend from (x, y) within `width`, wrapping; returns its height.
pub(crate) fn legend(
    svg: &mut Svg,
    items: &[(String, &str, Swatch)],
    x: f64,
    y: f64,
    width: f64,
) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    const ROW: f64 = 18.0;
    const FONT: f64 = 11.0;
    let mut cx = x;
    let mut cy = y;
    svg.out.push_str(r#"<g class="hc-legend">"#);
    for (i, (name, colour, swatch)) in items.iter().enumerate() {
        let (shown, cut) = truncate(name, (width - 30.0).max(20.0), FONT);
        let w = 24.0 + text_width(&shown, FONT) + 14.0;
        if cx > x && cx + w > x + width {
            cx = x;
            cy += ROW;
        }
        let _ = write!(svg.out, r#"<g class="hc-legend-item hc-series-{i}">"#);
        match *swatch {
            Swatch::Line(s) => {
                let dash_attr = dash(s)
                    .map(|d| format!(r#" stroke-dasharray="{d}""#))
                    .unwrap_or_default();
                let _ = write!(
                    svg.out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2"{dash_attr}/>"#,
                    n(cx),
                    n(cy + 8.0),
                    n(cx + 18.0),
                    n(cy + 8.0)
                );
                let _ = write!(svg.out, r#"<g fill="{colour}">"#);
                marker(&mut svg.out, Shape::of(s), cx + 9.0, cy + 8.0, 3.0, None);
                svg.out.push_str("</g>");
            }
            Swatch::Block => {
                let _ = write!(
                    svg.out,
                    r#"<rect x="{}" y="{}" width="12" height="12" fill="{colour}"/>"#,
                    n(cx + 3.0),
                    n(cy + 2.0)
                );
            }
        }
        svg.text(
            "hc-legend-label",
            cx + 24.0,
            cy + 12.0,
            Anchor::Start,
            FONT,
            INK,
            &shown,
            cut.then_some(name.as_str()),
        );
        svg.out.push_str("</g>");
        cx += w;
    }
    svg.out.push_str("</g>");
    cy - y + ROW + 4.0
}

/// Grid lines and labels of a value axis. Vertical axis: ticks at y, labels right-aligned
/// at `label_at`; horizontal: ticks at x, labels centred below `label_at`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn value_axis(
    svg: &mut Svg,
    ticks: &Ticks,
    scale: Linear,
    vertical: bool,
    cross0: f64,
    cross1: f64,
    label_at: f64,
    format: &NumberFormat,
) {
    svg.out.push_str(r#"<g class="hc-axis hc-axis-value">"#);
    for &t in &ticks.values {
        let p = scale.map(t);
        let (x1, y1, x2, y2) = if vertical {
            (cross0, p, cross1, p)
        } else {
            (p, cross0, p, cross1)
        };
        let _ = write!(
            svg.out,
            r#"<line class="hc-grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
        let label = format.tick(t, ticks);
        if vertical {
            svg.text(
                "hc-tick",
                label_at,
                p + 4.0,
                Anchor::End,
                11.0,
                MUTED,
                &label,
                None,
            );
        } else {
            svg.text(
                "hc-tick",
                p,
                label_at,
                Anchor::Middle,
                11.0,
                MUTED,
                &label,
                None,
            );
        }
    }
    svg.out.push_str("</g>");
}

/// The widest tick label, for the left margin.
pub(crate) fn tick_label_width(ticks: &Ticks, format: &NumberFormat) -> f64 {
    ticks
        .values
        .iter()
        .map(|&t| text_width(&format.tick(t, ticks), 11.0))
        .fold(0.0, f64::max)
}

/// A dashed reference line from (x1, y1) to (x2, y2) with its label.
#[allow(clippy::too_many_arguments)]
pub(crate) fn reference_line(
    svg: &mut Svg,
    class: &str,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    label: &str,
    label_x: f64,
    label_y: f64,
    anchor: Anchor,
) {
    let _ = write!(
        svg.out,
        r#"<g class="{class}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 3"/>"#,
        n(x1),
        n(y1),
        n(x2),
        n(y2)
    );
    svg.text(
        "hc-reference-label",
        label_x,
        label_y,
        anchor,
        11.0,
        INK,
        label,
        None,
    );
    // A white halo keeps the label readable over lines and bars.
    let at = svg
        .out
        .rfind(r#"<text class="hc-reference-label""#)
        .expect("just written");
    svg.out.insert_str(
        at + "<text".len(),
        r##" paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round""##,
    );
    svg.out.push_str("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(NumberFormat::percent().format(72.44), "72.4%");
        assert_eq!(NumberFormat::seconds().format(33.6), "34 s");
        assert_eq!(NumberFormat::plain().format(2.50), "2.5");
        assert_eq!(NumberFormat::plain().format(12.26), "12.3");
        assert_eq!(NumberFormat::plain().format(1234.4), "1234");
        assert_eq!(NumberFormat::plain().format(-0.001), "0");
        assert_eq!(NumberFormat::count().format(3e12), "3.00e12");
        assert_eq!(NumberFormat::count().format(f64::NAN), "–");
    }

    #[test]
    fn sizes_are_sane() {
        assert_eq!(
            Size::new(f64::NAN, 1e9).sanitized(),
            Size::new(640.0, 10_000.0)
        );
        assert_eq!(Size::new(0.0, -3.0).sanitized(), Size::new(16.0, 16.0));
    }
}
