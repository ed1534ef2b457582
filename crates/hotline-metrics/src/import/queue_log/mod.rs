//! Asterisk `queue_log`: `epoch|callid|queue|agent|EVENT|data1|data2|…`, the file
//! app_queue appends to (Asterisk's "Queue Logs" documentation; `apps/app_queue.c`).
//!
//! Out come one contact record per queue entry of a call (a call that enters two
//! queues gives two, ids `callid` and `callid#2`) and agent state intervals (logged in,
//! paused with reason, on a call). What the parser does with each event:
//! [`EVENTS_DOC`] (also in `docs/kpis.md`).
//!
//! Quirks handled: a final event whose ENTERQUEUE is not in the file (the log started
//! mid-call) rebuilds the call from the event's own durations and marks it
//! `reconstructed`; calls still open at the end of the file are listed as incomplete
//! (not records: a later, longer copy of the log will finish them under the same id);
//! well-formed events that do not fit their call are listed as anomalies; malformed
//! lines are rejects with their line number.

mod agents;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::record::{AgentStateInterval, Channel, ContactRecord, Outcome};
use crate::reject::Reject;
use crate::time::{parse_decimal_ms, DurationMs, TimestampMs};

use agents::Agents;

/// What the parser does with each event (Markdown).
pub const EVENTS_DOC: &str = r#"| event | data | effect |
|---|---|---|
| ENTERQUEUE | url, callerid, position | a queued call starts |
| RINGNOANSWER / RINGCANCELED | ring time (ms) | counted on the call |
| CONNECT | holdtime, bridged uniqueid, ringtime | answered by `agent` |
| COMPLETEAGENT / COMPLETECALLER | holdtime, calltime, origposition | answered, ended by agent/caller |
| TRANSFER, BLINDTRANSFER | extension, context, holdtime, calltime, origposition | answered, transferred out |
| ATTENDEDTRANSFER | BRIDGE\|APP, target, holdtime, calltime, origposition (LINK: two channels) | answered, transferred out |
| ABANDON | position, origposition, waittime | abandoned |
| EXITWITHTIMEOUT / EXITEMPTY | position, origposition, waittime | flow-out (`queue_exit` timeout / empty) |
| EXITWITHKEY | key, position, origposition, waittime | flow-out (`queue_exit` key) |
| AGENTLOGIN, AGENTCALLBACKLOGIN / …LOGOFF | channel / channel, logintime | agent session |
| ADDMEMBER / REMOVEMEMBER | | queue membership (counts as logged in) |
| PAUSE / UNPAUSE, PAUSEALL / UNPAUSEALL | reason | not ready with reason |
| QUEUESTART, CONFIGRELOAD, AGENTDUMP, SYSCOMPAT, PENALTY, DID | | counted, no effect |
| anything else (PBXware's OUTDIAL, OUTANSWER, …) | | skipped and counted by name |
"#;

/// Events with no effect on records or states, counted like all others.
const NO_EFFECT: [&str; 6] = [
    "QUEUESTART",
    "CONFIGRELOAD",
    "AGENTDUMP",
    "SYSCOMPAT",
    "PENALTY",
    "DID",
];

/// A call still in the queue (or still talking) when the file ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncompleteCall {
    /// The contact id it would have had.
    pub contact_id: String,
    /// Its queue.
    pub queue: String,
    /// Line of its first event in the file.
    pub line: u64,
    /// Its last event.
    pub last_event: String,
    /// When it entered the queue.
    pub arrived_at: TimestampMs,
    /// When an agent answered, if one did.
    pub answered_at: Option<TimestampMs>,
    /// That agent.
    pub agent: Option<String>,
}

