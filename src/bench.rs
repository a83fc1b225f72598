//! `dajian bench --dataset DIR`: accuracy and speed of every stage on a
//! generated dataset with ground truth (`datasets/README.md`).
//!
//! Per page: decode, OCR and extraction are timed apart and compared with
//! the truth (OCR character error rate against the printed lines, page
//! kind, every field's normalised value). Per application: the checks run
//! on what was read, against the dataset's registry imported into a
//! scratch SQLite file, and each of the 21 statuses is compared with the
//! expected one. Pages are read one after another so per-page times are
//! not disturbed by each other.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::truth::{AppTruth, PageTruth};
use crate::extract::Extraction;
use crate::ocr::PageText;
use crate::report::Report;
use crate::ocr::OcrBackend;
use crate::truth::Role;
use crate::db::Db;
use crate::form::Application;
use crate::ingest::decode_page;
use crate::pipeline::{Precheck, Readers, Reading};
use crate::report::Status;

#[derive(Debug, Clone)]
pub struct BenchParams {
    pub dataset: PathBuf,
    /// Only the first N applications.
    pub apps: Option<usize>,
    pub device: crate::extract::model::DeviceSpec,
    /// OCR backends (`--ocr-backend rten,candle`): the first runs the main
    /// pair; each other one is an OCR variant on the same pages.
    pub ocr_backends: Vec<OcrBackend>,
    /// After the one-by-one pass, run the applications again this many at a
    /// time, as the service's workers do, for throughput (0: skip).
    pub parallel: usize,
    /// Model folders ([`crate::model_dir`]): the first of each is the main
    /// pair, run through everything; the others are variants measured on the
    /// same pages (an OCR variant with the first extractor, an extractor
    /// variant on the first OCR's text).
    pub ocr_dirs: Vec<PathBuf>,
    pub extractor_dirs: Vec<PathBuf>,
}

/// Hits out of a total.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Rate {
    pub hits: usize,
    pub total: usize,
}

impl Rate {
    fn add(&mut self, hit: bool) {
        self.hits += hit as usize;
        self.total += 1;
    }
    pub fn value(&self) -> f64 {
        if self.total == 0 { f64::NAN } else { self.hits as f64 / self.total as f64 }
    }
}

/// Milliseconds: p50, p95, mean, count.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timing {
    pub p50: f64,
    pub p95: f64,
    pub mean: f64,
    pub n: usize,
}

