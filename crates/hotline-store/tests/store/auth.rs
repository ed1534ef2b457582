//! API keys and sessions: stored and found by hash only.

use hotline_store::*;

use crate::fixtures::*;

fn hash(n: u8) -> String {
    format!("{:064x}", u128::from(n) * 0x1234_5678_9abc_def1)
}

both!(
    async fn api_keys(db) {
        let store = db.connect().await;
        let new = NewApiKey { name: "telephony adapter".into(), role: Role::Agent, key_hash: hash(1) };
        assert!(!format!("{new:?}").contains(&hash(1)));
        let key = store.create_api_key(&new, TimestampMs(1_000)).await.unwrap();
        assert_eq!(key.name, "telephony adapter");
        assert_eq!(key.role, Role::Agent);
        assert_eq!(key.created_at, TimestampMs(1_000));
        assert_eq!(key.revoked_at, None);
        assert_eq!(store.find_api_key(&hash(1)).await.unwrap(), Some(key.clone()));
        assert_eq!(store.find_api_key(&hash(2)).await.unwrap(), None);
        assert_conflict(store.create_api_key(&new, TimestampMs(2_000)).await, "already exists");
        assert_invalid(
            store.create_api_key(&NewApiKey { key_hash: "abc".into(), ..new.clone() }, TimestampMs(0)).await,
            "key_hash",
        );
        assert_invalid(
            store.create_api_key(&NewApiKey { name: "".into(), key_hash: hash(3), ..new.clone() }, TimestampMs(0)).await,
            "name",
        );
        let wfm = store
            .create_api_key(&NewApiKey { name: "wfm export".into(), role: Role::Manager, key_hash: hash(2) }, TimestampMs(5_000))
            .await
            .unwrap();

        let revoked = store.revoke_api_key(key.id, TimestampMs(9_000)).await.unwrap();
        assert_eq!(revoked.revoked_at, Some(TimestampMs(9_000)));
        // A revoked key authenticates nothing; revoking again keeps the first time.
        assert_eq!(store.find_api_key(&hash(1)).await.unwrap(), None);
        assert_eq!(
            store.revoke_api_key(key.id, TimestampMs(12_000)).await.unwrap().revoked_at,
            Some(TimestampMs(9_000))
        );
        assert_eq!(store.list_api_keys().await.unwrap(), vec![revoked, wfm]);
        assert_not_found(store.revoke_api_key(ApiKeyId(999), TimestampMs(0)).await, "api key", "999");
    }
);

both!(
    async fn sessions_expire_and_end(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let session = NewSession {
            token_hash: hash(7),
            person_id: c.ana.id,
            created_at: TimestampMs(1_000),
            expires_at: TimestampMs(61_000),
        };
        assert!(!format!("{session:?}").contains(&hash(7)));
        store.create_session(&session).await.unwrap();
        let found = store.find_session(&hash(7), TimestampMs(60_999)).await.unwrap().unwrap();
        assert_eq!(found.person, c.ana);
        assert_eq!(found.created_at, TimestampMs(1_000));
        assert_eq!(found.expires_at, TimestampMs(61_000));
        // Expired at exactly expires_at.
        assert_eq!(store.find_session(&hash(7), TimestampMs(61_000)).await.unwrap(), None);
        assert_eq!(store.find_session(&hash(8), TimestampMs(2_000)).await.unwrap(), None);

        assert_conflict(store.create_session(&session).await, "already exists");
        assert_invalid(
            store.create_session(&NewSession { token_hash: hash(9), person_id: PersonId(999), ..session.clone() }).await,
            "person_id",
        );
        assert_invalid(
            store.create_session(&NewSession { token_hash: hash(9), expires_at: TimestampMs(1_000), ..session.clone() }).await,
            "expires_at",
        );

        // Logout.
        assert!(store.delete_session(&hash(7)).await.unwrap());
        assert!(!store.delete_session(&hash(7)).await.unwrap());
        assert_eq!(store.find_session(&hash(7), TimestampMs(2_000)).await.unwrap(), None);

        // Expiry sweep.
        for (n, expires) in [(10, 5_000), (11, 50_000), (12, 90_000)] {
            store
                .create_session(&NewSession { token_hash: hash(n), expires_at: TimestampMs(expires), ..session.clone() })
                .await
                .unwrap();
        }
        assert_eq!(store.delete_expired_sessions(TimestampMs(50_000)).await.unwrap(), 2);
        assert!(store.find_session(&hash(12), TimestampMs(50_000)).await.unwrap().is_some());
        assert_eq!(store.delete_sessions_of(c.ana.id).await.unwrap(), 1);
        assert!(store.find_session(&hash(12), TimestampMs(50_000)).await.unwrap().is_none());
    }
);

both!(
    async fn deactivating_a_person_ends_their_sessions(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let session = NewSession {
            token_hash: hash(1),
            person_id: c.bo.id,
            created_at: TimestampMs(0),
            expires_at: TimestampMs(1_000_000),
        };
        store.create_session(&session).await.unwrap();
        store
            .update_person(c.bo.id, &PersonUpdate {
                username: "bo".into(), display_name: "Bo".into(), role: Role::Agent,
                tier: Tier::Junior, team_id: Some(c.team.id), active: false,
            })
            .await
            .unwrap();
        assert_eq!(store.find_session(&hash(1), TimestampMs(10)).await.unwrap(), None);
        // And no new session can be made for an inactive person.
        assert_invalid(store.create_session(&session).await, "person_id");
        // Deleting a person removes their sessions with them.
        store.create_session(&NewSession { token_hash: hash(2), person_id: c.ana.id, ..session }).await.unwrap();
        store.delete_person(c.ana.id).await.unwrap();
        assert_eq!(store.find_session(&hash(2), TimestampMs(10)).await.unwrap(), None);
    }
);
