//! `hotline demo`: the server with the seeds' telecom hotline and live simulated traffic.

use anyhow::Context as _;
use hotline_server::demo::{Demo, DemoConfig};
use hotline_server::App;

use crate::serve::ServeOptions;

/// Options of the demo center.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct DemoOptions {
    /// How many times faster than real time the demo day runs (calls arrive that much
    /// more often and are that much shorter), 0.1 to 100.
    #[arg(long, default_value_t = 1.0, value_parser = speed)]
    pub speed: f64,
    /// Seed of the simulated traffic: the same seed gives the same callers.
    #[arg(long, default_value_t = 10060)]
    pub seed: u64,
    /// Agents left for people to drive from the desktop (logins agent, agent2, …), 1 to 10.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub human_agents: u32,
    /// The demo day's time when the server starts (HH:MM, between 08:00 and 20:00).
    #[arg(long, default_value = "08:00", value_parser = start_time)]
    pub start: u32,
    /// Days of history before today, simulated through the routing engine and imported
    /// at the first start, so reports, the briefing and scorecards have data (0 to 366;
    /// 0: none).
    #[arg(long, default_value_t = 28, value_parser = clap::value_parser!(u32).range(0..=366))]
    pub history_days: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            speed: 1.0,
            seed: 10060,
            human_agents: 3,
            start: 8 * 60,
            history_days: 28,
        }
    }
}

fn speed(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.1..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not allowed: expected 0.1 to 100"))
    }
}

fn start_time(s: &str) -> Result<u32, String> {
    let err = || format!("{s:?} is not allowed: expected HH:MM between 08:00 and 20:00");
    let (h, m) = s.split_once(':').ok_or_else(err)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
    let minute = h * 60 + m;
    if m < 60 && (8 * 60..20 * 60).contains(&minute) {
        Ok(minute)
    } else {
        Err(err())
    }
}

/// `hotline demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub options: ServeOptions,
    #[command(flatten)]
    pub demo: DemoOptions,
}

/// Runs the demo center until Ctrl-C.
pub fn run(args: Args) -> anyhow::Result<()> {
    crate::serve::serve(args.options, Some(args.demo))
}

/// Seeds the center (once) and starts the traffic; prints the logins.
pub async fn start(
    app: &App,
    url: &str,
    options: DemoOptions,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let config = DemoConfig {
        speed: options.speed,
        seed: options.seed,
        human_agents: options.human_agents,
        start_minute: options.start,
        history_days: options.history_days,
    };
    let demo = Demo::prepare(app.state(), config)
        .await
        .context("seeding the demo center")?;
    println!();
    println!("Demo contact center: the seeds' telecom hotline (150 agents in 5 teams, 5 queues), running {}× real time.", options.speed);
    println!("  Open {url}/ in a browser and sign in as:");
    for login in demo.logins() {
        println!(
            "    {:<11} {:<22} {}",
            login.role, login.username, login.password
        );
    }
    println!(
        "  The admin's password is the one shown at the first start (or HOTLINE_ADMIN_PASSWORD)."
    );
    println!(
        "  {} agents are left for you to drive from the agent desktop; the others are simulated.",
        options.human_agents
    );
    println!();
    Ok(demo.spawn())
}
