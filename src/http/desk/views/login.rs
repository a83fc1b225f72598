//! The login page.

use maud::{Markup, html};

use super::layout;
use crate::http::desk::i18n::{Lang, t};

pub(crate) fn login(lang: Lang, next: &str, csrf: &str, error: Option<&str>) -> Markup {
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
