//! Scorecard periods: calendar months, quarters and years in a time zone.

use std::fmt;
use std::str::FromStr;

use hotline_metrics::TimestampMs;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Problem, ScorecardError};

/// How long a period is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter (January–March, …).
    Quarter,
    /// A calendar year.
    Year,
}

impl PeriodKind {
    fn months(self) -> i32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }
}

/// One calendar period: `2024-03`, `2024-Q1` or `2024`. Written in JSON as that text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// The year.
    year: i16,
    /// Month index from the start of the year (0–11) of the first month.
    first_month: u8,
    kind: PeriodKind,
}

impl Period {
    /// Month `month` (1–12) of `year`.
    pub fn month(year: i16, month: u8) -> Result<Period, ScorecardError> {
        Period::make(year, month, 12, PeriodKind::Month)
    }

    /// Quarter `quarter` (1–4) of `year`.
    pub fn quarter(year: i16, quarter: u8) -> Result<Period, ScorecardError> {
        Period::make(year, quarter, 4, PeriodKind::Quarter)
    }

    /// The year `year`.
    pub fn year(year: i16) -> Result<Period, ScorecardError> {
        Period::make(year, 1, 1, PeriodKind::Year)
    }

    fn make(year: i16, n: u8, max: u8, kind: PeriodKind) -> Result<Period, ScorecardError> {
        if !(1..=max).contains(&n) {
            return Err(invalid("period", n, format!("1 to {max}")));
        }
        if !(1..=9998).contains(&year) {
            return Err(invalid("period", year, "a year from 1 to 9998"));
        }
        Ok(Period {
            year,
            first_month: (n - 1) * kind.months() as u8,
            kind,
        })
    }

    /// The period of `kind` holding instant `t` in `tz`'s calendar.
    pub fn containing(
        kind: PeriodKind,
        t: TimestampMs,
        tz: &TimeZone,
    ) -> Result<Period, ScorecardError> {
        let ts = t
            .to_jiff()
            .ok_or_else(|| invalid("time", t, "a time within years 1–9998"))?;
        let d = tz.to_datetime(ts).date();
        let m = (d.month() - 1) as u8;
        let per = kind.months() as u8;
        Period::make(d.year(), m / per + 1, 12 / per, kind)
    }

    /// Its kind.
    pub fn kind(self) -> PeriodKind {
        self.kind
    }

    /// Its year.
    pub fn year_number(self) -> i16 {
        self.year
    }

    /// The month (1–12) it starts in.
    pub fn first_month(self) -> u8 {
        self.first_month + 1
    }

    fn from_month_index(index: i32, kind: PeriodKind) -> Option<Period> {
        let year = index.div_euclid(12);
        if !(1..=9998).contains(&year) {
            return None;
        }
        Some(Period {
            year: year as i16,
            first_month: index.rem_euclid(12) as u8,
            kind,
        })
    }

    fn month_index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.first_month)
    }

    /// The period after it.
    pub fn next(self) -> Option<Period> {
        Period::from_month_index(self.month_index() + self.kind.months(), self.kind)
    }

    /// The period before it.
    pub fn previous(self) -> Option<Period> {
        Period::from_month_index(self.month_index() - self.kind.months(), self.kind)
    }

    /// The `n` periods ending with this one, oldest first (a trend).
    pub fn trailing(self, n: usize) -> Vec<Period> {
        let mut out = Vec::with_capacity(n);
        let mut p = Some(self);
        while let Some(q) = p {
            if out.len() == n {
                break;
            }
            out.push(q);
            p = q.previous();
        }
        out.reverse();
        out
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.first_month as i8 + 1, 1).expect("a valid first day")
    }

    /// `[start, end)`: from the first instant of its first local day to the first
    /// instant of the next period's first day, in `tz`.
    pub fn bounds(self, tz: &TimeZone) -> Result<(TimestampMs, TimestampMs), ScorecardError> {
        let start = start_of(self.first_day(), tz)?;
        let next = Period::from_month_index(self.month_index() + self.kind.months(), self.kind)
            .map(Period::first_day)
            .unwrap_or_else(|| Date::new(9999, 1, 1).expect("valid"));
        Ok((start, start_of(next, tz)?))
    }
}

