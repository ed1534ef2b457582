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

use std::io::{self, Read};

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

/// Reads `inner` with every CRLF turned into LF. The csv crate counts a record of a
/// CRLF file one line too early (it sees the `\n` of a record's terminator only when
/// it starts the next record); with LF alone its line numbers are exact, and rejects
/// must name the right line.
#[derive(Debug)]
pub(crate) struct LfOnly<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    pending_cr: bool,
}

impl<R: Read> LfOnly<R> {
    pub(crate) fn new(inner: R) -> LfOnly<R> {
        LfOnly {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for LfOnly<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.pos == self.len {
                self.len = self.inner.read(&mut self.buf)?;
                self.pos = 0;
                if self.len == 0 {
                    if self.pending_cr {
                        self.pending_cr = false;
                        out[0] = b'\r';
                        return Ok(1);
                    }
                    return Ok(0);
                }
            }
            let mut n = 0;
            if self.pending_cr {
                self.pending_cr = false;
                if self.buf[self.pos] != b'\n' {
                    out[0] = b'\r';
                    n = 1;
                }
            }
            while n < out.len() && self.pos < self.len {
                let room = (out.len() - n).min(self.len - self.pos);
                let chunk = &self.buf[self.pos..self.pos + room];
                match chunk.iter().position(|&b| b == b'\r') {
                    None => {
                        out[n..n + room].copy_from_slice(chunk);
                        n += room;
                        self.pos += room;
                    }
                    Some(i) => {
                        out[n..n + i].copy_from_slice(&chunk[..i]);
                        n += i;
                        self.pos += i + 1;
                        if self.pos == self.len {
                            self.pending_cr = true;
                            break;
                        }
                        if self.buf[self.pos] != b'\n' {
                            if n == out.len() {
                                // No room for the lone CR now: give it back.
                                self.pos -= 1;
                                break;
                            }
                            out[n] = b'\r';
                            n += 1;
                        }
                    }
                }
            }
            if n > 0 {
                return Ok(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader giving one byte at a time, to cross every buffer boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            match self.0.split_first() {
                Some((&b, rest)) if !out.is_empty() => {
                    out[0] = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn lf(input: &[u8], out_chunk: usize, trickle: bool) -> Vec<u8> {
        let mut r: Box<dyn Read> = if trickle {
            Box::new(LfOnly::new(Trickle(input)))
        } else {
            Box::new(LfOnly::new(input))
        };
        let mut out = Vec::new();
        let mut buf = vec![0; out_chunk];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn crlf_becomes_lf_and_lone_cr_stays() {
        let input = b"a,b\r\n1,2\r\n\r3\r\r\n4\r";
        let want = b"a,b\n1,2\n\r3\r\n4\r".to_vec();
        for chunk in [1, 2, 3, 7, 100] {
            assert_eq!(lf(input, chunk, false), want, "chunk {chunk}");
            assert_eq!(lf(input, chunk, true), want, "chunk {chunk}, trickle");
        }
    }
}
