//! `hotline import`: contact records and agent state history from files into the store.
//! This adapter reads the file, lets a `hotline_metrics` parser turn it into records,
//! and writes them through one `hotline_store` import session (one transaction: all or
//! nothing). See `docs/import.md`.

pub(crate) mod output;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use hotline_metrics::import::{
    self as parsers, ColumnMapping, ContactCsvReader, CsvOptions, ImportError, StateCsvOptions,
};
use hotline_metrics::time::{Ambiguity, TimeFormat};
use hotline_metrics::{AgentStateInterval, Channel, ContactRecord, Reject};
use hotline_store::{
    check_import_record, check_import_records, check_import_states, import_reject, Import,
    ImportEnd, ImportKind, ImportRun, NewImport, Store, StoreError, StoreOptions,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

pub use output::AtomicFile;

use crate::InputError;

/// Records per batch handed to the store (ten multi-row INSERTs).
const BATCH: usize = 10_000;

/// A mistake the user can fix: exit code 2 with the message as is.
pub(crate) fn input(msg: impl Into<String>) -> anyhow::Error {
    InputError(msg.into()).into()
}

/// Where the store is: the same flags and variables as `hotline serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Directory of the SQLite database (used when no database URL is given).
    #[arg(long, env = "HOTLINE_DATA_DIR", default_value = "./hotline-data")]
    pub data_dir: PathBuf,
    /// PostgreSQL (`postgres://user:password@host/db`) or SQLite URL instead of the data
    /// directory's file.
    #[arg(long, env = "HOTLINE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// Opens the store as the server does (`<data dir>/hotline.db` unless a URL is
    /// given), applying pending migrations.
    pub async fn open(&self) -> Result<Store> {
        match &self.database_url {
            Some(url) => Store::connect_with(url, StoreOptions::default())
                .await
                .map_err(|e| match e {
                    StoreError::Config { target, reason } => {
                        input(format!("--database-url {target}: {reason}"))
                    }
                    other => anyhow::Error::new(other).context("opening the database"),
                }),
            None => {
                let path = self.data_dir.join("hotline.db");
                Store::open_sqlite_file(&path, StoreOptions::default())
                    .await
                    .map_err(|e| match e {
                        StoreError::Config { reason, .. } => {
                            input(format!("--data-dir {}: {reason}", self.data_dir.display()))
                        }
                        other => {
                            anyhow::Error::new(other).context(format!("opening {}", path.display()))
                        }
                    })
            }
        }
    }
}

/// Import contact records or agent state history into the store (the same database
/// `hotline serve` uses). One transaction: a bad row stops the import and nothing is
/// written, unless --skip-bad; a file imported before is recognised and skipped.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  hotline import records calls.csv --timezone Europe/Madrid
  hotline import records export.csv --map mapping.toml --skip-bad --rejects rejects.csv
  hotline import queue-log /var/log/asterisk/queue_log
  hotline import agent-states states.csv
  hotline import bank calls.csv --skip-bad --rejects bank-rejects.csv

See docs/import.md for the formats.")]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Contact records in Hotline's CSV columns, or another platform's export mapped onto
    /// them with --map.
    Records(RecordsArgs),
    /// An Asterisk queue_log: contact records and agent states (login, pause, on call).
    QueueLog(QueueLogArgs),
    /// Agent state spells from CSV: agent, state, reason, from, to (and team).
    AgentStates(StatesArgs),
    /// The Anonymous Bank call-center data (August 1999) through its documented mapping.
    Bank(BankArgs),
}

