//! Authentication (who is calling) and authorisation (may they).
//!
//! Three kinds of credentials, all 256-bit random secrets stored as SHA-256 hashes:
//! a bearer token from `POST /api/v1/auth/login`, the same token in the `hotline_session`
//! cookie (HttpOnly, SameSite=Strict) for the web UI, and API keys with a role for
//! integrations (`X-API-Key: hlk_…` or `Authorization: Bearer hlk_…`). Resolved
//! credentials are cached for a few seconds so the event API does not hit the database on
//! every request; a logout, a revoked key or a changed person clears the cache at once.

pub mod password;
pub mod policy;
pub mod token;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use hotline_store::{ApiKeyId, PersonId, Role, Store, TimestampMs};

use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "hotline_session";
/// The API key header.
pub const API_KEY_HEADER: &str = "x-api-key";
/// How long a resolved credential is trusted without asking the database again.
const CACHE_TTL: Duration = Duration::from_secs(10);
/// Failed logins for one username before it is paused.
const MAX_FAILURES: u32 = 5;
/// How long the pause lasts (and the window in which failures count).
const FAILURE_WINDOW: Duration = Duration::from_secs(300);

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// What they may do.
    pub role: Role,
    /// A person or an API key.
    pub subject: Subject,
}

/// The holder of the credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A person logged in with a password.
    Person {
        /// Their id.
        id: PersonId,
        /// Their username.
        username: String,
    },
    /// An integration's API key.
    ApiKey {
        /// The key's id.
        id: ApiKeyId,
        /// The key's name.
        name: String,
    },
}

impl Principal {
    /// The person, if a person is calling.
    pub fn person_id(&self) -> Option<PersonId> {
        match self.subject {
            Subject::Person { id, .. } => Some(id),
            Subject::ApiKey { .. } => None,
        }
    }

    /// Admin, manager or supervisor: may act on any agent's desktop and read anyone's
    /// records.
    pub fn is_supervisor(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Manager | Role::Supervisor)
    }

    /// Whether the caller may act as (or read the records of) `person`: themselves, or
    /// anyone for supervisors and above. Quality and trainers read records of anyone.
    pub fn may_act_for(&self, person: PersonId) -> bool {
        self.is_supervisor() || self.person_id() == Some(person)
    }

    /// Whether the caller may read `person`'s records (contact records, profile, skills).
    pub fn may_read(&self, person: PersonId) -> bool {
        self.role != Role::Agent || self.person_id() == Some(person)
    }

    /// 403 unless [`Principal::may_act_for`].
    pub fn require_act_for(&self, person: PersonId) -> ApiResult<()> {
        if self.may_act_for(person) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "an agent may act only on themselves, not on agent {person}"
            )))
        }
    }

    /// 403 unless [`Principal::may_read`].
    pub fn require_read(&self, person: PersonId) -> ApiResult<()> {
        if self.may_read(person) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "an agent may read only their own records, not those of person {person}"
            )))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or_else(|| ApiError::unauthenticated("authentication is required"))
    }
}

#[derive(Clone, Debug)]
struct Cached {
    principal: Principal,
    expires_at: Option<TimestampMs>,
    checked: Instant,
}

