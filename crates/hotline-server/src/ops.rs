//! Operations: health and readiness probes, Prometheus metrics, HTTP latency and request
//! logging. Request logs carry the method, the route *pattern* and the status — never
//! the raw URI or bodies, so no customer data reaches the logs.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde::Serialize;

use crate::error::{ApiError, Code};
use crate::runtime::Status;
use crate::state::AppState;

/// Latency buckets (seconds): fine below 20 ms, where the event API should live.
const BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 10.0,
];

/// The process-wide Prometheus recorder (installed on first use; several servers in one
/// process, as in tests, share it).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("hotline_commit_batch_entries".into()),
                        &[
                            1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 5000.0,
                        ],
                    )
                })
                .map(PrometheusBuilder::build_recorder)
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
            }
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                })
                .ok();
            handle
        })
        .clone()
}

/// `/healthz`, `/readyz`, `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

/// The process answers.
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[derive(Serialize)]
struct Ready {
    status: &'static str,
    database: &'static str,
    engine: &'static str,
}

/// Ready to serve: the database answers and the engine is rebuilt (not recovering).
async fn readyz(State(state): State<AppState>) -> Response {
    let engine = match state.runtime().status() {
        Status::Ready => "ready",
        Status::Replaying => "replaying",
        Status::Recovering => "recovering",
        Status::Stopped => "stopped",
    };
    let database = match tokio::time::timeout(Duration::from_secs(2), state.store().ping()).await {
        Ok(Ok(())) => "ok",
        _ => "unreachable",
    };
    let ready = engine == "ready" && database == "ok";
    let body = Json(Ready {
        status: if ready { "ready" } else { "not_ready" },
        database,
        engine,
    });
    if ready {
        body.into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics().render(),
    )
        .into_response()
}

/// Records `hotline_http_request_duration_seconds{method,route,status}` and logs one line
/// per request at debug level (errors at info).
pub async fn observe(matched: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = matched
        .as_ref()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let response = next.run(req).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    metrics::histogram!(
        "hotline_http_request_duration_seconds",
        "method" => method,
        "route" => route.clone(),
        "status" => status_label(status),
    )
    .record(elapsed.as_secs_f64());
    if status >= 500 {
        tracing::warn!(%method, route, status, elapsed_us = elapsed.as_micros() as u64, "request failed");
    } else if status >= 400 {
        tracing::info!(%method, route, status, elapsed_us = elapsed.as_micros() as u64, "request refused");
    } else {
        tracing::debug!(%method, route, status, elapsed_us = elapsed.as_micros() as u64, "request");
    }
    response
}

fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The status as a label without allocating for the usual ones.
fn status_label(status: u16) -> metrics::SharedString {
    const KNOWN: &[(u16, &str)] = &[
        (200, "200"),
        (201, "201"),
        (204, "204"),
        (301, "301"),
        (302, "302"),
        (303, "303"),
        (304, "304"),
        (400, "400"),
        (401, "401"),
        (403, "403"),
        (404, "404"),
        (405, "405"),
        (409, "409"),
        (413, "413"),
        (415, "415"),
        (422, "422"),
        (429, "429"),
        (500, "500"),
        (502, "502"),
        (503, "503"),
        (504, "504"),
    ];
    match KNOWN.iter().find(|(code, _)| *code == status) {
        Some((_, text)) => metrics::SharedString::const_str(text),
        None => metrics::SharedString::from(status.to_string()),
    }
}

/// 404 for unknown routes, as a problem document.
pub async fn not_found() -> ApiError {
    ApiError::new(
        Code::RouteNotFound,
        "there is no route with this path; see /api/docs",
    )
}

/// 405 as a problem document.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        Code::MethodNotAllowed,
        "this route does not accept this method; see /api/docs",
    )
}

/// A panic in a handler becomes a 500 problem (and an error log), never a dropped
/// connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal(&"a request handler panicked").into_response()
}
