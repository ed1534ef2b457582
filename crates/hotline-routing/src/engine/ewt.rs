//! Estimated wait time.
//!
//! For a contact with `k` contacts ahead of it, `n` staffed slots (ready agents, busy or
//! not) eligible for it, the queue's recent mean handle time `h` and its observed
//! abandonment rate `θ` (abandons per second of waiting: abandons ÷ total time callers
//! waited, i.e. exponential patience):
//!
//! ```text
//! EWT = Σ_{j=0..k} 1 / (n/h + j·θ)
//! ```
//!
//! Each term is the expected time for the line ahead to shrink by one while `j` callers
//! are still ahead: one of the `n` busy agents finishes (rate n/h) or one of the `j`
//! callers ahead gives up (rate j·θ). This is the expected wait in an M/M/n+M (Erlang A)
//! line when every eligible agent is busy, for a caller who stays; with no abandonment it
//! is `(k + 1)·h/n`, the Erlang C value.
//!
//! "Ahead" counts the contacts of the same queue that score higher now (or equal and
//! earlier), plus the contacts of other queues that share agents with this one and score
//! higher, each weighted by the share of that queue's staffed slots that also serve this
//! one (then rounded to a whole number of callers).

use super::queue::{QueueRt, MICRO};
use super::Engine;
use crate::decision::Presence;
use crate::ids::{ContactId, QueueId};
use crate::time::{Span, Time};

use super::contact::Where;

impl Engine {
    /// Estimated remaining wait of a waiting contact; `None` if it is not waiting or no
    /// estimate is possible (no agent staffed for it, no handle time known yet). The cost
    /// grows with the number of contacts ahead of it.
    pub fn estimated_wait(&self, contact: ContactId, now: Time) -> Option<Span> {
        let c = self.contacts.get(self.contacts.slot(contact)?);
        if c.at != Where::Waiting {
            return None;
        }
        let q = self.queue_rt(c.queue)?;
        let score = q.score(c.boost, c.place.as_millis(), now.as_millis());
        self.ewt(q, c.level, score, c.seq, now)
    }

    /// Estimated wait of a contact that would arrive in `queue` now with this boost (what
    /// an IVR announces before queueing): zero when a ready agent would take it at once.
    pub fn estimated_wait_new(
        &self,
        queue: QueueId,
        priority_boost: i32,
        now: Time,
    ) -> Option<Span> {
        let q = self.queue_rt(queue)?;
        if self.best_agent(queue, 0).is_some() {
            return Some(Span::ZERO);
        }
        let score = q.base + i64::from(priority_boost) * MICRO;
        self.ewt(q, 0, score, u64::MAX, now)
    }

    fn ewt(&self, q: &QueueRt, level: u16, score: i64, seq: u64, now: Time) -> Option<Span> {
        let n = q.staffed(level);
        if n == 0 {
            return None;
        }
        let handle = q.handle_time_estimate()?.as_millis() as f64;
        let now_ms = now.as_millis();
        let mut ahead = count_ahead(q, score, seq, now_ms) as f64;
        // Slots of this queue's staffed agents that other queues with waiting contacts
        // also draw on.
        let mut shared: Vec<(QueueId, u32)> = Vec::new();
        let busy_neighbours = q
            .neighbours
            .iter()
            .any(|o| self.queue_rt(*o).is_some_and(|o| o.waiting > 0));
        let members: &[(crate::ids::AgentId, u16)] = if busy_neighbours { &q.members } else { &[] };
        for &(agent, min) in members {
            if min > level {
                continue;
            }
            let Some(a) = self.agent_rt(agent) else {
                continue;
            };
            if a.presence != Presence::Ready {
                continue;
            }
            for &(other, _) in &a.candidates {
                if other == q.id || self.queue_rt(other).is_none_or(|o| o.waiting == 0) {
                    continue;
                }
                match shared.iter_mut().find(|(id, _)| *id == other) {
                    Some(entry) => entry.1 += u32::from(a.slots),
                    None => shared.push((other, u32::from(a.slots))),
                }
            }
        }
        for (other, slots) in shared {
            let o = self.queue_rt(other).expect("checked above");
            let total = o.staffed((o.levels.len() - 1) as u16);
            if total > 0 {
                let share = f64::from(slots.min(total)) / f64::from(total);
                ahead += share * count_ahead(o, score, u64::MAX, now_ms) as f64;
            }
        }
        let service = f64::from(n) / handle;
        let theta = q.abandon_rate_per_ms();
        let ahead = ahead.round() as u64;
        let ms: f64 = (0..=ahead)
            .map(|j| 1.0 / (service + j as f64 * theta))
            .sum();
        Some(Span::from_millis(ms.round() as u64))
    }
}

/// Waiting contacts of `q` that are served before a contact with this score and
/// sequence. Within a class the line is in score order, so each class is read only up to
/// the first contact that is not ahead.
fn count_ahead(q: &QueueRt, score: i64, seq: u64, now_ms: u64) -> u64 {
    let mut ahead = 0;
    for class in &q.classes {
        for (&s, &(_, place)) in &class.line {
            let sc = q.score(class.boost, place, now_ms);
            if sc > score || (sc == score && s < seq) {
                ahead += 1;
            } else {
                break;
            }
        }
    }
    ahead
}
