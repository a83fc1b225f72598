//! What each page prints: its fields (printed text + normalised value) and
//! the other content the layout needs. Built from the registry records, so
//! a page agrees with the registry unless a defect says otherwise.

use std::collections::BTreeMap;

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::apps::{add_days, Sim};
use super::layout::Printed;
use super::pools::pick;
use dajian::document::{DocKind, Subject};
use dajian::form::Application;
use dajian::registry::{Person, Vehicle};
use dajian::types::{normalize, Date, Month, Until};

pub const SECTIONS: [(&str, &str); 5] = [
    ("vehicles", "护送车辆配置"),
    ("personnel", "护送人员配备"),
    ("route", "护送路线情况说明"),
    ("procedure", "护送操作细则"),
    ("contingency", "异常情况处理"),
];

#[derive(Debug, Clone)]
pub struct PageDoc {
    pub file: String,
    pub kind: DocKind,
    pub subject: Option<Subject>,
    pub declared: bool,
    pub degraded: bool,
    pub values: BTreeMap<&'static str, Printed>,
    pub extra: BTreeMap<&'static str, String>,
    /// 0 `2026年03月08日`, 1 `2026-03-08`, 2 `2026.03.08`, 3 `2026年3月8日`.
    pub date_style: u8,
    pub seed: u64,
}

impl PageDoc {
    /// The issuing authority the page prints, empty where the page has none.
    pub fn authority(&self) -> String {
        self.extra.get("authority").cloned().unwrap_or_default()
    }
}