/// Resolved credentials and login throttling.
#[derive(Debug, Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<String, Cached>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl AuthCache {
    /// The principal for a secret (token or API key); 401 when unknown, expired or
    /// revoked.
    pub async fn resolve(&self, store: &Store, secret: &str) -> ApiResult<Principal> {
        let invalid =
            || ApiError::unauthenticated("the token or API key is unknown, expired or revoked");
        if !token::looks_valid(secret) {
            return Err(invalid());
        }
        let hash = token::hash(secret);
        let now = TimestampMs::now();
        if let Some(c) = self.lock().get(&hash) {
            if c.checked.elapsed() < CACHE_TTL && c.expires_at.is_none_or(|e| e > now) {
                return Ok(c.principal.clone());
            }
        }
        let cached = if secret.starts_with(token::API_KEY_PREFIX) {
            let key = store.find_api_key(&hash).await?.ok_or_else(invalid)?;
            if key.revoked_at.is_some() {
                return Err(invalid());
            }
            Cached {
                principal: Principal {
                    role: key.role,
                    subject: Subject::ApiKey {
                        id: key.id,
                        name: key.name,
                    },
                },
                expires_at: None,
                checked: Instant::now(),
            }
        } else {
            let session = store.find_session(&hash, now).await?.ok_or_else(invalid)?;
            if !session.person.active {
                return Err(invalid());
            }
            Cached {
                principal: Principal {
                    role: session.person.role,
                    subject: Subject::Person {
                        id: session.person.id,
                        username: session.person.username,
                    },
                },
                expires_at: Some(session.expires_at),
                checked: Instant::now(),
            }
        };
        let principal = cached.principal.clone();
        let mut entries = self.lock();
        if entries.len() > 100_000 {
            entries.retain(|_, c| c.checked.elapsed() < CACHE_TTL);
        }
        entries.insert(hash, cached);
        Ok(principal)
    }

    /// Forgets one secret (logout).
    pub fn forget(&self, secret: &str) {
        self.lock().remove(&token::hash(secret));
    }

    /// Forgets every credential of a person (role or password changed, deactivated).
    pub fn forget_person(&self, person: PersonId) {
        self.lock().retain(
            |_, c| !matches!(c.principal.subject, Subject::Person { id, .. } if id == person),
        );
    }

    /// Forgets every cached API key.
    pub fn forget_api_keys(&self) {
        self.lock()
            .retain(|_, c| !matches!(c.principal.subject, Subject::ApiKey { .. }));
    }

    /// 429 while `username` has too many recent failed logins.
    pub fn check_throttle(&self, username: &str) -> ApiResult<()> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((count, since)) = failures.get(username).copied() {
            if since.elapsed() > FAILURE_WINDOW {
                failures.remove(username);
            } else if count >= MAX_FAILURES {
                let wait = FAILURE_WINDOW.saturating_sub(since.elapsed()).as_secs() + 1;
                return Err(ApiError::new(
                    Code::TooManyRequests,
                    format!("too many failed logins for this username; retry in {wait} s"),
                )
                .with_field("username"));
            }
        }
        Ok(())
    }

    /// Counts a failed login.
    pub fn failed_login(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > 100_000 {
            failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        }
        let entry = failures
            .entry(username.to_string())
            .or_insert((0, Instant::now()));
        entry.0 += 1;
    }

    /// Clears the failures after a successful login.
    pub fn succeeded_login(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(username);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The secret the request carries: bearer token, API key header or session cookie.
pub fn credentials(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, rest) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| rest.trim().to_string());
    }
    if let Some(value) = headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok()) {
        return Some(value.trim().to_string());
    }
    session_cookie(headers)
}

/// The session cookie's value.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The middleware on every protected route: resolves the caller (401), checks the route
/// table (403), and hands the [`Principal`] to the handler.
pub async fn authenticate(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let secret = credentials(req.headers()).ok_or_else(|| {
        ApiError::unauthenticated(
            "no credentials: send Authorization: Bearer <token>, X-API-Key: <key> or the session cookie",
        )
    })?;
    let principal = state.auth().resolve(state.store(), &secret).await?;
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let path = matched.as_ref().map_or("", MatchedPath::as_str);
    let Some(roles) = policy::roles_for(&method, path) else {
        tracing::error!(%method, path, "route missing from the authorisation table; refused");
        return Err(ApiError::forbidden("this route is not open to any role"));
    };
    if !roles.contains(&principal.role) {
        return Err(ApiError::forbidden(format!(
            "the {} role may not use {method} {path}",
            principal.role
        )));
    }
    req.extensions_mut().insert(principal);
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn credentials_come_from_bearer_key_header_or_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer hls_abc"),
        );
        assert_eq!(credentials(&h).as_deref(), Some("hls_abc"));
        let mut h = HeaderMap::new();
        h.insert(API_KEY_HEADER, HeaderValue::from_static("hlk_xyz"));
        assert_eq!(credentials(&h).as_deref(), Some("hlk_xyz"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("lang=es; hotline_session=hls_c"),
        );
        assert_eq!(credentials(&h).as_deref(), Some("hls_c"));
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dXNlcg=="),
        );
        assert_eq!(credentials(&h), None);
    }

    #[test]
    fn agents_act_only_on_themselves() {
        let agent = Principal {
            role: Role::Agent,
            subject: Subject::Person {
                id: PersonId(7),
                username: "ana".into(),
            },
        };
        assert!(agent.may_act_for(PersonId(7)));
        assert!(!agent.may_act_for(PersonId(8)));
        assert!(!agent.may_read(PersonId(8)));
        let quality = Principal {
            role: Role::Quality,
            ..agent.clone()
        };
        assert!(quality.may_read(PersonId(8)));
        assert!(!quality.may_act_for(PersonId(8)));
        let supervisor = Principal {
            role: Role::Supervisor,
            ..agent
        };
        assert!(supervisor.may_act_for(PersonId(8)));
    }
}
