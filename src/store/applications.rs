//! `applications`, `pages` and `job_events`: submissions, the precheck
//! queue's states and the stored page files.

use std::time::Duration;

use crate::db::{Backend, Db};
use crate::form::Application;
use crate::ingest::PageFile;

/// Where a submission is in the precheck queue; stored by [`JobStatus::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Stored, waiting for a worker.
    Queued,
    /// Claimed by a worker, which renews its claim while it reads.
    Running,
    /// Its report is stored.
    Done,
    /// The precheck could not finish; `error` says why.
    Failed,
}

impl JobStatus {
    pub const ALL: [JobStatus; 4] = [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Failed];

    pub fn key(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|k| k.key() == s)
    }

}

/// How the status column decodes (`#[sqlx(try_from = "String")]`).
impl TryFrom<String> for JobStatus {
    type Error = String;
    fn try_from(s: String) -> Result<JobStatus, String> {
        JobStatus::parse(&s).ok_or_else(|| format!("unknown job status '{s}'"))
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// How a job ended, to store.
pub enum Outcome {
    /// The report as JSON and its verdict's key.
    Done { report: String, verdict: String },
    Failed { error: String },
}

impl Outcome {
    fn status(&self) -> JobStatus {
        match self {
            Outcome::Done { .. } => JobStatus::Done,
            Outcome::Failed { .. } => JobStatus::Failed,
        }
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

/// Stores a submission (form and pages, in one transaction) as queued;
/// returns its id.
pub async fn insert(db: &Db, owner: Option<&str>, app: &Application, pages: Vec<PageFile>) -> Result<String, sqlx::Error> {
    let id = ulid::Ulid::new().to_string();
    let form = serde_json::to_string(app).expect("forms serialise");
    let t = now();
    let mut tx = db.pool.begin().await?;
    sqlx::query("INSERT INTO applications (id, owner, application_no, status, form, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
        .bind(id.clone())
        .bind(owner.map(String::from))
        .bind(app.application_no.clone())
        .bind(JobStatus::Queued.key())
        .bind(form)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    for p in pages {
        sqlx::query("INSERT INTO pages (application_id, file, content_type, bytes) VALUES ($1, $2, $3, $4)")
            .bind(id.clone())
            .bind(p.file)
            .bind(p.content_type)
            .bind(p.bytes)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Applications in each status.
pub async fn count_by_status(db: &Db) -> Result<Vec<(JobStatus, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM applications GROUP BY status").fetch_all(&db.pool).await?;
    Ok(JobStatus::ALL.into_iter().map(|s| (s, rows.iter().find(|(k, _)| k == s.key()).map_or(0, |(_, n)| *n))).collect())
}

/// Prechecked applications by verdict, every verdict listed.
pub async fn count_by_verdict(db: &Db) -> Result<Vec<(crate::report::Verdict, i64)>, sqlx::Error> {
    use crate::report::Verdict;
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT verdict, COUNT(*) FROM applications WHERE verdict IS NOT NULL GROUP BY verdict").fetch_all(&db.pool).await?;
    Ok([Verdict::Pass, Verdict::Review, Verdict::Block].into_iter().map(|v| (v, rows.iter().find(|(k, _)| k == v.key()).map_or(0, |(_, n)| *n))).collect())
}

pub async fn count_queued(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE status = $1").bind(JobStatus::Queued.key()).fetch_one(&db.pool).await
}

/// Whether any application is stored.
pub async fn any(db: &Db) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&db.pool).await?;
    Ok(n > 0)
}

/// Claims the oldest queued job for `worker`, or `None`. Two workers never
/// claim the same job: SQLite serialises writers; PostgreSQL skips locked rows.
pub async fn claim(db: &Db, worker: &str) -> Result<Option<String>, sqlx::Error> {
    let pick = match db.backend {
        Backend::Sqlite => "SELECT id FROM applications WHERE status = 'queued' ORDER BY created_at, id LIMIT 1",
        Backend::Postgres => "SELECT id FROM applications WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE applications SET status = 'running', claimed_by = $1, claimed_at = $2, updated_at = $2, attempts = attempts + 1 \
         WHERE id = ({pick}) AND status = 'queued' RETURNING id"
    );
    let t = now();
    let mut tx = db.pool.begin().await?;
    let id: Option<String> = sqlx::query_scalar(&sql).bind(worker.to_string()).bind(t.clone()).fetch_optional(&mut *tx).await?;
    if let Some(id) = &id {
        event(&mut tx, id, worker, "claimed", &t).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Appends to `job_events`.
async fn event(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, worker: &str, event: &str, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO job_events (application_id, worker, event, at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(worker.to_string())
        .bind(event.to_string())
        .bind(at.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What [`recover`] did: the ids failed for good and those queued again.
pub struct Recovered {
    pub failed: Vec<String>,
    pub requeued: Vec<String>,
}

/// Queues again the jobs whose claim is older than `lease`, or fails those
/// already claimed `max_attempts` times.
pub async fn recover(db: &Db, lease: Duration, max_attempts: i64) -> Result<Recovered, sqlx::Error> {
    let before = (chrono::Utc::now() - chrono::Duration::from_std(lease).unwrap_or_default()).to_rfc3339();
    let t = now();
    let mut tx = db.pool.begin().await?;
    let failed: Vec<String> = sqlx::query_scalar(
        "UPDATE applications SET status = 'failed', error = 'the precheck stopped unexpectedly several times', updated_at = $1 \
         WHERE status = 'running' AND claimed_at <= $2 AND attempts >= $3 RETURNING id",
    )
    .bind(t.clone())
    .bind(before.clone())
    .bind(max_attempts)
    .fetch_all(&mut *tx)
    .await?;
    let requeued: Vec<String> = sqlx::query_scalar(
        "UPDATE applications SET status = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = $1 \
         WHERE status = 'running' AND claimed_at <= $2 RETURNING id",
    )
    .bind(t.clone())
    .bind(before)
    .fetch_all(&mut *tx)
    .await?;
    for id in &failed {
        event(&mut tx, id, "recover", "failed", &t).await?;
    }
    for id in &requeued {
        event(&mut tx, id, "recover", "requeued", &t).await?;
    }
    tx.commit().await?;
    Ok(Recovered { failed, requeued })
}

/// The stored form (JSON) of an application.
pub async fn form(db: &Db, id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT form FROM applications WHERE id = $1").bind(id.to_string()).fetch_one(&db.pool).await
}

/// The stored page files of an application, by file name.
pub async fn pages(db: &Db, id: &str) -> Result<Vec<PageFile>, sqlx::Error> {
    let rows: Vec<(String, String, Vec<u8>)> = sqlx::query_as("SELECT file, content_type, bytes FROM pages WHERE application_id = $1 ORDER BY file")
        .bind(id.to_string())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(|(file, content_type, bytes)| PageFile { file, content_type, bytes }).collect())
}

/// One stored page file, as uploaded.
pub async fn page(db: &Db, id: &str, file: &str) -> Result<Option<PageFile>, sqlx::Error> {
    let row: Option<(String, Vec<u8>)> = sqlx::query_as("SELECT content_type, bytes FROM pages WHERE application_id = $1 AND file = $2")
        .bind(id.to_string())
        .bind(file.to_string())
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(content_type, bytes)| PageFile { file: file.to_string(), content_type, bytes }))
}

/// Stores how `worker`'s job ended, only while `worker` still holds the
/// claim; `false` when another process took the job over (its result is
/// then the one kept, so a job finishes exactly once).
pub async fn finish(db: &Db, id: &str, worker: &str, outcome: &Outcome) -> Result<bool, sqlx::Error> {
    let t = now();
    let (report, verdict, error) = match outcome {
        Outcome::Done { report, verdict } => (Some(report.clone()), Some(verdict.clone()), None),
        Outcome::Failed { error } => (None, None, Some(error.clone())),
    };
    let status = outcome.status();
    let mut tx = db.pool.begin().await?;
    let stored = sqlx::query(
        "UPDATE applications SET status = $1, report = $2, verdict = $3, error = $4, updated_at = $5 \
         WHERE id = $6 AND status = 'running' AND claimed_by = $7",
    )
    .bind(status.key())
    .bind(report)
    .bind(verdict)
    .bind(error)
    .bind(t.clone())
    .bind(id.to_string())
    .bind(worker.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    event(&mut tx, id, worker, if stored { status.key() } else { "lost" }, &t).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Stores the report of a job no worker has claimed (the demo, which
/// prechecks its applications before the workers start).
pub async fn finish_unclaimed(db: &Db, id: &str, report: &str, verdict: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE applications SET status = 'done', report = $1, verdict = $2, updated_at = $3 WHERE id = $4 AND status = 'queued'")
        .bind(report.to_string())
        .bind(verdict.to_string())
        .bind(now())
        .bind(id.to_string())
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Renews `worker`'s claim on a running job.
pub async fn renew(db: &Db, id: &str, worker: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE applications SET claimed_at = $1 WHERE id = $2 AND claimed_by = $3 AND status = 'running'")
        .bind(now())
        .bind(id.to_string())
        .bind(worker.to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A stored application: its state, form and report (JSON), as the API
/// and the desk's pages show it.
#[derive(Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: String,
    pub owner: Option<String>,
    pub application_no: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: JobStatus,
    pub error: Option<String>,
    pub form: String,
    pub report: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub async fn find(db: &Db, id: &str) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as("SELECT id, owner, application_no, status, error, form, report, created_at, updated_at FROM applications WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&db.pool)
        .await
}

/// An application as the desk's queue lists it: as stored, with its
/// verdict and the last decision on the whole application.
#[derive(Debug, sqlx::FromRow)]
pub struct QueueEntry {
    #[sqlx(flatten)]
    pub app: Stored,
    pub verdict: Option<String>,
    pub decision: Option<String>,
}

/// The queue in the clerk's order: block, review, pass (then what has no
/// verdict yet), oldest first within each; at most `limit` rows.
pub async fn queue(db: &Db, limit: i64) -> Result<Vec<QueueEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, owner, application_no, status, error, form, report, created_at, updated_at, verdict, \
           (SELECT after FROM audit_log a WHERE a.application_id = applications.id AND a.check_id IS NULL ORDER BY a.id DESC LIMIT 1) AS decision \
         FROM applications \
         ORDER BY CASE verdict WHEN 'block' THEN 0 WHEN 'review' THEN 1 WHEN 'pass' THEN 2 ELSE 3 END, created_at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_status_parses_back_from_its_key() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::parse(s.key()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.key());
        }
        assert_eq!(JobStatus::parse("finished"), None);
    }
}
