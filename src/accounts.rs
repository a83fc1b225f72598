//! Who may use dajian: API tokens (applicants' systems, clerks' scripts)
//! and staff accounts with passwords and browser sessions. The CLI
//! (`dajian user create`, `dajian token create`), the demo and the web
//! layer (`http::auth`, the desk's login) all come here; the queries are
//! `store::accounts`.
//!
//! Passwords are stored as argon2id PHC strings. Tokens and session ids are
//! 256 random bits; the database keeps only their SHA-256. A session also
//! holds the CSRF token its forms must carry.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::store::accounts as store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Clerk,
    Admin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Applicant, Role::Clerk, Role::Admin].into_iter().find(|r| r.key() == s)
    }

    /// Clerks and admins: they see every application and decide.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Clerk | Role::Admin)
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: String,
    pub name: String,
    pub role: Role,
}

impl Principal {
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }
}

/// Shortest password `dajian user create` accepts.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// A working day and some: a clerk logs in once a day.
pub const SESSION_HOURS: i64 = 12;

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

/// 256 random bits as hex: session ids, CSRF tokens.
pub fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tokens are random 256-bit values; a fast hash is enough to store them.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a token; the clear text is shown once and never stored.
/// Returns its id and the token.
pub async fn create_token(db: &Db, name: &str, role: Role) -> Result<(String, String), sqlx::Error> {
    let token = format!("dj_{}", random_hex());
    let id = ulid::Ulid::new().to_string();
    store::insert_token(db, &id, name, role.key(), &hash_token(&token), &chrono::Utc::now().to_rfc3339()).await?;
    Ok((id, token))
}

/// A stored account or token whose role dajian does not know (a hand edit).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{what} {id} has unknown role {role}")]
    UnknownRole { what: &'static str, id: String, role: String },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Who a bearer token belongs to, if it is live.
pub async fn token_principal(db: &Db, token: &str) -> Result<Option<Principal>, AccountError> {
    let Some((id, name, role)) = store::live_token(db, &hash_token(token)).await? else { return Ok(None) };
    match Role::parse(&role) {
        Some(role) => Ok(Some(Principal { id, name, role })),
        None => Err(AccountError::UnknownRole { what: "token", id, role }),
    }
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
    if store::user_exists(db, name).await? {
        return Err(UserError::Exists(name.to_string()));
    }
    let pw = password.to_string();
    // argon2 is deliberately slow: keep it off the async threads.
    let phc = tokio::task::spawn_blocking(move || hash_password(&pw)).await.map_err(|e| UserError::Hash(e.to_string()))??;
    let id = ulid::Ulid::new().to_string();
    store::insert_user(db, &id, name, role.key(), &phc, &stamp(now())).await?;
    Ok(id)
}

/// Whether an account named `name` exists.
pub async fn user_exists(db: &Db, name: &str) -> Result<bool, sqlx::Error> {
    store::user_exists(db, name).await
}

/// The account if `name` and `password` match an enabled clerk or admin.
/// An unknown name costs the same hash as a wrong password, so timing does
/// not tell which names exist.
pub async fn verify_login(db: &Db, name: &str, password: &str) -> Result<Option<Principal>, sqlx::Error> {
    let row = store::enabled_user(db, name).await?;
    // A valid PHC string of a password nobody has, for unknown names.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3sxVUJ0CRYsD1Yh6e8Fae0dq3uPHxsXfKX6ZL2fb9Ts";
    let phc = row.as_ref().map(|r| r.3.clone()).unwrap_or_else(|| DUMMY.to_string());
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || password_matches(&pw, &phc)).await.unwrap_or(false);
    Ok(match row {
        // Only staff have passwords; anything else is not let in.
        Some((id, name, role, _)) if ok => Role::parse(&role).filter(|r| r.is_staff()).map(|role| Principal { id, name, role }),
        _ => None,
    })
}

/// Starts a session for `user_id`; returns the cookie value (shown to the
/// browser only) and the session's CSRF token.
pub async fn start_session(db: &Db, user_id: &str) -> Result<(String, String), sqlx::Error> {
    let (raw, csrf) = (random_hex(), random_hex());
    let t = now();
    store::insert_session(db, &hash_token(&raw), user_id, &csrf, &stamp(t), &stamp(t + chrono::Duration::hours(SESSION_HOURS))).await?;
    Ok((raw, csrf))
}

/// The live session the cookie value names, if any.
pub async fn session(db: &Db, raw: &str) -> Result<Option<Session>, sqlx::Error> {
    let row = store::live_session(db, &hash_token(raw), &stamp(now())).await?;
    Ok(row.and_then(|(id, name, role, csrf)| {
        let role = Role::parse(&role).filter(|r| r.is_staff())?;
        Some(Session { user: Principal { id, name, role }, csrf })
    }))
}

/// Ends the session the cookie value names (logout, or a new login).
pub async fn end_session(db: &Db, raw: &str) -> Result<(), sqlx::Error> {
    store::delete_session(db, &hash_token(raw)).await
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
    fn every_role_parses_back_from_its_key_and_only_staff_are_staff() {
        for r in [Role::Applicant, Role::Clerk, Role::Admin] {
            assert_eq!(Role::parse(r.key()), Some(r));
        }
        assert!(!Role::Applicant.is_staff() && Role::Clerk.is_staff() && Role::Admin.is_staff());
    }
}
