//! The catalogue of injected defects. Each flips exactly one check.

use dajian::truth::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum D {
    P1IdCardOther,
    P1IdCardMissing,
    P2LetterOtherAgent,
    P2LetterExpired,
    P2LetterMissing,
    P2LetterOtherPrincipal,
    P3ClassB2,
    P3Expired,
    P3Suspended,
    P3Probation,
    P3Missing,
    P3OtherNumber,
    P4Expired,
    P4Category,
    P4OtherHolder,
    C1UsccOnLicence,
    C1NameOnLicence,
    C2Scope,
    C3PermitExpired,
    C3TermEnded,
    C3Revoked,
    C4Restricted,
    C4Violation,
    V1TrailerVinPage,
    V1FormVinTypo,
    V1TractorPlatePage,
    V2Inspection,
    V2Insurance,
    V2Seized,
    V3RtcExpired,
    V3OperatorPage,
    V4BrandModel,
    V4CurbMass,
    V5Towing,
    R1UnknownSegment,
    R1Gap,
    R2NoEscort,
    R2MissingSection,
    R2NoContour,
    R3WeakBridge,
    R3LowClearance,
    R3Rated4,
    R3Substandard,
    R4StartBeforeSubmit,
    R4TooLong,
    R4LongTermClass3,
    G1NotIndivisible,
    G1Divisible,
    G1Pieces,
    G2CargoHeight,
    G2CargoWidth,
    G2Mass,
    G3Sum,
    G3Count,
    G3Average,
    G4UnderLimit,
}

use D::*;

pub const ALL: &[D] = &[
    P1IdCardOther, P1IdCardMissing, P2LetterOtherAgent, P2LetterExpired, P2LetterMissing, P2LetterOtherPrincipal, P3ClassB2,
    P3Expired, P3Suspended, P3Probation, P3Missing, P3OtherNumber, P4Expired, P4Category, P4OtherHolder, C1UsccOnLicence,
    C1NameOnLicence, C2Scope, C3PermitExpired, C3TermEnded, C3Revoked, C4Restricted, C4Violation, V1TrailerVinPage,
    V1FormVinTypo, V1TractorPlatePage, V2Inspection, V2Insurance, V2Seized, V3RtcExpired, V3OperatorPage, V4BrandModel,
    V4CurbMass, V5Towing, R1UnknownSegment, R1Gap, R2NoEscort, R2MissingSection, R2NoContour, R3WeakBridge, R3LowClearance,
    R3Rated4, R3Substandard, R4StartBeforeSubmit, R4TooLong, R4LongTermClass3, G1NotIndivisible, G1Divisible, G1Pieces,
    G2CargoHeight, G2CargoWidth, G2Mass, G3Sum, G3Count, G3Average, G4UnderLimit,
];

/// What the application must look like for the defect to apply cleanly.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub class3: bool,
    pub trailer: bool,
    pub low_or_flat: bool,
    pub divisible: bool,
    pub under_limit: bool,
    pub axle_overload: bool,
    pub drivers: bool,
    pub fresh_company: bool,
    pub long_route: bool,
    pub not_class3: bool,
}

