//! Where each character sits on the page, for the model's layout
//! embeddings (issue 22, item 4; LayoutLM's idea): a value is tied to its
//! label by position as well as by reading order, so a card of another
//! edition, or lines the OCR ordered differently, still reads right.
//!
//! A character's box is the box of the text region the OCR detected it in
//! (LayoutLM gives every token its word's box), turned upright and scaled
//! to the page's *text extent*, the union of all its regions, 0..=1000 both
//! ways. The text extent, not the image: a card photographed on a desk and
//! the same card scanned edge to edge give the same boxes. Separators (the
//! space between two regions, line breaks) and `[CLS]` get `[0, 0, 0, 0]`.
//!
//! Training computes the same boxes from the generator's printed lines
//! ([`normalise`] is shared), so what the model learns is what it is shown.

use crate::ocr::PageText;
use crate::types::BBox;

/// Coordinates run 0..=`SCALE` across the text extent.
pub const SCALE: u16 = 1000;

/// A box `[x0, y0, x1, y1]` in 0..=[`SCALE`].
pub type Box4 = [u16; 4];

/// Region boxes (`[x0, y0, x1, y1]` in any one frame; `None` for a
/// separator) scaled to their union, one per character.
pub fn normalise(boxes: &[Option<[f32; 4]>]) -> Vec<Box4> {
    let extent = boxes.iter().flatten().fold(None, |e: Option<[f32; 4]>, b| {
        Some(e.map_or(*b, |e| [e[0].min(b[0]), e[1].min(b[1]), e[2].max(b[2]), e[3].max(b[3])]))
    });
    let Some([x0, y0, x1, y1]) = extent else { return vec![[0; 4]; boxes.len()] };
    let scale = |v: f32, lo: f32, hi: f32| (((v - lo) / (hi - lo).max(1.0)) * SCALE as f32).round().clamp(0.0, SCALE as f32) as u16;
    boxes
        .iter()
        .map(|b| b.map_or([0; 4], |b| [scale(b[0], x0, x1), scale(b[1], y0, y1), scale(b[2], x0, x1), scale(b[3], y0, y1)]))
        .collect()
}

/// The box of each token, given the character each one stands for
/// ([`super::tokenizer::encode`]'s offsets) and the characters' boxes;
/// `[CLS]` (no character) has none. Inference and training both encode
/// through here, so the model is shown boxes as it was taught them.
pub fn token_boxes(offsets: &[Option<usize>], char_boxes: &[Box4]) -> Vec<Box4> {
    offsets.iter().map(|o| o.map_or([0; 4], |c| char_boxes[c])).collect()
}

/// One box per entry of [`PageText::chars`] (line breaks included).
///
/// A character the OCR read has the box of its detected region, taken in
/// the detector's frame and turned by the page's rotation, so a photo
/// taken sideways (EXIF or not) gives upright boxes. Text with no region
/// behind it (a page built by hand, as in tests) takes the box of its run
/// of characters between two spaces of the line, in the stored frame.
pub fn page_boxes(page: &PageText) -> Vec<Box4> {
    let mut boxes: Vec<Option<[f32; 4]>> = vec![];
    // Region-less characters since the last separator: (index, box).
    let mut run: Vec<(usize, BBox)> = vec![];
    let flush = |run: &mut Vec<(usize, BBox)>, boxes: &mut Vec<Option<[f32; 4]>>| {
        if let Some(b) = run.iter().map(|r| r.1).reduce(|a, b| a.union(b)) {
            let b = [b.x as f32, b.y as f32, (b.x + b.w) as f32, (b.y + b.h) as f32];
            run.drain(..).for_each(|(k, _)| boxes[k] = Some(b));
        }
    };
    for (i, line) in page.lines.iter().enumerate() {
        if i > 0 {
            boxes.push(None);
        }
        for c in &line.chars {
            if c.source.is_none() && c.ch == ' ' {
                flush(&mut run, &mut boxes);
                boxes.push(None);
                continue;
            }
            let region = c.source.and_then(|s| page.regions.get(s.region));
            if region.is_none() {
                run.push((boxes.len(), c.bbox));
            }
            boxes.push(region.map(|r| upright(r.region.bounds(), page.rotation_applied)));
        }
        flush(&mut run, &mut boxes);
    }
    normalise(&boxes)
}

