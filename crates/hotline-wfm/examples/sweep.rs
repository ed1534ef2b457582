//! Solves a file of Erlang C staffing cases and reports the throughput; used by
//! `bench/wfm_vs_pyworkforce/run.sh` to compare with pyworkforce on the same cases.
//!
//! `cargo run --release -p hotline-wfm --example sweep -- cases.csv answers.csv`
//!
//! Input columns: `calls,interval,aht,answer_within,target_sl` (seconds, fractions).
//! Output: one `agents` per line. Prints `cases_per_second=<best of 7 runs>`.

use std::time::Instant;

use hotline_wfm::{erlang_c, Probability, Seconds, Traffic};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match args.as_slice() {
        [_, i, o] => (i, o),
        _ => return Err("usage: sweep CASES.csv ANSWERS.csv".into()),
    };
    let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .map(|x| {
                x.trim()
                    .parse::<f64>()
                    .map_err(|e| format!("line {}: {e}", n + 1))
            })
            .collect::<Result<_, _>>()?;
        let [calls, interval, aht, t, sl] = v[..] else {
            return Err(format!("line {}: expected 5 columns", n + 1));
        };
        let traffic = Traffic::new(calls, interval, aht).map_err(|e| e.to_string())?;
        let goal = erlang_c::Goal {
            answer_within: Seconds::new("answer_within", t).map_err(|e| e.to_string())?,
            service_level: Some(Probability::new("target_sl", sl).map_err(|e| e.to_string())?),
            asa: None,
            max_occupancy: None,
        };
        cases.push((traffic, goal));
    }
    let mut answers = vec![0u32; cases.len()];
    let mut best = f64::INFINITY;
    for _ in 0..7 {
        let start = Instant::now();
        for (slot, (traffic, goal)) in answers.iter_mut().zip(&cases) {
            *slot = erlang_c::solve(traffic, goal)
                .map_err(|e| e.to_string())?
                .agents;
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let body: String = answers.iter().map(|a| format!("{a}\n")).collect();
    std::fs::write(output, format!("agents\n{body}")).map_err(|e| format!("{output}: {e}"))?;
    println!(
        "cases={} best_seconds={best:.6} cases_per_second={:.0}",
        cases.len(),
        cases.len() as f64 / best
    );
    Ok(())
}
