//! Interval sums: what a report needs of the contacts that arrived in one 15-minute
//! cell of one queue and channel, kept by the store as records are written, so that a
//! month's report reads thousands of cells instead of millions of records (the ACDs'
//! interval tables).
//!
//! A cell holds every threshold-free sum of [`Contacts`] and three wait histograms
//! (all contacts, answered, abandoned) at a grain of whole seconds, which answer the
//! threshold-dependent counts — answered within T, abandoned within T, abandoned
//! before S — for any T and S in whole seconds up to [`MAX_THRESHOLD_S`], exactly as
//! the records would. Cells merge by addition (and max for the longest wait), so the
//! store can add a batch of records to a cell without reading the records again.

use thiserror::Error;

use crate::record::{ContactRecord, Outcome};
use crate::time::DurationMs;

use super::acc::Contacts;
use super::KpiParams;

/// The length of a cell: reports whose interval boundaries all fall on multiples of it
/// (since the Unix epoch) can be computed from cells.
pub const CELL_MS: i64 = 900_000;

/// The longest threshold a cell answers, in seconds; waits longer than this are kept
/// only as "longer".
pub const MAX_THRESHOLD_S: i64 = 7_200;

/// A histogram of waits with exact counts at and between whole seconds.
///
/// A wait of `w` ms has the key `2s` when `w = s` seconds exactly and `2s − 1` when it
/// lies strictly between `s − 1` and `s` seconds; a wait over [`MAX_THRESHOLD_S`] has
/// the key [`WaitHistogram::OVER`]. Then "wait ≤ T" is "key ≤ 2T" and "wait < S" is
/// "key ≤ 2S − 1", both exact for whole seconds T and S.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaitHistogram {
    /// (key, count), by key, counts > 0.
    entries: Vec<(u32, u64)>,
}

/// Where the waits of one histogram entry lie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitRange {
    /// Exactly this many milliseconds (a whole number of seconds).
    Exactly(i64),
    /// Strictly between these milliseconds (consecutive whole seconds).
    Between(i64, i64),
    /// Longer than this many milliseconds ([`MAX_THRESHOLD_S`]).
    Over(i64),
}

/// Bytes that are not an encoded [`WaitHistogram`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("wait histogram: {0}")]
pub struct DecodeError(&'static str);

/// The first byte of the current encoding.
const FORMAT: u8 = 1;

impl WaitHistogram {
    /// The key of waits over [`MAX_THRESHOLD_S`].
    pub const OVER: u32 = 2 * MAX_THRESHOLD_S as u32 + 1;

    /// The key of a wait (negative waits count as zero).
    #[inline]
    pub fn key(wait_ms: i64) -> u32 {
        let w = wait_ms.max(0);
        if w > MAX_THRESHOLD_S * 1000 {
            return Self::OVER;
        }
        let s = (w + 999) / 1000;
        (2 * s - i64::from(w % 1000 != 0)) as u32
    }

    /// Counts one wait.
    pub fn add(&mut self, wait_ms: i64) {
        self.add_key(Self::key(wait_ms), 1);
    }

    fn add_key(&mut self, key: u32, n: u64) {
        match self.entries.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => self.entries[i].1 += n,
            Err(i) => self.entries.insert(i, (key, n)),
        }
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &WaitHistogram) {
        if self.entries.is_empty() {
            self.entries.clone_from(&other.entries);
            return;
        }
        let mut out = Vec::with_capacity(self.entries.len() + other.entries.len());
        let (mut a, mut b) = (
            self.entries.iter().peekable(),
            other.entries.iter().peekable(),
        );
        loop {
            match (a.peek(), b.peek()) {
                (Some(&&(ka, na)), Some(&&(kb, nb))) => {
                    if ka == kb {
                        out.push((ka, na + nb));
                        a.next();
                        b.next();
                    } else if ka < kb {
                        out.push((ka, na));
                        a.next();
                    } else {
                        out.push((kb, nb));
                        b.next();
                    }
                }
                (Some(&&e), None) | (None, Some(&&e)) => {
                    out.push(e);
                    a.next();
                    b.next();
                }
                (None, None) => break,
            }
        }
        self.entries = out;
    }

    /// Waits counted.
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|e| e.1).sum()
    }

    /// Waits with a key ≤ `key`.
    fn up_to(&self, key: i64) -> u64 {
        self.entries
            .iter()
            .take_while(|e| i64::from(e.0) <= key)
            .map(|e| e.1)
            .sum()
    }

    /// Waits ≤ `t`, or `None` when `t` is not a whole number of seconds in
    /// `0..=MAX_THRESHOLD_S`.
    pub fn at_most(&self, t: DurationMs) -> Option<u64> {
        whole_seconds(t).map(|s| self.up_to(2 * s))
    }

    /// Waits < `t`, or `None` as for [`WaitHistogram::at_most`].
    pub fn less_than(&self, t: DurationMs) -> Option<u64> {
        whole_seconds(t).map(|s| self.up_to(2 * s - 1))
    }

    /// The entries, by wait.
    pub fn entries(&self) -> impl Iterator<Item = (WaitRange, u64)> + '_ {
        self.entries.iter().map(|&(key, n)| {
            let range = if key == Self::OVER {
                WaitRange::Over(MAX_THRESHOLD_S * 1000)
            } else if key % 2 == 0 {
                WaitRange::Exactly(i64::from(key / 2) * 1000)
            } else {
                let s = i64::from(key / 2 + 1);
                WaitRange::Between((s - 1) * 1000, s * 1000)
            };
            (range, n)
        })
    }

    /// A compact encoding: a format byte, then per entry the key's distance from the
    /// previous key and the count, as LEB128 varints.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + 3 * self.entries.len());
        out.push(FORMAT);
        let mut last = 0u32;
        for (i, &(key, n)) in self.entries.iter().enumerate() {
            // The first key is stored as is (it may be 0); the others as key − last − 1.
            let delta = if i == 0 { key } else { key - last - 1 };
            put_varint(&mut out, u64::from(delta));
            put_varint(&mut out, n);
            last = key;
        }
        out
    }

    /// Reads [`WaitHistogram::encode`]'s output.
    pub fn decode(bytes: &[u8]) -> Result<WaitHistogram, DecodeError> {
        let (&format, mut rest) = bytes.split_first().ok_or(DecodeError("empty"))?;
        if format != FORMAT {
            return Err(DecodeError("unknown format"));
        }
        let mut entries = Vec::new();
        let mut next_min = 0u64;
        while !rest.is_empty() {
            let delta = get_varint(&mut rest)?;
            let n = get_varint(&mut rest)?;
            let key = next_min
                .checked_add(delta)
                .filter(|&k| k <= u64::from(Self::OVER))
                .ok_or(DecodeError("key out of range"))?;
            if n == 0 {
                return Err(DecodeError("zero count"));
            }
            entries.push((key as u32, n));
            next_min = key + 1;
        }
        Ok(WaitHistogram { entries })
    }
}

