//! Rate limiting of desk logins: after [`MAX_PER_NAME`] failures for one
//! account name, or [`MAX_PER_ADDRESS`] from one address, within
//! [`WINDOW_SECS`], further attempts are refused (429) without checking
//! the password. Failures live in the database so that every instance
//! behind a load balancer counts the same ones. A successful login clears
//! the account's failures.

use crate::db::Db;
use crate::store::accounts as store;

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
    if store::failures_by_name(db, name, &since).await? >= MAX_PER_NAME {
        return Ok(true);
    }
    if address.is_empty() {
        return Ok(false);
    }
    Ok(store::failures_by_address(db, address, &since).await? >= MAX_PER_ADDRESS)
}

pub async fn failed(db: &Db, name: &str, address: &str) -> Result<(), sqlx::Error> {
    store::add_failure(db, name, address, &since(), &chrono::Utc::now().to_rfc3339()).await
}

pub async fn succeeded(db: &Db, name: &str) -> Result<(), sqlx::Error> {
    store::clear_failures(db, name).await
}
