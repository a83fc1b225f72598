use super::*;
use image::{GrayImage, Luma};

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A 40x20 black image with a white block covering x 5..8, y 2..4.
fn marked() -> DynamicImage {
    let mut g = GrayImage::new(40, 20);
    for y in 2..4 {
        for x in 5..8 {
            g.put_pixel(x, y, Luma([255]));
        }
    }
    DynamicImage::ImageLuma8(g)
}

/// Bounding box `(x0,y0,x1,y1)` of the bright pixels.
fn bright_box(img: &DynamicImage) -> (f32, f32, f32, f32) {
    let g = img.to_luma8();
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in g.enumerate_pixels() {
        if p.0[0] > 128 {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x + 1);
            y1 = y1.max(y + 1);
        }
    }
    (x0 as f32, y0 as f32, x1 as f32, y1 as f32)
}

/// Inserts an EXIF APP1 segment carrying `orientation` right after SOI.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = vec![b'M', b'M', 0, 0x2A, 0, 0, 0, 8, 0, 1];
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn an_empty_file_is_refused_naming_the_file() {
    let err = decode_page(&[], "licence.jpg", &DecodeLimits::default()).unwrap_err();
    assert!(matches!(err, IngestError::Empty { .. }));
    assert!(err.to_string().contains("licence.jpg"), "{err}");
}

#[test]
fn a_truncated_jpeg_is_refused_as_corrupt_naming_the_file() {
    let jpeg = encode(&DynamicImage::ImageRgb8(image::RgbImage::new(64, 48)), ImageFormat::Jpeg);
    let err = decode_page(&jpeg[..jpeg.len() / 3], "cut.jpg", &DecodeLimits::default()).unwrap_err();
    assert!(matches!(err, IngestError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().starts_with("cut.jpg: "), "{err}");
}

#[test]
fn a_text_file_renamed_jpg_is_not_an_image() {
    let err = decode_page(b"VIN LA9LB3D37KBJXC012\n", "notes.jpg", &DecodeLimits::default()).unwrap_err();
    assert!(matches!(err, IngestError::NotAnImage { .. }), "{err:?}");
    assert!(err.to_string().contains("notes.jpg"), "{err}");
}

#[test]
fn an_image_over_the_pixel_limit_is_refused_before_decoding() {
    let png = encode(&DynamicImage::ImageLuma8(GrayImage::new(100, 100)), ImageFormat::Png);
    let limits = DecodeLimits { max_pixels: 5_000, ..DecodeLimits::default() };
    let err = decode_page(&png, "big.png", &limits).unwrap_err();
    assert!(matches!(err, IngestError::TooManyPixels { width: 100, height: 100, .. }), "{err:?}");
    assert!(err.to_string().contains("big.png"), "{err}");
}

#[test]
fn a_file_over_the_byte_limit_is_refused() {
    let png = encode(&marked(), ImageFormat::Png);
    let limits = DecodeLimits { max_bytes: 10, ..DecodeLimits::default() };
    let err = decode_page(&png, "p.png", &limits).unwrap_err();
    assert!(matches!(err, IngestError::TooManyBytes { .. }), "{err:?}");
}

#[test]
fn png_webp_and_tiff_decode_to_the_same_pixels() {
    for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Tiff] {
        let bytes = encode(&marked(), format);
        let page = decode_page(&bytes, "p", &DecodeLimits::default()).unwrap();
        assert_eq!((page.width(), page.height()), (40, 20), "{format:?}");
        assert_eq!(bright_box(page.image()), (5.0, 2.0, 8.0, 4.0), "{format:?}");
    }
}

#[test]
fn boxes_on_an_exif_oriented_page_map_back_to_the_stored_pixels_for_all_eight_orientations() {
    use Orientation::*;
    for o in [NoTransforms, Rotate90, Rotate180, Rotate270, FlipHorizontal, FlipVertical, Rotate90FlipH, Rotate270FlipH] {
        let mut oriented = marked();
        oriented.apply_orientation(o);
        let page = Page { name: "p".into(), image: oriented, stored_width: 40, stored_height: 20, orientation: o, number: 1, printed: None };
        let (x0, y0, x1, y1) = bright_box(page.image());
        assert_eq!(page.to_stored_bbox(x0, y0, x1, y1), BBox::new(5, 2, 3, 2), "{o:?}");
    }
}

