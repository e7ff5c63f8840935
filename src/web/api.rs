//! Everything JavaScript may call, in one place: six classes and three functions, each with one
//! line of doc. Values cross as typed plain objects (`src/web/types.rs`, listed with their fields
//! in `src/web/api.d.ts`), errors as `Error`s with the core's message, and a panic is logged
//! rather than killing the page silently. The logic lives in the native modules beside this one.

use super::inspect::{FeatureOf, Inspect};
use super::lab::{self, latch, race, sweep};
use super::playground::{self, DrawnHeatmap};
use super::series;
use super::types::{
    ForecastScores, InspectPoint, InspectProgress, InspectText, LabInfo, Lane, Latch, Palette,
    ParsedQuery, RaceReport, Readouts, Sampled, SeriesInfo, SettingInfo, StepColumns, StepReport,
    SweepProgress, SweepResult, TextInfo, TextRun, TrainReport, UnitScore, UnknownChars,
};
use super::Training;
use super::{bench, canvas, csv, page, MAX_TEXT_BYTES};
use crate::core::config::Config;
use crate::core::model::CellType;
use crate::core::neurons::Feature;
use crate::core::sample::SampleOpts;
use crate::render;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

type Js<T> = Result<T, JsError>;

/// A core error (or a failed conversion) as a JS `Error` with its message.
fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A value as its typed plain object.
fn ts<T: Tsify + serde::Serialize>(v: T) -> Js<Ts<T>> {
    v.into_ts().map_err(err)
}

/// A value as its typed plain object, or `null` (the return type names it in the listing).
fn ts_or_null<T: Tsify + serde::Serialize>(v: Option<T>) -> Js<JsValue> {
    v.map_or(Ok(JsValue::NULL), |v| ts(v).map(|t| t.js_value()))
}

/// Draws `chart` with `$draw` (a renderer of `src/render`) on the whole canvas (or into its SVG
/// capture).
macro_rules! paint {
    ($canvas:expr, $chart:expr, $draw:path) => {{
        let chart = $chart;
        canvas::draw($canvas, &mut |a| $draw(a, &chart)).map_err(err)
    }};
}

/// `performance.now()`, the clock of every frame budget.
fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Logs Rust panics to the console instead of an opaque `unreachable` (once per page).
fn hook() {
    console_error_panic_hook::set_once();
}

/// A class's constructor: the panic hook set, the native value wrapped, an error thrown.
fn build<T, C>(made: crate::core::Result<T>, class: fn(T) -> C) -> Js<C> {
    hook();
    made.map(class).map_err(err)
}

/// The settings table for the page's controls, each with whether it applies under `query`.
#[wasm_bindgen(js_name = settingsTable)]
pub fn settings_table(query: &str) -> Js<Vec<Ts<SettingInfo>>> {
    hook();
    let (config, _) = Config::from_query(query);
    page::settings_table(&config).into_iter().map(ts).collect()
}

/// The colours of every chart, for what the page draws itself.
#[wasm_bindgen]
pub fn palette() -> Js<Ts<Palette>> {
    ts(page::palette())
}

