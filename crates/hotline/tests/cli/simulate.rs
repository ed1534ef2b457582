//! `hotline simulate` through the real binary: table, JSON, interval CSV, errors.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const SCENARIO: &str = r#"
[run]
duration_s = 7200
warmup_s = 600
replications = 3
seed = 11
interval_s = 1800

[[queue]]
id = "vip"
arrivals_per_hour = 60
handle_time = { dist = "exponential", mean_s = 180 }
patience = { dist = "exponential", mean_s = 120 }
priority = 10
service_level_s = 20

[[queue]]
id = "general"
arrivals_per_hour = 150
handle_time = { dist = "lognormal", mean_s = 200, cv = 0.6 }
service_level_s = 30

[[agents]]
group = "tier1"
count = 12
skills = { vip = 3, general = 3 }
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn hotline() -> Command {
    Command::cargo_bin("hotline").unwrap()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios")
}

#[test]
fn prints_a_table_per_queue_and_for_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "s.toml", SCENARIO);
    let out = hotline().arg("simulate").arg(&path).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let header = text.lines().find(|l| l.starts_with("metric")).unwrap();
    let cols: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(cols, ["metric", "vip", "general", "all"]);
    for metric in [
        "offered",
        "answered",
        "abandoned",
        "unfinished",
        "p_wait",
        "p_abandon",
        "asa_served_s",
        "asa_all_s",
        "service_level",
        "service_level_of_answered",
        "ewt_mae_s",
    ] {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(metric))
            .unwrap_or_else(|| panic!("no row {metric} in\n{text}"));
        // One "mean ± half-width" cell per column.
        assert_eq!(row.matches('±').count(), 3, "{row}");
    }
    assert!(
        text.contains("3 replications of 7200 s (warm-up 600 s), seed 11"),
        "{text}"
    );
    let group = text.lines().find(|l| l.starts_with("tier1")).unwrap();
    assert!(group.contains('%') && group.contains('±'), "{group}");
    assert!(text.contains("mean over 3 replications ± 95% confidence half-width (Student t)"));
}

#[test]
fn json_has_queues_all_and_groups_with_mean_and_ci95() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "s.toml", SCENARIO);
    let out = hotline()
        .args(["simulate", "--json", "--replications", "4", "--seed", "5"])
        .arg(&path)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mut top: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    top.sort();
    assert_eq!(top, ["all", "groups", "queues"]);
    for q in ["vip", "general"] {
        for m in [
            "offered",
            "answered",
            "abandoned",
            "p_wait",
            "p_abandon",
            "asa_served_s",
            "asa_all_s",
            "service_level",
            "service_level_of_answered",
            "ewt_mae_s",
        ] {
            let cell = &v["queues"][q][m];
            assert!(cell["mean"].is_number(), "{q}.{m}: {cell}");
            assert!(cell["ci95"].is_number(), "{q}.{m}: {cell}");
        }
    }
    let offered = |q: &str| v["queues"][q]["offered"]["mean"].as_f64().unwrap();
    assert!(
        (v["all"]["offered"]["mean"].as_f64().unwrap() - offered("vip") - offered("general")).abs()
            < 1e-9
    );
    let occ = v["groups"]["tier1"]["occupancy"]["mean"].as_f64().unwrap();
    assert!(occ > 0.3 && occ < 1.0, "{occ}");

    // Same seed, same numbers, whatever the number of threads.
    let again = hotline()
        .args([
            "simulate",
            "--json",
            "--replications",
            "4",
            "--seed",
            "5",
            "--threads",
            "1",
        ])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, again.get_output().stdout);
}

#[test]
fn intervals_csv_has_a_header_and_one_row_per_queue_and_interval() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "s.toml", SCENARIO);
    let csv = dir.path().join("out.csv");
    hotline()
        .args(["simulate", "--intervals"])
        .arg(&csv)
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "interval_start_s,interval_end_s,queue,offered,answered,abandoned,unfinished,service_level,\
         service_level_of_answered,p_abandon,asa_s,asa_all_s,agents_staffed,occupancy"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 7200 s in 1800 s intervals: 4 intervals x (vip, general, all).
    assert_eq!(rows.len(), 12);
    assert_eq!(&rows[0][..3], ["0.0", "1800.0", "vip"]);
    assert_eq!(&rows[2][..3], ["0.0", "1800.0", "all"]);
    assert_eq!(&rows[11][..3], ["5400.0", "7200.0", "all"]);
    // Staffed agents on the "all" rows: 12 logged in all the time.
    assert_eq!(rows[2][12], "12.0");
    assert_eq!(rows[0][12], "");
}

#[test]
fn a_bad_scenario_fails_with_the_key_and_the_allowed_values() {
    let dir = tempfile::tempdir().unwrap();
    let bad = SCENARIO.replace(
        r#"dist = "lognormal", mean_s = 200, cv = 0.6"#,
        r#"dist = "gamma", mean_s = 200"#,
    );
    let path = write(dir.path(), "bad.toml", &bad);
    hotline()
        .arg("simulate")
        .arg(&path)
        .assert()
        .failure()
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            r#"queue[1].handle_time.dist: "gamma" is not one of exponential, lognormal, constant"#,
        ))
        .stderr(predicate::str::contains("panicked").not());

    let path = write(
        dir.path(),
        "typo.toml",
        &SCENARIO.replace("seed = 11", "seeds = 11"),
    );
    hotline()
        .arg("simulate")
        .arg(&path)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "run.seeds: unknown key; allowed keys are duration_s, warmup_s, replications, seed, at_end, interval_s",
        ));

    hotline()
        .args(["simulate", "--replications", "0"])
        .arg(write(dir.path(), "ok.toml", SCENARIO))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--replications must be 1 to 100000, got 0",
        ));

    hotline()
        .args(["simulate", "does-not-exist.toml"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "cannot read scenario file does-not-exist.toml",
        ));
}

#[test]
fn the_example_scenarios_run() {
    for name in ["gold-club.toml", "mmc-plus-m.toml"] {
        let out = hotline()
            .args(["simulate", "--json", "--replications", "2"])
            .arg(examples().join(name))
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let answered = v["all"]["answered"]["mean"].as_f64().unwrap();
        assert!(answered > 1000.0, "{name}: {answered}");
    }
}
