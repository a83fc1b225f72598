//! Identifiers with check characters: the unified social credit code
//! (GB 32100), the resident ID number (GB 11643), the VIN (ISO 3779 /
//! GB 16735) and the number plate (GA 36).
//!
//! `parse` is strict: it takes the canonical, normalised form (upper-case,
//! no spaces). Run printed text through [`super::normalize::code`] first.
//! Nothing here "repairs" a value: a bad check character is an error.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why an identifier was rejected. The message is shown to users as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} must have {expected} characters, found {found}")]
    Length { kind: &'static str, expected: &'static str, found: usize },
    #[error("{kind} has a character that is not allowed: '{ch}' at position {pos}")]
    Character { kind: &'static str, ch: char, pos: usize },
    #[error("{kind} check character is wrong: expected '{expected}', found '{found}'")]
    CheckCharacter { kind: &'static str, expected: char, found: char },
    #[error("{kind}: {reason}")]
    Other { kind: &'static str, reason: String },
}

impl IdError {
    /// The error in `l`, for check messages. (`Other`'s reason is rare and
    /// stays in English.)
    pub fn say(&self, l: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        if l == Lang::En {
            return self.to_string();
        }
        let zh_kind = |k: &str| match k {
            "unified social credit code" => "统一社会信用代码",
            "resident ID number" => "公民身份号码",
            "VIN" => "车辆识别代号",
            "plate" => "号牌",
            other => other,
        }
        .to_string();
        match self {
            IdError::Length { kind, expected, found } => format!("{}应为{}位，实为{found}位", zh_kind(kind), expected.replace(" or ", "或")),
            IdError::Character { kind, ch, pos } => format!("{}第{pos}位含不允许的字符“{ch}”", zh_kind(kind)),
            IdError::CheckCharacter { kind, expected, found } => {
                format!("{}校验位不符：应为“{expected}”，实为“{found}”", zh_kind(kind))
            }
            IdError::Other { kind, reason } => format!("{}：{reason}", zh_kind(kind)),
        }
    }
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

// ---------------------------------------------------------------- Code

/// The identifiers with a grammar of their own, as one kind of thing:
/// what a page field holds (`of_field`), what OCR may decode a span as
/// (`ocr::grammar`), what marks a page as a card (`DocKind::identified_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Plate,
    Vin,
    Uscc,
    IdNumber,
    /// A trailer's plate: a plate whose last character is 挂 (GA 36). No
    /// field holds it as such; a trailer's page reads its plate by it.
    TrailerPlate,
}

impl Code {
    /// The codes a page's fields hold (a trailer's plate is a plate).
    pub const ALL: [Code; 4] = [Code::Plate, Code::Vin, Code::Uscc, Code::IdNumber];

    /// The code a document field holds, if it holds one of these (a
    /// driving licence's number is its holder's ID number).
    pub fn of_field(key: &str) -> Option<Code> {
        Some(match key {
            "vin" => Code::Vin,
            "plate_number" => Code::Plate,
            "uscc" | "principal_uscc" => Code::Uscc,
            "id_number" | "agent_id_number" | "licence_number" => Code::IdNumber,
            _ => return None,
        })
    }

    /// Whether `s` (normalised) is a valid code of this kind, check
    /// characters included, and why not.
    pub fn check(self, s: &str) -> Result<(), IdError> {
        match self {
            Code::Plate => Plate::parse(s).map(drop),
            Code::Vin => Vin::parse(s).map(drop),
            Code::Uscc => Uscc::parse(s).map(drop),
            Code::IdNumber => IdNumber::parse(s).map(drop),
            Code::TrailerPlate => {
                Plate::parse(s)?;
                if s.ends_with('挂') { Ok(()) } else { Err(IdError::Other { kind: "plate", reason: "a trailer's plate ends in 挂".into() }) }
            }
        }
    }
}

// ------------------------------------------- what the codes share

/// The characters of `s`, which must be `expected` (a number) of them.
fn of_length(s: &str, kind: &'static str, expected: &'static str) -> Result<Vec<char>, IdError> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len().to_string() != expected {
        return Err(IdError::Length { kind, expected, found: chars.len() });
    }
    Ok(chars)
}

/// The weighted sum a check character is computed from: the value of each
/// of the first `weights.len()` characters times its weight. A character
/// without a value is refused at its (1-based) position.
fn weighted_sum(chars: &[char], weights: &[u32], value: impl Fn(char) -> Option<u32>, kind: &'static str) -> Result<u32, IdError> {
    let mut sum = 0;
    for (pos, (&ch, w)) in chars.iter().zip(weights).enumerate() {
        sum += w * value(ch).ok_or(IdError::Character { kind, ch, pos: pos + 1 })?;
    }
    Ok(sum)
}

// ---------------------------------------------------------------- USCC

/// 统一社会信用代码, GB 32100-2015: 18 characters from a 31-character set
/// (no I, O, S, V, Z); characters 9–17 are the GB 11714 organisation code
/// with its own check character; character 18 checks the whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);
string_newtype!(Uscc);

const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

impl Uscc {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: &str = "unified social credit code";
        let chars = of_length(s, KIND, "18")?;
        let value = |ch: char| USCC_CHARSET.find(ch).map(|v| v as u32);
        let sum = weighted_sum(&chars, &USCC_WEIGHTS, value, KIND)?;
        // The check character is from the same set.
        if value(chars[17]).is_none() {
            return Err(IdError::Character { kind: KIND, ch: chars[17], pos: 18 });
        }
        let check = (31 - sum % 31) % 31;
        let expected = USCC_CHARSET.as_bytes()[check as usize] as char;
        if chars[17] != expected {
            return Err(IdError::CheckCharacter { kind: KIND, expected, found: chars[17] });
        }
        // GB 11714 on the organisation code part (positions 9–17). Its
        // digits 0-9 and letters A-Z take the values 0-35.
        let org = &chars[8..17];
        let sum: u32 = ORG_WEIGHTS
            .iter()
            .zip(org)
            .map(|(w, c)| w * c.to_digit(36).unwrap_or(0))
            .sum();
        let expected = match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            n => char::from_digit(n, 10).expect("0..=9"),
        };
        if org[8] != expected {
            return Err(IdError::Other {
                kind: KIND,
                reason: format!(
                    "the organisation code part {} fails its GB 11714 check (expected '{expected}')",
                    org.iter().collect::<String>()
                ),
            });
        }
        Ok(Uscc(s.to_string()))
    }
}

