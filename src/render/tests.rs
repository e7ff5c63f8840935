//! Renderer tests: draw into SVG strings (and RGB buffers) and check what
//! was actually drawn.

use super::data::{clip_runs, quantile};
use super::style::{fmt_tick, text_width};
use super::*;
use plotters::prelude::*;

const SIZE: (u32, u32) = (800, 450);

fn svg_of(draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(&root);
        root.present().unwrap();
    }
    out
}

/// The opening tags `<name ...` in `svg`.
fn tags<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    svg.match_indices(&open)
        .map(|(i, _)| {
            let rest = &svg[i..];
            &rest[..rest.find('>').unwrap_or(rest.len())]
        })
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

fn num(tag: &str, name: &str) -> i32 {
    attr(tag, name).unwrap().parse().unwrap()
}

fn polyline_points(tag: &str) -> Vec<(f64, f64)> {
    attr(tag, "points")
        .unwrap()
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

fn curve(n: usize) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let x = i as f64;
            (x, 2.0 + 2.0 * (-x / 300.0).exp() + 0.1 * (x * 0.7).sin())
        })
        .collect()
}

fn loss_chart(n: usize) -> LossChart {
    LossChart {
        train: curve(n),
        train_smooth: curve(n).iter().map(|&(x, y)| (x, y - 0.05)).collect(),
        val: (0..n).step_by(100).map(|i| (i as f64, 2.3)).collect(),
        baselines: vec![("uniform ln V".into(), 4.17), ("unigram".into(), 3.30)],
        x_label: "step".into(),
        y_label: "loss (nats/char)".into(),
    }
}

#[test]
fn loss_chart_draws_lines_baselines_and_labels() {
    let svg = svg_of(|a| draw_loss_chart(a, &loss_chart(500)).unwrap());
    assert!(
        tags(&svg, "polyline").len() >= 4,
        "lines and dashes expected"
    );
    assert!(
        !tags(&svg, "circle").is_empty(),
        "validation markers expected"
    );
    for text in [
        "nats/char",
        "step",
        "uniform ln V = 4.17",
        "unigram = 3.30",
        "train (smoothed)",
        "validation",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    assert!(!svg.contains("no data yet"));
}

#[test]
fn empty_loss_chart_draws_frame_and_note() {
    let c = LossChart {
        x_label: "step".into(),
        y_label: "nats/char".into(),
        ..Default::default()
    };
    let svg = svg_of(|a| draw_loss_chart(a, &c).unwrap());
    assert!(svg.contains("no data yet") && svg.contains("nats/char"));
    assert!(!tags(&svg, "line").is_empty(), "axes expected");
}

#[test]
fn non_finite_values_are_skipped() {
    let mut c = loss_chart(200);
    for s in [&mut c.train, &mut c.train_smooth, &mut c.val] {
        s.insert(1, (5.0, f64::NAN));
        s.push((250.0, f64::INFINITY));
        s.push((f64::NEG_INFINITY, 1.0));
        s.push((260.0, 1e300));
    }
    c.baselines.push(("broken".into(), f64::NAN));
    let svg = svg_of(|a| draw_loss_chart(a, &c).unwrap());
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(!svg.contains("broken"));
    let (xr, yr) = loss_chart::ranges(&c.train[..3], &[], &[], &[]);
    assert!(xr.0.is_finite() && xr.1.is_finite() && yr.0.is_finite() && yr.1.is_finite());
    let all_bad = LossChart {
        train: vec![(f64::NAN, f64::NAN); 3],
        ..Default::default()
    };
    let svg = svg_of(|a| draw_loss_chart(a, &all_bad).unwrap());
    assert!(svg.contains("no data yet"));
}

#[test]
fn huge_first_loss_does_not_set_the_y_range() {
    let mut train = curve(1000);
    train[0].1 = 1e6;
    let (_, (lo, hi)) = loss_chart::ranges(&train, &[], &[], &[("uniform", 4.17)]);
    assert!(hi < 5.0 && lo > 1.0, "y-range {lo}..{hi}");
    let (_, (_, hi)) = loss_chart::ranges(&[(0.0, 50.0), (1.0, 4.0), (2.0, 3.9)], &[], &[], &[]);
    assert!(hi < 5.0, "even with three points: {hi}");
}

#[test]
fn decimation_bounds_points_drawn_and_keeps_spikes() {
    let mut c = loss_chart(10_000);
    c.train[5007].1 = 3.5; // a spike inside the y-range
    let svg = svg_of(|a| draw_loss_chart(a, &c).unwrap());
    let raw: Vec<(f64, f64)> = tags(&svg, "polyline")
        .into_iter()
        .filter(|t| attr(t, "opacity") == Some("0.3"))
        .flat_map(polyline_points)
        .collect();
    let plot_w = 800 - 8 - 18 - 64; // margins and y-label area
    assert!(raw.len() <= 2 * plot_w as usize + 8, "{} points", raw.len());
    assert!(raw.len() >= plot_w as usize, "{} points", raw.len());
    let centre = 72.0 + 0.5 * plot_w as f64;
    let highest_near = |lo: f64, hi: f64| {
        raw.iter()
            .filter(|p| (lo..=hi).contains(&(p.0 - centre).abs()))
            .map(|p| p.1)
            .fold(f64::MAX, f64::min)
    };
    let (spike, around) = (highest_near(0.0, 1.0), highest_near(10.0, 30.0));
    assert!(
        spike < around - 100.0,
        "spike at y={spike}, neighbours at {around}"
    );

    let pts = curve(10_000);
    let d = decimate(&pts, (0.0, 9999.0), 100);
    assert!(d.len() <= 200 && d.len() >= 100);
    assert!(d.windows(2).all(|w| w[0].0 <= w[1].0), "order kept");
    let mut shuffled = pts.clone();
    shuffled.reverse();
    assert!(decimate(&shuffled, (0.0, 9999.0), 100).len() <= 200);
    assert_eq!(decimate(&pts[..10], (0.0, 9.0), 100), pts[..10].to_vec());
}

#[test]
fn clipping_cuts_lines_at_the_band() {
    let runs = clip_runs(&[(0.0, 0.0), (1.0, 10.0), (2.0, 0.0)], -1.0, 5.0);
    assert_eq!(
        runs,
        vec![vec![(0.0, 0.0), (0.5, 5.0)], vec![(1.5, 5.0), (2.0, 0.0)]]
    );
    assert!(clip_runs(&[(0.0, 9.0), (1.0, 9.0)], 0.0, 5.0).is_empty());
    assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), Some(2.0));
    assert_eq!(quantile(&[], 0.5), None);
}

