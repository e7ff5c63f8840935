//! The playground: a model learning a text, stepped by the page. It keeps what only the page
//! needs (the loss history, the heatmap as last drawn, the validation loss and samples measured
//! a slice per frame); the math stays in the core.

mod heat;
mod history;
mod jobs;
pub mod sync;
mod unknown;

pub use heat::{DrawnHeatmap, HeatChoice};
pub use history::History;
pub use unknown::Fix;

use super::budget::Budget;
use super::inspect::Inspect;
use super::types::InspectText;
use super::types::{HeatCell, ModelInfo, Sampled, StepReport, TextInfo, TrainReport};
use super::{check_text, Clock, Training};
use crate::core::average::Ema;
use crate::core::config::Config;
use crate::core::diag::Diagnose;
use crate::core::error::{Error, Result};
use crate::core::io;
use crate::core::sample::{self, SampleOpts};
use crate::core::session::{apply_live, TextSession};
use crate::core::trainer::Snapshot;
use crate::core::{Model, StepStats};
use crate::render::{Heatmap, LossChart};
use jobs::{SampleJob, ValJob};
use unknown::{idle_session, Unknown};

/// Share of the text held out for the validation loss.
const VAL_FRACTION: f64 = 0.1;
/// The validation loss is measured on at most this many held-out characters …
const VAL_CHARS: usize = 500;
/// … every this many steps, and when a model is created or loaded.
const VAL_EVERY: u64 = 100;
/// What a step with diagnostics records here: the heatmap's states and gates, nothing that
/// costs another pass (the playground shows no gradients).
const DIAGNOSE: Diagnose = Diagnose::States;
/// How many of the most likely next characters a sample reports.
const TOP_BARS: usize = 10;
/// `train_for` spends at most this share of its budget on a pending validation (at least one
/// chunk per call), the rest on training.
const VAL_SHARE: f64 = 0.5;

/// A model learning a text.
pub struct Playground {
    session: TextSession,
    history: History,
    heat: Option<DrawnHeatmap>,
    diverged: bool,
    budget: Budget,
    /// Milliseconds per chunk of the validation loss.
    ms_per_val_chunk: Ema,
    /// The validation loss of a recent step, measured a chunk at a time by `train_for`.
    val_job: Option<ValJob>,
    /// A sample being generated a few characters per frame.
    sample_job: Option<SampleJob>,
    /// Characters of the text trained on (the rest is held out).
    train_chars: usize,
    /// A loaded model that cannot read the text yet: training waits for the user's choice.
    unknown: Option<Box<Unknown>>,
    /// A text being looked at.
    inspect: Option<Inspect>,
    /// The step whose states `sync_out` sent last.
    sent_steps: Option<u64>,
    /// The counters and heatmap states of the playground this one mirrors (see `sync_in`).
    mirror: Option<Mirror>,
}

/// What a mirror shows of the playground it follows, beyond the weights and the history.
struct Mirror {
    steps: u64,
    chars: u64,
    diag: Option<Box<crate::core::diag::Diagnostics>>,
}

impl Playground {
    /// A fresh model for the settings `query` on `text`; any bad setting is an error naming it.
    pub fn new(query: &str, text: &str) -> Result<Self> {
        check_text(text)?;
        let config = Config::from_query_strict(query)?;
        let session = TextSession::new(&config, text, VAL_FRACTION)?;
        Ok(Self::wrap(session, text))
    }

    /// Reads a model file or checkpoint and continues on `text`: a checkpoint resumes optimizer
    /// state, carried state and position; a plain model starts a fresh optimizer.
    pub fn load(bytes: &[u8], text: &str) -> Result<Self> {
        check_text(text)?;
        let loaded = io::load(bytes)?;
        check_text_model(&loaded.model.spec)?;
        let mut config = loaded
            .config
            .as_deref()
            .map(|q| Config::from_query(q).0)
            .unwrap_or_default();
        let spec = &loaded.model.spec;
        config.set_model(spec);
        if let Some(s) = &loaded.checkpoint {
            config.batch = s.state.batch(spec.hidden);
            config.lr = s.opt.lr;
            config.weight_decay = s.opt.weight_decay;
        }
        Self::with_model(config, loaded.model, text, loaded.checkpoint)
    }

