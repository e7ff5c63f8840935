//! The [`Lab`]'s charts: loss and accuracy against the task's baseline, gradient flow through
//! time (latest step and over training) and the gradient norm before and after clipping.

use super::draw;
use super::js::{self, err, Obj};
use super::Lab;
use crate::core::optim::Clip;
use crate::render::{LineChart, LossChart, Series};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
impl Lab {
    /// Loss against step with the baseline(s).
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let r = &self.run;
        let (bl, _, bn) = r.baseline();
        let mut baselines = vec![(bn, bl)];
        if r.unigram().is_finite() {
            baselines.push(("unigram entropy".into(), r.unigram()));
        }
        let chart = LossChart {
            train: r.points.iter().map(|p| (p.step, p.loss)).collect(),
            train_smooth: r.points.iter().map(|p| (p.step, p.loss_smooth)).collect(),
            val: Vec::new(),
            baselines,
            x_label: "training step".into(),
            y_label: if r.is_real() {
                "loss (mean squared error)".into()
            } else {
                "loss (nats)".into()
            },
        };
        draw::loss(canvas, &chart).map_err(err)
    }

    /// Accuracy (success rate) against step, with the chance baseline.
    #[wasm_bindgen(js_name = drawAccuracy)]
    pub fn draw_accuracy(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let r = &self.run;
        let (_, ba, bn) = r.baseline();
        let c = draw::FracChart {
            series: vec![
                draw::FracSeries {
                    name: String::new(),
                    points: r.points.iter().map(|p| (p.step, p.acc)).collect(),
                    color: draw::PALETTE[0],
                    faint: true,
                },
                draw::FracSeries {
                    name: "accuracy (smoothed)".into(),
                    points: r.points.iter().map(|p| (p.step, p.acc_smooth)).collect(),
                    color: draw::PALETTE[0],
                    faint: false,
                },
            ],
            chance: ba.is_finite().then_some((bn, ba)),
            x_label: "training step".into(),
            y_label: "accuracy".into(),
            y_range: (-0.02, 1.02),
            percent: true,
        };
        draw::fractions(canvas, &c).map_err(err)
    }

    /// `‖∂L_T/∂h_t‖` against lag `T−1−t` for the latest step, one line per layer (log scale).
    #[wasm_bindgen(js_name = drawFlow)]
    pub fn draw_flow(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let d = self.run.diag();
        let series = d
            .dh_last
            .iter()
            .enumerate()
            .map(|(l, v)| Series {
                name: format!("layer {}", l + 1),
                points: profile_points(v),
                color: Some(draw::PALETTE[l % draw::PALETTE.len()]),
            })
            .collect();
        let chart = LineChart {
            series,
            x_label: "lag T − t (steps back from the last step)".into(),
            y_label: "‖∂L_T/∂h_t‖".into(),
            log_y: true,
            title: String::new(),
        };
        draw::lines(canvas, &chart).map_err(err)
    }

    /// The flow heatmap's axes and colour bar; returns `{left, top, width, height, pixels}`
    /// for the page to put the cells (RGBA) on the canvas in one call.
    #[wasm_bindgen(js_name = drawFlowHeat)]
    pub fn draw_flow_heat(&self, canvas: &HtmlCanvasElement) -> Result<JsValue, JsError> {
        let t = self.run.flow.back().map_or(0, |f| f.1.len());
        let h = draw::flow_heat(canvas, &self.run.flow, t).map_err(err)?;
        Ok(Obj::new()
            .set("left", h.left)
            .set("top", h.top)
            .set("width", h.width as u32)
            .set("height", h.height as u32)
            .set("pixels", js::bytes(&h.pixels))
            .build())
    }

    /// Gradient norm before and after clipping per step (log scale), with the threshold.
    #[wasm_bindgen(js_name = drawClip)]
    pub fn draw_clip(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let r = &self.run;
        let mut series = vec![
            Series {
                name: "before clipping".into(),
                points: r.points.iter().map(|p| (p.step, p.grad_norm)).collect(),
                color: Some(draw::PALETTE[1]),
            },
            Series {
                name: "after clipping (used for the update)".into(),
                points: r
                    .points
                    .iter()
                    .map(|p| (p.step, p.grad_norm_clipped))
                    .collect(),
                color: Some(draw::PALETTE[0]),
            },
        ];
        if let (Clip::Norm(v), Some(a), Some(b)) =
            (r.trainer().clip, r.points.first(), r.points.last())
        {
            series.push(Series {
                name: format!("threshold {v}"),
                points: flat(a.step, b.step, f64::from(v)),
                color: Some(plotters::style::RGBColor(120, 120, 120)),
            });
        }
        let chart = LineChart {
            series,
            x_label: "training step".into(),
            y_label: "global gradient norm".into(),
            log_y: true,
            title: String::new(),
        };
        draw::lines(canvas, &chart).map_err(err)
    }
}

/// A horizontal reference line from `x0` to `x1` at `y`, as enough points that the line
/// chart draws no point markers on it.
pub(crate) fn flat(x0: f64, x1: f64, y: f64) -> Vec<(f64, f64)> {
    (0..=200)
        .map(|i| (x0 + (x1 - x0) * f64::from(i) / 200.0, y))
        .collect()
}

/// `(lag, norm)` points of a profile over `t = 0..T` (the loss at `T−1`).
pub(crate) fn profile_points(v: &[f32]) -> Vec<(f64, f64)> {
    let n = v.len();
    v.iter()
        .enumerate()
        .map(|(t, &x)| ((n - 1 - t) as f64, f64::from(x)))
        .collect()
}
