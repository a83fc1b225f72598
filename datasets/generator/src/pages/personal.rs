//! Layout families of the drivers' documents (驾驶证, 从业资格证) beyond the first
//! edition and the printout in `mod.rs`.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Family, Style};
use crate::docs::PageDoc;
use crate::fonts::{self, FontId};
use crate::layout::{t, Layout, Op, Rgb, Seg, BLACK, GREY, WHITE};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::DrivingLicence, name: "app_screen", draw: dl_app_screen, held_out: false },
    Family { kind: DocKind::DrivingLicence, name: "a4_copy", draw: dl_a4_copy, held_out: true },
    Family { kind: DocKind::QualificationCertificate, name: "ic_card", draw: qc_ic_card, held_out: false },
    Family { kind: DocKind::QualificationCertificate, name: "query_printout", draw: qc_query_printout, held_out: true },
];

/// How many lines `para` wraps `text` into in `max_w` (the same greedy rule).
fn wrap_lines(font: FontId, size: f32, text: &str, max_w: f32) -> usize {
    let adv = fonts::advances(font, size, text);
    let (mut n, mut w) = (0, f32::INFINITY);
    for a in adv {
        if w + a > max_w {
            n += 1;
            w = 0.0;
        }
        w += a;
    }
    n.max(1)
}

/// A QR-code-like block: three finder squares and random modules.
fn qr(l: &mut Layout, x: f32, y: f32, size: f32, color: Rgb, rng: &mut ChaCha8Rng) {
    let n = 25;
    let c = size / n as f32;
    let finder = |i: usize, j: usize| (i < 7 && j < 7) || (i >= n - 7 && j < 7) || (i < 7 && j >= n - 7);
    for i in 0..n {
        for j in 0..n {
            let on = if finder(i, j) {
                let (a, b) = (if i >= n - 7 { i - (n - 7) } else { i }, if j >= n - 7 { j - (n - 7) } else { j });
                a == 0 || a == 6 || b == 0 || b == 6 || ((2..=4).contains(&a) && (2..=4).contains(&b))
            } else if (i == 7 || j == 7) && (i < 8 || j < 8) || (i == n - 8 && j < 8) || (j == n - 8 && i < 8) {
                false
            } else {
                rng.random_bool(0.48)
            };
            if on {
                l.op(Op::Fill { x: x + i as f32 * c, y: y + j as f32 * c, w: c + 0.3, h: c + 0.3, color });
            }
        }
    }
}

/// Fills a panel under what has been drawn since op `from` (the panel's
/// height is known only after its text).
fn panel_under(l: &mut Layout, from: usize, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
    l.ops.insert(from, Op::Fill { x, y, w, h, color });
}

/// A portrait as a photocopy shows it, in greys: filled head and shoulders
/// (concentric rings), the shoulders' lower half covered by `behind`, the
/// colour under the photo (nothing is printed there).
fn grey_photo(l: &mut Layout, x: f32, y: f32, w: f32, h: f32, bg: Rgb, fg: Rgb, behind: Rgb) {
    l.op(Op::Fill { x, y, w, h, color: bg });
    let blob = |l: &mut Layout, cx: f32, cy: f32, rx: f32, ry: f32| {
        let mut k = 0.0;
        while rx - k > 0.5 && ry - k > 0.5 {
            l.op(Op::Ellipse { cx, cy, rx: rx - k, ry: ry - k, width: 2.6, color: fg });
            k += 1.8;
        }
    };
    blob(l, x + w / 2.0, y + h * 0.38, w * 0.2, h * 0.17);
    blob(l, x + w / 2.0, y + h, w * 0.42, h * 0.3);
    l.op(Op::Fill { x: x - 2.0, y: y + h, w: w + 4.0, h: h * 0.32, color: behind });
}

/// The years between two field values (`YYYY-MM-DD` truth), for "（6年）".
fn years_between(doc: &PageDoc, from: &str, until: &str) -> Option<i32> {
    let y = |k: &str| doc.values.get(k)?.value.as_str()?.get(..4)?.parse::<i32>().ok();
    let (a, b) = (y(from)?, y(until)?);
    (b > a).then_some(b - a)
}

// ------------------------------------------------------------ 驾驶证