// ----------------------------------------------------------- ID number

/// 公民身份号码, GB 11643-1999: 6-digit region, 8-digit birth date,
/// 3-digit sequence, check character (digit or X).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);
string_newtype!(IdNumber);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

impl IdNumber {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: &str = "resident ID number";
        let chars = of_length(s, KIND, "18")?;
        let sum = weighted_sum(&chars, &ID_WEIGHTS, |ch| ch.to_digit(10), KIND)?;
        let expected = match (12 - sum % 11) % 11 {
            10 => 'X',
            n => char::from_digit(n, 10).expect("0..=9"),
        };
        if chars[17] != expected {
            if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
                return Err(IdError::Character { kind: KIND, ch: chars[17], pos: 18 });
            }
            return Err(IdError::CheckCharacter { kind: KIND, expected, found: chars[17] });
        }
        let id = IdNumber(s.to_string());
        let birth = id.birth_date_digits();
        let date = NaiveDate::parse_from_str(&birth, "%Y%m%d").map_err(|_| IdError::Other {
            kind: KIND,
            reason: format!("birth date {birth} is not a real date"),
        })?;
        // A holder born before 1900 or in the future is a typo, not a person.
        let today = chrono::Local::now().date_naive();
        if date.year() < 1900 || date > today {
            return Err(IdError::Other { kind: KIND, reason: format!("birth date {date} is out of range") });
        }
        Ok(id)
    }

    fn birth_date_digits(&self) -> String {
        self.0[6..14].to_string()
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.birth_date_digits(), "%Y%m%d").expect("checked in parse")
    }

    /// The number with the birth date and sequence hidden, for logs.
    pub fn masked(&self) -> String {
        mask_id(&self.0)
    }
}

/// Masks anything that looks like an ID number (keeps the region and
/// the check character): `370802********1235` → never log a whole one.
pub fn mask_id(s: &str) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if (6..14).contains(&i) { '*' } else { c })
        .collect()
}

