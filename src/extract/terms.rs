//! Dates a card's own rules tie together, read from every date printed on
//! the page rather than from the labels beside them.
//!
//! A driving licence prints up to four dates (birth, first issue, start
//! and end of validity), and its editions label them differently: the
//! 2022 edition's 有效期限 stands before the *end* date, or before a term
//! such as `10年`, where older editions print `有效期限 起 至 止`. A tagger
//! that learned one edition shifts the dates of another by one field (the
//! start read as the end, the end lost). Two rules do not depend on the
//! edition:
//!
//! - a licence is valid for six or ten years, or for good
//!   ([`LICENCE_TERMS_YEARS`]): two printed dates exactly that far apart,
//!   day for day, are its start and end, a printed term gives the end
//!   from the start, and a printed 长期 is an end for good;
//! - a resident ID number holds its holder's birth date (GB 11643-1999),
//!   and a driving licence's number is its holder's ID number: the printed
//!   date equal to it is the birth date.
//!
//! What these rules find replaces the tagger's reading of the field; each
//! value keeps the box and the OCR confidence of the characters it was
//! read from, so a doubtful print still warns.

use std::collections::BTreeMap;

use chrono::Months;

use super::PERIOD_SEPARATORS;
use crate::document::{DocKind, Field, FieldType};
use crate::ocr::{PageText, TextChar};
use crate::types::{BBox, Date, IdNumber};

/// The terms of a driving licence, in years: 《机动车驾驶证申领和使用规定》
/// (公安部令第162号): 机动车驾驶证有效期分为六年、十年和长期.
pub const LICENCE_TERMS_YEARS: [u32; 2] = [6, 10];

/// A date as printed on the page: its value, and the box and weakest OCR
/// confidence of its characters.
#[derive(Debug, Clone)]
struct Printed {
    date: Date,
    confidence: f32,
    bbox: BBox,
    /// Where it stands: its line, and its characters' range there.
    line: usize,
    range: std::ops::Range<usize>,
}

/// A term printed as `N年` (not the year of a date): its years, box and
/// confidence.
#[derive(Debug, Clone, Copy)]
struct Term {
    years: u32,
    confidence: f32,
    bbox: BBox,
}

/// A month as printed (`2027年01月`): its value as `2027-01`, and the box
/// and weakest OCR confidence of its characters.
type PrintedMonth = (String, f32, BBox);

/// A run of ASCII digits in a line: its value, how many digits, and its
/// characters' range.
struct Number {
    value: u32,
    digits: usize,
    range: std::ops::Range<usize>,
}

fn numbers(chars: &[TextChar]) -> Vec<Number> {
    let mut out = vec![];
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].ch.is_ascii_digit() {
            i += 1;
        }
        let text: String = chars[start..i].iter().map(|c| c.ch).collect();
        if let Ok(value) = text.parse() {
            out.push(Number { value, digits: i - start, range: start..i });
        }
    }
    out
}

fn read_from(chars: &[TextChar]) -> (f32, BBox) {
    let confidence = chars.iter().map(|c| c.confidence).fold(1f32, f32::min);
    let bbox = chars.iter().skip(1).fold(chars[0].bbox, |b, c| b.union(c.bbox));
    (confidence, bbox)
}

