//! Simulator throughput: simulated callers per second through the routing engine.
//!
//! `cargo bench -p hotline-sim --bench sim`; figures and the comparison with Ciw are in
//! docs/benchmarks.md ("Simulator (hotline-sim)").

use divan::counter::ItemsCount;
use divan::Bencher;
use hotline_sim::{Scenario, Simulation};

fn main() {
    divan::main();
}

/// M/M/c+M at 90% offered load: AHT 180 s, mean patience 300 s, `callers` expected
/// arrivals in one replication, no warm-up.
fn mmc_plus_m(agents: u32, callers: f64) -> Simulation {
    let lambda = 0.9 * f64::from(agents) / 180.0;
    let duration = callers / lambda;
    let toml = format!(
        r#"
[run]
duration_s = {duration}
replications = 1
seed = 1

[[queue]]
id = "calls"
arrivals_per_hour = {per_hour}
handle_time = {{ dist = "exponential", mean_s = 180 }}
patience = {{ dist = "exponential", mean_s = 300 }}
service_level_s = 20

[[agents]]
group = "agents"
count = {agents}
skills = {{ calls = 1 }}
"#,
        per_hour = lambda * 3600.0
    );
    Simulation::new(Scenario::from_toml(&toml).unwrap()).unwrap()
}

/// 200,000 callers through one pool of `agents`.
#[divan::bench(args = [50, 2000], sample_count = 5)]
fn mmc_plus_m_200k_callers(bencher: Bencher, agents: u32) {
    let sim = mmc_plus_m(agents, 200_000.0);
    let callers = sim.run_replication(0).unwrap().contacts;
    bencher
        .counter(ItemsCount::new(callers))
        .bench(|| sim.run_replication(0).unwrap());
}

/// One replication of the gold-club day: 5 queues, 150 agents in 6 groups, shifts,
/// wrap-up, routing steps, linear selection.
#[divan::bench(sample_count = 5)]
fn gold_club_day(bencher: Bencher) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/scenarios/gold-club.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let sim = Simulation::new(Scenario::from_toml(&text).unwrap()).unwrap();
    let callers = sim.run_replication(0).unwrap().contacts;
    bencher
        .counter(ItemsCount::new(callers))
        .bench(|| sim.run_replication(0).unwrap());
}

/// Parsing and validating the gold-club scenario.
#[divan::bench]
fn parse_gold_club(bencher: Bencher) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/scenarios/gold-club.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    bencher.bench(|| Scenario::from_toml(divan::black_box(&text)).unwrap());
}
