//! From per-character tags to typed field values (`documents.md`).
//!
//! - **BIO repair**: an `I-x` that does not continue an `x` span starts one
//!   (the tagger's commonest slip is a missed `B`); spans stop at line ends.
//! - **Wrapped values**: a text value that runs to the end of a line and
//!   goes on at the start of a line just below it, in the same column (an
//!   address, a business scope), is one value, even when reading order put
//!   a line of another column in between.
//! - **Digits at the edge**: a number or date whose span stops one digit
//!   short (`注册日期2021-07-31` tagged from the `0`) takes the digits
//!   touching it on its line; a code (VIN, engine number, licence class)
//!   takes the Latin letters and digits touching it (`A` of `A2`).
//! - **Choice**: several spans for one field → one that reads as the
//!   field's type (a date that parses), then the surest; a span of
//!   punctuation alone (a speck under a seal) is never a value, nor is a
//!   span that is its own field's label or part of it (`经营` of
//!   `经营范围`: the tagger took the label's first characters).
//! - **Roles**: a `valid_from`/`valid_until` pair read as two spans of one
//!   role is split by order on the page (the earlier date starts); read
//!   as one span, it is cut at its separator, or, the separator lost
//!   (`2026-04-192026-12-10`), where the second year starts.
//! - **Values**: normalised by the field's type; the box is the union of
//!   the characters' boxes; the confidence is the weakest character's OCR
//!   probability × tag probability. A value that does not normalise (a
//!   garbled date) or is not of its field's grammar or range
//!   ([`super::typed`]) is unreadable: reported with its text and box but
//!   no value, so the check that uses it warns instead of guessing. Check
//!   characters are never "repaired" here.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::PERIOD_SEPARATORS;
use crate::document::{DocKind, Field, FieldType};
use crate::types::{BBox, normalize};

/// One character of the page text with what OCR and the tagger said.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedChar {
    pub ch: char,
    pub bbox: BBox,
    pub ocr_confidence: f32,
    /// `O`, `B-field`, `I-field`.
    pub tag: String,
    pub tag_confidence: f32,
}

#[derive(Debug, Clone, PartialEq)]
struct Span {
    field: String,
    text: String,
    bbox: BBox,
    confidence: f32,
    start: usize,
    /// One past the last character.
    end: usize,
}

impl Span {
    /// Takes in the character just after the span (`chars[self.end]`).
    fn grow(&mut self, c: &TaggedChar, confidence: f32) {
        self.text.push(c.ch);
        self.bbox = self.bbox.union(c.bbox);
        self.confidence = self.confidence.min(confidence);
        self.end += 1;
    }

    /// Takes in the text, box and confidence of `next`, a piece of the same
    /// value elsewhere on the page (a wrapped line); `end` is the caller's.
    fn join(&mut self, next: &Span) {
        self.text.push_str(&next.text);
        self.bbox = self.bbox.union(next.bbox);
        self.confidence = self.confidence.min(next.confidence);
    }
}

fn spans(chars: &[TaggedChar]) -> Vec<Span> {
    let mut out: Vec<Span> = vec![];
    let mut open: Option<Span> = None;
    for (i, c) in chars.iter().enumerate() {
        let (bio, field) = c.tag.split_once('-').unwrap_or(("O", ""));
        // A B straight after the same field's last character goes on with
        // it: the model now and then starts a name again after the surname
        // (庞|林亮) or an ID number after its area code (371|302…), and two
        // values of one field never touch on a page.
        let continues = (bio == "I" || bio == "B") && open.as_ref().is_some_and(|s| s.field == field);
        if c.ch == '\n' || bio == "O" || !continues {
            out.extend(open.take());
        }
        if c.ch == '\n' || bio == "O" {
            continue;
        }
        let conf = c.ocr_confidence * c.tag_confidence;
        match &mut open {
            Some(s) => s.grow(c, conf),
            None => open = Some(Span { field: field.to_string(), text: c.ch.to_string(), bbox: c.bbox, confidence: conf, start: i, end: i + 1 }),
        }
    }
    out.extend(open);
    out
}

/// A span holding a from/until pair (`2026年4月3日-2026年11月14日`,
/// `2021年07月01日至长期`) cut at the separator between a date and a date
/// or open end. `None` for one value, or a span joined over lines.
fn split_range(chars: &[TaggedChar], s: &Span) -> Option<(Span, Span)> {
    let own = &chars[s.start..s.end];
    if own.iter().map(|c| c.ch).collect::<String>() != s.text {
        return None;
    }
    let part = |from: usize, to: usize| sub_span(chars, &s.field, from, to);
    (1..own.len().saturating_sub(1)).filter(|&k| PERIOD_SEPARATORS.contains(&own[k].ch)).find_map(|k| {
        let (from, until) = (part(s.start, s.start + k), part(s.start + k + 1, s.end));
        (normalize::date(&from.text).is_some() && normalize::open_end(&until.text).is_some()).then_some((from, until))
    })
}

/// A from/until pair OCR read without its separator
/// (`2026-04-192026-12-10`, the 至 lost to blur), of which the tagger
/// took a part that is no date of a plausible year (`192026-12-10`,
/// [`crate::ocr::grammar::YEARS`]): the run of date
/// characters around the span, cut where a date ends and a year of 19xx
/// or 20xx starts.
fn split_glued(chars: &[TaggedChar], s: &Span) -> Option<(Span, Span)> {
    use crate::ocr::grammar::Grammar;
    if Grammar::OpenEnd.value(&s.text).is_some() {
        return None;
    }
    let date_char = |c: char| c.is_ascii_digit() || matches!(c, '年' | '月' | '日' | '.' | '-' | '/');
    let mut run = s.clone();
    widen(chars, &mut run, date_char, date_char);
    let own = &chars[run.start..run.end];
    let starts_year = |k: usize| matches!((own[k].ch, own.get(k + 1).map(|c| c.ch)), ('1', Some('9')) | ('2', Some('0')));
    (1..own.len()).filter(|&k| starts_year(k)).find_map(|k| {
        let (from, until) = (sub_span(chars, &s.field, run.start, run.start + k), sub_span(chars, &s.field, run.start + k, run.end));
        (Grammar::Date.value(&from.text).is_some() && Grammar::OpenEnd.value(&until.text).is_some()).then_some((from, until))
    })
}

/// Characters `from..to` as a span of `field`.
fn sub_span(chars: &[TaggedChar], field: &str, from: usize, to: usize) -> Span {
    let cs = &chars[from..to];
    let text: String = cs.iter().map(|c| c.ch).collect();
    let bbox = cs.iter().skip(1).fold(cs[0].bbox, |b, c| b.union(c.bbox));
    let confidence = cs.iter().map(|c| c.ocr_confidence * c.tag_confidence).fold(1f32, f32::min);
    Span { field: field.to_string(), text, bbox, confidence, start: from, end: to }
}

