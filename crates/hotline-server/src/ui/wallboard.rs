//! The wallboard: the centre's headline figures, every queue against its targets, and
//! every logged-in agent with state, reason and time in state.
//!
//! The page and its live updates are drawn by the same template from the same document
//! the wallboard stream sends (`GET /api/v1/stream/wallboard`, a [`Wallboard`]). The
//! script listens to that stream and, when a new document arrives, fetches
//! `/wallboard/board` — this module's rendering of the latest document — and swaps it in
//! (at most once a second). Times in state and the oldest waits tick in the browser
//! between documents.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::format::{self, Status};
use super::i18n::{fill, Texts};
use super::page::{self, Chrome, Section};
use super::svg::{self, Segment};
use crate::api::dto::{AgentOut, AgentStateName, QueueRealtime, Wallboard};
use crate::api::live;
use crate::state::AppState;

/// One headline figure.
#[derive(Clone, Debug)]
pub struct Kpi {
    /// What it is.
    pub label: &'static str,
    /// The figure.
    pub value: String,
    /// Against its target.
    pub status: Status,
    /// A line under it (definition, target).
    pub note: String,
    /// Stable name for scripts and tests (`waiting` …).
    pub key: &'static str,
}

/// One queue's row.
#[derive(Clone, Debug)]
pub struct QueueRow {
    /// Queue id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Has priority points (the VIP queue).
    pub priority: bool,
    /// Waiting now.
    pub waiting: u32,
    /// "3 callbacks" when some wait as callbacks.
    pub callbacks: Option<String>,
    /// Longest wait now, ms (ticks in the browser while someone waits).
    pub oldest_ms: Option<u64>,
    /// It, formatted.
    pub oldest: String,
    /// Against the threshold.
    pub wait_status: Status,
    /// Service level (answered within T / offered), formatted.
    pub sl: String,
    /// Against the target.
    pub sl_status: Status,
    /// The bar.
    pub sl_svg: String,
    /// The definition in words (`answered within 20 s ÷ offered`).
    pub sl_definition: String,
    /// The other two definitions (`of answered 95.0 % · SL2 93.1 %`).
    pub sl_others: String,
    /// Their full definitions, for the tooltip.
    pub sl_others_title: String,
    /// `target 80 %`.
    pub sl_target: String,
    /// Average speed of answer.
    pub asa: String,
    /// Abandoned / offered.
    pub abandon: String,
    /// Against 5 % / 10 %.
    pub abandon_status: Status,
    /// Offered today.
    pub offered: u64,
    /// Answered today.
    pub answered: u64,
    /// `3 free of 12`.
    pub agents: String,
    /// Estimated wait for a new contact.
    pub ewt: String,
}

/// One agent's tile.
#[derive(Clone, Debug)]
pub struct AgentTile {
    /// Agent id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Team name.
    pub team: String,
    /// Team id.
    pub team_id: Option<i64>,
    /// CSS class of the state (`on_contact`).
    pub state_class: &'static str,
    /// State in words.
    pub state: &'static str,
    /// Not-ready reason in words.
    pub reason: Option<String>,
    /// Time in state, ms (ticks in the browser).
    pub time_ms: Option<u64>,
    /// It, formatted.
    pub time: String,
    /// "2 contacts" for multi-slot agents holding several.
    pub holding: Option<String>,
}

/// A legend entry of the floor bar.
#[derive(Clone, Debug)]
pub struct Legend {
    /// CSS class.
    pub class: &'static str,
    /// State in words.
    pub label: String,
    /// How many.
    pub count: u32,
}

/// A team filter link above the agents.
#[derive(Clone, Debug)]
pub struct TeamChip {
    /// `/wallboard?team=3`.
    pub href: String,
    /// Name and how many of its agents are logged in.
    pub label: String,
    /// The filter in force.
    pub current: bool,
}

