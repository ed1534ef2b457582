//! Opening the database: migrations, durability settings, reopening, bad URLs.

use hotline_store::*;
use serde_json::json;

use crate::fixtures::*;

both!(
    async fn migrations_are_idempotent(db) {
        let first = db.connect().await;
        assert_eq!(first.backend_kind(), db.kind);
        assert_eq!(first.schema_version().await.unwrap(), 4);
        first.create_skill(&skill("billing")).await.unwrap();
        // A second store on the same database (a second server, or a restart) applies
        // nothing again and sees the data.
        let second = db.connect().await;
        assert_eq!(second.schema_version().await.unwrap(), 4);
        assert_eq!(second.list_skills().await.unwrap().len(), 1);
        second.ping().await.unwrap();
        first.close().await;
        second.close().await;
        let third = db.connect().await;
        assert_eq!(third.list_skills().await.unwrap()[0].name, "billing");
    }
);

both!(
    async fn durability_settings(db) {
        let store = db.connect().await;
        let d = store.durability().await.unwrap();
        match db.kind {
            BackendKind::Sqlite => {
                assert_eq!(d["journal_mode"], "wal");
                assert_eq!(d["synchronous"], "full");
                assert_eq!(d["foreign_keys"], "on");
                assert_eq!(store.sqlite_path(), db.path.as_deref());
                assert!(store.sqlite_path().unwrap().exists());
            }
            BackendKind::Postgres => {
                // The throwaway test cluster runs with fsync off; a real one reports on.
                assert!(d.contains_key("fsync"));
                assert!(d.contains_key("synchronous_commit"));
                assert_eq!(store.sqlite_path(), None);
            }
        }
    }
);

both!(
    async fn data_survives_closing_and_reopening(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let seqs = store
            .append_events(&[NewLoggedEvent {
                occurred_at: TimestampMs(1_000),
                kind: "contact_arrived".into(),
                payload: json!({"contact": "c1", "queue": c.queue.id}),
            }])
            .await
            .unwrap();
        store
            .insert_contact_records(&[answered("c1", c.queue.id, c.ana.id, 100)])
            .await
            .unwrap();
        store.close().await;
        drop(store);

        let reopened = db.connect().await;
        let events = reopened.events_after(Seq::ZERO, 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].seq, seqs[0]);
        assert_eq!(events[0].payload["contact"], "c1");
        assert_eq!(
            reopened.get_contact_record("c1").await.unwrap(),
            answered("c1", c.queue.id, c.ana.id, 100)
        );
        assert_eq!(reopened.get_person(c.ana.id).await.unwrap(), c.ana);
        assert_eq!(reopened.get_queue(c.queue.id).await.unwrap(), c.queue);
        assert_eq!(reopened.get_site(c.site.id).await.unwrap(), c.site);
    }
);

#[tokio::test]
async fn a_plain_path_opens_sqlite_and_creates_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("hotline.db");
    let store = Store::connect(path.to_str().unwrap()).await.unwrap();
    assert_eq!(store.backend_kind(), BackendKind::Sqlite);
    assert_eq!(store.sqlite_path(), Some(path.as_path()));
    assert!(path.exists());
}

#[tokio::test]
async fn unusable_urls_are_refused_with_a_reason() {
    for url in ["sqlite::memory:", "sqlite://:memory:", "sqlite:"] {
        match Store::connect(url).await {
            Err(StoreError::Config { reason, .. }) => {
                assert!(reason.contains("in-memory"), "{url}: {reason}")
            }
            other => panic!("{url}: {other:?}"),
        }
    }
    match Store::connect("mysql://db/hotline").await {
        Err(StoreError::Config { reason, .. }) => assert!(reason.contains("unknown scheme")),
        other => panic!("{other:?}"),
    }
    match Store::connect("").await {
        Err(StoreError::Config { .. }) => {}
        other => panic!("{other:?}"),
    }
    // Nothing listens on port 1: the error names the server without the password.
    match Store::connect("postgres://hotline:s3cret@127.0.0.1:1/hotline").await {
        Err(e @ StoreError::Config { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("postgres://hotline:***@127.0.0.1:1/hotline"),
                "{text}"
            );
            assert!(!text.contains("s3cret"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}
