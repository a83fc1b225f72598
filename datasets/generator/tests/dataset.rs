//! The synthetic dataset is what the models train on and what the checks
//! are measured against, so its truth is verified here by code that shares
//! nothing with the generator's bookkeeping: the expected status of each
//! of the 21 checks is recomputed from the written form, the ground-truth
//! page fields and the written registry.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use dajian_datasets::{self as dataset, truth::AppTruth, GenerateParams};
use dajian::document::{DocKind, Subject};
use dajian::form::{Application, TrailerKind};
use dajian::registry::{Company, CompanyStatus, LicenceStatus, Person, RoadClass, RoadNode, RoadSegment, Structure, Vehicle};
use dajian::types::{IdNumber, Month, Plate, PlateKind, Uscc, Vin};
use serde_json::Value;

struct Registry {
    companies: Vec<Company>,
    persons: Vec<Person>,
    vehicles: Vec<Vehicle>,
    nodes: Vec<RoadNode>,
    segments: Vec<RoadSegment>,
    structures: Vec<Structure>,
}

fn read_jsonl<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Vec<T> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1)))
        .collect()
}

fn read_registry(dir: &Path) -> Registry {
    let r = dir.join("registry");
    Registry {
        companies: read_jsonl(&r, "companies.jsonl"),
        persons: read_jsonl(&r, "persons.jsonl"),
        vehicles: read_jsonl(&r, "vehicles.jsonl"),
        nodes: read_jsonl(&r, "road_nodes.jsonl"),
        segments: read_jsonl(&r, "road_segments.jsonl"),
        structures: read_jsonl(&r, "structures.jsonl"),
    }
}

struct App {
    name: String,
    form: Application,
    truth: AppTruth,
}

fn read_apps(dir: &Path) -> Vec<App> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("apps")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let d = dir.join("apps").join(&name);
            let form = Application::parse(&std::fs::read_to_string(d.join("application.json")).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let truth: AppTruth = serde_json::from_str(&std::fs::read_to_string(d.join("truth.json")).unwrap()).unwrap();
            App { name, form, truth }
        })
        .collect()
}

fn world(seed: u64, n: usize) -> (tempfile::TempDir, Registry, Vec<App>) {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = GenerateParams::new(seed, n, tmp.path());
    p.render = false;
    dataset::generate(&p).unwrap();
    let reg = read_registry(tmp.path());
    let apps = read_apps(tmp.path());
    (tmp, reg, apps)
}

// ------------------------------------------------------------------ oracle

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()
}

fn covers(until: &str, day: NaiveDate) -> bool {
    until == "long_term" || date(until).is_some_and(|d| d >= day)
}

struct Ctx<'a> {
    app: &'a App,
}

impl<'a> Ctx<'a> {
    fn page(&self, kind: DocKind, subject: Option<Subject>) -> Option<&'a BTreeMap<String, dataset::truth::FieldTruth>> {
        self.app.truth.pages.iter().find(|p| p.kind == kind && (subject.is_none() || p.subject == subject)).map(|p| &p.fields)
    }
    fn f(&self, kind: DocKind, subject: Option<Subject>, key: &str) -> Option<String> {
        self.page(kind, subject).and_then(|p| p.get(key)).map(|f| s(&f.value))
    }
}

fn worst(a: &str, b: &str) -> &'static str {
    let rank = |x: &str| match x {
        "block" => 3,
        "warn" => 2,
        "pass" => 1,
        _ => 0,
    };
    let r = rank(a).max(rank(b));
    ["not_applicable", "pass", "warn", "block"][r]
}

fn art3(axles: usize, rigid: bool) -> u32 {
    if rigid {
        match axles {
            0..=2 => 18_000,
            3 => 25_000,
            _ => 31_000,
        }
    } else {
        [18_000, 18_000, 18_000, 27_000, 36_000, 43_000, 49_000][axles.min(6)]
    }
}

fn class_of(f: &Application) -> u8 {
    let c = &f.combination;
    let rigid = f.trailer.is_none();
    let within = c.total_mass_kg.0 <= art3(c.axle_loads_kg.len(), rigid);
    if c.height_mm.0 <= 4200 && c.width_mm.0 <= 3000 && c.length_mm.0 <= 20_000 && within {
        1
    } else if c.height_mm.0 <= 4500 && c.width_mm.0 <= 3750 && c.length_mm.0 <= 28_000 && c.total_mass_kg.0 <= 100_000 {
        2
    } else {
        3
    }
}

