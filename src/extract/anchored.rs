//! Values read by where they stand: a field's printed label
//! ([`crate::document::labels`]) anchors the value beside or under it.
//!
//! The tagger reads a page in reading order and has learned the layouts it
//! was trained on. On an edition it never saw it can tie a value to the
//! wrong label, or to none. Two examples are a query printout whose labels
//! are column headers over a row of values, and a copy whose labels stand
//! small above their values in boxes. Geometry does not depend on the
//! edition. Take a cell that *is* a label: nothing else in it but a colon
//! or a unit. Its value is the next cell to its right on its row. If that
//! cell is another label, or there is none near, the value is the nearest
//! cell under it in its column, with the lines wrapped under that cell. A
//! cell `label: value` holds its own value.
//!
//! A cell is a run of a line between wide gaps: OCR joins a table's
//! columns into one line (`序号 许可证号 业户名称 …`), and the gaps
//! between its detected boxes are the columns.
//!
//! Only a reading that is a value of its field's type and grammar
//! ([`super::spans::typed`]) is given; the extractor uses it where the
//! tagger read nothing or nothing readable ([`fill`]).

use std::collections::BTreeMap;

use super::PERIOD_SEPARATORS;
use crate::document::{DocKind, Field, FieldType, labels};
use crate::ocr::{PageText, TextChar};
use crate::types::{BBox, Mm, normalize};

/// A gap between two boxes of a line at least this many line heights wide
/// ends a cell. Words of one value are set closer than this.
const CELL_GAP: f32 = 0.6;
/// The value to a label's right starts within this many label heights.
const RIGHT_MAX: f32 = 6.0;
/// The value under a label starts within this many label heights of its
/// foot (a header row as tall as its longest header, wrapped over three
/// lines, stands that far above its values).
const BELOW_MAX: f32 = 4.5;
/// A wrapped line of a value starts within this many of the value's line
/// heights under it.
const WRAP_MAX: f32 = 0.7;

/// A run of a line's characters between wide gaps.
#[derive(Debug, Clone)]
struct Cell {
    /// Each with its box turned upright (the page as read): the frame of
    /// every distance here.
    chars: Vec<TextChar>,
    bbox: BBox,
    /// Each character's box in the stored image, as a field's box is
    /// reported.
    stored: Vec<BBox>,
    /// The median character's height: the measure of every distance (a
    /// skewed photo's line box is taller than its text).
    h: f32,
}

impl Cell {
    /// A cell of upright characters and their stored boxes.
    fn new(chars: Vec<TextChar>, stored: Vec<BBox>) -> Cell {
        let bbox = chars.iter().skip(1).fold(chars[0].bbox, |b, c| b.union(c.bbox));
        Cell { h: char_height(&chars), chars, bbox, stored }
    }

    fn join(cells: &[Cell]) -> Cell {
        Cell::new(cells.iter().flat_map(|c| c.chars.clone()).collect(), cells.iter().flat_map(|c| c.stored.clone()).collect())
    }

    /// Its characters from `from` on (none: `None`).
    fn from(&self, from: usize) -> Option<Cell> {
        (from < self.chars.len()).then(|| Cell::new(self.chars[from..].to_vec(), self.stored[from..].to_vec()))
    }

    fn stored_box(&self) -> BBox {
        self.stored.iter().skip(1).fold(self.stored[0], |b, c| b.union(*c))
    }

    fn text(&self) -> String {
        self.chars.iter().map(|c| c.ch).collect()
    }

    fn right(&self) -> f32 {
        (self.bbox.x + self.bbox.w) as f32
    }

    fn bottom(&self) -> f32 {
        (self.bbox.y + self.bbox.h) as f32
    }

    fn mid_y(&self) -> f32 {
        self.bbox.y as f32 + self.bbox.h as f32 / 2.0
    }

    /// The two share at least half the lower one's height.
    fn same_row(&self, other: &Cell) -> bool {
        let overlap = self.bottom().min(other.bottom()) - (self.bbox.y.max(other.bbox.y)) as f32;
        overlap >= 0.5 * self.h.min(other.h)
    }

    /// In one column: their spans across the page overlap by half the
    /// narrower, or they start within a line height of each other.
    fn same_column(&self, other: &Cell) -> bool {
        let overlap = self.right().min(other.right()) - (self.bbox.x.max(other.bbox.x)) as f32;
        overlap >= 0.5 * self.bbox.w.min(other.bbox.w) as f32 || (self.bbox.x as f32 - other.bbox.x as f32).abs() <= self.h
    }
}

fn char_height(chars: &[TextChar]) -> f32 {
    let mut h: Vec<u32> = chars.iter().filter(|c| !c.ch.is_whitespace()).map(|c| c.bbox.h).collect();
    h.sort_unstable();
    h.get(h.len() / 2).copied().unwrap_or(1) as f32
}

/// The page's lines cut into cells at gaps wider than [`CELL_GAP`] line
/// heights; the gaps themselves are dropped. A label printed letter-spaced
/// (`名 称`, `住 所`) is one cell again.
fn cells(page: &PageText) -> Vec<Cell> {
    let mut out = vec![];
    for line in &page.lines {
        let upright: Vec<TextChar> = line.chars.iter().map(|c| TextChar { bbox: upright(page, c.bbox), ..c.clone() }).collect();
        let gap = CELL_GAP * char_height(&upright);
        let mut row: Vec<Cell> = vec![];
        let mut run: Vec<TextChar> = vec![];
        let mut stored: Vec<BBox> = vec![];
        for (c, s) in upright.into_iter().zip(&line.chars) {
            if c.ch.is_whitespace() {
                if c.bbox.w as f32 >= gap && !run.is_empty() {
                    row.push(Cell::new(std::mem::take(&mut run), std::mem::take(&mut stored)));
                }
                continue;
            }
            run.push(c);
            stored.push(s.bbox);
        }
        if !run.is_empty() {
            row.push(Cell::new(run, stored));
        }
        out.extend(join_spaced_labels(row));
    }
    out
}

/// A box of the stored image in the frame of the page as read, turned by
/// the page's rotation (clockwise degrees).
fn upright(page: &PageText, b: BBox) -> BBox {
    let (w, h) = (page.width, page.height);
    let (x1, y1) = (b.x + b.w, b.y + b.h);
    match page.rotation_applied {
        90 => BBox::new(h.saturating_sub(y1), b.x, b.h, b.w),
        180 => BBox::new(w.saturating_sub(x1), h.saturating_sub(y1), b.w, b.h),
        270 => BBox::new(b.y, w.saturating_sub(x1), b.h, b.w),
        _ => b,
    }
}

