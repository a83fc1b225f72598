//! The desk's pages in HTML (maud), one module per page; here what they share.

mod application;
mod audit;
mod login;
mod print;
mod queue;

use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use super::i18n::{Lang, t, t_or};
use super::session::Session;
use crate::report::Group;

pub(super) use application::application;
pub(super) use audit::{audit_all, audit_for, entity_history};
pub(super) use login::login;
pub(super) use print::print;
pub(super) use queue::queue;

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

fn chip(label: &str, count: Option<usize>, href: String, active: bool) -> Markup {
    html! {
        a class={ "chip" @if active { " on" } } href=(href) {
            (label) @if let Some(n) = count { span.n { (n) } }
        }
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
                            (s.user.name) " · " (t(lang, if s.user.role == crate::accounts::Role::Admin { "role_admin" } else { "role_clerk" }))
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
pub(super) fn error_page(key: &str, detail: Option<&str>) -> Markup {
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
