use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;
use crate::registry::{RoadClass, StructureKind};
use crate::rules::Rules;

fn seg(id: &str, from: &str, to: &str, km: u32) -> RoadSegment {
    RoadSegment { id: id.into(), name: format!("{id} road"), from_node: from.into(), to_node: to.into(), length_m: km * 1000, road_class: RoadClass::Class1, urban: false }
}

fn bridge(id: &str, on: &str, gross_kg: Option<u32>, rating: Option<u8>) -> Structure {
    Structure {
        id: id.into(),
        name: format!("{id} bridge"),
        segment_id: on.into(),
        kind: StructureKind::Bridge,
        max_height_mm: None,
        max_width_mm: None,
        max_gross_kg: gross_kg.map(Kg),
        max_axle_kg: None,
        rating,
    }
}

fn underpass(id: &str, on: &str, height_mm: u32) -> Structure {
    Structure { kind: StructureKind::Underpass, max_height_mm: Some(Mm(height_mm)), ..bridge(id, on, None, None) }
}

fn load() -> Load {
    Load { height_mm: Mm(4_500), width_mm: Mm(3_500), total_mass_kg: Kg(100_000), max_axle_kg: Kg(13_000) }
}

fn rules() -> RouteRules {
    Rules::embedded().route
}

fn ids(v: &RouteView) -> Vec<&str> {
    v.segments.iter().map(|s| s.id.as_str()).collect()
}

/// A–B–D directly (10 km) over a weak bridge, or A–C–D (25 km).
fn detour_world(detour_gross_kg: u32) -> Network {
    Network::build(
        vec![seg("S1", "A", "B", 5), seg("S2", "B", "D", 5), seg("S3", "A", "C", 12), seg("S4", "D", "C", 13)],
        vec![bridge("B1", "S2", Some(60_000), Some(2)), bridge("B2", "S4", Some(detour_gross_kg), Some(1))],
        &rules(),
    )
}

#[test]
fn a_detour_round_a_weak_bridge_is_suggested_with_its_margins() {
    let net = detour_world(120_000);
    let s = suggest(&net, "A", "D", &load(), &["S1".into(), "S2".into()]);
    let r = s.route.as_ref().expect("a detour exists");
    assert_eq!(ids(r), ["S3", "S4"]);
    assert_eq!(r.length_m, 25_000);
    // S4 is stored D→C and driven C→D here.
    assert_eq!((r.segments[1].from_node.as_str(), r.segments[1].to_node.as_str()), ("C", "D"));
    assert_eq!(r.structures.len(), 1);
    let m = r.structures[0].margins[0];
    assert_eq!((m.limit, m.allowed, m.needed, m.margin), (Constraint::GrossKg, 120_000, 100_000, 20_000));
    assert!(!s.same_as_declared && s.cut.is_none());
    // The declared route is laid beside it, with the bridge that fails.
    assert_eq!(ids(&s.declared), ["S1", "S2"]);
    assert_eq!(s.declared.structures[0].margins[0].margin, -40_000);
    assert!(s.summary(crate::lang::Lang::En).contains("S3 S3 road → S4 S4 road, 25.0 km"), "{}", s.summary(crate::lang::Lang::En));
}

#[test]
fn without_a_detour_the_cut_names_the_limit_and_its_widest_passage() {
    let net = detour_world(80_000);
    let s = suggest(&net, "A", "D", &load(), &["S1".into(), "S2".into()]);
    assert!(s.route.is_none());
    let cut = s.cut.expect("a cut");
    assert_eq!(cut.reason, CutReason::Limit);
    assert_eq!(cut.passages.len(), 1);
    let p = &cut.passages[0];
    // The best any route offers is the detour's 80 t bridge, not the 60 t one.
    assert_eq!((p.constraint, p.best, p.needed), (Constraint::GrossKg, Some(80_000), 100_000));
    assert_eq!((p.segment_id.as_str(), p.structure_id.as_deref()), ("S4", Some("B2")));
    let zh = crate::route::Suggestion { cut: Some(cut.clone()), ..suggest(&net, "A", "D", &load(), &[]) }.summary(crate::lang::Lang::Zh);
    assert!(zh.contains("限重至多80000 kg") && zh.contains("B2"), "{zh}");
}

