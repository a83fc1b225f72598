//! `/api/v1/applications`: submit, status and report, stored pages,
//! decisions and their audit log.

use axum::Json;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::auth::Principal;
use super::decisions::{self, Decision};
use super::{ApiError, ApiResult, AppState};
use super::submission::{self, Submission};
use crate::ingest::PageFile;
use crate::jobs;
use crate::store::applications::{self as store, JobStatus, Stored};
use crate::lang::Lang;
use crate::report::Report;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applications", post(submit))
        .route("/applications/{id}", get(status))
        .route("/applications/{id}/documents/{file}", get(document))
        .route("/applications/{id}/decisions", post(decide))
        .route("/applications/{id}/audit", get(audit))
}

async fn submit(State(s): State<AppState>, who: Result<Principal, ApiError>, mp: Result<Multipart, MultipartRejection>) -> ApiResult<impl IntoResponse> {
    // A caller without a valid token gets its 401 first, whatever its body,
    // and the body is read (within bounds) so that it is not cut off by a
    // connection closed while it was still sending its pages.
    let who = match who {
        Ok(who) => who,
        Err(e) => {
            if let Ok(mut mp) = mp {
                submission::linger(&mut mp).await;
            }
            return Err(e);
        }
    };
    // axum's own rejection is plain text; every error here is JSON.
    let mp = mp.map_err(|e| ApiError::bad("bad_multipart", format!("expected a multipart/form-data body: {}", e.body_text())))?;
    let Submission { application: app, pages } = submission::read(mp, &s.limits).await?;
    if jobs::queued(&s.db).await? >= s.limits.max_queued {
        return Err(ApiError::QueueFull { retry_after_s: 30 });
    }
    let id = jobs::submit(&s.db, Some(&who.id), &app, pages).await?;
    s.notify.notify_one();
    let body = json!({ "id": id, "status": JobStatus::Queued, "status_url": format!("/api/v1/applications/{id}") });
    Ok((StatusCode::ACCEPTED, Json(body)))
}

/// The application if `who` may see it. Others' applications are "not
/// found" to an applicant: their existence is not shown either.
async fn visible(s: &AppState, who: &Principal, id: &str) -> ApiResult<Stored> {
    match store::find(&s.db, id).await? {
        Some(r) if who.is_staff() || r.owner.as_deref() == Some(who.id.as_str()) => Ok(r),
        _ => Err(ApiError::NotFound),
    }
}

/// A stored report, read back. It was written by `jobs::run`, so one that
/// does not parse is this service's fault (500), named by application.
pub(crate) fn stored_report(id: &str, json: &str) -> ApiResult<Report> {
    serde_json::from_str(json).map_err(|e| ApiError::Internal(anyhow::anyhow!("application {id}: stored report: {e}")))
}

/// The report comes in Chinese, or in English with `?lang=en` or an
/// `Accept-Language` that prefers English.
async fn status(State(s): State<AppState>, who: Principal, lang: Lang, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let r = visible(&s, &who, &id).await?;
    let mut body = json!({
        "id": r.id, "application_no": r.application_no, "status": r.status,
        "submitted_at": r.created_at, "updated_at": r.updated_at,
    });
    if let Some(report) = r.report {
        let report = stored_report(&r.id, &report)?;
        body["report"] = serde_json::to_value(crate::checks::localized(report, lang)).map_err(|e| ApiError::Internal(e.into()))?;
    }
    if let Some(e) = r.error {
        body["error"] = Value::String(e);
    }
    Ok(Json(body))
}

/// Which page of a stored file to show.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    /// 1-based; given, the page comes rendered as PNG.
    pub page: Option<u32>,
}

async fn document(
    State(s): State<AppState>,
    who: Principal,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    visible(&s, &who, &id).await?;
    stored_page(&s.db, &id, &file, q.page, false).await
}

/// A stored file as uploaded; with `page`, that page of it rendered as PNG.
/// `for_browser`: a PDF or TIFF, which browsers do not show in an `<img>`,
/// comes rendered even without `page` (its first page).
pub(crate) async fn stored_page(db: &crate::db::Db, id: &str, file: &str, page: Option<u32>, for_browser: bool) -> ApiResult<Response> {
    let PageFile { content_type: mime, bytes, .. } = store::page(db, id, file).await?.ok_or(ApiError::NotFound)?;
    let page = page.or_else(|| (for_browser && matches!(mime.as_str(), "application/pdf" | "image/tiff")).then_some(1));
    let Some(n) = page else {
        return Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response());
    };
    let name = file.to_string();
    let png = tokio::task::spawn_blocking(move || crate::ingest::page_png(&bytes, &name, n))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(|e| match e {
            crate::ingest::IngestError::NoSuchPage { .. } => ApiError::NotFound,
            e => ApiError::Unprocessable(e.to_string()),
        })?;
    Ok(([(header::CONTENT_TYPE, "image/png".to_string())], png).into_response())
}

async fn decide(State(s): State<AppState>, who: Principal, Path(id): Path<String>, body: axum::body::Bytes) -> ApiResult<impl IntoResponse> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    let d: Decision = serde_json::from_slice(&body).map_err(|e| ApiError::bad("invalid_decision", e.to_string()))?;
    let r = visible(&s, &who, &id).await?;
    let report = r.report.as_deref().map(|j| stored_report(&id, j)).transpose()?;
    let e = decisions::record(&s.db, &who, &id, r.status, report.as_ref(), &d).await?;
    let entry = json!({ "check_id": e.check_id, "actor": e.actor, "action": e.action, "reason": e.reason,
                        "before": e.before, "after": e.after, "at": e.created_at });
    Ok((StatusCode::CREATED, Json(entry)))
}

async fn audit(State(s): State<AppState>, who: Principal, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    visible(&s, &who, &id).await?;
    let rows = decisions::log(&s.db, &id).await?;
    Ok(Json(json!({ "entries": rows })))
}
