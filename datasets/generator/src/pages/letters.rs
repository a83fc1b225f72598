//! Layout families of the letters and plans (授权委托书, 护送方案, 承诺书) beyond the first
//! edition and the printout in `mod.rs`.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Family, Style};
use crate::docs::{PageDoc, SECTIONS};
use crate::fonts::{self, FontId};
use crate::layout::{t, Layout, Op, Rgb, Seg, BLACK, GREY, RED};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::AuthorizationLetter, name: "form_table", draw: letter_form_table, held_out: false },
    Family { kind: DocKind::AuthorizationLetter, name: "blanks", draw: letter_blanks, held_out: false },
    Family { kind: DocKind::AuthorizationLetter, name: "letterhead", draw: letter_letterhead, held_out: true },
    Family { kind: DocKind::EscortPlan, name: "table", draw: escort_table, held_out: false },
    Family { kind: DocKind::EscortPlan, name: "numbered", draw: escort_numbered, held_out: false },
    Family { kind: DocKind::EscortPlan, name: "notice", draw: escort_notice, held_out: true },
    Family { kind: DocKind::Other, name: "table_form", draw: commitment_table_form, held_out: false },
    Family { kind: DocKind::Other, name: "short_letter", draw: commitment_short_letter, held_out: true },
];

const W: f32 = 1240.0;

fn extra(doc: &PageDoc, key: &str) -> String {
    doc.extra.get(key).cloned().unwrap_or_default()
}

/// A body font that is not the handwriting-like Kai (kept for signatures).
fn body_font(st: &Style) -> FontId {
    if st.value == FontId::Kai { FontId::Serif } else { st.value }
}

/// Records the box of the line drawn last as one of the plan's `sections`.
fn mark_section(l: &mut Layout, line: usize) {
    let ln = &l.lines[line];
    let rect = [ln.x, ln.top, ln.x + ln.width(), ln.top + ln.height];
    l.field_rect("sections", rect);
}

/// A signature written by hand (Kai, blue-black ink, a little tilted in size).
fn signature(l: &mut Layout, x: f32, baseline: f32, size: f32, name: &str) -> Result<f32> {
    l.run(x, baseline, FontId::Kai, size, [30, 30, 90], &[t(name)])
}

/// One ruled form row: a label cell (optionally shaded) and a value cell
/// whose segments wrap inside it. Returns the row height drawn.
#[allow(clippy::too_many_arguments)]
fn form_row(l: &mut Layout, st: &Style, x: f32, y: f32, min_h: f32, label: &str, label_w: f32, value_w: f32, value: &[Seg], size: f32, shade: Option<Rgb>) -> Result<f32> {
    let font = body_font(st);
    let lead = size * 1.6;
    // Lines the value needs.
    let text = l.text_of(value);
    let lines = (fonts::width(font, size, &text) / (value_w - 28.0)).ceil().max(1.0);
    let h = min_h.max(lines * lead + size * 1.2);
    if let Some(c) = shade {
        l.op(Op::Fill { x, y, w: label_w, h, color: c });
    }
    l.op(Op::Stroke { x, y, w: label_w, h, width: 1.5, color: st.line });
    l.op(Op::Stroke { x: x + label_w, y, w: value_w, h, width: 1.5, color: st.line });
    let ls = super::fit(st.label, size * 0.95, label, label_w - 20.0);
    let lw = fonts::width(st.label, ls, label);
    l.run(x + (label_w - lw) / 2.0, y + h / 2.0 + ls * 0.35, st.label, ls, st.label_color, &[t(label)])?;
    let first = y + (h - (lines - 1.0) * lead) / 2.0 + size * 0.35;
    l.para(x + label_w + 14.0, first, value_w - 28.0, 0.0, lead, font, size, st.value_color, value)?;
    Ok(h)
}

// ------------------------------------------------------------ 授权委托书

