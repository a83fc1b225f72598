//! Applications: the carrier, people and vehicles of one application, its
//! form, its pages, the one injected defect and the expected outcome.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use chrono::{Datelike, Days};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::defects::{Needs, D};
use super::docs::{self, PageDoc};
use super::idgen;
use super::pools::{pick, Pools, Split, CargoKind, TractorModel, TrailerModel, CARGO, RIGIDS, TRACTORS, TRAILERS};
use super::regions::{county_name, PROVINCES};
use dajian::truth::{verdict, Authority, CheckId, DefectTruth, Expected, Status};
use super::world::World;
use dajian::route::Load;
use dajian::document::{DocKind, Subject};
use dajian::form::{self, Application, TrailerKind};
use dajian::registry::{Company, CompanyStatus, LicenceStatus, Person, RoadClass, StructureKind, Vehicle, Violation};
use dajian::types::{Date, Kg, Mm, Month, Until};

/// Facts about a company that only its pages print.
#[derive(Debug, Clone)]
pub struct CompanyExtra {
    pub company_type: String,
    pub capital: String,
    pub established: Date,
    pub scope_text: String,
    pub city: String,
}

pub struct Sim {
    pub world: World,
    /// The part of the name and place pools this world draws from.
    pub split: Split,
    pub company_extra: BTreeMap<String, CompanyExtra>,
    shared: Vec<usize>,
}

/// One generated application before its pages are laid out.
pub struct AppCase {
    pub name: String,
    pub form: Application,
    pub pages: Vec<PageDoc>,
    pub defect: Option<(D, DefectTruth)>,
    pub expected: Expected,
}

pub fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn add_days(d: Date, n: i64) -> Date {
    if n >= 0 { d + Days::new(n as u64) } else { d - Days::new((-n) as u64) }
}

fn rand_date<R: Rng>(rng: &mut R, from: Date, to: Date) -> Date {
    let span = (to - from).num_days().max(0);
    add_days(from, rng.random_range(0..=span))
}

// ------------------------------------------------------------ the rules
// The generator's own bookkeeping of checks.md; tests recompute
// independently.

pub fn art3_limit(axles: usize, rigid: bool) -> u32 {
    match (rigid, axles) {
        (_, 0..=2) => 18_000,
        (true, 3) => 25_000,
        (true, _) => 31_000,
        (false, 3) => 27_000,
        (false, 4) => 36_000,
        (false, 5) => 43_000,
        (false, _) => 49_000,
    }
}

pub fn over_limit(c: &form::Combination, rigid: bool) -> bool {
    c.height_mm.0 > 4000 || c.width_mm.0 > 2550 || c.length_mm.0 > 18_100 || c.total_mass_kg.0 > art3_limit(c.axle_loads_kg.len(), rigid)
}

pub fn permit_class(c: &form::Combination, rigid: bool) -> u8 {
    let (h, w, l, m) = (c.height_mm.0, c.width_mm.0, c.length_mm.0, c.total_mass_kg.0);
    if h <= 4200 && w <= 3000 && l <= 20_000 && m <= art3_limit(c.axle_loads_kg.len(), rigid) {
        1
    } else if h <= 4500 && w <= 3750 && l <= 28_000 && m <= 100_000 {
        2
    } else {
        3
    }
}

// ------------------------------------------------------------ the rig

struct TrailerRig {
    model: &'static TrailerModel,
    curb: u32,
    axles: u32,
    length: u32,
}

struct Rig {
    cargo: &'static CargoKind,
    cargo_name: String,
    cl: u32,
    cw: u32,
    ch: u32,
    mass: u32,
    tractor: &'static TractorModel,
    tractor_curb: u32,
    towing: Option<u32>,
    trailer: Option<TrailerRig>,
    deck: u32,
    comb: form::Combination,
}

const LOADER: CargoKind = CargoKind {
    name: "装载机",
    category: "construction_machinery",
    divisible: false,
    length: (7000, 7800),
    width: (2400, 2500),
    height: (2200, 2400),
    mass: (15000, 19000),
};

fn rr<R: Rng>(rng: &mut R, r: (u32, u32)) -> u32 {
    rng.random_range(r.0..=r.1)
}

fn round_to(v: u32, step: u32) -> u32 {
    (v + step / 2) / step * step
}

