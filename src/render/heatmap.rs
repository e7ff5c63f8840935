//! A units × time heatmap of activations with a diverging colour scale.

use super::cell_axis::{col_label, label_step, CellAxis};
use super::colour_scale::{diverging_color, draw_color_bar};
use super::style::{text, AXIS, DESC_PX, FONT, MUTED, NOTE_PX, TEXT, TICK_PX, TITLE_PX};
use super::{draw_err, fonts, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What the heatmap shows: `values` is row-major `rows × cols`, one row per
/// unit and one column per time step. Missing or non-finite values are grey.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heatmap {
    pub values: Vec<f32>,
    /// Units (drawn top to bottom, unit 0 at the top).
    pub rows: usize,
    /// Time steps (left to right).
    pub cols: usize,
    /// The input character at each time step; may be empty.
    pub col_labels: Vec<String>,
    pub title: String,
    /// Symmetric colour range `|max|`; `None` takes the data's max `|v|`.
    pub range: Option<f32>,
}

impl Heatmap {
    /// The value of cell `(row, col)`; NaN when missing.
    fn value(&self, row: usize, col: usize) -> f32 {
        self.values
            .get(row * self.cols + col)
            .copied()
            .unwrap_or(f32::NAN)
    }
}

/// Where the cells were drawn, in the backend's pixel coordinates, so a page
/// can map the mouse to a cell. `right` and `bottom` are exclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatmapLayout {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub rows: usize,
    pub cols: usize,
    /// The colour range actually used (the value drawn fully red).
    pub range: f32,
}

impl HeatmapLayout {
    /// The `(row, col)` = `(unit, time)` of the cell under pixel `(x, y)`,
    /// or `None` outside the cells.
    pub fn cell_at(&self, x: i32, y: i32) -> Option<(usize, usize)> {
        let inside = (self.left..self.right).contains(&x) && (self.top..self.bottom).contains(&y);
        if !inside || self.rows == 0 || self.cols == 0 {
            return None;
        }
        let col = (x - self.left) as usize * self.cols / self.width();
        let row = (y - self.top) as usize * self.rows / self.height();
        Some((row, col))
    }

    /// Width of the cell area in pixels.
    pub fn width(&self) -> usize {
        (self.right - self.left).max(0) as usize
    }

    /// Height of the cell area in pixels.
    pub fn height(&self) -> usize {
        (self.bottom - self.top).max(0) as usize
    }

    /// Pixel span `start..end` of cell `i` of `n` over `len` pixels: exactly
    /// the pixels that [`cell_at`](Self::cell_at) maps to `i`.
    fn span(i: usize, n: usize, len: i32) -> (i32, i32) {
        let at = |k: usize| (k * len as usize).div_ceil(n) as i32;
        (at(i), at(i + 1))
    }
}

const BAR_STRIP: u32 = 78;
const Y_AREA: u32 = 58;
const X_AREA: u32 = 46;
const MARGIN: u32 = 8;

/// Draws `h` filling `area`: one filled rectangle per cell (no grid lines),
/// unit indices on the y-axis, the input characters (or time indices) on the
/// x-axis and a colour bar on the right.
pub fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &Heatmap,
) -> Result<HeatmapLayout, RenderError> {
    let (layout, plot) = draw_frame(area, h)?;
    if layout.rows > 0 && layout.cols > 0 {
        draw_cells(&plot, h, layout.range)?;
    }
    Ok(layout)
}

/// Draws everything [`draw_heatmap`] draws except the cells, leaving the
/// cell area white. For a canvas, where one rectangle per cell costs a
/// JavaScript call or two each: put [`heatmap_pixels`] there in one call
/// (`putImageData` at `(left, top)`) instead.
pub fn draw_heatmap_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &Heatmap,
) -> Result<HeatmapLayout, RenderError> {
    draw_frame(area, h).map(|(layout, _)| layout)
}

/// The cells as RGBA bytes, `layout.width() × layout.height()` row-major,
/// pixel for pixel what [`draw_heatmap`] draws there (use the layout it or
/// [`draw_heatmap_frame`] returned for the same data and area).
pub fn heatmap_pixels(h: &Heatmap, layout: &HeatmapLayout) -> Vec<u8> {
    let (w, ht) = (layout.width(), layout.height());
    if h.rows == 0 || h.cols == 0 {
        return vec![255; w * ht * 4];
    }
    let col_of: Vec<usize> = (0..w).map(|x| x * h.cols / w).collect();
    let mut out = Vec::with_capacity(w * ht * 4);
    let mut row_colors = Vec::with_capacity(h.cols);
    let mut last_row = usize::MAX;
    for y in 0..ht {
        let r = y * h.rows / ht;
        if r != last_row {
            row_colors.clear();
            row_colors.extend((0..h.cols).map(|c| diverging_color(h.value(r, c), layout.range)));
            last_row = r;
        }
        for &c in &col_of {
            let RGBColor(red, green, blue) = row_colors[c];
            out.extend_from_slice(&[red, green, blue, 255]);
        }
    }
    out
}

