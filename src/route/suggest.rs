//! The suggestion: a shortest route the load can take, or what cuts the
//! network. Serialised as it stands into R3's evidence (`docs/checks.md`,
//! "Route suggestion").

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use super::network::{Network, OPEN};
use super::{Constraint, Load};
use crate::lang::Lang;
use crate::registry::{RoadSegment, StructureKind};
use crate::tr;

// Absent options are left out of the evidence, not written as null.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub origin: String,
    pub destination: String,
    pub load: Load,
    /// The declared route, as far as the registry knows its segments.
    pub declared: RouteView,
    /// The suggested route; absent when the network holds none.
    pub route: Option<RouteView>,
    /// The suggestion is the declared route itself (it only needs surveys
    /// no other route avoids at its length).
    pub same_as_declared: bool,
    /// Why there is no route; absent when there is one.
    pub cut: Option<Cut>,
}

/// A route with what it crosses, in driving order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteView {
    pub length_m: u64,
    /// Structures on it that need a survey.
    pub surveys: u32,
    /// The registry's segments, each `from_node` the node it is entered
    /// from on this route.
    pub segments: Vec<RoadSegment>,
    pub structures: Vec<StructureView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureView {
    pub id: String,
    pub name: String,
    pub segment_id: String,
    pub kind: StructureKind,
    /// Each limit the structure sets, with the load's need: `margin` is
    /// allowed − needed (negative: the load exceeds it).
    pub margins: Vec<Margin>,
    pub survey: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Margin {
    pub limit: Constraint,
    pub allowed: u32,
    pub needed: u32,
    pub margin: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cut {
    pub reason: CutReason,
    pub passages: Vec<Passage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CutReason {
    /// The origin or destination is on no segment of the registry.
    UnknownNode,
    /// No road at all joins origin and destination.
    Disconnected,
    /// Each passage's constraint alone closes every route: its `best` is
    /// the most any route offers.
    Limit,
    /// No constraint alone closes every route, several together do; each
    /// passage is a constraint whose relaxing alone would open one.
    Together,
}

/// The narrowest passage of one constraint.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub constraint: Constraint,
    /// The load's need (0 for the road class).
    pub needed: u32,
    /// The widest any route offers (absent for the road class).
    pub best: Option<u32>,
    /// Where: the segment, and the structure that sets `best`.
    pub segment_id: String,
    pub structure_id: Option<String>,
    pub structure_name: Option<String>,
}

/// The suggestion for a load between `origin` and `destination`, with the
/// `declared` segments (the form's route) laid beside it.
pub fn suggest(net: &Network, origin: &str, destination: &str, load: &Load, declared: &[String]) -> Suggestion {
    let declared_view = {
        let segs: Vec<u32> = declared.iter().filter_map(|s| net.segment(s)).collect();
        view(net, origin, &segs, load)
    };
    let mut s = Suggestion {
        origin: origin.to_string(),
        destination: destination.to_string(),
        load: *load,
        declared: declared_view,
        route: None,
        same_as_declared: false,
        cut: None,
    };
    let (Some(from), Some(to)) = (net.node(origin), net.node(destination)) else {
        s.cut = Some(Cut { reason: CutReason::UnknownNode, passages: vec![] });
        return s;
    };
    match shortest(net, from, to, |seg| open(net, seg, load, None)) {
        Some(path) => {
            let v = view(net, origin, &path, load);
            s.same_as_declared = v.segments.iter().map(|x| &x.id).eq(s.declared.segments.iter().map(|x| &x.id));
            s.route = Some(v);
        }
        None => s.cut = Some(cut(net, from, to, load)),
    }
    s
}

/// Whether `load` may drive segment `seg`, with `relax` not enforced.
fn open(net: &Network, seg: usize, load: &Load, relax: Option<Constraint>) -> bool {
    (relax == Some(Constraint::RoadClass) || !net.survey_road[seg])
        && Constraint::LIMITS.iter().all(|&c| relax == Some(c) || net.caps[seg][c.index()] >= c.needed(load))
}

/// Dijkstra by (length, structures needing a survey) over the segments `ok`
/// allows; the segments from `from` to `to`.
fn shortest(net: &Network, from: u32, to: u32, ok: impl Fn(usize) -> bool) -> Option<Vec<u32>> {
    let step = |Reverse((d, s)): Reverse<(u64, u32)>, seg: usize| Reverse((d + net.segments[seg].length_m as u64, s + net.surveys[seg]));
    best_first(net, from, to, Reverse((0, 0)), ok, step).map(|(_, path)| path)
}

/// The route whose tightest limit of kind `c` is the widest (a maximin
/// Dijkstra) over the segments `ok` allows: that width and the route.
fn widest(net: &Network, from: u32, to: u32, c: Constraint, ok: impl Fn(usize) -> bool) -> Option<(u32, Vec<u32>)> {
    best_first(net, from, to, OPEN, ok, |w, seg| w.min(net.caps[seg][c.index()]))
}

/// Dijkstra over any path measure whose `step` never makes a path better
/// by lengthening it: the best measure of a route from `from` to `to`
/// (greater is better) and its segments. Ties go to the lower node.
fn best_first<K: Ord + Copy>(
    net: &Network,
    from: u32,
    to: u32,
    start: K,
    ok: impl Fn(usize) -> bool,
    step: impl Fn(K, usize) -> K,
) -> Option<(K, Vec<u32>)> {
    let mut best: Vec<Option<K>> = vec![None; net.node_count()];
    let mut pred = vec![(u32::MAX, u32::MAX); net.node_count()];
    let mut heap = BinaryHeap::new();
    best[from as usize] = Some(start);
    heap.push((start, Reverse(from)));
    while let Some((k, Reverse(u))) = heap.pop() {
        if Some(k) < best[u as usize] {
            continue;
        }
        if u == to {
            break;
        }
        for &(v, seg) in net.adjacent(u) {
            if !ok(seg as usize) {
                continue;
            }
            let through = step(k, seg as usize);
            if best[v as usize].is_none_or(|b| through > b) {
                best[v as usize] = Some(through);
                pred[v as usize] = (u, seg);
                heap.push((through, Reverse(v)));
            }
        }
    }
    best[to as usize].map(|k| (k, walk_back(&pred, from, to)))
}

fn walk_back(pred: &[(u32, u32)], from: u32, to: u32) -> Vec<u32> {
    let mut path = vec![];
    let mut at = to;
    while at != from {
        let (p, seg) = pred[at as usize];
        path.push(seg);
        at = p;
    }
    path.reverse();
    path
}

/// What closes every route: first each constraint alone; if none does,
/// the ones whose relaxing alone would open a route.
fn cut(net: &Network, from: u32, to: u32, load: &Load) -> Cut {
    let Some(any) = shortest(net, from, to, |_| true) else {
        return Cut { reason: CutReason::Disconnected, passages: vec![] };
    };
    let mut alone = vec![];
    for c in Constraint::LIMITS {
        if let Some((best, path)) = widest(net, from, to, c, |_| true)
            && best < c.needed(load)
        {
            alone.push(passage(net, c, load, best, &path));
        }
    }
    if shortest(net, from, to, |seg| !net.survey_road[seg]).is_none() {
        alone.push(road_class_passage(net, &any));
    }
    if !alone.is_empty() {
        return Cut { reason: CutReason::Limit, passages: alone };
    }
    let mut together = vec![];
    for c in Constraint::LIMITS {
        if let Some((best, path)) = widest(net, from, to, c, |seg| open(net, seg, load, Some(c))) {
            together.push(passage(net, c, load, best, &path));
        }
    }
    if let Some(path) = shortest(net, from, to, |seg| open(net, seg, load, Some(Constraint::RoadClass))) {
        together.push(road_class_passage(net, &path));
    }
    Cut { reason: CutReason::Together, passages: together }
}

/// The passage of limit `c` on `path`, whose tightest value is `best`.
fn passage(net: &Network, c: Constraint, load: &Load, best: u32, path: &[u32]) -> Passage {
    let at = path.iter().find_map(|&seg| {
        net.structures[seg as usize].iter().find(|s| c.allowed(s) == Some(best)).map(|s| (seg, s))
    });
    Passage {
        constraint: c,
        needed: c.needed(load),
        best: Some(best),
        segment_id: at.map(|(seg, _)| net.segments[seg as usize].id.clone()).unwrap_or_default(),
        structure_id: at.map(|(_, s)| s.id.clone()),
        structure_name: at.map(|(_, s)| s.name.clone()),
    }
}

/// The first road on `path` whose class needs a survey.
fn road_class_passage(net: &Network, path: &[u32]) -> Passage {
    let seg = path.iter().find(|&&s| net.survey_road[s as usize]).map(|&s| net.segments[s as usize].id.clone());
    Passage { constraint: Constraint::RoadClass, needed: 0, best: None, segment_id: seg.unwrap_or_default(), structure_id: None, structure_name: None }
}

/// `segs` driven from `origin` in order (a segment that does not continue
/// from where the last ended keeps its registry direction).
fn view(net: &Network, origin: &str, segs: &[u32], load: &Load) -> RouteView {
    let mut v = RouteView::default();
    let mut at = net.node(origin);
    for &seg in segs {
        let s = &net.segments[seg as usize];
        let (a, b) = net.ends[seg as usize];
        let (from, to) = if at == Some(b) && a != b { (b, a) } else { (a, b) };
        at = Some(to);
        v.length_m += s.length_m as u64;
        v.surveys += net.surveys[seg as usize];
        v.segments.push(RoadSegment { from_node: net.node_ids[from as usize].clone(), to_node: net.node_ids[to as usize].clone(), ..s.clone() });
        for st in &net.structures[seg as usize] {
            let margins = Constraint::LIMITS
                .iter()
                .filter_map(|&c| {
                    let allowed = c.allowed(st)?;
                    let needed = c.needed(load);
                    Some(Margin { limit: c, allowed, needed, margin: allowed as i64 - needed as i64 })
                })
                .collect();
            v.structures.push(StructureView {
                id: st.id.clone(),
                name: st.name.clone(),
                segment_id: s.id.clone(),
                kind: st.kind,
                margins,
                survey: super::needs_survey(st, &net.rules),
            });
        }
    }
    v
}

impl Constraint {
    /// How the constraint reads in a sentence.
    pub fn label(self, l: Lang) -> &'static str {
        match (self, l) {
            (Constraint::HeightMm, Lang::Zh) => "限高",
            (Constraint::HeightMm, Lang::En) => "clearance height",
            (Constraint::WidthMm, Lang::Zh) => "限宽",
            (Constraint::WidthMm, Lang::En) => "clearance width",
            (Constraint::GrossKg, Lang::Zh) => "限重",
            (Constraint::GrossKg, Lang::En) => "gross limit",
            (Constraint::AxleKg, Lang::Zh) => "轴载限值",
            (Constraint::AxleKg, Lang::En) => "axle limit",
            (Constraint::RoadClass, Lang::Zh) => "等外公路",
            (Constraint::RoadClass, Lang::En) => "substandard road",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Constraint::HeightMm | Constraint::WidthMm => "mm",
            Constraint::GrossKg | Constraint::AxleKg => "kg",
            Constraint::RoadClass => "",
        }
    }
}

impl Suggestion {
    /// One paragraph for a person: the route with its length, or why there
    /// is none. The desk puts it in a return message; `dajian route suggest`
    /// prints it to stderr.
    pub fn summary(&self, l: Lang) -> String {
        if let Some(r) = &self.route {
            let ids: Vec<String> = r.segments.iter().map(|s| format!("{} {}", s.id, s.name)).collect();
            let path = ids.join(" → ");
            let km = format!("{:.1}", r.length_m as f64 / 1000.0);
            let n = r.structures.len();
            let surveys = r.surveys;
            if self.same_as_declared {
                return tr!(l, "申报线路已是可通行的最短线路（{km} km）；其上{surveys}处构造物需要勘测，没有同样短且免勘测的线路。",
                    "the declared route is already the shortest the load can take ({km} km); {surveys} structure(s) on it need a survey, and no route as short avoids them.");
            }
            let mut text = tr!(l, "建议线路：{path}，全长{km} km，途经构造物{n}处，均能承受本车货的外廓和荷载",
                "suggested route: {path}, {km} km, crossing {n} structure(s), each of which takes this combination's outline and loads");
            if surveys > 0 {
                text += &tr!(l, "（其中{surveys}处需要勘测）", " ({surveys} of them need a survey)");
            }
            text += &tr!(l, "。", ".");
            return text;
        }
        let Some(cut) = &self.cut else { return String::new() };
        let (o, d) = (&self.origin, &self.destination);
        let passages: Vec<String> = cut.passages.iter().map(|p| p.describe(l)).collect();
        let list = passages.join(tr!(l, "；", "; ").as_str());
        match cut.reason {
            CutReason::UnknownNode => tr!(l, "登记库路网中没有起点{o}或终点{d}，无法建议线路。", "the registry's network has no origin {o} or destination {d}: no route can be suggested."),
            CutReason::Disconnected => tr!(l, "登记库路网中{o}与{d}之间没有相连的道路。", "no road in the registry's network joins {o} and {d}."),
            CutReason::Limit => tr!(l, "登记库中没有本车货可通行的线路，每条线路都受此阻断：{list}。", "no route in the registry takes this combination; every route is closed by: {list}."),
            CutReason::Together => tr!(l, "登记库中没有本车货可通行的线路：单项限制都不足以阻断，多项限制共同阻断；只放宽下列一项即有线路：{list}。",
                "no route in the registry takes this combination: no single limit closes every route, several together do; relaxing one of these alone would open one: {list}."),
        }
    }
}

impl Passage {
    fn describe(&self, l: Lang) -> String {
        let (what, unit, seg, needed) = (self.constraint.label(l), self.constraint.unit(), &self.segment_id, self.needed);
        let at = match (&self.structure_id, &self.structure_name) {
            (Some(id), Some(name)) => format!("{id} {name}"),
            _ => seg.clone(),
        };
        match self.best {
            Some(best) => tr!(l, "{what}至多{best} {unit}（最宽处：{seg}路段{at}），本车货需要{needed} {unit}",
                "{what} at most {best} {unit} (the widest passage: {at} on {seg}), the combination needs {needed} {unit}"),
            None => tr!(l, "须经过需要勘测的{what}（如{seg}）", "a {what} that needs a survey (e.g. {seg})"),
        }
    }
}