fn make_rig(rng: &mut ChaCha8Rng, n: &Needs) -> Option<Rig> {
    // 0 rigid, 1 low_bed, 2 flatbed, 3 hydraulic_modular
    let kind = if n.under_limit {
        2
    } else if n.divisible || n.axle_overload || n.low_or_flat {
        rng.random_range(1..=2)
    } else if n.class3 {
        if rng.random_bool(0.6) { 3 } else { 1 }
    } else {
        let k = rng.random_range(0..100);
        let k = match k {
            0..=11 => 0,
            12..=54 => 1,
            55..=74 => 2,
            _ => 3,
        };
        if k == 0 && n.trailer { 1 } else { k }
    };
    let cargo: &'static CargoKind = if n.under_limit {
        &LOADER
    } else {
        let pool: Vec<&'static CargoKind> = CARGO
            .iter()
            .filter(|c| c.divisible == n.divisible)
            .filter(|c| match kind {
                0 => c.category == "construction_machinery",
                1 => matches!(c.category, "transformer" | "construction_machinery" | "tunnel_boring_machine" | "pressure_vessel") || c.divisible,
                2 => matches!(c.category, "precast_girder" | "wind_turbine_blade" | "wind_tower_section" | "pressure_vessel" | "construction_machinery") || c.divisible,
                _ => matches!(c.category, "transformer" | "generator_stator" | "pressure_vessel" | "wind_tower_section" | "tunnel_boring_machine"),
            })
            .collect();
        pool[rng.random_range(0..pool.len())]
    };
    let mut cl = round_to(rr(rng, cargo.length), 10);
    let cw = round_to(rr(rng, cargo.width), 10);
    let ch = round_to(rr(rng, cargo.height), 10);
    let mut mass = round_to(rr(rng, cargo.mass), 100);
    if cargo.divisible {
        // Divisible goods loaded over the limit: the reason they are refused.
        mass = round_to(rng.random_range(38_000..=44_000), 100);
    }
    let mut loads: Vec<u32>;
    let mut spacing: Vec<u32>;
    let tractor: &'static TractorModel;
    let tractor_curb: u32;
    let mut towing = None;
    let mut trailer = None;
    let deck;
    let length;
    let width;
    if kind == 0 {
        tractor = pick(rng, RIGIDS);
        mass = mass.min(if tractor.axles == 4 { 20_000 } else { 14_000 });
        cl = cl.min(9_500);
        tractor_curb = round_to(rr(rng, tractor.curb), 10);
        deck = 1300;
        let total = tractor_curb + mass;
        let steer = rng.random_range(6_000..=7_000) as u32;
        let rest = total - steer * if tractor.axles == 4 { 2 } else { 1 };
        let n_rear = 2;
        loads = if tractor.axles == 4 { vec![steer, steer] } else { vec![steer] };
        for i in 0..n_rear {
            loads.push(if i == n_rear - 1 { rest - rest / n_rear * (n_rear - 1) } else { rest / n_rear });
        }
        spacing = if tractor.axles == 4 { vec![1950, 4300, 1350] } else { vec![4500, 1350] };
        length = tractor.length + cl.saturating_sub(9_500);
        width = cw.max(2_550);
    } else {
        let tm: &'static TrailerModel = {
            let key = match kind {
                1 => "low_bed",
                2 => "flatbed",
                _ => "hydraulic_modular",
            };
            let pool: Vec<&'static TrailerModel> = TRAILERS.iter().filter(|t| t.kind == key).collect();
            pool[rng.random_range(0..pool.len())]
        };
        // Choose the tractor by the towing need (rough trailer curb first).
        let rough_need = mass + 20_000;
        let heavy = kind == 3 || rough_need > 80_000;
        let tpool: Vec<&'static TractorModel> = TRACTORS.iter().filter(|t| (t.axles == 4) == heavy).collect();
        tractor = tpool[rng.random_range(0..tpool.len())];
        tractor_curb = round_to(rr(rng, tractor.curb), 10);
        let steer = rng.random_range(6_200..=7_000) as u32;
        let drive = if n.axle_overload { rng.random_range(11_200..=11_800) } else { rng.random_range(9_800..=11_000) } as u32;
        let tr_axles = tractor.axles;
        // Both tractor kinds drive on two axles; a 4-axle one steers on two.
        let tractor_load = steer * if tr_axles == 4 { 2 } else { 1 } + drive * 2;
        let range: Vec<u32> = match kind {
            1 => (2..=6).collect(),
            2 => (2..=4).collect(),
            _ => (4..=24).collect(),
        };
        let mut chosen = None;
        for ax in range {
            let curb = match kind {
                1 => 7_000 + 2_000 * ax,
                2 => 5_500 + 1_500 * ax,
                _ => 2_000 + 3_400 * ax,
            };
            let curb = round_to(curb + rng.random_range(0..600), 10);
            let total = tractor_curb + curb + mass;
            if total <= tractor_load + 1_000 * ax {
                continue;
            }
            let per = (total - tractor_load) as f64 / ax as f64;
            let avg = total as f64 / (tr_axles + ax) as f64;
            let ok = match (kind, n.axle_overload) {
                (3, _) => per <= 17_000.0,
                (_, true) => avg > 10_150.0 && per <= 12_900.0,
                _ => avg <= 9_700.0 && per <= 12_500.0,
            };
            if ok {
                chosen = Some((ax, curb, total));
                break;
            }
        }
        let (ax, curb, total) = chosen?;
        loads = if tr_axles == 4 { vec![steer, steer, drive, drive] } else { vec![steer, drive, drive] };
        let rest = total - tractor_load;
        for i in 0..ax {
            loads.push(if i == ax - 1 { rest - rest / ax * (ax - 1) } else { rest / ax });
        }
        spacing = if tr_axles == 4 { vec![1_950, 3_200, 1_350] } else { vec![rng.random_range(32..=36) * 100, 1_350] };
        let (tl, deck_len) = match kind {
            1 => {
                let l = rng.random_range(130..=175) * 100;
                (l, l - 4_500)
            }
            2 => {
                if cargo.category == "wind_turbine_blade" {
                    // An extendable trailer under a blade.
                    let l = round_to(cl * 8 / 10, 100);
                    (l, l)
                } else {
                    (13_000, 13_000)
                }
            }
            _ => (1_600 * ax + 3_000, 1_600 * ax),
        };
        spacing.push(tl - deck_len + rng.random_range(40..=60) * 100);
        for _ in 1..ax {
            spacing.push(if kind == 3 { 1_550 } else { rng.random_range(131..=150) * 10 });
        }
        towing = {
            let need = curb + mass;
            let opts = [40_000u32, 49_000, 60_000, 80_000, 100_000, 150_000, 200_000, 250_000, 300_000, 400_000];
            Some(*opts.iter().find(|o| **o as f64 >= need as f64 * 1.1)?)
        };
        deck = tm.deck_height;
        length = tractor.length - 1_800 + tl + cl.saturating_sub(deck_len);
        width = cw.max(tm.width);
        trailer = Some(TrailerRig { model: tm, curb, axles: ax, length: tl });
    }
    let height = deck + ch + rng.random_range(0..=30);
    let total: u32 = loads.iter().sum();
    let comb = form::Combination {
        length_mm: Mm(round_to(length, 10)),
        width_mm: Mm(width),
        height_mm: Mm(height),
        total_mass_kg: Kg(total),
        axle_loads_kg: loads.iter().map(|l| Kg(*l)).collect(),
        axle_spacing_mm: spacing.iter().map(|s| Mm(*s)).collect(),
    };
    let rigid = trailer.is_none();
    let class = permit_class(&comb, rigid);
    if n.class3 && class != 3 || n.not_class3 && class == 3 {
        return None;
    }
    if n.under_limit == over_limit(&comb, rigid) {
        return None;
    }
    let name = cargo.name.to_string();
    Some(Rig { cargo, cargo_name: name, cl, cw, ch, mass, tractor, tractor_curb, towing, trailer, deck, comb })
}

// ------------------------------------------------------------ entities

impl Sim {
    pub fn new(rng: &mut ChaCha8Rng, split: Split) -> Sim {
        Sim { world: World::network(rng), split, company_extra: BTreeMap::new(), shared: vec![] }
    }

