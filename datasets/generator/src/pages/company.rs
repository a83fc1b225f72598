//! Layout families of the company's documents (营业执照, 道路运输经营许可证)
//! beyond the first edition and the printout in `mod.rs`.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Family, Style};
use crate::docs::PageDoc;
use crate::fonts::FontId;
use crate::layout::{t, Layout, Op, Seg, BLACK, GREY, WHITE};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::BusinessLicence, name: "portrait_2014", draw: bl_portrait, held_out: false },
    Family { kind: DocKind::BusinessLicence, name: "gsxt", draw: bl_gsxt, held_out: true },
    Family { kind: DocKind::OperatingPermit, name: "original", draw: op_original, held_out: false },
    Family { kind: DocKind::OperatingPermit, name: "license_query", draw: op_query, held_out: true },
];

/// The 2014–2016 portrait edition of the business licence (副本 or 正本 on
/// A4 portrait): emblem and spaced title, the credit code under it, then
/// one column of spaced labels, 营业期限 as 成立日期 至 期限, 登记机关 with
/// its seal at the foot; no QR code. Varies: frame colour, 副本/正本,
/// the order of two pairs of rows, label column width, leading.
fn bl_portrait(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = super::new_layout(doc, w as u32, h as u32, *pick(rng, &[[252, 250, 244], [250, 246, 236], [248, 248, 244]]));
    let frame = *pick(rng, &[[176, 120, 60], [150, 40, 40], [60, 90, 140]]);
    l.op(Op::Stroke { x: 36.0, y: 36.0, w: w - 72.0, h: h - 72.0, width: 10.0, color: frame });
    l.op(Op::Stroke { x: 58.0, y: 58.0, w: w - 116.0, h: h - 116.0, width: 2.0, color: frame });
    l.op(Op::Emblem { cx: w / 2.0, cy: 170.0, r: 66.0 });
    l.spaced_title(w / 2.0, 340.0, FontId::SansBold, 76.0, BLACK, "营业执照", 36.0)?;
    let copy = if rng.random_bool(0.7) { "（副　本）" } else { "（正　本）" };
    l.run_centered(w / 2.0, 396.0, st.label, 26.0, BLACK, &[t(copy)])?;
    let sz = st.size + 3.0;
    l.run(120.0, 470.0, st.label, sz * 0.9, BLACK, &[t("统一社会信用代码　"), Seg::F("uscc")])?;
    let lx = 150.0;
    let vx = lx + rng.random_range(190.0..240.0);
    let max_w = w - vx - 140.0;
    let lead = rng.random_range(60.0..72.0);
    let est = l.printed("established_date").unwrap_or("").to_string();
    let mut rows: Vec<(&str, Vec<Seg>)> = vec![
        ("名　　称", vec![Seg::F("company_name")]),
        ("类　　型", vec![Seg::F("company_type")]),
        ("住　　所", vec![Seg::F("address")]),
        ("法定代表人", vec![Seg::F("legal_representative")]),
        ("注册资本", vec![Seg::F("registered_capital")]),
        ("成立日期", vec![Seg::F("established_date")]),
        ("营业期限", vec![t(est), t(" 至 "), Seg::F("term_until")]),
    ];
    if rng.random_bool(0.5) {
        rows.swap(1, 2);
    }
    if rng.random_bool(0.5) {
        rows.swap(3, 4);
    }
    let mut y = 580.0;
    for (label, segs) in &rows {
        let next = l.labelled(lx, vx, y, max_w, sz * 1.45, (label, st.label, sz, BLACK), (segs, st.value, sz, st.value_color))?;
        y = next + lead - sz * 1.45;
    }
    l.labelled(lx, vx, y, max_w, sz * 1.45, ("经营范围", st.label, sz, BLACK), (&[Seg::F("business_scope")], st.value, sz * 0.9, st.value_color))?;
    let auth = doc.authority();
    let issued = doc.extra.get("issued").cloned().unwrap_or_default();
    l.run(760.0, 1470.0, st.label, 28.0, BLACK, &[t("登记机关")])?;
    l.seal(900.0, 1500.0, 100.0, FontId::Sans, &auth, "")?;
    l.run(800.0, 1600.0, st.label, 26.0, BLACK, &[t(issued)])?;
    Ok((l, "portrait_2014".into()))
}

