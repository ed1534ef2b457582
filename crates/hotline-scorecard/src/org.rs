//! The organisation a scorecard cascades over, passed in as plain data: the center,
//! its departments, their teams, their agents. Ids are the names contact records and
//! agent state intervals use (`ContactRecord::team`, `ContactRecord::agent`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Problems, ScorecardError};

/// A level of the cascade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The whole center: the definition itself.
    Center,
    /// A department (its teams' agents; its and its teams' queues).
    Department,
    /// A team (its agents; its queues).
    Team,
    /// One agent (their own records only).
    Agent,
}

impl Level {
    /// Every level, top down.
    pub const ALL: [Level; 4] = [Level::Center, Level::Department, Level::Team, Level::Agent];

    /// `center`, `department`, `team`, `agent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Center => "center",
            Level::Department => "department",
            Level::Team => "team",
            Level::Agent => "agent",
        }
    }

    /// The level named `text`.
    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who owns a scorecard: a level and an id (the center's id is the org's).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OwnerKey {
    /// The level.
    pub level: Level,
    /// The id at that level.
    pub id: String,
}

impl OwnerKey {
    /// `level:id`.
    pub fn new(level: Level, id: impl Into<String>) -> OwnerKey {
        OwnerKey {
            level,
            id: id.into(),
        }
    }
}

impl fmt::Display for OwnerKey {
    /// `team:billing` (the form used as a JSON map key).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.id)
    }
}

impl FromStr for OwnerKey {
    type Err = String;

    fn from_str(s: &str) -> Result<OwnerKey, String> {
        let (level, id) = s
            .split_once(':')
            .ok_or_else(|| format!("{s:?}: expected level:id (team:billing)"))?;
        let level = Level::parse(level).ok_or_else(|| {
            format!("{level:?}: expected a level (center, department, team, agent)")
        })?;
        Ok(OwnerKey::new(level, id))
    }
}

impl Serialize for OwnerKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OwnerKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OwnerKey, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The id records use in `agent`.
    pub id: String,
    /// Display name (empty: the id).
    #[serde(default)]
    pub name: String,
}

/// A team of agents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// The id records use in `team`.
    pub id: String,
    /// Display name (empty: the id).
    #[serde(default)]
    pub name: String,
    /// Queues the team owns: its queue-side KPIs (service level, abandon rate, ASA…)
    /// are computed from contacts of these queues. None: the team has no queue-side
    /// KPIs ("not applicable").
    #[serde(default)]
    pub queues: Vec<String>,
    /// Its agents.
    #[serde(default)]
    pub agents: Vec<Agent>,
}

/// A department: a group of teams.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Its id.
    pub id: String,
    /// Display name (empty: the id); overrides may name the department by it.
    #[serde(default)]
    pub name: String,
    /// Queues the department owns besides its teams' queues.
    #[serde(default)]
    pub queues: Vec<String>,
    /// Its teams.
    #[serde(default)]
    pub teams: Vec<Team>,
}

fn center_id() -> String {
    "center".into()
}

/// The organisation: center → departments → teams → agents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    /// The center's id (default `center`).
    #[serde(default = "center_id")]
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Its departments.
    #[serde(default)]
    pub departments: Vec<Department>,
}

/// One owner of the org, with its place in the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owner {
    /// Level and id.
    pub key: OwnerKey,
    /// Display name (the id when the org gives none).
    pub name: String,
    /// The owner one level up (`None` for the center).
    pub parent: Option<OwnerKey>,
    /// The chain from the center down to this owner's parent.
    pub ancestors: Vec<OwnerKey>,
    /// Queues whose contacts feed its queue-side KPIs (for the center: every queue,
    /// written as an empty list with `all_queues`).
    pub queues: Vec<String>,
    /// Whether it owns every queue (the center).
    pub all_queues: bool,
}

impl Owner {
    /// Whether queue-side KPIs apply (the center, or an owner of queues).
    pub fn has_queues(&self) -> bool {
        self.all_queues || !self.queues.is_empty()
    }
}

/// Records `id` as used at `owner`; a problem at `path` when it was used before (the
/// message names the earlier use).
fn first_use<'a>(
    p: &mut Problems,
    seen: &mut HashMap<&'a str, String>,
    id: &'a str,
    path: String,
    owner: &str,
    allowed: impl FnOnce(&str) -> String,
) {
    if let Some(first) = seen.insert(id, owner.to_owned()) {
        p.push(path, id, allowed(&first));
    }
}

