//! PDF files: each page becomes a [`Page`], in one of three ways.
//!
//! - **Born digital** (an electronic licence, a printout saved as PDF): the
//!   page has visible text. Its characters are taken with their positions
//!   ([`Page::printed`]), so OCR is not needed, and the page is rendered at
//!   [`TEXT_PAGE_DPI`] so the clerk sees the box on it. Text drawn invisibly
//!   (a scanner's own OCR layer over a scan) is not taken: it is the
//!   scanner's reading, not the document's, and dajian reads the scan itself.
//! - **Scanned, JPEG**: no visible text and one image covering the page
//!   whose stream is a JPEG (`DCTDecode`): the JPEG is taken byte for byte
//!   and decoded like an uploaded JPEG, so boxes are in its pixels.
//! - **Anything else** (a Flate, CCITT or JBIG2 scan, vector drawings): the
//!   page is rendered, at its largest image's resolution when it has one,
//!   and read by OCR like a photo.
//!
//! Parsing and rendering are `hayro` (pure Rust; no C library to build or
//! package). Every page is checked against [`DecodeLimits`] before it is
//! rendered.

use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::hayro_syntax::Pdf;
use hayro::hayro_interpret::hayro_syntax::Filter;
use hayro::hayro_interpret::hayro_syntax::page::Page as PdfPage;
use hayro::hayro_interpret::hayro_syntax::LoadPdfError;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask,
    interpret_page,
};
use hayro::kurbo::{Affine, BezPath, Point, Rect};
use image::{DynamicImage, RgbImage};

use super::{DecodeLimits, IngestError, Page, PrintedChar};

/// Resolution a born-digital page is rendered at, and so the frame of its
/// boxes: 150 dpi, the resolution of the generated A4 pages the models
/// were trained on (1240 × 1754 px).
pub const TEXT_PAGE_DPI: f32 = 150.0;

/// Resolution a page with no image is rendered at for OCR.
const RENDER_DPI: f32 = 200.0;

/// Whether `bytes` is a PDF file (its header may follow up to 1 KB of junk,
/// as readers allow).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// Every page of the PDF in `bytes`.
pub(super) fn pages(bytes: &[u8], name: &str, limits: &DecodeLimits) -> Result<Vec<Page>, IngestError> {
    let corrupt = |reason: &str| IngestError::Corrupt { name: name.to_string(), reason: reason.to_string() };
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => IngestError::Encrypted { name: name.to_string() },
        LoadPdfError::Invalid => corrupt("not a readable PDF"),
    })?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(corrupt("the PDF has no pages"));
    }
    if pages.len() > limits.max_pages as usize {
        return Err(IngestError::TooManyPages { name: name.to_string(), pages: pages.len(), limit: limits.max_pages });
    }
    let cache = InterpreterCache::new();
    let settings = InterpreterSettings::default();
    let mut out = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        let mut p = read_page(page, &cache, &settings, name, number, limits)?;
        p.number = number;
        out.push(p);
    }
    Ok(out)
}

fn read_page<'a>(
    page: &'a PdfPage<'a>,
    cache: &'a InterpreterCache<'a>,
    settings: &InterpreterSettings,
    name: &str,
    number: u32,
    limits: &DecodeLimits,
) -> Result<Page, IngestError> {
    let (pw, ph) = page.render_dimensions();
    if !(pw >= 1.0 && ph >= 1.0) {
        return Err(IngestError::Corrupt { name: name.to_string(), reason: format!("page {number} has no size") });
    }
    let text_scale = scales(page, TEXT_PAGE_DPI / 72.0);
    let seen = survey(page, cache, settings, text_scale);
    if !seen.chars.is_empty() {
        let image = render(page, text_scale, name, number, limits)?;
        return Ok(Page::printed(name, image, seen.chars));
    }
    let page_area = f64::from(pw * text_scale.0) * f64::from(ph * text_scale.1);
    if let [only] = seen.images.as_slice()
        && only.area >= 0.9 * page_area
        && let Some(jpeg) = &only.jpeg
    {
        // Errors inside the embedded JPEG name the page, not just the file.
        return super::decode_one(jpeg, name, limits).map_err(|e| on_page(e, number));
    }
    // Keep the largest image's own resolution, so a scan loses nothing.
    let image_scale = seen.images.iter().map(|im| im.pixels_per_point).fold(0f32, f32::max);
    let scale = if image_scale > 0.0 { image_scale.clamp(1.0, 600.0 / 72.0) } else { RENDER_DPI / 72.0 };
    Ok(Page::from_image(name, render(page, scales(page, scale), name, number, limits)?))
}

/// Horizontal and vertical pixels per point that give the page a whole
/// number of pixels each way (the renderer truncates: A4 at 150 dpi is
/// 1240 × 1754, not 1239).
fn scales(page: &PdfPage<'_>, scale: f32) -> (f32, f32) {
    let (pw, ph) = page.render_dimensions();
    let fit = |side: f32| ((side * scale).round().max(1.0) + 0.01) / side;
    (fit(pw), fit(ph))
}

/// An error about an embedded image, said of its page.
fn on_page(e: IngestError, number: u32) -> IngestError {
    match e {
        IngestError::Corrupt { name, reason } => IngestError::Corrupt { name, reason: format!("page {number}: {reason}") },
        other => other,
    }
}