    /// `model` continuing on `text`; when the model cannot read the text it loads anyway, idle,
    /// and `unknown` says what to do.
    fn with_model(
        config: Config,
        model: Model,
        text: &str,
        ckpt: Option<Snapshot>,
    ) -> Result<Self> {
        let Some((chars, count)) = Unknown::find(&model.spec.vocab, text) else {
            let session = TextSession::with_model(&config, model, text, VAL_FRACTION, ckpt)?;
            return Ok(Self::wrap(session, text));
        };
        let session = idle_session(&config, model.clone())?;
        let mut pg = Self::wrap(session, "");
        pg.unknown = Some(Box::new(Unknown {
            chars,
            count,
            text: text.to_string(),
            config,
            model,
            checkpoint: ckpt,
        }));
        Ok(pg)
    }

    /// Why training waits (the loaded model cannot read the text), if it does.
    pub fn unknown(&self) -> Option<(String, String)> {
        let u = self.unknown.as_ref()?;
        Some((u.chars.iter().collect(), u.message()))
    }

    /// Makes the text readable as `fix` says and trains on it with the loaded model (and its
    /// checkpoint). Nothing changes on an error.
    pub fn fix_unknown(&mut self, fix: Fix) -> Result<()> {
        let u = self
            .unknown
            .as_ref()
            .ok_or_else(|| Error::Data("the model reads this text already".into()))?;
        let text = u.fixed(fix, &u.model.spec.vocab)?;
        let (config, model, ckpt) = (u.config.clone(), u.model.clone(), u.checkpoint.clone());
        let session = TextSession::with_model(&config, model, &text, VAL_FRACTION, ckpt)?;
        *self = Self::wrap(session, &text);
        Ok(())
    }

    /// The same model on another text (with a fresh optimizer, or the loaded checkpoint's while
    /// it waited for a readable text); a text it cannot read leaves it idle as `load` does.
    pub fn retext(&self, text: &str) -> Result<Self> {
        check_text(text)?;
        let (config, model, ckpt) = match &self.unknown {
            Some(u) => (u.config.clone(), u.model.clone(), u.checkpoint.clone()),
            None => {
                let t = &self.session.trainer;
                (self.session.config.clone(), t.model.clone(), None)
            }
        };
        Self::with_model(config, model, text, ckpt)
    }

    fn wrap(session: TextSession, text: &str) -> Self {
        let train_chars = text.chars().count() - session.val_ids.len();
        let mut pg = Playground {
            session,
            history: History::default(),
            heat: None,
            diverged: false,
            budget: Budget::default(),
            ms_per_val_chunk: Ema::new(Ema::TIMING),
            val_job: None,
            sample_job: None,
            train_chars,
            unknown: None,
            inspect: None,
            sent_steps: None,
            mirror: None,
        };
        if let Some(v) = pg.session.val_loss(VAL_CHARS) {
            pg.history.push_val(pg.session.trainer.steps(), v);
        }
        pg
    }

    /// The model with its optimizer state, carried state, position and settings, as
    /// `.safetensors` bytes.
    pub fn save(&self) -> Result<Vec<u8>> {
        self.session.save()
    }

    /// One step (`diag`: with the states the heatmap shows). Every `VAL_EVERY` steps it
    /// queues the validation loss of the new model (a copy).
    fn step_once(&mut self, diag: bool) -> Result<StepStats> {
        let trainer = super::shards::Sharded::trainer_mut(self)?;
        trainer.diagnose = if diag { DIAGNOSE } else { Diagnose::Off };
        let res = self.session.step();
        self.stepped(res)
    }

    /// What follows a step (taken whole or a shard at a time): the heatmap's states back on, the
    /// history, and every `VAL_EVERY` steps the validation loss of the new model queued (a copy).
    fn stepped(&mut self, res: Result<StepStats>) -> Result<StepStats> {
        self.session.trainer.diagnose = DIAGNOSE;
        self.diverged = matches!(res, Err(Error::Diverged { .. }));
        let st = res?;
        self.history.push(st.step, st.loss);
        if st.step % VAL_EVERY == 0 {
            // Still measuring the previous one (over 100 steps in a few frames only happens at
            // the fixed high speeds): finish it first.
            self.finish_val();
            let m = &self.session.trainer.model;
            self.val_job = ValJob::new(m, st.step, &self.session.val_ids, VAL_CHARS);
        }
        Ok(st)
    }

