//! The morning briefing, the complaint analysis and the scorecard pages in a real
//! browser: headless Chromium (Debian's `chromium`) driven by Playwright
//! (`tests/browser/management.mjs`) against the real server on a free port with a fresh
//! SQLite data directory.
//!
//! The centre (site, department, two teams, two queues, a supervisor, four agents) is
//! made through the API as `browser.rs` does; a past day's contact records and agent
//! state spells go in through the store, so every figure on the pages is known exactly
//! (see [`seed`]). The figures are first checked over the API, then handed to the script
//! (`HOTLINE_EXPECT`, JSON), which checks that the pages show them, prints the briefing
//! to PDF under print media, drills the scorecard down from the center to an agent,
//! switches to Chinese, and checks what an agent may see. Screenshots and the PDF go to
//! a temporary directory, or into `docs/screenshots/` when
//! `HOTLINE_UPDATE_SCREENSHOTS=1`.
//!
//! It fails (never skips) when Chromium, Node.js or playwright-core is missing: run
//! `scripts/browser`, which installs them.

use hotline_store::{
    AgentStateKind, Channel, ContactRecord, DurationMs, NewAgentState, Outcome, PersonId, QueueId,
    TimestampMs,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::helpers::{settings, Backend, TestApp};
use super::playwright;

const PASSWORD: &str = "management-browser-pw";

/// The seeded day (a Tuesday; the server's zone is UTC), its ISO week and month.
const DAY: &str = "2026-10-13";
const WEEK: &str = "2026-W42";
const MONTH: &str = "2026-10";

fn at(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .as_millisecond()
}

/// How a seeded contact went: answered by an agent after `wait` s, talking `talk` s
/// and wrapping up `wrap` s; or abandoned after `wait` s.
struct Call<'a> {
    id: &'a str,
    queue: i64,
    agent: Option<i64>,
    arrived: &'a str,
    wait: i64,
    talk: i64,
    wrap: i64,
    customer: &'a str,
    category: &'a str,
}

fn record(c: &Call) -> ContactRecord {
    let a = at(c.arrived);
    let w = c.wait * 1000;
    let answered = c.agent.is_some();
    let (talk, wrap) = if answered {
        (c.talk * 1000, c.wrap * 1000)
    } else {
        (0, 0)
    };
    let mut attributes = json!({});
    if !c.category.is_empty() {
        attributes["category"] = json!(c.category);
    }
    ContactRecord {
        contact_id: c.id.into(),
        queue_id: QueueId(c.queue),
        channel: Channel::Voice,
        customer_id: c.customer.into(),
        agent_id: c.agent.map(PersonId),
        arrived_at: TimestampMs(a),
        answered_at: answered.then_some(TimestampMs(a + w)),
        ended_at: TimestampMs(a + w + talk),
        wrap_up_end_at: answered.then_some(TimestampMs(a + w + talk + wrap)),
        outcome: if answered {
            Outcome::Answered
        } else {
            Outcome::Abandoned
        },
        wait_ms: DurationMs(w),
        talk_ms: DurationMs(talk),
        hold_ms: DurationMs(0),
        wrap_up_ms: DurationMs(wrap),
        transfers: 0,
        attributes,
    }
}

/// The same 8-hour shift for every agent on the seeded day: on contacts 5.25 h (busy
/// 4.75 h, wrap-up 0.5 h), ready 0.75 h, not ready 2 h (lunch 1 h and `late_reason`
/// 1 h). Occupancy 5.25 / 6 = 87.5 %, in-shift shrinkage 2 / 8 = 25 %.
fn shift(person: i64, late_reason: &str) -> Vec<NewAgentState> {
    let spell = |state, reason: Option<&str>, from: &str, to: &str| NewAgentState {
        person_id: PersonId(person),
        state,
        reason: reason.map(str::to_string),
        from_at: TimestampMs(at(&format!("{DAY}T{from}:00Z"))),
        to_at: Some(TimestampMs(at(&format!("{DAY}T{to}:00Z")))),
    };
    vec![
        spell(AgentStateKind::Ready, None, "09:00", "09:15"),
        spell(AgentStateKind::Busy, None, "09:15", "12:00"),
        spell(AgentStateKind::NotReady, Some("lunch"), "12:00", "13:00"),
        spell(AgentStateKind::Busy, None, "13:00", "15:00"),
        spell(AgentStateKind::WrapUp, None, "15:00", "15:30"),
        spell(AgentStateKind::Ready, None, "15:30", "16:00"),
        spell(
            AgentStateKind::NotReady,
            Some(late_reason),
            "16:00",
            "17:00",
        ),
    ]
}

