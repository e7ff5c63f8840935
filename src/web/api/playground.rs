//! The playground's classes: a model learning a text (with the inspector), and the trainer the
//! benchmark page times.

use super::*;
use crate::core::neurons::Feature;
use crate::core::sample::SampleOpts;
use crate::render;
use crate::web::inspect::{FeatureOf, Inspect};
use crate::web::playground::{self, DrawnHeatmap};
use crate::web::types::{
    InspectPoint, InspectProgress, InspectText, Sampled, StepColumns, TextInfo, UnitScore,
    UnknownChars,
};
use crate::web::{bench, MAX_TEXT_BYTES};

/// A value as its typed plain object, or `null` (the return type names it in the listing).
fn ts_or_null<T: Tsify + serde::Serialize>(v: Option<T>) -> Js<JsValue> {
    v.map_or(Ok(JsValue::NULL), |v| ts(v).map(|t| t.js_value()))
}

fn sample_opts(len: usize, temperature: f32, greedy: bool, top_k: usize, seed: f64) -> SampleOpts {
    SampleOpts {
        len: len.max(1),
        temperature,
        greedy,
        top_k,
        seed: seed as u64,
    }
}

/// A model learning a text, stepped by the playground.
#[wasm_bindgen]
pub struct Playground(playground::Playground);
training_api!(Playground, playground::Playground);
sharded_api!(Playground);
sync_api!(Playground);

