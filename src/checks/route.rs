//! Route 线路情况: R1–R4, the permit class and the accepting authority.

use std::collections::BTreeSet;

use super::{Check, CheckId, Input};
use crate::document::DocKind;
use crate::lang::Lang;
use crate::route::{Load, needs_survey, road_needs_survey, shortfalls};
use crate::report::{Authority, AuthorityLevel, CheckResult, Status};
use crate::tr;

/// Total axles of the combination as declared.
pub(crate) fn total_axles(input: &Input) -> u32 {
    input.form.tractor.axles + input.form.trailer.as_ref().map_or(0, |t| t.axles)
}

/// The permit class (1–3) of `checks.md`: class I within the class I
/// outline and the Art. 3 mass limit, class II within the class II bounds,
/// class III beyond.
pub fn permit_class(input: &Input) -> u8 {
    let k = &input.form.combination;
    let pc = &input.rules.permit_class;
    let mass_limit = input.rules.gross_mass_limit(total_axles(input), input.form.trailer.is_some());
    let within = |b: &crate::rules::ClassBound| {
        k.height_mm <= b.height_mm
            && k.width_mm <= b.width_mm
            && k.length_mm <= b.length_mm
            && b.total_mass_kg.is_none_or(|m| k.total_mass_kg <= m)
    };
    if within(&pc.class_1) && k.total_mass_kg <= mass_limit {
        1
    } else if within(&pc.class_2) {
        2
    } else {
        3
    }
}

/// Every node the route touches that the registry knows: origin,
/// destination and both ends of every known segment.
fn touched_nodes<'a>(input: &'a Input) -> BTreeSet<&'a str> {
    let r = &input.form.route;
    let mut ids: BTreeSet<&str> = [r.origin.as_str(), r.destination.as_str()].into();
    for s in &r.segments {
        if let Some(seg) = input.registry.segments.get(s) {
            ids.insert(&seg.from_node);
            ids.insert(&seg.to_node);
        }
    }
    ids.retain(|id| input.registry.nodes.contains_key(*id));
    ids
}

/// The accepting authority from the region codes of every node the route
/// touches: one county, one city (`xxxx00`), one province (`xx0000`), or
/// across provinces (the origin's province).
pub fn authority(input: &Input) -> Option<Authority> {
    let origin = input.registry.nodes.get(&input.form.route.origin)?;
    let codes: BTreeSet<&str> =
        touched_nodes(input).iter().map(|id| input.registry.nodes[*id].region_code.as_str()).collect();
    let same = |n: usize| codes.iter().map(|c| &c[..n]).collect::<BTreeSet<_>>().len() == 1;
    let code = &origin.region_code;
    Some(if same(6) {
        Authority { level: AuthorityLevel::County, region_code: code.clone() }
    } else if same(4) {
        Authority { level: AuthorityLevel::City, region_code: format!("{}00", &code[..4]) }
    } else if same(2) {
        Authority { level: AuthorityLevel::Province, region_code: format!("{}0000", &code[..2]) }
    } else {
        Authority { level: AuthorityLevel::CrossProvince, region_code: format!("{}0000", &code[..2]) }
    })
}