/// Calls `draw(canvas)` with its chart drawn into an SVG document instead: the SVG, or `null`.
#[wasm_bindgen(js_name = captureSvg, unchecked_return_type = "string | null")]
pub fn capture_svg(
    canvas: &HtmlCanvasElement,
    draw: &js_sys::Function,
) -> Result<JsValue, JsValue> {
    let (svg, called) = canvas::capture_svg(canvas, || draw.call1(&JsValue::NULL, canvas));
    called?;
    Ok(svg.map_or(JsValue::NULL, |s| JsValue::from_str(&s)))
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

/// Methods that draw one chart of the model on a canvas, as a table: the JS name, the Rust
/// name, the chart (a method of the model) and the renderer of `src/render` that draws it.
macro_rules! draw_methods {
    ($($name:ident $js:literal $method:ident: $chart:ident by $draw:path, $doc:literal;)+) => {$(
        #[wasm_bindgen]
        impl $name {
            #[doc = $doc]
            #[wasm_bindgen(js_name = $js)]
            pub fn $method(&self, canvas: &HtmlCanvasElement) -> Js<()> {
                paint!(canvas, self.0.$chart(), $draw)
            }
        }
    )+};
}

/// The methods `Playground` and `Lab` share, declared once for both.
macro_rules! training_api {
    ($name:ident, $inner:ty) => {
        #[wasm_bindgen]
        impl $name {
            /// Reads a URL hash leniently over the page's defaults: the usable settings and a
            /// notice per entry skipped.
            #[wasm_bindgen(js_name = parseQuery)]
            pub fn parse_query(hash: &str) -> Js<Ts<ParsedQuery>> {
                ts(super::parse_query::<$inner>(hash))
            }

            /// The page's default settings as a query.
            #[wasm_bindgen(js_name = defaultQuery)]
            pub fn default_query() -> String {
                <$inner>::defaults().to_query()
            }

            /// Exactly one training step (with diagnostics); a divergence throws.
            pub fn step(&mut self) -> Js<Ts<StepReport>> {
                ts(self.0.step().map_err(err)?)
            }

            /// Trains up to `max_steps` within about `budget_ms` (at least one step).
            #[wasm_bindgen(js_name = trainFor)]
            pub fn train_for(&mut self, max_steps: u32, budget_ms: f64) -> Js<Ts<TrainReport>> {
                ts(self.0.train_for(max_steps, budget_ms, &now).map_err(err)?)
            }

            /// Whether the latest step failed because training diverged.
            pub fn diverged(&self) -> bool {
                self.0.diverged()
            }

            /// Goes back to the last good snapshot (every 50 steps); returns its step.
            pub fn rollback(&mut self) -> f64 {
                self.0.rollback() as f64
            }

            /// Steps done.
            pub fn steps(&self) -> f64 {
                self.0.steps() as f64
            }

            /// The settings as a query for the URL hash.
            pub fn query(&self) -> String {
                self.0.query()
            }

            /// Applies a setting that keeps the model (see `settingsTable`); returns the query.
            #[wasm_bindgen(js_name = setLive)]
            pub fn set_live(&mut self, key: &str, value: &str) -> Js<String> {
                self.0.set_live(key, value).map_err(err)
            }

            /// The loss history, one row per step, as CSV.
            #[wasm_bindgen(js_name = historyCsv)]
            pub fn history_csv(&self) -> String {
                self.0.history_csv()
            }

            /// Draws the loss chart on `canvas`.
            #[wasm_bindgen(js_name = drawLoss)]
            pub fn draw_loss(&self, canvas: &HtmlCanvasElement) -> Js<()> {
                paint!(canvas, self.0.loss_chart(), render::draw_loss_chart)
            }
        }
    };
}

/// A model learning a text, stepped by the playground.
#[wasm_bindgen]
pub struct Playground(playground::Playground);
training_api!(Playground, playground::Playground);

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

/// The teaching lab's model, with its views.
#[wasm_bindgen]
pub struct Lab(lab::Lab);
training_api!(Lab, lab::Lab);

#[wasm_bindgen]
impl Lab {
    /// A fresh model for `query`; `text` is used when `task=text`; a bad setting throws.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, text: &str) -> Js<Lab> {
        build(lab::Lab::new(query, text), Lab)
    }

    /// The model, its task and the task's baseline.
    pub fn info(&self) -> Js<Ts<LabInfo>> {
        ts(self.0.info())
    }

    /// The numbers beside the charts.
    pub fn readouts(&self) -> Js<Ts<Readouts>> {
        ts(self.0.readouts())
    }

    /// `‖∂L_T/∂h_t‖` of the latest step for `layer`, `t = 0..T`.
    #[wasm_bindgen(js_name = flowProfile)]
    pub fn flow_profile(&self, layer: usize) -> Option<Vec<f32>> {
        self.0.flow_profile(layer).map(<[f32]>::to_vec)
    }

    /// Steps of the latest window (0 before the first step).
    #[wasm_bindgen(js_name = windowLen)]
    pub fn window_len(&self) -> u32 {
        self.0.window_len() as u32
    }

    /// The columns of step `t` of `layer` in the latest window.
    #[wasm_bindgen(js_name = stepColumns)]
    pub fn step_columns(&mut self, layer: usize, t: usize) -> Js<Ts<StepColumns>> {
        ts(self.0.step_columns(layer, t).map_err(err)?)
    }

    /// The cell's equations for `unit` at step `t` of `layer`, filled in, one line each.
    pub fn equations(&self, layer: usize, t: usize, unit: usize) -> Js<Vec<String>> {
        self.0.equations(layer, t, unit).map_err(err)
    }

    /// The input characters of the latest window, one string each.
    #[wasm_bindgen(js_name = windowChars)]
    pub fn window_chars(&self) -> Vec<String> {
        self.0.window_chars()
    }

    /// How strongly the prediction after `input` depends on each of its characters.
    pub fn connectivity(&self, input: &str) -> Js<Ts<TextRun>> {
        ts(self.0.connectivity(input).map_err(err)?)
    }

    /// `h_t` of every unit of `layer` at every character of `input`.
    pub fn activations(&self, input: &str, layer: usize) -> Js<Ts<TextRun>> {
        ts(self.0.activations(input, layer).map_err(err)?)
    }

    /// A text to look at: sampled (text model) or a fresh episode (symbol task).
    #[wasm_bindgen(js_name = sampleText)]
    pub fn sample_text(&self, len: usize, temperature: f32, seed: f64) -> Js<String> {
        self.0
            .sample_text(len, temperature, seed as u64)
            .map_err(err)
    }

    /// Draws `log10 ‖∂L_T/∂h_t‖` by training step and lag.
    #[wasm_bindgen(js_name = drawFlowHeat)]
    pub fn draw_flow_heat(&self, canvas: &HtmlCanvasElement) -> Js<()> {
        canvas::draw_cells(canvas, &self.0.flow_heatmap()).map_err(err)?;
        Ok(())
    }

    /// The latch `h_t = tanh(w·h_{t−1} + x_t)` after a pulse: `h` and `∂h_T/∂h_t`.
    pub fn latch(w: f32, h0: f32, pulse: f32, steps: usize) -> Js<Ts<Latch>> {
        ts(latch::run(w, h0, pulse, steps).map_err(err)?)
    }

    /// Draws the latch: `h_t` on `h_canvas`, `|∂h_T/∂h_t|` on `d_canvas`.
    #[wasm_bindgen(js_name = drawLatch)]
    pub fn draw_latch(
        h_canvas: &HtmlCanvasElement,
        d_canvas: &HtmlCanvasElement,
        w: f32,
        h0: f32,
        pulse: f32,
        steps: usize,
    ) -> Js<()> {
        let l = latch::run(w, h0, pulse, steps).map_err(err)?;
        let (h, d) = latch::charts(w, &l);
        paint!(h_canvas, h, render::draw_frac_chart)?;
        paint!(d_canvas, d, render::draw_line_chart)
    }
}