fn recompute(reg: &Registry, app: &App) -> BTreeMap<&'static str, &'static str> {
    let cx = Ctx { app };
    let f = &app.form;
    let end = f.route.end_date;
    let start = f.route.start_date;
    let sub = f.submitted_on;
    let mut out = BTreeMap::new();
    let ok = |b: bool, fail: &'static str| if b { "pass" } else { fail };

    // P1
    let p1 = IdNumber::parse(&f.agent.id_number).is_ok()
        && cx.f(DocKind::IdCard, Some(Subject::Agent), "name").as_deref() == Some(&f.agent.name)
        && cx.f(DocKind::IdCard, Some(Subject::Agent), "id_number").as_deref() == Some(&f.agent.id_number);
    out.insert("P1", ok(p1, "block"));
    // P2
    let l = |k| cx.f(DocKind::AuthorizationLetter, Some(Subject::Agent), k);
    let p2 = cx.page(DocKind::AuthorizationLetter, None).is_some()
        && l("principal_name").as_deref() == Some(&f.carrier.name)
        && l("principal_uscc").as_deref() == Some(&f.carrier.uscc)
        && l("agent_name").as_deref() == Some(&f.agent.name)
        && l("agent_id_number").as_deref() == Some(&f.agent.id_number)
        && l("valid_from").and_then(|d| date(&d)).is_some_and(|d| d <= sub)
        && l("valid_until").is_some_and(|u| covers(&u, sub));
    out.insert("P2", ok(p2, "block"));
    // P3, P4
    if f.drivers.is_empty() {
        out.insert("P3", "not_applicable");
        out.insert("P4", "not_applicable");
    } else {
        let mut p3 = "pass";
        let mut p4 = "pass";
        for (i, d) in f.drivers.iter().enumerate() {
            let subj = Some(Subject::Driver(i));
            let reg_p = reg.persons.iter().find(|p| p.id_number.as_str() == d.id_number);
            let g = |k| cx.f(DocKind::DrivingLicence, subj, k);
            let class = g("permitted_class").unwrap_or_default();
            let class_ok = if f.trailer.is_some() { class.contains("A2") } else { ["A1", "A2", "B2"].iter().any(|c| class.contains(c)) };
            let good = g("licence_number").as_deref() == Some(&d.id_number)
                && g("name").as_deref() == Some(&d.name)
                && class_ok
                && g("valid_until").is_some_and(|u| covers(&u, end))
                && reg_p.is_some_and(|p| {
                    p.licence_class.as_deref() == Some(class.as_str())
                        && p.licence_status == Some(LicenceStatus::Valid)
                        && (f.trailer.is_none() || p.probation_until.is_none_or(|u| u < start))
                });
            if !good {
                p3 = "block";
            }
            let cat_ok = |c: &str| c.contains("货物运输驾驶员");
            let mut q = reg_p.is_some_and(|p| {
                p.qualification_category.as_deref().is_some_and(cat_ok) && p.qualification_valid_until.is_some_and(|u| u >= end)
            });
            if cx.page(DocKind::QualificationCertificate, subj).is_some() {
                let h = |k| cx.f(DocKind::QualificationCertificate, subj, k);
                q = q && h("category").is_some_and(|c| cat_ok(&c)) && h("valid_until").is_some_and(|u| covers(&u, end)) && h("name").as_deref() == Some(&d.name);
            }
            if !q {
                p4 = "warn";
            }
        }
        out.insert("P3", p3);
        out.insert("P4", p4);
    }
    // C1–C4
    let company = reg.companies.iter().find(|c| c.uscc.as_str() == f.carrier.uscc);
    let b = |k| cx.f(DocKind::BusinessLicence, Some(Subject::Carrier), k);
    let o = |k| cx.f(DocKind::OperatingPermit, Some(Subject::Carrier), k);
    let c1_code = Uscc::parse(&f.carrier.uscc).is_ok() && company.is_some() && b("uscc").as_deref() == Some(&f.carrier.uscc);
    let c1_name = b("company_name").as_deref() == Some(&f.carrier.name) && o("company_name").as_deref() == Some(&f.carrier.name) && company.is_some_and(|c| c.name == f.carrier.name);
    out.insert("C1", if !c1_code { "block" } else if !c1_name { "warn" } else { "pass" });
    let c2 = company.is_some_and(|c| c.permit_scope.iter().any(|s| s == "大型物件运输")) && o("business_scope").is_some_and(|s| s.contains("大型物件运输"));
    out.insert("C2", ok(c2, "block"));
    let c3 = company.is_some_and(|c| {
        c.permit_valid_until.is_some_and(|u| u >= end) && c.term_until.is_some_and(|t| t.covers(sub)) && c.status == CompanyStatus::Active
    }) && o("valid_until").is_some_and(|u| covers(&u, end))
        && b("term_until").is_some_and(|u| covers(&u, sub));
    out.insert("C3", ok(c3, "block"));
    let c4 = match company {
        Some(c) if c.restricted_until.is_some_and(|r| r >= sub) => "block",
        Some(c) if c.violations.iter().any(|v| v.kind == "permit_mismatch" && v.date <= sub && v.date > sub.with_year(sub.year() - 2).unwrap()) => "warn",
        _ => "pass",
    };
    out.insert("C4", c4);
    // V1–V5
    let mut v = ["pass"; 4];
    for (subj, veh) in f.vehicles() {
        let plate = veh.plate.clone().unwrap_or_default();
        let rv = reg.vehicles.iter().find(|r| r.plate.as_str() == plate);
        let g = |k| cx.f(DocKind::VehicleLicence, Some(subj), k);
        let plate_ok = Plate::parse(&plate).is_ok_and(|p| (p.kind() == PlateKind::Trailer) == (subj == Subject::Trailer));
        let v1 = plate_ok
            && Vin::parse(&veh.vin).is_ok()
            && g("plate_number").as_deref() == Some(plate.as_str())
            && g("vin").as_deref() == Some(veh.vin.as_str())
            && rv.is_some_and(|r| r.vin.as_deref() == Some(veh.vin.as_str()));
        if !v1 {
            v[0] = "block";
        }
        let m_end = Month::of(end);
        let v2 = g("inspection_valid_until").and_then(|m| Month::parse(&m).ok()).is_some_and(|m| m >= m_end)
            && rv.is_some_and(|r| r.inspection_valid_until.is_some_and(|m| m >= m_end) && r.insurance_valid_until.is_some_and(|u| u >= end) && r.status == "normal");
        if !v2 {
            v[1] = "block";
        }
        let mut v3 = if rv.is_some_and(|r| r.rtc_valid_until.is_some_and(|u| u >= end) && r.rtc_operator_uscc.as_ref().is_some_and(|u| u.as_str() == f.carrier.uscc)) { "pass" } else { "block" };
        if cx.page(DocKind::RoadTransportCertificate, Some(subj)).is_some() {
            let h = |k| cx.f(DocKind::RoadTransportCertificate, Some(subj), k);
            if !h("valid_until").is_some_and(|u| covers(&u, end)) {
                v3 = "block";
            } else if h("operator_name").as_deref() != Some(&f.carrier.name) || h("plate_number").as_deref() != Some(plate.as_str()) {
                v3 = worst(v3, "warn");
            }
        }
        v[2] = worst(v[2], v3);
        let near = |a: u32, b: Option<u32>| b.is_some_and(|b| (a as f64 - b as f64).abs() <= 0.02 * b as f64);
        let v4 = g("brand_model").as_deref() == Some(veh.brand_model.as_str())
            && rv.is_some_and(|r| r.brand_model.as_deref() == Some(veh.brand_model.as_str()) && near(veh.curb_mass_kg.0, r.curb_mass_kg.map(|k| k.0)) && r.axles == Some(veh.axles))
            && near(veh.curb_mass_kg.0, g("curb_mass_kg").and_then(|s| s.parse().ok()));
        if !v4 {
            v[3] = "block";
        }
    }
    out.insert("V1", v[0]);
    out.insert("V2", v[1]);
    out.insert("V3", v[2]);
    out.insert("V4", v[3]);
    let v5 = match &f.trailer {
        None => "not_applicable",
        Some(t) => {
            let need = t.curb_mass_kg.0 + f.cargo.mass_kg.0;
            let rt = reg.vehicles.iter().find(|r| Some(r.plate.as_str()) == f.tractor.plate.as_deref());
            let page = cx.f(DocKind::VehicleLicence, Some(Subject::Tractor), "towing_mass_kg").and_then(|s| s.parse::<u32>().ok());
            ok(rt.and_then(|r| r.towing_mass_kg).is_some_and(|k| k.0 >= need) && page.is_some_and(|p| p >= need), "block")
        }
    };
    out.insert("V5", v5);
    // R1
    let seg = |id: &str| reg.segments.iter().find(|s| s.id == id);
    let node_ok = |id: &str| reg.nodes.iter().any(|n| n.id == id);
    let touches = |s: &RoadSegment, n: &str| s.from_node == n || s.to_node == n;
    let segs: Vec<Option<&RoadSegment>> = f.route.segments.iter().map(|s| seg(s)).collect();
    let mut r1 = node_ok(&f.route.origin) && node_ok(&f.route.destination) && !segs.is_empty() && segs.iter().all(|s| s.is_some());
    if r1 {
        let segs: Vec<&RoadSegment> = segs.iter().map(|s| s.unwrap()).collect();
        r1 = touches(segs[0], &f.route.origin) && touches(segs[segs.len() - 1], &f.route.destination);
        // Walk the route: each next segment continues from the node reached.
        let mut at = f.route.origin.clone();
        for s in &segs {
            if s.from_node == at {
                at = s.to_node.clone();
            } else if s.to_node == at {
                at = s.from_node.clone();
            } else {
                r1 = false;
                break;
            }
        }
        r1 = r1 && at == f.route.destination;
    }
    out.insert("R1", ok(r1, "block"));
    // R2
    let class = class_of(f);
    let r2 = class != 3
        || (cx.page(DocKind::EscortPlan, None).and_then(|p| p.get("sections")).is_some_and(|s| s.value.as_array().is_some_and(|a| a.len() == 5))
            && cx.page(DocKind::ContourDrawing, None).is_some());
    out.insert("R2", ok(r2, "block"));
    // R3
    let c = &f.combination;
    let max_axle = c.axle_loads_kg.iter().map(|k| k.0).max().unwrap_or(0);
    let r3 = f.route.segments.iter().filter_map(|id| seg(id)).all(|s| {
        s.road_class != RoadClass::Substandard
            && reg.structures.iter().filter(|st| st.segment_id == s.id).all(|st| {
                st.rating.is_none_or(|r| r < 4)
                    && st.max_height_mm.is_none_or(|m| m >= c.height_mm)
                    && st.max_width_mm.is_none_or(|m| m >= c.width_mm)
                    && st.max_gross_kg.is_none_or(|m| m >= c.total_mass_kg)
                    && st.max_axle_kg.is_none_or(|m| m.0 >= max_axle)
            })
    });
    out.insert("R3", ok(r3, "warn"));
    // R4
    let days = (end - start).num_days();
    let r4 = sub <= start && start <= end && days <= if f.route.trips > 1 { 183 } else { 30 } && !(f.route.trips > 1 && class == 3);
    out.insert("R4", ok(r4, "block"));
    // G1
    let divisible = ["rebar", "bagged_fertilizer", "aggregate", "钢筋", "袋装化肥", "砂石料"];
    let g1 = if !f.cargo.indivisible || divisible.contains(&f.cargo.category.as_str()) || divisible.contains(&f.cargo.name.as_str()) {
        "block"
    } else if f.cargo.pieces > 1 {
        "warn"
    } else {
        "pass"
    };
    out.insert("G1", g1);
    // G2
    let deck = f.trailer.as_ref().and_then(|t| t.deck_height_mm).or(f.tractor.deck_height_mm).map(|m| m.0).unwrap_or(0);
    let sum = f.tractor.curb_mass_kg.0 + f.trailer.as_ref().map(|t| t.curb_mass_kg.0).unwrap_or(0) + f.cargo.mass_kg.0;
    let total = c.total_mass_kg.0 as f64;
    let g2 = c.height_mm.0 + 50 >= deck + f.cargo.height_mm.0 && c.width_mm >= f.cargo.width_mm && (sum as f64 - total).abs() <= 0.03 * total;
    out.insert("G2", ok(g2, "block"));
    // G3
    let loads: Vec<u32> = c.axle_loads_kg.iter().map(|k| k.0).collect();
    let n_axles = f.tractor.axles + f.trailer.as_ref().map(|t| t.axles).unwrap_or(0);
    let mut g3 = loads.len() == n_axles as usize && (loads.iter().sum::<u32>() as f64 - total).abs() <= 0.02 * total;
    match f.trailer.as_ref().and_then(|t| t.kind) {
        Some(TrailerKind::Flatbed | TrailerKind::LowBed) => {
            g3 = g3 && loads.iter().sum::<u32>() as f64 / loads.len() as f64 <= 10_000.0 && loads.iter().all(|l| *l <= 13_000);
        }
        Some(TrailerKind::HydraulicModular) => {
            let tr = &loads[f.tractor.axles as usize..];
            g3 = g3 && tr.iter().sum::<u32>() as f64 / tr.len() as f64 <= 18_000.0 && tr.iter().all(|l| *l <= 20_000);
        }
        _ => {}
    }
    out.insert("G3", ok(g3, "block"));
    // G4
    let over = c.height_mm.0 > 4000 || c.width_mm.0 > 2550 || c.length_mm.0 > 18_100 || c.total_mass_kg.0 > art3(loads.len(), f.trailer.is_none());
    out.insert("G4", ok(over, "warn"));
    out
}

