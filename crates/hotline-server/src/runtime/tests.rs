//! The routing task's durability rules, with a journal that can stall and fail on demand.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hotline_routing::{
    AgentConfig, AgentId, ContactId, Decision, Event, GroupId, Proficiency, QueueConfig, QueueId,
    RoutingConfig, SkillId, Span, WrapUp,
};

use super::entry::{ContactDetails, Entry, LoggedEntry};
use super::tracker::{ContactRecord, RecordOutcome, Spell};
use super::{start, ApplyError, Genesis, Input, Journal, JournalError, RuntimeSettings, Status};

#[derive(Default)]
struct MemJournal {
    genesis: Mutex<Option<Genesis>>,
    entries: Mutex<Vec<LoggedEntry>>,
    records: Mutex<Vec<ContactRecord>>,
    spells: Mutex<Vec<Spell>>,
    /// Appends fail while this is above zero (each failure counts it down).
    failures: AtomicU32,
    /// Appends wait while the test holds the write lock.
    gate: tokio::sync::RwLock<()>,
    /// Sizes of the committed batches.
    batches: Mutex<Vec<usize>>,
    /// Reading the log fails while set (the database is gone).
    unreadable: std::sync::atomic::AtomicBool,
}

impl Journal for MemJournal {
    async fn genesis(&self) -> Result<Option<Genesis>, JournalError> {
        Ok(self.genesis.lock().unwrap().clone())
    }

    async fn save_genesis(&self, genesis: &Genesis) -> Result<(), JournalError> {
        *self.genesis.lock().unwrap() = Some(genesis.clone());
        Ok(())
    }

