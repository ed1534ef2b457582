//! The documented contact-record columns, and the mapping from another platform's
//! column names (and outcome/channel values) to them.
//!
//! A mapping comes from `name=ours` pairs (the CLI's `--map Disposition=outcome`) or a
//! TOML file:
//!
//! ```toml
//! [columns]
//! CallID = "contact_id"
//! Skill = "queue"
//! Priority = "attr.priority"   # kept as an attribute
//! Notes = "-"                  # read and ignored on purpose
//!
//! [values.outcome]
//! ABANDON = "abandoned"
//! COMPLETE = "answered"
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use thiserror::Error;

/// A contact-record field, as named in the documented CSV column set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `contact_id` — unique id (required).
    ContactId,
    /// `queue` — queue, skill or service type (required).
    Queue,
    /// `channel` — voice, chat, email, messaging, video (required unless a default is
    /// given).
    Channel,
    /// `customer` — customer id or number (optional).
    Customer,
    /// `agent` — the handling agent (optional; required for answered contacts).
    Agent,
    /// `team` — the agent's team (optional).
    Team,
    /// `arrived_at` — entered the queue (required).
    ArrivedAt,
    /// `answered_at` — an agent answered (empty if not).
    AnsweredAt,
    /// `ended_at` — conversation or wait ended (required).
    EndedAt,
    /// `wrap_up_end_at` — after-contact work ended (optional).
    WrapUpEndAt,
    /// `outcome` — answered, abandoned, callback_completed, transferred_out, unfinished
    /// (required).
    Outcome,
    /// `wait_s` — seconds in queue (optional: else from the times).
    WaitS,
    /// `talk_s` — seconds talking, hold excluded (optional: else from the times).
    TalkS,
    /// `hold_s` — seconds on hold (optional: else 0).
    HoldS,
    /// `wrap_up_s` — seconds of after-contact work (optional: else from the times).
    WrapUpS,
    /// `transfers` — number of transfers (optional: else 0).
    Transfers,
    /// `attributes` — a JSON object of other facts (optional).
    Attributes,
}

impl Field {
    /// Every field, in the documented column order.
    pub const ALL: [Field; 17] = [
        Field::ContactId,
        Field::Queue,
        Field::Channel,
        Field::ArrivedAt,
        Field::AnsweredAt,
        Field::EndedAt,
        Field::WrapUpEndAt,
        Field::Agent,
        Field::Outcome,
        Field::Customer,
        Field::Team,
        Field::WaitS,
        Field::TalkS,
        Field::HoldS,
        Field::WrapUpS,
        Field::Transfers,
        Field::Attributes,
    ];

    /// The column name.
    pub fn name(self) -> &'static str {
        match self {
            Field::ContactId => "contact_id",
            Field::Queue => "queue",
            Field::Channel => "channel",
            Field::Customer => "customer",
            Field::Agent => "agent",
            Field::Team => "team",
            Field::ArrivedAt => "arrived_at",
            Field::AnsweredAt => "answered_at",
            Field::EndedAt => "ended_at",
            Field::WrapUpEndAt => "wrap_up_end_at",
            Field::Outcome => "outcome",
            Field::WaitS => "wait_s",
            Field::TalkS => "talk_s",
            Field::HoldS => "hold_s",
            Field::WrapUpS => "wrap_up_s",
            Field::Transfers => "transfers",
            Field::Attributes => "attributes",
        }
    }

    /// The field with column name `name` (exact).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What the column holds, for the documentation.
    pub fn description(self) -> &'static str {
        match self {
            Field::ContactId => "unique id of the contact; a row repeating an earlier row's id is rejected",
            Field::Queue => "queue, skill or service type it waited in",
            Field::Channel => "voice, chat, email, messaging or video",
            Field::Customer => "customer id or number (empty: unknown)",
            Field::Agent => "the agent who answered (required when answered_at is set)",
            Field::Team => "the agent's team",
            Field::ArrivedAt => "when it entered the queue (not the IVR)",
            Field::AnsweredAt => "when an agent answered; empty if none did",
            Field::EndedAt => "when the conversation, or the wait, ended",
            Field::WrapUpEndAt => "when after-contact work ended",
            Field::Outcome => "answered, abandoned, callback_completed, transferred_out (unanswered: a flow-out) or unfinished",
            Field::WaitS => "seconds in queue; default answered_at (or ended_at) − arrived_at",
            Field::TalkS => "seconds talking, hold excluded; default ended_at − answered_at − hold_s",
            Field::HoldS => "seconds on hold; default 0",
            Field::WrapUpS => "seconds of after-contact work; default wrap_up_end_at − ended_at, else 0",
            Field::Transfers => "number of transfers; default 0",
            Field::Attributes => "a JSON object of other facts ({\"vip\": true})",
        }
    }

    /// Whether every file must have it (channel: unless a default channel is given).
    pub fn required(self) -> bool {
        matches!(
            self,
            Field::ContactId | Field::Queue | Field::ArrivedAt | Field::EndedAt | Field::Outcome
        )
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a file's column goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// To a record field.
    Field(Field),
    /// Into `attributes` under this name, as text.
    Attribute(String),
    /// Nowhere, on purpose.
    Ignore,
}

