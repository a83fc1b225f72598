//! Whether a value read on a page is a value of its field's type, before
//! anything reports or compares it: codes by their grammar (GB 16735 VIN,
//! GA 36 plate, GB 32100 USCC, GB 11643 ID number, the licence classes),
//! dates that exist, numbers in the plausible range of `rules/fields.toml`,
//! names that look like names. A value that is not is **unreadable**
//! ([`Field::unreadable`]): the report keeps its text and box for the
//! clerk, and no check takes it for a value (`docs/checks.md`).

use serde_json::Value;

use crate::document::{DocKind, Document, Field, FieldType};
use crate::rules::{Fields as Bounds, Plausible};
use crate::types::{Code, Month, Until, normalize};
use chrono::Datelike;

/// The compiled-in bounds, for the extractor (which runs before any
/// `--rules` are known; [`settle`] applies the run's own).
pub(crate) fn embedded_bounds() -> &'static Bounds {
    &crate::rules::Rules::embedded_static().fields
}

/// Why `value`, read as `kind`'s `key`, is not a value of that field, or
/// `None` when it is one. Fields the kind does not list are not judged.
pub fn problem(kind: DocKind, key: &str, value: &Value, bounds: &Bounds) -> Option<String> {
    let t = kind.field_type(key)?;
    let text = match value {
        Value::Null => return Some("nothing was read".into()),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    match t {
        FieldType::Code => code_problem(key, &text, bounds),
        FieldType::Text => text_problem(key, &text),
        FieldType::Date => match Until::parse(&text) {
            Ok(Until::Date(d)) => year_problem(d.year()),
            _ => Some("not a date".into()),
        },
        FieldType::OpenEnd => match Until::parse(&text) {
            Ok(Until::Date(d)) => year_problem(d.year()),
            Ok(Until::LongTerm) => None,
            Err(_) => Some("not a date or long_term".into()),
        },
        FieldType::Month => match Month::parse(&text) {
            Ok(m) => year_problem(m.year),
            Err(_) => Some("not a month".into()),
        },
        FieldType::Mass => number_problem(value, plausible(key, t, bounds)?, "kg"),
        FieldType::Length => number_problem(value, plausible(key, t, bounds)?, "mm"),
        FieldType::Integer => number_problem(value, &bounds.approved_passengers, ""),
        FieldType::Sections => None,
    }
}

/// The plausible range of a mass or length field, `None` for other types.
pub(crate) fn plausible<'a>(key: &str, t: FieldType, bounds: &'a Bounds) -> Option<&'a Plausible> {
    match (t, key) {
        (FieldType::Mass, _) => Some(&bounds.mass_kg),
        (FieldType::Length, "width_mm") => Some(&bounds.width_mm),
        (FieldType::Length, "height_mm") => Some(&bounds.height_mm),
        (FieldType::Length, _) => Some(&bounds.length_mm),
        _ => None,
    }
}

/// A year no licence prints is a misread: a seal's ring made a 6 of the 0
/// in 2023 (`ocr::grammar::YEARS`).
fn year_problem(year: i32) -> Option<String> {
    (!crate::ocr::grammar::YEARS.contains(&year)).then(|| format!("{year} is not a plausible year"))
}

fn number_problem(value: &Value, b: &Plausible, unit: &str) -> Option<String> {
    match value.as_u64() {
        None => Some("not a number".into()),
        Some(n) if !b.contains(n) => Some(format!("{n} is outside the plausible {}–{} {unit}", b.min, b.max).trim_end().to_string()),
        Some(_) => None,
    }
}

