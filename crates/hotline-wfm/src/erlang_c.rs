//! Erlang C: `N` agents, Poisson arrivals, exponential handle times, callers who wait
//! as long as it takes (M/M/N). With load `A = λ·AHT` and `N > A`:
//!
//! - probability of waiting `C = N·B / (N − A·(1 − B))` with `B` the Erlang B value;
//! - service level `SL(t) = 1 − C·e^(−(N − A)·t / AHT)` (answered within `t` over
//!   offered; every caller is answered eventually, so it is also over answered);
//! - average speed of answer `ASA = C·AHT / (N − A)`;
//! - occupancy `A / N`.

use serde::Serialize;

use crate::recursion::{advance, inverse_erlang_b, start};
use crate::{Agents, Probability, Seconds, Traffic, WfmError, MAX_AGENTS};

/// How a number of agents performs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangC {
    pub agents: u32,
    /// Offered load in Erlangs.
    pub load: f64,
    /// Answered within `answer_within_s` over offered.
    pub service_level: f64,
    /// Mean wait in queue over all calls (all are answered).
    pub asa_s: f64,
    /// Probability that a call waits at all.
    pub p_wait: f64,
    /// Share of agent time on calls.
    pub occupancy: f64,
    /// The `t` of the service level.
    pub answer_within_s: f64,
}

/// What the staffing must achieve; every target given must hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// The `t` in "80% answered within t seconds".
    pub answer_within: Seconds,
    /// Minimum service level.
    pub service_level: Option<Probability>,
    /// Maximum average speed of answer.
    pub asa: Option<Seconds>,
    /// Maximum occupancy: agents who are never idle burn out, so centers cap it.
    pub max_occupancy: Option<Probability>,
}

/// `C` from `I = 1/B(n, A)`: `C = n / (I·(n − A) + A)`, which stays finite when `I`
/// is `+∞` (then `C = 0`).
fn p_wait(n: f64, load: f64, inverse_b: f64) -> f64 {
    n / (inverse_b * (n - load) + load)
}

fn metrics(traffic: &Traffic, n: u32, t: f64, inverse_b: f64) -> ErlangC {
    let load = traffic.load().get();
    let aht = traffic.aht().get();
    let nf = f64::from(n);
    let c = p_wait(nf, load, inverse_b);
    ErlangC {
        agents: n,
        load,
        service_level: 1.0 - c * (-(nf - load) * t / aht).exp(),
        asa_s: c * aht / (nf - load),
        p_wait: c,
        occupancy: load / nf,
        answer_within_s: t,
    }
}

/// The smallest whole number of agents that can carry the load: `floor(A) + 1`, not a
/// rounded load (a forecast of 10.6 Erlangs may be served by 11 agents; starting at
/// `round(A + 1) = 12` overstaffs).
pub fn minimum_agents(traffic: &Traffic) -> u32 {
    // The load is at most 1e6 by construction of `Traffic`.
    traffic.load().get().floor() as u32 + 1
}

/// Performance of a given staffing.
pub fn evaluate(
    traffic: &Traffic,
    agents: Agents,
    answer_within: Seconds,
) -> Result<ErlangC, WfmError> {
    let n = agents.get();
    let load = traffic.load().get();
    if f64::from(n) <= load {
        return Err(WfmError::Overloaded {
            agents: n,
            load,
            minimum: minimum_agents(traffic),
        });
    }
    Ok(metrics(
        traffic,
        n,
        answer_within.get(),
        inverse_erlang_b(load, n),
    ))
}

/// Smallest agents meeting an occupancy cap: `ceil(A / cap)`, with a relative slack of
/// 1e-12 so that 8.5 Erlangs at 85% is 10 agents, not 11.
fn occupancy_floor(load: f64, cap: Probability) -> f64 {
    (load / cap.get() * (1.0 - 1e-12)).ceil()
}

