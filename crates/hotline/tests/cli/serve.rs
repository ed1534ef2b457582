//! `hotline serve` and `hotline demo` as a user runs them: the crash test (kill -9 under
//! load, restart, nothing acknowledged lost), the demo center, and argument errors.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ADMIN_PASSWORD: &str = "crash-test-admin";

/// A `hotline` process and the URL it serves on.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `hotline <args>` on a free port and waits until it is ready.
    fn start(args: &[&str], data_dir: &std::path::Path) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("hotline"))
            .args(args)
            .args(["--port", "0", "--log", "warn", "--data-dir"])
            .arg(data_dir)
            .env("HOTLINE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("hotline starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(rest) = line.split("serving on ").nth(1) {
                        let url = rest
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_string();
                        let _ = tx.send(url);
                        sent = true;
                    }
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its URL");
        let server = Server { child, base };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if ureq(&server.base, "GET", "/readyz", None, None).0 == 200 {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server never became ready");
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        ureq(&self.base, method, path, token, body)
    }

    fn kill9(&mut self) {
        // SIGKILL: no shutdown, no flush.
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal blocking HTTP/1.1 client (one request per connection), so the test needs
/// no HTTP library and no async runtime.
fn ureq(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return (0, Value::Null);
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    if stream.write_all(req.as_bytes()).is_err() {
        return (0, Value::Null);
    }
    let mut raw = Vec::new();
    if stream.read_to_end(&mut raw).is_err() && raw.is_empty() {
        return (0, Value::Null);
    }
    let text = String::from_utf8_lossy(&raw);
    let Some((head, rest)) = text.split_once("\r\n\r\n") else {
        return (0, Value::Null);
    };
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let payload = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (
        status,
        serde_json::from_str(&payload).unwrap_or(Value::Null),
    )
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn login(server: &Server, username: &str, password: &str) -> String {
    let (s, b) = server.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"username": username, "password": password})),
    );
    assert_eq!(s, 200, "{b}");
    b["token"].as_str().unwrap().to_string()
}

#[test]
fn kill_9_under_load_loses_no_acknowledged_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&["serve"], dir.path());
    let admin = login(&server, "admin", ADMIN_PASSWORD);
    let (_, skill) = server.call(
        "POST",
        "/api/v1/skills",
        Some(&admin),
        Some(json!({"name": "billing"})),
    );
    let (_, queue) = server.call(
        "POST",
        "/api/v1/queues",
        Some(&admin),
        Some(json!({"name": "Billing", "skill_id": skill["id"]})),
    );
    let queue = queue["id"].as_i64().unwrap();
    // Four load generators: arrivals, a third of them abandoned right after.
    let arrived = Arc::new(Mutex::new(Vec::<u64>::new()));
    let abandoned = Arc::new(Mutex::new(Vec::<u64>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut generators = Vec::new();
    for g in 0..4 {
        let (base, admin) = (server.base.clone(), admin.clone());
        let (arrived, abandoned, stop) = (arrived.clone(), abandoned.clone(), stop.clone());
        generators.push(std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let body = json!({"queue_id": queue, "customer_id": format!("G{g}-{n}")});
                let (s, b) = ureq(&base, "POST", "/api/v1/contacts", Some(&admin), Some(body));
                if s != 201 {
                    continue; // refused or the server is gone: nothing acknowledged
                }
                let id = b["contact"]["contact_id"].as_u64().unwrap();
                arrived.lock().unwrap().push(id);
                if n.is_multiple_of(3) {
                    let (s, _) = ureq(
                        &base,
                        "POST",
                        &format!("/api/v1/contacts/{id}/abandon"),
                        Some(&admin),
                        None,
                    );
                    if s == 200 {
                        abandoned.lock().unwrap().push(id);
                    }
                }
            }
        }));
    }
    // Let the load run, then pull the plug while it is still running.
    let deadline = Instant::now() + Duration::from_secs(20);
    while arrived.lock().unwrap().len() < 300 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill9();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for g in generators {
        g.join().unwrap();
    }
    let arrived = arrived.lock().unwrap().clone();
    let abandoned = abandoned.lock().unwrap().clone();
    assert!(
        arrived.len() >= 300,
        "only {} arrivals before the kill",
        arrived.len()
    );
    assert!(!abandoned.is_empty());

    let server = Server::start(&["serve"], dir.path());
    let admin = login(&server, "admin", ADMIN_PASSWORD);
    // Every acknowledged arrival is in the engine (waiting) unless its abandon was
    // acknowledged too, and then it has its record.
    for id in &arrived {
        let (s, c) = server.call("GET", &format!("/api/v1/contacts/{id}"), Some(&admin), None);
        if abandoned.contains(id) {
            assert!(
                s == 200 && c["state"] == "ended" || s == 404,
                "contact {id}: {s} {c}"
            );
        } else {
            // Its abandon may have been in flight (applied, not acknowledged): either way.
            assert!(s == 200 || s == 404, "contact {id}: {s} {c}");
            if s == 404 {
                continue;
            }
            assert!(
                c["state"] == "waiting" || c["state"] == "ended",
                "contact {id}: {c}"
            );
        }
    }
    let (_, live) = server.call("GET", "/api/v1/contacts?limit=10000", Some(&admin), None);
    let live: Vec<u64> = live
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact_id"].as_u64().unwrap())
        .collect();
    let mut records = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("/api/v1/contact-records?limit=1000&after={a}"),
            None => "/api/v1/contact-records?limit=1000".to_string(),
        };
        let (s, page) = server.call("GET", &path, Some(&admin), None);
        assert_eq!(s, 200, "{page}");
        for r in page["records"].as_array().unwrap() {
            assert_eq!(r["outcome"], "abandoned");
            records.push(r["contact_id"].as_str().unwrap().parse::<u64>().unwrap());
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    for id in &abandoned {
        assert!(
            records.contains(id),
            "the acknowledged abandon of {id} has no record"
        );
        assert!(!live.contains(id), "{id} was abandoned but waits again");
    }
    for id in &arrived {
        assert!(
            live.contains(id) || records.contains(id),
            "acknowledged arrival {id} was lost"
        );
    }
    // And ids continue after the highest one the log holds.
    let (s, next) = server.call(
        "POST",
        "/api/v1/contacts",
        Some(&admin),
        Some(json!({"queue_id": queue})),
    );
    assert_eq!(s, 201);
    let next = next["contact"]["contact_id"].as_u64().unwrap();
    assert!(next > *arrived.iter().max().unwrap());
}

