//! The desk's views (maud) and the reads behind them.

use std::collections::HashMap;

use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use super::QueueFilter;
use super::i18n::{Lang, check_title, t, t_or};
use super::session::Session;
use crate::db::Db;
use crate::document::Document;
use crate::http::decisions::{AuditEntry, AuditRow};
use crate::http::{ApiError, ApiResult};
use crate::report::{CheckResult, Evidence, Group, Reading, Report, Source, Status};

// ------------------------------------------------------------------ data

/// One line of the queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: String,
    pub application_no: Option<String>,
    pub carrier: String,
    pub status: String,
    pub verdict: Option<String>,
    pub blocks: usize,
    pub warns: usize,
    pub decision: Option<String>,
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct QueueDbRow {
    id: String,
    application_no: Option<String>,
    status: String,
    verdict: Option<String>,
    form: String,
    report: Option<String>,
    created_at: String,
    decision: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AppDbRow {
    id: String,
    application_no: Option<String>,
    status: String,
    error: Option<String>,
    form: String,
    report: Option<String>,
    created_at: String,
}

/// The queue holds at most this many rows; the rest wait for a filter.
pub const QUEUE_LIMIT: i64 = 1000;

/// The queue in the clerk's order: block, review, pass (then what has no
/// verdict yet), oldest first within each.
pub async fn load_queue(db: &Db) -> ApiResult<Vec<QueueRow>> {
    let rows: Vec<QueueDbRow> = sqlx::query_as(
        "SELECT id, application_no, status, verdict, form, report, created_at, \
           (SELECT after FROM audit_log a WHERE a.application_id = applications.id AND a.check_id IS NULL ORDER BY a.id DESC LIMIT 1) AS decision \
         FROM applications \
         ORDER BY CASE verdict WHEN 'block' THEN 0 WHEN 'review' THEN 1 WHEN 'pass' THEN 2 ELSE 3 END, created_at, id LIMIT $1",
    )
    .bind(QUEUE_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|QueueDbRow { id, application_no, status, verdict, form, report, created_at, decision }| {
            let carrier = serde_json::from_str::<Value>(&form)
                .ok()
                .and_then(|f| f["carrier"]["name"].as_str().map(String::from))
                .unwrap_or_default();
            let count = |r: &Report, s: Status| r.checks.iter().filter(|c| c.status == s).count();
            let (blocks, warns) = report
                .as_deref()
                .and_then(|r| serde_json::from_str::<Report>(r).ok())
                .map_or((0, 0), |r| (count(&r, Status::Block), count(&r, Status::Warn)));
            QueueRow { id, application_no, carrier, status, verdict, blocks, warns, decision, created_at }
        })
        .collect())
}

/// The last decision on a check or on the application.
#[derive(Debug, Clone)]
pub struct State {
    pub after: String,
    pub actor: String,
    pub at: String,
    pub reason: Option<String>,
}

/// Everything the application, audit and print pages show.
pub struct AppView {
    pub id: String,
    pub application_no: Option<String>,
    pub status: String,
    pub error: Option<String>,
    pub created_at: String,
    pub form: Value,
    pub report: Option<Report>,
    pub report_json: Option<String>,
    pub checks_state: HashMap<String, State>,
    pub app_state: Option<State>,
}

