//! rnnlab: watch a recurrent neural network learn, live.
//!
//! [`core`] is the training core (no web, files or clocks); [`render`] draws charts on any
//! plotters backend; [`web`] holds the pages' logic (native, tested natively) and, in wasm, the
//! one facade JavaScript calls (`web::api`).

pub mod core;
pub mod render;
pub mod web;
