//! The definition format: perspectives → objectives → measures, and overrides keyed by
//! level and owner. Serde types as written in the file (TOML) or sent to the API
//! (JSON); [`Definition::validate`] checks them, [`crate::resolve`] applies the
//! overrides over an organisation.

use std::collections::HashMap;
use std::fmt;

use hotline_metrics::report::KpiParams;
use hotline_metrics::{Direction, DurationMs, KpiId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Problems, ScorecardError};
use crate::org::Level;

/// The four perspectives of the balanced scorecard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// Customers: reach, satisfaction, retention.
    Customer,
    /// Money: cost, productivity, revenue.
    Financial,
    /// Internal operations: speed, efficiency, seat utilisation.
    Internal,
    /// Learning and growth: quality, skills, people.
    LearningGrowth,
}

impl Perspective {
    /// All four, in the order pages show them.
    pub const ALL: [Perspective; 4] = [
        Perspective::Customer,
        Perspective::Financial,
        Perspective::Internal,
        Perspective::LearningGrowth,
    ];

    /// The id (`customer`, `financial`, `internal`, `learning_growth`).
    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Customer => "customer",
            Perspective::Financial => "financial",
            Perspective::Internal => "internal",
            Perspective::LearningGrowth => "learning_growth",
        }
    }

    /// The perspective with this id.
    pub fn parse(text: &str) -> Option<Perspective> {
        Perspective::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// Its name in English, Simplified Chinese and Spanish.
    pub fn name(self) -> Text {
        let (en, zh, es) = match self {
            Perspective::Customer => ("Customer", "客户", "Cliente"),
            Perspective::Financial => ("Financial", "财务", "Financiera"),
            Perspective::Internal => ("Internal operations", "内部运营", "Procesos internos"),
            Perspective::LearningGrowth => (
                "Learning and growth",
                "学习与成长",
                "Aprendizaje y crecimiento",
            ),
        };
        Text {
            en: en.into(),
            zh: Some(zh.into()),
            es: Some(es.into()),
        }
    }
}

impl fmt::Display for Perspective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way a measure is better. Taken from the KPI registry; a volume KPI
/// (`answered`, `offered`…) has none, so a measure of one says which it wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better: green at or above `green`, amber at or above `amber`.
    Higher,
    /// Lower is better: green at or below `green`, amber at or below `amber`.
    Lower,
    /// Best near the target: green within `green_within` of it, amber within
    /// `amber_within`.
    NearTarget,
}

impl Better {
    /// The registry's direction for `kpi`; `None` for a volume.
    pub fn of(kpi: KpiId) -> Option<Better> {
        match kpi.def().direction {
            Direction::HigherIsBetter => Some(Better::Higher),
            Direction::LowerIsBetter => Some(Better::Lower),
            Direction::NearTarget => Some(Better::NearTarget),
            Direction::Volume => None,
        }
    }

    /// `higher`, `lower`, `near_target`.
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::NearTarget => "near_target",
        }
    }
}

