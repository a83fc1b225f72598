//! Whose page is it: each read page without a declared subject is tied to
//! a party of the form (the carrier, the agent, a driver, the tractor or
//! the trailer) from the identifiers read on it.

use crate::document::{DocKind, Document, Subject};
use crate::form::Application;

/// Ties each page without a declared subject to a party of the form, from
/// the identifiers read on it. A page nothing ties stays without subject.
pub fn assign_subjects(form: &Application, docs: &mut [Document]) {
    use crate::types::normalize::code;
    for d in docs.iter_mut().filter(|d| d.subject.is_none()) {
        let get = |k: &str| d.field(k).map(|f| code(&f.text()));
        let driver_by_id = |id: Option<String>| id.and_then(|id| form.drivers.iter().position(|x| x.id_number == id));
        d.subject = match d.kind {
            Some(DocKind::VehicleLicence | DocKind::RoadTransportCertificate) => {
                let plate = get("plate_number");
                let vin = get("vin");
                form.vehicles()
                    .into_iter()
                    .find(|(_, v)| (plate.is_some() && v.plate == plate) || vin.as_deref() == Some(v.vin.as_str()))
                    .map(|(s, _)| s)
                    .or_else(|| plate.filter(|p| p.ends_with('挂')).map(|_| Subject::Trailer))
            }
            Some(DocKind::DrivingLicence) => driver_by_id(get("licence_number")).map(Subject::Driver).or_else(|| {
                let name = d.field("name").map(|f| crate::types::normalize::text(&f.text()));
                form.drivers.iter().position(|x| Some(&x.name) == name.as_ref()).map(Subject::Driver)
            }),
            Some(DocKind::QualificationCertificate) => {
                let name = d.field("name").map(|f| crate::types::normalize::text(&f.text()));
                form.drivers.iter().position(|x| Some(&x.name) == name.as_ref()).map(Subject::Driver)
            }
            Some(DocKind::IdCard) => {
                let id = get("id_number");
                let name = d.field("name").map(|f| crate::types::normalize::text(&f.text()));
                if id.as_deref() == Some(form.agent.id_number.as_str()) {
                    Some(Subject::Agent)
                } else if let Some(i) = driver_by_id(id) {
                    Some(Subject::Driver(i))
                } else if name.as_ref() == Some(&form.agent.name) {
                    // The number misread: the name still says whose card it
                    // is, and the check then reports the number as read.
                    Some(Subject::Agent)
                } else {
                    form.drivers.iter().position(|x| Some(&x.name) == name.as_ref()).map(Subject::Driver)
                }
            }
            Some(DocKind::BusinessLicence | DocKind::OperatingPermit) => Some(Subject::Carrier),
            Some(DocKind::AuthorizationLetter) => Some(Subject::Agent),
            _ => None,
        };
        if d.subject.is_none() {
            d.subject = tie_by_page(form, d);
        }
    }
}

/// The party whose plate, VIN, ID number or name is printed on the page
/// where that field is printed, for a page the extractor's readings tie
/// to nobody (a misread plate, a name cut short).
fn tie_by_page(form: &Application, d: &Document) -> Option<Subject> {
    use crate::checks::on_page::find;
    // As read: a name taken from the recogniser's other choices is good
    // enough not to flag a page, not to choose whose page it is.
    let on = |key: &str, value: &str| find(d, key, value).is_some_and(|f| f.doubts.is_empty());
    let person = |id: &str, name: &str, id_key: &str| on(id_key, id) || on("name", name);
    match d.kind? {
        DocKind::VehicleLicence | DocKind::RoadTransportCertificate => form
            .vehicles()
            .into_iter()
            .find(|(_, v)| v.plate.as_deref().is_some_and(|p| on("plate_number", p)) || on("vin", &v.vin))
            .map(|(s, _)| s),
        DocKind::DrivingLicence => form.drivers.iter().position(|x| person(&x.id_number, &x.name, "licence_number")).map(Subject::Driver),
        DocKind::QualificationCertificate => form.drivers.iter().position(|x| on("name", &x.name)).map(Subject::Driver),
        DocKind::IdCard => {
            if person(&form.agent.id_number, &form.agent.name, "id_number") {
                Some(Subject::Agent)
            } else {
                form.drivers.iter().position(|x| person(&x.id_number, &x.name, "id_number")).map(Subject::Driver)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(kind: DocKind, fields: &[(&str, &str)]) -> Document {
        Document::read_for_test(kind, fields)
    }

    #[test]
    fn pages_without_a_subject_are_tied_to_the_party_their_identifiers_name() {
        let form = Application::parse(include_str!("../../tests/fixtures/clean/application.json")).unwrap();
        let mut docs = vec![
            page(DocKind::VehicleLicence, &[("plate_number", "鲁H6789挂")]),
            page(DocKind::VehicleLicence, &[("vin", "lzz1clvb5ja123456")]),
            page(DocKind::DrivingLicence, &[("licence_number", "370811197805060018")]),
            page(DocKind::IdCard, &[("id_number", "370802198001011235")]),
            page(DocKind::BusinessLicence, &[]),
            page(DocKind::Other, &[]),
        ];
        assign_subjects(&form, &mut docs);
        let got: Vec<Option<Subject>> = docs.iter().map(|d| d.subject).collect();
        assert_eq!(
            got,
            [Some(Subject::Trailer), Some(Subject::Tractor), Some(Subject::Driver(0)), Some(Subject::Agent), Some(Subject::Carrier), None]
        );
    }

    #[test]
    fn an_id_card_with_a_misread_number_is_tied_by_its_name() {
        let form = Application::parse(include_str!("../../tests/fixtures/clean/application.json")).unwrap();
        let mut docs = vec![
            page(DocKind::IdCard, &[("id_number", "371"), ("name", &form.agent.name)]),
            page(DocKind::IdCard, &[("id_number", "371"), ("name", "无此人")]),
        ];
        assign_subjects(&form, &mut docs);
        assert_eq!(docs[0].subject, Some(Subject::Agent));
        assert_eq!(docs[1].subject, None);
    }
}