fn whole_seconds(t: DurationMs) -> Option<i64> {
    (t.0 >= 0 && t.0 % 1000 == 0 && t.0 / 1000 <= MAX_THRESHOLD_S).then_some(t.0 / 1000)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &mut &[u8]) -> Result<u64, DecodeError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first().ok_or(DecodeError("truncated"))?;
        *bytes = rest;
        let bits = u64::from(b & 0x7f);
        if shift == 63 && bits > 1 {
            return Err(DecodeError("varint overflow"));
        }
        v |= bits << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(DecodeError("varint overflow"))
}

/// The sums of one cell: the contacts of one queue and channel that arrived in one
/// [`CELL_MS`] interval.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactSums {
    /// Contacts.
    pub offered: u64,
    /// Answered by an agent.
    pub answered: u64,
    /// Abandoned in queue.
    pub abandoned: u64,
    /// Left the queue unanswered otherwise (overflow, timeout, transfer out).
    pub flowed_out: u64,
    /// Answered and ended as a completed callback.
    pub callbacks: u64,
    /// Answered and transferred at least once.
    pub transferred: u64,
    /// Total wait of the answered.
    pub wait_answered_ms: i64,
    /// Total wait of the abandoned.
    pub wait_abandoned_ms: i64,
    /// Longest wait of any contact.
    pub max_wait_ms: i64,
    /// Total talk of the answered.
    pub talk_ms: i64,
    /// Total hold of the answered.
    pub hold_ms: i64,
    /// Total wrap-up of the answered.
    pub wrap_up_ms: i64,
    /// Waits of every contact.
    pub waits: WaitHistogram,
    /// Waits of the answered.
    pub answered_waits: WaitHistogram,
    /// Waits of the abandoned.
    pub abandoned_waits: WaitHistogram,
}

impl ContactSums {
    /// Adds a record, counting it as the report's records path does ([`Contacts`]).
    pub fn add(&mut self, r: &ContactRecord) {
        let wait = r.wait.0;
        self.offered += 1;
        self.max_wait_ms = self.max_wait_ms.max(wait);
        self.waits.add(wait);
        if r.answered_at.is_some() {
            self.answered += 1;
            self.wait_answered_ms += wait;
            self.answered_waits.add(wait);
            self.talk_ms += r.talk.0;
            self.hold_ms += r.hold.0;
            self.wrap_up_ms += r.wrap_up.0;
            self.transferred += u64::from(r.transfers > 0);
            self.callbacks += u64::from(r.outcome == Outcome::CallbackCompleted);
        } else {
            match r.outcome {
                Outcome::Abandoned => {
                    self.abandoned += 1;
                    self.wait_abandoned_ms += wait;
                    self.abandoned_waits.add(wait);
                }
                Outcome::TransferredOut => self.flowed_out += 1,
                _ => {}
            }
        }
    }

