//! Server-drawn SVG charts for Hotline's reports and pages: data in, an SVG string out.
//! Pure: no I/O, no clock, no time zones (times are milliseconds since the Unix epoch and
//! their labels come from the caller).
//!
//! The UI rule is "native browser APIs and server-drawn SVG: no third-party front-end
//! files", so every chart is one self-contained `<svg>` element:
//!
//! - **no script and no `<style>`**: presentation attributes (`fill`, `stroke`) give the
//!   default look, and CSS classes (`hc-chart`, `hc-series-0`, `hc-grid`, `hc-target`,
//!   `hc-rag-green`, …) let a page restyle it — a page's CSS rules beat presentation
//!   attributes. No `id`s, so any number of charts can share a page;
//! - **accessible**: `role="img"`, an `aria-label` made of the title and a text summary
//!   of the data (latest, min, max, points under the target…), `<title>` and `<desc>`,
//!   and a `<title>` tooltip on every point, bar and band;
//! - **readable**: the system font stack, text and marks with WCAG contrast on white, a
//!   colour-blind-safe palette ([`palette`]), and series told apart by dash patterns
//!   and marker shapes too; statuses carry an icon and a word as well as a colour;
//! - **scalable**: sizes are a `viewBox` (plus `width` / `height` a page may override:
//!   `svg.hc-chart { max-width: 100%; height: auto }`);
//! - **safe**: all text is XML-escaped, NaN and infinities are treated as missing and
//!   never reach the SVG, and a chart without data says so ("No data") instead of
//!   failing.
//!
//! The charts: [`TimeSeriesChart`] (lines over time, gaps, target line, legend),
//! [`BarChart`] (grouped or stacked, vertical or horizontal), [`Histogram`] (bins given
//! or computed, threshold marker), [`Sparkline`] (tiny trend for table cells) and
//! [`Bullet`] (value against target with red / amber / green bands). Value axes use
//! [`nice_ticks`] (steps of 1, 2 or 5 × 10ᵏ). The words a chart writes itself are in
//! [`Strings`] (English by default).
//!
//! ```
//! use hotline_charts::{LineSeries, NumberFormat, TargetLine, TimeSeriesChart, XTick};
//!
//! // Service level by half-hour, 08:00 to 10:00 (times in ms since the epoch; the
//! // labels are the caller's, here already in local time).
//! let start = 1_709_539_200_000_i64;
//! let times: Vec<i64> = (0..4).map(|i| start + i * 1_800_000).collect();
//! let mut chart = TimeSeriesChart::new("Service level", times.clone());
//! chart.time_labels = vec!["08:00".into(), "08:30".into(), "09:00".into(), "09:30".into()];
//! chart.series.push(LineSeries::new(
//!     "Billing",
//!     vec![Some(91.5), Some(78.0), None, Some(84.2)], // 09:00 missing: a gap
//! ));
//! chart.format = NumberFormat::percent();
//! chart.y_max = Some(100.0);
//! chart.target = Some(TargetLine::new(80.0, "Target 80%"));
//! let svg = chart.to_svg();
//! assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
//! assert!(svg.contains(r#"role="img""#));
//! assert!(svg.contains("Billing: latest 84.2% (09:30), min 78.0% (08:30)"));
//! assert!(!svg.contains("NaN"));
//! ```

mod bar;
mod bullet;
mod common;
mod histogram;
mod line;
pub mod palette;
mod sparkline;
mod svg;
mod ticks;

pub use bar::{BarChart, BarLayout, BarSeries, Orientation};
pub use bullet::{Better, Bullet, Rag, RagBands};
pub use common::{NumberFormat, Size, Strings, TargetLine};
pub use histogram::{bins_from_values, Bin, Histogram, MAX_BINS};
pub use line::{LineSeries, TimeSeriesChart, XTick};
pub use sparkline::Sparkline;
pub use svg::{escape, FONT_STACK};
pub use ticks::{nice_ticks, whole_ticks, Ticks, MAX_MAGNITUDE};

pub(crate) use palette::{INK, MUTED};
