//! The morning briefing, the weekly complaint analysis and the scorecard over the API:
//! exact figures for a hand-made day and week, agents narrowed to their own scorecard,
//! the definition's validation naming key paths.

use hotline_store::{Channel, ContactRecord, DurationMs, Outcome, PersonId, QueueId, TimestampMs};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::helpers::{both, center, Center, TestApp};

fn at(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// A contact: answered by `agent` after `wait` s (talk 100 s, wrap-up 20 s), or
/// abandoned after `wait` s.
fn rec(
    id: &str,
    queue: i64,
    agent: Option<i64>,
    arrived: &str,
    wait: i64,
    customer: &str,
    category: &str,
) -> ContactRecord {
    let a = at(arrived);
    let w = wait * 1000;
    let answered = agent.is_some();
    ContactRecord {
        contact_id: id.into(),
        queue_id: QueueId(queue),
        channel: Channel::Voice,
        customer_id: customer.into(),
        agent_id: agent.map(PersonId),
        arrived_at: TimestampMs(a),
        answered_at: answered.then_some(TimestampMs(a + w)),
        ended_at: TimestampMs(a + w + if answered { 100_000 } else { 0 }),
        wrap_up_end_at: answered.then_some(TimestampMs(a + w + 120_000)),
        outcome: if answered {
            Outcome::Answered
        } else {
            Outcome::Abandoned
        },
        wait_ms: DurationMs(w),
        talk_ms: DurationMs(if answered { 100_000 } else { 0 }),
        hold_ms: DurationMs(0),
        wrap_up_ms: DurationMs(if answered { 20_000 } else { 0 }),
        transfers: 0,
        attributes: json!({"category": category}),
    }
}

async fn seed(app: &TestApp) -> Center {
    let c = center(app).await;
    let (b, q) = (c.queue, c.other_queue);
    let records = vec![
        rec(
            "b1",
            b,
            Some(c.ana),
            "2026-11-02T09:00:00Z",
            10,
            "cust-7",
            "",
        ),
        rec(
            "b2",
            b,
            Some(c.ben),
            "2026-11-02T09:10:00Z",
            30,
            "cust-8",
            "",
        ),
        rec("b3", b, None, "2026-11-02T09:40:00Z", 30, "cust-1", ""),
        rec(
            "c1",
            q,
            Some(c.ana),
            "2026-11-02T10:00:00Z",
            5,
            "cust-9",
            "billing error",
        ),
        rec(
            "c2",
            q,
            None,
            "2026-11-04T10:00:00Z",
            40,
            "cust-9",
            "billing error",
        ),
        rec(
            "c3",
            q,
            Some(c.ben),
            "2026-11-03T10:00:00Z",
            5,
            "cust-7",
            "network",
        ),
    ];
    app.state
        .store()
        .insert_contact_records(&records)
        .await
        .unwrap();
    c
}

const DEFINITION: &str = r#"name = "Test"

[perspectives.customer]

[[perspectives.customer.objectives]]
id = "reach"
name = "Reach"

[[perspectives.customer.objectives.measures]]
kpi = "service_level"
target = 80
amber = 60

[perspectives.financial]

[[perspectives.financial.objectives]]
id = "productivity"
name = "Productivity"

[[perspectives.financial.objectives.measures]]
kpi = "answered"
better = "higher"
target = 2
amber = 1

[[overrides]]
team = "Team 1"
measure = "customer.reach.service_level"
target = 50
amber = 40
"#;

async fn put_definition(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: &str,
) -> (StatusCode, Value) {
    let resp = app
        .http
        .put(app.url("/api/v1/scorecard/definition"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("a number, got {v}"));
    assert!((x - expected).abs() < 1e-9, "{x} != {expected}");
}

both! {
    async fn briefing_of_a_hand_made_day(app) {
        let c = seed(&app).await;
        let (s, b) = app.get("/api/v1/briefing?date=2026-11-02").await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["date"], "2026-11-02");
        assert_eq!(b["intervals"], 48);
        let f = &b["figures"];
        assert_eq!(f["offered"], 4);
        assert_eq!(f["answered"], 3);
        assert_eq!(f["abandoned"], 1);
        assert_eq!(f["answered_within_threshold"], 2);
        close(&f["service_level"], 50.0);
        close(&f["abandon_rate"], 25.0);
        close(&f["asa_s"], 15.0);
        close(&f["aht_s"], 120.0);
        let sl = b["headline"].as_array().unwrap().iter().find(|h| h["kpi"] == "service_level").unwrap().clone();
        assert_eq!(sl["status"], "missed");
        assert_eq!(sl["target"], json!({"at_least": 80.0}));
        let queues = b["queues"].as_array().unwrap();
        assert_eq!(queues.len(), 2);
        assert_eq!(queues[0]["queue"], "Billing enquiries");
        assert_eq!(queues[0]["offered"], 3);
        close(&queues[0]["service_level"], 100.0 / 3.0);
        assert_eq!(queues[1]["queue"], "Complaints");
        close(&queues[1]["service_level"], 100.0);
        assert_eq!(b["busiest_interval"]["label"], "09:00–09:30");
        assert_eq!(b["notes"][0]["kind"]["kind"], "service_level");

        // Bad input names the parameter; agents may not read it; no token is 401.
        let (s, p) = app.get("/api/v1/briefing?date=2026-13-01").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
        assert_eq!(p["field"], "date");
        let (s, _) = app.call(Method::GET, "/api/v1/briefing", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app.call(Method::GET, "/api/v1/briefing", None, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = app.call(Method::GET, "/api/v1/briefing?date=2026-11-02", Some(&c.sup_token), None).await;
        assert_eq!(s, StatusCode::OK);
    }
}

both! {
    async fn complaints_of_a_week_with_a_repeat_caller(app) {
        let c = seed(&app).await;
        let (s, b) = app.get("/api/v1/complaints?week=2026-W45").await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["complaint_queues"], json!(["Complaints"]));
        let a = &b["analysis"];
        assert_eq!(a["week"], "2026-W45");
        assert_eq!(a["complaints"], 3);
        assert_eq!(a["customers"], 2);
        assert_eq!(a["by_category"][0]["name"], "billing error");
        assert_eq!(a["by_category"][0]["count"], 2);
        assert_eq!(a["by_category"][1]["name"], "network");
        let repeat = a["repeat_callers"].as_array().unwrap();
        assert_eq!(repeat.len(), 2, "{repeat:?}");
        assert_eq!(repeat[0]["customer"], "cust-9");
        assert_eq!(repeat[0]["complaints"], 2);
        assert_eq!(repeat[0]["multiple_complaints"], true);
        assert_eq!(repeat[1]["customer"], "cust-7");
        assert_eq!(repeat[1]["earlier_contacts"], 1);
        assert_eq!(a["service"]["offered"], 3);
        assert_eq!(a["service"]["abandoned"], 1);

        let (s, p) = app.get("/api/v1/complaints?week=2026-W60").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
        assert_eq!(p["field"], "week");
        let (s, p) = app.get("/api/v1/complaints?week=2026-W45&queues=Nope").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
        assert_eq!(p["field"], "queues");
        let (s, _) = app.call(Method::GET, "/api/v1/complaints", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

both! {
    async fn scorecards_of_a_team_and_an_agent(app) {
        let c = seed(&app).await;
        // None saved: the telecom example, with the overrides naming its teams left out.
        let (s, d) = app.get("/api/v1/scorecard/definition").await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["source"]["source"], "example");
        assert!(!d["skipped_overrides"].as_array().unwrap().is_empty());
        let (s, sc) = app.get("/api/v1/scorecard?period=2026-11").await;
        assert_eq!(s, StatusCode::OK, "{sc}");
        assert_eq!(sc["owner"], "center:center");

        // An invalid definition: every problem with its key path; nothing saved.
        let bad = DEFINITION.replace("kpi = \"answered\"", "kpi = \"answerd\"");
        let (s, p) = put_definition(&app, &app.admin, "application/toml", &bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(p["code"], "invalid_field");
        assert_eq!(p["field"], "perspectives.financial.objectives[0].measures[0].kpi");
        assert_eq!(p["problems"][0]["value"], "answerd");
        let (s, p) = put_definition(&app, &app.admin, "application/toml", &DEFINITION.replace("team = \"Team 1\"", "team = \"Team 9\"")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(p["field"], "overrides[0].team");
        let (s, p) = put_definition(&app, &app.admin, "application/toml", "name = [").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let (s, _) = put_definition(&app, &c.sup_token, "application/toml", DEFINITION).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // A valid one is in force for the next GET.
        let (s, d) = put_definition(&app, &app.admin, "application/toml", DEFINITION).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["source"]["source"], "stored");
        assert_eq!(d["text"], DEFINITION);

        let (s, t) = app.get(&format!("/api/v1/scorecard?period=2026-11&owner=team:{}", c.team)).await;
        assert_eq!(s, StatusCode::OK, "{t}");
        assert_eq!(t["owner"], "team:Team 1");
        assert_eq!(t["definition"]["source"], "stored");
        let card = &t["scorecard"];
        let m = |path: &str| -> Value {
            card["perspectives"].as_array().unwrap().iter()
                .flat_map(|p| p["objectives"].as_array().unwrap().iter())
                .flat_map(|o| o["measures"].as_array().unwrap().iter())
                .find(|m| m["path"] == path).unwrap().clone()
        };
        // The team answered in both queues: they are its. 3 of 6 within 20 s.
        let sl = m("customer.reach.service_level");
        close(&sl["value"], 50.0);
        close(&sl["target"]["value"], 50.0);
        assert_eq!(sl["target"]["from"]["level"], "team");
        assert_eq!(sl["target"]["from"]["owner"], "Team 1");
        assert_eq!(sl["status"], "green");
        close(&sl["score"], 100.0);
        let answered = m("financial.productivity.answered");
        close(&answered["value"], 4.0);
        assert_eq!(answered["status"], "green");
        close(&answered["score"], 150.0);
        assert_eq!(t["children"].as_array().unwrap().len(), 2);
        assert_eq!(t["trend"]["points"].as_array().unwrap().len(), 7);

        // An agent: their own by default, no queue-side KPIs.
        let (s, a) = app.call(Method::GET, "/api/v1/scorecard?period=2026-11", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK, "{a}");
        assert_eq!(a["owner"], "agent:ana");
        let measures: Vec<Value> = a["scorecard"]["perspectives"].as_array().unwrap().iter()
            .flat_map(|p| p["objectives"].as_array().unwrap().clone())
            .flat_map(|o| o["measures"].as_array().unwrap().clone()).collect();
        let sl = measures.iter().find(|m| m["kpi"] == "service_level").unwrap();
        assert_eq!(sl["status"], "no_data");
        assert_eq!(sl["no_data"]["reason"], "not_applicable");
        let answered = measures.iter().find(|m| m["kpi"] == "answered").unwrap();
        close(&answered["value"], 2.0);
        assert_eq!(answered["status"], "green");
        // Agents may not read another's (or a team's), nor export one.
        for path in [
            format!("/api/v1/scorecard?owner=agent:{}", c.ben),
            format!("/api/v1/scorecard?owner=team:{}", c.team),
            "/api/v1/scorecard?owner=center".to_string(),
            format!("/api/v1/scorecard.csv?owner=agent:{}", c.ben),
        ] {
            let (s, p) = app.call(Method::GET, &path, Some(&c.ana_token), None).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path}: {p}");
        }
        let (s, _) = app.call(Method::GET, &format!("/api/v1/scorecard?period=2026-11&owner=agent:{}", c.ana), Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK);
        let csv = app.http.get(app.url("/api/v1/scorecard.csv?period=2026-11")).bearer_auth(&c.ana_token).send().await.unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        let text = csv.text().await.unwrap();
        assert!(text.starts_with("period,level,owner,"), "{text}");
        assert!(text.contains("2026-11,agent,ana,financial,productivity,answered,2,2,green"), "{text}");
        assert!(!text.contains(",ben,"), "{text}");

        let (s, p) = app.get("/api/v1/scorecard?period=2026-13").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
        assert_eq!(p["field"], "period");
        let (s, p) = app.get("/api/v1/scorecard?owner=team:999").await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{p}");
        assert_eq!(p["field"], "owner");
        let (s, _) = app.call(Method::GET, "/api/v1/scorecard", None, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
}
