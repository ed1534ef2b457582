//! One staffing question: raw inputs (from flags or a CSV row) validated into a case
//! the engine can answer, and the answer.

use std::fmt;

use hotline_wfm::erlang_a::{self, SlBasis};
use hotline_wfm::shrinkage::Shrinkage;
use hotline_wfm::{erlang_b, erlang_c, Agents, Erlangs, Probability, Seconds, Traffic, WfmError};
use serde::Serialize;

/// The queueing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Model {
    /// Agents, callers wait as long as it takes (M/M/N).
    #[value(name = "erlang-c")]
    ErlangC,
    /// Agents, callers hang up after an exponential patience (M/M/N+M).
    #[value(name = "erlang-a")]
    ErlangA,
    /// Lines or trunks, a call finding all busy is lost.
    #[value(name = "erlang-b")]
    ErlangB,
}

impl Model {
    pub const ALLOWED: &'static str = "one of erlang-c, erlang-a, erlang-b";

    pub fn name(self) -> &'static str {
        match self {
            Model::ErlangC => "erlang-c",
            Model::ErlangA => "erlang-a",
            Model::ErlangB => "erlang-b",
        }
    }

    pub fn parse(text: &str) -> Option<Model> {
        match text.trim().to_ascii_lowercase().as_str() {
            "erlang-c" | "erlang_c" | "erlangc" => Some(Model::ErlangC),
            "erlang-a" | "erlang_a" | "erlanga" => Some(Model::ErlangA),
            "erlang-b" | "erlang_b" | "erlangb" => Some(Model::ErlangB),
            _ => None,
        }
    }
}

/// Which calls a service-level target divides by (Erlang A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Basis {
    /// Answered within t over offered: abandons count as missed.
    Offered,
    /// Answered within t over answered: abandons are left out.
    Answered,
}

impl Basis {
    pub fn parse(text: &str) -> Option<Basis> {
        match text.trim().to_ascii_lowercase().as_str() {
            "offered" => Some(Basis::Offered),
            "answered" => Some(Basis::Answered),
            _ => None,
        }
    }
}

/// Inputs as given, before validation. Column names in a CSV are these field names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    pub model: Option<Model>,
    pub calls: Option<f64>,
    pub interval: Option<f64>,
    pub aht: Option<f64>,
    pub load: Option<f64>,
    pub answer_within: Option<f64>,
    pub target_sl: Option<f64>,
    pub sl_basis: Option<Basis>,
    pub target_asa: Option<f64>,
    pub max_occupancy: Option<f64>,
    pub max_abandon: Option<f64>,
    pub shrinkage: Option<f64>,
    pub patience: Option<f64>,
    pub agents: Option<f64>,
    pub target_blocking: Option<f64>,
    pub lines: Option<f64>,
}

/// The names of the input columns, in the order a template shows them.
pub const INPUT_FIELDS: &[&str] = &[
    "model",
    "calls",
    "interval",
    "aht",
    "load",
    "answer_within",
    "target_sl",
    "sl_basis",
    "target_asa",
    "max_occupancy",
    "max_abandon",
    "shrinkage",
    "patience",
    "agents",
    "target_blocking",
    "lines",
];

/// A problem with one input, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl From<WfmError> for FieldError {
    fn from(err: WfmError) -> Self {
        match &err {
            WfmError::InvalidInput {
                field,
                value,
                allowed,
            } => FieldError::new(field, format!("{value} is not allowed: {allowed}")),
            WfmError::Overloaded { .. } => FieldError::new("agents", err.to_string()),
            WfmError::Unreachable { target, .. } => FieldError::new(target, err.to_string()),
        }
    }
}

/// A validated question.
#[derive(Debug, Clone, Copy)]
pub enum Case {
    ErlangC {
        traffic: Traffic,
        answer_within: Seconds,
        task: Task<erlang_c::Goal>,
        shrinkage: Option<Shrinkage>,
    },
    ErlangA {
        traffic: Traffic,
        patience: Seconds,
        answer_within: Seconds,
        task: Task<erlang_a::Goal>,
        shrinkage: Option<Shrinkage>,
    },
    ErlangB {
        load: Erlangs,
        task: Task<Probability>,
    },
}

