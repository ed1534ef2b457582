//! Interval cells: every write keeps them (imports, re-imports with duplicates, live
//! records), a report from them is the report from the records, and cells built from
//! the records at open (a database older than the cells) are the cells writes keep.

use hotline_metrics as m;
use hotline_store::*;
use serde_json::json;
use sqlx::Connection;

use crate::fixtures::*;
use crate::harness::TestDb;

const SHA_1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const SHA_2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

/// Record `i` of a day of traffic from 2024-03-04 00:00 UTC: three queues, two channels,
/// waits in milliseconds (whole seconds every third one, as imports have them), every
/// outcome.
fn rec(i: i64) -> m::ContactRecord {
    let arrived = 1_709_510_400_000 + i * 97_000;
    let wait = if i % 3 == 0 {
        (i * 7_919) % 90 * 1000
    } else {
        (i * 7_919) % 90_000
    };
    let outcome = [
        m::Outcome::Answered,
        m::Outcome::Abandoned,
        m::Outcome::Answered,
        m::Outcome::TransferredOut,
        m::Outcome::CallbackCompleted,
        m::Outcome::Answered,
    ][(i % 6) as usize];
    let answered = matches!(
        outcome,
        m::Outcome::Answered | m::Outcome::CallbackCompleted
    );
    m::ContactRecord {
        contact_id: format!("r{i}"),
        queue: ["Billing", "Faults", "Sales"][(i % 3) as usize].into(),
        channel: if i % 7 == 0 {
            m::Channel::Chat
        } else {
            m::Channel::Voice
        },
        customer: String::new(),
        agent: answered.then(|| ["ana", "bo"][(i % 2) as usize].to_owned()),
        team: None,
        arrived_at: m::TimestampMs(arrived),
        answered_at: answered.then_some(m::TimestampMs(arrived + wait)),
        ended_at: m::TimestampMs(arrived + wait + 60_000),
        wrap_up_end_at: None,
        outcome,
        wait: m::DurationMs(wait),
        talk: m::DurationMs(if answered { 60_000 + i } else { 0 }),
        hold: m::DurationMs(if answered { i % 5 * 1000 } else { 0 }),
        wrap_up: m::DurationMs(if answered { 15_000 } else { 0 }),
        transfers: u32::from(answered && i % 5 == 0),
        attributes: json!({}).as_object().unwrap().clone(),
    }
}

/// A report to compare: grouping, interval, zone, service-level and short-abandon
/// thresholds (s), queue filter, from and to (ms).
type Case = (
    Vec<m::Dimension>,
    &'static str,
    &'static str,
    i64,
    i64,
    Option<&'static str>,
    i64,
    i64,
);

async fn import(store: &Store, sha: &str, records: &[m::ContactRecord]) -> ImportRun {
    let mut import = store
        .begin_import(&NewImport {
            kind: ImportKind::Records,
            source: "day.csv".into(),
            sha256: sha.into(),
            started_at: TimestampMs(1),
        })
        .await
        .unwrap();
    for chunk in records.chunks(97) {
        import.add_records(chunk).await.unwrap();
    }
    import
        .finish(ImportEnd {
            finished_at: TimestampMs(2),
            ..ImportEnd::default()
        })
        .await
        .unwrap()
}

/// Every stored cell, its parts (an import's own, the shared one) added up, by key.
async fn cells(store: &Store) -> Vec<(i64, String, m::Channel, m::ContactSums)> {
    let q = ReportQuery {
        from: TimestampMs(0),
        to: TimestampMs(i64::MAX / 2),
        ..ReportQuery::default()
    };
    let (parts, n) = store
        .scan_contact_intervals(&q, Vec::new(), |v, start, queue, channel, sums| {
            v.push((start.0, queue.to_owned(), channel.as_str(), sums.clone()));
        })
        .await
        .unwrap();
    assert_eq!(n as usize, parts.len());
    let mut by_key: std::collections::BTreeMap<(i64, String, &str), m::ContactSums> =
        Default::default();
    for (start, queue, channel, sums) in parts {
        by_key
            .entry((start, queue, channel))
            .or_default()
            .merge(&sums);
    }
    by_key
        .into_iter()
        .map(|((s, q, c), sums)| (s, q, m::Channel::parse(c).unwrap(), sums))
        .collect()
}