fn timing(mut v: Vec<f64>) -> Timing {
    if v.is_empty() {
        return Timing::default();
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Timing { p50: at(0.5), p95: at(0.95), mean: v.iter().sum::<f64>() / v.len() as f64, n: v.len() }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BenchReport {
    pub dataset: String,
    pub machine: String,
    pub threads: usize,
    pub features: Vec<String>,
    pub models: BTreeMap<String, String>,
    /// The OCR and extractor folders the models came from.
    pub model_dirs: Vec<String>,
    pub model_load_ms: f64,
    pub applications: usize,
    pub pages: usize,
    /// OCR character error rate over the printed text lines (seal text
    /// excluded), each line matched where OCR put it
    /// ([`line_errors`](crate::ocr::metrics::line_errors)), on clean and on
    /// degraded pages.
    pub ocr_cer_clean: f64,
    pub ocr_cer_degraded: f64,
    /// Share of printed field values found verbatim (spaces ignored) in the OCR text.
    pub field_verbatim_in_ocr: Rate,
    /// Pages the OCR turned upright (the generator's right-angle rotation
    /// undone), and each page it did not: `app/file: turned X°, needed Y°`.
    pub orientation: Rate,
    pub orientation_errors: Vec<String>,
    pub kind_accuracy: Rate,
    /// Page kind right, by the page's true kind (`other` among them).
    pub kind_accuracy_by_kind: BTreeMap<String, Rate>,
    pub field_exact_clean: Rate,
    pub field_exact_degraded: Rate,
    pub field_exact_by_kind: BTreeMap<String, Rate>,
    /// By layout family (`kind/family` of the page's truth: `vehicle_licence/stacked`,
    /// `road_transport_certificate/paper`, …), clean and degraded pages together.
    #[serde(default)]
    pub field_exact_by_layout: BTreeMap<String, Rate>,
    pub field_exact_by_field: BTreeMap<String, Rate>,
    /// Injected defects whose check came out as the truth says.
    pub defects_caught: Rate,
    pub defects_missed: Vec<String>,
    /// Checks expected to pass that did not (of all expected passes).
    pub false_flags: Rate,
    /// Checks expected to pass that blocked (of all expected passes): a
    /// misread must never block.
    pub false_blocks: Rate,
    /// Clean applications (no defect) whose verdict is block.
    pub clean_blocked: Rate,
    pub false_flag_checks: BTreeMap<String, usize>,
    /// Each false flag: application, check, status and the check's message.
    pub false_flag_list: Vec<String>,
    pub check_status_match: Rate,
    pub verdict_match: Rate,
    pub decode_ms: Timing,
    pub ocr_ms: Timing,
    pub extract_ms: Timing,
    pub page_ms: Timing,
    /// Whole application, pages read one after another, checks included.
    pub application_ms: Timing,
    pub checks_ms: Timing,
    /// Applications in flight at once in the throughput pass (0: not run).
    pub parallel: usize,
    /// Applications finished per minute in that pass, and each one's time
    /// from start to report while sharing the machine.
    pub throughput_apps_per_min: f64,
    /// Files (page images, PDFs) read per second in that pass, the whole
    /// pipeline included: on a GPU, what the batcher sustains.
    pub throughput_files_per_s: f64,
    pub parallel_application_ms: Timing,
    pub peak_rss_mb: f64,
    /// Fields read wrong, for the curious: `app/file field: got ≠ want`.
    pub field_errors: Vec<String>,
    /// Further model variants measured on the same pages in the same run
    /// (`--ocr a,b`, `--extractor a,b`).
    pub variants: Vec<VariantReport>,
    /// The same measures on the dataset's held-out part (`DATASET/unseen`:
    /// names, places and layout families no training input held), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unseen: Option<Box<BenchReport>>,
}

/// Where a dataset keeps its held-out part (`dajian dataset generate
/// --held-out-pools --held-out-families`), measured and reported apart.
pub const UNSEEN: &str = "unseen";

fn sha256_short(path: &Path) -> String {
    use sha2::Digest;
    match std::fs::read(path) {
        Ok(b) => sha2::Sha256::digest(&b).iter().take(8).map(|x| format!("{x:02x}")).collect(),
        Err(e) => format!("unreadable: {e}"),
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpu}, {} cores, {} {}", crate::par::cores(), std::env::consts::OS, std::env::consts::ARCH)
}

/// Peak resident memory of this process (Linux), in MB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn apps_of(dataset: &Path, limit: Option<usize>) -> Result<Vec<PathBuf>> {
    let dir = dataset.join("apps");
    let mut apps: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("{}: not a dataset (no apps/ folder)", dataset.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("truth.json").is_file())
        .collect();
    apps.sort();
    if let Some(n) = limit {
        apps.truncate(n);
    }
    if apps.is_empty() {
        anyhow::bail!("{}: no application with a truth.json", dir.display());
    }
    Ok(apps)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What is counted against the truth, for the main models and for each
/// variant alike.
#[derive(Default)]
struct Tally {
    /// (character errors, reference characters)
    cer_clean: (usize, usize),
    cer_degraded: (usize, usize),
    field_verbatim_in_ocr: Rate,
    orientation: Rate,
    orientation_errors: Vec<String>,
    kind_accuracy: Rate,
    kind_accuracy_by_kind: BTreeMap<String, Rate>,
    field_exact_clean: Rate,
    field_exact_degraded: Rate,
    field_exact_by_kind: BTreeMap<String, Rate>,
    field_exact_by_layout: BTreeMap<String, Rate>,
    field_exact_by_field: BTreeMap<String, Rate>,
    field_errors: Vec<String>,
    defects_caught: Rate,
    defects_missed: Vec<String>,
    false_flags: Rate,
    false_blocks: Rate,
    clean_blocked: Rate,
    false_flag_checks: BTreeMap<String, usize>,
    false_flag_list: Vec<String>,
    check_status_match: Rate,
    verdict_match: Rate,
    ocr_ms: Vec<f64>,
    extract_ms: Vec<f64>,
}

impl Tally {
    /// One page as read (its OCR text and extraction) against its truth.
    fn page(&mut self, app: &str, pt: &PageTruth, text: &PageText, ex: &Extraction) {
        let lines: Vec<&str> = pt.lines.iter().filter(|l| l.role == Role::Text).map(|l| l.text.as_str()).collect();
        let (errors, chars) = crate::ocr::metrics::line_errors(&lines, &text.text());
        let degraded = pt.degradation.is_some();
        let acc = if degraded { &mut self.cer_degraded } else { &mut self.cer_clean };
        acc.0 += errors;
        acc.1 += chars;
        let needed = pt.degradation.as_ref().map_or(0, |d| (360 - d.rotation_quarter % 360) % 360);
        self.orientation.add(text.rotation_applied == needed);
        if text.rotation_applied != needed {
            self.orientation_errors.push(format!("{app}/{}: turned {}°, needed {needed}°", pt.file, text.rotation_applied));
        }
        self.kind_accuracy.add(ex.kind == pt.kind);
        self.kind_accuracy_by_kind.entry(pt.kind.key().to_string()).or_default().add(ex.kind == pt.kind);
        let ocr_flat = squeeze(&text.text());
        for (key, ft) in &pt.fields {
            if key != "sections" {
                self.field_verbatim_in_ocr.add(ocr_flat.contains(&squeeze(&ft.printed)));
            }
            let got = ex.fields.get(key).map(|f| &f.value);
            let hit = got == Some(&ft.value);
            if degraded { &mut self.field_exact_degraded } else { &mut self.field_exact_clean }.add(hit);
            self.field_exact_by_kind.entry(pt.kind.key().to_string()).or_default().add(hit);
            self.field_exact_by_layout.entry(pt.layout.clone()).or_default().add(hit);
            self.field_exact_by_field.entry(format!("{}.{key}", pt.kind.key())).or_default().add(hit);
            if !hit {
                let got = got.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
                self.field_errors.push(format!("{app}/{} {key}: {got} ≠ {}", pt.file, ft.value));
            }
        }
    }

    /// One application's report against the expected statuses.
    fn application(&mut self, truth: &AppTruth, report: &Report) {
        self.verdict_match.add(report.verdict == truth.expected.verdict);
        let got: BTreeMap<&str, Status> = report.checks.iter().map(|c| (c.id.as_str(), c.status)).collect();
        let message = |id: &str| report.checks.iter().find(|c| c.id == id).map(|c| c.message_en.clone().unwrap_or_else(|| c.message.clone()));
        for (id, want) in &truth.expected.checks {
            let have = got.get(id.as_str()).copied();
            self.check_status_match.add(have == Some(*want));
            let is_defect = truth.defect.as_ref().is_some_and(|d| &d.check == id);
            if *want == Status::Pass && !is_defect {
                let flagged = have != Some(Status::Pass);
                self.false_flags.add(flagged);
                self.false_blocks.add(have == Some(Status::Block));
                if flagged {
                    *self.false_flag_checks.entry(id.clone()).or_default() += 1;
                    let status = have.map_or("missing", Status::key);
                    self.false_flag_list.push(format!("{} {id}: {status} — {}", truth.application, message(id).unwrap_or_default()));
                }
            }
        }
        if truth.defect.is_none() {
            self.clean_blocked.add(report.verdict == crate::report::Verdict::Block);
        }
        if let Some(d) = &truth.defect {
            let caught = got.get(d.check.as_str()) == Some(&d.status);
            self.defects_caught.add(caught);
            if !caught {
                self.defects_missed.push(format!("{} {} ({}): got {:?}", truth.application, d.check, d.id, got.get(d.check.as_str())));
            }
        }
    }

    fn cer(acc: (usize, usize)) -> f64 {
        acc.0 as f64 / acc.1.max(1) as f64
    }
}

/// A model variant measured in the same run as the main models, on the same
/// pages: an OCR variant with the main extractor, or an extractor variant
/// on the main OCR's text (which is then not read again).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantReport {
    pub ocr: String,
    pub extractor: String,
    pub models: BTreeMap<String, String>,
    pub ocr_cer_clean: f64,
    pub ocr_cer_degraded: f64,
    pub kind_accuracy: Rate,
    pub field_exact_clean: Rate,
    pub field_exact_degraded: Rate,
    #[serde(default)]
    pub field_exact_by_layout: BTreeMap<String, Rate>,
    pub defects_caught: Rate,
    pub false_flags: Rate,
    pub verdict_match: Rate,
    pub ocr_ms: Timing,
    pub extract_ms: Timing,
}

struct Variant {
    readers: Readers,
    /// Reads with the main OCR: its text is reused.
    same_ocr: bool,
    report: VariantReport,
    tally: Tally,
    reading: Reading,
}

/// The bench's scratch SQLite file, removed with its WAL and shared-memory
/// files when the run ends, on error paths too (they were left in /tmp).
struct ScratchDb(PathBuf);

impl Drop for ScratchDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// An OCR folder as reports name it: the folder, then the backend and
/// device when they are not the default rten (`candle/cpu: models/ocr`).
fn ocr_label(dir: &Path, backend: OcrBackend, device: crate::extract::model::DeviceSpec) -> String {
    if backend == OcrBackend::Rten { dir.display().to_string() } else { format!("{backend}/{device}: {}", dir.display()) }
}

fn model_hashes(ocr_dir: &Path, backend: OcrBackend, extractor_dir: &Path) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for f in backend.files() {
        m.insert(format!("ocr/{f}"), sha256_short(&ocr_dir.join(f)));
    }
    m.insert("extractor/model.safetensors".into(), sha256_short(&extractor_dir.join("model.safetensors")));
    m
}