#[test]
fn limits_that_close_the_network_only_together_are_each_named() {
    // The short way is too low, the long way too weak: either alone passes.
    let net = Network::build(
        vec![seg("S1", "A", "B", 5), seg("S2", "A", "B", 9)],
        vec![underpass("U1", "S1", 4_200), bridge("B1", "S2", Some(90_000), None)],
        &rules(),
    );
    let cut = suggest(&net, "A", "B", &load(), &["S1".into()]).cut.expect("a cut");
    assert_eq!(cut.reason, CutReason::Together);
    let named: Vec<(Constraint, Option<u32>)> = cut.passages.iter().map(|p| (p.constraint, p.best)).collect();
    assert_eq!(named, [(Constraint::HeightMm, Some(4_200)), (Constraint::GrossKg, Some(90_000))]);
}

#[test]
fn substandard_roads_are_never_suggested_and_cut_when_they_are_the_only_way() {
    let mut s2 = seg("S2", "B", "C", 1);
    s2.road_class = RoadClass::Substandard;
    let net = Network::build(vec![seg("S1", "A", "B", 1), s2.clone(), seg("S3", "A", "C", 30)], vec![], &rules());
    assert_eq!(ids(suggest(&net, "A", "C", &load(), &[]).route.as_ref().unwrap()), ["S3"]);
    let net = Network::build(vec![seg("S1", "A", "B", 1), s2], vec![], &rules());
    let cut = suggest(&net, "A", "C", &load(), &[]).cut.unwrap();
    assert_eq!((cut.reason, cut.passages[0].constraint, cut.passages[0].segment_id.as_str()), (CutReason::Limit, Constraint::RoadClass, "S2"));
}

#[test]
fn between_routes_of_one_length_the_one_with_fewer_surveys_wins() {
    let net = Network::build(
        vec![seg("S1", "A", "B", 5), seg("S2", "A", "B", 5)],
        vec![bridge("B1", "S1", None, Some(4)), bridge("B2", "S2", None, Some(3))],
        &rules(),
    );
    let s = suggest(&net, "A", "B", &load(), &["S1".into()]);
    assert_eq!(ids(s.route.as_ref().unwrap()), ["S2"]);
    assert!(s.declared.structures[0].survey && !s.route.unwrap().structures[0].survey);
    // A shorter route still wins over one without a survey.
    let net = Network::build(vec![seg("S1", "A", "B", 5), seg("S2", "A", "B", 6)], vec![bridge("B1", "S1", None, Some(5))], &rules());
    let s = suggest(&net, "A", "B", &load(), &["S1".into()]);
    assert!(s.same_as_declared && s.route.unwrap().surveys == 1);
}

#[test]
fn unknown_and_unconnected_ends_are_told_apart() {
    let net = Network::build(vec![seg("S1", "A", "B", 1), seg("S2", "C", "D", 1)], vec![], &rules());
    assert_eq!(suggest(&net, "A", "X", &load(), &[]).cut.unwrap().reason, CutReason::UnknownNode);
    assert_eq!(suggest(&net, "A", "D", &load(), &[]).cut.unwrap().reason, CutReason::Disconnected);
}

