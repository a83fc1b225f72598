//! A synthetic world for training and testing: a registry, applications
//! with page images, and ground truth (fields, boxes, text lines, expected
//! check statuses). No real licence is used anywhere.
//!
//! * [`generate`] writes a whole dataset (registry JSONL, one folder per
//!   application with `application.json`, its pages and `truth.json`).
//! * [`pages_text`] produces the same pages' printed lines and field spans
//!   without rendering a pixel, for training the extractor fast.
//!
//! Same seed → byte-identical output.
//!
//! A crate of its own (issue 22): the service binary neither compiles nor
//! ships the world generator or the training code. It depends on
//! `dajian`'s public types and OCR stage, never the other way round; the
//! truth format it writes is `dajian::truth`, which `dajian bench` reads.
//! [`train`] trains the extractor, [`ocr_samples`] makes its real-OCR
//! samples; `dajian dataset …` and `dajian train …` run this crate's
//! `dajian-datasets` binary.

pub mod apps;
pub mod defects;
pub mod docs;
pub mod fixture_pages;
pub mod fonts;
pub mod idgen;
pub mod layout;
pub mod ocr_samples;
pub mod pages;
pub mod pools;
pub mod regions;
pub mod render;
pub mod train;
pub mod world;

pub use dajian::truth;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use dajian::document::{DocKind, Subject};
use dajian::types::BBox;
use layout::{Layout, Span};
pub use pools::Split;
use truth::{AppTruth, FieldTruth, LineTruth, PageTruth};

#[derive(Debug, Clone)]
pub struct GenerateParams {
    pub seed: u64,
    pub apps: usize,
    pub out_dir: PathBuf,
    /// Render page images (false: application.json, truth.json without
    /// images, for quick checks).
    pub render: bool,
    /// Worker threads for rendering (0: all cores). Output does not depend on it.
    pub threads: usize,
    /// The part of the name and place pools drawn from (`HeldOut` only for
    /// test sets: training never sees it).
    pub pools: Split,
    /// Lay pages out in the held-out layout families (test sets only).
    pub held_out_families: bool,
    /// Also write PDF versions of every page and application beside the
    /// images ([`write_pdfs`]; needs `render`). Off, the set is byte for
    /// byte what it was before PDFs existed.
    pub pdf: bool,
}

