//! Word pools the synthetic world draws from.
//!
//! Names and places come from reference lists as wide as the country
//! (`datasets/pools/`, made by `make_pools.py` from PyPI's `faker` and
//! `cpca`, with their sources): 420 surnames weighted by frequency, given
//! names from common ones and from any of the 3 755 GB 2312 level-1 hanzi,
//! every GB/T 2260 province, prefecture and county. Each list is split in
//! two by a fixed hash ([`Split`]): training worlds draw from the seen
//! part only, and `datasets/test/unseen` from the held-out part, so the
//! bench can tell reading names from remembering them.
//!
//! Every character here is in the shipped font subsets
//! (`datasets/fonts/make_subsets.py` reads this folder and `datasets/pools/`).

use std::sync::OnceLock;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// Which part of the name and place pools a world draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// What training and `datasets/dev`/`test` draw from.
    #[default]
    Seen,
    /// Never drawn by training: surnames, given-name characters, places
    /// and shop-name characters whose hash falls in one seventh.
    HeldOut,
}

impl Split {
    /// The part `key` (a surname, a character, a prefecture code) is in.
    pub fn of(key: &str) -> Split {
        // FNV-1a: stable across platforms and Rust versions, unlike std's hasher.
        let mut h: u32 = 0x811c_9dc5;
        for b in key.bytes() {
            h = (h ^ b as u32).wrapping_mul(0x0100_0193);
        }
        if h % 7 == 3 { Split::HeldOut } else { Split::Seen }
    }
}

const SURNAMES_TSV: &str = include_str!("../../pools/surnames.tsv");
const GIVEN_TSV: &str = include_str!("../../pools/given_names.tsv");
const HANZI: &str = include_str!("../../pools/hanzi_level1.txt");
/// Shared with the service, which mends an address's divisions by it.
const DIVISIONS_TSV: &str = include_str!("../../../rules/divisions.tsv");
/// What the recogniser can emit: a name it could never read is not a test
/// of the extractor (8 level-1 hanzi are missing from it).
const OCR_ALPHABET: &str = include_str!("../../../models/ocr/alphabet.txt");

/// One part of the pools.
pub struct Pools {
    /// (surname, cumulative weight)
    surnames: Vec<(&'static str, f64)>,
    given_male: Vec<&'static str>,
    given_female: Vec<&'static str>,
    /// Level-1 hanzi of this part: given names, shop names, streets, towns.
    hanzi: Vec<char>,
    /// The entries of [`SHOP_NAMES`] whose characters all hash into this part.
    known_shops: Vec<&'static str>,
    /// County-level divisions: (code, province, prefecture or "", county).
    pub counties: Vec<County>,
}

#[derive(Debug, Clone, Copy)]
pub struct County {
    pub code: &'static str,
    pub province: &'static str,
    pub prefecture: &'static str,
    pub name: &'static str,
}

impl Pools {
    pub fn get(split: Split) -> &'static Pools {
        static POOLS: OnceLock<[Pools; 2]> = OnceLock::new();
        let all = POOLS.get_or_init(|| [Pools::build(Split::Seen), Pools::build(Split::HeldOut)]);
        &all[split as usize]
    }

    fn build(split: Split) -> Pools {
        // The committed real-OCR samples (`datasets/ocr-samples.jsonl`) were
        // made from the narrow pools before these; what they hold is seen,
        // whatever its hash, so the held-out part is unseen by any training
        // input and every entry is in exactly one part.
        let held = |key: &str, old: &str| {
            let part = if old.contains(key) { Split::Seen } else { Split::of(key) };
            part == split
        };
        let mut surnames = vec![];
        let mut total = 0.0;
        for line in SURNAMES_TSV.lines() {
            let (s, w) = line.split_once('\t').expect("surnames.tsv: name<TAB>weight");
            if held(s, OLD_SURNAMES) {
                total += w.parse::<f64>().expect("surnames.tsv: weight");
                surnames.push((s, total));
            }
        }
        let hanzi: Vec<char> = HANZI.trim().chars().filter(|c| OCR_ALPHABET.contains(*c) && held(&c.to_string(), OLD_GIVEN)).collect();
        let in_part = |name: &str| name.chars().all(|c| hanzi.contains(&c));
        let (mut given_male, mut given_female) = (vec![], vec![]);
        for line in GIVEN_TSV.lines() {
            let (n, sex) = line.split_once('\t').expect("given_names.tsv: name<TAB>sex");
            if in_part(n) {
                if sex == "m" { &mut given_male } else { &mut given_female }.push(n);
            }
        }
        let names: std::collections::HashMap<&str, &str> =
            DIVISIONS_TSV.lines().map(|l| l.split_once('\t').expect("divisions.tsv: code<TAB>name")).collect();
        let name_of = |code: &str| names.get(code).copied();
        let mut counties = vec![];
        for line in DIVISIONS_TSV.lines() {
            let (code, name) = line.split_once('\t').expect("divisions.tsv: code<TAB>name");
            if code.ends_with("00") || !held(&code[..4], OLD_PREFECTURES) {
                continue;
            }
            let Some(province) = name_of(&format!("{}0000", &code[..2])) else { continue };
            // Municipalities and 省直辖 counties have no prefecture row.
            let prefecture = name_of(&format!("{}00", &code[..4])).unwrap_or("");
            counties.push(County { code, province, prefecture, name });
        }
        let known_shops = SHOP_NAMES.iter().copied().filter(|w| w.chars().all(|c| Split::of(&c.to_string()) == split)).collect();
        Pools { surnames, given_male, given_female, hanzi, known_shops, counties }
    }

