//! Imports through the API: contact records and agent states as CSV bodies, all or
//! nothing by default (a 422 naming the line and field, nothing stored), skip_bad,
//! re-imports that change nothing, and who may import.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::helpers::{both, center, TestApp};

/// The hand-made day of reports.rs: five contacts on 2026-03-02 between 08:00 and
/// 08:45 UTC in two queues.
pub const RECORDS: &str = "\
contact_id,queue,channel,arrived_at,answered_at,ended_at,agent,outcome
c1,Billing enquiries,voice,2026-03-02T08:00:00Z,2026-03-02T08:00:10Z,2026-03-02T08:03:10Z,ana,answered
c2,Billing enquiries,voice,2026-03-02T08:05:00Z,2026-03-02T08:05:30Z,2026-03-02T08:07:30Z,ben,answered
c3,Billing enquiries,voice,2026-03-02T08:10:00Z,,2026-03-02T08:10:40Z,,abandoned
c4,Complaints,voice,2026-03-02T08:20:00Z,2026-03-02T08:20:05Z,2026-03-02T08:25:05Z,ana,answered
c5,Billing enquiries,voice,2026-03-02T08:40:00Z,2026-03-02T08:40:15Z,2026-03-02T08:42:15Z,ana,answered
";

/// POSTs `body` as text/csv.
pub async fn post_csv(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(app.url(path))
        .header("content-type", "text/csv")
        .body(body.to_owned());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("the server answers");
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn stored_records(app: &TestApp) -> usize {
    let (s, b) = app.get("/api/v1/contact-records?limit=1000").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["records"].as_array().unwrap().len()
}

both! {
    async fn records_import_all_or_nothing_skip_bad_and_again(app) {
        let _c = center(&app).await;
        let bad = RECORDS.replace("c3,Billing enquiries,voice,2026-03-02T08:10:00Z", "c3,Billing enquiries,voice,2026-03-02T25:10:00Z");
        // All or nothing: the 422 names the line and the field; nothing is stored.
        let (s, b) = post_csv(&app, "/api/v1/imports/records", Some(&app.admin), &bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["code"], "invalid_field");
        assert_eq!(b["field"], "arrived_at");
        assert_eq!(b["rejected"], 1);
        assert_eq!(b["rejects"][0]["line"], 4);
        assert_eq!(b["rejects"][0]["field"], "arrived_at");
        assert_eq!(b["rejects"][0]["value"], "2026-03-02T25:10:00Z");
        assert!(b["detail"].as_str().unwrap().contains("nothing was imported"), "{b}");
        assert_eq!(stored_records(&app).await, 0);
        assert_eq!(app.get("/api/v1/imports").await.1, serde_json::json!([]));

        // skip_bad: the good rows, and the rejects in the answer.
        let (s, b) = post_csv(&app, "/api/v1/imports/records?skip_bad=true&source=day.csv", Some(&app.admin), &bad).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["already_imported"], false);
        assert_eq!(b["rejected"], 1);
        assert_eq!(b["rejects"][0]["line"], 4);
        assert_eq!(b["import"]["records_accepted"], 4);
        assert_eq!(b["import"]["source"], "day.csv");
        assert_eq!(b["import"]["kind"], "records");
        assert_eq!(stored_records(&app).await, 4);

        // The same bytes again: nothing changes, and the answer says so.
        let (s, again) = post_csv(&app, "/api/v1/imports/records?skip_bad=true", Some(&app.admin), &bad).await;
        assert_eq!(s, StatusCode::OK, "{again}");
        assert_eq!(again["already_imported"], true);
        assert_eq!(again["import"]["id"], b["import"]["id"]);
        assert_eq!(stored_records(&app).await, 4);

        // The good file: the missing contact is added, the four already stored are duplicates.
        let (s, b) = post_csv(&app, "/api/v1/imports/records", Some(&app.admin), RECORDS).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["import"]["records_accepted"], 1);
        assert_eq!(b["import"]["records_duplicate"], 4);
        assert_eq!(stored_records(&app).await, 5);
        // again=true reimports: everything is a duplicate.
        let (s, b) = post_csv(&app, "/api/v1/imports/records?again=true", Some(&app.admin), RECORDS).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["already_imported"], false);
        assert_eq!(b["import"]["records_accepted"], 0);
        assert_eq!(b["import"]["records_duplicate"], 5);

        let (s, runs) = app.get("/api/v1/imports").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(runs.as_array().unwrap().len(), 3, "{runs}");

        // A missing column: 422 before anything happens.
        let (s, b) = post_csv(&app, "/api/v1/imports/records", Some(&app.admin), "contact_id,queue\nx,y\n").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(b["field"], "body");
        // Bad options name themselves.
        let (s, b) = post_csv(&app, "/api/v1/imports/records?timezone=Mars/Olympus", Some(&app.admin), RECORDS).await;
        assert_eq!((s, b["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("timezone")), "{b}");
        let (s, b) = post_csv(&app, "/api/v1/imports/records?colour=red", Some(&app.admin), RECORDS).await;
        assert_eq!((s, b["field"].as_str()), (StatusCode::BAD_REQUEST, Some("colour")), "{b}");
        // JSON is not a file.
        let (s, b) = app.post("/api/v1/imports/records", serde_json::json!({})).await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{b}");
    }
}

both! {
    async fn mapped_columns_and_agent_states(app) {
        let _c = center(&app).await;
        let export = "CallID,Skill,Media,Start,Answer,End,Who,Result\n\
                      m1,Billing enquiries,voice,2026-03-02 09:00:00,2026-03-02 09:00:12,2026-03-02 09:02:12,ana,COMPLETE\n";
        let map = "CallID=contact_id,Skill=queue,Media=channel,Start=arrived_at,Answer=answered_at,End=ended_at,Who=agent,Result=outcome";
        // Their outcome names need a TOML mapping.
        let toml = format!("[columns]\n{}\n[values.outcome]\nCOMPLETE = \"answered\"\n",
            map.split(',').map(|p| { let (a, b) = p.split_once('=').unwrap(); format!("{a} = \"{b}\"") }).collect::<Vec<_>>().join("\n"));
        let path = format!("/api/v1/imports/records?timezone=Asia/Shanghai&map={}", urlencode(&toml));
        let (s, b) = post_csv(&app, &path, Some(&app.admin), export).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["import"]["records_accepted"], 1);
        let (_, recs) = app.get("/api/v1/contact-records").await;
        assert_eq!(recs["records"][0]["arrived_at"], "2026-03-02T01:00:00.000Z");

        let states = "agent,state,reason,from,to\n\
                      ana,ready,,2026-03-02T08:00:00Z,2026-03-02T08:30:00Z\n\
                      ana,busy,,2026-03-02T08:30:00Z,2026-03-02T09:00:00Z\n";
        let (s, b) = post_csv(&app, "/api/v1/imports/agent-states", Some(&app.admin), states).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["import"]["states_accepted"], 2);
        let (s, r) = app.get("/api/v1/reports?from=2026-03-02T08:00:00Z&to=2026-03-02T09:00:00Z&by=agent&kpi=occupancy,logged_in_hours&agent=ana&timezone=UTC").await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let rows = r["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{r}");
        assert_eq!(rows[0]["values"], serde_json::json!([0.0, 0.5]));
        assert_eq!(rows[1]["values"], serde_json::json!([100.0, 0.5]));
        // Agent time belongs to no queue.
        let (s, r) = app.get("/api/v1/reports?from=2026-03-02&by=queue&kpi=occupancy").await;
        assert_eq!((s, r["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("by")), "{r}");
    }
}

both! {
    async fn only_managers_import(app) {
        let c = center(&app).await;
        let (s, b) = post_csv(&app, "/api/v1/imports/records", None, RECORDS).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
        for token in [&c.ana_token, &c.sup_token] {
            for path in ["/api/v1/imports/records", "/api/v1/imports/queue-log", "/api/v1/imports/agent-states"] {
                let (s, b) = post_csv(&app, path, Some(token), RECORDS).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{path}: {b}");
            }
            let (s, _) = app.call(Method::GET, "/api/v1/imports", Some(token), None).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
        }
        assert_eq!(stored_records(&app).await, 0);
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