/// Counts and notes of a queue_log import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QueueLogStats {
    /// Lines read, blank ones included.
    pub lines: u64,
    /// Blank lines.
    pub blank_lines: u64,
    /// Well-formed lines by event name.
    pub events: BTreeMap<String, u64>,
    /// Events skipped because Hotline does not know them (vendor events), by name.
    pub skipped: BTreeMap<String, u64>,
    /// Queue entries (ENTERQUEUE, plus calls rebuilt from a later event).
    pub calls: u64,
    /// Records by outcome (`answered`, `abandoned`, `transferred_out`).
    pub outcomes: BTreeMap<String, u64>,
    /// Flow-outs by reason (`timeout`, `empty`, `key`).
    pub flow_outs: BTreeMap<String, u64>,
    /// Calls answered and then transferred by the agent.
    pub transferred_after_answer: u64,
    /// Calls whose ENTERQUEUE was not in the file, rebuilt from a later event.
    pub reconstructed: u64,
    /// Calls whose times contradict each other (lines out of order): no record, an
    /// anomaly each.
    pub dropped: u64,
    /// Calls cut off by the end of the file (or re-entering the same queue before a
    /// final event): no record.
    pub incomplete: Vec<IncompleteCall>,
    /// Well-formed events that did not fit their call (ignored), with line and reason.
    pub anomalies: Vec<Reject>,
    /// Agents still logged in (a login or a queue membership open) at the end of the
    /// file; their time is closed there.
    pub agents_logged_in_at_end: u64,
    /// Logoffs without a login in the file, whose start came from their logintime.
    pub sessions_from_logintime: u64,
    /// Time agents spent on calls outside any known login (no state interval), in ms.
    pub busy_outside_login_ms: i64,
    /// Agents who handled calls but never appear logged in (static members).
    pub agents_without_login: Vec<String>,
    /// Queue members renamed to the agent they stand for (`Local/1127@callback-agent`
    /// → `Agent/1127`).
    pub member_aliases: BTreeMap<String, String>,
}

impl QueueLogStats {
    /// The counts an import run keeps beside its records (the `notes` of the store's
    /// `imports` row), named for the people who read them.
    pub fn notes(&self) -> Map<String, Value> {
        let mut notes = Map::new();
        notes.insert("lines".into(), json!(self.lines));
        notes.insert("calls".into(), json!(self.calls));
        notes.insert("outcomes".into(), json!(self.outcomes));
        notes.insert("flow_outs".into(), json!(self.flow_outs));
        notes.insert(
            "transferred_after_answer".into(),
            json!(self.transferred_after_answer),
        );
        notes.insert("vendor_events_skipped".into(), json!(self.skipped));
        notes.insert("cut_off_calls".into(), json!(self.incomplete));
        notes.insert("reconstructed".into(), json!(self.reconstructed));
        notes.insert("dropped".into(), json!(self.dropped));
        notes.insert("anomalies".into(), json!(self.anomalies));
        notes.insert(
            "agents_logged_in_at_end".into(),
            json!(self.agents_logged_in_at_end),
        );
        notes.insert(
            "agents_without_login".into(),
            json!(self.agents_without_login),
        );
        notes.insert(
            "busy_outside_login_ms".into(),
            json!(self.busy_outside_login_ms),
        );
        notes
    }
}

/// What a queue_log import produced.
#[derive(Clone, Debug, Serialize)]
pub struct QueueLogImport {
    /// One record per finished queue call, in the order they finished.
    pub records: Vec<ContactRecord>,
    /// Agent state intervals, by agent then time.
    pub agent_states: Vec<AgentStateInterval>,
    /// Malformed lines.
    pub rejects: Vec<Reject>,
    /// Counts and notes.
    pub stats: QueueLogStats,
}

#[derive(Debug)]
struct OpenCall {
    contact_id: String,
    queue: String,
    line: u64,
    last_event: &'static str,
    arrived_at: i64,
    customer: String,
    position: Option<u64>,
    answered_at: Option<i64>,
    agent: Option<String>,
    wait_ms: Option<i64>,
    ring_no_answer: u64,
    ring_canceled: u64,
    reconstructed: bool,
}

/// Reads a queue_log line by line; memory holds open calls and agent spells.
#[derive(Debug, Default)]
pub struct QueueLogParser {
    calls: HashMap<(String, String), OpenCall>,
    entries: HashMap<String, u32>,
    records: Vec<ContactRecord>,
    rejects: Vec<Reject>,
    stats: QueueLogStats,
    agents: Agents,
    last_ms: Option<i64>,
}

/// Parses a whole queue_log.
pub fn parse_queue_log(text: &str) -> QueueLogImport {
    let mut p = QueueLogParser::new();
    for line in text.lines() {
        p.push_line(line);
    }
    p.finish()
}

/// A line split into its fields.
struct Line<'a> {
    no: u64,
    ms: i64,
    callid: &'a str,
    queue: &'a str,
    agent: &'a str,
    event: &'a str,
    data: Vec<&'a str>,
}

