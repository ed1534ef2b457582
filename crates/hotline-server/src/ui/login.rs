//! Signing in and out, the language switch, and the start page.
//!
//! The sign-in form posts to `/login`, which hands the credentials to the API's own
//! login (`POST /api/v1/auth/login`, the same code, throttling included) and passes its
//! session cookie on. It works without JavaScript; errors are shown inline, in the
//! page's language.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::i18n::{Lang, Texts, LANG_COOKIE};
use super::page::{self, Chrome};
use crate::api::dto::{LoginIn, LoginOut};
use crate::api::extract::ApiJson;
use crate::api::session;
use crate::error::Code;
use crate::state::AppState;

/// The sign-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// Layout.
    pub chrome: Chrome,
    /// Texts.
    pub t: &'static Texts,
    /// Where to go after signing in.
    pub next: String,
    /// The username typed (kept after a failure; the password never is).
    pub username: String,
    /// An error to show inline.
    pub error: Option<String>,
    /// The field the error is about (`username`, `password`), for `aria-invalid`.
    pub error_field: Option<&'static str>,
    /// A notice (signed out, session ended).
    pub notice: Option<&'static str>,
}

/// `GET /login` query.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    ended: Option<String>,
    signed_out: Option<String>,
}

/// `GET /login`: the form (or straight on, when already signed in).
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let next = page::safe_next(q.next.as_deref());
    if let Some(viewer) = page::viewer(&state, &headers).await {
        let to = next.unwrap_or_else(|| page::home_of(viewer.role()).to_string());
        return Redirect::to(&to).into_response();
    }
    let lang = Lang::from_headers(&headers);
    let t = lang.texts();
    let notice = if q.signed_out.is_some() {
        Some(t.signed_out)
    } else if q.ended.is_some() {
        Some(t.session_ended)
    } else {
        None
    };
    page::harden(page::render(&login_page(
        lang,
        next.unwrap_or_default(),
        String::new(),
        None,
        notice,
    )))
}

fn login_page(
    lang: Lang,
    next: String,
    username: String,
    error: Option<(String, Option<&'static str>)>,
    notice: Option<&'static str>,
) -> LoginPage {
    let t = lang.texts();
    let path = if next.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?next={}", page::encode(&next))
    };
    let (error, error_field) = match error {
        Some((e, f)) => (Some(e), f),
        None => (None, None),
    };
    LoginPage {
        chrome: Chrome::anonymous(lang, t.login_title, &path, "login"),
        t,
        next,
        username,
        error,
        error_field,
        notice,
    }
}

/// The form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let t = lang.texts();
    let next = page::safe_next(Some(&form.next));
    let username = form.username.trim().to_string();
    let retry = |status: StatusCode, message: &str, field: Option<&'static str>| {
        let page = login_page(
            lang,
            next.clone().unwrap_or_default(),
            username.clone(),
            Some((message.to_string(), field)),
            None,
        );
        page::harden(page::render_status(status, &page))
    };
    if username.is_empty() || form.password.is_empty() {
        let field = if username.is_empty() {
            "username"
        } else {
            "password"
        };
        return retry(
            StatusCode::UNPROCESSABLE_ENTITY,
            t.login_error_missing,
            Some(field),
        );
    }
    let answer = session::login(
        State(state),
        ApiJson(LoginIn {
            username: username.clone(),
            password: form.password,
        }),
    )
    .await;
    match answer {
        Ok(api) => {
            let (parts, body) = api.into_parts();
            let role = login_role(body).await;
            let to = next.unwrap_or_else(|| role.map_or("/", page::home_of).to_string());
            let mut response = Redirect::to(&to).into_response();
            for cookie in parts.headers.get_all(header::SET_COOKIE) {
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, cookie.clone());
            }
            response
        }
        Err(e) => match e.code {
            Code::InvalidCredentials => retry(
                StatusCode::UNAUTHORIZED,
                t.login_error_credentials,
                Some("password"),
            ),
            Code::TooManyRequests => retry(
                StatusCode::TOO_MANY_REQUESTS,
                t.login_error_throttled,
                Some("username"),
            ),
            Code::InvalidField | Code::MalformedJson => retry(
                StatusCode::UNPROCESSABLE_ENTITY,
                t.login_error_credentials,
                Some("username"),
            ),
            _ => retry(
                StatusCode::SERVICE_UNAVAILABLE,
                t.login_error_unavailable,
                None,
            ),
        },
    }
}

/// The role in the API's login answer, to pick the start page without another lookup.
async fn login_role(body: axum::body::Body) -> Option<hotline_store::Role> {
    let bytes = axum::body::to_bytes(body, 1 << 16).await.ok()?;
    let out: LoginOut = serde_json::from_slice(&bytes).ok()?;
    Some(out.person.role.into())
}

/// `POST /logout`: ends the session through the API's logout, back to the sign-in page.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let mut response = Redirect::to("/login?signed_out=1").into_response();
    // Only the cookie is passed on: a page cannot log out an API key.
    let mut only_cookie = HeaderMap::new();
    if let Some(cookie) = headers.get(header::COOKIE) {
        only_cookie.insert(header::COOKIE, cookie.clone());
    }
    match session::logout(State(state), only_cookie).await {
        Ok(api) => {
            for cookie in api.headers().get_all(header::SET_COOKIE) {
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, cookie.clone());
            }
        }
        Err(e) => tracing::warn!(error = %e, "signing out failed"),
    }
    response
}

/// `GET /lang` query.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: String,
    next: Option<String>,
}

/// `GET /lang?lang=es&next=/wallboard`: remembers the language for a year, back to the
/// page.
pub async fn set_language(Query(q): Query<LangQuery>) -> Response {
    let Some(lang) = Lang::parse(&q.lang) else {
        return (
            StatusCode::BAD_REQUEST,
            format!(
                "lang = {:?} is not allowed: expected one of en, zh-CN, es",
                q.lang
            ),
        )
            .into_response();
    };
    let to = page::safe_next(q.next.as_deref()).unwrap_or_else(|| "/".to_string());
    let mut response = Redirect::to(&to).into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.tag()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// `GET /`: the viewer's start page, or the sign-in page.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match page::viewer(&state, &headers).await {
        Some(v) => Redirect::to(page::home_of(v.role())).into_response(),
        None => Redirect::to("/login").into_response(),
    }
}
