//! Imports: contact records and agent state history from other platforms (a CSV export,
//! an Asterisk `queue_log`, the Anonymous Bank data), written through one
//! [`Import`] session.
//!
//! - **One transaction.** [`Store::begin_import`] opens a write transaction that every
//!   batch goes into; [`Import::finish`] commits, [`Import::abandon`] (or dropping the
//!   session) rolls everything back: queues, people, records, spells and the `imports`
//!   row appear together or not at all. On SQLite the transaction holds the database's
//!   write lock for the whole import (other writers wait, up to the busy timeout).
//! - **Names, not ids.** Records name queues and agents as the source wrote them. A
//!   queue is found by name, or created (with a skill of the same name and default
//!   routing settings). An agent is found through an earlier import's name
//!   (`import_agent_names`), or as a person whose username is the name, or created: role
//!   agent, tier junior, **inactive and without a password** (history, not a login; an
//!   admin activates the real staff), a username derived from the name and the name as
//!   display name. A team the source gives is used for a new person only when exactly
//!   one team has that name: teams are never invented (they need a department and a
//!   site the file cannot tell), and names not found are listed.
//! - **Idempotent.** The contact id is the key: a record already stored is skipped and
//!   counted as a duplicate. An imported spell's key is (person, from, state): a spell
//!   already imported is a duplicate, or is lengthened when the new copy ends later (a
//!   longer copy of a `queue_log` closes a spell the shorter copy cut at its end).
//! - **Bulk.** Multi-row `INSERT`s of [`RECORD_CHUNK`] rows.
//!
//! While a session is open no other write can go through this `Store` on SQLite (the
//! single writer connection is the session's).

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use hotline_metrics as m;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::agent_states::MAX_REASON_CHARS;
use crate::contacts::{newly_inserted, MAX_ATTRIBUTES_BYTES, MAX_ID_CHARS};
use crate::db::{on_read, Backend};
use crate::error::{Result, StoreError};
use crate::ids::{PersonId, QueueId, TeamId, TimestampMs};
use crate::intervals::{write_cells, CellBatch};
use crate::org::structure::MAX_NAME_CHARS;
use crate::values::{check_text, check_username};
use crate::Store;

/// Contact records per multi-row INSERT (16 parameters each: well under SQLite's 32,766
/// and PostgreSQL's 65,535 bound parameters).
pub const RECORD_CHUNK: usize = 1000;
/// Agent state spells per multi-row INSERT (5 parameters each).
const STATE_CHUNK: usize = 2000;
/// Names looked up per `IN (…)` query.
const LOOKUP_CHUNK: usize = 500;
/// SQLite page cache of the writer connection during an import, in KiB (SQLite's
/// default is 2 MiB): a big transaction's pages otherwise spill to the WAL and are read
/// back from it over and over (measured: 40 % of an import's time in the kernel). Memory
/// is taken only as pages are used, and the setting is restored at the end.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

/// The id of an import run.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct ImportId(pub i64);

impl fmt::Display for ImportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What was imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Contact records in Hotline's CSV columns (or mapped onto them).
    Records,
    /// An Asterisk `queue_log`: records and agent states.
    QueueLog,
    /// Agent state spells from CSV.
    AgentStates,
    /// The Anonymous Bank data set (August 1999).
    Bank,
}

impl ImportKind {
    /// Every kind.
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Records,
        ImportKind::QueueLog,
        ImportKind::AgentStates,
        ImportKind::Bank,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Records => "records",
            ImportKind::QueueLog => "queue_log",
            ImportKind::AgentStates => "agent_states",
            ImportKind::Bank => "bank",
        }
    }

    fn from_db(text: &str) -> Result<ImportKind> {
        ImportKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt {
                table: "imports",
                column: "kind",
                value: text.to_owned(),
            })
    }
}

impl fmt::Display for ImportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An import about to start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewImport {
    /// The format.
    pub kind: ImportKind,
    /// Where it came from (the file name as given), for people.
    pub source: String,
    /// SHA-256 of the file's bytes, lowercase hex: how a re-import is recognised.
    pub sha256: String,
    /// When it started (the caller's clock: the store never reads one).
    pub started_at: TimestampMs,
}

/// A person an import created for an agent name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedPerson {
    /// The name in the source (`Agent/1127`).
    pub name: String,
    /// The username made from it (`agent-1127`).
    pub username: String,
}

