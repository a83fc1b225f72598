//! Layout families of the letters and plans (授权委托书, 护送方案, 承诺书) beyond the first
//! edition and the printout in `mod.rs`.

use super::Family;

pub(super) const FAMILIES: &[Family] = &[];
