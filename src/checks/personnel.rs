//! Personnel 人员信息: P1–P4.

use super::builder::opt;
use super::{Check, Input};
use crate::document::{DocKind, Subject};
use crate::report::{CheckResult, Group, Status};
use crate::types::{IdNumber, Until};

/// P1 经办人身份: a valid ID number, and the ID card shows the same person.
pub fn p1_agent_identity(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "P1", Group::Personnel, "经办人身份", "GB 11643-1999");
    let agent = &input.form.agent;
    c.form("agent.name", agent.name.as_str());
    c.form("agent.id_number", agent.id_number.as_str());
    match IdNumber::parse(&agent.id_number) {
        Ok(_) => c.ok(),
        Err(e) => c.fail(Status::Block, format!("agent.id_number is not a valid ID number: {e}")),
    }
    if let Some(doc) = c.page(input, DocKind::IdCard, Some(Subject::Agent), Status::Block) {
        c.compare_field(doc, "name", &agent.name, "the name", Status::Block);
        c.compare_field(doc, "id_number", &agent.id_number, "the ID number", Status::Block);
    }
    c.finish("the agent's ID number is valid and the ID card shows the same name and number")
}

/// P2 授权委托书: the carrier authorises this agent, and the letter is in
/// force on the day of submission.
pub fn p2_authorization_letter(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "P2", Group::Personnel, "授权委托书", "交通运输部令2016年第62号 (申请材料：经办人身份证件和授权委托书)");
    let f = input.form;
    c.form("submitted_on", f.submitted_on.to_string());
    let Some(doc) = c.page(input, DocKind::AuthorizationLetter, None, Status::Block) else {
        return c.finish("");
    };
    c.compare_field(doc, "principal_name", &f.carrier.name, "the principal", Status::Block);
    c.compare_field(doc, "principal_uscc", &f.carrier.uscc, "the principal's USCC", Status::Block);
    c.compare_field(doc, "agent_name", &f.agent.name, "the agent's name", Status::Block);
    c.compare_field(doc, "agent_id_number", &f.agent.id_number, "the agent's ID number", Status::Block);
    if let Some(from) = c.date_field(doc, "valid_from") {
        c.expect(from <= f.submitted_on, Status::Block, || {
            format!("the letter only takes effect on {from}, after submitted_on {}", f.submitted_on)
        });
    }
    if let Some(until) = c.until_field(doc, "valid_until") {
        c.expect(until.covers(f.submitted_on), Status::Block, || {
            format!("the letter expired on {until}, before submitted_on {}", f.submitted_on)
        });
    }
    c.finish("the letter authorises this agent for this carrier and is in force")
}

/// The licence classes a printed 准驾车型 contains: `A2D` → [A2, D].
fn class_tokens(code: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for ch in code.chars() {
        if ch.is_ascii_digit() {
            if let Some(last) = out.last_mut() {
                last.push(ch);
            }
        } else if ch.is_ascii_alphabetic() {
            out.push(ch.to_ascii_uppercase().to_string());
        }
    }
    out
}

fn class_covers(code: &str, allowed: &[String]) -> bool {
    class_tokens(code).iter().any(|t| allowed.contains(t))
}

/// P3 驾驶证: per driver, the licence page and the registry agree, the
/// class covers the vehicle and the licence covers the travel window.
pub fn p3_driving_licence(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "P3", Group::Personnel, "驾驶证", "公安部令第162号《机动车驾驶证申领和使用规定》");
    let f = input.form;
    if f.drivers.is_empty() {
        return c.not_applicable("no driver is declared");
    }
    let combination = f.trailer.is_some();
    let classes = &input.rules.personnel.licence_classes;
    let allowed = if combination { &classes.combination.value } else { &classes.rigid.value };
    c.rule(if combination { "licence_classes.combination" } else { "licence_classes.rigid" }, allowed.clone());
    let (start, end) = (f.route.start_date, f.route.end_date);
    for (i, d) in f.drivers.iter().enumerate() {
        let who = format!("driver {i} ({})", d.name);
        c.form(&format!("drivers[{i}].name"), d.name.as_str());
        c.form(&format!("drivers[{i}].id_number"), d.id_number.as_str());
        let mut page_class = None;
        if let Some(doc) = c.page(input, DocKind::DrivingLicence, Some(Subject::Driver(i)), Status::Block) {
            c.compare_field(doc, "licence_number", &d.id_number, "the licence number", Status::Block);
            c.compare_field(doc, "name", &d.name, "the holder's name", Status::Block);
            if let Some(class) = c.field(doc, "permitted_class").map(|f| f.text()) {
                c.expect(class_covers(&class, allowed), Status::Block, || {
                    format!("{who}'s licence class {class} does not cover this vehicle (needs one of {})", allowed.join(", "))
                });
                page_class = Some(class);
            }
            if let Some(from) = c.date_field(doc, "valid_from") {
                c.expect(from <= start, Status::Block, || format!("{who}'s licence is only valid from {from}"));
            }
            if let Some(until) = c.until_field(doc, "valid_until") {
                c.expect(until.covers(end), Status::Block, || {
                    format!("{who}'s licence expires on {until}, before the travel window ends on {end}")
                });
            }
        }
        let Some(p) = input.registry.person(&d.id_number) else {
            c.fail(Status::Block, format!("{who} is not in the registry"));
            continue;
        };
        c.registry("persons.licence_class", opt(&p.licence_class));
        c.registry("persons.licence_status", opt(&p.licence_status));
        c.registry("persons.licence_valid_until", opt(&p.licence_valid_until));
        c.registry("persons.probation_until", opt(&p.probation_until));
        match (&p.licence_class, &page_class) {
            (None, _) => c.fail(Status::Block, format!("the registry holds no licence class for {who}")),
            (Some(reg), Some(page)) if reg != page => {
                c.fail(Status::Block, format!("the registry shows class {reg} for {who}, the licence page {page}"))
            }
            (Some(reg), _) => c.expect(class_covers(reg, allowed), Status::Block, || {
                format!("the registry's class {reg} for {who} does not cover this vehicle")
            }),
        }
        let ok_status = &input.rules.personnel.licence_status_ok.value;
        let status = p.licence_status.map(|s| serde_json::to_value(s).unwrap().as_str().unwrap_or("").to_string());
        c.expect(status.as_ref().is_some_and(|s| ok_status.contains(s)), Status::Block, || {
            format!("{who}'s licence status in the registry is {}", status.clone().unwrap_or("unknown".into()))
        });
        if let Some(u) = p.licence_valid_until {
            c.expect(u.covers(end), Status::Block, || format!("the registry shows {who}'s licence expiring on {u}"));
        }
        if combination && let Some(prob) = p.probation_until {
            c.expect(prob < start, Status::Block, || {
                format!("{who} is on probation until {prob}, which overlaps the travel window (a tractor may not be driven on probation)")
            });
        }
    }
    c.finish("every driver holds a valid licence of a class that covers the vehicle for the whole travel window")
}