#[wasm_bindgen]
impl Playground {
    /// A fresh model for the settings `query` (`key=value&…`) on `text`; a bad setting throws.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, text: &str) -> Js<Playground> {
        build(playground::Playground::new(query, text), Playground)
    }

    /// Reads a model file or checkpoint and continues on `text`; a bad file throws, naming why.
    pub fn load(bytes: &[u8], text: &str) -> Js<Playground> {
        build(playground::Playground::load(bytes, text), Playground)
    }

    /// Largest text accepted, in bytes.
    #[wasm_bindgen(js_name = maxTextBytes)]
    pub fn max_text_bytes() -> usize {
        MAX_TEXT_BYTES
    }

    /// The model, optimizer state, position and settings as `.safetensors` bytes.
    pub fn save(&self) -> Js<Vec<u8>> {
        self.0.save().map_err(err)
    }

    /// Mean loss on the held-out tail, now (`undefined` when the tail is too short).
    #[wasm_bindgen(js_name = valLoss)]
    pub fn val_loss(&self) -> Option<f64> {
        self.0.val_loss()
    }

    /// Characters trained on.
    pub fn chars(&self) -> f64 {
        self.0.chars() as f64
    }

    /// Smoothed training loss (NaN before the first step).
    #[wasm_bindgen(js_name = smoothLoss)]
    pub fn smooth_loss(&self) -> f64 {
        self.0.history().smoothed()
    }

    /// The latest raw training loss (NaN before the first step).
    #[wasm_bindgen(js_name = lastLoss)]
    pub fn last_loss(&self) -> f64 {
        self.0.history().train.last().map_or(f64::NAN, |p| p.1)
    }

    /// The latest validation loss (NaN before the first measurement).
    #[wasm_bindgen(js_name = lastValLoss)]
    pub fn last_val_loss(&self) -> f64 {
        self.0.history().val.last().map_or(f64::NAN, |p| p.1)
    }

    /// The vocabulary, in index order, as one string.
    pub fn vocab(&self) -> String {
        self.0.vocab()
    }

    /// The model's shape, the text's sizes and the baseline losses.
    pub fn info(&self) -> Js<Ts<TextInfo>> {
        ts(self.0.info())
    }

    /// Draws units × time of the latest window: `which` is `h`, `c` (LSTM) or a gate name.
    #[wasm_bindgen(js_name = drawHeatmap)]
    pub fn draw_heatmap(
        &mut self,
        canvas: &HtmlCanvasElement,
        layer: usize,
        which: &str,
    ) -> Js<()> {
        let map = self.0.heatmap(layer, which).map_err(err)?;
        let layout = canvas::draw_cells(canvas, &map).map_err(err)?;
        self.0.drawn(DrawnHeatmap::new(&map, layout));
        Ok(())
    }

    /// The heatmap cell at CSS pixel `(x, y)` of its canvas as last drawn, or `null`.
    #[wasm_bindgen(js_name = heatmapAt, unchecked_return_type = "HeatCell | null")]
    pub fn heatmap_at(&self, x: f64, y: f64) -> Js<JsValue> {
        ts_or_null(self.0.heatmap_at(x, y))
    }

    /// `len` characters after `prime` from a zero state (`top_k` 0 = all), at once.
    pub fn sample(
        &self,
        prime: &str,
        len: usize,
        temperature: f32,
        greedy: bool,
        top_k: usize,
        seed: f64,
    ) -> Js<Ts<Sampled>> {
        let opts = sample_opts(len, temperature, greedy, top_k, seed);
        ts(self.0.sample(prime, opts).map_err(err)?)
    }

    /// Starts the same sample, to be generated a slice per frame by `sampleFor`.
    #[wasm_bindgen(js_name = startSample)]
    pub fn start_sample(
        &mut self,
        prime: &str,
        len: usize,
        temperature: f32,
        greedy: bool,
        top_k: usize,
        seed: f64,
    ) -> Js<()> {
        let opts = sample_opts(len, temperature, greedy, top_k, seed);
        self.0.start_sample(prime, opts).map_err(err)
    }

    /// Generates for about `budget_ms` (one character at least); the sample once complete,
    /// `null` before (and when none was started).
    #[wasm_bindgen(js_name = sampleFor, unchecked_return_type = "Sampled | null")]
    pub fn sample_for(&mut self, budget_ms: f64) -> Js<JsValue> {
        ts_or_null(self.0.sample_for(budget_ms, &now).map_err(err)?)
    }

    /// Whether a started sample is still being generated.
    pub fn sampling(&self) -> bool {
        self.0.sampling()
    }

    /// Drops the sample being generated, if any.
    #[wasm_bindgen(js_name = cancelSample)]
    pub fn cancel_sample(&mut self) {
        self.0.cancel_sample()
    }

    /// Why training waits (a loaded model does not know some characters of the text), or `null`.
    #[wasm_bindgen(unchecked_return_type = "UnknownChars | null")]
    pub fn unknown(&self) -> Js<JsValue> {
        let unknown = self
            .0
            .unknown()
            .map(|(chars, message)| UnknownChars { chars, message });
        ts_or_null(unknown)
    }

    /// Makes the text readable for the loaded model: `map_to` "" drops the unknown characters,
    /// one character writes it for each of them.
    #[wasm_bindgen(js_name = fixUnknown)]
    pub fn fix_unknown(&mut self, map_to: &str) -> Js<()> {
        let fix = match map_to.chars().next() {
            None => playground::Fix::Drop,
            Some(c) => playground::Fix::Map(c),
        };
        self.0.fix_unknown(fix).map_err(err)
    }

    /// The same model on another text (a fresh optimizer), idle if it cannot read the text.
    pub fn retext(&self, text: &str) -> Js<Playground> {
        build(self.0.retext(text), Playground)
    }

    /// The features of a text the units can be ranked by, by name.
    pub fn features() -> Vec<String> {
        Feature::NAMES.iter().map(|s| s.to_string()).collect()
    }

    /// Starts reading `text` (the characters the model knows, 20,000 at most) with a copy of the
    /// model as it is now.
    pub fn inspect(&mut self, text: &str) -> Js<Ts<InspectText>> {
        ts(self.0.inspect(text).map_err(err)?)
    }

    /// Reads the inspected text for about `budget_ms` (a slice at least).
    #[wasm_bindgen(js_name = inspectFor)]
    pub fn inspect_for(&mut self, budget_ms: f64) -> Js<Ts<InspectProgress>> {
        let view = self.0.inspector_mut().map_err(err)?;
        let done = view.advance(budget_ms, &now).map_err(err)?;
        let (read, of) = view.progress().unwrap_or((0, 0));
        ts(InspectProgress {
            done,
            read: read as u32,
            of: of as u32,
        })
    }

    /// Reads the inspected text again with the model as it is now (while it trains).
    #[wasm_bindgen(js_name = inspectAgain)]
    pub fn inspect_again(&mut self) -> Js<()> {
        self.0.inspect_again().map_err(err)
    }

    /// Every inspected character's surprise (`−log p` given the ones before; NaN for the first).
    pub fn surprise(&self) -> Js<Vec<f32>> {
        Ok(self.inspector()?.surprise().map_err(err)?.0)
    }

    /// Inspected character `t`: its surprise and the likeliest characters after it.
    #[wasm_bindgen(js_name = inspectPoint)]
    pub fn inspect_point(&self, t: usize) -> Js<Ts<InspectPoint>> {
        ts(self.inspector()?.point(t).map_err(err)?)
    }

    /// The columns of step `t` of `layer` of the inspected text.
    #[wasm_bindgen(js_name = inspectColumns)]
    pub fn inspect_columns(&self, layer: usize, t: usize) -> Js<Ts<StepColumns>> {
        ts(self.inspector()?.columns(layer, t).map_err(err)?)
    }

    /// The cell's equations for `unit` at step `t` of `layer` of the inspected text.
    #[wasm_bindgen(js_name = inspectEquations)]
    pub fn inspect_equations(&self, layer: usize, t: usize, unit: usize) -> Js<Vec<String>> {
        self.inspector()?.equations(layer, t, unit).map_err(err)
    }

    /// One unit's value at every inspected character: `which` is `h`, `c` or a gate's name.
    #[wasm_bindgen(js_name = unitValues)]
    pub fn unit_values(&self, layer: usize, which: &str, unit: usize) -> Js<Vec<f32>> {
        Ok(self.inspector()?.unit(layer, which, unit).map_err(err)?.0)
    }

    /// The units whose h follows the feature called `name` most closely (|Pearson r|).
    #[wasm_bindgen(js_name = rankUnits)]
    pub fn rank_units(&self, name: &str) -> Js<Vec<Ts<UnitScore>>> {
        let scores = self
            .inspector()?
            .rank(FeatureOf::Named(name))
            .map_err(err)?;
        scores.into_iter().map(ts).collect()
    }

    /// The same for a feature given as one value per inspected character (a regular expression's
    /// matches, a brushed span).
    #[wasm_bindgen(js_name = rankUnitsBy)]
    pub fn rank_units_by(&self, values: &[f32]) -> Js<Vec<Ts<UnitScore>>> {
        let scores = self
            .inspector()?
            .rank(FeatureOf::Values(values))
            .map_err(err)?;
        scores.into_iter().map(ts).collect()
    }

    /// What the prediction after inspected character `t` looked at, per earlier character.
    pub fn saliency(&self, t: usize) -> Js<Vec<f32>> {
        Ok(self.inspector()?.saliency(t).map_err(err)?.0)
    }

    /// Draws the saliency of position `t` against distance.
    #[wasm_bindgen(js_name = drawSaliency)]
    pub fn draw_saliency(&self, canvas: &HtmlCanvasElement, t: usize) -> Js<()> {
        let chart = self.inspector()?.saliency_chart(t).map_err(err)?;
        paint!(canvas, chart, render::draw_line_chart)
    }

    /// Draws the hidden state's path over the inspected text, character `t` ringed.
    #[wasm_bindgen(js_name = drawTrajectory)]
    pub fn draw_trajectory(&mut self, canvas: &HtmlCanvasElement, t: Option<u32>) -> Js<()> {
        let view = self.0.inspector_mut().map_err(err)?;
        let chart = view.trajectory(t.map(|t| t as usize)).map_err(err)?;
        paint!(canvas, chart, render::draw_trajectory)
    }

    fn inspector(&self) -> Js<&Inspect> {
        self.0.inspector().map_err(err)
    }
}

