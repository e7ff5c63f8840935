//! Everything JavaScript may call, in one place: the functions and macros every page shares here,
//! the playground's classes in [`playground`], the lab's in [`lab`] and the Series page's in
//! [`series`]. Each page loads a wasm build with only its classes (cargo features `playground`,
//! `lab` and `series`; `scripts/build-web.sh` builds the playground's, and one for the lab and the
//! Series page), so no page downloads code it never runs. Values cross as typed plain objects
//! (`src/web/types.rs`, listed with their fields in `src/web/api/playground.d.ts` and `lab.d.ts`), errors as `Error`s with
//! the core's message, and a panic is logged rather than killing the page silently. The logic
//! lives in the native modules beside this one.

use super::types::{Palette, ParsedQuery, SettingInfo, TrainReport};
use super::{canvas, page, Training};
use crate::core::config::Config;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

type Js<T> = Result<T, JsError>;

/// `array` cut end to end into views of the lengths `lens` (the weight tensors of a model, for
/// copies straight between a typed array and them).
#[cfg(feature = "playground")]
fn parts<A: AsRef<js_sys::Float32Array>>(
    array: A,
    lens: impl Iterator<Item = usize>,
) -> Vec<js_sys::Float32Array> {
    let mut at = 0;
    lens.map(|n| {
        let end = at + n as u32;
        let part = array.as_ref().subarray(at, end);
        at = end;
        part
    })
    .collect()
}

