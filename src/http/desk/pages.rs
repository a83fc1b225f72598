//! The desk's view models and the reads behind them; the HTML that shows
//! them is in `views`, one module per page.

use std::collections::HashMap;

use serde_json::Value;

use crate::db::Db;
use crate::http::{ApiError, ApiResult};
use crate::report::{Report, Status};
use crate::store::applications::{self as store, JobStatus};

// ------------------------------------------------------------------ data

/// One line of the queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: String,
    pub application_no: Option<String>,
    pub carrier: String,
    pub status: JobStatus,
    pub verdict: Option<String>,
    pub blocks: usize,
    pub warns: usize,
    pub decision: Option<String>,
    pub created_at: String,
}

/// The queue holds at most this many rows; the rest wait for a filter.
pub const QUEUE_LIMIT: i64 = 1000;

/// The queue in the clerk's order: block, review, pass (then what has no
/// verdict yet), oldest first within each.
pub async fn load_queue(db: &Db) -> ApiResult<Vec<QueueRow>> {
    let rows = store::queue(db, QUEUE_LIMIT).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let store::QueueEntry { app: store::Stored { id, application_no, status, form, report, created_at, .. }, verdict, decision } = row;
            let carrier = serde_json::from_str::<Value>(&form)
                .ok()
                .and_then(|f| f["carrier"]["name"].as_str().map(String::from))
                .unwrap_or_default();
            let count = |r: &Report, s: Status| r.checks.iter().filter(|c| c.status == s).count();
            let (blocks, warns) = report
                .as_deref()
                .and_then(|r| serde_json::from_str::<Report>(r).ok())
                .map_or((0, 0), |r| (count(&r, Status::Block), count(&r, Status::Warn)));
            QueueRow { id, application_no, carrier, status, verdict, blocks, warns, decision, created_at }
        })
        .collect())
}

/// The last decision on a check or on the application.
#[derive(Debug, Clone)]
pub struct State {
    pub after: String,
    pub actor: String,
    pub at: String,
    pub reason: Option<String>,
}

/// Everything the application, audit and print pages show.
pub struct AppView {
    pub id: String,
    pub application_no: Option<String>,
    pub status: JobStatus,
    pub error: Option<String>,
    pub created_at: String,
    pub form: Value,
    pub report: Option<Report>,
    pub checks_state: HashMap<String, State>,
    pub app_state: Option<State>,
}

pub async fn load_application(db: &Db, id: &str) -> ApiResult<AppView> {
    let row = store::find(db, id).await?.ok_or(ApiError::NotFound)?;
    let store::Stored { id, application_no, status, error, form, report: report_json, created_at, .. } = row;
    let form: Value = serde_json::from_str(&form).map_err(|e| ApiError::Internal(anyhow::anyhow!("application {id}: stored form: {e}")))?;
    let report = report_json.as_deref().map(|r| crate::http::applications::stored_report(&id, r)).transpose()?;
    let mut checks_state = HashMap::new();
    let mut app_state = None;
    for e in crate::http::decisions::log(db, &id).await? {
        let s = State { after: e.after.unwrap_or_default(), actor: e.actor, at: e.created_at, reason: e.reason };
        match e.check_id {
            Some(c) => {
                checks_state.insert(c, s);
            }
            None => app_state = Some(s),
        }
    }
    Ok(AppView { id, application_no, status, error, created_at, form, report, checks_state, app_state })
}
