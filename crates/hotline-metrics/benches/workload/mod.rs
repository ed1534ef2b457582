//! A synthetic month of contact records in Hotline's documented CSV columns, shared by
//! the divan bench and the `report_csv` example: a 1,000-agent center, 40 queues,
//! March 2024, arrivals spread over 06:00–21:00 UTC in time order, 85 % answered,
//! 10 % abandoned, 3 % flowed out, 2 % completed as callbacks. Deterministic
//! (xorshift), so every run reads the same bytes.

use std::io::{self, Write};

/// 2024-03-01T00:00:00Z in milliseconds.
pub const MONTH_START_MS: i64 = 1_709_251_200_000;
/// 31 days.
pub const MONTH_MS: i64 = 31 * 86_400_000;

/// The header.
pub const HEADER: &str = "contact_id,queue,channel,arrived_at,answered_at,ended_at,wrap_up_end_at,agent,outcome,customer,hold_s,transfers\n";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn days_to_civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2024-03-01T06:00:00Z`.
fn push_time(out: &mut Vec<u8>, ms: i64) {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = days_to_civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

/// Writes `n` rows (header first) to `w`.
pub fn write_csv<W: Write>(w: &mut W, n: u64) -> io::Result<()> {
    w.write_all(HEADER.as_bytes())?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut line = Vec::with_capacity(256);
    let per_day = n.div_ceil(31).max(1);
    let open_ms = 15 * 3_600_000;
    for i in 0..n {
        line.clear();
        let day = (i / per_day) as i64;
        let within = (i % per_day) as i64 * open_ms / per_day as i64;
        let arrived = MONTH_START_MS + day * 86_400_000 + 6 * 3_600_000 + within;
        let queue = rng.below(40) + 1;
        let roll = rng.below(100);
        let wait_s = (rng.below(60) * rng.below(5)) as i64;
        let _ = write!(line, "c{i:09},queue-{queue:02},voice,");
        push_time(&mut line, arrived);
        line.push(b',');
        let (outcome, answered) = match roll {
            0..=84 => ("answered", true),
            85..=94 => ("abandoned", false),
            95..=97 => ("transferred_out", false),
            _ => ("callback_completed", true),
        };
        if answered {
            let answered_at = arrived + wait_s * 1000;
            let hold = if rng.below(4) == 0 {
                rng.below(60) as i64
            } else {
                0
            };
            let talk = 60 + rng.below(500) as i64;
            let ended = answered_at + (talk + hold) * 1000;
            let wrap_end = ended + rng.below(60) as i64 * 1000;
            push_time(&mut line, answered_at);
            line.push(b',');
            push_time(&mut line, ended);
            line.push(b',');
            push_time(&mut line, wrap_end);
            let _ = writeln!(
                line,
                ",agent-{:04},{outcome},cust-{:07},{hold},{}",
                rng.below(1000) + 1,
                rng.below(2_000_000),
                u64::from(rng.below(20) == 0)
            );
        } else {
            line.push(b',');
            push_time(&mut line, arrived + wait_s * 1000);
            let _ = writeln!(line, ",,,{outcome},cust-{:07},,", rng.below(2_000_000));
        }
        w.write_all(&line)?;
    }
    Ok(())
}

/// `n` rows as one string.
pub fn csv_string(n: u64) -> String {
    let mut v = Vec::with_capacity(n as usize * 180);
    write_csv(&mut v, n).expect("writing to memory");
    String::from_utf8(v).expect("ASCII")
}
