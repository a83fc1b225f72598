//! Reuse of what was verified (首次一次提交、后期自动复用): the pages of an
//! application that passed — its precheck said `pass`, or a clerk approved
//! it — are archived per company (USCC), person (ID number) and vehicle
//! (VIN) with their validity. A later application may leave such a page
//! out; the precheck then uses the archived reading, and the report's
//! `documents[]` entry says so (`archived`: source application, file,
//! date). Only pages about a party are archived (licences, permits, ID
//! cards); letters, escort plans and drawings belong to one application.

use chrono::NaiveDate;

use crate::db::Db;
use crate::store::archive as store;
use crate::document::{Archived, DocKind, Document, Subject};
use crate::form::Application;
use crate::types::{Month, Until};

/// How long a page that prints no validity is reused.
pub const UNDATED_REUSE_DAYS: i64 = 365;

/// An entity's archive key: `company:USCC`, `person:ID`, `vehicle:VIN`.
pub fn entity(app: &Application, subject: Subject) -> Option<String> {
    let key = match subject {
        Subject::Carrier => format!("company:{}", app.carrier.uscc),
        Subject::Agent => format!("person:{}", app.agent.id_number),
        Subject::Driver(n) => format!("person:{}", app.drivers.get(n)?.id_number),
        Subject::Tractor => format!("vehicle:{}", app.tractor.vin),
        Subject::Trailer => format!("vehicle:{}", app.trailer.as_ref()?.vin),
    };
    (!key.ends_with(':')).then_some(key)
}

/// The kinds of page that are about `subject` and outlive an application.
pub fn reusable_kinds(subject: Subject) -> &'static [DocKind] {
    match subject {
        Subject::Carrier => &[DocKind::BusinessLicence, DocKind::OperatingPermit],
        Subject::Agent => &[DocKind::IdCard],
        Subject::Driver(_) => &[DocKind::DrivingLicence, DocKind::QualificationCertificate],
        Subject::Tractor | Subject::Trailer => &[DocKind::VehicleLicence, DocKind::RoadTransportCertificate],
    }
}

/// The last day a reading may be reused: the earliest end the page prints
/// (`valid_until`, `term_until`, the inspection month's last day), `None`
/// for `long_term`; a page that prints none, [`UNDATED_REUSE_DAYS`] after
/// `archived_on`.
pub fn valid_until(doc: &Document, archived_on: NaiveDate) -> Option<NaiveDate> {
    let mut ends = vec![];
    let mut long_term = false;
    for key in ["valid_until", "term_until"] {
        match doc.field(key).map(|f| Until::parse(&f.text())) {
            Some(Ok(Until::Date(d))) => ends.push(d),
            Some(Ok(Until::LongTerm)) => long_term = true,
            _ => {}
        }
    }
    if let Some(Ok(m)) = doc.field("inspection_valid_until").map(|f| Month::parse(&f.text())) {
        let first_of_next = if m.month == 12 { NaiveDate::from_ymd_opt(m.year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(m.year, m.month + 1, 1) };
        ends.extend(first_of_next.and_then(|d| d.pred_opt()));
    }
    match ends.into_iter().min() {
        Some(d) => Some(d),
        None if long_term => None,
        None => Some(archived_on + chrono::Duration::days(UNDATED_REUSE_DAYS)),
    }
}

/// Archives the read pages of a passed application. Returns how many.
pub async fn store(db: &Db, application_id: &str, app: &Application, docs: &[Document]) -> Result<usize, sqlx::Error> {
    let now = chrono::Utc::now();
    let mut n = 0;
    for d in docs.iter().filter(|d| d.unread.is_none() && d.archived.is_none()) {
        let (Some(kind), Some(subject)) = (d.kind, d.subject) else { continue };
        let Some(entity) = entity(app, subject).filter(|_| reusable_kinds(subject).contains(&kind)) else { continue };
        let until = valid_until(d, now.date_naive()).map(|u| u.to_string());
        let document = serde_json::to_string(d).expect("documents serialise");
        let archived_at = now.to_rfc3339();
        let e = store::NewEntry {
            entity: &entity,
            kind: kind.key(),
            document: &document,
            application_id,
            file: &d.file,
            archived_at: &archived_at,
            valid_until: until.as_deref(),
        };
        store::insert(db, &e).await?;
        n += 1;
    }
    Ok(n)
}

/// The archived readings `app` may use: for each party of the form and
/// each reusable kind the application brings no page of, the latest
/// archived reading still valid on the submission date.
pub async fn reusable(db: &Db, app: &Application, present: &[Document]) -> Result<Vec<Document>, sqlx::Error> {
    let mut subjects = vec![Subject::Carrier, Subject::Agent, Subject::Tractor];
    subjects.extend((0..app.drivers.len()).map(Subject::Driver));
    if app.trailer.is_some() {
        subjects.push(Subject::Trailer);
    }
    let on = app.submitted_on.to_string();
    let mut out: Vec<Document> = vec![];
    for subject in subjects {
        let Some(entity) = entity(app, subject) else { continue };
        for &kind in reusable_kinds(subject) {
            // A page of this kind whose party is unknown may be this
            // party's: then the applicant brought it, and it is not replaced.
            let brought = present
                .iter()
                .chain(&out)
                .any(|d| d.kind.or(d.declared_kind) == Some(kind) && (d.subject == Some(subject) || d.subject.is_none()));
            if brought {
                continue;
            }
            let Some(store::Stored { document: json, application_id, file, archived_at, valid_until }) = store::latest_valid(db, &entity, kind.key(), &on).await? else {
                continue;
            };
            let Ok(mut d) = serde_json::from_str::<Document>(&json) else {
                tracing::warn!(application_id, file, "an archived reading no longer parses; not reused");
                continue;
            };
            // The page is not part of this application: its name says where it is from.
            d.file = format!("archive/{application_id}/{file}");
            d.subject = Some(subject);
            d.declared_kind = None;
            d.archived = Some(Archived { application_id, file, archived_at, valid_until });
            out.push(d);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(fields: &[(&str, &str)]) -> Document {
        Document::read_for_test(DocKind::VehicleLicence, fields)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_page_is_reused_until_the_earliest_end_it_prints() {
        let archived = day("2026-01-10");
        assert_eq!(valid_until(&doc(&[("inspection_valid_until", "2027-05")]), archived), Some(day("2027-05-31")));
        assert_eq!(valid_until(&doc(&[("inspection_valid_until", "2026-12")]), archived), Some(day("2026-12-31")));
        assert_eq!(valid_until(&doc(&[("valid_until", "2030-01-01"), ("term_until", "2028-02-03")]), archived), Some(day("2028-02-03")));
        assert_eq!(valid_until(&doc(&[("term_until", "long_term")]), archived), None);
        assert_eq!(valid_until(&doc(&[("name", "x")]), archived), Some(day("2027-01-10")));
    }

    #[test]
    fn only_pages_about_a_party_are_reusable() {
        assert!(reusable_kinds(Subject::Carrier).contains(&DocKind::BusinessLicence));
        assert!(!reusable_kinds(Subject::Agent).contains(&DocKind::AuthorizationLetter));
        assert!(reusable_kinds(Subject::Driver(1)).contains(&DocKind::DrivingLicence));
    }
}
