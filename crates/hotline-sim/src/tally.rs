//! What one replication counts: per queue, per agent group and per interval.
//!
//! Counters only; the ratios (service level, ASA, ...) are formed in [`crate::report`], so
//! the definitions live in one place.

/// How a counted contact ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An agent took it after `wait_s`.
    Answered,
    /// The caller hung up after `wait_s`.
    Abandoned,
    /// Still waiting when the run stopped (cut-off, or nobody left who could answer).
    Unfinished,
}

/// Counters over the contacts of one queue (or of all queues).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueueTally {
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub unfinished: u64,
    /// Offered contacts that did not get an agent on arrival.
    pub waited: u64,
    /// Answered with a wait not above the queue's service-level threshold.
    pub answered_within_sl: u64,
    /// Sum of the waits of answered contacts.
    pub wait_answered_s: f64,
    /// Sum of the waits of all offered contacts (abandoned until they hung up,
    /// unfinished until the run stopped).
    pub wait_all_s: f64,
    /// Sum of handle times (talk) of answered contacts.
    pub handle_s: f64,
    /// Sum over answered contacts that queued of |estimated wait at arrival − wait|.
    pub ewt_abs_error_s: f64,
    /// How many contacts the EWT error sum holds.
    pub ewt_n: u64,
}

impl QueueTally {
    /// Count one contact.
    #[inline]
    pub fn record(&mut self, c: &ContactRecord) {
        self.offered += 1;
        self.waited += u64::from(c.wait_s > 0.0);
        self.wait_all_s += c.wait_s;
        match c.outcome {
            Outcome::Answered => {
                self.answered += 1;
                self.wait_answered_s += c.wait_s;
                self.handle_s += c.handle_s;
                self.answered_within_sl += u64::from(c.within_sl);
                if let Some(ewt) = c.ewt_s {
                    self.ewt_abs_error_s += (ewt - c.wait_s).abs();
                    self.ewt_n += 1;
                }
            }
            Outcome::Abandoned => self.abandoned += 1,
            Outcome::Unfinished => self.unfinished += 1,
        }
    }

    pub fn add(&mut self, o: &QueueTally) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.unfinished += o.unfinished;
        self.waited += o.waited;
        self.answered_within_sl += o.answered_within_sl;
        self.wait_answered_s += o.wait_answered_s;
        self.wait_all_s += o.wait_all_s;
        self.handle_s += o.handle_s;
        self.ewt_abs_error_s += o.ewt_abs_error_s;
        self.ewt_n += o.ewt_n;
    }
}

/// The facts about one finished contact that the tallies need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContactRecord {
    pub queue: usize,
    pub arrival_s: f64,
    pub outcome: Outcome,
    pub wait_s: f64,
    pub handle_s: f64,
    pub within_sl: bool,
    /// The engine's estimate at arrival, for answered contacts that queued.
    pub ewt_s: Option<f64>,
}

/// Agent time of one group, split by what the agents were doing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GroupTally {
    /// On a contact or in wrap-up (agent-seconds).
    pub busy_s: f64,
    /// Logged in and ready, waiting for a contact (agent-seconds).
    pub idle_s: f64,
}

impl GroupTally {
    pub fn add(&mut self, o: &GroupTally) {
        self.busy_s += o.busy_s;
        self.idle_s += o.idle_s;
    }
}

/// Everything one replication measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationTally {
    /// Contacts arriving in the measurement window, per queue.
    pub queues: Vec<QueueTally>,
    /// Agent time in the measurement window, per group.
    pub groups: Vec<GroupTally>,
    /// The whole run cut into report intervals: `intervals[k][q]` for contacts arriving
    /// in interval k (warm-up included).
    pub intervals: Vec<Vec<QueueTally>>,
    /// Agent time per report interval, all groups together.
    pub interval_agents: Vec<GroupTally>,
    /// Events the replication processed (arrivals, completions, expiries, ticks...),
    /// for speed reports.
    pub events: u64,
    /// Contacts simulated, warm-up included.
    pub contacts: u64,
    /// One entry per contact, warm-up included, in the order their fate was settled;
    /// empty unless the simulation was asked for it ([`crate::Simulation::with_contact_log`]).
    pub contact_log: Vec<ContactLog>,
}

/// How a logged contact ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogOutcome {
    /// An agent answered it.
    Answered,
    /// The caller hung up before an agent answered.
    Abandoned,
    /// Still waiting when the run stopped.
    Unfinished,
}

/// What happened to one simulated contact, with its times in milliseconds from the
/// start of the run: what a contact record needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactLog {
    /// The contact's number in its replication, in order of arrival (from 0).
    pub seq: u64,
    /// Its queue (index into the scenario's queues).
    pub queue: usize,
    /// The agent who answered it (the engine's dense agent index; see
    /// [`crate::Simulation::agent_names`]).
    pub agent: Option<u32>,
    /// Arrival.
    pub arrival_ms: u64,
    /// Answer.
    pub answered_ms: Option<u64>,
    /// End of the talk, of the wait (abandoned), or of the run (unfinished).
    pub ended_ms: u64,
    /// End of the agent's after-contact work, when the scenario has wrap-up and it
    /// ended within the run.
    pub wrap_up_end_ms: Option<u64>,
    /// How it ended.
    pub outcome: LogOutcome,
}

impl ContactLog {
    /// Time in queue: to the answer, or to the end of the wait.
    pub fn wait_ms(&self) -> u64 {
        self.answered_ms.unwrap_or(self.ended_ms) - self.arrival_ms
    }

    /// Time talking with the agent (0 for a contact nobody answered).
    pub fn talk_ms(&self) -> u64 {
        self.answered_ms.map_or(0, |a| self.ended_ms - a)
    }

    /// The agent's after-contact work (0 when there was none, or it outlasted the run).
    pub fn wrap_up_ms(&self) -> u64 {
        self.wrap_up_end_ms.map_or(0, |w| w - self.ended_ms)
    }
}

impl ReplicationTally {
    /// All queues together.
    pub fn all(&self) -> QueueTally {
        let mut t = QueueTally::default();
        for q in &self.queues {
            t.add(q);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_splits_by_outcome() {
        let mut t = QueueTally::default();
        let c = |outcome, wait_s, within_sl, ewt_s| ContactRecord {
            queue: 0,
            arrival_s: 0.0,
            outcome,
            wait_s,
            handle_s: 100.0,
            within_sl,
            ewt_s,
        };
        t.record(&c(Outcome::Answered, 0.0, true, None));
        t.record(&c(Outcome::Answered, 30.0, false, Some(20.0)));
        t.record(&c(Outcome::Abandoned, 12.0, false, None));
        t.record(&c(Outcome::Unfinished, 50.0, false, None));
        assert_eq!(
            t,
            QueueTally {
                offered: 4,
                answered: 2,
                abandoned: 1,
                unfinished: 1,
                waited: 3,
                answered_within_sl: 1,
                wait_answered_s: 30.0,
                wait_all_s: 92.0,
                handle_s: 200.0,
                ewt_abs_error_s: 10.0,
                ewt_n: 1,
            }
        );
    }
}
