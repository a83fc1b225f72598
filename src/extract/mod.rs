//! The extract stage: OCR text → page kind and typed fields
//! (`spec/documents.md`), with a model dajian trains itself
//! (`dajian train extractor`) and runs with candle.
//!
//! - [`model`]: the char-level BERT (tag and kind heads, layout embeddings);
//! - [`layout`]: each character's box on the page, as the model reads it;
//! - [`tokenizer`]: one token per character, so OCR boxes follow tokens;
//! - [`spans`]: tags → typed values with boxes and confidences;
//! - [`anchored`]: values read by where they stand from their printed
//!   labels, for the fields the tags left without one;
//! - [`terms`]: dates a card's own rules tie together (a licence's term,
//!   a period's sentence, a card's two dates);
//! - [`places`]: an address's divisions mended by the national list;
//! - [`Extractor`]: the loaded model applied to one page's [`PageText`].

pub mod anchored;
pub mod layout;
pub mod model;
mod places;
pub mod spans;
pub mod terms;
pub mod tokenizer;
pub mod typed;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use serde_json::json;
use sha2::Digest;

use crate::document::{DocKind, Field};
use crate::ocr::PageText;
use crate::types::BBox;
use model::{Config, Model};
use spans::TaggedChar;

/// Why extraction failed. Load errors name the file.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("cannot load the extraction model {}: {reason}", path.display())]
    Load { path: PathBuf, reason: String },
    #[error("extraction failed: {0}")]
    Run(String),
}

/// What stands between a period's start and its end printed as one value
/// (`2026-04-03至2026-11-14`, `2019.01.23－2029.01.23`); `anchored`,
/// `spans` and `terms` all cut periods here.
pub(crate) const PERIOD_SEPARATORS: [char; 8] = ['至', '到', '-', '－', '—', '–', '~', '～'];

fn run_err(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Run(e.to_string())
}

/// The repository's `models/extractor/`, or `$DAJIAN_MODELS/extractor`.
pub fn default_models_dir() -> PathBuf {
    crate::model_dir("extractor")
}

/// What the extractor read on a page.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub kind: DocKind,
    /// The model's probability for `kind`.
    pub kind_confidence: f32,
    pub fields: BTreeMap<String, Field>,
}

/// The loaded model, tokenizer and configuration. `Sync`: one per process.
pub struct Extractor {
    model: Model,
    tokenizer: tokenizers::Tokenizer,
    config: Config,
    device: Device,
    name: String,
}

