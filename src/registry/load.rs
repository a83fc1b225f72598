//! What the checks read from the stored registry.

use crate::db::Db;
use crate::form::Application;
use crate::store::registry::fetch;

use super::RegistryView;

/// Loads every registry row the checks of `app` may look at.
pub async fn view_for(db: &Db, app: &Application) -> Result<RegistryView, sqlx::Error> {
    let mut view = RegistryView::default();
    for c in fetch(db, "companies", "uscc", std::slice::from_ref(&app.carrier.uscc)).await? {
        view.add_company(c);
    }
    let mut people = vec![app.agent.id_number.clone()];
    people.extend(app.drivers.iter().map(|d| d.id_number.clone()));
    for p in fetch(db, "persons", "id_number", &people).await? {
        view.add_person(p);
    }
    let plates: Vec<String> = app.vehicles().iter().filter_map(|(_, v)| v.plate.clone()).collect();
    for v in fetch(db, "vehicles", "plate", &plates).await? {
        view.add_vehicle(v);
    }
    let r = &app.route;
    for s in fetch(db, "road_segments", "id", &r.segments).await? {
        view.add_segment(s);
    }
    let mut nodes = vec![r.origin.clone(), r.destination.clone()];
    for s in view.segments.values() {
        nodes.push(s.from_node.clone());
        nodes.push(s.to_node.clone());
    }
    nodes.sort();
    nodes.dedup();
    for n in fetch(db, "road_nodes", "id", &nodes).await? {
        view.add_node(n);
    }
    let segs: Vec<String> = view.segments.keys().cloned().collect();
    for s in fetch(db, "structures", "segment_id", &segs).await? {
        view.add_structure(s);
    }
    Ok(view)
}
