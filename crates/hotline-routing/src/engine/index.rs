//! The ready-agent index: for each skill some queue asks for, one ordered set of ready
//! agents per proficiency level; for each group some routing step opens a queue to, one
//! ordered set. Finding the best ready agent for a contact reads at most five set heads
//! per skill in its requirement, whatever the number of agents.

use std::collections::BTreeSet;

use super::agent::{AgentRt, ReadyKey};
use super::queue::Level;
use crate::config::AgentSelection;
use crate::ids::{AgentId, GroupId, SkillId};

type Sets = [BTreeSet<ReadyKey>; 5];

#[derive(Clone, Debug, Default)]
pub(crate) struct ReadyIndex {
    skills: Vec<Option<Box<Sets>>>,
    /// Per skill, bit `p - 1` set when proficiency level `p` has a ready agent: in an
    /// overloaded center nobody is ready, and this small dense array answers "no one" for
    /// an arriving contact without touching the sets.
    masks: Vec<u8>,
    groups: Vec<Option<BTreeSet<ReadyKey>>>,
}

impl ReadyIndex {
    /// An empty index over the skills and groups that routing can ask for.
    pub fn new(
        skills: impl IntoIterator<Item = SkillId>,
        groups: impl IntoIterator<Item = GroupId>,
    ) -> ReadyIndex {
        let mut index = ReadyIndex::default();
        for s in skills {
            if index.skills.len() <= s.index() {
                index.skills.resize_with(s.index() + 1, || None);
            }
            index.skills[s.index()].get_or_insert_with(Box::default);
        }
        index.masks = vec![0; index.skills.len()];
        for g in groups {
            if index.groups.len() <= g.index() {
                index.groups.resize_with(g.index() + 1, || None);
            }
            index.groups[g.index()].get_or_insert_with(BTreeSet::new);
        }
        index
    }

    pub fn insert(&mut self, agent: &AgentRt, key: ReadyKey) {
        for (skill, prof) in &agent.skills {
            if let Some(Some(sets)) = self.skills.get_mut(skill.index()) {
                let i = usize::from(prof.get() - 1);
                sets[i].insert(key);
                self.masks[skill.index()] |= 1 << i;
            }
        }
        if let Some(Some(set)) = self.groups.get_mut(agent.group.index()) {
            set.insert(key);
        }
    }

    pub fn remove(&mut self, agent: &AgentRt, key: ReadyKey) {
        for (skill, prof) in &agent.skills {
            if let Some(Some(sets)) = self.skills.get_mut(skill.index()) {
                let i = usize::from(prof.get() - 1);
                sets[i].remove(&key);
                if sets[i].is_empty() {
                    self.masks[skill.index()] &= !(1 << i);
                }
            }
        }
        if let Some(Some(set)) = self.groups.get_mut(agent.group.index()) {
            set.remove(&key);
        }
    }

    /// The sets of a skill, if any agent at `min` or better is ready in it.
    fn skill_sets(&self, skill: SkillId, min: u8) -> Option<&Sets> {
        let mask = *self.masks.get(skill.index())?;
        if mask >> (min - 1) == 0 {
            return None;
        }
        self.skills.get(skill.index()).and_then(|s| s.as_deref())
    }

    fn group_set(&self, group: GroupId) -> Option<&BTreeSet<ReadyKey>> {
        self.groups.get(group.index()).and_then(|s| s.as_ref())
    }

    /// The ready agent the policy picks for a contact whose requirement is `level`.
    /// `rr_last` is the agent who got the queue's previous contact (round robin);
    /// `agents` resolves proficiency for group-admitted agents under highest-proficiency.
    pub fn best(
        &self,
        level: &Level,
        policy: AgentSelection,
        rr_last: Option<AgentId>,
        agents: &[Option<AgentRt>],
    ) -> Option<AgentId> {
        match policy {
            AgentSelection::RoundRobin => self.best_round_robin(level, rr_last),
            AgentSelection::HighestProficiency => self.best_proficient(level, agents),
            _ => {
                let mut best: Option<ReadyKey> = None;
                let mut consider = |k: Option<&ReadyKey>| {
                    if let Some(k) = k {
                        if best.is_none_or(|b| *k < b) {
                            best = Some(*k);
                        }
                    }
                };
                for (skill, min) in &level.skills {
                    if let Some(sets) = self.skill_sets(*skill, min.get()) {
                        for set in &sets[usize::from(min.get() - 1)..] {
                            consider(set.first());
                        }
                    }
                }
                for g in &level.groups {
                    if let Some(set) = self.group_set(*g) {
                        consider(set.first());
                    }
                }
                best.map(|k| AgentId(k.agent))
            }
        }
    }

    fn best_proficient(&self, level: &Level, agents: &[Option<AgentRt>]) -> Option<AgentId> {
        // Order: (load, higher proficiency, since, id).
        let mut best: Option<(u16, std::cmp::Reverse<u8>, ReadyKey)> = None;
        let mut consider = |prof: u8, k: &ReadyKey| {
            let cand = (k.load, std::cmp::Reverse(prof), *k);
            if best.is_none_or(|b| cand < b) {
                best = Some(cand);
            }
        };
        for (skill, min) in &level.skills {
            if let Some(sets) = self.skill_sets(*skill, min.get()) {
                for (i, set) in sets.iter().enumerate().skip(usize::from(min.get() - 1)) {
                    if let Some(k) = set.first() {
                        consider(i as u8 + 1, k);
                    }
                }
            }
        }
        let primary = level.skills[0].0;
        for g in &level.groups {
            if let Some(k) = self.group_set(*g).and_then(|s| s.first()) {
                let prof = agents
                    .get(k.agent as usize)
                    .and_then(|a| a.as_ref())
                    .and_then(|a| a.proficiency(primary))
                    .map_or(0, |p| p.get());
                consider(prof, k);
            }
        }
        best.map(|(_, _, k)| AgentId(k.agent))
    }

    fn best_round_robin(&self, level: &Level, rr_last: Option<AgentId>) -> Option<AgentId> {
        let from = rr_last.map_or(0, |a| a.0.saturating_add(1));
        let mut after: Option<u32> = None;
        let mut first: Option<u32> = None;
        let mut consider = |set: &BTreeSet<ReadyKey>| {
            if let Some(k) = set.range(ReadyKey::floor(from)..).next() {
                after = Some(after.map_or(k.agent, |a| a.min(k.agent)));
            }
            if let Some(k) = set.first() {
                first = Some(first.map_or(k.agent, |a| a.min(k.agent)));
            }
        };
        for (skill, min) in &level.skills {
            if let Some(sets) = self.skill_sets(*skill, min.get()) {
                for set in &sets[usize::from(min.get() - 1)..] {
                    consider(set);
                }
            }
        }
        for g in &level.groups {
            if let Some(set) = self.group_set(*g) {
                consider(set);
            }
        }
        after.or(first).map(AgentId)
    }
}
