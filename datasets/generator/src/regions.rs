//! Real GB/T 2260 administrative divisions used by the synthetic world:
//! four provinces, so that county, city, province and cross-province
//! authorities all occur. Codes and names are the official ones.

pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
    /// Plate prefix (GA 36 abbreviation).
    pub abbr: char,
    pub cities: &'static [City],
}

pub struct City {
    pub code: &'static str,
    pub name: &'static str,
    /// Issuing-office letter on plates.
    pub plate_letter: char,
    /// Abbreviation used in permit numbers (鲁交运管许可济字…).
    pub short: &'static str,
    pub counties: &'static [(&'static str, &'static str)],
}

pub static PROVINCES: &[Province] = &[
    Province {
        code: "370000",
        name: "山东省",
        abbr: '鲁',
        cities: &[
            City { code: "370100", name: "济南市", plate_letter: 'A', short: "济", counties: &[("370102", "历下区"), ("370103", "市中区"), ("370104", "槐荫区"), ("370112", "历城区"), ("370114", "章丘区")] },
            City { code: "370200", name: "青岛市", plate_letter: 'B', short: "青", counties: &[("370202", "市南区"), ("370211", "黄岛区"), ("370214", "城阳区"), ("370281", "胶州市")] },
            City { code: "370300", name: "淄博市", plate_letter: 'C', short: "淄", counties: &[("370303", "张店区"), ("370305", "临淄区")] },
            City { code: "370800", name: "济宁市", plate_letter: 'H', short: "济宁", counties: &[("370811", "任城区"), ("370812", "兖州区"), ("370881", "曲阜市"), ("370883", "邹城市"), ("370829", "嘉祥县"), ("370832", "梁山县")] },
            City { code: "370900", name: "泰安市", plate_letter: 'J', short: "泰", counties: &[("370902", "泰山区"), ("370911", "岱岳区"), ("370921", "宁阳县"), ("370983", "肥城市")] },
            City { code: "371100", name: "日照市", plate_letter: 'L', short: "日", counties: &[("371102", "东港区"), ("371103", "岚山区"), ("371122", "莒县")] },
            City { code: "371300", name: "临沂市", plate_letter: 'Q', short: "临", counties: &[("371302", "兰山区"), ("371311", "罗庄区"), ("371312", "河东区")] },
            City { code: "371700", name: "菏泽市", plate_letter: 'R', short: "菏", counties: &[("371702", "牡丹区"), ("371703", "定陶区")] },
        ],
    },
    Province {
        code: "320000",
        name: "江苏省",
        abbr: '苏',
        cities: &[
            City { code: "320300", name: "徐州市", plate_letter: 'C', short: "徐", counties: &[("320302", "鼓楼区"), ("320303", "云龙区"), ("320312", "铜山区"), ("320382", "邳州市")] },
            City { code: "320700", name: "连云港市", plate_letter: 'G', short: "连", counties: &[("320703", "连云区"), ("320706", "海州区")] },
        ],
    },
    Province {
        code: "410000",
        name: "河南省",
        abbr: '豫',
        cities: &[
            City { code: "410100", name: "郑州市", plate_letter: 'A', short: "郑", counties: &[("410102", "中原区"), ("410104", "管城回族区"), ("410105", "金水区")] },
            City { code: "411400", name: "商丘市", plate_letter: 'N', short: "商", counties: &[("411402", "梁园区"), ("411403", "睢阳区"), ("411481", "永城市")] },
        ],
    },
    Province {
        code: "130000",
        name: "河北省",
        abbr: '冀',
        cities: &[
            City { code: "130100", name: "石家庄市", plate_letter: 'A', short: "石", counties: &[("130102", "长安区"), ("130104", "桥西区"), ("130105", "新华区")] },
            City { code: "130400", name: "邯郸市", plate_letter: 'D', short: "邯", counties: &[("130402", "邯山区"), ("130403", "丛台区")] },
        ],
    },
];

/// Expressways between city hubs: (city, city, road name, kilometre post at the first city).
pub static LINKS: &[(&str, &str, &str, u32)] = &[
    ("370100", "370900", "G3京台高速", 420),
    ("370900", "370800", "G3京台高速", 478),
    ("370800", "371700", "G35济广高速", 210),
    ("370100", "370300", "G20青银高速", 300),
    ("370300", "370200", "G20青银高速", 120),
    ("370200", "371100", "G15沈海高速", 610),
    ("371100", "371300", "G1511日兰高速", 60),
    ("371300", "370800", "G1511日兰高速", 150),
    ("370800", "320300", "G3京台高速", 560),
    ("371300", "320300", "G2京沪高速", 700),
    ("320300", "320700", "G30连霍高速", 190),
    ("371100", "320700", "G15沈海高速", 680),
    ("371700", "411400", "G35济广高速", 300),
    ("411400", "410100", "G30连霍高速", 520),
    ("370100", "130100", "G20青银高速", 420),
    ("130100", "130400", "G4京港澳高速", 280),
    ("130400", "410100", "G4京港澳高速", 450),
];

pub fn county_name(code: &str) -> Option<(&'static Province, &'static City, &'static str)> {
    for p in PROVINCES {
        for c in p.cities {
            for (cc, name) in c.counties {
                if *cc == code {
                    return Some((p, c, name));
                }
            }
        }
    }
    None
}

pub fn city(code: &str) -> Option<(&'static Province, &'static City)> {
    PROVINCES.iter().flat_map(|p| p.cities.iter().map(move |c| (p, c))).find(|(_, c)| c.code == code)
}
