//! Imports (names resolved or created, one transaction, idempotent re-import, the
//! `imports` table) and the streaming read behind reports.

use futures_util::TryStreamExt;
use hotline_metrics as m;
use hotline_store::*;
use serde_json::json;

use crate::fixtures::*;

const SHA_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SHA_B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

fn new_import(kind: ImportKind, sha: &str, at: i64) -> NewImport {
    NewImport {
        kind,
        source: "export.csv".into(),
        sha256: sha.into(),
        started_at: TimestampMs(at),
    }
}

fn end(at: i64) -> ImportEnd {
    ImportEnd {
        finished_at: TimestampMs(at),
        ..ImportEnd::default()
    }
}

/// A record as a parser gives it: arrived at `at` s; answered after 10 s and talked
/// 100 s when `agent` is given, else abandoned after 30 s.
fn rec(id: &str, queue: &str, agent: Option<(&str, Option<&str>)>, at: i64) -> m::ContactRecord {
    let arrived = at * 1000;
    let (answered, ended, outcome, wait, talk) = match agent {
        Some(_) => (
            Some(m::TimestampMs(arrived + 10_000)),
            arrived + 110_000,
            m::Outcome::Answered,
            10_000,
            100_000,
        ),
        None => (None, arrived + 30_000, m::Outcome::Abandoned, 30_000, 0),
    };
    m::ContactRecord {
        contact_id: id.into(),
        queue: queue.into(),
        channel: m::Channel::Voice,
        customer: String::new(),
        agent: agent.map(|(a, _)| a.to_owned()),
        team: agent.and_then(|(_, t)| t.map(str::to_owned)),
        arrived_at: m::TimestampMs(arrived),
        answered_at: answered,
        ended_at: m::TimestampMs(ended),
        wrap_up_end_at: None,
        outcome,
        wait: m::DurationMs(wait),
        talk: m::DurationMs(talk),
        hold: m::DurationMs(0),
        wrap_up: m::DurationMs(0),
        transfers: 0,
        attributes: json!({"vip": at == 100}).as_object().unwrap().clone(),
    }
}

/// A spell as compared: agent, team, state, reason, from, to.
type Spell<'a> = (
    &'a str,
    Option<&'a str>,
    m::AgentState,
    Option<&'a str>,
    i64,
    i64,
);

fn spell(agent: &str, state: m::AgentState, from: i64, to: i64) -> m::AgentStateInterval {
    m::AgentStateInterval {
        agent: agent.into(),
        team: None,
        state,
        reason: (state == m::AgentState::NotReady).then(|| " Lunch ".to_owned()),
        from: m::TimestampMs(from * 1000),
        to: m::TimestampMs(to * 1000),
    }
}

/// Billing/ana (an existing queue and username), a new queue with two new agents: one
/// of an existing team, one of a team that does not exist; an abandon.
fn batch() -> Vec<m::ContactRecord> {
    vec![
        rec("c1", "Billing", Some(("ana", None)), 100),
        rec("c2", "Faults", Some(("Agent/7", Some("Team 1"))), 200),
        rec("c3", "Faults", Some(("Agent/9", Some("Night"))), 300),
        rec("c4", "Faults", None, 400),
    ]
}

async fn counts(store: &Store) -> (usize, usize, usize, usize) {
    let records = store
        .list_contact_records(&ContactFilter {
            limit: 10_000,
            ..ContactFilter::default()
        })
        .await
        .unwrap()
        .records
        .len();
    (
        store.list_queues().await.unwrap().len(),
        store
            .list_people(&PersonFilter::default())
            .await
            .unwrap()
            .len(),
        records,
        store.list_imports().await.unwrap().len(),
    )
}