pub fn fmt_date(d: Date, style: u8) -> String {
    use chrono::Datelike;
    match style {
        0 => format!("{}年{:02}月{:02}日", d.year(), d.month(), d.day()),
        1 => d.to_string(),
        2 => format!("{}.{:02}.{:02}", d.year(), d.month(), d.day()),
        _ => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

pub fn fmt_month(m: Month, style: u8) -> String {
    match style {
        1 => m.to_string(),
        2 => format!("{}.{:02}", m.year, m.month),
        _ => format!("{}年{:02}月", m.year, m.month),
    }
}

impl PageDoc {
    pub fn new(rng: &mut ChaCha8Rng, kind: DocKind, subject: Option<Subject>) -> PageDoc {
        PageDoc {
            file: String::new(),
            kind,
            subject,
            declared: rng.random_range(0..3) != 0,
            degraded: rng.random_bool(0.5),
            values: BTreeMap::new(),
            extra: BTreeMap::new(),
            date_style: rng.random_range(0..4),
            seed: rng.random(),
        }
    }

    fn put(&mut self, key: &'static str, printed: String, value: Value) {
        self.values.insert(key, Printed { printed, value });
    }

    pub fn set_text(&mut self, key: &'static str, s: &str) {
        self.put(key, s.to_string(), json!(normalize::text(s)));
    }

    pub fn set_code(&mut self, key: &'static str, s: &str) {
        self.put(key, s.to_string(), json!(normalize::code(s)));
    }

    pub fn set_date(&mut self, key: &'static str, d: Date) {
        let p = fmt_date(d, self.date_style);
        debug_assert_eq!(normalize::date(&p), Some(d));
        self.put(key, p, json!(d.to_string()));
    }

    /// A date as the ID card prints it, in three boxes: `1980 年 1 月 1 日`.
    pub fn set_card_date(&mut self, key: &'static str, d: Date) {
        use chrono::Datelike;
        self.put(key, format!("{} 年 {} 月 {} 日", d.year(), d.month(), d.day()), json!(d.to_string()));
    }

    pub fn set_until(&mut self, key: &'static str, u: Until) {
        match u {
            Until::LongTerm => self.put(key, "长期".into(), json!("long_term")),
            Until::Date(d) => self.set_date(key, d),
        }
    }

    pub fn set_month(&mut self, key: &'static str, m: Month) {
        let p = fmt_month(m, self.date_style);
        debug_assert_eq!(normalize::month(&p), Some(m));
        self.put(key, p, json!(m.to_string()));
    }

    pub fn set_kg(&mut self, key: &'static str, kg: u32) {
        let p = if self.date_style == 3 && kg % 1000 == 0 { format!("{}吨", kg / 1000) } else { format!("{kg}kg") };
        debug_assert_eq!(normalize::mass(&p).map(|k| k.0), Some(kg));
        self.put(key, p, json!(kg));
    }

    pub fn set_num(&mut self, key: &'static str, n: u32) {
        self.put(key, n.to_string(), json!(n));
    }

    pub fn x(&mut self, key: &'static str, s: impl Into<String>) {
        self.extra.insert(key, s.into());
    }
}

fn authority_police(sim: &Sim, uscc: &str) -> String {
    let city = &sim.company_extra[uscc].city;
    let (p, c) = super::regions::city(city).unwrap();
    format!("{}{}公安局交通警察支队", p.name, c.name)
}

fn city_name(sim: &Sim, uscc: &str) -> (String, String) {
    let city = &sim.company_extra[uscc].city;
    let (p, c) = super::regions::city(city).unwrap();
    (p.name.to_string(), c.name.to_string())
}

pub fn fill_id_card(pg: &mut PageDoc, p: &Person, _rng: &mut ChaCha8Rng) {
    pg.set_text("name", &p.name);
    pg.set_text("sex", p.sex.as_deref().unwrap_or("男"));
    pg.set_text("ethnicity", "汉");
    pg.set_card_date("birth_date", p.birth_date.unwrap());
    pg.set_text("address", p.address.as_deref().unwrap_or(""));
    pg.set_code("id_number", p.id_number.as_str());
}

fn vehicle_licence(sim: &Sim, rng: &mut ChaCha8Rng, v: &Vehicle, subject: Subject) -> PageDoc {
    let mut pg = PageDoc::new(rng, DocKind::VehicleLicence, Some(subject));
    let uscc = v.owner_uscc.as_ref().unwrap().to_string();
    pg.set_code("plate_number", v.plate.as_str());
    pg.set_text("vehicle_type", v.vehicle_type.as_deref().unwrap());
    pg.set_text("owner", v.owner.as_deref().unwrap());
    let addr = sim.world.companies.iter().find(|c| c.uscc.as_str() == uscc).and_then(|c| c.address.clone()).unwrap();
    pg.set_text("address", &addr);
    pg.set_text("use_character", v.use_character.as_deref().unwrap());
    pg.set_text("brand_model", v.brand_model.as_deref().unwrap());
    pg.set_code("vin", v.vin.as_deref().unwrap());
    if let Some(e) = &v.engine_number {
        pg.set_code("engine_number", e);
    }
    let reg = v.register_date.unwrap();
    pg.set_date("register_date", reg);
    pg.set_date("issue_date", add_days(reg, rng.random_range(0..=3)));
    pg.set_code("file_number", &format!("{}{:06}", &uscc[2..8], rng.random_range(0..1_000_000)));
    if subject == Subject::Tractor {
        pg.set_num("approved_passengers", if v.rated_load_kg.is_some() { 3 } else { 2 });
    }
    pg.set_kg("total_mass_kg", v.total_mass_kg.unwrap().0);
    pg.set_kg("curb_mass_kg", v.curb_mass_kg.unwrap().0);
    if let Some(r) = v.rated_load_kg {
        pg.set_kg("rated_load_kg", r.0);
    }
    pg.set_num("length_mm", v.length_mm.unwrap().0);
    pg.set_num("width_mm", v.width_mm.unwrap().0);
    pg.set_num("height_mm", v.height_mm.unwrap().0);
    if let Some(t) = v.towing_mass_kg {
        pg.set_kg("towing_mass_kg", t.0);
    }
    pg.set_month("inspection_valid_until", v.inspection_valid_until.unwrap());
    pg.x("authority", authority_police(sim, &uscc));
    pg.x("layout", if rng.random_bool(0.5) { "side_by_side" } else { "stacked" });
    pg
}

fn driving_licence(sim: &Sim, rng: &mut ChaCha8Rng, p: &Person, i: usize) -> PageDoc {
    let mut pg = PageDoc::new(rng, DocKind::DrivingLicence, Some(Subject::Driver(i)));
    let employer = p.employer_uscc.as_ref().unwrap().to_string();
    pg.set_code("licence_number", p.id_number.as_str());
    pg.set_text("name", &p.name);
    pg.set_text("sex", p.sex.as_deref().unwrap());
    pg.set_text("nationality", "中国");
    pg.set_text("address", p.address.as_deref().unwrap());
    pg.set_date("birth_date", p.birth_date.unwrap());
    let from = p.licence_valid_from.unwrap();
    let first = add_days(from, -rng.random_range(0..=3000));
    pg.set_date("first_issue_date", first.max(add_days(p.birth_date.unwrap(), 365 * 20)).min(from));
    pg.set_code("permitted_class", p.licence_class.as_deref().unwrap());
    pg.set_date("valid_from", from);
    pg.set_until("valid_until", p.licence_valid_until.unwrap());
    pg.x("authority", authority_police(sim, &employer));
    pg
}

fn qualification(sim: &Sim, rng: &mut ChaCha8Rng, p: &Person, i: usize) -> PageDoc {
    let mut pg = PageDoc::new(rng, DocKind::QualificationCertificate, Some(Subject::Driver(i)));
    let employer = p.employer_uscc.as_ref().unwrap().to_string();
    pg.set_code("certificate_number", p.qualification_number.as_deref().unwrap());
    pg.set_text("name", &p.name);
    pg.set_text("sex", p.sex.as_deref().unwrap());
    pg.set_text("category", p.qualification_category.as_deref().unwrap());
    let until = p.qualification_valid_until.unwrap();
    pg.set_date("issue_date", add_days(until, -(365 * 6 + 1)));
    pg.set_date("valid_until", until);
    let (_, c) = city_name(sim, &employer);
    pg.x("authority", format!("{c}交通运输局"));
    pg
}

fn rtc(sim: &Sim, rng: &mut ChaCha8Rng, v: &Vehicle, subject: Subject) -> PageDoc {
    let mut pg = PageDoc::new(rng, DocKind::RoadTransportCertificate, Some(subject));
    let uscc = v.owner_uscc.as_ref().unwrap().to_string();
    let c = sim.world.companies.iter().find(|c| c.uscc.as_str() == uscc).unwrap();
    pg.set_code("certificate_number", v.rtc_number.as_deref().unwrap());
    pg.set_text("operator_name", &c.name);
    pg.set_code("operating_permit_number", c.permit_number.as_deref().unwrap());
    pg.set_code("plate_number", v.plate.as_str());
    pg.set_text("vehicle_type", v.vehicle_type.as_deref().unwrap());
    pg.set_kg("tonnage_kg", v.rated_load_kg.or(v.towing_mass_kg).unwrap().0);
    pg.set_num("length_mm", v.length_mm.unwrap().0);
    pg.set_num("width_mm", v.width_mm.unwrap().0);
    pg.set_num("height_mm", v.height_mm.unwrap().0);
    let scope = *pick(rng, &["大型物件运输", "普通货运、大型物件运输", "道路普通货物运输，大型物件运输"]);
    pg.set_text("business_scope", scope);
    let until = v.rtc_valid_until.unwrap();
    pg.set_date("issue_date", add_days(until, -(365 * 3 + rng.random_range(0..200))));
    pg.set_date("valid_until", until);
    let (_, cn) = city_name(sim, &uscc);
    pg.x("authority", format!("{cn}交通运输局"));
    pg
}

pub fn name_variant(name: &str) -> String {
    if name.contains("有限责任公司") {
        name.replace("有限责任公司", "有限公司")
    } else if name.contains("物流") {
        name.replacen("物流", "运输", 1)
    } else {
        name.replace("有限公司", "有限责任公司")
    }
}

fn escort_sections(app: &Application, rng: &mut ChaCha8Rng, pg: &mut PageDoc) {
    let keys: Vec<&str> = SECTIONS.iter().map(|s| s.0).collect();
    let list: Vec<Value> = keys.iter().map(|k| json!(k)).collect();
    let printed = SECTIONS.iter().map(|s| s.1).collect::<Vec<_>>().join("、");
    pg.values.insert("sections", Printed { printed, value: Value::Array(list) });
    let n_cars = rng.random_range(2..=3);
    pg.x("vehicles", format!("本次运输配备护送车辆{n_cars}辆，其中前导车1辆、后卫车{}辆，均安装黄色警示灯和“大件运输护送”标志，配备对讲机、反光锥桶、警示牌等安全设备。", n_cars - 1));
    pg.x("personnel", format!("护送人员{}名，由具有三年以上大件运输护送经验的人员担任，设护送负责人1名，负责现场指挥与协调；每车配备驾驶员和安全员各1名。", n_cars * 2 + 1));
    pg.x("route", format!("运输路线共{}个路段，途经桥梁、涵洞和收费站等构造物，已逐一核查通行净空和承载能力，沿线无施工封闭路段。", app.route.segments.len()));
    pg.x("procedure", "车队行驶速度不超过每小时40公里，通过桥梁时居中匀速行驶，禁止在桥上停车、制动和变速；夜间停放时开启示廓灯并设置警示标志。".to_string());
    pg.x("contingency", "遇车辆故障、交通事故或恶劣天气时，立即停车设置警示区，报告护送负责人和当地交警部门，必要时联系路政部门协助处置。".to_string());
}

/// Removes one section from an escort plan; returns its heading.
pub fn drop_section(pg: &mut PageDoc, rng: &mut ChaCha8Rng) -> String {
    let i = rng.random_range(0..SECTIONS.len());
    let (key, title) = SECTIONS[i];
    pg.extra.remove(key);
    let remaining: Vec<(&str, &str)> = SECTIONS.iter().copied().filter(|s| pg.extra.contains_key(s.0)).collect();
    pg.values.insert(
        "sections",
        Printed {
            printed: remaining.iter().map(|s| s.1).collect::<Vec<_>>().join("、"),
            value: Value::Array(remaining.iter().map(|s| json!(s.0)).collect()),
        },
    );
    title.to_string()
}

#[allow(clippy::too_many_arguments)]
pub fn pages_for(sim: &mut Sim, rng: &mut ChaCha8Rng, app: &Application, ci: usize, agent: usize, drivers: &[usize], ti: usize, trailer_i: Option<usize>, class: u8) -> Result<Vec<PageDoc>> {
    let mut pages = vec![];
    let company = sim.world.companies[ci].clone();
    let extra = sim.company_extra[company.uscc.as_str()].clone();
    let uscc = company.uscc.to_string();
    // Agent.
    let mut pg = PageDoc::new(rng, DocKind::IdCard, Some(Subject::Agent));
    fill_id_card(&mut pg, &sim.world.persons[agent].clone(), rng);
    pages.push(pg);
    let mut pg = PageDoc::new(rng, DocKind::AuthorizationLetter, Some(Subject::Agent));
    pg.set_text("principal_name", &company.name);
    pg.set_code("principal_uscc", &uscc);
    pg.set_text("agent_name", &app.agent.name);
    pg.set_code("agent_id_number", &app.agent.id_number);
    pg.set_date("valid_from", add_days(app.submitted_on, -rng.random_range(0..=60)));
    pg.set_date("valid_until", add_days(app.submitted_on, rng.random_range(30..=365)));
    pg.x("legal", company.legal_representative.clone().unwrap());
    pg.x("signed", super::docs::fmt_date(add_days(app.submitted_on, -rng.random_range(0..=20)), 0));
    pages.push(pg);
    // Carrier.
    let mut pg = PageDoc::new(rng, DocKind::BusinessLicence, Some(Subject::Carrier));
    pg.set_code("uscc", &uscc);
    pg.set_text("company_name", &company.name);
    pg.set_text("company_type", &extra.company_type);
    pg.set_text("legal_representative", company.legal_representative.as_deref().unwrap());
    pg.set_text("address", company.address.as_deref().unwrap());
    pg.set_text("registered_capital", &extra.capital);
    pg.set_date("established_date", extra.established);
    pg.set_until("term_until", company.term_until.unwrap());
    pg.set_text("business_scope", &extra.scope_text);
    let (_, cn) = city_name(sim, &uscc);
    pg.x("authority", format!("{cn}市场监督管理局"));
    pg.x("issued", fmt_date(add_days(extra.established, rng.random_range(0..=3000)).min(add_days(app.submitted_on, -30)), 0));
    pages.push(pg);
    let mut pg = PageDoc::new(rng, DocKind::OperatingPermit, Some(Subject::Carrier));
    pg.set_code("permit_number", company.permit_number.as_deref().unwrap());
    pg.set_text("company_name", &company.name);
    pg.set_text("address", company.address.as_deref().unwrap());
    pg.set_text("business_scope", &company.permit_scope.join("，"));
    let until = company.permit_valid_until.unwrap();
    pg.set_date("valid_from", add_days(until, -(365 * 4 + 1)));
    pg.set_date("valid_until", until);
    pg.x("authority", format!("{cn}交通运输局"));
    pages.push(pg);
    // Vehicles.
    let vs: Vec<(Subject, usize)> = std::iter::once((Subject::Tractor, ti)).chain(trailer_i.map(|i| (Subject::Trailer, i))).collect();
    for (s, i) in &vs {
        let v = sim.world.vehicles[*i].clone();
        pages.push(vehicle_licence(sim, rng, &v, *s));
    }
    for (s, i) in &vs {
        if rng.random_bool(0.7) {
            let v = sim.world.vehicles[*i].clone();
            pages.push(rtc(sim, rng, &v, *s));
        }
    }
    // Drivers.
    for (k, &pi) in drivers.iter().enumerate() {
        let p = sim.world.persons[pi].clone();
        pages.push(driving_licence(sim, rng, &p, k));
        if rng.random_bool(0.85) {
            pages.push(qualification(sim, rng, &p, k));
        }
    }
    // Class materials.
    let (escort, contour) = match class {
        3 => (true, true),
        2 => (rng.random_bool(0.15), rng.random_bool(0.3)),
        _ => (false, rng.random_bool(0.1)),
    };
    if escort {
        let mut pg = PageDoc::new(rng, DocKind::EscortPlan, None);
        escort_sections(app, rng, &mut pg);
        pg.x("company", company.name.clone());
        pg.x("cargo", app.cargo.name.clone());
        pages.push(pg);
    }
    if contour {
        let mut pg = PageDoc::new(rng, DocKind::ContourDrawing, None);
        pg.x("company", company.name.clone());
        let c = &app.combination;
        pg.x("length", c.length_mm.0.to_string());
        pg.x("width", c.width_mm.0.to_string());
        pg.x("height", c.height_mm.0.to_string());
        pg.x("total", c.total_mass_kg.0.to_string());
        pg.x("axles", c.axle_loads_kg.len().to_string());
        pg.x("tractor_axles", app.tractor.axles.to_string());
        pg.x("cargo", app.cargo.name.clone());
        pages.push(pg);
    }
    if rng.random_bool(0.3) {
        let mut pg = PageDoc::new(rng, DocKind::Other, None);
        pg.x("company", company.name.clone());
        pg.x("signed", fmt_date(app.submitted_on, 0));
        pages.push(pg);
    }
    // Shuffle lightly: applicants upload in no fixed order.
    use rand::seq::SliceRandom;
    if rng.random_bool(0.5) {
        pages.shuffle(rng);
    }
    Ok(pages)
}

pub fn page_mut(pages: &mut [PageDoc], kind: DocKind, subject: Option<Subject>) -> &mut PageDoc {
    pages.iter_mut().find(|p| p.kind == kind && (subject.is_none() || p.subject == subject)).expect("page exists")
}

pub fn remove(pages: &mut Vec<PageDoc>, kind: DocKind, subject: Option<Subject>) -> String {
    let i = pages.iter().position(|p| p.kind == kind && (subject.is_none() || p.subject == subject)).expect("page exists");
    let p = pages.remove(i);
    format!("{}", p.kind)
}

#[allow(clippy::too_many_arguments)]
pub fn ensure_page<'a>(pages: &'a mut Vec<PageDoc>, kind: DocKind, subject: Option<Subject>, sim: &Sim, rng: &mut ChaCha8Rng, _app: &Application, index: usize) -> Result<&'a mut PageDoc> {
    if !pages.iter().any(|p| p.kind == kind && p.subject == subject) {
        let pg = match kind {
            DocKind::QualificationCertificate => {
                let p = sim.world.persons[index].clone();
                let Some(Subject::Driver(k)) = subject else { anyhow::bail!("qualification without a driver") };
                qualification(sim, rng, &p, k)
            }
            DocKind::RoadTransportCertificate => {
                let v = sim.world.vehicles[index].clone();
                rtc(sim, rng, &v, subject.unwrap())
            }
            _ => anyhow::bail!("ensure_page: {kind}"),
        };
        pages.push(pg);
    }
    Ok(page_mut(pages, kind, subject))
}

