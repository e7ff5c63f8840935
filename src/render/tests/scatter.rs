//! The trajectory: legend of the groups present, points coloured by group (at most one per pixel
//! and group), the path, the ring, the empty note.

use super::*;
use crate::render::FixedMark;

fn circles(svg: &str) -> Vec<&str> {
    tags(svg, "circle")
}

fn walk(n: usize) -> Trajectory {
    Trajectory {
        points: (0..n)
            .map(|i| ((i as f64).cos() * i as f64, (i as f64).sin() * i as f64))
            .collect(),
        group: (0..n).map(|i| i % 2).collect(),
        groups: vec!["letter".into(), "space".into(), "digit".into()],
        highlight: Some(3),
        x_label: "PC1 (61%)".into(),
        y_label: "PC2 (22%)".into(),
        ..Trajectory::default()
    }
}

#[test]
fn points_are_coloured_by_group_and_the_legend_names_the_groups_present() {
    let t = walk(40);
    let svg = svg_of(|a| draw_trajectory(a, &t).unwrap());
    for text in ["letter", "space", "PC1 (61%)", "PC2 (22%)"] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    assert!(
        !svg.contains("digit"),
        "a group with no points is not in the legend"
    );
    let c = circles(&svg);
    // 40 dots and the ring.
    assert_eq!(c.len(), 41, "{}", c.len());
    let fill = |col: RGBColor| format!("fill=\"#{:02X}{:02X}{:02X}\"", col.0, col.1, col.2);
    let blue = c.iter().filter(|s| s.contains(&fill(PALETTE[0]))).count();
    let orange = c.iter().filter(|s| s.contains(&fill(PALETTE[1]))).count();
    assert_eq!((blue, orange), (20, 20));
    assert_eq!(
        c.iter().filter(|s| s.contains("fill=\"none\"")).count(),
        1,
        "one ring"
    );
    assert!(
        svg.contains("<polyline") || svg.contains("<path"),
        "the path in order"
    );
}

#[test]
fn many_points_in_one_pixel_draw_once_and_bad_points_are_skipped() {
    let mut t = walk(0);
    t.points = vec![(0.0, 0.0); 5000];
    t.points.push((1.0, 1.0));
    t.points.push((f64::NAN, 2.0));
    t.group = vec![0; t.points.len()];
    t.highlight = Some(5001);
    let svg = svg_of(|a| draw_trajectory(a, &t).unwrap());
    assert_eq!(
        circles(&svg).len(),
        2,
        "5000 equal points draw as one, NaN not at all, no ring on NaN"
    );
}

#[test]
fn an_empty_trajectory_says_so() {
    let svg = svg_of(|a| draw_trajectory(a, &Trajectory::default()).unwrap());
    assert!(svg.contains("no text inspected yet"));
    assert!(circles(&svg).is_empty());
}

#[test]
fn fixed_points_are_drawn_filled_when_stable_open_when_not_and_paths_break_per_episode() {
    let mut t = walk(30);
    t.highlight = None;
    t.breaks = vec![10, 20];
    t.fixed = vec![
        FixedMark {
            at: (0.0, 0.0),
            stable: true,
        },
        FixedMark {
            at: (100.0, -100.0),
            stable: true,
        },
        FixedMark {
            at: (f64::NAN, 1.0),
            stable: false,
        },
    ];
    let svg = svg_of(|a| draw_trajectory(a, &t).unwrap());
    assert!(svg.contains("stable fixed point"));
    assert!(
        !svg.contains("unstable fixed point"),
        "the only unstable point cannot be drawn, so the legend does not name it"
    );
    let c = circles(&svg);
    let black = "fill=\"#222222\"";
    // Two stable points, each a dark dot in a white ring and a thin dark ring, plus the
    // legend's sample.
    assert_eq!(c.iter().filter(|s| s.contains(black)).count(), 3);
    // The point at (100, −100) widened the axes: it lies inside the plot, not clipped.
    assert_eq!(c.len(), 30 + 2 * 3 + 3, "{}", c.len());
    let paths = tags(&svg, "polyline").len() + tags(&svg, "path").len();
    t.breaks.clear();
    let one = svg_of(|a| draw_trajectory(a, &t).unwrap());
    let paths_one = tags(&one, "polyline").len() + tags(&one, "path").len();
    assert_eq!(paths, paths_one + 2, "three paths instead of one");
}
