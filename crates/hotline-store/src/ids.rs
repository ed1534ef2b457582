//! Newtype ids, timestamps and durations: a `PersonId` cannot be passed where a `TeamId`
//! is expected, and every time in the store is one representation.
//!
//! Times are **milliseconds since the Unix epoch (UTC) in an `i64`** ([`TimestampMs`]),
//! durations milliseconds ([`DurationMs`]): the routing engine counts in whole
//! milliseconds, integers compare and index the same on SQLite and PostgreSQL, and no
//! time zone or float rounding is involved. Convert at the edge with
//! [`TimestampMs::to_jiff`] / [`TimestampMs::from_jiff`].

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $entity:literal) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// What this id names, for error messages.
            pub const ENTITY: &'static str = $entity;
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A site (a building or location with its own time zone).
    SiteId,
    "site"
);
id_type!(
    /// A department of a site.
    DepartmentId,
    "department"
);
id_type!(
    /// A team of a department.
    TeamId,
    "team"
);
id_type!(
    /// A person (agent, supervisor, admin, …).
    PersonId,
    "person"
);
id_type!(
    /// A skill.
    SkillId,
    "skill"
);
id_type!(
    /// A queue.
    QueueId,
    "queue"
);
id_type!(
    /// An API key (the record, not the secret).
    ApiKeyId,
    "api key"
);
id_type!(
    /// A row of agent state history.
    AgentStateId,
    "agent state"
);

/// Position of an event in the durable event log: assigned by the store, gap-free and
/// strictly increasing from 1, never reused (not even after truncation).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct Seq(pub i64);

impl Seq {
    /// Before the first event: `events_after(Seq::ZERO, …)` replays everything.
    pub const ZERO: Seq = Seq(0);
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A point in time: milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct TimestampMs(pub i64);

impl TimestampMs {
    /// The current wall-clock time. The store itself never calls this: every time is an
    /// argument, so tests are exact; it is here for the server's convenience.
    pub fn now() -> TimestampMs {
        TimestampMs(jiff::Timestamp::now().as_millisecond())
    }

    /// From a jiff timestamp (sub-millisecond part dropped).
    pub fn from_jiff(ts: jiff::Timestamp) -> TimestampMs {
        TimestampMs(ts.as_millisecond())
    }

    /// As a jiff timestamp; `None` outside jiff's range (years −9999 to 9999).
    pub fn to_jiff(self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_millisecond(self.0).ok()
    }

    /// `self + d`.
    pub fn plus(self, d: DurationMs) -> TimestampMs {
        TimestampMs(self.0.saturating_add(d.0))
    }
}

impl fmt::Display for TimestampMs {
    /// RFC 3339 when representable, else the raw milliseconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_jiff() {
            Some(ts) => write!(f, "{ts}"),
            None => write!(f, "{}ms", self.0),
        }
    }
}

/// A duration in milliseconds (wait, talk, wrap-up).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct DurationMs(pub i64);

impl DurationMs {
    /// Zero.
    pub const ZERO: DurationMs = DurationMs(0);

    /// Whole seconds.
    pub const fn from_secs(s: i64) -> DurationMs {
        DurationMs(s.saturating_mul(1000))
    }
}

impl fmt::Display for DurationMs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}
