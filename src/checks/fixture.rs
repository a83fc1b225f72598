//! The clean fixture world of `tests/fixtures/clean/`, for the engine's
//! tests: every check passes (or is not applicable) on it, and each test
//! changes one thing.

use serde::de::DeserializeOwned;

use super::{CheckConfig, Input, Outcome, run};
use crate::document::{DocKind, Document, Field, Subject};
use crate::form::Application;
use crate::registry::{Company, Person, RegistryView, Structure, Vehicle};
use crate::report::{CheckResult, Status};
use crate::rules::Rules;

/// The registry keys of the fixture's carrier, its one driver and its two
/// vehicles, for the tests that change what the registry says of them.
pub const CARRIER: &str = "91370800MA3C5G1X0G";
pub const DRIVER: &str = "370811197805060018";
pub const TRACTOR: &str = "鲁H12345";
pub const TRAILER: &str = "鲁H6789挂";

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");

fn jsonl<T: DeserializeOwned>(name: &str) -> Vec<T> {
    let text = std::fs::read_to_string(format!("{DIR}/registry/{name}.jsonl")).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}"))).collect()
}

/// An OCR line read well, for the pages whose printed text a test writes.
pub fn line(text: &str) -> crate::ocr::TextLine {
    crate::ocr::TextLine { text: text.into(), confidence: 0.95, bbox: crate::types::BBox::default(), chars: vec![], page: 1 }
}

pub struct World {
    pub form: Application,
    pub docs: Vec<Document>,
    pub reg: RegistryView,
    pub rules: Rules,
    pub config: CheckConfig,
}

impl World {
    pub fn clean() -> World {
        let form = Application::parse(&std::fs::read_to_string(format!("{DIR}/application.json")).unwrap()).unwrap();
        let docs: Vec<Document> =
            serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/documents.json")).unwrap()).unwrap();
        let mut reg = RegistryView::default();
        jsonl("companies").into_iter().for_each(|c| reg.add_company(c));
        jsonl("persons").into_iter().for_each(|p| reg.add_person(p));
        jsonl("vehicles").into_iter().for_each(|v| reg.add_vehicle(v));
        jsonl("road_nodes").into_iter().for_each(|n| reg.add_node(n));
        jsonl("road_segments").into_iter().for_each(|s| reg.add_segment(s));
        jsonl("structures").into_iter().for_each(|s| reg.add_structure(s));
        World { form, docs, reg, rules: Rules::embedded(), config: CheckConfig::default() }
    }

    /// The checks on the world's documents, settled as the pipeline
    /// settles them (a value not of its field's type is unreadable).
    pub fn run(&self) -> Outcome {
        let mut docs = self.docs.clone();
        for d in &mut docs {
            crate::extract::typed::settle(d, &self.rules.fields);
        }
        run(&Input { form: &self.form, documents: &docs, registry: &self.reg, rules: &self.rules, config: &self.config })
    }

    pub fn check(&self, id: &str) -> CheckResult {
        self.run().checks.into_iter().find(|c| c.id == id).unwrap()
    }

    /// The status and English message of `id`, asserting that no other
    /// check changed from the clean world: each test flips exactly what it
    /// means to. (The Chinese messages have their own test.)
    pub fn only(&self, id: &str) -> (Status, String) {
        let clean = World::clean().run();
        let now = self.run();
        for (a, b) in clean.checks.iter().zip(&now.checks) {
            if a.id != id {
                assert_eq!(a.status, b.status, "{} changed too: {}", b.id, b.message);
            }
        }
        let c = now.checks.into_iter().find(|c| c.id == id).unwrap();
        (c.status, c.message_in(crate::lang::Lang::En).to_string())
    }

    pub fn doc(&mut self, kind: DocKind, subject: Option<Subject>) -> &mut Document {
        self.docs
            .iter_mut()
            .find(|d| d.kind == Some(kind) && (subject.is_none() || d.subject == subject))
            .unwrap_or_else(|| panic!("no {kind} page for {subject:?} in the fixture"))
    }

    /// Turns the page of `kind` into an undeclared page that the reader
    /// took for `other`, of which OCR read `lines`; returns its file.
    pub fn read_as_other(&mut self, kind: DocKind, lines: &[&str]) -> String {
        let d = self.doc(kind, None);
        d.kind = Some(DocKind::Other);
        d.declared_kind = None;
        d.fields.clear();
        d.lines = lines.iter().map(|t| line(t)).collect();
        d.file.clone()
    }

    pub fn field_mut(&mut self, kind: DocKind, subject: Option<Subject>, key: &str) -> &mut Field {
        self.doc(kind, subject).fields.get_mut(key).unwrap_or_else(|| panic!("no field {key}"))
    }

    pub fn set(&mut self, kind: DocKind, subject: Option<Subject>, key: &str, value: serde_json::Value) {
        self.field_mut(kind, subject, key).value = value;
    }

    /// The page uploaded as `file`, whatever it was read as.
    pub fn page_mut(&mut self, file: &str) -> &mut Document {
        self.docs.iter_mut().find(|d| d.file == file).unwrap_or_else(|| panic!("no page {file} in the fixture"))
    }

    /// The carrier's registry record.
    pub fn company_mut(&mut self) -> &mut Company {
        self.reg.companies.get_mut(CARRIER).unwrap()
    }

    /// The driver's registry record.
    pub fn person_mut(&mut self) -> &mut Person {
        self.reg.persons.get_mut(DRIVER).unwrap()
    }

    /// The registry record of the vehicle with `plate`.
    pub fn vehicle_mut(&mut self, plate: &str) -> &mut Vehicle {
        self.reg.vehicles.get_mut(plate).unwrap()
    }

    /// The first structure (a bridge) on the route segment `segment`.
    pub fn structure_mut(&mut self, segment: &str) -> &mut Structure {
        &mut self.reg.structures.get_mut(segment).unwrap()[0]
    }

    pub fn drop_field(&mut self, kind: DocKind, subject: Option<Subject>, key: &str) {
        self.doc(kind, subject).fields.remove(key);
    }

    pub fn remove(&mut self, kind: DocKind, subject: Option<Subject>) {
        self.docs.retain(|d| !(d.kind == Some(kind) && (subject.is_none() || d.subject == subject)));
    }
}