/// Renders `page` at `(x, y)` pixels per point on white, under the pixel limit.
fn render(page: &PdfPage<'_>, scale: (f32, f32), name: &str, number: u32, limits: &DecodeLimits) -> Result<DynamicImage, IngestError> {
    let (pw, ph) = page.render_dimensions();
    let (w, h) = ((pw * scale.0) as u64, (ph * scale.1) as u64);
    if w * h > limits.max_pixels || w > u64::from(u16::MAX) || h > u64::from(u16::MAX) {
        return Err(IngestError::TooManyPixels { name: format!("{name} page {number}"), width: w as u32, height: h as u32, limit: limits.max_pixels });
    }
    let cache = hayro::RenderCache::new();
    let pixmap = hayro::render(
        page,
        &cache,
        &InterpreterSettings::default(),
        &hayro::RenderSettings::default(),
        &hayro::PixmapSettings { x_scale: scale.0, y_scale: scale.1, bg_color: hayro::vello_cpu::color::palette::css::WHITE },
    );
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    // Premultiplied RGBA on an opaque white background: RGB as it is.
    let rgb: Vec<u8> = pixmap.data_as_u8_slice().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let image = RgbImage::from_raw(w, h, rgb).ok_or_else(|| IngestError::Corrupt { name: name.to_string(), reason: format!("page {number} did not render") })?;
    Ok(DynamicImage::ImageRgb8(image))
}

/// What a page draws, as far as choosing how to read it goes.
#[derive(Default)]
struct Survey {
    /// Visible characters, in page pixels at the survey's scale.
    chars: Vec<PrintedChar>,
    images: Vec<Placed>,
}

/// An image drawn on the page.
struct Placed {
    /// Area it covers, in page pixels at the survey's scale.
    area: f64,
    /// Its pixels per point of page, along its larger side.
    pixels_per_point: f32,
    /// Its bytes, when the stream is a JPEG and nothing else.
    jpeg: Option<Vec<u8>>,
}

/// Interprets the page once without rendering: its text and its images.
fn survey<'a>(page: &'a PdfPage<'a>, cache: &'a InterpreterCache<'a>, settings: &InterpreterSettings, scale: (f32, f32)) -> Survey {
    let (pw, ph) = page.render_dimensions();
    let transform = Affine::scale_non_uniform(f64::from(scale.0), f64::from(scale.1)) * page.initial_transform(true).to_kurbo();
    let target = Rect::new(0.0, 0.0, f64::from(pw * scale.0), f64::from(ph * scale.1));
    let mut ctx = Context::new(transform, target, cache, page.xref(), settings.clone());
    let mut device = Surveyor { survey: Survey::default(), scale: scale.0 };
    interpret_page(page, &mut ctx, &mut device);
    device.survey
}

struct Surveyor {
    survey: Survey,
    scale: f32,
}

/// Glyph-space extent of a character's em box (1000 units per em): from the
/// descender to the ascender of a typical CJK font.
const DESCENT: f64 = -120.0;
const ASCENT: f64 = 880.0;

impl<'a> Device<'a> for Surveyor {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        if matches!(mode, DrawMode::Invisible) {
            return;
        }
        for g in run.glyphs() {
            let Some(ch) = unicode_char(g.as_unicode()) else { continue };
            if ch.is_whitespace() || ch.is_control() {
                continue;
            }
            let advance = match &**g {
                hayro::hayro_interpret::font::Glyph::Outline(o) => o.advance_width().map(f64::from),
                hayro::hayro_interpret::font::Glyph::Type3(t) => t.advance_width().map(f64::from),
            }
            .filter(|a| *a > 0.0)
            .unwrap_or(if ch.is_ascii() { 500.0 } else { 1000.0 });
            let to_page = props.transform * g.transform();
            let corners = [(0.0, DESCENT), (advance, DESCENT), (0.0, ASCENT), (advance, ASCENT)].map(|(x, y)| to_page * Point::new(x, y));
            let (x0, x1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
            let (y0, y1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
            if !(x1 > x0 && y1 > y0 && (x1 - x0) < 1e5 && (y1 - y0) < 1e5) {
                continue;
            }
            // The text direction on the page: glyph x axis.
            let dir = to_page * Point::new(advance.max(1.0), 0.0) - to_page * Point::new(0.0, 0.0);
            let len = dir.hypot().max(1e-9);
            self.survey.chars.push(PrintedChar {
                ch,
                x0: x0 as f32,
                y0: y0 as f32,
                x1: x1 as f32,
                y1: y1 as f32,
                dir: ((dir.x / len) as f32, (dir.y / len) as f32),
            });
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        let Image::Raster(raster) = image else { return };
        // The transform places the image's pixel grid (hayro folds the
        // PDF's unit square into it).
        let (iw, ih) = (raster.width() as f64, raster.height() as f64);
        let t = props.transform;
        let corners = [(0.0, 0.0), (iw, 0.0), (0.0, ih), (iw, ih)].map(|(x, y)| t * Point::new(x, y));
        let (x0, x1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
        let (y0, y1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
        let stream = raster.stream();
        let side_px = iw.max(ih);
        let side_pt = ((x1 - x0).max(y1 - y0) / f64::from(self.scale)).max(1e-9);
        let jpeg = (stream.filters().as_slice() == [Filter::DctDecode]).then(|| stream.raw_data().into_owned());
        self.survey.images.push(Placed { area: (x1 - x0) * (y1 - y0), pixels_per_point: (side_px / side_pt) as f32, jpeg });
    }
}

/// The one character a glyph stands for; ligatures and unmapped glyphs give
/// `None`, since a box cannot be split between characters honestly.
fn unicode_char(s: Option<hayro::hayro_interpret::hayro_cmap::BfString>) -> Option<char> {
    use hayro::hayro_interpret::hayro_cmap::BfString;
    match s? {
        BfString::Char(c) => Some(c),
        BfString::String(s) => {
            let mut it = s.chars();
            let c = it.next()?;
            it.next().is_none().then_some(c)
        }
    }
}
