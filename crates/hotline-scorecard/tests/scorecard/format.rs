//! The definition format: parsing, round trips, and validation errors naming the key
//! path, the value and what is allowed.

use hotline_scorecard::{Definition, Problem, ScorecardError};

use crate::common::{def, DEF};

/// The problems of validating `text` (parsed as TOML).
fn problems(text: &str) -> Vec<Problem> {
    match Definition::from_toml(text).unwrap().validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.problems().to_vec(),
    }
}

/// A one-measure definition with `measure` lines.
fn one(measure: &str) -> String {
    format!(
        "name = \"x\"\n[[perspectives.customer.objectives]]\nid = \"o\"\nname = \"O\"\n\
         [[perspectives.customer.objectives.measures]]\n{measure}\n"
    )
}

#[test]
fn the_test_definition_is_valid_and_round_trips() {
    let d = def();
    d.validate().unwrap();
    assert_eq!(Definition::from_toml(&d.to_toml()).unwrap(), d);
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(Definition::from_json(&json).unwrap(), d);
    // Defaults: weight 1, enabled, T = 20 s.
    assert_eq!(d.settings.service_level_threshold_s, 20.0);
    assert_eq!(d.perspectives.len(), 3);
}

#[test]
fn unknown_kpi_lists_the_allowed_ids() {
    let p = problems(&one("kpi = \"service_levl\"\ntarget = 80\namber = 70"));
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].kpi"
    );
    assert_eq!(p[0].value, "service_levl");
    assert!(p[0]
        .allowed
        .starts_with("a KPI id from the registry, one of: offered, answered,"));
    assert!(p[0].allowed.contains("service_level, "));
    assert!(p[0].allowed.ends_with("qa_score, cost_per_contact"));
}

#[test]
fn weights_must_be_positive() {
    for w in ["0", "-1", "nan", "inf"] {
        let p = problems(&one(&format!(
            "kpi = \"aht_s\"\ntarget = 300\namber = 360\nweight = {w}"
        )));
        assert_eq!(p.len(), 1, "{w}: {p:?}");
        assert_eq!(
            p[0].path,
            "perspectives.customer.objectives[0].measures[0].weight"
        );
        assert_eq!(
            p[0].allowed,
            "a weight > 0 (to leave an item out, set enabled = false)"
        );
    }
    let text = DEF.replacen(
        "[perspectives.customer]\nweight = 2",
        "[perspectives.customer]\nweight = 0",
        1,
    );
    assert_eq!(problems(&text)[0].path, "perspectives.customer.weight");
}

#[test]
fn thresholds_must_be_ordered_for_the_direction() {
    // Higher is better: amber above green.
    let p = problems(&one(
        "kpi = \"service_level\"\ntarget = 80\ngreen = 75\namber = 78",
    ));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].amber"
    );
    assert_eq!(p[0].value, "78");
    assert_eq!(
        p[0].allowed,
        "amber ≤ green (75, set by center at perspectives.customer.objectives[0].measures[0].green) \
         for service_level (higher is better), as resolved for the center"
    );
    // Higher: amber above the target (green defaulting to it).
    let p = problems(&one("kpi = \"service_level\"\ntarget = 80\namber = 85"));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].amber"
    );
    assert!(
        p[0].allowed.starts_with("amber ≤ target (80"),
        "{}",
        p[0].allowed
    );
    // Lower is better: amber below green.
    let p = problems(&one("kpi = \"abandon_rate\"\ntarget = 5\namber = 3"));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].amber"
    );
    assert!(
        p[0].allowed.starts_with("amber ≥ target (5"),
        "{}",
        p[0].allowed
    );
    // Equal thresholds are allowed (no amber band).
    assert!(problems(&one("kpi = \"abandon_rate\"\ntarget = 5\namber = 5")).is_empty());
    // Near target: distances, green within amber.
    let p = problems(&one(
        "kpi = \"occupancy\"\ntarget = 85\ngreen_within = 8\namber_within = 4",
    ));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].amber_within"
    );
    assert!(
        p[0].allowed.starts_with("amber_within ≥ green_within (8"),
        "{}",
        p[0].allowed
    );
    // Target must be > 0.
    let p = problems(&one("kpi = \"aht_s\"\ntarget = 0\namber = 10"));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].target"
    );
}

#[test]
fn threshold_keys_follow_the_direction() {
    let p = problems(&one(
        "kpi = \"occupancy\"\ntarget = 85\ngreen = 80\namber = 75",
    ));
    let paths: Vec<&str> = p.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "perspectives.customer.objectives[0].measures[0].green",
            "perspectives.customer.objectives[0].measures[0].amber",
            "perspectives.customer.objectives[0].measures[0].green_within",
            "perspectives.customer.objectives[0].measures[0].amber_within",
        ]
    );
    assert!(p[0].allowed.contains("green_within and amber_within"));
    let p = problems(&one("kpi = \"aht_s\"\ntarget = 300\namber_within = 5"));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].amber_within"
    );
    assert_eq!(
        p[1].path,
        "perspectives.customer.objectives[0].measures[0].amber"
    );
    // A direction contradicting the registry.
    let p = problems(&one(
        "kpi = \"aht_s\"\nbetter = \"higher\"\ntarget = 300\namber = 200",
    ));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].better"
    );
    assert_eq!(
        p[0].allowed,
        "lower (the registry's direction for aht_s) or nothing"
    );
    // A volume needs one.
    let p = problems(&one("kpi = \"answered\"\ntarget = 300\namber = 200"));
    assert_eq!(
        p[0].path,
        "perspectives.customer.objectives[0].measures[0].better"
    );
    assert!(p[0].allowed.contains("answered is a volume"));
}

