//! Rules that put a definition and an organisation to work elsewhere in Hotline, pure
//! like the rest of the crate: which team owns a queue, the morning briefing's
//! center-wide targets, and resolving a stored definition over an organisation that has
//! changed since it was saved.

use std::collections::BTreeMap;

use hotline_metrics::briefing::{Target, Targets};
use hotline_metrics::ContactRecord;
use serde::Serialize;

use crate::{resolve, Definition, Org, Problem, Resolved, ScorecardError};

/// Answered contacts of one team in one queue over some span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueAnswers {
    /// The queue's name.
    pub queue: String,
    /// The team's id in the org.
    pub team: String,
    /// Contacts of the queue the team's agents answered.
    pub answered: u64,
}

/// Answered contacts per queue and team in `records` (the team the record carries: the
/// agent's team), for [`queue_owners`].
pub fn queue_answers<'a>(
    records: impl IntoIterator<Item = &'a ContactRecord>,
) -> Vec<QueueAnswers> {
    let mut counts: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for r in records {
        if let (Some(_), Some(team)) = (r.answered_at, r.team.as_deref()) {
            *counts.entry((r.queue.as_str(), team)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((queue, team), answered)| QueueAnswers {
            queue: queue.to_owned(),
            team: team.to_owned(),
            answered,
        })
        .collect()
}

/// Queue → the team that owns it: the one whose agents answered most of its contacts
/// ("everything has an owner": a queue's targets cascade to the team that works it).
/// A tie goes to the first team by id, so the answer does not depend on input order.
pub fn queue_owners(answers: &[QueueAnswers]) -> BTreeMap<String, String> {
    let mut best: BTreeMap<&str, (&str, u64)> = BTreeMap::new();
    for a in answers.iter().filter(|a| a.answered > 0) {
        let better = best
            .get(a.queue.as_str())
            .is_none_or(|&(team, n)| a.answered > n || (a.answered == n && a.team.as_str() < team));
        if better {
            best.insert(&a.queue, (&a.team, a.answered));
        }
    }
    best.into_iter()
        .map(|(q, (t, _))| (q.to_owned(), t.to_owned()))
        .collect()
}

/// The morning briefing's center-wide targets from the center's measures of `def` (the
/// first enabled measure of each KPI in an enabled objective and perspective): abandon
/// rate, ASA and AHT at most their green threshold (the target when none is set),
/// occupancy within its green band around the target. Queue targets are the queues'
/// own settings, not the scorecard's: left at their defaults here.
pub fn briefing_targets(def: &Definition) -> Targets {
    let mut t = Targets::default();
    let measures = def
        .perspectives
        .iter()
        .filter(|(_, p)| p.enabled)
        .flat_map(|(_, p)| p.objectives.iter().filter(|o| o.enabled))
        .flat_map(|o| o.measures.iter().filter(|md| md.enabled));
    for md in measures {
        let at_most = Some(Target::AtMost(md.green.unwrap_or(md.target)));
        let slot = match md.kpi.as_str() {
            "abandon_rate" => &mut t.abandon_rate_pct,
            "asa_s" => &mut t.asa_s,
            "aht_s" => &mut t.aht_s,
            "occupancy" => {
                if t.occupancy_pct.is_none() {
                    let w = md.green_within.unwrap_or(0.0);
                    t.occupancy_pct = Some(Target::Between(md.target - w, md.target + w));
                }
                continue;
            }
            _ => continue,
        };
        if slot.is_none() {
            *slot = at_most;
        }
    }
    t
}

/// An override left out by [`resolve_lenient`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkippedOverride {
    /// Its key path in the definition as written (`overrides[0].team`).
    pub path: String,
    /// The owner it names.
    pub value: String,
    /// Why it was left out.
    pub allowed: String,
}

/// Resolves `def` over `org`, leaving out the overrides whose owner the org does not
/// have (a team deleted or renamed since the definition was saved, the example's
/// teams) and saying which; any other problem is an error, as in [`resolve`].
pub fn resolve_lenient(
    def: &Definition,
    org: &Org,
) -> Result<(Resolved, Vec<SkippedOverride>), ScorecardError> {
    let mut def = def.clone();
    let mut skipped = Vec::new();
    // Overrides keep their index as written in the messages.
    let mut index: Vec<usize> = (0..def.overrides.len()).collect();
    loop {
        let problems = match resolve(&def, org) {
            Ok(r) => return Ok((r, skipped)),
            Err(ScorecardError::Invalid(problems)) => problems,
            Err(e) => return Err(e),
        };
        let mut drop: Vec<usize> = problems.iter().filter_map(owner_problem).collect();
        if drop.is_empty() {
            // Blamed on the overrides as written, not as renumbered by the leaving out.
            let problems = problems
                .into_iter()
                .map(|mut p| {
                    if let Some(i) = override_index(&p.path) {
                        let rest = &p.path[p.path.find(']').map_or(0, |e| e + 1)..];
                        p.path = format!("overrides[{}]{rest}", index.get(i).copied().unwrap_or(i));
                    }
                    p
                })
                .collect();
            return Err(ScorecardError::Invalid(problems));
        }
        for p in &problems {
            let Some(i) = owner_problem(p) else { continue };
            let field = p.path.rsplit('.').next().unwrap_or("");
            skipped.push(SkippedOverride {
                path: format!("overrides[{}].{field}", index.get(i).copied().unwrap_or(i)),
                value: p.value.clone(),
                allowed: p.allowed.clone(),
            });
        }
        drop.sort_unstable();
        drop.dedup();
        for i in drop.into_iter().rev() {
            if i < def.overrides.len() {
                def.overrides.remove(i);
                index.remove(i);
            }
        }
    }
}

/// `overrides[3].team` (or `.agent`, `.department`) → 3.
fn owner_problem(p: &Problem) -> Option<usize> {
    let (_, field) = p.path.split_once("].")?;
    matches!(field, "team" | "agent" | "department")
        .then(|| override_index(&p.path))
        .flatten()
}

/// `overrides[3]…` → 3.
fn override_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("overrides[")?;
    rest.split_once(']')?.0.parse().ok()
}