/// Solve for the smallest staffing meeting a goal, or evaluate a given one.
#[derive(Debug, Clone, Copy)]
pub enum Task<G> {
    Solve(G),
    Evaluate(Agents),
}

/// The answer to a case, shaped as the JSON the CLI prints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    ErlangC {
        model: &'static str,
        agents: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        scheduled_agents: Option<u32>,
        service_level: f64,
        asa_s: f64,
        p_wait: f64,
        occupancy: f64,
    },
    ErlangA {
        model: &'static str,
        agents: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        scheduled_agents: Option<u32>,
        service_level: f64,
        asa_s: f64,
        p_wait: f64,
        occupancy: f64,
        p_abandon: f64,
        asa_served_s: f64,
        asa_all_s: f64,
        p_wait_gt_t: f64,
        service_level_of_answered: f64,
        p_abandon_within_t: f64,
    },
    ErlangB {
        model: &'static str,
        lines: u32,
        blocking: f64,
        carried_load: f64,
    },
}

struct Checker<'a> {
    inputs: &'a Inputs,
    errors: Vec<FieldError>,
}

impl Checker<'_> {
    fn require(&mut self, field: &str, value: Option<f64>, why: &str) -> Option<f64> {
        if value.is_none() {
            self.errors
                .push(FieldError::new(field, format!("required {why}")));
        }
        value
    }

    fn refuse(&mut self, field: &str, value: Option<f64>, model: Model, hint: &str) {
        if value.is_some() {
            self.errors.push(FieldError::new(
                field,
                format!("not used by {} ({hint})", model.name()),
            ));
        }
    }

    fn check<T>(&mut self, result: Result<T, WfmError>) -> Option<T> {
        result.map_err(|e| self.errors.push(e.into())).ok()
    }

    fn whole(&mut self, field: &'static str, value: f64) -> Option<Agents> {
        if value.fract() != 0.0 || !(1.0..=f64::from(hotline_wfm::MAX_AGENTS)).contains(&value) {
            self.errors.push(FieldError::new(
                field,
                format!(
                    "{value} is not allowed: a whole number from 1 to {}",
                    hotline_wfm::MAX_AGENTS
                ),
            ));
            return None;
        }
        // In range and whole, so the cast is exact.
        self.check(Agents::new(field, value as u32))
    }

    fn traffic(&mut self, model: Model) -> Option<Traffic> {
        let i = self.inputs;
        match (i.load, i.calls) {
            (Some(_), Some(_)) => {
                self.errors.push(FieldError::new(
                    "load",
                    "give either load or calls (with interval), not both",
                ));
                None
            }
            (Some(load), None) => {
                self.refuse(
                    "interval",
                    i.interval,
                    model,
                    "a load in Erlangs needs no interval",
                );
                let aht =
                    self.require("aht", i.aht, "with load: the handle time that produced it")?;
                let load = self.check(Erlangs::new("load", load))?;
                let aht = self.check(Seconds::positive("aht", aht))?;
                self.check(Traffic::from_load(load, aht))
            }
            (None, _) => {
                let calls = self.require("calls", i.calls, "(or load)");
                let interval = self.require(
                    "interval",
                    i.interval,
                    "with calls: the interval length in seconds",
                );
                let aht = self.require("aht", i.aht, "(average handle time in seconds)");
                // Each part on its own first, so one bad cell does not hide another.
                let interval = interval.and_then(|v| self.check(Seconds::positive("interval", v)));
                let aht = aht.and_then(|v| self.check(Seconds::positive("aht", v)));
                let calls = calls.filter(|&c| {
                    let ok = c.is_finite() && c > 0.0;
                    if !ok {
                        self.errors.push(FieldError::new(
                            "calls",
                            format!("{c} is not allowed: a finite number of calls > 0"),
                        ));
                    }
                    ok
                });
                self.check(Traffic::new(calls?, interval?.get(), aht?.get()))
            }
        }
    }
}

