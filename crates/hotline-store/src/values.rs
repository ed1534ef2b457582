//! Closed sets of values (roles, tiers, channels, outcomes, agent states) and the checks
//! every free-text field goes through. Enums are stored as their snake_case names in
//! TEXT columns (with a CHECK constraint), so a row is readable with any SQL client and
//! the same on both backends.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// Defines a closed enum stored and serialised as snake_case text.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored and serialised name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value named `text`; an error naming `field`, the value and the
            /// allowed names otherwise.
            pub fn parse(field: &str, text: &str) -> Result<$name, StoreError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(StoreError::invalid(field, text, Self::allowed())),
                }
            }

            /// "one of: a, b, c".
            pub fn allowed() -> String {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                format!("one of: {}", names.join(", "))
            }

            /// Reads a stored value back.
            pub(crate) fn from_db(
                table: &'static str,
                column: &'static str,
                text: String,
            ) -> Result<$name, StoreError> {
                match text.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(StoreError::Corrupt { table, column, value: text }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = StoreError;
            fn from_str(s: &str) -> Result<$name, StoreError> {
                $name::parse(stringify!($name), s)
            }
        }
    };
}

text_enum!(
    /// What a person may do; the server maps each route to the roles allowed on it.
    Role {
        /// Everything, including people, keys and settings.
        Admin = "admin",
        /// Runs the center: organisation, queues, reports.
        Manager = "manager",
        /// Team leader / floor supervisor: wallboard, their teams' agents.
        Supervisor = "supervisor",
        /// Quality analyst: evaluations, recordings, contact records.
        Quality = "quality",
        /// Trainer: training and knowledge.
        Trainer = "trainer",
        /// Agent: their own desktop and their own records only.
        Agent = "agent",
    }
);

text_enum!(
    /// Career tier of a person (the seeds' staffing mix: junior ~40 %, intermediate ~30 %,
    /// senior and expert ~30 %).
    Tier {
        /// Junior.
        Junior = "junior",
        /// Intermediate.
        Intermediate = "intermediate",
        /// Senior.
        Senior = "senior",
        /// Expert.
        Expert = "expert",
    }
);

text_enum!(
    /// The medium of a contact and of the queue it waits in.
    Channel {
        /// Phone call.
        Voice = "voice",
        /// Web chat.
        Chat = "chat",
        /// Email.
        Email = "email",
        /// Messaging apps and SMS.
        Messaging = "messaging",
        /// Video call.
        Video = "video",
    }
);

text_enum!(
    /// How a contact ended, as recorded in its contact record.
    Outcome {
        /// An agent answered it and it ended normally.
        Answered = "answered",
        /// The customer hung up (or left the chat) before an agent answered.
        Abandoned = "abandoned",
        /// The customer took a callback and an agent completed it.
        CallbackCompleted = "callback_completed",
        /// Sent to another queue or outside number (answered first if `answered_at` is set).
        TransferredOut = "transferred_out",
        /// Still open when the record was written (a shutdown, a lost adapter).
        Unfinished = "unfinished",
    }
);

text_enum!(
    /// An agent's state, for the state history (adherence, occupancy, time in state).
    AgentStateKind {
        /// Not logged in.
        LoggedOut = "logged_out",
        /// Logged in and waiting for a contact.
        Ready = "ready",
        /// Logged in, taking no contacts (the row's reason says why).
        NotReady = "not_ready",
        /// An offer is ringing on the desktop.
        Reserved = "reserved",
        /// Handling a contact.
        Busy = "busy",
        /// After-contact work.
        WrapUp = "wrap_up",
    }
);

/// How well a person masters a skill: 1 (novice) to 5 (expert).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Proficiency(u8);

impl Proficiency {
    /// The lowest level.
    pub const MIN: Proficiency = Proficiency(1);
    /// The highest level.
    pub const MAX: Proficiency = Proficiency(5);

    /// A level from 1 to 5; an error naming `field` otherwise.
    pub fn parse(field: &str, level: i64) -> Result<Proficiency, StoreError> {
        if (1..=5).contains(&level) {
            Ok(Proficiency(level as u8))
        } else {
            Err(StoreError::invalid(field, level, "an integer from 1 to 5"))
        }
    }

    /// The level.
    pub fn get(self) -> u8 {
        self.0
    }

    pub(crate) fn from_db(
        table: &'static str,
        column: &'static str,
        v: i64,
    ) -> Result<Proficiency, StoreError> {
        Proficiency::parse(column, v).map_err(|_| StoreError::Corrupt {
            table,
            column,
            value: v.to_string(),
        })
    }
}

