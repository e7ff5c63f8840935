//! Native PNG output whose text matches the browser's.
//!
//! Plotters' own `ab_glyph` text path works but sizes fonts differently from
//! the canvas and SVG backends (by line height, not em size) and drops each
//! glyph's side bearing, so digits come out unevenly spaced ("4.1 7"). The
//! [`PngBackend`] wraps [`BitMapBackend`] and lays text out itself with
//! ab_glyph and the bundled DejaVu Sans: em-sized like CSS `13px sans-serif`,
//! kerned, with sub-pixel glyph positions; everything else is delegated.

use super::{draw_err, fonts, RenderError};
use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use std::path::Path;

type Error = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Result<T> = std::result::Result<T, DrawingErrorKind<Error>>;

/// A [`BitMapBackend`] (RGB, to a file or a buffer) with better text.
pub struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
    font: Option<FontRef<'static>>,
}

impl<'a> PngBackend<'a> {
    /// Draws into an image of `size` pixels saved to `path` on `present()`
    /// (PNG when the path ends in `.png`).
    pub fn new<P: AsRef<Path> + ?Sized>(path: &'a P, size: (u32, u32)) -> Self {
        Self::wrap(BitMapBackend::new(path, size))
    }

    /// Draws into `buf`, `size.0 * size.1 * 3` bytes of RGB.
    pub fn with_buffer(buf: &'a mut [u8], size: (u32, u32)) -> Self {
        Self::wrap(BitMapBackend::with_buffer(buf, size))
    }

    fn wrap(inner: BitMapBackend<'a>) -> Self {
        fonts::register_fonts();
        let font = FontRef::try_from_slice(fonts::DEJAVU_SANS).ok();
        Self { inner, font }
    }
}

/// Draws with `draw` on a `size` image and writes it to `path` (PNG), e.g.
/// `write_png("loss.png".as_ref(), (800, 450), |a| draw_loss_chart(a, &chart))`.
pub fn write_png<T>(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<PngBackend<'_>, Shift>) -> std::result::Result<T, RenderError>,
) -> std::result::Result<T, RenderError> {
    let root = PngBackend::new(path, size).into_drawing_area();
    let out = draw(&root)?;
    root.present().map_err(draw_err("png file"))?;
    Ok(out)
}

/// Glyphs of `text` at their caret x positions, and the advance width.
fn layout(font: &FontRef<'static>, scale: PxScale, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let sf = font.as_scaled(scale);
    let mut x = 0.0;
    let mut prev: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            x += sf.kern(p, id);
        }
        glyphs.push((id, x));
        x += sf.h_advance(id);
        prev = Some(id);
    }
    (glyphs, x)
}

/// The scale at which one em is `size` pixels (CSS font-size semantics).
fn em_scale(font: &FontRef<'static>, size: f64) -> PxScale {
    let upem = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(size as f32 * font.height_unscaled() / upem)
}

impl DrawingBackend for PngBackend<'_> {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<()> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<()> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<()> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<()> {
        self.inner.draw_line(a, b, s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<()> {
        self.inner.draw_rect(a, b, s, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result<()> {
        self.inner.draw_path(path, s)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<()> {
        self.inner.draw_circle(c, r, s, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Result<()> {
        self.inner.fill_polygon(vert, s)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<()> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        let Some(font) = &self.font else {
            return self.inner.estimate_text_size(text, style);
        };
        let scale = em_scale(font, style.size());
        let sf = font.as_scaled(scale);
        let (_, width) = layout(font, scale, text);
        Ok((
            width.ceil() as u32,
            (sf.ascent() - sf.descent()).ceil() as u32,
        ))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<()> {
        let Some(font) = self.font.clone() else {
            return self.inner.draw_text(text, style, pos);
        };
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let scale = em_scale(&font, style.size());
        let sf = font.as_scaled(scale);
        let (glyphs, width) = layout(&font, scale, text);
        let anchor = style.anchor();
        let x0 = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let baseline = match anchor.v_pos {
            VPos::Top => sf.ascent(),
            VPos::Center => (sf.ascent() + sf.descent()) / 2.0,
            VPos::Bottom => sf.descent(),
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let mut pixels = Vec::new();
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(x0 + x, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let min = outline.px_bounds().min;
            outline.draw(|gx, gy, coverage| {
                if coverage > 0.0 {
                    let (dx, dy) = (min.x as i32 + gx as i32, min.y as i32 + gy as i32);
                    let (tx, ty) = trans.transform(dx, dy);
                    pixels.push(((pos.0 + tx, pos.1 + ty), coverage.min(1.0)));
                }
            });
        }
        for ((x, y), coverage) in pixels {
            if (0..w as i32).contains(&x) && (0..h as i32).contains(&y) {
                let alpha = color.alpha * f64::from(coverage);
                self.inner
                    .draw_pixel((x, y), BackendColor { alpha, ..color })?;
            }
        }
        Ok(())
    }
}
