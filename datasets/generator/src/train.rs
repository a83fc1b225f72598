//! Training the extractor on synthetic pages (`dajian train extractor`).
//!
//! The model reads OCR output, not the generator's neat lines, so each
//! page is first arranged the way [`dajian::ocr`] arranges a page: the
//! printed lines become text regions grouped into rows by the OCR's own
//! [`group_lines`](dajian::ocr::group_lines), regions of a row joined by a
//! space, rows by `\n`. Then OCR-like noise: look-alike characters swapped,
//! characters lost, spaces dropped, seal text partly read, a region missed.
//! Every character keeps the BIO tag of the field it was printed for.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use candle_core::{DType, Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use tokenizers::Tokenizer;

use dajian::extract::layout::{self, Box4};
use dajian::extract::model::{Config, Model, masked_cross_entropy};
use dajian::extract::spans::{self, TaggedChar};
use dajian::extract::tokenizer;
use crate::TextPage;
use dajian::document::{DocKind, FieldType};
use dajian::ocr::TextRegion;
use dajian::types::BBox;

#[derive(Debug, Clone)]
pub struct TrainParams {
    /// Seed of the synthetic world the pages come from (not 1 or 13: those
    /// are `datasets/dev` and `datasets/test`).
    pub seed: u64,
    /// Applications generated for training (about 11 pages each).
    pub apps: usize,
    pub steps: usize,
    pub batch: usize,
    pub lr: f64,
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    /// Longest input in tokens, `[CLS]` included; also the model's positions.
    pub max_len: usize,
    /// Per-character rate of OCR-like noise.
    pub noise: f32,
    pub out: PathBuf,
    /// Pages as the real OCR read them ([`crate::ocr_samples`]).
    pub ocr_samples: PathBuf,
    /// Share of each batch drawn from `ocr_samples` (0: none, file unused).
    pub ocr_share: f32,
    /// Start from this model's weights, config and tokenizer (fine-tuning)
    /// instead of from scratch; `hidden`, `layers` and `heads` are then its own.
    pub init: Option<PathBuf>,
    /// Rows of each layout table (0: the model reads text alone). A model
    /// given by `init` without layout tables gets them, starting at zero,
    /// so that training starts from exactly that model.
    pub layout: usize,
    /// Progress line every this many steps; checkpoint every 10 of them.
    pub log_every: usize,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            seed: 1000,
            apps: 2000,
            steps: 2000,
            batch: 32,
            lr: 1.5e-3,
            hidden: 128,
            layers: 2,
            heads: 4,
            max_len: 128,
            noise: 0.01,
            out: PathBuf::from("models/extractor"),
            ocr_samples: PathBuf::from("datasets/ocr-samples.jsonl"),
            ocr_share: 0.5,
            init: None,
            layout: 128,
            log_every: 25,
        }
    }
}

/// The tag set: `O`, then `B-`/`I-` of every field that is a text span
/// (the escort plan's sections are found by their headings instead).
pub fn labels() -> Vec<String> {
    let mut keys: Vec<&str> = vec![];
    for (_, fields) in dajian::document::FIELDS {
        for (k, t) in *fields {
            if *t != FieldType::Sections && !keys.contains(k) {
                keys.push(k);
            }
        }
    }
    let mut out = vec!["O".to_string()];
    for k in keys {
        out.push(format!("B-{k}"));
        out.push(format!("I-{k}"));
    }
    out
}

/// A page as the model sees it: characters, a tag index and a box
/// ([`layout`]) per character, the kind.
#[derive(Debug, Clone)]
pub struct Sample {
    pub chars: Vec<char>,
    pub tags: Vec<u32>,
    pub boxes: Vec<Box4>,
    pub kind: DocKind,
}

/// Characters OCR confuses, both ways.
const LOOKALIKES: &[(char, char)] = &[
    ('0', 'O'), ('0', 'D'), ('1', 'I'), ('1', 'l'), ('5', 'S'), ('8', 'B'), ('2', 'Z'), ('6', 'G'), ('X', 'x'), ('×', 'x'),
    ('.', ','), ('.', '·'), ('-', '一'), ('日', '曰'), ('人', '入'), ('己', '已'), ('未', '末'), ('士', '土'), ('天', '夭'),
    ('王', '玉'), ('大', '太'), ('口', '囗'), ('二', '='), ('年', '牛'), ('月', '目'),
];

