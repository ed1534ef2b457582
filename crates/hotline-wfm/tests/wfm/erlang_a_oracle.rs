//! An oracle for Erlang A that shares no formula with the library: the stationary
//! distribution is built state by state from the birth–death balance equations (in
//! plain f64, for moderate parameters), and each arriving caller's fate is followed
//! through its own absorbing Markov chain by uniformization:
//! states "m callers ahead" (m = 0..J), absorbing "answered" and "abandoned".

use hotline_wfm::erlang_a::{self, ErlangA};
use hotline_wfm::{Agents, Seconds, Traffic};

struct Oracle {
    /// Probability an arrival finds k callers in the system, k = 0..=n+J.
    arrival_sees: Vec<f64>,
    n: usize,
    lambda: f64,
    mu: f64,
    theta: f64,
}

impl Oracle {
    fn new(calls: f64, interval: f64, aht: f64, patience: f64, n: usize) -> Self {
        let lambda = calls / interval;
        let mu = 1.0 / aht;
        let theta = 1.0 / patience;
        let mut p = vec![1.0];
        let mut k = 0;
        loop {
            let death = if k < n {
                (k + 1) as f64 * mu
            } else {
                n as f64 * mu + (k + 1 - n) as f64 * theta
            };
            let next = p[k] * lambda / death;
            p.push(next);
            k += 1;
            if k > n + 5 && next < 1e-22 * p.iter().sum::<f64>() {
                break;
            }
        }
        let total: f64 = p.iter().sum();
        Oracle {
            arrival_sees: p.iter().map(|x| x / total).collect(),
            n,
            lambda,
            mu,
            theta,
        }
    }

    /// (P(answered by t), P(abandoned by t), P(still waiting at t)) by uniformization.
    fn at(&self, t: f64) -> (f64, f64, f64) {
        let n = self.n;
        let ahead_max = self.arrival_sees.len() - n;
        let served_now: f64 = self.arrival_sees[..n].iter().sum();
        // dist[m] = P(waiting with m ahead)
        let mut dist: Vec<f64> = (0..ahead_max).map(|m| self.arrival_sees[n + m]).collect();
        let rate = |m: usize| n as f64 * self.mu + m as f64 * self.theta; // line moves
        let big = rate(ahead_max) + self.theta;
        let (mut answered, mut abandoned) = (served_now, 0.0);
        if t == 0.0 {
            return (answered, abandoned, dist.iter().sum());
        }
        // Poisson(big·t) weights over jumps.
        let mean = big * t;
        let mut weight = (-mean).exp();
        assert!(weight > 0.0, "uniformization underflow: choose a smaller t");
        let (mut ans_acc, mut ab_acc) = (0.0, 0.0);
        let mut cum_weight = 0.0;
        let mut out_answered = 0.0;
        let mut out_abandoned = 0.0;
        let mut k = 0u64;
        loop {
            // Mass absorbed by the time of the k-th jump contributes if k <= N(t).
            cum_weight += weight;
            let tail = 1.0 - cum_weight; // P(N(t) > k)
                                         // One uniformized step from dist.
            let mut next = vec![0.0; ahead_max];
            let (mut step_ans, mut step_ab) = (0.0, 0.0);
            for (m, &p) in dist.iter().enumerate() {
                if p == 0.0 {
                    continue;
                }
                let forward = rate(m) / big;
                let leave = self.theta / big;
                if m == 0 {
                    step_ans += p * forward;
                } else {
                    next[m - 1] += p * forward;
                }
                step_ab += p * leave;
                next[m] += p * (1.0 - forward - leave);
            }
            // Absorbed at jump k+1, counted if N(t) >= k+1.
            out_answered += step_ans * tail;
            out_abandoned += step_ab * tail;
            ans_acc += step_ans;
            ab_acc += step_ab;
            dist = next;
            k += 1;
            weight *= mean / k as f64;
            if tail <= 1e-15 && k as f64 > mean {
                break;
            }
        }
        let _ = (ans_acc, ab_acc);
        answered += out_answered;
        abandoned += out_abandoned;
        (answered, abandoned, 1.0 - answered - abandoned)
    }

    fn p_abandon(&self) -> f64 {
        let n = self.n;
        self.arrival_sees[n..]
            .iter()
            .enumerate()
            .map(|(j, p)| {
                p * (j as f64 + 1.0) * self.theta
                    / (n as f64 * self.mu + (j as f64 + 1.0) * self.theta)
            })
            .sum()
    }

    fn mean_wait_all(&self) -> f64 {
        // E[min(V, τ) | j ahead] = (j + 1) / (nμ + (j + 1)θ)
        let n = self.n;
        self.arrival_sees[n..]
            .iter()
            .enumerate()
            .map(|(j, p)| {
                p * (j as f64 + 1.0) / (n as f64 * self.mu + (j as f64 + 1.0) * self.theta)
            })
            .sum()
    }

