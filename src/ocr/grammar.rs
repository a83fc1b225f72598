//! Codes read by their grammar: a plate (GA 36), a VIN (GB 16735), a USCC
//! (GB 32100), an ID number (GB 11643), licence classes, a date, a month,
//! a mass or a length decoded from the recogniser's output with only the
//! classes the grammar allows at each position ([`super::ctc::constrained_decode`]). Where greedy decoding reads `I`
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
    /// A date, or 长期 (a term without end: a business licence's
    /// 营业期限, an ID card's validity).
    OpenEnd,
    /// A driving licence's permitted classes (准驾车型): one to three of
    /// these codes run together, `A2`, `A2D`, `B2E`. The recogniser reads
    /// `AI` for `A1` as it does in plates.
    LicenceClasses(&'static [String]),
    /// A whole number of kg or mm as printed: `25000kg`, `49吨`, `6850mm`,
    /// `9100`, its first digit not 0, its value from `min` to `max` (so
    /// that `40号`, a misread `40吨`, is not read as 40 kg).
    Quantity { unit: Quantity, min: u64, max: u64 },
}

/// What a [`Grammar::Quantity`] measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Mass,
    Length,
}

impl Quantity {
    /// The units printed after the number, and none.
    fn units(self) -> &'static [&'static str] {
        match self {
            Quantity::Mass => &["", "kg", "t", "吨", "千克", "公斤"],
            Quantity::Length => &["", "mm", "毫米"],
        }
    }
}

/// How many digits a printed mass or length has: 80 kg to 999 999 kg, a
/// width of 2550 mm, a length of 18100 mm.
const QUANTITY_DIGITS: std::ops::RangeInclusive<usize> = 2..=6;

/// The most licence classes one licence prints.
const MAX_CLASSES: usize = 3;

/// The years a licence's date can have; a reading outside them is a
/// misread (the `6` a seal's ring made of the `0` in `2023`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

impl Grammar {
    /// Whether the grammar fixes its characters (a code or a list of
    /// codes), so that a reading of it needs no likeness to what greedy
    /// decoding read.
    pub fn is_code(self) -> bool {
        matches!(self, Grammar::Code(_) | Grammar::LicenceClasses(_))
    }

    /// The canonical value `text` (a reading of this grammar's shapes)
    /// stands for, if it is a valid one: a code as read (its check
    /// characters right), a date that exists, a month.
    pub fn value(self, text: &str) -> Option<String> {
        match self {
            Grammar::Code(code) => code.check(text).is_ok().then(|| text.to_string()),
            Grammar::Date => normalize::date(text).filter(|d| YEARS.contains(&chrono::Datelike::year(d))).map(|d| d.to_string()),
            Grammar::Month => normalize::month(text).filter(|m| YEARS.contains(&m.year)).map(|m| m.to_string()),
            Grammar::OpenEnd => match normalize::open_end(text)? {
                d if d == "long_term" => Some(d),
                _ => Grammar::Date.value(text),
            },
            Grammar::LicenceClasses(classes) => {
                let tokens = normalize::licence_classes(text);
                let known = !tokens.is_empty() && tokens.len() <= MAX_CLASSES && tokens.iter().all(|t| classes.contains(t));
                (known && text.chars().all(|c| c.is_ascii_alphanumeric())).then(|| tokens.concat())
            }
            Grammar::Quantity { unit, min, max } => {
                let t = normalize::text(text);
                let n = match unit {
                    Quantity::Mass => crate::types::Kg::parse(&t).ok()?.0,
                    Quantity::Length => crate::types::Mm::parse(&t).ok()?.0,
                };
                (min..=max).contains(&u64::from(n)).then(|| n.to_string())
            }
        }
    }
}

