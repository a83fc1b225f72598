//! One application from files to report: read the form, read the pages
//! (ingest → OCR → extract, pages side by side), load the registry view,
//! run the checks, assemble the report.

mod subjects;

pub use subjects::assign_subjects;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::checks::{self, CheckConfig, Input};
use crate::db::Db;
use crate::document::{DocKind, Document};
use crate::extract::Extractor;
use crate::extract::model::DeviceSpec;
use crate::ingest::{DecodeLimits, Page, PageFile, decode_file};
use crate::ocr::{BatchParams, OcrEngine, OcrParams};
use crate::form::{Application, FormError};
use crate::registry;
use crate::report::{CheckResult, ModelInfo, Report, Status, Timings};
use crate::route;
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

/// Why a page was not read when no readers are loaded (tests of the
/// service that need no models); no check may pass on such a page.
pub const PAGES_NOT_READ: &str = "no OCR and extraction models are loaded in this process";

/// Everything a precheck needs besides its input.
pub struct Precheck {
    pub rules: Rules,
    pub config: CheckConfig,
    pub device: DeviceSpec,
    /// OCR and the extractor; `None` leaves every page unread.
    pub readers: Option<Arc<Readers>>,
}

/// The models that read pages, loaded once and shared by all workers.
pub struct Readers {
    pub ocr: OcrEngine,
    pub extractor: Extractor,
    pub limits: DecodeLimits,
    /// Pages read at once across the process (one per core): bounds memory
    /// however many workers and page threads there are.
    pub slots: crate::par::Slots,
}

/// Why the models could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Device(#[from] crate::extract::model::DeviceError),
    #[error(transparent)]
    Ocr(#[from] crate::ocr::OcrError),
    #[error(transparent)]
    Extractor(#[from] crate::extract::ExtractError),
}

/// Why a file could not be read; each names the file or page.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Decode(#[from] crate::ingest::IngestError),
    #[error(transparent)]
    Ocr(#[from] crate::ocr::OcrError),
    #[error("{page}: {source}")]
    Extract { page: String, source: crate::extract::ExtractError },
}

/// One file as read: its document and the milliseconds each stage took
/// (summed over the file's pages).
#[derive(Debug, Clone)]
pub struct FileReading {
    pub document: Document,
    pub ocr_ms: u64,
    pub extract_ms: u64,
}

/// Line crops per recognition call of one page on a GPU (the batcher then
/// merges the calls of pages read side by side). Not measured (no GPU
/// here); `dajian bench --device cuda` shows it.
const GPU_REC_BATCH: usize = 16;

/// Where and how the models run (`--device`, `--ocr-backend`): the
/// extractor and the candle OCR backend on `device`; rten on the CPU.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Engines {
    pub device: DeviceSpec,
    pub ocr_backend: crate::ocr::OcrBackend,
}

impl From<DeviceSpec> for Engines {
    fn from(device: DeviceSpec) -> Engines {
        Engines { device, ..Default::default() }
    }
}

impl Readers {
    /// The repository's models (or `$DAJIAN_MODELS/{ocr,extractor}`).
    pub fn load_default(engines: Engines) -> Result<Readers, LoadError> {
        Self::load(&crate::ocr::default_models_dir(), &crate::extract::default_models_dir(), engines)
    }

