//! Helpers shared by the test modules.

use std::path::PathBuf;

/// The shared real-data directory (`/work/shared/data` next to the repository), or
/// `HOTLINE_DATA_DIR`.
pub fn data_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("HOTLINE_DATA_DIR") {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // crates/hotline-metrics → the repository → its parent holds shared/data.
    here.join("../../../shared/data")
}

/// A file of the real-data directory, as text.
pub fn data_file(rel: &str) -> String {
    let path = data_dir().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (set HOTLINE_DATA_DIR to the shared data)",
            path.display()
        )
    })
}

/// `a` equals `b` to 1e-9 (relative).
#[track_caller]
pub fn approx(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} ≠ {b}");
}
