//! Page layouts, one per document kind, imitating the real documents:
//! printed labels as in `documents.md`, tables and boxes, seals, tints.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand::SeedableRng;

use super::docs::{PageDoc, SECTIONS};
use super::fonts::{self, FontId};
use super::layout::{t, Layout, Op, Rgb, Seg, BLACK, BLUE, GREY, RED};
use super::pools::pick;
use dajian::document::DocKind;

mod arranged;
mod company;
mod drawings;
mod id_card;
mod letters;
mod personal;
mod vehicle;

/// Per-page look: fonts, sizes and colours drawn from the page's seed.
struct Style {
    label: FontId,
    value: FontId,
    label_color: Rgb,
    value_color: Rgb,
    line: Rgb,
    size: f32,
    /// Picks among a label's wordings (`wording`), fixed per page.
    wording: u64,
    /// Print the English label under each Chinese one, as the current
    /// editions of the vehicle and driving licences do.
    bilingual: bool,
}

fn style(rng: &mut ChaCha8Rng) -> Style {
    let value = *pick(rng, &FontId::BODY);
    let label = if rng.random_bool(0.7) { FontId::Sans } else { FontId::Serif };
    Style {
        label,
        value,
        label_color: *pick(rng, &[BLACK, [60, 60, 70], [40, 60, 110]]),
        value_color: *pick(rng, &[BLACK, [10, 10, 10], [30, 30, 50]]),
        line: *pick(rng, &[[90, 90, 90], [120, 80, 60], [60, 90, 120]]),
        size: rng.random_range(22.0..27.0),
        wording: rng.random(),
        bilingual: false,
    }
}

/// The ways editions and offices word a label; the first is the usual one.
fn wordings(label: &'static str) -> &'static [&'static str] {
    match label {
        "车辆识别代号" => &["车辆识别代号", "车辆识别代号", "车架号", "车辆识别代号/车架号"],
        "发动机号码" => &["发动机号码", "发动机号"],
        "总质量" => &["总质量", "总质量(kg)"],
        "整备质量" => &["整备质量", "整备质量(kg)"],
        "核定载质量" => &["核定载质量", "核定载质量(kg)"],
        "准牵引总质量" => &["准牵引总质量", "准牵引总质量(kg)"],
        "外廓尺寸" => &["外廓尺寸", "外廓尺寸(mm)"],
        "车辆号牌" => &["车辆号牌", "号牌号码", "车牌号码"],
        "业户名称" => &["业户名称", "业户名称", "经营者名称"],
        "证号" => &["证号", "证号", "驾驶证号"],
        _ => &[],
    }
}

/// This page's wording of `label`.
fn word(st: &Style, label: &'static str) -> &'static str {
    let opts = wordings(label);
    if opts.is_empty() {
        return label;
    }
    let h = label.bytes().fold(st.wording, |h, b| h.rotate_left(5) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    opts[(h >> 33) as usize % opts.len()]
}

/// The English label the bilingual editions print under a Chinese one.
fn english(label: &str) -> Option<&'static str> {
    Some(match label {
        "号牌号码" | "号牌号" => "Plate No.",
        "车辆类型" => "Vehicle Type",
        "所有人" => "Owner",
        "住址" => "Address",
        "使用性质" => "Use Character",
        "品牌型号" => "Model",
        "车辆识别代号" | "车架号" | "车辆识别代号/车架号" => "Vehicle Identification Number",
        "发动机号码" | "发动机号" => "Engine No.",
        "注册日期" => "Register Date",
        "发证日期" => "Issue Date",
        "证号" | "驾驶证号" => "License No.",
        "姓名" => "Name",
        "性别" => "Sex",
        "国籍" => "Nationality",
        "出生日期" => "Date of Birth",
        "初次领证日期" => "Date of First Issue",
        "准驾车型" => "Class",
        "有效期限" => "Valid Period",
        _ => return None,
    })
}

/// Largest size ≤ `size` at which `text` fits in `max_w`.
fn fit(font: FontId, size: f32, text: &str, max_w: f32) -> f32 {
    let w = fonts::width(font, size, text);
    if w <= max_w { size } else { (size * max_w / w).max(10.0) }
}

struct Cell {
    label: &'static str,
    label_w: f32,
    value: Vec<Seg>,
    value_w: f32,
}

fn cell(label: &'static str, label_w: f32, value: Vec<Seg>, value_w: f32) -> Cell {
    Cell { label, label_w, value, value_w }
}

/// One table row of label|value cells with borders.
fn row(l: &mut Layout, st: &Style, x: f32, y: f32, h: f32, cells: &[Cell]) -> Result<()> {
    let mut cx = x;
    let base = y + h * 0.5 + st.size * 0.35;
    for c in cells {
        l.op(Op::Stroke { x: cx, y, w: c.label_w, h, width: 1.5, color: st.line });
        let label = word(st, c.label);
        match english(label).filter(|_| st.bilingual) {
            Some(en) => {
                let ls = fit(st.label, st.size * 0.75, label, c.label_w - 10.0);
                let lw = fonts::width(st.label, ls, label);
                // The Chinese label stays level with the value (OCR reads them
                // as one row); the English sits small in the cell's foot.
                l.run(cx + (c.label_w - lw) / 2.0, base - h * 0.08, st.label, ls, st.label_color, &[t(label)])?;
                let es = fit(FontId::Sans, st.size * 0.42, en, c.label_w - 8.0);
                let ew = fonts::width(FontId::Sans, es, en);
                l.run(cx + (c.label_w - ew) / 2.0, y + h * 0.92, FontId::Sans, es, st.label_color, &[t(en)])?;
            }
            None => {
                let ls = fit(st.label, st.size * 0.9, label, c.label_w - 10.0);
                let lw = fonts::width(st.label, ls, label);
                l.run(cx + (c.label_w - lw) / 2.0, base, st.label, ls, st.label_color, &[t(label)])?;
            }
        }
        cx += c.label_w;
        l.op(Op::Stroke { x: cx, y, w: c.value_w, h, width: 1.5, color: st.line });
        let text = l.text_of(&c.value);
        let vs = fit(st.value, st.size, &text, c.value_w - 16.0);
        l.run(cx + 8.0, base, st.value, vs, st.value_color, &c.value)?;
        cx += c.value_w;
    }
    Ok(())
}

/// A value, or a dash when the page does not print that field.
fn or_dash(l: &Layout, key: &'static str) -> Vec<Seg> {
    if l.has(key) { vec![Seg::F(key)] } else { vec![t("--")] }
}

fn card_base(l: &mut Layout, x: f32, y: f32, w: f32, h: f32, bg: Rgb, rng: &mut ChaCha8Rng) {
    l.op(Op::Fill { x, y, w, h, color: bg });
    let tint = [bg[0].saturating_sub(18), bg[1].saturating_sub(8), bg[2].saturating_sub(14)];
    l.op(Op::Tint { x, y, w, h, color: tint, period: rng.random_range(14.0..30.0) });
    l.op(Op::Stroke { x: x + 6.0, y: y + 6.0, w: w - 12.0, h: h - 12.0, width: 2.0, color: [150, 130, 110] });
}

/// How a family draws a page: the layout and the variant it drew (the
/// family's name, or a finer name inside it).
type Draw = fn(&PageDoc, &Style, &mut ChaCha8Rng) -> Result<(Layout, String)>;

/// A layout family: one edition or way of printing a kind (the card, its
/// electronic printout, a phone screenshot, a photocopy on A4 …).
struct Family {
    kind: DocKind,
    name: &'static str,
    draw: Draw,
    /// Drawn only by `dataset generate --held-out-families`, never in
    /// training, so the bench can tell reading a layout from remembering it.
    held_out: bool,
}

/// The families added beside each kind's first edition and its printout,
/// one file per group of kinds; `datasets/README.md` says what each imitates.
fn extra_families() -> impl Iterator<Item = &'static Family> {
    [vehicle::FAMILIES, personal::FAMILIES, id_card::FAMILIES, company::FAMILIES, letters::FAMILIES, drawings::FAMILIES, arranged::FAMILIES].into_iter().flatten()
}

/// Share of a held-out page (`--held-out-families`) drawn in its kind's
/// held-out family; the rest are drawn as in training, so the unseen part
/// measures both.
const HELD_OUT_SHARE: f64 = 0.5;

/// The page's family: the one its document names, else drawn from the
/// page's seed. The draws use streams of their own, so a family added
/// leaves the pages of the others as they were.
fn family(doc: &PageDoc, st: &Style) -> Option<&'static str> {
    if let Some(f) = doc.extra.get("family") {
        let named = extra_families().find(|f2| f2.kind == doc.kind && f2.name == f.as_str()).map(|f2| f2.name);
        return named.or((f == "printout").then_some("printout"));
    }
    if doc.extra.contains_key("held_out") {
        let mut h = ChaCha8Rng::seed_from_u64(doc.seed ^ 0x4e1d_0b7f);
        if let Some(f) = extra_families().find(|f| f.kind == doc.kind && f.held_out) {
            if h.random_bool(HELD_OUT_SHARE) {
                return Some(f.name);
            }
        }
    }
    let mut f = ChaCha8Rng::seed_from_u64(doc.seed ^ 0x0e1e_c7e0);
    if printout_rows(doc.kind, st).is_some() && f.random_bool(PRINTOUT_SHARE) {
        return Some("printout");
    }
    // The first edition or one of the extra families, evenly.
    let seen: Vec<&Family> = extra_families().filter(|f| f.kind == doc.kind && !f.held_out && f.name != arranged::NAME).collect();
    let mut g = ChaCha8Rng::seed_from_u64(doc.seed ^ 0x7a3f_11e5);
    let i = g.random_range(0..=seen.len());
    seen.get(i).map(|f| f.name)
}