impl GenerateParams {
    pub fn new(seed: u64, apps: usize, out_dir: impl Into<PathBuf>) -> Self {
        GenerateParams { seed, apps, out_dir: out_dir.into(), render: true, threads: 0, pools: Split::Seen, held_out_families: false, pdf: false }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub seed: u64,
    /// The part of the name and place pools the set's world drew from.
    #[serde(default)]
    pub pools: Split,
    /// Whether its pages use the held-out layout families.
    #[serde(default)]
    pub held_out_families: bool,
    pub apps: usize,
    pub clean: usize,
    pub pages: usize,
    pub degraded_pages: usize,
    pub undeclared_pages: usize,
    pub pages_by_kind: BTreeMap<String, usize>,
    pub defects_by_check: BTreeMap<String, usize>,
    pub defects_by_id: BTreeMap<String, usize>,
    pub verdicts: BTreeMap<String, usize>,
    pub permit_classes: BTreeMap<String, usize>,
    pub authorities: BTreeMap<String, usize>,
    pub degradations: BTreeMap<String, usize>,
    pub registry: BTreeMap<String, usize>,
}

/// Builds the world and every application (no layout, no pixels), with
/// names and places from the seen part of the pools.
pub fn world_and_apps(seed: u64, n: usize) -> Result<(apps::Sim, Vec<apps::AppCase>)> {
    world_and_apps_in(seed, n, Split::Seen)
}

/// [`world_and_apps`] drawing names and places from the given part of the pools.
pub fn world_and_apps_in(seed: u64, n: usize, split: Split) -> Result<(apps::Sim, Vec<apps::AppCase>)> {
    world_and_apps_with(seed, n, split, false)
}

/// [`world_and_apps_in`], its pages in the held-out layout families if asked.
pub fn world_and_apps_with(seed: u64, n: usize, split: Split, held_out_families: bool) -> Result<(apps::Sim, Vec<apps::AppCase>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sim = apps::Sim::new(&mut rng, split);
    let plans = apps::plan(&mut rng, n);
    let mut cases = Vec::with_capacity(n);
    for p in &plans {
        let mut case = apps::build(&mut sim, &mut rng, p).with_context(|| format!("application {}", p.index + 1))?;
        if held_out_families {
            // Each page may then be drawn in its kind's held-out family (`pages::family`).
            case.pages.iter_mut().for_each(|pg| pg.x("held_out", "1"));
        }
        cases.push(case);
    }
    Ok((sim, cases))
}

/// `per` clean pages of every layout family of every kind, as
/// (`KIND-FAMILY-N.jpg`, JPEG bytes), from a small world of seed 5 (seen
/// pools): what `dataset families` writes.
pub fn family_samples(per: usize) -> Result<Vec<(String, Vec<u8>)>> {
    let (_, cases) = world_and_apps_in(5, 8, Split::Seen)?;
    let mut out = vec![];
    for (kind, family, _) in pages::families() {
        let docs = cases.iter().flat_map(|c| &c.pages).filter(|p| p.kind == kind).take(per);
        for (i, doc) in docs.enumerate() {
            let mut doc = doc.clone();
            doc.x("family", family);
            doc.degraded = false;
            doc.file = format!("{kind}-{family}-{i}.jpg");
            let (bytes, _) = render_page_bytes(&doc).with_context(|| doc.file.clone())?;
            out.push((doc.file, bytes));
        }
    }
    Ok(out)
}

/// JPEG quality of an undegraded page: 70–85, as clean uploads vary.
pub fn clean_quality(seed: u64) -> u8 {
    70 + (seed % 16) as u8
}

fn bbox_of(r: [f32; 4], w: u32, h: u32) -> BBox {
    let x0 = r[0].floor().clamp(0.0, w as f32) as u32;
    let y0 = r[1].floor().clamp(0.0, h as f32) as u32;
    let x1 = r[2].ceil().clamp(0.0, w as f32) as u32;
    let y1 = r[3].ceil().clamp(0.0, h as f32) as u32;
    BBox::new(x0, y0, x1.saturating_sub(x0).max(1).min(w - x0.min(w - 1)), y1.saturating_sub(y0).max(1).min(h - y0.min(h - 1)))
}

/// Rectangles of a layout in a fixed order: lines, then fields.
fn rects(l: &Layout) -> (Vec<[f32; 4]>, Vec<String>) {
    let mut rs: Vec<[f32; 4]> = l.lines.iter().map(|ln| [ln.x, ln.top, ln.x + ln.width(), ln.top + ln.height]).collect();
    let mut keys = vec![];
    for k in l.fields.keys() {
        rs.push(l.field_box(k).expect("printed field has a box"));
        keys.push(k.clone());
    }
    (rs, keys)
}

/// Renders (and maybe degrades) one page; writes the image; returns its truth.
pub fn render_page(doc: &docs::PageDoc, dir: &Path) -> Result<PageTruth> {
    let (bytes, truth) = render_page_bytes(doc)?;
    let path = dir.join(&doc.file);
    std::fs::write(&path, bytes).with_context(|| path.display().to_string())?;
    Ok(truth)
}

/// Renders (and maybe degrades) one page: the encoded file and its truth.
pub fn render_page_bytes(doc: &docs::PageDoc) -> Result<(Vec<u8>, PageTruth)> {
    let (l, variant, font) = pages::layout(doc)?;
    let img = render::render(&l, doc.seed);
    let (mut rs, keys) = rects(&l);
    let (img, deg) = if doc.degraded {
        let mut rng = ChaCha8Rng::seed_from_u64(doc.seed ^ 0x5eed_deca);
        let (img, d) = render::degrade::degrade(img, &mut rs, &mut rng);
        (img, Some(d))
    } else {
        (img, None)
    };
    let mut f: Vec<u8> = Vec::new();
    if doc.file.ends_with(".png") {
        let enc = image::codecs::png::PngEncoder::new_with_quality(&mut f, image::codecs::png::CompressionType::Fast, image::codecs::png::FilterType::Sub);
        image::DynamicImage::ImageRgb8(img.clone()).write_with_encoder(enc)?;
    } else {
        // Clean pages are stored like a good scanner does (quality 90);
        // degraded ones at the drawn quality.
        let q = deg.as_ref().map(|d| d.jpeg_quality).unwrap_or(clean_quality(doc.seed));
        let mut enc = jpeg_encoder::Encoder::new(&mut f, q);
        enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
        // Not `set_optimized_huffman_tables(true)`: with 4:2:0 sampling the
        // `image` crate's decoder (zune-jpeg 0.5) reads those files as
        // stripes of garbage, so dajian could not read its own test pages.
        // Pinned by `rendered_pages_decode_as_they_were_drawn` below.
        enc.encode(img.as_raw(), img.width() as u16, img.height() as u16, jpeg_encoder::ColorType::Rgb)?;
    }
    let truth = page_truth(doc, &l, variant, font, img.width(), img.height(), &rs, &keys, deg);
    Ok((f, truth))
}

#[allow(clippy::too_many_arguments)]
fn page_truth(doc: &docs::PageDoc, l: &Layout, variant: String, font: fonts::FontId, w: u32, h: u32, rs: &[[f32; 4]], keys: &[String], deg: Option<truth::Degradation>) -> PageTruth {
    let n = l.lines.len();
    let lines = l.lines.iter().enumerate().map(|(i, ln)| LineTruth { text: ln.text.clone(), bbox: bbox_of(rs[i], w, h), role: ln.role }).collect();
    let fields = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let f = &l.fields[k];
            (k.clone(), FieldTruth { value: f.value.clone(), printed: f.printed.clone(), bbox: bbox_of(rs[n + i], w, h), spans: f.spans.clone() })
        })
        .collect();
    PageTruth {
        file: doc.file.clone(),
        kind: doc.kind,
        subject: doc.subject,
        declared: doc.declared,
        layout: variant,
        font: serde_json::to_value(font).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
        width: w,
        height: h,
        degradation: deg,
        fields,
        lines,
    }
}

