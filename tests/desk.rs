//! The clerk's desk against the real app on port 0 with a fresh database
//! seeded with the demo (registry, clerk, four prechecked applications).

use std::sync::Arc;

use dajian::checks::CheckConfig;
use dajian::db::Db;
use dajian::accounts::{Role, create_token};
use dajian::http::{AppState, Limits};
use dajian::pipeline::Precheck;
use dajian::rules::Rules;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};

struct App {
    base: String,
    db: Db,
    db_url: String,
    applicant: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn spawn() -> App {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("desk.sqlite").display());
    let db = Db::open(&db_url).await.unwrap();
    let precheck = Precheck { rules: Rules::embedded(), config: CheckConfig::default(), device: Default::default(), readers: None };
    dajian::demo::seed(&db, &precheck).await.unwrap();
    let (_, applicant) = create_token(&db, "顺达 system", Role::Applicant).await.unwrap();
    let state = AppState {
        db: db.clone(),
        precheck: Arc::new(precheck),
        limits: Arc::new(Limits::default()),
        notify: Default::default(),
        desk: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(dajian::http::serve(state, listener, dajian::http::ServeOptions { workers: 1, lease: None }, async {
        let _ = rx.await;
    }));
    // Redirects are what several tests look at: never follow them.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    App { base, db, db_url, applicant, http, _dir: dir, _stop: tx }
}

/// The app and the session cookie of the demo's clerk, logged in.
async fn spawn_as_clerk() -> (App, String) {
    let app = spawn().await;
    let cookie = app.login().await;
    (app, cookie)
}

/// The value of cookie `name` set by a response, if any.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string()))
}

fn set_cookie_line(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with(&format!("{name}="))).map(String::from)
}

/// The first hidden `csrf` field of a page.
fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

impl App {
    async fn get(&self, cookie: Option<&str>, path: &str) -> reqwest::Response {
        let mut r = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = cookie {
            r = r.header(COOKIE, c);
        }
        r.send().await.unwrap()
    }

