//! Line crops, the 0°/180° classifier and batched recognition.

use anyhow::anyhow;
use image::GrayImage;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use super::backend::Nets;
use super::ctc::{DecodedChar, greedy_decode};
use super::geometry::TextRegion;
use super::seen::{self, RegionFrames, Seen};
use std::sync::Arc;

/// Height of recognition and classifier inputs (PP-OCR's).
pub(crate) const CROP_H: usize = 48;
/// Crops longer than this are squeezed (a 40:1 line is already very long).
const MAX_REC_W: usize = CROP_H * 40;
/// The width PaddleOCR pads every recognition input to, as the recogniser
/// was trained (a one-line crop is read so; page lines use
/// `OcrParams::rec_min_width`).
pub(crate) const PADDLE_MIN_W: usize = 320;
/// The classifier's fixed input width.
pub(crate) const CLS_W: usize = 192;

/// Width of `region`'s crop at [`CROP_H`] rows, keeping its aspect.
pub(crate) fn crop_width(region: &TextRegion) -> usize {
    let w = (CROP_H as f32 * region.length / region.thickness.max(1.0)).round() as usize;
    w.clamp(8, MAX_REC_W)
}

/// Samples `region` of `grey` upright into `out` (`height` rows of `width`
/// values, row stride `stride`) as `x/255 - 0.5`, the models' input scale.
/// When the crop is much smaller than the region, several bilinear samples
/// are averaged per output pixel so thin strokes don't alias away.
pub(crate) fn sample_crop(grey: &GrayImage, region: &TextRegion, width: usize, height: usize, out: &mut [f32], stride: usize) {
    let (gw, gh) = (grey.width() as usize, grey.height() as usize);
    let raw = grey.as_raw();
    let scale = (region.thickness / height as f32).max(region.length / width as f32);
    let k = (scale.ceil() as usize).clamp(1, 4);
    let (dx, dy) = region.dir;
    let (vx, vy) = region.down();
    let step_s = region.length / width as f32;
    let step_t = region.thickness / height as f32;
    let origin = region.point(0.0, 0.0);
    let bilinear = |x: f32, y: f32| -> f32 {
        // Pixel centres sit at +0.5.
        let fx = (x - 0.5).clamp(0.0, (gw - 1) as f32);
        let fy = (y - 0.5).clamp(0.0, (gh - 1) as f32);
        let (x0, y0) = (fx as usize, fy as usize);
        let (x1, y1) = ((x0 + 1).min(gw - 1), (y0 + 1).min(gh - 1));
        let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
        let p = |x: usize, y: usize| raw[y * gw + x] as f32;
        let top = p(x0, y0) * (1.0 - ax) + p(x1, y0) * ax;
        let bottom = p(x0, y1) * (1.0 - ax) + p(x1, y1) * ax;
        top * (1.0 - ay) + bottom * ay
    };
    let inv = 1.0 / (k * k) as f32 / 255.0;
    for i in 0..height {
        for j in 0..width {
            let mut acc = 0.0;
            for si in 0..k {
                for sj in 0..k {
                    let a = (j as f32 + (sj as f32 + 0.5) / k as f32) * step_s;
                    let b = (i as f32 + (si as f32 + 0.5) / k as f32) * step_t;
                    acc += bilinear(origin.0 + a * dx + b * vx, origin.1 + a * dy + b * vy);
                }
            }
            out[i * stride + j] = acc * inv - 0.5;
        }
    }
}

/// Probability that each region is upside down, from the 0°/180° classifier.
pub(crate) fn upside_down_probs(cls: &dyn Nets, grey: &GrayImage, regions: &[TextRegion]) -> anyhow::Result<Vec<f32>> {
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let n = regions.len();
    // Padding is 0, mid-grey after PP-OCR's normalisation, as PaddleOCR pads.
    let mut input = NdTensor::<f32, 4>::zeros([n, 1, CROP_H, CLS_W]);
    let data = input.data_mut().ok_or_else(|| anyhow!("tensor not contiguous"))?;
    for (r, region) in regions.iter().enumerate() {
        let w = crop_width(region).min(CLS_W);
        sample_crop(grey, region, w, CROP_H, &mut data[r * CROP_H * CLS_W..], CLS_W);
    }
    let v = cls.classify(input)?.to_vec();
    if v.len() != n * 2 {
        return Err(anyhow!("the classifier returned {} values for {n} crops", v.len()));
    }
    Ok((0..n).map(|i| v[i * 2 + 1]).collect())
}