/// A trainer the benchmark page times.
#[wasm_bindgen]
pub struct Bench(bench::Bench);
sharded_api!(Bench);

#[wasm_bindgen]
impl Bench {
    /// Adam on random data over 65 symbols with `cell` (rnn, lstm, gru), `hidden` units, `seq_len`
    /// windows and `batch` streams, as the native bench builds it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        cell: &str,
        hidden: usize,
        seq_len: usize,
        batch: usize,
        diagnostics: bool,
    ) -> Js<Bench> {
        let shape = bench::Shape {
            cell,
            hidden,
            seq_len,
            batch,
        };
        build(bench::Bench::new(shape, diagnostics), Bench)
    }

    /// `warmup` untimed steps, then ms/step of each of `samples` groups of `group` steps.
    pub fn run(&mut self, warmup: u32, samples: u32, group: u32) -> Js<Vec<f64>> {
        self.0.run(warmup, samples, group, &now).map_err(err)
    }

    /// Steps for about `budget_ms` (one at least); returns the steps done.
    #[wasm_bindgen(js_name = runFor)]
    pub fn run_for(&mut self, budget_ms: f64) -> Js<u32> {
        self.0.run_for(budget_ms, &now).map_err(err)
    }

    /// Nominal floating-point operations of one step.
    pub fn flops(&self) -> f64 {
        self.0.flops()
    }

    /// Characters trained on per step (`T·B`).
    #[wasm_bindgen(js_name = charsPerStep)]
    pub fn chars_per_step(&self) -> f64 {
        self.0.chars_per_step()
    }

    /// Steps done so far.
    pub fn steps(&self) -> f64 {
        self.0.steps() as f64
    }

    /// Vocabulary size of the benchmark data.
    pub fn vocab() -> usize {
        bench::VOCAB
    }
}

