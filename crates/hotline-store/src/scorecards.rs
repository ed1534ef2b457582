//! The center's balanced scorecard definition, versioned (migration 0003): every save adds
//! a row and the latest is in force; the text is kept as it was sent (TOML or JSON), so
//! the comments of a TOML file survive. The store does not parse it: the server validates
//! it with `hotline-scorecard` before saving.
//!
//! Also the one aggregate the scorecard's organisation needs: how many contacts each
//! team's agents answered in each queue (a team owns the queues it answers most).

use serde::{Deserialize, Serialize};

use crate::db::{in_write_tx, on_read};
use crate::error::{Result, StoreError};
use crate::ids::{PersonId, TimestampMs};
use crate::Store;

/// Longest definition text, in bytes.
pub const MAX_DEFINITION_BYTES: usize = 512 * 1024;

/// The syntax a definition was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionFormat {
    /// TOML (the file format).
    Toml,
    /// JSON (the same keys).
    Json,
}

impl DefinitionFormat {
    /// `toml`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            DefinitionFormat::Toml => "toml",
            DefinitionFormat::Json => "json",
        }
    }

    fn parse(text: &str) -> Option<DefinitionFormat> {
        match text {
            "toml" => Some(DefinitionFormat::Toml),
            "json" => Some(DefinitionFormat::Json),
            _ => None,
        }
    }
}

/// A definition to save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewScorecardDefinition {
    /// When it was saved.
    pub created_at: TimestampMs,
    /// Who saved it (`None`: an API key or the system).
    pub created_by: Option<PersonId>,
    /// Its syntax.
    pub format: DefinitionFormat,
    /// The text, as sent.
    pub definition: String,
}

/// A saved definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorecardDefinition {
    /// Version: increasing with every save.
    pub id: i64,
    /// When it was saved.
    pub created_at: TimestampMs,
    /// Who saved it (`None` when unknown or since deleted).
    pub created_by: Option<PersonId>,
    /// Its syntax.
    pub format: DefinitionFormat,
    /// The text, as sent.
    pub definition: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    created_at: i64,
    created_by: Option<i64>,
    format: String,
    definition: String,
}

impl TryFrom<Row> for ScorecardDefinition {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<ScorecardDefinition> {
        Ok(ScorecardDefinition {
            id: r.id,
            created_at: TimestampMs(r.created_at),
            created_by: r.created_by.map(PersonId),
            format: DefinitionFormat::parse(&r.format).ok_or_else(|| StoreError::Corrupt {
                table: "scorecard_definitions",
                column: "format",
                value: r.format.clone(),
            })?,
            definition: r.definition,
        })
    }
}

impl Store {
    /// Saves a new version of the definition; it is in force from now on.
    pub async fn save_scorecard_definition(
        &self,
        new: &NewScorecardDefinition,
    ) -> Result<ScorecardDefinition> {
        if new.definition.trim().is_empty() {
            return Err(StoreError::invalid(
                "definition",
                "",
                "a scorecard definition (TOML or JSON)",
            ));
        }
        if new.definition.len() > MAX_DEFINITION_BYTES {
            return Err(StoreError::invalid(
                "definition",
                format!("<{} bytes>", new.definition.len()),
                format!("at most {MAX_DEFINITION_BYTES} bytes"),
            ));
        }
        let row = in_write_tx!(self, |tx, Db| {
            sqlx::query_as::<Db, Row>(
                "INSERT INTO scorecard_definitions (created_at, created_by, format, definition) \
                 VALUES ($1, $2, $3, $4) \
                 RETURNING id, created_at, created_by, format, definition",
            )
            .bind(new.created_at.0)
            .bind(new.created_by.map(|p| p.0))
            .bind(new.format.as_str())
            .bind(&new.definition)
            .fetch_one(&mut *tx)
            .await?
        });
        row.try_into()
    }

    /// The definition in force: the latest saved, or `None` when none was ever saved.
    pub async fn latest_scorecard_definition(&self) -> Result<Option<ScorecardDefinition>> {
        let row = on_read!(self, |pool, Db| {
            sqlx::query_as::<Db, Row>(
                "SELECT id, created_at, created_by, format, definition \
                 FROM scorecard_definitions ORDER BY id DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        });
        row.map(ScorecardDefinition::try_from).transpose()
    }
}
