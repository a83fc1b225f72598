//! The clerk's desk: server-rendered HTML under `/desk` for the clerks who
//! work the queue all day. The session and login cookies are in [`session`]
//! (accounts and sessions themselves in `crate::accounts`), the
//! strings in [`i18n`], the view models and their reads in [`pages`], the
//! HTML in `views` (one module per page); this module holds the routes,
//! the request extractors and the error pages.
//!
//! Security, in one place: every page but the login needs a live session
//! (else 303 to the login); every POST carries the session's CSRF token in
//! a hidden field, checked by the [`Posted`] extractor before a handler
//! runs (else 403); responses carry a strict Content-Security-Policy (no
//! inline script or style), `no-store` and `nosniff`.

pub mod i18n;
pub mod pages;
mod route_panel;
pub mod session;
mod throttle;
mod views;

use axum::Router;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::decisions::{self, Decision};
use super::{ApiError, AppState};
use i18n::Lang;
use session::Session;

/// Settings of the desk.
#[derive(Debug, Clone, Default)]
pub struct DeskConfig {
    /// The service is reached over TLS (directly or behind a proxy): the
    /// session cookie gets `Secure`. Off by default so the demo works on
    /// plain http://127.0.0.1.
    pub secure_cookies: bool,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk", get(queue))
        .route("/desk/", get(|| async { Redirect::to("/desk") }))
        .route("/desk/login", get(login_page).post(login))
        .route("/desk/logout", post(logout))
        .route("/desk/lang", get(set_lang))
        .route("/desk/audit", get(audit_all))
        .route("/desk/entities/{entity}", get(entity_history))
        .route("/desk/applications/{id}", get(application))
        .route("/desk/applications/{id}/decisions", post(decide))
        .route("/desk/applications/{id}/audit", get(audit_one))
        .route("/desk/applications/{id}/print", get(print))
        .route("/desk/applications/{id}/pages/{file}", get(page_image))
        .route("/desk/static/desk.css", get(|| async { static_file("text/css; charset=utf-8", include_str!("desk.css")) }))
        .route("/desk/static/desk.js", get(|| async { static_file("text/javascript; charset=utf-8", include_str!("desk.js")) }))
        .layer(axum::middleware::map_response(security_headers))
}

fn static_file(mime: &'static str, body: &'static str) -> Response {
    // Short cache: a redeploy shows up within minutes without versioned URLs.
    ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "private, max-age=300")], body).into_response()
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // Pages hold personal data: nothing of them stays in shared caches or
    // the back-forward cache of a shared counter PC.
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    r
}

// ---------------------------------------------------------------- errors

/// What a desk request can end in besides its page. Error pages show both
/// languages: an error can come before the language is known.
#[derive(Debug)]
pub enum DeskError {
    /// No live session: to the login, then back to `next`.
    Login { next: String },
    /// A bearer token or a non-staff account on a desk page.
    Forbidden,
    /// A POST whose CSRF token is missing or wrong.
    Csrf,
    Api(ApiError),
}

impl From<ApiError> for DeskError {
    fn from(e: ApiError) -> Self {
        DeskError::Api(e)
    }
}
impl From<sqlx::Error> for DeskError {
    fn from(e: sqlx::Error) -> Self {
        DeskError::Api(e.into())
    }
}

pub type DeskResult<T> = Result<T, DeskError>;

impl IntoResponse for DeskError {
    fn into_response(self) -> Response {
        let (status, key, detail) = match self {
            DeskError::Login { next } => {
                let to = format!("/desk/login?next={}", encode(&next));
                return Redirect::to(&to).into_response();
            }
            DeskError::Forbidden => (StatusCode::FORBIDDEN, "err_forbidden", None),
            DeskError::Csrf => {
                tracing::warn!("desk POST refused: CSRF token missing or wrong");
                (StatusCode::FORBIDDEN, "err_csrf", None)
            }
            DeskError::Api(e) => {
                let status = e.status_code();
                match e {
                    ApiError::Internal(inner) => {
                        tracing::error!(error = ?inner, "desk: internal error");
                        (status, "err_internal", None)
                    }
                    ApiError::NotFound => (status, "err_not_found", None),
                    ApiError::Forbidden | ApiError::Unauthorized => (status, "err_forbidden", None),
                    other => (status, "err_title", Some(other.to_string())),
                }
            }
        };
        (status, views::error_page(key, detail.as_deref())).into_response()
    }
}

