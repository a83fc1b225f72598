//! Layout families of the ID card (居民身份证) beyond the first edition in
//! `mod.rs`.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Family, Style};
use crate::docs::PageDoc;
use crate::fonts::FontId;
use crate::layout::{t, Layout, Op, Rgb, Seg, BLACK};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::IdCard, name: "copy_a4", draw: copy_a4, held_out: false },
    Family { kind: DocKind::IdCard, name: "front_back", draw: front_back, held_out: false },
    Family { kind: DocKind::IdCard, name: "scan_form", draw: scan_form, held_out: true },
];

/// The card's size in its own units; sides are drawn at `s` times this.
const CARD_W: f32 = 856.0;
const CARD_H: f32 = 540.0;

/// How one side of a card is drawn: its colours and fonts.
struct Look {
    bg: Option<Rgb>,
    tint: Option<Rgb>,
    frame: Rgb,
    label: Rgb,
    value: Rgb,
    /// A photocopy: the emblem and the photo in greys, not in colour.
    grey: bool,
    vf: FontId,
    /// Labels letter-spaced with a full-width space (`姓　名`) as the card prints them.
    spaced: bool,
}

/// A field's value as a truth span, or as fixed text when the page prints
/// its truth span elsewhere (`fixed`).
fn seg(l: &Layout, key: &'static str, fixed: &[&str]) -> Seg {
    if fixed.contains(&key) { t(l.printed(key).unwrap_or("").to_string()) } else { Seg::F(key) }
}

fn spaced(lk: &Look, label: &'static str) -> String {
    if lk.spaced && label.chars().count() == 2 {
        label.chars().map(|c| c.to_string()).collect::<Vec<_>>().join("　")
    } else {
        label.to_string()
    }
}

/// A filled circle (the renderer's `Ellipse` is a ring; a ring as wide
/// as its radius fills it, alike in the raster and the PDF).
fn disc(l: &mut Layout, cx: f32, cy: f32, r: f32, color: Rgb) {
    l.op(Op::Ellipse { cx, cy, rx: r / 2.0, ry: r / 2.0, width: r, color });
}

/// The portrait as a photocopy prints it: grey ground, darker head and shoulders.
fn grey_photo(l: &mut Layout, x: f32, y: f32, w: f32, h: f32, bg: Rgb, dark: Rgb) {
    l.op(Op::Fill { x, y, w, h, color: bg });
    // An oval head of three circles.
    for k in [-1.0, 0.0, 1.0] {
        disc(l, x + w / 2.0, y + h * (0.38 + 0.07 * k), w * 0.18, dark);
    }
    let n = 14;
    for i in 0..n {
        let f = i as f32 / n as f32;
        let yy = y + h * (0.64 + 0.36 * f);
        let half = w * (0.16 + 0.3 * f.sqrt());
        l.op(Op::Fill { x: x + w / 2.0 - half, y: yy, w: 2.0 * half, h: h * 0.36 / n as f32 + 1.0, color: dark });
    }
}

/// The national emblem as a photocopy prints it: rings, a star, the gate.
fn grey_emblem(l: &mut Layout, cx: f32, cy: f32, r: f32, c: Rgb) {
    l.op(Op::Ellipse { cx, cy, rx: r, ry: r, width: r * 0.1, color: c });
    l.op(Op::Ellipse { cx, cy, rx: r * 0.82, ry: r * 0.82, width: r * 0.03, color: c });
    let (sx, sy, sr) = (cx, cy - r * 0.28, r * 0.28);
    let pts: Vec<(f32, f32)> = (0..5)
        .map(|i| {
            let a = -std::f32::consts::FRAC_PI_2 + i as f32 * 2.0 * std::f32::consts::PI / 5.0;
            (sx + sr * a.cos(), sy + sr * a.sin())
        })
        .collect();
    for i in 0..5 {
        let (a, b) = (pts[i], pts[(i + 2) % 5]);
        l.op(Op::Line { x0: a.0, y0: a.1, x1: b.0, y1: b.1, width: r * 0.05, color: c });
    }
    for k in 0..4 {
        let ang = -std::f32::consts::PI * (0.12 + 0.1 * k as f32);
        disc(l, cx + r * 0.55 * ang.cos() + r * 0.1, cy - r * 0.15 + r * 0.55 * ang.sin() * 0.6, r * 0.05, c);
    }
    l.op(Op::Fill { x: cx - r * 0.45, y: cy + r * 0.18, w: r * 0.9, h: r * 0.12, color: c });
    l.op(Op::Fill { x: cx - r * 0.35, y: cy + r * 0.36, w: r * 0.7, h: r * 0.06, color: c });
    l.op(Op::Fill { x: cx - r * 0.25, y: cy + r * 0.48, w: r * 0.5, h: r * 0.06, color: c });
}

