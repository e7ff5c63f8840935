//! The teaching lab: [`Lab`] trains one model on a task (or a text) and answers the views of the
//! lab page — loss and accuracy against the task's baseline, gradient flow through time,
//! clipping, a step-through of the latest window with the cell's equations, the model run over
//! typed text, and the one-unit latch. [`race::LabRace`] and [`sweep::LabSweep`] train several
//! models side by side. Every value comes from the running model.

pub mod charts;
pub mod entry;
mod explain;
pub mod latch;
pub mod race;
mod run;
pub mod states;
pub mod sweep;
pub mod sync;
mod text;

use super::budget::Budget;
use super::types::{LabInfo, ModelInfo, Readouts, StepColumns, StepReport, TextRun, TrainReport};
use super::{Clock, Training};
use crate::core::config::Config;
use crate::core::error::Result;
use crate::core::model::CellType;
use crate::core::tasks::TaskType;
use crate::render::{FracChart, LineChart, LossChart, ProfileHeatmap};
pub use run::Point;
use run::{flow_stats, Run, Session};

/// Steps the "recent" readouts average over.
const RECENT: usize = 100;

/// The lab's starting point: a small LSTM on delayed recall (the core's defaults are for text).
fn lab_defaults() -> Config {
    Config {
        task: TaskType::Copy,
        task_len: 20,
        cell: CellType::Lstm,
        hidden: 32,
        batch: 32,
        lr: 0.01,
        seed: 5,
        seq_len: 50,
        ..Config::default()
    }
}

/// One model learning a task, with the teaching views.
pub struct Lab {
    run: Run,
    /// Replayed real inputs of the latest window: `(step, [t·I + k])`.
    real_x: Option<(u64, Vec<f32>)>,
    budget: Budget,
    /// What a copy of this lab was last sent.
    sent: sync::Sent,
}

impl Lab {
    /// A fresh model for `query` (`key=value&…`); `text` is used when `task=text`.
    pub fn new(query: &str, text: &str) -> Result<Self> {
        let config = Config::from_query_strict(query)?;
        Ok(Lab {
            run: Run::new(&config, text)?,
            real_x: None,
            budget: Budget::default(),
            sent: sync::Sent::default(),
        })
    }

    fn report(&self, st: &crate::core::StepStats) -> StepReport {
        StepReport::new(st, self.run.smooth_loss())
    }

    /// Steps of the latest window (0 before the first step).
    pub fn window_len(&self) -> usize {
        self.run.diag().steps_t
    }

    /// The model, its task and the task's baseline.
    pub fn info(&self) -> LabInfo {
        let c = self.run.config();
        let (baseline_loss, baseline_accuracy, baseline_name) = self.run.baseline();
        let window = match &self.run.session {
            Session::Task(s) => s.info.steps,
            Session::Text(_) => c.seq_len,
        };
        LabInfo {
            model: ModelInfo::of(self.run.model()),
            task: c.task.name(),
            task_len: c.task_len as u32,
            window_len: window as u32,
            real: self.run.is_real(),
            baseline_loss,
            baseline_accuracy,
            baseline_name,
            about: c.task.about(),
        }
    }

    /// The numbers beside the charts: smoothed loss and accuracy, clipping, and the latest
    /// step's gradient flow per layer, `σ_max(W_hh)` and saturation.
    pub fn readouts(&self) -> Readouts {
        let r = &self.run;
        let d = r.diag();
        let flows: Vec<_> = d.dh_last.iter().map(|v| flow_stats(v)).collect();
        let last = r.points.last();
        Readouts {
            step: r.steps() as f64,
            loss: r.smooth_loss(),
            last_loss: last.map_or(f64::NAN, |p| p.loss),
            accuracy: r.smooth_acc(),
            recent_accuracy: r.recent_acc(20),
            clip_fraction: r.clipped_fraction(0),
            clip_recent: r.clipped_fraction(RECENT),
            grad_norm: last.map_or(f64::NAN, |p| p.grad_norm),
            grad_norm_clipped: last.map_or(f64::NAN, |p| p.grad_norm_clipped),
            shrink: flows.iter().map(|f| f.shrink).collect(),
            fall: flows.iter().map(|f| f.fall).collect(),
            sigma_max: d.sigma_max.iter().copied().collect(),
            saturation: d.saturation.iter().copied().collect(),
            diverged: r.diverged,
        }
    }

    /// `‖∂L_T/∂h_t‖` of the latest step for `layer`, `t = 0..T` (the loss at `T−1`).
    pub fn flow_profile(&self, layer: usize) -> Option<&[f32]> {
        self.run.diag().dh_last.get(layer).map(Vec::as_slice)
    }

    /// The columns of step `t` of `layer` in the latest window.
    pub fn step_columns(&mut self, layer: usize, t: usize) -> Result<StepColumns> {
        let step = self.run.steps();
        let stale = self.real_x.as_ref().is_none_or(|r| r.0 != step);
        if self.run.is_real() && layer == 0 && stale {
            self.real_x = Some((step, explain::replay_real_inputs(&self.run)?));
        }
        let real = self.real_x.as_ref().map(|r| r.1.as_slice());
        explain::columns(&self.run, layer, t, real)
    }

