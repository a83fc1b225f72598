//! Training pages as the OCR really read them (`dajian train ocr-samples`).
//!
//! Simulated noise ([`super::train::ocr_view`]) misses what the OCR really
//! does: characters under a seal lost, a label and its value read as one
//! box, a line cut in two, seal text read into a row. So synthetic pages
//! are rendered (degraded ones too), read by the real OCR stage, and the
//! printed field values are located in the OCR text: each printed line
//! that holds a value is aligned (edit distance, best substring) to the
//! OCR characters whose boxes lie on that line's box in the rendered image.
//! A page is kept only if every such line is found: a value left untagged
//! would teach the model to ignore it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::train::Sample;
use crate::TextPage;
use dajian::document::DocKind;
use dajian::extract::layout::Box4;
use dajian::types::BBox;

/// One page's OCR text and where its field values are in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrSample {
    pub kind: DocKind,
    /// The OCR text, lines joined by `\n` (what the extractor reads).
    pub text: String,
    /// `(field, start, end)` in characters of `text`; each starts a `B-`.
    pub spans: Vec<(String, usize, usize)>,
    /// Each character's box as the model reads it
    /// ([`dajian::extract::layout::page_boxes`]), in runs of one box:
    /// `(start, end, box)` in characters of `text`; characters in no run
    /// (separators) have none. Empty in samples made before the model
    /// read boxes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layout: Vec<(usize, usize, Box4)>,
}

impl OcrSample {
    /// The sample as tagged characters; fields missing from `labels` stay `O`.
    pub fn to_sample(&self, label_index: &HashMap<String, u32>) -> Sample {
        let chars: Vec<char> = self.text.chars().collect();
        let mut tags = vec![0u32; chars.len()];
        for (key, start, end) in &self.spans {
            let (Some(&b), Some(&i)) = (label_index.get(&format!("B-{key}")), label_index.get(&format!("I-{key}"))) else { continue };
            for (j, t) in tags.iter_mut().enumerate().take((*end).min(chars.len())).skip(*start) {
                // A value wrapped onto the next OCR line: the line break stays O.
                if chars[j] != '\n' {
                    *t = if j == *start { b } else { i };
                }
            }
        }
        let mut boxes = vec![[0; 4]; chars.len()];
        for &(start, end, b) in &self.layout {
            boxes[start.min(chars.len())..end.min(chars.len())].fill(b);
        }
        Sample { chars, tags, boxes, kind: self.kind }
    }
}

/// Boxes per character as runs of one box, separators (`[0; 4]`) left out.
pub fn layout_runs(boxes: &[Box4]) -> Vec<(usize, usize, Box4)> {
    let mut runs: Vec<(usize, usize, Box4)> = vec![];
    for (i, &b) in boxes.iter().enumerate() {
        match runs.last_mut() {
            Some(r) if r.1 == i && r.2 == b => r.1 += 1,
            _ if b == [0; 4] => {}
            _ => runs.push((i, i + 1, b)),
        }
    }
    runs
}

/// Why a page could not be used: a printed line holding a value is not in
/// the OCR text on its box (too many errors, or not read at all).
#[derive(Debug, Clone, PartialEq)]
pub struct Unaligned {
    pub line: String,
}

/// Edit costs: a space is layout (the OCR puts one between boxes, or not),
/// so inserting or dropping one is cheap.
fn indel_cost(c: char) -> f32 {
    if c == ' ' { 0.25 } else { 1.0 }
}

