//! The one error type of the store, shaped for the API layer to map onto HTTP statuses:
//! [`StoreError::NotFound`] → 404, [`StoreError::Conflict`] → 409,
//! [`StoreError::Invalid`] → 422, everything else → 500/503 with the cause logged, never
//! shown (its `Display` carries no SQL and no row data).

/// What can go wrong in a store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The entity addressed by id (or unique key) does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What was looked for: "site", "person", "queue", …
        entity: &'static str,
        /// The id or key that was given.
        id: String,
    },
    /// The operation would break a uniqueness rule or leave dangling references
    /// (a taken username, deleting a team that still has members, …).
    #[error("conflict: {what}")]
    Conflict {
        /// A sentence for the user naming what conflicts.
        what: String,
    },
    /// An input value is not allowed.
    #[error("invalid {field}: {value:?} (allowed: {allowed})")]
    Invalid {
        /// The field, with its path for nested input (`routing_steps[1].after_s`,
        /// `records[12].queue_id`).
        field: String,
        /// The value that was given, as text.
        value: String,
        /// What would have been accepted.
        allowed: String,
    },
    /// The database URL or options cannot be used.
    #[error("cannot use database {target}: {reason}")]
    Config {
        /// The URL with any password removed, or the path.
        target: String,
        /// Why not.
        reason: String,
    },
    /// Applying the schema migrations failed (a newer schema than this binary knows,
    /// a modified migration, …).
    #[error("database migration failed")]
    Migration(#[source] sqlx::migrate::MigrateError),
    /// The database failed or is unreachable; the cause is for logs, not for users.
    #[error("database error")]
    Database(#[source] sqlx::Error),
    /// The bulk read's own SQLite connection failed (see `scan.rs`); the cause is for
    /// logs, not for users.
    #[error("database error")]
    Sqlite(#[source] rusqlite::Error),
    /// A read was cancelled because the runtime is shutting down.
    #[error("the read was cancelled (shutting down)")]
    Cancelled,
    /// A stored value could not be read back (a row written by a newer version, or
    /// edited by hand).
    #[error("corrupt stored value in {table}.{column}: {value:?}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The value found.
        value: String,
    },
}

/// Shorthand for results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// An [`StoreError::Invalid`] for `field`.
    pub fn invalid(
        field: impl Into<String>,
        value: impl ToString,
        allowed: impl Into<String>,
    ) -> StoreError {
        StoreError::Invalid {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    /// A [`StoreError::NotFound`] for `entity` with `id`.
    pub fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// A [`StoreError::Conflict`].
    pub fn conflict(what: impl Into<String>) -> StoreError {
        StoreError::Conflict { what: what.into() }
    }

    /// Whether the database refused the write because of a unique constraint.
    pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
        err.as_database_error()
            .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
    }
}

/// Constraint violations the repositories did not foresee (a race between a check and a
/// write on PostgreSQL) still become conflicts, never 500s; everything else is a database
/// error.
impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        use sqlx::error::ErrorKind;
        match err.as_database_error().map(|e| e.kind()) {
            Some(ErrorKind::UniqueViolation) => {
                StoreError::conflict("a record with the same unique key already exists")
            }
            Some(ErrorKind::ForeignKeyViolation) => StoreError::conflict(
                "the change would leave a reference to a missing or still-referenced record",
            ),
            _ => StoreError::Database(err),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> StoreError {
        StoreError::Migration(err)
    }
}

/// Maps a unique violation to a [`StoreError::Conflict`] saying `what`; any other error
/// as `From` does.
pub(crate) fn on_unique(what: impl FnOnce() -> String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| {
        if StoreError::is_unique_violation(&err) {
            StoreError::conflict(what())
        } else {
            StoreError::from(err)
        }
    }
}
