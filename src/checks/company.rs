//! Company 企业资质信息: C1–C4.

use chrono::Months;

use super::builder::{left_to_registry, opt};
use super::{Check, CheckId, Input};
use crate::document::DocKind;
use crate::registry::{Company, CompanyStatus};
use crate::lang::Lang;
use crate::report::{CheckResult, Source, Status};
use crate::tr;
use crate::types::{Until, Uscc, normalize};

/// The carrier's registry record; its absence is a finding of the calling
/// check (C2–C4 cannot establish anything without it).
fn company<'a>(c: &mut Check, input: &Input<'a>) -> Option<&'a Company> {
    let uscc = &input.form.carrier.uscc;
    let found = input.registry.company(uscc);
    if found.is_none() {
        c.fail(Status::Block, tr!(c.l, "登记库中没有承运人{uscc}", "the carrier {uscc} is not in the registry"));
    }
    found
}

/// C1 统一社会信用代码与名称: a valid, registered code shown on the business
/// licence; the same name everywhere (a name difference only warns).
pub fn c1_uscc_and_name(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::C1);
    let carrier = &input.form.carrier;
    c.form("carrier.uscc", carrier.uscc.as_str());
    c.form("carrier.name", carrier.name.as_str());
    match Uscc::parse(&carrier.uscc) {
        Ok(_) => c.ok(),
        Err(e) => {
            let e = e.say(l);
            c.fail(Status::Block, tr!(l, "承运人统一社会信用代码无效：{e}", "carrier.uscc is not a valid code: {e}"))
        }
    }
    let reg = company(&mut c, input);
    if let Some(r) = reg {
        c.registry("companies.name", r.name.as_str());
        let name = normalize::text(&r.name);
        let form = &carrier.name;
        c.expect(name == *form, Status::Warn, || {
            tr!(l, "登记库中承运人名称为“{name}”，申请表为“{form}”", "the registry names the carrier '{name}', the form '{form}'")
        });
    }
    if let Some(doc) = c.page(input, DocKind::BusinessLicence, None, Status::Block) {
        c.compare_field(doc, "uscc", &carrier.uscc, ("统一社会信用代码", "the USCC"), Status::Block);
        c.compare_party(doc, "company_name", &carrier.name, ("企业名称", "the company name"), Status::Warn, ("uscc", &carrier.uscc));
    }
    // The permit page is required by C2; here only its name is compared.
    if let Some(doc) = input.pages(DocKind::OperatingPermit, None).first() {
        c.compare_field(doc, "company_name", &carrier.name, ("许可证业户名称", "the permit holder"), Status::Warn);
    }
    c.finish(tr!(
        l,
        "承运人统一社会信用代码有效且已登记，名称在申请表、证照和登记库中一致",
        "the carrier's code is valid and registered, and its name agrees across form, licences and registry"
    ))
}

/// Whether a printed business scope lists the same items as the registry
/// (order and separators aside: `，` `；` `、` and OCR's `：` for `；`).
fn same_items(printed: &str, registered: &[String]) -> bool {
    let items = |s: &str| -> std::collections::BTreeSet<String> {
        normalize::text(s).split([',', ';', ':', '、']).filter(|i| !i.is_empty()).map(str::to_string).collect()
    };
    let reg: std::collections::BTreeSet<String> = registered.iter().flat_map(|s| items(s)).collect();
    !reg.is_empty() && items(printed) == reg
}

/// Whether `text` ends with the start of `item` (two characters at least:
/// …大型) or begins with its end (three at least: 物件运输…, since a
/// scope may well begin with 运输), not the whole item.
fn cut_through(text: &str, item: &str) -> bool {
    let chars: Vec<char> = item.chars().collect();
    let head = |n: usize| chars[..n].iter().collect::<String>();
    let tail = |n: usize| chars[chars.len() - n..].iter().collect::<String>();
    (2..chars.len()).any(|n| text.ends_with(&head(n))) || (3..chars.len()).any(|n| text.starts_with(&tail(n)))
}