/// A committed import run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRun {
    /// Id, in order of start.
    pub id: ImportId,
    /// The format.
    pub kind: ImportKind,
    /// The file name as given.
    pub source: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Start.
    pub started_at: TimestampMs,
    /// Commit.
    pub finished_at: Option<TimestampMs>,
    /// Contact records written.
    pub records_accepted: u64,
    /// Contact records already stored (same contact id): skipped.
    pub records_duplicate: u64,
    /// Agent state spells written, or lengthened.
    pub states_accepted: u64,
    /// Agent state spells already stored: skipped.
    pub states_duplicate: u64,
    /// Input rows rejected (`--skip-bad`).
    pub rejected: u64,
    /// Queues created, by name.
    pub created_queues: Vec<String>,
    /// People created.
    pub created_people: Vec<CreatedPerson>,
    /// Format-specific counts, and `teams_not_found` when the source named teams that do
    /// not exist.
    pub notes: serde_json::Value,
}

/// How an import ended, for its `imports` row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportEnd {
    /// Commit time.
    pub finished_at: TimestampMs,
    /// Input rows rejected.
    pub rejected: u64,
    /// Format-specific counts.
    pub notes: serde_json::Map<String, serde_json::Value>,
}

/// What one batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchOutcome {
    /// Rows written (spells: written or lengthened).
    pub accepted: u64,
    /// Rows already stored: skipped.
    pub duplicates: u64,
}

/// A store refusal of one record or spell ([`check_import_record`],
/// [`check_import_state`]) as an import reject at `line` (0: the format gives no line).
pub fn import_reject(line: u64, e: StoreError) -> m::Reject {
    match e {
        StoreError::Invalid {
            field,
            value,
            allowed,
        } => m::Reject::field(line, field, value, allowed),
        other => m::Reject::line(line, other.to_string()),
    }
}

/// The records the store accepts, and rejects naming the contact for the others (for
/// formats that give no line per record: a queue_log call spans many lines).
pub fn check_import_records(
    records: Vec<m::ContactRecord>,
) -> (Vec<m::ContactRecord>, Vec<m::Reject>) {
    let mut rejects = Vec::new();
    let ok = records
        .into_iter()
        .filter(|r| match check_import_record(r) {
            Ok(()) => true,
            Err(e) => {
                let mut rej = import_reject(0, e);
                rej.reason = format!("contact {}: {}", r.contact_id, rej.reason);
                rejects.push(rej);
                false
            }
        })
        .collect();
    (ok, rejects)
}

/// The spells the store accepts, and rejects naming the agent and start for the others.
pub fn check_import_states(
    states: Vec<m::AgentStateInterval>,
) -> (Vec<m::AgentStateInterval>, Vec<m::Reject>) {
    let mut rejects = Vec::new();
    let ok = states
        .into_iter()
        .filter(|s| match check_import_state(s) {
            Ok(()) => true,
            Err(e) => {
                let mut rej = import_reject(0, e);
                rej.reason = format!("spell of {} from {}: {}", s.agent, s.from, rej.reason);
                rejects.push(rej);
                false
            }
        })
        .collect();
    (ok, rejects)
}

/// Checks what the store needs of an imported record beyond the record model's own rules
/// ([`m::ContactRecord::check`], which the parsers apply): names that fit the store,
/// attributes of at most [`MAX_ATTRIBUTES_BYTES`]. Callers run it per row, so that a
/// row the store would refuse is a reject with its line number, not a failed batch.
pub fn check_import_record(r: &m::ContactRecord) -> Result<()> {
    r.check()
        .map_err(|e| StoreError::invalid(e.field, e.value, e.allowed))?;
    check_text("queue", &r.queue, MAX_NAME_CHARS)?;
    if let Some(agent) = &r.agent {
        check_agent_name(agent)?;
    }
    if !r.attributes.is_empty() {
        let size = serde_json::to_string(&r.attributes)
            .map(|s| s.len())
            .unwrap_or(usize::MAX);
        if size > MAX_ATTRIBUTES_BYTES {
            return Err(StoreError::invalid(
                "attributes",
                format!("<{size} bytes>"),
                format!("at most {MAX_ATTRIBUTES_BYTES} bytes of JSON"),
            ));
        }
    }
    Ok(())
}

/// [`check_import_record`] for an agent state spell: the agent's name and a `to` not
/// before `from`. (A reason longer than the store keeps is shortened, not refused.)
pub fn check_import_state(s: &m::AgentStateInterval) -> Result<()> {
    check_agent_name(&s.agent)?;
    if s.to < s.from {
        return Err(StoreError::invalid(
            "to",
            s.to.0,
            format!("a time not before from ({})", s.from.0),
        ));
    }
    Ok(())
}

