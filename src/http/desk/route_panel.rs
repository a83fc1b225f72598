//! The flagged R3's route panel: the declared route and the suggested one
//! side by side (segments, structures with their margins), and a schematic
//! drawing of the part of the network they cross. The registry holds no
//! coordinates, so the drawing places each node by how far along its route
//! it lies: the declared route above, the suggestion below, the nodes both
//! share on the middle line.

use std::collections::HashMap;

use maud::{Markup, html};

use super::i18n::{Lang, t};
use crate::route::{RouteView, StructureView, Suggestion};

/// A structure the load cannot cross as it stands.
fn flagged(s: &StructureView) -> bool {
    s.survey || s.margins.iter().any(|m| m.margin < 0)
}

fn km(m: u64) -> String {
    format!("{:.1} km", m as f64 / 1000.0)
}

fn route_list(lang: Lang, title_key: &str, r: &RouteView) -> Markup {
    html! {
        h4 { (t(lang, title_key)) " · " span.mono { (km(r.length_m)) } }
        ol.segs {
            @for seg in &r.segments {
                li {
                    span.mono { (seg.id) } " " (seg.name) " " span.muted.mono { (km(seg.length_m as u64)) }
                    @let on: Vec<&StructureView> = r.structures.iter().filter(|s| s.segment_id == seg.id).collect();
                    @if !on.is_empty() {
                        ul.structs {
                            @for s in on {
                                li class=@if flagged(s) { "bad" } @else { "ok" } {
                                    span.mono { (s.id) } " " (s.name)
                                    @for m in &s.margins {
                                        " · " (m.limit.label(lang)) " " span.mono { (m.allowed) " " (m.limit.unit()) }
                                        " (" span.mono { @if m.margin >= 0 { "+" } (m.margin) } ")"
                                    }
                                    @if s.survey { " · " (t(lang, "route_survey")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The panel for R3's suggestion.
pub fn panel(lang: Lang, s: &Suggestion) -> Markup {
    html! {
        div.routecmp {
            div.routecols {
                div.routecol { (route_list(lang, "route_declared", &s.declared)) }
                div.routecol.suggested {
                    @match &s.route {
                        Some(_) if s.same_as_declared => {
                            h4 { (t(lang, "route_suggested")) }
                            p { (s.summary(lang)) }
                        }
                        Some(r) => { (route_list(lang, "route_suggested", r)) }
                        None => {
                            h4 { (t(lang, "route_none")) }
                            p.cut { (s.summary(lang)) }
                        }
                    }
                }
            }
            (drawing(s))
        }
    }
}

const W: f64 = 720.0;
const H: f64 = 150.0;
/// Room left and right for the end nodes' names.
const PAD: f64 = 92.0;

/// Each node of `r` with how far along the route it lies (0–1).
fn along(r: &RouteView) -> Vec<(String, f64)> {
    let total = r.length_m.max(1) as f64;
    let mut out = vec![];
    let mut at = 0u64;
    for (i, seg) in r.segments.iter().enumerate() {
        if i == 0 {
            out.push((seg.from_node.clone(), 0.0));
        }
        at += seg.length_m as u64;
        out.push((seg.to_node.clone(), at as f64 / total));
    }
    out
}

/// One segment's stroke: straight between its ends, or, when both ends sit
/// on the middle line and the other route does not share the segment, an
/// arc (up for the declared route, down for the suggestion) so that two
/// roads between the same nodes do not overlap.
fn stroke(a: (f64, f64), b: (f64, f64), bow: f64) -> (String, (f64, f64)) {
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    if a.1 == H / 2.0 && b.1 == H / 2.0 && bow != 0.0 {
        let apex = (mid.0, mid.1 + bow / 2.0);
        (format!("M{:.1} {:.1} Q{:.1} {:.1} {:.1} {:.1}", a.0, a.1, mid.0, mid.1 + bow, b.0, b.1), apex)
    } else {
        (format!("M{:.1} {:.1} L{:.1} {:.1}", a.0, a.1, b.0, b.1), mid)
    }
}

/// The schematic drawing, as inline SVG.
fn drawing(s: &Suggestion) -> Markup {
    let other = s.route.as_ref().filter(|_| !s.same_as_declared);
    let declared = along(&s.declared);
    let suggested = other.map(along).unwrap_or_default();
    let in_suggested: HashMap<&str, f64> = suggested.iter().map(|(n, f)| (n.as_str(), *f)).collect();
    let in_declared: HashMap<&str, f64> = declared.iter().map(|(n, f)| (n.as_str(), *f)).collect();
    let x = |f: f64| PAD + f * (W - 2.0 * PAD);
    // A node on both routes sits on the middle line, halfway between its two places.
    let place = |node: &str, own: f64, other: &HashMap<&str, f64>, y: f64| -> (f64, f64) {
        match other.get(node) {
            Some(f) => (x((own + f) / 2.0), H / 2.0),
            None => (x(own), y),
        }
    };
    let top: Vec<(f64, f64)> = declared.iter().map(|(n, f)| place(n, *f, &in_suggested, 30.0)).collect();
    let bottom: Vec<(f64, f64)> = suggested.iter().map(|(n, f)| place(n, *f, &in_declared, H - 30.0)).collect();
    let shared: Vec<&str> = other.map(|r| r.segments.iter().map(|g| g.id.as_str()).collect()).unwrap_or_default();
    let bad: Vec<&str> = s.declared.structures.iter().filter(|st| flagged(st)).map(|st| st.segment_id.as_str()).collect();
    // Declared segments first (shared ones drawn once, as shared), then the suggestion's own.
    let mut strokes: Vec<(&str, String, (f64, f64), &str, &str)> = vec![];
    for (i, seg) in s.declared.segments.iter().enumerate() {
        if let (Some(&a), Some(&b)) = (top.get(i), top.get(i + 1)) {
            let both = shared.contains(&seg.id.as_str());
            let (d, at) = stroke(a, b, if both || other.is_none() { 0.0 } else { -70.0 });
            let class = match (both, bad.contains(&seg.id.as_str())) {
                (_, true) => "declared bad",
                (true, false) => "shared",
                (false, false) => "declared",
            };
            strokes.push((class, d, at, &seg.id, &seg.name));
        }
    }
    if let Some(r) = other {
        for (i, seg) in r.segments.iter().enumerate() {
            if s.declared.segments.iter().any(|g| g.id == seg.id) {
                continue;
            }
            if let (Some(&a), Some(&b)) = (bottom.get(i), bottom.get(i + 1)) {
                let (d, at) = stroke(a, b, 70.0);
                strokes.push(("suggested", d, at, &seg.id, &seg.name));
            }
        }
    }
    html! {
        svg.routemap viewBox={ "0 0 " (W) " " (H) } role="img" aria-label="route" {
            @for (class, d, at, id, name) in &strokes {
                path class=(class) d=(d) { title { (id) " " (name) } }
                text.seglabel x=(format!("{:.1}", at.0)) y=(format!("{:.1}", if at.1 > H / 2.0 { at.1 + 14.0 } else { at.1 - 6.0 })) { (id) }
                @if class.ends_with("bad") {
                    text.cross x=(format!("{:.1}", at.0)) y=(format!("{:.1}", at.1 + 5.0)) { "✕" }
                }
            }
            @for ((n, _), p) in declared.iter().zip(&top).chain(suggested.iter().zip(&bottom)) {
                circle.node cx=(format!("{:.1}", p.0)) cy=(format!("{:.1}", p.1)) r="4" { title { (n) } }
            }
            @if let (Some(o), Some(d)) = (top.first(), top.last()) {
                text.endlabel.start x=(format!("{:.1}", o.0 - 8.0)) y=(format!("{:.1}", o.1 + 4.0)) { (s.origin) }
                text.endlabel.end x=(format!("{:.1}", d.0 + 8.0)) y=(format!("{:.1}", d.1 + 4.0)) { (s.destination) }
            }
        }
    }
}

/// Whether a report's R3 carries a suggestion the clerk can send.
pub fn suggestion_in(report: &crate::report::Report) -> Option<Suggestion> {
    report.checks.iter().find(|c| c.id == crate::checks::CheckId::R3.as_str()).and_then(|c| crate::route::in_evidence(&c.evidence))
}