/// The 授权委托书 as the ruled form many offices hand out for the 大件运输
/// permit window: a title, one table with 委托单位 / 统一社会信用代码 /
/// 法定代表人 / 受托人（经办人）/ 身份证号码 / 委托事项 / 委托期限, then the
/// seal and signature lines under the table.
fn letter_form_table(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let title = *pick(rng, &["授权委托书", "授权委托书", "法人授权委托书", "委托书"]);
    l.spaced_title(W / 2.0, 200.0, FontId::SansBold, rng.random_range(44.0..54.0), BLACK, title, rng.random_range(8.0..20.0))?;
    let size = st.size + rng.random_range(0.0..3.0);
    let (x, label_w) = (110.0, rng.random_range(250.0..300.0));
    let value_w = W - 2.0 * x - label_w;
    let min_h = rng.random_range(78.0..96.0);
    let shade = rng.random_bool(0.4).then(|| *pick(rng, &[[238, 238, 238], [232, 238, 246], [244, 240, 230]]));
    let legal = extra(doc, "legal");
    let split_agent = rng.random_bool(0.5);
    let mut y = 290.0;
    if rng.random_bool(0.5) {
        // Some forms carry a number line above the table.
        l.run(W - x - 330.0, y - 20.0, st.label, 20.0, GREY, &[t(format!("编号：{}", rng.random_range(1000..9999)))])?;
        y += 20.0;
    }
    y += form_row(&mut l, st, x, y, min_h, "委托单位", label_w, value_w, &[Seg::F("principal_name")], size, shade)?;
    y += form_row(&mut l, st, x, y, min_h, "统一社会信用代码", label_w, value_w, &[Seg::F("principal_uscc")], size, shade)?;
    y += form_row(&mut l, st, x, y, min_h, "法定代表人", label_w, value_w, &[t(legal.clone())], size, shade)?;
    if split_agent {
        // 受托人 and its ID number on one row: two label|value pairs.
        let (a, b) = (label_w, value_w * 0.32);
        let c = label_w * 0.8;
        let d = value_w - b - c;
        let h = min_h;
        for (cx, cw) in [(x, a), (x + a + b, c)] {
            if let Some(col) = shade {
                l.op(Op::Fill { x: cx, y, w: cw, h, color: col });
            }
        }
        let cells: [(f32, f32, &str, Seg); 2] = [(x, a, "受托人（经办人）", Seg::F("agent_name")), (x + a + b, c, "身份证号码", Seg::F("agent_id_number"))];
        for (i, (cx, cw, lab, val)) in cells.into_iter().enumerate() {
            let vw = if i == 0 { b } else { d };
            l.op(Op::Stroke { x: cx, y, w: cw, h, width: 1.5, color: st.line });
            l.op(Op::Stroke { x: cx + cw, y, w: vw, h, width: 1.5, color: st.line });
            let ls = super::fit(st.label, size * 0.95, lab, cw - 16.0);
            let lw = fonts::width(st.label, ls, lab);
            l.run(cx + (cw - lw) / 2.0, y + h / 2.0 + ls * 0.35, st.label, ls, st.label_color, &[t(lab)])?;
            let vt = l.text_of(std::slice::from_ref(&val));
            let vs = super::fit(body_font(st), size, &vt, vw - 20.0);
            l.run(cx + cw + 10.0, y + h / 2.0 + vs * 0.35, body_font(st), vs, st.value_color, &[val])?;
        }
        y += h;
    } else {
        y += form_row(&mut l, st, x, y, min_h, "受托人（经办人）", label_w, value_w, &[Seg::F("agent_name")], size, shade)?;
        y += form_row(&mut l, st, x, y, min_h, "身份证号码", label_w, value_w, &[Seg::F("agent_id_number")], size, shade)?;
    }
    let matter = *pick(
        rng,
        &[
            "代表我单位办理大件运输许可（超限运输车辆行驶公路许可）的申请、材料提交、补正及领取许可证件等事宜。",
            "办理公路大件运输许可申请及相关手续，对其在办理过程中签署的文件和提交的材料，我单位均予以承认。",
            "代为办理超限运输车辆行驶公路许可申请、查询、变更及领证手续。",
        ],
    );
    y += form_row(&mut l, st, x, y, min_h * 1.4, "委托事项", label_w, value_w, &[t(matter)], size, shade)?;
    let sep = *pick(rng, &[" 至 ", "至", " — "]);
    y += form_row(&mut l, st, x, y, min_h, "委托期限", label_w, value_w, &[Seg::F("valid_from"), t(sep), Seg::F("valid_until")], size, shade)?;
    if rng.random_bool(0.5) {
        y += form_row(&mut l, st, x, y, min_h, "备　　注", label_w, value_w, &[t("受托人无转委托权。")], size, shade)?;
    }
    // Seal and signature area under the table.
    let font = body_font(st);
    let lead = size * 2.1;
    let mut sy = y + rng.random_range(100.0..150.0);
    let principal = l.printed("principal_name").unwrap_or("").to_string();
    let agent = l.printed("agent_name").unwrap_or("").to_string();
    let sx = rng.random_range(560.0..640.0);
    l.run(x + 20.0, sy, font, size, BLACK, &[t("委托单位（盖章）：")])?;
    l.seal(sx + 150.0, sy - 10.0, 105.0, FontId::Sans, &principal, "")?;
    sy += lead * 1.4;
    let e = l.run(x + 20.0, sy, font, size, BLACK, &[t("法定代表人（签字或盖章）：")])?;
    signature(&mut l, e + 20.0, sy + 4.0, size + 8.0, &legal)?;
    sy += lead;
    let e = l.run(x + 20.0, sy, font, size, BLACK, &[t("受托人（签字）：")])?;
    if rng.random_bool(0.7) {
        signature(&mut l, e + 20.0, sy + 4.0, size + 8.0, &agent)?;
    }
    sy += lead * 1.3;
    l.run(sx + 80.0, sy, font, size, BLACK, &[t(extra(doc, "signed"))])?;
    Ok((l, "form_table".into()))
}

/// A piece of a sentence with blanks: fixed text that wraps anywhere, or a
/// value written into an underlined blank.
enum Piece {
    Text(String),
    Blank(Seg),
}

fn tx(s: impl Into<String>) -> Piece {
    Piece::Text(s.into())
}

