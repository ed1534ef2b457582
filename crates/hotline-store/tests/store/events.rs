//! The durable event log and snapshots.

use hotline_store::*;
use serde_json::json;

use crate::fixtures::*;

fn event(i: i64) -> NewLoggedEvent {
    NewLoggedEvent {
        occurred_at: TimestampMs(1_700_000_000_000 + i),
        kind: if i % 2 == 0 {
            "contact_arrived"
        } else {
            "agent.ready"
        }
        .into(),
        payload: json!({"i": i, "name": "José 张", "nested": {"list": [1, 2.5, null, true]}}),
    }
}

both!(
    async fn append_and_replay_in_order(db) {
        let store = db.connect().await;
        assert_eq!(store.last_event_seq().await.unwrap(), Seq::ZERO);
        assert_eq!(store.events_after(Seq::ZERO, 10).await.unwrap(), vec![]);
        assert_eq!(store.append_events(&[]).await.unwrap(), vec![]);

        let first = store.append_events(&[event(0), event(1), event(2)]).await.unwrap();
        assert_eq!(first, vec![Seq(1), Seq(2), Seq(3)]);
        let single = store.append_events(&[event(3)]).await.unwrap();
        assert_eq!(single, vec![Seq(4)]);
        assert_eq!(store.last_event_seq().await.unwrap(), Seq(4));

        let all = store.events_after(Seq::ZERO, 100).await.unwrap();
        assert_eq!(all.len(), 4);
        for (i, e) in all.iter().enumerate() {
            let expected = event(i as i64);
            assert_eq!(e.seq, Seq(i as i64 + 1));
            assert_eq!(e.occurred_at, expected.occurred_at);
            assert_eq!(e.kind, expected.kind);
            assert_eq!(e.payload, expected.payload);
        }
        // Paging: after 1, two at a time.
        let page = store.events_after(Seq(1), 2).await.unwrap();
        assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [Seq(2), Seq(3)]);
        let rest = store.events_after(Seq(3), 2).await.unwrap();
        assert_eq!(rest.iter().map(|e| e.seq).collect::<Vec<_>>(), [Seq(4)]);
        assert_invalid(store.events_after(Seq::ZERO, 0).await, "limit");
        assert_invalid(store.events_after(Seq::ZERO, MAX_REPLAY_BATCH + 1).await, "limit");
    }
);

both!(
    async fn a_large_batch_spans_several_statements(db) {
        let store = db.connect().await;
        let batch: Vec<_> = (0..2_500).map(event).collect();
        let seqs = store.append_events(&batch).await.unwrap();
        assert_eq!(seqs.len(), 2_500);
        assert_eq!(seqs[0], Seq(1));
        assert_eq!(seqs[2_499], Seq(2_500));
        let mut replayed = Vec::new();
        let mut after = Seq::ZERO;
        loop {
            let page = store.events_after(after, 1_000).await.unwrap();
            let done = page.len() < 1_000;
            if let Some(last) = page.last() {
                after = last.seq;
            }
            replayed.extend(page);
            if done {
                break;
            }
        }
        assert_eq!(replayed.len(), 2_500);
        for (i, e) in replayed.iter().enumerate() {
            assert_eq!(e.seq, Seq(i as i64 + 1));
            assert_eq!(e.payload["i"], json!(i));
        }
    }
);

both!(
    async fn a_batch_with_an_invalid_event_writes_nothing(db) {
        let store = db.connect().await;
        store.append_events(&[event(0)]).await.unwrap();
        let mut batch: Vec<_> = (1..2_000).map(event).collect();
        batch[1_500].kind = "Contact Arrived".into();
        assert_invalid(store.append_events(&batch).await, "events[1500].kind");
        batch[1_500].kind = String::new();
        assert_invalid(store.append_events(&batch).await, "events[1500].kind");
        assert_eq!(store.last_event_seq().await.unwrap(), Seq(1));
        assert_eq!(store.events_after(Seq::ZERO, 10_000).await.unwrap().len(), 1);
        // No number was used: the next event is 2.
        assert_eq!(store.append_events(&[event(1)]).await.unwrap(), vec![Seq(2)]);
    }
);

both!(
    async fn concurrent_appenders_get_distinct_gap_free_numbers(db) {
        let store = db.connect().await;
        let mut tasks = Vec::new();
        for t in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut seqs = Vec::new();
                for b in 0..10 {
                    let batch: Vec<_> = (0..5).map(|i| event(t * 1000 + b * 10 + i)).collect();
                    seqs.extend(store.append_events(&batch).await.unwrap());
                }
                seqs
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            let seqs = t.await.unwrap();
            // Each appender's own numbers increase.
            assert!(seqs.windows(2).all(|w| w[0] < w[1]));
            all.extend(seqs);
        }
        all.sort();
        assert_eq!(all, (1..=400).map(Seq).collect::<Vec<_>>());
        let replayed = store.events_after(Seq::ZERO, 1_000).await.unwrap();
        assert_eq!(replayed.len(), 400);
    }
);

