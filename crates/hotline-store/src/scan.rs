//! The bulk read behind reports, scorecards and the management pages: every contact
//! record (or agent state spell) of a [`ReportQuery`] handed to a closure, one at a time.
//!
//! On SQLite this does not go through sqlx. sqlx runs each SQLite connection on a worker
//! thread and sends every row to the async side as owned values: a month of a large
//! center is millions of rows, and `perf` showed the time going to that per-value copy
//! and to the allocator lock the two threads then fight over (16 s for 2.5 M records,
//! where the report's own arithmetic takes a fraction of a second). Here one blocking
//! thread opens its own read-only connection to the same file (WAL lets it read beside
//! the writer; it sees what was committed when the scan started), reads only the columns
//! the caller needs, turns the small id columns into names from maps read once, and
//! fills **one** record that it lends to the closure for every row — no allocation per
//! row once the strings have grown. PostgreSQL keeps the streaming sqlx read.
//!
//! Rows come in no particular order: a scan over most of the table reads the table in
//! storage order (faster than walking the arrival index, which costs a row lookup per
//! entry), split by rowid into one share per core, each read on its own thread and
//! connection into a [`ScanSink::fork`] of the caller's accumulator, joined at the end.
//! Every share reads only what was committed when the scan began (see `sqlite_records`),
//! so names and records always agree, even while an import adds queues and records.

use std::path::Path;

use futures_util::TryStreamExt;
use hotline_metrics as m;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::ids::TimestampMs;
use crate::reports::ReportQuery;
use crate::Store;

/// The record fields a scan may leave out because reading them costs (a column per row
/// each; text and a JSON document for some). Left out, they come back empty: `""`,
/// `None`, an empty map, `ended_at` = `arrived_at`, channel `voice`. Always read: the
/// queue, arrival and answer times, outcome, wait, talk, hold, wrap-up and transfers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordFields {
    /// `contact_id` and `customer`.
    pub identity: bool,
    /// `agent` and `team`.
    pub agent: bool,
    /// `channel`.
    pub channel: bool,
    /// `ended_at` and `wrap_up_end_at`.
    pub ends: bool,
    /// `attributes`.
    pub attributes: bool,
}

impl RecordFields {
    /// Every field.
    pub const ALL: RecordFields = RecordFields {
        identity: true,
        agent: true,
        channel: true,
        ends: true,
        attributes: true,
    };

    /// Every field but the contact id, the customer and the attributes: what KPIs read
    /// whatever they are grouped by (scorecards, the briefing).
    pub const KPIS: RecordFields = RecordFields {
        identity: false,
        agent: true,
        channel: true,
        ends: true,
        attributes: false,
    };

    /// What an interval report with `spec` reads: the fields its KPIs and groups use.
    pub fn for_report(spec: &m::ReportSpec) -> RecordFields {
        let by = |f: fn(&m::Dimension) -> bool| spec.group_by.iter().any(f);
        RecordFields {
            identity: false,
            agent: by(|d| matches!(d, m::Dimension::Agent | m::Dimension::Team)),
            channel: by(|d| matches!(d, m::Dimension::Channel)),
            ends: false,
            attributes: spec.needs_attributes(),
        }
    }

    /// Empties the fields of `r` that are not in `self`.
    fn blank(&self, r: &mut m::ContactRecord) {
        if !self.identity {
            r.contact_id.clear();
            r.customer.clear();
        }
        if !self.agent {
            r.agent = None;
            r.team = None;
        }
        if !self.channel {
            r.channel = m::Channel::Voice;
        }
        if !self.ends {
            r.ended_at = r.arrived_at;
            r.wrap_up_end_at = None;
        }
        if !self.attributes {
            r.attributes.clear();
        }
    }
}

/// What a scan accumulates into. A scan split over threads gives each share a fork and
/// joins them back into the original, so the result must not depend on how the rows
/// were shared out (sums, counts, collections to be sorted).
pub trait ScanSink: Send + 'static {
    /// An empty accumulator like this one, for another share of the rows.
    fn fork(&self) -> Self;
    /// Adds what a fork accumulated.
    fn absorb(&mut self, other: Self);
}

impl ScanSink for m::Report {
    fn fork(&self) -> Self {
        m::Report::fork(self)
    }
    fn absorb(&mut self, other: Self) {
        self.merge(other);
    }
}

