//! Importing contact records, Asterisk queue_log files and agent-state history through
//! the API (issue 5): the same semantics as `hotline import` (see `docs/import.md`).
//!
//! The body is the file itself (`text/csv` or `text/plain`); options are query
//! parameters named like the CLI's flags. One import is one store transaction: by
//! default one bad row means nothing is written and the answer is a 422 listing the
//! rejected rows (line, field, value, reason; at most [`MAX_REJECTS_SHOWN`], with the
//! count); `skip_bad=true` imports the good rows and lists the rejects in the answer.
//! The same bytes imported again (same SHA-256, same kind) change nothing and the answer
//! says so, unless `again=true`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hotline_metrics::import::{
    self as parsers, ColumnMapping, ContactCsvReader, CsvOptions, ImportError, StateCsvOptions,
};
use hotline_metrics::time::{Ambiguity, TimeFormat};
use hotline_metrics::{AgentStateInterval, Channel, ContactRecord, Reject};
use hotline_store::{
    check_import_record, check_import_records, check_import_states, import_reject, Import,
    ImportEnd, ImportKind, ImportRun, NewImport, StoreError,
};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reports::query_pairs;
use crate::api::dto::rfc3339_store;
use crate::auth::policy::rules;
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::state::AppState;

rules! { RULES {
    GET "/api/v1/imports" => MANAGERS,
    POST "/api/v1/imports/records" => MANAGERS,
    POST "/api/v1/imports/queue-log" => MANAGERS,
    POST "/api/v1/imports/agent-states" => MANAGERS,
}}

/// The largest file an import takes (the rest of the API: 1 MiB).
pub const MAX_IMPORT_BYTES: usize = 256 << 20;
/// Rejected rows listed in an answer (the count is always complete).
pub const MAX_REJECTS_SHOWN: usize = 100;
/// Records or spells per batch handed to the store.
const BATCH: usize = 10_000;

/// The routes, with their OpenAPI paths; bodies up to [`MAX_IMPORT_BYTES`].
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(records))
        .routes(routes!(queue_log))
        .routes(routes!(agent_states))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

/// A person an import created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedPersonOut {
    /// The name in the source (`Agent/1127`).
    pub name: String,
    /// The username made from it (`agent-1127`); inactive, no password.
    pub username: String,
}

/// An import run.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRunOut {
    /// Id, in order of start.
    pub id: i64,
    /// `records`, `queue_log`, `agent_states` or `bank`.
    pub kind: &'static str,
    /// The source name given (`source=`), else the kind.
    pub source: String,
    /// SHA-256 of the bytes, hex: how a re-import is recognised.
    pub sha256: String,
    /// Start.
    pub started_at: String,
    /// Commit.
    pub finished_at: Option<String>,
    /// Contact records written.
    pub records_accepted: u64,
    /// Contact records already stored (same contact id): skipped.
    pub records_duplicate: u64,
    /// Agent state spells written or lengthened.
    pub states_accepted: u64,
    /// Agent state spells already stored: skipped.
    pub states_duplicate: u64,
    /// Input rows rejected (`skip_bad`).
    pub rejected: u64,
    /// Queues created, by name.
    pub created_queues: Vec<String>,
    /// People created (inactive agents without a password).
    pub created_people: Vec<CreatedPersonOut>,
    /// Format-specific counts (rows, columns ignored, queue_log outcomes…), and
    /// `teams_not_found`.
    #[schema(value_type = Object)]
    pub notes: Value,
}

impl From<ImportRun> for ImportRunOut {
    fn from(r: ImportRun) -> ImportRunOut {
        ImportRunOut {
            id: r.id.0,
            kind: r.kind.as_str(),
            source: r.source,
            sha256: r.sha256,
            started_at: rfc3339_store(r.started_at),
            finished_at: r.finished_at.map(rfc3339_store),
            records_accepted: r.records_accepted,
            records_duplicate: r.records_duplicate,
            states_accepted: r.states_accepted,
            states_duplicate: r.states_duplicate,
            rejected: r.rejected,
            created_queues: r.created_queues,
            created_people: r
                .created_people
                .into_iter()
                .map(|p| CreatedPersonOut {
                    name: p.name,
                    username: p.username,
                })
                .collect(),
            notes: r.notes,
        }
    }
}

/// A rejected row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RejectOut {
    /// 1-based line of the input (0: the format gives no line per record; the reason
    /// names the contact or spell).
    pub line: u64,
    /// The field in Hotline's terms.
    pub field: Option<String>,
    /// The file's column, when it differs from `field`.
    pub column: Option<String>,
    /// The value found.
    pub value: Option<String>,
    /// Why, saying what is allowed.
    pub reason: String,
}

