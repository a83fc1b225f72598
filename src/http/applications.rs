//! `/api/v1/applications`: submit, status and report, stored pages,
//! decisions and their audit log.

use axum::Json;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::Principal;
use super::{ApiError, ApiResult, AppState};
use crate::form::Application;
use crate::jobs::{self, Upload};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applications", post(submit))
        .route("/applications/{id}", get(status))
        .route("/applications/{id}/documents/{file}", get(document))
        .route("/applications/{id}/decisions", post(decide))
        .route("/applications/{id}/audit", get(audit))
}

/// The image formats a page may come in, by their magic bytes.
fn sniff(bytes: &[u8]) -> Option<(&'static str, image::ImageFormat)> {
    let f = image::guess_format(bytes).ok()?;
    let mime = match f {
        image::ImageFormat::Jpeg => "image/jpeg",
        image::ImageFormat::Png => "image/png",
        image::ImageFormat::WebP => "image/webp",
        image::ImageFormat::Tiff => "image/tiff",
        _ => return None,
    };
    Some((mime, f))
}

/// Reads the image header only: enough to refuse a decompression bomb
/// before anything decodes it.
fn dimensions(bytes: &[u8], format: image::ImageFormat) -> Option<(u32, u32)> {
    image::ImageReader::with_format(std::io::Cursor::new(bytes), format).into_dimensions().ok()
}

async fn submit(State(s): State<AppState>, who: Principal, mut mp: Multipart) -> ApiResult<impl IntoResponse> {
    let limits = s.limits.clone();
    let mut form: Option<Application> = None;
    let mut uploads: Vec<Upload> = vec![];
    let mut parts = 0usize;
    while let Some(field) = mp.next_field().await.map_err(|e| ApiError::bad("bad_multipart", format!("the multipart body is malformed: {e}")))? {
        parts += 1;
        if parts > limits.max_pages + 1 {
            return Err(ApiError::TooLarge(format!("at most {} pages per application", limits.max_pages)));
        }
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|e| {
            if e.to_string().contains("length limit") {
                ApiError::TooLarge("the request is larger than the service accepts".into())
            } else {
                ApiError::bad("bad_multipart", format!("part '{name}' could not be read: {e}"))
            }
        })?;
        if name == "application" {
            if bytes.len() > limits.max_form_bytes {
                return Err(ApiError::TooLarge(format!("the application part is over {} bytes", limits.max_form_bytes)));
            }
            let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::bad("invalid_form", "the application part is not UTF-8"))?;
            form = Some(Application::parse(text).map_err(|e| ApiError::bad("invalid_form", e.to_string()))?);
            continue;
        }
        if bytes.len() > limits.max_page_bytes {
            return Err(ApiError::TooLarge(format!("page '{name}' is over {} MB", limits.max_page_bytes / (1024 * 1024))));
        }
        if bytes.is_empty() {
            return Err(ApiError::Unprocessable(format!("page '{name}' is empty")));
        }
        let (mime, format) = sniff(&bytes)
            .ok_or_else(|| ApiError::UnsupportedMedia(format!("page '{name}' is not a JPEG, PNG, WebP or TIFF image")))?;
        let (w, h) = dimensions(&bytes, format).ok_or_else(|| ApiError::Unprocessable(format!("page '{name}' is not a readable image")))?;
        if w as u64 * h as u64 > limits.max_page_pixels {
            return Err(ApiError::TooLarge(format!("page '{name}' is {w}×{h} pixels, over {} MP", limits.max_page_pixels / 1_000_000)));
        }
        if uploads.iter().any(|u| u.file == name) {
            return Err(ApiError::bad("duplicate_part", format!("page '{name}' is sent twice")));
        }
        uploads.push(Upload { file: name, content_type: mime.to_string(), bytes: bytes.to_vec() });
    }
    let app = form.ok_or_else(|| ApiError::bad("missing_application", "no part named 'application' holds the form"))?;
    for u in &uploads {
        if !app.documents.iter().any(|d| d.file == u.file) {
            return Err(ApiError::bad("unexpected_part", format!("part '{}' is not listed in documents[]", u.file)));
        }
    }
    if let Some(d) = app.documents.iter().find(|d| !uploads.iter().any(|u| u.file == d.file)) {
        return Err(ApiError::bad("missing_document", format!("documents[] lists '{}' but no part carries it", d.file)));
    }
    if jobs::queued(&s.db).await? >= limits.max_queued {
        return Err(ApiError::QueueFull { retry_after_s: 30 });
    }
    let id = jobs::submit(&s.db, Some(&who.id), &app, uploads).await?;
    s.notify.notify_one();
    let body = json!({ "id": id, "status": "queued", "status_url": format!("/api/v1/applications/{id}") });
    Ok((StatusCode::ACCEPTED, Json(body)))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    owner: Option<String>,
    application_no: Option<String>,
    status: String,
    report: Option<String>,
    error: Option<String>,
    created_at: String,
    updated_at: String,
}

