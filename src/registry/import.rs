//! `dajian registry import DIR`: the JSONL files of `spec/registry.md`,
//! upserted by key, all or nothing. Every line is parsed and validated
//! before anything is written; one bad line and nothing of the import is
//! stored.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::records::{Company, Person, RecordError, RoadNode, RoadSegment, Structure, Vehicle};
use crate::db::Db;
use crate::store::registry::{self as store, Row};

/// One table of the registry: its file, key and looked-up columns.
struct Table {
    file: &'static str,
    table: &'static str,
    key: &'static str,
    columns: &'static [&'static str],
}

impl Table {
    fn upsert<'a>(&self, rows: &'a [Row]) -> store::Upsert<'a> {
        store::Upsert { table: self.table, key: self.key, columns: self.columns, rows }
    }
}

const TABLES: [Table; 6] = [
    Table { file: "companies.jsonl", table: "companies", key: "uscc", columns: &["name"] },
    Table { file: "persons.jsonl", table: "persons", key: "id_number", columns: &["name"] },
    Table { file: "vehicles.jsonl", table: "vehicles", key: "plate", columns: &["vin"] },
    Table { file: "road_nodes.jsonl", table: "road_nodes", key: "id", columns: &[] },
    Table { file: "road_segments.jsonl", table: "road_segments", key: "id", columns: &["from_node", "to_node"] },
    Table { file: "structures.jsonl", table: "structures", key: "id", columns: &["segment_id"] },
];

/// A line that cannot be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}: not a directory")]
    NotADirectory(PathBuf),
    #[error("{0}: no registry file found (expected any of companies.jsonl, persons.jsonl, vehicles.jsonl, road_nodes.jsonl, road_segments.jsonl, structures.jsonl)")]
    Empty(PathBuf),
    #[error("{0}: unknown registry file (expected companies, persons, vehicles, road_nodes, road_segments or structures .jsonl)")]
    UnknownFile(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}", lines_message(.0))]
    Lines(Vec<LineError>),
    #[error("storing the import failed, nothing was stored: {0}")]
    Db(#[from] sqlx::Error),
}

/// How many line errors are listed before the rest are only counted.
const MAX_LISTED: usize = 20;

fn lines_message(errors: &[LineError]) -> String {
    let mut s = format!("{} malformed line(s), nothing was imported:", errors.len());
    for e in errors.iter().take(MAX_LISTED) {
        s.push_str(&format!("\n  {e}"));
    }
    if errors.len() > MAX_LISTED {
        s.push_str(&format!("\n  … and {} more", errors.len() - MAX_LISTED));
    }
    s
}

/// What one file contributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCount {
    pub file: String,
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub files: Vec<FileCount>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.files {
            writeln!(f, "{:<22} {:>8} rows  {:>8} new  {:>8} updated", c.file, c.rows, c.inserted, c.updated)?;
        }
        Ok(())
    }
}

/// serde_json reports positions inside the one-line document; the line is
/// ours to add, so drop its own " at line 1 column N".
fn clean_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn parse_lines<T, F>(file: &str, bytes: &[u8], errors: &mut Vec<LineError>, mut row: F) -> Vec<Row>
where
    T: DeserializeOwned + Serialize,
    F: FnMut(&T) -> Result<(String, Vec<Option<String>>), RecordError>,
{
    // Later lines win over earlier ones with the same key.
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let err = |column: usize, message: String| LineError { file: file.to_string(), line: i + 1, column, message };
        let Ok(line) = std::str::from_utf8(raw) else {
            errors.push(err(1, "the line is not valid UTF-8".into()));
            continue;
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let record: T = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(e.column().max(1), clean_message(&e)));
                continue;
            }
        };
        match row(&record) {
            Ok((key, columns)) => {
                let data = serde_json::to_string(&record).expect("records serialise");
                rows.insert(key.clone(), Row { key, columns, data });
            }
            Err(e) => errors.push(err(1, e.to_string())),
        }
    }
    rows.into_values().collect()
}

fn parse_file(t: &Table, bytes: &[u8], errors: &mut Vec<LineError>) -> Vec<Row> {
    let f = t.file;
    match t.table {
        "companies" => parse_lines::<Company, _>(f, bytes, errors, |c| Ok((c.uscc.to_string(), vec![Some(c.name.clone())]))),
        "persons" => parse_lines::<Person, _>(f, bytes, errors, |p| Ok((p.id_number.to_string(), vec![Some(p.name.clone())]))),
        "vehicles" => parse_lines::<Vehicle, _>(f, bytes, errors, |v| {
            let vin = v.vin.as_deref().map(crate::types::normalize::code);
            Ok((v.plate.to_string(), vec![vin]))
        }),
        "road_nodes" => parse_lines::<RoadNode, _>(f, bytes, errors, |n| {
            n.validate()?;
            Ok((n.id.clone(), vec![]))
        }),
        "road_segments" => parse_lines::<RoadSegment, _>(f, bytes, errors, |s| {
            Ok((s.id.clone(), vec![Some(s.from_node.clone()), Some(s.to_node.clone())]))
        }),
        "structures" => parse_lines::<Structure, _>(f, bytes, errors, |s| {
            s.validate()?;
            Ok((s.id.clone(), vec![Some(s.segment_id.clone())]))
        }),
        other => unreachable!("table {other} is listed in TABLES"),
    }
}

/// Parses and validates the bytes of one registry file named `file` (e.g.
/// `vehicles.jsonl`) as an import would, storing nothing: how many records
/// it holds, or why it would be refused. For checking a file before an
/// import, and the fuzz target `registry_jsonl`.
pub fn check_file(file: &str, bytes: &[u8]) -> Result<usize, ImportError> {
    let t = TABLES.iter().find(|t| t.file == file).ok_or_else(|| ImportError::UnknownFile(PathBuf::from(file)))?;
    let mut errors = vec![];
    let rows = parse_file(t, bytes, &mut errors);
    if errors.is_empty() { Ok(rows.len()) } else { Err(ImportError::Lines(errors)) }
}

/// Reads and validates every file of `dir` without touching the database.
fn read_dir(dir: &Path) -> Result<Vec<(&'static Table, Vec<Row>)>, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::NotADirectory(dir.to_path_buf()));
    }
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".jsonl") && !TABLES.iter().any(|t| t.file == name) {
            return Err(ImportError::UnknownFile(e.path()));
        }
    }
    let mut errors = vec![];
    let mut parsed = vec![];
    for t in &TABLES {
        let path = dir.join(t.file);
        if !path.exists() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| ImportError::Io { path: path.clone(), source })?;
        parsed.push((t, parse_file(t, &bytes, &mut errors)));
    }
    if !errors.is_empty() {
        return Err(ImportError::Lines(errors));
    }
    if parsed.is_empty() {
        return Err(ImportError::Empty(dir.to_path_buf()));
    }
    Ok(parsed)
}

/// Imports `dir` into `db`: all or nothing.
pub async fn import_dir(db: &Db, dir: &Path) -> Result<ImportReport, ImportError> {
    let parsed = read_dir(dir)?;
    let tables: Vec<store::Upsert> = parsed.iter().map(|(t, rows)| t.upsert(rows)).collect();
    let report = |inserted: &[usize]| ImportReport {
        files: parsed
            .iter()
            .zip(inserted)
            .map(|((t, rows), &inserted)| FileCount { file: t.file.to_string(), rows: rows.len(), inserted, updated: rows.len() - inserted })
            .collect(),
    };
    let inserted = store::upsert(db, &tables, &dir.display().to_string(), |n| serde_json::to_string(&report(n)).expect("serialises")).await?;
    Ok(report(&inserted))
}
