//! Storage for authentication: API keys for integrations and login sessions (cookie or
//! bearer token) for people. Only hashes are stored and looked up; making secrets and
//! hashing them is the server's job, and a lookup by hash needs a fast, unsalted hash
//! of a long random secret (SHA-256 of 32 random bytes), not argon2.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::db::{in_write_tx, on_read};
use crate::error::{on_unique, Result, StoreError};
use crate::ids::{ApiKeyId, PersonId, TimestampMs};
use crate::org::count;
use crate::org::people::Person;
use crate::org::structure::MAX_NAME_CHARS;
use crate::values::{check_hash, check_text, Role, Tier};
use crate::Store;

/// An API key as given to create it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    /// What it is for ("telephony adapter").
    pub name: String,
    /// The role its requests act with.
    pub role: Role,
    /// Hash of the secret; unique.
    pub key_hash: String,
}

impl fmt::Debug for NewApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewApiKey")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("key_hash", &"<redacted>")
            .finish()
    }
}

/// A stored API key (without its hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    /// Id.
    pub id: ApiKeyId,
    /// What it is for.
    pub name: String,
    /// The role its requests act with.
    pub role: Role,
    /// When it was created.
    pub created_at: TimestampMs,
    /// When it was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<TimestampMs>,
}

/// A session as given to create it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    /// Hash of the token (cookie value or bearer token); unique.
    pub token_hash: String,
    /// Who logged in.
    pub person_id: PersonId,
    /// When it was created.
    pub created_at: TimestampMs,
    /// When it stops being valid.
    pub expires_at: TimestampMs,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("token_hash", &"<redacted>")
            .field("person_id", &self.person_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A valid session with the person it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The person (active, or the session would not be valid).
    pub person: Person,
    /// When it was created.
    pub created_at: TimestampMs,
    /// When it stops being valid.
    pub expires_at: TimestampMs,
}

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: ApiKeyId,
    name: String,
    role: String,
    created_at: TimestampMs,
    revoked_at: Option<TimestampMs>,
}

impl TryFrom<ApiKeyRow> for ApiKey {
    type Error = StoreError;
    fn try_from(r: ApiKeyRow) -> Result<ApiKey> {
        Ok(ApiKey {
            id: r.id,
            name: r.name,
            role: Role::from_db("api_keys", "role", r.role)?,
            created_at: r.created_at,
            revoked_at: r.revoked_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: PersonId,
    username: String,
    display_name: String,
    role: String,
    tier: String,
    team_id: Option<crate::ids::TeamId>,
    active: bool,
    created_at: TimestampMs,
    expires_at: TimestampMs,
}

impl Store {
    // ----- API keys ----------------------------------------------------------------

    /// Stores a new API key.
    pub async fn create_api_key(&self, key: &NewApiKey, now: TimestampMs) -> Result<ApiKey> {
        check_text("name", &key.name, MAX_NAME_CHARS)?;
        check_hash("key_hash", &key.key_hash)?;
        let row =
            in_write_tx!(self, |tx, Db| {
                sqlx::query_as::<Db, ApiKeyRow>(
                "INSERT INTO api_keys (name, role, key_hash, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, name, role, created_at, revoked_at",
            )
            .bind(&key.name)
            .bind(key.role.as_str())
            .bind(&key.key_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique(|| "an API key with this hash already exists".to_owned()))?
            });
        row.try_into()
    }

    /// The API key with this hash if it exists and is not revoked.
    pub async fn find_api_key(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, ApiKeyRow>(
                "SELECT id, name, role, created_at, revoked_at FROM api_keys \
                 WHERE key_hash = $1 AND revoked_at IS NULL",
            )
            .bind(key_hash)
            .fetch_optional(pool)
            .await?
        });
        row.map(ApiKey::try_from).transpose()
    }

    /// Every API key, revoked ones included, by id.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        let rows = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, ApiKeyRow>(
                "SELECT id, name, role, created_at, revoked_at FROM api_keys ORDER BY id",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(ApiKey::try_from).collect()
    }

    /// Revokes API key `id` (kept for the audit trail). Revoking twice keeps the first
    /// time.
    pub async fn revoke_api_key(&self, id: ApiKeyId, now: TimestampMs) -> Result<ApiKey> {
        let row = in_write_tx!(self, |tx, Db| {
            sqlx::query_as::<Db, ApiKeyRow>(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 \
                 RETURNING id, name, role, created_at, revoked_at",
            )
            .bind(now)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        });
        row.ok_or_else(|| StoreError::not_found(ApiKeyId::ENTITY, id))?
            .try_into()
    }

    // ----- sessions ----------------------------------------------------------------

    /// Stores a new session for an existing, active person.
    pub async fn create_session(&self, session: &NewSession) -> Result<()> {
        check_hash("token_hash", &session.token_hash)?;
        if session.expires_at <= session.created_at {
            return Err(StoreError::invalid(
                "expires_at",
                session.expires_at.0,
                format!("a time after created_at ({})", session.created_at.0),
            ));
        }
        in_write_tx!(self, |tx, Db| {
            let active = count!(
                &mut *tx,
                Db,
                "SELECT COUNT(*) FROM people WHERE id = $1 AND active = TRUE",
                session.person_id
            );
            if active == 0 {
                return Err(StoreError::invalid(
                    "person_id",
                    session.person_id,
                    "the id of an existing, active person",
                ));
            }
            sqlx::query::<Db>(
                "INSERT INTO sessions (token_hash, person_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&session.token_hash)
            .bind(session.person_id)
            .bind(session.created_at)
            .bind(session.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(on_unique(|| {
                "a session with this token already exists".to_owned()
            }))?;
        });
        Ok(())
    }

    /// The session with this token hash if it has not expired at `now` and its person is
    /// active; `None` otherwise.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: TimestampMs,
    ) -> Result<Option<Session>> {
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, SessionRow>(
                "SELECT p.id, p.username, p.display_name, p.role, p.tier, p.team_id, p.active, \
                 s.created_at, s.expires_at \
                 FROM sessions s JOIN people p ON p.id = s.person_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND p.active = TRUE",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        row.map(|r| {
            Ok(Session {
                person: Person {
                    id: r.id,
                    username: r.username,
                    display_name: r.display_name,
                    role: Role::from_db("people", "role", r.role)?,
                    tier: Tier::from_db("people", "tier", r.tier)?,
                    team_id: r.team_id,
                    active: r.active,
                },
                created_at: r.created_at,
                expires_at: r.expires_at,
            })
        })
        .transpose()
    }

    /// Ends the session with this token hash (logout); whether one existed.
    pub async fn delete_session(&self, token_hash: &str) -> Result<bool> {
        let n = in_write_tx!(self, |tx, Db| {
            sqlx::query::<Db>("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Ends every session of person `id` (password change, forced logout); how many.
    pub async fn delete_sessions_of(&self, id: PersonId) -> Result<u64> {
        Ok(in_write_tx!(self, |tx, Db| {
            sqlx::query::<Db>("DELETE FROM sessions WHERE person_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }))
    }

    /// Removes sessions expired at `now`; how many.
    pub async fn delete_expired_sessions(&self, now: TimestampMs) -> Result<u64> {
        Ok(in_write_tx!(self, |tx, Db| {
            sqlx::query::<Db>("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }))
    }
}
