//! Live metrics: per-queue counters turned into the wallboard's figures.

use std::collections::BTreeMap;

use super::agent::AgentRt;
use super::Engine;
use crate::decision::AgentState;
use crate::error::RoutingError;
use crate::ids::QueueId;
use crate::time::{Span, Time};
use crate::view::{AgentCounts, QueueStats, ServiceLevels};

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn mean(total_ms: u64, n: u64) -> Option<Span> {
    (n > 0).then(|| Span::from_millis(total_ms / n))
}

pub(super) fn count<'a>(agents: impl Iterator<Item = &'a AgentRt>) -> AgentCounts {
    let mut counts = AgentCounts::default();
    let mut not_ready = BTreeMap::new();
    for a in agents {
        let state = a.state();
        if state != AgentState::LoggedOut {
            counts.online += 1;
        }
        match state {
            AgentState::LoggedOut => {}
            AgentState::Ready => counts.available += 1,
            AgentState::Offered => counts.offered += 1,
            AgentState::OnContact => counts.on_contact += 1,
            AgentState::WrapUp => counts.wrap_up += 1,
            AgentState::NotReady(reason) => *not_ready.entry(reason).or_insert(0) += 1,
        }
    }
    counts.not_ready = not_ready.into_iter().collect();
    counts
}

impl Engine {
    /// Live metrics of a queue at `now` (counters since start or the last reset).
    pub fn queue_stats(&self, queue: QueueId, now: Time) -> Result<QueueStats, RoutingError> {
        let q = self
            .queue_rt(queue)
            .ok_or(RoutingError::UnknownQueue(queue))?;
        let c = &q.counters;
        let oldest = q.oldest_entry(|slot| self.contacts.get(slot).entered);
        let members = q
            .members
            .iter()
            .filter(|(_, level)| *level == 0)
            .filter_map(|(a, _)| self.agent_rt(*a));
        Ok(QueueStats {
            queue,
            waiting: q.waiting,
            waiting_callbacks: q.waiting_callbacks,
            ringing: q.ringing,
            oldest_wait: oldest.map(|t| now - t),
            entered: c.entered,
            offered: c.offered,
            answered: c.answered,
            answered_within_threshold: c.answered_within,
            abandoned: c.abandoned,
            abandoned_short: c.abandoned_short,
            callbacks_requested: c.callbacks_requested,
            callbacks_answered: c.callbacks_answered,
            callbacks_cancelled: c.callbacks_cancelled,
            transferred_out: c.transferred_out,
            transferred_out_unanswered: c.transferred_out_unanswered,
            handled: c.handled,
            service_level: ServiceLevels {
                of_offered: ratio(c.answered_within, c.offered),
                of_answered: ratio(c.answered_within, c.answered),
                asterisk_sl2: ratio(
                    c.answered_within + c.abandoned_short,
                    c.answered + c.abandoned,
                ),
            },
            asa: mean(c.wait_ms, c.answered),
            aht: mean(c.handle_ms, c.handled),
            recent_aht: q.recent.mean(),
            agents: count(members),
            estimated_wait_new: self.estimated_wait_new(queue, 0, now),
        })
    }

    /// All agents counted by displayed state.
    pub fn agents_by_state(&self) -> AgentCounts {
        count(self.agents.iter().flatten())
    }
}
