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

    /// Other titles the document is printed under, besides
    /// [`title_zh`](Self::title_zh): hauliers draw the contour drawing
    /// under many names (车货外廓图, 车辆装载示意图, 车货装载尺寸示意图…),
    /// and the online permit query prints 道路运输经营许可信息查询. Each is
    /// specific to its kind: a bare 示意图 also heads route maps.
    pub fn other_titles(self) -> &'static [&'static str] {
        match self {
            DocKind::ContourDrawing => &["轮廓图", "外廓图", "外廓尺寸图", "装载示意图", "尺寸示意图"],
            DocKind::OperatingPermit => &["道路运输经营许可"],
            _ => &[],
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
    /// How an error names the type: "not a {name}".
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Code => "code",
            FieldType::Date => "date",
            FieldType::OpenEnd => "date or long_term",
            FieldType::Month => "month",
            FieldType::Mass => "mass in kg",
            FieldType::Length => "length in mm",
            FieldType::Integer => "number",
            FieldType::Sections => "list of sections",
        }
    }

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

/// The labels a field is printed under or beside, on the editions dajian
/// knows (Chinese, and the English of the bilingual cards), as text is
/// compared: no spaces. Where the checks look for a form value on a page,
/// it must stand next to or below one of these (`checks::on_page`).
pub fn labels(kind: DocKind, key: &str) -> &'static [&'static str] {
    use DocKind::*;
    match (kind, key) {
        (VehicleLicence | RoadTransportCertificate, "plate_number") => &["号牌号码", "车辆号牌", "车牌号码", "号牌", "PlateNo"],
        (VehicleLicence, "vehicle_type") | (RoadTransportCertificate, "vehicle_type") => &["车辆类型", "VehicleType"],
        (VehicleLicence, "owner") => &["所有人", "Owner"],
        (VehicleLicence, "brand_model") => &["品牌型号", "Model"],
        (VehicleLicence, "vin") => &["车辆识别代号", "车架号", "识别代号", "VIN"],
        (VehicleLicence, "engine_number") => &["发动机号码", "发动机号", "EngineNo"],
        (VehicleLicence, "curb_mass_kg") => &["整备质量"],
        (VehicleLicence, "total_mass_kg") => &["总质量"],
        (VehicleLicence, "towing_mass_kg") => &["准牵引总质量"],
        (VehicleLicence, "inspection_valid_until") => &["检验有效期至", "检验有效期", "检验记录"],
        (VehicleLicence, "rated_load_kg") => &["核定载质量"],
        // One label over one `L×W×H` value.
        (VehicleLicence | RoadTransportCertificate, "length_mm" | "width_mm" | "height_mm") => &["外廓尺寸", "车辆外廓尺寸"],
        (VehicleLicence, "use_character") => &["使用性质", "UseCharacter"],
        (VehicleLicence, "register_date") => &["注册日期", "RegisterDate"],
        (VehicleLicence | RoadTransportCertificate | QualificationCertificate, "issue_date") => &["发证日期", "IssueDate", "初次领证日期", "初领日期"],
        (VehicleLicence, "file_number") => &["档案编号", "FileNo"],
        (VehicleLicence, "approved_passengers") => &["核定载人数", "核定载客"],
        (VehicleLicence | DrivingLicence | IdCard, "address") => &["住址", "Address"],
        (DrivingLicence | QualificationCertificate | IdCard, "sex") => &["性别", "Sex"],
        (DrivingLicence, "nationality") => &["国籍", "Nationality"],
        (DrivingLicence | IdCard, "birth_date") => &["出生日期", "出生", "DateofBirth"],
        (DrivingLicence, "first_issue_date") => &["初次领证日期", "初领日期", "DateofFirstIssue"],
        (IdCard, "ethnicity") => &["民族"],
        (QualificationCertificate, "category") => &["从业资格类别", "资格类别"],
        (RoadTransportCertificate, "operating_permit_number") => &["经营许可证号"],
        (RoadTransportCertificate, "tonnage_kg") => &["吨(座)位", "吨位"],
        (BusinessLicence, "company_type") => &["类型", "公司类型", "企业类型"],
        (BusinessLicence | OperatingPermit, "address") => &["住所", "地址", "经营地址", "经营场所"],
        (BusinessLicence, "registered_capital") => &["注册资本"],
        (BusinessLicence, "established_date") => &["成立日期"],
        (DrivingLicence, "licence_number") => &["证号", "驾驶证号", "LicenseNo"],
        (DrivingLicence | QualificationCertificate | IdCard, "name") => &["姓名", "Name"],
        (DrivingLicence, "permitted_class") => &["准驾车型", "Class"],
        (QualificationCertificate, "certificate_number") => &["从业资格证号", "证号"],
        (RoadTransportCertificate, "operator_name") | (OperatingPermit, "company_name") => &["业户名称", "名称"],
        (RoadTransportCertificate, "certificate_number") => &["道路运输证号", "证号"],
        (BusinessLicence, "uscc") => &["统一社会信用代码", "信用代码"],
        (BusinessLicence, "company_name") => &["名称", "企业名称"],
        (BusinessLicence, "legal_representative") => &["法定代表人", "负责人", "经营者"],
        (OperatingPermit, "permit_number") => &["许可证号", "证号", "编号"],
        (OperatingPermit | BusinessLicence | RoadTransportCertificate, "business_scope") => &["经营范围"],
        (OperatingPermit | QualificationCertificate | RoadTransportCertificate | AuthorizationLetter | DrivingLicence, "valid_until") => &["有效期至", "有效期止", "至"],
        (BusinessLicence, "term_until") => &["营业期限", "营业期限至", "至"],
        (DrivingLicence | OperatingPermit | AuthorizationLetter, "valid_from") => &["有效期限", "有效起始日期", "起始日期", "有效期自", "有效期起", "自"],
        (IdCard, "id_number") => &["公民身份号码", "身份证号码", "身份号码"],
        (AuthorizationLetter, "principal_name") => &["委托单位", "委托人", "委托方"],
        (AuthorizationLetter, "principal_uscc") => &["统一社会信用代码", "信用代码"],
        (AuthorizationLetter, "agent_name") => &["受托人", "被委托人", "受委托人", "姓名"],
        (AuthorizationLetter, "agent_id_number") => &["身份证号码", "身份证号", "公民身份号码"],
        _ => &[],
    }
}

