//! The birth–death sums behind Erlang A, computed without overflow.
//!
//! With `n` agents busy, a caller who finds `j` callers ahead of it waits while the
//! line ahead shrinks at rate `r(m) = nμ + mθ` (services plus abandonments of the `m`
//! ahead). The stationary probability of finding `j` ahead is `π_n·q_j` with
//! `q_0 = 1`, `q_(j+1) = q_j · λ / (nμ + (j + 1)θ)`. The terms grow while
//! `λ > nμ + jθ` (an overloaded queue kept stable only by abandonment), so they are
//! summed with a running scale factor kept as a logarithm.

/// Terms summed before giving up. Reached only when patience is enormous and the
/// agents far too few (a queue that would take millions of callers to balance).
pub(crate) const MAX_TERMS: u64 = 50_000_000;

/// Relative size of the geometric tail below which summation stops.
const TAIL: f64 = 1e-17;

const RESCALE_ABOVE: f64 = 1e250;
const RESCALE_BY: f64 = 1e-250;

/// Sums of the Erlang A series, each equal to `exp(log_scale) × value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sums {
    pub log_scale: f64,
    /// `Σ q_j`: callers who wait, relative to `π_n`.
    pub waiting: f64,
    /// `Σ q_j · (j + 1)θ / r(j + 1)`: callers who wait and abandon.
    pub abandoning: f64,
    /// `Σ q_j · nμ / r(j + 1) · Σ_(m=1..j+1) 1 / r(m)`: total wait of those answered.
    pub served_wait: f64,
}

impl Sums {
    pub(crate) fn ln(value: f64, log_scale: f64) -> f64 {
        value.ln() + log_scale
    }
}

/// The full sums for arrival rate `lambda`, service capacity `n_mu = nμ` and
/// abandonment rate `theta`. `None` when the series needs more than [`MAX_TERMS`].
pub(crate) fn sums(lambda: f64, n_mu: f64, theta: f64) -> Option<Sums> {
    let mut s = Sums {
        log_scale: 0.0,
        waiting: 0.0,
        abandoning: 0.0,
        served_wait: 0.0,
    };
    let mut q = 1.0;
    let mut harmonic = 0.0;
    let mut j: u64 = 0;
    loop {
        let ahead_plus_self = (j + 1) as f64;
        let r_next = n_mu + ahead_plus_self * theta;
        harmonic += 1.0 / r_next;
        s.waiting += q;
        s.abandoning += q * ahead_plus_self * theta / r_next;
        s.served_wait += q * n_mu / r_next * harmonic;
        let ratio = lambda / r_next;
        q *= ratio;
        if q > RESCALE_ABOVE {
            q *= RESCALE_BY;
            rescale(&mut s);
        }
        j += 1;
        if ratio < 1.0 && q / (1.0 - ratio) <= TAIL * s.waiting {
            return Some(s);
        }
        if j > MAX_TERMS {
            return None;
        }
    }
}

fn rescale(s: &mut Sums) {
    s.waiting *= RESCALE_BY;
    s.abandoning *= RESCALE_BY;
    s.served_wait *= RESCALE_BY;
    s.log_scale -= RESCALE_BY.ln();
}

/// `ln G` where `G = Σ_k Π_(i=1..k) z / (nμ + iθ)`, the same series with arrivals
/// thinned to `z = λ·e^(−θt)`: it carries the tail `P(W > t)`.
pub(crate) fn ln_waiting(z: f64, n_mu: f64, theta: f64) -> Option<f64> {
    let mut total = 0.0;
    let mut log_scale = 0.0;
    let mut q = 1.0;
    let mut j: u64 = 0;
    loop {
        total += q;
        let ratio = z / (n_mu + (j + 1) as f64 * theta);
        q *= ratio;
        if q > RESCALE_ABOVE {
            q *= RESCALE_BY;
            total *= RESCALE_BY;
            log_scale -= RESCALE_BY.ln();
        }
        j += 1;
        if ratio < 1.0 && q / (1.0 - ratio) <= TAIL * total {
            return Some(total.ln() + log_scale);
        }
        if j > MAX_TERMS {
            return None;
        }
    }
}

/// `ln(eᵃ + eᵇ)` without overflow; either side may be `−∞` or `+∞`.
pub(crate) fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::INFINITY || lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_abandonment_the_waiting_sum_is_geometric() {
        // θ → 0: q_j = ρ^j, Σ = 1 / (1 − ρ).
        let s = sums(0.9, 1.0, 0.0).unwrap();
        assert!((s.waiting * s.log_scale.exp() - 10.0).abs() < 1e-12);
        assert!(s.abandoning == 0.0);
    }

    #[test]
    fn huge_overload_does_not_overflow() {
        // λ = 10 nμ with slow abandonment: terms peak near e^(thousands).
        let s = sums(100.0, 10.0, 0.01).unwrap();
        assert!(s.log_scale > 1000.0 && s.waiting.is_finite());
        let g = ln_waiting(100.0, 10.0, 0.01).unwrap();
        assert!((Sums::ln(s.waiting, s.log_scale) - g).abs() < 1e-9);
    }

    #[test]
    fn ln_add_exp_edges() {
        assert_eq!(ln_add_exp(f64::NEG_INFINITY, 2.0), 2.0);
        assert_eq!(ln_add_exp(f64::INFINITY, 2.0), f64::INFINITY);
        assert!((ln_add_exp(0.0, 0.0) - 2f64.ln()).abs() < 1e-15);
    }
}
