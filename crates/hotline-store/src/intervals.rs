//! Interval sums: the `contact_intervals` table, one row per 15-minute cell, queue and
//! channel holding what reports need of the records that arrived in it
//! ([`m::ContactSums`]). Every write of contact records adds the records it really
//! inserted (not the duplicates it skipped) to their cells in the same transaction;
//! a report whose intervals fall on cell boundaries reads the cells
//! ([`Store::scan_contact_intervals`], [`Store::read_report_contacts`]) instead of
//! every record. Records are never updated or deleted, so cells only ever grow.
//!
//! A cell is stored in parts that reports add up: part 0, shared by live writes, and
//! each import's own part. A part is read, merged and written back. Writers of part 0 on
//! PostgreSQL may run on several nodes at once, so they merge under a transaction-scoped
//! advisory lock and never into the same old value; an import's part has one writer,
//! so a long import neither holds nor waits for that lock. SQLite has one writer at a
//! time already. See docs/storage.md, "Interval cells".

use std::collections::HashMap;
use std::path::Path;

use futures_util::TryStreamExt;
use hotline_metrics as m;
use rusqlite::types::ValueRef;

use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::ids::TimestampMs;
use crate::reports::ReportQuery;
use crate::scan::{self, RecordFields, ScanSink};
use crate::Store;

/// The advisory lock key PostgreSQL writers of cells take ("HLCELLS" in ASCII).
pub(crate) const PG_CELLS_LOCK: i64 = 0x0048_4c43_454c_4c53;

/// Cells per multi-row INSERT (19 parameters each).
pub(crate) const CELL_CHUNK: usize = 500;

/// The first millisecond of the cell holding `t`.
pub(crate) fn cell_start(t: i64) -> i64 {
    t.div_euclid(m::CELL_MS) * m::CELL_MS
}

/// A cell's key: its start, queue id and channel.
pub(crate) type CellKey = (i64, i64, m::Channel);

/// The cells a write adds to: (cell start, queue id, channel) → sums, all of one part.
#[derive(Debug, Default)]
pub(crate) struct CellBatch {
    /// 0: the shared part (live writes); an import's id: that import's own part.
    part: i64,
    cells: HashMap<CellKey, m::ContactSums>,
}

impl CellBatch {
    /// The cells of import `id`, kept in their own part.
    pub fn of_import(id: i64) -> CellBatch {
        CellBatch {
            part: id,
            cells: HashMap::new(),
        }
    }

    pub fn part(&self) -> i64 {
        self.part
    }

    /// Adds a record of queue `queue_id` (its queue name is not read).
    pub fn add(&mut self, queue_id: i64, r: &m::ContactRecord) {
        self.cells
            .entry((cell_start(r.arrived_at.0), queue_id, r.channel))
            .or_default()
            .add(r);
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// The range of cell starts, for reading the stored cells the batch meets.
    pub(crate) fn span(&self) -> (i64, i64) {
        let lo = self.cells.keys().map(|k| k.0).min().unwrap_or(0);
        let hi = self.cells.keys().map(|k| k.0).max().unwrap_or(0);
        (lo, hi)
    }
}

/// A stored cell.
#[derive(sqlx::FromRow)]
pub(crate) struct CellRow {
    cell_start: i64,
    queue_id: i64,
    channel: String,
    /// Reports add the parts of a cell up, whichever they are.
    #[allow(dead_code)]
    part: i64,
    offered: i64,
    answered: i64,
    abandoned: i64,
    flowed_out: i64,
    callbacks: i64,
    transferred: i64,
    wait_answered_ms: i64,
    wait_abandoned_ms: i64,
    max_wait_ms: i64,
    talk_ms: i64,
    hold_ms: i64,
    wrap_up_ms: i64,
    waits: Vec<u8>,
    answered_waits: Vec<u8>,
    abandoned_waits: Vec<u8>,
}

const CELL_COLUMNS: &str = "cell_start, queue_id, channel, part, offered, answered, abandoned, \
    flowed_out, callbacks, transferred, wait_answered_ms, wait_abandoned_ms, max_wait_ms, \
    talk_ms, hold_ms, wrap_up_ms, waits, answered_waits, abandoned_waits";

const TABLE: &str = "contact_intervals";

fn corrupt(column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        table: TABLE,
        column,
        value: value.into(),
    }
}

fn count(column: &'static str, v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| corrupt(column, v.to_string()))
}

fn histogram(column: &'static str, bytes: &[u8]) -> Result<m::WaitHistogram> {
    m::WaitHistogram::decode(bytes).map_err(|e| corrupt(column, e.to_string()))
}

