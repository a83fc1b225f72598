//! Document kinds, subjects and the fields read from a page
//! (`spec/documents.md`). This is what the extract stage produces and what
//! the checks and the report consume.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::types::BBox;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    VehicleLicence,
    DrivingLicence,
    QualificationCertificate,
    RoadTransportCertificate,
    BusinessLicence,
    OperatingPermit,
    IdCard,
    AuthorizationLetter,
    EscortPlan,
    ContourDrawing,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 11] = [
        DocKind::VehicleLicence,
        DocKind::DrivingLicence,
        DocKind::QualificationCertificate,
        DocKind::RoadTransportCertificate,
        DocKind::BusinessLicence,
        DocKind::OperatingPermit,
        DocKind::IdCard,
        DocKind::AuthorizationLetter,
        DocKind::EscortPlan,
        DocKind::ContourDrawing,
        DocKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DocKind::VehicleLicence => "vehicle_licence",
            DocKind::DrivingLicence => "driving_licence",
            DocKind::QualificationCertificate => "qualification_certificate",
            DocKind::RoadTransportCertificate => "road_transport_certificate",
            DocKind::BusinessLicence => "business_licence",
            DocKind::OperatingPermit => "operating_permit",
            DocKind::IdCard => "id_card",
            DocKind::AuthorizationLetter => "authorization_letter",
            DocKind::EscortPlan => "escort_plan",
            DocKind::ContourDrawing => "contour_drawing",
            DocKind::Other => "other",
        }
    }

    /// How a message names the kind: its Chinese title, or its key.
    pub fn name(self, l: crate::lang::Lang) -> &'static str {
        match l {
            crate::lang::Lang::Zh => self.title_zh(),
            crate::lang::Lang::En => self.key(),
        }
    }

    /// The Chinese name printed on (or used for) the document.
    pub fn title_zh(self) -> &'static str {
        match self {
            DocKind::VehicleLicence => "机动车行驶证",
            DocKind::DrivingLicence => "机动车驾驶证",
            DocKind::QualificationCertificate => "道路运输从业人员从业资格证",
            DocKind::RoadTransportCertificate => "道路运输证",
            DocKind::BusinessLicence => "营业执照",
            DocKind::OperatingPermit => "道路运输经营许可证",
            DocKind::IdCard => "居民身份证",
            DocKind::AuthorizationLetter => "授权委托书",
            DocKind::EscortPlan => "护送方案",
            DocKind::ContourDrawing => "车货轮廓图",
            DocKind::Other => "其他",
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for DocKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocKind::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .ok_or_else(|| format!("unknown document kind '{s}'"))
    }
}

/// How a field's printed text becomes its value (`documents.md`,
/// "Normalised values").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Code,
    Date,
    /// A date or `long_term`.
    OpenEnd,
    Month,
    Mass,
    Length,
    Integer,
    /// The escort plan's list of sections.
    Sections,
}

impl FieldType {
    /// Printed as digits: a date, month, mass, length or count.
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldType::Date | FieldType::OpenEnd | FieldType::Month | FieldType::Mass | FieldType::Length | FieldType::Integer)
    }
}

/// Every kind's fields with their types, as `documents.md` lists them.
pub const FIELDS: &[(DocKind, &[(&str, FieldType)])] = {
    use FieldType::*;
    &[
        (DocKind::VehicleLicence, &[
            ("plate_number", Code), ("vehicle_type", Text), ("owner", Text), ("address", Text),
            ("use_character", Text), ("brand_model", Text), ("vin", Code), ("engine_number", Code),
            ("register_date", Date), ("issue_date", Date), ("file_number", Code), ("approved_passengers", Integer),
            ("total_mass_kg", Mass), ("curb_mass_kg", Mass), ("rated_load_kg", Mass), ("length_mm", Length),
            ("width_mm", Length), ("height_mm", Length), ("towing_mass_kg", Mass), ("inspection_valid_until", Month),
        ]),
        (DocKind::DrivingLicence, &[
            ("licence_number", Code), ("name", Text), ("sex", Text), ("nationality", Text), ("address", Text),
            ("birth_date", Date), ("first_issue_date", Date), ("permitted_class", Code), ("valid_from", Date),
            ("valid_until", OpenEnd),
        ]),
        (DocKind::QualificationCertificate, &[
            ("certificate_number", Code), ("name", Text), ("sex", Text), ("category", Text), ("issue_date", Date),
            ("valid_until", Date),
        ]),
        (DocKind::RoadTransportCertificate, &[
            ("certificate_number", Code), ("operator_name", Text), ("operating_permit_number", Code),
            ("plate_number", Code), ("vehicle_type", Text), ("tonnage_kg", Mass), ("length_mm", Length),
            ("width_mm", Length), ("height_mm", Length), ("business_scope", Text), ("issue_date", Date),
            ("valid_until", Date),
        ]),
        (DocKind::BusinessLicence, &[
            ("uscc", Code), ("company_name", Text), ("company_type", Text), ("legal_representative", Text),
            ("address", Text), ("registered_capital", Text), ("established_date", Date), ("term_until", OpenEnd),
            ("business_scope", Text),
        ]),
        (DocKind::OperatingPermit, &[
            ("permit_number", Code), ("company_name", Text), ("address", Text), ("business_scope", Text),
            ("valid_from", Date), ("valid_until", Date),
        ]),
        (DocKind::IdCard, &[
            ("name", Text), ("sex", Text), ("ethnicity", Text), ("birth_date", Date), ("address", Text),
            ("id_number", Code),
        ]),
        (DocKind::AuthorizationLetter, &[
            ("principal_name", Text), ("principal_uscc", Code), ("agent_name", Text), ("agent_id_number", Code),
            ("valid_from", Date), ("valid_until", Date),
        ]),
        (DocKind::EscortPlan, &[("sections", Sections)]),
        (DocKind::ContourDrawing, &[]),
        (DocKind::Other, &[]),
    ]
};

