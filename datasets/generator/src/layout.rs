//! Page layout: turns a page's printed content into drawing operations plus
//! the ground truth (text lines, field spans and boxes). The renderer draws
//! the operations; the text-only path stops here. Both share this code, so
//! what the truth says is printed is exactly what is drawn.

use std::collections::BTreeMap;

use anyhow::Result;


use super::fonts::{self, FontId};

pub type Rgb = [u8; 3];
pub const BLACK: Rgb = [25, 25, 28];
pub const RED: Rgb = [214, 40, 40];
pub const BLUE: Rgb = [40, 70, 150];
pub const GREY: Rgb = [110, 110, 110];
pub const WHITE: Rgb = [255, 255, 255];

/// A drawing operation in page pixels (before any degradation).
#[derive(Debug, Clone)]
pub enum Op {
    Fill { x: f32, y: f32, w: f32, h: f32, color: Rgb },
    Stroke { x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb },
    Line { x0: f32, y0: f32, x1: f32, y1: f32, width: f32, color: Rgb },
    Text { font: FontId, size: f32, color: Rgb, x: f32, baseline: f32, text: String },
    /// A round red seal: ring, star, company name along the upper arc and
    /// an optional straight line under the star. Drawn over the text.
    Seal { cx: f32, cy: f32, r: f32, color: Rgb, font: FontId, arc: String, bottom: String },
    /// The 国徽-like emblem at the top of certificates.
    Emblem { cx: f32, cy: f32, r: f32 },
    /// A portrait placeholder (head and shoulders).
    Photo { x: f32, y: f32, w: f32, h: f32 },
    /// A fine wavy security tint.
    Tint { x: f32, y: f32, w: f32, h: f32, color: Rgb, period: f32 },
    /// A filled ellipse outline (cylindrical cargo in drawings).
    Ellipse { cx: f32, cy: f32, rx: f32, ry: f32, width: f32, color: Rgb },
}

pub use dajian::truth::Role;

#[derive(Debug, Clone)]
pub struct LineOut {
    pub text: String,
    pub role: Role,
    pub x: f32,
    pub top: f32,
    pub height: f32,
    pub adv: Vec<f32>,
}

impl LineOut {
    pub fn width(&self) -> f32 {
        self.adv.iter().sum()
    }
    /// [x0, y0, x1, y1] of characters start..end.
    pub fn span_rect(&self, start: usize, end: usize) -> [f32; 4] {
        let x0 = self.x + self.adv[..start].iter().sum::<f32>();
        let x1 = x0 + self.adv[start..end].iter().sum::<f32>();
        [x0, self.top, x1, self.top + self.height]
    }
}

pub use dajian::truth::Span;

#[derive(Debug, Clone)]
pub struct FieldOut {
    pub value: serde_json::Value,
    pub printed: String,
    pub spans: Vec<Span>,
    /// Extra boxes (e.g. section headings) when the field is not one text span.
    pub rects: Vec<[f32; 4]>,
}

/// What a page prints for a field: the text as printed and its normalised value.
#[derive(Debug, Clone)]
pub struct Printed {
    pub printed: String,
    pub value: serde_json::Value,
}

/// Pieces of a printed run: plain text, or a field's printed value.
#[derive(Debug, Clone)]
pub enum Seg {
    T(String),
    F(&'static str),
}

pub fn t(s: impl Into<String>) -> Seg {
    Seg::T(s.into())
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub paper: Rgb,
    pub ops: Vec<Op>,
    pub lines: Vec<LineOut>,
    pub fields: BTreeMap<String, FieldOut>,
    values: BTreeMap<&'static str, Printed>,
}

impl Layout {
    pub fn new(width: u32, height: u32, paper: Rgb, values: BTreeMap<&'static str, Printed>) -> Layout {
        Layout { width, height, paper, ops: vec![], lines: vec![], fields: BTreeMap::new(), values }
    }

    pub fn op(&mut self, op: Op) {
        self.ops.push(op);
    }

    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub fn printed(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|p| p.printed.as_str())
    }

