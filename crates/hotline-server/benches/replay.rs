//! What a restart costs per logged entry: rebuilding the engine and the tracker from a
//! recorded log (`Live::replay`), and decoding entries from their stored JSON.
//!
//! `cargo bench -p hotline-server --bench replay`
//!
//! The log is a synthetic busy day: 150 agents in 5 queues, callers arriving, rung,
//! answered, ended, wrapped up, some hanging up, with the engine's own ticks.

use divan::counter::ItemsCount;
use divan::Bencher;
use hotline_routing::{
    AgentConfig, AgentId, ContactId, ContactState, Event, GroupId, Proficiency, QueueConfig,
    QueueId, RoutingConfig, SkillId, Span, Time, WrapUp,
};
use hotline_server::runtime::entry::{Attributes, ContactDetails, Entry, LoggedEntry};
use hotline_server::runtime::tracker::Effects;
use hotline_server::runtime::Live;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

fn main() {
    divan::main();
}

fn config() -> RoutingConfig {
    let mut queues = Vec::new();
    for q in 0..5 {
        let mut c = QueueConfig::new(QueueId(q), SkillId(q));
        c.wrap_up = Some(WrapUp::Manual);
        queues.push(c);
    }
    let agents = (0..150)
        .map(|a| {
            AgentConfig::new(
                AgentId(a),
                GroupId(a % 5),
                vec![
                    (SkillId(a % 5), Proficiency::MAX),
                    (SkillId((a + 1) % 5), Proficiency::MIN),
                ],
            )
        })
        .collect();
    RoutingConfig {
        queues,
        agents,
        ring_timeout: Some(Span::from_secs(20)),
        ..RoutingConfig::default()
    }
}

/// Records a log of `n` entries by driving a live engine.
fn record(n: usize) -> Vec<LoggedEntry> {
    let mut live = Live::new(config(), Time::ZERO).expect("valid config");
    let mut rng = Pcg64::seed_from_u64(4);
    let mut log = Vec::with_capacity(n);
    let mut now = Time::from_secs(1);
    let mut next = 1u64;
    let push = |live: &mut Live, log: &mut Vec<LoggedEntry>, at: Time, entry: Entry| {
        let mut fx = Effects::default();
        if live.apply(at, &entry, &mut fx).is_ok() {
            live.seq += 1;
            log.push(LoggedEntry {
                seq: live.seq,
                at,
                entry,
            });
        }
    };
    for a in 0..150 {
        push(
            &mut live,
            &mut log,
            now,
            Entry::Engine {
                event: Event::AgentLoggedIn { agent: AgentId(a) },
            },
        );
        push(
            &mut live,
            &mut log,
            now,
            Entry::Engine {
                event: Event::AgentReady { agent: AgentId(a) },
            },
        );
    }
    while log.len() < n {
        now += Span::from_millis(rng.gen_range(10..200));
        while let Some(d) = live.engine.next_deadline() {
            if d > now {
                break;
            }
            let at = d.max(live.engine.now());
            push(
                &mut live,
                &mut log,
                at,
                Entry::Engine { event: Event::Tick },
            );
        }
        let mut attributes = Attributes::new();
        attributes.insert("language".into(), "zh-CN".into());
        let entry = match rng.gen_range(0..10) {
            0..=3 => {
                next += 1;
                Entry::Arrived {
                    contact: ContactId(next),
                    queue: QueueId(rng.gen_range(0..5)),
                    priority_boost: 0,
                    details: ContactDetails {
                        customer_id: Some(format!("13{:09}", rng.gen_range(0..1_000_000_000u32))),
                        attributes,
                        ..ContactDetails::default()
                    },
                }
            }
            _ => {
                // Move one agent's work along.
                let a = AgentId(rng.gen_range(0..150));
                let Some(view) = live.engine.agent(a) else {
                    continue;
                };
                match view.contacts.first() {
                    Some(h) => match h.phase {
                        hotline_routing::Phase::Offered => Entry::Engine {
                            event: Event::OfferAccepted {
                                agent: a,
                                contact: h.contact,
                            },
                        },
                        hotline_routing::Phase::Connected => Entry::Engine {
                            event: Event::ContactEnded { contact: h.contact },
                        },
                        hotline_routing::Phase::WrapUp => Entry::Engine {
                            event: Event::WrapUpDone {
                                agent: a,
                                contact: h.contact,
                            },
                        },
                    },
                    None => {
                        // A waiting caller gives up now and then; idle agents get ready.
                        let waiting = live
                            .engine
                            .contacts()
                            .find(|c| c.state == ContactState::Waiting)
                            .map(|c| c.id);
                        match waiting {
                            Some(c) if rng.gen_bool(0.3) => Entry::Engine {
                                event: Event::ContactAbandoned { contact: c },
                            },
                            _ => Entry::Engine {
                                event: Event::AgentReady { agent: a },
                            },
                        }
                    }
                }
            }
        };
        push(&mut live, &mut log, now, entry);
    }
    log
}

/// Rebuilding the engine and the tracker from the log.
#[divan::bench(args = [100_000], sample_count = 5, sample_size = 1)]
fn replay(bencher: Bencher, n: usize) {
    let log = record(n);
    bencher
        .counter(ItemsCount::new(log.len()))
        .with_inputs(|| Live::new(config(), Time::ZERO).expect("valid config"))
        .bench_local_values(|mut live| {
            let mut fx = Effects::default();
            for e in &log {
                live.replay(e, &mut fx).expect("the log replays");
            }
            (live, fx.records.len())
        });
}

/// Decoding the entries from the JSON the event log stores.
#[divan::bench(args = [100_000], sample_count = 5, sample_size = 1)]
fn decode(bencher: Bencher, n: usize) {
    let json: Vec<serde_json::Value> = record(n)
        .iter()
        .map(|e| serde_json::to_value(&e.entry).expect("encodes"))
        .collect();
    bencher
        .counter(ItemsCount::new(json.len()))
        .bench_local(|| {
            let entries: Vec<Entry> = json
                .iter()
                .map(|v| serde_json::from_value(v.clone()).expect("decodes"))
                .collect();
            entries
        });
}