/// Lays out text with underlined blanks, wrapping inside [x, x+max_w]; the
/// first line is indented. Returns the baseline after the last line.
#[allow(clippy::too_many_arguments)]
fn blanks_para(l: &mut Layout, x: f32, mut y: f32, max_w: f32, indent: f32, lead: f32, font: FontId, size: f32, color: Rgb, pad: f32, ink: Rgb, pieces: &[Piece]) -> Result<f32> {
    // With no padding the blanks are not ruled: values simply never break.
    let ruled = pad > 0.0;
    let mut cx = x + indent;
    let right = x + max_w;
    for p in pieces {
        match p {
            Piece::Text(s) => {
                let chars: Vec<char> = s.chars().collect();
                let adv = fonts::advances(font, size, s);
                let mut i = 0;
                while i < chars.len() {
                    let mut w = 0.0;
                    let mut j = i;
                    while j < chars.len() && cx + w + adv[j] <= right {
                        w += adv[j];
                        j += 1;
                    }
                    // Closing punctuation stays with the line before.
                    while j < chars.len() && j > i && "，。、；：）》”".contains(chars[j]) && cx + w + adv[j] <= right + size {
                        w += adv[j];
                        j += 1;
                    }
                    if j == i {
                        y += lead;
                        cx = x;
                        continue;
                    }
                    let piece: String = chars[i..j].iter().collect();
                    l.run(cx, y, font, size, color, &[t(piece)])?;
                    cx += w;
                    i = j;
                    if i < chars.len() {
                        y += lead;
                        cx = x;
                    }
                }
            }
            Piece::Blank(seg) => {
                let text = l.text_of(std::slice::from_ref(seg));
                let w = fonts::width(font, size, &text);
                let bw = w + 2.0 * pad;
                if cx + bw > right && cx > x {
                    y += lead;
                    cx = x;
                }
                let vs = super::fit(font, size, &text, max_w - 2.0 * pad);
                let vw = fonts::width(font, vs, &text);
                l.run(cx + pad, y, font, vs, ink, std::slice::from_ref(seg))?;
                let bw = vw + 2.0 * pad;
                if ruled {
                    l.op(Op::Line { x0: cx, y0: y + size * 0.28, x1: cx + bw, y1: y + size * 0.28, width: 1.5, color: BLACK });
                }
                cx += bw;
            }
        }
    }
    Ok(y + lead)
}

/// The 授权委托书 written as a letter whose values sit in underlined blanks
/// inside the sentences (兹委托 ＿＿ 为我单位 ＿＿ 的合法代理人 …), in the
/// phrasings of three different offices' templates; the signature block at
/// the bottom of the page.
fn letter_blanks(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let font = body_font(st);
    let size = st.size + rng.random_range(3.0..6.0);
    let lead = size * rng.random_range(2.0..2.4);
    let title = *pick(rng, &["授权委托书", "委托书", "授 权 委 托 书"]);
    l.run_centered(W / 2.0, 210.0, FontId::SansBold, rng.random_range(46.0..54.0), BLACK, &[t(title)])?;
    let (x, mw) = (140.0, 960.0);
    let mut y = 340.0;
    if rng.random_bool(0.6) {
        let to = *pick(rng, &["交通运输主管部门：", "公路管理机构：", "市交通运输局："]);
        l.run(x, y, font, size, BLACK, &[t(to)])?;
        y += lead;
    }
    // Filled-in values: blue-black ink (by hand) or printed black.
    let ink = if rng.random_bool(0.4) { [30, 40, 110] } else { st.value_color };
    let pad = rng.random_range(16.0..34.0);
    let legal = extra(doc, "legal");
    let b = |k: &'static str| Piece::Blank(Seg::F(k));
    let phrasing = rng.random_range(0..3);
    let pieces: Vec<Piece> = match phrasing {
        0 => vec![
            tx("兹委托"), b("agent_name"), tx("（身份证号码："), b("agent_id_number"),
            tx("）为我单位"), b("principal_name"), tx("（统一社会信用代码："), b("principal_uscc"),
            tx("）的合法代理人，代表我单位办理大件运输许可申请及相关事宜。代理人在办理上述事项过程中所签署的一切文件和处理与之有关的事务，我单位均予以承认。委托期限自"),
            b("valid_from"), tx("至"), b("valid_until"), tx("止。"),
        ],
        1 => vec![
            tx("我单位"), b("principal_name"), tx("（统一社会信用代码："), b("principal_uscc"),
            tx("）现委托"), b("agent_name"), tx("（身份证号码："), b("agent_id_number"),
            tx("）作为我单位代理人，办理超限运输车辆行驶公路许可申请事宜，其在办理过程中提交的材料及签署的文件，我单位均予认可，并承担相应的法律责任。委托期限：自"),
            b("valid_from"), tx("起至"), b("valid_until"), tx("止。"),
        ],
        _ => vec![
            tx("本单位"), b("principal_name"), tx("（统一社会信用代码："), b("principal_uscc"),
            tx("）法定代表人"), Piece::Blank(t(legal.clone())), tx("，特授权"), b("agent_name"),
            tx("（身份证号码："), b("agent_id_number"),
            tx("）为本单位委托代理人，以本单位名义办理公路大件运输许可的申请、补正、领证等事项。委托期限自"),
            b("valid_from"), tx("至"), b("valid_until"), tx("止。"),
        ],
    };
    y = blanks_para(&mut l, x, y, mw, size * 2.0, lead, font, size, BLACK, pad, ink, &pieces)?;
    if rng.random_bool(0.6) {
        y = l.para(x, y, mw, size * 2.0, lead, font, size, BLACK, &[t("代理人无转委托权。")])?;
    }
    y = l.para(x, y, mw, size * 2.0, lead, font, size, BLACK, &[t("特此委托。")])?;
    // Signature block at the bottom of the page.
    let mut sy = y.max(1180.0) + rng.random_range(0.0..60.0);
    let principal = l.printed("principal_name").unwrap_or("").to_string();
    let agent = l.printed("agent_name").unwrap_or("").to_string();
    let sx = rng.random_range(560.0..640.0);
    l.run(sx, sy, font, size, BLACK, &[t("委托单位（盖章）")])?;
    l.seal(sx + 250.0, sy - 20.0, 105.0, FontId::Sans, &principal, "")?;
    sy += lead * 1.2;
    let e = l.run(sx, sy, font, size, BLACK, &[t("法定代表人：")])?;
    signature(&mut l, e + 16.0, sy + 4.0, size + 6.0, &legal)?;
    sy += lead;
    let e = l.run(sx, sy, font, size, BLACK, &[t("受托人：")])?;
    signature(&mut l, e + 16.0, sy + 4.0, size + 6.0, &agent)?;
    sy += lead;
    l.run(sx + 60.0, sy, font, size, BLACK, &[t(extra(doc, "signed"))])?;
    Ok((l, "blanks".into()))
}