/// The 电子驾驶证 of the 交管12123 phone app, as a screenshot: a tall
/// phone page with a status bar, a navigation bar, a coloured header panel
/// (电子驾驶证, the holder's name large, the photo), then white panels on
/// light grey with one row per field, a 状态/记分 line and a panel with the
/// QR code the police scan. Varies: label left of its value or above it
/// (short fields then two to a row), thin rules between rows or none, which
/// of the header and the 姓名 row carries the name, colours, font sizes.
/// No English labels: the app prints none.
fn dl_app_screen(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let w = 1080.0;
    let bg = *pick(rng, &[[242, 243, 247], [238, 240, 244], [245, 245, 245], [240, 242, 246]]);
    let mut l = super::new_layout(doc, w as u32, 2400, bg);
    let accent: Rgb = *pick(rng, &[[38, 110, 230], [22, 96, 196], [30, 120, 210], [46, 98, 180]]);
    let dark: Rgb = [30, 30, 34];
    let label_c: Rgb = *pick(rng, &[[128, 128, 136], [110, 112, 120], [140, 140, 140]]);
    let vf = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    let above = rng.random_bool(0.5);
    let rules = rng.random_bool(0.6);
    let ls = rng.random_range(28.0..32.0);
    let vs = rng.random_range(33.0..37.0);
    // Status bar and navigation bar.
    let white_bar = rng.random_bool(0.5);
    let (bar, bar_ink) = if white_bar { (WHITE, dark) } else { (accent, WHITE) };
    l.op(Op::Fill { x: 0.0, y: 0.0, w, h: 170.0, color: bar });
    let clock = format!("{}:{:02}", rng.random_range(7..23), rng.random_range(0..60));
    l.run(44.0, 46.0, FontId::SansBold, 28.0, bar_ink, &[t(clock)])?;
    let battery = format!("5G  {}%", rng.random_range(20..100));
    let bw = fonts::width(FontId::Sans, 26.0, &battery);
    l.run(w - 44.0 - bw, 46.0, FontId::Sans, 26.0, bar_ink, &[t(battery)])?;
    l.run(40.0, 132.0, FontId::Sans, 44.0, bar_ink, &[t("<")])?;
    l.run_centered(w / 2.0, 132.0, FontId::SansBold, 38.0, bar_ink, &[t("电子驾驶证")])?;
    let share = *pick(rng, &["分享", "说明", "更多"]);
    let sw = fonts::width(FontId::Sans, 30.0, share);
    l.run(w - 44.0 - sw, 130.0, FontId::Sans, 30.0, bar_ink, &[t(share)])?;
    // Header panel: title, name large, photo.
    let (px, pw) = (36.0, w - 72.0);
    let (hy, hh) = (196.0, 380.0);
    l.op(Op::Fill { x: px, y: hy, w: pw, h: hh, color: accent });
    let light = [accent[0].saturating_add(30), accent[1].saturating_add(30), accent[2].saturating_add(20)];
    l.op(Op::Tint { x: px, y: hy + hh - 90.0, w: pw, h: 90.0, color: light, period: rng.random_range(40.0..70.0) });
    l.run(px + 44.0, hy + 72.0, FontId::SansBold, 44.0, WHITE, &[t("电子驾驶证")])?;
    l.run(px + 44.0, hy + 120.0, FontId::Sans, 26.0, [225, 235, 250], &[t("中华人民共和国机动车驾驶证")])?;
    let name_in_header = rng.random_bool(0.5);
    if name_in_header {
        l.run(px + 44.0, hy + 232.0, FontId::SansBold, 64.0, WHITE, &[Seg::F("name")])?;
    } else {
        let name = l.printed("name").unwrap_or("").to_string();
        l.run(px + 44.0, hy + 232.0, FontId::SansBold, 64.0, WHITE, &[t(name)])?;
    }
    let status = *pick(rng, &["状态：正常", "驾驶证状态：正常", "状态：正常　记分：0分"]);
    let status_in_header = rng.random_bool(0.5);
    if status_in_header {
        l.run(px + 44.0, hy + 320.0, FontId::Sans, 30.0, WHITE, &[t(status)])?;
    }
    super::photo(&mut l, px + pw - 44.0 - 200.0, hy + 60.0, 200.0, 260.0);
    let mut y = hy + hh + 32.0;

    // Field rows. `short` rows may share a line when labels sit above values.
    struct Item {
        label: &'static str,
        segs: Vec<Seg>,
        short: bool,
    }
    let item = |label, segs, short| Item { label, segs, short };
    let mut basic = vec![item("证号", vec![Seg::F("licence_number")], false)];
    if !name_in_header {
        basic.push(item("姓名", vec![Seg::F("name")], true));
    }
    basic.push(item("性别", vec![Seg::F("sex")], true));
    basic.push(item("国籍", vec![Seg::F("nationality")], true));
    basic.push(item("出生日期", vec![Seg::F("birth_date")], true));
    basic.push(item("住址", vec![Seg::F("address")], false));
    let mut lic = vec![
        item("准驾车型", vec![Seg::F("permitted_class")], true),
        item("初次领证日期", vec![Seg::F("first_issue_date")], true),
        item("有效期限", vec![Seg::F("valid_from"), t(" 至 "), Seg::F("valid_until")], false),
    ];
    if !status_in_header {
        let (lab, val) = status.split_once('：').unwrap_or(("状态", "正常"));
        let lab: &'static str = if lab == "状态" { "状态" } else { "驾驶证状态" };
        lic.push(item(lab, vec![t(val.to_string())], true));
    }
    if rng.random_bool(0.5) {
        lic.swap(0, 1);
    }
    let titles = *pick(rng, &[("基本信息", "驾驶证信息"), ("持证人信息", "准驾信息"), ("个人信息", "证件信息")]);
    let lx = px + 40.0;
    let vx = lx + rng.random_range(250.0..290.0);
    let right = px + pw - 40.0;
    for (title, items) in [(titles.0, basic), (titles.1, lic)] {
        let from = l.ops.len();
        let top = y;
        l.op(Op::Fill { x: lx, y: y + 30.0, w: 8.0, h: 36.0, color: accent });
        l.run(lx + 24.0, y + 62.0, FontId::SansBold, 34.0, dark, &[t(title)])?;
        y += 86.0;
        let mut i = 0;
        let mut first = true;
        while i < items.len() {
            if rules && !first {
                l.op(Op::Line { x0: lx, y0: y, x1: right, y1: y, width: 1.0, color: [226, 226, 230] });
            }
            first = false;
            if above {
                // Label above, value below; two short fields side by side.
                let pair = items[i].short && i + 1 < items.len() && items[i + 1].short;
                let n = if pair { 2 } else { 1 };
                let col = (right - lx) / n as f32;
                let mut end = y;
                for k in 0..n {
                    let it = &items[i + k];
                    let x = lx + k as f32 * col;
                    l.run(x, y + ls + 16.0, st.label, ls, label_c, &[t(it.label)])?;
                    let e = l.para(x, y + ls + 16.0 + vs * 1.45, col - 20.0, 0.0, vs * 1.3, vf, vs, dark, &it.segs)?;
                    end = end.max(e);
                }
                y = end - vs * 1.3 + 30.0;
                i += n;
            } else {
                let it = &items[i];
                let base = y + 22.0 + vs;
                l.run(lx, base, st.label, ls, label_c, &[t(it.label)])?;
                let e = l.para(vx, base, right - vx, 0.0, vs * 1.3, vf, vs, dark, &it.segs)?;
                y = e - vs * 1.3 + 28.0;
                i += 1;
            }
        }
        y += 16.0;
        panel_under(&mut l, from, px, top, pw, y - top, WHITE);
        y += 28.0;
    }
    // The QR panel.
    let from = l.ops.len();
    let top = y;
    let note = *pick(rng, &["出示二维码，供执法人员扫码核验", "请向执法人员出示此二维码", "扫描二维码核验电子驾驶证"]);
    l.run_centered(w / 2.0, y + 60.0, FontId::Sans, 30.0, dark, &[t(note)])?;
    let qs = 260.0;
    qr(&mut l, (w - qs) / 2.0, y + 90.0, qs, dark, rng);
    let refresh = *pick(rng, &["二维码每分钟自动刷新", "点击刷新二维码", "二维码有效期1分钟"]);
    l.run_centered(w / 2.0, y + 90.0 + qs + 50.0, FontId::Sans, 26.0, label_c, &[t(refresh)])?;
    y += 90.0 + qs + 80.0;
    panel_under(&mut l, from, px, top, pw, y - top, WHITE);
    y += 50.0;
    l.run_centered(w / 2.0, y, FontId::Sans, 24.0, label_c, &[t("电子驾驶证与纸质驾驶证具有同等法律效力")])?;
    l.height = (y + 50.0).max(2100.0) as u32;
    Ok((l, "app_screen".into()))
}

