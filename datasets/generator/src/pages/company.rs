//! Layout families of the company's documents (营业执照, 道路运输经营许可证) beyond the first
//! edition and the printout in `mod.rs`.

use super::Family;

pub(super) const FAMILIES: &[Family] = &[];
