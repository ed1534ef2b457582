//! The Anonymous Bank's 42,078 calls of August 1999 through the documented mapping,
//! checked against counts computed here from the raw CSV with plain string splitting
//! (no code shared with the importer).

use std::collections::BTreeMap;

use hotline_metrics::import::parse_bank_calls;
use hotline_metrics::report::{Dimension, Interval, Report, ReportSpec};
use hotline_metrics::{KpiId, Outcome, TimestampMs};
use jiff::tz::TimeZone;
use serde_json::json;

use crate::common::{approx, data_file};

/// Per service type: offered, answered, answered within 20 s, sum of waits of
/// answered calls (s), abandoned.
#[derive(Default, Debug, PartialEq)]
struct Raw {
    offered: u64,
    answered: u64,
    within_20: u64,
    wait_answered: u64,
    abandoned: u64,
}

#[derive(Default, Debug)]
struct RawCounts {
    answered: u64,
    abandoned: u64,
    phantom: u64,
    left_in_vru: u64,
    agent_without_service: u64,
    bad_call_id: u64,
    served_without_queue: u64,
    by_type: BTreeMap<String, Raw>,
}

/// The raw file read by hand: `outcome` is column 13, `q_start` 10, `q_time` 12,
/// `ser_start` 14, `ser_time` 16, `type` 5. Answered = AGENT with service times;
/// abandoned = HANG that reached the queue; the wait of an answered call is `q_time`,
/// or 0 if it never queued.
fn raw_counts(text: &str) -> RawCounts {
    let mut c = RawCounts::default();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end().split(',').collect();
        assert_eq!(f.len(), 17, "{line}");
        if !f[1].bytes().all(|b| b.is_ascii_digit()) {
            c.bad_call_id += 1;
            continue;
        }
        let queued = f[9] != "0:00:00";
        let served = f[13] != "0:00:00" || f[15] != "0";
        let t = c.by_type.entry(f[4].to_owned()).or_default();
        match f[12] {
            "PHANTOM" => c.phantom += 1,
            "HANG" if !queued => c.left_in_vru += 1,
            "HANG" => {
                c.abandoned += 1;
                t.offered += 1;
                t.abandoned += 1;
            }
            "AGENT" if !served => c.agent_without_service += 1,
            "AGENT" => {
                c.answered += 1;
                c.served_without_queue += u64::from(!queued);
                let wait: u64 = if queued { f[11].parse().unwrap() } else { 0 };
                t.offered += 1;
                t.answered += 1;
                t.within_20 += u64::from(wait <= 20);
                t.wait_answered += wait;
            }
            other => panic!("outcome {other}"),
        }
    }
    c
}