fn status_str(s: dataset::truth::Status) -> String {
    serde_json::to_value(s).unwrap().as_str().unwrap().to_string()
}

// ------------------------------------------------------------------ tests

#[test]
fn every_expected_check_status_is_confirmed_by_an_independent_recomputation() {
    // DAJIAN_ORACLE_APPS=1000 DAJIAN_ORACLE_SEED=… for a long run.
    let n = std::env::var("DAJIAN_ORACLE_APPS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed = std::env::var("DAJIAN_ORACLE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let (_tmp, reg, apps) = world(seed, n);
    let mut wrong = vec![];
    for app in &apps {
        let got = recompute(&reg, app);
        for (id, want) in &app.truth.expected.checks {
            let have = got[id.as_str()];
            if have != status_str(*want) {
                wrong.push(format!("{} {id}: truth {want:?}, recomputed {have} (defect {:?})", app.name, app.truth.defect.as_ref().map(|d| &d.id)));
            }
        }
        assert_eq!(class_of(&app.form), app.truth.expected.permit_class, "{}", app.name);
    }
    assert!(wrong.is_empty(), "{} disagreements:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn each_defect_flips_exactly_one_check_and_clean_applications_flip_none() {
    let (_tmp, _reg, apps) = world(11, 48);
    for app in &apps {
        let flipped: Vec<&String> = app.truth.expected.checks.iter().filter(|(_, s)| !matches!(status_str(**s).as_str(), "pass" | "not_applicable")).map(|(k, _)| k).collect();
        match &app.truth.defect {
            None => assert!(flipped.is_empty(), "{} is clean but {flipped:?} fail", app.name),
            Some(d) => assert_eq!(flipped, vec![&d.check], "{}: {}", app.name, d.id),
        }
    }
    let clean = apps.iter().filter(|a| a.truth.defect.is_none()).count();
    assert_eq!(clean, 12, "a quarter of the applications are clean");
}

#[test]
fn every_one_of_the_21_checks_is_covered_by_a_defect_in_a_100_application_world() {
    let (_, cases) = dataset::world_and_apps(3, 100).unwrap();
    let covered: std::collections::BTreeSet<&str> = cases.iter().filter_map(|c| c.defect.as_ref().map(|d| d.0.check())).collect();
    let missing: Vec<&str> = dataset::truth::CheckId::all().map(|c| c.as_str()).filter(|c| !covered.contains(c)).collect();
    assert!(missing.is_empty(), "no defect for {missing:?}");
}

#[test]
fn the_same_seed_gives_byte_identical_registry_forms_and_truth() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let mut p = GenerateParams::new(42, 8, d.path());
        p.render = false;
        dataset::generate(&p).unwrap();
    }
    let mut files = vec![];
    fn walk(base: &Path, rel: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(base.join(rel)).unwrap() {
            let e = e.unwrap();
            let r = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() { walk(base, &r, out) } else { out.push(r) }
        }
    }
    walk(a.path(), Path::new(""), &mut files);
    assert!(files.len() > 20);
    for f in files {
        assert_eq!(std::fs::read(a.path().join(&f)).unwrap(), std::fs::read(b.path().join(&f)).unwrap(), "{}", f.display());
    }
    let c = tempfile::tempdir().unwrap();
    let mut p = GenerateParams::new(43, 8, c.path());
    p.render = false;
    dataset::generate(&p).unwrap();
    assert_ne!(std::fs::read(a.path().join("registry/persons.jsonl")).unwrap(), std::fs::read(c.path().join("registry/persons.jsonl")).unwrap());
}

