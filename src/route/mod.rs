//! Routes a load can take over the registry's road network.
//!
//! R3 (`checks::route`) says whether the *declared* route takes the
//! combination; this module finds one that does when it does not. Both read
//! a structure against a load through [`shortfalls`] and [`needs_survey`],
//! so the check and the suggestion can never disagree on what passes.
//!
//! The stages: [`Network::build`] once from the registry's segments and
//! structures (an index per node, each segment's tightest limits), then
//! [`suggest`] per application: a shortest path by length, then by fewest
//! structures needing a survey, over segments every structure of which
//! takes the load and whose road class needs no survey. When there is none,
//! the [`Cut`] says which limit cuts the network and where its narrowest
//! passage is. Both are linear-logarithmic in the network (`benches/route.rs`).

mod network;
mod suggest;

use serde::{Deserialize, Serialize};

use crate::form::Application;
use crate::registry::{RoadSegment, Structure};
use crate::report::{Evidence, Source};
use crate::rules::RouteRules;
use crate::types::{Kg, Mm};

pub use network::{Network, load as load_network};
pub use suggest::{Cut, CutReason, Passage, RouteView, StructureView, Suggestion, suggest};

/// The field of R3's evidence that holds the [`Suggestion`].
pub const EVIDENCE_FIELD: &str = "route_suggestion";

/// The suggestion as an item of R3's evidence (a registry value: it is made
/// from the registry's network).
pub fn evidence(s: &Suggestion) -> Evidence {
    Evidence {
        source: Source::Registry,
        file: None,
        field: EVIDENCE_FIELD.into(),
        value: serde_json::to_value(s).expect("a suggestion serialises"),
        confidence: None,
        bbox: None,
        page: None,
        reading: None,
    }
}

/// Whether an evidence item is the suggestion, which shows as a route
/// panel rather than as one value among the check's evidence.
pub fn is_suggestion(e: &Evidence) -> bool {
    e.field == EVIDENCE_FIELD && e.source == Source::Registry
}

/// The suggestion in a check's evidence, if it holds one.
pub fn in_evidence(evidence: &[Evidence]) -> Option<Suggestion> {
    evidence.iter().find(|e| is_suggestion(e)).and_then(|e| serde_json::from_value(e.value.clone()).ok())
}

/// What a combination asks of every structure it crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Load {
    pub height_mm: Mm,
    pub width_mm: Mm,
    pub total_mass_kg: Kg,
    /// The heaviest axle.
    pub max_axle_kg: Kg,
}

impl Load {
    /// The combination as the form declares it.
    pub fn of(form: &Application) -> Load {
        let k = &form.combination;
        Load {
            height_mm: k.height_mm,
            width_mm: k.width_mm,
            total_mass_kg: k.total_mass_kg,
            max_axle_kg: k.axle_loads_kg.iter().max().copied().unwrap_or_default(),
        }
    }
}

/// What can close a road to a load: a structure's four limits, and the
/// road's own class (a substandard road needs a survey).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    HeightMm,
    WidthMm,
    GrossKg,
    AxleKg,
    RoadClass,
}

impl Constraint {
    /// The four limits a structure may set, in the order R3 reports them.
    pub const LIMITS: [Constraint; 4] = [Constraint::HeightMm, Constraint::WidthMm, Constraint::GrossKg, Constraint::AxleKg];

    /// The structure's limit of this kind, if it sets one.
    pub fn allowed(self, s: &Structure) -> Option<u32> {
        match self {
            Constraint::HeightMm => s.max_height_mm.map(|m| m.0),
            Constraint::WidthMm => s.max_width_mm.map(|m| m.0),
            Constraint::GrossKg => s.max_gross_kg.map(|k| k.0),
            Constraint::AxleKg => s.max_axle_kg.map(|k| k.0),
            Constraint::RoadClass => None,
        }
    }

    /// What the load needs of this limit (0 for the road class).
    pub fn needed(self, load: &Load) -> u32 {
        match self {
            Constraint::HeightMm => load.height_mm.0,
            Constraint::WidthMm => load.width_mm.0,
            Constraint::GrossKg => load.total_mass_kg.0,
            Constraint::AxleKg => load.max_axle_kg.0,
            Constraint::RoadClass => 0,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One limit of a structure the load exceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub limit: Constraint,
    pub allowed: u32,
    pub needed: u32,
}

/// The limits of `s` that `load` exceeds, in R3's order; empty when the
/// structure takes the load (a limit the registry leaves null never fails).
pub fn shortfalls(s: &Structure, load: &Load) -> Vec<Shortfall> {
    Constraint::LIMITS
        .iter()
        .filter_map(|&limit| {
            let allowed = limit.allowed(s)?;
            let needed = limit.needed(load);
            (allowed < needed).then_some(Shortfall { limit, allowed, needed })
        })
        .collect()
}

/// A structure in a technical condition class that needs a survey before
/// a large load crosses (rules/route.toml).
pub fn needs_survey(s: &Structure, rules: &RouteRules) -> bool {
    s.rating.is_some_and(|r| rules.survey_ratings.value.contains(&r))
}

/// A road of a class that needs a survey (substandard, rules/route.toml):
/// R3 warns on it and a suggestion never takes it.
pub fn road_needs_survey(seg: &RoadSegment, rules: &RouteRules) -> bool {
    rules.survey_road_classes.value.contains(&seg.road_class)
}

#[cfg(test)]
mod tests;