/// Single characters side by side that spell a known label, as one cell.
fn join_spaced_labels(row: Vec<Cell>) -> Vec<Cell> {
    let mut out: Vec<Cell> = vec![];
    let mut i = 0;
    while i < row.len() {
        let single = |j: usize| row.get(j).is_some_and(|c| c.chars.len() == 1);
        let mut end = i;
        while single(end) {
            end += 1;
        }
        // The longest run from i that is a label (two to five letters).
        let join = |e: usize| Cell::join(&row[i..e]);
        match (i + 2..=end.min(i + 5)).rev().find(|&e| is_label(&join(e))) {
            Some(e) => {
                out.push(join(e));
                i = e;
            }
            None => {
                out.push(row[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// What a cell says of labels: the label it starts with (colon, unit in
/// brackets and a full stop taken off) and, after a colon, the characters
/// of the value it holds itself.
struct Labelled {
    label: String,
    inline: Option<Cell>,
    /// It ends in a colon: a label, whether or not dajian knows it.
    colon: bool,
}

fn labelled(cell: &Cell) -> Labelled {
    let colon = cell.chars.iter().position(|c| matches!(c.ch, ':' | '：'));
    let head = &cell.chars[..colon.unwrap_or(cell.chars.len())];
    let mut label = normalize::text(&head.iter().map(|c| c.ch).collect::<String>());
    // 总质量(kg), 外廓尺寸(mm): the unit is not part of the label.
    if label.ends_with(')')
        && let Some(open) = label.rfind('(')
        && label[open..].is_ascii()
    {
        label.truncate(open);
    }
    let label = label.trim_end_matches('.').to_string();
    let label = if known_label(&label) { label } else { near_label(&label).map_or(label, str::to_string) };
    // 11:27 of a time, https: of an address are no labels.
    let named = label.chars().any(|c| !c.is_ascii_digit() && c.is_alphanumeric()) && !label.starts_with("http");
    let inline = colon.filter(|_| named).and_then(|i| cell.from(i + 1));
    Labelled { colon: named && colon.is_some() && inline.is_none(), label, inline }
}

/// Whether `label` is one of any kind's field labels or marks as printed.
fn known_label(label: &str) -> bool {
    DocKind::ALL.into_iter().any(|k| k.fields().iter().any(|(f, _)| labels(k, f).contains(&label)) || k.marks().contains(&label))
}

/// The field label that `read` is a misreading of (准率号总质量 of
/// 准牵引总质量 on a photographed licence): a Chinese label of four
/// characters or more, at most one character off (two from six on), and
/// nearer than any other label. `None` when none is, or two are as near
/// (有效期X is as near 有效期至 as 有效期限).
fn near_label(read: &str) -> Option<&'static str> {
    let read: Vec<char> = read.chars().collect();
    if read.len() < NEAR_LABEL_MIN_CHARS {
        return None;
    }
    let all = DocKind::ALL.into_iter().flat_map(|k| k.fields().iter().flat_map(move |(f, _)| labels(k, f).iter().copied()));
    let mut best: Option<(usize, &'static str)> = None;
    let mut tied = false;
    for label in all.filter(|l| !l.is_ascii()) {
        let chars: Vec<char> = label.chars().collect();
        let allowed = if chars.len() >= 6 { 2 } else { 1 };
        if chars.len() < NEAR_LABEL_MIN_CHARS || chars.len().abs_diff(read.len()) > allowed {
            continue;
        }
        let d = crate::ocr::metrics::edit_distance(&read, &chars);
        match best {
            _ if d > allowed => {}
            Some((b, l)) if d == b => tied |= l != label,
            Some((b, _)) if d > b => {}
            _ => {
                best = Some((d, label));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, l)| l)
}

/// Labels shorter than this are too like other words to be recognised
/// misread.
const NEAR_LABEL_MIN_CHARS: usize = 4;

/// The fields of `kind` whose labels include `label` (two characters
/// or more: 至 and 自 alone are too common to anchor anything): one field,
/// or the three of an outline.
fn fields_labelled(kind: DocKind, label: &str) -> Vec<&'static str> {
    if label.chars().count() < 2 {
        return vec![];
    }
    // 营业期限 and 有效期限 head a range: the value beside them starts with
    // its first date, which is not the end's.
    let names_end = |k: &str| !matches!(k, "valid_until" | "term_until") || label.contains(['至', '止']) || label.is_ascii();
    let found: Vec<&str> = kind.fields().iter().map(|(k, _)| *k).filter(|k| labels(kind, k).contains(&label) && names_end(k)).collect();
    if found.len() == 1 || found == OUTLINE { found } else { vec![] }
}

/// The fields one `L×W×H` value gives, in its order.
const OUTLINE: [&str; 3] = ["length_mm", "width_mm", "height_mm"];

/// The cell starts with a label: one of any kind's field labels or marks
/// (a driving licence copy prints 档案编号 too), or text before a colon.
/// It may hold its value after the colon.
fn is_label(cell: &Cell) -> bool {
    let l = labelled(cell);
    l.colon || l.inline.is_some() || known_label(&l.label)
}

/// The readings anchored by labels on a page of `kind`, by field: each a
/// value of its field's type and grammar.
pub fn fields(kind: DocKind, page: &PageText) -> BTreeMap<String, Field> {
    readings(kind, page).into_iter().map(|(k, r)| (k, r.field)).collect()
}

/// A value the labels (or a letter's words) give a field.
#[derive(Debug, Clone)]
struct Reading {
    field: Field,
    /// Read under a column header over more than one line: a table cell
    /// wrapped at its column's width, whose first line alone is a piece.
    wrapped_in_column: bool,
}

fn readings(kind: DocKind, page: &PageText) -> BTreeMap<String, Reading> {
    let cells = cells(page);
    let label: Vec<bool> = cells.iter().map(is_label).collect();
    let mut out = anchored(kind, &cells, &label);
    let others = prose(kind, page).into_iter().chain(under_title(kind, page)).chain(id_card_by_place(kind, page)).chain(periods(kind, &cells, &label));
    for (key, field) in others.chain(from_list(kind, page)) {
        out.entry(key).or_insert(Reading { field, wrapped_in_column: false });
    }
    out
}

/// Labels that head a period printed as one value, start and end
/// (委托期限 2026年04月18日－2026年08月20日, 营业期限 2011年01月22日至长期).
const PERIOD_LABELS: [&str; 5] = ["委托期限", "有效期限", "营业期限", "有效期", "期限"];

/// The start and end of a period beside one of [`PERIOD_LABELS`], as the
/// fields of `kind` that hold them (`valid_from`, and `valid_until` or
/// `term_until`). The value (its cell and the cells after it on its row,
/// 2019-01-23 至 2029-01-23 being three) is cut where both sides read as
/// dates, the end perhaps as 长期; a `-` inside a date cuts nothing, since
/// one side is then no date.
fn periods(kind: DocKind, cells: &[Cell], label: &[bool]) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    let has = |key: &'static str| kind.field_type(key).map(|t| (key, t));
    let start = has("valid_from");
    let Some(end) = has("valid_until").or_else(|| has("term_until")) else { return out };
    for (i, cell) in cells.iter().enumerate() {
        let l = labelled(cell);
        if !PERIOD_LABELS.contains(&l.label.as_str()) {
            continue;
        }
        let value = match l.inline {
            Some(v) => v,
            None => {
                let h = cell.h;
                let mut row: Vec<usize> = (0..cells.len()).filter(|&j| j != i && cells[j].same_row(cell) && cells[j].bbox.x as f32 >= cell.right() - h / 2.0).collect();
                row.sort_by_key(|&j| cells[j].bbox.x);
                let mut taken: Vec<Cell> = vec![];
                let mut right = cell.right();
                for j in row.into_iter().take(3) {
                    // 至 alone is a label too (of an end date), and here the cut.
                    let separator = matches!(cells[j].chars.as_slice(), [c] if PERIOD_SEPARATORS.contains(&c.ch));
                    if (label[j] && !separator) || cells[j].bbox.x as f32 - right > RIGHT_MAX * h {
                        break;
                    }
                    right = cells[j].right();
                    taken.push(cells[j].clone());
                }
                if taken.is_empty() {
                    continue;
                }
                Cell::join(&taken)
            }
        };
        let chars: Vec<char> = value.chars.iter().map(|c| c.ch).collect();
        let part = |a: usize, b: usize| -> (String, f32, BBox) {
            let text: String = chars[a..b].iter().collect::<String>().trim().to_string();
            let confidence = value.chars[a..b].iter().map(|c| c.confidence).fold(1f32, f32::min);
            let bbox = value.stored[a..b].iter().skip(1).fold(value.stored[a], |u, c| u.union(*c));
            (text, confidence, bbox)
        };
        let cut = (1..chars.len().saturating_sub(1)).filter(|&k| PERIOD_SEPARATORS.contains(&chars[k])).find(|&k| {
            let (from, until) = (part(0, k).0, part(k + 1, chars.len()).0);
            normalize::date(&from).is_some() && (normalize::date(&until).is_some() || (end.1 == FieldType::OpenEnd && normalize::open_end(&until).is_some()))
        });
        let Some(k) = cut else { continue };
        let mut put = |(key, t): (&str, FieldType), (text, confidence, bbox): (String, f32, BBox)| {
            if super::spans::typed(kind, key, t, &text).is_ok() {
                out.insert(key.to_string(), super::spans::field(kind, key, t, &text, confidence, bbox));
            }
        };
        if let Some(start) = start {
            put(start, part(0, k));
        }
        put(end, part(k + 1, chars.len()));
    }
    out
}

/// Values printed with no label, alone on the line under the document's
/// title and in larger type: `(kind, field, words of the title)`.
/// The holder's name on the electronic driving licence of the traffic
/// police's app (交管12123): 中华人民共和国机动车驾驶证, then the name large.
const UNDER_TITLE: [(DocKind, &str, &str); 1] = [(DocKind::DrivingLicence, "name", "机动车驾驶证")];
/// How much taller than the title's the characters of a value under it
/// are: a name set large, not a line of body text (国籍 中国 on a card).
const LARGER: f32 = 1.25;

/// The readings of [`UNDER_TITLE`] on a page of `kind`: the whole line
/// after the title, if it is a value of the field's grammar and short as
/// a name is ([`PROSE_MAX`]).
fn under_title(kind: DocKind, page: &PageText) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    for &(_, key, title) in UNDER_TITLE.iter().filter(|p| p.0 == kind) {
        let Some(t) = kind.field_type(key) else { continue };
        let Some(i) = page.lines.iter().position(|l| l.text.contains(title)) else { continue };
        let Some(line) = page.lines.get(i + 1) else { continue };
        let chars: Vec<&TextChar> = line.chars.iter().filter(|c| !c.ch.is_whitespace()).collect();
        let value: String = chars.iter().map(|c| c.ch).collect();
        let short = chars.len() <= PROSE_MAX || (value.contains('·') && chars.len() <= PROSE_MAX_DOTTED);
        let height = |l: &crate::ocr::TextLine| char_height(&l.chars.iter().map(|c| TextChar { bbox: upright(page, c.bbox), ..c.clone() }).collect::<Vec<_>>());
        if chars.is_empty() || !short || height(line) < LARGER * height(&page.lines[i]) || super::spans::typed(kind, key, t, &value).is_err() {
            continue;
        }
        out.insert(key.to_string(), field_of(kind, key, t, &value, chars.iter().copied()));
    }
    out
}

/// The compiled-in list of every 从业资格类别 (`rules/personnel.toml`).
fn qualification_categories() -> &'static [String] {
    &crate::rules::Rules::embedded_static().personnel.qualification_categories.value
}

/// A qualification certificate's category where no label gave it: one of
/// the closed list of categories, printed as a word of its own (no Han
/// character touching it on its line), if the page prints exactly one.
/// A blurred card whose 从业资格类别 read `业卖制` still printed
/// `经营性道路货物运输驾驶员` whole at 0.59 (seed 38); a sentence that
/// names a category (`…可从事经营性道路货物运输驾驶员工作`) gives none.
fn from_list(kind: DocKind, page: &PageText) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    if kind != DocKind::QualificationCertificate {
        return out;
    }
    let mut found: Vec<(&String, &[TextChar])> = vec![];
    for line in &page.lines {
        let text: Vec<char> = line.chars.iter().map(|c| c.ch).collect();
        for cat in qualification_categories() {
            let word: Vec<char> = cat.chars().collect();
            let han_at = |i: Option<usize>| i.and_then(|i| text.get(i)).is_some_and(|&c| normalize::is_han(c));
            let at = (0..text.len().saturating_sub(word.len() - 1)).find(|&i| text[i..].starts_with(&word) && !han_at(i.checked_sub(1)) && !han_at(Some(i + word.len())));
            if let Some(i) = at {
                found.push((cat, &line.chars[i..i + word.len()]));
            }
        }
    }
    found.dedup_by_key(|f| f.0);
    if let [(cat, chars)] = found.as_slice() {
        out.insert("category".to_string(), field_of(kind, "category", FieldType::Text, cat, chars.iter()));
    }
    out
}

/// An ID card's values where its labels were not read: the card prints
/// them in pale blue, which a photo or a copy can lose, and its layout is
/// fixed by law (姓名, then 性别 民族, 出生, 住址, 公民身份号码). The name is
/// the line just above the sex line (`男`, `女 汉`, `性别 男 民族 汉`),
/// starting within two character heights of it, if the name grammar takes
/// it; the number is a line that is a well-formed ID number as a whole (its
/// check character makes a chance match unlikely), if only one is.
fn id_card_by_place(kind: DocKind, page: &PageText) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    if kind != DocKind::IdCard {
        return out;
    }
    let text = |l: &crate::ocr::TextLine| normalize::text(&l.text);
    let is_sex_line = |t: &str| {
        let t = t.trim_start_matches("性别");
        (t.starts_with('男') || t.starts_with('女')) && t.chars().count() <= 8
    };
    let upright_box = |l: &crate::ocr::TextLine| upright(page, l.bbox);
    if let Some(i) = page.lines.iter().position(|l| is_sex_line(&text(l)))
        && i > 0
    {
        let (line, sex) = (&page.lines[i - 1], upright_box(&page.lines[i]));
        let b = upright_box(line);
        let h = sex.h.max(1) as f32;
        let value = text(line);
        let value = value.trim_start_matches("姓名");
        let above = b.y + b.h <= sex.y + sex.h / 2 && (sex.y as f32 - (b.y + b.h) as f32) <= 3.0 * h;
        let aligned = (b.x as f32 - sex.x as f32).abs() <= 2.0 * h;
        let short = value.chars().count() <= PROSE_MAX || (value.contains('·') && value.chars().count() <= PROSE_MAX_DOTTED);
        if above && aligned && short && super::spans::typed(kind, "name", FieldType::Text, value).is_ok() {
            let chars = line.chars.iter().filter(|c| value.contains(c.ch));
            out.insert("name".to_string(), field_of(kind, "name", FieldType::Text, value, chars));
        }
    }
    let numbers: Vec<&crate::ocr::TextLine> = page.lines.iter().filter(|l| crate::types::IdNumber::parse(&normalize::code(&l.text)).is_ok()).collect();
    let distinct: std::collections::BTreeSet<String> = numbers.iter().map(|l| normalize::code(&l.text)).collect();
    if let ([line, ..], 1) = (numbers.as_slice(), distinct.len()) {
        let value = normalize::code(&line.text);
        out.insert("id_number".to_string(), field_of(kind, "id_number", FieldType::Code, &value, line.chars.iter().filter(|c| !c.ch.is_whitespace())));
    }
    out
}

/// Values a letter states in a sentence, with no label: `(kind, field,
/// the words just before, the words just after)`. The agent of an
/// authorisation letter in prose: `…现授权委托邱别（身份证号码：…）为我
/// 公司代理人…`, `兹委托王琳同志…`.
const PROSE: [(DocKind, &str, &[&str], &[&str]); 1] =
    [(DocKind::AuthorizationLetter, "agent_name", &["委托"], &["（身份证", "(身份证", "，身份证", ",身份证", "同志", "为我"])];

/// The most characters a name stated in prose has: a double surname and
/// two given characters, or a minority's name whose parts a dot joins.
const PROSE_MAX: usize = 4;
const PROSE_MAX_DOTTED: usize = 16;

/// The readings of [`PROSE`] on a page of `kind`, each a value of its
/// field's grammar; the first of a field on the page is taken.
fn prose(kind: DocKind, page: &PageText) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    for &(_, key, before, after) in PROSE.iter().filter(|p| p.0 == kind) {
        let Some(t) = kind.field_type(key) else { continue };
        let at = |text: &[char], i: usize, word: &str| word.chars().enumerate().all(|(j, w)| text.get(i + j) == Some(&w));
        for line in &page.lines {
            let text: Vec<char> = line.chars.iter().map(|c| c.ch).collect();
            let starts = (0..text.len()).filter_map(|i| before.iter().find(|w| at(&text, i, w)).map(|w| i + w.chars().count()));
            for start in starts {
                let Some(end) = (start + 1..=(start + PROSE_MAX_DOTTED).min(text.len())).find(|&e| after.iter().any(|w| at(&text, e, w))) else { continue };
                let chars = &line.chars[start..end];
                let value: String = chars.iter().map(|c| c.ch).collect();
                let short = chars.len() <= PROSE_MAX || value.contains('·');
                if !short || out.contains_key(key) || super::spans::typed(kind, key, t, &value).is_err() {
                    continue;
                }
                out.insert(key.to_string(), field_of(kind, key, t, &value, chars.iter()));
            }
        }
    }
    out
}

