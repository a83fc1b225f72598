//! The database: an embedded SQLite file by default (created on first
//! use), PostgreSQL for more than one machine. One `sqlx::AnyPool` and one
//! SQL dialect (`$N` placeholders, `ON CONFLICT … DO UPDATE`) serve both;
//! each backend has its own migrations folder for the few DDL differences.

use std::str::FromStr;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::AnyPool;

/// Where the embedded database lives unless `--db` or `DAJIAN_DB` says
/// otherwise.
pub const DEFAULT_URL: &str = "sqlite://dajian.sqlite";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("--db {0}: expected a file path, sqlite://PATH or postgres://…")]
    Url(String),
    #[error("cannot open the database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot migrate the database {url}: {source}")]
    Migrate { url: String, source: sqlx::migrate::MigrateError },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl FromStr for Backend {
    type Err = DbError;
    fn from_str(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::Url(url.to_string()))
        }
    }
}

impl Db {
    /// A round trip to the database (liveness).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool).await.map(|_| ())
    }

    /// Opens (and for SQLite creates) the database and brings its schema up
    /// to date.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        install_default_drivers();
        // A bare path is what most people type for a file: take it as one.
        let url = &with_scheme(url);
        let backend: Backend = url.parse()?;
        let mut full = url.to_string();
        if backend == Backend::Sqlite && !full.contains("mode=") {
            // Create the file on first use.
            full.push_str(if full.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
        }
        let pool = AnyPoolOptions::new()
            // SQLite has one writer; more connections only add lock waits.
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        use sqlx::Executor;
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;").await?;
                    }
                    Ok(())
                })
            })
            .connect(&full)
            .await
            .map_err(|source| DbError::Connect { url: url.to_string(), source })?;
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator.run(&pool).await.map_err(|source| DbError::Migrate { url: url.to_string(), source })?;
        Ok(Db { pool, backend })
    }
}

/// `url` as sqlx takes it: a path without a scheme (`dajian.sqlite`,
/// `/var/lib/dajian/db.sqlite`) becomes `sqlite://PATH`.
fn with_scheme(url: &str) -> String {
    if url.contains("://") || url.starts_with("sqlite:") || url.is_empty() {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    }
}

/// What a failed database call means for whoever asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// The database cannot grow: the disk (or its quota) is full.
    Full,
    /// The database cannot be reached or is busy now; the same request may
    /// work in a moment.
    Unavailable,
}

/// Tells a full disk and a passing outage apart from other errors (bugs,
/// constraint violations), so the service can answer 507 or 503 instead of
/// a bare 500.
pub fn trouble(e: &sqlx::Error) -> Option<Trouble> {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => Some(Trouble::Unavailable),
        sqlx::Error::Database(d) => {
            let code = d.code().map(|c| c.to_string()).unwrap_or_default();
            match code.as_str() {
                // SQLite SQLITE_FULL; PostgreSQL disk_full.
                "13" | "53100" => Some(Trouble::Full),
                // SQLite SQLITE_BUSY, SQLITE_LOCKED (and their extended
                // codes); PostgreSQL admin/crash shutdown, cannot connect now.
                "5" | "6" | "261" | "517" | "262" | "57P01" | "57P02" | "57P03" => Some(Trouble::Unavailable),
                // PostgreSQL class 08: connection exceptions.
                c if c.starts_with("08") => Some(Trouble::Unavailable),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_path_is_an_sqlite_file_and_urls_stay_as_given() {
        assert_eq!(with_scheme("/tmp/x.sqlite"), "sqlite:///tmp/x.sqlite");
        assert_eq!(with_scheme("dajian.sqlite"), "sqlite://dajian.sqlite");
        assert_eq!(with_scheme("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(with_scheme("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[tokio::test]
    async fn a_fresh_sqlite_file_is_created_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        let db = Db::open(&format!("sqlite://{}", path.display())).await.unwrap();
        assert!(path.exists());
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vehicles").fetch_one(&db.pool).await.unwrap();
        assert_eq!(n, 0);
        // Opening again runs no migration twice.
        Db::open(&format!("sqlite://{}", path.display())).await.unwrap();
    }

    #[test]
    fn an_unknown_database_url_is_rejected() {
        assert!("mysql://x".parse::<Backend>().is_err());
        assert_eq!("postgres://u@h/db".parse::<Backend>().unwrap(), Backend::Postgres);
    }
}
