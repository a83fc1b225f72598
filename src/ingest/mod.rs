//! Ingest: turning an uploaded file into the [`Page`]s the pipeline reads.
//!
//! [`decode_file`] decodes JPEG, PNG, WebP, TIFF (every page of a
//! multi-page one, [`tiff`]) and PDF ([`pdf`]: scans, and born-digital
//! pages whose text is taken as printed) under [`DecodeLimits`]
//! (bytes, pages and pixels are checked *before* pixels are allocated),
//! applies the EXIF orientation so later stages see the page as a person
//! would, and keeps that transform: [`Page::to_stored_bbox`] maps a box on the
//! oriented page back to the pixels of the file *as stored*, which is where
//! `report.md` puts every `bbox`. Any unusable input (empty, truncated,
//! corrupt, not an image, over a limit) is an [`IngestError`] naming the file;
//! decoding never panics the caller.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use crate::BBox;

pub mod pdf;
mod tiff;

pub use pdf::TEXT_PAGE_DPI;

/// Limits on what [`decode_page`] accepts. Pixels are checked from the header,
/// before decoding, so a small file claiming a huge image costs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Largest accepted image, in pixels (width × height); for a PDF page,
    /// after rendering.
    pub max_pixels: u64,
    /// Most pages in one file (PDF, multi-page TIFF).
    pub max_pages: u32,
}

impl Default for DecodeLimits {
    /// 40 MB and 100 megapixels: above any phone photo or 600 dpi A4 scan;
    /// 20 pages: a document, not a whole application in one file.
    fn default() -> Self {
        DecodeLimits { max_bytes: 40 * 1024 * 1024, max_pixels: 100_000_000, max_pages: 20 }
    }
}

/// Why a file could not be used as a page. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{name}: the file is empty")]
    Empty { name: String },
    #[error("{name}: {size} bytes is over the limit of {limit} bytes")]
    TooManyBytes { name: String, size: usize, limit: usize },
    #[error("{name}: not a JPEG, PNG, WebP, TIFF or PDF file")]
    NotAnImage { name: String },
    #[error("{name}: {pages} pages is over the limit of {limit} pages")]
    TooManyPages { name: String, pages: usize, limit: u32 },
    #[error("{name}: the PDF is protected by a password; upload it without one")]
    Encrypted { name: String },
    #[error("{name}: has no page {page}")]
    NoSuchPage { name: String, page: u32 },
    #[error("{name}: {width}x{height} pixels is over the limit of {limit} pixels")]
    TooManyPixels { name: String, width: u32, height: u32, limit: u64 },
    #[error("{name}: cannot decode the image: {reason}")]
    Corrupt { name: String, reason: String },
}

impl IngestError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            IngestError::Empty { name }
            | IngestError::TooManyBytes { name, .. }
            | IngestError::NotAnImage { name }
            | IngestError::TooManyPages { name, .. }
            | IngestError::Encrypted { name }
            | IngestError::NoSuchPage { name, .. }
            | IngestError::TooManyPixels { name, .. }
            | IngestError::Corrupt { name, .. } => name,
        }
    }
}

/// A decoded page: the image upright as EXIF says (but not corrected for
/// content rotation — that is the OCR stage's job), plus the EXIF transform
/// back to stored pixels.
#[derive(Debug, Clone)]
pub struct Page {
    name: String,
    image: DynamicImage,
    stored_width: u32,
    stored_height: u32,
    orientation: Orientation,
    /// 1-based place of the page in its file.
    number: u32,
    /// The characters a born-digital PDF page prints, in its pixels.
    printed: Option<Vec<PrintedChar>>,
}

/// One character a born-digital page prints: its box in page pixels and the
/// direction its text runs (a unit vector; `(1, 0)` for ordinary text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintedChar {
    pub ch: char,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub dir: (f32, f32),
}

impl Page {
    /// A page from an already-decoded image with no EXIF transform (tests,
    /// rendered PDF pages).
    pub fn from_image(name: impl Into<String>, image: DynamicImage) -> Page {
        let (w, h) = (image.width(), image.height());
        Page { name: name.into(), image, stored_width: w, stored_height: h, orientation: Orientation::NoTransforms, number: 1, printed: None }
    }