/// Whether a registered scope (its items as the registry holds them)
/// includes `item`.
fn lists(scope: &[String], item: &str) -> bool {
    scope.iter().any(|s| normalize::text(s).contains(item))
}

/// C2 经营范围: the operating permit, on the page and in the registry,
/// includes 大型物件运输.
pub fn c2_scope(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::C2);
    let scope = &input.rules.company.required_scope.value;
    c.rule("required_scope", scope.as_str());
    let mut on_page = None;
    let page = c.page(input, DocKind::OperatingPermit, None, Status::Block);
    // The required scope printed in the permit's scope, read or not.
    if let Some(doc) = page
        && c.found_on_page(doc, "business_scope", scope)
    {
        on_page = doc.field("business_scope").filter(|f| f.is_readable()).map(|f| (doc, f.text()));
    } else if let Some(doc) = page
        && let Some(f) = c.field(doc, "business_scope")
    {
        let text = f.text();
        // A scope that starts with the required item's end or ends with its
        // start was cut where the item wraps to the next line (a table
        // cell): the item may be whole on the page, so no clear evidence.
        // So may a scope printed whole on a line the reading left out, or
        // one whose registry record holds the item: the page and the
        // authority's record disagree, which a misreading explains as well
        // as a page. (A scope the registry lacks blocks below.)
        let printed = doc.lines.iter().any(|line| normalize::text(&line.text).contains(scope.as_str()));
        let registered = input.registry.company(&input.form.carrier.uscc).is_some_and(|r| lists(&r.permit_scope, scope));
        let status = if cut_through(&text, scope) || printed || registered { Status::Warn } else { Status::Block };
        c.expect_read(doc, "business_scope", text.contains(scope.as_str()), status, || {
            if status == Status::Warn {
                tr!(l, "道路运输经营许可证的经营范围只读出“{text}”，{scope}可能跨行未读全：请对照原件", "the operating permit's scope reads only '{text}', where {scope} may wrap to another line: compare with the page")
            } else {
                tr!(l, "道路运输经营许可证的经营范围“{text}”不含{scope}", "the operating permit's scope '{text}' does not include {scope}")
            }
        });
        on_page = Some((doc, text));
    }
    if let Some(r) = company(&mut c, input) {
        c.registry("companies.permit_scope", r.permit_scope.clone());
        if let Some((doc, text)) = &on_page {
            c.confirm_if(doc, "business_scope", Source::Registry, same_items(text, &r.permit_scope));
        }
        c.expect(lists(&r.permit_scope, scope), Status::Block, || tr!(l, "登记的许可经营范围不含{scope}", "the registered permit scope does not include {scope}"));
    }
    c.finish(tr!(l, "道路运输经营许可包含{scope}", "the operating permit includes {scope}"))
}

