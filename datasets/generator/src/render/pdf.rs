//! PDF versions of generated pages (issue 26), for testing dajian's PDF
//! input. Two kinds, as they come in real applications:
//!
//! * [`scanned_pdf`]: what a scanner or a "save as PDF" app writes, one
//!   page per image, each JPEG embedded byte for byte as a `DCTDecode`
//!   image filling the page; the page size follows from the pixel size and
//!   the stated resolution ([`ScannedPage::dpi`]).
//! * [`born_digital_pdf`]: an electronic licence as a PDF producer writes
//!   it. Every [`Op::Text`] is real text in an embedded, subset CID font
//!   (Type0, `Identity-H`, a `/W` array with the generator's own advances,
//!   a `ToUnicode` CMap), at the layout's position and size with one layout
//!   pixel = [`PT_PER_PX`] points (150 dpi, so an A4 layout of 1240 × 1754
//!   px is an A4 page). Fills, strokes, lines and ellipses are vector paths;
//!   the emblem, photo and security tints are small Flate images (with a
//!   soft mask where they are translucent) drawn in the layout's order;
//!   seals are images stamped last with the `Multiply` blend mode, like the
//!   raster renderer and like the electronic seals of real licences, so
//!   their curved text stays pixels.
//!
//! Fonts: the Noto faces have CFF outlines and are embedded as
//! `CIDFontType0` with `FontFile3 /CIDFontType0C` (the bare CFF table of
//! the `subsetter` subset, CID-keyed, CID = new glyph id); the Kai face has
//! TrueType outlines and is embedded as `CIDFontType2` with `FontFile2`
//! and `CIDToGIDMap /Identity`. Both are what Acrobat, poppler, pdf.js and
//! hayro read. A character whose font has no glyph (the ideographic space
//! U+3000, which the subsets lack and the raster draws as a blank advance)
//! is not shown: the pen moves by its advance in the `TJ` array.
//!
//! Output depends only on the input: no dates, no random file id.

use std::collections::{BTreeMap, BTreeSet};

use ab_glyph::{Font as _, PxScale, ScaleFont as _};
use anyhow::{Context as _, Result, anyhow, bail};
use image::RgbImage;
use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{BlendMode, CidFontType, FontFlags, LineCapStyle, LineJoinStyle, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::fonts::{self, FontId};
use crate::layout::{Layout, Op, Rgb};

/// The resolution a layout is drawn at: one layout pixel is 1/150 inch.
pub const LAYOUT_DPI: f32 = 150.0;
/// Points per layout pixel in a born-digital PDF.
pub const PT_PER_PX: f32 = 72.0 / LAYOUT_DPI;

const PRODUCER: &str = "dajian-datasets (synthetic documents, issue 26)";

/// One scanned page: a JPEG and the resolution it was scanned at.
#[derive(Debug, Clone)]
pub struct ScannedPage<'a> {
    pub jpeg: &'a [u8],
    pub width: u32,
    pub height: u32,
    /// 1 (grey) or 3 (colour) components, from the JPEG's frame header.
    pub components: u8,
    /// Pixels per inch; the page is `width / dpi` × `height / dpi` inches.
    pub dpi: f32,
}

impl<'a> ScannedPage<'a> {
    /// Reads the JPEG's frame header; fails on what is not a baseline or
    /// progressive JPEG with 1 or 3 components.
    pub fn from_jpeg(jpeg: &'a [u8], dpi: f32) -> Result<ScannedPage<'a>> {
        if !(dpi > 0.0) {
            bail!("dpi must be positive, got {dpi}");
        }
        let (width, height, components) = jpeg_frame(jpeg)?;
        if components != 1 && components != 3 {
            bail!("a JPEG with {components} components (only grey or colour are written)");
        }
        Ok(ScannedPage {
            jpeg,
            width,
            height,
            components,
            dpi,
        })
    }
}

/// (width, height, components) from a JPEG's SOF marker.
pub fn jpeg_frame(b: &[u8]) -> Result<(u32, u32, u8)> {
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        bail!("not a JPEG (no SOI marker)");
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            bail!("malformed JPEG: expected a marker at byte {i}");
        }
        let m = b[i + 1];
        if m == 0xFF {
            i += 1;
            continue;
        }
        if m == 0x01 || (0xD0..=0xD7).contains(&m) {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&m) && m != 0xC4 && m != 0xC8 && m != 0xCC {
            let s = b.get(i + 4..i + 10).ok_or_else(|| anyhow!("truncated JPEG frame header"))?;
            let h = u16::from_be_bytes([s[1], s[2]]) as u32;
            let w = u16::from_be_bytes([s[3], s[4]]) as u32;
            if w == 0 || h == 0 {
                bail!("JPEG frame of {w} × {h} pixels");
            }
            return Ok((w, h, s[5]));
        }
        if m == 0xDA || m == 0xD9 {
            break;
        }
        i += 2 + len;
    }
    bail!("JPEG without a frame header")
}