/// Nothing to accumulate (a count: the scan returns it).
impl ScanSink for () {
    fn fork(&self) -> Self {}
    fn absorb(&mut self, _: Self) {}
}

impl<T: Send + 'static> ScanSink for Vec<T> {
    fn fork(&self) -> Self {
        Vec::new()
    }
    fn absorb(&mut self, mut other: Self) {
        self.append(&mut other);
    }
}

impl<A: ScanSink, B: ScanSink> ScanSink for (A, B) {
    fn fork(&self) -> Self {
        (self.0.fork(), self.1.fork())
    }
    fn absorb(&mut self, other: Self) {
        self.0.absorb(other.0);
        self.1.absorb(other.1);
    }
}

/// Most threads a scan uses.
const MAX_SHARES: usize = 4;

/// A query's share of the arrival range above which reading the whole table beats the
/// arrival index (each index entry costs a lookup of its row; measured on 2.5 M rows).
const TABLE_SCAN_SHARE: f64 = 0.25;

impl Store {
    /// Calls `f` with every contact record of `q` (arrivals in `[from, to)`, of its
    /// queue, agent or team) and the accumulator, in no particular order, with the
    /// fields of `fields` (the others empty). Returns the accumulator and the number of
    /// records. A queue, agent or team that does not exist is [`StoreError::NotFound`].
    pub async fn scan_report_records<A, F>(
        &self,
        q: &ReportQuery,
        fields: RecordFields,
        mut acc: A,
        mut f: F,
    ) -> Result<(A, u64)>
    where
        A: ScanSink,
        F: FnMut(&mut A, &m::ContactRecord) + Clone + Send + 'static,
    {
        // A name that matches nothing is an error on either backend, not a quiet day.
        self.check_report_query(q).await?;
        match &self.backend {
            Backend::Sqlite { path, .. } => {
                let (path, q) = (path.clone(), q.clone());
                blocking(move || sqlite_records(&path, &q, fields, acc, f)).await
            }
            Backend::Postgres(_) => {
                let mut n = 0;
                let mut rows = self.stream_report_records(q);
                while let Some(mut r) = rows.try_next().await? {
                    // The same record as the SQLite scan gives: what was not asked for
                    // is empty on either backend.
                    fields.blank(&mut r);
                    f(&mut acc, &r);
                    n += 1;
                }
                drop(rows);
                Ok((acc, n))
            }
        }
    }

    /// Calls `f` with every agent state spell overlapping `[q.from, q.to)` of `q`'s
    /// agent or team (agent time belongs to no queue: a queue filter does not apply), in
    /// no particular order. A spell still open ends at `open_until` (the caller's "now");
    /// with `None`, open spells are left out. Returns the accumulator and the number of
    /// spells.
    pub async fn scan_report_states<A, F>(
        &self,
        q: &ReportQuery,
        open_until: Option<TimestampMs>,
        mut acc: A,
        mut f: F,
    ) -> Result<(A, u64)>
    where
        A: ScanSink,
        F: FnMut(&mut A, &m::AgentStateInterval) + Send + 'static,
    {
        // A name that matches nothing is an error on either backend, not a quiet day.
        self.check_report_query(q).await?;
        match &self.backend {
            Backend::Sqlite { path, .. } => {
                let (path, q) = (path.clone(), q.clone());
                blocking(move || sqlite_states(&path, &q, open_until, acc, f)).await
            }
            Backend::Postgres(_) => {
                let mut n = 0;
                let mut rows = self.stream_report_states(q, open_until);
                while let Some(s) = rows.try_next().await? {
                    f(&mut acc, &s);
                    n += 1;
                }
                drop(rows);
                Ok((acc, n))
            }
        }
    }

    /// Every contact record of `q` with the fields of `fields`, by arrival (then id).
    pub async fn report_records(
        &self,
        q: &ReportQuery,
        fields: RecordFields,
    ) -> Result<Vec<m::ContactRecord>> {
        let (mut v, _) = self
            .scan_report_records(q, fields, Vec::new(), |v, r| v.push(r.clone()))
            .await?;
        v.sort_by(|a: &m::ContactRecord, b| {
            (a.arrived_at, &a.contact_id).cmp(&(b.arrived_at, &b.contact_id))
        });
        Ok(v)
    }