/// What every import takes.
#[derive(Debug, clap::Args)]
struct Common {
    #[command(flatten)]
    store: StoreArgs,
    /// Import the good rows and write the bad ones to --rejects (default: one bad row
    /// stops the import and nothing is written).
    #[arg(long, requires = "rejects")]
    skip_bad: bool,
    /// With --skip-bad: the CSV file of rejected rows (line, field, column, value, reason).
    #[arg(long, value_name = "FILE", requires = "skip_bad")]
    rejects: Option<PathBuf>,
    /// Import even if this file (same SHA-256) was imported before; what is stored
    /// already is skipped.
    #[arg(long)]
    again: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct RecordsArgs {
    /// The CSV file (header first).
    file: PathBuf,
    /// Column mapping: a TOML file ([columns], [values.outcome], [values.channel]), or
    /// `Theirs=ours` pairs (repeat the flag).
    #[arg(long, value_name = "FILE|THEIRS=OURS")]
    map: Vec<String>,
    /// IANA time zone of times written without an offset (default: such times are
    /// rejected).
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// How times are written.
    #[arg(long, value_enum, default_value_t = TimeArg::Rfc3339)]
    time_format: TimeArg,
    /// Local times a DST change makes ambiguous: reject the row, or take the earlier or
    /// later offset.
    #[arg(long, value_enum, default_value_t = AmbiguousArg::Reject)]
    ambiguous: AmbiguousArg,
    /// The channel of every row when the file has no channel column.
    #[arg(long, value_name = "CHANNEL")]
    channel: Option<String>,
    /// Field separator: one character (`;`, `tab`).
    #[arg(long, default_value = ",")]
    delimiter: String,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct QueueLogArgs {
    /// The queue_log file (`epoch|callid|queue|agent|EVENT|data…`; times are epoch
    /// seconds, so no time zone is needed).
    file: PathBuf,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct StatesArgs {
    /// The CSV file (header first).
    file: PathBuf,
    /// IANA time zone of times written without an offset.
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// How times are written.
    #[arg(long, value_enum, default_value_t = TimeArg::Rfc3339)]
    time_format: TimeArg,
    /// Local times a DST change makes ambiguous.
    #[arg(long, value_enum, default_value_t = AmbiguousArg::Reject)]
    ambiguous: AmbiguousArg,
    /// Field separator: one character (`;`, `tab`).
    #[arg(long, default_value = ",")]
    delimiter: String,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct BankArgs {
    /// The data set's calls.csv.
    file: PathBuf,
    /// The bank's time zone.
    #[arg(long, value_name = "ZONE", default_value = "Asia/Jerusalem")]
    timezone: String,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TimeArg {
    /// `2024-03-01T08:00:00Z`, `2024-03-01 08:00:00+01:00`, or local time with --timezone.
    Rfc3339,
    /// Seconds since the Unix epoch (fractions allowed).
    EpochS,
    /// Milliseconds since the Unix epoch.
    EpochMs,
}

impl From<TimeArg> for TimeFormat {
    fn from(t: TimeArg) -> TimeFormat {
        match t {
            TimeArg::Rfc3339 => TimeFormat::Rfc3339OrLocal,
            TimeArg::EpochS => TimeFormat::EpochSeconds,
            TimeArg::EpochMs => TimeFormat::EpochMillis,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AmbiguousArg {
    Reject,
    Earlier,
    Later,
}

impl From<AmbiguousArg> for Ambiguity {
    fn from(a: AmbiguousArg) -> Ambiguity {
        match a {
            AmbiguousArg::Reject => Ambiguity::Reject,
            AmbiguousArg::Earlier => Ambiguity::Earlier,
            AmbiguousArg::Later => Ambiguity::Later,
        }
    }
}

pub fn run(args: Args) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        match args.what {
            What::Records(a) => records(a).await,
            What::QueueLog(a) => queue_log(a).await,
            What::AgentStates(a) => agent_states(a).await,
            What::Bank(a) => bank(a).await,
        }
    })
}

/// An IANA zone named by `flag`.
pub(crate) fn time_zone(flag: &str, name: &str) -> Result<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(name).map_err(|_| {
        input(format!(
            "{flag} {name:?}: not a time zone; give an IANA name like Europe/Madrid, \
             America/New_York or UTC"
        ))
    })
}

fn delimiter(text: &str) -> Result<u8> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() => Ok(t.as_bytes()[0]),
        t => Err(input(format!(
            "--delimiter {t:?}: one ASCII character (, ; | or tab)"
        ))),
    }
}

fn open_file(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| input(format!("cannot read {}: {e}", path.display())))
}

/// A progress bar on stderr when it is a terminal, else hidden.
pub(crate) fn progress_bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:40}}] {{bytes}}/{{total_bytes}} {{msg}} eta {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// The file's SHA-256 (hex), read once before the import: how a re-import is known.
fn sha256_of(path: &Path) -> Result<String> {
    let file = open_file(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress_bar(len, "checking");
    let mut reader = bar.wrap_read(BufReader::with_capacity(1 << 20, file));
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader
            .read(&mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    bar.finish_and_clear();
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// An import run from its start: the store, the file's identity, the rejects file.
struct Run {
    store: Store,
    kind: ImportKind,
    file: PathBuf,
    sha256: String,
    started: Instant,
    started_at: hotline_store::TimestampMs,
    common_json: bool,
    skip_bad: bool,
    rejects: Option<RejectsFile>,
    rejected: u64,
    /// All-or-nothing: the first reject met (then nothing more is written).
    first_reject: Option<Reject>,
}

impl Run {
    /// Opens the store and hashes the file; `None` when the file was imported before
    /// (and `--again` was not given): the summary of that import was printed.
    async fn start(kind: ImportKind, file: &Path, common: &Common) -> Result<Option<Run>> {
        // Flags first, the store after: a typo costs no database work.
        let sha256 = sha256_of(file)?;
        let store = common.store.open().await?;
        if !common.again {
            let before = store.find_imports(&sha256).await?;
            if let Some(prev) = before.iter().find(|r| r.kind == kind) {
                print_already(file, prev, common.json)?;
                return Ok(None);
            }
        }
        let rejects = match (&common.skip_bad, &common.rejects) {
            (true, Some(path)) => Some(RejectsFile::create(path)?),
            _ => None,
        };
        Ok(Some(Run {
            store,
            kind,
            file: file.to_owned(),
            sha256,
            started: Instant::now(),
            started_at: now(),
            common_json: common.json,
            skip_bad: common.skip_bad,
            rejects,
            rejected: 0,
            first_reject: None,
        }))
    }

    async fn begin(&self) -> Result<Import> {
        Ok(self
            .store
            .begin_import(&NewImport {
                kind: self.kind,
                source: self.file.display().to_string(),
                sha256: self.sha256.clone(),
                started_at: self.started_at,
            })
            .await?)
    }

    /// Counts a rejected row: into the rejects file with --skip-bad; else the first one
    /// is kept and the import will fail.
    fn reject(&mut self, r: Reject) -> Result<()> {
        self.rejected += 1;
        if let Some(file) = &mut self.rejects {
            file.write(&r)?;
        } else if self.first_reject.is_none() {
            self.first_reject = Some(r);
        }
        Ok(())
    }

    /// Whether rows may still be written (not after a reject in all-or-nothing mode).
    fn writing(&self) -> bool {
        self.skip_bad || self.first_reject.is_none()
    }

    /// Commits (or, after a reject in all-or-nothing mode, rolls back and fails) and
    /// prints the summary.
    async fn end(self, import: Import, notes: Map<String, Value>) -> Result<()> {
        if let Some(first) = self.first_reject {
            import.abandon().await?;
            return Err(input(format!(
                "{}: {} row{} rejected, nothing was imported (all or nothing). The first: {first}\n\
                 Fix the file, or import the other rows with --skip-bad --rejects FILE.",
                self.file.display(),
                self.rejected,
                if self.rejected == 1 { "" } else { "s" },
            )));
        }
        if let Some(rejects) = self.rejects {
            rejects.commit()?;
        }
        let run = import
            .finish(ImportEnd {
                finished_at: now(),
                rejected: self.rejected,
                notes,
            })
            .await?;
        let secs = self.started.elapsed().as_secs_f64();
        print_summary(&self.file, &run, secs, self.common_json)?;
        self.store.close().await;
        Ok(())
    }
}

/// The rejects file of --skip-bad, written beside its target and renamed at the end.
struct RejectsFile {
    out: csv::Writer<AtomicFile>,
}

impl RejectsFile {
    fn create(path: &Path) -> Result<RejectsFile> {
        let file = AtomicFile::create(path)
            .map_err(|e| input(format!("--rejects {}: {e}", path.display())))?;
        let mut out = csv::Writer::from_writer(file);
        out.write_record(["line", "field", "column", "value", "reason"])?;
        Ok(RejectsFile { out })
    }

    fn write(&mut self, r: &Reject) -> Result<()> {
        self.out.write_record([
            r.line.to_string().as_str(),
            r.field.as_deref().unwrap_or(""),
            r.column.as_deref().unwrap_or(""),
            r.value.as_deref().unwrap_or(""),
            r.reason.as_str(),
        ])?;
        Ok(())
    }

    fn commit(self) -> Result<()> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing the rejects file: {e}"))?;
        file.commit()?;
        Ok(())
    }
}

fn now() -> hotline_store::TimestampMs {
    hotline_store::TimestampMs::from_jiff(jiff::Timestamp::now())
}

/// A header or mapping error: the import cannot start.
fn header_error(file: &Path, e: ImportError) -> anyhow::Error {
    input(format!("{}: {e}", file.display()))
}

async fn records(a: RecordsArgs) -> Result<()> {
    let mut mapping = ColumnMapping::new();
    let mut pairs = Vec::new();
    for m in &a.map {
        let as_file = Path::new(m);
        if !m.contains('=') || as_file.is_file() {
            let text = std::fs::read_to_string(as_file)
                .map_err(|e| input(format!("--map {m}: cannot read the mapping file: {e}")))?;
            if !pairs.is_empty() || !mapping.columns().is_empty() {
                return Err(input(
                    "--map: give one mapping file, or THEIRS=OURS pairs, not both",
                ));
            }
            mapping =
                ColumnMapping::from_toml(&text).map_err(|e| input(format!("--map {m}: {e}")))?;
        } else {
            pairs.push(m.as_str());
        }
    }
    if !pairs.is_empty() {
        if !mapping.columns().is_empty() {
            return Err(input(
                "--map: give one mapping file, or THEIRS=OURS pairs, not both",
            ));
        }
        mapping = ColumnMapping::parse_pairs(pairs.iter().copied())
            .map_err(|e| input(format!("--map: {e}")))?;
    }
    let default_channel =
        match &a.channel {
            Some(c) => Some(Channel::parse(c).ok_or_else(|| {
                input(format!("--channel {c:?}: expected {}", Channel::allowed()))
            })?),
            None => None,
        };
    let options = CsvOptions {
        mapping,
        time_format: a.time_format.into(),
        time_zone: a
            .timezone
            .as_deref()
            .map(|z| time_zone("--timezone", z))
            .transpose()?,
        ambiguity: a.ambiguous.into(),
        default_channel,
        delimiter: delimiter(&a.delimiter)?,
        check_duplicates: true,
    };
    // The header is checked before anything else happens.
    ContactCsvReader::new(BufReader::new(open_file(&a.file)?), &options)
        .map_err(|e| header_error(&a.file, e))?;
    let Some(mut run) = Run::start(ImportKind::Records, &a.file, &a.common).await? else {
        return Ok(());
    };

    let file = open_file(&a.file)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress_bar(len, "importing");
    let reader = bar.wrap_read(BufReader::with_capacity(1 << 20, file));
    let csv = ContactCsvReader::new(reader, &options).map_err(|e| header_error(&a.file, e))?;

    // The parser runs on its own thread, the database on the store's: on two cores
    // parsing and inserting overlap. Batches carry each row's line (see `lines`).
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<(u64, Result<ContactRecord, Reject>)>>(4);
    let parser = std::thread::spawn(move || {
        let mut csv = csv;
        // The line of a row: the CSV reader gives it for rejects only, so accepted rows
        // count on from the last known line (one line per row; a quoted line break in
        // an accepted row shifts the numbers of later store-level rejects, never the
        // parser's own).
        let mut next_line = 2u64;
        let mut batch = Vec::with_capacity(BATCH);
        for row in csv.by_ref() {
            let row = match row {
                Ok(r) => {
                    let line = next_line;
                    next_line += 1;
                    match check_import_record(&r) {
                        Ok(()) => (line, Ok(r)),
                        Err(e) => (line, Err(import_reject(line, e))),
                    }
                }
                Err(rej) => {
                    next_line = rej.line + 1;
                    (rej.line, Err(rej))
                }
            };
            batch.push(row);
            if batch.len() == BATCH
                && tx
                    .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                    .is_err()
            {
                return csv.into_stats();
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        csv.into_stats()
    });

    let mut import = run.begin().await?;
    let mut good: Vec<ContactRecord> = Vec::with_capacity(BATCH);
    let mut result = Ok(());
    while let Some(batch) = rx.recv().await {
        for (_, row) in batch {
            match row {
                Ok(r) => {
                    if run.writing() {
                        good.push(r);
                    }
                }
                Err(rej) => run.reject(rej)?,
            }
        }
        if run.writing() && good.len() >= BATCH {
            if let Err(e) = import.add_records(&good).await {
                result = Err(e);
                break;
            }
            bar.set_message(format!("{} records", import.records().accepted));
            good.clear();
        }
        if !run.writing() {
            good.clear();
        }
    }
    drop(rx);
    let stats = parser
        .join()
        .map_err(|_| anyhow::anyhow!("the CSV parser thread panicked"))?;
    bar.finish_and_clear();
    if result.is_ok() && run.writing() && !good.is_empty() {
        result = import.add_records(&good).await.map(|_| ());
    }
    if let Err(e) = result {
        import.abandon().await?;
        return Err(anyhow::Error::new(e).context("writing the records; nothing was imported"));
    }
    let mut notes = Map::new();
    notes.insert("rows".into(), json!(stats.rows));
    notes.insert("columns".into(), json!(stats.columns));
    if !stats.ignored_columns.is_empty() {
        notes.insert("ignored_columns".into(), json!(stats.ignored_columns));
    }
    if !stats.absent_columns.is_empty() {
        notes.insert("absent_columns".into(), json!(stats.absent_columns));
    }
    run.end(import, notes).await
}

async fn queue_log(a: QueueLogArgs) -> Result<()> {
    let bytes = std::fs::read(&a.file)
        .map_err(|e| input(format!("cannot read {}: {e}", a.file.display())))?;
    let Some(mut run) = Run::start(ImportKind::QueueLog, &a.file, &a.common).await? else {
        return Ok(());
    };
    // Caller names in other encodings become U+FFFD rather than stop the import.
    let text = String::from_utf8_lossy(&bytes);
    let parsed = parsers::parse_queue_log(&text);
    for r in parsed.rejects {
        run.reject(r)?;
    }
    let mut import = run.begin().await?;
    let records = checked_records(&mut run, parsed.records)?;
    let states = checked_states(&mut run, parsed.agent_states)?;
    if run.writing() {
        if let Err(e) = write_all(&mut import, &records, &states).await {
            import.abandon().await?;
            return Err(e);
        }
    }
    let notes = parsed.stats.notes();
    run.end(import, notes).await
}

async fn agent_states(a: StatesArgs) -> Result<()> {
    let options = StateCsvOptions {
        time_format: a.time_format.into(),
        time_zone: a
            .timezone
            .as_deref()
            .map(|z| time_zone("--timezone", z))
            .transpose()?,
        ambiguity: a.ambiguous.into(),
        delimiter: delimiter(&a.delimiter)?,
    };
    let parsed = parsers::parse_agent_states_csv(BufReader::new(open_file(&a.file)?), &options)
        .map_err(|e| header_error(&a.file, e))?;
    let Some(mut run) = Run::start(ImportKind::AgentStates, &a.file, &a.common).await? else {
        return Ok(());
    };
    for r in parsed.rejects {
        run.reject(r)?;
    }
    let mut import = run.begin().await?;
    let states = checked_states(&mut run, parsed.records)?;
    if run.writing() {
        if let Err(e) = write_all(&mut import, &[], &states).await {
            import.abandon().await?;
            return Err(e);
        }
    }
    let mut notes = Map::new();
    notes.insert("rows".into(), json!(parsed.stats.rows));
    if !parsed.stats.ignored_columns.is_empty() {
        notes.insert(
            "ignored_columns".into(),
            json!(parsed.stats.ignored_columns),
        );
    }
    run.end(import, notes).await
}

async fn bank(a: BankArgs) -> Result<()> {
    let tz = time_zone("--timezone", &a.timezone)?;
    let parsed = parsers::parse_bank_calls(BufReader::new(open_file(&a.file)?), &tz)
        .map_err(|e| header_error(&a.file, e))?;
    let Some(mut run) = Run::start(ImportKind::Bank, &a.file, &a.common).await? else {
        return Ok(());
    };
    for r in parsed.rejects {
        run.reject(r)?;
    }
    let mut import = run.begin().await?;
    let records = checked_records(&mut run, parsed.records)?;
    if run.writing() {
        if let Err(e) = write_all(&mut import, &records, &[]).await {
            import.abandon().await?;
            return Err(e);
        }
    }
    let s = parsed.stats;
    let mut notes = Map::new();
    for (k, v) in [
        ("rows", s.rows),
        ("answered", s.answered),
        ("served_without_queue", s.served_without_queue),
        ("answered_without_server", s.answered_without_server),
        ("abandoned", s.abandoned),
        (
            "abandoned_with_service_times",
            s.abandoned_with_service_times,
        ),
        ("left_in_vru", s.left_in_vru),
        ("phantom", s.phantom),
    ] {
        notes.insert(k.into(), json!(v));
    }
    run.end(import, notes).await
}

/// The records the store accepts; the others become rejects naming the contact.
fn checked_records(run: &mut Run, records: Vec<ContactRecord>) -> Result<Vec<ContactRecord>> {
    let (ok, rejects) = check_import_records(records);
    for r in rejects {
        run.reject(r)?;
    }
    Ok(ok)
}

/// The spells the store accepts; the others become rejects naming agent and start.
fn checked_states(
    run: &mut Run,
    states: Vec<AgentStateInterval>,
) -> Result<Vec<AgentStateInterval>> {
    let (ok, rejects) = check_import_states(states);
    for r in rejects {
        run.reject(r)?;
    }
    Ok(ok)
}

async fn write_all(
    import: &mut Import,
    records: &[ContactRecord],
    states: &[AgentStateInterval],
) -> Result<()> {
    for chunk in records.chunks(BATCH) {
        import
            .add_records(chunk)
            .await
            .context("writing the records; nothing was imported")?;
    }
    for chunk in states.chunks(BATCH) {
        import
            .add_agent_states(chunk)
            .await
            .context("writing the agent states; nothing was imported")?;
    }
    Ok(())
}

fn print_already(file: &Path, prev: &ImportRun, as_json: bool) -> Result<()> {
    if as_json {
        let out = json!({"already_imported": true, "import": prev});
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let when = prev
        .finished_at
        .unwrap_or(prev.started_at)
        .to_jiff()
        .map_or_else(String::new, |t| t.to_string());
    println!(
        "{} was already imported on {when} (import {}: {} records, {} agent state spells \
         from {}); nothing to do. --again imports it anyway (what is stored already is \
         skipped).",
        file.display(),
        prev.id,
        prev.records_accepted,
        prev.states_accepted,
        prev.source,
    );
    Ok(())
}

fn print_summary(file: &Path, run: &ImportRun, secs: f64, as_json: bool) -> Result<()> {
    if as_json {
        let out = json!({"already_imported": false, "import": run, "seconds": secs});
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let mut lines = vec![format!(
        "Imported {} (import {}, {}) in {secs:.1} s",
        file.display(),
        run.id,
        run.kind
    )];
    if run.kind != ImportKind::AgentStates {
        lines.push(format!(
            "  contact records: {} new, {} already stored",
            run.records_accepted, run.records_duplicate
        ));
    }
    if matches!(run.kind, ImportKind::AgentStates | ImportKind::QueueLog) {
        lines.push(format!(
            "  agent state spells: {} new or lengthened, {} already stored",
            run.states_accepted, run.states_duplicate
        ));
    }
    lines.push(format!("  rejected rows: {}", run.rejected));
    lines.push(format!(
        "  queues created: {}{}",
        run.created_queues.len(),
        list(run.created_queues.iter().map(String::as_str))
    ));
    let people: Vec<String> = run
        .created_people
        .iter()
        .map(|p| {
            if p.name == p.username {
                p.username.clone()
            } else {
                format!("{} → {}", p.name, p.username)
            }
        })
        .collect();
    lines.push(format!(
        "  agents created (inactive, no password): {}{}",
        people.len(),
        list(people.iter().map(String::as_str))
    ));
    let notes = run.notes.as_object().cloned().unwrap_or_default();
    if let Some(t) = notes.get("teams_not_found").and_then(Value::as_array) {
        let names: Vec<&str> = t.iter().filter_map(Value::as_str).collect();
        lines.push(format!(
            "  teams not found (agents created without a team): {}",
            names.join(", ")
        ));
    }
    match run.kind {
        ImportKind::QueueLog => queue_log_lines(&notes, &mut lines),
        ImportKind::Bank => {
            let n = |k: &str| notes.get(k).and_then(Value::as_u64).unwrap_or(0);
            lines.push(format!(
                "  rows {}: answered {} (served without queueing {}, by NO_SERVER {}), \
                 abandoned {} (service times ignored on {}); skipped: left in the VRU {}, \
                 phantom {}",
                n("rows"),
                n("answered"),
                n("served_without_queue"),
                n("answered_without_server"),
                n("abandoned"),
                n("abandoned_with_service_times"),
                n("left_in_vru"),
                n("phantom"),
            ));
        }
        ImportKind::Records | ImportKind::AgentStates => {
            if let Some(c) = notes.get("ignored_columns").and_then(Value::as_array) {
                let names: Vec<&str> = c.iter().filter_map(Value::as_str).collect();
                lines.push(format!("  columns ignored: {}", names.join(", ")));
            }
        }
    }
    println!("{}", lines.join("\n"));
    Ok(())
}

fn queue_log_lines(notes: &Map<String, Value>, lines: &mut Vec<String>) {
    let n = |k: &str| notes.get(k).and_then(Value::as_u64).unwrap_or(0);
    let counts = |k: &str| -> String {
        let m: BTreeMap<String, u64> = notes
            .get(k)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        if m.is_empty() {
            "none".into()
        } else {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    lines.push(format!(
        "  lines {}, queue calls {}: {}; flow-outs: {}",
        n("lines"),
        n("calls"),
        counts("outcomes"),
        counts("flow_outs")
    ));
    lines.push(format!(
        "  vendor events skipped: {}",
        counts("vendor_events_skipped")
    ));
    let cut = notes
        .get("cut_off_calls")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    lines.push(format!(
        "  calls cut off at the end of the file: {cut} (not stored: a later, longer copy of \
         the log completes them under the same id)"
    ));
    let anomalies = notes
        .get("anomalies")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    lines.push(format!(
        "  calls rebuilt without their ENTERQUEUE {}, dropped (contradictory times) {}, \
         events that did not fit their call {anomalies}",
        n("reconstructed"),
        n("dropped"),
    ));
    lines.push(format!(
        "  agents still logged in at the end {}; time on calls outside any login {} s",
        n("agents_logged_in_at_end"),
        n("busy_outside_login_ms") / 1000
    ));
}

/// ` (a, b, c)` for a non-empty list, at most 10 names.
fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = names.iter().copied().take(10).collect();
    let more = names.len().saturating_sub(10);
    if more > 0 {
        format!(" ({}, and {more} more)", shown.join(", "))
    } else {
        format!(" ({})", shown.join(", "))
    }
}
