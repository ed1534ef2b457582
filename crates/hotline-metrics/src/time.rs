//! Instants and durations in milliseconds (the store's unit), and the text forms
//! imports accept for them.
//!
//! Timestamp parsing has a hand-written fast path for the shapes exports actually use
//! (`2024-03-01T08:00:00Z`, `2024-03-01 08:00:00.250+01:00`, naive `2024-03-01 08:00`),
//! because a 10-million-row import parses 40 million of them; naive local times go
//! through jiff's time-zone database with a per-day offset cache.

use std::fmt;

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// An instant: milliseconds since the Unix epoch (UTC).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct TimestampMs(pub i64);

impl TimestampMs {
    /// From a jiff timestamp (sub-millisecond part dropped).
    pub fn from_jiff(ts: jiff::Timestamp) -> TimestampMs {
        TimestampMs(ts.as_millisecond())
    }

    /// As a jiff timestamp; `None` outside jiff's range (years −9999 to 9999).
    pub fn to_jiff(self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_millisecond(self.0).ok()
    }

    /// `self + d`, saturating.
    pub fn plus(self, d: DurationMs) -> TimestampMs {
        TimestampMs(self.0.saturating_add(d.0))
    }

    /// `self − earlier`, saturating.
    pub fn since(self, earlier: TimestampMs) -> DurationMs {
        DurationMs(self.0.saturating_sub(earlier.0))
    }

    /// RFC 3339 in `tz` (`2024-03-01T08:00:00+01:00`), or raw milliseconds when out of
    /// jiff's range.
    pub fn to_rfc3339_in(self, tz: &TimeZone) -> String {
        match self.to_jiff() {
            Some(ts) => {
                let offset = tz.to_offset(ts);
                ts.display_with_offset(offset).to_string()
            }
            None => format!("{}ms", self.0),
        }
    }
}

impl fmt::Display for TimestampMs {
    /// RFC 3339 in UTC when representable, else the raw milliseconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_jiff() {
            Some(ts) => write!(f, "{ts}"),
            None => write!(f, "{}ms", self.0),
        }
    }
}

/// A duration in milliseconds (wait, talk, hold, wrap-up).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct DurationMs(pub i64);

impl DurationMs {
    /// Zero.
    pub const ZERO: DurationMs = DurationMs(0);

    /// Whole seconds.
    pub const fn from_secs(s: i64) -> DurationMs {
        DurationMs(s.saturating_mul(1000))
    }

    /// In seconds, as a float (for averages).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl fmt::Display for DurationMs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

/// How to read a time column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeFormat {
    /// RFC 3339 (`2024-03-01T08:00:00Z`, `…+01:00`); a space may replace the `T`,
    /// seconds and fractions are optional. A time without an offset is local time in
    /// the import's time zone (an error when none is given).
    #[default]
    Rfc3339OrLocal,
    /// Seconds since the Unix epoch, optionally with a fraction (`1700000000.250`).
    EpochSeconds,
    /// Milliseconds since the Unix epoch.
    EpochMillis,
}

/// What to do with a local time that a DST change makes ambiguous (it happens twice in
/// the autumn, or not at all in the spring).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ambiguity {
    /// Reject the row: the file cannot say which instant it meant.
    #[default]
    Reject,
    /// The offset in force before the change: in the autumn the earlier of the two
    /// instants; in the spring gap, the clock read as if the change had not happened.
    Earlier,
    /// The offset in force after the change: in the autumn the later instant.
    Later,
}

/// Why a time did not parse; the caller adds line and field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeError(pub String);

/// Parses time columns with one format, zone and ambiguity rule, caching the zone's
/// offset per local day (most files hold few days and few transitions).
#[derive(Clone, Debug)]
pub struct TimeParser {
    format: TimeFormat,
    tz: Option<TimeZone>,
    ambiguity: Ambiguity,
    /// Local day number → offset in ms valid for the whole day (no transition that day).
    cache: Option<(i64, i64)>,
    /// The last `YYYY-MM-DD` read and its day number: rows of a day share it.
    last_date: ([u8; 10], i64),
}

