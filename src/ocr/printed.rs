//! Born-digital pages: their text is taken as printed, not recognised.
//!
//! A PDF's characters come in content-stream order with exact boxes. They
//! are joined into words (neighbours on one baseline, close together), the
//! words become regions, and the regions are put into lines by the same
//! [`group_lines`] OCR uses, so a born-digital page's lines are cut and
//! ordered like a scan of it would be. Confidence is 1.0: nothing was
//! guessed.

use super::geometry::TextRegion;
use super::{PageText, TextChar, TextLine, group_lines};
use crate::ingest::{Page, PrintedChar};

/// A gap between two characters wider than this many text heights starts a
/// new word (OCR's detector splits boxes at about the same gaps).
const WORD_GAP: f32 = 0.8;

/// The page's text from the characters it prints.
pub fn read(page: &Page, printed: &[PrintedChar]) -> PageText {
    let words = words(printed);
    let regions: Vec<TextRegion> = words.iter().map(|w| region(w)).collect();
    let grouped = group_lines(&regions, (1.0, 0.0));
    let mut used = vec![false; words.len()];
    let to_bbox = |c: &PrintedChar| page.to_stored_bbox(c.x0, c.y0, c.x1, c.y1);
    let mut lines = vec![];
    for line in grouped {
        let mut chars: Vec<TextChar> = vec![];
        let mut prev: Option<&PrintedChar> = None;
        for r in line {
            // group_lines hands back copies of the regions; find each one's word.
            let Some(i) = (0..regions.len()).find(|&i| !used[i] && regions[i] == r) else { continue };
            used[i] = true;
            let word = &words[i];
            if let (Some(p), Some(first)) = (prev, word.first()) {
                let gap = PrintedChar { ch: ' ', x0: p.x1.min(first.x0), y0: p.y0.min(first.y0), x1: p.x1.max(first.x0), y1: p.y1.max(first.y1), dir: p.dir };
                chars.push(TextChar { ch: ' ', confidence: 1.0, bbox: to_bbox(&gap), source: None, seen: None });
            }
            chars.extend(word.iter().map(|c| TextChar { ch: c.ch, confidence: 1.0, bbox: to_bbox(c), source: None, seen: None }));
            prev = word.last();
        }
        if chars.is_empty() {
            continue;
        }
        let bbox = chars.iter().skip(1).fold(chars[0].bbox, |b, c| b.union(c.bbox));
        lines.push(TextLine { text: chars.iter().map(|c| c.ch).collect(), confidence: 1.0, bbox, chars, page: page.number() });
    }
    let (width, height) = page.stored_size();
    PageText { width, height, rotation_applied: 0, lines, regions: vec![] }
}

/// Runs of characters that sit next to each other on one baseline.
fn words(printed: &[PrintedChar]) -> Vec<Vec<PrintedChar>> {
    let mut words: Vec<Vec<PrintedChar>> = vec![];
    for &c in printed {
        let joins = words.last().and_then(|w| w.last()).is_some_and(|p| {
            let h = (p.y1 - p.y0).max(c.y1 - c.y0);
            let same_row = ((p.y0 + p.y1) - (c.y0 + c.y1)).abs() / 2.0 < 0.3 * h;
            let gap = c.x0 - p.x1;
            p.dir == c.dir && c.dir == (1.0, 0.0) && same_row && gap > -0.3 * h && gap < WORD_GAP * h
        });
        match words.last_mut() {
            Some(w) if joins => w.push(c),
            _ => words.push(vec![c]),
        }
    }
    words
}

/// The region a word covers, read left to right.
fn region(word: &[PrintedChar]) -> TextRegion {
    let x0 = word.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
    let x1 = word.iter().map(|c| c.x1).fold(f32::MIN, f32::max);
    let y0 = word.iter().map(|c| c.y0).fold(f32::MAX, f32::min);
    let y1 = word.iter().map(|c| c.y1).fold(f32::MIN, f32::max);
    TextRegion { center: ((x0 + x1) / 2.0, (y0 + y1) / 2.0), dir: (1.0, 0.0), length: x1 - x0, thickness: y1 - y0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str, x: f32, y: f32, size: f32) -> Vec<PrintedChar> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| {
                let x0 = x + i as f32 * size;
                PrintedChar { ch, x0, y0: y, x1: x0 + size, y1: y + size, dir: (1.0, 0.0) }
            })
            .collect()
    }

    fn page() -> Page {
        Page::from_image("licence.pdf", image::DynamicImage::new_rgb8(1240, 1754))
    }

    #[test]
    fn a_label_and_its_value_on_one_row_are_one_line_with_a_space() {
        let mut printed = chars("车辆识别代号", 100.0, 200.0, 20.0);
        printed.extend(chars("LZZ1CLVB5JA123456", 300.0, 200.0, 20.0));
        let text = read(&page(), &printed);
        assert_eq!(text.text(), "车辆识别代号 LZZ1CLVB5JA123456");
        assert!(text.lines[0].chars.iter().all(|c| c.confidence == 1.0));
        assert_eq!(text.lines[0].chars[7].bbox, crate::BBox::new(300, 200, 20, 20));
    }

    #[test]
    fn rows_are_read_top_to_bottom_whatever_order_the_stream_draws_them() {
        let mut printed = chars("第二行", 100.0, 300.0, 20.0);
        printed.extend(chars("第一行", 100.0, 200.0, 20.0));
        assert_eq!(read(&page(), &printed).text(), "第一行\n第二行");
    }

    #[test]
    fn far_apart_columns_are_two_lines() {
        let mut printed = chars("左", 100.0, 200.0, 20.0);
        printed.extend(chars("右", 1000.0, 200.0, 20.0));
        assert_eq!(read(&page(), &printed).lines.len(), 2);
    }
}
