//! The Asterisk queue_log importer: every event on a hand-written log, then the two
//! real logs in /work/shared/data/asterisk-queue-log with numbers checked against the
//! files by hand (the awk one-liners that produced them are in each test's comment).

use std::collections::BTreeMap;

use hotline_metrics::import::parse_queue_log;
use hotline_metrics::report::{Dimension, Interval, Report, ReportSpec};
use hotline_metrics::{AgentState, AgentStateInterval, KpiId, Outcome, TimestampMs};
use jiff::tz::TimeZone;
use serde_json::json;

use crate::common::{approx, data_file};

/// Seconds in each state, per agent.
fn time_in_state(states: &[AgentStateInterval]) -> BTreeMap<(String, AgentState), i64> {
    let mut m = BTreeMap::new();
    for s in states {
        *m.entry((s.agent.clone(), s.state)).or_default() += s.duration().0 / 1000;
    }
    m
}

const EVERY_EVENT: &str = "\
1000|NONE|NONE|NONE|QUEUESTART|
1000|1000.1|NONE|Agent/7|AGENTLOGIN|SIP/7-0001
1010|MANAGER|support|PJSIP/8|ADDMEMBER|
1020|NONE|support|Agent/7|PAUSE|Lunch
1030|NONE|NONE|Agent/7|UNPAUSEALL|
1040|c1|support|NONE|ENTERQUEUE||5551000|1
1045|c1|support|Agent/7|RINGNOANSWER|4000
1050|c1|support|PJSIP/8|CONNECT|10|c1.2|3
1100|c1|support|PJSIP/8|TRANSFER|200|default|10|50|1
1100|c1|sales|NONE|ENTERQUEUE||5551000|1
1130|c1|sales|Agent/7|CONNECT|30|c1.3|2
1190|c1|sales|Agent/7|COMPLETECALLER|30|60|1
1200|c2|support|NONE|ENTERQUEUE||5552000|1
1203|c2|support|NONE|ABANDON|1|1|3
1210|c3|support|NONE|ENTERQUEUE||5553000|1
1240|c3|support|NONE|EXITEMPTY|1|1|30
1250|c4|support|NONE|ENTERQUEUE||5554000|2
1262|c4|support|NONE|EXITWITHKEY|5|1|2|12
1300|c5|support|Agent/7|COMPLETEAGENT|15|40|1
1310|NONE|support|Agent/7|PAUSE|Training
1320|NONE|sales|Agent/7|PAUSE|Training
1330|NONE|support|Agent/7|UNPAUSE|
1340|NONE|sales|Agent/7|UNPAUSE|
1350|c6|support|NONE|ENTERQUEUE||5556000|1
1360|c6|support|Agent/7|CONNECT|10|c6.2|5
1400|c6|support|Agent/7|ATTENDEDTRANSFER|LINK|SIP/7-1|SIP/9-2|10|40|1
1410|NONE|NONE|Agent/7|AGENTLOGOFF|SIP/7-0001|410
1420|NONE|NONE|Agent/9|AGENTCALLBACKLOGOFF|9@default|100|Autologoff
1430|c7|support|NONE|ENTERQUEUE||5557000|1
1440|c7|support|PJSIP/8|CONNECT|10|c7.2|1
garbage line

1450|c8|support|NONE|ENTERQUEUE
abc|c9|support|NONE|ENTERQUEUE||1|1
1460|c7|support|PJSIP/8|COMPLETEAGENT|x|20|1
1470|NONE|NONE|Agent/7|OUTDIAL|123||0|0
1480|NONE|support|PJSIP/8|REMOVEMEMBER|
";