/// Field `key` read as `value` from the characters `chars` (not empty):
/// their box, and the confidence of the least sure of them.
fn field_of<'a>(kind: DocKind, key: &str, t: FieldType, value: &str, chars: impl Iterator<Item = &'a TextChar>) -> Field {
    let (bbox, confidence) = chars.fold((None::<BBox>, 1f32), |(b, q), c| (Some(b.map_or(c.bbox, |b| b.union(c.bbox))), q.min(c.confidence)));
    super::spans::field(kind, key, t, value, confidence, bbox.unwrap_or_default())
}

/// How many more readings than `kind`'s another kind's labels must anchor
/// to be the page's kind instead, and how many at least.
const KIND_MARGIN: usize = 2;
const KIND_MIN: usize = 3;

/// The kind whose labels anchor clearly more readings on `page` than those
/// of `kind` (the model's): a page of an edition the model never saw,
/// which it took for a kind with like words (an operating permit's query
/// page for a road transport certificate: both print 业户名称 and 经营范围).
pub fn kind_by_labels(page: &PageText, kind: DocKind) -> Option<DocKind> {
    let cells = cells(page);
    let label: Vec<bool> = cells.iter().map(is_label).collect();
    let count = |k: DocKind| anchored(k, &cells, &label).len();
    let own = count(kind);
    let (best, n) = DocKind::ALL.into_iter().filter(|&k| k != kind).map(|k| (k, count(k))).max_by_key(|&(_, n)| n)?;
    (n >= KIND_MIN && n >= own + KIND_MARGIN).then_some(best)
}