pub async fn load_application(db: &Db, id: &str) -> ApiResult<AppView> {
    let row: Option<AppDbRow> =
        sqlx::query_as("SELECT id, application_no, status, error, form, report, created_at FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&db.pool)
            .await?;
    let AppDbRow { id, application_no, status, error, form, report: report_json, created_at } = row.ok_or(ApiError::NotFound)?;
    let form: Value = serde_json::from_str(&form).map_err(|e| ApiError::Internal(anyhow::anyhow!("application {id}: stored form: {e}")))?;
    let report = match report_json.as_deref() {
        Some(r) => Some(serde_json::from_str::<Report>(r).map_err(|e| ApiError::Internal(anyhow::anyhow!("application {id}: stored report: {e}")))?),
        None => None,
    };
    let mut checks_state = HashMap::new();
    let mut app_state = None;
    for e in crate::http::decisions::log(db, &id).await? {
        let s = State { after: e.after.unwrap_or_default(), actor: e.actor, at: e.created_at, reason: e.reason };
        match e.check_id {
            Some(c) => {
                checks_state.insert(c, s);
            }
            None => app_state = Some(s),
        }
    }
    Ok(AppView { id, application_no, status, error, created_at, form, report, report_json, checks_state, app_state })
}

// --------------------------------------------------------------- helpers

/// RFC 3339 UTC → Beijing time, as clerks read clocks.
fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn age(lang: Lang, rfc3339: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else { return String::new() };
    let mins = (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_minutes().max(0);
    let (n, zh, en) = if mins >= 2 * 1440 {
        (mins / 1440, "天", "d")
    } else if mins >= 60 {
        (mins / 60, "小时", "h")
    } else {
        (mins, "分钟", "min")
    };
    match lang {
        Lang::Zh => format!("{n}{zh}"),
        Lang::En => format!("{n} {en}"),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

fn status_icon(s: &str) -> &'static str {
    match s {
        "pass" | "accepted" | "approved" => "✓",
        "warn" | "review" => "!",
        "block" | "returned" => "✕",
        "overridden" => "↺",
        _ => "–",
    }
}

/// A coloured badge with an icon, for a status, verdict or decision.
fn badge(lang: Lang, kind: &str, value: &str) -> Markup {
    let key = format!("{kind}_{value}");
    html! {
        span class={ "badge b-" (value) } title=(t_or(lang, &key, value)) {
            span.icon aria-hidden="true" { (status_icon(value)) }
            (t_or(lang, &key, value))
        }
    }
}

fn group_key(g: Group) -> &'static str {
    match g {
        Group::Personnel => "group_personnel",
        Group::Company => "group_company",
        Group::Vehicle => "group_vehicle",
        Group::Route => "group_route",
        Group::Cargo => "group_cargo",
    }
}

const GROUPS: [Group; 5] = [Group::Personnel, Group::Company, Group::Vehicle, Group::Route, Group::Cargo];

fn roman(class: u8) -> &'static str {
    match class {
        1 => "Ⅰ",
        2 => "Ⅱ",
        3 => "Ⅲ",
        _ => "?",
    }
}

// ---------------------------------------------------------------- layout

fn layout(lang: Lang, title: &str, session: Option<&Session>, here: &str, body: Markup) -> Markup {
    let other = if lang == Lang::Zh { "en" } else { "zh" };
    html! {
        (DOCTYPE)
        html lang=(lang.html()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (t(lang, "app_short")) }
                link rel="stylesheet" href="/desk/static/desk.css";
                script src="/desk/static/desk.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/desk" { span.mark { "大" } (t(lang, "app_name")) }
                    @if let Some(s) = session {
                        nav {
                            a href="/desk" accesskey="q" { (t(lang, "nav_queue")) }
                            a href="/desk/audit" { (t(lang, "nav_audit")) }
                        }
                        span.spacer {}
                        span.user title=(t(lang, "signed_in_as")) {
                            (s.user.name) " · " (t(lang, if s.user.role == crate::http::auth::Role::Admin { "role_admin" } else { "role_clerk" }))
                        }
                    } @else {
                        span.spacer {}
                    }
                    a.lang href={ "/desk/lang?set=" (other) "&back=" (super::encode(here)) } { (t(lang, "lang_switch")) }
                    @if let Some(s) = session {
                        form.logout method="post" action="/desk/logout" {
                            input type="hidden" name="csrf" value=(s.csrf);
                            button.link type="submit" { (t(lang, "logout")) }
                        }
                    }
                }
                (body)
            }
        }
    }
}

/// An error page in both languages: it may come before the language is known.
pub fn error_page(key: &str, detail: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { (t(Lang::Zh, "err_title")) " / " (t(Lang::En, "err_title")) }
                link rel="stylesheet" href="/desk/static/desk.css";
            }
            body.center {
                main.card.error {
                    h1 { (t(Lang::Zh, "err_title")) " · " (t(Lang::En, "err_title")) }
                    p { (t(Lang::Zh, key)) }
                    p lang="en" { (t(Lang::En, key)) }
                    @if let Some(d) = detail { p.detail lang="en" { (d) } }
                    p { a href="/desk" { (t(Lang::Zh, "nav_queue")) " / " (t(Lang::En, "nav_queue")) } }
                }
            }
        }
    }
}