fn channel(text: &str) -> Result<m::Channel> {
    m::Channel::parse(text).ok_or_else(|| corrupt("channel", text))
}

/// The counts and sums of a cell, in [`CELL_COLUMNS`] order from `offered` on, before
/// the histograms.
pub(crate) fn scalars(s: &m::ContactSums) -> [i64; 12] {
    let c = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    [
        c(s.offered),
        c(s.answered),
        c(s.abandoned),
        c(s.flowed_out),
        c(s.callbacks),
        c(s.transferred),
        s.wait_answered_ms,
        s.wait_abandoned_ms,
        s.max_wait_ms,
        s.talk_ms,
        s.hold_ms,
        s.wrap_up_ms,
    ]
}

fn sums_from(v: [i64; 12], h: [m::WaitHistogram; 3]) -> Result<m::ContactSums> {
    let [waits, answered_waits, abandoned_waits] = h;
    Ok(m::ContactSums {
        offered: count("offered", v[0])?,
        answered: count("answered", v[1])?,
        abandoned: count("abandoned", v[2])?,
        flowed_out: count("flowed_out", v[3])?,
        callbacks: count("callbacks", v[4])?,
        transferred: count("transferred", v[5])?,
        wait_answered_ms: v[6],
        wait_abandoned_ms: v[7],
        max_wait_ms: v[8],
        talk_ms: v[9],
        hold_ms: v[10],
        wrap_up_ms: v[11],
        waits,
        answered_waits,
        abandoned_waits,
    })
}

impl CellRow {
    fn key(&self) -> Result<CellKey> {
        Ok((self.cell_start, self.queue_id, channel(&self.channel)?))
    }

    fn sums(&self) -> Result<m::ContactSums> {
        sums_from(
            [
                self.offered,
                self.answered,
                self.abandoned,
                self.flowed_out,
                self.callbacks,
                self.transferred,
                self.wait_answered_ms,
                self.wait_abandoned_ms,
                self.max_wait_ms,
                self.talk_ms,
                self.hold_ms,
                self.wrap_up_ms,
            ],
            [
                histogram("waits", &self.waits)?,
                histogram("answered_waits", &self.answered_waits)?,
                histogram("abandoned_waits", &self.abandoned_waits)?,
            ],
        )
    }
}

/// Adds `$batch` (a [`CellBatch`]) to the stored cells inside the open transaction
/// `$conn` (a `&mut` connection of database `$Db`; `$pg`: it is PostgreSQL): reads the
/// cells it meets, merges, writes them back. A statement: errors return from the
/// enclosing function with `?`, which rolls the transaction back.
macro_rules! write_cells {
    ($conn:expr, $Db:ty, $pg:expr, $batch:expr) => {{
        let batch: $crate::intervals::CellBatch = $batch;
        if !batch.is_empty() {
            let conn = $conn;
            // An import's own part has no other writer.
            if $pg && batch.part() == 0 {
                ::sqlx::query::<$Db>("SELECT pg_advisory_xact_lock($1)")
                    .bind($crate::intervals::PG_CELLS_LOCK)
                    .execute(&mut *conn)
                    .await?;
            }
            let (lo, hi) = batch.span();
            let stored: Vec<$crate::intervals::CellRow> = ::sqlx::query_as::<$Db, _>(
                ::sqlx::AssertSqlSafe($crate::intervals::select_span_sql()),
            )
            .bind(lo)
            .bind(hi)
            .bind(batch.part())
            .fetch_all(&mut *conn)
            .await?;
            let part = batch.part();
            let cells = batch.merged_with(stored)?;
            for chunk in cells.chunks($crate::intervals::CELL_CHUNK) {
                let mut qb = ::sqlx::QueryBuilder::<$Db>::new($crate::intervals::insert_sql());
                qb.push_values(chunk, |mut row, (key, sums)| {
                    row.push_bind(key.0)
                        .push_bind(key.1)
                        .push_bind(key.2.as_str())
                        .push_bind(part);
                    for v in $crate::intervals::scalars(sums) {
                        row.push_bind(v);
                    }
                    row.push_bind(sums.waits.encode())
                        .push_bind(sums.answered_waits.encode())
                        .push_bind(sums.abandoned_waits.encode());
                });
                qb.push($crate::intervals::upsert_sql());
                qb.build().execute(&mut *conn).await?;
            }
        }
    }};
}
pub(crate) use write_cells;

pub(crate) fn select_span_sql() -> String {
    format!(
        "SELECT {CELL_COLUMNS} FROM contact_intervals \
         WHERE cell_start >= $1 AND cell_start <= $2 AND part = $3"
    )
}

