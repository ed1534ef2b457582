//! `hotline report`: interval reports from the store. The store streams the records
//! (and, for agent-time KPIs, the agent state spells) of the period; a
//! `hotline_metrics::Report` accumulates them; this adapter prints the table, CSV or
//! JSON. See `docs/reports.md`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use hotline_metrics::kpi::Inputs;
use hotline_metrics::report::{Dimension, Interval, KpiParams, Report, ReportSpec, ReportTable};
use hotline_metrics::{DurationMs, KpiId, ReportError, TimestampMs, Unit};
use hotline_store::{ContactSink, ContactsRead, ReportQuery, ScanSink, StoreError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;

use crate::import::{input, time_zone, AtomicFile, StoreArgs};

/// Interval report from the contact records (and agent states) in the store: one row
/// per interval and group with the KPIs asked for, defined as in docs/kpis.md.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  hotline report --from 2024-03-01 --to 2024-04-01 --interval day --by queue
  hotline report --from 2024-03-04 --to 2024-03-05 --interval 30m --by queue --format csv --timezone Europe/Madrid
  hotline report --from 2024-03-01 --to 2024-04-01 --interval week --by agent --kpi answered,aht_s,occupancy
  hotline report --from 2024-03-01 --to 2024-03-02 --by team --kpi offered,service_level --sl-threshold 30s

--from and --to are dates (local midnight in --timezone), local date-times
(2024-03-01T08:00) or instants with an offset (2024-03-01T08:00:00Z); --to is
exclusive. A contact is counted in the interval it entered the queue.")]
pub struct Args {
    /// Start of the period (inclusive).
    #[arg(long, value_name = "DATE|DATETIME")]
    from: String,
    /// End of the period (exclusive).
    #[arg(long, value_name = "DATE|DATETIME")]
    to: String,
    /// Interval length: 15m, 30m, 1h (any minutes or hours dividing a day), day, week or
    /// month.
    #[arg(long, default_value = "30m")]
    interval: String,
    /// Grouping: queue, team, agent, channel or attr.<name>; several separated by
    /// commas; `none` for one group.
    #[arg(long, default_value = "queue")]
    by: String,
    /// KPI ids, separated by commas (docs/kpis.md) [default: offered, answered,
    /// abandoned, service_level, asa_s, aht_s, abandon_rate].
    #[arg(long, value_name = "IDS")]
    kpi: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// IANA time zone whose calendar the intervals follow (default: this machine's,
    /// else UTC).
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// T of the service level: answered within it (20s, 30, 1m).
    #[arg(long, default_value = "20s", value_name = "DURATION")]
    sl_threshold: String,
    /// S: abandons shorter than this are short abandons.
    #[arg(long, default_value = "5s", value_name = "DURATION")]
    short_abandon: String,
    /// First day of a week (for --interval week).
    #[arg(long, value_enum, default_value_t = WeekStart::Monday)]
    week_start: WeekStart,
    /// Only this queue (its name).
    #[arg(long)]
    queue: Option<String>,
    /// Only this agent (their username).
    #[arg(long)]
    agent: Option<String>,
    /// Only agents of this team (its name).
    #[arg(long)]
    team: Option<String>,
    /// Leave out intervals in which a group had nothing (default: every interval has a
    /// row for every group, so series have no holes).
    #[arg(long)]
    skip_empty: bool,
    /// Also give each group's total over the period and the grand total (table and
    /// CSV; JSON always has them).
    #[arg(long)]
    totals: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also draw the first KPI over time as an SVG line chart, one line per group (at
    /// most 12 groups: filter or group by less).
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Aligned columns for people.
    Table,
    /// `interval_start, <by>, <kpi ids…>`.
    Csv,
    /// The whole report: rows, totals, settings and counts.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum WeekStart {
    Monday,
    Sunday,
    Saturday,
}

/// A report error as the user's mistake, naming the flag.
fn report_error(e: ReportError) -> anyhow::Error {
    match e {
        ReportError::Invalid {
            field,
            value,
            allowed,
        } => {
            let flag = match field.as_str() {
                "by" => "--by",
                "interval" => "--interval",
                "kpis" => "--kpi",
                "to" => "--to",
                "service_level_threshold" => "--sl-threshold",
                "short_abandon_threshold" => "--short-abandon",
                other => other,
            };
            input(format!("{flag} {value:?}: expected {allowed}"))
        }
        other => input(format!("--kpi: {other}")),
    }
}

/// `20s`, `20`, `1.5m`, `1h`, `250ms` as milliseconds.
fn duration(flag: &str, text: &str) -> Result<DurationMs> {
    let t = text.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3_600_000.0)
    } else {
        (t, 1000.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 && v * mult < 1e15 => {
            Ok(DurationMs((v * mult).round() as i64))
        }
        _ => Err(input(format!(
            "{flag} {text:?}: expected a duration ≥ 0 like 20s, 1.5m, 1h, 250ms (a bare \
             number is seconds)"
        ))),
    }
}

/// A date (local midnight), a local date-time, or an instant with an offset.
pub(crate) fn instant(flag: &str, text: &str, tz: &TimeZone) -> Result<TimestampMs> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(TimestampMs::from_jiff(ts));
    }
    let local = if let Ok(dt) = t.parse::<DateTime>() {
        Some(dt)
    } else {
        t.parse::<Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    };
    let Some(dt) = local else {
        return Err(input(format!(
            "{flag} {text:?}: expected a date (2024-03-01), a local date-time \
             (2024-03-01T08:00) or an instant (2024-03-01T08:00:00Z)"
        )));
    };
    // A local time skipped by a DST change is read as the clock after the change; one
    // repeated is the first of the two.
    let zoned = tz
        .to_ambiguous_zoned_datetime(dt)
        .compatible()
        .map_err(|e| input(format!("{flag} {text:?}: {e}")))?;
    Ok(TimestampMs::from_jiff(zoned.timestamp()))
}