    fn pools(&self) -> &'static Pools {
        Pools::get(self.split)
    }

    fn all_counties() -> Vec<(&'static str, &'static str, &'static str)> {
        PROVINCES
            .iter()
            .flat_map(|p| p.cities.iter().flat_map(move |c| c.counties.iter().map(move |(k, _)| (p.code, c.code, *k))))
            .collect()
    }

    /// An address in one of the road network's counties.
    fn address(&self, rng: &mut ChaCha8Rng, county: &str) -> String {
        let (p, c, name) = county_name(county).expect("county");
        format!("{}{}{}{}", p.name, c.name, name, self.pools().street_address(rng, name))
    }

    fn new_company(&mut self, rng: &mut ChaCha8Rng) -> usize {
        let counties = Self::all_counties();
        // Most carriers are in Shandong, where the authority sits.
        let (_, city, county) = if rng.random_bool(0.8) {
            *pick(rng, &counties.iter().filter(|c| c.0 == "370000").copied().collect::<Vec<_>>())
        } else {
            *pick(rng, &counties)
        };
        let (prov, cityr, county_label) = county_name(county).unwrap();
        loop {
            let name = self.pools().company_name(rng, cityr.name, prov.name.trim_end_matches('省'), county_label);
            if self.world.companies.iter().any(|c| c.name == name) {
                continue;
            }
            let uscc = idgen::uscc(rng, city);
            let permit_number = format!("{}交运管许可{}字{}{:06}号", prov.abbr, cityr.short, city, rng.random_range(1..999_999));
            let long_term = rng.random_bool(0.6);
            let c = Company {
                uscc: uscc.clone(),
                name: name.clone(),
                address: Some(self.address(rng, county)),
                legal_representative: Some({
                    let male = rng.random_bool(0.8);
                    self.pools().person_name(rng, male)
                }),
                status: CompanyStatus::Active,
                term_until: Some(if long_term { Until::LongTerm } else { Until::Date(rand_date(rng, date(2035, 1, 1), date(2060, 12, 31))) }),
                permit_number: Some(permit_number),
                permit_valid_until: Some(rand_date(rng, date(2028, 3, 1), date(2031, 12, 31))),
                permit_scope: if rng.random_bool(0.7) {
                    vec!["道路普通货物运输".into(), "大型物件运输".into()]
                } else {
                    vec!["道路普通货物运输".into(), "货物专用运输（集装箱）".into(), "大型物件运输".into()]
                },
                restricted_until: None,
                violations: if rng.random_bool(0.2) {
                    // An old record outside the two-year window.
                    vec![Violation { date: rand_date(rng, date(2019, 1, 1), date(2023, 6, 30)), kind: "permit_mismatch".into(), note: Some("车证不符".into()) }]
                } else if rng.random_bool(0.15) {
                    vec![Violation { date: rand_date(rng, date(2024, 1, 1), date(2025, 12, 1)), kind: "overload".into(), note: Some("超限运输".into()) }]
                } else {
                    vec![]
                },
            };
            let extra = CompanyExtra {
                company_type: pick(rng, &["有限责任公司(自然人投资或控股)", "有限责任公司(自然人独资)", "其他有限责任公司"]).to_string(),
                capital: pick(rng, &["伍佰万元整", "壹仟万元整", "贰仟万元整", "叁佰万元整", "人民币伍仟万元"]).to_string(),
                established: rand_date(rng, date(2005, 1, 1), date(2021, 12, 31)),
                scope_text: "许可项目：道路货物运输（不含危险货物）；大型物件运输。一般项目：装卸搬运；国内货物运输代理；机械设备租赁。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）".to_string(),
                city: city.to_string(),
            };
            self.company_extra.insert(uscc.to_string(), extra);
            self.world.companies.push(c);
            return self.world.companies.len() - 1;
        }
    }

    fn company_county(&self, ci: usize) -> String {
        let city = &self.company_extra[self.world.companies[ci].uscc.as_str()].city;
        let (_, c) = super::regions::city(city).unwrap();
        c.counties[0].0.to_string()
    }

    fn new_person(&mut self, rng: &mut ChaCha8Rng, county: &str) -> usize {
        let male = rng.random_bool(0.85);
        loop {
            let birth = rand_date(rng, date(1966, 1, 1), date(1999, 12, 31));
            // Drivers mostly live where their carrier is; the others come
            // from anywhere in the country (their part of the pools).
            let (home, address) = if rng.random_bool(0.5) {
                (county.to_string(), self.address(rng, county))
            } else {
                let c = self.pools().county(rng);
                (c.code.to_string(), self.pools().address(rng, &c))
            };
            let id = idgen::id_number(rng, &home, birth, male);
            if self.world.persons.iter().any(|p| p.id_number == id) {
                continue;
            }
            self.world.persons.push(Person {
                id_number: id,
                name: self.pools().person_name(rng, male),
                sex: Some(if male { "男" } else { "女" }.into()),
                birth_date: Some(birth),
                address: Some(address),
                licence_class: None,
                licence_valid_from: None,
                licence_valid_until: None,
                licence_status: None,
                probation_until: None,
                qualification_number: None,
                qualification_category: None,
                qualification_valid_until: None,
                employer_uscc: None,
            });
            return self.world.persons.len() - 1;
        }
    }

    fn make_driver(&mut self, rng: &mut ChaCha8Rng, pi: usize, class: &str, employer: &dajian::types::Uscc) {
        let p = &mut self.world.persons[pi];
        let from = rand_date(rng, date(2018, 1, 1), date(2023, 12, 31));
        p.licence_class = Some(class.to_string());
        p.licence_valid_from = Some(from);
        p.licence_valid_until = Some(if rng.random_bool(0.3) {
            Until::LongTerm
        } else {
            Until::Date(Date::from_ymd_opt(from.year() + 10, from.month(), from.day().min(28)).unwrap())
        });
        // Licences issued before 2018-… still valid: keep them ≥ 2028.
        if let Some(Until::Date(d)) = p.licence_valid_until
            && d < date(2028, 1, 1)
        {
            p.licence_valid_until = Some(Until::Date(add_days(d, 3650)));
        }
        p.licence_status = Some(LicenceStatus::Valid);
        p.qualification_number = Some(if rng.random_bool(0.6) {
            p.id_number.to_string()
        } else {
            format!("{}{:012}", &p.id_number.as_str()[..6], rng.random_range(0..1_000_000_000_000u64))
        });
        p.qualification_category = Some(if rng.random_bool(0.85) { "经营性道路货物运输驾驶员" } else { "道路危险货物运输驾驶员" }.into());
        p.qualification_valid_until = Some(rand_date(rng, date(2028, 1, 1), date(2031, 12, 31)));
        p.employer_uscc = Some(employer.clone());
    }
}

// ------------------------------------------------------------ one application

pub struct Plan {
    pub index: usize,
    pub defect: Option<D>,
}

