//! Engine throughput: recorded workloads replayed through `Engine::handle`.
//!
//! `cargo bench -p hotline-routing --bench engine`
//! (per-call latency percentiles: `cargo run --release -p hotline-routing --example latency`)

use divan::counter::ItemsCount;
use divan::Bencher;

#[path = "workload/mod.rs"]
mod workload;

fn main() {
    divan::main();
}

const EVENTS: usize = 1_000_000;

/// 10,000 agents, 1,000 queues, ~100,000 waiting contacts, mixed events.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn large_center(bencher: Bencher) {
    let w = workload::large(EVENTS, 7);
    bencher
        .counter(ItemsCount::new(w.trace.len()))
        .with_inputs(|| {
            let mut engine = w.base.clone();
            engine.reserve(2 * engine.live_contacts() + 1024);
            engine
        })
        .bench_local_values(|mut engine| {
            let n = w.replay(&mut engine);
            (engine, n)
        });
}

/// One queue at 90% load with c agents (the simulator's M/M/c+M case).
#[divan::bench(args = [50, 2000], sample_count = 5, sample_size = 1)]
fn single_queue(bencher: Bencher, agents: u32) {
    let w = workload::single_queue(agents, 0.9, EVENTS, 11);
    bencher
        .counter(ItemsCount::new(w.trace.len()))
        .with_inputs(|| {
            let mut engine = w.base.clone();
            engine.reserve(2 * engine.live_contacts() + 1024);
            engine
        })
        .bench_local_values(|mut engine| {
            let n = w.replay(&mut engine);
            (engine, n)
        });
}