fn lookalike(c: char, rng: &mut impl Rng) -> Option<char> {
    let alts: Vec<char> = LOOKALIKES.iter().filter_map(|&(a, b)| if a == c { Some(b) } else if b == c { Some(a) } else { None }).collect();
    alts.choose(rng).copied()
}

/// The page arranged as OCR would read it, with noise at per-character
/// rate `noise` (0: the clean arrangement).
pub fn ocr_view(page: &TextPage, label_index: &HashMap<String, u32>, noise: f32, rng: &mut impl Rng) -> Sample {
    // Tags per printed line.
    let mut line_tags: Vec<Vec<u32>> = page.lines.iter().map(|l| vec![0; l.chars().count()]).collect();
    for (key, f) in &page.fields {
        let (Some(&b), Some(&i)) = (label_index.get(&format!("B-{key}")), label_index.get(&format!("I-{key}"))) else { continue };
        for s in &f.spans {
            for j in s.start..s.end.min(line_tags[s.line].len()) {
                line_tags[s.line][j] = if j == s.start { b } else { i };
            }
        }
    }
    let mut regions = vec![];
    let mut region_line = vec![];
    // Where each line's characters sit, for the layout embeddings; moved
    // a little under noise (up to a third of the line's height down or
    // up, a height left or right), as a skewed photo or another edition
    // moves them, so the model learns the arrangement, not the pixel.
    let mut line_boxes = page.line_boxes.clone();
    if noise > 0.0 {
        for b in &mut line_boxes {
            let h = b[3] - b[1];
            let (dx, dy) = (rng.random_range(-1.0..=1.0) * h, rng.random_range(-0.33..=0.33) * h);
            *b = [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy];
        }
    }
    for (i, b) in page.line_boxes.iter().enumerate() {
        // OCR misses most seal text (curved, under other ink) and now and then a region.
        if page.line_is_seal[i] && !rng.random_bool(0.15) || noise > 0.0 && rng.random_bool((2.0 * noise as f64).min(1.0)) {
            continue;
        }
        if page.lines[i].trim().is_empty() {
            continue;
        }
        let (w, h) = (b[2] - b[0], b[3] - b[1]);
        regions.push(TextRegion { center: ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0), dir: (1.0, 0.0), length: w, thickness: h });
        region_line.push(i);
    }
    let rows = dajian::ocr::group_lines(&regions, (1.0, 0.0));
    let mut chars = vec![];
    let mut tags = vec![];
    // Each character has its region's box (here: its printed line's), as
    // the OCR's characters have their detected region's; separators none.
    let mut boxes: Vec<Option<[f32; 4]>> = vec![];
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            chars.push('\n');
            tags.push(0);
            boxes.push(None);
        }
        let mut prev: Option<&TextRegion> = None;
        for reg in row {
            let k = regions.iter().position(|x| x == reg).expect("a grouped region is one of ours");
            let line = region_line[k];
            if let Some(p) = prev {
                // Boxes this close are often detected as one: no space then.
                let gap = (reg.center.0 - reg.length / 2.0) - (p.center.0 + p.length / 2.0);
                if !(noise > 0.0 && gap < reg.thickness && rng.random_bool(0.5)) {
                    chars.push(' ');
                    tags.push(0);
                    boxes.push(None);
                }
            }
            prev = Some(reg);
            let drop_spaces = noise > 0.0 && rng.random_bool(0.5);
            let text: Vec<char> = page.lines[line].chars().collect();
            let mut promote = false;
            for (j, &c) in text.iter().enumerate() {
                let mut t = line_tags[line][j];
                if promote && t % 2 == 0 && t > 0 {
                    t -= 1; // the B of this span was lost: the next I starts it
                }
                promote = false;
                if c == ' ' && drop_spaces {
                    continue;
                }
                if noise > 0.0 && rng.random_bool((noise / 2.0) as f64) {
                    promote = t % 2 == 1;
                    continue;
                }
                let c = if noise > 0.0 && rng.random_bool(noise as f64) { lookalike(c, rng).unwrap_or(c) } else { c };
                chars.push(c);
                tags.push(t);
                boxes.push(Some(line_boxes[line]));
            }
        }
    }
    Sample { chars, tags, boxes: layout::normalise(&boxes), kind: page.kind }
}