impl Extractor {
    /// Loads `model.safetensors`, `config.json` and `tokenizer.json` from `dir`.
    pub fn load(dir: &Path, device: &Device) -> Result<Extractor, ExtractError> {
        let load_err = |path: PathBuf, reason: String| ExtractError::Load { path, reason };
        let cfg_path = dir.join("config.json");
        let text = std::fs::read_to_string(&cfg_path).map_err(|e| load_err(cfg_path.clone(), e.to_string()))?;
        let config: Config = serde_json::from_str(&text).map_err(|e| load_err(cfg_path.clone(), e.to_string()))?;
        let tok_path = dir.join("tokenizer.json");
        let tokenizer = tokenizer::load(&tok_path).map_err(|e| load_err(tok_path.clone(), e.to_string()))?;
        if tokenizer.get_vocab_size(true) != config.vocab_size {
            return Err(load_err(tok_path, format!("{} tokens, config.json says {}", tokenizer.get_vocab_size(true), config.vocab_size)));
        }
        let w_path = dir.join("model.safetensors");
        let bytes = std::fs::read(&w_path).map_err(|e| load_err(w_path.clone(), e.to_string()))?;
        let digest = sha2::Sha256::digest(&bytes);
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, device).map_err(|e| load_err(w_path.clone(), e.to_string()))?;
        let model = Model::load(vb, &config).map_err(|e| load_err(w_path.clone(), e.to_string()))?;
        let name = format!(
            "dajian-extractor char-BERT{} h{}×{} sha256:{}",
            if config.max_2d_position_embeddings.is_some() { "+layout" } else { "" },
            config.hidden_size,
            config.num_hidden_layers,
            digest.iter().take(4).map(|b| format!("{b:02x}")).collect::<String>()
        );
        Ok(Extractor { model, tokenizer, config, device: device.clone(), name })
    }

    /// Loads from [`default_models_dir`].
    pub fn load_default(device: &Device) -> Result<Extractor, ExtractError> {
        Self::load(&default_models_dir(), device)
    }

    /// Model name and weights digest, for reports.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The page's characters (lines joined by `\n`) with the model's tags,
    /// restricted to the fields of the kind it settles on (or `kind`, when
    /// given), and that kind's probabilities.
    pub fn tag(&self, page: &PageText, kind: Option<DocKind>) -> Result<(Vec<TaggedChar>, Vec<f32>), ExtractError> {
        let chars: Vec<(char, BBox, f32)> = page.chars().into_iter().map(|c| c.map_or(('\n', BBox::default(), 1.0), |c| (c.ch, c.bbox, c.confidence))).collect();
        let boxes = self.config.max_2d_position_embeddings.map(|_| layout::page_boxes(page));
        let plain: Vec<char> = chars.iter().map(|c| c.0).collect();
        let windows = windows(&plain, self.config.max_position_embeddings - 1);
        let mut tag_probs: Vec<Option<Vec<f32>>> = vec![None; chars.len()];
        let mut kind_probs: Vec<f32> = vec![];
        for (w, range) in windows.iter().enumerate() {
            let text: String = chars[range.clone()].iter().map(|c| c.0).collect();
            let (ids, offsets) = tokenizer::encode(&self.tokenizer, &text).map_err(run_err)?;
            let n = ids.len().min(self.config.max_position_embeddings);
            let ids = Tensor::from_vec(ids[..n].to_vec(), (1, n), &self.device).map_err(run_err)?;
            let att = ids.ones_like().map_err(run_err)?;
            let token_boxes = boxes
                .as_ref()
                .map(|b| Tensor::from_vec(self.config.layout_rows(&layout::token_boxes(&offsets[..n], &b[range.clone()])), (1, n, 4), &self.device))
                .transpose()
                .map_err(run_err)?;
            let (tags, kinds) = self.model.probabilities(&ids, &ids.zeros_like().map_err(run_err)?, token_boxes.as_ref(), &att).map_err(run_err)?;
            let tags: Vec<Vec<f32>> = tags.squeeze(0).and_then(|t| t.to_vec2()).map_err(run_err)?;
            if w == 0 {
                kind_probs = kinds.squeeze(0).and_then(|k| k.to_vec1()).map_err(run_err)?;
            }
            for (t, off) in offsets[..n].iter().enumerate() {
                // A character NFKC expands to several tokens takes its first token's tag.
                if let Some(c) = off
                    && tag_probs[range.start + c].is_none()
                {
                    tag_probs[range.start + c] = Some(tags[t].clone());
                }
            }
        }
        let kind = kind.unwrap_or_else(|| self.kind_of(&kind_probs).0);
        // Only O and the tags of this kind's fields may win.
        let allowed: Vec<bool> = self
            .config
            .labels
            .iter()
            .map(|l| l == "O" || l.split_once('-').is_some_and(|(_, f)| kind.field_type(f).is_some()))
            .collect();
        let rows: Vec<Vec<f32>> = tag_probs.into_iter().map(|p| p.unwrap_or_else(|| one_hot_o(self.config.labels.len()))).collect();
        let path = viterbi(&rows, &self.config.labels, &allowed);
        let tagged = chars
            .iter()
            .zip(path)
            .zip(&rows)
            .map(|((&(ch, bbox, ocr_confidence), i), p)| {
                // How sure the model is that this character belongs to the
                // field: B and I of it together (B-vs-I doubt is no doubt
                // about the value).
                let label = &self.config.labels[i];
                let tag_confidence = match label.split_once('-') {
                    Some((_, f)) => self.config.labels.iter().zip(p).filter(|(l, _)| l.split_once('-').is_some_and(|(_, g)| g == f)).map(|(_, q)| q).sum::<f32>().min(1.0),
                    None => p[i],
                };
                TaggedChar { ch, bbox, ocr_confidence, tag: label.clone(), tag_confidence }
            })
            .collect();
        Ok((tagged, kind_probs))
    }

    /// The most probable kind and its probability.
    fn kind_of(&self, probs: &[f32]) -> (DocKind, f32) {
        let (i, p) = probs.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(i, p)| (i, *p)).unwrap_or((0, 0.0));
        let kind = self.config.kinds.get(i).and_then(|k| k.parse().ok()).unwrap_or(DocKind::Other);
        (kind, p)
    }

    /// Kind and fields of a page. `kind`: take the page as this kind
    /// (`dajian extract --kind`) instead of classifying it.
    pub fn extract(&self, page: &PageText, kind: Option<DocKind>) -> Result<Extraction, ExtractError> {
        let title = if kind.is_none() { kind_from_title(page) } else { None };
        let (mut tagged, probs) = self.tag(page, kind.or(title.map(|t| t.0)))?;
        let (best, best_p) = self.kind_of(&probs);
        let kind_confidence = |k: DocKind| if k == best { best_p } else { self.config.kinds.iter().position(|c| c == k.key()).map(|i| probs[i]).unwrap_or(0.0) };
        let (kind, kind_confidence) = match (kind, title) {
            (Some(k), _) => (k, kind_confidence(k)),
            // A title read verbatim outweighs the model (which reads the
            // whole page, and can be led astray by a badly read one); it is
            // as sure as the reading of the title.
            (None, Some((k, read))) => (k, kind_confidence(k).max(read)),
            (None, None) => {
                let (k, p) = kind_by_marks(page, &self.config.kinds, &probs);
                let escort = (k != DocKind::EscortPlan).then(|| escort_plan_by_headings(page)).flatten();
                match escort.map(|c| (DocKind::EscortPlan, c)).or_else(|| anchored::kind_by_labels(page, k).map(|l| (l, kind_confidence(l)))) {
                    // Tagged again for that kind's fields.
                    Some((by_layout, confidence)) => {
                        tagged = self.tag(page, Some(by_layout))?.0;
                        (by_layout, confidence)
                    }
                    None => (k, p),
                }
            }
        };
        let mut fields = spans::fields(kind, &tagged);
        anchored::fill(kind, page, &mut fields);
        terms::fill(kind, page, &mut fields);
        terms::fill_period(kind, page, &mut fields);
        terms::fill_month(kind, page, &mut fields);
        terms::fill_pair(kind, page, &mut fields);
        places::fill(&mut fields);
        if kind == DocKind::EscortPlan {
            fields.insert("sections".into(), sections(page));
        }
        Ok(Extraction { kind, kind_confidence, fields })
    }
}