    fn report(&self, st: &StepStats) -> StepReport {
        StepReport::new(st, self.history.smoothed())
    }

    /// Completes a pending validation now.
    fn finish_val(&mut self) {
        if let Some(job) = self.val_job.take() {
            let step = job.step;
            if let Some(v) = job.finish(&self.session.val_ids) {
                self.history.push_val(step, v);
            }
        }
    }

    /// Measures one chunk of a pending validation; records the loss after the last one.
    fn advance_val(&mut self, now: Clock) {
        let Some(job) = self.val_job.as_mut() else {
            return;
        };
        let t0 = now();
        match job.advance(&self.session.val_ids) {
            Ok(None) => {}
            Ok(Some(v)) => {
                self.history.push_val(job.step, v);
                self.val_job = None;
            }
            // As `TextSession::val_loss`: no figure when the model cannot run the text.
            Err(_) => self.val_job = None,
        }
        self.ms_per_val_chunk.push(now() - t0);
    }

    /// Mean loss on (the first 500 characters of) the held-out tail, now.
    pub fn val_loss(&self) -> Option<f64> {
        self.session.val_loss(VAL_CHARS)
    }

    /// Starts reading `text` with a copy of the model as it is now (see [`Inspect`]).
    pub fn inspect(&mut self, text: &str) -> Result<InspectText> {
        let (view, info) = Inspect::new(self.model(), text)?;
        self.inspect = Some(view);
        Ok(info)
    }

    /// Reads the inspected text again with the model as it is now.
    pub fn inspect_again(&mut self) -> Result<()> {
        let model = self.session.trainer.model.clone();
        self.inspector_mut()?.restart(&model)
    }

    /// The text being looked at.
    pub fn inspector(&self) -> Result<&Inspect> {
        self.inspect.as_ref().ok_or_else(no_inspection)
    }

    pub fn inspector_mut(&mut self) -> Result<&mut Inspect> {
        self.inspect.as_mut().ok_or_else(no_inspection)
    }

    /// The model as it is now.
    pub fn model(&self) -> &Model {
        &self.session.trainer.model
    }

    pub fn config(&self) -> &Config {
        &self.session.config
    }

