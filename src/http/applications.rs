//! `/api/v1/applications`: submit, status and report, stored pages,
//! decisions and their audit log.

use axum::Json;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::auth::Principal;
use super::decisions::{self, Decision};
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

async fn decide(State(s): State<AppState>, who: Principal, Path(id): Path<String>, body: axum::body::Bytes) -> ApiResult<impl IntoResponse> {
    if !who.is_staff() {
        return Err(ApiError::Forbidden);
    }
    let d: Decision = serde_json::from_slice(&body).map_err(|e| ApiError::bad("invalid_decision", e.to_string()))?;
    let r = visible(&s, &who, &id).await?;
    let e = decisions::record(&s.db, &who, &id, &r.status, r.report.as_deref(), &d).await?;
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
