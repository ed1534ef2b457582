//! Parsers from the outside world's formats to [`ContactRecord`]s and
//! [`AgentStateInterval`]s.
//!
//! Every parser returns a [`Parsed`]: the accepted values, the rejected rows (each with
//! its line, field, value and reason) and format-specific counts. Whether one bad row
//! stops the import (all-or-nothing, the CLI's default) or is written to a rejects file
//! (`--skip-bad`) is the caller's choice: [`Parsed::strict`] turns the first reject
//! into an error.
//!
//! [`ContactRecord`]: crate::ContactRecord
//! [`AgentStateInterval`]: crate::AgentStateInterval

pub mod bank;
pub mod csv_records;
pub mod mapping;
pub mod queue_log;

use serde::Serialize;
use thiserror::Error;

use crate::reject::Reject;

pub use bank::{parse_bank_calls, BankStats};
pub use csv_records::{parse_contact_csv, ContactCsvReader, CsvOptions, CsvStats};
pub use mapping::{ColumnMapping, Field, MappingError, Target};
pub use queue_log::{parse_queue_log, QueueLogImport, QueueLogParser, QueueLogStats};

/// What an import produced: accepted values, rejected rows, counts.
#[derive(Clone, Debug, Serialize)]
pub struct Parsed<T, S> {
    /// Accepted values, in input order.
    pub records: Vec<T>,
    /// Rejected rows, in input order.
    pub rejects: Vec<Reject>,
    /// Counts and notes specific to the format.
    pub stats: S,
}

impl<T, S> Parsed<T, S> {
    /// All-or-nothing: the whole result if nothing was rejected, else an error with
    /// the number of rejects and the first one.
    pub fn strict(self) -> Result<Parsed<T, S>, ImportError> {
        match self.rejects.first() {
            None => Ok(self),
            Some(first) => Err(ImportError::Rejected {
                count: self.rejects.len(),
                first: first.clone(),
            }),
        }
    }
}

/// An import that cannot start (its header or options are wrong) or, in strict mode,
/// one that met a bad row.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The header lacks a column Hotline needs, or the mapping does not fit it.
    #[error("header: {0}")]
    Header(String),
    /// The input could not be read as CSV at all (before any row).
    #[error("cannot read the input: {0}")]
    Unreadable(String),
    /// The mapping is invalid.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// Strict mode: rows were rejected.
    #[error("{count} row(s) rejected, the first: {first}")]
    Rejected {
        /// How many.
        count: usize,
        /// The first one.
        first: Reject,
    },
}
