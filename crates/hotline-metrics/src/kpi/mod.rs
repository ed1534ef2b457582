//! The KPI registry: one exact definition per number Hotline shows.
//!
//! The same name means different formulas in different products (service level alone
//! has four incompatible variants), so every KPI here names its variant and the source
//! of the definition, and variants that a center may prefer are separate KPIs with
//! their own ids. A KPI nothing feeds yet is listed as [`Availability::NotFedYet`] —
//! reports refuse it rather than show a made-up number.
//!
//! `docs/kpis.md` is [`markdown`]'s output, checked by a test.

mod doc;
pub mod formulas;
mod registry;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use doc::markdown;
pub use registry::REGISTRY;

/// Defines [`KpiId`] with its text ids.
macro_rules! kpi_ids {
    ($($variant:ident = $text:literal,)+) => {
        /// A KPI's identity; its text form is the id used in CSV columns, the API and
        /// `--kpi`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[allow(missing_docs)]
        pub enum KpiId {
            $($variant,)+
        }

        impl KpiId {
            /// Every KPI, in registry order.
            pub const ALL: &'static [KpiId] = &[$(KpiId::$variant,)+];

            /// The id (`service_level`, `asa_s`, …).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(KpiId::$variant => $text,)+
                }
            }

            /// The KPI with id `text`.
            pub fn parse(text: &str) -> Option<KpiId> {
                match text {
                    $($text => Some(KpiId::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

kpi_ids! {
    Offered = "offered",
    Answered = "answered",
    Abandoned = "abandoned",
    ShortAbandoned = "short_abandoned",
    FlowedOut = "flowed_out",
    ServiceLevel = "service_level",
    ServiceLevelAnswered = "service_level_answered",
    ServiceLevelSl2 = "service_level_sl2",
    ServiceLevelExclShort = "service_level_excl_short",
    AsaS = "asa_s",
    MaxWaitS = "max_wait_s",
    AvgAbandonWaitS = "avg_abandon_wait_s",
    AhtS = "aht_s",
    AvgTalkS = "avg_talk_s",
    AvgHoldS = "avg_hold_s",
    AvgWrapUpS = "avg_wrap_up_s",
    AbandonRate = "abandon_rate",
    AbandonRateExclShort = "abandon_rate_excl_short",
    AnswerRate = "answer_rate",
    TransferRate = "transfer_rate",
    CallbackRate = "callback_rate",
    Occupancy = "occupancy",
    Utilisation = "utilisation",
    ShrinkageLoggedIn = "shrinkage_logged_in",
    ContactsPerAgentHour = "contacts_per_agent_hour",
    LoggedInHours = "logged_in_hours",
    Fcr = "fcr",
    Csat = "csat",
    Nps = "nps",
    Attrition = "attrition",
    Shrinkage = "shrinkage",
    ScheduleAdherence = "schedule_adherence",
    QaScore = "qa_score",
    CostPerContact = "cost_per_contact",
}

impl KpiId {
    /// Its registry entry.
    pub fn def(self) -> &'static KpiDef {
        REGISTRY
            .iter()
            .find(|d| d.id == self)
            .expect("every KpiId has a registry entry (checked by a test)")
    }

    /// The allowed ids, for error messages.
    pub fn allowed() -> String {
        let ids: Vec<&str> = KpiId::ALL.iter().map(|k| k.as_str()).collect();
        format!("one of: {}", ids.join(", "))
    }
}

impl fmt::Display for KpiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A KPI's name in the three UI languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Names {
    /// English.
    pub en: &'static str,
    /// Simplified Chinese.
    pub zh: &'static str,
    /// Spanish.
    pub es: &'static str,
}

/// What a value is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of contacts.
    Count,
    /// Per cent, 0–100.
    Percent,
    /// Seconds.
    Seconds,
    /// Hours.
    Hours,
    /// Contacts per hour.
    PerHour,
    /// A score from −100 to 100 (NPS).
    Score,
    /// Money, in the center's currency.
    Money,
}

impl Unit {
    /// As written in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "%",
            Unit::Seconds => "s",
            Unit::Hours => "h",
            Unit::PerHour => "per hour",
            Unit::Score => "score (−100…100)",
            Unit::Money => "currency",
        }
    }
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better.
    HigherIsBetter,
    /// Lower is better.
    LowerIsBetter,
    /// Best near a target: too high burns people out, too low wastes them.
    NearTarget,
    /// A volume: neither direction is better.
    Volume,
}

impl Direction {
    /// As written in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher is better",
            Direction::LowerIsBetter => "lower is better",
            Direction::NearTarget => "best near a target",
            Direction::Volume => "volume (no better direction)",
        }
    }
}

/// Whether anything computes the KPI yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Availability {
    /// Computed by reports from these inputs.
    Computed {
        /// The inputs (contact records, agent state intervals).
        from: &'static str,
    },
    /// Defined, but the module that would supply its inputs does not exist yet.
    NotFedYet {
        /// The module that will feed it.
        by: &'static str,
    },
}

/// Which records a computed KPI reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Inputs {
    /// Contact records only: any grouping.
    Contacts,
    /// Agent state intervals (with contact records for a numerator): grouping by
    /// agent or team only, since agent time belongs to no single queue or channel.
    AgentTime,
    /// Not computed.
    None,
}

/// One KPI's definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct KpiDef {
    /// Its id.
    pub id: KpiId,
    /// Its names.
    pub names: Names,
    /// The formula, in words.
    pub formula: &'static str,
    /// The unit.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Which of the field's variants this is, and how it differs from the others.
    pub variant: &'static str,
    /// Where the definition comes from.
    pub source: &'static str,
    /// Whether reports compute it.
    pub availability: Availability,
    /// What it is computed from.
    pub inputs: Inputs,
}

impl KpiDef {
    /// Whether reports compute it.
    pub fn is_computed(&self) -> bool {
        matches!(self.availability, Availability::Computed { .. })
    }
}