/// A box of the detector's frame turned by the page's rotation (clockwise
/// degrees). The translation is left out: the text extent takes it out.
fn upright((x0, y0, x1, y1): (f32, f32, f32, f32), rotation: u16) -> [f32; 4] {
    let [(ax, ay), (bx, by)] = match rotation {
        90 => [(-y0, x0), (-y1, x1)],
        180 => [(-x0, -y0), (-x1, -y1)],
        270 => [(y0, -x0), (y1, -x1)],
        _ => [(x0, y0), (x1, y1)],
    };
    [ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::{TextChar, TextLine};

    fn line(text: &str, x: u32, y: u32) -> TextLine {
        let chars: Vec<TextChar> =
            text.chars().enumerate().map(|(j, ch)| TextChar { ch, confidence: 0.9, bbox: BBox::new(x + 10 * j as u32, y, 10, 20), source: None, seen: None }).collect();
        let bbox = chars.iter().fold(BBox::default(), |b, c| b.union(c.bbox));
        TextLine { text: text.into(), confidence: 0.9, bbox, chars, page: 1 }
    }

    #[test]
    fn boxes_span_the_text_extent_from_0_to_1000() {
        let b = normalise(&[Some([100.0, 50.0, 200.0, 70.0]), None, Some([300.0, 150.0, 500.0, 170.0])]);
        assert_eq!(b, [[0, 0, 250, 167], [0; 4], [500, 833, 1000, 1000]]);
        assert_eq!(normalise(&[None, None]), [[0; 4]; 2]);
    }

    #[test]
    fn the_same_card_scanned_or_photographed_on_a_desk_gets_the_same_boxes() {
        let page = |dx: u32, dy: u32, w: u32, h: u32| PageText {
            width: w,
            height: h,
            rotation_applied: 0,
            lines: vec![line("姓名 张三", dx, dy), line("住址 北京", dx, dy + 40)],
            regions: vec![],
        };
        assert_eq!(page_boxes(&page(0, 0, 100, 60)), page_boxes(&page(700, 900, 3000, 4000)));
    }

    #[test]
    fn characters_share_their_region_box_and_separators_have_none() {
        let page = PageText { width: 100, height: 100, rotation_applied: 0, lines: vec![line("ab cd", 0, 0), line("e", 0, 40)], regions: vec![] };
        let b = page_boxes(&page);
        assert_eq!(b.len(), page.chars().len());
        // "ab" spans x 0..20 of the extent 0..50; "cd" 30..50; the space and the line break are separators.
        assert_eq!(b[0], b[1]);
        assert_eq!(b[0], [0, 0, 400, 333]);
        assert_eq!(b[2], [0; 4]);
        assert_eq!(b[3], [600, 0, 1000, 333]);
        assert_eq!(b[5], [0; 4]);
        assert_eq!(b[6], [0, 667, 200, 1000]);
    }

    #[test]
    fn each_token_has_its_characters_box_and_cls_none() {
        let (a, b) = ([1, 2, 3, 4], [5, 6, 7, 8]);
        assert_eq!(token_boxes(&[None, Some(1), Some(0)], &[a, b]), [[0; 4], b, a]);
    }

    #[test]
    fn a_page_read_after_a_quarter_turn_gets_upright_boxes() {
        // Content read after a clockwise quarter turn lay turned
        // anticlockwise: its first line at the left, running bottom to top.
        let first = upright((0.0, 0.0, 20.0, 100.0), 90);
        let second = upright((40.0, 0.0, 60.0, 100.0), 90);
        // Upright, the first line lies above the second, both wide and flat.
        assert!(first[3] <= second[1], "{first:?} {second:?}");
        assert!(first[2] - first[0] > first[3] - first[1]);
        assert_eq!(upright((1.0, 2.0, 3.0, 4.0), 0), [1.0, 2.0, 3.0, 4.0]);
    }
}
