//! The UI's words in English, Simplified Chinese and Spanish: one catalogue per language.
//!
//! A catalogue is a struct with one field per text, so a text missing from a language
//! does not compile, and a template naming a text that does not exist does not compile
//! either (askama checks field access). The tests check what the compiler cannot: no
//! empty text, the same `{placeholders}` in every language, and no text left in English
//! in the other two by copy and paste.
//!
//! The language comes from the `hotline_lang` cookie (set by the switch on every page),
//! else from the browser's `Accept-Language`, else English.

use axum::http::{header, HeaderMap};

/// The cookie holding the chosen language.
pub const LANG_COOKIE: &str = "hotline_lang";

/// A language of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    ZhCn,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, in the switch's order.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhCn, Lang::Es];

    /// The BCP 47 tag (`lang` attribute, cookie value).
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
            Lang::Es => "es",
        }
    }

    /// The language's own name, for the switch.
    pub const fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
            Lang::Es => "Español",
        }
    }

    /// Its catalogue.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::ZhCn => &ZH_CN,
            Lang::Es => &ES,
        }
    }

    /// The language of a tag (`es-MX` → Spanish, `zh-Hans-CN` → Chinese); `None` for
    /// languages the UI does not have. Traditional Chinese tags are not taken for
    /// Simplified.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        match parts.next()? {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest
                    .iter()
                    .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
                (!traditional).then_some(Lang::ZhCn)
            }
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the highest `q` among the
    /// languages the UI has (ties: the order given).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(tag) = parts.next() else { continue };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::parse(tag) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    /// The language of a request: the cookie, else `Accept-Language`, else English.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| Lang::parse(value));
        cookie
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or(Lang::En)
    }
}

/// Replaces each `{name}` in `text` by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

macro_rules! catalogue {
    ($($key:ident),+ $(,)?) => {
        /// Every text of the UI in one language.
        #[derive(Debug)]
        pub struct Texts {
            $(
                #[allow(missing_docs)]
                pub $key: &'static str,
            )+
        }

        impl Texts {
            /// Every (key, text), for the tests and for the scripts' strings.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)+]
            }
        }
    };
}

catalogue! {
    app_name, skip_to_content, nav_label, nav_wallboard, nav_desktop, nav_admin, nav_api, nav_reports, nav_briefing,
    nav_complaints, nav_scorecard,
    language, change_language, signed_in_as, logout, footer,
    live_connected, live_connecting, live_offline, updated, none, yes, no, minutes_short,
    role_admin, role_manager, role_supervisor, role_quality, role_trainer, role_agent,
    tier_junior, tier_intermediate, tier_senior, tier_expert,
    channel_voice, channel_chat, channel_email, channel_messaging, channel_video,
    // login
    login_title, login_intro, username, password, sign_in, login_error_credentials,
    login_error_throttled, login_error_missing, login_error_unavailable, session_ended,
    signed_out,
    // wallboard
    wallboard_title, headline_label, kpi_waiting, kpi_answer_rate, kpi_service_level,
    kpi_abandoned, kpi_asa, kpi_agents_available, counters_since, queues_heading,
    col_queue, col_waiting, col_oldest_wait, col_service_level, col_asa, col_abandon_rate,
    col_offered_answered, col_agents, col_estimated_wait, sl_of_offered_def,
    sl_of_answered_def, sl_sl2_def, sl_of_answered_short, sl_sl2_short, sl_target,
    sl_chart_label, waiting_callbacks, agents_available_of, status_good, status_warn,
    status_bad, status_none, no_queues, vip_queue, floor_heading, floor_chart_label,
    agents_heading, agents_filter_label, all_teams, no_agents, state_logged_out, state_ready, state_offered,
    state_on_contact, state_wrap_up, state_not_ready, time_in_state, holding_contacts,
    targets_note,
    // reasons
    reason_break, reason_lunch, reason_meeting, reason_training, reason_coaching,
    reason_back_office, reason_outbound, reason_technical_problem, reason_personal,
    reason_logged_in, reason_rejected, reason_no_answer, reason_other,
    // desktop
    desktop_title, desktop_for, choose_agent, show, your_state, btn_login_queues,
    btn_logout_queues, btn_ready, btn_not_ready, reason_label, offer_heading, offer_queue,
    offer_customer, offer_unknown_customer, offer_waited, offer_vip, offer_callback,
    offer_channel, offer_attributes, btn_accept, btn_reject, on_contact_heading, btn_end,
    talk_time, wrap_up_heading, wrap_up_hint, btn_wrap_up_done, idle_ready,
    idle_not_ready, idle_logged_out, pending_not_ready, contacts_today, not_an_agent, action_failed,
    // admin
    admin_title, admin_nav_label, tab_people, tab_teams, tab_skills, tab_queues, btn_new,
    btn_edit, btn_save, btn_cancel, btn_delete, btn_close, confirm_delete, saved, deleted,
    form_has_errors, problem_prefix, field_username, field_display_name, field_role,
    field_tier, field_team, field_active, field_password, field_password_hint_new,
    field_password_hint_edit, field_skills, proficiency, proficiency_hint, field_name,
    field_department, field_leader, field_description, field_channel, field_skill,
    field_min_proficiency, field_base_priority, field_aging_rate, field_aging_cap,
    field_sl_threshold, field_sl_target, field_wrap_up, wrap_up_fixed, wrap_up_manual,
    wrap_up_seconds, field_expected_handle_time, routing_steps, routing_steps_hint,
    step_after, step_action, step_relax, step_add_skill, step_add_team, step_min,
    btn_add_step, btn_remove_step, no_steps, col_name, col_username, col_role, col_tier,
    col_team, col_active, col_skills, col_leader, col_members, col_department,
    col_description, col_priority, col_channel, col_skill, col_sl, col_wrap_up, col_steps,
    col_actions, people_count, new_person, edit_person, new_team, edit_team, new_skill,
    edit_skill, new_queue, edit_queue, no_department, search_people, filter_role,
    all_roles, seconds_suffix, points_per_second,
    // errors
    forbidden_title, forbidden_text, not_found_title, not_found_text, back_home,
    error_title, error_text,
}