/// Hands out object numbers.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// How both writers begin a PDF 1.`minor`: refs 1–3 for the catalog, the
/// page tree and the document info, then `N` refs a page (its page object
/// first), and those three objects written. Returns the PDF, the refs for
/// the objects still to come, the tree and the pages' refs.
fn begin<const N: usize>(minor: u8, pages: usize, creator: Option<&str>) -> (Pdf, Refs, Ref, Vec<[Ref; N]>) {
    let mut pdf = Pdf::new();
    pdf.set_version(1, minor);
    let mut r = Refs(0);
    let catalog = r.next();
    let tree = r.next();
    let info = r.next();
    let ids: Vec<[Ref; N]> = (0..pages).map(|_| std::array::from_fn(|_| r.next())).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(ids.iter().map(|i| i[0])).count(pages as i32);
    let mut info = pdf.document_info(info);
    info.producer(TextStr(PRODUCER));
    if let Some(creator) = creator {
        info.creator(TextStr(creator));
    }
    info.finish();
    (pdf, r, tree, ids)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    compress_to_vec_zlib(data, 6)
}

/// A PDF as a scanner writes it: one page per JPEG, each embedded as it
/// is (`DCTDecode`, `DeviceGray` or `DeviceRGB`) and filling its page.
pub fn scanned_pdf(pages: &[ScannedPage]) -> Vec<u8> {
    let (mut pdf, _, tree, ids) = begin::<3>(4, pages.len(), None);
    for (p, &[page_id, content_id, image_id]) in pages.iter().zip(&ids) {
        let (w, h) = (p.width as f32 * 72.0 / p.dpi, p.height as f32 * 72.0 / p.dpi);
        let mut page = pdf.page(page_id);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, w, h)).contents(content_id);
        page.resources().x_objects().pair(Name(b"Im0"), image_id);
        page.finish();
        let mut image = pdf.image_xobject(image_id, p.jpeg);
        image.width(p.width as i32).height(p.height as i32).bits_per_component(8);
        image.filter(Filter::DctDecode);
        if p.components == 1 {
            image.color_space().device_gray();
        } else {
            image.color_space().device_rgb();
        }
        image.finish();
        let mut c = Content::new();
        c.save_state().transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(Name(b"Im0")).restore_state();
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

/// A font embedded in a born-digital PDF: the CID of every character it
/// shows (characters without a glyph have none).
struct Embedded {
    type0: Ref,
    cid: BTreeMap<char, u16>,
    /// Em size in layout pixels per pixel of the generator's `size` (which
    /// is ab_glyph's ascent-to-descent height, not the em).
    em_per_size: f32,
}

fn postscript_name(face: &ttf_parser::Face, fallback: &str) -> String {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .unwrap_or_else(|| fallback.to_string())
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Six capital letters naming a subset (`ABCDEF+Font`), from its glyphs.
fn subset_tag(name: &str, gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(gids.iter().flat_map(|g| g.to_be_bytes())) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6).map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char).collect()
}

