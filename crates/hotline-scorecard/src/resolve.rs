//! The cascade: each owner's effective scorecard is the center's definition with the
//! overrides of its chain applied in order —
//!
//! ```text
//! center → every department → its department → every team → its team → every agent → the agent
//! ```
//!
//! — each value kept with its provenance (the level and owner that set it, and the key
//! in the definition), so a page can show what is inherited and from where.

use std::collections::HashMap;
use std::fmt;

use hotline_metrics::{KpiId, Unit};
use serde::Serialize;

use crate::definition::{
    Better, Definition, Item, Override, Perspective, Selector, Settings, Text,
};
use crate::error::{Problems, ScorecardError};
use crate::org::{Level, Org, Owner, OwnerKey};

/// Where a value was set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The level whose definition or override set it (`center` for the definition).
    pub level: Level,
    /// The owner the override is for; `None` for the definition (center) and for an
    /// override of every owner of the level.
    pub owner: Option<String>,
    /// The key in the definition (`perspectives.customer.objectives[0].measures[0].target`,
    /// `overrides[2].target`).
    pub key: String,
}

impl fmt::Display for Source {
    /// `center`, `every team`, `team billing`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.owner, self.level) {
            (_, Level::Center) => f.write_str("center"),
            (None, l) => write!(f, "every {l}"),
            (Some(o), l) => write!(f, "{l} {o}"),
        }
    }
}

/// A value and where it came from. Equal when value and source are (the order in
/// which resolution applied it is not compared).
#[derive(Clone, Debug, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it was set.
    pub from: Source,
    /// Order of application, to blame the latest setting in an error.
    #[serde(skip)]
    seq: u32,
}

impl<T: PartialEq> PartialEq for Sourced<T> {
    fn eq(&self, other: &Sourced<T>) -> bool {
        self.value == other.value && self.from == other.from
    }
}

impl<T> Sourced<T> {
    /// Whether the owner at `level` inherits it (it was set above that level).
    pub fn inherited_at(&self, level: Level) -> bool {
        self.from.level < level
    }
}

/// A measure as it applies to one owner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffectiveMeasure {
    /// `customer.reach.service_level`.
    pub path: String,
    /// The KPI.
    pub kpi: KpiId,
    /// Its unit.
    pub unit: Unit,
    /// Which way is better.
    pub better: Better,
    /// The target.
    pub target: Sourced<f64>,
    /// Green threshold (for near-target: the distance from the target).
    pub green: Sourced<f64>,
    /// Amber threshold (for near-target: the distance from the target).
    pub amber: Sourced<f64>,
    /// Weight within its objective.
    pub weight: Sourced<f64>,
    /// Whether it counts for this owner.
    pub enabled: Sourced<bool>,
}

/// An objective as it applies to one owner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffectiveObjective {
    /// Its id.
    pub id: String,
    /// `customer.reach`.
    pub path: String,
    /// Its name.
    pub name: Text,
    /// Weight within the perspective.
    pub weight: Sourced<f64>,
    /// Whether it counts.
    pub enabled: Sourced<bool>,
    /// Its measures.
    pub measures: Vec<EffectiveMeasure>,
}

/// A perspective as it applies to one owner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffectivePerspective {
    /// Which.
    pub perspective: Perspective,
    /// Its name.
    pub name: Text,
    /// Weight among the perspectives.
    pub weight: Sourced<f64>,
    /// Whether it counts.
    pub enabled: Sourced<bool>,
    /// Its objectives.
    pub objectives: Vec<EffectiveObjective>,
}

/// One owner's effective scorecard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EffectiveScorecard {
    /// Whose.
    pub owner: Owner,
    /// The perspectives, in the order customer, financial, internal, learning_growth.
    pub perspectives: Vec<EffectivePerspective>,
}

impl EffectiveScorecard {
    /// Every measure with its perspective and objective.
    pub fn measures(
        &self,
    ) -> impl Iterator<
        Item = (
            &EffectivePerspective,
            &EffectiveObjective,
            &EffectiveMeasure,
        ),
    > {
        self.perspectives.iter().flat_map(|p| {
            p.objectives
                .iter()
                .flat_map(move |o| o.measures.iter().map(move |m| (p, o, m)))
        })
    }

    /// Whether the measure counts: it, its objective and its perspective enabled.
    pub fn counts(p: &EffectivePerspective, o: &EffectiveObjective, m: &EffectiveMeasure) -> bool {
        p.enabled.value && o.enabled.value && m.enabled.value
    }
}