#[test]
fn ids_and_duplicates() {
    let text = "name = \"x\"\n[[perspectives.customer.objectives]]\nid = \"a.b\"\nname = \"O\"\n\
                [[perspectives.customer.objectives.measures]]\nkpi = \"aht_s\"\ntarget = 1\namber = 2\n\
                [[perspectives.customer.objectives.measures]]\nkpi = \"aht_s\"\ntarget = 1\namber = 2\n\
                [[perspectives.customer.objectives]]\nid = \"a.b\"\nname = \"P\"\nmeasures = []\n";
    let p = problems(text);
    let got: Vec<(&str, &str)> = p
        .iter()
        .map(|p| (p.path.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("perspectives.customer.objectives[0].id", "a.b"),
            (
                "perspectives.customer.objectives[0].measures[1].kpi",
                "aht_s"
            ),
            ("perspectives.customer.objectives[1].id", "a.b"),
            ("perspectives.customer.objectives[1].id", "a.b"),
            ("perspectives.customer.objectives[1].measures", "[]"),
        ]
    );
}

#[test]
fn override_shapes() {
    let with = |o: &str| problems(&format!("{DEF}\n[[overrides]]\n{o}\n"));
    // No owner, two owners, the center.
    let p = with("measure = \"customer.reach.service_level\"\ntarget = 90");
    assert_eq!(
        (p[0].path.as_str(), p[0].value.as_str()),
        ("overrides[5]", "no owner")
    );
    let p = with(
        "team = \"t1\"\nagent = \"a1\"\nmeasure = \"customer.reach.service_level\"\ntarget = 90",
    );
    assert_eq!(p[0].value, "team = \"t1\", agent = \"a1\"");
    let p = with("level = \"center\"\nmeasure = \"customer.reach.service_level\"\ntarget = 90");
    assert!(p[0]
        .allowed
        .contains("the center's values are the definition itself"));
    // Unknown path: lists the allowed ones.
    let p = with("team = \"t1\"\nmeasure = \"customer.reach.csat\"\ntarget = 90");
    assert_eq!(p[0].path, "overrides[5].measure");
    assert_eq!(
        p[0].allowed,
        "a measure of the definition: customer.reach.service_level, customer.reach.abandon_rate, \
         customer.satisfaction.csat, financial.productivity.answered, internal.efficiency.aht_s, \
         internal.efficiency.occupancy"
    );
    let p = with("team = \"t1\"\nobjective = \"customer\"\nweight = 2");
    assert_eq!(p[0].path, "overrides[5].objective");
    // Targets belong to measures.
    let p = with("team = \"t1\"\nobjective = \"customer.reach\"\ntarget = 2");
    assert_eq!(p[0].path, "overrides[5].target");
    // Threshold keys of the wrong direction.
    let p = with("team = \"t1\"\nmeasure = \"internal.efficiency.occupancy\"\namber = 2");
    assert_eq!(p[0].path, "overrides[5].amber");
    // Nothing set; a zero weight.
    let p = with("team = \"t1\"\nmeasure = \"internal.efficiency.occupancy\"");
    assert_eq!(p[0].value, "nothing set");
    let p = with("team = \"t1\"\nperspective = \"customer\"\nweight = 0");
    assert_eq!(p[0].path, "overrides[5].weight");
    // Two overrides of one item for one owner.
    let p = with("team = \"t1\"\nmeasure = \"customer.reach.service_level\"\nweight = 3");
    assert_eq!(p[0].path, "overrides[5]");
    assert!(p[0].allowed.contains("overrides[0]"));
    // A level-wide override breaking the order is found without an org.
    let p = with("level = \"agent\"\nmeasure = \"internal.efficiency.aht_s\"\ngreen = 500");
    assert_eq!(p[0].path, "overrides[5].green");
    assert!(
        p[0].allowed.ends_with("as resolved for every agent"),
        "{}",
        p[0].allowed
    );
}

#[test]
fn parse_errors_name_the_key_path() {
    let err = Definition::from_toml(&DEF.replace("amber = 60", "ambr = 60")).unwrap_err();
    let ScorecardError::Parse {
        format,
        path,
        message,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*format, "TOML");
    assert_eq!(path, "perspectives.customer.objectives[0].measures[0].ambr");
    assert!(message.contains("unknown field `ambr`"), "{message}");
    let err =
        Definition::from_toml(&DEF.replace("[perspectives.internal]", "[perspectives.intern]"))
            .unwrap_err();
    assert!(err.to_string().contains("unknown field `intern`"), "{err}");
    assert!(err.to_string().contains("internal"), "{err}");
    let err = Definition::from_json(r#"{"name": "x", "perspectives": {"customer": {"objectives": [{"id": "o", "name": "O", "measures": [{"kpi": "aht_s", "target": "300"}]}]}}}"#).unwrap_err();
    let ScorecardError::Parse { path, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        path,
        "perspectives.customer.objectives[0].measures[0].target"
    );
    assert!(Definition::from_json("{} x").is_err());
}

/// The ```toml blocks of `docs/scorecard.md`, in order.
fn doc_blocks() -> Vec<String> {
    let doc = include_str!("../../../../docs/scorecard.md");
    doc.split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_owned())
        .collect()
}

#[test]
fn the_documented_example_is_the_tested_one() {
    let blocks = doc_blocks();
    assert_eq!(Definition::from_toml(&blocks[0]).unwrap(), def());
    assert_eq!(
        hotline_scorecard::Org::from_toml(&blocks[1]).unwrap(),
        crate::common::org()
    );
}
