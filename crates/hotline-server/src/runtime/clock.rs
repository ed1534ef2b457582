//! The wall clock, read only here: the server is the adapter that gives the pure engine
//! its time (Unix milliseconds).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hotline_routing::Time;

/// Now on the wall clock, in Unix milliseconds.
pub fn wall_clock() -> Time {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Time::from_millis(ms)
}

/// The monotonic instant at which the wall clock will show `t` (now if it already does).
pub(crate) fn instant_at(t: Time) -> tokio::time::Instant {
    let now = wall_clock();
    tokio::time::Instant::now()
        + Duration::from_millis(t.as_millis().saturating_sub(now.as_millis()))
}
