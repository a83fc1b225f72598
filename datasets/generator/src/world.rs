//! The registry of the synthetic world: companies, persons, vehicles, and a
//! road network over real GB/T 2260 regions with structures. Written as the
//! JSONL files of `spec/registry.md`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::pools::{pick, PARKS, STREETS};
use super::regions::{county_name, LINKS, PROVINCES};
use dajian::registry::{Company, Person, RoadClass, RoadNode, RoadSegment, Structure, StructureKind, Vehicle};
use dajian::route::{shortfalls, Load};
use dajian::types::{Kg, Mm};

#[derive(Debug, Default)]
pub struct World {
    pub companies: Vec<Company>,
    pub persons: Vec<Person>,
    pub vehicles: Vec<Vehicle>,
    pub nodes: Vec<RoadNode>,
    pub segments: Vec<RoadSegment>,
    pub structures: Vec<Structure>,
    /// county code → the county's main node.
    pub county_node: BTreeMap<String, String>,
    node_seq: BTreeMap<String, u32>,
}

/// Does the structure let this combination pass without a survey? Its
/// limits as R3 reads them (`dajian::route::shortfalls`); the generator's
/// routes also avoid every structure rated 4–5.
pub fn structure_ok(s: &Structure, r: &Load) -> bool {
    s.rating.is_none_or(|x| x < 4) && shortfalls(s, r).is_empty()
}

impl World {
    pub fn node(&self, id: &str) -> Option<&RoadNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn segment(&self, id: &str) -> Option<&RoadSegment> {
        self.segments.iter().find(|s| s.id == id)
    }

    pub fn add_node(&mut self, county: &str, name: String) -> String {
        let n = self.node_seq.entry(county.to_string()).or_insert(0);
        *n += 1;
        let id = format!("N-{county}-{:02}", *n);
        self.nodes.push(RoadNode { id: id.clone(), name, region_code: county.to_string() });
        id
    }

    pub fn add_segment(&mut self, name: String, from: &str, to: &str, length_m: u32, class: RoadClass, urban: bool) -> String {
        let id = format!("S-{:04}", self.segments.len() + 1);
        self.segments.push(RoadSegment {
            id: id.clone(),
            name,
            from_node: from.to_string(),
            to_node: to.to_string(),
            length_m,
            road_class: class,
            urban,
        });
        id
    }

    #[allow(clippy::too_many_arguments)]
    pub fn add_structure(&mut self, seg: &str, kind: StructureKind, name: String, h: Option<u32>, w: Option<u32>, gross: Option<u32>, axle: Option<u32>, rating: Option<u8>) -> String {
        let id = format!("B-{:05}", self.structures.len() + 1);
        self.structures.push(Structure {
            id: id.clone(),
            name,
            segment_id: seg.to_string(),
            kind,
            max_height_mm: h.map(Mm),
            max_width_mm: w.map(Mm),
            max_gross_kg: gross.map(Kg),
            max_axle_kg: axle.map(Kg),
            rating,
        });
        id
    }

    pub fn passable(&self, seg: &RoadSegment, r: &Load) -> bool {
        seg.road_class != RoadClass::Substandard
            && self.structures.iter().filter(|s| s.segment_id == seg.id).all(|s| structure_ok(s, r))
    }

    /// The shortest route between two nodes over passable segments
    /// (Dijkstra; ties go to the smaller node id, so routes are stable).
    pub fn route(&self, from: &str, to: &str, r: &Load) -> Option<Vec<String>> {
        use std::cmp::Reverse;
        use std::collections::{BinaryHeap, HashMap, HashSet};
        if from == to {
            return Some(vec![]);
        }
        // Indexes built per call: the world grows while applications are
        // generated, and scanning every segment and structure per visited
        // node made large runs quadratic.
        let mut blocked: HashSet<&str> = HashSet::new();
        for st in &self.structures {
            if !structure_ok(st, r) {
                blocked.insert(st.segment_id.as_str());
            }
        }
        let mut adj: HashMap<&str, Vec<&RoadSegment>> = HashMap::new();
        for sg in &self.segments {
            if sg.road_class != RoadClass::Substandard && !blocked.contains(sg.id.as_str()) {
                adj.entry(sg.from_node.as_str()).or_default().push(sg);
                adj.entry(sg.to_node.as_str()).or_default().push(sg);
            }
        }
        let mut dist: BTreeMap<&str, (u64, Option<&str>)> = BTreeMap::new();
        let mut done: HashSet<&str> = HashSet::new();
        let mut heap = BinaryHeap::new();
        dist.insert(from, (0, None));
        heap.push(Reverse((0u64, from)));
        loop {
            let Reverse((d, node)) = heap.pop()?;
            if done.contains(node) || dist[node].0 != d {
                continue;
            }
            if node == to {
                break;
            }
            done.insert(node);
            for s in adj.get(node).map(Vec::as_slice).unwrap_or_default() {
                let other = if s.from_node == node { s.to_node.as_str() } else { s.from_node.as_str() };
                if done.contains(other) {
                    continue;
                }
                let nd = d + s.length_m as u64;
                if dist.get(other).is_none_or(|(od, _)| nd < *od) {
                    dist.insert(other, (nd, Some(s.id.as_str())));
                    heap.push(Reverse((nd, other)));
                }
            }
        }
        let mut segs = vec![];
        let mut at = to;
        while at != from {
            let sid = dist[at].1?;
            let s = self.segment(sid)?;
            at = if s.from_node == at { &s.to_node } else { &s.from_node };
            segs.push(sid.to_string());
        }
        segs.reverse();
        Some(segs)
    }

