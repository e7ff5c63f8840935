//! The loss chart and the data preparation behind it.

use super::super::data::{clip_runs, quantile};
use super::*;

pub(super) fn curve(n: usize) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let x = i as f64;
            (x, 2.0 + 2.0 * (-x / 300.0).exp() + 0.1 * (x * 0.7).sin())
        })
        .collect()
}

pub(super) fn loss_chart(n: usize) -> LossChart {
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
