//! KPI values per owner and period, computed from contact records and agent state
//! intervals with hotline-metrics' streaming reports, in one pass over each.
//!
//! Which records are an owner's:
//!
//! | level | agent-side KPIs (AHT, transfers, occupancy…) | queue-side KPIs (service level, abandons, ASA…) |
//! |---|---|---|
//! | center | all records and states | all records |
//! | department | records and states of its teams' agents | records of its queues and its teams' queues |
//! | team | records and states of its agents | records of its queues |
//! | agent | their own records and states | not applicable |
//!
//! A record's team is its `team` field, else the org's team of its agent (as
//! `Dimension::Team` does); its department is that team's. Queue-side KPIs count
//! contacts no agent answered (abandons, flow-outs), which belong to no agent: an owner
//! has them only through the queues the org says it owns.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};

use hotline_metrics::kpi::Inputs;
use hotline_metrics::report::{Interval, KpiParams, Report, ReportSpec, ReportTable};
use hotline_metrics::{AgentStateInterval, ContactRecord, Dimension, KpiId, TimestampMs};
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::error::{Problem, ScorecardError};
use crate::org::{Level, Org, OwnerKey};
use crate::period::Period;

/// Which records an owner's value of a KPI comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Counts contacts no agent answered, or measures the queue's wait: the center's,
    /// and the queues' owners'.
    Queue,
    /// The handling agents' work and time: every level.
    Agent,
    /// Not computed from records (not fed yet): whatever feeds it supplies values.
    External,
}

/// The scope of `kpi`.
pub fn scope(kpi: KpiId) -> Scope {
    use KpiId::*;
    match kpi {
        Offered
        | Abandoned
        | ShortAbandoned
        | FlowedOut
        | ServiceLevel
        | ServiceLevelAnswered
        | ServiceLevelSl2
        | ServiceLevelExclShort
        | AsaS
        | MaxWaitS
        | AvgAbandonWaitS
        | AbandonRate
        | AbandonRateExclShort
        | AnswerRate
        | CallbackRate => Scope::Queue,
        Answered | AhtS | AvgTalkS | AvgHoldS | AvgWrapUpS | TransferRate | Occupancy
        | Utilisation | ShrinkageLoggedIn | ContactsPerAgentHour | LoggedInHours => Scope::Agent,
        Fcr | Csat | Nps | Attrition | Shrinkage | ScheduleAdherence | QaScore | CostPerContact => {
            Scope::External
        }
    }
}

/// One owner's KPI values; a KPI without a value (undefined in the period, not
/// applicable, not fed) is absent.
pub type KpiValues = BTreeMap<KpiId, f64>;

/// Every owner's values for one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodValues {
    /// The period.
    pub period: Period,
    /// Its start, RFC 3339 in the zone.
    pub from: String,
    /// Its end (exclusive), RFC 3339 in the zone.
    pub to: String,
    /// Values by owner (`team:billing`). Values from elsewhere (a QA score import) may
    /// be added before scoring.
    pub values: BTreeMap<OwnerKey, KpiValues>,
}

/// What the pass read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ValueStats {
    /// Contact records in one of the periods.
    pub records: u64,
    /// Contact records that arrived outside every period.
    pub records_outside: u64,
    /// Records in a period handled by an agent whose team is not in the org (they
    /// count for the center, and for the agent if the agent is in the org).
    pub records_without_team: u64,
    /// Records in a period whose queue no department or team owns (they count for
    /// the center's queue-side KPIs only).
    pub records_without_queue_owner: u64,
    /// Agent state intervals overlapping a period.
    pub states: u64,
    /// Agent state intervals outside every period.
    pub states_outside: u64,
}

/// Values for each period, oldest first, and what was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ComputedValues {
    /// One per period, in the order given.
    pub periods: Vec<PeriodValues>,
    /// Counts.
    pub stats: ValueStats,
}

/// The reports of one period.
struct PeriodReports {
    center: Report,
    agent: Option<Report>,
    team_a: Option<Report>,
    dept_a: Option<Report>,
    team_q: Option<Report>,
    dept_q: Option<Report>,
}