impl Case {
    /// Validates inputs into a case; `default_model` applies when no model is given.
    /// Every problem is reported, not only the first.
    pub fn from_inputs(inputs: &Inputs, default_model: Model) -> Result<Case, Vec<FieldError>> {
        let model = inputs.model.unwrap_or(default_model);
        let mut c = Checker {
            inputs,
            errors: Vec::new(),
        };
        let case = match model {
            Model::ErlangC | Model::ErlangA => Self::agents_case(&mut c, model),
            Model::ErlangB => Self::lines_case(&mut c),
        };
        match case {
            Some(case) if c.errors.is_empty() => Ok(case),
            _ => {
                if c.errors.is_empty() {
                    c.errors
                        .push(FieldError::new("model", "the inputs do not form a case"));
                }
                Err(c.errors)
            }
        }
    }

    fn agents_case(c: &mut Checker<'_>, model: Model) -> Option<Case> {
        let i = c.inputs;
        c.refuse(
            "target_blocking",
            i.target_blocking,
            model,
            "it is an Erlang B target",
        );
        c.refuse("lines", i.lines, model, "use agents");
        let traffic = c.traffic(model);
        let t = c.require(
            "answer_within",
            i.answer_within,
            "(the t of \"answered within t seconds\")",
        );
        let answer_within = t.and_then(|t| c.check(Seconds::new("answer_within", t)));
        let shrinkage = i.shrinkage.and_then(|s| c.check(Shrinkage::new(s)));
        let target = |c: &mut Checker<'_>, field: &'static str, v: Option<f64>| {
            v.and_then(|v| c.check(Probability::new(field, v)))
        };
        let service_level = target(c, "target_sl", i.target_sl);
        let max_occupancy = target(c, "max_occupancy", i.max_occupancy);
        let asa = i
            .target_asa
            .and_then(|v| c.check(Seconds::positive("target_asa", v)));
        let agents = i.agents.and_then(|n| c.whole("agents", n));
        let any_target = i.target_sl.is_some()
            || i.target_asa.is_some()
            || i.max_occupancy.is_some()
            || i.max_abandon.is_some();
        if i.agents.is_some() && any_target {
            c.errors.push(FieldError::new(
                "agents",
                "give either agents (to evaluate a staffing) or targets (to solve for one), not both",
            ));
        }
        if i.agents.is_none() && !any_target {
            c.errors.push(FieldError::new(
                "target_sl",
                "required to solve for agents (or give target_asa, max_occupancy, max_abandon; or agents to evaluate)",
            ));
        }
        match model {
            Model::ErlangC => {
                c.refuse(
                    "patience",
                    i.patience,
                    model,
                    "use --model erlang-a for callers who hang up",
                );
                c.refuse(
                    "max_abandon",
                    i.max_abandon,
                    model,
                    "nobody abandons in Erlang C; use erlang-a",
                );
                if i.sl_basis == Some(Basis::Answered) {
                    c.errors.push(FieldError::new("sl_basis", "answered is the same as offered in erlang-c (everyone is answered); leave it out"));
                }
                let task = match agents {
                    Some(n) => Task::Evaluate(n),
                    None => Task::Solve(erlang_c::Goal {
                        answer_within: answer_within?,
                        service_level,
                        asa,
                        max_occupancy,
                    }),
                };
                Some(Case::ErlangC {
                    traffic: traffic?,
                    answer_within: answer_within?,
                    task,
                    shrinkage,
                })
            }
            _ => {
                let p = c.require(
                    "patience",
                    i.patience,
                    "for erlang-a (mean seconds a caller waits before hanging up)",
                );
                let patience = p.and_then(|p| c.check(Seconds::positive("patience", p)));
                let max_abandon = target(c, "max_abandon", i.max_abandon);
                let task = match agents {
                    Some(n) => Task::Evaluate(n),
                    None => Task::Solve(erlang_a::Goal {
                        answer_within: answer_within?,
                        service_level,
                        sl_basis: match i.sl_basis {
                            Some(Basis::Answered) => SlBasis::Answered,
                            _ => SlBasis::Offered,
                        },
                        max_abandon,
                        asa,
                        max_occupancy,
                    }),
                };
                Some(Case::ErlangA {
                    traffic: traffic?,
                    patience: patience?,
                    answer_within: answer_within?,
                    task,
                    shrinkage,
                })
            }
        }
    }