/// The best match of `line` as a substring of `text`: its cost, and for
/// each character of `line` the position in `text` it was matched or
/// substituted to (`None`: dropped by the OCR). Ties go to the earliest end.
fn best_substring(line: &[char], text: &[char]) -> (f32, Vec<Option<usize>>) {
    let (n, m) = (line.len(), text.len());
    // d[i][j]: cost of line[..i] ending at text[..j]; a free start anywhere.
    let mut d = vec![vec![0f32; m + 1]; n + 1];
    for i in 1..=n {
        d[i][0] = d[i - 1][0] + indel_cost(line[i - 1]);
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + if line[i - 1] == text[j - 1] { 0.0 } else { 1.0 };
            let del = d[i - 1][j] + indel_cost(line[i - 1]);
            let ins = d[i][j - 1] + indel_cost(text[j - 1]);
            d[i][j] = sub.min(del).min(ins);
        }
    }
    let ends: Vec<f32> = d[n].clone();
    let end = (0..=m).min_by(|&a, &b| ends[a].total_cmp(&ends[b])).unwrap_or(0);
    // Trace back from (n, end).
    let mut map = vec![None; n];
    let (mut i, mut j) = (n, end);
    while i > 0 {
        if j > 0 {
            let same = if line[i - 1] == text[j - 1] { 0.0 } else { 1.0 };
            if (d[i][j] - (d[i - 1][j - 1] + same)).abs() < 1e-4 {
                map[i - 1] = Some(j - 1);
                i -= 1;
                j -= 1;
                continue;
            }
            if (d[i][j] - (d[i][j - 1] + indel_cost(text[j - 1]))).abs() < 1e-4 {
                j -= 1;
                continue;
            }
        }
        i -= 1;
    }
    (ends[end], map)
}

/// The OCR text of a page as the extractor reads it (lines joined by
/// `\n`), each character with its box (none for the line breaks).
pub fn ocr_chars(page: &dajian::ocr::PageText) -> Vec<(char, Option<BBox>)> {
    page.chars().into_iter().map(|c| c.map_or(('\n', None), |c| (c.ch, Some(c.bbox)))).collect()
}

/// Where the page's field values are in the OCR text `ocr`, given each
/// printed line's box in the image (`line_boxes`, as the page's truth
/// gives them), or the first value line that cannot be placed.
pub fn align(page: &TextPage, line_boxes: &[BBox], ocr: &[(char, Option<BBox>)]) -> Result<Vec<(String, usize, usize)>, Unaligned> {
    let mut by_line: HashMap<usize, Vec<(&str, usize, usize)>> = HashMap::new();
    for (key, f) in &page.fields {
        for s in &f.spans {
            by_line.entry(s.line).or_default().push((key, s.start, s.end));
        }
    }
    let mut out = vec![];
    let mut lines: Vec<_> = by_line.into_iter().collect();
    lines.sort_by_key(|(l, _)| *l);
    for (l, spans) in lines {
        let line: Vec<char> = page.lines[l].chars().collect();
        let not_found = || Unaligned { line: page.lines[l].clone() };
        // OCR characters on this line's box (grown by half its thickness:
        // degraded pages are skewed and boxes approximate).
        let b = line_boxes.get(l).copied().ok_or_else(not_found)?;
        let grow = b.w.min(b.h) as f32 / 2.0;
        let on_line = |c: &BBox| {
            let (cx, cy) = (c.x as f32 + c.w as f32 / 2.0, c.y as f32 + c.h as f32 / 2.0);
            cx >= b.x as f32 - grow && cx <= (b.x + b.w) as f32 + grow && cy >= b.y as f32 - grow && cy <= (b.y + b.h) as f32 + grow
        };
        let near: Vec<usize> = (0..ocr.len()).filter(|&i| ocr[i].1.as_ref().is_some_and(on_line)).collect();
        let text: Vec<char> = near.iter().map(|&i| ocr[i].0).collect();
        let weight: f32 = line.iter().map(|&c| indel_cost(c)).sum();
        let (cost, map) = best_substring(&line, &text);
        if cost > 0.25 * weight || !map.iter().any(Option::is_some) {
            return Err(not_found());
        }
        for (key, s, e) in spans {
            // A value character aligned to an OCR space (its own character
            // lost) does not make the space part of the value.
            let got: Vec<usize> = map[s..e.min(map.len())].iter().flatten().map(|&j| near[j]).filter(|&i| !ocr[i].0.is_whitespace()).collect();
            // The whole value lost to the OCR: nothing to tag.
            if let (Some(&a), Some(&z)) = (got.first(), got.last()) {
                out.push((key.to_string(), a, z + 1));
            }
        }
    }
    out.sort_by_key(|s| s.1);
    Ok(out)
}

/// Counts of a collection run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Collected {
    pub pages: usize,
    pub kept: usize,
    /// Pages left out: a value's line not found in the OCR text.
    pub not_found: usize,
    pub unreadable: usize,
}