/// P4 从业资格证: per driver, a freight driver's qualification covering
/// the travel window, held by the driver.
pub fn p4_qualification(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "P4", Group::Personnel, "从业资格证", "《道路运输从业人员管理规定》");
    let f = input.form;
    if f.drivers.is_empty() {
        return c.not_applicable("no driver is declared");
    }
    let freight = &input.rules.personnel.freight_categories.value;
    let is_freight = |cat: &str| freight.iter().any(|k| cat.contains(k.as_str()));
    let end = f.route.end_date;
    for (i, d) in f.drivers.iter().enumerate() {
        let who = format!("driver {i} ({})", d.name);
        c.form(&format!("drivers[{i}].name"), d.name.as_str());
        let page = input.pages(DocKind::QualificationCertificate, Some(Subject::Driver(i))).into_iter().next();
        let reg = input.registry.person(&d.id_number);
        if let Some(doc) = page {
            c.compare_field(doc, "name", &d.name, "the holder's name", Status::Warn);
            if let Some(cat) = c.field(doc, "category").map(|f| f.text()) {
                c.expect(is_freight(&cat), Status::Warn, || format!("{who}'s qualification category '{cat}' is not a freight driver's"));
            }
            if let Some(until) = c.until_field(doc, "valid_until") {
                c.expect(until.covers(end), Status::Warn, || format!("{who}'s qualification expires on {until}, before {end}"));
            }
            if let (Some(num), Some(reg_num)) =
                (doc.field("certificate_number").map(|f| f.text()), reg.and_then(|p| p.qualification_number.clone()))
            {
                c.expect(num == reg_num, Status::Warn, || {
                    format!("{who}'s certificate number on the page is {num}, the registry's {reg_num}")
                });
            }
        }
        let Some(p) = reg else {
            c.fail(Status::Warn, format!("{who} is not in the registry: no qualification on record"));
            continue;
        };
        c.registry("persons.qualification_category", opt(&p.qualification_category));
        c.registry("persons.qualification_valid_until", opt(&p.qualification_valid_until));
        match &p.qualification_category {
            Some(cat) => c.expect(is_freight(cat), Status::Warn, || {
                format!("{who}'s registered qualification '{cat}' is not a freight driver's")
            }),
            None => c.fail(Status::Warn, format!("the registry holds no qualification for {who}")),
        }
        match p.qualification_valid_until {
            Some(u) => c.expect(Until::Date(u).covers(end), Status::Warn, || {
                format!("the registry shows {who}'s qualification expiring on {u}, before {end}")
            }),
            None => c.fail(Status::Warn, format!("the registry holds no qualification validity for {who}")),
        }
    }
    c.finish("every driver holds a freight driver's qualification covering the travel window")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_licence_class_splits_into_its_classes() {
        assert_eq!(class_tokens("A2D"), vec!["A2", "D"]);
        assert_eq!(class_tokens("A1A2"), vec!["A1", "A2"]);
        assert_eq!(class_tokens("b2"), vec!["B2"]);
    }

    #[test]
    fn a_b2_licence_does_not_cover_a_tractor_but_covers_a_rigid_truck() {
        let combo = vec!["A2".to_string()];
        let rigid = vec!["A1".to_string(), "A2".to_string(), "B2".to_string()];
        assert!(!class_covers("B2", &combo));
        assert!(class_covers("B2", &rigid));
        assert!(class_covers("A2D", &combo));
        assert!(!class_covers("A1", &combo));
    }
}
