//! A trajectory in a plane: points in order (e.g. the hidden state's principal components after
//! each character), joined by a faint line, each point coloured by its group (the character's
//! class), with one point ringed (the position being looked at).

use super::axis::{Axis, Chart};
use super::data::{finite, min_max, padded, plottable};
use super::frame::{background, draw_mesh, header, note, xy_builder, Mesh};
use super::legend::{dot, Entry, Mark};
use super::style::{fmt_tick, PALETTE, TEXT};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::HashSet;

/// What the trajectory shows. `points` are in order; `group[i]` indexes `groups` (names, and the
/// colour of their points: the palette's colour at the same index).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trajectory {
    pub points: Vec<(f64, f64)>,
    pub group: Vec<usize>,
    pub groups: Vec<String>,
    /// The point to ring, if any.
    pub highlight: Option<usize>,
    pub x_label: String,
    pub y_label: String,
    /// The path starts afresh at each of these indices (one path per episode).
    pub breaks: Vec<usize>,
    /// Fixed points of the dynamics, drawn over the trajectory.
    pub fixed: Vec<FixedMark>,
}

/// A fixed point in the plane: filled when stable, open when not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedMark {
    pub at: (f64, f64),
    pub stable: bool,
}

/// Radius of a point and of the ring around the highlighted one.
const DOT: i32 = 2;
const RING: i32 = 6;

/// The colour of group `g`.
fn colour(g: usize) -> RGBColor {
    PALETTE[g % PALETTE.len()]
}

/// Draws `t` filling `area`: the legend of groups (and of the fixed points' two kinds), the path
/// in order, the points (at most one per pixel and group, so 20,000 points cost as little as the
/// pixels they cover), the ring and the fixed points.
pub fn draw_trajectory<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Trajectory,
) -> Result<(), RenderError> {
    background(area)?;
    let body = header(area, "", &legend(t))?;
    let mut pts = finite(&t.points);
    let marks: Vec<(f64, f64)> = t.fixed.iter().map(|f| f.at).collect();
    pts.extend(finite(&marks));
    let range = |v: Option<(f64, f64)>| v.map_or((-1.0, 1.0), |(a, b)| padded(a, b, 0.05));
    let xr = range(min_max(pts.iter().map(|p| p.0)));
    let yr = range(min_max(pts.iter().map(|p| p.1)));
    let mut chart = xy_builder(&body)
        .build_cartesian_2d(Axis::linear(xr.0, xr.1), Axis::linear(yr.0, yr.1))
        .map_err(draw_err("trajectory axes"))?;
    let (x_fmt, y_fmt) = (
        |v: &f64| fmt_tick(*v, xr.1 - xr.0),
        |v: &f64| fmt_tick(*v, yr.1 - yr.0),
    );
    let mesh = Mesh {
        x_desc: &t.x_label,
        y_desc: &t.y_label,
        labels: Some((6, 6)),
        x_fmt: &x_fmt,
        y_fmt: &y_fmt,
        grid: true,
    };
    draw_mesh(&mut chart, &mesh)?;
    if pts.is_empty() {
        return note(
            &chart.plotting_area().strip_coord_spec(),
            "no text inspected yet",
        );
    }
    draw_paths(&mut chart, t)?;
    draw_dots(&mut chart, t)?;
    let ring = t
        .highlight
        .and_then(|i| t.points.get(i))
        .filter(|p| plottable(p.0) && plottable(p.1));
    if let Some(&p) = ring {
        let circle = Circle::new(p, RING, TEXT.stroke_width(2));
        chart
            .draw_series(std::iter::once(circle))
            .map_err(draw_err("trajectory highlight"))?;
    }
    draw_fixed(&mut chart, &t.fixed)
}

/// The groups present, then the kinds of fixed point present.
fn legend(t: &Trajectory) -> Vec<Entry> {
    let mut entries: Vec<Entry> = (t.groups.iter().enumerate())
        .filter(|(g, _)| t.group.contains(g))
        .map(|(g, name)| Entry {
            label: name.clone(),
            mark: Mark::Line(colour(g).mix(1.0), 6),
        })
        .collect();
    for (stable, label) in [
        (true, "stable fixed point"),
        (false, "unstable fixed point"),
    ] {
        if drawable(&t.fixed).any(|f| f.stable == stable) {
            entries.push(Entry {
                label: label.into(),
                mark: Mark::Dot(TEXT, stable),
            });
        }
    }
    entries
}

/// The fixed points that can be drawn (finite coordinates).
fn drawable(fixed: &[FixedMark]) -> impl Iterator<Item = &FixedMark> {
    fixed
        .iter()
        .filter(|f| plottable(f.at.0) && plottable(f.at.1))
}

/// The path through the points in order, broken at `t.breaks`.
fn draw_paths<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Trajectory,
) -> Result<(), RenderError> {
    let mut cuts: Vec<usize> = t.breaks.clone();
    cuts.push(t.points.len());
    let mut from = 0;
    for to in cuts {
        let piece = finite(t.points.get(from..to.max(from)).unwrap_or(&[]));
        from = to.max(from);
        let path = PathElement::new(piece, TEXT.mix(0.12).stroke_width(1));
        chart
            .draw_series(std::iter::once(path))
            .map_err(draw_err("trajectory path"))?;
    }
    Ok(())
}

/// Fixed points: a dark dot ringed in white when stable, a white dot ringed dark when not
/// (the legend's marks).
fn draw_fixed<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    fixed: &[FixedMark],
) -> Result<(), RenderError> {
    let marks = drawable(fixed).flat_map(|f| dot(f.at, TEXT, f.stable));
    chart.draw_series(marks).map_err(draw_err("fixed points"))?;
    Ok(())
}

/// The points, coloured by group, one per pixel and group.
fn draw_dots<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Trajectory,
) -> Result<(), RenderError> {
    let mut seen = HashSet::new();
    let mut dots = Vec::new();
    for (i, &p) in t.points.iter().enumerate() {
        let g = t.group.get(i).copied().unwrap_or(0);
        if plottable(p.0) && plottable(p.1) && seen.insert((chart.backend_coord(&p), g)) {
            dots.push(Circle::new(p, DOT, colour(g).filled()));
        }
    }
    chart
        .draw_series(dots)
        .map_err(draw_err("trajectory points"))?;
    Ok(())
}