impl TryFrom<u8> for Proficiency {
    type Error = StoreError;
    fn try_from(v: u8) -> Result<Proficiency, StoreError> {
        Proficiency::parse("proficiency", i64::from(v))
    }
}

impl From<Proficiency> for u8 {
    fn from(p: Proficiency) -> u8 {
        p.0
    }
}

impl fmt::Display for Proficiency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Checks a name-like text: not empty, no leading or trailing spaces, no control
/// characters, at most `max` characters. Returns it unchanged (nothing is trimmed
/// silently: the user sees what was stored).
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> Result<(), StoreError> {
    let allowed =
        || format!("1 to {max} characters, no leading or trailing spaces, no control characters");
    let count = value.chars().count();
    if count == 0 || count > max || value.trim() != value || value.chars().any(char::is_control) {
        return Err(StoreError::invalid(field, value, allowed()));
    }
    Ok(())
}

/// Checks a username: 2 to 64 characters from `a-z 0-9 . _ - @`, starting with a letter
/// or digit. Lowercase only, so two people can never differ by case alone.
pub(crate) fn check_username(field: &str, value: &str) -> Result<(), StoreError> {
    let ok = (2..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c))
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            field,
            value,
            "2 to 64 characters from a-z, 0-9, '.', '_', '-', '@', starting with a letter or digit",
        ))
    }
}

/// Checks an IANA time-zone name against the tz database bundled with the binary.
pub(crate) fn check_time_zone(field: &str, value: &str) -> Result<(), StoreError> {
    if value.is_empty() || jiff::tz::db().get(value).is_err() {
        return Err(StoreError::invalid(
            field,
            value,
            "an IANA time zone name such as Europe/Madrid, Asia/Shanghai or UTC",
        ));
    }
    Ok(())
}

/// Checks an opaque secret hash (argon2 PHC string, SHA-256 hex, …): 16 to 512
/// printable ASCII characters. The store never sees a password or a token.
pub(crate) fn check_hash(field: &str, value: &str) -> Result<(), StoreError> {
    let ok = (16..=512).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        // The value is secret-derived: never echo it.
        Err(StoreError::invalid(
            field,
            format!("<{} characters>", value.len()),
            "a hash of 16 to 512 printable ASCII characters",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_and_reject_unknown_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse("role", r.as_str()).unwrap(), *r);
        }
        let err = Role::parse("role", "boss").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid role: \"boss\" (allowed: one of: admin, manager, supervisor, quality, trainer, agent)"
        );
        assert_eq!(
            serde_json::to_string(&Outcome::CallbackCompleted).unwrap(),
            "\"callback_completed\""
        );
    }

    /// Interval cells read a live record through the metrics' enums (contacts.rs).
    #[test]
    fn channels_and_outcomes_are_the_metrics_ones() {
        use std::collections::BTreeSet;
        let store: BTreeSet<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        let metrics: BTreeSet<&str> = hotline_metrics::Channel::ALL
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(store, metrics);
        let store: BTreeSet<&str> = Outcome::ALL.iter().map(|c| c.as_str()).collect();
        let metrics: BTreeSet<&str> = hotline_metrics::Outcome::ALL
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(store, metrics);
    }

    #[test]
    fn proficiency_is_one_to_five() {
        assert_eq!(Proficiency::parse("p", 1).unwrap().get(), 1);
        assert_eq!(Proficiency::parse("p", 5).unwrap().get(), 5);
        assert!(Proficiency::parse("p", 0).is_err());
        assert!(Proficiency::parse("p", 6).is_err());
        assert!(serde_json::from_str::<Proficiency>("7").is_err());
        assert_eq!(serde_json::from_str::<Proficiency>("3").unwrap().get(), 3);
    }

    #[test]
    fn text_checks() {
        assert!(check_text("name", "Billing", 100).is_ok());
        assert!(check_text("name", "账单查询", 4).is_ok());
        assert!(check_text("name", "", 100).is_err());
        assert!(check_text("name", " Billing", 100).is_err());
        assert!(check_text("name", "a\nb", 100).is_err());
        assert!(check_text("name", "abcde", 4).is_err());
        assert!(check_username("username", "ana.lopez").is_ok());
        assert!(check_username("username", "Ana").is_err());
        assert!(check_username("username", "-x").is_err());
        assert!(check_username("username", "a").is_err());
        assert!(check_time_zone("tz", "Europe/Madrid").is_ok());
        assert!(check_time_zone("tz", "UTC").is_ok());
        assert!(check_time_zone("tz", "Mars/Olympus").is_err());
        assert!(check_hash("h", "$argon2id$v=19$m=19456,t=2,p=1$abc").is_ok());
        let err = check_hash("h", "short").unwrap_err();
        assert!(!err.to_string().contains("short"));
    }
}
