//! Cargo 货物情况: G1–G4.

use super::vehicle::within_pct;
use super::{Check, CheckId, Input};
use crate::form::TrailerKind;
use crate::lang::Lang;
use crate::report::{CheckResult, Status};
use crate::tr;

/// G1 不可解体: only an indivisible load may travel over the limit.
pub fn g1_indivisible(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::G1);
    let g = &input.form.cargo;
    c.form("cargo.name", g.name.as_str());
    c.form("cargo.category", g.category.as_str());
    c.form("cargo.indivisible", g.indivisible);
    c.form("cargo.pieces", g.pieces);
    c.expect(g.indivisible, Status::Block, || {
        tr!(l, "货物申报为可解体：应解体运输，不予许可", "the cargo is declared divisible: it must be split, not permitted")
    });
    let list = &input.rules.goods.divisible.value;
    let hit = list.iter().find(|w| g.name.contains(w.as_str()) || g.category.contains(w.as_str()));
    match hit {
        Some(w) => {
            c.rule("divisible", w.as_str());
            let name = &g.name;
            c.fail(
                Status::Block,
                tr!(l, "“{name}”属可解体物品（{w}），不能办理超限运输许可", "'{name}' is divisible goods ({w}) and cannot travel under an over-limit permit"),
            );
        }
        None => c.ok(),
    }
    match g.pieces {
        0 => c.fail(Status::Block, tr!(l, "货物件数（cargo.pieces）至少为1", "cargo.pieces must be at least 1")),
        1 => c.ok(),
        n => c.fail(Status::Warn, tr!(l, "{n}件：只有相同的不可解体物品才能共用一份许可", "{n} pieces: only identical indivisible items may share one permit")),
    }
    c.finish(tr!(l, "货物为单件不可解体物品", "the cargo is a single indivisible item"))
}

/// G2 尺寸质量勾稽: the outline and the total mass add up.
pub fn g2_arithmetic(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::G2);
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
    let (height, cargo_h) = (k.height_mm.0, g.height_mm.0);
    c.expect(height + slack >= deck + cargo_h, Status::Block, || {
        tr!(
            l,
            "车货总高{height} mm小于车板高{deck} mm + 货物高{cargo_h} mm − {slack} mm",
            "the total height {height} mm is less than deck {deck} mm + cargo {cargo_h} mm − {slack} mm"
        )
    });
    c.form("combination.width_mm", k.width_mm.0);
    c.form("cargo.width_mm", g.width_mm.0);
    let (width, cargo_w) = (k.width_mm.0, g.width_mm.0);
    c.expect(width >= cargo_w, Status::Block, || {
        tr!(l, "车货总宽{width} mm小于货物宽{cargo_w} mm", "the total width {width} mm is less than the cargo's {cargo_w} mm")
    });
    let parts = f.tractor.curb_mass_kg.0 as u64 + f.trailer.as_ref().map_or(0, |t| t.curb_mass_kg.0 as u64) + g.mass_kg.0 as u64;
    let pct = t.total_mass_pct.value;
    c.form("combination.total_mass_kg", k.total_mass_kg.0);
    c.form("curb_masses_plus_cargo_kg", parts);
    c.rule("total_mass_pct", pct);
    let total = k.total_mass_kg.0;
    c.expect(within_pct(total as u64, parts, pct), Status::Block, || {
        tr!(
            l,
            "车货总质量{total} kg与整备质量加货物质量{parts} kg相差超过{pct}%",
            "the total mass {total} kg is not within {pct} % of curb masses + cargo = {parts} kg"
        )
    });
    c.finish(tr!(l, "总高、总宽和总质量与车辆和货物相符", "height, width and total mass agree with the vehicles and the cargo"))
}