/// A **held-out family**: the 授权委托书 as a short letter on the company's
/// own letterhead — the company name large at the top with a coloured
/// double rule, the credit code under it, 致：市交通运输局, a title, two
/// short paragraphs naming the agent, a 受托人签字 line, seal and date.
fn letter_letterhead(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let head_c: Rgb = *pick(rng, &[[190, 30, 30], [30, 60, 140], [20, 100, 80], [40, 40, 40]]);
    let font = body_font(st);
    let size = st.size + rng.random_range(3.0..6.0);
    let lead = size * 2.0;
    // The letterhead.
    let name = l.printed("principal_name").unwrap_or("").to_string();
    let hf = if rng.random_bool(0.6) { FontId::SansBold } else { FontId::Serif };
    let hs = super::fit(hf, rng.random_range(46.0..58.0), &name, 1040.0);
    let centred = rng.random_bool(0.6);
    if centred {
        l.run_centered(W / 2.0, 150.0, hf, hs, head_c, &[Seg::F("principal_name")])?;
    } else {
        l.run(100.0, 150.0, hf, hs, head_c, &[Seg::F("principal_name")])?;
    }
    let ry = 185.0;
    l.op(Op::Fill { x: 90.0, y: ry, w: W - 180.0, h: 5.0, color: head_c });
    if rng.random_bool(0.6) {
        l.op(Op::Line { x0: 90.0, y0: ry + 11.0, x1: W - 90.0, y1: ry + 11.0, width: 1.5, color: head_c });
    }
    let code_s = rng.random_range(20.0..23.0);
    let code = [t("统一社会信用代码："), Seg::F("principal_uscc")];
    if centred {
        l.run_centered(W / 2.0, ry + 52.0, FontId::Sans, code_s, head_c, &code)?;
    } else {
        l.run(100.0, ry + 52.0, FontId::Sans, code_s, head_c, &code)?;
    }
    // The letter.
    let title = *pick(rng, &["法人授权委托书", "委托书"]);
    l.run_centered(W / 2.0, 370.0, FontId::SansBold, rng.random_range(40.0..48.0), BLACK, &[t(title)])?;
    let (x, mw) = (140.0, 960.0);
    let mut y = 470.0;
    let to = *pick(rng, &["致：市交通运输局", "致：交通运输局", "致：市交通运输局公路管理处"]);
    y = l.para(x, y, mw, 0.0, lead, font, size, BLACK, &[t(to)])?;
    let legal = extra(doc, "legal");
    // Values never break across lines (a date cut in two reads as two).
    let v = |k: &'static str| Piece::Blank(Seg::F(k));
    let p1 = [
        tx(format!("我公司法定代表人{legal}现授权委托")),
        v("agent_name"),
        tx("（身份证号码："),
        v("agent_id_number"),
        tx("）为我公司代理人，前往贵局办理大件运输车辆通行许可申请的相关事宜。"),
    ];
    y = blanks_para(&mut l, x, y, mw, size * 2.0, lead, font, size, BLACK, 0.0, st.value_color, &p1)?;
    let p2 = [
        tx("代理人在办理上述事项中所签署的文件和提交的材料，我公司均予以认可。本授权有效期自"),
        v("valid_from"),
        tx("至"),
        v("valid_until"),
        tx("。"),
    ];
    y = blanks_para(&mut l, x, y, mw, size * 2.0, lead, font, size, BLACK, 0.0, st.value_color, &p2)?;
    if rng.random_bool(0.5) {
        y = l.para(x, y, mw, size * 2.0, lead, font, size, BLACK, &[t("特此授权。")])?;
    }
    y += lead;
    let agent = l.printed("agent_name").unwrap_or("").to_string();
    let e = l.run(x, y, font, size, BLACK, &[t("受托人签字：")])?;
    l.op(Op::Line { x0: e + 4.0, y0: y + 8.0, x1: e + 240.0, y1: y + 8.0, width: 1.5, color: BLACK });
    if rng.random_bool(0.7) {
        signature(&mut l, e + 30.0, y, size + 8.0, &agent)?;
    }
    y += lead * 2.0;
    let sx = 640.0;
    let company = format!("{name}（盖章）");
    let cs = super::fit(font, size, &company, W - sx - 60.0);
    l.run(sx.min(W - 60.0 - fonts::width(font, cs, &company)), y, font, cs, BLACK, &[t(company)])?;
    l.seal(sx + 240.0, y - 10.0, 105.0, FontId::Sans, &name, "")?;
    y += lead;
    l.run(sx + 60.0, y, font, size, BLACK, &[t(extra(doc, "signed"))])?;
    // The letterhead's foot rule.
    if rng.random_bool(0.5) {
        l.op(Op::Fill { x: 90.0, y: 1660.0, w: W - 180.0, h: 3.0, color: head_c });
    }
    Ok((l, "letterhead".into()))
}