#[test]
fn august_1999_imports_through_the_documented_mapping() {
    let text = data_file("anonymous-bank-1999-08/calls.csv");
    let raw = raw_counts(&text);
    // The hand counts (also: `awk -F, 'NR>1{print $13, ($10=="0:00:00"), ($14=="0:00:00")}'
    // | sort | uniq -c`): AGENT 12,981 served at once + 18,364 queued, 29 + 28 without
    // service times; HANG 3,057 in the VRU, 7,183 + 126 in the queue; PHANTOM 310. One
    // AGENT row, 31,843, has call id `1999-08-` and date 2010-08-23 (a conversion slip).
    assert_eq!(raw.bad_call_id, 1);
    assert_eq!(raw.answered, 31_344);
    assert_eq!(raw.served_without_queue, 12_981);
    assert_eq!(
        raw.by_type.values().map(|t| t.offered).sum::<u64>(),
        31_344 + 7_309
    );
    assert_eq!(raw.abandoned, 7_309);
    assert_eq!(raw.phantom, 310);
    assert_eq!(raw.left_in_vru, 3_057);
    assert_eq!(raw.agent_without_service, 57);

    let tz = TimeZone::get("Asia/Jerusalem").unwrap();
    let parsed = parse_bank_calls(text.as_bytes(), &tz).unwrap();
    let s = &parsed.stats;
    assert_eq!(s.rows, 42_078);
    assert_eq!(s.answered, raw.answered);
    assert_eq!(s.served_without_queue, raw.served_without_queue);
    assert_eq!(s.abandoned, raw.abandoned);
    assert_eq!(s.abandoned_with_service_times, 126);
    // `awk -F, '$13=="AGENT" && $17~/^NO_SERVER/' | wc -l` (all with service times).
    assert_eq!(s.answered_without_server, 391);
    assert_eq!(s.phantom, raw.phantom);
    assert_eq!(s.left_in_vru, raw.left_in_vru);
    assert_eq!(s.rejected, raw.agent_without_service + raw.bad_call_id);
    assert_eq!(s.records, 31_344 + 7_309);
    assert_eq!(parsed.records.len() as u64, s.records);
    assert_eq!(s.rows, s.records + s.phantom + s.left_in_vru + s.rejected);
    // The rejects name the line and field and say why; the first is line 2117
    // (`awk -F, '$13=="AGENT" && $14=="0:00:00" && $16==0 {print NR; exit}'`).
    let first = &parsed.rejects[0];
    assert_eq!(
        (first.line, first.field.as_deref()),
        (2_117, Some("ser_start"))
    );
    assert!(
        first.reason.contains("handle time is unknown"),
        "{}",
        first.reason
    );
    assert!(
        parsed.clone().strict().is_err(),
        "all-or-nothing refuses the file"
    );
    let slip = parsed.rejects.iter().find(|r| r.line == 31_843).unwrap();
    assert_eq!(
        (slip.field.as_deref(), slip.value.as_deref()),
        (Some("call_id"), Some("1999-08-"))
    );

    // Unique ids, as a re-import needs.
    let mut ids: Vec<&str> = parsed
        .records
        .iter()
        .map(|r| r.contact_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), parsed.records.len());

    // Row 20 (`AA0104,31129,0,0,PS,1999-08-01,10:00:21,10:00:31,10,0:00:00,…,AGENT,
    // 10:00:30,10:02:09,99,NAAMA`): served at once, at the VRU exit, 10:00:31 IDT.
    let r = parsed
        .records
        .iter()
        .find(|r| r.contact_id == "1999-08-01/AA0104/31129")
        .unwrap();
    let at = "1999-08-01T07:00:31Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    assert_eq!(
        (r.arrived_at.0, r.answered_at.map(|t| t.0), r.wait.0),
        (at, Some(at), 0)
    );
    assert_eq!((r.talk.0, r.ended_at.0 - at), (99_000, 99_000));
    assert_eq!(
        (r.queue.as_str(), r.agent.as_deref(), r.customer.as_str()),
        ("PS", Some("NAAMA"), "")
    );
    assert_eq!(r.attributes.get("vru_s"), Some(&json!(10)));
    assert_eq!(r.attributes.get("vip"), Some(&json!(false)));
    // A call across midnight (`AA0208,7582,…,1999-08-02,23:59:23,23:59:23,0,23:59:29,
    // 0:00:57,88,AGENT,0:00:56,0:01:15,19,GELBER`): answered on 3 August.
    let r = parsed
        .records
        .iter()
        .find(|r| r.contact_id == "1999-08-02/AA0208/7582")
        .unwrap();
    let q_start = "1999-08-02T20:59:29Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    let q_exit = "1999-08-02T21:00:57Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    assert_eq!(
        (r.arrived_at.0, r.answered_at.map(|t| t.0), r.wait.0),
        (q_start, Some(q_exit), 88_000)
    );
    assert_eq!(r.attributes.get("vip"), Some(&json!(false)));
    assert_eq!(r.attributes.get("priority"), Some(&json!(1)));
    assert!(parsed.records.iter().all(|r| r.check().is_ok()));
    assert_eq!(
        parsed
            .records
            .iter()
            .filter(|r| r.outcome == Outcome::Abandoned)
            .count(),
        7_309
    );

    // The month by service type: the report agrees with the hand count, type by type.
    let from = TimestampMs(
        "1999-07-31T21:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond(),
    );
    let to = TimestampMs(
        "1999-09-01T21:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond(),
    );
    let mut spec = ReportSpec::new(from, to, tz.clone());
    spec.interval = Interval::Month;
    spec.kpis = vec![
        KpiId::Offered,
        KpiId::Answered,
        KpiId::Abandoned,
        KpiId::ServiceLevel,
        KpiId::AsaS,
        KpiId::AbandonRate,
    ];
    let mut report = Report::new(spec).unwrap();
    for r in &parsed.records {
        report.add(r);
    }
    let t = report.finish();
    assert_eq!(t.stats.records_out_of_range, 0);
    let intervals: Vec<&str> = t
        .rows
        .iter()
        .filter_map(|r| r.interval_start.as_deref())
        .collect();
    assert_eq!(intervals.first(), Some(&"1999-08-01T00:00:00+03:00"));
    for (ty, want) in &raw.by_type {
        let row = t.total_of(&[Some(ty)]).unwrap();
        let v = |k| t.value(row, k).unwrap();
        assert_eq!(v(KpiId::Offered), want.offered as f64, "{ty}");
        assert_eq!(v(KpiId::Answered), want.answered as f64, "{ty}");
        assert_eq!(v(KpiId::Abandoned), want.abandoned as f64, "{ty}");
        approx(
            v(KpiId::ServiceLevel),
            100.0 * want.within_20 as f64 / want.offered as f64,
        );
        approx(
            v(KpiId::AsaS),
            want.wait_answered as f64 / want.answered as f64,
        );
    }
    // What a planner sees: a stretched center (PS, the bulk, answers 43 % within 20 s
    // and loses 14 %; prospective customers, NW, lose 38 %); the callback type TT is
    // the best served.
    let sl = |ty: &str| {
        t.value(t.total_of(&[Some(ty)]).unwrap(), KpiId::ServiceLevel)
            .unwrap()
    };
    let ab = |ty: &str| {
        t.value(t.total_of(&[Some(ty)]).unwrap(), KpiId::AbandonRate)
            .unwrap()
    };
    assert_eq!(format!("{:.1} {:.1}", sl("PS"), ab("PS")), "43.3 14.4");
    assert_eq!(format!("{:.1} {:.1}", sl("NW"), ab("NW")), "29.9 38.0");
    assert!(["PS", "PE", "IN", "NE", "NW"]
        .iter()
        .all(|ty| sl("TT") > sl(ty)));

    // Priority customers (2) get a 1.5-minute head start: among identified customers
    // (priority 1 or 2) of the same type they wait less.
    let mut spec = ReportSpec::new(from, to, tz);
    spec.interval = Interval::Month;
    spec.group_by = vec![Dimension::Queue, Dimension::Attribute("priority".into())];
    spec.kpis = vec![KpiId::AsaS];
    let mut report = Report::new(spec).unwrap();
    for r in &parsed.records {
        report.add(r);
    }
    let t = report.finish();
    let asa = |ty: &str, p: &str| {
        t.value(t.total_of(&[Some(ty), Some(p)]).unwrap(), KpiId::AsaS)
            .unwrap()
    };
    for ty in ["PS", "NE"] {
        assert!(
            asa(ty, "2") < asa(ty, "1"),
            "{ty}: {} vs {}",
            asa(ty, "2"),
            asa(ty, "1")
        );
    }
}

