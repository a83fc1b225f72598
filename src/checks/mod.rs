//! The 21 checks of `spec/checks.md`, as pure code: form + read documents +
//! registry view + rules → check results. No I/O happens here.
//!
//! Every check is written against a [`Check`] builder that collects the
//! evidence it compared and every finding. A check ends as `pass` only if
//! it compared something and found nothing; a page that is missing blocks,
//! a page or field that could not be read (or was read with low
//! confidence) warns and says which — never a silent pass.

mod builder;
mod cargo;
mod catalogue;
mod company;
mod doubts;
pub(crate) mod on_page;
mod personnel;
mod route;
mod vehicle;

use crate::document::{DocKind, Document, Subject};
use crate::form::Application;
use crate::lang::Lang;
use crate::registry::RegistryView;
use crate::report::{Approval, Authority, CheckResult, Verdict};
use crate::rules::Rules;

pub use builder::Check;
pub use catalogue::{CATALOGUE, CheckId, Entry, localized};

/// Settings that are the office's choice rather than a regulation's.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckConfig {
    /// A document field read with less confidence than this warns.
    pub min_confidence: f32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { min_confidence: 0.80 }
    }
}

/// Everything the checks read.
pub struct Input<'a> {
    pub form: &'a Application,
    pub documents: &'a [Document],
    pub registry: &'a RegistryView,
    pub rules: &'a Rules,
    pub config: &'a CheckConfig,
}

/// What the checks conclude.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub checks: Vec<CheckResult>,
    pub verdict: Verdict,
    pub permit_class: u8,
    pub authority: Option<Authority>,
    pub approvals: Vec<Approval>,
}

/// Runs all 21 checks, in the order of `checks.md`. Messages come in
/// Chinese with their English beside them: the checks are pure and take
/// microseconds, so they simply run once per language.
pub fn run(input: &Input) -> Outcome {
    let mut checks = all(input, Lang::Zh);
    for (c, en) in checks.iter_mut().zip(all(input, Lang::En)) {
        debug_assert_eq!((c.id.as_str(), c.status), (en.id.as_str(), en.status));
        c.message_en = Some(en.message);
    }
    let mut approvals = vec![];
    if !cargo::over_limit_reasons(input, Lang::En).is_empty() {
        approvals.push(Approval::OverlimitPermit);
    }
    let urban = input
        .form
        .route
        .segments
        .iter()
        .any(|s| input.registry.segments.get(s).is_some_and(|s| s.urban));
    if urban {
        approvals.push(Approval::UrbanSpecialVehicle);
    }
    if input.form.vehicles().iter().any(|(_, v)| v.temporary_plate) {
        approvals.push(Approval::TemporaryPlate);
    }
    Outcome {
        verdict: Verdict::of(&checks),
        permit_class: route::permit_class(input),
        authority: route::authority(input),
        approvals,
        checks,
    }
}

fn all(input: &Input, l: Lang) -> Vec<CheckResult> {
    CATALOGUE.iter().map(|e| (e.run)(input, l)).collect()
}

/// English titles of the 21 checks; the Chinese ones, which the spec
/// fixes, are the catalogue's `title_zh`.
pub fn title_en(id: &str) -> Option<&'static str> {
    CheckId::parse(id).map(|c| c.entry().title_en)
}

