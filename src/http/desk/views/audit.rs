//! The audit pages (all applications', one application's) and an entity's archive.

use std::collections::HashMap;

use maud::{Markup, html};

use super::{badge, layout, local_time};
use crate::http::decisions::{AuditEntry, AuditRow};
use crate::http::desk::i18n::{Lang, check_title, t, t_or};
use crate::http::desk::pages::AppView;
use crate::http::desk::session::Session;

fn audit_table(lang: Lang, rows: &[(Option<(&str, &str)>, &AuditEntry)], titles: &HashMap<String, String>) -> Markup {
    html! {
        @if rows.is_empty() { p.empty { (t(lang, "audit_empty")) } }
        @else {
            table.audit {
                thead { tr {
                    th { (t(lang, "col_when")) }
                    @if rows.iter().any(|(a, _)| a.is_some()) { th { (t(lang, "col_application")) } }
                    th { (t(lang, "col_who")) } th { (t(lang, "col_what")) } th { (t(lang, "col_action")) }
                    th { (t(lang, "col_change")) } th { (t(lang, "col_reason")) }
                } }
                tbody {
                    @for (app, e) in rows {
                        tr {
                            td.mono { (local_time(&e.created_at)) }
                            @if let Some((id, no)) = app { td.mono { a href={ "/desk/applications/" (id) } { (no) } } }
                            td { (e.actor) }
                            td { @match &e.check_id {
                                Some(c) => { span.mono { (c) } " " (titles.get(c).map(String::as_str).unwrap_or_default()) }
                                None => (t(lang, "whole_application")),
                            } }
                            td { (t_or(lang, &format!("action_{}", e.action), &e.action)) }
                            td.change {
                                @let before = e.before.as_deref().unwrap_or("—");
                                @let after = e.after.as_deref().unwrap_or("—");
                                (badge(lang, if ["pass", "warn", "block", "not_applicable"].contains(&before) { "status" } else if ["review"].contains(&before) { "verdict" } else { "state" }, before))
                                " → " (badge(lang, "state", after))
                            }
                            td.reason { (e.reason.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

fn check_titles(lang: Lang, a: Option<&AppView>) -> HashMap<String, String> {
    a.and_then(|a| a.report.as_ref())
        .map(|r| r.checks.iter().map(|c| (c.id.clone(), check_title(lang, &c.id, &c.title))).collect())
        .unwrap_or_default()
}

pub(crate) fn audit_for(lang: Lang, session: &Session, a: &AppView, entries: &[AuditEntry]) -> Markup {
    let no = a.application_no.clone().unwrap_or_else(|| a.id.clone());
    let rows: Vec<(Option<(&str, &str)>, &AuditEntry)> = entries.iter().map(|e| (None, e)).collect();
    let body = html! {
        main.page {
            div.titlebar {
                h1 { (t(lang, "audit_title")) " · " a.mono href={ "/desk/applications/" (a.id) } { (no) } }
            }
            p.muted { (t(lang, "audit_readonly")) }
            (audit_table(lang, &rows, &check_titles(lang, Some(a))))
        }
    };
    layout(lang, t(lang, "audit_title"), Some(session), &format!("/desk/applications/{}/audit", a.id), body)
}

pub(crate) fn audit_all(lang: Lang, session: &Session, rows: &[AuditRow]) -> Markup {
    let table: Vec<(Option<(&str, &str)>, &AuditEntry)> = rows
        .iter()
        .map(|r| (Some((r.application_id.as_str(), r.application_no.as_deref().unwrap_or(r.application_id.as_str()))), &r.entry))
        .collect();
    let titles: HashMap<String, String> = crate::checks::CheckId::all()
        .map(|id| (id.to_string(), if lang == Lang::En { id.title(lang).to_string() } else { String::new() }))
        .collect();
    let body = html! {
        main.page {
            div.titlebar { h1 { (t(lang, "audit_title")) } }
            p.muted { (t(lang, "audit_readonly")) }
            (audit_table(lang, &table, &titles))
        }
    };
    layout(lang, t(lang, "audit_title"), Some(session), "/desk/audit", body)
}

/// An entity's verified archive: what later applications may reuse.
pub(crate) fn entity_history(lang: Lang, session: &Session, entity: &str, entries: &[crate::store::archive::Entry]) -> Markup {
    let shown = if let Some(id) = entity.strip_prefix("person:") { format!("person:{}", crate::types::mask_id(id)) } else { entity.to_string() };
    let body = html! {
        main.page {
            div.titlebar { h1 { (t(lang, "archive_title")) " · " span.mono { (shown) } } }
            p.muted { (t(lang, "archive_intro")) }
            @if entries.is_empty() {
                p { (t(lang, "archive_empty")) }
            } @else {
                table.audit {
                    thead { tr {
                        th { (t(lang, "col_kind")) } th { (t(lang, "col_file")) } th { (t(lang, "col_no")) }
                        th { (t(lang, "col_archived")) } th { (t(lang, "col_valid_until")) }
                    } }
                    tbody {
                        @for e in entries {
                            tr {
                                td.mono { (e.kind) }
                                td.mono { (e.file) }
                                td { a.mono href={ "/desk/applications/" (e.application_id) } { (e.application_id) } }
                                td { (e.archived_at.get(..16).unwrap_or(&e.archived_at).replace('T', " ")) }
                                td { (e.valid_until.clone().unwrap_or_else(|| t(lang, "long_term").to_string())) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(lang, t(lang, "archive_title"), Some(session), &format!("/desk/entities/{entity}"), body)
}
