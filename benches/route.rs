//! Route suggestion on a province-size network: 100 000 segments over a
//! grid of 224 × 224 nodes with longer links across it, 30 000 structures,
//! generated from a fixed seed. Times `Network::build`, a suggestion that
//! finds a route across the grid, and two that find none (the destination
//! is boxed in by structures the load exceeds, so the cut analysis runs its
//! searches: seven when one limit closes every route, twelve when only
//! several together do).
//! The target: at most 100 ms a suggestion on one core.
//! Run: `cargo bench --bench route` (single-threaded: nothing here spawns).

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dajian::registry::{RoadClass, RoadSegment, Structure, StructureKind};
use dajian::route::{CutReason, Load, Network, suggest};
use dajian::rules::Rules;
use dajian::types::{Kg, Mm};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SIDE: u32 = 224;
const SEGMENTS: usize = 100_000;
const STRUCTURES: usize = 30_000;

fn node(x: u32, y: u32) -> String {
    format!("N-{x:03}-{y:03}")
}

/// A typical heavy combination.
fn load() -> Load {
    Load { height_mm: Mm(4_500), width_mm: Mm(3_500), total_mass_kg: Kg(100_000), max_axle_kg: Kg(13_000) }
}

fn class(rng: &mut StdRng) -> RoadClass {
    match rng.random_range(0..100) {
        0..=9 => RoadClass::Expressway,
        10..=29 => RoadClass::Class1,
        30..=59 => RoadClass::Class2,
        60..=84 => RoadClass::Class3,
        85..=97 => RoadClass::Class4,
        _ => RoadClass::Substandard,
    }
}

fn segment(rng: &mut StdRng, i: usize, from: String, to: String) -> RoadSegment {
    RoadSegment {
        id: format!("S-{:06}", i + 1),
        name: format!("G{}国道 K{}", rng.random_range(100..400), rng.random_range(0..900)),
        from_node: from,
        to_node: to,
        length_m: rng.random_range(1_000..=20_000),
        road_class: class(rng),
        urban: false,
    }
}

fn structure(rng: &mut StdRng, i: usize, segment_id: &str) -> Structure {
    let mut s = Structure {
        id: format!("B-{:05}", i + 1),
        name: format!("K{}+{:03}", rng.random_range(0..900), rng.random_range(0..1000)),
        segment_id: segment_id.to_string(),
        kind: StructureKind::Bridge,
        max_height_mm: None,
        max_width_mm: None,
        max_gross_kg: None,
        max_axle_kg: None,
        // Some 4 % are rated 4–5 (a survey, not a closure).
        rating: Some(if rng.random_bool(0.04) { rng.random_range(4..=5) } else { rng.random_range(1..=3) }),
    };
    let pick = |rng: &mut StdRng, v: &[Option<u32>]| v[rng.random_range(0..v.len())];
    match rng.random_range(0..100) {
        0..=49 => {
            s.max_gross_kg = pick(rng, &[None, None, None, Some(80_000), Some(100_000), Some(120_000), Some(150_000), Some(200_000), Some(300_000), None]).map(Kg);
            s.max_axle_kg = pick(rng, &[None, None, Some(13_000), Some(14_000), Some(20_000)]).map(Kg);
        }
        50..=64 => {
            s.kind = StructureKind::Underpass;
            s.max_height_mm = Some(Mm(rng.random_range(42..=55) * 100));
            s.max_width_mm = Some(Mm(7_000));
            s.rating = None;
        }
        65..=74 => {
            s.kind = StructureKind::Tunnel;
            s.max_height_mm = Some(Mm(rng.random_range(50..=55) * 100));
            s.max_width_mm = Some(Mm(rng.random_range(80..=95) * 100));
        }
        75..=84 => {
            s.kind = StructureKind::Overpass;
            s.max_height_mm = Some(Mm(rng.random_range(45..=56) * 100));
        }
        85..=94 => {
            s.kind = StructureKind::TollGate;
            s.max_height_mm = Some(Mm(5_500));
            s.max_width_mm = Some(Mm(rng.random_range(45..=52) * 100));
            s.rating = None;
        }
        _ => {
            s.kind = StructureKind::Culvert;
            s.max_gross_kg = Some(Kg(rng.random_range(8..=20) * 10_000));
        }
    }
    s
}

