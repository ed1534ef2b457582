//! The inverse Erlang B recursion `I(n) = 1 + (n / A) · I(n − 1)`, `I(0) = 1`, where
//! `I(n) = 1 / B(n, A)`.
//!
//! Every model here needs `B(n, A)` at `n` near the load. Running the recursion from
//! zero costs O(A) per evaluation, too slow for a planner sweeping thousands of
//! intervals at thousands of Erlangs. Below the load the recursion is strongly
//! contracting: an error in `I(m)` is multiplied by `m / A < 1` at every step, so the
//! product of those factors over the `k·√A` steps before `A` is about `e^(−k²/2)`.
//! Starting `k = 8.5` standard deviations below `min(n, A)` from the first-order value
//! `1 / (1 − m/A)` (itself good to `O(1/k²)`) leaves a relative error near 1e-17, below
//! double precision, in `O(√A)` steps instead of `O(A)`. Above the load the relative
//! error does not grow (each step multiplies it by `1 − 1/I(n) < 1`), and `I` growing
//! past `f64::MAX` becomes `+∞`, which is the correct limit `B = 0`.

/// How many standard deviations below the load the recursion starts.
const START_SIGMAS: f64 = 8.5;

/// A starting point `(m, I(m))` from which the recursion reaches `n` with full precision.
pub(crate) fn start(load: f64, n: u32) -> (u32, f64) {
    let anchor = f64::from(n).min(load) - START_SIGMAS * load.sqrt();
    if anchor < 1.0 {
        (0, 1.0)
    } else {
        // anchor < n, so the cast cannot overflow.
        let m = anchor.floor() as u32;
        (m, 1.0 / (1.0 - f64::from(m) / load))
    }
}

/// Advances `I(from) = inv` to `I(to)`. Four steps per iteration, written as
/// `I(m + 4) = c0 + c1 · I(m)` so that the loop-carried dependency is one multiply-add
/// per four steps instead of four.
pub(crate) fn advance(load: f64, from: u32, inv: f64, to: u32) -> f64 {
    let inv_load = 1.0 / load;
    let mut i = inv;
    let mut m = from;
    while m + 4 <= to {
        let base = f64::from(m);
        let a1 = (base + 1.0) * inv_load;
        let a2 = (base + 2.0) * inv_load;
        let a3 = (base + 3.0) * inv_load;
        let a4 = (base + 4.0) * inv_load;
        let c1 = a1 * a2 * a3 * a4;
        let c0 = 1.0 + a4 * (1.0 + a3 * (1.0 + a2));
        i = c0 + c1 * i;
        m += 4;
    }
    while m < to {
        m += 1;
        i = 1.0 + f64::from(m) * inv_load * i;
    }
    i
}

/// `1 / B(n, A)`, possibly `+∞` when `B` is below the smallest double.
pub(crate) fn inverse_erlang_b(load: f64, n: u32) -> f64 {
    let (m, i) = start(load, n);
    advance(load, m, i, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook recursion from zero, one step at a time, dividing by the load.
    fn naive(load: f64, n: u32) -> f64 {
        let mut i = 1.0;
        for m in 1..=n {
            i = 1.0 + f64::from(m) / load * i;
        }
        i
    }

    #[test]
    fn matches_the_recursion_from_zero() {
        for &load in &[
            0.01f64, 0.5, 3.7, 10.0, 73.2, 250.0, 999.9, 2000.0, 10_000.0,
        ] {
            let lo = (load.floor() as u32).saturating_sub(3 * load.sqrt() as u32);
            let hi = load.floor() as u32 + 6 * load.sqrt() as u32 + 3;
            for n in lo.max(1)..=hi {
                let (fast, slow) = (inverse_erlang_b(load, n), naive(load, n));
                let rel = ((fast - slow) / slow).abs();
                assert!(
                    rel < 5e-14,
                    "load {load}, n {n}: {fast} vs {slow} ({rel:e})"
                );
            }
        }
    }

    #[test]
    fn far_below_the_load_is_still_exact() {
        for &(load, n) in &[(10_000.0, 100), (10_000.0, 5_000), (500.0, 7)] {
            let (fast, slow) = (inverse_erlang_b(load, n), naive(load, n));
            assert!(((fast - slow) / slow).abs() < 5e-14, "{load} {n}");
        }
    }

    #[test]
    fn overflows_to_infinity_not_nan() {
        let i = inverse_erlang_b(0.01, 20_000);
        assert!(i.is_infinite() && i > 0.0);
    }

    #[test]
    fn known_erlang_b_values() {
        // B(10, 5) = 0.018384570..., B(1, 1) = 1/2, B(2, 1) = 1/5.
        assert!((1.0 / inverse_erlang_b(5.0, 10) - 0.018_384_570_336_648_13).abs() < 1e-15);
        assert_eq!(1.0 / inverse_erlang_b(1.0, 1), 0.5);
        assert!((1.0 / inverse_erlang_b(1.0, 2) - 0.2).abs() < 1e-16);
    }
}