fn card_ground(l: &mut Layout, x: f32, y: f32, s: f32, lk: &Look, rng: &mut ChaCha8Rng) {
    let (w, h) = (CARD_W * s, CARD_H * s);
    if let Some(bg) = lk.bg {
        l.op(Op::Fill { x, y, w, h, color: bg });
    }
    if let Some(tc) = lk.tint {
        l.op(Op::Tint { x, y, w, h, color: tc, period: rng.random_range(12.0..24.0) * s });
    }
    l.op(Op::Stroke { x, y, w, h, width: 2.0, color: lk.frame });
}

/// The portrait side (人像面) at (x, y), `s` times the card's size. The
/// keys in `fixed` are printed as fixed text (their truth is elsewhere).
/// `alt` moves the labels and the photo as another printing does.
#[allow(clippy::too_many_arguments)]
fn front(l: &mut Layout, x: f32, y: f32, s: f32, lk: &Look, fixed: &[&str], alt: bool, rng: &mut ChaCha8Rng) -> Result<()> {
    card_ground(l, x, y, s, lk, rng);
    let p = |v: f32| v * s;
    let ls = p(20.0).max(18.0);
    let vs = p(27.0);
    let lf = FontId::Sans;
    let (lx, vx) = if alt { (x + p(40.0), x + p(122.0)) } else { (x + p(50.0), x + p(136.0)) };
    let dy = if alt { p(-6.0) } else { 0.0 };
    let lab = |l: &mut Layout, xx: f32, yy: f32, text: &'static str| -> Result<f32> { l.run(xx, yy, lf, ls, lk.label, &[t(spaced(lk, text))]) };
    let mut yb = y + p(88.0) + dy;
    lab(l, lx, yb, "姓名")?;
    let name = seg(l, "name", fixed);
    l.run(vx, yb, lk.vf, vs + p(2.0), lk.value, &[name])?;
    yb += p(62.0);
    lab(l, lx, yb, "性别")?;
    l.run(vx, yb, lk.vf, vs, lk.value, &[Seg::F("sex")])?;
    let ex = if alt { p(236.0) } else { p(250.0) };
    lab(l, x + ex, yb, "民族")?;
    l.run(x + ex + (vx - lx), yb, lk.vf, vs, lk.value, &[Seg::F("ethnicity")])?;
    yb += p(62.0);
    lab(l, lx, yb, "出生")?;
    l.run(vx, yb, lk.vf, vs, lk.value, &[Seg::F("birth_date")])?;
    yb += p(62.0);
    lab(l, lx, yb, "住址")?;
    let addr = seg(l, "address", fixed);
    l.para(vx, yb, p(430.0), 0.0, p(38.0), lk.vf, vs, lk.value, &[addr])?;
    let iy = y + if alt { p(492.0) } else { p(478.0) };
    let idl = l.run(lx, iy, lf, ls, lk.label, &[t("公民身份号码")])?;
    let id = seg(l, "id_number", fixed);
    let idx = (x + p(250.0)).max(idl + p(24.0));
    l.run(idx, iy + p(2.0), FontId::Sans, p(32.0), lk.value, &[id])?;
    let (px, py, pw, ph) = if alt { (x + p(600.0), y + p(50.0), p(215.0), p(270.0)) } else { (x + p(584.0), y + p(64.0), p(222.0), p(280.0)) };
    if lk.grey {
        let g = rng.random_range(205..230u8);
        grey_photo(l, px, py, pw, ph, [g, g, g], [80, 80, 80]);
    } else {
        l.op(Op::Photo { x: px, y: py, w: pw, h: ph });
    }
    Ok(())
}