both!(
    async fn snapshots_round_trip_and_guard_truncation(db) {
        let store = db.connect().await;
        assert_eq!(store.latest_snapshot().await.unwrap(), None);
        store.append_events(&(0..10).map(event).collect::<Vec<_>>()).await.unwrap();
        let snap = |seq: i64| Snapshot {
            seq: Seq(seq),
            taken_at: TimestampMs(seq * 100),
            data: (0..=255u8).chain([0, 0, seq as u8]).collect(),
        };
        store.save_snapshot(&snap(4)).await.unwrap();
        assert_eq!(store.latest_snapshot().await.unwrap(), Some(snap(4)));
        assert_invalid(store.save_snapshot(&snap(11)).await, "seq");
        assert_invalid(store.save_snapshot(&snap(-1)).await, "seq");

        // Truncation needs a snapshot at or after the cut.
        assert_conflict(store.truncate_events_through(Seq(5)).await, "no snapshot covers event 5");
        assert_eq!(store.truncate_events_through(Seq(4)).await.unwrap(), 4);
        let left = store.events_after(Seq::ZERO, 100).await.unwrap();
        assert_eq!(left.first().map(|e| e.seq), Some(Seq(5)));
        assert_eq!(left.len(), 6);
        // Numbers are never reused after truncation.
        assert_eq!(store.last_event_seq().await.unwrap(), Seq(10));
        assert_eq!(store.append_events(&[event(10)]).await.unwrap(), vec![Seq(11)]);

        // Only the latest KEEP_SNAPSHOTS stay; saving at the same seq replaces.
        for seq in [6, 8, 9, 11] {
            store.save_snapshot(&snap(seq)).await.unwrap();
        }
        let mut replaced = snap(11);
        replaced.data = b"{\"state\":\"json works too\"}".to_vec();
        store.save_snapshot(&replaced).await.unwrap();
        assert_eq!(store.latest_snapshot().await.unwrap(), Some(replaced));
        // Snapshots 4 and 6 are gone; 8 covers a cut through 8, nothing covers 12.
        assert_eq!(store.truncate_events_through(Seq(8)).await.unwrap(), 4);
        assert_conflict(store.truncate_events_through(Seq(12)).await, "no snapshot");
        assert_eq!(KEEP_SNAPSHOTS, 3);
    }
);

both!(
    async fn events_survive_a_reopen_with_their_numbers(db) {
        let store = db.connect().await;
        store.append_events(&(0..100).map(event).collect::<Vec<_>>()).await.unwrap();
        store.save_snapshot(&Snapshot { seq: Seq(100), taken_at: TimestampMs(5), data: vec![1, 2, 3] }).await.unwrap();
        store.truncate_events_through(Seq(50)).await.unwrap();
        drop(store);
        let store = db.connect().await;
        assert_eq!(store.last_event_seq().await.unwrap(), Seq(100));
        assert_eq!(store.latest_snapshot().await.unwrap().unwrap().data, vec![1, 2, 3]);
        assert_eq!(store.events_after(Seq(50), 1000).await.unwrap().len(), 50);
        assert_eq!(store.append_events(&[event(100)]).await.unwrap(), vec![Seq(101)]);
    }
);

both!(
    async fn one_writer_of_the_event_log_at_a_time(db) {
        let first = db.connect().await;
        let second = db.connect().await;
        let lock = first.lock_event_log_writer().await.unwrap();
        let refused = second.lock_event_log_writer().await.unwrap_err();
        let StoreError::Conflict { what } = refused else {
            panic!("expected a conflict, got {refused:?}");
        };
        assert!(what.contains("another Hotline server"), "{what}");
        if db.kind == BackendKind::Sqlite {
            // The holder's process id, so the person knows which process to stop.
            assert!(what.contains(&std::process::id().to_string()), "{what}");
        }
        // Readers and importers do not need the lock.
        second.append_events(&[event(0)]).await.unwrap();
        lock.release().await;
        let again = second.lock_event_log_writer().await.unwrap();
        // Dropping the guard (what a crash does) releases it too: at once for a file
        // lock; on PostgreSQL once the server has seen the connection close, which is
        // not synchronous with the drop.
        drop(again);
        let mut tries = 0;
        let third = loop {
            match first.lock_event_log_writer().await {
                Ok(lock) => break lock,
                Err(StoreError::Conflict { .. }) if tries < 50 && db.kind == BackendKind::Postgres => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{e:?}"),
            }
        };
        assert!(!third.describe().is_empty());
    }
);

both!(
    async fn background_checkpoints_copy_the_wal_off_the_commit_path(db) {
        let options = StoreOptions { background_checkpoints: true, ..StoreOptions::default() };
        let store = Store::connect_with(&db.url, options).await.unwrap();
        // Enough pages to cross SQLite's automatic threshold (1,000), which the writer
        // no longer acts on: the WAL keeps them until a checkpoint copies them.
        // (Every commit appends the pages it changed to the WAL: ~3 per small batch.)
        for chunk in 0..400 {
            let batch: Vec<_> = (0..10).map(|i| event(chunk * 10 + i)).collect();
            store.append_events(&batch).await.unwrap();
        }
        let (log, copied) = store.checkpoint().await.unwrap();
        if db.kind == BackendKind::Sqlite {
            assert!(log >= 1_000, "the writer checkpointed by itself: {log} pages in the WAL");
            assert_eq!(copied, log, "a passive checkpoint with no reader copies everything");
        } else {
            assert_eq!((log, copied), (0, 0));
        }
        assert_eq!(store.last_event_seq().await.unwrap(), Seq(4_000));
        store.close().await;
        let reopened = db.connect().await;
        assert_eq!(reopened.events_after(Seq(3_999), 10).await.unwrap().len(), 1);
    }
);
