//! The HTTP API against the real app on port 0 with a fresh database, on
//! SQLite and on PostgreSQL (see `common`).

mod common;

use std::time::Duration;

use common::{Store, form_json, listed_files, png, spawn, submission};
use dajian::http::{Limits, ServeOptions};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

on_both_backends!(
    a_submission_is_accepted_prechecked_in_the_background_and_reported,
    an_anonymous_request_gets_nothing,
    an_applicant_cannot_read_anothers_application_pages_or_audit_log,
    a_clerks_decisions_are_recorded_in_an_audit_log_that_cannot_be_changed,
    bad_submissions_get_clear_json_errors,
    a_page_with_too_many_pixels_is_refused_before_decoding,
    a_full_queue_sheds_load_with_503_and_retry_after,
    a_job_left_running_by_a_crash_is_run_again_at_the_next_start,
    a_worker_whose_claim_was_taken_over_cannot_finish_the_job_again,
    health_and_metrics_report_the_queue,
    a_page_verified_before_may_be_left_out_and_the_archived_reading_is_used,
    a_pdf_of_two_pages_is_stored_as_sent_and_each_page_shown_rendered,
);

async fn a_submission_is_accepted_prechecked_in_the_background_and_reported(store: Store) {
    let app = spawn(store, Limits::default(), 2).await;
    let resp = app.submit(&app.applicant, submission(&form_json())).await;
    assert_eq!(resp.status(), 202);
    let body: Value = resp.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(body["status_url"], format!("/api/v1/applications/{id}"));
    let done = app.wait_done(&id).await;
    assert_eq!(done["status"], "done", "{done:#}");
    let report = &done["report"];
    assert_eq!(report["checks"].as_array().unwrap().len(), dajian::checks::CATALOGUE.len());
    // Pages cannot be read in this build: the checks that need them warn.
    assert_eq!(report["verdict"], "review");
    assert_eq!(report["permit_class"], 2);
}

async fn an_anonymous_request_gets_nothing(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    for path in [format!("/api/v1/applications/{id}"), format!("/api/v1/applications/{id}/documents/agent_id.jpg"), format!("/api/v1/applications/{id}/audit")] {
        let r = app.get(None, &path).await;
        assert_eq!(r.status(), 401, "{path}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unauthorized");
    }
    let r = app.http.post(format!("{}/api/v1/applications", app.base)).multipart(submission(&form_json())).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = app.get(Some("dj_not_a_token"), &format!("/api/v1/applications/{id}")).await;
    assert_eq!(r.status(), 401);
}

async fn an_applicant_cannot_read_anothers_application_pages_or_audit_log(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    app.wait_done(&id).await;
    let other = Some(app.other_applicant.as_str());
    assert_eq!(app.get(other, &format!("/api/v1/applications/{id}")).await.status(), 404);
    assert_eq!(app.get(other, &format!("/api/v1/applications/{id}/documents/agent_id.jpg")).await.status(), 403);
    assert_eq!(app.get(other, &format!("/api/v1/applications/{id}/audit")).await.status(), 403);
    let r = app.http.post(format!("{}/api/v1/applications/{id}/decisions", app.base)).bearer_auth(&app.other_applicant)
        .json(&json!({"check_id": "V1", "action": "accept"})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // The owner sees the status but pages are for clerks.
    assert_eq!(app.get(Some(&app.applicant), &format!("/api/v1/applications/{id}")).await.status(), 200);
    assert_eq!(app.get(Some(&app.applicant), &format!("/api/v1/applications/{id}/documents/agent_id.jpg")).await.status(), 403);
    // A clerk sees the page as stored.
    let r = app.get(Some(&app.clerk), &format!("/api/v1/applications/{id}/documents/agent_id.jpg")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());
}

async fn a_clerks_decisions_are_recorded_in_an_audit_log_that_cannot_be_changed(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    app.wait_done(&id).await;
    let decide = |body: Value| {
        app.http.post(format!("{}/api/v1/applications/{id}/decisions", app.base)).bearer_auth(&app.clerk).json(&body).send()
    };
    let r = decide(json!({"check_id": "V1", "action": "override"})).await.unwrap();
    assert_eq!(r.status(), 400, "an override without a reason is refused");
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "reason_required");
    let r = decide(json!({"check_id": "V1", "action": "override", "reason": "行驶证原件已现场核验"})).await.unwrap();
    assert_eq!(r.status(), 201);
    let e: Value = r.json().await.unwrap();
    assert_eq!((e["before"].as_str(), e["after"].as_str()), (Some("warn"), Some("overridden")));
    let r = decide(json!({"action": "approve"})).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(decide(json!({"check_id": "Z9", "action": "accept"})).await.unwrap().status(), 400);

    let log: Value = app.get(Some(&app.clerk), &format!("/api/v1/applications/{id}/audit")).await.json().await.unwrap();
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["actor"], "clerk 王");
    assert_eq!(entries[0]["reason"], "行驶证原件已现场核验");
    // Not even the database lets the log change.
    let upd = sqlx::query("UPDATE audit_log SET reason = 'x'").execute(&app.db.pool).await;
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = sqlx::query("DELETE FROM audit_log").execute(&app.db.pool).await;
    assert!(del.unwrap_err().to_string().contains("append-only"));
}