/// Everything the board shows.
#[derive(Clone, Debug)]
pub struct Board {
    /// Team filter (empty when fewer than two teams have agents logged in).
    pub teams: Vec<TeamChip>,
    /// "Counting since …".
    pub since: String,
    /// When the figures were taken (time of day).
    pub at: String,
    /// The headline.
    pub kpis: Vec<Kpi>,
    /// Queues.
    pub queues: Vec<QueueRow>,
    /// Agents by state, drawn.
    pub floor_svg: String,
    /// Its legend.
    pub floor: Vec<Legend>,
    /// Logged-in agents.
    pub agents: Vec<AgentTile>,
}

/// The state's CSS class and words.
pub fn state_words(state: AgentStateName, t: &Texts) -> (&'static str, &'static str) {
    match state {
        AgentStateName::LoggedOut => ("logged_out", t.state_logged_out),
        AgentStateName::Ready => ("ready", t.state_ready),
        AgentStateName::Offered => ("offered", t.state_offered),
        AgentStateName::OnContact => ("on_contact", t.state_on_contact),
        AgentStateName::WrapUp => ("wrap_up", t.state_wrap_up),
        AgentStateName::NotReady => ("not_ready", t.state_not_ready),
    }
}

/// A not-ready reason's words (`lunch` → "Lunch").
pub fn reason_words(name: &str, t: &Texts) -> String {
    let known = match name {
        "break" => t.reason_break,
        "lunch" => t.reason_lunch,
        "meeting" => t.reason_meeting,
        "training" => t.reason_training,
        "coaching" => t.reason_coaching,
        "back_office" => t.reason_back_office,
        "outbound" => t.reason_outbound,
        "technical_problem" => t.reason_technical_problem,
        "personal" => t.reason_personal,
        "logged_in" => t.reason_logged_in,
        "rejected" => t.reason_rejected,
        "no_answer" => t.reason_no_answer,
        other => {
            let code = other.strip_prefix("reason_").unwrap_or(other);
            return fill(t.reason_other, &[("code", code)]);
        }
    };
    known.to_string()
}

/// Where a state sorts on the board: the busiest first.
fn state_rank(s: AgentStateName) -> u8 {
    match s {
        AgentStateName::Offered => 0,
        AgentStateName::OnContact => 1,
        AgentStateName::WrapUp => 2,
        AgentStateName::Ready => 3,
        AgentStateName::NotReady => 4,
        AgentStateName::LoggedOut => 5,
    }
}

