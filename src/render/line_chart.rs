//! A small multi-series line chart, optionally with a log-scaled y-axis
//! (e.g. gradient norm against lag, or clipping statistics) and dashed
//! reference lines, or on a fixed y-range (fractions, a tanh unit) with faint
//! series behind the others: the one line renderer.

use super::axis::{Axis, Chart};
use super::data::{decimate, dedupe_pixels, finite, min_max, padded, plottable};
use super::frame::{background, dashes, draw_mesh, header, note, xy_builder, Mesh};
use super::legend::{Entry, Mark};
use super::style::{fmt_log_tick, fmt_tick, MUTED, PALETTE};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named series; `color: None` takes the next palette colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: Option<RGBColor>,
}

/// A dashed horizontal line at `y` across the whole x-range, with a dashed
/// legend entry `name`; `color: None` is the muted grey of the loss chart's
/// baselines.
#[derive(Clone, Debug, PartialEq)]
pub struct RefLine {
    pub name: String,
    pub y: f64,
    pub color: Option<RGBColor>,
}

/// What the line chart shows. With `log_y`, points and reference lines with
/// `y <= 0` are skipped (as are non-finite ones in any case). Reference lines
/// are always within the y-range.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChart {
    pub series: Vec<Series>,
    pub x_label: String,
    pub y_label: String,
    pub log_y: bool,
    pub title: String,
    pub refs: Vec<RefLine>,
    /// Series drawn first, thin and pale, without point markers or legend
    /// entries (e.g. the raw values behind a smoothed line).
    pub faint: Vec<Series>,
    /// A fixed linear y-range instead of one fitted to the data (an empty or
    /// non-finite one becomes `0..1`), e.g. fractions or a tanh unit's ±1.
    pub y_range: Option<(f64, f64)>,
    /// With a fixed range: label the y-axis as percentages.
    pub percent: bool,
}

/// `0.25` as `25%`.
fn percent(v: &f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// One decimal, with a true minus sign.
fn plain(v: &f64) -> String {
    format!("{v:.1}").replace('-', "−")
}

/// A series ready to draw: plottable points and a colour; a faint one is
/// thin and pale, has no point markers and no legend entry.
pub(super) struct Line<'a> {
    pub name: &'a str,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    pub faint: bool,
}

/// A reference line ready to draw: name, y and colour.
pub(super) type Ref<'a> = (&'a str, f64, RGBColor);

/// Draws `c` filling `area`: title and legend above the plot, then the
/// reference lines and one line per series (with point markers when the
/// series is short).
pub fn draw_line_chart<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &'a LineChart,
) -> Result<(), RenderError> {
    background(area)?;
    let line = |i: usize, s: &'a Series, faint: bool| {
        let mut points = finite(&s.points);
        if c.log_y {
            points.retain(|p| p.1 > 0.0);
        }
        let color = s.color.unwrap_or(PALETTE[i % PALETTE.len()]);
        Line {
            name: s.name.as_str(),
            points,
            color,
            faint,
        }
    };
    let faint = c.faint.iter().enumerate().map(|(i, s)| line(i, s, true));
    let lines: Vec<Line> = faint
        .chain(c.series.iter().enumerate().map(|(i, s)| line(i, s, false)))
        .collect();
    let refs: Vec<Ref> = c
        .refs
        .iter()
        .filter(|r| plottable(r.y) && (r.y > 0.0 || !c.log_y))
        .map(|r| (r.name.as_str(), r.y, r.color.unwrap_or(MUTED)))
        .collect();
    let body = header(area, &c.title, &legend_entries(&lines, &refs))?;
    let xr = x_range(&lines);
    let ys = min_max(
        lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .chain(refs.iter().map(|r| r.1)),
    );
    let x_fmt = |v: &f64| fmt_tick(*v, xr.1 - xr.0);
    let mut mesh = Mesh {
        x_desc: &c.x_label,
        y_desc: &c.y_label,
        labels: Some((7, 6)),
        x_fmt: &x_fmt,
        y_fmt: &|v| fmt_log_tick(*v),
        grid: true,
    };
    // The y-axis: fixed, logarithmic or fitted to the data (then labelled to its span).
    let (y, span) = if let Some((y0, y1)) = c.y_range {
        let fixed = y1 > y0 && plottable(y0) && plottable(y1);
        let (y0, y1) = if fixed { (y0, y1) } else { (0.0, 1.0) };
        mesh.y_fmt = if c.percent { &percent } else { &plain };
        (Axis::linear(y0, y1), None)
    } else if c.log_y {
        let (lo, hi) = ys.map_or((0.1, 10.0), |(lo, hi)| {
            let (lo, hi) = (lo.ln(), hi.ln());
            let (lo, hi) = if hi > lo {
                (lo, hi)
            } else {
                (lo - 1.0, hi + 1.0)
            };
            let pad = (hi - lo) * 0.05;
            ((lo - pad).exp(), (hi + pad).exp())
        });
        (Axis::log(lo, hi), None)
    } else {
        let (lo, hi) = ys.map_or((0.0, 1.0), |(lo, hi)| padded(lo, hi, 0.05));
        (Axis::linear(lo, hi), Some(hi - lo))
    };
    let y_fmt = |v: &f64| fmt_tick(*v, span.unwrap_or(1.0));
    if span.is_some() {
        mesh.y_fmt = &y_fmt;
    }
    let chart = xy_builder(&body)
        .build_cartesian_2d(Axis::linear(xr.0, xr.1), y)
        .map_err(draw_err("line chart axes"))?;
    draw_plot(chart, &mesh, &lines, &refs)
}