pub(crate) fn insert_sql() -> String {
    format!("INSERT INTO contact_intervals ({CELL_COLUMNS}) ")
}

pub(crate) fn upsert_sql() -> String {
    let set: Vec<String> = CELL_COLUMNS
        .split(", ")
        .skip(4)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        " ON CONFLICT (cell_start, queue_id, channel, part) DO UPDATE SET {}",
        set.join(", ")
    )
}

impl CellBatch {
    /// The batch's cells with the stored ones they meet added in, by key.
    pub(crate) fn merged_with(
        mut self,
        stored: Vec<CellRow>,
    ) -> Result<Vec<(CellKey, m::ContactSums)>> {
        for row in stored {
            let key = row.key()?;
            if let Some(cell) = self.cells.get_mut(&key) {
                cell.merge(&row.sums()?);
            }
        }
        let mut cells: Vec<_> = self.cells.into_iter().collect();
        cells.sort_by_key(|(k, _)| (k.0, k.1, k.2.as_str()));
        Ok(cells)
    }
}

/// The interval sums' own "not found" and misuse errors use the report query's fields.
fn check_query(q: &ReportQuery) -> Result<()> {
    if let Some(agent) = &q.agent {
        return Err(StoreError::invalid(
            "agent",
            agent,
            "no agent filter: interval sums are by queue and channel",
        ));
    }
    if let Some(team) = &q.team {
        return Err(StoreError::invalid(
            "team",
            team,
            "no team filter: interval sums are by queue and channel",
        ));
    }
    Ok(())
}

/// What [`Store::read_report_contacts`] fills: a report, and whatever the caller
/// counts beside it (a wait histogram), from records or from cells alike.
pub trait ContactSink: ScanSink {
    /// The report being filled (its spec decides how contacts are read).
    fn report(&self) -> &m::Report;
    /// Adds one record.
    fn record(&mut self, r: &m::ContactRecord);
    /// Adds one cell: the contacts of `queue` and `channel` that arrived in
    /// `[start, start + CELL_MS)`.
    fn cell(&mut self, start: m::TimestampMs, queue: &str, channel: m::Channel, s: &m::ContactSums);
}

impl ContactSink for m::Report {
    fn report(&self) -> &m::Report {
        self
    }
    fn record(&mut self, r: &m::ContactRecord) {
        self.add(r);
    }
    fn cell(
        &mut self,
        start: m::TimestampMs,
        queue: &str,
        channel: m::Channel,
        s: &m::ContactSums,
    ) {
        self.add_sums(start, queue, channel, s);
    }
}

/// How [`Store::read_report_contacts`] read the contacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactsRead {
    /// From this many interval cells.
    Cells(u64),
    /// Record by record, this many.
    Records(u64),
}

impl Store {
    /// Adds the contacts of `q` to `sink`: from the interval cells when its report
    /// [`m::Report::takes_sums`] and `q` filters by queue at most, else record by record
    /// ([`Store::scan_report_records`] with the fields the report needs). Both ways
    /// give the same report. A queue, agent or team that does not exist is
    /// [`StoreError::NotFound`].
    pub async fn read_report_contacts<S: ContactSink>(
        &self,
        q: &ReportQuery,
        sink: S,
    ) -> Result<(S, ContactsRead)> {
        if sink.report().takes_sums() && q.agent.is_none() && q.team.is_none() {
            let (sink, n) = self
                .scan_contact_intervals(q, sink, |s, start, queue, channel, sums| {
                    s.cell(start, queue, channel, sums)
                })
                .await?;
            return Ok((sink, ContactsRead::Cells(n)));
        }
        let fields = RecordFields::for_report(sink.report().spec());
        let (sink, n) = self
            .scan_report_records(q, fields, sink, |s, r| s.record(r))
            .await?;
        Ok((sink, ContactsRead::Records(n)))
    }

