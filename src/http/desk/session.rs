//! The desk's cookies: the session cookie (HttpOnly, SameSite=Strict,
//! Secure behind TLS) and the login form's double-submit CSRF cookie.
//! Accounts and sessions themselves are [`crate::accounts`]. A login always
//! starts a new session (and ends the one the browser came with), so an id
//! planted before login is worth nothing after it.

use axum::http::{HeaderMap, HeaderValue, header};

pub use crate::accounts::{SESSION_HOURS, Session};

/// The session cookie.
pub const COOKIE: &str = "dajian_session";
/// The double-submit cookie that protects the login form, which has no
/// session yet to hold a CSRF token.
pub const LOGIN_CSRF_COOKIE: &str = "dajian_login_csrf";

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie; `None` makes it
/// last as long as the browser.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool, http_only: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Strict");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).expect("cookie values are ASCII")
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A fresh random token (the login form's CSRF cookie).
pub fn new_token() -> String {
    crate::accounts::random_hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("lang=en; dajian_session=abc"));
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, "x"), None);
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("abc", "ab"));
    }
}
