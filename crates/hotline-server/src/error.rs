//! One error type for the whole API, rendered as an RFC 9457 problem document
//! (`application/problem+json`). Every error has a stable code from one table; the table
//! is part of the documented API (`docs/api.md`, and the `/api/docs` page).
//!
//! Causes that are the server's fault (a database error) are logged with their source
//! and shown to the client only as "unavailable"/"internal"; bad input always names the
//! field and never becomes a 500.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hotline_routing::RoutingError;
use hotline_store::StoreError;
use serde::Serialize;

use crate::runtime::ApplyError;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = ($status:literal, $code:literal, $title:literal),)+) => {
        /// The stable error codes of the API.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The HTTP status.
            pub fn status(self) -> StatusCode {
                let status = match self {
                    $(Code::$variant => $status,)+
                };
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }

            /// The code as it appears in problem documents.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// A short summary that does not change from occurrence to occurrence.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)+
                }
            }
        }
    };
}

error_codes! {
    /// The body is not JSON, or JSON of the wrong shape at the top level.
    MalformedJson = (400, "malformed_json", "The request body is not valid JSON"),
    /// A path or query parameter cannot be parsed.
    InvalidParameter = (400, "invalid_parameter", "A path or query parameter is not valid"),
    /// A body field has a value that is not allowed (or is missing).
    InvalidField = (422, "invalid_field", "A field has a value that is not allowed"),
    /// The body is not `application/json`.
    UnsupportedMediaType = (415, "unsupported_media_type", "Send the body as application/json"),
    /// The body is too large.
    PayloadTooLarge = (413, "payload_too_large", "The request body is too large"),
    /// No credentials, or credentials that are unknown or expired.
    Unauthenticated = (401, "unauthenticated", "Authentication is required"),
    /// Wrong username or password.
    InvalidCredentials = (401, "invalid_credentials", "The username or password is wrong"),
    /// Too many failed logins for this username; wait and retry.
    TooManyRequests = (429, "too_many_requests", "Too many attempts; wait before retrying"),
    /// The caller's role may not use this route, or not on this resource.
    Forbidden = (403, "forbidden", "Your role does not allow this"),
    /// The resource does not exist.
    NotFound = (404, "not_found", "The resource does not exist"),
    /// No route has this path.
    RouteNotFound = (404, "route_not_found", "There is no such route"),
    /// The route exists, not with this method.
    MethodNotAllowed = (405, "method_not_allowed", "The route does not accept this method"),
    /// A uniqueness rule or a reference would be broken.
    Conflict = (409, "conflict", "The change conflicts with existing data"),
    /// The routing engine refused the event in the current state of the contact or agent.
    InvalidState = (409, "invalid_state", "Not possible in the current state"),
    /// The server is starting, recovering or its database is unreachable; retry later.
    Unavailable = (503, "unavailable", "The service is temporarily unavailable"),
    /// A bug: the details are in the server log.
    Internal = (500, "internal", "Internal server error"),
}

/// An API error: a code, a sentence for the user, and the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The code.
    pub code: Code,
    /// What happened, for this occurrence.
    pub detail: String,
    /// The body field, path or query parameter concerned (`steps[1].after_s`).
    pub field: Option<String>,
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with `code` and `detail`.
    pub fn new(code: Code, detail: impl Into<String>) -> ApiError {
        ApiError {
            code,
            detail: detail.into(),
            field: None,
        }
    }

    /// An invalid field: names the field, the value and what is allowed.
    pub fn invalid(
        field: impl Into<String>,
        value: impl std::fmt::Display,
        allowed: &str,
    ) -> ApiError {
        let field = field.into();
        ApiError {
            code: Code::InvalidField,
            detail: format!("{field} = {value} is not allowed: expected {allowed}"),
            field: Some(field),
        }
    }

    /// A missing required field.
    pub fn missing(field: impl Into<String>) -> ApiError {
        let field = field.into();
        ApiError {
            code: Code::InvalidField,
            detail: format!("{field} is required"),
            field: Some(field),
        }
    }

    /// Names the field concerned.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// 404 for `what` with `id`.
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> ApiError {
        ApiError::new(Code::NotFound, format!("{what} {id} does not exist"))
    }

    /// 403.
    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(Code::Forbidden, detail)
    }

    /// 401.
    pub fn unauthenticated(detail: impl Into<String>) -> ApiError {
        ApiError::new(Code::Unauthenticated, detail)
    }

    /// 503, with the cause logged.
    pub fn unavailable(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::warn!(cause = %cause, "service unavailable");
        ApiError::new(
            Code::Unavailable,
            "the service is temporarily unavailable; retry later",
        )
    }

    /// 500, with the cause logged.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(cause = %cause, "internal error");
        ApiError::new(
            Code::Internal,
            "internal error; the details are in the server log",
        )
    }
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the error code (`/api/docs#error-invalid_field`).
    #[serde(rename = "type")]
    pub type_: String,
    /// The stable code (`invalid_field`).
    pub code: &'static str,
    /// A short summary of the code.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What happened this time.
    pub detail: String,
    /// The field, path or query parameter concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("/api/docs#error-{}", self.code.as_str()),
            code: self.code.as_str(),
            title: self.code.title(),
            status: self.code.status().as_u16(),
            detail: self.detail.clone(),
            field: self.field.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.code == Code::Unauthenticated || self.code == Code::InvalidCredentials {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"hotline\""),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::NotFound { entity, id } => ApiError::not_found(entity, id),
            StoreError::Conflict { what } => ApiError::new(Code::Conflict, what),
            StoreError::Invalid {
                field,
                value,
                allowed,
            } => ApiError::invalid(field, format!("{value:?}"), &allowed),
            StoreError::Database(ref source) => {
                tracing::error!(error = %err, source = %source, "database error");
                ApiError::new(
                    Code::Unavailable,
                    "the database is unavailable; retry later",
                )
            }
            other => ApiError::internal(&other),
        }
    }
}