/// The kind of an untitled page: the model's most probable kind among
/// those whose marks the page shows ([`DocKind::marks`]). A kind whose
/// marks are absent cannot be the page's, and its probability goes to
/// `other`, which wins when it is the larger.
fn kind_by_marks(page: &PageText, kinds: &[String], probs: &[f32]) -> (DocKind, f32) {
    let text: String = crate::types::normalize::text(&page.text());
    let ids = identifiers(page);
    let shows = |k: DocKind| {
        k.marks_in(&text) >= DocKind::MIN_MARKS || ids.iter().any(|id| k.identified_by().contains(id))
    };
    let mut other = 0f32;
    let mut best: Option<(DocKind, f32)> = None;
    for (name, &p) in kinds.iter().zip(probs) {
        let Ok(k) = name.parse::<DocKind>() else { continue };
        if k == DocKind::Other || !shows(k) {
            other += p;
        } else if best.is_none_or(|(_, q)| p > q) {
            best = Some((k, p));
        }
    }
    match best {
        Some((k, p)) if p >= other => (k, p),
        _ => (DocKind::Other, other.min(1.0)),
    }
}

/// The kinds of well-formed identifiers printed on the page: a card whose
/// labels are too faint to read still shows its ID number or VIN whole.
fn identifiers(page: &PageText) -> Vec<crate::types::Code> {
    use crate::types::{Code, normalize};
    let tokens = page.lines.iter().flat_map(|l| normalize::code_tokens(&l.text));
    tokens.flat_map(|t| Code::ALL.into_iter().filter(move |c| c.check(&t).is_ok())).collect()
}

