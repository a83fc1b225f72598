//! The queue page (`/desk`): the applications in the clerk's order, with filters.

use maud::{Markup, html};

use super::{age, badge, chip, layout, local_time};
use crate::http::desk::QueueFilter;
use crate::http::desk::i18n::{Lang, t, t_or};
use crate::http::desk::pages::{QUEUE_LIMIT, QueueRow};
use crate::http::desk::session::Session;
use crate::store::applications::JobStatus;

pub(crate) fn queue(lang: Lang, session: &Session, rows: &[QueueRow], f: &QueueFilter) -> Markup {
    let is = |v: &Option<String>, x: &str| v.as_deref().filter(|s| !s.is_empty()) == Some(x);
    let none = |v: &Option<String>| v.as_deref().is_none_or(str::is_empty);
    let decided = |r: &QueueRow| r.decision.is_some();
    let shown: Vec<&QueueRow> = rows
        .iter()
        .filter(|r| none(&f.verdict) || r.verdict.as_deref() == f.verdict.as_deref())
        .filter(|r| none(&f.status) || r.status.key() == f.status.as_deref().unwrap_or_default())
        .filter(|r| none(&f.decided) || (is(&f.decided, "yes") == decided(r)))
        .collect();
    let href = |verdict: Option<&str>, status: Option<&str>, dec: Option<&str>| {
        let mut q = vec![];
        if let Some(v) = verdict { q.push(format!("verdict={v}")) }
        if let Some(s) = status { q.push(format!("status={s}")) }
        if let Some(d) = dec { q.push(format!("decided={d}")) }
        if q.is_empty() { "/desk".to_string() } else { format!("/desk?{}", q.join("&")) }
    };
    let (fv, fs, fd) = (f.verdict.as_deref().filter(|s| !s.is_empty()), f.status.as_deref().filter(|s| !s.is_empty()), f.decided.as_deref().filter(|s| !s.is_empty()));
    let count_v = |v: &str| rows.iter().filter(|r| r.verdict.as_deref() == Some(v)).count();
    let count_s = |s: &str| rows.iter().filter(|r| r.status.key() == s).count();
    let count_d = |d: bool| rows.iter().filter(|r| decided(r) == d).count();
    let here = href(fv, fs, fd);
    let body = html! {
        main.page {
            div.titlebar {
                h1 { (t(lang, "queue_title")) span.count { (shown.len()) " / " (rows.len()) } }
            }
            div.filters {
                div.fgroup {
                    span.flabel { (t(lang, "filter_verdict")) }
                    (chip(t(lang, "filter_all"), Some(rows.len()), href(None, fs, fd), fv.is_none()))
                    @for v in ["block", "review", "pass"] {
                        (chip(t(lang, &format!("verdict_{v}")), Some(count_v(v)), href(Some(v), fs, fd), fv == Some(v)))
                    }
                }
                div.fgroup {
                    span.flabel { (t(lang, "filter_status")) }
                    (chip(t(lang, "filter_all"), None, href(fv, None, fd), fs.is_none()))
                    @for s in JobStatus::ALL.map(JobStatus::key) {
                        (chip(t(lang, &format!("job_{s}")), Some(count_s(s)), href(fv, Some(s), fd), fs == Some(s)))
                    }
                }
                div.fgroup {
                    span.flabel { (t(lang, "filter_decided")) }
                    (chip(t(lang, "filter_all"), None, href(fv, fs, None), fd.is_none()))
                    (chip(t(lang, "undecided"), Some(count_d(false)), href(fv, fs, Some("no")), fd == Some("no")))
                    (chip(t(lang, "decided"), Some(count_d(true)), href(fv, fs, Some("yes")), fd == Some("yes")))
                }
            }
            @if shown.is_empty() {
                p.empty { (t(lang, "queue_empty")) }
            } @else {
                table.queue data-nav="rows" {
                    thead { tr {
                        th { (t(lang, "col_verdict")) } th { (t(lang, "col_no")) } th { (t(lang, "col_carrier")) }
                        th { (t(lang, "col_flags")) } th { (t(lang, "col_status")) } th { (t(lang, "col_decision")) }
                        th { (t(lang, "col_submitted")) } th.num { (t(lang, "col_age")) }
                    } }
                    tbody {
                        @for r in &shown {
                            tr data-href={ "/desk/applications/" (r.id) } {
                                td { @match r.verdict.as_deref() { Some(v) => (badge(lang, "verdict", v)), None => span.muted { "—" } } }
                                td.mono { a href={ "/desk/applications/" (r.id) } { (r.application_no.as_deref().unwrap_or(&r.id)) } }
                                td { (r.carrier) }
                                td.flags {
                                    @if r.blocks > 0 { span.fl.fl-block title=(t(lang, "status_block")) { "✕ " (r.blocks) } }
                                    @if r.warns > 0 { span.fl.fl-warn title=(t(lang, "status_warn")) { "! " (r.warns) } }
                                }
                                td { (t_or(lang, &format!("job_{}", r.status), r.status.key())) }
                                td { @match &r.decision { Some(d) => (badge(lang, "state", d)), None => span.muted { (t(lang, "undecided")) } } }
                                td.mono { (local_time(&r.created_at)) }
                                td.num { (age(lang, &r.created_at)) }
                            }
                        }
                    }
                }
                @if rows.len() as i64 >= QUEUE_LIMIT { p.muted { (t(lang, "queue_limit")) } }
            }
            p.keys { (t(lang, "keys_queue")) }
        }
    };
    layout(lang, t(lang, "queue_title"), Some(session), &here, body)
}
