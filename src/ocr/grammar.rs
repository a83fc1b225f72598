//! Codes read by their grammar: a plate (GA 36), a VIN (GB 16735), a USCC
//! (GB 32100), an ID number (GB 11643), a date or a month decoded from the
//! recogniser's output with only the classes the grammar allows at each
//! position ([`super::ctc::constrained_decode`]). Where greedy decoding reads `I`
//! for `1` in a plate (which has no I), the constrained reading takes the
//! best class the grammar allows, with the probability the recogniser gave
//! it, so a position it did not see clearly stays doubtful. A reading the
//! grammar cannot produce (a failed check digit) is not taken.

use crate::types::{Code, PROVINCES, normalize};

/// What a span is read again as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Code(Code),
    /// A date as licences print it: `2020-01-17`, `2020.01.17`,
    /// `2020/1/17`, `2020年1月17日`, its year in [`YEARS`].
    Date,
    /// A month so printed: `2027-08`, `2027.8`, `2027年08月`.
    Month,
}

/// The years a licence's date can have; a reading outside them is a
/// misread (the `6` a seal's ring made of the `0` in `2023`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

impl Grammar {
    pub fn is_code(self) -> bool {
        matches!(self, Grammar::Code(_))
    }

    /// The canonical value `text` (a reading of this grammar's shapes)
    /// stands for, if it is a valid one: a code as read (its check
    /// characters right), a date that exists, a month.
    pub fn value(self, text: &str) -> Option<String> {
        match self {
            Grammar::Code(code) => code.check(text).is_ok().then(|| text.to_string()),
            Grammar::Date => normalize::date(text).filter(|d| YEARS.contains(&chrono::Datelike::year(d))).map(|d| d.to_string()),
            Grammar::Month => normalize::month(text).filter(|m| YEARS.contains(&m.year)).map(|m| m.to_string()),
        }
    }
}

/// Every shape `grammar` takes, each as the classes (alphabet index + 1; 0
/// is the CTC blank) allowed at each position.
pub(crate) fn templates(grammar: Grammar, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    match grammar {
        Grammar::Code(code) => code_templates(code, alphabet),
        Grammar::Date | Grammar::Month => dated_templates(grammar == Grammar::Date, alphabet),
    }
}

/// The shapes of a date (`day`) or a month: a year of 19xx or 20xx, then
/// month and day of one or two digits, each after its separator: one of
/// `-./` throughout, or 年 and 月 with 日 after the day (月 after a
/// month).
fn dated_templates(day: bool, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    let set = |chars: &str| -> Vec<usize> { chars.chars().filter_map(|c| alphabet.iter().position(|&a| a == c).map(|i| i + 1)).collect() };
    let digits = set("0123456789");
    let year = vec![set("12"), set("90"), digits.clone(), digits.clone()];
    // A number of one or two digits: its first digit, of two, is at most `tens`.
    let number = |tens: &str| vec![vec![digits.clone()], vec![set(tens), digits.clone()]];
    let mut shapes = Vec::new();
    for (sep1, sep2, end) in [("-", "-", ""), (".", ".", ""), ("/", "/", ""), ("年", "月", "日")] {
        for month in number("01") {
            let mut head = year.clone();
            head.push(set(sep1));
            head.extend(month.iter().cloned());
            if !day {
                if sep1 == "年" {
                    head.push(set("月"));
                }
                shapes.push(head);
                continue;
            }
            for d in number("0123") {
                let mut t = head.clone();
                t.push(set(sep2));
                t.extend(d);
                if !end.is_empty() {
                    t.push(set(end));
                }
                shapes.push(t);
            }
        }
    }
    shapes.retain(|t| t.iter().all(|c| !c.is_empty()));
    shapes
}