fn check_agent_name(name: &str) -> Result<()> {
    if name.trim().is_empty()
        || name.chars().count() > MAX_ID_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(StoreError::invalid(
            "agent",
            name,
            format!("1 to {MAX_ID_CHARS} characters, not only spaces, no control characters"),
        ));
    }
    Ok(())
}

/// A username for the agent `name`: lowercase ASCII letters and digits kept, `. _ - @`
/// kept, anything else a `-` (runs collapsed), trimmed to start and end with a letter
/// or digit, at most 56 characters (room for a `-N` suffix when taken). A name with
/// nothing usable (`张伟`) becomes `agent-` and a hash of it, so it is still stable.
pub fn username_for(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        let keep = if c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c) {
            c
        } else {
            '-'
        };
        if keep == '-' && out.ends_with('-') {
            continue;
        }
        out.push(keep);
    }
    let trimmed = out.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let mut base: String = trimmed.chars().take(56).collect();
    while base.ends_with(|c: char| !c.is_ascii_alphanumeric()) {
        base.pop();
    }
    if base.len() < 2 {
        // FNV-1a: stable across runs and builds (std's hasher is not).
        let mut h: u32 = 0x811c_9dc5;
        for b in name.bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        base = if base.is_empty() {
            format!("agent-{h:08x}")
        } else {
            format!("agent-{base}")
        };
    }
    base
}

/// The display name of a created person: the source's name, at most 200 characters.
fn display_name_for(name: &str) -> String {
    let t: String = name.trim().chars().take(MAX_NAME_CHARS * 2).collect();
    t.trim_end().to_owned()
}

/// A not-ready reason as the store keeps it: trimmed, at most [`MAX_REASON_CHARS`]
/// characters, control characters as spaces; empty is none.
fn reason_for(reason: Option<&str>) -> Option<String> {
    let r = reason?;
    let cleaned: String = r
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t: String = cleaned.trim().chars().take(MAX_REASON_CHARS).collect();
    let t = t.trim_end().to_owned();
    (!t.is_empty()).then_some(t)
}

