//! rnnlab: watch a recurrent neural network learn, live.
//!
//! [`core`] is the training core (no web, files or clocks); [`render`] draws charts on any
//! plotters backend; `web` (wasm32 only) is the thin browser facade.

pub mod core;
pub mod render;
#[cfg(target_arch = "wasm32")]
pub mod web;
