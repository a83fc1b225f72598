//! The OCR stage: page image → text lines with per-character confidences
//! and boxes in the stored image's pixels.
//!
//! Models: PaddleOCR's PP-OCRv4 Chinese detector and recogniser and the
//! mobile 0°/180° line classifier, adapted to ocrs's input/output
//! conventions (`models/ocr/`, see its `MODEL_CARD.md`), run by rten on the
//! CPU or by candle on the CPU or a GPU ([`OcrBackend`], `backend.rs`).
//! The ocrs crate itself is no longer used: its detection pads every page
//! to one fixed size, and it has no confidences and no orientation step
//! (`docs/ocr.md`).
//!
//! Stages, each callable on its own:
//! 1. [`OcrEngine::detect`] → [`Layout`]: the detector runs at a scale chosen
//!    for the page (one call of about [`OcrParams::first_look_pixels`]; for a
//!    page whose lines come out thinner than [`OcrParams::min_line_px`],
//!    again at a larger scale, so small print is not squashed). Boxes get PaddleOCR's
//!    post-processing (threshold, contours, minimum-area rectangles, box
//!    score, unclip by `area × 1.6 / perimeter`). Orientation: the long axes
//!    of the boxes give the reading axis and skew (0/180 vs 90/270, any
//!    angle in between), the classifier on the longest boxes decides between
//!    a direction and its 180° twin. Boxes are put upright in that frame and
//!    [`group_lines`] orders them into lines.
//!    Both models see the page in greyscale with red seals faded (`seal.rs`).
//! 2. [`OcrEngine::recognize`] → [`PageText`]: every box is sampled upright
//!    (deskewed and rotated by sampling, the page itself is never rotated),
//!    recognised in width-sorted batches, and decoded by greedy CTC keeping a
//!    probability per character ([`TextChar::confidence`]).
//!
//! [`OcrEngine::read`] runs both. All boxes in the output are in the pixels
//! of the image *as stored* in the file (before EXIF or any rotation dajian
//! applied), as `report.md` requires.
//!
//! Confidence: a character's is the peak probability of its CTC run; a
//! line's is the *minimum* over its characters, because one doubtful
//! character (a VIN digit) makes the whole value doubtful for a pre-check.

mod backend;
mod batcher;
pub mod candle;
pub mod cli;
mod ctc;
mod detect;
mod geometry;
pub mod grammar;
mod lookalikes;
pub mod metrics;
mod printed;
mod recognize;
mod seal;
mod seen;

use std::path::{Path, PathBuf};

use image::GrayImage;
use rten_imageproc::{Point, RotatedRect};
use serde::Serialize;

use crate::BBox;
use crate::ingest::Page;

pub use backend::OcrBackend;
pub use batcher::BatchParams;
pub use geometry::TextRegion;
pub use lookalikes::lookalike;
pub use seen::{Seen, Spelled, spell};
#[cfg(test)]
pub(crate) use seen::{fake_read, fake_region};

/// Tuning of the OCR stage. The defaults are PaddleOCR's where it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrParams {
    /// Which engine runs the networks (`--ocr-backend`); the rest of the
    /// stage is the same for both.
    pub backend: OcrBackend,
    /// Where the candle backend runs (`--device`); rten runs on the CPU.
    pub device: crate::extract::model::DeviceSpec,
    /// Detector probability above which a pixel is text (PaddleOCR: 0.3).
    pub text_threshold: f32,
    /// Minimum mean probability inside a box to keep it (PaddleOCR: 0.5).
    pub box_threshold: f32,
    /// Unclip ratio (PaddleOCR: 1.6).
    pub unclip_ratio: f32,
    /// Size of the first detection look, in detector pixels: the page is
    /// scaled to about this area (and its sides to multiples of 32).
    pub first_look_pixels: f32,
    /// If the median box is thinner than this many pixels at detection
    /// scale, detection is redone at a larger scale.
    pub min_line_px: f32,
    /// Median box thickness aimed at when detection is redone.
    pub target_line_px: f32,
    /// Largest enlargement of a small image for detection.
    pub max_upscale: f32,
    /// An image whose short side is below this many pixels (a crop of one
    /// line: a plate photo is 94 × 24) is enlarged for detection until it
    /// reaches it, up to 8×, past [`max_upscale`](Self::max_upscale).
    pub min_detect_side: f32,
    /// An image at least this many times as wide as high, and at most
    /// [`min_detect_side`](Self::min_detect_side) × 2 high, in which
    /// detection finds one line or none, is read whole as one line: it is
    /// a crop of one.
    pub line_crop_aspect: f32,
    /// A crop of one line read with a character less sure than
    /// [`crop_tilt_below`](Self::crop_tilt_below) is read again tilted by
    /// each of these angles (degrees, clockwise on screen), and the most
    /// confident reading (mean over its characters) is kept: plates
    /// photographed from the side slope, and the detector, which gives a
    /// page line its slope, finds nothing in a crop.
    pub crop_tilts: Vec<f32>,
    /// See [`crop_tilts`](Self::crop_tilts).
    pub crop_tilt_below: f32,
    /// Whether to find the page's orientation; if false it is taken as
    /// upright (rotation 0, skew still followed per box).
    pub detect_orientation: bool,
    /// Boxes whose characters' mean confidence is below this are dropped as
    /// noise. Lower than PaddleOCR's 0.5, which drops labels read right on
    /// blurred photos (docs/ocr.md, "Why the defaults").
    pub min_text_confidence: f32,
    /// Line crops per recognition call (a batch costs its widest crop times
    /// its size; docs/ocr.md, "Why the defaults").
    pub rec_batch: usize,
    /// Merge the network calls of pages read side by side (by any number of
    /// threads, of any applications) into batches: for a GPU, which runs a
    /// batch in about the time of one call (`batcher.rs`). `None`: each
    /// call runs as made, the fastest on a CPU.
    pub batch: Option<BatchParams>,
    /// Recognition inputs are padded to at least this width (PaddleOCR: 320;
    /// docs/ocr.md, "Why the defaults").
    pub rec_min_width: usize,
    /// Threads running recognition calls side by side (each call already
    /// uses rten's pool: every core, or one when the pipeline reads a page
    /// per core, see `par::Slots`).
    pub rec_threads: usize,
    /// Whether a box with a red seal over its print is read from the red
    /// channel, where the seal fades into the paper (`seal.rs`).
    pub see_through_seals: bool,
    /// How far red ink is lightened towards its red-channel value in the
    /// image both models see (0: plain greyscale; see `seal::fade_red`).
    pub fade_red: f32,
    /// The same inside a seal's ring (`seal::seal_boxes`), where no print
    /// needs the red kept.
    pub fade_seal: f32,
}

