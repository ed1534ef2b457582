//! Contact records from CSV: Hotline's documented column set, or another platform's
//! export through a [`ColumnMapping`].
//!
//! Columns (see `docs/kpis.md` for the full table): `contact_id, queue, channel,
//! arrived_at, answered_at, ended_at, wrap_up_end_at, agent, outcome, customer, team,
//! wait_s, talk_s, hold_s, wrap_up_s, transfers, attributes`. Durations a file does not
//! give are derived from its times (wait = answer or end − arrival, talk = end −
//! answer − hold, wrap-up = wrap-up end − end); a missing `hold_s` or `transfers` column
//! means 0. Which columns were absent, derived or ignored is in [`CsvStats`], never
//! silent.
//!
//! [`ContactCsvReader`] streams (memory does not grow with the file, except the
//! duplicate-id check: 16 bytes per row, switchable off); [`parse_contact_csv`] collects.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::io::{self, Read, Write};

use jiff::tz::TimeZone;
use serde::Serialize;

use super::mapping::{ColumnMapping, Field, Target};
use super::{ImportError, Parsed};
use crate::record::{Channel, ContactRecord, Outcome};
use crate::reject::Reject;
use crate::time::{parse_decimal_ms, Ambiguity, DurationMs, TimeFormat, TimeParser, TimestampMs};

/// How to read a contact-record CSV.
#[derive(Clone, Debug)]
pub struct CsvOptions {
    /// Their column names → ours.
    pub mapping: ColumnMapping,
    /// How time columns are written.
    pub time_format: TimeFormat,
    /// The zone of times written without an offset (`None`: such times are rejected).
    pub time_zone: Option<TimeZone>,
    /// What to do with local times a DST change makes ambiguous.
    pub ambiguity: Ambiguity,
    /// The channel of every row when the file has no channel column (`None`: the
    /// column is required).
    pub default_channel: Option<Channel>,
    /// Field separator (`b','`, `b';'`, `b'\t'`).
    pub delimiter: u8,
    /// Reject a row whose contact id an earlier row had (keeps a 64-bit hash per row).
    pub check_duplicates: bool,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            mapping: ColumnMapping::new(),
            time_format: TimeFormat::Rfc3339OrLocal,
            time_zone: None,
            ambiguity: Ambiguity::Reject,
            default_channel: None,
            delimiter: b',',
            check_duplicates: true,
        }
    }
}

/// Counts and notes of a CSV import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CsvStats {
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Rows accepted.
    pub accepted: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Their column → our field (or `attr.<name>`), for each column used.
    pub columns: Vec<(String, String)>,
    /// Their columns nobody asked for: not imported.
    pub ignored_columns: Vec<String>,
    /// Our optional fields the file lacks, with what was done instead.
    pub absent_columns: Vec<(String, String)>,
}

/// Streams [`ContactRecord`]s out of a CSV reader, one `Result` per data row.
#[derive(Debug)]
pub struct ContactCsvReader<R: Read> {
    csv: csv::Reader<super::LfOnly<R>>,
    cols: [Option<usize>; 17],
    headers: Vec<String>,
    attr_cols: Vec<(usize, String)>,
    width: usize,
    mapping: ColumnMapping,
    default_channel: Option<Channel>,
    times: TimeParser,
    seen: Option<HashMap<u64, u64, BuildHasherDefault<PassThrough>>>,
    row: csv::StringRecord,
    stats: CsvStats,
    /// Set after an I/O error: the reader cannot go on.
    done: bool,
}

/// Reads all of `input` (header first) into records and rejects.
pub fn parse_contact_csv<R: Read>(
    input: R,
    options: &CsvOptions,
) -> Result<Parsed<ContactRecord, CsvStats>, ImportError> {
    let mut reader = ContactCsvReader::new(input, options)?;
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    for row in reader.by_ref() {
        match row {
            Ok(r) => records.push(r),
            Err(e) => rejects.push(e),
        }
    }
    Ok(Parsed {
        records,
        rejects,
        stats: reader.into_stats(),
    })
}