    pub fn chars(&self) -> u64 {
        match &self.mirror {
            Some(m) => m.chars,
            None => self.session.trainer.chars(),
        }
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The vocabulary, in index order, as one string.
    pub fn vocab(&self) -> String {
        self.session.vocab.chars.iter().collect()
    }

    /// The model's shape and the text's sizes and baselines.
    pub fn info(&self) -> TextInfo {
        TextInfo {
            model: ModelInfo::of(&self.session.trainer.model),
            train_chars: self.train_chars as f64,
            val_chars: self.session.val_ids.len() as f64,
            uniform: self.session.uniform,
            unigram: self.session.unigram,
        }
    }

    /// Units × time of the latest window for `layer`: `which` is `h`, `c` (LSTM) or a gate.
    pub fn heatmap(&self, layer: usize, which: &str) -> Result<Heatmap> {
        let d = match self.mirror.as_ref().and_then(|m| m.diag.as_ref()) {
            Some(d) => d,
            None => self.session.trainer.diagnostics(),
        };
        heat::heatmap(&self.session, d, HeatChoice { layer, which })
    }

    /// What a copy of this playground lacks since the last call (see [`sync`]): the head, and
    /// the latest window's states when they changed since (else empty).
    pub fn sync_out(&mut self) -> (Vec<f64>, Vec<f32>) {
        let t = &self.session.trainer;
        let c = sync::Counters {
            steps: t.steps(),
            chars: t.chars(),
            diverged: self.diverged,
        };
        let head = sync::head(c, &mut self.history);
        let fresh = self.sent_steps != Some(c.steps);
        // Before the first step the diagnostics are empty: nothing to show yet.
        let states = if fresh && t.diagnostics().steps_t > 0 {
            sync::states(t.diagnostics())
        } else {
            Vec::new()
        };
        self.sent_steps = Some(c.steps);
        (head, states)
    }

    /// Every weight, in `Params::slices` order.
    pub fn weights(&self) -> Vec<f32> {
        crate::web::wire::weights(self.model())
    }

    /// Makes this playground show what `sync_out` (and `weights`, unless `weights` is empty) of
    /// the one it mirrors gave (the same settings and text). Nothing changes on an error.
    pub fn sync_in(&mut self, head: &[f64], states: &[f32], weights: &[f32]) -> Result<()> {
        let diag = match states {
            [] => None,
            s => Some(sync::read_states(s)?),
        };
        let model = &mut self.session.trainer.model;
        crate::web::wire::check_weights(model, weights)?;
        let c = sync::apply_head(&mut self.history, head)?;
        crate::web::wire::set_weights(model, weights)?;
        let old = self.mirror.take().and_then(|m| m.diag);
        self.mirror = Some(Mirror {
            steps: c.steps,
            chars: c.chars,
            diag: diag.or(old),
        });
        self.diverged = c.diverged;
        Ok(())
    }

    /// Remembers the heatmap as drawn, for `heatmap_at`.
    pub fn drawn(&mut self, heat: DrawnHeatmap) {
        self.heat = Some(heat);
    }

    /// The heatmap cell at `(x, y)` (the drawing's pixels) as last drawn.
    pub fn heatmap_at(&self, x: f64, y: f64) -> Option<HeatCell> {
        self.heat.as_ref().and_then(|h| h.at(x, y))
    }

    /// Generates `opts.len` characters after `prime` from a zero state, at once.
    pub fn sample(&self, prime: &str, opts: SampleOpts) -> Result<Sampled> {
        let out = sample::sample(&self.session.trainer.model, prime, opts)?;
        Ok(self.sampled(out.text, out.probs.last().map(Vec::as_slice)))
    }

    /// Starts a sample like `sample` (same result for the same model and seed) to be generated
    /// a few characters per frame from a copy of the model as it is now.
    pub fn start_sample(&mut self, prime: &str, opts: SampleOpts) -> Result<()> {
        self.sample_job = None;
        self.sample_job = Some(SampleJob::new(&self.session.trainer.model, prime, opts)?);
        Ok(())
    }

    /// Generates characters of the started sample for about `budget_ms` (at least one); the
    /// result once it is complete, `None` before that and when no sample was started.
    pub fn sample_for(&mut self, budget_ms: f64, now: Clock) -> Result<Option<Sampled>> {
        let Some(job) = self.sample_job.as_mut() else {
            return Ok(None);
        };
        let t0 = now();
        while !job.finished() {
            if let Err(e) = job.advance() {
                self.sample_job = None;
                return Err(e);
            }
            if now() - t0 >= budget_ms {
                break;
            }
        }
        if !job.finished() {
            return Ok(None);
        }
        let job = self.sample_job.take().expect("a sample job");
        Ok(Some(self.sampled(job.text, Some(&job.last_probs))))
    }

    /// Whether a started sample is still being generated.
    pub fn sampling(&self) -> bool {
        self.sample_job.is_some()
    }

    /// Drops the sample being generated, if any.
    pub fn cancel_sample(&mut self) {
        self.sample_job = None;
    }

    /// A generated text and the likeliest characters of its last step.
    fn sampled(&self, text: String, last_probs: Option<&[f32]>) -> Sampled {
        let chars = &self.session.vocab.chars;
        let top = last_probs
            .map(|p| {
                sample::top_k(p, TOP_BARS)
                    .into_iter()
                    .map(|(i, q)| (chars[i].to_string(), f64::from(q)))
                    .collect()
            })
            .unwrap_or_default();
        let picked = text.chars().last().map(String::from).unwrap_or_default();
        Sampled { text, picked, top }
    }
}

impl super::shards::Sharded for Playground {
    const DIAGNOSE: Diagnose = DIAGNOSE;

    fn trainer_mut(&mut self) -> Result<&mut crate::core::Trainer> {
        if let Some(u) = &self.unknown {
            return Err(Error::Data(u.message()));
        }
        Ok(&mut self.session.trainer)
    }

    fn trainer(&self) -> &crate::core::Trainer {
        &self.session.trainer
    }