impl From<&Reject> for RejectOut {
    fn from(r: &Reject) -> RejectOut {
        RejectOut {
            line: r.line,
            field: r.field.clone(),
            column: r.column.clone(),
            value: r.value.clone(),
            reason: r.reason.clone(),
        }
    }
}

/// The answer to an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOut {
    /// `true`: these bytes were imported before (this run is that import) and nothing
    /// changed.
    pub already_imported: bool,
    /// The run.
    pub import: ImportRunOut,
    /// Rows rejected (`skip_bad`).
    pub rejected: u64,
    /// The rejected rows (the first [`MAX_REJECTS_SHOWN`]).
    pub rejects: Vec<RejectOut>,
    /// Whether `rejects` was cut short.
    pub rejects_truncated: bool,
}

/// The options of `POST /api/v1/imports/records` (the CLI's flags).
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordsParams {
    /// IANA zone of times written without an offset (default: such times are rejected).
    pub timezone: Option<String>,
    /// `rfc3339` (default), `epoch_s` or `epoch_ms`.
    pub time_format: Option<String>,
    /// Local times a DST change repeats: `reject` (default), `earlier`, `later`.
    pub ambiguous: Option<String>,
    /// The channel of every row when the file has no channel column.
    pub channel: Option<String>,
    /// Field separator: one character, or `tab` (default `,`).
    pub delimiter: Option<String>,
    /// Column mapping: the TOML of a mapping file (`[columns]`, `[values.outcome]`…),
    /// or `Theirs=ours` pairs separated by commas.
    pub map: Option<String>,
    /// Import the good rows and list the bad ones (default: one bad row stops the
    /// import and nothing is written).
    pub skip_bad: Option<bool>,
    /// Import even if these bytes were imported before (what is stored is skipped).
    pub again: Option<bool>,
    /// A name for the run (the file's name), shown in `GET /api/v1/imports`.
    pub source: Option<String>,
}

/// The options of the other imports.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommonParams {
    /// Import the good rows and list the bad ones.
    pub skip_bad: Option<bool>,
    /// Import even if these bytes were imported before.
    pub again: Option<bool>,
    /// A name for the run.
    pub source: Option<String>,
}

/// The agent-states import's options.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatesParams {
    /// IANA zone of times written without an offset.
    pub timezone: Option<String>,
    /// `rfc3339` (default), `epoch_s` or `epoch_ms`.
    pub time_format: Option<String>,
    /// `reject` (default), `earlier`, `later`.
    pub ambiguous: Option<String>,
    /// Field separator: one character, or `tab`.
    pub delimiter: Option<String>,
    /// Import the good rows and list the bad ones.
    pub skip_bad: Option<bool>,
    /// Import even if these bytes were imported before.
    pub again: Option<bool>,
    /// A name for the run.
    pub source: Option<String>,
}

/// The query's options, by name, checked against `allowed`.
struct Options(Vec<(String, String)>);

