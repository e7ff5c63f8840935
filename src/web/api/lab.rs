//! The lab's classes: the teaching model with its views, the race, the state space and the lag
//! sweep.

use super::*;
use crate::core::cell::Activation;
use crate::core::model::CellType;
use crate::render;
use crate::web::csv;
use crate::web::lab::entry::{self, Entry};
use crate::web::lab::{self, latch, race, states, sweep};
use crate::web::types::{
    EntryInfo, LabInfo, Lane, Latch, RaceReport, Readouts, StatesReport, StepColumns,
    SweepProgress, SweepResult, TextRun,
};

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

/// The teaching lab's model, with its views.
#[wasm_bindgen]
pub struct Lab(lab::Lab);
training_api!(Lab, lab::Lab);
sync_api!(Lab);

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

    /// The remedy entries a race or a sweep can take (`rnn+clip`, …), with their labels.
    pub fn remedies() -> Js<Vec<Ts<EntryInfo>>> {
        let info = |name: String| -> Js<Ts<EntryInfo>> {
            let label = Entry::parse(&name, Activation::Tanh).map_err(err)?.label();
            ts(EntryInfo { name, label })
        };
        entry::remedy_entries().into_iter().map(info).collect()
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

/// The state space of the lab's model: its states on fresh episodes, on two principal
/// components, and the fixed points of its dynamics, searched in time slices.
#[wasm_bindgen]
pub struct LabStates(states::LabStates);

#[wasm_bindgen]
impl LabStates {
    /// A search of `lab`'s model as it is now, seeded by `seed`; a model too big for the page
    /// throws.
    #[wasm_bindgen(constructor)]
    pub fn new(lab: &Lab, seed: f64) -> Js<LabStates> {
        build(states::LabStates::new(&lab.0, seed as u64), LabStates)
    }

    /// Searches for about `budget_ms`.
    pub fn advance(&mut self, budget_ms: f64) -> Js<Ts<StatesReport>> {
        ts(self.0.advance(budget_ms, &now))
    }

    /// How far the search is, and what it found.
    pub fn report(&self) -> Js<Ts<StatesReport>> {
        ts(self.0.report())
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
    LabStates "draw" draw: chart by render::draw_trajectory,
        "Draws the states' paths and the fixed points found.";
    LabSweep "draw" draw: chart by render::draw_frac_chart,
        "Draws success rate against lag, one line per cell.";
}