impl D {
    pub fn check(self) -> &'static str {
        // Each variant's name starts with its check's id.
        let s = format!("{self:?}");
        dajian::checks::CheckId::parse(&s[..2]).expect("a defect is named after its check").as_str()
    }

    pub fn status(self) -> Status {
        match self {
            P4Expired | P4Category | P4OtherHolder | C1NameOnLicence | C4Violation | V3OperatorPage | G1Pieces | G4UnderLimit => Status::Warn,
            R3WeakBridge | R3LowClearance | R3Rated4 | R3Substandard => Status::Warn,
            _ => Status::Block,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            P1IdCardOther => "id_card_of_another_person",
            P1IdCardMissing => "id_card_missing",
            P2LetterOtherAgent => "letter_names_another_agent",
            P2LetterExpired => "letter_period_excludes_submission",
            P2LetterMissing => "letter_missing",
            P2LetterOtherPrincipal => "letter_from_another_company",
            P3ClassB2 => "driving_licence_class_b2_for_tractor",
            P3Expired => "driving_licence_expired",
            P3Suspended => "driving_licence_suspended_in_registry",
            P3Probation => "driver_on_probation",
            P3Missing => "driving_licence_missing",
            P3OtherNumber => "driving_licence_of_another_person",
            P4Expired => "qualification_expired",
            P4Category => "qualification_passenger_category",
            P4OtherHolder => "qualification_of_another_person",
            C1UsccOnLicence => "business_licence_other_uscc",
            C1NameOnLicence => "business_licence_name_differs",
            C2Scope => "permit_scope_lacks_oversize",
            C3PermitExpired => "operating_permit_expired",
            C3TermEnded => "business_term_ended",
            C3Revoked => "company_revoked",
            C4Restricted => "company_restricted",
            C4Violation => "recent_permit_mismatch_violation",
            V1TrailerVinPage => "trailer_licence_vin_differs",
            V1FormVinTypo => "form_vin_check_digit",
            V1TractorPlatePage => "tractor_licence_plate_differs",
            V2Inspection => "inspection_expired",
            V2Insurance => "insurance_expired",
            V2Seized => "vehicle_seized",
            V3RtcExpired => "road_transport_certificate_expired",
            V3OperatorPage => "road_transport_certificate_other_operator",
            V4BrandModel => "form_brand_model_differs",
            V4CurbMass => "form_curb_mass_off",
            V5Towing => "towing_capacity_too_low",
            R1UnknownSegment => "route_unknown_segment",
            R1Gap => "route_gap",
            R2NoEscort => "class3_without_escort_plan",
            R2MissingSection => "escort_plan_missing_section",
            R2NoContour => "class3_without_contour_drawing",
            R3WeakBridge => "weak_bridge_on_route",
            R3LowClearance => "low_clearance_on_route",
            R3Rated4 => "poor_structure_on_route",
            R3Substandard => "substandard_road_on_route",
            R4StartBeforeSubmit => "start_before_submission",
            R4TooLong => "window_too_long",
            R4LongTermClass3 => "long_term_for_class3",
            G1NotIndivisible => "declared_divisible",
            G1Divisible => "divisible_goods",
            G1Pieces => "several_pieces",
            G2CargoHeight => "cargo_height_exceeds_outline",
            G2CargoWidth => "cargo_width_exceeds_outline",
            G2Mass => "total_mass_does_not_add_up",
            G3Sum => "axle_loads_do_not_add_up",
            G3Count => "axle_load_missing",
            G3Average => "axle_loads_too_high",
            G4UnderLimit => "not_over_limit",
        }
    }

    pub fn needs(self) -> Needs {
        let mut n = Needs::default();
        match self {
            P3ClassB2 | P3Probation => {
                n.trailer = true;
                n.drivers = true;
            }
            P3Expired | P3Suspended | P3Missing | P3OtherNumber | P4Expired | P4Category | P4OtherHolder => n.drivers = true,
            C2Scope | C3PermitExpired | C3TermEnded | C3Revoked | C4Restricted | C4Violation => n.fresh_company = true,
            V1TrailerVinPage | V5Towing => n.trailer = true,
            R1Gap => n.long_route = true,
            R2NoEscort | R2MissingSection | R2NoContour | R4LongTermClass3 => n.class3 = true,
            G1Divisible => {
                n.divisible = true;
                n.low_or_flat = true;
                n.trailer = true;
            }
            G3Average => {
                n.axle_overload = true;
                n.low_or_flat = true;
                n.trailer = true;
            }
            G4UnderLimit => {
                n.under_limit = true;
                n.low_or_flat = true;
                n.trailer = true;
            }
            R4TooLong => n.not_class3 = false,
            _ => {}
        }
        n
    }
}
