//! Poisson arrivals with a constant rate or a piecewise-constant day profile.

use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// How many contacts arrive, as the scenario describes it (rates per second).
#[derive(Debug, Clone, PartialEq)]
pub enum ArrivalRate {
    /// The same rate all day.
    Constant { per_s: f64 },
    /// One rate per interval of `interval_s`, starting at time 0; no arrivals after the
    /// last interval.
    Profile { interval_s: f64, per_s: Vec<f64> },
}

impl ArrivalRate {
    /// Expected arrivals in `[from, to)`.
    pub fn expected(&self, from: f64, to: f64) -> f64 {
        match self {
            ArrivalRate::Constant { per_s } => per_s * (to - from).max(0.0),
            ArrivalRate::Profile { interval_s, per_s } => per_s
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let a = (k as f64 * interval_s).max(from);
                    let b = ((k + 1) as f64 * interval_s).min(to);
                    r * (b - a).max(0.0)
                })
                .sum(),
        }
    }
}

/// Draws successive arrival instants of a non-homogeneous Poisson process with a
/// piecewise-constant rate: an exponential gap at the current rate, and when it would
/// cross into the next interval, restart at the boundary with the new rate (exact, by
/// the memoryless property).
#[derive(Debug, Clone)]
pub struct ArrivalStream {
    rate: ArrivalRate,
    /// Index of the profile interval that holds `t`.
    interval: usize,
    t: f64,
    end_s: f64,
}

impl ArrivalStream {
    /// Arrivals in `[0, end_s)`.
    pub fn new(rate: ArrivalRate, end_s: f64) -> Self {
        ArrivalStream {
            rate,
            interval: 0,
            t: 0.0,
            end_s,
        }
    }

    /// The next arrival instant in seconds, or `None` when there are no more.
    pub fn next<R: Rng + ?Sized>(&mut self, rng: &mut R) -> Option<f64> {
        match &self.rate {
            ArrivalRate::Constant { per_s } => {
                if *per_s <= 0.0 {
                    return None;
                }
                let gap: f64 = Exp1.sample(rng);
                self.t += gap / per_s;
            }
            ArrivalRate::Profile { interval_s, per_s } => loop {
                let &r = per_s.get(self.interval)?;
                let boundary = (self.interval + 1) as f64 * interval_s;
                if r > 0.0 {
                    let gap: f64 = Exp1.sample(rng);
                    let t = self.t + gap / r;
                    if t < boundary {
                        self.t = t;
                        break;
                    }
                }
                self.t = boundary;
                self.interval += 1;
                if self.t >= self.end_s {
                    return None;
                }
            },
        }
        (self.t < self.end_s).then_some(self.t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn profile_counts_follow_the_rates() {
        // 0 in the first hour, 360/h in the second, 36/h in the third; 400 days of it.
        let rate = ArrivalRate::Profile {
            interval_s: 3600.0,
            per_s: vec![0.0, 0.1, 0.01],
        };
        assert_eq!(rate.expected(0.0, 10_800.0), 396.0);
        assert_eq!(rate.expected(1800.0, 5400.0), 180.0);
        let mut counts = [0u32; 3];
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        for _ in 0..400 {
            let mut s = ArrivalStream::new(rate.clone(), 10_800.0);
            while let Some(t) = s.next(&mut rng) {
                counts[(t / 3600.0) as usize] += 1;
            }
        }
        assert_eq!(counts[0], 0);
        // Poisson: mean 144,000 and 14,400, sd 379 and 120.
        assert!((counts[1] as f64 - 144_000.0).abs() < 1_200.0, "{counts:?}");
        assert!((counts[2] as f64 - 14_400.0).abs() < 400.0, "{counts:?}");
    }

    #[test]
    fn stops_at_the_end_and_at_the_profile_end() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        let mut s = ArrivalStream::new(ArrivalRate::Constant { per_s: 1.0 }, 100.0);
        let mut last = 0.0;
        let mut n = 0;
        while let Some(t) = s.next(&mut rng) {
            assert!(t >= last && t < 100.0);
            last = t;
            n += 1;
        }
        assert!((60..140).contains(&n), "{n}");
        let mut s = ArrivalStream::new(
            ArrivalRate::Profile {
                interval_s: 10.0,
                per_s: vec![1.0],
            },
            1000.0,
        );
        while let Some(t) = s.next(&mut rng) {
            assert!(t < 10.0);
        }
    }
}
