//! `cargo bench -p hotline-wfm --bench staffing`
//!
//! The sweep of docs/benchmarks.md: 10,000 Erlang C staffing cases with loads
//! log-uniform over 0.5–2,000 Erlangs, AHT 60–600 s, 80–95% targets within 10–60 s,
//! plus Erlang A and Erlang B cases for scale.

use hotline_wfm::{erlang_a, erlang_b, erlang_c, Erlangs, Probability, Seconds, Traffic};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn main() {
    divan::main();
}

struct Case {
    traffic: Traffic,
    goal: erlang_c::Goal,
}

fn cases(count: usize, max_load: f64) -> Vec<Case> {
    let mut rng = Pcg64Mcg::seed_from_u64(2024);
    (0..count)
        .map(|_| {
            let load = (rng.gen_range(0.5f64.ln()..max_load.ln())).exp();
            let aht = rng.gen_range(60.0..600.0);
            let t = rng.gen_range(10.0..60.0);
            let sl = rng.gen_range(0.8..0.95);
            Case {
                traffic: Traffic::new(load * 1800.0 / aht, 1800.0, aht).expect("valid"),
                goal: erlang_c::Goal {
                    answer_within: Seconds::new("t", t).expect("valid"),
                    service_level: Some(Probability::new("sl", sl).expect("valid")),
                    asa: None,
                    max_occupancy: None,
                },
            }
        })
        .collect()
}

#[divan::bench(sample_count = 20)]
fn erlang_c_sweep_10k(bencher: divan::Bencher) {
    let cases = cases(10_000, 2000.0);
    bencher
        .counter(divan::counter::ItemsCount::new(cases.len()))
        .bench(|| {
            let mut total = 0u64;
            for case in &cases {
                total += u64::from(
                    erlang_c::solve(&case.traffic, &case.goal)
                        .expect("solvable")
                        .agents,
                );
            }
            total
        });
}

#[divan::bench(sample_count = 10)]
fn erlang_a_sweep_100(bencher: divan::Bencher) {
    let cases = cases(100, 500.0);
    let patience = Seconds::positive("patience", 120.0).expect("valid");
    bencher
        .counter(divan::counter::ItemsCount::new(cases.len()))
        .bench(|| {
            let mut total = 0u64;
            for case in &cases {
                let goal = erlang_a::Goal {
                    answer_within: case.goal.answer_within,
                    service_level: case.goal.service_level,
                    sl_basis: erlang_a::SlBasis::Offered,
                    max_abandon: None,
                    asa: None,
                    max_occupancy: None,
                };
                total += u64::from(
                    erlang_a::solve(&case.traffic, patience, &goal)
                        .expect("solvable")
                        .agents,
                );
            }
            total
        });
}

#[divan::bench]
fn erlang_b_solve_1000_erlangs() -> u32 {
    erlang_b::solve(
        divan::black_box(Erlangs::new("load", 1000.0).expect("valid")),
        Probability::new("b", 0.01).expect("valid"),
    )
    .expect("solvable")
    .lines
}
