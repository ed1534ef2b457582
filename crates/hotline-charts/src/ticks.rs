//! "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten.

use serde::{Deserialize, Serialize};

/// Largest magnitude a chart draws; data beyond is clamped to it, so that spans and
/// tick values stay finite.
pub const MAX_MAGNITUDE: f64 = 1e300;

/// The ticks of an axis: `lo = values[0]`, `hi = values[last]`, evenly `step` apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ticks {
    /// Lowest tick (the axis start).
    pub lo: f64,
    /// Highest tick (the axis end).
    pub hi: f64,
    /// Distance between ticks.
    pub step: f64,
    /// Decimals needed to write a tick exactly (0 for a step of 1, 2, 5, 10…).
    pub decimals: usize,
    /// The tick values, ascending.
    pub values: Vec<f64>,
}

/// The ticks covering `[min, max]` with the smallest step of 1, 2 or 5 × 10ᵏ that needs
/// at most `max_intervals` intervals (at least 1): `nice_ticks(0.0, 87.0, 5)` gives
/// 0, 20, 40, 60, 80, 100. Ticks are exact multiples of the step, written without
/// floating-point noise (0.3, not 0.30000000000000004).
///
/// The bounds may come in either order; non-finite bounds are ignored (both non-finite:
/// 0 to 1); magnitudes are clamped to [`MAX_MAGNITUDE`]. Equal bounds get a one-step
/// range around them: 0 → 0..1, 5 → 0..5 when `min` is 0… in general the value and the
/// nearest nice neighbour.
pub fn nice_ticks(min: f64, max: f64, max_intervals: usize) -> Ticks {
    let max_intervals = max_intervals.clamp(1, 1000) as i64;
    let clamp = |v: f64| v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE);
    let (mut lo, mut hi) = match (min.is_finite(), max.is_finite()) {
        (true, true) => (clamp(min.min(max)), clamp(min.max(max))),
        (true, false) => (clamp(min), clamp(min)),
        (false, true) => (clamp(max), clamp(max)),
        (false, false) => (0.0, 1.0),
    };
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 || hi - lo < 1e-300 {
        // One value (or a range too narrow to divide): from zero to its top (or from its
        // bottom to zero), 0..1 for zero itself; a sliver across zero gets ±1e-300.
        // (Never narrower than 1e-300: a subnormal span divides to zero.)
        if lo >= 0.0 {
            lo = 0.0;
            hi = if hi <= 0.0 { 1.0 } else { hi.max(1e-300) };
        } else if hi <= 0.0 {
            hi = 0.0;
            lo = lo.min(-1e-300);
        } else {
            lo = -1e-300;
            hi = 1e-300;
        }
    }
    let span = hi - lo;
    let raw = span / max_intervals as f64;
    let mut exp = raw.log10().floor() as i32 - 1;
    loop {
        for m in [1i64, 2, 5] {
            let step = m as f64 * pow10(exp);
            if !step.is_finite() || step <= 0.0 {
                continue;
            }
            // v / step computed as v · 10^-exp / m: exact for the decimal bounds people
            // type (12 / 0.2 is 59.99… in floating point, 12 · 10 / 2 is 60).
            let scaled = |v: f64| {
                if exp < 0 {
                    v * 10f64.powi(-exp) / m as f64
                } else {
                    v / 10f64.powi(exp) / m as f64
                }
            };
            let mut k_lo = scaled(lo).floor();
            let mut k_hi = scaled(hi).ceil();
            if !k_lo.is_finite() || !k_hi.is_finite() {
                continue;
            }
            // Underflow or rounding may leave a bound just outside: one more step.
            if tick_value(k_lo as i64, m, exp) > lo {
                k_lo -= 1.0;
            }
            if tick_value(k_hi as i64, m, exp) < hi {
                k_hi += 1.0;
            }
            if k_hi - k_lo <= max_intervals as f64 {
                return build(k_lo as i64, k_hi as i64, m, exp);
            }
        }
        exp += 1;
        if exp > 310 {
            // Unreachable for clamped bounds; a safe answer all the same.
            return Ticks {
                lo,
                hi,
                step: span,
                decimals: 0,
                values: vec![lo, hi],
            };
        }
    }
}

/// [`nice_ticks`] for an axis whose values are written as whole numbers (counts, whole
/// seconds): the step is at least 1, so a count of one is not drawn against ticks of
/// 0.2, 0.4….
pub fn whole_ticks(min: f64, max: f64, max_intervals: usize) -> Ticks {
    let t = nice_ticks(min, max, max_intervals);
    if t.step >= 1.0 {
        return t;
    }
    let lo = t.lo.floor();
    let hi = t.hi.ceil().max(lo + 1.0);
    let values: Vec<f64> = (lo as i64..=hi as i64).map(|v| v as f64).collect();
    Ticks {
        lo,
        hi,
        step: 1.0,
        decimals: 0,
        values,
    }
}

