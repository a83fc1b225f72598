//! What the fuzz targets of `fuzz/` check, kept under `cargo test`: every
//! seed in `fuzz/seeds/<target>/` goes through the same public API with the
//! same invariants as the target. A crash input a run finds goes, minimised,
//! to `tests/data/fuzz/<target>/` with a test of its own here (see
//! `fuzz/README.md`); the runs so far found none.

use std::path::Path;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
use dajian::form::{Application, FormError};
use dajian::http::submission::{self, Submission};
use dajian::http::{ApiError, Limits};
use dajian::ingest::{DecodeLimits, IngestError, Page, decode_page};
use dajian::registry::LineError;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The files of a seed or crash folder, by name, with their bytes.
fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(ROOT).join(dir);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "{}: no files", dir.display());
    out
}

// ------------------------------------------------------------ form_json

/// As the `form_json` target: the form as (lossy) UTF-8 through `parse`.
fn parse_form(bytes: &[u8]) -> Result<Application, FormError> {
    Application::parse(&String::from_utf8_lossy(bytes))
}

#[test]
fn every_form_seed_parses_or_fails_cleanly() {
    for (name, bytes) in files("fuzz/seeds/form_json") {
        let result = parse_form(&bytes);
        let valid = matches!(name.as_str(), "clean.json" | "spec_example.json" | "no_trailer.json");
        match result {
            Ok(app) => assert!(valid, "{name}: parsed but should not: {app:?}"),
            Err(e) => {
                assert!(!valid, "{name}: {e}");
                assert!(e.to_string().starts_with("application.json: "), "{name}: {e}");
            }
        }
    }
}

// ------------------------------------------------------- registry_jsonl

#[path = "../fuzz/invariants/registry_jsonl.rs"]
mod registry_jsonl;

/// As the `registry_jsonl` target: the first byte picks the file, the rest
/// is its content; line errors must point into the input.
fn check_registry(input: &[u8]) -> Result<usize, Vec<LineError>> {
    let (&pick, bytes) = input.split_first().expect("a registry input has a first byte");
    registry_jsonl::check(pick, bytes)
}

#[test]
fn every_registry_seed_is_counted_or_refused_with_its_line_numbers() {
    for (name, input) in files("fuzz/seeds/registry_jsonl") {
        let result = check_registry(&input);
        if name.starts_with("broken") {
            let lines: Vec<usize> = result.unwrap_err().iter().map(|e| e.line).collect();
            assert_eq!(lines, [1, 3, 4], "{name}");
        } else {
            let records = input[1..].split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
            assert_eq!(result.unwrap_or_else(|e| panic!("{name}: {e:?}")), records, "{name}");
        }
    }
}

// --------------------------------------------------------- image_decode

const MAX_PIXELS: u64 = 4_000_000;

/// As the `image_decode` target: decode under small limits; a page must be
/// within them and its whole box must map onto the whole stored image.
fn decode(bytes: &[u8]) -> Result<Page, IngestError> {
    let page = decode_page(bytes, "page.jpg", &DecodeLimits { max_bytes: 2 << 20, max_pixels: MAX_PIXELS, max_pages: 8 })?;
    let luma = page.image().to_luma8();
    let (w, h) = (page.width(), page.height());
    assert_eq!((luma.width(), luma.height()), (w, h));
    assert!(w > 0 && h > 0 && u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}x{h}");
    let (sw, sh) = page.stored_size();
    let b = page.to_stored_bbox(0.0, 0.0, w as f32, h as f32);
    assert!(u64::from(b.x) + u64::from(b.w) <= u64::from(sw) && u64::from(b.y) + u64::from(b.h) <= u64::from(sh), "{b:?}");
    assert_eq!((b.x, b.y, b.w, b.h), (0, 0, sw, sh), "{:?}", page.exif_orientation());
    Ok(page)
}

#[test]
fn every_image_seed_decodes_within_the_limits() {
    for (name, bytes) in files("fuzz/seeds/image_decode") {
        let page = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name == "rot90.jpg" {
            // Stored 16x8 with EXIF orientation 6: upright it is 8x16.
            assert_eq!((page.width(), page.height(), page.stored_size()), (8, 16, (16, 8)), "{name}");
        }
    }
}

// ------------------------------------------------------------ pdf_decode

#[test]
fn every_pdf_seed_decodes_within_the_limits_or_is_refused_naming_the_file() {
    let limits = DecodeLimits { max_bytes: 2 << 20, max_pixels: MAX_PIXELS, max_pages: 4 };
    for (name, bytes) in files("fuzz/seeds/pdf_decode") {
        match dajian::ingest::decode_file(&bytes, "scan.pdf", &limits) {
            Ok(pages) => {
                for (i, page) in pages.iter().enumerate() {
                    let (w, h) = (page.width(), page.height());
                    assert!(w > 0 && h > 0 && u64::from(w) * u64::from(h) <= MAX_PIXELS, "{name}: {w}x{h}");
                    assert_eq!(page.number() as usize, i + 1, "{name}");
                }
                assert_ne!(name, "encrypted.pdf");
            }
            Err(e) => {
                assert_eq!(e.file(), "scan.pdf", "{name}");
                assert!(matches!(e, IngestError::Encrypted { .. }), "{name}: {e}");
            }
        }
    }
}

// ------------------------------------------------------------ multipart

const BOUNDARY: &str = "dajianfuzz";

fn fuzz_limits() -> Limits {
    Limits { max_pages: 4, max_page_bytes: 256 * 1024, max_form_bytes: 64 * 1024, max_page_pixels: 1_000_000, ..Default::default() }
}

/// As the `multipart` target: the bytes as the body of a submission with
/// boundary `dajianfuzz`; a refusal must be a client error.
async fn submit(body: &[u8]) -> Result<Submission, ApiError> {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/applications")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(body.to_vec()))
        .unwrap();
    let mp = Multipart::from_request(req, &()).await.expect("the content type is multipart");
    let result = submission::read(mp, &fuzz_limits()).await;
    if let Err(e) = &result {
        assert!(!matches!(e, ApiError::Internal(_)), "internal error: {e:?}");
        assert!(e.status_code().is_client_error(), "{} for {e:?}", e.status_code());
    }
    result
}

#[tokio::test]
async fn every_multipart_seed_is_accepted_or_refused_with_a_client_error() {
    for (name, body) in files("fuzz/seeds/multipart") {
        let result = submit(&body).await;
        let want = match name.as_str() {
            "valid_three_pages" => None,
            "all_nine_documents" => Some(413), // 10 parts, the limit is 4 pages
            "missing_page" | "unlisted_page" | "no_closing_boundary" => Some(400),
            // Its page is "%PDF-…" junk: a broken PDF since PDFs are pages.
            "not_an_image" => Some(422),
            other => panic!("{other}: a new seed needs its expected outcome here"),
        };
        match (result, want) {
            (Ok(sub), None) => assert_eq!(sub.pages.len(), 3, "{name}"),
            (Err(e), Some(status)) => assert_eq!(e.status_code().as_u16(), status, "{name}: {e}"),
            (Ok(_), Some(status)) => panic!("{name}: accepted, expected {status}"),
            (Err(e), None) => panic!("{name}: refused: {e}"),
        }
    }
}
