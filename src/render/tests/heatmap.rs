//! The diverging units × time heatmap.

use super::*;

pub(super) fn heatmap(rows: usize, cols: usize) -> Heatmap {
    let values = (0..rows * cols)
        .map(|i| [-1.0, 0.0, 1.0, 0.5][i % 4])
        .collect();
    Heatmap {
        values,
        rows,
        cols,
        col_labels: "ab\n d"
            .chars()
            .cycle()
            .take(cols)
            .map(String::from)
            .collect(),
        title: "hidden state".into(),
        range: Some(1.0),
    }
}

#[test]
fn heatmap_draws_one_rect_per_cell_tiling_the_plot() {
    let h = heatmap(6, 10);
    let (svg, l) = svg_with(|a| draw_cells(a, &h).unwrap());
    let cells = rects_in(&svg, &l.rect());
    assert_eq!(cells.len(), h.rows * h.cols);
    let area: i32 = cells
        .iter()
        .map(|t| num(t, "width") * num(t, "height"))
        .sum();
    assert_eq!(
        area,
        (l.right - l.left) * (l.bottom - l.top),
        "cells tile the plot"
    );
    for (i, t) in cells.iter().enumerate() {
        let want = hex(diverging_color(h.values[i], 1.0));
        assert_eq!(attr(t, "fill"), Some(want.as_str()), "cell {i}");
        let (x, y) = (num(t, "x"), num(t, "y"));
        let corner = (x + num(t, "width") - 1, y + num(t, "height") - 1);
        let rc = Some((i / h.cols, i % h.cols));
        assert_eq!(l.cell_at(x, y), rc);
        assert_eq!(l.cell_at(corner.0, corner.1), rc);
    }
    assert!(
        svg.contains(&hex(RGBColor(178, 24, 43))) && svg.contains(&hex(RGBColor(33, 102, 172)))
    );
    assert!(svg.contains('⏎') && svg.contains('␣') && svg.contains("hidden state"));
}

#[test]
fn cell_at_maps_centre_and_outside() {
    let h = heatmap(5, 7);
    let (_, l) = svg_with(|a| draw_cells(a, &h).unwrap());
    let centre = ((l.left + l.right) / 2, (l.top + l.bottom) / 2);
    assert_eq!(l.cell_at(centre.0, centre.1), Some((2, 3)));
    assert_eq!(l.cell_at(l.left, l.top), Some((0, 0)));
    assert_eq!(l.cell_at(l.right - 1, l.bottom - 1), Some((4, 6)));
    for (x, y) in [
        (l.left - 1, centre.1),
        (l.right, centre.1),
        (centre.0, l.top - 1),
    ] {
        assert_eq!(l.cell_at(x, y), None);
    }
    assert_eq!(l.cell_at(centre.0, l.bottom), None);
}

#[test]
fn heatmap_handles_empty_short_and_auto_range() {
    let empty = Heatmap::default();
    let mut layout = None;
    let svg = svg_of(|a| layout = Some(draw_cells(a, &empty).unwrap()));
    assert!(svg.contains("no data yet"));
    assert_eq!(layout.unwrap().cell_at(400, 200), None);
    let short = Heatmap {
        values: vec![f32::NAN, 3.0],
        rows: 4,
        cols: 4,
        ..Default::default()
    };
    svg_of(|a| layout = Some(draw_cells(a, &short).unwrap()));
    assert_eq!(layout.unwrap().range, 3.0, "auto range from finite values");
}

#[test]
fn big_heatmap_draws() {
    let h = Heatmap {
        values: (0..512 * 200).map(|i| (i as f32 * 0.01).sin()).collect(),
        rows: 512,
        cols: 200,
        ..Default::default()
    };
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    let root = PngBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
    let l = draw_cells(&root, &h).unwrap();
    assert_eq!((l.rows, l.cols), (512, 200));
}

#[test]
fn cell_pixels_match_the_drawn_cells() {
    let h = heatmap(7, 9);
    let (svg, l) = svg_with(|a| draw_cells(a, &h).unwrap());
    let px = cell_pixels(&h, &l);
    assert_eq!(px.len(), l.width() * l.height() * 4);
    pixels_match_rects(&svg, &l.rect(), &px);
    let mut frame_layout = None;
    let frame = svg_of(|a| frame_layout = Some(draw_cells_frame(a, &h).unwrap()));
    assert_eq!(frame_layout, Some(l));
    let inside = rects_in(&frame, &l.rect()).len();
    assert_eq!(inside, 0, "the frame leaves the cells to the caller");
}