    /// Adds another cell's sums (of the same or another cell).
    pub fn merge(&mut self, o: &ContactSums) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.flowed_out += o.flowed_out;
        self.callbacks += o.callbacks;
        self.transferred += o.transferred;
        self.wait_answered_ms += o.wait_answered_ms;
        self.wait_abandoned_ms += o.wait_abandoned_ms;
        self.max_wait_ms = self.max_wait_ms.max(o.max_wait_ms);
        self.talk_ms += o.talk_ms;
        self.hold_ms += o.hold_ms;
        self.wrap_up_ms += o.wrap_up_ms;
        self.waits.merge(&o.waits);
        self.answered_waits.merge(&o.answered_waits);
        self.abandoned_waits.merge(&o.abandoned_waits);
    }

    /// The report's sums for thresholds `p`, or `None` when a threshold is not a
    /// whole number of seconds up to [`MAX_THRESHOLD_S`].
    pub(crate) fn contacts(&self, p: &KpiParams) -> Option<Contacts> {
        let t = p.service_level_threshold;
        Some(Contacts {
            offered: self.offered,
            answered: self.answered,
            abandoned: self.abandoned,
            short_abandoned: self.abandoned_waits.less_than(p.short_abandon_threshold)?,
            flowed_out: self.flowed_out,
            callbacks: self.callbacks,
            transferred: self.transferred,
            answered_in_sl: self.answered_waits.at_most(t)?,
            abandoned_in_sl: self.abandoned_waits.at_most(t)?,
            wait_answered_ms: self.wait_answered_ms,
            wait_abandoned_ms: self.wait_abandoned_ms,
            max_wait_ms: self.max_wait_ms,
            talk_ms: self.talk_ms,
            hold_ms: self.hold_ms,
            wrap_up_ms: self.wrap_up_ms,
        })
    }
}

/// Whether thresholds `p` can be answered from cells.
pub(crate) fn params_fit(p: &KpiParams) -> bool {
    whole_seconds(p.service_level_threshold).is_some()
        && whole_seconds(p.short_abandon_threshold).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_whole_seconds_from_the_waits_between() {
        assert_eq!(WaitHistogram::key(-5), 0);
        assert_eq!(WaitHistogram::key(0), 0);
        assert_eq!(WaitHistogram::key(1), 1);
        assert_eq!(WaitHistogram::key(999), 1);
        assert_eq!(WaitHistogram::key(1000), 2);
        assert_eq!(WaitHistogram::key(1001), 3);
        assert_eq!(WaitHistogram::key(20_000), 40);
        assert_eq!(WaitHistogram::key(7_200_000), 14_400);
        assert_eq!(WaitHistogram::key(7_200_001), WaitHistogram::OVER);
    }

    #[test]
    fn thresholds_count_exactly_at_and_around_the_edge() {
        let mut h = WaitHistogram::default();
        for w in [0, 4_999, 5_000, 5_001, 20_000, 20_001, 9_000_000] {
            h.add(w);
        }
        let s = DurationMs::from_secs;
        assert_eq!(h.at_most(s(5)), Some(3));
        assert_eq!(h.less_than(s(5)), Some(2));
        assert_eq!(h.at_most(s(20)), Some(5));
        assert_eq!(h.less_than(s(20)), Some(4));
        assert_eq!(h.at_most(s(0)), Some(1));
        assert_eq!(h.less_than(s(0)), Some(0));
        assert_eq!(h.at_most(s(MAX_THRESHOLD_S)), Some(6));
        assert_eq!(h.at_most(DurationMs(250)), None);
        assert_eq!(h.at_most(s(MAX_THRESHOLD_S + 1)), None);
        assert_eq!(h.total(), 7);
        let ranges: Vec<WaitRange> = h.entries().map(|e| e.0).collect();
        assert_eq!(
            ranges,
            [
                WaitRange::Exactly(0),
                WaitRange::Between(4_000, 5_000),
                WaitRange::Exactly(5_000),
                WaitRange::Between(5_000, 6_000),
                WaitRange::Exactly(20_000),
                WaitRange::Between(20_000, 21_000),
                WaitRange::Over(7_200_000),
            ]
        );
    }

    #[test]
    fn decoding_refuses_what_encoding_never_writes() {
        assert!(WaitHistogram::decode(&[]).is_err());
        assert!(WaitHistogram::decode(&[9]).is_err());
        assert!(WaitHistogram::decode(&[FORMAT, 3]).is_err());
        assert!(WaitHistogram::decode(&[FORMAT, 3, 0]).is_err());
        assert!(WaitHistogram::decode(&[FORMAT, 0xff, 0xff, 0x7f, 1]).is_err());
        assert!(WaitHistogram::decode(&[FORMAT, 0x80, 0x80, 0x80]).is_err());
        assert_eq!(
            WaitHistogram::decode(&[FORMAT]),
            Ok(WaitHistogram::default())
        );
    }
}