pub fn layout(doc: &PageDoc) -> Result<(Layout, String, FontId)> {
    let mut rng = ChaCha8Rng::seed_from_u64(doc.seed);
    let mut st = style(&mut rng);
    st.bilingual = matches!(doc.kind, DocKind::VehicleLicence | DocKind::DrivingLicence) && rng.random_bool(0.5);
    let font = st.value;
    let family = family(doc, &st);
    let extra = family.and_then(|name| extra_families().find(|f| f.kind == doc.kind && f.name == name));
    let (l, variant) = match doc.kind {
        _ if extra.is_some() => (extra.unwrap().draw)(doc, &st, &mut rng)?,
        _ if family == Some("printout") => printout(doc, &st, &mut rng)?,
        DocKind::VehicleLicence => vehicle_licence(doc, &st, &mut rng)?,
        DocKind::DrivingLicence => driving_licence(doc, &st, &mut rng)?,
        DocKind::QualificationCertificate => qualification(doc, &st, &mut rng)?,
        DocKind::RoadTransportCertificate => rtc(doc, &st, &mut rng)?,
        DocKind::BusinessLicence => business_licence(doc, &st, &mut rng)?,
        DocKind::OperatingPermit => operating_permit(doc, &st, &mut rng)?,
        DocKind::IdCard => id_card(doc, &st, &mut rng)?,
        DocKind::AuthorizationLetter => letter(doc, &st, &mut rng)?,
        DocKind::EscortPlan => escort_plan(doc, &st, &mut rng)?,
        DocKind::ContourDrawing => contour(doc, &st, &mut rng)?,
        DocKind::Other => commitment(doc, &st, &mut rng)?,
    };
    l.check_complete()?;
    Ok((l, format!("{}/{}", doc.kind, variant), font))
}

/// Every family of every kind: (kind, name, held out). The first edition
/// of each kind and the printouts are drawn by this file; the rest by the
/// files of `extra_families`.
pub fn families() -> Vec<(DocKind, &'static str, bool)> {
    let mut all = vec![];
    for kind in DocKind::ALL {
        all.push((kind, "first", false));
        if printout_rows(kind, &style(&mut ChaCha8Rng::seed_from_u64(0))).is_some() {
            all.push((kind, "printout", false));
        }
    }
    all.extend(extra_families().map(|f| (f.kind, f.name, f.held_out)));
    all
}

fn new_layout(doc: &PageDoc, w: u32, h: u32, paper: Rgb) -> Layout {
    Layout::new(w, h, paper, doc.values.clone())
}

/// A `w` x `h` page on `paper` that is one card, 10 px in from the edges,
/// its background one of `backgrounds`.
fn card_page(doc: &PageDoc, (w, h): (f32, f32), paper: Rgb, backgrounds: &[Rgb], rng: &mut ChaCha8Rng) -> Layout {
    let mut l = new_layout(doc, w as u32, h as u32, paper);
    let bg = *pick(rng, backgrounds);
    card_base(&mut l, 10.0, 10.0, w - 20.0, h - 20.0, bg, rng);
    l
}

// ------------------------------------------------------------ 行驶证

