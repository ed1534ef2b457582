//! The scenario file: what the center looks like and what load it gets.
//!
//! [`Scenario::from_toml`] is the only way in; a `Scenario` value is always consistent
//! (ids unique, every skill known, rates non-negative, warm-up shorter than the run...).
//! Every key and its default is documented in `docs/simulator.md`.

mod decode;

use std::collections::BTreeSet;

use decode::{err, Node};
use thiserror::Error;

use crate::arrivals::ArrivalRate;
use crate::dist::Dist;

/// Why a scenario was rejected: the key path (`queue[1].handle_time.dist`) and what is
/// wrong with it, or a TOML syntax error.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScenarioError {
    #[error("scenario is not valid TOML: {0}")]
    Syntax(String),
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub run: RunSpec,
    pub queues: Vec<QueueSpec>,
    pub groups: Vec<GroupSpec>,
    pub routing: RoutingSpec,
}

/// `[run]`: length, warm-up, replications, seed and what happens at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// Simulated time per replication; arrivals are generated in `[0, duration_s)`.
    pub duration_s: f64,
    /// Contacts arriving before this are simulated but not counted.
    pub warmup_s: f64,
    pub replications: u32,
    pub seed: u64,
    pub at_end: AtEnd,
    /// Width of the intervals of the `--intervals` series.
    pub interval_s: f64,
}

/// What happens to contacts still in the center when arrivals stop at `duration_s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtEnd {
    /// Keep running until every contact has been answered or has abandoned (agents on
    /// shift keep working); contacts that nobody can ever answer are counted `unfinished`.
    Drain,
    /// Stop at `duration_s`; contacts still waiting then are counted `unfinished`.
    Cutoff,
}

/// One `[[queue]]`: its load and how it is routed.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSpec {
    pub id: String,
    /// The skill an agent needs; the queue id unless given.
    pub skill: String,
    /// Lowest proficiency (1–5) an agent needs at first.
    pub min_proficiency: u8,
    /// Base priority; higher is served first.
    pub priority: i32,
    pub aging: Option<Aging>,
    /// Threshold of the service level: answered within this many seconds counts as met.
    pub service_level_s: f64,
    /// Routing steps, ordered by `after_s`.
    pub steps: Vec<StepSpec>,
    pub arrivals: ArrivalRate,
    pub handle_time: Dist,
    /// `None`: callers never hang up.
    pub patience: Option<Dist>,
}

/// Priority aging: points gained per second waited, up to an optional cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aging {
    pub points_per_s: f64,
    pub max_points: Option<u32>,
}

/// A routing step: after `after_s` seconds in queue the requirement changes.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSpec {
    pub after_s: f64,
    /// Relax (or set) the minimum proficiency.
    pub min_proficiency: Option<u8>,
    /// Also accept agents with this skill.
    pub add_skill: Option<AddedSkill>,
    /// Also accept every agent of this group, whatever their skills (index into
    /// [`Scenario::groups`]).
    pub add_group: Option<usize>,
}

/// An alternative skill a step adds, with the proficiency it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedSkill {
    pub skill: String,
    pub min_proficiency: u8,
}

/// One `[[agents]]` group of identical agents.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpec {
    pub name: String,
    pub count: u32,
    /// Skill and proficiency (1–5), in the file's order.
    pub skills: Vec<(String, u8)>,
    /// When the group is logged in; `None`: the whole run.
    pub shift: Option<Shift>,
    /// After-contact work per contact; `None`: ready again at once.
    pub wrap_up: Option<Dist>,
    /// Contacts an agent may hold at once (chat); 1 for voice.
    pub slots: u16,
}

/// Log-in and log-out instants. An agent on a contact at `end_s` finishes it first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    pub start_s: f64,
    pub end_s: f64,
}

/// `[routing]`: engine-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingSpec {
    pub agent_selection: AgentSelection,
    /// How many recent handle times of a queue the wait estimate averages.
    pub ewt_window: u32,
}

/// Which free agent takes a new contact when several could.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentSelection {
    LongestIdle,
    HighestProficiency,
    FewestContacts,
    RoundRobin,
    Linear,
}

const AGENT_SELECTION: &[(&str, AgentSelection)] = &[
    ("longest-idle", AgentSelection::LongestIdle),
    ("highest-proficiency", AgentSelection::HighestProficiency),
    ("fewest-contacts", AgentSelection::FewestContacts),
    ("round-robin", AgentSelection::RoundRobin),
    ("linear", AgentSelection::Linear),
];

