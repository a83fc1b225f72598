//! Layout families of the vehicle's documents (行驶证, 道路运输证) beyond
//! the first edition and the printout in `mod.rs`.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Family, Style};
use crate::docs::PageDoc;
use crate::fonts::{self, FontId};
use crate::layout::{t, Layout, Op, Rgb, Seg, BLACK, GREY, RED, WHITE};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::VehicleLicence, name: "app_screen", draw: vl_app_screen, held_out: false },
    Family { kind: DocKind::VehicleLicence, name: "a4_copy", draw: vl_a4_copy, held_out: true },
    Family { kind: DocKind::RoadTransportCertificate, name: "ic_card", draw: rtc_ic_card, held_out: false },
    Family { kind: DocKind::RoadTransportCertificate, name: "paper", draw: rtc_paper, held_out: true },
];

/// The licence's rows in the card's order, main page then secondary page,
/// without the fields this page lacks (a trailer has no engine number …).
fn vl_rows(l: &Layout, st: &Style) -> (Vec<(&'static str, Vec<Seg>)>, Vec<(&'static str, Vec<Seg>)>) {
    let (main, sub) = super::vehicle_licence_rows(st);
    let has = |segs: &Vec<Seg>| segs.iter().all(|s| !matches!(s, Seg::F(k) if !l.has(k)));
    (main.into_iter().filter(|r| has(&r.1)).collect(), sub.into_iter().filter(|r| has(&r.1)).collect())
}

/// The 电子行驶证 of the 交管12123 phone app, as a screenshot: status and
/// navigation bars, a coloured header with the plate large, then white
/// panels on light grey (车辆信息, 技术参数) with one row per field, the
/// label above its value or left of it, and a QR code panel. Varies: the
/// label's place, rules between rows, colours, sizes, which panel first.
fn vl_app_screen(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let w = 1080.0;
    let bg = *pick(rng, &[[242, 243, 247], [238, 240, 244], [245, 245, 245]]);
    let mut l = super::new_layout(doc, w as u32, 4000, bg);
    let accent: Rgb = *pick(rng, &[[38, 110, 230], [22, 96, 196], [20, 140, 120]]);
    let label_c: Rgb = *pick(rng, &[[128, 128, 136], [110, 112, 120]]);
    let vf = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    let above = rng.random_bool(0.5);
    let rules = rng.random_bool(0.6);
    let (ls, vs) = (rng.random_range(28.0..32.0), rng.random_range(34.0..38.0));
    l.op(Op::Fill { x: 0.0, y: 0.0, w, h: 170.0, color: WHITE });
    l.run(40.0, 50.0, FontId::SansBold, 26.0, BLACK, &[t(format!("{}:{:02}", rng.random_range(7..23), rng.random_range(0..60)))])?;
    l.run(w - 150.0, 50.0, FontId::Sans, 24.0, BLACK, &[t(format!("5G {}%", rng.random_range(20..100)))])?;
    l.run(40.0, 130.0, FontId::Sans, 36.0, BLACK, &[t("<")])?;
    l.run_centered(w / 2.0, 130.0, FontId::SansBold, 36.0, BLACK, &[t("电子行驶证")])?;
    l.op(Op::Fill { x: 36.0, y: 200.0, w: w - 72.0, h: 300.0, color: accent });
    l.run(90.0, 280.0, FontId::SansBold, 40.0, WHITE, &[t("机动车行驶证")])?;
    l.run(90.0, 330.0, FontId::Sans, 24.0, WHITE, &[t("中华人民共和国机动车行驶证电子凭证")])?;
    l.run(90.0, 440.0, FontId::SansBold, 64.0, WHITE, &[Seg::F("plate_number")])?;
    let (mut main, sub) = vl_rows(&l, st);
    main.remove(0); // the plate stands in the header, printed once
    let mut panels = vec![("车辆信息", main), ("技术参数", sub)];
    if rng.random_bool(0.3) {
        panels.swap(0, 1);
    }
    let mut y = 540.0;
    let (px, pw) = (36.0, w - 72.0);
    for (title, rows) in &panels {
        let from = l.ops.len();
        let top = y;
        y += 70.0;
        l.op(Op::Fill { x: px + 30.0, y: y - 32.0, w: 8.0, h: 36.0, color: accent });
        l.run(px + 52.0, y, FontId::SansBold, 32.0, BLACK, &[t(*title)])?;
        y += 30.0;
        for (label, segs) in rows {
            y += if above { ls + 30.0 } else { vs + 34.0 };
            let vx = if above {
                l.run(px + 50.0, y, st.label, ls, label_c, &[t(*label)])?;
                y += vs + 22.0;
                px + 50.0
            } else {
                l.run(px + 50.0, y, st.label, ls, label_c, &[t(*label)])?;
                px + 330.0
            };
            let max_w = px + pw - 40.0 - vx;
            y = l.para(vx, y, max_w, 0.0, vs * 1.4, vf, vs, BLACK, segs)? - vs * 1.4;
            if rules {
                l.op(Op::Line { x0: px + 50.0, y0: y + 26.0, x1: px + pw - 40.0, y1: y + 26.0, width: 1.0, color: [225, 225, 230] });
            }
            y += 14.0;
        }
        y += 50.0;
        l.ops.insert(from, Op::Fill { x: px, y: top, w: pw, h: y - top, color: WHITE });
        y += 30.0;
    }
    l.run_centered(w / 2.0, y + 40.0, FontId::Sans, 24.0, GREY, &[t("电子行驶证与纸质行驶证具有同等效力")])?;
    // A long screenshot: as tall as the panels.
    l.height = (y + 90.0) as u32;
    Ok((l, "app_screen".into()))
}