/// The dates, terms and months printed on `page`: `2018年7月5日`,
/// `2018.07.05`, `2018-07-05`, `2018/7/5` (one separator between the three
/// numbers, spaces aside); `10年` not after a date's digits; `2027年01月`,
/// `2027-01` that are no piece of a date.
fn printed(page: &PageText) -> (Vec<Printed>, Vec<Term>, Vec<PrintedMonth>) {
    let (mut dates, mut terms, mut months) = (vec![], vec![], vec![]);
    for (li, line) in page.lines.iter().enumerate() {
        let chars = &line.chars;
        let n = numbers(chars);
        // One separator between two numbers, spaces aside (`1980 年 5 月`).
        let sep = |a: &Number, b: &Number, seps: &[char]| {
            let mut between = chars[a.range.end..b.range.start].iter().filter(|c| !c.ch.is_whitespace());
            between.next().is_some_and(|c| seps.contains(&c.ch)) && between.next().is_none()
        };
        let mut used = vec![false; n.len()];
        for i in 0..n.len().saturating_sub(2) {
            let (y, m, d) = (&n[i], &n[i + 1], &n[i + 2]);
            if y.digits == 4 && sep(y, m, &['年', '.', '-', '/']) && sep(m, d, &['月', '.', '-', '/']) && m.digits <= 2 && d.digits <= 2 {
                let Some(date) = Date::from_ymd_opt(y.value as i32, m.value, d.value) else { continue };
                let day_sign = (d.range.end..chars.len()).find(|&k| !chars[k].ch.is_whitespace()).filter(|&k| chars[k].ch == '日');
                let end = day_sign.map_or(d.range.end, |k| k + 1);
                let (confidence, bbox) = read_from(&chars[y.range.start..end]);
                dates.push(Printed { date, confidence, bbox, line: li, range: y.range.start..end });
                used[i..i + 3].fill(true);
            }
        }
        for i in 0..n.len().saturating_sub(1) {
            let (y, m) = (&n[i], &n[i + 1]);
            let day_follows = n.get(i + 2).is_some_and(|d| d.digits <= 2 && sep(m, d, &['月', '.', '-', '/']));
            let after_date = i > 0 && used[i - 1];
            if used[i] || after_date || day_follows || y.digits != 4 || m.digits > 2 || !sep(y, m, &['年', '.', '-', '/']) || !(1..=12).contains(&m.value) {
                continue;
            }
            let month_sign = chars.get(m.range.end).filter(|c| c.ch == '月').map(|_| m.range.end + 1);
            let (confidence, bbox) = read_from(&chars[y.range.start..month_sign.unwrap_or(m.range.end)]);
            months.push((format!("{:04}-{:02}", y.value, m.value), confidence, bbox));
        }
        for (k, t) in n.iter().enumerate() {
            let after_digit = t.range.start > 0 && chars[t.range.start - 1].ch.is_ascii_digit();
            if !used[k] && t.digits <= 2 && !after_digit && chars.get(t.range.end).is_some_and(|c| c.ch == '年') {
                let (confidence, bbox) = read_from(&chars[t.range.start..=t.range.end]);
                terms.push(Term { years: t.value, confidence, bbox });
            }
        }
    }
    (dates, terms, months)
}

fn years_after(d: Date, years: u32) -> Option<Date> {
    d.checked_add_months(Months::new(12 * years))
}

/// Puts `date` as field `key`, unless the field already holds that date
/// (then the surer confidence stays).
fn put(kind: DocKind, fields: &mut BTreeMap<String, Field>, key: &str, date: Date, confidence: f32, bbox: BBox) {
    put_text(kind, fields, key, &date.to_string(), confidence, bbox)
}

fn put_text(kind: DocKind, fields: &mut BTreeMap<String, Field>, key: &str, text: &str, confidence: f32, bbox: BBox) {
    match fields.get_mut(key) {
        Some(f) if f.value.as_str() == Some(text) => f.confidence = f.confidence.max(confidence),
        _ => {
            let t = kind.field_type(key).unwrap_or(FieldType::Date);
            fields.insert(key.to_string(), super::spans::field(kind, key, t, text, confidence, bbox));
        }
    }
}

/// Sets a driving licence's or ID card's dates from the rules above where
/// the page shows them; leaves every other kind as it is.
pub fn fill(kind: DocKind, page: &PageText, fields: &mut BTreeMap<String, Field>) {
    let id_key = match kind {
        DocKind::DrivingLicence => "licence_number",
        DocKind::IdCard => "id_number",
        _ => return,
    };
    let (dates, terms, _) = printed(page);
    let birth = fields.get(id_key).and_then(|f| f.value.as_str()).and_then(|s| IdNumber::parse(s).ok()).map(|id| id.birth_date());
    if let Some(b) = birth
        && let Some(p) = dates.iter().filter(|p| p.date == b).max_by(|a, b| a.confidence.total_cmp(&b.confidence))
    {
        put(kind, fields, "birth_date", p.date, p.confidence, p.bbox);
    }
    if kind == DocKind::DrivingLicence {
        validity(kind, page, &dates, &terms, birth, fields);
    }
}

