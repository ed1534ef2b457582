//! Colours: a colour-blind-safe series palette (Okabe & Ito's, darkened where needed so
//! every colour has at least 3:1 contrast against white, the WCAG 2.1 minimum for
//! graphics), ink and grid greys, and red / amber / green for statuses.

/// Series colours, in order: blue, vermillion, bluish green, reddish purple, orange
/// (darkened), near-black. Distinguishable with the common colour-vision deficiencies;
/// line charts add dash patterns and marker shapes so colour is never the only cue.
pub const SERIES: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#b06a00", "#17202b",
];

/// Text and axis ink (16:1 on white).
pub const INK: &str = "#17202b";
/// Secondary text: tick labels, notes (5.8:1 on white).
pub const MUTED: &str = "#5b6776";
/// Grid lines and frames.
pub const GRID: &str = "#dde3ea";

/// Status green (5.4:1 on white, for text and marks).
pub const GREEN: &str = "#16794a";
/// Status amber (5.6:1 on white).
pub const AMBER: &str = "#9a5700";
/// Status red (6.6:1 on white).
pub const RED: &str = "#b42318";
/// Band tints behind a bullet chart's value bar (backgrounds; the bar and the status
/// text carry the contrast).
pub const GREEN_BAND: &str = "#cdebd9";
/// Amber band tint.
pub const AMBER_BAND: &str = "#fbe3b5";
/// Red band tint.
pub const RED_BAND: &str = "#f7cdc8";

/// The colour of series `i` (the palette repeats after six).
pub fn series(i: usize) -> &'static str {
    SERIES[i % SERIES.len()]
}

/// WCAG 2.1 contrast ratio of two `#rrggbb` colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG relative luminance of `#rrggbb` (0 for anything else).
fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    if h.len() != 6 {
        return 0.0;
    }
    let channel = |i: usize| -> f64 {
        let c = f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_meet_contrast_on_white() {
        for c in SERIES {
            assert!(
                contrast(c, "#ffffff") >= 3.0,
                "{c}: {}",
                contrast(c, "#ffffff")
            );
        }
        for c in [INK, MUTED, GREEN, AMBER, RED] {
            // Text colours: 4.5:1.
            assert!(contrast(c, "#ffffff") >= 4.5, "{c}");
        }
        // Status colours stay readable on their own band tints.
        for (c, band) in [(GREEN, GREEN_BAND), (AMBER, AMBER_BAND), (RED, RED_BAND)] {
            assert!(contrast(INK, band) >= 4.5, "{band}");
            assert!(contrast(c, band) >= 3.0, "{c} on {band}");
        }
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    }
}