/// Percent-encodes a path for a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A place on the desk to go back to, or the queue: never another site.
fn local_target(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/desk") && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/desk".to_string(),
    }
}

// ------------------------------------------------------------ extractors

impl FromRequestParts<AppState> for Lang {
    type Rejection = std::convert::Infallible;

    /// `?lang=` on this request, else the `lang` cookie, else
    /// `Accept-Language`, else Chinese.
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == "lang").and_then(|(_, v)| Lang::parse(v))
        });
        let from_cookie = || session::cookie(&parts.headers, "lang").and_then(|v| Lang::parse(&v));
        let from_accept = || parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::from_accept);
        Ok(from_query.or_else(from_cookie).or_else(from_accept).unwrap_or(Lang::Zh))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = DeskError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(raw) = session::cookie(&parts.headers, session::COOKIE)
            && let Some(s) = crate::accounts::session(&state.db, &raw).await?
        {
            // Accounts are only ever clerk or admin; checked again so a
            // role added later does not slip onto the desk.
            return if s.user.is_staff() { Ok(s) } else { Err(DeskError::Forbidden) };
        }
        // A system's API token is no way onto the desk, whatever its role.
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Err(DeskError::Forbidden);
        }
        let next = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/desk".into());
        Err(DeskError::Login { next: if parts.method == axum::http::Method::GET { next } else { "/desk".into() } })
    }
}

/// A form POSTed by a logged-in clerk whose CSRF token matched: the only
/// way a desk handler gets a form body, so none can forget the check.
pub struct Posted<T> {
    pub session: Session,
    pub form: T,
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = DeskError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, 64 * 1024)
            .await
            .map_err(|_| DeskError::Api(ApiError::TooLarge("the form is too large".into())))?;
        let sent: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| DeskError::Csrf)?;
        if !session::same_token(&sent.csrf, &session.csrf) {
            return Err(DeskError::Csrf);
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|e| DeskError::Api(ApiError::bad("invalid_form", e.to_string())))?;
        Ok(Posted { session, form })
    }
}

// --------------------------------------------------------------- handlers

#[derive(Deserialize, Default)]
struct LoginQuery {
    next: Option<String>,
}

async fn login_page(State(s): State<AppState>, lang: Lang, Query(q): Query<LoginQuery>) -> Response {
    let token = session::new_token();
    login_response(&s, lang, q.next.as_deref(), &token, None, StatusCode::OK)
}

fn login_response(s: &AppState, lang: Lang, next: Option<&str>, token: &str, error: Option<&str>, status: StatusCode) -> Response {
    let mut r = (status, views::login(lang, &local_target(next), token, error)).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(session::LOGIN_CSRF_COOKIE, token, None, s.desk.secure_cookies, true),
    );
    r
}