#[test]
fn a_jpeg_with_exif_orientation_6_is_turned_upright_and_its_boxes_map_back() {
    // A bigger block so JPEG ringing does not move its edges.
    let mut g = GrayImage::new(64, 32);
    for y in 8..16 {
        for x in 16..32 {
            g.put_pixel(x, y, Luma([255]));
        }
    }
    let jpeg = encode(&DynamicImage::ImageLuma8(g), ImageFormat::Jpeg);
    let page = decode_page(&with_exif_orientation(&jpeg, 6), "phone.jpg", &DecodeLimits::default()).unwrap();
    assert_eq!(page.exif_orientation(), Orientation::Rotate90);
    assert_eq!((page.width(), page.height()), (32, 64));
    assert_eq!(page.stored_size(), (64, 32));
    let (x0, y0, x1, y1) = bright_box(page.image());
    assert_eq!(page.to_stored_bbox(x0, y0, x1, y1), BBox::new(16, 8, 16, 8));
}

// ------------------------------------------------------------------ PDF

/// A PDF of one page per `(width_pt, height_pt, content, resources)`.
fn pdf(pages: &[(f32, f32, Vec<u8>, Res)]) -> Vec<u8> {
    use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref};
    let mut w = Pdf::new();
    let (catalog, tree) = (Ref::new(1), Ref::new(2));
    // Per page: the page, its content, its font and its image.
    let ids: Vec<[Ref; 4]> = (0..pages.len() as i32).map(|i| [0, 1, 2, 3].map(|k| Ref::new(3 + 4 * i + k))).collect();
    w.catalog(catalog).pages(tree);
    w.pages(tree).kids(ids.iter().map(|i| i[0])).count(pages.len() as i32);
    for ((pw, ph, content, res), &[page, content_id, font, image]) in pages.iter().zip(&ids) {
        let mut p = w.page(page);
        p.media_box(Rect::new(0.0, 0.0, *pw, *ph)).parent(tree).contents(content_id);
        let mut r = p.resources();
        if res.helvetica {
            r.fonts().pair(Name(b"F1"), font);
        }
        if res.jpeg.is_some() {
            r.x_objects().pair(Name(b"Im1"), image);
        }
        r.finish();
        p.finish();
        w.stream(content_id, content);
        if res.helvetica {
            w.type1_font(font).base_font(Name(b"Helvetica"));
        }
        if let Some((bytes, width, height)) = &res.jpeg {
            let mut im = w.image_xobject(image, bytes);
            im.filter(Filter::DctDecode);
            im.width(*width as i32).height(*height as i32).bits_per_component(8);
            im.color_space().device_gray();
        }
    }
    w.finish()
}

/// What a test page uses: Helvetica as /F1, a greyscale JPEG as /Im1.
#[derive(Clone, Default)]
struct Res {
    helvetica: bool,
    jpeg: Option<(Vec<u8>, u32, u32)>,
}

/// A page of Helvetica text, each `(x_pt, y_pt, text)` from the bottom left.
fn text_page(texts: &[(f32, f32, &str)]) -> (f32, f32, Vec<u8>, Res) {
    let mut c = pdf_writer::Content::new();
    for (x, y, t) in texts {
        c.begin_text().set_font(pdf_writer::Name(b"F1"), 12.0).next_line(*x, *y).show(pdf_writer::Str(t.as_bytes())).end_text();
    }
    (595.0, 842.0, c.finish().into_vec(), Res { helvetica: true, jpeg: None })
}

/// A page that is one greyscale JPEG, drawn over the whole page as a scanner does.
fn scan_page(jpeg: Vec<u8>, width: u32, height: u32) -> (f32, f32, Vec<u8>, Res) {
    // 150 dpi: a point is 150/72 pixels.
    let (pw, ph) = (width as f32 * 72.0 / 150.0, height as f32 * 72.0 / 150.0);
    let mut c = pdf_writer::Content::new();
    c.save_state().transform([pw, 0.0, 0.0, ph, 0.0, 0.0]).x_object(pdf_writer::Name(b"Im1")).restore_state();
    (pw, ph, c.finish().into_vec(), Res { helvetica: false, jpeg: Some((jpeg, width, height)) })
}