/// A grey photocopy on A4 of an older edition of the card, main page above
/// the secondary page: each value in a box of a three-column grid with its
/// label printed small at the box's top left (not label|value cells), the
/// secondary page's boxes in another order than the first edition's, a
/// "复印件与原件一致" note and the owner's seal. Varies: greys, box height,
/// the note's place, the grid's column of the long values.
fn vl_a4_copy(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let paper = *pick(rng, &[[236, 236, 234], [228, 228, 226], [242, 242, 240]]);
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    let ink: Rgb = *pick(rng, &[[40, 40, 40], [60, 60, 60], [30, 30, 34]]);
    let line: Rgb = *pick(rng, &[[90, 90, 90], [120, 120, 120]]);
    let (plate_main, mut sub) = vl_rows(&l, st);
    sub.reverse();
    // The plate is the main page's field; the secondary page repeats it.
    let plate = l.printed("plate_number").unwrap_or("").to_string();
    let sub_rows: Vec<(&str, Vec<Seg>)> = std::iter::once(("号牌号码", vec![t(plate)])).chain(sub).collect();
    let bh = rng.random_range(92.0..104.0);
    let (x0, gw) = (90.0, w - 180.0);
    let cw = gw / 3.0;
    let mut y = 120.0;
    for (title, rows) in [("中华人民共和国机动车行驶证", plate_main), ("机动车行驶证副页", sub_rows)] {
        l.run_centered(w / 2.0, y + 40.0, FontId::SansBold, 34.0, ink, &[t(title)])?;
        y += 70.0;
        let top = y;
        let mut col = 0;
        for (label, segs) in &rows {
            let text = l.text_of(segs);
            // Long values take the whole row.
            let span = if fonts::width(st.value, st.size, &text) > cw - 30.0 { 3 } else { 1 };
            if col + span > 3 {
                col = 0;
                y += bh;
            }
            let x = x0 + col as f32 * cw;
            let bw = cw * span as f32;
            l.op(Op::Stroke { x, y, w: bw, h: bh, width: 1.5, color: line });
            l.run(x + 10.0, y + 26.0, st.label, 18.0, ink, &[t(*label)])?;
            let vs = super::fit(st.value, st.size, &text, bw - 30.0);
            l.run(x + 16.0, y + bh - 24.0, st.value, vs, ink, segs)?;
            col += span;
            if col >= 3 {
                col = 0;
                y += bh;
            }
        }
        if col > 0 {
            y += bh;
        }
        l.op(Op::Stroke { x: x0 - 8.0, y: top - 8.0, w: gw + 16.0, h: y - top + 16.0, width: 2.5, color: line });
        y += 70.0;
    }
    let owner = l.printed("owner").unwrap_or("").to_string();
    let ny = (y + 60.0).min(h - 160.0);
    l.run(x0 + 40.0, ny, FontId::Kai, 34.0, [30, 30, 90], &[t("复印件与原件一致")])?;
    l.seal(w - 300.0, ny - 20.0, 95.0, FontId::Sans, &owner, "")?;
    Ok((l, "a4_copy".into()))
}