/// Runs the benchmark on the dataset, then on its held-out part
/// ([`UNSEEN`]) if it has one; `progress` gets one line per application.
pub async fn run(p: &BenchParams, mut progress: impl FnMut(&str)) -> Result<BenchReport> {
    let mut r = run_one(p, &mut progress).await?;
    let unseen = p.dataset.join(UNSEEN);
    if unseen.join("apps").is_dir() {
        progress(&format!("the held-out part: {}", unseen.display()));
        let q = BenchParams { dataset: unseen, parallel: 0, ..p.clone() };
        r.unseen = Some(Box::new(run_one(&q, &mut progress).await?));
        r.peak_rss_mb = peak_rss_mb();
    }
    Ok(r)
}

/// One dataset: its own registry in a scratch database, its own models
/// loaded (a few tens of ms, so the held-out part loads them again).
async fn run_one(p: &BenchParams, progress: &mut impl FnMut(&str)) -> Result<BenchReport> {
    let apps = apps_of(&p.dataset, p.apps)?;
    let (ocr_dir, extractor_dir) = match (p.ocr_dirs.first(), p.extractor_dirs.first()) {
        (Some(o), Some(e)) => (o.clone(), e.clone()),
        _ => anyhow::bail!("bench needs an OCR model folder and an extractor folder"),
    };
    let backend = p.ocr_backends.first().copied().unwrap_or_default();
    let mut r = BenchReport {
        dataset: p.dataset.display().to_string(),
        machine: machine(),
        threads: crate::par::cores(),
        features: if cfg!(feature = "cuda") { vec!["cuda".into()] } else { vec![] },
        models: model_hashes(&ocr_dir, backend, &extractor_dir),
        model_dirs: vec![ocr_label(&ocr_dir, backend, p.device), extractor_dir.display().to_string()],
        ..Default::default()
    };
    let t = Instant::now();
    let engines = |ocr_backend| crate::pipeline::Engines { device: p.device, ocr_backend };
    let readers = std::sync::Arc::new(Readers::load(&ocr_dir, &extractor_dir, engines(backend)).map_err(anyhow::Error::msg)?);
    r.model_load_ms = t.elapsed().as_secs_f64() * 1e3;
    let pairs = (p.ocr_dirs[1..].iter().map(|o| (o, &extractor_dir, backend)))
        .chain(p.extractor_dirs[1..].iter().map(|e| (&ocr_dir, e, backend)))
        .chain(p.ocr_backends.iter().skip(1).map(|&b| (&ocr_dir, &extractor_dir, b)));
    let mut variants = vec![];
    for (o, e, b) in pairs {
        let ocr = ocr_label(o, b, p.device);
        variants.push(Variant {
            readers: Readers::load(o, e, engines(b)).map_err(anyhow::Error::msg)?,
            same_ocr: o == &ocr_dir && b == backend,
            report: VariantReport { ocr, extractor: e.display().to_string(), models: model_hashes(o, b, e), ..Default::default() },
            tally: Tally::default(),
            reading: Reading::default(),
        });
    }

    // The dataset's registry in a scratch database.
    let scratch = ScratchDb(std::env::temp_dir().join(format!("dajian-bench-{}-{}.sqlite", std::process::id(), ulid::Ulid::new())));
    let db = Db::open(&format!("sqlite://{}", scratch.0.display())).await?;
    crate::registry::import_dir(&db, &p.dataset.join("registry")).await.context("importing the dataset's registry")?;
    let precheck = std::sync::Arc::new(Precheck {
        rules: crate::rules::Rules::embedded(),
        config: Default::default(),
        device: p.device,
        readers: Some(readers.clone()),
    });

    let mut tally = Tally::default();
    let (mut decode_ms, mut page_ms, mut app_ms, mut checks_ms) = (vec![], vec![], vec![], vec![]);
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    for (ai, dir) in apps.iter().enumerate() {
        let truth: AppTruth = serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json"))?).with_context(|| dir.join("truth.json").display().to_string())?;
        let app = Application::parse(&std::fs::read_to_string(dir.join("application.json"))?).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        let t_app = Instant::now();
        let mut reading = Reading::default();
        let mut texts = vec![];
        for pt in &truth.pages {
            let bytes = std::fs::read(dir.join(&pt.file)).with_context(|| dir.join(&pt.file).display().to_string())?;
            let t0 = Instant::now();
            let page = decode_page(&bytes, &pt.file, &readers.limits)?;
            let t1 = Instant::now();
            let text = readers.ocr.read(&page)?;
            let t2 = Instant::now();
            let mut ex = readers.extractor.extract(&text, None)?;
            crate::pipeline::reread_by_grammar(&readers.ocr, &page, &text, &mut ex);
            let t3 = Instant::now();
            decode_ms.push(ms(t0, t1));
            tally.ocr_ms.push(ms(t1, t2));
            tally.extract_ms.push(ms(t2, t3));
            page_ms.push(ms(t0, t3));
            r.pages += 1;
            tally.page(&truth.application, pt, &text, &ex);
            reading.documents.push(crate::pipeline::page_document(&pt.file, &text, ex));
            reading.ocr_ms += ms(t1, t2) as u64;
            reading.extract_ms += ms(t2, t3) as u64;
            // Kept only for the variants: the main OCR's text, and the
            // file's bytes (decoded again for an OCR variant and for the
            // re-reading of codes; holding decoded pages would swell the
            // peak RSS measured).
            if !variants.is_empty() {
                texts.push((bytes, text));
            }
        }
        let t_checks = Instant::now();
        let report = precheck.run_reading(&db, &app, reading).await?;
        checks_ms.push(t_checks.elapsed().as_secs_f64() * 1e3);
        app_ms.push(t_app.elapsed().as_secs_f64() * 1e3);
        r.applications += 1;
        tally.application(&truth, &report);
        progress(&format!("[{}/{}] {}: verdict {:?} (want {:?})", ai + 1, apps.len(), truth.application, report.verdict, truth.expected.verdict));

        // The same pages through each variant, then the checks on what it read.
        for v in &mut variants {
            for (pt, (bytes, main_text)) in truth.pages.iter().zip(&texts) {
                let page = decode_page(bytes, &pt.file, &readers.limits)?;
                let t1 = Instant::now();
                let own_text = if v.same_ocr { None } else { Some(v.readers.ocr.read(&page)?) };
                let text = own_text.as_ref().unwrap_or(main_text);
                let t2 = Instant::now();
                // As the main pair: codes not of their grammar read again,
                // so the variants' false flags compare with the main row's.
                let mut ex = v.readers.extractor.extract(text, None)?;
                crate::pipeline::reread_by_grammar(&v.readers.ocr, &page, text, &mut ex);
                if !v.same_ocr {
                    v.tally.ocr_ms.push(ms(t1, t2));
                }
                v.tally.extract_ms.push(ms(t2, Instant::now()));
                v.tally.page(&truth.application, pt, text, &ex);
                v.reading.documents.push(crate::pipeline::page_document(&pt.file, text, ex));
            }
            let report = precheck.run_reading(&db, &app, std::mem::take(&mut v.reading)).await?;
            v.tally.application(&truth, &report);
        }
    }
    if p.parallel > 0 {
        progress(&format!("throughput: {} applications, {} at a time", apps.len(), p.parallel));
        let (per_min, per_s, times) = throughput(&precheck, &db, &apps, p.parallel).await?;
        r.parallel = p.parallel;
        r.throughput_apps_per_min = per_min;
        r.throughput_files_per_s = per_s;
        r.parallel_application_ms = timing(times);
    }
    db.pool.close().await;
    drop(scratch);
    r.ocr_cer_clean = Tally::cer(tally.cer_clean);
    r.ocr_cer_degraded = Tally::cer(tally.cer_degraded);
    r.field_verbatim_in_ocr = tally.field_verbatim_in_ocr;
    r.orientation = tally.orientation;
    r.orientation_errors = tally.orientation_errors;
    r.kind_accuracy = tally.kind_accuracy;
    r.kind_accuracy_by_kind = tally.kind_accuracy_by_kind;
    r.false_blocks = tally.false_blocks;
    r.clean_blocked = tally.clean_blocked;
    r.field_exact_clean = tally.field_exact_clean;
    r.field_exact_degraded = tally.field_exact_degraded;
    r.field_exact_by_kind = tally.field_exact_by_kind;
    r.field_exact_by_layout = tally.field_exact_by_layout;
    r.field_exact_by_field = tally.field_exact_by_field;
    r.field_errors = tally.field_errors;
    r.defects_caught = tally.defects_caught;
    r.defects_missed = tally.defects_missed;
    r.false_flags = tally.false_flags;
    r.false_flag_checks = tally.false_flag_checks;
    r.false_flag_list = tally.false_flag_list;
    r.check_status_match = tally.check_status_match;
    r.verdict_match = tally.verdict_match;
    r.decode_ms = timing(decode_ms);
    r.ocr_ms = timing(tally.ocr_ms);
    r.extract_ms = timing(tally.extract_ms);
    r.page_ms = timing(page_ms);
    r.application_ms = timing(app_ms);
    r.checks_ms = timing(checks_ms);
    r.variants = variants
        .into_iter()
        .map(|v| VariantReport {
            ocr_cer_clean: Tally::cer(v.tally.cer_clean),
            ocr_cer_degraded: Tally::cer(v.tally.cer_degraded),
            kind_accuracy: v.tally.kind_accuracy,
            field_exact_clean: v.tally.field_exact_clean,
            field_exact_degraded: v.tally.field_exact_degraded,
            field_exact_by_layout: v.tally.field_exact_by_layout,
            defects_caught: v.tally.defects_caught,
            false_flags: v.tally.false_flags,
            verdict_match: v.tally.verdict_match,
            ocr_ms: timing(v.tally.ocr_ms),
            extract_ms: timing(v.tally.extract_ms),
            ..v.report
        })
        .collect();
    r.peak_rss_mb = peak_rss_mb();
    Ok(r)
}

