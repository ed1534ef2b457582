//! The engine: state, event handling and queries.

use crate::config::{AgentConfig, QueueConfig, RoutingConfig};
use crate::decision::{AgentState, Decision};
use crate::error::{ConfigError, RoutingError};
use crate::event::Event;
use crate::ids::{AgentId, ContactId, QueueId};
use crate::time::{Span, Time};
use crate::view::{AgentCounts, AgentView, ContactView, QueueStats};

/// The routing engine. Own it in one place (the server's routing task, the simulator's
/// loop) and feed it events in time order.
#[derive(Clone, Debug)]
pub struct Engine {
    config: RoutingConfig,
    now: Time,
    decisions: Vec<Decision>,
}

impl Engine {
    /// Builds an engine from a validated configuration; every agent starts logged out.
    pub fn new(config: RoutingConfig) -> Result<Engine, ConfigError> {
        config.validate()?;
        Ok(Engine {
            config,
            now: Time::ZERO,
            decisions: Vec::new(),
        })
    }

    /// Applies one event at `now` and returns the decisions it caused, in order. The slice
    /// borrows an internal buffer reused by the next call.
    ///
    /// `now` must not be earlier than the `now` of any previous call. An invalid event
    /// (unknown id, wrong state) returns an error and leaves the engine unchanged.
    pub fn handle(&mut self, event: Event, now: Time) -> Result<&[Decision], RoutingError> {
        self.check_time(now)?;
        let _ = event;
        self.decisions.clear();
        self.now = now;
        Ok(&self.decisions)
    }

    /// The earliest time at which a [`Event::Tick`] has something to do (a ring timeout,
    /// the end of a fixed wrap-up, a routing step), or `None`.
    pub fn next_deadline(&self) -> Option<Time> {
        None
    }

    /// The latest `now` the engine has seen.
    pub fn now(&self) -> Time {
        self.now
    }

    /// The configuration in force (including run-time changes).
    pub fn config(&self) -> &RoutingConfig {
        &self.config
    }

    /// Estimated remaining wait of a waiting contact; `None` if it is not waiting or no
    /// estimate is possible (no agent staffed for it, no handle time known yet).
    pub fn estimated_wait(&self, contact: ContactId, now: Time) -> Option<Span> {
        let _ = (contact, now);
        None
    }

    /// Estimated wait of a contact that would arrive in `queue` now with this boost (what
    /// an IVR announces before queueing).
    pub fn estimated_wait_new(
        &self,
        queue: QueueId,
        priority_boost: i32,
        now: Time,
    ) -> Option<Span> {
        let _ = (queue, priority_boost, now);
        None
    }

    /// Live metrics of a queue.
    pub fn queue_stats(&self, queue: QueueId, now: Time) -> Result<QueueStats, RoutingError> {
        let _ = now;
        Err(RoutingError::UnknownQueue(queue))
    }

    /// An agent's displayed state.
    pub fn agent_state(&self, agent: AgentId) -> Option<AgentState> {
        let _ = agent;
        None
    }

    /// An agent's full live state.
    pub fn agent(&self, agent: AgentId) -> Option<AgentView> {
        let _ = agent;
        None
    }

    /// Every configured agent, by ascending id.
    pub fn agents(&self) -> impl Iterator<Item = AgentView> + '_ {
        std::iter::empty()
    }

    /// All agents counted by displayed state.
    pub fn agents_by_state(&self) -> AgentCounts {
        AgentCounts::default()
    }

    /// A live contact.
    pub fn contact(&self, contact: ContactId) -> Option<ContactView> {
        let _ = contact;
        None
    }

    /// Every live contact (waiting, ringing, connected), in no particular but
    /// deterministic order.
    pub fn contacts(&self) -> impl Iterator<Item = ContactView> + '_ {
        std::iter::empty()
    }

    /// Contacts waiting in all queues.
    pub fn waiting(&self) -> usize {
        0
    }

    /// Zeroes the queue counters and agents' accepted counts (live state is kept).
    pub fn reset_counters(&mut self) {}

    /// Adds an agent at run time (logged out).
    pub fn add_agent(
        &mut self,
        agent: AgentConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        let _ = agent;
        self.check_time(now)?;
        self.decisions.clear();
        Ok(&self.decisions)
    }

    /// Changes an agent's group, skills or slots at run time. Contacts they hold continue;
    /// if they are ready and now eligible for waiting contacts, offers follow at once.
    pub fn update_agent(
        &mut self,
        agent: AgentConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        let _ = agent;
        self.check_time(now)?;
        self.decisions.clear();
        Ok(&self.decisions)
    }

    /// Removes a logged-out agent.
    pub fn remove_agent(&mut self, agent: AgentId, now: Time) -> Result<&[Decision], RoutingError> {
        let _ = agent;
        self.check_time(now)?;
        self.decisions.clear();
        Ok(&self.decisions)
    }

    /// Adds a queue at run time.
    pub fn add_queue(
        &mut self,
        queue: QueueConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        let _ = queue;
        self.check_time(now)?;
        self.decisions.clear();
        Ok(&self.decisions)
    }

    /// Changes a queue's rules at run time; waiting contacts are re-levelled against the
    /// new steps and offered if an agent became eligible.
    pub fn update_queue(
        &mut self,
        queue: QueueConfig,
        now: Time,
    ) -> Result<&[Decision], RoutingError> {
        let _ = queue;
        self.check_time(now)?;
        self.decisions.clear();
        Ok(&self.decisions)
    }

    /// Removes a queue that holds no contact.
    pub fn remove_queue(&mut self, queue: QueueId, now: Time) -> Result<&[Decision], RoutingError> {
        let _ = queue;
        self.check_time(now)?;
        self.decisions.clear();
        Ok(&self.decisions)
    }

    fn check_time(&self, now: Time) -> Result<(), RoutingError> {
        if now < self.now {
            return Err(RoutingError::TimeWentBackwards {
                now,
                last: self.now,
            });
        }
        Ok(())
    }
}
