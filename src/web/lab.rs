//! The teaching lab's facade: [`Lab`] trains one model on a task (or a text) and answers the
//! views of `www/lab.html` — loss and accuracy against the task's baseline, gradient flow
//! through time, clipping, a step-through of the latest window with the cell's equations, the
//! model run over typed text, and the one-unit latch. [`LabRace`] and [`LabSweep`] (in their
//! own files) train several models side by side. Every value comes from the running model.

#[path = "lab_charts.rs"]
mod charts;
#[path = "lab_draw.rs"]
mod draw;
#[path = "lab_explain.rs"]
mod explain;
#[path = "lab_js.rs"]
mod js;
#[path = "lab_latch.rs"]
mod latch;
#[path = "lab_race.rs"]
mod race;
#[path = "lab_run.rs"]
mod run;
#[path = "lab_sweep.rs"]
mod sweep;
#[path = "lab_text.rs"]
mod text;
#[path = "lab_views.rs"]
mod views;

pub use race::LabRace;
pub use sweep::LabSweep;

pub(crate) use charts::{flat, profile_points};

use crate::core::config::Config;
use crate::core::error::Error;
use js::{err, Obj};
use run::{flow_stats, Run};
use wasm_bindgen::prelude::*;

/// Settings that apply to the running model without rebuilding it.
const LIVE_KEYS: &[&str] = &["lr", "clip", "clip-mode", "weight-decay", "momentum"];
/// Steps the "recent" readouts average over.
const RECENT: usize = 100;

/// Parses `key=value&…` strictly: the first bad entry is an error naming it.
pub(crate) fn strict_config(query: &str) -> Result<Config, Error> {
    Config::from_query_strict(query)
}

fn stats_obj(st: &crate::core::StepStats) -> JsValue {
    Obj::new()
        .set("step", st.step as f64)
        .set("loss", f64::from(st.loss))
        .set("accuracy", st.accuracy.map_or(f64::NAN, f64::from))
        .set("gradNorm", f64::from(st.grad_norm))
        .set("gradNormClipped", f64::from(st.grad_norm_clipped))
        .set("clipped", st.clipped)
        .build()
}

/// One model learning a task, with the teaching views.
#[wasm_bindgen]
pub struct Lab {
    run: Run,
    /// Replayed real inputs of the latest window: `(step, [t·I + k])`.
    real_x: Option<(u64, Vec<f32>)>,
    /// Average milliseconds per step (for budgeting `trainFor`).
    ms_per_step: f64,
}

