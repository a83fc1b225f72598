//! Looking for a value on the page, as a clerk does with the form in hand.
//!
//! The extractor picks one span per field, and on a page of an edition it
//! has not seen it may pick the wrong one or cut a value short, although
//! OCR read the whole value where it is printed. So before a check takes
//! the extractor's reading as the page's word, it looks for the form's
//! value in the page's OCR lines:
//!
//! - compared as text is compared (NFKC, no spaces), plus the OCR
//!   look-alikes the value's grammar rules out (`O` for `0` in a VIN, which
//!   has no `O`; `Z` for `2` in an ID number, which has no letters but X);
//! - as a whole value: not inside a longer run of the same kind of
//!   characters (王琳 is not found in 王琳琳, 9200 not in 19200);
//! - where the field is printed: inside the span the extractor tagged for
//!   it, right after one of its labels on the same line, beside or
//!   below a line holding one of its labels ([`crate::document::labels`]),
//!   or in the next rows under a label heading its column (a query
//!   printout's header row);
//!   a long value (a company's name) also where it is its line's whole
//!   text (a letterhead).
//!
//! Found, it is evidence in its own right, with its box; not found, the
//! extractor's reading decides as before.

use crate::document::{Document, labels};
use crate::ocr::{Seen, TextLine, spell};
use crate::types::{BBox, normalize};
use unicode_normalization::UnicodeNormalization;

/// The value as it was found on the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// The characters as OCR read them.
    pub text: String,
    pub bbox: BBox,
    /// The weakest character's OCR confidence; for a value spelled from
    /// what the recogniser saw, the weakest of that reading's characters.
    pub confidence: f32,
    /// The page of the file it was found on.
    pub page: u32,
    /// The characters taken otherwise than OCR read them, because what the
    /// recogniser saw there also spells the form's value. Empty when the
    /// value was read as it is.
    pub doubts: Vec<Doubt>,
}

/// A character of a found value taken otherwise than OCR read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Doubt {
    /// `read` may be `taken`: the recogniser saw it there at `p`.
    Other { read: char, taken: char, p: f32 },
    /// `taken` was passed over: the recogniser saw it at `p` where it is
    /// printed.
    Missed { taken: char, p: f32 },
    /// `read` is not in the form's value, and what the recogniser saw
    /// spells the value without it.
    Extra { read: char },
}

impl Doubt {
    /// What was taken, for a check's message in `l`.
    pub(crate) fn describe(&self, l: crate::lang::Lang) -> String {
        use crate::tr;
        match *self {
            Doubt::Other { read, taken, p } => tr!(l, "“{read}”也可能是“{taken}”（{p:.2}）", "'{read}' may be '{taken}' ({p:.2})"),
            Doubt::Missed { taken, p } => tr!(l, "可能漏读了“{taken}”（{p:.2}）", "'{taken}' may have been passed over ({p:.2})"),
            Doubt::Extra { read } => tr!(l, "“{read}”可能并未印出", "'{read}' may not be printed"),
        }
    }
}

/// A character taken from what the recogniser saw must have reached this
/// probability there, and the reading that spells the form's value may be
/// at most this many times less probable than the greedy one per character
/// taken so ([`Folded::find_all_spelled`]).
const SPELL_MIN_P: f32 = 0.02;

/// At most one character in this many of a value may be taken otherwise
/// than OCR read it (one in a name of two or three characters).
const CHARS_PER_DOUBT: usize = 3;

/// A text this long (a company's name) is found on a line that holds it
/// alone, with no label in sight; a person's name, and a code or number,
/// whose label says what it is, are not.
const ALONE_MIN_CHARS: usize = 6;

