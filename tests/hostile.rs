//! Hostile input and access control through the real HTTP service: every
//! bad upload gets the right 4xx JSON error and leaves earlier submissions
//! as they were; every route answers each kind of caller exactly as it
//! should. (Login rate limiting is with the desk's tests.)

mod common;

use common::{App, Store, form_json, listed_files, png, spawn, submission};
use dajian::http::Limits;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{Value, json};

on_both_backends!(bad_uploads_get_the_right_4xx_and_leave_earlier_submissions_intact, every_route_answers_each_caller_as_it_should,);

/// The server refuses an anonymous upload before reading it; it must still
/// read enough of the body that the client sees the 401 rather than a
/// broken pipe mid-upload. That race failed CI once; without the fix, this
/// loop of small and multi-megabyte uploads hits it within a few tries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_upload_of_any_size_gets_its_401() {
    let app = spawn(Store::Sqlite, Limits::default(), 1).await;
    let big = vec![0x5au8; 3 * 1024 * 1024];
    for i in 0..200 {
        let f = if i % 2 == 0 {
            submission(&form_json())
        } else {
            let bytes = big[..(i * 9973) % big.len()].to_vec();
            Form::new().text("application", form_json()).part("page.jpg", Part::bytes(bytes).file_name("page.jpg"))
        };
        let r = app.http.post(format!("{}/api/v1/applications", app.base)).multipart(f).send().await;
        let status = r.expect("the client is answered, not cut off").status().as_u16();
        assert_eq!(status, 401);
    }
    // Whatever the body: no token is a 401 before a malformed body is a 400.
    let r = app.http.post(format!("{}/api/v1/applications", app.base)).header("content-type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(r.status(), 401);
}

/// A PDF that opens only with a password (made with reportlab).
fn encrypted_pdf() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdf/encrypted.pdf")).unwrap()
}

/// A small real JPEG.
fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 128]));
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A JPEG whose frame header claims `w`×`h` pixels (its data is the small
/// image's): only the header is needed to refuse it.
fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut b = jpeg();
    let sof = b.windows(2).position(|m| m == [0xFF, 0xC0]).expect("baseline JPEG has SOF0");
    b[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    b
}

/// A real decompression bomb: a valid 20 000 × 20 000 grey PNG of zeros,
/// 400 MB of pixels in well under a megabyte.
fn png_bomb() -> Vec<u8> {
    let (w, h) = (20_000u32, 20_000u32);
    let mut out = vec![];
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; w as usize];
        for _ in 0..h {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
    }
    out
}

/// A PDF of `pages` blank pages of `w` × `h` points.
fn blank_pdf(pages: usize, w: f32, h: f32) -> Vec<u8> {
    use pdf_writer::{Pdf, Rect, Ref};
    let mut pdf = Pdf::new();
    let ids: Vec<Ref> = (0..pages as i32).map(|i| Ref::new(3 + i)).collect();
    pdf.catalog(Ref::new(1)).pages(Ref::new(2));
    pdf.pages(Ref::new(2)).kids(ids.iter().copied()).count(pages as i32);
    for &id in &ids {
        pdf.page(id).media_box(Rect::new(0.0, 0.0, w, h)).parent(Ref::new(2));
    }
    pdf.finish()
}

/// The fixture's form and pages, with `page` replacing the first page.
fn with_first_page(page: Vec<u8>) -> Form {
    let form = form_json();
    let files = listed_files(&form);
    let mut f = Form::new().text("application", form.clone());
    for (i, name) in files.iter().enumerate() {
        let bytes = if i == 0 { page.clone() } else { png() };
        f = f.part(name.clone(), Part::bytes(bytes).file_name(name.clone()));
    }
    f
}

