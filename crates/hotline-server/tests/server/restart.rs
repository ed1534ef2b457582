//! A restart rebuilds the engine from the event log: every acknowledged event is in the
//! state afterwards, and the state is the same as before.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::helpers::{both, center, TestApp};

/// Everything the live views show, minus the times that move on their own.
async fn snapshot(app: &TestApp) -> Value {
    let (_, queues) = app.get("/api/v1/realtime/queues").await;
    let (_, agents) = app.get("/api/v1/realtime/agents?logged_out=true").await;
    let (_, contacts) = app.get("/api/v1/contacts").await;
    let mut v = json!({"queues": queues, "agents": agents, "contacts": contacts});
    for q in v["queues"].as_array_mut().unwrap() {
        q.as_object_mut().unwrap().remove("oldest_wait_ms");
        q.as_object_mut().unwrap().remove("estimated_wait_ms");
    }
    for a in v["agents"].as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("time_in_state_ms");
    }
    v
}

both! {
    async fn a_restart_loses_no_acknowledged_event(app) {
        let c = center(&app).await;
        for (id, token) in [(c.ana, &c.ana_token), (c.ben, &c.ben_token)] {
            for action in ["login", "ready"] {
                let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{id}/{action}"), Some(token), None).await;
                assert_eq!(s, StatusCode::OK, "{b}");
            }
        }
        // 60 arrivals at once from 60 tasks: each acknowledged one must survive.
        let mut tasks = Vec::new();
        for i in 0..60 {
            let http = app.http.clone();
            let url = app.url("/api/v1/contacts");
            let token = app.admin.clone();
            let queue = if i % 3 == 0 { c.other_queue } else { c.queue };
            tasks.push(tokio::spawn(async move {
                let r = http.post(url).bearer_auth(token)
                    .json(&json!({"queue_id": queue, "customer_id": format!("R-{i}"), "attributes": {"n": i}}))
                    .send().await.unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                r.json::<Value>().await.unwrap()
            }));
        }
        let mut acked = Vec::new();
        for t in tasks {
            acked.push(t.await.unwrap()["contact"]["contact_id"].as_u64().unwrap());
        }
        acked.sort_unstable();
        assert_eq!(acked, (1..=60).collect::<Vec<_>>());
        // Ana answers and finishes one; some callers give up; one asks for a callback.
        let (_, ana) = app.call(Method::GET, &format!("/api/v1/agents/{}", c.ana), Some(&c.ana_token), None).await;
        let offered = ana["contacts"][0]["contact_id"].as_u64().unwrap();
        app.call(Method::POST, &format!("/api/v1/agents/{}/accept", c.ana), Some(&c.ana_token), Some(json!({"contact_id": offered}))).await;
        app.call(Method::POST, &format!("/api/v1/contacts/{offered}/end"), Some(&c.ana_token), None).await;
        app.call(Method::POST, &format!("/api/v1/agents/{}/wrap-up-done", c.ana), Some(&c.ana_token), Some(json!({"contact_id": offered}))).await;
        for id in [40, 41, 42] {
            app.ok(Method::POST, &format!("/api/v1/contacts/{id}/abandon"), None, StatusCode::OK).await;
        }
        app.ok(Method::POST, "/api/v1/contacts/50/callback", None, StatusCode::OK).await;
        app.call(Method::POST, &format!("/api/v1/agents/{}/not-ready", c.ben), Some(&c.ben_token), Some(json!({"reason": "lunch"}))).await;

        let before = snapshot(&app).await;
        // Records are written just after the acknowledgements.
        let mut records_before = serde_json::Value::Null;
        for _ in 0..100 {
            records_before = app.get("/api/v1/contact-records").await.1;
            if records_before["records"].as_array().is_some_and(|r| r.len() == 4) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let app = app.restart().await;
        let after = snapshot(&app).await;
        assert_eq!(after, before, "the engine after the restart equals the engine before");
        let (_, records_after) = app.get("/api/v1/contact-records").await;
        assert_eq!(records_after, records_before);
        assert_eq!(records_after["records"].as_array().unwrap().len(), 4, "one answered, three abandoned");
        // Ids go on where they stopped; old sessions still work.
        let next = app.ok(Method::POST, "/api/v1/contacts", Some(json!({"queue_id": c.queue})), StatusCode::CREATED).await;
        assert_eq!(next["contact"]["contact_id"], 61);
        let (s, _) = app.call(Method::GET, "/api/v1/auth/me", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK);
        let (_, ben) = app.get(&format!("/api/v1/agents/{}", c.ben)).await;
        assert_eq!(ben["presence"], json!({"state": "not_ready", "reason": "lunch"}));
        assert_eq!(ben["state"]["state"], "offered", "pending not ready: the offer still rings");
    }
}
