//! How figures look on screen, and how they compare with their targets.
//!
//! The colour of a figure is never the only signal: every [`Status`] also has an icon and
//! a word (see the templates), so the wallboard reads the same in grey scale.

/// How a figure compares with its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Meets the target.
    Good,
    /// Misses it by a little (the amber band).
    Warn,
    /// Misses it clearly.
    Bad,
    /// Nothing to compare yet (no contact offered today).
    NoData,
}

impl Status {
    /// The CSS class suffix (`st-good` …).
    pub const fn class(self) -> &'static str {
        match self {
            Status::Good => "good",
            Status::Warn => "warn",
            Status::Bad => "bad",
            Status::NoData => "none",
        }
    }

    /// A shape that tells the status apart without colour.
    pub const fn icon(self) -> &'static str {
        match self {
            Status::Good => "✓",
            Status::Warn => "!",
            Status::Bad => "✕",
            Status::NoData => "",
        }
    }

    /// The word for it.
    pub fn label(self, t: &super::i18n::Texts) -> &'static str {
        match self {
            Status::Good => t.status_good,
            Status::Warn => t.status_warn,
            Status::Bad => t.status_bad,
            Status::NoData => t.status_none,
        }
    }
}

/// Percentage points below the target that still count as amber.
pub const SL_AMBER_POINTS: f64 = 10.0;
/// Abandon rate up to which a queue is green.
pub const ABANDON_GOOD: f64 = 0.05;
/// Abandon rate up to which a queue is amber.
pub const ABANDON_WARN: f64 = 0.10;
/// The service-level target assumed when a queue has none.
pub const DEFAULT_SL_TARGET_PCT: f64 = 80.0;

/// Service level (a fraction) against a target in percent: green at or above the target,
/// amber within [`SL_AMBER_POINTS`] below it, red further below.
pub fn service_level_status(value: Option<f64>, target_pct: f64) -> Status {
    match value {
        None => Status::NoData,
        Some(v) => {
            let pct = v * 100.0;
            // Compare with a tolerance: 0.8 * 100.0 is 80.00000000000001.
            if pct + 1e-9 >= target_pct {
                Status::Good
            } else if pct + 1e-9 >= target_pct - SL_AMBER_POINTS {
                Status::Warn
            } else {
                Status::Bad
            }
        }
    }
}

/// The longest current wait against the service-level threshold T: green up to T, amber
/// up to 2 T, red beyond; green when nobody waits.
pub fn wait_status(oldest_ms: Option<u64>, threshold_s: u32) -> Status {
    let Some(ms) = oldest_ms else {
        return Status::Good;
    };
    let t = u64::from(threshold_s) * 1000;
    if ms <= t {
        Status::Good
    } else if ms <= 2 * t {
        Status::Warn
    } else {
        Status::Bad
    }
}

/// Abandon rate (a fraction): green up to 5 %, amber up to 10 %, red above.
pub fn abandon_status(rate: Option<f64>) -> Status {
    match rate {
        None => Status::NoData,
        Some(r) if r <= ABANDON_GOOD + 1e-12 => Status::Good,
        Some(r) if r <= ABANDON_WARN + 1e-12 => Status::Warn,
        Some(_) => Status::Bad,
    }
}

/// A duration as a clock: `0:07`, `12:34`, `1:02:03`.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A duration that may be unknown (`—`).
pub fn clock_opt(ms: Option<u64>) -> String {
    ms.map_or_else(|| "—".to_string(), clock)
}

/// A short duration in seconds with one decimal below a minute (`4.2 s`), else a clock.
pub fn seconds_opt(ms: Option<u64>) -> String {
    match ms {
        None => "—".to_string(),
        Some(ms) if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        Some(ms) => clock(ms),
    }
}

/// A fraction as a percentage with one decimal (`87.5 %`), `—` when unknown.
pub fn percent(fraction: Option<f64>) -> String {
    match fraction {
        Some(f) if f.is_finite() => format!("{:.1} %", f * 100.0),
        _ => "—".to_string(),
    }
}

