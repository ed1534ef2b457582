//! Report intervals on the local calendar of a time zone.
//!
//! Boundaries are computed once per report: every instant whose local time is on the
//! interval's grid, plus (for intervals shorter than a day) every offset change, so
//! no interval spans two offsets. On a New York autumn day the hour 01:00 happens
//! twice and gives two hourly intervals (01:00−04:00 and 01:00−05:00); in spring
//! 02:00 does not exist and the 01:00 interval is followed by 03:00. A day is from
//! one local midnight (or the first instant of the day, where midnight is skipped) to
//! the next: 23 or 25 hours on DST days. A record is then placed by binary search
//! over the boundaries, with no time-zone work per record.

use std::fmt;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use serde::{Deserialize, Serialize};

use super::ReportError;
use crate::time::{civil_from_days, TimestampMs, DAY_MS};

/// Most intervals one report may have.
pub const MAX_INTERVALS: usize = 1_000_000;

/// The length of a report interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Minutes of local time; must divide a day (15, 30, 60, …).
    Minutes(u32),
    /// A local calendar day.
    Day,
    /// A local calendar week, starting on the report's week-start day.
    Week,
    /// A local calendar month.
    Month,
}

impl Interval {
    /// `15m`, `30m`, `1h`, `2h`, `day`, `week` or `month`.
    pub fn parse(text: &str) -> Result<Interval, ReportError> {
        let bad = || ReportError::Invalid {
            field: "interval".into(),
            value: text.to_owned(),
            allowed:
                "15m, 30m, 1h (or any minutes or hours dividing a day: 5m, 2h…), day, week or month"
                    .into(),
        };
        let t = text.trim();
        let i = match t {
            "day" => Interval::Day,
            "week" => Interval::Week,
            "month" => Interval::Month,
            _ => {
                let (n, mult) = if let Some(n) = t.strip_suffix('m') {
                    (n, 1)
                } else if let Some(n) = t.strip_suffix('h') {
                    (n, 60)
                } else {
                    return Err(bad());
                };
                let n: u32 = n.parse().map_err(|_| bad())?;
                Interval::Minutes(n.checked_mul(mult).ok_or_else(bad)?)
            }
        };
        i.check().map_err(|_| bad())?;
        Ok(i)
    }

    pub(crate) fn check(self) -> Result<(), ReportError> {
        if let Interval::Minutes(n) = self {
            if n == 0 || 1440 % n != 0 {
                return Err(ReportError::Invalid {
                    field: "interval".into(),
                    value: format!("{n} minutes"),
                    allowed: "a number of minutes dividing a day (15, 30, 60, …)".into(),
                });
            }
        }
        Ok(())
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interval::Minutes(n) if n % 60 == 0 => write!(f, "{}h", n / 60),
            Interval::Minutes(n) => write!(f, "{n}m"),
            Interval::Day => f.write_str("day"),
            Interval::Week => f.write_str("week"),
            Interval::Month => f.write_str("month"),
        }
    }
}

/// The sorted boundaries of the intervals covering `[from, to)`: the first is at or
/// before `from`, the last at or after `to`; interval `i` is `[b[i], b[i + 1])`.
pub(crate) fn boundaries(
    interval: Interval,
    tz: &TimeZone,
    week_start: Weekday,
    from: TimestampMs,
    to: TimestampMs,
) -> Result<Vec<i64>, ReportError> {
    interval.check()?;
    let range_err = |what: &str| ReportError::Invalid {
        field: what.into(),
        value: String::new(),
        allowed: "a time within years 1–9999".into(),
    };
    let local_day = |t: TimestampMs, what: &str| -> Result<i64, ReportError> {
        let ts = t.to_jiff().ok_or_else(|| range_err(what))?;
        let off = i64::from(tz.to_offset(ts).seconds()) * 1000;
        Ok((t.0 + off).div_euclid(DAY_MS))
    };
    // A margin of days each side so the bracketing boundaries are found: a month
    // (plus a week of slack) for the longest interval.
    let margin = match interval {
        Interval::Minutes(_) | Interval::Day => 2,
        Interval::Week => 9,
        Interval::Month => 33,
    };
    let first_day = local_day(from, "from")? - margin;
    let last_day = local_day(to, "to")? + margin;
    let estimate = match interval {
        Interval::Minutes(n) => (last_day - first_day) * i64::from(1440 / n),
        _ => last_day - first_day,
    };
    if estimate > (MAX_INTERVALS as i64) * 2 {
        return Err(too_many(interval));
    }
    let mut b: Vec<i64> = Vec::new();
    for day in first_day..=last_day {
        let (y, m, d) = civil_from_days(day);
        let date = Date::new(y as i16, m as i8, d as i8).map_err(|_| range_err("from"))?;
        match interval {
            Interval::Minutes(n) => {
                for k in 0..(1440 / n) {
                    let minute = k * n;
                    let dt = DateTime::from_parts(
                        date,
                        jiff::civil::Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0)
                            .expect("minute of day < 1440"),
                    );
                    let local_ms = day * DAY_MS + i64::from(minute) * 60_000;
                    match tz.to_ambiguous_timestamp(dt).offset() {
                        AmbiguousOffset::Unambiguous { offset } => {
                            b.push(local_ms - i64::from(offset.seconds()) * 1000)
                        }
                        AmbiguousOffset::Fold { before, after } => {
                            b.push(local_ms - i64::from(before.seconds()) * 1000);
                            b.push(local_ms - i64::from(after.seconds()) * 1000);
                        }
                        AmbiguousOffset::Gap { .. } => {}
                    }
                }
            }
            Interval::Day => b.push(start_of_day(date, tz)?),
            Interval::Week if date.weekday() == week_start => b.push(start_of_day(date, tz)?),
            Interval::Month if d == 1 => b.push(start_of_day(date, tz)?),
            _ => {}
        }
    }
    if let Interval::Minutes(_) = interval {
        let lo = jiff::Timestamp::from_millisecond((first_day - 1) * DAY_MS)
            .map_err(|_| range_err("from"))?;
        let hi = (last_day + 1) * DAY_MS;
        for t in tz.following(lo) {
            let ms = t.timestamp().as_millisecond();
            if ms > hi {
                break;
            }
            b.push(ms);
        }
    }
    b.sort_unstable();
    b.dedup();
    let start = b.partition_point(|&x| x <= from.0).saturating_sub(1);
    let end = b.partition_point(|&x| x < to.0);
    if end >= b.len() || b[start] > from.0 {
        return Err(range_err("from"));
    }
    let out = b[start..=end].to_vec();
    if out.len() - 1 > MAX_INTERVALS {
        return Err(too_many(interval));
    }
    Ok(out)
}

