//! Vehicle 车辆信息: V1–V5. Each check runs per vehicle (tractor, then
//! trailer). A vehicle applying for a temporary plate is identified by VIN
//! alone; what the registry cannot hold for it is not compared.

use super::builder::opt;
use super::{Check, Input};
use crate::document::{DocKind, Subject};
use crate::form::Vehicle;
use crate::registry::Vehicle as RegVehicle;
use crate::report::{CheckResult, Group, Status};
use crate::types::{Plate, PlateKind, Until, Vin, normalize};

/// `declared` within ±`pct` % of `reference` (edges included).
pub(crate) fn within_pct(declared: u64, reference: u64, pct: f64) -> bool {
    (declared.abs_diff(reference) as f64) * 100.0 <= pct * reference as f64
}

/// The vehicles the registry can be asked about: not on temporary plates,
/// with a declared plate.
fn registered<'a>(input: &Input<'a>) -> Vec<(Subject, &'a Vehicle, &'a str)> {
    input
        .form
        .vehicles()
        .into_iter()
        .filter(|(_, v)| !v.temporary_plate)
        .filter_map(|(s, v)| v.plate.as_deref().map(|p| (s, v, p)))
        .collect()
}

fn reg_vehicle<'a>(c: &mut Check, input: &Input<'a>, role: Subject, plate: &str) -> Option<&'a RegVehicle> {
    let found = input.registry.vehicle(plate);
    if found.is_none() {
        c.fail(Status::Block, format!("the {role} {plate} is not in the registry"));
    }
    found
}

/// V1 号牌与VIN: well-formed plate and VIN, equal across form, licence page
/// and registry.
pub fn v1_plate_and_vin(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "V1", Group::Vehicle, "号牌与VIN", "GA 36-2018; GB 16735-2019");
    for (role, v) in input.form.vehicles() {
        c.form(&format!("{role}.vin"), v.vin.as_str());
        match Vin::parse(&v.vin) {
            Ok(_) => c.ok(),
            Err(e) => c.fail(Status::Block, format!("the {role} VIN {} is not valid: {e}", v.vin)),
        }
        if v.temporary_plate {
            continue; // identified by VIN alone; no licence or registry row yet
        }
        let Some(plate) = v.plate.as_deref() else {
            c.fail(Status::Block, format!("the {role} has no plate and does not apply for a temporary plate"));
            continue;
        };
        c.form(&format!("{role}.plate"), plate);
        match Plate::parse(plate) {
            Ok(p) => {
                let trailer_plate = p.kind() == PlateKind::Trailer;
                c.expect(trailer_plate == (role == Subject::Trailer), Status::Block, || {
                    if trailer_plate {
                        format!("the {role} carries a trailer plate {plate}")
                    } else {
                        format!("the trailer plate {plate} does not end in 挂")
                    }
                });
            }
            Err(e) => c.fail(Status::Block, format!("the {role} plate {plate} is not valid: {e}")),
        }
        if let Some(doc) = c.page(input, DocKind::VehicleLicence, Some(role), Status::Block) {
            c.compare_field(doc, "plate_number", plate, &format!("the {role} plate"), Status::Block);
            c.compare_field(doc, "vin", &v.vin, &format!("the {role} VIN"), Status::Block);
        }
        if let Some(r) = reg_vehicle(&mut c, input, role, plate) {
            c.registry("vehicles.vin", opt(&r.vin));
            let reg_vin = r.vin.as_deref().map(normalize::code);
            c.expect(reg_vin.as_deref() == Some(v.vin.as_str()), Status::Block, || {
                format!("the registry holds VIN {} for {plate}, the form {}", reg_vin.clone().unwrap_or("none".into()), v.vin)
            });
        }
    }
    c.finish("plates and VINs are well-formed and agree across form, licences and registry")
}

