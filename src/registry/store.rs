//! Reading the registry back: the [`RegistryView`] one application needs.

use serde::de::DeserializeOwned;

use super::view::RegistryView;
use crate::db::Db;
use crate::form::Application;
use crate::route::Network;
use crate::rules::RouteRules;

async fn fetch<T: DeserializeOwned>(db: &Db, table: &str, column: &str, keys: &[String]) -> Result<Vec<T>, sqlx::Error> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let ph: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT data FROM {table} WHERE {column} IN ({})", ph.join(","));
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for k in keys {
        q = q.bind(k.clone());
    }
    decode(table, q.fetch_all(&db.pool).await?)
}

/// Every row of `table`.
async fn fetch_all<T: DeserializeOwned>(db: &Db, table: &str) -> Result<Vec<T>, sqlx::Error> {
    let rows = sqlx::query_scalar::<_, String>(&format!("SELECT data FROM {table}")).fetch_all(&db.pool).await?;
    decode(table, rows)
}

fn decode<T: DeserializeOwned>(table: &str, rows: Vec<String>) -> Result<Vec<T>, sqlx::Error> {
    rows.iter()
        .map(|data| serde_json::from_str(data).map_err(|e| sqlx::Error::Decode(format!("{table}: stored record: {e}").into())))
        .collect()
}

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

/// The whole road network with its structures, for route suggestions:
/// read when a suggestion is asked for, so it is never stale after an import.
pub async fn network(db: &Db, rules: &RouteRules) -> Result<Network, sqlx::Error> {
    let segments = fetch_all(db, "road_segments").await?;
    let structures = fetch_all(db, "structures").await?;
    Ok(Network::build(segments, structures, rules))
}