impl<R: Read> ContactCsvReader<R> {
    /// Reads and checks the header; an error when a required column is missing, a
    /// mapped column is not in the file, or two columns feed the same field.
    pub fn new(input: R, options: &CsvOptions) -> Result<ContactCsvReader<R>, ImportError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .delimiter(options.delimiter)
            .from_reader(super::LfOnly::new(input));
        let header = csv
            .byte_headers()
            .map_err(|e| ImportError::Unreadable(e.to_string()))?
            .clone();
        let mut headers = Vec::with_capacity(header.len());
        for (i, h) in header.iter().enumerate() {
            let mut h = String::from_utf8(h.to_vec())
                .map_err(|_| ImportError::Header(format!("column {} is not UTF-8 text", i + 1)))?;
            if i == 0 {
                if let Some(stripped) = h.strip_prefix('\u{feff}') {
                    h = stripped.to_owned();
                }
            }
            headers.push(h);
        }
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(ImportError::Header(
                "the file is empty (no header row)".into(),
            ));
        }
        let mapping = options.mapping.clone();
        for (theirs, _) in mapping.columns() {
            if !headers
                .iter()
                .any(|h| h.trim() == theirs || h.trim().eq_ignore_ascii_case(theirs))
            {
                return Err(ImportError::Header(format!(
                    "the mapping names column {theirs:?}, which the header does not have \
                     (columns: {})",
                    headers.join(", ")
                )));
            }
        }
        let mut cols = [None; 17];
        let mut attr_cols = Vec::new();
        let mut stats = CsvStats::default();
        for (i, h) in headers.iter().enumerate() {
            match mapping.target_of(h) {
                Some(Target::Field(f)) => {
                    if let Some(j) = cols[f.index()] {
                        return Err(ImportError::Header(format!(
                            "columns {:?} and {h:?} both give {f}; map one of them to - to \
                             ignore it",
                            headers[j]
                        )));
                    }
                    cols[f.index()] = Some(i);
                    stats.columns.push((h.clone(), f.name().to_owned()));
                }
                Some(Target::Attribute(name)) => {
                    stats.columns.push((h.clone(), format!("attr.{name}")));
                    attr_cols.push((i, name));
                }
                Some(Target::Ignore) => {}
                None => stats.ignored_columns.push(h.clone()),
            }
        }
        let missing: Vec<&str> = Field::ALL
            .into_iter()
            .filter(|f| cols[f.index()].is_none())
            .filter(|f| f.required() || (*f == Field::Channel && options.default_channel.is_none()))
            .map(Field::name)
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::Header(format!(
                "missing column(s) {} (the header has: {}); rename them with a mapping{}",
                missing.join(", "),
                headers.join(", "),
                if missing.contains(&"channel") {
                    " or give a default channel"
                } else {
                    ""
                }
            )));
        }
        for f in Field::ALL {
            if cols[f.index()].is_some() || f.required() {
                continue;
            }
            let note = match f {
                Field::Channel => format!(
                    "every row is {}",
                    options.default_channel.map_or("?", Channel::as_str)
                ),
                Field::Customer => "customer unknown (empty)".into(),
                Field::Agent => "no agent: rows an agent answered are rejected".into(),
                Field::Team => "no team (a report can map agents to teams)".into(),
                Field::AnsweredAt => "no row was answered".into(),
                Field::WrapUpEndAt => "no wrap-up end time".into(),
                Field::WaitS => "wait = answered_at (or ended_at) − arrived_at".into(),
                Field::TalkS => "talk = ended_at − answered_at − hold".into(),
                Field::HoldS => "hold = 0".into(),
                Field::WrapUpS => "wrap-up = wrap_up_end_at − ended_at, or 0".into(),
                Field::Transfers => "transfers = 0".into(),
                Field::Attributes => "no attributes column".into(),
                _ => continue,
            };
            stats.absent_columns.push((f.name().to_owned(), note));
        }
        Ok(ContactCsvReader {
            csv,
            cols,
            width: headers.len(),
            headers,
            attr_cols,
            mapping,
            default_channel: options.default_channel,
            times: TimeParser::new(
                options.time_format,
                options.time_zone.clone(),
                options.ambiguity,
            ),
            seen: options.check_duplicates.then(HashMap::default),
            row: csv::StringRecord::new(),
            stats,
            done: false,
        })
    }

    /// The counts so far.
    pub fn stats(&self) -> &CsvStats {
        &self.stats
    }

    /// The counts, when done.
    pub fn into_stats(self) -> CsvStats {
        self.stats
    }

    fn convert(&mut self, line: u64) -> Result<ContactRecord, Reject> {
        if self.row.len() != self.width {
            return Err(Reject::line(
                line,
                format!("{} field(s), the header has {}", self.row.len(), self.width),
            ));
        }
        let row = &self.row;
        let headers = &self.headers;
        let cols = &self.cols;
        let text = |f: Field| -> Result<Option<&str>, Reject> {
            Ok(cols[f.index()].map(|i| row.get(i).unwrap_or_default().trim()))
        };
        let bad = |f: Field, value: &str, reason: String| {
            let r = Reject::field(line, f.name(), value, reason);
            match cols[f.index()] {
                Some(i) => r.in_column(&headers[i]),
                None => r,
            }
        };
        let required = |f: Field| -> Result<&str, Reject> {
            match text(f)? {
                Some(v) if !v.is_empty() => Ok(v),
                v => Err(bad(
                    f,
                    v.unwrap_or(""),
                    "a value (the field is required)".into(),
                )),
            }
        };
        let optional =
            |f: Field| -> Result<Option<&str>, Reject> { Ok(text(f)?.filter(|v| !v.is_empty())) };

        let contact_id = required(Field::ContactId)?;
        let queue = required(Field::Queue)?;
        let channel = match optional(Field::Channel)? {
            Some(v) => {
                let ours = self.mapping.translate(Field::Channel, v);
                parse_ci(Channel::ALL, Channel::as_str, ours)
                    .ok_or_else(|| bad(Field::Channel, v, Channel::allowed()))?
            }
            None if cols[Field::Channel.index()].is_none() => {
                self.default_channel.unwrap_or(Channel::Voice)
            }
            None => return Err(bad(Field::Channel, "", Channel::allowed())),
        };
        let outcome_text = required(Field::Outcome)?;
        let outcome = parse_ci(
            Outcome::ALL,
            Outcome::as_str,
            self.mapping.translate(Field::Outcome, outcome_text),
        )
        .ok_or_else(|| {
            bad(
                Field::Outcome,
                outcome_text,
                format!("{} (or map it in [values.outcome])", Outcome::allowed()),
            )
        })?;
        let times = &mut self.times;
        let mut time = |f: Field, v: &str| -> Result<TimestampMs, Reject> {
            times.parse(v).map_err(|e| bad(f, v, e.0))
        };
        let arrived_at = time(Field::ArrivedAt, required(Field::ArrivedAt)?)?;
        let ended_at = time(Field::EndedAt, required(Field::EndedAt)?)?;
        let answered_at = match optional(Field::AnsweredAt)? {
            Some(v) => Some(time(Field::AnsweredAt, v)?),
            None => None,
        };
        let wrap_up_end_at = match optional(Field::WrapUpEndAt)? {
            Some(v) => Some(time(Field::WrapUpEndAt, v)?),
            None => None,
        };
        let secs = |f: Field| -> Result<Option<DurationMs>, Reject> {
            match optional(f)? {
                None => Ok(None),
                Some(v) => parse_decimal_ms(v)
                    .map(|ms| Some(DurationMs(ms)))
                    .ok_or_else(|| bad(f, v, "seconds ≥ 0, like 12 or 12.5".into())),
            }
        };
        let hold = secs(Field::HoldS)?.unwrap_or(DurationMs::ZERO);
        let wait = match secs(Field::WaitS)? {
            Some(w) => w,
            None => answered_at.unwrap_or(ended_at).since(arrived_at),
        };
        let talk = match secs(Field::TalkS)? {
            Some(t) => t,
            None => match answered_at {
                Some(a) => {
                    let t = DurationMs(ended_at.since(a).0 - hold.0);
                    if t.0 < 0 && ended_at >= a {
                        return Err(bad(
                            Field::HoldS,
                            &format!("{}", hold.as_secs_f64()),
                            format!(
                                "at most the time from answered_at to ended_at ({} s)",
                                ended_at.since(a).as_secs_f64()
                            ),
                        ));
                    }
                    t
                }
                None => DurationMs::ZERO,
            },
        };
        let wrap_up = match secs(Field::WrapUpS)? {
            Some(w) => w,
            None => wrap_up_end_at.map_or(DurationMs::ZERO, |w| w.since(ended_at)),
        };
        let transfers = match optional(Field::Transfers)? {
            None => 0,
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| bad(Field::Transfers, v, "a whole number ≥ 0".into()))?,
        };
        let mut attributes = match optional(Field::Attributes)? {
            None => serde_json::Map::new(),
            Some(v) => match serde_json::from_str::<serde_json::Value>(v) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => {
                    return Err(bad(
                        Field::Attributes,
                        v,
                        "a JSON object like {\"vip\": true}".into(),
                    ))
                }
            },
        };
        for (i, name) in &self.attr_cols {
            let v = row.get(*i).unwrap_or_default().trim();
            if !v.is_empty() {
                attributes.insert(name.clone(), serde_json::Value::String(v.to_owned()));
            }
        }
        let record = ContactRecord {
            contact_id: contact_id.to_owned(),
            queue: queue.to_owned(),
            channel,
            customer: optional(Field::Customer)?.unwrap_or("").to_owned(),
            agent: optional(Field::Agent)?.map(str::to_owned),
            team: optional(Field::Team)?.map(str::to_owned),
            arrived_at,
            answered_at,
            ended_at,
            wrap_up_end_at,
            outcome,
            wait,
            talk,
            hold,
            wrap_up,
            transfers,
            attributes,
        };
        if let Err(e) = record.check() {
            let field = match e.field {
                "wait" => Field::WaitS,
                "talk" => Field::TalkS,
                "hold" => Field::HoldS,
                "wrap_up" => Field::WrapUpS,
                name => Field::from_name(name).unwrap_or(Field::Outcome),
            };
            return Err(bad(field, &e.value, e.allowed));
        }
        if let Some(seen) = &mut self.seen {
            let mut h = std::hash::DefaultHasher::new();
            record.contact_id.hash(&mut h);
            if let Some(first) = seen.insert(h.finish(), line) {
                seen.insert(h.finish(), first);
                return Err(bad(
                    Field::ContactId,
                    &record.contact_id,
                    format!("a contact id not already used (line {first} has it)"),
                ));
            }
        }
        Ok(record)
    }
}

