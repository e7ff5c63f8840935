//! Drawing on a page's `<canvas>` with the shared renderers, at the canvas's pixel density: the
//! page sizes the canvas's backing store to its CSS size × `devicePixelRatio`, and every chart
//! is laid out in CSS pixels and drawn in device pixels ([`Scaled`]).

use crate::core::error::{Error, Result};
use crate::render::{CellRect, RenderError, Scaled};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// A chart's drawing area on a canvas: CSS pixels in, device pixels out.
pub type Area = DrawingArea<Scaled<CanvasBackend>, Shift>;

/// Backing-store pixels per CSS pixel (1 for a canvas not laid out, e.g. detached), to the
/// nearest 1/20 so a rounded CSS width does not give 1.998.
pub fn scale(canvas: &HtmlCanvasElement) -> f64 {
    let css = f64::from(canvas.client_width());
    if css <= 0.0 {
        return 1.0;
    }
    let s = (f64::from(canvas.width()) / css * 20.0).round() / 20.0;
    if s > 0.0 {
        s
    } else {
        1.0
    }
}

fn render(e: RenderError) -> Error {
    Error::Data(e.to_string())
}

/// Runs `draw` on the whole canvas.
pub fn draw<T>(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&Area) -> std::result::Result<T, RenderError>,
) -> Result<T> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| Error::Data("this canvas has no 2D drawing context".into()))?;
    let area = Scaled::new(backend, scale(canvas)).into_drawing_area();
    draw(&area).map_err(render)
}

/// Puts RGBA `pixels` (device pixels, `rect` as laid out in CSS pixels) on the canvas in one
/// call: a heatmap's cells, where one rectangle per cell would be thousands of canvas calls.
pub fn put_pixels(canvas: &HtmlCanvasElement, rect: CellRect, pixels: &[u8]) -> Result<()> {
    let r = rect.scaled(scale(canvas));
    let (w, h) = (r.width() as u32, r.height() as u32);
    if w == 0 || h == 0 {
        return Ok(());
    }
    let fail = |what: &str| Error::Data(format!("drawing the heatmap: {what}"));
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(pixels), w, h)
        .map_err(|_| fail("could not make the image"))?;
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| fail("no 2d context"))?;
    ctx.put_image_data(&image, f64::from(r.left), f64::from(r.top))
        .map_err(|_| fail("could not paint the cells"))
}