/// R1 线路连通与受理机关: every id exists and the segments, driven in order
/// (either direction), lead from the origin to the destination.
pub fn r1_route_and_authority(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::R1);
    let r = &input.form.route;
    let reg = input.registry;
    c.form("route.origin", r.origin.as_str());
    c.form("route.destination", r.destination.as_str());
    c.form("route.segments", r.segments.clone());
    for (zh, en, id) in [("起点", "origin", &r.origin), ("终点", "destination", &r.destination)] {
        c.expect(reg.nodes.contains_key(id), Status::Block, || tr!(l, "登记库中没有{zh}节点{id}", "the {en} node {id} is not in the registry"));
    }
    if r.segments.is_empty() {
        c.fail(Status::Block, tr!(l, "线路没有路段", "the route has no segments"));
    }
    let missing: Vec<&str> = r.segments.iter().filter(|s| !reg.segments.contains_key(*s)).map(String::as_str).collect();
    if !missing.is_empty() {
        let missing = missing.join(", ");
        c.fail(Status::Block, tr!(l, "登记库中没有这些路段：{missing}", "segments not in the registry: {missing}"));
    } else if !r.segments.is_empty() {
        // Walk the route: each segment must continue from where the last ended.
        let mut at = r.origin.as_str();
        let mut broken = false;
        for s in &r.segments {
            let seg = &reg.segments[s];
            at = if seg.from_node == at {
                &seg.to_node
            } else if seg.to_node == at {
                &seg.from_node
            } else {
                let (from, to) = (&seg.from_node, &seg.to_node);
                c.fail(Status::Block, tr!(l, "路段{s}（{from}–{to}）不与节点{at}相接", "segment {s} ({from}–{to}) does not continue from node {at}"));
                broken = true;
                break;
            };
        }
        if !broken {
            let dest = &r.destination;
            c.expect(at == dest, Status::Block, || tr!(l, "线路止于{at}，不是终点{dest}", "the route ends at {at}, not at the destination {dest}"));
        }
    }
    let regions: Vec<String> = touched_nodes(input).iter().map(|id| format!("{id}:{}", reg.nodes[*id].region_code)).collect();
    c.registry("road_nodes.region_code", regions);
    let pass = match authority(input) {
        Some(a) => {
            let (code, level) = (&a.region_code, a.level);
            let (zh, en) = match level {
                AuthorityLevel::County => ("县级", "county"),
                AuthorityLevel::City => ("市级", "city"),
                AuthorityLevel::Province => ("省级", "province"),
                AuthorityLevel::CrossProvince => ("跨省（起点省级）", "cross_province"),
            };
            tr!(l, "线路连通；受理机关：{zh} {code}", "the route is connected; accepting authority: {en} {code}")
        }
        None => tr!(l, "线路连通", "the route is connected"),
    };
    c.finish(pass)
}

/// R2 类别与材料: the permit class; class III needs a complete escort plan
/// and a contour drawing.
pub fn r2_class_and_materials(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::R2);
    let k = &input.form.combination;
    let class = permit_class(input);
    c.form("combination.height_mm", k.height_mm.0);
    c.form("combination.width_mm", k.width_mm.0);
    c.form("combination.length_mm", k.length_mm.0);
    c.form("combination.total_mass_kg", k.total_mass_kg.0);
    c.rule("permit_class", class);
    let escort = &input.rules.escort;
    if class < escort.class_requiring_materials.value {
        c.ok();
        return c.finish(tr!(l, "{class}类：无需护送方案和车货轮廓图", "class {class}: no escort plan or contour drawing needed"));
    }
    if let Some(doc) = c.page(input, DocKind::EscortPlan, None, Status::Block)
        && let Some(f) = c.field(doc, "sections")
    {
        let have: Vec<String> =
            f.value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default();
        let lacking: Vec<&str> =
            escort.escort_plan_sections.value.iter().filter(|s| !have.contains(s)).map(String::as_str).collect();
        let (file, lacking_list) = (&doc.file, lacking.join(", "));
        c.expect_read(doc, "sections", lacking.is_empty(), Status::Block, || {
            tr!(l, "护送方案{file}缺少以下部分：{lacking_list}", "the escort plan {file} lacks the sections: {lacking_list}")
        });
    }
    if c.page(input, DocKind::ContourDrawing, None, Status::Block).is_some() {
        c.ok();
    }
    c.finish(tr!(
        l,
        "{class}类：护送方案五部分齐全，已附车货轮廓图",
        "class {class}: the escort plan has all five sections and the contour drawing is there"
    ))
}

