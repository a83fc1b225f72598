//! Layout logic that needs no model: reading axis, skew, line grouping.

use super::*;
use rten_imageproc::Vec2;

/// A `w × h` rect centred at `(cx, cy)`, its width along `angle_deg`.
fn rect(cx: f32, cy: f32, w: f32, h: f32, angle_deg: f32) -> RotatedRect {
    let a = angle_deg.to_radians();
    // `up` is perpendicular to the width direction (cos a, sin a).
    RotatedRect::new(Point::from_yx(cy, cx), Vec2::from_xy(a.sin(), -a.cos()), w, h)
}

#[test]
fn the_reading_axis_and_skew_come_from_the_long_sides_of_the_boxes() {
    let rects: Vec<_> = (0..5).map(|i| rect(300.0, 100.0 + 50.0 * i as f32, 300.0, 30.0, 7.0)).collect();
    let (dir, skew) = reading_axis(&rects);
    assert!((skew - 7.0).abs() < 0.01, "{skew}");
    assert!((dir.0 - 7f32.to_radians().cos()).abs() < 1e-4 && (dir.1 - 7f32.to_radians().sin()).abs() < 1e-4);
    assert_eq!(geometry::rotation_for(dir), 0);
}

#[test]
fn tall_boxes_mean_a_page_turned_a_quarter_and_are_first_taken_as_reading_upwards() {
    let rects: Vec<_> = (0..5).map(|i| rect(100.0 + 50.0 * i as f32, 300.0, 30.0, 300.0, 0.0)).collect();
    let (dir, skew) = reading_axis(&rects);
    assert!(dir.0.abs() < 1e-4 && (dir.1 + 1.0).abs() < 1e-4, "{dir:?}");
    assert!(skew.abs() < 0.01);
    assert_eq!(geometry::rotation_for(dir), 90);
}

#[test]
fn a_few_boxes_voting_upside_down_at_middling_odds_are_outweighed_by_sure_ones() {
    // From an upright blurred photo in datasets/test.
    assert_eq!(classifier_verdict(&[0.85, 1.2e-4, 1.1e-8, 9.6e-4, 2.1e-8, 2.5e-8]), Some(false));
    assert_eq!(classifier_verdict(&[0.44, 0.99999, 0.99999, 1.0, 0.99999, 1.0]), Some(true));
    // Unanimous votes decide however weak; none at all: upright.
    assert_eq!(classifier_verdict(&[0.55, 0.6]), Some(true));
    assert_eq!(classifier_verdict(&[]), Some(false));
}

#[test]
fn one_sure_box_cannot_outvote_four_that_disagree_and_the_recogniser_is_asked() {
    // Four of six say upside down; the page was upright (the recogniser read
    // it 4.68 against 2.04 flipped). Capped, the one sure box does not decide.
    assert_eq!(classifier_verdict(&[2e-11, 0.93, 0.0076, 0.80, 0.99, 0.94]), None);
    assert_eq!(classifier_verdict(&[0.3, 0.7]), None);
    assert_eq!(classifier_verdict(&[f32::NAN, 0.7]), None);
}

#[test]
fn a_squashed_first_look_that_shows_only_a_qr_code_and_a_seal_or_a_few_titles_looks_again_at_full_size() {
    let p = OcrParams::default();
    let blobs = vec![rect(100.0, 100.0, 120.0, 120.0, 0.0), rect(800.0, 300.0, 180.0, 180.0, 0.0), rect(600.0, 900.0, 300.0, 100.0, 0.0)];
    assert_eq!(second_look(&blobs, 0.41, &p), Some(1.0));
    // A card read at full size already, or a page whose print showed, stands.
    assert_eq!(second_look(&blobs, 1.0, &p), None);
    let lines: Vec<_> = (0..12).map(|i| rect(400.0, 100.0 + 60.0 * i as f32, 400.0, 50.0, 0.0)).collect();
    assert_eq!(second_look(&lines, 0.41, &p), None);
    // Thin print is looked at again at the scale that makes it 24 px thick.
    let thin: Vec<_> = (0..12).map(|i| rect(400.0, 100.0 + 30.0 * i as f32, 400.0, 20.0, 0.0)).collect();
    assert_eq!(second_look(&thin, 0.5, &p), Some(1.2));
    assert_eq!(second_look(&[], 0.41, &p), Some(1.0));
    // An ID card photocopied onto A4: at 0.43× only its five titles show.
    let titles: Vec<_> = (0..5).map(|i| rect(300.0 + 200.0 * i as f32, 400.0, 400.0, 40.0, 0.0)).collect();
    assert_eq!(second_look(&titles, 0.43, &p), Some(1.0));
}

#[test]
fn square_boxes_alone_say_nothing_and_the_page_is_taken_as_upright() {
    let rects = vec![rect(10.0, 10.0, 20.0, 20.0, 30.0)];
    assert_eq!(reading_axis(&rects), ((1.0, 0.0), 0.0));
}

fn regions(rects: &[RotatedRect], dir: (f32, f32)) -> Vec<TextRegion> {
    rects.iter().map(|r| TextRegion::from_rect(r, dir)).collect()
}

#[test]
fn a_label_and_its_value_form_one_line_and_lines_come_top_to_bottom() {
    let rs = regions(
        &[
            rect(500.0, 200.0, 300.0, 30.0, 0.0), // value, line 2
            rect(100.0, 100.0, 120.0, 30.0, 0.0), // label, line 1
            rect(100.0, 202.0, 120.0, 30.0, 0.0), // label, line 2
            rect(450.0, 98.0, 200.0, 30.0, 0.0),  // value, line 1
        ],
        (1.0, 0.0),
    );
    let lines = group_lines(&rs, (1.0, 0.0));
    let xs: Vec<Vec<i32>> = lines.iter().map(|l| l.iter().map(|r| r.center.0 as i32).collect()).collect();
    assert_eq!(xs, vec![vec![100, 450], vec![100, 500]]);
}