/// Masks every ID number inside free text (log lines, error messages):
/// a run of 17 digits and a check character, or of 15 digits (the old
/// first-generation cards), not part of a longer run of digits and letters.
pub fn mask_ids(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let run = &chars[start..i];
        let digits = |r: &[char]| r.iter().all(char::is_ascii_digit);
        let id18 = run.len() == 18 && digits(&run[..17]) && (run[17].is_ascii_digit() || run[17] == 'X' || run[17] == 'x');
        let id15 = run.len() == 15 && digits(run);
        let hidden = if id18 { 6..14 } else if id15 { 6..12 } else { 0..0 };
        out.extend(run.iter().enumerate().map(|(k, &c)| if hidden.contains(&k) { '*' } else { c }));
    }
    out
}

// ------------------------------------------------------------------ VIN

/// 车辆识别代号, ISO 3779 / GB 16735: 17 characters without I, O, Q; the
/// 9th is a check digit (0-9 or X) over the transliterated, weighted rest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vin(String);
string_newtype!(Vin);

const VIN_WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

fn vin_value(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => return None, // I, O, Q, lower case and anything else
    })
}

impl Vin {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: &str = "VIN";
        let chars = of_length(s, KIND, "17")?;
        let sum = weighted_sum(&chars, &VIN_WEIGHTS, vin_value, KIND)?;
        let expected = match sum % 11 {
            10 => 'X',
            n => char::from_digit(n, 10).expect("0..=9"),
        };
        if chars[8] != expected {
            return Err(IdError::CheckCharacter { kind: KIND, expected, found: chars[8] });
        }
        Ok(Vin(s.to_string()))
    }
}

// ---------------------------------------------------------------- Plate

/// 号牌号码, GA 36-2018: province abbreviation, issuing-office letter,
/// then five characters (ordinary), four and 挂 (trailer), or six with
/// D/F marking a new-energy plate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Plate(String);
string_newtype!(Plate);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlateKind {
    Ordinary,
    Trailer,
    NewEnergy,
}

/// The 31 mainland province-level abbreviations used on plates.
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

fn plate_alnum(c: char) -> bool {
    (c.is_ascii_uppercase() && c != 'I' && c != 'O') || c.is_ascii_digit()
}

