//! Layout families of the vehicle and cargo contour drawing (车货轮廓图)
//! beyond the first edition in `mod.rs`.

use super::Family;

pub(super) const FAMILIES: &[Family] = &[];