impl fmt::Display for Better {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name in the UI languages: written as a plain string (English) or as
/// `{ en = "…", zh = "…", es = "…" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TextRepr")]
pub struct Text {
    /// English (also the fallback).
    pub en: String,
    /// Simplified Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    /// Spanish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<String>,
}

impl Text {
    /// The text in `lang` (`en`, `zh`, `zh-CN`, `es`), English when missing.
    pub fn get(&self, lang: &str) -> &str {
        let t = match lang.split(['-', '_']).next().unwrap_or("") {
            "zh" => self.zh.as_deref(),
            "es" => self.es.as_deref(),
            _ => None,
        };
        t.unwrap_or(&self.en)
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text {
            en: en.into(),
            zh: None,
            es: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TextRepr {
    Plain(String),
    Translated {
        en: String,
        #[serde(default)]
        zh: Option<String>,
        #[serde(default)]
        es: Option<String>,
    },
}

impl From<TextRepr> for Text {
    fn from(r: TextRepr) -> Text {
        match r {
            TextRepr::Plain(en) => Text {
                en,
                zh: None,
                es: None,
            },
            TextRepr::Translated { en, zh, es } => Text { en, zh, es },
        }
    }
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

fn is_true(b: &bool) -> bool {
    *b
}

fn default_sl() -> f64 {
    20.0
}

fn default_short() -> f64 {
    5.0
}

/// Report thresholds the KPIs depend on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// T in seconds: a contact answered within T meets the service level (default
    /// 20: "80 % in 20 s").
    #[serde(default = "default_sl")]
    pub service_level_threshold_s: f64,
    /// S in seconds: an abandon shorter than S is a short abandon (default 5).
    #[serde(default = "default_short")]
    pub short_abandon_threshold_s: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            service_level_threshold_s: default_sl(),
            short_abandon_threshold_s: default_short(),
        }
    }
}

impl Settings {
    /// As report parameters (milliseconds, rounded).
    pub fn params(&self) -> KpiParams {
        KpiParams {
            service_level_threshold: DurationMs(
                (self.service_level_threshold_s * 1000.0).round() as i64
            ),
            short_abandon_threshold: DurationMs(
                (self.short_abandon_threshold_s * 1000.0).round() as i64
            ),
        }
    }
}

/// A scorecard definition: the center's scorecard and the overrides of the levels
/// below it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The scorecard's name.
    pub name: Text,
    /// KPI thresholds (T, S).
    #[serde(default)]
    pub settings: Settings,
    /// The perspectives (`customer`, `financial`, `internal`, `learning_growth`); at
    /// least one.
    pub perspectives: Perspectives,
    /// Overrides for departments, teams and agents, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

/// The perspectives of a definition, each at most once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Perspectives {
    /// Customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<PerspectiveDef>,
    /// Financial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial: Option<PerspectiveDef>,
    /// Internal operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal: Option<PerspectiveDef>,
    /// Learning and growth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning_growth: Option<PerspectiveDef>,
}

impl Perspectives {
    /// The perspective `p`, if defined.
    pub fn get(&self, p: &Perspective) -> Option<&PerspectiveDef> {
        match p {
            Perspective::Customer => self.customer.as_ref(),
            Perspective::Financial => self.financial.as_ref(),
            Perspective::Internal => self.internal.as_ref(),
            Perspective::LearningGrowth => self.learning_growth.as_ref(),
        }
    }

    /// The perspective `p`, if defined, to change it.
    pub fn get_mut(&mut self, p: &Perspective) -> Option<&mut PerspectiveDef> {
        match p {
            Perspective::Customer => self.customer.as_mut(),
            Perspective::Financial => self.financial.as_mut(),
            Perspective::Internal => self.internal.as_mut(),
            Perspective::LearningGrowth => self.learning_growth.as_mut(),
        }
    }

    /// The defined perspectives, in the order customer, financial, internal,
    /// learning_growth.
    pub fn iter(&self) -> impl Iterator<Item = (Perspective, &PerspectiveDef)> {
        Perspective::ALL
            .into_iter()
            .filter_map(|p| self.get(&p).map(|d| (p, d)))
    }

    /// How many are defined.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::ops::Index<&Perspective> for Perspectives {
    type Output = PerspectiveDef;

    fn index(&self, p: &Perspective) -> &PerspectiveDef {
        self.get(p).expect("a perspective of the definition")
    }
}

/// A perspective: weighted objectives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerspectiveDef {
    /// Its weight among the perspectives (default 1), > 0.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Whether it counts (default true); a level below may switch it on or off.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// Its objectives; at least one.
    pub objectives: Vec<ObjectiveDef>,
}

/// A strategic objective, measured by KPIs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveDef {
    /// Id, unique in its perspective: letters, digits, `_` and `-`.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Its weight within the perspective (default 1), > 0.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Whether it counts (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// Its measures; at least one.
    pub measures: Vec<MeasureDef>,
}