/// A recognised region: its characters with confidences and their spans
/// along the region as fractions `(s0, s1)` of its length.
pub(crate) struct RegionText {
    pub chars: Vec<(char, f32, f32, f32)>,
    /// Per character, its place in what the recogniser saw along the
    /// region ([`super::seen`]); `None` for readings decoded by a grammar.
    pub seen: Vec<Option<Seen>>,
}

impl RegionText {
    /// The characters as text.
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.0).collect()
    }

    /// Mean character confidence; 0 when nothing was read.
    pub fn mean_confidence(&self) -> f32 {
        if self.chars.is_empty() { 0.0 } else { self.chars.iter().map(|c| c.1).sum::<f32>() / self.chars.len() as f32 }
    }
}

/// Recognises `regions` in batches of similar width, returning one entry per
/// region in the same order. Region `i` is cropped from `sources[i]` (the
/// page in greyscale, or its red channel where a seal lies over the print). With `threads` > 1 the batches are shared out
/// (interleaved by width) among that many threads.
pub(crate) fn recognize(
    rec: &dyn Nets,
    alphabet: &Arc<[char]>,
    sources: &[&GrayImage],
    regions: &[TextRegion],
    batch: usize,
    min_width: usize,
    threads: usize,
) -> anyhow::Result<Vec<RegionText>> {
    let widths: Vec<usize> = regions.iter().map(crop_width).collect();
    // Sorting by width keeps padding (wasted compute) small within a batch.
    let mut order: Vec<usize> = (0..regions.len()).collect();
    order.sort_by_key(|&i| widths[i]);
    let chunks: Vec<&[usize]> = order.chunks(batch.max(1)).collect();
    let threads = threads.clamp(1, chunks.len().max(1));
    let run_share = |t: usize| -> anyhow::Result<Vec<(usize, RegionText)>> {
        let mut out = Vec::new();
        for chunk in chunks.iter().skip(t).step_by(threads) {
            out.extend(recognize_batch(rec, alphabet, sources, regions, &widths, chunk, min_width)?);
        }
        Ok(out)
    };
    let shares: Vec<anyhow::Result<Vec<(usize, RegionText)>>> = if threads == 1 {
        vec![run_share(0)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || run_share(t))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow!("a recognition thread panicked")))).collect()
        })
    };
    let mut results: Vec<Option<RegionText>> = (0..regions.len()).map(|_| None).collect();
    for share in shares {
        for (i, text) in share? {
            results[i] = Some(text);
        }
    }
    Ok(results.into_iter().map(|r| r.expect("every region is in one batch")).collect())
}

fn recognize_batch(
    rec: &dyn Nets,
    alphabet: &Arc<[char]>,
    sources: &[&GrayImage],
    regions: &[TextRegion],
    widths: &[usize],
    chunk: &[usize],
    min_width: usize,
) -> anyhow::Result<Vec<(usize, RegionText)>> {
    let max_w = chunk.iter().map(|&i| widths[i]).max().unwrap_or(8);
    let bw = max_w.max(min_width).div_ceil(8) * 8;
    let n = chunk.len();
    let mut input = NdTensor::<f32, 4>::zeros([n, 1, CROP_H, bw]);
    let data = input.data_mut().ok_or_else(|| anyhow!("tensor not contiguous"))?;
    for (b, &i) in chunk.iter().enumerate() {
        sample_crop(sources[i], &regions[i], widths[i], CROP_H, &mut data[b * CROP_H * bw..], bw);
    }
    let out = rec.recognize(input)?;
    let [frames, batch_n, classes] = out.shape();
    if batch_n != n || classes != alphabet.len() + 1 {
        return Err(anyhow!("recognition output {:?} does not fit {n} crops and an alphabet of {}", out.shape(), alphabet.len()));
    }
    let logp = out.to_vec();
    // Each output frame covers this many crop columns.
    let frame_w = bw as f32 / frames as f32;
    Ok(chunk
        .iter()
        .enumerate()
        .map(|(b, &i)| {
            let (logp, stride) = (&logp[b * classes..], batch_n * classes);
            let decoded = greedy_decode(logp, frames, classes, stride);
            let mut text = place_chars(&decoded, alphabet, frame_w, widths[i] as f32);
            let kept = Arc::new(RegionFrames::new(logp, frames, classes, stride, alphabet.clone()));
            text.seen = seen::place(&kept, &decoded).into_iter().map(Some).collect();
            (i, text)
        })
        .collect())
}