fn sum<F: Fn(&QueueRealtime) -> u64>(qs: &[QueueRealtime], f: F) -> u64 {
    qs.iter().map(f).sum()
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Builds the board from a wallboard document. `teams` names the teams; `zone` is the
/// centre's time zone.
pub fn board(w: &Wallboard, teams: &HashMap<i64, String>, t: &Texts, zone: &str) -> Board {
    let qs = &w.queues;
    let offered = sum(qs, |q| q.offered);
    let answered = sum(qs, |q| q.answered);
    let within = sum(qs, |q| q.answered_within_threshold);
    let abandoned = sum(qs, |q| q.abandoned);
    let waiting: u64 = qs.iter().map(|q| u64::from(q.waiting)).sum();
    // The centre's target: the queues' targets weighted by what they were offered.
    let target = if offered > 0 {
        qs.iter()
            .map(|q| {
                q.target_service_level_pct
                    .unwrap_or(format::DEFAULT_SL_TARGET_PCT)
                    * q.offered as f64
            })
            .sum::<f64>()
            / offered as f64
    } else {
        qs.iter()
            .map(|q| {
                q.target_service_level_pct
                    .unwrap_or(format::DEFAULT_SL_TARGET_PCT)
            })
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
            .unwrap_or(format::DEFAULT_SL_TARGET_PCT)
    };
    let asa_total: u64 = qs.iter().map(|q| q.asa_ms.unwrap_or(0) * q.answered).sum();
    let asa = (answered > 0).then(|| asa_total / answered);
    let oldest_all = qs.iter().filter_map(|q| q.oldest_wait_ms).max();
    let center_sl = ratio(within, offered);
    let answer_rate = ratio(answered, offered);
    let abandon_rate = ratio(abandoned, offered);
    let totals = &w.totals;
    let kpis = vec![
        Kpi {
            key: "waiting",
            label: t.kpi_waiting,
            value: waiting.to_string(),
            status: if waiting == 0 {
                Status::Good
            } else {
                // The worst queue's oldest wait decides.
                qs.iter()
                    .map(|q| {
                        format::wait_status(
                            q.oldest_wait_ms,
                            q.service_level_threshold_s.unwrap_or(20),
                        )
                    })
                    .max_by_key(|s| match s {
                        Status::Bad => 3,
                        Status::Warn => 2,
                        Status::Good => 1,
                        Status::NoData => 0,
                    })
                    .unwrap_or(Status::Good)
            },
            note: format!("{} {}", t.col_oldest_wait, format::clock_opt(oldest_all)),
        },
        Kpi {
            key: "service_level",
            label: t.kpi_service_level,
            value: format::percent(center_sl),
            status: format::service_level_status(center_sl, target),
            note: fill(t.sl_target, &[("pct", &format::percent_value(target))]),
        },
        Kpi {
            key: "answer_rate",
            label: t.kpi_answer_rate,
            value: format::percent(answer_rate),
            status: format::abandon_status(abandon_rate),
            note: format!("{answered} / {offered}"),
        },
        Kpi {
            key: "abandoned",
            label: t.kpi_abandoned,
            value: format::percent(abandon_rate),
            status: format::abandon_status(abandon_rate),
            note: format!("{abandoned} / {offered}"),
        },
        Kpi {
            key: "asa",
            label: t.kpi_asa,
            value: format::seconds_opt(asa),
            status: Status::NoData,
            note: String::new(),
        },
        Kpi {
            key: "available",
            label: t.kpi_agents_available,
            value: totals.available.to_string(),
            status: if totals.online == 0 {
                Status::NoData
            } else if totals.available == 0 && waiting > 0 {
                Status::Bad
            } else {
                Status::Good
            },
            note: fill(
                t.agents_available_of,
                &[
                    ("available", &totals.available.to_string()),
                    ("online", &totals.online.to_string()),
                ],
            ),
        },
    ];
    let queues = qs.iter().map(|q| queue_row(q, t)).collect();

    let not_ready: u32 = totals.not_ready.iter().map(|r| r.count).sum();
    let floor_parts = [
        ("ready", t.state_ready, totals.available),
        ("offered", t.state_offered, totals.offered),
        ("on_contact", t.state_on_contact, totals.on_contact),
        ("wrap_up", t.state_wrap_up, totals.wrap_up),
        ("not_ready", t.state_not_ready, not_ready),
    ];
    let summary: Vec<String> = floor_parts
        .iter()
        .map(|(_, l, n)| format!("{l} {n}"))
        .collect();
    let floor_svg = svg::stacked_bar(
        &floor_parts
            .iter()
            .map(|(class, _, count)| Segment {
                class,
                count: *count,
            })
            .collect::<Vec<_>>(),
        &fill(t.floor_chart_label, &[("summary", &summary.join(", "))]),
    );
    let mut floor: Vec<Legend> = floor_parts
        .iter()
        .map(|(class, label, count)| Legend {
            class,
            label: (*label).to_string(),
            count: *count,
        })
        .collect();
    // Not ready, split by reason, in the legend.
    floor.pop();
    let mut reasons: Vec<_> = totals.not_ready.iter().filter(|r| r.count > 0).collect();
    reasons.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    for r in reasons {
        floor.push(Legend {
            class: "not_ready",
            label: format!("{} · {}", t.state_not_ready, reason_words(&r.reason, t)),
            count: r.count,
        });
    }

    let mut agents: Vec<&AgentOut> = w.agents.iter().collect();
    agents.sort_by(|a, b| {
        state_rank(a.state.state)
            .cmp(&state_rank(b.state.state))
            .then(b.time_in_state_ms.cmp(&a.time_in_state_ms))
            .then(a.agent_id.cmp(&b.agent_id))
    });
    let agents = agents
        .into_iter()
        .map(|a| {
            let (state_class, state) = state_words(a.state.state, t);
            AgentTile {
                id: a.agent_id,
                name: a
                    .display_name
                    .clone()
                    .unwrap_or_else(|| format!("#{}", a.agent_id)),
                team_id: a.team_id,
                team: a
                    .team_id
                    .and_then(|id| teams.get(&id).cloned())
                    .unwrap_or_default(),
                state_class,
                state,
                reason: a.state.reason.as_deref().map(|r| reason_words(r, t)),
                time_ms: a.time_in_state_ms,
                time: format::clock_opt(a.time_in_state_ms),
                holding: (a.contacts.len() > 1)
                    .then(|| fill(t.holding_contacts, &[("n", &a.contacts.len().to_string())])),
            }
        })
        .collect();
    Board {
        teams: Vec::new(),
        since: fill(
            t.counters_since,
            &[("time", &format::time_of_day(&w.counters_since, zone))],
        ),
        at: format::time_of_day(&w.at, zone),
        kpis,
        queues,
        floor_svg,
        floor,
        agents,
    }
}

fn queue_row(q: &QueueRealtime, t: &Texts) -> QueueRow {
    let threshold = q.service_level_threshold_s.unwrap_or(20);
    let target = q
        .target_service_level_pct
        .unwrap_or(format::DEFAULT_SL_TARGET_PCT);
    let sl = q.service_level.of_offered;
    let sl_status = format::service_level_status(sl, target);
    let th = threshold.to_string();
    let target_text = format::percent_value(target);
    QueueRow {
        id: q.queue_id,
        name: q.name.clone().unwrap_or_else(|| format!("#{}", q.queue_id)),
        priority: false,
        waiting: q.waiting,
        callbacks: (q.waiting_callbacks > 0).then(|| {
            fill(
                t.waiting_callbacks,
                &[("n", &q.waiting_callbacks.to_string())],
            )
        }),
        oldest_ms: q.oldest_wait_ms,
        oldest: format::clock_opt(q.oldest_wait_ms),
        // Nobody waiting: nothing to judge (a plain dash, not a green tick).
        wait_status: if q.oldest_wait_ms.is_none() {
            Status::NoData
        } else {
            format::wait_status(q.oldest_wait_ms, threshold)
        },
        sl: format::percent(sl),
        sl_status,
        sl_svg: svg::service_level_bar(
            sl,
            target,
            sl_status,
            &fill(
                t.sl_chart_label,
                &[("value", &format::percent(sl)), ("target", &target_text)],
            ),
        ),
        sl_definition: fill(t.sl_of_offered_def, &[("t", &th)]),
        sl_others: format!(
            "{} {} · {} {}",
            t.sl_of_answered_short,
            format::percent(q.service_level.of_answered),
            t.sl_sl2_short,
            format::percent(q.service_level.asterisk_sl2)
        ),
        sl_others_title: format!(
            "{}: {} — {}: {}",
            t.sl_of_answered_short,
            fill(t.sl_of_answered_def, &[("t", &th)]),
            t.sl_sl2_short,
            fill(t.sl_sl2_def, &[("t", &th)])
        ),
        sl_target: fill(t.sl_target, &[("pct", &target_text)]),
        asa: format::seconds_opt(q.asa_ms),
        abandon: format::percent(q.abandon_rate),
        abandon_status: format::abandon_status(q.abandon_rate),
        offered: q.offered,
        answered: q.answered,
        agents: fill(
            t.agents_available_of,
            &[
                ("available", &q.agents.available.to_string()),
                ("online", &q.agents.online.to_string()),
            ],
        ),
        ewt: format::clock_opt(q.estimated_wait_ms),
    }
}

/// The page.
#[derive(Template)]
#[template(path = "wallboard.html")]
pub struct WallboardPage {
    /// Layout.
    pub chrome: Chrome,
    /// Texts.
    pub t: &'static Texts,
    /// The board.
    pub board: Board,
    /// Where the script fetches the board (with the team filter).
    pub fragment_url: String,
}

/// The board alone, for the live updates.
#[derive(Template)]
#[template(path = "wallboard_board.html")]
pub struct BoardFragment {
    /// Texts.
    pub t: &'static Texts,
    /// The board.
    pub board: Board,
}

/// The latest wallboard document: the one the stream last sent, or a fresh one while the
/// publisher has not produced any yet.
async fn latest(state: &AppState) -> Result<Arc<Wallboard>, String> {
    if let Some(w) = state.wallboard().borrow().clone() {
        return Ok(w);
    }
    let mut w = state
        .runtime()
        .query(live::wallboard)
        .await
        .map_err(|e| e.to_string())?;
    live::name_wallboard(&mut w, &state.directory());
    Ok(Arc::new(w))
}

/// `?team=` on the wallboard: only that team's agents.
#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    team: Option<i64>,
}