/// A licence's start and end: the latest pair of printed dates one term
/// apart (a renewed licence may also show its first issue one term before
/// its start), else the start read and a printed term. A page that prints
/// 长期 is valid for good: its end is `long_term` where none was read
/// (the 2022 edition's `有效期限 长期`), and no pair is sought.
fn validity(kind: DocKind, page: &PageText, dates: &[Printed], terms: &[Term], birth: Option<Date>, fields: &mut BTreeMap<String, Field>) {
    let readable = |fields: &BTreeMap<String, Field>, key: &str| fields.get(key).is_some_and(|f| !f.value.is_null());
    let for_good = page.lines.iter().find_map(|l| {
        let at = l.chars.windows(2).position(|w| w[0].ch == '长' && w[1].ch == '期')?;
        Some(read_from(&l.chars[at..at + 2]))
    });
    if let Some((confidence, bbox)) = for_good {
        if !readable(fields, "valid_until") {
            put_text(kind, fields, "valid_until", "长期", confidence, bbox);
        }
        return;
    }
    let candidates: Vec<&Printed> = dates.iter().filter(|p| Some(p.date) != birth).collect();
    let pair = candidates
        .iter()
        .flat_map(|a| candidates.iter().map(move |b| (*a, *b)))
        .filter(|(a, b)| LICENCE_TERMS_YEARS.iter().any(|&y| years_after(a.date, y) == Some(b.date)))
        // A licence prints its start first on a line (`A至B`): a pair
        // printed end first is a year misread (`2019.09.10至2009.09.10`,
        // 2029 read 2009), not a validity.
        .filter(|(a, b)| a.line != b.line || a.range.start < b.range.start)
        .max_by(|x, y| x.1.date.cmp(&y.1.date).then(x.0.confidence.min(x.1.confidence).total_cmp(&y.0.confidence.min(y.1.confidence))));
    if let Some((from, until)) = pair {
        put(kind, fields, "valid_from", from.date, from.confidence, from.bbox);
        put(kind, fields, "valid_until", until.date, until.confidence, until.bbox);
        return;
    }
    let from = fields.get("valid_from").and_then(|f| Some((f.value.as_str()?.parse::<Date>().ok()?, f.confidence)));
    let term = terms.iter().find(|t| LICENCE_TERMS_YEARS.contains(&t.years));
    if let (Some((from, from_conf)), Some(term), false) = (from, term, readable(fields, "valid_until"))
        && let Some(until) = years_after(from, term.years)
    {
        put(kind, fields, "valid_until", until, from_conf.min(term.confidence), term.bbox);
    }
}

/// Whether `join` (what stands between two dates, spaces and commas
/// dropped) joins a period's start to its end: one of the
/// [`PERIOD_SEPARATORS`], perhaps after 起 (`A至B`, `A起至B止`, `A～B`).
fn joins_a_period(join: &str) -> bool {
    let mut cs = join.strip_prefix('起').unwrap_or(join).chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if PERIOD_SEPARATORS.contains(&c))
}

/// The periods printed as two dates joined as [`joins_a_period`] says,
/// the end no earlier than the start. A sentence may wrap between them:
/// the end may open the next line (`…有效期自2026-08-08至` / `2027-01-20`).
fn periods<'d>(page: &PageText, dates: &'d [Printed]) -> Vec<(&'d Printed, &'d Printed)> {
    let chars = |p: &Printed| &page.lines[p.line].chars;
    dates
        .windows(2)
        .filter(|w| {
            let (a, b) = (&w[0], &w[1]);
            let between: Vec<&TextChar> = if a.line == b.line {
                chars(a)[a.range.end..b.range.start].iter().collect()
            } else if b.line == a.line + 1 {
                chars(a)[a.range.end..].iter().chain(&chars(b)[..b.range.start]).collect()
            } else {
                return false;
            };
            let join: String = between.iter().map(|c| c.ch).filter(|c| !c.is_whitespace() && !matches!(c, '，' | ',')).collect();
            joins_a_period(&join) && a.date <= b.date
        })
        .map(|w| (&w[0], &w[1]))
        .collect()
}