impl<R: Read> Iterator for ContactCsvReader<R> {
    type Item = Result<ContactRecord, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let line_before = self.csv.position().line();
        match self.csv.read_record(&mut self.row) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.row.position().map_or(line_before, |p| p.line());
                self.stats.rows += 1;
                let out = self.convert(line);
                match out {
                    Ok(_) => self.stats.accepted += 1,
                    Err(_) => self.stats.rejected += 1,
                }
                Some(out)
            }
            Err(e) => {
                self.stats.rows += 1;
                self.stats.rejected += 1;
                let line = e.position().map_or(line_before, |p| p.line());
                let reject = match e.kind() {
                    csv::ErrorKind::Utf8 { err, .. } => {
                        let field = err.field();
                        let name = self.headers.get(field).cloned().unwrap_or_default();
                        let ours = self.mapping.target_of(&name);
                        let r = Reject::line(line, "UTF-8 text (the file must be UTF-8)");
                        match ours {
                            Some(Target::Field(f)) => Reject {
                                field: Some(f.name().to_owned()),
                                ..r
                            }
                            .in_column(name),
                            _ => Reject {
                                field: Some(name),
                                ..r
                            },
                        }
                    }
                    _ => {
                        // The input itself failed (I/O): it does not heal.
                        self.done = true;
                        Reject::line(line, format!("unreadable input: {e}"))
                    }
                };
                Some(Err(reject))
            }
        }
    }
}