    pub fn surname<R: Rng>(&self, rng: &mut R) -> &'static str {
        let total = self.surnames.last().expect("surnames").1;
        let x = rng.random_range(0.0..total);
        self.surnames[self.surnames.partition_point(|s| s.1 <= x).min(self.surnames.len() - 1)].0
    }

    /// Any level-1 hanzi of this part.
    pub fn hanzi<R: Rng>(&self, rng: &mut R) -> char {
        self.hanzi[rng.random_range(0..self.hanzi.len())]
    }

    fn hanzi_word<R: Rng>(&self, rng: &mut R, n: usize) -> String {
        (0..n).map(|_| self.hanzi(rng)).collect()
    }

    /// A person's name: a weighted surname, then a common given name or one
    /// or two characters from all of level 1 (names use thousands).
    pub fn person_name<R: Rng>(&self, rng: &mut R, male: bool) -> String {
        let mut n = self.surname(rng).to_string();
        let common = if male { &self.given_male } else { &self.given_female };
        if rng.random_bool(0.45) && !common.is_empty() {
            n.push_str(common[rng.random_range(0..common.len())]);
        } else {
            let len = if rng.random_bool(0.65) { 2 } else { 1 };
            n.push_str(&self.hanzi_word(rng, len));
        }
        n
    }

    pub fn county<R: Rng>(&self, rng: &mut R) -> County {
        self.counties[rng.random_range(0..self.counties.len())]
    }

    /// What follows the county in an address: a street and number in a
    /// district, or a town, a village and a number elsewhere.
    pub fn street_address<R: Rng>(&self, rng: &mut R, county: &str) -> String {
        let street = |rng: &mut R| {
            let len = if rng.random_bool(0.8) { 2 } else { 3 };
            let word = self.hanzi_word(rng, len);
            format!("{word}{}", pick(rng, &["路", "街", "大街", "大道", "路", "中路", "东路", "西路", "南街", "北街"]))
        };
        if county.ends_with('区') || rng.random_bool(0.3) {
            let mut s = format!("{}{}号", street(rng), rng.random_range(1..999));
            if rng.random_bool(0.25) {
                s.push_str(&format!("{}号楼{}单元{}室", rng.random_range(1..30), rng.random_range(1..6), rng.random_range(101..2800)));
            }
            s
        } else {
            let town = format!("{}{}", self.hanzi_word(rng, 2), pick(rng, &["镇", "乡", "街道", "镇"]));
            if rng.random_bool(0.5) {
                format!("{town}{}村{}号", self.hanzi_word(rng, 2), rng.random_range(1..300))
            } else {
                format!("{town}{}{}号", street(rng), rng.random_range(1..300))
            }
        }
    }

    /// A full address in any county of this part of the country.
    pub fn address<R: Rng>(&self, rng: &mut R, county: &County) -> String {
        format!("{}{}{}{}", county.province, county.prefecture, county.name, self.street_address(rng, county.name))
    }

    /// A company's trade name (字号): a known one or two to four hanzi.
    pub fn shop_name<R: Rng>(&self, rng: &mut R) -> String {
        let known = &self.known_shops;
        if rng.random_bool(0.25) && !known.is_empty() {
            known[rng.random_range(0..known.len())].to_string()
        } else {
            let n = *pick(rng, &[2, 2, 2, 3, 4]);
            self.hanzi_word(rng, n)
        }
    }

    /// A carrier's name as registered: place, trade name, trade and form,
    /// sometimes a bracketed region, a group or a branch.
    pub fn company_name<R: Rng>(&self, rng: &mut R, city: &str, province_short: &str, county: &str) -> String {
        let shop = self.shop_name(rng);
        let trade = pick(rng, TRADES);
        let form = pick(rng, &["有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]);
        let city = city.trim_end_matches('市');
        let mut name = match rng.random_range(0..10) {
            // Brackets as the NFKC form keeps them (ASCII): the form and the registry
            // hold names normalised.
            0 => format!("{shop}({province_short}){trade}{form}"),
            1 => format!("{shop}{trade}{form}"),
            _ => format!("{city}{shop}{trade}{form}"),
        };
        if rng.random_bool(0.08) {
            name.push_str(&format!("{}分公司", county.trim_end_matches(['区', '县', '市'])));
        }
        name
    }
}

/// The pools of the first generator (before issue 22), which the committed
/// real-OCR samples were drawn from: never part of the held-out part.
const OLD_SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕孔颜孟庞欧阳司马";
const OLD_GIVEN: &str = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国庆春海峰亮志新东文利芳娜敏静丽艳娟霞秀玲桂英华燕萍红琴云莲梅雪慧颖婷倩";
const OLD_PREFECTURES: &str = "3701 3702 3703 3708 3709 3711 3713 3717 3203 3207 4101 4114 1301 1304";

/// Well-known trade names; most are drawn from all of level 1 instead.
pub const SHOP_NAMES: &[&str] = &[
    "顺达", "通远", "恒泰", "鑫源", "宏运", "安达", "路通", "华宇", "金桥", "东方", "中联", "远航", "鲁通", "泰山", "运河",
    "海川", "永盛", "盛世", "众诚", "力拓", "长城", "大道", "正阳", "鼎盛", "坤元",
];
pub const TRADES: &[&str] = &[
    "大件运输", "物流", "重型物流", "运输", "大件物流", "专用运输", "供应链管理", "重型设备运输", "吊装运输", "工程运输",
    "汽车运输", "货运", "国际物流", "运输服务", "重工物流", "物流科技",
];
pub const STREETS: &[&str] = &["建设路", "人民路", "解放路", "工业大道", "光明路", "济安桥路", "开发区纬二路", "物流园经三路", "港口大道", "太白湖路", "红星路", "运河路"];
pub const PARKS: &[&str] = &["经济开发区", "高新技术产业园", "港口物流园", "重工业园", "装备制造园", "化工园区", "风电产业园", "电力设备产业园", "建材工业园", "货运枢纽"];

pub struct TractorModel {
    pub brand_model: &'static str,
    pub wmi: &'static str,
    pub vds: &'static str,
    pub engine_prefix: &'static str,
    pub axles: u32,
    pub curb: (u32, u32),
    pub length: u32,
}

pub const TRACTORS: &[TractorModel] = &[
    TractorModel { brand_model: "豪沃牌ZZ4257V324HE1B", wmi: "LZZ", vds: "1CLVB", engine_prefix: "MC13", axles: 3, curb: (8800, 9400), length: 6900 },
    TractorModel { brand_model: "解放牌CA4250P66K24T1A", wmi: "LFW", vds: "SRXSJ", engine_prefix: "CA6DM", axles: 3, curb: (8900, 9500), length: 6950 },
    TractorModel { brand_model: "东风牌DFH4250A", wmi: "LGA", vds: "X5D35", engine_prefix: "DDI13", axles: 3, curb: (8700, 9300), length: 6850 },
    TractorModel { brand_model: "陕汽牌SX4250XC4Q", wmi: "LZG", vds: "JL4W4", engine_prefix: "WP13", axles: 3, curb: (8900, 9600), length: 7000 },
    TractorModel { brand_model: "欧曼牌BJ4259SNFKB", wmi: "LRD", vds: "S6PEB", engine_prefix: "X12", axles: 3, curb: (8600, 9200), length: 6800 },
    TractorModel { brand_model: "豪沃牌ZZ4407V4247F1", wmi: "LZZ", vds: "7DLWC", engine_prefix: "MC15", axles: 4, curb: (14500, 16500), length: 8600 },
    TractorModel { brand_model: "陕汽牌SX4400MD4Q", wmi: "LZG", vds: "JX4M4", engine_prefix: "WP17", axles: 4, curb: (15000, 17500), length: 8800 },
];

pub const RIGIDS: &[TractorModel] = &[
    TractorModel { brand_model: "豪沃牌ZZ1317N4667E1", wmi: "LZZ", vds: "5ELNE", engine_prefix: "MC11", axles: 4, curb: (13800, 15200), length: 11900 },
    TractorModel { brand_model: "解放牌CA1310P66K24L7T4", wmi: "LFW", vds: "NRUNE", engine_prefix: "CA6DL", axles: 4, curb: (13500, 14800), length: 11950 },
    TractorModel { brand_model: "东风牌DFH1250A", wmi: "LGA", vds: "G4D36", engine_prefix: "DDI11", axles: 3, curb: (11000, 12400), length: 11500 },
];

pub struct TrailerModel {
    pub brand_model: &'static str,
    pub wmi: &'static str,
    pub vds: &'static str,
    pub kind: &'static str,
    pub vehicle_type: &'static str,
    pub deck_height: u32,
    pub width: u32,
}

pub const TRAILERS: &[TrailerModel] = &[
    TrailerModel { brand_model: "华骏牌ZCZ9400TDP", wmi: "LA9", vds: "LB3D3", kind: "low_bed", vehicle_type: "重型低平板半挂车", deck_height: 900, width: 3000 },
    TrailerModel { brand_model: "通亚达牌CTY9402TDP", wmi: "LA9", vds: "TD4E4", kind: "low_bed", vehicle_type: "重型低平板半挂车", deck_height: 850, width: 3000 },
    TrailerModel { brand_model: "梁山鲁威牌LWG9401TDP", wmi: "LJR", vds: "W4001", kind: "low_bed", vehicle_type: "重型低平板半挂车", deck_height: 950, width: 3000 },
    TrailerModel { brand_model: "华骏牌ZCZ9400TPB", wmi: "LA9", vds: "PB3F3", kind: "flatbed", vehicle_type: "重型平板半挂车", deck_height: 1500, width: 2550 },
    TrailerModel { brand_model: "中集牌ZJV9401TPB", wmi: "LJR", vds: "JV4P1", kind: "flatbed", vehicle_type: "重型平板半挂车", deck_height: 1550, width: 2550 },
    TrailerModel { brand_model: "大力牌DLG9600TDX", wmi: "LKG", vds: "DX6H0", kind: "hydraulic_modular", vehicle_type: "重型特殊结构半挂车", deck_height: 1200, width: 3000 },
    TrailerModel { brand_model: "三一牌SYM9800TDX", wmi: "LKG", vds: "SY8M0", kind: "hydraulic_modular", vehicle_type: "重型特殊结构半挂车", deck_height: 1150, width: 3000 },
];

/// (name, category, divisible, length, width, height ranges in mm, mass range in kg)
pub struct CargoKind {
    pub name: &'static str,
    pub category: &'static str,
    pub divisible: bool,
    pub length: (u32, u32),
    pub width: (u32, u32),
    pub height: (u32, u32),
    pub mass: (u32, u32),
}

pub const CARGO: &[CargoKind] = &[
    CargoKind { name: "电力变压器", category: "transformer", divisible: false, length: (6500, 10500), width: (2900, 3900), height: (3000, 3900), mass: (30000, 230000) },
    CargoKind { name: "挖掘机", category: "construction_machinery", divisible: false, length: (8000, 11500), width: (2700, 3400), height: (2900, 3300), mass: (18000, 46000) },
    // Light machines on a low bed: over the width limit only (class I).
    CargoKind { name: "小型挖掘机", category: "construction_machinery", divisible: false, length: (6500, 8500), width: (2600, 2990), height: (2700, 3050), mass: (12000, 22000) },
    CargoKind { name: "履带式起重机主机", category: "construction_machinery", divisible: false, length: (7000, 9500), width: (3000, 3400), height: (2900, 3300), mass: (25000, 52000) },
    CargoKind { name: "风电塔筒", category: "wind_tower_section", divisible: false, length: (18000, 26000), width: (3900, 4600), height: (3900, 4600), mass: (40000, 70000) },
    CargoKind { name: "风电叶片", category: "wind_turbine_blade", divisible: false, length: (42000, 68000), width: (2600, 3600), height: (2800, 3200), mass: (12000, 22000) },
    CargoKind { name: "盾构机刀盘", category: "tunnel_boring_machine", divisible: false, length: (6000, 6600), width: (6000, 6600), height: (1600, 2000), mass: (45000, 90000) },
    CargoKind { name: "预制混凝土箱梁", category: "precast_girder", divisible: false, length: (20000, 30000), width: (2400, 2900), height: (1600, 2200), mass: (40000, 90000) },
    CargoKind { name: "反应釜", category: "pressure_vessel", divisible: false, length: (9000, 16000), width: (3200, 4400), height: (3200, 4200), mass: (40000, 160000) },
    CargoKind { name: "发电机定子", category: "generator_stator", divisible: false, length: (8000, 11000), width: (3300, 4000), height: (3300, 3900), mass: (120000, 260000) },
    CargoKind { name: "钢筋", category: "rebar", divisible: true, length: (9000, 12000), width: (2400, 2500), height: (1200, 1600), mass: (28000, 32000) },
    CargoKind { name: "袋装化肥", category: "bagged_fertilizer", divisible: true, length: (12000, 13000), width: (2450, 2500), height: (2000, 2400), mass: (30000, 33000) },
    CargoKind { name: "砂石料", category: "aggregate", divisible: true, length: (11000, 12500), width: (2450, 2500), height: (1500, 1800), mass: (30000, 34000) },
];

pub fn pick<'a, T, R: Rng>(rng: &mut R, xs: &'a [T]) -> &'a T {
    &xs[rng.random_range(0..xs.len())]
}

