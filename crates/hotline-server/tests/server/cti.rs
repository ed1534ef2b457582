//! The CTI flow end to end: arrival, offer pushed to the desktop, accept, end, wrap-up,
//! the contact record; the wallboard and the live views alongside.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::helpers::{both, center};

const WAIT: Duration = Duration::from_secs(5);

both! {
    async fn a_contact_goes_from_arrival_to_its_record(app) {
        let c = center(&app).await;
        let ana = c.ana;
        // Ana logs in and goes ready, on her own desktop.
        let mut desk = app.events("/api/v1/stream/desktop", &c.ana_token).await;
        let snap = desk.next_named("snapshot", WAIT).await.expect("snapshot");
        assert_eq!(snap.data["agent_id"], ana);
        assert_eq!(snap.data["state"]["state"], "logged_out");
        for action in ["login", "ready"] {
            let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{ana}/{action}"), Some(&c.ana_token), None).await;
            assert_eq!(s, StatusCode::OK, "{action}: {b}");
        }
        let state = desk.next_named("state", WAIT).await.unwrap();
        assert_eq!(state.data["state"], json!({"state": "not_ready", "reason": "logged_in"}));
        let state = desk.next_named("state", WAIT).await.unwrap();
        assert_eq!(state.data["state"]["state"], "ready");

        // The CTI adapter (an API key with the supervisor role) reports a VIP caller.
        let key = app.ok(Method::POST, "/api/v1/api-keys", Some(json!({"name": "pbx", "role": "supervisor"})), StatusCode::CREATED).await;
        let key = key["secret"].as_str().unwrap().to_string();
        let (s, arrived) = app
            .call(
                Method::POST,
                "/api/v1/contacts",
                Some(&key),
                Some(json!({
                    "queue_id": c.queue,
                    "customer_id": "CUST-0042",
                    "vip": true,
                    "attributes": {"language": "zh-CN", "reason": "roaming charges"},
                })),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{arrived}");
        let contact = arrived["contact"]["contact_id"].as_u64().unwrap();
        assert_eq!(arrived["contact"]["state"], "offered");
        assert_eq!(arrived["contact"]["agent_id"], ana);
        assert_eq!(arrived["contact"]["priority_boost"], 10, "the VIP boost");
        assert!(arrived["decisions"].as_array().unwrap().iter().any(|d| d["type"] == "offer" && d["agent_id"] == ana));

        // The offer reaches Ana's desktop with the customer's details and wait.
        let offer = desk.next_named("offer", WAIT).await.expect("offer pushed");
        assert_eq!(offer.data["contact"], contact);
        assert_eq!(offer.data["queue"], c.queue);
        assert_eq!(offer.data["details"]["customer_id"], "CUST-0042");
        assert_eq!(offer.data["details"]["vip"], true);
        assert_eq!(offer.data["details"]["attributes"]["language"], "zh-CN");
        assert!(offer.data["waited_ms"].as_u64().is_some());

        // Ben cannot take Ana's offer, nor act as her.
        let (s, _) = app.call(Method::POST, &format!("/api/v1/agents/{ana}/accept"), Some(&c.ben_token), Some(json!({"contact_id": contact}))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{}/accept", c.ben), Some(&c.ben_token), Some(json!({"contact_id": contact}))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
        assert_eq!(b["code"], "invalid_state");

        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{ana}/accept"), Some(&c.ana_token), Some(json!({"contact_id": contact}))).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["agent"]["state"]["state"], "on_contact");
        assert_eq!(b["agent"]["contacts"][0]["details"]["customer_id"], "CUST-0042");
        // The desktop's talk clock starts at the answer; not a callback.
        assert!(b["agent"]["contacts"][0]["answered_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{b}");
        assert_eq!(b["agent"]["contacts"][0]["callback"], false);
        assert!(desk.next_named("answered", WAIT).await.is_some());

        // Ana ends the call herself; manual wrap-up follows.
        let (s, b) = app.call(Method::POST, &format!("/api/v1/contacts/{contact}/end"), Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["contact"]["state"], "ended");
        let ended = desk.next_named("contact_ended", WAIT).await.unwrap();
        assert_eq!(ended.data["outcome"], "answered");
        let wrap = desk.next_named("wrap_up_started", WAIT).await.unwrap();
        assert_eq!(wrap.data["contact"], contact);
        let (_, agent) = app.call(Method::GET, &format!("/api/v1/agents/{ana}"), Some(&c.ana_token), None).await;
        assert_eq!(agent["state"]["state"], "wrap_up");

        // No record until the wrap-up is done.
        let (_, page) = app.get("/api/v1/contact-records").await;
        assert_eq!(page["records"], json!([]));
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{ana}/wrap-up-done"), Some(&c.ana_token), Some(json!({"contact_id": contact}))).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["agent"]["state"]["state"], "ready");
        assert!(desk.next_named("wrap_up_ended", WAIT).await.is_some());

        // The record is written right after the commit; give the writer a moment.
        let mut record = None;
        for _ in 0..50 {
            let (_, page) = app.get("/api/v1/contact-records").await;
            if let Some(r) = page["records"].as_array().and_then(|r| r.first()).cloned() {
                record = Some(r);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let r = record.expect("the contact record is stored");
        assert_eq!(r["contact_id"], contact.to_string());
        assert_eq!(r["queue_id"], c.queue);
        assert_eq!(r["agent_id"], ana);
        assert_eq!(r["customer_id"], "CUST-0042");
        assert_eq!(r["outcome"], "answered");
        assert_eq!(r["channel"], "voice");
        assert_eq!(r["transfers"], 0);
        assert_eq!(r["attributes"]["vip"], true);
        assert_eq!(r["attributes"]["language"], "zh-CN");
        assert_eq!(r["attributes"]["routing"]["offers"], 1);
        assert!(r["answered_at"].is_string() && r["wrap_up_end_at"].is_string());
        // Ana sees it; Ben sees nothing of hers.
        let (_, mine) = app.call(Method::GET, "/api/v1/contact-records", Some(&c.ana_token), None).await;
        assert_eq!(mine["records"].as_array().unwrap().len(), 1);
        let (_, his) = app.call(Method::GET, "/api/v1/contact-records", Some(&c.ben_token), None).await;
        assert_eq!(his["records"], json!([]));
        let (s, _) = app.call(Method::GET, &format!("/api/v1/contact-records?agent_id={ana}"), Some(&c.ben_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

both! {
    async fn the_wallboard_and_live_views_follow_the_queues(app) {
        let c = center(&app).await;
        let mut board = app.events("/api/v1/stream/wallboard", &c.sup_token).await;
        // The first document may predate the queues created a moment ago.
        let q = loop {
            let w = board.next_named("wallboard", WAIT).await.expect("a wallboard");
            if let Some(q) = w.data["queues"].as_array().unwrap().iter().find(|q| q["queue_id"] == c.queue) {
                break q.clone();
            }
        };
        assert_eq!(q["name"], "Billing enquiries");
        assert_eq!(q["waiting"], 0);
        assert_eq!(q["target_service_level_pct"], 80.0);

        // Two callers wait (no agent is ready); one gives up.
        let mut ids = Vec::new();
        for customer in ["A-1", "A-2"] {
            let b = app.ok(Method::POST, "/api/v1/contacts", Some(json!({"queue_id": c.queue, "customer_id": customer, "estimate_wait": true})), StatusCode::CREATED).await;
            assert_eq!(b["contact"]["state"], "waiting");
            assert!(b["decisions"].as_array().unwrap().iter().any(|d| d["type"] == "contact_queued"));
            ids.push(b["contact"]["contact_id"].as_u64().unwrap());
        }
        app.ok(Method::POST, &format!("/api/v1/contacts/{}/abandon", ids[1]), None, StatusCode::OK).await;
        let board_now = loop {
            let w = board.next_named("wallboard", WAIT).await.expect("the wallboard moves");
            let q = w.data["queues"].as_array().unwrap().iter().find(|q| q["queue_id"] == c.queue).cloned().unwrap();
            if q["abandoned"] == 1 {
                break q;
            }
        };
        assert_eq!(board_now["waiting"], 1);
        assert_eq!(board_now["entered"], 2);
        assert_eq!(board_now["offered"], 1);
        assert_eq!(board_now["abandon_rate"], 1.0);
        assert!(board_now["oldest_wait_ms"].as_u64().is_some());

        let (s, queues) = app.call(Method::GET, "/api/v1/realtime/queues", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(queues.as_array().unwrap().len(), 2);
        // Ana logs in: the supervisor sees her, by name, not ready.
        app.call(Method::POST, &format!("/api/v1/agents/{}/login", c.ana), Some(&c.ana_token), None).await;
        let (s, agents) = app.call(Method::GET, "/api/v1/realtime/agents", Some(&c.sup_token), None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(agents.as_array().unwrap().len(), 1);
        assert_eq!(agents[0]["display_name"], "ANA");
        assert_eq!(agents[0]["state"]["reason"], "logged_in");
        assert!(agents[0]["time_in_state_ms"].as_u64().is_some());
        let (s, _) = app.call(Method::GET, "/api/v1/realtime/agents", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "agents do not watch each other");

        // The waiting caller is transferred to complaints, then answered there.
        let b = app.ok(Method::POST, &format!("/api/v1/contacts/{}/transfer", ids[0]), Some(json!({"queue_id": c.other_queue})), StatusCode::OK).await;
        assert_eq!(b["contact"]["queue_id"], c.other_queue);
        let (_, live) = app.get(&format!("/api/v1/contacts?queue_id={}", c.other_queue)).await;
        assert_eq!(live[0]["details"]["customer_id"], "A-1");
        app.call(Method::POST, &format!("/api/v1/agents/{}/ready", c.ana), Some(&c.ana_token), None).await;
        let (_, contact) = app.call(Method::GET, &format!("/api/v1/contacts/{}", ids[0]), Some(&c.ana_token), None).await;
        assert_eq!(contact["state"], "offered");
        let (s, _) = app.call(Method::GET, &format!("/api/v1/contacts/{}", ids[0]), Some(&c.ben_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "not offered to Ben");
    }
}

both! {
    async fn cti_input_is_validated_naming_the_field(app) {
        let c = center(&app).await;
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": 999})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["field"], "queue_id");
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": c.queue, "priority_boost": 5000})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["field"], "priority_boost");
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": c.queue, "attributes": {"vip": "yes"}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["field"], "attributes.vip");
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": c.queue, "attributes": {"list": [1, 2]}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["field"], "attributes.list");
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": c.queue, "channel": "fax"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["field"], "channel");
        let (s, b) = app.post("/api/v1/contacts", json!({"queue": c.queue})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["code"], "invalid_field");
        let (s, b) = app.post("/api/v1/contacts/77/abandon", json!(null)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(b["detail"], "unknown contact contact#77");
        let (s, b) = app.post("/api/v1/contacts/abc/abandon", json!(null)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(b["code"], "invalid_parameter");
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{}/not-ready", c.ana), Some(&c.ana_token), Some(json!({"reason": "nap"}))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["field"], "reason");
        assert!(b["detail"].as_str().unwrap().contains("lunch"), "{b}");
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{}/ready", c.ana), Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::CONFLICT, "not logged in: {b}");
        assert_eq!(b["detail"], format!("AgentReady is not valid for agent#{} while it is logged out", c.ana));
    }
}
