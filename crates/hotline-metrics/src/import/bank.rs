//! The "Anonymous Bank" call-center data set (Technion SEE Center, August 1999:
//! `vru+line, call_id, customer_id, priority, type, date, vru_entry, vru_exit,
//! vru_time, q_start, q_exit, q_time, outcome, ser_start, ser_exit, ser_time, server`)
//! mapped to contact records.
//!
//! The mapping, row by row, and the rules the data needs: [`MAPPING_DOC`] (also in
//! `docs/kpis.md`).

use std::io::Read;

use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::{json, Map};

use super::{ImportError, Parsed};
use crate::record::{Channel, ContactRecord, Outcome};
use crate::reject::Reject;
use crate::time::{
    days_from_civil, Ambiguity, DurationMs, TimeFormat, TimeParser, TimestampMs, DAY_MS,
};

/// The mapping from the bank's columns to contact records, as documented (Markdown).
pub const MAPPING_DOC: &str = r#"| their data | contact record |
|---|---|
| `date` + `vru+line` + `call_id` | `contact_id` = `1999-08-01/AA0104/31129` (unique in the file) |
| `type` (PS, PE, IN, NE, NW, TT) | `queue` |
| `customer_id` (0 = not identified) | `customer` (empty for 0) |
| `priority` 0, 1, 2 | `attributes.priority`; `attributes.vip` = priority 2 |
| `vru_time`, `vru+line` | `attributes.vru_s`, `attributes.vru_line` |
| `q_start` (queued) | `arrived_at`; `q_time` → `wait` |
| `q_exit` | `answered_at` (served) or `ended_at` (hung up) |
| `ser_time` | `talk`; `ended_at` = `answered_at` + `ser_time` |
| `server` | `agent` |
| outcome `AGENT` / `HANG` | `answered` / `abandoned` |

Rules the data needs:
- `PHANTOM` rows are virtual calls: skipped and counted.
- `HANG` without a queue (`q_start` 0:00:00) hung up in the voice response unit and
  never reached an agent queue: not a queued contact, skipped and counted.
- `AGENT` without a queue was served at once: arrival and answer at `vru_exit`,
  wait 0.
- `AGENT` with no service times (`ser_start` 0:00:00, `ser_time` 0) cannot give a
  handle time: rejected with that reason.
- The queue's clock is used for arrival, answer and wait (`ser_start` is usually a
  second before `q_exit`: two systems' clocks).
- Times are local `H:MM:SS` on `date`; a time earlier than the previous one by more
  than 12 hours is on the next day (calls across midnight). The VRU's clock runs a
  minute or so behind on 19 rows (negative `vru_time`): kept as given.
- `HANG` with service times and `NO_SERVER` (126 rows) is abandoned; the service
  times are ignored and counted.
- A row whose `call_id` is not a number is rejected (row 31,843 of the published file
  has `1999-08-` there and the date 2010-08-23).
- `AGENT` with service times but server `NO_SERVER` (391 rows, most never queued) is
  answered by an agent the data does not name: the agent is `NO_SERVER`, as written,
  and the rows are counted.
"#;

/// The data set's columns, in order.
pub const BANK_COLUMNS: [&str; 17] = [
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
];

/// Counts of a bank-data import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BankStats {
    /// Data rows read.
    pub rows: u64,
    /// Contact records produced (answered + abandoned).
    pub records: u64,
    /// Served by an agent (`AGENT`).
    pub answered: u64,
    /// Of those, served without waiting in a queue.
    pub served_without_queue: u64,
    /// Of those, served by `NO_SERVER` (the data names no agent): kept, with that name
    /// as the agent.
    pub answered_without_server: u64,
    /// Hung up in the queue (`HANG` with a queue time).
    pub abandoned: u64,
    /// Of those, with service times but no server (times ignored).
    pub abandoned_with_service_times: u64,
    /// Hung up in the VRU before reaching a queue: not contact records.
    pub left_in_vru: u64,
    /// `PHANTOM` virtual calls: skipped.
    pub phantom: u64,
    /// Rows rejected.
    pub rejected: u64,
}