/// Computes `kpis` for every owner of `org` in each of `periods` (same kind, in
/// increasing order, each once) in `tz`, reading `records` and `states` once.
/// KPIs that nothing feeds yet are skipped (they stay absent: "no data").
pub fn compute_values<R, S>(
    org: &Org,
    periods: &[Period],
    tz: &TimeZone,
    kpis: &[KpiId],
    params: KpiParams,
    records: impl IntoIterator<Item = R>,
    states: impl IntoIterator<Item = S>,
) -> Result<ComputedValues, ScorecardError>
where
    R: Borrow<ContactRecord>,
    S: Borrow<AgentStateInterval>,
{
    org.validate()?;
    for w in periods.windows(2) {
        if w[0].kind() != w[1].kind() || w[0] >= w[1] {
            return Err(ScorecardError::Invalid(vec![Problem::new(
                "periods",
                format!("{}, {}", w[0], w[1]),
                "periods of one kind (month, quarter or year), in increasing order, each once",
            )]));
        }
    }
    let mut fed: Vec<KpiId> = Vec::new();
    for k in KpiId::ALL {
        if kpis.contains(k) && k.def().is_computed() && !fed.contains(k) {
            fed.push(*k);
        }
    }
    let agent_kpis: Vec<KpiId> = fed
        .iter()
        .copied()
        .filter(|&k| scope(k) == Scope::Agent)
        .collect();
    let queue_kpis: Vec<KpiId> = fed
        .iter()
        .copied()
        .filter(|&k| scope(k) == Scope::Queue)
        .collect();
    debug_assert!(fed.iter().all(|&k| scope(k) != Scope::External));
    debug_assert!(agent_kpis.iter().all(|k| k.def().inputs != Inputs::None));

    let agent_teams = org.agent_teams();
    let team_depts = org.team_departments();
    let (queue_team, queue_dept) = org.queue_owners();

    let mut bounds = Vec::new();
    let mut reports = Vec::new();
    for &period in periods {
        let (from, to) = period.bounds(tz)?;
        bounds.push((from, to));
        let spec = |group_by: Vec<Dimension>, kpis: &[KpiId]| {
            let mut s = ReportSpec::new(from, to, tz.clone());
            s.interval = Interval::Month;
            s.group_by = group_by;
            s.kpis = kpis.to_vec();
            s.params = params;
            s.include_empty = false;
            s
        };
        let make =
            |group_by: Vec<Dimension>, kpis: &[KpiId]| -> Result<Option<Report>, ScorecardError> {
                if kpis.is_empty() {
                    Ok(None)
                } else {
                    Ok(Some(Report::new(spec(group_by, kpis))?))
                }
            };
        let center_kpis: &[KpiId] = if fed.is_empty() {
            &[KpiId::Offered]
        } else {
            &fed
        };
        reports.push(PeriodReports {
            center: Report::new(spec(Vec::new(), center_kpis))?,
            agent: make(vec![Dimension::Agent], &agent_kpis)?,
            team_a: make(vec![Dimension::Team], &agent_kpis)?,
            dept_a: make(vec![Dimension::Team], &agent_kpis)?,
            team_q: make(vec![Dimension::Team], &queue_kpis)?,
            dept_q: make(vec![Dimension::Team], &queue_kpis)?,
        });
    }

    let find = |t: i64| -> Option<usize> {
        let i = bounds.partition_point(|b| b.1 .0 <= t);
        (i < bounds.len() && bounds[i].0 .0 <= t).then_some(i)
    };
    let mut stats = ValueStats::default();
    let mut scratch = blank_record();
    for r in records {
        let r = r.borrow();
        let Some(pi) = find(r.arrived_at.0) else {
            stats.records_outside += 1;
            continue;
        };
        stats.records += 1;
        let rep = &mut reports[pi];
        rep.center.add(r);
        if let Some(a) = &mut rep.agent {
            a.add(r);
        }
        let team = r.team.as_deref().or_else(|| {
            r.agent
                .as_deref()
                .and_then(|a| agent_teams.get(a))
                .map(String::as_str)
        });
        match team.and_then(|t| team_depts.get(t).map(|d| (t, d))) {
            Some((team, dept)) => {
                if let Some(rep_t) = &mut rep.team_a {
                    project(r, team, &mut scratch);
                    rep_t.add(&scratch);
                }
                if let Some(rep_d) = &mut rep.dept_a {
                    project(r, dept, &mut scratch);
                    rep_d.add(&scratch);
                }
            }
            None => {
                if r.agent.is_some() {
                    stats.records_without_team += 1;
                }
            }
        }
        let qd = queue_dept.get(&r.queue);
        if qd.is_none() {
            stats.records_without_queue_owner += 1;
        }
        if let (Some(t), Some(rep_q)) = (queue_team.get(&r.queue), &mut rep.team_q) {
            project(r, t, &mut scratch);
            rep_q.add(&scratch);
        }
        if let (Some(d), Some(rep_q)) = (qd, &mut rep.dept_q) {
            project(r, d, &mut scratch);
            rep_q.add(&scratch);
        }
    }
    for s in states {
        let s = s.borrow();
        let first = bounds.partition_point(|b| b.1 .0 <= s.from.0);
        let mut any = false;
        let team = s
            .team
            .as_deref()
            .or_else(|| agent_teams.get(&s.agent).map(String::as_str))
            .and_then(|t| team_depts.get(t).map(|d| (t, d)));
        for (pi, b) in bounds.iter().enumerate().skip(first) {
            if b.0 .0 >= s.to.0 {
                break;
            }
            if s.to.0 <= s.from.0 {
                break;
            }
            any = true;
            let rep = &mut reports[pi];
            rep.center.add_state(s);
            if let Some(a) = &mut rep.agent {
                a.add_state(s);
            }
            if let Some((team, dept)) = team {
                if let Some(rt) = &mut rep.team_a {
                    rt.add_state(&AgentStateInterval {
                        team: Some(team.to_owned()),
                        ..s.clone()
                    });
                }
                if let Some(rd) = &mut rep.dept_a {
                    rd.add_state(&AgentStateInterval {
                        team: Some(dept.to_owned()),
                        ..s.clone()
                    });
                }
            }
        }
        if any {
            stats.states += 1;
        } else {
            stats.states_outside += 1;
        }
    }

    let owners = org.owners();
    let mut out = Vec::new();
    for ((period, rep), (from, to)) in periods.iter().zip(reports).zip(bounds) {
        let mut values: BTreeMap<OwnerKey, KpiValues> = BTreeMap::new();
        let center = rep.center.finish();
        let by_group = |r: Option<Report>| r.map(|r| Grouped::new(r.finish()));
        let agent = by_group(rep.agent);
        let team_a = by_group(rep.team_a);
        let dept_a = by_group(rep.dept_a);
        let team_q = by_group(rep.team_q);
        let dept_q = by_group(rep.dept_q);
        for o in &owners {
            let mut v = KpiValues::new();
            match o.key.level {
                Level::Center => {
                    for (k, x) in center.kpis.iter().zip(&center.total.values) {
                        if let (true, Some(x)) = (fed.contains(k), x) {
                            v.insert(*k, *x);
                        }
                    }
                }
                Level::Department | Level::Team => {
                    let (a, q) = if o.key.level == Level::Team {
                        (&team_a, &team_q)
                    } else {
                        (&dept_a, &dept_q)
                    };
                    if let Some(a) = a {
                        a.fill(&o.key.id, &mut v);
                    }
                    if let (Some(q), true) = (q, o.has_queues()) {
                        q.fill(&o.key.id, &mut v);
                    }
                }
                Level::Agent => {
                    if let Some(a) = &agent {
                        a.fill(&o.key.id, &mut v);
                    }
                }
            }
            values.insert(o.key.clone(), v);
        }
        out.push(PeriodValues {
            period: *period,
            from: from.to_rfc3339_in(tz),
            to: to.to_rfc3339_in(tz),
            values,
        });
    }
    Ok(ComputedValues {
        periods: out,
        stats,
    })
}