/// Whether `s` goes on where `prev` stopped: `prev` ends its line, `s`
/// starts one (OCR lines, whatever lies between them in reading order),
/// and on the page `s` either follows on the same row or starts the next
/// row down in the same column.
fn continues(chars: &[TaggedChar], prev: &Span, s: &Span) -> bool {
    // A gap inside an OCR line also ends a value: OCR often reads two
    // columns as one line (`经营范围 许可项目… 住 所 山东省…`).
    let ends_line = chars.get(prev.end).is_none_or(|c| c.ch == '\n' || c.ch == ' ');
    let starts_line = s.start > 0 && chars[s.start - 1].ch == '\n';
    if !ends_line || !starts_line {
        return false;
    }
    let (last, first) = (chars[prev.end - 1].bbox, chars[s.start].bbox);
    let h = last.h.max(1);
    let same_row = first.y + h / 2 > last.y && first.y < last.y + h / 2 && first.x > last.x;
    let next_row = first.y >= last.y + h / 2 && first.y <= last.y + h + h * 3 / 2;
    let same_column = first.x + 4 * h >= prev.bbox.x && first.x <= prev.bbox.x + prev.bbox.w;
    same_row || (next_row && same_column)
}

/// Widens a numeric span over digits touching it on its line; a date
/// also over the date characters that go on after it (`2020年2` + `月21日`).
fn take_edge_digits(chars: &[TaggedChar], s: &mut Span, date: bool) {
    let more = |c: char| c.is_ascii_digit() || (date && matches!(c, '年' | '月' | '日' | '.' | '-' | '/'));
    widen(chars, s, |c| c.is_ascii_digit(), more);
}

/// Completes the unit of a mass tagged up to its number or its `k`
/// (`58420k|g`): the unit touching a number is the number's.
fn take_kg(chars: &[TaggedChar], s: &mut Span) {
    for unit in ['k', 'g'] {
        let wanted = if unit == 'k' { s.text.ends_with(|c: char| c.is_ascii_digit()) } else { s.text.ends_with(['k', 'K']) };
        if wanted && let Some(c) = chars.get(s.end).filter(|c| c.ch.eq_ignore_ascii_case(&unit)) {
            s.grow(c, c.ocr_confidence);
        }
    }
}

/// Completes `长期` (and `长期有效`) of an open-ended term tagged from its
/// first character on (`营业期限至 长|期`): the word is never anything but
/// the open end.
fn take_long_term(chars: &[TaggedChar], s: &mut Span) {
    let text = normalize::text(&s.text);
    if text.starts_with('长') && "长期有效".starts_with(text.as_str()) {
        widen(chars, s, |_| false, |c| matches!(c, '期' | '有' | '效'));
    }
}

/// An address never stops at a bare number: when its span ends a line
/// with a digit and the line just below in its column starts with `号` or
/// `室` (a card's address wrapped before its last character), that
/// character is the address's.
fn take_house_number(chars: &[TaggedChar], s: &mut Span) {
    if !s.text.ends_with(|c: char| c.is_ascii_digit()) {
        return;
    }
    for i in s.end..chars.len() {
        let starts_line = chars[i - 1].ch == '\n';
        if !starts_line || !matches!(chars[i].ch, '号' | '室') || chars[i].tag != "O" {
            continue;
        }
        let c = &chars[i];
        let next = Span { field: s.field.clone(), text: c.ch.to_string(), bbox: c.bbox, confidence: c.ocr_confidence, start: i, end: i + 1 };
        if continues(chars, s, &next) {
            s.join(&next);
            // `end` stays at the end of the first line: `start..end` is
            // where the span stands in reading order, the text and box
            // hold the character below.
            return;
        }
    }
}

/// The most characters a name printed as one word is taken to have (a
/// double surname and a two-character given name).
const MAX_NAME_WORD: usize = 4;

/// Widens a person's name over the rest of its word: a name is printed
/// without a gap inside, and the tagger now and then leaves out a rare
/// first or last character (`成|郭娃`, `唐唉|署`). Only a short word of
/// Chinese characters, untagged outside the span and holding no character
/// of the page's labels, is taken: `姓名王琳` or `名王琳`, OCR's reading
/// of a label glued to its value, stays as tagged.
fn take_whole_name(kind: DocKind, chars: &[TaggedChar], s: &mut Span) {
    let gap = |c: &TaggedChar| c.ch == ' ' || c.ch == '\n';
    let start = chars[..s.start].iter().rposition(gap).map_or(0, |i| i + 1);
    let end = chars[s.end..].iter().position(gap).map_or(chars.len(), |i| s.end + i);
    if end - start > MAX_NAME_WORD || (start == s.start && end == s.end) {
        return;
    }
    let label_chars: String = kind.fields().iter().flat_map(|(k, _)| crate::document::labels(kind, k).iter().copied()).collect();
    let takes = |c: &TaggedChar| normalize::is_han(c.ch) && c.tag == "O" && !label_chars.contains(c.ch);
    if chars[start..s.start].iter().chain(&chars[s.end..end]).all(takes) {
        widen_to(chars, s, start, end);
    }
}

/// Fields that hold a company's name (a vehicle's owner may be a person).
const COMPANY_NAMES: [&str; 4] = ["company_name", "principal_name", "operator_name", "owner"];

/// Words a sentence introduces a company with (`我单位济南…有限公司…`).
const SENTENCE_LEADS: [&str; 6] = ["我单位", "我公司", "本单位", "本公司", "委托", "证明"];

