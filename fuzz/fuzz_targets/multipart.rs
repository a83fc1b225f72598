//! `POST /api/v1/applications` from a hostile client: the fuzz input is the
//! multipart body (boundary `dajianfuzz`). `submission::read` must accept it
//! or refuse it with a client error (4xx), never panic and never answer
//! with an internal error.
//!
//! Pages go through `decode_page`, whose `catch_unwind` turns a decoder
//! panic into a refused page; as in `image_decode`, such a panic is
//! reported once per source location (input saved under
//! `artifacts/multipart/caught-panic-*`) instead of aborting, unless
//! `DAJIAN_FUZZ_STRICT=1`. A panic that escapes still aborts: on this
//! thread through libfuzzer-sys, in the decode thread as the internal
//! error asserted against below.
#![no_main]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
use dajian::http::submission;
use dajian::http::{ApiError, Limits};
use libfuzzer_sys::fuzz_target;

pub const BOUNDARY: &str = "dajianfuzz";

static HOOK: Once = Once::new();
static NEW_SITES: AtomicUsize = AtomicUsize::new(0);
static SITES: Mutex<Option<HashSet<String>>> = Mutex::new(None);
static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

fn install_hook() {
    if std::env::var_os("DAJIAN_FUZZ_STRICT").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let site = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let mut sites = SITES.lock().unwrap_or_else(|e| e.into_inner());
        if sites.get_or_insert_with(HashSet::new).insert(site) {
            NEW_SITES.fetch_add(1, Ordering::SeqCst);
            eprintln!("multipart: panic (must become a refused page, never escape): {info}");
        }
    }));
}

fn limits() -> Limits {
    Limits {
        max_pages: 4,
        max_page_bytes: 256 * 1024,
        max_form_bytes: 64 * 1024,
        max_page_pixels: 1_000_000,
        ..Default::default()
    }
}

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(install_hook);
    let rt = RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"));
    let new_before = NEW_SITES.load(Ordering::SeqCst);
    let limits = limits();
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/applications")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(data.to_vec()))
        .expect("request");
    let result = rt.block_on(async {
        let mp = Multipart::from_request(req, &()).await.expect("the content type is multipart");
        submission::read(mp, &limits).await
    });
    if NEW_SITES.load(Ordering::SeqCst) > new_before {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts/multipart");
        let _ = std::fs::create_dir_all(dir);
        let n = NEW_SITES.load(Ordering::SeqCst);
        let _ = std::fs::write(format!("{dir}/caught-panic-{n}"), data);
    }
    match result {
        Ok(sub) => {
            assert!(sub.pages.len() <= limits.max_pages, "{} pages", sub.pages.len());
            for p in &sub.pages {
                assert!(sub.application.documents.iter().any(|d| d.file == p.file), "{} not listed", p.file);
                assert!(p.bytes.len() <= limits.max_page_bytes);
                assert!(p.content_type.starts_with("image/"), "{}", p.content_type);
            }
            for d in &sub.application.documents {
                assert!(sub.pages.iter().any(|p| p.file == d.file), "{} has no part", d.file);
            }
        }
        Err(e) => {
            assert!(!matches!(e, ApiError::Internal(_)), "internal error: {e:?}");
            assert!(e.status_code().is_client_error(), "{} for {e:?}", e.status_code());
            assert!(!e.to_string().is_empty());
        }
    }
});