/// What a case sends.
enum Body {
    Multipart(Form),
    Raw { content_type: &'static str, bytes: Vec<u8> },
}

async fn send(app: &App, body: Body) -> reqwest::Result<reqwest::Response> {
    let r = app.http.post(format!("{}/api/v1/applications", app.base)).bearer_auth(&app.applicant);
    match body {
        Body::Multipart(f) => r.multipart(f),
        Body::Raw { content_type, bytes } => r.header("content-type", content_type).body(bytes),
    }
    .send()
    .await
}

async fn bad_uploads_get_the_right_4xx_and_leave_earlier_submissions_intact(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    let earlier = app.submit_ok().await;
    let earlier_done = app.wait_done(&earlier).await;
    let form = form_json();
    let first = listed_files(&form)[0].clone();

    let mut truncated = jpeg();
    truncated.truncate(truncated.len() / 2);
    // Built by hand: a client sending 10 000 parts, each a real image.
    let mut many_parts = format!("--b\r\nContent-Disposition: form-data; name=\"application\"\r\n\r\n{form}\r\n").into_bytes();
    for i in 0..10_000 {
        many_parts.extend(format!("--b\r\nContent-Disposition: form-data; name=\"p{i}.png\"\r\n\r\n").bytes());
        many_parts.extend(png());
        many_parts.extend(b"\r\n");
    }
    many_parts.extend(b"--b--\r\n");
    let nested = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let v: Value = serde_json::from_str(&form).unwrap();
    let mut huge_name = v.clone();
    huge_name["carrier"]["name"] = json!("顺".repeat(5_000));
    let mut too_big_form = v.clone();
    too_big_form["carrier"]["name"] = json!("x".repeat(300 * 1024));
    let mut invalid_utf8 = form.clone().into_bytes();
    invalid_utf8.extend_from_slice(&[0xFF, 0xFE, 0xC3]);
    let mut traversal = v.clone();
    traversal["documents"][0]["file"] = json!("../../x");
    let mut traversal_part = format!("--b\r\nContent-Disposition: form-data; name=\"application\"\r\n\r\n{form}\r\n").into_bytes();
    traversal_part.extend(b"--b\r\nContent-Disposition: form-data; name=\"../../x\"; filename=\"../../x\"\r\n\r\n");
    traversal_part.extend(png());
    traversal_part.extend(b"\r\n--b--\r\n");
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip archive".to_vec();

    // (what, body, status, error code, a word the message must hold)
    let cases: Vec<(&str, Body, u16, &str, &str)> = vec![
        ("truncated JPEG", Body::Multipart(with_first_page(truncated)), 422, "unprocessable", first.as_str()),
        ("PNG decompression bomb", Body::Multipart(with_first_page(png_bomb())), 413, "too_large", "20000×20000"),
        ("20 000 × 20 000 px JPEG", Body::Multipart(with_first_page(jpeg_claiming(20_000, 20_000))), 413, "too_large", first.as_str()),
        ("zero-byte file", Body::Multipart(with_first_page(vec![])), 422, "unprocessable", "empty"),
        ("a broken PDF", Body::Multipart(with_first_page(b"%PDF-1.7\n1 0 obj <<>> endobj".to_vec())), 422, "unprocessable", first.as_str()),
        ("a password-protected PDF", Body::Multipart(with_first_page(encrypted_pdf())), 422, "unprocessable", "password"),
        ("a PDF of 21 pages", Body::Multipart(with_first_page(blank_pdf(21, 595.0, 842.0))), 413, "too_large", "21 pages"),
        ("a PDF page of 5 000 × 5 000 pt", Body::Multipart(with_first_page(blank_pdf(1, 5000.0, 5000.0))), 413, "too_large", first.as_str()),
        ("ZIP renamed .jpg", Body::Multipart(with_first_page(zip)), 415, "unsupported_media_type", first.as_str()),
        ("form under a wrong part name", Body::Multipart(Form::new().text("form", form.clone())), 400, "missing_application", "application"),
        ("page under a name not listed", Body::Multipart(submission(&form).part("photo", Part::bytes(png()))), 400, "unexpected_part", "photo"),
        ("10 000 parts", Body::Raw { content_type: "multipart/form-data; boundary=b", bytes: many_parts }, 413, "too_large", "pages"),
        ("deeply nested JSON", Body::Multipart(Form::new().text("application", nested)), 400, "invalid_form", "nested too deep"),
        ("a 5 000-character name", Body::Multipart(submission(&huge_name.to_string())), 400, "invalid_form", "carrier.name"),
        ("a 300 kB form", Body::Multipart(submission(&too_big_form.to_string())), 413, "too_large", "application"),
        ("invalid UTF-8 in the form", Body::Multipart(Form::new().part("application", Part::bytes(invalid_utf8))), 400, "invalid_form", "UTF-8"),
        ("path traversal in documents[]", Body::Multipart(submission(&traversal.to_string())), 400, "invalid_form", "plain file name"),
        ("path traversal as a part name", Body::Raw { content_type: "multipart/form-data; boundary=b", bytes: traversal_part }, 400, "unexpected_part", "../../x"),
        ("JSON instead of multipart", Body::Raw { content_type: "application/json", bytes: form.clone().into_bytes() }, 400, "bad_multipart", "multipart"),
        ("multipart without a boundary", Body::Raw { content_type: "multipart/form-data", bytes: b"--x\r\n".to_vec() }, 400, "bad_multipart", "multipart"),
        (
            "a broken multipart body",
            Body::Raw { content_type: "multipart/form-data; boundary=b", bytes: b"--b\r\nContent-Disposition: form-data; name=\"application\"\r\n\r\n{\"a\"".to_vec() },
            400,
            "bad_multipart",
            "could not be read",
        ),
    ];
    for (what, body, status, code, word) in cases {
        let r = send(&app, body).await.unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(r.status().as_u16(), status, "{what}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{what}: not JSON");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], code, "{what}: {v}");
        let message = v["error"]["message"].as_str().unwrap();
        assert!(message.contains(word), "{what}: '{message}' does not mention '{word}'");
    }

    // Nothing of the above was stored, and the earlier submission is whole.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 1);
    let after = app.get(Some(&app.applicant), &format!("/api/v1/applications/{earlier}")).await.json::<Value>().await.unwrap();
    assert_eq!(after["report"], earlier_done["report"]);
    for name in listed_files(&form) {
        let r = app.get(Some(&app.clerk), &format!("/api/v1/applications/{earlier}/documents/{name}")).await;
        assert_eq!(r.bytes().await.unwrap().to_vec(), png(), "{name}");
    }
}

