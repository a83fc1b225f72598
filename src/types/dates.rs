//! Dates, months and open-ended validities.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde_with::{DeserializeFromStr, SerializeDisplay};

pub type Date = NaiveDate;

/// A calendar month, `YYYY-MM`: inspection validity is printed to the month.
/// In JSON, as that text (`Display` / `FromStr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, SerializeDisplay, DeserializeFromStr)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a {1}")]
pub struct DateError(pub String, pub &'static str);

impl DateError {
    /// The error in `l`, for check messages.
    pub fn say(&self, l: crate::lang::Lang) -> String {
        let (text, what) = (&self.0, self.1);
        let zh = if what.starts_with("month") {
            "年月（YYYY-MM）"
        } else if what.contains("long_term") {
            "日期（YYYY-MM-DD）或“长期”"
        } else {
            "日期（YYYY-MM-DD）"
        };
        crate::tr!(l, "“{text}”不是有效的{zh}", "'{text}' is not a {what}")
    }
}

impl Month {
    pub fn parse(s: &str) -> Result<Month, DateError> {
        let err = || DateError(s.to_string(), "month (YYYY-MM)");
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(err());
        }
        Ok(Month { year, month })
    }

    pub fn of(date: Date) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    /// A month covers a date when it is that date's month or later.
    pub fn covers(self, date: Date) -> bool {
        self >= Month::of(date)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Month::parse(s)
    }
}

/// The end of a validity: a date, or `long_term` (长期). In JSON, as that
/// text (`Display` / `FromStr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, SerializeDisplay, DeserializeFromStr)]
pub enum Until {
    Date(Date),
    LongTerm,
}

impl Until {
    pub const LONG_TERM: &'static str = "long_term";

    pub fn parse(s: &str) -> Result<Until, DateError> {
        if s == Self::LONG_TERM {
            return Ok(Until::LongTerm);
        }
        parse_date(s)
            .map(Until::Date)
            .map_err(|_| DateError(s.to_string(), "date (YYYY-MM-DD) or long_term"))
    }

    /// Still valid on `date` (the end day itself included).
    pub fn covers(self, date: Date) -> bool {
        match self {
            Until::Date(d) => d >= date,
            Until::LongTerm => true,
        }
    }
}

impl fmt::Display for Until {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Until::Date(d) => write!(f, "{d}"),
            Until::LongTerm => f.write_str(Self::LONG_TERM),
        }
    }
}

impl FromStr for Until {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Until::parse(s)
    }
}

/// A canonical `YYYY-MM-DD` date (strict: the normalised form).
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    if s.len() != 10 {
        return Err(DateError(s.to_string(), "date (YYYY-MM-DD)"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| DateError(s.to_string(), "date (YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn a_month_covers_dates_in_that_month_and_before() {
        let m = Month::parse("2026-12").unwrap();
        assert!(m.covers(d("2026-12-31")));
        assert!(m.covers(d("2026-01-01")));
        assert!(!m.covers(d("2027-01-01")));
    }

    #[test]
    fn a_validity_ending_on_a_day_covers_that_day_but_not_the_next() {
        let u = Until::parse("2026-12-05").unwrap();
        assert!(u.covers(d("2026-12-05")));
        assert!(!u.covers(d("2026-12-06")));
        assert!(Until::parse("long_term").unwrap().covers(d("2999-01-01")));
    }

    #[test]
    fn malformed_months_and_dates_are_rejected() {
        for bad in ["2026-13", "2026-1", "26-01", "2026/01"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        for bad in ["2026-02-30", "2026-2-3", "20260203", "long term"] {
            assert!(Until::parse(bad).is_err(), "{bad}");
        }
    }
}
