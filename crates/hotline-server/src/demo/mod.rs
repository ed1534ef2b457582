//! The demo center: the seeds' telecom hotline with live simulated traffic, fed through
//! the same routing task as real CTI adapters and desktops. `hotline demo` (or `hotline
//! serve --demo`) starts it; see `docs/server.md`.
//!
//! Seeding is idempotent: a second start finds the center by its site's name and picks
//! the traffic up where the engine is.

pub mod history;
pub mod seed;
pub mod traffic;

use std::collections::HashMap;

use anyhow::Context as _;

use crate::state::AppState;
use crate::{auth, org_sync};

/// How the demo runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemoConfig {
    /// Demo seconds per real second (0.1 to 100).
    pub speed: f64,
    /// Seed of the simulated callers and agents.
    pub seed: u64,
    /// Agents left for people to drive (`agent`, `agent2`, …).
    pub human_agents: u32,
    /// The demo day's time at start, minutes after midnight (480 to 1199).
    pub start_minute: u32,
    /// Days of simulated history before today, written at the first start (0: none).
    pub history_days: u32,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            speed: 1.0,
            seed: 10060,
            human_agents: 3,
            start_minute: 8 * 60,
            history_days: 28,
        }
    }
}

/// The longest history a demo writes (a year and a day: a year-on-year comparison).
pub const MAX_HISTORY_DAYS: u32 = 366;

/// A login of the demo center.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    /// What they can do.
    pub role: &'static str,
    /// Username.
    pub username: String,
    /// Password (demo data: printed on purpose).
    pub password: String,
}

/// A seeded demo center, ready to run.
#[derive(Debug)]
pub struct Demo {
    state: AppState,
    config: DemoConfig,
    seeded: seed::Seeded,
}

fn password_of(username: &str) -> String {
    format!("demo-{username}")
}

impl Demo {
    /// People who log in to the demo (by role), with their passwords.
    pub fn login_names(human_agents: u32) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("manager", "manager".to_string()),
            ("supervisor", "supervisor".to_string()),
            ("quality", "quality".to_string()),
        ];
        for i in 0..human_agents {
            v.push(("agent", seed::username(seed::HUMAN_TEAM, i, human_agents)));
        }
        v
    }

    /// Seeds the center unless it exists, and brings the engine in line with it.
    pub async fn prepare(state: AppState, config: DemoConfig) -> anyhow::Result<Demo> {
        anyhow::ensure!(
            (0.1..=100.0).contains(&config.speed),
            "demo speed {} is not allowed: expected 0.1 to 100",
            config.speed
        );
        anyhow::ensure!(
            (1..=10).contains(&config.human_agents),
            "human agents {} is not allowed: expected 1 to 10",
            config.human_agents
        );
        anyhow::ensure!(
            config.history_days <= MAX_HISTORY_DAYS,
            "history days {} is not allowed: expected 0 to {MAX_HISTORY_DAYS}",
            config.history_days
        );
        anyhow::ensure!(
            (480..1200).contains(&config.start_minute),
            "demo start minute {} is not allowed: expected 480 (08:00) to 1199",
            config.start_minute
        );
        let cost = state.settings().password_cost;
        let mut hashes = HashMap::new();
        for (_, username) in Self::login_names(config.human_agents) {
            let hash = auth::password::hash(password_of(&username), cost)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            hashes.insert(username, hash);
        }
        let seeded = seed::seed(state.store(), config.human_agents, &|u| {
            hashes.get(u).cloned()
        })
        .await
        .context("creating the demo organisation")?;
        let desired = org_sync::desired(state.store())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        org_sync::reconcile(state.runtime(), &desired)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let tz = jiff::tz::TimeZone::get(&state.settings().time_zone)
            .with_context(|| format!("time zone {:?}", state.settings().time_zone))?;
        let today = jiff::Timestamp::now().to_zoned_datetime(tz.clone()).date();
        let started = std::time::Instant::now();
        if let Some(h) = history::ensure(
            state.store(),
            &tz,
            today,
            config.history_days,
            config.human_agents,
            config.seed,
            hotline_store::TimestampMs::now(),
        )
        .await
        .context("writing the demo center's simulated history")?
        {
            tracing::info!(
                days = h.days,
                records = h.records,
                spells = h.spells,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "demo history simulated and imported"
            );
        }
        state
            .refresh_directory()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Demo {
            state,
            config,
            seeded,
        })
    }

    /// The logins to print.
    pub fn logins(&self) -> Vec<Login> {
        Self::login_names(self.config.human_agents)
            .into_iter()
            .map(|(role, username)| Login {
                role,
                password: password_of(&username),
                username,
            })
            .collect()
    }

    /// The ids of the demo's queues and agents.
    pub fn seeded(&self) -> &seed::Seeded {
        &self.seeded
    }

    /// Starts the traffic.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        let driver = traffic::Driver::new(self.state.runtime().clone(), self.config, &self.seeded);
        tokio::spawn(driver.run())
    }
}