/// A core error (or a failed conversion) as a JS `Error` with its message.
fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A value as its typed plain object.
fn ts<T: Tsify + serde::Serialize>(v: T) -> Js<Ts<T>> {
    v.into_ts().map_err(err)
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

/// The methods `Playground` and `Lab` share, declared once for both.
macro_rules! training_api {
    ($name:ident, $inner:ty) => {
        #[wasm_bindgen]
        impl $name {
            /// Reads a URL hash leniently over the page's defaults: the usable settings and a
            /// notice per entry skipped.
            #[wasm_bindgen(js_name = parseQuery)]
            pub fn parse_query(hash: &str) -> Js<Ts<ParsedQuery>> {
                ts(crate::web::parse_query::<$inner>(hash))
            }

            /// The page's default settings as a query.
            #[wasm_bindgen(js_name = defaultQuery)]
            pub fn default_query() -> String {
                <$inner>::defaults().to_query()
            }

            /// Exactly one training step (with diagnostics); a divergence throws.
            pub fn step(&mut self) -> Js<Ts<crate::web::types::StepReport>> {
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

/// A step a shard at a time, its shards but the first run by gradient workers (`ShardWorker`,
/// `www/shared/pool.js`); `$name`'s inner value is [`super::shards::Sharded`].
#[cfg(feature = "playground")]
macro_rules! sharded_api {
    ($name:ident) => {
        #[wasm_bindgen]
        impl $name {
            /// Begins a step (`diag`: with the diagnostics): the tasks of its shards but the
            /// first, for `ShardWorker.run` with `weightsInto`'s weights (none for a batch of up to 16).
            #[wasm_bindgen(js_name = beginStep, unchecked_return_type = "Uint32Array[]")]
            pub fn begin_step(&mut self, diag: bool) -> Js<js_sys::Array> {
                let tasks = crate::web::shards::Sharded::begin(&mut self.0, diag).map_err(err)?;
                Ok(tasks
                    .iter()
                    .map(|t| js_sys::Uint32Array::from(&t[..]))
                    .collect())
            }

            /// How many weights `weightsInto` writes.
            #[wasm_bindgen(js_name = weightCount)]
            pub fn weight_count(&self) -> usize {
                crate::web::shards::Sharded::trainer(&self.0)
                    .model
                    .spec
                    .param_count()
            }

            /// Every weight into `out` (`weightCount()` long), for `ShardWorker.run`: the
            /// buffers go back and forth between the workers instead of a new one each step.
            #[wasm_bindgen(js_name = weightsInto)]
            pub fn weights_into(&self, out: &js_sys::Float32Array) -> Js<()> {
                let slices = crate::web::shards::Sharded::weight_slices(&self.0);
                let n: usize = slices.iter().map(|s| s.len()).sum();
                if out.length() as usize != n {
                    return Err(JsError::new("the weights buffer does not fit the model"));
                }
                for (s, part) in slices
                    .iter()
                    .zip(parts(out, slices.iter().map(|s| s.len())))
                {
                    part.copy_from(s);
                }
                Ok(())
            }

            /// Shards of a step: 1 for a batch of up to 16 streams (`step` is then as fast).
            pub fn shards(&self) -> usize {
                crate::web::shards::Sharded::trainer(&self.0).shards()
            }

            /// Runs shards `from..to` of the step begun here.
            #[wasm_bindgen(js_name = runShards)]
            pub fn run_shards(&mut self, from: usize, to: usize) -> Js<()> {
                let t = crate::web::shards::Sharded::trainer_mut(&mut self.0).map_err(err)?;
                t.run_shards(from..to).map_err(err)
            }

            /// Takes shard `k`'s result (`ShardWorker.run`'s).
            #[wasm_bindgen(js_name = putShard)]
            pub fn put_shard(&mut self, k: usize, result: &[u32]) -> Js<()> {
                let t = crate::web::shards::Sharded::trainer_mut(&mut self.0).map_err(err)?;
                t.put_shard(k, result).map_err(err)
            }

            /// Finishes the step begun once every shard ran, as `step` would have; a
            /// divergence throws.
            #[wasm_bindgen(js_name = finishStep)]
            pub fn finish_step(&mut self) -> Js<Ts<crate::web::types::StepReport>> {
                ts(crate::web::shards::Sharded::finish(&mut self.0).map_err(err)?)
            }

            /// The model file a `ShardWorker` is made from.
            #[wasm_bindgen(js_name = replicaModel)]
            pub fn replica_model(&self) -> Js<Vec<u8>> {
                crate::web::shards::Sharded::replica_model(&self.0).map_err(err)
            }
        }
    };
}

/// The three methods of a page model a training worker mirrors (`web::wire`): the sync
/// arrays out of the model that trains, its weights, and the page copy's way in.
macro_rules! sync_api {
    ($name:ident) => {
        #[wasm_bindgen]
        impl $name {
            /// What a copy of this model (the page's, when a worker trains) lacks since the
            /// last call: the counters and new history, and the latest step's states when a
            /// step was taken since (else empty); for the copy's `syncIn`.
            #[wasm_bindgen(js_name = syncOut, unchecked_return_type = "[Float64Array, Float32Array]")]
            pub fn sync_out(&mut self) -> Js<JsValue> {
                let (head, states) = self.0.sync_out();
                let pair = js_sys::Array::of2(
                    &js_sys::Float64Array::from(&head[..]),
                    &js_sys::Float32Array::from(&states[..]),
                );
                Ok(pair.into())
            }

            /// Every weight, for a copy's `syncIn`.
            pub fn weights(&self) -> Vec<f32> {
                self.0.weights()
            }

            /// Shows what `syncOut` (and `weights`, unless empty) of the model this one
            /// mirrors gave; nothing changes on an error.
            #[wasm_bindgen(js_name = syncIn)]
            pub fn sync_in(&mut self, head: &[f64], states: &[f32], weights: &[f32]) -> Js<()> {
                self.0.sync_in(head, states, weights).map_err(err)
            }
        }
    };
}

#[cfg(feature = "lab")]
mod lab;
#[cfg(feature = "playground")]
mod playground;
#[cfg(feature = "series")]
mod series;

#[cfg(feature = "lab")]
pub use lab::{Lab, LabRace, LabStates, LabSweep};
#[cfg(feature = "playground")]
pub use playground::{Bench, Playground, ShardWorker};
#[cfg(feature = "series")]
pub use series::SeriesModel;
