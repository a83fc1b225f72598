//! The regulation thresholds and lists of `rules/`, each with its legal
//! source. Loaded once at start; a bad file stops start-up with a message
//! naming the file and the entry.

use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::types::{Kg, Mm};

/// A value with the legal text it comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrossMass {
    pub axles: u32,
    pub combination_kg: Kg,
    pub rigid_kg: Kg,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlimit {
    pub height_mm: Sourced<Mm>,
    pub width_mm: Sourced<Mm>,
    pub length_mm: Sourced<Mm>,
    pub gross_mass: Vec<GrossMass>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassBound {
    pub height_mm: Mm,
    pub width_mm: Mm,
    pub length_mm: Mm,
    #[serde(default)]
    pub total_mass_kg: Option<Kg>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermitClass {
    pub class_1: ClassBound,
    pub class_2: ClassBound,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxleLimit {
    pub average_kg: Kg,
    pub max_kg: Kg,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxleLoad {
    pub flatbed_low_bed: AxleLimit,
    pub hydraulic_modular: AxleLimit,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceClasses {
    pub combination: Sourced<Vec<String>>,
    pub rigid: Sourced<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personnel {
    pub licence_classes: LicenceClasses,
    pub freight_categories: Sourced<Vec<String>>,
    /// Every qualification category, to tell a category read in part from
    /// one that names another.
    pub qualification_categories: Sourced<Vec<String>>,
    pub licence_status_ok: Sourced<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub required_scope: Sourced<String>,
    pub status_ok: Sourced<Vec<String>>,
    pub mismatch_violation_kind: Sourced<String>,
    pub mismatch_lookback_years: Sourced<u32>,
    pub vehicle_status_ok: Sourced<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerances {
    pub curb_mass_pct: Sourced<f64>,
    pub total_mass_pct: Sourced<f64>,
    pub axle_sum_pct: Sourced<f64>,
    pub deck_height_slack_mm: Sourced<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelWindow {
    pub single_trip_max_days: Sourced<u32>,
    pub multi_trip_max_days: Sourced<u32>,
    pub long_term_excluded_classes: Sourced<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteRules {
    pub survey_ratings: Sourced<Vec<u8>>,
    pub survey_road_classes: Sourced<Vec<crate::registry::RoadClass>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goods {
    pub divisible: Sourced<Vec<String>>,
    pub categories: Sourced<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escort {
    pub class_requiring_materials: Sourced<u8>,
    pub escort_plan_sections: Sourced<Vec<String>>,
}

/// A plausible range for a number read on a page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plausible {
    pub min: u64,
    pub max: u64,
    pub source: String,
}

impl Plausible {
    pub fn contains(&self, n: u64) -> bool {
        (self.min..=self.max).contains(&n)
    }
}

/// What a value read on a page must look like to count as one
/// (`rules/fields.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    pub licence_classes: Sourced<Vec<String>>,
    pub mass_kg: Plausible,
    pub length_mm: Plausible,
    pub width_mm: Plausible,
    pub height_mm: Plausible,
    pub approved_passengers: Plausible,
}

/// All of `rules/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub overlimit: Overlimit,
    pub permit_class: PermitClass,
    pub axle_load: AxleLoad,
    pub personnel: Personnel,
    pub company: Company,
    pub tolerances: Tolerances,
    pub travel_window: TravelWindow,
    pub route: RouteRules,
    pub goods: Goods,
    pub escort: Escort,
    pub fields: Fields,
}

#[derive(Debug, thiserror::Error)]
#[error("rules/{file}: {message}")]
pub struct RulesError {
    pub file: String,
    pub message: String,
}

/// The files, in the order they are read; the defaults are compiled in.
const FILES: [(&str, &str); 11] = [
    ("overlimit.toml", include_str!("../rules/overlimit.toml")),
    ("permit_class.toml", include_str!("../rules/permit_class.toml")),
    ("axle_load.toml", include_str!("../rules/axle_load.toml")),
    ("personnel.toml", include_str!("../rules/personnel.toml")),
    ("company.toml", include_str!("../rules/company.toml")),
    ("tolerances.toml", include_str!("../rules/tolerances.toml")),
    ("travel_window.toml", include_str!("../rules/travel_window.toml")),
    ("route.toml", include_str!("../rules/route.toml")),
    ("goods.toml", include_str!("../rules/goods.toml")),
    ("escort.toml", include_str!("../rules/escort.toml")),
    ("fields.toml", include_str!("../rules/fields.toml")),
];

fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, RulesError> {
    toml::from_str(text).map_err(|e| RulesError { file: file.to_string(), message: e.to_string() })
}

impl Rules {
    /// The compiled-in rules, parsed once: for the stages that run before a
    /// run's own `--rules` are known (the extractor judging what it read).
    pub(crate) fn embedded_static() -> &'static Rules {
        static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
        RULES.get_or_init(Rules::embedded)
    }

    /// The rules compiled into this binary (the repository's `rules/`).
    pub fn embedded() -> Rules {
        Self::from_texts(|name| Ok(FILES.iter().find(|(n, _)| *n == name).expect("listed").1.to_string()))
            .expect("the compiled-in rules are valid (tested)")
    }

    /// Reads every file from `dir`; all eleven must be there.
    pub fn load_dir(dir: &Path) -> Result<Rules, RulesError> {
        Self::from_texts(|name| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| RulesError {
                file: name.to_string(),
                message: format!("cannot read {}: {e}", dir.join(name).display()),
            })
        })
    }

    fn from_texts(read: impl Fn(&str) -> Result<String, RulesError>) -> Result<Rules, RulesError> {
        let rules = Rules {
            overlimit: parse("overlimit.toml", &read("overlimit.toml")?)?,
            permit_class: parse("permit_class.toml", &read("permit_class.toml")?)?,
            axle_load: parse("axle_load.toml", &read("axle_load.toml")?)?,
            personnel: parse("personnel.toml", &read("personnel.toml")?)?,
            company: parse("company.toml", &read("company.toml")?)?,
            tolerances: parse("tolerances.toml", &read("tolerances.toml")?)?,
            travel_window: parse("travel_window.toml", &read("travel_window.toml")?)?,
            route: parse("route.toml", &read("route.toml")?)?,
            goods: parse("goods.toml", &read("goods.toml")?)?,
            escort: parse("escort.toml", &read("escort.toml")?)?,
            fields: parse("fields.toml", &read("fields.toml")?)?,
        };
        rules.validate()?;
        Ok(rules)
    }

    /// What TOML's types cannot say: sources present, tables ordered,
    /// bounds that nest.
    fn validate(&self) -> Result<(), RulesError> {
        let err = |file: &str, message: String| Err(RulesError { file: file.into(), message });
        let mut sources: Vec<(&str, &str, &str)> = vec![
            ("overlimit.toml", "height_mm", &self.overlimit.height_mm.source),
            ("overlimit.toml", "width_mm", &self.overlimit.width_mm.source),
            ("overlimit.toml", "length_mm", &self.overlimit.length_mm.source),
            ("permit_class.toml", "class_1", &self.permit_class.class_1.source),
            ("permit_class.toml", "class_2", &self.permit_class.class_2.source),
            ("axle_load.toml", "flatbed_low_bed", &self.axle_load.flatbed_low_bed.source),
            ("axle_load.toml", "hydraulic_modular", &self.axle_load.hydraulic_modular.source),
            ("personnel.toml", "licence_classes.combination", &self.personnel.licence_classes.combination.source),
            ("personnel.toml", "licence_classes.rigid", &self.personnel.licence_classes.rigid.source),
            ("personnel.toml", "freight_categories", &self.personnel.freight_categories.source),
            ("personnel.toml", "qualification_categories", &self.personnel.qualification_categories.source),
            ("personnel.toml", "licence_status_ok", &self.personnel.licence_status_ok.source),
            ("company.toml", "required_scope", &self.company.required_scope.source),
            ("company.toml", "status_ok", &self.company.status_ok.source),
            ("company.toml", "mismatch_violation_kind", &self.company.mismatch_violation_kind.source),
            ("company.toml", "mismatch_lookback_years", &self.company.mismatch_lookback_years.source),
            ("company.toml", "vehicle_status_ok", &self.company.vehicle_status_ok.source),
            ("tolerances.toml", "curb_mass_pct", &self.tolerances.curb_mass_pct.source),
            ("tolerances.toml", "total_mass_pct", &self.tolerances.total_mass_pct.source),
            ("tolerances.toml", "axle_sum_pct", &self.tolerances.axle_sum_pct.source),
            ("tolerances.toml", "deck_height_slack_mm", &self.tolerances.deck_height_slack_mm.source),
            ("travel_window.toml", "single_trip_max_days", &self.travel_window.single_trip_max_days.source),
            ("travel_window.toml", "multi_trip_max_days", &self.travel_window.multi_trip_max_days.source),
            ("travel_window.toml", "long_term_excluded_classes", &self.travel_window.long_term_excluded_classes.source),
            ("route.toml", "survey_ratings", &self.route.survey_ratings.source),
            ("route.toml", "survey_road_classes", &self.route.survey_road_classes.source),
            ("goods.toml", "divisible", &self.goods.divisible.source),
            ("goods.toml", "categories", &self.goods.categories.source),
            ("escort.toml", "class_requiring_materials", &self.escort.class_requiring_materials.source),
            ("escort.toml", "escort_plan_sections", &self.escort.escort_plan_sections.source),
            ("fields.toml", "licence_classes", &self.fields.licence_classes.source),
            ("fields.toml", "mass_kg", &self.fields.mass_kg.source),
            ("fields.toml", "length_mm", &self.fields.length_mm.source),
            ("fields.toml", "width_mm", &self.fields.width_mm.source),
            ("fields.toml", "height_mm", &self.fields.height_mm.source),
            ("fields.toml", "approved_passengers", &self.fields.approved_passengers.source),
        ];
        for g in &self.overlimit.gross_mass {
            sources.push(("overlimit.toml", "gross_mass", &g.source));
        }
        for (file, entry, source) in sources {
            if source.trim().is_empty() {
                return err(file, format!("entry {entry} has an empty source: every rule names its legal source"));
            }
        }
        let gm = &self.overlimit.gross_mass;
        if gm.is_empty() {
            return err("overlimit.toml", "gross_mass needs at least one row".into());
        }
        for (i, w) in gm.windows(2).enumerate() {
            if w[1].axles != w[0].axles + 1 {
                return err(
                    "overlimit.toml",
                    format!("gross_mass[{}] (axles = {}) must follow axles = {} without a gap", i + 1, w[1].axles, w[0].axles),
                );
            }
        }
        let (c1, c2) = (&self.permit_class.class_1, &self.permit_class.class_2);
        if c1.height_mm > c2.height_mm || c1.width_mm > c2.width_mm || c1.length_mm > c2.length_mm {
            return err("permit_class.toml", "class_1 must lie within class_2".into());
        }
        if c2.total_mass_kg.is_none() {
            return err("permit_class.toml", "class_2.total_mass_kg is required".into());
        }
        for (name, a) in [("flatbed_low_bed", &self.axle_load.flatbed_low_bed), ("hydraulic_modular", &self.axle_load.hydraulic_modular)] {
            if a.average_kg > a.max_kg {
                return err("axle_load.toml", format!("{name}: average_kg exceeds max_kg"));
            }
        }
        for (name, v) in [
            ("curb_mass_pct", self.tolerances.curb_mass_pct.value),
            ("total_mass_pct", self.tolerances.total_mass_pct.value),
            ("axle_sum_pct", self.tolerances.axle_sum_pct.value),
        ] {
            if !(0.0..=50.0).contains(&v) {
                return err("tolerances.toml", format!("{name} = {v} is not a percentage between 0 and 50"));
            }
        }
        let f = &self.fields;
        for (name, p) in [("mass_kg", &f.mass_kg), ("length_mm", &f.length_mm), ("width_mm", &f.width_mm), ("height_mm", &f.height_mm), ("approved_passengers", &f.approved_passengers)] {
            if p.min > p.max {
                return err("fields.toml", format!("{name}: min {} exceeds max {}", p.min, p.max));
            }
        }
        if self.escort.escort_plan_sections.value.is_empty() {
            return err("escort.toml", "escort_plan_sections is empty".into());
        }
        Ok(())
    }

    /// The Art. 3 total-mass limit for a vehicle with `axles` axles.
    pub fn gross_mass_limit(&self, axles: u32, combination: bool) -> Kg {
        let rows = &self.overlimit.gross_mass;
        let row = rows.iter().find(|r| r.axles == axles).unwrap_or_else(|| {
            if axles < rows[0].axles { &rows[0] } else { rows.last().expect("validated non-empty") }
        });
        if combination { row.combination_kg } else { row.rigid_kg }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_load_and_validate() {
        let r = Rules::embedded();
        assert_eq!(r.overlimit.height_mm.value, Mm(4000));
        assert_eq!(r.gross_mass_limit(7, true), Kg(49000));
        assert_eq!(r.gross_mass_limit(3, false), Kg(25000));
        assert_eq!(r.gross_mass_limit(3, true), Kg(27000));
    }

    #[test]
    fn the_rules_directory_matches_the_compiled_in_copy() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        assert_eq!(Rules::load_dir(&dir).unwrap(), Rules::embedded());
    }

    fn broken_copy(file: &str, from: &str, to: &str) -> (tempfile::TempDir, Result<Rules, RulesError>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in FILES {
            let text = if name == file { text.replacen(from, to, 1) } else { text.to_string() };
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let r = Rules::load_dir(dir.path());
        (dir, r)
    }

    #[test]
    fn a_rule_without_a_source_is_rejected_naming_file_and_entry() {
        let line = include_str!("../rules/axle_load.toml").lines().find(|l| l.starts_with("source")).unwrap();
        let (_d, r) = broken_copy("axle_load.toml", line, "source = \"  \"");
        let e = r.unwrap_err().to_string();
        assert!(e.contains("axle_load.toml") && e.contains("flatbed_low_bed") && e.contains("empty source"), "{e}");
    }

    #[test]
    fn a_misspelt_entry_is_rejected_naming_it() {
        let (_d, r) = broken_copy("tolerances.toml", "[curb_mass_pct]", "[curb_mass_pc]");
        let e = r.unwrap_err().to_string();
        assert!(e.contains("tolerances.toml") && e.contains("curb_mass_pc"), "{e}");
    }

    #[test]
    fn class_bounds_that_do_not_nest_are_rejected() {
        let (_d, r) = broken_copy("permit_class.toml", "height_mm = 4200", "height_mm = 4800");
        assert!(r.unwrap_err().to_string().contains("class_1 must lie within class_2"));
    }

    #[test]
    fn a_missing_rules_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = Rules::load_dir(dir.path()).unwrap_err().to_string();
        assert!(e.contains("overlimit.toml"), "{e}");
    }
}