#[test]
fn the_demo_center_runs_and_restarts_without_seeding_twice() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        &[
            "demo",
            "--speed",
            "60",
            "--human-agents",
            "2",
            "--history-days",
            "2",
        ],
        dir.path(),
    );
    let sup = login(&server, "supervisor", "demo-supervisor");
    // The two days before today, simulated and imported once.
    let manager = login(&server, "manager", "demo-manager");
    let history = |server: &Server, token: &str| -> Vec<Value> {
        let (status, runs) = server.call("GET", "/api/v1/imports", Some(token), None);
        assert_eq!(status, 200, "{runs}");
        runs.as_array()
            .or_else(|| runs["imports"].as_array())
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["source"] == "demo history (simulated)")
            .collect()
    };
    let runs = history(&server, &manager);
    assert_eq!(runs.len(), 1, "{runs:?}");
    let accepted = runs[0]["records_accepted"].as_u64().unwrap();
    assert!(
        (24_000..32_000).contains(&accepted),
        "two simulated days: {accepted} records"
    );
    // A second server on the same data directory would interleave its events with the
    // first one's: it is refused at start, naming the process that holds the directory.
    let second = assert_cmd::Command::cargo_bin("hotline")
        .unwrap()
        .args(["serve", "--port", "0", "--log", "warn", "--data-dir"])
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&second.get_output().stderr).into_owned();
    assert!(
        stderr.contains("another Hotline server")
            && stderr.contains(&server.child.id().to_string()),
        "{stderr}"
    );
    let agent = login(&server, "agent", "demo-agent");
    login(&server, "agent2", "demo-agent2");
    login(&server, "manager", "demo-manager");
    // At 60× a demo minute is a second: agents log in over the first five.
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut answered, mut online) = (0, 0);
    while Instant::now() < deadline && (answered < 20 || online <= 100) {
        std::thread::sleep(Duration::from_millis(500));
        let (_, queues) = server.call("GET", "/api/v1/realtime/queues", Some(&sup), None);
        answered = queues
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["answered"].as_u64().unwrap())
            .sum();
        let (_, agents) = server.call("GET", "/api/v1/realtime/agents", Some(&sup), None);
        online = agents.as_array().unwrap().len();
    }
    assert!(
        answered >= 20,
        "the demo answered only {answered} contacts in a minute"
    );
    assert!(online > 100, "only {online} virtual agents logged in");
    let (_, queues) = server.call("GET", "/api/v1/realtime/queues", Some(&sup), None);
    let names: Vec<&str> = queues
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Gold club (VIP)",
            "Billing enquiries",
            "Fault reports",
            "Service requests",
            "Complaints"
        ]
    );
    let (_, agents) = server.call("GET", "/api/v1/realtime/agents", Some(&sup), None);
    assert!(
        agents.as_array().unwrap().len() > 100,
        "virtual agents logged in"
    );
    let (_, people) = server.call("GET", "/api/v1/people", Some(&sup), None);
    let people = people.as_array().unwrap().len();
    assert_eq!(
        people,
        1 + 1 + 5 + 1 + 150,
        "admin, manager, 5 leaders, quality, 150 agents"
    );
    // The human agent is not driven: still logged out.
    let (_, me) = server.call("GET", "/api/v1/auth/me", Some(&agent), None);
    let (_, desk) = server.call(
        "GET",
        &format!("/api/v1/agents/{}", me["person"]["id"]),
        Some(&agent),
        None,
    );
    assert_eq!(desk["state"]["state"], "logged_out");
    let (_, records) = server.call("GET", "/api/v1/contact-records", Some(&sup), None);
    assert!(!records["records"].as_array().unwrap().is_empty());
    drop(server);

    let server = Server::start(
        &["demo", "--speed", "60", "--human-agents", "2"],
        dir.path(),
    );
    let sup = login(&server, "supervisor", "demo-supervisor");
    let (_, again) = server.call("GET", "/api/v1/people", Some(&sup), None);
    assert_eq!(again.as_array().unwrap().len(), people, "seeded once");
    let manager = login(&server, "manager", "demo-manager");
    assert_eq!(history(&server, &manager).len(), 1, "history imported once");
}

#[test]
fn demo_options_without_demo_are_refused() {
    assert_cmd::Command::cargo_bin("hotline")
        .unwrap()
        .args(["serve", "--speed", "10"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--speed, --seed, --human-agents, --start and --history-days belong to the demo",
        ));
    assert_cmd::Command::cargo_bin("hotline")
        .unwrap()
        .args(["demo", "--speed", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected 0.1 to 100"));
}