/// The ticks for values written with `decimals` (`Some(0)`: whole numbers).
pub(crate) fn axis_ticks(decimals: Option<usize>, min: f64, max: f64, n: usize) -> Ticks {
    if decimals == Some(0) {
        whole_ticks(min, max, n)
    } else {
        nice_ticks(min, max, n)
    }
}

fn pow10(exp: i32) -> f64 {
    // 10^-k as a division keeps small steps exact (0.1, not 0.1000000000000000055…).
    if exp >= 0 {
        10f64.powi(exp)
    } else {
        1.0 / 10f64.powi(-exp)
    }
}

/// The tick k·m·10^exp, computed in one rounding.
fn tick_value(k: i64, m: i64, exp: i32) -> f64 {
    let units = (k as f64) * m as f64;
    if exp >= 0 {
        units * 10f64.powi(exp)
    } else {
        units / 10f64.powi(-exp)
    }
}

/// Ticks k·m·10^exp for k in k_lo..=k_hi.
fn build(k_lo: i64, k_hi: i64, m: i64, exp: i32) -> Ticks {
    let values: Vec<f64> = (k_lo..=k_hi).map(|k| tick_value(k, m, exp)).collect();
    Ticks {
        lo: values[0],
        hi: values[values.len() - 1],
        step: m as f64 * pow10(exp),
        decimals: if exp < 0 { (-exp) as usize } else { 0 },
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_number_axes_step_by_one_at_least() {
        assert_eq!(whole_ticks(0.0, 1.0, 5).values, [0.0, 1.0]);
        assert_eq!(whole_ticks(0.0, 3.0, 8).values, [0.0, 1.0, 2.0, 3.0]);
        // Wider ranges keep their nice steps.
        assert_eq!(
            whole_ticks(0.0, 87.0, 5).values,
            nice_ticks(0.0, 87.0, 5).values
        );
        assert_eq!(whole_ticks(0.0, 0.0, 5).values, [0.0, 1.0]);
        let t = whole_ticks(-2.5, 1.2, 10);
        assert_eq!((t.lo, t.hi, t.step, t.decimals), (-3.0, 2.0, 1.0, 0));
    }

    #[test]
    fn one_two_five() {
        assert_eq!(
            nice_ticks(0.0, 87.0, 5).values,
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            nice_ticks(0.0, 100.0, 5).values,
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            nice_ticks(0.0, 1.0, 5).values,
            [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(nice_ticks(0.0, 0.3, 3).values, [0.0, 0.1, 0.2, 0.3]);
        assert_eq!(nice_ticks(-3.0, 7.0, 5).values, [-5.0, 0.0, 5.0, 10.0]);
        assert_eq!(
            nice_ticks(12.0, 13.0, 5).values,
            [12.0, 12.2, 12.4, 12.6, 12.8, 13.0]
        );
        assert_eq!(
            nice_ticks(0.0, 1234.0, 6).values,
            [0.0, 500.0, 1000.0, 1500.0]
        );
        assert_eq!(nice_ticks(0.0, 87.0, 5).decimals, 0);
        assert_eq!(nice_ticks(0.0, 0.3, 3).decimals, 1);
    }

    #[test]
    fn degenerate_ranges() {
        assert_eq!(
            nice_ticks(0.0, 0.0, 5).values,
            [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(
            nice_ticks(5.0, 5.0, 5).values,
            [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
        );
        assert_eq!(
            nice_ticks(-5.0, -5.0, 5).values,
            [-5.0, -4.0, -3.0, -2.0, -1.0, 0.0]
        );
        assert_eq!(
            nice_ticks(f64::NAN, f64::INFINITY, 5).values,
            [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(nice_ticks(87.0, 0.0, 5).values.len(), 6);
        let t = nice_ticks(-f64::MAX, f64::MAX, 5);
        assert!(t.values.iter().all(|v| v.is_finite()));
        let t = nice_ticks(0.0, 5e-324, 5);
        assert!(t.values.iter().all(|v| v.is_finite()) && t.hi > t.lo);
    }
}

#[cfg(test)]
mod narrow_ranges {
    use super::nice_ticks;

    #[test]
    fn a_subnormal_range_is_covered_from_zero_to_its_top() {
        // Found by the property test: the collapsed range kept its bottom, not its top.
        let (a, b) = (1.602_134_202_650_165_4e-308, 8.402_939_812_699_597e-309);
        for (x, y) in [(a, b), (b, a)] {
            let t = nice_ticks(x, y, 1);
            assert!(t.lo <= b && t.hi >= a, "{t:?}");
        }
        let t = nice_ticks(-a, -b, 3);
        assert!(t.lo <= -a && t.hi >= -b, "{t:?}");
        let t = nice_ticks(-1e-310, 1e-310, 4);
        assert!(t.lo <= -1e-310 && t.hi >= 1e-310, "{t:?}");
        assert_eq!(nice_ticks(0.0, 0.0, 5).values.last(), Some(&1.0));
    }
}