/// Renders the pages of `apps` applications of world `seed`, reads them
/// with `ocr` on `threads` threads and aligns the truth. Pages that cannot
/// be aligned are counted and left out.
///
/// `born_digital`: instead of rendering an image, make each page's
/// born-digital PDF (`render::pdf::born_digital_pdf`, as `dataset generate
/// --pdf` does) and read its text as dajian reads a PDF's: no OCR noise,
/// boxes from the glyphs' em squares.
///
/// `family`: read only the pages whose kind has this layout family, drawn
/// in it (to add OCR readings of a family new to training).
pub fn collect(seed: u64, apps: usize, ocr: &dajian::ocr::OcrEngine, threads: usize, born_digital: bool, family: Option<&str>, progress: impl Fn(usize, usize) + Sync) -> anyhow::Result<(Vec<OcrSample>, Collected)> {
    let (_, cases) = crate::world_and_apps(seed, apps)?;
    let mut docs: Vec<_> = cases.iter().flat_map(|c| c.pages.iter()).cloned().collect();
    if let Some(name) = family {
        let kinds: Vec<_> = crate::pages::families().into_iter().filter(|f| f.1 == name).map(|f| f.0).collect();
        anyhow::ensure!(!kinds.is_empty(), "no kind has a layout family '{name}' (see `dajian-datasets dataset families`)");
        docs.retain(|d| kinds.contains(&d.kind));
        docs.iter_mut().for_each(|d| d.x("family", name));
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = dajian::par::map(&docs, threads, |doc| -> anyhow::Result<Option<Result<OcrSample, Unaligned>>> {
        let text_page = crate::page_text(doc)?;
        let (bytes, truth) = if born_digital {
            let (_, pdf, truth) = crate::born_digital(doc)?;
            (pdf, truth)
        } else {
            crate::render_page_bytes(doc)?
        };
        let boxes: Vec<BBox> = truth.lines.iter().map(|l| l.bbox).collect();
        let page = dajian::ingest::decode_page(&bytes, &doc.file, &dajian::ingest::DecodeLimits::default())?;
        let read = ocr.read(&page);
        progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, docs.len());
        let Ok(read) = read else { return Ok(None) };
        let chars = ocr_chars(&read);
        let layout = layout_runs(&dajian::extract::layout::page_boxes(&read));
        Ok(Some(align(&text_page, &boxes, &chars).map(|spans| OcrSample { kind: doc.kind, text: chars.iter().map(|c| c.0).collect(), spans, layout })))
    });
    let mut c = Collected { pages: docs.len(), ..Default::default() };
    let mut out = vec![];
    for r in results {
        match r? {
            None => c.unreadable += 1,
            Some(Ok(s)) => out.push(s),
            Some(Err(Unaligned { line })) => {
                tracing::debug!("left out: value line {line:?} not found in the OCR text");
                c.not_found += 1
            }
        }
    }
    c.kept = out.len();
    Ok((out, c))
}

/// Reads a JSON-lines file of samples; a bad line is named.
pub fn read_jsonl(path: &std::path::Path) -> anyhow::Result<Vec<OcrSample>> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).with_context(|| format!("{}:{}", path.display(), i + 1)))
        .collect()
}

