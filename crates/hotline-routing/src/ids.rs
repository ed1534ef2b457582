//! Identifiers and small validated values.
//!
//! Agents, queues, skills and groups are dense `u32` indices: the engine keeps them in
//! vectors, so a lookup is an array access. The server maps its external ids (UUIDs,
//! names) onto these once. Contacts are numerous and short-lived, so their id is a `u64`
//! the caller chooses freely (the engine maps it to an internal slot).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::ConfigError;

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident($inner:ty), $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            /// The raw index.
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

dense_id!(
    /// An agent. Dense: the engine stores agents in a vector indexed by this number, so
    /// keep ids below [`AgentId::MAX`].
    AgentId(u32),
    "agent#"
);
dense_id!(
    /// A queue. Dense, below [`QueueId::MAX`].
    QueueId(u32),
    "queue#"
);
dense_id!(
    /// A skill. Dense, below [`SkillId::MAX`].
    SkillId(u32),
    "skill#"
);
dense_id!(
    /// An agent group (team, tier, site). Used by linear agent selection (lower id is
    /// tried first) and by routing steps that open a queue to a group. Below
    /// [`GroupId::MAX`].
    GroupId(u32),
    "group#"
);
dense_id!(
    /// A contact (call, chat, callback request, e-mail). Any `u64` the caller likes; it
    /// must be unique among the contacts currently in the engine and may be reused once
    /// the contact has ended.
    ContactId(u64),
    "contact#"
);

impl AgentId {
    /// Upper bound (exclusive) on agent ids (1,048,576): agents live in a vector indexed
    /// by id, so this bounds what one large id can allocate.
    pub const MAX: u32 = 1 << 20;
}

impl QueueId {
    /// Upper bound (exclusive) on queue ids (65,536).
    pub const MAX: u32 = 1 << 16;
}

impl SkillId {
    /// Upper bound (exclusive) on skill ids.
    pub const MAX: u32 = 1 << 20;
}

impl GroupId {
    /// Upper bound (exclusive) on group ids.
    pub const MAX: u32 = 1 << 16;
}

/// Why an agent is not ready (break, lunch, training, ...). The meaning of the number is
/// the caller's, except for the reserved codes at the top of the range, which the engine
/// itself sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReasonCode(pub u16);

impl ReasonCode {
    /// Set by the engine when an offer rang out (ring-no-answer).
    pub const NO_ANSWER: ReasonCode = ReasonCode(u16::MAX);
    /// Set by the engine when the agent rejected an offer.
    pub const REJECTED: ReasonCode = ReasonCode(u16::MAX - 1);
    /// Set by the engine when an agent logs in: agents start not ready until they say
    /// they are ready.
    pub const LOGGED_IN: ReasonCode = ReasonCode(u16::MAX - 2);

    /// True for the codes the engine sets itself.
    pub const fn is_reserved(self) -> bool {
        self.0 >= u16::MAX - 2
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ReasonCode::NO_ANSWER => f.write_str("no answer"),
            ReasonCode::REJECTED => f.write_str("rejected"),
            ReasonCode::LOGGED_IN => f.write_str("logged in"),
            ReasonCode(n) => write!(f, "reason {n}"),
        }
    }
}

/// How well an agent masters a skill: 1 (novice) to 5 (expert). A queue asks for a minimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Proficiency(u8);

impl Proficiency {
    /// The lowest level.
    pub const MIN: Proficiency = Proficiency(1);
    /// The highest level.
    pub const MAX: Proficiency = Proficiency(5);

    /// A proficiency from 1 to 5; anything else is an error naming the value.
    pub fn new(level: u8) -> Result<Proficiency, ConfigError> {
        if (1..=5).contains(&level) {
            Ok(Proficiency(level))
        } else {
            Err(ConfigError::Invalid {
                field: "proficiency".into(),
                value: level.to_string(),
                allowed: "an integer from 1 to 5".into(),
            })
        }
    }

    /// The level, 1 to 5.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Proficiency {
    type Error = ConfigError;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Proficiency::new(level)
    }
}

impl From<Proficiency> for u8 {
    fn from(p: Proficiency) -> u8 {
        p.0
    }
}

impl FromStr for Proficiency {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().parse::<u8>() {
            Ok(n) => Proficiency::new(n),
            Err(_) => Err(ConfigError::Invalid {
                field: "proficiency".into(),
                value: s.to_string(),
                allowed: "an integer from 1 to 5".into(),
            }),
        }
    }
}

impl fmt::Display for Proficiency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proficiency_accepts_one_to_five_only() {
        assert_eq!(Proficiency::new(1).unwrap().get(), 1);
        assert_eq!("5".parse::<Proficiency>().unwrap(), Proficiency::MAX);
        let err = Proficiency::new(6).unwrap_err().to_string();
        assert!(
            err.contains("proficiency") && err.contains('6') && err.contains("1 to 5"),
            "{err}"
        );
        assert!(Proficiency::new(0).is_err());
        assert!("x".parse::<Proficiency>().is_err());
        assert!(serde_json_like_roundtrip_rejects_zero());
    }

    fn serde_json_like_roundtrip_rejects_zero() -> bool {
        Proficiency::try_from(0u8).is_err() && u8::from(Proficiency::MAX) == 5
    }

    #[test]
    fn reserved_reason_codes_are_named() {
        assert_eq!(ReasonCode::NO_ANSWER.to_string(), "no answer");
        assert!(ReasonCode::REJECTED.is_reserved());
        assert!(!ReasonCode(3).is_reserved());
        assert_eq!(ReasonCode(3).to_string(), "reason 3");
    }
}