/// The open write transaction of an import.
enum Tx {
    /// With the writer pool and its page cache setting to restore after the commit.
    Sqlite(
        sqlx::Transaction<'static, sqlx::Sqlite>,
        sqlx::SqlitePool,
        i64,
    ),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$tx` the session's transaction and `$Db` its database type.
macro_rules! on_tx {
    ($tx:expr, |$t:ident, $Db:ident| $body:expr) => {
        match $tx {
            Tx::Sqlite($t, ..) => {
                #[allow(unused)]
                type $Db = ::sqlx::Sqlite;
                $body
            }
            Tx::Postgres($t) => {
                #[allow(unused)]
                type $Db = ::sqlx::Postgres;
                $body
            }
        }
    };
}

/// Interval cells an import keeps in memory before adding them to the stored ones (a
/// cell of a busy queue holds a few kilobytes of wait histograms).
const FLUSH_CELLS: usize = 20_000;

/// An import in progress: one open transaction. Batches go in with
/// [`Import::add_records`] and [`Import::add_agent_states`]; [`Import::finish`] commits.
/// Dropped without `finish`, it rolls back.
pub struct Import {
    tx: Tx,
    id: ImportId,
    queues: HashMap<String, QueueId>,
    agents: HashMap<String, PersonId>,
    teams: HashMap<String, Option<TeamId>>,
    created_queues: Vec<String>,
    created_people: Vec<CreatedPerson>,
    teams_not_found: BTreeSet<String>,
    records: BatchOutcome,
    states: BatchOutcome,
    /// The interval cells of the records written so far, added to the stored cells at
    /// [`Import::finish`].
    cells: CellBatch,
}

impl fmt::Debug for Import {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Import")
            .field("id", &self.id)
            .field("records", &self.records)
            .field("states", &self.states)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: ImportId,
    kind: String,
    source: String,
    sha256: String,
    started_at: TimestampMs,
    finished_at: Option<TimestampMs>,
    records_accepted: i64,
    records_duplicate: i64,
    states_accepted: i64,
    states_duplicate: i64,
    rejected: i64,
    created_queues: Json<Vec<String>>,
    created_people: Json<Vec<CreatedPerson>>,
    notes: Json<serde_json::Value>,
}

impl TryFrom<ImportRow> for ImportRun {
    type Error = StoreError;
    fn try_from(r: ImportRow) -> Result<ImportRun> {
        let count = |column: &'static str, v: i64| {
            u64::try_from(v).map_err(|_| StoreError::Corrupt {
                table: "imports",
                column,
                value: v.to_string(),
            })
        };
        Ok(ImportRun {
            id: r.id,
            kind: ImportKind::from_db(&r.kind)?,
            source: r.source,
            sha256: r.sha256,
            started_at: r.started_at,
            finished_at: r.finished_at,
            records_accepted: count("records_accepted", r.records_accepted)?,
            records_duplicate: count("records_duplicate", r.records_duplicate)?,
            states_accepted: count("states_accepted", r.states_accepted)?,
            states_duplicate: count("states_duplicate", r.states_duplicate)?,
            rejected: count("rejected", r.rejected)?,
            created_queues: r.created_queues.0,
            created_people: r.created_people.0,
            notes: r.notes.0,
        })
    }
}

const IMPORT_COLUMNS: &str = "id, kind, source, sha256, started_at, finished_at, \
    records_accepted, records_duplicate, states_accepted, states_duplicate, rejected, \
    created_queues, created_people, notes";

impl Store {
    /// Opens an import session: a write transaction holding a new `imports` row. On
    /// SQLite this waits for (then holds) the write lock.
    pub async fn begin_import(&self, new: &NewImport) -> Result<Import> {
        check_text("source", &new.source, 1000)?;
        if new.sha256.len() != 64 || !new.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::invalid(
                "sha256",
                &new.sha256,
                "64 hexadecimal digits",
            ));
        }
        let sha = new.sha256.to_ascii_lowercase();
        let insert = "INSERT INTO imports (kind, source, sha256, started_at) \
                      VALUES ($1, $2, $3, $4) RETURNING id";
        let (tx, id) = match &self.backend {
            Backend::Sqlite { write, .. } => {
                let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
                let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "PRAGMA cache_size = -{IMPORT_CACHE_KIB}"
                )))
                .execute(&mut *tx)
                .await?;
                let id = sqlx::query_scalar::<sqlx::Sqlite, ImportId>(insert)
                    .bind(new.kind.as_str())
                    .bind(&new.source)
                    .bind(&sha)
                    .bind(new.started_at)
                    .fetch_one(&mut *tx)
                    .await?;
                (Tx::Sqlite(tx, write.clone(), cache), id)
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let id = sqlx::query_scalar::<sqlx::Postgres, ImportId>(insert)
                    .bind(new.kind.as_str())
                    .bind(&new.source)
                    .bind(&sha)
                    .bind(new.started_at)
                    .fetch_one(&mut *tx)
                    .await?;
                (Tx::Postgres(tx), id)
            }
        };
        Ok(Import {
            tx,
            id,
            queues: HashMap::new(),
            agents: HashMap::new(),
            teams: HashMap::new(),
            created_queues: Vec::new(),
            created_people: Vec::new(),
            teams_not_found: BTreeSet::new(),
            records: BatchOutcome::default(),
            states: BatchOutcome::default(),
            cells: CellBatch::of_import(id.0),
        })
    }

    /// Committed imports of a file with this SHA-256 (any kind), oldest first.
    pub async fn find_imports(&self, sha256: &str) -> Result<Vec<ImportRun>> {
        let sha = sha256.to_ascii_lowercase();
        let sql = format!(
            "SELECT {IMPORT_COLUMNS} FROM imports WHERE sha256 = $1 AND finished_at IS NOT NULL \
             ORDER BY id"
        );
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, ImportRow>(sqlx::AssertSqlSafe(sql))
                .bind(sha)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(ImportRun::try_from).collect()
    }

    /// Every committed import, oldest first.
    pub async fn list_imports(&self) -> Result<Vec<ImportRun>> {
        let sql = format!(
            "SELECT {IMPORT_COLUMNS} FROM imports WHERE finished_at IS NOT NULL ORDER BY id"
        );
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, ImportRow>(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(ImportRun::try_from).collect()
    }
}

impl Import {
    /// This run's id (also in `contact_records.import_id` and `agent_states.import_id`).
    pub fn id(&self) -> ImportId {
        self.id
    }

    /// Records written and skipped so far.
    pub fn records(&self) -> BatchOutcome {
        self.records
    }

    /// Spells written and skipped so far.
    pub fn states(&self) -> BatchOutcome {
        self.states
    }

    /// Queues created so far.
    pub fn created_queues(&self) -> &[String] {
        &self.created_queues
    }

    /// People created so far.
    pub fn created_people(&self) -> &[CreatedPerson] {
        &self.created_people
    }

    /// Team names the source gave that no (single) team has.
    pub fn teams_not_found(&self) -> impl Iterator<Item = &str> {
        self.teams_not_found.iter().map(String::as_str)
    }

    /// Writes a batch of records (each already passed [`check_import_record`]); records
    /// whose contact id is stored already are skipped and counted as duplicates.
    pub async fn add_records(&mut self, records: &[m::ContactRecord]) -> Result<BatchOutcome> {
        for (i, r) in records.iter().enumerate() {
            check_import_record(r).map_err(|e| at(e, &format!("records[{i}]")))?;
        }
        self.resolve_queues(records).await?;
        let agents: Vec<(&str, Option<&str>)> = records
            .iter()
            .filter_map(|r| r.agent.as_deref().map(|a| (a, r.team.as_deref())))
            .collect();
        self.resolve_agents(&agents).await?;
        let id = self.id.0;
        let mut accepted = 0;
        for chunk in records.chunks(RECORD_CHUNK) {
            let queues = &self.queues;
            let people = &self.agents;
            let pg = matches!(self.tx, Tx::Postgres(_));
            accepted += on_tx!(&mut self.tx, |tx, Db| {
                let insert = |returning: bool| {
                    let mut qb = sqlx::QueryBuilder::<Db>::new(
                        "INSERT INTO contact_records (contact_id, queue_id, channel, customer_id, \
                         agent_id, arrived_at, answered_at, ended_at, wrap_up_end_at, outcome, \
                         wait_ms, talk_ms, hold_ms, wrap_up_ms, transfers, attributes, import_id) ",
                    );
                    qb.push_values(chunk, |mut row, r| {
                        row.push_bind(r.contact_id.as_str())
                            .push_bind(queues[&r.queue])
                            .push_bind(r.channel.as_str())
                            .push_bind(r.customer.as_str())
                            .push_bind(r.agent.as_ref().map(|a| people[a]))
                            .push_bind(r.arrived_at.0)
                            .push_bind(r.answered_at.map(|t| t.0))
                            .push_bind(r.ended_at.0)
                            .push_bind(r.wrap_up_end_at.map(|t| t.0))
                            .push_bind(r.outcome.as_str())
                            .push_bind(r.wait.0)
                            .push_bind(r.talk.0)
                            .push_bind(r.hold.0)
                            .push_bind(r.wrap_up.0)
                            .push_bind(i64::from(r.transfers))
                            .push_bind(Json(&r.attributes))
                            // The session's own id: an integer, not user input.
                            .push(id);
                    });
                    qb.push(" ON CONFLICT (contact_id) DO NOTHING");
                    if returning {
                        qb.push(" RETURNING contact_id");
                    }
                    qb
                };
                // The cells need the records really inserted. On SQLite, rows returned
                // by RETURNING each cross sqlx's worker-thread channel, and a savepoint
                // per chunk journals every page the chunk touches: both cost a quarter
                // or more of the import. So the chunk is written plainly; when some rows
                // were duplicates, the rows it did write are the ones after the largest
                // rowid before it (the import is the only writer in its transaction).
                // PostgreSQL returns rows cheaply.
                let new = if pg {
                    let ids: Vec<String> = insert(true)
                        .build_query_scalar::<String>()
                        .fetch_all(&mut **tx)
                        .await?;
                    newly_inserted(chunk, ids, |r| r.contact_id.as_str())
                } else {
                    let before: i64 = sqlx::query_scalar::<Db, i64>(
                        "SELECT coalesce(max(rowid), 0) FROM contact_records",
                    )
                    .fetch_one(&mut **tx)
                    .await?;
                    let n = insert(false)
                        .build()
                        .execute(&mut **tx)
                        .await?
                        .rows_affected();
                    if n == chunk.len() as u64 {
                        chunk.iter().collect()
                    } else {
                        let ids: Vec<String> = sqlx::query_scalar::<Db, String>(
                            "SELECT contact_id FROM contact_records WHERE rowid > $1",
                        )
                        .bind(before)
                        .fetch_all(&mut **tx)
                        .await?;
                        newly_inserted(chunk, ids, |r| r.contact_id.as_str())
                    }
                };
                for r in &new {
                    self.cells.add(queues[&r.queue].0, r);
                }
                new.len() as u64
            });
        }
        if self.cells.len() >= FLUSH_CELLS {
            self.write_cells().await?;
        }
        let out = BatchOutcome {
            accepted,
            duplicates: records.len() as u64 - accepted,
        };
        self.records.accepted += out.accepted;
        self.records.duplicates += out.duplicates;
        Ok(out)
    }

    /// Writes a batch of agent state spells (each passed [`check_import_state`]). A
    /// spell already imported (same person, start and state) is a duplicate, or is
    /// lengthened when this one ends later.
    pub async fn add_agent_states(
        &mut self,
        states: &[m::AgentStateInterval],
    ) -> Result<BatchOutcome> {
        for (i, s) in states.iter().enumerate() {
            check_import_state(s).map_err(|e| at(e, &format!("states[{i}]")))?;
        }
        let agents: Vec<(&str, Option<&str>)> = states
            .iter()
            .map(|s| (s.agent.as_str(), s.team.as_deref()))
            .collect();
        self.resolve_agents(&agents).await?;
        let id = self.id.0;
        let mut accepted = 0;
        for chunk in states.chunks(STATE_CHUNK) {
            let people = &self.agents;
            accepted += on_tx!(&mut self.tx, |tx, Db| {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO agent_states (person_id, state, reason, from_at, to_at, import_id) ",
                );
                qb.push_values(chunk, |mut row, s| {
                    row.push_bind(people[&s.agent])
                        .push_bind(s.state.as_str())
                        .push_bind(reason_for(s.reason.as_deref()))
                        .push_bind(s.from.0)
                        .push_bind(s.to.0)
                        .push(id);
                });
                // The conflict target names the partial index of imported spells (both
                // databases need its predicate repeated to pick it).
                qb.push(
                    " ON CONFLICT (person_id, from_at, state) WHERE import_id IS NOT NULL \
                     DO UPDATE SET to_at = excluded.to_at \
                     WHERE excluded.to_at > agent_states.to_at",
                );
                qb.build().execute(&mut **tx).await?.rows_affected()
            });
        }
        let out = BatchOutcome {
            accepted,
            duplicates: states.len() as u64 - accepted,
        };
        self.states.accepted += out.accepted;
        self.states.duplicates += out.duplicates;
        Ok(out)
    }

    /// Commits everything and completes the `imports` row; returns it.
    pub async fn finish(mut self, end: ImportEnd) -> Result<ImportRun> {
        let mut notes = end.notes;
        if !self.teams_not_found.is_empty() {
            notes.insert(
                "teams_not_found".into(),
                serde_json::json!(self.teams_not_found),
            );
        }
        let sql = format!(
            "UPDATE imports SET finished_at = $1, records_accepted = $2, records_duplicate = $3, \
             states_accepted = $4, states_duplicate = $5, rejected = $6, created_queues = $7, \
             created_people = $8, notes = $9 WHERE id = $10 RETURNING {IMPORT_COLUMNS}"
        );
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        self.write_cells().await?;
        let row = on_tx!(&mut self.tx, |tx, Db| {
            sqlx::query_as::<Db, ImportRow>(sqlx::AssertSqlSafe(sql))
                .bind(end.finished_at)
                .bind(count(self.records.accepted))
                .bind(count(self.records.duplicates))
                .bind(count(self.states.accepted))
                .bind(count(self.states.duplicates))
                .bind(count(end.rejected))
                .bind(Json(&self.created_queues))
                .bind(Json(&self.created_people))
                .bind(Json(serde_json::Value::Object(notes)))
                .bind(self.id)
                .fetch_one(&mut **tx)
                .await?
        });
        match self.tx {
            Tx::Sqlite(tx, pool, cache) => {
                tx.commit().await?;
                restore_cache(&pool, cache).await?;
            }
            Tx::Postgres(tx) => tx.commit().await?,
        }
        row.try_into()
    }

    /// Adds the cells of the records written since the last call to the stored cells
    /// (in the import's transaction).
    async fn write_cells(&mut self) -> Result<()> {
        let cells = std::mem::replace(&mut self.cells, CellBatch::of_import(self.id.0));
        let pg = matches!(self.tx, Tx::Postgres(_));
        on_tx!(&mut self.tx, |tx, Db| {
            write_cells!(&mut **tx, Db, pg, cells);
        });
        Ok(())
    }

    /// Rolls everything back: the store is as before [`Store::begin_import`].
    pub async fn abandon(self) -> Result<()> {
        match self.tx {
            Tx::Sqlite(tx, pool, cache) => {
                tx.rollback().await?;
                restore_cache(&pool, cache).await?;
            }
            Tx::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }

    /// Finds or creates the queues the records name.
    async fn resolve_queues(&mut self, records: &[m::ContactRecord]) -> Result<()> {
        let mut missing: Vec<(&str, m::Channel)> = Vec::new();
        for r in records {
            if !self.queues.contains_key(&r.queue) && !missing.iter().any(|(q, _)| *q == r.queue) {
                missing.push((&r.queue, r.channel));
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = missing.iter().map(|(q, _)| *q).collect();
        let found: Vec<(QueueId, String)> = self.lookup("queues", "id", "name", &names).await?;
        for (id, name) in found {
            self.queues.insert(name, QueueId(id.0));
        }
        for (name, channel) in missing {
            if self.queues.contains_key(name) {
                continue;
            }
            let id = self.create_queue(name, channel).await?;
            self.queues.insert(name.to_owned(), id);
            self.created_queues.push(name.to_owned());
        }
        Ok(())
    }

    /// A queue named `name` with a skill of the same name (found or created) and
    /// default routing: minimum proficiency 1, no priority or aging, service level 80 %
    /// in 20 s, no wrap-up, no routing steps. Edit it before routing live contacts to it.
    async fn create_queue(&mut self, name: &str, channel: m::Channel) -> Result<QueueId> {
        let description = format!("created by import {} for the queue {name}", self.id);
        let id = on_tx!(&mut self.tx, |tx, Db| {
            let skill: Option<i64> =
                sqlx::query_scalar::<Db, i64>("SELECT id FROM skills WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&mut **tx)
                    .await?;
            let skill = match skill {
                Some(s) => s,
                None => {
                    sqlx::query_scalar::<Db, i64>(
                        "INSERT INTO skills (name, description) VALUES ($1, $2) RETURNING id",
                    )
                    .bind(name)
                    .bind(&description)
                    .fetch_one(&mut **tx)
                    .await?
                }
            };
            sqlx::query_scalar::<Db, QueueId>(
                "INSERT INTO queues (name, channel, skill_id, min_proficiency, base_priority, \
                 aging_points_per_s, aging_cap, service_level_threshold_s, \
                 target_service_level_pct, wrap_up_mode, wrap_up_s, expected_handle_time_s, \
                 routing_steps) \
                 VALUES ($1, $2, $3, 1, 0, 0.0, NULL, 20, 80.0, 'fixed', 0, NULL, $4) \
                 RETURNING id",
            )
            .bind(name)
            .bind(channel.as_str())
            .bind(skill)
            .bind(Json(serde_json::json!([])))
            .fetch_one(&mut **tx)
            .await?
        });
        Ok(id)
    }

    /// Finds or creates the people behind agent names (with the team each name comes
    /// with first, if any).
    async fn resolve_agents(&mut self, agents: &[(&str, Option<&str>)]) -> Result<()> {
        let mut missing: Vec<(&str, Option<&str>)> = Vec::new();
        for &(a, team) in agents {
            if !self.agents.contains_key(a) && !missing.iter().any(|(m, _)| *m == a) {
                missing.push((a, team));
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = missing.iter().map(|(a, _)| *a).collect();
        let aliased: Vec<(PersonId, String)> = self
            .lookup("import_agent_names", "person_id", "source_name", &names)
            .await?;
        for (id, name) in aliased {
            self.agents.insert(name, id);
        }
        let by_username: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !self.agents.contains_key(*n) && check_username("agent", n).is_ok())
            .collect();
        let found: Vec<(PersonId, String)> = self
            .lookup("people", "id", "username", &by_username)
            .await?;
        for (id, name) in found {
            self.agents.insert(name, id);
        }
        for (name, team) in missing {
            if self.agents.contains_key(name) {
                continue;
            }
            let team_id = match team {
                Some(t) => self.team(t).await?,
                None => None,
            };
            let (id, username) = self.create_person(name, team_id).await?;
            self.agents.insert(name.to_owned(), id);
            self.created_people.push(CreatedPerson {
                name: name.to_owned(),
                username,
            });
        }
        Ok(())
    }

    /// The team named `name` when exactly one team has that name.
    async fn team(&mut self, name: &str) -> Result<Option<TeamId>> {
        if let Some(t) = self.teams.get(name) {
            return Ok(*t);
        }
        let ids: Vec<TeamId> = on_tx!(&mut self.tx, |tx, Db| {
            sqlx::query_scalar::<Db, TeamId>("SELECT id FROM teams WHERE name = $1 LIMIT 2")
                .bind(name)
                .fetch_all(&mut **tx)
                .await?
        });
        let team = (ids.len() == 1).then(|| ids[0]);
        if team.is_none() {
            self.teams_not_found.insert(name.to_owned());
        }
        self.teams.insert(name.to_owned(), team);
        Ok(team)
    }

    /// Creates the person for agent `name`: see the module documentation.
    async fn create_person(
        &mut self,
        name: &str,
        team: Option<TeamId>,
    ) -> Result<(PersonId, String)> {
        let base = username_for(name);
        let display = display_name_for(name);
        let display = if display.is_empty() {
            base.clone()
        } else {
            display
        };
        let id = on_tx!(&mut self.tx, |tx, Db| {
            // The first free of base, base-2, base-3, …
            let mut username = base.clone();
            let mut n = 1;
            loop {
                let taken = sqlx::query_scalar::<Db, i64>(
                    "SELECT COUNT(*) FROM people WHERE username = $1",
                )
                .bind(&username)
                .fetch_one(&mut **tx)
                .await?;
                if taken == 0 {
                    break;
                }
                n += 1;
                username = format!("{base}-{n}");
            }
            let id = sqlx::query_scalar::<Db, PersonId>(
                "INSERT INTO people (username, display_name, role, tier, team_id, active, \
                 password_hash) VALUES ($1, $2, 'agent', 'junior', $3, FALSE, NULL) RETURNING id",
            )
            .bind(&username)
            .bind(&display)
            .bind(team)
            .fetch_one(&mut **tx)
            .await?;
            sqlx::query::<Db>(
                "INSERT INTO import_agent_names (source_name, person_id) VALUES ($1, $2)",
            )
            .bind(name)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            (id, username)
        });
        Ok(id)
    }

    /// `(id, key)` of the rows of `table` whose `key` column is one of `keys`.
    async fn lookup<I>(
        &mut self,
        table: &str,
        id: &str,
        key: &str,
        keys: &[&str],
    ) -> Result<Vec<(I, String)>>
    where
        I: From<i64>,
    {
        let mut out = Vec::new();
        for chunk in keys.chunks(LOOKUP_CHUNK) {
            if chunk.is_empty() {
                continue;
            }
            let rows: Vec<(i64, String)> = on_tx!(&mut self.tx, |tx, Db| {
                let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
                    "SELECT {id}, {key} FROM {table} WHERE {key} IN ("
                ));
                let mut list = qb.separated(", ");
                for k in chunk {
                    list.push_bind(*k);
                }
                qb.push(")");
                qb.build_query_as::<(i64, String)>()
                    .fetch_all(&mut **tx)
                    .await?
            });
            out.extend(rows.into_iter().map(|(i, k)| (I::from(i), k)));
        }
        Ok(out)
    }
}

impl From<i64> for QueueId {
    fn from(v: i64) -> QueueId {
        QueueId(v)
    }
}

impl From<i64> for PersonId {
    fn from(v: i64) -> PersonId {
        PersonId(v)
    }
}

/// Gives the writer connection its page cache setting back (freeing the import's).
async fn restore_cache(pool: &sqlx::SqlitePool, cache: i64) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = {cache}")))
        .execute(pool)
        .await?;
    Ok(())
}

/// The error with its field prefixed by where the row is in the batch.
fn at(e: StoreError, prefix: &str) -> StoreError {
    match e {
        StoreError::Invalid {
            field,
            value,
            allowed,
        } => StoreError::Invalid {
            field: format!("{prefix}.{field}"),
            value,
            allowed,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_from_other_platforms_names() {
        for (name, want) in [
            ("Agent/1127", "agent-1127"),
            ("NO_SERVER", "no_server"),
            ("PJSIP/8", "pjsip-8"),
            ("agent-0001", "agent-0001"),
            ("  Ana María  ", "ana-mar-a"),
            ("x", "agent-x"),
            ("__a__", "agent-a"),
            ("Local/1127@callback-agent", "local-1127@callback-agent"),
        ] {
            assert_eq!(username_for(name), want, "{name}");
        }
        // Nothing usable: a stable hash.
        assert_eq!(username_for("张伟"), username_for("张伟"));
        assert!(username_for("张伟").starts_with("agent-"));
        assert_ne!(username_for("张伟"), username_for("李娜"));
        assert_eq!(username_for(&"a".repeat(100)).len(), 56);
    }

    #[test]
    fn reasons_are_trimmed_and_bounded() {
        assert_eq!(reason_for(None), None);
        assert_eq!(reason_for(Some("  ")), None);
        assert_eq!(reason_for(Some(" Lunch\n")), Some("Lunch".to_owned()));
        assert_eq!(
            reason_for(Some(&"r".repeat(150))).map(|r| r.len()),
            Some(100)
        );
    }
}