/// Reads the bank's `calls.csv`; times are local to `tz` (the bank's is
/// `Asia/Jerusalem`).
pub fn parse_bank_calls<R: Read>(
    input: R,
    tz: &TimeZone,
) -> Result<Parsed<ContactRecord, BankStats>, ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(super::LfOnly::new(input));
    let header = csv
        .headers()
        .map_err(|e| ImportError::Unreadable(e.to_string()))?
        .clone();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    if names != BANK_COLUMNS {
        return Err(ImportError::Header(format!(
            "expected the Anonymous Bank columns {}, found {}",
            BANK_COLUMNS.join(","),
            names.join(",")
        )));
    }
    let mut times = TimeParser::new(
        TimeFormat::Rfc3339OrLocal,
        Some(tz.clone()),
        Ambiguity::Reject,
    );
    let mut stats = BankStats::default();
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                stats.rows += 1;
                let line = row.position().map_or(0, |p| p.line());
                match convert(&row, line, &mut times, &mut stats) {
                    Ok(Some(r)) => {
                        stats.records += 1;
                        records.push(r);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        stats.rejected += 1;
                        rejects.push(e);
                    }
                }
            }
            Err(e) => {
                stats.rows += 1;
                stats.rejected += 1;
                let line = e.position().map_or(0, |p| p.line());
                rejects.push(Reject::line(line, format!("unreadable CSV: {e}")));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
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

/// `H:MM:SS` → seconds into the day.
fn hms(text: &str) -> Option<i64> {
    let mut parts = text.trim().split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some()
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..60).contains(&s)
    {
        return None;
    }
    Some(h * 3600 + m * 60 + s)
}

/// Local milliseconds since the epoch, each time placed at or after the previous one
/// unless it is earlier by less than 12 hours (clock skew between systems).
struct Clock {
    last: i64,
}

impl Clock {
    fn at(&mut self, secs_of_day: i64) -> i64 {
        let day = self.last.div_euclid(DAY_MS);
        let mut t = day * DAY_MS + secs_of_day * 1000;
        if t < self.last - DAY_MS / 2 {
            t += DAY_MS;
        }
        self.last = self.last.max(t);
        t
    }
}