/// The recogniser's output for `region` alone: log-probabilities `[T, C]`,
/// the frame count, the class count, and the crop's width and padded width.
fn region_logits(rec: &dyn Nets, source: &GrayImage, region: &TextRegion, min_width: usize) -> anyhow::Result<(Vec<f32>, usize, usize, usize, usize)> {
    let width = crop_width(region);
    let bw = width.max(min_width).div_ceil(8) * 8;
    let mut input = NdTensor::<f32, 4>::zeros([1, 1, CROP_H, bw]);
    let data = input.data_mut().ok_or_else(|| anyhow!("tensor not contiguous"))?;
    sample_crop(source, region, width, CROP_H, data, bw);
    let out = rec.recognize(input)?;
    let [frames, _, classes] = out.shape();
    Ok((out.to_vec(), frames, classes, width, bw))
}

/// The most probable reading of frames `frames` of `logp` as one of
/// `grammar`'s shapes that passes its check characters. When a shape's
/// best path fails them, its readings one character away that the
/// recogniser saw ([`substitutions`]) are tried.
fn best_reading(
    logp: &[f32],
    frames: std::ops::Range<usize>,
    classes: usize,
    alphabet: &[char],
    frame_w: f32,
    width: usize,
    grammar: super::grammar::Grammar,
) -> Option<RegionText> {
    let part = &logp[frames.start * classes..frames.end * classes];
    let passes = |d: &[DecodedChar]| grammar.value(&d.iter().map(|c| alphabet.get(c.class - 1).copied().unwrap_or('\u{FFFD}')).collect::<String>()).is_some();
    super::grammar::templates(grammar, alphabet)
        .iter()
        .filter_map(|t| super::ctc::constrained_decode(part, frames.len(), classes, t).map(|(d, score)| (t, d, score)))
        .flat_map(|(t, d, score)| if passes(&d) { vec![(d, score)] } else { substitutions(part, classes, t, &d, score) })
        .filter(|(d, _)| passes(d))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(mut d, _)| {
            for c in &mut d {
                c.first += frames.start;
                c.last += frames.start;
            }
            place_chars(&d, alphabet, frame_w, width as f32)
        })
}

/// A class seen at least this probable over a character's frames is a
/// reading the recogniser offers there, as the spelled search takes one
/// (`checks::on_page`).
const SUBSTITUTE_P: f32 = 0.02;

/// The readings of `d` (a best path of `template`, scored `score`) that
/// differ in one character: to a class the template allows there and the
/// recogniser saw at least [`SUBSTITUTE_P`] probable over its frames. A
/// check character that fails says one character is misread, not which:
/// a blurred `M` read `3` at 0.96 and `M` at 0.03 made a USCC fail.
/// Each keeps its own probability as its confidence, so the repair stays
/// doubtful; the frames stay as they were.
fn substitutions(logp: &[f32], classes: usize, template: &[Vec<usize>], d: &[DecodedChar], score: f32) -> Vec<(Vec<DecodedChar>, f32)> {
    let mut out = vec![];
    for (i, c) in d.iter().enumerate() {
        for &k in &template[i] {
            // Beside the same class with no blank between, CTC would read the two as one.
            let merges = |n: Option<&DecodedChar>| n.is_some_and(|n| n.class == k && (n.last + 1 == c.first || c.last + 1 == n.first));
            if k == c.class || merges(i.checked_sub(1).and_then(|j| d.get(j))) || merges(d.get(i + 1)) {
                continue;
            }
            let p = (c.first..=c.last).map(|t| logp[t * classes + k]).fold(f32::NEG_INFINITY, f32::max).exp();
            if p >= SUBSTITUTE_P {
                let mut alt = d.to_vec();
                alt[i] = DecodedChar { class: k, confidence: p, ..*c };
                out.push((alt, score + p.ln() - c.confidence.ln()));
            }
        }
    }
    out
}

/// Reads `region` as a code of `grammar` ([`super::grammar`]): the best
/// reading of each of the grammar's shapes that passes its check
/// characters, the most probable of them; `None` if none does.
pub(crate) fn recognize_as(
    rec: &dyn Nets,
    alphabet: &[char],
    source: &GrayImage,
    region: &TextRegion,
    min_width: usize,
    grammar: super::grammar::Grammar,
) -> anyhow::Result<Option<RegionText>> {
    let (logp, frames, classes, width, bw) = region_logits(rec, source, region, min_width)?;
    Ok(best_reading(&logp, 0..frames, classes, alphabet, bw as f32 / frames as f32, width, grammar))
}