/// The truth of a page without rendering: boxes are in the undegraded
/// layout's pixels.
pub fn page_truth_text(doc: &docs::PageDoc) -> Result<PageTruth> {
    let (l, variant, font) = pages::layout(doc)?;
    let (rs, keys) = rects(&l);
    Ok(page_truth(doc, &l, variant, font, l.width, l.height, &rs, &keys, None))
}

/// A page as text: printed lines and, per field, its value and spans.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextPage {
    pub kind: DocKind,
    pub subject: Option<Subject>,
    pub lines: Vec<String>,
    /// Each line's `[x0, y0, x1, y1]` in layout pixels, for arranging the
    /// lines the way OCR groups them.
    pub line_boxes: Vec<[f32; 4]>,
    /// Whether a line is seal text (OCR reads it partly or not at all).
    pub line_is_seal: Vec<bool>,
    pub fields: BTreeMap<String, TextField>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextField {
    pub value: serde_json::Value,
    pub spans: Vec<Span>,
}

/// Every page of a `n`-application world as text, without rendering.
/// Uses the same layout code as the images, so lines and spans agree with
/// the rendered truth.
pub fn pages_text(seed: u64, n: usize) -> Result<Vec<TextPage>> {
    let (_, cases) = world_and_apps(seed, n)?;
    let mut out = vec![];
    for c in &cases {
        for p in &c.pages {
            out.push(page_text(p)?);
        }
    }
    Ok(out)
}