    fn lines_case(c: &mut Checker<'_>) -> Option<Case> {
        let i = c.inputs;
        let model = Model::ErlangB;
        for (field, value, hint) in [
            ("answer_within", i.answer_within, "lost calls do not wait"),
            ("target_sl", i.target_sl, "use target_blocking"),
            ("target_asa", i.target_asa, "lost calls do not wait"),
            (
                "max_occupancy",
                i.max_occupancy,
                "it sizes lines, not agents",
            ),
            ("max_abandon", i.max_abandon, "use target_blocking"),
            ("shrinkage", i.shrinkage, "it sizes lines, not agents"),
            ("patience", i.patience, "lost calls do not wait"),
            ("agents", i.agents, "use lines"),
        ] {
            c.refuse(field, value, model, hint);
        }
        if i.sl_basis.is_some() {
            c.errors
                .push(FieldError::new("sl_basis", "not used by erlang-b"));
        }
        let load = match (i.load, i.calls) {
            (Some(load), None) => c.check(Erlangs::new("load", load)),
            (None, Some(_)) => c.traffic(model).map(|t| t.load()),
            (Some(_), Some(_)) => {
                c.errors.push(FieldError::new(
                    "load",
                    "give either load or calls (with interval and aht), not both",
                ));
                None
            }
            (None, None) => {
                c.errors.push(FieldError::new("load", "required for erlang-b (Erlangs offered to the lines), or calls with interval and aht"));
                None
            }
        };
        let task = match (i.lines, i.target_blocking) {
            (Some(n), None) => Task::Evaluate(c.whole("lines", n)?),
            (None, Some(b)) => Task::Solve(c.check(Probability::new("target_blocking", b))?),
            (Some(_), Some(_)) => {
                c.errors.push(FieldError::new(
                    "lines",
                    "give either lines (to evaluate) or target_blocking (to solve), not both",
                ));
                return None;
            }
            (None, None) => {
                c.errors.push(FieldError::new(
                    "target_blocking",
                    "required for erlang-b (or lines to evaluate)",
                ));
                return None;
            }
        };
        Some(Case::ErlangB { load: load?, task })
    }

    pub fn model(&self) -> Model {
        match self {
            Case::ErlangC { .. } => Model::ErlangC,
            Case::ErlangA { .. } => Model::ErlangA,
            Case::ErlangB { .. } => Model::ErlangB,
        }
    }

    /// The load in Erlangs.
    pub fn load(&self) -> f64 {
        match self {
            Case::ErlangC { traffic, .. } | Case::ErlangA { traffic, .. } => traffic.load().get(),
            Case::ErlangB { load, .. } => load.get(),
        }
    }

    pub fn answer_within(&self) -> Option<f64> {
        match self {
            Case::ErlangC { answer_within, .. } | Case::ErlangA { answer_within, .. } => {
                Some(answer_within.get())
            }
            Case::ErlangB { .. } => None,
        }
    }

    pub fn shrinkage(&self) -> Option<f64> {
        match self {
            Case::ErlangC { shrinkage, .. } | Case::ErlangA { shrinkage, .. } => {
                shrinkage.map(Shrinkage::get)
            }
            Case::ErlangB { .. } => None,
        }
    }

    pub fn is_solve(&self) -> bool {
        match self {
            Case::ErlangC { task, .. } => matches!(task, Task::Solve(_)),
            Case::ErlangA { task, .. } => matches!(task, Task::Solve(_)),
            Case::ErlangB { task, .. } => matches!(task, Task::Solve(_)),
        }
    }