#[wasm_bindgen]
impl Lab {
    /// A fresh model for `query` (`key=value&…`); `text` is used when `task=text`.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, text: &str) -> Result<Lab, JsError> {
        console_error_panic_hook::set_once();
        let config = strict_config(query).map_err(err)?;
        let run = Run::new(&config, text).map_err(err)?;
        Ok(Lab {
            run,
            real_x: None,
            ms_per_step: 0.0,
        })
    }

    /// Lenient parsing of a URL hash: `{query, notices}`, bad entries skipped and explained.
    #[wasm_bindgen(js_name = parseQuery)]
    pub fn parse_query(hash: &str) -> JsValue {
        let (c, notes) = Config::from_query(hash);
        Obj::new()
            .set("query", c.to_query())
            .set("notices", js::strings(&notes))
            .build()
    }

    /// Whether setting `key` keeps the trained model.
    #[wasm_bindgen(js_name = isLiveSetting)]
    pub fn is_live_setting(key: &str) -> bool {
        LIVE_KEYS.contains(&key)
    }

    /// The settings as a query.
    pub fn query(&self) -> String {
        self.run.config().to_query()
    }

    /// Applies a setting that keeps the model; returns the new query.
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, key: &str, value: &str) -> Result<String, JsError> {
        if !LIVE_KEYS.contains(&key) {
            return Err(JsError::new(&format!(
                "setting `{key}` changes the model: start a new one instead"
            )));
        }
        self.run.config_mut().set(key, value).map_err(err)?;
        self.run.apply_live();
        Ok(self.query())
    }

    /// Exactly one step (with diagnostics); returns its stats.
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        let st = self.run.step(true).map_err(err)?;
        Ok(stats_obj(&st))
    }

    /// Steps until `max_steps` are done or `budget_ms` is used up (at least one). The last
    /// step collects diagnostics (and adds to the flow heatmap). Returns `{steps, ms, last}`.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, max_steps: u32, budget_ms: f64) -> Result<JsValue, JsError> {
        let t0 = js::now_ms();
        let max = max_steps.max(1);
        let mut n = 0u32;
        let mut last = JsValue::NULL;
        while n < max {
            // Diagnostics cost about a quarter of a step: collect them for the step that is
            // probably the frame's last (the one drawn).
            let spent = js::now_ms() - t0;
            let probably_last = n + 1 >= max || spent + 2.0 * self.ms_per_step >= budget_ms;
            let t1 = js::now_ms();
            let st = self.run.step(probably_last).map_err(err)?;
            let dt = js::now_ms() - t1;
            self.ms_per_step = if self.ms_per_step == 0.0 {
                dt
            } else {
                0.9 * self.ms_per_step + 0.1 * dt
            };
            last = stats_obj(&st);
            n += 1;
            if js::now_ms() - t0 + self.ms_per_step > budget_ms {
                break;
            }
        }
        Ok(Obj::new()
            .set("steps", n)
            .set("ms", js::now_ms() - t0)
            .set("last", last)
            .build())
    }

    /// Whether the latest step failed because training diverged.
    pub fn diverged(&self) -> bool {
        self.run.diverged
    }

    /// Back to the last good snapshot; returns its step.
    pub fn rollback(&mut self) -> f64 {
        let s = self.run.rollback();
        self.run.apply_live();
        s as f64
    }

    pub fn steps(&self) -> f64 {
        self.run.steps() as f64
    }

    /// `{cell, nonlinearity, layers, hidden, gates, task, taskLen, windowLen, vocab, params,
    /// real, baselineLoss, baselineAccuracy, baselineName}`.
    pub fn info(&self) -> JsValue {
        let m = self.run.model();
        let c = self.run.config();
        let gates: Vec<&str> = m.spec.cell.cell().gate_names().to_vec();
        let (bl, ba, bn) = self.run.baseline();
        let window = match &self.run.session {
            run::Session::Task(s) => s.info.steps,
            run::Session::Text(_) => c.seq_len,
        };
        Obj::new()
            .set("cell", m.spec.cell.name())
            .set("nonlinearity", m.spec.cell.nonlinearity())
            .set("layers", m.spec.layers as u32)
            .set("hidden", m.spec.hidden as u32)
            .set("gates", js::strings(&gates))
            .set("task", c.task.as_str())
            .set("taskLen", c.task_len as u32)
            .set("windowLen", window as u32)
            .set("vocab", self.run.vocab().iter().collect::<String>())
            .set("params", m.spec.param_count() as f64)
            .set("real", self.run.is_real())
            .set("baselineLoss", bl)
            .set("baselineAccuracy", ba)
            .set("baselineName", bn)
            .build()
    }

    /// The numbers beside the charts: smoothed loss and accuracy, clipping, and the latest
    /// step's gradient flow per layer (`shrink`: geometric-mean factor per step back, `fall`:
    /// `‖∂L_T/∂h_T‖ / ‖∂L_T/∂h_0‖`), `σ_max(W_hh)` and saturation.
    pub fn readouts(&self) -> JsValue {
        let r = &self.run;
        let d = r.diag();
        let flows: Vec<_> = d.dh_last.iter().map(|v| flow_stats(v)).collect();
        let last = r.points.last();
        Obj::new()
            .set("step", r.steps() as f64)
            .set("loss", r.smooth_loss())
            .set("lastLoss", last.map_or(f64::NAN, |p| p.loss))
            .set("accuracy", r.smooth_acc())
            .set("recentAccuracy", r.recent_acc(20))
            .set("clipFraction", r.clipped_fraction(0))
            .set("clipRecent", r.clipped_fraction(RECENT))
            .set("gradNorm", last.map_or(f64::NAN, |p| p.grad_norm))
            .set(
                "gradNormClipped",
                last.map_or(f64::NAN, |p| p.grad_norm_clipped),
            )
            .set("shrink", js::f32s_of(flows.iter().map(|f| f.shrink)))
            .set("fall", js::f32s_of(flows.iter().map(|f| f.fall)))
            .set("sigmaMax", js::f32s(&d.sigma_max))
            .set("saturation", js::f32s(&d.saturation))
            .set("diverged", r.diverged)
            .build()
    }

    /// `‖∂L_T/∂h_t‖` of the latest step for `layer`, `t = 0..T` (the loss at `T−1`).
    #[wasm_bindgen(js_name = flowProfile)]
    pub fn flow_profile(&self, layer: usize) -> JsValue {
        self.run
            .diag()
            .dh_last
            .get(layer)
            .map_or(JsValue::NULL, |v| js::f32s(v))
    }
}
