//! One pass of the scorecard over a large record set: every owner's KPI values for three
//! months from 1,000,000 contact records (a record every 7 s for 81 days) and the
//! scoring of the telecom example's org.
//!
//! `cargo bench -p hotline-scorecard --bench scorecard`

use hotline_metrics::{
    AgentStateInterval, Channel, ContactRecord, DurationMs, Outcome, TimestampMs,
};
use hotline_scorecard::{evaluate, resolve, Definition, Level, Org, Period, Resolved};

fn main() {
    divan::main();
}

struct Input {
    resolved: Resolved,
    records: Vec<ContactRecord>,
    periods: Vec<Period>,
    tz: jiff::tz::TimeZone,
}

fn input(n: i64) -> Input {
    let org = Org::from_toml(include_str!("../examples/telecom-org.toml")).expect("example org");
    let resolved = resolve(&Definition::telecom_example(), &org).expect("example resolves");
    let agents: Vec<String> = resolved
        .scorecards
        .iter()
        .filter(|s| s.owner.key.level == Level::Agent)
        .map(|s| s.owner.key.id.clone())
        .collect();
    let queues = [
        "gold_club",
        "billing",
        "faults",
        "service_requests",
        "complaints",
    ];
    // 2023-12-31T16:00Z: midnight of 1 January in Shanghai.
    let base = 1_704_038_400_000_i64;
    let records = (0..n)
        .map(|i| {
            let arrived = TimestampMs(base + i * 7_000);
            let agent = (i % 11 != 0).then(|| agents[(i % agents.len() as i64) as usize].clone());
            let wait = DurationMs((i % 40) * 1000);
            let talk = DurationMs((200 + i % 300) * 1000);
            let answered = agent.as_ref().map(|_| TimestampMs(arrived.0 + wait.0));
            let ended = TimestampMs(arrived.0 + wait.0 + if agent.is_some() { talk.0 } else { 0 });
            ContactRecord {
                contact_id: format!("c{i}"),
                queue: queues[(i % 5) as usize].into(),
                channel: Channel::Voice,
                customer: String::new(),
                outcome: if agent.is_some() {
                    Outcome::Answered
                } else {
                    Outcome::Abandoned
                },
                agent,
                team: None,
                arrived_at: arrived,
                answered_at: answered,
                ended_at: ended,
                wrap_up_end_at: answered.map(|_| TimestampMs(ended.0 + 20_000)),
                wait,
                talk: if answered.is_some() {
                    talk
                } else {
                    DurationMs::ZERO
                },
                hold: DurationMs::ZERO,
                wrap_up: if answered.is_some() {
                    DurationMs(20_000)
                } else {
                    DurationMs::ZERO
                },
                transfers: 0,
                attributes: serde_json::Map::new(),
            }
        })
        .collect();
    Input {
        resolved,
        records,
        periods: Period::month(2024, 3).expect("a month").trailing(3),
        tz: jiff::tz::TimeZone::get("Asia/Shanghai").expect("bundled zone"),
    }
}

#[divan::bench(args = [100_000, 1_000_000], sample_count = 5)]
fn evaluate_three_months(bencher: divan::Bencher, n: i64) {
    let input = input(n);
    let states: Vec<AgentStateInterval> = Vec::new();
    bencher.bench(|| {
        evaluate(
            &input.resolved,
            &input.periods,
            &input.tz,
            &input.records,
            &states,
        )
        .expect("evaluates")
    });
}