    /// The OCR models in `ocr_dir` and the extractor in `extractor_dir`
    /// (variants side by side in `models/`, see [`crate::model_dir`]).
    pub fn load(ocr_dir: &Path, extractor_dir: &Path, engines: Engines) -> Result<Readers, LoadError> {
        let Engines { device, ocr_backend } = engines;
        let dev = crate::extract::model::device(device)?;
        // On a GPU one call per line crop leaves it idle between calls: a
        // page's crops go through recognition in width-sorted batches, and
        // the calls of the pages read side by side (of every application
        // in the service) are merged further (`ocr/batcher.rs`). On the CPU
        // one crop per call measured fastest (docs/ocr.md).
        let gpu = ocr_backend == crate::ocr::OcrBackend::Candle && device != DeviceSpec::Cpu;
        let params = if gpu {
            OcrParams { backend: ocr_backend, device, rec_batch: GPU_REC_BATCH, batch: Some(BatchParams::default()), ..OcrParams::default() }
        } else {
            OcrParams { backend: ocr_backend, device, ..OcrParams::default() }
        };
        let ocr = OcrEngine::load(ocr_dir, params)?;
        let extractor = Extractor::load(extractor_dir, &dev)?;
        Ok(Readers { ocr, extractor, limits: DecodeLimits::default(), slots: crate::par::Slots::new(0) })
    }

    /// Reads one file: decode, then OCR and extract each of its pages (one
    /// for an image; a PDF or TIFF may hold several pages of one document,
    /// [`merge_pages`]). A file that cannot be read is returned unread with
    /// the reason, naming the file.
    pub fn read(&self, file: &str, bytes: &[u8], kind: Option<DocKind>) -> FileReading {
        let _slot = self.slots.acquire();
        let read = decode_file(bytes, file, &self.limits).map_err(ReadError::from).and_then(|pages| self.read_file_pages(&pages, kind));
        read.unwrap_or_else(|why| FileReading { document: Document::unread(file, kind, None, &why.to_string()), ocr_ms: 0, extract_ms: 0 })
    }

    /// OCR and extraction of the decoded pages of one file, as one document
    /// ([`merge_pages`]).
    pub fn read_file_pages(&self, pages: &[Page], kind: Option<DocKind>) -> Result<FileReading, ReadError> {
        let read = pages.iter().map(|p| self.read_page(p, kind)).collect::<Result<Vec<_>, _>>()?;
        let (ocr_ms, extract_ms) = read.iter().fold((0, 0), |(o, e), r| (o + r.ocr_ms, e + r.extract_ms));
        Ok(FileReading { document: merge_pages(read.into_iter().map(|r| r.document).collect()), ocr_ms, extract_ms })
    }

    /// OCR and extraction of a decoded page.
    /// `kind`: take the page as this kind instead of classifying it.
    pub fn read_page(&self, page: &Page, kind: Option<DocKind>) -> Result<FileReading, ReadError> {
        let t0 = Instant::now();
        let text = self.ocr.read(page)?;
        let t1 = Instant::now();
        let mut ex = self.extractor.extract(&text, kind).map_err(|source| ReadError::Extract { page: page.label(), source })?;
        reread_by_grammar(&self.ocr, page, &text, &mut ex);
        let ms = |d: std::time::Duration| d.as_millis() as u64;
        let document = page_document(page.name(), &text, ex);
        Ok(FileReading { document, ocr_ms: ms(t1 - t0), extract_ms: ms(t1.elapsed()) })
    }

    /// Names of the models, for reports.
    pub fn names(&self) -> (String, String) {
        (format!("PP-OCRv4 zh (models/ocr, {})", self.ocr.params().backend), self.extractor.name().to_string())
    }
}