/// A measure: a KPI with a target, red/amber/green thresholds and a weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// The KPI id from the registry (`service_level`, `aht_s`…), unique in its
    /// objective.
    pub kpi: String,
    /// Which way is better: only for a volume KPI (`answered`…); for the others it
    /// comes from the registry and may be omitted or repeated, not changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Better>,
    /// The target, in the KPI's unit (> 0).
    pub target: f64,
    /// Higher/lower: the green threshold (default: the target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green: Option<f64>,
    /// Higher/lower: the amber threshold (worse than green, required); beyond it red.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amber: Option<f64>,
    /// Near target: green within this distance of the target (required, ≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green_within: Option<f64>,
    /// Near target: amber within this distance (required, ≥ green_within).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amber_within: Option<f64>,
    /// Its weight within the objective (default 1), > 0.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// Whether it counts (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}

/// An override: for one owner (or every owner of a level), new values for one
/// perspective, objective or measure. What it does not set is inherited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// A department, by id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A team, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// An agent, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Every owner of this level (`department`, `team` or `agent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The perspective changed (`customer`): weight and enabled only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perspective: Option<String>,
    /// The objective changed (`customer.reach`): weight and enabled only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// The measure changed (`customer.reach.service_level`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// New target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// New green threshold (higher/lower).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green: Option<f64>,
    /// New amber threshold (higher/lower).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amber: Option<f64>,
    /// New green distance (near target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green_within: Option<f64>,
    /// New amber distance (near target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amber_within: Option<f64>,
    /// New weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Switched on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Whom an override is for, as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Selector {
    pub level: Level,
    /// `None`: every owner of the level.
    pub owner: Option<String>,
}

/// What an override changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Item {
    Perspective(Perspective),
    Objective(Perspective, usize),
    Measure(Perspective, usize, usize),
}