fn vehicle_licence(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let side = doc.extra.get("layout").map(|s| s == "side_by_side").unwrap_or(true);
    let (cw, ch) = (760.0, 520.0);
    let (w, h) = if side { (2.0 * cw + 60.0, ch + 40.0) } else { (cw + 40.0, 2.0 * ch + 60.0) };
    let mut l = new_layout(doc, w as u32, h as u32, [250, 250, 248]);
    let (mx, my) = (20.0, 20.0);
    let (sx, sy) = if side { (mx + cw + 20.0, my) } else { (mx, my + ch + 20.0) };
    let bg = *pick(rng, &[[236, 240, 228], [240, 236, 226], [232, 238, 236]]);
    // Main page.
    card_base(&mut l, mx, my, cw, ch, bg, rng);
    l.run_centered(mx + cw / 2.0, my + 50.0, FontId::SansBold, 30.0, BLACK, &[t("中华人民共和国机动车行驶证")])?;
    if st.bilingual {
        l.run_centered(mx + cw / 2.0, my + 72.0, FontId::Sans, 14.0, GREY, &[t("Vehicle License of the People's Republic of China")])?;
    }
    let rh = 54.0;
    let y0 = my + 80.0;
    let (a, b, c2, d) = (120.0, 230.0, 110.0, 240.0);
    let full = b + c2 + d;
    row(&mut l, st, mx + 30.0, y0, rh, &[cell("号牌号码", a, vec![Seg::F("plate_number")], b), cell("车辆类型", c2, vec![Seg::F("vehicle_type")], d)])?;
    row(&mut l, st, mx + 30.0, y0 + rh, rh, &[cell("所有人", a, vec![Seg::F("owner")], full)])?;
    row(&mut l, st, mx + 30.0, y0 + 2.0 * rh, rh, &[cell("住址", a, vec![Seg::F("address")], full)])?;
    row(&mut l, st, mx + 30.0, y0 + 3.0 * rh, rh, &[cell("使用性质", a, vec![Seg::F("use_character")], b), cell("品牌型号", c2, vec![Seg::F("brand_model")], d)])?;
    row(&mut l, st, mx + 30.0, y0 + 4.0 * rh, rh, &[cell("车辆识别代号", a, vec![Seg::F("vin")], full)])?;
    let engine = or_dash(&l, "engine_number");
    row(&mut l, st, mx + 30.0, y0 + 5.0 * rh, rh, &[cell("发动机号码", a, engine, full)])?;
    row(&mut l, st, mx + 30.0, y0 + 6.0 * rh, rh, &[cell("注册日期", a, vec![Seg::F("register_date")], b), cell("发证日期", c2, vec![Seg::F("issue_date")], d)])?;
    let auth = doc.authority();
    l.seal(mx + 110.0, y0 + 7.0 * rh - 40.0, 62.0, FontId::Sans, &auth, "")?;
    // Secondary page.
    card_base(&mut l, sx, sy, cw, ch, bg, rng);
    let y0 = sy + 40.0;
    let plate = l.printed("plate_number").unwrap_or("").to_string();
    row(&mut l, st, sx + 30.0, y0, rh, &[cell("号牌号码", a, vec![t(plate)], b), cell("档案编号", c2, vec![Seg::F("file_number")], d)])?;
    let pass = or_dash(&l, "approved_passengers");
    let pass = if l.has("approved_passengers") { [pass, vec![t("人")]].concat() } else { pass };
    row(&mut l, st, sx + 30.0, y0 + rh, rh, &[cell("核定载人数", a, pass, b), cell("总质量", c2, vec![Seg::F("total_mass_kg")], d)])?;
    let rated = or_dash(&l, "rated_load_kg");
    row(&mut l, st, sx + 30.0, y0 + 2.0 * rh, rh, &[cell("整备质量", a, vec![Seg::F("curb_mass_kg")], b), cell("核定载质量", c2, rated, d)])?;
    row(&mut l, st, sx + 30.0, y0 + 3.0 * rh, rh, &[cell("外廓尺寸", a, vec![Seg::F("length_mm"), t("×"), Seg::F("width_mm"), t("×"), Seg::F("height_mm"), t("mm")], full)])?;
    let towing = or_dash(&l, "towing_mass_kg");
    row(&mut l, st, sx + 30.0, y0 + 4.0 * rh, rh, &[cell("准牵引总质量", a, towing, full)])?;
    row(&mut l, st, sx + 30.0, y0 + 5.0 * rh, rh * 1.8, &[cell("检验记录", a, vec![], full)])?;
    // The inspection stamp: red box with red text.
    let bx = sx + 30.0 + a + 30.0;
    let by = y0 + 5.0 * rh + 12.0;
    l.op(Op::Stroke { x: bx, y: by, w: 360.0, h: rh * 1.8 - 24.0, width: 2.5, color: RED });
    l.run(bx + 14.0, by + 40.0, FontId::SansBold, 24.0, RED, &[t("检验有效期至"), Seg::F("inspection_valid_until")])?;
    l.run(bx + 14.0, by + 70.0, FontId::Sans, 18.0, RED, &[t(format!("{}车辆管理所", auth.trim_end_matches("公安局交通警察支队")))])?;
    Ok((l, if side { "side_by_side".into() } else { "stacked".into() }))
}

// ------------------------------------------------------------ 驾驶证

fn photo(l: &mut Layout, x: f32, y: f32, w: f32, h: f32) {
    l.op(Op::Photo { x, y, w, h });
}

fn driving_licence(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1040.0, 680.0);
    let mut l = card_page(doc, (w, h), [250, 250, 250], &[[234, 238, 246], [238, 242, 236], [244, 240, 232]], rng);
    l.run_centered(w / 2.0, 70.0, FontId::SansBold, 34.0, BLACK, &[t("中华人民共和国机动车驾驶证")])?;
    l.run_centered(w / 2.0, 102.0, FontId::Sans, 18.0, GREY, &[t("Driving License of the People's Republic of China")])?;
    let lx = 50.0;
    let vx = 230.0;
    let ls = st.size * 0.85;
    let val = (st.value, st.size, st.value_color);
    let mut y = 160.0;
    let lead = 52.0;
    // A label at (x, baseline), with its English under it on bilingual cards.
    let label = |l: &mut Layout, x: f32, y: f32, text: &'static str| -> Result<()> {
        let text = word(st, text);
        l.run(x, y, st.label, ls, BLUE, &[t(text)])?;
        if let Some(en) = english(text).filter(|_| st.bilingual) {
            l.run(x, y + ls * 0.75, FontId::Sans, st.size * 0.42, BLUE, &[t(en)])?;
        }
        Ok(())
    };
    let none = ("", st.label, ls, BLUE);
    label(&mut l, lx, y, "证号")?;
    y = l.labelled(lx, vx, y, 520.0, lead, none, (&[Seg::F("licence_number")], val.0, val.1 + 2.0, val.2))?;
    label(&mut l, lx, y, "姓名")?;
    l.run(vx, y, val.0, val.1, val.2, &[Seg::F("name")])?;
    label(&mut l, vx + 170.0, y, "性别")?;
    l.run(vx + 240.0, y, val.0, val.1, val.2, &[Seg::F("sex")])?;
    label(&mut l, vx + 300.0, y, "国籍")?;
    l.run(vx + 370.0, y, val.0, val.1, val.2, &[Seg::F("nationality")])?;
    y += lead;
    label(&mut l, lx, y, "住址")?;
    y = l.labelled(lx, vx, y, 520.0, 34.0, none, (&[Seg::F("address")], val.0, val.1 * 0.9, val.2))?;
    y += lead - 34.0;
    label(&mut l, lx, y, "出生日期")?;
    y = l.labelled(lx, vx, y, 520.0, lead, none, (&[Seg::F("birth_date")], val.0, val.1, val.2))?;
    label(&mut l, lx, y, "初次领证日期")?;
    y = l.labelled(lx, vx, y, 520.0, lead, none, (&[Seg::F("first_issue_date")], val.0, val.1, val.2))?;
    label(&mut l, lx, y, "准驾车型")?;
    y = l.labelled(lx, vx, y, 520.0, lead, none, (&[Seg::F("permitted_class")], FontId::SansBold, val.1 + 4.0, val.2))?;
    label(&mut l, lx, y, "有效期限")?;
    l.labelled(lx, vx, y, 700.0, lead, none, (&[Seg::F("valid_from"), t(" 至 "), Seg::F("valid_until")], val.0, val.1, val.2))?;
    photo(&mut l, 790.0, 150.0, 190.0, 250.0);
    let auth = doc.authority();
    l.seal(860.0, 520.0, 80.0, FontId::Sans, &auth, "")?;
    Ok((l, "card".into()))
}

