//! End-to-end figures for docs/benchmarks.md: a month of contact records as CSV →
//! a 30-minute report by queue (Europe/Paris).
//!
//! ```sh
//! report_csv generate FILE N      # N synthetic rows (benches/workload)
//! report_csv run FILE OUT.csv      # timings; the report (non-empty rows) to OUT.csv
//! ```
//!
//! `run` measures three things on the same file: parsing alone (the import's share),
//! parsing and reporting in one streaming pass, and reporting over records already in
//! memory; then prints peak memory. One thread.

#[allow(dead_code)]
#[path = "../benches/workload/mod.rs"]
mod workload;

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::time::Instant;

use hotline_metrics::import::{ContactCsvReader, CsvOptions};
use hotline_metrics::report::{Interval, Report, ReportSpec};
use hotline_metrics::{ContactRecord, TimestampMs};
use jiff::tz::TimeZone;

fn month_report() -> Report {
    let from = TimestampMs(workload::MONTH_START_MS);
    let mut spec = ReportSpec::new(
        from,
        TimestampMs(from.0 + workload::MONTH_MS),
        TimeZone::get("Europe/Paris").expect("bundled tzdb"),
    );
    spec.interval = Interval::Minutes(30);
    spec.include_empty = false;
    Report::new(spec).expect("valid spec")
}

fn open(path: &str) -> BufReader<File> {
    BufReader::with_capacity(1 << 20, File::open(path).expect("the CSV file"))
}

fn peak_rss_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(|| "?".into(), |kb| format!("{}", kb / 1024))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") if args.len() == 4 => {
            let n: u64 = args[3].parse().expect("a row count");
            let mut w = BufWriter::with_capacity(1 << 20, File::create(&args[2]).expect("create"));
            workload::write_csv(&mut w, n).expect("write");
            w.flush().expect("flush");
        }
        Some("run") if args.len() == 4 => run(&args[2], &args[3]),
        _ => {
            eprintln!("usage: report_csv generate FILE N | report_csv run FILE OUT.csv");
            std::process::exit(2);
        }
    }
}

fn run(path: &str, out: &str) {
    let opts = CsvOptions::default();

    let t = Instant::now();
    let mut n = 0u64;
    for r in ContactCsvReader::new(open(path), &opts).expect("header") {
        r.expect("a valid row");
        n += 1;
    }
    let parse = t.elapsed().as_secs_f64();
    println!("rows                      {n}");
    println!(
        "parse (import share)      {parse:.2} s  {:.0} rows/s   peak {} MiB",
        n as f64 / parse,
        peak_rss_mib()
    );

    let t = Instant::now();
    let mut report = month_report();
    for r in ContactCsvReader::new(open(path), &opts).expect("header") {
        report.add(&r.expect("a valid row"));
    }
    let table = report.finish();
    let stream = t.elapsed().as_secs_f64();
    println!(
        "parse + report, 1 pass    {stream:.2} s  {:.0} rows/s   {} report rows   peak {} MiB",
        n as f64 / stream,
        table.rows.len(),
        peak_rss_mib()
    );
    std::fs::write(out, table.to_csv(false)).expect("write the report");

    let records: Vec<ContactRecord> = ContactCsvReader::new(open(path), &opts)
        .expect("header")
        .map(|r| r.expect("a valid row"))
        .collect();
    let t = Instant::now();
    let mut report = month_report();
    for r in &records {
        report.add(r);
    }
    let again = report.finish();
    let agg = t.elapsed().as_secs_f64();
    assert_eq!(again, table);
    println!(
        "report over memory        {agg:.2} s  {:.0} rows/s   peak {} MiB (records held)",
        n as f64 / agg,
        peak_rss_mib()
    );
}
