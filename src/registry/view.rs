//! The part of the registry one application touches, loaded before the
//! checks run so that the checks themselves do no I/O.

use std::collections::BTreeMap;

use super::records::{Company, Person, RoadNode, RoadSegment, Structure, Vehicle};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistryView {
    pub companies: BTreeMap<String, Company>,
    pub persons: BTreeMap<String, Person>,
    /// By plate.
    pub vehicles: BTreeMap<String, Vehicle>,
    pub nodes: BTreeMap<String, RoadNode>,
    pub segments: BTreeMap<String, RoadSegment>,
    /// By segment id.
    pub structures: BTreeMap<String, Vec<Structure>>,
}

impl RegistryView {
    pub fn company(&self, uscc: &str) -> Option<&Company> {
        self.companies.get(uscc)
    }
    pub fn person(&self, id_number: &str) -> Option<&Person> {
        self.persons.get(id_number)
    }
    pub fn vehicle(&self, plate: &str) -> Option<&Vehicle> {
        self.vehicles.get(plate)
    }
    pub fn structures_on(&self, segment: &str) -> &[Structure] {
        self.structures.get(segment).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn add_company(&mut self, c: Company) {
        self.companies.insert(c.uscc.to_string(), c);
    }
    pub fn add_person(&mut self, p: Person) {
        self.persons.insert(p.id_number.to_string(), p);
    }
    pub fn add_vehicle(&mut self, v: Vehicle) {
        self.vehicles.insert(v.plate.to_string(), v);
    }
    pub fn add_node(&mut self, n: RoadNode) {
        self.nodes.insert(n.id.clone(), n);
    }
    pub fn add_segment(&mut self, s: RoadSegment) {
        self.segments.insert(s.id.clone(), s);
    }
    pub fn add_structure(&mut self, s: Structure) {
        self.structures.entry(s.segment_id.clone()).or_default().push(s);
    }
}
