//! Pure chart renderers over plotters.
//!
//! Every `draw_*` function is generic over [`DrawingBackend`], so the same code
//! draws to an HTML canvas (plotters-canvas, in wasm), to a PNG or SVG file in
//! the CLI and to an SVG string in a test. The renderers depend on plotters and
//! std only: they take the plain data structs defined here, never core types.
//!
//! [`DrawingBackend`]: plotters::prelude::DrawingBackend

mod cell_axis;
mod colour_scale;
mod data;
mod fonts;
pub mod heatmap;
mod legend;
pub mod line_chart;
pub mod loss_chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod png;
mod style;

pub use colour_scale::diverging_color;
pub use data::decimate;
pub use fonts::register_fonts;
pub use heatmap::{draw_heatmap, draw_heatmap_frame, heatmap_pixels, Heatmap, HeatmapLayout};
pub use line_chart::{draw_line_chart, LineChart, Series};
pub use loss_chart::{draw_loss_chart, LossChart};
#[cfg(not(target_arch = "wasm32"))]
pub use png::{write_png, PngBackend};

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