both!(
    async fn names_are_resolved_or_created(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let mut import = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1_000)).await.unwrap();
        let out = import.add_records(&batch()).await.unwrap();
        assert_eq!(out, BatchOutcome { accepted: 4, duplicates: 0 });
        let mut notes = serde_json::Map::new();
        notes.insert("rows".into(), json!(5));
        let run = import
            .finish(ImportEnd { finished_at: TimestampMs(2_000), rejected: 1, notes })
            .await
            .unwrap();
        assert_eq!((run.kind, run.source.as_str(), run.sha256.as_str()), (ImportKind::Records, "export.csv", SHA_A));
        assert_eq!((run.started_at, run.finished_at), (TimestampMs(1_000), Some(TimestampMs(2_000))));
        assert_eq!((run.records_accepted, run.records_duplicate, run.rejected), (4, 0, 1));
        assert_eq!(run.created_queues, ["Faults"]);
        assert_eq!(
            run.created_people,
            [
                CreatedPerson { name: "Agent/7".into(), username: "agent-7".into() },
                CreatedPerson { name: "Agent/9".into(), username: "agent-9".into() },
            ]
        );
        assert_eq!(run.notes, json!({"rows": 5, "teams_not_found": ["Night"]}));

        // The new queue: its own skill, default routing.
        let faults = store.list_queues().await.unwrap().into_iter().find(|q| q.settings.name == "Faults").unwrap();
        let skill = store.get_skill(faults.settings.skill_id).await.unwrap();
        assert_eq!(skill.name, "Faults");
        assert_eq!(
            (faults.settings.service_level_threshold_s, faults.settings.target_service_level_pct, faults.settings.wrap_up),
            (20, 80.0, WrapUp::Fixed { seconds: 0 })
        );
        assert!(faults.settings.routing_steps.is_empty());
        // The new people: agents, junior, inactive, no password; the team kept only
        // when it exists.
        let a7 = store.get_login("agent-7").await.unwrap().unwrap();
        assert_eq!(a7.password_hash, None);
        assert_eq!(
            (a7.person.display_name.as_str(), a7.person.role, a7.person.tier, a7.person.active, a7.person.team_id),
            ("Agent/7", Role::Agent, Tier::Junior, false, Some(c.team.id))
        );
        assert_eq!(store.get_person_by_username("agent-9").await.unwrap().team_id, None);
        // c1 went to the existing queue and person.
        let c1 = store.get_contact_record("c1").await.unwrap();
        assert_eq!((c1.queue_id, c1.agent_id), (c.queue.id, Some(c.ana.id)));
        assert_eq!(c1.attributes, json!({"vip": true}));
        let c4 = store.get_contact_record("c4").await.unwrap();
        assert_eq!((c4.queue_id, c4.agent_id, c4.outcome), (faults.id, None, Outcome::Abandoned));

        assert_eq!(store.find_imports(SHA_A).await.unwrap(), std::slice::from_ref(&run));
        assert_eq!(store.find_imports(&SHA_A.to_uppercase()).await.unwrap().len(), 1);
        assert!(store.find_imports(SHA_B).await.unwrap().is_empty());
        assert_eq!(store.list_imports().await.unwrap(), [run]);
    }
);

both!(
    async fn reimport_changes_nothing(db) {
        let store = db.connect().await;
        center(&store).await;
        let mut first = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1)).await.unwrap();
        first.add_records(&batch()).await.unwrap();
        first.finish(end(2)).await.unwrap();
        let before = counts(&store).await;
        assert_eq!(before, (2, 4, 4, 1));

        let mut again = store.begin_import(&new_import(ImportKind::Records, SHA_A, 3)).await.unwrap();
        // In two batches, the second with one new record.
        assert_eq!(again.add_records(&batch()[..2]).await.unwrap(), BatchOutcome { accepted: 0, duplicates: 2 });
        let mut rest = batch()[2..].to_vec();
        rest.push(rec("c5", "Faults", Some(("Agent/7", None)), 500));
        assert_eq!(again.add_records(&rest).await.unwrap(), BatchOutcome { accepted: 1, duplicates: 2 });
        let run = again.finish(end(4)).await.unwrap();
        assert_eq!((run.records_accepted, run.records_duplicate), (1, 4));
        assert!(run.created_queues.is_empty() && run.created_people.is_empty());
        // Agent/7 is the same person through the import's name table.
        let c5 = store.get_contact_record("c5").await.unwrap();
        let c2 = store.get_contact_record("c2").await.unwrap();
        assert_eq!(c5.agent_id, c2.agent_id);
        assert_eq!(counts(&store).await, (2, 4, 5, 2));
        assert_eq!(store.find_imports(SHA_A).await.unwrap().len(), 2);
    }
);

