//! Property tests: no input makes a parser panic, and what comes out obeys the record
//! rules; reports add up whatever goes in.

use std::collections::BTreeMap;

use hotline_metrics::import::{parse_bank_calls, parse_contact_csv, parse_queue_log, CsvOptions};
use hotline_metrics::report::{
    ContactSums, Dimension, Interval, Report, ReportSpec, WaitHistogram, CELL_MS,
};
use hotline_metrics::{
    AgentState, AgentStateInterval, Channel, ContactRecord, DurationMs, KpiId, Outcome, TimestampMs,
};
use jiff::tz::TimeZone;
use proptest::prelude::*;

const EVENTS: [&str; 26] = [
    "ENTERQUEUE",
    "CONNECT",
    "COMPLETEAGENT",
    "COMPLETECALLER",
    "ABANDON",
    "EXITWITHTIMEOUT",
    "EXITEMPTY",
    "EXITWITHKEY",
    "RINGNOANSWER",
    "RINGCANCELED",
    "TRANSFER",
    "BLINDTRANSFER",
    "ATTENDEDTRANSFER",
    "PAUSE",
    "UNPAUSE",
    "PAUSEALL",
    "UNPAUSEALL",
    "AGENTLOGIN",
    "AGENTLOGOFF",
    "AGENTCALLBACKLOGIN",
    "AGENTCALLBACKLOGOFF",
    "ADDMEMBER",
    "REMOVEMEMBER",
    "QUEUESTART",
    "OUTDIAL",
    "CONFIGRELOAD",
];

/// A plausible queue_log line: few calls, agents and queues so events meet each
/// other; data fields are numbers, words, empty or junk.
fn queue_log_line() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        (0u32..400).prop_map(|n| n.to_string()),
        Just(String::new()),
        Just("LINK".to_owned()),
        Just("BRIDGE".to_owned()),
        "[a-z|]{0,3}",
    ];
    (
        1000u32..1200,
        0usize..4,
        prop_oneof![Just("q1"), Just("q2"), Just("NONE")],
        prop_oneof![
            Just("NONE"),
            Just("Agent/1"),
            Just("Agent/2"),
            Just("Local/1@x"),
            Just("")
        ],
        0usize..EVENTS.len(),
        proptest::collection::vec(field, 0..6),
    )
        .prop_map(|(t, call, queue, agent, ev, data)| {
            let callid = ["c1", "c2", "c3", "NONE"][call];
            let mut line = format!("{t}|{callid}|{queue}|{agent}|{}", EVENTS[ev]);
            for d in data {
                line.push('|');
                line.push_str(&d);
            }
            line
        })
}

fn check_states(states: &[AgentStateInterval]) {
    let mut by_agent: BTreeMap<&str, Vec<&AgentStateInterval>> = BTreeMap::new();
    for s in states {
        assert!(s.from < s.to, "{s:?}");
        by_agent.entry(&s.agent).or_default().push(s);
    }
    for list in by_agent.values() {
        for w in list.windows(2) {
            assert!(w[0].to <= w[1].from, "overlap {w:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn queue_log_never_panics_on_any_text(text in "\\PC{0,300}") {
        let out = parse_queue_log(&text);
        prop_assert_eq!(out.stats.lines as usize, text.lines().count());
    }

    #[test]
    fn queue_log_output_obeys_the_rules(lines in proptest::collection::vec(queue_log_line(), 0..60)) {
        let mut lines = lines;
        // The log is in time order, as Asterisk writes it.
        lines.sort_by_key(|l| l[..4].to_owned());
        let text = lines.join("\n");
        let out = parse_queue_log(&text);
        for r in &out.records {
            prop_assert!(r.check().is_ok(), "{:?}: {:?}", r, r.check());
        }
        check_states(&out.agent_states);
        let ended = out.records.len() as u64 + out.stats.incomplete.len() as u64 + out.stats.dropped;
        prop_assert_eq!(ended, out.stats.calls);
        for r in &out.rejects {
            prop_assert!(r.line >= 1 && r.line <= lines.len() as u64);
        }
    }

    #[test]
    fn contact_csv_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(p) = parse_contact_csv(bytes.as_slice(), &CsvOptions::default()) {
            prop_assert_eq!(p.stats.rows, p.stats.accepted + p.stats.rejected);
        }
        let _ = parse_bank_calls(bytes.as_slice(), &TimeZone::UTC);
    }

    #[test]
    fn contact_csv_rows_are_accepted_or_rejected_never_lost(
        rows in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just(String::new()),
                    Just("2024-03-01T08:00:00Z".to_owned()),
                    Just("2024-03-01T08:01:00+01:00".to_owned()),
                    Just("2024-03-01 07:30".to_owned()),
                    Just("answered".to_owned()),
                    Just("abandoned".to_owned()),
                    Just("voice".to_owned()),
                    Just("{\"a\":1}".to_owned()),
                    (0u32..100).prop_map(|n| n.to_string()),
                    "[a-z,\"\\n]{0,6}",
                ],
                0..10,
            ),
            0..20,
        )
    ) {
        let mut csv = "contact_id,queue,channel,arrived_at,answered_at,ended_at,agent,outcome,hold_s,attributes\n".to_owned();
        for r in &rows {
            csv.push_str(&r.join(","));
            csv.push('\n');
        }
        let opts = CsvOptions { time_zone: Some(TimeZone::get("Europe/Paris").unwrap()), ..CsvOptions::default() };
        let p = parse_contact_csv(csv.as_bytes(), &opts).unwrap();
        prop_assert_eq!(p.stats.rows, p.stats.accepted + p.stats.rejected);
        prop_assert_eq!(p.records.len() as u64, p.stats.accepted);
        prop_assert_eq!(p.rejects.len() as u64, p.stats.rejected);
        for r in &p.records {
            prop_assert!(r.check().is_ok());
        }
    }
}