    pub fn answer(&self) -> Result<Outcome, FieldError> {
        match *self {
            Case::ErlangC {
                traffic,
                answer_within,
                task,
                shrinkage,
            } => {
                let r = match task {
                    Task::Solve(goal) => erlang_c::solve(&traffic, &goal)?,
                    Task::Evaluate(n) => erlang_c::evaluate(&traffic, n, answer_within)?,
                };
                Ok(c_outcome(&r, shrinkage))
            }
            Case::ErlangA {
                traffic,
                patience,
                answer_within,
                task,
                shrinkage,
            } => {
                let r = match task {
                    Task::Solve(goal) => erlang_a::solve(&traffic, patience, &goal)?,
                    Task::Evaluate(n) => erlang_a::evaluate(&traffic, patience, n, answer_within)?,
                };
                Ok(a_outcome(&r, shrinkage))
            }
            Case::ErlangB { load, task } => {
                let r = match task {
                    Task::Solve(target) => erlang_b::solve(load, target)?,
                    Task::Evaluate(n) => erlang_b::evaluate(load, n),
                };
                Ok(Outcome::ErlangB {
                    model: Model::ErlangB.name(),
                    lines: r.lines,
                    blocking: r.blocking,
                    carried_load: r.carried_load,
                })
            }
        }
    }

    /// The same question evaluated at another staffing (for the "nearby" table).
    pub fn at(&self, staffing: u32) -> Option<Outcome> {
        let n = Agents::new("agents", staffing).ok()?;
        let case = match *self {
            Case::ErlangC {
                traffic,
                answer_within,
                shrinkage,
                ..
            } => Case::ErlangC {
                traffic,
                answer_within,
                task: Task::Evaluate(n),
                shrinkage,
            },
            Case::ErlangA {
                traffic,
                patience,
                answer_within,
                shrinkage,
                ..
            } => Case::ErlangA {
                traffic,
                patience,
                answer_within,
                task: Task::Evaluate(n),
                shrinkage,
            },
            Case::ErlangB { load, .. } => Case::ErlangB {
                load,
                task: Task::Evaluate(n),
            },
        };
        case.answer().ok()
    }
}

fn c_outcome(r: &erlang_c::ErlangC, shrinkage: Option<Shrinkage>) -> Outcome {
    Outcome::ErlangC {
        model: Model::ErlangC.name(),
        agents: r.agents,
        scheduled_agents: shrinkage.map(|s| s.scheduled(r.agents)),
        service_level: r.service_level,
        asa_s: r.asa_s,
        p_wait: r.p_wait,
        occupancy: r.occupancy,
    }
}

fn a_outcome(r: &erlang_a::ErlangA, shrinkage: Option<Shrinkage>) -> Outcome {
    Outcome::ErlangA {
        model: Model::ErlangA.name(),
        agents: r.agents,
        scheduled_agents: shrinkage.map(|s| s.scheduled(r.agents)),
        service_level: r.service_level,
        asa_s: r.asa_served_s,
        p_wait: r.p_wait,
        occupancy: r.occupancy,
        p_abandon: r.p_abandon,
        asa_served_s: r.asa_served_s,
        asa_all_s: r.asa_all_s,
        p_wait_gt_t: r.p_wait_gt_t,
        service_level_of_answered: r.service_level_of_answered,
        p_abandon_within_t: r.p_abandon_within_t,
    }
}

impl Outcome {
    /// The result as (column, value) pairs, in the JSON key order.
    pub fn columns(&self) -> Vec<(&'static str, String)> {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut out = Vec::new();
        for key in RESULT_COLUMNS {
            if let Some(v) = value.get(*key) {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.push((*key, text));
            }
        }
        out
    }

    pub fn staffing(&self) -> u32 {
        match self {
            Outcome::ErlangC { agents, .. } | Outcome::ErlangA { agents, .. } => *agents,
            Outcome::ErlangB { lines, .. } => *lines,
        }
    }
}

/// Every result key, in output order.
pub const RESULT_COLUMNS: &[&str] = &[
    "model",
    "agents",
    "scheduled_agents",
    "service_level",
    "asa_s",
    "p_wait",
    "occupancy",
    "p_abandon",
    "asa_served_s",
    "asa_all_s",
    "p_wait_gt_t",
    "service_level_of_answered",
    "p_abandon_within_t",
    "lines",
    "blocking",
    "carried_load",
];
