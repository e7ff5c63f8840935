//! One backend type that is either of two: the page draws every chart through
//! `Either<canvas, SVG>`, so each renderer is compiled once for both (a renderer instantiated for
//! a second backend type would double its code in the wasm) and the SVG a page downloads comes
//! from exactly the drawing calls its canvas gets. Plotters has no such adapter; it forwards
//! every call, so it is written here.

use plotters::prelude::DrawingBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// Draws on `Left` or on `Right`, whichever it holds.
pub enum Either<A, B> {
    Left(A),
    Right(B),
}

/// An error of either backend, as its message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EitherError(String);

type Result<T = ()> = std::result::Result<T, DrawingErrorKind<EitherError>>;

/// The inner backend's error as an [`EitherError`].
fn lift<T, E: std::error::Error + Send + Sync>(
    r: std::result::Result<T, DrawingErrorKind<E>>,
) -> Result<T> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(EitherError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// `$call` on whichever backend `$self` holds, bound to `$b`.
macro_rules! either {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            Either::Left($b) => lift($call),
            Either::Right($b) => lift($call),
        }
    };
}

impl<A: DrawingBackend, B: DrawingBackend> DrawingBackend for Either<A, B> {
    type ErrorType = EitherError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            Either::Left(b) => b.get_size(),
            Either::Right(b) => b.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Result {
        either!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> Result {
        either!(self, b => b.present())
    }

    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Result {
        either!(self, b => b.draw_pixel(p, color))
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, z: BackendCoord, s: &S) -> Result {
        either!(self, b => b.draw_line(a, z, s))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        z: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result {
        either!(self, b => b.draw_rect(a, z, s, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result {
        either!(self, b => b.draw_path(path, s))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result {
        either!(self, b => b.draw_circle(c, r, s, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Result {
        either!(self, b => b.fill_polygon(vert, s))
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, s: &S, pos: BackendCoord) -> Result {
        either!(self, b => b.draw_text(text, s, pos))
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, s: &S) -> Result<(u32, u32)> {
        either!(self, b => b.estimate_text_size(text, s))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result {
        either!(self, b => b.blit_bitmap(pos, size, src))
    }
}