    /// Calls `f` with every interval cell that starts in `[q.from, q.to)` (of `q`'s
    /// queue, if any), in no particular order. Returns the accumulator and the number of
    /// cells. `q` may not filter by agent or team (cells are by queue and channel).
    pub async fn scan_contact_intervals<A, F>(
        &self,
        q: &ReportQuery,
        mut acc: A,
        mut f: F,
    ) -> Result<(A, u64)>
    where
        A: Send + 'static,
        F: FnMut(&mut A, m::TimestampMs, &str, m::Channel, &m::ContactSums) + Send + 'static,
    {
        check_query(q)?;
        self.check_report_query(q).await?;
        match &self.backend {
            Backend::Sqlite { path, .. } => {
                let (path, q) = (path.clone(), q.clone());
                scan::blocking(move || sqlite_cells(&path, &q, acc, f)).await
            }
            Backend::Postgres(pool) => {
                let sql = format!(
                    "SELECT {CELL_COLUMNS} FROM contact_intervals \
                     WHERE cell_start >= $1 AND cell_start < $2 \
                     AND ($3::text IS NULL OR queue_id = (SELECT id FROM queues WHERE name = $3))"
                );
                let rows = sqlx::query_as::<sqlx::Postgres, CellRow>(sqlx::AssertSqlSafe(sql))
                    .bind(q.from.0)
                    .bind(q.to.0)
                    .bind(q.queue.clone())
                    .fetch_all(pool)
                    .await?;
                // Names after the cells: every queue a cell names exists by then (a queue
                // with records cannot be deleted).
                let names: HashMap<i64, String> =
                    sqlx::query_as::<sqlx::Postgres, (i64, String)>("SELECT id, name FROM queues")
                        .fetch_all(pool)
                        .await?
                        .into_iter()
                        .collect();
                let mut n = 0;
                for row in rows {
                    let queue = names
                        .get(&row.queue_id)
                        .ok_or_else(|| corrupt("queue_id", row.queue_id.to_string()))?;
                    let (start, _, channel) = row.key()?;
                    f(
                        &mut acc,
                        m::TimestampMs(start),
                        queue,
                        channel,
                        &row.sums()?,
                    );
                    n += 1;
                }
                Ok((acc, n))
            }
        }
    }

