//! Font set-up for native raster output.
//!
//! Natively plotters is built with its `ab_glyph` font feature (pure Rust, no
//! system font libraries), which only knows fonts registered at run time. We
//! ship DejaVu Sans (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`)
//! and register it for every generic family. In wasm the browser draws text
//! and measures it itself, so there is nothing to do.

/// Registers the bundled font with plotters (idempotent, cheap after the first
/// call). Every `draw_*` function calls it, so callers never need to; it is
/// public for code that draws text with plotters directly.
pub fn register_fonts() {
    #[cfg(not(target_arch = "wasm32"))]
    native::register();
}

/// DejaVu Sans, registered for plotters and used by the PNG backend.
#[cfg(not(target_arch = "wasm32"))]
pub(super) static DEJAVU_SANS: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::DEJAVU_SANS;
    use plotters::style::{register_font, FontStyle};
    use std::sync::Once;

    pub(super) fn register() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            for family in ["sans-serif", "serif", "monospace"] {
                // The bytes are a valid font shipped with the crate; a failure
                // here would show up as a text-layout error when drawing.
                let _ = register_font(family, FontStyle::Normal, DEJAVU_SANS);
            }
        });
    }
}