// ------------------------------------------------------------ 从业资格证

fn qualification(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1100.0, 760.0);
    let mut l = card_page(doc, (w, h), [252, 252, 250], &[[246, 244, 236], [240, 244, 248]], rng);
    l.run_centered(w / 2.0, 70.0, FontId::SansBold, 30.0, BLACK, &[t("中华人民共和国道路运输从业人员从业资格证")])?;
    l.op(Op::Emblem { cx: w / 2.0, cy: 130.0, r: 34.0 });
    let rh = 62.0;
    let y0 = 190.0;
    let (a, b, c2, d) = (150.0, 250.0, 120.0, 210.0);
    let full = b + c2 + d;
    row(&mut l, st, 50.0, y0, rh, &[cell("姓名", a, vec![Seg::F("name")], b), cell("性别", c2, vec![Seg::F("sex")], d)])?;
    row(&mut l, st, 50.0, y0 + rh, rh, &[cell("从业资格证号", a, vec![Seg::F("certificate_number")], full)])?;
    row(&mut l, st, 50.0, y0 + 2.0 * rh, rh, &[cell("从业资格类别", a, vec![Seg::F("category")], full)])?;
    let lab = if rng.random_bool(0.5) { "初领日期" } else { "发证日期" };
    row(&mut l, st, 50.0, y0 + 3.0 * rh, rh, &[cell(lab, a, vec![Seg::F("issue_date")], b), cell("有效期至", c2, vec![Seg::F("valid_until")], d)])?;
    let auth = doc.authority();
    row(&mut l, st, 50.0, y0 + 4.0 * rh, rh, &[cell("发证机关", a, vec![t(auth.clone())], full)])?;
    photo(&mut l, 850.0, 190.0, 190.0, 250.0);
    l.seal(820.0, 580.0, 85.0, FontId::Sans, &auth, "从业资格证专用章")?;
    Ok((l, "booklet".into()))
}

// ------------------------------------------------------------ 道路运输证

fn rtc(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1180.0, 800.0);
    let mut l = card_page(doc, (w, h), [252, 252, 252], &[[238, 244, 250], [246, 242, 234]], rng);
    l.run_centered(w / 2.0, 72.0, FontId::SansBold, 36.0, BLACK, &[t("中华人民共和国道路运输证")])?;
    l.run(60.0, 130.0, st.label, st.size, st.label_color, &[t("道路运输证号："), Seg::F("certificate_number")])?;
    let rh = 66.0;
    let y0 = 160.0;
    let (a, b, c2, d) = (150.0, 330.0, 150.0, 420.0);
    let full = b + c2 + d;
    row(&mut l, st, 50.0, y0, rh, &[cell("业户名称", a, vec![Seg::F("operator_name")], full)])?;
    row(&mut l, st, 50.0, y0 + rh, rh, &[cell("车辆号牌", a, vec![Seg::F("plate_number")], b), cell("经营许可证号", c2, vec![Seg::F("operating_permit_number")], d)])?;
    row(&mut l, st, 50.0, y0 + 2.0 * rh, rh, &[cell("车辆类型", a, vec![Seg::F("vehicle_type")], b), cell("吨(座)位", c2, vec![Seg::F("tonnage_kg")], d)])?;
    row(&mut l, st, 50.0, y0 + 3.0 * rh, rh, &[cell("车辆规格", a, vec![t("长"), Seg::F("length_mm"), t(" 宽"), Seg::F("width_mm"), t(" 高"), Seg::F("height_mm"), t("（毫米）")], full)])?;
    row(&mut l, st, 50.0, y0 + 4.0 * rh, rh, &[cell("经营范围", a, vec![Seg::F("business_scope")], full)])?;
    row(&mut l, st, 50.0, y0 + 5.0 * rh, rh, &[cell("发证日期", a, vec![Seg::F("issue_date")], b), cell("有效期至", c2, vec![Seg::F("valid_until")], d)])?;
    let auth = doc.authority();
    l.run(640.0, y0 + 7.0 * rh, st.label, st.size, st.label_color, &[t(format!("发证机关：{auth}"))])?;
    l.seal(860.0, y0 + 6.8 * rh, 80.0, FontId::Sans, &auth, "道路运输证专用章")?;
    Ok((l, "card".into()))
}

// ------------------------------------------------------------ 电子证照

/// Share of the pages of a kind with an electronic edition laid out as its printout.
const PRINTOUT_SHARE: f64 = 0.2;

/// The vehicle licence's label and value rows in the card's order, main
/// page then secondary page (the printout and other families filter out
/// what a page lacks).
fn vehicle_licence_rows(st: &Style) -> (Vec<(&'static str, Vec<Seg>)>, Vec<(&'static str, Vec<Seg>)>) {
    let f = |k: &'static str| vec![Seg::F(k)];
    let w = |label: &'static str| word(st, label);
    let main = vec![
        (w("号牌号码"), f("plate_number")),
        (w("车辆类型"), f("vehicle_type")),
        (w("所有人"), f("owner")),
        (w("住址"), f("address")),
        (w("使用性质"), f("use_character")),
        (w("品牌型号"), f("brand_model")),
        (w("车辆识别代号"), f("vin")),
        (w("发动机号码"), f("engine_number")),
        (w("注册日期"), f("register_date")),
        (w("发证日期"), f("issue_date")),
    ];
    let sub = vec![
        (w("档案编号"), f("file_number")),
        (w("核定载人数"), vec![Seg::F("approved_passengers"), t("人")]),
        (w("总质量"), f("total_mass_kg")),
        (w("整备质量"), f("curb_mass_kg")),
        (w("核定载质量"), f("rated_load_kg")),
        (w("外廓尺寸"), vec![Seg::F("length_mm"), t("×"), Seg::F("width_mm"), t("×"), Seg::F("height_mm"), t("mm")]),
        (w("准牵引总质量"), f("towing_mass_kg")),
        ("检验有效期至", f("inspection_valid_until")),
    ];
    (main, sub)
}

