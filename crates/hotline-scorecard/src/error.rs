//! Errors: every problem names the key path, the value found and what is allowed.

use std::fmt;

use hotline_metrics::ReportError;
use serde::Serialize;
use thiserror::Error;

/// One thing wrong with a definition or an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The key path (`perspectives.customer.objectives[0].measures[1].amber`,
    /// `overrides[3].team`, `org.departments[0].teams[1].id`).
    pub path: String,
    /// The value found, as text.
    pub value: String,
    /// What would have been accepted.
    pub allowed: String,
}

impl Problem {
    pub(crate) fn new(
        path: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) -> Problem {
        Problem {
            path: path.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {:?}: expected {}",
            self.path, self.value, self.allowed
        )
    }
}

/// Why a scorecard could not be read, resolved or computed.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ScorecardError {
    /// The text is not a well-formed definition (or organisation): a syntax error, a
    /// missing or unknown key, a value of the wrong type. `path` is the key path.
    #[error("{format} at {path}: {message}")]
    Parse {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// The key path where parsing stopped (`.` for the top).
        path: String,
        /// The parser's message (with line and column for TOML).
        message: String,
    },
    /// Well-formed, but breaking rules: all problems found, in file order.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    /// A report could not be set up (a period outside the time zone's range).
    #[error(transparent)]
    Report(#[from] ReportError),
}

fn list(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("\n")
}

impl ScorecardError {
    /// The problems of an `Invalid` error (empty for other kinds).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScorecardError::Invalid(p) => p,
            _ => &[],
        }
    }
}

/// Collects problems; `finish` turns them into an error if there are any.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(
        &mut self,
        path: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) {
        let p = Problem::new(path, value, allowed);
        if !self.0.contains(&p) {
            self.0.push(p);
        }
    }

    /// Pushes unless a problem with the same path and value is there already: a
    /// value inherited by many owners is reported once, for the first (top-most).
    pub fn push_once(
        &mut self,
        path: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) {
        let p = Problem::new(path, value, allowed);
        if !self
            .0
            .iter()
            .any(|q| q.path == p.path && q.value == p.value)
        {
            self.0.push(p);
        }
    }

    pub fn finish(self) -> Result<(), ScorecardError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ScorecardError::Invalid(self.0))
        }
    }
}
