//! Rendering tests: each page drawn from hand-written API documents, checked for the
//! figures, words and markup a person (and a screen reader) relies on.

use std::collections::HashMap;

use askama::Template;

use super::desktop::{desk, DesktopPage, PanelFragment};
use super::i18n::{Lang, EN, ES, ZH_CN};
use super::login::LoginPage;
use super::page::Chrome;
use super::wallboard::{board, BoardFragment, WallboardPage};
use crate::api::dto::{AgentOut, Wallboard};

fn wallboard_doc() -> Wallboard {
    serde_json::from_value(serde_json::json!({
        "at": "2026-11-23T02:15:30.000Z",
        "counters_since": "2026-11-22T16:00:00.000Z",
        "queues": [
            {
                "queue_id": 1, "name": "Billing <enquiries>", "waiting": 4, "waiting_callbacks": 1,
                "ringing": 0, "oldest_wait_ms": 45000, "entered": 110, "offered": 100,
                "answered": 90, "answered_within_threshold": 81, "abandoned": 8,
                "abandon_rate": 0.08, "callbacks_requested": 2, "transferred_out": 0,
                "handled": 85,
                "service_level": {"of_offered": 0.81, "of_answered": 0.9, "asterisk_sl2": 0.85},
                "service_level_threshold_s": 20, "target_service_level_pct": 80.0,
                "asa_ms": 12400, "aht_ms": 240000, "estimated_wait_ms": 30000,
                "agents": {"online": 12, "available": 0, "offered": 1, "on_contact": 9,
                           "wrap_up": 1, "not_ready": [{"reason": "lunch", "count": 1}]}
            },
            {
                "queue_id": 2, "name": "Gold club", "waiting": 0, "waiting_callbacks": 0,
                "ringing": 0, "oldest_wait_ms": null, "entered": 10, "offered": 10,
                "answered": 6, "answered_within_threshold": 5, "abandoned": 4,
                "abandon_rate": 0.4, "callbacks_requested": 0, "transferred_out": 0,
                "handled": 6,
                "service_level": {"of_offered": 0.5, "of_answered": 0.8333, "asterisk_sl2": 0.6},
                "service_level_threshold_s": 10, "target_service_level_pct": 90.0,
                "asa_ms": 4000, "aht_ms": 200000, "estimated_wait_ms": null,
                "agents": {"online": 3, "available": 1, "offered": 0, "on_contact": 2,
                           "wrap_up": 0, "not_ready": []}
            }
        ],
        "agents": [
            {"agent_id": 7, "display_name": "Ana Ruiz", "team_id": 3,
             "state": {"state": "not_ready", "reason": "lunch"},
             "presence": {"state": "not_ready", "reason": "lunch"}, "since": null,
             "time_in_state_ms": 754000, "slots": 1, "contacts": [], "contacts_accepted": 4},
            {"agent_id": 8, "display_name": "Li Wei", "team_id": 3,
             "state": {"state": "on_contact"}, "presence": {"state": "ready"}, "since": null,
             "time_in_state_ms": 61000, "slots": 1,
             "contacts": [{"contact_id": 5, "queue_id": 1, "phase": "connected"}],
             "contacts_accepted": 9}
        ],
        "totals": {"online": 2, "available": 0, "offered": 0, "on_contact": 1, "wrap_up": 0,
                   "not_ready": [{"reason": "lunch", "count": 1}]}
    }))
    .unwrap()
}

fn anon_chrome(lang: Lang) -> Chrome {
    Chrome::anonymous(lang, "Test", "/test", "test")
}