fn anchored(kind: DocKind, cells: &[Cell], label: &[bool]) -> BTreeMap<String, Reading> {
    let mut found: BTreeMap<String, Vec<Reading>> = BTreeMap::new();
    for (i, cell) in cells.iter().enumerate() {
        let l = labelled(cell);
        let keys = fields_labelled(kind, &l.label);
        if keys.is_empty() {
            continue;
        }
        let mut in_column = false;
        let value: Vec<Cell> = if let Some(first) = l.inline {
            wrapped(cells, label, first)
        } else if let Some(v) = beside(cells, label, i).or_else(|| under(cells, label, i).inspect(|_| in_column = true)) {
            wrapped(cells, label, cells[v].clone())
        } else {
            continue;
        };
        let confidence = |n: usize| value[..n].iter().flat_map(|c| &c.chars).chain(&cell.chars).map(|c| c.confidence).fold(1f32, f32::min);
        let bbox = |n: usize| value[1..n].iter().fold(value[0].stored_box(), |b, c| b.union(c.stored_box()));
        if keys == OUTLINE {
            let Ok(outline) = Mm::parse_outline(&normalize::text(&value[0].text())) else { continue };
            for (key, mm) in OUTLINE.into_iter().zip([outline.0, outline.1, outline.2]) {
                let field = Field::new(serde_json::json!(mm.0), confidence(1), bbox(1));
                found.entry(key.to_string()).or_default().push(Reading { field, wrapped_in_column: false });
            }
            continue;
        }
        let key = keys[0];
        let Some(t) = kind.field_type(key) else { continue };
        // The whole value if it reads as one; else its first line alone
        // (the lines under it may be another value of the column).
        let reading = (1..=value.len()).rev().find_map(|n| {
            let text: String = value[..n].iter().map(Cell::text).collect();
            super::spans::typed(kind, key, t, &text).ok()?;
            Some(Reading { field: super::spans::field(kind, key, t, &text, confidence(n), bbox(n)), wrapped_in_column: in_column && n > 1 })
        });
        if let Some(f) = reading {
            found.entry(key.to_string()).or_default().push(f);
        }
    }
    // A label printed twice (a query page's heading and its table) may
    // anchor two readings: only one they agree on is given.
    found
        .into_iter()
        .filter_map(|(k, mut v)| {
            let first = v.pop()?;
            v.iter().all(|r| r.field.value == first.field.value).then_some((k, first))
        })
        .collect()
}

/// The value to the right of label `i` on its row: the nearest cell,
/// unless it is a label or too far, or the row is a row of headers.
fn beside(cells: &[Cell], label: &[bool], i: usize) -> Option<usize> {
    let l = &cells[i];
    let h = l.h;
    let row: Vec<usize> = (0..cells.len()).filter(|&j| j != i && cells[j].same_row(l)).collect();
    if row.iter().filter(|&&j| label[j]).count() >= 2 {
        return None;
    }
    let j = row.into_iter().filter(|&j| cells[j].bbox.x as f32 >= l.right() - h / 2.0).min_by_key(|&j| cells[j].bbox.x)?;
    (!label[j] && cells[j].bbox.x as f32 - l.right() <= RIGHT_MAX * h).then_some(j)
}

/// The value under label `i`: the nearest cell below it in its column,
/// unless that is a label.
fn under(cells: &[Cell], label: &[bool], i: usize) -> Option<usize> {
    let l = &cells[i];
    let h = l.h;
    let j = (0..cells.len())
        .filter(|&j| {
            let c = &cells[j];
            j != i && c.bbox.y as f32 >= l.mid_y() && c.bbox.y as f32 - l.bottom() <= BELOW_MAX * h && l.same_column(c)
        })
        .min_by(|&a, &b| {
            let key = |j: usize| (cells[j].bbox.y, (cells[j].bbox.x as i64 - l.bbox.x as i64).abs());
            key(a).cmp(&key(b))
        })?;
    (!label[j]).then_some(j)
}