const AT_END: &[(&str, AtEnd)] = &[("drain", AtEnd::Drain), ("cutoff", AtEnd::Cutoff)];

#[derive(Debug, Clone, Copy)]
enum DistKind {
    Exponential,
    LogNormal,
    Constant,
}

const DISTS: &[(&str, DistKind)] = &[
    ("exponential", DistKind::Exponential),
    ("lognormal", DistKind::LogNormal),
    ("constant", DistKind::Constant),
];

/// Defaults for omitted keys (documented in docs/simulator.md).
pub const DEFAULT_REPLICATIONS: u32 = 10;
pub const DEFAULT_SEED: u64 = 1;
pub const DEFAULT_INTERVAL_S: f64 = 1800.0;
/// Upper bound on replications: beyond this a run is surely a typo.
pub const MAX_REPLICATIONS: u32 = 100_000;
/// The engine's default window of recent handle times for the wait estimate.
pub const DEFAULT_EWT_WINDOW: u32 = 100;
pub const MAX_EWT_WINDOW: u32 = 100_000;
/// Most contacts one agent may hold at once (the engine's limit).
pub const MAX_SLOTS: u64 = 64;
/// Highest aging rate the engine accepts, in points per second.
pub const MAX_AGING_RATE: f64 = 1_000_000.0;
/// Upper bound on agents per group, to keep memory bounded on typos.
pub const MAX_GROUP_COUNT: u64 = 1_000_000;

fn positive(node: &Node, key: &str, v: f64) -> Result<f64, ScenarioError> {
    if v > 0.0 {
        Ok(v)
    } else {
        Err(err(
            node.path_of(key),
            format!("must be greater than 0, got {v}"),
        ))
    }
}

fn non_negative(node: &Node, key: &str, v: f64) -> Result<f64, ScenarioError> {
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(err(
            node.path_of(key),
            format!("must not be negative, got {v}"),
        ))
    }
}

fn proficiency(path: String, v: &toml::Value) -> Result<u8, ScenarioError> {
    match v {
        toml::Value::Integer(i) if (1..=5).contains(i) => Ok(*i as u8),
        toml::Value::Integer(i) => Err(err(path, format!("proficiency must be 1 to 5, got {i}"))),
        _ => Err(err(path, "expected a proficiency, an integer 1 to 5")),
    }
}

