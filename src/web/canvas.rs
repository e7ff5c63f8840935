//! Drawing on a page's `<canvas>` with the shared renderers, at the canvas's pixel density: the
//! page sizes the canvas's backing store to its CSS size × `devicePixelRatio`, and every chart
//! is laid out in CSS pixels and drawn in device pixels ([`Scaled`]).
//!
//! A canvas can also be *captured* ([`capture_svg`]): its next drawing goes, call for call, to an
//! SVG document of its CSS size instead, through the same renderer (one backend type,
//! [`Either`] canvas or SVG, so every renderer is compiled once for both).

use crate::core::error::{Error, Result};
use crate::render::{self, CellChart, CellLayout, CellRect, Either, RenderError, Scaled, SVG_TEXT};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// A chart's drawing area on a canvas (CSS pixels in, device pixels out) or in an SVG document.
pub type Area<'a> = DrawingArea<Scaled<Either<CanvasBackend, SVGBackend<'a>>>, Shift>;

/// A capture under way: the canvas whose drawings go to SVG, and the latest document drawn.
struct Capture {
    canvas: HtmlCanvasElement,
    svg: Option<String>,
}

thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

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

/// Whether `canvas` is being captured.
fn capturing(canvas: &HtmlCanvasElement) -> bool {
    CAPTURE.with_borrow(|c| c.as_ref().is_some_and(|c| &c.canvas == canvas))
}

/// Runs `drawing` with the drawings on `canvas` going to SVG; returns the last document drawn
/// (`None` when `drawing` drew nothing on it) and what `drawing` returned.
pub fn capture_svg<T>(
    canvas: &HtmlCanvasElement,
    drawing: impl FnOnce() -> T,
) -> (Option<String>, T) {
    let capture = Capture {
        canvas: canvas.clone(),
        svg: None,
    };
    let outer = CAPTURE.replace(Some(capture));
    let out = drawing();
    let svg = CAPTURE.replace(outer).and_then(|c| c.svg);
    (svg, out)
}

/// Runs `draw` on the whole canvas, or on an SVG document of its CSS size when it is captured.
/// (A `dyn` drawing, so this is compiled once, not once per chart.)
pub fn draw(
    canvas: &HtmlCanvasElement,
    draw: &mut dyn FnMut(&Area<'_>) -> std::result::Result<(), RenderError>,
) -> Result<()> {
    if capturing(canvas) {
        let k = scale(canvas);
        let css = |v: u32| (f64::from(v) / k).floor() as u32;
        let size = (css(canvas.width()), css(canvas.height()));
        let mut svg = String::new();
        {
            let backend = Either::Right(SVGBackend::with_string(&mut svg, size));
            let area = Scaled::new(backend, 1.0)
                .with_text(SVG_TEXT)
                .into_drawing_area();
            draw(&area).map_err(render)?;
            area.present().map_err(|e| Error::Data(e.to_string()))?;
        }
        CAPTURE.with_borrow_mut(|c| c.as_mut().map(|c| c.svg = Some(svg)));
        return Ok(());
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| Error::Data("this canvas has no 2D drawing context".into()))?;
    let area = Scaled::new(Either::Left(backend), scale(canvas)).into_drawing_area();
    draw(&area).map_err(render)
}

/// Draws a chart of cells: on a canvas its frame, then the cells as one `putImageData` (one
/// rectangle per cell would be thousands of canvas calls); in SVG one rectangle per run of
/// equal cells. Returns the layout in CSS pixels.
pub fn draw_cells<C: CellChart>(canvas: &HtmlCanvasElement, chart: &C) -> Result<C::Layout> {
    let svg = capturing(canvas);
    let mut layout = None;
    draw(canvas, &mut |a| {
        let drawn = if svg {
            render::draw_cells(a, chart)
        } else {
            render::draw_cells_frame(a, chart)
        };
        layout = Some(drawn?);
        Ok(())
    })?;
    let layout = layout.ok_or_else(|| Error::Data("the heatmap was not drawn".into()))?;
    if !svg {
        let scaled = layout.scaled(scale(canvas));
        put_pixels(canvas, layout.rect(), &render::cell_pixels(chart, &scaled))?;
    }
    Ok(layout)
}

/// Puts RGBA `pixels` (device pixels, `rect` as laid out in CSS pixels) on the canvas in one
/// call.
fn put_pixels(canvas: &HtmlCanvasElement, rect: CellRect, pixels: &[u8]) -> Result<()> {
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
