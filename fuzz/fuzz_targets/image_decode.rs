//! An uploaded page from a hostile client: `decode_page` must give a page
//! within the limits or an `IngestError`, and a decoded page's box mapping
//! must stay inside the stored image.
//!
//! `decode_page` wraps the third-party decoders in `catch_unwind` on
//! purpose, so a decoder panic it turns into `IngestError::Corrupt` is not a
//! crash of dajian. libfuzzer-sys's panic hook would abort on it anyway;
//! this target replaces the hook so that such a panic is reported once per
//! source location (and its input saved under
//! `artifacts/image_decode/caught-panic-*`) while a panic that escapes
//! `decode_page` still aborts (libfuzzer-sys aborts when the closure
//! unwinds). `DAJIAN_FUZZ_STRICT=1` keeps the aborting hook.
#![no_main]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use dajian::ingest::{DecodeLimits, decode_page};
use libfuzzer_sys::fuzz_target;

const MAX_PIXELS: u64 = 4_000_000;

static HOOK: Once = Once::new();
static PANICS: AtomicUsize = AtomicUsize::new(0);
static NEW_SITES: AtomicUsize = AtomicUsize::new(0);
static SITES: Mutex<Option<HashSet<String>>> = Mutex::new(None);

fn install_hook() {
    if std::env::var_os("DAJIAN_FUZZ_STRICT").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        let site = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let mut sites = SITES.lock().unwrap_or_else(|e| e.into_inner());
        if sites.get_or_insert_with(HashSet::new).insert(site) {
            NEW_SITES.fetch_add(1, Ordering::SeqCst);
            eprintln!("image_decode: panic (decode_page should turn it into an error): {info}");
        }
    }));
}

fn save_caught(data: &[u8]) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts/image_decode");
    let _ = std::fs::create_dir_all(dir);
    let n = SITES.lock().map(|s| s.as_ref().map_or(0, |s| s.len())).unwrap_or(0);
    let _ = std::fs::write(format!("{dir}/caught-panic-{n}"), data);
}

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(install_hook);
    let new_before = NEW_SITES.load(Ordering::SeqCst);
    let limits = DecodeLimits { max_bytes: 2 << 20, max_pixels: MAX_PIXELS, max_pages: 8 };
    let result = decode_page(data, "page.jpg", &limits);
    if NEW_SITES.load(Ordering::SeqCst) > new_before {
        save_caught(data);
    }
    let Ok(page) = result else {
        let e = result.unwrap_err();
        assert_eq!(e.file(), "page.jpg");
        return;
    };
    let luma = page.image().to_luma8();
    assert_eq!((luma.width(), luma.height()), (page.width(), page.height()));
    let (w, h) = (page.width(), page.height());
    assert!(w > 0 && h > 0, "{w}x{h}");
    assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}x{h} is over the limit");
    let (sw, sh) = page.stored_size();
    assert_eq!(u64::from(sw) * u64::from(sh), u64::from(w) * u64::from(h), "stored {sw}x{sh}, oriented {w}x{h}");
    let b = page.to_stored_bbox(0.0, 0.0, w as f32, h as f32);
    assert!(
        u64::from(b.x) + u64::from(b.w) <= u64::from(sw) && u64::from(b.y) + u64::from(b.h) <= u64::from(sh),
        "{b:?} outside stored {sw}x{sh} ({:?})",
        page.exif_orientation()
    );
    // The whole oriented page is the whole stored page.
    assert_eq!((b.x, b.y, b.w, b.h), (0, 0, sw, sh), "{:?}", page.exif_orientation());
});