/// The rows of a kind's electronic licence (电子证照) as its printout
/// lists them, in the card's order; `None`: the kind has none.
fn printout_rows(kind: DocKind, st: &Style) -> Option<Vec<(&'static str, Vec<Seg>)>> {
    let f = |k: &'static str| vec![Seg::F(k)];
    let w = |label: &'static str| word(st, label);
    Some(match kind {
        DocKind::VehicleLicence => {
            let (main, sub) = vehicle_licence_rows(st);
            main.into_iter().chain(sub).collect()
        }
        DocKind::DrivingLicence => vec![
            (w("证号"), f("licence_number")),
            (w("姓名"), f("name")),
            (w("性别"), f("sex")),
            (w("国籍"), f("nationality")),
            (w("住址"), f("address")),
            (w("出生日期"), f("birth_date")),
            (w("初次领证日期"), f("first_issue_date")),
            (w("准驾车型"), f("permitted_class")),
            (w("有效期限"), vec![Seg::F("valid_from"), t(" 至 "), Seg::F("valid_until")]),
        ],
        DocKind::QualificationCertificate => vec![
            ("姓名", f("name")),
            ("性别", f("sex")),
            ("从业资格证号", f("certificate_number")),
            ("从业资格类别", f("category")),
            ("发证日期", f("issue_date")),
            ("有效期至", f("valid_until")),
        ],
        DocKind::RoadTransportCertificate => vec![
            ("道路运输证号", f("certificate_number")),
            (w("业户名称"), f("operator_name")),
            (w("车辆号牌"), f("plate_number")),
            ("经营许可证号", f("operating_permit_number")),
            ("车辆类型", f("vehicle_type")),
            ("吨(座)位", f("tonnage_kg")),
            ("车辆规格(mm)", vec![Seg::F("length_mm"), t("×"), Seg::F("width_mm"), t("×"), Seg::F("height_mm")]),
            ("经营范围", f("business_scope")),
            ("发证日期", f("issue_date")),
            ("有效期至", f("valid_until")),
        ],
        DocKind::BusinessLicence => vec![
            ("统一社会信用代码", f("uscc")),
            ("名称", f("company_name")),
            ("类型", f("company_type")),
            ("法定代表人", f("legal_representative")),
            ("注册资本", f("registered_capital")),
            ("成立日期", f("established_date")),
            ("营业期限至", f("term_until")),
            ("住所", f("address")),
            ("经营范围", f("business_scope")),
        ],
        DocKind::OperatingPermit => vec![
            ("许可证号", f("permit_number")),
            (w("业户名称"), f("company_name")),
            ("地址", f("address")),
            ("经营范围", f("business_scope")),
            ("有效期", vec![Seg::F("valid_from"), t(" 至 "), Seg::F("valid_until")]),
        ],
        _ => return None,
    })
}

/// Leaves out the rows whose field the page does not print, as printouts
/// leave them blank.
fn keep_printed(rows: &mut Vec<(&'static str, Vec<Seg>)>, doc: &PageDoc) {
    rows.retain(|(_, segs)| segs.iter().all(|s| !matches!(s, Seg::F(k) if !doc.values.contains_key(k))));
}

/// The printout of an electronic licence (电子证照), a layout family of
/// every licence kind: an A4 page listing label and value one row each,
/// in one column, with a QR code and a verification note. Varies: rules
/// between rows or none, a colon after the label or none, two neighbouring
/// rows swapped, leading, label column width. Rows whose field the page
/// does not print are left out, as the printouts leave them blank.
fn printout(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = a4(doc, rng);
    let mut rows = printout_rows(doc.kind, st).expect("a kind with a printout");
    keep_printed(&mut rows, doc);
    if rows.len() > 3 && rng.random_bool(0.5) {
        let i = rng.random_range(1..rows.len() - 1);
        rows.swap(i, i + 1);
    }
    l.run_centered(w / 2.0, 170.0, FontId::SansBold, 44.0, BLACK, &[t(doc.kind.title_zh())])?;
    l.run_centered(w / 2.0, 220.0, FontId::Sans, 22.0, GREY, &[t("电子证照")])?;
    for i in 0..10 {
        for j in 0..10 {
            if (i * 5 + j * 11 + (i * j) % 7) % 3 == 0 || i == 0 || j == 0 || i == 9 || j == 9 {
                l.op(Op::Fill { x: 1000.0 + i as f32 * 11.0, y: 90.0 + j as f32 * 11.0, w: 11.0, h: 11.0, color: BLACK });
            }
        }
    }
    let colon = rng.random_bool(0.5);
    let rules = rng.random_bool(0.5);
    let lead = rng.random_range(62.0..80.0);
    let sz = st.size + 2.0;
    let (lx, vx) = (140.0, 140.0 + rng.random_range(250.0..330.0));
    let mut y = 320.0;
    for (label, segs) in &rows {
        let label = if colon { format!("{label}：") } else { label.to_string() };
        if rules {
            l.op(Op::Stroke { x: lx - 20.0, y: y - sz - 14.0, w: w - 2.0 * lx + 40.0, h: 0.5, width: 1.0, color: st.line });
        }
        let next = l.labelled(lx, vx, y, w - vx - 120.0, sz * 1.5, (&label, st.label, sz * 0.9, st.label_color), (segs, st.value, sz, st.value_color))?;
        y = next + lead - sz * 1.5;
    }
    let auth = doc.authority();
    y += lead * 0.5;
    if !auth.is_empty() {
        l.run(lx, y, st.label, sz * 0.9, st.label_color, &[t(format!("发证机关：{auth}"))])?;
        l.seal(w - 330.0, y - 20.0, 90.0, FontId::Sans, &auth, "")?;
    }
    l.run_centered(w / 2.0, h - 120.0, FontId::Sans, 18.0, GREY, &[t("本打印件由电子证照生成，可扫描二维码核验真伪")])?;
    Ok((l, "printout".into()))
}

// ------------------------------------------------------------ 营业执照

fn business_licence(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1754.0, 1240.0);
    let paper = *pick(rng, &[[252, 250, 244], [250, 248, 240]]);
    let mut l = new_layout(doc, w as u32, h as u32, paper);
    l.op(Op::Tint { x: 60.0, y: 60.0, w: w - 120.0, h: 140.0, color: [240, 226, 206], period: 40.0 });
    let frame = [176, 120, 60];
    l.op(Op::Stroke { x: 40.0, y: 40.0, w: w - 80.0, h: h - 80.0, width: 8.0, color: frame });
    l.op(Op::Stroke { x: 60.0, y: 60.0, w: w - 120.0, h: h - 120.0, width: 2.0, color: frame });
    l.op(Op::Emblem { cx: w / 2.0, cy: 170.0, r: 70.0 });
    l.spaced_title(w / 2.0, 330.0, FontId::SansBold, 84.0, BLACK, "营业执照", 40.0)?;
    l.run_centered(w / 2.0, 380.0, st.label, 26.0, BLACK, &[t("（副　本）")])?;
    l.run(120.0, 180.0, st.label, 24.0, BLACK, &[t("统一社会信用代码")])?;
    l.run(120.0, 222.0, st.value, 30.0, BLACK, &[Seg::F("uscc")])?;
    // QR code placeholder.
    for i in 0..12 {
        for j in 0..12 {
            if (i * 7 + j * 13 + (i * j) % 5) % 3 == 0 || i == 0 || j == 0 || i == 11 || j == 11 {
                l.op(Op::Fill { x: 1480.0 + i as f32 * 12.0, y: 130.0 + j as f32 * 12.0, w: 12.0, h: 12.0, color: BLACK });
            }
        }
    }
    let sz = st.size + 3.0;
    let lab = |s: &'static str| (s, st.label, sz, BLACK);
    let (lx, vx, rx, rvx) = (130.0, 330.0, 920.0, 1120.0);
    let mut y = 470.0;
    let lead = 62.0;
    y = l.labelled(lx, vx, y, 540.0, 40.0, lab("名　　称"), (&[Seg::F("company_name")], st.value, sz, st.value_color))?;
    y += lead - 40.0;
    y = l.labelled(lx, vx, y, 540.0, lead, lab("类　　型"), (&[Seg::F("company_type")], st.value, sz * 0.9, st.value_color))?;
    y = l.labelled(lx, vx, y, 540.0, lead, lab("法定代表人"), (&[Seg::F("legal_representative")], st.value, sz, st.value_color))?;
    l.labelled(lx, vx, y, 540.0, 40.0, lab("经营范围"), (&[Seg::F("business_scope")], st.value, sz * 0.85, st.value_color))?;
    let mut y = 470.0;
    y = l.labelled(rx, rvx, y, 520.0, lead, lab("注册资本"), (&[Seg::F("registered_capital")], st.value, sz, st.value_color))?;
    y = l.labelled(rx, rvx, y, 520.0, lead, lab("成立日期"), (&[Seg::F("established_date")], st.value, sz, st.value_color))?;
    let est = l.printed("established_date").unwrap_or("").to_string();
    y = l.labelled(rx, rvx, y, 520.0, lead, lab("营业期限"), (&[t(est), t(" 至 "), Seg::F("term_until")], st.value, sz, st.value_color))?;
    l.labelled(rx, rvx, y, 500.0, 40.0, lab("住　　所"), (&[Seg::F("address")], st.value, sz, st.value_color))?;
    let auth = doc.authority();
    let issued = doc.extra.get("issued").cloned().unwrap_or_default();
    l.run(1180.0, 1010.0, st.label, 28.0, BLACK, &[t("登记机关")])?;
    l.run(1220.0, 1090.0, st.label, 26.0, BLACK, &[t(issued)])?;
    l.seal(1400.0, 1030.0, 100.0, FontId::Sans, &auth, "")?;
    l.run_centered(w / 2.0, 1150.0, FontId::Sans, 18.0, GREY, &[t("国家企业信用信息公示系统网址：http://www.gsxt.gov.cn")])?;
    Ok((l, "a4_landscape".into()))
}

