//! The application page (`/desk/applications/{id}`): checks, evidence, page viewer, decisions.

use maud::{Markup, html};
use serde_json::Value;

use super::{GROUPS, badge, group_key, layout, local_time, roman, status_icon, value_text};
use crate::document::Document;
use crate::http::desk::i18n::{Lang, check_title, t, t_or};
use crate::http::desk::pages::{AppView, State};
use crate::http::desk::route_panel;
use crate::http::desk::session::Session;
use crate::report::{CheckResult, Evidence, Reading, Report, Source, Status};
use crate::store::applications::JobStatus;

/// The part of a field name that names the value (`trailer.vin` → `vin`),
/// so a page's or the registry's value can be set against the form's.
fn field_key(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let last = last.trim_end_matches("_number").trim_end_matches("_no");
    last.to_string()
}

fn norm(v: &Value) -> String {
    crate::types::normalize::text(&value_text(v)).to_uppercase()
}

/// A check's evidence in blocks (one per party compared: a new block
/// starts when a form value follows values of other sources), each laid
/// out in four columns: form | page | registry | rule. R3's route
/// suggestion is not among them: it has a panel of its own.
fn evidence_blocks(ev: &[Evidence]) -> Vec<Vec<&Evidence>> {
    let mut blocks: Vec<Vec<&Evidence>> = vec![];
    let mut seen_other = false;
    for e in ev.iter().filter(|e| !crate::route::is_suggestion(e)) {
        let start = blocks.is_empty() || (e.source == Source::Form && seen_other);
        if start {
            blocks.push(vec![]);
            seen_other = false;
        }
        if e.source != Source::Form {
            seen_other = true;
        }
        blocks.last_mut().expect("pushed").push(e);
    }
    blocks
}

fn differs(e: &Evidence, block: &[&Evidence]) -> bool {
    if e.source == Source::Form || e.source == Source::Rule {
        return false;
    }
    let k = field_key(&e.field);
    block.iter().any(|f| f.source == Source::Form && field_key(&f.field) == k && norm(&f.value) != norm(&e.value))
}

fn document<'r>(report: &'r Report, file: &str) -> Option<&'r Document> {
    report.documents.iter().find(|d| d.file == file)
}

/// Where the viewer loads page `page` (1-based) of `file`. An archived page
/// (reused from an earlier application) is served from the application
/// that brought it; PDF and TIFF pages come rendered as PNG (`?page=N`),
/// which browsers show.
fn page_src(a: &AppView, report: &Report, file: &str, page: Option<u32>) -> String {
    let base = match document(report, file).and_then(|d| d.archived.as_ref()) {
        Some(ar) => format!("/desk/applications/{}/pages/{}", ar.application_id, ar.file),
        None => format!("/desk/applications/{}/pages/{file}", a.id),
    };
    match page {
        Some(n) if n > 1 => format!("{base}?page={n}"),
        _ => base,
    }
}

/// The frame of a box on `file`'s page: the size the report gives for its
/// first page; for a later page, `0,0` lets the viewer take the image's own
/// size (a rendered page is its frame).
fn doc_size(report: &Report, file: &str, page: Option<u32>) -> (u32, u32) {
    if page.is_some_and(|n| n > 1) {
        return (0, 0);
    }
    document(report, file).map(|d| (d.width.unwrap_or(0), d.height.unwrap_or(0))).unwrap_or((0, 0))
}