/// Reads the characters `span` (indices into what greedy decoding reads in
/// `region`) again as a code of `grammar`, over their frames and those up
/// to the characters around them, so a character greedy decoding dropped
/// or merged there can come back. `None` if the region no longer reads
/// that many characters or no reading passes the grammar.
pub(crate) fn recognize_span_as(
    rec: &dyn Nets,
    alphabet: &[char],
    source: &GrayImage,
    region: &TextRegion,
    min_width: usize,
    span: std::ops::RangeInclusive<usize>,
    grammar: super::grammar::Grammar,
) -> anyhow::Result<Option<RegionText>> {
    let (logp, frames, classes, width, bw) = region_logits(rec, source, region, min_width)?;
    let greedy = greedy_decode(&logp, frames, classes, classes);
    let (a, b) = (*span.start(), *span.end());
    if b >= greedy.len() {
        return Ok(None);
    }
    let lo = if a == 0 { 0 } else { greedy[a - 1].last + 1 };
    let hi = greedy.get(b + 1).map_or(frames, |c| c.first);
    Ok(best_reading(&logp, lo..hi, classes, alphabet, bw as f32 / frames as f32, width, grammar))
}

/// Gives each decoded character a span along its crop: CTC emits characters
/// as spikes, so boundaries are put halfway between neighbouring spikes, and
/// the outer edges half a typical spacing out.
fn place_chars(decoded: &[DecodedChar], alphabet: &[char], frame_w: f32, crop_w: f32) -> RegionText {
    let centres: Vec<f32> = decoded.iter().map(|c| (c.first + c.last + 1) as f32 / 2.0 * frame_w).collect();
    let mut gaps: Vec<f32> = centres.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_by(f32::total_cmp);
    let half = gaps.get(gaps.len() / 2).map_or(CROP_H as f32 / 2.0, |g| g / 2.0);
    let chars: Vec<(char, f32, f32, f32)> = decoded
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let left = if k == 0 { centres[k] - half } else { (centres[k - 1] + centres[k]) / 2.0 };
            let right = if k + 1 == centres.len() { centres[k] + half } else { (centres[k] + centres[k + 1]) / 2.0 };
            let ch = alphabet.get(c.class - 1).copied().unwrap_or('\u{FFFD}');
            (ch, c.confidence, (left / crop_w).clamp(0.0, 1.0), (right / crop_w).clamp(0.0, 1.0))
        })
        .collect();
    let seen = vec![None; chars.len()];
    RegionText { chars, seen }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::grammar::Grammar;
    use crate::types::Code;

    /// Log-probabilities of `text` read one character a frame, each
    /// followed by a blank frame, every character at 0.9 but for the
    /// `(position, class's char, p)` of `also`, seen there too.
    fn read(text: &str, alphabet: &[char], also: &[(usize, char, f32)]) -> (Vec<f32>, usize) {
        let classes = alphabet.len() + 1;
        let rest = (0.1f32 / classes as f32).ln();
        let mut lp = vec![];
        for (i, ch) in text.chars().enumerate() {
            let mut frame = vec![rest; classes];
            frame[alphabet.iter().position(|&a| a == ch).unwrap() + 1] = 0.9f32.ln();
            for &(_, c, p) in also.iter().filter(|a| a.0 == i) {
                frame[alphabet.iter().position(|&a| a == c).unwrap() + 1] = p.ln();
            }
            let mut blank = vec![rest; classes];
            blank[0] = 0.9f32.ln();
            lp.extend(frame);
            lp.extend(blank);
        }
        (lp, text.chars().count() * 2)
    }

    #[test]
    fn a_code_failing_its_check_character_takes_the_one_substitute_the_recogniser_saw() {
        let alphabet: Vec<char> = "0123456789ABCDEFGHJKLMNPQRSTUWXY".chars().collect();
        let classes = alphabet.len() + 1;
        let uscc = Grammar::Code(Code::Uscc);
        // 91370100MA6J0RXX9K with its M read 3: the check character fails.
        let (lp, frames) = read("913701003A6J0RXX9K", &alphabet, &[(8, 'M', 0.03)]);
        let r = best_reading(&lp, 0..frames, classes, &alphabet, 4.0, 144, uscc).expect("a repair");
        assert_eq!(r.text(), "91370100MA6J0RXX9K");
        assert!((r.chars[8].1 - 0.03).abs() < 1e-4, "the substitute keeps its own doubt");
        // Not seen at 0.02 there: no reading passes, none is made up.
        let (lp, frames) = read("913701003A6J0RXX9K", &alphabet, &[(8, 'M', 0.01)]);
        assert!(best_reading(&lp, 0..frames, classes, &alphabet, 4.0, 144, uscc).is_none());
        // A code that passes is read as it is, sure.
        let (lp, frames) = read("91370100MA6J0RXX9K", &alphabet, &[(3, '1', 0.05)]);
        let r = best_reading(&lp, 0..frames, classes, &alphabet, 4.0, 144, uscc).unwrap();
        assert_eq!(r.text(), "91370100MA6J0RXX9K");
        assert!(r.chars.iter().all(|c| c.1 > 0.8));
    }
}