    /// The cell's equations for `unit` at step `t` of `layer`, with the latest window's numbers.
    pub fn equations(&self, layer: usize, t: usize, unit: usize) -> Result<Vec<String>> {
        explain::equations(&self.run, layer, t, unit)
    }

    /// The input characters of the latest window (batch row 0), one string each.
    pub fn window_chars(&self) -> Vec<String> {
        let v = self.run.vocab();
        let d = self.run.diag();
        let ch = |i: &u32| v.get(*i as usize).map_or("?".into(), char::to_string);
        d.tokens.iter().map(ch).collect()
    }

    /// How strongly the prediction after the last character of `input` depends on each one.
    pub fn connectivity(&self, input: &str) -> Result<TextRun> {
        text::connectivity(&self.run, input)
    }

    /// `h_t` of every unit of `layer` at every character of `input`.
    pub fn activations(&self, input: &str, layer: usize) -> Result<TextRun> {
        text::activations(&self.run, input, layer)
    }

    /// A text to look at: sampled (text model) or a fresh episode (symbol task).
    pub fn sample_text(&self, len: usize, temperature: f32, seed: u64) -> Result<String> {
        text::sample_text(&self.run, len, temperature, seed)
    }

    /// What a copy of this lab lacks since the last call (see [`sync`]): the head, and the
    /// latest step's states when a step was taken since (else empty).
    pub fn sync_out(&mut self) -> (Vec<f64>, Vec<f32>) {
        let head = sync::head(&self.run, &mut self.sent);
        (head, sync::states(&self.run, &mut self.sent))
    }

    /// Every weight, in `Params::slices` order.
    pub fn weights(&self) -> Vec<f32> {
        crate::web::wire::weights(self.run.model())
    }

    /// Makes this lab (built from the same settings and text) show what `sync_out` (and
    /// `weights`, unless empty) of the lab it mirrors gave. Nothing changes on an error.
    pub fn sync_in(&mut self, head: &[f64], states: &[f32], weights: &[f32]) -> Result<()> {
        crate::web::wire::check_weights(self.run.model(), weights)?;
        sync::apply(&mut self.run, head, states)?;
        crate::web::wire::set_weights(self.run.model_mut(), weights)
    }

    /// Accuracy (success rate) against step, with chance.
    pub fn accuracy_chart(&self) -> FracChart {
        charts::accuracy(&self.run)
    }

    /// `‖∂L_T/∂h_t‖` against lag for the latest step, per layer.
    pub fn flow_chart(&self) -> LineChart {
        charts::flow(&self.run)
    }

    /// `log10 ‖∂L_T/∂h_t‖` by training step and lag (top layer, the latest steps).
    pub fn flow_heatmap(&self) -> ProfileHeatmap {
        charts::flow_heatmap(&self.run)
    }

    /// Gradient norm before and after clipping per step, with the threshold.
    pub fn clip_chart(&self) -> LineChart {
        charts::clipping(&self.run)
    }
}

impl Training for Lab {
    fn defaults() -> Config {
        lab_defaults()
    }

    /// Exactly one step, with diagnostics.
    fn step(&mut self) -> Result<StepReport> {
        let st = self.run.step(true)?;
        Ok(self.report(&st))
    }

    /// Steps until `max_steps` are done or `budget_ms` is used up (at least one); the last step
    /// collects diagnostics (and adds to the flow heatmap).
    fn train_for(&mut self, max_steps: u32, budget_ms: f64, now: Clock) -> Result<TrainReport> {
        let t0 = now();
        let run = &mut self.run;
        let (steps, last) = self
            .budget
            .run(max_steps, budget_ms, now, |d| run.step(d))?;
        Ok(TrainReport {
            steps,
            ms: now() - t0,
            val_ms: 0.0,
            last: self.report(&last),
        })
    }

    /// Whether the latest step failed because training diverged.
    fn diverged(&self) -> bool {
        self.run.diverged
    }

    /// Back to the last good snapshot; returns its step.
    fn rollback(&mut self) -> u64 {
        let s = self.run.rollback();
        self.run.apply_live();
        self.sent.rolled_back(s, self.run.points.len());
        s
    }

    fn steps(&self) -> u64 {
        self.run.steps()
    }

    /// The settings as a query.
    fn query(&self) -> String {
        self.run.config().to_query()
    }

    /// Applies a setting that keeps the model; returns the new query.
    fn set_live(&mut self, key: &str, value: &str) -> Result<String> {
        self.run.set_live(key, value)?;
        Ok(self.query())
    }

    /// Loss against step with the baseline(s).
    fn loss_chart(&self) -> LossChart {
        charts::loss(&self.run)
    }

    /// Every step's loss, accuracy and gradient norms.
    fn history_csv(&self) -> String {
        super::csv::lab_history(&self.run.points)
    }
}

#[cfg(test)]
mod sync_tests;
#[cfg(test)]
mod tests;