/// RNN, LSTM and GRU side by side on the lab's task.
#[wasm_bindgen]
pub struct LabRace(race::LabRace);

#[wasm_bindgen]
impl LabRace {
    /// A race of `cells` (`rnn,lstm,gru`), with matched parameter counts if `equal_params`.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, text: &str, cells: &str, equal_params: bool) -> Js<LabRace> {
        build(
            race::LabRace::new(query, text, cells, equal_params),
            LabRace,
        )
    }

    /// Steps every running lane per round, up to `max_rounds` within about `budget_ms`.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, max_rounds: u32, budget_ms: f64) -> Js<Ts<RaceReport>> {
        ts(self.0.train_for(max_rounds, budget_ms, &now))
    }

    /// The cells a race or a sweep can take, by name.
    pub fn cells() -> Vec<String> {
        CellType::NAMES.iter().map(|s| s.to_string()).collect()
    }

    /// Every lane as the table shows it.
    pub fn lanes(&self) -> Js<Vec<Ts<Lane>>> {
        self.0.lanes().into_iter().map(ts).collect()
    }

    /// The table of lanes as CSV, one row per lane.
    pub fn csv(&self) -> String {
        csv::race(&self.0.lanes())
    }
}

/// Delayed recall at growing lags for each cell, trained in time slices.
#[wasm_bindgen]
pub struct LabSweep(sweep::LabSweep);

