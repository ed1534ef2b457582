//! The `hotline` command. It parses arguments, calls the engines and prints; the work
//! lives in the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: an import allocates every row's values on
/// one thread and frees them on SQLite's (sqlx's worker thread) while keeping interval
/// cells that grow; with glibc's malloc, allocation was about a quarter of a 2.5 M-record
/// import (55–60 s, 40 s with mimalloc; docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod demo;
mod import;
mod report;
mod serve;
mod simulate;
mod staff;

/// Hotline: contact-center management — routing, staffing, simulation and reports.
#[derive(Debug, Parser)]
#[command(name = "hotline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Staffing: agents needed for an interval (Erlang C or A) or lines for a trunk
    /// group (Erlang B), for one case or a whole day from a CSV file.
    Staff(staff::Args),
    /// Simulate a scenario through the routing engine (digital twin): service level,
    /// waits, abandonment and occupancy with 95% confidence intervals.
    Simulate(simulate::Args),
    /// Run the server: live routing engine, HTTP/JSON API, push streams, web UI.
    Serve(serve::Args),
    /// Import contact records or agent state history into the store: Hotline's CSV (or
    /// another platform's, mapped), an Asterisk queue_log, agent states, the Anonymous
    /// Bank data.
    Import(import::Args),
    /// Interval report (offered, answered, service level, ASA, AHT, …) from the store,
    /// by queue, team, agent or channel, as a table, CSV or JSON.
    Report(report::Args),
    /// Run the demo contact center (the seeds' telecom hotline with live simulated
    /// traffic) in the server: `hotline serve --demo`.
    Demo(demo::Args),
}

/// An error the user can fix: printed as is, exit code 2 (like a usage error).
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Staff(args) => staff::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Import(args) => import::run(args),
        Command::Report(args) => report::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(input) = err.downcast_ref::<InputError>() {
                eprintln!("error: {input}");
                ExitCode::from(2)
            } else {
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        }
    }
}