/// English.
pub static EN: Texts = Texts {
    app_name: "Hotline",
    skip_to_content: "Skip to content",
    nav_label: "Main",
    nav_wallboard: "Wallboard",
    nav_desktop: "Agent desktop",
    nav_reports: "Reports",
    nav_briefing: "Morning briefing",
    nav_complaints: "Complaints",
    nav_scorecard: "Scorecard",
    nav_admin: "Administration",
    nav_api: "API",
    language: "Language",
    change_language: "Change",
    signed_in_as: "Signed in as",
    logout: "Sign out",
    footer: "Hotline contact center",
    live_connected: "Live",
    live_connecting: "Connecting…",
    live_offline: "Connection lost — retrying",
    updated: "Updated",
    none: "—",
    yes: "Yes",
    no: "No",
    minutes_short: "min",
    role_admin: "Administrator",
    role_manager: "Manager",
    role_supervisor: "Supervisor",
    role_quality: "Quality analyst",
    role_trainer: "Trainer",
    role_agent: "Agent",
    tier_junior: "Junior",
    tier_intermediate: "Intermediate",
    tier_senior: "Senior",
    tier_expert: "Expert",
    channel_voice: "Voice",
    channel_chat: "Chat",
    channel_email: "E-mail",
    channel_messaging: "Messaging",
    channel_video: "Video",
    login_title: "Sign in",
    login_intro: "Sign in to see your agent desktop, the wallboard or the administration.",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    login_error_credentials: "The username or password is wrong.",
    login_error_throttled: "Too many failed attempts for this username. Wait a few minutes, then try again.",
    login_error_missing: "Enter your username and your password.",
    login_error_unavailable: "The service is unavailable at the moment. Try again shortly.",
    session_ended: "Your session has ended. Please sign in again.",
    signed_out: "You have signed out.",
    wallboard_title: "Wallboard",
    headline_label: "Today at a glance",
    kpi_waiting: "Waiting now",
    kpi_answer_rate: "Answer rate",
    kpi_service_level: "Service level",
    kpi_abandoned: "Abandoned",
    kpi_asa: "Average speed of answer",
    kpi_agents_available: "Agents available",
    counters_since: "Counting since {time}",
    queues_heading: "Queues",
    col_queue: "Queue",
    col_waiting: "Waiting",
    col_oldest_wait: "Oldest wait",
    col_service_level: "Service level",
    col_asa: "ASA",
    col_abandon_rate: "Abandon rate",
    col_offered_answered: "Offered / answered",
    col_agents: "Agents",
    col_estimated_wait: "Est. wait",
    sl_of_offered_def: "answered within {t} s ÷ offered",
    sl_of_answered_def: "answered within {t} s ÷ answered",
    sl_sl2_def: "(answered within {t} s + short abandons) ÷ (answered + abandoned)",
    sl_of_answered_short: "of answered",
    sl_sl2_short: "SL2",
    sl_target: "target {pct}",
    sl_chart_label: "Service level {value} against a target of {target}",
    waiting_callbacks: "{n} callbacks",
    agents_available_of: "{available} free of {online}",
    status_good: "On target",
    status_warn: "Near target",
    status_bad: "Off target",
    status_none: "No data yet",
    no_queues: "No queues yet. An administrator creates them under Administration → Queues.",
    vip_queue: "Priority",
    floor_heading: "Floor",
    floor_chart_label: "Agents by state: {summary}",
    agents_heading: "Agents",
    agents_filter_label: "Show the agents of",
    all_teams: "All teams",
    no_agents: "No agent is logged in.",
    state_logged_out: "Logged out",
    state_ready: "Ready",
    state_offered: "Ringing",
    state_on_contact: "On contact",
    state_wrap_up: "Wrap-up",
    state_not_ready: "Not ready",
    time_in_state: "Time in state",
    holding_contacts: "{n} contacts",
    targets_note: "Colours compare each figure with its target: service level with the queue's target, oldest wait with its threshold T (amber up to 2 T), abandon rate with 5 % (amber up to 10 %).",
    reason_break: "Break",
    reason_lunch: "Lunch",
    reason_meeting: "Meeting",
    reason_training: "Training",
    reason_coaching: "Coaching",
    reason_back_office: "Back-office work",
    reason_outbound: "Outbound calls",
    reason_technical_problem: "Technical problem",
    reason_personal: "Personal time",
    reason_logged_in: "Just logged in",
    reason_rejected: "Rejected an offer",
    reason_no_answer: "Missed an offer",
    reason_other: "Reason {code}",
    desktop_title: "Agent desktop",
    desktop_for: "Desktop of {name}",
    choose_agent: "Agent",
    show: "Show",
    your_state: "State",
    btn_login_queues: "Log in to the queues",
    btn_logout_queues: "Log out of the queues",
    btn_ready: "Ready",
    btn_not_ready: "Not ready",
    reason_label: "Reason",
    offer_heading: "Incoming contact",
    offer_queue: "Queue",
    offer_customer: "Customer",
    offer_unknown_customer: "Unknown customer",
    offer_waited: "Waited",
    offer_vip: "VIP — gold club member",
    offer_callback: "Callback: call the customer back",
    offer_channel: "Channel",
    offer_attributes: "From the IVR",
    btn_accept: "Accept",
    btn_reject: "Reject",
    on_contact_heading: "On contact",
    btn_end: "End contact",
    talk_time: "Talk time",
    wrap_up_heading: "Wrap-up",
    wrap_up_hint: "Finish your notes, then press Done to take the next contact.",
    btn_wrap_up_done: "Done",
    idle_ready: "Waiting for the next contact…",
    idle_not_ready: "You receive no contacts while not ready.",
    idle_logged_out: "You are logged out of the queues.",
    pending_not_ready: "takes effect when this contact is finished",
    contacts_today: "Contacts accepted: {n}",
    not_an_agent: "This person is not an agent of the routing engine (inactive, or not created yet).",
    action_failed: "That did not work:",
    admin_title: "Administration",
    admin_nav_label: "Administration sections",
    tab_people: "People",
    tab_teams: "Teams",
    tab_skills: "Skills",
    tab_queues: "Queues",
    btn_new: "New",
    btn_edit: "Edit",
    btn_save: "Save",
    btn_cancel: "Cancel",
    btn_delete: "Delete",
    btn_close: "Close",
    confirm_delete: "Delete “{name}”? This cannot be undone.",
    saved: "Saved.",
    deleted: "Deleted.",
    form_has_errors: "Please correct the fields marked below.",
    problem_prefix: "The server refused the change:",
    field_username: "Username",
    field_display_name: "Display name",
    field_role: "Role",
    field_tier: "Tier",
    field_team: "Team",
    field_active: "Active (can sign in and take contacts)",
    field_password: "Password",
    field_password_hint_new: "8 characters or more. Leave empty to set it later.",
    field_password_hint_edit: "Leave empty to keep the current password.",
    field_skills: "Skills and proficiency",
    proficiency: "Proficiency",
    proficiency_hint: "1 = novice … 5 = expert; empty = no such skill",
    field_name: "Name",
    field_department: "Department",
    field_leader: "Team leader",
    field_description: "Description",
    field_channel: "Channel",
    field_skill: "Skill",
    field_min_proficiency: "Minimum proficiency",
    field_base_priority: "Priority points",
    field_aging_rate: "Aging (points per second waited)",
    field_aging_cap: "Aging cap (points)",
    field_sl_threshold: "Service-level threshold T (seconds)",
    field_sl_target: "Service-level target (%)",
    field_wrap_up: "Wrap-up",
    wrap_up_fixed: "Fixed time",
    wrap_up_manual: "Until the agent presses Done",
    wrap_up_seconds: "Wrap-up seconds",
    field_expected_handle_time: "Expected handle time (seconds)",
    routing_steps: "Routing steps",
    routing_steps_hint: "After a contact has waited this long in the queue, widen who may take it.",
    step_after: "After (seconds)",
    step_action: "Then",
    step_relax: "Accept a lower proficiency",
    step_add_skill: "Also accept another skill",
    step_add_team: "Also accept a whole team",
    step_min: "Minimum proficiency",
    btn_add_step: "Add a step",
    btn_remove_step: "Remove",
    no_steps: "No steps",
    col_name: "Name",
    col_username: "Username",
    col_role: "Role",
    col_tier: "Tier",
    col_team: "Team",
    col_active: "Active",
    col_skills: "Skills",
    col_leader: "Leader",
    col_members: "Members",
    col_department: "Department",
    col_description: "Description",
    col_priority: "Priority",
    col_channel: "Channel",
    col_skill: "Skill",
    col_sl: "Service level goal",
    col_wrap_up: "Wrap-up",
    col_steps: "Routing steps",
    col_actions: "Actions",
    people_count: "{n} people",
    new_person: "New person",
    edit_person: "Edit person",
    new_team: "New team",
    edit_team: "Edit team",
    new_skill: "New skill",
    edit_skill: "Edit skill",
    new_queue: "New queue",
    edit_queue: "Edit queue",
    no_department: "Create a site and a department first (API: /api/v1/sites, /api/v1/departments).",
    search_people: "Search people",
    filter_role: "Role",
    all_roles: "All roles",
    seconds_suffix: "s",
    points_per_second: "points/s",
    forbidden_title: "Not allowed",
    forbidden_text: "Your role ({role}) cannot open this page.",
    not_found_title: "Page not found",
    not_found_text: "There is no page at this address.",
    back_home: "Back to the start page",
    error_title: "Something went wrong",
    error_text: "The page could not be shown: {detail}",
};

