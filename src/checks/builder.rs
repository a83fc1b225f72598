//! The builder every check is written against.

use serde_json::{Value, json};

use super::{Input, Page};
use crate::document::{DocKind, Document, Field, Subject};
use crate::report::{CheckResult, Evidence, Group, Source, Status};

pub struct Check {
    id: &'static str,
    group: Group,
    title: &'static str,
    rule_ref: &'static str,
    min_confidence: f32,
    compared: bool,
    findings: Vec<(Status, String)>,
    evidence: Vec<Evidence>,
    not_applicable: Option<String>,
}

impl Check {
    pub fn new(input: &Input, id: &'static str, group: Group, title: &'static str, rule_ref: &'static str) -> Check {
        Check {
            id,
            group,
            title,
            rule_ref,
            min_confidence: input.config.min_confidence,
            compared: false,
            findings: vec![],
            evidence: vec![],
            not_applicable: None,
        }
    }

    /// A finding: the check ends at least at `status`.
    pub fn fail(&mut self, status: Status, message: impl Into<String>) {
        self.compared = true;
        self.findings.push((status, message.into()));
    }

    /// Records that something was compared (and found consistent).
    pub fn ok(&mut self) {
        self.compared = true;
    }

    /// Nothing to compare, e.g. no driver declared.
    pub fn not_applicable(mut self, why: impl Into<String>) -> CheckResult {
        self.not_applicable = Some(why.into());
        self.finish("")
    }

    /// Compares a pass/fail condition in one step.
    pub fn expect(&mut self, ok: bool, status: Status, message: impl FnOnce() -> String) {
        if ok { self.ok() } else { self.fail(status, message()) }
    }

    pub fn form(&mut self, field: &str, value: impl Into<Value>) {
        self.push(Source::Form, field, value.into());
    }
    pub fn registry(&mut self, field: &str, value: impl Into<Value>) {
        self.push(Source::Registry, field, value.into());
    }
    pub fn rule(&mut self, field: &str, value: impl Into<Value>) {
        self.push(Source::Rule, field, value.into());
    }
    fn push(&mut self, source: Source, field: &str, value: Value) {
        self.evidence.push(Evidence { source, file: None, field: field.to_string(), value, confidence: None, bbox: None });
    }

