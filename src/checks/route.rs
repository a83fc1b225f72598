//! Route 线路情况: R1–R4, the permit class and the accepting authority.

use std::collections::BTreeSet;

use super::{Check, Input};
use crate::document::DocKind;
use crate::report::{Authority, AuthorityLevel, CheckResult, Group, Status};

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
pub fn r1_route_and_authority(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "R1", Group::Route, "线路连通与受理机关", "交通运输部令2016年第62号 (受理机关)");
    let r = &input.form.route;
    let reg = input.registry;
    c.form("route.origin", r.origin.as_str());
    c.form("route.destination", r.destination.as_str());
    c.form("route.segments", r.segments.clone());
    for (what, id) in [("origin", &r.origin), ("destination", &r.destination)] {
        c.expect(reg.nodes.contains_key(id), Status::Block, || format!("the {what} node {id} is not in the registry"));
    }
    if r.segments.is_empty() {
        c.fail(Status::Block, "the route has no segments".to_string());
    }
    let missing: Vec<&str> = r.segments.iter().filter(|s| !reg.segments.contains_key(*s)).map(String::as_str).collect();
    if !missing.is_empty() {
        c.fail(Status::Block, format!("segments not in the registry: {}", missing.join(", ")));
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
                c.fail(Status::Block, format!("segment {s} ({}–{}) does not continue from node {at}", seg.from_node, seg.to_node));
                broken = true;
                break;
            };
        }
        if !broken {
            c.expect(at == r.destination, Status::Block, || format!("the route ends at {at}, not at the destination {}", r.destination));
        }
    }
    let regions: Vec<String> = touched_nodes(input).iter().map(|id| format!("{id}:{}", reg.nodes[*id].region_code)).collect();
    c.registry("road_nodes.region_code", regions);
    let pass = match authority(input) {
        Some(a) => format!(
            "the route is connected; accepting authority: {} {}",
            serde_json::to_value(a.level).unwrap().as_str().unwrap_or(""),
            a.region_code
        ),
        None => "the route is connected".to_string(),
    };
    c.finish(&pass)
}

/// R2 类别与材料: the permit class; class III needs a complete escort plan
/// and a contour drawing.
pub fn r2_class_and_materials(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "R2", Group::Route, "类别与材料", "交通运输部令2016年第62号 (大件运输许可类别、轮廓图和护送方案)");
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
        return c.finish(&format!("class {class}: no escort plan or contour drawing needed"));
    }
    if let Some(doc) = c.page(input, DocKind::EscortPlan, None, Status::Block)
        && let Some(f) = c.field(doc, "sections")
    {
        let have: Vec<String> =
            f.value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default();
        let lacking: Vec<&str> =
            escort.escort_plan_sections.value.iter().filter(|s| !have.contains(s)).map(String::as_str).collect();
        c.expect(lacking.is_empty(), Status::Block, || {
            format!("the escort plan {} lacks the sections: {}", doc.file, lacking.join(", "))
        });
    }
    if c.page(input, DocKind::ContourDrawing, None, Status::Block).is_some() {
        c.ok();
    }
    c.finish(&format!("class {class}: the escort plan has all five sections and the contour drawing is there"))
}

/// R3 沿线构造物: every structure on the route takes the load; weak
/// structures and substandard roads need a survey. Warns only.
pub fn r3_structures(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "R3", Group::Route, "沿线构造物", "《公路法》第五十条; JTG/T H21-2011");
    let reg = input.registry;
    let k = &input.form.combination;
    let segments: Vec<_> = input.form.route.segments.iter().filter_map(|s| reg.segments.get(s)).collect();
    if segments.is_empty() {
        return c.not_applicable("no segment of the route is in the registry (see R1)");
    }
    let heaviest = k.axle_loads_kg.iter().max().copied().unwrap_or_default();
    c.form("combination.height_mm", k.height_mm.0);
    c.form("combination.width_mm", k.width_mm.0);
    c.form("combination.total_mass_kg", k.total_mass_kg.0);
    c.form("combination.max_axle_kg", heaviest.0);
    let rules = &input.rules.route;
    for seg in segments {
        if rules.survey_road_classes.value.contains(&seg.road_class) {
            c.registry("road_segments.road_class", format!("{}: substandard", seg.id));
            c.fail(Status::Warn, format!("segment {} ({}) is a substandard road: a survey is needed", seg.id, seg.name));
        } else {
            c.ok();
        }
        for s in reg.structures_on(&seg.id) {
            let mut problems = vec![];
            if let Some(h) = s.max_height_mm
                && h < k.height_mm
            {
                problems.push(format!("clearance height {} mm < {} mm", h.0, k.height_mm.0));
            }
            if let Some(w) = s.max_width_mm
                && w < k.width_mm
            {
                problems.push(format!("clearance width {} mm < {} mm", w.0, k.width_mm.0));
            }
            if let Some(g) = s.max_gross_kg
                && g < k.total_mass_kg
            {
                problems.push(format!("gross limit {} kg < {} kg", g.0, k.total_mass_kg.0));
            }
            if let Some(a) = s.max_axle_kg
                && a < heaviest
            {
                problems.push(format!("axle limit {} kg < {} kg", a.0, heaviest.0));
            }
            if let Some(r) = s.rating
                && rules.survey_ratings.value.contains(&r)
            {
                problems.push(format!("technical condition class {r}: a survey is needed"));
            }
            if problems.is_empty() {
                c.ok();
            } else {
                c.registry("structures", serde_json::to_value(s).unwrap());
                c.fail(Status::Warn, format!("{} {} on {}: {}", s.id, s.name, seg.id, problems.join(", ")));
            }
        }
    }
    c.finish("every structure on the route takes the combination's outline and loads")
}

/// R4 通行时段: a window that starts no earlier than the day of submission
/// and is no longer than the permit type allows. The length counts both
/// the first and the last day.
pub fn r4_travel_window(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "R4", Group::Route, "通行时段", "交通运输部令2016年第62号 (许可期限)");
    let f = input.form;
    let r = &f.route;
    let w = &input.rules.travel_window;
    c.form("submitted_on", f.submitted_on.to_string());
    c.form("route.start_date", r.start_date.to_string());
    c.form("route.end_date", r.end_date.to_string());
    c.form("route.trips", r.trips);
    c.expect(f.submitted_on <= r.start_date, Status::Block, || {
        format!("the travel window starts on {}, before the application was submitted on {}", r.start_date, f.submitted_on)
    });
    c.expect(r.start_date <= r.end_date, Status::Block, || format!("the window ends on {} before it starts on {}", r.end_date, r.start_date));
    if r.trips == 0 {
        c.fail(Status::Block, "route.trips must be at least 1".to_string());
    }
    let days = (r.end_date - r.start_date).num_days() + 1;
    let (max, rule) = if r.trips > 1 {
        (w.multi_trip_max_days.value, "multi_trip_max_days")
    } else {
        (w.single_trip_max_days.value, "single_trip_max_days")
    };
    c.rule(rule, max);
    if days > 0 {
        c.expect(days <= max as i64, Status::Block, || format!("the window is {days} days long; at most {max} are allowed"));
    }
    if r.trips > 1 {
        let class = permit_class(input);
        c.expect(!w.long_term_excluded_classes.value.contains(&class), Status::Block, || {
            format!("a long-term permit ({} trips) is not available for class {class}", r.trips)
        });
    }
    c.finish("the travel window is valid for this permit type")
}
