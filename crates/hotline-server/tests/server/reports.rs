//! Reports through the API: a hand-made day imported through the API, then reported
//! with exact numbers (JSON and the CLI's CSV), charts, agents confined to their own
//! records, and bad parameters named.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::helpers::{both, center, TestApp};
use super::imports::{post_csv, RECORDS};

/// GET with a token: status, content type, body text.
async fn get_text(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, String, String) {
    let mut req = app.http.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("the server answers");
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ct, resp.text().await.unwrap_or_default())
}

const PERIOD: &str = "from=2026-03-02T16:00&to=2026-03-02T17:00&timezone=Asia/Shanghai";

both! {
    async fn an_imported_day_reports_exact_numbers(app) {
        let c = center(&app).await;
        let (s, b) = post_csv(&app, "/api/v1/imports/records", Some(&app.admin), RECORDS).await;
        assert_eq!(s, StatusCode::OK, "{b}");

        // CSV: the CLI's columns and bytes (ReportTable::to_csv), checked by hand:
        // Billing 16:00 — c1 (wait 10 s, talk 180 s), c2 (30 s, 120 s), c3 abandoned
        // after 40 s: SL 1/3, ASA 20 s, AHT 150 s, abandon rate 1/3.
        let (s, ct, csv) = get_text(&app, &format!("/api/v1/reports?{PERIOD}&format=csv"), Some(&app.admin)).await;
        assert_eq!(s, StatusCode::OK, "{csv}");
        assert_eq!(ct, "text/csv; charset=utf-8");
        assert_eq!(csv, "\
interval_start,queue,offered,answered,abandoned,service_level,asa_s,aht_s,abandon_rate
2026-03-02T16:00:00+08:00,Billing enquiries,3,2,1,33.3333,20,150,33.3333
2026-03-02T16:00:00+08:00,Complaints,1,1,0,100,5,300,0
2026-03-02T16:30:00+08:00,Billing enquiries,1,1,0,100,15,120,0
2026-03-02T16:30:00+08:00,Complaints,0,0,0,,,,
");
        // With totals, as `--totals`.
        let (_, _, csv) = get_text(&app, &format!("/api/v1/reports?{PERIOD}&format=csv&totals=true&kpi=offered,asa_s"), Some(&app.admin)).await;
        assert_eq!(csv, "\
interval_start,queue,offered,asa_s
2026-03-02T16:00:00+08:00,Billing enquiries,3,20
2026-03-02T16:00:00+08:00,Complaints,1,5
2026-03-02T16:30:00+08:00,Billing enquiries,1,15
2026-03-02T16:30:00+08:00,Complaints,0,
total,Billing enquiries,4,18.3333
total,Complaints,1,5
total,,5,15
");

        // JSON: rows, totals and the KPI definitions.
        let (s, r) = app.get(&format!("/api/v1/reports?{PERIOD}&interval=1h&kpi=offered&kpi=service_level,abandon_rate")).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["interval"], "1h");
        assert_eq!(r["group_by"], json!(["queue"]));
        assert_eq!(r["kpis"], json!(["offered", "service_level", "abandon_rate"]));
        assert_eq!(r["rows"][0], json!({"interval_start": "2026-03-02T16:00:00+08:00", "groups": ["Billing enquiries"], "values": [4.0, 50.0, 25.0]}));
        assert_eq!(r["rows"][1]["values"], json!([1.0, 100.0, 0.0]));
        assert_eq!(r["total"]["values"], json!([5.0, 60.0, 20.0]));
        assert_eq!(r["definitions"][1]["id"], "service_level");
        assert_eq!(r["definitions"][1]["names"]["zh-CN"], "服务水平（占进线量）");
        assert_eq!(r["stats"]["records"], 5);

        // By agent: the abandoned contact has no agent.
        let (_, r) = app.get(&format!("/api/v1/reports?{PERIOD}&interval=day&by=agent&kpi=answered")).await;
        let groups: Vec<Value> = r["totals"].as_array().unwrap().iter().map(|t| json!([t["groups"][0], t["values"][0]])).collect();
        assert_eq!(groups, vec![json!([null, 0.0]), json!(["ana", 3.0]), json!(["ben", 1.0])]);

        // An agent sees only their own records (forced), another agent's is a 403.
        let (s, r) = app.call(Method::GET, &format!("/api/v1/reports?{PERIOD}&interval=1h&kpi=offered,asa_s"), Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["rows"][0]["values"], json!([2.0, 12.5]));
        assert_eq!(r["rows"][1]["values"], json!([1.0, 5.0]));
        let (s, r) = app.call(Method::GET, &format!("/api/v1/reports?{PERIOD}&by=agent&agent=ana"), Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let (s, r) = app.call(Method::GET, &format!("/api/v1/reports?{PERIOD}&agent=ana"), Some(&c.ben_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{r}");
        let (s, _) = app.call(Method::GET, &format!("/api/v1/reports/chart?{PERIOD}&kpi=offered&agent=ana"), Some(&c.ben_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Supervisors filter by anyone.
        let (s, r) = app.call(Method::GET, &format!("/api/v1/reports?{PERIOD}&interval=1h&agent=ben&kpi=answered"), Some(&c.sup_token), None).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["total"]["values"], json!([1.0]));

        // Charts: SVG.
        for q in ["kpi=service_level", "kpi=offered&chart=bar", "chart=histogram&sl_threshold=30s", "kpi=asa_s&lang=zh-CN"] {
            let (s, ct, svg) = get_text(&app, &format!("/api/v1/reports/chart?{PERIOD}&{q}"), Some(&c.sup_token)).await;
            assert_eq!(s, StatusCode::OK, "{q}: {svg}");
            assert_eq!(ct, "image/svg+xml");
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{q}");
        }
        let (_, _, svg) = get_text(&app, &format!("/api/v1/reports/chart?{PERIOD}&kpi=asa_s&lang=zh-CN"), Some(&app.admin)).await;
        assert!(svg.contains("平均应答速度"), "{svg}");
        let (_, _, svg) = get_text(&app, &format!("/api/v1/reports/chart?{PERIOD}&chart=histogram"), Some(&app.admin)).await;
        assert!(svg.contains("Service level threshold 20 s"), "{svg}");
        assert!(svg.contains("hc-histogram"), "{svg}");
    }
}

both! {
    async fn bad_parameters_are_named(app) {
        let c = center(&app).await;
        for (query, status, field) in [
            ("interval=7m", 422, "interval"),
            ("by=colour", 422, "by"),
            ("kpi=nope", 422, "kpi"),
            ("kpi=csat", 422, "kpi"),
            ("kpi=offered,offered", 422, "kpi"),
            ("from=2026-03-02&to=2026-03-01", 422, "to"),
            ("from=yesterday", 422, "from"),
            ("timezone=Mars/Olympus", 422, "timezone"),
            ("sl_threshold=soon", 422, "sl_threshold"),
            ("format=xml", 422, "format"),
            ("queue=Nowhere", 422, "queue"),
            ("team=Nobody", 422, "team"),
            ("agent=nobody", 422, "agent"),
            ("from=2020-01-01&to=2026-01-01&interval=15m", 422, "interval"),
            ("colour=red", 400, "colour"),
        ] {
            let (s, b) = app.get(&format!("/api/v1/reports?{query}")).await;
            assert_eq!(s.as_u16(), status, "{query}: {b}");
            assert_eq!(b["field"], field, "{query}: {b}");
            assert!(b["detail"].as_str().unwrap().contains(field), "{query}: {b}");
        }
        let (s, b) = app.get("/api/v1/reports/chart?kpi=offered,answered").await;
        assert_eq!((s, b["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kpi")), "{b}");
        let (s, b) = app.get("/api/v1/reports/chart?kpi=offered&chart=pie").await;
        assert_eq!((s, b["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("chart")), "{b}");
        // No token: 401; the registry is open to everyone.
        let (s, _) = app.call(Method::GET, "/api/v1/reports", None, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, k) = app.call(Method::GET, "/api/v1/kpis", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK);
        let csat = k.as_array().unwrap().iter().find(|d| d["id"] == "csat").unwrap();
        assert_eq!(csat["availability"], "not_fed_yet");
        assert_eq!(k[0]["id"], "offered");
        assert_eq!(k[0]["names"]["es"], "Contactos ofrecidos");
        assert_eq!(k[0]["unit"], "count");
        // An empty default report (yesterday by 30 min by queue) is fine.
        let (s, r) = app.get("/api/v1/reports").await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["interval"], "30m");
    }
}

both! {
    async fn the_reports_page_runs_a_report(app) {
        let c = center(&app).await;
        let (s, b) = post_csv(&app, "/api/v1/imports/records", Some(&app.admin), RECORDS).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let page = |token: Option<String>, query: &'static str| {
            let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            let mut req = http.get(app.url(&format!("/reports{query}")));
            if let Some(t) = token {
                req = req.header("cookie", format!("hotline_session={t}; hotline_lang=en"));
            }
            req.send()
        };
        let resp = page(None, "").await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/login?next=/reports");
        let q = "?from=2026-03-02&to=2026-03-03&timezone=Asia/Shanghai&interval=1h&by=queue&kpi=offered&kpi=asa_s&queue=";
        let resp = page(Some(c.sup_token.clone()), q).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let html = resp.text().await.unwrap();
        assert!(html.contains(r#"<tr><th scope="row">16:00</th><td>Billing enquiries</td><td class="num">4</td><td class="num">18.3 s</td></tr>"#), "{html}");
        assert!(html.contains("hc-line-chart") && html.contains("hc-histogram"));
        // An agent sees their own contacts only.
        let html = page(Some(c.ana_token.clone()), q).await.unwrap().text().await.unwrap();
        assert!(html.contains("You see your own contacts only."));
        assert!(html.contains(r#"<tr><th scope="row">16:00</th><td>Billing enquiries</td><td class="num">2</td><td class="num">12.5 s</td></tr>"#), "{html}");
        // A bad setting: the page names it, with a 422.
        let resp = page(Some(c.sup_token.clone()), "?interval=7m").await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(resp.text().await.unwrap().contains("interval = &#34;7m&#34; is not allowed"));
    }
}
