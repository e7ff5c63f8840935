//! Sharp charts on high-density screens: a backend wrapper that lays out in
//! CSS pixels and draws in device pixels.
//!
//! A canvas sized `css × devicePixelRatio` and drawn at that size directly
//! would make every chart lay out as if the screen were that much larger
//! (tiny text, thin lines); drawn at CSS size it is blurry. Plotters has no
//! notion of a pixel ratio and we know of no crate that adds one, so
//! [`Scaled`] is written here. A context transform (`ctx.scale(dpr, dpr)`) is not enough:
//! plotters-canvas takes its size from the canvas element's width and height
//! (device pixels), so the charts would still lay out at device size; its
//! half-pixel offsets for crisp 1-pixel lines would land between device
//! pixels; and `putImageData` (the heatmaps' cells) ignores the transform.
//! With [`Scaled`] the charts see a backend of the CSS size and every call
//! reaches the inner backend with coordinates, radii, stroke widths and font
//! sizes multiplied by the scale.

use plotters::prelude::*;
use plotters::style::FontDesc;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// A backend that reports `1 / scale` of `inner`'s size and draws every
/// call on `inner` at `scale` times the size, e.g.
/// `draw_loss_chart(&Scaled::new(canvas_backend, dpr).into_drawing_area(), &chart)`.
/// Pair it with [`HeatmapLayout::scaled`](super::HeatmapLayout::scaled) to
/// put heatmap pixels at device resolution.
pub struct Scaled<DB> {
    inner: DB,
    scale: f64,
    /// Text is drawn this many times larger than it is laid out (see [`Scaled::with_text`]).
    text: f64,
}

/// Plotters' SVG backend writes a font of `px` pixels as `font-size="px / 1.24"` (the em of its
/// own rasteriser), the canvas backend as `px` pixels: drawn through `with_text(SVG_TEXT)`, an
/// SVG's text has the size the same chart's text has on a canvas.
pub const SVG_TEXT: f64 = 1.24;

impl<DB> Scaled<DB> {
    /// Wraps `inner`; a scale that is not a positive finite number is 1.
    pub fn new(inner: DB, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        Self {
            inner,
            scale,
            text: 1.0,
        }
    }

    /// Draws text `k` times larger than it is laid out (every position stays); e.g.
    /// [`SVG_TEXT`] for an SVG backend.
    pub fn with_text(self, k: f64) -> Self {
        Self { text: k, ..self }
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    pub fn inner(&self) -> &DB {
        &self.inner
    }

    pub fn into_inner(self) -> DB {
        self.inner
    }

    /// A stroke width or radius at the scale (never 0 unless it was 0).
    fn len(&self, v: u32) -> u32 {
        ((f64::from(v) * self.scale).round() as u32).max(u32::from(v > 0))
    }

    /// The style `s` with its stroke width scaled.
    fn stroke<S: BackendStyle>(&self, s: &S) -> Stroke {
        Stroke {
            color: s.color(),
            width: self.len(s.stroke_width()),
        }
    }

    /// The text style `s` with its font size scaled, as a plotters
    /// [`TextStyle`] so raster backends lay glyphs out at the new size too.
    fn font<'a, S: BackendTextStyle>(&self, s: &'a S, k: f64) -> TextStyle<'a> {
        let desc = FontDesc::new(s.family(), s.size() * k, s.style());
        TextStyle {
            font: desc.transform(s.transform()),
            color: s.color(),
            pos: s.anchor(),
        }
    }
}

/// A point at `scale`: the device pixel where CSS pixel `p` starts.
fn at(p: BackendCoord, scale: f64) -> BackendCoord {
    let s = |v: i32| (f64::from(v) * scale).round() as i32;
    (s(p.0), s(p.1))
}

/// A shape style with a scaled stroke width.
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

type Result<DB> = std::result::Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl<DB: DrawingBackend> DrawingBackend for Scaled<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        let (w, h) = self.inner.get_size();
        let down = |v: u32| (f64::from(v) / self.scale).floor() as u32;
        (down(w), down(h))
    }

    fn ensure_prepared(&mut self) -> Result<DB> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<DB> {
        self.inner.present()
    }

    /// Fills the `scale × scale` block of device pixels of CSS pixel `p`.
    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Result<DB> {
        let (x0, y0) = at(p, self.scale);
        let (x1, y1) = at((p.0 + 1, p.1 + 1), self.scale);
        for y in y0..y1 {
            for x in x0..x1 {
                self.inner.draw_pixel((x, y), color)?;
            }
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<DB> {
        let k = self.scale;
        self.inner.draw_line(at(a, k), at(b, k), &self.stroke(s))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<DB> {
        let k = self.scale;
        self.inner
            .draw_rect(at(a, k), at(b, k), &self.stroke(s), fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result<DB> {
        let (k, style) = (self.scale, self.stroke(s));
        self.inner
            .draw_path(path.into_iter().map(|p| at(p, k)), &style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<DB> {
        let (c, r) = (at(c, self.scale), self.len(r));
        self.inner.draw_circle(c, r, &self.stroke(s), fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Result<DB> {
        let (k, style) = (self.scale, self.stroke(s));
        self.inner
            .fill_polygon(vert.into_iter().map(|p| at(p, k)), &style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        s: &S,
        pos: BackendCoord,
    ) -> Result<DB> {
        let pos = at(pos, self.scale);
        let font = self.font(s, self.scale * self.text);
        self.inner.draw_text(text, &font, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        s: &S,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (w, h) = self
            .inner
            .estimate_text_size(text, &self.font(s, self.scale))?;
        let down = |v: u32| (f64::from(v) / self.scale).round() as u32;
        Ok((down(w), down(h)))
    }

    /// Blits `src` (3 or 4 bytes a pixel) enlarged by the scale, nearest
    /// neighbour.
    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Result<DB> {
        let k = self.scale;
        let (sw, sh) = (w as usize, h as usize);
        let (dw, dh) = (
            (f64::from(w) * k).round() as usize,
            (f64::from(h) * k).round() as usize,
        );
        let bpp = src.len().checked_div(sw * sh).unwrap_or(3);
        let mut out = Vec::with_capacity(dw * dh * bpp);
        for y in 0..dh {
            let sy = ((y as f64 / k) as usize).min(sh.saturating_sub(1));
            for x in 0..dw {
                let sx = ((x as f64 / k) as usize).min(sw.saturating_sub(1));
                let i = (sy * sw + sx) * bpp;
                out.extend_from_slice(&src[i..i + bpp]);
            }
        }
        self.inner
            .blit_bitmap(at(pos, k), (dw as u32, dh as u32), &out)
    }
}