impl TimeParser {
    /// A parser for `format`; local times are in `tz` (none: they are errors).
    pub fn new(format: TimeFormat, tz: Option<TimeZone>, ambiguity: Ambiguity) -> TimeParser {
        TimeParser {
            format,
            tz,
            ambiguity,
            cache: None,
            last_date: ([0; 10], 0),
        }
    }

    /// The instant `text` names.
    pub fn parse(&mut self, text: &str) -> Result<TimestampMs, TimeError> {
        match self.format {
            TimeFormat::EpochMillis => text
                .trim()
                .parse::<i64>()
                .map(TimestampMs)
                .map_err(|_| TimeError("milliseconds since the Unix epoch (an integer)".into())),
            TimeFormat::EpochSeconds => {
                parse_decimal_ms(text.trim())
                    .map(TimestampMs)
                    .ok_or_else(|| {
                        TimeError("seconds since the Unix epoch (e.g. 1700000000.250)".into())
                    })
            }
            TimeFormat::Rfc3339OrLocal => self.parse_rfc3339_or_local(text),
        }
    }

    fn parse_rfc3339_or_local(&mut self, text: &str) -> Result<TimestampMs, TimeError> {
        let p = parse_civil(text.as_bytes(), &mut self.last_date).ok_or_else(|| {
            TimeError(
                "an RFC 3339 time like 2024-03-01T08:00:00Z or 2024-03-01T08:00:00+01:00 \
                 (or a local 2024-03-01 08:00:00 with a time zone)"
                    .into(),
            )
        })?;
        let local_ms = p.days * DAY_MS + p.ms_of_day;
        match p.offset_s {
            Some(off) => Ok(TimestampMs(local_ms - i64::from(off) * 1000)),
            None => self.resolve_local(p, local_ms),
        }
    }

    /// The instant of local day `days` (since 1970-01-01) at `ms_of_day` in the
    /// parser's zone.
    pub(crate) fn local_to_utc(
        &mut self,
        days: i64,
        ms_of_day: i64,
    ) -> Result<TimestampMs, TimeError> {
        let p = Civil {
            days,
            ms_of_day,
            offset_s: None,
        };
        self.resolve_local(p, days * DAY_MS + ms_of_day)
    }

    fn resolve_local(&mut self, p: Civil, local_ms: i64) -> Result<TimestampMs, TimeError> {
        let Some(tz) = &self.tz else {
            return Err(TimeError(
                "a time with an offset (Z or ±HH:MM), since no time zone was given for \
                 local times"
                    .into(),
            ));
        };
        if let Some((day, off)) = self.cache {
            if day == p.days {
                return Ok(TimestampMs(local_ms - off));
            }
        }
        let dt =
            civil_datetime(&p).ok_or_else(|| TimeError("a date within years 1–9999".into()))?;
        let amb = tz.to_ambiguous_timestamp(dt);
        let off_s = match amb.offset() {
            AmbiguousOffset::Unambiguous { offset } => offset.seconds(),
            AmbiguousOffset::Gap { before, after } | AmbiguousOffset::Fold { before, after } => {
                let kind = if matches!(amb.offset(), AmbiguousOffset::Gap { .. }) {
                    "does not exist (skipped by a DST change)"
                } else {
                    "happens twice (DST change)"
                };
                match self.ambiguity {
                    Ambiguity::Reject => {
                        return Err(TimeError(format!(
                            "an unambiguous local time: this one {kind} in {}; choose the \
                             earlier or later offset for such times",
                            tz.iana_name().unwrap_or("the time zone")
                        )))
                    }
                    Ambiguity::Earlier => before.seconds(),
                    Ambiguity::Later => after.seconds(),
                }
            }
        };
        let off_ms = i64::from(off_s) * 1000;
        if day_has_single_offset(tz, p.days) {
            self.cache = Some((p.days, off_ms));
        }
        Ok(TimestampMs(local_ms - off_ms))
    }
}

