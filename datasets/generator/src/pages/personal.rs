//! Layout families of the drivers' documents (驾驶证, 从业资格证) beyond the first
//! edition and the printout in `mod.rs`.

use super::Family;

pub(super) const FAMILIES: &[Family] = &[];