    /// The trunk network: one main node per county, county roads to the
    /// city's hub, expressways and old national roads between hubs, and
    /// structures along them.
    pub fn network(rng: &mut ChaCha8Rng) -> World {
        let mut w = World::default();
        let hubs: Vec<(String, String)> = PROVINCES
            .iter()
            .flat_map(|p| p.cities.iter())
            .map(|c| (c.code.to_string(), c.counties[0].0.to_string()))
            .collect();
        for p in PROVINCES {
            for c in p.cities {
                for (code, name) in c.counties {
                    let suffix = pick(rng, &["公路枢纽", "物流中心", "互通立交", "交通枢纽"]);
                    let id = w.add_node(code, format!("{name}{suffix}"));
                    w.county_node.insert(code.to_string(), id);
                }
                let hub = w.county_node[c.counties[0].0].clone();
                for (i, (code, name)) in c.counties.iter().enumerate().skip(1) {
                    let node = w.county_node[*code].clone();
                    let (class, road) = if rng.random_bool(0.5) {
                        (RoadClass::Class1, format!("G{}国道", pick(rng, &[104, 105, 205, 220, 327, 342])))
                    } else {
                        (RoadClass::Class2, format!("S{}省道", rng.random_range(201..350)))
                    };
                    let km = rng.random_range(10..40);
                    let len = rng.random_range(12..45);
                    let sname = format!("{road} {}段 K{km}–K{}", name, km + len);
                    let sid = w.add_segment(sname, &hub, &node, len * 1000, class, false);
                    w.trunk_structures(rng, &sid, class);
                    if i >= 2 && rng.random_bool(0.4) {
                        let prev = w.county_node[c.counties[i - 1].0].clone();
                        let len = rng.random_range(10..30);
                        let sname = format!("X{:03}县道 K0–K{len}", rng.random_range(1..200));
                        let sid = w.add_segment(sname, &prev, &node, len * 1000, RoadClass::Class3, false);
                        w.trunk_structures(rng, &sid, RoadClass::Class3);
                    }
                }
            }
        }
        for (a, b, road, km) in LINKS {
            let ha = w.county_node[&hubs.iter().find(|h| h.0 == *a).unwrap().1].clone();
            let hb = w.county_node[&hubs.iter().find(|h| h.0 == *b).unwrap().1].clone();
            let len = rng.random_range(60..180);
            let sid = w.add_segment(format!("{road} K{km}–K{}", km + len), &ha, &hb, len * 1000, RoadClass::Expressway, false);
            w.trunk_structures(rng, &sid, RoadClass::Expressway);
            if rng.random_bool(0.7) {
                let g = pick(rng, &[104, 105, 205, 206, 220, 310, 327, 342]);
                let len2 = len + rng.random_range(5..30);
                let k = rng.random_range(100..900);
                let sid = w.add_segment(format!("G{g}国道 K{k}–K{}", k + len2), &ha, &hb, len2 * 1000, RoadClass::Class1, false);
                w.trunk_structures(rng, &sid, RoadClass::Class1);
            }
        }
        w
    }