    fn lambda(&self) -> f64 {
        self.lambda
    }
}

fn library(calls: f64, interval: f64, aht: f64, patience: f64, n: u32, t: f64) -> ErlangA {
    erlang_a::evaluate(
        &Traffic::new(calls, interval, aht).unwrap(),
        Seconds::positive("patience", patience).unwrap(),
        Agents::new("agents", n).unwrap(),
        Seconds::new("answer_within", t).unwrap(),
    )
    .unwrap()
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol,
        "{what}: library {a} vs oracle {b} (diff {:e})",
        (a - b).abs()
    );
}

#[test]
fn agrees_with_the_markov_chain_across_staffing_levels() {
    // 100 calls / 30 min, AHT 180 s, patience 120 s: from heavy overload (6 agents for
    // 10 Erlangs) to comfortable (16).
    for n in [6u32, 9, 10, 12, 14, 16] {
        for t in [0.0, 20.0, 60.0] {
            let lib = library(100.0, 1800.0, 180.0, 120.0, n, t);
            let oracle = Oracle::new(100.0, 1800.0, 180.0, 120.0, n as usize);
            let (answered_by_t, abandoned_by_t, waiting) = oracle.at(t);
            let tag = format!("n={n} t={t}");
            close(
                lib.service_level,
                answered_by_t,
                1e-10,
                &format!("{tag} service_level"),
            );
            close(
                lib.p_abandon_within_t,
                abandoned_by_t,
                1e-10,
                &format!("{tag} p_abandon_within_t"),
            );
            close(
                lib.p_wait_gt_t,
                waiting,
                1e-10,
                &format!("{tag} p_wait_gt_t"),
            );
            close(
                lib.p_abandon,
                oracle.p_abandon(),
                1e-12,
                &format!("{tag} p_abandon"),
            );
            close(
                lib.asa_all_s,
                oracle.mean_wait_all(),
                1e-9,
                &format!("{tag} asa_all_s"),
            );
            let p_wait: f64 = oracle.arrival_sees[n as usize..].iter().sum();
            close(lib.p_wait, p_wait, 1e-12, &format!("{tag} p_wait"));
            close(
                lib.occupancy,
                oracle.lambda() * 180.0 * (1.0 - oracle.p_abandon()) / f64::from(n),
                1e-12,
                &format!("{tag} occupancy"),
            );
        }
    }
}

#[test]
fn asa_of_answered_by_littles_law() {
    // Mean wait of all = P(ans)·E[W|ans] + P(ab)·E[W|ab], and E[W|ab]·P(ab) =
    // E[min(V,τ)] − P(ans)·E[W|ans]; cross-check with a separate sum over j of the
    // answered callers' mean waits.
    let (n, aht, patience) = (12usize, 180.0, 120.0);
    let oracle = Oracle::new(100.0, 1800.0, aht, patience, n);
    let (mu, theta) = (1.0 / aht, 1.0 / patience);
    let mut answered_wait = 0.0;
    let mut answered = oracle.arrival_sees[..n].iter().sum::<f64>();
    for (j, p) in oracle.arrival_sees[n..].iter().enumerate() {
        let r = |m: usize| n as f64 * mu + m as f64 * theta;
        let p_ans = n as f64 * mu / r(j + 1);
        let mean: f64 = (1..=j + 1).map(|m| 1.0 / r(m)).sum();
        answered_wait += p * p_ans * mean;
        answered += p * p_ans;
    }
    let lib = library(100.0, 1800.0, aht, patience, n as u32, 20.0);
    close(
        lib.asa_served_s,
        answered_wait / answered,
        1e-9,
        "asa_served_s",
    );
}

#[test]
fn staffing_can_fall_below_the_load() {
    // 50 Erlangs of very impatient callers (patience 10 s, AHT 300 s) with a lenient
    // target: the smallest staffing meeting 50% answered within 30 s is below 50 agents,
    // and one agent fewer misses it.
    let traffic = Traffic::new(300.0, 1800.0, 300.0).unwrap();
    let patience = Seconds::positive("patience", 10.0).unwrap();
    let goal = erlang_a::Goal {
        answer_within: Seconds::new("answer_within", 30.0).unwrap(),
        service_level: Some(hotline_wfm::Probability::new("target_sl", 0.5).unwrap()),
        sl_basis: erlang_a::SlBasis::Offered,
        max_abandon: None,
        asa: None,
        max_occupancy: None,
    };
    let best = erlang_a::solve(&traffic, patience, &goal).unwrap();
    assert!(best.agents < 50, "{}", best.agents);
    assert!(best.service_level >= 0.5);
    let fewer = erlang_a::evaluate(
        &traffic,
        patience,
        Agents::new("agents", best.agents - 1).unwrap(),
        goal.answer_within,
    )
    .unwrap();
    assert!(fewer.service_level < 0.5);
}