    /// Every agent state spell of `q` (see [`Store::scan_report_states`]), by start.
    pub async fn report_states(
        &self,
        q: &ReportQuery,
        open_until: Option<TimestampMs>,
    ) -> Result<Vec<m::AgentStateInterval>> {
        let (mut v, _) = self
            .scan_report_states(q, open_until, Vec::new(), |v, s| v.push(s.clone()))
            .await?;
        v.sort_by(|a: &m::AgentStateInterval, b| {
            (a.from, a.to, &a.agent).cmp(&(b.from, b.to, &b.agent))
        });
        Ok(v)
    }
}

pub(crate) async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(job).await {
        Ok(out) => out,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(StoreError::Cancelled),
    }
}

pub(crate) fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Sqlite(e)
}

pub(crate) fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db_err)?;
    Ok(conn)
}

/// Names by id, read once per scan (ids are small and dense: a vector).
#[derive(Debug, Default)]
struct Names(Vec<Option<String>>);

impl Names {
    fn read(conn: &Connection, table: &'static str) -> Result<Names> {
        let name = if table == "people" {
            "username"
        } else {
            "name"
        };
        let sql = format!("SELECT id, {name} FROM {table}");
        let mut stmt = conn.prepare(&sql).map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        let mut v: Vec<Option<String>> = Vec::new();
        while let Some(row) = rows.next().map_err(db_err)? {
            let id = row.get::<_, i64>(0).map_err(db_err)?;
            let id = usize::try_from(id).map_err(|_| bad(table, "id", id.to_string()))?;
            let name: Option<String> = row.get(1).map_err(db_err)?;
            if v.len() <= id {
                v.resize(id + 1, None);
            }
            v[id] = name;
        }
        Ok(Names(v))
    }

    fn get(&self, id: i64) -> Option<&str> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.0.get(i))
            .and_then(|n| n.as_deref())
    }
}

/// People's usernames and team names, and queue names, by id.
struct Directory {
    queues: Names,
    people: Names,
    teams: Names,
    /// person id → team id
    team_of: Vec<i64>,
}

impl Directory {
    fn read(conn: &Connection) -> Result<Directory> {
        let queues = Names::read(conn, "queues")?;
        let people = Names::read(conn, "people")?;
        let teams = Names::read(conn, "teams")?;
        let mut team_of = vec![0; people.0.len()];
        let mut stmt = conn
            .prepare("SELECT id, team_id FROM people WHERE team_id IS NOT NULL")
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(row) = rows.next().map_err(db_err)? {
            let (p, t): (i64, i64) = (row.get(0).map_err(db_err)?, row.get(1).map_err(db_err)?);
            if let Some(slot) = usize::try_from(p).ok().and_then(|p| team_of.get_mut(p)) {
                *slot = t;
            }
        }
        Ok(Directory {
            queues,
            people,
            teams,
            team_of,
        })
    }

    fn team_of(&self, person: i64) -> Option<&str> {
        let t = usize::try_from(person)
            .ok()
            .and_then(|p| self.team_of.get(p))?;
        self.teams.get(*t)
    }

    /// The id of the row named `name` in `names`, or the query's "not found".
    fn id_of(names: &Names, entity: &'static str, name: &str) -> Result<i64> {
        names
            .0
            .iter()
            .position(|n| n.as_deref() == Some(name))
            .map(|i| i as i64)
            .ok_or_else(|| StoreError::not_found(entity, name))
    }
}

/// The WHERE clause's filters and their values (after `?1` and `?2`, the range).
fn filters(
    dir: &Directory,
    q: &ReportQuery,
    queue: bool,
    person: &str,
) -> Result<(String, Vec<i64>)> {
    let mut sql = String::new();
    let mut binds = Vec::new();
    if let (true, Some(name)) = (queue, &q.queue) {
        binds.push(Directory::id_of(&dir.queues, "queue", name)?);
        sql.push_str(&format!(" AND queue_id = ?{}", binds.len() + 2));
    }
    if let Some(name) = &q.agent {
        binds.push(Directory::id_of(&dir.people, "person", name)?);
        sql.push_str(&format!(" AND {person} = ?{}", binds.len() + 2));
    }
    if let Some(name) = &q.team {
        binds.push(Directory::id_of(&dir.teams, "team", name)?);
        sql.push_str(&format!(
            " AND {person} IN (SELECT id FROM people WHERE team_id = ?{})",
            binds.len() + 2
        ));
    }
    Ok((sql, binds))
}

