//! `hotline import` through the real binary into a fresh SQLite data directory: the two
//! real Asterisk logs and the Anonymous Bank data (figures as checked by hand in
//! hotline-metrics' tests), re-imports that change nothing, all-or-nothing, --skip-bad
//! and its rejects file, flag errors.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// `hotline` with no store settings from the environment.
pub fn hotline() -> Command {
    let mut c = Command::cargo_bin("hotline").unwrap();
    c.env_remove("HOTLINE_DATA_DIR")
        .env_remove("HOTLINE_DATABASE_URL");
    c
}

/// The shared real data (`/work/shared/data` beside the repository).
pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs `hotline import <args> --data-dir <dir> --json`, expecting success; the summary.
pub fn import_json(dir: &Path, args: &[&str]) -> Value {
    let out = hotline()
        .arg("import")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// `hotline report <args> --data-dir <dir> --format csv`: the CSV text.
pub fn report_csv(dir: &Path, args: &[&str]) -> String {
    let out = hotline()
        .arg("report")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .args(["--format", "csv"])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The CSV row whose first cells are `start` (and `group`).
fn row<'a>(csv: &'a str, first: &[&str]) -> Vec<&'a str> {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|cells| cells.len() >= first.len() && cells[..first.len()] == *first)
        .unwrap_or_else(|| panic!("no row {first:?} in\n{csv}"))
}