/// Widens a company's name back to the start of its word: a name is
/// printed without a gap inside, and the tagger, meeting rare characters,
/// starts it late (`济南睹汉|货运集团有限公司`) or cuts it in two
/// (`济南|甩舰术物流科技股份|有限公司`). Only a span ending in 公司 is
/// widened, over Chinese characters and brackets, untagged or its own, after
/// a gap, a line's start, a colon or the words a sentence introduces it
/// with ([`SENTENCE_LEADS`]); a word that starts with a label
/// (`业户名称济南…`, OCR's reading of a label glued to its value) stays
/// as tagged.
fn take_whole_company(chars: &[TaggedChar], s: &mut Span) {
    if !normalize::text(&s.text).ends_with("公司") {
        return;
    }
    let stop = |c: &TaggedChar| matches!(c.ch, ' ' | '\n' | ':' | '：');
    let mut start = chars[..s.start].iter().rposition(stop).map_or(0, |i| i + 1);
    // In a sentence the name follows the words that introduce it.
    let before: String = chars[start..s.start].iter().map(|c| c.ch).collect();
    if let Some(end) = SENTENCE_LEADS.iter().filter_map(|w| before.rfind(w).map(|i| i + w.len())).max() {
        start += before[..end].chars().count();
    }
    // The name's own pieces too: the tagger may have cut it in two (济南|…|有限公司).
    let ours = |c: &TaggedChar| c.tag == "O" || c.tag.split_once('-').is_some_and(|(_, f)| f == s.field);
    let takes = |c: &TaggedChar| ours(c) && (normalize::is_han(c.ch) || matches!(c.ch, '(' | ')' | '（' | '）'));
    if start == s.start || !chars[start..s.start].iter().all(takes) {
        return;
    }
    let word = normalize::text(&chars[start..s.end].iter().map(|c| c.ch).collect::<String>());
    let any_label = DocKind::ALL.into_iter().flat_map(|k| k.fields().iter().flat_map(move |(f, _)| crate::document::labels(k, f).iter()));
    if any_label.filter(|l| l.chars().count() >= 2).any(|l| word.starts_with(&normalize::text(l))) {
        return;
    }
    widen_to(chars, s, start, s.end);
}

/// Widens a code span over the Latin letters and digits touching it: a VIN,
/// engine number or licence class has no space inside, and the tagger
/// sometimes stops a code short on a blurred page (`A` of `A2`, `X1` of
/// `X1250802066`). Chinese characters (labels, 鲁, 挂) are never taken.
fn take_edge_alnum(chars: &[TaggedChar], s: &mut Span) {
    widen(chars, s, |c| c.is_ascii_alphanumeric(), |c| c.is_ascii_alphanumeric());
}

/// Moves `s`'s start back over characters `before` accepts and its end on
/// over characters `after` accepts, taking their boxes and confidences.
fn widen(chars: &[TaggedChar], s: &mut Span, before: impl Fn(char) -> bool, after: impl Fn(char) -> bool) {
    let start = s.start - chars[..s.start].iter().rev().take_while(|c| before(c.ch)).count();
    let end = s.end + chars[s.end..].iter().take_while(|c| after(c.ch)).count();
    widen_to(chars, s, start, end);
}

/// Moves `s` out to `start..end` (which holds it), taking the characters'
/// boxes and OCR confidences.
fn widen_to(chars: &[TaggedChar], s: &mut Span, start: usize, end: usize) {
    while s.start > start {
        s.start -= 1;
        let c = &chars[s.start];
        s.text.insert(0, c.ch);
        s.bbox = s.bbox.union(c.bbox);
        s.confidence = s.confidence.min(c.ocr_confidence);
    }
    while s.end < end {
        let c = &chars[s.end];
        s.grow(c, c.ocr_confidence);
    }
}

/// Closes a bracket the span opened when the next character closes it
/// (`有限责任公司(自然人投资或控股` + `)`).
fn take_closing_bracket(chars: &[TaggedChar], s: &mut Span) {
    let open = s.text.chars().filter(|c| matches!(c, '(' | '（')).count();
    let closed = s.text.chars().filter(|c| matches!(c, ')' | '）')).count();
    if open > closed
        && let Some(c) = chars.get(s.end)
        && matches!(c.ch, ')' | '）')
    {
        s.grow(c, c.ocr_confidence);
    }
}

/// Letters OCR reads for digits (`q000kg` for `9000kg`, `2O21` for `2021`),
/// put back where a number is expected and the letter touches a digit.
/// Only numbers: a code (VIN, plate) is reported as read and the checks
/// decide.
fn lookalike_digits(text: &str) -> String {
    let cs: Vec<char> = text.chars().collect();
    let digit_at = |i: Option<usize>| i.and_then(|i| cs.get(i)).is_some_and(char::is_ascii_digit);
    cs.iter()
        .enumerate()
        .map(|(i, &c)| {
            let d = match c {
                'q' => '9',
                'O' | 'o' => '0',
                'l' | 'I' | '|' => '1',
                'S' | 's' => '5',
                'B' => '8',
                'Z' | 'z' => '2',
                _ => return c,
            };
            if digit_at(i.checked_sub(1)) || digit_at(Some(i + 1)) { d } else { c }
        })
        .collect()
}

/// `text` without a leading label of `key` and the colon after it.
fn without_label<'a>(kind: DocKind, key: &str, text: &'a str) -> &'a str {
    let t = text.trim_start();
    crate::document::labels(kind, key)
        .iter()
        .find_map(|l| t.strip_prefix(l).map(str::trim_start).and_then(|r| r.strip_prefix([':', '：'])).map(str::trim_start).filter(|r| !r.is_empty()))
        .unwrap_or(text)
}

/// In a business scope a colon only follows a heading (许可项目：,
/// 一般项目：); anywhere else it is OCR's reading of the semicolon between
/// two items (`；` and `：` differ by a small tail).
fn scope_separators(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(if c == ':' && !out.ends_with("项目") && !out.ends_with("范围") { ';' } else { c });
    }
    out
}

/// The span is its field's label or part of one (`经营` of `经营范围`).
fn is_label(kind: DocKind, s: &Span) -> bool {
    let text = normalize::text(&s.text);
    crate::document::labels(kind, &s.field).iter().any(|l| l.contains(text.as_str()))
}

/// The normalised value of `text` as a field of type `t`, if it is one.
fn value(t: FieldType, text: &str) -> Option<Value> {
    let fixed;
    let text = if t.is_numeric() {
        fixed = lookalike_digits(text);
        &fixed
    } else {
        text
    };
    Some(match t {
        FieldType::Text => json!(normalize::text(text)),
        FieldType::Code => json!(normalize::code(text)),
        FieldType::Date => json!(normalize::date(text)?.to_string()),
        FieldType::OpenEnd => json!(normalize::open_end(text)?),
        FieldType::Month => json!(normalize::month(text)?.to_string()),
        FieldType::Mass => json!(normalize::mass(text)?.0),
        FieldType::Length => json!(crate::types::Mm::parse(&normalize::text(text)).ok()?.0),
        FieldType::Integer => json!(normalize::text(text).trim_end_matches('人').parse::<u64>().ok()?),
        FieldType::Sections => return None,
    })
}

