//! Write throughput of the store on SQLite with the production settings (WAL,
//! `synchronous=FULL`: every commit waits for fsync), on a real file on disk.
//!
//! `cargo bench -p hotline-store --bench store`
//!
//! - `append_events`: one `append_events` call (one transaction, one fsync) per
//!   iteration with `batch` events; divan's item throughput is events per second. Batch 1
//!   is the cost of committing every event on its own; larger batches are what the
//!   server's group commit achieves under load.
//! - `insert_contact_records`: one `insert_contact_records` call per iteration.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use hotline_store::*;
use serde_json::json;
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

/// A store on a fresh SQLite file under /var/tmp (a disk, not tmpfs, so fsync is real).
fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::Builder::new()
        .prefix("hotline-store-bench")
        .tempdir_in("/var/tmp")
        .expect("temporary directory");
    let path = dir.path().join("hotline.db");
    let store = runtime()
        .block_on(Store::connect(path.to_str().expect("utf-8 path")))
        .expect("open the store");
    (store, dir)
}

/// A payload the size of a real routing event (a contact arrival with attributes).
fn event(i: i64) -> NewLoggedEvent {
    NewLoggedEvent {
        occurred_at: TimestampMs(1_700_000_000_000 + i),
        kind: "contact_arrived".into(),
        payload: json!({
            "contact": format!("c-{i}"),
            "queue": 3,
            "channel": "voice",
            "customer": format!("cust-{}", i % 10_000),
            "attributes": {"vip": i % 10 == 0, "language": "es"},
        }),
    }
}

#[divan::bench(args = [1, 10, 100, 1000], sample_count = 30)]
fn append_events(bencher: Bencher, batch: usize) {
    let (store, _dir) = sqlite_store();
    let events: Vec<NewLoggedEvent> = (0..batch as i64).map(event).collect();
    bencher.counter(ItemsCount::new(batch)).bench_local(|| {
        runtime()
            .block_on(store.append_events(&events))
            .expect("append")
    });
}

#[divan::bench(args = [1, 100, 1000], sample_count = 30)]
fn insert_contact_records(bencher: Bencher, batch: usize) {
    let (store, _dir) = sqlite_store();
    let (queue, agent) = runtime().block_on(setup_center(&store));
    let next = AtomicI64::new(0);
    bencher
        .counter(ItemsCount::new(batch))
        .with_inputs(|| {
            let start = next.fetch_add(batch as i64, Ordering::Relaxed);
            (start..start + batch as i64)
                .map(|i| record(i, queue, agent))
                .collect::<Vec<_>>()
        })
        .bench_local_refs(|records| {
            let n = runtime()
                .block_on(store.insert_contact_records(records))
                .expect("insert");
            assert_eq!(n, records.len() as u64);
        });
}

async fn setup_center(store: &Store) -> (QueueId, PersonId) {
    let skill = store
        .create_skill(&NewSkill {
            name: "billing".into(),
            description: String::new(),
        })
        .await
        .expect("skill");
    let queue = store
        .create_queue(&QueueSettings {
            name: "Billing".into(),
            channel: Channel::Voice,
            skill_id: skill.id,
            min_proficiency: Proficiency::MIN,
            base_priority: 0,
            aging_points_per_s: 0.0,
            aging_cap: None,
            service_level_threshold_s: 20,
            target_service_level_pct: 80.0,
            wrap_up: WrapUp::Fixed { seconds: 30 },
            expected_handle_time_s: None,
            routing_steps: Vec::new(),
        })
        .await
        .expect("queue");
    let agent = store
        .create_person(&NewPerson {
            username: "agent001".into(),
            display_name: "Agent 1".into(),
            role: Role::Agent,
            tier: Tier::Junior,
            team_id: None,
            active: true,
            password_hash: None,
        })
        .await
        .expect("person");
    (queue.id, agent.id)
}

fn record(i: i64, queue: QueueId, agent: PersonId) -> ContactRecord {
    let arrived = 1_700_000_000_000 + i * 1_000;
    ContactRecord {
        contact_id: format!("contact-{i:010}"),
        queue_id: queue,
        channel: Channel::Voice,
        customer_id: format!("cust-{}", i % 10_000),
        agent_id: Some(agent),
        arrived_at: TimestampMs(arrived),
        answered_at: Some(TimestampMs(arrived + 12_000)),
        ended_at: TimestampMs(arrived + 192_000),
        wrap_up_end_at: Some(TimestampMs(arrived + 222_000)),
        outcome: Outcome::Answered,
        wait_ms: DurationMs(12_000),
        talk_ms: DurationMs(170_000),
        hold_ms: DurationMs(10_000),
        wrap_up_ms: DurationMs(30_000),
        transfers: 0,
        attributes: json!({"vip": i % 10 == 0}),
    }
}