#[wasm_bindgen]
impl LabSweep {
    /// A sweep of `cells` over `lags` (`5,10,20`), each run at most `max_steps` steps.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, cells: &str, lags: &str, max_steps: u32) -> Js<LabSweep> {
        build(
            sweep::LabSweep::new(query, cells, lags, max_steps),
            LabSweep,
        )
    }

    /// Trains for about `budget_ms`; how far the sweep is.
    pub fn work(&mut self, budget_ms: f64) -> Js<Ts<SweepProgress>> {
        ts(self.0.work(budget_ms, &now).map_err(err)?)
    }

    /// The finished runs.
    pub fn results(&self) -> Js<Vec<Ts<SweepResult>>> {
        self.0.results().into_iter().map(ts).collect()
    }

    /// The finished runs as CSV, one row per cell and lag.
    pub fn csv(&self) -> String {
        csv::sweep(&self.0.results())
    }
}

/// A trainer the benchmark page times.
#[wasm_bindgen]
pub struct Bench(bench::Bench);

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

/// A model learning the next value of a time series (one column of a CSV), for the Series page.
#[wasm_bindgen]
pub struct SeriesModel(series::SeriesLab);
training_api!(SeriesModel, series::SeriesLab);

#[wasm_bindgen]
impl SeriesModel {
    /// A fresh model for `query` on column `column` of the CSV text `csv`; bad input throws.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, csv: &str, column: &str) -> Js<SeriesModel> {
        build(series::SeriesLab::new(query, csv, column), SeriesModel)
    }

    /// The numeric columns of the CSV text `csv`; throws when it has none.
    pub fn columns(csv: &str) -> Js<Vec<String>> {
        hook();
        series::columns(csv).map_err(err)
    }

    /// The smoothed training loss (NaN before the first step).
    #[wasm_bindgen(js_name = smoothLoss)]
    pub fn smooth_loss(&self) -> f64 {
        self.0.smooth_loss()
    }

    /// The series, its split and normalisation, and the model's size.
    pub fn info(&self) -> Js<Ts<SeriesInfo>> {
        ts(self.0.info())
    }

    /// Draws the series, the one-step prediction and the forecast of `horizon` values from
    /// `cut` on `canvas`; returns the MSEs of the forecast and of the baselines.
    pub fn forecast(
        &self,
        canvas: &HtmlCanvasElement,
        cut: usize,
        horizon: usize,
        season: usize,
    ) -> Js<Ts<ForecastScores>> {
        let (scores, chart) = self.0.forecast(cut, horizon, season).map_err(err)?;
        paint!(canvas, chart, render::draw_forecast_chart)?;
        ts(scores)
    }

    /// The cut point under pixel column `x` of the forecast chart `width` pixels wide.
    #[wasm_bindgen(js_name = cutAt)]
    pub fn cut_at(&self, width: f64, x: f64) -> usize {
        self.0.cut_at(width, x)
    }
}

// Every chart drawn through `paint`: class, JS name, method, chart and renderer.
draw_methods! {
    Lab "drawAccuracy" draw_accuracy: accuracy_chart by render::draw_frac_chart,
        "Draws accuracy against step with chance.";
    Lab "drawFlow" draw_flow: flow_chart by render::draw_line_chart,
        "Draws `‖∂L_T/∂h_t‖` against lag for the latest step.";
    Lab "drawClip" draw_clip: clip_chart by render::draw_line_chart,
        "Draws the gradient norm before and after clipping, with the threshold.";
    LabRace "drawLoss" draw_loss: loss_chart by render::draw_line_chart,
        "Draws the smoothed loss of every lane.";
    LabRace "drawAccuracy" draw_accuracy: accuracy_chart by render::draw_frac_chart,
        "Draws the smoothed accuracy of every lane, with chance.";
    LabRace "drawFlow" draw_flow: flow_chart by render::draw_line_chart,
        "Draws every lane's latest `‖∂L_T/∂h_t‖` against lag.";
    LabSweep "draw" draw: chart by render::draw_frac_chart,
        "Draws success rate against lag, one line per cell.";
}
