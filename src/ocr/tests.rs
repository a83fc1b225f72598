use super::*;
use crate::ingest::{DecodeLimits, decode_page};

fn page(name: &str) -> Page {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ocr").join(name);
    decode_page(&std::fs::read(&path).unwrap(), name, &DecodeLimits::default()).unwrap()
}

#[test]
#[ignore]
fn debug_layout() {
    let engine = OcrEngine::load_default(OcrParams::default()).unwrap();
    let name = std::env::var("PAGE").unwrap();
    let p = page(&name);
    let grey = p.image().to_luma8();
    let (in_w, in_h) = engine.detector.input_size();
    let scale = (in_w as f32 / grey.width() as f32).min(in_h as f32 / grey.height() as f32);
    let rects = engine.detect_at(&grey, scale).unwrap();
    for r in &rects { eprintln!("rect c=({:.0},{:.0}) w={:.0} h={:.0} up=({:.2},{:.2})", r.center().x, r.center().y, r.width(), r.height(), r.up_axis().x, r.up_axis().y); }
    let layout = engine.detect(&p).unwrap();
    eprintln!("rot {} skew {} scale {}", layout.rotation, layout.skew_degrees, layout.detect_scale);
    for l in &layout.lines { eprintln!("line {:?}", l.iter().map(|r| (r.center.0 as i32, r.center.1 as i32, r.length as i32, r.thickness as i32)).collect::<Vec<_>>()); }
}

#[test]
#[ignore]
fn debug_probmap() {
    let engine = OcrEngine::load_default(OcrParams::default()).unwrap();
    let name = std::env::var("PAGE").unwrap();
    let p = page(&name);
    let grey = p.image().to_luma8();
    let scale: f32 = std::env::var("SCALE").unwrap().parse().unwrap();
    let img = image::imageops::resize(&grey, (grey.width() as f32 * scale) as u32, (grey.height() as f32 * scale) as u32, FilterType::Triangle);
    let map = engine.detector.prob_map(&img).unwrap();
    let out = GrayImage::from_fn(map.w as u32, map.h as u32, |x, y| image::Luma([(map.data[y as usize * map.w + x as usize] * 255.0) as u8]));
    out.save("/tmp/ocrwork/prob.png").unwrap();
}