/// Background, title, axes, colour bar and (without data) a note. Returns the
/// layout and the cell area.
fn draw_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &Heatmap,
) -> Result<(HeatmapLayout, DrawingArea<DB, Shift>), RenderError> {
    fonts::register_fonts();
    area.fill(&WHITE).map_err(draw_err("heatmap background"))?;
    let range = resolve_range(h);
    let (w, ht) = area.dim_in_pixel();
    let (main, bar) = area.split_horizontally(w.saturating_sub(BAR_STRIP));
    let (rows, cols) = (h.rows.max(1), h.cols.max(1));
    let caption = if h.title.is_empty() { 0 } else { 24 };
    let (head, main) = main.split_vertically(caption);
    if caption > 0 {
        let style = text(TITLE_PX, &TEXT, HPos::Center, VPos::Center);
        let at = (head.dim_in_pixel().0 as i32 / 2, caption as i32 / 2 + 4);
        head.draw(&Text::new(h.title.as_str(), at, style))
            .map_err(draw_err("heatmap title"))?;
    }
    // The plot size before building it, to space the tick labels.
    let plot_w = w.saturating_sub(BAR_STRIP + Y_AREA + 2 * MARGIN) as f64;
    let plot_h = ht.saturating_sub(X_AREA + 2 * MARGIN + caption) as f64;
    let labelled = !h.col_labels.is_empty();
    let x_step = label_step(plot_w / cols as f64, if labelled { 10.0 } else { 30.0 });
    let y_step = label_step(plot_h / rows as f64, 18.0);
    let x_keys = (0..cols).step_by(x_step).map(|c| c as f64 + 0.5);
    let y_keys = (0..rows).step_by(y_step).map(|r| (rows - r) as f64 - 0.5);
    let mut chart = ChartBuilder::on(&main)
        .margin(MARGIN)
        .margin_right(4)
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(
            CellAxis::new(cols, x_keys.collect()),
            CellAxis::new(rows, y_keys.collect()),
        )
        .map_err(draw_err("heatmap axes"))?;
    let x_fmt = |v: &f64| col_label(&h.col_labels, v.floor() as usize);
    let y_fmt = |v: &f64| (rows as f64 - 1.0 - v.floor()).max(0.0).to_string();
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(if labelled {
            "time (input character)"
        } else {
            "time step"
        })
        .y_desc("unit")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style((FONT, TICK_PX).into_font().color(&TEXT))
        .axis_desc_style((FONT, DESC_PX).into_font().color(&TEXT))
        .axis_style(AXIS.stroke_width(1))
        .draw()
        .map_err(draw_err("heatmap mesh"))?;

    let plot = chart.plotting_area().strip_coord_spec();
    let (px, py) = plot.get_pixel_range();
    if h.rows == 0 || h.cols == 0 {
        let note = text(NOTE_PX, &MUTED, HPos::Center, VPos::Center);
        let at = (px.len() as i32 / 2, py.len() as i32 / 2);
        plot.draw(&Text::new("no data yet", at, note))
            .map_err(draw_err("heatmap note"))?;
    }
    draw_color_bar(&bar, (py.start, py.end), range)?;
    let layout = HeatmapLayout {
        left: px.start,
        top: py.start,
        right: px.end,
        bottom: py.end,
        rows: h.rows,
        cols: h.cols,
        range,
    };
    Ok((layout, plot))
}

fn resolve_range(h: &Heatmap) -> f32 {
    match h.range {
        Some(r) if r > 0.0 && r.is_finite() => r,
        _ => {
            let max = h
                .values
                .iter()
                .filter(|v| v.is_finite())
                .fold(0.0f32, |m, v| m.max(v.abs()));
            if max > 0.0 {
                max
            } else {
                1.0
            }
        }
    }
}

fn draw_cells<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    h: &Heatmap,
    range: f32,
) -> Result<(), RenderError> {
    let (w, ht) = plot.dim_in_pixel();
    for r in 0..h.rows {
        let (y0, y1) = HeatmapLayout::span(r, h.rows, ht as i32);
        if y0 == y1 {
            continue;
        }
        for c in 0..h.cols {
            let (x0, x1) = HeatmapLayout::span(c, h.cols, w as i32);
            if x0 == x1 {
                continue;
            }
            let color = diverging_color(h.value(r, c), range);
            plot.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                .map_err(draw_err("heatmap cell"))?;
        }
    }
    Ok(())
}