/// Which OCR confusions a comparison forgives: those the value's own
/// grammar rules out, so two values that differ can never be taken for
/// each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fold {
    /// Names, addresses, brand models, scopes: NFKC only.
    Text,
    /// VINs and plates: no I, O or lower case, so `O` → `0`, `I`/`l`/`|`
    /// → `1`, and lower-case look-alikes of digits (`q` → `9`, `o` → `0`).
    Code,
    /// USCCs: as [`Fold::Code`], and no S, Z or V either: `S` → `5`,
    /// `Z` → `2`.
    Uscc,
    /// ID numbers and numbers (digits and a final X): also `Z` → `2`,
    /// `S` → `5`, `B` → `8`, `G` → `6`, `D` → `0`.
    Digits,
    /// Dates and months: as [`Fold::Digits`], and `年`, `月`, `.`, `/`
    /// are `-`, `日` is dropped (`2026年11月` is `2026-11`).
    Date,
}

impl Fold {
    /// How `key` is compared.
    pub(crate) fn of(key: &str) -> Fold {
        match key {
            "vin" | "plate_number" | "engine_number" | "permitted_class" => Fold::Code,
            "uscc" | "principal_uscc" => Fold::Uscc,
            "id_number" | "agent_id_number" | "licence_number" => Fold::Digits,
            k if k.ends_with("_kg") || k.ends_with("_mm") => Fold::Digits,
            k if k.ends_with("_date") || k.starts_with("valid_") || k.ends_with("valid_until") || k == "term_until" => Fold::Date,
            _ => Fold::Text,
        }
    }

    /// The folded form of one character, or `None` if it is dropped
    /// (spaces, and the colons and separators around labels and numbers).
    fn char(self, c: char) -> Option<char> {
        let c = c.nfkc().next().unwrap_or(c);
        if c.is_whitespace() || matches!(c, ':' | '：') {
            return None;
        }
        let c = match c {
            '•' | '・' | '‧' | '∙' => '·',
            _ => c,
        };
        // Lower-case look-alikes of digits: no code has lower case.
        let code = |c: char| match c {
            'l' | 'i' | '|' => '1',
            'o' => '0',
            'q' | 'g' => '9',
            'z' => '2',
            's' => '5',
            'b' => '6',
            c => match c.to_ascii_uppercase() {
                'O' => '0',
                'I' => '1',
                u => u,
            },
        };
        Some(match self {
            Fold::Text => c,
            Fold::Code => code(c),
            Fold::Uscc => match code(c) {
                'S' => '5',
                'Z' => '2',
                u => u,
            },
            Fold::Date => match c {
                '年' | '月' | '.' | '/' => '-',
                '日' => return None,
                c => return Fold::Digits.char(c),
            },
            Fold::Digits => match code(c) {
                ',' => return None,
                'Q' | 'D' => '0',
                'Z' => '2',
                'S' => '5',
                'B' => '8',
                'G' => '6',
                u => u,
            },
        })
    }

    fn str(self, s: &str) -> Vec<char> {
        s.chars().filter_map(|c| self.char(c)).collect()
    }

    /// Characters that run on with a value of this kind: a match must not
    /// be a piece of a longer run of them.
    fn runs_on(self, c: char) -> bool {
        match self {
            Fold::Text => normalize::is_han(c),
            Fold::Code | Fold::Uscc => c.is_ascii_alphanumeric(),
            Fold::Digits => c.is_ascii_digit() || c == 'X',
            Fold::Date => c.is_ascii_digit(),
        }
    }
}

/// One OCR line folded, each folded character with the index of the
/// line's character it came from.
struct Folded<'a> {
    line: &'a TextLine,
    fold: Fold,
    chars: Vec<char>,
    from: Vec<usize>,
}

impl<'a> Folded<'a> {
    fn new(line: &'a TextLine, fold: Fold) -> Self {
        let (mut chars, mut from) = (vec![], vec![]);
        for (i, c) in line.chars.iter().enumerate() {
            if let Some(f) = fold.char(c.ch) {
                chars.push(f);
                from.push(i);
            }
        }
        Folded { line, fold, chars, from }
    }

    /// Start indices of `needle` in the folded line.
    fn find_all(&self, needle: &[char]) -> Vec<usize> {
        if needle.is_empty() || needle.len() > self.chars.len() {
            return vec![];
        }
        (0..=self.chars.len() - needle.len()).filter(|&i| self.chars[i..i + needle.len()] == *needle).collect()
    }

