//! Erlang A (Palm 1943; Garnett, Mandelbaum and Reiman 2002): M/M/N+M. Callers arrive
//! at rate λ, are handled in an exponential time of mean AHT (rate μ), and hang up
//! after an exponential patience of mean `patience` (rate θ) if no agent has answered.
//!
//! Exact formulas from the birth–death chain (see `docs/wfm.md` for the derivation):
//! with `π_n` the probability that all agents are busy and none wait, and `q_j` the
//! series in [`crate::series`], a caller finding `j` ahead is answered with probability
//! `nμ / (nμ + (j + 1)θ)` and, if answered, waits `Σ_(m=1..j+1) 1/(nμ + mθ)` on
//! average. Summing over `j` gives `P(wait)`, `P(abandon)`, the mean waits, and
//!
//! `P(W > t) = π_n · G(λe^(−θt)) · exp(−(θ + nμ)t + λ(1 − e^(−θt))/θ)`,
//!
//! where `W` is the time a caller spends in queue (until answer or hang-up) and `G(z)`
//! the waiting series with arrivals thinned to `z`. Abandonment happens at rate θ to
//! every caller still waiting, so abandons within `t` are `θ·∫₀ᵗ P(W > s) ds`, and
//! answered within `t` is what remains: `1 − P(W > t) − P(abandon within t)`.

use serde::Serialize;

use crate::recursion::inverse_erlang_b;
use crate::series::{self, ln_add_exp, Sums};
use crate::{quadrature, Agents, Probability, Seconds, Traffic, WfmError, MAX_AGENTS};

/// How a number of agents performs when callers abandon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangA {
    pub agents: u32,
    /// Offered load in Erlangs.
    pub load: f64,
    /// Answered within `answer_within_s` over offered (abandons count as missed).
    pub service_level: f64,
    /// Mean wait of answered calls.
    pub asa_served_s: f64,
    /// Mean wait of all calls, abandoned ones counted until they hung up.
    pub asa_all_s: f64,
    /// Probability that a call waits at all.
    pub p_wait: f64,
    /// Probability that a call hangs up before it is answered.
    pub p_abandon: f64,
    /// Probability that a call is still waiting (not answered, not abandoned) at
    /// `answer_within_s`.
    pub p_wait_gt_t: f64,
    /// Answered within `answer_within_s` over answered.
    pub service_level_of_answered: f64,
    /// Probability that a call abandons within `answer_within_s` (short abandons when
    /// that is the short-abandon threshold).
    pub p_abandon_within_t: f64,
    /// Share of agent time on calls: carried load `A·(1 − P(abandon))` over agents.
    pub occupancy: f64,
    pub answer_within_s: f64,
}

/// Which calls a service-level target divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlBasis {
    /// Answered within t over offered: abandons count against the target.
    #[default]
    Offered,
    /// Answered within t over answered: abandons are left out.
    Answered,
}

/// What the staffing must achieve; every target given must hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    pub answer_within: Seconds,
    pub service_level: Option<Probability>,
    pub sl_basis: SlBasis,
    /// Maximum probability of abandonment.
    pub max_abandon: Option<Probability>,
    /// Maximum mean wait of answered calls.
    pub asa: Option<Seconds>,
    pub max_occupancy: Option<Probability>,
}

/// Performance of a given staffing. Any number of agents is allowed, even below the
/// load: abandonment keeps the queue finite.
pub fn evaluate(
    traffic: &Traffic,
    patience: Seconds,
    agents: Agents,
    answer_within: Seconds,
) -> Result<ErlangA, WfmError> {
    let patience = positive_patience(patience)?;
    Model::new(traffic, patience, agents.get())?.with_time_measures(answer_within.get())
}

/// The fewest agents meeting every target in `goal`. Because callers leave, the answer
/// can be below the load; the search covers every count from one agent up.
pub fn solve(traffic: &Traffic, patience: Seconds, goal: &Goal) -> Result<ErlangA, WfmError> {
    let patience = positive_patience(patience)?;
    if goal.service_level.is_none()
        && goal.max_abandon.is_none()
        && goal.asa.is_none()
        && goal.max_occupancy.is_none()
    {
        return Err(WfmError::invalid(
            "target",
            "none",
            "at least one of target_sl, max_abandon, target_asa, max_occupancy",
        ));
    }
    let t = goal.answer_within.get();
    let meets = |n: u32| -> Result<Option<ErlangA>, WfmError> {
        let model = Model::new(traffic, patience, n)?;
        // The cheap targets first: most candidates fail one of them and never need
        // the integral behind the service level.
        if let Some(cap) = goal.max_occupancy {
            if model.occupancy() > cap.get() {
                return Ok(None);
            }
        }
        if let Some(max) = goal.max_abandon {
            if model.p_abandon() > max.get() {
                return Ok(None);
            }
        }
        if let Some(max) = goal.asa {
            if model.asa_served() > max.get() {
                return Ok(None);
            }
        }
        let full = model.with_time_measures(t)?;
        if let Some(target) = goal.service_level {
            let achieved = match goal.sl_basis {
                SlBasis::Offered => full.service_level,
                SlBasis::Answered => full.service_level_of_answered,
            };
            if achieved < target.get() {
                return Ok(None);
            }
        }
        Ok(Some(full))
    };

    // Every target improves with each added agent, so bisection finds the smallest
    // count: `low` always fails (or is zero), `high` always meets.
    let load = traffic.load().get();
    let mut high = (load.ceil() as u32).clamp(1, MAX_AGENTS);
    let mut best = loop {
        if let Some(found) = meets(high)? {
            break found;
        }
        if high == MAX_AGENTS {
            return Err(WfmError::Unreachable {
                max: MAX_AGENTS,
                target: "target_sl",
            });
        }
        high = high.saturating_mul(2).min(MAX_AGENTS);
    };
    let mut low = 0;
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        match meets(mid)? {
            Some(found) => {
                high = mid;
                best = found;
            }
            None => low = mid,
        }
    }
    Ok(best)
}

