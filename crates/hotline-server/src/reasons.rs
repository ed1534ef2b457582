//! Not-ready reasons: the engine knows a number, people know a name.
//!
//! A fixed catalogue (the usual codes of a voice center) plus the three codes the engine
//! sets itself. The API accepts and shows names; the history stores names too, so a
//! report reads "lunch", not "2".

use hotline_routing::ReasonCode;
use serde::Serialize;

/// One not-ready reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reason {
    /// The engine's code.
    pub code: u16,
    /// The name used in the API (`lunch`).
    pub name: &'static str,
    /// English label for screens.
    pub label: &'static str,
    /// Set by the engine, not chosen by the agent.
    pub automatic: bool,
}

/// Every reason, those an agent may pick first.
pub const REASONS: &[Reason] = &[
    Reason {
        code: 1,
        name: "break",
        label: "Break",
        automatic: false,
    },
    Reason {
        code: 2,
        name: "lunch",
        label: "Lunch",
        automatic: false,
    },
    Reason {
        code: 3,
        name: "meeting",
        label: "Meeting",
        automatic: false,
    },
    Reason {
        code: 4,
        name: "training",
        label: "Training",
        automatic: false,
    },
    Reason {
        code: 5,
        name: "coaching",
        label: "Coaching",
        automatic: false,
    },
    Reason {
        code: 6,
        name: "back_office",
        label: "Back-office work",
        automatic: false,
    },
    Reason {
        code: 7,
        name: "outbound",
        label: "Outbound calls",
        automatic: false,
    },
    Reason {
        code: 8,
        name: "technical_problem",
        label: "Technical problem",
        automatic: false,
    },
    Reason {
        code: 9,
        name: "personal",
        label: "Personal time",
        automatic: false,
    },
    Reason {
        code: ReasonCode::LOGGED_IN.0,
        name: "logged_in",
        label: "Just logged in",
        automatic: true,
    },
    Reason {
        code: ReasonCode::REJECTED.0,
        name: "rejected",
        label: "Rejected an offer",
        automatic: true,
    },
    Reason {
        code: ReasonCode::NO_ANSWER.0,
        name: "no_answer",
        label: "Did not answer an offer",
        automatic: true,
    },
];

/// The reason with this code, if it is in the catalogue.
pub fn by_code(code: ReasonCode) -> Option<&'static Reason> {
    REASONS.iter().find(|r| r.code == code.0)
}

/// The name of a code (`reason_12` for a code outside the catalogue).
pub fn name(code: ReasonCode) -> String {
    by_code(code).map_or_else(|| format!("reason_{}", code.0), |r| r.name.to_string())
}

/// The code an agent may choose by this name; `None` for unknown names and for the
/// engine's own reasons.
pub fn parse(name: &str) -> Option<ReasonCode> {
    REASONS
        .iter()
        .find(|r| r.name == name && !r.automatic)
        .map(|r| ReasonCode(r.code))
}

/// "one of: break, lunch, ..." for error messages.
pub fn allowed() -> String {
    let names: Vec<&str> = REASONS
        .iter()
        .filter(|r| !r.automatic)
        .map(|r| r.name)
        .collect();
    format!("one of: {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_automatic_reasons_cannot_be_chosen() {
        assert_eq!(parse("lunch"), Some(ReasonCode(2)));
        assert_eq!(name(ReasonCode(2)), "lunch");
        assert_eq!(parse("no_answer"), None);
        assert_eq!(name(ReasonCode::NO_ANSWER), "no_answer");
        assert_eq!(name(ReasonCode(77)), "reason_77");
        assert!(allowed().starts_with("one of: break, lunch"));
        let mut codes: Vec<u16> = REASONS.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), REASONS.len());
    }
}