/// Chooses the defects of `n` applications: a quarter clean, the rest
/// cycling through the 21 checks (in a shuffled order) and, per check,
/// through its variants, so every check is covered once there are 21
/// defective applications.
pub fn plan(rng: &mut ChaCha8Rng, n: usize) -> Vec<Plan> {
    let mut checks: Vec<&str> = CheckId::all().map(CheckId::as_str).collect();
    checks.shuffle(rng);
    let mut variants: BTreeMap<&str, Vec<D>> = BTreeMap::new();
    for d in super::defects::ALL {
        variants.entry(d.check()).or_default().push(*d);
    }
    for v in variants.values_mut() {
        v.shuffle(rng);
    }
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    let mut k = 0;
    let mut plans: Vec<Plan> = (0..n)
        .map(|i| {
            if i % 4 == 0 {
                Plan { index: i, defect: None }
            } else {
                let c = checks[k % checks.len()];
                k += 1;
                let u = used.entry(c).or_insert(0);
                let d = variants[c][*u % variants[c].len()];
                *u += 1;
                Plan { index: i, defect: Some(d) }
            }
        })
        .collect();
    // Spread clean ones: shuffle the defects' order across applications.
    let mut defects: Vec<Option<D>> = plans.iter().map(|p| p.defect).collect();
    defects.shuffle(rng);
    for (p, d) in plans.iter_mut().zip(defects) {
        p.defect = d;
    }
    plans
}

fn authority_of(world: &World, segs: &[String], origin: &str, dest: &str) -> Option<Authority> {
    let mut codes: Vec<&str> = vec![];
    for id in [origin, dest] {
        codes.push(&world.node(id)?.region_code);
    }
    for s in segs {
        let s = world.segment(s)?;
        codes.push(&world.node(&s.from_node)?.region_code);
        codes.push(&world.node(&s.to_node)?.region_code);
    }
    let all = |n: usize| codes.iter().all(|c| c[..n] == codes[0][..n]);
    Some(if all(6) {
        Authority { level: "county".into(), region_code: codes[0].to_string() }
    } else if all(4) {
        Authority { level: "city".into(), region_code: format!("{}00", &codes[0][..4]) }
    } else if all(2) {
        Authority { level: "province".into(), region_code: format!("{}0000", &codes[0][..2]) }
    } else {
        Authority { level: "cross_province".into(), region_code: format!("{}0000", &world.node(origin)?.region_code[..2]) }
    })
}

/// The authorization letter reprinted to name another party: a name and a
/// code, each with the key it is printed under. Returns the letter's file.
fn letter_naming(pages: &mut [docs::PageDoc], (name_key, name): (&'static str, &str), (code_key, code): (&'static str, &str)) -> String {
    let pg = docs::page_mut(pages, DocKind::AuthorizationLetter, Some(Subject::Agent));
    pg.set_text(name_key, name);
    pg.set_code(code_key, code);
    pg.file.clone()
}

