//! A queue at run time: its compiled requirement per step level, its waiting line, its
//! counters.
//!
//! The line is split by step level and, within a level, by per-contact priority boost.
//! Within one such class every contact has the same base priority, boost, aging rate and
//! eligibility, so ordering by place (arrival sequence) is also ordering by score at any
//! time: the head of each class is its best contact. A queue's best contact for an agent
//! is therefore the best of a handful of class heads, never a scan of the line.

use std::collections::BTreeMap;

use crate::config::{QueueConfig, StepAction, WrapUp};
use crate::ids::{AgentId, GroupId, Proficiency, QueueId, SkillId};
use crate::time::{Span, Time};

/// Classes (level, boost) a queue keeps even when empty.
const KEEP_CLASSES: usize = 8;

/// Micro-points per priority point: scores are integers, so ordering is exact.
pub(crate) const MICRO: i64 = 1_000_000;
/// Aging is capped here when the queue sets no cap, far from overflowing an `i64` score.
const AGING_CEILING: u64 = (i64::MAX / 4) as u64;

/// The requirement in force at one step level (cumulative over the steps so far).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Level {
    /// Time in queue from which this level applies (0 for the initial level).
    pub after: Span,
    /// An agent with any of these skills at the given proficiency or better qualifies.
    pub skills: Vec<(SkillId, Proficiency)>,
    /// So does every agent of these groups.
    pub groups: Vec<GroupId>,
}

impl Level {
    pub fn admits(&self, group: GroupId, skills: &[(SkillId, Proficiency)]) -> bool {
        self.groups.contains(&group)
            || self
                .skills
                .iter()
                .any(|(s, min)| skills.iter().any(|(have, level)| have == s && level >= min))
    }
}

/// Compiles a queue's steps into cumulative levels; steps with equal `after` merge.
pub(crate) fn compile_levels(q: &QueueConfig) -> Vec<Level> {
    let mut levels = vec![Level {
        after: Span::ZERO,
        skills: vec![(q.skill, q.min_proficiency)],
        groups: Vec::new(),
    }];
    for step in &q.steps {
        let mut next = levels.last().cloned().unwrap_or_else(|| levels[0].clone());
        if next.after != step.after {
            next.after = step.after;
        } else {
            levels.pop();
        }
        match step.action {
            StepAction::RelaxProficiency { min } => next.skills[0].1 = min,
            StepAction::AddSkill { skill, min } => {
                if let Some(existing) = next.skills.iter_mut().find(|(s, _)| *s == skill) {
                    existing.1 = existing.1.min(min);
                } else {
                    next.skills.push((skill, min));
                }
            }
            StepAction::AddGroup { group } => next.groups.push(group),
        }
        levels.push(next);
    }
    levels
}

/// The first contact of a class: what an agent looking for work compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    pub seq: u64,
    pub slot: u32,
    pub place_ms: u64,
}

/// Waiting contacts of one (level, boost) class: arrival sequence → (slot, place ms),
/// with the head cached so that choosing between queues reads only this small struct.
#[derive(Clone, Debug)]
pub(crate) struct Class {
    pub level: u16,
    pub boost: i32,
    pub head: Option<Head>,
    pub line: BTreeMap<u64, (u32, u64)>,
}

/// The counters behind the live metrics.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counters {
    pub entered: u64,
    pub offered: u64,
    pub answered: u64,
    pub answered_within: u64,
    pub abandoned: u64,
    pub abandoned_short: u64,
    pub callbacks_requested: u64,
    pub callbacks_answered: u64,
    pub callbacks_cancelled: u64,
    pub transferred_out: u64,
    pub transferred_out_unanswered: u64,
    pub handled: u64,
    pub wait_ms: u64,
    /// Total wait of abandoned live contacts (with `wait_ms`, the exposure from which the
    /// abandonment rate is estimated).
    pub abandon_wait_ms: u64,
    pub handle_ms: u64,
}

/// The handle times of the most recent contacts (a ring buffer with a running sum).
#[derive(Clone, Debug)]
pub(crate) struct Recent {
    buf: Vec<u64>,
    next: usize,
    sum: u64,
    cap: usize,
}

impl Recent {
    pub fn new(cap: u32) -> Recent {
        Recent {
            buf: Vec::new(),
            next: 0,
            sum: 0,
            cap: cap.max(1) as usize,
        }
    }

    pub fn push(&mut self, ms: u64) {
        if self.buf.len() < self.cap {
            self.buf.push(ms);
        } else {
            self.sum -= self.buf[self.next];
            self.buf[self.next] = ms;
            self.next += 1;
            if self.next == self.cap {
                self.next = 0;
            }
        }
        self.sum += ms;
    }

