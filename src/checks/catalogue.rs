//! The 21 checks of `spec/checks.md` in one table: each check's id, group,
//! titles, legal source and function. Everything that lists the checks —
//! the run order, the report's English titles, the dataset truth, the desk
//! — reads it, so a 22nd check is a variant here, a row, and its function.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Input, cargo, company, personnel, route, vehicle};
use crate::lang::Lang;
use crate::report::{CheckResult, Group, Report};

/// A check of `spec/checks.md`, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CheckId {
    P1, P2, P3, P4,
    C1, C2, C3, C4,
    V1, V2, V3, V4, V5,
    R1, R2, R3, R4,
    G1, G2, G3, G4,
}

/// One row of the catalogue.
pub struct Entry {
    pub id: CheckId,
    pub group: Group,
    /// The title `spec/checks.md` gives.
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// The regulation or standard the check applies.
    pub rule_ref: &'static str,
    pub run: fn(&Input, Lang) -> CheckResult,
}

/// Every check, in report order.
pub static CATALOGUE: [Entry; 21] = [
    Entry { id: CheckId::P1, group: Group::Personnel, title_zh: "经办人身份", title_en: "Agent identity", rule_ref: "GB 11643-1999", run: personnel::p1_agent_identity },
    Entry { id: CheckId::P2, group: Group::Personnel, title_zh: "授权委托书", title_en: "Authorization letter", rule_ref: "交通运输部令2016年第62号 (申请材料：经办人身份证件和授权委托书)", run: personnel::p2_authorization_letter },
    Entry { id: CheckId::P3, group: Group::Personnel, title_zh: "驾驶证", title_en: "Driving licence", rule_ref: "公安部令第162号《机动车驾驶证申领和使用规定》", run: personnel::p3_driving_licence },
    Entry { id: CheckId::P4, group: Group::Personnel, title_zh: "从业资格证", title_en: "Qualification", rule_ref: "《道路运输从业人员管理规定》", run: personnel::p4_qualification },
    Entry { id: CheckId::C1, group: Group::Company, title_zh: "统一社会信用代码与名称", title_en: "USCC & name", rule_ref: "GB 32100-2015", run: company::c1_uscc_and_name },
    Entry { id: CheckId::C2, group: Group::Company, title_zh: "经营范围", title_en: "Business scope", rule_ref: "《道路货物运输及站场管理规定》(大型物件运输经营许可)", run: company::c2_scope },
    Entry { id: CheckId::C3, group: Group::Company, title_zh: "证照有效", title_en: "Licences valid", rule_ref: "《道路运输条例》《市场主体登记管理条例》", run: company::c3_licences_valid },
    Entry { id: CheckId::C4, group: Group::Company, title_zh: "限制申请与信用", title_en: "Restriction & record", rule_ref: "交通运输部令2016年第62号 (限制申请)", run: company::c4_restriction },
    Entry { id: CheckId::V1, group: Group::Vehicle, title_zh: "号牌与VIN", title_en: "Plate & VIN", rule_ref: "GA 36-2018; GB 16735-2019", run: vehicle::v1_plate_and_vin },
    Entry { id: CheckId::V2, group: Group::Vehicle, title_zh: "检验与保险", title_en: "Inspection & insurance", rule_ref: "《道路交通安全法》第十三条、第十七条", run: vehicle::v2_inspection_insurance },
    Entry { id: CheckId::V3, group: Group::Vehicle, title_zh: "道路运输证", title_en: "Road transport certificate", rule_ref: "《道路运输条例》第三十三条", run: vehicle::v3_road_transport_certificate },
    Entry { id: CheckId::V4, group: Group::Vehicle, title_zh: "车证一致", title_en: "Declared = licensed", rule_ref: "交通运输部令2016年第62号 (车货信息如实填写)", run: vehicle::v4_declared_equals_licensed },
    Entry { id: CheckId::V5, group: Group::Vehicle, title_zh: "牵引匹配", title_en: "Towing capacity", rule_ref: "GB 1589-2016 (准牵引总质量)", run: vehicle::v5_towing },
    Entry { id: CheckId::R1, group: Group::Route, title_zh: "线路连通与受理机关", title_en: "Route & authority", rule_ref: "交通运输部令2016年第62号 (受理机关)", run: route::r1_route_and_authority },
    Entry { id: CheckId::R2, group: Group::Route, title_zh: "类别与材料", title_en: "Class & materials", rule_ref: "交通运输部令2016年第62号 (大件运输许可类别、轮廓图和护送方案)", run: route::r2_class_and_materials },
    Entry { id: CheckId::R3, group: Group::Route, title_zh: "沿线构造物", title_en: "Structures", rule_ref: "《公路法》第五十条; JTG/T H21-2011", run: route::r3_structures },
    Entry { id: CheckId::R4, group: Group::Route, title_zh: "通行时段", title_en: "Travel window", rule_ref: "交通运输部令2016年第62号 (许可期限)", run: route::r4_travel_window },
    Entry { id: CheckId::G1, group: Group::Cargo, title_zh: "不可解体", title_en: "Indivisible", rule_ref: "交通运输部令2016年第62号 第二条 (不可解体物品)", run: cargo::g1_indivisible },
    Entry { id: CheckId::G2, group: Group::Cargo, title_zh: "尺寸质量勾稽", title_en: "Dimensions & mass", rule_ref: "交通运输部令2016年第62号 (车货总体外廓尺寸)", run: cargo::g2_arithmetic },
    Entry { id: CheckId::G3, group: Group::Cargo, title_zh: "轴荷", title_en: "Axle loads", rule_ref: "交通运输部令2016年第62号 第十七条", run: cargo::g3_axle_loads },
    Entry { id: CheckId::G4, group: Group::Cargo, title_zh: "超限认定", title_en: "Over-limit", rule_ref: "交通运输部令2016年第62号 第三条", run: cargo::g4_over_limit },
];

