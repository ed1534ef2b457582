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