/// A 300 × 200 greyscale JPEG with a bright block, and its decoded pixels.
fn scan() -> (Vec<u8>, DynamicImage) {
    let mut g = GrayImage::from_pixel(300, 200, Luma([30]));
    for y in 50..90 {
        for x in 100..180 {
            g.put_pixel(x, y, Luma([240]));
        }
    }
    let jpeg = encode(&DynamicImage::ImageLuma8(g), ImageFormat::Jpeg);
    let decoded = image::load_from_memory(&jpeg).unwrap();
    (jpeg, decoded)
}

#[test]
fn a_scanned_pdf_page_is_its_jpeg_taken_as_stored() {
    let (jpeg, decoded) = scan();
    let file = pdf(&[scan_page(jpeg, 300, 200)]);
    assert_eq!(page_format(&file).unwrap().1, "application/pdf");
    let pages = decode_file(&file, "scan.pdf", &DecodeLimits::default()).unwrap();
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!((p.width(), p.height(), p.number()), (300, 200, 1));
    assert!(p.printed_chars().is_none(), "a scan is read by OCR");
    // The very pixels of the JPEG: it was not rendered or re-encoded.
    assert_eq!(p.image().to_luma8().into_raw(), decoded.to_luma8().into_raw());
}

#[test]
fn a_born_digital_pdf_page_gives_its_characters_where_they_are_printed() {
    let file = pdf(&[text_page(&[(100.0, 700.0, "VIN LZZ1CLVB5JA123456")])]);
    let pages = decode_file(&file, "licence.pdf", &DecodeLimits::default()).unwrap();
    let p = &pages[0];
    // A4 at 150 dpi.
    assert_eq!((p.width(), p.height()), (1240, 1754));
    let chars = p.printed_chars().expect("a text page carries its characters");
    let text: String = chars.iter().map(|c| c.ch).collect();
    assert_eq!(text, "VINLZZ1CLVB5JA123456", "spaces are gaps, not characters");
    // 100 pt from the left and 700 pt up, at 150/72 px per point; 12 pt tall.
    let s = 150.0 / 72.0;
    let v = chars[0];
    assert!((v.x0 - 100.0 * s).abs() < 1.0, "{v:?}");
    assert!(v.y1 > (842.0 - 700.0) * s && v.y0 < (842.0 - 700.0) * s, "the baseline crosses the box: {v:?}");
    assert!((v.y1 - v.y0 - 12.0 * s).abs() < 2.0, "{v:?}");
    assert!(chars.windows(2).all(|w| w[1].x0 >= w[0].x0), "left to right");
    // And rendered, so the desk can show it: ink where the text is.
    let g = p.image().to_luma8();
    let ink = (v.x0 as u32..v.x1 as u32).flat_map(|x| (v.y0 as u32..v.y1 as u32).map(move |y| (x, y))).filter(|&(x, y)| g.get_pixel(x, y).0[0] < 128).count();
    assert!(ink > 10, "the V is drawn: {ink} dark pixels");
}

#[test]
fn text_drawn_invisibly_over_a_scan_is_not_taken_as_printed() {
    let (jpeg, _) = scan();
    let (pw, ph, mut content, _) = scan_page(jpeg.clone(), 300, 200);
    let mut c = pdf_writer::Content::new();
    c.begin_text()
        .set_text_rendering_mode(pdf_writer::types::TextRenderingMode::Invisible)
        .set_font(pdf_writer::Name(b"F1"), 12.0)
        .next_line(10.0, 10.0)
        .show(pdf_writer::Str(b"OCR LAYER"))
        .end_text();
    content.extend(c.finish().into_vec());
    let file = pdf(&[(pw, ph, content, Res { helvetica: true, jpeg: Some((jpeg, 300, 200)) })]);
    let p = &decode_file(&file, "searchable.pdf", &DecodeLimits::default()).unwrap()[0];
    assert!(p.printed_chars().is_none());
    assert_eq!((p.width(), p.height()), (300, 200));
}

#[test]
fn every_page_of_a_pdf_is_a_page_numbered_from_one() {
    let (jpeg, _) = scan();
    let file = pdf(&[text_page(&[(72.0, 72.0, "front")]), scan_page(jpeg, 300, 200)]);
    let pages = decode_file(&file, "two.pdf", &DecodeLimits::default()).unwrap();
    assert_eq!(pages.iter().map(Page::number).collect::<Vec<_>>(), [1, 2]);
    assert!(pages[0].printed_chars().is_some() && pages[1].printed_chars().is_none());
    assert_eq!(pages[1].label(), "two.pdf page 2");
    assert_eq!(decode_page(&file, "two.pdf", &DecodeLimits::default()).unwrap().number(), 1);
}