/// A printout of the company's page in the national enterprise credit
/// information publicity system (国家企业信用信息公示系统, www.gsxt.gov.cn):
/// a blue site band, the name large with its status tag, then 基础信息 as a
/// two-column grid of label：value pairs, address and scope across the
/// page, the print date and URL at the foot. Varies: the band's blue, the
/// order of grid rows, grid rules or none.
fn bl_gsxt(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = super::new_layout(doc, w as u32, h as u32, [255, 255, 255]);
    let band = *pick(rng, &[[22, 92, 170], [30, 80, 150], [18, 110, 190]]);
    l.run(40.0, 36.0, FontId::Sans, 16.0, GREY, &[t("企业信用信息")])?;
    l.op(Op::Fill { x: 0.0, y: 56.0, w, h: 110.0, color: band });
    l.run(60.0, 126.0, FontId::SansBold, 36.0, WHITE, &[t("国家企业信用信息公示系统")])?;
    l.run(w - 330.0, 124.0, FontId::Sans, 18.0, WHITE, &[t("National Enterprise Credit")])?;
    let sz = st.size;
    let name_sz = super::fit(FontId::SansBold, 36.0, l.printed("company_name").unwrap_or(""), w - 360.0);
    let after = l.run(60.0, 250.0, FontId::SansBold, name_sz, BLACK, &[Seg::F("company_name")])?;
    let tag = *pick(rng, &["存续（在营、开业、在册）", "存续", "在业"]);
    let tx = (after + 20.0).min(w - 300.0);
    l.op(Op::Stroke { x: tx, y: 222.0, w: 26.0 + 18.0 * tag.chars().count() as f32, h: 38.0, width: 1.5, color: [40, 150, 80] });
    l.run(tx + 12.0, 249.0, FontId::Sans, 18.0, [40, 150, 80], &[t(tag)])?;
    l.run(60.0, 300.0, FontId::Sans, 18.0, GREY, &[t("统一社会信用代码："), t(l.printed("uscc").unwrap_or("").to_string())])?;
    l.op(Op::Fill { x: 60.0, y: 340.0, w: 8.0, h: 34.0, color: band });
    l.run(80.0, 368.0, FontId::SansBold, 26.0, BLACK, &[t("基础信息")])?;
    let name = l.printed("company_name").unwrap_or("").to_string();
    let est = l.printed("established_date").unwrap_or("").to_string();
    let auth = doc.authority();
    let issued = doc.extra.get("issued").cloned().unwrap_or_default();
    let mut grid: Vec<[(&str, Vec<Seg>); 2]> = vec![
        [("统一社会信用代码", vec![Seg::F("uscc")]), ("企业名称", vec![t(name)])],
        [("类型", vec![Seg::F("company_type")]), ("法定代表人", vec![Seg::F("legal_representative")])],
        [("注册资本", vec![Seg::F("registered_capital")]), ("成立日期", vec![Seg::F("established_date")])],
        [("营业期限自", vec![t(est)]), ("营业期限至", vec![Seg::F("term_until")])],
        [("登记机关", vec![t(auth)]), ("核准日期", vec![t(issued)])],
    ];
    if rng.random_bool(0.5) {
        grid.swap(1, 2);
    }
    let rules = rng.random_bool(0.6);
    let (c1, c2) = (60.0, w / 2.0 + 10.0);
    let col_w = w / 2.0 - 90.0;
    let rh = rng.random_range(78.0..92.0);
    let mut y = 450.0;
    for row in &grid {
        if rules {
            l.op(Op::Line { x0: 60.0, y0: y - rh * 0.55, x1: w - 60.0, y1: y - rh * 0.55, width: 1.0, color: [220, 220, 224] });
        }
        for ((label, segs), x) in row.iter().zip([c1, c2]) {
            let label = format!("{label}：");
            let lw = crate::fonts::width(st.label, sz * 0.9, &label);
            l.run(x, y, st.label, sz * 0.9, GREY, &[t(label)])?;
            let text = l.text_of(segs);
            let vs = super::fit(st.value, sz, &text, col_w - lw - 10.0);
            l.run(x + lw + 6.0, y, st.value, vs, BLACK, segs)?;
        }
        y += rh;
    }
    for (label, key, size) in [("住所", "address", sz), ("经营范围", "business_scope", sz * 0.9)] {
        if rules {
            l.op(Op::Line { x0: 60.0, y0: y - rh * 0.55, x1: w - 60.0, y1: y - rh * 0.55, width: 1.0, color: [220, 220, 224] });
        }
        let label = format!("{label}：");
        let lw = crate::fonts::width(st.label, sz * 0.9, &label);
        let next = l.labelled(c1, c1 + lw + 6.0, y, w - 2.0 * c1 - lw - 10.0, size * 1.5, (&label, st.label, sz * 0.9, GREY), (&[Seg::F(key)], st.value, size, BLACK))?;
        y = next + rh - size * 1.5;
    }
    l.op(Op::Line { x0: 40.0, y0: h - 110.0, x1: w - 40.0, y1: h - 110.0, width: 1.0, color: [200, 200, 200] });
    let printed = format!("打印时间：{}", doc.extra.get("issued").map(String::as_str).unwrap_or(""));
    l.run(60.0, h - 70.0, FontId::Sans, 16.0, GREY, &[t("https://www.gsxt.gov.cn/corp-query-entprise-info.html")])?;
    l.run(w - 380.0, h - 70.0, FontId::Sans, 16.0, GREY, &[t(printed)])?;
    Ok((l, "gsxt".into()))
}