/// A photocopy on A4 portrait of the paper driving licence, main page above
/// its 副页, in greys on grey paper: another arrangement than the first
/// edition, a **held-out family**. The main page is a ruled two-column
/// table (label column | value column, one field a row) with the photo
/// beside it; the validity is two rows, 有效起始日期 and 有效期至 (or 有效期限,
/// sometimes with the term in years after the date), as the 2004 and 2008
/// editions print it. The 副页 has the number and name again, a fixed
/// 档案编号 and the 记录 lines. Varies: label column width, row height, spaced
/// labels, photo left or right, a 与原件一致 note in brush hand, greys.
fn dl_a4_copy(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let g = rng.random_range(214..234u8);
    let paper = [g, g, g.saturating_sub(2)];
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    let k = rng.random_range(40..80u8);
    let ink = [k, k, k];
    let lab_ink = [k + 10, k + 10, k + 10];
    let rule = [k + 30, k + 30, k + 30];
    let card_g = g.saturating_sub(rng.random_range(8..20));
    let card = [card_g, card_g, card_g];
    let spaced = rng.random_bool(0.5);
    let sp = |s: &'static str| -> String {
        if spaced && s.chars().count() == 2 {
            s.chars().map(|c| c.to_string()).collect::<Vec<_>>().join("　　")
        } else {
            s.to_string()
        }
    };
    let vsz = st.size + 2.0;
    let lsz = st.size * 0.92;
    let (x0, cw) = (100.0, w - 200.0);
    let y0 = rng.random_range(80.0..120.0);
    // Main page.
    let rh = rng.random_range(56.0..64.0);
    let rh_one = rh;
    let lw = rng.random_range(200.0..236.0);
    let photo_left = rng.random_bool(0.35);
    let (photo_w, photo_h) = (200.0, 260.0);
    let tx = if photo_left { x0 + 40.0 + photo_w + 30.0 } else { x0 + 40.0 };
    let vw = cw - 80.0 - photo_w - 30.0 - lw;
    let mut until = vec![Seg::F("valid_until")];
    if let Some(n) = years_between(doc, "valid_from", "valid_until").filter(|_| rng.random_bool(0.5)) {
        until.push(t(format!("（{n}年）")));
    }
    let until_label = if rng.random_bool(0.5) { "有效期至" } else { "有效期限" };
    let mut rows: Vec<(String, Vec<Seg>)> = vec![
        (sp("证号"), vec![Seg::F("licence_number")]),
        (sp("姓名"), vec![Seg::F("name")]),
        (sp("性别"), vec![Seg::F("sex")]),
        (sp("国籍"), vec![Seg::F("nationality")]),
        (sp("住址"), vec![Seg::F("address")]),
        ("出生日期".into(), vec![Seg::F("birth_date")]),
        ("初次领证日期".into(), vec![Seg::F("first_issue_date")]),
        ("准驾车型".into(), vec![Seg::F("permitted_class")]),
        ("有效起始日期".into(), vec![Seg::F("valid_from")]),
        (until_label.into(), until),
    ];
    if rng.random_bool(0.5) {
        rows.swap(2, 3);
    }
    let heights: Vec<f32> = rows
        .iter()
        .map(|(_, segs)| {
            let n = wrap_lines(st.value, vsz, &l.text_of(segs), vw - 20.0);
            rh + (n as f32 - 1.0) * vsz * 1.3
        })
        .collect();
    let table_h: f32 = heights.iter().sum();
    let card_h = 110.0 + table_h + 110.0;
    l.op(Op::Fill { x: x0, y: y0, w: cw, h: card_h, color: card });
    l.op(Op::Stroke { x: x0, y: y0, w: cw, h: card_h, width: 2.0, color: rule });
    l.run_centered(w / 2.0, y0 + 70.0, FontId::SansBold, 38.0, ink, &[t("中华人民共和国机动车驾驶证")])?;
    let mut y = y0 + 110.0;
    let ty = y;
    for ((label, segs), rh) in rows.iter().zip(&heights) {
        l.op(Op::Stroke { x: tx, y, w: lw, h: *rh, width: 1.5, color: rule });
        l.op(Op::Stroke { x: tx + lw, y, w: vw, h: *rh, width: 1.5, color: rule });
        let ls = super::fit(st.label, lsz, label, lw - 24.0);
        let base = y + rh_one * 0.5 + vsz * 0.35;
        l.run(tx + 14.0, base, st.label, ls, lab_ink, &[t(label.clone())])?;
        l.para(tx + lw + 12.0, base, vw - 20.0, 0.0, vsz * 1.3, st.value, vsz, ink, segs)?;
        y += rh;
    }
    l.op(Op::Stroke { x: tx, y: ty, w: lw + vw, h: table_h, width: 3.0, color: rule });
    let phx = if photo_left { x0 + 40.0 } else { tx + lw + vw + 30.0 };
    let pg = card_g.saturating_sub(rng.random_range(10..30));
    grey_photo(&mut l, phx, ty, photo_w, photo_h, [pg, pg, pg], [k + 20, k + 20, k + 20], card);
    let auth = doc.authority();
    let auth_s = super::fit(st.label, lsz, &format!("发证机关：{auth}"), cw - 80.0);
    l.run(x0 + 40.0, y + 62.0, st.label, auth_s, lab_ink, &[t(format!("发证机关：{auth}"))])?;
    // 副页.
    let sy = y0 + card_h + rng.random_range(40.0..70.0);
    let srh = rh;
    let lines = [
        *pick(rng, &["本记分周期内无记分记录", "累积记分：0分", "记分周期内记分：0分"]),
        *pick(rng, &["审验记录：已审验", "审验情况：合格", "审验有效期内"]),
        *pick(rng, &["换证记录：--", "补证记录：无", "注销记录：无"]),
    ];
    let sh = 100.0 + 3.0 * srh + srh * 2.4 + 40.0;
    l.op(Op::Fill { x: x0, y: sy, w: cw, h: sh, color: card });
    l.op(Op::Stroke { x: x0, y: sy, w: cw, h: sh, width: 2.0, color: rule });
    l.run_centered(w / 2.0, sy + 64.0, FontId::SansBold, 34.0, ink, &[t("中华人民共和国机动车驾驶证副页")])?;
    let file_no: String = (0..12).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect();
    let number = l.printed("licence_number").unwrap_or("").to_string();
    let name = l.printed("name").unwrap_or("").to_string();
    let (stx, slw) = (x0 + 40.0, lw);
    let svw = cw - 80.0 - slw;
    let mut y = sy + 100.0;
    let srows: Vec<(String, String, f32)> = vec![
        (sp("证号"), number, srh),
        (sp("姓名"), name, srh),
        ("档案编号".into(), file_no, srh),
        (sp("记录"), String::new(), srh * 2.4),
    ];
    for (label, value, rh) in srows {
        l.op(Op::Stroke { x: stx, y, w: slw, h: rh, width: 1.5, color: rule });
        l.op(Op::Stroke { x: stx + slw, y, w: svw, h: rh, width: 1.5, color: rule });
        let base = y + srh * 0.5 + vsz * 0.35;
        l.run(stx + 14.0, base, st.label, lsz, lab_ink, &[t(label)])?;
        if value.is_empty() {
            for (i, text) in lines.iter().enumerate() {
                l.run(stx + slw + 12.0, base + i as f32 * vsz * 1.35, st.value, vsz * 0.9, ink, &[t(*text)])?;
            }
        } else {
            l.run(stx + slw + 12.0, base, st.value, vsz, ink, &[t(value)])?;
        }
        y += rh;
    }
    if rng.random_bool(0.6) {
        let note = *pick(rng, &["复印件与原件一致", "此复印件与原件相符", "仅供办理大件运输许可使用"]);
        let ny = (sy + sh + 110.0).min(h - 60.0);
        l.run(w - 140.0 - fonts::width(FontId::Kai, 40.0, note), ny, FontId::Kai, 40.0, [k + 5, k + 5, k + 5], &[t(note)])?;
    }
    Ok((l, "a4_copy".into()))
}

