//! Ground-truth types, written next to every application as `truth.json`
//! by the dataset generator (`datasets/generator`) and read by `dajian bench`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{DocKind, Subject};
use crate::types::BBox;

pub use crate::checks::CheckId;

/// A field value's place in a page's printed lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub line: usize,
    /// Character (not byte) offsets into the line's text.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Ordinary printed text: what OCR should read.
    Text,
    /// Text of a seal (curved or stamped over other text): reported, but
    /// OCR metrics usually leave it out.
    Seal,
}

/// The report's own status and verdict types, so truth and reports compare directly.
pub use crate::report::{Status, Verdict};

pub fn verdict(checks: &BTreeMap<String, Status>) -> Verdict {
    if checks.values().any(|s| *s == Status::Block) {
        Verdict::Block
    } else if checks.values().any(|s| *s == Status::Warn) {
        Verdict::Review
    } else {
        Verdict::Pass
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    pub level: String,
    pub region_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    pub verdict: Verdict,
    pub permit_class: u8,
    /// `null` when the route is broken (R1 blocks) and no authority can be named.
    pub authority: Option<Authority>,
    pub approvals: Vec<String>,
    /// Check id → status, all 21.
    pub checks: BTreeMap<String, Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectTruth {
    /// Stable id of the defect variant, e.g. `trailer_licence_vin`.
    pub id: String,
    pub check: String,
    pub status: Status,
    pub description: String,
    /// Where it was injected: `form`, `registry`, `document`, or a missing document.
    pub location: String,
    /// The page involved, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldTruth {
    /// The normalised value (`documents.md`): string, or integer for
    /// masses, lengths and counts, or a list for escort-plan sections.
    pub value: serde_json::Value,
    /// As printed on the page.
    pub printed: String,
    /// [x, y, w, h] in the stored image's pixels.
    pub bbox: BBox,
    /// Where the value sits in `lines`: line index and character range.
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineTruth {
    pub text: String,
    pub bbox: BBox,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Degradation {
    /// `scan` or `photo`.
    pub style: String,
    /// Right-angle rotation applied last (0, 90, 180, 270; clockwise).
    pub rotation_quarter: u16,
    /// Small in-plane rotation in degrees.
    pub skew_deg: f32,
    /// Perspective strength (corner jitter as a fraction of the page).
    pub perspective: f32,
    /// Resolution change of the whole page (photos 0.7–0.95, scans 0.8–1.0).
    pub scale: f32,
    pub blur_sigma: f32,
    pub noise_sigma: f32,
    pub uneven_light: f32,
    pub jpeg_quality: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageTruth {
    pub file: String,
    pub kind: DocKind,
    pub subject: Option<Subject>,
    /// Whether `application.json` declares this page's kind and subject.
    pub declared: bool,
    /// Layout variant, e.g. `vehicle_licence/side_by_side`.
    pub layout: String,
    /// The page style's value font: `sans`, `sans_bold`, `serif` or `kai`.
    pub font: String,
    pub width: u32,
    pub height: u32,
    pub degradation: Option<Degradation>,
    pub fields: BTreeMap<String, FieldTruth>,
    pub lines: Vec<LineTruth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppTruth {
    pub application: String,
    pub defect: Option<DefectTruth>,
    pub expected: Expected,
    pub pages: Vec<PageTruth>,
}
