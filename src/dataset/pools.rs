//! Word pools the synthetic world draws from. Every character here is in
//! the shipped font subsets (`datasets/fonts/make_subsets.py` scans this
//! folder).

use rand::Rng;

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
    "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
    "孔", "颜", "孟", "庞", "欧阳", "司马",
];

pub const GIVEN_MALE: &str = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国庆春海峰亮志新东文利";
pub const GIVEN_FEMALE: &str = "芳娜敏静丽艳娟霞秀玲桂英华燕萍红琴云莲梅雪慧颖婷倩";

pub const SHOP_NAMES: &[&str] = &[
    "顺达", "通远", "恒泰", "鑫源", "宏运", "安达", "路通", "华宇", "金桥", "东方", "中联", "远航", "鲁通", "泰山", "运河",
    "海川", "永盛", "盛世", "众诚", "力拓", "长城", "大道", "正阳", "鼎盛", "坤元",
];
pub const COMPANY_SUFFIXES: &[&str] = &["大件运输有限公司", "物流有限公司", "重型物流有限公司", "运输有限公司", "大件物流有限责任公司", "专用运输有限公司"];
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

pub fn person_name<R: Rng>(rng: &mut R, male: bool) -> String {
    let mut n = pick(rng, SURNAMES).to_string();
    let pool = if male { GIVEN_MALE } else { GIVEN_FEMALE };
    n.push(pick_char(rng, pool));
    if rng.random_bool(0.6) {
        n.push(pick_char(rng, pool));
    }
    n
}
