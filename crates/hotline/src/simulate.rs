//! `hotline simulate`: run a scenario through the routing engine (hotline-sim) and print
//! what would happen. This adapter reads the file, runs replications on threads, shows
//! progress and writes the outputs; the simulation itself is the library's.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result};
use hotline_sim::scenario::MAX_REPLICATIONS;
use hotline_sim::{ReplicationTally, Scenario, SimError, Simulation};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::InputError;

/// A mistake the user can fix: exit code 2 with the message as is.
fn input(msg: String) -> anyhow::Error {
    InputError(msg).into()
}

/// Simulate a contact center from a scenario file: arrivals, handle times and patience
/// are random, routing is the real engine. Prints per queue and for all contacts the mean
/// over replications and the 95% confidence half-width.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML; see docs/simulator.md).
    pub scenario: PathBuf,
    /// Number of independent replications (overrides `run.replications`).
    #[arg(long, short = 'n', value_name = "N")]
    pub replications: Option<u32>,
    /// Seed of the random streams (overrides `run.seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also write the per-interval series (CSV) to this file.
    #[arg(long, value_name = "FILE")]
    pub intervals: Option<PathBuf>,
    /// Threads to run replications on; results do not depend on it. Default: all cores.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print the wall time and simulated contacts per second on stderr.
    #[arg(long)]
    pub timing: bool,
    /// Also write one contact record per simulated contact, in Hotline's contact-record
    /// CSV (`hotline import records` reads it): replication k is the k-th day from
    /// --start. Contacts of the warm-up are included.
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// For --records: when time 0 of the scenario is: a date (local midnight), a local
    /// date-time, or an instant with an offset (2024-03-04T08:00:00+01:00); local times
    /// in this machine's time zone. Default: today's midnight.
    #[arg(long, value_name = "DATETIME", requires = "records")]
    pub start: Option<String>,
}

pub fn run(args: Args) -> Result<()> {
    let shown = args.scenario.display();
    let text = std::fs::read_to_string(&args.scenario)
        .map_err(|e| input(format!("cannot read scenario file {shown}: {e}")))?;
    let mut scenario = Scenario::from_toml(&text).map_err(|e| input(format!("{shown}: {e}")))?;
    if let Some(n) = args.replications {
        if !(1..=MAX_REPLICATIONS).contains(&n) {
            return Err(input(format!(
                "--replications must be 1 to {MAX_REPLICATIONS}, got {n}"
            )));
        }
        scenario.run.replications = n;
    }
    if let Some(seed) = args.seed {
        scenario.run.seed = seed;
    }
    let threads = match args.threads {
        Some(0) => return Err(input("--threads must be at least 1, got 0".to_string())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let sim = Simulation::new(scenario)
        .map_err(|e| input(format!("{shown}: {e}")))?
        .with_contact_log(args.records.is_some());
    let start = match (&args.records, &args.start) {
        (Some(_), Some(text)) => Some(crate::report::instant(
            "--start",
            text,
            &jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC),
        )?),
        (Some(_), None) => Some(today_midnight()?),
        _ => None,
    };
    let records_file = match &args.records {
        Some(path) => Some(
            crate::import::AtomicFile::create(path)
                .map_err(|e| input(format!("--records {}: {e}", path.display())))?,
        ),
        None => None,
    };

    let started = Instant::now();
    let reps = run_replications(&sim, threads)?;
    let elapsed = started.elapsed().as_secs_f64();

    let report = sim.report(&reps);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let run = &sim.scenario().run;
        writeln!(
            out,
            "{}: {} replication{} of {} s (warm-up {} s), seed {}\n",
            args.scenario.display(),
            run.replications,
            if run.replications == 1 { "" } else { "s" },
            run.duration_s,
            run.warmup_s,
            run.seed
        )?;
        write!(out, "{}", report.table())?;
    }
    out.flush()?;

    if let Some(path) = &args.intervals {
        let mut w = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write intervals file {}", path.display()))?;
        for row in sim.intervals(&reps) {
            w.serialize(row)
                .with_context(|| format!("cannot write intervals file {}", path.display()))?;
        }
        w.flush()
            .with_context(|| format!("cannot write intervals file {}", path.display()))?;
    }

    if let (Some(file), Some(start)) = (records_file, start) {
        write_records(&sim, &reps, start, file).with_context(|| {
            format!(
                "writing {}",
                args.records
                    .as_deref()
                    .unwrap_or(std::path::Path::new(""))
                    .display()
            )
        })?;
    }

    if args.timing {
        let contacts: u64 = reps.iter().map(|r| r.contacts).sum();
        let events: u64 = reps.iter().map(|r| r.events).sum();
        eprintln!(
            "simulated {contacts} contacts ({events} events) in {elapsed:.3} s on {} thread(s): {:.0} contacts/s",
            threads.min(reps.len()),
            contacts as f64 / elapsed
        );
    }
    Ok(())
}

