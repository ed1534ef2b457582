//! Random durations (handle time, patience, wrap-up) as the scenario describes them.

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// A distribution of durations in seconds, already checked to be well-formed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential { mean_s: f64 },
    /// Log-normal with the given mean and standard deviation of the duration itself
    /// (not of its logarithm); `mu`/`sigma` are the parameters of the underlying normal.
    LogNormal {
        mean_s: f64,
        sd_s: f64,
        mu: f64,
        sigma: f64,
    },
    /// Always the same value.
    Constant { value_s: f64 },
}

impl Dist {
    /// Log-normal from the mean and standard deviation of the duration.
    pub fn lognormal(mean_s: f64, sd_s: f64) -> Dist {
        let cv2 = (sd_s / mean_s).powi(2);
        let sigma2 = cv2.ln_1p();
        Dist::LogNormal {
            mean_s,
            sd_s,
            mu: mean_s.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }
    }

    /// The mean of the distribution in seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            Dist::Exponential { mean_s } | Dist::LogNormal { mean_s, .. } => mean_s,
            Dist::Constant { value_s } => value_s,
        }
    }

    /// One draw in seconds.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Exponential { mean_s } => {
                let e: f64 = Exp1.sample(rng);
                e * mean_s
            }
            Dist::LogNormal { mu, sigma, .. } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Dist::Constant { value_s } => value_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    fn moments(d: Dist, n: usize) -> (f64, f64) {
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt())
    }

    #[test]
    fn lognormal_parameters_reproduce_mean_and_sd() {
        // mean 240, sd 120: sigma² = ln(1.25), mu = ln 240 − sigma²/2.
        let Dist::LogNormal { mu, sigma, .. } = Dist::lognormal(240.0, 120.0) else {
            unreachable!()
        };
        assert!((sigma * sigma - 1.25f64.ln()).abs() < 1e-12);
        assert!((mu - (240f64.ln() - 1.25f64.ln() / 2.0)).abs() < 1e-12);
        let (m, sd) = moments(Dist::lognormal(240.0, 120.0), 200_000);
        assert!((m - 240.0).abs() < 1.5, "mean {m}");
        assert!((sd - 120.0).abs() < 2.0, "sd {sd}");
    }

    #[test]
    fn exponential_and_constant_draws() {
        let (m, sd) = moments(Dist::Exponential { mean_s: 180.0 }, 200_000);
        assert!((m - 180.0).abs() < 1.5, "mean {m}");
        assert!((sd - 180.0).abs() < 2.5, "sd {sd}");
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        assert_eq!(Dist::Constant { value_s: 30.0 }.sample(&mut rng), 30.0);
    }
}