    /// Windows `a..b` of the line that differ from `needle` in a few
    /// characters (at most one in [`CHARS_PER_DOUBT`]) where what the
    /// recogniser saw also spells `needle` ([`spell`]): a doubtful 济 whose
    /// frames also show 疥, a 拈 passed over but faint after 况. Each
    /// character of that reading is seen at [`SPELL_MIN_P`] or more, and
    /// the reading is at most `1 / SPELL_MIN_P` times less probable than
    /// greedy decoding's per character changed. With what was changed and
    /// the weakest character's probability; the closest windows first.
    /// Only for text: codes have their grammar instead (`ocr::grammar`).
    fn find_all_spelled(&self, needle: &[char]) -> Vec<(usize, usize, Vec<Doubt>, f32)> {
        let most = (needle.len() / CHARS_PER_DOUBT).max(1);
        let shared = needle.iter().filter(|c| self.chars.contains(c)).count();
        if self.fold != Fold::Text || needle.is_empty() || shared + most < needle.len() {
            return vec![];
        }
        let mut windows = vec![];
        for a in 0..self.chars.len() {
            for b in a + 1..=self.chars.len().min(a + needle.len() + most) {
                if b - a + most < needle.len() {
                    continue;
                }
                let ops = edits(&self.chars[a..b], needle);
                let changed = ops.iter().filter(|o| !matches!(o, Edit::Keep)).count();
                if (1..=most).contains(&changed) {
                    windows.push((changed, a, b, ops));
                }
            }
        }
        windows.sort_by_key(|w| (w.0, w.1));
        let max_nats = -SPELL_MIN_P.ln();
        windows
            .into_iter()
            .filter_map(|(changed, a, b, ops)| {
                let seen: Vec<&Seen> = self.line.chars[self.from[a]..=self.from[b - 1]].iter().map(|c| c.seen.as_ref()).collect::<Option<_>>()?;
                let s = spell(&seen, needle, |c| self.fold.char(c))?;
                if s.peaks.iter().any(|&p| p < SPELL_MIN_P) || s.nats_below_greedy > changed as f32 * max_nats {
                    return None;
                }
                let read = |i: usize| self.line.chars[self.from[a + i]].ch;
                let doubts = ops
                    .iter()
                    .filter_map(|&op| match op {
                        Edit::Keep => None,
                        Edit::Other(i, k) => Some(Doubt::Other { read: read(i), taken: needle[k], p: s.peaks[k] }),
                        Edit::Missed(k) => Some(Doubt::Missed { taken: needle[k], p: s.peaks[k] }),
                        Edit::Extra(i) => Some(Doubt::Extra { read: read(i) }),
                    })
                    .collect();
                Some((a, b, doubts, s.peaks.iter().copied().fold(1f32, f32::min)))
            })
            .collect()
    }

    /// Box and weakest confidence of folded characters `a..b`.
    fn span(&self, a: usize, b: usize) -> (BBox, f32, String) {
        let cs = &self.line.chars[self.from[a]..=self.from[b - 1]];
        let bbox = cs.iter().skip(1).fold(cs[0].bbox, |acc, c| acc.union(c.bbox));
        let conf = cs.iter().map(|c| c.confidence).fold(1f32, f32::min);
        (bbox, conf, cs.iter().map(|c| c.ch).collect())
    }

    /// Whether there is a visible gap between line characters `i` and `j`
    /// (`i` before `j`): two boxes, or a space, between them.
    fn gap(&self, i: usize, j: usize) -> bool {
        let (a, b) = (&self.line.chars[i], &self.line.chars[j]);
        let h = a.bbox.h.max(b.bbox.h).max(1) as i64;
        j > i + 1 || (b.bbox.x as i64 - (a.bbox.x + a.bbox.w) as i64) * 3 > h
    }
}