/// Runs every replication, `threads` at a time. Each replication's random streams depend
/// only on its index, and results are put back in index order, so the report is the same
/// for any number of threads.
fn run_replications(sim: &Simulation, threads: usize) -> Result<Vec<ReplicationTally>> {
    let n = sim.scenario().run.replications;
    const STEPS: u64 = 1000;
    let bar = if std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(u64::from(n) * STEPS), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} simulating [{bar:40}] {percent:>3}% {msg} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let next = AtomicU32::new(0);
    let done = AtomicU32::new(0);
    let results: Mutex<Vec<Option<Result<ReplicationTally, SimError>>>> =
        Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(n as usize).max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let mut shown = 0u64;
                let result = sim.run_replication_with_progress(i, &mut |share| {
                    let pos = (share * STEPS as f64) as u64;
                    if pos > shown {
                        bar.inc(pos - shown);
                        shown = pos;
                    }
                });
                bar.inc(STEPS.saturating_sub(shown));
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_message(format!("{d}/{n} replications"));
                let failed = result.is_err();
                if let Ok(mut r) = results.lock() {
                    r[i as usize] = Some(result);
                }
                if failed {
                    // Stop handing out work; the error is reported below.
                    next.store(n, Ordering::Relaxed);
                }
            });
        }
    });
    bar.finish_and_clear();
    let results = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a simulation thread panicked"))?;
    let mut reps = Vec::with_capacity(n as usize);
    for r in results {
        match r {
            Some(Ok(t)) => reps.push(t),
            Some(Err(e)) => return Err(e.into()),
            None => {}
        }
    }
    if reps.len() != n as usize {
        anyhow::bail!("only {} of {n} replications finished", reps.len());
    }
    Ok(reps)
}

/// Local midnight today, in this machine's time zone.
fn today_midnight() -> Result<hotline_metrics::TimestampMs> {
    let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::now().to_zoned_datetime(tz.clone()).date();
    let start = today.to_zoned_datetime(tz).context("today's midnight")?;
    Ok(hotline_metrics::TimestampMs::from_jiff(start.timestamp()))
}

/// One contact record per logged contact: replication k starts k whole days (as many as
/// the run lasts, rounded up) after `start`; ids `sim-<seed>-<replication>-<n>` (the
/// same scenario and seed give the same file, so importing it twice adds nothing).
fn write_records(
    sim: &Simulation,
    reps: &[ReplicationTally],
    start: hotline_metrics::TimestampMs,
    file: crate::import::AtomicFile,
) -> Result<()> {
    use hotline_metrics::{Channel, ContactRecord, DurationMs, Outcome, TimestampMs};
    let scenario = sim.scenario();
    let agents = sim.agent_names();
    let groups = sim.agent_groups();
    const DAY_MS: i64 = 86_400_000;
    let run_ms = (scenario.run.duration_s * 1000.0).ceil() as i64;
    let days = (run_ms + DAY_MS - 1).div_euclid(DAY_MS).max(1);
    let mut records = Vec::new();
    for (k, rep) in reps.iter().enumerate() {
        let base = start.0 + k as i64 * days * DAY_MS;
        let at = |ms: u64| TimestampMs(base + ms as i64);
        let mut log = rep.contact_log.clone();
        log.sort_by_key(|c| (c.arrival_ms, c.seq));
        for c in log {
            let outcome = match c.outcome {
                hotline_sim::LogOutcome::Answered => Outcome::Answered,
                hotline_sim::LogOutcome::Abandoned => Outcome::Abandoned,
                hotline_sim::LogOutcome::Unfinished => Outcome::Unfinished,
            };
            records.push(ContactRecord {
                contact_id: format!("sim-{}-{}-{}", scenario.run.seed, k + 1, c.seq + 1),
                queue: scenario.queues[c.queue].id.clone(),
                channel: Channel::Voice,
                customer: String::new(),
                agent: c.agent.map(|a| agents[a as usize].clone()),
                team: c.agent.map(|a| groups[a as usize].clone()),
                arrived_at: at(c.arrival_ms),
                answered_at: c.answered_ms.map(at),
                ended_at: at(c.ended_ms),
                wrap_up_end_at: c.wrap_up_end_ms.map(at),
                outcome,
                wait: DurationMs(c.wait_ms() as i64),
                talk: DurationMs(c.talk_ms() as i64),
                hold: DurationMs::ZERO,
                wrap_up: DurationMs(c.wrap_up_ms() as i64),
                transfers: 0,
                attributes: serde_json::Map::new(),
            });
        }
    }
    let mut file = file;
    hotline_metrics::import::write_contact_csv(&mut file, &records)?;
    file.commit()?;
    Ok(())
}