    /// A born-digital page: its rendering and the characters it prints
    /// (what [`pdf`] makes of a page with text).
    pub fn printed(name: impl Into<String>, image: DynamicImage, chars: Vec<PrintedChar>) -> Page {
        Page { printed: Some(chars), ..Page::from_image(name, image) }
    }

    /// The 1-based place of the page in its file.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The characters the page prints, when it is a born-digital PDF page:
    /// then no OCR is needed.
    pub fn printed_chars(&self) -> Option<&[PrintedChar]> {
        self.printed.as_deref()
    }

    /// The file name, and the page for a page after the first: for messages.
    pub fn label(&self) -> String {
        if self.number > 1 { format!("{} page {}", self.name, self.number) } else { self.name.clone() }
    }

    /// The file name given to [`decode_page`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The image with the EXIF orientation applied.
    pub fn image(&self) -> &DynamicImage {
        &self.image
    }

    /// Width of the EXIF-oriented image.
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    /// Height of the EXIF-oriented image.
    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// Width and height of the image as stored in the file.
    pub fn stored_size(&self) -> (u32, u32) {
        (self.stored_width, self.stored_height)
    }

    /// The EXIF orientation that was applied.
    pub fn exif_orientation(&self) -> Orientation {
        self.orientation
    }

    /// Maps a point of the oriented image (continuous pixel coordinates,
    /// `(0,0)` the top-left corner of the first pixel) to the stored image.
    pub fn to_stored_point(&self, x: f32, y: f32) -> (f32, f32) {
        stored_point(self.orientation, self.stored_width as f32, self.stored_height as f32, x, y)
    }

    /// Maps an axis-aligned box `[x0,x1]×[y0,y1]` of the oriented image to the
    /// stored image's pixels, rounded outwards and clamped to the image.
    /// EXIF transforms are quarter turns and flips, so the box stays exact.
    pub fn to_stored_bbox(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> BBox {
        let (ax, ay) = self.to_stored_point(x0, y0);
        let (bx, by) = self.to_stored_point(x1, y1);
        let (w, h) = (self.stored_width as f32, self.stored_height as f32);
        let left = ax.min(bx).floor().clamp(0.0, w);
        let top = ay.min(by).floor().clamp(0.0, h);
        let right = ax.max(bx).ceil().clamp(0.0, w);
        let bottom = ay.max(by).ceil().clamp(0.0, h);
        BBox::new(left as u32, top as u32, (right - left) as u32, (bottom - top) as u32)
    }
}

/// Inverse of `image`'s `apply_orientation` for points; `w`, `h` are the
/// stored image's dimensions.
fn stored_point(o: Orientation, w: f32, h: f32, x: f32, y: f32) -> (f32, f32) {
    match o {
        Orientation::NoTransforms => (x, y),
        // Rotate90 (clockwise) sends stored (sx,sy) to (h-sy, sx).
        Orientation::Rotate90 => (y, h - x),
        Orientation::Rotate180 => (w - x, h - y),
        // Rotate270 sends stored (sx,sy) to (sy, w-sx).
        Orientation::Rotate270 => (w - y, x),
        Orientation::FlipHorizontal => (w - x, y),
        Orientation::FlipVertical => (x, h - y),
        // Rotate90 then flip: a transpose.
        Orientation::Rotate90FlipH => (y, x),
        Orientation::Rotate270FlipH => (w - y, h - x),
    }
}

/// A format a page file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Image(ImageFormat),
    Pdf,
}

