//! One application from files to report: read the form, read the pages,
//! load the registry view, run the checks, assemble the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::checks::{self, CheckConfig, Input};
use crate::db::Db;
use crate::document::{self, Document};
use crate::form::{Application, FormError};
use crate::registry;
use crate::report::{ModelInfo, Report, Timings};
use crate::rules::Rules;

/// Why an application could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The caller's input is unusable (exit code 2 / HTTP 4xx).
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Form(#[from] FormError),
    #[error("reading the registry: {0}")]
    Db(#[from] sqlx::Error),
}

/// Why pages are not read in this build. Reading pages arrives with the
/// OCR and extraction stages; until then no check may pass on a page.
pub const PAGES_NOT_READ: &str = "this build of dajian cannot read pages yet (OCR and extraction are not built in)";

/// Everything a precheck needs besides its input.
pub struct Precheck {
    pub rules: Rules,
    pub config: CheckConfig,
    pub device: String,
}

/// Reads and parses `application.json`; returns the form and its folder.
pub fn read_application(path: &Path) -> Result<(Application, PathBuf), PipelineError> {
    let text = std::fs::read_to_string(path).map_err(|e| PipelineError::Input(format!("{}: {e}", path.display())))?;
    let app = Application::parse(&text)
        .map_err(|e| PipelineError::Input(format!("{}: {}", path.display(), e.to_string().trim_start_matches("application.json: "))))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((app, dir))
}

/// Checks that every page that will be read exists beside the form: all of
/// them, except those whose contents `fields` already gives.
pub fn check_pages_exist(path: &Path, app: &Application, dir: &Path, fields: &[Document]) -> Result<(), PipelineError> {
    for (i, d) in app.documents.iter().enumerate() {
        let p = dir.join(&d.file);
        if !p.is_file() && !fields.iter().any(|f| f.file == d.file) {
            return Err(PipelineError::Input(format!(
                "{}: documents[{i}].file: {} does not exist",
                path.display(),
                p.display()
            )));
        }
    }
    Ok(())
}

/// Reads documents already extracted elsewhere (`--fields FILE`): a JSON
/// array of report `documents[]` entries. Each must name a file of the form.
pub fn read_fields(path: &Path, app: &Application) -> Result<Vec<Document>, PipelineError> {
    let text = std::fs::read_to_string(path).map_err(|e| PipelineError::Input(format!("{}: {e}", path.display())))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let docs: Vec<Document> = serde_path_to_error::deserialize(de)
        .map_err(|e| PipelineError::Input(format!("{}: {} (at {})", path.display(), e.inner(), e.path())))?;
    for d in &docs {
        if !app.documents.iter().any(|r| r.file == d.file) {
            return Err(PipelineError::Input(format!("{}: {} is not a document of the form", path.display(), d.file)));
        }
    }
    Ok(docs)
}

impl Precheck {
    /// The documents as the checks will see them: read ones from `fields`
    /// where given, every other page marked unread with the reason.
    pub fn documents(&self, app: &Application, mut read: Vec<Document>) -> Vec<Document> {
        let by_file: BTreeMap<String, usize> = read.iter().enumerate().map(|(i, d)| (d.file.clone(), i)).collect();
        let mut docs = vec![];
        for r in &app.documents {
            match by_file.get(&r.file) {
                Some(&i) => {
                    let mut d = std::mem::replace(&mut read[i], Document::unread("", None, None, ""));
                    if d.subject.is_none() {
                        d.subject = r.subject;
                    }
                    if let (Some(declared), Some(kind)) = (r.kind, d.kind)
                        && declared != kind
                    {
                        d.declared_kind = Some(declared);
                    }
                    docs.push(d);
                }
                None => docs.push(Document::unread(&r.file, r.kind, r.subject, PAGES_NOT_READ)),
            }
        }
        document::assign_subjects(app, &mut docs);
        docs
    }

    /// Runs the checks for `app` against the registry in `db`.
    pub async fn run(&self, db: &Db, app: &Application, read: Vec<Document>) -> Result<Report, PipelineError> {
        let start = Instant::now();
        let documents = self.documents(app, read);
        let view = registry::view_for(db, app).await?;
        let t_checks = Instant::now();
        let outcome = checks::run(&Input { form: app, documents: &documents, registry: &view, rules: &self.rules, config: &self.config });
        let checks_ms = t_checks.elapsed().as_millis() as u64;
        Ok(Report {
            id: ulid::Ulid::new().to_string(),
            application_no: app.application_no.clone(),
            verdict: outcome.verdict,
            permit_class: outcome.permit_class,
            authority: outcome.authority,
            approvals: outcome.approvals,
            checks: outcome.checks,
            documents,
            model: ModelInfo { ocr: "none".into(), extractor: "none".into(), device: self.device.clone() },
            timings_ms: Timings { ocr: 0, extract: 0, checks: checks_ms, total: start.elapsed().as_millis() as u64 },
        })
    }
}
