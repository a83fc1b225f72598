//! Personnel 人员信息: P1–P4.

use super::builder::{left_to_registry, opt, part_of};
use super::{Check, CheckId, Input};
use crate::document::{DocKind, Document, Subject};
use crate::lang::Lang;
use crate::report::{CheckResult, Source, Status};
use crate::tr;
use crate::types::{IdNumber, Until};

/// P1 经办人身份: a valid ID number, and the ID card shows the same person.
pub fn p1_agent_identity(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::P1);
    let agent = &input.form.agent;
    c.form("agent.name", agent.name.as_str());
    c.form("agent.id_number", agent.id_number.as_str());
    match IdNumber::parse(&agent.id_number) {
        Ok(_) => c.ok(),
        Err(e) => {
            let e = e.say(l);
            c.fail(Status::Block, tr!(l, "经办人身份证号码无效：{e}", "agent.id_number is not a valid ID number: {e}"))
        }
    }
    if let Some(doc) = c.page(input, DocKind::IdCard, Some(Subject::Agent), Status::Block) {
        c.compare_party(doc, "name", &agent.name, ("姓名", "the name"), Status::Block, ("id_number", &agent.id_number));
        c.compare_field(doc, "id_number", &agent.id_number, ("身份证号码", "the ID number"), Status::Block);
    }
    c.finish(tr!(l, "经办人身份证号码有效，身份证上的姓名和号码与申请表一致", "the agent's ID number is valid and the ID card shows the same name and number"))
}

/// P2 授权委托书: the carrier authorises this agent, and the letter is in
/// force on the day of submission.
pub fn p2_authorization_letter(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::P2);
    let f = input.form;
    c.form("submitted_on", f.submitted_on.to_string());
    let Some(doc) = c.page(input, DocKind::AuthorizationLetter, None, Status::Block) else {
        return c.finish("");
    };
    c.compare_party(doc, "principal_name", &f.carrier.name, ("委托单位", "the principal"), Status::Block, ("principal_uscc", &f.carrier.uscc));
    c.compare_field(doc, "principal_uscc", &f.carrier.uscc, ("委托单位统一社会信用代码", "the principal's USCC"), Status::Block);
    c.compare_party(doc, "agent_name", &f.agent.name, ("受托人姓名", "the agent's name"), Status::Block, ("agent_id_number", &f.agent.id_number));
    c.compare_field(doc, "agent_id_number", &f.agent.id_number, ("受托人身份证号码", "the agent's ID number"), Status::Block);
    let submitted = f.submitted_on;
    if let Some(from) = c.date_field(doc, "valid_from") {
        c.expect_reading(doc, "valid_from", from, |&d| d <= submitted, Status::Block, || {
            tr!(l, "委托书自{from}起生效，晚于申请日期{submitted}", "the letter only takes effect on {from}, after submitted_on {submitted}")
        });
    }
    if let Some(until) = c.until_field(doc, "valid_until") {
        c.expect_reading(doc, "valid_until", until, |u| u.covers(submitted), Status::Block, || {
            tr!(l, "委托书已于{until}到期，早于申请日期{submitted}", "the letter expired on {until}, before submitted_on {submitted}")
        });
    }
    c.finish(tr!(l, "委托书授权该经办人代表该承运人办理，且在有效期内", "the letter authorises this agent for this carrier and is in force"))
}

/// How messages name a driver: by index in the form and name.
fn driver(l: Lang, i: usize, name: &str) -> String {
    tr!(l, "驾驶员{i}（{name}）", "driver {i} ({name})")
}

fn class_covers(code: &str, allowed: &[String]) -> bool {
    crate::types::normalize::licence_classes(code).iter().any(|t| allowed.contains(t))
}

