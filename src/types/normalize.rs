//! The value normalisation of `documents.md`: what a printed value becomes
//! before anything compares it. Each function takes printed text and
//! returns the canonical value, or `None` when the text is not of that type.

use unicode_normalization::UnicodeNormalization;

use super::dates::{Date, Month};
use super::units::{Kg, Mm};

/// Text: Unicode NFKC, all whitespace removed.
/// `济宁 顺达（大件）运输有限公司` → `济宁顺达(大件)运输有限公司`.
pub fn text(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Codes: NFKC, upper-case ASCII, no spaces; Chinese characters kept.
/// `lzz1clvb5ja123456` → `LZZ1CLVB5JA123456`; `鲁H 6789挂` → `鲁H6789挂`.
pub fn code(s: &str) -> String {
    text(s).chars().map(|c| c.to_ascii_uppercase()).collect()
}

/// The codes a printed line may hold: its words split at spaces and
/// colons (`证号：370802198001011235`), each as a [`code`]. A number that
/// only contains a code is no code.
pub fn code_tokens(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split(|c: char| c.is_whitespace() || matches!(c, ':' | '：')).map(code)
}

/// Splits printed date-like text into its numbers:
/// `2026年03月08日`, `2026.03.08`, `2026-3-8`, `2026/03/08` → [2026, 3, 8].
fn numbers(s: &str) -> Vec<u32> {
    text(s)
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// Dates: `YYYY-MM-DD`. Also takes the compact `20260308`.
pub fn date(s: &str) -> Option<Date> {
    // A term printed after the day, `2030年8月6日（10年）`, is no part of it
    // (OCR may lose its closing bracket).
    let t = text(s);
    let s = match t.split_once('(') {
        Some((day, _)) if day.ends_with('日') => day,
        _ => t.as_str(),
    };
    let n = numbers(s);
    match n.as_slice() {
        // A year of fewer than four digits is a misread (a digit lost), not
        // the first millennium.
        [y, m, d] if *y >= 1000 => Date::from_ymd_opt(*y as i32, *m, *d),
        [compact] if text(s).len() == 8 => {
            let c = compact;
            Date::from_ymd_opt((c / 10000) as i32, c / 100 % 100, c % 100)
        }
        _ => None,
    }
}

/// Months: `YYYY-MM`. `检验有效期至2027年05月` → 2027-05.
pub fn month(s: &str) -> Option<Month> {
    match numbers(s).as_slice() {
        [y, m] if (1..=12).contains(m) && *y >= 1000 => Some(Month { year: *y as i32, month: *m }),
        _ => None,
    }
}

/// An open end: `长期` (or `long_term`) → `long_term`; otherwise a date.
pub fn open_end(s: &str) -> Option<String> {
    let t = text(s);
    if t == "长期" || t == "long_term" || t == "长期有效" {
        return Some("long_term".to_string());
    }
    date(&t).map(|d| d.to_string())
}

/// Masses: integer kg. `49000kg`, `49吨`, `49t` → 49000.
pub fn mass(s: &str) -> Option<Kg> {
    Kg::parse(&text(s)).ok()
}

/// Lengths: integer mm; an outline gives three.
pub fn outline(s: &str) -> Option<(Mm, Mm, Mm)> {
    Mm::parse_outline(&text(s)).ok()
}

/// A Chinese character (CJK unified ideographs, extensions A–F,
/// compatibility ideographs): what names and company names are made of.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// The licence classes a printed 准驾车型 lists: `A2D` → [A2, D].
pub fn licence_classes(code: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for ch in code.chars() {
        if ch.is_ascii_digit() {
            match out.last_mut() {
                Some(last) => last.push(ch),
                None => out.push(ch.to_string()),
            }
        } else if ch.is_ascii_alphabetic() {
            out.push(ch.to_ascii_uppercase().to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfkc_folded_without_whitespace() {
        assert_eq!(text("济宁 顺达（大件）运输有限公司"), "济宁顺达(大件)运输有限公司");
        assert_eq!(text("道路普通货物运输，大型物件运输"), "道路普通货物运输,大型物件运输");
    }

    #[test]
    fn codes_are_upper_case_and_keep_chinese() {
        assert_eq!(code("lzz1clvb5ja123456"), "LZZ1CLVB5JA123456");
        assert_eq!(code("鲁H 6789挂"), "鲁H6789挂");
        assert_eq!(code("ＬＺＺ１"), "LZZ1");
    }

    #[test]
    fn a_term_in_brackets_after_the_day_is_no_part_of_the_date() {
        let want = Date::from_ymd_opt(2030, 8, 6);
        for s in ["2030年8月6日（10年）", "2030年8月6日(10年", "2030年08月06日 (6年)"] {
            assert_eq!(date(s), want, "{s}");
        }
        assert_eq!(date("2030(10年)"), None);
    }

    #[test]
    fn a_year_that_lost_a_digit_is_no_date() {
        assert_eq!(date("021-07-31"), None);
        assert_eq!(date("21年7月31日"), None);
    }

    #[test]
    fn every_printed_date_variant_gives_the_same_date() {
        let want = Date::from_ymd_opt(2026, 3, 8);
        for s in ["2026年03月08日", "2026.03.08", "2026-3-8", "2026-03-08", "2026/03/08", "20260308", "2026年3月8日"] {
            assert_eq!(date(s), want, "{s}");
        }
        assert_eq!(date("2026-02-30"), None);
        assert_eq!(date("2026年03月"), None);
    }

    #[test]
    fn an_inspection_month_is_read_to_the_month() {
        assert_eq!(month("检验有效期至2027年05月").unwrap().to_string(), "2027-05");
        assert_eq!(month("2027-13"), None);
    }

    #[test]
    fn long_term_is_a_literal() {
        assert_eq!(open_end("长期").as_deref(), Some("long_term"));
        assert_eq!(open_end("2030年01月01日").as_deref(), Some("2030-01-01"));
    }
}