impl Target {
    /// `contact_id`, `attr.<name>` or `-`.
    pub fn parse(text: &str) -> Result<Target, MappingError> {
        let t = text.trim();
        if t == "-" {
            return Ok(Target::Ignore);
        }
        if let Some(name) = t.strip_prefix("attr.") {
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(MappingError::BadTarget(text.to_owned()));
            }
            return Ok(Target::Attribute(name.to_owned()));
        }
        Field::from_name(t)
            .map(Target::Field)
            .ok_or_else(|| MappingError::BadTarget(text.to_owned()))
    }
}

/// A mapping that does not make sense.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MappingError {
    /// A pair without `=`.
    #[error("mapping {0:?}: expected their_column=our_column")]
    BadPair(String),
    /// An unknown target.
    #[error(
        "mapping target {0:?}: expected a Hotline column ({cols}), attr.<name> or -",
        cols = Field::ALL.map(Field::name).join(", ")
    )]
    BadTarget(String),
    /// The same source column mapped twice.
    #[error("column {0:?} is mapped twice")]
    Duplicate(String),
    /// Value mapping for a field that has no closed set of values.
    #[error("[values.{0}]: value mappings exist only for outcome and channel")]
    BadValueField(String),
    /// The TOML file does not parse.
    #[error("mapping file: {0}")]
    Toml(String),
}

/// Their column names (and values) → Hotline's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    columns: Vec<(String, Target)>,
    outcome_values: BTreeMap<String, String>,
    channel_values: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, String>>,
}

impl ColumnMapping {
    /// No renames: the file uses Hotline's column names.
    pub fn new() -> ColumnMapping {
        ColumnMapping::default()
    }

    /// Maps their column `theirs` to `target`.
    pub fn column(mut self, theirs: &str, target: Target) -> Result<ColumnMapping, MappingError> {
        if self.columns.iter().any(|(c, _)| c == theirs) {
            return Err(MappingError::Duplicate(theirs.to_owned()));
        }
        self.columns.push((theirs.to_owned(), target));
        Ok(self)
    }

    /// Reads their value `theirs` of `field` (outcome or channel) as `ours`.
    pub fn value(
        mut self,
        field: Field,
        theirs: &str,
        ours: &str,
    ) -> Result<ColumnMapping, MappingError> {
        let map = match field {
            Field::Outcome => &mut self.outcome_values,
            Field::Channel => &mut self.channel_values,
            other => return Err(MappingError::BadValueField(other.name().to_owned())),
        };
        map.insert(theirs.to_owned(), ours.to_owned());
        Ok(self)
    }

    /// From `their=ours` pairs (`Disposition=outcome`, `VIP=attr.vip`, `Notes=-`).
    pub fn parse_pairs<'a>(
        pairs: impl IntoIterator<Item = &'a str>,
    ) -> Result<ColumnMapping, MappingError> {
        let mut m = ColumnMapping::new();
        for pair in pairs {
            let (theirs, ours) = pair
                .rsplit_once('=')
                .filter(|(t, _)| !t.trim().is_empty())
                .ok_or_else(|| MappingError::BadPair(pair.to_owned()))?;
            m = m.column(theirs.trim(), Target::parse(ours)?)?;
        }
        Ok(m)
    }

    /// From a TOML mapping file (see the module documentation).
    pub fn from_toml(text: &str) -> Result<ColumnMapping, MappingError> {
        let file: MappingFile =
            toml::from_str(text).map_err(|e| MappingError::Toml(e.to_string()))?;
        let mut m = ColumnMapping::new();
        for (theirs, ours) in &file.columns {
            m = m.column(theirs, Target::parse(ours)?)?;
        }
        for (field, values) in &file.values {
            let f = Field::from_name(field)
                .ok_or_else(|| MappingError::BadValueField(field.clone()))?;
            for (theirs, ours) in values {
                m = m.value(f, theirs, ours)?;
            }
        }
        Ok(m)
    }

    /// The explicit column mappings, in the order given.
    pub fn columns(&self) -> &[(String, Target)] {
        &self.columns
    }

    /// Where their column `header` goes: an explicit mapping (exact name, then
    /// ignoring ASCII case), else a Hotline column of that name (ignoring case), else
    /// `None` (unknown: ignored and listed in the stats).
    pub fn target_of(&self, header: &str) -> Option<Target> {
        let h = header.trim();
        if let Some((_, t)) = self.columns.iter().find(|(c, _)| c == h) {
            return Some(t.clone());
        }
        if let Some((_, t)) = self.columns.iter().find(|(c, _)| c.eq_ignore_ascii_case(h)) {
            return Some(t.clone());
        }
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(h))
            .map(Target::Field)
    }

    /// Their value for `field` translated, or the value itself.
    pub(crate) fn translate<'a>(&'a self, field: Field, value: &'a str) -> &'a str {
        let map = match field {
            Field::Outcome => &self.outcome_values,
            Field::Channel => &self.channel_values,
            _ => return value,
        };
        map.get(value).map_or(value, String::as_str)
    }
}