#[test]
fn every_event_on_a_hand_written_log() {
    let out = parse_queue_log(EVERY_EVENT);
    let r = &out.records;
    let ids: Vec<&str> = r.iter().map(|r| r.contact_id.as_str()).collect();
    assert_eq!(ids, ["c1", "c1#2", "c2", "c3", "c4", "c5", "c6"]);

    // c1: answered by PJSIP/8 after 10 s, transferred out after 50 s of talk.
    assert_eq!(r[0].queue, "support");
    assert_eq!(r[0].customer, "5551000");
    assert_eq!(r[0].outcome, Outcome::TransferredOut);
    assert_eq!(r[0].agent.as_deref(), Some("PJSIP/8"));
    assert_eq!(
        (
            r[0].arrived_at.0,
            r[0].answered_at.map(|t| t.0),
            r[0].ended_at.0
        ),
        (1_040_000, Some(1_050_000), 1_100_000)
    );
    assert_eq!(
        (r[0].wait.0, r[0].talk.0, r[0].transfers),
        (10_000, 50_000, 1)
    );
    assert_eq!(r[0].attributes.get("transfer"), Some(&json!("transfer")));
    assert_eq!(
        r[0].attributes.get("transfer_to"),
        Some(&json!("200@default"))
    );
    assert_eq!(r[0].attributes.get("ring_no_answer"), Some(&json!(1)));
    // The same call in a second queue: its own record.
    assert_eq!(
        (r[1].queue.as_str(), r[1].outcome, r[1].wait.0, r[1].talk.0),
        ("sales", Outcome::Answered, 30_000, 60_000)
    );
    assert_eq!(r[1].attributes.get("ended_by"), Some(&json!("caller")));
    // c2 abandoned after 3 s; c3 and c4 flowed out.
    assert_eq!(
        (r[2].outcome, r[2].wait.0, r[2].answered_at),
        (Outcome::Abandoned, 3_000, None)
    );
    assert_eq!(
        (r[3].outcome, r[3].wait.0),
        (Outcome::TransferredOut, 30_000)
    );
    assert_eq!(r[3].attributes.get("queue_exit"), Some(&json!("empty")));
    assert_eq!(
        (
            r[4].wait.0,
            r[4].attributes.get("queue_exit"),
            r[4].attributes.get("exit_key")
        ),
        (12_000, Some(&json!("key")), Some(&json!("5")))
    );
    assert_eq!(r[4].attributes.get("position"), Some(&json!(2)));
    // c5 has no ENTERQUEUE: rebuilt from holdtime 15 and calltime 40 ending at 1300.
    assert_eq!(
        (
            r[5].arrived_at.0,
            r[5].answered_at.map(|t| t.0),
            r[5].ended_at.0
        ),
        (1_245_000, Some(1_260_000), 1_300_000)
    );
    assert_eq!(r[5].attributes.get("reconstructed"), Some(&json!(true)));
    assert_eq!(r[5].attributes.get("ended_by"), Some(&json!("agent")));
    // c6: attended transfer in the LINK form (two channels, then holdtime, calltime).
    assert_eq!(
        (r[6].outcome, r[6].wait.0, r[6].talk.0, r[6].transfers),
        (Outcome::TransferredOut, 10_000, 40_000, 1)
    );
    assert_eq!(
        r[6].attributes.get("transfer_to"),
        Some(&json!("SIP/7-1 SIP/9-2"))
    );

    // Malformed lines: line numbers, fields, no panic.
    let rejects: Vec<(u64, Option<&str>)> = out
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_deref()))
        .collect();
    assert_eq!(
        rejects,
        [
            (31, None),
            (34, Some("epoch")),
            (35, Some("data1 (holdtime)"))
        ]
    );
    assert_eq!(out.rejects[2].value.as_deref(), Some("x"));
    assert_eq!(out.stats.lines, 37);
    assert_eq!(out.stats.blank_lines, 1);
    assert_eq!(
        out.stats.skipped,
        BTreeMap::from([("OUTDIAL".to_owned(), 1)])
    );
    assert_eq!(out.stats.events["ENTERQUEUE"], 8);
    assert_eq!(
        out.stats.events["COMPLETEAGENT"], 1,
        "the malformed one is not counted"
    );
    assert_eq!(out.stats.reconstructed, 1);
    assert_eq!(out.stats.calls, 9);
    assert_eq!(
        out.stats.flow_outs,
        BTreeMap::from([("empty".to_owned(), 1), ("key".to_owned(), 1)])
    );
    // c7 (its COMPLETEAGENT was malformed) and c8 never ended: incomplete, no record.
    let inc: Vec<(&str, u64, &str)> = out
        .stats
        .incomplete
        .iter()
        .map(|c| (c.contact_id.as_str(), c.line, c.last_event.as_str()))
        .collect();
    assert_eq!(inc, [("c7", 29, "CONNECT"), ("c8", 33, "ENTERQUEUE")]);
    assert_eq!(out.stats.sessions_from_logintime, 1);
    assert_eq!(out.stats.agents_logged_in_at_end, 0);

    // Agent/7: logged in 1000–1410, paused for lunch 1020–1030 and training
    // 1310–1340 (two per-queue pauses, ended one queue at a time), on calls 1130–1190,
    // 1260–1300 and 1360–1400.
    let a7: Vec<(AgentState, Option<&str>, i64, i64)> = out
        .agent_states
        .iter()
        .filter(|s| s.agent == "Agent/7")
        .map(|s| (s.state, s.reason.as_deref(), s.from.0 / 1000, s.to.0 / 1000))
        .collect();
    use AgentState::*;
    assert_eq!(
        a7,
        [
            (Ready, None, 1000, 1020),
            (NotReady, Some("Lunch"), 1020, 1030),
            (Ready, None, 1030, 1130),
            (Busy, None, 1130, 1190),
            (Ready, None, 1190, 1260),
            (Busy, None, 1260, 1300),
            (Ready, None, 1300, 1310),
            (NotReady, Some("Training"), 1310, 1340),
            (Ready, None, 1340, 1360),
            (Busy, None, 1360, 1400),
            (Ready, None, 1400, 1410),
        ]
    );
    // Agent/9 logged off with logintime 100 and no login in the file; PJSIP/8 was a
    // queue member 1010–1480, on c1 1050–1100 and on c7 from 1440 to the end (1480).
    let t = time_in_state(&out.agent_states);
    assert_eq!(t[&("Agent/9".to_owned(), Ready)], 100);
    assert_eq!(t[&("PJSIP/8".to_owned(), Busy)], 50 + 40);
    assert_eq!(t[&("PJSIP/8".to_owned(), Ready)], 470 - 90);
}