fn n(v: &Value, key: &str) -> u64 {
    v["import"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn asterisk_logs_import_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = shared("asterisk-queue-log/helpdesk-2018.queue_log");
    let log = log.to_str().unwrap();

    let first = import_json(&data, &["queue-log", log]);
    assert_eq!(first["already_imported"], false);
    assert_eq!(first["import"]["kind"], "queue_log");
    // 108 queue entries: 104 finished calls, 4 cut off by the end of the export.
    assert_eq!(
        (
            n(&first, "records_accepted"),
            n(&first, "records_duplicate")
        ),
        (104, 0)
    );
    assert_eq!(
        (n(&first, "states_accepted"), n(&first, "states_duplicate")),
        (194, 0)
    );
    assert_eq!(n(&first, "rejected"), 0);
    assert_eq!(first["import"]["created_queues"], serde_json::json!(["IT"]));
    let mut people: Vec<(String, String)> = first["import"]["created_people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["username"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    people.sort();
    let want: Vec<(String, String)> = ["1109", "1126", "1127", "1128", "1141", "1144"]
        .iter()
        .map(|a| (format!("Agent/{a}"), format!("agent-{a}")))
        .collect();
    assert_eq!(people, want);
    let notes = &first["import"]["notes"];
    assert_eq!(notes["lines"], 1000);
    assert_eq!(notes["calls"], 108);
    assert_eq!(
        notes["outcomes"],
        serde_json::json!({"abandoned": 12, "answered": 89, "transferred_out": 3})
    );
    assert_eq!(
        notes["vendor_events_skipped"],
        serde_json::json!({"OUTANSWER": 77, "OUTCANCEL": 24, "OUTCHANUNAVAIL": 18,
                           "OUTCONGESTION": 9, "OUTDIAL": 128, "OUTTRANSFER": 1})
    );
    let cut: Vec<(&str, u64)> = notes["cut_off_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["contact_id"].as_str().unwrap(),
                c["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cut,
        [
            ("1543942189.2194", 967),
            ("1543942358.2226", 969),
            ("1543942788.2389", 992),
            ("1543942842.2438", 1000)
        ]
    );
    assert_eq!(notes["busy_outside_login_ms"], 717_000);

    // The report from the store gives hotline-metrics' hand-checked totals: 104
    // offered, 91 answered (38 within 20 s, waits 3,570 s, talk 23,913 s), 12 abandoned.
    let period = [
        "--from",
        "2018-11-01",
        "--to",
        "2019-01-01",
        "--timezone",
        "UTC",
    ];
    let by_queue = report_csv(
        &data,
        &[
            &period[..],
            &["--interval", "month", "--by", "none", "--totals"],
        ]
        .concat(),
    );
    let total = row(&by_queue, &["total"]);
    assert_eq!(
        total[1..],
        ["104", "91", "12", "36.5385", "39.2308", "262.7802", "11.5385"]
    );
    // Logged-in time per agent from the stored spells (the login → logoff sums of the
    // metrics test): 1109 137,906 s, 1126 62,139 s, 1127 59,404 s, 1128 59,535 s,
    // 1141 58,368 s, 1144 78,677 s.
    let by_agent = report_csv(
        &data,
        &[
            &period[..],
            &[
                "--interval",
                "month",
                "--by",
                "agent",
                "--kpi",
                "logged_in_hours",
                "--totals",
            ],
        ]
        .concat(),
    );
    for (agent, secs) in [
        ("agent-1109", 137_906.0),
        ("agent-1126", 62_139.0),
        ("agent-1127", 59_404.0),
        ("agent-1128", 59_535.0),
        ("agent-1141", 58_368.0),
        ("agent-1144", 78_677.0),
    ] {
        let hours: f64 = row(&by_agent, &["total", agent])[2].parse().unwrap();
        assert!((hours - secs / 3600.0).abs() < 1e-4, "{agent}: {hours}");
    }

    // The same file again: recognised, nothing done.
    hotline()
        .args(["import", "queue-log", log, "--data-dir"])
        .arg(&data)
        .assert()
        .success()
        .stdout(predicate::str::contains("was already imported on"))
        .stdout(predicate::str::contains(
            "import 1: 104 records, 194 agent state spells",
        ));
    // Forced: everything is a duplicate, nothing is created, the report is unchanged.
    let again = import_json(&data, &["queue-log", log, "--again"]);
    assert_eq!(
        (
            n(&again, "records_accepted"),
            n(&again, "records_duplicate")
        ),
        (0, 104)
    );
    assert_eq!(
        (n(&again, "states_accepted"), n(&again, "states_duplicate")),
        (0, 194)
    );
    assert_eq!(again["import"]["created_queues"], serde_json::json!([]));
    assert_eq!(again["import"]["created_people"], serde_json::json!([]));
    assert_eq!(
        report_csv(
            &data,
            &[
                &period[..],
                &["--interval", "month", "--by", "none", "--totals"]
            ]
            .concat()
        ),
        by_queue
    );

    // The lab PBX: 8 calls in two queues, its agent a static member (no login).
    let lab = import_json(
        &data,
        &[
            "queue-log",
            shared("asterisk-queue-log/lab-2023.queue_log")
                .to_str()
                .unwrap(),
        ],
    );
    assert_eq!(n(&lab, "records_accepted"), 8);
    assert_eq!(n(&lab, "states_accepted"), 0);
    assert_eq!(
        lab["import"]["notes"]["agents_without_login"],
        serde_json::json!(["PJSIP/400"])
    );
}

#[test]
fn bank_data_all_or_nothing_then_skip_bad() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let calls = shared("anonymous-bank-1999-08/calls.csv");
    let calls = calls.to_str().unwrap();
    let period = [
        "--from",
        "1999-08-01",
        "--to",
        "1999-09-01",
        "--timezone",
        "Asia/Jerusalem",
        "--interval",
        "month",
        "--by",
        "none",
        "--totals",
    ];

    // 57 AGENT rows without service times and the 2010-dated slip: nothing written.
    hotline()
        .args(["import", "bank", calls, "--data-dir"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "58 rows rejected, nothing was imported (all or nothing). The first: line 2117, \
             ser_start = \"0:00:00\"",
        ));
    assert_eq!(
        report_csv(&data, &period),
        "interval_start,offered,answered,abandoned,service_level,asa_s,aht_s,abandon_rate\n\
         1999-08-01T00:00:00+03:00,0,0,0,,,,\n\
         total,0,0,0,,,,\n"
    );

    let rejects = dir.path().join("bank-rejects.csv");
    let out = import_json(
        &data,
        &[
            "bank",
            calls,
            "--skip-bad",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    // 31,344 answered + 7,309 abandoned of 42,078 rows; 310 phantom and 3,057 left in
    // the VRU skipped.
    assert_eq!(n(&out, "records_accepted"), 38_653);
    assert_eq!(n(&out, "rejected"), 58);
    let notes = &out["import"]["notes"];
    assert_eq!(
        (
            notes["rows"].as_u64(),
            notes["phantom"].as_u64(),
            notes["left_in_vru"].as_u64()
        ),
        (Some(42_078), Some(310), Some(3_057))
    );
    assert_eq!(notes["answered_without_server"], 391);
    let mut queues: Vec<&str> = out["import"]["created_queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    queues.sort_unstable();
    assert_eq!(queues, ["IN", "NE", "NW", "PE", "PS", "TT"]);

    let text = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 59);
    assert_eq!(lines[0], "line,field,column,value,reason");
    assert_eq!(
        lines[1],
        "2117,ser_start,,0:00:00,service times for a call an agent served (outcome AGENT has \
         ser_start 0:00:00 and ser_time 0: its handle time is unknown)"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("31843,call_id,,1999-08-,")),
        "{text}"
    );

    let report = report_csv(&data, &period);
    let total = row(&report, &["total"]);
    assert_eq!(total[1..4], ["38653", "31344", "7309"]);
}

/// Hotline's CSV with two bad rows (line 4: an hour 25; line 6: an unknown outcome).
const WITH_BAD_ROWS: &str = "\
contact_id,queue,channel,arrived_at,answered_at,ended_at,agent,outcome
a1,billing,voice,2024-03-04T08:00:00Z,2024-03-04T08:00:10Z,2024-03-04T08:05:00Z,ana,answered
a2,billing,voice,2024-03-04T08:01:00Z,,2024-03-04T08:02:00Z,,abandoned
a3,billing,voice,2024-03-04T25:00:00Z,,2024-03-04T08:02:00Z,,abandoned
a4,faults,chat,2024-03-04T08:03:00Z,2024-03-04T08:03:05Z,2024-03-04T08:09:00Z,Agent/7,answered
a5,faults,chat,2024-03-04T08:04:00Z,,2024-03-04T08:05:00Z,,hung_up
";

#[test]
fn records_all_or_nothing_and_skip_bad() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write(dir.path(), "calls.csv", WITH_BAD_ROWS);
    let file_arg = file.to_str().unwrap();
    let period = [
        "--from",
        "2024-03-04",
        "--to",
        "2024-03-05",
        "--timezone",
        "UTC",
        "--interval",
        "day",
        "--by",
        "none",
    ];

    hotline()
        .args(["import", "records", file_arg, "--data-dir"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "2 rows rejected, nothing was imported",
        ))
        .stderr(predicate::str::contains(
            "The first: line 4, arrived_at = \"2024-03-04T25:00:00Z\"",
        ));
    // Nothing: no records, no queue, no person, no import.
    assert_eq!(
        report_csv(&data, &period),
        "interval_start,offered,answered,abandoned,service_level,asa_s,aht_s,abandon_rate\n\
         2024-03-04T00:00:00+00:00,0,0,0,,,,\n"
    );
    hotline()
        .args([
            "report",
            "--from",
            "2024-03-04",
            "--to",
            "2024-03-05",
            "--queue",
            "billing",
        ])
        .arg("--data-dir")
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--queue \"billing\": no queue is named",
        ));

    let rejects = dir.path().join("out").join("rejects.csv");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = import_json(
        &data,
        &[
            "records",
            file_arg,
            "--skip-bad",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    assert_eq!((n(&out, "records_accepted"), n(&out, "rejected")), (3, 2));
    assert_eq!(
        out["import"]["created_queues"],
        serde_json::json!(["billing", "faults"])
    );
    assert_eq!(
        out["import"]["created_people"],
        serde_json::json!([{"name": "ana", "username": "ana"},
                           {"name": "Agent/7", "username": "agent-7"}])
    );
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap(),
        "line,field,column,value,reason\n\
         4,arrived_at,,2024-03-04T25:00:00Z,an RFC 3339 time like 2024-03-01T08:00:00Z or 2024-03-01T08:00:00+01:00 (or a local 2024-03-01 08:00:00 with a time zone)\n\
         6,outcome,,hung_up,\"one of: answered, abandoned, callback_completed, transferred_out, unfinished (or map it in [values.outcome])\"\n"
    );
    // No temporary file left beside it.
    assert_eq!(
        std::fs::read_dir(dir.path().join("out")).unwrap().count(),
        1
    );
    assert_eq!(
        report_csv(&data, &period).lines().nth(1),
        Some("2024-03-04T00:00:00+00:00,3,2,1,66.6667,7.5,322.5,33.3333")
    );

    // The same file once more: already imported.
    hotline()
        .args(["import", "records", file_arg, "--data-dir"])
        .arg(&data)
        .assert()
        .success()
        .stdout(predicate::str::contains("was already imported on"));
}

#[test]
fn import_flag_and_header_errors_exit_2_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write(dir.path(), "calls.csv", WITH_BAD_ROWS);
    let file_arg = file.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["records", file_arg, "--timezone", "Mars/Olympus"],
            "--timezone \"Mars/Olympus\": not a time zone",
        ),
        (
            vec!["records", file_arg, "--channel", "fax"],
            "--channel \"fax\": expected one of: voice, chat, email, messaging, video",
        ),
        (
            vec!["records", file_arg, "--map", "missing.toml"],
            "--map missing.toml: cannot read the mapping file",
        ),
        (vec!["records", file_arg, "--map", "Start=begin"], "--map"),
        (
            vec!["records", file_arg, "--delimiter", ";;"],
            "--delimiter \";;\": one ASCII character",
        ),
        (vec!["records", file_arg, "--skip-bad"], "--rejects"),
        (
            vec!["records", "no-such-file.csv"],
            "cannot read no-such-file.csv",
        ),
        (
            vec!["bank", file_arg],
            "expected the Anonymous Bank columns",
        ),
    ];
    for (args, needle) in cases {
        hotline()
            .arg("import")
            .args(&args)
            .arg("--data-dir")
            .arg(&data)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
    }
    // A header without the required columns names them.
    let no_outcome = write(
        dir.path(),
        "h.csv",
        "contact_id,queue,arrived_at,ended_at\n",
    );
    hotline()
        .args(["import", "records"])
        .arg(&no_outcome)
        .arg("--data-dir")
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing column(s) channel, outcome",
        ));
    // Nothing was created by any of them (the store is not even opened).
    assert!(!data.exists());
}