/// File names: descriptive for declared pages, uninformative for the rest.
pub fn name_files(pages: &mut [PageDoc], rng: &mut ChaCha8Rng) {
    let mut scan = rng.random_range(1..60);
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    for p in pages.iter_mut() {
        // All JPEG: PNG pages of this size would triple a committed set.
        let ext = "jpg";
        let base = if p.declared {
            let who = match p.subject {
                Some(Subject::Driver(n)) => format!("driver{n}_"),
                Some(Subject::Tractor) => "tractor_".into(),
                Some(Subject::Trailer) => "trailer_".into(),
                _ => String::new(),
            };
            let what = match p.kind {
                DocKind::VehicleLicence => "licence",
                DocKind::DrivingLicence => "driving_licence",
                DocKind::QualificationCertificate => "qualification",
                DocKind::RoadTransportCertificate => "transport_certificate",
                DocKind::BusinessLicence => "business_licence",
                DocKind::OperatingPermit => "operating_permit",
                DocKind::IdCard => "agent_id_card",
                DocKind::AuthorizationLetter => "authorization_letter",
                DocKind::EscortPlan => "escort_plan",
                DocKind::ContourDrawing => "contour_drawing",
                DocKind::Other => "commitment",
            };
            format!("{who}{what}")
        } else {
            scan += rng.random_range(1..4);
            match rng.random_range(0..3) {
                0 => format!("scan_{scan:04}"),
                1 => format!("IMG_2026{:02}{:02}_{:06}", rng.random_range(1..13), rng.random_range(1..29), rng.random_range(0..240000)),
                _ => format!("doc{scan}"),
            }
        };
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        p.file = if *n == 1 { format!("{base}.{ext}") } else { format!("{base}_{n}.{ext}") };
    }
}