/// Hashes an already-hashed `u64` key as itself.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The value of `all` whose name equals `text` ignoring ASCII case.
fn parse_ci<T: Copy>(all: &[T], name: fn(T) -> &'static str, text: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| name(*v).eq_ignore_ascii_case(text))
}

/// Writes `records` in the documented columns, every one of them (times RFC 3339 in
/// UTC, durations in seconds with milliseconds): what `hotline` exports and the
/// simulator's `--records` writes. [`parse_contact_csv`] with default options reads
/// it back to the same records (values without surrounding spaces: the reader trims
/// them, as exports often pad cells).
pub fn write_contact_csv<'a, W: Write>(
    out: W,
    records: impl IntoIterator<Item = &'a ContactRecord>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(Field::ALL.map(Field::name))?;
    let secs = |d: DurationMs| {
        let s = format!("{}.{:03}", d.0.div_euclid(1000), d.0.rem_euclid(1000));
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    let time = |t: Option<TimestampMs>| t.map_or_else(String::new, |t| t.to_string());
    for r in records {
        let row = Field::ALL.map(|f| match f {
            Field::ContactId => r.contact_id.clone(),
            Field::Queue => r.queue.clone(),
            Field::Channel => r.channel.as_str().to_owned(),
            Field::ArrivedAt => time(Some(r.arrived_at)),
            Field::AnsweredAt => time(r.answered_at),
            Field::EndedAt => time(Some(r.ended_at)),
            Field::WrapUpEndAt => time(r.wrap_up_end_at),
            Field::Agent => r.agent.clone().unwrap_or_default(),
            Field::Outcome => r.outcome.as_str().to_owned(),
            Field::Customer => r.customer.clone(),
            Field::Team => r.team.clone().unwrap_or_default(),
            Field::WaitS => secs(r.wait),
            Field::TalkS => secs(r.talk),
            Field::HoldS => secs(r.hold),
            Field::WrapUpS => secs(r.wrap_up),
            Field::Transfers => r.transfers.to_string(),
            Field::Attributes if r.attributes.is_empty() => String::new(),
            Field::Attributes => serde_json::Value::Object(r.attributes.clone()).to_string(),
        });
        w.write_record(&row)?;
    }
    w.flush()
}
