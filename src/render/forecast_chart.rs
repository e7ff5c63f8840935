//! The forecast chart of a time series: the truth, the one-step-ahead prediction, the
//! free-running forecast from a cut point, and vertical lines at the cut and at the end of the
//! training part. Drawn by the line chart (one line renderer in the wasm); the vertical lines
//! are two-point series. [`x_value_at`] maps a pixel column back to x, for dragging the cut.

use super::frame::{MARGIN_LEFT, MARGIN_RIGHT, Y_AREA};
use super::line_chart::{draw_line_chart, LineChart, Series};
use super::style::{MUTED, PALETTE};
use super::RenderError;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the forecast chart shows; x is the index of a value in the series.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForecastChart {
    /// The series, from index `first`.
    pub truth: Vec<f64>,
    pub first: usize,
    /// One-step predictions of values `first + 1 ..` (the first value has none).
    pub one_step: Vec<f64>,
    /// The free-running forecast of values `cut ..`.
    pub forecast: Vec<f64>,
    pub cut: usize,
    /// The first value after the training part.
    pub train_end: usize,
    pub y_label: String,
}

impl ForecastChart {
    /// The line chart that draws it.
    pub fn lines(&self) -> LineChart {
        let pts = |from: usize, v: &[f64]| -> Vec<(f64, f64)> {
            v.iter()
                .enumerate()
                .map(|(i, &y)| ((from + i) as f64, y))
                .collect()
        };
        let finite = self.truth.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let vertical = |name: &str, x: usize, color| Series {
            name: name.into(),
            points: vec![(x as f64, lo), (x as f64, hi)],
            color: Some(color),
        };
        let line = |name: &str, points, color| Series {
            name: name.into(),
            points,
            color: Some(color),
        };
        LineChart {
            series: vec![
                line("truth", pts(self.first, &self.truth), PALETTE[0]),
                line(
                    "one step ahead",
                    pts(self.first + 1, &self.one_step),
                    PALETTE[1],
                ),
                line(
                    "free-running forecast",
                    pts(self.cut, &self.forecast),
                    PALETTE[2],
                ),
                vertical("end of training part", self.train_end, MUTED),
                vertical("cut (drag it)", self.cut, PALETTE[3]),
            ],
            x_label: "value number".into(),
            y_label: self.y_label.clone(),
            ..LineChart::default()
        }
    }
}

/// Draws `c` filling `area`.
pub fn draw_forecast_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &ForecastChart,
) -> Result<(), RenderError> {
    draw_line_chart(area, &c.lines())
}

/// The x value under pixel column `px` of a line chart `width` pixels wide whose x-axis runs
/// from `x0` to `x1` (the plot's margins are the charts' own).
pub fn x_value_at(width: f64, px: f64, x0: f64, x1: f64) -> f64 {
    let left = f64::from(MARGIN_LEFT + Y_AREA);
    let plot = (width - left - f64::from(MARGIN_RIGHT)).max(1.0);
    let f = ((px - left) / plot).clamp(0.0, 1.0);
    x0 + f * (x1 - x0)
}