fn start_of(d: Date, tz: &TimeZone) -> Result<TimestampMs, ScorecardError> {
    d.to_zoned_datetime(tz.clone())
        .map(|z| TimestampMs(z.timestamp().as_millisecond()))
        .map_err(|e| {
            invalid(
                "period",
                d,
                format!("a date the time zone can represent ({e})"),
            )
        })
}

fn invalid(path: &str, value: impl fmt::Display, allowed: impl Into<String>) -> ScorecardError {
    ScorecardError::Invalid(vec![Problem::new(path, value, allowed)])
}

impl fmt::Display for Period {
    /// `2024-03`, `2024-Q1`, `2024`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{:04}-{:02}", self.year, self.first_month + 1),
            PeriodKind::Quarter => write!(f, "{:04}-Q{}", self.year, self.first_month / 3 + 1),
            PeriodKind::Year => write!(f, "{:04}", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = ScorecardError;

    /// `2024-03`, `2024-Q1` (or `q1`), `2024`.
    fn from_str(s: &str) -> Result<Period, ScorecardError> {
        let bad = || {
            invalid(
                "period",
                s,
                "YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY (a year)",
            )
        };
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if y.len() != 4 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        match rest {
            None => Period::year(year),
            Some(r) => {
                if let Some(q) = r.strip_prefix(['Q', 'q']) {
                    Period::quarter(year, q.parse().map_err(|_| bad())?)
                } else if r.len() == 2 {
                    Period::month(year, r.parse().map_err(|_| bad())?)
                } else {
                    Err(bad())
                }
            }
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_and_step() {
        for s in ["2024-03", "2024-Q1", "2024", "0001-01", "2024-12"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        for s in [
            "2024-13", "2024-00", "2024-Q5", "2024-Q0", "24-01", "2024-1", "x", "2024-",
        ] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
        let m: Period = "2024-01".parse().unwrap();
        assert_eq!(m.previous().unwrap().to_string(), "2023-12");
        assert_eq!(m.next().unwrap().to_string(), "2024-02");
        let q: Period = "2024-Q1".parse().unwrap();
        assert_eq!(q.previous().unwrap().to_string(), "2023-Q4");
        assert_eq!(q.first_month(), 1);
        assert_eq!("2024-Q3".parse::<Period>().unwrap().first_month(), 7);
        let labels: Vec<String> = m.trailing(3).iter().map(Period::to_string).collect();
        assert_eq!(labels, ["2023-11", "2023-12", "2024-01"]);
        assert_eq!(Period::year(1).unwrap().trailing(5).len(), 1);
    }

    #[test]
    fn bounds_are_local() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let (a, b) = "2024-02".parse::<Period>().unwrap().bounds(&tz).unwrap();
        assert_eq!(a.to_rfc3339_in(&tz), "2024-02-01T00:00:00+08:00");
        assert_eq!(b.to_rfc3339_in(&tz), "2024-03-01T00:00:00+08:00");
        assert_eq!(a.to_string(), "2024-01-31T16:00:00Z");
        let (a, b) = "2024-Q4".parse::<Period>().unwrap().bounds(&tz).unwrap();
        assert_eq!(a.to_rfc3339_in(&tz), "2024-10-01T00:00:00+08:00");
        assert_eq!(b.to_rfc3339_in(&tz), "2025-01-01T00:00:00+08:00");
        // A DST month in New York: 31 days minus the spring hour.
        let ny = TimeZone::get("America/New_York").unwrap();
        let (a, b) = "2024-03".parse::<Period>().unwrap().bounds(&ny).unwrap();
        assert_eq!(b.0 - a.0, (31 * 24 - 1) * 3_600_000);
        let t = TimestampMs(b.0 - 1);
        assert_eq!(
            Period::containing(PeriodKind::Month, t, &ny)
                .unwrap()
                .to_string(),
            "2024-03"
        );
        assert_eq!(
            Period::containing(PeriodKind::Quarter, b, &ny)
                .unwrap()
                .to_string(),
            "2024-Q2"
        );
        assert_eq!(
            Period::containing(PeriodKind::Year, b, &ny)
                .unwrap()
                .to_string(),
            "2024"
        );
    }
}
