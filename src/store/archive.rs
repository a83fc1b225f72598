//! `archive`: readings of verified pages, per entity, for reuse
//! (the rules of what is archived and reused are `crate::archive`).

use crate::db::Db;

/// A reading to archive.
pub struct NewEntry<'a> {
    /// `company:USCC`, `person:ID`, `vehicle:VIN`.
    pub entity: &'a str,
    pub kind: &'a str,
    /// The document as read, JSON.
    pub document: &'a str,
    pub application_id: &'a str,
    pub file: &'a str,
    pub archived_at: &'a str,
    /// `YYYY-MM-DD`, or `None` for no end.
    pub valid_until: Option<&'a str>,
}

pub async fn insert(db: &Db, e: &NewEntry<'_>) -> Result<(), sqlx::Error> {
    super::execute(db, "INSERT INTO archive (entity, kind, document, application_id, file, archived_at, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7)", &[Some(e.entity), Some(e.kind), Some(e.document), Some(e.application_id), Some(e.file), Some(e.archived_at), e.valid_until]).await?;
    Ok(())
}

/// How many readings application `id` has archived.
pub async fn count_from(db: &Db, id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM archive WHERE application_id = $1").bind(id.to_string()).fetch_one(&db.pool).await
}

/// An archived reading with where it came from.
#[derive(Debug, sqlx::FromRow)]
pub struct Stored {
    pub document: String,
    pub application_id: String,
    pub file: String,
    pub archived_at: String,
    pub valid_until: Option<String>,
}

/// The latest reading of `kind` for `entity` still valid on `on` (`YYYY-MM-DD`).
pub async fn latest_valid(db: &Db, entity: &str, kind: &str, on: &str) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as(
        "SELECT document, application_id, file, archived_at, valid_until FROM archive \
         WHERE entity = $1 AND kind = $2 AND (valid_until IS NULL OR valid_until >= $3) \
         ORDER BY archived_at DESC, id DESC LIMIT 1",
    )
    .bind(entity.to_string())
    .bind(kind.to_string())
    .bind(on.to_string())
    .fetch_optional(&db.pool)
    .await
}

/// One archived page of an entity, for its history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub kind: String,
    pub application_id: String,
    pub file: String,
    pub archived_at: String,
    pub valid_until: Option<String>,
}

/// An entity's archive, newest first.
pub async fn history(db: &Db, entity: &str) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as("SELECT kind, application_id, file, archived_at, valid_until FROM archive WHERE entity = $1 ORDER BY archived_at DESC, id DESC")
        .bind(entity.to_string())
        .fetch_all(&db.pool)
        .await
}