impl Default for OcrParams {
    fn default() -> Self {
        OcrParams {
            backend: OcrBackend::Rten,
            device: crate::extract::model::DeviceSpec::Cpu,
            text_threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            first_look_pixels: 300_000.0,
            min_line_px: 16.0,
            target_line_px: 24.0,
            max_upscale: 2.0,
            min_detect_side: 64.0,
            line_crop_aspect: 2.5,
            // On the 200 real plates: 195 exact upright, 196 with these
            // (18 crops doubtful); docs/ocr.md step 7.
            crop_tilts: vec![-8.0, -4.0, 4.0, 8.0],
            crop_tilt_below: 0.9,
            detect_orientation: true,
            min_text_confidence: 0.2,
            rec_batch: 1,
            batch: None,
            rec_min_width: 48,
            rec_threads: 1,
            see_through_seals: true,
            fade_red: 0.5,
            fade_seal: 1.0,
        }
    }
}

/// Why OCR failed. Load errors name the model file, run errors the page.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("cannot load OCR model {}: {reason}", path.display())]
    Load { path: PathBuf, reason: String },
    #[error("{page}: OCR failed: {reason}")]
    Run { page: String, reason: String },
}

/// The text of a page.
#[derive(Debug, Clone, Serialize)]
pub struct PageText {
    /// Size of the image as stored (the frame of every box).
    pub width: u32,
    pub height: u32,
    /// Clockwise degrees (0, 90, 180, 270) the page content was turned to
    /// read it, on top of the EXIF orientation.
    pub rotation_applied: u16,
    /// Lines in reading order.
    pub lines: Vec<TextLine>,
    /// The regions recognised, for reading a span again
    /// ([`OcrEngine::read_span_as`]); [`TextChar::source`] points here.
    #[serde(skip)]
    pub regions: Vec<ReadRegion>,
}

/// A region as it was recognised: where, and from which rendering of the
/// page (a seal-crossed box is read from the red channel).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadRegion {
    pub region: TextRegion,
    ink: seal::Ink,
}

/// Where a recognised character came from: its region in
/// [`PageText::regions`] and its place among the characters greedy CTC
/// decoding read there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharSource {
    pub region: usize,
    pub index: usize,
}

impl PageText {
    /// All lines, one per row.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// The characters of [`text`](Self::text) in order, each with its box
    /// and confidence; the line breaks between lines are `None`.
    pub fn chars(&self) -> Vec<Option<&TextChar>> {
        let mut out = vec![];
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push(None);
            }
            out.extend(line.chars.iter().map(Some));
        }
        out
    }
}

/// One line of text: detected boxes on one line, joined by a space.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextLine {
    pub text: String,
    /// Minimum confidence of the recognised characters.
    pub confidence: f32,
    pub bbox: BBox,
    /// One entry per `char` of `text`. The space between two detected
    /// boxes is layout, not recognition: confidence 1.0, box of the gap.
    pub chars: Vec<TextChar>,
    /// 1-based page of its file (a PDF's or TIFF's); shown only past the first.
    #[serde(skip_serializing_if = "is_first_page")]
    pub page: u32,
}

