//! Staffing mathematics for contact centers: Erlang B, Erlang C and Erlang A.
//!
//! A pure library: no I/O, no clock, no global state. Every function takes plain
//! values and returns a result or a [`WfmError`] that names the offending field; no
//! input makes it panic.
//!
//! Units: times are seconds, rates are per second, loads are Erlangs
//! (`calls × AHT / interval`), probabilities are in `0..=1`.
//!
//! - [`erlang_b`]: lines with blocked calls lost (trunk sizing).
//! - [`erlang_c`]: M/M/N with infinitely patient callers (classic agent staffing).
//! - [`erlang_a`]: M/M/N+M, callers abandon after an exponential patience.
//! - [`shrinkage`]: from agents on the phones to agents on the schedule.
//!
//! The formulas, their sources and their assumptions are written out for planners in
//! `docs/wfm.md`.

mod error;
mod quadrature;
mod recursion;
mod series;
mod units;

pub mod erlang_a;
pub mod erlang_b;
pub mod erlang_c;
pub mod shrinkage;

pub use error::WfmError;
pub use units::{Agents, Erlangs, Probability, Seconds, Traffic, MAX_AGENTS};