/// Every owner's effective scorecard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    /// The definition's name.
    pub name: Text,
    /// Its KPI settings.
    pub settings: Settings,
    /// The organisation.
    pub org: Org,
    /// One per owner, in the org's tree order (center first).
    pub scorecards: Vec<EffectiveScorecard>,
    #[serde(skip)]
    index: HashMap<OwnerKey, usize>,
}

impl Resolved {
    /// The scorecard of `owner`.
    pub fn get(&self, owner: &OwnerKey) -> Option<&EffectiveScorecard> {
        self.index.get(owner).map(|&i| &self.scorecards[i])
    }

    /// The KPIs any owner's scorecard counts, in registry order.
    pub fn kpis(&self) -> Vec<KpiId> {
        let mut used = vec![false; KpiId::ALL.len()];
        for sc in &self.scorecards {
            for (p, o, m) in sc.measures() {
                if EffectiveScorecard::counts(p, o, m) {
                    used[KpiId::ALL.iter().position(|&k| k == m.kpi).expect("in ALL")] = true;
                }
            }
        }
        KpiId::ALL
            .iter()
            .zip(used)
            .filter_map(|(&k, u)| u.then_some(k))
            .collect()
    }
}

/// Checks `def` and `org` and resolves every owner's scorecard. Errors list every
/// problem: the definition's, the org's, overrides naming owners the org does not
/// have, and values that break the rules only once overrides are applied (each
/// blamed on the key that set it last, naming the owner).
pub fn resolve(def: &Definition, org: &Org) -> Result<Resolved, ScorecardError> {
    let mut p = Problems::default();
    def.check_shape(&mut p);
    if let Err(ScorecardError::Invalid(org_problems)) = org.validate() {
        p.0.extend(org_problems);
    }
    p.clone_finish()?;
    // Overrides with owners as the org's ids.
    let mut prepared = Vec::new();
    let mut seen: HashMap<(Selector, Item), usize> = HashMap::new();
    for (i, o) in def.overrides.iter().enumerate() {
        let sel = o.selector().expect("checked");
        let item = override_item(def, o);
        let owner = match (&sel.owner, sel.level) {
            (None, _) => Ok(None),
            (Some(d), Level::Department) => org.department_named(d).map(|id| Some(id.to_owned())),
            (Some(t), Level::Team) => org.team(t).map(|()| Some(t.clone())),
            (Some(a), _) => org.agent(a).map(|()| Some(a.clone())),
        };
        match owner {
            Ok(owner) => {
                let sel = Selector {
                    level: sel.level,
                    owner,
                };
                if let Some(first) = seen.insert((sel.clone(), item), i) {
                    p.push(
                        format!("overrides[{i}]"),
                        def.item_path(item),
                        format!(
                            "one override per owner and item (overrides[{first}] is for the \
                             same {} {}): put the fields in one entry",
                            sel.level,
                            sel.owner.as_deref().unwrap_or("(every)")
                        ),
                    );
                }
                prepared.push((i, sel, item));
            }
            Err(allowed) => p.push(
                format!("overrides[{i}].{}", sel.level),
                sel.owner.as_deref().unwrap_or_default(),
                allowed,
            ),
        }
    }
    p.clone_finish()?;
    let mut scorecards = Vec::new();
    for owner in org.owners() {
        let mut chain = Vec::new();
        for k in owner.ancestors.iter().chain([&owner.key]) {
            if k.level != Level::Center {
                chain.push(Selector {
                    level: k.level,
                    owner: None,
                });
                chain.push(Selector {
                    level: k.level,
                    owner: Some(k.id.clone()),
                });
            }
        }
        let label = if owner.key.level == Level::Center {
            "the center".to_owned()
        } else {
            format!("{} {}", owner.key.level, owner.key.id)
        };
        let perspectives = effective(def, &chain, &prepared, &label, &mut p);
        scorecards.push(EffectiveScorecard {
            owner,
            perspectives,
        });
    }
    p.finish()?;
    let index = scorecards
        .iter()
        .enumerate()
        .map(|(i, s)| (s.owner.key.clone(), i))
        .collect();
    Ok(Resolved {
        name: def.name.clone(),
        settings: def.settings,
        org: org.clone(),
        scorecards,
        index,
    })
}

impl Problems {
    fn clone_finish(&self) -> Result<(), ScorecardError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ScorecardError::Invalid(self.0.clone()))
        }
    }
}

fn override_item(def: &Definition, o: &Override) -> Item {
    let (key, path) = if let Some(p) = &o.perspective {
        ("perspective", p)
    } else if let Some(ob) = &o.objective {
        ("objective", ob)
    } else {
        ("measure", o.measure.as_ref().expect("checked"))
    };
    def.find_item(key, path).expect("checked")
}