impl Options {
    fn parse(raw: Option<&str>, allowed: &[&str]) -> ApiResult<Options> {
        let pairs = query_pairs(raw)?;
        for (k, _) in &pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::new(
                    Code::InvalidParameter,
                    format!(
                        "unknown query parameter {k:?}: expected {}",
                        allowed.join(", ")
                    ),
                )
                .with_field(k.clone()));
            }
        }
        Ok(Options(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    fn flag(&self, name: &str) -> ApiResult<bool> {
        match self.get(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(ApiError::invalid(
                name,
                format!("{other:?}"),
                "true or false",
            )),
        }
    }

    fn time_zone(&self) -> ApiResult<Option<jiff::tz::TimeZone>> {
        self.get("timezone")
            .map(|z| {
                jiff::tz::TimeZone::get(z).map_err(|_| {
                    ApiError::invalid(
                        "timezone",
                        format!("{z:?}"),
                        "an IANA time zone such as Europe/Madrid or UTC",
                    )
                })
            })
            .transpose()
    }

    fn time_format(&self) -> ApiResult<TimeFormat> {
        match self.get("time_format").unwrap_or("rfc3339") {
            "rfc3339" => Ok(TimeFormat::Rfc3339OrLocal),
            "epoch_s" | "epoch-s" => Ok(TimeFormat::EpochSeconds),
            "epoch_ms" | "epoch-ms" => Ok(TimeFormat::EpochMillis),
            other => Err(ApiError::invalid(
                "time_format",
                format!("{other:?}"),
                "rfc3339, epoch_s or epoch_ms",
            )),
        }
    }

    fn ambiguity(&self) -> ApiResult<Ambiguity> {
        match self.get("ambiguous").unwrap_or("reject") {
            "reject" => Ok(Ambiguity::Reject),
            "earlier" => Ok(Ambiguity::Earlier),
            "later" => Ok(Ambiguity::Later),
            other => Err(ApiError::invalid(
                "ambiguous",
                format!("{other:?}"),
                "reject, earlier or later",
            )),
        }
    }

    fn delimiter(&self) -> ApiResult<u8> {
        match self.get("delimiter").unwrap_or(",") {
            "tab" | "\\t" | "\t" => Ok(b'\t'),
            t if t.len() == 1 && t.is_ascii() => Ok(t.as_bytes()[0]),
            t => Err(ApiError::invalid(
                "delimiter",
                format!("{t:?}"),
                "one ASCII character (, ; |) or tab",
            )),
        }
    }
}

/// The body's bytes: a file as text (`text/csv`, `text/plain`, `application/octet-stream`
/// or no type), within the size limit.
fn body(headers: &HeaderMap, bytes: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !matches!(
            essence,
            "text/csv" | "text/plain" | "application/octet-stream" | "application/csv" | ""
        ) {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                format!("Content-Type {essence}: send the file itself as text/csv (or text/plain)"),
            )
            .with_field("content-type"));
        }
    }
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                Code::PayloadTooLarge,
                format!(
                    "the file is larger than {} MiB; split it",
                    MAX_IMPORT_BYTES >> 20
                ),
            )
        } else {
            ApiError::new(Code::MalformedJson, e.body_text())
        }
    })?;
    if bytes.is_empty() {
        return Err(ApiError::new(
            Code::InvalidField,
            "the body is empty: send the file's contents",
        )
        .with_field("body"));
    }
    Ok(bytes)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An import that cannot start: its header or mapping.
fn header_error(e: ImportError) -> ApiError {
    match e {
        ImportError::Mapping(m) => {
            ApiError::new(Code::InvalidField, format!("map: {m}")).with_field("map")
        }
        other => {
            ApiError::new(Code::InvalidField, format!("the file's {other}")).with_field("body")
        }
    }
}

/// An import run in progress: its identity and its rejects.
struct Run {
    kind: ImportKind,
    source: String,
    sha256: String,
    skip_bad: bool,
    rejects: Vec<Reject>,
    rejected: u64,
}

impl Run {
    fn reject(&mut self, r: Reject) {
        self.rejected += 1;
        if self.rejects.len() < MAX_REJECTS_SHOWN {
            self.rejects.push(r);
        }
    }

    fn writing(&self) -> bool {
        self.skip_bad || self.rejected == 0
    }

    fn rejects_out(&self) -> Vec<RejectOut> {
        self.rejects.iter().map(RejectOut::from).collect()
    }