impl Line<'_> {
    fn data(&self, i: usize) -> &str {
        self.data.get(i - 1).copied().unwrap_or("")
    }

    /// `data{i}` as a whole number ≥ 0.
    fn num(&self, i: usize, name: &str) -> Result<u64, Reject> {
        let v = self.data(i);
        v.trim().parse::<u64>().map_err(|_| {
            Reject::field(
                self.no,
                format!("data{i} ({name})"),
                v,
                format!("a whole number ≥ 0 for {}", self.event),
            )
        })
    }

    fn secs(&self, i: usize, name: &str) -> Result<i64, Reject> {
        self.num(i, name).and_then(|n| {
            i64::try_from(n)
                .ok()
                .and_then(|n| n.checked_mul(1000))
                .ok_or_else(|| {
                    Reject::field(
                        self.no,
                        format!("data{i} ({name})"),
                        n.to_string(),
                        "a plausible number of seconds",
                    )
                })
        })
    }

    fn agent(&self) -> Option<&str> {
        let a = self.agent.trim();
        (!a.is_empty() && a != "NONE").then_some(a)
    }
}

impl QueueLogParser {
    /// An empty parser.
    pub fn new() -> QueueLogParser {
        QueueLogParser::default()
    }

    /// Reads the next line of the file (without its newline).
    pub fn push_line(&mut self, raw: &str) {
        self.stats.lines += 1;
        let no = self.stats.lines;
        let text = raw.trim_end_matches(['\r', '\n']);
        if text.trim().is_empty() {
            self.stats.blank_lines += 1;
            return;
        }
        let mut parts = text.split('|');
        let fields: Vec<&str> = parts.by_ref().take(5).collect();
        if fields.len() < 5 {
            self.rejects.push(Reject::line(
                no,
                format!(
                    "{} field(s); a queue_log line is epoch|callid|queue|agent|EVENT|data…",
                    fields.len()
                ),
            ));
            return;
        }
        let Some(ms) = parse_decimal_ms(fields[0].trim()) else {
            self.rejects.push(Reject::field(
                no,
                "epoch",
                fields[0],
                "seconds since the Unix epoch",
            ));
            return;
        };
        let event = fields[4].trim();
        if event.is_empty()
            || !event
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            self.rejects.push(Reject::field(
                no,
                "event",
                event,
                "an event name in capitals (ENTERQUEUE, CONNECT, …)",
            ));
            return;
        }
        let line = Line {
            no,
            ms,
            callid: fields[1].trim(),
            queue: fields[2].trim(),
            agent: fields[3].trim(),
            event,
            data: parts.collect(),
        };
        match self.apply(&line) {
            Ok(()) => *self.stats.events.entry(event.to_owned()).or_default() += 1,
            Err(e) => self.rejects.push(e),
        }
        self.last_ms = Some(self.last_ms.map_or(ms, |l| l.max(ms)));
    }

    fn anomaly(&mut self, line: &Line<'_>, reason: String) {
        self.stats.anomalies.push(Reject {
            line: line.no,
            field: Some("event".into()),
            column: None,
            value: Some(line.event.to_owned()),
            reason,
        });
    }

    fn apply(&mut self, l: &Line<'_>) -> Result<(), Reject> {
        match l.event {
            "ENTERQUEUE" => self.enter(l),
            "RINGNOANSWER" | "RINGCANCELED" => {
                l.num(1, "ringtime ms")?;
                match self
                    .calls
                    .get_mut(&(l.callid.to_owned(), l.queue.to_owned()))
                {
                    Some(c) => {
                        if l.event == "RINGNOANSWER" {
                            c.ring_no_answer += 1;
                        } else {
                            c.ring_canceled += 1;
                        }
                        c.last_event = if l.event == "RINGNOANSWER" {
                            "RINGNOANSWER"
                        } else {
                            "RINGCANCELED"
                        };
                    }
                    None => self.anomaly(l, "ring for a call not waiting in this queue".into()),
                }
                Ok(())
            }
            "CONNECT" => {
                let hold = l.secs(1, "holdtime")?;
                let Some(agent) = l.agent() else {
                    return Err(Reject::field(
                        l.no,
                        "agent",
                        l.agent,
                        "the agent who answered",
                    ));
                };
                let c = self.open_or_rebuild(l, l.ms - hold);
                if let Some(a) = c.answered_at {
                    let msg = format!("CONNECT for a call already answered at {}", TimestampMs(a));
                    self.anomaly(l, msg);
                    return Ok(());
                }
                c.answered_at = Some(l.ms);
                c.agent = Some(agent.to_owned());
                c.wait_ms = Some(hold);
                c.last_event = "CONNECT";
                Ok(())
            }
            "COMPLETEAGENT" | "COMPLETECALLER" => {
                let hold = l.secs(1, "holdtime")?;
                let talk = l.secs(2, "calltime")?;
                let by = if l.event == "COMPLETEAGENT" {
                    "agent"
                } else {
                    "caller"
                };
                let mut attrs = Map::new();
                attrs.insert("ended_by".into(), json!(by));
                self.end_answered(l, hold, talk, Outcome::Answered, 0, attrs);
                Ok(())
            }
            "TRANSFER" | "BLINDTRANSFER" | "ATTENDEDTRANSFER" => {
                let (hold_i, kind, to) = match l.event {
                    "ATTENDEDTRANSFER" if l.data(1) == "LINK" => {
                        (4, "attended", format!("{} {}", l.data(2), l.data(3)))
                    }
                    "ATTENDEDTRANSFER" => (3, "attended", format!("{}:{}", l.data(1), l.data(2))),
                    ev => (
                        3,
                        if ev == "TRANSFER" {
                            "transfer"
                        } else {
                            "blind"
                        },
                        format!("{}@{}", l.data(1), l.data(2)),
                    ),
                };
                let hold = l.secs(hold_i, "holdtime")?;
                let talk = l.secs(hold_i + 1, "calltime")?;
                let mut attrs = Map::new();
                attrs.insert("transfer".into(), json!(kind));
                attrs.insert(
                    "transfer_to".into(),
                    json!(to.trim_matches([':', '@', ' '])),
                );
                self.end_answered(l, hold, talk, Outcome::TransferredOut, 1, attrs);
                self.stats.transferred_after_answer += 1;
                Ok(())
            }
            "ABANDON" | "EXITWITHTIMEOUT" | "EXITEMPTY" | "EXITWITHKEY" => {
                let (wait_i, exit) = match l.event {
                    "ABANDON" => (3, None),
                    "EXITWITHTIMEOUT" => (3, Some("timeout")),
                    "EXITEMPTY" => (3, Some("empty")),
                    _ => (4, Some("key")),
                };
                // EXITWITHKEY of old versions has no waittime: the clock says it.
                let wait = if exit == Some("key") && l.data(4).is_empty() {
                    None
                } else {
                    Some(l.secs(wait_i, "waittime")?)
                };
                let mut attrs = Map::new();
                if let Some(reason) = exit {
                    attrs.insert("queue_exit".into(), json!(reason));
                    if reason == "key" {
                        attrs.insert("exit_key".into(), json!(l.data(1)));
                    }
                    *self.stats.flow_outs.entry(reason.to_owned()).or_default() += 1;
                }
                let outcome = if exit.is_some() {
                    Outcome::TransferredOut
                } else {
                    Outcome::Abandoned
                };
                self.end_unanswered(l, wait, outcome, attrs);
                Ok(())
            }
            "AGENTLOGIN" | "AGENTCALLBACKLOGIN" => {
                let agent = l
                    .agent()
                    .ok_or_else(|| Reject::field(l.no, "agent", l.agent, "the agent logging in"))?;
                if !self.agents.login(agent, l.ms) {
                    self.anomaly(l, format!("{agent} logged in again without logging off"));
                }
                Ok(())
            }
            "AGENTLOGOFF" | "AGENTCALLBACKLOGOFF" => {
                let agent = l.agent().ok_or_else(|| {
                    Reject::field(l.no, "agent", l.agent, "the agent logging off")
                })?;
                let logintime = if l.data(2).trim().is_empty() {
                    None
                } else {
                    Some(l.secs(2, "logintime")?)
                };
                match self.agents.logoff(agent, l.ms, logintime) {
                    agents::Logoff::Closed => {}
                    agents::Logoff::FromLogintime => self.stats.sessions_from_logintime += 1,
                    agents::Logoff::Unknown => self.anomaly(
                        l,
                        format!("{agent} logged off without a login or logintime"),
                    ),
                }
                Ok(())
            }
            "ADDMEMBER" | "REMOVEMEMBER" => {
                let member = l
                    .agent()
                    .ok_or_else(|| Reject::field(l.no, "agent", l.agent, "the queue member"))?;
                let ok = if l.event == "ADDMEMBER" {
                    self.agents.add_member(l.queue, member, l.ms)
                } else {
                    self.agents.remove_member(l.queue, member, l.ms)
                };
                if !ok {
                    let msg = if l.event == "ADDMEMBER" {
                        format!("{member} added to {} while already a member", l.queue)
                    } else {
                        format!(
                            "{member} removed from {} without being added in this file",
                            l.queue
                        )
                    };
                    self.anomaly(l, msg);
                }
                Ok(())
            }
            "PAUSE" | "PAUSEALL" | "UNPAUSE" | "UNPAUSEALL" => {
                let agent = l
                    .agent()
                    .ok_or_else(|| Reject::field(l.no, "agent", l.agent, "the paused member"))?;
                let key = if l.event.ends_with("ALL") || l.queue.is_empty() || l.queue == "NONE" {
                    "*"
                } else {
                    l.queue
                };
                let reason = Some(l.data(1).trim()).filter(|r| !r.is_empty());
                match l.event {
                    "PAUSE" | "PAUSEALL" => self.agents.pause(agent, key, reason, l.ms),
                    "UNPAUSE" => self.agents.unpause(agent, Some(key), l.ms),
                    _ => self.agents.unpause(agent, None, l.ms),
                }
                Ok(())
            }
            ev if NO_EFFECT.contains(&ev) => Ok(()),
            ev => {
                *self.stats.skipped.entry(ev.to_owned()).or_default() += 1;
                Ok(())
            }
        }
    }

    fn enter(&mut self, l: &Line<'_>) -> Result<(), Reject> {
        if l.queue.is_empty() || l.queue == "NONE" {
            return Err(Reject::field(
                l.no,
                "queue",
                l.queue,
                "the queue the call entered",
            ));
        }
        if l.callid.is_empty() || l.callid == "NONE" {
            return Err(Reject::field(
                l.no,
                "callid",
                l.callid,
                "the call's unique id",
            ));
        }
        let position = match l.data(3).trim() {
            "" => None,
            _ => Some(l.num(3, "position")?),
        };
        let key = (l.callid.to_owned(), l.queue.to_owned());
        if let Some(old) = self.calls.remove(&key) {
            self.anomaly(l, format!("the call entered {} again before a final event; its earlier entry (line {}) is incomplete", l.queue, old.line));
            self.incomplete(old);
        }
        let call = self.new_call(l, l.ms, false);
        let call = self.calls.entry(key).or_insert(call);
        call.customer = l.data(2).trim().to_owned();
        call.position = position;
        Ok(())
    }

    fn new_call(&mut self, l: &Line<'_>, arrived_at: i64, reconstructed: bool) -> OpenCall {
        let n = self.entries.entry(l.callid.to_owned()).or_default();
        *n += 1;
        self.stats.calls += 1;
        if reconstructed {
            self.stats.reconstructed += 1;
        }
        OpenCall {
            contact_id: if *n == 1 {
                l.callid.to_owned()
            } else {
                format!("{}#{n}", l.callid)
            },
            queue: l.queue.to_owned(),
            line: l.no,
            last_event: "ENTERQUEUE",
            arrived_at,
            customer: String::new(),
            position: None,
            answered_at: None,
            agent: None,
            wait_ms: None,
            ring_no_answer: 0,
            ring_canceled: 0,
            reconstructed,
        }
    }

    /// The open call of this line, or one rebuilt from the line's own durations when
    /// its ENTERQUEUE is not in the file.
    fn open_or_rebuild(&mut self, l: &Line<'_>, arrived_at: i64) -> &mut OpenCall {
        let key = (l.callid.to_owned(), l.queue.to_owned());
        if !self.calls.contains_key(&key) {
            let call = self.new_call(l, arrived_at, true);
            self.calls.insert(key.clone(), call);
        }
        self.calls.get_mut(&key).expect("inserted above")
    }

    fn end_answered(
        &mut self,
        l: &Line<'_>,
        hold: i64,
        talk: i64,
        outcome: Outcome,
        transfers: u32,
        attrs: Map<String, Value>,
    ) {
        let answered_guess = l.ms - talk;
        let agent = l.agent().map(str::to_owned);
        let c = self.open_or_rebuild(l, answered_guess - hold);
        if c.answered_at.is_none() {
            // No CONNECT: the answer is calltime before the end, but never before the
            // call entered (Asterisk's durations round to the second).
            c.answered_at = Some(answered_guess.max(c.arrived_at));
            c.wait_ms = Some(hold);
        }
        if c.agent.is_none() {
            c.agent = agent;
        }
        let key = (l.callid.to_owned(), l.queue.to_owned());
        let call = self.calls.remove(&key).expect("opened above");
        if call.agent.is_none() {
            let msg = format!("{} without an agent: the call is left incomplete", l.event);
            self.anomaly(l, msg);
            self.incomplete(call);
            return;
        }
        self.finish_call(l, call, outcome, talk, transfers, attrs);
    }

    fn end_unanswered(
        &mut self,
        l: &Line<'_>,
        wait: Option<i64>,
        outcome: Outcome,
        attrs: Map<String, Value>,
    ) {
        let key = (l.callid.to_owned(), l.queue.to_owned());
        if let Some(c) = self.calls.get(&key) {
            if let Some(a) = c.answered_at {
                let msg = format!("{} for a call answered at {}", l.event, TimestampMs(a));
                self.anomaly(l, msg);
                return;
            }
        }
        let c = self.open_or_rebuild(l, l.ms - wait.unwrap_or(0));
        c.wait_ms = Some(wait.unwrap_or(l.ms - c.arrived_at));
        let call = self.calls.remove(&key).expect("opened above");
        self.finish_call(l, call, outcome, 0, 0, attrs);
    }

    fn finish_call(
        &mut self,
        l: &Line<'_>,
        call: OpenCall,
        outcome: Outcome,
        talk_ms: i64,
        transfers: u32,
        mut attributes: Map<String, Value>,
    ) {
        if let Some(p) = call.position {
            attributes.insert("position".into(), json!(p));
        }
        if call.ring_no_answer > 0 {
            attributes.insert("ring_no_answer".into(), json!(call.ring_no_answer));
        }
        if call.ring_canceled > 0 {
            attributes.insert("ring_canceled".into(), json!(call.ring_canceled));
        }
        if call.reconstructed {
            attributes.insert("reconstructed".into(), json!(true));
        }
        let record = ContactRecord {
            contact_id: call.contact_id,
            queue: call.queue,
            channel: Channel::Voice,
            customer: call.customer,
            agent: call.agent,
            team: None,
            arrived_at: TimestampMs(call.arrived_at),
            answered_at: call.answered_at.map(TimestampMs),
            ended_at: TimestampMs(l.ms),
            wrap_up_end_at: None,
            outcome,
            wait: DurationMs(call.wait_ms.unwrap_or(0)),
            talk: DurationMs(talk_ms),
            hold: DurationMs::ZERO,
            wrap_up: DurationMs::ZERO,
            transfers,
            attributes,
        };
        if let Err(e) = record.check() {
            self.stats.dropped += 1;
            self.anomaly(
                l,
                format!(
                    "the call's times do not fit ({} = {}: {}); no record",
                    e.field, e.value, e.allowed
                ),
            );
            return;
        }
        if let (Some(agent), Some(a)) = (&record.agent, record.answered_at) {
            self.agents.busy(agent, a.0, l.ms);
        }
        *self
            .stats
            .outcomes
            .entry(record.outcome.as_str().to_owned())
            .or_default() += 1;
        self.records.push(record);
    }

    fn incomplete(&mut self, c: OpenCall) {
        self.stats.incomplete.push(IncompleteCall {
            contact_id: c.contact_id,
            queue: c.queue,
            line: c.line,
            last_event: c.last_event.to_owned(),
            arrived_at: TimestampMs(c.arrived_at),
            answered_at: c.answered_at.map(TimestampMs),
            agent: c.agent,
        });
    }

    /// Records taken so far (finished calls), leaving the parser running: for
    /// streaming a long log into the store.
    pub fn take_records(&mut self) -> Vec<ContactRecord> {
        std::mem::take(&mut self.records)
    }

    /// Ends the file: open calls become incomplete, agent spells open at the end are
    /// closed at the last line's time.
    pub fn finish(mut self) -> QueueLogImport {
        let end = self.last_ms.unwrap_or(0);
        let mut open: Vec<OpenCall> = self.calls.drain().map(|(_, c)| c).collect();
        open.sort_by_key(|c| c.line);
        for c in open {
            // An agent still talking when the file ends is busy until then.
            if let (Some(agent), Some(a)) = (&c.agent, c.answered_at) {
                self.agents.busy(agent, a, end);
            }
            self.incomplete(c);
        }
        self.stats.incomplete.sort_by_key(|c| c.line);
        let out = self.agents.finish(end);
        self.stats.agents_logged_in_at_end = out.agents_logged_in_at_end;
        self.stats.busy_outside_login_ms = out.busy_outside_login_ms;
        self.stats.agents_without_login = out.agents_without_login;
        self.stats.member_aliases = out.aliases;
        QueueLogImport {
            records: self.records,
            agent_states: out.states,
            rejects: self.rejects,
            stats: self.stats,
        }
    }
}
