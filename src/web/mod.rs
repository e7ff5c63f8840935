//! The browser facade: one [`Playground`] exported to JavaScript, wrapping a
//! [`TextSession`]. It converts values and errors at the edge and keeps what only the page
//! needs (the loss history, the heatmap layout, the clock); the math stays in the core.

pub mod bench;
mod draw;
mod history;
mod jobs;
pub(crate) mod js;
pub mod lab;

use crate::core::config::Config;
use crate::core::error::Error;
use crate::core::io;
use crate::core::optim::OptKind;
use crate::core::sample::{self, SampleOpts};
use crate::core::session::TextSession;
use crate::core::StepStats;
use draw::DrawnHeatmap;
use history::History;
use jobs::{SampleJob, ValJob};
use js::Obj;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Share of the text held out for the validation loss.
const VAL_FRACTION: f64 = 0.1;
/// Largest text the page trains on (bytes of UTF-8).
const MAX_TEXT_BYTES: usize = 10 * 1024 * 1024;
/// The validation loss is measured on at most this many held-out characters …
const VAL_CHARS: usize = 500;
/// … every this many steps, and when a model is created or loaded.
const VAL_EVERY: u64 = 100;
/// How many of the most likely next characters `sample` reports.
const TOP_BARS: usize = 10;
/// `trainFor` spends at most this share of its budget on a pending validation (at least one
/// chunk per call), the rest on training.
const VAL_SHARE: f64 = 0.5;
/// Settings that apply to the running model without discarding it.
const LIVE_KEYS: &[&str] = &["lr", "clip", "clip-mode", "weight-decay", "momentum"];

fn js_err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Parses `key=value&…` strictly: the first bad entry is an error naming it.
fn strict_config(query: &str) -> Result<Config, Error> {
    Config::from_query_strict(query)
}

fn check_text(text: &str) -> Result<(), Error> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::Data(format!(
            "the text is {:.1} MB; the playground trains on at most {} MB (use a shorter excerpt)",
            text.len() as f64 / 1048576.0,
            MAX_TEXT_BYTES >> 20
        )));
    }
    Ok(())
}

/// A model learning a text, stepped by the page.
#[wasm_bindgen]
pub struct Playground {
    session: TextSession,
    history: History,
    heat: Option<DrawnHeatmap>,
    diverged: bool,
    /// Average milliseconds per training step without and with diagnostics (for budgeting
    /// `train_for`).
    ms_per_step: f64,
    ms_per_diag_step: f64,
    /// Average milliseconds per chunk of the validation loss.
    ms_per_val_chunk: f64,
    /// The validation loss of a recent step, measured a chunk at a time by `train_for`.
    val_job: Option<ValJob>,
    /// A sample being generated a few characters per frame (`startSample`, `sampleFor`).
    sample_job: Option<SampleJob>,
    /// Characters of the text trained on (the rest is held out).
    train_chars: usize,
}

