//! Renderer tests: draw into SVG strings (and RGB buffers) and check what
//! was actually drawn. One file per renderer; the helpers that read SVG and
//! the tests that span renderers are here.

mod colour;
mod either;
mod frac;
mod heatmap;
mod line;
mod loss;
mod profile;
mod scaled;
mod scatter;

use super::style::{fmt_tick, text_width};
use super::*;
use heatmap::heatmap;
use loss::loss_chart;
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

/// Like [`svg_of`], also returning what `draw` returned (e.g. a layout).
fn svg_with<T>(
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> T,
) -> (String, T) {
    let mut out = None;
    let svg = svg_of(|a| out = Some(draw(a)));
    (svg, out.unwrap())
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

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The `<rect>` tags whose top-left corner is inside `r` (heatmap cells).
fn rects_in<'a>(svg: &'a str, r: &CellRect) -> Vec<&'a str> {
    tags(svg, "rect")
        .into_iter()
        .filter(|t| r.contains(num(t, "x"), num(t, "y")))
        .collect()
}

/// Checks that the RGBA pixels `px` of the cell rectangle `r` have, at both
/// corners of every cell rectangle drawn in `svg`, that rectangle's colour.
fn pixels_match_rects(svg: &str, r: &CellRect, px: &[u8]) {
    for t in rects_in(svg, r) {
        let (x, y) = (num(t, "x") - r.left, num(t, "y") - r.top);
        let (w, ht) = (num(t, "width"), num(t, "height"));
        for (cx, cy) in [(x, y), (x + w - 1, y + ht - 1)] {
            let i = (cy as usize * r.width() + cx as usize) * 4;
            let c = RGBColor(px[i], px[i + 1], px[i + 2]);
            assert_eq!(Some(hex(c).as_str()), attr(t, "fill"));
        }
    }
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
        let _ = draw_cells(&root, &heatmap(4, 4));
        let _ = draw_line_chart(&root, &LineChart::default());
        let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
        let root = PngBackend::with_buffer(&mut buf, size).into_drawing_area();
        let _ = draw_loss_chart(&root, &loss_chart(100));
        let _ = draw_cells(&root, &heatmap(4, 4));
        let _ = draw_line_chart(&root, &LineChart::default());
    }
}

/// Writes the charts as PNGs to `/tmp/render-check` for a person to look at
/// (`cargo test --lib render::tests::write_check_pngs -- --ignored`).
#[test]
#[ignore = "writes files for a visual check"]
fn write_check_pngs() {
    let dir = std::path::Path::new("/tmp/render-check");
    std::fs::create_dir_all(dir).unwrap();
    let frac = frac::frac_chart(300);
    let tanh = FracChart {
        series: vec![FracSeries {
            name: "unit 3".into(),
            points: (0..60)
                .map(|i| (f64::from(i), (f64::from(i) * 0.3).sin().tanh()))
                .collect(),
            color: cell_colour("rnn", "tanh"),
            faint: false,
        }],
        y_range: (-1.0, 1.0),
        percent: false,
        chance: None,
        x_label: "time step".into(),
        y_label: "activation".into(),
    };
    let prof = profile::profile(120, 40);
    write_png(&dir.join("frac.png"), SIZE, |a| draw_frac_chart(a, &frac)).unwrap();
    write_png(&dir.join("frac-tanh.png"), SIZE, |a| {
        draw_frac_chart(a, &tanh)
    })
    .unwrap();
    write_png(&dir.join("profile.png"), SIZE, |a| draw_cells(a, &prof)).unwrap();
    let empty = ProfileHeatmap::default();
    write_png(&dir.join("profile-empty.png"), SIZE, |a| {
        draw_cells(a, &empty)
    })
    .unwrap();
    let big = (SIZE.0 * 2, SIZE.1 * 2);
    let path = dir.join("frac@2x.png");
    let root = Scaled::new(PngBackend::new(&path, big), 2.0).into_drawing_area();
    draw_frac_chart(&root, &frac).unwrap();
    root.present().unwrap();
    let path = dir.join("profile@2x.png");
    let root = Scaled::new(PngBackend::new(&path, big), 2.0).into_drawing_area();
    draw_cells(&root, &prof).unwrap();
    root.present().unwrap();
    let refs = LineChart {
        series: vec![Series {
            name: "RNN".into(),
            points: (0..40)
                .map(|i| (f64::from(i), 1.5 * 0.9f64.powi(i)))
                .collect(),
            color: None,
        }],
        refs: vec![RefLine {
            name: "clip threshold".into(),
            y: 1.0,
            color: None,
        }],
        log_y: true,
        x_label: "lag".into(),
        y_label: "norm".into(),
        title: "Reference lines".into(),
        ..Default::default()
    };
    let mut walk = Trajectory {
        points: (0..3000)
            .map(|i| {
                let t = f64::from(i) * 0.01;
                (t.cos() * (1.0 + t), t.sin() * (1.0 + 0.5 * t))
            })
            .collect(),
        group: (0..3000).map(|i| [0, 0, 0, 1, 2][i % 5]).collect(),
        groups: vec!["letter".into(), "space".into(), "punctuation".into()],
        highlight: Some(1200),
        x_label: "PC1 (61% of the variance)".into(),
        y_label: "PC2 (22%)".into(),
        ..Trajectory::default()
    };
    write_png(&dir.join("trajectory.png"), SIZE, |a| {
        draw_trajectory(a, &walk)
    })
    .unwrap();
    walk.points.clear();
    write_png(&dir.join("trajectory-empty.png"), SIZE, |a| {
        draw_trajectory(a, &walk)
    })
    .unwrap();
    write_png(&dir.join("line-refs.png"), SIZE, |a| {
        draw_line_chart(a, &refs)
    })
    .unwrap();
    write_png(&dir.join("heatmap.png"), SIZE, |a| {
        draw_cells(a, &heatmap(12, 30))
    })
    .unwrap();
    write_png(&dir.join("loss.png"), SIZE, |a| {
        draw_loss_chart(a, &loss_chart(800))
    })
    .unwrap();
}
