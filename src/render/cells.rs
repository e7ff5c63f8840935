//! What the two heatmaps share: the frame around the cells (title, axes,
//! colour bar, note), the cells' pixel rectangle, and the cells themselves,
//! drawn either as one RGBA buffer or as one rectangle per cell.

use super::axis::Axis;
use super::colour_scale::{draw_colour_bar, BarScale};
use super::frame::{background, draw_mesh, note, Mesh};
use super::style::{text, TEXT, TITLE_PX};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// A rectangle of backend pixels; `right` and `bottom` are exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellRect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl CellRect {
    /// Width in pixels.
    pub fn width(&self) -> usize {
        (self.right - self.left).max(0) as usize
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        (self.bottom - self.top).max(0) as usize
    }

    /// Whether pixel `(x, y)` is inside.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        (self.left..self.right).contains(&x) && (self.top..self.bottom).contains(&y)
    }

    /// The same rectangle in pixels `scale` times smaller (e.g. device
    /// pixels at `devicePixelRatio`), each edge rounded as
    /// [`Scaled`](super::Scaled) rounds coordinates.
    pub fn scaled(&self, scale: f64) -> Self {
        let s = |v: i32| (f64::from(v) * scale).round() as i32;
        Self {
            left: s(self.left),
            top: s(self.top),
            right: s(self.right),
            bottom: s(self.bottom),
        }
    }
}

/// Cells in a pixel rectangle: pixel column `x` shows cell column
/// `col_of[x]`, pixel row `y` cell row `row_of[y]`, and cell `(row, col)` has
/// colour `colours[row * cols + col]`.
pub struct Grid {
    pub cols: usize,
    pub colours: Vec<RGBColor>,
    pub col_of: Vec<usize>,
    pub row_of: Vec<usize>,
}

impl Grid {
    /// RGBA bytes, `col_of.len() × row_of.len()` row-major; white when there
    /// are no cells.
    pub fn pixels(&self) -> Vec<u8> {
        let (w, h) = (self.col_of.len(), self.row_of.len());
        if self.colours.is_empty() {
            return vec![255; w * h * 4];
        }
        let mut out = Vec::with_capacity(w * h * 4);
        for (y, &row) in self.row_of.iter().enumerate() {
            if y > 0 && self.row_of[y - 1] == row {
                out.extend_from_within((y - 1) * w * 4..y * w * 4);
                continue;
            }
            for &col in &self.col_of {
                let RGBColor(r, g, b) = self.colours[row * self.cols + col];
                out.extend_from_slice(&[r, g, b, 255]);
            }
        }
        out
    }

    /// One filled rectangle per run of pixels showing the same cell, row by
    /// row, in `plot` (whose origin is the rectangle's top-left): pixel for
    /// pixel what [`pixels`](Self::pixels) holds.
    pub fn draw<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
    ) -> Result<(), RenderError> {
        if self.colours.is_empty() {
            return Ok(());
        }
        let (rows, cols) = (runs(&self.row_of), runs(&self.col_of));
        for &(row, y0, y1) in &rows {
            for &(col, x0, x1) in &cols {
                let color = self.colours[row * self.cols + col];
                plot.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                    .map_err(draw_err("heatmap cell"))?;
            }
        }
        Ok(())
    }
}

/// A chart of coloured cells inside a frame (title, axes, colour bar): both heatmaps.
/// [`draw_cells`] draws one through any backend; on a canvas, where one rectangle per cell costs
/// a JavaScript call or two each, draw [`draw_cells_frame`] and put [`cell_pixels`] at the
/// layout's rectangle in one `putImageData`.
pub trait CellChart {
    /// Where the cells were drawn (and on what scale).
    type Layout: CellLayout;
    /// Background, title, axes, colour bar and (without data) a note: everything but the cells.
    /// Returns the layout and the cells' drawing area.
    fn frame<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(Self::Layout, DrawingArea<DB, Shift>), RenderError>;
    /// The cells' colours over the layout's rectangle.
    fn grid(&self, layout: &Self::Layout) -> Grid;
}

/// Where a [`CellChart`]'s cells were drawn.
pub trait CellLayout: Sized {
    /// The cells' rectangle.
    fn rect(&self) -> CellRect;
    /// The layout in pixels `scale` times smaller, e.g. device pixels at `devicePixelRatio`.
    fn scaled(&self, scale: f64) -> Self;
}