impl Scenario {
    /// Parses and validates a scenario file's text.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        let root: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            ScenarioError::Syntax(e.to_string().trim().to_string())
        })?;
        let root = Node::new("", &root, &["run", "queue", "agents", "routing"])?;

        let run_table = root
            .opt_table("run", "the [run] table")?
            .ok_or_else(|| err("run", "missing; expected a [run] table with duration_s"))?;
        let run = parse_run(&Node::new(
            "run",
            run_table,
            &[
                "duration_s",
                "warmup_s",
                "replications",
                "seed",
                "at_end",
                "interval_s",
            ],
        )?)?;

        let queue_tables = root.opt_tables("queue", "[[queue]] tables")?;
        if queue_tables.is_empty() {
            return Err(err("queue", "missing; expected at least one [[queue]]"));
        }
        let mut queues = Vec::with_capacity(queue_tables.len());
        let mut group_refs = Vec::with_capacity(queue_tables.len());
        for (path, t) in &queue_tables {
            let (q, refs) = parse_queue(path, t, run.duration_s)?;
            group_refs.push(refs);
            if queues.iter().any(|o: &QueueSpec| o.id == q.id) {
                return Err(err(
                    format!("{path}.id"),
                    format!("\"{}\" is used by another queue", q.id),
                ));
            }
            queues.push(q);
        }
        // Skills any queue can ask for, at any step.
        let known: BTreeSet<&str> = queues
            .iter()
            .flat_map(|q| {
                std::iter::once(q.skill.as_str()).chain(
                    q.steps
                        .iter()
                        .filter_map(|s| s.add_skill.as_ref().map(|a| a.skill.as_str())),
                )
            })
            .collect();

        let group_tables = root.opt_tables("agents", "[[agents]] tables")?;
        if group_tables.is_empty() {
            return Err(err(
                "agents",
                "missing; expected at least one [[agents]] group",
            ));
        }
        let mut groups = Vec::with_capacity(group_tables.len());
        for (path, t) in &group_tables {
            let g = parse_group(path, t, &known)?;
            if groups.iter().any(|o: &GroupSpec| o.name == g.name) {
                return Err(err(
                    format!("{path}.group"),
                    format!("\"{}\" is used by another group", g.name),
                ));
            }
            groups.push(g);
        }

        for (q, refs) in queues.iter_mut().zip(group_refs) {
            for (step, path, name) in refs {
                let Some(g) = groups.iter().position(|g| g.name == name) else {
                    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                    return Err(err(
                        path,
                        format!(
                            "no agent group is named \"{name}\"; groups are {}",
                            names.join(", ")
                        ),
                    ));
                };
                if q.steps[..step].iter().any(|s| s.add_group == Some(g)) {
                    return Err(err(
                        path,
                        format!("group \"{name}\" is already opened by an earlier step"),
                    ));
                }
                q.steps[step].add_group = Some(g);
            }
        }

        // A queue no group can ever serve is a typo, not a what-if.
        for (i, q) in queues.iter().enumerate() {
            if q.steps.iter().any(|s| s.add_group.is_some()) {
                continue;
            }
            let mut skills = vec![(q.skill.as_str(), q.min_proficiency)];
            let mut min = q.min_proficiency;
            for s in &q.steps {
                if let Some(m) = s.min_proficiency {
                    min = min.min(m);
                }
                if let Some(a) = &s.add_skill {
                    skills.push((a.skill.as_str(), a.min_proficiency));
                }
            }
            let served = groups.iter().any(|g| {
                g.skills.iter().any(|(gs, p)| {
                    skills
                        .iter()
                        .any(|(qs, qm)| gs == qs && (*p >= *qm || (gs == &q.skill && *p >= min)))
                })
            });
            if !served {
                return Err(err(
                    format!("queue[{i}]"),
                    format!(
                        "no agent group can ever serve queue \"{}\" (skill \"{}\", minimum proficiency {})",
                        q.id, q.skill, q.min_proficiency
                    ),
                ));
            }
        }

        let routing = match root.opt_table("routing", "the [routing] table")? {
            None => RoutingSpec {
                agent_selection: AgentSelection::LongestIdle,
                ewt_window: DEFAULT_EWT_WINDOW,
            },
            Some(t) => {
                let n = Node::new("routing", t, &["agent_selection", "ewt_window"])?;
                let ewt_window = match n.opt_u64("ewt_window", "a number of contacts")? {
                    None => DEFAULT_EWT_WINDOW,
                    Some(w) if (1..=MAX_EWT_WINDOW as u64).contains(&w) => w as u32,
                    Some(w) => {
                        return Err(err(
                            n.path_of("ewt_window"),
                            format!("must be 1 to {MAX_EWT_WINDOW}, got {w}"),
                        ))
                    }
                };
                RoutingSpec {
                    agent_selection: n
                        .opt_choice("agent_selection", AGENT_SELECTION)?
                        .unwrap_or(AgentSelection::LongestIdle),
                    ewt_window,
                }
            }
        };

        Ok(Scenario {
            run,
            queues,
            groups,
            routing,
        })
    }

    /// The total number of agents over all groups.
    pub fn agent_count(&self) -> u64 {
        self.groups.iter().map(|g| g.count as u64).sum()
    }
}

fn parse_run(n: &Node) -> Result<RunSpec, ScenarioError> {
    let duration_s = n.f64("duration_s", "the simulated seconds per replication")?;
    let duration_s = positive(n, "duration_s", duration_s)?;
    let warmup_s = n.opt_f64("warmup_s", "seconds")?.unwrap_or(0.0);
    let warmup_s = non_negative(n, "warmup_s", warmup_s)?;
    if warmup_s >= duration_s {
        return Err(err(
            n.path_of("warmup_s"),
            format!("must be less than run.duration_s ({duration_s}), got {warmup_s}"),
        ));
    }
    let replications = match n.opt_u64("replications", "a whole number of replications")? {
        None => DEFAULT_REPLICATIONS,
        Some(r) if (1..=MAX_REPLICATIONS as u64).contains(&r) => r as u32,
        Some(r) => {
            return Err(err(
                n.path_of("replications"),
                format!("must be 1 to {MAX_REPLICATIONS}, got {r}"),
            ))
        }
    };
    let seed = n
        .opt_u64("seed", "a non-negative integer seed")?
        .unwrap_or(DEFAULT_SEED);
    let at_end = n.opt_choice("at_end", AT_END)?.unwrap_or(AtEnd::Drain);
    let interval_s = match n.opt_f64("interval_s", "seconds")? {
        None => DEFAULT_INTERVAL_S,
        Some(v) => positive(n, "interval_s", v)?,
    };
    Ok(RunSpec {
        duration_s,
        warmup_s,
        replications,
        seed,
        at_end,
        interval_s,
    })
}