/// V2 检验与保险: inspection and compulsory insurance cover the travel
/// window; the vehicle's status is normal.
pub fn v2_inspection_insurance(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "V2", Group::Vehicle, "检验与保险", "《道路交通安全法》第十三条、第十七条");
    let vehicles = registered(input);
    if vehicles.is_empty() {
        return c.not_applicable("every vehicle applies for a temporary plate: no inspection or insurance on record");
    }
    let end = input.form.route.end_date;
    c.form("route.end_date", end.to_string());
    let ok_status = &input.rules.company.vehicle_status_ok.value;
    for (role, _, plate) in vehicles {
        if let Some(doc) = input.pages(DocKind::VehicleLicence, Some(role)).first()
            && let Some(m) = c.month_field(doc, "inspection_valid_until")
        {
            c.expect(m.covers(end), Status::Block, || format!("the {role}'s licence shows inspection valid until {m}, before {end}"));
        }
        let Some(r) = reg_vehicle(&mut c, input, role, plate) else { continue };
        c.registry("vehicles.inspection_valid_until", opt(&r.inspection_valid_until));
        c.registry("vehicles.insurance_valid_until", opt(&r.insurance_valid_until));
        c.registry("vehicles.status", r.status.as_str());
        match r.inspection_valid_until {
            Some(m) => c.expect(m.covers(end), Status::Block, || format!("the {role} {plate}'s inspection is valid until {m}, before {end}")),
            None => c.fail(Status::Block, format!("the registry holds no inspection for the {role} {plate}")),
        }
        match r.insurance_valid_until {
            Some(d) => c.expect(d >= end, Status::Block, || format!("the {role} {plate}'s insurance ends on {d}, before {end}")),
            None => c.fail(Status::Block, format!("the registry holds no insurance for the {role} {plate}")),
        }
        c.expect(ok_status.contains(&r.status), Status::Block, || format!("the {role} {plate}'s registry status is {}", r.status));
    }
    c.finish("inspection and insurance cover the travel window and every vehicle's status is normal")
}

/// V3 道路运输证: a road transport certificate for each vehicle, valid for
/// the travel window and held by the carrier.
pub fn v3_road_transport_certificate(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "V3", Group::Vehicle, "道路运输证", "《道路运输条例》第三十三条");
    let vehicles = registered(input);
    if vehicles.is_empty() {
        return c.not_applicable("every vehicle applies for a temporary plate: no road transport certificate yet");
    }
    let f = input.form;
    let end = f.route.end_date;
    c.form("carrier.uscc", f.carrier.uscc.as_str());
    for (role, _, plate) in vehicles {
        if let Some(doc) = input.pages(DocKind::RoadTransportCertificate, Some(role)).first() {
            c.compare_field(doc, "plate_number", plate, &format!("the {role}'s certificate plate"), Status::Warn);
            c.compare_field(doc, "operator_name", &f.carrier.name, "the certificate holder", Status::Warn);
            if let Some(u) = c.until_field(doc, "valid_until") {
                c.expect(u.covers(end), Status::Block, || format!("the {role}'s certificate on {} expires on {u}", doc.file));
            }
        }
        let Some(r) = reg_vehicle(&mut c, input, role, plate) else { continue };
        c.registry("vehicles.rtc_number", opt(&r.rtc_number));
        c.registry("vehicles.rtc_valid_until", opt(&r.rtc_valid_until));
        c.registry("vehicles.rtc_operator_uscc", opt(&r.rtc_operator_uscc));
        match r.rtc_valid_until {
            Some(d) => c.expect(Until::Date(d).covers(end), Status::Block, || {
                format!("the {role} {plate}'s road transport certificate expires on {d}, before {end}")
            }),
            None => c.fail(Status::Block, format!("the {role} {plate} has no road transport certificate on record")),
        }
        match &r.rtc_operator_uscc {
            Some(u) => c.expect(u.as_str() == f.carrier.uscc, Status::Warn, || {
                format!("the {role} {plate}'s certificate is held by {u}, not the carrier {}", f.carrier.uscc)
            }),
            None => c.fail(Status::Warn, format!("the registry names no operator for the {role} {plate}'s certificate")),
        }
    }
    c.finish("every vehicle's road transport certificate is valid and held by the carrier")
}