/// The IC-card edition of the road transport certificate: front and back
/// of a small card side by side or stacked on one page. Front: title,
/// number, operator, plate, type, tonnage, size, a chip; back: permit
/// number, scope, dates, authority and seal. Small labels left of values,
/// no rules. Varies: arrangement, card colour, label wordings, sizes.
fn rtc_ic_card(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (cw, ch) = (1012.0, 638.0);
    let side = rng.random_bool(0.5);
    let (w, h) = if side { (2.0 * cw + 90.0, ch + 60.0) } else { (cw + 60.0, 2.0 * ch + 90.0) };
    let mut l = super::new_layout(doc, w as u32, h as u32, [250, 250, 250]);
    let (fx, fy) = (30.0, 30.0);
    let (bx, by) = if side { (fx + cw + 30.0, fy) } else { (fx, fy + ch + 30.0) };
    let card = *pick(rng, &[[226, 238, 248], [236, 244, 232], [246, 238, 226]]);
    for (x, y) in [(fx, fy), (bx, by)] {
        l.op(Op::Fill { x, y, w: cw, h: ch, color: card });
        l.op(Op::Tint { x, y, w: cw, h: ch, color: [card[0] - 14, card[1] - 10, card[2] - 12], period: rng.random_range(16.0..28.0) });
    }
    let lab_c: Rgb = *pick(rng, &[[40, 70, 150], [60, 60, 70], [30, 90, 110]]);
    let (ls, vs) = (20.0, (st.size).clamp(22.0, 26.0));
    let vf = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    l.run_centered(fx + cw / 2.0, fy + 60.0, FontId::SansBold, 32.0, BLACK, &[t("中华人民共和国道路运输证")])?;
    l.op(Op::Fill { x: fx + 50.0, y: fy + 110.0, w: 90.0, h: 70.0, color: [200, 170, 80] });
    l.op(Op::Stroke { x: fx + 50.0, y: fy + 110.0, w: 90.0, h: 70.0, width: 1.5, color: [120, 100, 40] });
    let lx = fx + 180.0;
    let vx = lx + 140.0;
    let mut y = fy + 140.0;
    let front: Vec<(&str, Vec<Seg>)> = vec![
        ("证　　号", vec![Seg::F("certificate_number")]),
        (super::word(st, "业户名称"), vec![Seg::F("operator_name")]),
        (super::word(st, "车辆号牌"), vec![Seg::F("plate_number")]),
        ("车辆类型", vec![Seg::F("vehicle_type")]),
        ("吨(座)位", vec![Seg::F("tonnage_kg")]),
        ("外廓尺寸", vec![Seg::F("length_mm"), t("×"), Seg::F("width_mm"), t("×"), Seg::F("height_mm"), t("mm")]),
    ];
    for (label, segs) in &front {
        l.run(lx, y, st.label, ls, lab_c, &[t(*label)])?;
        let text = l.text_of(segs);
        let size = super::fit(vf, vs, &text, fx + cw - 40.0 - vx);
        l.run(vx, y, vf, size, BLACK, segs)?;
        y += 72.0;
    }
    let auth = doc.authority();
    let mut y = by + 90.0;
    let lx = bx + 60.0;
    let vx = lx + 170.0;
    for (label, segs) in [
        ("经营许可证号", vec![Seg::F("operating_permit_number")]),
        ("经营范围", vec![Seg::F("business_scope")]),
        ("发证日期", vec![Seg::F("issue_date")]),
        ("有效期至", vec![Seg::F("valid_until")]),
        ("发证机关", vec![t(auth.clone())]),
    ] {
        l.run(lx, y, st.label, ls, lab_c, &[t(label)])?;
        y = l.para(vx, y, bx + cw - 60.0 - vx, 0.0, vs * 1.4, vf, vs, BLACK, &segs)? - vs * 1.4 + 80.0;
    }
    l.seal(bx + cw - 190.0, by + ch - 150.0, 80.0, FontId::Sans, &auth, "道路运输证专用章")?;
    l.run(bx + 60.0, by + ch - 40.0, FontId::Sans, 16.0, GREY, &[t("本证须随车携带，不得转借、涂改")])?;
    Ok((l, "ic_card".into()))
}

