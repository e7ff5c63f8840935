//! Lines on a fixed y-range: fractions on 0–100 % (accuracy, success rate)
//! or e.g. a tanh unit on ±1, with an optional dashed "chance" line.

use super::data::{finite, plottable};
use super::frame::{background, header, xy_builder, Mesh};
use super::line_chart::{draw_plot, legend_entries, x_range, Line, Ref};
use super::style::{fmt_tick, MUTED};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One line of a [`FracChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct FracSeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    /// Drawn thin and pale, without markers or a legend entry (e.g. the raw
    /// values behind a smoothed line).
    pub faint: bool,
}

/// What the fraction chart shows: lines on the fixed `y_range` (an empty or
/// non-finite one becomes `0..1`), labelled as percentages when `percent`,
/// and an optional dashed reference line `(name, y)` in the legend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FracChart {
    pub series: Vec<FracSeries>,
    pub chance: Option<(String, f64)>,
    pub x_label: String,
    pub y_label: String,
    pub y_range: (f64, f64),
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

/// Draws `c` filling `area`: legend above the plot, the chance line, then
/// the faint series and the others (with point markers when short).
pub fn draw_frac_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &FracChart,
) -> Result<(), RenderError> {
    background(area)?;
    let lines: Vec<Line> = c
        .series
        .iter()
        .map(|s| Line {
            name: &s.name,
            points: finite(&s.points),
            color: s.color,
            faint: s.faint,
        })
        .collect();
    let refs: Vec<Ref> = c
        .chance
        .iter()
        .filter(|(_, y)| plottable(*y))
        .map(|(name, y)| (name.as_str(), *y, MUTED))
        .collect();
    let body = header(area, "", &legend_entries(&lines, &refs))?;
    let (y0, y1) = c.y_range;
    let yr = if y1 > y0 && plottable(y0) && plottable(y1) {
        y0..y1
    } else {
        0.0..1.0
    };
    let xr = x_range(&lines);
    let chart = xy_builder(&body)
        .build_cartesian_2d(xr.0..xr.1, yr)
        .map_err(draw_err("fraction chart axes"))?;
    let mesh = Mesh {
        x_desc: &c.x_label,
        y_desc: &c.y_label,
        labels: Some((7, 6)),
        x_fmt: &|v| fmt_tick(*v, xr.1 - xr.0),
        y_fmt: if c.percent { &percent } else { &plain },
        grid: true,
    };
    draw_plot(chart, &mesh, &lines, &refs)
}