/// C3 证照有效: the operating permit covers the travel window, the business
/// term contains the day of submission, the company is active.
pub fn c3_licences_valid(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::C3);
    let f = input.form;
    let (end, on) = (f.route.end_date, f.submitted_on);
    c.form("route.end_date", end.to_string());
    c.form("submitted_on", on.to_string());
    let reg = input.registry.company(&f.carrier.uscc);
    // Each page's date: the registry's, where it is printed there (then
    // compared as it), else the extractor's reading, which the registry
    // can still confirm.
    let pages = [
        (DocKind::OperatingPermit, "valid_until", reg.and_then(|r| r.permit_valid_until).map(Until::Date), end),
        (DocKind::BusinessLicence, "term_until", reg.and_then(|r| r.term_until), on),
    ];
    for (kind, key, registered, must_cover) in pages {
        let Some(doc) = input.pages(kind, None).first().copied() else { continue };
        let file = &doc.file;
        let fails = |until: Until| match kind {
            DocKind::OperatingPermit => tr!(
                l,
                "{file} 上的道路运输经营许可证于{until}到期，早于通行期结束日{end}",
                "the operating permit on {file} expires on {until}, before the travel window ends on {end}"
            ),
            _ => tr!(l, "{file} 上的营业期限已于{until}届满", "the business term on {file} ended on {until}"),
        };
        if let Some(u) = registered
            && c.found_until_on_page(doc, key, u)
        {
            c.expect(u.covers(must_cover), Status::Block, || fails(u));
        } else if !left_to_registry(doc, key, registered.is_some())
            && let Some(until) = c.until_field(doc, key)
        {
            c.expect_reading(doc, key, until, |u| u.covers(must_cover), Status::Block, || fails(until));
            c.confirm_if(doc, key, Source::Registry, registered == Some(until));
        }
    }
    if let Some(r) = company(&mut c, input) {
        c.registry("companies.permit_valid_until", opt(&r.permit_valid_until));
        c.registry("companies.term_until", opt(&r.term_until));
        c.registry("companies.status", serde_json::to_value(r.status).unwrap());
        match r.permit_valid_until {
            Some(u) => c.expect(Until::Date(u).covers(end), Status::Block, || {
                tr!(l, "登记的道路运输经营许可于{u}到期，早于{end}", "the registered operating permit expires on {u}, before {end}")
            }),
            None => c.fail(Status::Block, tr!(l, "登记库中没有经营许可有效期", "the registry holds no operating permit validity")),
        }
        match r.term_until {
            Some(u) => c.expect(u.covers(on), Status::Block, || tr!(l, "登记的营业期限已于{u}届满", "the registered business term ended on {u}")),
            None => c.fail(Status::Block, tr!(l, "登记库中没有营业期限", "the registry holds no business term")),
        }
        c.expect(r.status == CompanyStatus::Active, Status::Block, || {
            let status = serde_json::to_value(r.status).unwrap();
            tr!(l, "企业在登记库中的状态为{status}", "the company's registry status is {status}")
        });
    }
    c.finish(tr!(l, "道路运输经营许可和营业期限均有效，企业存续", "the operating permit and the business term are valid and the company is active"))
}

/// C4 限制申请与信用: no restriction period in force; a recent 车证不符
/// record warns.
pub fn c4_restriction(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::C4);
    let on = input.form.submitted_on;
    let Some(r) = company(&mut c, input) else { return c.finish("") };
    c.registry("companies.restricted_until", opt(&r.restricted_until));
    if let Some(until) = r.restricted_until {
        c.expect(until < on, Status::Block, || {
            tr!(l, "承运人在{until}前不得申请（{on}处于限制申请期内）", "the carrier may not apply until {until} (restriction in force on {on})")
        });
    } else {
        c.ok();
    }
    let rules = &input.rules.company;
    let years = rules.mismatch_lookback_years.value;
    let since = on.checked_sub_months(Months::new(12 * years)).unwrap_or(on);
    c.rule("mismatch_lookback_years", years);
    for v in &r.violations {
        if v.kind == rules.mismatch_violation_kind.value && v.date >= since && v.date <= on {
            c.registry("companies.violations", serde_json::to_value(v).unwrap());
            let (kind, date) = (&v.kind, v.date);
            c.fail(Status::Warn, tr!(l, "{date}有{kind}违法记录（{years}年内）", "a {kind} violation on {date} (within {years} years)"));
        }
    }
    c.finish(tr!(l, "不在限制申请期内，近期无车证不符记录", "no restriction period and no recent 车证不符 record"))
}

#[cfg(test)]
mod tests {
    use super::same_items;

    #[test]
    fn a_scope_lists_the_same_items_whatever_separates_them() {
        let reg = vec!["道路普通货物运输".to_string(), "大型物件运输".to_string()];
        assert!(same_items("大型物件运输，道路普通货物运输", &reg));
        assert!(same_items("道路普通货物运输：大型物件运输", &reg));
        assert!(!same_items("道路普通货物运输", &reg));
        assert!(!same_items("道路普通货物运输,大型物件运输,危险货物运输", &reg));
        assert!(!same_items("", &[]));
    }
}