/// A window of whole lines of at most `max` characters, as inference cuts
/// long pages: from the top a third of the time (where the title is),
/// else from a random line.
fn window(s: Sample, max: usize, rng: &mut impl Rng) -> Sample {
    if s.chars.len() <= max {
        return s;
    }
    let ws = dajian::extract::windows(&s.chars, max);
    let r = if rng.random_bool(1.0 / 3.0) { ws[0].clone() } else { ws.choose(rng).expect("at least one window").clone() };
    s.slice(r)
}

impl Sample {
    /// The characters in `r` with their tags.
    fn slice(&self, r: std::ops::Range<usize>) -> Sample {
        Sample { chars: self.chars[r.clone()].to_vec(), tags: self.tags[r.clone()].to_vec(), boxes: self.boxes[r].to_vec(), kind: self.kind }
    }
}

/// Tensors of one batch: ids, attention, tags `[b, t]`, boxes `[b, t, 4]`
/// (for a model with layout) and kinds `[b]`.
struct Batch {
    ids: Tensor,
    attention: Tensor,
    tags: Tensor,
    boxes: Option<Tensor>,
    kinds: Tensor,
}

impl Batch {
    /// Logits of `model` on this batch.
    fn forward(&self, model: &Model, train: bool) -> Result<(Tensor, Tensor)> {
        Ok(model.forward(&self.ids, &self.ids.zeros_like()?, self.boxes.as_ref(), &self.attention, train)?)
    }
}

/// One sample as tokens, `[CLS]` first, cut to `max_len`: ids, the tag of
/// each token's character and its layout rows (4 per token).
struct Encoded {
    ids: Vec<u32>,
    tags: Vec<u32>,
    boxes: Vec<u32>,
}

fn encode(tok: &Tokenizer, cfg: &Config, s: &Sample, max_len: usize) -> Result<Encoded> {
    let text: String = s.chars.iter().collect();
    let (ids, chars) = tokenizer::encode(tok, &text)?;
    // Offsets are in chars of `text`, which are `s.chars`.
    let n = ids.len().min(max_len);
    let tags: Vec<u32> = chars[..n].iter().map(|c| c.map(|i| s.tags[i]).unwrap_or(0)).collect();
    Ok(Encoded { ids: ids[..n].to_vec(), tags, boxes: cfg.layout_rows(&layout::token_boxes(&chars[..n], &s.boxes)) })
}

fn batch(tok: &Tokenizer, samples: &[Sample], cfg: &Config, max_len: usize, dev: &Device) -> Result<Batch> {
    let enc: Vec<Encoded> = samples.iter().map(|s| encode(tok, cfg, s, max_len)).collect::<Result<_>>()?;
    let t = enc.iter().map(|e| e.ids.len()).max().unwrap_or(1);
    let b = samples.len();
    let (mut ids, mut att, mut tags, mut boxes) = (vec![0u32; b * t], vec![0u32; b * t], vec![0u32; b * t], vec![0u32; b * t * 4]);
    for (r, e) in enc.iter().enumerate() {
        ids[r * t..r * t + e.ids.len()].copy_from_slice(&e.ids);
        tags[r * t..r * t + e.tags.len()].copy_from_slice(&e.tags);
        att[r * t..r * t + e.ids.len()].fill(1);
        boxes[r * t * 4..r * t * 4 + e.boxes.len()].copy_from_slice(&e.boxes);
    }
    let kinds: Vec<u32> = samples.iter().map(|s| cfg.kinds.iter().position(|k| k == s.kind.key()).unwrap() as u32).collect();
    Ok(Batch {
        ids: Tensor::from_vec(ids, (b, t), dev)?,
        attention: Tensor::from_vec(att, (b, t), dev)?,
        tags: Tensor::from_vec(tags, (b, t), dev)?,
        boxes: cfg.max_2d_position_embeddings.map(|_| Tensor::from_vec(boxes, (b, t, 4), dev)).transpose()?,
        kinds: Tensor::from_vec(kinds, b, dev)?,
    })
}