/// Sets an operating permit's or authorization letter's validity from the
/// one period the page prints, where a sentence states it (`本授权有效期自
/// A至B`, `委托期限为A起至B止`): the start is `valid_from`, the end
/// `valid_until`. The tagger reads such dates right but may doubt which is
/// which (0.16–0.66 on held-out letters, so P2 warned); the sentence says.
/// A page printing two periods, or none, is left as read.
pub fn fill_period(kind: DocKind, page: &PageText, fields: &mut BTreeMap<String, Field>) {
    if !matches!(kind, DocKind::OperatingPermit | DocKind::AuthorizationLetter) {
        return;
    }
    let (dates, _, _) = printed(page);
    let mut found = periods(page, &dates);
    found.dedup_by_key(|(a, b)| (a.date, b.date));
    if let [(from, until)] = found.as_slice() {
        put(kind, fields, "valid_from", from.date, from.confidence, from.bbox);
        put(kind, fields, "valid_until", until.date, until.confidence, until.bbox);
    }
}

/// Sets a vehicle licence's inspection month, where none was read or the
/// reading is no month, to the one month the page prints: the card's only
/// month is its inspection stamp's (检验有效期至2027年01月), every other
/// date has its day. On a copy whose labels were lost the tagger shifted
/// the values by a field (the month as the file number, the total mass
/// `25000kg` as the inspection month: held-out seeds 26, 30 and 34), and
/// V2 warned. A page printing two months, or none, is left as read.
pub fn fill_month(kind: DocKind, page: &PageText, fields: &mut BTreeMap<String, Field>) {
    const KEY: &str = "inspection_valid_until";
    if kind != DocKind::VehicleLicence || fields.get(KEY).is_some_and(Field::is_readable) {
        return;
    }
    let (_, _, mut months) = printed(page);
    months.sort_by(|a, b| a.0.cmp(&b.0));
    months.dedup_by(|a, b| a.0 == b.0);
    if let [(month, confidence, bbox)] = months.as_slice() {
        fields.remove(KEY);
        put_text(kind, fields, KEY, month, *confidence, *bbox);
    }
}

