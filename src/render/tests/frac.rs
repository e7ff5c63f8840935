//! The fraction chart: lines on a fixed y-range with a chance line.

use super::*;

pub(super) fn frac_chart(n: usize) -> FracChart {
    let acc = |i: usize| 0.25 + 0.7 * (1.0 - (-(i as f64) / 60.0).exp());
    let raw: Vec<(f64, f64)> = (0..n)
        .map(|i| (i as f64 * 10.0, acc(i) + 0.05 * (i as f64).sin()))
        .collect();
    FracChart {
        series: vec![
            FracSeries {
                name: "accuracy (raw)".into(),
                points: raw,
                color: PALETTE[0],
                faint: true,
            },
            FracSeries {
                name: "accuracy".into(),
                points: (0..n).map(|i| (i as f64 * 10.0, acc(i))).collect(),
                color: PALETTE[0],
                faint: false,
            },
            FracSeries {
                name: "LSTM".into(),
                points: (0..n).step_by(50).map(|i| (i as f64 * 10.0, 0.6)).collect(),
                color: cell_colour("lstm", ""),
                faint: false,
            },
        ],
        chance: Some(("chance".into(), 0.25)),
        x_label: "training step".into(),
        y_label: "accuracy".into(),
        y_range: (0.0, 1.0),
        percent: true,
    }
}

/// The `<text>` elements as (opening tag, trimmed content).
fn text_elems(svg: &str) -> Vec<(&str, &str)> {
    svg.match_indices("<text ")
        .map(|(i, _)| {
            let rest = &svg[i..];
            let open = rest.find('>').unwrap();
            let body = &rest[open + 1..];
            (&rest[..open], body[..body.find("</text>").unwrap()].trim())
        })
        .collect()
}

fn texts(svg: &str) -> Vec<&str> {
    text_elems(svg).into_iter().map(|e| e.1).collect()
}

/// The y of the `<text>` element that says `label`.
fn text_y(svg: &str, label: &str) -> i32 {
    let (tag, _) = text_elems(svg).into_iter().find(|e| e.1 == label).unwrap();
    num(tag, "y")
}

/// The 1-pixel-high filled rectangles of colour `c` (dashes).
fn dashes(svg: &str, c: RGBColor) -> Vec<(i32, i32)> {
    tags(svg, "rect")
        .into_iter()
        .filter(|t| num(t, "height") == 1 && attr(t, "fill") == Some(hex(c).as_str()))
        .map(|t| (num(t, "x"), num(t, "y")))
        .collect()
}

const MUTED: RGBColor = RGBColor(90, 90, 90);

#[test]
fn frac_chart_draws_legend_percent_labels_and_chance_line() {
    let c = frac_chart(300);
    let svg = svg_of(|a| draw_frac_chart(a, &c).unwrap());
    let texts = texts(&svg);
    for want in ["accuracy", "LSTM", "chance", "training step", "0%", "100%"] {
        assert!(texts.contains(&want), "missing {want:?} in {texts:?}");
    }
    assert!(
        !svg.contains("accuracy (raw)"),
        "a faint series has no legend entry"
    );
    assert!(!svg.contains("no data yet"));
    let y_labels: Vec<&&str> = texts.iter().filter(|t| t.ends_with('%')).collect();
    assert!(y_labels.len() >= 4, "{y_labels:?}");

    // The chance line: dashes on one row, across most of the plot width.
    let d = dashes(&svg, MUTED);
    assert!(d.len() >= 30, "{} dashes", d.len());
    assert!(d.iter().all(|p| p.1 == d[0].1), "one horizontal line");
    let high = FracChart {
        chance: Some(("chance".into(), 0.75)),
        ..c.clone()
    };
    let high_y = dashes(&svg_of(|a| draw_frac_chart(a, &high).unwrap()), MUTED)[0].1;
    assert!(high_y < d[0].1, "75% is above 25%");
    // On the y-axis: 25 % a quarter of the way from the 0 % label to the 100 % one.
    let (y0, y100) = (text_y(&svg, "0%"), text_y(&svg, "100%"));
    let want = f64::from(y0) + 0.25 * f64::from(y100 - y0);
    assert!(
        (f64::from(d[0].1) - want).abs() <= 1.0,
        "chance at {}, want {want}",
        d[0].1
    );

    // The legend's dashed sample for the chance line.
    let legend_dashes = tags(&svg, "polyline")
        .into_iter()
        .filter(|t| attr(t, "stroke") == Some(hex(MUTED).as_str()))
        .count();
    assert!(legend_dashes >= 2, "dashed legend sample");
}

#[test]
fn frac_chart_faint_markers_and_plain_labels() {
    let c = frac_chart(300);
    let svg = svg_of(|a| draw_frac_chart(a, &c).unwrap());
    let lines = tags(&svg, "polyline");
    let faint: Vec<&&str> = lines
        .iter()
        .filter(|t| attr(t, "opacity") == Some("0.25"))
        .collect();
    assert_eq!(faint.len(), 1, "the raw series is pale");
    assert_eq!(attr(faint[0], "stroke-width"), Some("1"));
    // Markers on the short LSTM series (6 points) only.
    let lstm = hex(cell_colour("lstm", ""));
    let dots = tags(&svg, "circle");
    assert_eq!(dots.len(), 6, "{dots:?}");
    assert!(dots.iter().all(|t| attr(t, "fill") == Some(lstm.as_str())));

    let tanh = FracChart {
        y_range: (-1.0, 1.0),
        percent: false,
        chance: None,
        ..c
    };
    let svg = svg_of(|a| draw_frac_chart(a, &tanh).unwrap());
    let texts = texts(&svg);
    assert!(
        texts.contains(&"−1.0") && texts.contains(&"1.0"),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.ends_with('%')));
    assert!(dashes(&svg, MUTED).is_empty(), "no chance line");
}

#[test]
fn empty_frac_chart_draws_frame_and_note() {
    let c = FracChart {
        x_label: "step".into(),
        y_label: "success".into(),
        y_range: (0.0, 1.0),
        percent: true,
        chance: Some(("chance".into(), 0.5)),
        ..Default::default()
    };
    let svg = svg_of(|a| draw_frac_chart(a, &c).unwrap());
    assert!(svg.contains("no data yet") && svg.contains("success") && svg.contains("100%"));
    assert!(
        !dashes(&svg, MUTED).is_empty(),
        "the chance line still shows"
    );
    let nan = FracChart {
        series: vec![FracSeries {
            name: "s".into(),
            points: vec![(f64::NAN, 0.5), (1.0, f64::INFINITY)],
            color: PALETTE[2],
            faint: false,
        }],
        ..Default::default()
    };
    let svg = svg_of(|a| draw_frac_chart(a, &nan).unwrap());
    assert!(svg.contains("no data yet") && !svg.contains("NaN"));
}