fn parse_dist(path: &str, t: &toml::Table, positive_mean: bool) -> Result<Dist, ScenarioError> {
    let n = Node::new(path, t, &["dist", "mean_s", "sd_s", "cv"])?;
    let kind = n.opt_choice("dist", DISTS)?.ok_or_else(|| {
        err(
            n.path_of("dist"),
            "missing; expected one of exponential, lognormal, constant",
        )
    })?;
    let mean_s = n.f64("mean_s", "the mean in seconds")?;
    let mean_s = if positive_mean {
        positive(&n, "mean_s", mean_s)?
    } else {
        non_negative(&n, "mean_s", mean_s)?
    };
    let sd = n.opt_f64("sd_s", "seconds")?;
    let cv = n.opt_f64("cv", "a coefficient of variation")?;
    match kind {
        DistKind::Exponential | DistKind::Constant => {
            for key in ["sd_s", "cv"] {
                if n.has(key) {
                    let name = if matches!(kind, DistKind::Exponential) {
                        "exponential"
                    } else {
                        "constant"
                    };
                    return Err(err(
                        n.path_of(key),
                        format!("not used by the {name} distribution, which takes only mean_s"),
                    ));
                }
            }
            Ok(match kind {
                DistKind::Exponential => Dist::Exponential { mean_s },
                _ => Dist::Constant { value_s: mean_s },
            })
        }
        DistKind::LogNormal => {
            if mean_s <= 0.0 {
                return Err(err(
                    n.path_of("mean_s"),
                    "must be greater than 0 for lognormal",
                ));
            }
            let sd_s = match (sd, cv) {
                (Some(_), Some(_)) => {
                    return Err(err(path, "give either sd_s or cv for lognormal, not both"))
                }
                (None, None) => return Err(err(path, "lognormal needs sd_s or cv")),
                (Some(sd), None) => positive(&n, "sd_s", sd)?,
                (None, Some(cv)) => positive(&n, "cv", cv)? * mean_s,
            };
            Ok(Dist::lognormal(mean_s, sd_s))
        }
    }
}

fn dist_at(n: &Node, key: &str, positive_mean: bool) -> Result<Option<Dist>, ScenarioError> {
    match n.opt_table(
        key,
        "a distribution table like { dist = \"exponential\", mean_s = 180 }",
    )? {
        None => Ok(None),
        Some(t) => parse_dist(&n.path_of(key), t, positive_mean).map(Some),
    }
}

const QUEUE_KEYS: &[&str] = &[
    "id",
    "skill",
    "min_proficiency",
    "priority",
    "aging",
    "service_level_s",
    "steps",
    "arrivals_per_hour",
    "arrivals_per_interval",
    "interval_s",
    "handle_time",
    "patience",
];

/// A step's `add_group`, resolved once the groups are known: (step index, key path, name).
type GroupRef = (usize, String, String);

