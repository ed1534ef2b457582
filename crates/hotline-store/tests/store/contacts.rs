//! Contact records: idempotent batched writes, validation, filters, paging, agent scope.

use hotline_store::*;
use serde_json::json;

use crate::fixtures::*;

both!(
    async fn insert_get_and_idempotent_reinsert(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let mut vip = answered("c1", c.queue.id, c.ana.id, 100);
        vip.attributes = json!({"vip": true, "language": "es", "segment": "gold"});
        vip.transfers = 2;
        vip.hold_ms = DurationMs(5_000);
        let records = vec![vip.clone(), abandoned("c2", c.queue.id, 200)];
        assert_eq!(store.insert_contact_records(&records).await.unwrap(), 2);
        assert_eq!(store.get_contact_record("c1").await.unwrap(), vip);
        assert_eq!(store.get_contact_record("c2").await.unwrap(), abandoned("c2", c.queue.id, 200));
        assert_not_found(store.get_contact_record("nope").await, "contact record", "nope");

        // The same batch again (a retry after a crash): nothing new, nothing changed,
        // even when a retried row differs.
        assert_eq!(store.insert_contact_records(&records).await.unwrap(), 0);
        let mut changed = vip.clone();
        changed.talk_ms = DurationMs(1);
        let batch = vec![changed, answered("c3", c.queue.id, c.bo.id, 300), answered("c3", c.queue.id, c.bo.id, 300)];
        assert_eq!(store.insert_contact_records(&batch).await.unwrap(), 1);
        assert_eq!(store.get_contact_record("c1").await.unwrap(), vip);
        let all = store.list_contact_records(&ContactFilter::default()).await.unwrap();
        assert_eq!(all.records.len(), 3);
        assert_eq!(all.next, None);
        assert_eq!(store.insert_contact_records(&[]).await.unwrap(), 0);
    }
);

both!(
    async fn invalid_records_are_refused_whole(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let good = |id: &str| answered(id, c.queue.id, c.ana.id, 100);
        type Edit = fn(&mut ContactRecord);
        let cases: Vec<(Edit, &str)> = vec![
            (|r| r.contact_id = String::new(), "records[1].contact_id"),
            (|r| r.contact_id = "x".repeat(129), "records[1].contact_id"),
            (|r| r.customer_id = "a\u{0}b".into(), "records[1].customer_id"),
            (|r| r.answered_at = Some(TimestampMs(r.arrived_at.0 - 1)), "records[1].answered_at"),
            (|r| r.ended_at = TimestampMs(r.answered_at.unwrap().0 - 1), "records[1].ended_at"),
            (|r| r.wrap_up_end_at = Some(TimestampMs(r.ended_at.0 - 1)), "records[1].wrap_up_end_at"),
            (|r| r.answered_at = None, "records[1].wrap_up_end_at"),
            (|r| r.agent_id = None, "records[1].outcome"),
            (|r| r.outcome = Outcome::Abandoned, "records[1].outcome"),
            (|r| r.wait_ms = DurationMs(-1), "records[1].wait_ms"),
            (|r| r.wrap_up_ms = DurationMs(-5), "records[1].wrap_up_ms"),
            (|r| r.attributes = json!([1, 2]), "records[1].attributes"),
            (|r| r.attributes = json!({"blob": "x".repeat(17_000)}), "records[1].attributes"),
            (|r| r.queue_id = QueueId(999), "records[1].queue_id"),
            (|r| r.agent_id = Some(PersonId(999)), "records[1].agent_id"),
        ];
        for (edit, field) in cases {
            let mut bad = good("bad");
            edit(&mut bad);
            assert_invalid(store.insert_contact_records(&[good("ok"), bad, good("ok2")]).await, field);
        }
        // Nothing from any refused batch was written.
        assert_eq!(store.list_contact_records(&ContactFilter::default()).await.unwrap().records, vec![]);
        // Records without an agent are fine when nobody answered.
        let mut unfinished = abandoned("u1", c.queue.id, 5);
        unfinished.outcome = Outcome::Unfinished;
        assert_eq!(store.insert_contact_records(&[unfinished]).await.unwrap(), 1);
    }
);