fn record() -> impl Strategy<Value = ContactRecord> {
    (
        -100i64..1500,
        0usize..5,
        0i64..400,
        0i64..600,
        0i64..60,
        0i64..120,
        0u32..3,
        prop_oneof![Just("a"), Just("b"), Just("c")],
        prop_oneof![Just(None), Just(Some("x")), Just(Some("y"))],
    )
        .prop_map(
            |(arr_min, outcome, wait, talk, hold, wrap, transfers, queue, agent)| {
                let outcome = Outcome::ALL[outcome];
                let answered = matches!(outcome, Outcome::Answered | Outcome::CallbackCompleted)
                    || (outcome == Outcome::TransferredOut && agent.is_some());
                let agent = if answered {
                    Some(agent.unwrap_or("x"))
                } else {
                    None
                };
                let arrived = TimestampMs(1_709_539_200_000 + arr_min * 60_000);
                let answered_at = answered.then(|| arrived.plus(DurationMs::from_secs(wait)));
                ContactRecord {
                    contact_id: format!("{arr_min}-{wait}"),
                    queue: queue.into(),
                    channel: Channel::Voice,
                    customer: String::new(),
                    agent: agent.map(str::to_owned),
                    team: None,
                    arrived_at: arrived,
                    answered_at,
                    ended_at: answered_at
                        .unwrap_or(arrived)
                        .plus(DurationMs::from_secs(talk)),
                    wrap_up_end_at: None,
                    outcome,
                    wait: DurationMs::from_secs(wait),
                    talk: DurationMs::from_secs(if answered { talk } else { 0 }),
                    hold: DurationMs::from_secs(if answered { hold } else { 0 }),
                    wrap_up: DurationMs::from_secs(if answered { wrap } else { 0 }),
                    transfers: if answered { transfers } else { 0 },
                    attributes: serde_json::Map::new(),
                }
            },
        )
}