/// The report of `spec` from the records, one by one.
async fn from_records(store: &Store, q: &ReportQuery, spec: &m::ReportSpec) -> m::ReportTable {
    let (report, _) = store
        .scan_report_records(
            q,
            RecordFields::for_report(spec),
            m::Report::new(spec.clone()).unwrap(),
            |rep, r| rep.add(r),
        )
        .await
        .unwrap();
    report.finish()
}

async fn exec(db: &TestDb, sql: &str) {
    match db.kind {
        BackendKind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap();
        }
        BackendKind::Postgres => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap();
        }
    }
}

both!(
    /// Two overlapping imports (duplicates within and across them) and live records
    /// (some already imported): every report that can come from cells is the report of
    /// the records, whatever the grouping, intervals, zone, thresholds and queue.
    async fn reports_from_cells_are_reports_from_records(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let mut first: Vec<m::ContactRecord> = (0..600).map(rec).collect();
        first.push(rec(5)); // the same contact twice in one file
        let run = import(&store, SHA_1, &first).await;
        assert_eq!((run.records_accepted, run.records_duplicate), (600, 1));
        // The next day's export repeats the last 200 records of the first.
        let second: Vec<m::ContactRecord> = (400..900).map(rec).collect();
        let run = import(&store, SHA_2, &second).await;
        assert_eq!((run.records_accepted, run.records_duplicate), (300, 200));
        // Live records: two new ones in an existing cell, one already imported.
        let mut live = vec![answered("live-1", c.queue.id, c.ana.id, 1_709_510_400 + 60),
            answered("live-2", c.queue.id, c.bo.id, 1_709_510_400 + 61)];
        live[1].channel = Channel::Chat;
        let mut dup = answered("r3", c.queue.id, c.ana.id, 1_709_510_400 + 3 * 97);
        dup.wait_ms = DurationMs(1);
        live.push(dup);
        assert_eq!(store.insert_contact_records(&live).await.unwrap(), 2);

        let day = |d: i64| 1_709_510_400_000 + d * 86_400_000;
        let specs: Vec<Case> = vec![
            (vec![m::Dimension::Queue], "30m", "UTC", 20, 5, None, day(0), day(2)),
            (vec![m::Dimension::Channel], "15m", "UTC", 30, 10, None, day(0), day(1)),
            (vec![m::Dimension::Queue, m::Dimension::Channel], "1h", "Asia/Kolkata", 0, 0, None, day(0) - 19_800_000, day(2) - 19_800_000),
            (vec![], "day", "UTC", 60, 5, None, day(-1), day(3)),
            (vec![m::Dimension::Queue], "30m", "UTC", 20, 5, Some("Faults"), day(0) + 3_600_000, day(0) + 7_200_000),
        ];
        for (by, interval, zone, sl, short, queue, from, to) in specs {
            let q = ReportQuery { from: TimestampMs(from), to: TimestampMs(to), queue: queue.map(str::to_owned), ..ReportQuery::default() };
            let mut spec = m::ReportSpec::new(m::TimestampMs(from), m::TimestampMs(to), jiff::tz::TimeZone::get(zone).unwrap());
            spec.interval = m::Interval::parse(interval).unwrap();
            spec.group_by = by.clone();
            spec.params.service_level_threshold = m::DurationMs::from_secs(sl);
            spec.params.short_abandon_threshold = m::DurationMs::from_secs(short);
            spec.kpis = vec![m::KpiId::Offered, m::KpiId::Answered, m::KpiId::Abandoned, m::KpiId::ShortAbandoned,
                m::KpiId::FlowedOut, m::KpiId::ServiceLevel, m::KpiId::ServiceLevelSl2, m::KpiId::AsaS,
                m::KpiId::MaxWaitS, m::KpiId::AhtS, m::KpiId::AbandonRateExclShort, m::KpiId::TransferRate,
                m::KpiId::CallbackRate];
            let expected = from_records(&store, &q, &spec).await;
            let (report, read) = store.read_report_contacts(&q, m::Report::new(spec.clone()).unwrap()).await.unwrap();
            let ContactsRead::Cells(n) = read else { panic!("{by:?} {interval} {zone}: read {read:?}") };
            let mut got = report.finish();
            assert_eq!(got.stats.cells, n);
            assert!(n > 0 && got.stats.records > 0, "{by:?}");
            got.stats.cells = 0;
            assert_eq!(got, expected, "{by:?} {interval} {zone} {sl} {short} {queue:?}");
        }

        // Not on cell boundaries, a threshold in milliseconds, by agent, or filtered by
        // agent: record by record, the same way.
        let base = m::ReportSpec::new(m::TimestampMs(day(0)), m::TimestampMs(day(1)), jiff::tz::TimeZone::UTC);
        let q = ReportQuery { from: TimestampMs(day(0)), to: TimestampMs(day(1)), ..ReportQuery::default() };
        let mut five = base.clone();
        five.interval = m::Interval::parse("5m").unwrap();
        let mut ms = base.clone();
        ms.params.service_level_threshold = m::DurationMs(20_500);
        let mut by_agent = base.clone();
        by_agent.group_by = vec![m::Dimension::Agent];
        for (spec, q) in [(five, q.clone()), (ms, q.clone()), (by_agent, q.clone()),
            (base.clone(), ReportQuery { agent: Some("ana".into()), ..q.clone() })] {
            let expected = from_records(&store, &q, &spec).await;
            let (report, read) = store.read_report_contacts(&q, m::Report::new(spec.clone()).unwrap()).await.unwrap();
            assert!(matches!(read, ContactsRead::Records(_)), "{read:?}");
            assert_eq!(report.finish(), expected);
        }
        // A queue that does not exist is refused either way.
        let q = ReportQuery { queue: Some("Nope".into()), ..q };
        let err = store.read_report_contacts(&q, m::Report::new(base).unwrap()).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { entity: "queue", .. }), "{err:?}");
    }
);

