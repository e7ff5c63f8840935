//! A units × time heatmap of activations with a diverging colour scale.

use super::axis::Axis;
use super::cell_axis::{col_label, label_step, CellAxis};
use super::cells::{draw_frame, plot_size, CellChart, CellLayout, CellRect, Frame, Grid};
use super::colour_scale::{diverging_color, BarScale};
use super::frame::Mesh;
use super::RenderError;
use plotters::coord::Shift;
use plotters::prelude::*;

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
        if !self.rect().contains(x, y) || self.rows == 0 || self.cols == 0 {
            return None;
        }
        let col = (x - self.left) as usize * self.cols / self.width();
        let row = (y - self.top) as usize * self.rows / self.height();
        Some((row, col))
    }

    /// Width of the cell area in pixels.
    pub fn width(&self) -> usize {
        self.rect().width()
    }

    /// Height of the cell area in pixels.
    pub fn height(&self) -> usize {
        self.rect().height()
    }
}

impl CellLayout for HeatmapLayout {
    /// The cell area.
    fn rect(&self) -> CellRect {
        CellRect {
            left: self.left,
            top: self.top,
            right: self.right,
            bottom: self.bottom,
        }
    }

    /// The layout in pixels `scale` times smaller, e.g. for
    /// `cell_pixels(h, &layout.scaled(2.0))` on a canvas drawn through
    /// [`Scaled`](super::Scaled) at `devicePixelRatio` 2.
    fn scaled(&self, scale: f64) -> Self {
        let r = self.rect().scaled(scale);
        Self {
            left: r.left,
            top: r.top,
            right: r.right,
            bottom: r.bottom,
            ..*self
        }
    }
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

impl CellChart for Heatmap {
    type Layout = HeatmapLayout;

    /// Background, title, axes, colour bar and (without data) a note. Returns the
    /// layout and the cell area.
    fn frame<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(HeatmapLayout, DrawingArea<DB, Shift>), RenderError> {
        let h = self;
        let range = resolve_range(h);
        let (rows, cols) = (h.rows.max(1), h.cols.max(1));
        let (plot_w, plot_h) = plot_size(area.dim_in_pixel(), &h.title);
        let labelled = !h.col_labels.is_empty();
        let x_step = label_step(plot_w / cols as f64, if labelled { 10.0 } else { 30.0 });
        let y_step = label_step(plot_h / rows as f64, 18.0);
        let x_keys = (0..cols).step_by(x_step).map(|c| c as f64 + 0.5);
        let y_keys = (0..rows).step_by(y_step).map(|r| (rows - r) as f64 - 0.5);
        let x_fmt = |v: &f64| col_label(&h.col_labels, v.floor() as usize);
        let y_fmt = |v: &f64| (rows as f64 - 1.0 - v.floor()).max(0.0).to_string();
        let empty = h.rows == 0 || h.cols == 0;
        let f = Frame {
            title: &h.title,
            mesh: Mesh {
                x_desc: if labelled {
                    "time (input character)"
                } else {
                    "time step"
                },
                y_desc: "unit",
                labels: None,
                x_fmt: &x_fmt,
                y_fmt: &y_fmt,
                grid: false,
            },
            note: empty.then_some("no data yet"),
            scale: BarScale::Linear { range },
        };
        let x = Axis::Cells(CellAxis::new(cols, x_keys.collect()));
        let y = Axis::Cells(CellAxis::new(rows, y_keys.collect()));
        let (r, plot) = draw_frame(area, &f, x, y)?;
        let layout = HeatmapLayout {
            left: r.left,
            top: r.top,
            right: r.right,
            bottom: r.bottom,
            rows: h.rows,
            cols: h.cols,
            range,
        };
        Ok((layout, plot))
    }

    /// The cells of `h` over the layout's rectangle: pixel `x` of `w` shows
    /// column `x * cols / w`, as [`HeatmapLayout::cell_at`] maps it (no cells
    /// without rows or columns).
    fn grid(&self, layout: &HeatmapLayout) -> Grid {
        let h = self;
        let (rows, cols) = (h.rows, h.cols);
        let (w, ht) = (layout.width(), layout.height());
        let col_of = (0..w).map(|x| x * cols / w).collect();
        let row_of = (0..ht).map(|y| y * rows / ht).collect();
        let colours = (0..rows * cols)
            .map(|i| diverging_color(h.value(i / cols, i % cols), layout.range))
            .collect();
        Grid {
            cols,
            colours,
            col_of,
            row_of,
        }
    }
}
