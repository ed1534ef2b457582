//! Administration: people (role, tier, team, skills with proficiency), teams with their
//! leader, skills, and queues with their routing settings and steps.
//!
//! The lists are rendered here from the store (through the API's own types); the forms
//! open in a `<dialog>` and the script sends them to the JSON API (`POST`/`PUT`/`DELETE`
//! under `/api/v1/people`, `/teams`, `/skills`, `/queues`). Form inputs are named after
//! the API's fields (`routing_steps[1].action.min`), so a problem document's `field`
//! puts its message next to the input it names.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::response::Response;
use hotline_store::{PersonFilter, Role, Tier};

use super::i18n::{fill, Texts};
use super::page::{self, role_label, Chrome, Section, Viewer};
use crate::api::dto::{PersonOut, QueueOut, SkillOut, StepActionDto, TeamOut, WrapUpDto};
use crate::runtime::entry::Channel;
use crate::state::AppState;

/// Which list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// People.
    People,
    /// Teams.
    Teams,
    /// Skills.
    Skills,
    /// Queues.
    Queues,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::People, Tab::Teams, Tab::Skills, Tab::Queues];

    fn href(self) -> &'static str {
        match self {
            Tab::People => "/admin/people",
            Tab::Teams => "/admin/teams",
            Tab::Skills => "/admin/skills",
            Tab::Queues => "/admin/queues",
        }
    }

    fn label(self, t: &Texts) -> &'static str {
        match self {
            Tab::People => t.tab_people,
            Tab::Teams => t.tab_teams,
            Tab::Skills => t.tab_skills,
            Tab::Queues => t.tab_queues,
        }
    }
}

/// A tab link.
#[derive(Clone, Debug)]
pub struct TabLink {
    /// Link.
    pub href: &'static str,
    /// Text.
    pub label: &'static str,
    /// Shown now.
    pub current: bool,
}

/// A `<select>` option.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Value sent.
    pub value: String,
    /// Text shown.
    pub label: String,
}

fn opt(value: impl ToString, label: impl Into<String>) -> Opt {
    Opt {
        value: value.to_string(),
        label: label.into(),
    }
}

/// The API name and words of each role.
pub fn roles(t: &Texts) -> Vec<Opt> {
    [
        ("admin", Role::Admin),
        ("manager", Role::Manager),
        ("supervisor", Role::Supervisor),
        ("quality", Role::Quality),
        ("trainer", Role::Trainer),
        ("agent", Role::Agent),
    ]
    .into_iter()
    .map(|(v, r)| opt(v, role_label(r, t)))
    .collect()
}

/// A tier's words.
pub fn tier_label(tier: Tier, t: &Texts) -> &'static str {
    match tier {
        Tier::Junior => t.tier_junior,
        Tier::Intermediate => t.tier_intermediate,
        Tier::Senior => t.tier_senior,
        Tier::Expert => t.tier_expert,
    }
}

fn tiers(t: &Texts) -> Vec<Opt> {
    vec![
        opt("junior", t.tier_junior),
        opt("intermediate", t.tier_intermediate),
        opt("senior", t.tier_senior),
        opt("expert", t.tier_expert),
    ]
}

fn channel_label(c: Channel, t: &Texts) -> &'static str {
    match c {
        Channel::Voice => t.channel_voice,
        Channel::Chat => t.channel_chat,
        Channel::Email => t.channel_email,
        Channel::Messaging => t.channel_messaging,
        Channel::Video => t.channel_video,
    }
}