/// Every simple path from `from` to `to` that `load` may drive, by brute
/// force: the best (length, surveys) or none.
fn brute_force(segs: &[RoadSegment], structures: &[Structure], from: &str, to: &str, load: &Load, rules: &RouteRules) -> Option<(u64, u32)> {
    let ok = |s: &RoadSegment| {
        !road_needs_survey(s, rules) && structures.iter().filter(|x| x.segment_id == s.id).all(|x| shortfalls(x, load).is_empty())
    };
    let surveys = |s: &RoadSegment| structures.iter().filter(|x| x.segment_id == s.id && needs_survey(x, rules)).count() as u32;
    fn go<'a>(at: &str, to: &str, segs: &'a [RoadSegment], seen: &mut Vec<String>, cost: (u64, u32), best: &mut Option<(u64, u32)>, f: &dyn Fn(&'a RoadSegment) -> Option<u32>) {
        if at == to {
            *best = Some(best.map_or(cost, |b| b.min(cost)));
            return;
        }
        for s in segs {
            let next = if s.from_node == at { &s.to_node } else if s.to_node == at { &s.from_node } else { continue };
            if seen.contains(next) {
                continue;
            }
            let Some(sv) = f(s) else { continue };
            seen.push(next.clone());
            go(next, to, segs, seen, (cost.0 + s.length_m as u64, cost.1 + sv), best, f);
            seen.pop();
        }
    }
    let mut best = None;
    let f = |s: &RoadSegment| ok(s).then(|| surveys(s));
    go(from, to, segs, &mut vec![from.to_string()], (0, 0), &mut best, &f);
    best
}

#[test]
fn on_random_small_networks_the_suggestion_is_what_brute_force_finds() {
    let rules = rules();
    let mut rng = StdRng::seed_from_u64(27);
    let (mut found, mut none) = (0, 0);
    for case in 0..400 {
        let nodes = rng.random_range(3..=7);
        let node = |i: u32| format!("N{i}");
        let segs: Vec<RoadSegment> = (0..rng.random_range(2..=12))
            .map(|i| {
                let (a, b) = (rng.random_range(0..nodes), rng.random_range(0..nodes));
                let mut s = seg(&format!("S{i}"), &node(a), &node(b), 1);
                s.length_m = rng.random_range(1..6) * 1000;
                if rng.random_bool(0.1) {
                    s.road_class = RoadClass::Substandard;
                }
                s
            })
            .collect();
        let structures: Vec<Structure> = (0..rng.random_range(0..10))
            .map(|i| {
                let on = &segs[rng.random_range(0..segs.len())].id;
                let mut s = bridge(&format!("B{i}"), on, rng.random_bool(0.5).then(|| rng.random_range(8..13) * 10_000), rng.random_bool(0.4).then(|| rng.random_range(1..=5)));
                s.max_height_mm = rng.random_bool(0.3).then(|| Mm(rng.random_range(40..50) * 100));
                s
            })
            .collect();
        let net = Network::build(segs.clone(), structures.clone(), &rules);
        let (from, to) = (node(0), node(nodes - 1));
        if net.node(&from).is_none() || net.node(&to).is_none() {
            continue;
        }
        let s = suggest(&net, &from, &to, &load(), &[]);
        let expected = brute_force(&segs, &structures, &from, &to, &load(), &rules);
        match (&s.route, expected) {
            (Some(r), Some(best)) => {
                found += 1;
                assert_eq!((r.length_m, r.surveys), best, "case {case}");
                // The route is connected from origin to destination, and every structure on it takes the load.
                let mut at = from.as_str();
                for sv in &r.segments {
                    assert_eq!(sv.from_node, at, "case {case}");
                    at = &sv.to_node;
                }
                assert_eq!(at, to, "case {case}");
                assert!(r.structures.iter().all(|x| x.margins.iter().all(|m| m.margin >= 0)), "case {case}");
            }
            (None, None) => {
                none += 1;
                assert!(s.cut.is_some(), "case {case}");
            }
            (got, want) => panic!("case {case}: suggested {:?}, brute force {want:?}", got.as_ref().map(ids)),
        }
    }
    assert!(found > 50 && none > 50, "both outcomes are exercised: {found} found, {none} none");
}