// ------------------------------------------------------------ 道路运输经营许可证

fn operating_permit(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = new_layout(doc, w as u32, h as u32, *pick(rng, &[[252, 252, 250], [250, 247, 240]]));
    l.op(Op::Tint { x: 50.0, y: 50.0, w: w - 100.0, h: 120.0, color: [226, 232, 244], period: 36.0 });
    l.op(Op::Stroke { x: 50.0, y: 50.0, w: w - 100.0, h: h - 100.0, width: 6.0, color: [60, 100, 160] });
    l.op(Op::Emblem { cx: w / 2.0, cy: 190.0, r: 70.0 });
    l.spaced_title(w / 2.0, 360.0, FontId::SansBold, 60.0, BLACK, "道路运输经营许可证", 10.0)?;
    l.run_centered(w / 2.0, 420.0, st.label, 26.0, BLACK, &[t("（副本）")])?;
    let sz = st.size + 4.0;
    l.run(130.0, 500.0, st.label, sz, BLACK, &[t("许可证号："), Seg::F("permit_number")])?;
    let rh = 86.0;
    let y0 = 560.0;
    let (a, b) = (200.0, 780.0);
    let st2 = Style { size: sz, ..*st };
    row(&mut l, &st2, 130.0, y0, rh, &[cell("业户名称", a, vec![Seg::F("company_name")], b)])?;
    row(&mut l, &st2, 130.0, y0 + rh, rh, &[cell("地　　址", a, vec![Seg::F("address")], b)])?;
    row(&mut l, &st2, 130.0, y0 + 2.0 * rh, rh, &[cell("经济类型", a, vec![t("有限责任公司")], b)])?;
    row(&mut l, &st2, 130.0, y0 + 3.0 * rh, rh * 1.5, &[cell("经营范围", a, vec![Seg::F("business_scope")], b)])?;
    row(&mut l, &st2, 130.0, y0 + 4.5 * rh, rh, &[cell("有 效 期", a, vec![Seg::F("valid_from"), t(" 至 "), Seg::F("valid_until")], b)])?;
    let auth = doc.authority();
    l.run(700.0, 1420.0, st.label, sz, BLACK, &[t("发证机关（章）")])?;
    l.run(700.0, 1480.0, st.label, sz, BLACK, &[t(auth.clone())])?;
    l.seal(880.0, 1420.0, 110.0, FontId::Sans, &auth, "行政许可专用章")?;
    l.run_centered(w / 2.0, 1640.0, FontId::Sans, 18.0, GREY, &[t("中华人民共和国交通运输部监制")])?;
    Ok((l, "a4".into()))
}

// ------------------------------------------------------------ 身份证

fn id_card(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1012.0, 638.0);
    let mut l = new_layout(doc, w as u32, h as u32, [250, 250, 250]);
    l.op(Op::Fill { x: 6.0, y: 6.0, w: w - 12.0, h: h - 12.0, color: [232, 240, 244] });
    l.op(Op::Tint { x: 6.0, y: 6.0, w: w - 12.0, h: h - 12.0, color: [214, 228, 236], period: rng.random_range(10.0..18.0) });
    let lab_c = [60, 110, 160];
    let ls = 22.0;
    let vs = 28.0;
    let vf = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    l.run(60.0, 100.0, FontId::Sans, ls, lab_c, &[t("姓名")])?;
    l.run(150.0, 100.0, vf, vs + 4.0, BLACK, &[Seg::F("name")])?;
    l.run(60.0, 170.0, FontId::Sans, ls, lab_c, &[t("性别")])?;
    l.run(150.0, 170.0, vf, vs, BLACK, &[Seg::F("sex")])?;
    l.run(260.0, 170.0, FontId::Sans, ls, lab_c, &[t("民族")])?;
    l.run(350.0, 170.0, vf, vs, BLACK, &[Seg::F("ethnicity")])?;
    l.run(60.0, 240.0, FontId::Sans, ls, lab_c, &[t("出生")])?;
    l.run(150.0, 240.0, vf, vs, BLACK, &[Seg::F("birth_date")])?;
    l.run(60.0, 310.0, FontId::Sans, ls, lab_c, &[t("住址")])?;
    l.para(150.0, 310.0, 470.0, 0.0, 42.0, vf, vs, BLACK, &[Seg::F("address")])?;
    l.run(60.0, 540.0, FontId::Sans, ls, lab_c, &[t("公民身份号码")])?;
    l.run(250.0, 542.0, FontId::Sans, 38.0, BLACK, &[Seg::F("id_number")])?;
    photo(&mut l, 680.0, 80.0, 260.0, 330.0);
    Ok((l, "front".into()))
}

// ------------------------------------------------------------ letters

fn a4(doc: &PageDoc, rng: &mut ChaCha8Rng) -> Layout {
    new_layout(doc, 1240, 1754, *pick(rng, &[[255, 255, 255], [252, 251, 247], [248, 248, 244]]))
}