/// A finished one-dimension report: totals by group, and the values of a group that
/// had nothing (counts 0, ratios undefined).
struct Grouped {
    table: ReportTable,
    rows: HashMap<String, usize>,
    empty: Vec<Option<f64>>,
}

impl Grouped {
    fn new(table: ReportTable) -> Grouped {
        let rows = table
            .totals
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.groups[0].clone().map(|g| (g, i)))
            .collect();
        let empty = empty_values(&table);
        Grouped { table, rows, empty }
    }

    fn fill(&self, id: &str, v: &mut KpiValues) {
        let values = match self.rows.get(id) {
            Some(&i) => &self.table.totals[i].values,
            None => &self.empty,
        };
        for (k, x) in self.table.kpis.iter().zip(values) {
            if let Some(x) = x {
                v.insert(*k, *x);
            }
        }
    }
}

/// The values of a report over nothing, for the same KPIs.
fn empty_values(table: &ReportTable) -> Vec<Option<f64>> {
    let mut spec = ReportSpec::new(TimestampMs(0), TimestampMs(1), TimeZone::UTC);
    spec.interval = Interval::Day;
    spec.group_by = Vec::new();
    spec.kpis = table.kpis.clone();
    Report::new(spec)
        .expect("the same KPIs over one day")
        .finish()
        .total
        .values
}

fn blank_record() -> ContactRecord {
    ContactRecord {
        contact_id: String::new(),
        queue: String::new(),
        channel: hotline_metrics::Channel::Voice,
        customer: String::new(),
        agent: None,
        team: Some(String::new()),
        arrived_at: TimestampMs(0),
        answered_at: None,
        ended_at: TimestampMs(0),
        wrap_up_end_at: None,
        outcome: hotline_metrics::Outcome::Unfinished,
        wait: hotline_metrics::DurationMs::ZERO,
        talk: hotline_metrics::DurationMs::ZERO,
        hold: hotline_metrics::DurationMs::ZERO,
        wrap_up: hotline_metrics::DurationMs::ZERO,
        transfers: 0,
        attributes: serde_json::Map::new(),
    }
}

/// `r` as a record of group `team` (reusing `scratch`'s buffers): what reports
/// read, without ids, customer or attributes.
fn project(r: &ContactRecord, team: &str, scratch: &mut ContactRecord) {
    scratch.channel = r.channel;
    scratch.arrived_at = r.arrived_at;
    scratch.answered_at = r.answered_at;
    scratch.ended_at = r.ended_at;
    scratch.wrap_up_end_at = r.wrap_up_end_at;
    scratch.outcome = r.outcome;
    scratch.wait = r.wait;
    scratch.talk = r.talk;
    scratch.hold = r.hold;
    scratch.wrap_up = r.wrap_up;
    scratch.transfers = r.transfers;
    let t = scratch.team.get_or_insert_with(String::new);
    t.clear();
    t.push_str(team);
}
