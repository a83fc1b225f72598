//! Liveness and Prometheus metrics.

use std::fmt::Write;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::{ApiResult, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

async fn healthz(State(s): State<AppState>) -> ApiResult<impl IntoResponse> {
    sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&s.db.pool).await?;
    Ok(axum::Json(serde_json::json!({ "status": "ok" })))
}

/// Queue depth by status and prechecks by verdict, in the Prometheus text
/// format (a handful of gauges read from the database on each scrape, so
/// every instance reports the shared queue).
async fn metrics(State(s): State<AppState>) -> ApiResult<impl IntoResponse> {
    let by_status: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM applications GROUP BY status").fetch_all(&s.db.pool).await?;
    let by_verdict: Vec<(String, i64)> =
        sqlx::query_as("SELECT verdict, COUNT(*) FROM applications WHERE verdict IS NOT NULL GROUP BY verdict")
            .fetch_all(&s.db.pool)
            .await?;
    let mut out = String::new();
    out.push_str("# HELP dajian_applications Applications by status (queued is the queue depth).\n# TYPE dajian_applications gauge\n");
    for st in ["queued", "running", "done", "failed"] {
        let n = by_status.iter().find(|(k, _)| k == st).map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "dajian_applications{{status=\"{st}\"}} {n}");
    }
    out.push_str("# HELP dajian_verdicts Prechecked applications by verdict.\n# TYPE dajian_verdicts gauge\n");
    for v in ["pass", "review", "block"] {
        let n = by_verdict.iter().find(|(k, _)| k == v).map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "dajian_verdicts{{verdict=\"{v}\"}} {n}");
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out))
}