pub fn write_jsonl(path: &std::path::Path, samples: &[OcrSample]) -> anyhow::Result<()> {
    use anyhow::Context;
    let mut s = String::new();
    for x in samples {
        s.push_str(&serde_json::to_string(x)?);
        s.push('\n');
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, s).with_context(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextField;
    use crate::layout::Span;

    fn page(lines: &[&str], fields: &[(&str, usize, usize, usize)]) -> TextPage {
        TextPage {
            kind: DocKind::VehicleLicence,
            subject: None,
            lines: lines.iter().map(|s| s.to_string()).collect(),
            line_boxes: vec![[0.0; 4]; lines.len()],
            line_is_seal: vec![false; lines.len()],
            fields: fields
                .iter()
                .map(|&(k, line, start, end)| (k.to_string(), TextField { value: serde_json::Value::Null, spans: vec![Span { line, start, end }] }))
                .collect(),
        }
    }

    fn spanned(text: &str, spans: &[(String, usize, usize)]) -> Vec<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        spans.iter().map(|(k, a, b)| (k.clone(), chars[*a..*b].iter().collect())).collect()
    }

    /// OCR text laid out one row per line, 20 px a character, 30 px a row.
    fn read(rows: &[&str]) -> Vec<(char, Option<BBox>)> {
        let mut out = vec![];
        for (r, row) in rows.iter().enumerate() {
            if r > 0 {
                out.push(('\n', None));
            }
            out.extend(row.chars().enumerate().map(|(i, c)| (c, Some(BBox::new(20 * i as u32, 30 * r as u32, 20, 24)))));
        }
        out
    }

    fn row_box(row: u32, chars: u32) -> BBox {
        BBox::new(0, 30 * row, 20 * chars, 24)
    }

    fn text(ocr: &[(char, Option<BBox>)]) -> String {
        ocr.iter().map(|c| c.0).collect()
    }

    #[test]
    fn a_value_the_ocr_misread_is_tagged_where_the_ocr_put_it() {
        let p = page(&["号牌号码 鲁H6789挂", "车辆识别代号 LA9LB3D37KBJXC012"], &[("plate", 0, 5, 12), ("vin", 1, 7, 24)]);
        // OCR: no space after the label, one VIN character misread, one dropped.
        let ocr = read(&["中华人民共和国机动车行驶证", "号牌号码鲁H6789挂", "车辆识别代号 LA9LB3D37KBJXCO1"]);
        let spans = align(&p, &[row_box(1, 12), row_box(2, 24)], &ocr).unwrap();
        assert_eq!(
            spanned(&text(&ocr), &spans),
            vec![("plate".to_string(), "鲁H6789挂".to_string()), ("vin".to_string(), "LA9LB3D37KBJXCO1".to_string())]
        );
    }

    #[test]
    fn a_value_printed_twice_is_tagged_where_its_line_is() {
        let p = page(&["2022年7月28日"], &[("plate", 0, 0, 10)]);
        let ocr = read(&["发证 2022年7月28日", "注册 2022年7月28日"]);
        let spans = align(&p, &[row_box(1, 13)], &ocr).unwrap();
        // Row 1 starts after row 0's 13 characters and its line break.
        assert_eq!(spans, vec![("plate".to_string(), 17, 27)]);
    }

    #[test]
    fn a_line_the_ocr_lost_drops_the_page() {
        let p = page(&["号牌号码 鲁H6789挂"], &[("plate", 0, 5, 12)]);
        let ocr = read(&["中华人民共和国机动车行驶证", "所有人 张三"]);
        assert_eq!(align(&p, &[row_box(1, 12)], &ocr), Err(Unaligned { line: "号牌号码 鲁H6789挂".into() }));
    }

    #[test]
    fn samples_tag_b_then_i_and_leave_line_breaks_o() {
        let s = OcrSample { kind: DocKind::VehicleLicence, text: "号 鲁H\n67".into(), spans: vec![("plate".into(), 2, 7)], layout: vec![] };
        let index: HashMap<String, u32> = [("O", 0), ("B-plate", 1), ("I-plate", 2)].iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(s.to_sample(&index).tags, vec![0, 0, 1, 2, 0, 2, 2]);
    }

    #[test]
    fn boxes_are_stored_as_runs_and_come_back_per_character() {
        let (a, b) = ([0, 0, 100, 500], [300, 0, 1000, 500]);
        let boxes = vec![a, [0; 4], b, b, [0; 4], a];
        let runs = layout_runs(&boxes);
        assert_eq!(runs, [(0, 1, a), (2, 4, b), (5, 6, a)]);
        let s = OcrSample { kind: DocKind::VehicleLicence, text: "号 鲁H\n6".into(), spans: vec![], layout: runs };
        let line = serde_json::to_string(&s).unwrap();
        let back: OcrSample = serde_json::from_str(&line).unwrap();
        assert_eq!(back.to_sample(&HashMap::new()).boxes, boxes);
        // Samples made before boxes read as before, with no boxes.
        let old = r#"{"kind":"vehicle_licence","text":"ab","spans":[]}"#;
        assert_eq!(serde_json::from_str::<OcrSample>(old).unwrap().to_sample(&HashMap::new()).boxes, [[0; 4]; 2]);
    }
}