fn too_many(interval: Interval) -> ReportError {
    ReportError::Invalid {
        field: "interval".into(),
        value: interval.to_string(),
        allowed: format!("at most {MAX_INTERVALS} intervals between from and to: a longer interval or a shorter period"),
    }
}

/// The first instant of `date` in `tz` (midnight, or the end of a gap over it).
fn start_of_day(date: Date, tz: &TimeZone) -> Result<i64, ReportError> {
    date.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|e| ReportError::Invalid {
            field: "from".into(),
            value: date.to_string(),
            allowed: format!("a date the time zone can represent ({e})"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> TimestampMs {
        TimestampMs(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
    }

    fn labels(interval: Interval, tz: &str, from: &str, to: &str) -> Vec<String> {
        let tz = TimeZone::get(tz).unwrap();
        boundaries(interval, &tz, Weekday::Monday, ts(from), ts(to))
            .unwrap()
            .into_iter()
            .map(|b| TimestampMs(b).to_rfc3339_in(&tz))
            .collect()
    }

    #[test]
    fn hours_across_new_york_autumn_change() {
        assert_eq!(
            labels(
                Interval::Minutes(60),
                "America/New_York",
                "2024-11-03T04:00:00Z",
                "2024-11-03T08:00:00Z"
            ),
            [
                "2024-11-03T00:00:00-04:00",
                "2024-11-03T01:00:00-04:00",
                "2024-11-03T01:00:00-05:00",
                "2024-11-03T02:00:00-05:00",
                "2024-11-03T03:00:00-05:00",
            ]
        );
    }

    #[test]
    fn half_hours_across_new_york_spring_change() {
        assert_eq!(
            labels(
                Interval::Minutes(30),
                "America/New_York",
                "2024-03-10T06:00:00Z",
                "2024-03-10T07:30:00Z"
            ),
            [
                "2024-03-10T01:00:00-05:00",
                "2024-03-10T01:30:00-05:00",
                "2024-03-10T03:00:00-04:00",
                "2024-03-10T03:30:00-04:00",
            ]
        );
    }

    #[test]
    fn days_weeks_months_are_local() {
        // 25-hour day in autumn.
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let b = boundaries(
            Interval::Day,
            &tz,
            Weekday::Monday,
            ts("2024-10-26T12:00:00Z"),
            ts("2024-10-27T12:00:00Z"),
        )
        .unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(b[1] - b[0], 24 * 3_600_000);
        assert_eq!(b[2] - b[1], 25 * 3_600_000);
        assert_eq!(
            labels(
                Interval::Week,
                "Europe/Berlin",
                "2024-10-20T00:00:00Z",
                "2024-11-03T23:00:00Z"
            ),
            [
                "2024-10-14T00:00:00+02:00",
                "2024-10-21T00:00:00+02:00",
                "2024-10-28T00:00:00+01:00",
                "2024-11-04T00:00:00+01:00"
            ]
        );
        assert_eq!(
            labels(
                Interval::Month,
                "Asia/Jerusalem",
                "1999-08-01T00:00:00+03:00",
                "1999-09-01T00:00:00+03:00"
            ),
            ["1999-08-01T00:00:00+03:00", "1999-09-01T00:00:00+03:00"]
        );
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_one() {
        // Asia/Beirut moved clocks from 00:00 to 01:00 on 2024-03-31.
        assert_eq!(
            labels(
                Interval::Day,
                "Asia/Beirut",
                "2024-03-31T00:00:00Z",
                "2024-03-31T12:00:00Z"
            ),
            ["2024-03-31T01:00:00+03:00", "2024-04-01T00:00:00+03:00"]
        );
    }

    #[test]
    fn interval_names() {
        assert_eq!(Interval::parse("15m").unwrap(), Interval::Minutes(15));
        assert_eq!(Interval::parse("1h").unwrap(), Interval::Minutes(60));
        assert_eq!(Interval::parse("month").unwrap(), Interval::Month);
        for bad in ["7m", "0m", "1d", "", "m", "25h"] {
            assert!(Interval::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Interval::Minutes(60).to_string(), "1h");
        assert_eq!(Interval::Minutes(30).to_string(), "30m");
    }
}