fn code_problem(key: &str, text: &str, bounds: &Bounds) -> Option<String> {
    if let Some(code) = Code::of_field(key) {
        return code.check(text).err().map(|e| e.to_string());
    }
    match key {
        "permitted_class" => {
            let classes = &bounds.licence_classes.value;
            let tokens = normalize::licence_classes(text);
            let all_known = !tokens.is_empty() && tokens.iter().all(|t| classes.contains(t));
            let only_codes = text.chars().all(|c| c.is_ascii_alphanumeric());
            (!(all_known && only_codes)).then(|| format!("{text} is not a list of licence classes"))
        }
        // Certificate, permit, file and engine numbers have no common
        // grammar; a number has digits or letters, not one or two.
        _ => (text.chars().filter(char::is_ascii_alphanumeric).count() < 4).then(|| format!("{text} is too short for a number")),
    }
}

/// Fields that hold a person's name.
pub(super) const PERSON_NAMES: [&str; 3] = ["name", "agent_name", "legal_representative"];

fn text_problem(key: &str, text: &str) -> Option<String> {
    let n = text.chars().count();
    let han = text.chars().filter(|&c| normalize::is_han(c)).count();
    match key {
        // Chinese names have two characters or more; names of minorities
        // join their parts with a middle dot.
        k if PERSON_NAMES.contains(&k) => {
            let ok = (2..=24).contains(&n) && text.chars().all(|c| normalize::is_han(c) || c == '·') && han >= 2;
            (!ok).then(|| format!("{text} is not a person's name"))
        }
        "company_name" | "principal_name" | "operator_name" => (han < 4).then(|| format!("{text} is not a company's name")),
        "owner" => (han < 2).then(|| format!("{text} is not a person's or company's name")),
        "sex" => (!matches!(text, "男" | "女")).then(|| format!("{text} is not 男 or 女")),
        // An address names at least a city and a street, a business scope
        // at least one activity (普通货运): a character or two is a speck
        // of a seal or another line, not the value.
        "address" => (han < 4).then(|| format!("{text} is too short for an address")),
        "business_scope" => (han < 4).then(|| format!("{text} is too short for a business scope")),
        // A brand model is a brand and its model code (GB 9417: the
        // maker's letters and digits, 华骏牌ZCZ9400TPB); a word without
        // one is another line's (页 of 机动车行驶证副页, tagged on a copy).
        "brand_model" => (text.chars().filter(char::is_ascii_alphanumeric).count() < 3).then(|| format!("{text} has no model code")),
        _ => (!text.chars().any(char::is_alphanumeric)).then(|| format!("{text} has no letters or digits")),
    }
}

/// Marks every field of `doc` that is not a value of its type as
/// unreadable, and the misread dates of a validity read as ending before
/// it starts ([`ends_before_it_starts`]). Idempotent: a field already unreadable
/// stays as it is.
pub fn settle(doc: &mut Document, bounds: &Bounds) {
    let Some(kind) = doc.kind else { return };
    for (key, f) in doc.fields.iter_mut() {
        if !f.is_readable() {
            continue;
        }
        if let Some(why) = problem(kind, key, &f.value, bounds) {
            *f = Field::unreadable(&f.text(), why, f.confidence, f.bbox);
        }
    }
    for (keys, why) in ends_before_it_starts(doc) {
        for key in keys {
            let f = &doc.fields[key];
            let marked = Field::unreadable(&f.text(), why.clone(), f.confidence, f.bbox);
            doc.fields.insert(key.to_string(), Field { page: f.page, ..marked });
        }
    }
}

/// The dates that start what a page's validity ends.
const PERIOD_STARTS: [&str; 3] = ["valid_from", "issue_date", "first_issue_date"];
/// The dates (or 长期) that end it.
const PERIOD_ENDS: [&str; 2] = ["valid_until", "term_until"];

