//! Liveness and Prometheus metrics.

use std::fmt::Write;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::{ApiResult, AppState};
use crate::store::applications as store;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

async fn healthz(State(s): State<AppState>) -> ApiResult<impl IntoResponse> {
    s.db.ping().await?;
    Ok(axum::Json(serde_json::json!({ "status": "ok" })))
}

/// Queue depth by status and prechecks by verdict, in the Prometheus text
/// format (a handful of gauges read from the database on each scrape, so
/// every instance reports the shared queue).
async fn metrics(State(s): State<AppState>) -> ApiResult<impl IntoResponse> {
    let by_status = store::count_by_status(&s.db).await?;
    let by_verdict = store::count_by_verdict(&s.db).await?;
    let mut out = String::new();
    out.push_str("# HELP dajian_applications Applications by status (queued is the queue depth).\n# TYPE dajian_applications gauge\n");
    for (st, n) in by_status {
        let _ = writeln!(out, "dajian_applications{{status=\"{st}\"}} {n}");
    }
    out.push_str("# HELP dajian_verdicts Prechecked applications by verdict.\n# TYPE dajian_verdicts gauge\n");
    for (v, n) in by_verdict {
        let _ = writeln!(out, "dajian_verdicts{{verdict=\"{}\"}} {n}", v.key());
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out))
}
