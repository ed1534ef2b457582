//! Validated input values: once built, they are known to be finite and in range.

use crate::WfmError;

/// The largest staffing the engine evaluates. Far above any single interval of a real
/// center; it bounds the work of a search.
pub const MAX_AGENTS: u32 = 1_000_000;

/// A non-negative, finite number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Seconds(f64);

impl Seconds {
    /// `field` names the input in the error, e.g. `"answer_within"`.
    pub fn new(field: &'static str, value: f64) -> Result<Self, WfmError> {
        if value.is_finite() && value >= 0.0 {
            Ok(Seconds(value))
        } else {
            Err(WfmError::invalid(
                field,
                value,
                "a finite number of seconds >= 0",
            ))
        }
    }

    /// Like [`Seconds::new`] but zero is refused too (handle times, patience, intervals).
    pub fn positive(field: &'static str, value: f64) -> Result<Self, WfmError> {
        if value.is_finite() && value > 0.0 {
            Ok(Seconds(value))
        } else {
            Err(WfmError::invalid(
                field,
                value,
                "a finite number of seconds > 0",
            ))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// Offered load in Erlangs: a positive, finite number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Erlangs(f64);

impl Erlangs {
    pub fn new(field: &'static str, value: f64) -> Result<Self, WfmError> {
        if value.is_finite() && value > 0.0 {
            Ok(Erlangs(value))
        } else {
            Err(WfmError::invalid(
                field,
                value,
                "a finite load in Erlangs > 0",
            ))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A probability strictly between 0 and 1: the form every target takes (service
/// level, blocking, occupancy cap, shrinkage).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Probability(f64);

impl Probability {
    pub fn new(field: &'static str, value: f64) -> Result<Self, WfmError> {
        if value.is_finite() && value > 0.0 && value < 1.0 {
            Ok(Probability(value))
        } else {
            Err(WfmError::invalid(
                field,
                value,
                "a fraction strictly between 0 and 1",
            ))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A number of agents (or lines) the engine can evaluate: 1 to [`MAX_AGENTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Agents(u32);

impl Agents {
    pub fn new(field: &'static str, value: u32) -> Result<Self, WfmError> {
        if (1..=MAX_AGENTS).contains(&value) {
            Ok(Agents(value))
        } else {
            Err(WfmError::invalid(
                field,
                value,
                "a whole number from 1 to 1000000",
            ))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// The traffic of one interval: calls offered, interval length and average handle
/// time. Everything else (load, rates) is derived from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    calls: f64,
    interval: Seconds,
    aht: Seconds,
}

impl Traffic {
    /// `calls` arriving in `interval` seconds, each taking `aht` seconds of handling
    /// (talk + hold + wrap-up). Calls may be fractional: forecasts are.
    pub fn new(calls: f64, interval: f64, aht: f64) -> Result<Self, WfmError> {
        if !(calls.is_finite() && calls > 0.0) {
            return Err(WfmError::invalid(
                "calls",
                calls,
                "a finite number of calls > 0",
            ));
        }
        let traffic = Traffic {
            calls,
            interval: Seconds::positive("interval", interval)?,
            aht: Seconds::positive("aht", aht)?,
        };
        // A load this small or large means a unit mistake (minutes for seconds, a day's
        // calls in one interval); refusing it beats printing a plan nobody can staff.
        let load = traffic.load_value();
        if !(1e-6..=1e6).contains(&load) {
            return Err(WfmError::invalid(
                "calls",
                calls,
                "a value giving a load (calls × aht / interval) between 0.000001 and 1000000 Erlangs",
            ));
        }
        Ok(traffic)
    }

    /// Traffic given directly as a load (Erlangs) with the handle time that produced it.
    pub fn from_load(load: Erlangs, aht: Seconds) -> Result<Self, WfmError> {
        Traffic::new(load.get(), aht.get(), aht.get())
    }

    fn load_value(&self) -> f64 {
        self.calls * self.aht.0 / self.interval.0
    }

    pub fn load(&self) -> Erlangs {
        Erlangs(self.load_value())
    }

    pub fn calls(&self) -> f64 {
        self.calls
    }

    pub fn interval(&self) -> Seconds {
        self.interval
    }

    pub fn aht(&self) -> Seconds {
        self.aht
    }

    /// Arrivals per second.
    pub fn arrival_rate(&self) -> f64 {
        self.calls / self.interval.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_nan_negative_and_zero() {
        assert!(Seconds::new("t", f64::NAN).is_err());
        assert!(Seconds::new("t", -1.0).is_err());
        assert!(Seconds::new("t", 0.0).is_ok());
        assert!(Seconds::positive("aht", 0.0).is_err());
        assert!(Probability::new("target_sl", 1.0).is_err());
        assert!(Probability::new("target_sl", 0.0).is_err());
        assert!(Probability::new("target_sl", 0.99).is_ok());
        assert!(Agents::new("agents", 0).is_err());
        assert!(Traffic::new(0.0, 1800.0, 180.0).is_err());
        assert!(Traffic::new(100.0, 1800.0, f64::INFINITY).is_err());
    }

    #[test]
    fn error_names_field_value_and_rule() {
        let err = Traffic::new(100.0, 1800.0, 0.0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "aht = 0 is not allowed: a finite number of seconds > 0"
        );
    }

    #[test]
    fn load_is_calls_times_aht_over_interval() {
        let t = Traffic::new(100.0, 1800.0, 180.0).unwrap();
        assert_eq!(t.load().get(), 10.0);
        assert!((t.arrival_rate() - 100.0 / 1800.0).abs() < 1e-15);
    }
}
