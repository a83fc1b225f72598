//! Layout families of the people's documents (驾驶证, 从业资格证, 身份证) beyond the first
//! edition and the printout in `mod.rs`.

use super::Family;

pub(super) const FAMILIES: &[Family] = &[];