/// Every shape `code` takes.
fn code_templates(code: Code, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    let set = |chars: &mut dyn Iterator<Item = char>| -> Vec<usize> {
        let mut v: Vec<usize> = chars.filter_map(|c| alphabet.iter().position(|&a| a == c).map(|i| i + 1)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let digits = set(&mut ('0'..='9'));
    let letters_no_io = set(&mut ('A'..='Z').filter(|c| !matches!(c, 'I' | 'O')));
    let alnum_no_io = set(&mut ('0'..='9').chain(('A'..='Z').filter(|c| !matches!(c, 'I' | 'O'))));
    match code {
        Code::Plate => {
            let province = set(&mut PROVINCES.chars());
            let head = vec![province, letters_no_io];
            let de = set(&mut "DF".chars());
            let gua = set(&mut "挂".chars());
            let with = |tail: Vec<Vec<usize>>| head.iter().cloned().chain(tail).collect::<Vec<_>>();
            vec![
                with(vec![alnum_no_io.clone(); 5]),
                with([vec![alnum_no_io.clone(); 4], vec![gua]].concat()),
                with([vec![de.clone()], vec![alnum_no_io.clone(); 5]].concat()),
                with([vec![digits.clone(); 5], vec![de]].concat()),
            ]
        }
        Code::TrailerPlate => {
            let mut shapes = code_templates(Code::Plate, alphabet);
            shapes.retain(|t| t.last().is_some_and(|c| c.len() == 1 && alphabet.get(c[0] - 1) == Some(&'挂')));
            shapes
        }
        Code::Vin => vec![vec![set(&mut ('0'..='9').chain(('A'..='Z').filter(|c| !matches!(c, 'I' | 'O' | 'Q')))); 17]],
        Code::Uscc => vec![vec![set(&mut "0123456789ABCDEFGHJKLMNPQRTUWXY".chars()); 18]],
        Code::IdNumber => vec![[vec![digits.clone(); 17], vec![set(&mut ('0'..='9').chain(['X']))]].concat()],
    }
}

/// The code a line-shaped crop's greedy reading suggests: a plate when,
/// without its separator, it is 6 to 9 characters, at least five of them
/// Latin letters or digits (a plate photo read as `皖A·O5279`).
pub fn suggested_by(text: &str) -> Option<Grammar> {
    let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && !"·•-:：.".contains(*c)).collect();
    let alnum = t.iter().filter(|c| c.is_ascii_alphanumeric()).count();
    ((6..=9).contains(&t.len()) && alnum >= 5).then_some(Grammar::Code(Code::Plate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plate_has_four_shapes_and_no_i_or_o_after_its_province() {
        let alphabet: Vec<char> = "鲁皖挂0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ·".chars().collect();
        let t = templates(Grammar::Code(Code::Plate), &alphabet);
        assert_eq!(t.iter().map(Vec::len).collect::<Vec<_>>(), [7, 7, 8, 8]);
        let class = |c: char| alphabet.iter().position(|&a| a == c).unwrap() + 1;
        assert_eq!(t[0][0], [class('鲁'), class('皖')]);
        assert!(!t[0][3].contains(&class('I')) && !t[0][3].contains(&class('O')) && t[0][3].contains(&class('Q')));
        assert_eq!(t[1][6], [class('挂')]);
        assert!(!templates(Grammar::Code(Code::Vin), &alphabet)[0][0].contains(&class('Q')));
        // A trailer's plate has one shape: the ordinary one with 挂 last.
        assert_eq!(templates(Grammar::Code(Code::TrailerPlate), &alphabet), [t[1].clone()]);
        assert!(Code::TrailerPlate.check("鲁J4549挂").is_ok() && Code::TrailerPlate.check("鲁J45491").is_err());
    }

    #[test]
    fn a_plate_like_reading_suggests_the_plate_grammar_and_a_word_does_not() {
        assert_eq!(suggested_by("皖A·O5279"), Some(Grammar::Code(Code::Plate)));
        assert_eq!(suggested_by("皖A-NP523"), Some(Grammar::Code(Code::Plate)));
        assert_eq!(suggested_by("合肥城泊"), None);
        assert_eq!(suggested_by("LA9LB3D37KBJXC012"), None);
        assert!(Code::Plate.check("皖A05279").is_ok() && Code::Plate.check("皖AO5279").is_err());
    }

    #[test]
    fn a_date_has_a_year_of_19xx_or_20xx_and_its_printed_separators() {
        let alphabet: Vec<char> = "0123456789-./年月日".chars().collect();
        let class = |c: char| alphabet.iter().position(|&a| a == c).unwrap() + 1;
        let shapes = templates(Grammar::Date, &alphabet);
        // Four separator styles, month and day each of one or two digits.
        assert_eq!(shapes.len(), 16);
        assert!(shapes.iter().all(|t| t[0] == [class('1'), class('2')] && t[1] == [class('9'), class('0')]));
        assert!(shapes.iter().any(|t| t.len() == 11 && t[10] == [class('日')]));
        let months = templates(Grammar::Month, &alphabet);
        assert_eq!(months.len(), 8);
        assert!(months.iter().any(|t| t.len() == 8 && t[7] == [class('月')]));
    }

    #[test]
    fn a_dated_reading_is_a_value_only_as_a_real_date_of_a_plausible_year() {
        assert_eq!(Grammar::Date.value("2020年01月17日").as_deref(), Some("2020-01-17"));
        assert_eq!(Grammar::Date.value("2020.1.7").as_deref(), Some("2020-01-07"));
        assert_eq!(Grammar::Date.value("2623-02-04"), None);
        assert_eq!(Grammar::Date.value("2023-02-30"), None);
        assert_eq!(Grammar::Month.value("2027年08月").as_deref(), Some("2027-08"));
        assert_eq!(Grammar::Code(Code::Plate).value("皖A05279").as_deref(), Some("皖A05279"));
        assert_eq!(Grammar::Code(Code::Plate).value("皖AO5279"), None);
    }
}