/// The fields of a page of `kind` from its tagged characters.
pub fn fields(kind: DocKind, chars: &[TaggedChar]) -> BTreeMap<String, Field> {
    let schema = kind.fields();
    let mut by_field: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for mut s in spans(chars) {
        let Some((_, t)) = schema.iter().find(|(k, _)| *k == s.field) else { continue };
        if !s.text.chars().any(char::is_alphanumeric) || is_label(kind, &s) {
            continue;
        }
        use FieldType::*;
        if t.is_numeric() {
            take_edge_digits(chars, &mut s, matches!(t, Date | OpenEnd | Month));
        }
        if *t == Code {
            take_edge_alnum(chars, &mut s);
        }
        if *t == OpenEnd {
            take_long_term(chars, &mut s);
        }
        if *t == Mass {
            take_kg(chars, &mut s);
        }
        if *t == Text {
            take_closing_bracket(chars, &mut s);
            if super::typed::PERSON_NAMES.contains(&s.field.as_str()) {
                take_whole_name(kind, chars, &mut s);
            }
            if COMPANY_NAMES.contains(&s.field.as_str()) {
                take_whole_company(chars, &mut s);
            }
            if s.field == "address" {
                take_house_number(chars, &mut s);
            }
        }
        let list = by_field.entry(s.field.clone()).or_default();
        // A piece the span was widened over is no value of its own.
        list.retain(|p| p.start < s.start || p.end > s.end);
        // A text value wrapped onto a following line: one value.
        if *t == Text
            && let Some(prev) = list.last_mut()
            && continues(chars, prev, &s)
        {
            prev.join(&s);
            prev.end = s.end;
            continue;
        }
        list.push(s);
    }
    // A from/until pair read as one span of either role: cut in two.
    let has = |k: &str| schema.iter().any(|(f, _)| *f == k);
    for key in ["valid_from", "valid_until", "term_until"] {
        let one = by_field.get(key).filter(|v| v.len() == 1).and_then(|v| split_range(chars, &v[0]).or_else(|| split_glued(chars, &v[0])));
        let Some((from, until)) = one else { continue };
        if key == "valid_from" || (has("valid_from") && !by_field.contains_key("valid_from")) {
            by_field.insert("valid_from".into(), vec![from]);
        }
        if key != "valid_from" || !by_field.contains_key("valid_until") {
            by_field.insert(if key == "term_until" { "term_until" } else { "valid_until" }.into(), vec![until]);
        }
    }
    // A period is printed start first (`X至Y`). The tagger sees the digits
    // and may take the earlier date for the start; with a year misread
    // (2029 as 2009: `2019.09.10至2009.09.10`) that swaps the two, and the
    // misread is lost (`typed::settle` finds a period that ends before it
    // starts). Two spans joined by a separator take their printed roles.
    if let (Some([from]), Some([until])) = (by_field.get("valid_from").map(Vec::as_slice), by_field.get("valid_until").map(Vec::as_slice))
        && until.end < from.start
        && let between = &chars[until.end..from.start]
        && between.iter().all(|c| c.ch != '\n')
        && let [sep] = between.iter().filter(|c| !c.ch.is_whitespace()).collect::<Vec<_>>().as_slice()
        && PERIOD_SEPARATORS.contains(&sep.ch)
    {
        let (start, end) = (Span { field: "valid_from".into(), ..until.clone() }, Span { field: "valid_until".into(), ..from.clone() });
        by_field.insert("valid_from".into(), vec![start]);
        by_field.insert("valid_until".into(), vec![end]);
    }
    // A from/until pair read as two spans of one role: split by order.
    if has("valid_from") {
        for (have, missing) in [("valid_until", "valid_from"), ("valid_from", "valid_until")] {
            if !by_field.contains_key(missing) && by_field.get(have).is_some_and(|v| v.len() == 2) {
                let mut two = by_field.remove(have).unwrap();
                two.sort_by_key(|s| s.start);
                let (first, second) = (two.remove(0), two.remove(0));
                by_field.insert("valid_from".into(), vec![first]);
                by_field.insert("valid_until".into(), vec![second]);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (key, t) in schema {
        let Some(cands) = by_field.get(*key) else { continue };
        let reads = |s: &Span| typed(kind, key, *t, &s.text).is_ok();
        let best = cands.iter().max_by(|a, b| (reads(a), a.confidence).partial_cmp(&(reads(b), b.confidence)).unwrap_or(std::cmp::Ordering::Equal)).expect("non-empty");
        out.insert(key.to_string(), field(kind, key, *t, &best.text, best.confidence, best.bbox));
    }
    out
}

/// The value of `text` as field `key` of a page of `kind`, or why it is
/// none: not normalised as its type, or not of the field's grammar or range.
pub(super) fn typed(kind: DocKind, key: &str, t: FieldType, text: &str) -> Result<Value, String> {
    let v = value(t, text).ok_or_else(|| format!("not a {}", t.name()))?;
    super::typed::problem(kind, key, &v, super::typed::embedded_bounds()).map_or(Ok(v), Err)
}

/// The field read from `text`: its value, or `text` marked unreadable. A
/// text that starts with its field's label and a colon (`经营范围：许可项目…`,
/// the tagger having taken the label in) is read without them.
pub(super) fn field(kind: DocKind, key: &str, t: FieldType, text: &str, confidence: f32, bbox: BBox) -> Field {
    let text = if t == FieldType::Text { without_label(kind, key, text) } else { text };
    match typed(kind, key, t, text) {
        Ok(Value::String(v)) if key == "business_scope" => Field::new(json!(scope_separators(&v)), confidence, bbox),
        Ok(v) => Field::new(v, confidence, bbox),
        Err(why) => Field::unreadable(&normalize::text(text), why, confidence, bbox),
    }
}

/// The escort plan's five sections (`documents.md`) and their headings.
pub const HEADINGS: [(&str, &str); 5] = [
    ("vehicles", "护送车辆配置"),
    ("personnel", "护送人员配备"),
    ("route", "护送路线情况说明"),
    ("procedure", "护送操作细则"),
    ("contingency", "异常情况处理"),
];

/// Words that name a section in a heading however an office words it
/// (护送车辆及设备, 护送作业要求, 应急处置措施 …): the nouns of
/// `HEADINGS` and their common synonyms.
const HEADING_WORDS: [(&str, &[&str]); 5] = [
    ("vehicles", &["车辆", "护送车"]),
    ("personnel", &["人员"]),
    ("route", &["路线", "线路"]),
    ("procedure", &["操作", "作业", "细则"]),
    ("contingency", &["异常", "应急", "突发"]),
];

/// The words that show `key`'s heading: its heading in `documents.md`
/// and the words of [`HEADING_WORDS`].
pub fn heading_words(key: &str) -> impl Iterator<Item = &'static str> + '_ {
    let heading = HEADINGS.iter().filter(move |(k, _)| *k == key).map(|(_, h)| *h);
    heading.chain(HEADING_WORDS.iter().filter(move |(k, _)| *k == key).flat_map(|(_, w)| w.iter().copied()))
}

/// A heading worded otherwise is short: a numbered title, not a line of a
/// paragraph that mentions the word.
const MAX_HEADING_CHARS: usize = 14;

/// The escort plan's sections found by their printed headings: the
/// headings of `documents.md` anywhere, or a short line naming a section.
pub fn escort_sections(text: &str) -> Vec<&'static str> {
    let t = normalize::text(text);
    let mut found: Vec<&'static str> = HEADINGS.iter().filter(|(_, h)| t.contains(h)).map(|(k, _)| *k).collect();
    for line in text.lines().map(normalize::text) {
        let title = line.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || "一二三四五六七八九十第部分、.．（）()".contains(c));
        if title.chars().count() > MAX_HEADING_CHARS {
            continue;
        }
        for (key, words) in HEADING_WORDS {
            if !found.contains(&key) && words.iter().any(|w| title.contains(w)) {
                found.push(key);
            }
        }
    }
    HEADINGS.iter().map(|(k, _)| *k).filter(|k| found.contains(k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with one tag per character, boxes 10 px wide on one line.
    fn tagged(text: &str, tags: &[String]) -> Vec<TaggedChar> {
        text.chars()
            .zip(tags.iter().cycle())
            .enumerate()
            .map(|(i, (ch, t))| TaggedChar {
                ch,
                bbox: BBox::new(10 * i as u32, 0, 10, 20),
                ocr_confidence: 0.99,
                tag: t.clone(),
                tag_confidence: 0.95,
            })
            .collect()
    }

    /// Pieces of text placed on a page: `(text, field or "O", x, y)`, each
    /// character 20 × 24 px, the first of a field's piece tagged `B-`.
    fn laid_out(pieces: &[(&str, &str, u32, u32)]) -> Vec<TaggedChar> {
        let mut chars = vec![];
        for &(text, field, x, y) in pieces {
            for (i, ch) in text.chars().enumerate() {
                let tag = match (field, i) {
                    ("O", _) => "O".to_string(),
                    (f, 0) => format!("B-{f}"),
                    (f, _) => format!("I-{f}"),
                };
                chars.push(TaggedChar { ch, bbox: BBox::new(x + 20 * i as u32, y, 20, 24), ocr_confidence: 0.99, tag, tag_confidence: 0.95 });
            }
        }
        chars
    }

        fn tags(spec: &[(&str, usize)]) -> Vec<String> {
        spec.iter().flat_map(|(t, n)| std::iter::repeat_n(t.to_string(), *n)).collect()
    }

    #[test]
    fn a_vin_span_becomes_the_code_with_its_box_and_weakest_confidence() {
        let text = "识别代号lzz1clvb5ja123456";
        let mut t = tags(&[("O", 4), ("B-vin", 1), ("I-vin", 16)]);
        t.truncate(21);
        let mut chars = tagged(text, &t);
        chars[10].ocr_confidence = 0.6;
        let f = fields(DocKind::VehicleLicence, &chars);
        let vin = &f["vin"];
        assert_eq!(vin.value, json!("LZZ1CLVB5JA123456"));
        assert_eq!(vin.bbox, BBox::new(40, 0, 170, 20));
        assert!((vin.confidence - 0.6 * 0.95).abs() < 1e-6);
    }

    #[test]
    fn a_code_stopped_short_takes_the_letters_and_digits_touching_it_but_no_chinese() {
        let chars = tagged("准驾车型 A2", &tags(&[("O", 5), ("B-permitted_class", 1), ("O", 1)]));
        assert_eq!(fields(DocKind::DrivingLicence, &chars)["permitted_class"].value, json!("A2"));
        let chars = tagged("发动机号码X1250802066品牌", &tags(&[("O", 5), ("B-engine_number", 1), ("I-engine_number", 1), ("O", 11)]));
        assert_eq!(fields(DocKind::VehicleLicence, &chars)["engine_number"].value, json!("X1250802066"));
        // A number is widened by its own rule; a space ends a code.
        let chars = tagged("鲁J4549挂 370900", &tags(&[("B-plate_number", 1), ("I-plate_number", 2), ("O", 11)]));
        let plate = &fields(DocKind::VehicleLicence, &chars)["plate_number"];
        assert_eq!(plate.text(), "鲁J4549");
        // Cut short of its 挂, it is no plate: unreadable, not a value.
        assert!(!plate.is_readable());
    }

    #[test]
    fn a_name_tagged_without_its_rare_first_or_last_character_takes_its_whole_word() {
        let chars = tagged("姓名 成郭娃 性别 男", &tags(&[("O", 4), ("B-name", 1), ("I-name", 1), ("O", 10)]));
        assert_eq!(fields(DocKind::IdCard, &chars)["name"].value, json!("成郭娃"));
        let chars = tagged("姓名 唐唉署", &tags(&[("O", 3), ("B-name", 1), ("I-name", 1), ("O", 1)]));
        let name = &fields(DocKind::DrivingLicence, &chars)["name"];
        assert_eq!(name.value, json!("唐唉署"));
        assert_eq!(name.bbox, BBox::new(30, 0, 30, 20), "the box holds the character taken");
    }

    #[test]
    fn a_name_glued_to_its_label_or_in_a_long_word_is_left_as_tagged() {
        // OCR read label and name as one word: neither 姓名 nor 名 is the name's.
        let chars = tagged("姓名王琳", &tags(&[("O", 2), ("B-name", 1), ("I-name", 1)]));
        assert_eq!(fields(DocKind::IdCard, &chars)["name"].value, json!("王琳"));
        let chars = tagged("名王琳", &tags(&[("O", 1), ("B-name", 1), ("I-name", 1)]));
        assert_eq!(fields(DocKind::IdCard, &chars)["name"].value, json!("王琳"));
        // Longer than a name: a phrase, not a name's word.
        let chars = tagged("王琳驾驶员证件", &tags(&[("B-name", 1), ("I-name", 1), ("O", 5)]));
        assert_eq!(fields(DocKind::DrivingLicence, &chars)["name"].value, json!("王琳"));
        // Another field's characters are never taken.
        let chars = tagged("王琳男", &tags(&[("B-name", 1), ("I-name", 1), ("B-sex", 1)]));
        assert_eq!(fields(DocKind::DrivingLicence, &chars)["name"].value, json!("王琳"));
    }

    #[test]
    fn a_company_name_started_late_takes_its_whole_word_but_never_a_label_glued_to_it() {
        let chars = tagged("济南睹汉货运集团有限公司", &tags(&[("O", 4), ("B-principal_name", 1), ("I-principal_name", 7)]));
        assert_eq!(fields(DocKind::AuthorizationLetter, &chars)["principal_name"].value, json!("济南睹汉货运集团有限公司"));
        // After a colon, with brackets inside.
        let chars = tagged("业户名称：华能（山东）工程运输有限公司", &tags(&[("O", 9), ("B-operator_name", 1), ("I-operator_name", 9)]));
        assert_eq!(fields(DocKind::RoadTransportCertificate, &chars)["operator_name"].value, json!("华能(山东)工程运输有限公司"));
        // OCR glued the label to the name: the label is not taken.
        let chars = tagged("业户名称济南运输有限公司", &tags(&[("O", 6), ("B-operator_name", 1), ("I-operator_name", 5)]));
        assert_eq!(fields(DocKind::RoadTransportCertificate, &chars)["operator_name"].value, json!("运输有限公司"));
        // In a sentence: from the words that introduce it.
        let chars = tagged("我单位泰安蓉儿奔都运输有限公司", &tags(&[("O", 5), ("B-principal_name", 1), ("I-principal_name", 9)]));
        assert_eq!(fields(DocKind::AuthorizationLetter, &chars)["principal_name"].value, json!("泰安蓉儿奔都运输有限公司"));
        // Cut in two by rare characters: one name again.
        let chars = tagged("济南甩舰术物流科技股份有限公司", &tags(&[("B-principal_name", 1), ("I-principal_name", 1), ("O", 9), ("B-principal_name", 1), ("I-principal_name", 3)]));
        assert_eq!(fields(DocKind::AuthorizationLetter, &chars)["principal_name"].value, json!("济南甩舰术物流科技股份有限公司"));
        // Not a company's ending: the tagger's reading stands.
        let chars = tagged("济南睹汉货运集团有限", &tags(&[("O", 4), ("B-principal_name", 1), ("I-principal_name", 5)]));
        assert_eq!(fields(DocKind::AuthorizationLetter, &chars)["principal_name"].value, json!("货运集团有限"));
    }

    #[test]
    fn a_mass_tagged_short_of_its_unit_takes_the_unit_touching_it() {
        let chars = tagged("吨(座)位： 58420kg", &tags(&[("O", 7), ("B-tonnage_kg", 1), ("I-tonnage_kg", 5), ("O", 1)]));
        assert_eq!(fields(DocKind::RoadTransportCertificate, &chars)["tonnage_kg"].value, json!(58420));
        let chars = tagged("整备质量 15540kg", &tags(&[("O", 5), ("B-curb_mass_kg", 1), ("I-curb_mass_kg", 4), ("O", 2)]));
        let mass = &fields(DocKind::VehicleLicence, &chars)["curb_mass_kg"];
        assert_eq!(mass.value, json!(15540));
        assert_eq!(mass.bbox, BBox::new(50, 0, 70, 20), "the box holds the unit");
    }

    #[test]
    fn an_open_end_tagged_in_part_is_long_term() {
        let chars = tagged("营业期限至 长期", &tags(&[("O", 6), ("B-term_until", 1), ("O", 1)]));
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["term_until"].value, json!("long_term"));
        let chars = tagged("营业期限至 长期有效", &tags(&[("O", 6), ("B-term_until", 1), ("I-term_until", 1), ("O", 2)]));
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["term_until"].value, json!("long_term"));
    }

    #[test]
    fn an_address_wrapped_before_its_house_number_sign_takes_it_from_the_line_below() {
        let chars = laid_out(&[
            ("住址", "O", 0, 0),
            ("乌苏市抓艺乡剧邮村29", "address", 60, 0),
            ("\n", "O", 0, 0),
            ("号", "O", 60, 40),
        ]);
        let address = &fields(DocKind::IdCard, &chars)["address"];
        assert_eq!(address.value, json!("乌苏市抓艺乡剧邮村29号"));
        assert_eq!(address.bbox.y + address.bbox.h, 64, "the box reaches the line below");
        // A 号 far off in another column is not the address's.
        let chars = laid_out(&[("住址", "O", 0, 0), ("乌苏市抓艺乡剧邮村29", "address", 60, 0), ("\n", "O", 0, 0), ("号", "O", 900, 40)]);
        assert_eq!(fields(DocKind::IdCard, &chars)["address"].value, json!("乌苏市抓艺乡剧邮村29"));
    }

    #[test]
    fn an_i_tag_without_a_b_starts_a_span() {
        let chars = tagged("姓名张伟", &tags(&[("O", 2), ("I-name", 2)]));
        assert_eq!(fields(DocKind::IdCard, &chars)["name"].value, json!("张伟"));
    }

    #[test]
    fn letters_read_for_digits_are_digits_again_in_a_number_but_not_in_a_code() {
        assert_eq!(value(FieldType::Mass, "q000kg"), Some(json!(9000)));
        assert_eq!(value(FieldType::Date, "2O21年07月3l日"), Some(json!("2021-07-31")));
        assert_eq!(value(FieldType::Mass, "49t"), Some(json!(49000)));
        assert_eq!(value(FieldType::Code, "LZZ1CLVBSJA12345O"), Some(json!("LZZ1CLVBSJA12345O")));
    }

    #[test]
    fn a_colon_between_business_scope_items_is_their_semicolon() {
        assert_eq!(
            scope_separators("许可项目:道路货物运输(不含危险货物):大型物件运输。一般项目:装卸搬运:国内货物运输代理"),
            "许可项目:道路货物运输(不含危险货物);大型物件运输。一般项目:装卸搬运;国内货物运输代理"
        );
        assert_eq!(scope_separators("道路普通货物运输,大型物件运输"), "道路普通货物运输,大型物件运输");
    }

    #[test]
    fn a_b_straight_after_the_same_field_goes_on_with_the_value() {
        let chars = tagged("受托人庞林亮", &tags(&[("O", 3), ("B-agent_name", 2), ("I-agent_name", 1)]));
        assert_eq!(fields(DocKind::AuthorizationLetter, &chars)["agent_name"].value, json!("庞林亮"));
        let chars = tagged("号码371302199112256719", &tags(&[("O", 2), ("B-id_number", 1), ("I-id_number", 2), ("B-id_number", 1), ("I-id_number", 14)]));
        assert_eq!(fields(DocKind::IdCard, &chars)["id_number"].value, json!("371302199112256719"));
        // Apart (a space or another tag between), they stay two values.
        let chars = tagged("张伟 李娜", &tags(&[("B-name", 1), ("I-name", 1), ("O", 1), ("B-name", 1), ("I-name", 1)]));
        assert_eq!(spans(&chars).len(), 2);
    }

    #[test]
    fn a_from_until_pair_read_as_one_span_is_cut_at_its_separator() {
        let text = "2026年4月3日-2026年11月14日";
        let n = text.chars().count();
        let chars = tagged(text, &tags(&[("B-valid_from", 1), ("I-valid_from", n - 1)]));
        let f = fields(DocKind::AuthorizationLetter, &chars);
        assert_eq!((&f["valid_from"].value, &f["valid_until"].value), (&json!("2026-04-03"), &json!("2026-11-14")));
        assert!(f["valid_until"].bbox.x > f["valid_from"].bbox.x);
        let text = "2021年07月01日至长期";
        let n = text.chars().count();
        let chars = tagged(text, &tags(&[("B-term_until", 1), ("I-term_until", n - 1)]));
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["term_until"].value, json!("long_term"));
        // One date with dashes in it is one date.
        let chars = tagged("2021-03-15", &tags(&[("B-valid_until", 1), ("I-valid_until", 9)]));
        let f = fields(DocKind::DrivingLicence, &chars);
        assert_eq!(f["valid_until"].value, json!("2021-03-15"));
        assert!(!f.contains_key("valid_from"));
    }

    #[test]
    fn a_from_until_pair_read_without_its_separator_is_cut_where_the_second_year_starts() {
        // OCR lost the 至; the tagger took the until date with the from's day.
        let text = "有效期 2026-04-192026-12-10";
        let chars = tagged(text, &tags(&[("O", 12), ("B-valid_until", 1), ("I-valid_until", 11)]));
        let f = fields(DocKind::AuthorizationLetter, &chars);
        assert_eq!((&f["valid_from"].value, &f["valid_until"].value), (&json!("2026-04-19"), &json!("2026-12-10")));
        // A date that reads as one is left whole, 20 in its day or not.
        let chars = tagged("有效期 2026-04-20", &tags(&[("O", 4), ("B-valid_until", 1), ("I-valid_until", 9)]));
        let f = fields(DocKind::AuthorizationLetter, &chars);
        assert_eq!(f["valid_until"].value, json!("2026-04-20"));
        assert!(!f.contains_key("valid_from"));
        // Digits that make no second date stay one unreadable value.
        let chars = tagged("2026-04-1920", &tags(&[("B-valid_until", 1), ("I-valid_until", 11)]));
        let f = fields(DocKind::AuthorizationLetter, &chars);
        assert!(!f["valid_until"].is_readable() && !f.contains_key("valid_from"));
    }

    #[test]
    fn a_period_tagged_end_first_takes_its_printed_order() {
        // 2029 misread 2009; the tagger took the earlier date for the start.
        let text = "2019.09.10至2009.09.10";
        let chars = tagged(text, &tags(&[("B-valid_until", 1), ("I-valid_until", 9), ("O", 1), ("B-valid_from", 1), ("I-valid_from", 9)]));
        let f = fields(DocKind::DrivingLicence, &chars);
        assert_eq!((&f["valid_from"].value, &f["valid_until"].value), (&json!("2019-09-10"), &json!("2009-09-10")));
        // Not joined by a separator on one line: the tags stand.
        let text = "2019.09.10\n2009.09.10";
        let chars = tagged(text, &tags(&[("B-valid_until", 1), ("I-valid_until", 9), ("O", 1), ("B-valid_from", 1), ("I-valid_from", 9)]));
        let f = fields(DocKind::DrivingLicence, &chars);
        assert_eq!((&f["valid_from"].value, &f["valid_until"].value), (&json!("2009-09-10"), &json!("2019-09-10")));
    }

    #[test]
    fn two_dates_of_one_role_are_split_by_their_order() {
        let text = "2021.03.15至2031.03.15";
        let chars = tagged(text, &tags(&[("B-valid_until", 1), ("I-valid_until", 9), ("O", 1), ("B-valid_until", 1), ("I-valid_until", 9)]));
        let f = fields(DocKind::DrivingLicence, &chars);
        assert_eq!(f["valid_from"].value, json!("2021-03-15"));
        assert_eq!(f["valid_until"].value, json!("2031-03-15"));
    }

    #[test]
    fn a_date_that_does_not_normalise_is_reported_unreadable_with_its_text() {
        let chars = tagged("2026年13月40日", &tags(&[("B-issue_date", 1), ("I-issue_date", 10)]));
        let f = &fields(DocKind::VehicleLicence, &chars)["issue_date"];
        assert!(!f.is_readable());
        assert_eq!((f.text(), f.unreadable.as_deref()), ("2026年13月40日".to_string(), Some("not a date")));
    }

    #[test]
    fn masses_months_and_open_ends_get_their_types() {
        let chars = tagged("49吨", &tags(&[("B-total_mass_kg", 1), ("I-total_mass_kg", 2)]));
        assert_eq!(fields(DocKind::VehicleLicence, &chars)["total_mass_kg"].value, json!(49000));
        let chars = tagged("2027年05月", &tags(&[("B-inspection_valid_until", 1), ("I-inspection_valid_until", 7)]));
        assert_eq!(fields(DocKind::VehicleLicence, &chars)["inspection_valid_until"].value, json!("2027-05"));
        let chars = tagged("长期", &tags(&[("B-term_until", 1), ("I-term_until", 1)]));
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["term_until"].value, json!("long_term"));
    }

    #[test]
    fn a_field_of_another_kind_and_a_code_across_lines_are_not_taken() {
        let chars = tagged("张伟", &tags(&[("B-vin", 1), ("I-vin", 1)]));
        assert!(fields(DocKind::IdCard, &chars).is_empty());
        let chars = tagged("37\n02", &tags(&[("B-id_number", 1), ("I-id_number", 4)]));
        let f = fields(DocKind::IdCard, &chars);
        assert_eq!(f["id_number"].text().len(), 2, "{:?}", f["id_number"]);
        assert!(!f["id_number"].is_readable());
    }

    #[test]
    fn a_text_value_wrapped_onto_the_next_line_is_one_value() {
        let chars = tagged("住址 山东省济宁市\n任城区1号", &tags(&[("O", 3), ("B-address", 1), ("I-address", 5), ("O", 1), ("B-address", 1), ("I-address", 4)]));
        assert_eq!(fields(DocKind::IdCard, &chars)["address"].value, json!("山东省济宁市任城区1号"));
    }

    #[test]
    fn a_wrapped_value_is_joined_across_a_line_of_another_column() {
        // 经营范围 许可项目:道路货物运输;  | 注册资本 100万元
        //          一般项目:装卸搬运。    |
        let mut chars = laid_out(&[
            ("经营范围", "O", 0, 100),
            ("许可项目:道路货物运输;", "business_scope", 100, 100),
            ("\n", "O", 0, 0),
            ("注册资本100万元", "O", 700, 102),
            ("\n", "O", 0, 0),
            ("一般项目:装卸搬运。", "business_scope", 100, 132),
            ("\n", "O", 0, 0),
            ("住所济宁市", "address", 700, 400),
        ]);
        let f = fields(DocKind::BusinessLicence, &chars);
        assert_eq!(f["business_scope"].value, json!("许可项目:道路货物运输;一般项目:装卸搬运。"));
        // A line far below, or in the other column, is another value.
        let n = chars.len();
        for c in &mut chars[n - 5..] {
            c.tag = c.tag.replace("address", "business_scope");
            c.tag_confidence = 0.7;
        }
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["business_scope"].value, json!("许可项目:道路货物运输;一般项目:装卸搬运。"));
    }

    #[test]
    fn a_date_span_one_digit_short_takes_the_digit_it_touches() {
        let chars = tagged("注册日期2021-07-31", &tags(&[("O", 5), ("B-register_date", 1), ("I-register_date", 8)]));
        let f = fields(DocKind::VehicleLicence, &chars);
        assert_eq!(f["register_date"].value, json!("2021-07-31"));
        assert_eq!(f["register_date"].bbox, BBox::new(40, 0, 100, 20));
        // Without the digit the year is not a year: unreadable, as read.
        let chars = tagged("注册日期 021-07-31", &tags(&[("O", 5), ("B-register_date", 1), ("I-register_date", 8)]));
        let f = fields(DocKind::VehicleLicence, &chars);
        assert_eq!(f["register_date"].text(), "021-07-31");
        assert!(!f["register_date"].is_readable());
    }

    #[test]
    fn a_date_cut_short_takes_the_rest_of_the_date_up_to_the_next_word() {
        let chars = tagged("成立日期2020年2月21日至", &tags(&[("O", 4), ("B-established_date", 1), ("I-established_date", 5), ("O", 6)]));
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["established_date"].value, json!("2020-02-21"));
    }

    #[test]
    fn a_value_ended_by_a_gap_in_a_two_column_line_goes_on_below() {
        let chars = laid_out(&[
            ("经营范围", "O", 0, 100),
            ("许可项目:道路货物运输;", "business_scope", 100, 100),
            (" 住所济宁市", "O", 800, 100),
            ("\n", "O", 0, 0),
            ("一般项目:装卸搬运。", "business_scope", 100, 132),
        ]);
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["business_scope"].value, json!("许可项目:道路货物运输;一般项目:装卸搬运。"));
    }

    #[test]
    fn a_mass_cut_after_its_first_digit_takes_the_rest_and_a_bracket_is_closed() {
        let chars = tagged("总质量25000kg", &tags(&[("O", 3), ("B-total_mass_kg", 1), ("O", 6)]));
        assert_eq!(fields(DocKind::VehicleLicence, &chars)["total_mass_kg"].value, json!(25000));
        let chars = tagged("类型有限责任公司(自然人投资或控股)", &tags(&[("O", 2), ("B-company_type", 1), ("I-company_type", 14), ("O", 1)]));
        assert_eq!(fields(DocKind::BusinessLicence, &chars)["company_type"].value, json!("有限责任公司(自然人投资或控股)"));
    }

    #[test]
    fn a_span_that_reads_as_its_type_beats_a_surer_one_that_does_not() {
        let mut chars = tagged("至2028.04.28 至2o28", &tags(&[("O", 1), ("B-valid_until", 1), ("I-valid_until", 9), ("O", 2), ("B-valid_until", 1), ("I-valid_until", 3)]));
        for c in &mut chars[..11] {
            c.tag_confidence = 0.6;
        }
        assert_eq!(fields(DocKind::QualificationCertificate, &chars)["valid_until"].value, json!("2028-04-28"));
        // Punctuation alone is no value at all.
        let chars = tagged("有效期 .", &tags(&[("O", 4), ("B-valid_until", 1)]));
        assert!(fields(DocKind::QualificationCertificate, &chars).is_empty());
    }

    #[test]
    fn a_label_tagged_as_its_own_value_is_passed_over_for_the_value() {
        let chars = laid_out(&[("经营", "business_scope", 100, 100), ("范围", "O", 140, 100), ("道路普通货物运输", "business_scope", 200, 100)]);
        let mut chars = chars;
        for c in &mut chars[6..] {
            c.tag_confidence = 0.5;
        }
        let f = fields(DocKind::BusinessLicence, &chars);
        assert_eq!(f["business_scope"].value, json!("道路普通货物运输"));
        // A label and nothing else is no value.
        let f = fields(DocKind::BusinessLicence, &laid_out(&[("经营范围", "business_scope", 100, 100)]));
        assert!(f.is_empty());
    }

    #[test]
    fn a_text_value_is_read_without_its_own_label_and_colon() {
        let bl = DocKind::BusinessLicence;
        let f = field(bl, "business_scope", FieldType::Text, "经营范围：许可项目：道路货物运输", 0.9, BBox::default());
        assert_eq!(f.value, json!("许可项目:道路货物运输"));
        // Without a colon the words may be the value's own.
        let f = field(DocKind::VehicleLicence, "owner", FieldType::Text, "所有人民运输有限公司", 0.9, BBox::default());
        assert_eq!(f.value, json!("所有人民运输有限公司"));
    }

    #[test]
    fn the_escort_sections_are_found_by_their_headings() {
        let text = "一、护送车辆配置\n……\n二、护送人员配备\n三、护送路线情况说明\n五、异常情况 处理";
        assert_eq!(escort_sections(text), ["vehicles", "personnel", "route", "contingency"]);
    }

    #[test]
    fn escort_sections_worded_otherwise_are_found_by_short_headings_only() {
        let text = "一、护送车辆及设备\n（二）护送人员安排\n3.行驶路线\n第四部分 护送作业要求\n五、应急处置措施";
        assert_eq!(escort_sections(text), ["vehicles", "personnel", "route", "procedure", "contingency"]);
        assert_eq!(escort_sections("一、护送车队组成"), ["vehicles"]);
        // A paragraph's line mentioning the words names no section.
        let body = "车队行驶速度不超过每小时40公里，护送人员在操作时按路线行驶，遇异常情况立即停车";
        assert!(escort_sections(body).is_empty());
    }
}
