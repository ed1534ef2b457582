//! Validation against queueing theory: the simulator, driving the routing engine, must
//! reproduce Erlang C, Erlang A (from `hotline-wfm`) and Cobham's priority formula within
//! its own 95% confidence intervals.

use hotline_sim::{Metric, Report, Scenario, Simulation};
use hotline_wfm::{erlang_a, erlang_c, Agents, Seconds, Traffic};

fn simulate(toml: &str) -> Report {
    let sim = Simulation::new(Scenario::from_toml(toml).unwrap()).unwrap();
    sim.run().unwrap().0
}

/// Asserts that the simulated mean's 95% confidence interval covers `want`, and that the
/// interval is narrow enough (`max_rel` of `want`) for the comparison to mean something.
#[track_caller]
fn assert_covers(report: &Report, queue: &str, metric: Metric, want: f64, max_rel: f64) {
    let metrics = if queue == "all" {
        &report.all
    } else {
        report.queue(queue).unwrap()
    };
    let s = metrics.get(metric).unwrap();
    let h = s.ci95.unwrap();
    // Shown with --no-capture; the figures of docs/simulator.md.
    eprintln!(
        "{queue}.{}: simulated {:.4} ± {:.4}, theory {want:.4}",
        metric.name(),
        s.mean,
        h
    );
    assert!(
        (s.mean - want).abs() <= h,
        "{queue}.{}: simulated {:.5} ± {:.5} does not cover the theory's {want:.5}",
        metric.name(),
        s.mean,
        h
    );
    assert!(
        h <= max_rel * want,
        "{queue}.{}: half-width {h:.5} is too wide to test against {want:.5}",
        metric.name()
    );
}

/// M/M/10 at 80% load, AHT 100 s, callers never hang up. Waits are strongly
/// autocorrelated at this load, so the runs are long (80,000 callers each).
const MMC: &str = r#"
[run]
duration_s = 1000000
warmup_s = 5000
replications = 10
seed = 2024

[[queue]]
id = "pool"
arrivals_per_hour = 288           # 0.08 per second: 8 Erlangs
handle_time = { dist = "exponential", mean_s = 100 }
service_level_s = 20

[[agents]]
group = "agents"
count = 10
skills = { pool = 1 }
"#;

#[test]
fn single_pool_without_patience_reproduces_erlang_c() {
    let report = simulate(MMC);
    let traffic = Traffic::new(0.08, 1.0, 100.0).unwrap();
    let c = erlang_c::evaluate(
        &traffic,
        Agents::new("agents", 10).unwrap(),
        Seconds::new("t", 20.0).unwrap(),
    )
    .unwrap();
    // Hand check: C(10, 8) = 0.40918, ASA = C·AHT/(N − A) = 20.459 s,
    // SL(20) = 1 − C·e^(−(N−A)·20/AHT) = 0.72572.
    assert!((c.p_wait - 0.409_180).abs() < 1e-5);
    assert!((c.asa_s - 20.459_01).abs() < 1e-3);
    assert!((c.service_level - 0.725_718).abs() < 1e-5);
    assert_covers(&report, "pool", Metric::PWait, c.p_wait, 0.05);
    assert_covers(&report, "pool", Metric::AsaServed, c.asa_s, 0.08);
    assert_covers(&report, "pool", Metric::ServiceLevel, c.service_level, 0.03);
    let all = report.queue("pool").unwrap();
    assert_eq!(all.get(Metric::Abandoned).unwrap().mean, 0.0);
    assert_eq!(all.get(Metric::Unfinished).unwrap().mean, 0.0);
    // Offered: 0.08/s over 995,000 s.
    let offered = all.get(Metric::Offered).unwrap();
    assert!((offered.mean - 79_600.0).abs() <= offered.ci95.unwrap());
    let occ = report.groups[0].1.occupancy.unwrap();
    assert!(
        (occ.mean - 0.8).abs() <= occ.ci95.unwrap(),
        "occupancy {occ:?}"
    );
}

/// M/M/10+M at 100% offered load, AHT 100 s, mean patience 60 s.
const MMC_M: &str = r#"
[run]
duration_s = 200000
warmup_s = 5000
replications = 10
seed = 77

[[queue]]
id = "pool"
arrivals_per_hour = 360           # 0.1 per second: 10 Erlangs on 10 agents
handle_time = { dist = "exponential", mean_s = 100 }
patience = { dist = "exponential", mean_s = 60 }
service_level_s = 20

[[agents]]
group = "agents"
count = 10
skills = { pool = 1 }
"#;