pub fn build(sim: &mut Sim, rng: &mut ChaCha8Rng, plan: &Plan) -> Result<AppCase> {
    let d = plan.defect;
    let mut needs = d.map(|d| d.needs()).unwrap_or_default();
    if d == Some(D::R4TooLong) {
        // A long-term window over 183 days is only possible when not class III.
        needs.not_class3 = true;
    }

    // The load, the vehicles and a trunk route that carries them.
    let counties = Sim::all_counties();
    let mut found = None;
    for _attempt in 0..400 {
        let Some(rig) = make_rig(rng, &needs) else { continue };
        let req = Load {
            height_mm: rig.comb.height_mm,
            width_mm: rig.comb.width_mm,
            total_mass_kg: rig.comb.total_mass_kg,
            max_axle_kg: rig.comb.axle_loads_kg.iter().max().copied().unwrap_or_default(),
        };
        let level = if needs.long_route { rng.random_range(2..4) } else { rng.random_range(0..100) / 25 };
        // 0 county, 1 city, 2 province, 3 cross-province
        let o = *pick(rng, &counties.iter().filter(|c| c.0 == "370000").copied().collect::<Vec<_>>());
        let cands: Vec<_> = counties
            .iter()
            .filter(|c| match level {
                0 => c.2 == o.2,
                1 => c.1 == o.1 && c.2 != o.2,
                2 => c.0 == o.0 && c.1 != o.1,
                _ => c.0 != o.0,
            })
            .copied()
            .collect();
        if cands.is_empty() {
            continue;
        }
        let dst = *pick(rng, &cands);
        let from = sim.world.county_node[o.2].clone();
        let to = sim.world.county_node[dst.2].clone();
        if let Some(trunk) = sim.world.route(&from, &to, &req) {
            if needs.long_route && trunk.is_empty() {
                continue;
            }
            found = Some((rig, req, o.2, dst.2, trunk));
            break;
        }
    }
    let (rig, req, o_county, d_county, trunk) = found.context("no load and route fit the defect's needs after 400 tries")?;
    let rigid = rig.trailer.is_none();
    let class = permit_class(&rig.comb, rigid);

    // Dates.
    let submitted = rand_date(rng, date(2026, 1, 5), date(2026, 10, 31));
    let start = add_days(submitted, rng.random_range(3..=20));
    let trips = if class != 3 && rng.random_bool(0.15) { rng.random_range(2..=12) } else { 1 };
    let end = if trips > 1 { add_days(start, rng.random_range(60..=150)) } else { add_days(start, rng.random_range(1..=10)) };

    // The carrier.
    let ci = if needs.fresh_company || sim.shared.len() < 3 || rng.random_bool(0.3) {
        let ci = sim.new_company(rng);
        if !needs.fresh_company {
            sim.shared.push(ci);
        }
        ci
    } else {
        sim.shared[rng.random_range(0..sim.shared.len())]
    };
    let uscc = sim.world.companies[ci].uscc.clone();
    let home = sim.company_county(ci);

    // People.
    let agent = sim.new_person(rng, &home);
    let n_drivers = if needs.drivers { rng.random_range(1..=2) } else { *pick(rng, &[0usize, 1, 1, 1, 1, 1, 2, 2, 2, 2]) };
    let mut drivers = vec![];
    for _ in 0..n_drivers {
        let pi = sim.new_person(rng, &home);
        let class = if rigid { *pick(rng, &["A2", "B2", "A1"]) } else { "A2" };
        sim.make_driver(rng, pi, class, &uscc);
        drivers.push(pi);
    }

    // Vehicles.
    let (prov, cityr) = super::regions::city(&sim.company_extra[uscc.as_str()].city).unwrap();
    let company_name = sim.world.companies[ci].name.clone();
    let company_addr = sim.world.companies[ci].address.clone();
    let inspection = Month::of(add_days(submitted, rng.random_range(250..=400)));
    let mk_vehicle = |rng: &mut ChaCha8Rng, plate, vin: dajian::types::Vin, vt: &str, bm: &str, curb: u32, axles: u32, tyres: u32, total: u32, rated: Option<u32>, towing: Option<u32>, dims: (u32, u32, u32), engine: Option<String>| Vehicle {
        plate,
        vin: Some(vin.to_string()),
        engine_number: engine,
        vehicle_type: Some(vt.to_string()),
        brand_model: Some(bm.to_string()),
        use_character: Some("货运".into()),
        owner: Some(company_name.clone()),
        owner_uscc: Some(uscc.clone()),
        register_date: Some(rand_date(rng, date(2019, 1, 1), date(2025, 6, 30))),
        total_mass_kg: Some(Kg(total)),
        curb_mass_kg: Some(Kg(curb)),
        rated_load_kg: rated.map(Kg),
        towing_mass_kg: towing.map(Kg),
        length_mm: Some(Mm(dims.0)),
        width_mm: Some(Mm(dims.1)),
        height_mm: Some(Mm(dims.2)),
        axles: Some(axles),
        tyres: Some(tyres),
        inspection_valid_until: Some(inspection),
        insurance_valid_until: Some(add_days(submitted, rng.random_range(250..=360))),
        rtc_number: Some(format!("{}{:08}", cityr.code, rng.random_range(0..100_000_000))),
        rtc_operator_uscc: Some(uscc.clone()),
        rtc_valid_until: Some(rand_date(rng, date(2028, 1, 1), date(2030, 12, 31))),
        status: "normal".into(),
    };
    let tm = rig.tractor;
    let t_plate = loop {
        let p = idgen::plate(rng, prov.abbr, cityr.plate_letter, false);
        if !sim.world.vehicles.iter().any(|v| v.plate == p) {
            break p;
        }
    };
    let year = rng.random_range(2019..=2025);
    let t_vin = idgen::vin(rng, tm.wmi, tm.vds, year);
    let t_tyres = if tm.axles == 4 { if rigid { 12 } else { 14 } } else { 10 };
    let t_total = if rigid { art3_limit(tm.axles as usize, true) } else if tm.axles == 4 { 41_000 } else { 25_000 };
    let t_engine = format!("{}{}", tm.engine_prefix, rng.random_range(10_000_000..99_999_999));
    let tractor_rec = mk_vehicle(
        rng,
        t_plate.clone(),
        t_vin.clone(),
        if rigid { "重型平板货车" } else { "重型半挂牵引车" },
        tm.brand_model,
        rig.tractor_curb,
        tm.axles,
        t_tyres,
        t_total,
        if rigid { Some(t_total - rig.tractor_curb) } else { None },
        rig.towing,
        (tm.length, 2_550, if rigid { 3_200 } else { 3_850 }),
        Some(t_engine),
    );
    sim.world.vehicles.push(tractor_rec);
    let ti = sim.world.vehicles.len() - 1;
    let mut trailer_i = None;
    if let Some(tr) = &rig.trailer {
        let p = loop {
            let p = idgen::plate(rng, prov.abbr, cityr.plate_letter, true);
            if !sim.world.vehicles.iter().any(|v| v.plate == p) {
                break p;
            }
        };
        let year = rng.random_range(2019..=2025);
        let vin = idgen::vin(rng, tr.model.wmi, tr.model.vds, year);
        let tyres = if tr.model.kind == "hydraulic_modular" { 8 * tr.axles } else { 4 * tr.axles };
        let total = round_to(tr.curb + rig.mass.max(30_000) + 5_000, 1_000);
        let rec = mk_vehicle(rng, p, vin, tr.model.vehicle_type, tr.model.brand_model, tr.curb, tr.axles, tyres, total, Some(total - tr.curb), None, (tr.length, tr.model.width, rig.deck + 600), None);
        sim.world.vehicles.push(rec);
        trailer_i = Some(sim.world.vehicles.len() - 1);
    }

    // Sites and the route.
    let (origin, acc_o) = sim.world.add_site(rng, o_county);
    let (destination, acc_d) = sim.world.add_site(rng, d_county);
    // Access roads carry small structures that the load passes.
    for seg in [&acc_o, &acc_d] {
        if rng.random_bool(0.4) {
            let gross = round_to(req.total_mass_kg.0 + rng.random_range(10_000..80_000), 1_000);
            sim.world.add_structure(seg, StructureKind::Culvert, format!("{}涵洞", pick(rng, &["一号", "二号", "东", "西"])), None, None, Some(gross), None, Some(rng.random_range(1..=3)));
        }
    }
    let mut segments = vec![acc_o.clone()];
    segments.extend(trunk.iter().cloned());
    segments.push(acc_d.clone());

    // The form.
    let t_rec = sim.world.vehicles[ti].clone();
    let tractor = form::Vehicle {
        plate: Some(t_rec.plate.to_string()),
        vin: t_vin.to_string(),
        brand_model: tm.brand_model.to_string(),
        curb_mass_kg: Kg(rig.tractor_curb),
        axles: tm.axles,
        tyres: t_tyres,
        kind: None,
        deck_height_mm: if rigid { Some(Mm(rig.deck)) } else { None },
        temporary_plate: false,
    };
    let trailer = trailer_i.map(|i| {
        let r = &sim.world.vehicles[i];
        let tr = rig.trailer.as_ref().unwrap();
        form::Vehicle {
            plate: Some(r.plate.to_string()),
            vin: r.vin.clone().unwrap(),
            brand_model: tr.model.brand_model.to_string(),
            curb_mass_kg: Kg(tr.curb),
            axles: tr.axles,
            tyres: r.tyres.unwrap(),
            kind: Some(match tr.model.kind {
                "low_bed" => TrailerKind::LowBed,
                "flatbed" => TrailerKind::Flatbed,
                _ => TrailerKind::HydraulicModular,
            }),
            deck_height_mm: Some(Mm(rig.deck)),
            temporary_plate: false,
        }
    });
    let persons = &sim.world.persons;
    let mut app = Application {
        application_no: Some(format!("{}-2026-{:06}", cityr.short, 100 + plan.index)),
        submitted_on: submitted,
        carrier: form::Carrier { name: company_name.clone(), uscc: uscc.to_string() },
        agent: form::Agent {
            name: persons[agent].name.clone(),
            id_number: persons[agent].id_number.to_string(),
            phone: Some(format!("13{}{:08}", rng.random_range(0..10), rng.random_range(0..100_000_000))),
        },
        drivers: drivers.iter().map(|&i| form::Driver { name: persons[i].name.clone(), id_number: persons[i].id_number.to_string() }).collect(),
        tractor,
        trailer,
        combination: rig.comb.clone(),
        cargo: form::Cargo {
            name: rig.cargo_name.clone(),
            category: rig.cargo.category.to_string(),
            length_mm: Mm(rig.cl),
            width_mm: Mm(rig.cw),
            height_mm: Mm(rig.ch),
            mass_kg: Kg(rig.mass),
            pieces: 1,
            indivisible: true,
        },
        route: form::Route { origin: origin.clone(), destination: destination.clone(), segments: segments.clone(), start_date: start, end_date: end, trips },
        documents: vec![],
    };
    let _ = company_addr;

    // ---- defects in the registry (mirrored on pages built from it) and in the form
    let mut dt: Option<DefectTruth> = None;
    let mut note = |desc: String, loc: &str| {
        let d = d.unwrap();
        dt = Some(DefectTruth { id: d.id().into(), check: d.check().into(), status: d.status(), description: desc, location: loc.into(), file: None });
    };
    let drv0 = drivers.first().copied();
    match d {
        Some(D::P3Expired) => {
            let p = &mut sim.world.persons[drv0.unwrap()];
            let until = add_days(end, -rng.random_range(1..=40));
            p.licence_valid_until = Some(Until::Date(until));
            p.licence_valid_from = Some(add_days(until, -3652));
            note(format!("driver 0's licence ends {until}, before the travel window ends {end}"), "registry+document");
        }
        Some(D::P3Suspended) => {
            sim.world.persons[drv0.unwrap()].licence_status = Some(LicenceStatus::Suspended);
            note("driver 0's licence is suspended in the registry".into(), "registry");
        }
        Some(D::P3Probation) => {
            let p = &mut sim.world.persons[drv0.unwrap()];
            let until = add_days(start, rng.random_range(0..=60));
            p.probation_until = Some(until);
            note(format!("driver 0 is on probation until {until}, overlapping the window, and drives a tractor"), "registry");
        }
        Some(D::P3ClassB2) => {
            sim.world.persons[drv0.unwrap()].licence_class = Some("B2".into());
            note("driver 0 holds class B2, which does not cover a tractor with a trailer".into(), "registry+document");
        }
        Some(D::P4Expired) => {
            let until = add_days(end, -rng.random_range(1..=120));
            sim.world.persons[drv0.unwrap()].qualification_valid_until = Some(until);
            note(format!("driver 0's qualification ends {until}, before the window ends"), "registry+document");
        }
        Some(D::P4Category) => {
            sim.world.persons[drv0.unwrap()].qualification_category = Some("经营性道路旅客运输驾驶员".into());
            note("driver 0's qualification is for passenger transport".into(), "registry+document");
        }
        Some(D::C2Scope) => {
            sim.world.companies[ci].permit_scope = vec!["道路普通货物运输".into()];
            note("the operating permit does not include 大型物件运输".into(), "registry+document");
        }
        Some(D::C3PermitExpired) => {
            let until = add_days(end, -rng.random_range(1..=200));
            sim.world.companies[ci].permit_valid_until = Some(until);
            note(format!("the operating permit ends {until}, before the window ends"), "registry+document");
        }
        Some(D::C3TermEnded) => {
            let until = add_days(submitted, -rng.random_range(1..=300));
            sim.world.companies[ci].term_until = Some(Until::Date(until));
            note(format!("the business term ended {until}"), "registry+document");
        }
        Some(D::C3Revoked) => {
            sim.world.companies[ci].status = CompanyStatus::Revoked;
            note("the company's registry status is revoked".into(), "registry");
        }
        Some(D::C4Restricted) => {
            let until = add_days(submitted, rng.random_range(1..=300));
            sim.world.companies[ci].restricted_until = Some(until);
            note(format!("the company may not apply until {until}"), "registry");
        }
        Some(D::C4Violation) => {
            let when = add_days(submitted, -rng.random_range(30..=600));
            sim.world.companies[ci].violations.push(Violation { date: when, kind: "permit_mismatch".into(), note: Some("车证不符".into()) });
            note(format!("a permit_mismatch violation on {when}, within two years"), "registry");
        }
        Some(D::V2Inspection) => {
            let v = &mut sim.world.vehicles[ti];
            let m = Month::of(add_days(start, -rng.random_range(20..=200)));
            v.inspection_valid_until = Some(m);
            note(format!("the tractor's inspection ran out in {m}"), "registry+document");
        }
        Some(D::V2Insurance) => {
            let v = &mut sim.world.vehicles[trailer_i.unwrap_or(ti)];
            let until = add_days(end, -rng.random_range(1..=60));
            v.insurance_valid_until = Some(until);
            note(format!("insurance of {} ends {until}", v.plate), "registry");
        }
        Some(D::V2Seized) => {
            sim.world.vehicles[ti].status = "seized".into();
            note("the tractor is seized in the registry".into(), "registry");
        }
        Some(D::V3RtcExpired) => {
            let v = &mut sim.world.vehicles[ti];
            let until = add_days(end, -rng.random_range(1..=300));
            v.rtc_valid_until = Some(until);
            note(format!("the tractor's road transport certificate ends {until}"), "registry+document");
        }
        Some(D::V5Towing) => {
            let need = rig.trailer.as_ref().unwrap().curb + rig.mass;
            let towing = round_to(need - rng.random_range(2_000..=need / 5), 1_000).min(need - 1_000);
            sim.world.vehicles[ti].towing_mass_kg = Some(Kg(towing));
            note(format!("the tractor may tow {towing} kg, less than trailer curb + cargo {need} kg"), "registry+document");
        }
        Some(D::V4BrandModel) => {
            let other = TRACTORS.iter().chain(RIGIDS).find(|m| m.brand_model != app.tractor.brand_model && m.axles == app.tractor.axles).unwrap();
            app.tractor.brand_model = other.brand_model.to_string();
            note(format!("the form declares the tractor as {}", other.brand_model), "form");
        }
        Some(D::V4CurbMass) => {
            let c = app.tractor.curb_mass_kg.0;
            let delta = (c as f64 * rng.random_range(0.035..0.05)).round() as u32;
            app.tractor.curb_mass_kg = Kg(c + delta);
            note(format!("the form's tractor curb mass is {} kg against {c} kg licensed", c + delta), "form");
        }
        Some(D::V1FormVinTypo) => {
            let typo = idgen::vin_typo(rng, &t_vin);
            app.tractor.vin = typo.clone();
            note(format!("the form's tractor VIN {typo} has a wrong check digit"), "form");
        }
        Some(D::R1UnknownSegment) => {
            let i = rng.random_range(0..app.route.segments.len());
            app.route.segments[i] = format!("S-{:04}", 9000 + rng.random_range(0..999));
            note(format!("route segment {} does not exist", app.route.segments[i]), "form");
        }
        Some(D::R1Gap) => {
            let i = rng.random_range(1..app.route.segments.len() - 1);
            let gone = app.route.segments.remove(i);
            note(format!("segment {gone} is left out of the route, which breaks it"), "form");
        }
        Some(D::R3WeakBridge) => {
            let lim = round_to(req.total_mass_kg.0 * rng.random_range(70..=95) / 100, 1_000);
            sim.world.add_structure(&acc_o, StructureKind::Bridge, "厂区外跨河小桥".into(), None, None, Some(lim), None, Some(2));
            note(format!("a bridge on {acc_o} carries at most {lim} kg"), "registry");
        }
        Some(D::R3LowClearance) => {
            let h = round_to(req.height_mm.0 - rng.random_range(100..=400), 10);
            sim.world.add_structure(&acc_o, StructureKind::Underpass, "铁路下穿通道".into(), Some(h), Some(7_000), None, None, None);
            note(format!("an underpass on {acc_o} has {h} mm clearance"), "registry");
        }
        Some(D::R3Rated4) => {
            sim.world.add_structure(&acc_o, StructureKind::Bridge, "老石拱桥".into(), None, None, None, None, Some(rng.random_range(4..=5)));
            note(format!("a bridge rated 4–5 on {acc_o} needs a survey"), "registry");
        }
        Some(D::R3Substandard) => {
            if let Some(s) = sim.world.segments.iter_mut().find(|s| s.id == acc_o) {
                s.road_class = RoadClass::Substandard;
            }
            note(format!("access road {acc_o} is substandard"), "registry");
        }
        Some(D::R4StartBeforeSubmit) => {
            let len = (app.route.end_date - app.route.start_date).num_days();
            app.route.start_date = add_days(submitted, -rng.random_range(1..=10));
            app.route.end_date = add_days(app.route.start_date, len);
            note("the travel window starts before the submission date".into(), "form");
        }
        Some(D::R4TooLong) => {
            if app.route.trips > 1 {
                app.route.end_date = add_days(app.route.start_date, rng.random_range(184..=190));
            } else {
                app.route.end_date = add_days(app.route.start_date, rng.random_range(31..=45));
            }
            note(format!("the window {}…{} is too long for {} trip(s)", app.route.start_date, app.route.end_date, app.route.trips), "form");
        }
        Some(D::R4LongTermClass3) => {
            app.route.trips = rng.random_range(2..=6);
            note("a class III load asks for a long-term permit".into(), "form");
        }
        Some(D::G1NotIndivisible) => {
            app.cargo.indivisible = false;
            note("the cargo is declared divisible".into(), "form");
        }
        Some(D::G1Divisible) => note(format!("{} is divisible goods", app.cargo.name), "form"),
        Some(D::G1Pieces) => {
            app.cargo.pieces = 2;
            note("two pieces are loaded together".into(), "form");
        }
        Some(D::G2CargoHeight) => {
            let h = app.combination.height_mm.0 - rig.deck + rng.random_range(100..=400);
            app.cargo.height_mm = Mm(h);
            note(format!("cargo height {h} mm on a {} mm deck exceeds the outline height", rig.deck), "form");
        }
        Some(D::G2CargoWidth) => {
            let w = app.combination.width_mm.0 + rng.random_range(100..=400);
            app.cargo.width_mm = Mm(w);
            note(format!("cargo width {w} mm exceeds the outline width"), "form");
        }
        Some(D::G2Mass) => {
            let total = app.combination.total_mass_kg.0;
            let cut = (total as f64 * rng.random_range(0.05..0.09)).round() as u32;
            app.cargo.mass_kg = Kg(rig.mass - cut.min(rig.mass / 2));
            note(format!("cargo mass {} kg does not add up to the total {total} kg", app.cargo.mass_kg.0), "form");
        }
        Some(D::G3Sum) => {
            let total = app.combination.total_mass_kg.0;
            let cut = (total as f64 * rng.random_range(0.04..0.08)).round() as u32;
            let n = app.combination.axle_loads_kg.len();
            // Trailer axles carry the cut; a rigid truck's rear axles do.
            let first_trailer = if app.trailer.is_some() { app.tractor.axles as usize } else { 1 };
            let share = cut / (n - first_trailer) as u32;
            for a in &mut app.combination.axle_loads_kg[first_trailer..] {
                a.0 -= share;
            }
            note(format!("axle loads sum to {} kg against a total of {total} kg", app.combination.axle_loads_kg.iter().map(|k| k.0).sum::<u32>()), "form");
        }
        Some(D::G3Count) => {
            app.combination.axle_loads_kg.pop();
            note("one axle load is missing".into(), "form");
        }
        Some(D::G3Average) => note("the axles carry more than 10 000 kg on average".into(), "form"),
        Some(D::G4UnderLimit) => note("the combination is within every Art. 3 limit: no permit is needed".into(), "form"),
        _ => {}
    }

    // ---- pages
    let mut pages = docs::pages_for(sim, rng, &app, ci, agent, &drivers, ti, trailer_i, class)?;

    // ---- defects on pages
    let mut defect_file = None;
    match d {
        Some(D::P1IdCardOther) => {
            let other = sim.new_person(rng, &home);
            let pg = docs::page_mut(&mut pages, DocKind::IdCard, Some(Subject::Agent));
            docs::fill_id_card(pg, &sim.world.persons[other], rng);
            defect_file = Some(pg.file.clone());
            note("the ID card page is another person's".into(), "document");
        }
        Some(D::P1IdCardMissing) => {
            defect_file = Some(docs::remove(&mut pages, DocKind::IdCard, Some(Subject::Agent)));
            note("no ID card page for the agent".into(), "missing_document");
        }
        Some(D::P2LetterOtherAgent) => {
            let other = sim.new_person(rng, &home);
            let p = &sim.world.persons[other];
            defect_file = Some(letter_naming(&mut pages, ("agent_name", &p.name), ("agent_id_number", p.id_number.as_str())));
            note(format!("the letter authorises {} instead of the agent", p.name), "document");
        }
        Some(D::P2LetterExpired) => {
            let pg = docs::page_mut(&mut pages, DocKind::AuthorizationLetter, Some(Subject::Agent));
            let until = add_days(submitted, -rng.random_range(1..=90));
            pg.set_date("valid_until", until);
            pg.set_date("valid_from", add_days(until, -rng.random_range(90..=365)));
            defect_file = Some(pg.file.clone());
            note(format!("the letter's period ended {until}"), "document");
        }
        Some(D::P2LetterMissing) => {
            defect_file = Some(docs::remove(&mut pages, DocKind::AuthorizationLetter, Some(Subject::Agent)));
            note("no authorization letter".into(), "missing_document");
        }
        Some(D::P2LetterOtherPrincipal) => {
            let other = sim.new_company(rng);
            let c = &sim.world.companies[other];
            defect_file = Some(letter_naming(&mut pages, ("principal_name", &c.name), ("principal_uscc", c.uscc.as_str())));
            note(format!("the letter is issued by {}", c.name), "document");
        }
        Some(D::P3Missing) => {
            defect_file = Some(docs::remove(&mut pages, DocKind::DrivingLicence, Some(Subject::Driver(0))));
            note("no driving licence page for driver 0".into(), "missing_document");
        }
        Some(D::P3OtherNumber) => {
            let other = sim.new_person(rng, &home);
            let p = sim.world.persons[other].clone();
            let pg = docs::page_mut(&mut pages, DocKind::DrivingLicence, Some(Subject::Driver(0)));
            pg.set_code("licence_number", p.id_number.as_str());
            pg.set_text("name", &p.name);
            defect_file = Some(pg.file.clone());
            note(format!("driver 0's licence page is {}'s", p.name), "document");
        }
        Some(D::P4OtherHolder) => {
            let other = sim.new_person(rng, &home);
            let p = sim.world.persons[other].clone();
            let pg = docs::ensure_page(&mut pages, DocKind::QualificationCertificate, Some(Subject::Driver(0)), sim, rng, &app, drv0.unwrap())?;
            pg.set_text("name", &p.name);
            pg.set_code("certificate_number", p.id_number.as_str());
            defect_file = Some(pg.file.clone());
            note(format!("the qualification page is {}'s", p.name), "document");
        }
        Some(D::C1UsccOnLicence) => {
            let other = idgen::uscc(rng, &sim.company_extra[uscc.as_str()].city);
            let pg = docs::page_mut(&mut pages, DocKind::BusinessLicence, Some(Subject::Carrier));
            pg.set_code("uscc", other.as_str());
            defect_file = Some(pg.file.clone());
            note(format!("the business licence shows USCC {other}"), "document");
        }
        Some(D::C1NameOnLicence) => {
            let pg = docs::page_mut(&mut pages, DocKind::BusinessLicence, Some(Subject::Carrier));
            let name = docs::name_variant(&company_name);
            pg.set_text("company_name", &name);
            defect_file = Some(pg.file.clone());
            note(format!("the business licence names the company {name}"), "document");
        }
        Some(D::V1TrailerVinPage) => {
            let other = idgen::other_vin(rng, &dajian::types::Vin::parse(&app.trailer.as_ref().unwrap().vin).unwrap());
            let pg = docs::page_mut(&mut pages, DocKind::VehicleLicence, Some(Subject::Trailer));
            pg.set_code("vin", other.as_str());
            defect_file = Some(pg.file.clone());
            note(format!("the trailer licence shows VIN {other}"), "document");
        }
        Some(D::V1TractorPlatePage) => {
            let other = idgen::plate(rng, prov.abbr, cityr.plate_letter, false);
            let pg = docs::page_mut(&mut pages, DocKind::VehicleLicence, Some(Subject::Tractor));
            pg.set_code("plate_number", other.as_str());
            defect_file = Some(pg.file.clone());
            note(format!("the tractor licence shows plate {other}"), "document");
        }
        Some(D::V3OperatorPage) => {
            let other = sim.new_company(rng);
            let name = sim.world.companies[other].name.clone();
            let pg = docs::ensure_page(&mut pages, DocKind::RoadTransportCertificate, Some(Subject::Tractor), sim, rng, &app, ti)?;
            pg.set_text("operator_name", &name);
            defect_file = Some(pg.file.clone());
            note(format!("the tractor's road transport certificate names {name}"), "document");
        }
        Some(D::R2NoEscort) => {
            defect_file = Some(docs::remove(&mut pages, DocKind::EscortPlan, None));
            note("class III without an escort plan".into(), "missing_document");
        }
        Some(D::R2NoContour) => {
            defect_file = Some(docs::remove(&mut pages, DocKind::ContourDrawing, None));
            note("class III without a contour drawing".into(), "missing_document");
        }
        Some(D::R2MissingSection) => {
            let pg = docs::page_mut(&mut pages, DocKind::EscortPlan, None);
            let gone = docs::drop_section(pg, rng);
            defect_file = Some(pg.file.clone());
            note(format!("the escort plan has no section {gone}"), "document");
        }
        _ => {}
    }
    if let Some(dt) = dt.as_mut() {
        dt.file = defect_file.clone();
    }
    // Pages involved in a defect declare their kind and subject, so the
    // outcome does not hinge on classification.
    if let Some(f) = &defect_file
        && let Some(p) = pages.iter_mut().find(|p| &p.file == f)
    {
        p.declared = true;
    }
    docs::name_files(&mut pages, rng);
    app.documents = pages
        .iter()
        .map(|p| form::DocumentRef { file: p.file.clone(), kind: p.declared.then_some(p.kind), subject: if p.declared { p.subject } else { None } })
        .collect();

    // ---- expected outcome
    let mut checks: BTreeMap<String, Status> = CheckId::all().map(|c| (c.to_string(), Status::Pass)).collect();
    if app.drivers.is_empty() {
        checks.insert("P3".into(), Status::NotApplicable);
        checks.insert("P4".into(), Status::NotApplicable);
    }
    if app.trailer.is_none() {
        checks.insert("V5".into(), Status::NotApplicable);
    }
    if let Some(d) = d {
        checks.insert(d.check().into(), d.status());
    }
    let mut approvals = vec![];
    if over_limit(&app.combination, rigid) {
        approvals.push("overlimit_permit".to_string());
    }
    if app.route.segments.iter().any(|s| sim.world.segment(s).is_some_and(|s| s.urban)) {
        approvals.push("urban_special_vehicle".to_string());
    }
    let authority = if matches!(d, Some(D::R1Gap | D::R1UnknownSegment)) { None } else { authority_of(&sim.world, &app.route.segments, &origin, &destination) };
    let expected = Expected { verdict: verdict(&checks), permit_class: permit_class(&app.combination, rigid), authority, approvals, checks };
    Ok(AppCase { name: format!("app_{:04}", plan.index + 1), form: app, pages, defect: d.zip(dt), expected })
}
