//! How long one pass takes (ignored; run in release:
//! `cargo test --release -p hotline-scorecard -- --ignored --nocapture scale`).

use std::time::Instant;

use hotline_metrics::{AgentStateInterval, ContactRecord};
use hotline_scorecard::{evaluate, resolve, Definition, Org, Period};

use crate::common::rec;

#[test]
#[ignore]
fn scale_one_million_records_three_months() {
    let org = Org::from_toml(include_str!("../../examples/telecom-org.toml")).unwrap();
    let r = resolve(&Definition::telecom_example(), &org).unwrap();
    let agents: Vec<String> = r
        .scorecards
        .iter()
        .filter(|s| s.owner.key.level == hotline_scorecard::Level::Agent)
        .map(|s| s.owner.key.id.clone())
        .collect();
    let queues = [
        "gold_club",
        "billing",
        "faults",
        "service_requests",
        "complaints",
    ];
    let base = jiff::Timestamp::from_second(1_704_038_400).unwrap(); // 2023-12-31T16:00Z
    let n = 1_000_000;
    let records: Vec<ContactRecord> = (0..n)
        .map(|i: i64| {
            let t = base
                .checked_add(jiff::SignedDuration::from_secs(i * 7))
                .unwrap();
            let agent = (i % 11 != 0).then(|| agents[(i % agents.len() as i64) as usize].as_str());
            rec(
                "x",
                queues[(i % 5) as usize],
                agent,
                &t.to_string(),
                i % 40,
                200 + i % 300,
                20,
                0,
            )
        })
        .collect();
    let states: Vec<AgentStateInterval> = Vec::new();
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let periods = Period::month(2024, 3).unwrap().trailing(3);
    let t0 = Instant::now();
    let eval = evaluate(&r, &periods, &tz, &records, &states).unwrap();
    let dt = t0.elapsed();
    println!(
        "{} records ({} in the periods), {} owners × {} periods: {:.2?} ({:.0} records/s)",
        n,
        eval.stats.records,
        r.scorecards.len(),
        periods.len(),
        dt,
        n as f64 / dt.as_secs_f64()
    );
}
