//! The service's queries, one module per group of tables. Handlers, the
//! queue's workers, the CLI and the demo call these; none of them writes
//! SQL of its own. (The schema is `migrations/`; `db` opens the pool.)

pub mod accounts;
pub mod applications;
pub mod archive;
pub mod decisions;
pub mod registry;

use crate::db::Db;

/// Runs a statement whose parameters are all text (or NULL), in order as
/// `$1, $2, …`; returns the rows it touched. Most of the store's writes
/// are of this kind.
pub(crate) async fn execute(db: &Db, sql: &str, params: &[Option<&str>]) -> Result<u64, sqlx::Error> {
    let mut q = sqlx::query(sql);
    for p in params {
        q = q.bind(p.map(String::from));
    }
    Ok(q.execute(&db.pool).await?.rows_affected())
}