fn evidence_item(lang: Lang, a: &AppView, report: &Report, check: &str, e: &Evidence, block: &[&Evidence], n: usize) -> Markup {
    let diff = differs(e, block);
    let low = e.confidence.is_some_and(|c| c < 0.8);
    let cls = format!("ev{}{}", if diff { " diff" } else { "" }, if low { " low" } else { "" });
    match (&e.file, e.bbox) {
        (Some(file), Some(b)) => {
            let (w, h) = doc_size(report, file, e.page);
            html! {
                button type="button" class={ (cls) " locate" } id={ "ev-" (check) "-" (n) }
                    data-src=(page_src(a, report, file, e.page)) data-file=(file)
                    data-bbox={ (b.x) "," (b.y) "," (b.w) "," (b.h) } data-size={ (w) "," (h) } data-check=(check)
                    title=(t(lang, "show_on_page")) {
                    span.f { (e.field) }
                    span.v { (value_text(&e.value)) }
                    span.meta {
                        "◎ " (file) @if let Some(c) = e.confidence { " · " (t(lang, "confidence")) " " (format!("{:.0}%", c * 100.0)) }
                        @if let Some(ar) = document(report, file).and_then(|d| d.archived.as_ref()) {
                            " · " (t(lang, "from_archive")) " " (ar.archived_at.get(..10).unwrap_or(&ar.archived_at))
                        }
                        @match e.reading {
                            Some(Reading::FoundOnPage) => { " · " (t(lang, "found_on_page")) }
                            Some(Reading::Unreadable) => { " · " (t(lang, "unreadable_value")) }
                            None => {}
                        }
                    }
                }
            }
        }
        _ => html! {
            div class=(cls) {
                span.f { (e.field) }
                span.v { (value_text(&e.value)) }
                @if let Some(file) = &e.file { span.meta { (file) } }
            }
        },
    }
}

fn evidence_table(lang: Lang, a: &AppView, report: &Report, c: &CheckResult) -> Markup {
    let cols = [(Source::Form, "src_form"), (Source::Document, "src_document"), (Source::Registry, "src_registry"), (Source::Rule, "src_rule")];
    let mut n = 0usize;
    html! {
        div.evidence {
            div.evhead { @for (_, k) in cols { div { (t(lang, k)) } } }
            @for block in evidence_blocks(&c.evidence) {
                div.evrow {
                    @for (src, _) in cols {
                        div.evcol {
                            @let items: Vec<&&Evidence> = block.iter().filter(|e| e.source == src).collect();
                            @if items.is_empty() { span.muted { "—" } }
                            @for e in items {
                                (evidence_item(lang, a, report, &c.id, e, &block, { n += 1; n }))
                            }
                        }
                    }
                }
            }
            div.rule { span.f { (t(lang, "rule_ref")) } " " (c.rule_ref) }
        }
    }
}

fn state_line(lang: Lang, s: &State) -> Markup {
    html! {
        div.state {
            (badge(lang, "state", &s.after))
            span.muted { (t(lang, "by")) " " (s.actor) " · " (local_time(&s.at)) }
            @if let Some(r) = &s.reason { span.reason { "“" (r) "”" } }
        }
    }
}

fn check_form(lang: Lang, session: &Session, a: &AppView, c: &CheckResult, error: Option<&str>) -> Markup {
    html! {
        form.decide method="post" action={ "/desk/applications/" (a.id) "/decisions" } {
            input type="hidden" name="csrf" value=(session.csrf);
            input type="hidden" name="check_id" value=(c.id);
            @if let Some(e) = error { p.alert role="alert" { (t(lang, e)) } }
            input.reason name="reason" placeholder=(t(lang, "reason_ph")) aria-label=(t(lang, "reason")) autofocus[error.is_some()];
            // Enter in the reason field submits the first button: with a
            // reason typed, the clerk means an override.
            button.warn type="submit" name="action" value="override" { (t(lang, "override_btn")) }
            button type="submit" name="action" value="accept" { (t(lang, "accept_btn")) }
        }
    }
}