/// Draws `c` filling `area`, cells included; returns where the cells are.
pub fn draw_cells<DB: DrawingBackend, C: CellChart>(
    area: &DrawingArea<DB, Shift>,
    c: &C,
) -> Result<C::Layout, RenderError> {
    let (layout, plot) = c.frame(area)?;
    c.grid(&layout).draw(&plot)?;
    Ok(layout)
}

/// Draws everything [`draw_cells`] draws except the cells, leaving them white.
pub fn draw_cells_frame<DB: DrawingBackend, C: CellChart>(
    area: &DrawingArea<DB, Shift>,
    c: &C,
) -> Result<C::Layout, RenderError> {
    c.frame(area).map(|(layout, _)| layout)
}

/// The cells as RGBA bytes over the layout's rectangle, row-major: pixel for pixel what
/// [`draw_cells`] draws there (use the layout it or [`draw_cells_frame`] returned for the same
/// data and area, or that layout scaled to device pixels).
pub fn cell_pixels<C: CellChart>(c: &C, layout: &C::Layout) -> Vec<u8> {
    c.grid(layout).pixels()
}

/// The runs of equal values in `of` as `(value, start, end)`, end exclusive.
fn runs(of: &[usize]) -> Vec<(usize, i32, i32)> {
    let mut out: Vec<(usize, i32, i32)> = Vec::new();
    for (i, &v) in of.iter().enumerate() {
        match out.last_mut() {
            Some(run) if run.0 == v => run.2 = i as i32 + 1,
            _ => out.push((v, i as i32, i as i32 + 1)),
        }
    }
    out
}

pub const BAR_STRIP: u32 = 78;
const Y_AREA: u32 = 58;
const X_AREA: u32 = 46;
const MARGIN: u32 = 8;

/// Height of the title line (none without a title).
fn caption(title: &str) -> u32 {
    if title.is_empty() {
        0
    } else {
        24
    }
}

/// The size in pixels the cells will have in an area of `size` (before the
/// chart is built, to space the tick labels).
pub(super) fn plot_size(size: (u32, u32), title: &str) -> (f64, f64) {
    let w = size.0.saturating_sub(BAR_STRIP + Y_AREA + 2 * MARGIN);
    let h = size.1.saturating_sub(X_AREA + 2 * MARGIN + caption(title));
    (f64::from(w), f64::from(h))
}

/// What surrounds a heatmap's cells.
pub(super) struct Frame<'a> {
    pub title: &'a str,
    pub mesh: Mesh<'a>,
    /// Written over the empty cell area when there are no cells.
    pub note: Option<&'a str>,
    pub scale: BarScale,
}

/// Draws background, title, axes `x` × `y`, colour bar and note. Returns
/// the cells' rectangle and the cell area (its origin at the rectangle's
/// top-left).
pub(super) fn draw_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &Frame<'_>,
    x: Axis,
    y: Axis,
) -> Result<(CellRect, DrawingArea<DB, Shift>), RenderError> {
    background(area)?;
    let (w, _) = area.dim_in_pixel();
    let (main, bar) = area.split_horizontally(w.saturating_sub(BAR_STRIP));
    let caption = caption(f.title);
    let (head, main) = main.split_vertically(caption);
    if caption > 0 {
        let style = text(TITLE_PX, &TEXT, HPos::Center, VPos::Center);
        let at = (head.dim_in_pixel().0 as i32 / 2, caption as i32 / 2 + 4);
        head.draw(&Text::new(f.title, at, style))
            .map_err(draw_err("heatmap title"))?;
    }
    let mut chart = ChartBuilder::on(&main)
        .margin(MARGIN)
        .margin_right(4)
        .x_label_area_size(X_AREA)
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(x, y)
        .map_err(draw_err("heatmap axes"))?;
    draw_mesh(&mut chart, &f.mesh)?;
    let plot = chart.plotting_area().strip_coord_spec();
    if let Some(msg) = f.note {
        note(&plot, msg)?;
    }
    let (px, py) = plot.get_pixel_range();
    draw_colour_bar(&bar, (py.start, py.end), &f.scale)?;
    let rect = CellRect {
        left: px.start,
        top: py.start,
        right: px.end,
        bottom: py.end,
    };
    Ok((rect, plot))
}