/// Every application through the whole pipeline (`Precheck::run_files`,
/// pages read in parallel as in the service), `parallel` at a time:
/// applications per minute, files per second and each application's time.
async fn throughput(precheck: &std::sync::Arc<Precheck>, db: &Db, apps: &[PathBuf], parallel: usize) -> Result<(f64, f64, Vec<f64>)> {
    let mut jobs = vec![];
    let mut files = 0;
    for dir in apps {
        let (app, folder) = crate::pipeline::read_application(&dir.join("application.json")).map_err(|e| anyhow::anyhow!("{e}"))?;
        let pages = crate::pipeline::load_pages(&app, &folder, &[]).map_err(|e| anyhow::anyhow!("{e}"))?;
        files += pages.len();
        jobs.push((dir.display().to_string(), app, pages));
    }
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(parallel));
    let t0 = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (name, app, pages) in jobs {
        let (precheck, db, slots) = (precheck.clone(), db.clone(), slots.clone());
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.expect("the semaphore is never closed");
            let t = Instant::now();
            precheck.run_files(&db, &app, vec![], pages).await.map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            Ok::<f64, anyhow::Error>(t.elapsed().as_secs_f64() * 1e3)
        });
    }
    let mut times = vec![];
    while let Some(t) = tasks.join_next().await {
        times.push(t??);
    }
    let seconds = t0.elapsed().as_secs_f64();
    Ok((times.len() as f64 * 60.0 / seconds, files as f64 / seconds, times))
}

