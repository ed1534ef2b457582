//! What every page shares: who is looking (from the session cookie), what they may open,
//! the layout's header (navigation, language switch, user), and the answers for
//! "sign in first", "not allowed" and "something failed".

use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use hotline_store::Role;

use super::i18n::{fill, Lang, Texts};
use crate::auth::{self, Principal, Subject};
use crate::state::AppState;

/// The person looking at a page.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// Their credentials' principal.
    pub principal: Principal,
    /// Their person id (= agent id).
    pub person_id: i64,
    /// Name shown.
    pub name: String,
    /// The page language.
    pub lang: Lang,
}

impl Viewer {
    /// Their role.
    pub fn role(&self) -> Role {
        self.principal.role
    }
}

/// The parts of the UI, each open to some roles (the same roles the API gives the data
/// behind it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Live queues and agents: office staff (the wallboard stream's roles).
    Wallboard,
    /// The agent desktop: agents on themselves, supervisors and above on anyone.
    Desktop,
    /// Interval reports with charts: everyone (an agent sees their own contacts).
    Reports,
    /// Yesterday's service against target: office staff.
    Briefing,
    /// The week's complaints: office staff.
    Complaints,
    /// The balanced scorecard: everyone (an agent sees their own card).
    Scorecard,
    /// People, teams, skills, queues: admins and managers.
    Admin,
}

impl Section {
    /// Every section, in the navigation's order.
    pub const ALL: [Section; 7] = [
        Section::Wallboard,
        Section::Desktop,
        Section::Reports,
        Section::Briefing,
        Section::Complaints,
        Section::Scorecard,
        Section::Admin,
    ];

    /// Whether `role` may open it.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Section::Wallboard => crate::auth::policy::STAFF.contains(&role),
            Section::Desktop => crate::auth::policy::DESKTOP.contains(&role),
            Section::Briefing | Section::Complaints => crate::auth::policy::STAFF.contains(&role),
            Section::Reports | Section::Scorecard => crate::auth::policy::ALL.contains(&role),
            Section::Admin => crate::auth::policy::MANAGERS.contains(&role),
        }
    }

    /// Where it starts.
    pub const fn href(self) -> &'static str {
        match self {
            Section::Wallboard => "/wallboard",
            Section::Desktop => "/desktop",
            Section::Reports => "/reports",
            Section::Briefing => "/briefing",
            Section::Complaints => "/complaints",
            Section::Scorecard => "/scorecard",
            Section::Admin => "/admin/people",
        }
    }

    /// Its name in the navigation.
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Section::Wallboard => t.nav_wallboard,
            Section::Desktop => t.nav_desktop,
            Section::Reports => t.nav_reports,
            Section::Briefing => t.nav_briefing,
            Section::Complaints => t.nav_complaints,
            Section::Scorecard => t.nav_scorecard,
            Section::Admin => t.nav_admin,
        }
    }
}

/// The start page of a role: agents their desktop, everyone else the wallboard.
pub fn home_of(role: Role) -> &'static str {
    if role == Role::Agent {
        Section::Desktop.href()
    } else {
        Section::Wallboard.href()
    }
}

/// A role's name.
pub fn role_label(role: Role, t: &Texts) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Manager => t.role_manager,
        Role::Supervisor => t.role_supervisor,
        Role::Quality => t.role_quality,
        Role::Trainer => t.role_trainer,
        Role::Agent => t.role_agent,
    }
}

/// The person behind the session cookie, if the cookie is valid. API keys and bearer
/// tokens do not open pages: pages are for people in a browser.
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Option<Viewer> {
    let secret = auth::session_cookie(headers)?;
    let principal = state.auth().resolve(state.store(), &secret).await.ok()?;
    let Subject::Person { id, ref username } = principal.subject else {
        return None;
    };
    let name = state
        .directory()
        .people
        .get(&id.0)
        .map_or_else(|| username.clone(), |(name, _)| name.clone());
    Some(Viewer {
        person_id: id.0,
        name,
        lang: Lang::from_headers(headers),
        principal,
    })
}

/// A path safe to redirect to after signing in: same site, absolute path.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    ok.then(|| next.to_string())
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The viewer of a page of `section`, or the answer to send instead: the sign-in page
/// (remembering where they wanted to go) or "not allowed".
pub async fn require(
    state: &AppState,
    headers: &HeaderMap,
    path_and_query: &str,
    section: Section,
) -> Result<Viewer, Response> {
    let Some(viewer) = viewer(state, headers).await else {
        let had_cookie = auth::session_cookie(headers).is_some();
        let mut to = format!("/login?next={}", encode(path_and_query));
        if had_cookie {
            to.push_str("&ended=1");
        }
        return Err(Redirect::to(&to).into_response());
    };
    if !section.allows(viewer.role()) {
        return Err(forbidden(&viewer, path_and_query));
    }
    Ok(viewer)
}

/// For the fragments the scripts fetch: the viewer, or 401 / 403 without a page (the
/// script then goes to the sign-in page).
pub async fn require_fragment(
    state: &AppState,
    headers: &HeaderMap,
    section: Section,
) -> Result<Viewer, Response> {
    let Some(viewer) = viewer(state, headers).await else {
        return Err(StatusCode::UNAUTHORIZED.into_response());
    };
    if !section.allows(viewer.role()) {
        return Err(StatusCode::FORBIDDEN.into_response());
    }
    Ok(viewer)
}