both!(
    async fn a_failed_import_leaves_nothing(db) {
        let store = db.connect().await;
        center(&store).await;
        let before = counts(&store).await;

        let mut import = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1)).await.unwrap();
        import.add_records(&batch()).await.unwrap();
        import
            .add_agent_states(&[spell("Agent/11", m::AgentState::Ready, 0, 10)])
            .await
            .unwrap();
        import.abandon().await.unwrap();
        assert_eq!(counts(&store).await, before);

        // Dropped without finish: rolled back as well.
        let mut import = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1)).await.unwrap();
        import.add_records(&batch()).await.unwrap();
        drop(import);
        assert_eq!(counts(&store).await, before);
        assert!(store.get_login("agent-7").await.unwrap().is_none());

        // A record the store refuses fails its batch, naming it.
        let mut import = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1)).await.unwrap();
        let mut bad = batch();
        bad[2].queue = "q".repeat(101);
        assert_invalid(import.add_records(&bad).await, "records[2].queue");
        import.abandon().await.unwrap();
        assert_eq!(counts(&store).await, before);
        // The writer is free again.
        store.create_skill(&skill("after")).await.unwrap();

        assert_invalid(store.begin_import(&new_import(ImportKind::Records, "abc", 1)).await, "sha256");
    }
);

both!(
    async fn spells_are_deduplicated_and_lengthened(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        use m::AgentState::*;
        let spells = vec![
            spell("Agent/7", Ready, 0, 60),
            spell("Agent/7", NotReady, 60, 90),
            spell("ana", Busy, 10, 20),
        ];
        let mut import = store.begin_import(&new_import(ImportKind::QueueLog, SHA_A, 1)).await.unwrap();
        assert_eq!(import.add_agent_states(&spells).await.unwrap(), BatchOutcome { accepted: 3, duplicates: 0 });
        let run = import.finish(end(2)).await.unwrap();
        assert_eq!((run.states_accepted, run.states_duplicate), (3, 0));
        let a7 = store.get_person_by_username("agent-7").await.unwrap();
        let stored = store.list_agent_states(a7.id, TimestampMs(0), TimestampMs(1_000_000)).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1].reason.as_deref(), Some("Lunch"));

        // A longer copy of the same log: the same spells, the last one ending later,
        // and one more.
        let mut longer = spells.clone();
        longer[1].to = m::TimestampMs(120_000);
        longer.push(spell("Agent/7", Ready, 120, 200));
        let mut import = store.begin_import(&new_import(ImportKind::QueueLog, SHA_B, 3)).await.unwrap();
        assert_eq!(import.add_agent_states(&longer).await.unwrap(), BatchOutcome { accepted: 2, duplicates: 2 });
        import.finish(end(4)).await.unwrap();
        let stored = store.list_agent_states(a7.id, TimestampMs(0), TimestampMs(1_000_000)).await.unwrap();
        let spans: Vec<(AgentStateKind, i64, Option<i64>)> =
            stored.iter().map(|s| (s.state, s.from_at.0, s.to_at.map(|t| t.0))).collect();
        assert_eq!(
            spans,
            [
                (AgentStateKind::Ready, 0, Some(60_000)),
                (AgentStateKind::NotReady, 60_000, Some(120_000)),
                (AgentStateKind::Ready, 120_000, Some(200_000)),
            ]
        );
        // A shorter copy never shortens a spell.
        let mut import = store.begin_import(&new_import(ImportKind::QueueLog, SHA_A, 5)).await.unwrap();
        assert_eq!(import.add_agent_states(&spells).await.unwrap(), BatchOutcome { accepted: 0, duplicates: 3 });
        import.finish(end(6)).await.unwrap();
        assert_eq!(store.list_agent_states(a7.id, TimestampMs(0), TimestampMs(1_000_000)).await.unwrap()[1].to_at, Some(TimestampMs(120_000)));

        // The live server's spells are not bound by the imported spells' key.
        let live = NewAgentState {
            person_id: c.bo.id,
            state: AgentStateKind::Ready,
            reason: None,
            from_at: TimestampMs(5),
            to_at: Some(TimestampMs(5)),
        };
        assert_eq!(store.insert_agent_states(&[live.clone(), live]).await.unwrap(), 2);
    }
);

