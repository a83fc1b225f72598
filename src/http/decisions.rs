//! Clerks' decisions and their audit log, shared by the JSON API
//! (`POST /api/v1/applications/{id}/decisions`) and the desk's forms, so
//! both validate the same way and write the same `audit_log` rows.

use serde::Deserialize;

use super::auth::Principal;
use super::{ApiError, ApiResult};
use crate::db::Db;
use crate::report::Report;
use crate::store::decisions as store;
pub use crate::store::decisions::{AuditEntry, AuditRow};

/// A decision as asked for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// A check id (`V1`), or absent for a decision on the whole application.
    #[serde(default)]
    pub check_id: Option<String>,
    /// `accept` / `override` on a check; `approve` / `return` on the
    /// application ([`Action`]). A string here, so that an unknown one gets
    /// the error that lists the known ones.
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// What a clerk may do: to a check, accept or override it; to the whole
/// application, approve or return it. Stored by [`Action::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Override,
    Approve,
    Return,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Accept, Action::Override, Action::Approve, Action::Return];

    pub fn key(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Override => "override",
            Action::Approve => "approve",
            Action::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == s)
    }

    /// Whether it decides one check (else the whole application).
    pub fn on_check(self) -> bool {
        matches!(self, Action::Accept | Action::Override)
    }

    /// The state it leaves the check or application in.
    pub fn state(self) -> DecisionState {
        match self {
            Action::Accept => DecisionState::Accepted,
            Action::Override => DecisionState::Overridden,
            Action::Approve => DecisionState::Approved,
            Action::Return => DecisionState::Returned,
        }
    }

    /// Overriding a check and returning an application need a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Override | Action::Return)
    }
}

/// Where a decision leaves a check or an application; the audit log's
/// `after`. (`before` may also be a report status or verdict key.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionState {
    Accepted,
    Overridden,
    Approved,
    Returned,
}

impl DecisionState {
    pub fn key(self) -> &'static str {
        match self {
            DecisionState::Accepted => "accepted",
            DecisionState::Overridden => "overridden",
            DecisionState::Approved => "approved",
            DecisionState::Returned => "returned",
        }
    }
}

/// What a check or the application stands at now: the last decision on it,
/// else the report's status or verdict.
pub async fn current(db: &Db, id: &str, check: Option<&str>, report: &Report) -> ApiResult<String> {
    let last = store::last_state(db, id, check).await?;
    Ok(last.unwrap_or_else(|| match check {
        Some(c) => report.checks.iter().find(|x| x.id == c).map_or("unknown", |x| x.status.key()).to_string(),
        None => report.verdict.key().to_string(),
    }))
}

/// Validates `d` against the application's report and appends it to the
/// audit log. The caller has checked that `who` is staff and may see the
/// application; `report` is `None` while the precheck has not finished.
pub async fn record(db: &Db, who: &Principal, id: &str, status: crate::store::applications::JobStatus, report: Option<&Report>, d: &Decision) -> ApiResult<AuditEntry> {
    let Some(report) = report else {
        return Err(ApiError::Unprocessable(format!("the application is {status}; decisions need a finished precheck")));
    };
    let reason = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(String::from);
    if let Some(c) = d.check_id.as_deref()
        && !report.checks.iter().any(|x| x.id == c)
    {
        return Err(ApiError::bad("unknown_check", format!("no check '{c}' in this report")));
    }
    let action = Action::parse(&d.action).filter(|a| a.on_check() == d.check_id.is_some());
    let Some(action) = action else {
        return Err(match d.check_id {
            Some(_) => ApiError::bad("invalid_action", format!("'{}' is not a check decision (accept, override)", d.action)),
            None => ApiError::bad("invalid_action", format!("'{}' is not an application decision (approve, return)", d.action)),
        });
    };
    if action.needs_reason() && reason.is_none() {
        return Err(match action {
            Action::Override => ApiError::bad("reason_required", "an override needs a reason"),
            _ => ApiError::bad("reason_required", "returning an application needs the reasons"),
        });
    }
    let after = action.state();
    let entry = AuditEntry {
        check_id: d.check_id.clone(),
        actor: who.name.clone(),
        action: action.key().to_string(),
        reason,
        before: Some(current(db, id, d.check_id.as_deref(), report).await?),
        after: Some(after.key().to_string()),
        created_at: chrono::Utc::now().to_rfc3339(),
    };
    store::append(db, id, &entry).await?;
    if after == DecisionState::Approved {
        archive_approved(db, id, report).await;
    }
    Ok(entry)
}

/// The audit log of one application, oldest first.
pub async fn log(db: &Db, id: &str) -> ApiResult<Vec<AuditEntry>> {
    Ok(store::log(db, id).await?)
}

/// The newest `limit` decisions over all applications, newest first.
pub async fn recent(db: &Db, limit: i64) -> ApiResult<Vec<AuditRow>> {
    Ok(store::recent(db, limit).await?)
}

/// A clerk's approval verifies the application: its pages are archived for
/// reuse (`crate::archive`). A failure here is logged; the decision stands.
async fn archive_approved(db: &Db, id: &str, report: &Report) {
    let form = crate::store::applications::form(db, id).await;
    let app = form.ok().and_then(|f| crate::form::Application::parse(&f).ok());
    let Some(app) = app else {
        tracing::warn!(application = id, "an approved application could not be archived: its stored form is unreadable");
        return;
    };
    // Approving twice archives once.
    let already = match crate::store::archive::count_from(db, id).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(application = id, error = %e, "archiving an approved application failed");
            return;
        }
    };
    if already == 0
        && let Err(e) = crate::archive::store(db, id, &app, &report.documents).await
    {
        tracing::warn!(application = id, error = %e, "archiving an approved application failed");
    }
}
