//! The registry's tables (`companies`, `persons`, `vehicles`, the road
//! network, `registry_imports`): an import's upserts, and reading rows
//! back by key. Parsing the files and assembling what the checks read is
//! `crate::registry`.

use serde::de::DeserializeOwned;

use std::collections::HashSet;

use crate::db::Db;

/// The rows of `table` whose `column` is one of `keys`, decoded.
pub async fn fetch<T: DeserializeOwned>(db: &Db, table: &str, column: &str, keys: &[String]) -> Result<Vec<T>, sqlx::Error> {
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
pub async fn fetch_all<T: DeserializeOwned>(db: &Db, table: &str) -> Result<Vec<T>, sqlx::Error> {
    let rows = sqlx::query_scalar::<_, String>(&format!("SELECT data FROM {table}")).fetch_all(&db.pool).await?;
    decode(table, rows)
}

fn decode<T: DeserializeOwned>(table: &str, rows: Vec<String>) -> Result<Vec<T>, sqlx::Error> {
    rows.iter()
        .map(|data| serde_json::from_str(data).map_err(|e| sqlx::Error::Decode(format!("{table}: stored record: {e}").into())))
        .collect()
}

/// A row ready to store: key, the extra columns, the record as JSON.
pub struct Row {
    pub key: String,
    pub columns: Vec<Option<String>>,
    pub data: String,
}

/// One table's rows to upsert by `key`, with the looked-up `columns`.
pub struct Upsert<'a> {
    pub table: &'static str,
    pub key: &'static str,
    pub columns: &'static [&'static str],
    pub rows: &'a [Row],
}

/// Rows per statement: few round trips, well under SQLite's and
/// PostgreSQL's limits on bound parameters.
const BATCH: usize = 200;

/// Upserts every table's rows and records the import (`source`, and the
/// counts `counts` makes of the rows inserted per table) in one
/// transaction: all or nothing. Returns the rows inserted (not updated)
/// per table.
pub async fn upsert(db: &Db, tables: &[Upsert<'_>], source: &str, counts: impl FnOnce(&[usize]) -> String) -> Result<Vec<usize>, sqlx::Error> {
    let now = chrono::Utc::now().to_rfc3339();
    let mut tx = db.pool.begin().await?;
    let mut inserted_per_table = vec![];
    for t in tables {
        let mut inserted = 0;
        for chunk in t.rows.chunks(BATCH) {
            // Which keys exist already, to report new versus updated rows.
            let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("SELECT {} FROM {} WHERE {} IN ({})", t.key, t.table, t.key, ph.join(","));
            let mut q = sqlx::query_scalar::<_, String>(&sql);
            for r in chunk {
                q = q.bind(r.key.clone());
            }
            let existing: HashSet<String> = q.fetch_all(&mut *tx).await?.into_iter().collect();
            inserted += chunk.iter().filter(|r| !existing.contains(&r.key)).count();

            let mut cols = vec![t.key];
            cols.extend_from_slice(t.columns);
            cols.extend_from_slice(&["data", "updated_at"]);
            let width = cols.len();
            let values: Vec<String> = (0..chunk.len())
                .map(|r| format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(",")))
                .collect();
            let updates: Vec<String> = cols[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}",
                t.table,
                cols.join(","),
                values.join(","),
                t.key,
                updates.join(",")
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q.bind(r.key.clone());
                for c in &r.columns {
                    q = q.bind(c.clone());
                }
                q = q.bind(r.data.clone()).bind(now.clone());
            }
            q.execute(&mut *tx).await?;
        }
        inserted_per_table.push(inserted);
    }
    sqlx::query("INSERT INTO registry_imports (imported_at, source, counts) VALUES ($1, $2, $3)")
        .bind(now)
        .bind(source.to_string())
        .bind(counts(&inserted_per_table))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(inserted_per_table)
}