fn embed_font(pdf: &mut Pdf, r: &mut Refs, id: FontId, chars: &BTreeSet<char>) -> Result<Embedded> {
    let data = fonts::bytes(id);
    let face = ttf_parser::Face::parse(data, 0).with_context(|| format!("{} does not parse", id.file()))?;
    let upem = face.units_per_em() as f32;
    // Glyphs shown, each once, in glyph order (so the subset is the same
    // whatever order the text came in).
    let mut by_gid: BTreeMap<u16, char> = BTreeMap::new();
    for &ch in chars {
        if let Some(g) = face.glyph_index(ch).filter(|g| g.0 != 0) {
            by_gid.entry(g.0).or_insert(ch);
        }
    }
    let mut remapper = subsetter::GlyphRemapper::new();
    for &g in by_gid.keys() {
        remapper.remap(g);
    }
    let gids: Vec<u16> = by_gid.keys().copied().collect();
    let sub = subsetter::subset(data, 0, &remapper).map_err(|e| anyhow!("subsetting {}: {e}", id.file()))?;
    let mut cid = BTreeMap::new();
    for &ch in chars {
        if let Some(g) = face.glyph_index(ch).filter(|g| g.0 != 0) {
            cid.insert(ch, remapper.get(g.0).expect("every shown glyph was remapped"));
        }
    }
    let cff = face.tables().cff.is_some();
    let base = format!(
        "{}+{}",
        subset_tag(id.file(), &gids),
        postscript_name(&face, id.file().split('.').next().unwrap_or("Font"))
    );

    let (type0, cid_font, descriptor, file, cmap) = (r.next(), r.next(), r.next(), r.next(), r.next());
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    // Advances in 1/1000 em, by CID, from the original font: the same
    // numbers `fonts::advances` scales.
    let widths: Vec<f32> = remapper
        .remapped_gids()
        .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0) as f32 * 1000.0 / upem)
        .collect();

    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(cmap);

    let mut cf = pdf.cid_font(cid_font);
    cf.subtype(if cff { CidFontType::Type0 } else { CidFontType::Type2 })
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor)
        .default_width(1000.0);
    cf.widths().consecutive(0, widths.iter().copied());
    if !cff {
        cf.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    cf.finish();

    let s = 1000.0 / upem;
    let bb = face.global_bounding_box();
    let ascent = face.ascender() as f32 * s;
    let descent = face.descender() as f32 * s;
    let cap = face.capital_height().map(|c| c as f32 * s).unwrap_or(ascent);
    let weight = face.weight().to_number() as f32;
    let mut flags = FontFlags::SYMBOLIC;
    if matches!(id, FontId::Serif) {
        flags |= FontFlags::SERIF;
    }
    if matches!(id, FontId::Kai) {
        flags |= FontFlags::SCRIPT;
    }
    let mut fd = pdf.font_descriptor(descriptor);
    fd.name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(bb.x_min as f32 * s, bb.y_min as f32 * s, bb.x_max as f32 * s, bb.y_max as f32 * s))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap)
        .stem_v(10.0 + 0.244 * (weight - 50.0));
    if cff {
        fd.font_file3(file)
    } else {
        fd.font_file2(file)
    };
    fd.finish();

    if cff {
        // The bare CFF table, as `FontFile3 /CIDFontType0C` wants it.
        let raw = ttf_parser::RawFace::parse(&sub, 0).map_err(|e| anyhow!("the subset of {} does not parse: {e}", id.file()))?;
        let table = raw
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .ok_or_else(|| anyhow!("the subset of {} has no CFF table", id.file()))?;
        let z = deflate(table);
        pdf.stream(file, &z).filter(Filter::FlateDecode).pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
    } else {
        let z = deflate(&sub);
        pdf.stream(file, &z).filter(Filter::FlateDecode).pair(Name(b"Length1"), sub.len() as i32);
    }

    let mut uc = pdf_writer::types::UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), system);
    // A glyph shared by two characters reads as the first of them.
    for (&g, &ch) in &by_gid {
        uc.pair(remapper.get(g).expect("remapped"), ch);
    }
    let z = deflate(&uc.finish());
    pdf.cmap(cmap, &z).filter(Filter::FlateDecode);

    let f = fonts::font(id);
    let em_per_size = f.units_per_em().unwrap_or(upem) * f.as_scaled(PxScale::from(1.0)).h_scale_factor();
    Ok(Embedded { type0, cid, em_per_size })
}

fn rgb(c: Rgb) -> (f32, f32, f32) {
    (c[0] as f32 / 255.0, c[1] as f32 / 255.0, c[2] as f32 / 255.0)
}