    fn trunk_structures(&mut self, rng: &mut ChaCha8Rng, sid: &str, class: RoadClass) {
        let seg_name = self.segment(sid).map(|s| s.name.clone()).unwrap_or_default();
        let road = seg_name.split(' ').next().unwrap_or("").to_string();
        let n = rng.random_range(0..=3);
        for i in 0..n {
            let k = rng.random_range(0..100);
            let place = pick(rng, &["运河", "泗河", "大汶河", "沂河", "洙水河", "黄河", "京杭", "南四湖", "白马河", "光府河"]);
            if class == RoadClass::Expressway {
                match k {
                    0..=49 => {
                        let gross = *pick(rng, &[None, None, None, Some(120_000), Some(200_000), Some(300_000)]);
                        let axle = *pick(rng, &[None, None, Some(20_000), Some(22_000)]);
                        let rating = Some(rng.random_range(1..=3));
                        self.add_structure(sid, StructureKind::Bridge, format!("{place}特大桥"), None, None, gross, axle, rating);
                    }
                    50..=64 => {
                        let h = rng.random_range(50..=55) * 100;
                        self.add_structure(sid, StructureKind::Tunnel, format!("{road}{}号隧道", i + 1), Some(h), Some(rng.random_range(80..=95) * 100), None, None, Some(rng.random_range(1..=3)));
                    }
                    65..=84 => {
                        let wdt = rng.random_range(45..=52) * 100;
                        self.add_structure(sid, StructureKind::TollGate, format!("{place}收费站"), Some(5500), Some(wdt), None, None, None);
                    }
                    _ => {
                        let h = rng.random_range(50..=56) * 100;
                        self.add_structure(sid, StructureKind::Overpass, format!("{place}上跨天桥"), Some(h), None, None, None, Some(rng.random_range(1..=3)));
                    }
                }
            } else {
                match k {
                    0..=54 => {
                        let gross = *pick(rng, &[None, Some(55_000), Some(70_000), Some(80_000), Some(100_000), Some(150_000)]);
                        let axle = *pick(rng, &[None, Some(13_000), Some(14_000)]);
                        // A few old bridges are rated 4: routes for loads avoid them.
                        let rating = Some(if rng.random_bool(0.08) { 4 } else { rng.random_range(1..=3) });
                        self.add_structure(sid, StructureKind::Bridge, format!("{place}大桥"), None, None, gross, axle, rating);
                    }
                    55..=74 => {
                        let h = rng.random_range(43..=50) * 100;
                        self.add_structure(sid, StructureKind::Underpass, format!("{}铁路下穿通道", pick(rng, &["京沪", "兖石", "新石", "陇海", "胶济"])), Some(h), Some(7000), None, None, None);
                    }
                    _ => {
                        let gross = rng.random_range(8..=20) * 10_000;
                        self.add_structure(sid, StructureKind::Culvert, format!("K{}+{:03}涵洞", rng.random_range(1..60), rng.random_range(0..1000)), None, None, Some(gross), None, Some(rng.random_range(1..=3)));
                    }
                }
            }
        }
        if class == RoadClass::Class3 && rng.random_bool(0.15) {
            // Some county roads are 等外: routes for loads avoid them.
            if let Some(s) = self.segments.iter_mut().find(|s| s.id == sid) {
                s.road_class = RoadClass::Substandard;
            }
        }
    }

    /// An application's own origin or destination: a site with an access
    /// road to its county's main node. Returns (node, access segment).
    pub fn add_site(&mut self, rng: &mut ChaCha8Rng, county: &str) -> (String, String) {
        let (_, _, cname) = county_name(county).expect("known county");
        let park = pick(rng, PARKS);
        let node = self.add_node(county, format!("{cname}{park}"));
        let main = self.county_node[county].clone();
        let urban = cname.ends_with('区') && rng.random_bool(0.4);
        let class = if rng.random_bool(0.5) { RoadClass::Class2 } else { RoadClass::Class3 };
        let len = rng.random_range(2..12);
        let street = STREETS[rng.random_range(0..STREETS.len())];
        let name = format!("{park}{}", pick(rng, &["连接线", "进港路", "专用道", street]));
        let seg = self.add_segment(name, &node, &main, len * 1000 + rng.random_range(0..1000), class, urban);
        (node, seg)
    }

    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        fn jsonl<T: Serialize>(dir: &Path, name: &str, rows: &[T]) -> Result<()> {
            let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
            for r in rows {
                serde_json::to_writer(&mut f, r)?;
                f.write_all(b"\n")?;
            }
            Ok(())
        }
        let mut companies = self.companies.clone();
        companies.sort_by(|a, b| a.uscc.cmp(&b.uscc));
        let mut persons = self.persons.clone();
        persons.sort_by(|a, b| a.id_number.cmp(&b.id_number));
        let mut vehicles = self.vehicles.clone();
        vehicles.sort_by(|a, b| a.plate.cmp(&b.plate));
        jsonl(dir, "companies.jsonl", &companies)?;
        jsonl(dir, "persons.jsonl", &persons)?;
        jsonl(dir, "vehicles.jsonl", &vehicles)?;
        jsonl(dir, "road_nodes.jsonl", &self.nodes)?;
        jsonl(dir, "road_segments.jsonl", &self.segments)?;
        jsonl(dir, "structures.jsonl", &self.structures)?;
        Ok(())
    }
}
