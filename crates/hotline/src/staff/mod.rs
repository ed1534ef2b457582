//! `hotline staff`: Erlang B, C and A staffing for one case or a day of intervals.

mod batch;
mod case;
mod render;

use std::path::PathBuf;

use anyhow::Result;

use crate::InputError;
pub use case::{Basis, Model};
use case::{Case, Inputs};

/// Staffing: how many agents (Erlang C, Erlang A) or lines (Erlang B) an interval needs,
/// or how a given staffing performs.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  hotline staff --model erlang-c --calls 100 --interval 1800 --aht 180 --answer-within 20 --target-sl 0.8
  hotline staff --model erlang-a --calls 100 --interval 1800 --aht 180 --patience 120 --answer-within 20 --target-sl 0.8
  hotline staff --model erlang-c --calls 100 --interval 1800 --aht 180 --answer-within 20 --agents 13
  hotline staff --model erlang-b --load 25 --target-blocking 0.01
  hotline staff --input day.csv --output plan.csv

Times are seconds, targets and shares are fractions (0.8 = 80%).
With --input, the CSV header names the inputs (calls, interval, aht, answer_within,
target_sl, patience, agents, model, ...); a flag given on the command line fills the
column for rows that leave it empty or have no such column. Other columns are copied
to the output unchanged.")]
pub struct Args {
    /// Queueing model [default: erlang-c].
    #[arg(long, value_enum)]
    model: Option<Model>,
    /// Calls offered in the interval (fractional forecasts are fine).
    #[arg(long)]
    calls: Option<f64>,
    /// Interval length in seconds (1800 for half an hour).
    #[arg(long)]
    interval: Option<f64>,
    /// Average handle time in seconds: talk + hold + after-call work.
    #[arg(long)]
    aht: Option<f64>,
    /// Offered load in Erlangs, instead of calls and interval.
    #[arg(long)]
    load: Option<f64>,
    /// The t of the service level: answered within this many seconds.
    #[arg(long)]
    answer_within: Option<f64>,
    /// Service-level target, e.g. 0.8 for 80% answered within --answer-within.
    #[arg(long)]
    target_sl: Option<f64>,
    /// Erlang A: whether the service level divides by offered or answered calls
    /// [default: offered].
    #[arg(long, value_enum)]
    sl_basis: Option<Basis>,
    /// Maximum average speed of answer in seconds.
    #[arg(long)]
    target_asa: Option<f64>,
    /// Maximum occupancy, e.g. 0.85.
    #[arg(long)]
    max_occupancy: Option<f64>,
    /// Erlang A: maximum share of callers who abandon, e.g. 0.05.
    #[arg(long)]
    max_abandon: Option<f64>,
    /// Share of paid time not available for calls; adds scheduled_agents =
    /// agents ÷ (1 − shrinkage), rounded up.
    #[arg(long)]
    shrinkage: Option<f64>,
    /// Erlang A: mean patience in seconds before a waiting caller hangs up.
    #[arg(long)]
    patience: Option<f64>,
    /// Evaluate this staffing instead of solving for one.
    #[arg(long)]
    agents: Option<u32>,
    /// Erlang B: target probability that a call finds every line busy.
    #[arg(long)]
    target_blocking: Option<f64>,
    /// Erlang B: evaluate this many lines instead of solving.
    #[arg(long)]
    lines: Option<u32>,
    /// A CSV file with one case per row (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Where to write the plan as CSV (with --input); written only if every row is valid.
    #[arg(long, value_name = "FILE", requires = "input")]
    output: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

impl Args {
    fn inputs(&self) -> Inputs {
        Inputs {
            model: self.model,
            calls: self.calls,
            interval: self.interval,
            aht: self.aht,
            load: self.load,
            answer_within: self.answer_within,
            target_sl: self.target_sl,
            sl_basis: self.sl_basis,
            target_asa: self.target_asa,
            max_occupancy: self.max_occupancy,
            max_abandon: self.max_abandon,
            shrinkage: self.shrinkage,
            patience: self.patience,
            agents: self.agents.map(f64::from),
            target_blocking: self.target_blocking,
            lines: self.lines.map(f64::from),
        }
    }
}

/// `target_sl` → `--target-sl`, for messages about flags.
fn flag(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

pub fn run(args: Args) -> Result<()> {
    if let Some(input) = &args.input {
        return batch::run(input, args.output.as_deref(), &args.inputs(), args.json);
    }
    let inputs = args.inputs();
    let case = Case::from_inputs(&inputs, Model::ErlangC).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", flag(&e.field), e.message))
            .collect();
        InputError(lines.join("\n       "))
    })?;
    let outcome = case
        .answer()
        .map_err(|e| InputError(format!("{}: {}", flag(&e.field), e.message)))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        print!("{}", render::single(&case, &outcome));
    }
    Ok(())
}