/// The fewest agents meeting every target in `goal`.
pub fn solve(traffic: &Traffic, goal: &Goal) -> Result<ErlangC, WfmError> {
    if goal.service_level.is_none() && goal.asa.is_none() && goal.max_occupancy.is_none() {
        return Err(WfmError::invalid(
            "target",
            "none",
            "at least one of target_sl, target_asa, max_occupancy",
        ));
    }
    let load = traffic.load().get();
    let aht = traffic.aht().get();
    let t = goal.answer_within.get();
    let mut first = f64::from(minimum_agents(traffic));
    if let Some(cap) = goal.max_occupancy {
        first = first.max(occupancy_floor(load, cap));
    }
    if first > f64::from(MAX_AGENTS) {
        return Err(WfmError::Unreachable {
            max: MAX_AGENTS,
            target: "max_occupancy",
        });
    }
    let first = first as u32;
    let (m, i) = start(load, first);
    let mut inverse = advance(load, m, i, first);

    // Every target improves with each added agent, so the first n meeting all of them
    // is the minimum. The service-level exponential is carried from n to n + 1 by a
    // constant factor instead of one exp() per step.
    let step = (-t / aht).exp();
    let mut decay = (-(f64::from(first) - load) * t / aht).exp();
    let sl_target = goal.service_level.map(Probability::get);
    let asa_target = goal.asa.map(Seconds::get);
    let mut n = first;
    loop {
        let nf = f64::from(n);
        let c = p_wait(nf, load, inverse);
        let sl_ok = sl_target.is_none_or(|target| 1.0 - c * decay >= target);
        let asa_ok = asa_target.is_none_or(|target| c * aht / (nf - load) <= target);
        if sl_ok && asa_ok {
            return Ok(metrics(traffic, n, t, inverse));
        }
        if n == MAX_AGENTS {
            return Err(WfmError::Unreachable {
                max: MAX_AGENTS,
                target: if sl_ok { "target_asa" } else { "target_sl" },
            });
        }
        n += 1;
        inverse = 1.0 + f64::from(n) / load * inverse;
        decay *= step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn textbook() -> Traffic {
        Traffic::new(100.0, 1800.0, 180.0).unwrap()
    }

    fn goal(sl: f64) -> Goal {
        Goal {
            answer_within: Seconds::new("answer_within", 20.0).unwrap(),
            service_level: Some(Probability::new("target_sl", sl).unwrap()),
            asa: None,
            max_occupancy: None,
        }
    }

    #[test]
    fn textbook_example() {
        // 100 calls in 30 minutes, AHT 180 s, 80% in 20 s: 10 Erlangs, 14 agents,
        // SL 88.8%, ASA 7.8 s (reference values from exact rational arithmetic:
        // C(14, 10) = 0.174 131 93..., SL = 0.888 350 01..., ASA = 7.835 937 0... s).
        let r = solve(&textbook(), &goal(0.8)).unwrap();
        assert_eq!(r.agents, 14);
        assert!(
            (r.service_level - 0.888_350_019_179_466_9).abs() < 1e-14,
            "{}",
            r.service_level
        );
        assert!(
            (r.asa_s - 7.835_937_011_777_243).abs() < 1e-12,
            "{}",
            r.asa_s
        );
        assert!(
            (r.p_wait - 0.174_131_933_595_049_83).abs() < 1e-15,
            "{}",
            r.p_wait
        );
        assert!((r.occupancy - 10.0 / 14.0).abs() < 1e-15);
        let thirteen = evaluate(
            &textbook(),
            Agents::new("agents", 13).unwrap(),
            goal(0.8).answer_within,
        )
        .unwrap();
        assert!(thirteen.service_level < 0.8);
    }

    #[test]
    fn fractional_load_searches_from_floor_plus_one() {
        // 10.6 Erlangs; a search starting at round(A + 1) = 12 could never answer 11.
        let traffic = Traffic::new(106.0, 1800.0, 180.0).unwrap();
        assert_eq!(minimum_agents(&traffic), 11);
        let lenient = Goal {
            service_level: Some(Probability::new("target_sl", 0.05).unwrap()),
            ..goal(0.8)
        };
        assert_eq!(solve(&traffic, &lenient).unwrap().agents, 11);
    }

    #[test]
    fn refuses_n_not_above_load() {
        let err = evaluate(
            &textbook(),
            Agents::new("agents", 10).unwrap(),
            goal(0.8).answer_within,
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                WfmError::Overloaded {
                    agents: 10,
                    minimum: 11,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn occupancy_cap_raises_staffing() {
        let capped = Goal {
            max_occupancy: Some(Probability::new("max_occupancy", 0.6).unwrap()),
            ..goal(0.8)
        };
        let r = solve(&textbook(), &capped).unwrap();
        assert_eq!(r.agents, 17); // ceil(10 / 0.6) = 17 > 14
        let exact = Goal {
            max_occupancy: Some(Probability::new("max_occupancy", 0.85).unwrap()),
            ..goal(0.01)
        };
        let r = solve(&Traffic::new(85.0, 1800.0, 180.0).unwrap(), &exact).unwrap();
        assert_eq!(r.agents, 10); // 8.5 / 0.85 = 10 exactly
    }

    #[test]
    fn asa_target() {
        let g = Goal {
            service_level: None,
            asa: Some(Seconds::positive("target_asa", 10.0).unwrap()),
            ..goal(0.8)
        };
        let r = solve(&textbook(), &g).unwrap();
        assert_eq!(r.agents, 14); // ASA(13) = 17.1 s, ASA(14) = 7.8 s
    }

    #[test]
    fn zero_seconds_is_one_minus_p_wait() {
        let r = evaluate(
            &textbook(),
            Agents::new("agents", 14).unwrap(),
            Seconds::new("t", 0.0).unwrap(),
        )
        .unwrap();
        assert!((r.service_level - (1.0 - r.p_wait)).abs() < 1e-15);
    }
}