both!(
    async fn reports_stream_records_with_names(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let mut import = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1)).await.unwrap();
        import.add_records(&batch()).await.unwrap();
        import.finish(end(2)).await.unwrap();
        // A record the live server wrote, for bo, arriving first.
        store.insert_contact_records(&[abandoned("live-1", c.queue.id, 50), answered("live-2", c.queue.id, c.bo.id, 250)]).await.unwrap();

        let query = |from: i64, to: i64| ReportQuery { from: TimestampMs(from * 1000), to: TimestampMs(to * 1000), ..ReportQuery::default() };
        let all: Vec<m::ContactRecord> = store.stream_report_records(&query(0, 1_000)).try_collect().await.unwrap();
        let rows: Vec<(&str, &str, Option<&str>, Option<&str>)> = all
            .iter()
            .map(|r| (r.contact_id.as_str(), r.queue.as_str(), r.agent.as_deref(), r.team.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [
                ("live-1", "Billing", None, None),
                ("c1", "Billing", Some("ana"), Some("Team 1")),
                ("c2", "Faults", Some("agent-7"), Some("Team 1")),
                ("live-2", "Billing", Some("bo"), Some("Team 1")),
                ("c3", "Faults", Some("agent-9"), None),
                ("c4", "Faults", None, None),
            ]
        );
        // Every field survives the round trip.
        let mut c2 = batch()[1].clone();
        c2.agent = Some("agent-7".into());
        assert_eq!(all[2], c2);
        assert_eq!(store.report_records(&query(0, 1_000), RecordFields::ALL).await.unwrap(), all);

        // A scan reads only the fields asked for; the others come back empty.
        let fields = RecordFields { channel: true, ..RecordFields::default() };
        let (mut got, n) = store
            .scan_report_records(&query(0, 1_000), fields, Vec::new(), |v, r| v.push(r.clone()))
            .await
            .unwrap();
        assert_eq!(n, 6);
        got.sort_by_key(|r| r.arrived_at);
        let lean = |r: &m::ContactRecord| m::ContactRecord {
            contact_id: String::new(),
            customer: String::new(),
            agent: None,
            team: None,
            ended_at: r.arrived_at,
            wrap_up_end_at: None,
            attributes: serde_json::Map::new(),
            ..r.clone()
        };
        assert_eq!(got, all.iter().map(lean).collect::<Vec<_>>());
        // Names in a query that match nothing are "not found", as check_report_query says.
        let err = store.scan_report_records(&ReportQuery { team: Some("Night".into()), ..query(0, 1_000) }, fields, Vec::new(), |v, r| v.push(r.clone())).await;
        assert_not_found(err.map(|_| ()), "team", "Night");

        // [from, to) on arrival.
        let ids = |q: ReportQuery| {
            let store = &store;
            async move {
                let v: Vec<m::ContactRecord> = store.stream_report_records(&q).try_collect().await.unwrap();
                // The bulk scan (sorted) gives the same records, every field.
                assert_eq!(store.report_records(&q, RecordFields::ALL).await.unwrap(), v);
                v.into_iter().map(|r| r.contact_id).collect::<Vec<_>>()
            }
        };
        assert_eq!(ids(query(100, 300)).await, ["c1", "c2", "live-2"]);
        assert_eq!(ids(ReportQuery { queue: Some("Faults".into()), ..query(0, 1_000) }).await, ["c2", "c3", "c4"]);
        assert_eq!(ids(ReportQuery { agent: Some("agent-7".into()), ..query(0, 1_000) }).await, ["c2"]);
        assert_eq!(ids(ReportQuery { team: Some("Team 1".into()), ..query(0, 1_000) }).await, ["c1", "c2", "live-2"]);
        assert_eq!(
            ids(ReportQuery { team: Some("Team 1".into()), queue: Some("Billing".into()), ..query(0, 1_000) }).await,
            ["c1", "live-2"]
        );

        store.check_report_query(&query(0, 1)).await.unwrap();
        assert_not_found(store.check_report_query(&ReportQuery { queue: Some("Fault".into()), ..query(0, 1) }).await, "queue", "Fault");
        assert_not_found(store.check_report_query(&ReportQuery { agent: Some("Agent/7".into()), ..query(0, 1) }).await, "person", "Agent/7");
        assert_not_found(store.check_report_query(&ReportQuery { team: Some("Night".into()), ..query(0, 1) }).await, "team", "Night");
        assert_invalid(store.check_report_query(&query(5, 5)).await, "to");
    }
);