#[test]
fn wallboard_shows_each_figure_against_its_target_with_its_definition() {
    let teams = HashMap::from([(3, "Team Pearl".to_string())]);
    let b = board(&wallboard_doc(), &teams, &EN, "Asia/Shanghai");
    // Centre: SL = (81 + 5) / (100 + 10), target weighted by offered (80·100 + 90·10)/110.
    let sl = b.kpis.iter().find(|k| k.key == "service_level").unwrap();
    assert_eq!(sl.value, "78.2 %");
    assert_eq!(sl.note, "target 80.9 %");
    assert_eq!(sl.status.class(), "warn");
    let asa = b.kpis.iter().find(|k| k.key == "asa").unwrap();
    // (12.4 s · 90 + 4 s · 6) / 96 = 11.875 s.
    assert_eq!(asa.value, "11.9 s");
    assert_eq!(
        b.kpis.iter().find(|k| k.key == "abandoned").unwrap().value,
        "10.9 %"
    );
    assert_eq!(b.since, "Counting since 2026-11-23 00:00");
    assert_eq!(b.at, "2026-11-23 10:15");

    let html = WallboardPage {
        chrome: anon_chrome(Lang::En),
        t: &EN,
        board: b,
        fragment_url: "/wallboard/board".into(),
    }
    .render()
    .unwrap();
    // The queue's name is escaped, its figures and service-level definitions are shown.
    assert!(html.contains("Billing &#60;enquiries&#62;"), "{html}");
    assert!(!html.contains("Billing <enquiries>"));
    assert!(html.contains("answered within 20 s ÷ offered"));
    assert!(html.contains("answered within 10 s ÷ offered"));
    assert!(html.contains("of answered 90.0 % · SL2 85.0 %"));
    assert!(html.contains("target 90 %"));
    assert!(html.contains("1 callbacks"));
    // Billing: oldest 45 s > 2 × 20 s → red; SL 81 % ≥ 80 % → green; abandon 8 % → amber.
    assert!(html.contains(r#"<span class="status st-bad"><span aria-hidden="true">✕</span> <span data-tick="45000">0:45</span>"#), "{html}");
    assert!(html.contains(r#"<span class="status st-good sl-value" data-field="service_level" title="On target"><span aria-hidden="true">✓</span> 81.0 %"#), "{html}");
    assert!(html.contains(r#"<span class="status st-warn"><span aria-hidden="true">!</span> 8.0 %<span class="sr-only"> Near target</span>"#), "{html}");
    // The SVG bar carries a text alternative.
    assert!(html.contains(r#"aria-label="Service level 50.0 % against a target of 90 %""#));
    // Agents: busiest first, reason and time in state, team name.
    let li = html.find("Li Wei").unwrap();
    let ana = html.find("Ana Ruiz").unwrap();
    assert!(li < ana, "on contact sorts before not ready");
    assert!(html.contains("Not ready</span> · Lunch"));
    assert!(html.contains(r#"data-tick="754000">12:34</span>"#));
    assert!(html.contains("Team Pearl"));
    // Live wiring.
    assert!(html.contains(r#"data-stream="/api/v1/stream/wallboard""#));
    assert!(html.contains(r#"data-fragment="/wallboard/board""#));
}

#[test]
fn the_board_fragment_is_the_same_board_without_the_layout() {
    let b = board(&wallboard_doc(), &HashMap::new(), &ZH_CN, "UTC");
    let html = BoardFragment {
        t: &ZH_CN,
        board: b,
    }
    .render()
    .unwrap();
    assert!(!html.contains("<html"));
    assert!(html.contains("20 秒内接通数 ÷ 呼入数"));
    assert!(html.contains("未就绪</span> · 午餐"));
    assert!(html.contains("服务水平"));
}

#[test]
fn an_empty_centre_says_what_to_do() {
    let mut w = wallboard_doc();
    w.queues.clear();
    w.agents.clear();
    let html = BoardFragment {
        t: &ES,
        board: board(&w, &HashMap::new(), &ES, "UTC"),
    }
    .render()
    .unwrap();
    assert!(html.contains(ES.no_queues));
    assert!(html.contains(ES.no_agents));
}

fn agent_with_offer() -> AgentOut {
    serde_json::from_value(serde_json::json!({
        "agent_id": 7, "display_name": "Ana Ruiz", "team_id": 3,
        "state": {"state": "offered"}, "presence": {"state": "ready"},
        "since": "2026-11-23T02:15:00.000Z",
        "time_in_state_ms": 3000, "slots": 1, "contacts_accepted": 4,
        "contacts": [{
            "contact_id": 42, "queue_id": 2, "phase": "offered",
            "entered_queue_at": "2026-11-23T02:14:10.000Z",
            "details": {"channel": "voice", "customer_id": "C-1001", "vip": true,
                        "attributes": {"language": "es", "reason": "roaming", "name": "Mei Lin"}}
        }]
    }))
    .unwrap()
}

#[test]
fn desktop_shows_the_offer_with_customer_and_wait() {
    let queues = HashMap::from([(2, "Gold club".to_string())]);
    let d = desk(
        &agent_with_offer(),
        &queues,
        &EN,
        "2026-11-23T02:15:30.000Z",
    );
    assert_eq!(d.offers.len(), 1);
    assert_eq!(d.offers[0].waited, "1:20");
    let html = DesktopPage {
        chrome: anon_chrome(Lang::En),
        t: &EN,
        heading: "Agent desktop".into(),
        agent_id: 7,
        choices: Vec::new(),
        desk: Ok(d),
    }
    .render()
    .unwrap();
    assert!(html.contains(r#"data-offer="42""#));
    assert!(
        html.contains(
            r#"<dd class="customer">Mei Lin<span class="customer-id">C-1001</span></dd>"#
        ),
        "{html}"
    );
    assert!(html.contains("VIP — gold club member"));
    assert!(html.contains("Gold club"));
    assert!(
        html.contains(r#"data-tick="80000">1:20</strong>"#),
        "{html}"
    );
    assert!(html.contains(r#"data-action="accept" data-contact="42""#));
    assert!(html.contains(r#"data-action="reject" data-contact="42""#));
    assert!(html.contains("roaming"));
    assert!(html.contains(r#"data-stream="/api/v1/stream/desktop?agent_id=7""#));
    // Ringing: ready already, so no "Ready" button; not-ready picker offered.
    assert!(!html.contains(r#"data-action="ready""#));
    assert!(html.contains(r#"<option value="lunch">Lunch</option>"#));
    // The engine's own reasons are not offered to pick.
    assert!(!html.contains(r#"value="no_answer""#));
}

#[test]
fn desktop_buttons_follow_the_state() {
    let mut a = agent_with_offer();
    a.contacts.clear();
    a.state = serde_json::from_value(serde_json::json!({"state": "logged_out"})).unwrap();
    a.presence = a.state.clone();
    let html = PanelFragment {
        t: &ES,
        desk: Ok(desk(&a, &HashMap::new(), &ES, "2026-11-23T02:15:30.000Z")),
    }
    .render()
    .unwrap();
    assert!(html.contains(r#"data-action="login""#));
    assert!(html.contains(ES.idle_logged_out));
    assert!(!html.contains(r#"data-action="not-ready""#));

    a.state = serde_json::from_value(serde_json::json!({"state": "wrap_up"})).unwrap();
    a.presence = serde_json::from_value(serde_json::json!({"state": "ready"})).unwrap();
    a.contacts = serde_json::from_value(serde_json::json!([
        {"contact_id": 9, "queue_id": 1, "phase": "wrap_up"}
    ]))
    .unwrap();
    let html = PanelFragment {
        t: &ZH_CN,
        desk: Ok(desk(
            &a,
            &HashMap::new(),
            &ZH_CN,
            "2026-11-23T02:15:30.000Z",
        )),
    }
    .render()
    .unwrap();
    assert!(html.contains(r#"data-action="wrap-up-done" data-contact="9""#));
    assert!(html.contains("话后处理"));
    assert!(html.contains("未知客户"));
    assert!(html.contains(r#"data-action="logout""#));

    a.state = serde_json::from_value(serde_json::json!({"state": "on_contact"})).unwrap();
    // Went not ready during the call: it applies once the contact is done.
    a.presence =
        serde_json::from_value(serde_json::json!({"state": "not_ready", "reason": "meeting"}))
            .unwrap();
    a.contacts = serde_json::from_value(serde_json::json!([
        {"contact_id": 9, "queue_id": 1, "phase": "connected"}
    ]))
    .unwrap();
    let html = PanelFragment {
        t: &EN,
        desk: Ok(desk(&a, &HashMap::new(), &EN, "2026-11-23T02:15:30.000Z")),
    }
    .render()
    .unwrap();
    assert!(html.contains(r#"data-action="end" data-contact="9""#));
    assert!(
        html.contains("Not ready · Meeting — takes effect when this contact is finished"),
        "{html}"
    );
    assert!(
        html.contains(r#"data-action="ready""#),
        "ready again cancels the pending not ready"
    );
    assert!(html.contains(r#"<option value="meeting" selected>Meeting</option>"#));
    // Logging out is refused while connected, so it is not offered.
    assert!(!html.contains(r#"data-action="logout""#));
}

#[test]
fn login_page_shows_the_error_next_to_the_field_and_keeps_no_password() {
    let html = LoginPage {
        chrome: anon_chrome(Lang::ZhCn),
        t: &ZH_CN,
        next: "/wallboard".into(),
        username: "ana\"><script>".into(),
        error: Some(ZH_CN.login_error_credentials.into()),
        error_field: Some("password"),
        notice: None,
    }
    .render()
    .unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains(r#"role="alert" id="login-error">用户名或密码错误。"#));
    assert!(html.contains(r#"type="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="login-error""#), "{html}");
    assert!(!html.contains("<script>\""));
    assert!(html.contains(r#"name="next" value="/wallboard""#));
    // The switch lists the three languages, the current one marked.
    assert!(
        html.contains(r#"data-lang="zh-CN" aria-current="true">简体中文</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/lang?lang=es&#38;next=/test""#),
        "{html}"
    );
}

#[test]
fn the_agents_can_be_narrowed_to_one_team() {
    let mut w = wallboard_doc();
    w.agents[1].team_id = Some(4);
    let teams = HashMap::from([(3, "Pearl".to_string()), (4, "Jade".to_string())]);
    let mut b = board(&w, &teams, &EN, "UTC");
    super::wallboard::filter_team(&mut b, &teams, Some(4), &EN);
    let names: Vec<&str> = b.agents.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Li Wei"]);
    let chips: Vec<(&str, bool)> = b
        .teams
        .iter()
        .map(|c| (c.label.as_str(), c.current))
        .collect();
    assert_eq!(
        chips,
        [
            ("All teams (2)", false),
            ("Jade (1)", true),
            ("Pearl (1)", false)
        ]
    );
    assert_eq!(b.teams[1].href, "/wallboard?team=4");
    // One team only: no filter to offer.
    let mut one = board(&wallboard_doc(), &teams, &EN, "UTC");
    super::wallboard::filter_team(&mut one, &teams, None, &EN);
    assert!(one.teams.is_empty());
}

#[test]
fn a_connected_callback_shows_its_talk_time_and_what_to_do() {
    let mut a = agent_with_offer();
    a.state = serde_json::from_value(serde_json::json!({"state": "on_contact"})).unwrap();
    a.contacts[0] = serde_json::from_value(serde_json::json!({
        "contact_id": 42, "queue_id": 2, "phase": "connected",
        "entered_queue_at": "2026-11-23T02:14:10.000Z",
        "answered_at": "2026-11-23T02:15:00.000Z",
        "callback": true,
        "details": {"channel": "voice", "customer_id": "C-1001", "vip": false, "attributes": {}}
    }))
    .unwrap();
    let d = desk(&a, &HashMap::new(), &ZH_CN, "2026-11-23T02:17:05.000Z");
    assert!(d.offers.is_empty());
    let held: Vec<_> = d.connected.iter().collect();
    assert_eq!(held.len(), 1);
    assert!(held[0].callback);
    assert_eq!(
        (held[0].talked_ms, held[0].talked.as_str()),
        (Some(125_000), "2:05")
    );
    let html = DesktopPage {
        chrome: anon_chrome(Lang::ZhCn),
        t: &ZH_CN,
        heading: "坐席工作台".into(),
        agent_id: 7,
        choices: Vec::new(),
        desk: Ok(d),
    }
    .render()
    .unwrap();
    let talk = format!(
        r#"<dt>{}</dt><dd><strong data-tick="125000">2:05</strong>"#,
        ZH_CN.talk_time
    );
    assert!(html.contains(&talk), "{html}");
    assert!(html.contains(ZH_CN.offer_callback), "{html}");
}

#[test]
fn each_role_is_shown_the_sections_it_may_open() {
    use super::page::Section;
    use hotline_store::Role;
    let visible = |role: Role| -> Vec<&'static str> {
        Section::ALL
            .into_iter()
            .filter(|s| s.allows(role))
            .map(|s| s.label(&EN))
            .collect()
    };
    assert_eq!(
        visible(Role::Agent),
        ["Agent desktop", "Reports", "Scorecard"]
    );
    assert_eq!(
        visible(Role::Quality),
        [
            "Wallboard",
            "Reports",
            "Morning briefing",
            "Complaints",
            "Scorecard"
        ]
    );
    assert_eq!(
        visible(Role::Manager),
        [
            "Wallboard",
            "Agent desktop",
            "Reports",
            "Morning briefing",
            "Complaints",
            "Scorecard",
            "Administration"
        ]
    );
    assert_eq!(Section::Scorecard.label(&ZH_CN), "平衡计分卡");
    assert_eq!(Section::Briefing.label(&ES), "Informe matutino");
}
