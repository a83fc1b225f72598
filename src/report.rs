//! The precheck report of `spec/report.md`.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::document::Document;
use crate::types::BBox;

/// A check's outcome. Ordered by severity so the worst can be taken with `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotApplicable,
    Pass,
    Warn,
    Block,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::NotApplicable => "not_applicable",
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Block => "block",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Personnel,
    Company,
    Vehicle,
    Route,
    Cargo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Form,
    Document,
    Registry,
    Rule,
}

/// One value a check compared, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub field: String,
    pub value: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// The page of `file` that `bbox` is on, for a file of several pages
    /// (an addition to `spec/report.md`); absent means the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// For a document value, how it was seen, when not simply as the
    /// extractor read it (an addition to `spec/report.md`, docs/checks.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

/// How a document value in the evidence was seen on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// The form's (or registry's) value, looked for in the page's text and
    /// found where the field is printed; `bbox` is where.
    FoundOnPage,
    /// The extractor's span is not a value of the field's type; `value`
    /// is the text as read.
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: String,
    pub group: Group,
    pub status: Status,
    pub title: String,
    /// In Simplified Chinese, the default; see [`crate::checks::localized`].
    pub message: String,
    /// The same message in English. Kept in the stored report so either
    /// language can be served later; absent from what users are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
    pub rule_ref: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Review,
    Block,
}

impl Verdict {
    /// `block` if any check blocks, else `review` if any warns, else `pass`.
    pub fn of(checks: &[CheckResult]) -> Verdict {
        match checks.iter().map(|c| c.status).max() {
            Some(Status::Block) => Verdict::Block,
            Some(Status::Warn) => Verdict::Review,
            _ => Verdict::Pass,
        }
    }

    /// As the report writes it.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Review => "review",
            Verdict::Block => "block",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityLevel {
    County,
    City,
    Province,
    CrossProvince,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    pub level: AuthorityLevel,
    pub region_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    OverlimitPermit,
    UrbanSpecialVehicle,
    TemporaryPlate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub ocr: String,
    pub extractor: String,
    pub device: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timings {
    pub ocr: u64,
    pub extract: u64,
    pub checks: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub application_no: Option<String>,
    pub verdict: Verdict,
    pub permit_class: u8,
    pub authority: Option<Authority>,
    pub approvals: Vec<Approval>,
    pub checks: Vec<CheckResult>,
    pub documents: Vec<Document>,
    pub model: ModelInfo,
    pub timings_ms: Timings,
}

impl CheckResult {
    /// The message in `lang` (Chinese when no English was stored).
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(status: Status) -> CheckResult {
        CheckResult {
            id: "X".into(),
            group: Group::Cargo,
            status,
            title: String::new(),
            message: String::new(),
            message_en: None,
            rule_ref: String::new(),
            evidence: vec![],
        }
    }

    #[test]
    fn the_verdict_is_the_worst_status() {
        assert_eq!(Verdict::of(&[check(Status::Pass), check(Status::NotApplicable)]), Verdict::Pass);
        assert_eq!(Verdict::of(&[check(Status::Pass), check(Status::Warn)]), Verdict::Review);
        assert_eq!(Verdict::of(&[check(Status::Block), check(Status::Warn)]), Verdict::Block);
    }

    #[test]
    fn a_localized_report_carries_one_message_per_check_in_its_language() {
        let mut c = check(Status::Warn);
        c.id = "V1".into();
        c.title = "号牌与VIN".into();
        c.message = "挂车VIN不符".into();
        c.message_en = Some("the trailer VIN differs".into());
        let report = Report {
            id: "r".into(),
            application_no: None,
            verdict: Verdict::Review,
            permit_class: 1,
            authority: None,
            approvals: vec![],
            checks: vec![c],
            documents: vec![],
            model: ModelInfo { ocr: String::new(), extractor: String::new(), device: String::new() },
            timings_ms: Timings::default(),
        };
        let zh = crate::checks::localized(report.clone(), Lang::Zh);
        assert_eq!((zh.checks[0].title.as_str(), zh.checks[0].message.as_str()), ("号牌与VIN", "挂车VIN不符"));
        let en = crate::checks::localized(report, Lang::En);
        assert_eq!((en.checks[0].title.as_str(), en.checks[0].message.as_str()), ("Plate & VIN", "the trailer VIN differs"));
        let json = serde_json::to_value(&en).unwrap();
        assert!(json["checks"][0].get("message_en").is_none(), "{json}");
    }

    #[test]
    fn statuses_serialise_as_the_spec_spells_them() {
        assert_eq!(serde_json::to_string(&Status::NotApplicable).unwrap(), "\"not_applicable\"");
        assert_eq!(serde_json::to_string(&AuthorityLevel::CrossProvince).unwrap(), "\"cross_province\"");
        assert_eq!(serde_json::to_string(&Approval::OverlimitPermit).unwrap(), "\"overlimit_permit\"");
    }
}

/// A human-readable summary of a report: verdict, class, authority and
/// one line per check.
pub fn summary(r: &Report) -> String {
    let mut s = format!(
        "application {} — verdict {:?}, permit class {}, authority {}, approvals {:?}\n",
        r.application_no.as_deref().unwrap_or(&r.id),
        r.verdict,
        r.permit_class,
        r.authority.as_ref().map(|a| format!("{:?} {}", a.level, a.region_code)).unwrap_or("unknown".into()),
        r.approvals
    );
    for c in &r.checks {
        s.push_str(&format!("  {:<3} {:<15} {:<14} {}\n", c.id, c.status.key(), c.title, c.message));
    }
    s
}