fn letter(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = a4(doc, rng);
    let body = if st.value == FontId::Kai { FontId::Serif } else { st.value };
    let sz = st.size + 5.0;
    let lead = sz * 2.0;
    l.spaced_title(620.0, 220.0, FontId::SansBold, 52.0, BLACK, "授权委托书", 18.0)?;
    let x = 150.0;
    let mw = 940.0;
    let mut y = 360.0;
    y = l.para(x, y, mw, 0.0, lead, body, sz, BLACK, &[t("委托单位："), Seg::F("principal_name")])?;
    y = l.para(x, y, mw, 0.0, lead, body, sz, BLACK, &[t("统一社会信用代码："), Seg::F("principal_uscc")])?;
    let legal = doc.extra.get("legal").cloned().unwrap_or_default();
    y = l.para(x, y, mw, 0.0, lead, body, sz, BLACK, &[t(format!("法定代表人：{legal}"))])?;
    y = l.para(x, y, mw, 0.0, lead, body, sz, BLACK, &[t("受托人："), Seg::F("agent_name")])?;
    y = l.para(x, y, mw, 0.0, lead, body, sz, BLACK, &[t("身份证号码："), Seg::F("agent_id_number")])?;
    y += lead * 0.5;
    y = l.para(x, y, mw, sz * 2.0, lead, body, sz, BLACK, &[t("兹委托受托人代表我单位办理大件运输许可申请及相关手续。受托人在办理上述事项过程中所签署的有关文件，我单位均予以承认，由此产生的法律责任由我单位承担。")])?;
    y = l.para(x, y, mw, sz * 2.0, lead, body, sz, BLACK, &[t("委托期限："), Seg::F("valid_from"), t("至"), Seg::F("valid_until")])?;
    y = l.para(x, y, mw, sz * 2.0, lead, body, sz, BLACK, &[t("受托人无转委托权。")])?;
    y += lead * 2.0;
    let principal = l.printed("principal_name").unwrap_or("").to_string();
    l.run(620.0, y, body, sz, BLACK, &[t("委托单位（盖章）：")])?;
    l.run(650.0, y + lead, body, sz, BLACK, &[t("法定代表人（签字）：")])?;
    l.run(930.0, y + lead + 4.0, FontId::Kai, sz + 10.0, [30, 30, 90], &[t(legal)])?;
    let signed = doc.extra.get("signed").cloned().unwrap_or_default();
    l.run(760.0, y + 2.5 * lead, body, sz, BLACK, &[t(signed)])?;
    l.seal(860.0, y + 10.0, 105.0, FontId::Sans, &principal, "")?;
    Ok((l, "a4".into()))
}

const NUMERALS: [&str; 5] = ["一", "二", "三", "四", "五"];

fn escort_plan(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = a4(doc, rng);
    let body = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    let sz = st.size;
    let lead = sz * 1.75;
    let company = doc.extra.get("company").cloned().unwrap_or_default();
    let cargo = doc.extra.get("cargo").cloned().unwrap_or_default();
    l.run_centered(620.0, 170.0, FontId::SansBold, 44.0, BLACK, &[t("大件运输护送方案")])?;
    let x = 130.0;
    let mw = 980.0;
    let mut y = 260.0;
    y = l.para(x, y, mw, sz * 2.0, lead, body, sz, BLACK, &[t(format!("为确保{company}承运的{cargo}运输安全，依据《超限运输车辆行驶公路管理规定》（交通运输部令2016年第62号），结合本次运输车货情况和沿线道路条件，制定本护送方案。"))])?;
    let mut k = 0;
    for (key, title) in SECTIONS {
        let Some(text) = doc.extra.get(key) else { continue };
        y += lead * 0.4;
        let heading = format!("{}、{}", NUMERALS[k], title);
        let before = l.lines.len();
        l.run(x, y, FontId::SansBold, sz + 4.0, BLACK, &[t(heading)])?;
        let ln = &l.lines[before];
        let rect = [ln.x, ln.top, ln.x + ln.width(), ln.top + ln.height];
        l.field_rect("sections", rect);
        y += lead * 1.2;
        y = l.para(x, y, mw, sz * 2.0, lead, body, sz, BLACK, &[t(text.clone())])?;
        k += 1;
    }
    y += lead;
    l.run(700.0, y, body, sz, BLACK, &[t(format!("编制单位：{company}"))])?;
    l.seal(900.0, y - 10.0, 100.0, FontId::Sans, &company, "")?;
    Ok((l, "a4".into()))
}

fn dim_h(l: &mut Layout, x0: f32, x1: f32, y: f32, label: &str) -> Result<()> {
    l.op(Op::Line { x0, y0: y, x1, y1: y, width: 1.5, color: BLACK });
    for x in [x0, x1] {
        l.op(Op::Line { x0: x, y0: y - 12.0, x1: x, y1: y + 12.0, width: 1.5, color: BLACK });
    }
    l.op(Op::Line { x0, y0: y, x1: x0 + 14.0, y1: y - 6.0, width: 1.5, color: BLACK });
    l.op(Op::Line { x0, y0: y, x1: x0 + 14.0, y1: y + 6.0, width: 1.5, color: BLACK });
    l.op(Op::Line { x0: x1, y0: y, x1: x1 - 14.0, y1: y - 6.0, width: 1.5, color: BLACK });
    l.op(Op::Line { x0: x1, y0: y, x1: x1 - 14.0, y1: y + 6.0, width: 1.5, color: BLACK });
    l.run_centered((x0 + x1) / 2.0, y - 10.0, FontId::Sans, 24.0, BLACK, &[t(label)])?;
    Ok(())
}

fn dim_v(l: &mut Layout, x: f32, y0: f32, y1: f32, label: &str) -> Result<()> {
    l.op(Op::Line { x0: x, y0, x1: x, y1, width: 1.5, color: BLACK });
    for y in [y0, y1] {
        l.op(Op::Line { x0: x - 12.0, y0: y, x1: x + 12.0, y1: y, width: 1.5, color: BLACK });
    }
    l.run(x + 10.0, (y0 + y1) / 2.0 + 8.0, FontId::Sans, 24.0, BLACK, &[t(label)])?;
    Ok(())
}