pub fn page_text(doc: &docs::PageDoc) -> Result<TextPage> {
    let (l, _, _) = pages::layout(doc)?;
    Ok(TextPage {
        kind: doc.kind,
        subject: doc.subject,
        lines: l.lines.iter().map(|ln| ln.text.clone()).collect(),
        line_boxes: l.lines.iter().map(|ln| [ln.x, ln.top, ln.x + ln.width(), ln.top + ln.height]).collect(),
        line_is_seal: l.lines.iter().map(|ln| ln.role == layout::Role::Seal).collect(),
        fields: l.fields.iter().map(|(k, f)| (k.clone(), TextField { value: f.value.clone(), spans: f.spans.clone() })).collect(),
    })
}

/// A page's PDF versions (issue 26, [`render::pdf`]).
#[derive(Debug, Clone)]
pub struct PagePdfs {
    /// The page image's file name in the application folder (`…jpg`).
    pub file: String,
    /// The page image as the dataset writes it (maybe degraded).
    pub image: Vec<u8>,
    /// Its truth, as in `truth.json`.
    pub image_truth: PageTruth,
    /// The page's clean layout and seed, from which `digital` is made.
    pub layout: Layout,
    pub seed: u64,
    /// The image wrapped as a scanner's PDF at [`SCAN_DPI`] ([`scan_pdf_name`]).
    pub scan: Vec<u8>,
    /// The born-digital PDF of the clean layout ([`pdf_name`]).
    pub digital: Vec<u8>,
    /// The truth of `digital`: boxes in layout pixels, which are the PDF's
    /// pixels at 150 dpi (`file` is [`pdf_name`]).
    pub digital_truth: PageTruth,
}

/// Resolution the scanned PDFs state for their images: the layouts' own,
/// so an A4 page is A4.
pub const SCAN_DPI: f32 = render::pdf::LAYOUT_DPI;

fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// `tractor_licence.jpg` → `tractor_licence.pdf` (born digital).
pub fn pdf_name(file: &str) -> String {
    format!("{}.pdf", stem(file))
}

/// `tractor_licence.jpg` → `tractor_licence.scan.pdf` (the image wrapped).
pub fn scan_pdf_name(file: &str) -> String {
    format!("{}.scan.pdf", stem(file))
}

/// Renders one page and makes both of its PDFs, in memory.
pub fn page_pdfs(doc: &docs::PageDoc) -> Result<PagePdfs> {
    let (image, image_truth) = render_page_bytes(doc)?;
    let scan = render::pdf::scanned_pdf(&[render::pdf::ScannedPage::from_jpeg(&image, SCAN_DPI).with_context(|| doc.file.clone())?]);
    let (layout, digital, digital_truth) = born_digital(doc)?;
    Ok(PagePdfs { file: doc.file.clone(), image, image_truth, layout, seed: doc.seed, scan, digital, digital_truth })
}

/// One page's born-digital PDF of its clean layout, with its truth (boxes
/// in layout pixels, which are the PDF's at the dpi dajian renders it):
/// the layout, the PDF and the truth. No image is rendered.
pub fn born_digital(doc: &docs::PageDoc) -> Result<(Layout, Vec<u8>, PageTruth)> {
    let (layout, variant, font) = pages::layout(doc)?;
    let pdf = render::pdf::born_digital_pdf(&[(&layout, doc.seed)]).with_context(|| doc.file.clone())?;
    let (rs, keys) = rects(&layout);
    let mut truth = page_truth(doc, &layout, variant, font, layout.width, layout.height, &rs, &keys, None);
    truth.file = pdf_name(&doc.file);
    Ok((layout, pdf, truth))
}

/// Application `index` (0-based) of the set `p` describes (its seed, size,
/// pools and families; `out_dir` unused): each page's clean layout, as the
/// renderer and the born-digital PDF draw it.
pub fn app_layouts(p: &GenerateParams, index: usize) -> Result<Vec<(docs::PageDoc, Layout)>> {
    let (_, cases) = world_and_apps_with(p.seed, p.apps, p.pools, p.held_out_families)?;
    let c = cases.get(index).ok_or_else(|| anyhow::anyhow!("application {index} of a {}-application set", p.apps))?;
    c.pages.iter().map(|d| Ok((d.clone(), pages::layout(d)?.0))).collect()
}