impl DocKind {
    /// Words every edition of this kind prints (labels, headings, its
    /// name), without spaces. A page that shows fewer than
    /// [`DocKind::MIN_MARKS`] of them is not of this kind, whatever a model
    /// says: an attachment, a photo of the cargo or a blank page is
    /// `other`, not the kind it resembles most.
    pub fn marks(self) -> &'static [&'static str] {
        use DocKind::*;
        match self {
            VehicleLicence => &[
                "行驶证", "号牌号码", "车辆类型", "所有人", "使用性质", "品牌型号", "车辆识别代号", "车架号", "发动机号",
                "注册日期", "发证日期", "档案编号", "核定载", "总质量", "整备质量", "外廓尺寸", "牵引总质量", "检验",
            ],
            DrivingLicence => &["驾驶证", "准驾车型", "初次领证", "有效期限", "国籍", "证号", "出生日期", "住址"],
            QualificationCertificate => &["从业资格", "资格类别", "证号", "发证", "有效期", "姓名"],
            RoadTransportCertificate => &["道路运输证", "业户名称", "经营许可证号", "经营范围", "车辆号牌", "吨(座)位", "车辆类型", "有效期"],
            BusinessLicence => &[
                "营业执照", "统一社会信用代码", "法定代表人", "注册资本", "成立日期", "营业期限", "经营范围", "住所", "类型",
                // Every current edition prints the publicity system's name
                // (its address at the foot); its printout is headed by it and
                // labels the name 企业名称, with 登记机关 and 核准日期.
                "国家企业信用信息公示系统", "企业名称", "登记机关", "核准日期",
            ],
            OperatingPermit => &["经营许可证", "许可证号", "业户名称", "经营范围", "有效期", "地址", "发证机关"],
            IdCard => &["公民身份号码", "姓名", "性别", "民族", "出生", "住址", "签发机关", "有效期限"],
            AuthorizationLetter => &["委托", "受托人", "授权", "身份证号码", "统一社会信用代码", "委托期限"],
            EscortPlan => &["护送", "护送车辆配置", "护送人员配备", "护送路线情况说明", "护送操作细则", "异常情况处理"],
            ContourDrawing => &["轮廓", "外廓", "尺寸", "总长", "总宽", "总高"],
            Other => &[],
        }
    }

    /// How many of its [`marks`](DocKind::marks) a page of this kind shows
    /// at least, unless it shows one of the identifiers it is
    /// [identified by](DocKind::identified_by).
    pub const MIN_MARKS: usize = 2;

    /// How many of this kind's [`marks`](DocKind::marks) the normalised
    /// `text` shows.
    pub fn marks_in(self, text: &str) -> usize {
        self.marks().iter().filter(|m| text.contains(*m)).count()
    }

    /// The well-formed identifiers that stand for this kind's marks when
    /// its labels are unreadable (a faint ID card still shows its number).
    pub fn identified_by(self) -> &'static [crate::types::Code] {
        use DocKind::*;
        use crate::types::Code;
        match self {
            IdCard | DrivingLicence => &[Code::IdNumber],
            VehicleLicence | RoadTransportCertificate => &[Code::Vin, Code::Plate],
            BusinessLicence => &[Code::Uscc],
            _ => &[],
        }
    }

    /// This kind's fields and their types.
    pub fn fields(self) -> &'static [(&'static str, FieldType)] {
        FIELDS.iter().find(|(k, _)| *k == self).map(|(_, f)| *f).expect("every kind is listed")
    }

    /// The type of this kind's field `key`; `None` when it has no such field.
    pub fn field_type(self, key: &str) -> Option<FieldType> {
        self.fields().iter().find(|(k, _)| *k == key).map(|&(_, t)| t)
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
///
/// A field whose printed text is not a value of its type (a VIN of 11
/// characters, a length of "A") is **unreadable**: it has no `value`, keeps
/// the text as `raw` and says why in `unreadable`, so a clerk can look at
/// the box while no check takes the text for a value (`docs/checks.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// `null` (and absent from the JSON) when the field is unreadable.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub value: serde_json::Value,
    pub confidence: f32,
    pub bbox: BBox,
    /// Why the printed text is not a value of the field's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// The text as read, for an unreadable field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// 1-based page of the file the field was read on, for a file of
    /// several pages (a PDF, a multi-page TIFF); absent for one page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Field {
    /// A field read as `value`.
    pub fn new(value: serde_json::Value, confidence: f32, bbox: BBox) -> Field {
        Field { value, confidence, bbox, unreadable: None, raw: None, page: None }
    }

    /// A field whose text `raw` is not a value of its type, for `why`.
    pub fn unreadable(raw: &str, why: impl Into<String>, confidence: f32, bbox: BBox) -> Field {
        Field { value: serde_json::Value::Null, confidence, bbox, unreadable: Some(why.into()), raw: Some(raw.to_string()), page: None }
    }

    /// The 1-based page of its file the field was read on.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1)
    }

    /// Whether the field holds a value of its type.
    pub fn is_readable(&self) -> bool {
        self.unreadable.is_none() && !self.value.is_null()
    }

    /// The value as text (strings as they are, numbers printed); the raw
    /// text of an unreadable field.
    pub fn text(&self) -> String {
        match (&self.value, &self.raw) {
            (serde_json::Value::String(s), _) => s.clone(),
            (serde_json::Value::Null, Some(raw)) => raw.clone(),
            (other, _) => other.to_string(),
        }
    }
}

/// Where an archived reading came from (`crate::archive`); in the
/// report's `documents[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Archived {
    pub application_id: String,
    pub file: String,
    pub archived_at: String,
    /// `YYYY-MM-DD`, or `None` for no end (`long_term`).
    pub valid_until: Option<String>,
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
    /// one that passed (`crate::archive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<Archived>,
    /// The page's OCR lines, where the checks look for the form's values
    /// (`checks::on_page`). Not part of the report: empty for pages given
    /// with `--fields` and for archived readings.
    #[serde(skip)]
    pub lines: Vec<crate::ocr::TextLine>,
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
            lines: vec![],
        }
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.get(key)
    }

    /// The tests' read page: `p.jpg` read as `kind`, with `fields` each at
    /// confidence 0.99 in a box of their own.
    #[cfg(test)]
    pub(crate) fn read_for_test<V: Clone + Into<serde_json::Value>>(kind: DocKind, fields: &[(&str, V)]) -> Document {
        let mut d = Document::unread("p.jpg", None, None, "");
        d.unread = None;
        d.kind = Some(kind);
        for (k, v) in fields {
            d.fields.insert(k.to_string(), Field::new(v.clone().into(), 0.99, BBox::new(1, 2, 3, 4)));
        }
        d
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
