//! Small charts drawn by the server as inline SVG: no script, no chart library, and the
//! same picture in every browser and in the screenshots. Each chart is an image with a
//! text alternative (`role="img"`, `aria-label`); the figures are also printed beside it.

use std::fmt::Write as _;

use super::format::Status;

/// Escapes text for an XML attribute or text node.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Width of the service-level bar's drawing, in user units.
const SL_W: f64 = 120.0;
/// Its height.
const SL_H: f64 = 14.0;

/// A service-level bar: the track, the level filled in the status colour, and a tick at
/// the target. `value` is a fraction (clamped to 0–1), `target_pct` a percentage.
pub fn service_level_bar(
    value: Option<f64>,
    target_pct: f64,
    status: Status,
    label: &str,
) -> String {
    let fill = value.map_or(0.0, |v| v.clamp(0.0, 1.0)) * SL_W;
    let target = (target_pct / 100.0).clamp(0.0, 1.0) * SL_W;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="slbar" viewBox="0 0 {SL_W} {SL_H}" width="{SL_W}" height="{SL_H}" role="img" aria-label="{label}"><rect class="track" x="0" y="2" width="{SL_W}" height="10" rx="2"/>"#,
        label = escape(label)
    );
    if fill > 0.0 {
        let _ = write!(
            s,
            r#"<rect class="fill st-{class}" x="0" y="2" width="{fill:.1}" height="10" rx="2"/>"#,
            class = status.class()
        );
    }
    let _ = write!(
        s,
        r#"<line class="target" x1="{target:.1}" y1="0" x2="{target:.1}" y2="{SL_H}"/></svg>"#
    );
    s
}

/// One part of a stacked bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// CSS class (`ready`, `on_contact` …) giving its colour and pattern.
    pub class: &'static str,
    /// How many.
    pub count: u32,
}

/// Width of the stacked bar's drawing (it stretches to its box).
const STACK_W: f64 = 1000.0;

/// A horizontal bar split into segments proportional to their counts (agents by state);
/// empty when the counts are all zero.
pub fn stacked_bar(segments: &[Segment], label: &str) -> String {
    let total: u32 = segments.iter().map(|s| s.count).sum();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="stack" viewBox="0 0 {STACK_W} 24" preserveAspectRatio="none" role="img" aria-label="{label}"><rect class="track" x="0" y="0" width="{STACK_W}" height="24"/>"#,
        label = escape(label)
    );
    if total > 0 {
        let mut x = 0.0;
        for seg in segments.iter().filter(|s| s.count > 0) {
            let w = f64::from(seg.count) / f64::from(total) * STACK_W;
            let _ = write!(
                s,
                r#"<rect class="seg s-{class}" x="{x:.1}" y="0" width="{w:.1}" height="24"><title>{count}</title></rect>"#,
                class = seg.class,
                count = seg.count
            );
            x += w;
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_level_bar_fills_to_the_level_and_marks_the_target() {
        let svg = service_level_bar(Some(0.5), 80.0, Status::Bad, "SL 50 % < 80 %");
        assert!(
            svg.contains(r#"<rect class="fill st-bad" x="0" y="2" width="60.0""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<line class="target" x1="96.0" y1="0" x2="96.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"aria-label="SL 50 % &lt; 80 %""#), "{svg}");
        // Over 100 % is drawn full; no value draws no fill.
        assert!(service_level_bar(Some(1.7), 80.0, Status::Good, "x").contains(r#"width="120.0""#));
        assert!(!service_level_bar(None, 80.0, Status::NoData, "x").contains("fill"));
    }

    #[test]
    fn stacked_bar_segments_are_proportional_and_contiguous() {
        let svg = stacked_bar(
            &[
                Segment {
                    class: "ready",
                    count: 1,
                },
                Segment {
                    class: "offered",
                    count: 0,
                },
                Segment {
                    class: "on_contact",
                    count: 3,
                },
            ],
            "agents",
        );
        assert!(
            svg.contains(r#"class="seg s-ready" x="0.0" y="0" width="250.0""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="seg s-on_contact" x="250.0" y="0" width="750.0""#),
            "{svg}"
        );
        assert!(!svg.contains("s-offered"), "{svg}");
        let empty = stacked_bar(
            &[Segment {
                class: "ready",
                count: 0,
            }],
            "none",
        );
        assert!(!empty.contains("seg"), "{empty}");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