/// The 正本 of the road transport operating permit, A4 landscape: no
/// table, a decorative double frame, the permit number top right, then
/// 业户名称 / 地址 / 经营范围 / 有效期 as "label：value" lines, the
/// authority and its seal lower right, 交通运输部监制 at the foot. Varies:
/// frame colour, the number's label, line spacing, 地址 before or after
/// 经营范围.
fn op_original(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1754.0, 1240.0);
    let mut l = super::new_layout(doc, w as u32, h as u32, *pick(rng, &[[252, 250, 244], [248, 246, 238]]));
    let frame = *pick(rng, &[[60, 100, 160], [150, 110, 50], [40, 110, 90]]);
    l.op(Op::Stroke { x: 40.0, y: 40.0, w: w - 80.0, h: h - 80.0, width: 12.0, color: frame });
    l.op(Op::Stroke { x: 66.0, y: 66.0, w: w - 132.0, h: h - 132.0, width: 2.0, color: frame });
    l.op(Op::Tint { x: 70.0, y: 70.0, w: w - 140.0, h: 130.0, color: [232, 236, 244], period: 34.0 });
    l.op(Op::Emblem { cx: w / 2.0, cy: 170.0, r: 60.0 });
    l.spaced_title(w / 2.0, 330.0, FontId::SansBold, 64.0, BLACK, "道路运输经营许可证", 14.0)?;
    let sz = st.size + 6.0;
    let num_label = *pick(rng, &["编号：", "许可证号：", "鲁交运管许可 "]);
    let num_label = if num_label.starts_with('鲁') { "证号：" } else { num_label };
    let text = format!("{num_label}{}", l.printed("permit_number").unwrap_or(""));
    let nx = w - 160.0 - crate::fonts::width(st.label, sz * 0.85, &text);
    l.run(nx, 420.0, st.label, sz * 0.85, BLACK, &[t(num_label), Seg::F("permit_number")])?;
    let (lx, vx) = (200.0, 200.0 + rng.random_range(190.0..230.0));
    let max_w = w - vx - 220.0;
    let lead = rng.random_range(78.0..92.0);
    let mut rows: Vec<(&str, Vec<Seg>, f32)> = vec![
        ("业户名称：", vec![Seg::F("company_name")], sz),
        ("地　　址：", vec![Seg::F("address")], sz),
        ("经营范围：", vec![Seg::F("business_scope")], sz * 0.9),
        ("有 效 期：", vec![Seg::F("valid_from"), t(" 至 "), Seg::F("valid_until")], sz),
    ];
    if rng.random_bool(0.5) {
        rows.swap(1, 2);
    }
    let mut y = 520.0;
    for (label, segs, size) in &rows {
        let next = l.labelled(lx, vx, y, max_w, size * 1.45, (label, st.label, sz, BLACK), (segs, st.value, *size, st.value_color))?;
        y = next + lead - size * 1.45;
    }
    let auth = doc.authority();
    l.run(1120.0, 1010.0, st.label, sz, BLACK, &[t("发证机关（章）")])?;
    l.run(1120.0, 1060.0, st.label, sz * 0.9, BLACK, &[t(auth.clone())])?;
    l.seal(1280.0, 1000.0, 100.0, FontId::Sans, &auth, "行政许可专用章")?;
    l.run_centered(w / 2.0, h - 90.0, FontId::Sans, 18.0, GREY, &[t("中华人民共和国交通运输部监制")])?;
    Ok((l, "original".into()))
}