impl From<ApplyError> for ApiError {
    fn from(err: ApplyError) -> ApiError {
        match err {
            ApplyError::Refused(e) => ApiError::from(e),
            ApplyError::Unavailable(cause) => ApiError::unavailable(&cause),
        }
    }
}

impl From<RoutingError> for ApiError {
    fn from(err: RoutingError) -> ApiError {
        let detail = err.to_string();
        match err {
            RoutingError::UnknownContact(_) => ApiError::new(Code::NotFound, detail),
            RoutingError::UnknownAgent(_) => ApiError::new(Code::NotFound, detail),
            RoutingError::UnknownQueue(_) => {
                ApiError::new(Code::InvalidField, detail).with_field("queue_id")
            }
            RoutingError::Config(hotline_routing::ConfigError::Invalid { field, .. })
            | RoutingError::Config(hotline_routing::ConfigError::Duplicate { field, .. }) => {
                ApiError::new(Code::InvalidField, detail).with_field(field)
            }
            RoutingError::TimeWentBackwards { .. } => ApiError::internal(&detail),
            RoutingError::DuplicateContact(_)
            | RoutingError::ContactState { .. }
            | RoutingError::AgentState { .. }
            | RoutingError::NoSuchOffer { .. }
            | RoutingError::NotInWrapUp { .. }
            | RoutingError::QueueNotEmpty { .. } => ApiError::new(Code::InvalidState, detail),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                // axum reports serde's path: "Failed to deserialize the JSON body into the
                // target type: steps[0].after_s: invalid type: ..."
                let text = e.body_text();
                let rest = text
                    .split_once("target type: ")
                    .map_or(text.as_str(), |(_, r)| r);
                let (field, message) = split_serde_path(rest);
                let field = field.or_else(|| missing_field(message));
                ApiError {
                    code: Code::InvalidField,
                    detail: match &field {
                        Some(f) if !message.contains(f.as_str()) => format!("{f}: {message}"),
                        _ => message.to_string(),
                    },
                    field,
                }
            }
            JsonRejection::JsonSyntaxError(e) => {
                let text = e.body_text();
                let message = text
                    .split_once("JSON body: ")
                    .map_or(text.as_str(), |(_, r)| r)
                    .to_string();
                ApiError::new(Code::MalformedJson, message)
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                Code::UnsupportedMediaType,
                "expected a body with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(e) => {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(Code::PayloadTooLarge, e.body_text())
                } else {
                    ApiError::new(Code::MalformedJson, e.body_text())
                }
            }
            other => ApiError::new(Code::MalformedJson, other.body_text()),
        }
    }
}

/// Splits "a.b[2]: message" into the path and the message (serde_path_to_error's form).
fn split_serde_path(text: &str) -> (Option<String>, &str) {
    if let Some((path, message)) = text.split_once(": ") {
        let is_path = !path.is_empty()
            && path != "."
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c));
        if is_path {
            return (Some(path.to_string()), message);
        }
    }
    (None, text)
}

/// The field named by serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.split_once("missing field `")?.1;
    Some(rest.split_once('`')?.0.to_string())
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        let text = rejection.body_text();
        let field = match &rejection {
            PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
                axum::extract::path::ErrorKind::ParseErrorAtKey { key, .. }
                | axum::extract::path::ErrorKind::InvalidUtf8InPathParam { key } => {
                    Some(key.clone())
                }
                _ => None,
            },
            _ => None,
        };
        ApiError {
            code: Code::InvalidParameter,
            detail: text,
            field,
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        let text = rejection.body_text();
        let message = text
            .split_once("query string: ")
            .map_or(text.as_str(), |(_, r)| r);
        let (field, message) = split_serde_path(message);
        ApiError {
            code: Code::InvalidParameter,
            detail: message.to_string(),
            field,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_statuses_match_their_class() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            let status = code.status().as_u16();
            let expected_5xx = matches!(code, Code::Unavailable | Code::Internal);
            assert_eq!(status >= 500, expected_5xx, "{}", code.as_str());
        }
    }

    #[test]
    fn serde_paths_are_split_from_messages() {
        assert_eq!(
            split_serde_path("steps[0].after_s: invalid type: string \"x\", expected u64"),
            (
                Some("steps[0].after_s".to_string()),
                "invalid type: string \"x\", expected u64"
            )
        );
        assert_eq!(
            split_serde_path("missing field `queue_id` at line 1 column 2"),
            (None, "missing field `queue_id` at line 1 column 2")
        );
        assert_eq!(
            missing_field("missing field `queue_id` at line 1 column 2").as_deref(),
            Some("queue_id")
        );
    }

    #[test]
    fn routing_refusals_are_conflicts_naming_the_state() {
        let err = ApiError::from(RoutingError::NoSuchOffer {
            agent: hotline_routing::AgentId(3),
            contact: hotline_routing::ContactId(9),
        });
        assert_eq!(err.code, Code::InvalidState);
        assert_eq!(err.code.status(), StatusCode::CONFLICT);
        assert_eq!(err.detail, "agent#3 has no pending offer of contact#9");
    }
}