/// A percentage given in percent (`80 %`, `92.5 %`).
pub fn percent_value(pct: f64) -> String {
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0} %")
    } else {
        format!("{pct:.1} %")
    }
}

/// The time of day of an RFC 3339 time in the server's zone (`14:05`); the input itself
/// when it does not parse.
pub fn time_of_day(rfc3339: &str, zone: &str) -> String {
    let Ok(ts) = rfc3339.parse::<jiff::Timestamp>() else {
        return rfc3339.to_string();
    };
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned_datetime(tz)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Milliseconds from an RFC 3339 time to another (0 when either does not parse or the
/// second is earlier).
pub fn millis_between(from: &str, to: &str) -> u64 {
    match (
        from.parse::<jiff::Timestamp>(),
        to.parse::<jiff::Timestamp>(),
    ) {
        (Ok(a), Ok(b)) => u64::try_from(b.as_millisecond() - a.as_millisecond()).unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_level_is_green_at_target_amber_within_ten_points_red_below() {
        assert_eq!(service_level_status(Some(0.80), 80.0), Status::Good);
        assert_eq!(service_level_status(Some(0.95), 80.0), Status::Good);
        assert_eq!(service_level_status(Some(0.7999), 80.0), Status::Warn);
        assert_eq!(service_level_status(Some(0.70), 80.0), Status::Warn);
        assert_eq!(service_level_status(Some(0.6999), 80.0), Status::Bad);
        assert_eq!(service_level_status(None, 80.0), Status::NoData);
        assert_eq!(service_level_status(Some(0.9), 90.0), Status::Good);
    }

    #[test]
    fn oldest_wait_is_judged_against_the_threshold() {
        assert_eq!(wait_status(None, 20), Status::Good);
        assert_eq!(wait_status(Some(20_000), 20), Status::Good);
        assert_eq!(wait_status(Some(20_001), 20), Status::Warn);
        assert_eq!(wait_status(Some(40_000), 20), Status::Warn);
        assert_eq!(wait_status(Some(40_001), 20), Status::Bad);
    }

    #[test]
    fn abandon_rate_bands() {
        assert_eq!(abandon_status(Some(0.0)), Status::Good);
        assert_eq!(abandon_status(Some(0.05)), Status::Good);
        assert_eq!(abandon_status(Some(0.0501)), Status::Warn);
        assert_eq!(abandon_status(Some(0.10)), Status::Warn);
        assert_eq!(abandon_status(Some(0.1001)), Status::Bad);
        assert_eq!(abandon_status(None), Status::NoData);
    }

    #[test]
    fn durations_and_percentages() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(7_999), "0:07");
        assert_eq!(clock(754_000), "12:34");
        assert_eq!(clock(3_723_000), "1:02:03");
        assert_eq!(clock_opt(None), "—");
        assert_eq!(seconds_opt(Some(4_240)), "4.2 s");
        assert_eq!(seconds_opt(Some(61_000)), "1:01");
        assert_eq!(percent(Some(0.875)), "87.5 %");
        assert_eq!(percent(Some(1.0)), "100.0 %");
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(f64::NAN)), "—");
        assert_eq!(percent_value(80.0), "80 %");
        assert_eq!(percent_value(92.5), "92.5 %");
    }

    #[test]
    fn times_are_shown_in_the_centre_zone() {
        assert_eq!(
            time_of_day("2026-11-23T01:30:00.000Z", "Asia/Shanghai"),
            "2026-11-23 09:30"
        );
        assert_eq!(time_of_day("garbage", "UTC"), "garbage");
        assert_eq!(
            millis_between("2026-11-23T01:30:00.000Z", "2026-11-23T01:30:42.500Z"),
            42_500
        );
        assert_eq!(
            millis_between("2026-11-23T01:30:42Z", "2026-11-23T01:30:00Z"),
            0
        );
    }
}