/// Keeps the agents of `team` (all when `None`) and lists the teams to filter by.
pub fn filter_team(b: &mut Board, teams: &HashMap<i64, String>, team: Option<i64>, t: &Texts) {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for a in &b.agents {
        if let Some(id) = a.team_id {
            *counts.entry(id).or_default() += 1;
        }
    }
    if counts.len() >= 2 || team.is_some() {
        let mut chips: Vec<(String, i64)> = counts
            .keys()
            .map(|id| {
                (
                    teams.get(id).cloned().unwrap_or_else(|| format!("#{id}")),
                    *id,
                )
            })
            .collect();
        chips.sort();
        b.teams.push(TeamChip {
            href: "/wallboard".into(),
            label: format!("{} ({})", t.all_teams, b.agents.len()),
            current: team.is_none(),
        });
        for (name, id) in chips {
            b.teams.push(TeamChip {
                href: format!("/wallboard?team={id}"),
                label: format!("{name} ({})", counts[&id]),
                current: team == Some(id),
            });
        }
    }
    if let Some(team) = team {
        b.agents.retain(|a| a.team_id == Some(team));
    }
}

async fn build(state: &AppState, t: &Texts, team: Option<i64>) -> Result<Board, String> {
    let w = latest(state).await?;
    let directory = state.directory();
    let teams = &directory.teams;
    let priorities: HashMap<i64, bool> = directory
        .queues
        .iter()
        .map(|(id, s)| (*id, s.base_priority > 0))
        .collect();
    let mut b = board(&w, teams, t, &state.settings().time_zone);
    for q in &mut b.queues {
        q.priority = priorities.get(&i64::from(q.id)).copied().unwrap_or(false);
    }
    filter_team(&mut b, teams, team, t);
    Ok(b)
}

