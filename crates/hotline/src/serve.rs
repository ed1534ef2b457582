//! `hotline serve`: the server (live routing engine, API, push streams, web UI).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::ValueEnum;
use hotline_server::{App, Settings};

/// Options of the server, shared by `hotline serve` and `hotline demo`.
#[derive(Debug, clap::Args)]
pub struct ServeOptions {
    /// Port to listen on.
    #[arg(long, env = "HOTLINE_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on: loopback by default, so a first start exposes nothing;
    /// 0.0.0.0 for every interface.
    #[arg(long, env = "HOTLINE_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Directory of the SQLite database (used when no database URL is given).
    #[arg(long, env = "HOTLINE_DATA_DIR", default_value = "./hotline-data")]
    pub data_dir: PathBuf,
    /// PostgreSQL (`postgres://user:password@host/db`) or SQLite URL instead of the data
    /// directory's file.
    #[arg(long, env = "HOTLINE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Seconds an offer rings before it goes back to the queue and the agent goes not
    /// ready (0: never). Fixed when the event log starts.
    #[arg(long, env = "HOTLINE_RING_TIMEOUT", default_value_t = 20)]
    pub ring_timeout: u32,
    /// How the engine picks among ready agents. Fixed when the event log starts.
    #[arg(long, env = "HOTLINE_AGENT_SELECTION", value_enum, default_value_t = Selection::LongestIdle)]
    pub agent_selection: Selection,
    /// Priority points a VIP caller gets when the adapter gives no boost.
    #[arg(long, env = "HOTLINE_VIP_BOOST", default_value_t = 10)]
    pub vip_boost: i32,
    /// IANA time zone whose midnight starts a new day of live counters (default: this
    /// machine's, else UTC).
    #[arg(long, env = "HOTLINE_TIME_ZONE")]
    pub time_zone: Option<String>,
    /// Hours a login lasts.
    #[arg(long, env = "HOTLINE_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u32,
    /// Mark the session cookie Secure (when served over HTTPS by a proxy).
    #[arg(long, env = "HOTLINE_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Live contacts (waiting, ringing, connected, in wrap-up) the engine makes room for
    /// at start, so that growing never pauses the event path.
    #[arg(long, env = "HOTLINE_EXPECTED_LIVE_CONTACTS", default_value_t = 50_000)]
    pub expected_live_contacts: usize,
    /// Threads serving requests (default: one per CPU).
    #[arg(long, env = "HOTLINE_WORKER_THREADS", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub worker_threads: Option<u16>,
    /// Log filter (`info`, `hotline_server=debug`, ...).
    #[arg(long, env = "HOTLINE_LOG", default_value = "info")]
    pub log: String,
    /// Log format.
    #[arg(long, env = "HOTLINE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Agent selection policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Selection {
    /// The agent idle the longest.
    LongestIdle,
    /// The best proficiency in the skill.
    HighestProficiency,
    /// The fewest contacts so far.
    FewestContacts,
    /// Round robin per queue.
    RoundRobin,
    /// Teams in order (specialists first).
    Linear,
}

/// Log formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per event for people.
    Text,
    /// One JSON object per line for log collectors.
    Json,
}

/// `hotline serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub options: ServeOptions,
    /// Also run the demo center (what `hotline demo` does).
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub demo_options: crate::demo::DemoOptions,
}

impl ServeOptions {
    /// The server's settings; the admin password comes from `HOTLINE_ADMIN_PASSWORD`
    /// only (a command-line flag would show in `ps`).
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let time_zone = match &self.time_zone {
            Some(tz) => tz.clone(),
            None => jiff::tz::TimeZone::system()
                .iana_name()
                .unwrap_or("UTC")
                .to_string(),
        };
        Ok(Settings {
            bind: self.bind,
            port: self.port,
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            admin_password: std::env::var("HOTLINE_ADMIN_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
            session_ttl: Duration::from_secs(u64::from(self.session_hours.max(1)) * 3600),
            secure_cookies: self.secure_cookies,
            vip_boost: self.vip_boost,
            ring_timeout: (self.ring_timeout > 0)
                .then(|| Duration::from_secs(u64::from(self.ring_timeout))),
            agent_selection: match self.agent_selection {
                Selection::LongestIdle => hotline_routing::AgentSelection::LongestIdle,
                Selection::HighestProficiency => {
                    hotline_routing::AgentSelection::HighestProficiency
                }
                Selection::FewestContacts => hotline_routing::AgentSelection::FewestContacts,
                Selection::RoundRobin => hotline_routing::AgentSelection::RoundRobin,
                Selection::Linear => hotline_routing::AgentSelection::Linear,
            },
            time_zone,
            expected_live_contacts: self.expected_live_contacts,
            ..Settings::default()
        })
    }

    fn init_logs(&self) -> anyhow::Result<()> {
        let filter = tracing_subscriber::EnvFilter::try_new(&self.log)
            .with_context(|| format!("--log {:?} is not a log filter", self.log))?;
        // Colours only for a person at a terminal, not in files and log collectors.
        use std::io::IsTerminal as _;
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr);
        let result = match self.log_format {
            LogFormat::Text => builder.try_init(),
            LogFormat::Json => builder.json().flatten_event(true).try_init(),
        };
        result.map_err(|e| anyhow::anyhow!("installing the logger: {e}"))
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> anyhow::Result<()> {
    if !args.demo && args.demo_options != crate::demo::DemoOptions::default() {
        return Err(crate::InputError(
            "--speed, --seed, --human-agents, --start and --history-days belong to the demo: add --demo (or run `hotline demo`)".into(),
        )
        .into());
    }
    let demo = args.demo.then_some(args.demo_options);
    serve(args.options, demo)
}

/// Serves, with the demo center when `demo` is given.
pub fn serve(options: ServeOptions, demo: Option<crate::demo::DemoOptions>) -> anyhow::Result<()> {
    options.init_logs()?;
    let settings = options.settings()?;
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = options.worker_threads {
        builder.worker_threads(usize::from(n));
    }
    let runtime = builder
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let app = App::build(settings).await?;
        // Bound to every interface: show an address a browser on this machine can open.
        let addr = app.local_addr();
        let url = if addr.ip().is_unspecified() {
            format!("http://localhost:{}", addr.port())
        } else {
            format!("http://{addr}")
        };
        if let Some(admin) = app.first_admin() {
            match &admin.generated_password {
                Some(p) => println!(
                    "First start: created the admin {:?} with the password {p:?} (shown once; set HOTLINE_ADMIN_PASSWORD to choose it).",
                    admin.username
                ),
                None => println!(
                    "First start: created the admin {:?} with the password from HOTLINE_ADMIN_PASSWORD.",
                    admin.username
                ),
            }
        }
        let demo_task = match demo {
            Some(d) => Some(crate::demo::start(&app, &url, d).await?),
            None => None,
        };
        println!("Hotline is serving on {url} (API docs: {url}/api/docs). Ctrl-C stops it.");
        app.run(shutdown_signal()).await?;
        if let Some(t) = demo_task {
            t.abort();
        }
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
