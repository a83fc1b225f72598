//! Cargo 货物情况: G1–G4.

use super::vehicle::within_pct;
use super::{Check, Input};
use crate::form::TrailerKind;
use crate::report::{CheckResult, Group, Status};

/// G1 不可解体: only an indivisible load may travel over the limit.
pub fn g1_indivisible(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "G1", Group::Cargo, "不可解体", "交通运输部令2016年第62号 第二条 (不可解体物品)");
    let g = &input.form.cargo;
    c.form("cargo.name", g.name.as_str());
    c.form("cargo.category", g.category.as_str());
    c.form("cargo.indivisible", g.indivisible);
    c.form("cargo.pieces", g.pieces);
    c.expect(g.indivisible, Status::Block, || "the cargo is declared divisible: it must be split, not permitted".to_string());
    let list = &input.rules.goods.divisible.value;
    let hit = list.iter().find(|w| g.name.contains(w.as_str()) || g.category.contains(w.as_str()));
    match hit {
        Some(w) => {
            c.rule("divisible", w.as_str());
            c.fail(Status::Block, format!("'{}' is divisible goods ({w}) and cannot travel under an over-limit permit", g.name));
        }
        None => c.ok(),
    }
    match g.pieces {
        0 => c.fail(Status::Block, "cargo.pieces must be at least 1".to_string()),
        1 => c.ok(),
        n => c.fail(Status::Warn, format!("{n} pieces: only identical indivisible items may share one permit")),
    }
    c.finish("the cargo is a single indivisible item")
}

/// G2 尺寸质量勾稽: the outline and the total mass add up.
pub fn g2_arithmetic(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "G2", Group::Cargo, "尺寸质量勾稽", "交通运输部令2016年第62号 (车货总体外廓尺寸)");
    let f = input.form;
    let (k, g) = (&f.combination, &f.cargo);
    let t = &input.rules.tolerances;
    let slack = t.deck_height_slack_mm.value;
    // The cargo sits on the trailer, or on the truck itself.
    let bed = f.trailer.as_ref().unwrap_or(&f.tractor);
    let deck = bed.deck_height_mm.map_or(0, |m| m.0);
    c.form("combination.height_mm", k.height_mm.0);
    c.form("deck_height_mm", deck);
    c.form("cargo.height_mm", g.height_mm.0);
    c.rule("deck_height_slack_mm", slack);
    c.expect(k.height_mm.0 + slack >= deck + g.height_mm.0, Status::Block, || {
        format!(
            "the total height {} mm is less than deck {deck} mm + cargo {} mm − {slack} mm",
            k.height_mm.0, g.height_mm.0
        )
    });
    c.form("combination.width_mm", k.width_mm.0);
    c.form("cargo.width_mm", g.width_mm.0);
    c.expect(k.width_mm >= g.width_mm, Status::Block, || {
        format!("the total width {} mm is less than the cargo's {} mm", k.width_mm.0, g.width_mm.0)
    });
    let parts = f.tractor.curb_mass_kg.0 as u64 + f.trailer.as_ref().map_or(0, |t| t.curb_mass_kg.0 as u64) + g.mass_kg.0 as u64;
    let pct = t.total_mass_pct.value;
    c.form("combination.total_mass_kg", k.total_mass_kg.0);
    c.form("curb_masses_plus_cargo_kg", parts);
    c.rule("total_mass_pct", pct);
    c.expect(within_pct(k.total_mass_kg.0 as u64, parts, pct), Status::Block, || {
        format!("the total mass {} kg is not within {pct} % of curb masses + cargo = {parts} kg", k.total_mass_kg.0)
    });
    c.finish("height, width and total mass agree with the vehicles and the cargo")
}