/// The centre and its seeded history.
///
/// Site Changchun → department "Customer service" → teams Pearl (Ana Ruiz, Li Wei;
/// Sofía Martín, supervisor, leads it) and Jade (Lucía Gómez, Diego Torres). Queues
/// "Billing enquiries" (T = 20 s) and "Complaints" (T = 30 s), both 80 % targets.
///
/// On 2026-10-13 (UTC):
/// - Billing enquiries: 6 offered, 5 answered (waits 5, 10, 15, 10, 7 s; Ana 3, Li Wei
///   2; handle 180 + 30 s), 1 abandoned after 60 s → 5 within 20 s, 83.3 %.
/// - Complaints: 4 offered, 3 answered (waits 10, 40, 55 s; Lucía 1, Diego 2; handle
///   390 + 60 s), 1 abandoned after 70 s → 1 within 30 s, 25.0 %. Categories: billing
///   error 2 (both from customer cust-501, who called twice), network outage 1, staff
///   attitude 1.
/// - Center: offered 10, answered 8, abandoned 2, service level 6 / 10 = 60.0 %
///   (target 80 %: missed), ASA 152 / 8 = 19 s, AHT (5 × 210 + 3 × 450) / 8 = 300 s,
///   abandon rate 20.0 %, occupancy 87.5 %.
/// - Every agent: the [`shift`] above (not ready: lunch 4 h, training 2 h, coaching 2 h).
///
/// Earlier complaints for the trend (outside the scorecard's month): two "billing
/// error" on 2026-09-22 (W39) and one "network outage" on 2026-09-29 (W40).
struct Seeded {
    ana: i64,
}

