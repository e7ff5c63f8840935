//! Training-step speed in the browser: a trainer built exactly as `benches/train_step.rs` builds
//! it natively (the default config with the given cell, hidden size, sequence length and batch;
//! seeded uniform random data over a 65-symbol vocabulary), stepped and timed by a clock. The
//! bench page (`www/bench/`) drives it.

use super::Clock;
use crate::core::config::Config;
use crate::core::data::{Streams, Vocab};
use crate::core::diag::Diagnose;
use crate::core::error::Result;
use crate::core::rng::Rng;
use crate::core::session::{build_model, build_optimizer};
use crate::core::Trainer;

/// Vocabulary size of the benchmark data (as in the native bench).
pub const VOCAB: usize = 65;
/// Windows of data per stream (as in the native bench).
const WINDOWS: usize = 40;

/// A trainer to time, with the figures needed to turn its step time into throughput.
pub struct Bench {
    trainer: Trainer,
    gates: usize,
    hidden: usize,
    seq_len: usize,
    batch: usize,
}

/// The model a bench times: its cell (`rnn`, `lstm`, `gru`) and sizes.
#[derive(Clone, Copy, Debug)]
pub struct Shape<'a> {
    pub cell: &'a str,
    pub hidden: usize,
    pub seq_len: usize,
    pub batch: usize,
}

impl Bench {
    /// A fresh model and Adam optimizer of `shape`; `diagnostics` turns on all the teaching
    /// diagnostics on every step ([`Diagnose::Full`], the lab's; more than the playground's).
    pub fn new(shape: Shape, diagnostics: bool) -> Result<Self> {
        let Shape {
            cell,
            hidden,
            seq_len,
            batch,
        } = shape;
        let mut c = Config::default();
        c.set("cell", cell)?;
        (c.hidden, c.seq_len, c.batch) = (hidden, seq_len, batch);
        c.validate()?;
        let vocab = Vocab {
            chars: (0..VOCAB as u32)
                .filter_map(|i| char::from_u32(0x21 + i))
                .collect(),
        };
        let model = build_model(&c, &vocab)?;
        let gates = model.spec.cell.cell().gates();
        let opt = build_optimizer(&c, &model)?;
        let mut rng = Rng::new(1);
        let data: Vec<u32> = (0..batch * (seq_len * WINDOWS + 1))
            .map(|_| rng.below(VOCAB) as u32)
            .collect();
        let streams = Streams::new(data, batch, seq_len)?;
        let mut trainer = Trainer::new(model, opt, c.clip_rule(), Box::new(streams));
        trainer.diagnose = if diagnostics {
            Diagnose::Full
        } else {
            Diagnose::Off
        };
        Ok(Bench {
            trainer,
            gates,
            hidden,
            seq_len,
            batch,
        })
    }

    /// Runs `warmup` untimed steps, then `samples` timed groups of `group` steps each (at least
    /// one): one figure per group, its milliseconds per step. Groups longer than one step average
    /// out a coarse clock (100 µs in a page that is not cross-origin isolated).
    pub fn run(&mut self, warmup: u32, samples: u32, group: u32, now: Clock) -> Result<Vec<f64>> {
        for _ in 0..warmup {
            self.trainer.step()?;
        }
        let group = group.max(1);
        let mut out = Vec::with_capacity(samples as usize);
        for _ in 0..samples {
            let t0 = now();
            for _ in 0..group {
                self.trainer.step()?;
            }
            out.push((now() - t0) / f64::from(group));
        }
        Ok(out)
    }

    /// Steps for about `budget_ms` (at least one step); returns the steps done.
    pub fn run_for(&mut self, budget_ms: f64, now: Clock) -> Result<u32> {
        let t0 = now();
        let mut n = 0u32;
        loop {
            self.trainer.step()?;
            n += 1;
            if now() - t0 >= budget_ms {
                return Ok(n);
            }
        }
    }

    /// Nominal floating-point operations of one step, counted as the native bench counts them:
    /// per character the forward does `2·gates·H·(V+H)` for the cell (the one-hot input as a
    /// dense product) and `2·V·H` for the decoder, and the backward twice the forward.
    pub fn flops(&self) -> f64 {
        let (g, h, v) = (self.gates as f64, self.hidden as f64, VOCAB as f64);
        let per_char = 2.0 * g * h * (v + h) + 2.0 * v * h;
        3.0 * (self.seq_len * self.batch) as f64 * per_char
    }

    /// Characters trained on per step (`T·B`).
    pub fn chars_per_step(&self) -> f64 {
        (self.seq_len * self.batch) as f64
    }

    /// Steps done so far.
    pub fn steps(&self) -> u64 {
        self.trainer.steps()
    }
}

impl super::shards::Sharded for Bench {
    const DIAGNOSE: Diagnose = Diagnose::Full;

    fn trainer_mut(&mut self) -> Result<&mut Trainer> {
        Ok(&mut self.trainer)
    }

    fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    fn finish(&mut self) -> Result<super::types::StepReport> {
        let st = self.trainer.finish_step()?;
        Ok(super::types::StepReport::new(&st, f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_groups_of_steps_and_counts_flops() {
        let shape = |cell| Shape {
            cell,
            hidden: 16,
            seq_len: 5,
            batch: 2,
        };
        let mut b = Bench::new(shape("gru"), false).unwrap();
        let t = std::cell::Cell::new(0.0);
        let now = || {
            t.set(t.get() + 1.0);
            t.get()
        };
        let ms = b.run(2, 3, 4, &now).unwrap();
        assert_eq!(ms, [0.25; 3], "one clock tick per group of four steps");
        assert_eq!(b.steps(), 2 + 12);
        assert_eq!(b.run_for(3.0, &now).unwrap(), 3);
        assert_eq!(b.chars_per_step(), 10.0);
        let per_char = 2.0 * 3.0 * 16.0 * (65.0 + 16.0) + 2.0 * 65.0 * 16.0;
        assert_eq!(b.flops(), 3.0 * 10.0 * per_char);
        assert!(Bench::new(shape("banana"), false).is_err());
    }
}
