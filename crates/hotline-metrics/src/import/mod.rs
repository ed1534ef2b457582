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

pub mod agent_states_csv;
pub mod bank;
pub mod csv_records;
pub mod mapping;
pub mod queue_log;

use std::io::{self, Read};

use serde::Serialize;
use thiserror::Error;

use crate::reject::Reject;

pub use agent_states_csv::{parse_agent_states_csv, StateCsvOptions, StateCsvStats};
pub use bank::{parse_bank_calls, BankStats};
pub use csv_records::{
    parse_contact_csv, write_contact_csv, ContactCsvReader, CsvOptions, CsvStats,
};
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
/// must name the right line. Works in place in the caller's buffer: no extra copy.
#[derive(Debug)]
pub(crate) struct LfOnly<R> {
    inner: R,
    /// A byte read but not yet given out: a CR waiting to see whether LF follows, or
    /// the byte after a lone CR when the caller's buffer had room for one byte only.
    held: Option<u8>,
}

impl<R: Read> LfOnly<R> {
    pub(crate) fn new(inner: R) -> LfOnly<R> {
        LfOnly { inner, held: None }
    }
}

impl<R: Read> Read for LfOnly<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let start = match self.held {
                None => 0,
                Some(b) if out.len() == 1 => {
                    if b != b'\r' {
                        self.held = None;
                        out[0] = b;
                        return Ok(1);
                    }
                    let mut next = [0u8; 1];
                    let n = self.inner.read(&mut next)?;
                    self.held = (n == 1 && next[0] != b'\n').then_some(next[0]);
                    out[0] = if n == 1 && next[0] == b'\n' {
                        b'\n'
                    } else {
                        b'\r'
                    };
                    return Ok(1);
                }
                Some(_) => 1,
            };
            let n = self.inner.read(&mut out[start..])?;
            if let Some(b) = self.held.take() {
                out[0] = b;
            }
            let mut len = start + n;
            if n == 0 {
                return Ok(len);
            }
            // Compact in place: drop each CR directly followed by LF.
            let Some(first) = find_cr(&out[..len]) else {
                return Ok(len);
            };
            let (mut w, mut r) = (first, first);
            while r < len {
                let b = out[r];
                if b == b'\r' && r + 1 < len && out[r + 1] == b'\n' {
                    r += 1;
                    continue;
                }
                out[w] = b;
                w += 1;
                r += 1;
            }
            len = w;
            // A CR at the very end may be half of a CRLF: hold it back.
            if out[len - 1] == b'\r' {
                self.held = Some(b'\r');
                len -= 1;
            }
            if len > 0 {
                return Ok(len);
            }
        }
    }
}

/// The index of the first CR, eight bytes at a time (most input has none).
fn find_cr(bytes: &[u8]) -> Option<usize> {
    const CR: u64 = 0x0d0d_0d0d_0d0d_0d0d;
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for c in chunks.by_ref() {
        let x = u64::from_le_bytes(c.try_into().expect("8 bytes")) ^ CR;
        if x.wrapping_sub(LO) & !x & HI != 0 {
            return c.iter().position(|&b| b == b'\r').map(|i| at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\r')
        .map(|i| at + i)
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

    proptest::proptest! {
        #[test]
        fn same_as_replacing_crlf(
            input in proptest::collection::vec(proptest::sample::select(vec![b'a', b'\r', b'\n']), 0..64),
            chunk in 1usize..9,
            trickle in proptest::bool::ANY,
        ) {
            let want = String::from_utf8(input.clone()).unwrap().replace("\r\n", "\n").into_bytes();
            proptest::prop_assert_eq!(lf(&input, chunk, trickle), want);
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