/// The emblem side (国徽面) at (x, y), `s` times the card's size.
#[allow(clippy::too_many_arguments)]
fn back(l: &mut Layout, x: f32, y: f32, s: f32, lk: &Look, issuer: &str, valid: &str, rng: &mut ChaCha8Rng) -> Result<()> {
    card_ground(l, x, y, s, lk, rng);
    let p = |v: f32| v * s;
    let (ecx, ecy, er) = (x + p(118.0), y + p(122.0), p(74.0));
    if lk.grey {
        grey_emblem(l, ecx, ecy, er, [lk.label[0] / 2 + 40, lk.label[1] / 2 + 40, lk.label[2] / 2 + 40]);
    } else {
        l.op(Op::Emblem { cx: ecx, cy: ecy, r: er });
    }
    // The Great Wall's line along the foot, faint.
    if let Some(tc) = lk.tint {
        let mut px = x + p(20.0);
        let mut py = y + p(350.0);
        while px < x + p(820.0) {
            let nx = px + p(rng.random_range(30.0..60.0));
            let ny = y + p(rng.random_range(320.0..370.0));
            l.op(Op::Line { x0: px, y0: py, x1: nx, y1: ny, width: p(3.0), color: tc });
            (px, py) = (nx, ny);
        }
    }
    let title_c = if lk.grey { lk.value } else { BLACK };
    l.spaced_title(x + p(530.0), y + p(122.0), FontId::SansBold, p(36.0), title_c, "中华人民共和国", p(9.0))?;
    l.spaced_title(x + p(530.0), y + p(222.0), FontId::SansBold, p(54.0), title_c, "居民身份证", p(22.0))?;
    let ls = p(20.0).max(18.0);
    let (lx, vx) = (x + p(150.0), x + p(290.0));
    let vs = super::fit(lk.vf, p(26.0), issuer, p(520.0));
    l.run(lx, y + p(428.0), FontId::Sans, ls, lk.label, &[t("签发机关")])?;
    l.run(vx, y + p(428.0), lk.vf, vs, lk.value, &[t(issuer)])?;
    l.run(lx, y + p(488.0), FontId::Sans, ls, lk.label, &[t("有效期限")])?;
    l.run(vx, y + p(488.0), lk.vf, p(26.0), lk.value, &[t(valid)])?;
    Ok(())
}

/// The issuing police office of an address: `XX市公安局YY分局` for a
/// district, `YY县公安局` for a county or county-level city, else the
/// city's bureau; `None` when the address does not parse.
fn issuer_of(addr: &str) -> Option<String> {
    let muni = ["北京市", "天津市", "上海市", "重庆市"];
    let (city, rest) = if let Some(m) = muni.iter().find(|m| addr.starts_with(**m)) {
        (m.to_string(), &addr[m.len()..])
    } else {
        let after = addr.find('省').map(|i| i + '省'.len_utf8()).or_else(|| addr.find("自治区").map(|i| i + "自治区".len()))?;
        let rest = &addr[after..];
        let chars = |i: usize| rest[..i].chars().count();
        let end = ["市", "自治州", "地区", "盟"].iter().find_map(|k| rest.find(k).map(|i| i + k.len()).filter(|&e| chars(e) >= 2 && chars(e) <= 10))?;
        (rest[..end].to_string(), &rest[end..])
    };
    let county = ["区", "县", "旗", "市"]
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i + k.len(), *k)))
        .filter(|&(e, _)| (2..=6).contains(&rest[..e].chars().count()))
        .min_by_key(|c| c.0);
    Some(match county {
        Some((e, "区")) => format!("{city}公安局{}分局", &rest[..e - "区".len()]),
        Some((e, _)) => format!("{}公安局", &rest[..e]),
        None => format!("{city}公安局"),
    })
}

fn issuer(l: &Layout, rng: &mut ChaCha8Rng) -> String {
    l.printed("address").and_then(issuer_of).unwrap_or_else(|| pick(rng, &["市公安局", "县公安局", "公安局"]).to_string())
}