/// Whether `[from, to)` covers so much of the table's arrivals that reading the table
/// beats the index.
fn whole_table(conn: &Connection, q: &ReportQuery) -> Result<bool> {
    let (lo, hi): (Option<i64>, Option<i64>) = conn
        .query_row(
            "SELECT (SELECT min(arrived_at) FROM contact_records), \
             (SELECT max(arrived_at) FROM contact_records)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(db_err)?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(false);
    };
    let span = (hi - lo).max(1) as f64;
    let covered = (q.to.0.min(hi + 1) - q.from.0.max(lo)).max(0) as f64;
    Ok(covered / span >= TABLE_SCAN_SHARE)
}

const RECORDS: &str = "contact_records";
const STATES: &str = "agent_states";

fn text<'a>(v: ValueRef<'a>, table: &'static str, column: &'static str) -> Result<&'a str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).map_err(|_| bad(table, column, "not UTF-8")),
        other => Err(bad(table, column, format!("{:?}", other.data_type()))),
    }
}

fn int(v: ValueRef<'_>, table: &'static str, column: &'static str) -> Result<i64> {
    match v {
        ValueRef::Integer(i) => Ok(i),
        other => Err(bad(table, column, format!("{:?}", other.data_type()))),
    }
}

fn opt_int(v: ValueRef<'_>, table: &'static str, column: &'static str) -> Result<Option<i64>> {
    match v {
        ValueRef::Null => Ok(None),
        v => int(v, table, column).map(Some),
    }
}

fn bad(table: &'static str, column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        value: value.into(),
    }
}

fn corrupt(column: &'static str, value: impl Into<String>) -> StoreError {
    bad(RECORDS, column, value)
}

fn set(slot: &mut String, value: &str) {
    slot.clear();
    slot.push_str(value);
}

fn set_opt(slot: &mut Option<String>, value: Option<&str>) {
    match (slot.as_mut(), value) {
        (Some(s), Some(v)) => set(s, v),
        (None, Some(v)) => *slot = Some(v.to_owned()),
        (_, None) => *slot = None,
    }
}

