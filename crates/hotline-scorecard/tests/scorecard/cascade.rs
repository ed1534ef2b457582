//! Overrides and inheritance at each level, with provenance.

use hotline_scorecard::{
    resolve, Definition, EffectiveMeasure, Level, OwnerKey, Resolved, ScorecardError,
};

use crate::common::{def, org, DEF};

fn m<'a>(r: &'a Resolved, level: Level, id: &str, path: &str) -> &'a EffectiveMeasure {
    r.get(&OwnerKey::new(level, id))
        .unwrap()
        .measures()
        .map(|(_, _, m)| m)
        .find(|m| m.path == path)
        .unwrap()
}

fn from(x: &hotline_scorecard::Sourced<f64>) -> String {
    format!("{} @ {}", x.from, x.from.key)
}

#[test]
fn provenance_at_each_level() {
    let r = resolve(&def(), &org()).unwrap();
    let sl = "customer.reach.service_level";
    // The center: the definition.
    let c = m(&r, Level::Center, "c", sl);
    assert_eq!(
        (c.target.value, c.green.value, c.amber.value),
        (80.0, 80.0, 60.0)
    );
    assert_eq!(
        from(&c.target),
        "center @ perspectives.customer.objectives[0].measures[0].target"
    );
    // green defaults to the target, with the target's provenance.
    assert_eq!(
        from(&c.green),
        "center @ perspectives.customer.objectives[0].measures[0].target"
    );
    // The department and team t2 inherit it.
    for (level, id) in [
        (Level::Department, "d1"),
        (Level::Team, "t2"),
        (Level::Agent, "a3"),
    ] {
        let x = m(&r, level, id, sl);
        assert_eq!((x.target.value, x.amber.value), (80.0, 60.0));
        assert!(x.target.inherited_at(level));
        assert_eq!(x.target.from.level, Level::Center);
    }
    // Team t1 overrides target and amber; green follows its target.
    let t1 = m(&r, Level::Team, "t1", sl);
    assert_eq!(
        (t1.target.value, t1.green.value, t1.amber.value),
        (85.0, 85.0, 65.0)
    );
    assert_eq!(from(&t1.target), "team t1 @ overrides[0].target");
    assert_eq!(from(&t1.amber), "team t1 @ overrides[0].amber");
    assert!(!t1.target.inherited_at(Level::Team));
    // Its agents inherit the team's values.
    let a1 = m(&r, Level::Agent, "a1", sl);
    assert_eq!((a1.target.value, a1.amber.value), (85.0, 65.0));
    assert_eq!(from(&a1.target), "team t1 @ overrides[0].target");
    assert!(a1.target.inherited_at(Level::Agent));
    // The weight was not overridden: still the center's.
    assert_eq!(
        from(&a1.weight),
        "center @ perspectives.customer.objectives[0].measures[0].weight"
    );
}

#[test]
fn level_wide_and_owner_overrides_in_chain_order() {
    let r = resolve(&def(), &org()).unwrap();
    let ans = "financial.productivity.answered";
    assert_eq!(m(&r, Level::Center, "c", ans).target.value, 8.0);
    assert_eq!(m(&r, Level::Department, "d1", ans).target.value, 8.0);
    let t = m(&r, Level::Team, "t2", ans);
    assert_eq!((t.target.value, t.amber.value), (5.0, 4.0));
    assert_eq!(t.target.from.to_string(), "every team");
    let a = m(&r, Level::Agent, "a4", ans);
    assert_eq!((a.target.value, a.amber.value), (3.0, 2.0));
    assert_eq!(a.target.from.to_string(), "every agent");
    // Department by name → its id; inherited by its teams and agents.
    let occ = "internal.efficiency.occupancy";
    for (level, id) in [
        (Level::Department, "d1"),
        (Level::Team, "t1"),
        (Level::Agent, "a4"),
    ] {
        let x = m(&r, level, id, occ);
        assert_eq!(x.weight.value, 3.0);
        assert_eq!(x.weight.from.to_string(), "department d1");
        // The near-target thresholds are distances, inherited from the center.
        assert_eq!((x.green.value, x.amber.value), (5.0, 10.0));
    }
    assert_eq!(m(&r, Level::Center, "c", occ).weight.value, 1.0);
    // One agent's own override, only theirs.
    let aht = "internal.efficiency.aht_s";
    assert_eq!(m(&r, Level::Agent, "a3", aht).target.value, 360.0);
    assert_eq!(
        m(&r, Level::Agent, "a3", aht).target.from.to_string(),
        "agent a3"
    );
    assert_eq!(m(&r, Level::Agent, "a4", aht).target.value, 300.0);
    assert_eq!(m(&r, Level::Team, "t2", aht).target.value, 300.0);
}

#[test]
fn an_owner_override_beats_its_level_wide_one() {
    let text = format!(
        "{DEF}\n[[overrides]]\nagent = \"a2\"\nmeasure = \"financial.productivity.answered\"\ntarget = 4\n"
    );
    let r = resolve(&Definition::from_toml(&text).unwrap(), &org()).unwrap();
    let a2 = m(&r, Level::Agent, "a2", "financial.productivity.answered");
    // Target from the agent, amber from every agent.
    assert_eq!((a2.target.value, a2.amber.value), (4.0, 2.0));
    assert_eq!(a2.target.from.to_string(), "agent a2");
    assert_eq!(a2.amber.from.to_string(), "every agent");
    assert_eq!(
        m(&r, Level::Agent, "a1", "financial.productivity.answered")
            .target
            .value,
        3.0
    );
}