/// Without an org: the center, and chains of level-wide overrides (with each
/// owner-specific override on top of its level's), so a definition file can be
/// checked on its own.
pub(crate) fn check_level_chains(def: &Definition, p: &mut Problems) {
    let prepared: Vec<(usize, Selector, Item)> = def
        .overrides
        .iter()
        .enumerate()
        .map(|(i, o)| (i, o.selector().expect("checked"), override_item(def, o)))
        .collect();
    let every = |l| Selector {
        level: l,
        owner: None,
    };
    let mut chains: Vec<(Vec<Selector>, String)> = vec![
        (vec![], "the center".into()),
        (vec![every(Level::Department)], "every department".into()),
        (
            vec![every(Level::Department), every(Level::Team)],
            "every team".into(),
        ),
        (
            vec![
                every(Level::Department),
                every(Level::Team),
                every(Level::Agent),
            ],
            "every agent".into(),
        ),
    ];
    for (_, sel, _) in &prepared {
        let Some(owner) = &sel.owner else { continue };
        let upto = Level::ALL
            .iter()
            .filter(|&&l| l != Level::Center && l <= sel.level)
            .map(|&l| every(l));
        let mut chain: Vec<Selector> = upto.collect();
        chain.push(sel.clone());
        chains.push((chain, format!("{} {owner}", sel.level)));
    }
    for (chain, label) in chains {
        effective(def, &chain, &prepared, &label, p);
    }
}

/// A value the definition itself (the center) sets at `key`.
fn sourced<T>(value: T, key: String) -> Sourced<T> {
    Sourced {
        value,
        from: Source {
            level: Level::Center,
            owner: None,
            key,
        },
        seq: 0,
    }
}

/// The definition with the overrides of `chain` applied in order, checked.
fn effective(
    def: &Definition,
    chain: &[Selector],
    prepared: &[(usize, Selector, Item)],
    label: &str,
    p: &mut Problems,
) -> Vec<EffectivePerspective> {
    let mut out: Vec<EffectivePerspective> = Vec::new();
    let mut greens: Vec<Vec<Vec<Option<Sourced<f64>>>>> = Vec::new();
    for (per, pd) in def.perspectives.iter() {
        let pp = format!("perspectives.{per}");
        let mut objectives = Vec::new();
        let mut pg = Vec::new();
        for (oi, o) in pd.objectives.iter().enumerate() {
            let op = format!("{pp}.objectives[{oi}]");
            let mut measures = Vec::new();
            let mut og = Vec::new();
            for (mi, m) in o.measures.iter().enumerate() {
                let mp = format!("{op}.measures[{mi}]");
                let better = Definition::better_of(m);
                let near = better == Better::NearTarget;
                let (gk, ak) = if near {
                    ("green_within", "amber_within")
                } else {
                    ("green", "amber")
                };
                let (g, a) = if near {
                    (m.green_within, m.amber_within)
                } else {
                    (m.green, m.amber)
                };
                let kpi = KpiId::parse(&m.kpi).expect("checked");
                og.push(g.map(|g| sourced(g, format!("{mp}.{gk}"))));
                measures.push(EffectiveMeasure {
                    path: format!("{per}.{}.{}", o.id, m.kpi),
                    kpi,
                    unit: kpi.def().unit,
                    better,
                    target: sourced(m.target, format!("{mp}.target")),
                    // Placeholder until the chain is applied (green defaults to target).
                    green: sourced(f64::NAN, String::new()),
                    amber: sourced(a.expect("checked"), format!("{mp}.{ak}")),
                    weight: sourced(m.weight, format!("{mp}.weight")),
                    enabled: sourced(m.enabled, format!("{mp}.enabled")),
                });
            }
            pg.push(og);
            objectives.push(EffectiveObjective {
                id: o.id.clone(),
                path: format!("{per}.{}", o.id),
                name: o.name.clone(),
                weight: sourced(o.weight, format!("{op}.weight")),
                enabled: sourced(o.enabled, format!("{op}.enabled")),
                measures,
            });
        }
        greens.push(pg);
        out.push(EffectivePerspective {
            perspective: per,
            name: per.name(),
            weight: sourced(pd.weight, format!("{pp}.weight")),
            enabled: sourced(pd.enabled, format!("{pp}.enabled")),
            objectives,
        });
    }
    let pos = |per: Perspective| {
        def.perspectives
            .iter()
            .position(|(k, _)| k == per)
            .expect("an item of the definition")
    };
    let mut seq = 0;
    for sel in chain {
        for (i, osel, item) in prepared {
            if osel != sel {
                continue;
            }
            seq += 1;
            let o = &def.overrides[*i];
            let src = |k: &str| Source {
                level: sel.level,
                owner: sel.owner.clone(),
                key: format!("overrides[{i}].{k}"),
            };
            let set_f = |slot: &mut Sourced<f64>, v: Option<f64>, k: &str| {
                if let Some(v) = v {
                    *slot = Sourced {
                        value: v,
                        from: src(k),
                        seq,
                    };
                }
            };
            let set_b = |slot: &mut Sourced<bool>, v: Option<bool>| {
                if let Some(v) = v {
                    *slot = Sourced {
                        value: v,
                        from: src("enabled"),
                        seq,
                    };
                }
            };
            match *item {
                Item::Perspective(per) => {
                    let ep = &mut out[pos(per)];
                    set_f(&mut ep.weight, o.weight, "weight");
                    set_b(&mut ep.enabled, o.enabled);
                }
                Item::Objective(per, oi) => {
                    let eo = &mut out[pos(per)].objectives[oi];
                    set_f(&mut eo.weight, o.weight, "weight");
                    set_b(&mut eo.enabled, o.enabled);
                }
                Item::Measure(per, oi, mi) => {
                    let pi = pos(per);
                    let em = &mut out[pi].objectives[oi].measures[mi];
                    let near = em.better == Better::NearTarget;
                    set_f(&mut em.target, o.target, "target");
                    set_f(&mut em.weight, o.weight, "weight");
                    set_b(&mut em.enabled, o.enabled);
                    let (g, gk, a, ak) = if near {
                        (
                            o.green_within,
                            "green_within",
                            o.amber_within,
                            "amber_within",
                        )
                    } else {
                        (o.green, "green", o.amber, "amber")
                    };
                    set_f(&mut em.amber, a, ak);
                    if let Some(g) = g {
                        greens[pi][oi][mi] = Some(Sourced {
                            value: g,
                            from: src(gk),
                            seq,
                        });
                    }
                }
            }
        }
    }
    for (pi, ep) in out.iter_mut().enumerate() {
        for (oi, eo) in ep.objectives.iter_mut().enumerate() {
            for (mi, em) in eo.measures.iter_mut().enumerate() {
                em.green = greens[pi][oi][mi]
                    .take()
                    .unwrap_or_else(|| em.target.clone());
                check(em, label, p);
            }
        }
    }
    out
}

