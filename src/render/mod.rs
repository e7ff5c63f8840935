//! Pure chart renderers over plotters.
//!
//! Every `draw_*` function is generic over [`DrawingBackend`], so the same code
//! draws to an HTML canvas (plotters-canvas, in wasm), to a PNG or SVG file in
//! the CLI and to an SVG string in a test. The renderers depend on plotters and
//! std only: they take the plain data structs defined here, never core types.
//!
//! The heatmaps come in two halves for a canvas: `draw_*_frame` draws all but
//! the cells and returns where they go, `*_pixels` gives the cells as RGBA for
//! one `putImageData`. On a high-density screen, draw through `Scaled` at
//! `devicePixelRatio` and ask for the pixels of `layout.scaled(ratio)`. The
//! colours are [`PALETTE`] (categorical, [`cell_colour`] per cell type) and the
//! two scales of `colour_scale` ([`diverging_color`], [`sequential_color`]);
//! a page that colours things itself takes them from [`diverging_lut`],
//! [`sequential_lut`], [`css`] and [`NAN_COLOUR`] rather than copying them.
//!
//! The pages draw through one backend type, [`Either`] canvas or SVG, and every chart is built on
//! one coordinate type ([`axis::Axis`]), so each renderer is in the wasm once and a chart's SVG
//! download is this same code's output ([`SVG_TEXT`] keeps its text at the canvas's size).
//!
//! [`DrawingBackend`]: plotters::prelude::DrawingBackend

pub mod axis;
mod cell_axis;
mod cells;
mod colour_scale;
mod data;
mod either;
mod fonts;
pub mod forecast_chart;
pub mod frac_chart;
mod frame;
pub mod heatmap;
mod legend;
pub mod line_chart;
pub mod log_heatmap;
pub mod loss_chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod png;
pub mod scaled;
pub mod scatter;
mod style;

pub use cells::{cell_pixels, draw_cells, draw_cells_frame, CellChart, CellLayout, CellRect, Grid};
pub use colour_scale::{
    css, diverging_color, diverging_lut, sequential_color, sequential_lut, NAN_COLOUR,
};
pub use data::decimate;
pub use either::{Either, EitherError};
pub use fonts::register_fonts;
pub use forecast_chart::{draw_forecast_chart, x_value_at, ForecastChart};
pub use frac_chart::{draw_frac_chart, FracChart, FracSeries};
pub use heatmap::{Heatmap, HeatmapLayout};
pub use line_chart::{draw_line_chart, LineChart, RefLine, Series};
pub use log_heatmap::{log_range, ProfileHeatmap, ProfileLayout};
pub use loss_chart::{draw_loss_chart, LossChart};
#[cfg(not(target_arch = "wasm32"))]
pub use png::{write_png, PngBackend};
pub use scaled::{Scaled, SVG_TEXT};
pub use scatter::{draw_trajectory, FixedMark, Trajectory};
pub use style::{cell_colour, PALETTE};

use plotters::drawing::DrawingAreaErrorKind;

/// An error from drawing a chart: the backend failed (e.g. a canvas call or a
/// file write) or a font could not be laid out.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("drawing {what} failed: {msg}")]
    Draw { what: &'static str, msg: String },
}

/// Builds a `map_err` adapter that turns a plotters error into a
/// [`RenderError::Draw`] naming the part of the chart being drawn.
pub(crate) fn draw_err<E>(what: &'static str) -> impl FnOnce(DrawingAreaErrorKind<E>) -> RenderError
where
    E: std::error::Error + Send + Sync,
{
    move |e| RenderError::Draw {
        what,
        msg: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
