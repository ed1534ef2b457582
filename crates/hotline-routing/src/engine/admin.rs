//! Run-time changes: agents and queues added, changed, removed while contacts flow.
//!
//! Agent changes are incremental (the agent's links to the queues it serves are redone);
//! queue changes rebuild every agent's links, which is proportional to agents × skills
//! and meant for administrative edits, not for the event path.

use super::agent::AgentRt;
use super::hash::IdMap;
use super::index::ReadyIndex;
use super::queue::QueueRt;
use super::Engine;
use crate::config::{AgentConfig, QueueConfig};
use crate::decision::{AgentState, Decision, Presence};
use crate::error::{ConfigError, RoutingError};
use crate::ids::{AgentId, GroupId, QueueId, SkillId};
use crate::time::Time;

pub(super) fn new_agent(cfg: &AgentConfig) -> AgentRt {
    AgentRt {
        id: cfg.id,
        group: cfg.group,
        skills: cfg.skills.clone(),
        slots: cfg.slots,
        presence: Presence::LoggedOut,
        held: Vec::new(),
        ready_key: None,
        available_since: Time::ZERO,
        accepted: 0,
        candidates: Vec::new(),
        shown: AgentState::LoggedOut,
    }
}

/// Which queues mention a skill or a group at some level.
#[derive(Clone, Debug, Default)]
pub(super) struct QueueLookup {
    by_skill: IdMap<SkillId, Vec<QueueId>>,
    by_group: IdMap<GroupId, Vec<QueueId>>,
}

impl Engine {
    /// Recomputes everything derived from the queue set: the ready index's shape, the
    /// skill/group lookup, and every agent's links.
    pub(super) fn rebuild(&mut self) {
        let mut skills = Vec::new();
        let mut groups = Vec::new();
        let mut lookup = QueueLookup::default();
        for q in self.queues.iter_mut().flatten() {
            q.members.clear();
            q.neighbours.clear();
            q.staffed_from.iter_mut().for_each(|n| *n = 0);
            for level in &q.levels {
                for (s, _) in &level.skills {
                    skills.push(*s);
                    lookup.by_skill.entry(*s).or_default().push(q.id);
                }
                for g in &level.groups {
                    groups.push(*g);
                    lookup.by_group.entry(*g).or_default().push(q.id);
                }
            }
        }
        for list in lookup
            .by_skill
            .values_mut()
            .chain(lookup.by_group.values_mut())
        {
            list.sort_unstable();
            list.dedup();
        }
        self.index = ReadyIndex::new(skills, groups);
        self.lookup = lookup;
        let ids: Vec<AgentId> = self.agents.iter().flatten().map(|a| a.id).collect();
        for id in ids {
            self.link_agent(id);
        }
    }

    /// Connects an agent to the queues it can serve (candidates, members, staffed counts)
    /// and puts it into the ready index under its current key.
    fn link_agent(&mut self, id: AgentId) {
        let a = self.agents[id.index()].as_mut().expect("exists");
        let mut queues: Vec<QueueId> = a
            .skills
            .iter()
            .filter_map(|(s, _)| self.lookup.by_skill.get(s))
            .chain(self.lookup.by_group.get(&a.group))
            .flatten()
            .copied()
            .collect();
        queues.sort_unstable();
        queues.dedup();
        a.candidates.clear();
        for qid in queues {
            let Some(Some(q)) = self.queues.get_mut(qid.index()) else {
                continue;
            };
            if let Some(level) = q.levels.iter().position(|l| l.admits(a.group, &a.skills)) {
                let level = level as u16;
                a.candidates.push((qid, level));
                let pos = q.members.partition_point(|(m, _)| *m < id);
                q.members.insert(pos, (id, level));
                if a.presence == Presence::Ready {
                    q.staffed_from[usize::from(level)] += u32::from(a.slots);
                }
            }
        }
        for &(q1, _) in &a.candidates {
            for &(q2, _) in &a.candidates {
                if q1 != q2 {
                    let Some(Some(q)) = self.queues.get_mut(q1.index()) else {
                        continue;
                    };
                    if let Err(pos) = q.neighbours.binary_search(&q2) {
                        q.neighbours.insert(pos, q2);
                    }
                }
            }
        }
        if let Some(key) = a.ready_key {
            self.index.insert(a, key);
        }
    }

    /// Undoes [`Engine::link_agent`]; the agent leaves the ready index.
    fn unlink_agent(&mut self, id: AgentId) {
        let a = self.agents[id.index()].as_mut().expect("exists");
        for &(qid, level) in &a.candidates {
            if let Some(Some(q)) = self.queues.get_mut(qid.index()) {
                q.members.retain(|(m, _)| *m != id);
                if a.presence == Presence::Ready {
                    q.staffed_from[usize::from(level)] -= u32::from(a.slots);
                }
            }
        }
        a.candidates.clear();
        if let Some(key) = a.ready_key.take() {
            self.index.remove(a, key);
        }
    }

    fn begin_admin(&mut self, now: Time) -> Result<(), RoutingError> {
        self.check_time(now)?;
        Ok(())
    }

    fn end_admin(&mut self) -> &[Decision] {
        self.drop_stale_timers();
        &self.decisions
    }

    /// Adds an agent at run time (logged out).
    pub fn add_agent(
        &mut self,
        agent: AgentConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        self.begin_admin(now)?;
        agent.validate()?;
        if self.agent_rt(agent.id).is_some() {
            return Err(ConfigError::Duplicate {
                field: "agent.id".into(),
                value: agent.id.0.to_string(),
            }
            .into());
        }
        self.now = now;
        self.decisions.clear();
        self.put_agent(new_agent(&agent));
        self.link_agent(agent.id);
        self.config.agents.push(agent);
        Ok(self.end_admin())
    }