/// Sets the missing one of a road transport certificate's two dates, its
/// issue and its end (发证日期, 有效期至), where the tagger read the other
/// and the page prints exactly two dates, the issue the earlier: the other
/// date is the other field. Their labels are the smallest print on the
/// card and the first that blur takes; a date whose label was lost is
/// left untagged (datasets/test unseen app_0001's 道路运输证 lost 有效期至,
/// and V3 warned). A page printing one date or three, or the two in the
/// wrong order, is left as read. Not a qualification certificate: it
/// prints its holder's birth date too, which a lost issue date's place
/// would take.
pub fn fill_pair(kind: DocKind, page: &PageText, fields: &mut BTreeMap<String, Field>) {
    const PAIR: [&str; 2] = ["issue_date", "valid_until"];
    if kind != DocKind::RoadTransportCertificate {
        return;
    }
    let read = |key: &str| fields.get(key).filter(|f| f.is_readable()).and_then(|f| f.value.as_str()?.parse::<Date>().ok());
    let (known, missing) = match (read(PAIR[0]), read(PAIR[1])) {
        (Some(issue), None) => (issue, PAIR[1]),
        (None, Some(until)) => (until, PAIR[0]),
        _ => return,
    };
    let (mut dates, _, _) = printed(page);
    dates.sort_by_key(|p| p.date);
    dates.dedup_by_key(|p| p.date);
    if let [first, second] = dates.as_slice() {
        let other = match missing {
            "valid_until" if first.date == known => second,
            "issue_date" if second.date == known => first,
            _ => return,
        };
        fields.remove(missing);
        put(kind, fields, missing, other.date, other.confidence, other.bbox);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(lines: &[&str]) -> PageText {
        super::super::test_page(lines)
    }

    fn date_field(v: &str) -> Field {
        Field::new(json!(v), 0.8, BBox::new(0, 0, 10, 10))
    }

    fn value(fields: &BTreeMap<String, Field>, key: &str) -> Option<String> {
        fields.get(key).and_then(|f| f.value.as_str().map(str::to_string))
    }

    const CARD_2022: [&str; 7] = [
        "证号 65400219800522709X",
        "姓名 陆衣庙",
        "出生日期 1980年5月22日",
        "初次领证日期 2018年4月15日",
        "准驾车型 A2",
        "有效起始日期 2018年7月5日",
        "有效期限 2028年7月5日",
    ];

    #[test]
    fn dates_one_licence_term_apart_are_its_validity_whatever_the_tagger_took() {
        let mut fields = BTreeMap::from([
            ("licence_number".to_string(), Field::new(json!("65400219800522709X"), 0.99, BBox::default())),
            ("valid_from".to_string(), date_field("2028-07-05")),
        ]);
        fill(DocKind::DrivingLicence, &page(&CARD_2022), &mut fields);
        assert_eq!(value(&fields, "valid_from").as_deref(), Some("2018-07-05"));
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("2028-07-05"));
        assert_eq!(value(&fields, "birth_date").as_deref(), Some("1980-05-22"));
        // The box is the printed date's: line 6, `2028年7月5日` after `有效期限 `.
        assert_eq!(fields["valid_until"].bbox, BBox::new(20 * 5, 180, 20 * 9, 24));
    }

    #[test]
    fn two_dates_a_term_apart_printed_end_first_on_one_line_are_no_validity() {
        // 2019.09.10至2029.09.10 with 2029 misread 2009.
        let mut fields = BTreeMap::from([("valid_from".to_string(), date_field("2019-09-10")), ("valid_until".to_string(), date_field("2009-09-10"))]);
        fill(DocKind::DrivingLicence, &page(&["有效期限 2019.09.10至2009.09.10"]), &mut fields);
        assert_eq!((value(&fields, "valid_from").as_deref(), value(&fields, "valid_until").as_deref()), (Some("2019-09-10"), Some("2009-09-10")));
        // Printed start first, the pair is the validity.
        fill(DocKind::DrivingLicence, &page(&["有效期限 2009.09.10至2019.09.10"]), &mut fields);
        assert_eq!((value(&fields, "valid_from").as_deref(), value(&fields, "valid_until").as_deref()), (Some("2009-09-10"), Some("2019-09-10")));
    }

    #[test]
    fn a_renewed_licence_takes_its_latest_term_not_the_first_issue_one_term_before_its_start() {
        let lines = ["初次领证日期 2012-05-05", "有效期限 2018-05-05 至 2028-05-05"];
        let mut fields = BTreeMap::new();
        fill(DocKind::DrivingLicence, &page(&lines), &mut fields);
        assert_eq!(value(&fields, "valid_from").as_deref(), Some("2018-05-05"));
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("2028-05-05"));
    }

    #[test]
    fn a_printed_term_gives_the_end_from_the_start_where_the_end_is_not_printed() {
        let lines = ["有效起始日期 2019.03.02", "有效期限 6年"];
        let mut fields = BTreeMap::from([("valid_from".to_string(), date_field("2019-03-02"))]);
        fill(DocKind::DrivingLicence, &page(&lines), &mut fields);
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("2025-03-02"));
        assert!(fields["valid_until"].confidence <= 0.8, "no surer than the start it was computed from");
    }

    #[test]
    fn dates_no_term_apart_a_long_term_licence_and_other_kinds_are_left_as_read() {
        let mut fields = BTreeMap::from([("valid_from".to_string(), date_field("2019-03-02"))]);
        let before = fields.clone();
        fill(DocKind::DrivingLicence, &page(&["有效期限 2019-03-02 至 2027-03-02"]), &mut fields);
        assert_eq!(fields, before, "eight years is no licence term");
        fields.insert("valid_until".into(), Field::new(json!("long_term"), 0.9, BBox::default()));
        let before = fields.clone();
        fill(DocKind::DrivingLicence, &page(&["初次领证日期 2009-03-02", "有效期限 2019-03-02 长期"]), &mut fields);
        assert_eq!(fields, before, "a licence valid for good has no end to find");
        fill(DocKind::AuthorizationLetter, &page(&["有效期 2019-03-02 至 2029-03-02"]), &mut fields);
        assert_eq!(fields, before, "a letter's period is whatever it says");
    }

    #[test]
    fn a_licence_valid_for_good_ends_long_term_where_no_end_was_read() {
        let mut fields = BTreeMap::from([("valid_from".to_string(), date_field("2023-09-21"))]);
        fill(DocKind::DrivingLicence, &page(&["有效起始日期 2023年9月21日", "有效期限 长期"]), &mut fields);
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("long_term"));
        assert_eq!(fields["valid_until"].bbox, BBox::new(20 * 5, 30, 40, 24));
    }

    #[test]
    fn a_letters_sentence_gives_its_period_across_a_wrap_whatever_the_tagger_doubted_or_took() {
        let lines = ["我公司均予以认可。本授权有效期自2026-08-08至", "2027-01-20", "特此授权。", "2026年09月28日"];
        let mut fields = BTreeMap::from([
            ("valid_from".to_string(), Field::new(json!("2026-08-08"), 0.66, BBox::default())),
            ("valid_until".to_string(), date_field("2026-09-28")),
        ]);
        fill_period(DocKind::AuthorizationLetter, &page(&lines), &mut fields);
        assert_eq!(value(&fields, "valid_from").as_deref(), Some("2026-08-08"));
        assert_eq!(fields["valid_from"].confidence, 0.9, "the characters' confidence, not the tagger's doubt");
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("2027-01-20"), "the signing date is no end");
        assert_eq!(fields["valid_until"].bbox, BBox::new(0, 30, 20 * 10, 24));
        let mut fields = BTreeMap::new();
        fill_period(DocKind::OperatingPermit, &page(&["有效期为2024年12月1日 起，至 2028年11月30日止"]), &mut fields);
        assert_eq!(value(&fields, "valid_from").as_deref(), Some("2024-12-01"));
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("2028-11-30"));
    }

    #[test]
    fn a_period_is_joined_by_one_separator_perhaps_after_qi_and_by_nothing_else() {
        for join in ["至", "起至", "到", "起到", "～", "－", "-"] {
            assert!(joins_a_period(join), "{join}");
        }
        for join in ["", "起", "至至", "和", "及", "至今"] {
            assert!(!joins_a_period(join), "{join}");
        }
    }

    #[test]
    fn two_periods_an_end_before_its_start_dates_apart_or_another_kind_are_left_as_read() {
        let mut fields = BTreeMap::from([("valid_from".to_string(), date_field("2026-04-19"))]);
        let before = fields.clone();
        for lines in [
            &["有效期自2026-04-19至2026-12-10", "运输时间2026-05-01至2026-05-03"][..],
            &["有效期自2026-12-10至2026-04-19"],
            &["签发日期2026-04-19", "有效期至2026-12-10"],
            &["有效期自2026-04-19至", "特此授权。", "2026-12-10"],
        ] {
            fill_period(DocKind::AuthorizationLetter, &page(lines), &mut fields);
            assert_eq!(fields, before, "{lines:?}");
        }
        fill_period(DocKind::QualificationCertificate, &page(&["有效期 2020-01-01 至 2026-12-31"]), &mut fields);
        assert_eq!(fields, before);
    }

    #[test]
    fn a_vehicle_licences_one_printed_month_is_its_inspection_month_where_the_tagger_read_none() {
        let lines = ["豫NT2107 2027年01月 48000kg", "7000×2550×3850mm 9410kg 25000kg", "WP1351055950 2019年05月05日 2019年05月08日"];
        let mut fields = BTreeMap::from([("inspection_valid_until".to_string(), Field::unreadable("25000kg", "not a month", 0.54, BBox::default()))]);
        fill_month(DocKind::VehicleLicence, &page(&lines), &mut fields);
        assert_eq!(value(&fields, "inspection_valid_until").as_deref(), Some("2027-01"));
        assert_eq!(fields["inspection_valid_until"].bbox, BBox::new(20 * 8, 0, 20 * 8, 24));
        // A month read is kept; two months printed, or only dates, give none.
        let mut read = BTreeMap::from([("inspection_valid_until".to_string(), date_field("2026-11"))]);
        fill_month(DocKind::VehicleLicence, &page(&lines), &mut read);
        assert_eq!(value(&read, "inspection_valid_until").as_deref(), Some("2026-11"));
        for lines in [&["检验有效期至2027年01月", "检验有效期至2028年01月"][..], &["注册日期 2019.05.05", "发证日期 2019-05-08"]] {
            let mut fields = BTreeMap::new();
            fill_month(DocKind::VehicleLicence, &page(lines), &mut fields);
            assert!(fields.is_empty(), "{lines:?}");
        }
        let mut fields = BTreeMap::new();
        fill_month(DocKind::RoadTransportCertificate, &page(&lines), &mut fields);
        assert!(fields.is_empty());
    }

    #[test]
    fn a_cards_end_whose_label_was_lost_is_its_other_printed_date_after_the_issue() {
        let lines = ["证部 2025年5月12日", "2028年8月7日", "证机 青岛市交通运维局"];
        let mut fields = BTreeMap::from([("issue_date".to_string(), date_field("2025-05-12"))]);
        fill_pair(DocKind::RoadTransportCertificate, &page(&lines), &mut fields);
        assert_eq!(value(&fields, "valid_until").as_deref(), Some("2028-08-07"));
        assert_eq!(fields["valid_until"].confidence, 0.9, "the characters' confidence");
        assert_eq!(fields["valid_until"].bbox, BBox::new(0, 30, 20 * 9, 24));
        // And the issue from the end.
        let mut fields = BTreeMap::from([("valid_until".to_string(), date_field("2028-08-07")), ("issue_date".to_string(), Field::unreadable("证部", "not a date", 0.3, BBox::default()))]);
        fill_pair(DocKind::RoadTransportCertificate, &page(&lines), &mut fields);
        assert_eq!(value(&fields, "issue_date").as_deref(), Some("2025-05-12"));
    }

    #[test]
    fn one_date_three_dates_dates_out_of_order_both_read_or_another_kind_are_left_as_read() {
        let issue = || BTreeMap::from([("issue_date".to_string(), date_field("2025-05-12"))]);
        for lines in [
            &["发证日期 2025年5月12日"][..],
            &["2025年5月12日", "2028年8月7日", "2031年8月7日"],
            &["2024年5月12日", "2025年5月12日"],
            &["2023年5月12日", "2028年8月7日"],
        ] {
            let mut fields = issue();
            fill_pair(DocKind::RoadTransportCertificate, &page(lines), &mut fields);
            assert_eq!(fields, issue(), "{lines:?}");
        }
        let lines = ["2025年5月12日", "2028年8月7日"];
        let mut both = BTreeMap::from([("issue_date".to_string(), date_field("2025-05-12")), ("valid_until".to_string(), date_field("2027-01-01"))]);
        let before = both.clone();
        fill_pair(DocKind::RoadTransportCertificate, &page(&lines), &mut both);
        assert_eq!(both, before, "a reading is never replaced");
        for kind in [DocKind::OperatingPermit, DocKind::QualificationCertificate] {
            let mut fields = issue();
            fill_pair(kind, &page(&lines), &mut fields);
            assert_eq!(fields, issue(), "{kind:?}");
        }
    }

    #[test]
    fn the_birth_date_is_the_printed_date_the_id_number_holds_and_nothing_when_none_is() {
        let id = || ("id_number".to_string(), Field::new(json!("65400219800522709X"), 0.99, BBox::default()));
        let mut fields = BTreeMap::from([id(), ("birth_date".to_string(), date_field("2018-04-15"))]);
        fill(DocKind::IdCard, &page(&["出生 1980 年 5 月 22 日", "1980.05.22", "签发 2018.04.15"]), &mut fields);
        assert_eq!(value(&fields, "birth_date").as_deref(), Some("1980-05-22"));
        let mut fields = BTreeMap::from([id(), ("birth_date".to_string(), date_field("2018-04-15"))]);
        fill(DocKind::IdCard, &page(&["签发 2018.04.15"]), &mut fields);
        assert_eq!(value(&fields, "birth_date").as_deref(), Some("2018-04-15"));
    }
}