/// Accuracy on held-out pages, arranged cleanly (no noise).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Eval {
    pub pages: usize,
    pub kind_accuracy: f64,
    /// Share of printed fields whose decoded value equals the truth.
    pub field_exact_match: f64,
    pub fields: usize,
    pub token_accuracy: f64,
    /// Held-out pages as the real OCR read them ([`crate::ocr_samples`]).
    pub ocr_pages: usize,
    /// Share of their values whose characters got exactly their field's tags.
    pub ocr_span_exact_match: f64,
}

fn evaluate(model: &Model, tok: &Tokenizer, cfg: &Config, pages: &[TextPage], dev: &Device) -> Result<Eval> {
    let index = label_index(cfg);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut e = Eval { pages: pages.len(), ..Default::default() };
    let (mut kind_ok, mut fields_ok, mut tok_ok, mut toks) = (0usize, 0usize, 0usize, 0usize);
    for page in pages {
        let s = ocr_view(page, &index, 0.0, &mut rng);
        // Windows of one page as one batch, stitched back as inference does.
        let ranges = dajian::extract::windows(&s.chars, cfg.max_position_embeddings - 1);
        let parts: Vec<Sample> = ranges.iter().map(|r| s.slice(r.clone())).collect();
        let b = batch(tok, &parts, cfg, cfg.max_position_embeddings, dev)?;
        let (tags, kinds) = b.forward(model, false)?;
        let tags = candle_nn::ops::softmax_last_dim(&tags)?;
        let best: Vec<Vec<u32>> = tags.argmax(candle_core::D::Minus1)?.to_vec2()?;
        let prob: Vec<Vec<f32>> = tags.max(candle_core::D::Minus1)?.to_vec2()?;
        let kinds: Vec<u32> = kinds.argmax(candle_core::D::Minus1)?.to_vec1()?;
        let gold: Vec<Vec<u32>> = b.tags.to_vec2()?;
        let att: Vec<Vec<u32>> = b.attention.to_vec2()?;
        kind_ok += (cfg.kinds[kinds[0] as usize] == s.kind.key()) as usize;
        let mut chars: Vec<TaggedChar> = vec![];
        for (w, part) in parts.iter().enumerate() {
            for j in 1..att[w].len() {
                if att[w][j] == 1 {
                    toks += 1;
                    tok_ok += (best[w][j] == gold[w][j]) as usize;
                }
            }
            // One token per character here (NFKC never expands these pages' text).
            for j in 0..part.chars.len().min(best[w].len() - 1) {
                chars.push(TaggedChar {
                    ch: part.chars[j],
                    bbox: BBox::default(),
                    ocr_confidence: 1.0,
                    tag: cfg.labels[best[w][j + 1] as usize].clone(),
                    tag_confidence: prob[w][j + 1],
                });
            }
        }
        let got = spans::fields(s.kind, &chars);
        for (key, f) in &page.fields {
            if key == "sections" || !s.kind.fields().iter().any(|(k, _)| k == key) {
                continue;
            }
            e.fields += 1;
            fields_ok += got.get(key).is_some_and(|g| g.value == f.value) as usize;
        }
    }
    e.kind_accuracy = kind_ok as f64 / pages.len().max(1) as f64;
    e.field_exact_match = fields_ok as f64 / e.fields.max(1) as f64;
    e.token_accuracy = tok_ok as f64 / toks.max(1) as f64;
    Ok(e)
}