/// P3 驾驶证: per driver, the licence page and the registry agree, the
/// class covers the vehicle and the licence covers the travel window.
pub fn p3_driving_licence(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::P3);
    let f = input.form;
    if f.drivers.is_empty() {
        return c.not_applicable(tr!(l, "未申报驾驶员", "no driver is declared"));
    }
    let combination = f.trailer.is_some();
    let classes = &input.rules.personnel.licence_classes;
    let allowed = if combination { &classes.combination.value } else { &classes.rigid.value };
    c.rule(if combination { "licence_classes.combination" } else { "licence_classes.rigid" }, allowed.clone());
    let (start, end) = (f.route.start_date, f.route.end_date);
    for (i, d) in f.drivers.iter().enumerate() {
        let who = driver(l, i, &d.name);
        c.form(&format!("drivers[{i}].name"), d.name.as_str());
        c.form(&format!("drivers[{i}].id_number"), d.id_number.as_str());
        let (mut page_class, mut page_until) = (None, None);
        let page = c.page(input, DocKind::DrivingLicence, Some(Subject::Driver(i)), Status::Block);
        if let Some(doc) = page {
            c.compare_field(doc, "licence_number", &d.id_number, ("证号", "the licence number"), Status::Block);
            c.compare_party(doc, "name", &d.name, ("持证人姓名", "the holder's name"), Status::Block, ("licence_number", &d.id_number));
            let reg = input.registry.person(&d.id_number);
            if !left_to_registry(doc, "permitted_class", reg.is_some_and(|p| p.licence_class.is_some()))
                && let Some(class) = c.field(doc, "permitted_class").map(|f| f.text())
            {
                let needs = allowed.join(", ");
                c.expect_read(doc, "permitted_class", class_covers(&class, allowed), Status::Block, || {
                    tr!(l, "{who}的准驾车型{class}不能驾驶本车（需为{needs}之一）", "{who}'s licence class {class} does not cover this vehicle (needs one of {needs})")
                });
                page_class = Some(class);
            }
            // The registry's dates, where the page prints them, are compared
            // as they are; else the extractor's reading, which the registry
            // can still confirm.
            let from_msg = |from| tr!(l, "{who}的驾驶证自{from}起才有效", "{who}'s licence is only valid from {from}");
            let reg_from = reg.and_then(|p| p.licence_valid_from);
            // A start the page does not show is the registry's, judged here.
            if let Some(from) = reg_from
                && (left_to_registry(doc, "valid_from", true) || c.found_on_page(doc, "valid_from", &from.to_string()))
            {
                c.expect(from <= start, Status::Block, || from_msg(from));
            } else if let Some(from) = c.date_field(doc, "valid_from") {
                c.expect_reading(doc, "valid_from", from, |&d| d <= start, Status::Block, || from_msg(from));
                c.confirm_if(doc, "valid_from", Source::Registry, reg_from == Some(from));
            }
            let reg_until = reg.and_then(|p| p.licence_valid_until);
            if left_to_registry(doc, "valid_until", reg_until.is_some()) {
                // Not shown on a read page: the registry's date is judged below.
            } else if let Some(until) = reg_until
                && c.found_until_on_page(doc, "valid_until", until)
            {
                c.expect(until.covers(end), Status::Block, || {
                    tr!(l, "{who}的驾驶证于{until}到期，早于通行期结束日{end}", "{who}'s licence expires on {until}, before the travel window ends on {end}")
                });
                page_until = Some(until);
            } else if let Some(until) = c.until_field(doc, "valid_until") {
                c.expect_reading(doc, "valid_until", until, |u| u.covers(end), Status::Block, || {
                    tr!(l, "{who}的驾驶证于{until}到期，早于通行期结束日{end}", "{who}'s licence expires on {until}, before the travel window ends on {end}")
                });
                page_until = Some(until);
            }
        }
        let Some(p) = input.registry.person(&d.id_number) else {
            c.fail(Status::Block, tr!(l, "登记库中没有{who}", "{who} is not in the registry"));
            continue;
        };
        c.registry("persons.licence_class", opt(&p.licence_class));
        c.registry("persons.licence_status", opt(&p.licence_status));
        c.registry("persons.licence_valid_until", opt(&p.licence_valid_until));
        c.registry("persons.probation_until", opt(&p.probation_until));
        if let Some(doc) = page {
            c.confirm_if(doc, "permitted_class", Source::Registry, page_class.is_some() && p.licence_class == page_class);
            c.confirm_if(doc, "valid_until", Source::Registry, page_until.is_some() && p.licence_valid_until == page_until);
        }
        let mismatch = page.map_or(Status::Block, |doc| c.on_reading(doc, "permitted_class", Status::Block));
        match (&p.licence_class, &page_class) {
            (None, _) => c.fail(Status::Block, tr!(l, "登记库中没有{who}的准驾车型", "the registry holds no licence class for {who}")),
            (Some(reg), Some(page)) if reg != page => c.fail(
                mismatch,
                tr!(l, "登记库中{who}的准驾车型为{reg}，驾驶证上为{page}", "the registry shows class {reg} for {who}, the licence page {page}"),
            ),
            (Some(reg), _) => c.expect(class_covers(reg, allowed), Status::Block, || {
                tr!(l, "登记库中{who}的准驾车型{reg}不能驾驶本车", "the registry's class {reg} for {who} does not cover this vehicle")
            }),
        }
        let ok_status = &input.rules.personnel.licence_status_ok.value;
        let status = p.licence_status.map(|s| serde_json::to_value(s).unwrap().as_str().unwrap_or("").to_string());
        c.expect(status.as_ref().is_some_and(|s| ok_status.contains(s)), Status::Block, || {
            let status = status.clone().unwrap_or(tr!(l, "未知", "unknown"));
            tr!(l, "登记库中{who}的驾驶证状态为{status}", "{who}'s licence status in the registry is {status}")
        });
        if let Some(u) = p.licence_valid_until {
            c.expect(u.covers(end), Status::Block, || tr!(l, "登记库显示{who}的驾驶证于{u}到期", "the registry shows {who}'s licence expiring on {u}"));
        }
        if combination && let Some(prob) = p.probation_until {
            c.expect(prob < start, Status::Block, || {
                tr!(
                    l,
                    "{who}实习期至{prob}，与通行期重叠（实习期内不得驾驶牵引车）",
                    "{who} is on probation until {prob}, which overlaps the travel window (a tractor may not be driven on probation)"
                )
            });
        }
    }
    c.finish(tr!(l, "每名驾驶员的驾驶证均有效，准驾车型覆盖本车，且覆盖整个通行期", "every driver holds a valid licence of a class that covers the vehicle for the whole travel window"))
}

