//! ID numbers never appear unmasked in the logs: the service runs a whole
//! round (submission, precheck, a clerk's decision quoting an ID number, a
//! failed desk login under an ID number) with every log level on, through
//! the same subscriber `dajian` installs, and the captured output is
//! searched. Its own test binary: the subscriber is process-wide.

mod common;

use std::sync::OnceLock;

use common::{Store, spawn};
use dajian::http::Limits;
use serde_json::{Value, json};
use dajian::logging::Buffer;

fn capture() -> Buffer {
    static LOGS: OnceLock<Buffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let c = Buffer::default();
        tracing::subscriber::set_global_default(dajian::logging::subscriber(c.clone(), "trace", false)).unwrap();
        c
    })
    .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_numbers_never_appear_unmasked_in_the_logs() {
    let logs = capture();
    let form: Value = serde_json::from_str(&common::form_json()).unwrap();
    let mut ids: Vec<String> = vec![form["agent"]["id_number"].as_str().unwrap().to_string()];
    ids.extend(form["drivers"].as_array().unwrap().iter().map(|d| d["id_number"].as_str().unwrap().to_string()));
    assert!(ids.len() >= 2);

    let app = spawn(Store::Sqlite, Limits::default(), 1).await;
    let id = app.submit_ok().await;
    app.wait_done(&id).await;
    let r = app
        .http
        .post(format!("{}/api/v1/applications/{id}/decisions", app.base))
        .bearer_auth(&app.clerk)
        .json(&json!({"check_id": "P1", "action": "override", "reason": format!("身份证{}原件已核验", ids[0])}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // A desk login attempt under an ID number as the user name.
    let page = app.http.get(format!("{}/desk/login", app.base)).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = cookie.split('=').nth(1).unwrap().to_string();
    let body = serde_urlencoded::to_string([("name", ids[1].as_str()), ("password", "wrong password"), ("csrf", csrf.as_str())]).unwrap();
    let r = app
        .http
        .post(format!("{}/desk/login", app.base))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let text = logs.text();
    assert!(text.contains("desk login failed"), "the round was logged");
    let masked = dajian::types::mask_id(&ids[1]);
    assert!(text.contains(&masked), "the failed login names the account, masked ({masked})");
    for raw in &ids {
        assert!(!text.contains(raw.as_str()), "{raw} appears unmasked in the logs");
    }
}