/// G3 轴荷: one load per axle, adding up to the total, within the axle-load
/// limits of the trailer type.
pub fn g3_axle_loads(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "G3", Group::Cargo, "轴荷", "交通运输部令2016年第62号 第十七条");
    let f = input.form;
    let loads: Vec<u64> = f.combination.axle_loads_kg.iter().map(|k| k.0 as u64).collect();
    let axles = super::route::total_axles(input) as usize;
    c.form("combination.axle_loads_kg", loads.clone());
    c.form("axles", axles);
    if loads.len() != axles {
        c.fail(Status::Block, format!("{} axle loads for {axles} axles", loads.len()));
        return c.finish("");
    }
    c.ok();
    let sum: u64 = loads.iter().sum();
    let pct = input.rules.tolerances.axle_sum_pct.value;
    c.rule("axle_sum_pct", pct);
    c.expect(within_pct(sum, f.combination.total_mass_kg.0 as u64, pct), Status::Block, || {
        format!("the axle loads add up to {sum} kg, not within {pct} % of the total mass {} kg", f.combination.total_mass_kg.0)
    });
    let limits = &input.rules.axle_load;
    let (lim, which, name): (_, &[u64], _) = match f.trailer.as_ref().and_then(|t| t.kind.map(|k| (k, t.axles as usize))) {
        Some((TrailerKind::Flatbed | TrailerKind::LowBed, _)) => (&limits.flatbed_low_bed, &loads, "per axle"),
        Some((TrailerKind::HydraulicModular, n)) => (&limits.hydraulic_modular, &loads[loads.len() - n.min(loads.len())..], "per trailer axle line"),
        _ => return c.finish("the axle loads add up to the total mass"),
    };
    c.rule("average_kg", lim.average_kg.0);
    c.rule("max_kg", lim.max_kg.0);
    if !which.is_empty() {
        let total: u64 = which.iter().sum();
        let n = which.len() as u64;
        c.expect(total <= lim.average_kg.0 as u64 * n, Status::Block, || {
            format!("the average load {name} is {} kg, over {} kg", total / n, lim.average_kg.0)
        });
        let max = *which.iter().max().expect("non-empty");
        c.expect(max <= lim.max_kg.0 as u64, Status::Block, || format!("the heaviest load {name} is {max} kg, over {} kg", lim.max_kg.0));
    }
    c.finish("the axle loads add up and stay within the axle-load limits")
}

/// What puts the combination over the Art. 3 limits (empty when nothing does).
pub fn over_limit_reasons(input: &Input) -> Vec<String> {
    let k = &input.form.combination;
    let o = &input.rules.overlimit;
    let mut why = vec![];
    if k.height_mm > o.height_mm.value {
        why.push(format!("height {} mm > {} mm", k.height_mm.0, o.height_mm.value.0));
    }
    if k.width_mm > o.width_mm.value {
        why.push(format!("width {} mm > {} mm", k.width_mm.0, o.width_mm.value.0));
    }
    if k.length_mm > o.length_mm.value {
        why.push(format!("length {} mm > {} mm", k.length_mm.0, o.length_mm.value.0));
    }
    let axles = super::route::total_axles(input);
    let limit = input.rules.gross_mass_limit(axles, input.form.trailer.is_some());
    if k.total_mass_kg > limit {
        why.push(format!("total mass {} kg > {} kg for {axles} axles", k.total_mass_kg.0, limit.0));
    }
    why
}

/// G4 超限认定: the combination really is over a limit; if not, no permit
/// is needed and a clerk should tell the applicant.
pub fn g4_over_limit(input: &Input) -> CheckResult {
    let mut c = Check::new(input, "G4", Group::Cargo, "超限认定", "交通运输部令2016年第62号 第三条");
    let k = &input.form.combination;
    let o = &input.rules.overlimit;
    c.form("combination.height_mm", k.height_mm.0);
    c.form("combination.width_mm", k.width_mm.0);
    c.form("combination.length_mm", k.length_mm.0);
    c.form("combination.total_mass_kg", k.total_mass_kg.0);
    c.rule("height_mm", o.height_mm.value.0);
    c.rule("width_mm", o.width_mm.value.0);
    c.rule("length_mm", o.length_mm.value.0);
    let axles = super::route::total_axles(input);
    c.rule("gross_mass_kg", input.rules.gross_mass_limit(axles, input.form.trailer.is_some()).0);
    let why = over_limit_reasons(input);
    if why.is_empty() {
        c.fail(Status::Warn, "the combination is within every Art. 3 limit: no over-limit permit is needed".to_string());
        return c.finish("");
    }
    c.ok();
    c.finish(&format!("over the limit: {}", why.join(", ")))
}