impl Plate {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        const KIND: &str = "plate";
        let chars: Vec<char> = s.chars().collect();
        if !(7..=8).contains(&chars.len()) {
            return Err(IdError::Length { kind: KIND, expected: "7 or 8", found: chars.len() });
        }
        if !PROVINCES.contains(chars[0]) {
            return Err(IdError::Character { kind: KIND, ch: chars[0], pos: 1 });
        }
        if !(chars[1].is_ascii_uppercase() && chars[1] != 'I' && chars[1] != 'O') {
            return Err(IdError::Character { kind: KIND, ch: chars[1], pos: 2 });
        }
        let rest = &chars[2..];
        let bad = |i: usize| IdError::Character { kind: KIND, ch: rest[i], pos: i + 3 };
        match rest.len() {
            5 => {
                let last = rest[4];
                let body = if last == '挂' { &rest[..4] } else { &rest[..] };
                if let Some(i) = body.iter().position(|&c| !plate_alnum(c)) {
                    return Err(bad(i));
                }
            }
            6 => {
                // Small new-energy cars: D/F first; large vehicles: D/F last
                // after five digits.
                let small = matches!(rest[0], 'D' | 'F') && rest[1..].iter().all(|&c| plate_alnum(c));
                let large = matches!(rest[5], 'D' | 'F') && rest[..5].iter().all(|c| c.is_ascii_digit());
                if !(small || large) {
                    return Err(IdError::Other {
                        kind: KIND,
                        reason: format!("{s} is 8 characters but not a new-energy plate (D or F first or last)"),
                    });
                }
            }
            _ => unreachable!("length checked above"),
        }
        Ok(Plate(s.to_string()))
    }

    pub fn kind(&self) -> PlateKind {
        let n = self.0.chars().count();
        if self.0.ends_with('挂') {
            PlateKind::Trailer
        } else if n == 8 {
            PlateKind::NewEnergy
        } else {
            PlateKind::Ordinary
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the shared test vectors: kind, value, valid.
    fn vectors() -> Vec<(String, String, bool)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/identifiers.tsv");
        let text = std::fs::read_to_string(path).expect("tests/data/identifiers.tsv");
        text.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                (cols[0].to_string(), cols[1].to_string(), cols[2] == "true")
            })
            .collect()
    }

    #[test]
    fn every_shared_identifier_vector_is_judged_as_marked() {
        let rows = vectors();
        assert!(rows.len() >= 240, "expected the full vector file, got {} rows", rows.len());
        let mut wrong = vec![];
        for (kind, value, valid) in &rows {
            let ok = match kind.as_str() {
                "uscc" => Uscc::parse(value).map(|_| ()),
                "id_number" => IdNumber::parse(value).map(|_| ()),
                "vin" => Vin::parse(value).map(|_| ()),
                other => panic!("unknown kind {other}"),
            };
            if ok.is_ok() != *valid {
                wrong.push(format!("{kind} {value}: expected valid={valid}, got {ok:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn a_uscc_with_a_wrong_check_character_names_the_expected_one() {
        let err = Uscc::parse("91110000600037341N").unwrap_err();
        assert!(matches!(err, IdError::CheckCharacter { .. }), "{err}");
    }

    #[test]
    fn a_uscc_whose_organisation_code_part_fails_gb_11714_is_rejected() {
        // 91370800MA3C5G1X0G is valid; its org-code check character is '0'.
        // Swap that for '1' and recompute the GB 32100 character, so only
        // the GB 11714 check can object.
        let body: Vec<char> = "91370800MA3C5G1X1".chars().collect();
        let sum: u32 = USCC_WEIGHTS.iter().zip(&body).map(|(w, c)| w * USCC_CHARSET.find(*c).unwrap() as u32).sum();
        let last = USCC_CHARSET.as_bytes()[((31 - sum % 31) % 31) as usize] as char;
        let code: String = body.iter().chain(std::iter::once(&last)).collect();
        let err = Uscc::parse(&code).unwrap_err();
        assert!(err.to_string().contains("GB 11714"), "{code}: {err}");
    }

    #[test]
    fn an_id_number_with_an_impossible_birth_date_is_rejected() {
        let err = IdNumber::parse("360426199113010079").unwrap_err();
        assert!(err.to_string().contains("birth date") || matches!(err, IdError::CheckCharacter { .. }));
    }

    #[test]
    fn id_numbers_inside_text_are_masked_and_other_numbers_kept() {
        let line = "login failed name=33010219800101064X vin=LZZ1CLVB0GA123456 id:110101800101001 tel 13800138000 n=1234567890123456789";
        let masked = mask_ids(line);
        assert!(masked.contains("name=330102********064X"), "{masked}");
        assert!(masked.contains("id:110101******001"), "{masked}");
        assert!(masked.contains("LZZ1CLVB0GA123456 "), "a VIN is not an ID number: {masked}");
        assert!(masked.contains("13800138000"), "{masked}");
        assert!(masked.contains("1234567890123456789"), "19 digits are not an ID number: {masked}");
        assert_eq!(mask_ids("王五 身份证 330102198001010642。"), "王五 身份证 330102********0642。");
    }

    #[test]
    fn an_id_number_gives_its_birth_date_and_a_masked_form() {
        let id = IdNumber::parse("33010219200403064X").unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1920, 4, 3).unwrap());
        assert_eq!(id.masked(), "330102********064X");
    }

    #[test]
    fn a_vin_with_i_o_or_q_is_rejected_by_position() {
        let err = Vin::parse("WVWUK63B92P54681Q").unwrap_err();
        assert_eq!(err, IdError::Character { kind: "VIN", ch: 'Q', pos: 17 });
    }

    #[test]
    fn plates_of_each_ga_36_kind_parse() {
        assert_eq!(Plate::parse("鲁H12345").unwrap().kind(), PlateKind::Ordinary);
        assert_eq!(Plate::parse("鲁H6789挂").unwrap().kind(), PlateKind::Trailer);
        assert_eq!(Plate::parse("粤BD12345").unwrap().kind(), PlateKind::NewEnergy);
        assert_eq!(Plate::parse("京A12345F").unwrap().kind(), PlateKind::NewEnergy);
    }

    #[test]
    fn malformed_plates_are_rejected_with_the_reason() {
        for bad in ["X鲁12345", "鲁112345", "鲁HI2345", "鲁H1234", "鲁H1234567", "鲁HA2345F", "鲁H67挂89"] {
            assert!(Plate::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
