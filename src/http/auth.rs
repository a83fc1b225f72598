//! Who is asking: API tokens (`Authorization: Bearer …`), each with a role.
//! Applicants see only their own applications; clerks see all and decide;
//! admins manage accounts. Clerks on the desk may also use their browser
//! session (see [`from_session`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{ApiError, AppState};
pub use crate::accounts::{Principal, Role};

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")) else {
            return from_session(parts, state).await;
        };
        match crate::accounts::token_principal(&state.db, token.trim()).await {
            Ok(Some(who)) => Ok(who),
            Ok(None) => Err(ApiError::Unauthorized),
            Err(crate::accounts::AccountError::Db(e)) => Err(e.into()),
            Err(e) => Err(ApiError::Internal(e.into())),
        }
    }
}

/// A clerk logged in to the desk may call the API from the browser with
/// the session cookie. Anything that changes state must then also carry
/// the session's CSRF token in `X-Dajian-CSRF`: a cookie alone is what a
/// forged cross-site request would have.
async fn from_session(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    use super::desk::session;
    let raw = session::cookie(&parts.headers, session::COOKIE).ok_or(ApiError::Unauthorized)?;
    let s = crate::accounts::session(&state.db, &raw).await?.ok_or(ApiError::Unauthorized)?;
    let safe = matches!(parts.method, axum::http::Method::GET | axum::http::Method::HEAD);
    if !safe {
        let sent = parts.headers.get("x-dajian-csrf").and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !session::same_token(sent, &s.csrf) {
            return Err(ApiError::Forbidden);
        }
    }
    Ok(s.user)
}
