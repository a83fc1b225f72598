//! Clerk accounts and browser sessions.
//!
//! Passwords are stored as argon2id PHC strings. A session is 256 random
//! bits handed to the browser in the `dajian_session` cookie (HttpOnly,
//! SameSite=Strict, Secure behind TLS); the database keeps only its
//! SHA-256, an expiry and the session's CSRF token. A login always starts a
//! new session (and ends the one the browser came with), so an id planted
//! before login is worth nothing after it.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::{HeaderMap, HeaderValue, header};

use crate::db::Db;
use crate::http::auth::{Principal, Role, hash_token};

/// The session cookie.
pub const COOKIE: &str = "dajian_session";
/// The double-submit cookie that protects the login form, which has no
/// session yet to hold a CSRF token.
pub const LOGIN_CSRF_COOKIE: &str = "dajian_login_csrf";
/// A working day and some: a clerk logs in once a day.
pub const SESSION_HOURS: i64 = 12;
/// Shortest password `dajian user create` accepts.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("a user named '{0}' already exists")]
    Exists(String),
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error("user names are 1–64 characters without spaces")]
    BadName,
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A logged-in browser: who, and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: Principal,
    pub csrf: String,
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// UTC, second precision, fixed width: compares correctly as text.
fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash_password(password: &str) -> Result<String, UserError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| UserError::Hash(e.to_string()))?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| UserError::Hash(e.to_string()))
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Creates a clerk or admin account. Returns its id.
pub async fn create_user(db: &Db, name: &str, role: Role, password: &str) -> Result<String, UserError> {
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_whitespace) {
        return Err(UserError::BadName);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(UserError::WeakPassword);
    }
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE name = $1").bind(name.to_string()).fetch_optional(&db.pool).await?;
    if exists.is_some() {
        return Err(UserError::Exists(name.to_string()));
    }
    let pw = password.to_string();
    // argon2 is deliberately slow: keep it off the async threads.
    let phc = tokio::task::spawn_blocking(move || hash_password(&pw)).await.map_err(|e| UserError::Hash(e.to_string()))??;
    let id = ulid::Ulid::new().to_string();
    sqlx::query("INSERT INTO users (id, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.clone())
        .bind(name.to_string())
        .bind(role.key().to_string())
        .bind(phc)
        .bind(stamp(now()))
        .execute(&db.pool)
        .await?;
    Ok(id)
}

/// The account if `name` and `password` match an enabled clerk or admin.
/// An unknown name costs the same hash as a wrong password, so timing does
/// not tell which names exist.
pub async fn verify_login(db: &Db, name: &str, password: &str) -> Result<Option<Principal>, sqlx::Error> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT id, name, role, password_hash FROM users WHERE name = $1 AND disabled_at IS NULL")
            .bind(name.to_string())
            .fetch_optional(&db.pool)
            .await?;
    // A valid PHC string of a password nobody has, for unknown names.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3sxVUJ0CRYsD1Yh6e8Fae0dq3uPHxsXfKX6ZL2fb9Ts";
    let phc = row.as_ref().map(|r| r.3.clone()).unwrap_or_else(|| DUMMY.to_string());
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || password_matches(&pw, &phc)).await.unwrap_or(false);
    Ok(match row {
        Some((id, name, role, _)) if ok => match role.as_str() {
            "clerk" => Some(Principal { id, name, role: Role::Clerk }),
            "admin" => Some(Principal { id, name, role: Role::Admin }),
            // Only staff have passwords; anything else is not let in.
            _ => None,
        },
        _ => None,
    })
}

/// Starts a session for `user_id`; returns the cookie value (shown to the
/// browser only) and the session's CSRF token.
pub async fn start(db: &Db, user_id: &str) -> Result<(String, String), sqlx::Error> {
    let raw = random_hex();
    let csrf = random_hex();
    let t = now();
    // Expired sessions of everyone go here rather than in a timer task.
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(stamp(t)).execute(&db.pool).await?;
    sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(hash_token(&raw))
        .bind(user_id.to_string())
        .bind(csrf.clone())
        .bind(stamp(t))
        .bind(stamp(t + chrono::Duration::hours(SESSION_HOURS)))
        .execute(&db.pool)
        .await?;
    Ok((raw, csrf))
}

/// The live session the cookie value names, if any.
pub async fn lookup(db: &Db, raw: &str) -> Result<Option<Session>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, u.role, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(hash_token(raw))
    .bind(stamp(now()))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(|(id, name, role, csrf)| {
        let role = match role.as_str() {
            "clerk" => Role::Clerk,
            "admin" => Role::Admin,
            _ => return None,
        };
        Some(Session { user: Principal { id, name, role }, csrf })
    }))
}

/// Ends the session the cookie value names (logout, or a new login).
pub async fn end(db: &Db, raw: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(hash_token(raw)).execute(&db.pool).await?;
    Ok(())
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie; `None` makes it
/// last as long as the browser.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool, http_only: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Strict");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).expect("cookie values are ASCII")
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A fresh random token (the login form's CSRF cookie).
pub fn new_token() -> String {
    random_hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(password_matches("correct horse battery", &phc));
        assert!(!password_matches("correct horse batterx", &phc));
    }

    #[test]
    fn the_dummy_hash_is_a_valid_phc_string() {
        // verify_login relies on it being parseable so unknown names cost a hash.
        let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3sxVUJ0CRYsD1Yh6e8Fae0dq3uPHxsXfKX6ZL2fb9Ts";
        assert!(PasswordHash::new(dummy).is_ok());
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("lang=en; dajian_session=abc"));
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, "x"), None);
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("abc", "ab"));
    }
}