/// The rules of an effective measure; a broken one is blamed on whichever of its two
/// values was set last.
fn check(m: &EffectiveMeasure, label: &str, p: &mut Problems) {
    let for_whom = format!(
        "for {} ({} is better), as resolved for {label}",
        m.kpi, m.better
    );
    if m.target.value <= 0.0 {
        p.push_once(
            m.target.from.key.clone(),
            m.target.value,
            format!("a target > 0 (achievement is a ratio to it) {for_whom}"),
        );
    }
    // A green left to default is the target: name it so.
    let green_is_target = m.green.from.key == m.target.from.key;
    let (gn, an) = match m.better {
        Better::NearTarget => ("green_within", "amber_within"),
        _ if green_is_target => ("target", "amber"),
        _ => ("green", "amber"),
    };
    match m.better {
        Better::Higher => {
            rule(p, &for_whom, (an, &m.amber), (gn, &m.green));
            if !green_is_target {
                rule(p, &for_whom, (an, &m.amber), ("target", &m.target));
            }
        }
        Better::Lower => {
            rule(p, &for_whom, (gn, &m.green), (an, &m.amber));
            if !green_is_target {
                rule(p, &for_whom, ("target", &m.target), (an, &m.amber));
            }
        }
        Better::NearTarget => {
            if m.green.value < 0.0 {
                p.push_once(
                    m.green.from.key.clone(),
                    m.green.value,
                    format!("a distance ≥ 0 {for_whom}"),
                );
            }
            rule(p, &for_whom, (gn, &m.green), (an, &m.amber));
        }
    }
}

/// `a ≤ b` must hold.
fn rule(p: &mut Problems, for_whom: &str, a: (&str, &Sourced<f64>), b: (&str, &Sourced<f64>)) {
    if a.1.value <= b.1.value {
        return;
    }
    // The later setting is to blame; within one entry, the amber threshold.
    let a_blamed = a.1.seq > b.1.seq || (a.1.seq == b.1.seq && a.0.starts_with("amber"));
    let (blamed, op, other) = if a_blamed {
        (a, '≤', b)
    } else {
        (b, '≥', a)
    };
    p.push_once(
        blamed.1.from.key.clone(),
        blamed.1.value,
        format!(
            "{} {op} {} ({}, set by {} at {}) {for_whom}",
            blamed.0, other.0, other.1.value, other.1.from, other.1.from.key
        ),
    );
}