#[test]
fn switching_items_off_and_on() {
    let text = format!(
        "{DEF}
[[overrides]]
level = \"agent\"
perspective = \"customer\"
enabled = false

[[overrides]]
agent = \"a1\"
perspective = \"customer\"
enabled = true

[[overrides]]
team = \"t2\"
objective = \"internal.efficiency\"
weight = 4
"
    );
    let r = resolve(&Definition::from_toml(&text).unwrap(), &org()).unwrap();
    let customer = |id: &str| {
        r.get(&OwnerKey::new(Level::Agent, id))
            .unwrap()
            .perspectives[0]
            .enabled
            .clone()
    };
    assert!(!customer("a2").value);
    assert_eq!(customer("a2").from.to_string(), "every agent");
    assert!(customer("a1").value);
    let t2 = r.get(&OwnerKey::new(Level::Team, "t2")).unwrap();
    assert_eq!(t2.perspectives[2].objectives[0].weight.value, 4.0);
    assert_eq!(
        r.get(&OwnerKey::new(Level::Agent, "a3"))
            .unwrap()
            .perspectives[2]
            .objectives[0]
            .weight
            .value,
        4.0
    );
    assert_eq!(
        r.get(&OwnerKey::new(Level::Team, "t1"))
            .unwrap()
            .perspectives[2]
            .objectives[0]
            .weight
            .value,
        1.0
    );
}

#[test]
fn an_override_that_breaks_the_order_is_blamed_for_the_owner() {
    // Team t2 raises the lower-is-better AHT's green above the inherited amber.
    let text = format!(
        "{DEF}\n[[overrides]]\nteam = \"t2\"\nmeasure = \"internal.efficiency.aht_s\"\ngreen = 400\n"
    );
    let err = resolve(&Definition::from_toml(&text).unwrap(), &org()).unwrap_err();
    let p = err.problems();
    assert_eq!(p[0].path, "overrides[5].green");
    assert_eq!(p[0].value, "400");
    assert_eq!(
        p[0].allowed,
        "green ≤ amber (360, set by center at perspectives.internal.objectives[0].measures[0].amber) \
         for aht_s (lower is better), as resolved for team t2"
    );
    // Team t1's amber above its own target (higher is better) — but only for a1, who
    // lowers the target below it.
    let text = format!(
        "{DEF}\n[[overrides]]\nagent = \"a1\"\nmeasure = \"customer.reach.service_level\"\ntarget = 60\n"
    );
    let err = resolve(&Definition::from_toml(&text).unwrap(), &org()).unwrap_err();
    let p = err.problems();
    assert_eq!(p.len(), 1, "{err}");
    assert_eq!(p[0].path, "overrides[5].target");
    assert!(
        p[0].allowed
            .contains("target ≥ amber (65, set by team t1 at overrides[0].amber)"),
        "{}",
        p[0].allowed
    );
    assert!(
        p[0].allowed
            .ends_with("for service_level (higher is better), as resolved for agent a1"),
        "{}",
        p[0].allowed
    );
}

#[test]
fn unknown_owners_are_errors_with_the_org() {
    let text = format!(
        "{DEF}
[[overrides]]
team = \"t9\"
measure = \"customer.reach.service_level\"
target = 90

[[overrides]]
agent = \"zz\"
measure = \"customer.reach.service_level\"
target = 90

[[overrides]]
department = \"Sales\"
measure = \"customer.reach.service_level\"
target = 90
"
    );
    let def = Definition::from_toml(&text).unwrap();
    // Without the org the file is fine.
    def.validate().unwrap();
    let err = resolve(&def, &org()).unwrap_err();
    let p = err.problems();
    assert_eq!(p.len(), 3, "{err}");
    assert_eq!(
        (p[0].path.as_str(), p[0].value.as_str()),
        ("overrides[5].team", "t9")
    );
    assert_eq!(p[0].allowed, "a team id: t1, t2");
    assert_eq!(
        (p[1].path.as_str(), p[1].value.as_str()),
        ("overrides[6].agent", "zz")
    );
    assert_eq!(p[1].allowed, "an agent id of the org: a1, a2, a3, a4");
    assert_eq!(p[2].path, "overrides[7].department");
    assert_eq!(p[2].allowed, "a department id or name: d1");
}

#[test]
fn the_same_department_by_id_and_by_name_is_a_duplicate() {
    let text = format!(
        "{DEF}\n[[overrides]]\ndepartment = \"d1\"\nmeasure = \"internal.efficiency.occupancy\"\nweight = 2\n"
    );
    let err = resolve(&Definition::from_toml(&text).unwrap(), &org()).unwrap_err();
    assert_eq!(err.problems()[0].path, "overrides[5]");
    assert!(err.problems()[0].allowed.contains("overrides[4]"), "{err}");
}

#[test]
fn org_errors() {
    let bad = hotline_scorecard::Org::from_toml(
        r#"
[[departments]]
id = "d1"
queues = ["q1"]
[[departments.teams]]
id = "t1"
agents = [{ id = "a1" }, { id = "a1" }]
[[departments]]
id = "d2"
[[departments.teams]]
id = "t1"
queues = ["q1"]
"#,
    )
    .unwrap();
    let err = bad.validate().unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "org.departments[0].teams[0].agents[1].id",
            "org.departments[1].teams[0].id",
            "org.departments[1].teams[0].queues[0]"
        ]
    );
    assert!(matches!(
        resolve(&def(), &bad),
        Err(ScorecardError::Invalid(_))
    ));
}