/// An image cut from a rendering of one op: where it goes (layout pixels),
/// its RGB samples and, when translucent, its alpha.
struct Patch {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

/// Renders `op` alone on a white and a black page and recovers colour and
/// coverage from the two (for ops drawn by blending over what is below).
/// `multiply`: only the white rendering, for an op stamped with Multiply.
fn patch(l: &Layout, op: &Op, seed: u64, multiply: bool) -> Option<Patch> {
    let canvas = |paper: Rgb| {
        let mut one = Layout::new(l.width, l.height, paper, BTreeMap::new());
        one.op(op.clone());
        super::render(&one, seed)
    };
    let white = canvas([255, 255, 255]);
    let black = if multiply { None } else { Some(canvas([0, 0, 0])) };
    let touched = |x: u32, y: u32| white.get_pixel(x, y).0 != [255, 255, 255] || black.as_ref().is_some_and(|b: &RgbImage| b.get_pixel(x, y).0 != [0, 0, 0]);
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in 0..l.height {
        for x in 0..l.width {
            if touched(x, y) {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    if x0 >= x1 {
        return None;
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    let mut alpha = Vec::with_capacity((w * h) as usize);
    for y in y0..y1 {
        for x in x0..x1 {
            let wp = white.get_pixel(x, y).0;
            match &black {
                None => out.extend_from_slice(&wp),
                Some(b) => {
                    let bp = b.get_pixel(x, y).0;
                    // Over a background v, a colour c at coverage a gives
                    // v(1-a) + ca: white minus black is 255(1-a).
                    let a = (0..3).map(|k| 255 - (wp[k] as i32 - bp[k] as i32).clamp(0, 255)).sum::<i32>() as f32 / 3.0;
                    alpha.push(a.round() as u8);
                    for k in 0..3 {
                        out.push(if a > 0.0 { (bp[k] as f32 * 255.0 / a).round().min(255.0) as u8 } else { 0 });
                    }
                }
            }
        }
    }
    let alpha = (!multiply && alpha.iter().any(|&a| a != 255)).then_some(alpha);
    Some(Patch {
        x: x0,
        y: y0,
        w,
        h,
        rgb: out,
        alpha,
    })
}

/// Writes a patch as an image XObject (and its soft mask); returns its ref.
fn write_patch(pdf: &mut Pdf, r: &mut Refs, p: &Patch) -> Ref {
    let id = r.next();
    let mask = p.alpha.as_ref().map(|a| (r.next(), deflate(a)));
    let z = deflate(&p.rgb);
    let mut im = pdf.image_xobject(id, &z);
    im.width(p.w as i32).height(p.h as i32).bits_per_component(8);
    im.filter(Filter::FlateDecode);
    im.color_space().device_rgb();
    if let Some((m, _)) = &mask {
        im.s_mask(*m);
    }
    im.finish();
    if let Some((m, z)) = &mask {
        let mut sm = pdf.image_xobject(*m, z);
        sm.width(p.w as i32).height(p.h as i32).bits_per_component(8);
        sm.filter(Filter::FlateDecode);
        sm.color_space().device_gray();
        sm.finish();
    }
    id
}

/// An electronic licence as a PDF producer writes it: one page per
/// layout, each with the seed its raster page was rendered with (the
/// seal's ink speckles depend on it). See the module docs for what is
/// vector, what is text and what is an image.
pub fn born_digital_pdf(pages: &[(&Layout, u64)]) -> Result<Vec<u8>> {
    let (mut pdf, mut r, tree, page_ids) = begin::<2>(7, pages.len(), Some("dajian-datasets electronic licence"));

    // One subset per font for the whole document.
    let mut used: BTreeMap<FontId, BTreeSet<char>> = BTreeMap::new();
    for (l, _) in pages {
        for op in &l.ops {
            if let Op::Text { font, text, .. } = op {
                used.entry(*font).or_default().extend(text.chars());
            }
        }
    }
    let mut embedded = BTreeMap::new();
    for (id, chars) in &used {
        embedded.insert(*id, embed_font(&mut pdf, &mut r, *id, chars)?);
    }
    let font_name = |id: FontId| format!("F{}", id as usize);
    let multiply = r.next();
    pdf.ext_graphics(multiply).blend_mode(BlendMode::Multiply);

    for (&(l, seed), &[page_id, content_id]) in pages.iter().zip(&page_ids) {
        let hh = l.height as f32;
        let mut c = Content::new();
        // Layout pixels from here on; y is flipped by hand (y' = H - y) so
        // text matrices stay upright for extractors.
        c.transform([PT_PER_PX, 0.0, 0.0, PT_PER_PX, 0.0, 0.0]);
        let (pr, pg, pb) = rgb(l.paper);
        c.set_fill_rgb(pr, pg, pb).rect(0.0, 0.0, l.width as f32, hh).fill_nonzero();
        let mut images: Vec<(String, Ref)> = vec![];
        let mut seals: Vec<Patch> = vec![];
        let mut place = |c: &mut Content, pdf: &mut Pdf, r: &mut Refs, p: &Patch| {
            let name = format!("Im{}", images.len());
            images.push((name.clone(), write_patch(pdf, r, p)));
            c.save_state()
                .transform([p.w as f32, 0.0, 0.0, p.h as f32, p.x as f32, hh - p.y as f32 - p.h as f32])
                .x_object(Name(name.as_bytes()))
                .restore_state();
        };
        for op in &l.ops {
            match op {
                Op::Fill { x, y, w, h, color } => {
                    // As the raster does: edges on whole pixels.
                    let (x0, y0, x1, y1) = (x.round(), y.round(), (x + w).round(), (y + h).round());
                    let (cr, cg, cb) = rgb(*color);
                    c.set_fill_rgb(cr, cg, cb).rect(x0, hh - y1, x1 - x0, y1 - y0).fill_nonzero();
                }
                Op::Stroke { x, y, w, h, width, color } => {
                    let (cr, cg, cb) = rgb(*color);
                    c.set_stroke_rgb(cr, cg, cb)
                        .set_line_width(*width)
                        .set_line_join(LineJoinStyle::RoundJoin)
                        .rect(*x, hh - y - h, *w, *h)
                        .stroke();
                }
                Op::Line { x0, y0, x1, y1, width, color } => {
                    let (cr, cg, cb) = rgb(*color);
                    c.set_stroke_rgb(cr, cg, cb)
                        .set_line_width(*width)
                        .set_line_cap(LineCapStyle::RoundCap)
                        .move_to(*x0, hh - y0)
                        .line_to(*x1, hh - y1)
                        .stroke();
                }
                Op::Ellipse { cx, cy, rx, ry, width, color } => {
                    let (cr, cg, cb) = rgb(*color);
                    let k = 0.552_284_8;
                    let (x, y) = (*cx, hh - cy);
                    c.set_stroke_rgb(cr, cg, cb).set_line_width(*width).move_to(x + rx, y);
                    c.cubic_to(x + rx, y + k * ry, x + k * rx, y + ry, x, y + ry);
                    c.cubic_to(x - k * rx, y + ry, x - rx, y + k * ry, x - rx, y);
                    c.cubic_to(x - rx, y - k * ry, x - k * rx, y - ry, x, y - ry);
                    c.cubic_to(x + k * rx, y - ry, x + rx, y - k * ry, x + rx, y);
                    c.close_path().stroke();
                }
                Op::Text {
                    font,
                    size,
                    color,
                    x,
                    baseline,
                    text,
                } => {
                    let e = &embedded[font];
                    let em = size * e.em_per_size;
                    let adv = fonts::advances(*font, *size, text);
                    let (cr, cg, cb) = rgb(*color);
                    c.set_fill_rgb(cr, cg, cb).begin_text();
                    let name = font_name(*font);
                    c.set_font(Name(name.as_bytes()), em).set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, hh - baseline]);
                    {
                        let mut tj = c.show_positioned();
                        let mut items = tj.items();
                        let mut run: Vec<u8> = vec![];
                        for (ch, a) in text.chars().zip(&adv) {
                            match e.cid.get(&ch) {
                                Some(cid) => run.extend_from_slice(&cid.to_be_bytes()),
                                None => {
                                    if !run.is_empty() {
                                        items.show(Str(&run));
                                        run.clear();
                                    }
                                    items.adjust(-a * 1000.0 / em);
                                }
                            }
                        }
                        if !run.is_empty() {
                            items.show(Str(&run));
                        }
                    }
                    c.end_text();
                }
                Op::Emblem { .. } | Op::Photo { .. } | Op::Tint { .. } => {
                    if let Some(p) = patch(l, op, seed, false) {
                        place(&mut c, &mut pdf, &mut r, &p);
                    }
                }
                // Stamped last, over the text, as the raster does.
                Op::Seal { .. } => {
                    if let Some(p) = patch(l, op, seed, true) {
                        seals.push(p);
                    }
                }
            }
        }
        if !seals.is_empty() {
            c.save_state().set_parameters(Name(b"GSm"));
            for p in &seals {
                place(&mut c, &mut pdf, &mut r, p);
            }
            c.restore_state();
        }
        let z = deflate(&c.finish());
        pdf.stream(content_id, &z).filter(Filter::FlateDecode);
        let mut page = pdf.page(page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, l.width as f32 * PT_PER_PX, hh * PT_PER_PX))
            .contents(content_id);
        let mut res = page.resources();
        {
            let mut fs = res.fonts();
            for (id, e) in &embedded {
                fs.pair(Name(font_name(*id).as_bytes()), e.type0);
            }
        }
        {
            let mut xs = res.x_objects();
            for (n, id) in &images {
                xs.pair(Name(n.as_bytes()), *id);
            }
        }
        res.ext_g_states().pair(Name(b"GSm"), multiply);
        res.finish();
        page.finish();
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayro::hayro_interpret::font::{Glyph, GlyphRun};
    use hayro::hayro_interpret::hayro_syntax::Pdf as Parsed;
    use hayro::hayro_interpret::util::TransformExt;
    use hayro::hayro_interpret::{
        BlendMode as Bm, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
    };
    use hayro::kurbo::{Affine, BezPath, Point};

    /// What hayro's interpreter sees on a page: visible characters with
    /// their pen origin (layout pixels) and the raw streams of images.
    #[derive(Default)]
    struct Seen {
        chars: Vec<(char, f64, f64)>,
        images: Vec<Vec<u8>>,
    }

    impl<'a> Device<'a> for Seen {
        fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
        fn push_clip_path(&mut self, _: &ClipPath) {}
        fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: Bm) {}
        fn pop_clip(&mut self) {}
        fn pop_transparency_group(&mut self) {}
        fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
            assert!(!matches!(mode, DrawMode::Invisible), "text is visible");
            for g in run.glyphs() {
                assert!(matches!(&**g, Glyph::Outline(_)), "an outline font");
                let s = g.as_unicode().map(|u| match u {
                    hayro::hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
                    hayro::hayro_interpret::hayro_cmap::BfString::String(s) => s,
                });
                let o = props.transform * g.transform() * Point::new(0.0, 0.0);
                for c in s.expect("every glyph maps to Unicode").chars() {
                    self.chars.push((c, o.x, o.y));
                }
            }
        }
        fn draw_image(&mut self, image: Image<'a, '_>, _: ImageDrawProps<'a>) {
            if let Image::Raster(r) = image {
                self.images.push(r.stream().raw_data().into_owned());
            }
        }
    }

    /// Every page of `pdf` interpreted at 150 dpi (one unit = one layout pixel).
    fn interpret(pdf: &[u8]) -> Vec<(Seen, (f32, f32))> {
        let parsed = Parsed::new(pdf.to_vec()).expect("the PDF parses");
        let cache = InterpreterCache::new();
        let scale = LAYOUT_DPI / 72.0;
        parsed
            .pages()
            .iter()
            .map(|page| {
                let (pw, ph) = page.render_dimensions();
                let t = Affine::scale(f64::from(scale)) * page.initial_transform(true).to_kurbo();
                let target = hayro::kurbo::Rect::new(0.0, 0.0, f64::from(pw * scale), f64::from(ph * scale));
                let mut ctx = Context::new(t, target, &cache, page.xref(), InterpreterSettings::default());
                let mut seen = Seen::default();
                interpret_page(page, &mut ctx, &mut seen);
                (seen, (pw, ph))
            })
            .collect()
    }

    fn world_pages(seed: u64, apps: usize) -> Vec<crate::docs::PageDoc> {
        let (_, cases) = crate::world_and_apps(seed, apps).unwrap();
        cases.into_iter().flat_map(|c| c.pages).collect()
    }

    #[test]
    fn a_scanned_pdf_holds_each_jpeg_byte_for_byte_on_a_page_of_its_size() {
        let docs = world_pages(5, 1);
        let clean = docs.iter().find(|d| !d.degraded).unwrap();
        let degraded = docs.iter().find(|d| d.degraded).unwrap();
        let jpegs: Vec<Vec<u8>> = [clean, degraded].iter().map(|d| crate::render_page_bytes(d).unwrap().0).collect();
        let mut grey = Vec::new();
        jpeg_encoder::Encoder::new(&mut grey, 80)
            .encode(&[128u8; 64 * 48], 64, 48, jpeg_encoder::ColorType::Luma)
            .unwrap();
        let pages = vec![
            ScannedPage::from_jpeg(&jpegs[0], 150.0).unwrap(),
            ScannedPage::from_jpeg(&jpegs[1], 200.0).unwrap(),
            ScannedPage::from_jpeg(&grey, 150.0).unwrap(),
        ];
        assert_eq!(pages[2].components, 1);
        assert_eq!(pages[0].components, 3);
        let pdf = scanned_pdf(&pages);
        let seen = interpret(&pdf);
        assert_eq!(seen.len(), 3);
        for (p, (s, (pw, ph))) in pages.iter().zip(&seen) {
            let img = image::load_from_memory(p.jpeg).unwrap();
            assert_eq!((p.width, p.height), (img.width(), img.height()));
            assert!(
                (pw - p.width as f32 * 72.0 / p.dpi).abs() < 0.01 && (ph - p.height as f32 * 72.0 / p.dpi).abs() < 0.01,
                "{pw} × {ph} pt"
            );
            assert!(s.chars.is_empty());
            assert_eq!(s.images.len(), 1);
            assert!(s.images[0] == p.jpeg, "the JPEG is embedded unchanged");
        }
        assert!(pdf.windows(jpegs[1].len()).any(|w| w == jpegs[1].as_slice()));
        assert!(ScannedPage::from_jpeg(b"\x89PNG....", 150.0).is_err());
        assert!(ScannedPage::from_jpeg(&jpegs[0], 0.0).is_err());
    }

    /// Pages whose text between them uses all four fonts.
    fn pages_with_every_font() -> Vec<(crate::docs::PageDoc, Layout)> {
        let mut out = vec![];
        let mut fonts = BTreeSet::new();
        for d in world_pages(7, 3) {
            let (l, _, _) = crate::pages::layout(&d).unwrap();
            let new: BTreeSet<FontId> = l
                .ops
                .iter()
                .filter_map(|o| if let Op::Text { font, .. } = o { Some(*font) } else { None })
                .filter(|f| !fonts.contains(f))
                .collect();
            if !new.is_empty() {
                fonts.extend(new);
                out.push((d, l));
            }
        }
        assert_eq!(fonts.len(), 4, "{fonts:?}");
        out
    }

    #[test]
    fn born_digital_text_extracts_as_the_layouts_text_at_the_layouts_pen_positions() {
        let pages = pages_with_every_font();
        let input: Vec<(&Layout, u64)> = pages.iter().map(|(d, l)| (l, d.seed)).collect();
        let pdf = born_digital_pdf(&input).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        for key in [
            "/Type0",
            "/Identity-H",
            "/ToUnicode",
            "/CIDFontType0C",
            "/FontFile3",
            "/FontFile2",
            "/CIDToGIDMap /Identity",
        ] {
            assert!(text.contains(key), "{key}");
        }
        // Subsets: the four font files are 13 MB.
        assert!(pdf.len() < 1_500_000, "{} bytes", pdf.len());
        let seen = interpret(&pdf);
        assert_eq!(seen.len(), pages.len());
        for ((d, l), (s, (pw, ph))) in pages.iter().zip(&seen) {
            assert!((pw - l.width as f32 * PT_PER_PX).abs() < 0.01 && (ph - l.height as f32 * PT_PER_PX).abs() < 0.01);
            let mut want = vec![];
            for op in &l.ops {
                if let Op::Text {
                    font, size, x, baseline, text, ..
                } = op
                {
                    let mut pen = *x;
                    for (c, a) in text.chars().zip(fonts::advances(*font, *size, text)) {
                        // The ideographic space has no glyph: a blank advance.
                        if c != '\u{3000}' {
                            want.push((c, pen, *baseline));
                        }
                        pen += a;
                    }
                }
            }
            let got: String = s.chars.iter().map(|c| c.0).collect();
            let want_text: String = want.iter().map(|c| c.0).collect();
            assert_eq!(got, want_text, "{}", d.file);
            for (g, w) in s.chars.iter().zip(&want) {
                assert!(
                    (g.1 - w.1 as f64).abs() < 0.05 && (g.2 - w.2 as f64).abs() < 0.05,
                    "{}: '{}' at ({:.2}, {:.2}), drawn at ({:.2}, {:.2})",
                    d.file,
                    g.0,
                    g.1,
                    g.2,
                    w.1,
                    w.2
                );
            }
        }
    }

    #[test]
    fn a_born_digital_page_rendered_by_hayro_looks_like_the_raster_page() {
        // One page of every kind (seals, emblem, photo, tints, ellipses,
        // tables) and the pages that use all four fonts.
        let mut pages = pages_with_every_font();
        let mut kinds = BTreeSet::new();
        for d in world_pages(3, 3) {
            if kinds.insert(d.kind) {
                let l = crate::pages::layout(&d).unwrap().0;
                pages.push((d, l));
            }
        }
        assert!(kinds.len() >= 10, "{kinds:?}");
        // DAJIAN_PDF_PREVIEW=DIR writes each PDF and both renderings there.
        let preview = std::env::var_os("DAJIAN_PDF_PREVIEW").map(std::path::PathBuf::from);
        for (d, l) in &pages {
            let pdf = born_digital_pdf(&[(l, d.seed)]).unwrap();
            let parsed = Parsed::new(pdf.clone()).unwrap();
            let page = &parsed.pages()[0];
            let scale = LAYOUT_DPI / 72.0;
            let pix = hayro::render(
                page,
                &hayro::RenderCache::new(),
                &InterpreterSettings::default(),
                &hayro::RenderSettings {
                    hinting: false,
                    ..Default::default()
                },
                &hayro::PixmapSettings {
                    x_scale: scale,
                    y_scale: scale,
                    bg_color: hayro::vello_cpu::color::palette::css::WHITE,
                },
            );
            let got = RgbImage::from_raw(
                pix.width() as u32,
                pix.height() as u32,
                pix.data_as_u8_slice().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
            )
            .unwrap();
            let want = super::super::render(l, d.seed);
            // hayro truncates the pixel size (595.2 pt × 150/72 may come out
            // a hair under 1240): at most a pixel off.
            let (w, h) = want.dimensions();
            assert!(
                got.width().abs_diff(w) <= 1 && got.height().abs_diff(h) <= 1,
                "{}: {:?} against {:?}",
                d.file,
                got.dimensions(),
                want.dimensions()
            );
            let got = image::imageops::crop_imm(&got, 0, 0, w.min(got.width()), h.min(got.height())).to_image();
            let want = image::imageops::crop_imm(&want, 0, 0, got.width(), got.height()).to_image();
            let diff = got.as_raw().iter().zip(want.as_raw()).map(|(&a, &b)| (a as f64 - b as f64).abs()).sum::<f64>() / want.as_raw().len() as f64;
            // Nothing missing or misplaced: 8 × 8 blocks agree (a glyph's
            // antialiasing differs between the rasterisers, a missing seal,
            // emblem or line does not average out).
            let block = |i: &RgbImage, bx: u32, by: u32| {
                let mut sum = 0u32;
                for y in by * 8..(by * 8 + 8).min(i.height()) {
                    for x in bx * 8..(bx * 8 + 8).min(i.width()) {
                        sum += i.get_pixel(x, y).0.iter().map(|&v| v as u32).sum::<u32>();
                    }
                }
                sum as f64 / 192.0
            };
            let mut worst = (0.0f64, 0, 0);
            for by in 0..got.height() / 8 {
                for bx in 0..got.width() / 8 {
                    let dd = (block(&got, bx, by) - block(&want, bx, by)).abs();
                    if dd > worst.0 {
                        worst = (dd, bx * 8, by * 8);
                    }
                }
            }
            if let Some(dir) = &preview {
                std::fs::create_dir_all(dir).unwrap();
                got.save(dir.join(format!("{}.pdf.png", d.file))).unwrap();
                want.save(dir.join(format!("{}.raster.png", d.file))).unwrap();
                std::fs::write(dir.join(crate::pdf_name(&d.file)), &pdf).unwrap();
            }
            eprintln!(
                "{}: mean difference {diff:.2} per channel, worst 8 × 8 block {:.1} at ({}, {})",
                d.file, worst.0, worst.1, worst.2
            );
            assert!(diff < 2.0, "{}: the PDF renders {diff:.2} per channel away from the raster", d.file);
            assert!(
                worst.0 < 40.0,
                "{}: the 8 × 8 block at ({}, {}) differs by {:.1}",
                d.file,
                worst.1,
                worst.2,
                worst.0
            );
        }
    }
}
