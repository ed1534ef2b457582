//! Throughput of the parsers and the report accumulator, in records (or lines) per
//! second. `cargo bench -p hotline-metrics --bench metrics`; figures in
//! docs/benchmarks.md ("Reports (hotline-metrics)").

#[allow(dead_code)]
mod workload;

use std::sync::LazyLock;

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use hotline_metrics::import::{parse_bank_calls, parse_queue_log, ContactCsvReader, CsvOptions};
use hotline_metrics::report::{Interval, Report, ReportSpec};
use hotline_metrics::{ContactRecord, TimestampMs};
use jiff::tz::TimeZone;

/// A million rows: 140 MB of CSV, a month of 30-minute intervals × 40 queues (37,200
/// non-empty cells), so per-report fixed costs do not hide the per-record ones.
const ROWS: u64 = 1_000_000;

static CSV: LazyLock<String> = LazyLock::new(|| workload::csv_string(ROWS));
static RECORDS: LazyLock<Vec<ContactRecord>> = LazyLock::new(|| {
    ContactCsvReader::new(CSV.as_bytes(), &CsvOptions::default())
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
});

fn data(rel: &str) -> String {
    let dir = std::env::var("HOTLINE_DATA_DIR").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").to_owned()
    });
    std::fs::read_to_string(format!("{dir}/{rel}")).expect("the shared data (set HOTLINE_DATA_DIR)")
}

fn month_report() -> Report {
    let from = TimestampMs(workload::MONTH_START_MS);
    let mut spec = ReportSpec::new(
        from,
        TimestampMs(from.0 + workload::MONTH_MS),
        TimeZone::get("Europe/Paris").unwrap(),
    );
    spec.interval = Interval::Minutes(30);
    Report::new(spec).unwrap()
}

fn main() {
    divan::main();
}

/// CSV text → contact records (the import's parsing, duplicate-id check on).
#[divan::bench(sample_count = 5)]
fn csv_parse(b: Bencher) {
    LazyLock::force(&CSV);
    b.counter(ItemsCount::new(ROWS)).bench(|| {
        let mut n = 0;
        for r in ContactCsvReader::new(CSV.as_bytes(), &CsvOptions::default()).unwrap() {
            n += u64::from(black_box(r).is_ok());
        }
        assert_eq!(n, ROWS);
    });
}

/// The same without the duplicate-id check (its hash set is most of the memory).
#[divan::bench(sample_count = 5)]
fn csv_parse_no_duplicate_check(b: Bencher) {
    LazyLock::force(&CSV);
    let opts = CsvOptions {
        check_duplicates: false,
        ..CsvOptions::default()
    };
    b.counter(ItemsCount::new(ROWS)).bench(|| {
        for r in ContactCsvReader::new(CSV.as_bytes(), &opts).unwrap() {
            black_box(r).ok();
        }
    });
}

/// Records in memory → a month of 30-minute intervals by queue (40 queues).
#[divan::bench(sample_count = 5)]
fn report_30m_by_queue(b: Bencher) {
    LazyLock::force(&RECORDS);
    b.counter(ItemsCount::new(ROWS)).bench(|| {
        let mut report = month_report();
        for r in RECORDS.iter() {
            report.add(r);
        }
        black_box(report.finish())
    });
}

/// CSV text → report in one streaming pass (what `hotline report` on a file does).
#[divan::bench(sample_count = 5)]
fn csv_parse_and_report(b: Bencher) {
    LazyLock::force(&CSV);
    b.counter(ItemsCount::new(ROWS)).bench(|| {
        let mut report = month_report();
        for r in ContactCsvReader::new(CSV.as_bytes(), &CsvOptions::default()).unwrap() {
            report.add(&r.unwrap());
        }
        black_box(report.finish())
    });
}

/// The real help-desk queue_log (1,000 lines), lines per second.
#[divan::bench]
fn queue_log_helpdesk(b: Bencher) {
    let text = data("asterisk-queue-log/helpdesk-2018.queue_log");
    b.counter(ItemsCount::new(text.lines().count()))
        .bench(|| black_box(parse_queue_log(&text)));
}

/// The bank's 42,078 calls, rows per second.
#[divan::bench(sample_count = 5)]
fn bank_calls(b: Bencher) {
    let text = data("anonymous-bank-1999-08/calls.csv");
    let tz = TimeZone::get("Asia/Jerusalem").unwrap();
    b.counter(ItemsCount::new(42_078u64))
        .bench(|| black_box(parse_bank_calls(text.as_bytes(), &tz).unwrap()));
}