/// A printout of a provincial operating-permit query (政务服务网 道路运输
/// 经营许可信息查询), A4 portrait: a coloured site band, a result table with
/// the labels as column headers and the values in one row beneath, wrapped
/// in their cells, then the address and the authority as details, the
/// print date and URL at the foot. Varies: band colour, column widths,
/// shaded header or not.
fn op_query(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = super::new_layout(doc, w as u32, h as u32, [255, 255, 255]);
    let band = *pick(rng, &[[20, 100, 170], [170, 40, 40], [30, 120, 110]]);
    l.op(Op::Fill { x: 0.0, y: 0.0, w, h: 120.0, color: band });
    l.run(50.0, 78.0, FontId::SansBold, 34.0, WHITE, &[t(*pick(rng, &["山东省政务服务网", "交通运输政务服务平台", "道路运输政务服务"]))])?;
    l.run_centered(w / 2.0, 200.0, FontId::SansBold, 32.0, BLACK, &[t("道路运输经营许可信息查询")])?;
    l.op(Op::Stroke { x: 160.0, y: 240.0, w: 760.0, h: 50.0, width: 1.5, color: [180, 180, 190] });
    l.run(176.0, 274.0, FontId::Sans, 20.0, GREY, &[t("请输入许可证号或业户名称")])?;
    l.op(Op::Fill { x: 940.0, y: 240.0, w: 140.0, h: 50.0, color: band });
    l.run(976.0, 274.0, FontId::Sans, 22.0, WHITE, &[t("查询")])?;
    l.run(60.0, 350.0, FontId::Sans, 20.0, BLACK, &[t("查询结果：共1条")])?;
    let sz = st.size - 2.0;
    let cols: [(&str, Vec<Seg>, f32); 6] = [
        ("序号", vec![t("1")], 70.0),
        ("许可证号", vec![Seg::F("permit_number")], rng.random_range(230.0..260.0)),
        ("业户名称", vec![Seg::F("company_name")], rng.random_range(230.0..260.0)),
        ("经营范围", vec![Seg::F("business_scope")], 250.0),
        ("有效期起", vec![Seg::F("valid_from")], 140.0),
        ("有效期止", vec![Seg::F("valid_until")], 140.0),
    ];
    let total: f32 = cols.iter().map(|c| c.2).sum();
    let scale = (w - 100.0) / total;
    let shaded = rng.random_bool(0.6);
    let (y0, hh) = (380.0, 56.0);
    let line = [170, 170, 180];
    // Values first, to know how tall the row is.
    let mut x = 50.0;
    let mut bottom: f32 = y0 + hh + 60.0;
    let mut boxes = vec![];
    for (label, segs, cw) in &cols {
        let cw = cw * scale;
        if shaded {
            l.op(Op::Fill { x, y: y0, w: cw, h: hh, color: [236, 240, 246] });
        }
        l.run(x + 10.0, y0 + 37.0, st.label, 20.0, BLACK, &[t(*label)])?;
        let next = l.para(x + 10.0, y0 + hh + 40.0, cw - 20.0, 0.0, sz * 1.4, st.value, sz, BLACK, segs)?;
        bottom = bottom.max(next);
        boxes.push((x, cw));
        x += cw;
    }
    let row_h = bottom - (y0 + hh) - sz * 0.6;
    for (x, cw) in boxes {
        l.op(Op::Stroke { x, y: y0, w: cw, h: hh, width: 1.0, color: line });
        l.op(Op::Stroke { x, y: y0 + hh, w: cw, h: row_h, width: 1.0, color: line });
    }
    let mut y = y0 + hh + row_h + 90.0;
    l.op(Op::Fill { x: 50.0, y: y - 30.0, w: 8.0, h: 34.0, color: band });
    l.run(70.0, y, FontId::SansBold, 24.0, BLACK, &[t("许可详情")])?;
    y += 70.0;
    let auth = doc.authority();
    let lab = (st.label, sz, GREY);
    y = l.labelled(70.0, 250.0, y, w - 330.0, sz * 1.5, ("经营地址：", lab.0, lab.1, lab.2), (&[Seg::F("address")], st.value, sz, BLACK))?;
    y += 30.0;
    l.labelled(70.0, 250.0, y, w - 330.0, sz * 1.5, ("许可机关：", lab.0, lab.1, lab.2), (&[t(auth)], st.value, sz, BLACK))?;
    l.run(50.0, h - 60.0, FontId::Sans, 16.0, GREY, &[t("本页面信息仅供查询参考，以许可机关核发的证件为准")])?;
    l.run(w - 300.0, h - 60.0, FontId::Sans, 16.0, GREY, &[t("第 1 页 / 共 1 页")])?;
    Ok((l, "license_query".into()))
}
