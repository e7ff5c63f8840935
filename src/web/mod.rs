//! The web layer. Everything JavaScript may call is in [`api`] (wasm32 only), a thin typed
//! facade over the modules here, which hold the pages' logic without any wasm types and so
//! compile and are unit-tested natively:
//!
//! - [`playground`]: a model learning a text, with its loss history, the validation loss and
//!   samples measured a slice per frame, and the heatmap of the latest window;
//! - [`lab`]: the teaching lab's run, race and sweep, the step-through and its equations, the
//!   model run over typed text, the one-unit latch;
//! - [`series`]: the Series page's model of a CSV column, its forecast and baselines;
//! - [`bench`]: the trainer the benchmark page times;
//! - [`shards`]: a step whose shards run on several gradient workers;
//! - [`page`]: the settings table and the palette the pages build their controls from;
//! - [`types`]: the values that cross the boundary (plain objects in JS, typed in `api/*.d.ts`);
//! - [`csv`]: the tables the pages download (loss history, race, sweep);
//! - [`budget`]: spending a frame's time on training steps (timed with `core::average::Ema`).
//!
//! Work that spends a frame budget takes a clock (`now: &dyn Fn() -> f64`, milliseconds), so
//! natively it runs against a fake one.

pub mod bench;
pub mod budget;
pub mod csv;
pub mod equations;
pub mod inspect;
pub mod lab;
pub mod page;
pub mod playground;
pub mod series;
pub mod shards;
pub mod types;
pub mod wire;
pub mod work;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod canvas;

/// A monotonic clock in milliseconds (`performance.now()` in the page).
pub type Clock<'a> = &'a dyn Fn() -> f64;

use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::render::LossChart;
use types::{ParsedQuery, StepReport, TrainReport};

/// What both pages' models do: train a step or a frame's budget of steps, roll back after a
/// divergence, take the settings that keep the model, and chart their loss.
pub trait Training {
    /// The page's starting settings (what a URL hash is read over).
    fn defaults() -> Config
    where
        Self: Sized;
    fn step(&mut self) -> Result<StepReport>;
    fn train_for(&mut self, max_steps: u32, budget_ms: f64, now: Clock) -> Result<TrainReport>;
    fn diverged(&self) -> bool;
    fn rollback(&mut self) -> u64;
    fn steps(&self) -> u64;
    fn query(&self) -> String;
    fn set_live(&mut self, key: &str, value: &str) -> Result<String>;
    fn loss_chart(&self) -> LossChart;
    /// The loss history as CSV (see [`csv`]).
    fn history_csv(&self) -> String;
}

/// Reads a URL hash leniently over `T`'s defaults: the usable settings and one notice per entry
/// skipped.
pub fn parse_query<T: Training>(hash: &str) -> ParsedQuery {
    let (c, notices) = Config::from_query_over(T::defaults(), hash);
    ParsedQuery {
        query: c.to_query(),
        notices,
    }
}

/// Largest text the pages train on (bytes of UTF-8).
pub const MAX_TEXT_BYTES: usize = 10 * 1024 * 1024;

/// Refuses a text over [`MAX_TEXT_BYTES`], saying how large it is.
pub fn check_text(text: &str) -> Result<()> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::Data(format!(
            "the text is {:.1} MB; the playground trains on at most {} MB (use a shorter excerpt)",
            text.len() as f64 / 1048576.0,
            MAX_TEXT_BYTES >> 20
        )));
    }
    Ok(())
}