    /// The 422 of an all-or-nothing import that met bad rows.
    fn refused(&self) -> Response {
        let first = &self.rejects[0];
        let mut err = ApiError::new(
            Code::InvalidField,
            format!(
                "{} row{} rejected, nothing was imported (all or nothing). The first: {first}. \
                 Fix the file, or import the other rows with skip_bad=true.",
                self.rejected,
                if self.rejected == 1 { "" } else { "s" },
            ),
        );
        err.field = Some(first.field.clone().unwrap_or_else(|| "body".into()));
        let mut doc = serde_json::to_value(err.problem()).unwrap_or_else(|_| json!({}));
        if let Some(obj) = doc.as_object_mut() {
            obj.insert("rejected".into(), json!(self.rejected));
            obj.insert("rejects".into(), json!(self.rejects_out()));
            obj.insert(
                "rejects_truncated".into(),
                json!(self.rejected > self.rejects.len() as u64),
            );
        }
        let mut r = (StatusCode::UNPROCESSABLE_ENTITY, Json(doc)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}

/// Starts a run: `Err(answer)` when these bytes were imported before (and `again` was
/// not asked).
async fn start(
    state: &AppState,
    kind: ImportKind,
    bytes: &[u8],
    o: &Options,
) -> ApiResult<Result<Run, Response>> {
    let sha256 = sha256_hex(bytes);
    if !o.flag("again")? {
        let before = state.store().find_imports(&sha256).await?;
        if let Some(prev) = before.into_iter().find(|r| r.kind == kind) {
            return Ok(Err(Json(ImportOut {
                already_imported: true,
                rejected: 0,
                rejects: Vec::new(),
                rejects_truncated: false,
                import: prev.into(),
            })
            .into_response()));
        }
    }
    let source = o
        .get("source")
        .map_or_else(|| kind.as_str().to_owned(), str::to_owned);
    if source.chars().count() > 200 {
        return Err(ApiError::invalid("source", "…", "at most 200 characters"));
    }
    Ok(Ok(Run {
        kind,
        source,
        sha256,
        skip_bad: o.flag("skip_bad")?,
        rejects: Vec::new(),
        rejected: 0,
    }))
}

async fn begin(state: &AppState, run: &Run) -> ApiResult<Import> {
    Ok(state
        .store()
        .begin_import(&NewImport {
            kind: run.kind,
            source: run.source.clone(),
            sha256: run.sha256.clone(),
            started_at: hotline_store::TimestampMs::now(),
        })
        .await?)
}

/// Writes the records and spells (in batches), then commits — or rolls back when rows
/// were rejected in all-or-nothing mode — and answers.
async fn finish(
    state: &AppState,
    run: Run,
    records: &[ContactRecord],
    states: &[AgentStateInterval],
    notes: Map<String, Value>,
) -> ApiResult<Response> {
    if !run.writing() {
        return Ok(run.refused());
    }
    let mut import = begin(state, &run).await?;
    let written = async {
        for chunk in records.chunks(BATCH) {
            import.add_records(chunk).await?;
        }
        for chunk in states.chunks(BATCH) {
            import.add_agent_states(chunk).await?;
        }
        Ok::<(), StoreError>(())
    }
    .await;
    if let Err(e) = written {
        import.abandon().await?;
        return Err(e.into());
    }
    let created = !import.created_queues().is_empty() || !import.created_people().is_empty();
    let done = import
        .finish(ImportEnd {
            finished_at: hotline_store::TimestampMs::now(),
            rejected: run.rejected,
            notes,
        })
        .await?;
    if created {
        after_creations(state, &done.created_queues).await;
    }
    Ok(Json(ImportOut {
        already_imported: false,
        rejected: run.rejected,
        rejects: run.rejects_out(),
        rejects_truncated: run.rejected > run.rejects.len() as u64,
        import: done.into(),
    })
    .into_response())
}

/// Queues an import created join the live engine (as if created through the API), and
/// the names directory learns the new queues and people.
async fn after_creations(state: &AppState, created_queues: &[String]) {
    if !created_queues.is_empty() {
        match state.store().list_queues().await {
            Ok(queues) => {
                for q in queues
                    .iter()
                    .filter(|q| created_queues.contains(&q.settings.name))
                {
                    if let Err(e) =
                        crate::org_sync::sync_queue(state.store(), state.runtime(), q.id).await
                    {
                        tracing::warn!(queue = %q.settings.name, error = %e, "an imported queue did not reach the engine; it will at the next start");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "listing queues after an import"),
        }
    }
    if let Err(e) = state.refresh_directory().await {
        tracing::warn!(error = %e, "refreshing the directory after an import");
    }
}

fn records_of(run: &mut Run, records: Vec<ContactRecord>) -> Vec<ContactRecord> {
    let (ok, rejects) = check_import_records(records);
    rejects.into_iter().for_each(|r| run.reject(r));
    ok
}

fn states_of(run: &mut Run, states: Vec<AgentStateInterval>) -> Vec<AgentStateInterval> {
    let (ok, rejects) = check_import_states(states);
    rejects.into_iter().for_each(|r| run.reject(r));
    ok
}

/// The import runs, newest first.
#[utoipa::path(get, path = "/api/v1/imports", tag = "imports",
    responses((status = 200, body = [ImportRunOut])))]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<ImportRunOut>>> {
    let mut runs: Vec<ImportRunOut> = state
        .store()
        .list_imports()
        .await?
        .into_iter()
        .map(ImportRunOut::from)
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.id));
    Ok(Json(runs))
}

/// Contact records in Hotline's CSV columns (docs/kpis.md § Inputs), or another
/// platform's export mapped onto them with `map`. The body is the CSV file.
#[utoipa::path(post, path = "/api/v1/imports/records", tag = "imports", params(RecordsParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportOut),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json",
         description = "a bad row (all or nothing: nothing written; `rejects` lists them) or a bad option")))]