/// `first` and the lines wrapped under it: cells starting where it starts,
/// just below, with no label to their left on their row.
fn wrapped(cells: &[Cell], label: &[bool], first: Cell) -> Vec<Cell> {
    let mut out = vec![first];
    loop {
        let v = out.last().expect("starts with one");
        let h = v.h;
        let next = (0..cells.len()).find(|&j| {
            let c = &cells[j];
            !label[j]
                && c.bbox.y as f32 > v.mid_y()
                && c.bbox.y as f32 - v.bottom() <= WRAP_MAX * h
                && (c.bbox.x as f32 - v.bbox.x as f32).abs() <= h
                && !(0..cells.len()).any(|k| label[k] && cells[k].same_row(c) && cells[k].bbox.x < c.bbox.x)
        });
        match next {
            Some(j) => out.push(cells[j].clone()),
            None => return out,
        }
    }
}

/// Gives the anchored readings of `page` to the fields the tagger left
/// without a value (absent, or unreadable), to those whose value the
/// tagger took from where labels put another field's (a mass from the
/// next box, the first date of a row for the last), and to those whose
/// tagged value is a piece of a table cell the reading holds whole (a
/// company name wrapped at its column's width, read up to the wrap). Such
/// a misplaced number or date with no anchored reading of its own is
/// dropped: it is another field's, and a value missing warns where a
/// wrong one may block. A tagged value the labels give too is as sure as
/// the surer of the two readings.
pub fn fill(kind: DocKind, page: &PageText, fields: &mut BTreeMap<String, Field>) {
    let anchored = readings(kind, page);
    let misplaced = |key: &str, f: &Field| anchored.iter().any(|(other, r)| other != key && r.field.bbox.overlap(f.bbox) > 0.5);
    // Only numbers: the text grammars are loose enough that a label read
    // beside the wrong cell (国籍 beside an address) gives a text reading.
    let numeric = |key: &str| kind.field_type(key).is_some_and(|t| t.is_numeric());
    let taken = |key: &str, f: &Field| numeric(key) && anchored.iter().any(|(other, r)| other != key && r.field.value == f.value && r.field.bbox.overlap(f.bbox) > 0.5);
    fields.retain(|key, f| anchored.contains_key(key) || !taken(key, f));
    // One printed value tagged as two fields (a vehicle's length also as
    // its curb mass): at most one is right, so where the label gives one
    // of them another value, the label's reading wins.
    let tagged = fields.clone();
    let shared = |key: &str, f: &Field| tagged.iter().any(|(other, g)| other != key && !g.value.is_null() && g.value == f.value && g.bbox.overlap(f.bbox) > 0.5);
    for (key, r) in &anchored {
        let f = &r.field;
        // A tagged value read off the first line of a cell wrapped at its
        // column's width lies inside the whole cell's box, which is
        // taller: a company name's first line, or a date's `2025年08月1`
        // of `2025年08月1` / `7日` (read as 2025-08-01).
        // Two texts one of which holds the other: either may be the one cut
        // short or run on (a business scope wrapped over lines the label's
        // reading did not follow; an address the tagger ended where the
        // label's reading ran into the next cells), and neither reader is
        // the surer of where a text ends.
        let nested = |key: &str, old: &Field| {
            let (Some(a), Some(b)) = (old.value.as_str(), f.value.as_str()) else { return false };
            kind.field_type(key) == Some(FieldType::Text) && (a.contains(b) || b.contains(a))
        };
        let piece = |old: &Field| r.wrapped_in_column && f.bbox.overlap(old.bbox) > 0.8 && f.bbox.h > old.bbox.h;
        match fields.get_mut(key) {
            Some(old) if !old.value.is_null() && old.value == f.value => {
                // Two readers agree: the tagger and the printed label. The
                // tagger's doubt whether this is the field (a VIN beside the
                // brand model on one line) is answered by the label; OCR's
                // doubt of the characters stays in the label's reading.
                old.confidence = old.confidence.max(f.confidence);
            }
            Some(old) if !old.value.is_null() && old.confidence < TAGGER_DOUBT && f.confidence > old.confidence && !nested(key, old) => {
                // The tagger doubted its reading more than OCR doubts the
                // label's: the label's value is taken, as doubtful as the
                // tagger was, so that a check may confirm it against the
                // form but never block on it.
                *old = Field { confidence: old.confidence, ..f.clone() };
            }
            Some(old) if !old.value.is_null() && !misplaced(key, old) && !piece(old) && !shared(key, old) && !cut_from_a_word(page, old.bbox) => {}
            _ => {
                fields.insert(key.clone(), f.clone());
            }
        }
    }
}

/// Below this confidence a tagged value that a printed label reads
/// otherwise gives way to the label's reading ([`fill`]): the tagger is
/// more likely wrong than right (a date of a wrapped table cell read off
/// its first line at 0.02, a company type read as `然人独`). A text that
/// holds the label's reading, or is held by it, stays.
const TAGGER_DOUBT: f32 = 0.5;

