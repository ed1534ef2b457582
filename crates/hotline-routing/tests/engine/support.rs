//! Builders and a driver for readable scenarios.

#![allow(dead_code)]

use hotline_routing::*;

pub fn p(n: u8) -> Proficiency {
    Proficiency::new(n).unwrap()
}

pub fn t(secs: u64) -> Time {
    Time::from_secs(secs)
}

pub fn ms(ms: u64) -> Time {
    Time::from_millis(ms)
}

pub fn agent(id: u32, group: u32, skills: &[(u32, u8)]) -> AgentConfig {
    AgentConfig::new(
        AgentId(id),
        GroupId(group),
        skills.iter().map(|&(s, l)| (SkillId(s), p(l))).collect(),
    )
}

pub fn queue(id: u32, skill: u32) -> QueueConfig {
    QueueConfig::new(QueueId(id), SkillId(skill))
}

pub const A0: AgentId = AgentId(0);
pub const A1: AgentId = AgentId(1);
pub const A2: AgentId = AgentId(2);
pub const A3: AgentId = AgentId(3);
pub const Q0: QueueId = QueueId(0);
pub const Q1: QueueId = QueueId(1);
pub const Q2: QueueId = QueueId(2);

pub fn c(n: u64) -> ContactId {
    ContactId(n)
}

pub fn offer(contact: u64, agent: AgentId, queue: QueueId) -> Decision {
    Decision::Offer {
        contact: ContactId(contact),
        agent,
        queue,
        callback: false,
    }
}

pub fn queued(contact: u64, queue: QueueId) -> Decision {
    Decision::ContactQueued {
        contact: ContactId(contact),
        queue,
        callback: false,
    }
}

pub fn state(agent: AgentId, state: AgentState) -> Decision {
    Decision::AgentStateChanged { agent, state }
}

pub fn answered(contact: u64, agent: AgentId, queue: QueueId, waited_ms: u64) -> Decision {
    Decision::ContactAnswered {
        contact: ContactId(contact),
        agent,
        queue,
        waited: Span::from_millis(waited_ms),
    }
}

pub fn ended(
    contact: u64,
    queue: QueueId,
    agent: Option<AgentId>,
    outcome: Outcome,
    waited_ms: u64,
) -> Decision {
    Decision::ContactEnded {
        contact: ContactId(contact),
        queue,
        agent,
        outcome,
        waited: Span::from_millis(waited_ms),
    }
}

/// An engine plus convenience calls that return owned decisions.
pub struct Run {
    pub engine: Engine,
}

impl Run {
    pub fn new(config: RoutingConfig) -> Run {
        Run {
            engine: Engine::new(config).expect("valid config"),
        }
    }

    pub fn ev(&mut self, event: Event, at: Time) -> Vec<Decision> {
        match self.engine.handle(event, at) {
            Ok(d) => d.to_vec(),
            Err(e) => panic!("{event:?} at {at}: {e}"),
        }
    }

    pub fn try_ev(&mut self, event: Event, at: Time) -> Result<Vec<Decision>, RoutingError> {
        self.engine.handle(event, at).map(<[Decision]>::to_vec)
    }

    /// Logs the agent in and makes it ready; returns the decisions of the ready event.
    pub fn ready(&mut self, agent: AgentId, at: Time) -> Vec<Decision> {
        self.ev(Event::AgentLoggedIn { agent }, at);
        self.ev(Event::AgentReady { agent }, at)
    }

    pub fn arrive(&mut self, contact: u64, queue: QueueId, at: Time) -> Vec<Decision> {
        self.arrive_boosted(contact, queue, 0, at)
    }

    pub fn arrive_boosted(
        &mut self,
        contact: u64,
        queue: QueueId,
        boost: i32,
        at: Time,
    ) -> Vec<Decision> {
        self.ev(
            Event::ContactArrived {
                contact: ContactId(contact),
                queue,
                priority_boost: boost,
            },
            at,
        )
    }

    pub fn accept(&mut self, agent: AgentId, contact: u64, at: Time) -> Vec<Decision> {
        self.ev(
            Event::OfferAccepted {
                agent,
                contact: ContactId(contact),
            },
            at,
        )
    }

    pub fn end(&mut self, contact: u64, at: Time) -> Vec<Decision> {
        self.ev(
            Event::ContactEnded {
                contact: ContactId(contact),
            },
            at,
        )
    }

    pub fn tick(&mut self, at: Time) -> Vec<Decision> {
        self.ev(Event::Tick, at)
    }

    /// The first `Offer` in the decisions, as (contact, agent).
    pub fn offers(decisions: &[Decision]) -> Vec<(u64, AgentId)> {
        decisions
            .iter()
            .filter_map(|d| match d {
                Decision::Offer { contact, agent, .. } => Some((contact.0, *agent)),
                _ => None,
            })
            .collect()
    }
}