/// Whether no transition happens during local day `days` (days since 1970-01-01).
fn day_has_single_offset(tz: &TimeZone, days: i64) -> bool {
    // Look from a bit before the day's earliest possible instant (UTC+14) to after its
    // latest (UTC−12): a transition anywhere near the day disables the cache for it.
    let from = days * DAY_MS - 15 * 3_600_000;
    let to = (days + 1) * DAY_MS + 13 * 3_600_000;
    let Ok(start) = jiff::Timestamp::from_millisecond(from) else {
        return false;
    };
    match tz.following(start).next() {
        Some(t) => t.timestamp().as_millisecond() > to,
        None => true,
    }
}

/// A parsed civil time: days since 1970-01-01, milliseconds into the day, and the
/// offset in seconds if the text had one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub days: i64,
    pub ms_of_day: i64,
    pub offset_s: Option<i32>,
}

fn civil_datetime(p: &Civil) -> Option<DateTime> {
    let (y, m, d) = civil_from_days(p.days);
    let ms = p.ms_of_day;
    DateTime::new(
        i16::try_from(y).ok()?,
        m as i8,
        d as i8,
        (ms / 3_600_000) as i8,
        (ms / 60_000 % 60) as i8,
        (ms / 1000 % 60) as i8,
        (ms % 1000 * 1_000_000) as i32,
    )
    .ok()
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01).
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// `YYYY-MM-DD[T| ]HH:MM[:SS[.f+]][Z|±HH[:MM]|±HHMM]`, surrounding spaces allowed.
/// `last` remembers the previous date text and its day number.
pub(crate) fn parse_civil(text: &[u8], last: &mut ([u8; 10], i64)) -> Option<Civil> {
    let b = text.trim_ascii();
    let days = match b.get(..10) {
        Some(date) if date == last.0 && last.0[0] != 0 => last.1,
        _ => {
            let year = digits(b, 0, 4)?;
            if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
                return None;
            }
            let month = digits(b, 5, 2)?;
            let day = digits(b, 8, 2)?;
            if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
                return None;
            }
            if day < 1 || day > days_in_month(year, month) {
                return None;
            }
            let days = days_from_civil(year, month, day);
            last.0.copy_from_slice(&b[..10]);
            last.1 = days;
            days
        }
    };
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = digits(b, 14, 2)?;
    let mut i = 16;
    let mut second = 0;
    let mut ms = 0;
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)?;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            let mut scale = 100;
            while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                ms += i64::from(c - b'0') * scale;
                scale /= 10;
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset_s = match b.get(i) {
        None => None,
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(0),
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let rest = &b[i + 3..];
            let om = match rest {
                [] => 0,
                [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2], 0, 2)?,
                _ => return None,
            };
            if oh > 25 || om > 59 {
                return None;
            }
            let s = (oh * 3600 + om * 60) as i32;
            Some(if sign == b'-' { -s } else { s })
        }
        _ => return None,
    };
    Some(Civil {
        days,
        ms_of_day: ((hour * 60 + minute) * 60 + second) * 1000 + ms,
        offset_s,
    })
}