#[test]
fn events_that_do_not_fit_their_call_are_anomalies() {
    let log = "\
10|a|q|NONE|ENTERQUEUE||1|1
11|b|q|Agent/1|RINGNOANSWER|1000
12|a|q|NONE|ENTERQUEUE||1|1
13|a|q|NONE|CONNECT|1|x|1
14|a|q|Agent/1|CONNECT|2|x|1
15|a|q|Agent/1|CONNECT|3|x|1
16|a|q|NONE|ABANDON|1|1|4
17|a|q|Agent/1|COMPLETEAGENT|3|2|1
18|z|q|Agent/2|AGENTLOGIN|x
19|z|q|Agent/2|AGENTLOGIN|x
20|z|q|Agent/3|AGENTLOGOFF|x
21|MANAGER|q|m|REMOVEMEMBER|
22|NONE|q|Agent/2|AGENTLOGOFF|x|4
";
    let out = parse_queue_log(log);
    let anomalies: Vec<u64> = out.stats.anomalies.iter().map(|a| a.line).collect();
    // Line 2: ring for no call; 3: re-entry before a final event (line 1's entry is
    // incomplete); 6: second CONNECT; 7: ABANDON after an answer; 10: login twice;
    // 11: logoff without login or logintime; 12: removal without addition.
    assert_eq!(anomalies, [2, 3, 6, 7, 10, 11, 12]);
    // Line 4: a CONNECT needs an agent.
    assert_eq!(out.rejects.len(), 1);
    assert_eq!(
        (out.rejects[0].line, out.rejects[0].field.as_deref()),
        (4, Some("agent"))
    );
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.records[0].contact_id, "a#2");
    assert_eq!(out.records[0].wait.0, 2_000);
    assert_eq!(out.stats.incomplete.len(), 1);
    assert_eq!(out.stats.incomplete[0].contact_id, "a");
    // Agent/2 logged in at 18 and off at 22: 4 s ready.
    assert_eq!(
        time_in_state(&out.agent_states)[&("Agent/2".to_owned(), AgentState::Ready)],
        4
    );
}