// ------------------------------------------------------------ 护送方案

const NUMERALS: [&str; 5] = ["一", "二", "三", "四", "五"];

/// The 护送方案 as a table, as some carriers fill in a plan template: a
/// header table (承运单位, 货物名称, 运输日期) and then one row per section,
/// the heading in the left column and its text wrapped in the right.
fn escort_table(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let font = body_font(st);
    let size = st.size;
    let company = extra(doc, "company");
    let cargo = extra(doc, "cargo");
    let title = *pick(rng, &["大件运输护送方案", "护送方案", "超限运输车辆护送方案"]);
    l.run_centered(W / 2.0, 160.0, FontId::SansBold, rng.random_range(40.0..48.0), BLACK, &[t(title)])?;
    let x = 100.0;
    let tw = W - 2.0 * x;
    let shade = rng.random_bool(0.5).then(|| *pick(rng, &[[236, 236, 236], [230, 238, 246]]));
    let mut y = 230.0;
    let lw = 200.0;
    let date = *pick(rng, &["以许可核定的通行时间为准", "按许可证件载明的通行期限", "待许可批准后确定"]);
    for (label, value) in [("承运单位", company.clone()), ("货物名称", cargo.clone()), ("运输日期", date.to_string())] {
        y += form_row(&mut l, st, x, y, 70.0, label, lw, tw - lw, &[t(value)], size, shade)?;
    }
    y += 36.0;
    // The sections' table: an optional number column, heading, content.
    let num_col = rng.random_bool(0.5);
    let nw = if num_col { 70.0 } else { 0.0 };
    let hw = rng.random_range(230.0..270.0);
    let cw = tw - nw - hw;
    let rh = 64.0;
    if let Some(c) = shade {
        l.op(Op::Fill { x, y, w: tw, h: rh, color: c });
    }
    let hy = y + rh / 2.0 + size * 0.35;
    if num_col {
        l.op(Op::Stroke { x, y, w: nw, h: rh, width: 1.5, color: st.line });
        l.run_centered(x + nw / 2.0, hy, FontId::SansBold, size, BLACK, &[t("序号")])?;
    }
    l.op(Op::Stroke { x: x + nw, y, w: hw, h: rh, width: 1.5, color: st.line });
    l.op(Op::Stroke { x: x + nw + hw, y, w: cw, h: rh, width: 1.5, color: st.line });
    l.run_centered(x + nw + hw / 2.0, hy, FontId::SansBold, size, BLACK, &[t(*pick(rng, &["项目", "方案内容", "项　目"]))])?;
    l.run_centered(x + nw + hw + cw / 2.0, hy, FontId::SansBold, size, BLACK, &[t(*pick(rng, &["具体内容", "内容", "措施及要求"]))])?;
    y += rh;
    let lead = size * 1.6;
    let mut k = 0;
    for (key, heading) in SECTIONS {
        let Some(text) = doc.extra.get(key) else { continue };
        let lines = (fonts::width(font, size, text) / (cw - 28.0)).ceil().max(1.0) + 0.3;
        let h = (lines * lead + size * 1.4).max(rh * 1.5);
        let mid = y + h / 2.0 + size * 0.35;
        l.op(Op::Stroke { x: x + nw, y, w: hw, h, width: 1.5, color: st.line });
        l.op(Op::Stroke { x: x + nw + hw, y, w: cw, h, width: 1.5, color: st.line });
        let hs = super::fit(FontId::SansBold, size, heading, hw - 20.0);
        if num_col {
            l.op(Op::Stroke { x, y, w: nw, h, width: 1.5, color: st.line });
            l.run_centered(x + nw / 2.0, mid, font, size, BLACK, &[t(format!("{}", k + 1))])?;
        }
        let line = l.lines.len();
        if num_col {
            l.run_centered(x + nw + hw / 2.0, mid, FontId::SansBold, hs, BLACK, &[t(heading)])?;
        } else {
            l.run_centered(x + nw + hw / 2.0, mid, FontId::SansBold, hs, BLACK, &[t(format!("{}、{heading}", NUMERALS[k]))])?;
        }
        mark_section(&mut l, line);
        let first = y + size * 1.3 + (h - lines * lead - size * 0.6) / 2.0;
        l.para(x + nw + hw + 14.0, first, cw - 28.0, 0.0, lead, font, size, st.value_color, &[t(text.clone())])?;
        y += h;
        k += 1;
    }
    y += 80.0;
    l.run(640.0, y, font, size, BLACK, &[t("编制单位（盖章）：")])?;
    let cs = super::fit(font, size, &company, W - 700.0);
    l.run(640.0, y + size * 2.0, font, cs, BLACK, &[t(company.clone())])?;
    l.seal(900.0, y + 10.0, 100.0, FontId::Sans, &company, "")?;
    Ok((l, "table".into()))
}