    /// Changes an agent's group, skills or slots at run time. Contacts they hold continue;
    /// if they are ready and now eligible for waiting contacts, offers follow at once.
    pub fn update_agent(
        &mut self,
        agent: AgentConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        self.begin_admin(now)?;
        agent.validate()?;
        if self.agent_rt(agent.id).is_none() {
            return Err(RoutingError::UnknownAgent(agent.id));
        }
        self.now = now;
        self.decisions.clear();
        let id = agent.id;
        self.unlink_agent(id);
        let a = self.ag(id);
        a.group = agent.group;
        a.skills = agent.skills.clone();
        a.slots = agent.slots;
        self.link_agent(id);
        if let Some(cfg) = self.config.agents.iter_mut().find(|a| a.id == id) {
            *cfg = agent;
        }
        if self.ag(id).presence != Presence::LoggedOut {
            self.fill(id);
            self.announce(id);
        }
        Ok(self.end_admin())
    }

    /// Removes a logged-out agent.
    pub fn remove_agent(&mut self, agent: AgentId, now: Time) -> Result<&[Decision], RoutingError> {
        self.begin_admin(now)?;
        let a = self.known_agent(agent)?;
        if a.presence != Presence::LoggedOut {
            return Err(RoutingError::AgentState {
                agent,
                event: "remove_agent",
                state: a.state().name(),
            });
        }
        self.now = now;
        self.decisions.clear();
        self.unlink_agent(agent);
        self.agents[agent.index()] = None;
        self.config.agents.retain(|a| a.id != agent);
        Ok(self.end_admin())
    }

    /// Adds a queue at run time.
    pub fn add_queue(
        &mut self,
        queue: QueueConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        self.begin_admin(now)?;
        queue.validate()?;
        if self.queue_rt(queue.id).is_some() {
            return Err(ConfigError::Duplicate {
                field: "queue.id".into(),
                value: queue.id.0.to_string(),
            }
            .into());
        }
        self.now = now;
        self.decisions.clear();
        self.put_queue(QueueRt::new(&queue, self.config.ewt_window));
        self.config.queues.push(queue);
        self.rebuild();
        Ok(self.end_admin())
    }

    /// Changes a queue's rules at run time. Counters are kept; waiting contacts keep their
    /// place and are re-levelled against the new steps (from their time in queue), then
    /// offered if an agent became eligible.
    pub fn update_queue(
        &mut self,
        queue: QueueConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        self.begin_admin(now)?;
        queue.validate()?;
        if self.queue_rt(queue.id).is_none() {
            return Err(RoutingError::UnknownQueue(queue.id));
        }
        self.now = now;
        self.decisions.clear();
        let id = queue.id;
        let waiting: Vec<u32> = self
            .queue_rt(id)
            .expect("checked")
            .waiting_slots()
            .collect();
        for &slot in &waiting {
            self.line_remove(slot);
        }
        let old = self.queues[id.index()].take().expect("checked");
        let mut new = QueueRt::new(&queue, self.config.ewt_window);
        new.counters = old.counters;
        new.recent = old.recent;
        new.rr_last = old.rr_last;
        new.ringing = old.ringing;
        new.connected = old.connected;
        new.wrapping = old.wrapping;
        self.put_queue(new);
        if let Some(cfg) = self.config.queues.iter_mut().find(|q| q.id == id) {
            *cfg = queue;
        }
        self.rebuild();
        for &slot in &waiting {
            let entered = self.contacts.get(slot).entered;
            let level = self.queue_rt(id).expect("put").level_after(now - entered);
            self.contacts.get_mut(slot).level = level;
            self.line_insert(slot);
            self.pending.push((slot, false));
        }
        self.settle_pending();
        Ok(self.end_admin())
    }

    /// Removes a queue that holds no contact (waiting, ringing, connected or in wrap-up).
    pub fn remove_queue(&mut self, queue: QueueId, now: Time) -> Result<&[Decision], RoutingError> {
        self.begin_admin(now)?;
        let q = self
            .queue_rt(queue)
            .ok_or(RoutingError::UnknownQueue(queue))?;
        if q.holds() > 0 {
            return Err(RoutingError::QueueNotEmpty {
                queue,
                contacts: q.holds(),
            });
        }
        self.now = now;
        self.decisions.clear();
        self.queues[queue.index()] = None;
        self.config.queues.retain(|q| q.id != queue);
        self.rebuild();
        Ok(self.end_admin())
    }

    /// Zeroes the queue counters and agents' accepted counts; live state (waiting
    /// contacts, agents' states, recent handle times for the wait estimate) is kept.
    pub fn reset_counters(&mut self) {
        for q in self.queues.iter_mut().flatten() {
            q.counters = Default::default();
        }
        let ids: Vec<AgentId> = self.agents.iter().flatten().map(|a| a.id).collect();
        for id in ids {
            let policy = self.config.agent_selection;
            let a = self.ag(id);
            a.accepted = 0;
            if let Some(old) = a.ready_key {
                let key = a.key(policy);
                a.ready_key = Some(key);
                let a = self.agents[id.index()].as_ref().expect("exists");
                self.index.remove(a, old);
                self.index.insert(a, key);
            }
        }
    }
}