fn channels(t: &Texts) -> Vec<Opt> {
    [
        ("voice", Channel::Voice),
        ("chat", Channel::Chat),
        ("email", Channel::Email),
        ("messaging", Channel::Messaging),
        ("video", Channel::Video),
    ]
    .into_iter()
    .map(|(v, c)| opt(v, channel_label(c, t)))
    .collect()
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

/// One person's row.
#[derive(Clone, Debug)]
pub struct PersonRow {
    /// The person.
    pub p: PersonOut,
    /// Role words.
    pub role: &'static str,
    /// Tier words.
    pub tier: &'static str,
    /// Team name.
    pub team: String,
    /// `Billing 4 · Faults 3`.
    pub skills: String,
    /// The person and their skills for the edit form.
    pub json: String,
    /// Text the search box matches.
    pub search: String,
}

/// One team's row.
#[derive(Clone, Debug)]
pub struct TeamRow {
    /// The team.
    pub team: TeamOut,
    /// Department name.
    pub department: String,
    /// Leader's name.
    pub leader: String,
    /// Members.
    pub members: usize,
    /// For the edit form.
    pub json: String,
}

/// One skill's row.
#[derive(Clone, Debug)]
pub struct SkillRow {
    /// The skill.
    pub skill: SkillOut,
    /// People with it.
    pub people: usize,
    /// For the edit form.
    pub json: String,
}

/// One queue's row.
#[derive(Clone, Debug)]
pub struct QueueAdminRow {
    /// The queue.
    pub q: QueueOut,
    /// Channel words.
    pub channel: &'static str,
    /// `Billing ≥ 3`.
    pub skill: String,
    /// `80 % in 20 s`.
    pub goal: String,
    /// Wrap-up in words.
    pub wrap_up: String,
    /// Steps in words, one per line.
    pub steps: Vec<String>,
    /// For the edit form.
    pub json: String,
}

/// The page (one template, the tab decides which list and form).
#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    /// Layout.
    pub chrome: Chrome,
    /// Texts.
    pub t: &'static Texts,
    /// The list shown.
    pub tab: Tab,
    /// The tabs.
    pub tabs: Vec<TabLink>,
    /// People (people tab).
    pub people: Vec<PersonRow>,
    /// `150 people`.
    pub people_count: String,
    /// Teams (teams tab).
    pub teams: Vec<TeamRow>,
    /// Skills (skills and people tabs).
    pub skills: Vec<SkillRow>,
    /// Queues (queues tab).
    pub queues: Vec<QueueAdminRow>,
    /// Role options.
    pub role_opts: Vec<Opt>,
    /// Tier options.
    pub tier_opts: Vec<Opt>,
    /// Team options.
    pub team_opts: Vec<Opt>,
    /// Department options.
    pub department_opts: Vec<Opt>,
    /// People who can lead a team.
    pub leader_opts: Vec<Opt>,
    /// Skill options.
    pub skill_opts: Vec<Opt>,
    /// Channel options.
    pub channel_opts: Vec<Opt>,
}

impl AdminPage {
    fn is(&self, tab: &Tab) -> bool {
        self.tab == *tab
    }

    /// Tab tests for the template.
    pub fn people_tab(&self) -> bool {
        self.is(&Tab::People)
    }
    /// Teams tab.
    pub fn teams_tab(&self) -> bool {
        self.is(&Tab::Teams)
    }
    /// Skills tab.
    pub fn skills_tab(&self) -> bool {
        self.is(&Tab::Skills)
    }
    /// Queues tab.
    pub fn queues_tab(&self) -> bool {
        self.is(&Tab::Queues)
    }
}

fn step_words(
    action: &StepActionDto,
    skills: &HashMap<i64, String>,
    teams: &HashMap<i64, String>,
    t: &Texts,
) -> String {
    match *action {
        StepActionDto::RelaxProficiency { min } => format!("{} ≥ {min}", t.step_relax),
        StepActionDto::AddSkill { skill_id, min } => format!(
            "{}: {} ≥ {min}",
            t.step_add_skill,
            skills
                .get(&skill_id)
                .cloned()
                .unwrap_or_else(|| format!("#{skill_id}"))
        ),
        StepActionDto::AddTeam { team_id } => format!(
            "{}: {}",
            t.step_add_team,
            teams
                .get(&team_id)
                .cloned()
                .unwrap_or_else(|| format!("#{team_id}"))
        ),
    }
}

