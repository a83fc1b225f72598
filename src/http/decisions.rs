//! Clerks' decisions and their audit log, shared by the JSON API
//! (`POST /api/v1/applications/{id}/decisions`) and the desk's forms, so
//! both validate the same way and write the same `audit_log` rows.

use serde::{Deserialize, Serialize};

use super::auth::Principal;
use super::{ApiError, ApiResult};
use crate::db::Db;
use crate::report::Report;

/// A decision as asked for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// A check id (`V1`), or absent for a decision on the whole application.
    #[serde(default)]
    pub check_id: Option<String>,
    /// `accept` / `override` on a check; `approve` / `return` on the application.
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
}

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
    pub check_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub reason: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub created_at: String,
}

/// What a check or the application stands at now: the last decision on it,
/// else the report's status or verdict.
pub async fn current(db: &Db, id: &str, check: Option<&str>, report: &Report) -> ApiResult<String> {
    let last: Option<String> = match check {
        Some(c) => {
            sqlx::query_scalar("SELECT after FROM audit_log WHERE application_id = $1 AND check_id = $2 ORDER BY id DESC LIMIT 1")
                .bind(id.to_string())
                .bind(c.to_string())
                .fetch_optional(&db.pool)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT after FROM audit_log WHERE application_id = $1 AND check_id IS NULL ORDER BY id DESC LIMIT 1")
                .bind(id.to_string())
                .fetch_optional(&db.pool)
                .await?
        }
    };
    Ok(last.unwrap_or_else(|| match check {
        Some(c) => report.checks.iter().find(|x| x.id == c).map_or("unknown", |x| x.status.key()).to_string(),
        None => report.verdict.key().to_string(),
    }))
}

/// Validates `d` against the application's report and appends it to the
/// audit log. The caller has checked that `who` is staff and may see the
/// application; `report` is `None` while the precheck has not finished.
pub async fn record(db: &Db, who: &Principal, id: &str, status: &str, report: Option<&str>, d: &Decision) -> ApiResult<AuditEntry> {
    let report: Report = match report {
        Some(rep) => serde_json::from_str(rep).map_err(|e| ApiError::Internal(anyhow::anyhow!("application {id}: stored report: {e}")))?,
        None => return Err(ApiError::Unprocessable(format!("the application is {status}; decisions need a finished precheck"))),
    };
    let reason = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(String::from);
    let after = match (d.check_id.as_deref(), d.action.as_str()) {
        (Some(c), action) => {
            if !report.checks.iter().any(|x| x.id == c) {
                return Err(ApiError::bad("unknown_check", format!("no check '{c}' in this report")));
            }
            match action {
                "accept" => "accepted",
                "override" if reason.is_some() => "overridden",
                "override" => return Err(ApiError::bad("reason_required", "an override needs a reason")),
                other => return Err(ApiError::bad("invalid_action", format!("'{other}' is not a check decision (accept, override)"))),
            }
        }
        (None, "approve") => "approved",
        (None, "return") if reason.is_some() => "returned",
        (None, "return") => return Err(ApiError::bad("reason_required", "returning an application needs the reasons")),
        (None, other) => return Err(ApiError::bad("invalid_action", format!("'{other}' is not an application decision (approve, return)"))),
    };
    let before = current(db, id, d.check_id.as_deref(), &report).await?;
    let at = chrono::Utc::now().to_rfc3339();
    sqlx::query(
        "INSERT INTO audit_log (application_id, check_id, actor, action, reason, before, after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(d.check_id.clone())
    .bind(who.name.clone())
    .bind(d.action.clone())
    .bind(reason.clone())
    .bind(before.clone())
    .bind(after.to_string())
    .bind(at.clone())
    .execute(&db.pool)
    .await?;
    if after == "approved" {
        archive_approved(db, id, &report).await;
    }
    Ok(AuditEntry {
        check_id: d.check_id.clone(),
        actor: who.name.clone(),
        action: d.action.clone(),
        reason,
        before: Some(before),
        after: Some(after.to_string()),
        created_at: at,
    })
}

/// The audit log of one application, oldest first.
pub async fn log(db: &Db, id: &str) -> ApiResult<Vec<AuditEntry>> {
    Ok(sqlx::query_as("SELECT check_id, actor, action, reason, before, after, created_at FROM audit_log WHERE application_id = $1 ORDER BY id")
        .bind(id.to_string())
        .fetch_all(&db.pool)
        .await?)
}

/// The newest `limit` decisions over all applications, newest first.
pub async fn recent(db: &Db, limit: i64) -> ApiResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(
        "SELECT a.application_id, p.application_no, a.check_id, a.actor, a.action, a.reason, a.before, a.after, a.created_at \
         FROM audit_log a JOIN applications p ON p.id = a.application_id ORDER BY a.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?)
}

/// A clerk's approval verifies the application: its pages are archived for
/// reuse ([`crate::archive`]). A failure here is logged; the decision stands.
async fn archive_approved(db: &Db, id: &str, report: &Report) {
    let form: Result<String, _> = sqlx::query_scalar("SELECT form FROM applications WHERE id = $1").bind(id.to_string()).fetch_one(&db.pool).await;
    let app = form.ok().and_then(|f| crate::form::Application::parse(&f).ok());
    let Some(app) = app else {
        tracing::warn!(application = id, "an approved application could not be archived: its stored form is unreadable");
        return;
    };
    let docs = &report.documents;
    // Approving twice archives once.
    let already: i64 = match sqlx::query_scalar("SELECT COUNT(*) FROM archive WHERE application_id = $1").bind(id.to_string()).fetch_one(&db.pool).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(application = id, error = %e, "archiving an approved application failed");
            return;
        }
    };
    if already == 0
        && let Err(e) = crate::archive::store(db, id, &app, docs).await
    {
        tracing::warn!(application = id, error = %e, "archiving an approved application failed");
    }
}
