//! Training-step speed in the browser: a trainer built exactly as `benches/train_step.rs`
//! builds it natively (the default config with the given cell, hidden size, sequence length
//! and batch; seeded uniform random data over a 65-symbol vocabulary), stepped and timed with
//! the page clock. `www/bench.html` drives it.

use super::js;
use crate::core::config::Config;
use crate::core::data::{Streams, Vocab};
use crate::core::error::Error;
use crate::core::rng::Rng;
use crate::core::session::{build_model, build_optimizer};
use crate::core::Trainer;
use wasm_bindgen::prelude::*;

/// Vocabulary size of the benchmark data (as in the native bench).
const VOCAB: usize = 65;
/// Windows of data per stream (as in the native bench).
const WINDOWS: usize = 40;

fn js_err(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// A trainer to time, with the figures needed to turn its step time into throughput.
#[wasm_bindgen]
pub struct Bench {
    trainer: Trainer,
    gates: usize,
    hidden: usize,
    seq_len: usize,
    batch: usize,
}

#[wasm_bindgen]
impl Bench {
    /// A fresh model and Adam optimizer for `cell` (`rnn`, `lstm`, `gru`) with `hidden` units,
    /// windows of `seq_len` characters and `batch` streams; `diagnostics` turns on what the
    /// playground records for its heatmap on every step.
    #[wasm_bindgen(constructor)]
    pub fn new(
        cell: &str,
        hidden: usize,
        seq_len: usize,
        batch: usize,
        diagnostics: bool,
    ) -> Result<Bench, JsError> {
        console_error_panic_hook::set_once();
        let mut c = Config::default();
        for (k, v) in [
            ("cell", cell.to_string()),
            ("hidden", hidden.to_string()),
            ("seq-len", seq_len.to_string()),
            ("batch", batch.to_string()),
        ] {
            c.set(k, &v).map_err(js_err)?;
        }
        let vocab = Vocab {
            chars: (0..VOCAB as u32)
                .filter_map(|i| char::from_u32(0x21 + i))
                .collect(),
        };
        let model = build_model(&c, &vocab).map_err(js_err)?;
        let opt = build_optimizer(&c, &model).map_err(js_err)?;
        let mut rng = Rng::new(1);
        let data: Vec<u32> = (0..batch * (seq_len * WINDOWS + 1))
            .map(|_| rng.below(VOCAB) as u32)
            .collect();
        let streams = Streams::new(data, batch, seq_len).map_err(js_err)?;
        let mut trainer = Trainer::new(model, opt, c.clip_rule(), Box::new(streams));
        trainer.diagnostics_enabled = diagnostics;
        let gates = match cell {
            "lstm" => 4,
            "gru" => 3,
            _ => 1,
        };
        Ok(Bench {
            trainer,
            gates,
            hidden,
            seq_len,
            batch,
        })
    }

    /// Runs `warmup` untimed steps, then `samples` timed groups of `group` steps each (at
    /// least one). Returns one figure per group: its milliseconds per step, from
    /// `performance.now()` around the group. Groups longer than one step average out the
    /// clock's coarse resolution (100 µs in a page that is not cross-origin isolated).
    pub fn run(&mut self, warmup: u32, samples: u32, group: u32) -> Result<Vec<f64>, JsError> {
        for _ in 0..warmup {
            self.trainer.step().map_err(js_err)?;
        }
        let group = group.max(1);
        let mut out = Vec::with_capacity(samples as usize);
        for _ in 0..samples {
            let t0 = js::now_ms();
            for _ in 0..group {
                self.trainer.step().map_err(js_err)?;
            }
            out.push((js::now_ms() - t0) / f64::from(group));
        }
        Ok(out)
    }

    /// Steps for about `budget_ms` of wall time (at least one step); returns the steps done.
    #[wasm_bindgen(js_name = runFor)]
    pub fn run_for(&mut self, budget_ms: f64) -> Result<u32, JsError> {
        let t0 = js::now_ms();
        let mut n = 0u32;
        loop {
            self.trainer.step().map_err(js_err)?;
            n += 1;
            if js::now_ms() - t0 >= budget_ms {
                return Ok(n);
            }
        }
    }

    /// Nominal floating-point operations of one step, counted as the native bench counts
    /// them: per character the forward does `2·gates·H·(V+H)` for the cell (the one-hot input
    /// as a dense product) and `2·V·H` for the decoder, and the backward twice the forward.
    pub fn flops(&self) -> f64 {
        let (g, h, v) = (self.gates as f64, self.hidden as f64, VOCAB as f64);
        let per_char = 2.0 * g * h * (v + h) + 2.0 * v * h;
        3.0 * (self.seq_len * self.batch) as f64 * per_char
    }

    /// Characters trained on per step (`T·B`).
    #[wasm_bindgen(js_name = charsPerStep)]
    pub fn chars_per_step(&self) -> f64 {
        (self.seq_len * self.batch) as f64
    }

    /// Steps done so far.
    pub fn steps(&self) -> f64 {
        self.trainer.steps() as f64
    }

    /// Vocabulary size of the benchmark data.
    pub fn vocab() -> usize {
        VOCAB
    }
}
