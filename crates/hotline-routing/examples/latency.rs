//! Per-call latency of `Engine::handle` and throughput, on the benchmark workloads.
//!
//! `cargo run --release -p hotline-routing --example latency [events] [large|c50|c2000]`
//!
//! With `HOTLINE_REPLAYS=n` set, the chosen workloads are also replayed n more times
//! without timing each call (for profiling the replay alone).
//!
//! Each recorded event is replayed once and timed on its own with `Instant`; the figures
//! are percentiles over all calls (the clock's own cost, ~20 ns, is included).

use std::time::Instant;

#[path = "../benches/workload/mod.rs"]
mod workload;

fn report(w: &workload::Workload) {
    let mut engine = w.base.clone();
    // A clone has no spare capacity; without this the first new contact copies the
    // whole contact store (a one-off stall of a few milliseconds, as when a live engine
    // first grows past a size it has never reached).
    engine.reserve(2 * engine.live_contacts() + 1024);
    let mut nanos: Vec<u64> = Vec::with_capacity(w.trace.len());
    let started = Instant::now();
    for &(event, at) in &w.trace {
        let t0 = Instant::now();
        let out = engine.handle(event, at).expect("recorded events are valid");
        std::hint::black_box(out);
        nanos.push(t0.elapsed().as_nanos() as u64);
    }
    let total = started.elapsed();
    // Mean cost by event kind.
    let mut kinds: Vec<(&'static str, u64, u64)> = Vec::new();
    for (&(event, _), &ns) in w.trace.iter().zip(&nanos) {
        match kinds.iter_mut().find(|(n, _, _)| *n == event.name()) {
            Some(k) => {
                k.1 += 1;
                k.2 += ns;
            }
            None => kinds.push((event.name(), 1, ns)),
        }
    }
    kinds.sort_by_key(|k| std::cmp::Reverse(k.2));
    // Throughput without the per-call clock reads.
    let mut engine = w.base.clone();
    let t0 = Instant::now();
    std::hint::black_box(w.replay(&mut engine));
    let bare = t0.elapsed();
    let mut slowest: Vec<(u64, usize)> = nanos.iter().copied().zip(0..).collect();
    slowest.sort_unstable_by_key(|&(ns, _)| std::cmp::Reverse(ns));
    let slowest: Vec<String> = slowest[..5]
        .iter()
        .map(|&(ns, i)| format!("#{i} {} {}us", w.trace[i].0.name(), ns / 1000))
        .collect();
    nanos.sort_unstable();
    let pct = |p: f64| nanos[((nanos.len() - 1) as f64 * p).round() as usize];
    println!("{}", w.name);
    println!(
        "  events {}  waiting at start {}  at end {}",
        w.trace.len(),
        w.waiting_start,
        w.waiting_end
    );
    let mix: Vec<String> = w.mix().iter().map(|(n, c)| format!("{n} {c}")).collect();
    println!("  mix: {}", mix.join(", "));
    println!(
        "  throughput {:.2} M events/s (timed loop {:.2} M/s)",
        w.trace.len() as f64 / bare.as_secs_f64() / 1e6,
        w.trace.len() as f64 / total.as_secs_f64() / 1e6
    );
    let by_kind: Vec<String> = kinds
        .iter()
        .map(|(n, c, ns)| format!("{n} {}", ns / c))
        .collect();
    println!("  mean ns by kind: {}", by_kind.join(", "));
    println!("  slowest calls: {}", slowest.join(", "));
    println!(
        "  latency ns: p50 {}  p90 {}  p99 {}  p99.9 {}  max {}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(0.999),
        nanos[nanos.len() - 1]
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args
        .next()
        .map(|s| s.parse().expect("events: a positive integer"))
        .unwrap_or(1_000_000);
    let only = args.next();
    let replays: usize = std::env::var("HOTLINE_REPLAYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut loads = Vec::new();
    if wanted("large") {
        loads.push(workload::large(events, 7));
    }
    if wanted("c50") {
        loads.push(workload::single_queue(50, 0.9, events, 11));
    }
    if wanted("c2000") {
        loads.push(workload::single_queue(2000, 0.9, events, 11));
    }
    for w in &loads {
        report(w);
        for _ in 0..replays {
            let mut engine = w.base.clone();
            std::hint::black_box(w.replay(&mut engine));
        }
        let mut engine = w.base.clone();
        w.replay(&mut engine);
        println!("  timer entries at end {}", engine.timer_entries());
    }
}
