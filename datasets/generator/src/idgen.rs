//! Valid identifiers for the synthetic world. Check characters are found by
//! trying every candidate against the crate's own strict parsers, so what is
//! generated is exactly what `types::ids` accepts.

use chrono::Datelike;
use rand::Rng;

use dajian::types::{Date, IdNumber, Plate, Uscc, Vin};

const USCC_BODY: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn rand_from<R: Rng>(rng: &mut R, set: &str) -> char {
    let b = set.as_bytes();
    b[rng.random_range(0..b.len())] as char
}

/// 18-character USCC: `91` (enterprise), the 6-digit region, a GB 11714
/// organisation code starting `MA`, and the check character.
pub fn uscc<R: Rng>(rng: &mut R, region: &str) -> Uscc {
    loop {
        let mut s = format!("91{region}MA");
        for _ in 0..6 {
            s.push(rand_from(rng, USCC_BODY));
        }
        for org in "0123456789X".chars() {
            for check in USCC_BODY.chars() {
                let cand = format!("{s}{org}{check}");
                if let Ok(u) = Uscc::parse(&cand) {
                    return u;
                }
            }
        }
    }
}

pub fn id_number<R: Rng>(rng: &mut R, county: &str, birth: Date, male: bool) -> IdNumber {
    loop {
        let mut seq: u32 = rng.random_range(0..1000);
        // The sequence's last digit is odd for men, even for women.
        if (seq % 2 == 1) != male {
            seq = (seq + 1) % 1000;
        }
        let body = format!("{county}{:04}{:02}{:02}{seq:03}", birth.year(), birth.month(), birth.day());
        for c in "0123456789X".chars() {
            if let Ok(id) = IdNumber::parse(&format!("{body}{c}")) {
                return id;
            }
        }
    }
}

/// WMI (3) + VDS (5) + check + model year + plant + 6-digit serial.
pub fn vin<R: Rng>(rng: &mut R, wmi: &str, vds: &str, year: i32) -> Vin {
    const YEARS: &str = "ABCDEFGHJKLMNPRSTVWXY123456789";
    let year_code = YEARS.as_bytes()[((year - 2010).rem_euclid(30)) as usize] as char;
    loop {
        let plant = rand_from(rng, "ABCDEFGHJKLMNPRSTUVWXYZ");
        let serial: u32 = rng.random_range(0..1_000_000);
        for c in "0123456789X".chars() {
            let cand = format!("{wmi}{vds}{c}{year_code}{plant}{serial:06}");
            if let Ok(v) = Vin::parse(&cand) {
                return v;
            }
        }
    }
}

/// Changes one character after the check digit and recomputes nothing: the
/// result differs from `v` and (almost always) fails its check digit.
pub fn vin_typo<R: Rng>(rng: &mut R, v: &Vin) -> String {
    let mut chars: Vec<char> = v.as_str().chars().collect();
    loop {
        let pos = rng.random_range(11..17);
        let c = rand_from(rng, "0123456789");
        if c != chars[pos] {
            chars[pos] = c;
            let s: String = chars.iter().collect();
            if Vin::parse(&s).is_err() {
                return s;
            }
            chars = v.as_str().chars().collect();
        }
    }
}

/// Another valid VIN of the same make (a different vehicle's).
pub fn other_vin<R: Rng>(rng: &mut R, v: &Vin) -> Vin {
    let s = v.as_str();
    loop {
        let n = vin(rng, &s[0..3], &s[3..8], 2020);
        if n != *v {
            return n;
        }
    }
}

pub fn plate<R: Rng>(rng: &mut R, abbr: char, letter: char, trailer: bool) -> Plate {
    const ALNUM: &str = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    loop {
        let mut s = format!("{abbr}{letter}");
        let n = if trailer { 4 } else { 5 };
        for i in 0..n {
            // Mostly digits, as real heavy-vehicle plates are.
            let c = if i == 0 && rng.random_bool(0.3) { rand_from(rng, ALNUM) } else { rand_from(rng, "0123456789") };
            s.push(c);
        }
        if trailer {
            s.push('挂');
        }
        if let Ok(p) = Plate::parse(&s) {
            return p;
        }
    }
}
