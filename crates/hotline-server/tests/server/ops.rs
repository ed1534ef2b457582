//! Operations endpoints and the API's description.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::helpers::{both, center};

both! {
    async fn health_readiness_and_metrics(app) {
        let r = app.http.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r: serde_json::Value = app.http.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
        assert_eq!(r, json!({"status": "ready", "database": "ok", "engine": "ready"}));
        let c = center(&app).await;
        app.ok(Method::POST, "/api/v1/contacts", Some(json!({"queue_id": c.queue})), StatusCode::CREATED).await;
        // The wallboard publisher sets the queue gauges within its interval.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let text = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        for metric in [
            "hotline_events_applied_total{kind=\"ContactArrived\"}",
            "hotline_decision_seconds_bucket",
            "hotline_commit_seconds_bucket",
            "hotline_event_ack_seconds_bucket",
            "hotline_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/contacts\",status=\"201\"",
            "hotline_queue_waiting{queue=\"Billing enquiries\"} 1",
            "hotline_agents{state=\"available\"}",
        ] {
            assert!(text.contains(metric), "{metric} missing from /metrics:\n{text}");
        }
    }
}

both! {
    async fn the_api_describes_itself(app) {
        let doc: serde_json::Value = app.http.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        assert_eq!(doc["info"]["title"], "Hotline API");
        for path in ["/api/v1/contacts", "/api/v1/agents/{id}/accept", "/api/v1/stream/desktop", "/api/v1/stream/wallboard", "/api/v1/realtime/queues", "/api/v1/contact-records"] {
            assert!(doc["paths"][path].is_object(), "{path} undocumented");
        }
        for schema in ["Problem", "EventAck", "Wallboard", "DesktopEvent", "AgentOut", "QueueIn", "RecordPage"] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema} undocumented");
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        assert_eq!(doc["paths"]["/api/v1/auth/login"]["post"]["security"], json!([{}]), "login needs no credentials");
        let page = app.http.get(app.url("/api/docs")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("id=\"error-invalid_field\"") && html.contains("/api/openapi.json"));
    }
}
