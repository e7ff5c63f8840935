//! A small multi-series line chart, optionally with a log-scaled y-axis
//! (e.g. gradient norm against lag, or clipping statistics).

use super::data::{decimate, dedupe_pixels, finite, min_max, padded};
use super::legend::{self, Entry, Mark};
use super::style::{
    fmt_log_tick, fmt_tick, text, AXIS, DESC_PX, FONT, GRID, MUTED, NOTE_PX, PALETTE, TEXT,
    TICK_PX, TITLE_PX,
};
use super::{draw_err, fonts, RenderError};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One named series; `color: None` takes the next palette colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: Option<RGBColor>,
}

/// What the line chart shows. With `log_y`, points with `y <= 0` are skipped
/// (as are non-finite points in any case).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChart {
    pub series: Vec<Series>,
    pub x_label: String,
    pub y_label: String,
    pub log_y: bool,
    pub title: String,
}

const Y_AREA: i32 = 64;
const MARGIN_LEFT: i32 = 8;
const MARGIN_RIGHT: i32 = 18;

/// Draws `c` filling `area`: title and legend above the plot, then one line
/// per series (with point markers when the series is short).
pub fn draw_line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &LineChart,
) -> Result<(), RenderError> {
    fonts::register_fonts();
    area.fill(&WHITE)
        .map_err(draw_err("line chart background"))?;
    let series: Vec<(Vec<(f64, f64)>, RGBColor)> = c
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut pts = finite(&s.points);
            if c.log_y {
                pts.retain(|p| p.1 > 0.0);
            }
            (pts, s.color.unwrap_or(PALETTE[i % PALETTE.len()]))
        })
        .collect();
    let entries: Vec<Entry> = c
        .series
        .iter()
        .zip(&series)
        .map(|(s, (_, color))| Entry {
            label: s.name.clone(),
            mark: Mark::Line(color.mix(1.0), 2),
        })
        .collect();

    let width = area.dim_in_pixel().0 as i32;
    let legend_w = width - Y_AREA - MARGIN_LEFT - MARGIN_RIGHT;
    let title_h = if c.title.is_empty() { 0 } else { 24 };
    let legend_h = legend::height(&entries, legend_w);
    let (top, body) = area.split_vertically(title_h + legend_h + 8);
    if title_h > 0 {
        let style = text(TITLE_PX, &TEXT, HPos::Left, VPos::Center);
        let at = (MARGIN_LEFT + Y_AREA, 6 + title_h / 2);
        top.draw(&Text::new(c.title.as_str(), at, style))
            .map_err(draw_err("line chart title"))?;
    }
    let origin = (MARGIN_LEFT + Y_AREA, 4 + title_h);
    legend::draw(&top, &entries, origin, legend_w)?;

    let all = || series.iter().flat_map(|(s, _)| s.iter());
    let xr = min_max(all().map(|p| p.0)).map_or((0.0, 1.0), |(a, b)| {
        if b > a {
            (a, b)
        } else {
            padded(a, b, 0.0)
        }
    });
    let mut builder = ChartBuilder::on(&body);
    builder
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .margin_top(6)
        .margin_bottom(6)
        .x_label_area_size(46)
        .y_label_area_size(Y_AREA);
    let ys = min_max(all().map(|p| p.1));
    if c.log_y {
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
        let chart = builder
            .build_cartesian_2d(xr.0..xr.1, (lo..hi).log_scale())
            .map_err(draw_err("line chart axes"))?;
        draw_body(chart, c, &series, &|v| fmt_log_tick(*v))
    } else {
        let (lo, hi) = ys.map_or((0.0, 1.0), |(lo, hi)| padded(lo, hi, 0.05));
        let chart = builder
            .build_cartesian_2d(xr.0..xr.1, lo..hi)
            .map_err(draw_err("line chart axes"))?;
        draw_body(chart, c, &series, &|v| fmt_tick(*v, hi - lo))
    }
}

/// Everything after the coordinate system is chosen: mesh, lines, markers
/// and the empty-chart note. Generic over the y-axis (linear or log).
fn draw_body<DB, Y>(
    mut chart: ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    c: &LineChart,
    series: &[(Vec<(f64, f64)>, RGBColor)],
    y_fmt: &dyn Fn(&f64) -> String,
) -> Result<(), RenderError>
where
    DB: DrawingBackend,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let xr = chart.x_range();
    let xspan = xr.end - xr.start;
    let x_fmt = |v: &f64| fmt_tick(*v, xspan);
    chart
        .configure_mesh()
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(y_fmt)
        .label_style((FONT, TICK_PX).into_font().color(&TEXT))
        .axis_desc_style((FONT, DESC_PX).into_font().color(&TEXT))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .draw()
        .map_err(draw_err("line chart mesh"))?;
    let columns = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
    for (points, color) in series {
        let points = decimate(points, (xr.start, xr.end), columns);
        let points = dedupe_pixels(points, |p| chart.backend_coord(p));
        let line = PathElement::new(points.clone(), color.stroke_width(2));
        chart
            .draw_series(std::iter::once(line))
            .map_err(draw_err("line chart line"))?;
        if points.len() <= columns / 8 {
            let dots = points.iter().map(|&p| Circle::new(p, 3, color.filled()));
            chart
                .draw_series(dots)
                .map_err(draw_err("line chart markers"))?;
        }
    }
    if series.iter().all(|(s, _)| s.is_empty()) {
        let plot = chart.plotting_area().strip_coord_spec();
        let (w, h) = plot.dim_in_pixel();
        let note = text(NOTE_PX, &MUTED, HPos::Center, VPos::Center);
        plot.draw(&Text::new(
            "no data yet",
            (w as i32 / 2, h as i32 / 2),
            note,
        ))
        .map_err(draw_err("line chart note"))?;
    }
    Ok(())
}
