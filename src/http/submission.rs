//! Reading one submission (`POST /api/v1/applications`): the multipart body
//! of `spec/report.md` — an `application` part with the form, one part per
//! page named as in `documents[]` — checked against [`Limits`] part by part
//! while it streams in. Nothing is stored here: a body that fails any check
//! leaves the database as it was.
//!
//! Every page is decoded in full (off the async threads) before the
//! submission is accepted, so a truncated or corrupt file is refused now,
//! with the file's name, instead of failing a precheck later.

use std::sync::LazyLock;

use axum::extract::Multipart;
use tokio::sync::Semaphore;

use super::{ApiError, ApiResult, Limits};
use crate::form::Application;
use crate::ingest::{self, DecodeLimits, IngestError};
use crate::ingest::PageFile;

/// A submission that passed every check.
#[derive(Debug)]
pub struct Submission {
    pub application: Application,
    pub pages: Vec<PageFile>,
}

/// Pages decoded at once across all requests: a decode holds a full pixel
/// buffer (36 MB for a 12 MP photo), so this bounds memory under load.
static DECODES: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(crate::par::cores().max(1)));

/// Reads and checks the whole body. When it is refused part-way, the rest
/// is read and dropped (up to [`LINGER_BYTES`], as nginx's lingering
/// close does): a client still sending would otherwise see the connection
/// reset instead of the error.
pub async fn read(mut mp: Multipart, limits: &Limits) -> ApiResult<Submission> {
    let result = read_parts(&mut mp, limits).await;
    if result.is_err() {
        linger(&mut mp).await;
    }
    result
}

/// How much of a refused body is still read so the client gets the answer.
pub const LINGER_BYTES: usize = 4 * 1024 * 1024;

/// Reads (and drops) what is left of a refused body, within bounds, so the
/// client is not cut off before it can read the answer.
pub async fn linger(mp: &mut Multipart) {
    let drain = async {
        let mut read = 0usize;
        while let Ok(Some(mut field)) = mp.next_field().await {
            while let Ok(Some(chunk)) = field.chunk().await {
                read += chunk.len();
                if read > LINGER_BYTES {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), drain).await;
}

async fn read_parts(mp: &mut Multipart, limits: &Limits) -> ApiResult<Submission> {
    let mut form: Option<Application> = None;
    let mut pages: Vec<PageFile> = vec![];
    let mut parts = 0usize;
    while let Some(field) = mp.next_field().await.map_err(|e| ApiError::bad("bad_multipart", format!("the multipart body is malformed: {e}")))? {
        parts += 1;
        if parts > limits.max_pages + 1 {
            return Err(ApiError::TooLarge(format!("at most {} pages per application", limits.max_pages)));
        }
        let name = field.name().unwrap_or_default().to_string();
        if name.is_empty() {
            return Err(ApiError::bad("unexpected_part", "a part has no name; pages are named as in documents[]"));
        }
        let bytes = field.bytes().await.map_err(|e| {
            if e.to_string().contains("length limit") {
                ApiError::TooLarge("the request is larger than the service accepts".into())
            } else {
                ApiError::bad("bad_multipart", format!("part '{}' could not be read: {e}", shorten(&name)))
            }
        })?;
        if name == "application" {
            if form.is_some() {
                return Err(ApiError::bad("duplicate_part", "the application part is sent twice"));
            }
            if bytes.len() > limits.max_form_bytes {
                return Err(ApiError::TooLarge(format!("the application part is over {} bytes", limits.max_form_bytes)));
            }
            let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::bad("invalid_form", "the application part is not UTF-8"))?;
            form = Some(Application::parse(text).map_err(|e| ApiError::bad("invalid_form", e.to_string()))?);
            continue;
        }
        if pages.iter().any(|u| u.file == name) {
            return Err(ApiError::bad("duplicate_part", format!("page '{}' is sent twice", shorten(&name))));
        }
        if form.is_none() && ingest::page_format(&bytes).is_none() && bytes.trim_ascii_start().starts_with(b"{") {
            return Err(ApiError::bad(
                "missing_application",
                format!("part '{}' looks like the form: the form goes in a part named 'application'", shorten(&name)),
            ));
        }
        let mime = check_page(&name, bytes.clone(), limits).await?;
        pages.push(PageFile { file: name, content_type: mime.to_string(), bytes: bytes.to_vec() });
    }
    let application = form.ok_or_else(|| ApiError::bad("missing_application", "no part named 'application' holds the form"))?;
    for u in &pages {
        if !application.documents.iter().any(|d| d.file == u.file) {
            return Err(ApiError::bad("unexpected_part", format!("part '{}' is not listed in documents[]", shorten(&u.file))));
        }
    }
    if let Some(d) = application.documents.iter().find(|d| !pages.iter().any(|u| u.file == d.file)) {
        return Err(ApiError::bad("missing_document", format!("documents[] lists '{}' but no part carries it", d.file)));
    }
    Ok(Submission { application, pages })
}

/// Decodes every page of one file under the limits (`ingest::decode_file`
/// checks size, format, pages and pixels before it decodes); returns its
/// MIME type.
async fn check_page(name: &str, bytes: axum::body::Bytes, limits: &Limits) -> ApiResult<&'static str> {
    let shown = shorten(name);
    let mime = ingest::page_format(&bytes).map(|(_, mime)| mime);
    let decode_limits = DecodeLimits { max_bytes: limits.max_page_bytes, max_pixels: limits.max_page_pixels, max_pages: limits.max_pages_per_file };
    let _slot = DECODES.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
    let page = shown.clone();
    let decoded = tokio::task::spawn_blocking(move || ingest::decode_file(&bytes, &page, &decode_limits).map(|_| ()))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    match decoded {
        Ok(()) => Ok(mime.expect("decode_file accepts only the page formats")),
        Err(IngestError::TooManyPixels { width, height, limit, .. }) => {
            Err(ApiError::TooLarge(format!("page '{shown}' is {width}×{height} pixels, over {} MP", limit / 1_000_000)))
        }
        Err(e @ (IngestError::TooManyBytes { .. } | IngestError::TooManyPages { .. })) => Err(ApiError::TooLarge(e.to_string())),
        Err(e @ IngestError::NotAnImage { .. }) => Err(ApiError::UnsupportedMedia(e.to_string())),
        Err(e @ (IngestError::Empty { .. } | IngestError::Corrupt { .. } | IngestError::Encrypted { .. } | IngestError::NoSuchPage { .. })) => {
            Err(ApiError::Unprocessable(e.to_string()))
        }
    }
}

/// A part name as shown in an error: a hostile client may send a name of
/// any length, and the message echoes it.
fn shorten(name: &str) -> String {
    const MAX: usize = 80;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_part_name_is_cut_in_messages() {
        let long = "x".repeat(10_000);
        let s = shorten(&long);
        assert_eq!(s.chars().count(), 81);
        assert!(s.ends_with('…'));
        assert_eq!(shorten("agent_id.jpg"), "agent_id.jpg");
    }
}
