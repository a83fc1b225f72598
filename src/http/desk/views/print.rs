//! The print page (`/desk/applications/{id}/print`): the application on paper, for signing.

use maud::{Markup, html};

use super::{GROUPS, badge, group_key, layout, local_time, roman, value_text};
use crate::http::desk::i18n::{Lang, check_title, t};
use crate::http::desk::pages::AppView;
use crate::http::desk::session::Session;
use crate::report::{Source, Status};

pub(crate) fn print(lang: Lang, session: &Session, a: &AppView) -> Markup {
    let no = a.application_no.clone().unwrap_or_else(|| a.id.clone());
    let f = &a.form;
    let body = html! {
        main.page.printpage {
            div.noprint.titlebar {
                a.button href={ "/desk/applications/" (a.id) } { "← " (t(lang, "back")) }
                button.primary id="print-now" type="button" { (t(lang, "print_now")) }
            }
            h1 { (t(lang, "print_title")) }
            table.kv {
                tr { th { (t(lang, "col_no")) } td.mono { (no) } th { (t(lang, "printed_at")) } td.mono { (local_time(&chrono::Utc::now().to_rfc3339())) } }
                tr { th { (t(lang, "carrier")) } td { (f["carrier"]["name"].as_str().unwrap_or_default()) } th { (t(lang, "uscc")) } td.mono { (f["carrier"]["uscc"].as_str().unwrap_or_default()) } }
                @if let Some(r) = &a.report {
                    tr {
                        th { (t(lang, "col_verdict")) } td { (badge(lang, "verdict", match r.verdict { crate::report::Verdict::Block => "block", crate::report::Verdict::Review => "review", crate::report::Verdict::Pass => "pass" })) }
                        th { (t(lang, "permit_class")) } td { (roman(r.permit_class)) }
                    }
                    tr {
                        th { (t(lang, "authority")) } td { @if let Some(au) = &r.authority { (t(lang, &format!("auth_{}", serde_json::to_value(au.level).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()))) " " (au.region_code) } }
                        th { (t(lang, "approvals")) } td { @for ap in &r.approvals { span.tag { (t(lang, &format!("appr_{}", serde_json::to_value(ap).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()))) } " " } }
                    }
                }
                tr { th { (t(lang, "travel")) } td.mono { (value_text(&f["route"]["start_date"])) " → " (value_text(&f["route"]["end_date"])) } th { (t(lang, "app_decision")) } td {
                    @match &a.app_state { Some(s) => { (badge(lang, "state", &s.after)) " " (s.actor) " " (local_time(&s.at)) @if let Some(r) = &s.reason { " “" (r) "”" } }, None => (t(lang, "undecided")) }
                } }
            }
            @if let Some(r) = &a.report {
                @for g in GROUPS {
                    h2 { (t(lang, group_key(g))) }
                    table.printchecks {
                        @for c in r.checks.iter().filter(|c| c.group == g) {
                            tr class={ "s-" (c.status.key()) } {
                                td.mono.w3 { (c.id) }
                                td.w10 { (check_title(lang, &c.id, &c.title)) }
                                td.w8 { (badge(lang, "status", c.status.key())) }
                                td {
                                    (c.message_in(lang))
                                    @if let Some(s) = a.checks_state.get(&c.id) {
                                        br; (badge(lang, "state", &s.after)) " " (s.actor) " " (local_time(&s.at)) @if let Some(re) = &s.reason { " “" (re) "”" }
                                    }
                                    @if matches!(c.status, Status::Warn | Status::Block) {
                                        ul.evlist {
                                            @for e in c.evidence.iter().filter(|e| !crate::route::is_suggestion(e)) {
                                                li { span.f { (t(lang, match e.source { Source::Form => "src_form", Source::Document => "src_document", Source::Registry => "src_registry", Source::Rule => "src_rule" })) " · " (e.field) } " " span.mono { (value_text(&e.value)) } @if let Some(file) = &e.file { span.muted { " (" (file) ")" } } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.sign {
                div { (t(lang, "sign_clerk")) "：" span.line {} }
                div { (t(lang, "sign_date")) "：" span.line {} }
            }
        }
    };
    layout(lang, &no, Some(session), &format!("/desk/applications/{}/print", a.id), body)
}
