//! Hotline's ACD routing engine: which waiting contact goes to which agent, and when.
//!
//! Events in, decisions out, time passed in:
//!
//! ```
//! use hotline_routing::*;
//!
//! let mut config = RoutingConfig::default();
//! config.queues.push(QueueConfig::new(QueueId(0), SkillId(0)));
//! config.agents.push(AgentConfig::new(AgentId(0), GroupId(0), vec![(SkillId(0), Proficiency::MAX)]));
//! let mut engine = Engine::new(config).unwrap();
//! let t = Time::from_secs(1);
//! engine.handle(Event::AgentLoggedIn { agent: AgentId(0) }, t).unwrap();
//! engine.handle(Event::AgentReady { agent: AgentId(0) }, t).unwrap();
//! let decisions = engine
//!     .handle(Event::ContactArrived { contact: ContactId(7), queue: QueueId(0), priority_boost: 0 }, t)
//!     .unwrap();
//! assert!(decisions.contains(&Decision::Offer {
//!     contact: ContactId(7), agent: AgentId(0), queue: QueueId(0), callback: false
//! }));
//! ```
//!
//! A pure library: no I/O, no wall clock, no threads, no randomness. The same events at
//! the same times always give the same decisions, so the live server and the simulator
//! run the very same engine. See `docs/routing.md` for how it decides.

mod config;
mod decision;
mod engine;
mod error;
mod event;
mod ids;
mod time;
mod view;

pub use config::{
    AgentConfig, AgentSelection, Aging, QueueConfig, RoutingConfig, RoutingStep, StepAction,
    WrapUp, MAX_AGING_RATE, MAX_CONFIG_SPAN, MAX_SLOTS,
};
pub use decision::{AgentState, Decision, Outcome, Presence};
pub use engine::Engine;
pub use error::{ConfigError, RoutingError};
pub use event::Event;
pub use ids::{AgentId, ContactId, GroupId, Proficiency, QueueId, ReasonCode, SkillId};
pub use time::{Span, Time};
pub use view::{
    AgentCounts, AgentView, ContactState, ContactView, HeldContact, Phase, QueueStats,
    ServiceLevels,
};