fn one_hot_o(n: usize) -> Vec<f32> {
    let mut v = vec![0.0; n];
    v[0] = 1.0;
    v
}

/// The most probable tag sequence that is valid BIO (`I-x` only after
/// `B-x` or `I-x`) over the `allowed` tags: the per-character argmax
/// fragments values (a date's first digit read as another field's `I`,
/// the rest as this one's), which constrained decoding avoids.
pub(crate) fn viterbi(probs: &[Vec<f32>], labels: &[String], allowed: &[bool]) -> Vec<usize> {
    let ids: Vec<usize> = (0..labels.len()).filter(|&i| allowed[i]).collect();
    // For each allowed label: Some(field) and whether it is an I.
    let parts: Vec<(bool, &str)> = ids
        .iter()
        .map(|&i| match labels[i].split_once('-') {
            Some((bio, f)) => (bio == "I", f),
            None => (false, ""),
        })
        .collect();
    let can_follow = |from: usize, to: usize| -> bool {
        let (to_i, to_f) = parts[to];
        !to_i || (labels[ids[from]] != "O" && parts[from].1 == to_f)
    };
    let n = probs.len();
    if n == 0 {
        return vec![];
    }
    let lp = |t: usize, k: usize| probs[t][ids[k]].max(1e-12).ln();
    let mut score: Vec<f32> = (0..ids.len()).map(|k| if parts[k].0 { f32::NEG_INFINITY } else { lp(0, k) }).collect();
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(n);
    back.push(vec![0; ids.len()]);
    for t in 1..n {
        let mut next = vec![f32::NEG_INFINITY; ids.len()];
        let mut from = vec![0; ids.len()];
        for to in 0..ids.len() {
            for k in 0..ids.len() {
                if score[k] > next[to] && can_follow(k, to) {
                    next[to] = score[k];
                    from[to] = k;
                }
            }
            next[to] += lp(t, to);
        }
        score = next;
        back.push(from);
    }
    let mut k = (0..ids.len()).max_by(|&a, &b| score[a].total_cmp(&score[b])).expect("O is allowed");
    let mut path = vec![0; n];
    for t in (0..n).rev() {
        path[t] = ids[k];
        k = back[t][k];
    }
    path
}

