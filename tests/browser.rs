//! The desk in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) by the small client below, against the real app on port
//! 0 with the demo data. Screenshots go to `target/desk-screenshots/`.
//!
//! Skips, saying so, when chromium or chromedriver is not installed
//! (`.ci/run` installs them). `CHROMIUM` and `CHROMEDRIVER` name other
//! binaries.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use dajian::checks::CheckConfig;
use dajian::db::Db;
use dajian::http::{AppState, Limits};
use dajian::pipeline::Precheck;
use dajian::rules::Rules;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn which(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(var) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
}

/// chromedriver, ended when dropped.
struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start(driver: &std::path::Path, chromium: &std::path::Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let mut d = Driver { child, base, http, session: String::new() };
        let t0 = Instant::now();
        loop {
            if let Ok(r) = d.http.get(format!("{}/status", d.base)).send().await
                && r.json::<Value>().await.is_ok_and(|v| v["value"]["ready"] == true)
            {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(30), "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                         "--window-size=1600,1000", "--lang=zh-CN", format!("--user-data-dir={}", profile.display())],
                // A clerk's browser in China asks for Chinese first.
                "prefs": { "intl.accept_languages": "zh-CN,zh" }
            }
        } } });
        let v = d.call("POST", "/session", caps).await;
        d.session = v["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {v}")).to_string();
        d
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = if path == "/session" { format!("{}/session", self.base) } else { format!("{}/session/{}{path}", self.base, self.session) };
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if v["value"].get("error").is_some() {
            panic!("WebDriver {method} {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }
    async fn url(&self) -> String {
        self.call("GET", "/url", Value::Null).await.as_str().unwrap().to_string()
    }
    async fn find(&self, css: &str) -> String {
        let t0 = Instant::now();
        loop {
            let url = format!("{}/session/{}/element", self.base, self.session);
            let v: Value = self.http.post(url).json(&json!({ "using": "css selector", "value": css })).send().await.unwrap().json().await.unwrap();
            if let Some(id) = v["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(t0.elapsed() < Duration::from_secs(10), "no element {css}: {v}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.call("POST", &format!("/element/{e}/click"), json!({})).await;
    }
    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.call("POST", &format!("/element/{e}/value"), json!({ "text": text })).await;
    }
    async fn js(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", json!({ "script": script, "args": [] })).await
    }
    /// Waits until `script` returns true.
    async fn until(&self, what: &str, script: &str) {
        let t0 = Instant::now();
        while self.js(script).await != Value::Bool(true) {
            assert!(t0.elapsed() < Duration::from_secs(10), "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    async fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.call("GET", "/screenshot", Value::Null).await;
        let png = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/desk-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
        path
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_finds_the_flagged_value_on_the_page_overrides_it_and_sees_it_in_the_audit_log() {
    let (Some(chromium), Some(driver)) = (which("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]), which("CHROMEDRIVER", &["chromedriver"])) else {
        println!("SKIPPED browser test: chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&format!("sqlite://{}", dir.path().join("browser.sqlite").display())).await.unwrap();
    let precheck = Precheck { rules: Rules::embedded(), config: CheckConfig::default(), device: Default::default(), readers: None };
    dajian::demo::seed(&db, &precheck).await.unwrap();
    let state = AppState { db: db.clone(), precheck: Arc::new(precheck), limits: Arc::new(Limits::default()), notify: Default::default(), desk: Default::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dajian::http::serve(state, listener, dajian::http::ServeOptions { workers: 1, lease: None }, std::future::pending()));

    let b = Driver::start(&driver, &chromium).await;

    // Not logged in: the desk sends the browser to the login.
    b.goto(&format!("{base}/desk")).await;
    assert!(b.url().await.contains("/desk/login"), "{}", b.url().await);
    b.screenshot("01-login").await;
    b.type_into("input[name=name]", dajian::demo::CLERK_NAME).await;
    b.type_into("input[name=password]", dajian::demo::CLERK_PASSWORD).await;
    b.click("form.login button[type=submit]").await;
    b.until("the queue", "return location.pathname === '/desk' && !!document.querySelector('table.queue')").await;
    b.screenshot("02-queue").await;

    // The blocked application whose trailer licence prints another VIN.
    b.click("table.queue a[href*='/desk/applications/']").await;
    b.until("the application page", "return !!document.getElementById('check-V1')").await;
    assert!(b.js("return document.querySelector('h1').textContent").await.as_str().unwrap().contains("JN-2026-000124"));
    b.until("the page image", "const i = document.getElementById('page'); return i.complete && i.naturalWidth > 0").await;
    // Where the models read the VIN and the plate on that page (the demo's
    // committed reading, `tests/demo_reading.rs`).
    let reading = dajian::demo::committed_reading().unwrap();
    let trailer = &reading["defects/trailer_licence.jpg"];
    let (vin, plate) = (trailer.fields["vin"].bbox, trailer.fields["plate_number"].bbox);
    // The page is the real licence, at its own size, with ink where the VIN
    // box is (not a drawn placeholder)...
    let page = b
        .js(&format!(
            "const i = document.getElementById('page'); const c = document.createElement('canvas'); \
             c.width = i.naturalWidth; c.height = i.naturalHeight; const g = c.getContext('2d'); g.drawImage(i, 0, 0); \
             const d = g.getImageData({}, {}, {}, {}).data; let dark = 0; \
             for (let k = 0; k < d.length; k += 4) if (d[k] + d[k + 1] + d[k + 2] < 300) dark++; \
             return {{ w: i.naturalWidth, h: i.naturalHeight, dark: dark, px: d.length / 4 }};",
            vin.x, vin.y, vin.w, vin.h
        ))
        .await;
    assert_eq!((page["w"].as_u64(), page["h"].as_u64()), (trailer.width.map(u64::from), trailer.height.map(u64::from)), "{page}");
    let (dark, px) = (page["dark"].as_f64().unwrap(), page["px"].as_f64().unwrap());
    assert!(dark > 0.05 * px && dark < 0.6 * px, "the VIN's box holds printed text: {page}");
    // ...and the highlighted box is the trailer licence's VIN, on screen
    // inside the viewer.
    let hl = b
        .js("const r = document.querySelector('#overlay rect.hl'); const s = document.getElementById('stage').getBoundingClientRect(); \
             const q = r.getBoundingClientRect(); \
             return { x: r.getAttribute('x'), y: r.getAttribute('y'), img: document.getElementById('page').getAttribute('src'), \
                      visible: q.width > 20 && q.left >= s.left && q.right <= s.right && q.top >= s.top && q.bottom <= s.bottom, \
                      sel: document.querySelector('button.locate.sel .v').textContent };")
        .await;
    assert_eq!((hl["x"].as_str(), hl["y"].as_str()), (Some(vin.x.to_string().as_str()), Some(vin.y.to_string().as_str())), "{hl}");
    assert!(hl["img"].as_str().unwrap().ends_with("/pages/trailer_licence.jpg"), "{hl}");
    assert_eq!(hl["visible"], true, "the box is inside the viewer: {hl}");
    assert_eq!(hl["sel"], "LA9LB3D38KBJXC021");
    b.screenshot("03-application-flagged").await;

    // Clicking another value on the page moves the box.
    b.click(&format!("#check-V1 button.locate[data-bbox='{},{},{},{}'][data-file='trailer_licence.jpg']", plate.x, plate.y, plate.w, plate.h)).await;
    b.until("the box on the plate", &format!("return document.querySelector('#overlay rect.hl').getAttribute('y') === '{}'", plate.y)).await;

    // Override V1 with a reason.
    let reason = "已调阅挂车行驶证原件，VIN 与申请表一致";
    b.type_into("#check-V1 input.reason", reason).await;
    b.click("#check-V1 button[value=override]").await;
    b.until("the decision recorded", "return !!document.querySelector('#check-V1 .state .b-overridden')").await;
    b.screenshot("04-overridden").await;

    // The audit log has it.
    b.js("window.scrollTo(0, 0); return true").await;
    b.click("a.button[href*='/applications/'][href$='/audit']").await;
    b.until("the application's audit log", "return /^\\/desk\\/applications\\/[^/]+\\/audit$/.test(location.pathname) && !!document.querySelector('table.audit')").await;
    let text = b.js("return document.querySelector('table.audit').innerText").await;
    let text = text.as_str().unwrap();
    assert!(text.contains(reason) && text.contains("clerk") && text.contains("已改判"), "{text}");
    b.screenshot("05-audit").await;

    // The English desk and the print summary, for the record.
    let id_path = b.js("return location.pathname.replace('/audit', '')").await.as_str().unwrap().to_string();
    b.goto(&format!("{base}{id_path}?lang=en")).await;
    b.until("the English page", "return document.documentElement.lang === 'en'").await;
    b.screenshot("06-application-en").await;
    b.goto(&format!("{base}{id_path}/print")).await;
    b.until("the print summary", "return !!document.querySelector('table.printchecks')").await;
    b.screenshot("07-print").await;
    b.call("DELETE", "", Value::Null).await;
}