/// One step of turning a window of a line into the needle: a character
/// kept, window character `i` read for needle character `k`, needle
/// character `k` missing from the window, window character `i` extra.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edit {
    Keep,
    Other(usize, usize),
    Missed(usize),
    Extra(usize),
}

/// The fewest edits that turn `read` into `want` (Levenshtein), in order.
fn edits(read: &[char], want: &[char]) -> Vec<Edit> {
    let (n, m) = (read.len(), want.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for k in 0..=m {
        d[0][k] = k;
    }
    for i in 1..=n {
        for k in 1..=m {
            let other = d[i - 1][k - 1] + usize::from(read[i - 1] != want[k - 1]);
            d[i][k] = other.min(d[i - 1][k] + 1).min(d[i][k - 1] + 1);
        }
    }
    let (mut i, mut k, mut out) = (n, m, vec![]);
    while i > 0 || k > 0 {
        if i > 0 && k > 0 && d[i][k] == d[i - 1][k - 1] + usize::from(read[i - 1] != want[k - 1]) {
            out.push(if read[i - 1] == want[k - 1] { Edit::Keep } else { Edit::Other(i - 1, k - 1) });
            (i, k) = (i - 1, k - 1);
        } else if k > 0 && d[i][k] == d[i][k - 1] + 1 {
            out.push(Edit::Missed(k - 1));
            k -= 1;
        } else {
            out.push(Edit::Extra(i - 1));
            i -= 1;
        }
    }
    out.reverse();
    out
}

fn overlap(a: BBox, b: BBox) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Looks for `expected` (already normalised) on `doc` where its `key` is
/// printed. `None`: not found there, or the page has no OCR lines
/// (`--fields`, archived readings) or the value is too short to tell.
/// In a file of several pages, only the page the field was read on is
/// searched; when the field was not read, each page in turn.
pub(crate) fn find(doc: &Document, key: &str, expected: &str) -> Option<Found> {
    let mut pages: Vec<u32> = match doc.field(key) {
        Some(f) => vec![f.page()],
        None => doc.lines.iter().map(|l| l.page).collect(),
    };
    pages.dedup();
    pages.into_iter().find_map(|p| find_on(doc, key, expected, p))
}

fn find_on(doc: &Document, key: &str, expected: &str, page: u32) -> Option<Found> {
    let kind = doc.kind?;
    let fold = Fold::of(key);
    let needle = fold.str(expected);
    let page_lines: Vec<&TextLine> = doc.lines.iter().filter(|l| l.page.max(1) == page).collect();
    if needle.len() < 2 || page_lines.is_empty() {
        return None;
    }
    let labels: Vec<Vec<char>> = labels(kind, key).iter().map(|l| Fold::Text.str(l)).collect();
    let tagged = doc.field(key).map(|f| f.bbox).filter(|b| b.w > 0 && b.h > 0);
    let lines: Vec<Folded> = page_lines.iter().map(|l| Folded::new(l, fold)).collect();
    let text_folds: Vec<Folded> = page_lines.iter().map(|l| Folded::new(l, Fold::Text)).collect();
    // Lines that are a label and little else (a label in its own box,
    // perhaps with its English beside it): a value may stand beside or
    // below them.
    let label_lines: Vec<(usize, BBox)> = page_lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = Fold::Text.str(&l.text);
            labels.iter().any(|lab| t.len() <= lab.len() + 12 && t.windows(lab.len()).any(|w| w == lab.as_slice()))
        })
        .map(|(i, l)| (i, l.bbox))
        .collect();
    // Labels as column headers, wherever they stand in their line (a query
    // printout's `序号 许可证号 业户名称 经营范围 …` over its rows): the
    // box of the label's own characters. One letter (至, 自) heads no column.
    let headers: Vec<(usize, BBox)> = text_folds
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            labels.iter().filter(|lab| lab.len() >= 2).flat_map(move |lab| t.find_all(lab).into_iter().map(move |s| (i, t.span(s, s + lab.len()).0)))
        })
        .collect();
    // The value as read first, anywhere it may be printed; then as what
    // the recogniser saw along the line would also spell it.
    let n = needle.len();
    let exact = lines.iter().enumerate().flat_map(|(li, f)| f.find_all(&needle).into_iter().map(move |a| (li, a, a + n, vec![], None)));
    let spelled = lines.iter().enumerate().flat_map(|(li, f)| f.find_all_spelled(&needle).into_iter().map(move |(a, b, c, p)| (li, a, b, c, Some(p))));
    for (li, a, b, doubts, spelled_confidence) in exact.chain(spelled) {
        let f = &lines[li];
        let text_fold = &text_folds[li];
        // One of the field's labels ends on this line just before the
        // value (姓名王琳, 姓名 王琳, 姓名：王琳).
        let start = f.from[a];
        let label_before = labels.iter().any(|lab| {
            text_fold.find_all(lab).iter().any(|&s| {
                let last = text_fold.from[s + lab.len() - 1];
                last < start && start - last <= 3
            })
        });
        let starts_clean = a == 0 || !fold.runs_on(f.chars[a - 1]) || f.gap(f.from[a - 1], f.from[a]) || label_before;
        let ends_clean = b == f.chars.len() || !fold.runs_on(f.chars[b]) || f.gap(f.from[b - 1], f.from[b]);
        if !(starts_clean && ends_clean) {
            continue;
        }
        let (bbox, read_confidence, text) = f.span(a, b);
        let confidence = spelled_confidence.unwrap_or(read_confidence);
        let h = bbox.h.max(1) as i64;
        let beside_or_below = label_lines.iter().any(|&(i, lb)| {
            if i == li {
                return false;
            }
            let (lx, ly, lr, lbot) = (lb.x as i64, lb.y as i64, (lb.x + lb.w) as i64, (lb.y + lb.h) as i64);
            let (vx, vy, vbot) = (bbox.x as i64, bbox.y as i64, (bbox.y + bbox.h) as i64);
            let same_row = ly.max(vy) < lbot.min(vbot) && lr <= vx + h && vx - lr <= 15 * h;
            let below = ly < vy && vy - lbot <= 2 * h && lx <= vx + bbox.w as i64 && vx - lx <= 8 * h;
            same_row || below
        });
        // Under its column's header: in the next rows down, across much of
        // the header's width (a cell may be centred under it or start at it).
        let under_header = headers.iter().any(|&(i, lb)| {
            let (ly, lbot, vy) = (lb.y as i64, (lb.y + lb.h) as i64, bbox.y as i64);
            let across = (lb.x + lb.w).min(bbox.x + bbox.w) as i64 - lb.x.max(bbox.x) as i64;
            i != li && ly < vy && vy - lbot <= 2 * h && 2 * across >= lb.w.min(bbox.w) as i64
        });
        // A long name that is its line's whole text: a letterhead, a
        // heading, a name in its own box with its label out of line.
        let alone = fold == Fold::Text && a == 0 && b == f.chars.len() && needle.len() >= ALONE_MIN_CHARS;
        if label_before || beside_or_below || under_header || alone || tagged.is_some_and(|t| overlap(t, bbox)) {
            return Some(Found { text, bbox, confidence, page, doubts });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocKind, Field};
    use crate::ocr::TextChar;

    /// A page of lines `(text, x, y)`, characters 20 × 24 px.
    fn page(kind: DocKind, lines: &[(&str, u32, u32)]) -> Document {
        let mut d = Document::unread("p.jpg", None, None, "");
        d.unread = None;
        d.kind = Some(kind);
        d.lines = lines
            .iter()
            .map(|&(t, x, y)| {
                let chars: Vec<TextChar> = t
                    .chars()
                    .enumerate()
                    .map(|(j, ch)| TextChar { ch, confidence: 0.95, bbox: BBox::new(x + 20 * j as u32, y, 20, 24), source: None, seen: None })
                    .collect();
                let bbox = chars.iter().skip(1).fold(chars[0].bbox, |b, c| b.union(c.bbox));
                TextLine { text: t.into(), confidence: 0.95, bbox, chars, page: 1 }
            })
            .collect();
        d
    }

    /// A page of the one line `text`, at the top left.
    fn one_line(kind: DocKind, text: &str) -> Document {
        page(kind, &[(text, 0, 0)])
    }

    #[test]
    fn a_name_after_its_label_is_found_with_its_box_whatever_the_extractor_took() {
        let mut d = page(DocKind::IdCard, &[("姓名 王琳", 0, 0), ("性别 男 民族 汉", 0, 40)]);
        d.fields.insert("name".into(), Field::new(serde_json::json!("王"), 0.998, BBox::new(60, 0, 20, 24)));
        let f = find(&d, "name", "王琳").unwrap();
        assert_eq!((f.text.as_str(), f.bbox), ("王琳", BBox::new(60, 0, 40, 24)));
        // Glued to its label, too.
        assert!(find(&one_line(DocKind::IdCard, "姓名王琳"), "name", "王琳").is_some());
    }

    #[test]
    fn a_value_under_its_label_as_a_column_header_is_found_and_one_under_another_column_is_not() {
        // A query printout: the headers on one long line, a row under them.
        let header = ("序号 许可证号 业户名称 经营范围 有效期起 有效期止", 0, 0);
        let d = page(DocKind::OperatingPermit, &[header, ("鲁字3713 临沂钠采汽车运输有限责任公司 道路普通货物运输", 20, 40)]);
        let f = find(&d, "company_name", "临沂钠采汽车运输有限责任公司").unwrap();
        assert_eq!(f.bbox, BBox::new(160, 40, 20 * 14, 24));
        let d = page(DocKind::OperatingPermit, &[header, ("鲁字3713 道路普通货物运输 临沂钠采汽车运输有限责任公司", 20, 40)]);
        assert_eq!(find(&d, "company_name", "临沂钠采汽车运输有限责任公司"), None);
    }

    /// A page of one line: `label`, a space, and the characters `read`
    /// with their places in what the recogniser saw (20 px each).
    fn seen_line(kind: DocKind, label: &str, read: Vec<(char, f32, crate::ocr::Seen)>) -> Document {
        let mut d = one_line(kind, &format!("{label} "));
        let line = &mut d.lines[0];
        for (ch, confidence, seen) in read {
            let x = 20 * line.chars.len() as u32;
            line.chars.push(TextChar { ch, confidence, bbox: BBox::new(x, 0, 20, 24), source: None, seen: Some(seen) });
        }
        line.text = line.chars.iter().map(|c| c.ch).collect();
        d
    }

    /// [`seen_line`] of `read`, each character surely read but those of
    /// `doubts` (`ocr::fake_read`).
    fn doubtful(kind: DocKind, label: &str, read: &str, doubts: &[(usize, f32, &[(char, f32)])]) -> Document {
        seen_line(kind, label, crate::ocr::fake_read(read, doubts))
    }

    fn near(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn a_doubtful_character_is_taken_as_the_forms_when_the_recogniser_saw_it_there_too() {
        // 青岛疥酝 printed, 疥 read as 济 at 0.46 with 疥 second at 0.21.
        let d = doubtful(DocKind::BusinessLicence, "名称", "青岛济酝物流有限公司", &[(2, 0.46, &[('疥', 0.21), ('齐', 0.19), ('芥', 0.001)])]);
        let f = find(&d, "company_name", "青岛疥酝物流有限公司").unwrap();
        assert_eq!(f.text, "青岛济酝物流有限公司");
        assert!(matches!(f.doubts[..], [Doubt::Other { read: '济', taken: '疥', p }] if near(p, 0.21)), "{f:?}");
        assert!(near(f.confidence, 0.21), "as sure as the character taken");
        // What was read is still found as read, with nothing taken.
        assert!(find(&d, "company_name", "青岛济酝物流有限公司").unwrap().doubts.is_empty());
        assert_eq!(find(&d, "company_name", "青岛齐酝物流有限公司").map(|f| f.doubts.len()), Some(1));
        // A character barely seen there, or a word changed, is another name.
        assert_eq!(find(&d, "company_name", "青岛芥酝物流有限公司"), None);
        assert_eq!(find(&d, "company_name", "青岛疥酝运输有限公司"), None);
    }

    #[test]
    fn characters_are_taken_for_at_most_one_in_three_and_never_in_a_code() {
        let name = doubtful(DocKind::IdCard, "姓名", "静兵", &[(0, 0.5, &[('薛', 0.4)]), (1, 0.5, &[('丘', 0.4)])]);
        assert!(find(&name, "name", "薛兵").is_some());
        assert!(find(&name, "name", "静丘").is_some());
        assert_eq!(find(&name, "name", "薛丘"), None, "both characters of a two-character name");
        let vin = doubtful(DocKind::VehicleLicence, "车辆识别代号", "LA9LB3D37KBJXC012", &[(5, 0.4, &[('8', 0.3)])]);
        assert_eq!(find(&vin, "vin", "LA9LB8D37KBJXC012"), None, "a VIN has its grammar, not other choices");
    }

    #[test]
    fn a_character_passed_over_is_taken_when_the_recogniser_saw_it_where_it_is_printed() {
        // 邱况拈 printed; greedy decoding read 邱况, 拈 at 0.04 after 况.
        let spec: &[&[(char, f32)]] = &[&[('邱', 0.99)], &[('-', 0.99)], &[('况', 0.98)], &[('-', 0.9), ('拈', 0.04)], &[('-', 0.99)]];
        let d = seen_line(DocKind::QualificationCertificate, "姓名", crate::ocr::fake_region("邱况拈王", spec));
        let f = find(&d, "name", "邱况拈").unwrap();
        assert_eq!((f.text.as_str(), f.doubts.as_slice()), ("邱况", &[Doubt::Missed { taken: '拈', p: f.confidence }][..]));
        assert!(near(f.confidence, 0.04), "{f:?}");
        // Not a character the recogniser did not see there, nor two of them.
        assert_eq!(find(&d, "name", "邱况王"), None);
        assert_eq!(find(&d, "name", "邱况拈拈"), None);
    }

    #[test]
    fn a_character_read_surely_is_not_taken_for_another_nor_left_out() {
        let sure: &[&[(char, f32)]] = &[&[('王', 0.999)], &[('琳', 0.999)], &[('-', 0.999)], &[('琳', 0.999)]];
        let d = seen_line(DocKind::IdCard, "姓名", crate::ocr::fake_region("王琳张", sure));
        assert_eq!(find(&d, "name", "王琳"), None);
        assert_eq!(find(&d, "name", "王琳张"), None);
        // 张 at 0.03 where 王 was read at 0.96 may be taken.
        let unsure: &[&[(char, f32)]] = &[&[('王', 0.96), ('张', 0.03)], &[('琳', 0.999)]];
        let f = find(&seen_line(DocKind::IdCard, "姓名", crate::ocr::fake_region("王琳张", unsure)), "name", "张琳").unwrap();
        assert_eq!(f.doubts, [Doubt::Other { read: '王', taken: '张', p: f.confidence }]);
    }

    #[test]
    fn a_value_is_not_found_inside_a_longer_one_nor_away_from_its_label() {
        assert_eq!(find(&one_line(DocKind::IdCard, "姓名 王琳琳"), "name", "王琳"), None);
        // The same characters in running text elsewhere on the page.
        assert_eq!(find(&page(DocKind::IdCard, &[("住址 王琳村", 0, 0), ("姓名 李四", 0, 300)]), "name", "王琳"), None);
        let d = one_line(DocKind::VehicleLicence, "总质量 19200kg");
        assert_eq!(find(&d, "curb_mass_kg", "9200"), None);
    }

    #[test]
    fn look_alikes_the_grammar_rules_out_are_forgiven_and_no_others() {
        let d = one_line(DocKind::VehicleLicence, "车辆识别代号 LA9LB3D37KBJXCO12");
        assert!(find(&d, "vin", "LA9LB3D37KBJXC012").is_some());
        // A VIN one real character off is a different VIN.
        assert_eq!(find(&d, "vin", "LA9LB3D37KBJXC021"), None);
        let id = one_line(DocKind::IdCard, "公民身份号码 37O8Z2l98OO1O11235");
        assert!(find(&id, "id_number", "370822198001011235").is_some());
        // A USCC has no S or Z, a VIN may: S is a 5 only in the USCC.
        let bl = one_line(DocKind::BusinessLicence, "统一社会信用代码 q1370800MAY7MWUPSK");
        assert!(find(&bl, "uscc", "91370800MAY7MWUP5K").is_some());
        let vl = one_line(DocKind::VehicleLicence, "车辆识别代号 LSVAM4187C2184847");
        assert_eq!(find(&vl, "vin", "L5VAM4187C2184847"), None);
    }

    #[test]
    fn a_month_is_found_however_it_is_printed_but_not_as_part_of_a_later_one() {
        let d = one_line(DocKind::VehicleLicence, "检验有效期至2026年11月");
        assert!(find(&d, "inspection_valid_until", "2026-11").is_some());
        assert_eq!(find(&d, "inspection_valid_until", "2026-01"), None);
        assert_eq!(find(&one_line(DocKind::VehicleLicence, "检验有效期至2026年112月"), "inspection_valid_until", "2026-11"), None);
    }

    #[test]
    fn a_value_beside_or_below_a_label_line_is_found() {
        // Bilingual card: the label in its own box to the left.
        let d = page(DocKind::VehicleLicence, &[("号牌号码", 0, 100), ("Plate No.", 0, 126), ("鲁H6789挂", 200, 100)]);
        assert!(find(&d, "plate_number", "鲁H6789挂").is_some());
        // Business licence: the code below its label.
        let d = page(DocKind::BusinessLicence, &[("统一社会信用代码", 100, 100), ("91370800MA3C12345X", 100, 140)]);
        assert!(find(&d, "uscc", "91370800MA3C12345X").is_some());
        // Far from any label and outside the tagged span: not found.
        let d = page(DocKind::BusinessLicence, &[("统一社会信用代码", 100, 100), ("91370800MA3C12345X", 100, 900)]);
        assert_eq!(find(&d, "uscc", "91370800MA3C12345X"), None);
    }

    #[test]
    fn a_value_inside_the_tagged_span_needs_no_label() {
        let mut d = page(DocKind::VehicleLicence, &[("LA9LB3D37KBJXC012", 400, 400)]);
        assert_eq!(find(&d, "vin", "LA9LB3D37KBJXC012"), None);
        d.fields.insert("vin".into(), Field::new(serde_json::json!("LA9LB3D37KBJXC"), 0.9, BBox::new(400, 400, 280, 24)));
        assert!(find(&d, "vin", "LA9LB3D37KBJXC012").is_some());
    }

    #[test]
    fn a_company_name_alone_on_its_line_is_found_without_a_label_and_a_persons_name_is_not() {
        let letter = page(DocKind::AuthorizationLetter, &[("菏泽卯奔运输股份有限公司", 100, 100), ("委托书", 300, 200), ("游矽搜", 100, 400)]);
        assert!(find(&letter, "principal_name", "菏泽卯奔运输股份有限公司").is_some());
        assert_eq!(find(&letter, "agent_name", "游矽搜"), None);
        // Inside running text it is not alone.
        let prose = page(DocKind::AuthorizationLetter, &[("我公司菏泽卯奔运输股份有限公司授权", 100, 100)]);
        assert_eq!(find(&prose, "principal_name", "菏泽卯奔运输股份有限公司"), None);
    }

    #[test]
    fn a_page_without_ocr_lines_finds_nothing() {
        let d = page(DocKind::IdCard, &[]);
        assert_eq!(find(&d, "name", "王琳"), None);
    }
}
