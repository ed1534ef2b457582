//! Erlang B: `c` lines (trunks, ports, IVR channels) offered a load of `A` Erlangs,
//! a call that finds every line busy is lost. `B(c, A) = (Aᶜ/c!) / Σₖ₌₀ᶜ Aᵏ/k!`,
//! computed with the stable recursion `1/B(c) = 1 + (c/A)·1/B(c − 1)`.

use serde::Serialize;

use crate::recursion::{advance, inverse_erlang_b};
use crate::{Agents, Erlangs, Probability, WfmError, MAX_AGENTS};

/// The outcome for a number of lines.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangB {
    /// Lines (trunks, channels).
    pub lines: u32,
    /// Offered load in Erlangs.
    pub load: f64,
    /// Probability that a call finds all lines busy and is lost.
    pub blocking: f64,
    /// Load actually carried: `A · (1 − B)`.
    pub carried_load: f64,
}

impl ErlangB {
    fn new(lines: u32, load: f64, inverse: f64) -> Self {
        let blocking = 1.0 / inverse;
        ErlangB {
            lines,
            load,
            blocking,
            carried_load: load * (1.0 - blocking),
        }
    }
}

/// Blocking with `lines` lines.
pub fn evaluate(load: Erlangs, lines: Agents) -> ErlangB {
    let a = load.get();
    ErlangB::new(lines.get(), a, inverse_erlang_b(a, lines.get()))
}

/// The fewest lines whose blocking is at most `target_blocking`.
pub fn solve(load: Erlangs, target_blocking: Probability) -> Result<ErlangB, WfmError> {
    let a = load.get();
    let needed = 1.0 / target_blocking.get();
    // Blocking falls with every line, so the first line count past the target is the
    // answer. Walking from zero is exact and O(answer).
    let mut inverse = 1.0;
    for lines in 1..=MAX_AGENTS {
        inverse = advance(a, lines - 1, inverse, lines);
        if inverse >= needed {
            return Ok(ErlangB::new(lines, a, inverse));
        }
    }
    Err(WfmError::Unreachable {
        max: MAX_AGENTS,
        target: "target_blocking",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(a: f64) -> Erlangs {
        Erlangs::new("load", a).unwrap()
    }

    #[test]
    fn classic_trunk_table() {
        // The Erlang B table every telecom engineer knows: 25 Erlangs at 1% blocking
        // needs 36 lines: B(36, 25) = 0.008022… and B(35, 25) = 0.011646… (exact
        // rational arithmetic).
        let b = solve(
            load(25.0),
            Probability::new("target_blocking", 0.01).unwrap(),
        )
        .unwrap();
        assert_eq!(b.lines, 36);
        assert!(
            (b.blocking - 0.008_022_496_766_574_506).abs() < 1e-15,
            "{}",
            b.blocking
        );
        let fewer = evaluate(load(25.0), Agents::new("lines", 35).unwrap());
        assert!((fewer.blocking - 0.011_645_823_928_679_215).abs() < 1e-15);
        assert!((b.carried_load - 25.0 * (1.0 - b.blocking)).abs() < 1e-12);
    }

    #[test]
    fn one_line() {
        let b = evaluate(load(1.0), Agents::new("lines", 1).unwrap());
        assert_eq!(b.blocking, 0.5);
    }
}