/// Another platform's export through a mapping file.
#[test]
fn records_through_a_mapping_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write(
        dir.path(),
        "export.csv",
        "CallID;Skill;Start;Answer;End;Agent;Disposition;Priority\n\
         x1;Ventas;2024-03-04 09:00:00;;2024-03-04 09:00:30;;ABANDON;1\n\
         x2;Ventas;2024-03-04 09:01:00;2024-03-04 09:01:12;2024-03-04 09:04:12;Ana;COMPLETE;2\n",
    );
    let map = write(
        dir.path(),
        "map.toml",
        "[columns]\nCallID = \"contact_id\"\nSkill = \"queue\"\nStart = \"arrived_at\"\n\
         Answer = \"answered_at\"\nEnd = \"ended_at\"\nAgent = \"agent\"\n\
         Disposition = \"outcome\"\nPriority = \"attr.priority\"\n\n\
         [values.outcome]\nABANDON = \"abandoned\"\nCOMPLETE = \"answered\"\n",
    );
    let out = import_json(
        &data,
        &[
            "records",
            file.to_str().unwrap(),
            "--map",
            map.to_str().unwrap(),
            "--delimiter",
            ";",
            "--timezone",
            "Europe/Madrid",
            "--channel",
            "voice",
        ],
    );
    assert_eq!(n(&out, "records_accepted"), 2);
    assert_eq!(out["import"]["created_people"][0]["username"], "ana");
    // Local 09:00 in Madrid is 08:00 UTC: both in the 09:00 local hour.
    let csv = report_csv(
        &data,
        &[
            "--from",
            "2024-03-04T09:00",
            "--to",
            "2024-03-04T10:00",
            "--timezone",
            "Europe/Madrid",
            "--interval",
            "1h",
            "--by",
            "attr.priority",
            "--kpi",
            "offered,answered,asa_s",
        ],
    );
    assert_eq!(
        csv,
        "interval_start,attr.priority,offered,answered,asa_s\n\
         2024-03-04T09:00:00+01:00,1,1,0,\n\
         2024-03-04T09:00:00+01:00,2,1,1,12\n"
    );
}