/// A non-negative decimal number of seconds (`12`, `12.5`, `0.250`) in milliseconds;
/// digits past the millisecond are dropped. `None` for anything else.
pub(crate) fn parse_decimal_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], &b[p + 1..]),
        None => (b, &b[..0]),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if int.len() > 15 || !int.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if text.contains('.') && frac.is_empty() && int.is_empty() {
        return None;
    }
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &c in int {
        v = v * 10 + i64::from(c - b'0');
    }
    let mut ms = 0;
    let mut scale = 100;
    for &c in frac.iter().take(3) {
        ms += i64::from(c - b'0') * scale;
        scale /= 10;
    }
    v.checked_mul(1000)?.checked_add(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> i64 {
        TimeParser::new(TimeFormat::Rfc3339OrLocal, None, Ambiguity::Reject)
            .parse(text)
            .unwrap()
            .0
    }

    #[test]
    fn fast_path_agrees_with_jiff() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999Z",
            "1999-08-01T10:00:21+03:00",
            "2024-11-03T01:30:00-05:00",
            "2000-03-01T00:00:00.5-00:30",
            "1900-01-01T00:00:00Z",
        ] {
            let j: jiff::Timestamp = text.parse().unwrap();
            assert_eq!(utc(text), j.as_millisecond(), "{text}");
        }
        assert_eq!(utc("2024-03-01 08:00Z"), utc("2024-03-01T08:00:00Z"));
        assert_eq!(utc("2024-03-01T08:00:00+0100"), utc("2024-03-01T07:00:00Z"));
        assert_eq!(utc("2024-03-01T08:00:00+01"), utc("2024-03-01T07:00:00Z"));
    }

    #[test]
    fn civil_days_round_trip() {
        for days in [-719_468, -1, 0, 59, 10_956, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn bad_times_are_errors() {
        let mut p = TimeParser::new(TimeFormat::Rfc3339OrLocal, None, Ambiguity::Reject);
        for text in [
            "",
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00Zx",
            "2024-01-01T00:00:00.Z",
            "yesterday",
            "2024-01-01T00:00:00+1",
        ] {
            assert!(p.parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn local_times_in_a_zone_across_dst() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let mut p = TimeParser::new(
            TimeFormat::Rfc3339OrLocal,
            Some(ny.clone()),
            Ambiguity::Reject,
        );
        assert_eq!(
            p.parse("2024-07-01 08:00:00").unwrap().0,
            utc("2024-07-01T12:00:00Z")
        );
        assert_eq!(
            p.parse("2024-01-01 08:00:00").unwrap().0,
            utc("2024-01-01T13:00:00Z")
        );
        // Transition days are not cached, and their unambiguous hours are right.
        assert_eq!(
            p.parse("2024-11-03 03:00:00").unwrap().0,
            utc("2024-11-03T08:00:00Z")
        );
        assert_eq!(
            p.parse("2024-11-03 00:30:00").unwrap().0,
            utc("2024-11-03T04:30:00Z")
        );
        assert!(p
            .parse("2024-11-03 01:30:00")
            .unwrap_err()
            .0
            .contains("twice"));
        assert!(p
            .parse("2024-03-10 02:30:00")
            .unwrap_err()
            .0
            .contains("does not exist"));
        let mut early = TimeParser::new(
            TimeFormat::Rfc3339OrLocal,
            Some(ny.clone()),
            Ambiguity::Earlier,
        );
        let mut late = TimeParser::new(TimeFormat::Rfc3339OrLocal, Some(ny), Ambiguity::Later);
        assert_eq!(
            early.parse("2024-11-03 01:30:00").unwrap().0,
            utc("2024-11-03T05:30:00Z")
        );
        assert_eq!(
            late.parse("2024-11-03 01:30:00").unwrap().0,
            utc("2024-11-03T06:30:00Z")
        );
        // An offset in the text wins over the zone.
        assert_eq!(
            early.parse("2024-07-01T08:00:00Z").unwrap().0,
            utc("2024-07-01T08:00:00Z")
        );
    }

    #[test]
    fn epoch_formats_and_decimals() {
        let mut s = TimeParser::new(TimeFormat::EpochSeconds, None, Ambiguity::Reject);
        assert_eq!(s.parse("1700000000.25").unwrap().0, 1_700_000_000_250);
        assert!(s.parse("-5").is_err());
        let mut m = TimeParser::new(TimeFormat::EpochMillis, None, Ambiguity::Reject);
        assert_eq!(m.parse("-5").unwrap().0, -5);
        assert_eq!(parse_decimal_ms("12"), Some(12_000));
        assert_eq!(parse_decimal_ms("12.3456"), Some(12_345));
        assert_eq!(parse_decimal_ms(".5"), Some(500));
        assert_eq!(parse_decimal_ms("5."), Some(5000));
        for bad in ["", ".", "-1", "1e3", "1.2.3", " 1", "9999999999999999"] {
            assert_eq!(parse_decimal_ms(bad), None, "{bad:?}");
        }
    }
}