/// The fields of `doc` to mark unreadable because its validity is read as
/// ending before it starts, and why. No licence does: a date is misread
/// (a driving licence's 2029 read 2009, and the licence looked ten years
/// expired). An end before two starts is the one misread; before one,
/// nothing says which of the two is, and both are marked.
fn ends_before_it_starts(doc: &Document) -> Vec<(Vec<&'static str>, String)> {
    let date = |key: &str| doc.fields.get(key).filter(|f| f.is_readable()).and_then(|f| normalize::date(&f.text()));
    let mut out = vec![];
    for end in PERIOD_ENDS {
        let Some(e) = date(end) else { continue };
        let after: Vec<&'static str> = PERIOD_STARTS.into_iter().filter(|&s| date(s).is_some_and(|s| s > e)).collect();
        let starts = after.iter().map(|k| format!("{k} {}", doc.fields[*k].text())).collect::<Vec<_>>().join(" and ");
        let why = format!("{end} {e} is before {starts}: a date is misread");
        match after.as_slice() {
            [] => {}
            [start] => out.push((vec![*start, end], why)),
            _ => out.push((vec![end], why)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn why(kind: DocKind, key: &str, v: Value) -> Option<String> {
        problem(kind, key, &v, embedded_bounds())
    }

    #[test]
    fn a_vin_of_the_wrong_length_or_with_a_bad_check_digit_is_no_vin() {
        let vl = DocKind::VehicleLicence;
        assert_eq!(why(vl, "vin", json!("LA9LB3D37KBJXC012")), None);
        assert!(why(vl, "vin", json!("BJ4259SNFKB")).unwrap().contains("17"));
        assert!(why(vl, "vin", json!("LA9LB3D38KBJXC012")).unwrap().contains("check"));
    }

    #[test]
    fn a_plate_is_judged_by_ga_36() {
        let vl = DocKind::VehicleLicence;
        assert_eq!(why(vl, "plate_number", json!("鲁H6789挂")), None);
        assert!(why(vl, "plate_number", json!("鲁")).is_some());
        assert!(why(vl, "plate_number", json!("鲁HO789挂")).is_some());
    }

    #[test]
    fn numbers_outside_their_plausible_range_are_misreadings() {
        let vl = DocKind::VehicleLicence;
        assert_eq!(why(vl, "curb_mass_kg", json!(9200)), None);
        assert!(why(vl, "length_mm", json!(4294967295u64)).unwrap().contains("outside"));
        assert!(why(vl, "height_mm", json!("A")).unwrap().contains("not a number"));
        assert!(why(vl, "curb_mass_kg", json!("G0438")).is_some());
        assert!(why(vl, "width_mm", json!(25500)).is_some());
        assert_eq!(why(vl, "width_mm", json!(2550)), None);
    }

    #[test]
    fn dates_must_exist_and_long_term_only_where_a_validity_may_be_open() {
        let dl = DocKind::DrivingLicence;
        assert_eq!(why(dl, "valid_until", json!("long_term")), None);
        assert!(why(dl, "valid_from", json!("long_term")).is_some());
        assert!(why(dl, "valid_from", json!("2026-02-30")).is_some());
        assert_eq!(why(DocKind::VehicleLicence, "inspection_valid_until", json!("2027-05")), None);
        assert!(why(DocKind::VehicleLicence, "inspection_valid_until", json!("2027-13")).is_some());
    }

    #[test]
    fn a_date_of_a_year_no_licence_prints_is_a_misreading() {
        let vl = DocKind::VehicleLicence;
        assert_eq!(why(vl, "register_date", json!("2623-02-04")).as_deref(), Some("2623 is not a plausible year"));
        assert_eq!(why(vl, "register_date", json!("2023-02-04")), None);
        assert!(why(vl, "inspection_valid_until", json!("2627-05")).is_some());
        assert!(why(DocKind::DrivingLicence, "valid_until", json!("2926-05-01")).is_some());
    }

    #[test]
    fn a_name_of_one_character_is_a_misreading_and_a_dotted_name_is_a_name() {
        let id = DocKind::IdCard;
        assert!(why(id, "name", json!("王")).is_some());
        assert_eq!(why(id, "name", json!("王琳")), None);
        assert_eq!(why(id, "name", json!("阿依古丽·买买提")), None);
        assert!(why(id, "name", json!("F")).is_some());
        assert!(why(DocKind::BusinessLicence, "company_name", json!("州大通")).is_some());
    }

    #[test]
    fn a_character_of_a_seal_is_no_address_or_business_scope() {
        let op = DocKind::OperatingPermit;
        assert!(why(op, "business_scope", json!("运")).is_some());
        assert_eq!(why(op, "business_scope", json!("普通货运")), None);
        assert!(why(op, "address", json!("济宁")).is_some());
        assert_eq!(why(op, "address", json!("济宁市物流园路1号")), None);
    }

    #[test]
    fn a_brand_model_has_its_model_code() {
        let vl = DocKind::VehicleLicence;
        assert_eq!(why(vl, "brand_model", json!("华骏牌ZCZ9400TPB")), None);
        assert_eq!(why(vl, "brand_model", json!("DFH4250A")), None);
        assert_eq!(why(vl, "brand_model", json!("页")).as_deref(), Some("页 has no model code"));
        assert!(why(vl, "brand_model", json!("东风牌")).is_some());
    }

    #[test]
    fn licence_classes_come_from_the_list() {
        let dl = DocKind::DrivingLicence;
        assert_eq!(why(dl, "permitted_class", json!("A2D")), None);
        assert_eq!(why(dl, "permitted_class", json!("B2")), None);
        assert!(why(dl, "permitted_class", json!("A9")).is_some());
        assert!(why(dl, "permitted_class", json!("DAM")).is_some());
    }

    #[test]
    fn a_period_read_as_ending_before_it_starts_leaves_its_misread_date_unreadable() {
        let read = [("first_issue_date", json!("2016-05-31")), ("valid_from", json!("2019-09-10")), ("valid_until", json!("2009-09-10"))];
        let mut d = Document::read_for_test(DocKind::DrivingLicence, &read);
        let bbox = d.fields["valid_from"].bbox;
        let once = d.clone();
        settle(&mut d, embedded_bounds());
        // Before both starts: the end is the misread date.
        let until = &d.fields["valid_until"];
        assert_eq!(until.unreadable.as_deref(), Some("valid_until 2009-09-10 is before valid_from 2019-09-10 and first_issue_date 2016-05-31: a date is misread"));
        assert!(d.fields["valid_from"].is_readable() && d.fields["first_issue_date"].is_readable());
        // Before one start, either may be misread: both are unreadable.
        let mut d = once;
        d.fields.remove("first_issue_date");
        settle(&mut d, embedded_bounds());
        assert!(!d.fields["valid_from"].is_readable() && !d.fields["valid_until"].is_readable());
        assert_eq!(d.fields["valid_from"].raw.as_deref(), Some("2019-09-10"));
        // A period in order stays as read.
        d.fields.insert("valid_until".into(), Field::new(json!("2029-09-10"), 0.9, bbox));
        d.fields.insert("valid_from".into(), Field::new(json!("2019-09-10"), 0.9, bbox));
        settle(&mut d, embedded_bounds());
        assert!(d.fields["valid_from"].is_readable() && d.fields["valid_until"].is_readable());
    }

    #[test]
    fn settling_keeps_the_text_and_box_of_an_unreadable_field_and_drops_its_value() {
        let mut d = Document::read_for_test(DocKind::VehicleLicence, &[("vin", json!("BJ4259SNFKB")), ("plate_number", json!("鲁H6789挂"))]);
        let bbox = d.fields["vin"].bbox;
        settle(&mut d, embedded_bounds());
        let vin = &d.fields["vin"];
        assert!(!vin.is_readable());
        assert_eq!((vin.raw.as_deref(), vin.bbox, vin.value.clone()), (Some("BJ4259SNFKB"), bbox, Value::Null));
        assert!(d.fields["plate_number"].is_readable());
        let json = serde_json::to_value(vin).unwrap();
        assert!(json.get("value").is_none() && json["unreadable"].is_string() && json["raw"] == "BJ4259SNFKB", "{json}");
        let once = d.clone();
        settle(&mut d, embedded_bounds());
        assert_eq!(d, once);
    }
}