async fn bad_submissions_get_clear_json_errors(store: Store) {
    let app = spawn(store, Limits { max_pages: 12, ..Limits::default() }, 1).await;
    let form = form_json();
    // unknown key in the form
    let r = app.submit(&app.applicant, submission(&form.replace("\"trips\"", "\"tripz\""))).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_form");
    assert!(v["error"]["message"].as_str().unwrap().contains("tripz"));
    // a page that is not an image or PDF
    let f = submission(&form).part("agent_id.jpg", Part::bytes(b"GIF89a, a format pages do not come in".to_vec()));
    let r = app.submit(&app.applicant, f).await;
    assert!(r.status() == 415 || r.status() == 400, "{}", r.status());
    let mut f = Form::new().text("application", form.clone());
    for name in ["agent_id.jpg", "authorization.jpg", "driver_licence.jpg", "driver_qualification.jpg", "business_licence.jpg", "operating_permit.jpg", "tractor_licence.jpg", "trailer_licence.jpg"] {
        f = f.part(name, Part::bytes(png()));
    }
    // a PDF that is only its header
    f = f.part("scan_0007.jpg", Part::bytes(b"%PDF-1.4".to_vec()));
    let r = app.submit(&app.applicant, f).await;
    assert_eq!(r.status(), 422);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("scan_0007.jpg"));
    // a listed page missing, an unlisted part
    let f = Form::new().text("application", form.clone()).part("agent_id.jpg", Part::bytes(png()));
    let r = app.submit(&app.applicant, f).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "missing_document");
    let r = app.submit(&app.applicant, submission(&form).part("../../x", Part::bytes(png()))).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "unexpected_part");
    // too many parts
    let mut f = submission(&form);
    for i in 0..10 {
        f = f.part(format!("extra{i}.png"), Part::bytes(png()));
    }
    assert_eq!(app.submit(&app.applicant, f).await.status(), 413);
    // an empty page
    let f = Form::new().text("application", form.clone()).part("agent_id.jpg", Part::bytes(vec![]));
    assert_eq!(app.submit(&app.applicant, f).await.status(), 422);
    // nothing of the above was stored
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 0);
}

async fn a_page_with_too_many_pixels_is_refused_before_decoding(store: Store) {
    let app = spawn(store, Limits { max_page_pixels: 1000, ..Limits::default() }, 1).await;
    let r = app.submit(&app.applicant, submission(&form_json())).await;
    assert_eq!(r.status(), 413);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("40×30"));
}

async fn a_full_queue_sheds_load_with_503_and_retry_after(store: Store) {
    // No workers: nothing leaves the queue.
    let app = spawn(store, Limits { max_queued: 2, ..Limits::default() }, 0).await;
    for _ in 0..2 {
        assert_eq!(app.submit(&app.applicant, submission(&form_json())).await.status(), 202);
    }
    let r = app.submit(&app.applicant, submission(&form_json())).await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "30");
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "queue_full");
}

