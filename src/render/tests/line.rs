//! The line chart.

use super::*;

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
        refs: Vec::new(),
        ..Default::default()
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

/// The rows of 1-pixel-high filled rectangles of colour `c` (dashes).
fn dash_rows(svg: &str, c: RGBColor) -> Vec<i32> {
    let mut ys: Vec<i32> = tags(svg, "rect")
        .into_iter()
        .filter(|t| num(t, "height") == 1 && attr(t, "fill") == Some(hex(c).as_str()))
        .map(|t| num(t, "y"))
        .collect();
    ys.dedup();
    ys
}

#[test]
fn line_chart_reference_lines_are_dashed_in_range_and_in_the_legend() {
    let c = LineChart {
        series: vec![Series {
            name: "GRU".into(),
            points: (0..5)
                .map(|i| (f64::from(i), 1.0 + 0.2 * f64::from(i)))
                .collect(),
            color: Some(cell_colour("gru", "")),
        }],
        refs: vec![
            RefLine {
                name: "target".into(),
                y: 5.0,
                color: None,
            },
            RefLine {
                name: "floor".into(),
                y: -1.0,
                color: Some(PALETTE[4]),
            },
        ],
        x_label: "step".into(),
        y_label: "norm".into(),
        ..Default::default()
    };
    let svg = svg_of(|a| draw_line_chart(a, &c).unwrap());
    for text in ["GRU", "target", "floor"] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    let muted = RGBColor(90, 90, 90);
    let (target, floor) = (dash_rows(&svg, muted), dash_rows(&svg, PALETTE[4]));
    assert_eq!((target.len(), floor.len()), (1, 1), "one dashed line each");
    let gru = hex(cell_colour("gru", ""));
    let line = tags(&svg, "polyline")
        .into_iter()
        .find(|t| attr(t, "stroke") == Some(gru.as_str()) && polyline_points(t).len() == 5)
        .unwrap();
    let ys: Vec<f64> = polyline_points(line).iter().map(|p| p.1).collect();
    assert!(ys
        .iter()
        .all(|&y| f64::from(target[0]) < y && y < f64::from(floor[0])));
    // Markers on the five points only, none along the reference lines.
    assert_eq!(tags(&svg, "circle").len(), 5);
    // Dashed legend samples: short polylines in each reference colour.
    for col in [muted, PALETTE[4]] {
        let samples = tags(&svg, "polyline")
            .into_iter()
            .filter(|t| attr(t, "stroke") == Some(hex(col).as_str()))
            .count();
        assert!(samples >= 2, "dashed sample in {col:?}");
    }

    let log = LineChart {
        log_y: true,
        ..c.clone()
    };
    let svg = svg_of(|a| draw_line_chart(a, &log).unwrap());
    assert!(
        svg.contains("target") && !svg.contains("floor"),
        "y <= 0 skipped on a log axis"
    );
    assert_eq!(dash_rows(&svg, muted).len(), 1);
    let only_refs = LineChart {
        series: Vec::new(),
        ..c
    };
    let svg = svg_of(|a| draw_line_chart(a, &only_refs).unwrap());
    assert!(svg.contains("no data yet") && dash_rows(&svg, muted).len() == 1);
}
