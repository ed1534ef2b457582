//! Logging in and out, who am I, changing one's password, API keys.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hotline_store::{ApiKeyId, DurationMs, NewApiKey, NewSession, TimestampMs};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{
    rfc3339_store, ApiKeyCreated, ApiKeyIn, ApiKeyOut, ChangePasswordIn, LoginIn, LoginOut, MeOut,
    PersonOut,
};
use super::extract::{ApiJson, ApiPath};
use crate::auth::{self, password, token, Principal, Subject};
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::state::AppState;

/// Routes that need no credentials.
pub fn public() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login))
}

/// Routes for logged-in callers.
pub fn protected() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(logout))
        .routes(routes!(change_password))
        .routes(routes!(list_api_keys, create_api_key))
        .routes(routes!(revoke_api_key))
}

fn cookie(state: &AppState, token: &str, max_age: u64) -> String {
    let secure = if state.settings().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
        auth::COOKIE
    )
}

async fn new_session(state: &AppState, person: hotline_store::Person) -> ApiResult<Response> {
    let ttl = state.settings().session_ttl;
    let secret = token::generate(token::SESSION_PREFIX);
    let now = TimestampMs::now();
    let expires_at = now.plus(DurationMs(
        i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX),
    ));
    state
        .store()
        .create_session(&NewSession {
            token_hash: token::hash(&secret),
            person_id: person.id,
            created_at: now,
            expires_at,
        })
        .await?;
    let body = LoginOut {
        token: secret.clone(),
        expires_at: rfc3339_store(expires_at),
        person: person.into(),
    };
    Ok((
        [(header::SET_COOKIE, cookie(state, &secret, ttl.as_secs()))],
        Json(body),
    )
        .into_response())
}

/// Log in with a username and password.
///
/// Answers a bearer token and sets the same token as the `hotline_session` cookie
/// (HttpOnly, SameSite=Strict) for browsers. Five failed attempts for one username pause
/// it for five minutes.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth", security(()),
    request_body = LoginIn,
    responses(
        (status = 200, description = "Logged in", body = LoginOut),
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginIn>,
) -> ApiResult<Response> {
    state.auth().check_throttle(&body.username)?;
    let login = if body.username.len() <= 64 {
        state.store().get_login(&body.username).await?
    } else {
        None
    };
    let (hash, person) = match login {
        Some(l) if l.person.active => (l.password_hash, Some(l.person)),
        _ => (None, None),
    };
    let ok = password::verify(body.password, hash, state.settings().password_cost).await;
    let Some(person) = person.filter(|_| ok) else {
        state.auth().failed_login(&body.username);
        tracing::info!("failed login");
        return Err(ApiError::new(
            Code::InvalidCredentials,
            "the username or password is wrong",
        ));
    };
    state.auth().succeeded_login(&body.username);
    tracing::info!(person = person.id.0, role = %person.role, "login");
    new_session(&state, person).await
}

/// Log out: the token (or cookie) used for this request stops working.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out"))
)]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(secret) = auth::credentials(&headers) {
        if secret.starts_with(token::SESSION_PREFIX) {
            state.store().delete_session(&token::hash(&secret)).await?;
        }
        state.auth().forget(&secret);
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie(&state, "", 0))],
    )
        .into_response())
}

/// Who is calling: the person (or API key) and the role in force.
#[utoipa::path(
    get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = MeOut))
)]
pub async fn me(State(state): State<AppState>, principal: Principal) -> ApiResult<Json<MeOut>> {
    let (person, api_key) = match &principal.subject {
        Subject::Person { id, .. } => (
            Some(PersonOut::from(state.store().get_person(*id).await?)),
            None,
        ),
        Subject::ApiKey { name, .. } => (None, Some(name.clone())),
    };
    Ok(Json(MeOut {
        role: principal.role.into(),
        person,
        api_key,
    }))
}

/// Change one's own password. Every session of the person ends; the answer is a new one.
#[utoipa::path(
    put, path = "/api/v1/auth/password", tag = "auth",
    request_body = ChangePasswordIn,
    responses(
        (status = 200, description = "Changed; a new session", body = LoginOut),
        (status = 401, description = "The current password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API key has no password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too short or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<ChangePasswordIn>,
) -> ApiResult<Response> {
    let Subject::Person { id, username } = &principal.subject else {
        return Err(ApiError::forbidden("an API key has no password"));
    };
    password::check("new_password", &body.new_password)?;
    let login = state.store().get_login(username).await?;
    let hash = login.as_ref().and_then(|l| l.password_hash.clone());
    if !password::verify(body.current_password, hash, state.settings().password_cost).await {
        return Err(
            ApiError::new(Code::InvalidCredentials, "the current password is wrong")
                .with_field("current_password"),
        );
    }
    let new_hash = password::hash(body.new_password, state.settings().password_cost).await?;
    state
        .store()
        .set_password_hash(*id, Some(&new_hash))
        .await?;
    state.store().delete_sessions_of(*id).await?;
    state.auth().forget_person(*id);
    let person = state.store().get_person(*id).await?;
    new_session(&state, person).await
}

/// API keys (without their secrets).
#[utoipa::path(
    get, path = "/api/v1/api-keys", tag = "auth",
    responses((status = 200, body = [ApiKeyOut]))
)]
pub async fn list_api_keys(State(state): State<AppState>) -> ApiResult<Json<Vec<ApiKeyOut>>> {
    let keys = state.store().list_api_keys().await?;
    Ok(Json(keys.into_iter().map(ApiKeyOut::from).collect()))
}

/// Create an API key for an integration (a CTI adapter usually gets `supervisor`).
/// The secret is in this answer only.
#[utoipa::path(
    post, path = "/api/v1/api-keys", tag = "auth",
    request_body = ApiKeyIn,
    responses(
        (status = 201, body = ApiKeyCreated),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_api_key(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ApiKeyIn>,
) -> ApiResult<(StatusCode, Json<ApiKeyCreated>)> {
    let secret = token::generate(token::API_KEY_PREFIX);
    let key = state
        .store()
        .create_api_key(
            &NewApiKey {
                name: body.name,
                role: body.role.into(),
                key_hash: token::hash(&secret),
            },
            TimestampMs::now(),
        )
        .await?;
    tracing::info!(api_key = key.id.0, role = %key.role, "API key created");
    Ok((
        StatusCode::CREATED,
        Json(ApiKeyCreated {
            key: key.into(),
            secret,
        }),
    ))
}

/// Revoke an API key; it stops working at once.
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{id}", tag = "auth",
    params(("id" = i64, Path, description = "API key id")),
    responses(
        (status = 200, body = ApiKeyOut),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ApiKeyOut>> {
    let key = state
        .store()
        .revoke_api_key(ApiKeyId(id), TimestampMs::now())
        .await?;
    state.auth().forget_api_keys();
    tracing::info!(api_key = id, "API key revoked");
    Ok(Json(key.into()))
}
