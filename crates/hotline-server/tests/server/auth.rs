//! Authentication and authorisation: 401 without credentials, 403 for the wrong role,
//! agents confined to themselves, API keys, cookies, logout, throttling, and the route
//! table matching the router.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::helpers::{both, center, ADMIN_PASSWORD};

both! {
    async fn every_route_needs_credentials_and_the_right_role(app) {
        let c = center(&app).await;
        let doc: serde_json::Value = app.http.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                let m: Method = method.to_uppercase().parse().unwrap();
                let concrete = path.replace("{id}", "1");
                let (s, b) = app.call(m.clone(), &concrete, None, Some(json!({}))).await;
                if path == "/api/v1/auth/login" {
                    assert_ne!(s, StatusCode::UNAUTHORIZED);
                    continue;
                }
                assert_eq!(s, StatusCode::UNAUTHORIZED, "{m} {path} without credentials: {b}");
                assert_eq!(b["code"], "unauthenticated");
                // The table names this route (else even the admin would get a 403).
                let roles = hotline_server::auth::policy::roles_for(&m, path);
                assert!(roles.is_some(), "{m} {path} is missing from the authorisation table");
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked} routes");
        // …and the table lists nothing the router does not serve.
        for rule in hotline_server::auth::policy::all() {
            let method = rule.method.as_str().to_lowercase();
            assert!(doc["paths"][rule.path][&method].is_object(), "{} {} in the table but not served", rule.method, rule.path);
        }
        let bogus = "hls_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let (s, _) = app.call(Method::GET, "/api/v1/queues", Some(bogus), None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = app.call(Method::GET, "/api/v1/queues", Some("garbage"), None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);

        // Wrong role: 403, naming the role and the route.
        for (method, path) in [
            (Method::POST, "/api/v1/people"),
            (Method::GET, "/api/v1/people"),
            (Method::POST, "/api/v1/contacts"),
            (Method::GET, "/api/v1/api-keys"),
            (Method::GET, "/api/v1/stream/wallboard"),
            (Method::DELETE, "/api/v1/queues/1"),
        ] {
            let (s, b) = app.call(method.clone(), path, Some(&c.ana_token), Some(json!({}))).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "agent on {method} {path}: {b}");
            assert_eq!(b["code"], "forbidden");
            assert!(b["detail"].as_str().unwrap().contains("agent role"), "{b}");
        }
        let (s, _) = app.call(Method::POST, "/api/v1/people", Some(&c.sup_token), Some(json!({}))).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "supervisors do not manage people");
        let (s, _) = app.call(Method::GET, "/api/v1/api-keys", Some(&c.sup_token), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

both! {
    async fn an_agent_reads_and_acts_only_as_themselves(app) {
        let c = center(&app).await;
        let (s, me) = app.call(Method::GET, "/api/v1/auth/me", Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["role"], "agent");
        assert_eq!(me["person"]["id"], c.ana);
        for path in [
            format!("/api/v1/people/{}", c.sup),
            format!("/api/v1/people/{}", c.ben),
            format!("/api/v1/people/{}/skills", c.ben),
            format!("/api/v1/agents/{}", c.ben),
            format!("/api/v1/stream/desktop?agent_id={}", c.ben),
            format!("/api/v1/contact-records?agent_id={}", c.ben),
        ] {
            let (s, b) = app.call(Method::GET, &path, Some(&c.ana_token), None).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path}: {b}");
        }
        for action in ["login", "ready", "logout"] {
            let (s, _) = app.call(Method::POST, &format!("/api/v1/agents/{}/{action}", c.ben), Some(&c.ana_token), None).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{action} as Ben");
        }
        let (s, _) = app.call(Method::GET, &format!("/api/v1/people/{}", c.ana), Some(&c.ana_token), None).await;
        assert_eq!(s, StatusCode::OK);
        // A supervisor acts on anyone; quality reads anyone's records but acts for nobody.
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agents/{}/login", c.ben), Some(&c.sup_token), None).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        app.post("/api/v1/people", json!({"username": "qa", "display_name": "QA", "role": "quality", "password": "qa-password"})).await;
        let qa = app.login("qa", "qa-password").await;
        let (s, _) = app.call(Method::GET, &format!("/api/v1/contact-records?agent_id={}", c.ben), Some(&qa), None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = app.call(Method::POST, &format!("/api/v1/agents/{}/ready", c.ben), Some(&qa), None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Only an admin makes admins.
        let manager = app.ok(Method::POST, "/api/v1/people", Some(json!({"username": "mgr", "display_name": "M", "role": "manager", "password": "mgr-password"})), StatusCode::CREATED).await;
        let mgr = app.login("mgr", "mgr-password").await;
        let (s, b) = app.call(Method::POST, "/api/v1/people", Some(&mgr), Some(json!({"username": "boss", "display_name": "B", "role": "admin"}))).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        let (s, _) = app.call(Method::POST, "/api/v1/people", Some(&mgr), Some(json!({"username": "newbie", "display_name": "N", "role": "agent"}))).await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(manager["role"], "manager");
    }
}

both! {
    async fn sessions_cookies_keys_and_logins(app) {
        let c = center(&app).await;
        // Wrong password, unknown user: the same 401.
        for (u, p) in [("ana", "wrong-password"), ("nobody", "whatever-pass")] {
            let (s, b) = app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"username": u, "password": p}))).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
            assert_eq!(b["code"], "invalid_credentials");
            assert_eq!(b["detail"], "the username or password is wrong");
        }
        // The login answer sets an HttpOnly, SameSite=Strict cookie that works alone.
        let resp = app.http.post(app.url("/api/v1/auth/login")).json(&json!({"username": "ben", "password": "ben-password"})).send().await.unwrap();
        let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("hotline_session=hls_") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(body["person"]["username"], "ben");
        let pair = cookie.split(';').next().unwrap().to_string();
        let me = app.http.get(app.url("/api/v1/auth/me")).header("cookie", &pair).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        // Logout ends that session only.
        let out = app.http.post(app.url("/api/v1/auth/logout")).header("cookie", &pair).send().await.unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        let me = app.http.get(app.url("/api/v1/auth/me")).header("cookie", &pair).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        let (s, _) = app.call(Method::GET, "/api/v1/auth/me", Some(&c.ben_token), None).await;
        assert_eq!(s, StatusCode::OK);

        // API keys: a role, X-API-Key or bearer, revocable.
        let key = app.ok(Method::POST, "/api/v1/api-keys", Some(json!({"name": "ivr", "role": "supervisor"})), StatusCode::CREATED).await;
        let secret = key["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("hlk_"));
        let r = app.http.get(app.url("/api/v1/realtime/queues")).header("x-api-key", &secret).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let (s, me) = app.call(Method::GET, "/api/v1/auth/me", Some(&secret), None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["api_key"], "ivr");
        let (_, keys) = app.get("/api/v1/api-keys").await;
        assert!(keys.as_array().unwrap().iter().all(|k| k.get("secret").is_none()), "{keys}");
        app.ok(Method::DELETE, &format!("/api/v1/api-keys/{}", key["id"]), None, StatusCode::OK).await;
        let r = app.http.get(app.url("/api/v1/realtime/queues")).header("x-api-key", &secret).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

        // Changing one's password ends every session and answers a new one.
        let (s, b) = app.call(Method::PUT, "/api/v1/auth/password", Some(&c.ben_token), Some(json!({"current_password": "nope-nope", "new_password": "new-ben-password"}))).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
        assert_eq!(b["field"], "current_password");
        let (s, b) = app.call(Method::PUT, "/api/v1/auth/password", Some(&c.ben_token), Some(json!({"current_password": "ben-password", "new_password": "new-ben-password"}))).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, _) = app.call(Method::GET, "/api/v1/auth/me", Some(&c.ben_token), None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        app.login("ben", "new-ben-password").await;

        // Five failures pause the username.
        for _ in 0..5 {
            app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"username": "sue", "password": "wrong-wrong"}))).await;
        }
        let (s, b) = app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"username": "sue", "password": "sue-password"}))).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{b}");
        // The admin logged in with the password from the settings.
        app.login("admin", ADMIN_PASSWORD).await;
        assert_eq!(c.sup_token.len(), 47);
    }
}