fn sqlite_records<A, F>(
    path: &Path,
    q: &ReportQuery,
    fields: RecordFields,
    acc: A,
    f: F,
) -> Result<(A, u64)>
where
    A: ScanSink,
    F: FnMut(&mut A, &m::ContactRecord) + Clone + Send,
{
    let mut conn = open(path)?;
    // One read transaction for the directory, the plan and the first share: every
    // record it reads names a queue and an agent the directory has. The other shares
    // begin later on their own connections, but read only rowids up to the snapshot's
    // largest (SQLite gives a new row the largest rowid plus one, and records are never
    // deleted), so they too read only records the snapshot had.
    let tx = conn.transaction().map_err(db_err)?;
    let dir = Directory::read(&tx)?;
    let (mut extra, mut binds) = filters(&dir, q, true, "agent_id")?;
    let mut shares: Vec<(i64, i64)> = Vec::new();
    let hint = if extra.is_empty() && whole_table(&tx, q)? {
        let (lo, hi): (i64, i64) = tx
            .query_row(
                "SELECT coalesce((SELECT min(rowid) FROM contact_records), 0), \
                 coalesce((SELECT max(rowid) FROM contact_records), 0)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db_err)?;
        let n = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, MAX_SHARES) as i64;
        let step = ((hi - lo) / n).max(1);
        shares = (0..n)
            .map(|i| {
                (
                    lo + i * step,
                    if i == n - 1 {
                        hi + 1
                    } else {
                        lo + (i + 1) * step
                    },
                )
            })
            .collect();
        extra.push_str(&format!(
            " AND rowid >= ?{} AND rowid < ?{}",
            binds.len() + 3,
            binds.len() + 4
        ));
        " NOT INDEXED"
    } else {
        ""
    };
    let mut cols = String::from(
        "queue_id, arrived_at, answered_at, outcome, wait_ms, talk_ms, hold_ms, wrap_up_ms, \
         transfers",
    );
    for (read, more) in [
        (fields.agent, ", agent_id"),
        (fields.channel, ", channel"),
        (fields.ends, ", ended_at, wrap_up_end_at"),
        (fields.identity, ", contact_id, customer_id"),
        (fields.attributes, ", attributes"),
    ] {
        if read {
            cols.push_str(more);
        }
    }
    let sql = format!(
        "SELECT {cols} FROM contact_records{hint} WHERE arrived_at >= ?1 AND arrived_at < ?2{extra}"
    );
    let mut params: Vec<i64> = vec![q.from.0, q.to.0];
    params.append(&mut binds);
    if shares.len() <= 1 {
        if let Some(&(a, b)) = shares.first() {
            params.extend([a, b]);
        }
        return records_share(&tx, &sql, &params, &dir, fields, acc, f);
    }
    // The first share on this thread (into `acc`), the others on their own.
    let (dir, sql) = (&dir, sql.as_str());
    let results: Vec<Result<(A, u64)>> = std::thread::scope(|scope| {
        let others: Vec<_> = shares[1..]
            .iter()
            .map(|&(a, b)| {
                let (sink, f) = (acc.fork(), f.clone());
                let mut params = params.clone();
                params.extend([a, b]);
                scope.spawn(move || {
                    let conn = open(path)?;
                    records_share(&conn, sql, &params, dir, fields, sink, f)
                })
            })
            .collect();
        let mut first = params.clone();
        first.extend([shares[0].0, shares[0].1]);
        let mut results = vec![records_share(&tx, sql, &first, dir, fields, acc, f)];
        for h in others {
            results.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        results
    });
    let mut results = results.into_iter();
    let (mut acc, mut n) = results.next().expect("one share at least")?;
    for r in results {
        let (part, k) = r?;
        acc.absorb(part);
        n += k;
    }
    Ok((acc, n))
}

/// Reads one share of a record scan: `sql` with `params`, every row into `acc`.
fn records_share<A, F>(
    conn: &Connection,
    sql: &str,
    params: &[i64],
    dir: &Directory,
    fields: RecordFields,
    mut acc: A,
    mut f: F,
) -> Result<(A, u64)>
where
    F: FnMut(&mut A, &m::ContactRecord),
{
    let mut stmt = conn.prepare(sql).map_err(db_err)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params))
        .map_err(db_err)?;
    let mut rec = m::ContactRecord {
        contact_id: String::new(),
        queue: String::new(),
        channel: m::Channel::Voice,
        customer: String::new(),
        agent: None,
        team: None,
        arrived_at: m::TimestampMs(0),
        answered_at: None,
        ended_at: m::TimestampMs(0),
        wrap_up_end_at: None,
        outcome: m::Outcome::Answered,
        wait: m::DurationMs(0),
        talk: m::DurationMs(0),
        hold: m::DurationMs(0),
        wrap_up: m::DurationMs(0),
        transfers: 0,
        attributes: serde_json::Map::new(),
    };
    // Consecutive rows mostly share a queue and often an agent: names are copied only
    // when the id changes.
    let (mut last_queue, mut last_agent) = (i64::MIN, Some(i64::MIN));
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(db_err)? {
        let v = |i: usize| row.get_ref(i).map_err(db_err);
        let queue = int(v(0)?, RECORDS, "queue_id")?;
        if queue != last_queue {
            let name = dir
                .queues
                .get(queue)
                .ok_or_else(|| corrupt("queue_id", queue.to_string()))?;
            set(&mut rec.queue, name);
            last_queue = queue;
        }
        rec.arrived_at = m::TimestampMs(int(v(1)?, RECORDS, "arrived_at")?);
        rec.answered_at = opt_int(v(2)?, RECORDS, "answered_at")?.map(m::TimestampMs);
        let outcome = text(v(3)?, RECORDS, "outcome")?;
        if outcome != rec.outcome.as_str() {
            rec.outcome = m::Outcome::parse(outcome).ok_or_else(|| corrupt("outcome", outcome))?;
        }
        rec.wait = m::DurationMs(int(v(4)?, RECORDS, "wait_ms")?);
        rec.talk = m::DurationMs(int(v(5)?, RECORDS, "talk_ms")?);
        rec.hold = m::DurationMs(int(v(6)?, RECORDS, "hold_ms")?);
        rec.wrap_up = m::DurationMs(int(v(7)?, RECORDS, "wrap_up_ms")?);
        let transfers = int(v(8)?, RECORDS, "transfers")?;
        rec.transfers =
            u32::try_from(transfers).map_err(|_| corrupt("transfers", transfers.to_string()))?;
        let mut next = 9;
        if fields.agent {
            let agent = opt_int(v(next)?, RECORDS, "agent_id")?;
            if agent != last_agent {
                match agent {
                    Some(a) => {
                        let name = dir
                            .people
                            .get(a)
                            .ok_or_else(|| corrupt("agent_id", a.to_string()))?;
                        set_opt(&mut rec.agent, Some(name));
                        set_opt(&mut rec.team, dir.team_of(a));
                    }
                    None => {
                        rec.agent = None;
                        rec.team = None;
                    }
                }
                last_agent = agent;
            }
            next += 1;
        }
        if fields.channel {
            let channel = text(v(next)?, RECORDS, "channel")?;
            if channel != rec.channel.as_str() {
                rec.channel =
                    m::Channel::parse(channel).ok_or_else(|| corrupt("channel", channel))?;
            }
            next += 1;
        }
        if fields.ends {
            rec.ended_at = m::TimestampMs(int(v(next)?, RECORDS, "ended_at")?);
            rec.wrap_up_end_at =
                opt_int(v(next + 1)?, RECORDS, "wrap_up_end_at")?.map(m::TimestampMs);
            next += 2;
        } else {
            rec.ended_at = rec.arrived_at;
        }
        if fields.identity {
            set(&mut rec.contact_id, text(v(next)?, RECORDS, "contact_id")?);
            set(
                &mut rec.customer,
                text(v(next + 1)?, RECORDS, "customer_id")?,
            );
            next += 2;
        }
        if fields.attributes {
            let json = text(v(next)?, RECORDS, "attributes")?;
            rec.attributes = serde_json::from_str(json).map_err(|_| corrupt("attributes", json))?;
        }
        f(&mut acc, &rec);
        n += 1;
    }
    Ok((acc, n))
}

