//! Whether a doubtful reading's doubt can change a check's finding.
//!
//! A date read with low confidence warns, since another reading might not
//! meet the rule. But the recogniser says what else it saw at each doubtful
//! character (`ocr::Seen`): when every reading those characters could give
//! (each one as read, as another character seen there, or left out) is
//! either no value of the field's type or one that still meets the rule,
//! the doubt cannot change the finding. A letter valid until 2027-03-25
//! whose `3` might be an `8` covers a trip in 2026 either way; one whose
//! `7` might be a `1` does not, and keeps its warning.

use crate::document::Document;
use crate::ocr::TextChar;
use crate::types::{Date, Month, Until, normalize};

/// A character seen at least this probable is a reading to consider. The
/// spelled search (`on_page`) takes one at 0.02; this is stricter.
const ALT_P: f32 = 0.01;

/// More combinations than this are not enumerated: the doubt stays.
const MAX_READINGS: usize = 512;

/// A value a check reads from a printed text and judges.
pub trait Printed: Sized + PartialEq {
    /// The value a printed text holds, if it is one of this type.
    fn from_printed(text: &str) -> Option<Self>;
}

impl Printed for Date {
    fn from_printed(text: &str) -> Option<Self> {
        normalize::date(text)
    }
}

impl Printed for Until {
    fn from_printed(text: &str) -> Option<Self> {
        normalize::open_end(text).and_then(|t| Until::parse(&t).ok())
    }
}

impl Printed for Month {
    fn from_printed(text: &str) -> Option<Self> {
        normalize::month(text)
    }
}

/// A mass in kg (`49000kg`, `49吨`), as the checks hold it.
impl Printed for u64 {
    fn from_printed(text: &str) -> Option<Self> {
        normalize::mass(text).map(|kg| kg.0 as u64)
    }
}

/// Whether every reading the recogniser saw for `doc`'s `key` that is a
/// value of its type meets `holds`. `read` is the value taken; the
/// characters inside the field's box must print it, and at least one of
/// them must be below `min_confidence` (the doubt is theirs). Otherwise,
/// or when there are too many readings to try, `false`: the doubt stays.
pub(crate) fn every_reading<T: Printed>(doc: &Document, key: &str, read: &T, min_confidence: f32, holds: impl Fn(&T) -> bool) -> bool {
    let Some(chars) = field_chars(doc, key) else { return false };
    let printed: String = chars.iter().map(|c| c.ch).collect();
    if T::from_printed(&printed).as_ref() != Some(read) {
        return false;
    }
    // Per character, what it may be: itself only when sure; else itself,
    // each other character seen there, or nothing.
    let mut options: Vec<Vec<Option<char>>> = vec![];
    for c in &chars {
        if c.confidence >= min_confidence {
            options.push(vec![Some(c.ch)]);
            continue;
        }
        let Some(seen) = &c.seen else { return false };
        let mut o: Vec<Option<char>> = vec![Some(c.ch), None];
        o.extend(seen.alternatives(ALT_P).into_iter().map(|a| Some(a.0)).filter(|a| *a != Some(c.ch)));
        options.push(o);
    }
    let count = options.iter().try_fold(1usize, |n, o| n.checked_mul(o.len()).filter(|&n| n <= MAX_READINGS));
    if count.is_none() || options.iter().all(|o| o.len() == 1) {
        return false;
    }
    // Every combination, as a mixed-radix counter over the options.
    let mut pick = vec![0usize; options.len()];
    loop {
        let text: String = options.iter().zip(&pick).filter_map(|(o, &i)| o[i]).collect();
        if T::from_printed(&text).is_some_and(|v| !holds(&v)) {
            return false;
        }
        let Some(k) = (0..pick.len()).find(|&k| pick[k] + 1 < options[k].len()) else { return true };
        pick[k] += 1;
        pick[..k].iter_mut().for_each(|p| *p = 0);
    }
}

