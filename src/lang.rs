//! The two languages dajian speaks: Simplified Chinese for the clerks and
//! applicants it serves (the default), English for operators abroad.
//!
//! Check messages are written once per language at the place they are
//! made, with [`tr!`]: a translation table keyed by sentence would drift
//! from the code that fills in the values.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    /// `<html lang>`.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    /// The language `Accept-Language` prefers: English only when an
    /// English tag ranks above every Chinese one.
    pub fn from_accept(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = if tag.starts_with("en") {
                Lang::En
            } else if tag.starts_with("zh") {
                Lang::Zh
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Zh)
    }
}

/// `tr!(lang, "中文 {x}", "English {x}")`: formats only the sentence of
/// `lang`; both see the same variables.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(,)?) => {
        match $lang {
            $crate::lang::Lang::Zh => format!($zh),
            $crate::lang::Lang::En => format!($en),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_chinese_unless_english_ranks_first() {
        assert_eq!(Lang::from_accept("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::from_accept("fr"), Lang::Zh);
        assert_eq!(Lang::from_accept("en;q=0.5,zh;q=0.9"), Lang::Zh);
        assert_eq!(Lang::from_accept(""), Lang::Zh);
    }

    #[test]
    fn tr_formats_the_sentence_of_the_language_asked_for() {
        let n = 3;
        assert_eq!(tr!(Lang::Zh, "{n}个", "{n} of them"), "3个");
        assert_eq!(tr!(Lang::En, "{n}个", "{n} of them"), "3 of them");
    }
}