/// Records queue `q` as department `dept`'s (first at `path`); a problem at `path` when
/// another department has it.
fn dept_queue<'a>(
    p: &mut Problems,
    owners: &mut HashMap<&'a str, (usize, String)>,
    q: &'a str,
    dept: usize,
    path: String,
    allowed: impl FnOnce(&str) -> String,
) {
    match owners.get(q) {
        Some((other, first)) if *other != dept => p.push(path, q, allowed(first)),
        Some(_) => {}
        None => {
            owners.insert(q, (dept, path));
        }
    }
}

fn display(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        name.to_owned()
    }
}

impl Org {
    /// An organisation from TOML.
    pub fn from_toml(text: &str) -> Result<Org, ScorecardError> {
        crate::definition::parse_toml(text)
    }

    /// An organisation from JSON.
    pub fn from_json(text: &str) -> Result<Org, ScorecardError> {
        crate::definition::parse_json(text)
    }

    /// Checks ids: non-empty, departments unique by id, teams and agents unique
    /// across the center, an agent in one team, a queue owned by one team and one
    /// department at most (a team's queue belongs to its department).
    pub fn validate(&self) -> Result<(), ScorecardError> {
        let mut p = Problems::default();
        let nonempty = |p: &mut Problems, path: String, id: &str| {
            if id.trim().is_empty() || id.chars().any(char::is_control) {
                p.push(path, id, "a non-empty id without control characters");
            }
        };
        nonempty(&mut p, "org.id".into(), &self.id);
        let mut depts: HashMap<&str, String> = HashMap::new();
        let mut teams: HashMap<&str, String> = HashMap::new();
        let mut agents: HashMap<&str, String> = HashMap::new();
        let mut queue_team: HashMap<&str, String> = HashMap::new();
        let mut queue_dept: HashMap<&str, (usize, String)> = HashMap::new();
        for (di, d) in self.departments.iter().enumerate() {
            let dp = format!("org.departments[{di}]");
            nonempty(&mut p, format!("{dp}.id"), &d.id);
            first_use(
                &mut p,
                &mut depts,
                &d.id,
                format!("{dp}.id"),
                &dp,
                |first| format!("a department id not used before (also {first})"),
            );
            for (qi, q) in d.queues.iter().enumerate() {
                dept_queue(
                    &mut p,
                    &mut queue_dept,
                    q,
                    di,
                    format!("{dp}.queues[{qi}]"),
                    |first| format!("a queue no other department owns (also {first})"),
                );
            }
            for (ti, t) in d.teams.iter().enumerate() {
                let tp = format!("{dp}.teams[{ti}]");
                nonempty(&mut p, format!("{tp}.id"), &t.id);
                first_use(
                    &mut p,
                    &mut teams,
                    &t.id,
                    format!("{tp}.id"),
                    &tp,
                    |first| format!("a team id not used before in the center (also {first})"),
                );
                for (qi, q) in t.queues.iter().enumerate() {
                    let path = format!("{tp}.queues[{qi}]");
                    if let Some(first) = queue_team.get(q.as_str()) {
                        p.push(
                            path.clone(),
                            q,
                            format!("a queue no other team owns (also {first})"),
                        );
                    } else {
                        queue_team.insert(q, path.clone());
                    }
                    dept_queue(&mut p, &mut queue_dept, q, di, path, |first| {
                        format!("a queue of this team's department only (also owned by {first})")
                    });
                }
                for (ai, a) in t.agents.iter().enumerate() {
                    let ap = format!("{tp}.agents[{ai}]");
                    nonempty(&mut p, format!("{ap}.id"), &a.id);
                    first_use(
                        &mut p,
                        &mut agents,
                        &a.id,
                        format!("{ap}.id"),
                        &ap,
                        |first| format!("an agent in one team only (also {first})"),
                    );
                }
            }
        }
        p.finish()
    }