/// The page viewer, showing first the first flagged value that has a box,
/// so the page opens on what needs looking at (script moves it after).
fn viewer(lang: Lang, a: &AppView, report: &Report) -> Markup {
    // The same choice desk.js makes on load: the first value that differs
    // from the form, else the first value with a box.
    let flagged: Vec<&CheckResult> = report.checks.iter().filter(|c| matches!(c.status, Status::Warn | Status::Block)).collect();
    let pick = |want_diff: bool| {
        flagged.iter().find_map(|c| {
            evidence_blocks(&c.evidence).into_iter().find_map(|block| {
                block.iter().find(|e| e.file.is_some() && e.bbox.is_some() && (!want_diff || differs(e, &block))).map(|e| (*c, *e))
            })
        })
    };
    let first = pick(true).or_else(|| pick(false));
    html! {
        aside.viewer id="viewer" {
            div.vbar {
                span.vtitle id="vtitle" { @if let Some((c, e)) = first { (c.id) " · " (e.file.as_deref().unwrap_or_default()) " · " (e.field) } @else { (t(lang, "page_viewer")) } }
                span.spacer {}
                button type="button" data-zoom="out" title=(t(lang, "zoom_out")) { "−" }
                button type="button" data-zoom="fit" title=(t(lang, "zoom_fit")) { "⤢" }
                button type="button" data-zoom="in" title=(t(lang, "zoom_in")) { "+" }
            }
            div.stage id="stage" {
                @if let Some((c, e)) = first {
                    @let file = e.file.as_deref().unwrap_or_default();
                    @let (w, h) = doc_size(report, file, e.page);
                    @let b = e.bbox.unwrap_or_default();
                    div.canvas id="canvas" {
                        img id="page" src=(page_src(a, report, file, e.page)) alt=(file) draggable="false";
                        svg id="overlay" viewBox={ "0 0 " (w.max(1)) " " (h.max(1)) } preserveAspectRatio="none" {
                            rect.hl x=(b.x) y=(b.y) width=(b.w) height=(b.h) data-check=(c.id) {}
                        }
                    }
                } @else {
                    div.canvas id="canvas" hidden {
                        img id="page" alt="" draggable="false";
                        svg id="overlay" viewBox="0 0 1 1" preserveAspectRatio="none" {}
                    }
                    p.muted.nopage id="nopage" { (t(lang, "no_page")) }
                }
            }
        }
    }
}