/// The application if `who` may see it. Others' applications are "not
/// found" to an applicant: their existence is not shown either.
async fn visible(s: &AppState, who: &Principal, id: &str) -> ApiResult<Row> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, owner, application_no, status, report, error, created_at, updated_at FROM applications WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&s.db.pool)
    .await?;
    match row {
        Some(r) if who.is_staff() || r.owner.as_deref() == Some(who.id.as_str()) => Ok(r),
        _ => Err(ApiError::NotFound),
    }
}

async fn status(State(s): State<AppState>, who: Principal, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    let r = visible(&s, &who, &id).await?;
    let mut body = json!({
        "id": r.id, "application_no": r.application_no, "status": r.status,
        "submitted_at": r.created_at, "updated_at": r.updated_at,
    });
    if let Some(report) = r.report {
        body["report"] = serde_json::from_str(&report).map_err(|e| ApiError::Internal(e.into()))?;
    }
    if let Some(e) = r.error {
        body["error"] = Value::String(e);
    }
    Ok(Json(body))
}

async fn document(State(s): State<AppState>, who: Principal, Path((id, file)): Path<(String, String)>) -> ApiResult<impl IntoResponse> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    visible(&s, &who, &id).await?;
    let page: Option<(String, Vec<u8>)> = sqlx::query_as("SELECT content_type, bytes FROM pages WHERE application_id = $1 AND file = $2")
        .bind(id)
        .bind(file)
        .fetch_optional(&s.db.pool)
        .await?;
    let (mime, bytes) = page.ok_or(ApiError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, mime)], bytes))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Decision {
    /// A check id (`V1`), or absent for a decision on the whole application.
    #[serde(default)]
    check_id: Option<String>,
    action: String,
    #[serde(default)]
    reason: Option<String>,
}

/// What a check or the application stands at now: the last decision on it,
/// else the report's status or verdict.
async fn current(s: &AppState, id: &str, check: Option<&str>, report: &Value) -> ApiResult<String> {
    let last: Option<String> = match check {
        Some(c) => {
            sqlx::query_scalar("SELECT after FROM audit_log WHERE application_id = $1 AND check_id = $2 ORDER BY id DESC LIMIT 1")
                .bind(id.to_string())
                .bind(c.to_string())
                .fetch_optional(&s.db.pool)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT after FROM audit_log WHERE application_id = $1 AND check_id IS NULL ORDER BY id DESC LIMIT 1")
                .bind(id.to_string())
                .fetch_optional(&s.db.pool)
                .await?
        }
    };
    Ok(last.unwrap_or_else(|| match check {
        Some(c) => report["checks"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["id"] == c))
            .and_then(|x| x["status"].as_str())
            .unwrap_or("unknown")
            .to_string(),
        None => report["verdict"].as_str().unwrap_or("unknown").to_string(),
    }))
}

async fn decide(State(s): State<AppState>, who: Principal, Path(id): Path<String>, body: axum::body::Bytes) -> ApiResult<impl IntoResponse> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    let d: Decision = serde_json::from_slice(&body).map_err(|e| ApiError::bad("invalid_decision", e.to_string()))?;
    let r = visible(&s, &who, &id).await?;
    let report: Value = match r.report {
        Some(rep) => serde_json::from_str(&rep).map_err(|e| ApiError::Internal(e.into()))?,
        None => return Err(ApiError::Unprocessable(format!("the application is {}; decisions need a finished precheck", r.status))),
    };
    let reason = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(String::from);
    let after = match (d.check_id.as_deref(), d.action.as_str()) {
        (Some(c), action) => {
            if !report["checks"].as_array().is_some_and(|a| a.iter().any(|x| x["id"] == c)) {
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
    let before = current(&s, &id, d.check_id.as_deref(), &report).await?;
    let at = chrono::Utc::now().to_rfc3339();
    sqlx::query(
        "INSERT INTO audit_log (application_id, check_id, actor, action, reason, before, after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.clone())
    .bind(d.check_id.clone())
    .bind(who.name.clone())
    .bind(d.action.clone())
    .bind(reason.clone())
    .bind(before.clone())
    .bind(after.to_string())
    .bind(at.clone())
    .execute(&s.db.pool)
    .await?;
    let entry = json!({ "check_id": d.check_id, "actor": who.name, "action": d.action, "reason": reason,
                        "before": before, "after": after, "at": at });
    Ok((StatusCode::CREATED, Json(entry)))
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct AuditEntry {
    check_id: Option<String>,
    actor: String,
    action: String,
    reason: Option<String>,
    before: Option<String>,
    after: Option<String>,
    created_at: String,
}

async fn audit(State(s): State<AppState>, who: Principal, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    visible(&s, &who, &id).await?;
    let rows: Vec<AuditEntry> = sqlx::query_as(
        "SELECT check_id, actor, action, reason, before, after, created_at FROM audit_log WHERE application_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&s.db.pool)
    .await?;
    Ok(Json(json!({ "entries": rows })))
}