#[test]
fn a_pdf_over_the_page_limit_is_refused_naming_the_file() {
    let file = pdf(&vec![text_page(&[(72.0, 72.0, "x")]); 3].into_iter().collect::<Vec<_>>());
    let limits = DecodeLimits { max_pages: 2, ..DecodeLimits::default() };
    let err = decode_file(&file, "many.pdf", &limits).unwrap_err();
    assert!(matches!(err, IngestError::TooManyPages { pages: 3, limit: 2, .. }), "{err}");
    assert!(err.to_string().starts_with("many.pdf: "), "{err}");
}

#[test]
fn a_pdf_page_that_would_render_over_the_pixel_limit_is_refused() {
    let file = pdf(&[text_page(&[(72.0, 72.0, "x")])]);
    let limits = DecodeLimits { max_pixels: 1_000_000, ..DecodeLimits::default() };
    let err = decode_file(&file, "big.pdf", &limits).unwrap_err();
    assert!(matches!(err, IngestError::TooManyPixels { .. }), "{err}");
    assert!(err.to_string().contains("big.pdf"), "{err}");
}

#[test]
fn a_password_protected_pdf_is_refused_with_a_reason_naming_the_file() {
    let file = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdf/encrypted.pdf")).unwrap();
    let err = decode_file(&file, "locked.pdf", &DecodeLimits::default()).unwrap_err();
    assert!(matches!(err, IngestError::Encrypted { .. }), "{err}");
    assert_eq!(err.file(), "locked.pdf");
}

#[test]
fn a_broken_pdf_is_refused_as_corrupt_naming_the_file() {
    for bytes in [&b"%PDF-1.7\nnot really"[..], &pdf(&[text_page(&[(72.0, 72.0, "cut")])])[..200]] {
        let err = decode_file(bytes, "broken.pdf", &DecodeLimits::default()).unwrap_err();
        assert!(matches!(err, IngestError::Corrupt { .. }), "{err}");
        assert_eq!(err.file(), "broken.pdf");
    }
}

#[test]
fn a_page_of_a_file_is_rendered_as_png_and_a_missing_page_is_named() {
    let (jpeg, _) = scan();
    let file = pdf(&[text_page(&[(72.0, 72.0, "front")]), scan_page(jpeg, 300, 200)]);
    let png = page_png(&file, "two.pdf", 2).unwrap();
    let img = image::load_from_memory_with_format(&png, ImageFormat::Png).unwrap();
    assert_eq!((img.width(), img.height()), (300, 200));
    let err = page_png(&file, "two.pdf", 3).unwrap_err();
    assert!(matches!(err, IngestError::NoSuchPage { page: 3, .. }), "{err}");
}

// ------------------------------------------------------------------ TIFF

/// A TIFF of greyscale pages of the given sizes, page `i` filled with `10 * i`.
fn multi_page_tiff(sizes: &[(u32, u32)]) -> Vec<u8> {
    use ::tiff::encoder::{TiffEncoder, colortype::Gray8};
    let mut out = Cursor::new(vec![]);
    let mut enc = TiffEncoder::new(&mut out).unwrap();
    for (i, &(w, h)) in sizes.iter().enumerate() {
        enc.write_image::<Gray8>(w, h, &vec![10 * i as u8; (w * h) as usize]).unwrap();
    }
    out.into_inner()
}

#[test]
fn every_page_of_a_multi_page_tiff_is_read() {
    let file = multi_page_tiff(&[(40, 30), (50, 20), (10, 10)]);
    let pages = decode_file(&file, "scan.tif", &DecodeLimits::default()).unwrap();
    let got: Vec<(u32, u32, u32, u8)> = pages.iter().map(|p| (p.number(), p.width(), p.height(), p.image().to_luma8().get_pixel(0, 0).0[0])).collect();
    assert_eq!(got, [(1, 40, 30, 0), (2, 50, 20, 10), (3, 10, 10, 20)]);
    let limits = DecodeLimits { max_pages: 2, ..DecodeLimits::default() };
    assert!(matches!(decode_file(&file, "scan.tif", &limits), Err(IngestError::TooManyPages { .. })));
}