pub async fn records(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let o = Options::parse(
        raw.as_deref(),
        &[
            "timezone",
            "time_format",
            "ambiguous",
            "channel",
            "delimiter",
            "map",
            "skip_bad",
            "again",
            "source",
        ],
    )?;
    let mapping = match o.get("map") {
        None => ColumnMapping::new(),
        Some(m) if m.contains('[') => ColumnMapping::from_toml(m).map_err(|e| {
            ApiError::new(Code::InvalidField, format!("map: {e}")).with_field("map")
        })?,
        Some(m) => ColumnMapping::parse_pairs(m.split(',').map(str::trim)).map_err(|e| {
            ApiError::new(Code::InvalidField, format!("map: {e}")).with_field("map")
        })?,
    };
    let default_channel = o
        .get("channel")
        .map(|c| {
            Channel::parse(c)
                .ok_or_else(|| ApiError::invalid("channel", format!("{c:?}"), &Channel::allowed()))
        })
        .transpose()?;
    let options = CsvOptions {
        mapping,
        time_format: o.time_format()?,
        time_zone: o.time_zone()?,
        ambiguity: o.ambiguity()?,
        default_channel,
        delimiter: o.delimiter()?,
        check_duplicates: true,
    };
    let bytes = body(&headers, bytes)?;
    // The header is checked before anything else happens.
    ContactCsvReader::new(&bytes[..], &options).map_err(header_error)?;
    let mut run = match start(&state, ImportKind::Records, &bytes, &o).await? {
        Ok(run) => run,
        Err(answer) => return Ok(answer),
    };
    let parsed = tokio::task::spawn_blocking(move || -> Result<_, ImportError> {
        let mut csv = ContactCsvReader::new(&bytes[..], &options)?;
        // Accepted rows count on from the last known line (as the CLI does).
        let mut next_line = 2u64;
        let mut rows = Vec::new();
        for row in csv.by_ref() {
            match row {
                Ok(r) => {
                    let line = next_line;
                    next_line += 1;
                    rows.push(match check_import_record(&r) {
                        Ok(()) => Ok(r),
                        Err(e) => Err(import_reject(line, e)),
                    });
                }
                Err(rej) => {
                    next_line = rej.line + 1;
                    rows.push(Err(rej));
                }
            }
        }
        Ok((rows, csv.into_stats()))
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let (rows, stats) = parsed.map_err(header_error)?;
    let mut good = Vec::with_capacity(rows.len());
    for row in rows {
        match row {
            Ok(r) => good.push(r),
            Err(rej) => run.reject(rej),
        }
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
    finish(&state, run, &good, &[], notes).await
}

/// An Asterisk `queue_log` (`epoch|callid|queue|agent|EVENT|data…`): contact records and
/// agent states (login, pause, on call). Times are epoch seconds: no time zone.
#[utoipa::path(post, path = "/api/v1/imports/queue-log", tag = "imports", params(CommonParams),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, body = ImportOut),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn queue_log(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let o = Options::parse(raw.as_deref(), &["skip_bad", "again", "source"])?;
    let bytes = body(&headers, bytes)?;
    let mut run = match start(&state, ImportKind::QueueLog, &bytes, &o).await? {
        Ok(run) => run,
        Err(answer) => return Ok(answer),
    };
    let parsed = tokio::task::spawn_blocking(move || {
        // Caller names in other encodings become U+FFFD rather than stop the import.
        parsers::parse_queue_log(&String::from_utf8_lossy(&bytes))
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    for r in parsed.rejects {
        run.reject(r);
    }
    let records = records_of(&mut run, parsed.records);
    let states = states_of(&mut run, parsed.agent_states);
    let notes = parsed.stats.notes();
    finish(&state, run, &records, &states, notes).await
}

/// Agent state spells from CSV: `agent, state, reason, from, to` (and `team`).
#[utoipa::path(post, path = "/api/v1/imports/agent-states", tag = "imports", params(StatesParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportOut),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn agent_states(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let o = Options::parse(
        raw.as_deref(),
        &[
            "timezone",
            "time_format",
            "ambiguous",
            "delimiter",
            "skip_bad",
            "again",
            "source",
        ],
    )?;
    let options = StateCsvOptions {
        time_format: o.time_format()?,
        time_zone: o.time_zone()?,
        ambiguity: o.ambiguity()?,
        delimiter: o.delimiter()?,
    };
    let bytes = body(&headers, bytes)?;
    let mut run = match start(&state, ImportKind::AgentStates, &bytes, &o).await? {
        Ok(run) => run,
        Err(answer) => return Ok(answer),
    };
    let parsed =
        tokio::task::spawn_blocking(move || parsers::parse_agent_states_csv(&bytes[..], &options))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(header_error)?;
    for r in parsed.rejects {
        run.reject(r);
    }
    let states = states_of(&mut run, parsed.records);
    let mut notes = Map::new();
    notes.insert("rows".into(), json!(parsed.stats.rows));
    if !parsed.stats.ignored_columns.is_empty() {
        notes.insert(
            "ignored_columns".into(),
            json!(parsed.stats.ignored_columns),
        );
    }
    finish(&state, run, &[], &states, notes).await
}
