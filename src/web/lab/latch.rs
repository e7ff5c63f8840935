//! The one-unit latch `h_t = tanh(w·h_{t−1} + x_t)` (core `tasks::latch`): the state and
//! `∂h_T/∂h_t` after a pulse, and their two charts.

use super::charts;
use crate::core::error::{Error, Result};
use crate::core::tasks::latch;
use crate::render::{FracChart, LineChart};
use crate::web::types::{Floats, Latch};

/// Longest latch the view simulates.
const MAX_LATCH: usize = 500;

/// The latch from `h0`, with `x_0 = pulse` and 0 after, for `steps` steps (1 to 500): `h` and
/// `d_t = ∂h_T/∂h_t`.
pub fn run(w: f32, h0: f32, pulse: f32, steps: usize) -> Result<Latch> {
    if !(w.is_finite() && h0.is_finite() && pulse.is_finite()) {
        return Err(Error::Data("the latch needs finite numbers".into()));
    }
    let n = steps.clamp(1, MAX_LATCH);
    let mut x = vec![0.0; n];
    x[0] = pulse;
    let (h, d) = latch(w, h0, &x);
    Ok(Latch {
        h: Floats(h),
        d: Floats(d),
    })
}

/// The latch's two charts: `h_t`, and `|∂h_T/∂h_t|` on a log scale.
pub fn charts(w: f32, l: &Latch) -> (FracChart, LineChart) {
    (
        charts::latch_state(w, &l.h.0),
        charts::latch_gradient(&l.d.0),
    )
}
