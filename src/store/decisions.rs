//! `audit_log`: clerks' decisions on checks and applications, newest last.

use serde::Serialize;

use crate::db::Db;

/// One row of the audit log.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AuditEntry {
    pub check_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub reason: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: String,
}

/// An audit row with the application it belongs to (the desk's log of
/// every decision).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub application_id: String,
    pub application_no: Option<String>,
    #[sqlx(flatten)]
    pub entry: AuditEntry,
}

/// The state the last decision on a check (or, with `None`, on the whole
/// application) left it in.
pub async fn last_state(db: &Db, id: &str, check: Option<&str>) -> Result<Option<String>, sqlx::Error> {
    match check {
        Some(c) => {
            sqlx::query_scalar("SELECT after FROM audit_log WHERE application_id = $1 AND check_id = $2 ORDER BY id DESC LIMIT 1")
                .bind(id.to_string())
                .bind(c.to_string())
                .fetch_optional(&db.pool)
                .await
        }
        None => {
            sqlx::query_scalar("SELECT after FROM audit_log WHERE application_id = $1 AND check_id IS NULL ORDER BY id DESC LIMIT 1")
                .bind(id.to_string())
                .fetch_optional(&db.pool)
                .await
        }
    }
}

/// Appends a decision on application `id`.
pub async fn append(db: &Db, id: &str, e: &AuditEntry) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO audit_log (application_id, check_id, actor, action, reason, before, after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let params = [Some(id), e.check_id.as_deref(), Some(&e.actor), Some(&e.action), e.reason.as_deref(), e.before.as_deref(), e.after.as_deref(), Some(&e.created_at)];
    super::execute(db, sql, &params).await?;
    Ok(())
}

/// The audit log of one application, oldest first.
pub async fn log(db: &Db, id: &str) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as("SELECT check_id, actor, action, reason, before, after, created_at FROM audit_log WHERE application_id = $1 ORDER BY id")
        .bind(id.to_string())
        .fetch_all(&db.pool)
        .await
}

/// The newest `limit` decisions over all applications, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.application_id, p.application_no, a.check_id, a.actor, a.action, a.reason, a.before, a.after, a.created_at \
         FROM audit_log a JOIN applications p ON p.id = a.application_id ORDER BY a.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}