/// The card's validity as the back prints it: `2016.05.12-2036.05.12`,
/// ten or twenty years, or 长期.
fn validity(rng: &mut ChaCha8Rng) -> String {
    let (y, m, d) = (rng.random_range(2008..2025), rng.random_range(1..13u32), rng.random_range(1..29u32));
    let from = format!("{y}.{m:02}.{d:02}");
    match rng.random_range(0..10) {
        0 => format!("{from}-长期"),
        1..=4 => format!("{from}-{}.{m:02}.{d:02}", y + 20),
        _ => format!("{from}-{}.{m:02}.{d:02}", y + 10),
    }
}

fn value_font(st: &Style) -> FontId {
    if st.value == FontId::Kai { FontId::Sans } else { st.value }
}

/// A photocopy look: greys, with or without the card's ground showing.
fn grey_look(st: &Style, rng: &mut ChaCha8Rng) -> Look {
    let g = rng.random_range(70..120u8);
    let v = rng.random_range(15..50u8);
    let bg = rng.random_range(226..244u8);
    let f = rng.random_range(110..170u8);
    Look {
        bg: rng.random_bool(0.6).then_some([bg, bg, bg]),
        tint: rng.random_bool(0.5).then_some([bg - 18, bg - 18, bg - 18]),
        frame: [f, f, f],
        label: [g, g, g],
        value: [v, v, v],
        grey: true,
        vf: value_font(st),
        spaced: rng.random_bool(0.5),
    }
}

/// The usual photocopy of an ID card on A4 portrait (1240×1754): the
/// portrait side in the upper half, the emblem side in the lower half,
/// both at the card's proportions enlarged, in greys; often a line such
/// as 仅供……使用，他用无效 in light grey written between or under them.
/// Varies: size and offset of the copies, the card's ground showing or
/// not, letter-spaced labels, the note and its place.
fn copy_a4(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let paper = *pick(rng, &[[255, 255, 255], [250, 250, 250], [246, 246, 244]]);
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    let lk = grey_look(st, rng);
    let s = rng.random_range(0.9..1.08);
    let (cw, ch) = (CARD_W * s, CARD_H * s);
    let x1 = (w - cw) / 2.0 + rng.random_range(-60.0..60.0);
    let y1 = rng.random_range(130.0..230.0);
    let x2 = (w - cw) / 2.0 + rng.random_range(-60.0..60.0);
    let y2 = rng.random_range(940.0f32..1000.0).min(h - ch - 80.0);
    front(&mut l, x1, y1, s, &lk, &[], false, rng)?;
    let iss = issuer(&l, rng);
    back(&mut l, x2, y2, s, &lk, &iss, &validity(rng), rng)?;
    if rng.random_bool(0.6) {
        let note = *pick(rng, &["仅供大件运输许可申请使用，他用无效", "仅供办理超限运输许可使用，他用无效", "此复印件仅供大件运输许可申请使用", "与原件一致，仅供本次申请使用"]);
        let g = rng.random_range(150..190u8);
        let size = rng.random_range(34.0..46.0);
        let yb = if rng.random_bool(0.6) { (y1 + ch + y2) / 2.0 + size * 0.35 } else { (y2 + ch + h) / 2.0 + size * 0.35 };
        let size = super::fit(FontId::Sans, size, note, w - 160.0);
        l.run_centered(w / 2.0, yb, FontId::Sans, size, [g, g, g], &[t(note)])?;
    }
    Ok((l, "copy_a4".into()))
}