/// Reads again, by its grammar, every code field (VIN, plate, USCC, ID
/// number, licence classes) and every date, month, mass or length the
/// extractor found but that is not of its grammar (`25O00kg`, `2S50`):
/// the characters of its span are decoded once more with only
/// the classes the grammar allows at each position
/// ([`OcrEngine::read_span_as`]). A reading that passes the grammar
/// replaces the field, with the confidence that reading has (a character
/// the recogniser barely saw stays doubtful); one that does not leaves the
/// field unreadable, as read.
///
/// A trailer's plate ends in 挂 (GA 36), which the recogniser now and then
/// reads as `1` (鲁J45491 for 鲁J4549挂, itself a valid plate): on a page
/// whose vehicle type is a trailer (…挂车), a plate without 挂 is read
/// again as a trailer's, and kept as read if no such reading passes.
///
/// A date's span reaches out over the letters and digits beside it in its
/// box: a seal's ring across a date's first digit made `2h20-03-14` of
/// `2020-03-14`, and the extractor took only the part that looked like a
/// date. A mass's or length's span does the same. Either, read again, must
/// be a repair of what greedy decoding read there ([`is_repair`]), and a
/// mass or length a plausible one (`rules/fields.toml`).
pub fn reread_by_grammar(ocr: &OcrEngine, page: &Page, text: &crate::ocr::PageText, ex: &mut crate::extract::Extraction) {
    use crate::document::FieldType;
    use crate::ocr::grammar::{Grammar, Quantity};
    use crate::types::Code;
    let trailer = ex.fields.get("vehicle_type").is_some_and(|t| t.text().contains("挂车"));
    let kind = ex.kind;
    for (key, f) in ex.fields.iter_mut() {
        let grammar = match (Code::of_field(key), kind.field_type(key)) {
            (Some(Code::Plate), _) if trailer && !f.text().ends_with('挂') => Grammar::Code(Code::TrailerPlate),
            _ if f.is_readable() => continue,
            (Some(code), _) => Grammar::Code(code),
            (None, Some(FieldType::Code)) if key == "permitted_class" => Grammar::LicenceClasses(&crate::extract::typed::embedded_bounds().licence_classes.value),
            (None, Some(FieldType::Date)) => Grammar::Date,
            (None, Some(FieldType::OpenEnd)) => Grammar::OpenEnd,
            (None, Some(FieldType::Month)) => Grammar::Month,
            (None, Some(t @ (FieldType::Mass | FieldType::Length))) => {
                let Some(b) = crate::extract::typed::plausible(key, t, crate::extract::typed::embedded_bounds()) else { continue };
                let unit = if t == FieldType::Mass { Quantity::Mass } else { Quantity::Length };
                Grammar::Quantity { unit, min: b.min, max: b.max }
            }
            _ => continue,
        };
        let mut chars: Vec<&crate::ocr::TextChar> =
            text.lines.iter().flat_map(|l| &l.chars).filter(|c| c.source.is_some() && f.bbox.holds_centre_of(c.bbox)).collect();
        if !grammar.is_code() {
            chars = widen_to_box_neighbours(text, &chars, matches!(grammar, Grammar::Quantity { .. }));
        }
        if let Ok(Some(read)) = ocr.read_span_as(page, text, &chars, grammar)
            && let Some(first) = read.first()
            && (grammar.is_code() || is_repair(&chars, &read))
            && (!matches!(grammar, Grammar::Quantity { .. }) || adds_no_digit(&chars, &read))
            && let Some(value) = grammar.value(&read.iter().map(|c| c.ch).collect::<String>())
        {
            let value = match grammar {
                Grammar::Quantity { .. } => value.parse::<u64>().map_or(serde_json::Value::Null, |n| serde_json::json!(n)),
                _ => serde_json::json!(value),
            };
            let confidence = read.iter().map(|c| c.confidence).fold(1f32, f32::min);
            let bbox = read.iter().fold(first.bbox, |b, c| b.union(c.bbox));
            *f = crate::document::Field::new(value, confidence, bbox);
        }
    }
}

/// How many characters a date, mass or length read again may change, add or (none) drop
/// against greedy decoding's reading of its span: a digit a seal's ring
/// hid or garbled. More would be made up: `2030`, the year alone, read as
/// `2020-03-01`; `25000kg` as `2000-09`.
const DATE_REPAIR_EDITS: usize = 2;

/// Whether `read` repairs `greedy` rather than replacing it: within
/// [`DATE_REPAIR_EDITS`] edits, and not shorter. A shorter reading drops
/// characters the recogniser saw, and the confidence of what it keeps
/// does not show that (`192026-12-10`, two dates run together, read as a
/// sure `1906-12-10`).
fn is_repair(greedy: &[&crate::ocr::TextChar], read: &[crate::ocr::TextChar]) -> bool {
    let g: Vec<char> = greedy.iter().map(|c| c.ch).collect();
    let r: Vec<char> = read.iter().map(|c| c.ch).collect();
    r.len() >= g.len() && crate::ocr::metrics::edit_distance(&g, &r) <= DATE_REPAIR_EDITS
}