/// Whether the characters in `b` are cut out of a longer word: a Han
/// character stands right before or after them on their line, with no
/// gap between. The tagger took 印件 of the title 身份证复印件 for a name,
/// 页 of 机动车行驶证副页 for a brand model; a label's reading of the field
/// is then the better evidence. (A value glued to its own label, 姓名王琳,
/// is cut from a word too, but the label's reading is then the same.)
fn cut_from_a_word(page: &PageText, b: BBox) -> bool {
    let inside = |c: &TextChar| b.holds_centre_of(c.bbox);
    page.lines.iter().any(|l| {
        let (Some(first), Some(last)) = (l.chars.iter().position(inside), l.chars.iter().rposition(inside)) else { return false };
        let han = |i: Option<usize>| i.and_then(|i| l.chars.get(i)).is_some_and(|c| normalize::is_han(c.ch));
        han(first.checked_sub(1)) || han(Some(last + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::TextLine;
    use serde_json::json;

    /// A page of cells: (text, x, y), characters 12 px wide and 24 high;
    /// cells on one y are one OCR line, joined by the gaps between them.
    fn page(cells: &[(&str, u32, u32)]) -> PageText {
        let mut rows: BTreeMap<u32, Vec<(&str, u32)>> = BTreeMap::new();
        for &(t, x, y) in cells {
            rows.entry(y).or_default().push((t, x));
        }
        let lines = rows
            .into_iter()
            .map(|(y, mut row)| {
                row.sort_by_key(|r| r.1);
                let mut chars: Vec<TextChar> = vec![];
                for (t, x) in row {
                    if let Some(last) = chars.last() {
                        let gap_x = last.bbox.x + last.bbox.w;
                        chars.push(TextChar { ch: ' ', confidence: 1.0, bbox: BBox::new(gap_x, y, x.saturating_sub(gap_x), 24), source: None, seen: None });
                    }
                    for (j, ch) in t.chars().enumerate() {
                        chars.push(TextChar { ch, confidence: 0.9, bbox: BBox::new(x + 12 * j as u32, y, 12, 24), source: None, seen: None });
                    }
                }
                let bbox = chars.iter().fold(chars[0].bbox, |b, c| b.union(c.bbox));
                TextLine { text: chars.iter().map(|c| c.ch).collect(), confidence: 0.9, bbox, chars, page: 1 }
            })
            .collect();
        PageText { width: 1200, height: 1600, rotation_applied: 0, lines, regions: vec![] }
    }

    fn values(kind: DocKind, p: &PageText) -> BTreeMap<String, serde_json::Value> {
        fields(kind, p).into_iter().map(|(k, f)| (k, f.value)).collect()
    }

    #[test]
    fn an_app_licence_names_its_holder_alone_under_the_title_and_a_card_does_not() {
        let mut p = page(&[("中华人民共和国机动车驾驶证", 70, 284), ("贾惜荤", 68, 359), ("状态：正常", 74, 453)]);
        for c in &mut p.lines[1].chars {
            c.bbox.h = 52;
        }
        assert_eq!(values(DocKind::DrivingLicence, &p)["name"], json!("贾惜荤"));
        assert!(!values(DocKind::IdCard, &p).contains_key("name"));
        // The nationality under the title is no name: it is read in body type.
        let card = page(&[("中华人民共和国机动车驾驶证", 70, 284), ("中国", 68, 359)]);
        assert!(!values(DocKind::DrivingLicence, &card).contains_key("name"));
        // Nor is an ID number, or a name on another kind of page.
        let copy = page(&[("中华人民共和国机动车驾驶证副页", 70, 284), ("654021198711304397", 68, 359)]);
        assert!(!values(DocKind::DrivingLicence, &copy).contains_key("name"));
    }

    #[test]
    fn a_letter_in_prose_names_its_agent_between_the_words_around_it() {
        let p = page(&[("我公司法定代表人贾想现授权委托邱别（身份证号码：370102197504070293）为我公司代", 60, 400), ("兹委托王琳同志前往办理", 60, 500)]);
        assert_eq!(values(DocKind::AuthorizationLetter, &p)["agent_name"], json!("邱别"));
        let p = page(&[("兹委托王琳同志前往办理", 60, 500)]);
        assert_eq!(values(DocKind::AuthorizationLetter, &p)["agent_name"], json!("王琳"));
        // The title 委托书 and a sentence without a name give none.
        let p = page(&[("委托书", 60, 100), ("委托期限内所签署的文件，身份证复印件附后", 60, 500)]);
        assert!(!values(DocKind::AuthorizationLetter, &p).contains_key("agent_name"));
        // Only the letter is read so.
        let p = page(&[("兹委托王琳同志前往办理", 60, 500)]);
        assert!(values(DocKind::IdCard, &p).is_empty());
    }

    #[test]
    fn column_headers_anchor_the_values_under_them_with_their_wrapped_lines() {
        let p = page(&[
            ("序号", 60, 400),
            ("许可证号", 140, 400),
            ("业户名称", 400, 400),
            ("有效期起", 900, 400),
            ("1", 60, 460),
            ("鲁交运管许可济字370100", 140, 460),
            ("济南甩舰术物流科技股份", 400, 460),
            ("2024年12月1", 900, 460),
            ("993009号", 140, 490),
            ("有限公司", 400, 490),
            ("日", 900, 490),
        ]);
        let v = values(DocKind::OperatingPermit, &p);
        assert_eq!(v["permit_number"], json!("鲁交运管许可济字370100993009号"));
        assert_eq!(v["company_name"], json!("济南甩舰术物流科技股份有限公司"));
        assert_eq!(v["valid_from"], json!("2024-12-01"));
    }

    #[test]
    fn a_label_small_above_its_value_in_a_box_anchors_that_value_not_the_next_boxs() {
        let p = page(&[
            ("整备质量(kg)", 450, 800),
            ("总质量", 800, 800),
            ("6850×2550×3850mm", 100, 840),
            ("9100kg", 455, 840),
            ("25000kg", 805, 840),
        ]);
        let v = values(DocKind::VehicleLicence, &p);
        assert_eq!(v["curb_mass_kg"], json!(9100));
        assert_eq!(v["total_mass_kg"], json!(25000));
    }

    #[test]
    fn a_value_beside_its_label_is_taken_and_a_row_of_labels_is_passed_over() {
        let p = page(&[("住址", 100, 300), ("山东省济南市历下区骚诊北街4号", 200, 300), ("号牌号码", 100, 400), ("车辆类型", 300, 400), ("鲁A82913", 100, 440)]);
        let v = values(DocKind::VehicleLicence, &p);
        assert_eq!(v["address"], json!("山东省济南市历下区骚诊北街4号"));
        assert_eq!(v["plate_number"], json!("鲁A82913"));
        // 车辆类型 has nothing under it in its column.
        assert!(!v.contains_key("vehicle_type"));
    }

    #[test]
    fn a_cell_holding_label_colon_value_is_its_own_reading() {
        let p = page(&[("法定代表人：贾想", 600, 600), ("营业期限至：长期", 600, 700)]);
        let v = values(DocKind::BusinessLicence, &p);
        assert_eq!(v["legal_representative"], json!("贾想"));
        assert_eq!(v["term_until"], json!("long_term"));
    }

    #[test]
    fn a_reading_that_is_not_of_its_fields_grammar_is_not_given() {
        // A name column whose cell holds a speck, and a VIN column whose
        // cell is too short to be a VIN.
        let p = page(&[("姓名", 100, 100), ("车辆识别代号", 400, 100), ("·", 100, 140), ("LGAX5D358", 400, 140)]);
        assert!(values(DocKind::DrivingLicence, &p).is_empty());
        assert!(values(DocKind::VehicleLicence, &p).is_empty());
    }

    #[test]
    fn the_next_rows_value_under_a_label_left_value_is_not_a_wrapped_line() {
        let p = page(&[("住址", 100, 300), ("山东省济南市历下区骚诊北街4号", 200, 300), ("使用性质", 100, 330), ("货运", 200, 330)]);
        let v = values(DocKind::VehicleLicence, &p);
        assert_eq!(v["address"], json!("山东省济南市历下区骚诊北街4号"));
        assert_eq!(v["use_character"], json!("货运"));
    }

    #[test]
    fn a_page_read_upside_down_is_measured_as_read_and_its_boxes_reported_as_stored() {
        let cells = [("整备质量", 450, 800), ("总质量", 800, 800), ("9100kg", 455, 840), ("25000kg", 805, 840)];
        let mut p = page(&cells);
        let (w, h) = (p.width, p.height);
        for c in p.lines.iter_mut().flat_map(|l| l.chars.iter_mut()) {
            c.bbox = BBox::new(w - c.bbox.x - c.bbox.w, h - c.bbox.y - c.bbox.h, c.bbox.w, c.bbox.h);
        }
        p.rotation_applied = 180;
        let f = fields(DocKind::VehicleLicence, &p);
        assert_eq!((&f["curb_mass_kg"].value, &f["total_mass_kg"].value), (&json!(9100), &json!(25000)));
        assert_eq!(f["curb_mass_kg"].bbox, BBox::new(w - 455 - 72, h - 840 - 24, 72, 24));
    }

    #[test]
    fn an_outline_under_its_label_gives_length_width_and_height() {
        let p = page(&[("外廓尺寸(mm)", 100, 800), ("整备质量", 450, 800), ("6850×2550×3850mm", 100, 840), ("9100kg", 455, 840)]);
        let v = values(DocKind::VehicleLicence, &p);
        assert_eq!((&v["length_mm"], &v["width_mm"], &v["height_mm"]), (&json!(6850), &json!(2550), &json!(3850)));
    }

    #[test]
    fn a_letter_spaced_label_is_one_label() {
        let p = page(&[("名", 100, 300), ("称", 150, 300), ("济南睹汉货运集团有限公司", 250, 300), ("类", 100, 340), ("型", 150, 340), ("其他有限责任公司", 250, 340)]);
        let v = values(DocKind::BusinessLicence, &p);
        assert_eq!(v["company_name"], json!("济南睹汉货运集团有限公司"));
        assert_eq!(v["company_type"], json!("其他有限责任公司"));
    }

    #[test]
    fn an_id_card_whose_pale_labels_were_lost_gives_the_name_above_the_sex_line_and_a_lone_number() {
        let p = page(&[
            ("梅想", 395, 267),
            ("男", 396, 323),
            ("1990年4月20日", 390, 370),
            ("山东省济南市历下区冲兵南街165号", 390, 421),
            ("370102199004201276", 550, 593),
        ]);
        let v = values(DocKind::IdCard, &p);
        assert_eq!(v["name"], json!("梅想"));
        assert_eq!(v["id_number"], json!("370102199004201276"));
        // Only on an ID card; a line far above the sex line, or not a name,
        // or a number with a wrong check character, gives nothing.
        assert!(!values(DocKind::DrivingLicence, &p).contains_key("name"));
        let far = page(&[("梅想", 395, 100), ("男", 396, 323)]);
        assert!(!values(DocKind::IdCard, &far).contains_key("name"));
        let not_a_name = page(&[("居民身份证", 395, 267), ("男", 396, 323), ("370102199004201277", 550, 593)]);
        assert!(values(DocKind::IdCard, &not_a_name).is_empty());
    }

    #[test]
    fn a_label_misread_by_a_character_or_two_still_anchors_its_value_unless_two_labels_are_as_near() {
        // A photographed licence's 准牵引总质量（kg）, two characters misread.
        let p = page(&[("准率号总质量（kg）", 720, 640), ("40000kg", 720, 680)]);
        assert_eq!(values(DocKind::VehicleLicence, &p)["towing_mass_kg"], json!(40000));
        // 档案编号 with one character off.
        let p = page(&[("植案编号", 430, 820), ("371700189232", 430, 850)]);
        assert_eq!(values(DocKind::VehicleLicence, &p)["file_number"], json!("371700189232"));
        // 有效期X is one off 有效期至 and 有效期限 alike: neither.
        let p = page(&[("有效期X", 100, 400), ("2028-07-05", 300, 400)]);
        assert!(values(DocKind::DrivingLicence, &p).is_empty());
        // Three characters are too few to tell a misread label from a word.
        let p = page(&[("外尺寸", 100, 400), ("6950×2550×3850mm", 100, 440)]);
        assert!(values(DocKind::VehicleLicence, &p).is_empty());
    }

    #[test]
    fn a_page_whose_labels_anchor_another_kinds_fields_is_that_kind() {
        let p = page(&[
            ("许可证号", 140, 400),
            ("业户名称", 400, 400),
            ("经营范围", 700, 400),
            ("有效期起", 900, 400),
            ("鲁交运管许可济字370100993009号", 140, 460),
            ("济南甩舰术物流科技股份有限公司", 400, 460),
            ("道路普通货物运输", 700, 460),
            ("2024年12月1日", 900, 460),
        ]);
        assert_eq!(kind_by_labels(&p, DocKind::RoadTransportCertificate), Some(DocKind::OperatingPermit));
        assert_eq!(kind_by_labels(&p, DocKind::OperatingPermit), None);
    }

    #[test]
    fn a_value_the_labels_give_another_field_is_that_fields_not_the_taggers() {
        let p = page(&[("整备质量", 450, 800), ("总质量", 800, 800), ("9100kg", 455, 840), ("25000kg", 805, 840), ("核定载人数", 100, 900)]);
        let at = |x: u32| BBox::new(x, 840, 72, 24);
        let mut got = BTreeMap::new();
        // Tagged one box to the left: the total from the curb mass's box,
        // the rated load (no label on the page) from the total's.
        got.insert("total_mass_kg".to_string(), Field::new(json!(9100), 0.9, at(455)));
        got.insert("rated_load_kg".to_string(), Field::new(json!(25000), 0.9, at(805)));
        fill(DocKind::VehicleLicence, &p, &mut got);
        assert_eq!(got["total_mass_kg"].value, json!(25000));
        assert_eq!(got["curb_mass_kg"].value, json!(9100));
        assert!(!got.contains_key("rated_load_kg"));
    }

    #[test]
    fn only_fields_the_tagger_left_without_a_value_are_filled() {
        let p = page(&[("法定代表人：贾想", 600, 600), ("注册资本：贰仟万元整", 100, 600)]);
        let mut got = BTreeMap::new();
        got.insert("legal_representative".to_string(), Field::new(json!("贾思"), 0.9, BBox::default()));
        got.insert("registered_capital".to_string(), Field::unreadable("贰", "too short", 0.9, BBox::default()));
        fill(DocKind::BusinessLicence, &p, &mut got);
        assert_eq!(got["legal_representative"].value, json!("贾思"));
        assert_eq!(got["registered_capital"].value, json!("贰仟万元整"));
    }

    #[test]
    fn one_printed_value_tagged_as_two_fields_gives_way_where_a_label_reads_another() {
        let p = page(&[("外廊尺寸(mm)", 101, 836), ("整备质量", 454, 836), ("总质量", 805, 836), ("8600×2550x3850mm", 105, 878), ("15070kg", 459, 878), ("41吨", 805, 878)]);
        let mut got = BTreeMap::new();
        let at_length = BBox::new(105, 878, 48, 24);
        got.insert("length_mm".to_string(), Field::new(json!(8600), 0.3, at_length));
        got.insert("curb_mass_kg".to_string(), Field::new(json!(8600), 0.88, at_length));
        got.insert("total_mass_kg".to_string(), Field::new(json!(41000), 0.99, BBox::new(805, 878, 24, 24)));
        fill(DocKind::VehicleLicence, &p, &mut got);
        assert_eq!(got["curb_mass_kg"].value, json!(15070));
        assert_eq!(got["length_mm"].value, json!(8600));
        assert_eq!(got["total_mass_kg"].value, json!(41000));
    }

    #[test]
    fn a_tagged_piece_of_a_wrapped_table_cell_gives_way_to_the_whole_cell() {
        let p = page(&[
            ("许可证号", 140, 400),
            ("业户名称", 400, 400),
            ("鲁交运管许可济字370100", 140, 460),
            ("泰安蓉儿奔都吊装运输集团", 400, 460),
            ("993009号", 140, 490),
            ("有限公司", 400, 490),
            ("有效期起", 900, 400),
            ("2025年08月1", 900, 460),
            ("7日", 900, 490),
        ]);
        let mut got = BTreeMap::new();
        got.insert("valid_from".to_string(), Field::new(json!("2025-08-01"), 0.5, BBox::new(900, 460, 132, 24)));
        got.insert("company_name".to_string(), Field::new(json!("泰安蓉儿奔都吊装运输集团"), 0.9, BBox::new(400, 460, 144, 24)));
        got.insert("permit_number".to_string(), Field::new(json!("鲁交运管许可济字370100"), 0.9, BBox::new(140, 460, 168, 24)));
        fill(DocKind::OperatingPermit, &p, &mut got);
        assert_eq!(got["company_name"].value, json!("泰安蓉儿奔都吊装运输集团有限公司"));
        assert_eq!(got["permit_number"].value, json!("鲁交运管许可济字370100993009号"));
        assert_eq!(got["valid_from"].value, json!("2025-08-17"));
    }

    #[test]
    fn a_qualification_category_of_the_list_printed_as_a_word_of_its_own_is_the_category() {
        let q = DocKind::QualificationCertificate;
        let p = page(&[("业卖制", 60, 100), ("经营性道路货物运输驾驶员", 200, 100)]);
        assert_eq!(values(q, &p)["category"], json!("经营性道路货物运输驾驶员"));
        // Twice the same is one; inside a sentence, on another kind, or two
        // categories on one page: none.
        let twice = page(&[("经营性道路货物运输驾驶员", 200, 100), ("经营性道路货物运输驾驶员", 200, 300)]);
        assert_eq!(values(q, &twice)["category"], json!("经营性道路货物运输驾驶员"));
        let sentence = page(&[("本证持有人可从事经营性道路货物运输驾驶员工作", 60, 100)]);
        assert!(!values(q, &sentence).contains_key("category"));
        assert!(!values(DocKind::DrivingLicence, &p).contains_key("category"));
        let two = page(&[("经营性道路货物运输驾驶员", 200, 100), ("道路危险货物运输驾驶员", 200, 300)]);
        assert!(!values(q, &two).contains_key("category"));
    }

    #[test]
    fn a_period_beside_its_label_gives_its_start_and_end() {
        let p = page(&[("委托期限", 60, 100), ("2026年04月18日－2026年08月20日", 200, 100)]);
        let v = values(DocKind::AuthorizationLetter, &p);
        assert_eq!((&v["valid_from"], &v["valid_until"]), (&json!("2026-04-18"), &json!("2026-08-20")));
        // A hyphen inside the dates cuts nothing: only the cut between them
        // leaves a date on both sides.
        let p = page(&[("有效期限", 60, 100), ("2019-01-23-2029-01-23", 200, 100)]);
        let v = values(DocKind::DrivingLicence, &p);
        assert_eq!((&v["valid_from"], &v["valid_until"]), (&json!("2019-01-23"), &json!("2029-01-23")));
        // Three cells on the row, an open end, and a kind with no start field.
        let p = page(&[("营业期限", 60, 100), ("2011年01月22日", 200, 100), ("至", 400, 100), ("长期", 440, 100)]);
        let v = values(DocKind::BusinessLicence, &p);
        assert_eq!(v["term_until"], json!("long_term"));
        assert!(!v.contains_key("valid_from"));
        // One date beside the label is no period.
        let v = values(DocKind::AuthorizationLetter, &page(&[("委托期限", 60, 100), ("2026年04月18日", 200, 100)]));
        assert!(!v.contains_key("valid_until"), "{v:?}");
    }

    #[test]
    fn a_period_the_tagger_read_with_doubt_is_as_sure_as_its_characters() {
        let p = page(&[("委托期限", 60, 100), ("2026年04月18日－2026年08月20日", 200, 100)]);
        let mut got = BTreeMap::new();
        got.insert("valid_from".to_string(), Field::new(json!("2026-04-18"), 0.44, BBox::new(200, 100, 132, 24)));
        got.insert("valid_until".to_string(), Field::new(json!("2026-08-20"), 0.64, BBox::new(344, 100, 132, 24)));
        fill(DocKind::AuthorizationLetter, &p, &mut got);
        assert_eq!((got["valid_from"].confidence, got["valid_until"].confidence), (0.9, 0.9));
    }

    /// A vehicle licence's row of brand model and VIN under their labels,
    /// after `fill` with the tagger's `(field, value, confidence, x, width)`.
    fn brand_and_vin_filled(tagged: &[(&str, &str, f32, u32, u32)]) -> BTreeMap<String, Field> {
        let p = page(&[("品牌型号", 450, 390), ("车辆识别代号", 800, 390), ("华骏牌ZCZ9400TPB", 460, 430), ("LA9PB3F35LG818632", 810, 430)]);
        let mut got: BTreeMap<String, Field> =
            tagged.iter().map(|&(k, v, c, x, w)| (k.to_string(), Field::new(json!(v), c, BBox::new(x, 430, w, 24)))).collect();
        fill(DocKind::VehicleLicence, &p, &mut got);
        got
    }

    #[test]
    fn a_tagged_value_its_label_confirms_is_as_sure_as_the_labels_reading() {
        // The tagger doubted the VIN was the VIN; a doubtful brand model
        // that no label confirms stays doubtful.
        let got = brand_and_vin_filled(&[("vin", "LA9PB3F35LG818632", 0.001, 810, 204), ("brand_model", "华骏牌ZCZ9400TP8", 0.3, 460, 180)]);
        assert_eq!(got["vin"].confidence, 0.9);
        assert_eq!(got["brand_model"].confidence, 0.3);
    }

    #[test]
    fn a_tagged_value_the_tagger_doubted_gives_way_to_its_labels_reading_and_keeps_the_doubt() {
        let got = brand_and_vin_filled(&[("brand_model", "华骏牌ZCZ94O0TP8", 0.01, 460, 156), ("vin", "LA9PB3F35LG818682", 0.3, 810, 204)]);
        assert_eq!((&got["brand_model"].value, got["brand_model"].confidence), (&json!("华骏牌ZCZ9400TPB"), 0.01));
        assert_eq!((&got["vin"].value, got["vin"].confidence), (&json!("LA9PB3F35LG818632"), 0.3));
        assert_eq!(got["brand_model"].bbox, BBox::new(460, 430, 156, 24));
        // A text run on past the label's reading, or cut short of it, stays.
        let got = brand_and_vin_filled(&[("brand_model", "华骏牌ZCZ9400TPBLA9PB", 0.01, 460, 400)]);
        assert_eq!(got["brand_model"].value, json!("华骏牌ZCZ9400TPBLA9PB"));
    }

    #[test]
    fn a_tagged_value_cut_out_of_a_longer_word_gives_way_to_its_labels_reading() {
        let p = page(&[("身份证复印件", 100, 60), ("姓名", 100, 120), ("冀楚翌", 160, 120)]);
        let mut got = BTreeMap::new();
        got.insert("name".to_string(), Field::new(json!("印件"), 0.83, BBox::new(148, 60, 24, 24)));
        fill(DocKind::IdCard, &p, &mut got);
        assert_eq!(got["name"].value, json!("冀楚翌"));
        // A whole word the label reads otherwise stands.
        let p = page(&[("印件", 100, 60), ("姓名", 100, 120), ("冀楚翌", 160, 120)]);
        let mut got = BTreeMap::new();
        got.insert("name".to_string(), Field::new(json!("印件"), 0.83, BBox::new(100, 60, 24, 24)));
        fill(DocKind::IdCard, &p, &mut got);
        assert_eq!(got["name"].value, json!("印件"));
        // Beside its label as well as in a column: the tagger stopped at a
        // rare character, and the label's cell holds the whole address.
        let p = page(&[("经营地址", 100, 700), ("山东省济南市章丘区程断葛南街838号", 200, 700)]);
        let mut got = BTreeMap::new();
        got.insert("address".to_string(), Field::new(json!("山东省济南市章丘区"), 0.9, BBox::new(200, 700, 108, 24)));
        fill(DocKind::OperatingPermit, &p, &mut got);
        assert_eq!(got["address"].value, json!("山东省济南市章丘区程断葛南街838号"));
    }
}