    /// Fills the interval cells from the stored records if they do not hold them yet
    /// (a database that had records before the cells came): once, at open.
    pub(crate) async fn build_contact_intervals(&self, now: TimestampMs) -> Result<()> {
        let built = |n: Option<i64>| n.is_some();
        let done = crate::db::on_read!(self, |pool, Db| {
            sqlx::query_scalar::<Db, i64>("SELECT records FROM contact_intervals_built")
                .fetch_optional(pool)
                .await?
        });
        if built(done) {
            return Ok(());
        }
        crate::db::in_write_tx!(self, |tx, Db| {
            let pg = matches!(self.backend, Backend::Postgres(_));
            if pg {
                // No record may be written between the read and the mark.
                sqlx::query::<Db>("LOCK TABLE contact_records IN SHARE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            // Another process may have built them while this one waited.
            let done = sqlx::query_scalar::<Db, i64>("SELECT records FROM contact_intervals_built")
                .fetch_optional(&mut *tx)
                .await?;
            if !built(done) {
                let mut batch = CellBatch::default();
                let mut n = 0i64;
                {
                    let mut rows = sqlx::query_as::<Db, FactsRow>(
                        "SELECT queue_id, channel, arrived_at, answered_at, outcome, wait_ms, \
                         talk_ms, hold_ms, wrap_up_ms, transfers FROM contact_records",
                    )
                    .fetch(&mut *tx);
                    while let Some(row) = rows.try_next().await? {
                        let (queue, r) = row.record()?;
                        batch.add(queue, &r);
                        n += 1;
                    }
                }
                sqlx::query::<Db>("DELETE FROM contact_intervals")
                    .execute(&mut *tx)
                    .await?;
                write_cells!(&mut *tx, Db, pg, batch);
                sqlx::query::<Db>(
                    "INSERT INTO contact_intervals_built (id, built_at, records) VALUES (1, $1, $2)",
                )
                .bind(now.0)
                .bind(n)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }
}

/// What a cell needs of a stored record.
#[derive(sqlx::FromRow)]
struct FactsRow {
    queue_id: i64,
    channel: String,
    arrived_at: i64,
    answered_at: Option<i64>,
    outcome: String,
    wait_ms: i64,
    talk_ms: i64,
    hold_ms: i64,
    wrap_up_ms: i64,
    transfers: i64,
}

impl FactsRow {
    fn record(self) -> Result<(i64, m::ContactRecord)> {
        let bad = |column: &'static str, value: String| StoreError::Corrupt {
            table: "contact_records",
            column,
            value,
        };
        let outcome =
            m::Outcome::parse(&self.outcome).ok_or_else(|| bad("outcome", self.outcome.clone()))?;
        let channel =
            m::Channel::parse(&self.channel).ok_or_else(|| bad("channel", self.channel.clone()))?;
        let transfers = u32::try_from(self.transfers)
            .map_err(|_| bad("transfers", self.transfers.to_string()))?;
        Ok((
            self.queue_id,
            facts(
                channel,
                self.arrived_at,
                self.answered_at,
                outcome,
                [self.wait_ms, self.talk_ms, self.hold_ms, self.wrap_up_ms],
                transfers,
            ),
        ))
    }
}

/// A record carrying only what a cell reads.
pub(crate) fn facts(
    channel: m::Channel,
    arrived_at: i64,
    answered_at: Option<i64>,
    outcome: m::Outcome,
    [wait, talk, hold, wrap_up]: [i64; 4],
    transfers: u32,
) -> m::ContactRecord {
    m::ContactRecord {
        contact_id: String::new(),
        queue: String::new(),
        channel,
        customer: String::new(),
        agent: None,
        team: None,
        arrived_at: m::TimestampMs(arrived_at),
        answered_at: answered_at.map(m::TimestampMs),
        ended_at: m::TimestampMs(arrived_at),
        wrap_up_end_at: None,
        outcome,
        wait: m::DurationMs(wait),
        talk: m::DurationMs(talk),
        hold: m::DurationMs(hold),
        wrap_up: m::DurationMs(wrap_up),
        transfers,
        attributes: serde_json::Map::new(),
    }
}

fn sqlite_cells<A, F>(path: &Path, q: &ReportQuery, mut acc: A, mut f: F) -> Result<(A, u64)>
where
    F: FnMut(&mut A, m::TimestampMs, &str, m::Channel, &m::ContactSums),
{
    let mut conn = scan::open(path)?;
    // Names and cells from one snapshot.
    let tx = conn.transaction().map_err(scan::db_err)?;
    let mut names: HashMap<i64, String> = HashMap::new();
    {
        let mut stmt = tx
            .prepare("SELECT id, name FROM queues")
            .map_err(scan::db_err)?;
        let mut rows = stmt.query([]).map_err(scan::db_err)?;
        while let Some(row) = rows.next().map_err(scan::db_err)? {
            names.insert(
                row.get(0).map_err(scan::db_err)?,
                row.get(1).map_err(scan::db_err)?,
            );
        }
    }
    let mut sql = format!(
        "SELECT {CELL_COLUMNS} FROM contact_intervals WHERE cell_start >= ?1 AND cell_start < ?2"
    );
    let mut params: Vec<i64> = vec![q.from.0, q.to.0];
    if let Some(queue) = &q.queue {
        let id = names
            .iter()
            .find(|(_, n)| *n == queue)
            .map(|(&id, _)| id)
            .ok_or_else(|| StoreError::not_found("queue", queue))?;
        sql.push_str(" AND queue_id = ?3");
        params.push(id);
    }
    let mut stmt = tx.prepare(&sql).map_err(scan::db_err)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params))
        .map_err(scan::db_err)?;
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(scan::db_err)? {
        let v = |i: usize| row.get_ref(i).map_err(scan::db_err);
        let int = |i: usize, column: &'static str| -> Result<i64> {
            match v(i)? {
                ValueRef::Integer(x) => Ok(x),
                other => Err(corrupt(column, format!("{:?}", other.data_type()))),
            }
        };
        let blob = |i: usize, column: &'static str| -> Result<m::WaitHistogram> {
            match v(i)? {
                ValueRef::Blob(b) => histogram(column, b),
                other => Err(corrupt(column, format!("{:?}", other.data_type()))),
            }
        };
        let start = int(0, "cell_start")?;
        let queue_id = int(1, "queue_id")?;
        let queue = names
            .get(&queue_id)
            .ok_or_else(|| corrupt("queue_id", queue_id.to_string()))?;
        let ch = match v(2)? {
            ValueRef::Text(t) => channel(std::str::from_utf8(t).unwrap_or("?"))?,
            other => return Err(corrupt("channel", format!("{:?}", other.data_type()))),
        };
        const NAMES: [&str; 12] = [
            "offered",
            "answered",
            "abandoned",
            "flowed_out",
            "callbacks",
            "transferred",
            "wait_answered_ms",
            "wait_abandoned_ms",
            "max_wait_ms",
            "talk_ms",
            "hold_ms",
            "wrap_up_ms",
        ];
        let mut scalars = [0i64; 12];
        for (i, slot) in scalars.iter_mut().enumerate() {
            *slot = int(4 + i, NAMES[i])?;
        }
        let sums = sums_from(
            scalars,
            [
                blob(16, "waits")?,
                blob(17, "answered_waits")?,
                blob(18, "abandoned_waits")?,
            ],
        )?;
        f(&mut acc, m::TimestampMs(start), queue, ch, &sums);
        n += 1;
    }
    Ok((acc, n))
}