fn report_all(
    records: &[hotline_metrics::ContactRecord],
    from: i64,
    to: i64,
    by: Vec<Dimension>,
) -> hotline_metrics::ReportTable {
    let mut spec = ReportSpec::new(
        TimestampMs(from * 1000),
        TimestampMs(to * 1000),
        TimeZone::UTC,
    );
    spec.interval = Interval::Month;
    spec.group_by = by;
    spec.kpis = vec![
        KpiId::Offered,
        KpiId::Answered,
        KpiId::Abandoned,
        KpiId::ShortAbandoned,
        KpiId::FlowedOut,
        KpiId::ServiceLevel,
        KpiId::ServiceLevelAnswered,
        KpiId::ServiceLevelSl2,
        KpiId::AsaS,
        KpiId::AhtS,
        KpiId::MaxWaitS,
        KpiId::TransferRate,
    ];
    let mut report = Report::new(spec).unwrap();
    for r in records {
        report.add(r);
    }
    report.finish()
}

/// The PBXware help desk, 2018-11-29 to 2018-12-04, 1,000 lines.
///
/// Checked against the file:
/// - events: `awk -F'|' '{print $5}' helpdesk-2018.queue_log | sort | uniq -c`
///   (108 ENTERQUEUE, 51 COMPLETEAGENT, 38 COMPLETECALLER, 12 ABANDON, 1 EXITWITHTIMEOUT,
///   1 ATTENDEDTRANSFER, 1 BLINDTRANSFER, 360 RINGNOANSWER; vendor OUTDIAL 128,
///   OUTANSWER 77, OUTCANCEL 24, OUTCHANUNAVAIL 18, OUTCONGESTION 9, OUTTRANSFER 1).
///   108 entries = 89 completed + 2 transferred + 12 abandoned + 1 timeout + 4 open.
/// - open calls: callids with an ENTERQUEUE and no final event (awk over both sets):
///   .2194 (line 967, connected), .2226 (969, connected), .2389 (992, ringing),
///   .2438 (1000, the last line).
/// - answered: `awk -F'|' '$5~/^COMPLETE/{n++; t+=$7}'` gives 89 calls and calltime
///   23845 s; the two transfers add calltime 30 + 38: 91 answered, 23913 s talked. The
///   wait is CONNECT's holdtime (it equals CONNECT − ENTERQUEUE; COMPLETE's holdtime is
///   1 s longer on 3 calls): summed over the 91 calls with a final event, 3570 s, 38
///   within 20 s. Abandons wait 191 197 45 53 146 74 21 5 40 70 98 201 s: one
///   within 20 s, none under 5 s. The timeout waited 300 s, the longest wait.
/// - ring-no-answers on records: 360 lines minus 4 on the open calls = 356.
/// - logged-in seconds: AGENTCALLBACKLOGIN → LOGOFF pairs (open ones to the last line,
///   1543942851) = 1109: 137906, 1126: 62139, 1127: 59404, 1141: 58368, 1144: 78677;
///   1128: 59534 + 1 (its ADDMEMBER at line 162 is one second before its login).
/// - busy seconds: Σ (final event − CONNECT) per agent = 1109: 5524, 1126: 3887,
///   1127: 3844, 1128: 2110, 1141: 5359, 1144: 3193; minus time after a logoff during
///   a call (1141: 1543857148 − 1543856965 = 183; 1144: 1543937094 − 1543936560 = 534:
///   717 s outside any login); plus the two calls connected at the end of the file
///   (1127: 1543942851 − 1543942206 = 645; 1109: 1543942851 − 1543942390 = 461).
#[test]
fn helpdesk_2018_real_log() {
    let text = data_file("asterisk-queue-log/helpdesk-2018.queue_log");
    let out = parse_queue_log(&text);
    let s = &out.stats;
    assert_eq!(s.lines, 1000);
    assert!(out.rejects.is_empty(), "{:?}", out.rejects);
    assert_eq!(s.calls, 108);
    assert_eq!(out.records.len(), 104);
    let outcomes: Vec<(&str, u64)> = s.outcomes.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        outcomes,
        [("abandoned", 12), ("answered", 89), ("transferred_out", 3)]
    );
    assert_eq!(s.transferred_after_answer, 2);
    assert_eq!(s.flow_outs, BTreeMap::from([("timeout".to_owned(), 1)]));
    assert_eq!(s.reconstructed, 0);
    let skipped: Vec<(&str, u64)> = s.skipped.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        skipped,
        [
            ("OUTANSWER", 77),
            ("OUTCANCEL", 24),
            ("OUTCHANUNAVAIL", 18),
            ("OUTCONGESTION", 9),
            ("OUTDIAL", 128),
            ("OUTTRANSFER", 1)
        ]
    );
    assert_eq!(s.events["RINGNOANSWER"], 360);
    assert_eq!(s.events["CONFIGRELOAD"], 11);
    assert_eq!(s.events["QUEUESTART"], 7);
    let inc: Vec<(&str, u64, &str)> = s
        .incomplete
        .iter()
        .map(|c| (c.contact_id.as_str(), c.line, c.last_event.as_str()))
        .collect();
    assert_eq!(
        inc,
        [
            ("1543942189.2194", 967, "CONNECT"),
            ("1543942358.2226", 969, "CONNECT"),
            ("1543942788.2389", 992, "RINGNOANSWER"),
            ("1543942842.2438", 1000, "ENTERQUEUE"),
        ]
    );
    // The re-adds of members already in the queue (MANAGER lines after reloads).
    let re_adds: Vec<u64> = s.anomalies.iter().map(|a| a.line).collect();
    assert_eq!(
        re_adds,
        [94, 95, 120, 121, 774, 775, 776, 777, 779, 780, 781, 782]
    );
    let rna: u64 = out
        .records
        .iter()
        .filter_map(|r| r.attributes.get("ring_no_answer")?.as_u64())
        .sum();
    assert_eq!(rna, 356);

    let t = report_all(&out.records, 1_543_000_000, 1_544_000_000, vec![]);
    let v = |k| t.value(&t.total, k).unwrap();
    assert_eq!(v(KpiId::Offered), 104.0);
    assert_eq!(v(KpiId::Answered), 91.0);
    assert_eq!(v(KpiId::Abandoned), 12.0);
    assert_eq!(v(KpiId::ShortAbandoned), 0.0);
    assert_eq!(v(KpiId::FlowedOut), 1.0);
    approx(v(KpiId::ServiceLevel), 100.0 * 38.0 / 104.0);
    approx(v(KpiId::ServiceLevelAnswered), 100.0 * 38.0 / 91.0);
    approx(v(KpiId::ServiceLevelSl2), 100.0 * 39.0 / 103.0);
    approx(v(KpiId::AsaS), 3570.0 / 91.0);
    approx(v(KpiId::AhtS), 23913.0 / 91.0);
    assert_eq!(v(KpiId::MaxWaitS), 300.0);
    approx(v(KpiId::TransferRate), 100.0 * 2.0 / 91.0);

    // Agent time.
    let aliases: Vec<&str> = s.member_aliases.values().map(String::as_str).collect();
    assert_eq!(
        aliases,
        [
            "Agent/1109",
            "Agent/1126",
            "Agent/1127",
            "Agent/1128",
            "Agent/1141",
            "Agent/1144"
        ]
    );
    assert_eq!(s.busy_outside_login_ms, 717_000);
    assert!(s.agents_without_login.is_empty());
    assert_eq!(s.agents_logged_in_at_end, 4);
    let tis = time_in_state(&out.agent_states);
    let logged_in = |a: &str| {
        tis.iter()
            .filter(|((n, _), _)| n == a)
            .map(|(_, v)| v)
            .sum::<i64>()
    };
    let busy = |a: &str| tis[&(a.to_owned(), AgentState::Busy)];
    for (agent, secs, on_calls) in [
        ("Agent/1109", 137_906, 5_524 + 461),
        ("Agent/1126", 62_139, 3_887),
        ("Agent/1127", 59_404, 3_844 + 645),
        ("Agent/1128", 59_535, 2_110),
        ("Agent/1141", 58_368, 5_359 - 183),
        ("Agent/1144", 78_677, 3_193 - 534),
    ] {
        assert_eq!(logged_in(agent), secs, "{agent} logged in");
        assert_eq!(busy(agent), on_calls, "{agent} busy");
    }
    assert!(
        out.agent_states
            .iter()
            .all(|s| s.state != AgentState::NotReady),
        "no pauses in this log"
    );
}

