//! Rate limiting of desk logins: after [`MAX_PER_NAME`] failures for one
//! account name, or [`MAX_PER_ADDRESS`] from one address, within
//! [`WINDOW_SECS`], further attempts are refused (429) without checking
//! the password. Failures live in the database so that every instance
//! behind a load balancer counts the same ones. A successful login clears
//! the account's failures.

use crate::db::Db;

pub const WINDOW_SECS: u32 = 15 * 60;
/// Enough for a clerk who mistypes, far too few to guess a password.
pub const MAX_PER_NAME: i64 = 5;
/// One office may share an address; one attacker may try many names.
pub const MAX_PER_ADDRESS: i64 = 20;

fn since() -> String {
    (chrono::Utc::now() - chrono::Duration::seconds(WINDOW_SECS.into())).to_rfc3339()
}

pub async fn blocked(db: &Db, name: &str, address: &str) -> Result<bool, sqlx::Error> {
    let since = since();
    let by_name: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE name = $1 AND at > $2")
        .bind(name.to_string())
        .bind(since.clone())
        .fetch_one(&db.pool)
        .await?;
    if by_name >= MAX_PER_NAME {
        return Ok(true);
    }
    if address.is_empty() {
        return Ok(false);
    }
    let by_address: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
        .bind(address.to_string())
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
    Ok(by_address >= MAX_PER_ADDRESS)
}

pub async fn failed(db: &Db, name: &str, address: &str) -> Result<(), sqlx::Error> {
    // Old rows are of no use; dropping them here keeps the table small
    // without a separate cleaner.
    sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(since()).execute(&db.pool).await?;
    sqlx::query("INSERT INTO login_failures (name, address, at) VALUES ($1, $2, $3)")
        .bind(name.to_string())
        .bind(address.to_string())
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn succeeded(db: &Db, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE name = $1").bind(name.to_string()).execute(&db.pool).await?;
    Ok(())
}