/// Whether a qualification category as read names one that is not a
/// freight driver's: it is none of the freight ones, and some other of
/// `categories` fits it (edit distance to its closest stretch of that
/// category's name) better than every freight one. A fragment or a misread
/// freight category ('员', '经营性道路贷物运维驾硬员') fits a freight
/// category at least as well, so the page shows no other category.
fn names_other_category(read: &str, categories: &[String], is_freight: impl Fn(&str) -> bool) -> bool {
    if is_freight(read) {
        return false;
    }
    let read: Vec<char> = crate::types::normalize::text(read).chars().collect();
    let fit = |name: &String| crate::ocr::metrics::best_stretch_distance(&read, &name.chars().collect::<Vec<_>>());
    let best = |freight: bool| categories.iter().filter(|k| is_freight(k) == freight).map(fit).min();
    match (best(false), best(true)) {
        (Some(other), Some(freight)) => other < freight,
        // Without a list to compare with, whatever is not freight is another.
        _ => true,
    }
}

/// P4 从业资格证: per driver, a freight driver's qualification covering
/// the travel window, held by the driver.
pub fn p4_qualification(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::P4);
    let f = input.form;
    if f.drivers.is_empty() {
        return c.not_applicable(tr!(l, "未申报驾驶员", "no driver is declared"));
    }
    let freight = &input.rules.personnel.freight_categories.value;
    let is_freight = |cat: &str| freight.iter().any(|k| cat.contains(k.as_str()));
    let categories = &input.rules.personnel.qualification_categories.value;
    let end = f.route.end_date;
    for (i, d) in f.drivers.iter().enumerate() {
        let who = driver(l, i, &d.name);
        c.form(&format!("drivers[{i}].name"), d.name.as_str());
        let page = input.pages(DocKind::QualificationCertificate, Some(Subject::Driver(i))).into_iter().next();
        if page.is_none() {
            // No page names this driver, but one tied to nobody names its
            // holder clearly, and no driver of the form: the applicant
            // uploaded someone else's certificate. Its name against the
            // driver's is the evidence. A name that may be a driver's
            // misread (林宁 read for 周林宁) is no such evidence.
            let names_a_driver = |doc: &Document| {
                let read = doc.field("name").map(|n| crate::types::normalize::text(&n.text())).unwrap_or_default();
                f.drivers.iter().any(|x| {
                    super::on_page::find(doc, "name", &x.name).is_some() || part_of(&read, &x.name) || part_of(&x.name, &read)
                })
            };
            let others = input
                .pages(DocKind::QualificationCertificate, None)
                .into_iter()
                .filter(|d| d.subject.is_none() && input.identified(d) && !names_a_driver(d));
            for doc in others {
                c.compare_field(doc, "name", &d.name, ("持证人姓名", "the holder's name"), Status::Warn);
            }
        }
        let reg = input.registry.person(&d.id_number);
        let (mut page_cat, mut page_until) = (None, None);
        if let Some(doc) = page {
            c.compare_field(doc, "name", &d.name, ("持证人姓名", "the holder's name"), Status::Warn);
            // The registry's freight category printed where the category
            // is: the page's word, whatever span the extractor took.
            let registered = reg.and_then(|p| p.qualification_category.clone()).filter(|k| is_freight(k));
            if let Some(k) = registered.filter(|k| c.found_on_page(doc, "category", k)) {
                page_cat = Some(k);
            } else if let Some(read) = c.field(doc, "category").map(|f| f.text()) {
                page_cat = Some(read.clone());
                // Another category printed where the category is, or read
                // there: a category read in part ('员', '路运输') is no
                // evidence of another, only one another category fits
                // better is.
                let printed = categories.iter().filter(|k| !is_freight(k)).find(|k| c.found_on_page(doc, "category", k));
                let other = printed.is_some() || names_other_category(&read, categories, is_freight);
                let cat = printed.cloned().unwrap_or(read);
                c.expect_read(doc, "category", !other, Status::Warn, || {
                    tr!(l, "{who}的从业资格类别“{cat}”不是货运驾驶员", "{who}'s qualification category '{cat}' is not a freight driver's")
                });
            }
            if let Some(until) = c.until_field(doc, "valid_until") {
                c.expect_reading(doc, "valid_until", until, |u| u.covers(end), Status::Warn, || {
                    tr!(l, "{who}的从业资格证于{until}到期，早于{end}", "{who}'s qualification expires on {until}, before {end}")
                });
                page_until = Some(until);
            }
            if let (Some(num), Some(reg_num)) =
                (doc.field("certificate_number").map(|f| f.text()), reg.and_then(|p| p.qualification_number.clone()))
            {
                c.expect(num == reg_num, Status::Warn, || {
                    tr!(l, "{who}的从业资格证号页面上为{num}，登记库为{reg_num}", "{who}'s certificate number on the page is {num}, the registry's {reg_num}")
                });
            }
            // The 18-character number the registry holds for this driver's
            // certificate (most often the ID number), printed sure, names
            // the holder as the ID number does on a driving licence.
            if let Some(number) = reg.and_then(|p| p.qualification_number.as_deref()) {
                c.vouched_by_registry(doc, "name", &d.name, "certificate_number", number);
            }
        }
        let Some(p) = reg else {
            c.fail(Status::Warn, tr!(l, "登记库中没有{who}，无从业资格记录", "{who} is not in the registry: no qualification on record"));
            continue;
        };
        c.registry("persons.qualification_category", opt(&p.qualification_category));
        c.registry("persons.qualification_valid_until", opt(&p.qualification_valid_until));
        if let Some(doc) = page {
            c.confirm_if(doc, "category", Source::Registry, page_cat.is_some() && p.qualification_category == page_cat);
            c.confirm_if(doc, "valid_until", Source::Registry, page_until.is_some() && p.qualification_valid_until.map(Until::Date) == page_until);
        }
        match &p.qualification_category {
            Some(cat) => c.expect(is_freight(cat), Status::Warn, || {
                tr!(l, "登记库中{who}的从业资格“{cat}”不是货运驾驶员", "{who}'s registered qualification '{cat}' is not a freight driver's")
            }),
            None => c.fail(Status::Warn, tr!(l, "登记库中没有{who}的从业资格", "the registry holds no qualification for {who}")),
        }
        match p.qualification_valid_until {
            Some(u) => c.expect(Until::Date(u).covers(end), Status::Warn, || {
                tr!(l, "登记库显示{who}的从业资格于{u}到期，早于{end}", "the registry shows {who}'s qualification expiring on {u}, before {end}")
            }),
            None => c.fail(Status::Warn, tr!(l, "登记库中没有{who}的从业资格有效期", "the registry holds no qualification validity for {who}")),
        }
    }
    c.finish(tr!(l, "每名驾驶员均持有覆盖通行期的货运驾驶员从业资格证", "every driver holds a freight driver's qualification covering the travel window"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_licence_class_splits_into_its_classes() {
        assert_eq!(crate::types::normalize::licence_classes("A2D"), vec!["A2", "D"]);
        assert_eq!(crate::types::normalize::licence_classes("A1A2"), vec!["A1", "A2"]);
        assert_eq!(crate::types::normalize::licence_classes("b2"), vec!["B2"]);
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