both!(
    async fn reports_stream_spells(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        use m::AgentState::*;
        let mut import = store.begin_import(&new_import(ImportKind::AgentStates, SHA_A, 1)).await.unwrap();
        import
            .add_agent_states(&[spell("ana", Ready, 0, 60), spell("ana", NotReady, 60, 90), spell("Agent/7", Busy, 30, 500)])
            .await
            .unwrap();
        import.finish(end(2)).await.unwrap();
        // bo's live spell, still open.
        store
            .insert_agent_states(&[NewAgentState { person_id: c.bo.id, state: AgentStateKind::Ready, reason: None, from_at: TimestampMs(70_000), to_at: None }])
            .await
            .unwrap();

        let q = ReportQuery { from: TimestampMs(50_000), to: TimestampMs(100_000), ..ReportQuery::default() };
        let closed: Vec<m::AgentStateInterval> = store.stream_report_states(&q, None).try_collect().await.unwrap();
        let got: Vec<Spell> = closed
            .iter()
            .map(|s| (s.agent.as_str(), s.team.as_deref(), s.state, s.reason.as_deref(), s.from.0, s.to.0))
            .collect();
        assert_eq!(
            got,
            [
                ("ana", Some("Team 1"), Ready, None, 0, 60_000),
                ("agent-7", None, Busy, None, 30_000, 500_000),
                ("ana", Some("Team 1"), NotReady, Some("Lunch"), 60_000, 90_000),
            ]
        );
        let mut sorted = closed.clone();
        sorted.sort_by_key(|s| s.from);
        assert_eq!(store.report_states(&q, None).await.unwrap(), sorted);
        let open: Vec<m::AgentStateInterval> = store.stream_report_states(&q, Some(TimestampMs(80_000))).try_collect().await.unwrap();
        assert_eq!(store.report_states(&q, Some(TimestampMs(80_000))).await.unwrap(), open);
        assert_eq!(open.len(), 4);
        assert_eq!((open[3].agent.as_str(), open[3].from.0, open[3].to.0), ("bo", 70_000, 80_000));
        // Agent and team filters; a queue filter does not apply to agent time.
        let ana: Vec<m::AgentStateInterval> = store
            .stream_report_states(&ReportQuery { agent: Some("ana".into()), queue: Some("Billing".into()), ..q.clone() }, None)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ana.len(), 2);
        let team: Vec<m::AgentStateInterval> = store
            .stream_report_states(&ReportQuery { team: Some("Team 1".into()), ..q.clone() }, Some(TimestampMs(80_000)))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(team.iter().map(|s| s.agent.as_str()).collect::<Vec<_>>(), ["ana", "ana", "bo"]);
        let q_team = ReportQuery { team: Some("Team 1".into()), ..q.clone() };
        assert_eq!(store.report_states(&q_team, Some(TimestampMs(80_000))).await.unwrap(), team);
    }
);

