//! The running sums of one (interval, group) cell, and the KPI values they give.
//! Every KPI is a ratio of sums, so cells add up exactly into totals.

use crate::kpi::KpiId;
use crate::record::{AgentState, AgentStateInterval, ContactRecord, Outcome};

use super::KpiParams;

const HOUR_MS: f64 = 3_600_000.0;

/// Sums over contact records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Contacts {
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub short_abandoned: u64,
    pub flowed_out: u64,
    pub callbacks: u64,
    pub transferred: u64,
    pub answered_in_sl: u64,
    pub abandoned_in_sl: u64,
    pub wait_answered_ms: i64,
    pub wait_abandoned_ms: i64,
    pub max_wait_ms: i64,
    pub talk_ms: i64,
    pub hold_ms: i64,
    pub wrap_up_ms: i64,
}

impl Contacts {
    #[inline]
    pub fn add(&mut self, r: &ContactRecord, p: &KpiParams) {
        self.offered += 1;
        let wait = r.wait.0;
        self.max_wait_ms = self.max_wait_ms.max(wait);
        if r.answered_at.is_some() {
            self.answered += 1;
            self.wait_answered_ms += wait;
            self.answered_in_sl += u64::from(wait <= p.service_level_threshold.0);
            self.talk_ms += r.talk.0;
            self.hold_ms += r.hold.0;
            self.wrap_up_ms += r.wrap_up.0;
            self.transferred += u64::from(r.transfers > 0);
            self.callbacks += u64::from(r.outcome == Outcome::CallbackCompleted);
        } else {
            match r.outcome {
                Outcome::Abandoned => {
                    self.abandoned += 1;
                    self.wait_abandoned_ms += wait;
                    self.abandoned_in_sl += u64::from(wait <= p.service_level_threshold.0);
                    self.short_abandoned += u64::from(wait < p.short_abandon_threshold.0);
                }
                Outcome::TransferredOut => self.flowed_out += 1,
                _ => {}
            }
        }
    }

    pub fn merge(&mut self, o: &Contacts) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.short_abandoned += o.short_abandoned;
        self.flowed_out += o.flowed_out;
        self.callbacks += o.callbacks;
        self.transferred += o.transferred;
        self.answered_in_sl += o.answered_in_sl;
        self.abandoned_in_sl += o.abandoned_in_sl;
        self.wait_answered_ms += o.wait_answered_ms;
        self.wait_abandoned_ms += o.wait_abandoned_ms;
        self.max_wait_ms = self.max_wait_ms.max(o.max_wait_ms);
        self.talk_ms += o.talk_ms;
        self.hold_ms += o.hold_ms;
        self.wrap_up_ms += o.wrap_up_ms;
    }
}

/// Milliseconds in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AgentTime {
    pub ready_ms: i64,
    pub not_ready_ms: i64,
    pub reserved_ms: i64,
    pub busy_ms: i64,
    pub wrap_up_ms: i64,
}

impl AgentTime {
    #[inline]
    pub fn add(&mut self, s: &AgentStateInterval, ms: i64) {
        match s.state {
            AgentState::LoggedOut => {}
            AgentState::Ready => self.ready_ms += ms,
            AgentState::NotReady => self.not_ready_ms += ms,
            AgentState::Reserved => self.reserved_ms += ms,
            AgentState::Busy => self.busy_ms += ms,
            AgentState::WrapUp => self.wrap_up_ms += ms,
        }
    }

    pub fn merge(&mut self, o: &AgentTime) {
        self.ready_ms += o.ready_ms;
        self.not_ready_ms += o.not_ready_ms;
        self.reserved_ms += o.reserved_ms;
        self.busy_ms += o.busy_ms;
        self.wrap_up_ms += o.wrap_up_ms;
    }

    fn on_contact(&self) -> i64 {
        self.busy_ms + self.wrap_up_ms + self.reserved_ms
    }

    fn logged_in(&self) -> i64 {
        self.on_contact() + self.ready_ms + self.not_ready_ms
    }
}

/// One (interval, group) cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cell {
    pub contacts: Contacts,
    pub time: AgentTime,
}

impl Cell {
    pub fn merge(&mut self, o: &Cell) {
        self.contacts.merge(&o.contacts);
        self.time.merge(&o.time);
    }

    /// The value of `kpi`; `None` when its denominator is zero (or the KPI is not
    /// computed from these inputs).
    pub fn value(&self, kpi: KpiId) -> Option<f64> {
        let c = &self.contacts;
        let t = &self.time;
        let pct = |n: u64, d: u64| (d > 0).then(|| 100.0 * n as f64 / d as f64);
        let mean_s = |sum_ms: i64, n: u64| (n > 0).then(|| sum_ms as f64 / 1000.0 / n as f64);
        let share = |n: i64, d: i64| (d > 0).then(|| 100.0 * n as f64 / d as f64);
        match kpi {
            KpiId::Offered => Some(c.offered as f64),
            KpiId::Answered => Some(c.answered as f64),
            KpiId::Abandoned => Some(c.abandoned as f64),
            KpiId::ShortAbandoned => Some(c.short_abandoned as f64),
            KpiId::FlowedOut => Some(c.flowed_out as f64),
            KpiId::ServiceLevel => pct(c.answered_in_sl, c.offered),
            KpiId::ServiceLevelAnswered => pct(c.answered_in_sl, c.answered),
            KpiId::ServiceLevelSl2 => pct(
                c.answered_in_sl + c.abandoned_in_sl,
                c.answered + c.abandoned,
            ),
            KpiId::ServiceLevelExclShort => pct(c.answered_in_sl, c.offered - c.short_abandoned),
            KpiId::AsaS => mean_s(c.wait_answered_ms, c.answered),
            KpiId::MaxWaitS => (c.offered > 0).then(|| c.max_wait_ms as f64 / 1000.0),
            KpiId::AvgAbandonWaitS => mean_s(c.wait_abandoned_ms, c.abandoned),
            KpiId::AhtS => mean_s(c.talk_ms + c.hold_ms + c.wrap_up_ms, c.answered),
            KpiId::AvgTalkS => mean_s(c.talk_ms, c.answered),
            KpiId::AvgHoldS => mean_s(c.hold_ms, c.answered),
            KpiId::AvgWrapUpS => mean_s(c.wrap_up_ms, c.answered),
            KpiId::AbandonRate => pct(c.abandoned, c.offered),
            KpiId::AbandonRateExclShort => pct(
                c.abandoned - c.short_abandoned,
                c.offered - c.short_abandoned,
            ),
            KpiId::AnswerRate => pct(c.answered, c.offered),
            KpiId::TransferRate => pct(c.transferred, c.answered),
            KpiId::CallbackRate => pct(c.callbacks, c.offered),
            KpiId::Occupancy => share(t.on_contact(), t.on_contact() + t.ready_ms),
            KpiId::Utilisation => share(t.on_contact(), t.logged_in()),
            KpiId::ShrinkageLoggedIn => share(t.not_ready_ms, t.logged_in()),
            KpiId::ContactsPerAgentHour => {
                (t.logged_in() > 0).then(|| c.answered as f64 / (t.logged_in() as f64 / HOUR_MS))
            }
            KpiId::LoggedInHours => Some(t.logged_in() as f64 / HOUR_MS),
            KpiId::Fcr
            | KpiId::Csat
            | KpiId::Nps
            | KpiId::Attrition
            | KpiId::Shrinkage
            | KpiId::ScheduleAdherence
            | KpiId::QaScore
            | KpiId::CostPerContact => None,
        }
    }
}