// ----------------------------------------------------------------- login

pub fn login(lang: Lang, next: &str, csrf: &str, error: Option<&str>) -> Markup {
    let body = html! {
        main.center {
            form.card.login method="post" action="/desk/login" {
                h1 { (t(lang, "login_title")) }
                @if let Some(e) = error { p.alert role="alert" { (t(lang, e)) } }
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label { (t(lang, "username")) input name="name" autocomplete="username" required autofocus; }
                label { (t(lang, "password")) input name="password" type="password" autocomplete="current-password" required; }
                button.primary type="submit" { (t(lang, "login")) }
            }
        }
    };
    layout(lang, t(lang, "login_title"), None, "/desk/login", body)
}

// ----------------------------------------------------------------- queue

fn chip(label: &str, count: Option<usize>, href: String, active: bool) -> Markup {
    html! {
        a class={ "chip" @if active { " on" } } href=(href) {
            (label) @if let Some(n) = count { span.n { (n) } }
        }
    }
}

pub fn queue(lang: Lang, session: &Session, rows: &[QueueRow], f: &QueueFilter) -> Markup {
    let is = |v: &Option<String>, x: &str| v.as_deref().filter(|s| !s.is_empty()) == Some(x);
    let none = |v: &Option<String>| v.as_deref().is_none_or(str::is_empty);
    let decided = |r: &QueueRow| r.decision.is_some();
    let shown: Vec<&QueueRow> = rows
        .iter()
        .filter(|r| none(&f.verdict) || r.verdict.as_deref() == f.verdict.as_deref())
        .filter(|r| none(&f.status) || r.status == f.status.as_deref().unwrap_or_default())
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
    let count_s = |s: &str| rows.iter().filter(|r| r.status == s).count();
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
                    @for s in ["queued", "running", "done", "failed"] {
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
                                td { (t_or(lang, &format!("job_{}", r.status), &r.status)) }
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

// ----------------------------------------------------------- application

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

/// Where the desk loads a page's image: an archived page (reused from an
/// earlier application) is served from the application that brought it.
/// Where the viewer gets page `page` (1-based) of `file`: PDF and TIFF
/// pages come rendered as PNG (`?page=N`), which browsers show.
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

pub fn application(lang: Lang, session: &Session, a: &AppView, error: Option<(&str, &str)>) -> Markup {
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
                        @if a.status == "failed" { p.alert { (t(lang, "precheck_failed")) (a.error.as_deref().unwrap_or_default()) } }
                        @else { p { (t(lang, "not_done_yet")) " " (t_or(lang, &format!("job_{}", a.status), &a.status)) } }
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
                                                @if let Some(sg) = crate::route::in_evidence(&c.evidence) { (super::route_panel::panel(lang, &sg)) }
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
                                    @if super::route_panel::suggestion_in(r).is_some() {
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

// ----------------------------------------------------------------- audit

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

pub fn audit_for(lang: Lang, session: &Session, a: &AppView, entries: &[AuditEntry]) -> Markup {
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

pub fn audit_all(lang: Lang, session: &Session, rows: &[AuditRow]) -> Markup {
    let entries: Vec<AuditEntry> = rows
        .iter()
        .map(|r| AuditEntry {
            check_id: r.check_id.clone(),
            actor: r.actor.clone(),
            action: r.action.clone(),
            reason: r.reason.clone(),
            before: r.before.clone(),
            after: r.after.clone(),
            created_at: r.created_at.clone(),
        })
        .collect();
    let table: Vec<(Option<(&str, &str)>, &AuditEntry)> = rows
        .iter()
        .zip(&entries)
        .map(|(r, e)| (Some((r.application_id.as_str(), r.application_no.as_deref().unwrap_or(r.application_id.as_str()))), e))
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
pub fn entity_history(lang: Lang, session: &Session, entity: &str, entries: &[crate::archive::Entry]) -> Markup {
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

// ----------------------------------------------------------------- print

pub fn print(lang: Lang, session: &Session, a: &AppView) -> Markup {
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