async fn seed(app: &TestApp) -> Seeded {
    let site = app
        .create(
            "/api/v1/sites",
            json!({"name": "Changchun", "time_zone": "Asia/Shanghai"}),
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
    let complaints = app
        .create(
            "/api/v1/skills",
            json!({"name": "Complaints", "description": "Complaints and escalations"}),
        )
        .await;
    let queue = |name: &str, skill: i64, t: u32| {
        json!({
            "name": name, "skill_id": skill, "min_proficiency": 1, "base_priority": 0,
            "service_level_threshold_s": t, "target_service_level_pct": 80.0,
            "wrap_up": {"mode": "manual"}, "expected_handle_time_s": 240, "routing_steps": []
        })
    };
    let billing_q = app
        .create("/api/v1/queues", queue("Billing enquiries", billing, 20))
        .await;
    let complaints_q = app
        .create("/api/v1/queues", queue("Complaints", complaints, 30))
        .await;
    let person = |username: &str, name: &str, role: &str, team: i64, skill: Option<i64>| {
        json!({
            "username": username, "display_name": name, "role": role, "tier": "intermediate",
            "team_id": team, "password": PASSWORD,
            "skills": skill.map_or_else(|| json!([]), |s| json!([{"skill_id": s, "proficiency": 3}]))
        })
    };
    let sofia = app
        .create(
            "/api/v1/people",
            person("sofia", "Sofía Martín", "supervisor", pearl, None),
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
            person("ana", "Ana Ruiz", "agent", pearl, Some(billing)),
        )
        .await;
    let li = app
        .create(
            "/api/v1/people",
            person("li.wei", "Li Wei", "agent", pearl, Some(billing)),
        )
        .await;
    let lucia = app
        .create(
            "/api/v1/people",
            person("lucia", "Lucía Gómez", "agent", jade, Some(complaints)),
        )
        .await;
    let diego = app
        .create(
            "/api/v1/people",
            person("diego", "Diego Torres", "agent", jade, Some(complaints)),
        )
        .await;

    let (b, c) = (billing_q, complaints_q);
    // Handle times: billing 180 s talk + 30 s wrap-up, complaints 390 + 60.
    let call = |id, queue, agent, arrived: &str, wait, customer, category| {
        let (talk, wrap) = if queue == b { (180, 30) } else { (390, 60) };
        let arrived = if arrived.len() == 5 {
            format!("{DAY}T{arrived}:00Z")
        } else {
            arrived.to_string()
        };
        record(&Call {
            id,
            queue,
            agent,
            arrived: &arrived,
            wait,
            talk,
            wrap,
            customer,
            category,
        })
    };
    #[rustfmt::skip]
    let records = vec![
        call("b1", b, Some(ana), "09:00", 5, "cust-101", ""),
        call("b2", b, Some(li), "09:05", 10, "cust-102", ""),
        call("b3", b, Some(ana), "09:20", 15, "cust-103", ""),
        call("b4", b, Some(li), "10:00", 10, "cust-104", ""),
        call("b5", b, Some(ana), "10:40", 7, "cust-105", ""),
        call("b6", b, None, "11:00", 60, "cust-106", ""),
        call("c1", c, Some(lucia), "09:10", 10, "cust-501", "billing error"),
        call("c2", c, Some(diego), "09:50", 40, "cust-502", "network outage"),
        call("c3", c, Some(diego), "11:30", 55, "cust-501", "billing error"),
        call("c4", c, None, "15:00", 70, "cust-503", "staff attitude"),
        // Earlier weeks, for the complaint trend.
        call("w39a", c, Some(lucia), "2026-09-22T10:00:00Z", 10, "cust-601", "billing error"),
        call("w39b", c, Some(diego), "2026-09-22T14:00:00Z", 10, "cust-602", "billing error"),
        call("w40a", c, Some(lucia), "2026-09-29T10:00:00Z", 10, "cust-603", "network outage"),
    ];
    let store = app.state.store();
    let n = store
        .insert_contact_records(&records)
        .await
        .expect("the contact records are stored");
    assert_eq!(n, records.len() as u64);
    let mut states = Vec::new();
    states.extend(shift(ana, "training"));
    states.extend(shift(li, "training"));
    states.extend(shift(lucia, "coaching"));
    states.extend(shift(diego, "coaching"));
    store
        .insert_agent_states(&states)
        .await
        .expect("the agent states are stored");
    Seeded { ana }
}

fn close(v: &Value, expected: f64, what: &str) {
    let x = v
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: a number, got {v}"));
    assert!((x - expected).abs() < 0.05, "{what}: {x} != {expected}");
}

/// The measure of a scorecard answer with KPI `kpi`.
fn measure(card: &Value, kpi: &str) -> Value {
    card["scorecard"]["perspectives"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["objectives"].as_array().into_iter().flatten())
        .flat_map(|o| o["measures"].as_array().into_iter().flatten())
        .find(|m| m["kpi"] == kpi)
        .cloned()
        .unwrap_or_else(|| panic!("no {kpi} in {card}"))
}

/// The seeded figures over the API (what the pages must show).
async fn check_api(app: &TestApp) {
    let (s, b) = app.get(&format!("/api/v1/briefing?date={DAY}")).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let f = &b["figures"];
    assert_eq!(f["offered"], 10, "{f}");
    assert_eq!(f["answered"], 8, "{f}");
    assert_eq!(f["abandoned"], 2, "{f}");
    assert_eq!(f["answered_within_threshold"], 6, "{f}");
    close(&f["service_level"], 60.0, "service level");
    close(&f["asa_s"], 19.0, "ASA");
    close(&f["aht_s"], 300.0, "AHT");
    close(&f["abandon_rate"], 20.0, "abandon rate");
    close(&f["occupancy"], 87.5, "occupancy");

    let (s, c) = app.get(&format!("/api/v1/complaints?week={WEEK}")).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let a = &c["analysis"];
    assert_eq!(a["complaints"], 4, "{a}");
    assert_eq!(a["customers"], 3, "{a}");
    assert_eq!(a["by_category"][0]["name"], "billing error", "{a}");
    assert_eq!(a["by_category"][0]["count"], 2, "{a}");
    let repeat = a["repeat_callers"].as_array().cloned().unwrap_or_default();
    assert_eq!(repeat.len(), 1, "{a}");
    assert_eq!(repeat[0]["customer"], "cust-501");
    assert_eq!(repeat[0]["complaints"], 2);

    let (s, center) = app.get(&format!("/api/v1/scorecard?period={MONTH}")).await;
    assert_eq!(s, StatusCode::OK, "{center}");
    let sl = measure(&center, "service_level");
    close(&sl["value"], 60.0, "center service level");
    assert_eq!(sl["status"], "red", "{sl}");
    let (s, team) = app
        .get(&format!(
            "/api/v1/scorecard?period={MONTH}&owner=team:Pearl"
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{team}");
    let sl = measure(&team, "service_level");
    close(&sl["value"], 500.0 / 6.0, "Pearl's service level");
    assert_eq!(sl["status"], "green", "{sl}");
    let (s, agent) = app
        .get(&format!("/api/v1/scorecard?period={MONTH}&owner=agent:ana"))
        .await;
    assert_eq!(s, StatusCode::OK, "{agent}");
    let aht = measure(&agent, "aht_s");
    close(&aht["value"], 210.0, "Ana's AHT");
    assert_eq!(aht["status"], "green", "{aht}");
    let occ = measure(&agent, "occupancy");
    close(&occ["value"], 87.5, "Ana's occupancy");
}

/// What the script checks on the pages (the figures of [`seed`], as the pages format
/// them).
fn expectations() -> Value {
    json!({
        "day": DAY,
        "week": WEEK,
        "month": MONTH,
        "password": PASSWORD,
        "supervisor": "sofia",
        "agent": {"username": "ana", "name": "Ana Ruiz"},
        "briefing": {
            "headline": [
                ["Offered contacts", "10", ""],
                ["Answered contacts", "8", ""],
                ["Abandoned contacts", "2", ""],
                ["Service level (of offered)", "60.0%", "missed"],
                ["Average speed of answer", "19 s", "met"],
                ["Average handle time", "300 s", "met"],
                ["Abandon rate", "20.0%", "missed"],
                ["Occupancy", "87.5%", "met"]
            ],
            "queues": [
                ["Billing enquiries", "6", "5", "1", "83.3%", "met"],
                ["Complaints", "4", "3", "1", "25.0%", "missed"]
            ],
            "not_ready": [["lunch", "4.00"], ["training", "2.00"], ["coaching", "2.00"]]
        },
        "complaints": {
            "tiles": [["Complaints", "4"], ["Customers", "3"], ["Repeat callers", "1"]],
            "categories": [["billing error", "2", "50.0%"], ["network outage", "1", "25.0%"], ["staff attitude", "1", "25.0%"]],
            "repeat": {"customer": "cust-501", "complaints": "2", "categories": "billing error"}
        },
        "scorecard": {
            "center": {"name": "Changchun", "measure": "Service level (of offered)", "value": "60.0%", "status": "off target"},
            "department": {"name": "Customer service"},
            "team": {"name": "Pearl", "measure": "Service level (of offered)", "value": "83.3%", "status": "on target"},
            "agent": {"name": "Ana Ruiz", "measure": "Average handle time", "value": "210 s", "status": "on target"}
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_shows_the_briefing_complaints_and_scorecards_and_prints_them() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = TestApp::start(settings(dir.path(), None), Backend::Sqlite).await;
    let seeded = seed(&app).await;
    check_api(&app).await;

    let shots = playwright::screenshot_dir(dir.path());
    let env = [
        ("HOTLINE_BASE_URL", app.base.clone()),
        ("HOTLINE_EXPECT", expectations().to_string()),
    ];
    let files = [
        "briefing.png",
        "complaints.png",
        "scorecard.png",
        "reports.png",
        "scorecard-agent.png",
        "briefing.pdf",
    ];
    let stdout = playwright::run("management.mjs", &env, &shots, &files).await;
    println!("{stdout}");
    let pdf = std::fs::read(shots.join("briefing.pdf")).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF-"), "briefing.pdf is not a PDF");

    // The agent's own card over the API is the one the page showed.
    let token = app.login("ana", PASSWORD).await;
    let (s, own) = app
        .call(
            Method::GET,
            &format!("/api/v1/scorecard?period={MONTH}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{own}");
    assert_eq!(own["owner"], "agent:ana", "{own}");
    let (s, _) = app
        .call(
            Method::GET,
            &format!(
                "/api/v1/scorecard?period={MONTH}&owner=agent:{}",
                seeded.ana
            ),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}