/// The teaching PBX, 85 lines: 8 ENTERQUEUE; CONNECT+COMPLETEAGENT (hold 8 s, talk
/// 5 s) and CONNECT+COMPLETECALLER (hold 5 s, talk 104 s); ABANDON waits 20, 11, 17,
/// 20 (Support) and 9 (sales); one EXITWITHTIMEOUT after 20 s; QUEUESTART 18 and
/// CONFIGRELOAD 46 times (`grep -c`); the only agent, PJSIP/400, is a static member
/// (never logs in): no agent states, its 5 + 104 s of calls counted outside login.
#[test]
fn lab_2023_real_log() {
    let out = parse_queue_log(&data_file("asterisk-queue-log/lab-2023.queue_log"));
    let s = &out.stats;
    assert_eq!(s.lines, 85);
    assert!(out.rejects.is_empty());
    assert!(s.skipped.is_empty());
    assert!(s.incomplete.is_empty());
    assert!(s.anomalies.is_empty());
    assert_eq!(
        (
            s.events["QUEUESTART"],
            s.events["CONFIGRELOAD"],
            s.events["RINGCANCELED"]
        ),
        (18, 46, 1)
    );
    assert_eq!(out.records.len(), 8);
    let outcomes: Vec<(&str, u64)> = s.outcomes.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        outcomes,
        [("abandoned", 5), ("answered", 2), ("transferred_out", 1)]
    );
    assert!(out.agent_states.is_empty());
    assert_eq!(s.agents_without_login, ["PJSIP/400"]);
    assert_eq!(s.busy_outside_login_ms, 109_000);
    assert_eq!(
        out.records[3].attributes.get("ring_canceled"),
        Some(&json!(1))
    );

    let t = report_all(
        &out.records,
        1_675_000_000,
        1_678_000_000,
        vec![Dimension::Queue],
    );
    let support = t.total_of(&[Some("Support")]).unwrap();
    let sales = t.total_of(&[Some("sales")]).unwrap();
    assert_eq!(t.value(support, KpiId::Offered), Some(7.0));
    assert_eq!(t.value(sales, KpiId::Offered), Some(1.0));
    // Support: 2 answered within 20 s, 4 abandons all within 20 s (20 counts), 1 timeout.
    approx(
        t.value(support, KpiId::ServiceLevel).unwrap(),
        100.0 * 2.0 / 7.0,
    );
    assert_eq!(t.value(support, KpiId::ServiceLevelSl2), Some(100.0));
    assert_eq!(t.value(support, KpiId::ServiceLevelAnswered), Some(100.0));
    assert_eq!(t.value(support, KpiId::AsaS), Some(6.5));
    assert_eq!(t.value(support, KpiId::AhtS), Some(54.5));
    assert_eq!(
        t.value(sales, KpiId::AsaS),
        None,
        "no answered call: no ASA"
    );
    assert_eq!(t.value(&t.total, KpiId::MaxWaitS), Some(20.0));
}