fn contour(doc: &PageDoc, _st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1754.0, 1240.0);
    let mut l = new_layout(doc, w as u32, h as u32, *pick(rng, &[[255, 255, 255], [250, 250, 246]]));
    let g = |k: &str| doc.extra.get(k).and_then(|s| s.parse::<f32>().ok()).unwrap_or(0.0);
    let (len, wid, hei, total, axles, tax) = (g("length"), g("width"), g("height"), g("total"), g("axles") as usize, g("tractor_axles") as usize);
    l.run_centered(w / 2.0, 90.0, FontId::SansBold, 44.0, BLACK, &[t("车货轮廓图")])?;
    l.op(Op::Stroke { x: 40.0, y: 40.0, w: w - 80.0, h: h - 80.0, width: 3.0, color: BLACK });
    // Side view, scaled to 1100 px for the whole length.
    let s = 1100.0 / len.max(1.0);
    let (x0, ground) = (120.0, 720.0);
    let cab_l = 6500.0 * s;
    let cab_h = 3500.0 * s.max(0.04);
    let hs = (360.0 / hei.max(1.0)).min(s * 1.6);
    l.op(Op::Stroke { x: x0, y: ground - 3300.0 * hs, w: cab_l * 0.4, h: 3300.0 * hs - 40.0, width: 2.5, color: BLACK });
    l.op(Op::Line { x0: x0 + cab_l * 0.4, y0: ground - 1500.0 * hs, x1: x0 + cab_l, y1: ground - 1500.0 * hs, width: 2.5, color: BLACK });
    let deck_y = ground - 1000.0 * hs;
    l.op(Op::Stroke { x: x0 + cab_l * 0.8, y: deck_y, w: len * s - cab_l * 0.8, h: 200.0 * hs + 4.0, width: 2.5, color: BLACK });
    let top = ground - hei * hs;
    l.op(Op::Stroke { x: x0 + cab_l * 1.1, y: top, w: len * s - cab_l * 1.2, h: deck_y - top, width: 2.5, color: [40, 40, 140] });
    let _ = cab_h;
    // Wheels.
    let r = 22.0;
    for i in 0..axles {
        let x = if i < tax { x0 + 40.0 + i as f32 * (cab_l * 0.8 / tax.max(1) as f32) } else { x0 + len * s - 60.0 - (axles - 1 - i) as f32 * 52.0 };
        l.op(Op::Ellipse { cx: x, cy: ground - r, rx: r, ry: r, width: 3.0, color: BLACK });
    }
    l.op(Op::Line { x0: 80.0, y0: ground, x1: x0 + len * s + 60.0, y1: ground, width: 1.5, color: GREY });
    dim_h(&mut l, x0, x0 + len * s, ground + 70.0, &format!("{}", len as u32))?;
    dim_v(&mut l, x0 + len * s + 40.0, top, ground, &format!("{}", hei as u32))?;
    // Front view.
    let fx = 1420.0;
    let fs = 220.0 / wid.max(1.0);
    let fw = wid * fs;
    l.op(Op::Stroke { x: fx - fw / 2.0, y: top, w: fw, h: ground - top - 2.0 * r, width: 2.5, color: [40, 40, 140] });
    l.op(Op::Ellipse { cx: fx - fw / 2.0 + r, cy: ground - r, rx: r, ry: r, width: 3.0, color: BLACK });
    l.op(Op::Ellipse { cx: fx + fw / 2.0 - r, cy: ground - r, rx: r, ry: r, width: 3.0, color: BLACK });
    dim_h(&mut l, fx - fw / 2.0, fx + fw / 2.0, ground + 70.0, &format!("{}", wid as u32))?;
    l.run_centered(x0 + 550.0, 200.0, FontId::Sans, 26.0, BLACK, &[t("侧视图")])?;
    l.run_centered(fx, 200.0, FontId::Sans, 26.0, BLACK, &[t("正视图")])?;
    // Table.
    let ty = 900.0;
    let cols = [("车货总长", format!("{}mm", len as u32)), ("车货总宽", format!("{}mm", wid as u32)), ("车货总高", format!("{}mm", hei as u32)), ("车货总质量", format!("{}kg", total as u32)), ("轴数", format!("{axles}"))];
    for (i, (k, v)) in cols.iter().enumerate() {
        let x = 120.0 + i as f32 * 300.0;
        l.op(Op::Stroke { x, y: ty, w: 300.0, h: 60.0, width: 1.5, color: BLACK });
        l.op(Op::Stroke { x, y: ty + 60.0, w: 300.0, h: 60.0, width: 1.5, color: BLACK });
        l.run_centered(x + 150.0, ty + 40.0, FontId::Sans, 26.0, BLACK, &[t(*k)])?;
        l.run_centered(x + 150.0, ty + 100.0, FontId::Sans, 26.0, BLACK, &[t(v.clone())])?;
    }
    let company = doc.extra.get("company").cloned().unwrap_or_default();
    let cargo = doc.extra.get("cargo").cloned().unwrap_or_default();
    l.run(120.0, 1110.0, FontId::Sans, 24.0, BLACK, &[t(format!("货物：{cargo}　　单位：mm　　绘制单位：{company}"))])?;
    Ok((l, "a4_landscape".into()))
}

fn commitment(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = a4(doc, rng);
    let body = st.value;
    let sz = st.size + 4.0;
    let lead = sz * 2.0;
    let company = doc.extra.get("company").cloned().unwrap_or_default();
    l.spaced_title(620.0, 220.0, FontId::SansBold, 52.0, BLACK, "承诺书", 30.0)?;
    let mut y = 360.0;
    y = l.para(150.0, y, 940.0, 0.0, lead, body, sz, BLACK, &[t("公路管理机构：")])?;
    y = l.para(150.0, y, 940.0, sz * 2.0, lead, body, sz, BLACK, &[t("本单位郑重承诺：所提交的大件运输许可申请材料真实、有效，运输车辆及驾驶人员符合相关规定；运输过程中严格按照许可的时间、路线和速度行驶，服从公路管理机构和公安交通管理部门的管理，主动配合护送和检查。如有虚假，愿承担相应的法律责任。")])?;
    y = l.para(150.0, y, 940.0, sz * 2.0, lead, body, sz, BLACK, &[t("特此承诺。")])?;
    y += lead * 2.0;
    l.run(600.0, y, body, sz, BLACK, &[t(format!("承诺单位（盖章）：{company}"))])?;
    let signed = doc.extra.get("signed").cloned().unwrap_or_default();
    l.run(800.0, y + lead, body, sz, BLACK, &[t(signed)])?;
    l.seal(880.0, y, 105.0, FontId::Sans, &company, "")?;
    Ok((l, "a4".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{world_and_apps_in, Split};

    #[test]
    fn every_family_draws_every_value_of_its_pages_on_the_page() {
        let (_, cases) = world_and_apps_in(3, 12, Split::Seen).unwrap();
        for (kind, family, _) in families() {
            let docs: Vec<&PageDoc> = cases.iter().flat_map(|c| &c.pages).filter(|p| p.kind == kind).take(12).collect();
            assert!(!docs.is_empty(), "no {kind} page to draw");
            for doc in docs {
                let mut doc = doc.clone();
                doc.x("family", family);
                let (l, variant, _) = layout(&doc).unwrap_or_else(|e| panic!("{kind}/{family}: {e:#}"));
                assert!(l.width > 0 && l.height > 0);
                for line in &l.lines {
                    assert!(line.x >= 0.0 && line.x + line.width() <= l.width as f32 + 1.0, "{variant}: a line runs off the page: {}", line.text);
                    assert!(line.top >= 0.0 && line.top + line.height <= l.height as f32 + 1.0, "{variant}: a line runs off the page: {}", line.text);
                }
            }
        }
    }

    #[test]
    fn held_out_pages_are_drawn_in_their_kinds_held_out_family_and_others_never() {
        let (_, cases) = world_and_apps_in(3, 12, Split::Seen).unwrap();
        let held: Vec<(DocKind, &str)> = families().into_iter().filter(|f| f.2).map(|f| (f.0, f.1)).collect();
        let mut drawn_held = 0;
        for doc in cases.iter().flat_map(|c| &c.pages) {
            let st = style(&mut ChaCha8Rng::seed_from_u64(doc.seed));
            let f = family(doc, &st).unwrap_or("first");
            assert!(!held.contains(&(doc.kind, f)), "a training page drawn in the held-out {}/{f}", doc.kind);
            let mut doc = doc.clone();
            doc.x("held_out", "1");
            let f = family(&doc, &st).unwrap_or("first");
            drawn_held += held.contains(&(doc.kind, f)) as usize;
        }
        assert!(drawn_held > 0);
    }
}
