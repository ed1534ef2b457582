//! The SVG writer's small pieces: escaping, numbers that are always finite, text width
//! estimates, and the chart frame (root element, title, description, background).

use std::fmt::Write as _;

use crate::{Size, INK, MUTED};

/// The system font stack (no web fonts: nothing to download, CJK included).
pub const FONT_STACK: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', \
    'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif";

/// Escapes text for an XML attribute or text node: `& < > " '` become entities, and
/// characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Tab, newline and CR are legal but an attribute would normalise them.
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length as written in the SVG: at most two decimals, never NaN or
/// infinite (those become 0; the charts never produce them, this is the last guard).
pub fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let v = v.clamp(-1e9, 1e9);
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_owned()
    }
}

/// Whether a character is drawn about one em wide (CJK, Hangul, full-width forms, most
/// emoji); others are taken as 0.6 em.
fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// Estimated width of `text` at `font_size` (no font metrics on the server: 0.6 em a
/// character, 1 em for wide ones).
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars()
        .map(|c| if wide(c) { 1.0 } else { 0.6 })
        .sum::<f64>()
        * font_size
}

/// `text` cut to fit `max_width` with an ellipsis; `true` when it was cut.
pub fn truncate(text: &str, max_width: f64, font_size: f64) -> (String, bool) {
    if text_width(text, font_size) <= max_width {
        return (text.to_owned(), false);
    }
    let budget = max_width - 0.6 * font_size;
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = if wide(c) { 1.0 } else { 0.6 } * font_size;
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// Where a text is anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG being written.
#[derive(Debug)]
pub struct Svg {
    pub out: String,
    pub size: Size,
}

impl Svg {
    /// Opens the root element (CSS classes `hc-chart` and `kind`) with the accessible
    /// name (`title` and `summary`), the description, and a background.
    pub fn open(kind: &str, size: Size, title: &str, summary: &str) -> Svg {
        let size = size.sanitized();
        let mut out = String::with_capacity(4096);
        let label = match (title.trim().is_empty(), summary.trim().is_empty()) {
            (true, _) => summary.to_owned(),
            (false, true) => title.to_owned(),
            (false, false) => format!("{title}. {summary}"),
        };
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="hc-chart {kind}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}" font-family="{font}" font-size="12">"#,
            w = n(size.width),
            h = n(size.height),
            label = escape(&label),
            font = FONT_STACK,
        );
        let _ = write!(
            out,
            "<title>{}</title><desc>{}</desc>",
            escape(if title.trim().is_empty() {
                summary
            } else {
                title
            }),
            escape(summary)
        );
        let _ = write!(
            out,
            r##"<rect class="hc-bg" x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
            n(size.width),
            n(size.height)
        );
        Svg { out, size }
    }

    /// The chart's title as drawn text at the top; returns the height it took.
    pub fn heading(&mut self, title: &str) -> f64 {
        if title.trim().is_empty() {
            return 0.0;
        }
        let (shown, cut) = truncate(title, self.size.width - 16.0, 14.0);
        let tip = cut.then_some(title);
        self.text("hc-title", 8.0, 18.0, Anchor::Start, 14.0, INK, &shown, tip);
        24.0
    }

    /// A `<text>` element; `tip` adds a `<title>` (the full text of a cut label).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        anchor: Anchor,
        font_size: f64,
        fill: &str,
        text: &str,
        tip: Option<&str>,
    ) {
        let weight = if class == "hc-title" {
            r#" font-weight="600""#
        } else {
            ""
        };
        let _ = write!(
            self.out,
            r#"<text class="{class}" x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{fill}"{weight}>"#,
            n(x),
            n(y),
            anchor.as_str(),
            n(font_size)
        );
        if let Some(tip) = tip {
            let _ = write!(self.out, "<title>{}</title>", escape(tip));
        }
        self.out.push_str(&escape(text));
        self.out.push_str("</text>");
    }

    /// The "no data" picture: the frame, the title and the message in the middle.
    pub fn no_data(mut self, title: &str, message: &str) -> String {
        let top = self.heading(title);
        let (w, h) = (self.size.width, self.size.height);
        let _ = write!(
            self.out,
            r##"<rect class="hc-empty" x="8" y="{}" width="{}" height="{}" fill="none" stroke="#dde3ea" stroke-dasharray="4 4"/>"##,
            n(top + 4.0),
            n((w - 16.0).max(0.0)),
            n((h - top - 12.0).max(0.0))
        );
        let y = top + (h - top) / 2.0 + 4.0;
        let font = (h / 5.0).clamp(8.0, 14.0);
        self.text(
            "hc-no-data",
            w / 2.0,
            y,
            Anchor::Middle,
            font,
            MUTED,
            message,
            None,
        );
        self.close()
    }

    /// Closes the root element and returns the SVG.
    pub fn close(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(
            escape(r#"<a & "b" 'c'>"#),
            "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a\u{fffd}b\u{fffd}c d");
        assert_eq!(escape("服务水平"), "服务水平");
    }

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.256), "1.26");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(f64::INFINITY), "0");
        assert_eq!(n(1e300), "1000000000");
    }

    #[test]
    fn truncation_keeps_within_width() {
        let (t, cut) = truncate("Not ready: team meeting with the manager", 100.0, 10.0);
        assert!(cut);
        assert!(text_width(&t, 10.0) <= 100.0, "{t}");
        assert!(t.ends_with('…'));
        assert_eq!(truncate("lunch", 100.0, 10.0), ("lunch".into(), false));
        assert_eq!(text_width("服务", 10.0), 20.0);
    }
}