/// Simplified Chinese.
pub static ZH_CN: Texts = Texts {
    app_name: "Hotline 热线",
    skip_to_content: "跳到正文",
    nav_label: "主导航",
    nav_wallboard: "实时监控墙",
    nav_desktop: "坐席工作台",
    nav_reports: "报表",
    nav_briefing: "晨会简报",
    nav_complaints: "投诉分析",
    nav_scorecard: "平衡计分卡",
    nav_admin: "系统管理",
    nav_api: "接口文档",
    language: "语言",
    change_language: "切换",
    signed_in_as: "当前用户",
    logout: "退出登录",
    footer: "Hotline 客户联络中心",
    live_connected: "实时",
    live_connecting: "正在连接…",
    live_offline: "连接中断，正在重试",
    updated: "更新于",
    none: "—",
    yes: "是",
    no: "否",
    minutes_short: "分钟",
    role_admin: "管理员",
    role_manager: "经理",
    role_supervisor: "班组长",
    role_quality: "质检员",
    role_trainer: "培训师",
    role_agent: "坐席",
    tier_junior: "初级",
    tier_intermediate: "中级",
    tier_senior: "高级",
    tier_expert: "专家",
    channel_voice: "语音",
    channel_chat: "在线聊天",
    channel_email: "电子邮件",
    channel_messaging: "短信/消息",
    channel_video: "视频",
    login_title: "登录",
    login_intro: "登录后即可使用坐席工作台、实时监控墙或系统管理。",
    username: "用户名",
    password: "密码",
    sign_in: "登录",
    login_error_credentials: "用户名或密码错误。",
    login_error_throttled: "该用户名尝试失败次数过多，请等待几分钟后再试。",
    login_error_missing: "请输入用户名和密码。",
    login_error_unavailable: "服务暂时不可用，请稍后再试。",
    session_ended: "您的会话已结束，请重新登录。",
    signed_out: "您已退出登录。",
    wallboard_title: "实时监控墙",
    headline_label: "今日概况",
    kpi_waiting: "当前排队",
    kpi_answer_rate: "接通率",
    kpi_service_level: "服务水平",
    kpi_abandoned: "放弃率",
    kpi_asa: "平均应答速度",
    kpi_agents_available: "空闲坐席",
    counters_since: "统计起点：{time}",
    queues_heading: "队列",
    col_queue: "队列",
    col_waiting: "排队数",
    col_oldest_wait: "最长等待",
    col_service_level: "服务水平",
    col_asa: "平均应答",
    col_abandon_rate: "放弃率",
    col_offered_answered: "呼入 / 接通",
    col_agents: "坐席",
    col_estimated_wait: "预计等待",
    sl_of_offered_def: "{t} 秒内接通数 ÷ 呼入数",
    sl_of_answered_def: "{t} 秒内接通数 ÷ 接通数",
    sl_sl2_def: "（{t} 秒内接通数 + 短时放弃数）÷（接通数 + 放弃数）",
    sl_of_answered_short: "按接通计",
    sl_sl2_short: "SL2 口径",
    sl_target: "目标 {pct}",
    sl_chart_label: "服务水平 {value}，目标 {target}",
    waiting_callbacks: "{n} 个回呼",
    agents_available_of: "{online} 人在线，{available} 人空闲",
    status_good: "达标",
    status_warn: "接近目标",
    status_bad: "未达标",
    status_none: "暂无数据",
    no_queues: "还没有队列。管理员可在“系统管理 → 队列”中创建。",
    vip_queue: "优先",
    floor_heading: "现场",
    floor_chart_label: "坐席状态分布：{summary}",
    agents_heading: "坐席",
    agents_filter_label: "显示以下班组的坐席",
    all_teams: "全部班组",
    no_agents: "当前没有坐席登录。",
    state_logged_out: "已签出",
    state_ready: "就绪",
    state_offered: "振铃中",
    state_on_contact: "通话中",
    state_wrap_up: "话后处理",
    state_not_ready: "未就绪",
    time_in_state: "状态时长",
    holding_contacts: "{n} 个联络",
    targets_note: "颜色表示与目标的对比：服务水平对比队列目标；最长等待对比阈值 T（2T 以内为黄色）；放弃率对比 5%（10% 以内为黄色）。",
    reason_break: "小休",
    reason_lunch: "午餐",
    reason_meeting: "会议",
    reason_training: "培训",
    reason_coaching: "辅导",
    reason_back_office: "后台工作",
    reason_outbound: "外呼",
    reason_technical_problem: "技术故障",
    reason_personal: "个人事务",
    reason_logged_in: "刚刚签入",
    reason_rejected: "拒接了来电",
    reason_no_answer: "未应答来电",
    reason_other: "原因 {code}",
    desktop_title: "坐席工作台",
    desktop_for: "{name} 的工作台",
    choose_agent: "坐席",
    show: "查看",
    your_state: "状态",
    btn_login_queues: "签入队列",
    btn_logout_queues: "签出队列",
    btn_ready: "就绪",
    btn_not_ready: "未就绪",
    reason_label: "原因",
    offer_heading: "新的来电",
    offer_queue: "队列",
    offer_customer: "客户",
    offer_unknown_customer: "未知客户",
    offer_waited: "已等待",
    offer_vip: "VIP — 金卡俱乐部会员",
    offer_callback: "回呼：请给客户回电",
    offer_channel: "渠道",
    offer_attributes: "IVR 信息",
    btn_accept: "接听",
    btn_reject: "拒接",
    on_contact_heading: "通话中",
    btn_end: "结束通话",
    talk_time: "通话时长",
    wrap_up_heading: "话后处理",
    wrap_up_hint: "完成记录后，点击“完成”接听下一个联络。",
    btn_wrap_up_done: "完成",
    idle_ready: "等待下一个联络…",
    idle_not_ready: "未就绪期间不会分配联络。",
    idle_logged_out: "您已签出所有队列。",
    pending_not_ready: "将在本次联络结束后生效",
    contacts_today: "已接听：{n}",
    not_an_agent: "此人不是路由引擎中的坐席（未启用或尚未创建）。",
    action_failed: "操作失败：",
    admin_title: "系统管理",
    admin_nav_label: "管理分类",
    tab_people: "人员",
    tab_teams: "班组",
    tab_skills: "技能",
    tab_queues: "队列",
    btn_new: "新建",
    btn_edit: "编辑",
    btn_save: "保存",
    btn_cancel: "取消",
    btn_delete: "删除",
    btn_close: "关闭",
    confirm_delete: "删除“{name}”？此操作无法撤销。",
    saved: "已保存。",
    deleted: "已删除。",
    form_has_errors: "请修改下方标出的字段。",
    problem_prefix: "服务器拒绝了此修改：",
    field_username: "用户名",
    field_display_name: "显示名称",
    field_role: "角色",
    field_tier: "级别",
    field_team: "班组",
    field_active: "启用（可登录并接听联络）",
    field_password: "密码",
    field_password_hint_new: "至少 8 个字符；留空则稍后设置。",
    field_password_hint_edit: "留空则保留当前密码。",
    field_skills: "技能与熟练度",
    proficiency: "熟练度",
    proficiency_hint: "1 = 新手 … 5 = 专家；留空表示不具备该技能",
    field_name: "名称",
    field_department: "部门",
    field_leader: "班组长",
    field_description: "说明",
    field_channel: "渠道",
    field_skill: "技能",
    field_min_proficiency: "最低熟练度",
    field_base_priority: "优先级分值",
    field_aging_rate: "老化速度（每等待一秒加分）",
    field_aging_cap: "老化上限（分）",
    field_sl_threshold: "服务水平阈值 T（秒）",
    field_sl_target: "服务水平目标（%）",
    field_wrap_up: "话后处理",
    wrap_up_fixed: "固定时长",
    wrap_up_manual: "直到坐席点击“完成”",
    wrap_up_seconds: "话后处理秒数",
    field_expected_handle_time: "预计处理时长（秒）",
    routing_steps: "路由步骤",
    routing_steps_hint: "联络在队列中等待到设定时间后，扩大可接听的坐席范围。",
    step_after: "等待（秒）后",
    step_action: "执行",
    step_relax: "接受更低的熟练度",
    step_add_skill: "同时接受另一项技能",
    step_add_team: "同时接受整个班组",
    step_min: "最低熟练度",
    btn_add_step: "添加步骤",
    btn_remove_step: "移除",
    no_steps: "无步骤",
    col_name: "名称",
    col_username: "用户名",
    col_role: "角色",
    col_tier: "级别",
    col_team: "班组",
    col_active: "启用",
    col_skills: "技能",
    col_leader: "班组长",
    col_members: "人数",
    col_department: "部门",
    col_description: "说明",
    col_priority: "优先级",
    col_channel: "渠道",
    col_skill: "技能",
    col_sl: "服务水平目标",
    col_wrap_up: "话后处理",
    col_steps: "路由步骤",
    col_actions: "操作",
    people_count: "共 {n} 人",
    new_person: "新建人员",
    edit_person: "编辑人员",
    new_team: "新建班组",
    edit_team: "编辑班组",
    new_skill: "新建技能",
    edit_skill: "编辑技能",
    new_queue: "新建队列",
    edit_queue: "编辑队列",
    no_department: "请先创建站点和部门（接口：/api/v1/sites、/api/v1/departments）。",
    search_people: "搜索人员",
    filter_role: "角色",
    all_roles: "全部角色",
    seconds_suffix: "秒",
    points_per_second: "分/秒",
    forbidden_title: "无权访问",
    forbidden_text: "您的角色（{role}）无法打开此页面。",
    not_found_title: "页面不存在",
    not_found_text: "此地址没有对应的页面。",
    back_home: "返回首页",
    error_title: "出错了",
    error_text: "页面无法显示：{detail}",
};