fn is_first_page(page: &u32) -> bool {
    *page <= 1
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextChar {
    pub ch: char,
    pub confidence: f32,
    pub bbox: BBox,
    /// `None` for the space between two boxes, and for text not read here.
    #[serde(skip)]
    pub source: Option<CharSource>,
    /// Where the recogniser's frames for this character are, so a check
    /// can ask whether they also spell the form's value ([`spell`]).
    #[serde(skip)]
    pub seen: Option<Seen>,
}

/// What detection found: the page's orientation and its text boxes grouped
/// into lines in reading order (EXIF-oriented pixel coordinates).
#[derive(Debug, Clone)]
pub struct Layout {
    /// Clockwise quarter turn that makes the page upright.
    pub rotation: u16,
    /// Remaining skew of the text, in degrees (positive: clockwise on screen).
    pub skew_degrees: f32,
    /// Scale the detector finally ran at (page pixels → detector pixels).
    pub detect_scale: f32,
    pub lines: Vec<Vec<TextRegion>>,
    /// The image is a crop of one line, read whole (a plate photo).
    pub crop: bool,
}

/// The loaded models. Loading takes ~100 ms; share one engine (it is `Sync`).
pub struct OcrEngine {
    params: OcrParams,
    nets: Box<dyn backend::Nets>,
    alphabet: std::sync::Arc<[char]>,
}

/// The repository's `models/ocr/`, or `$DAJIAN_MODELS/ocr` when set.
pub fn default_models_dir() -> PathBuf {
    crate::model_dir("ocr")
}

impl OcrEngine {
    /// Loads the networks of [`OcrParams::backend`] (`det.onnx`, … or
    /// `det.safetensors`, …) and `alphabet.txt` from `dir`.
    pub fn load(dir: &Path, params: OcrParams) -> Result<OcrEngine, OcrError> {
        let load_err = |path: &Path, reason: String| OcrError::Load { path: path.to_path_buf(), reason };
        let mut nets = backend::load(dir, params.backend, params.device).map_err(|(path, reason)| load_err(&path, reason))?;
        if let Some(batch) = params.batch {
            nets = Box::new(batcher::Batched::new(nets, batch));
        }
        let alpha_path = dir.join("alphabet.txt");
        let alphabet: std::sync::Arc<[char]> = std::fs::read_to_string(&alpha_path).map_err(|e| load_err(&alpha_path, e.to_string()))?.chars().collect();
        if alphabet.is_empty() {
            return Err(load_err(&alpha_path, "empty alphabet".into()));
        }
        Ok(OcrEngine { params, nets, alphabet })
    }

    /// Loads from [`default_models_dir`].
    pub fn load_default(params: OcrParams) -> Result<OcrEngine, OcrError> {
        Self::load(&default_models_dir(), params)
    }

    pub fn params(&self) -> &OcrParams {
        &self.params
    }

    /// Detection, orientation and line grouping.
    pub fn detect(&self, page: &Page) -> Result<Layout, OcrError> {
        let grey = self.grey(page);
        self.detect_grey(&grey).map_err(|e| run_err(page, e))
    }

    /// Recognition of the lines of `layout`, boxes mapped to stored pixels.
    pub fn recognize(&self, page: &Page, layout: &Layout) -> Result<PageText, OcrError> {
        let grey = self.grey(page);
        self.recognize_grey(page, &grey, layout).map_err(|e| run_err(page, e))
    }

    /// The whole stage: [`detect`](Self::detect) then [`recognize`](Self::recognize);
    /// a born-digital page's text is taken as printed instead.
    pub fn read(&self, page: &Page) -> Result<PageText, OcrError> {
        if let Some(printed) = page.printed_chars() {
            return Ok(printed::read(page, printed));
        }
        let t0 = std::time::Instant::now();
        let grey = self.grey(page);
        let layout = self.detect_grey(&grey).map_err(|e| run_err(page, e))?;
        let t1 = std::time::Instant::now();
        let text = self.recognize_grey(page, &grey, &layout).map_err(|e| run_err(page, e))?;
        if std::env::var_os("DAJIAN_OCR_TIMING").is_some() {
            // Stage timings for tuning, on stderr.
            let regions: usize = layout.lines.iter().map(Vec::len).sum();
            eprintln!(
                "{}: detect {:.0} ms (scale {:.2}), recognise {:.0} ms ({regions} boxes)",
                page.name(),
                (t1 - t0).as_secs_f64() * 1e3,
                layout.detect_scale,
                t1.elapsed().as_secs_f64() * 1e3
            );
        }
        Ok(text)
    }

    /// The page as the models see it: greyscale, with red seals faded.
    fn grey(&self, page: &Page) -> GrayImage {
        let mut grey = page.image().to_luma8();
        if (self.params.fade_red > 0.0 || self.params.fade_seal > 0.0) && page.image().color().has_color() {
            seal::fade_red(&rgb(page), &mut grey, self.params.fade_red, self.params.fade_seal);
        }
        grey
    }

    fn detect_at(&self, grey: &GrayImage, scale: f32) -> anyhow::Result<Vec<RotatedRect>> {
        let (w, h) = (grey.width(), grey.height());
        let m = detect::SIDE_MULTIPLE as f32;
        let sw = ((w as f32 * scale / m).round().max(1.0) * m) as u32;
        let sh = ((h as f32 * scale / m).round().max(1.0) * m) as u32;
        let scaled;
        let img = if (sw, sh) == (w, h) {
            grey
        } else {
            scaled = resize_grey(grey, sw, sh);
            &scaled
        };
        let map = detect::prob_map(&*self.nets, img)?;
        let (fx, fy) = (w as f32 / sw as f32, h as f32 / sh as f32);
        // Back to page coordinates: pixel centres are at +0.5.
        Ok(detect::boxes_from_map(&map, &self.params)
            .into_iter()
            .map(|r| {
                let c = r.center();
                let u = r.up_axis();
                let k = (u.x * fx).hypot(u.y * fy) / u.x.hypot(u.y);
                let across = (u.y * fx).hypot(u.x * fy) / u.x.hypot(u.y);
                RotatedRect::new(Point::from_yx((c.y + 0.5) * fy, (c.x + 0.5) * fx), u, r.width() * across, r.height() * k)
            })
            .collect())
    }

    fn detect_grey(&self, grey: &GrayImage) -> anyhow::Result<Layout> {
        let p = &self.params;
        let (w, h) = (grey.width() as f32, grey.height() as f32);
        if w < 4.0 || h < 4.0 {
            return Ok(Layout { rotation: 0, skew_degrees: 0.0, detect_scale: 1.0, lines: Vec::new(), crop: false });
        }
        // First look: the whole page at about first_look_pixels (enlarged up
        // to max_upscale if small). Enough for cards.
        let mut scale = (p.first_look_pixels / (w * h)).sqrt().min(p.max_upscale);
        if w.min(h) * scale < p.min_detect_side {
            scale = (p.min_detect_side / w.min(h)).min(8.0);
        }
        let first_scale = scale;
        let mut rects = self.detect_at(grey, scale)?;
        if let Some(s) = second_look(&rects, scale, p) {
            scale = s;
            rects = self.detect_at(grey, scale)?;
        }
        let (mut dir, skew) = if p.detect_orientation { reading_axis(&rects) } else { ((1.0, 0.0), 0.0) };
        if p.detect_orientation && self.is_upside_down(grey, &rects, dir)? {
            dir = (-dir.0, -dir.1);
        }
        let regions: Vec<TextRegion> = rects.iter().map(|r| TextRegion::from_rect(r, dir)).collect();
        let lines = group_lines(&regions, dir);
        if lines.len() <= 1 && w >= p.line_crop_aspect * h && h <= 2.0 * p.min_detect_side {
            // A crop of one line (a plate photo, a cut-out value): the
            // detector, trained on pages, finds nothing in it or cuts it
            // (皖A225 of 皖A225J1), so it is read whole. On the 200 real
            // plates: 82.0 % exact with detection, 91.0 % whole.
            let line = TextRegion { center: (w / 2.0, h / 2.0), dir: (1.0, 0.0), length: w, thickness: h };
            return Ok(Layout { rotation: 0, skew_degrees: 0.0, detect_scale: scale, lines: vec![vec![line]], crop: true });
        }
        if std::env::var_os("DAJIAN_OCR_TIMING").is_some() {
            let t = median(rects.iter().map(|r| r.width().min(r.height()))).unwrap_or(0.0);
            eprintln!(
                "  first look {first_scale:.2}, final {scale:.2}: median box {:.1} detector px, dir {dir:?} skew {skew:.1}, {} boxes",
                t * scale,
                rects.len()
            );
        }
        Ok(Layout { rotation: geometry::rotation_for(dir), skew_degrees: skew, detect_scale: scale, lines, crop: false })
    }

    /// The classifier's verdict on the longest boxes read along `dir`, if
    /// they agree, or if the surer side outweighs the other
    /// ([`classifier_verdict`]): one line can fool it, the page rarely does.
    /// If the votes are close (blurred photos: 4 of 6 said "upside down" on
    /// an upright test page), the recogniser reads the same boxes both ways
    /// and the surer reading wins.
    fn is_upside_down(&self, grey: &GrayImage, rects: &[RotatedRect], dir: (f32, f32)) -> anyhow::Result<bool> {
        let mut regions: Vec<TextRegion> = rects.iter().map(|r| TextRegion::from_rect(r, dir)).collect();
        regions.retain(|r| r.length >= 2.0 * r.thickness);
        regions.sort_by(|a, b| b.length.total_cmp(&a.length));
        regions.truncate(6);
        let probs = recognize::upside_down_probs(&*self.nets, grey, &regions)?;
        if let Some(flip) = classifier_verdict(&probs) {
            return Ok(flip);
        }
        // The middle of each box, at most 8 text heights long, is enough to
        // tell and keeps the 12 recognitions cheap (whole boxes cost the
        // disputed pages ~35 % at p95).
        let regions: Vec<TextRegion> = regions.iter().map(|r| TextRegion { length: r.length.min(8.0 * r.thickness), ..*r }).collect();
        let flipped: Vec<TextRegion> = regions.iter().map(TextRegion::flipped).collect();
        let sources = vec![grey; regions.len()];
        let sureness = |regions: &[TextRegion]| -> anyhow::Result<f32> {
            let texts = recognize::recognize(&*self.nets, &self.alphabet, &sources, regions, 1, self.params.rec_min_width, 1)?;
            Ok(texts.iter().map(recognize::RegionText::mean_confidence).sum())
        };
        Ok(sureness(&flipped)? > sureness(&regions)?)
    }

    /// A box's reading that is dropped: nothing, or a mean character
    /// confidence under `min_text_confidence`.
    fn is_noise(&self, text: &recognize::RegionText) -> bool {
        text.chars.is_empty() || text.mean_confidence() < self.params.min_text_confidence
    }

    /// Boxes that read nothing sure and that [`small_lone_boxes`] picks are
    /// read again grown; a new reading is kept only if it is sure.
    fn reread_small_boxes(
        &self,
        sources: &[&GrayImage],
        inks: &[seal::Ink],
        regions: &mut [TextRegion],
        texts: &mut [recognize::RegionText],
        min_width: usize,
    ) -> anyhow::Result<()> {
        let unread: Vec<bool> = texts.iter().map(|t| self.is_noise(t)).collect();
        let small = small_lone_boxes(regions, &unread, inks);
        if small.is_empty() {
            return Ok(());
        }
        let grown: Vec<TextRegion> = small.iter().map(|&(_, g)| g).collect();
        let grown_sources: Vec<&GrayImage> = small.iter().map(|&(i, _)| sources[i]).collect();
        let again = recognize::recognize(&*self.nets, &self.alphabet, &grown_sources, &grown, self.params.rec_batch, min_width, self.params.rec_threads)?;
        for ((i, region), text) in small.into_iter().zip(again) {
            if !text.chars.is_empty() && text.mean_confidence() >= SURE_REREAD {
                (regions[i], texts[i]) = (region, text);
            }
        }
        Ok(())
    }

    fn recognize_grey(&self, page: &Page, grey: &GrayImage, layout: &Layout) -> anyhow::Result<PageText> {
        let regions: Vec<TextRegion> = layout.lines.iter().flatten().copied().collect();
        // Red ink was faded in `grey` for detection; for recognition a box
        // with a seal over its print is read from the red channel (the seal
        // gone), a box printed in red from plain greyscale (full contrast).
        let mut inks = vec![seal::Ink::Plain; regions.len()];
        let (mut red, mut plain) = (None, None);
        if self.params.see_through_seals && page.image().color().has_color() {
            let rgb = rgb(page);
            inks = regions.iter().map(|r| seal::ink(&rgb, r)).collect();
            if inks.contains(&seal::Ink::SealOver) {
                red = Some(seal::red_channel(&rgb));
            }
            if inks.contains(&seal::Ink::Red) && self.params.fade_red > 0.0 {
                plain = Some(page.image().to_luma8());
            }
        }
        let sources: Vec<&GrayImage> = inks
            .iter()
            .map(|ink| {
                match ink {
                    seal::Ink::SealOver => red.as_ref(),
                    seal::Ink::Red => plain.as_ref(),
                    seal::Ink::Plain => None,
                }
                .unwrap_or(grey)
            })
            .collect();
        // A crop of one line is padded as PaddleOCR pads every line: one
        // call, so the width costs little, and the short, low crops of
        // plate photos are read much better so (docs/ocr.md).
        let min_width = if layout.crop { self.params.rec_min_width.max(recognize::PADDLE_MIN_W) } else { self.params.rec_min_width };
        let mut regions = regions;
        let mut texts = recognize::recognize(&*self.nets, &self.alphabet, &sources, &regions, self.params.rec_batch, min_width, self.params.rec_threads)?;
        let doubtful = |t: &recognize::RegionText| t.chars.iter().any(|c| c.1 < self.params.crop_tilt_below);
        if layout.crop && regions.len() == 1 && !self.params.crop_tilts.is_empty() && doubtful(&texts[0]) {
            let tilted: Vec<TextRegion> = self.params.crop_tilts.iter().map(|&a| regions[0].tilted(a)).collect();
            let tilted_sources = vec![sources[0]; tilted.len()];
            let readings = recognize::recognize(&*self.nets, &self.alphabet, &tilted_sources, &tilted, tilted.len(), min_width, 1)?;
            for (region, text) in tilted.into_iter().zip(readings) {
                if text.mean_confidence() > texts[0].mean_confidence() {
                    (regions[0], texts[0]) = (region, text);
                }
            }
        }
        if !layout.crop {
            self.reread_small_boxes(&sources, &inks, &mut regions, &mut texts, min_width)?;
        }
        // A crop that reads like a code is read again by its grammar.
        if layout.crop
            && let [region] = regions.as_slice()
            && let Some(g) = grammar::suggested_by(&texts[0].text())
            && let Some(t) = recognize::recognize_as(&*self.nets, &self.alphabet, sources[0], region, min_width, g)?
        {
            texts[0] = t;
        }
        let read_regions: Vec<ReadRegion> = regions.iter().zip(&inks).map(|(&region, &ink)| ReadRegion { region, ink }).collect();
        let mut texts = texts.into_iter().enumerate();
        let to_bbox = |b: (f32, f32, f32, f32)| page.to_stored_bbox(b.0, b.1, b.2, b.3);
        let mut lines = Vec::new();
        for line in &layout.lines {
            let mut chars: Vec<TextChar> = Vec::new();
            let mut min_conf = f32::MAX;
            let mut prev_end: Option<(f32, f32, f32, f32)> = None;
            for region in line {
                let (ri, rt) = texts.next().expect("one text per region");
                if self.is_noise(&rt) {
                    continue;
                }
                let first = region.span_bounds(rt.chars[0].2, rt.chars[0].3);
                if let Some(e) = prev_end {
                    // The gap between two boxes of a line, as a space.
                    let gap = (e.2.min(first.0), e.1.min(first.1), e.2.max(first.0), e.3.max(first.3));
                    chars.push(TextChar { ch: ' ', confidence: 1.0, bbox: to_bbox(gap), source: None, seen: None });
                }
                for (index, (&(ch, conf, s0, s1), seen)) in rt.chars.iter().zip(&rt.seen).enumerate() {
                    min_conf = min_conf.min(conf);
                    let source = (!layout.crop).then_some(CharSource { region: ri, index });
                    let bbox = to_bbox(region.span_bounds(s0, s1));
                    chars.push(TextChar { ch, confidence: conf, bbox, source, seen: seen.clone() });
                }
                let last = rt.chars.last().unwrap();
                prev_end = Some(region.span_bounds(last.2, last.3));
            }
            if chars.is_empty() {
                continue;
            }
            let bbox = chars.iter().fold(BBox::default(), |b, c| b.union(c.bbox));
            lines.push(TextLine { text: chars.iter().map(|c| c.ch).collect(), confidence: min_conf, bbox, chars, page: page.number() });
        }
        let (width, height) = page.stored_size();
        Ok(PageText { width, height, rotation_applied: layout.rotation, lines, regions: read_regions })
    }

    /// Reads `chars` (characters of one region of `text`, as OCR read
    /// `page`) again by `grammar` (a code, a date or a month; [`grammar`]): the region is
    /// recognised again and the frames from just after the character
    /// before the span to just before the one after it are decoded with
    /// only the classes the grammar allows. The new characters, with their
    /// boxes and the confidences of that reading; `None` when the span's
    /// characters are not of one region, or no reading passes the
    /// grammar's check characters.
    pub fn read_span_as(&self, page: &Page, text: &PageText, chars: &[&TextChar], grammar: grammar::Grammar) -> Result<Option<Vec<TextChar>>, OcrError> {
        let sources: Vec<CharSource> = chars.iter().filter_map(|c| c.source).collect();
        let Some(first) = sources.first() else {
            return Ok(None);
        };
        if sources.iter().any(|s| s.region != first.region) {
            return Ok(None);
        }
        let Some(rr) = text.regions.get(first.region) else {
            return Ok(None);
        };
        let (k0, k1) = (sources.iter().map(|s| s.index).min().unwrap_or(0), sources.iter().map(|s| s.index).max().unwrap_or(0));
        let grey = match rr.ink {
            seal::Ink::SealOver if self.params.see_through_seals => seal::red_channel(&rgb(page)),
            seal::Ink::Red => page.image().to_luma8(),
            _ => self.grey(page),
        };
        let read = recognize::recognize_span_as(&*self.nets, &self.alphabet, &grey, &rr.region, self.params.rec_min_width, k0..=k1, grammar)
            .map_err(|e| run_err(page, e))?;
        Ok(read.map(|rt| {
            rt.chars
                .iter()
                .map(|&(ch, confidence, s0, s1)| {
                    let b = rr.region.span_bounds(s0, s1);
                    TextChar { ch, confidence, bbox: page.to_stored_bbox(b.0, b.1, b.2, b.3), source: None, seen: None }
                })
                .collect()
        }))
    }
}

/// A page of print shows at least this many boxes at any readable scale:
/// fewer, none thin, on a shrunk page are its titles, a seal or a QR code,
/// the print too small to show (an ID card photocopied onto A4 and
/// photographed showed its five titles at 0.43×; docs/ocr.md step 1).
const FEW_BOXES: usize = 8;

/// The scale of a second detection, after a first look at `scale` found
/// `rects` (in page pixels): the one that makes the median box
/// `target_line_px` thick when it came out thinner than `min_line_px`;
/// full size when nothing was found on a squashed page, or fewer than
/// [`FEW_BOXES`] none of them thin (a QR code and a seal, or titles: the
/// print too small to show at this scale). `None`: the first look stands.
fn second_look(rects: &[RotatedRect], scale: f32, p: &OcrParams) -> Option<f32> {
    let thickness = median(rects.iter().map(|r| r.width().min(r.height())));
    let s = match thickness {
        Some(t) if t * scale < p.min_line_px => p.target_line_px / t,
        None if scale < 1.0 => 1.0,
        Some(_) if rects.len() < FEW_BOXES && scale < 1.0 => 1.0,
        _ => return None,
    }
    .min(p.max_upscale);
    (s > scale * 1.2).then_some(s)
}

/// Past this, one box's vote is capped (p = 10⁻⁴ or 1 − 10⁻⁴), so a single
/// line the classifier is sure of cannot outvote several that disagree.
const CLS_VOTE_CAP: f32 = 9.2;
/// Summed capped log-odds past which the classifier's votes decide.
const CLS_MARGIN: f32 = 6.0;

/// Whether the boxes are upside down, by the classifier's `probs` (each the
/// probability that one box is): their summed log-odds, each capped at
/// [`CLS_VOTE_CAP`], when past [`CLS_MARGIN`]; `None` when the votes are
/// too close to call. On blurred photos one or two of six boxes often vote
/// the wrong way at 0.6–0.9 while the rest are sure the other way. Votes
/// all one way decide whatever their sum (none: upright).
fn classifier_verdict(probs: &[f32]) -> Option<bool> {
    let flip_votes = probs.iter().filter(|&&p| p > 0.5).count();
    if flip_votes == 0 || flip_votes == probs.len() {
        return Some(flip_votes > 0);
    }
    let sum: f32 = probs.iter().map(|&p| (p / (1.0 - p)).ln().clamp(-CLS_VOTE_CAP, CLS_VOTE_CAP)).sum();
    (sum.abs() >= CLS_MARGIN).then_some(sum > 0.0)
}

/// Groups regions into lines in reading order, in the page's upright frame
/// (reading direction `dir` along +x): a region joins the line whose centre
/// line is within half a text height of its own; lines are cut where a gap
/// is wider than [`COLUMN_GAP`] text heights (two pages side by side), then
/// sorted top to bottom, left to right.
///
/// ocrs's `find_text_lines` was tried first: on forms its column
/// separators put the whole label column after the values (第1条…第11条 at
/// the end of the A4 page), so this simpler rule is used.
pub fn group_lines(regions: &[TextRegion], dir: (f32, f32)) -> Vec<Vec<TextRegion>> {
    let down = (-dir.1, dir.0);
    // (x, y) of each centre in the upright frame.
    let upright: Vec<(f32, f32)> = regions.iter().map(|r| (r.center.0 * dir.0 + r.center.1 * dir.1, r.center.0 * down.0 + r.center.1 * down.1)).collect();
    let mut order: Vec<usize> = (0..regions.len()).collect();
    order.sort_by(|&a, &b| upright[a].1.total_cmp(&upright[b].1));
    // Each line: (sum of centre y, sum of thickness, members).
    let mut lines: Vec<(f32, f32, Vec<usize>)> = Vec::new();
    for i in order {
        let (y, t) = (upright[i].1, regions[i].thickness);
        let best = lines
            .iter()
            .enumerate()
            .map(|(k, l)| (k, (l.0 / l.2.len() as f32 - y).abs(), l.1 / l.2.len() as f32))
            .filter(|&(_, dy, lt)| dy < 0.5 * t.min(lt))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((k, _, _)) => {
                let l = &mut lines[k];
                l.0 += y;
                l.1 += t;
                l.2.push(i);
            }
            None => lines.push((y, t, vec![i])),
        }
    }
    let gap_limit = COLUMN_GAP * median(regions.iter().map(|r| r.thickness)).unwrap_or(0.0);
    let x_extent = |i: usize| (upright[i].0 - regions[i].length / 2.0, upright[i].0 + regions[i].length / 2.0);
    let mut pieces: Vec<(f32, f32, Vec<usize>)> = Vec::new();
    for (y_sum, _, mut members) in lines {
        // Pieces of one row share the row's y, so they stay left to right.
        let row_y = y_sum / members.len() as f32;
        members.sort_by(|&a, &b| upright[a].0.total_cmp(&upright[b].0));
        let mut piece: Vec<usize> = Vec::new();
        for i in members {
            if let Some(&last) = piece.last() {
                if x_extent(i).0 - x_extent(last).1 > gap_limit {
                    pieces.push((row_y, upright[piece[0]].0, std::mem::take(&mut piece)));
                }
            }
            piece.push(i);
        }
        pieces.push((row_y, upright[piece[0]].0, piece));
    }
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pieces.into_iter().map(|(_, _, m)| m.into_iter().map(|i| regions[i]).collect()).collect()
}