fn parse_queue(
    path: &str,
    t: &toml::Table,
    duration_s: f64,
) -> Result<(QueueSpec, Vec<GroupRef>), ScenarioError> {
    let n = Node::new(path, t, QUEUE_KEYS)?;
    let id = n.str("id", "the queue's name, a string")?;
    if id.trim().is_empty() {
        return Err(err(n.path_of("id"), "must not be empty"));
    }
    let skill = n.opt_str("skill", "a skill name")?.unwrap_or(id);
    let min_proficiency = match n.get("min_proficiency") {
        None => 1,
        Some(v) => proficiency(n.path_of("min_proficiency"), v)?,
    };
    let priority = match n.opt_i64("priority", "an integer priority (higher is served first)")? {
        None => 0,
        Some(p) => i32::try_from(p).map_err(|_| {
            err(
                n.path_of("priority"),
                format!("must fit in a 32-bit integer, got {p}"),
            )
        })?,
    };
    let aging = match n.opt_table("aging", "a table { points_per_s = .., max_points = .. }")? {
        None => None,
        Some(t) => {
            let ap = n.path_of("aging");
            let a = Node::new(&ap, t, &["points_per_s", "max_points"])?;
            let pps = a.f64("points_per_s", "priority points gained per second waited")?;
            let max = a.opt_u64("max_points", "a whole number of points")?;
            let max_points = max
                .map(|m| {
                    u32::try_from(m).map_err(|_| {
                        err(
                            a.path_of("max_points"),
                            format!("must be at most {}, got {m}", u32::MAX),
                        )
                    })
                })
                .transpose()?;
            if pps > MAX_AGING_RATE {
                return Err(err(
                    a.path_of("points_per_s"),
                    format!("must be at most {MAX_AGING_RATE}, got {pps}"),
                ));
            }
            Some(Aging {
                points_per_s: non_negative(&a, "points_per_s", pps)?,
                max_points,
            })
        }
    };
    let sl = n.f64("service_level_s", "the service-level threshold in seconds")?;
    let service_level_s = positive(&n, "service_level_s", sl)?;

    let mut steps = Vec::new();
    let mut group_refs = Vec::new();
    let mut current_min = min_proficiency;
    for (sp, st) in n.opt_tables("steps", "an array of step tables")? {
        let s = Node::new(
            &sp,
            st,
            &[
                "after_s",
                "min_proficiency",
                "add_skill",
                "add_skill_min_proficiency",
                "add_group",
            ],
        )?;
        let after_s = s.f64("after_s", "seconds in queue before the step applies")?;
        let after_s = positive(&s, "after_s", after_s)?;
        if let Some(prev) = steps.last().map(|p: &StepSpec| p.after_s) {
            if after_s <= prev {
                return Err(err(
                    s.path_of("after_s"),
                    format!("steps must be in increasing after_s order; {after_s} follows {prev}"),
                ));
            }
        }
        let min_proficiency = s
            .get("min_proficiency")
            .map(|v| proficiency(s.path_of("min_proficiency"), v))
            .transpose()?;
        if let Some(m) = min_proficiency {
            if m >= current_min {
                return Err(err(
                    s.path_of("min_proficiency"),
                    format!("a step can only relax the requirement: must be below {current_min}, got {m}"),
                ));
            }
            current_min = m;
        }
        let add_skill = match s.opt_str("add_skill", "a skill name")? {
            None => {
                if s.has("add_skill_min_proficiency") {
                    return Err(err(
                        s.path_of("add_skill_min_proficiency"),
                        "only valid with add_skill",
                    ));
                }
                None
            }
            Some(skill) => Some(AddedSkill {
                skill: skill.to_string(),
                min_proficiency: s
                    .get("add_skill_min_proficiency")
                    .map(|v| proficiency(s.path_of("add_skill_min_proficiency"), v))
                    .transpose()?
                    .unwrap_or(1),
            }),
        };
        if let Some(a) = &add_skill {
            if let Some(prev) = steps.iter().rev().find_map(|p: &StepSpec| {
                p.add_skill
                    .as_ref()
                    .filter(|p| p.skill == a.skill)
                    .map(|p| p.min_proficiency)
            }) {
                if a.min_proficiency >= prev {
                    return Err(err(
                        s.path_of("add_skill_min_proficiency"),
                        format!(
                            "\"{}\" is already accepted at proficiency {prev} by an earlier step; a step can only relax it",
                            a.skill
                        ),
                    ));
                }
            }
            if a.skill == skill {
                return Err(err(
                    s.path_of("add_skill"),
                    format!(
                        "\"{skill}\" is the queue's own skill; use min_proficiency to relax it"
                    ),
                ));
            }
        }
        let add_group = s
            .opt_str("add_group", "an agent group's name")?
            .map(str::to_string);
        if min_proficiency.is_none() && add_skill.is_none() && add_group.is_none() {
            return Err(err(
                sp,
                "a step must change something: give min_proficiency, add_skill or add_group",
            ));
        }
        steps.push(StepSpec {
            after_s,
            min_proficiency,
            add_skill,
            add_group: None,
        });
        if let Some(g) = add_group {
            group_refs.push((steps.len() - 1, s.path_of("add_group"), g));
        }
    }

    let per_hour = n.opt_f64("arrivals_per_hour", "contacts per hour")?;
    let profile = n.opt_f64_array("arrivals_per_interval", "an array of contacts per interval")?;
    let arrivals = match (per_hour, profile) {
        (Some(_), Some(_)) => {
            return Err(err(
                path,
                "give either arrivals_per_hour or arrivals_per_interval, not both",
            ))
        }
        (None, None) => {
            return Err(err(
                path,
                "missing arrivals: give arrivals_per_hour or arrivals_per_interval with interval_s",
            ))
        }
        (Some(r), None) => {
            if n.has("interval_s") {
                return Err(err(
                    n.path_of("interval_s"),
                    "only valid with arrivals_per_interval",
                ));
            }
            ArrivalRate::Constant {
                per_s: non_negative(&n, "arrivals_per_hour", r)? / 3600.0,
            }
        }
        (None, Some(counts)) => {
            let interval_s = n.f64(
                "interval_s",
                "the length in seconds of each arrivals_per_interval entry",
            )?;
            let interval_s = positive(&n, "interval_s", interval_s)?;
            if let Some((i, v)) = counts.iter().enumerate().find(|(_, v)| **v < 0.0) {
                return Err(err(
                    format!("{}[{i}]", n.path_of("arrivals_per_interval")),
                    format!("must not be negative, got {v}"),
                ));
            }
            let covered = counts.len() as f64 * interval_s;
            if covered < duration_s {
                return Err(err(
                    n.path_of("arrivals_per_interval"),
                    format!(
                        "{} intervals of {interval_s} s cover {covered} s but run.duration_s is {duration_s}; give a value for every interval of the run",
                        counts.len()
                    ),
                ));
            }
            ArrivalRate::Profile {
                interval_s,
                per_s: counts.iter().map(|c| c / interval_s).collect(),
            }
        }
    };
    let handle_time = dist_at(&n, "handle_time", true)?.ok_or_else(|| {
        err(
            n.path_of("handle_time"),
            "missing; expected a distribution like { dist = \"exponential\", mean_s = 240 }",
        )
    })?;
    let patience = dist_at(&n, "patience", true)?;
    let spec = QueueSpec {
        id: id.to_string(),
        skill: skill.to_string(),
        min_proficiency,
        priority,
        aging,
        service_level_s,
        steps,
        arrivals,
        handle_time,
        patience,
    };
    Ok((spec, group_refs))
}