/// The paper edition of the road transport certificate, a **held-out
/// family**: drawn only by `dataset generate --held-out-families`, never
/// in training, so the bench can tell reading a layout from remembering
/// it. No table: label：value lines in two columns, in another order, the
/// number in red at the top right, a double frame.
fn rtc_paper(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 860.0);
    let paper = *pick(rng, &[[250, 248, 240], [248, 246, 236]]);
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    l.op(Op::Stroke { x: 24.0, y: 24.0, w: w - 48.0, h: h - 48.0, width: 4.0, color: st.line });
    l.op(Op::Stroke { x: 36.0, y: 36.0, w: w - 72.0, h: h - 72.0, width: 1.5, color: st.line });
    l.run_centered(w / 2.0, 110.0, FontId::SansBold, 44.0, BLACK, &[t("道路运输证")])?;
    l.run(w - 470.0, 170.0, st.label, st.size * 0.9, RED, &[t("No. "), Seg::F("certificate_number")])?;
    let (lx, rx, lead) = (90.0, 660.0, 74.0);
    let label = |s: &'static str| t(format!("{s}："));
    let mut y = 250.0;
    l.run(lx, y, st.value, st.size, st.value_color, &[label("业户名称"), Seg::F("operator_name")])?;
    y += lead;
    l.run(lx, y, st.value, st.size, st.value_color, &[label("经营许可证号"), Seg::F("operating_permit_number")])?;
    y += lead;
    l.run(lx, y, st.value, st.size, st.value_color, &[label("车辆号牌"), Seg::F("plate_number")])?;
    l.run(rx, y, st.value, st.size, st.value_color, &[label("车辆类型"), Seg::F("vehicle_type")])?;
    y += lead;
    l.run(lx, y, st.value, st.size, st.value_color, &[label("吨(座)位"), Seg::F("tonnage_kg")])?;
    l.run(rx, y, st.value, st.size * 0.9, st.value_color, &[label("经营范围"), Seg::F("business_scope")])?;
    y += lead;
    l.run(lx, y, st.value, st.size, st.value_color, &[label("车辆尺寸(mm)"), Seg::F("length_mm"), t("×"), Seg::F("width_mm"), t("×"), Seg::F("height_mm")])?;
    y += lead;
    l.run(lx, y, st.value, st.size, st.value_color, &[label("发证日期"), Seg::F("issue_date")])?;
    l.run(rx, y, st.value, st.size, st.value_color, &[label("有效期至"), Seg::F("valid_until")])?;
    let auth = doc.authority();
    l.run(rx, y + 1.6 * lead, st.label, st.size, st.label_color, &[t(format!("核发机关：{auth}"))])?;
    l.seal(rx + 330.0, y + 1.3 * lead, 80.0, FontId::Sans, &auth, "道路运输证专用章")?;
    Ok((l, "paper".into()))
}