/// Whether a mass or length read again has no more digits than greedy
/// decoding saw letters and digits in its number: a digit added multiplies
/// it by ten (`q吨`, a 9-tonne curb mass, was read `90吨`), where a unit
/// added is what the span's last character was (`200` → `200吨`).
fn adds_no_digit(greedy: &[&crate::ocr::TextChar], read: &[crate::ocr::TextChar]) -> bool {
    let seen = greedy.iter().filter(|c| c.ch.is_ascii_alphanumeric()).count();
    let unit_letters = read.iter().filter(|c| c.ch.is_ascii_alphabetic()).count();
    read.iter().filter(|c| c.ch.is_ascii_digit()).count() + unit_letters <= seen
}

/// `chars` (of one box) with the ASCII letters and digits next to them in
/// that box, on either side; with `unit`, and the character after those,
/// where a quantity's unit stands (`40号`, a misread `40吨`).
fn widen_to_box_neighbours<'a>(text: &'a crate::ocr::PageText, chars: &[&'a crate::ocr::TextChar], unit: bool) -> Vec<&'a crate::ocr::TextChar> {
    let Some(region) = chars.first().and_then(|c| c.source).map(|s| s.region) else {
        return chars.to_vec();
    };
    let of_box: Vec<&crate::ocr::TextChar> = text.lines.iter().flat_map(|l| &l.chars).filter(|c| c.source.is_some_and(|s| s.region == region)).collect();
    let at = |c: &crate::ocr::TextChar| of_box.iter().position(|b| std::ptr::eq(*b, c));
    let (Some(mut lo), Some(mut hi)) = (chars.iter().filter_map(|c| at(c)).min(), chars.iter().filter_map(|c| at(c)).max()) else {
        return chars.to_vec();
    };
    while lo > 0 && of_box[lo - 1].ch.is_ascii_alphanumeric() {
        lo -= 1;
    }
    while hi + 1 < of_box.len() && of_box[hi + 1].ch.is_ascii_alphanumeric() {
        hi += 1;
    }
    if unit && hi + 1 < of_box.len() && !of_box[hi + 1].ch.is_whitespace() {
        hi += 1;
    }
    of_box[lo..=hi].to_vec()
}

/// The pages of one file as one document. The document is of the first
/// page's kind that is not `other` (a licence's back, a cover sheet, are
/// `other`). Each field is taken from the first page that has it, and says
/// which page that was; pages of another kind give no fields, since their
/// fields would be another document's (each document goes in a file of its
/// own: docs/ingest.md). The size given is the first page's.
pub fn merge_pages(mut pages: Vec<Document>) -> Document {
    if pages.len() == 1 {
        return pages.swap_remove(0);
    }
    let lead = pages.iter().position(|d| d.kind.is_some_and(|k| k != DocKind::Other)).unwrap_or(0);
    let kind = pages[lead].kind;
    let mut doc = pages[0].clone();
    doc.kind = kind;
    doc.kind_confidence = pages[lead].kind_confidence;
    doc.fields.clear();
    doc.lines.clear();
    let mut texts = vec![];
    for (i, page) in pages.into_iter().enumerate() {
        let number = i as u32 + 1;
        if page.kind == kind {
            for (key, mut f) in page.fields {
                f.page = Some(number);
                doc.fields.entry(key).or_insert(f);
            }
        }
        texts.extend(page.text);
        doc.lines.extend(page.lines);
    }
    doc.text = (kind == Some(DocKind::Other)).then(|| texts.join("\n"));
    doc
}

/// The report's entry for a page read as `text` and extracted as `ex`.
pub fn page_document(file: &str, text: &crate::ocr::PageText, ex: crate::extract::Extraction) -> Document {
    Document {
        file: file.to_string(),
        kind: Some(ex.kind),
        kind_confidence: Some(ex.kind_confidence),
        declared_kind: None,
        subject: None,
        width: Some(text.width),
        height: Some(text.height),
        text: (ex.kind == DocKind::Other).then(|| text.text()),
        fields: ex.fields,
        unread: None,
        archived: None,
        lines: text.lines.clone(),
    }
}

/// The pages read for one application and the time the stages took,
/// summed over pages.
#[derive(Default)]
pub struct Reading {
    pub documents: Vec<Document>,
    pub ocr_ms: u64,
    pub extract_ms: u64,
}

impl From<Vec<Document>> for Reading {
    fn from(documents: Vec<Document>) -> Self {
        Reading { documents, ..Default::default() }
    }
}

/// Loads the page files of `app` from `dir`, except those `skip` names.
pub fn load_pages(app: &Application, dir: &Path, skip: &[Document]) -> Result<Vec<PageFile>, PipelineError> {
    let mut out = vec![];
    for d in app.documents.iter().filter(|d| !skip.iter().any(|s| s.file == d.file)) {
        let path = dir.join(&d.file);
        let bytes = std::fs::read(&path).map_err(|e| PipelineError::Input(format!("{}: {e}", path.display())))?;
        out.push(PageFile::new(d.file.clone(), bytes));
    }
    Ok(out)
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

/// Reads `pages` several at a time; the declared kind (if any) is not
/// imposed, so a mismatch shows.
fn read_pages(readers: &Readers, app: &Application, pages: &[PageFile]) -> Reading {
    // Largest files first, so a big page is not the one left running alone
    // at the end while the other cores idle; results go back in form order.
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(pages[i].bytes.len()));
    let read = crate::par::map(&order, 0, |&i| {
        let p = &pages[i];
        let mut r = readers.read(&p.file, &p.bytes, None);
        if r.document.unread.is_some() {
            r.document.declared_kind = app.documents.iter().find(|d| d.file == p.file).and_then(|d| d.kind);
        }
        r
    });
    let mut read: Vec<_> = order.into_iter().zip(read).collect();
    read.sort_by_key(|(i, _)| *i);
    let mut reading = Reading::default();
    for (_, r) in read {
        reading.ocr_ms += r.ocr_ms;
        reading.extract_ms += r.extract_ms;
        reading.documents.push(r.document);
    }
    reading
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
        for d in &mut docs {
            crate::extract::typed::settle(d, &self.rules.fields);
        }
        subjects::assign_subjects(app, &mut docs);
        docs
    }

    /// Reads the pages not in `given` and runs the checks: the whole pipeline.
    pub async fn run_files(&self, db: &Db, app: &Application, given: Vec<Document>, pages: Vec<PageFile>) -> Result<Report, PipelineError> {
        let start = Instant::now();
        let mut reading = match (&self.readers, pages.is_empty()) {
            (Some(r), false) => {
                // OCR is seconds of CPU: off the async runtime.
                let (r, app) = (r.clone(), app.clone());
                tokio::task::spawn_blocking(move || read_pages(&r, &app, &pages))
                    .await
                    .map_err(|e| PipelineError::Input(format!("reading the pages failed: {e}")))?
            }
            _ => Reading::default(),
        };
        reading.documents.extend(given);
        let mut report = self.run_reading(db, app, reading).await?;
        report.timings_ms.total = start.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Runs the checks for `app` on documents already read (the rest unread).
    pub async fn run(&self, db: &Db, app: &Application, read: Vec<Document>) -> Result<Report, PipelineError> {
        self.run_reading(db, app, read.into()).await
    }

    /// When R3 flags the declared route, its evidence gets a route the load
    /// can take, or what cuts the network ([`route::suggest`]), and its
    /// message a sentence saying so. The whole network is read for it, so
    /// only then; R3's status stays as it was.
    async fn suggest_route(&self, db: &Db, app: &Application, checks: &mut [CheckResult]) -> Result<(), PipelineError> {
        let Some(r3) = checks.iter_mut().find(|c| c.id == crate::checks::CheckId::R3.as_str() && matches!(c.status, Status::Warn | Status::Block)) else {
            return Ok(());
        };
        let net = route::load_network(db, &self.rules.route).await?;
        let r = &app.route;
        let s = route::suggest(&net, &r.origin, &r.destination, &route::Load::of(app), &r.segments);
        r3.message = format!("{}；{}", r3.message, s.summary(crate::lang::Lang::Zh));
        if let Some(en) = &mut r3.message_en {
            *en = format!("{en}; {}", s.summary(crate::lang::Lang::En));
        }
        r3.evidence.push(route::evidence(&s));
        Ok(())
    }

    /// Runs the checks for `app` against the registry in `db`.
    pub async fn run_reading(&self, db: &Db, app: &Application, reading: Reading) -> Result<Report, PipelineError> {
        let start = Instant::now();
        let mut documents = self.documents(app, reading.documents);
        // Pages left out because an earlier application verified them.
        let archived = crate::archive::reusable(db, app, &documents).await?;
        documents.extend(archived);
        let view = registry::view_for(db, app).await?;
        let t_checks = Instant::now();
        let mut outcome = checks::run(&Input { form: app, documents: &documents, registry: &view, rules: &self.rules, config: &self.config });
        self.suggest_route(db, app, &mut outcome.checks).await?;
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
            model: match &self.readers {
                Some(r) => {
                    let (ocr, extractor) = r.names();
                    ModelInfo { ocr, extractor, device: self.device.to_string() }
                }
                None => ModelInfo { ocr: "none".into(), extractor: "none".into(), device: self.device.to_string() },
            },
            timings_ms: Timings { ocr: reading.ocr_ms, extract: reading.extract_ms, checks: checks_ms, total: start.elapsed().as_millis() as u64 },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{adds_no_digit, is_repair};
    use crate::ocr::TextChar;

    fn chars(s: &str) -> Vec<TextChar> {
        s.chars().map(|ch| TextChar { ch, confidence: 0.9, bbox: crate::BBox::default(), source: None, seen: None }).collect()
    }

    fn repairs(greedy: &str, read: &str) -> bool {
        let g = chars(greedy);
        is_repair(&g.iter().collect::<Vec<_>>(), &chars(read))
    }

    fn mends_a_quantity(greedy: &str, read: &str) -> bool {
        let g = chars(greedy);
        repairs(greedy, read) && adds_no_digit(&g.iter().collect::<Vec<_>>(), &chars(read))
    }

    #[test]
    fn a_date_read_again_may_mend_a_digit_or_two_but_not_drop_what_was_seen_or_make_a_date_up() {
        assert!(repairs("2h20-03-14", "2020-03-14"));
        assert!(repairs("2623年02月04日", "2023年02月04日"));
        assert!(repairs("225年6月12日", "2025年6月12日"));
        // Two dates run together: dropping 2 and 2 makes a sure 1906.
        assert!(!repairs("192026-12-10", "1906-12-10"));
        // A year alone, or a mass, is no date to mend.
        assert!(!repairs("2030", "2020-03-01"));
        assert!(!repairs("25000kg", "2000-09"));
    }

    #[test]
    fn a_mass_read_again_may_mend_its_characters_and_add_a_unit_but_not_a_digit() {
        assert!(mends_a_quantity("q吨", "9吨"));
        assert!(mends_a_quantity("40号", "40吨"));
        assert!(mends_a_quantity("200", "200吨"));
        assert!(mends_a_quantity("25O00kg", "25000kg"));
        assert!(!mends_a_quantity("q吨", "90吨"));
        assert!(!mends_a_quantity("2500kg", "25000kg"));
    }
}