fn parse_group(
    path: &str,
    t: &toml::Table,
    known: &BTreeSet<&str>,
) -> Result<GroupSpec, ScenarioError> {
    let n = Node::new(
        path,
        t,
        &[
            "group", "count", "skills", "start_s", "end_s", "wrap_up", "slots",
        ],
    )?;
    let name = n.str("group", "the group's name, a string")?;
    if name.trim().is_empty() {
        return Err(err(n.path_of("group"), "must not be empty"));
    }
    let count = n.u64("count", "the number of agents, a positive integer")?;
    if count == 0 || count > MAX_GROUP_COUNT {
        return Err(err(
            n.path_of("count"),
            format!(
                "must be 1 to {MAX_GROUP_COUNT}, got {count}; remove the group to model no agents"
            ),
        ));
    }
    let skills_table = n
        .opt_table("skills", "a table of skill = proficiency")?
        .ok_or_else(|| {
            err(
                n.path_of("skills"),
                "missing; expected a table like { billing = 3 }",
            )
        })?;
    if skills_table.is_empty() {
        return Err(err(n.path_of("skills"), "must name at least one skill"));
    }
    let skills_path = n.path_of("skills");
    let mut skills = Vec::with_capacity(skills_table.len());
    for (skill, v) in skills_table {
        let p = decode::join(&skills_path, skill);
        if !known.contains(skill.as_str()) {
            let list: Vec<&str> = known.iter().copied().collect();
            return Err(err(
                p,
                format!(
                    "no queue uses skill \"{skill}\"; known skills are {}",
                    list.join(", ")
                ),
            ));
        }
        skills.push((skill.clone(), proficiency(p, v)?));
    }
    let shift = match (
        n.opt_f64("start_s", "seconds")?,
        n.opt_f64("end_s", "seconds")?,
    ) {
        (None, None) => None,
        (start, end) => {
            let start_s = non_negative(&n, "start_s", start.unwrap_or(0.0))?;
            let end_s = end.unwrap_or(f64::INFINITY);
            if end_s <= start_s {
                return Err(err(
                    n.path_of("end_s"),
                    format!("must be after start_s ({start_s}), got {end_s}"),
                ));
            }
            Some(Shift { start_s, end_s })
        }
    };
    let wrap_up = dist_at(&n, "wrap_up", false)?;
    let slots = match n.opt_u64("slots", "a number of concurrent contacts")? {
        None => 1,
        Some(s) if (1..=MAX_SLOTS).contains(&s) => s as u16,
        Some(s) => {
            return Err(err(
                n.path_of("slots"),
                format!("must be 1 to {MAX_SLOTS}, got {s}"),
            ))
        }
    };
    Ok(GroupSpec {
        name: name.to_string(),
        count: count as u32,
        skills,
        shift,
        wrap_up,
        slots,
    })
}
