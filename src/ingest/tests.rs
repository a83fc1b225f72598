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
        let page = Page { name: "p".into(), image: oriented, stored_width: 40, stored_height: 20, orientation: o };
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