impl CheckId {
    /// Every check, in report order.
    pub fn all() -> impl Iterator<Item = CheckId> {
        CATALOGUE.iter().map(|e| e.id)
    }

    pub fn entry(self) -> &'static Entry {
        // The table is in enum order (a test holds it so).
        &CATALOGUE[self as usize]
    }

    /// `"P1"` … `"G4"`, as the report writes it.
    pub fn as_str(self) -> &'static str {
        const IDS: [&str; 21] = ["P1", "P2", "P3", "P4", "C1", "C2", "C3", "C4", "V1", "V2", "V3", "V4", "V5", "R1", "R2", "R3", "R4", "G1", "G2", "G3", "G4"];
        IDS[self as usize]
    }

    pub fn parse(s: &str) -> Option<CheckId> {
        CheckId::all().find(|c| c.as_str() == s)
    }

    pub fn title(self, l: Lang) -> &'static str {
        match l {
            Lang::Zh => self.entry().title_zh,
            Lang::En => self.entry().title_en,
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The report as a user reads it in `lang`: check titles (from this
/// catalogue) and messages in that language, one `message` per check. A
/// report stored before messages had two languages keeps the one it has.
pub fn localized(mut report: Report, lang: Lang) -> Report {
    for c in &mut report.checks {
        c.message = c.message_in(lang).to_string();
        c.message_en = None;
        if lang == Lang::En
            && let Some(id) = CheckId::parse(&c.id)
        {
            c.title = id.entry().title_en.to_string();
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_in_enum_order_and_each_id_reads_back() {
        for (i, e) in CATALOGUE.iter().enumerate() {
            assert_eq!(e.id as usize, i, "{} is out of place", e.id);
            assert_eq!(CheckId::parse(e.id.as_str()), Some(e.id));
            assert_eq!(format!("{:?}", e.id), e.id.as_str());
        }
        assert_eq!(CheckId::parse("X9"), None);
    }
}
