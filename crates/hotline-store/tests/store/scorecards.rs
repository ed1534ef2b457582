//! The scorecard definition (versioned, the latest in force) and the answered-by-team
//! aggregate behind the scorecard's queue ownership.

use hotline_store::*;

use crate::fixtures::*;

both!(
    async fn definitions_are_versioned_and_the_latest_is_in_force(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        assert_eq!(store.latest_scorecard_definition().await.unwrap(), None);
        let first = store
            .save_scorecard_definition(&NewScorecardDefinition {
                created_at: TimestampMs(1_000),
                created_by: Some(c.ana.id),
                format: DefinitionFormat::Toml,
                definition: "name = \"One\"  # a comment kept\n".into(),
            })
            .await
            .unwrap();
        assert_eq!(first.created_by, Some(c.ana.id));
        assert_eq!(first.format, DefinitionFormat::Toml);
        assert_eq!(store.latest_scorecard_definition().await.unwrap(), Some(first.clone()));
        let second = store
            .save_scorecard_definition(&NewScorecardDefinition {
                created_at: TimestampMs(2_000),
                created_by: None,
                format: DefinitionFormat::Json,
                definition: "{\"name\": \"Two\"}".into(),
            })
            .await
            .unwrap();
        assert!(second.id > first.id);
        assert_eq!(
            store.latest_scorecard_definition().await.unwrap(),
            Some(ScorecardDefinition {
                id: second.id,
                created_at: TimestampMs(2_000),
                created_by: None,
                format: DefinitionFormat::Json,
                definition: "{\"name\": \"Two\"}".into(),
            })
        );
        let empty = store
            .save_scorecard_definition(&NewScorecardDefinition {
                created_at: TimestampMs(3_000),
                created_by: None,
                format: DefinitionFormat::Toml,
                definition: "  \n".into(),
            })
            .await;
        assert!(
            matches!(&empty, Err(StoreError::Invalid { field, .. }) if field == "definition"),
            "{empty:?}"
        );
        assert_eq!(store.latest_scorecard_definition().await.unwrap().unwrap().id, second.id);
    }
);

both!(
    async fn answered_contacts_are_counted_by_team_and_queue(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let other = store
            .create_queue(&queue("Complaints", c.skill.id))
            .await
            .unwrap();
        let records = vec![
            answered("a1", c.queue.id, c.ana.id, 100),
            answered("a2", c.queue.id, c.bo.id, 200),
            answered("a3", other.id, c.bo.id, 300),
            abandoned("x1", c.queue.id, 400),
            answered("late", c.queue.id, c.ana.id, 5_000),
        ];
        store.insert_contact_records(&records).await.unwrap();
        let rows = store
            .answered_by_team_and_queue(TimestampMs(0), TimestampMs(1_000_000))
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![
                TeamQueueAnswers { team: "Team 1".into(), queue: "Billing".into(), answered: 2 },
                TeamQueueAnswers { team: "Team 1".into(), queue: "Complaints".into(), answered: 1 },
            ]
        );
    }
);