/// The callers of the matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Caller {
    Anonymous,
    ApplicantA,
    ApplicantB,
    Clerk,
    Admin,
}

const CALLERS: [Caller; 5] = [Caller::Anonymous, Caller::ApplicantA, Caller::ApplicantB, Caller::Clerk, Caller::Admin];

impl App {
    fn token(&self, c: Caller) -> Option<&str> {
        match c {
            Caller::Anonymous => None,
            Caller::ApplicantA => Some(&self.applicant),
            Caller::ApplicantB => Some(&self.other_applicant),
            Caller::Clerk => Some(&self.clerk),
            Caller::Admin => Some(&self.admin),
        }
    }
}

async fn every_route_answers_each_caller_as_it_should(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    // Applicant A's application, prechecked.
    let id = app.submit_ok().await;
    app.wait_done(&id).await;
    let page = listed_files(&form_json())[0].clone();
    let decision = json!({"check_id": "V1", "action": "accept"}).to_string();

    // Route, then the expected status for: anonymous, A (owner), B, clerk, admin.
    let app_path = format!("/api/v1/applications/{id}");
    let rows: Vec<(Method, String, Option<String>, [u16; 5])> = vec![
        (Method::GET, "/healthz".into(), None, [200, 200, 200, 200, 200]),
        (Method::GET, "/metrics".into(), None, [200, 200, 200, 200, 200]),
        (Method::GET, app_path.clone(), None, [401, 200, 404, 200, 200]),
        (Method::GET, "/api/v1/applications/01NOSUCHAPPLICATION0000000".into(), None, [401, 404, 404, 404, 404]),
        (Method::GET, format!("{app_path}/documents/{page}"), None, [401, 403, 403, 200, 200]),
        (Method::GET, format!("{app_path}/documents/no_such.jpg"), None, [401, 403, 403, 404, 404]),
        (Method::GET, format!("{app_path}/audit"), None, [401, 403, 403, 200, 200]),
        (Method::POST, format!("{app_path}/decisions"), Some(decision.clone()), [401, 403, 403, 201, 201]),
        // The audit log has no route that changes or deletes it.
        (Method::PUT, format!("{app_path}/audit"), Some("{}".into()), [405, 405, 405, 405, 405]),
        (Method::DELETE, format!("{app_path}/audit"), None, [405, 405, 405, 405, 405]),
        (Method::PATCH, format!("{app_path}/decisions"), Some(decision.clone()), [405, 405, 405, 405, 405]),
        (Method::DELETE, format!("{app_path}/decisions"), None, [405, 405, 405, 405, 405]),
        (Method::DELETE, app_path.clone(), None, [405, 405, 405, 405, 405]),
        // The desk is for browsers with a session: without one, to the
        // login; a bearer token is refused outright, whoever holds it.
        (Method::GET, "/desk".into(), None, [303, 403, 403, 403, 403]),
        (Method::GET, format!("/desk/applications/{id}"), None, [303, 403, 403, 403, 403]),
        (Method::GET, format!("/desk/applications/{id}/pages/{page}"), None, [303, 403, 403, 403, 403]),
        (Method::GET, format!("/desk/applications/{id}/print"), None, [303, 403, 403, 403, 403]),
        (Method::GET, "/desk/audit".into(), None, [303, 403, 403, 403, 403]),
        (Method::POST, format!("/desk/applications/{id}/decisions"), Some("check_id=V1&action=accept".into()), [303, 403, 403, 403, 403]),
        (Method::GET, "/desk/login".into(), None, [200, 200, 200, 200, 200]),
    ];
    let mut wrong = vec![];
    for (method, path, body, expected) in &rows {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let mut r = app.http.request(method.clone(), format!("{}{path}", app.base));
            if let Some(t) = app.token(*caller) {
                r = r.bearer_auth(t);
            }
            if let Some(b) = body {
                let kind = if b.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
                r = r.header("content-type", kind).body(b.clone());
            }
            let got = r.send().await.unwrap().status().as_u16();
            if got != *want {
                wrong.push(format!("{method} {path} as {caller:?}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Submitting: anyone with a token; each application belongs to its submitter.
    for (caller, want) in CALLERS.iter().zip([401u16, 202, 202, 202, 202]) {
        let mut r = app.http.post(format!("{}/api/v1/applications", app.base)).multipart(submission(&form_json()));
        if let Some(t) = app.token(*caller) {
            r = r.bearer_auth(t);
        }
        assert_eq!(r.send().await.unwrap().status().as_u16(), want, "POST /api/v1/applications as {caller:?}");
    }
    // The decisions above are in the audit log, and the log is unchanged by
    // every attempt to alter it: exactly the two accepted decisions.
    let log: Value = app.get(Some(&app.clerk), &format!("{app_path}/audit")).await.json().await.unwrap();
    let actors: Vec<&str> = log["entries"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert_eq!(actors, ["clerk 王", "admin 李"]);
}
