//! Agent state history.

use hotline_store::*;

use crate::fixtures::*;

fn spell(person: PersonId, state: AgentStateKind, from: i64, to: Option<i64>) -> NewAgentState {
    NewAgentState {
        person_id: person,
        state,
        reason: (state == AgentStateKind::NotReady).then(|| "break".to_owned()),
        from_at: TimestampMs(from),
        to_at: to.map(TimestampMs),
    }
}

both!(
    async fn history_by_person_and_time(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        use AgentStateKind::*;
        let rows = vec![
            spell(c.ana.id, Ready, 0, Some(100)),
            spell(c.ana.id, Busy, 100, Some(400)),
            spell(c.bo.id, Ready, 50, Some(500)),
            spell(c.ana.id, WrapUp, 400, Some(430)),
            spell(c.ana.id, NotReady, 430, None),
        ];
        assert_eq!(store.insert_agent_states(&rows).await.unwrap(), 5);
        assert_eq!(store.insert_agent_states(&[]).await.unwrap(), 0);

        let all = store.list_agent_states(c.ana.id, TimestampMs(0), TimestampMs(10_000)).await.unwrap();
        assert_eq!(all.iter().map(|s| s.state).collect::<Vec<_>>(), [Ready, Busy, WrapUp, NotReady]);
        assert!(all.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(all[3].reason.as_deref(), Some("break"));
        assert_eq!(all[3].to_at, None);
        assert_eq!(all[0].person_id, c.ana.id);

        // Overlap with [150, 420): the busy spell (started before) and the wrap-up; the
        // open not-ready spell starts at 430, after the window.
        let window = store.list_agent_states(c.ana.id, TimestampMs(150), TimestampMs(420)).await.unwrap();
        assert_eq!(window.iter().map(|s| s.state).collect::<Vec<_>>(), [Busy, WrapUp]);
        // A spell ending exactly at `from` does not overlap.
        let edge = store.list_agent_states(c.ana.id, TimestampMs(100), TimestampMs(101)).await.unwrap();
        assert_eq!(edge.iter().map(|s| s.state).collect::<Vec<_>>(), [Busy]);
        // An open spell overlaps any later window.
        let later = store.list_agent_states(c.ana.id, TimestampMs(9_000), TimestampMs(9_001)).await.unwrap();
        assert_eq!(later.iter().map(|s| s.state).collect::<Vec<_>>(), [NotReady]);

        assert_eq!(store.end_open_agent_states(c.ana.id, TimestampMs(900)).await.unwrap(), 1);
        assert_eq!(store.end_open_agent_states(c.ana.id, TimestampMs(950)).await.unwrap(), 0);
        let closed = store.list_agent_states(c.ana.id, TimestampMs(0), TimestampMs(10_000)).await.unwrap();
        assert_eq!(closed[3].to_at, Some(TimestampMs(900)));
        assert!(store.list_agent_states(c.ana.id, TimestampMs(900), TimestampMs(10_000)).await.unwrap().is_empty());

        let bo = store.list_agent_states(c.bo.id, TimestampMs(0), TimestampMs(10_000)).await.unwrap();
        assert_eq!(bo.len(), 1);

        assert_invalid(
            store.insert_agent_states(&[rows[0].clone(), spell(c.ana.id, Ready, 10, Some(5))]).await,
            "rows[1].to_at",
        );
        assert_invalid(
            store.insert_agent_states(&[rows[0].clone(), spell(PersonId(999), Ready, 10, None)]).await,
            "rows[1].person_id",
        );
        let mut long = spell(c.ana.id, NotReady, 0, None);
        long.reason = Some("r".repeat(101));
        assert_invalid(store.insert_agent_states(&[long]).await, "rows[0].reason");
        assert_invalid(store.list_agent_states(c.ana.id, TimestampMs(5), TimestampMs(4)).await, "to");
        // The refused batches wrote nothing.
        assert_eq!(store.list_agent_states(c.ana.id, TimestampMs(0), TimestampMs(10_000)).await.unwrap().len(), 4);
        // History keeps its person.
        assert_conflict(store.delete_person(c.bo.id).await, "1 state row(s)");
    }
);
