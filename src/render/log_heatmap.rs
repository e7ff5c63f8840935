//! The gradient-flow heatmap: training step (x) × lag (y) of a positive
//! per-time-step profile such as `‖∂L_T/∂h_t‖`, on a log colour scale with
//! the sequential palette.

use super::axis::Axis;
use super::cells::{draw_frame, CellChart, CellLayout, CellRect, Frame, Grid};
use super::colour_scale::{sequential_color, BarScale};
use super::frame::Mesh;
use super::style::fmt_tick;
use super::RenderError;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the heatmap shows: one column per training step, each a profile
/// over `t = 0..rows`, drawn with `t = rows - 1` at the bottom (lag 0) and
/// `t = 0` at the top (lag `rows - 1`). Columns must be in ascending step
/// order; each pixel column shows the latest profile at or before its step,
/// so steps without a profile widen their neighbours. Values `> 0` are
/// coloured by `log10`, zero takes the bottom of the scale, negative,
/// non-finite and missing values are grey.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileHeatmap {
    pub columns: Vec<(u64, Vec<f32>)>,
    pub rows: usize,
    pub x_label: String,
    pub y_label: String,
}

/// Where the cells were drawn and on what scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProfileLayout {
    /// The cell area in backend pixels.
    pub cells: CellRect,
    /// The x-axis range in training steps, from half a step before the
    /// first column to half a step after the last.
    pub steps: (f64, f64),
    /// The colour range as whole powers of ten: `10^lo` is the bottom of
    /// the colour scale, `10^hi` the top.
    pub log_range: (f64, f64),
}

impl CellLayout for ProfileLayout {
    fn rect(&self) -> CellRect {
        self.cells
    }

    fn scaled(&self, scale: f64) -> Self {
        let cells = self.cells.scaled(scale);
        Self { cells, ..*self }
    }
}

/// The colour range (log10) of the profiles' positive values: whole
/// decades, at most 16 below the largest, at least one; `(-4, 0)` without
/// positive values.
pub fn log_range(columns: &[(u64, Vec<f32>)]) -> (f64, f64) {
    let logs = columns
        .iter()
        .flat_map(|(_, v)| v.iter())
        .filter(|v| **v > 0.0 && v.is_finite())
        .map(|v| f64::from(*v).log10());
    let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        return (-4.0, 0.0);
    }
    let lo = lo.max(hi - 16.0).floor();
    let hi = hi.ceil();
    if hi - lo < 1.0 {
        (lo - 1.0, hi)
    } else {
        (lo, hi)
    }
}

/// The colour of one value on the log scale `lo..hi`.
fn colour(x: f32, (lo, hi): (f64, f64)) -> RGBColor {
    if x > 0.0 && x.is_finite() {
        sequential_color((f64::from(x).log10() - lo) / (hi - lo))
    } else if x == 0.0 {
        sequential_color(0.0)
    } else {
        sequential_color(f64::NAN)
    }
}

/// A lag on the y-axis: whole numbers only (a short axis gets ticks between).
fn lag_label(v: &f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

impl CellChart for ProfileHeatmap {
    type Layout = ProfileLayout;

    /// Background, axes, colour bar and (without data) a note. Returns the
    /// layout and the cell area.
    fn frame<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(ProfileLayout, DrawingArea<DB, Shift>), RenderError> {
        let p = self;
        let steps = match (p.columns.first(), p.columns.last()) {
            (Some(a), Some(b)) => (a.0 as f64 - 0.5, b.0 as f64 + 0.5),
            _ => (0.0, 1.0),
        };
        let log_range = log_range(&p.columns);
        let x_fmt = |v: &f64| fmt_tick(*v, steps.1 - steps.0);
        let f = Frame {
            title: "",
            mesh: Mesh {
                x_desc: &p.x_label,
                y_desc: &p.y_label,
                labels: Some((7, 6)),
                x_fmt: &x_fmt,
                y_fmt: &lag_label,
                grid: false,
            },
            note: (p.columns.is_empty() || p.rows == 0).then_some("no steps yet"),
            scale: BarScale::Decades {
                lo: log_range.0,
                hi: log_range.1,
            },
        };
        let x = Axis::linear(steps.0, steps.1);
        let y = Axis::linear(0.0, p.rows.max(1) as f64);
        let (cells, plot) = draw_frame(area, &f, x, y)?;
        let layout = ProfileLayout {
            cells,
            steps,
            log_range,
        };
        Ok((layout, plot))
    }

    /// The cells over the layout's rectangle: cell `(lag, column)`, pixel
    /// columns by training step, pixel rows by lag (largest at the top).
    fn grid(&self, layout: &ProfileLayout) -> Grid {
        let p = self;
        let (n, rows) = (p.columns.len(), p.rows);
        let (w, h) = (layout.cells.width(), layout.cells.height());
        if n == 0 || rows == 0 {
            let (col_of, row_of) = (vec![0; w], vec![0; h]);
            let colours = Vec::new();
            return Grid {
                cols: 0,
                colours,
                col_of,
                row_of,
            };
        }
        let colours = (0..rows * n)
            .map(|i| {
                let (lag, c) = (i / n, i % n);
                let v = p.columns[c].1.get(rows - 1 - lag);
                colour(v.copied().unwrap_or(f32::NAN), layout.log_range)
            })
            .collect();
        let (x0, x1) = layout.steps;
        let col_of = (0..w)
            .map(|x| {
                let s = x0 + (x1 - x0) * (x as f64 + 0.5) / w as f64;
                let after = p.columns.partition_point(|e| e.0 as f64 <= s);
                after.saturating_sub(1).min(n - 1)
            })
            .collect();
        let row_of = (0..h).map(|y| (h - 1 - y) * rows / h).collect();
        Grid {
            cols: n,
            colours,
            col_of,
            row_of,
        }
    }
}
