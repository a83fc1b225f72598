//! The unified form, `application.json` (`spec/application.md`).
//!
//! Parsing is structural and strict: an unknown key or a value of the wrong
//! type is unusable input, reported with its path (`tractor.curb_mass_kg`).
//! Identifiers stay plain strings here on purpose: a malformed VIN is not
//! unusable input but a finding of check V1, which needs to see it.

use serde::{Deserialize, Serialize};

use crate::types::{normalize, Date, Kg, Mm};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_no: Option<String>,
    pub submitted_on: Date,
    pub carrier: Carrier,
    pub agent: Agent,
    #[serde(default)]
    pub drivers: Vec<Driver>,
    pub tractor: Vehicle,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailer: Option<Vehicle>,
    pub combination: Combination,
    pub cargo: Cargo,
    pub route: Route,
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carrier {
    pub name: String,
    pub uscc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub name: String,
    pub id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Driver {
    pub name: String,
    pub id_number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrailerKind {
    LowBed,
    Flatbed,
    HydraulicModular,
    Other,
}

/// The tractor (or rigid truck) and the trailer share one shape; `kind`
/// and `deck_height_mm` only mean something on a trailer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plate: Option<String>,
    pub vin: String,
    pub brand_model: String,
    pub curb_mass_kg: Kg,
    pub axles: u32,
    pub tyres: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<TrailerKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deck_height_mm: Option<Mm>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub temporary_plate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combination {
    pub length_mm: Mm,
    pub width_mm: Mm,
    pub height_mm: Mm,
    pub total_mass_kg: Kg,
    pub axle_loads_kg: Vec<Kg>,
    #[serde(default)]
    pub axle_spacing_mm: Vec<Mm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cargo {
    pub name: String,
    #[serde(default)]
    pub category: String,
    pub length_mm: Mm,
    pub width_mm: Mm,
    pub height_mm: Mm,
    pub mass_kg: Kg,
    pub pieces: u32,
    pub indivisible: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub origin: String,
    pub destination: String,
    pub segments: Vec<String>,
    pub start_date: Date,
    pub end_date: Date,
    pub trips: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::document::DocKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<crate::document::Subject>,
}

/// Unusable input: the form cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("application.json: {message} (at {path})")]
    Invalid { path: String, message: String },
    #[error("application.json: {0}")]
    Semantic(String),
}

/// Longest text value a form may hold.
pub const MAX_TEXT_CHARS: usize = 2000;

/// The key path of the first string longer than [`MAX_TEXT_CHARS`].
fn overlong_string(v: &serde_json::Value, path: String) -> Option<String> {
    match v {
        serde_json::Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => Some(if path.is_empty() { ".".into() } else { path }),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| overlong_string(x, format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, x)| {
            let key: String = k.chars().take(40).collect();
            overlong_string(x, if path.is_empty() { key } else { format!("{path}.{key}") })
        }),
        _ => None,
    }
}

impl Application {
    /// Parses and normalises the form. Errors name the key path.
    pub fn parse(json: &str) -> Result<Application, FormError> {
        // A form is a few kilobytes of names and numbers; a megabyte-long
        // "name" is an attack on whatever stores or shows it later.
        match serde_json::from_str::<serde_json::Value>(json) {
            Ok(v) => {
                if let Some(path) = overlong_string(&v, String::new()) {
                    return Err(FormError::Invalid { path, message: format!("text longer than {MAX_TEXT_CHARS} characters") });
                }
            }
            // serde_json stops at 128 levels rather than overflow the stack.
            Err(e) if e.to_string().contains("recursion limit") => {
                return Err(FormError::Invalid { path: ".".into(), message: "the JSON is nested too deep (over 128 levels)".into() });
            }
            // Other syntax errors are reported below, with their path.
            Err(_) => {}
        }
        let de = &mut serde_json::Deserializer::from_str(json);
        let mut app: Application = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            FormError::Invalid { path, message }
        })?;
        app.validate()?;
        app.normalise();
        Ok(app)
    }

    /// What would make the checks meaningless rather than failing: a
    /// document named twice, a driver index that points nowhere.
    fn validate(&self) -> Result<(), FormError> {
        let mut seen = std::collections::HashSet::new();
        for (i, d) in self.documents.iter().enumerate() {
            if d.file.is_empty() || d.file.contains(['/', '\\']) || d.file == ".." {
                return Err(FormError::Invalid {
                    path: format!("documents[{i}].file"),
                    message: format!("'{}' must be a plain file name", d.file),
                });
            }
            if !seen.insert(d.file.as_str()) {
                return Err(FormError::Invalid {
                    path: format!("documents[{i}].file"),
                    message: format!("'{}' is listed twice", d.file),
                });
            }
            if let Some(crate::document::Subject::Driver(n)) = d.subject
                && n >= self.drivers.len()
            {
                return Err(FormError::Invalid {
                    path: format!("documents[{i}].subject"),
                    message: format!("driver:{n} but the form declares {} driver(s)", self.drivers.len()),
                });
            }
        }
        if self.trailer.is_none() && self.tractor.kind.is_some() {
            return Err(FormError::Semantic("tractor.kind is for trailers only".into()));
        }
        Ok(())
    }

    /// Applies the `documents.md` normalisation to every compared value,
    /// so the checks compare like with like.
    fn normalise(&mut self) {
        self.carrier.name = normalize::text(&self.carrier.name);
        self.carrier.uscc = normalize::code(&self.carrier.uscc);
        self.agent.name = normalize::text(&self.agent.name);
        self.agent.id_number = normalize::code(&self.agent.id_number);
        for d in &mut self.drivers {
            d.name = normalize::text(&d.name);
            d.id_number = normalize::code(&d.id_number);
        }
        for v in std::iter::once(&mut self.tractor).chain(self.trailer.as_mut()) {
            v.plate = v.plate.as_deref().map(normalize::code);
            v.vin = normalize::code(&v.vin);
            v.brand_model = normalize::text(&v.brand_model);
        }
        self.cargo.name = normalize::text(&self.cargo.name);
        self.cargo.category = normalize::text(&self.cargo.category);
    }

    /// The vehicles of the form with their role, tractor first.
    pub fn vehicles(&self) -> Vec<(crate::document::Subject, &Vehicle)> {
        use crate::document::Subject;
        let mut v = vec![(Subject::Tractor, &self.tractor)];
        if let Some(t) = &self.trailer {
            v.push((Subject::Trailer, t));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const EXAMPLE: &str = include_str!("../tests/data/application_example.json");

    #[test]
    fn the_spec_example_parses() {
        let app = Application::parse(EXAMPLE).unwrap();
        assert_eq!(app.tractor.plate.as_deref(), Some("鲁H12345"));
        assert_eq!(app.trailer.as_ref().unwrap().kind, Some(TrailerKind::LowBed));
        assert_eq!(app.combination.axle_loads_kg.len(), 7);
        assert_eq!(app.documents[3].kind, None);
    }

    #[test]
    fn an_unknown_key_is_an_error_that_names_it() {
        let bad = EXAMPLE.replace("\"curb_mass_kg\": 9200", "\"curb_mass_kgs\": 9200");
        let err = Application::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("curb_mass_kgs") && err.contains("tractor"), "{err}");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_path() {
        let bad = EXAMPLE.replace("\"width_mm\": 3400, \"height_mm\": 4300", "\"width_mm\": \"wide\", \"height_mm\": 4300");
        let err = Application::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("combination.width_mm"), "{err}");
    }

    #[test]
    fn a_driver_subject_past_the_last_driver_is_rejected() {
        let bad = EXAMPLE.replace("\"driver:0\"", "\"driver:3\"");
        let err = Application::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("driver:3"), "{err}");
    }

    #[test]
    fn a_path_in_a_file_name_is_rejected() {
        let bad = EXAMPLE.replace("\"scan_0007.jpg\"", "\"../../etc/passwd\"");
        assert!(Application::parse(&bad).unwrap_err().to_string().contains("plain file name"));
    }

    #[test]
    fn an_overlong_text_is_rejected_naming_its_path() {
        let bad = EXAMPLE.replace("\"鲁H12345\"", &format!("\"{}\"", "鲁".repeat(MAX_TEXT_CHARS + 1)));
        let err = Application::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("tractor.plate") && err.contains("longer than"), "{err}");
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(Application::parse(&deep).unwrap_err().to_string().contains("nested too deep"));
    }

    #[test]
    fn values_are_normalised_on_the_way_in() {
        let src = EXAMPLE.replace("\"LZZ1CLVB5JA123456\"", "\"lzz1clvb5ja123456\"");
        let app = Application::parse(&src).unwrap();
        assert_eq!(app.tractor.vin, "LZZ1CLVB5JA123456");
    }
}