/// The 护送方案 as a numbered document: a framed cover block (项目, 承运单位,
/// 货物名称), bold headings numbered （一） or 1. or 第一部分, the text as
/// indented paragraphs, and often 编制人 / 审核人 lines at the foot.
fn escort_numbered(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let font = body_font(st);
    let size = st.size + rng.random_range(0.0..2.0);
    let lead = size * rng.random_range(1.65..1.9);
    let company = extra(doc, "company");
    let cargo = extra(doc, "cargo");
    let title = *pick(rng, &["大件运输车辆护送方案", "公路大件运输护送方案", "护送方案"]);
    l.spaced_title(W / 2.0, 150.0, FontId::SansBold, 44.0, BLACK, title, rng.random_range(0.0..10.0))?;
    let x = 120.0;
    let mw = W - 2.0 * x;
    // Cover block.
    let by = 200.0;
    let bh = size * 1.9 * 3.0 + 30.0;
    l.op(Op::Stroke { x, y: by, w: mw, h: bh, width: 2.0, color: st.line });
    if rng.random_bool(0.5) {
        l.op(Op::Fill { x: x + 2.0, y: by + 2.0, w: mw - 4.0, h: bh - 4.0, color: [246, 246, 242] });
    }
    let mut cy = by + size * 1.9;
    for (lab, v) in [("项目名称：", format!("{cargo}公路大件运输")), ("承运单位：", company.clone()), ("货物名称：", cargo.clone())] {
        let vs = super::fit(font, size, &format!("{lab}{v}"), mw - 60.0);
        l.run(x + 30.0, cy, font, vs, BLACK, &[t(lab), t(v)])?;
        cy += size * 1.9;
    }
    let mut y = by + bh + lead * 1.4;
    let style = rng.random_range(0..3);
    let indented = rng.random_bool(0.5);
    let px = if indented { x + size * 2.0 } else { x };
    for (k, (key, heading)) in SECTIONS.iter().filter(|(k, _)| doc.extra.contains_key(*k)).enumerate() {
        let text = &doc.extra[*key];
        let h = match style {
            0 => format!("（{}）{heading}", NUMERALS[k]),
            1 => format!("{}. {heading}", k + 1),
            _ => format!("第{}部分　{heading}", NUMERALS[k]),
        };
        let line = l.lines.len();
        l.run(x, y, FontId::SansBold, size + 2.0, BLACK, &[t(h)])?;
        mark_section(&mut l, line);
        y += lead * 1.15;
        y = l.para(px, y, W - x - px, size * 2.0, lead, font, size, st.value_color, &[t(text.clone())])?;
        y += lead * 0.3;
    }
    y += lead;
    if rng.random_bool(0.7) {
        l.run(x, y, font, size, BLACK, &[t("编制人：")])?;
        l.op(Op::Line { x0: x + size * 4.0, y0: y + 8.0, x1: x + size * 4.0 + 200.0, y1: y + 8.0, width: 1.2, color: BLACK });
        l.run(x + 520.0, y, font, size, BLACK, &[t("审核人：")])?;
        l.op(Op::Line { x0: x + 520.0 + size * 4.0, y0: y + 8.0, x1: x + 520.0 + size * 4.0 + 200.0, y1: y + 8.0, width: 1.2, color: BLACK });
        y += lead * 1.2;
    }
    // Room above for the seal, which sits on the unit's name.
    y += lead * 1.4;
    let e = l.run(x + 400.0, y, font, size, BLACK, &[t(format!("编制单位：{company}"))])?;
    l.seal((e - 140.0).min(W - 130.0), y + 10.0, 95.0, FontId::Sans, &company, "")?;
    Ok((l, "numbered".into()))
}

/// How an office notice words the five headings: each names the same
/// section as `SECTIONS` in other words.
const NOTICE_HEADINGS: [(&str, [&str; 2]); 5] = [
    ("vehicles", ["护送车辆及设备", "护送车辆配备"]),
    ("personnel", ["护送人员安排", "护送人员组成"]),
    ("route", ["行驶路线", "护送路线说明"]),
    ("procedure", ["护送操作要求", "护送作业要求"]),
    ("contingency", ["应急处置措施", "异常情况应急处置"]),
];

