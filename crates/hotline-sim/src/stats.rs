//! Statistics over independent replications: the mean and the 95% confidence half-width
//! from Student's t distribution with n − 1 degrees of freedom.
//!
//! Replications are independent and identically distributed by construction (independent
//! random streams, the same scenario), so the classic replication/deletion method applies:
//! each replication gives one observation of a metric, and the half-width is
//! `t(0.975, n−1) · s / √n` with `s` the sample standard deviation.

use serde::Serialize;

/// Two-sided 95% quantiles `t(0.975, ν)` for ν = 1..=30, computed with mpmath
/// (`findroot` on the regularised incomplete beta function, 30 digits) and rounded to 12.
const T975: [f64; 30] = [
    12.706_204_736_2,
    4.302_652_729_75,
    3.182_446_305_28,
    2.776_445_105_2,
    2.570_581_835_64,
    2.446_911_851_14,
    2.364_624_251_59,
    2.306_004_135_2,
    2.262_157_162_8,
    2.228_138_851_99,
    2.200_985_160_09,
    2.178_812_829_67,
    2.160_368_656_46,
    2.144_786_687_92,
    2.131_449_545_56,
    2.119_905_299_22,
    2.109_815_577_83,
    2.100_922_040_24,
    2.093_024_054_41,
    2.085_963_447_27,
    2.079_613_844_73,
    2.073_873_067_9,
    2.068_657_610_42,
    2.063_898_561_63,
    2.059_538_552_75,
    2.055_529_438_64,
    2.051_830_516_48,
    2.048_407_141_8,
    2.045_229_642_13,
    2.042_272_456_3,
];

/// The 0.975 quantile of the standard normal distribution.
const Z975: f64 = 1.959_963_984_540_054;

/// The 0.975 quantile of Student's t distribution with `df` degrees of freedom.
///
/// Exact table values up to 30 degrees of freedom; above that the Cornish–Fisher expansion
/// in 1/ν to the fourth order, whose error there is below 1e-7.
/// Returns `None` for `df == 0` (a single observation has no spread).
pub fn t975(df: u64) -> Option<f64> {
    match df {
        0 => None,
        1..=30 => Some(T975[(df - 1) as usize]),
        _ => {
            let z = Z975;
            let v = df as f64;
            let z2 = z * z;
            let g1 = (z2 + 1.0) * z / 4.0;
            let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
            let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
            let g4 =
                ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
            Some(z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v))
        }
    }
}

/// A metric summarised over replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Mean over the replications where the metric is defined.
    pub mean: f64,
    /// Half-width of the 95% confidence interval of the mean; `None` with fewer than two
    /// observations.
    pub ci95: Option<f64>,
    /// How many replications defined the metric (e.g. `asa_served_s` is undefined in a
    /// replication where nothing was answered).
    #[serde(skip)]
    pub n: u64,
}

impl Summary {
    /// Summarise observations; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Summary> {
        // Welford's update: stable for long runs of near-equal values.
        let (mut n, mut mean, mut m2) = (0u64, 0.0f64, 0.0f64);
        for x in values {
            n += 1;
            let d = x - mean;
            mean += d / n as f64;
            m2 += d * (x - mean);
        }
        if n == 0 {
            return None;
        }
        let ci95 = t975(n - 1).map(|t| {
            let var = m2 / (n - 1) as f64;
            t * (var / n as f64).sqrt()
        });
        Some(Summary { mean, ci95, n })
    }

    /// Whether `value` lies within the confidence interval widened by `slack` on each side.
    pub fn covers(&self, value: f64, slack: f64) -> bool {
        let h = self.ci95.unwrap_or(0.0);
        (self.mean - value).abs() <= h + slack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_reference_values() {
        assert_eq!(t975(0), None);
        assert!((t975(1).unwrap() - 12.7062047362).abs() < 1e-9);
        assert!((t975(9).unwrap() - 2.2621571628).abs() < 1e-9);
        assert!((t975(30).unwrap() - 2.0422724563).abs() < 1e-9);
        // Beyond the table: mpmath reference values.
        for (df, want) in [
            (31, 2.0395134464),
            (40, 2.02107539031),
            (60, 2.00029782201),
            (100, 1.98397151852),
            (120, 1.97993040508),
            (1000, 1.96233908083),
            (10000, 1.96020123989),
        ] {
            let got = t975(df).unwrap();
            assert!((got - want).abs() < 1e-7, "df {df}: {got} vs {want}");
        }
    }

    #[test]
    fn summary_of_known_sample() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
        let s = Summary::of([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!(s.n, 8);
        assert!((s.mean - 5.0).abs() < 1e-12);
        let want = 2.364_624_251_59 * (32.0f64 / 7.0 / 8.0).sqrt();
        assert!((s.ci95.unwrap() - want).abs() < 1e-12);
        assert!((want - 1.787_5).abs() < 1e-3);
    }

    #[test]
    fn single_observation_has_no_interval() {
        let s = Summary::of([3.5]).unwrap();
        assert_eq!((s.mean, s.ci95, s.n), (3.5, None, 1));
        assert!(Summary::of(std::iter::empty()).is_none());
    }
}
