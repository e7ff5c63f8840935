//! The gradient-flow (profile) heatmap on a log colour scale.

use super::*;

/// Columns at steps 0, 10, …: a profile over `t = 0..rows` decaying by a
/// decade every 4 steps back from the last, with a NaN, a zero, a negative
/// and (in the last column) a missing value.
pub(super) fn profile(cols: usize, rows: usize) -> ProfileHeatmap {
    let columns = (0..cols)
        .map(|c| {
            let mut v: Vec<f32> = (0..rows)
                .map(|t| 10f32.powf(-((rows - 1 - t) as f32) / 4.0) * (1.0 + c as f32))
                .collect();
            v[0] = f32::NAN;
            v[1] = 0.0;
            v[2] = -1.0;
            if c == cols - 1 {
                v.pop();
            }
            (10 * c as u64, v)
        })
        .collect();
    ProfileHeatmap {
        columns,
        rows,
        x_label: "training step".into(),
        y_label: "lag T − t".into(),
    }
}

/// The expected colour of value `v` on the decade range `(lo, hi)`.
fn want(v: f32, (lo, hi): (f64, f64)) -> RGBColor {
    if v.is_nan() || v < 0.0 {
        NAN_COLOUR
    } else if v == 0.0 {
        sequential_color(0.0)
    } else {
        sequential_color((f64::from(v).log10() - lo) / (hi - lo))
    }
}

#[test]
fn log_range_is_whole_decades() {
    let col = |v: Vec<f32>| vec![(0u64, v)];
    assert_eq!(log_range(&col(vec![2e-3, 0.5, 40.0])), (-3.0, 2.0));
    assert_eq!(
        log_range(&col(vec![5.0, 5.0])),
        (0.0, 1.0),
        "at least a decade"
    );
    assert_eq!(log_range(&col(vec![1.0])), (-1.0, 0.0));
    assert_eq!(
        log_range(&col(vec![1e-30, 3.0])),
        (-16.0, 1.0),
        "at most 16 below"
    );
    assert_eq!(log_range(&col(vec![0.0, -1.0, f32::NAN])), (-4.0, 0.0));
    assert_eq!(log_range(&[]), (-4.0, 0.0));
}

#[test]
fn profile_cells_have_the_scale_colours() {
    let p = profile(6, 12);
    let (svg, l) = svg_with(|a| draw_cells(a, &p).unwrap());
    let range = log_range(&p.columns);
    assert_eq!(l.log_range, range);
    assert_eq!(l.steps, (-0.5, 50.5));
    // The colour bar names every decade of the range.
    for k in range.0 as i32..=range.1 as i32 {
        let label = super::super::style::power_of_ten(k);
        assert!(svg.contains(&label), "missing {label}");
    }

    let cells = rects_in(&svg, &l.cells);
    assert_eq!(
        cells.len(),
        p.columns.len() * p.rows,
        "one rect per cell here"
    );
    let area: i32 = cells
        .iter()
        .map(|t| num(t, "width") * num(t, "height"))
        .sum();
    assert_eq!(area as usize, l.cells.width() * l.cells.height(), "tiled");
    let r = l.cells;
    let (w, h) = (r.width() as f64, r.height() as f64);
    for (c, (step, v)) in p.columns.iter().enumerate() {
        for t in 0..p.rows {
            // Inside the cell: x just after its step (a column shows steps
            // from its own to the next), y by lag (lag 0 at the bottom).
            let x = r.left + ((*step as f64 + 0.75) / 51.0 * w) as i32;
            let lag = p.rows - 1 - t;
            let y = r.bottom - ((lag as f64 + 0.5) / p.rows as f64 * h) as i32;
            let rect = cells
                .iter()
                .find(|tag| {
                    let (x0, y0) = (num(tag, "x"), num(tag, "y"));
                    (x0..x0 + num(tag, "width")).contains(&x)
                        && (y0..y0 + num(tag, "height")).contains(&y)
                })
                .unwrap();
            let value = v.get(t).copied().unwrap_or(f32::NAN);
            let colour = hex(want(value, range));
            assert_eq!(
                attr(rect, "fill"),
                Some(colour.as_str()),
                "step {step} t {t}"
            );
            if c == 0 && t == 0 {
                assert_eq!(colour, hex(NAN_COLOUR), "NaN is grey");
            }
        }
    }
}

#[test]
fn profile_pixels_match_the_drawn_cells() {
    let mut p = profile(5, 9);
    // Gaps between steps: pixel columns show the latest profile before them.
    for (c, col) in p.columns.iter_mut().enumerate() {
        col.0 = [0, 3, 4, 20, 21][c];
    }
    let (svg, l) = svg_with(|a| draw_cells(a, &p).unwrap());
    let px = cell_pixels(&p, &l);
    assert_eq!(px.len(), l.cells.width() * l.cells.height() * 4);
    pixels_match_rects(&svg, &l.cells, &px);
    let (frame, frame_layout) = svg_with(|a| draw_cells_frame(a, &p).unwrap());
    assert_eq!(frame_layout, l);
    assert!(
        rects_in(&frame, &l.cells).is_empty(),
        "no cells in the frame"
    );

    // Device pixels: twice as many each way, the same colour at each cell.
    let big = cell_pixels(&p, &l.scaled(2.0));
    let (w, h) = (l.cells.width(), l.cells.height());
    let scaled = l.scaled(2.0).cells;
    assert_eq!((scaled.width(), scaled.height()), (2 * w, 2 * h));
    assert_eq!(big.len(), 16 * w * h);
    for (x, y) in [(1, 1), (w / 3, h / 2), (w - 2, h - 2), (w / 2, 3)] {
        let i = (y * w + x) * 4;
        let j = ((2 * y + 1) * 2 * w + 2 * x + 1) * 4;
        assert_eq!(px[i..i + 4], big[j..j + 4], "pixel {x},{y}");
    }
}

#[test]
fn empty_profile_heatmap_draws_frame_and_note() {
    let empty = ProfileHeatmap {
        x_label: "training step".into(),
        ..Default::default()
    };
    let (svg, l) = svg_with(|a| draw_cells(a, &empty).unwrap());
    assert!(svg.contains("no steps yet") && svg.contains("training step"));
    assert!(rects_in(&svg, &l.cells).is_empty());
    let px = cell_pixels(&empty, &l);
    assert!(px.len() == l.cells.width() * l.cells.height() * 4 && px.iter().all(|&b| b == 255));
    let no_rows = ProfileHeatmap {
        rows: 0,
        ..profile(3, 4)
    };
    let svg = svg_of(|a| {
        draw_cells(a, &no_rows).unwrap();
    });
    assert!(svg.contains("no steps yet"));
}