/// Ranges of at most `max` characters, cut after a `\n` where possible:
/// the model sees a long page as several windows of whole lines.
pub fn windows(chars: &[char], max: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = vec![];
    let mut start = 0;
    while start < chars.len() || out.is_empty() {
        let mut end = (start + max).min(chars.len());
        if end < chars.len()
            && let Some(nl) = chars[start..end].iter().rposition(|&c| c == '\n')
            && nl > 0
        {
            end = start + nl + 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// The kind named by the page's title, with the title's OCR confidence: one
/// of the first lines (in reading order) that is a kind's printed title (or
/// [another](DocKind::other_titles) it goes by), give or take 中华人民共和国
/// before it and a few characters such as （副本） after it. A title of
/// [`NEAR_TITLE_MIN_CHARS`] or more is known with one character misread
/// (道路运辅经营许可信息查询 on a blurred photo of the permit query):
/// no two such titles are within two edits of each other, while the
/// short ones are (机动车行驶证, 机动车驾驶证). `None` if no line is, or
/// lines name different kinds.
pub(crate) fn kind_from_title(page: &PageText) -> Option<(DocKind, f32)> {
    const FIRST_LINES: usize = 5;
    const SLACK: usize = 4;
    let mut found: Option<(DocKind, f32)> = None;
    for line in page.lines.iter().take(FIRST_LINES) {
        let text: String = line.text.chars().filter(|c| !c.is_whitespace()).collect();
        let text = text.trim_start_matches("中华人民共和国");
        let chars: Vec<char> = text.chars().collect();
        let names = |title: &str| {
            let t: Vec<char> = title.chars().collect();
            chars.len() <= t.len() + SLACK
                && (text.contains(title)
                    || t.len() >= NEAR_TITLE_MIN_CHARS && crate::ocr::metrics::best_stretch_distance(&t, &chars) <= 1)
        };
        for kind in DocKind::ALL.into_iter().filter(|&k| k != DocKind::Other) {
            let mut titles = std::iter::once(kind.title_zh()).chain(kind.other_titles().iter().copied());
            if titles.any(names) {
                match found {
                    Some((k, _)) if k != kind => return None,
                    _ => found = Some((kind, line.confidence)),
                }
            }
        }
    }
    found
}

/// Titles at least this long are recognised with one character misread
/// ([`kind_from_title`]).
const NEAR_TITLE_MIN_CHARS: usize = 8;

/// How many of the escort plan's five sections the headings of a page
/// that speaks of 护送 must name for it to be one.
const ESCORT_MIN_SECTIONS: usize = 3;

/// An escort plan known by its headings, with the weakest heading's
/// confidence: an office's own wording of a plan (a notice
/// `关于印发…护送方案的通知` under a letterhead) has no title the model
/// knows, and its prose reads to the model as `other`.
fn escort_plan_by_headings(page: &PageText) -> Option<f32> {
    let text = crate::types::normalize::text(&page.text());
    let sections = sections(page);
    let n = sections.value.as_array().map_or(0, Vec::len);
    (text.contains("护送") && n >= ESCORT_MIN_SECTIONS).then_some(sections.confidence)
}

/// The escort plan's sections, found by their headings; the box covers the
/// heading lines, the confidence is that of the weakest heading's words
/// ([`heading_confidence`]).
fn sections(page: &PageText) -> Field {
    let mut found = vec![];
    let mut bbox: Option<BBox> = None;
    let mut confidence = 1f32;
    for line in &page.lines {
        let s = spans::escort_sections(&line.text);
        if !s.is_empty() {
            bbox = Some(bbox.map_or(line.bbox, |b| b.union(line.bbox)));
            for key in s {
                confidence = confidence.min(heading_confidence(line, key));
                found.push(key);
            }
        }
    }
    let mut list: Vec<&str> = vec![];
    for (k, _) in spans::HEADINGS {
        if found.contains(&k) {
            list.push(k);
        }
    }
    Field::new(json!(list), confidence, bbox.unwrap_or_default())
}

/// How surely `line` shows `key`'s heading: the weakest character of the
/// surest heading word found in it; the line's confidence where no word is
/// found as printed. A doubtful character elsewhere on the line (a
/// numbering's 、, body text OCR joined to the heading) says nothing of
/// the section: on photographed plans, headings read at 0.44–0.62 for
/// such characters while their words were read at 0.84 and above.
fn heading_confidence(line: &crate::ocr::TextLine, key: &str) -> f32 {
    let chars: Vec<&crate::ocr::TextChar> = line.chars.iter().filter(|c| !c.ch.is_whitespace()).collect();
    let word_confidence = |word: &str| {
        let w: Vec<char> = word.chars().collect();
        let at = chars.windows(w.len()).find(|win| win.iter().zip(&w).all(|(c, ch)| c.ch == *ch))?;
        Some(at.iter().map(|c| c.confidence).fold(1f32, f32::min))
    };
    spans::heading_words(key).filter_map(word_confidence).reduce(f32::max).unwrap_or(line.confidence)
}

/// A page of `lines`, one under another, characters 20 px wide and read at 0.9.
#[cfg(test)]
pub(crate) fn test_page(lines: &[&str]) -> PageText {
    use crate::ocr::{TextChar, TextLine};
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let chars: Vec<TextChar> = t
                .chars()
                .enumerate()
                .map(|(j, ch)| TextChar { ch, confidence: 0.9, bbox: BBox::new(20 * j as u32, 30 * i as u32, 20, 24), source: None, seen: None })
                .collect();
            let bbox = chars.iter().fold(BBox::default(), |b, c| b.union(c.bbox));
            TextLine { text: t.to_string(), confidence: 0.9, bbox, chars, page: 1 }
        })
        .collect();
    PageText { width: 800, height: 600, rotation_applied: 0, lines, regions: vec![] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> PageText {
        test_page(lines)
    }

    #[test]
    fn constrained_decoding_keeps_a_value_whole_where_the_argmax_splits_it() {
        let labels: Vec<String> = ["O", "B-a", "I-a", "B-b", "I-b"].iter().map(|s| s.to_string()).collect();
        let allowed = vec![true; 5];
        // Char 1's argmax is I-b, which cannot follow B-a.
        let probs = vec![vec![0.1, 0.8, 0.05, 0.0, 0.05], vec![0.05, 0.0, 0.4, 0.05, 0.5], vec![0.05, 0.0, 0.9, 0.0, 0.05]];
        assert_eq!(viterbi(&probs, &labels, &allowed), [1, 2, 2]);
        // An I at the very start becomes a B.
        let probs = vec![vec![0.1, 0.3, 0.6, 0.0, 0.0]];
        assert_eq!(viterbi(&probs, &labels, &allowed), [1]);
    }

    #[test]
    fn long_pages_are_cut_into_windows_at_line_ends() {
        let chars: Vec<char> = "aaaa\nbbbb\ncc".chars().collect();
        assert_eq!(windows(&chars, 7), [0..5, 5..12]);
        assert_eq!(windows(&chars, 6), [0..5, 5..10, 10..12]);
        // A line longer than a window is cut inside it.
        assert_eq!(windows(&chars[..4], 3), [0..3, 3..4]);
        assert_eq!(windows(&[], 3), [0..0]);
    }

    #[test]
    fn escort_sections_are_listed_in_order_with_the_box_of_their_headings() {
        let f = sections(&page(&["护送方案", "二、护送人员配备", "一、护送车辆配置", "其他"]));
        assert_eq!(f.value, json!(["vehicles", "personnel"]));
        assert_eq!(f.bbox, BBox::new(0, 30, 160, 54));
    }

    #[test]
    fn a_sections_confidence_is_its_heading_words_not_the_rest_of_the_line() {
        let mut p = page(&["一、护送车辆配备", "五、异常情况处置 联系路政"]);
        for line in &mut p.lines {
            for c in &mut line.chars {
                c.confidence = if "、联系".contains(c.ch) { 0.44 } else if c.ch == '异' { 0.84 } else { 0.95 };
            }
            line.confidence = 0.44;
        }
        let f = sections(&p);
        assert_eq!(f.value, json!(["vehicles", "contingency"]));
        assert_eq!(f.confidence, 0.84);
        // A heading word read with doubt leaves the section doubtful,
        // unless another of its words was read sure (护送车 of 护送车辆).
        p.lines[0].chars[5].confidence = 0.3;
        assert_eq!(p.lines[0].chars[5].ch, '辆');
        assert_eq!(sections(&p).confidence, 0.84);
        p.lines[0].chars[4].confidence = 0.3;
        assert_eq!(sections(&p).confidence, 0.3);
    }

    #[test]
    fn a_title_line_names_the_kind() {
        let k = |lines: &[&str]| kind_from_title(&page(lines)).map(|t| t.0);
        assert_eq!(k(&["中华人民共和国机动车行驶证", "号牌号码 鲁J4549挂"]), Some(DocKind::VehicleLicence));
        assert_eq!(k(&["91370000MA3C", "营 业 执 照", "(副本)"]), Some(DocKind::BusinessLicence));
        assert_eq!(k(&["大件运输护送方案"]), Some(DocKind::EscortPlan));
        // 道路运输证 is not read into 道路运输经营许可证, nor the reverse.
        assert_eq!(k(&["道路运输经营许可证"]), Some(DocKind::OperatingPermit));
        assert_eq!(k(&["中华人民共和国道路运输证"]), Some(DocKind::RoadTransportCertificate));
        // A contour drawing goes by many names; a route map is not one.
        assert_eq!(k(&["车辆装载示意图", "承运单位：日照陈仅重型设备运输有限责任公司"]), Some(DocKind::ContourDrawing));
        assert_eq!(k(&["车货外廓图"]), Some(DocKind::ContourDrawing));
        assert_eq!(k(&["通行路线示意图"]), None);
        // The online permit query's printout.
        assert_eq!(k(&["交通运输政务服务平台", "道路运输经营许可信息查询"]), Some(DocKind::OperatingPermit));
        // A long title with one character misread still names its kind; a
        // short one does not, nor a long one with two.
        assert_eq!(k(&["交通运输政务服务平台", "道路运辅经营许可信息查询"]), Some(DocKind::OperatingPermit));
        assert_eq!(k(&["道路运辅从业人员从业资格证"]), Some(DocKind::QualificationCertificate));
        assert_eq!(k(&["机动车X驶证"]), None);
        assert_eq!(k(&["道路运辅经营许司信息查询"]), None);
    }

    #[test]
    fn a_title_in_running_text_or_far_down_the_page_does_not() {
        let k = |lines: &[&str]| kind_from_title(&page(lines)).map(|t| t.0);
        assert_eq!(k(&["请随车携带机动车行驶证原件"]), None);
        assert_eq!(k(&["一", "二", "三", "四", "五", "营业执照"]), None);
        // Two titles that disagree leave it to the model.
        assert_eq!(k(&["机动车行驶证", "机动车驾驶证"]), None);
        assert_eq!(k(&["姓名 张三"]), None);
    }

    #[test]
    fn an_untitled_page_without_the_marks_of_the_likeliest_kind_is_other() {
        let kinds: Vec<String> = DocKind::ALL.iter().map(|k| k.key().to_string()).collect();
        let mut probs = vec![0.0; kinds.len()];
        let escort = kinds.iter().position(|k| k == "escort_plan").unwrap();
        probs[escort] = 0.9;
        probs[kinds.len() - 1] = 0.1;
        // A blank page, and a cargo photo with a word or two on it.
        assert_eq!(kind_by_marks(&page(&[]), &kinds, &probs), (DocKind::Other, 1.0));
        assert_eq!(kind_by_marks(&page(&["SANY", "小心轻放"]), &kinds, &probs).0, DocKind::Other);
        // An escort plan whose title was misread still shows its headings.
        let plan = page(&["大件运输护迭方案", "一、护送车辆配置", "二、护送人员配备"]);
        assert_eq!(kind_by_marks(&plan, &kinds, &probs), (DocKind::EscortPlan, 0.9));
        // An ID card photo whose faint labels were all misread still shows
        // a well-formed ID number.
        let id_card = kinds.iter().position(|k| k == "id_card").unwrap();
        probs.swap(escort, id_card);
        let card = page(&["姓客 萧强龙", "1980年9月19日", "320706198009193636"]);
        assert_eq!(kind_by_marks(&card, &kinds, &probs).0, DocKind::IdCard);
        assert_eq!(kind_by_marks(&page(&["姓客 萧强龙"]), &kinds, &probs).0, DocKind::Other);
        // A business licence's printout from the publicity system, its small
        // labels misread (注责 for 注册资本, 定代表人), shows its header and 企业名称.
        let licence = kinds.iter().position(|k| k == "business_licence").unwrap();
        probs.swap(id_card, licence);
        let printout = page(&["国家企业信用信息公示系统", "会用：91370100A6J0RXX9K 企业名称：济用报术物流科技股份有限公司", "注责：什万元整"]);
        assert_eq!(kind_by_marks(&printout, &kinds, &probs).0, DocKind::BusinessLicence);
    }

    #[test]
    fn a_notice_whose_headings_name_three_escort_sections_is_an_escort_plan() {
        let notice = page(&[
            "关于印发风电叶片大件运输护送方案的通知",
            "一、护送车辆及设备",
            "本次运输配备护送车辆2辆，其中前导车1辆、后卫车1辆。",
            "二、护送人员安排",
            "三、行驶路线",
            "五、应急处置措施",
        ]);
        assert_eq!(escort_plan_by_headings(&notice), Some(0.9));
        // Two sections are not enough, and without 护送 it is no escort plan.
        assert_eq!(escort_plan_by_headings(&page(&["护送通知", "一、车辆", "二、人员"])), None);
        assert_eq!(escort_plan_by_headings(&page(&["一、车辆", "二、人员", "三、路线", "四、应急措施"])), None);
    }

    #[test]
    fn a_missing_model_folder_is_named_in_the_error() {
        let e = Extractor::load(Path::new("/nonexistent/extractor"), &Device::Cpu).err().unwrap();
        assert!(e.to_string().contains("/nonexistent/extractor/config.json"), "{e}");
    }
}