#[test]
fn single_pool_with_exponential_patience_reproduces_erlang_a() {
    let report = simulate(MMC_M);
    let traffic = Traffic::new(0.1, 1.0, 100.0).unwrap();
    let a = erlang_a::evaluate(
        &traffic,
        Seconds::new("patience", 60.0).unwrap(),
        Agents::new("agents", 10).unwrap(),
        Seconds::new("t", 20.0).unwrap(),
    )
    .unwrap();
    assert_covers(&report, "pool", Metric::PWait, a.p_wait, 0.05);
    assert_covers(&report, "pool", Metric::PAbandon, a.p_abandon, 0.08);
    assert_covers(&report, "pool", Metric::AsaServed, a.asa_served_s, 0.08);
    assert_covers(&report, "pool", Metric::AsaAll, a.asa_all_s, 0.08);
    assert_covers(&report, "pool", Metric::ServiceLevel, a.service_level, 0.03);
    assert_covers(
        &report,
        "pool",
        Metric::ServiceLevelOfAnswered,
        a.service_level_of_answered,
        0.03,
    );
    let occ = report.groups[0].1.occupancy.unwrap();
    assert!(
        (occ.mean - a.occupancy).abs() <= occ.ci95.unwrap(),
        "occupancy {occ:?} vs {}",
        a.occupancy
    );
}

/// Two classes share one pool of 10 agents (same skill); "high" has the higher priority.
/// λ_high = 0.03/s, λ_low = 0.055/s, AHT 100 s for both: 8.5 Erlangs.
const PRIORITY: &str = r#"
[run]
duration_s = 1000000
warmup_s = 5000
replications = 10
seed = 99

[[queue]]
id = "high"
skill = "pool"
arrivals_per_hour = 108
handle_time = { dist = "exponential", mean_s = 100 }
priority = 10
service_level_s = 20

[[queue]]
id = "low"
skill = "pool"
arrivals_per_hour = 198
handle_time = { dist = "exponential", mean_s = 100 }
service_level_s = 20

[[agents]]
group = "agents"
count = 10
skills = { pool = 1 }
"#;

/// Cobham (1954), M/M/c with non-preemptive priorities and one service rate μ for all
/// classes. An arriving class-k caller who finds all c agents busy (probability C(c, A),
/// Erlang C with A = λ/μ, by PASTA) first waits for the next service completion, which
/// takes 1/(cμ) on average while all agents are busy, so W0 = C(c, A)/(cμ). It also waits
/// for everyone of classes 1..k already in line, and for classes 1..k−1 arriving while it
/// waits; solving the resulting equations class by class gives
///     W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)),  σ_k = Σ_{i≤k} λ_i/(cμ).
/// With one class this is Erlang C's C/(cμ − λ); and Σ λ_k W_k / λ equals the FCFS wait,
/// as the conservation law requires (both checked below).
fn cobham(c: u32, mu: f64, lambdas: &[f64]) -> Vec<f64> {
    let lambda: f64 = lambdas.iter().sum();
    let traffic = Traffic::new(lambda, 1.0, 1.0 / mu).unwrap();
    let p_wait = erlang_c::evaluate(
        &traffic,
        Agents::new("c", c).unwrap(),
        Seconds::new("t", 1.0).unwrap(),
    )
    .unwrap()
    .p_wait;
    let w0 = p_wait / (f64::from(c) * mu);
    let mut sigma = 0.0;
    lambdas
        .iter()
        .map(|l| {
            let before = sigma;
            sigma += l / (f64::from(c) * mu);
            w0 / ((1.0 - before) * (1.0 - sigma))
        })
        .collect()
}

#[test]
fn two_priority_classes_reproduce_cobham() {
    let w = cobham(10, 0.01, &[0.03, 0.055]);
    // Hand check: C(10, 8.5) = 0.529861, W0 = 5.29861 s, σ1 = 0.3, σ2 = 0.85:
    // W_high = 5.29861/0.7 = 7.56945 s, W_low = 5.29861/(0.7·0.15) = 50.4630 s.
    assert!((w[0] - 7.569_447).abs() < 1e-4, "{w:?}");
    assert!((w[1] - 50.462_98).abs() < 1e-3, "{w:?}");
    let fcfs = (0.03 * w[0] + 0.055 * w[1]) / 0.085;
    assert!((fcfs - 35.324_087).abs() < 1e-3, "{fcfs}");
    assert!((cobham(10, 0.01, &[0.08])[0] - 20.459_007).abs() < 1e-4);

    let report = simulate(PRIORITY);
    assert_covers(&report, "high", Metric::AsaServed, w[0], 0.08);
    assert_covers(&report, "low", Metric::AsaServed, w[1], 0.12);
    assert_covers(&report, "all", Metric::AsaServed, fcfs, 0.1);
}