    async fn entries(&self, after: u64, limit: usize) -> Result<Vec<LoggedEntry>, JournalError> {
        if self.unreadable.load(Ordering::SeqCst) {
            return Err(JournalError("connection refused".into()));
        }
        let entries = self.entries.lock().unwrap();
        Ok(entries
            .iter()
            .filter(|e| e.seq > after)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn append(&self, entries: &[LoggedEntry]) -> Result<(), JournalError> {
        let _open = self.gate.read().await;
        if self
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(JournalError("disk full".into()));
        }
        let mut log = self.entries.lock().unwrap();
        let next = log.last().map_or(1, |e| e.seq + 1);
        if entries.first().map(|e| e.seq) != Some(next) {
            return Err(JournalError(format!("expected seq {next}")));
        }
        log.extend_from_slice(entries);
        self.batches.lock().unwrap().push(entries.len());
        Ok(())
    }

    async fn store_effects(
        &self,
        records: &[ContactRecord],
        spells: &[Spell],
    ) -> Result<(), JournalError> {
        self.records.lock().unwrap().extend_from_slice(records);
        self.spells.lock().unwrap().extend_from_slice(spells);
        Ok(())
    }

    async fn restore_effects(
        &self,
        records: &[ContactRecord],
        _: &[Spell],
    ) -> Result<(), JournalError> {
        let mut stored = self.records.lock().unwrap();
        for r in records {
            if !stored.iter().any(|s| s.contact == r.contact) {
                stored.push(r.clone());
            }
        }
        Ok(())
    }
}

fn config(wrap_up: WrapUp, ring: Option<Span>) -> RoutingConfig {
    let mut q = QueueConfig::new(QueueId(1), SkillId(1));
    q.wrap_up = Some(wrap_up);
    RoutingConfig {
        queues: vec![q],
        agents: (1..=3)
            .map(|i| AgentConfig::new(AgentId(i), GroupId(1), vec![(SkillId(1), Proficiency::MAX)]))
            .collect(),
        ring_timeout: ring,
        ..RoutingConfig::default()
    }
}

fn arrive(customer: &str) -> Input {
    Input::Arrive {
        queue: QueueId(1),
        priority_boost: 0,
        details: ContactDetails {
            customer_id: Some(customer.into()),
            ..ContactDetails::default()
        },
        estimate: false,
    }
}

fn ev(e: Event) -> Input {
    Input::Event(e)
}

#[tokio::test]
async fn an_event_is_acknowledged_only_after_its_batch_commits() {
    let journal = Arc::new(MemJournal::default());
    let (rt, _task) = start(
        journal.clone(),
        config(WrapUp::Manual, None),
        RuntimeSettings::default(),
    )
    .await
    .unwrap();
    let held = journal.gate.write().await;
    let pending = tokio::spawn({
        let rt = rt.clone();
        async move { rt.apply(arrive("C-1")).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!pending.is_finished(), "acknowledged before the commit");
    assert!(journal.entries.lock().unwrap().is_empty());
    // Applied to the engine already (queries see it), not yet durable.
    let live = rt.query(|l, _| l.engine.live_contacts()).await.unwrap();
    assert_eq!(live, 1);
    drop(held);
    let applied = pending.await.unwrap().unwrap();
    assert_eq!(applied.seq, 1);
    assert_eq!(applied.contact_id, Some(ContactId(1)));
    assert_eq!(journal.entries.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn events_arriving_during_a_commit_share_the_next_one() {
    let journal = Arc::new(MemJournal::default());
    let (rt, _task) = start(
        journal.clone(),
        config(WrapUp::Manual, None),
        RuntimeSettings::default(),
    )
    .await
    .unwrap();
    rt.apply(arrive("first")).await.unwrap();
    let held = journal.gate.write().await;
    let one = tokio::spawn({
        let rt = rt.clone();
        async move { rt.apply(arrive("blocked")).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let many: Vec<_> = (0..100)
        .map(|i| {
            let rt = rt.clone();
            tokio::spawn(async move { rt.apply(arrive(&format!("c{i}"))).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(held);
    one.await.unwrap().unwrap();
    for h in many {
        h.await.unwrap().unwrap();
    }
    // The first alone, the one that found the writer idle alone, then the 100 that
    // queued behind it in one transaction.
    assert_eq!(*journal.batches.lock().unwrap(), vec![1, 1, 100]);
    let seqs: Vec<u64> = journal
        .entries
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=102).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_refused_event_changes_nothing_and_is_not_logged() {
    let journal = Arc::new(MemJournal::default());
    let (rt, _task) = start(
        journal.clone(),
        config(WrapUp::Manual, None),
        RuntimeSettings::default(),
    )
    .await
    .unwrap();
    let err = rt
        .apply(ev(Event::OfferAccepted {
            agent: AgentId(1),
            contact: ContactId(5),
        }))
        .await
        .unwrap_err();
    assert!(matches!(err, ApplyError::Refused(_)), "{err:?}");
    let err = rt
        .apply(ev(Event::AgentReady { agent: AgentId(9) }))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "unknown agent agent#9");
    assert!(journal.entries.lock().unwrap().is_empty());
    let applied = rt
        .apply(ev(Event::AgentLoggedIn { agent: AgentId(1) }))
        .await
        .unwrap();
    assert_eq!(applied.seq, 1, "refusals use no sequence number");
}

#[tokio::test]
async fn a_failed_write_is_reported_and_the_engine_is_rebuilt_from_the_log() {
    let journal = Arc::new(MemJournal::default());
    let (rt, _task) = start(
        journal.clone(),
        config(WrapUp::Manual, None),
        RuntimeSettings::default(),
    )
    .await
    .unwrap();
    rt.apply(arrive("kept")).await.unwrap();
    journal.failures.store(3, Ordering::SeqCst); // the append and both retries
    let err = rt.apply(arrive("lost")).await.unwrap_err();
    assert!(matches!(err, ApplyError::Unavailable(_)), "{err:?}");
    assert_eq!(rt.ready().await, Status::Ready);
    // The engine holds exactly what the log holds: the unacknowledged arrival is gone.
    let (live, next) = rt
        .query(|l, _| (l.engine.live_contacts(), l.next_contact))
        .await
        .unwrap();
    assert_eq!((live, next), (1, 2));
    let again = rt.apply(arrive("again")).await.unwrap();
    assert_eq!((again.seq, again.contact_id), (2, Some(ContactId(2))));
}

#[tokio::test]
async fn a_stop_ends_the_rebuild_retries_while_the_database_is_gone() {
    let journal = Arc::new(MemJournal::default());
    let (rt, task) = start(
        journal.clone(),
        config(WrapUp::Manual, None),
        RuntimeSettings::default(),
    )
    .await
    .unwrap();
    rt.apply(arrive("kept")).await.unwrap();
    journal.unreadable.store(true, Ordering::SeqCst);
    journal.failures.store(u32::MAX, Ordering::SeqCst);
    let err = rt.apply(arrive("lost")).await.unwrap_err();
    assert!(matches!(err, ApplyError::Unavailable(_)), "{err:?}");
    // Still answering while it retries: events are refused at once, queries served.
    let refused = tokio::time::timeout(Duration::from_secs(2), rt.apply(arrive("during")))
        .await
        .expect("an event during the rebuild is answered, not queued")
        .unwrap_err();
    assert!(
        matches!(&refused, ApplyError::Unavailable(m) if m.contains("rebuilding")),
        "{refused:?}"
    );
    assert_eq!(rt.status(), Status::Recovering);
    let live = tokio::time::timeout(Duration::from_secs(2), rt.query(|l, _| l.seq))
        .await
        .unwrap()
        .unwrap();
    assert!(live >= 1);
    // SIGTERM's path: the stop is acknowledged and the task ends, retries or not.
    tokio::time::timeout(Duration::from_secs(5), rt.stop())
        .await
        .expect("stop acknowledged during the rebuild");
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("routing task ended")
        .unwrap();
}

/// Drives a day in miniature, returns the engine's observable state.
async fn observable(rt: &super::RuntimeHandle) -> String {
    rt.query(|l, now| {
        let agents: Vec<_> = l.engine.agents().collect();
        let contacts: Vec<_> = l.engine.contacts().collect();
        let stats = l.engine.queue_stats(QueueId(1), now).unwrap();
        format!(
            "{agents:?}\n{contacts:?}\n{:?} {:?} {:?} {:?}\nnext={} seq={} open={} deadline={:?}",
            stats.entered,
            stats.answered,
            stats.abandoned,
            stats.handled,
            l.next_contact,
            l.seq,
            l.tracker.open(),
            l.engine.next_deadline(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_restart_rebuilds_the_same_engine_from_the_log() {
    let journal = Arc::new(MemJournal::default());
    let cfg = config(
        WrapUp::Fixed(Span::from_millis(30)),
        Some(Span::from_millis(40)),
    );
    let (rt, task) = start(journal.clone(), cfg.clone(), RuntimeSettings::default())
        .await
        .unwrap();
    for a in 1..=3 {
        rt.apply(ev(Event::AgentLoggedIn { agent: AgentId(a) }))
            .await
            .unwrap();
    }
    rt.apply(ev(Event::AgentReady { agent: AgentId(1) }))
        .await
        .unwrap();
    rt.apply(ev(Event::AgentReady { agent: AgentId(2) }))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            rt.apply(arrive(&format!("c{i}")))
                .await
                .unwrap()
                .contact_id
                .unwrap(),
        );
    }
    // Agent 1 answers, agent 2 lets it ring out (a Tick at the ring timeout).
    rt.apply(ev(Event::OfferAccepted {
        agent: AgentId(1),
        contact: ids[0],
    }))
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(120)).await;
    rt.apply(ev(Event::ContactEnded { contact: ids[0] }))
        .await
        .unwrap();
    rt.apply(ev(Event::ContactAbandoned { contact: ids[4] }))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(80)).await; // wrap-up ends by a Tick
    let before = observable(&rt).await;
    rt.stop().await;
    task.await.unwrap();
    assert!(
        journal
            .entries
            .lock()
            .unwrap()
            .iter()
            .any(|e| e.entry == Entry::Engine { event: Event::Tick }),
        "timers are logged as ticks"
    );
    let (rt2, _task2) = start(journal.clone(), cfg, RuntimeSettings::default())
        .await
        .unwrap();
    assert_eq!(observable(&rt2).await, before);
    let next = rt2.apply(arrive("after restart")).await.unwrap();
    assert_eq!(next.contact_id, Some(ContactId(6)));
}

#[tokio::test]
async fn timers_fire_at_their_deadline_and_records_follow_the_contact() {
    let journal = Arc::new(MemJournal::default());
    let cfg = config(WrapUp::Manual, Some(Span::from_millis(50)));
    let (rt, _task) = start(journal.clone(), cfg, RuntimeSettings::default())
        .await
        .unwrap();
    rt.apply(ev(Event::AgentLoggedIn { agent: AgentId(1) }))
        .await
        .unwrap();
    rt.apply(ev(Event::AgentReady { agent: AgentId(1) }))
        .await
        .unwrap();
    let offered = rt.apply(arrive("C-42")).await.unwrap();
    let c = offered.contact_id.unwrap();
    assert!(offered.decisions.iter().any(|d| matches!(
        d,
        Decision::Offer {
            agent: AgentId(1),
            ..
        }
    )));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let tick = journal
        .entries
        .lock()
        .unwrap()
        .iter()
        .find(|e| e.entry == Entry::Engine { event: Event::Tick })
        .cloned()
        .expect("the ring timeout was logged");
    assert_eq!(
        tick.at,
        offered.at + Span::from_millis(50),
        "the tick carries the deadline itself"
    );
    // Rang out: back in line, agent not ready. Ready again: offered again, answered.
    rt.apply(ev(Event::AgentReady { agent: AgentId(1) }))
        .await
        .unwrap();
    rt.apply(ev(Event::OfferAccepted {
        agent: AgentId(1),
        contact: c,
    }))
    .await
    .unwrap();
    let ended = rt
        .apply(ev(Event::ContactEnded { contact: c }))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(60)).await; // the writer's idle flush
    assert!(
        journal.records.lock().unwrap().is_empty(),
        "no record before the wrap-up ends"
    );
    let done = rt
        .apply(ev(Event::WrapUpDone {
            agent: AgentId(1),
            contact: c,
        }))
        .await
        .unwrap();
    // Records follow the acknowledgement, off its path.
    for _ in 0..100 {
        if !journal.records.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let records = journal.records.lock().unwrap().clone();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.contact, c);
    assert_eq!(r.details.customer_id.as_deref(), Some("C-42"));
    assert_eq!(r.outcome, RecordOutcome::Answered);
    assert_eq!((r.offers, r.ring_no_answers), (2, 1));
    assert_eq!(r.agent, Some(AgentId(1)));
    assert_eq!(r.ended_at, ended.at);
    assert_eq!(r.wrap_up_ended_at, Some(done.at));
    assert_eq!(r.wrap_up_ms, done.at.since(ended.at).as_millis());
    assert_eq!(
        r.talk_ms,
        ended.at.since(r.answered_at.unwrap()).as_millis()
    );
    assert_eq!(
        r.wait_ms,
        r.answered_at.unwrap().since(r.arrived_at).as_millis()
    );
    // The agent's spells: logged in (not ready), ready, offered, not ready (no answer), ...
    let spells = journal.spells.lock().unwrap().clone();
    assert!(spells
        .iter()
        .all(|s| s.agent == AgentId(1) && s.from < s.to));
    assert!(
        spells.windows(2).all(|w| w[0].to == w[1].from),
        "{spells:?}"
    );
}