/// Span exact match on held-out real-OCR pages: a value counts when the
/// characters tagged with its field (B or I, per-character argmax) are
/// exactly its characters.
fn evaluate_ocr(model: &Model, tok: &Tokenizer, cfg: &Config, samples: &[Sample], e: &mut Eval, dev: &Device) -> Result<()> {
    let field_of = |t: u32| cfg.labels[t as usize].split_once('-').map(|(_, f)| f.to_string());
    let (mut ok, mut total) = (0usize, 0usize);
    for s in samples {
        let ranges = dajian::extract::windows(&s.chars, cfg.max_position_embeddings - 1);
        let parts: Vec<Sample> = ranges.iter().map(|r| s.slice(r.clone())).collect();
        let b = batch(tok, &parts, cfg, cfg.max_position_embeddings, dev)?;
        let (tags, _) = b.forward(model, false)?;
        let best: Vec<Vec<u32>> = tags.argmax(candle_core::D::Minus1)?.to_vec2()?;
        let mut predicted: Vec<u32> = vec![];
        for (w, part) in parts.iter().enumerate() {
            predicted.extend((0..part.chars.len()).map(|j| best[w].get(j + 1).copied().unwrap_or(0)));
        }
        let gold_fields: BTreeSet<String> = s.tags.iter().filter_map(|&t| field_of(t)).collect();
        for f in gold_fields {
            total += 1;
            let same = s.tags.iter().zip(&predicted).all(|(&g, &p)| (field_of(g).as_deref() == Some(&f)) == (field_of(p).as_deref() == Some(&f)));
            ok += same as usize;
        }
    }
    e.ocr_pages = samples.len();
    e.ocr_span_exact_match = ok as f64 / total.max(1) as f64;
    Ok(())
}

fn label_index(cfg: &Config) -> HashMap<String, u32> {
    cfg.labels.iter().enumerate().map(|(i, l)| (l.clone(), i as u32)).collect()
}

/// Learning rate at `step`: linear warm-up, then cosine down to 5 %.
fn lr_at(p: &TrainParams, step: usize) -> f64 {
    let warm = (p.steps / 10).max(1);
    if step < warm {
        return p.lr * (step + 1) as f64 / warm as f64;
    }
    let x = (step - warm) as f64 / (p.steps - warm).max(1) as f64;
    p.lr * (0.05 + 0.95 * 0.5 * (1.0 + (std::f64::consts::PI * x).cos()))
}

#[derive(Serialize)]
struct LogLine {
    step: usize,
    loss: f32,
    lr: f64,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    eval: Option<Eval>,
}

fn save(vm: &VarMap, cfg: &Config, tok: &Tokenizer, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| out.display().to_string())?;
    vm.save(out.join("model.safetensors"))?;
    std::fs::write(out.join("config.json"), serde_json::to_string_pretty(cfg)? + "\n")?;
    tok.save(out.join("tokenizer.json"), false).map_err(|e| anyhow::anyhow!("tokenizer.json: {e}"))?;
    Ok(())
}

/// Sets the model's weights from a checkpoint. Layout tables the
/// checkpoint lacks (it read text alone) start at zero, so the model starts
/// out reading exactly as that checkpoint did; any other missing tensor is
/// an error.
fn load_init(vm: &VarMap, path: &Path, dev: &Device) -> Result<()> {
    let saved = candle_core::safetensors::load(path, dev)?;
    let layout = Model::layout_tensor_names();
    for (name, var) in vm.data().lock().expect("no other user of the VarMap").iter() {
        match saved.get(name) {
            Some(t) => var.set(t)?,
            None if layout.contains(name) => var.set(&var.zeros_like()?)?,
            None => anyhow::bail!("no tensor {name}"),
        }
    }
    Ok(())
}

/// Every training step allocates and frees tensors of megabytes; glibc
/// serves those with mmap/munmap by default, and the page faults took as
/// much time as the arithmetic (measured: 1.8 s → 0.95 s per step). Keep
/// freed memory in the heap instead.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called before any thread of ours allocates big buffers.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

/// Trains a model from scratch and writes `model.safetensors`,
/// `config.json`, `tokenizer.json` and `train_log.jsonl` to `p.out`
/// (checkpoints along the way, so a stopped run leaves a usable model).
/// Every character the OCR's recogniser can emit (`models/ocr/alphabet.txt`).
const OCR_ALPHABET: &str = include_str!("../../../models/ocr/alphabet.txt");