#[wasm_bindgen]
impl Playground {
    /// A fresh model for the settings `query` (`key=value&…`, as in the URL hash) on `text`.
    /// Any bad setting or unusable text is an error (use `parseQuery` first for lenient
    /// parsing).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, text: &str) -> Result<Playground, JsError> {
        console_error_panic_hook::set_once();
        check_text(text).map_err(js_err)?;
        let config = strict_config(query).map_err(js_err)?;
        let session = TextSession::new(&config, text, VAL_FRACTION).map_err(js_err)?;
        let mut pg = Self::wrap(session, text);
        pg.validate();
        Ok(pg)
    }

    fn wrap(session: TextSession, text: &str) -> Self {
        let train_chars = text.chars().count() - session.val_ids.len();
        Playground {
            session,
            history: History::default(),
            heat: None,
            diverged: false,
            ms_per_step: 0.0,
            ms_per_diag_step: 0.0,
            ms_per_val_chunk: 0.0,
            val_job: None,
            sample_job: None,
            train_chars,
        }
    }

    /// Lenient parsing of a URL hash: `{query, notices}` with the settings it could use (the
    /// defaults for the rest) and one plain-words notice per entry it skipped.
    #[wasm_bindgen(js_name = parseQuery)]
    pub fn parse_query(hash: &str) -> JsValue {
        console_error_panic_hook::set_once();
        let (c, notes) = Config::from_query(hash);
        Obj::new()
            .set("query", c.to_query())
            .set("notices", js::strings(&notes))
            .build()
    }

    /// The default settings as a query.
    #[wasm_bindgen(js_name = defaultQuery)]
    pub fn default_query() -> String {
        Config::default().to_query()
    }

    /// Largest text accepted, in bytes.
    #[wasm_bindgen(js_name = maxTextBytes)]
    pub fn max_text_bytes() -> usize {
        MAX_TEXT_BYTES
    }

    /// Whether changing setting `key` keeps the trained model (the others rebuild it).
    #[wasm_bindgen(js_name = isLiveSetting)]
    pub fn is_live_setting(key: &str) -> bool {
        LIVE_KEYS.contains(&key)
    }

    /// Reads a model file or checkpoint and continues on `text`. A checkpoint resumes
    /// optimizer state, carried state and position; a plain model (e.g. written by PyTorch in
    /// rnnlab's layout) starts a fresh optimizer. On error nothing changes for the caller.
    pub fn load(bytes: &[u8], text: &str) -> Result<Playground, JsError> {
        console_error_panic_hook::set_once();
        check_text(text).map_err(js_err)?;
        let loaded = io::load(bytes).map_err(js_err)?;
        let mut config = loaded
            .config
            .as_deref()
            .map(|q| Config::from_query(q).0)
            .unwrap_or_default();
        let spec = &loaded.model.spec;
        config.set_cell(spec.cell);
        config.hidden = spec.hidden;
        config.layers = spec.layers;
        config.embed = spec.embed;
        if let Some(s) = &loaded.checkpoint {
            config.batch = s.state.batch(spec.hidden);
            config.lr = s.opt.lr;
            config.weight_decay = s.opt.weight_decay;
        }
        let session =
            TextSession::with_model(&config, loaded.model, text, VAL_FRACTION, loaded.checkpoint)
                .map_err(js_err)?;
        let mut pg = Self::wrap(session, text);
        pg.validate();
        Ok(pg)
    }

    /// The model, optimizer state, carried state, position and settings as `.safetensors`
    /// bytes.
    pub fn save(&self) -> Result<Vec<u8>, JsError> {
        let snap = self.session.trainer.snapshot();
        io::save(
            &self.session.trainer.model,
            Some((&snap, &self.session.config.to_query())),
        )
        .map_err(js_err)
    }

    /// One step. Every `VAL_EVERY` steps it queues the validation loss of the new model (a
    /// copy), which `train_for` measures a chunk at a time and `step` at once.
    fn step_once(&mut self) -> Result<StepStats, Error> {
        match self.session.step() {
            Ok(st) => {
                self.diverged = false;
                self.history.push(st.step, st.loss);
                if st.step % VAL_EVERY == 0 {
                    // Still measuring the previous one (over 100 steps in a few frames only
                    // happens at the fixed high speeds): finish it first.
                    self.finish_val();
                    self.val_job = ValJob::new(
                        &self.session.trainer.model,
                        st.step,
                        &self.session.val_ids,
                        VAL_CHARS,
                    );
                }
                Ok(st)
            }
            Err(e) => {
                self.diverged = matches!(e, Error::Diverged { .. });
                Err(e)
            }
        }
    }

    fn validate(&mut self) {
        if let Some(v) = self.session.val_loss(VAL_CHARS) {
            self.history.push_val(self.session.trainer.steps(), v);
        }
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
    fn advance_val(&mut self) {
        let Some(job) = self.val_job.as_mut() else {
            return;
        };
        let t0 = js::now_ms();
        match job.advance(&self.session.val_ids) {
            Ok(None) => {}
            Ok(Some(v)) => {
                self.history.push_val(job.step, v);
                self.val_job = None;
            }
            // As `TextSession::val_loss`: no figure when the model cannot run the text.
            Err(_) => self.val_job = None,
        }
        let dt = js::now_ms() - t0;
        self.ms_per_val_chunk = if self.ms_per_val_chunk == 0.0 {
            dt
        } else {
            0.9 * self.ms_per_val_chunk + 0.1 * dt
        };
    }

    /// Exactly one training step; returns `{step, loss, gradNorm, clipped, chars, reset,
    /// smooth}`. A divergence is an error (see `diverged` and `rollback`). A validation loss due
    /// at this step is measured before it returns.
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        self.session.trainer.diagnostics_enabled = true;
        let st = self.step_once().map_err(js_err)?;
        self.finish_val();
        Ok(js::stats(&st, self.history.smoothed()))
    }

    /// Steps until `max_steps` are done or another step would go past `budget_ms` of wall
    /// time, at least one. Returns `{steps, ms, valMs, last}`: `ms` is all the time spent,
    /// `valMs` the part of it spent on a pending validation loss (one chunk per call at least,
    /// more while within half the budget), `last` the stats of the final step. Diagnostics (the
    /// heatmap) are collected for the final step only, and their extra cost is budgeted.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, max_steps: u32, budget_ms: f64) -> Result<JsValue, JsError> {
        let t0 = js::now_ms();
        while self.val_job.is_some() {
            self.advance_val();
            if js::now_ms() - t0 + self.ms_per_val_chunk > VAL_SHARE * budget_ms {
                break;
            }
        }
        let val_ms = js::now_ms() - t0;
        let mut n = 0u32;
        let last = loop {
            // Plain steps while one more and the final step (with diagnostics, which costs
            // more) still fit in the budget; then the final one.
            let spent = js::now_ms() - t0;
            let diag_ms = if self.ms_per_diag_step > 0.0 {
                self.ms_per_diag_step
            } else {
                self.ms_per_step
            };
            let final_step = n + 1 >= max_steps || spent + self.ms_per_step + diag_ms > budget_ms;
            self.session.trainer.diagnostics_enabled = final_step;
            let t1 = js::now_ms();
            let st = self.step_once();
            self.session.trainer.diagnostics_enabled = true;
            let st = st.map_err(js_err)?;
            let dt = js::now_ms() - t1;
            let avg = if final_step {
                &mut self.ms_per_diag_step
            } else {
                &mut self.ms_per_step
            };
            *avg = if *avg == 0.0 {
                dt
            } else {
                0.9 * *avg + 0.1 * dt
            };
            n += 1;
            if final_step {
                break st;
            }
        };
        let last = js::stats(&last, self.history.smoothed());
        Ok(Obj::new()
            .set("steps", n)
            .set("ms", js::now_ms() - t0)
            .set("valMs", val_ms)
            .set("last", last)
            .build())
    }

    /// Whether the latest step failed because training diverged.
    pub fn diverged(&self) -> bool {
        self.diverged
    }

    /// Goes back to the last good snapshot (taken every 50 steps); returns its step.
    pub fn rollback(&mut self) -> f64 {
        let step = self.session.trainer.rollback();
        // A validation queued for a step that is now undone is dropped; one of an earlier step
        // still stands.
        if self.val_job.as_ref().is_some_and(|j| j.step <= step) {
            self.finish_val();
        }
        self.val_job = None;
        // The snapshot brings back its optimizer, learning rate included: keep the settings
        // chosen since (e.g. a lower rate picked after the divergence).
        self.apply_live();
        self.history.truncate(step);
        self.diverged = false;
        step as f64
    }

    /// Applies a setting that keeps the model (`isLiveSetting`); returns the new query.
    #[wasm_bindgen(js_name = setLive)]
    pub fn set_live(&mut self, key: &str, value: &str) -> Result<String, JsError> {
        if !LIVE_KEYS.contains(&key) {
            return Err(JsError::new(&format!(
                "setting `{key}` changes the model: start a new one instead"
            )));
        }
        self.session.config.set(key, value).map_err(js_err)?;
        self.apply_live();
        Ok(self.query())
    }

    /// Copies the live settings from the config into the trainer.
    fn apply_live(&mut self) {
        let (c, t) = (&self.session.config, &mut self.session.trainer);
        t.opt.lr = c.lr;
        t.opt.weight_decay = c.weight_decay;
        t.clip = c.clip_rule();
        if let OptKind::Sgd { momentum } = &mut t.opt.kind {
            *momentum = c.momentum;
        }
    }

    /// Mean loss on (the first 500 characters of) the held-out tail, now; `undefined` when
    /// the tail is too short.
    #[wasm_bindgen(js_name = valLoss)]
    pub fn val_loss(&self) -> Option<f64> {
        self.session.val_loss(VAL_CHARS)
    }

    /// The settings as a query for the URL hash.
    pub fn query(&self) -> String {
        self.session.config.to_query()
    }

    /// Steps done.
    pub fn steps(&self) -> f64 {
        self.session.trainer.steps() as f64
    }

    /// Characters trained on.
    pub fn chars(&self) -> f64 {
        self.session.trainer.chars() as f64
    }

    /// Smoothed training loss (NaN before the first step).
    #[wasm_bindgen(js_name = smoothLoss)]
    pub fn smooth_loss(&self) -> f64 {
        self.history.smoothed()
    }

    /// The latest raw training loss (NaN before the first step).
    #[wasm_bindgen(js_name = lastLoss)]
    pub fn last_loss(&self) -> f64 {
        self.history.train.last().map_or(f64::NAN, |p| p.1)
    }

    /// The latest validation loss (NaN before the first measurement).
    #[wasm_bindgen(js_name = lastValLoss)]
    pub fn last_val_loss(&self) -> f64 {
        self.history.val.last().map_or(f64::NAN, |p| p.1)
    }

    /// Reference losses: `ln V` (uniform guess) and the unigram entropy, nats/char.
    pub fn baselines(&self) -> JsValue {
        Obj::new()
            .set("uniform", self.session.uniform)
            .set("unigram", self.session.unigram)
            .build()
    }

    /// The vocabulary, in index order, as one string.
    pub fn vocab(&self) -> String {
        self.session.vocab.chars.iter().collect()
    }

    /// `{cell, nonlinearity, layers, hidden, gates, trainChars, valChars, params}`.
    pub fn info(&self) -> JsValue {
        let m = &self.session.trainer.model;
        let gates: Vec<String> = m
            .spec
            .cell
            .cell()
            .gate_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        let params: usize = m.params.slices().iter().map(|s| s.len()).sum();
        Obj::new()
            .set("cell", m.spec.cell.name())
            .set("nonlinearity", m.spec.cell.nonlinearity())
            .set("layers", m.spec.layers as u32)
            .set("hidden", m.spec.hidden as u32)
            .set("gates", js::strings(&gates))
            .set("trainChars", self.train_chars as f64)
            .set("valChars", self.session.val_ids.len() as f64)
            .set("params", params as f64)
            .build()
    }

    /// Draws the loss chart on `canvas` (sized by its `width`/`height` attributes).
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        draw::loss(canvas, &self.session, &self.history).map_err(js_err)
    }

    /// Draws units × time of the latest window for `layer` (0-based): `which` is `h`, `c`
    /// (LSTM) or a gate (`i`,`f`,`g`,`o` for LSTM; `r`,`z`,`n` for GRU).
    #[wasm_bindgen(js_name = drawHeatmap)]
    pub fn draw_heatmap(
        &mut self,
        canvas: &HtmlCanvasElement,
        layer: usize,
        which: &str,
    ) -> Result<(), JsError> {
        self.heat = Some(draw::heatmap(canvas, &self.session, layer, which).map_err(js_err)?);
        Ok(())
    }

    /// The heatmap cell at canvas pixel `(x, y)` as last drawn: `{unit, t, char, value}`, or
    /// `null` outside the cells.
    #[wasm_bindgen(js_name = heatmapAt)]
    pub fn heatmap_at(&self, x: f64, y: f64) -> JsValue {
        match self.heat.as_ref().and_then(|h| h.at(x, y)) {
            Some(c) => Obj::new()
                .set("unit", c.unit as u32)
                .set("t", c.t as u32)
                .set("char", c.ch.map(|c| c.to_string()).unwrap_or_default())
                .set("value", f64::from(c.value))
                .build(),
            None => JsValue::NULL,
        }
    }

    /// Generates `len` characters after `prime` (from a zero state). `top_k` limits sampling
    /// to the k likeliest characters (0 = all). Returns `{text, picked, top}` where `top` is
    /// `[[char, p], …]`: the ten likeliest characters at the last step, and `picked` the one
    /// drawn there.
    pub fn sample(
        &self,
        prime: &str,
        len: usize,
        temperature: f32,
        greedy: bool,
        top_k: usize,
        seed: f64,
    ) -> Result<JsValue, JsError> {
        let opts = sample_opts(len, temperature, greedy, top_k, seed);
        let out = sample::sample(&self.session.trainer.model, prime, opts).map_err(js_err)?;
        Ok(self.sampled(out.text, out.probs.last().map(Vec::as_slice)))
    }

    /// Starts a sample like `sample` (same arguments, same result for the same model and
    /// seed) to be generated a few characters per frame by `sampleFor`, from a copy of the
    /// model as it is now. Replaces a sample still being generated.
    #[wasm_bindgen(js_name = startSample)]
    pub fn start_sample(
        &mut self,
        prime: &str,
        len: usize,
        temperature: f32,
        greedy: bool,
        top_k: usize,
        seed: f64,
    ) -> Result<(), JsError> {
        self.sample_job = None;
        let opts = sample_opts(len, temperature, greedy, top_k, seed);
        self.sample_job =
            Some(SampleJob::new(&self.session.trainer.model, prime, opts).map_err(js_err)?);
        Ok(())
    }

    /// Generates characters of the started sample for about `budget_ms` (at least one); returns
    /// `{text, picked, top}` as `sample` does once it is complete, `null` before that and when
    /// no sample was started.
    #[wasm_bindgen(js_name = sampleFor)]
    pub fn sample_for(&mut self, budget_ms: f64) -> Result<JsValue, JsError> {
        let Some(job) = self.sample_job.as_mut() else {
            return Ok(JsValue::NULL);
        };
        let t0 = js::now_ms();
        while !job.finished() {
            if let Err(e) = job.advance() {
                self.sample_job = None;
                return Err(js_err(e));
            }
            if js::now_ms() - t0 >= budget_ms {
                break;
            }
        }
        if !job.finished() {
            return Ok(JsValue::NULL);
        }
        let job = self.sample_job.take().expect("a sample job");
        Ok(self.sampled(job.text, Some(&job.last_probs)))
    }

    /// Whether a sample started by `startSample` is still being generated.
    pub fn sampling(&self) -> bool {
        self.sample_job.is_some()
    }

    /// Drops the sample being generated, if any.
    #[wasm_bindgen(js_name = cancelSample)]
    pub fn cancel_sample(&mut self) {
        self.sample_job = None;
    }
}

impl Playground {
    /// `{text, picked, top}` for a generated text and the distribution of its last character.
    fn sampled(&self, text: String, last_probs: Option<&[f32]>) -> JsValue {
        let chars = &self.session.vocab.chars;
        let top: Vec<(char, f32)> = last_probs
            .map(|p| {
                sample::top_k(p, TOP_BARS)
                    .into_iter()
                    .map(|(i, q)| (chars[i], q))
                    .collect()
            })
            .unwrap_or_default();
        let picked = text.chars().last().map(String::from).unwrap_or_default();
        Obj::new()
            .set("text", text)
            .set("picked", picked)
            .set("top", js::pairs(&top))
            .build()
    }
}

/// The sampling options of `sample` and `startSample` (at least one character; the seed as
/// JavaScript passes it).
fn sample_opts(len: usize, temperature: f32, greedy: bool, top_k: usize, seed: f64) -> SampleOpts {
    SampleOpts {
        len: len.max(1),
        temperature,
        greedy,
        top_k,
        seed: seed as u64,
    }
}