/// A page file as submitted: its file name in the form, its MIME type and
/// its bytes. One type from upload through the queue to the reader.
#[derive(Debug, Clone)]
pub struct PageFile {
    pub file: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl PageFile {
    /// A file whose type is taken from its content ([`page_format`]);
    /// `application/octet-stream` when it is no page format.
    pub fn new(file: impl Into<String>, bytes: Vec<u8>) -> PageFile {
        let content_type = page_format(&bytes).map_or("application/octet-stream", |(_, mime)| mime).to_string();
        PageFile { file: file.into(), content_type, bytes }
    }
}

/// The formats a page file may come in, with their MIME types. The format
/// comes from the content, never the file name: a text file renamed .jpg
/// is not an image.
pub fn page_format(bytes: &[u8]) -> Option<(FileFormat, &'static str)> {
    if pdf::is_pdf(bytes) {
        return Some((FileFormat::Pdf, "application/pdf"));
    }
    let format = image::guess_format(bytes).ok()?;
    let mime = match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::WebP => "image/webp",
        ImageFormat::Tiff => "image/tiff",
        _ => return None,
    };
    Some((FileFormat::Image(format), mime))
}

/// Decodes every page of one uploaded file: one for an image, one per page
/// for a PDF or multi-page TIFF. `name` is used in errors and [`Page::name`].
pub fn decode_file(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Vec<Page>, IngestError> {
    let name_s = || name.to_string();
    if bytes.is_empty() {
        return Err(IngestError::Empty { name: name_s() });
    }
    if bytes.len() > limits.max_bytes {
        return Err(IngestError::TooManyBytes { name: name_s(), size: bytes.len(), limit: limits.max_bytes });
    }
    let (format, _) = page_format(bytes).ok_or_else(|| IngestError::NotAnImage { name: name_s() })?;
    // Decoders are third-party code fed untrusted bytes; a panic in one must
    // become an error for this file, not take the worker down.
    std::panic::catch_unwind(|| match format {
        FileFormat::Pdf => pdf::pages(bytes, name, limits),
        FileFormat::Image(ImageFormat::Tiff) => tiff::pages(bytes, name, limits),
        FileFormat::Image(f) => decode_checked(bytes, name, f, limits).map(|p| vec![p]),
    })
    .unwrap_or_else(|_| Err(IngestError::Corrupt { name: name_s(), reason: "the decoder failed on malformed data".into() }))
}

/// Decodes the first page of one uploaded file ([`decode_file`]).
pub fn decode_page(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Page, IngestError> {
    let mut pages = decode_file(bytes, name, limits)?;
    Ok(pages.swap_remove(0))
}

/// Page `page` (1-based) of a file as PNG, upright as dajian reads it
/// before content rotation: what a browser shows for a PDF or TIFF page.
pub fn page_png(bytes: &[u8], name: &str, page: u32) -> Result<Vec<u8>, IngestError> {
    let pages = decode_file(bytes, name, &DecodeLimits::default())?;
    let p = page.checked_sub(1).and_then(|i| pages.get(i as usize)).ok_or(IngestError::NoSuchPage { name: name.to_string(), page })?;
    let mut out = Cursor::new(vec![]);
    p.image.write_to(&mut out, ImageFormat::Png).map_err(|e| IngestError::Corrupt { name: name.to_string(), reason: e.to_string() })?;
    Ok(out.into_inner())
}

/// Decodes one image (any format `image` reads) under the limits; used for
/// images inside other files too (a PDF's JPEG, a TIFF's later pages).
fn decode_one(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Page, IngestError> {
    let format = image::guess_format(bytes).map_err(|_| IngestError::NotAnImage { name: name.to_string() })?;
    decode_checked(bytes, name, format, limits)
}

fn decode_checked(bytes: &[u8], name: &str, format: ImageFormat, limits: &DecodeLimits) -> Result<Page, IngestError> {
    let corrupt = |e: image::ImageError| IngestError::Corrupt { name: name.to_string(), reason: e.to_string() };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut image_limits = image::Limits::default();
    // Bounds the decoder's own allocations too (4 bytes per pixel covers
    // 8-bit RGBA; 16-bit images are rare and still fit under 2x this).
    image_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(image_limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(IngestError::Corrupt { name: name.to_string(), reason: "the image has no pixels".into() });
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(IngestError::TooManyPixels { name: name.to_string(), width, height, limit: limits.max_pixels });
    }
    // A broken EXIF block is no reason to refuse a readable page.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(Page { name: name.to_string(), image, stored_width: width, stored_height: height, orientation, number: 1, printed: None })
}

#[cfg(test)]
mod tests;