fn state() -> impl Strategy<Value = AgentStateInterval> {
    (
        -100i64..1500,
        1i64..300,
        0usize..6,
        prop_oneof![Just("x"), Just("y")],
    )
        .prop_map(|(from, len, s, agent)| AgentStateInterval {
            agent: agent.into(),
            team: None,
            state: AgentState::ALL[s],
            reason: None,
            from: TimestampMs(1_709_539_200_000 + from * 60_000),
            to: TimestampMs(1_709_539_200_000 + (from + len) * 60_000),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn written_records_read_back_the_same(
        records in proptest::collection::vec(record(), 0..30),
        customer in "[a-z ,\"]{0,5}",
    ) {
        let mut records = records;
        for (i, r) in records.iter_mut().enumerate() {
            r.contact_id = format!("id-{i}");
            // The reader trims surrounding spaces (exports pad cells).
            r.customer = customer.trim().to_owned();
            r.attributes.insert("n".into(), serde_json::json!(i));
        }
        let mut out = Vec::new();
        hotline_metrics::import::write_contact_csv(&mut out, &records).unwrap();
        let back = parse_contact_csv(out.as_slice(), &CsvOptions::default()).unwrap();
        prop_assert!(back.rejects.is_empty(), "{:?}", back.rejects);
        prop_assert_eq!(back.records, records);
    }

    #[test]
    fn reports_add_up(
        records in proptest::collection::vec(record(), 0..80),
        states in proptest::collection::vec(state(), 0..20),
        interval in prop_oneof![Just("15m"), Just("1h"), Just("day")],
        by_agent in any::<bool>(),
    ) {
        let from = TimestampMs(1_709_539_200_000);
        let to = TimestampMs(from.0 + 1440 * 60_000);
        let mut spec = ReportSpec::new(from, to, TimeZone::get("Europe/Paris").unwrap());
        spec.interval = Interval::parse(interval).unwrap();
        spec.group_by = vec![if by_agent { Dimension::Agent } else { Dimension::Queue }];
        spec.kpis = vec![KpiId::Offered, KpiId::Answered, KpiId::Abandoned, KpiId::FlowedOut, KpiId::ServiceLevel,
            KpiId::ServiceLevelSl2, KpiId::AbandonRateExclShort, KpiId::AhtS];
        if by_agent {
            spec.kpis.extend([KpiId::Occupancy, KpiId::Utilisation, KpiId::LoggedInHours]);
        }
        let mut report = Report::new(spec).unwrap();
        for r in &records {
            report.add(r);
        }
        for s in &states {
            report.add_state(s);
        }
        let t = report.finish();
        let in_range = records.iter().filter(|r| r.arrived_at >= from && r.arrived_at < to).count();
        let total = |k| t.value(&t.total, k).unwrap_or(0.0);
        prop_assert_eq!(total(KpiId::Offered), in_range as f64);
        prop_assert_eq!(t.stats.records + t.stats.records_out_of_range, records.len() as u64);
        let rows_offered: f64 = t.rows.iter().map(|r| t.value(r, KpiId::Offered).unwrap()).sum();
        prop_assert_eq!(rows_offered, in_range as f64);
        let groups_offered: f64 = t.totals.iter().map(|r| t.value(r, KpiId::Offered).unwrap()).sum();
        prop_assert_eq!(groups_offered, in_range as f64);
        prop_assert!(total(KpiId::Answered) + total(KpiId::Abandoned) + total(KpiId::FlowedOut) <= total(KpiId::Offered));
        for row in t.rows.iter().chain(&t.totals).chain([&t.total]) {
            for k in [KpiId::ServiceLevel, KpiId::ServiceLevelSl2, KpiId::AbandonRateExclShort, KpiId::Occupancy, KpiId::Utilisation] {
                if let Some(v) = t.value(row, k) {
                    prop_assert!((0.0..=100.0).contains(&v), "{} = {}", k, v);
                }
            }
        }
        if by_agent {
            let clipped: i64 = states
                .iter()
                .filter(|s| s.state != AgentState::LoggedOut)
                .map(|s| (s.to.0.min(to.0) - s.from.0.max(from.0)).max(0))
                .sum();
            let hours = total(KpiId::LoggedInHours);
            prop_assert!((hours - clipped as f64 / 3_600_000.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_report_split_into_shares_and_merged_is_the_whole(
        records in proptest::collection::vec(record(), 0..80),
        states in proptest::collection::vec(state(), 0..20),
        shares in proptest::collection::vec(0usize..3, 100),
        by in prop_oneof![Just(vec![]), Just(vec![Dimension::Queue]), Just(vec![Dimension::Agent]),
            Just(vec![Dimension::Agent, Dimension::Queue])],
    ) {
        let from = TimestampMs(1_709_539_200_000);
        let to = TimestampMs(from.0 + 1440 * 60_000);
        let mut spec = ReportSpec::new(from, to, TimeZone::get("Europe/Paris").unwrap());
        spec.interval = Interval::parse("1h").unwrap();
        spec.kpis = vec![KpiId::Offered, KpiId::Answered, KpiId::ServiceLevel, KpiId::AhtS, KpiId::MaxWaitS];
        let agent_side = by.iter().all(|d| matches!(d, Dimension::Agent));
        if agent_side {
            spec.kpis.push(KpiId::Occupancy);
        }
        spec.group_by = by;
        let mut whole = Report::new(spec).unwrap();
        // Three shares (as three scan threads would see them), each a fork.
        let mut parts = [whole.fork(), whole.fork(), whole.fork()];
        for (i, r) in records.iter().enumerate() {
            whole.add(r);
            parts[shares[i % shares.len()]].add(r);
        }
        for (i, s) in states.iter().enumerate() {
            whole.add_state(s);
            parts[shares[(i + 50) % shares.len()]].add_state(s);
        }
        let [mut a, b, c] = parts;
        a.merge(c);
        a.merge(b);
        prop_assert_eq!(a.finish(), whole.finish());
    }
}

/// A record with a wait in milliseconds (whole seconds half the time: imported waits
/// are) on one of two channels.
fn record_ms() -> impl Strategy<Value = ContactRecord> {
    (record(), 0i64..90_000, any::<bool>(), any::<bool>()).prop_map(|(mut r, wait, whole, chat)| {
        r.wait = DurationMs(if whole { wait / 1000 * 1000 } else { wait });
        if let Some(at) = r.answered_at.as_mut() {
            *at = r.arrived_at.plus(r.wait);
        }
        if chat {
            r.channel = Channel::Chat;
        }
        r
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_report_from_cells_is_the_report_from_records(
        records in proptest::collection::vec(record_ms(), 0..120),
        interval in prop_oneof![Just("15m"), Just("30m"), Just("1h"), Just("day")],
        zone in prop_oneof![Just("UTC"), Just("Europe/Paris"), Just("Asia/Kolkata"), Just("Asia/Kathmandu")],
        by in prop_oneof![Just(vec![]), Just(vec![Dimension::Queue]), Just(vec![Dimension::Channel]),
            Just(vec![Dimension::Queue, Dimension::Channel]), Just(vec![Dimension::Channel, Dimension::Queue])],
        sl in prop_oneof![Just(0i64), Just(5), Just(20), Just(30), Just(60)],
        short in prop_oneof![Just(0i64), Just(5), Just(10)],
        include_empty in any::<bool>(),
    ) {
        let tz = TimeZone::get(zone).unwrap();
        // A local day: its boundaries fall on quarter hours in every zone above.
        let from = TimestampMs(
            jiff::civil::date(2024, 3, 4).to_zoned_datetime(tz.clone()).unwrap().timestamp().as_millisecond(),
        );
        let to = TimestampMs(from.0 + 1440 * 60_000);
        let mut spec = ReportSpec::new(from, to, tz);
        spec.interval = Interval::parse(interval).unwrap();
        spec.group_by = by;
        spec.include_empty = include_empty;
        spec.params.service_level_threshold = DurationMs::from_secs(sl);
        spec.params.short_abandon_threshold = DurationMs::from_secs(short);
        spec.kpis = vec![KpiId::Offered, KpiId::Answered, KpiId::Abandoned, KpiId::ShortAbandoned,
            KpiId::FlowedOut, KpiId::ServiceLevel, KpiId::ServiceLevelAnswered, KpiId::ServiceLevelSl2,
            KpiId::ServiceLevelExclShort, KpiId::AsaS, KpiId::MaxWaitS, KpiId::AvgAbandonWaitS,
            KpiId::AhtS, KpiId::AbandonRateExclShort, KpiId::TransferRate, KpiId::CallbackRate];
        let mut by_records = Report::new(spec).unwrap();
        let mut by_cells = by_records.fork();
        prop_assert!(by_cells.takes_sums());
        let mut cells: BTreeMap<(i64, String, Channel), ContactSums> = BTreeMap::new();
        for r in &records {
            by_records.add(r);
            let start = r.arrived_at.0.div_euclid(CELL_MS) * CELL_MS;
            cells.entry((start, r.queue.clone(), r.channel)).or_default().add(r);
        }
        for ((start, queue, channel), sums) in &cells {
            by_cells.add_sums(TimestampMs(*start), queue, *channel, sums);
        }
        let expected = by_records.finish();
        let mut got = by_cells.finish();
        let in_range = cells.keys().filter(|k| (from.0..to.0).contains(&k.0)).count();
        prop_assert_eq!(got.stats.cells, in_range as u64);
        got.stats.cells = 0;
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn wait_histograms_count_as_the_waits_do(
        waits in proptest::collection::vec(prop_oneof![0i64..100_000, (0i64..100).prop_map(|s| s * 1000), 7_100_000i64..7_300_000], 0..60),
        split in 0usize..60,
        t in 0i64..120,
    ) {
        let (mut whole, mut a, mut b) = (WaitHistogram::default(), WaitHistogram::default(), WaitHistogram::default());
        for (i, &w) in waits.iter().enumerate() {
            whole.add(w);
            if i < split { a.add(w) } else { b.add(w) }
        }
        a.merge(&b);
        prop_assert_eq!(&a, &whole);
        prop_assert_eq!(WaitHistogram::decode(&whole.encode()), Ok(whole.clone()));
        let t_ms = t * 1000;
        prop_assert_eq!(whole.at_most(DurationMs(t_ms)), Some(waits.iter().filter(|&&w| w <= t_ms).count() as u64));
        prop_assert_eq!(whole.less_than(DurationMs(t_ms)), Some(waits.iter().filter(|&&w| w < t_ms).count() as u64));
        prop_assert_eq!(whole.total(), waits.len() as u64);
    }

    #[test]
    fn wait_histogram_decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        if let Ok(h) = WaitHistogram::decode(&bytes) {
            prop_assert_eq!(WaitHistogram::decode(&h.encode()), Ok(h));
        }
    }
}
