//! A small reader over parsed TOML that knows where it is.
//!
//! Serde's derive with `deny_unknown_fields` rejects unknown keys too, but its messages do
//! not say *where* (`unknown field "mean"` somewhere in the file). Reading the TOML tree by
//! hand keeps the full key path in every message
//! (`queue[1].handle_time.dist: "gamma" is not one of exponential, lognormal, constant`),
//! and every table lists its allowed keys, so an unknown key is always an error.

use std::fmt::Display;

use toml::{Table, Value};

use super::ScenarioError;

/// A TOML table being read, with its path and the keys it may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    pub path: &'a str,
    table: &'a Table,
}

pub(crate) fn err(path: impl Display, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid {
        path: path.to_string(),
        message: message.into(),
    }
}

/// `a.b` or `b` when the parent is the root.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn type_name(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Integer(i) => format!("the integer {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("{b}"),
        Value::Datetime(d) => format!("the date-time {d}"),
        Value::Array(_) => "an array".to_string(),
        Value::Table(_) => "a table".to_string(),
    }
}

impl<'a> Node<'a> {
    /// Reads `table` at `path`; any key not in `allowed` is an error.
    pub fn new(path: &'a str, table: &'a Table, allowed: &[&str]) -> Result<Self, ScenarioError> {
        for key in table.keys() {
            if !allowed.contains(&key.as_str()) {
                return Err(err(
                    join(path, key),
                    format!("unknown key; allowed keys are {}", allowed.join(", ")),
                ));
            }
        }
        Ok(Node { path, table })
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.table.get(key)
    }

    pub fn path_of(&self, key: &str) -> String {
        join(self.path, key)
    }

    fn missing(&self, key: &str, what: &str) -> ScenarioError {
        err(self.path_of(key), format!("missing; expected {what}"))
    }

    fn wrong(&self, key: &str, what: &str, v: &Value) -> ScenarioError {
        err(
            self.path_of(key),
            format!("expected {what}, found {}", type_name(v)),
        )
    }

    /// A number (integer or float), finite.
    pub fn opt_f64(&self, key: &str, what: &str) -> Result<Option<f64>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => number(v).map(Some).ok_or_else(|| self.wrong(key, what, v)),
        }
    }

    pub fn f64(&self, key: &str, what: &str) -> Result<f64, ScenarioError> {
        self.opt_f64(key, what)?
            .ok_or_else(|| self.missing(key, what))
    }

    /// A non-negative integer.
    pub fn opt_u64(&self, key: &str, what: &str) -> Result<Option<u64>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Integer(i)) if *i >= 0 => Ok(Some(*i as u64)),
            Some(v) => Err(self.wrong(key, what, v)),
        }
    }

    pub fn u64(&self, key: &str, what: &str) -> Result<u64, ScenarioError> {
        self.opt_u64(key, what)?
            .ok_or_else(|| self.missing(key, what))
    }

    /// Any integer.
    pub fn opt_i64(&self, key: &str, what: &str) -> Result<Option<i64>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Integer(i)) => Ok(Some(*i)),
            Some(v) => Err(self.wrong(key, what, v)),
        }
    }

    pub fn opt_str(&self, key: &str, what: &str) -> Result<Option<&'a str>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong(key, what, v)),
        }
    }

    pub fn str(&self, key: &str, what: &str) -> Result<&'a str, ScenarioError> {
        self.opt_str(key, what)?
            .ok_or_else(|| self.missing(key, what))
    }

    /// One of a fixed set of words.
    pub fn opt_choice<T: Copy>(
        &self,
        key: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, ScenarioError> {
        let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
        let what = format!("one of {}", names.join(", "));
        let Some(s) = self.opt_str(key, &what)? else {
            return Ok(None);
        };
        choices
            .iter()
            .find(|c| c.0 == s)
            .map(|c| Some(c.1))
            .ok_or_else(|| err(self.path_of(key), format!("\"{s}\" is not {what}")))
    }

    pub fn opt_table(&self, key: &str, what: &str) -> Result<Option<&'a Table>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Table(t)) => Ok(Some(t)),
            Some(v) => Err(self.wrong(key, what, v)),
        }
    }

    pub fn opt_array(&self, key: &str, what: &str) -> Result<Option<&'a [Value]>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(self.wrong(key, what, v)),
        }
    }

    /// An array of numbers.
    pub fn opt_f64_array(&self, key: &str, what: &str) -> Result<Option<Vec<f64>>, ScenarioError> {
        let Some(a) = self.opt_array(key, what)? else {
            return Ok(None);
        };
        a.iter()
            .enumerate()
            .map(|(i, v)| {
                number(v).ok_or_else(|| {
                    err(
                        format!("{}[{i}]", self.path_of(key)),
                        format!("expected a number, found {}", type_name(v)),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// An array of tables (`[[queue]]`), each with its indexed path.
    pub fn opt_tables(
        &self,
        key: &str,
        what: &str,
    ) -> Result<Vec<(String, &'a Table)>, ScenarioError> {
        let Some(a) = self.opt_array(key, what)? else {
            return Ok(Vec::new());
        };
        a.iter()
            .enumerate()
            .map(|(i, v)| {
                let p = format!("{}[{i}]", self.path_of(key));
                match v {
                    Value::Table(t) => Ok((p, t)),
                    v => Err(err(p, format!("expected a table, found {}", type_name(v)))),
                }
            })
            .collect()
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}
