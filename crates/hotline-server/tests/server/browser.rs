//! The web UI in a real browser: headless Chromium (Debian's `chromium`) driven by
//! Playwright (`tests/browser/ui.mjs`) against the real server on a free port with a
//! fresh SQLite data directory.
//!
//! This test seeds a small centre through the API (teams, skills, queues, a supervisor,
//! agents busy on contacts, callers waiting), then runs the script, which signs in,
//! switches languages, watches the wallboard change live when a contact arrives through
//! the CTI API, has an agent go ready, accept the offer, end it and wrap up, and uses the
//! admin forms (a refused field shown next to its input, then saved). It takes a
//! screenshot of every page: into a temporary directory, or into `docs/screenshots/`
//! when `HOTLINE_UPDATE_SCREENSHOTS=1`.
//!
//! It fails (never skips) when Chromium, Node.js or playwright-core is missing: run
//! `scripts/browser`, which installs them.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::helpers::{settings, Backend, TestApp};
use super::playwright;

const PASSWORD: &str = "browser-test-pw";

async fn act(app: &TestApp, path: &str, body: Option<Value>) -> Value {
    app.ok(Method::POST, path, body, StatusCode::OK).await
}

/// A contact arrives; when an agent is offered it, they accept. Returns (contact, agent).
async fn arrive_and_answer(app: &TestApp, queue: i64, customer: &str) -> (u64, Option<u64>) {
    let ack = app
        .ok(
            Method::POST,
            "/api/v1/contacts",
            Some(json!({"queue_id": queue, "customer_id": customer})),
            StatusCode::CREATED,
        )
        .await;
    let contact = ack["contact"]["contact_id"]
        .as_u64()
        .unwrap_or_else(|| panic!("no contact id in {ack}"));
    let offered = ack["decisions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["type"] == "offer")
        .and_then(|d| d["agent_id"].as_u64());
    if let Some(agent) = offered {
        act(
            app,
            &format!("/api/v1/agents/{agent}/accept"),
            Some(json!({"contact_id": contact})),
        )
        .await;
    }
    (contact, offered)
}

struct Centre {
    gold: i64,
    ana: i64,
}

/// A small centre: three queues (the gold club with priority), a supervisor, six agents
/// busy or away, callers waiting in the fault queue, and Ana (gold club only), logged
/// out, for the script to drive.
async fn seed(app: &TestApp) -> Centre {
    let site = app
        .create(
            "/api/v1/sites",
            json!({"name": "Shanghai", "time_zone": "Asia/Shanghai"}),
        )
        .await;
    let dept = app
        .create(
            "/api/v1/departments",
            json!({"site_id": site, "name": "Customer service"}),
        )
        .await;
    let pearl = app
        .create(
            "/api/v1/teams",
            json!({"department_id": dept, "name": "Pearl"}),
        )
        .await;
    let jade = app
        .create(
            "/api/v1/teams",
            json!({"department_id": dept, "name": "Jade"}),
        )
        .await;
    let billing = app
        .create(
            "/api/v1/skills",
            json!({"name": "Billing", "description": "Bills, payments, tariffs"}),
        )
        .await;
    let faults = app
        .create(
            "/api/v1/skills",
            json!({"name": "Faults", "description": "Line and device faults"}),
        )
        .await;
    let gold_skill = app
        .create(
            "/api/v1/skills",
            json!({"name": "Gold club", "description": "VIP members"}),
        )
        .await;
    let queue = |name: &str, skill: i64, priority: i32, t: u32, target: f64, steps: Value| {
        json!({
            "name": name, "skill_id": skill, "min_proficiency": 2, "base_priority": priority,
            "service_level_threshold_s": t, "target_service_level_pct": target,
            "wrap_up": {"mode": "manual"}, "expected_handle_time_s": 240, "routing_steps": steps
        })
    };
    let billing_q = app
        .create(
            "/api/v1/queues",
            queue("Billing enquiries", billing, 0, 20, 80.0, json!([])),
        )
        .await;
    let faults_q = app
        .create(
            "/api/v1/queues",
            queue("Fault reports", faults, 0, 30, 80.0, json!([])),
        )
        .await;
    let gold = app.create("/api/v1/queues",
        queue(
            "Gold club",
            gold_skill,
            100,
            10,
            90.0,
            json!([{"after_s": 120, "action": {"type": "add_skill", "skill_id": billing, "min": 5}}]),
        ),
    )
    .await;
    let person = |username: &str, name: &str, role: &str, tier: &str, team: i64, skills: Value| {
        json!({
            "username": username, "display_name": name, "role": role, "tier": tier,
            "team_id": team, "password": PASSWORD, "skills": skills
        })
    };
    let sofia = app
        .create(
            "/api/v1/people",
            person(
                "sofia",
                "Sofía Martín",
                "supervisor",
                "senior",
                pearl,
                json!([]),
            ),
        )
        .await;
    app.ok(
        Method::PUT,
        &format!("/api/v1/teams/{pearl}"),
        Some(json!({"department_id": dept, "name": "Pearl", "leader_id": sofia})),
        StatusCode::OK,
    )
    .await;
    let ana = app
        .create(
            "/api/v1/people",
            person(
                "ana",
                "Ana Ruiz",
                "agent",
                "expert",
                pearl,
                json!([{"skill_id": gold_skill, "proficiency": 5}]),
            ),
        )
        .await;
    let crew = [
        ("li.wei", "Li Wei", pearl, billing),
        ("chen.jing", "Chen Jing", pearl, billing),
        ("wang.fang", "Wang Fang", pearl, billing),
        ("lucia", "Lucía Gómez", jade, faults),
        ("zhang.min", "Zhang Min", jade, faults),
        ("diego", "Diego Torres", jade, faults),
    ];
    let mut agents = Vec::new();
    for (username, name, team, skill) in crew {
        let id = app
            .create(
                "/api/v1/people",
                person(
                    username,
                    name,
                    "agent",
                    "intermediate",
                    team,
                    json!([{"skill_id": skill, "proficiency": 3}]),
                ),
            )
            .await;
        act(app, &format!("/api/v1/agents/{id}/login"), None).await;
        agents.push(id);
    }
    // Billing: three answered (one back in wrap-up), one abandoned.
    for id in &agents[..3] {
        act(app, &format!("/api/v1/agents/{id}/ready"), None).await;
    }
    let mut answered = Vec::new();
    for n in 0..3 {
        let (contact, agent) = arrive_and_answer(app, billing_q, &format!("C-20{n}")).await;
        answered.push((contact, agent.expect("a ready billing agent takes it")));
    }
    act(
        app,
        &format!("/api/v1/contacts/{}/end", answered[0].0),
        None,
    )
    .await;
    let (lost, _) = arrive_and_answer(app, billing_q, "C-299").await;
    act(app, &format!("/api/v1/contacts/{lost}/abandon"), None).await;
    // Faults: two answered, one agent at lunch, two callers waiting.
    for id in &agents[3..5] {
        act(app, &format!("/api/v1/agents/{id}/ready"), None).await;
    }
    for n in 0..2 {
        let (_, agent) = arrive_and_answer(app, faults_q, &format!("C-30{n}")).await;
        assert!(agent.is_some(), "a ready faults agent takes it");
    }
    act(
        app,
        &format!("/api/v1/agents/{}/not-ready", agents[5]),
        Some(json!({"reason": "lunch"})),
    )
    .await;
    for n in 0..2 {
        let (_, agent) = arrive_and_answer(app, faults_q, &format!("C-31{n}")).await;
        assert_eq!(agent, None, "nobody is free for faults");
    }
    Centre { gold, ana }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_signs_in_watches_the_wallboard_and_handles_a_contact() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = TestApp::start(settings(dir.path(), None), Backend::Sqlite).await;
    let centre = seed(&app).await;
    let shots = playwright::screenshot_dir(dir.path());
    let env = [
        ("HOTLINE_BASE_URL", app.base.clone()),
        ("HOTLINE_TOKEN", app.admin.clone()),
        (
            "HOTLINE_ADMIN_PASSWORD",
            super::helpers::ADMIN_PASSWORD.to_owned(),
        ),
        ("HOTLINE_PASSWORD", PASSWORD.to_owned()),
        ("HOTLINE_GOLD_QUEUE", centre.gold.to_string()),
        ("HOTLINE_ANA", centre.ana.to_string()),
    ];
    let files = ["login.png", "wallboard.png", "desktop.png", "admin.png"];
    playwright::run("ui.mjs", &env, &shots, &files).await;

    // What the browser did reached the engine: Ana answered the gold-club contact and is
    // ready again.
    let (status, agent) = app.get(&format!("/api/v1/agents/{}", centre.ana)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(agent["state"]["state"], "ready", "{agent}");
    assert_eq!(agent["contacts_accepted"], 1, "{agent}");
    let (_, queues) = app.get("/api/v1/realtime/queues").await;
    let gold = queues
        .as_array()
        .into_iter()
        .flatten()
        .find(|q| q["queue_id"].as_i64() == Some(centre.gold))
        .cloned()
        .unwrap_or_default();
    assert_eq!(gold["answered"], 1, "{gold}");
    assert_eq!(gold["waiting"], 0, "{gold}");
}