#[test]
fn bank_rows_that_break_the_format_are_rejected_with_their_field() {
    let header = "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server\n";
    let rows = "\
AA0101,1,0,3,PS,1999-08-01,10:00:00,10:00:05,5,10:00:05,10:00:10,5,AGENT,10:00:10,10:01:00,50,X
AA0101,2,0,0,PS,1999-08-01,10:00:00,10:00:05,5,10:00:05,10:00:10,5,MAYBE,0:00:00,0:00:00,0,X
AA0101,3,0,0,PS,1999-08-01,10:00:00,25:00:05,5,10:00:05,10:00:10,5,HANG,0:00:00,0:00:00,0,NO_SERVER
AA0101,4,0,0,PS,1999-08-01,10:00:00,10:00:05,5,10:00:05,10:00:10,5,AGENT,10:00:10,10:01:00,50,
AA0101,5,0,0,PS,1999-08-01
AA0101,6,0,0,PS,1999-08-01,10:00:00,10:00:05,5,10:00:05,10:00:10,x,HANG,0:00:00,0:00:00,0,NO_SERVER
AA0101,7,0,0,PS,1999-08-01,10:00:00,10:00:05,5,10:00:05,10:00:10,5,HANG,0:00:00,0:00:00,0,NO_SERVER
";
    let tz = TimeZone::get("Asia/Jerusalem").unwrap();
    let p = parse_bank_calls(format!("{header}{rows}").as_bytes(), &tz).unwrap();
    let got: Vec<(u64, Option<&str>)> = p
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (2, Some("priority")),
            (3, Some("outcome")),
            (4, Some("vru_exit")),
            (5, Some("server")),
            (6, None),
            (7, Some("q_time"))
        ]
    );
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.records[0].contact_id, "1999-08-01/AA0101/7");
    assert!(
        parse_bank_calls("a,b\n".as_bytes(), &tz).is_err(),
        "another file's header"
    );
}
