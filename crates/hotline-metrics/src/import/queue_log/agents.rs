//! Agent time from a queue_log: sessions (agent login/logoff and queue membership),
//! pauses with reasons and calls, turned into state intervals at the end of the file.
//!
//! Within logged-in time an agent is `busy` while on a call (CONNECT to its end),
//! else `not_ready` while paused (the reason of the latest pause still open), else
//! `ready`. Outside any known login there is no state (a static member never logs
//! in): its call time is counted, not invented into a login.

use std::collections::{BTreeMap, HashMap};

use crate::record::{AgentState, AgentStateInterval};
use crate::time::TimestampMs;

#[derive(Debug, Default)]
struct AgentLog {
    sessions: Vec<(i64, i64)>,
    session_open: Option<i64>,
    memberships: Vec<(i64, i64)>,
    pauses: Vec<(i64, i64, Option<String>)>,
    open_pauses: BTreeMap<String, Option<String>>,
    pause_span: Option<(i64, Option<String>)>,
    busy: Vec<(i64, i64)>,
}

impl AgentLog {
    fn close_pause_span(&mut self, t: i64) {
        if let Some((from, reason)) = self.pause_span.take() {
            if t > from {
                self.pauses.push((from, t, reason));
            }
        }
    }
}

/// Every agent's spells, by the name the log uses.
#[derive(Debug, Default)]
pub(super) struct Agents {
    by_name: HashMap<String, AgentLog>,
    members: HashMap<(String, String), i64>,
}

/// How a logoff was matched.
pub(super) enum Logoff {
    /// To the login in the file.
    Closed,
    /// To a start computed from the logoff's logintime.
    FromLogintime,
    /// To nothing.
    Unknown,
}

/// The agent part of an import.
pub(super) struct AgentsOut {
    pub states: Vec<AgentStateInterval>,
    pub agents_logged_in_at_end: u64,
    pub busy_outside_login_ms: i64,
    pub agents_without_login: Vec<String>,
    pub aliases: BTreeMap<String, String>,
}

impl Agents {
    fn log(&mut self, name: &str) -> &mut AgentLog {
        if !self.by_name.contains_key(name) {
            self.by_name.insert(name.to_owned(), AgentLog::default());
        }
        self.by_name.get_mut(name).expect("inserted above")
    }

    /// Opens a session; false if one is open.
    pub fn login(&mut self, agent: &str, t: i64) -> bool {
        let log = self.log(agent);
        if log.session_open.is_some() {
            return false;
        }
        log.session_open = Some(t);
        true
    }

    pub fn logoff(&mut self, agent: &str, t: i64, logintime_ms: Option<i64>) -> Logoff {
        let log = self.log(agent);
        match (log.session_open.take(), logintime_ms) {
            (Some(from), _) => {
                log.sessions.push((from, t));
                Logoff::Closed
            }
            (None, Some(d)) => {
                log.sessions.push((t - d, t));
                Logoff::FromLogintime
            }
            (None, None) => Logoff::Unknown,
        }
    }

    /// False if already a member.
    pub fn add_member(&mut self, queue: &str, member: &str, t: i64) -> bool {
        self.log(member);
        let key = (queue.to_owned(), member.to_owned());
        if self.members.contains_key(&key) {
            return false;
        }
        self.members.insert(key, t);
        true
    }

    /// False if not a member in this file.
    pub fn remove_member(&mut self, queue: &str, member: &str, t: i64) -> bool {
        match self.members.remove(&(queue.to_owned(), member.to_owned())) {
            Some(from) => {
                self.log(member).memberships.push((from, t));
                true
            }
            None => false,
        }
    }

    pub fn pause(&mut self, agent: &str, key: &str, reason: Option<&str>, t: i64) {
        let log = self.log(agent);
        let was_paused = !log.open_pauses.is_empty();
        log.open_pauses
            .insert(key.to_owned(), reason.map(str::to_owned));
        if !was_paused {
            log.pause_span = Some((t, reason.map(str::to_owned)));
        } else if reason.is_some()
            && log.pause_span.as_ref().map(|(_, r)| r.as_deref()) != Some(reason)
        {
            log.close_pause_span(t);
            log.pause_span = Some((t, reason.map(str::to_owned)));
        }
    }

    /// Ends the pause in queue `key` (`None`: in all queues). An UNPAUSE for a queue
    /// that was not paused on its own ends a PAUSEALL.
    pub fn unpause(&mut self, agent: &str, key: Option<&str>, t: i64) {
        let log = self.log(agent);
        match key {
            None => log.open_pauses.clear(),
            Some(k) => {
                if log.open_pauses.remove(k).is_none() {
                    log.open_pauses.remove("*");
                }
            }
        }
        if log.open_pauses.is_empty() {
            log.close_pause_span(t);
        }
    }

