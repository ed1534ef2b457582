//! The server's settings, filled by the `hotline serve` command line (each flag also
//! reads an environment variable) or by tests.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use hotline_routing::AgentSelection;

/// Everything the server needs to start. `Debug` hides the admin password and the
/// database URL's password.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on; loopback by default, so a first start exposes nothing.
    pub bind: IpAddr,
    /// Port; 0 picks a free one (tests).
    pub port: u16,
    /// Where the SQLite database lives when no database URL is given.
    pub data_dir: PathBuf,
    /// `postgres://…` (or a SQLite path/URL) instead of the data directory's file.
    pub database_url: Option<String>,
    /// The first admin's password when the database has no admin yet; generated and
    /// printed once when absent.
    pub admin_password: Option<String>,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Priority points a VIP contact gets when the adapter gives no boost.
    pub vip_boost: i32,
    /// Offers not answered within this ring out (the agent goes not ready "no answer").
    /// Fixed when the event log starts.
    pub ring_timeout: Option<Duration>,
    /// How the engine picks among ready agents. Fixed when the event log starts.
    pub agent_selection: AgentSelection,
    /// The time zone whose midnight starts a new day of counters (IANA name).
    pub time_zone: String,
    /// How often the wallboard stream may update when figures change.
    pub wallboard_interval: Duration,
    /// Live contacts the engine makes room for at start.
    pub expected_live_contacts: usize,
    /// The argon2id cost of new password hashes.
    pub password_cost: crate::auth::password::Cost,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            data_dir: PathBuf::from("./hotline-data"),
            database_url: None,
            admin_password: None,
            session_ttl: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            vip_boost: 10,
            ring_timeout: Some(Duration::from_secs(20)),
            agent_selection: AgentSelection::LongestIdle,
            time_zone: "UTC".into(),
            wallboard_interval: Duration::from_secs(1),
            expected_live_contacts: 50_000,
            password_cost: crate::auth::password::Cost::default(),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field(
                "admin_password",
                &self.admin_password.as_ref().map(|_| "<redacted>"),
            )
            .field("session_ttl", &self.session_ttl)
            .field("secure_cookies", &self.secure_cookies)
            .field("vip_boost", &self.vip_boost)
            .field("ring_timeout", &self.ring_timeout)
            .field("agent_selection", &self.agent_selection)
            .field("time_zone", &self.time_zone)
            .field("wallboard_interval", &self.wallboard_interval)
            .field("expected_live_contacts", &self.expected_live_contacts)
            .field("password_cost", &self.password_cost)
            .finish()
    }
}

/// A database URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show_in_debug() {
        let s = Settings {
            database_url: Some("postgres://hot:s3cret@db:5432/hotline".into()),
            admin_password: Some("hunter22".into()),
            ..Settings::default()
        };
        let text = format!("{s:?}");
        assert!(
            !text.contains("s3cret") && !text.contains("hunter22"),
            "{text}"
        );
        assert!(
            text.contains("postgres://hot:***@db:5432/hotline"),
            "{text}"
        );
        assert_eq!(redact_url("postgres://db/x"), "postgres://db/x");
    }
}