#[test]
fn diverging_colors() {
    let r = 2.5;
    let red = diverging_color(r, r);
    assert!(red.0 > 150 && red.1 < 80 && red.2 < 80, "{red:?}");
    let blue = diverging_color(-r, r);
    assert!(blue.2 > 150 && blue.0 < 80, "{blue:?}");
    assert_eq!(diverging_color(0.0, r), RGBColor(255, 255, 255));
    assert_eq!(diverging_color(10.0, r), red, "clamped");
    let nan = diverging_color(f32::NAN, r);
    assert!(nan.0 == nan.1 && nan.1 == nan.2, "grey");
    let _ = diverging_color(1.0, 0.0); // no panic on a zero range
}

fn heatmap(rows: usize, cols: usize) -> Heatmap {
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

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

#[test]
fn heatmap_draws_one_rect_per_cell_tiling_the_plot() {
    let h = heatmap(6, 10);
    let mut layout = None;
    let svg = svg_of(|a| layout = Some(draw_heatmap(a, &h).unwrap()));
    let l = layout.unwrap();
    let cells: Vec<&str> = tags(&svg, "rect")
        .into_iter()
        .filter(|t| (l.left..l.right).contains(&num(t, "x")))
        .filter(|t| (l.top..l.bottom).contains(&num(t, "y")))
        .collect();
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
    let mut layout = None;
    svg_of(|a| layout = Some(draw_heatmap(a, &h).unwrap()));
    let l = layout.unwrap();
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
    let svg = svg_of(|a| layout = Some(draw_heatmap(a, &empty).unwrap()));
    assert!(svg.contains("no data yet"));
    assert_eq!(layout.unwrap().cell_at(400, 200), None);
    let short = Heatmap {
        values: vec![f32::NAN, 3.0],
        rows: 4,
        cols: 4,
        ..Default::default()
    };
    svg_of(|a| layout = Some(draw_heatmap(a, &short).unwrap()));
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
    let l = draw_heatmap(&root, &h).unwrap();
    assert_eq!((l.rows, l.cols), (512, 200));
}

#[test]
fn line_chart_log_scale_skips_non_positive() {
    let c = LineChart {
        series: vec![
            Series {
                name: "RNN".into(),
                points: vec![
                    (0.0, 1.0),
                    (1.0, 0.0),
                    (2.0, -1.0),
                    (3.0, 1e-3),
                    (4.0, f64::NAN),
                ],
                color: None,
            },
            Series {
                name: "LSTM".into(),
                points: (0..20).map(|k| (k as f64, 0.9f64.powi(k))).collect(),
                color: Some(RGBColor(0, 0, 0)),
            },
        ],
        x_label: "lag".into(),
        y_label: "gradient norm".into(),
        log_y: true,
        title: "Gradient norm vs lag".into(),
    };
    let svg = svg_of(|a| draw_line_chart(a, &c).unwrap());
    for text in [
        "Gradient norm vs lag",
        "RNN",
        "LSTM",
        "gradient norm",
        "lag",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    let rnn: Vec<&str> = tags(&svg, "polyline")
        .into_iter()
        .filter(|t| attr(t, "stroke") == Some("#0072B2") && attr(t, "stroke-width") == Some("2"))
        .collect();
    let longest = rnn.iter().map(|t| polyline_points(t).len()).max();
    assert_eq!(longest, Some(2), "only the two positive points are drawn");
    let linear = LineChart {
        log_y: false,
        ..c.clone()
    };
    svg_of(|a| draw_line_chart(a, &linear).unwrap());
    let empty = LineChart {
        log_y: true,
        ..Default::default()
    };
    assert!(svg_of(|a| draw_line_chart(a, &empty).unwrap()).contains("no data yet"));
}

#[test]
fn png_output_has_text_and_lines() {
    let path = std::env::temp_dir().join(format!("rnnlab-render-{}.png", std::process::id()));
    write_png(&path, SIZE, |a| draw_loss_chart(a, &loss_chart(300))).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    {
        let root = PngBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        draw_loss_chart(&root, &loss_chart(300)).unwrap();
        root.present().unwrap();
    }
    // The y-axis description is drawn rotated in the left strip: dark pixels.
    let dark_in = |x0: u32, x1: u32, y0: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| ((y * SIZE.0 + x) * 3) as usize))
            .filter(|&i| buf[i] < 100 && buf[i + 1] < 100 && buf[i + 2] < 100)
            .count()
    };
    assert!(dark_in(0, 30, 100, 350) > 50, "rotated y label");
    assert!(dark_in(80, 400, 0, 30) > 50, "legend text");
}