both!(
    async fn filters_paging_and_agent_scope(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let gold = store.create_queue(&queue("Gold", c.skill.id)).await.unwrap();
        // Ten records; three arrive at the same millisecond to exercise the tie-break.
        let mut records = vec![
            answered("a-01", c.queue.id, c.ana.id, 10),
            answered("b-01", c.queue.id, c.bo.id, 20),
            abandoned("x-01", c.queue.id, 30),
            answered("a-02", gold.id, c.ana.id, 40),
            answered("a-03", c.queue.id, c.ana.id, 50),
            answered("b-02", gold.id, c.bo.id, 50),
            abandoned("x-02", gold.id, 50),
            answered("b-03", c.queue.id, c.bo.id, 60),
            answered("a-04", c.queue.id, c.ana.id, 70),
            abandoned("x-03", c.queue.id, 80),
        ];
        records.reverse();
        assert_eq!(store.insert_contact_records(&records).await.unwrap(), 10);
        let ids = |page: &ContactPage| page.records.iter().map(|r| r.contact_id.clone()).collect::<Vec<_>>();

        let all = store.list_contact_records(&ContactFilter::default()).await.unwrap();
        assert_eq!(ids(&all), ["a-01", "b-01", "x-01", "a-02", "a-03", "b-02", "x-02", "b-03", "a-04", "x-03"]);

        // [from, to) on arrival.
        let window = store
            .list_contact_records(&ContactFilter { from: Some(TimestampMs(30_000)), to: Some(TimestampMs(60_000)), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(ids(&window), ["x-01", "a-02", "a-03", "b-02", "x-02"]);
        let by_queue = store
            .list_contact_records(&ContactFilter { queue_id: Some(gold.id), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(ids(&by_queue), ["a-02", "b-02", "x-02"]);
        let abandons = store
            .list_contact_records(&ContactFilter { outcome: Some(Outcome::Abandoned), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(ids(&abandons), ["x-01", "x-02", "x-03"]);

        // An agent reads only their own records, on every page.
        let mut seen = Vec::new();
        let mut filter = ContactFilter { agent_id: Some(c.ana.id), limit: 3, ..Default::default() };
        loop {
            let page = store.list_contact_records(&filter).await.unwrap();
            assert!(page.records.iter().all(|r| r.agent_id == Some(c.ana.id)));
            seen.extend(ids(&page));
            match page.next {
                Some(next) => filter.after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["a-01", "a-02", "a-03", "a-04"]);

        // Paging two at a time visits every record once, ties included.
        let mut seen = Vec::new();
        let mut filter = ContactFilter { limit: 2, ..Default::default() };
        let mut pages = 0;
        loop {
            let page = store.list_contact_records(&filter).await.unwrap();
            pages += 1;
            seen.extend(ids(&page));
            // The cursor travels as an opaque string and comes back.
            let Some(next) = page.next else { break };
            let text = serde_json::to_string(&next).unwrap();
            filter.after = Some(serde_json::from_str(&text).unwrap());
        }
        assert_eq!(seen, ids(&all));
        assert_eq!(pages, 5);
        let cursor = ContactCursor::parse("after", "50000:a-03").unwrap();
        let after = store
            .list_contact_records(&ContactFilter { after: Some(cursor), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(ids(&after), ["b-02", "x-02", "b-03", "a-04", "x-03"]);

        assert_invalid(store.list_contact_records(&ContactFilter { limit: 0, ..Default::default() }).await, "limit");
        assert_invalid(store.list_contact_records(&ContactFilter { limit: MAX_PAGE + 1, ..Default::default() }).await, "limit");
        assert_invalid(
            store.list_contact_records(&ContactFilter { from: Some(TimestampMs(5)), to: Some(TimestampMs(4)), ..Default::default() }).await,
            "to",
        );
        assert_invalid(ContactCursor::parse("after", "garbage"), "after");
        assert_invalid(ContactCursor::parse("after", "12:"), "after");
        assert!(serde_json::from_str::<ContactCursor>("\"x:y\"").is_err());

        // History keeps its people and queues.
        assert_conflict(store.delete_person(c.ana.id).await, "4 contact record(s)");
        assert_conflict(store.delete_queue(gold.id).await, "3 contact record(s)");
    }
);