both!(
    /// A database whose records predate the cells (the marker and the cells removed, as
    /// before the migration) gets them at the next open: the same cells the writes kept.
    async fn cells_built_at_open_are_the_cells_writes_keep(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        import(&store, SHA_1, &(0..300).map(rec).collect::<Vec<_>>()).await;
        store.insert_contact_records(&[answered("live-1", c.queue.id, c.ana.id, 1_709_510_460)]).await.unwrap();
        let kept = cells(&store).await;
        assert!(kept.len() > 50, "{}", kept.len());
        let offered: u64 = kept.iter().map(|c| c.3.offered).sum();
        assert_eq!(offered, 301);
        store.close().await;

        exec(&db, "DELETE FROM contact_intervals_built; DELETE FROM contact_intervals;").await;
        let store = db.connect().await;
        assert_eq!(cells(&store).await, kept);
        // Opening again does not build them twice.
        store.close().await;
        let store = db.connect().await;
        assert_eq!(cells(&store).await, kept);
    }
);

both!(
    /// An import rolled back leaves no cells behind; cells refuse an agent filter.
    async fn cells_follow_the_transaction(db) {
        let store = db.connect().await;
        let _ = center(&store).await;
        let mut import = store
            .begin_import(&NewImport { kind: ImportKind::Records, source: "x.csv".into(), sha256: SHA_1.into(), started_at: TimestampMs(1) })
            .await
            .unwrap();
        import.add_records(&(0..50).map(rec).collect::<Vec<_>>()).await.unwrap();
        import.abandon().await.unwrap();
        assert_eq!(cells(&store).await, vec![]);
        let q = ReportQuery { from: TimestampMs(0), to: TimestampMs(1), agent: Some("ana".into()), ..ReportQuery::default() };
        let err = store.scan_contact_intervals(&q, (), |_, _, _, _, _| {}).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    }
);