fn convert(
    row: &csv::StringRecord,
    line: u64,
    times: &mut TimeParser,
    stats: &mut BankStats,
) -> Result<Option<ContactRecord>, Reject> {
    if row.len() != BANK_COLUMNS.len() {
        return Err(Reject::line(
            line,
            format!("{} field(s), expected {}", row.len(), BANK_COLUMNS.len()),
        ));
    }
    let get = |i: usize| row.get(i).unwrap_or("").trim();
    let bad = |i: usize, reason: &str| Reject::field(line, BANK_COLUMNS[i], get(i), reason);
    let outcome = get(12);
    match outcome {
        "PHANTOM" => {
            stats.phantom += 1;
            return Ok(None);
        }
        "AGENT" | "HANG" => {}
        _ => return Err(bad(12, "one of: AGENT, HANG, PHANTOM")),
    }
    let time = |i: usize| hms(get(i)).ok_or_else(|| bad(i, "a time H:MM:SS"));
    let secs = |i: usize| {
        get(i)
            .parse::<i64>()
            .ok()
            .filter(|s| *s >= 0)
            .ok_or_else(|| bad(i, "whole seconds ≥ 0"))
    };
    let date = get(5);
    let days = match (
        date.get(0..4).and_then(|y| y.parse::<i64>().ok()),
        date.get(5..7).and_then(|m| m.parse::<i64>().ok()),
        date.get(8..10).and_then(|d| d.parse::<i64>().ok()),
    ) {
        (Some(y), Some(m @ 1..=12), Some(d @ 1..=31)) if date.len() == 10 => {
            days_from_civil(y, m, d)
        }
        _ => return Err(bad(5, "a date YYYY-MM-DD")),
    };
    let priority = match get(3) {
        "0" => 0,
        "1" => 1,
        "2" => 2,
        _ => return Err(bad(3, "0, 1 (regular) or 2 (priority customer)")),
    };
    let queue = get(4);
    if queue.is_empty() {
        return Err(bad(4, "a service type (PS, PE, IN, NE, NW, TT)"));
    }
    let vru_line = get(0);
    let call_id = get(1);
    if vru_line.is_empty() {
        return Err(bad(0, "the VRU and line (AA0101 … AA0216)"));
    }
    // One row of the published file has `1999-08-` here and the date 2010-08-23: a
    // spreadsheet conversion slip, not a call of another decade.
    if call_id.is_empty() || !call_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(1, "a numeric call id"));
    }
    let vru_entry = time(6)?;
    let vru_exit = time(7)?;
    // The VRU's clock is a minute or so off on 19 rows (vru_exit before vru_entry,
    // vru_time negative): kept as given, it is only an attribute.
    let vru_s = get(8).parse::<i64>().map_err(|_| bad(8, "whole seconds"))?;
    let queued = get(9) != "0:00:00";
    let served = get(13) != "0:00:00";
    let q_start = time(9)?;
    let q_exit = time(10)?;
    let q_time = secs(11)?;
    let ser_time = secs(15)?;
    time(13)?;
    time(14)?;

    let mut clock = Clock {
        last: days * DAY_MS + vru_entry * 1000,
    };
    let vru_exit_local = clock.at(vru_exit);
    let local = |ms: i64, times: &mut TimeParser, i: usize| -> Result<TimestampMs, Reject> {
        times
            .local_to_utc(ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS))
            .map_err(|e| bad(i, &e.0))
    };

    let (arrived_at, answered_at, ended_at, wait) = match (outcome, queued) {
        ("HANG", false) => {
            stats.left_in_vru += 1;
            return Ok(None);
        }
        ("HANG", true) => {
            let start = clock.at(q_start);
            let exit = clock.at(q_exit);
            (
                local(start, times, 9)?,
                None,
                local(exit, times, 10)?,
                q_time,
            )
        }
        (_, _) if !served && ser_time == 0 => {
            return Err(bad(
                13,
                "service times for a call an agent served (outcome AGENT has ser_start \
                 0:00:00 and ser_time 0: its handle time is unknown)",
            ));
        }
        (_, true) => {
            let start = clock.at(q_start);
            let exit = clock.at(q_exit);
            let answered = local(exit, times, 10)?;
            (local(start, times, 9)?, Some(answered), answered, q_time)
        }
        (_, false) => {
            let at = local(vru_exit_local, times, 7)?;
            (at, Some(at), at, 0)
        }
    };
    let agent = if answered_at.is_some() {
        let server = get(16);
        if server.is_empty() {
            return Err(bad(
                16,
                "the serving agent's name (or NO_SERVER) for outcome AGENT",
            ));
        }
        Some(server.to_owned())
    } else {
        None
    };
    let talk = if answered_at.is_some() {
        DurationMs::from_secs(ser_time)
    } else {
        DurationMs::ZERO
    };
    let mut attributes = Map::new();
    attributes.insert("priority".into(), json!(priority));
    attributes.insert("vip".into(), json!(priority == 2));
    attributes.insert("vru_s".into(), json!(vru_s));
    attributes.insert("vru_line".into(), json!(vru_line));
    let record = ContactRecord {
        contact_id: format!("{date}/{vru_line}/{call_id}"),
        queue: queue.to_owned(),
        channel: Channel::Voice,
        customer: match get(2) {
            "0" => String::new(),
            c => c.to_owned(),
        },
        agent,
        team: None,
        arrived_at,
        answered_at,
        ended_at: ended_at.plus(talk),
        wrap_up_end_at: None,
        outcome: if answered_at.is_some() {
            Outcome::Answered
        } else {
            Outcome::Abandoned
        },
        wait: DurationMs::from_secs(wait),
        talk,
        hold: DurationMs::ZERO,
        wrap_up: DurationMs::ZERO,
        transfers: 0,
        attributes,
    };
    if let Err(e) = record.check() {
        return Err(Reject::field(line, e.field, e.value, e.allowed));
    }
    match record.outcome {
        Outcome::Answered => {
            stats.answered += 1;
            if record.agent.as_deref() == Some("NO_SERVER") {
                stats.answered_without_server += 1;
            }
            if !queued {
                stats.served_without_queue += 1;
            }
        }
        _ => {
            stats.abandoned += 1;
            if served {
                stats.abandoned_with_service_times += 1;
            }
        }
    }
    Ok(Some(record))
}
