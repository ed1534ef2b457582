use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn hotline() -> Command {
    Command::cargo_bin("hotline").expect("binary built")
}

fn json(args: &[&str]) -> Value {
    let out = hotline()
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("valid JSON")
}

const TEXTBOOK: &[&str] = &[
    "staff",
    "--model",
    "erlang-c",
    "--calls",
    "100",
    "--interval",
    "1800",
    "--aht",
    "180",
    "--answer-within",
    "20",
    "--target-sl",
    "0.8",
];

#[test]
fn textbook_case_as_a_table() {
    hotline()
        .args(TEXTBOOK)
        .assert()
        .success()
        .stdout(predicate::str::contains("agents needed           14"))
        .stdout(predicate::str::contains("88.8% answered within 20 s"))
        .stdout(predicate::str::contains("7.84 s"));
}

#[test]
fn textbook_case_as_json_with_shrinkage() {
    let mut args = TEXTBOOK.to_vec();
    args.extend(["--shrinkage", "0.3", "--max-occupancy", "0.85"]);
    let v = json(&args);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "model",
            "agents",
            "scheduled_agents",
            "service_level",
            "asa_s",
            "p_wait",
            "occupancy"
        ]
    );
    assert_eq!(v["model"], "erlang-c");
    assert_eq!(v["agents"], 14);
    assert_eq!(v["scheduled_agents"], 20);
    assert!((v["service_level"].as_f64().unwrap() - 0.888_350_019_179_466_9).abs() < 1e-12);
    assert!((v["asa_s"].as_f64().unwrap() - 7.835_937_011_777_243).abs() < 1e-9);
}

#[test]
fn erlang_a_json_keys_and_evaluation() {
    let v = json(&[
        "staff",
        "--model",
        "erlang-a",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--patience",
        "120",
        "--answer-within",
        "20",
        "--agents",
        "12",
    ]);
    for key in [
        "model",
        "agents",
        "service_level",
        "asa_s",
        "p_wait",
        "occupancy",
        "p_abandon",
        "asa_served_s",
        "asa_all_s",
        "p_wait_gt_t",
        "service_level_of_answered",
        "p_abandon_within_t",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["agents"], 12);
    // Cross-checked against the Markov-chain oracle in hotline-wfm's tests.
    assert!((v["p_abandon"].as_f64().unwrap() - 0.061_597_377).abs() < 1e-8);
    let sl = v["service_level"].as_f64().unwrap();
    let sla = v["service_level_of_answered"].as_f64().unwrap();
    assert!((sla - sl / (1.0 - v["p_abandon"].as_f64().unwrap())).abs() < 1e-12);
}

#[test]
fn erlang_a_solves_below_erlang_c() {
    let a = json(&[
        "staff",
        "--model",
        "erlang-a",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--patience",
        "120",
        "--answer-within",
        "20",
        "--target-sl",
        "0.8",
    ]);
    assert_eq!(a["agents"], 12);
}

#[test]
fn erlang_b_solves_lines() {
    let v = json(&[
        "staff",
        "--model",
        "erlang-b",
        "--load",
        "25",
        "--target-blocking",
        "0.01",
    ]);
    assert_eq!(v["model"], "erlang-b");
    assert_eq!(v["lines"], 36);
    assert!((v["blocking"].as_f64().unwrap() - 0.008_022_496_766_574_506).abs() < 1e-15);
    assert!(v.get("carried_load").is_some());
}

#[test]
fn bad_input_names_every_field_and_exits_2() {
    hotline()
        .args([
            "staff",
            "--model",
            "erlang-c",
            "--calls",
            "100",
            "--interval",
            "1800",
            "--aht",
            "0",
            "--answer-within",
            "20",
            "--target-sl",
            "1.2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--aht: 0 is not allowed: a finite number of seconds > 0",
        ))
        .stderr(predicate::str::contains(
            "--target-sl: 1.2 is not allowed: a fraction strictly between 0 and 1",
        ));
    hotline()
        .args([
            "staff",
            "--model",
            "erlang-c",
            "--calls",
            "100",
            "--interval",
            "1800",
            "--aht",
            "180",
            "--answer-within",
            "20",
            "--agents",
            "9",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "agents = 9 cannot carry a load of 10 Erlangs",
        ));
    hotline()
        .args([
            "staff",
            "--model",
            "erlang-a",
            "--calls",
            "100",
            "--interval",
            "1800",
            "--aht",
            "180",
            "--answer-within",
            "20",
            "--target-sl",
            "0.8",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--patience: required for erlang-a",
        ));
    hotline()
        .args(["staff", "--model", "erlang-x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("erlang-x"));
}

#[test]
fn csv_batch_writes_one_row_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("day.csv");
    let output = dir.path().join("plan.csv");
    std::fs::write(
        &input,
        "interval_start,calls,interval,aht,answer_within,target_sl,model,patience,agents\n\
         08:00,100,1800,180,20,0.8,erlang-c,,\n\
         08:30,100,1800,180,20,0.8,erlang-a,120,\n\
         09:00,100,1800,180,20,,erlang-c,,13\n",
    )
    .unwrap();
    hotline()
        .args(["staff", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(&output).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[..9],
        [
            "interval_start",
            "calls",
            "interval",
            "aht",
            "answer_within",
            "target_sl",
            "model",
            "patience",
            "agents"
        ]
    );
    assert!(
        header.contains(&"service_level".to_string()) && header.contains(&"p_abandon".to_string())
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("agents")], "14");
    assert_eq!(&rows[1][col("agents")], "12");
    assert_eq!(&rows[2][col("agents")], "13");
    assert_eq!(&rows[0][col("interval_start")], "08:00");
    assert_eq!(&rows[0][col("p_abandon")], "");
    let sl13: f64 = rows[2][col("service_level")].parse().unwrap();
    assert!((sl13 - 0.795_594_788_417_783_1).abs() < 1e-12);
}

#[test]
fn csv_flags_fill_missing_columns() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("day.csv");
    std::fs::write(&input, "calls\n100\n200\n").unwrap();
    let out = hotline()
        .args([
            "staff",
            "--interval",
            "1800",
            "--aht",
            "180",
            "--answer-within",
            "20",
            "--target-sl",
            "0.8",
            "--json",
            "--input",
        ])
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v[0]["agents"], 14);
    assert_eq!(v[1]["agents"], 24);
}

#[test]
fn csv_with_a_bad_row_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("day.csv");
    let output = dir.path().join("plan.csv");
    std::fs::write(
        &input,
        "calls,interval,aht,answer_within,target_sl\n100,1800,180,20,0.8\n-5,1800,abc,20,0.8\n100,1800,180,20,1.5\n",
    )
    .unwrap();
    hotline()
        .args(["staff", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 3, aht: \"abc\" is not a number",
        ))
        .stderr(predicate::str::contains("line 3, calls: -5 is not allowed"))
        .stderr(predicate::str::contains(
            "line 4, target_sl: 1.5 is not allowed",
        ))
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!output.exists());
}

#[test]
fn an_output_to_a_device_writes_into_it_and_leaves_it_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("day.csv");
    std::fs::write(
        &input,
        "interval_start,calls,interval,aht,answer_within,target_sl\n08:00,100,1800,180,20,0.8\n",
    )
    .unwrap();
    hotline()
        .args(["staff", "--input"])
        .arg(&input)
        .args(["--output", "/dev/null"])
        .assert()
        .success();
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null was replaced by a regular file");
}