/// Application `index` (0-based) of the set `p` describes, as PDFs in
/// memory: every page's ([`page_pdfs`]) and the whole application's,
/// born digital and scanned, one page per document in the form's order.
pub fn app_pdfs(p: &GenerateParams, index: usize) -> Result<AppPdfs> {
    let (_, cases) = world_and_apps_with(p.seed, p.apps, p.pools, p.held_out_families)?;
    let c = cases.get(index).ok_or_else(|| anyhow::anyhow!("application {index} of a {}-application set", p.apps))?;
    app_pdfs_of(c)
}

/// An application's PDFs (see [`app_pdfs`]).
#[derive(Debug, Clone)]
pub struct AppPdfs {
    pub application: String,
    pub pages: Vec<PagePdfs>,
    /// Every page, born digital, in one PDF (`application.pdf`).
    pub digital: Vec<u8>,
    /// Every page image in one scanned PDF (`application.scan.pdf`).
    pub scan: Vec<u8>,
}

fn app_pdfs_of(c: &apps::AppCase) -> Result<AppPdfs> {
    let pages = c.pages.iter().map(page_pdfs).collect::<Result<Vec<_>>>()?;
    let layouts: Vec<(&Layout, u64)> = pages.iter().map(|p| (&p.layout, p.seed)).collect();
    let digital = render::pdf::born_digital_pdf(&layouts)?;
    let scans = pages.iter().map(|p| render::pdf::ScannedPage::from_jpeg(&p.image, SCAN_DPI)).collect::<Result<Vec<_>>>()?;
    let scan = render::pdf::scanned_pdf(&scans);
    Ok(AppPdfs { application: c.name.clone(), pages, digital, scan })
}

/// Writes an application's images and PDFs into `dir`: each page's image
/// (as without PDFs), `<page>.scan.pdf` and `<page>.pdf`, then
/// `application.pdf`, `application.scan.pdf` and `truth.pdf.json` (the
/// truth of the born-digital PDFs). Returns the images' truth.
pub fn write_pdfs(c: &apps::AppCase, dir: &Path) -> Result<Vec<PageTruth>> {
    let a = app_pdfs_of(c)?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| path.display().to_string())
    };
    for p in &a.pages {
        write(&p.file, &p.image)?;
        write(&scan_pdf_name(&p.file), &p.scan)?;
        write(&pdf_name(&p.file), &p.digital)?;
    }
    write("application.pdf", &a.digital)?;
    write("application.scan.pdf", &a.scan)?;
    let t = AppTruth {
        application: c.name.clone(),
        defect: c.defect.as_ref().map(|d| d.1.clone()),
        expected: c.expected.clone(),
        pages: a.pages.iter().map(|p| p.digital_truth.clone()).collect(),
    };
    write_json(&dir.join("truth.pdf.json"), &t)?;
    Ok(a.pages.into_iter().map(|p| p.image_truth).collect())
}

fn write_json<T: Serialize>(path: &Path, v: &T) -> Result<()> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    std::fs::write(path, s).with_context(|| path.display().to_string())
}