async fn gather(
    state: &AppState,
    viewer: &Viewer,
    tab: Tab,
    path: &str,
) -> Result<AdminPage, String> {
    let t = viewer.lang.texts();
    let store = state.store();
    let err = |e: hotline_store::StoreError| e.to_string();
    let people: Vec<PersonOut> = store
        .list_people(&PersonFilter::default())
        .await
        .map_err(err)?
        .into_iter()
        .map(PersonOut::from)
        .collect();
    let teams: Vec<TeamOut> = store
        .list_teams(None)
        .await
        .map_err(err)?
        .into_iter()
        .map(TeamOut::from)
        .collect();
    let skills: Vec<SkillOut> = store
        .list_skills()
        .await
        .map_err(err)?
        .into_iter()
        .map(SkillOut::from)
        .collect();
    let sites: HashMap<i64, String> = store
        .list_sites()
        .await
        .map_err(err)?
        .into_iter()
        .map(|s| (s.id.0, s.name))
        .collect();
    let departments = store.list_departments(None).await.map_err(err)?;
    let person_skills = store.list_all_person_skills().await.map_err(err)?;

    let team_names: HashMap<i64, String> = teams.iter().map(|x| (x.id, x.name.clone())).collect();
    let skill_names: HashMap<i64, String> = skills.iter().map(|x| (x.id, x.name.clone())).collect();
    let person_names: HashMap<i64, String> = people
        .iter()
        .map(|p| (p.id, p.display_name.clone()))
        .collect();
    let dept_names: HashMap<i64, String> = departments
        .iter()
        .map(|d| {
            let site = sites.get(&d.site_id.0).cloned().unwrap_or_default();
            (
                d.id.0,
                if site.is_empty() {
                    d.name.clone()
                } else {
                    format!("{site} · {}", d.name)
                },
            )
        })
        .collect();
    let mut skills_of: HashMap<i64, Vec<(i64, u8)>> = HashMap::new();
    for row in &person_skills {
        skills_of
            .entry(row.person_id.0)
            .or_default()
            .push((row.skill_id.0, row.proficiency.get()));
    }

    let mut page = AdminPage {
        chrome: Chrome::new(viewer, Some(Section::Admin), t.admin_title, path, "admin"),
        t,
        tab,
        tabs: Tab::ALL
            .into_iter()
            .map(|x| TabLink {
                href: x.href(),
                label: x.label(t),
                current: x == tab,
            })
            .collect(),
        people: Vec::new(),
        people_count: fill(t.people_count, &[("n", &people.len().to_string())]),
        teams: Vec::new(),
        skills: Vec::new(),
        queues: Vec::new(),
        role_opts: roles(t),
        tier_opts: tiers(t),
        team_opts: teams.iter().map(|x| opt(x.id, x.name.clone())).collect(),
        department_opts: departments
            .iter()
            .map(|d| opt(d.id.0, dept_names.get(&d.id.0).cloned().unwrap_or_default()))
            .collect(),
        leader_opts: people
            .iter()
            .filter(|p| p.active)
            .map(|p| opt(p.id, format!("{} ({})", p.display_name, p.username)))
            .collect(),
        skill_opts: skills.iter().map(|x| opt(x.id, x.name.clone())).collect(),
        channel_opts: channels(t),
    };
    match tab {
        Tab::People => {
            page.people = people
                .iter()
                .map(|p| {
                    let mut mine = skills_of.get(&p.id).cloned().unwrap_or_default();
                    mine.sort_unstable();
                    let skills_text = mine
                        .iter()
                        .map(|(s, level)| {
                            format!(
                                "{} {level}",
                                skill_names
                                    .get(s)
                                    .cloned()
                                    .unwrap_or_else(|| format!("#{s}"))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let team = p
                        .team_id
                        .and_then(|id| team_names.get(&id).cloned())
                        .unwrap_or_default();
                    let role = role_label(p.role.into(), t);
                    let skills_json: Vec<serde_json::Value> = mine
                        .iter()
                        .map(|(s, level)| serde_json::json!({"skill_id": s, "proficiency": level}))
                        .collect();
                    PersonRow {
                        search: format!("{} {} {} {}", p.display_name, p.username, team, role)
                            .to_lowercase(),
                        json: json(&serde_json::json!({"person": p, "skills": skills_json})),
                        role,
                        tier: tier_label(p.tier.into(), t),
                        team,
                        skills: skills_text,
                        p: p.clone(),
                    }
                })
                .collect();
            page.skills = skills
                .iter()
                .map(|s| SkillRow {
                    skill: s.clone(),
                    people: 0,
                    json: String::new(),
                })
                .collect();
        }
        Tab::Teams => {
            page.teams = teams
                .iter()
                .map(|x| TeamRow {
                    department: dept_names
                        .get(&x.department_id)
                        .cloned()
                        .unwrap_or_default(),
                    leader: x
                        .leader_id
                        .and_then(|id| person_names.get(&id).cloned())
                        .unwrap_or_default(),
                    members: people.iter().filter(|p| p.team_id == Some(x.id)).count(),
                    json: json(x),
                    team: x.clone(),
                })
                .collect();
        }
        Tab::Skills => {
            page.skills = skills
                .iter()
                .map(|s| SkillRow {
                    people: person_skills
                        .iter()
                        .filter(|r| r.skill_id.0 == s.id)
                        .count(),
                    json: json(s),
                    skill: s.clone(),
                })
                .collect();
        }
        Tab::Queues => {
            let queues = store.list_queues().await.map_err(err)?;
            page.queues = queues
                .into_iter()
                .map(QueueOut::from)
                .map(|q| {
                    let s = &q.settings;
                    QueueAdminRow {
                        channel: channel_label(s.channel, t),
                        skill: format!(
                            "{} ≥ {}",
                            skill_names
                                .get(&s.skill_id)
                                .cloned()
                                .unwrap_or_else(|| format!("#{}", s.skill_id)),
                            s.min_proficiency
                        ),
                        goal: format!(
                            "{} ≤ {} {}",
                            super::format::percent_value(s.target_service_level_pct),
                            s.service_level_threshold_s,
                            t.seconds_suffix
                        ),
                        wrap_up: match s.wrap_up {
                            WrapUpDto::Fixed { seconds } => {
                                format!("{} · {seconds} {}", t.wrap_up_fixed, t.seconds_suffix)
                            }
                            WrapUpDto::Manual => t.wrap_up_manual.to_string(),
                        },
                        steps: s
                            .routing_steps
                            .iter()
                            .map(|st| {
                                format!(
                                    "{} {}: {}",
                                    st.after_s,
                                    t.seconds_suffix,
                                    step_words(&st.action, &skill_names, &team_names, t)
                                )
                            })
                            .collect(),
                        json: json(&q),
                        q,
                    }
                })
                .collect();
        }
    }
    Ok(page)
}

async fn show(state: AppState, headers: HeaderMap, path: &str, tab: Tab) -> Response {
    let viewer = match page::require(&state, &headers, path, Section::Admin).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match gather(&state, &viewer, tab, path).await {
        Ok(p) => page::harden(page::render(&p)),
        Err(e) => page::harden(page::failed(&viewer, path, &e)),
    }
}

fn path_of(uri: &axum::http::Uri, default: &'static str) -> String {
    uri.path_and_query()
        .map_or(default, |p| p.as_str())
        .to_string()
}

/// `GET /admin/people`.
pub async fn people(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    show(state, headers, &path_of(&uri, "/admin/people"), Tab::People).await
}

/// `GET /admin/teams`.
pub async fn teams(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    show(state, headers, &path_of(&uri, "/admin/teams"), Tab::Teams).await
}

/// `GET /admin/skills`.
pub async fn skills(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    show(state, headers, &path_of(&uri, "/admin/skills"), Tab::Skills).await
}

/// `GET /admin/queues`.
pub async fn queues(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    show(state, headers, &path_of(&uri, "/admin/queues"), Tab::Queues).await
}