both!(
    /// A report fed by the bulk scan (split over threads, only the fields the report
    /// needs) is the report fed by the stream of whole records, for every grouping.
    async fn reports_from_the_scan_equal_reports_from_the_stream(db) {
        let store = db.connect().await;
        let _ = center(&store).await;
        // 600 records over 10 hours: three queues, five agents (two of them in Team 1
        // after the import resolves them), every outcome, two channels.
        let mut records = Vec::new();
        for i in 0..600i64 {
            let agent = match i % 7 {
                0 => None,
                k => Some((["ana", "bo", "Agent/7", "Agent/9", "NAAMA"][(k % 5) as usize], None)),
            };
            let mut r = rec(&format!("r{i}"), ["Billing", "Faults", "Sales"][(i % 3) as usize], agent, i * 60);
            r.wait = m::DurationMs((i * 7_919) % 60_000);
            if i % 11 == 0 {
                r.channel = m::Channel::Chat;
            }
            if i % 13 == 0 && r.answered_at.is_some() {
                r.transfers = 1;
            }
            r.attributes.insert("vip".into(), json!(i % 4 == 0));
            records.push(r);
        }
        let mut import = store.begin_import(&new_import(ImportKind::Records, SHA_A, 1)).await.unwrap();
        for chunk in records.chunks(100) {
            import.add_records(chunk).await.unwrap();
        }
        import.finish(end(2)).await.unwrap();

        let tz = jiff::tz::TimeZone::UTC;
        for (by, range) in [
            (vec![m::Dimension::Queue], (0, 36_000)),
            (vec![m::Dimension::Agent, m::Dimension::Channel], (0, 36_000)),
            (vec![m::Dimension::Team], (3_600, 7_200)),
            (vec![m::Dimension::Attribute("vip".into())], (0, 36_000)),
            (vec![], (0, 36_000)),
        ] {
            let q = ReportQuery { from: TimestampMs(range.0 * 1000), to: TimestampMs(range.1 * 1000), ..ReportQuery::default() };
            let mut spec = m::ReportSpec::new(m::TimestampMs(q.from.0), m::TimestampMs(q.to.0), tz.clone());
            spec.group_by = by.clone();
            spec.kpis = vec![m::KpiId::Offered, m::KpiId::Answered, m::KpiId::ServiceLevel, m::KpiId::AhtS, m::KpiId::TransferRate];
            let mut streamed = m::Report::new(spec.clone()).unwrap();
            let all: Vec<m::ContactRecord> = store.stream_report_records(&q).try_collect().await.unwrap();
            for r in &all {
                streamed.add(r);
            }
            let (scanned, n) = store
                .scan_report_records(&q, RecordFields::for_report(&spec), m::Report::new(spec.clone()).unwrap(), |rep, r| rep.add(r))
                .await
                .unwrap();
            assert_eq!(n, all.len() as u64, "{by:?}");
            assert_eq!(scanned.finish(), streamed.finish(), "{by:?}");
        }
    }
);

both!(
    /// Records and queues written while a scan runs (an import beside a report) are not
    /// read, and never break it: every record it reads names a queue it knows.
    async fn a_scan_reads_a_consistent_snapshot_while_writes_go_on(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let records: Vec<ContactRecord> = (0..200).map(|i| answered(&format!("a{i}"), c.queue.id, c.ana.id, i)).collect();
        store.insert_contact_records(&records).await.unwrap();
        // An agent filter: the scan reads through the agent index on one connection.
        let q = ReportQuery { from: TimestampMs(0), to: TimestampMs(1_000_000), agent: Some("ana".into()), ..ReportQuery::default() };
        let writer = store.clone();
        let written = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = written.clone();
        let handle = tokio::runtime::Handle::current();
        let (seen, n) = store
            .scan_report_records(&q, RecordFields::default(), Vec::new(), move |v, r| {
                v.push(r.queue.clone());
                if !flag.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    // On the scan's thread: a new queue and a record of ana's in it,
                    // committed now.
                    tokio::task::block_in_place(|| {
                        handle.block_on(async {
                            let late = writer.create_queue(&queue("Late", c.skill.id)).await.unwrap();
                            writer.insert_contact_records(&[answered("late-1", late.id, c.ana.id, 10)]).await.unwrap();
                        })
                    });
                }
            })
            .await
            .unwrap();
        assert!(written.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(n, 200);
        assert!(seen.iter().all(|q| q == "Billing"), "{seen:?}");
        // The next scan sees it.
        let (_, n) = store.scan_report_records(&q, RecordFields::default(), (), |_, _| {}).await.unwrap();
        assert_eq!(n, 201);
    }
);