/// A **held-out family**: the plan issued as a company notice (红头文件): a
/// red title band or red header with the company's name, a 文号 line, a red
/// rule, 关于印发…护送方案的通知, a short preamble, then the plan with its
/// headings worded otherwise (一、护送车辆及设备 …).
fn escort_notice(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let font = body_font(st);
    let size = st.size;
    let lead = size * 1.75;
    let company = extra(doc, "company");
    let cargo = extra(doc, "cargo");
    let band = rng.random_bool(0.5);
    let head = format!("{company}文件");
    if band {
        // A red band with the title in white.
        l.op(Op::Fill { x: 0.0, y: 60.0, w: W, h: 130.0, color: [200, 30, 30] });
        let hs = super::fit(FontId::SansBold, 52.0, &head, W - 140.0);
        l.run_centered(W / 2.0, 125.0 + hs * 0.35, FontId::SansBold, hs, [255, 255, 255], &[t(head)])?;
    } else {
        let hs = super::fit(FontId::SansBold, 60.0, &head, W - 140.0);
        l.run_centered(W / 2.0, 150.0, FontId::SansBold, hs, RED, &[t(head)])?;
    }
    let abbr: String = company.chars().take(2).collect();
    let year = *pick(rng, &[2025, 2026]);
    let no = format!("{abbr}运〔{year}〕{}号", rng.random_range(3..80));
    l.run_centered(W / 2.0, 260.0, font, size, BLACK, &[t(no)])?;
    l.op(Op::Fill { x: 90.0, y: 285.0, w: W - 180.0, h: 4.0, color: RED });
    let title = format!("关于印发{cargo}大件运输护送方案的通知");
    let ts = super::fit(FontId::SansBold, 36.0, &title, W - 180.0);
    let x = 120.0;
    let mw = W - 2.0 * x;
    let mut y = 370.0;
    if fonts::width(FontId::SansBold, 36.0, &title) > W - 180.0 && ts < 28.0 {
        // A long cargo name: the title on two lines.
        l.run_centered(W / 2.0, y, FontId::SansBold, 34.0, BLACK, &[t(format!("关于印发{cargo}"))])?;
        y += 50.0;
        l.run_centered(W / 2.0, y, FontId::SansBold, 34.0, BLACK, &[t("大件运输护送方案的通知")])?;
    } else {
        l.run_centered(W / 2.0, y, FontId::SansBold, ts, BLACK, &[t(title)])?;
    }
    y += lead * 1.6;
    l.run(x, y, font, size, BLACK, &[t(*pick(rng, &["各部门、车队：", "公司各部门、运输车队："]))])?;
    y += lead;
    y = l.para(x, y, mw, size * 2.0, lead, font, size, BLACK, &[t(format!("为做好{cargo}公路大件运输护送工作，确保运输安全，现将护送方案印发给你们，请认真贯彻执行。"))])?;
    let v = rng.random_range(0..2);
    let mut k = 0;
    for (key, words) in NOTICE_HEADINGS {
        let Some(text) = doc.extra.get(key) else { continue };
        y += lead * 0.3;
        let line = l.lines.len();
        l.run(x + size * 2.0, y, FontId::SansBold, size + 2.0, BLACK, &[t(format!("{}、{}", NUMERALS[k], words[v]))])?;
        mark_section(&mut l, line);
        y += lead * 1.1;
        y = l.para(x, y, mw, size * 2.0, lead, font, size, st.value_color, &[t(text.clone())])?;
        k += 1;
    }
    y += lead * 2.4;
    let cs = super::fit(font, size, &company, W - 700.0);
    l.run(680.0, y, font, cs, BLACK, &[t(company.clone())])?;
    l.seal(860.0, y + 10.0, 100.0, FontId::Sans, &company, "")?;
    y += lead;
    l.run(740.0, y, font, size, BLACK, &[t(format!("{year}年{}月{}日", rng.random_range(1..13), rng.random_range(1..29)))])?;
    y += lead * 0.5;
    if y + lead * 2.5 < 1700.0 && rng.random_bool(0.6) {
        l.op(Op::Line { x0: 90.0, y0: y + lead * 1.5, x1: W - 90.0, y1: y + lead * 1.5, width: 1.2, color: BLACK });
        l.run(x, y + lead * 2.3, font, size - 2.0, BLACK, &[t(format!("抄送：安全管理部　　　{company}办公室印发"))])?;
    }
    Ok((l, "notice".into()))
}

// ------------------------------------------------------------ 承诺书