/// One entry of the main navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    /// Link.
    pub href: &'static str,
    /// Text.
    pub label: &'static str,
    /// The page shown is in this section.
    pub current: bool,
}

/// One entry of the language switch.
#[derive(Clone, Debug)]
pub struct LangLink {
    /// `/lang?lang=es&next=…`.
    pub href: String,
    /// Tag (`es`).
    pub tag: &'static str,
    /// Its own name (`Español`).
    pub name: &'static str,
    /// The language in force.
    pub current: bool,
}

/// The layout around every page.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The texts.
    pub t: &'static Texts,
    /// The language.
    pub lang: Lang,
    /// The page title (before " · Hotline").
    pub title: String,
    /// Who is signed in (name, role) — none on the sign-in page.
    pub user: Option<(String, &'static str)>,
    /// Sections open to the viewer.
    pub nav: Vec<NavItem>,
    /// Show the API docs link (office staff).
    pub api_link: bool,
    /// The language switch.
    pub langs: Vec<LangLink>,
    /// Appended to asset URLs so browsers fetch new versions after an upgrade.
    pub asset_version: &'static str,
    /// The `<body>` class (page kind: `wallboard`, `desktop` …).
    pub body_class: &'static str,
}

impl Chrome {
    /// The layout for `viewer` on a page of `section` at `path`.
    pub fn new(
        viewer: &Viewer,
        section: Option<Section>,
        title: &str,
        path: &str,
        body_class: &'static str,
    ) -> Chrome {
        let t = viewer.lang.texts();
        let role = viewer.role();
        Chrome {
            t,
            lang: viewer.lang,
            title: title.to_string(),
            user: Some((viewer.name.clone(), role_label(role, t))),
            nav: Section::ALL
                .into_iter()
                .filter(|s| s.allows(role))
                .map(|s| NavItem {
                    href: s.href(),
                    label: s.label(t),
                    current: Some(s) == section,
                })
                .collect(),
            api_link: role != Role::Agent,
            langs: lang_links(viewer.lang, path),
            asset_version: super::assets::VERSION,
            body_class,
        }
    }

    /// The layout of a page for someone not signed in.
    pub fn anonymous(lang: Lang, title: &str, path: &str, body_class: &'static str) -> Chrome {
        Chrome {
            t: lang.texts(),
            lang,
            title: title.to_string(),
            user: None,
            nav: Vec::new(),
            api_link: false,
            langs: lang_links(lang, path),
            asset_version: super::assets::VERSION,
            body_class,
        }
    }
}

fn lang_links(current: Lang, path: &str) -> Vec<LangLink> {
    Lang::ALL
        .into_iter()
        .map(|l| LangLink {
            href: format!("/lang?lang={}&next={}", l.tag(), encode(path)),
            tag: l.tag(),
            name: l.native_name(),
            current: l == current,
        })
        .collect()
}

/// A page rendered, or a plain 500 naming the template error (a bug).
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering a page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered; see the server log",
            )
                .into_response()
        }
    }
}

/// A page with a status.
pub fn render_status(status: StatusCode, template: &impl Template) -> Response {
    let mut r = render(template);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}

/// A message page (not allowed, not found, failed).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// Layout.
    pub chrome: Chrome,
    /// Texts.
    pub t: &'static Texts,
    /// Heading.
    pub heading: String,
    /// Sentence.
    pub text: String,
    /// Where "back" goes.
    pub home: &'static str,
}

/// 403 page.
pub fn forbidden(viewer: &Viewer, path: &str) -> Response {
    let t = viewer.lang.texts();
    let page = MessagePage {
        chrome: Chrome::new(viewer, None, t.forbidden_title, path, "message"),
        t,
        heading: t.forbidden_title.to_string(),
        text: fill(t.forbidden_text, &[("role", role_label(viewer.role(), t))]),
        home: home_of(viewer.role()),
    };
    render_status(StatusCode::FORBIDDEN, &page)
}

/// 500/503 page for a failure while gathering a page's data.
pub fn failed(viewer: &Viewer, path: &str, detail: &str) -> Response {
    let t = viewer.lang.texts();
    let page = MessagePage {
        chrome: Chrome::new(viewer, None, t.error_title, path, "message"),
        t,
        heading: t.error_title.to_string(),
        text: fill(t.error_text, &[("detail", detail)]),
        home: home_of(viewer.role()),
    };
    render_status(StatusCode::SERVICE_UNAVAILABLE, &page)
}

/// Security headers for HTML answers: scripts and styles only from this server, no
/// framing, no sniffing.
pub fn harden(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_the_api_roles() {
        assert!(Section::Wallboard.allows(Role::Supervisor));
        assert!(Section::Wallboard.allows(Role::Quality));
        assert!(!Section::Wallboard.allows(Role::Agent));
        assert!(Section::Desktop.allows(Role::Agent));
        assert!(Section::Desktop.allows(Role::Supervisor));
        assert!(!Section::Desktop.allows(Role::Trainer));
        assert!(Section::Admin.allows(Role::Manager));
        assert!(!Section::Admin.allows(Role::Supervisor));
        assert_eq!(home_of(Role::Agent), "/desktop");
        assert_eq!(home_of(Role::Manager), "/wallboard");
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/desktop?agent=3")).as_deref(),
            Some("/desktop?agent=3")
        );
        assert_eq!(safe_next(Some("//evil.example/")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example/")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode("/desktop?agent=3&x=é"),
            "/desktop%3Fagent%3D3%26x%3D%C3%A9"
        );
    }
}