fn pct(r: &Rate) -> String {
    format!("{:.2} % ({}/{})", 100.0 * r.value(), r.hits, r.total)
}

fn ms(t: &Timing) -> String {
    format!("{:.1} / {:.1} ms (n={})", t.p50, t.p95, t.n)
}

/// The measures two reports share, side by side: `(measure, a, b, b − a)`
/// with rates in percent and times in milliseconds.
pub fn compare(a: &BenchReport, b: &BenchReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "| measure | A | B | B − A |\n|---|---|---|---|");
    // A measure one report lacks (NaN: nothing to count) shows as "—".
    let mut row = |name: &str, x: f64, y: f64, unit: &str| {
        if x.is_nan() && y.is_nan() {
            return;
        }
        let show = |v: f64| if v.is_nan() { "—".to_string() } else { format!("{v:.2}{unit}") };
        let diff = if x.is_nan() || y.is_nan() { "—".to_string() } else { format!("{:+.2}{unit}", y - x) };
        let _ = writeln!(s, "| {name} | {} | {} | {diff} |", show(x), show(y));
    };
    row("OCR CER, clean pages", 100.0 * a.ocr_cer_clean, 100.0 * b.ocr_cer_clean, " %");
    row("OCR CER, degraded pages", 100.0 * a.ocr_cer_degraded, 100.0 * b.ocr_cer_degraded, " %");
    type Pick<T> = (&'static str, fn(&BenchReport) -> &T);
    let rates: [Pick<Rate>; 11] = [
        ("field values verbatim in OCR text", |r| &r.field_verbatim_in_ocr),
        ("pages turned upright", |r| &r.orientation),
        ("page kind", |r| &r.kind_accuracy),
        ("field exact match, clean pages", |r| &r.field_exact_clean),
        ("field exact match, degraded pages", |r| &r.field_exact_degraded),
        ("injected defects caught", |r| &r.defects_caught),
        ("false flags", |r| &r.false_flags),
        ("false blocks", |r| &r.false_blocks),
        ("clean applications blocked", |r| &r.clean_blocked),
        ("check statuses as expected", |r| &r.check_status_match),
        ("verdict as expected", |r| &r.verdict_match),
    ];
    for (name, f) in rates {
        row(name, 100.0 * f(a).value(), 100.0 * f(b).value(), " %");
    }
    let times: [Pick<Timing>; 6] = [
        ("OCR per page, p50", |r| &r.ocr_ms),
        ("extraction per page, p50", |r| &r.extract_ms),
        ("page total, p50", |r| &r.page_ms),
        ("checks per application, p50", |r| &r.checks_ms),
        ("application one by one, p50", |r| &r.application_ms),
        ("application in parallel, p50", |r| &r.parallel_application_ms),
    ];
    let p50 = |t: &Timing| if t.n == 0 { f64::NAN } else { t.p50 };
    for (name, f) in times {
        row(name, p50(f(a)), p50(f(b)), " ms");
    }
    let per_min = |r: &BenchReport| if r.parallel == 0 { f64::NAN } else { r.throughput_apps_per_min };
    row("applications per minute", per_min(a), per_min(b), "");
    let per_s = |r: &BenchReport| if r.parallel == 0 { f64::NAN } else { r.throughput_files_per_s };
    row("files per second", per_s(a), per_s(b), "");
    row("model load", a.model_load_ms, b.model_load_ms, " ms");
    row("peak RSS", a.peak_rss_mb, b.peak_rss_mb, " MB");
    for (k, v) in &b.models {
        if a.models.get(k) != Some(v) {
            let _ = writeln!(s, "\nmodel `{k}` differs: A {} / B {v}", a.models.get(k).map(String::as_str).unwrap_or("—"));
        }
    }
    s
}