/// The legend: a line sample per series that is not faint, then a dashed
/// sample per reference line.
pub(super) fn legend_entries(lines: &[Line], refs: &[Ref]) -> Vec<Entry> {
    let series = lines.iter().filter(|l| !l.faint).map(|l| Entry {
        label: l.name.to_string(),
        mark: Mark::Line(l.color.mix(1.0), 2),
    });
    let refs = refs.iter().map(|&(name, _, color)| Entry {
        label: name.to_string(),
        mark: Mark::Dashed(color),
    });
    series.chain(refs).collect()
}

/// The x-range of the lines' points (`0..1` without any).
pub(super) fn x_range(lines: &[Line]) -> (f64, f64) {
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    min_max(xs).map_or(
        (0.0, 1.0),
        |(a, b)| {
            if b > a {
                (a, b)
            } else {
                padded(a, b, 0.0)
            }
        },
    )
}

/// Everything after the coordinate system is chosen: mesh, reference lines,
/// lines, markers and the empty-chart note. Generic over the y-axis (linear
/// or log).
pub(super) fn draw_plot<DB: DrawingBackend>(
    mut chart: Chart<'_, DB>,
    mesh: &Mesh<'_>,
    lines: &[Line],
    refs: &[Ref],
) -> Result<(), RenderError> {
    draw_mesh(&mut chart, mesh)?;
    let dashed: Vec<(f64, RGBColor)> = refs.iter().map(|r| (r.1, r.2)).collect();
    dashes(&chart, &dashed)?;
    let xr = chart.x_range();
    let columns = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
    for line in lines {
        let points = decimate(&line.points, (xr.start, xr.end), columns);
        let points = dedupe_pixels(points, |p| chart.backend_coord(p));
        let style = if line.faint {
            line.color.mix(0.25).stroke_width(1)
        } else {
            line.color.stroke_width(2)
        };
        let path = PathElement::new(points.clone(), style);
        chart
            .draw_series(std::iter::once(path))
            .map_err(draw_err("chart line"))?;
        if !line.faint && points.len() <= columns / 8 {
            let dots = points
                .iter()
                .map(|&p| Circle::new(p, 3, line.color.filled()));
            chart.draw_series(dots).map_err(draw_err("chart markers"))?;
        }
    }
    if lines.iter().all(|l| l.points.is_empty()) {
        note(&chart.plotting_area().strip_coord_spec(), "no data yet")?;
    }
    Ok(())
}
