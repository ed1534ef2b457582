//! The OpenAPI document (generated from the handlers' annotations) and `/api/docs`, a
//! small self-contained page that renders it: no third-party files, nothing downloaded.

use std::sync::Arc;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use crate::error::{Code, Problem};
use crate::runtime::tracker::DesktopEvent;

/// The fixed part of the document; the paths come from the routers.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Hotline API",
        description = "Contact-center routing, organisation and live state. Every route but \
            login needs credentials: `Authorization: Bearer <token>` (from login), the \
            `hotline_session` cookie, or `X-API-Key`. Errors are RFC 9457 problem documents \
            with a stable `code` (see the table on /api/docs).",
        license(name = "Apache-2.0"),
    ),
    modifiers(&Security),
    security(("bearer" = []), ("api_key" = []), ("cookie" = [])),
    components(schemas(Problem, DesktopEvent)),
    tags(
        (name = "auth", description = "Login, sessions and API keys"),
        (name = "organisation", description = "Sites, departments, teams and skills"),
        (name = "people", description = "People, their passwords and skills"),
        (name = "queues", description = "Queues and routing settings"),
        (name = "cti", description = "Telephony and chat adapters: contacts arrive, end, transfer"),
        (name = "desktop", description = "Agent desktop: presence, offers, wrap-up"),
        (name = "live", description = "Live queue and agent state; push streams (server-sent events)"),
        (name = "records", description = "Contact records: one per finished contact"),
        (name = "imports", description = "Contact records, Asterisk queue_log and agent-state history from other platforms"),
        (name = "reports", description = "The KPI registry and interval reports (JSON, CSV, SVG charts)"),
        (name = "management", description = "Morning briefing, weekly complaint analysis, balanced scorecard"),
    )
)]
pub struct ApiDoc;

#[derive(Debug)]
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from POST /api/v1/auth/login, or an API key"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("hotline_session"))),
        );
    }
}

/// `/api/openapi.json` and `/api/docs`.
pub fn router<S: Clone + Send + Sync + 'static>(doc: Document) -> Router<S> {
    let json: Arc<String> = Arc::new(doc.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    let page: Arc<String> = Arc::new(docs_page());
    Router::new()
        .route(
            "/api/openapi.json",
            get(move || {
                let json = json.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        (*json).clone(),
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/api/docs",
            get(move || {
                let page = page.clone();
                async move { Html((*page).clone()).into_response() as Response }
            }),
        )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page: the error-code table is rendered here (so `/api/docs#error-<code>` links
/// resolve); the operations are rendered in the browser from `/api/openapi.json`.
fn docs_page() -> String {
    let mut codes = String::new();
    for code in Code::ALL {
        codes.push_str(&format!(
            "<tr id=\"error-{c}\"><td><code>{c}</code></td><td>{s}</td><td>{t}</td></tr>\n",
            c = code.as_str(),
            s = code.status().as_u16(),
            t = escape(code.title()),
        ));
    }
    DOCS_HTML.replace("{{ERROR_CODES}}", &codes)
}

const DOCS_HTML: &str = r##"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hotline API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:14px 24px}header a{color:#9cc4ff}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
h2{margin-top:32px;border-bottom:1px solid #d6dae0;padding-bottom:4px}
details{background:#fff;border:1px solid #d6dae0;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 12px;display:flex;gap:12px;align-items:baseline}
.m{font:600 12px monospace;padding:2px 6px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.get{background:#2b7bb9}.post{background:#2f9e44}.put{background:#c27c0e}.delete{background:#c92a2a}
.p{font-family:monospace}.s{color:#5c6470}
.body{padding:4px 16px 12px}table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #d6dae0;padding:4px 8px;text-align:left;vertical-align:top}
pre{background:#f0f2f5;padding:8px;overflow:auto;font-size:13px}
</style></head><body>
<header><strong>Hotline API</strong> — generated from the server's code.
Raw document: <a href="/api/openapi.json">/api/openapi.json</a></header>
<main>
<p id="intro"></p>
<div id="ops">Loading…</div>
<h2 id="errors">Error codes</h2>
<p>Every error is an <code>application/problem+json</code> document:
<code>{"type","code","title","status","detail","field"}</code>; <code>field</code> names the
body field, path or query parameter concerned.</p>
<table><tr><th>code</th><th>status</th><th>meaning</th></tr>
{{ERROR_CODES}}</table>
<h2>Schemas</h2><div id="schemas"></div>
</main>
<script>
const esc = s => String(s ?? "").replace(/[&<>]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;"}[c]));
const ref = r => r && r.$ref ? r.$ref.split("/").pop() : null;
function schemaText(s) {
  if (!s) return "";
  const r = ref(s); if (r) return `<a href="#schema-${r}">${r}</a>`;
  if (s.type === "array") return `[${schemaText(s.items)}]`;
  return esc(s.type || "object");
}
fetch("/api/openapi.json").then(r => r.json()).then(doc => {
  document.getElementById("intro").textContent = doc.info.description || "";
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths || {}))
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== "object" || !op.responses) continue;
      const tag = (op.tags || ["other"])[0];
      (byTag[tag] = byTag[tag] || []).push({path, method, op});
    }
  let html = "";
  for (const t of (doc.tags || []).map(t => t.name).concat(Object.keys(byTag)).filter((v,i,a)=>a.indexOf(v)===i)) {
    if (!byTag[t]) continue;
    const info = (doc.tags || []).find(x => x.name === t);
    html += `<h2>${esc(t)}</h2><p class="s">${esc(info && info.description)}</p>`;
    for (const {path, method, op} of byTag[t]) {
      const open = op.security && op.security.length === 1 && Object.keys(op.security[0]).length === 0;
      html += `<details><summary><span class="m ${method}">${method.toUpperCase()}</span>`
        + `<span class="p">${esc(path)}</span><span class="s">${esc(op.summary)}${open ? " (no credentials)" : ""}</span></summary><div class="body">`
        + `<p>${esc(op.description)}</p>`;
      if (op.parameters && op.parameters.length) {
        html += `<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>`;
        for (const p of op.parameters) html += `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${schemaText(p.schema)}</td><td>${esc(p.description)}</td></tr>`;
        html += `</table>`;
      }
      if (op.requestBody) {
        const c = op.requestBody.content || {};
        const k = Object.keys(c)[0];
        html += `<p>Body (${esc(k)}): ${schemaText(c[k] && c[k].schema)}</p>`;
      }
      html += `<table><tr><th>status</th><th>description</th><th>body</th></tr>`;
      for (const [code, r] of Object.entries(op.responses)) {
        const c = r.content || {}; const k = Object.keys(c)[0];
        html += `<tr><td>${esc(code)}</td><td>${esc(r.description)}</td><td>${k ? esc(k) + " " + schemaText(c[k].schema) : ""}</td></tr>`;
      }
      html += `</table></div></details>`;
    }
  }
  document.getElementById("ops").innerHTML = html;
  let sh = "";
  for (const [name, s] of Object.entries((doc.components || {}).schemas || {})) {
    sh += `<details id="schema-${esc(name)}"><summary><span class="p">${esc(name)}</span><span class="s">${esc(s.description)}</span></summary>`
      + `<div class="body"><pre>${esc(JSON.stringify(s, null, 2))}</pre></div></details>`;
  }
  document.getElementById("schemas").innerHTML = sh;
  if (location.hash) { const el = document.getElementById(location.hash.slice(1)); if (el) { el.open = true; el.scrollIntoView(); } }
}).catch(e => { document.getElementById("ops").textContent = "Could not load /api/openapi.json: " + e; });
</script>
</body></html>
"##;