/// Field exact match per layout family, a column per extractor (the main
/// one, then each variant's), so editions training never saw stand apart.
fn by_layout(s: &mut String, title: &str, r: &BenchReport) {
    use std::fmt::Write;
    if r.field_exact_by_layout.is_empty() {
        return;
    }
    let main_extractor = r.model_dirs.get(1).map(String::as_str).unwrap_or("main");
    let mut head = format!("| layout | {} |", folder_name(main_extractor));
    for v in &r.variants {
        // An OCR variant runs with the main extractor: name its OCR instead.
        let which = if v.extractor == main_extractor { &v.ocr } else { &v.extractor };
        let _ = write!(head, " {} |", folder_name(which));
    }
    let _ = writeln!(s, "\n## {title}\n\n{head}\n|---|{}", "---|".repeat(1 + r.variants.len()));
    for (k, v) in &r.field_exact_by_layout {
        let mut row = format!("| {k} | {} |", pct(v));
        for var in &r.variants {
            let _ = write!(row, " {} |", var.field_exact_by_layout.get(k).map(pct).unwrap_or_default());
        }
        let _ = writeln!(s, "{row}");
    }
}

/// The last part of a model folder's path, to name it in a table.
fn folder_name(d: &str) -> String {
    Path::new(d).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| d.to_string())
}

