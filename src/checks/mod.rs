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
mod company;
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
    vec![
        personnel::p1_agent_identity(input, l),
        personnel::p2_authorization_letter(input, l),
        personnel::p3_driving_licence(input, l),
        personnel::p4_qualification(input, l),
        company::c1_uscc_and_name(input, l),
        company::c2_scope(input, l),
        company::c3_licences_valid(input, l),
        company::c4_restriction(input, l),
        vehicle::v1_plate_and_vin(input, l),
        vehicle::v2_inspection_insurance(input, l),
        vehicle::v3_road_transport_certificate(input, l),
        vehicle::v4_declared_equals_licensed(input, l),
        vehicle::v5_towing(input, l),
        route::r1_route_and_authority(input, l),
        route::r2_class_and_materials(input, l),
        route::r3_structures(input, l),
        route::r4_travel_window(input, l),
        cargo::g1_indivisible(input, l),
        cargo::g2_arithmetic(input, l),
        cargo::g3_axle_loads(input, l),
        cargo::g4_over_limit(input, l),
    ]
}

/// English titles of the 21 checks; the Chinese ones, which the spec
/// fixes, are in each check.
pub fn title_en(id: &str) -> Option<&'static str> {
    Some(match id {
        "P1" => "Agent identity",
        "P2" => "Authorization letter",
        "P3" => "Driving licence",
        "P4" => "Qualification",
        "C1" => "USCC & name",
        "C2" => "Business scope",
        "C3" => "Licences valid",
        "C4" => "Restriction & record",
        "V1" => "Plate & VIN",
        "V2" => "Inspection & insurance",
        "V3" => "Road transport certificate",
        "V4" => "Declared = licensed",
        "V5" => "Towing capacity",
        "R1" => "Route & authority",
        "R2" => "Class & materials",
        "R3" => "Structures",
        "R4" => "Travel window",
        "G1" => "Indivisible",
        "G2" => "Dimensions & mass",
        "G3" => "Axle loads",
        "G4" => "Over-limit",
        _ => return None,
    })
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
    Unrecognised(Vec<&'a Document>),
    Missing,
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
            .filter(|d| d.kind == Some(DocKind::Other) || d.kind_confidence.is_some_and(|c| c < self.config.min_confidence))
            .collect();
        if declared.is_empty() { Page::Missing } else { Page::Unrecognised(declared) }
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
