//! An agent at run time: presence, held contacts, the key that orders them among ready
//! agents.

use crate::config::AgentSelection;
use crate::decision::{AgentState, Presence};
use crate::ids::{AgentId, ContactId, GroupId, Proficiency, QueueId, SkillId};
use crate::time::Time;
use crate::view::Phase;

/// Orders ready agents for the selection policy: the smallest key is picked first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ReadyKey {
    /// Contacts held (multi-slot agents with fewer contacts first).
    pub load: u16,
    /// The policy's own criterion (contacts accepted, group rank), 0 if none.
    pub primary: u64,
    /// Available since (ms): longest idle first.
    pub since: u64,
    pub agent: u32,
}

impl ReadyKey {
    /// The smallest key of an agent id, for round-robin range queries.
    pub fn floor(agent: u32) -> ReadyKey {
        ReadyKey {
            load: 0,
            primary: 0,
            since: 0,
            agent,
        }
    }
}

/// A contact held by an agent.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Held {
    pub contact: ContactId,
    /// The contact's slot while it is live (offered, connected); unused in wrap-up.
    pub slot: u32,
    pub queue: QueueId,
    pub phase: Phase,
    /// Identifies this holding for its timers.
    pub token: u64,
    /// When the contact was offered, then when it was answered: handle time counts from
    /// the answer, not the ring.
    pub answered_at: Time,
}

#[derive(Clone, Debug)]
pub(crate) struct AgentRt {
    pub id: AgentId,
    pub group: GroupId,
    pub skills: Vec<(SkillId, Proficiency)>,
    pub slots: u16,
    pub presence: Presence,
    pub held: Vec<Held>,
    /// Where the agent sits in the ready index, if it does.
    pub ready_key: Option<ReadyKey>,
    pub available_since: Time,
    pub accepted: u64,
    /// Queues this agent can serve, with the lowest step level at which it can.
    pub candidates: Vec<(QueueId, u16)>,
    /// The state last announced.
    pub shown: AgentState,
}

impl AgentRt {
    pub fn is_available(&self) -> bool {
        self.presence == Presence::Ready && self.held.len() < usize::from(self.slots)
    }

    pub fn proficiency(&self, skill: SkillId) -> Option<Proficiency> {
        self.skills
            .iter()
            .find(|(s, _)| *s == skill)
            .map(|(_, p)| *p)
    }

    pub fn state(&self) -> AgentState {
        let mut offered = false;
        let mut wrap = false;
        for h in &self.held {
            match h.phase {
                Phase::Connected => return AgentState::OnContact,
                Phase::Offered => offered = true,
                Phase::WrapUp => wrap = true,
            }
        }
        if offered {
            AgentState::Offered
        } else if wrap {
            AgentState::WrapUp
        } else {
            match self.presence {
                Presence::LoggedOut => AgentState::LoggedOut,
                Presence::Ready => AgentState::Ready,
                Presence::NotReady(r) => AgentState::NotReady(r),
            }
        }
    }

    /// The key under the policy, for an available agent.
    pub fn key(&self, policy: AgentSelection) -> ReadyKey {
        let load = self.held.len() as u16;
        let since = self.available_since.as_millis();
        let agent = self.id.0;
        match policy {
            AgentSelection::LongestIdle | AgentSelection::HighestProficiency => ReadyKey {
                load,
                primary: 0,
                since,
                agent,
            },
            AgentSelection::FewestContacts => ReadyKey {
                load,
                primary: self.accepted,
                since,
                agent,
            },
            AgentSelection::Linear => ReadyKey {
                load,
                primary: u64::from(self.group.0),
                since,
                agent,
            },
            AgentSelection::RoundRobin => ReadyKey::floor(agent),
        }
    }

    pub fn held_index(&self, contact: ContactId, phase: Phase) -> Option<usize> {
        self.held
            .iter()
            .position(|h| h.contact == contact && h.phase == phase)
    }
}