/// Writes a dataset: `registry/*.jsonl`, `apps/app_NNNN/{application.json,
/// truth.json, pages…}` and `summary.json`.
pub fn generate(p: &GenerateParams) -> Result<Summary> {
    let (sim, cases) = world_and_apps_with(p.seed, p.apps, p.pools, p.held_out_families)?;
    let out = &p.out_dir;
    std::fs::create_dir_all(out)?;
    sim.world.write(&out.join("registry"))?;
    let apps_dir = out.join("apps");
    std::fs::create_dir_all(&apps_dir)?;
    if p.pdf && !p.render {
        anyhow::bail!("PDFs need the page images: rendering is off");
    }
    let results = dajian::par::map(&cases, p.threads, |c| write_app(c, &apps_dir, p.render, p.pdf));
    let mut sum = Summary { seed: p.seed, pools: p.pools, held_out_families: p.held_out_families, apps: cases.len(), ..Default::default() };
    for (c, r) in cases.iter().zip(results) {
        let t = r.with_context(|| c.name.clone())?;
        tally(&mut sum, &t);
    }
    let w = &sim.world;
    for (k, n) in [
        ("companies", w.companies.len()),
        ("persons", w.persons.len()),
        ("vehicles", w.vehicles.len()),
        ("road_nodes", w.nodes.len()),
        ("road_segments", w.segments.len()),
        ("structures", w.structures.len()),
    ] {
        sum.registry.insert(k.into(), n);
    }
    write_json(&out.join("summary.json"), &sum)?;
    Ok(sum)
}

fn write_app(c: &apps::AppCase, apps_dir: &Path, render: bool, pdf: bool) -> Result<AppTruth> {
    let dir = apps_dir.join(&c.name);
    std::fs::create_dir_all(&dir)?;
    write_json(&dir.join("application.json"), &c.form)?;
    let mut pages = vec![];
    if pdf {
        pages = write_pdfs(c, &dir)?;
    } else {
        for p in &c.pages {
            pages.push(if render { render_page(p, &dir)? } else { page_truth_text(p)? });
        }
    }
    let t = AppTruth { application: c.name.clone(), defect: c.defect.as_ref().map(|d| d.1.clone()), expected: c.expected.clone(), pages };
    write_json(&dir.join("truth.json"), &t)?;
    Ok(t)
}

fn tally(s: &mut Summary, t: &AppTruth) {
    *s.verdicts.entry(format!("{:?}", t.expected.verdict).to_lowercase()).or_default() += 1;
    *s.permit_classes.entry(t.expected.permit_class.to_string()).or_default() += 1;
    let auth = t.expected.authority.as_ref().map(|a| a.level.clone()).unwrap_or_else(|| "none".into());
    *s.authorities.entry(auth).or_default() += 1;
    match &t.defect {
        None => s.clean += 1,
        Some(d) => {
            *s.defects_by_check.entry(d.check.clone()).or_default() += 1;
            *s.defects_by_id.entry(d.id.clone()).or_default() += 1;
        }
    }
    for p in &t.pages {
        s.pages += 1;
        *s.pages_by_kind.entry(p.kind.key().to_string()).or_default() += 1;
        if !p.declared {
            s.undeclared_pages += 1;
        }
        if let Some(d) = &p.degradation {
            s.degraded_pages += 1;
            *s.degradations.entry(d.style.clone()).or_default() += 1;
            if d.rotation_quarter != 0 {
                *s.degradations.entry(format!("rotated_{}", d.rotation_quarter)).or_default() += 1;
            }
        } else {
            *s.degradations.entry("none".into()).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_pages_decode_as_they_were_drawn() {
        let (_, cases) = world_and_apps(5, 1).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for doc in cases[0].pages.iter().filter(|d| !d.degraded).take(3) {
            render_page(doc, dir.path()).unwrap();
            let (l, _, _) = pages::layout(doc).unwrap();
            let drawn = render::render(&l, doc.seed);
            let bytes = std::fs::read(dir.path().join(&doc.file)).unwrap();
            let page = dajian::ingest::decode_page(&bytes, &doc.file, &dajian::ingest::DecodeLimits::default()).unwrap();
            let read = page.image().to_rgb8();
            assert_eq!(read.dimensions(), drawn.dimensions());
            let diff = read.as_raw().iter().zip(drawn.as_raw()).map(|(&a, &b)| (a as f64 - b as f64).abs()).sum::<f64>()
                / drawn.as_raw().len() as f64;
            assert!(diff < 4.0, "{}: decoded image differs from the drawn one by {diff:.1} per channel", doc.file);
        }
    }
}