/// The 安全承诺书 as a ruled form (the table some permit windows hand out):
/// 承诺单位 / 承诺事项 (numbered commitments) / 承诺单位盖章 / 日期 rows.
fn commitment_table_form(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let mut l = super::a4(doc, rng);
    let font = body_font(st);
    let size = st.size + rng.random_range(0.0..3.0);
    let company = extra(doc, "company");
    let title = *pick(rng, &["大件运输安全承诺书", "公路大件运输安全承诺书", "安全承诺书"]);
    l.run_centered(W / 2.0, 190.0, FontId::SansBold, rng.random_range(42.0..50.0), BLACK, &[t(title)])?;
    let x = 110.0;
    let lw = rng.random_range(200.0..250.0);
    let vw = W - 2.0 * x - lw;
    let shade = rng.random_bool(0.4).then_some([238, 238, 238]);
    let mut y = 270.0;
    y += form_row(&mut l, st, x, y, 80.0, "承诺单位", lw, vw, &[t(company.clone())], size, shade)?;
    y += form_row(&mut l, st, x, y, 80.0, "运输类别", lw, vw, &[t(*pick(rng, &["公路大件运输", "超限运输车辆行驶公路"]))], size, shade)?;
    // The commitments: numbered paragraphs in one tall cell.
    let items = [
        "所提交的许可申请材料真实、有效，无伪造、变造情形；",
        "运输车辆、驾驶人员及押运人员符合国家有关规定；",
        "严格按照许可的时间、路线、速度行驶，不擅自变更；",
        "服从公路管理机构和公安交通管理部门的管理，主动配合护送和检查；",
        "对公路及其附属设施造成损坏的，依法承担赔偿责任。",
    ];
    let n = rng.random_range(4..=5);
    let lead = size * 1.6;
    let cw = vw - 28.0;
    let lines: f32 = items[..n].iter().map(|s| (fonts::width(font, size, &format!("1.{s}")) / cw).ceil()).sum::<f32>() + 2.0;
    let h = lines * lead + size * 1.4;
    if let Some(c) = shade {
        l.op(Op::Fill { x, y, w: lw, h, color: c });
    }
    l.op(Op::Stroke { x, y, w: lw, h, width: 1.5, color: st.line });
    l.op(Op::Stroke { x: x + lw, y, w: vw, h, width: 1.5, color: st.line });
    l.run_centered(x + lw / 2.0, y + h / 2.0 + size * 0.35, st.label, size, st.label_color, &[t("承诺事项")])?;
    let mut py = y + size * 1.6;
    py = l.para(x + lw + 14.0, py, cw, 0.0, lead, font, size, BLACK, &[t("本单位郑重承诺：")])?;
    for (i, s) in items[..n].iter().enumerate() {
        py = l.para(x + lw + 14.0, py, cw, 0.0, lead, font, size, BLACK, &[t(format!("{}.{s}", i + 1))])?;
    }
    l.para(x + lw + 14.0, py, cw, 0.0, lead, font, size, BLACK, &[t("如有违反，愿承担相应的法律责任。")])?;
    y += h;
    let sh = 200.0;
    if let Some(c) = shade {
        l.op(Op::Fill { x, y, w: lw, h: sh, color: c });
    }
    l.op(Op::Stroke { x, y, w: lw, h: sh, width: 1.5, color: st.line });
    l.op(Op::Stroke { x: x + lw, y, w: vw, h: sh, width: 1.5, color: st.line });
    l.run_centered(x + lw / 2.0, y + sh / 2.0 - size * 0.4, st.label, size, st.label_color, &[t("承诺单位")])?;
    l.run_centered(x + lw / 2.0, y + sh / 2.0 + size * 1.1, st.label, size, st.label_color, &[t("（盖章）")])?;
    l.run(x + lw + vw - 300.0, y + sh - 30.0, font, size, BLACK, &[t(extra(doc, "signed"))])?;
    l.seal(x + lw + vw * 0.4, y + sh / 2.0, 92.0, FontId::Sans, &company, "")?;
    y += sh;
    if rng.random_bool(0.5) {
        l.run(x, y + 50.0, FontId::Sans, 20.0, GREY, &[t("注：本承诺书一式两份，许可机关和申请人各执一份。")])?;
    }
    Ok((l, "table_form".into()))
}

/// A **held-out family**: a short 承诺书 on a half sheet (A5 landscape), a
/// few lines of commitment, the company and date at the right, the seal.
fn commitment_short_letter(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 877.0);
    let paper = *pick(rng, &[[255, 255, 255], [250, 249, 244], [246, 246, 246]]);
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    let font = body_font(st);
    let size = st.size + rng.random_range(4.0..7.0);
    let lead = size * 2.0;
    let company = extra(doc, "company");
    let title = *pick(rng, &["承 诺 书", "承诺书", "安全承诺"]);
    l.run_centered(w / 2.0, 130.0, FontId::SansBold, 48.0, BLACK, &[t(title)])?;
    let x = 110.0;
    let mw = w - 2.0 * x;
    let mut y = 240.0;
    if rng.random_bool(0.6) {
        y = l.para(x, y, mw, 0.0, lead, font, size, BLACK, &[t(*pick(rng, &["致：公路管理机构", "交通运输主管部门："]))])?;
    }
    let text = *pick(
        rng,
        &[
            "我单位承诺：本次申请大件运输许可所提供的车辆、驾驶人及货物信息真实准确，运输中按核定路线和时间通行，服从管理。如有不实，自愿承担一切责任。",
            "本公司承诺所报车货信息与实际一致，严格遵守超限运输有关规定，按许可要求通行并落实护送措施，违反承诺的，自愿接受处理。",
        ],
    );
    y = l.para(x, y, mw, size * 2.0, lead, font, size, BLACK, &[t(text)])?;
    y = l.para(x, y, mw, size * 2.0, lead, font, size, BLACK, &[t("特此承诺。")])?;
    y += lead * 1.2;
    let e = l.run(x + 560.0 - 140.0, y, font, size, BLACK, &[t("承诺单位：")])?;
    let cs = super::fit(font, size, &company, w - 60.0 - e);
    l.run(e, y, font, cs, BLACK, &[t(company.clone())])?;
    l.seal((e + 160.0).min(w - 120.0), y - 10.0, 95.0, FontId::Sans, &company, "")?;
    y += lead;
    l.run(x + 560.0 - 140.0, y, font, size, BLACK, &[t(format!("日　　期：{}", extra(doc, "signed")))])?;
    if rng.random_bool(0.5) {
        l.op(Op::Stroke { x: 30.0, y: 30.0, w: w - 60.0, h: h - 60.0, width: 1.5, color: st.line });
    }
    Ok((l, "short_letter".into()))
}
