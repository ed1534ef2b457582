//! Organisation CRUD and validation: every bad input is a 4xx problem naming the field.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::helpers::{both, center};

both! {
    async fn organisation_crud_round_trips(app) {
        let site = app.ok(Method::POST, "/api/v1/sites", Some(json!({"name": "Jilin", "time_zone": "Asia/Shanghai"})), StatusCode::CREATED).await;
        let id = site["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/sites/{id}")).await.1, site);
        let renamed = app.ok(Method::PUT, &format!("/api/v1/sites/{id}"), Some(json!({"name": "Jilin 10060", "time_zone": "Asia/Shanghai"})), StatusCode::OK).await;
        assert_eq!(renamed["name"], "Jilin 10060");
        let dept = app.ok(Method::POST, "/api/v1/departments", Some(json!({"site_id": id, "name": "Hotline"})), StatusCode::CREATED).await;
        let (s, b) = app.delete(&format!("/api/v1/sites/{id}")).await;
        assert_eq!(s, StatusCode::CONFLICT, "a site with departments: {b}");
        assert_eq!(b["code"], "conflict");
        let (_, list) = app.get(&format!("/api/v1/departments?site_id={id}")).await;
        assert_eq!(list, json!([dept]));
        let team = app.ok(Method::POST, "/api/v1/teams", Some(json!({"department_id": dept["id"], "name": "Team 1"})), StatusCode::CREATED).await;
        let lead = app.ok(Method::POST, "/api/v1/people", Some(json!({
            "username": "li.na", "display_name": "Li Na", "role": "supervisor", "tier": "senior", "team_id": team["id"],
        })), StatusCode::CREATED).await;
        assert_eq!(lead["active"], true);
        let team = app.ok(Method::PUT, &format!("/api/v1/teams/{}", team["id"]), Some(json!({"department_id": dept["id"], "name": "Team 1", "leader_id": lead["id"]})), StatusCode::OK).await;
        assert_eq!(team["leader_id"], lead["id"]);
        let (_, people) = app.get(&format!("/api/v1/people?team_id={}&role=supervisor", team["id"])).await;
        assert_eq!(people, json!([lead]));

        // Skills: a person's proficiency is routing input; the engine follows at once.
        let skill = app.ok(Method::POST, "/api/v1/skills", Some(json!({"name": "faults", "description": "Fault reports"})), StatusCode::CREATED).await;
        let skills = app.ok(Method::PUT, &format!("/api/v1/people/{}/skills", lead["id"]), Some(json!([{"skill_id": skill["id"], "proficiency": 5}])), StatusCode::OK).await;
        assert_eq!(skills, json!([{"skill_id": skill["id"], "proficiency": 5}]));
        let agent = lead["id"].as_i64().unwrap() as u32;
        let engine_skills = app
            .state
            .runtime()
            .query(move |l, _| l.engine.config().agents.iter().find(|a| a.id.0 == agent).map(|a| a.skills.clone()))
            .await
            .unwrap()
            .expect("the person is an agent of the engine");
        assert_eq!(engine_skills.len(), 1);
        assert_eq!(engine_skills[0].1.get(), 5);
        let (s, b) = app.delete(&format!("/api/v1/skills/{}", skill["id"])).await;
        assert_eq!(s, StatusCode::CONFLICT, "a skill in use: {b}");

        // Queues with routing steps reach the engine; deleting an empty one works.
        let q = app.ok(Method::POST, "/api/v1/queues", Some(json!({
            "name": "Fault reports", "skill_id": skill["id"], "min_proficiency": 3,
            "routing_steps": [{"after_s": 45, "action": {"type": "relax_proficiency", "min": 2}},
                              {"after_s": 90, "action": {"type": "add_team", "team_id": team["id"]}}],
        })), StatusCode::CREATED).await;
        assert_eq!(q["service_level_threshold_s"], 20);
        assert_eq!(q["wrap_up"], json!({"mode": "fixed", "seconds": 0}));
        let qid = q["id"].as_i64().unwrap() as u32;
        let steps = app
            .state
            .runtime()
            .query(move |l, _| l.engine.config().queues.iter().find(|c| c.id.0 == qid).map(|c| c.steps.len()))
            .await
            .unwrap();
        assert_eq!(steps, Some(2));
        let mut changed = q.clone();
        changed["base_priority"] = json!(10);
        changed.as_object_mut().unwrap().remove("id");
        let updated = app.ok(Method::PUT, &format!("/api/v1/queues/{qid}"), Some(changed), StatusCode::OK).await;
        assert_eq!(updated["base_priority"], 10);
        let priority = app
            .state
            .runtime()
            .query(move |l, _| l.engine.config().queues.iter().find(|c| c.id.0 == qid).map(|c| c.priority))
            .await
            .unwrap();
        assert_eq!(priority, Some(10));
        let (s, _) = app.delete(&format!("/api/v1/queues/{qid}")).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let gone = app.state.runtime().query(move |l, _| l.engine.config().queues.iter().any(|c| c.id.0 == qid)).await.unwrap();
        assert!(!gone);
        let (s, b) = app.get(&format!("/api/v1/queues/{qid}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(b["code"], "not_found");
    }
}