pub fn train(p: &TrainParams, dev: &Device) -> Result<Eval> {
    keep_freed_memory();
    let t0 = Instant::now();
    let pages = crate::pages_text(p.seed, p.apps)?;
    let held_out = crate::pages_text(p.seed + 1, (p.apps / 50).clamp(5, 40))?;
    eprintln!("{} training pages, {} held out ({:.1} s)", pages.len(), held_out.len(), t0.elapsed().as_secs_f64());
    // Real-OCR pages: every tenth held out.
    let ocr_samples = if p.ocr_share > 0.0 { crate::ocr_samples::read_jsonl(&p.ocr_samples)? } else { vec![] };
    let (mut ocr_held, mut ocr_train) = (vec![], vec![]);
    for (i, sample) in ocr_samples.into_iter().enumerate() {
        if i % 10 == 0 { &mut ocr_held } else { &mut ocr_train }.push(sample);
    }
    if p.ocr_share > 0.0 {
        if ocr_train.is_empty() {
            anyhow::bail!("{}: no samples (make them with `dajian train ocr-samples`)", p.ocr_samples.display());
        }
        eprintln!("{} real-OCR pages, {} held out ({})", ocr_train.len(), ocr_held.len(), p.ocr_samples.display());
    }

    let (tok, cfg) = match &p.init {
        Some(dir) => {
            let tok = Tokenizer::from_file(dir.join("tokenizer.json")).map_err(|e| anyhow::anyhow!("{}: {e}", dir.join("tokenizer.json").display()))?;
            let path = dir.join("config.json");
            let mut cfg: Config = serde_json::from_str(&std::fs::read_to_string(&path).with_context(|| path.display().to_string())?).with_context(|| path.display().to_string())?;
            if cfg.labels != labels() {
                anyhow::bail!("{}: its labels are not this version's fields; train from scratch", path.display());
            }
            if cfg.max_2d_position_embeddings.is_none() && p.layout > 0 {
                cfg.max_2d_position_embeddings = Some(p.layout);
            }
            (tok, cfg)
        }
        None => {
            // Vocabulary: every character the recogniser can emit, so no
            // character OCR read is [UNK] (issue 22), then what the pages
            // print, their look-alikes and ASCII.
            let mut chars: BTreeSet<char> = (' '..='~').collect();
            chars.extend(OCR_ALPHABET.chars().filter(|c| !c.is_control()));
            for pg in &pages {
                chars.extend(pg.lines.iter().flat_map(|l| l.chars()));
            }
            chars.extend(LOOKALIKES.iter().flat_map(|&(a, b)| [a, b]));
            // And what the OCR really wrote (its misreadings are characters too).
            chars.extend(ocr_train.iter().flat_map(|s| s.text.chars()));
            let tok = tokenizer::build(chars)?;
            let cfg = Config {
                vocab_size: tok.get_vocab_size(true),
                hidden_size: p.hidden,
                num_hidden_layers: p.layers,
                num_attention_heads: p.heads,
                intermediate_size: 4 * p.hidden,
                max_position_embeddings: p.max_len,
                type_vocab_size: 2,
                layer_norm_eps: 1e-12,
                hidden_dropout_prob: 0.1,
                max_2d_position_embeddings: (p.layout > 0).then_some(p.layout),
                labels: labels(),
                kinds: DocKind::ALL.iter().map(|k| k.key().to_string()).collect(),
            };
            (tok, cfg)
        }
    };
    if cfg.max_2d_position_embeddings.is_some() && ocr_train.iter().chain(&ocr_held).any(|s| s.layout.is_empty() && !s.text.trim().is_empty()) {
        anyhow::bail!(
            "{}: samples without boxes, made before the extractor read them; make them again with `train ocr-samples` (docs/extraction.md), or train with --layout 0",
            p.ocr_samples.display()
        );
    }
    let index = label_index(&cfg);
    let ocr_train: Vec<Sample> = ocr_train.iter().map(|s| s.to_sample(&index)).collect();
    let ocr_held: Vec<Sample> = ocr_held.iter().map(|s| s.to_sample(&index)).collect();
    let n_ocr = ((p.batch as f32 * p.ocr_share).round() as usize).min(p.batch);
    let mut ocr_order: Vec<usize> = vec![];
    let vm = VarMap::new();
    let model = Model::load(VarBuilder::from_varmap(&vm, DType::F32, dev), &cfg)?;
    if let Some(dir) = &p.init {
        let path = dir.join("model.safetensors");
        load_init(&vm, &path, dev).with_context(|| path.display().to_string())?;
        eprintln!("starting from {}", path.display());
    }
    let params = ParamsAdamW { lr: p.lr, weight_decay: 0.01, ..Default::default() };
    let mut opt = AdamW::new(vm.all_vars(), params)?;
    std::fs::create_dir_all(&p.out)?;
    let mut log = std::fs::File::create(p.out.join("train_log.jsonl"))?;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut order: Vec<usize> = vec![];
    let mut loss_sum = 0f32;
    let mut last = Eval::default();
    for step in 0..p.steps {
        // Pages of similar length share a batch, so little is padding.
        let n_synth = p.batch - n_ocr;
        if order.len() < n_synth {
            let mut more: Vec<usize> = (0..pages.len()).collect();
            more.shuffle(&mut rng);
            for group in more.chunks_mut(p.batch * 8) {
                group.sort_by_key(|&i| pages[i].lines.iter().map(|l| l.len()).sum::<usize>());
            }
            let mut batches: Vec<Vec<usize>> = more.chunks(p.batch).map(|c| c.to_vec()).collect();
            batches.shuffle(&mut rng);
            order = batches.concat();
        }
        let picked: Vec<usize> = order.drain(..n_synth).collect();
        let mut samples: Vec<Sample> = picked.iter().map(|&i| window(ocr_view(&pages[i], &index, p.noise, &mut rng), p.max_len - 1, &mut rng)).collect();
        if n_ocr > 0 {
            if ocr_order.len() < n_ocr {
                let mut more: Vec<usize> = (0..ocr_train.len()).collect();
                more.shuffle(&mut rng);
                ocr_order.extend(std::iter::repeat_n(more, n_ocr.div_ceil(ocr_train.len())).flatten());
            }
            samples.extend(ocr_order.drain(..n_ocr).map(|i| window(ocr_train[i].clone(), p.max_len - 1, &mut rng)));
        }
        let b = batch(&tok, &samples, &cfg, p.max_len, dev)?;
        opt.set_learning_rate(lr_at(p, step));
        let (tags, kinds) = b.forward(&model, true)?;
        let loss = (masked_cross_entropy(&tags, &b.tags, &b.attention)? + candle_nn::loss::cross_entropy(&kinds, &b.kinds)?)?;
        opt.backward_step(&loss)?;
        loss_sum += loss.to_scalar::<f32>()?;
        let done = step + 1 == p.steps;
        if (step + 1) % p.log_every == 0 || done {
            let checkpoint = (step + 1) % (p.log_every * 10) == 0 || done;
            let eval = if checkpoint {
                let mut e = evaluate(&model, &tok, &cfg, &held_out, dev)?;
                evaluate_ocr(&model, &tok, &cfg, &ocr_held, &mut e, dev)?;
                Some(e)
            } else {
                None
            };
            let line = LogLine {
                step: step + 1,
                loss: loss_sum / p.log_every as f32,
                lr: lr_at(p, step),
                seconds: t0.elapsed().as_secs_f64(),
                eval: eval.clone(),
            };
            let s = serde_json::to_string(&line)?;
            eprintln!("{s}");
            use std::io::Write;
            writeln!(log, "{s}")?;
            loss_sum = 0.0;
            if let Some(e) = eval {
                save(&vm, &cfg, &tok, &p.out)?;
                last = e;
            }
        }
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> TextPage {
        let (_, cases) = crate::world_and_apps(3, 1).unwrap();
        let doc = cases[0].pages.iter().find(|p| p.kind == DocKind::VehicleLicence).unwrap();
        crate::page_text(doc).unwrap()
    }

    #[test]
    fn the_clean_view_tags_every_printed_field_value_and_nothing_else() {
        let p = page();
        let cfg_labels = labels();
        let index: HashMap<String, u32> = cfg_labels.iter().enumerate().map(|(i, l)| (l.clone(), i as u32)).collect();
        let s = ocr_view(&p, &index, 0.0, &mut ChaCha8Rng::seed_from_u64(0));
        assert_eq!(s.chars.len(), s.tags.len());
        let chars: Vec<TaggedChar> = s
            .chars
            .iter()
            .zip(&s.tags)
            .map(|(&ch, &t)| TaggedChar { ch, bbox: BBox::default(), ocr_confidence: 1.0, tag: cfg_labels[t as usize].clone(), tag_confidence: 1.0 })
            .collect();
        let got = spans::fields(DocKind::VehicleLicence, &chars);
        for (k, f) in &p.fields {
            assert_eq!(got.get(k).map(|g| &g.value), Some(&f.value), "{k}");
        }
        assert_eq!(got.len(), p.fields.len());
    }

    #[test]
    fn label_and_value_share_a_row_on_plain_and_bilingual_licences_alike() {
        let (_, cases) = crate::world_and_apps(3, 12).unwrap();
        let index: HashMap<String, u32> = labels().iter().enumerate().map(|(i, l)| (l.clone(), i as u32)).collect();
        let vin_labels = dajian::document::labels(DocKind::VehicleLicence, "vin");
        let mut bilingual = 0;
        for doc in cases.iter().flat_map(|c| &c.pages).filter(|p| p.kind == DocKind::VehicleLicence) {
            // The card editions (other families put the label above its value).
            let layout = crate::page_truth_text(doc).unwrap().layout;
            if !(layout.ends_with("/side_by_side") || layout.ends_with("/stacked")) {
                continue;
            }
            let p = crate::page_text(doc).unwrap();
            let s = ocr_view(&p, &index, 0.0, &mut ChaCha8Rng::seed_from_u64(0));
            let text: String = s.chars.iter().collect();
            bilingual += text.contains("Plate No.") as usize;
            // Whichever wording of the label the page prints.
            let vin = p.fields["vin"].value.as_str().unwrap();
            assert!(text.lines().any(|l| l.contains(vin) && vin_labels.iter().any(|lab| l.contains(lab))), "{text}");
        }
        assert!(bilingual > 0, "no bilingual licence among the pages");
    }

    #[test]
    fn every_character_has_its_line_box_and_separators_have_none() {
        let p = page();
        let index: HashMap<String, u32> = labels().iter().enumerate().map(|(i, l)| (l.clone(), i as u32)).collect();
        let s = ocr_view(&p, &index, 0.0, &mut ChaCha8Rng::seed_from_u64(0));
        assert_eq!(s.boxes.len(), s.chars.len());
        assert!(s.chars.iter().zip(&s.boxes).filter(|(c, _)| **c == '\n').all(|(_, b)| *b == [0; 4]));
        // Non-space characters all lie somewhere on the text extent, which they span.
        let inked: Vec<Box4> = s.chars.iter().zip(&s.boxes).filter(|(c, _)| !c.is_whitespace()).map(|(_, b)| *b).collect();
        assert!(inked.iter().all(|b| b[2] > b[0] && b[3] > b[1]), "{inked:?}");
        assert_eq!(inked.iter().map(|b| b[0]).min(), Some(0));
        assert_eq!(inked.iter().map(|b| b[3]).max(), Some(layout::SCALE));
        // A window keeps each character's box.
        let w = s.slice(3..10);
        assert_eq!(w.boxes, s.boxes[3..10]);
    }

    #[test]
    fn noise_changes_the_text_but_every_tag_still_belongs_to_a_character() {
        let p = page();
        let index: HashMap<String, u32> = labels().iter().enumerate().map(|(i, l)| (l.clone(), i as u32)).collect();
        let clean = ocr_view(&p, &index, 0.0, &mut ChaCha8Rng::seed_from_u64(0));
        let noisy = ocr_view(&p, &index, 0.2, &mut ChaCha8Rng::seed_from_u64(1));
        assert_ne!(clean.chars, noisy.chars);
        assert_eq!(noisy.chars.len(), noisy.tags.len());
    }

    #[test]
    fn the_learning_rate_warms_up_then_decays() {
        let p = TrainParams { steps: 100, lr: 1.0, ..Default::default() };
        assert!(lr_at(&p, 0) < lr_at(&p, 4));
        assert!((lr_at(&p, 10) - 1.0).abs() < 1e-9);
        assert!(lr_at(&p, 99) < 0.06);
    }
}