/// G3 轴荷: one load per axle, adding up to the total, within the axle-load
/// limits of the trailer type.
pub fn g3_axle_loads(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::G3);
    let f = input.form;
    let loads: Vec<u64> = f.combination.axle_loads_kg.iter().map(|k| k.0 as u64).collect();
    let axles = super::route::total_axles(input) as usize;
    c.form("combination.axle_loads_kg", loads.clone());
    c.form("axles", axles);
    if loads.len() != axles {
        let n = loads.len();
        c.fail(Status::Block, tr!(l, "{axles}根轴却申报了{n}个轴荷", "{n} axle loads for {axles} axles"));
        return c.finish("");
    }
    c.ok();
    let sum: u64 = loads.iter().sum();
    let pct = input.rules.tolerances.axle_sum_pct.value;
    c.rule("axle_sum_pct", pct);
    let total = f.combination.total_mass_kg.0;
    c.expect(within_pct(sum, total as u64, pct), Status::Block, || {
        tr!(l, "各轴荷之和为{sum} kg，与总质量{total} kg相差超过{pct}%", "the axle loads add up to {sum} kg, not within {pct} % of the total mass {total} kg")
    });
    let limits = &input.rules.axle_load;
    let (lim, which, name): (_, &[u64], _) = match f.trailer.as_ref().and_then(|t| t.kind.map(|k| (k, t.axles as usize))) {
        Some((TrailerKind::Flatbed | TrailerKind::LowBed, _)) => (&limits.flatbed_low_bed, &loads, tr!(l, "单轴", "per axle")),
        Some((TrailerKind::HydraulicModular, n)) => {
            (&limits.hydraulic_modular, &loads[loads.len() - n.min(loads.len())..], tr!(l, "挂车每轴线", "per trailer axle line"))
        }
        _ => return c.finish(tr!(l, "各轴荷之和与总质量相符", "the axle loads add up to the total mass")),
    };
    c.rule("average_kg", lim.average_kg.0);
    c.rule("max_kg", lim.max_kg.0);
    if !which.is_empty() {
        let total: u64 = which.iter().sum();
        let n = which.len() as u64;
        let (avg, avg_lim, max_lim) = (total / n, lim.average_kg.0, lim.max_kg.0);
        c.expect(total <= avg_lim as u64 * n, Status::Block, || {
            tr!(l, "{name}平均轴荷{avg} kg，超过{avg_lim} kg", "the average load {name} is {avg} kg, over {avg_lim} kg")
        });
        let max = *which.iter().max().expect("non-empty");
        c.expect(max <= max_lim as u64, Status::Block, || {
            tr!(l, "{name}最大轴荷{max} kg，超过{max_lim} kg", "the heaviest load {name} is {max} kg, over {max_lim} kg")
        });
    }
    c.finish(tr!(l, "各轴荷之和相符，且不超过轴荷限值", "the axle loads add up and stay within the axle-load limits"))
}

/// What puts the combination over the Art. 3 limits (empty when nothing does).
pub fn over_limit_reasons(input: &Input, l: Lang) -> Vec<String> {
    let k = &input.form.combination;
    let o = &input.rules.overlimit;
    let mut why = vec![];
    let (h, w, len, m) = (k.height_mm.0, k.width_mm.0, k.length_mm.0, k.total_mass_kg.0);
    let (h_lim, w_lim, len_lim) = (o.height_mm.value.0, o.width_mm.value.0, o.length_mm.value.0);
    if k.height_mm > o.height_mm.value {
        why.push(tr!(l, "高{h} mm > {h_lim} mm", "height {h} mm > {h_lim} mm"));
    }
    if k.width_mm > o.width_mm.value {
        why.push(tr!(l, "宽{w} mm > {w_lim} mm", "width {w} mm > {w_lim} mm"));
    }
    if k.length_mm > o.length_mm.value {
        why.push(tr!(l, "长{len} mm > {len_lim} mm", "length {len} mm > {len_lim} mm"));
    }
    let axles = super::route::total_axles(input);
    let limit = input.rules.gross_mass_limit(axles, input.form.trailer.is_some());
    if k.total_mass_kg > limit {
        let m_lim = limit.0;
        why.push(tr!(l, "总质量{m} kg > {axles}轴限值{m_lim} kg", "total mass {m} kg > {m_lim} kg for {axles} axles"));
    }
    why
}

/// G4 超限认定: the combination really is over a limit; if not, no permit
/// is needed and a clerk should tell the applicant.
pub fn g4_over_limit(input: &Input, l: Lang) -> CheckResult {
    let mut c = Check::new(input, l, CheckId::G4);
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
    let why = over_limit_reasons(input, l);
    if why.is_empty() {
        c.fail(
            Status::Warn,
            tr!(l, "车货未超出第三条任何限值，无需办理超限运输许可", "the combination is within every Art. 3 limit: no over-limit permit is needed"),
        );
        return c.finish("");
    }
    c.ok();
    let why = why.join(tr!(l, "，", ", ").as_str());
    c.finish(tr!(l, "超限：{why}", "over the limit: {why}"))
}
