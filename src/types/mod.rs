//! Validated value types: identifiers, units, dates, and the text
//! normalisation of `documents.md`. Each is built only through `parse`.

mod bbox;
mod dates;
mod ids;
pub mod normalize;
mod units;

pub use bbox::BBox;
pub use dates::{parse_date, Date, DateError, Month, Until};
pub use ids::{mask_id, mask_ids, Code, IdError, IdNumber, Plate, PlateKind, Uscc, Vin, PROVINCES};
pub use units::{Kg, Mm, UnitError};
