//! `users`, `api_tokens`, `sessions` and `login_failures`: who may call
//! the API or use the desk, and who is guessing passwords.

use crate::db::Db;

/// A stored account: id, name, role key, argon2id PHC string.
pub type UserRow = (String, String, String, String);

pub async fn user_exists(db: &Db, name: &str) -> Result<bool, sqlx::Error> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE name = $1").bind(name.to_string()).fetch_optional(&db.pool).await?;
    Ok(id.is_some())
}

pub async fn insert_user(db: &Db, id: &str, name: &str, role: &str, phc: &str, at: &str) -> Result<(), sqlx::Error> {
    super::execute(db, "INSERT INTO users (id, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)", &[Some(id), Some(name), Some(role), Some(phc), Some(at)]).await?;
    Ok(())
}

/// The enabled account named `name`.
pub async fn enabled_user(db: &Db, name: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, role, password_hash FROM users WHERE name = $1 AND disabled_at IS NULL")
        .bind(name.to_string())
        .fetch_optional(&db.pool)
        .await
}

pub async fn insert_token(db: &Db, id: &str, name: &str, role: &str, token_hash: &str, at: &str) -> Result<(), sqlx::Error> {
    super::execute(db, "INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)", &[Some(id), Some(name), Some(role), Some(token_hash), Some(at)]).await?;
    Ok(())
}

/// The live token with this hash: id, name, role key.
pub async fn live_token(db: &Db, token_hash: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(token_hash.to_string())
        .fetch_optional(&db.pool)
        .await
}

/// Stores a session, first dropping everyone's expired ones (here rather
/// than in a timer task). Times are fixed-width UTC text, so they compare.
pub async fn insert_session(db: &Db, id_hash: &str, user_id: &str, csrf: &str, at: &str, expires_at: &str) -> Result<(), sqlx::Error> {
    super::execute(db, "DELETE FROM sessions WHERE expires_at < $1", &[Some(at)]).await?;
    super::execute(db, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)", &[Some(id_hash), Some(user_id), Some(csrf), Some(at), Some(expires_at)]).await?;
    Ok(())
}

/// The unexpired session with this hash, of an enabled account: user id,
/// name, role key, CSRF token.
pub async fn live_session(db: &Db, id_hash: &str, now: &str) -> Result<Option<(String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.name, u.role, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(id_hash.to_string())
    .bind(now.to_string())
    .fetch_optional(&db.pool)
    .await
}

pub async fn delete_session(db: &Db, id_hash: &str) -> Result<(), sqlx::Error> {
    super::execute(db, "DELETE FROM sessions WHERE id_hash = $1", &[Some(id_hash)]).await?;
    Ok(())
}

/// Failed logins for `name` after `since`.
pub async fn failures_by_name(db: &Db, name: &str, since: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE name = $1 AND at > $2").bind(name.to_string()).bind(since.to_string()).fetch_one(&db.pool).await
}

/// Failed logins from `address` after `since`.
pub async fn failures_by_address(db: &Db, address: &str, since: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
        .bind(address.to_string())
        .bind(since.to_string())
        .fetch_one(&db.pool)
        .await
}

/// Records a failed login, first dropping those from before `since`: they
/// are of no use, and dropping them here keeps the table small without a
/// separate cleaner.
pub async fn add_failure(db: &Db, name: &str, address: &str, since: &str, at: &str) -> Result<(), sqlx::Error> {
    super::execute(db, "DELETE FROM login_failures WHERE at <= $1", &[Some(since)]).await?;
    super::execute(db, "INSERT INTO login_failures (name, address, at) VALUES ($1, $2, $3)", &[Some(name), Some(address), Some(at)]).await?;
    Ok(())
}

pub async fn clear_failures(db: &Db, name: &str) -> Result<(), sqlx::Error> {
    super::execute(db, "DELETE FROM login_failures WHERE name = $1", &[Some(name)]).await?;
    Ok(())
}
