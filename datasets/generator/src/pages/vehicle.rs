//! Layout families of the vehicle's documents (行驶证, 道路运输证) beyond
//! the first edition and the printout in `mod.rs`.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Family, Style};
use crate::docs::PageDoc;
use crate::fonts::FontId;
use crate::layout::{t, Layout, Op, Seg, BLACK, RED};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::RoadTransportCertificate, name: "paper", draw: rtc_paper, held_out: true },
];

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
    let auth = doc.extra.get("authority").cloned().unwrap_or_default();
    l.run(rx, y + 1.6 * lead, st.label, st.size, st.label_color, &[t(format!("核发机关：{auth}"))])?;
    l.seal(rx + 330.0, y + 1.3 * lead, 80.0, FontId::Sans, &auth, "道路运输证专用章")?;
    Ok((l, "paper".into()))
}