/// A simulated hour (one replication) written as contact records, imported and
/// reported: the report from the store gives the simulator's own figures.
#[test]
fn a_simulated_day_imports_and_reports_like_a_real_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let scenario = write(
        dir.path(),
        "hour.toml",
        "[run]\nduration_s = 3600\nreplications = 1\nseed = 7\n\n\
         [[queue]]\nid = \"billing\"\narrivals_per_hour = 120\n\
         handle_time = { dist = \"exponential\", mean_s = 180 }\n\
         patience = { dist = \"exponential\", mean_s = 60 }\nservice_level_s = 20\n\n\
         [[agents]]\ngroup = \"tier1\"\ncount = 6\nskills = { billing = 3 }\n\
         wrap_up = { dist = \"constant\", mean_s = 10 }\n",
    );
    let records = dir.path().join("hour.csv");
    let out = hotline()
        .arg("simulate")
        .arg(&scenario)
        .args(["--json", "--records"])
        .arg(&records)
        .args(["--start", "2024-03-04T08:00:00Z"])
        .assert()
        .success();
    let sim: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mean = |m: &str| sim["queues"]["billing"][m]["mean"].as_f64().unwrap();

    let text = std::fs::read_to_string(&records).unwrap();
    assert!(text.starts_with(
        "contact_id,queue,channel,arrived_at,answered_at,ended_at,wrap_up_end_at,agent,\
         outcome,customer,team,wait_s,talk_s,hold_s,wrap_up_s,transfers,attributes\n\
         sim-7-1-1,billing,voice,2024-03-04T08:00:00.654Z,2024-03-04T08:00:00.654Z,"
    ));
    let imported = import_json(&data, &["records", records.to_str().unwrap()]);
    assert_eq!(n(&imported, "records_accepted") as f64, mean("offered"));
    assert_eq!(
        imported["import"]["created_people"]
            .as_array()
            .unwrap()
            .len(),
        6
    );

    let csv = report_csv(
        &data,
        &[
            "--from",
            "2024-03-04",
            "--to",
            "2024-03-05",
            "--timezone",
            "UTC",
            "--interval",
            "day",
            "--by",
            "queue",
            "--kpi",
            "offered,answered,abandoned,service_level,asa_s",
        ],
    );
    let cells = row(&csv, &["2024-03-04T00:00:00+00:00", "billing"]);
    let value = |i: usize| cells[i].parse::<f64>().unwrap();
    assert_eq!(value(2), mean("offered"));
    assert_eq!(value(3), mean("answered"));
    assert_eq!(value(4), mean("abandoned"));
    assert!(
        (value(5) - 100.0 * mean("service_level")).abs() < 1e-4,
        "{csv}"
    );
    assert!((value(6) - mean("asa_served_s")).abs() < 1e-4, "{csv}");

    // The same scenario and seed write the same file: already imported.
    hotline()
        .arg("simulate")
        .arg(&scenario)
        .arg("--records")
        .arg(&records)
        .args(["--start", "2024-03-04T08:00:00Z"])
        .assert()
        .success();
    hotline()
        .args(["import", "records"])
        .arg(&records)
        .arg("--data-dir")
        .arg(&data)
        .assert()
        .success()
        .stdout(predicate::str::contains("was already imported on"));
    // --start without --records is a usage error.
    hotline()
        .arg("simulate")
        .arg(&scenario)
        .args(["--start", "2024-03-04"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--records"));
}
