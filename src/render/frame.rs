//! Steps the charts share: the white background, the title and legend above
//! an x–y plot, the plot's margins, the mesh, dashed reference lines and the
//! note on an empty plot.

use super::axis::Chart;
use super::legend::{self, Entry};
use super::style::{text, AXIS, DESC_PX, FONT, GRID, MUTED, NOTE_PX, TEXT, TICK_PX, TITLE_PX};
use super::{draw_err, fonts, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Width of the y-label area of an x–y chart.
pub const Y_AREA: i32 = 64;
pub const MARGIN_LEFT: i32 = 8;
pub const MARGIN_RIGHT: i32 = 18;
const DASH: usize = 8;
const GAP: usize = 5;

/// Registers the fonts and paints `area` white.
pub fn background<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Result<(), RenderError> {
    fonts::register_fonts();
    area.fill(&WHITE).map_err(draw_err("background"))
}

/// Draws the title (when not empty, left-aligned over the plot) and the
/// legend above an x–y chart; returns the area left for the plot.
pub fn header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    entries: &[Entry],
) -> Result<DrawingArea<DB, Shift>, RenderError> {
    let width = area.dim_in_pixel().0 as i32;
    let legend_w = width - Y_AREA - MARGIN_LEFT - MARGIN_RIGHT;
    let title_h = if title.is_empty() { 0 } else { 24 };
    let legend_h = legend::height(entries, legend_w);
    let (top, body) = area.split_vertically(title_h + legend_h + 8);
    if title_h > 0 {
        let style = text(TITLE_PX, &TEXT, HPos::Left, VPos::Center);
        let at = (MARGIN_LEFT + Y_AREA, 6 + title_h / 2);
        top.draw(&Text::new(title, at, style))
            .map_err(draw_err("chart title"))?;
    }
    let origin = (MARGIN_LEFT + Y_AREA, 4 + title_h);
    legend::draw(&top, entries, origin, legend_w)?;
    Ok(body)
}

/// A chart builder on `body` with the x–y charts' margins and label areas.
pub fn xy_builder<'a, 'b, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(body);
    builder
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .margin_top(6)
        .margin_bottom(6)
        .x_label_area_size(46)
        .y_label_area_size(Y_AREA);
    builder
}

/// What a chart's mesh shows: axis descriptions, tick labels and whether
/// there are grid lines.
pub struct Mesh<'a> {
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    /// How many tick labels plotters aims for on x and y; `None` leaves the
    /// choice to the axes (the heatmap's cell axes name their own ticks).
    pub labels: Option<(usize, usize)>,
    pub x_fmt: &'a dyn Fn(&f64) -> String,
    pub y_fmt: &'a dyn Fn(&f64) -> String,
    /// Light grey lines at the labelled ticks (line charts) or none (heatmaps).
    pub grid: bool,
}

/// Draws the axes, ticks, labels and (with `m.grid`) grid lines of `chart`.
pub fn draw_mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    m: &Mesh<'_>,
) -> Result<(), RenderError> {
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(m.x_desc)
        .y_desc(m.y_desc)
        .x_label_formatter(m.x_fmt)
        .y_label_formatter(m.y_fmt)
        .label_style((FONT, TICK_PX).into_font().color(&TEXT))
        .axis_desc_style((FONT, DESC_PX).into_font().color(&TEXT))
        .axis_style(AXIS.stroke_width(1));
    if let Some((x, y)) = m.labels {
        mesh.x_labels(x).y_labels(y);
    }
    if m.grid {
        mesh.bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT);
    } else {
        mesh.disable_mesh();
    }
    mesh.draw().map_err(draw_err("mesh"))
}

/// Writes `msg` (e.g. "no data yet") in the middle of `plot`.
pub fn note<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    msg: &str,
) -> Result<(), RenderError> {
    let (w, h) = plot.dim_in_pixel();
    let style = text(NOTE_PX, &MUTED, HPos::Center, VPos::Center);
    let at = (w as i32 / 2, h as i32 / 2);
    plot.draw(&Text::new(msg, at, style))
        .map_err(draw_err("note"))
}

/// Dashed horizontal lines across the plot at each `(y, colour)`, as 1-pixel
/// filled rectangles (one backend call per dash: cheaper on a canvas than
/// stroked paths). Lines outside the y-range are not drawn.
pub fn dashes<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    lines: &[(f64, RGBColor)],
) -> Result<(), RenderError> {
    let plot = chart.plotting_area().strip_coord_spec();
    let (width, top) = (plot.dim_in_pixel().0 as i32, plot.get_pixel_range().1.start);
    let (x0, yr) = (chart.x_range().start, chart.y_range());
    let inside = lines
        .iter()
        .filter(|(v, _)| (yr.start.min(yr.end)..=yr.start.max(yr.end)).contains(v));
    for &(v, color) in inside {
        let y = chart.backend_coord(&(x0, v)).1 - top;
        for x in (0..width).step_by(DASH + GAP) {
            let dash = [(x, y), ((x + DASH as i32).min(width), y + 1)];
            plot.draw(&Rectangle::new(dash, color.filled()))
                .map_err(draw_err("reference line"))?;
        }
    }
    Ok(())
}