/// The characters of one OCR line whose centres lie in the box `doc`'s
/// `key` was read from, in reading order; `None` when there are none or
/// they span lines.
fn field_chars<'d>(doc: &'d Document, key: &str) -> Option<Vec<&'d TextChar>> {
    let f = doc.field(key)?;
    let b = f.bbox;
    if b.w == 0 || b.h == 0 {
        return None;
    }
    let inside = |c: &TextChar| b.holds_centre_of(c.bbox);
    let mut lines =
        doc.lines.iter().filter(|l| l.page.max(1) == f.page()).map(|l| l.chars.iter().filter(|c| inside(c)).collect::<Vec<_>>()).filter(|c| !c.is_empty());
    let chars = lines.next()?;
    lines.next().is_none().then_some(chars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocKind, Field};
    use crate::ocr::{TextLine, fake_read};
    use crate::types::BBox;
    use serde_json::json;

    /// A letter whose `valid_until` is read from `read` (20 px a
    /// character), each character sure but those of `doubts`.
    fn letter(read: &str, doubts: &[(usize, f32, &[(char, f32)])]) -> Document {
        let chars: Vec<TextChar> = fake_read(read, doubts)
            .into_iter()
            .enumerate()
            .map(|(i, (ch, confidence, seen))| TextChar { ch, confidence, bbox: BBox::new(20 * i as u32, 0, 20, 24), source: None, seen: Some(seen) })
            .collect();
        let n = chars.len() as u32;
        let confidence = chars.iter().map(|c| c.confidence).fold(1.0, f32::min);
        let value = Until::from_printed(read).unwrap().to_string();
        let mut doc = Document::unread("letter.jpg", None, None, "");
        (doc.unread, doc.kind) = (None, Some(DocKind::AuthorizationLetter));
        doc.fields.insert("valid_until".into(), Field::new(json!(value), confidence, BBox::new(0, 0, 20 * n, 24)));
        doc.lines = vec![TextLine { text: read.into(), confidence, bbox: BBox::new(0, 0, 20 * n, 24), chars, page: 1 }];
        doc
    }

    fn covers(day: &str) -> impl Fn(&Until) -> bool {
        let day = crate::types::parse_date(day).unwrap();
        move |u: &Until| u.covers(day)
    }

    fn read_as(doc: &Document) -> Until {
        Until::parse(&doc.field("valid_until").unwrap().text()).unwrap()
    }

    #[test]
    fn a_doubtful_digit_whose_every_alternative_still_covers_the_day_cannot_change_the_finding() {
        // 2027年03月25日, the month's 3 at 0.55 with 8 seen at 0.30.
        let doc = letter("2027年03月25日", &[(6, 0.55, &[('8', 0.30)])]);
        assert!(every_reading(&doc, "valid_until", &read_as(&doc), 0.8, covers("2026-12-10")));
    }

    #[test]
    fn a_doubtful_digit_that_may_make_the_date_too_early_keeps_its_doubt() {
        // The year's 7 at 0.55 with 1 seen at 0.30: 2021 would not cover.
        let doc = letter("2027年03月25日", &[(3, 0.55, &[('1', 0.30)])]);
        assert!(!every_reading(&doc, "valid_until", &read_as(&doc), 0.8, covers("2026-12-10")));
        // Nor does a day's digit left out, when the rest still makes a date
        // that fails: 2026年12月15日 read, the 1 of 15 doubtful → 12月5日.
        let doc = letter("2026年12月15日", &[(8, 0.5, &[])]);
        assert!(!every_reading(&doc, "valid_until", &read_as(&doc), 0.8, covers("2026-12-10")));
    }

    #[test]
    fn a_reading_with_no_doubtful_character_or_no_recogniser_output_is_left_doubtful() {
        // Every character sure: the field's doubt is not the recogniser's.
        let doc = letter("2027年03月25日", &[]);
        assert!(!every_reading(&doc, "valid_until", &read_as(&doc), 0.8, covers("2026-12-10")));
        // The recogniser's frames not kept (a page given with --fields).
        let mut doc = letter("2027年03月25日", &[(6, 0.55, &[('8', 0.30)])]);
        doc.lines[0].chars.iter_mut().for_each(|c| c.seen = None);
        assert!(!every_reading(&doc, "valid_until", &read_as(&doc), 0.8, covers("2026-12-10")));
    }

    #[test]
    fn characters_that_do_not_print_the_value_taken_are_not_reasoned_about() {
        let doc = letter("2027年03月25日", &[(6, 0.55, &[('8', 0.30)])]);
        let other = Until::from_printed("2027-04-25").unwrap();
        assert!(!every_reading(&doc, "valid_until", &other, 0.8, covers("2026-12-10")));
    }
}