/// Gap between two boxes of one line, in text heights, beyond which they
/// are taken as two columns. Label–value gaps on licences reach 7 (a short
/// label in a column sized for long ones), hence the margin.
const COLUMN_GAP: f32 = 12.0;

/// `grey` resized to `w × h` with a tent (bilinear) filter widened when
/// shrinking, as `image`'s `FilterType::Triangle`, in SIMD: 4-10× faster.
/// In f32, not u8: the crate's fixed-point u8 path moved enough pixels by a
/// level to change a character on an A4 golden page (止 → 正) and one
/// degraded test field; in f32 the bench reads exactly as with `image`.
fn resize_grey(grey: &GrayImage, w: u32, h: u32) -> GrayImage {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images::Image};
    let mut src = Image::new(grey.width(), grey.height(), PixelType::F32);
    for (d, &v) in src.buffer_mut().chunks_exact_mut(4).zip(grey.as_raw()) {
        d.copy_from_slice(&(v as f32).to_ne_bytes());
    }
    let mut dst = Image::new(w, h, PixelType::F32);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new().resize(&src, &mut dst, &options).expect("same pixel type, non-empty sizes");
    let pixels = dst.buffer().chunks_exact(4).map(|b| f32::from_ne_bytes(b.try_into().unwrap()).round().clamp(0.0, 255.0) as u8).collect();
    GrayImage::from_raw(w, h, pixels).expect("the buffer fits w × h")
}

