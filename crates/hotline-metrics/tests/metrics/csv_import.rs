//! The contact-record CSV: the documented columns, mappings, time zones, and rejects
//! that name line, field, value and reason.

use hotline_metrics::import::{
    parse_contact_csv, ColumnMapping, CsvOptions, Field, ImportError, Target,
};
use hotline_metrics::time::{Ambiguity, TimeFormat};
use hotline_metrics::{Channel, Outcome};
use jiff::tz::TimeZone;
use serde_json::json;

fn ms(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

const DOCUMENTED: &str = "\
contact_id,queue,channel,arrived_at,answered_at,ended_at,wrap_up_end_at,agent,outcome,customer,hold_s,transfers,attributes
c1,billing,voice,2024-03-01T08:00:00Z,2024-03-01T08:00:15Z,2024-03-01T08:05:15Z,2024-03-01T08:06:00Z,ana,answered,cust-9,30,1,\"{\"\"vip\"\": true}\"
c2,billing,chat,2024-03-01T08:01:00+01:00,,2024-03-01T08:01:42+01:00,,,abandoned,,,,
c3,sales,voice,2024-03-01 09:00:00.500Z,2024-03-01 09:00:20.500Z,2024-03-01 09:02:00.500Z,,bo,ANSWERED,,,,
";

#[test]
fn the_documented_columns_with_durations_derived() {
    let p = parse_contact_csv(DOCUMENTED.as_bytes(), &CsvOptions::default()).unwrap();
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    let [c1, c2, c3] = &p.records[..] else {
        panic!("{:?}", p.records)
    };
    assert_eq!(c1.contact_id, "c1");
    assert_eq!(
        (c1.queue.as_str(), c1.channel, c1.agent.as_deref()),
        ("billing", Channel::Voice, Some("ana"))
    );
    assert_eq!(c1.arrived_at.0, ms("2024-03-01T08:00:00Z"));
    // wait = answer − arrival; talk = end − answer − hold; wrap-up = wrap-up end − end.
    assert_eq!(
        (c1.wait.0, c1.talk.0, c1.hold.0, c1.wrap_up.0),
        (15_000, 270_000, 30_000, 45_000)
    );
    assert_eq!((c1.transfers, c1.customer.as_str()), (1, "cust-9"));
    assert_eq!(c1.attributes.get("vip"), Some(&json!(true)));
    // Abandoned after 42 s; the offset in the text is used.
    assert_eq!(
        (c2.outcome, c2.channel, c2.wait.0, c2.talk.0),
        (Outcome::Abandoned, Channel::Chat, 42_000, 0)
    );
    assert_eq!(c2.arrived_at.0, ms("2024-03-01T07:01:00Z"));
    assert_eq!((c2.agent.as_deref(), c2.customer.as_str()), (None, ""));
    // Outcome names match ignoring case; fractions of a second are kept.
    assert_eq!(
        (c3.outcome, c3.wait.0, c3.talk.0),
        (Outcome::Answered, 20_000, 100_000)
    );
    assert_eq!(p.stats.rows, 3);
    assert_eq!(p.stats.accepted, 3);
    let absent: Vec<&str> = p
        .stats
        .absent_columns
        .iter()
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(absent, ["team", "wait_s", "talk_s", "wrap_up_s"]);
}

#[test]
fn bad_rows_are_rejected_with_line_field_value_and_reason() {
    let csv = "\
contact_id,queue,channel,arrived_at,answered_at,ended_at,agent,outcome,hold_s,transfers
ok1,q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,
bad-time,q,voice,2024-03-01 08:00,,2024-03-01T08:01:00Z,,abandoned,,
bad-outcome,q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,hung_up,,
no-agent,q,voice,2024-03-01T08:00:00Z,2024-03-01T08:00:10Z,2024-03-01T08:01:00Z,,answered,,
backwards,q,voice,2024-03-01T08:00:00Z,,2024-03-01T07:59:00Z,,abandoned,,
too-much-hold,q,voice,2024-03-01T08:00:00Z,2024-03-01T08:00:10Z,2024-03-01T08:01:00Z,x,answered,51,
neg-transfers,q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,-1
short,q,voice
,q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,
ok1,q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,
bad-channel,q,fax,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,
\"multi
line\",q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,
after,q,voice,2024-03-01T08:00:00Z,,2024-03-01T08:01:00Z,,abandoned,,2
";
    let p = parse_contact_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let got: Vec<(u64, Option<&str>, Option<&str>)> = p
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_deref(), r.value.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("arrived_at"), Some("2024-03-01 08:00")),
            (4, Some("outcome"), Some("hung_up")),
            (5, Some("outcome"), Some("answered")),
            (6, Some("ended_at"), Some("2024-03-01T07:59:00Z")),
            (7, Some("hold_s"), Some("51")),
            (8, Some("transfers"), Some("-1")),
            (9, None, None),
            (10, Some("contact_id"), Some("")),
            (11, Some("contact_id"), Some("ok1")),
            (12, Some("channel"), Some("fax")),
            (13, Some("contact_id"), Some("multi\nline")),
        ]
    );
    let reasons: Vec<&str> = p.rejects.iter().map(|r| r.reason.as_str()).collect();
    assert!(reasons[0].contains("time zone"), "{}", reasons[0]);
    assert!(
        reasons[1].contains("one of: answered, abandoned"),
        "{}",
        reasons[1]
    );
    assert!(
        reasons[2].contains("answered_at and agent"),
        "{}",
        reasons[2]
    );
    assert!(
        reasons[4].contains("at most the time from answered_at to ended_at (50 s)"),
        "{}",
        reasons[4]
    );
    assert!(
        reasons[6].contains("3 field(s), the header has 10"),
        "{}",
        reasons[6]
    );
    assert!(reasons[8].contains("line 2 has it"), "{}", reasons[8]);
    assert_eq!(
        p.rejects[1].to_string(),
        "line 4, outcome = \"hung_up\": one of: answered, abandoned, callback_completed, transferred_out, unfinished (or map it in [values.outcome])"
    );
    assert!(
        reasons[10].contains("no control characters"),
        "{}",
        reasons[10]
    );
    // The quoted id spans lines 13–14; the next row, line 15, is fine.
    let ids: Vec<&str> = p.records.iter().map(|r| r.contact_id.as_str()).collect();
    assert_eq!(ids, ["ok1", "after"]);
    assert_eq!(
        (p.stats.rows, p.stats.accepted, p.stats.rejected),
        (13, 2, 11)
    );
    // All-or-nothing is the caller's choice.
    match p.strict() {
        Err(ImportError::Rejected { count, first }) => assert_eq!((count, first.line), (11, 3)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn another_platforms_export_through_a_mapping() {
    let csv = "\
\u{feff}CallID,Skill,Start,Connect,End,ACW End,Agent Name,Disposition,VIP,Notes,Extra
A-1,Billing,2024-11-03 01:30:00,2024-11-03 01:30:30,2024-11-03 01:35:00,,Kim,COMPLETE,Y,hello,x
A-2,Billing,2024-11-03 00:30:00,,2024-11-03 00:31:00,,,ABANDON,,,x
A-3,Billing,2024-11-03 03:00:00,2024-11-03 03:00:05,2024-11-03 03:01:00,2024-11-03 03:02:00,Kim,COMPLETE,,,x
";
    let toml = r#"
[columns]
CallID = "contact_id"
Skill = "queue"
Start = "arrived_at"
Connect = "answered_at"
End = "ended_at"
"ACW End" = "wrap_up_end_at"
"Agent Name" = "agent"
Disposition = "outcome"
VIP = "attr.vip"
Notes = "-"

[values.outcome]
COMPLETE = "answered"
ABANDON = "abandoned"
"#;
    let ny = TimeZone::get("America/New_York").unwrap();
    let mut opts = CsvOptions {
        mapping: ColumnMapping::from_toml(toml).unwrap(),
        time_zone: Some(ny),
        default_channel: Some(Channel::Voice),
        ..CsvOptions::default()
    };
    // 01:30 on 3 November 2024 happens twice in New York: rejected by default…
    let p = parse_contact_csv(csv.as_bytes(), &opts).unwrap();
    assert_eq!(p.rejects.len(), 1);
    assert_eq!(
        (
            p.rejects[0].line,
            p.rejects[0].field.as_deref(),
            p.rejects[0].column.as_deref()
        ),
        (2, Some("arrived_at"), Some("Start"))
    );
    assert!(
        p.rejects[0].reason.contains("happens twice"),
        "{}",
        p.rejects[0].reason
    );
    // …or read with the offset the caller chooses.
    opts.ambiguity = Ambiguity::Later;
    let p = parse_contact_csv(csv.as_bytes(), &opts).unwrap();
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    let r = &p.records;
    assert_eq!(r[0].arrived_at.0, ms("2024-11-03T06:30:00Z"));
    assert_eq!(
        (r[0].outcome, r[0].agent.as_deref(), r[0].wait.0),
        (Outcome::Answered, Some("Kim"), 30_000)
    );
    assert_eq!(r[0].attributes.get("vip"), Some(&json!("Y")));
    assert_eq!(r[1].arrived_at.0, ms("2024-11-03T04:30:00Z"));
    assert_eq!(r[1].outcome, Outcome::Abandoned);
    assert_eq!(r[2].arrived_at.0, ms("2024-11-03T08:00:00Z"));
    assert_eq!(r[2].wrap_up.0, 60_000);
    assert_eq!(p.stats.ignored_columns, ["Extra"]);
    let absent: Vec<&str> = p
        .stats
        .absent_columns
        .iter()
        .map(|(c, _)| c.as_str())
        .collect();
    assert!(absent.contains(&"channel") && absent.contains(&"hold_s"));

    // The same with CLI pairs.
    let pairs =
        ColumnMapping::parse_pairs(["CallID=contact_id", "Skill=queue", "VIP=attr.vip"]).unwrap();
    assert_eq!(
        pairs.target_of("callid"),
        Some(Target::Field(Field::ContactId))
    );
    assert_eq!(
        pairs.target_of("VIP"),
        Some(Target::Attribute("vip".into()))
    );
    assert_eq!(
        pairs.target_of("ended_at"),
        Some(Target::Field(Field::EndedAt))
    );
    assert_eq!(pairs.target_of("Whatever"), None);
}

#[test]
fn header_problems_stop_the_import_before_any_row() {
    let opts = CsvOptions::default();
    let err = |csv: &str, opts: &CsvOptions| {
        parse_contact_csv(csv.as_bytes(), opts)
            .unwrap_err()
            .to_string()
    };
    let e = err("contact_id,queue,arrived_at\n", &opts);
    assert!(
        e.contains("missing column(s) channel, ended_at, outcome"),
        "{e}"
    );
    let e = err("", &opts);
    assert!(e.contains("empty"), "{e}");
    let e = err(
        "contact_id,queue,channel,arrived_at,ended_at,outcome,Queue\n",
        &opts,
    );
    assert!(e.contains("both give queue"), "{e}");
    let opts_map = CsvOptions {
        mapping: ColumnMapping::parse_pairs(["Nope=queue"]).unwrap(),
        ..CsvOptions::default()
    };
    let e = err(
        "contact_id,queue,channel,arrived_at,ended_at,outcome\n",
        &opts_map,
    );
    assert!(
        e.contains("\"Nope\", which the header does not have"),
        "{e}"
    );
    assert!(ColumnMapping::parse_pairs(["a=b"])
        .unwrap_err()
        .to_string()
        .contains("attr.<name>"));
    assert!(ColumnMapping::parse_pairs(["noequals"]).is_err());
    assert!(ColumnMapping::parse_pairs(["a=queue", "a=agent"]).is_err());
    assert!(ColumnMapping::from_toml("[values.queue]\na = \"b\"").is_err());
    assert!(
        ColumnMapping::from_toml("[colums]\na = \"queue\"").is_err(),
        "unknown sections are errors"
    );
}

#[test]
fn epoch_times_semicolons_and_no_duplicate_check() {
    let csv = "\
contact_id;queue;channel;arrived_at;answered_at;ended_at;agent;outcome;wait_s;talk_s
x;q;email;1700000000;1700000100.5;1700000400;ana;answered;90;250
x;q;email;1700000000;;1700000060;;abandoned;;
";
    let opts = CsvOptions {
        time_format: TimeFormat::EpochSeconds,
        delimiter: b';',
        check_duplicates: false,
        ..CsvOptions::default()
    };
    let p = parse_contact_csv(csv.as_bytes(), &opts).unwrap();
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    // Given durations win over the times.
    assert_eq!(
        (p.records[0].wait.0, p.records[0].talk.0),
        (90_000, 250_000)
    );
    assert_eq!(p.records[0].answered_at.unwrap().0, 1_700_000_100_500);
    assert_eq!(p.records.len(), 2);
}

#[test]
fn agent_state_history_from_csv() {
    use hotline_metrics::import::{parse_agent_states_csv, StateCsvOptions};
    use hotline_metrics::AgentState;
    let csv = "\
Agent,State,Reason,From,To,Team,Site
ana,ready,,2024-03-01 08:00,2024-03-01 08:30,A,x
ana,NOT_READY,Lunch,2024-03-01 08:30,2024-03-01 09:00,A,x
bo,sleeping,,2024-03-01 08:00,2024-03-01 08:30,,x
bo,busy,,2024-03-01 08:00,,,x
bo,busy,,2024-03-01 08:00,2024-03-01 07:00,,x
,busy,,2024-03-01 08:00,2024-03-01 09:00,,x
";
    let opts = StateCsvOptions {
        time_zone: Some(TimeZone::get("Europe/Madrid").unwrap()),
        ..StateCsvOptions::default()
    };
    let p = parse_agent_states_csv(csv.as_bytes(), &opts).unwrap();
    assert_eq!(p.records.len(), 2);
    let s = &p.records[1];
    assert_eq!(
        (
            s.agent.as_str(),
            s.state,
            s.reason.as_deref(),
            s.team.as_deref()
        ),
        ("ana", AgentState::NotReady, Some("Lunch"), Some("A"))
    );
    assert_eq!(
        (s.from.0, s.to.0),
        (ms("2024-03-01T07:30:00Z"), ms("2024-03-01T08:00:00Z"))
    );
    let got: Vec<(u64, Option<&str>)> = p
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (4, Some("state")),
            (5, Some("to")),
            (6, Some("to")),
            (7, Some("agent"))
        ]
    );
    assert!(
        p.rejects[1].reason.contains("still open"),
        "{}",
        p.rejects[1].reason
    );
    assert_eq!(p.stats.ignored_columns, ["Site"]);
    let e = parse_agent_states_csv("agent,state,from\n".as_bytes(), &opts).unwrap_err();
    assert!(
        e.to_string().contains("missing column(s) reason, to"),
        "{e}"
    );
}

#[test]
fn written_records_read_back_the_same() {
    use hotline_metrics::import::write_contact_csv;
    let mut p = parse_contact_csv(DOCUMENTED.as_bytes(), &CsvOptions::default()).unwrap();
    p.records[1].team = Some("night, \"B\"".into());
    let mut out = Vec::new();
    write_contact_csv(&mut out, &p.records).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with(
        "contact_id,queue,channel,arrived_at,answered_at,ended_at,wrap_up_end_at,agent,outcome,customer,team,wait_s,talk_s,hold_s,wrap_up_s,transfers,attributes\n\
         c1,billing,voice,2024-03-01T08:00:00Z,2024-03-01T08:00:15Z,2024-03-01T08:05:15Z,2024-03-01T08:06:00Z,ana,answered,cust-9,,15,270,30,45,1,\"{\"\"vip\"\":true}\"\n"
    ), "{text}");
    let back = parse_contact_csv(text.as_bytes(), &CsvOptions::default()).unwrap();
    assert!(back.rejects.is_empty(), "{:?}", back.rejects);
    assert_eq!(back.records, p.records);
}
