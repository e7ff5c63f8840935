//! The one-unit latch `h_t = tanh(w·h_{t−1} + x_t)` (core `tasks::latch`), exposed as static
//! functions of [`Lab`]: the state and `∂h_T/∂h_t` for a pulse, and their two charts.

use super::draw;
use super::js::{self, err, Obj};
use super::Lab;
use crate::core::tasks::latch;
use crate::render::{LineChart, Series};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Longest latch the view simulates.
const MAX_LATCH: usize = 500;

#[wasm_bindgen]
impl Lab {
    /// The latch `h_t = tanh(w·h_{t−1} + x_t)` from `h0`, with `x_0 = pulse` and 0 after, for
    /// `steps` steps: `{h, d}` with `d_t = ∂h_T/∂h_t`.
    pub fn latch(w: f32, h0: f32, pulse: f32, steps: usize) -> Result<JsValue, JsError> {
        let (h, d) = latch_run(w, h0, pulse, steps)?;
        Ok(Obj::new()
            .set("h", js::f32s(&h))
            .set("d", js::f32s(&d))
            .build())
    }

    /// Draws the latch: `h_t` on `h_canvas`, `|∂h_T/∂h_t|` (log) on `d_canvas`.
    #[wasm_bindgen(js_name = drawLatch)]
    pub fn draw_latch(
        h_canvas: &HtmlCanvasElement,
        d_canvas: &HtmlCanvasElement,
        w: f32,
        h0: f32,
        pulse: f32,
        steps: usize,
    ) -> Result<(), JsError> {
        let (h, d) = latch_run(w, h0, pulse, steps)?;
        let pts = |v: &[f32], abs: bool| -> Vec<(f64, f64)> {
            v.iter()
                .enumerate()
                .map(|(t, &x)| (t as f64, f64::from(if abs { x.abs() } else { x })))
                .collect()
        };
        let hc = draw::FracChart {
            series: vec![draw::FracSeries {
                name: format!("hₜ with w = {w:.2}"),
                points: pts(&h, false),
                color: draw::PALETTE[0],
                faint: false,
            }],
            chance: None,
            x_label: "time step t".into(),
            y_label: "hₜ".into(),
            y_range: (-1.05, 1.05),
            percent: false,
        };
        let dc = LineChart {
            series: vec![Series {
                name: "|∂h_T/∂h_t|".into(),
                points: pts(&d, true),
                color: Some(draw::PALETTE[1]),
            }],
            x_label: "time step t (T is the last)".into(),
            y_label: "|∂h_T/∂h_t|".into(),
            log_y: true,
            title: String::new(),
        };
        draw::fractions(h_canvas, &hc).map_err(err)?;
        draw::lines(d_canvas, &dc).map_err(err)
    }
}

fn latch_run(w: f32, h0: f32, pulse: f32, steps: usize) -> Result<(Vec<f32>, Vec<f32>), JsError> {
    if !(w.is_finite() && h0.is_finite() && pulse.is_finite()) {
        return Err(JsError::new("the latch needs finite numbers"));
    }
    let n = steps.clamp(1, MAX_LATCH);
    let mut x = vec![0.0; n];
    x[0] = pulse;
    Ok(latch(w, h0, &x))
}
