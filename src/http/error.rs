//! The one error type of the HTTP API. Users see `{ "error": { "code",
//! "message" } }` with a clean message; internals are logged, never shown.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("authentication required")]
    Unauthorized,
    #[error("not allowed for this account")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedMedia(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("the precheck queue is full; try again later")]
    QueueFull { retry_after_s: u32 },
    #[error("the service's storage is full; nothing of this request was stored; try again later")]
    StorageFull(anyhow::Error),
    #[error("the database is unavailable for a moment; nothing of this request was stored; try again")]
    Unavailable(anyhow::Error),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest { code, message: message.into() }
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::QueueFull { .. } | ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::BadRequest { code, .. } => code,
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMedia(_) => "unsupported_media_type",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::QueueFull { .. } => "queue_full",
            ApiError::StorageFull(_) => "storage_full",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match crate::db::trouble(&e) {
            Some(crate::db::Trouble::Full) => ApiError::StorageFull(e.into()),
            Some(crate::db::Trouble::Unavailable) => ApiError::Unavailable(e.into()),
            None => ApiError::Internal(e.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            ApiError::StorageFull(e) => tracing::error!(error = %e, "storage full: a request was refused"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "database unavailable: a request was refused"),
            _ => {}
        }
        let body = Json(json!({ "error": { "code": self.code(), "message": self.to_string() } }));
        let mut resp = (self.status_code(), body).into_response();
        let retry_after: Option<u32> = match self {
            ApiError::QueueFull { retry_after_s } => Some(retry_after_s),
            ApiError::StorageFull(_) => Some(300),
            ApiError::Unavailable(_) => Some(5),
            _ => None,
        };
        if let Some(s) = retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