/// The classes (alphabet index + 1; 0 is the CTC blank) of those of
/// `chars` the recogniser can emit, sorted, each once.
fn classes(chars: impl IntoIterator<Item = char>, alphabet: &[char]) -> Vec<usize> {
    let mut v: Vec<usize> = chars.into_iter().filter_map(|c| alphabet.iter().position(|&a| a == c).map(|i| i + 1)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// `text` one character at a time, or `None` when the recogniser cannot
/// emit one of them.
fn literal(text: &str, alphabet: &[char]) -> Option<Vec<Vec<usize>>> {
    let shape: Vec<Vec<usize>> = text.chars().map(|c| classes([c], alphabet)).collect();
    shape.iter().all(|c| !c.is_empty()).then_some(shape)
}

/// Every shape `grammar` takes, each as the classes allowed at each
/// position (see [`classes`]).
pub(crate) fn templates(grammar: Grammar, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    match grammar {
        Grammar::Code(code) => code_templates(code, alphabet),
        Grammar::Date | Grammar::Month => dated_templates(grammar == Grammar::Date, alphabet),
        Grammar::OpenEnd => {
            let mut shapes = dated_templates(true, alphabet);
            shapes.extend(literal("长期", alphabet));
            shapes
        }
        Grammar::LicenceClasses(list) => class_templates(list, alphabet),
        Grammar::Quantity { unit, .. } => quantity_templates(unit, alphabet),
    }
}

/// The shapes of a whole number of [`QUANTITY_DIGITS`] digits, the first
/// not 0, then one of the quantity's units (or none).
fn quantity_templates(q: Quantity, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    let digits = classes('0'..='9', alphabet);
    let first = classes('1'..='9', alphabet);
    let mut shapes = vec![];
    for n in QUANTITY_DIGITS {
        for unit in q.units() {
            let Some(unit) = literal(unit, alphabet) else { continue };
            shapes.push([vec![first.clone()], vec![digits.clone(); n - 1], unit].concat());
        }
    }
    shapes
}

/// The shapes of one to [`MAX_CLASSES`] licence classes run together: each
/// a letter, or a letter and a digit, of those `licence_classes` use. Which
/// letter goes with which digit is left to [`Grammar::value`].
fn class_templates(licence_classes: &[String], alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    let letters = classes(licence_classes.iter().filter_map(|c| c.chars().next()), alphabet);
    let digits = classes(licence_classes.iter().filter_map(|c| c.chars().nth(1)), alphabet);
    let tokens = [vec![letters.clone()], vec![letters, digits]];
    let mut shapes: Vec<Vec<Vec<usize>>> = vec![vec![]];
    let mut out = vec![];
    for _ in 0..MAX_CLASSES {
        shapes = shapes.iter().flat_map(|s| tokens.iter().map(move |t| [s.clone(), t.clone()].concat())).collect();
        out.extend(shapes.iter().cloned());
    }
    out.retain(|t| t.iter().all(|c| !c.is_empty()));
    out
}

/// The shapes of a date (`day`) or a month: a year of 19xx or 20xx, then
/// month and day of one or two digits, each after its separator: one of
/// `-./` throughout, or 年 and 月 with 日 after the day (月 after a
/// month).
fn dated_templates(day: bool, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    let set = |chars: &str| classes(chars.chars(), alphabet);
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
    let set = |chars: &mut dyn Iterator<Item = char>| classes(chars, alphabet);
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
        assert!(shapes.iter().all(|t| t[0] == [class('1'), class('2')] && t[1] == [class('0'), class('9')]));
        assert!(shapes.iter().any(|t| t.len() == 11 && t[10] == [class('日')]));
        let months = templates(Grammar::Month, &alphabet);
        assert_eq!(months.len(), 8);
        // An open end is a date or 长期 (not in this alphabet: dates alone).
        assert_eq!(templates(Grammar::OpenEnd, &alphabet).len(), 16);
        let alphabet: Vec<char> = "0123456789-./年月日长期".chars().collect();
        assert_eq!(templates(Grammar::OpenEnd, &alphabet).len(), 17);
        assert!(months.iter().any(|t| t.len() == 8 && t[7] == [class('月')]));
    }

    #[test]
    fn licence_classes_are_one_to_three_codes_of_the_list_with_no_i_for_a_one() {
        let classes: &'static [String] = Box::leak(["A1", "A2", "B2", "C1", "D", "E"].map(String::from).to_vec().into_boxed_slice());
        let alphabet: Vec<char> = "0123456789ABCDEFIO".chars().collect();
        let class = |c: char| alphabet.iter().position(|&a| a == c).unwrap() + 1;
        let shapes = templates(Grammar::LicenceClasses(classes), &alphabet);
        // A letter or a letter and a digit, one to three times: 2 + 4 + 8.
        assert_eq!(shapes.len(), 14);
        assert!(shapes.iter().all(|t| t[0] == [class('A'), class('B'), class('C'), class('D'), class('E')]));
        assert!(shapes.iter().any(|t| t.len() == 2 && t[1] == [class('1'), class('2')]));
        let g = Grammar::LicenceClasses(classes);
        assert_eq!(g.value("A2D").as_deref(), Some("A2D"));
        assert_eq!(g.value("AI"), None);
        assert_eq!(g.value("B1"), None, "B1 is not in this list");
        assert!(g.is_code());
    }

    #[test]
    fn a_quantity_is_digits_then_a_unit_and_its_value_is_in_kg_or_mm() {
        let alphabet: Vec<char> = "0123456789kgtmOI吨".chars().collect();
        let class = |c: char| alphabet.iter().position(|&a| a == c).unwrap() + 1;
        let mass_g = Grammar::Quantity { unit: Quantity::Mass, min: 300, max: 1_000_000 };
        let length_g = Grammar::Quantity { unit: Quantity::Length, min: 1000, max: 30_000 };
        let mass = templates(mass_g, &alphabet);
        // Two to six digits, each with none, kg, t or 吨 (千克 and 公斤 are
        // not in this alphabet).
        assert_eq!(mass.len(), 5 * 4);
        assert!(mass.iter().all(|t| !t[0].contains(&class('0')) && t.iter().all(|c| !c.contains(&class('O')))));
        assert!(mass.iter().any(|t| t.len() == 7 && t[5] == [class('k')] && t[6] == [class('g')]));
        assert_eq!(templates(length_g, &alphabet).len(), 5 * 2);
        assert_eq!(mass_g.value("49吨").as_deref(), Some("49000"));
        assert_eq!(mass_g.value("25000kg").as_deref(), Some("25000"));
        assert_eq!(length_g.value("2550mm").as_deref(), Some("2550"));
        assert_eq!(length_g.value("25O0mm"), None);
        // A number outside the plausible range is no reading of it.
        assert_eq!(mass_g.value("40"), None);
        assert_eq!(mass_g.value("40吨").as_deref(), Some("40000"));
    }

    #[test]
    fn a_dated_reading_is_a_value_only_as_a_real_date_of_a_plausible_year() {
        assert_eq!(Grammar::Date.value("2020年01月17日").as_deref(), Some("2020-01-17"));
        assert_eq!(Grammar::Date.value("2020.1.7").as_deref(), Some("2020-01-07"));
        assert_eq!(Grammar::Date.value("2623-02-04"), None);
        assert_eq!(Grammar::Date.value("2023-02-30"), None);
        assert_eq!(Grammar::Month.value("2027年08月").as_deref(), Some("2027-08"));
        assert_eq!(Grammar::OpenEnd.value("长期").as_deref(), Some("long_term"));
        assert_eq!(Grammar::OpenEnd.value("2029年1月2日").as_deref(), Some("2029-01-02"));
        assert_eq!(Grammar::OpenEnd.value("2623-02-04"), None);
        assert_eq!(Grammar::Code(Code::Plate).value("皖A05279").as_deref(), Some("皖A05279"));
        assert_eq!(Grammar::Code(Code::Plate).value("皖AO5279"), None);
    }
}