/// V4 车证一致: what the form declares is what the vehicle is licensed as.
pub fn v4_declared_equals_licensed(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "V4", Group::Vehicle, "车证一致", "交通运输部令2016年第62号 (车货信息如实填写)");
    let vehicles = registered(input);
    if vehicles.is_empty() {
        return c.not_applicable("every vehicle applies for a temporary plate: nothing licensed to compare");
    }
    let pct = input.rules.tolerances.curb_mass_pct.value;
    c.rule("curb_mass_pct", pct);
    for (role, v, plate) in vehicles {
        c.form(&format!("{role}.brand_model"), v.brand_model.as_str());
        c.form(&format!("{role}.curb_mass_kg"), v.curb_mass_kg.0);
        c.form(&format!("{role}.axles"), v.axles);
        if let Some(doc) = input.pages(DocKind::VehicleLicence, Some(role)).first() {
            c.compare_field(doc, "brand_model", &v.brand_model, &format!("the {role}'s brand and model"), Status::Block);
            if let Some(kg) = c.number_field(doc, "curb_mass_kg") {
                c.expect(within_pct(v.curb_mass_kg.0 as u64, kg, pct), Status::Block, || {
                    format!("the {role}'s declared curb mass {} kg is not within {pct} % of {kg} kg on {}", v.curb_mass_kg.0, doc.file)
                });
            }
        }
        let Some(r) = reg_vehicle(&mut c, input, role, plate) else { continue };
        c.registry("vehicles.brand_model", opt(&r.brand_model));
        c.registry("vehicles.curb_mass_kg", opt(&r.curb_mass_kg));
        c.registry("vehicles.axles", opt(&r.axles));
        let reg_bm = r.brand_model.as_deref().map(normalize::text);
        c.expect(reg_bm.as_deref() == Some(v.brand_model.as_str()), Status::Block, || {
            format!("the registry holds '{}' for the {role} {plate}, the form '{}'", reg_bm.clone().unwrap_or_default(), v.brand_model)
        });
        match r.curb_mass_kg {
            Some(kg) => c.expect(within_pct(v.curb_mass_kg.0 as u64, kg.0 as u64, pct), Status::Block, || {
                format!("the {role}'s declared curb mass {} kg is not within {pct} % of the registry's {} kg", v.curb_mass_kg.0, kg.0)
            }),
            None => c.fail(Status::Block, format!("the registry holds no curb mass for the {role} {plate}")),
        }
        match r.axles {
            Some(n) => c.expect(n == v.axles, Status::Block, || format!("the {role} declares {} axles, the registry {n}", v.axles)),
            None => c.fail(Status::Block, format!("the registry holds no axle count for the {role} {plate}")),
        }
    }
    c.finish("brand, model, curb mass and axles agree with the licences and the registry")
}

/// V5 牵引匹配: the tractor may tow the trailer and its load.
pub fn v5_towing(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "V5", Group::Vehicle, "牵引匹配", "GB 1589-2016 (准牵引总质量)");
    let f = input.form;
    let Some(trailer) = &f.trailer else {
        return c.not_applicable("a rigid truck tows nothing");
    };
    let need = trailer.curb_mass_kg.0 as u64 + f.cargo.mass_kg.0 as u64;
    c.form("trailer.curb_mass_kg", trailer.curb_mass_kg.0);
    c.form("cargo.mass_kg", f.cargo.mass_kg.0);
    let mut known = false;
    if let Some(doc) = input.pages(DocKind::VehicleLicence, Some(Subject::Tractor)).first()
        && let Some(kg) = c.number_field(doc, "towing_mass_kg")
    {
        known = true;
        c.expect(kg >= need, Status::Block, || {
            format!("the tractor's licence allows towing {kg} kg; trailer and cargo weigh {need} kg")
        });
    }
    if !f.tractor.temporary_plate
        && let Some(r) = f.tractor.plate.as_deref().and_then(|p| input.registry.vehicle(p))
    {
        c.registry("vehicles.towing_mass_kg", opt(&r.towing_mass_kg));
        if let Some(kg) = r.towing_mass_kg {
            known = true;
            c.expect(kg.0 as u64 >= need, Status::Block, || {
                format!("the registry allows the tractor to tow {} kg; trailer and cargo weigh {need} kg", kg.0)
            });
        }
    }
    if !known {
        c.fail(Status::Warn, "the tractor's towing capacity is known neither from its licence nor from the registry".to_string());
    }
    c.finish("the tractor may tow the trailer and its load")
}

#[cfg(test)]
mod tests {
    use super::within_pct;

    #[test]
    fn a_tolerance_includes_its_edges() {
        assert!(within_pct(102, 100, 2.0));
        assert!(within_pct(98, 100, 2.0));
        assert!(!within_pct(103, 100, 2.0));
        assert!(within_pct(9384, 9200, 2.0));
        assert!(!within_pct(9385, 9200, 2.0));
    }
}