/// Spanish.
pub static ES: Texts = Texts {
    app_name: "Hotline",
    skip_to_content: "Saltar al contenido",
    nav_label: "Principal",
    nav_wallboard: "Panel en vivo",
    nav_desktop: "Escritorio del agente",
    nav_reports: "Informes",
    nav_briefing: "Informe matutino",
    nav_complaints: "Reclamaciones",
    nav_scorecard: "Cuadro de mando",
    nav_admin: "Administración",
    nav_api: "API",
    language: "Idioma",
    change_language: "Cambiar",
    signed_in_as: "Sesión de",
    logout: "Cerrar sesión",
    footer: "Centro de contacto Hotline",
    live_connected: "En vivo",
    live_connecting: "Conectando…",
    live_offline: "Conexión perdida — reintentando",
    updated: "Actualizado",
    none: "—",
    yes: "Sí",
    no: "No",
    minutes_short: "min",
    role_admin: "Administrador",
    role_manager: "Gerente",
    role_supervisor: "Supervisor/a",
    role_quality: "Analista de calidad",
    role_trainer: "Formador/a",
    role_agent: "Agente",
    tier_junior: "Júnior",
    tier_intermediate: "Intermedio",
    tier_senior: "Sénior",
    tier_expert: "Experto",
    channel_voice: "Voz",
    channel_chat: "Chat",
    channel_email: "Correo",
    channel_messaging: "Mensajería",
    channel_video: "Vídeo",
    login_title: "Iniciar sesión",
    login_intro: "Inicie sesión para ver su escritorio de agente, el panel en vivo o la administración.",
    username: "Usuario",
    password: "Contraseña",
    sign_in: "Entrar",
    login_error_credentials: "El usuario o la contraseña no son correctos.",
    login_error_throttled: "Demasiados intentos fallidos para este usuario. Espere unos minutos y vuelva a intentarlo.",
    login_error_missing: "Escriba su usuario y su contraseña.",
    login_error_unavailable: "El servicio no está disponible en este momento. Inténtelo de nuevo en breve.",
    session_ended: "Su sesión ha terminado. Vuelva a iniciar sesión.",
    signed_out: "Ha cerrado la sesión.",
    wallboard_title: "Panel en vivo",
    headline_label: "Hoy de un vistazo",
    kpi_waiting: "En espera ahora",
    kpi_answer_rate: "Tasa de atención",
    kpi_service_level: "Nivel de servicio",
    kpi_abandoned: "Abandonadas",
    kpi_asa: "Tiempo medio de respuesta",
    kpi_agents_available: "Agentes libres",
    counters_since: "Contando desde {time}",
    queues_heading: "Colas",
    col_queue: "Cola",
    col_waiting: "En espera",
    col_oldest_wait: "Espera más larga",
    col_service_level: "Nivel de servicio",
    col_asa: "TMR",
    col_abandon_rate: "Tasa de abandono",
    col_offered_answered: "Ofrecidas / atendidas",
    col_agents: "Agentes",
    col_estimated_wait: "Espera estimada",
    sl_of_offered_def: "atendidas en {t} s ÷ ofrecidas",
    sl_of_answered_def: "atendidas en {t} s ÷ atendidas",
    sl_sl2_def: "(atendidas en {t} s + abandonos cortos) ÷ (atendidas + abandonadas)",
    sl_of_answered_short: "sobre atendidas",
    sl_sl2_short: "SL2",
    sl_target: "objetivo {pct}",
    sl_chart_label: "Nivel de servicio {value} frente a un objetivo de {target}",
    waiting_callbacks: "{n} devoluciones de llamada",
    agents_available_of: "{available} libres de {online}",
    status_good: "En objetivo",
    status_warn: "Cerca del objetivo",
    status_bad: "Fuera de objetivo",
    status_none: "Sin datos aún",
    no_queues: "Aún no hay colas. Un administrador las crea en Administración → Colas.",
    vip_queue: "Prioridad",
    floor_heading: "Plataforma",
    floor_chart_label: "Agentes por estado: {summary}",
    agents_heading: "Agentes",
    agents_filter_label: "Mostrar los agentes de",
    all_teams: "Todos los equipos",
    no_agents: "Ningún agente ha iniciado sesión.",
    state_logged_out: "Desconectado",
    state_ready: "Disponible",
    state_offered: "Sonando",
    state_on_contact: "En contacto",
    state_wrap_up: "Poscontacto",
    state_not_ready: "No disponible",
    time_in_state: "Tiempo en el estado",
    holding_contacts: "{n} contactos",
    targets_note: "Los colores comparan cada cifra con su objetivo: el nivel de servicio con el objetivo de la cola, la espera más larga con su umbral T (ámbar hasta 2 T) y la tasa de abandono con el 5 % (ámbar hasta el 10 %).",
    reason_break: "Descanso",
    reason_lunch: "Almuerzo",
    reason_meeting: "Reunión",
    reason_training: "Formación",
    reason_coaching: "Acompañamiento",
    reason_back_office: "Trabajo administrativo",
    reason_outbound: "Llamadas salientes",
    reason_technical_problem: "Problema técnico",
    reason_personal: "Asuntos personales",
    reason_logged_in: "Recién conectado",
    reason_rejected: "Rechazó una oferta",
    reason_no_answer: "No contestó una oferta",
    reason_other: "Motivo {code}",
    desktop_title: "Escritorio del agente",
    desktop_for: "Escritorio de {name}",
    choose_agent: "Agente",
    show: "Mostrar",
    your_state: "Estado",
    btn_login_queues: "Conectarse a las colas",
    btn_logout_queues: "Desconectarse de las colas",
    btn_ready: "Disponible",
    btn_not_ready: "No disponible",
    reason_label: "Motivo",
    offer_heading: "Contacto entrante",
    offer_queue: "Cola",
    offer_customer: "Cliente",
    offer_unknown_customer: "Cliente desconocido",
    offer_waited: "Esperó",
    offer_vip: "VIP — socio del club oro",
    offer_callback: "Devolución de llamada: llame al cliente",
    offer_channel: "Canal",
    offer_attributes: "Datos del IVR",
    btn_accept: "Aceptar",
    btn_reject: "Rechazar",
    on_contact_heading: "En contacto",
    btn_end: "Finalizar contacto",
    talk_time: "Tiempo de conversación",
    wrap_up_heading: "Poscontacto",
    wrap_up_hint: "Termine sus notas y pulse Listo para recibir el siguiente contacto.",
    btn_wrap_up_done: "Listo",
    idle_ready: "Esperando el siguiente contacto…",
    idle_not_ready: "No recibe contactos mientras no esté disponible.",
    idle_logged_out: "Está desconectado de las colas.",
    pending_not_ready: "se aplicará al terminar este contacto",
    contacts_today: "Contactos aceptados: {n}",
    not_an_agent: "Esta persona no es un agente del motor de enrutamiento (inactiva o aún no creada).",
    action_failed: "No se pudo realizar:",
    admin_title: "Administración",
    admin_nav_label: "Secciones de administración",
    tab_people: "Personas",
    tab_teams: "Equipos",
    tab_skills: "Habilidades",
    tab_queues: "Colas",
    btn_new: "Nuevo",
    btn_edit: "Editar",
    btn_save: "Guardar",
    btn_cancel: "Cancelar",
    btn_delete: "Eliminar",
    btn_close: "Cerrar",
    confirm_delete: "¿Eliminar «{name}»? No se puede deshacer.",
    saved: "Guardado.",
    deleted: "Eliminado.",
    form_has_errors: "Corrija los campos marcados abajo.",
    problem_prefix: "El servidor rechazó el cambio:",
    field_username: "Nombre de usuario",
    field_display_name: "Nombre visible",
    field_role: "Rol",
    field_tier: "Nivel",
    field_team: "Equipo",
    field_active: "Activo (puede entrar y atender contactos)",
    field_password: "Contraseña",
    field_password_hint_new: "8 caracteres o más. Déjela vacía para fijarla después.",
    field_password_hint_edit: "Déjela vacía para conservar la contraseña actual.",
    field_skills: "Habilidades y dominio",
    proficiency: "Dominio",
    proficiency_hint: "1 = principiante … 5 = experto; vacío = sin esa habilidad",
    field_name: "Nombre",
    field_department: "Departamento",
    field_leader: "Líder del equipo",
    field_description: "Descripción",
    field_channel: "Canal",
    field_skill: "Habilidad",
    field_min_proficiency: "Dominio mínimo",
    field_base_priority: "Puntos de prioridad",
    field_aging_rate: "Envejecimiento (puntos por segundo de espera)",
    field_aging_cap: "Tope de envejecimiento (puntos)",
    field_sl_threshold: "Umbral T del nivel de servicio (segundos)",
    field_sl_target: "Objetivo de nivel de servicio (%)",
    field_wrap_up: "Poscontacto",
    wrap_up_fixed: "Tiempo fijo",
    wrap_up_manual: "Hasta que el agente pulse Listo",
    wrap_up_seconds: "Segundos de poscontacto",
    field_expected_handle_time: "Tiempo de gestión previsto (segundos)",
    routing_steps: "Pasos de enrutamiento",
    routing_steps_hint: "Cuando un contacto lleva este tiempo en la cola, se amplía quién puede atenderlo.",
    step_after: "Tras (segundos)",
    step_action: "Entonces",
    step_relax: "Aceptar un dominio menor",
    step_add_skill: "Aceptar también otra habilidad",
    step_add_team: "Aceptar también un equipo entero",
    step_min: "Dominio mínimo",
    btn_add_step: "Añadir un paso",
    btn_remove_step: "Quitar",
    no_steps: "Sin pasos",
    col_name: "Nombre",
    col_username: "Usuario",
    col_role: "Rol",
    col_tier: "Nivel",
    col_team: "Equipo",
    col_active: "Activo",
    col_skills: "Habilidades",
    col_leader: "Líder",
    col_members: "Miembros",
    col_department: "Departamento",
    col_description: "Descripción",
    col_priority: "Prioridad",
    col_channel: "Canal",
    col_skill: "Habilidad",
    col_sl: "Objetivo de servicio",
    col_wrap_up: "Poscontacto",
    col_steps: "Pasos de enrutamiento",
    col_actions: "Acciones",
    people_count: "{n} personas",
    new_person: "Nueva persona",
    edit_person: "Editar persona",
    new_team: "Nuevo equipo",
    edit_team: "Editar equipo",
    new_skill: "Nueva habilidad",
    edit_skill: "Editar habilidad",
    new_queue: "Nueva cola",
    edit_queue: "Editar cola",
    no_department: "Cree primero un sitio y un departamento (API: /api/v1/sites, /api/v1/departments).",
    search_people: "Buscar personas",
    filter_role: "Rol",
    all_roles: "Todos los roles",
    seconds_suffix: "s",
    points_per_second: "puntos/s",
    forbidden_title: "No permitido",
    forbidden_text: "Su rol ({role}) no puede abrir esta página.",
    not_found_title: "Página no encontrada",
    not_found_text: "No hay ninguna página en esta dirección.",
    back_home: "Volver a la página de inicio",
    error_title: "Algo ha fallado",
    error_text: "No se pudo mostrar la página: {detail}",
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            out.insert(after[..end].to_string());
            rest = &after[end + 1..];
        }
        out
    }

    #[test]
    fn every_key_has_a_text_in_every_language() {
        let keys: Vec<&str> = EN.entries().iter().map(|(k, _)| *k).collect();
        let unique: BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len(), "a key is listed twice");
        for lang in Lang::ALL {
            let entries = lang.texts().entries();
            assert_eq!(
                entries.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
                keys,
                "{lang:?}"
            );
            for (key, text) in entries {
                assert!(!text.is_empty(), "{lang:?}.{key} is empty");
                assert_eq!(text.trim(), text, "{lang:?}.{key} has outer spaces");
            }
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        for (key, en) in EN.entries() {
            let expected = placeholders(en);
            for lang in [Lang::ZhCn, Lang::Es] {
                let text = lang
                    .texts()
                    .entries()
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, t)| t)
                    .unwrap();
                assert_eq!(placeholders(text), expected, "{lang:?}.{key}: {text}");
            }
        }
    }

    #[test]
    fn translations_are_not_english_copies() {
        // Texts that are the same in several languages on purpose.
        let same_on_purpose = [
            "none",
            "app_name",
            "no",
            "sl_sl2_short",
            "nav_api",
            "minutes_short",
            "seconds_suffix",
            "channel_chat",
        ];
        for lang in [Lang::ZhCn, Lang::Es] {
            let copies: Vec<&str> = EN
                .entries()
                .into_iter()
                .zip(lang.texts().entries())
                .filter(|((k, en), (_, other))| en == other && !same_on_purpose.contains(k))
                .map(|((k, _), _)| k)
                .collect();
            assert!(copies.is_empty(), "{lang:?} keeps English for {copies:?}");
        }
        // Chinese texts are written in Chinese: each has a CJK character, except codes.
        let no_cjk: Vec<&str> = ZH_CN
            .entries()
            .into_iter()
            .filter(|(_, t)| !t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
            .map(|(k, _)| k)
            .collect();
        assert_eq!(no_cjk, ["none"]);
    }

    #[test]
    fn languages_come_from_the_cookie_then_accept_language_then_english() {
        use axum::http::HeaderValue;
        let mut h = HeaderMap::new();
        assert_eq!(Lang::from_headers(&h), Lang::En);
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("fr-FR, es-MX;q=0.8, zh-CN;q=0.9, en;q=0.5"),
        );
        assert_eq!(Lang::from_headers(&h), Lang::ZhCn);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("hotline_session=hls_x; hotline_lang=es"),
        );
        assert_eq!(Lang::from_headers(&h), Lang::Es);
        // An unknown cookie value falls back to the header.
        h.insert(header::COOKIE, HeaderValue::from_static("hotline_lang=xx"));
        assert_eq!(Lang::from_headers(&h), Lang::ZhCn);
    }

    #[test]
    fn accept_language_respects_quality_and_skips_other_languages() {
        assert_eq!(
            Lang::from_accept_language("de, es;q=0.2, en;q=0.3"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("zh-TW, zh-Hant;q=0.9"), None);
        assert_eq!(Lang::from_accept_language("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(
            Lang::from_accept_language("es;q=0, en;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("*"), None);
        assert_eq!(Lang::from_accept_language(""), None);
        assert_eq!(Lang::parse("ES_es"), Some(Lang::Es));
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(
                EN.agents_available_of,
                &[("available", "3"), ("online", "12")]
            ),
            "3 free of 12"
        );
        assert_eq!(
            fill(ZH_CN.sl_of_offered_def, &[("t", "20")]),
            "20 秒内接通数 ÷ 呼入数"
        );
    }
}
