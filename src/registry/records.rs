//! The registry's rows, one struct per JSONL file of `spec/registry.md`.
//! `null` is unknown (`None`). Keys are validated identifiers: a registry
//! row with a malformed key could never be matched and is an import error.
//! Unknown columns are errors too, as in the form: a typo never silently
//! drops data.

use serde::{Deserialize, Serialize};

use crate::types::{Date, IdNumber, Kg, Mm, Month, Plate, Until, Uscc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyStatus {
    Active,
    Revoked,
    Deregistered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Violation {
    pub date: Date,
    pub kind: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub uscc: Uscc,
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub legal_representative: Option<String>,
    pub status: CompanyStatus,
    #[serde(default)]
    pub term_until: Option<Until>,
    #[serde(default)]
    pub permit_number: Option<String>,
    #[serde(default)]
    pub permit_valid_until: Option<Date>,
    #[serde(default)]
    pub permit_scope: Vec<String>,
    #[serde(default)]
    pub restricted_until: Option<Date>,
    #[serde(default)]
    pub violations: Vec<Violation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    Valid,
    Suspended,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id_number: IdNumber,
    pub name: String,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub birth_date: Option<Date>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub licence_class: Option<String>,
    #[serde(default)]
    pub licence_valid_from: Option<Date>,
    #[serde(default)]
    pub licence_valid_until: Option<Until>,
    #[serde(default)]
    pub licence_status: Option<LicenceStatus>,
    #[serde(default)]
    pub probation_until: Option<Date>,
    #[serde(default)]
    pub qualification_number: Option<String>,
    #[serde(default)]
    pub qualification_category: Option<String>,
    #[serde(default)]
    pub qualification_valid_until: Option<Date>,
    #[serde(default)]
    pub employer_uscc: Option<Uscc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    pub plate: Plate,
    #[serde(default)]
    pub vin: Option<String>,
    #[serde(default)]
    pub engine_number: Option<String>,
    #[serde(default)]
    pub vehicle_type: Option<String>,
    #[serde(default)]
    pub brand_model: Option<String>,
    #[serde(default)]
    pub use_character: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub owner_uscc: Option<Uscc>,
    #[serde(default)]
    pub register_date: Option<Date>,
    #[serde(default)]
    pub total_mass_kg: Option<Kg>,
    #[serde(default)]
    pub curb_mass_kg: Option<Kg>,
    #[serde(default)]
    pub rated_load_kg: Option<Kg>,
    #[serde(default)]
    pub towing_mass_kg: Option<Kg>,
    #[serde(default)]
    pub length_mm: Option<Mm>,
    #[serde(default)]
    pub width_mm: Option<Mm>,
    #[serde(default)]
    pub height_mm: Option<Mm>,
    #[serde(default)]
    pub axles: Option<u32>,
    #[serde(default)]
    pub tyres: Option<u32>,
    #[serde(default)]
    pub inspection_valid_until: Option<Month>,
    #[serde(default)]
    pub insurance_valid_until: Option<Date>,
    #[serde(default)]
    pub rtc_number: Option<String>,
    #[serde(default)]
    pub rtc_operator_uscc: Option<Uscc>,
    #[serde(default)]
    pub rtc_valid_until: Option<Date>,
    /// `normal`, `scrapped`, `seized`, … (open list: only `normal` passes).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadNode {
    pub id: String,
    pub name: String,
    pub region_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadClass {
    Expressway,
    Class1,
    Class2,
    Class3,
    Class4,
    Substandard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadSegment {
    pub id: String,
    pub name: String,
    pub from_node: String,
    pub to_node: String,
    pub length_m: u32,
    pub road_class: RoadClass,
    #[serde(default)]
    pub urban: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureKind {
    Bridge,
    Tunnel,
    Underpass,
    Overpass,
    TollGate,
    Culvert,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    pub id: String,
    pub name: String,
    pub segment_id: String,
    pub kind: StructureKind,
    #[serde(default)]
    pub max_height_mm: Option<Mm>,
    #[serde(default)]
    pub max_width_mm: Option<Mm>,
    #[serde(default)]
    pub max_gross_kg: Option<Kg>,
    #[serde(default)]
    pub max_axle_kg: Option<Kg>,
    #[serde(default)]
    pub rating: Option<u8>,
}

/// A record that parsed but says something impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("region_code '{0}' is not a 6-digit GB/T 2260 code")]
    RegionCode(String),
    #[error("rating {0} is not a class 1–5")]
    Rating(u8),
}

impl RoadNode {
    /// The node's region code must be a 6-digit GB/T 2260 code.
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.region_code.len() == 6 && self.region_code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err(RecordError::RegionCode(self.region_code.clone()))
        }
    }
}

impl Structure {
    pub fn validate(&self) -> Result<(), RecordError> {
        match self.rating {
            Some(r) if !(1..=5).contains(&r) => Err(RecordError::Rating(r)),
            _ => Ok(()),
        }
    }
}