impl DocKind {
    /// This kind's fields and their types.
    pub fn fields(self) -> &'static [(&'static str, FieldType)] {
        FIELDS.iter().find(|(k, _)| *k == self).map(|(_, f)| *f).expect("every kind is listed")
    }
}

/// The party a document belongs to: `carrier`, `agent`, `tractor`,
/// `trailer`, or `driver:N` (an index into the form's `drivers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Carrier,
    Agent,
    Tractor,
    Trailer,
    Driver(usize),
}

impl Subject {
    /// How a message names the subject.
    pub fn name(self, l: crate::lang::Lang) -> String {
        use crate::lang::Lang::*;
        match (self, l) {
            (Subject::Carrier, Zh) => "承运人".into(),
            (Subject::Agent, Zh) => "经办人".into(),
            (Subject::Tractor, Zh) => "牵引车".into(),
            (Subject::Trailer, Zh) => "挂车".into(),
            (Subject::Driver(n), Zh) => format!("驾驶员{n}"),
            (s, En) => s.to_string(),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Carrier => f.write_str("carrier"),
            Subject::Agent => f.write_str("agent"),
            Subject::Tractor => f.write_str("tractor"),
            Subject::Trailer => f.write_str("trailer"),
            Subject::Driver(n) => write!(f, "driver:{n}"),
        }
    }
}

impl FromStr for Subject {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "carrier" => Subject::Carrier,
            "agent" => Subject::Agent,
            "tractor" => Subject::Tractor,
            "trailer" => Subject::Trailer,
            _ => match s.strip_prefix("driver:").and_then(|n| n.parse().ok()) {
                Some(n) => Subject::Driver(n),
                None => {
                    return Err(format!(
                        "unknown subject '{s}' (expected carrier, agent, tractor, trailer or driver:N)"
                    ));
                }
            },
        })
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Subject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// One extracted field: its normalised value, how sure we are, and where it
/// is printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub value: serde_json::Value,
    pub confidence: f32,
    pub bbox: BBox,
}

impl Field {
    /// The value as text (strings as they are, numbers printed).
    pub fn text(&self) -> String {
        match &self.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// One uploaded page after reading: an entry of the report's `documents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub file: String,
    /// The kind dajian settled on; `None` when the page could not be read.
    pub kind: Option<DocKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_confidence: Option<f32>,
    /// What the applicant declared, when it differs from what was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_kind: Option<DocKind>,
    pub subject: Option<Subject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default)]
    pub fields: BTreeMap<String, Field>,
    /// Why the page could not be read, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
    /// The page's OCR text, for `other` pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Not a page of this application: a reading archived from an earlier
    /// one that passed ([`crate::archive`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<crate::archive::Archived>,
}

impl Document {
    /// A page that was not read; the checks treat its contents as unknown.
    pub fn unread(file: &str, declared: Option<DocKind>, subject: Option<Subject>, why: &str) -> Document {
        Document {
            file: file.to_string(),
            kind: None,
            kind_confidence: None,
            declared_kind: declared,
            subject,
            width: None,
            height: None,
            fields: BTreeMap::new(),
            unread: Some(why.to_string()),
            text: None,
            archived: None,
        }
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip_through_their_spec_spelling() {
        for s in ["carrier", "agent", "tractor", "trailer", "driver:0", "driver:12"] {
            assert_eq!(s.parse::<Subject>().unwrap().to_string(), s);
        }
        assert!("driver:x".parse::<Subject>().is_err());
        assert!("owner".parse::<Subject>().is_err());
    }

    #[test]
    fn every_kind_lists_its_fields_once() {
        for k in DocKind::ALL {
            let keys: Vec<&str> = k.fields().iter().map(|f| f.0).collect();
            let mut dedup = keys.clone();
            dedup.sort();
            dedup.dedup();
            assert_eq!(keys.len(), dedup.len(), "{k} repeats a field");
        }
        assert_eq!(DocKind::VehicleLicence.fields().len(), 20);
    }

    #[test]
    fn kinds_round_trip_through_their_keys() {
        for k in DocKind::ALL {
            assert_eq!(k.key().parse::<DocKind>().unwrap(), k);
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(k.key()));
        }
    }
}