/// A gradient worker's copy of a model: runs the shards of another's steps.
#[wasm_bindgen]
pub struct ShardWorker(crate::core::replica::Replica);

#[wasm_bindgen]
impl ShardWorker {
    /// A copy of the model in `model` (`replicaModel()`'s bytes); a bad file throws.
    #[wasm_bindgen(constructor)]
    pub fn new(model: &[u8]) -> Js<ShardWorker> {
        let loaded = crate::core::io::load(model).map(|l| l.model);
        build(loaded.map(crate::core::replica::Replica::new), ShardWorker)
    }

    /// Runs a shard's `task` (`beginStep()`'s) with `weights` (`weightsInto`'s, copied straight
    /// into the model); returns the length of its result, which `resultInto` copies out.
    pub fn run(&mut self, weights: &js_sys::Float32Array, task: &[u32]) -> Js<usize> {
        self.0
            .check_weights(weights.length() as usize)
            .map_err(err)?;
        let mut tensors = self.0.weights_mut();
        let views = parts(weights, tensors.iter().map(|s| s.len()));
        for (s, part) in tensors.iter_mut().zip(views) {
            part.copy_to(s);
        }
        self.0.run_task(task).map(<[u32]>::len).map_err(err)
    }

    /// Copies the latest result (for `putShard`) into the start of `out`: buffers passed
    /// between the workers step after step, instead of a new one each time.
    #[wasm_bindgen(js_name = resultInto)]
    pub fn result_into(&self, out: &js_sys::Uint32Array) -> Js<()> {
        let r = self.0.result();
        if (out.length() as usize) < r.len() {
            return Err(JsError::new(
                "a gradient worker's result buffer is too small",
            ));
        }
        out.subarray(0, r.len() as u32).copy_from(r);
        Ok(())
    }
}