    /// The text a list of segments prints.
    pub fn text_of(&self, segs: &[Seg]) -> String {
        self.expand(segs).map(|v| v.iter().map(|c| c.0).collect()).unwrap_or_default()
    }

    fn expand(&self, segs: &[Seg]) -> Result<Vec<(char, Option<&'static str>)>> {
        let mut out = vec![];
        for s in segs {
            match s {
                Seg::T(text) => out.extend(text.chars().map(|c| (c, None))),
                Seg::F(key) => {
                    let p = self
                        .values
                        .get(key)
                        .ok_or_else(|| anyhow::anyhow!("layout prints field '{key}' that the page does not have"))?;
                    out.extend(p.printed.chars().map(|c| (c, Some(*key))));
                }
            }
        }
        Ok(out)
    }

    fn emit(&mut self, chars: &[(char, Option<&'static str>)], font: FontId, size: f32, color: Rgb, x: f32, baseline: f32, role: Role) -> Result<usize> {
        let text: String = chars.iter().map(|c| c.0).collect();
        fonts::check(font, &text)?;
        let adv = fonts::advances(font, size, &text);
        let (asc, desc) = fonts::vmetrics(font, size);
        let idx = self.lines.len();
        self.lines.push(LineOut { text: text.clone(), role, x, top: baseline - asc, height: asc + desc, adv });
        self.ops.push(Op::Text { font, size, color, x, baseline, text });
        // Field spans: maximal runs of the same key.
        let mut i = 0;
        while i < chars.len() {
            if let Some(key) = chars[i].1 {
                let start = i;
                while i < chars.len() && chars[i].1 == Some(key) {
                    i += 1;
                }
                self.field_out(key).spans.push(Span { line: idx, start, end: i });
            } else {
                i += 1;
            }
        }
        Ok(idx)
    }

    /// One printed run on one baseline. Returns the x where it ends.
    pub fn run(&mut self, x: f32, baseline: f32, font: FontId, size: f32, color: Rgb, segs: &[Seg]) -> Result<f32> {
        let chars = self.expand(segs)?;
        if chars.is_empty() {
            return Ok(x);
        }
        let i = self.emit(&chars, font, size, color, x, baseline, Role::Text)?;
        Ok(x + self.lines[i].width())
    }

    /// Like `run` but centred on `cx`.
    pub fn run_centered(&mut self, cx: f32, baseline: f32, font: FontId, size: f32, color: Rgb, segs: &[Seg]) -> Result<f32> {
        let chars = self.expand(segs)?;
        let text: String = chars.iter().map(|c| c.0).collect();
        let w = fonts::width(font, size, &text);
        self.run(cx - w / 2.0, baseline, font, size, color, segs)
    }

    /// Text with letter spacing: every character is its own run (titles
    /// such as `营 业 执 照`). Not for fields.
    pub fn spaced_title(&mut self, cx: f32, baseline: f32, font: FontId, size: f32, color: Rgb, text: &str, gap: f32) -> Result<()> {
        // One truth line: the title with spaces, as OCR would read it.
        let chars: Vec<char> = text.chars().collect();
        let adv = fonts::advances(font, size, text);
        let total: f32 = adv.iter().sum::<f32>() + gap * (chars.len() as f32 - 1.0);
        let line_text: String = chars.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ");
        fonts::check(font, text)?;
        let (asc, desc) = fonts::vmetrics(font, size);
        let mut x = cx - total / 2.0;
        let mut line_adv = vec![];
        for (i, c) in chars.iter().enumerate() {
            self.ops.push(Op::Text { font, size, color, x, baseline, text: c.to_string() });
            line_adv.push(adv[i]);
            if i + 1 < chars.len() {
                line_adv.push(gap);
            }
            x += adv[i] + gap;
        }
        self.lines.push(LineOut { text: line_text, role: Role::Text, x: cx - total / 2.0, top: baseline - asc, height: asc + desc, adv: line_adv });
        Ok(())
    }

    /// Wrapped paragraph inside [x, x+max_w]; the first line may be
    /// indented. Returns the baseline after the last line.
    #[allow(clippy::too_many_arguments)]
    pub fn para(&mut self, x: f32, baseline: f32, max_w: f32, indent: f32, leading: f32, font: FontId, size: f32, color: Rgb, segs: &[Seg]) -> Result<f32> {
        let chars = self.expand(segs)?;
        let text: String = chars.iter().map(|c| c.0).collect();
        fonts::check(font, &text)?;
        let adv = fonts::advances(font, size, &text);
        let mut y = baseline;
        let mut start = 0;
        let mut first = true;
        while start < chars.len() {
            let x0 = if first { x + indent } else { x };
            let avail = max_w - (x0 - x);
            let mut w = 0.0;
            let mut end = start;
            while end < chars.len() && (w + adv[end] <= avail || end == start) {
                w += adv[end];
                end += 1;
            }
            // Do not start a line with closing punctuation.
            while end < chars.len() && "，。、；：）》”".contains(chars[end].0) && end > start + 1 {
                end -= 1;
            }
            // Skip a leading space on continuation lines.
            let mut s = start;
            while !first && s < end && chars[s].0 == ' ' {
                s += 1;
            }
            if s < end {
                self.emit(&chars[s..end], font, size, color, x0, y, Role::Text)?;
            }
            y += leading;
            start = end;
            first = false;
        }
        Ok(y)
    }

    /// Label at (x, baseline) and a field value after it, wrapped in
    /// `max_w` from `vx`. Returns the next baseline.
    #[allow(clippy::too_many_arguments)]
    pub fn labelled(&mut self, x: f32, vx: f32, baseline: f32, max_w: f32, leading: f32, label: (&str, FontId, f32, Rgb), value: (&[Seg], FontId, f32, Rgb)) -> Result<f32> {
        if !label.0.is_empty() {
            self.run(x, baseline, label.1, label.2, label.3, &[t(label.0)])?;
        }
        self.para(vx, baseline, max_w, 0.0, leading, value.1, value.2, value.3, value.0)
    }

    pub fn seal(&mut self, cx: f32, cy: f32, r: f32, font: FontId, arc: &str, bottom: &str) -> Result<()> {
        fonts::check(font, arc)?;
        fonts::check(font, bottom)?;
        let text = format!("{arc}{bottom}");
        self.lines.push(LineOut {
            adv: vec![2.0 * r / text.chars().count().max(1) as f32; text.chars().count()],
            text,
            role: Role::Seal,
            x: cx - r,
            top: cy - r,
            height: 2.0 * r,
        });
        self.ops.push(Op::Seal { cx, cy, r, color: RED, font, arc: arc.to_string(), bottom: bottom.to_string() });
        Ok(())
    }

    /// Adds a box to a field that is not (only) a text span, e.g. the
    /// sections of an escort plan.
    pub fn field_rect(&mut self, key: &'static str, rect: [f32; 4]) {
        self.field_out(key).rects.push(rect);
    }

    /// Where a field's spans and boxes are gathered, made on its first.
    fn field_out(&mut self, key: &'static str) -> &mut FieldOut {
        let p = &self.values[key];
        self.fields.entry(key.to_string()).or_insert_with(|| FieldOut { value: p.value.clone(), printed: p.printed.clone(), spans: vec![], rects: vec![] })
    }

    /// The union box [x0, y0, x1, y1] of a field.
    pub fn field_box(&self, key: &str) -> Option<[f32; 4]> {
        let f = self.fields.get(key)?;
        let mut rects: Vec<[f32; 4]> = f.spans.iter().map(|s| self.lines[s.line].span_rect(s.start, s.end)).collect();
        rects.extend(f.rects.iter().copied());
        rects.into_iter().reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])])
    }

    /// Every field the page was given must have been printed.
    pub fn check_complete(&self) -> Result<()> {
        for k in self.values.keys() {
            if !self.fields.contains_key(*k) {
                anyhow::bail!("field '{k}' was given to the page but the layout never printed it");
            }
        }
        Ok(())
    }
}