fn positive_patience(patience: Seconds) -> Result<f64, WfmError> {
    let p = patience.get();
    if p > 0.0 {
        Ok(p)
    } else {
        Err(WfmError::invalid(
            "patience",
            p,
            "a finite number of seconds > 0",
        ))
    }
}

/// The stationary state for one staffing, before any time-dependent measure.
#[derive(Debug)]
struct Model {
    agents: u32,
    load: f64,
    lambda: f64,
    n_mu: f64,
    theta: f64,
    /// `ln(1/π_n)`: the normalising constant, `1/B − 1 + Σ q_j`.
    ln_norm: f64,
    sums: Sums,
}

impl Model {
    fn new(traffic: &Traffic, patience: f64, agents: u32) -> Result<Self, WfmError> {
        let load = traffic.load().get();
        let lambda = traffic.arrival_rate();
        let n_mu = f64::from(agents) / traffic.aht().get();
        let theta = 1.0 / patience;
        let sums = series::sums(lambda, n_mu, theta).ok_or_else(too_many_terms)?;
        let inverse_b = inverse_erlang_b(load, agents);
        let ln_norm = ln_add_exp(
            (inverse_b - 1.0).ln(),
            Sums::ln(sums.waiting, sums.log_scale),
        );
        Ok(Model {
            agents,
            load,
            lambda,
            n_mu,
            theta,
            ln_norm,
            sums,
        })
    }

    /// `value · π_n` as a probability. Sums of thousands of terms in log space carry
    /// rounding of ~1e-12, which must not show as a probability above one.
    fn share(&self, value: f64) -> f64 {
        self.times_pi(value).min(1.0)
    }

    /// `value · π_n` for a sum that is not a probability (a mean wait).
    fn times_pi(&self, value: f64) -> f64 {
        if value == 0.0 {
            return 0.0;
        }
        (Sums::ln(value, self.sums.log_scale) - self.ln_norm).exp()
    }

    fn p_abandon(&self) -> f64 {
        self.share(self.sums.abandoning)
    }

    fn asa_served(&self) -> f64 {
        let answered = 1.0 - self.p_abandon();
        if answered <= 0.0 {
            return 0.0;
        }
        self.times_pi(self.sums.served_wait) / answered
    }

    fn occupancy(&self) -> f64 {
        (self.load * (1.0 - self.p_abandon()) / f64::from(self.agents)).min(1.0)
    }

    /// `P(W > s)`: still in queue after `s` seconds.
    fn p_waiting_after(&self, s: f64) -> Result<f64, WfmError> {
        if s == 0.0 {
            return Ok(self.share(self.sums.waiting));
        }
        let thinned = self.lambda * (-self.theta * s).exp();
        let ln_g = series::ln_waiting(thinned, self.n_mu, self.theta).ok_or_else(too_many_terms)?;
        // λ(1 − e^(−θs))/θ, written with expm1 so a tiny θ loses no digits.
        let arrivals_gone = -self.lambda * (-self.theta * s).exp_m1() / self.theta;
        Ok(
            (ln_g - self.ln_norm - (self.theta + self.n_mu) * s + arrivals_gone)
                .exp()
                .min(1.0),
        )
    }

    fn with_time_measures(&self, t: f64) -> Result<ErlangA, WfmError> {
        let p_wait = self.share(self.sums.waiting);
        let p_abandon = self.p_abandon();
        let p_wait_gt_t = self.p_waiting_after(t)?;
        let mut failure = None;
        let waiting_area = quadrature::integrate(
            |s| match self.p_waiting_after(s) {
                Ok(p) => p,
                Err(e) => {
                    failure = Some(e);
                    0.0
                }
            },
            0.0,
            t,
            1e-14 * t.max(1.0),
        );
        if let Some(e) = failure {
            return Err(e);
        }
        let p_abandon_within_t = (self.theta * waiting_area).clamp(0.0, p_abandon);
        let answered = 1.0 - p_abandon;
        let service_level = (1.0 - p_wait_gt_t - p_abandon_within_t).clamp(0.0, answered);
        Ok(ErlangA {
            agents: self.agents,
            load: self.load,
            service_level,
            asa_served_s: self.asa_served(),
            asa_all_s: p_abandon / self.theta,
            p_wait,
            p_abandon,
            p_wait_gt_t,
            service_level_of_answered: if answered > 0.0 {
                service_level / answered
            } else {
                0.0
            },
            p_abandon_within_t,
            occupancy: self.occupancy(),
            answer_within_s: t,
        })
    }
}

fn too_many_terms() -> WfmError {
    WfmError::invalid(
        "patience",
        "this value",
        "a patience short enough for the queue to balance (the agents are far too few for \
         callers this patient: more than 50 million callers would be waiting)",
    )
}