/// Both sides of the card scanned side by side on a landscape page
/// (~2100×700), in colour, with a small gap: the portrait side arranged
/// as another printing of the card (labels further left, photo higher,
/// another label colour), the emblem side with the emblem, the issuing
/// office and the validity. Varies: ground colours, label colour,
/// letter-spaced labels, which side comes first, the gap.
fn front_back(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let gap = rng.random_range(24.0..60.0);
    let s = rng.random_range(1.12..1.2);
    let (cw, ch) = (CARD_W * s, CARD_H * s);
    let m = 30.0;
    let (w, h) = ((2.0 * m + 2.0 * cw + gap).ceil(), (ch + 2.0 * m + rng.random_range(0.0..30.0)).ceil());
    let paper = *pick(rng, &[[255, 255, 255], [244, 244, 242], [236, 238, 240]]);
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    let bg = *pick(rng, &[[232, 240, 244], [236, 242, 236], [240, 238, 232], [234, 236, 244]]);
    let lk = Look {
        bg: Some(bg),
        tint: Some([bg[0] - 22, bg[1] - 14, bg[2] - 10]),
        frame: [170, 180, 190],
        label: *pick(rng, &[[30, 120, 170], [70, 110, 150], [110, 90, 60], [60, 130, 140]]),
        value: BLACK,
        grey: false,
        vf: value_font(st),
        spaced: rng.random_bool(0.6),
    };
    let y = (h - ch) / 2.0;
    let (fx, bx) = if rng.random_bool(0.8) { (m, m + cw + gap) } else { (m + cw + gap, m) };
    front(&mut l, fx, y, s, &lk, &[], true, rng)?;
    let iss = issuer(&l, rng);
    back(&mut l, bx, y, s, &lk, &iss, &validity(rng), rng)?;
    Ok((l, "front_back".into()))
}