both! {
    async fn bad_input_is_a_problem_naming_the_field(app) {
        let c = center(&app).await;
        let problem = |s: StatusCode, b: &serde_json::Value, status: u16, code: &str, field: Option<&str>| {
            assert_eq!(s.as_u16(), status, "{b}");
            assert_eq!(b["status"], status, "{b}");
            assert_eq!(b["code"], code, "{b}");
            assert_eq!(b["type"], format!("/api/docs#error-{code}"));
            assert!(b["title"].is_string() && b["detail"].is_string(), "{b}");
            if let Some(f) = field {
                assert_eq!(b["field"], f, "{b}");
            }
        };
        let (s, b) = app.post("/api/v1/sites", json!({"name": "X", "time_zone": "Mars/Olympus"})).await;
        problem(s, &b, 422, "invalid_field", Some("time_zone"));
        let (s, b) = app.post("/api/v1/sites", json!({"name": "X"})).await;
        problem(s, &b, 422, "invalid_field", Some("time_zone"));
        let (s, b) = app.post("/api/v1/sites", json!({"name": "X", "time_zone": "UTC", "colour": "red"})).await;
        problem(s, &b, 422, "invalid_field", None);
        assert!(b["detail"].as_str().unwrap().contains("colour"), "{b}");
        let (s, b) = app.post("/api/v1/people", json!({"username": "Bad Name", "display_name": "x", "role": "agent"})).await;
        problem(s, &b, 422, "invalid_field", Some("username"));
        let (s, b) = app.post("/api/v1/people", json!({"username": "ok", "display_name": "x", "role": "boss"})).await;
        problem(s, &b, 422, "invalid_field", Some("role"));
        let (s, b) = app.post("/api/v1/people", json!({"username": "ok", "display_name": "x", "role": "agent", "password": "short"})).await;
        problem(s, &b, 422, "invalid_field", Some("password"));
        assert!(!b["detail"].as_str().unwrap().contains("short"), "never echo a password: {b}");
        let (s, b) = app.post("/api/v1/people", json!({"username": "ana", "display_name": "x", "role": "agent"})).await;
        problem(s, &b, 409, "conflict", None);
        let (s, b) = app.put(&format!("/api/v1/people/{}/skills", c.ana), json!([{"skill_id": c.skill, "proficiency": 9}])).await;
        problem(s, &b, 422, "invalid_field", Some("[0].proficiency"));
        let (s, b) = app.post("/api/v1/queues", json!({"name": "Q", "skill_id": c.skill, "min_proficiency": 3,
            "routing_steps": [{"after_s": 30, "action": {"type": "relax_proficiency", "min": 3}}]})).await;
        problem(s, &b, 422, "invalid_field", Some("routing_steps[0].action.min"));
        let (s, b) = app.post("/api/v1/queues", json!({"name": "Q", "skill_id": c.skill, "service_level_threshold_s": 0})).await;
        problem(s, &b, 422, "invalid_field", Some("service_level_threshold_s"));
        let (s, b) = app.post("/api/v1/queues", json!({"name": "Q", "skill_id": c.skill, "wrap_up": {"mode": "fixed", "seconds": "ten"}})).await;
        problem(s, &b, 422, "invalid_field", Some("wrap_up"));
        let (s, b) = app.post("/api/v1/queues", json!({"name": "Q", "skill_id": 4242})).await;
        problem(s, &b, 422, "invalid_field", Some("skill_id"));
        // Not JSON at all, or no JSON content type.
        let resp = app.http.post(app.url("/api/v1/sites")).bearer_auth(&app.admin)
            .header("content-type", "application/json").body("{\"name\": ").send().await.unwrap();
        let s = resp.status();
        let b: serde_json::Value = resp.json().await.unwrap();
        problem(s, &b, 400, "malformed_json", None);
        let resp = app.http.post(app.url("/api/v1/sites")).bearer_auth(&app.admin).body("name=x").send().await.unwrap();
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        let s = resp.status();
        let b: serde_json::Value = resp.json().await.unwrap();
        problem(s, &b, 415, "unsupported_media_type", None);
        let (s, b) = app.get("/api/v1/people?active=perhaps").await;
        problem(s, &b, 400, "invalid_parameter", None);
        let (s, b) = app.get("/api/v1/no-such-thing").await;
        problem(s, &b, 404, "route_not_found", None);
        let (s, b) = app.call(Method::PATCH, "/api/v1/sites", Some(&app.admin), None).await;
        problem(s, &b, 405, "method_not_allowed", None);
        // Deactivating a logged-in agent waits for them to log out.
        app.call(Method::POST, &format!("/api/v1/agents/{}/login", c.ben), Some(&c.ben_token), None).await;
        let (s, b) = app.put(&format!("/api/v1/people/{}", c.ben), json!({
            "username": "ben", "display_name": "BEN", "role": "agent", "tier": "junior", "team_id": c.team, "active": false})).await;
        problem(s, &b, 409, "invalid_state", None);
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{}/logout", c.ben), Some(&c.sup_token), None).await;
        assert_eq!(s, StatusCode::OK, "a supervisor logs Ben out: {b}");
        let (s, b) = app.put(&format!("/api/v1/people/{}", c.ben), json!({
            "username": "ben", "display_name": "BEN", "role": "agent", "tier": "junior", "team_id": c.team, "active": false})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let ben = c.ben as u32;
        let in_engine = app.state.runtime().query(move |l, _| l.engine.agent(hotline_routing::AgentId(ben)).is_some()).await.unwrap();
        assert!(!in_engine, "an inactive person is no agent");
    }
}