/// The client's address when the service was started with connect info
/// ([`crate::http::serve`] does), else `None`.
struct Peer(Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

async fn login(
    State(s): State<AppState>,
    lang: Lang,
    Peer(peer): Peer,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> DeskResult<Response> {
    let f: LoginForm = serde_urlencoded::from_bytes(&body).map_err(|_| DeskError::Csrf)?;
    // Double submit: the hidden field must equal the cookie set with the form.
    let cookie = session::cookie(&headers, session::LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !session::same_token(&cookie, &f.csrf) {
        return Err(DeskError::Csrf);
    }
    let name = f.name.trim();
    let address = peer.map(|a| a.ip().to_string()).unwrap_or_default();
    // Checked before the password, so guessing costs nothing once throttled.
    if throttle::blocked(&s.db, name, &address).await? {
        tracing::warn!(name = %crate::types::mask_ids(name), address, "desk login refused: too many failures");
        let token = session::new_token();
        let mut r = login_response(&s, lang, f.next.as_deref(), &token, Some("login_throttled"), StatusCode::TOO_MANY_REQUESTS);
        r.headers_mut().insert(header::RETRY_AFTER, throttle::WINDOW_SECS.into());
        return Ok(r);
    }
    let Some(user) = crate::accounts::verify_login(&s.db, name, &f.password).await? else {
        throttle::failed(&s.db, name, &address).await?;
        tracing::info!(name = %crate::types::mask_ids(name), "desk login failed");
        let token = session::new_token();
        return Ok(login_response(&s, lang, f.next.as_deref(), &token, Some("login_failed"), StatusCode::UNAUTHORIZED));
    };
    throttle::succeeded(&s.db, name).await?;
    // No session fixation: whatever session the browser came with ends,
    // and the new one has an id the browser has never seen.
    if let Some(old) = session::cookie(&headers, session::COOKIE) {
        crate::accounts::end_session(&s.db, &old).await?;
    }
    let (raw, _csrf) = crate::accounts::start_session(&s.db, &user.id).await?;
    tracing::info!(user = %user.name, "desk login");
    let mut r = Redirect::to(&local_target(f.next.as_deref())).into_response();
    let max_age = session::SESSION_HOURS * 3600;
    r.headers_mut().append(header::SET_COOKIE, session::set_cookie(session::COOKIE, &raw, Some(max_age), s.desk.secure_cookies, true));
    r.headers_mut().append(header::SET_COOKIE, session::set_cookie(session::LOGIN_CSRF_COOKIE, "", Some(0), s.desk.secure_cookies, true));
    Ok(r)
}

#[derive(Deserialize)]
struct Empty {}

async fn logout(State(s): State<AppState>, headers: axum::http::HeaderMap, p: Posted<Empty>) -> DeskResult<Response> {
    let _ = p.form;
    if let Some(raw) = session::cookie(&headers, session::COOKIE) {
        crate::accounts::end_session(&s.db, &raw).await?;
    }
    tracing::info!(user = %p.session.user.name, "desk logout");
    let mut r = Redirect::to("/desk/login").into_response();
    r.headers_mut().append(header::SET_COOKIE, session::set_cookie(session::COOKIE, "", Some(0), s.desk.secure_cookies, true));
    Ok(r)
}

#[derive(Deserialize)]
struct LangQuery {
    set: String,
    back: Option<String>,
}

/// The language toggle: a plain link, so it works without script. Only
/// sets a preference cookie, so it needs no CSRF token.
async fn set_lang(State(s): State<AppState>, Query(q): Query<LangQuery>) -> Response {
    let lang = Lang::parse(&q.set).unwrap_or(Lang::Zh);
    let mut r = Redirect::to(&local_target(q.back.as_deref())).into_response();
    r.headers_mut().append(header::SET_COOKIE, session::set_cookie("lang", lang.code(), Some(365 * 86400), s.desk.secure_cookies, false));
    r
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct QueueFilter {
    pub verdict: Option<String>,
    pub status: Option<String>,
    pub decided: Option<String>,
}

async fn queue(State(s): State<AppState>, lang: Lang, session: Session, Query(f): Query<QueueFilter>) -> DeskResult<Response> {
    let rows = pages::load_queue(&s.db).await?;
    Ok(views::queue(lang, &session, &rows, &f).into_response())
}

async fn application(State(s): State<AppState>, lang: Lang, session: Session, Path(id): Path<String>) -> DeskResult<Response> {
    let a = pages::load_application(&s.db, &id).await?;
    Ok(views::application(lang, &session, &a, None).into_response())
}

#[derive(Deserialize)]
struct DecisionForm {
    check_id: Option<String>,
    action: String,
    reason: Option<String>,
    /// "on": the return message ends with R3's route suggestion.
    include_route: Option<String>,
}

async fn decide(State(s): State<AppState>, lang: Lang, Path(id): Path<String>, p: Posted<DecisionForm>) -> DeskResult<Response> {
    let a = pages::load_application(&s.db, &id).await?;
    let mut reason = p.form.reason;
    if p.form.include_route.as_deref() == Some("on")
        && p.form.action == "return"
        && let Some(sg) = a.report.as_ref().and_then(route_panel::suggestion_in)
    {
        let typed = reason.as_deref().map(str::trim).unwrap_or_default();
        let sep = if typed.is_empty() { "" } else { "\n" };
        reason = Some(format!("{typed}{sep}{}", sg.summary(lang)));
    }
    let d = Decision { check_id: p.form.check_id.filter(|c| !c.is_empty()), action: p.form.action, reason };
    match decisions::record(&s.db, &p.session.user, &id, a.status, a.report.as_ref(), &d).await {
        Ok(_) => {
            let anchor = d.check_id.as_deref().map(|c| format!("#check-{c}")).unwrap_or_else(|| "#decision".into());
            Ok(Redirect::to(&format!("/desk/applications/{id}?saved=1{anchor}")).into_response())
        }
        // A clerk's slip (no reason, a stale form): the same page again
        // with the message next to the form, and nothing recorded.
        Err(e @ (ApiError::BadRequest { .. } | ApiError::Unprocessable(_))) => {
            let key = match &e {
                ApiError::BadRequest { code: "reason_required", .. } => "err_reason_required",
                ApiError::BadRequest { code: "unknown_check", .. } => "err_unknown_check",
                ApiError::Unprocessable(_) => "err_not_done",
                _ => "err_invalid_action",
            };
            let target = d.check_id.clone().unwrap_or_else(|| "application".into());
            Ok((StatusCode::BAD_REQUEST, views::application(lang, &p.session, &a, Some((&target, key)))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn audit_one(State(s): State<AppState>, lang: Lang, session: Session, Path(id): Path<String>) -> DeskResult<Response> {
    let a = pages::load_application(&s.db, &id).await?;
    let entries = decisions::log(&s.db, &id).await?;
    Ok(views::audit_for(lang, &session, &a, &entries).into_response())
}

async fn audit_all(State(s): State<AppState>, lang: Lang, session: Session) -> DeskResult<Response> {
    let rows = decisions::recent(&s.db, 500).await?;
    Ok(views::audit_all(lang, &session, &rows).into_response())
}

/// `/desk/entities/company:USCC`, `person:ID`, `vehicle:VIN`.
async fn entity_history(State(s): State<AppState>, lang: Lang, session: Session, Path(entity): Path<String>) -> DeskResult<Response> {
    let entries = crate::store::archive::history(&s.db, &entity).await?;
    Ok(views::entity_history(lang, &session, &entity, &entries).into_response())
}

async fn print(State(s): State<AppState>, lang: Lang, session: Session, Path(id): Path<String>) -> DeskResult<Response> {
    let a = pages::load_application(&s.db, &id).await?;
    Ok(views::print(lang, &session, &a).into_response())
}

/// A stored page image, for the viewer: the API's `/documents/{file}`,
/// reachable with the desk session. A PDF or TIFF, which browsers do not
/// show in an `<img>`, comes as its page rendered to PNG (the first unless
/// `?page=N`).
async fn page_image(
    State(s): State<AppState>,
    _session: Session,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<crate::http::applications::PageQuery>,
) -> DeskResult<Response> {
    let mut r = crate::http::applications::stored_page(&s.db, &id, &file, q.page, true).await?;
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(r)
}
