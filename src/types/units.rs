//! Lengths in integer millimetres and masses in integer kilograms, as the
//! form, the registry and `documents.md` fix them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Millimetres.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mm(pub u32);

/// Kilograms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kg(pub u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {what} from '{text}'")]
pub struct UnitError {
    what: &'static str,
    text: String,
}

/// Splits printed text into a decimal number and its unit, ignoring
/// spaces and thousands separators: `49 000 kg` → (49000.0, "kg").
fn number_and_unit(text: &str) -> Option<(f64, String)> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let n: f64 = t[..end].parse().ok()?;
    Some((n, t[end..].to_lowercase()))
}

impl Kg {
    /// A printed mass: `49000kg`, `49000千克`, `49吨`, `49t`, `49000`.
    pub fn parse(text: &str) -> Result<Kg, UnitError> {
        let err = || UnitError { what: "a mass", text: text.to_string() };
        let (n, unit) = number_and_unit(text).ok_or_else(err)?;
        let factor = match unit.as_str() {
            "" | "kg" | "千克" | "公斤" => 1.0,
            "t" | "吨" => 1000.0,
            _ => return Err(err()),
        };
        Ok(Kg((n * factor).round() as u32))
    }
}

impl Mm {
    /// A printed length: `18100mm`, `18.1m`, `18100`, `4000毫米`.
    pub fn parse(text: &str) -> Result<Mm, UnitError> {
        let err = || UnitError { what: "a length", text: text.to_string() };
        let (n, unit) = number_and_unit(text).ok_or_else(err)?;
        let factor = match unit.as_str() {
            "" | "mm" | "毫米" => 1.0,
            "m" | "米" => 1000.0,
            _ => return Err(err()),
        };
        Ok(Mm((n * factor).round() as u32))
    }

    /// An outline printed as `18100×2550×4000mm` → length, width, height.
    pub fn parse_outline(text: &str) -> Result<(Mm, Mm, Mm), UnitError> {
        let err = || UnitError { what: "an outline (L×W×H)", text: text.to_string() };
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.trim_end_matches("mm").trim_end_matches("毫米");
        let parts: Vec<&str> = t.split(['×', 'x', 'X', '*', '＊']).collect();
        if parts.len() != 3 {
            return Err(err());
        }
        let p = |s: &str| Mm::parse(s).map_err(|_| err());
        Ok((p(parts[0])?, p(parts[1])?, p(parts[2])?))
    }
}

impl fmt::Display for Mm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} mm", self.0)
    }
}

impl fmt::Display for Kg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} kg", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masses_in_tonnes_and_kilograms_become_kilograms() {
        assert_eq!(Kg::parse("49000kg").unwrap(), Kg(49000));
        assert_eq!(Kg::parse("49吨").unwrap(), Kg(49000));
        assert_eq!(Kg::parse("49t").unwrap(), Kg(49000));
        assert_eq!(Kg::parse("12.5 t").unwrap(), Kg(12500));
        assert_eq!(Kg::parse("9 200 千克").unwrap(), Kg(9200));
    }

    #[test]
    fn an_outline_gives_three_lengths() {
        assert_eq!(Mm::parse_outline("18100×2550×4000mm").unwrap(), (Mm(18100), Mm(2550), Mm(4000)));
        assert_eq!(Mm::parse_outline("12000 x 2500 x 3800").unwrap(), (Mm(12000), Mm(2500), Mm(3800)));
    }

    #[test]
    fn text_that_is_not_a_quantity_is_an_error_naming_it() {
        let err = Kg::parse("四十九吨").unwrap_err();
        assert!(err.to_string().contains("四十九吨"));
        assert!(Mm::parse("3 furlongs").is_err());
        assert!(Mm::parse_outline("18100×2550").is_err());
    }
}