pub(crate) fn application(lang: Lang, session: &Session, a: &AppView, error: Option<(&str, &str)>) -> Markup {
    let no = a.application_no.clone().unwrap_or_else(|| a.id.clone());
    let here = format!("/desk/applications/{}", a.id);
    let f = &a.form;
    let err_for = |target: &str| error.filter(|(t, _)| *t == target).map(|(_, k)| k);
    let body = html! {
        main.page.apppage {
            section.apphead {
                div.h1line {
                    h1.mono { (no) }
                    @if let Some(r) = &a.report { (badge(lang, "verdict", match r.verdict { crate::report::Verdict::Block => "block", crate::report::Verdict::Review => "review", crate::report::Verdict::Pass => "pass" })) }
                    @if let Some(s) = &a.app_state { (badge(lang, "state", &s.after)) }
                    span.spacer {}
                    a.button href={ "/desk/applications/" (a.id) "/audit" } { (t(lang, "audit_for_app")) }
                    a.button href={ "/desk/applications/" (a.id) "/print" } accesskey="p" { (t(lang, "print")) }
                }
                p.carrier {
                    (f["carrier"]["name"].as_str().unwrap_or_default())
                    span.muted.mono { " · " (t(lang, "uscc")) " " (f["carrier"]["uscc"].as_str().unwrap_or_default()) }
                    " · " a href={ "/desk/entities/company:" (f["carrier"]["uscc"].as_str().unwrap_or_default()) } { (t(lang, "archive_title")) }
                }
                @if let Some(r) = &a.report {
                    dl.facts {
                        div { dt { (t(lang, "permit_class")) } dd { (roman(r.permit_class)) } }
                        div { dt { (t(lang, "authority")) } dd {
                            @match &r.authority {
                                Some(au) => { (t(lang, &format!("auth_{}", serde_json::to_value(au.level).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()))) " " span.mono { (au.region_code) } }
                                None => "—",
                            }
                        } }
                        div { dt { (t(lang, "approvals")) } dd {
                            @if r.approvals.is_empty() { (t(lang, "no_approvals")) }
                            @for ap in &r.approvals {
                                span.tag { (t(lang, &format!("appr_{}", serde_json::to_value(ap).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()))) }
                            }
                        } }
                        div { dt { (t(lang, "travel")) } dd.mono { (value_text(&f["route"]["start_date"])) " → " (value_text(&f["route"]["end_date"])) } }
                        div { dt { (t(lang, "combination")) } dd.mono {
                            (value_text(&f["combination"]["length_mm"])) "×" (value_text(&f["combination"]["width_mm"])) "×" (value_text(&f["combination"]["height_mm"])) " mm · "
                            (value_text(&f["combination"]["total_mass_kg"])) " kg"
                        } }
                        div { dt { (t(lang, "submitted")) } dd.mono { (local_time(&a.created_at)) } }
                    }
                }
            }
            @match &a.report {
                None => {
                    section.card {
                        @if a.status == JobStatus::Failed { p.alert { (t(lang, "precheck_failed")) (a.error.as_deref().unwrap_or_default()) } }
                        @else { p { (t(lang, "not_done_yet")) " " (t_or(lang, &format!("job_{}", a.status), a.status.key())) } }
                    }
                }
                Some(r) => {
                    div.workspace {
                        div.checkscol {
                            div.summary {
                                @for st in [Status::Block, Status::Warn, Status::Pass, Status::NotApplicable] {
                                    @let n = r.checks.iter().filter(|c| c.status == st).count();
                                    span class={ "sum s-" (st.key()) } {
                                        span.icon { (status_icon(st.key())) } (t(lang, &format!("status_{}", st.key()))) " " b { (n) }
                                        // Straight to each flagged check.
                                        @if matches!(st, Status::Block | Status::Warn) {
                                            @for c in r.checks.iter().filter(|c| c.status == st) { a.jump href={ "#check-" (c.id) } { (c.id) } }
                                        }
                                    }
                                }
                            }
                            @for g in GROUPS {
                                @let checks: Vec<&CheckResult> = r.checks.iter().filter(|c| c.group == g).collect();
                                section.group {
                                    h2 { (t(lang, group_key(g))) span.gcount { @for c in &checks { span class={ "dot s-" (c.status.key()) } title={ (c.id) " " (t(lang, &format!("status_{}", c.status.key()))) } {} } } }
                                    @for c in checks {
                                        @let flagged = matches!(c.status, Status::Warn | Status::Block);
                                        article class={ "check s-" (c.status.key()) @if flagged { " flagged" } } id={ "check-" (c.id) } tabindex="-1" {
                                            div.cline {
                                                (badge(lang, "status", c.status.key()))
                                                span.cid.mono { (c.id) }
                                                span.ctitle { (check_title(lang, &c.id, &c.title)) }
                                                span.msg { (c.message_in(lang)) }
                                            }
                                            @if let Some(s) = a.checks_state.get(&c.id) { (state_line(lang, s)) }
                                            @if flagged {
                                                (evidence_table(lang, a, r, c))
                                                @if let Some(sg) = crate::route::in_evidence(&c.evidence) { (route_panel::panel(lang, &sg)) }
                                                (check_form(lang, session, a, c, err_for(&c.id)))
                                            }
                                        }
                                    }
                                }
                            }
                            section.group.appdecision id="decision" {
                                h2 { (t(lang, "app_decision")) }
                                @if let Some(s) = &a.app_state { (state_line(lang, s)) }
                                form.decide.big method="post" action={ "/desk/applications/" (a.id) "/decisions" } {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    @if let Some(e) = err_for("application") { p.alert role="alert" { (t(lang, e)) } }
                                    textarea name="reason" rows="2" placeholder=(t(lang, "return_ph")) aria-label=(t(lang, "reason")) autofocus[err_for("application").is_some()] {}
                                    @if route_panel::suggestion_in(r).is_some() {
                                        label.include { input type="checkbox" name="include_route" value="on"; " " (t(lang, "include_route")) }
                                    }
                                    div.btns {
                                        button.primary type="submit" name="action" value="approve" { (t(lang, "approve_btn")) }
                                        button.danger type="submit" name="action" value="return" { (t(lang, "return_btn")) }
                                    }
                                }
                            }
                            p.keys { (t(lang, "keys_hint")) }
                        }
                        (viewer(lang, a, r))
                    }
                }
            }
        }
    };
    layout(lang, &no, Some(session), &here, body)
}