/// The report as a Markdown page.
pub fn markdown(r: &BenchReport) -> String {
    let mut s = String::new();
    use std::fmt::Write;
    let _ = writeln!(s, "# dajian bench — {}\n", r.dataset);
    let _ = writeln!(s, "- machine: {} (features: {})", r.machine, if r.features.is_empty() { "none".into() } else { r.features.join(", ") });
    let _ = writeln!(s, "- threads: {}", r.threads);
    for (k, v) in &r.models {
        let _ = writeln!(s, "- model `{k}`: sha256 {v}…");
    }
    if !r.model_dirs.is_empty() {
        let _ = writeln!(s, "- model folders: {}", r.model_dirs.join(", "));
    }
    let _ = writeln!(s, "- {} applications, {} pages; models loaded in {:.0} ms; peak RSS {:.0} MB\n", r.applications, r.pages, r.model_load_ms, r.peak_rss_mb);
    // One column per part: the dataset, and its held-out part when measured.
    let parts: Vec<&BenchReport> = std::iter::once(r).chain(r.unseen.as_deref()).collect();
    if parts.len() > 1 {
        let _ = writeln!(s, "## Accuracy\n\nSeen: names, places and layouts as training draws them. Unseen: `{}` ({} applications, {} pages), names, places and layout families no training input held.\n", r.unseen.as_ref().map(|u| u.dataset.as_str()).unwrap_or(""), parts[1].applications, parts[1].pages);
        let _ = writeln!(s, "| measure | seen | unseen |\n|---|---|---|");
    } else {
        let _ = writeln!(s, "## Accuracy\n\n| measure | value |\n|---|---|");
    }
    let rows: [(&str, fn(&BenchReport) -> String); 13] = [
        ("OCR CER, clean pages", |r| format!("{:.3} %", 100.0 * r.ocr_cer_clean)),
        ("OCR CER, degraded pages", |r| format!("{:.3} %", 100.0 * r.ocr_cer_degraded)),
        ("field values verbatim in OCR text", |r| pct(&r.field_verbatim_in_ocr)),
        ("pages turned upright", |r| pct(&r.orientation)),
        ("page kind", |r| pct(&r.kind_accuracy)),
        ("field exact match, clean pages", |r| pct(&r.field_exact_clean)),
        ("field exact match, degraded pages", |r| pct(&r.field_exact_degraded)),
        ("injected defects caught by their check", |r| pct(&r.defects_caught)),
        ("false flags (expected pass, got other)", |r| pct(&r.false_flags)),
        ("false blocks (expected pass, got block)", |r| pct(&r.false_blocks)),
        ("clean applications blocked", |r| pct(&r.clean_blocked)),
        ("check statuses as expected", |r| pct(&r.check_status_match)),
        ("verdict as expected", |r| pct(&r.verdict_match)),
    ];
    for (label, value) in rows {
        let cells: Vec<String> = parts.iter().map(|r| value(r)).collect();
        let _ = writeln!(s, "| {label} | {} |", cells.join(" | "));
    }
    let _ = writeln!(s, "\n## Speed (p50 / p95)\n\n| stage | time |\n|---|---|");
    for (k, t) in [("decode per page", &r.decode_ms), ("OCR per page", &r.ocr_ms), ("extraction per page", &r.extract_ms), ("page total", &r.page_ms), ("checks per application", &r.checks_ms), ("application, pages one by one", &r.application_ms)] {
        let _ = writeln!(s, "| {k} | {} |", ms(t));
    }
    if r.parallel > 0 {
        let _ = writeln!(s, "| application, {} at a time (whole pipeline) | {} |", r.parallel, ms(&r.parallel_application_ms));
        let _ = writeln!(s, "\nThroughput: **{:.1} applications per minute** ({:.2} files per second) with {} in flight.", r.throughput_apps_per_min, r.throughput_files_per_s, r.parallel);
    }
    if !r.variants.is_empty() {
        let _ = writeln!(s, "\n## Model variants on the same pages\n");
        let _ = writeln!(s, "The first row is the main pair above. An OCR variant runs with the main extractor; an extractor variant reads the main OCR's text (its OCR columns repeat the main ones).\n");
        let _ = writeln!(s, "| OCR | extractor | CER clean / degraded | page kind | fields clean | fields degraded | defects caught | false flags | verdicts | OCR p50 | extraction p50 |");
        let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|---|");
        let main = VariantReport {
            ocr: r.model_dirs.first().cloned().unwrap_or_default(),
            extractor: r.model_dirs.get(1).cloned().unwrap_or_default(),
            ocr_cer_clean: r.ocr_cer_clean,
            ocr_cer_degraded: r.ocr_cer_degraded,
            kind_accuracy: r.kind_accuracy,
            field_exact_clean: r.field_exact_clean,
            field_exact_degraded: r.field_exact_degraded,
            defects_caught: r.defects_caught,
            false_flags: r.false_flags,
            verdict_match: r.verdict_match,
            ocr_ms: r.ocr_ms.clone(),
            extract_ms: r.extract_ms.clone(),
            ..Default::default()
        };
        for v in std::iter::once(&main).chain(&r.variants) {
            let ocr_p50 = if v.ocr_ms.n == 0 { "(main)".to_string() } else { format!("{:.0} ms", v.ocr_ms.p50) };
            let _ = writeln!(
                s,
                "| {} | {} | {:.2} / {:.2} % | {} | {} | {} | {} | {} | {} | {ocr_p50} | {:.1} ms |",
                folder_name(&v.ocr),
                folder_name(&v.extractor),
                100.0 * v.ocr_cer_clean,
                100.0 * v.ocr_cer_degraded,
                pct(&v.kind_accuracy),
                pct(&v.field_exact_clean),
                pct(&v.field_exact_degraded),
                pct(&v.defects_caught),
                pct(&v.false_flags),
                pct(&v.verdict_match),
                v.extract_ms.p50
            );
        }
    }
    let _ = writeln!(s, "\n## Page kind by true kind\n\n| kind | right |\n|---|---|");
    for (k, v) in &r.kind_accuracy_by_kind {
        let _ = writeln!(s, "| {k} | {} |", pct(v));
    }
    let _ = writeln!(s, "\n## Field exact match by kind\n\n| kind | match |\n|---|---|");
    for (k, v) in &r.field_exact_by_kind {
        let _ = writeln!(s, "| {k} | {} |", pct(v));
    }
    by_layout(&mut s, "Field exact match by layout family", r);
    let _ = writeln!(s, "\n## Field exact match by field\n\n| field | match |\n|---|---|");
    for (k, v) in &r.field_exact_by_field {
        let _ = writeln!(s, "| {k} | {} |", pct(v));
    }
    if !r.false_flag_checks.is_empty() {
        let _ = writeln!(s, "\n## False flags by check\n");
        for (k, n) in &r.false_flag_checks {
            let _ = writeln!(s, "- {k}: {n}");
        }
        let _ = writeln!(s, "\nEach one:\n");
        for m in &r.false_flag_list {
            let _ = writeln!(s, "- {m}");
        }
    }
    // A heading and its items, when there are any.
    let list = |s: &mut String, title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(s, "\n## {title}\n");
            for m in items {
                let _ = writeln!(s, "- {m}");
            }
        }
    };
    list(&mut s, "Pages not turned upright", &r.orientation_errors);
    list(&mut s, "Defects missed", &r.defects_missed);
    list(&mut s, "Fields read wrong (first 40)", &r.field_errors[..r.field_errors.len().min(40)]);
    if let Some(u) = &r.unseen {
        let _ = writeln!(s, "\n## Unseen part: field exact match by kind\n\n| kind | match |\n|---|---|");
        for (k, v) in &u.field_exact_by_kind {
            let _ = writeln!(s, "| {k} | {} |", pct(v));
        }
        by_layout(&mut s, "Unseen part: field exact match by layout family", u);
        list(&mut s, "Unseen part: false flags", &u.false_flag_list);
        list(&mut s, "Unseen part: defects missed", &u.defects_missed);
        list(&mut s, "Unseen part: fields read wrong (first 40)", &u.field_errors[..u.field_errors.len().min(40)]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_shows_both_values_and_the_difference_and_names_changed_models() {
        let mut a = BenchReport { ocr_cer_clean: 0.0118, ..Default::default() };
        a.kind_accuracy = Rate { hits: 91, total: 92 };
        a.models.insert("ocr/det.onnx".into(), "63cf95bb".into());
        let mut b = a.clone();
        b.ocr_cer_clean = 0.0106;
        b.models.insert("ocr/det.onnx".into(), "550a06a1".into());
        // Survives the JSON round trip `bench --json-out` → `bench compare`.
        let b: BenchReport = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        let table = compare(&a, &b);
        assert!(table.contains("| OCR CER, clean pages | 1.18 % | 1.06 % | -0.12 % |"), "{table}");
        assert!(table.contains("| page kind | 98.91 % | 98.91 % | +0.00 % |"), "{table}");
        assert!(table.contains("model `ocr/det.onnx` differs: A 63cf95bb / B 550a06a1"), "{table}");
        // Measures neither report has are left out; one report lacks: "—".
        assert!(!table.contains("NaN") && !table.contains("applications per minute"), "{table}");
        let mut c = b.clone();
        c.parallel = 2;
        c.throughput_apps_per_min = 2.3;
        assert!(compare(&a, &c).contains("| applications per minute | — | 2.30 | — |"), "{}", compare(&a, &c));
    }

    #[test]
    fn the_markdown_names_each_page_not_turned_upright_and_at_most_40_wrong_fields() {
        let r = BenchReport {
            orientation: Rate { hits: 1, total: 2 },
            orientation_errors: vec!["app_0001/a.jpg: turned 180°, needed 0°".into()],
            field_errors: (0..50).map(|i| format!("field {i}")).collect(),
            ..Default::default()
        };
        let md = markdown(&r);
        assert!(md.contains("| pages turned upright | 50.00 % (1/2) |"), "{md}");
        assert!(md.contains("## Pages not turned upright\n\n- app_0001/a.jpg: turned 180°, needed 0°"), "{md}");
        assert!(md.contains("- field 39\n") && !md.contains("- field 40"), "{md}");
        assert!(!md.contains("## Defects missed"), "{md}");
    }

    #[test]
    fn fields_by_layout_family_are_shown_for_the_main_extractor_and_each_variant() {
        let layouts = |a: usize, b: usize| -> BTreeMap<String, Rate> {
            [("road_transport_certificate/card".to_string(), Rate { hits: a, total: 10 }), ("road_transport_certificate/paper".to_string(), Rate { hits: b, total: 10 })].into()
        };
        let r = BenchReport {
            model_dirs: vec!["models/ocr".into(), "models/extractor".into()],
            field_exact_by_layout: layouts(10, 9),
            variants: vec![VariantReport { ocr: "models/ocr".into(), extractor: "/tmp/ext-v2".into(), field_exact_by_layout: layouts(10, 7), ..Default::default() }],
            ..Default::default()
        };
        let md = markdown(&r);
        assert!(md.contains("## Field exact match by layout family\n\n| layout | extractor | ext-v2 |\n|---|---|---|"), "{md}");
        assert!(md.contains("| road_transport_certificate/paper | 90.00 % (9/10) | 70.00 % (7/10) |"), "{md}");
    }

    #[test]
    fn percentiles_are_taken_from_the_sorted_times() {
        let t = timing(vec![5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!((t.p50, t.p95, t.mean, t.n), (3.0, 5.0, 3.0, 5));
        assert_eq!(timing(vec![]).n, 0);
    }

    #[test]
    fn a_folder_without_applications_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("dajian-bench-empty-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("apps")).unwrap();
        let e = apps_of(&dir, None).unwrap_err().to_string();
        assert!(e.contains("no application with a truth.json") && e.contains(&dir.display().to_string()), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
