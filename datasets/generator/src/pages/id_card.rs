//! Layout families of the ID card (居民身份证) beyond the first edition in
//! `mod.rs`.

use super::Family;

pub(super) const FAMILIES: &[Family] = &[];