/// Ties each page without a declared subject to a party of the form, from
/// the identifiers read on it. A page nothing ties stays without subject.
pub fn assign_subjects(form: &crate::form::Application, docs: &mut [Document]) {
    use crate::types::normalize::code;
    for d in docs.iter_mut().filter(|d| d.subject.is_none()) {
        let get = |k: &str| d.field(k).map(|f| code(&f.text()));
        let driver_by_id = |id: Option<String>| id.and_then(|id| form.drivers.iter().position(|x| x.id_number == id));
        d.subject = match d.kind {
            Some(DocKind::VehicleLicence | DocKind::RoadTransportCertificate) => {
                let plate = get("plate_number");
                let vin = get("vin");
                form.vehicles()
                    .into_iter()
                    .find(|(_, v)| (plate.is_some() && v.plate == plate) || vin.as_deref() == Some(v.vin.as_str()))
                    .map(|(s, _)| s)
                    .or_else(|| plate.filter(|p| p.ends_with('挂')).map(|_| Subject::Trailer))
            }
            Some(DocKind::DrivingLicence) => driver_by_id(get("licence_number")).map(Subject::Driver).or_else(|| {
                let name = d.field("name").map(|f| crate::types::normalize::text(&f.text()));
                form.drivers.iter().position(|x| Some(&x.name) == name.as_ref()).map(Subject::Driver)
            }),
            Some(DocKind::QualificationCertificate) => {
                let name = d.field("name").map(|f| crate::types::normalize::text(&f.text()));
                form.drivers.iter().position(|x| Some(&x.name) == name.as_ref()).map(Subject::Driver)
            }
            Some(DocKind::IdCard) => {
                let id = get("id_number");
                let name = d.field("name").map(|f| crate::types::normalize::text(&f.text()));
                if id.as_deref() == Some(form.agent.id_number.as_str()) {
                    Some(Subject::Agent)
                } else if let Some(i) = driver_by_id(id) {
                    Some(Subject::Driver(i))
                } else if name.as_ref() == Some(&form.agent.name) {
                    // The number misread: the name still says whose card it
                    // is, and the check then reports the number as read.
                    Some(Subject::Agent)
                } else {
                    form.drivers.iter().position(|x| Some(&x.name) == name.as_ref()).map(Subject::Driver)
                }
            }
            Some(DocKind::BusinessLicence | DocKind::OperatingPermit) => Some(Subject::Carrier),
            Some(DocKind::AuthorizationLetter) => Some(Subject::Agent),
            _ => None,
        };
    }
}

#[cfg(test)]
mod subject_tests {
    use super::*;

    fn page(kind: DocKind, fields: &[(&str, &str)]) -> Document {
        let mut d = Document::unread("p.jpg", None, None, "");
        d.unread = None;
        d.kind = Some(kind);
        for (k, v) in fields {
            d.fields.insert(k.to_string(), Field { value: serde_json::json!(v), confidence: 0.99, bbox: BBox::default() });
        }
        d
    }

    #[test]
    fn pages_without_a_subject_are_tied_to_the_party_their_identifiers_name() {
        let form = crate::form::Application::parse(include_str!("../tests/fixtures/clean/application.json")).unwrap();
        let mut docs = vec![
            page(DocKind::VehicleLicence, &[("plate_number", "鲁H6789挂")]),
            page(DocKind::VehicleLicence, &[("vin", "lzz1clvb5ja123456")]),
            page(DocKind::DrivingLicence, &[("licence_number", "370811197805060018")]),
            page(DocKind::IdCard, &[("id_number", "370802198001011235")]),
            page(DocKind::BusinessLicence, &[]),
            page(DocKind::Other, &[]),
        ];
        assign_subjects(&form, &mut docs);
        let got: Vec<Option<Subject>> = docs.iter().map(|d| d.subject).collect();
        assert_eq!(
            got,
            [Some(Subject::Trailer), Some(Subject::Tractor), Some(Subject::Driver(0)), Some(Subject::Agent), Some(Subject::Carrier), None]
        );
    }

    #[test]
    fn an_id_card_with_a_misread_number_is_tied_by_its_name() {
        let form = crate::form::Application::parse(include_str!("../tests/fixtures/clean/application.json")).unwrap();
        let mut docs = vec![
            page(DocKind::IdCard, &[("id_number", "371"), ("name", &form.agent.name)]),
            page(DocKind::IdCard, &[("id_number", "371"), ("name", "无此人")]),
        ];
        assign_subjects(&form, &mut docs);
        assert_eq!(docs[0].subject, Some(Subject::Agent));
        assert_eq!(docs[1].subject, None);
    }
}