    pub fn mean(&self) -> Option<Span> {
        if self.buf.is_empty() {
            None
        } else {
            Some(Span::from_millis(self.sum / self.buf.len() as u64))
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct QueueRt {
    pub id: QueueId,
    /// Base priority in micro-points.
    pub base: i64,
    /// Aging in micro-points per millisecond waited.
    pub aging_rate: u64,
    /// Cap on aging, micro-points.
    pub aging_cap: u64,
    pub service_level: Span,
    pub wrap_up: Option<WrapUp>,
    pub expected_handle_time: Option<Span>,
    pub levels: Vec<Level>,
    /// The waiting line, one class per (level, boost) in use.
    pub classes: Vec<Class>,
    pub waiting: u32,
    pub waiting_callbacks: u32,
    /// Waiting contacts whose place predates their entry (transferred keeping arrival):
    /// while there are any, the oldest wait needs a scan instead of the class heads.
    pub waiting_out_of_order: u32,
    pub ringing: u32,
    pub connected: u32,
    pub wrapping: u32,
    pub rr_last: Option<AgentId>,
    pub counters: Counters,
    pub recent: Recent,
    /// Agents eligible at some level, with the lowest such level.
    pub members: Vec<(AgentId, u16)>,
    /// Queues sharing at least one member with this one (sorted; may keep a queue after
    /// the last shared agent left, which only costs the wait estimate a look).
    pub neighbours: Vec<QueueId>,
    /// Slots of ready agents whose lowest eligible level is the index.
    pub staffed_from: Vec<u32>,
}

impl QueueRt {
    pub fn new(q: &QueueConfig, ewt_window: u32) -> QueueRt {
        let levels = compile_levels(q);
        let (aging_rate, aging_cap) = match q.aging {
            Some(a) => (
                (a.points_per_second * 1000.0).round() as u64,
                a.max_points
                    .map_or(AGING_CEILING, |p| u64::from(p) * MICRO as u64),
            ),
            None => (0, 0),
        };
        QueueRt {
            id: q.id,
            base: i64::from(q.priority) * MICRO,
            aging_rate,
            aging_cap,
            service_level: q.service_level,
            wrap_up: q.wrap_up,
            expected_handle_time: q.expected_handle_time,
            classes: Vec::new(),
            staffed_from: vec![0; levels.len()],
            levels,
            waiting: 0,
            waiting_callbacks: 0,
            waiting_out_of_order: 0,
            ringing: 0,
            connected: 0,
            wrapping: 0,
            rr_last: None,
            counters: Counters::default(),
            recent: Recent::new(ewt_window),
            members: Vec::new(),
            neighbours: Vec::new(),
        }
    }

    /// A contact's score at `now`, in micro-points.
    #[inline]
    pub fn score(&self, boost: i32, place_ms: u64, now_ms: u64) -> i64 {
        let waited = now_ms.saturating_sub(place_ms);
        let aging = self.aging_rate.saturating_mul(waited).min(self.aging_cap);
        self.base + i64::from(boost) * MICRO + aging as i64
    }

    /// The level in force after waiting `waited` in this queue.
    pub fn level_after(&self, waited: Span) -> u16 {
        (self
            .levels
            .iter()
            .rposition(|l| l.after <= waited)
            .unwrap_or(0)) as u16
    }

    pub fn insert(&mut self, level: u16, boost: i32, seq: u64, slot: u32, place_ms: u64) {
        let i = match self
            .classes
            .iter()
            .position(|c| c.level == level && c.boost == boost)
        {
            Some(i) => i,
            None => {
                self.classes.push(Class {
                    level,
                    boost,
                    head: None,
                    line: BTreeMap::new(),
                });
                self.classes.len() - 1
            }
        };
        let class = &mut self.classes[i];
        class.line.insert(seq, (slot, place_ms));
        if class.head.is_none_or(|h| seq < h.seq) {
            class.head = Some(Head {
                seq,
                slot,
                place_ms,
            });
        }
        self.waiting += 1;
    }

    pub fn remove(&mut self, level: u16, boost: i32, seq: u64) {
        let Some(class) = self
            .classes
            .iter_mut()
            .find(|c| c.level == level && c.boost == boost)
        else {
            return;
        };
        if class.line.remove(&seq).is_some() {
            self.waiting -= 1;
            if class.head.is_some_and(|h| h.seq == seq) {
                class.head = class
                    .line
                    .first_key_value()
                    .map(|(&seq, &(slot, place_ms))| Head {
                        seq,
                        slot,
                        place_ms,
                    });
            }
        }
        // An emptied class is kept for the next contact of that level and boost (lines
        // empty and refill all the time); only when callers use many boosts are empty
        // ones dropped.
        if self.classes.len() > KEEP_CLASSES {
            self.classes.retain(|c| !c.line.is_empty());
        }
    }

    /// Slots of all waiting contacts.
    pub fn waiting_slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.classes
            .iter()
            .flat_map(|c| c.line.values().map(|(slot, _)| *slot))
    }

    /// Staffed slots (ready agents) eligible at `level`.
    pub fn staffed(&self, level: u16) -> u32 {
        self.staffed_from[..=level as usize].iter().sum()
    }

    /// Observed abandonment rate per millisecond of waiting (exponential patience):
    /// abandons over the total time live callers waited; 0 before any abandon.
    pub fn abandon_rate_per_ms(&self) -> f64 {
        let c = &self.counters;
        let exposure = c.wait_ms + c.abandon_wait_ms;
        if c.abandoned == 0 || exposure == 0 {
            0.0
        } else {
            c.abandoned as f64 / exposure as f64
        }
    }

    /// The handle time the wait estimate uses.
    pub fn handle_time_estimate(&self) -> Option<Span> {
        self.recent.mean().or(self.expected_handle_time)
    }

    /// Contacts in the queue (waiting, ringing, connected, in wrap-up).
    pub fn holds(&self) -> usize {
        (self.waiting + self.ringing + self.connected + self.wrapping) as usize
    }

    /// Entered-queue time of the longest waiting contact, given each contact's
    /// (entered, place) through `entered_of`.
    pub fn oldest_entry(&self, entered_of: impl Fn(u32) -> Time) -> Option<Time> {
        if self.waiting_out_of_order == 0 {
            self.classes
                .iter()
                .filter_map(|c| c.head)
                .map(|h| entered_of(h.slot))
                .min()
        } else {
            self.waiting_slots().map(entered_of).min()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Aging, RoutingStep};

    fn p(n: u8) -> Proficiency {
        Proficiency::new(n).unwrap()
    }

    #[test]
    fn steps_compile_to_cumulative_levels_and_merge_equal_times() {
        let mut q = QueueConfig::new(QueueId(1), SkillId(4));
        q.min_proficiency = p(4);
        q.steps = vec![
            RoutingStep {
                after: Span::from_secs(10),
                action: StepAction::RelaxProficiency { min: p(2) },
            },
            RoutingStep {
                after: Span::from_secs(30),
                action: StepAction::AddSkill {
                    skill: SkillId(9),
                    min: p(3),
                },
            },
            RoutingStep {
                after: Span::from_secs(30),
                action: StepAction::AddGroup { group: GroupId(2) },
            },
        ];
        let levels = compile_levels(&q);
        assert_eq!(levels.len(), 3);
        assert_eq!(levels[0].skills, vec![(SkillId(4), p(4))]);
        assert_eq!(levels[1].after, Span::from_secs(10));
        assert_eq!(levels[1].skills, vec![(SkillId(4), p(2))]);
        assert_eq!(
            levels[2].skills,
            vec![(SkillId(4), p(2)), (SkillId(9), p(3))]
        );
        assert_eq!(levels[2].groups, vec![GroupId(2)]);
        let rt = QueueRt::new(&q, 10);
        assert_eq!(rt.level_after(Span::from_millis(9_999)), 0);
        assert_eq!(rt.level_after(Span::from_secs(10)), 1);
        assert_eq!(rt.level_after(Span::from_secs(3600)), 2);
        assert!(levels[2].admits(GroupId(2), &[]));
        assert!(levels[1].admits(GroupId(0), &[(SkillId(4), p(2))]));
        assert!(!levels[0].admits(GroupId(0), &[(SkillId(4), p(3))]));
    }

    #[test]
    fn score_is_base_plus_boost_plus_capped_aging_in_micro_points() {
        let mut q = QueueConfig::new(QueueId(0), SkillId(0));
        q.priority = 3;
        q.aging = Some(Aging {
            points_per_second: 0.5,
            max_points: Some(10),
        });
        let rt = QueueRt::new(&q, 10);
        // 0.5 points/s = 500 micro-points per ms.
        assert_eq!(rt.score(0, 0, 0), 3_000_000);
        assert_eq!(rt.score(2, 1_000, 5_000), 3_000_000 + 2_000_000 + 2_000_000);
        assert_eq!(rt.score(0, 0, 3_600_000), 13_000_000);
        assert_eq!(rt.score(-1, 9_000, 1_000), 2_000_000);
    }

    #[test]
    fn recent_handle_times_keep_a_window() {
        let mut r = Recent::new(3);
        assert_eq!(r.mean(), None);
        for ms in [100, 200, 300, 1000] {
            r.push(ms);
        }
        assert_eq!(r.mean(), Some(Span::from_millis(500)));
    }
}