    /// Every owner, top down in tree order: the center, then each department followed
    /// by each of its teams followed by the team's agents.
    pub fn owners(&self) -> Vec<Owner> {
        let center = OwnerKey::new(Level::Center, &self.id);
        let mut out = vec![Owner {
            key: center.clone(),
            name: display(&self.name, &self.id),
            parent: None,
            ancestors: Vec::new(),
            queues: Vec::new(),
            all_queues: true,
        }];
        for d in &self.departments {
            let dk = OwnerKey::new(Level::Department, &d.id);
            let mut dq = d.queues.clone();
            for t in &d.teams {
                for q in &t.queues {
                    if !dq.contains(q) {
                        dq.push(q.clone());
                    }
                }
            }
            out.push(Owner {
                key: dk.clone(),
                name: display(&d.name, &d.id),
                parent: Some(center.clone()),
                ancestors: vec![center.clone()],
                queues: dq,
                all_queues: false,
            });
            for t in &d.teams {
                let tk = OwnerKey::new(Level::Team, &t.id);
                out.push(Owner {
                    key: tk.clone(),
                    name: display(&t.name, &t.id),
                    parent: Some(dk.clone()),
                    ancestors: vec![center.clone(), dk.clone()],
                    queues: t.queues.clone(),
                    all_queues: false,
                });
                for a in &t.agents {
                    out.push(Owner {
                        key: OwnerKey::new(Level::Agent, &a.id),
                        name: display(&a.name, &a.id),
                        parent: Some(tk.clone()),
                        ancestors: vec![center.clone(), dk.clone(), tk.clone()],
                        queues: Vec::new(),
                        all_queues: false,
                    });
                }
            }
        }
        out
    }

    /// Agent id → team id.
    pub fn agent_teams(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        for d in &self.departments {
            for t in &d.teams {
                for a in &t.agents {
                    m.insert(a.id.clone(), t.id.clone());
                }
            }
        }
        m
    }

    /// Team id → department id.
    pub fn team_departments(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        for d in &self.departments {
            for t in &d.teams {
                m.insert(t.id.clone(), d.id.clone());
            }
        }
        m
    }

    /// Queue → owning team, and queue → owning department.
    pub fn queue_owners(&self) -> (HashMap<String, String>, HashMap<String, String>) {
        let mut team = HashMap::new();
        let mut dept = HashMap::new();
        for d in &self.departments {
            for q in &d.queues {
                dept.insert(q.clone(), d.id.clone());
            }
            for t in &d.teams {
                for q in &t.queues {
                    team.insert(q.clone(), t.id.clone());
                    dept.insert(q.clone(), d.id.clone());
                }
            }
        }
        (team, dept)
    }

    /// The id of the department `text` names: by id, else by name when exactly one
    /// department has that name. `Err` lists the allowed values.
    pub fn department_named(&self, text: &str) -> Result<&str, String> {
        if let Some(d) = self.departments.iter().find(|d| d.id == text) {
            return Ok(&d.id);
        }
        let by_name: Vec<&Department> =
            self.departments.iter().filter(|d| d.name == text).collect();
        match by_name.as_slice() {
            [d] => Ok(&d.id),
            [] => Err(format!(
                "a department id or name: {}",
                list(self.departments.iter().map(|d| d.id.as_str()))
            )),
            _ => Err(format!(
                "a department id (the name {text:?} is used by {} departments)",
                by_name.len()
            )),
        }
    }

    /// Whether a team with this id exists; `Err` lists the teams.
    pub fn team(&self, id: &str) -> Result<(), String> {
        let all = self.departments.iter().flat_map(|d| &d.teams);
        if all.clone().any(|t| t.id == id) {
            Ok(())
        } else {
            Err(format!("a team id: {}", list(all.map(|t| t.id.as_str()))))
        }
    }

    /// Whether an agent with this id exists; `Err` names a few.
    pub fn agent(&self, id: &str) -> Result<(), String> {
        let all = self
            .departments
            .iter()
            .flat_map(|d| &d.teams)
            .flat_map(|t| &t.agents);
        if all.clone().any(|a| a.id == id) {
            Ok(())
        } else {
            Err(format!(
                "an agent id of the org: {}",
                list(all.map(|a| a.id.as_str()))
            ))
        }
    }

    /// Owners by key, for lookups.
    pub fn owner_index(&self) -> BTreeMap<OwnerKey, Owner> {
        self.owners()
            .into_iter()
            .map(|o| (o.key.clone(), o))
            .collect()
    }
}

/// At most 20 ids, comma-separated, with a count of the rest.
fn list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return "(none in the org)".into();
    }
    let shown = ids.iter().take(20).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > 20 {
        format!("{shown} … ({} more)", ids.len() - 20)
    } else {
        shown
    }
}