    /// Finds the page a check needs. Missing → `missing` status (block for
    /// a required page); unreadable → warn, naming the files.
    pub fn page<'a>(
        &mut self,
        input: &Input<'a>,
        kind: DocKind,
        subject: Option<Subject>,
        missing: Status,
    ) -> Option<&'a Document> {
        let whose = subject.map(|s| format!(" for {s}")).unwrap_or_default();
        match input.page(kind, subject) {
            Page::Read(d) => Some(d),
            Page::Unreadable(docs) => {
                let files: Vec<String> = docs
                    .iter()
                    .map(|d| format!("{} ({})", d.file, d.unread.as_deref().unwrap_or("unread")))
                    .collect();
                self.fail(
                    Status::Warn,
                    format!("the {kind} page{whose} could not be read: {}", files.join(", ")),
                );
                None
            }
            Page::Missing => {
                self.fail(missing, format!("no {kind} page{whose} was uploaded"));
                None
            }
        }
    }

    /// Reads a field of a page into the evidence. An absent field, or one
    /// read with low confidence, warns and says so. Returns the field.
    pub fn field<'d>(&mut self, doc: &'d Document, key: &str) -> Option<&'d Field> {
        match doc.field(key) {
            None => {
                let kind = doc.kind.map(DocKind::key).unwrap_or("page");
                self.fail(Status::Warn, format!("{key} could not be read on {} ({kind})", doc.file));
                None
            }
            Some(f) => {
                self.evidence.push(Evidence {
                    source: Source::Document,
                    file: Some(doc.file.clone()),
                    field: key.to_string(),
                    value: f.value.clone(),
                    confidence: Some(f.confidence),
                    bbox: Some(f.bbox),
                });
                if f.confidence < self.min_confidence {
                    self.fail(
                        Status::Warn,
                        format!(
                            "{key} on {} was read with low confidence ({:.2}): '{}'",
                            doc.file,
                            f.confidence,
                            f.text()
                        ),
                    );
                }
                Some(f)
            }
        }
    }

    /// Compares a page's field with an expected value (already normalised).
    /// A mismatch fails with `status`, or only warns when the reading was
    /// unsure (the low-confidence warning is already recorded).
    pub fn compare_field(&mut self, doc: &Document, key: &str, expected: &str, what: &str, status: Status) {
        let Some(f) = self.field(doc, key) else { return };
        let read = f.text();
        if read == expected {
            self.ok();
        } else if f.confidence < self.min_confidence {
            // Already warned; an unsure reading cannot block.
        } else {
            self.fail(status, format!("{what} on {} is '{read}', the form says '{expected}'", doc.file));
        }
    }

    pub fn finish(self, pass_message: &str) -> CheckResult {
        let (status, message) = if let Some(why) = self.not_applicable {
            (Status::NotApplicable, why)
        } else if let Some(worst) = self.findings.iter().map(|f| f.0).max() {
            // Worst findings first: a clerk reads the blocking reason first.
            let mut f = self.findings;
            f.sort_by(|a, b| b.0.cmp(&a.0));
            (worst, f.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; "))
        } else if self.compared {
            (Status::Pass, pass_message.to_string())
        } else {
            // A check that compared nothing must not pass silently.
            (Status::Warn, "nothing could be compared".to_string())
        };
        CheckResult {
            id: self.id.to_string(),
            group: self.group,
            status,
            title: self.title.to_string(),
            message,
            rule_ref: self.rule_ref.to_string(),
            evidence: self.evidence,
        }
    }
}

/// JSON for an optional value, `null` when unknown.
pub fn opt<T: serde::Serialize>(v: &Option<T>) -> Value {
    match v {
        Some(v) => json!(v),
        None => Value::Null,
    }
}

impl Check {
    /// A date-valued field (`YYYY-MM-DD` or `long_term`), parsed; an
    /// unparseable value warns.
    pub fn until_field(&mut self, doc: &Document, key: &str) -> Option<crate::types::Until> {
        let f = self.field(doc, key)?;
        match crate::types::Until::parse(&f.text()) {
            Ok(u) => Some(u),
            Err(e) => {
                self.fail(Status::Warn, format!("{key} on {}: {e}", doc.file));
                None
            }
        }
    }

    /// A plain date field (no `long_term`).
    pub fn date_field(&mut self, doc: &Document, key: &str) -> Option<crate::types::Date> {
        match self.until_field(doc, key)? {
            crate::types::Until::Date(d) => Some(d),
            crate::types::Until::LongTerm => {
                self.fail(Status::Warn, format!("{key} on {} reads long_term where a date is printed", doc.file));
                None
            }
        }
    }

    /// A month field (`YYYY-MM`).
    pub fn month_field(&mut self, doc: &Document, key: &str) -> Option<crate::types::Month> {
        let f = self.field(doc, key)?;
        match crate::types::Month::parse(&f.text()) {
            Ok(m) => Some(m),
            Err(e) => {
                self.fail(Status::Warn, format!("{key} on {}: {e}", doc.file));
                None
            }
        }
    }

    /// An integer field (kg, mm, counts).
    pub fn number_field(&mut self, doc: &Document, key: &str) -> Option<u64> {
        let f = self.field(doc, key)?;
        match f.value.as_u64().or_else(|| f.text().parse().ok()) {
            Some(n) => Some(n),
            None => {
                self.fail(Status::Warn, format!("{key} on {} is not a number: '{}'", doc.file, f.text()));
                None
            }
        }
    }
}