/// `GET /wallboard`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<BoardQuery>,
) -> Response {
    let path = uri.path_and_query().map_or("/wallboard", |p| p.as_str());
    let viewer = match page::require(&state, &headers, path, Section::Wallboard).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = viewer.lang.texts();
    let board = match build(&state, t, q.team).await {
        Ok(b) => b,
        Err(e) => return page::harden(page::failed(&viewer, path, &e)),
    };
    page::harden(page::render(&WallboardPage {
        chrome: Chrome::new(
            &viewer,
            Some(Section::Wallboard),
            t.wallboard_title,
            path,
            "wallboard",
        ),
        t,
        board,
        fragment_url: match q.team {
            Some(team) => format!("/wallboard/board?team={team}"),
            None => "/wallboard/board".into(),
        },
    }))
}

/// `GET /wallboard/board`: the board alone (for the script).
pub async fn fragment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BoardQuery>,
) -> Response {
    let viewer = match page::require_fragment(&state, &headers, Section::Wallboard).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = viewer.lang.texts();
    match build(&state, t, q.team).await {
        Ok(board) => match (BoardFragment { t, board }).render() {
            Ok(html) => page::harden(Html(html).into_response()),
            Err(e) => {
                tracing::error!(error = %e, "rendering the wallboard failed");
                axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        Err(e) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, e).into_response(),
    }
}