    pub fn busy(&mut self, agent: &str, from: i64, to: i64) {
        if to > from {
            self.log(agent).busy.push((from, to));
        }
    }

    pub fn finish(mut self, end: i64) -> AgentsOut {
        let mut open_at_end: Vec<String> = Vec::new();
        for ((_, member), from) in std::mem::take(&mut self.members) {
            open_at_end.push(member.clone());
            self.log(&member).memberships.push((from, end.max(from)));
        }
        for (name, log) in self.by_name.iter_mut() {
            if let Some(from) = log.session_open.take() {
                open_at_end.push(name.clone());
                log.sessions.push((from, end.max(from)));
            }
            log.close_pause_span(end);
        }
        // PBXware's callback agents: member `Local/1127@callback-agent` is `Agent/1127`.
        let mut aliases = BTreeMap::new();
        for name in self.by_name.keys() {
            if let Some(ext) = name
                .strip_prefix("Local/")
                .and_then(|rest| rest.split_once('@'))
                .map(|(ext, _)| ext)
            {
                let agent = format!("Agent/{ext}");
                if self.by_name.contains_key(&agent) {
                    aliases.insert(name.clone(), agent);
                }
            }
        }
        let mut merged: BTreeMap<String, AgentLog> = BTreeMap::new();
        let still_in_count = {
            let mut v: Vec<&String> = open_at_end
                .iter()
                .map(|n| aliases.get(n).unwrap_or(n))
                .collect();
            v.sort();
            v.dedup();
            v.len() as u64
        };
        for (name, log) in self.by_name {
            let canonical = aliases.get(&name).cloned().unwrap_or(name);
            let m = merged.entry(canonical).or_default();
            m.sessions.extend(log.sessions);
            m.memberships.extend(log.memberships);
            m.pauses.extend(log.pauses);
            m.busy.extend(log.busy);
        }
        let mut out = AgentsOut {
            states: Vec::new(),
            agents_logged_in_at_end: still_in_count,
            busy_outside_login_ms: 0,
            agents_without_login: Vec::new(),
            aliases,
        };
        for (agent, log) in merged {
            if log.sessions.is_empty() && log.memberships.is_empty() && !log.busy.is_empty() {
                out.agents_without_login.push(agent.clone());
            }
            sweep(&agent, &log, &mut out);
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Edge {
    LoginOn,
    LoginOff,
    BusyOn,
    BusyOff,
    PauseOn(usize),
    PauseOff(usize),
}

/// Cuts one agent's time at every edge and names each piece.
fn sweep(agent: &str, log: &AgentLog, out: &mut AgentsOut) {
    let mut edges: Vec<(i64, Edge)> = Vec::new();
    for &(a, b) in log.sessions.iter().chain(&log.memberships) {
        if b > a {
            edges.push((a, Edge::LoginOn));
            edges.push((b, Edge::LoginOff));
        }
    }
    for &(a, b) in &log.busy {
        edges.push((a, Edge::BusyOn));
        edges.push((b, Edge::BusyOff));
    }
    for (i, (a, b, _)) in log.pauses.iter().enumerate() {
        if b > a {
            edges.push((*a, Edge::PauseOn(i)));
            edges.push((*b, Edge::PauseOff(i)));
        }
    }
    edges.sort_unstable();
    let (mut logins, mut busy) = (0i64, 0i64);
    let mut paused: Vec<usize> = Vec::new();
    let mut i = 0;
    let first_state = out.states.len();
    while i < edges.len() {
        let t = edges[i].0;
        while i < edges.len() && edges[i].0 == t {
            match edges[i].1 {
                Edge::LoginOn => logins += 1,
                Edge::LoginOff => logins -= 1,
                Edge::BusyOn => busy += 1,
                Edge::BusyOff => busy -= 1,
                Edge::PauseOn(p) => paused.push(p),
                Edge::PauseOff(p) => paused.retain(|&q| q != p),
            }
            i += 1;
        }
        let Some(&(next, _)) = edges.get(i) else {
            break;
        };
        if logins <= 0 {
            if busy > 0 {
                out.busy_outside_login_ms += next - t;
            }
            continue;
        }
        let (state, reason) = if busy > 0 {
            (AgentState::Busy, None)
        } else if let Some(p) = paused.iter().copied().max_by_key(|&p| (log.pauses[p].0, p)) {
            (AgentState::NotReady, log.pauses[p].2.clone())
        } else {
            (AgentState::Ready, None)
        };
        if let Some(last) = out.states[first_state..].last_mut() {
            if last.to.0 == t && last.state == state && last.reason == reason {
                last.to = TimestampMs(next);
                continue;
            }
        }
        out.states.push(AgentStateInterval {
            agent: agent.to_owned(),
            team: None,
            state,
            reason,
            from: TimestampMs(t),
            to: TimestampMs(next),
        });
    }
}
