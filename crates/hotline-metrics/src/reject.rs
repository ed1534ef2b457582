//! A rejected input row: where it was, which field, what value, why.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One rejected row (or line) of an import. Written out as the rejects file of a
/// `--skip-bad` import, or shown as the reason an all-or-nothing import stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// 1-based line number in the input (for CSV: where the record starts).
    pub line: u64,
    /// The field in Hotline's terms (`arrived_at`), when one field is at fault.
    pub field: Option<String>,
    /// The column as named in the file, when it differs from `field` (a mapped column).
    pub column: Option<String>,
    /// The offending value, as found (or a short description of it).
    pub value: Option<String>,
    /// Why it was rejected, saying what is allowed.
    pub reason: String,
}

impl Reject {
    /// A rejection of the whole line.
    pub fn line(line: u64, reason: impl Into<String>) -> Reject {
        Reject {
            line,
            field: None,
            column: None,
            value: None,
            reason: reason.into(),
        }
    }

    /// A rejection naming the field and its value.
    pub fn field(
        line: u64,
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Reject {
        Reject {
            line,
            field: Some(field.into()),
            column: None,
            value: Some(value.into()),
            reason: reason.into(),
        }
    }

    /// The same rejection, naming the file's column too.
    pub fn in_column(mut self, column: impl Into<String>) -> Reject {
        let column = column.into();
        if self.field.as_deref() != Some(column.as_str()) {
            self.column = Some(column);
        }
        self
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(field) = &self.field {
            write!(f, ", {field}")?;
            if let Some(column) = &self.column {
                write!(f, " (column {column:?})")?;
            }
        }
        if let Some(value) = &self.value {
            write!(f, " = {value:?}")?;
        }
        write!(f, ": {}", self.reason)
    }
}
