//! Customer personal data never reaches the logs: a whole contact's life, with bad input
//! carrying personal data too, under debug logging of every crate, and not one line
//! holds the customer's id or attributes.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::helpers::{center, with_app, Backend};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            let writer = capture.clone();
            let subscriber = tracing_subscriber::fmt()
                .json()
                .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
            capture
        })
        .clone()
}

const SECRETS: &[&str] = &[
    "CUST-SECRET-7788",
    "Zhang Sanfeng",
    "+86 138 0013 8000",
    "leaked@example.com",
];

async fn no_personal_data_in_logs(backend: Backend) {
    let logs = capture();
    with_app(backend, |app| async move {
        let c = center(&app).await;
        let ana = c.ana;
        for action in ["login", "ready"] {
            app.call(Method::POST, &format!("/api/v1/agents/{ana}/{action}"), Some(&c.ana_token), None).await;
        }
        let attributes = json!({"name": SECRETS[1], "phone": SECRETS[2], "email": SECRETS[3]});
        let b = app
            .ok(Method::POST, "/api/v1/contacts", Some(json!({"queue_id": c.queue, "customer_id": SECRETS[0], "vip": true, "attributes": attributes})), StatusCode::CREATED)
            .await;
        let contact = b["contact"]["contact_id"].as_u64().unwrap();
        let mut desk = app.events("/api/v1/stream/desktop", &c.ana_token).await;
        let snap = desk.next(Duration::from_secs(5)).await.unwrap();
        assert_eq!(snap.data["contacts"][0]["details"]["customer_id"], SECRETS[0], "the desktop does get it");
        app.call(Method::POST, &format!("/api/v1/agents/{ana}/accept"), Some(&c.ana_token), Some(json!({"contact_id": contact}))).await;
        app.call(Method::POST, &format!("/api/v1/contacts/{contact}/end"), Some(&c.ana_token), None).await;
        app.call(Method::POST, &format!("/api/v1/agents/{ana}/wrap-up-done"), Some(&c.ana_token), Some(json!({"contact_id": contact}))).await;
        // Refused input carrying personal data.
        let long = format!("{}{}", SECRETS[0], "x".repeat(200));
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": c.queue, "customer_id": long})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!b.to_string().contains(SECRETS[0]), "errors do not echo personal data either: {b}");
        let (s, b) = app.post("/api/v1/contacts", json!({"queue_id": c.queue, "attributes": {"email": [SECRETS[3]]}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!b.to_string().contains(SECRETS[3]), "{b}");
        let (s, _) = app.post("/api/v1/contacts", json!({"queue_id": 9999, "customer_id": SECRETS[0]})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Wait for the record (written after the commit), then restart: the replay reads
        // the event log, which holds the details, and logs nothing of them.
        for _ in 0..50 {
            let (_, page) = app.get("/api/v1/contact-records").await;
            if page["records"].as_array().is_some_and(|r| !r.is_empty()) {
                assert_eq!(page["records"][0]["customer_id"], SECRETS[0]);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let app = app.restart().await;
        let (s, _) = app.get("/api/v1/contacts").await;
        assert_eq!(s, StatusCode::OK);
    })
    .await;
    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
    assert!(text.lines().count() > 20, "the logs were captured:\n{text}");
    assert!(
        text.contains("routing engine rebuilt from the event log"),
        "{text}"
    );
    for secret in SECRETS {
        let line = text.lines().find(|l| l.contains(secret));
        assert!(
            line.is_none(),
            "{secret:?} was logged: {}",
            line.unwrap_or_default()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_personal_data_in_logs_sqlite() {
    no_personal_data_in_logs(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_personal_data_in_logs_postgres() {
    no_personal_data_in_logs(Backend::Postgres).await;
}
