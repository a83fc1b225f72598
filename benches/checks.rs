//! The 21 checks on one application (the clean fixture), pure CPU: the
//! registry view is loaded once, as the service does before checking.
//! Run: `cargo bench --bench checks`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dajian::checks::{self, CheckConfig, Input};
use dajian::document::Document;
use dajian::form::Application;
use dajian::registry::RegistryView;
use dajian::rules::Rules;

fn fixture() -> (Application, Vec<Document>, RegistryView) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
    let app = Application::parse(&std::fs::read_to_string(dir.join("application.json")).unwrap()).unwrap();
    let docs: Vec<Document> = serde_json::from_str(&std::fs::read_to_string(dir.join("documents.json")).unwrap()).unwrap();
    let mut reg = RegistryView::default();
    let lines = |name: &str| std::fs::read_to_string(dir.join("registry").join(name)).unwrap();
    lines("companies.jsonl").lines().for_each(|l| reg.add_company(serde_json::from_str(l).unwrap()));
    lines("persons.jsonl").lines().for_each(|l| reg.add_person(serde_json::from_str(l).unwrap()));
    lines("vehicles.jsonl").lines().for_each(|l| reg.add_vehicle(serde_json::from_str(l).unwrap()));
    lines("road_nodes.jsonl").lines().for_each(|l| reg.add_node(serde_json::from_str(l).unwrap()));
    lines("road_segments.jsonl").lines().for_each(|l| reg.add_segment(serde_json::from_str(l).unwrap()));
    lines("structures.jsonl").lines().for_each(|l| reg.add_structure(serde_json::from_str(l).unwrap()));
    (app, docs, reg)
}

fn bench(c: &mut Criterion) {
    let (form, documents, registry) = fixture();
    let rules = Rules::embedded();
    let config = CheckConfig::default();
    let input = Input { form: &form, documents: &documents, registry: &registry, rules: &rules, config: &config };
    assert_eq!(checks::run(&input).checks.len(), 21);
    c.bench_function("21 checks on one application", |b| b.iter(|| checks::run(std::hint::black_box(&input))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