    async fn post(&self, cookie: Option<&str>, path: &str, body: String) -> reqwest::Response {
        let mut r = self.http.post(format!("{}{path}", self.base)).header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body);
        if let Some(c) = cookie {
            r = r.header(COOKIE, c);
        }
        r.send().await.unwrap()
    }

    /// Logs in through the login form; returns the response (303 on success).
    async fn try_login(&self, name: &str, password: &str, extra_cookie: Option<&str>) -> reqwest::Response {
        let page = self.get(None, "/desk/login").await;
        let token = set_cookie(&page, "dajian_login_csrf").expect("the login page sets its CSRF cookie");
        let html = page.text().await.unwrap();
        assert_eq!(csrf_in(&html), token, "double submit: field and cookie agree");
        let mut cookie = format!("dajian_login_csrf={token}");
        if let Some(c) = extra_cookie {
            cookie.push_str("; ");
            cookie.push_str(c);
        }
        self.post(Some(&cookie), "/desk/login", form(&[("name", name), ("password", password), ("csrf", &token), ("next", "/desk")])).await
    }

    /// A logged-in clerk's cookie header.
    async fn login(&self) -> String {
        let r = self.try_login(dajian::demo::CLERK_NAME, dajian::demo::CLERK_PASSWORD, None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        format!("dajian_session={}", set_cookie(&r, "dajian_session").unwrap())
    }

    /// The body of the page at `path`, opened with `cookie`.
    async fn page(&self, cookie: &str, path: &str) -> String {
        self.get(Some(cookie), path).await.text().await.unwrap()
    }

    async fn app_id(&self, no: &str) -> String {
        sqlx::query_scalar("SELECT id FROM applications WHERE application_no = $1").bind(no.to_string()).fetch_one(&self.db.pool).await.unwrap()
    }

    async fn audit_rows(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(&self.db.pool).await.unwrap()
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_right_one_starts_a_session() {
    let app = spawn().await;
    let r = app.try_login("clerk", "not-the-password", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&r, "dajian_session").is_none());
    assert!(r.text().await.unwrap().contains("用户名或密码不正确"));
    let r = app.try_login("nobody", "dajian-demo", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let r = app.try_login("clerk", "dajian-demo", None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/desk");
    let line = set_cookie_line(&r, "dajian_session").unwrap();
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Strict"), "{line}");
    assert!(!line.contains("Secure"), "no Secure unless configured: {line}");
    let raw = set_cookie(&r, "dajian_session").unwrap();
    assert_eq!(raw.len(), 64, "256 random bits, hex");
    // Only the hash is stored.
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_one(&app.db.pool).await.unwrap();
    assert_ne!(stored, raw);
    let queue = app.get(Some(&format!("dajian_session={raw}")), "/desk").await;
    assert_eq!(queue.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_page_without_a_session_redirects_to_the_login() {
    let app = spawn().await;
    let id = app.app_id("JN-2026-000124").await;
    for path in ["/desk".to_string(), format!("/desk/applications/{id}"), "/desk/audit".into(), format!("/desk/applications/{id}/pages/trailer_licence.jpg")] {
        let r = app.get(None, &path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        let to = r.headers()[LOCATION].to_str().unwrap().to_string();
        assert!(to.starts_with("/desk/login?next=/desk"), "{path} → {to}");
    }
    // A forged or expired session is no session.
    let r = app.get(Some("dajian_session=00ff"), "/desk").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The login page itself is reachable, and `next` never leaves the desk.
    let r = app.get(None, "/desk/login?next=https://evil.example/").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("name=\"next\" value=\"/desk\""));
}

#[tokio::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_403() {
    let (app, cookie) = spawn_as_clerk().await;
    let id = app.app_id("JN-2026-000124").await;
    let path = format!("/desk/applications/{id}/decisions");
    let r = app.post(Some(&cookie), &path, form(&[("check_id", "V1"), ("action", "accept")])).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.post(Some(&cookie), &path, form(&[("csrf", "0123"), ("check_id", "V1"), ("action", "accept")])).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("安全令牌不符"));
    let r = app.post(Some(&cookie), "/desk/logout", form(&[("csrf", "nope")])).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.audit_rows().await, 0);
    // Another session's token is a wrong token too.
    let other = app.login().await;
    let other_token = csrf_in(&app.page(&other, "/desk").await);
    let r = app.post(Some(&cookie), &path, form(&[("csrf", &other_token), ("check_id", "V1"), ("action", "accept")])).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The login form is protected too (double-submit cookie).
    let r = app.post(None, "/desk/login", form(&[("name", "clerk"), ("password", "dajian-demo"), ("csrf", "x")])).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // With the right token it goes through.
    let token = csrf_in(&app.page(&cookie, &format!("/desk/applications/{id}")).await);
    let r = app.post(Some(&cookie), &path, form(&[("csrf", &token), ("check_id", "V1"), ("action", "accept")])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.audit_rows().await, 1);
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_ends_at_logout() {
    let app = spawn().await;
    let first = app.login().await;
    let first_raw = first.trim_start_matches("dajian_session=").to_string();
    // Log in again from a browser that carries the old session (or one an
    // attacker planted): the new id differs and the old one is dead.
    let r = app.try_login("clerk", "dajian-demo", Some(&first)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let second_raw = set_cookie(&r, "dajian_session").unwrap();
    assert_ne!(second_raw, first_raw);
    assert_eq!(app.get(Some(&first), "/desk").await.status(), StatusCode::SEE_OTHER, "the old session no longer works");
    let second = format!("dajian_session={second_raw}");
    assert_eq!(app.get(Some(&second), "/desk").await.status(), StatusCode::OK);
    // A planted id that was never issued is not adopted either.
    let r = app.try_login("clerk", "dajian-demo", Some("dajian_session=planted")).await;
    assert_ne!(set_cookie(&r, "dajian_session").unwrap(), "planted");
    // Logout ends the session server-side.
    let token = csrf_in(&app.page(&second, "/desk").await);
    let r = app.post(Some(&second), "/desk/logout", form(&[("csrf", &token)])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie_line(&r, "dajian_session").unwrap().contains("Max-Age=0"));
    assert_eq!(app.get(Some(&second), "/desk").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_override_without_a_reason_is_refused_and_with_one_is_in_the_audit_log() {
    let (app, cookie) = spawn_as_clerk().await;
    let id = app.app_id("JN-2026-000124").await;
    let token = csrf_in(&app.page(&cookie, &format!("/desk/applications/{id}")).await);
    let path = format!("/desk/applications/{id}/decisions");
    for reason in ["", "   "] {
        let r = app.post(Some(&cookie), &path, form(&[("csrf", &token), ("check_id", "V1"), ("action", "override"), ("reason", reason)])).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写理由"), "the page says why");
        assert!(html.contains("id=\"check-V1\""), "and is the application page again");
    }
    // Returning the application needs reasons too.
    let r = app.post(Some(&cookie), &path, form(&[("csrf", &token), ("action", "return")])).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.audit_rows().await, 0);

    let reason = "行驶证原件已现场核验，VIN 为 LA9LB3D37KBJXC012";
    let r = app.post(Some(&cookie), &path, form(&[("csrf", &token), ("check_id", "V1"), ("action", "override"), ("reason", reason)])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()[LOCATION].to_str().unwrap().ends_with("#check-V1"));
    let r = app.post(Some(&cookie), &path, form(&[("csrf", &token), ("action", "approve")])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let html = app.page(&cookie, &format!("/desk/applications/{id}/audit")).await;
    assert!(html.contains(reason));
    assert!(html.contains("已改判") && html.contains("不予受理"), "before → after, in Chinese");
    assert!(html.contains("准予办理"));
    let all = app.page(&cookie, "/desk/audit").await;
    assert!(all.contains(reason) && all.contains("JN-2026-000124"));
    // The same rows the JSON API writes and reads.
    let (actor, before, after): (String, String, String) =
        sqlx::query_as("SELECT actor, before, after FROM audit_log WHERE check_id = 'V1'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((actor.as_str(), before.as_str(), after.as_str()), ("clerk", "block", "overridden"));
    let api: serde_json::Value =
        app.get(Some(&cookie), &format!("/api/v1/applications/{id}/audit")).await.json().await.unwrap();
    assert_eq!(api["entries"][0]["reason"], reason);
    // The queue now counts it as decided.
    let decided = app.page(&cookie, "/desk?decided=yes").await;
    assert!(decided.contains("JN-2026-000124") && !decided.contains("JN-2026-000125"));
    // The application page shows the decision on the check.
    let page = app.page(&cookie, &format!("/desk/applications/{id}")).await;
    assert!(page.contains(reason));
}

#[tokio::test]
async fn an_applicant_token_cannot_reach_the_desk() {
    let app = spawn().await;
    let id = app.app_id("JN-2026-000124").await;
    for path in ["/desk".to_string(), format!("/desk/applications/{id}"), format!("/desk/applications/{id}/pages/trailer_licence.jpg"), "/desk/audit".into()] {
        let r = app.http.get(format!("{}{path}", app.base)).bearer_auth(&app.applicant).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(!r.text().await.unwrap().contains("LA9LB3D38KBJXC021"));
    }
}

#[tokio::test]
async fn a_clerks_session_works_on_the_json_api_with_the_csrf_header_for_changes() {
    let (app, cookie) = spawn_as_clerk().await;
    let id = app.app_id("JN-2026-000125").await;
    let r = app.get(Some(&cookie), &format!("/api/v1/applications/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The demo's two identical transformers: G1 asks for a clerk's look.
    let body: serde_json::Value = r.json().await.unwrap();
    let g1 = body["report"]["checks"].as_array().unwrap().iter().find(|c| c["id"] == "G1").unwrap();
    assert_eq!(g1["status"], "warn", "{g1}");
    let url = format!("{}/api/v1/applications/{id}/decisions", app.base);
    let body = r#"{"check_id": "G1", "action": "accept"}"#;
    let r = app.http.post(&url).header(COOKIE, &cookie).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a cookie alone does not change state");
    let token = csrf_in(&app.page(&cookie, "/desk").await);
    let r = app.http.post(&url).header(COOKIE, &cookie).header("x-dajian-csrf", token).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["actor"], "clerk");
}

#[tokio::test]
async fn the_application_page_shows_the_groups_the_evidence_and_its_box() {
    let (app, cookie) = spawn_as_clerk().await;
    let id = app.app_id("JN-2026-000124").await;
    let html = app.page(&cookie, &format!("/desk/applications/{id}")).await;
    for s in ["人员信息", "企业资质信息", "车辆信息", "线路情况", "货物情况", "号牌与VIN", "不予受理", "济宁顺达大件运输有限公司", "Ⅱ"] {
        assert!(html.contains(s), "{s}");
    }
    assert_eq!(html.matches("<article class=\"check").count(), dajian::checks::CATALOGUE.len());
    // The VIN read off the trailer licence differs from the form's, and is
    // the value the viewer opens on, with its box.
    assert!(html.contains("LA9LB3D38KBJXC021"));
    assert!(html.contains("class=\"ev diff locate\""), "the differing value is marked");
    assert!(html.contains(&format!("src=\"/desk/applications/{id}/pages/trailer_licence.jpg\"")));
    // The box is where the models read the VIN on the real page (the demo's
    // committed reading, kept true by tests/demo_reading.rs).
    let trailer = &dajian::demo::committed_reading().unwrap()["defects/trailer_licence.jpg"];
    let b = trailer.fields["vin"].bbox;
    let rect = format!("<rect class=\"hl\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"", b.x, b.y, b.w, b.h);
    assert!(html.contains(&rect), "{rect} in {}", &html[html.find("<svg").unwrap_or(0)..]);
    let img = app.get(Some(&cookie), &format!("/desk/applications/{id}/pages/trailer_licence.jpg")).await;
    assert_eq!(img.status(), StatusCode::OK);
    assert_eq!(img.headers()[CONTENT_TYPE], "image/jpeg");
    let bytes = img.bytes().await.unwrap();
    let sent = std::fs::read(std::path::Path::new(dajian::demo::FIXTURE_DIR).join("defects/trailer_licence.jpg")).unwrap();
    assert!(bytes == sent, "the page is served as it was submitted");
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((Some(decoded.width()), Some(decoded.height())), (trailer.width, trailer.height));
    // The print summary lists all 21 checks.
    let print = app.page(&cookie, &format!("/desk/applications/{id}/print")).await;
    assert_eq!(print.matches("<td class=\"mono w3\">").count(), dajian::checks::CATALOGUE.len());
}

#[tokio::test]
async fn the_queue_is_sorted_by_verdict_and_filters_count() {
    let (app, cookie) = spawn_as_clerk().await;
    let html = app.page(&cookie, "/desk").await;
    let pos = |no: &str| html.find(no).unwrap_or_else(|| panic!("{no} in the queue"));
    // block (124, 126 by age), review (125), pass (123)
    assert!(pos("JN-2026-000124") < pos("JN-2026-000126"));
    assert!(pos("JN-2026-000126") < pos("JN-2026-000125"));
    assert!(pos("JN-2026-000125") < pos("JN-2026-000123"));
    let review = app.page(&cookie, "/desk?verdict=review").await;
    assert!(review.contains("JN-2026-000125") && !review.contains("JN-2026-000124"));
    let undecided = app.page(&cookie, "/desk?decided=yes").await;
    assert!(undecided.contains("没有符合条件的申请"));
}

#[tokio::test]
async fn chinese_by_default_english_by_cookie_query_or_accept_language() {
    let (app, cookie) = spawn_as_clerk().await;
    let zh = app.page(&cookie, "/desk").await;
    assert!(zh.contains("lang=\"zh-CN\"") && zh.contains("待办队列"));
    let en = app.page(&cookie, "/desk?lang=en").await;
    assert!(en.contains("lang=\"en\"") && en.contains("Queue") && !en.contains("待办队列"));
    let r = app.http.get(format!("{}/desk", app.base)).header(COOKIE, &cookie).header("accept-language", "en-GB,en;q=0.9").send().await.unwrap();
    assert!(r.text().await.unwrap().contains("Log out"));
    let r = app.get(None, "/desk/lang?set=en&back=/desk/audit").await;
    assert_eq!(r.headers()[LOCATION], "/desk/audit");
    assert!(set_cookie_line(&r, "lang").unwrap().starts_with("lang=en"));
    let r = app.page(&format!("{cookie}; lang=en"), "/desk").await;
    assert!(r.contains("Verdict"));
    let r = app.get(None, "/desk/lang?set=en&back=https://evil.example").await;
    assert_eq!(r.headers()[LOCATION], "/desk");
}

#[tokio::test]
async fn dajian_user_create_makes_an_account_that_can_log_in() {
    let app = spawn().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dajian"))
        .args(["--db", &app.db_url, "user", "create", "--name", "wang", "--role", "admin", "--password-env", "DESK_TEST_PW"])
        .env("DESK_TEST_PW", "a long enough password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = app.try_login("wang", "a long enough password", None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A short password and a duplicate name are input errors (exit 2).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dajian"))
        .args(["--db", &app.db_url, "user", "create", "--name", "li", "--role", "clerk", "--password-env", "DESK_TEST_PW"])
        .env("DESK_TEST_PW", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dajian"))
        .args(["--db", &app.db_url, "user", "create", "--name", "wang", "--role", "clerk"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"another long password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_even_with_the_right_password() {
    let app = spawn().await;
    let (name, password) = (dajian::demo::CLERK_NAME, dajian::demo::CLERK_PASSWORD);
    for _ in 0..5 {
        assert_eq!(app.try_login(name, "a wrong guess", None).await.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app.try_login(name, password, None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "900");
    assert!(set_cookie(&r, "dajian_session").is_none());
    assert!(r.text().await.unwrap().contains("登录失败次数过多"));
    // The count is in the database, so every instance sees it.
    let failures = || sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_failures WHERE name = $1").bind(name).fetch_one(&app.db.pool);
    assert_eq!(failures().await.unwrap(), 5);
    // Once the window has passed, the right password works and clears the count.
    sqlx::query("UPDATE login_failures SET at = '2000-01-01T00:00:00+00:00'").execute(&app.db.pool).await.unwrap();
    assert_eq!(app.try_login(name, password, None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(failures().await.unwrap(), 0);
}

#[tokio::test]
async fn one_address_trying_many_names_is_throttled_too() {
    let app = spawn().await;
    for i in 0..20 {
        assert_eq!(app.try_login(&format!("guess{i}"), "password123", None).await.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app.try_login(dajian::demo::CLERK_NAME, dajian::demo::CLERK_PASSWORD, None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_clerk_sees_an_entitys_verified_archive() {
    let app = spawn().await;
    let path = "/desk/entities/company:91370800MA3C5X1234";
    assert_eq!(app.get(None, path).await.status(), StatusCode::SEE_OTHER);
    let cookie = app.login().await;
    let r = app.get(Some(&cookie), path).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("核验档案") && html.contains("尚无存档材料"), "{html}");
    // A person's ID number is shown masked in the title.
    let html = app.page(&cookie, "/desk/entities/person:33010219800101064X").await;
    assert!(html.contains("person:330102********064X"), "{html}");
}

#[tokio::test]
async fn an_archived_page_is_shown_from_the_application_that_brought_it() {
    let (app, cookie) = spawn_as_clerk().await;
    let (id, earlier) = (app.app_id("JN-2026-000124").await, app.app_id("JN-2026-000125").await);
    // Mark the flagged trailer licence as reused from the earlier application.
    let report: String = sqlx::query_scalar("SELECT report FROM applications WHERE id = $1").bind(&id).fetch_one(&app.db.pool).await.unwrap();
    let mut report: serde_json::Value = serde_json::from_str(&report).unwrap();
    for d in report["documents"].as_array_mut().unwrap() {
        if d["file"] == "trailer_licence.jpg" {
            d["archived"] = serde_json::json!({
                "application_id": earlier, "file": "trailer_licence.jpg",
                "archived_at": "2026-11-01T08:00:00Z", "valid_until": "2027-06-30"
            });
        }
    }
    sqlx::query("UPDATE applications SET report = $1 WHERE id = $2").bind(report.to_string()).bind(&id).execute(&app.db.pool).await.unwrap();
    let html = app.page(&cookie, &format!("/desk/applications/{id}")).await;
    let src = format!("/desk/applications/{earlier}/pages/trailer_licence.jpg");
    assert!(html.contains(&src), "the viewer does not load the archived page from {earlier}");
    assert!(!html.contains(&format!("/desk/applications/{id}/pages/trailer_licence.jpg")));
    let r = app.get(Some(&cookie), &src).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("image/"));
}

#[tokio::test]
async fn the_report_speaks_chinese_unless_english_is_asked_for() {
    let (app, cookie) = spawn_as_clerk().await;
    let id = app.app_id("JN-2026-000124").await;
    let v1 = |body: serde_json::Value| {
        let c = body["report"]["checks"].as_array().unwrap().iter().find(|c| c["id"] == "V1").unwrap().clone();
        assert!(c.get("message_en").is_none(), "{c}");
        (c["title"].as_str().unwrap().to_string(), c["message"].as_str().unwrap().to_string())
    };
    let zh = v1(app.get(Some(&cookie), &format!("/api/v1/applications/{id}")).await.json().await.unwrap());
    assert_eq!(zh.0, "号牌与VIN");
    assert!(zh.1.contains("挂车车辆识别代号"), "{}", zh.1);
    let en = v1(app.get(Some(&cookie), &format!("/api/v1/applications/{id}?lang=en")).await.json().await.unwrap());
    assert_eq!(en.0, "Plate & VIN");
    assert!(en.1.contains("the trailer VIN"), "{}", en.1);
    let r = app.http.get(format!("{}/api/v1/applications/{id}", app.base)).header(COOKIE, &cookie)
        .header("accept-language", "en-GB,en;q=0.9").send().await.unwrap();
    assert_eq!(v1(r.json().await.unwrap()), en);
    // The desk shows the message in the desk's language.
    let html = app.page(&cookie, &format!("/desk/applications/{id}?lang=en")).await;
    assert!(html.contains(&en.1.replace('\'', "&#39;")) || html.contains("the trailer VIN"), "English message missing");
}

#[tokio::test]
async fn a_flagged_r3_shows_both_routes_side_by_side_and_the_clerk_can_send_the_suggestion() {
    let (app, cookie) = spawn_as_clerk().await;
    // JN-2026-000126 has a 13.6 t axle: 泗河大桥 on S-0012 takes 13 t, G105 (S-0014) goes round it.
    let id = app.app_id("JN-2026-000126").await;
    let html = app.page(&cookie, &format!("/desk/applications/{id}?lang=en")).await;
    let r3 = &html[html.find("id=\"check-R3\"").expect("R3 is on the page")..];
    let r3 = &r3[..r3.find("</article>").unwrap()];
    assert!(r3.contains("Declared route") && r3.contains("Suggested route"), "{r3}");
    assert!(r3.contains("B-0012-1") && r3.contains(">-600<"), "the failing bridge with its margin: {r3}");
    assert!(r3.contains("B-0014-1") && r3.contains(">+400<"), "the detour's bridge with its margin: {r3}");
    assert!(r3.contains("<svg class=\"routemap\"") && r3.contains("path class=\"suggested\""), "the drawing: {r3}");
    assert!(!r3.contains("route_suggestion"), "the raw JSON is not shown as evidence");
    assert!(html.contains("name=\"include_route\""), "the return form offers the suggestion");

    // Returned with the suggestion: the reason the applicant gets ends with it.
    let token = csrf_in(&html);
    let path = format!("/desk/applications/{id}/decisions");
    let typed = "请按建议线路重新申报";
    let r = app.post(Some(&cookie), &path, form(&[("csrf", &token), ("action", "return"), ("reason", typed), ("include_route", "on")])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let reason: String = sqlx::query_scalar("SELECT reason FROM audit_log WHERE check_id IS NULL").fetch_one(&app.db.pool).await.unwrap();
    assert!(reason.starts_with(typed) && reason.contains("\n建议线路：S-0014 G105国道"), "{reason}");

    // Applications whose R3 passes offer nothing to include.
    let clean = app.app_id("JN-2026-000123").await;
    let html = app.page(&cookie, &format!("/desk/applications/{clean}")).await;
    assert!(!html.contains("include_route") && !html.contains("routemap"));
}

/// A PDF of a 595 × 842 pt blank page and a 144 × 96 pt one.
fn two_blank_pages() -> Vec<u8> {
    use pdf_writer::{Pdf, Rect, Ref};
    let mut pdf = Pdf::new();
    pdf.catalog(Ref::new(1)).pages(Ref::new(2));
    pdf.pages(Ref::new(2)).kids([Ref::new(3), Ref::new(4)]).count(2);
    pdf.page(Ref::new(3)).media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).parent(Ref::new(2));
    pdf.page(Ref::new(4)).media_box(Rect::new(0.0, 0.0, 144.0, 96.0)).parent(Ref::new(2));
    pdf.finish()
}

#[tokio::test]
async fn a_stored_pdf_is_shown_to_the_viewer_as_its_pages_rendered_to_png() {
    let (app, cookie) = spawn_as_clerk().await;
    let id = app.app_id("JN-2026-000124").await;
    // The trailer licence as if it had come as a PDF.
    sqlx::query("UPDATE pages SET content_type = 'application/pdf', bytes = $1 WHERE application_id = $2 AND file = 'trailer_licence.jpg'")
        .bind(two_blank_pages())
        .bind(&id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    // A page with no image is rendered at 200 dpi for OCR.
    for (query, size) in [("", (1653, 2339)), ("?page=2", (400, 267))] {
        let r = app.get(Some(&cookie), &format!("/desk/applications/{id}/pages/trailer_licence.jpg{query}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{query}");
        assert_eq!(r.headers()[CONTENT_TYPE], "image/png", "{query}");
        let img = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), size, "{query}");
    }
    let r = app.get(Some(&cookie), &format!("/desk/applications/{id}/pages/trailer_licence.jpg?page=3")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