pub fn pick_char<R: Rng>(rng: &mut R, s: &str) -> char {
    let v: Vec<char> = s.chars().collect();
    v[rng.random_range(0..v.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_two_parts_share_no_surname_given_name_character_or_prefecture() {
        let (seen, held) = (Pools::get(Split::Seen), Pools::get(Split::HeldOut));
        assert!(seen.surnames.len() > 300 && held.surnames.len() > 30, "{} / {}", seen.surnames.len(), held.surnames.len());
        assert!(seen.hanzi.len() > 3000 && held.hanzi.len() > 400, "{} / {}", seen.hanzi.len(), held.hanzi.len());
        assert!(seen.counties.len() > 2000 && held.counties.len() > 200);
        assert!(seen.surnames.iter().all(|s| !held.surnames.iter().any(|h| h.0 == s.0)));
        assert!(seen.hanzi.iter().all(|c| !held.hanzi.contains(c)));
        assert!(seen.counties.iter().all(|c| !held.counties.iter().any(|h| h.code[..4] == c.code[..4])));
        // Nothing the old narrow pools (and so the committed OCR samples) hold is held out.
        assert!(OLD_GIVEN.chars().all(|c| !held.hanzi.contains(&c)));
    }

    #[test]
    fn every_surname_character_and_prefecture_is_in_exactly_one_part() {
        let (seen, held) = (Pools::get(Split::Seen), Pools::get(Split::HeldOut));
        let surnames = SURNAMES_TSV.lines().count();
        assert_eq!(seen.surnames.len() + held.surnames.len(), surnames);
        let hanzi = HANZI.trim().chars().filter(|c| OCR_ALPHABET.contains(*c)).count();
        assert_eq!(seen.hanzi.len() + held.hanzi.len(), hanzi);
        // 陈 hashes into the held-out part but the first pools had it: seen.
        assert!(seen.surnames.iter().any(|s| s.0 == "陈"));
        assert!(seen.counties.iter().any(|c| c.code.starts_with("3702")), "青岛");
    }

    #[test]
    fn names_and_addresses_of_the_held_out_part_use_only_its_own_characters() {
        let held = Pools::get(Split::HeldOut);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let male = rng.random_bool(0.5);
            let name = held.person_name(&mut rng, male);
            let given: String = name.chars().skip(held.surnames.iter().find(|s| name.starts_with(s.0)).unwrap().0.chars().count()).collect();
            assert!(!given.is_empty() && given.chars().all(|c| held.hanzi.contains(&c)), "{name}");
            let county = held.county(&mut rng);
            let address = held.address(&mut rng, &county);
            assert!(address.starts_with(county.province) && address.contains(county.name), "{address}");
        }
    }

    #[test]
    fn every_province_of_the_country_is_in_the_pools() {
        let mut provinces: Vec<&str> = Pools::get(Split::Seen).counties.iter().chain(&Pools::get(Split::HeldOut).counties).map(|c| c.province).collect();
        provinces.sort();
        provinces.dedup();
        assert!(provinces.len() >= 31, "{provinces:?}");
    }
}