#[test]
fn formatting_and_metrics() {
    assert_eq!(fmt_tick(2000.0, 8000.0), "2000");
    assert_eq!(fmt_tick(20000.0, 80000.0), "20k");
    assert_eq!(fmt_tick(2.5, 3.0), "2.5");
    assert_eq!(fmt_tick(-0.0001, 3.0), "0");
    assert!(text_width("uniform ln V = 4.17", 12.0) > 100);
    let e = draw_err::<std::fmt::Error>("the test")(
        plotters::drawing::DrawingAreaErrorKind::SharingError,
    );
    assert!(e.to_string().starts_with("drawing the test failed: "));
    register_fonts();
    register_fonts();
}

#[test]
fn heatmap_pixels_match_the_drawn_cells() {
    let h = heatmap(7, 9);
    let mut layout = None;
    let svg = svg_of(|a| layout = Some(draw_heatmap(a, &h).unwrap()));
    let l = layout.unwrap();
    let px = heatmap_pixels(&h, &l);
    assert_eq!(px.len(), l.width() * l.height() * 4);
    let cells = tags(&svg, "rect")
        .into_iter()
        .filter(|t| (l.left..l.right).contains(&num(t, "x")))
        .filter(|t| (l.top..l.bottom).contains(&num(t, "y")));
    for t in cells {
        let (x, y) = (num(t, "x") - l.left, num(t, "y") - l.top);
        let (w, ht) = (num(t, "width"), num(t, "height"));
        for (cx, cy) in [(x, y), (x + w - 1, y + ht - 1)] {
            let i = (cy as usize * l.width() + cx as usize) * 4;
            let c = RGBColor(px[i], px[i + 1], px[i + 2]);
            assert_eq!(Some(hex(c).as_str()), attr(t, "fill"));
        }
    }
    let mut frame_layout = None;
    let frame = svg_of(|a| frame_layout = Some(draw_heatmap_frame(a, &h).unwrap()));
    assert_eq!(frame_layout, Some(l));
    let inside = tags(&frame, "rect")
        .into_iter()
        .filter(|t| (l.left..l.right).contains(&num(t, "x")))
        .filter(|t| (l.top..l.bottom).contains(&num(t, "y")))
        .count();
    assert_eq!(inside, 0, "the frame leaves the cells to the caller");
}

#[test]
fn degenerate_inputs_and_tiny_areas_do_not_panic() {
    let cases = [
        vec![(3.0, 2.0)],
        vec![(3.0, 2.0), (3.0, 2.0)],
        vec![(0.0, -5.0), (1.0, 5.0)],
        vec![(0.0, 1e99), (1.0, -1e99), (2.0, 0.0)],
        vec![(1e12, 1e-12), (2e12, 2e-12)],
    ];
    for train in cases {
        let c = LossChart {
            train: train.clone(),
            train_smooth: train.clone(),
            val: train.clone(),
            ..Default::default()
        };
        svg_of(|a| draw_loss_chart(a, &c).unwrap());
        let series = vec![Series {
            name: "s".into(),
            points: train,
            color: None,
        }];
        for log_y in [false, true] {
            let l = LineChart {
                series: series.clone(),
                log_y,
                ..Default::default()
            };
            svg_of(|a| draw_line_chart(a, &l).unwrap());
        }
    }
    for size in [(0, 0), (1, 1), (20, 10), (120, 80)] {
        let mut out = String::new();
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let _ = draw_loss_chart(&root, &loss_chart(100));
        let _ = draw_heatmap(&root, &heatmap(4, 4));
        let _ = draw_line_chart(&root, &LineChart::default());
        let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
        let root = PngBackend::with_buffer(&mut buf, size).into_drawing_area();
        let _ = draw_loss_chart(&root, &loss_chart(100));
        let _ = draw_heatmap(&root, &heatmap(4, 4));
        let _ = draw_line_chart(&root, &LineChart::default());
    }
}