impl Override {
    /// Whom it is for; `None` when not exactly one of department, team, agent, level.
    pub(crate) fn selector(&self) -> Option<Selector> {
        let set: Vec<Selector> = [
            self.department.as_ref().map(|d| Selector {
                level: Level::Department,
                owner: Some(d.clone()),
            }),
            self.team.as_ref().map(|t| Selector {
                level: Level::Team,
                owner: Some(t.clone()),
            }),
            self.agent.as_ref().map(|a| Selector {
                level: Level::Agent,
                owner: Some(a.clone()),
            }),
            self.level.map(|l| Selector {
                level: l,
                owner: None,
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        match set.as_slice() {
            [s] if s.level != Level::Center => Some(s.clone()),
            _ => None,
        }
    }

    fn sets_anything(&self) -> bool {
        self.target.is_some()
            || self.green.is_some()
            || self.amber.is_some()
            || self.green_within.is_some()
            || self.amber_within.is_some()
            || self.weight.is_some()
            || self.enabled.is_some()
    }
}

impl Definition {
    /// A definition from TOML (the file format). Syntax and type errors name the key
    /// path; call [`Definition::validate`] (or [`crate::resolve`]) for the rules.
    pub fn from_toml(text: &str) -> Result<Definition, ScorecardError> {
        parse_toml(text)
    }

    /// A definition from JSON (the API format; same keys).
    pub fn from_json(text: &str) -> Result<Definition, ScorecardError> {
        parse_json(text)
    }

    /// As TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a definition is representable in TOML")
    }

    /// The example definition: the seeds' telecom hotline
    /// (`crates/hotline-scorecard/examples/telecom.toml`).
    pub fn telecom_example() -> Definition {
        Definition::from_toml(TELECOM).expect("the bundled example parses (tested)")
    }

    /// Checks the rules that need no organisation: KPI ids, ids, weights, threshold
    /// keys and their order for the KPI's direction, override shapes and paths, and the
    /// level-wide overrides' results. Owners named by overrides are checked by
    /// [`crate::resolve`], which has the organisation.
    pub fn validate(&self) -> Result<(), ScorecardError> {
        let mut p = Problems::default();
        self.check_shape(&mut p);
        if p.0.is_empty() {
            crate::resolve::check_level_chains(self, &mut p);
        }
        p.finish()
    }

    /// The measure's KPI (after validation).
    pub(crate) fn measure(&self, per: Perspective, oi: usize, mi: usize) -> &MeasureDef {
        &self.perspectives[&per].objectives[oi].measures[mi]
    }

    /// The direction a measure is scored in (after validation).
    pub(crate) fn better_of(m: &MeasureDef) -> Better {
        let kpi = KpiId::parse(&m.kpi).expect("validated");
        Better::of(kpi)
            .or(m.better)
            .expect("validated: a volume KPI's measure says which way is better")
    }

    pub(crate) fn check_shape(&self, p: &mut Problems) {
        let s = &self.settings;
        for (key, v) in [
            (
                "settings.service_level_threshold_s",
                s.service_level_threshold_s,
            ),
            (
                "settings.short_abandon_threshold_s",
                s.short_abandon_threshold_s,
            ),
        ] {
            if !(v.is_finite() && (0.0..=86_400.0).contains(&v)) {
                p.push(key, v, "seconds from 0 to 86400");
            }
        }
        if self.name.en.trim().is_empty() {
            p.push("name", "", "a non-empty name");
        }
        if self.perspectives.is_empty() {
            p.push(
                "perspectives",
                "{}",
                "at least one of customer, financial, internal, learning_growth",
            );
        }
        for (per, pd) in self.perspectives.iter() {
            let pp = format!("perspectives.{per}");
            positive(p, format!("{pp}.weight"), pd.weight);
            if pd.objectives.is_empty() {
                p.push(format!("{pp}.objectives"), "[]", "at least one objective");
            }
            let mut ids: HashMap<&str, usize> = HashMap::new();
            for (oi, o) in pd.objectives.iter().enumerate() {
                let op = format!("{pp}.objectives[{oi}]");
                if o.id.is_empty()
                    || !o
                        .id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    p.push(
                        format!("{op}.id"),
                        &o.id,
                        "a non-empty id of letters, digits, _ and - (it is part of override paths)",
                    );
                }
                if let Some(first) = ids.insert(&o.id, oi) {
                    p.push(
                        format!("{op}.id"),
                        &o.id,
                        format!("an objective id unique in {per} (also objectives[{first}])"),
                    );
                }
                if o.name.en.trim().is_empty() {
                    p.push(format!("{op}.name"), "", "a non-empty name");
                }
                positive(p, format!("{op}.weight"), o.weight);
                if o.measures.is_empty() {
                    p.push(format!("{op}.measures"), "[]", "at least one measure");
                }
                let mut kpis: HashMap<&str, usize> = HashMap::new();
                for (mi, m) in o.measures.iter().enumerate() {
                    let mp = format!("{op}.measures[{mi}]");
                    if let Some(first) = kpis.insert(&m.kpi, mi) {
                        p.push(
                            format!("{mp}.kpi"),
                            &m.kpi,
                            format!("a KPI measured once per objective (also measures[{first}])"),
                        );
                    }
                    check_measure(p, &mp, m);
                }
            }
        }
        let mut seen: HashMap<(Selector, Item), usize> = HashMap::new();
        for (i, o) in self.overrides.iter().enumerate() {
            let op = format!("overrides[{i}]");
            let sel = o.selector();
            if sel.is_none() {
                let given: Vec<String> = [
                    o.department.as_ref().map(|v| format!("department = {v:?}")),
                    o.team.as_ref().map(|v| format!("team = {v:?}")),
                    o.agent.as_ref().map(|v| format!("agent = {v:?}")),
                    o.level.map(|v| format!("level = {v:?}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                p.push(
                    op.clone(),
                    if given.is_empty() {
                        "no owner".to_owned()
                    } else {
                        given.join(", ")
                    },
                    "exactly one of department, team, agent (an owner) or level \
                     (department, team or agent: every owner of that level; the center's \
                     values are the definition itself)",
                );
            }
            let item = self.override_item(p, &op, o);
            if let (Some(sel), Some(item)) = (sel, item) {
                if let Some(first) = seen.insert((sel, item), i) {
                    p.push(
                        op.clone(),
                        self.item_path(item),
                        format!(
                            "one override per owner and item (overrides[{first}] is for the \
                             same): put the fields in one entry"
                        ),
                    );
                }
            }
        }
    }

    /// The item an override changes, checking its fields for the item's kind.
    fn override_item(&self, p: &mut Problems, op: &str, o: &Override) -> Option<Item> {
        let targets: Vec<(&str, &String)> = [
            ("perspective", &o.perspective),
            ("objective", &o.objective),
            ("measure", &o.measure),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect();
        let [(key, path)] = targets.as_slice() else {
            p.push(
                op,
                targets
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", "),
                "exactly one of perspective (customer), objective (customer.reach) or \
                 measure (customer.reach.service_level)",
            );
            return None;
        };
        let kp = format!("{op}.{key}");
        let item = match self.find_item(key, path) {
            Ok(item) => item,
            Err(allowed) => {
                p.push(kp, path, allowed);
                return None;
            }
        };
        if !o.sets_anything() {
            p.push(
                op,
                "nothing set",
                "at least one of target, green, amber, green_within, amber_within, weight, enabled",
            );
        }
        if let Some(w) = o.weight {
            positive(p, format!("{op}.weight"), w);
        }
        let numbers = [
            ("target", o.target),
            ("green", o.green),
            ("amber", o.amber),
            ("green_within", o.green_within),
            ("amber_within", o.amber_within),
        ];
        match item {
            Item::Perspective(_) | Item::Objective(..) => {
                for (k, v) in numbers {
                    if let Some(v) = v {
                        p.push(
                            format!("{op}.{k}"),
                            v,
                            format!("only weight and enabled for a {key} (targets and thresholds belong to measures)"),
                        );
                    }
                }
            }
            Item::Measure(per, oi, mi) => {
                let m = self.measure(per, oi, mi);
                let better = Definition::better_of(m);
                for (k, v) in numbers {
                    let Some(v) = v else { continue };
                    if !v.is_finite() {
                        p.push(format!("{op}.{k}"), v, "a finite number");
                    }
                    let near_key = k.ends_with("_within");
                    if k != "target" && near_key != (better == Better::NearTarget) {
                        p.push(format!("{op}.{k}"), v, threshold_keys(&m.kpi, better));
                    }
                }
            }
        }
        Some(item)
    }

    /// The item at `path` (`customer`, `customer.reach`, `customer.reach.aht_s`) for
    /// an override key; `Err` says what is allowed.
    pub(crate) fn find_item(&self, key: &str, path: &str) -> Result<Item, String> {
        let parts: Vec<&str> = path.split('.').collect();
        let want = match key {
            "perspective" => 1,
            "objective" => 2,
            _ => 3,
        };
        let allowed = || {
            let mut all = Vec::new();
            for (per, pd) in self.perspectives.iter() {
                match want {
                    1 => all.push(per.to_string()),
                    2 => all.extend(pd.objectives.iter().map(|o| format!("{per}.{}", o.id))),
                    _ => all.extend(pd.objectives.iter().flat_map(|o| {
                        o.measures
                            .iter()
                            .map(move |m| format!("{per}.{}.{}", o.id, m.kpi))
                    })),
                }
            }
            format!("a {key} of the definition: {}", all.join(", "))
        };
        if parts.len() != want {
            return Err(allowed());
        }
        let per = Perspective::parse(parts[0]).ok_or_else(allowed)?;
        let pd = self.perspectives.get(&per).ok_or_else(allowed)?;
        if want == 1 {
            return Ok(Item::Perspective(per));
        }
        let oi = pd
            .objectives
            .iter()
            .position(|o| o.id == parts[1])
            .ok_or_else(allowed)?;
        if want == 2 {
            return Ok(Item::Objective(per, oi));
        }
        let mi = pd.objectives[oi]
            .measures
            .iter()
            .position(|m| m.kpi == parts[2])
            .ok_or_else(allowed)?;
        Ok(Item::Measure(per, oi, mi))
    }

    /// `customer`, `customer.reach`, `customer.reach.service_level`.
    pub(crate) fn item_path(&self, item: Item) -> String {
        match item {
            Item::Perspective(per) => per.to_string(),
            Item::Objective(per, oi) => {
                format!("{per}.{}", self.perspectives[&per].objectives[oi].id)
            }
            Item::Measure(per, oi, mi) => {
                let o = &self.perspectives[&per].objectives[oi];
                format!("{per}.{}.{}", o.id, o.measures[mi].kpi)
            }
        }
    }
}

fn positive(p: &mut Problems, path: String, w: f64) {
    if !(w.is_finite() && w > 0.0) {
        p.push(
            path,
            w,
            "a weight > 0 (to leave an item out, set enabled = false)",
        );
    }
}

fn threshold_keys(kpi: &str, better: Better) -> String {
    match better {
        Better::NearTarget => format!(
            "green_within and amber_within (distances from the target): {kpi} is best near its target"
        ),
        b => format!(
            "green and amber (not green_within / amber_within): for {kpi} {b} is better"
        ),
    }
}

fn check_measure(p: &mut Problems, mp: &str, m: &MeasureDef) {
    let Some(kpi) = KpiId::parse(&m.kpi) else {
        p.push(
            format!("{mp}.kpi"),
            &m.kpi,
            format!("a KPI id from the registry, {}", KpiId::allowed()),
        );
        return;
    };
    let better = match (Better::of(kpi), m.better) {
        (Some(reg), None) => reg,
        (Some(reg), Some(b)) if b == reg => reg,
        (Some(reg), Some(b)) => {
            p.push(
                format!("{mp}.better"),
                b,
                format!("{reg} (the registry's direction for {kpi}) or nothing"),
            );
            reg
        }
        (None, Some(b)) => b,
        (None, None) => {
            p.push(
                format!("{mp}.better"),
                "nothing",
                format!("higher, lower or near_target: {kpi} is a volume with no better direction of its own, so the measure says which it wants"),
            );
            return;
        }
    };
    for (k, v) in [
        ("target", Some(m.target)),
        ("green", m.green),
        ("amber", m.amber),
        ("green_within", m.green_within),
        ("amber_within", m.amber_within),
    ] {
        if let Some(v) = v {
            if !v.is_finite() {
                p.push(format!("{mp}.{k}"), v, "a finite number");
            }
        }
    }
    positive(p, format!("{mp}.weight"), m.weight);
    match better {
        Better::NearTarget => {
            for (k, v) in [("green", m.green), ("amber", m.amber)] {
                if let Some(v) = v {
                    p.push(format!("{mp}.{k}"), v, threshold_keys(&m.kpi, better));
                }
            }
            for (k, v) in [
                ("green_within", m.green_within),
                ("amber_within", m.amber_within),
            ] {
                if v.is_none() {
                    p.push(
                        format!("{mp}.{k}"),
                        "nothing",
                        format!("a distance ≥ 0 from the target: {kpi} is best near its target"),
                    );
                }
            }
        }
        _ => {
            for (k, v) in [
                ("green_within", m.green_within),
                ("amber_within", m.amber_within),
            ] {
                if let Some(v) = v {
                    p.push(format!("{mp}.{k}"), v, threshold_keys(&m.kpi, better));
                }
            }
            if m.amber.is_none() {
                p.push(
                    format!("{mp}.amber"),
                    "nothing",
                    format!("the amber threshold (for {kpi} {better} is better; green defaults to the target)"),
                );
            }
        }
    }
}

/// The bundled example.
pub const TELECOM: &str = include_str!("../examples/telecom.toml");

pub(crate) fn parse_toml<T: DeserializeOwned>(text: &str) -> Result<T, ScorecardError> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| ScorecardError::Parse {
        format: "TOML",
        path: e.path().to_string(),
        message: e.inner().to_string().trim_end().to_owned(),
    })
}

pub(crate) fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, ScorecardError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = serde_path_to_error::deserialize(&mut de).map_err(|e| ScorecardError::Parse {
        format: "JSON",
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })?;
    de.end().map_err(|e| ScorecardError::Parse {
        format: "JSON",
        path: ".".into(),
        message: e.to_string(),
    })?;
    Ok(v)
}