    /// As `step` (a validation due is measured before it returns).
    fn finish(&mut self) -> Result<StepReport> {
        let res = self.session.trainer.finish_step();
        let st = self.stepped(res)?;
        self.finish_val();
        Ok(self.report(&st))
    }
}

impl Training for Playground {
    fn defaults() -> Config {
        Config::default()
    }

    /// Exactly one training step, with diagnostics. A validation loss due at this step is
    /// measured before it returns. A divergence is an error (see `diverged`, `rollback`).
    fn step(&mut self) -> Result<StepReport> {
        let st = self.step_once(true)?;
        self.finish_val();
        Ok(self.report(&st))
    }

    /// Steps until `max_steps` are done or another step would go past `budget_ms`, at least one;
    /// first it measures a pending validation loss for up to half the budget (one chunk at
    /// least). Diagnostics are collected for the final step only.
    fn train_for(&mut self, max_steps: u32, budget_ms: f64, now: Clock) -> Result<TrainReport> {
        let t0 = now();
        while self.val_job.is_some() {
            self.advance_val(now);
            if now() - t0 + self.ms_per_val_chunk.or(0.0) > VAL_SHARE * budget_ms {
                break;
            }
        }
        let val_ms = now() - t0;
        let mut budget = std::mem::take(&mut self.budget);
        let run = budget.run(max_steps, budget_ms - val_ms, now, |last| {
            self.step_once(last)
        });
        self.budget = budget;
        let (steps, last) = run?;
        Ok(TrainReport {
            steps,
            ms: now() - t0,
            val_ms,
            last: self.report(&last),
        })
    }

    /// Whether the latest step failed because training diverged.
    fn diverged(&self) -> bool {
        self.diverged
    }

    /// Goes back to the last good snapshot (taken every 50 steps); returns its step. The
    /// settings chosen since (e.g. a lower rate picked after the divergence) stay.
    fn rollback(&mut self) -> u64 {
        let step = self.session.trainer.rollback();
        // A validation queued for a step now undone is dropped; one of an earlier step stands.
        if self.val_job.as_ref().is_some_and(|j| j.step <= step) {
            self.finish_val();
        }
        self.val_job = None;
        apply_live(&self.session.config, &mut self.session.trainer);
        self.history.truncate(step);
        self.diverged = false;
        step
    }

    /// Steps taken; while training waits on unknown characters, those of the loaded checkpoint.
    fn steps(&self) -> u64 {
        match self.unknown.as_ref().and_then(|u| u.checkpoint.as_ref()) {
            Some(ckpt) => ckpt.step,
            None => self
                .mirror
                .as_ref()
                .map_or(self.session.trainer.steps(), |m| m.steps),
        }
    }

    /// The settings as a query for the URL hash.
    fn query(&self) -> String {
        self.session.config.to_query()
    }

    /// Applies a setting that keeps the model; returns the new query.
    fn set_live(&mut self, key: &str, value: &str) -> Result<String> {
        self.session.config.set_live(key, value)?;
        apply_live(&self.session.config, &mut self.session.trainer);
        Ok(self.query())
    }

    /// The loss chart: raw and smoothed train loss, validation loss and the two baselines.
    fn loss_chart(&self) -> LossChart {
        let h = &self.history;
        LossChart {
            train: h.train.clone(),
            train_smooth: h.smooth.clone(),
            val: h.val.clone(),
            baselines: vec![
                ("uniform ln V".into(), self.session.uniform),
                ("unigram entropy".into(), self.session.unigram),
            ],
            x_label: "training step".into(),
            y_label: "loss (nats/char)".into(),
        }
    }

    /// Every kept step's loss and smoothed loss, and the validation losses.
    fn history_csv(&self) -> String {
        super::csv::history(&self.history)
    }
}

fn no_inspection() -> Error {
    Error::Data("no text is being inspected: type or paste one and press Inspect".into())
}

#[cfg(test)]
mod tests;

/// Refuses a model of real values (the lab's numeric tasks): the playground reads text.
fn check_text_model(spec: &crate::core::ModelSpec) -> Result<()> {
    if spec.loss == crate::core::LossKind::Mse {
        return Err(Error::ModelFile(format!(
            "this model predicts real values (`loss` = mse, {} inputs, {} outputs), not \
             characters; the playground loads text models (`loss` = ce)",
            spec.input_size, spec.output_size
        )));
    }
    Ok(())
}
