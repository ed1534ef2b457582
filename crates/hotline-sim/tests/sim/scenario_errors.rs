//! Every rejected scenario names the key path and what is allowed; exact texts.

use hotline_sim::dist::Dist;
use hotline_sim::scenario::{AgentSelection, AtEnd};
use hotline_sim::{Scenario, ScenarioError};

const GOOD: &str = r#"
[run]
duration_s = 36000
warmup_s = 3600
replications = 10
seed = 7

[[queue]]
id = "vip"
arrivals_per_hour = 120
handle_time = { dist = "exponential", mean_s = 240 }
patience = { dist = "exponential", mean_s = 180 }
priority = 10
service_level_s = 20

[[queue]]
id = "general"
arrivals_per_interval = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
interval_s = 3600
handle_time = { dist = "lognormal", mean_s = 300, cv = 0.5 }
service_level_s = 30

[[agents]]
group = "tier1"
count = 50
skills = { vip = 3, general = 3 }

[[agents]]
group = "evening"
count = 5
skills = { general = 2 }
start_s = 18000
end_s = 36000
wrap_up = { dist = "constant", mean_s = 10 }

[routing]
agent_selection = "longest-idle"
"#;

fn error_of(text: &str) -> String {
    match Scenario::from_toml(text) {
        Ok(_) => panic!("scenario was accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// The good scenario with `from` replaced by `to` (which must occur exactly once).
fn with(from: &str, to: &str) -> String {
    assert_eq!(GOOD.matches(from).count(), 1, "{from}");
    GOOD.replace(from, to)
}

#[test]
fn the_issue_example_parses_with_its_values() {
    let s = Scenario::from_toml(GOOD).unwrap();
    assert_eq!(s.run.duration_s, 36000.0);
    assert_eq!(s.run.warmup_s, 3600.0);
    assert_eq!((s.run.replications, s.run.seed), (10, 7));
    assert_eq!(s.run.at_end, AtEnd::Drain);
    assert_eq!(s.queues.len(), 2);
    let vip = &s.queues[0];
    assert_eq!(
        (vip.id.as_str(), vip.skill.as_str(), vip.priority),
        ("vip", "vip", 10)
    );
    assert_eq!(vip.handle_time, Dist::Exponential { mean_s: 240.0 });
    assert_eq!(vip.patience, Some(Dist::Exponential { mean_s: 180.0 }));
    assert_eq!(vip.arrivals.expected(0.0, 3600.0), 120.0);
    let general = &s.queues[1];
    assert_eq!(general.patience, None);
    assert_eq!(general.arrivals.expected(0.0, 7200.0), 300.0);
    assert_eq!(general.handle_time.mean_s(), 300.0);
    assert_eq!(
        s.groups[0].skills,
        vec![("general".to_string(), 3), ("vip".to_string(), 3)]
    );
    let evening = &s.groups[1];
    assert_eq!(
        evening.shift.map(|s| (s.start_s, s.end_s)),
        Some((18000.0, 36000.0))
    );
    assert_eq!(evening.wrap_up, Some(Dist::Constant { value_s: 10.0 }));
    assert_eq!(s.routing.agent_selection, AgentSelection::LongestIdle);
    assert_eq!(s.agent_count(), 55);
}

#[test]
fn unknown_distribution_names_the_key_and_the_choices() {
    assert_eq!(
        error_of(&with(
            r#"handle_time = { dist = "lognormal", mean_s = 300, cv = 0.5 }"#,
            r#"handle_time = { dist = "gamma", mean_s = 300 }"#
        )),
        r#"queue[1].handle_time.dist: "gamma" is not one of exponential, lognormal, constant"#
    );
}

#[test]
fn unknown_keys_are_errors_with_the_allowed_keys() {
    assert_eq!(
        error_of(&with("seed = 7", "seed = 7\nduraton_s = 5")),
        "run.duraton_s: unknown key; allowed keys are duration_s, warmup_s, replications, seed, at_end, interval_s"
    );
    assert_eq!(
        error_of(&with("priority = 10", "priority = 10\npriorty = 3")),
        "queue[0].priorty: unknown key; allowed keys are id, skill, min_proficiency, priority, aging, \
         service_level_s, steps, arrivals_per_hour, arrivals_per_interval, interval_s, handle_time, patience"
    );
    assert_eq!(
        error_of(&with(
            r#"patience = { dist = "exponential", mean_s = 180 }"#,
            r#"patience = { dist = "exponential", mean = 180 }"#
        )),
        "queue[0].patience.mean: unknown key; allowed keys are dist, mean_s, sd_s, cv"
    );
    assert_eq!(
        error_of(&format!("{GOOD}\n[extra]\nx = 1\n")),
        "extra: unknown key; allowed keys are run, queue, agents, routing"
    );
}

#[test]
fn enumerated_settings_list_their_values() {
    assert_eq!(
        error_of(&with(
            r#"agent_selection = "longest-idle""#,
            r#"agent_selection = "random""#
        )),
        r#"routing.agent_selection: "random" is not one of longest-idle, highest-proficiency, fewest-contacts, round-robin, linear"#
    );
    assert_eq!(
        error_of(&with("seed = 7", "seed = 7\nat_end = \"stop\"")),
        r#"run.at_end: "stop" is not one of drain, cutoff"#
    );
}

#[test]
fn ranges_are_checked() {
    assert_eq!(
        error_of(&with("arrivals_per_hour = 120", "arrivals_per_hour = -5")),
        "queue[0].arrivals_per_hour: must not be negative, got -5"
    );
    assert_eq!(
        error_of(&with("warmup_s = 3600", "warmup_s = 36000")),
        "run.warmup_s: must be less than run.duration_s (36000), got 36000"
    );
    assert_eq!(
        error_of(&with("count = 50", "count = 0")),
        "agents[0].count: must be 1 to 1000000, got 0; remove the group to model no agents"
    );
    assert_eq!(
        error_of(&with("count = 5\n", "count = 5\nslots = 65\n")),
        "agents[1].slots: must be 1 to 64, got 65"
    );
    assert_eq!(
        error_of(&with(
            r#"agent_selection = "longest-idle""#,
            "ewt_window = 0"
        )),
        "routing.ewt_window: must be 1 to 100000, got 0"
    );
    assert_eq!(
        error_of(&with("replications = 10", "replications = 0")),
        "run.replications: must be 1 to 100000, got 0"
    );
    assert_eq!(
        error_of(&with(
            "skills = { general = 2 }",
            "skills = { general = 6 }"
        )),
        "agents[1].skills.general: proficiency must be 1 to 5, got 6"
    );
    assert_eq!(
        error_of(&with(
            r#"{ dist = "exponential", mean_s = 240 }"#,
            r#"{ dist = "exponential", mean_s = 0 }"#
        )),
        "queue[0].handle_time.mean_s: must be greater than 0, got 0"
    );
    assert_eq!(
        error_of(&with("end_s = 36000", "end_s = 18000")),
        "agents[1].end_s: must be after start_s (18000), got 18000"
    );
    assert_eq!(
        error_of(&with("interval_s = 3600", "interval_s = 1800")),
        "queue[1].arrivals_per_interval: 10 intervals of 1800 s cover 18000 s but run.duration_s is 36000; \
         give a value for every interval of the run"
    );
    assert_eq!(
        error_of(&with("[100, 200,", "[100, -200,")),
        "queue[1].arrivals_per_interval[1]: must not be negative, got -200"
    );
}

#[test]
fn references_must_resolve() {
    assert_eq!(
        error_of(&with(
            "skills = { vip = 3, general = 3 }",
            "skills = { vip = 3, genral = 3 }"
        )),
        r#"agents[0].skills.genral: no queue uses skill "genral"; known skills are general, vip"#
    );
    assert_eq!(
        error_of(&with(r#"id = "general""#, r#"id = "vip""#)),
        r#"queue[1].id: "vip" is used by another queue"#
    );
    assert_eq!(
        error_of(&with(r#"group = "evening""#, r#"group = "tier1""#)),
        r#"agents[1].group: "tier1" is used by another group"#
    );
}

#[test]
fn shapes_and_types_are_named() {
    assert_eq!(
        error_of(&with("duration_s = 36000", r#"duration_s = "10h""#)),
        r#"run.duration_s: expected the simulated seconds per replication, found the string "10h""#
    );
    assert_eq!(
        error_of(&with("arrivals_per_hour = 120\n", "")),
        "queue[0]: missing arrivals: give arrivals_per_hour or arrivals_per_interval with interval_s"
    );
    assert_eq!(
        error_of(&with(
            r#"{ dist = "lognormal", mean_s = 300, cv = 0.5 }"#,
            r#"{ dist = "lognormal", mean_s = 300 }"#
        )),
        "queue[1].handle_time: lognormal needs sd_s or cv"
    );
    assert_eq!(
        error_of(&with(
            r#"{ dist = "exponential", mean_s = 180 }"#,
            r#"{ dist = "exponential", mean_s = 180, cv = 1 }"#
        )),
        "queue[0].patience.cv: not used by the exponential distribution, which takes only mean_s"
    );
    assert_eq!(error_of("[run"), "scenario is not valid TOML: TOML parse error at line 1, column 5\n  |\n1 | [run\n  |     ^\ninvalid table header\nexpected `.`, `]`");
    assert!(matches!(
        Scenario::from_toml("[run]\nduration_s = 10\n"),
        Err(ScenarioError::Invalid { path, .. }) if path == "queue"
    ));
}