#[test]
fn every_generated_identifier_is_valid_and_every_form_and_registry_line_parses() {
    let (_tmp, reg, apps) = world(5, 30);
    // Registry rows parsed into the strict records already (USCC, ID, plate
    // are validated types); VINs are plain strings there, so check them.
    for v in &reg.vehicles {
        Vin::parse(v.vin.as_deref().unwrap()).unwrap();
    }
    assert!(reg.companies.len() >= 3 && reg.persons.len() >= 30 && reg.structures.len() > 10);
    for n in &reg.nodes {
        n.validate().unwrap();
    }
    for app in &apps {
        let f = &app.form;
        let typo = app.truth.defect.as_ref().is_some_and(|d| d.id == "form_vin_check_digit");
        Uscc::parse(&f.carrier.uscc).unwrap();
        IdNumber::parse(&f.agent.id_number).unwrap();
        for d in &f.drivers {
            IdNumber::parse(&d.id_number).unwrap();
        }
        for (subj, v) in f.vehicles() {
            Plate::parse(v.plate.as_deref().unwrap()).unwrap();
            if !(typo && subj == Subject::Tractor) {
                Vin::parse(&v.vin).unwrap();
            }
        }
        // The page fields that are identifiers are valid too (a defect may
        // swap in another person's, which is still valid).
        for p in &app.truth.pages {
            for (k, fld) in &p.fields {
                let v = s(&fld.value);
                match k.as_str() {
                    "uscc" | "principal_uscc" => drop(Uscc::parse(&v).unwrap()),
                    "id_number" | "agent_id_number" | "licence_number" => drop(IdNumber::parse(&v).unwrap()),
                    "vin" => drop(Vin::parse(&v).unwrap()),
                    "plate_number" => drop(Plate::parse(&v).unwrap()),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn a_third_of_the_documents_come_without_kind_and_with_uninformative_names() {
    let (_tmp, _reg, apps) = world(9, 30);
    let docs: Vec<_> = apps.iter().flat_map(|a| a.form.documents.iter()).collect();
    let bare = docs.iter().filter(|d| d.kind.is_none()).count() as f64 / docs.len() as f64;
    assert!((0.2..0.45).contains(&bare), "{bare}");
    for d in docs.iter().filter(|d| d.kind.is_none()) {
        assert!(d.file.starts_with("scan_") || d.file.starts_with("IMG_") || d.file.starts_with("doc"), "{}", d.file);
    }
}

fn ink(img: &image::RgbImage, b: dajian::BBox) -> bool {
    (b.y..b.y + b.h).any(|y| (b.x..b.x + b.w).any(|x| img.get_pixel(x, y).0.iter().map(|c| *c as u32).sum::<u32>() < 330))
}

#[test]
fn rendered_boxes_lie_inside_the_image_and_undegraded_ones_contain_ink() {
    let (_, cases) = dataset::world_and_apps(21, 6).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // One page of each kind, rendered clean; and two degraded ones.
    let mut seen = std::collections::BTreeSet::new();
    let mut degraded = 0;
    for c in &cases {
        for p in &c.pages {
            let clean_needed = seen.insert(p.kind);
            let degrade_needed = degraded < 2 && p.degraded && matches!(p.kind, DocKind::VehicleLicence | DocKind::IdCard);
            if !clean_needed && !degrade_needed {
                continue;
            }
            let mut doc = p.clone();
            doc.degraded = degrade_needed && !clean_needed;
            doc.file = if doc.degraded { "page.jpg".into() } else { "page.png".into() };
            let t = dataset::render_page(&doc, tmp.path()).unwrap();
            let img = image::open(tmp.path().join(&doc.file)).unwrap().to_rgb8();
            assert_eq!((img.width(), img.height()), (t.width, t.height));
            for (k, f) in &t.fields {
                let b = f.bbox;
                assert!(b.w > 0 && b.h > 0 && b.x + b.w <= t.width && b.y + b.h <= t.height, "{} {k} {b:?}", t.layout);
                if !doc.degraded && k != "sections" {
                    assert!(ink(&img, b), "{} field {k} box {b:?} has no ink", t.layout);
                }
            }
            for l in &t.lines {
                assert!(l.bbox.x + l.bbox.w <= t.width && l.bbox.y + l.bbox.h <= t.height);
            }
            if doc.degraded {
                degraded += 1;
                // The VIN / ID number box still holds dark pixels after the warp.
                for k in ["vin", "id_number"] {
                    if let Some(f) = t.fields.get(k) {
                        assert!(ink(&img, f.bbox), "{} degraded {k} {:?}", t.layout, t.degradation);
                    }
                }
            }
        }
    }
    assert_eq!(seen.len(), 11, "every kind rendered: {seen:?}");
}

#[test]
fn held_out_layout_families_appear_only_when_asked_and_print_every_field_on_ink() {
    let held: Vec<String> = dataset::pages::families().into_iter().filter(|f| f.2).map(|f| format!("{}/{}", f.0, f.1)).collect();
    // Training worlds never lay a page out in a held-out family.
    let (_, seen) = dataset::world_and_apps(16, 4).unwrap();
    for p in seen.iter().flat_map(|c| &c.pages) {
        let layout = dataset::page_truth_text(p).unwrap().layout;
        assert!(!held.contains(&layout), "{}: {layout}", p.file);
    }
    // A held-out world draws each of them, every field on ink.
    let (_, cases) = dataset::world_and_apps_with(16, 12, dataset::Split::HeldOut, true).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut drawn = std::collections::BTreeSet::new();
    for p in cases.iter().flat_map(|c| &c.pages) {
        let layout = dataset::page_truth_text(p).unwrap().layout;
        if !held.contains(&layout) || !drawn.insert(layout.clone()) {
            continue;
        }
        let mut doc = p.clone();
        doc.degraded = false;
        doc.file = "page.png".into();
        let t = dataset::render_page(&doc, tmp.path()).unwrap();
        assert_eq!(t.layout, layout);
        let img = image::open(tmp.path().join(&doc.file)).unwrap().to_rgb8();
        for (k, f) in &t.fields {
            assert!(ink(&img, f.bbox), "{layout}: {k} box {:?} has no ink", f.bbox);
        }
    }
    let missing: Vec<&String> = held.iter().filter(|h| !drawn.contains(*h)).collect();
    assert!(missing.is_empty(), "held-out families never drawn: {missing:?}");
}

#[test]
fn electronic_licence_printouts_are_drawn_in_training_worlds_and_print_every_field_on_ink() {
    let (_, cases) = dataset::world_and_apps(3, 12).unwrap();
    let pages: Vec<_> = cases.iter().flat_map(|c| &c.pages).collect();
    let printouts: Vec<_> = pages.iter().filter(|p| dataset::page_truth_text(p).unwrap().layout.ends_with("/printout")).collect();
    assert!(!printouts.is_empty() && printouts.len() < pages.len() / 3, "{} printouts of {} pages", printouts.len(), pages.len());
    let tmp = tempfile::tempdir().unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for p in pages.iter().filter(|p| matches!(p.kind, DocKind::VehicleLicence | DocKind::DrivingLicence | DocKind::QualificationCertificate | DocKind::RoadTransportCertificate | DocKind::BusinessLicence | DocKind::OperatingPermit)) {
        if !kinds.insert(p.kind) {
            continue;
        }
        let mut doc = (*p).clone();
        doc.degraded = false;
        doc.file = "page.png".into();
        doc.extra.insert("family", "printout".into());
        let t = dataset::render_page(&doc, tmp.path()).unwrap();
        assert!(t.layout.ends_with("/printout"), "{}", t.layout);
        let img = image::open(tmp.path().join(&doc.file)).unwrap().to_rgb8();
        for (k, f) in &t.fields {
            assert!(ink(&img, f.bbox), "{} {k} box {:?} has no ink", t.layout, f.bbox);
        }
        // The same fields as the card edition prints.
        let mut card = doc.clone();
        card.extra.remove("family");
        let card = dataset::page_truth_text(&card).unwrap();
        assert_eq!(t.fields.keys().collect::<Vec<_>>(), card.fields.keys().collect::<Vec<_>>(), "{}", t.layout);
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}

#[test]
fn the_text_path_prints_the_same_lines_and_spans_as_the_rendered_truth() {
    let (_, cases) = dataset::world_and_apps(13, 4).unwrap();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for c in &cases {
        for p in &c.pages {
            let text = dataset::page_text(p).unwrap();
            let truth = dataset::page_truth_text(p).unwrap();
            let lines: Vec<&String> = truth.lines.iter().map(|l| &l.text).collect();
            assert_eq!(text.lines.iter().collect::<Vec<_>>(), lines);
            for (k, f) in &text.fields {
                assert_eq!(f.spans, truth.fields[k].spans);
                assert_eq!(f.value, truth.fields[k].value);
                // Spans point at the printed value.
                let printed: String = f.spans.iter().map(|s| text.lines[s.line].chars().skip(s.start).take(s.end - s.start).collect::<String>()).collect();
                if k != "sections" {
                    assert_eq!(printed.replace(' ', ""), truth.fields[k].printed.replace(' ', ""), "{k}");
                }
            }
            n += 1;
        }
    }
    assert!(n > 30);
    eprintln!("{n} text pages in {:?}", t0.elapsed());
}

#[test]
fn every_field_value_is_the_normalisation_of_what_is_printed() {
    use dajian::types::normalize;
    let (_, cases) = dataset::world_and_apps(17, 12).unwrap();
    for c in &cases {
        for p in &c.pages {
            let t = dataset::page_text(p).unwrap();
            for (k, f) in &t.fields {
                let printed = &p.values[k.as_str()].printed;
                let v = &f.value;
                let ok = match v {
                    Value::Number(n) => {
                        let n = n.as_u64().unwrap() as u32;
                        normalize::mass(printed).map(|m| m.0) == Some(n) || printed.parse::<u32>().ok() == Some(n)
                    }
                    Value::String(s) if s == "long_term" => normalize::open_end(printed).as_deref() == Some("long_term"),
                    Value::String(s) if k.ends_with("date") || k.starts_with("valid") || k == "term_until" => normalize::date(printed).map(|d| d.to_string()).as_deref() == Some(s.as_str()),
                    Value::String(s) if k == "inspection_valid_until" => normalize::month(printed).map(|m| m.to_string()).as_deref() == Some(s.as_str()),
                    Value::String(s) => normalize::code(printed) == *s || normalize::text(printed) == *s,
                    Value::Array(_) => k == "sections",
                    _ => false,
                };
                assert!(ok, "{:?} {k}: printed {printed:?} value {v}", p.kind);
            }
        }
    }
}

#[test]
fn a_character_missing_from_a_font_is_an_error_not_tofu() {
    use dajian_datasets::fonts::{check, FontId};
    assert!(check(FontId::Sans, "济宁顺达大件运输有限公司ＡＢＣ（）：").is_ok());
    let err = check(FontId::Serif, "𪚥").unwrap_err().to_string();
    assert!(err.contains("U+2A6A5") && err.contains("make_subsets.py"), "{err}");
}

// ------------------------------------------------------------------ engine

/// The real checks engine, fed the ground-truth fields (OCR and extraction
/// bypassed, every field read with full confidence), must reach the
/// statuses the truth expects.
#[test]
fn the_checks_engine_on_ground_truth_fields_agrees_with_the_expected_statuses() {
    use dajian::checks::{self, CheckConfig, Input};
    use dajian::document::{Document, Field};
    use dajian::registry::RegistryView;
    use dajian::rules::Rules;

    let n = std::env::var("DAJIAN_ORACLE_APPS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed = std::env::var("DAJIAN_ORACLE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let (_tmp, reg, apps) = world(seed, n);
    let mut view = RegistryView::default();
    reg.companies.iter().cloned().for_each(|c| view.add_company(c));
    reg.persons.iter().cloned().for_each(|p| view.add_person(p));
    reg.vehicles.iter().cloned().for_each(|v| view.add_vehicle(v));
    reg.nodes.iter().cloned().for_each(|x| view.add_node(x));
    reg.segments.iter().cloned().for_each(|x| view.add_segment(x));
    reg.structures.iter().cloned().for_each(|x| view.add_structure(x));
    let rules = Rules::embedded();
    let config = CheckConfig::default();
    let mut wrong = vec![];
    for app in &apps {
        let documents: Vec<Document> = app
            .truth
            .pages
            .iter()
            .map(|p| {
                let declared = app.form.documents.iter().find(|d| d.file == p.file).and_then(|d| d.kind);
                Document {
                    file: p.file.clone(),
                    kind: Some(p.kind),
                    kind_confidence: Some(1.0),
                    declared_kind: declared,
                    subject: p.subject,
                    width: Some(p.width),
                    height: Some(p.height),
                    fields: p.fields.iter().map(|(k, f)| (k.clone(), Field::new(f.value.clone(), 1.0, f.bbox))).collect(),
                    unread: None,
                    text: None,
                    archived: None,
                    lines: vec![],
                }
            })
            .collect();
        let out = checks::run(&Input { form: &app.form, documents: &documents, registry: &view, rules: &rules, config: &config });
        let defect = app.truth.defect.as_ref().map(|d| d.id.as_str()).unwrap_or("clean");
        for c in &out.checks {
            let want = status_str(app.truth.expected.checks[&c.id]);
            let have = serde_json::to_value(c.status).unwrap().as_str().unwrap().to_string();
            if want != have {
                wrong.push(format!("{} [{defect}] {}: truth {want}, engine {have}: {}", app.name, c.id, c.message));
            }
        }
        if out.permit_class != app.truth.expected.permit_class {
            wrong.push(format!("{} [{defect}] class: truth {}, engine {}", app.name, app.truth.expected.permit_class, out.permit_class));
        }
        if let Some(a) = &app.truth.expected.authority {
            let got = out.authority.as_ref().map(|x| serde_json::to_value(x).unwrap());
            let want = serde_json::json!({ "level": a.level, "region_code": a.region_code });
            if got.as_ref() != Some(&want) {
                wrong.push(format!("{} [{defect}] authority: truth {want}, engine {got:?}", app.name));
            }
        }
        let approvals: Vec<String> = out.approvals.iter().map(|a| serde_json::to_value(a).unwrap().as_str().unwrap().to_string()).collect();
        if approvals != app.truth.expected.approvals {
            wrong.push(format!("{} [{defect}] approvals: truth {:?}, engine {approvals:?}", app.name, app.truth.expected.approvals));
        }
    }
    assert!(wrong.is_empty(), "{} disagreements:\n{}", wrong.len(), wrong.join("\n"));
}

// ------------------------------------------------------------------ route

/// `dajian::route::suggest` on every application of a generated world,
/// against a plain breadth-first search over the segments the load may
/// drive (not substandard, every structure taking the load) and against the
/// declared routes, which the generator lays as shortest routes. Then once
/// more with a segment in the middle of each declared route closed by a low
/// underpass, so detours are taken on the generated network too (the
/// generator's R3 defects all sit on the origin's access road, its only
/// road, so none of them leaves a detour).
#[test]
fn route_suggestions_on_a_generated_world_exist_exactly_when_a_passable_route_does() {
    use std::collections::{HashMap, HashSet, VecDeque};

    use dajian::registry::StructureKind;
    use dajian::route::{self, Load, Network, Suggestion};
    use dajian::types::Mm;

    let (_tmp, reg, apps) = world(27, 400);
    let rules = dajian::rules::Rules::embedded().route;
    let net = Network::build(reg.segments.clone(), reg.structures.clone(), &rules);
    let by_id: HashMap<&str, &RoadSegment> = reg.segments.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut on: HashMap<&str, Vec<&Structure>> = HashMap::new();
    for st in &reg.structures {
        on.entry(st.segment_id.as_str()).or_default().push(st);
    }
    let mut at_node: HashMap<&str, Vec<&RoadSegment>> = HashMap::new();
    for s in &reg.segments {
        at_node.entry(s.from_node.as_str()).or_default().push(s);
        at_node.entry(s.to_node.as_str()).or_default().push(s);
    }
    // The independent oracle; `closed` is a segment taken out besides.
    let passable = |s: &RoadSegment, load: &Load, closed: Option<&str>| {
        Some(s.id.as_str()) != closed
            && s.road_class != RoadClass::Substandard
            && on.get(s.id.as_str()).is_none_or(|v| v.iter().all(|st| route::shortfalls(st, load).is_empty()))
    };
    let reachable = |from: &str, to: &str, load: &Load, closed: Option<&str>| {
        let mut seen: HashSet<&str> = HashSet::from([from]);
        let mut queue = VecDeque::from([from]);
        while let Some(n) = queue.pop_front() {
            if n == to {
                return true;
            }
            for s in at_node.get(n).into_iter().flatten().filter(|s| passable(s, load, closed)) {
                for next in [s.from_node.as_str(), s.to_node.as_str()] {
                    if seen.insert(next) {
                        queue.push_back(next);
                    }
                }
            }
        }
        false
    };
    // The other end of `s` from `at`, if `s` touches it.
    let beyond = |s: &RoadSegment, at: &str| -> Option<String> {
        if s.from_node == at {
            Some(s.to_node.clone())
        } else if s.to_node == at {
            Some(s.from_node.clone())
        } else {
            None
        }
    };
    // The suggestion agrees with the BFS; a route is connected from origin
    // to destination over segments the load may drive, every structure on
    // it with no negative margin. Its length, if there is one.
    let verify = |name: &str, s: &Suggestion, load: &Load, closed: Option<&str>| -> Option<u64> {
        let can = reachable(&s.origin, &s.destination, load, closed);
        assert_eq!(s.route.is_some(), can, "{name} (closed {closed:?}): suggested {}, BFS reaches the destination: {can}", s.route.is_some());
        assert_eq!(s.cut.is_some(), !can, "{name}");
        let r = s.route.as_ref()?;
        let mut at = s.origin.clone();
        let mut length = 0u64;
        for sv in &r.segments {
            let seg = by_id[sv.id.as_str()];
            let next = beyond(seg, &at).unwrap_or_else(|| panic!("{name}: {} does not continue from {at}", sv.id));
            assert_eq!((sv.from_node.as_str(), sv.to_node.as_str()), (at.as_str(), next.as_str()), "{name}");
            assert!(passable(seg, load, closed), "{name} (closed {closed:?}): {} is not passable", sv.id);
            length += seg.length_m as u64;
            at = next;
        }
        assert_eq!(at, s.destination, "{name}");
        assert_eq!(r.length_m, length, "{name}");
        assert!(r.structures.iter().all(|x| x.margins.iter().all(|m| m.margin >= 0)), "{name}: {:?}", r.structures);
        Some(length)
    };

    let (mut found, mut none, mut as_short, mut shorter) = (0, 0, 0, 0);
    let (mut r3, mut r3_detour, mut r3_declared, mut r3_none) = (0, 0, 0, 0);
    let (mut closed_detour, mut closed_none) = (0, 0);
    for app in &apps {
        let (f, name) = (&app.form, app.name.as_str());
        let defect = app.truth.defect.as_ref();
        let load = Load::of(f);
        let (origin, destination) = (f.route.origin.as_str(), f.route.destination.as_str());
        let s = route::suggest(&net, origin, destination, &load, &f.route.segments);
        let length = verify(name, &s, &load, None);
        if length.is_some() {
            found += 1;
        } else {
            none += 1;
        }

        // The declared route, when the registry knows it whole and the load
        // may drive it, is a candidate: the suggestion is never longer. The
        // generator lays it as a shortest route, but over structures rated
        // 1–3 only (world::structure_ok) and for the load it drew before any
        // defect: with no survey on it, and the form's axles as drawn, the
        // suggestion is exactly as long.
        let declared: Option<Vec<&RoadSegment>> = f.route.segments.iter().map(|id| by_id.get(id.as_str()).copied()).collect();
        let drivable = declared.as_ref().is_some_and(|segs| {
            let mut at = origin.to_string();
            segs.iter().all(|s| passable(s, &load, None) && beyond(s, &at).map(|n| at = n).is_some()) && at == destination
        });
        if !drivable {
            // Only a defect on the route makes the declared route undrivable.
            assert!(defect.is_some_and(|d| d.check == "R1" || d.check == "R3"), "{name}: the declared route is not drivable ({:?})", defect.map(|d| &d.id));
        } else {
            let declared_m: u64 = declared.unwrap().iter().map(|s| s.length_m as u64).sum();
            assert_eq!(s.declared.length_m, declared_m, "{name}");
            let r = s.route.as_ref().unwrap_or_else(|| panic!("{name}: the declared route is drivable"));
            assert!(r.length_m <= declared_m, "{name}: suggested {} m, declared {declared_m} m", r.length_m);
            let lighter = defect.is_some_and(|d| matches!(d.id.as_str(), "axle_loads_do_not_add_up" | "axle_load_missing"));
            if r.surveys == 0 && !lighter && defect.is_none_or(|d| d.check != "R3") {
                assert_eq!(r.length_m, declared_m, "{name}: suggested {:?}, declared {:?}", r.segments.iter().map(|x| &x.id).collect::<Vec<_>>(), f.route.segments);
            }
            if r.length_m == declared_m {
                as_short += 1;
            } else {
                shorter += 1;
            }

            // Close the middle segment of the declared route (a trunk road
            // when there is one) with an underpass the load does not clear:
            // the suggestion avoids it, is no shorter than before, and exists
            // exactly when the BFS finds a way round.
            let closed = f.route.segments[f.route.segments.len() / 2].as_str();
            let low = Structure {
                id: "B-TEST".into(),
                name: "test underpass".into(),
                segment_id: closed.into(),
                kind: StructureKind::Underpass,
                max_height_mm: Some(Mm(load.height_mm.0 - 100)),
                max_width_mm: None,
                max_gross_kg: None,
                max_axle_kg: None,
                rating: None,
            };
            assert!(!route::shortfalls(&low, &load).is_empty());
            let mut structures = reg.structures.clone();
            structures.push(low);
            let net2 = Network::build(reg.segments.clone(), structures, &rules);
            let s2 = route::suggest(&net2, origin, destination, &load, &f.route.segments);
            match verify(name, &s2, &load, Some(closed)) {
                Some(l) => {
                    assert!(l >= r.length_m && !s2.same_as_declared, "{name}: {l} m with {closed} closed, {} m without", r.length_m);
                    closed_detour += 1;
                }
                None => closed_none += 1,
            }
        }

        if defect.is_some_and(|d| d.check == "R3") {
            r3 += 1;
            match &s.route {
                Some(_) if s.same_as_declared => r3_declared += 1,
                Some(_) => r3_detour += 1,
                None => r3_none += 1,
            }
        }
    }
    eprintln!(
        "{} applications: {found} with a route ({as_short} as long as the declared one, {shorter} shorter), {none} without; \
         R3 defects: {r3} ({r3_detour} with a detour, {r3_declared} on the declared route itself, {r3_none} with none); \
         a declared segment closed: {closed_detour} with a detour, {closed_none} with none",
        apps.len()
    );
    assert!(r3 > 0, "the world has applications with an R3 defect");
    assert!(found > 0 && none > 0, "both outcomes are exercised: {found} found, {none} none");
    assert!(closed_detour > 0 && closed_none > 0, "both outcomes with a segment closed: {closed_detour} detours, {closed_none} none");
}
