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
mod personnel;
mod route;
mod vehicle;

use crate::document::{DocKind, Document, Subject};
use crate::form::Application;
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

/// Runs all 21 checks, in the order of `checks.md`.
pub fn run(input: &Input) -> Outcome {
    let checks = vec![
        personnel::p1_agent_identity(input),
        personnel::p2_authorization_letter(input),
        personnel::p3_driving_licence(input),
        personnel::p4_qualification(input),
        company::c1_uscc_and_name(input),
        company::c2_scope(input),
        company::c3_licences_valid(input),
        company::c4_restriction(input),
        vehicle::v1_plate_and_vin(input),
        vehicle::v2_inspection_insurance(input),
        vehicle::v3_road_transport_certificate(input),
        vehicle::v4_declared_equals_licensed(input),
        vehicle::v5_towing(input),
        route::r1_route_and_authority(input),
        route::r2_class_and_materials(input),
        route::r3_structures(input),
        route::r4_travel_window(input),
        cargo::g1_indivisible(input),
        cargo::g2_arithmetic(input),
        cargo::g3_axle_loads(input),
        cargo::g4_over_limit(input),
    ];
    let mut approvals = vec![];
    if !cargo::over_limit_reasons(input).is_empty() {
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

/// Where a page the checks need stands.
pub(crate) enum Page<'a> {
    Read(&'a Document),
    /// Not found among the read pages, but some pages could not be read
    /// and it may be one of them.
    Unreadable(Vec<&'a Document>),
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
        if maybe.is_empty() { Page::Missing } else { Page::Unreadable(maybe) }
    }
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