#[test]
fn on_an_upside_down_page_the_bottom_right_box_is_read_first() {
    let rects = [rect(100.0, 100.0, 120.0, 30.0, 0.0), rect(400.0, 100.0, 120.0, 30.0, 0.0), rect(250.0, 300.0, 120.0, 30.0, 0.0)];
    let dir = (-1.0, 0.0);
    let lines = group_lines(&regions(&rects, dir), dir);
    let xs: Vec<Vec<i32>> = lines.iter().map(|l| l.iter().map(|r| r.center.0 as i32).collect()).collect();
    assert_eq!(xs, vec![vec![250], vec![400, 100]]);
}

#[test]
fn a_gap_of_many_text_heights_splits_a_row_into_two_columns() {
    let rs = regions(&[rect(100.0, 100.0, 100.0, 30.0, 0.0), rect(1000.0, 100.0, 100.0, 30.0, 0.0)], (1.0, 0.0));
    assert_eq!(group_lines(&rs, (1.0, 0.0)).len(), 2);
}

#[test]
fn the_pieces_of_a_split_row_stay_left_to_right_even_if_the_right_one_sits_higher() {
    let rs = regions(&[rect(100.0, 104.0, 100.0, 30.0, 0.0), rect(1000.0, 96.0, 100.0, 30.0, 0.0)], (1.0, 0.0));
    let lines = group_lines(&rs, (1.0, 0.0));
    assert_eq!(lines[0][0].center.0, 100.0);
}

#[test]
fn the_detector_input_is_resized_as_images_triangle_filter_would() {
    // A page of thin dark strokes, shrunk as for a first look and enlarged
    // as for a second: the SIMD resize must give what `image`'s Triangle
    // filter gives, up to a rounding step.
    let page = GrayImage::from_fn(517, 389, |x, y| image::Luma([if (x / 3 + y / 7) % 5 == 0 { 20 } else { 235 }]));
    for (w, h) in [(192, 160), (224, 160), (800, 608)] {
        let ours = resize_grey(&page, w, h);
        let reference = image::imageops::resize(&page, w, h, image::imageops::FilterType::Triangle);
        assert_eq!(ours.dimensions(), (w, h));
        let worst = ours.pixels().zip(reference.pixels()).map(|(a, b)| (a[0] as i32 - b[0] as i32).abs()).max().unwrap();
        assert!(worst <= 1, "{w}×{h}: a pixel differs by {worst} levels");
    }
}

/// A horizontal region `length × thickness` centred at `(cx, cy)`.
fn region(cx: f32, cy: f32, length: f32, thickness: f32) -> TextRegion {
    TextRegion { center: (cx, cy), dir: (1.0, 0.0), length, thickness }
}

#[test]
fn a_small_box_alone_on_its_line_that_read_nothing_is_read_again_as_a_square_of_the_line_height() {
    // Three 20-px lines, and the 11 × 10 box of a character wrapped alone
    // under the last (输 of 大型物件运输).
    let regions = [region(200.0, 100.0, 300.0, 20.0), region(200.0, 140.0, 200.0, 20.0), region(300.0, 180.0, 180.0, 21.0), region(220.0, 210.0, 11.0, 10.0)];
    let plain = [seal::Ink::Plain; 4];
    let picked = small_lone_boxes(&regions, &[false, false, false, true], &plain);
    assert_eq!(picked.len(), 1);
    let (i, g) = picked[0];
    assert_eq!(i, 3);
    assert_eq!((g.center, g.length, g.thickness), ((220.0, 210.0), 21.0, 20.0), "grown about its centre to the median line");
    // A box of one glyph may come out tilted: it is read along the page.
    let mut tilted = regions;
    tilted[3].dir = (0.949, -0.316);
    assert_eq!(small_lone_boxes(&tilted, &[false, false, false, true], &plain)[0].1.dir, (1.0, 0.0));
    // Read: kept as it is. Red: a seal's. Not thin: the recogniser saw it whole.
    assert!(small_lone_boxes(&regions, &[false; 4], &plain).is_empty());
    let red = [seal::Ink::Plain, seal::Ink::Plain, seal::Ink::Plain, seal::Ink::Red];
    assert!(small_lone_boxes(&regions, &[false, false, false, true], &red).is_empty());
    let mut thick = regions;
    thick[3].thickness = 16.0;
    assert!(small_lone_boxes(&thick, &[false, false, false, true], &plain).is_empty());
}

#[test]
fn a_speck_between_two_characters_of_its_line_is_not_grown_over_them() {
    // 住 [speck] 所: a grown square would take a piece of each.
    let regions = [region(100.0, 100.0, 20.0, 20.0), region(128.0, 101.0, 8.0, 8.0), region(156.0, 100.0, 20.0, 20.0), region(300.0, 140.0, 200.0, 20.0)];
    assert!(small_lone_boxes(&regions, &[false, true, false, false], &[seal::Ink::Plain; 4]).is_empty());
    // The same speck with the line's other characters far off is alone.
    let far = [region(40.0, 100.0, 20.0, 20.0), regions[1], region(220.0, 100.0, 20.0, 20.0), regions[3]];
    assert_eq!(small_lone_boxes(&far, &[false, true, false, false], &[seal::Ink::Plain; 4]).len(), 1);
}