fn kpis(text: Option<&str>) -> Result<Vec<KpiId>> {
    let Some(text) = text else {
        return Ok(hotline_metrics::report::DEFAULT_KPIS.to_vec());
    };
    text.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            KpiId::parse(k)
                .ok_or_else(|| input(format!("--kpi {k:?}: expected {}", KpiId::allowed())))
        })
        .collect()
}

fn dimensions(text: &str) -> Result<Vec<Dimension>> {
    if text.trim() == "none" {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|d| Dimension::parse(d).map_err(report_error))
        .collect()
}

pub fn run(args: Args) -> Result<()> {
    let tz = match &args.timezone {
        Some(z) => time_zone("--timezone", z)?,
        None => TimeZone::try_system().unwrap_or(TimeZone::UTC),
    };
    let from = instant("--from", &args.from, &tz)?;
    let to = instant("--to", &args.to, &tz)?;
    if to <= from {
        return Err(input(format!(
            "--to {:?}: expected a time after --from ({})",
            args.to,
            from.to_rfc3339_in(&tz)
        )));
    }
    let mut spec = ReportSpec::new(from, to, tz);
    spec.interval = Interval::parse(&args.interval).map_err(report_error)?;
    spec.group_by = dimensions(&args.by)?;
    spec.kpis = kpis(args.kpi.as_deref())?;
    spec.params = KpiParams {
        service_level_threshold: duration("--sl-threshold", &args.sl_threshold)?,
        short_abandon_threshold: duration("--short-abandon", &args.short_abandon)?,
    };
    spec.week_start = match args.week_start {
        WeekStart::Monday => Weekday::Monday,
        WeekStart::Sunday => Weekday::Sunday,
        WeekStart::Saturday => Weekday::Saturday,
    };
    spec.include_empty = !args.skip_empty;
    let agent_time = spec
        .kpis
        .iter()
        .any(|k| k.def().inputs == Inputs::AgentTime);
    if agent_time && args.queue.is_some() {
        return Err(input(
            "--queue: agent-time KPIs (occupancy, utilisation, …) cannot be filtered by queue: \
             agent time belongs to no queue; filter by --agent or --team",
        ));
    }
    // Every setting is checked (KPIs not fed yet, groupings agent time lacks) before
    // the store is opened.
    let report = Report::new(spec).map_err(report_error)?;
    let query = ReportQuery {
        from: hotline_store::TimestampMs(from.0),
        to: hotline_store::TimestampMs(to.0),
        queue: args.queue.clone(),
        agent: args.agent.clone(),
        team: args.team.clone(),
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let table = runtime.block_on(read(&args.store, report, &query, agent_time))?;

    if let Some(path) = &args.chart {
        let svg = chart(&table)?;
        let mut file = AtomicFile::create(path)
            .map_err(|e| input(format!("--chart {}: {e}", path.display())))?;
        file.write_all(svg.as_bytes())?;
        file.commit()
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let text = match args.format {
        Format::Csv => table.to_csv(args.totals),
        Format::Json => serde_json::to_string_pretty(&table)? + "\n",
        Format::Table => render_table(&table, args.totals),
    };
    match &args.output {
        Some(path) => {
            let mut file = AtomicFile::create(path)
                .map_err(|e| input(format!("--output {}: {e}", path.display())))?;
            file.write_all(text.as_bytes())?;
            file.commit()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Streams the period's records (and spells) from the store into the report.
async fn read(
    store_args: &StoreArgs,
    report: Report,
    query: &ReportQuery,
    agent_time: bool,
) -> Result<ReportTable> {
    let store = store_args.open().await?;
    // The scan checks that the queue, agent or team exists; a typo is the user's.
    let named = |e: StoreError| match e {
        StoreError::NotFound { entity, id } => {
            let flag = match entity {
                "queue" => "--queue",
                "person" => "--agent",
                _ => "--team",
            };
            let what = if entity == "person" {
                "no person has the username".to_owned()
            } else {
                format!("no {entity} is named")
            };
            input(format!("{flag} {id:?}: {what} {id:?} in the store"))
        }
        other => other.into(),
    };
    let started = Instant::now();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} reading {pos} records ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let sink = Progress {
        report,
        bar: bar.clone(),
        seen: 0,
    };
    let (Progress { mut report, .. }, read) = store
        .read_report_contacts(query, sink)
        .await
        .map_err(named)?;
    if agent_time {
        // Spells still open (agents logged in now) count until now.
        let now = hotline_store::TimestampMs::from_jiff(jiff::Timestamp::now());
        (report, _) = store
            .scan_report_states(query, Some(now), report, |report, s| report.add_state(s))
            .await
            .map_err(named)?;
    }
    bar.finish_and_clear();
    store.close().await;
    if std::env::var_os("HOTLINE_REPORT_TIMING").is_some() {
        let secs = started.elapsed().as_secs_f64();
        let (n, what) = match read {
            ContactsRead::Cells(n) => (n, "interval cells"),
            ContactsRead::Records(n) => (n, "records"),
        };
        eprintln!(
            "read {n} {what} in {secs:.2} s ({:.0} {what}/s)",
            n as f64 / secs
        );
    }
    Ok(report.finish())
}

/// The report being filled, ticking the progress bar as records come (each thread of
/// the scan counts its own share).
struct Progress {
    report: Report,
    bar: ProgressBar,
    seen: u64,
}

impl ScanSink for Progress {
    fn fork(&self) -> Self {
        Progress {
            report: self.report.fork(),
            bar: self.bar.clone(),
            seen: 0,
        }
    }
    fn absorb(&mut self, other: Self) {
        self.report.merge(other.report);
    }
}

impl ContactSink for Progress {
    fn report(&self) -> &Report {
        &self.report
    }
    fn record(&mut self, r: &hotline_metrics::ContactRecord) {
        self.report.add(r);
        self.seen += 1;
        if self.seen & 0xFFFF == 0 {
            self.bar.inc(0x10000);
        }
    }
    fn cell(
        &mut self,
        start: TimestampMs,
        queue: &str,
        channel: hotline_metrics::Channel,
        sums: &hotline_metrics::ContactSums,
    ) {
        self.report.add_sums(start, queue, channel, sums);
    }
}

/// Most lines a chart draws: more could not be told apart.
const MAX_CHART_SERIES: usize = 12;

/// The report's first KPI as a time series (hotline-charts), one line per group; an
/// interval in which a group had no value is a gap.
fn chart(table: &ReportTable) -> Result<String> {
    use hotline_charts::{LineSeries, NumberFormat, TimeSeriesChart};
    let kpi = table.kpis[0];
    let def = kpi.def();
    let mut times: Vec<i64> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let mut groups: Vec<Vec<Option<String>>> = Vec::new();
    let mut cells: Vec<(usize, usize, Option<f64>)> = Vec::new();
    for row in &table.rows {
        let Some(start) = &row.interval_start else {
            continue;
        };
        let at = start
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .with_context(|| format!("reading back the interval start {start}"))?;
        if times.last() != Some(&at) {
            times.push(at);
            // `2024-03-04T09:30:00+01:00` → `2024-03-04 09:30` (the report's local time).
            labels.push(start.get(..16).unwrap_or(start).replace('T', " "));
        }
        let g = match groups.iter().position(|g| *g == row.groups) {
            Some(g) => g,
            None => {
                groups.push(row.groups.clone());
                groups.len() - 1
            }
        };
        cells.push((times.len() - 1, g, row.values[0]));
    }
    if groups.len() > MAX_CHART_SERIES {
        return Err(input(format!(
            "--chart: {} groups, at most {MAX_CHART_SERIES} lines fit a chart; filter with \
             --queue, --agent or --team, or group by less",
            groups.len()
        )));
    }
    let mut series: Vec<LineSeries> = groups
        .iter()
        .map(|g| {
            let name: Vec<String> = g
                .iter()
                .map(|v| v.clone().unwrap_or_else(|| "(none)".into()))
                .collect();
            let name = if name.is_empty() {
                "all".to_owned()
            } else {
                name.join(" / ")
            };
            LineSeries::new(name, vec![None; times.len()])
        })
        .collect();
    for (t, g, v) in cells {
        series[g].values[t] = v;
    }
    let mut c = TimeSeriesChart::new(
        format!("{} ({}, {})", def.names.en, table.interval, table.time_zone),
        times,
    );
    c.time_labels = labels;
    c.series = series;
    c.y_title = format!("{} ({})", def.names.en, kpi.as_str());
    c.format = match def.unit {
        Unit::Count => NumberFormat::count(),
        Unit::Percent => NumberFormat::percent(),
        Unit::Seconds => NumberFormat::seconds(),
        _ => NumberFormat::plain(),
    };
    if def.unit == Unit::Percent {
        c.y_max = Some(100.0);
    }
    Ok(c.to_svg())
}

/// Aligned columns: counts as integers, other values with one decimal, empty ratios as
/// `-`.
fn render_table(table: &ReportTable, totals: bool) -> String {
    let mut header = vec!["interval_start".to_owned()];
    header.extend(table.group_by.iter().cloned());
    header.extend(table.kpis.iter().map(|k| k.as_str().to_owned()));
    let cell = |k: &KpiId, v: &Option<f64>| match v {
        None => "-".to_owned(),
        Some(v) if k.def().unit == Unit::Count => format!("{}", v.round() as i64),
        Some(v) => format!("{v:.1}"),
    };
    let row_cells = |r: &hotline_metrics::report::Row| {
        let mut c = vec![r.interval_start.clone().unwrap_or_else(|| "total".into())];
        c.extend(
            r.groups
                .iter()
                .map(|g| g.clone().unwrap_or_else(|| "-".into())),
        );
        c.extend(table.kpis.iter().zip(&r.values).map(|(k, v)| cell(k, v)));
        c
    };
    let mut rows: Vec<Vec<String>> = table.rows.iter().map(row_cells).collect();
    if totals {
        rows.extend(table.totals.iter().map(row_cells));
        rows.push(row_cells(&table.total));
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let text_cols = 1 + table.group_by.len();
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            let pad = w - c.chars().count();
            if i < text_cols {
                l.push_str(c);
                l.push_str(&" ".repeat(pad));
            } else {
                l.push_str(&" ".repeat(pad));
                l.push_str(c);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header);
    for r in &rows {
        line(r);
    }
    if table.rows.is_empty() {
        out.push_str("(no contact records in the period)\n");
    }
    out
}