async fn a_job_left_running_by_a_crash_is_run_again_at_the_next_start(store: Store) {
    let app = spawn(store, Limits::default(), 0).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    // Claim it as a worker that then dies.
    let claimed = dajian::jobs::claim(&app.db, "dead-worker").await.unwrap();
    assert_eq!(claimed.as_deref(), Some(id.as_str()));
    // A new process on the same database.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = common::state(&app.db, Limits::default());
    // The dead worker's claim is fresh: a zero lease treats it as abandoned
    // (the default on SQLite; on PostgreSQL it waits out the lease).
    let options = ServeOptions { workers: 1, lease: Some(Duration::ZERO) };
    tokio::spawn(dajian::http::serve(state, listener, options, std::future::pending()));
    for _ in 0..200 {
        let v: Value = app.http.get(format!("{base}/api/v1/applications/{id}")).bearer_auth(&app.applicant).send().await.unwrap().json().await.unwrap();
        if v["status"] == "done" {
            let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM applications WHERE id = $1").bind(id.clone()).fetch_one(&app.db.pool).await.unwrap();
            assert_eq!(attempts, 2);
            let events = common::job_events(&app.db, &id).await;
            let count = |e: &str| events.iter().find(|(n, _)| n == e).map_or(0, |(_, c)| *c);
            assert_eq!((count("claimed"), count("requeued"), count("done")), (2, 1, 1), "{events:?}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the interrupted job was not run again");
}

async fn a_worker_whose_claim_was_taken_over_cannot_finish_the_job_again(store: Store) {
    // No workers of its own: the test plays two processes by hand.
    let app = spawn(store, Limits::default(), 0).await;
    let id = app.submit_ok().await;
    assert_eq!(dajian::jobs::claim(&app.db, "slow-worker").await.unwrap().as_deref(), Some(id.as_str()));
    // Its lease runs out; another process queues the job again and runs it.
    assert_eq!(dajian::jobs::recover(&app.db, Duration::ZERO).await.unwrap(), 1);
    assert_eq!(dajian::jobs::claim(&app.db, "second-worker").await.unwrap().as_deref(), Some(id.as_str()));
    let precheck = common::state(&app.db, Limits::default()).precheck;
    assert!(dajian::jobs::run(&app.db, &precheck, &id, "second-worker").await.unwrap());
    // The first worker finally finishes: its result is dropped.
    assert!(!dajian::jobs::run(&app.db, &precheck, &id, "slow-worker").await.unwrap());
    let events = common::job_events(&app.db, &id).await;
    assert_eq!(events, vec![("claimed".into(), 2), ("done".into(), 1), ("lost".into(), 1), ("requeued".into(), 1)]);
    let claimed_by: String = sqlx::query_scalar("SELECT claimed_by FROM applications WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(claimed_by, "second-worker");
}

async fn health_and_metrics_report_the_queue(store: Store) {
    let app = spawn(store, Limits::default(), 0).await;
    assert_eq!(app.get(None, "/healthz").await.status(), 200);
    app.submit(&app.applicant, submission(&form_json())).await;
    let text = app.get(None, "/metrics").await.text().await.unwrap();
    assert!(text.contains("dajian_applications{status=\"queued\"} 1"), "{text}");
}

async fn a_page_verified_before_may_be_left_out_and_the_archived_reading_is_used(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    // An earlier application, its pages read (the fixture's readings stand
    // in for the OCR, which this test process does not load), approved by
    // a clerk: that archives its pages.
    let earlier = app.submit_ok().await;
    let mut report = app.wait_done(&earlier).await["report"].clone();
    report["documents"] = serde_json::from_str(&std::fs::read_to_string(format!("{}/documents.json", common::FIXTURE)).unwrap()).unwrap();
    sqlx::query("UPDATE applications SET report = $1 WHERE id = $2").bind(report.to_string()).bind(earlier.clone()).execute(&app.db.pool).await.unwrap();
    let r = app.http.post(format!("{}/api/v1/applications/{earlier}/decisions", app.base)).bearer_auth(&app.clerk)
        .json(&json!({"action": "approve"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    // Licences, permits and ID cards are archived; the letter and the loose scan are not.
    let archived: Vec<String> = sqlx::query_scalar("SELECT entity FROM archive ORDER BY entity, kind").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(archived.len(), 7, "{archived:?}");
    let count = |prefix: &str| archived.iter().filter(|e| e.starts_with(prefix)).count();
    assert_eq!((count("company:"), count("person:"), count("vehicle:")), (2, 3, 2), "{archived:?}");

    // A later application leaves out the business licence and the trailer's licence.
    let mut later: Value = serde_json::from_str(&form_json()).unwrap();
    later["documents"].as_array_mut().unwrap().retain(|d| d["file"] != "business_licence.jpg" && d["file"] != "trailer_licence.jpg");
    let r = app.submit(&app.applicant, submission(&later.to_string())).await;
    assert_eq!(r.status(), 202);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let report = app.wait_done(&id).await["report"].clone();
    let archived: Vec<&Value> = report["documents"].as_array().unwrap().iter().filter(|d| d.get("archived").is_some()).collect();
    let mut what: Vec<(String, String)> = archived.iter().map(|d| (d["kind"].as_str().unwrap().into(), d["subject"].as_str().unwrap().into())).collect();
    what.sort();
    assert_eq!(what, [("business_licence".to_string(), "carrier".to_string()), ("vehicle_licence".into(), "trailer".into())]);
    for d in &archived {
        assert_eq!(d["archived"]["application_id"], earlier.as_str());
        assert!(d["archived"]["archived_at"].as_str().unwrap().starts_with("20"));
        assert!(d["file"].as_str().unwrap().starts_with(&format!("archive/{earlier}/")));
    }
    // The checks read the archived licence: its values are evidence.
    let cites_archive = report["checks"].as_array().unwrap().iter().any(|c| {
        c["evidence"].as_array().unwrap().iter().any(|e| e["file"].as_str().is_some_and(|f| f == format!("archive/{earlier}/business_licence.jpg")))
    });
    assert!(cites_archive, "no check cites the archived business licence");

    // Once the archived pages have expired they are not used.
    sqlx::query("UPDATE archive SET valid_until = '2000-01-01'").execute(&app.db.pool).await.unwrap();
    let r = app.submit(&app.applicant, submission(&later.to_string())).await;
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let report = app.wait_done(&id).await["report"].clone();
    assert!(report["documents"].as_array().unwrap().iter().all(|d| d.get("archived").is_none()));
}

/// A PDF whose first page is text and whose second is a 300 × 200 px scan.
fn two_page_pdf() -> Vec<u8> {
    use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
    let mut jpeg = std::io::Cursor::new(vec![]);
    image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(300, 200, image::Luma([90]))).write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    let jpeg = jpeg.into_inner();
    let mut pdf = Pdf::new();
    let [tree, p1, c1, font, p2, c2, im] = [2, 3, 4, 5, 6, 7, 8].map(Ref::new);
    pdf.catalog(Ref::new(1)).pages(tree);
    pdf.pages(tree).kids([p1, p2]).count(2);
    let mut page = pdf.page(p1);
    page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0)).parent(tree).contents(c1);
    page.resources().fonts().pair(Name(b"F1"), font);
    page.finish();
    let mut text = Content::new();
    text.begin_text().set_font(Name(b"F1"), 12.0).next_line(72.0, 700.0).show(Str(b"Business licence, front")).end_text();
    pdf.stream(c1, &text.finish());
    pdf.type1_font(font).base_font(Name(b"Helvetica"));
    let mut page = pdf.page(p2);
    page.media_box(Rect::new(0.0, 0.0, 144.0, 96.0)).parent(tree).contents(c2);
    page.resources().x_objects().pair(Name(b"Im1"), im);
    page.finish();
    let mut scan = Content::new();
    scan.transform([144.0, 0.0, 0.0, 96.0, 0.0, 0.0]).x_object(Name(b"Im1"));
    pdf.stream(c2, &scan.finish());
    let mut x = pdf.image_xobject(im, &jpeg);
    x.filter(Filter::DctDecode);
    x.width(300).height(200).bits_per_component(8);
    x.color_space().device_gray();
    x.finish();
    pdf.finish()
}

async fn a_pdf_of_two_pages_is_stored_as_sent_and_each_page_shown_rendered(store: Store) {
    let app = spawn(store, Limits::default(), 1).await;
    let form = form_json();
    let files = listed_files(&form);
    let pdf = two_page_pdf();
    let mut parts = Form::new().text("application", form.clone());
    for (i, name) in files.iter().enumerate() {
        let bytes = if i == 0 { pdf.clone() } else { png() };
        parts = parts.part(name.clone(), Part::bytes(bytes).file_name(name.clone()));
    }
    let r = app.submit(&app.applicant, parts).await;
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let done = app.wait_done(&id).await;
    assert_eq!(done["status"], "done", "{done:#}");
    let path = format!("/api/v1/applications/{id}/documents/{}", files[0]);
    // As sent, with its type.
    let r = app.get(Some(&app.clerk), &path).await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    // Page 2 is the scan, as PNG at its own pixels; page 1 the text page at 150 dpi.
    for (page, size) in [(2, (300, 200)), (1, (1240, 1754))] {
        let r = app.get(Some(&app.clerk), &format!("{path}?page={page}")).await;
        assert_eq!(r.status(), 200, "page {page}");
        assert_eq!(r.headers()["content-type"], "image/png");
        let img = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), size, "page {page}");
    }
    assert_eq!(app.get(Some(&app.clerk), &format!("{path}?page=3")).await.status(), 404);
}