// ------------------------------------------------------------ 从业资格证

/// A chip's contact plate.
fn chip(l: &mut Layout, x: f32, y: f32, w: f32, h: f32) {
    let gold = [212, 176, 96];
    let edge = [150, 120, 60];
    l.op(Op::Fill { x, y, w, h, color: gold });
    l.op(Op::Stroke { x, y, w, h, width: 2.0, color: edge });
    l.op(Op::Line { x0: x, y0: y + h / 3.0, x1: x + w, y1: y + h / 3.0, width: 1.5, color: edge });
    l.op(Op::Line { x0: x, y0: y + 2.0 * h / 3.0, x1: x + w, y1: y + 2.0 * h / 3.0, width: 1.5, color: edge });
    l.op(Op::Line { x0: x + w * 0.35, y0: y, x1: x + w * 0.35, y1: y + h, width: 1.5, color: edge });
    l.op(Op::Line { x0: x + w * 0.65, y0: y, x1: x + w * 0.65, y1: y + h, width: 1.5, color: edge });
    l.op(Op::Stroke { x: x + w * 0.35, y: y + h / 3.0, w: w * 0.3, h: h / 3.0, width: 1.5, color: edge });
}

/// The IC-card edition of the 从业资格证 (issued from 2013 on): a bank-card
/// sized card, front and back on one page, side by side or stacked. Front:
/// the long title, the photo, 姓名 / 性别 / 证号 / 从业资格类别 as small
/// labels left of their values, no rules, the chip. Back: 初领日期 (or
/// 发证日期), 有效期至, 发证机关 with its seal, and the holder's notes.
/// Varies: arrangement, photo side, the number's label, colours, sizes.
fn qc_ic_card(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (cw, ch) = (1012.0, 638.0);
    let side = rng.random_bool(0.5);
    let m = 30.0;
    let (w, h) = if side { (2.0 * cw + 3.0 * m, ch + 2.0 * m) } else { (cw + 2.0 * m, 2.0 * ch + 3.0 * m) };
    let mut l = super::new_layout(doc, w as u32, h as u32, *pick(rng, &[[250, 250, 250], [244, 244, 242], [236, 238, 240]]));
    let (fx, fy) = (m, m);
    let (bx, by) = if side { (2.0 * m + cw, m) } else { (m, 2.0 * m + ch) };
    let bg: Rgb = *pick(rng, &[[226, 238, 248], [232, 244, 236], [244, 238, 226], [236, 236, 246]]);
    let lab_c: Rgb = *pick(rng, &[[60, 90, 140], [70, 70, 80], [40, 100, 120]]);
    let vf = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    let ls = rng.random_range(21.0..24.0);
    let vs = rng.random_range(28.0..32.0);
    // Front.
    super::card_base(&mut l, fx, fy, cw, ch, bg, rng);
    let title = "中华人民共和国道路运输从业人员从业资格证";
    let ts = super::fit(FontId::SansBold, 34.0, title, cw - 80.0);
    l.run_centered(fx + cw / 2.0, fy + 74.0, FontId::SansBold, ts, BLACK, &[t(title)])?;
    let photo_left = rng.random_bool(0.5);
    let (phw, phh) = (210.0, 270.0);
    let phx = if photo_left { fx + 50.0 } else { fx + cw - 50.0 - phw };
    super::photo(&mut l, phx, fy + 130.0, phw, phh);
    let (chx, chy) = if photo_left { (fx + cw - 190.0, fy + ch - 150.0) } else { (fx + 60.0, fy + ch - 150.0) };
    chip(&mut l, chx, chy, 120.0, 92.0);
    let lx = if photo_left { phx + phw + 50.0 } else { fx + 60.0 };
    let right = if photo_left { fx + cw - 40.0 } else { phx - 30.0 };
    let num_label = *pick(rng, &["证号", "从业资格证号", "证件号码"]);
    let labels = ["姓名", "性别", num_label, "从业资格类别"];
    let lw = labels.iter().map(|s| fonts::width(st.label, ls, s)).fold(0.0, f32::max) + 24.0;
    let vx = lx + lw;
    let lead = rng.random_range(66.0..76.0);
    let mut y = fy + 170.0;
    let rows: [(&str, Seg); 4] = [
        ("姓名", Seg::F("name")),
        ("性别", Seg::F("sex")),
        (num_label, Seg::F("certificate_number")),
        ("从业资格类别", Seg::F("category")),
    ];
    for (label, seg) in rows {
        l.run(lx, y, st.label, ls, lab_c, &[t(label)])?;
        let text = l.text_of(std::slice::from_ref(&seg));
        let s = super::fit(vf, vs, &text, right - vx);
        let e = l.para(vx, y, right - vx, 0.0, vs * 1.25, vf, s, BLACK, &[seg])?;
        y = e - vs * 1.25 + lead;
    }
    // Back.
    super::card_base(&mut l, bx, by, cw, ch, bg, rng);
    let issue_label = if rng.random_bool(0.5) { "初领日期" } else { "发证日期" };
    let auth = doc.authority();
    let blx = bx + 60.0;
    let blw = [issue_label, "有效期至", "发证机关"].iter().map(|s| fonts::width(st.label, ls, s)).fold(0.0, f32::max) + 24.0;
    let mut y = by + rng.random_range(100.0..130.0);
    let back_lead = rng.random_range(64.0..74.0);
    l.run(blx, y, st.label, ls, lab_c, &[t(issue_label)])?;
    l.run(blx + blw, y, vf, vs, BLACK, &[Seg::F("issue_date")])?;
    y += back_lead;
    l.run(blx, y, st.label, ls, lab_c, &[t("有效期至")])?;
    l.run(blx + blw, y, vf, vs, BLACK, &[Seg::F("valid_until")])?;
    y += back_lead;
    l.run(blx, y, st.label, ls, lab_c, &[t("发证机关")])?;
    let aend = l.run(blx + blw, y, vf, vs * 0.9, BLACK, &[t(auth.clone())])?;
    l.seal((aend + rng.random_range(30.0..80.0)).min(bx + cw - 130.0), y + 16.0, 78.0, FontId::Sans, &auth, "从业资格证专用章")?;
    y += back_lead * 1.1;
    let notes = *pick(
        rng,
        &[
            "注意事项：1.本证是道路运输从业人员从事道路运输经营活动的资格证明，全国通用。2.本证不得转借、涂改、伪造。3.持证人应按规定参加继续教育和诚信考核，有效期届满前办理换证手续。",
            "说明：本证由交通运输主管部门核发，持证人应随身携带，接受检查。证件遗失、损毁的，应及时向发证机关申请补发。",
        ],
    );
    l.op(Op::Line { x0: blx, y0: y - 34.0, x1: bx + cw - 60.0, y1: y - 34.0, width: 1.0, color: [160, 160, 160] });
    y = l.para(blx, y + 10.0, cw - 120.0, 0.0, 36.0, FontId::Sans, 22.0, [70, 70, 70], &[t(notes)])?;
    if rng.random_bool(0.6) {
        let card_no: String = (0..16).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect();
        l.run(blx, (y + 20.0).min(by + ch - 80.0), FontId::Sans, 22.0, [70, 70, 70], &[t(format!("卡号：{card_no}"))])?;
    }
    l.run_centered(bx + cw / 2.0, by + ch - 34.0, FontId::Sans, 18.0, GREY, &[t("中华人民共和国交通运输部监制")])?;
    Ok((l, "ic_card".into()))
}