/// The page's pixels as RGB, without a copy when they already are.
fn rgb(page: &Page) -> std::borrow::Cow<'_, image::RgbImage> {
    match page.image().as_rgb8() {
        Some(rgb) => std::borrow::Cow::Borrowed(rgb),
        None => std::borrow::Cow::Owned(page.image().to_rgb8()),
    }
}

fn run_err(page: &Page, e: anyhow::Error) -> OcrError {
    OcrError::Run { page: page.name().to_string(), reason: format!("{e:#}") }
}

/// A box thinner than this share of the page's median line is small.
const SMALL_BOX: f32 = 0.7;
/// The mean confidence a grown small box's reading needs to be kept.
const SURE_REREAD: f32 = 0.7;

/// A lone character often comes out of detection as a box much smaller
/// than its glyph (输 alone on a wrapped line: 11×10 px for a 20-px
/// character), and the recogniser reads nothing in it. Picked here, with
/// the region to read instead (a square of the page's median thickness,
/// longer if the box was, along the page's reading direction): the
/// `unread` boxes far thinner than the median, short, in black ink (a
/// seal's scattered characters are not wanted) and alone on their line,
/// with no box of the line within half a line height of the grown one (a
/// speck between 住 and 所, grown, reads a piece of each).
fn small_lone_boxes(regions: &[TextRegion], unread: &[bool], inks: &[seal::Ink]) -> Vec<(usize, TextRegion)> {
    let Some(median) = median(regions.iter().map(|r| r.thickness)) else { return vec![] };
    // A box of one glyph has no direction of its own (11 × 10 px came out
    // tilted 18°): it is read along the page's longest box.
    let Some(axis) = regions.iter().max_by(|a, b| a.length.total_cmp(&b.length)).map(|r| r.dir) else { return vec![] };
    let grow = |r: TextRegion| TextRegion { dir: axis, thickness: median, length: (r.length + median - r.thickness).max(median), ..r };
    let alone = |i: usize, g: &TextRegion| {
        regions.iter().enumerate().all(|(j, r)| {
            let d = (r.center.0 - g.center.0, r.center.1 - g.center.1);
            let along = d.0 * g.dir.0 + d.1 * g.dir.1;
            let across = d.0 * g.down().0 + d.1 * g.down().1;
            j == i || across.abs() >= 0.5 * median || along.abs() - (g.length + r.length) / 2.0 >= 0.5 * median
        })
    };
    (0..regions.len())
        .filter(|&i| unread[i] && inks[i] == seal::Ink::Plain)
        .filter(|&i| regions[i].thickness < SMALL_BOX * median && regions[i].length < 2.0 * median)
        .map(|i| (i, grow(regions[i])))
        .filter(|(i, g)| alone(*i, g))
        .collect()
}

fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    Some(v[v.len() / 2])
}

/// The page's reading axis from the long sides of its elongated boxes,
/// weighted by length: horizontal (pointing right) or vertical (pointing up,
/// as text on a page turned 90° counter-clockwise reads), with the skew in
/// degrees as their weighted median angle. The classifier settles the sign.
pub(crate) fn reading_axis(rects: &[RotatedRect]) -> ((f32, f32), f32) {
    // (angle of the long side in [0, 180), weight)
    let mut axes: Vec<(f32, f32)> = Vec::new();
    for r in rects {
        let (long, short) = (r.width().max(r.height()), r.width().min(r.height()));
        if long < 1.5 * short {
            continue;
        }
        let u = r.up_axis();
        let axis = if r.height() >= r.width() { u } else { u.perpendicular() };
        axes.push((axis.y.atan2(axis.x).to_degrees().rem_euclid(180.0), long));
    }
    let horizontal: f32 = axes.iter().filter(|a| a.0 < 45.0 || a.0 >= 135.0).map(|a| a.1).sum();
    let vertical: f32 = axes.iter().filter(|a| (45.0..135.0).contains(&a.0)).map(|a| a.1).sum();
    if vertical > horizontal {
        // Angles around 90; reading upwards is 90 + 180 = 270 on screen (y down).
        let mut a: Vec<(f32, f32)> = axes.into_iter().filter(|a| (45.0..135.0).contains(&a.0)).collect();
        let m = weighted_median(&mut a) + 180.0;
        let rad = m.to_radians();
        ((rad.cos(), rad.sin()), m - 270.0)
    } else {
        let mut a: Vec<(f32, f32)> =
            axes.into_iter().filter(|a| a.0 < 45.0 || a.0 >= 135.0).map(|(ang, w)| (if ang >= 135.0 { ang - 180.0 } else { ang }, w)).collect();
        if a.is_empty() {
            return ((1.0, 0.0), 0.0);
        }
        let m = weighted_median(&mut a);
        let rad = m.to_radians();
        ((rad.cos(), rad.sin()), m)
    }
}

fn weighted_median(values: &mut [(f32, f32)]) -> f32 {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f32 = values.iter().map(|v| v.1).sum();
    let mut acc = 0.0;
    for v in values.iter() {
        acc += v.1;
        if acc >= total / 2.0 {
            return v.0;
        }
    }
    values.last().map_or(0.0, |v| v.0)
}

#[cfg(test)]
mod tests;