fn sqlite_states<A, F>(
    path: &Path,
    q: &ReportQuery,
    open_until: Option<TimestampMs>,
    mut acc: A,
    mut f: F,
) -> Result<(A, u64)>
where
    F: FnMut(&mut A, &m::AgentStateInterval),
{
    let mut conn = open(path)?;
    let tx = conn.transaction().map_err(db_err)?;
    let dir = Directory::read(&tx)?;
    let (extra, binds) = filters(&dir, q, false, "person_id")?;
    let open = if open_until.is_some() {
        "(to_at IS NULL OR to_at > ?1)"
    } else {
        "to_at > ?1"
    };
    let sql = format!(
        "SELECT person_id, state, reason, from_at, to_at FROM agent_states \
         WHERE from_at < ?2 AND {open}{extra}"
    );
    let mut stmt = tx.prepare(&sql).map_err(db_err)?;
    let mut params: Vec<i64> = vec![q.from.0, q.to.0];
    params.extend(binds);
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params))
        .map_err(db_err)?;
    let until = open_until.map(|t| t.0);
    let mut spell = m::AgentStateInterval {
        agent: String::new(),
        team: None,
        state: m::AgentState::LoggedOut,
        reason: None,
        from: m::TimestampMs(0),
        to: m::TimestampMs(0),
    };
    let state_err = |column: &'static str, value: String| bad(STATES, column, value);
    let mut last_person = i64::MIN;
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(db_err)? {
        let v = |i: usize| row.get_ref(i).map_err(db_err);
        let person = int(v(0)?, STATES, "person_id")?;
        if person != last_person {
            let name = dir
                .people
                .get(person)
                .ok_or_else(|| state_err("person_id", person.to_string()))?;
            set(&mut spell.agent, name);
            set_opt(&mut spell.team, dir.team_of(person));
            last_person = person;
        }
        let state = text(v(1)?, STATES, "state")?;
        spell.state =
            m::AgentState::parse(state).ok_or_else(|| state_err("state", state.to_owned()))?;
        match v(2)? {
            ValueRef::Null => spell.reason = None,
            r => set_opt(&mut spell.reason, Some(text(r, STATES, "reason")?)),
        }
        let from = int(v(3)?, STATES, "from_at")?;
        let to = opt_int(v(4)?, STATES, "to_at")?;
        spell.from = m::TimestampMs(from);
        spell.to = m::TimestampMs(to.or(until).unwrap_or(from).max(from));
        f(&mut acc, &spell);
        n += 1;
    }
    Ok((acc, n))
}
