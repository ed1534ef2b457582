//! Agent state history from CSV (`hotline import agent-states`): one spell per row,
//! `agent, state, reason, from, to` and optionally `team`, header names matched
//! ignoring case. States are Hotline's (`ready`, `not_ready`, `reserved`, `busy`,
//! `wrap_up`, `logged_out`); times as in the contact-record CSV.

use std::io::Read;

use jiff::tz::TimeZone;
use serde::Serialize;

use super::{ImportError, LfOnly, Parsed};
use crate::record::{AgentState, AgentStateInterval, MAX_ID_CHARS};
use crate::reject::Reject;
use crate::time::{Ambiguity, TimeFormat, TimeParser};

/// The columns, in the documented order (`team` optional).
pub const STATE_COLUMNS: [&str; 6] = ["agent", "state", "reason", "from", "to", "team"];

/// How to read an agent-state CSV.
#[derive(Clone, Debug)]
pub struct StateCsvOptions {
    /// How time columns are written.
    pub time_format: TimeFormat,
    /// The zone of times written without an offset.
    pub time_zone: Option<TimeZone>,
    /// What to do with local times a DST change makes ambiguous.
    pub ambiguity: Ambiguity,
    /// Field separator.
    pub delimiter: u8,
}

impl Default for StateCsvOptions {
    fn default() -> StateCsvOptions {
        StateCsvOptions {
            time_format: TimeFormat::Rfc3339OrLocal,
            time_zone: None,
            ambiguity: Ambiguity::Reject,
            delimiter: b',',
        }
    }
}

/// Counts of an agent-state import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StateCsvStats {
    /// Data rows read.
    pub rows: u64,
    /// Accepted.
    pub accepted: u64,
    /// Rejected.
    pub rejected: u64,
    /// Columns not used.
    pub ignored_columns: Vec<String>,
}

/// Reads all of `input` (header first).
pub fn parse_agent_states_csv<R: Read>(
    input: R,
    options: &StateCsvOptions,
) -> Result<Parsed<AgentStateInterval, StateCsvStats>, ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(options.delimiter)
        .from_reader(LfOnly::new(input));
    let header = csv
        .headers()
        .map_err(|e| ImportError::Unreadable(e.to_string()))?
        .clone();
    let mut stats = StateCsvStats::default();
    let mut cols = [None; 6];
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        match STATE_COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(h)) {
            Some(c) if cols[c].is_none() => cols[c] = Some(i),
            Some(_) => {
                return Err(ImportError::Header(format!("column {h:?} appears twice")));
            }
            None => stats.ignored_columns.push(h.to_owned()),
        }
    }
    let missing: Vec<&str> = STATE_COLUMNS[..5]
        .iter()
        .zip(cols)
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Header(format!(
            "missing column(s) {} (expected {})",
            missing.join(", "),
            STATE_COLUMNS.join(", ")
        )));
    }
    let mut times = TimeParser::new(
        options.time_format,
        options.time_zone.clone(),
        options.ambiguity,
    );
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        let line_before = csv.position().line();
        match csv.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                stats.rows += 1;
                let line = row.position().map_or(line_before, |p| p.line());
                match convert(&row, line, &cols, header.len(), &mut times) {
                    Ok(s) => {
                        stats.accepted += 1;
                        records.push(s);
                    }
                    Err(e) => {
                        stats.rejected += 1;
                        rejects.push(e);
                    }
                }
            }
            Err(e) => {
                stats.rows += 1;
                stats.rejected += 1;
                let line = e.position().map_or(line_before, |p| p.line());
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                rejects.push(Reject::line(line, format!("unreadable row: {e}")));
                if io {
                    break;
                }
            }
        }
    }
    Ok(Parsed {
        records,
        rejects,
        stats,
    })
}

fn convert(
    row: &csv::StringRecord,
    line: u64,
    cols: &[Option<usize>; 6],
    width: usize,
    times: &mut TimeParser,
) -> Result<AgentStateInterval, Reject> {
    if row.len() != width {
        return Err(Reject::line(
            line,
            format!("{} field(s), the header has {width}", row.len()),
        ));
    }
    let get = |c: usize| cols[c].and_then(|i| row.get(i)).unwrap_or("").trim();
    let bad = |c: usize, reason: String| Reject::field(line, STATE_COLUMNS[c], get(c), reason);
    let agent = get(0);
    if agent.is_empty()
        || agent.chars().count() > MAX_ID_CHARS
        || agent.chars().any(char::is_control)
    {
        return Err(bad(
            0,
            format!("1 to {MAX_ID_CHARS} characters, no control characters"),
        ));
    }
    let state = AgentState::ALL
        .iter()
        .copied()
        .find(|s| s.as_str().eq_ignore_ascii_case(get(1)))
        .ok_or_else(|| bad(1, AgentState::allowed()))?;
    let reason = Some(get(2)).filter(|r| !r.is_empty()).map(str::to_owned);
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 100 || r.chars().any(char::is_control))
    {
        return Err(bad(
            2,
            "at most 100 characters, no control characters".into(),
        ));
    }
    let from = times.parse(get(3)).map_err(|e| bad(3, e.0))?;
    if get(4).is_empty() {
        return Err(bad(
            4,
            "an end time: a spell still open has no length to measure yet".into(),
        ));
    }
    let to = times.parse(get(4)).map_err(|e| bad(4, e.0))?;
    if to <= from {
        return Err(bad(4, format!("a time after from ({from})")));
    }
    Ok(AgentStateInterval {
        agent: agent.to_owned(),
        team: Some(get(5)).filter(|t| !t.is_empty()).map(str::to_owned),
        state,
        reason,
        from,
        to,
    })
}
