//! An uploaded PDF from a hostile client: `decode_file` must give pages
//! within the limits, each with its characters inside the page, or an
//! `IngestError` naming the file; never a panic that escapes it, a hang or
//! an allocation past the limits. Seeds: `seeds/pdf_decode/` (a scan, a
//! text page, two pages, an encrypted file); a dictionary of PDF tokens
//! helps: `-dict=fuzz/pdf.dict`.
#![no_main]

use dajian::ingest::{DecodeLimits, decode_file};
use libfuzzer_sys::fuzz_target;

const MAX_PIXELS: u64 = 4_000_000;

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits { max_bytes: 2 << 20, max_pixels: MAX_PIXELS, max_pages: 4 };
    let pages = match decode_file(data, "scan.pdf", &limits) {
        Ok(pages) => pages,
        Err(e) => {
            assert_eq!(e.file(), "scan.pdf");
            return;
        }
    };
    assert!(!pages.is_empty() && pages.len() <= 4);
    for (i, page) in pages.iter().enumerate() {
        let (w, h) = (page.width(), page.height());
        assert!(w > 0 && h > 0 && u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}x{h}");
        assert_eq!(page.number() as usize, i + 1);
        for c in page.printed_chars().unwrap_or_default() {
            assert!(c.x0 <= c.x1 && c.y0 <= c.y1, "{c:?}");
        }
    }
});