/// A printout (browser print to A4 portrait) of the result page of the
/// 全国道路运输从业人员从业资格信息查询 service, a **held-out family**: the
/// browser's header line, the site's coloured band with the system name,
/// the search form with the certificate number typed in, then the result
/// as a horizontal table (labels as column headers in one row, wrapping,
/// the values in the row beneath) and a second horizontal table of
/// details; the print date and URL at the foot. Varies: colours, column
/// widths and order, header shading, the verification code, dates.
fn qc_query_printout(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = super::a4(doc, rng);
    let band: Rgb = *pick(rng, &[[24, 86, 164], [16, 104, 172], [32, 72, 140], [0, 110, 150]]);
    let head_fill: Rgb = *pick(rng, &[[232, 240, 250], [240, 240, 240], [226, 236, 246]]);
    let ink = BLACK;
    let vf = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    let size = st.size;
    let (yy, mm, dd) = (rng.random_range(2024..2027), rng.random_range(1..13), rng.random_range(1..29));
    let (hh, mi) = (rng.random_range(8..19), rng.random_range(0..60));
    let stamp = format!("{yy}/{mm}/{dd} {hh:02}:{mi:02}");
    let site = "全国道路运输从业人员从业资格信息查询";
    // Browser print header.
    l.run(60.0, 44.0, FontId::Sans, 18.0, GREY, &[t(stamp.clone())])?;
    l.run_centered(w / 2.0, 44.0, FontId::Sans, 18.0, GREY, &[t(format!("{site}系统"))])?;
    // Site band.
    l.op(Op::Fill { x: 60.0, y: 70.0, w: w - 120.0, h: 130.0, color: band });
    l.op(Op::Emblem { cx: 130.0, cy: 135.0, r: 44.0 });
    l.run(200.0, 128.0, FontId::SansBold, 40.0, WHITE, &[t(site)])?;
    l.run(200.0, 172.0, FontId::Sans, 22.0, [220, 230, 245], &[t(*pick(rng, &["中华人民共和国交通运输部", "交通运输部运输服务司", "全国道路运输从业人员信息管理平台"]))])?;
    // Search form.
    let mut y = 270.0;
    let cert = l.printed("certificate_number").unwrap_or("").to_string();
    let lab = *pick(rng, &["从业资格证号：", "证件号码：", "从业资格证号/身份证号："]);
    let le = l.run(80.0, y + 42.0, FontId::Sans, 24.0, ink, &[t(lab)])?;
    l.op(Op::Stroke { x: le + 10.0, y, w: 420.0, h: 60.0, width: 1.5, color: [150, 150, 160] });
    let cs = super::fit(FontId::Sans, 24.0, &cert, 390.0);
    l.run(le + 24.0, y + 40.0, FontId::Sans, cs, ink, &[t(cert)])?;
    let code: String = (0..4).map(|_| char::from(*pick(rng, b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))).collect();
    let ce = le + 450.0;
    let ce = l.run(ce, y + 42.0, FontId::Sans, 24.0, ink, &[t("验证码：")])?;
    l.op(Op::Stroke { x: ce + 6.0, y, w: 110.0, h: 60.0, width: 1.5, color: [150, 150, 160] });
    l.run(ce + 22.0, y + 42.0, FontId::Sans, 26.0, [120, 60, 40], &[t(code)])?;
    let btn_x = (ce + 140.0).min(w - 180.0);
    l.op(Op::Fill { x: btn_x, y, w: 110.0, h: 60.0, color: band });
    l.run_centered(btn_x + 55.0, y + 40.0, FontId::SansBold, 24.0, WHITE, &[t("查询")])?;
    y += 130.0;
    // A horizontal table: headers in one row, values in the row beneath.
    let table = |l: &mut Layout, y: f32, title: &str, cols: &[(&'static str, Vec<Seg>, f32)]| -> Result<f32> {
        l.op(Op::Fill { x: 60.0, y: y - 34.0, w: 8.0, h: 40.0, color: band });
        l.run(80.0, y, FontId::SansBold, 28.0, ink, &[t(title)])?;
        let y = y + 26.0;
        // Columns as wide as their values (up to a cap: longer values wrap);
        // what is left goes to the wide columns, so narrow ones wrap their
        // headers as the site's table does.
        let avail = w - 120.0;
        let natural: Vec<f32> = cols.iter().map(|c| (fonts::width(vf, size, &l.text_of(&c.1)) + 26.0).max(66.0)).collect();
        let mut widths: Vec<f32> = natural.iter().zip(cols).map(|(n, c)| n.min(c.2)).collect();
        let mut slack = avail - widths.iter().sum::<f32>();
        for (wd, n) in widths.iter_mut().zip(&natural) {
            let add = (n - *wd).min(slack.max(0.0));
            *wd += add;
            slack -= add;
        }
        let wide: f32 = widths.iter().filter(|w| **w > 110.0).sum();
        let scale = if slack < 0.0 { avail / (avail - slack) } else { 1.0 };
        for wd in widths.iter_mut() {
            if slack > 0.0 && *wd > 110.0 {
                *wd += slack * *wd / wide;
            }
            *wd *= scale;
        }
        let hs = size * 0.95;
        let head_lines = cols.iter().zip(&widths).map(|(c, cw)| wrap_lines(st.label, hs, c.0, cw - 16.0)).max().unwrap_or(1);
        let head_h = 24.0 + head_lines as f32 * hs * 1.3;
        let val_lines = cols.iter().zip(&widths).map(|(c, cw)| wrap_lines(vf, size, &l.text_of(&c.1), cw - 16.0)).max().unwrap_or(1);
        let val_h = 28.0 + val_lines as f32 * size * 1.35;
        l.op(Op::Fill { x: 60.0, y, w: avail, h: head_h, color: head_fill });
        let mut x = 60.0;
        for ((label, segs, _), cw) in cols.iter().zip(&widths) {
            let cw = *cw;
            l.op(Op::Stroke { x, y, w: cw, h: head_h, width: 1.2, color: [170, 170, 180] });
            l.op(Op::Stroke { x, y: y + head_h, w: cw, h: val_h, width: 1.2, color: [170, 170, 180] });
            l.para(x + 8.0, y + 12.0 + hs, cw - 16.0, 0.0, hs * 1.3, st.label, hs, ink, &[t(*label)])?;
            l.para(x + 8.0, y + head_h + 14.0 + size, cw - 16.0, 0.0, size * 1.35, vf, size, ink, segs)?;
            x += cw;
        }
        Ok(y + head_h + val_h)
    };
    const NONE: f32 = f32::INFINITY;
    let num_head = *pick(rng, &["从业资格证号", "从业资格证件号", "证号"]);
    let mut cols1: Vec<(&'static str, Vec<Seg>, f32)> = vec![
        ("序号", vec![t("1")], NONE),
        ("姓名", vec![Seg::F("name")], NONE),
        ("性别", vec![Seg::F("sex")], NONE),
        (num_head, vec![Seg::F("certificate_number")], NONE),
        ("从业资格类别", vec![Seg::F("category")], rng.random_range(170.0..230.0)),
        ("证件状态", vec![t(*pick(rng, &["有效", "正常"]))], NONE),
        ("诚信考核等级", vec![t(*pick(rng, &["AAA", "AA", "A", "--"]))], NONE),
        ("继续教育情况", vec![t(*pick(rng, &["已完成", "已参加", "--"]))], NONE),
    ];
    if rng.random_bool(0.4) {
        cols1.swap(1, 3);
    }
    let result = "共查询到 1 条记录";
    l.run(w - 60.0 - fonts::width(FontId::Sans, 20.0, result), y - 40.0, FontId::Sans, 20.0, GREY, &[t(result)])?;
    y = table(&mut l, y, *pick(rng, &["查询结果", "从业资格信息"]), &cols1)?;
    y += 90.0;
    let auth = doc.authority();
    let issue_head = *pick(rng, &["初领日期", "发证日期", "初次领证日期"]);
    let mut cols2: Vec<(&'static str, Vec<Seg>, f32)> = vec![
        (issue_head, vec![Seg::F("issue_date")], NONE),
        ("有效期至", vec![Seg::F("valid_until")], NONE),
        ("发证机关", vec![t(auth)], NONE),
        ("证件类型", vec![t(*pick(rng, &["IC卡", "纸质证件", "电子证照"]))], NONE),
    ];
    if rng.random_bool(0.4) {
        cols2.swap(0, 1);
    }
    y = table(&mut l, y, *pick(rng, &["证件详细信息", "详细信息"]), &cols2)?;
    y += 60.0;
    let tip = "温馨提示：查询结果仅供参考，如有疑问请咨询发证机关。";
    l.para(80.0, y, w - 160.0, 0.0, 34.0, FontId::Sans, 20.0, GREY, &[t(tip)])?;
    // Browser print footer.
    let url = *pick(rng, &["https://cyry.mot.gov.cn/query/result", "http://cyzg.mot.gov.cn/cyzg/query.do", "https://ysfw.mot.gov.cn/cyry/queryResult"]);
    l.run(60.0, h - 40.0, FontId::Sans, 18.0, GREY, &[t(url)])?;
    l.run(w - 100.0, h - 40.0, FontId::Sans, 18.0, GREY, &[t("1/1")])?;
    let printed = format!("打印时间：{yy}年{mm}月{dd}日 {hh:02}:{mi:02}");
    l.run(w - 60.0 - fonts::width(FontId::Sans, 20.0, &printed), h - 90.0, FontId::Sans, 20.0, GREY, &[t(printed)])?;
    Ok((l, "query_printout".into()))
}