/// An ID card copy pasting form (身份证复印件粘贴单), a **held-out
/// family**: on A4 portrait a title, a ruled box 正面 holding a grey copy
/// of the portrait side and one 反面 holding the emblem side, then a
/// filled-in table (姓名, 公民身份号码, …), a signature line and a date.
/// The name and the number are printed once as truth: in the table or on
/// the card, the other copy as fixed text. Varies: title, labels in a
/// column at the left of the box or above the card, which copy carries
/// the truth, the table's extra rows, a handwritten signature or none.
fn scan_form(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = super::a4(doc, rng);
    let line = *pick(rng, &[BLACK, [60, 60, 60], st.line]);
    let title = *pick(rng, &["身份证复印件粘贴单", "经办人身份证明", "身份证复印件", "经办人身份证复印件"]);
    l.run_centered(w / 2.0, 140.0, FontId::SansBold, 46.0, BLACK, &[t(title)])?;
    let (bx, bw) = (110.0, w - 220.0);
    let side_col = rng.random_bool(0.5);
    let s = rng.random_range(0.84..0.9);
    let (cw, ch) = (CARD_W * s, CARD_H * s);
    let rh = ch + if side_col { 44.0 } else { 84.0 };
    let y0 = 200.0;
    let lk = grey_look(st, rng);
    let on_card = rng.random_bool(0.5);
    let card_fixed: &[&str] = if on_card { &[] } else { &["name", "id_number"] };
    let iss = issuer(&l, rng);
    let valid = validity(rng);
    for (i, (side, long)) in [("正面", "身份证正面（人像面）"), ("反面", "身份证反面（国徽面）")].into_iter().enumerate() {
        let ry = y0 + i as f32 * rh;
        l.op(Op::Stroke { x: bx, y: ry, w: bw, h: rh, width: 2.0, color: line });
        let (cx, cy) = if side_col {
            let colw = 110.0;
            l.op(Op::Line { x0: bx + colw, y0: ry, x1: bx + colw, y1: ry + rh, width: 2.0, color: line });
            let mut chs = side.chars();
            let (a, b) = (chs.next().unwrap().to_string(), chs.next().unwrap().to_string());
            l.run_centered(bx + colw / 2.0, ry + rh / 2.0 - 10.0, st.label, 30.0, BLACK, &[t(a)])?;
            l.run_centered(bx + colw / 2.0, ry + rh / 2.0 + 40.0, st.label, 30.0, BLACK, &[t(b)])?;
            (bx + colw + (bw - colw - cw) / 2.0, ry + (rh - ch) / 2.0)
        } else {
            l.run(bx + 20.0, ry + 44.0, st.label, 26.0, BLACK, &[t(long)])?;
            (bx + (bw - cw) / 2.0, ry + 64.0)
        };
        if i == 0 {
            front(&mut l, cx, cy, s, &lk, card_fixed, false, rng)?;
        } else {
            back(&mut l, cx, cy, s, &lk, &iss, &valid, rng)?;
        }
    }
    // The table under the box.
    let table_fixed: &[&str] = if on_card { &["name", "id_number"] } else { &[] };
    let mut ty = y0 + 2.0 * rh + 30.0;
    let th = 64.0;
    let (a, b, c2) = (200.0, 300.0, 220.0);
    let d = bw - a - b - c2;
    let sz = st.size;
    let cellr = |l: &mut Layout, x: f32, y: f32, cw: f32, segs: &[Seg], label: bool| -> Result<()> {
        l.op(Op::Stroke { x, y, w: cw, h: th, width: 1.5, color: line });
        let (f, c) = if label { (st.label, st.label_color) } else { (st.value, st.value_color) };
        let text = l.text_of(segs);
        let size = super::fit(f, if label { sz * 0.95 } else { sz }, &text, cw - 16.0);
        l.run(x + 10.0, y + th / 2.0 + size * 0.36, f, size, c, segs)?;
        Ok(())
    };
    let name = seg(&l, "name", table_fixed);
    let id = seg(&l, "id_number", table_fixed);
    cellr(&mut l, bx, ty, a, &[t("姓　　名")], true)?;
    cellr(&mut l, bx + a, ty, b, &[name], false)?;
    cellr(&mut l, bx + a + b, ty, c2, &[t("公民身份号码")], true)?;
    cellr(&mut l, bx + a + b + c2, ty, d, &[id], false)?;
    ty += th;
    let extra = *pick(rng, &[("联系电话", "与申请单位关系"), ("身　　份", "联系电话"), ("经办事项", "联系电话")]);
    cellr(&mut l, bx, ty, a, &[t(extra.0)], true)?;
    let v0 = match extra.0 {
        "联系电话" => format!("1{}{:09}", rng.random_range(3..10), rng.random_range(0..1_000_000_000u64)),
        "经办事项" => "大件运输许可申请".into(),
        _ => (*pick(rng, &["委托代理人", "经办人"])).into(),
    };
    cellr(&mut l, bx + a, ty, b, &[t(v0)], false)?;
    cellr(&mut l, bx + a + b, ty, c2, &[t(extra.1)], true)?;
    let v1 = match extra.1 {
        "联系电话" => format!("1{}{:09}", rng.random_range(3..10), rng.random_range(0..1_000_000_000u64)),
        _ => (*pick(rng, &["受托人", "本单位员工", "委托代理人"])).into(),
    };
    cellr(&mut l, bx + a + b + c2, ty, d, &[t(v1)], false)?;
    ty += th;
    // Signature and date.
    let sy = ty + 80.0;
    let x = l.run(bx + 10.0, sy, st.label, sz, BLACK, &[t(*pick(rng, &["经办人签字：", "本人签字：", "签字："]))])?;
    l.op(Op::Line { x0: x + 5.0, y0: sy + 8.0, x1: x + 260.0, y1: sy + 8.0, width: 1.2, color: line });
    if rng.random_bool(0.6) {
        let sig = l.printed("name").unwrap_or("").to_string();
        l.run(x + 40.0, sy - 4.0, FontId::Kai, sz + 10.0, [30, 30, 90], &[t(sig)])?;
    }
    let date = crate::docs::fmt_date(
        chrono::NaiveDate::from_ymd_opt(rng.random_range(2025..2027), rng.random_range(1..13), rng.random_range(1..29)).expect("a date"),
        *pick(rng, &[0u8, 3]),
    );
    let dx = l.run(w - 560.0, sy, st.label, sz, BLACK, &[t("日期：")])?;
    l.run(dx, sy, st.value, sz, st.value_color, &[t(date)])?;
    debug_assert!(sy < h - 60.0);
    Ok((l, "scan_form".into()))
}

#[cfg(test)]
mod tests {
    use super::issuer_of;

    #[test]
    fn the_issuing_office_is_made_from_the_address() {
        assert_eq!(issuer_of("河北省石家庄市桥西区中山路12号").as_deref(), Some("石家庄市公安局桥西分局"));
        assert_eq!(issuer_of("河北省保定市定兴县建设路8号").as_deref(), Some("定兴县公安局"));
        assert_eq!(issuer_of("北京市朝阳区建国路1号").as_deref(), Some("北京市公安局朝阳分局"));
        assert_eq!(issuer_of("浙江省杭州市余杭区文一西路9号").as_deref(), Some("杭州市公安局余杭分局"));
        assert_eq!(issuer_of("不是地址"), None);
    }
}