/// R3 沿线构造物: every structure on the route takes the load; weak
/// structures and substandard roads need a survey. Warns only.
pub fn r3_structures(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::R3);
    let reg = input.registry;
    let segments: Vec<_> = input.form.route.segments.iter().filter_map(|s| reg.segments.get(s)).collect();
    if segments.is_empty() {
        return c.not_applicable(tr!(l, "登记库中没有该线路的任何路段（见R1）", "no segment of the route is in the registry (see R1)"));
    }
    let load = Load::of(input.form);
    c.form("combination.height_mm", load.height_mm.0);
    c.form("combination.width_mm", load.width_mm.0);
    c.form("combination.total_mass_kg", load.total_mass_kg.0);
    c.form("combination.max_axle_kg", load.max_axle_kg.0);
    let rules = &input.rules.route;
    for seg in segments {
        if road_needs_survey(seg, rules) {
            c.registry("road_segments.road_class", format!("{}: substandard", seg.id));
            let (id, name) = (&seg.id, &seg.name);
            c.fail(Status::Warn, tr!(l, "路段{id}（{name}）为等外公路，需要勘测", "segment {id} ({name}) is a substandard road: a survey is needed"));
        } else {
            c.ok();
        }
        for s in reg.structures_on(&seg.id) {
            let mut problems: Vec<String> = shortfalls(s, &load)
                .iter()
                .map(|f| {
                    let (what, unit, allowed, needed) = (f.limit.label(l), f.limit.unit(), f.allowed, f.needed);
                    tr!(l, "{what}{allowed} {unit} < {needed} {unit}", "{what} {allowed} {unit} < {needed} {unit}")
                })
                .collect();
            if needs_survey(s, rules) {
                let r = s.rating.unwrap_or_default();
                problems.push(tr!(l, "技术状况{r}类，需要勘测", "technical condition class {r}: a survey is needed"));
            }
            if problems.is_empty() {
                c.ok();
            } else {
                c.registry("structures", serde_json::to_value(s).unwrap());
                let (id, name, seg, problems) = (&s.id, &s.name, &seg.id, problems.join(tr!(l, "；", ", ").as_str()));
                c.fail(Status::Warn, tr!(l, "{seg}路段上的{id} {name}：{problems}", "{id} {name} on {seg}: {problems}"));
            }
        }
    }
    c.finish(tr!(l, "沿线构造物均能承受车货外廓和荷载", "every structure on the route takes the combination's outline and loads"))
}

/// R4 通行时段: a window that starts no earlier than the day of submission
/// and is no longer than the permit type allows. The length counts both
/// the first and the last day.
pub fn r4_travel_window(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::R4);
    let f = input.form;
    let r = &f.route;
    let w = &input.rules.travel_window;
    c.form("submitted_on", f.submitted_on.to_string());
    c.form("route.start_date", r.start_date.to_string());
    c.form("route.end_date", r.end_date.to_string());
    c.form("route.trips", r.trips);
    let (start, end, on, trips) = (r.start_date, r.end_date, f.submitted_on, r.trips);
    c.expect(on <= start, Status::Block, || {
        tr!(l, "通行期自{start}开始，早于申请日期{on}", "the travel window starts on {start}, before the application was submitted on {on}")
    });
    c.expect(start <= end, Status::Block, || tr!(l, "通行期结束日{end}早于开始日{start}", "the window ends on {end} before it starts on {start}"));
    if trips == 0 {
        c.fail(Status::Block, tr!(l, "通行次数（route.trips）至少为1", "route.trips must be at least 1"));
    }
    let days = (r.end_date - r.start_date).num_days() + 1;
    let (max, rule) = if r.trips > 1 {
        (w.multi_trip_max_days.value, "multi_trip_max_days")
    } else {
        (w.single_trip_max_days.value, "single_trip_max_days")
    };
    c.rule(rule, max);
    if days > 0 {
        c.expect(days <= max as i64, Status::Block, || tr!(l, "通行期为{days}天，最长允许{max}天", "the window is {days} days long; at most {max} are allowed"));
    }
    if r.trips > 1 {
        let class = permit_class(input);
        c.expect(!w.long_term_excluded_classes.value.contains(&class), Status::Block, || {
            tr!(l, "{class}类不得申请多次通行（{trips}次）的长期许可", "a long-term permit ({trips} trips) is not available for class {class}")
        });
    }
    c.finish(tr!(l, "通行期符合该许可类型的要求", "the travel window is valid for this permit type"))
}
