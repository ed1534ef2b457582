//! Running a Playwright script (`tests/browser/*.mjs`) in Node.js against a test server:
//! what both browser tests need, once — the prerequisites (Debian's Chromium, Node.js,
//! playwright-core, all installed by `scripts/browser`), the screenshot directory, the
//! run with a time limit, and the files it must have written.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// Debian's Chromium, which the scripts drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Longest a script may run.
const LIMIT: Duration = Duration::from_secs(240);

fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Panics naming what is missing (never skips): the tests need a real browser.
fn check_prerequisites() {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (Debian's chromium package)"));
    }
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !node {
        missing.push("node (Node.js)".to_string());
    }
    let playwright = script_dir().join("node_modules/playwright-core/package.json");
    if !playwright.exists() {
        missing.push(format!(
            "{}",
            playwright.parent().unwrap_or(&playwright).display()
        ));
    }
    assert!(
        missing.is_empty(),
        "the browser tests need {}: run scripts/browser (it installs them)",
        missing.join(", ")
    );
}

/// Where screenshots go: `docs/screenshots/` with `HOTLINE_UPDATE_SCREENSHOTS=1`, else
/// a directory under `tmp`.
pub fn screenshot_dir(tmp: &Path) -> PathBuf {
    let shots = if std::env::var_os("HOTLINE_UPDATE_SCREENSHOTS").is_some() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
    } else {
        tmp.join("screenshots")
    };
    std::fs::create_dir_all(&shots).expect("screenshot directory");
    shots
}

/// Runs `tests/browser/{script}` with `env` (plus `HOTLINE_SCREENSHOTS` and
/// `HOTLINE_CHROMIUM`), fails the test with its output when it fails, and checks that
/// it wrote each of `files` (more than 10 kB) into `shots`. Returns its stdout.
pub async fn run(script: &str, env: &[(&str, String)], shots: &Path, files: &[&str]) -> String {
    check_prerequisites();
    let dir = script_dir();
    let mut node = tokio::process::Command::new("node");
    node.arg(dir.join(script))
        .current_dir(&dir)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("HOTLINE_SCREENSHOTS", shots)
        .env("HOTLINE_CHROMIUM", CHROMIUM)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let output = match tokio::time::timeout(LIMIT, node.output()).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => panic!("node could not start ({e}): run scripts/browser"),
        Err(_) => panic!("tests/browser/{script} did not finish within {LIMIT:?}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "tests/browser/{script} failed ({}):\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        output.status
    );
    for name in files {
        let file = shots.join(name);
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 10_000,
            "{} is missing or empty ({size} bytes)\n{stdout}",
            file.display()
        );
    }
    stdout
}