/// Where a page the checks need stands.
pub(crate) enum Page<'a> {
    Read(&'a Document),
    /// Not found among the read pages, but some pages could not be read
    /// and it may be one of them.
    Unreadable(Vec<&'a Document>),
    /// Not found for its party, but pages of its kind are tied to no party
    /// because their numbers and names could not be read with confidence:
    /// it may be one of them, and a misread must not block.
    Untied(Vec<&'a Document>),
    /// Not found, but the applicant declared these pages as it, and they
    /// were read as no kind clearly (`other`, or a kind read with low
    /// confidence): a page too blurred to tell must not count as missing.
    /// Or declared pages read as another kind print more of this kind's
    /// marks than of that one ([`shows_more_marks`]), and so do pages
    /// declared as nothing: an edition the reader has not learned is not a
    /// missing page either.
    Unrecognised(Vec<&'a Document>),
    /// Not found, but these pages, read as a kind that shares its
    /// identifiers (an ID card and a driving licence both print the ID
    /// number; a vehicle licence and a road transport certificate the
    /// plate and VIN), print the party's identifier and are not needed as
    /// that kind: tied to no party, or a second page of their kind for it.
    /// An ID card whose pale labels a photo lost reads much like a
    /// driving licence, and a misread kind must not block.
    Namesake(Vec<&'a Document>),
    Missing,
}

/// How many of a kind's marks a page read as `other` or as another kind
/// must print to be taken for a possible page of that kind: more than a page of the kind must show
/// ([`DocKind::MIN_MARKS`]), so a commitment letter naming a 护送 plan or a
/// 住址 is not taken for one.
const LOOKALIKE_MARKS: usize = DocKind::MIN_MARKS + 1;

/// Whether a page read as another kind (or as `other`, which has none)
/// prints at least [`LOOKALIKE_MARKS`] of `kind`'s marks and more of them
/// than of the kind it was read as: the reader took an edition it has not
/// learned for a neighbour (a permit query printout for a road transport
/// certificate), which is no evidence that the page is missing.
fn shows_more_marks(d: &Document, kind: DocKind) -> bool {
    let text: String = d.lines.iter().map(|l| crate::types::normalize::text(&l.text)).collect();
    let read_as = d.kind.map_or(0, |k| k.marks_in(&text));
    let marks = kind.marks_in(&text);
    marks >= LOOKALIKE_MARKS && marks > read_as
}

/// The longest line taken for a title in [`titled_as`]: a title stands
/// alone; a sentence that mentions a document (a business scope's 凭道路运输
/// 经营许可证经营) runs longer.
const TITLE_MAX_CHARS: usize = 20;

/// Whether a short line of `d` names `kind`: its Chinese title, or that
/// title without its final 证 as a query printout writes it (道路运输经营
/// 许可信息查询), when no other kind's title starts the same way. A page
/// titled so but read as `other` (a photo of which OCR made out little
/// beyond its title) is no evidence that `kind` is missing.
fn titled_as(d: &Document, kind: DocKind) -> bool {
    let heading = printout_heading(kind);
    let title = kind.title_zh();
    let stem = title.strip_suffix('证').filter(|stem| DocKind::ALL.iter().all(|&k| k == kind || !k.title_zh().starts_with(stem)));
    d.lines.iter().map(|l| crate::types::normalize::text(&l.text)).any(|t| {
        t.chars().count() <= TITLE_MAX_CHARS
            && (t.contains(title) || stem.is_some_and(|stem| t.contains(stem)) || heading.is_some_and(|h| t.contains(h)))
    })
}

/// The heading of an official printout of `kind` that does not name it:
/// the publicity system's page of a company is its business licence's
/// record, headed 国家企业信用信息公示系统 (held-out seed 29: a photo of it
/// of which OCR read the heading and the company's name, and C1 blocked).
fn printout_heading(kind: DocKind) -> Option<&'static str> {
    (kind == DocKind::BusinessLicence).then_some("国家企业信用信息公示系统")
}

impl<'a> Input<'a> {
    /// Read pages of `kind` (for `subject`, when given).
    pub(crate) fn pages(&self, kind: DocKind, subject: Option<Subject>) -> Vec<&'a Document> {
        self.documents
            .iter()
            .filter(|d| d.kind == Some(kind) && (subject.is_none() || d.subject == subject))
            .collect()
    }

    /// The page of `kind` for `subject`: read, possibly among the unread
    /// pages, or missing.
    pub(crate) fn page(&self, kind: DocKind, subject: Option<Subject>) -> Page<'a> {
        if let Some(d) = self.pages(kind, subject).into_iter().next() {
            return Page::Read(d);
        }
        let maybe: Vec<&Document> = self
            .documents
            .iter()
            .filter(|d| d.unread.is_some())
            .filter(|d| d.declared_kind.is_none_or(|k| k == kind))
            .filter(|d| subject.is_none() || d.subject.is_none_or(|s| Some(s) == subject))
            .collect();
        if !maybe.is_empty() {
            return Page::Unreadable(maybe);
        }
        let untied: Vec<&Document> = match subject {
            Some(_) => self.pages(kind, None).into_iter().filter(|d| d.subject.is_none() && !self.identified(d)).collect(),
            None => vec![],
        };
        if !untied.is_empty() {
            return Page::Untied(untied);
        }
        let declared: Vec<&Document> = self
            .documents
            .iter()
            .filter(|d| d.declared_kind == Some(kind) && (subject.is_none() || d.subject.is_none_or(|s| Some(s) == subject)))
            .filter(|d| d.kind == Some(DocKind::Other) || d.kind_confidence.is_some_and(|c| c < self.config.min_confidence) || shows_more_marks(d, kind))
            .chain(self.documents.iter().filter(|d| {
                d.declared_kind.is_none() && d.kind != Some(kind) && (shows_more_marks(d, kind) || d.kind == Some(DocKind::Other) && titled_as(d, kind))
            }))
            .collect();
        if !declared.is_empty() {
            return Page::Unrecognised(declared);
        }
        let namesakes = subject.map(|s| self.namesakes(kind, s)).unwrap_or_default();
        if namesakes.is_empty() { Page::Missing } else { Page::Namesake(namesakes) }
    }

    /// The pages that may be `subject`'s page of `kind` read as a kind that
    /// shares its identifiers ([`Page::Namesake`]): they print the party's
    /// identifier from the form (as a whole line's token, so a number that
    /// merely contains it does not count), and are tied to no party or
    /// are a second page of their kind for this one.
    fn namesakes(&self, kind: DocKind, subject: Subject) -> Vec<&'a Document> {
        use crate::types::normalize::code;
        let ids: Vec<String> = match subject {
            Subject::Agent => vec![self.form.agent.id_number.clone()],
            Subject::Driver(i) => self.form.drivers.get(i).map(|d| d.id_number.clone()).into_iter().collect(),
            Subject::Tractor | Subject::Trailer => self
                .form
                .vehicles()
                .into_iter()
                .filter(|(s, _)| *s == subject)
                .flat_map(|(_, v)| v.plate.iter().cloned().chain([v.vin.clone()]))
                .collect(),
            Subject::Carrier => vec![],
        };
        let ids: Vec<String> = ids.iter().map(|i| code(i)).filter(|i| !i.is_empty()).collect();
        let shares = |k: DocKind| k != kind && k.identified_by().iter().any(|c| kind.identified_by().contains(c));
        let prints = |d: &Document| d.lines.iter().flat_map(|l| crate::types::normalize::code_tokens(&l.text)).any(|t| ids.contains(&t));
        self.documents
            .iter()
            .filter(|d| d.archived.is_none() && d.kind.is_some_and(shares))
            .filter(|d| d.subject.is_none() || self.documents.iter().filter(|e| e.kind == d.kind && e.subject == d.subject).count() > 1)
            .filter(|d| prints(d))
            .collect()
    }

    /// Whether a page names its party clearly: one of its identifying
    /// fields (plate, VIN, ID or licence number, name) is a well-formed
    /// value read with confidence. Such a page that matches no party of
    /// the form is someone else's; one without is a page nobody can tell.
    fn identified(&self, d: &Document) -> bool {
        ["plate_number", "vin", "id_number", "licence_number", "name"]
            .iter()
            .filter_map(|k| d.field(k))
            .any(|f| f.is_readable() && f.confidence >= self.config.min_confidence)
    }
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