/// The network: grid edges (nine in ten kept), then random links of up to
/// six cells until there are 100 000 segments; structures on random
/// segments. Also the two nodes boxed in for the no-route cases.
fn network() -> (Vec<RoadSegment>, Vec<Structure>, String, String) {
    let mut rng = StdRng::seed_from_u64(27);
    let mut segs = Vec::with_capacity(SEGMENTS);
    for y in 0..SIDE {
        for x in 0..SIDE {
            for (dx, dy) in [(1, 0), (0, 1)] {
                let (nx, ny) = (x + dx, y + dy);
                if nx < SIDE && ny < SIDE && rng.random_bool(0.9) {
                    let i = segs.len();
                    segs.push(segment(&mut rng, i, node(x, y), node(nx, ny)));
                }
            }
        }
    }
    while segs.len() < SEGMENTS {
        let (x, y) = (rng.random_range(0..SIDE), rng.random_range(0..SIDE));
        let nx = (x as i64 + rng.random_range(-6..=6)).clamp(0, SIDE as i64 - 1) as u32;
        let ny = (y as i64 + rng.random_range(-6..=6)).clamp(0, SIDE as i64 - 1) as u32;
        if (nx, ny) == (x, y) {
            continue;
        }
        let i = segs.len();
        segs.push(segment(&mut rng, i, node(x, y), node(nx, ny)));
    }
    let mut structures: Vec<Structure> = (0..STRUCTURES)
        .map(|i| {
            let on = rng.random_range(0..segs.len());
            structure(&mut rng, i, &segs[on].id)
        })
        .collect();
    // The no-route destinations: every segment at the centre node gets an
    // underpass 4.2 m high (height alone closes every route); at another
    // node each segment gets one of four limits the load exceeds, in turn,
    // so only they together close every route (the cut's longest analysis).
    let boxed = node(SIDE / 2, SIDE / 2);
    let together = node(SIDE / 4, 3 * SIDE / 4);
    let mut at = |n: &str, kinds: &[fn(&mut Structure)]| {
        let ends: Vec<String> = segs.iter().filter(|s| s.from_node == n || s.to_node == n).map(|s| s.id.clone()).collect();
        for (k, id) in ends.iter().enumerate() {
            let i = structures.len();
            let mut u = structure(&mut rng, i, id);
            (u.max_height_mm, u.max_width_mm, u.max_gross_kg, u.max_axle_kg) = (None, None, None, None);
            kinds[k % kinds.len()](&mut u);
            structures.push(u);
        }
    };
    at(&boxed, &[|u| (u.kind, u.max_height_mm) = (StructureKind::Underpass, Some(Mm(4_200)))]);
    at(
        &together,
        &[
            |u| (u.kind, u.max_height_mm) = (StructureKind::Underpass, Some(Mm(4_200))),
            |u| (u.kind, u.max_gross_kg) = (StructureKind::Bridge, Some(Kg(80_000))),
            |u| (u.kind, u.max_width_mm) = (StructureKind::TollGate, Some(Mm(3_200))),
            |u| (u.kind, u.max_axle_kg) = (StructureKind::Bridge, Some(Kg(10_000))),
        ],
    );
    (segs, structures, boxed, together)
}

fn bench(c: &mut Criterion) {
    let rules = Rules::embedded().route;
    let (segs, structures, boxed, together) = network();
    let load = load();
    let net = Network::build(segs.clone(), structures.clone(), &rules);
    let blocked: std::collections::HashSet<&str> =
        structures.iter().filter(|x| !dajian::route::shortfalls(x, &load).is_empty()).map(|x| x.segment_id.as_str()).collect();
    let closed = segs.iter().filter(|s| rules.survey_road_classes.value.contains(&s.road_class) || blocked.contains(s.id.as_str())).count();
    eprintln!(
        "network: {} nodes, {} segments, {} structures; {closed} segments ({:.1} %) closed to the load",
        net.node_count(),
        net.segment_count(),
        structures.len(),
        100.0 * closed as f64 / segs.len() as f64
    );

    // Far-apart pairs: near one corner to near the opposite one, or across
    // the middle; each must have a route.
    let mut pairs = vec![];
    let mut rng = StdRng::seed_from_u64(28);
    while pairs.len() < 8 {
        let (x, y) = (rng.random_range(0..16), rng.random_range(0..16));
        let (ox, oy) = (SIDE - 1 - rng.random_range(0..16), SIDE - 1 - rng.random_range(0..16));
        let (a, b) = if pairs.len() % 2 == 0 { (node(x, y), node(ox, oy)) } else { (node(ox, y), node(x, oy)) };
        let s = suggest(&net, &a, &b, &load, &[]);
        if let Some(r) = &s.route {
            eprintln!("{a} → {b}: {} segments, {:.0} km", r.segments.len(), r.length_m as f64 / 1000.0);
            pairs.push((a, b));
        }
    }
    let far = node(3, 5);
    for (to, reason) in [(&boxed, CutReason::Limit), (&together, CutReason::Together)] {
        let none = suggest(&net, &far, to, &load, &[]);
        let cut = none.cut.as_ref().expect("a boxed-in node has no route");
        assert!(none.route.is_none() && cut.reason == reason, "{cut:?}");
        eprintln!("{far} → {to}: no route, cut {:?} by {:?}", cut.reason, cut.passages.iter().map(|p| (p.constraint, p.best)).collect::<Vec<_>>());
    }

    let mut g = c.benchmark_group("route");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("build the network (100 000 segments, 30 000 structures)", |b| {
        b.iter_batched(|| (segs.clone(), structures.clone()), |(s, st)| Network::build(s, st, &rules), BatchSize::LargeInput)
    });
    let mut i = 0;
    g.bench_function("suggest: a route found across the grid", |b| {
        b.iter(|| {
            let (a, to) = &pairs[i % pairs.len()];
            i += 1;
            let s = suggest(std::hint::black_box(&net), a, to, &load, &[]);
            assert!(s.route.is_some());
            s
        })
    });
    g.bench_function("suggest: no route, one limit closes it (cut analysis)", |b| {
        b.iter(|| {
            let s = suggest(std::hint::black_box(&net), &far, &boxed, &load, &[]);
            assert!(s.cut.is_some());
            s
        })
    });
    g.bench_function("suggest: no route, limits close it only together (longest cut analysis)", |b| {
        b.iter(|| {
            let s = suggest(std::hint::black_box(&net), &far, &together, &load, &[]);
            assert!(s.cut.is_some());
            s
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
