//! Work too long for one animation frame, cut into pieces the frame loop spreads over several
//! frames: the periodic validation loss (~15 ms for 500 characters of an LSTM H=128) and the
//! automatic sample (~10 ms for 300 characters). Each job works on a copy of the model taken
//! when it starts, so training goes on meanwhile and the result is exactly what the one-go
//! computation at that step gives (`TextSession::val_loss`, `sample::sample`).

use crate::core::error::Result;
use crate::core::loss::{loss_and_grad, Target};
use crate::core::model::{Input, Model, State};
use crate::core::rng::Rng;
use crate::core::sample::{pick, prime_ids, Carry, SampleOpts};

/// Characters per forward pass of the validation loss: the chunk `TextSession::val_loss` uses
/// (through `trainer::evaluate`), so the sum runs in the same order and gives the same bits.
pub const VAL_CHUNK: usize = 100;

/// The mean loss on the held-out ids of one step's model, one chunk at a time.
pub struct ValJob {
    /// The step whose model this measures.
    pub step: u64,
    model: Model,
    state: State,
    /// Held-out characters used (the first `len` of them).
    len: usize,
    start: usize,
    total: f64,
    count: usize,
}

impl ValJob {
    /// A job over the first `max_chars` of `ids` (at least 2 are needed: `None` otherwise).
    pub fn new(model: &Model, step: u64, ids: &[u32], max_chars: usize) -> Option<Self> {
        let len = ids.len().min(max_chars);
        (len >= 2).then(|| ValJob {
            step,
            state: State::zeros(&model.spec, 1),
            model: model.clone(),
            len,
            start: 0,
            total: 0.0,
            count: 0,
        })
    }

    /// Runs one chunk; `Some(mean loss)` once the last one is done (the same code as
    /// `trainer::evaluate`).
    pub fn advance(&mut self, ids: &[u32]) -> Result<Option<f64>> {
        let ids = &ids[..self.len];
        if self.start + 1 < ids.len() {
            let (start, end) = (self.start, (self.start + VAL_CHUNK).min(ids.len() - 1));
            let tr = self
                .model
                .forward(Input::Tokens(&ids[start..end]), 1, &self.state)?;
            let (l, _) = loss_and_grad(
                self.model.spec.loss,
                &tr.logits,
                self.model.spec.output_size,
                Target::Tokens(&ids[start + 1..end + 1]),
            );
            let n = end - start;
            self.total += l as f64 * n as f64;
            self.count += n;
            self.state = tr.final_state();
            self.start = end;
        }
        Ok((self.start + 1 >= ids.len()).then(|| self.total / self.count as f64))
    }

    /// Runs the chunks left; the mean loss (`None` if the model fails on the text).
    pub fn finish(mut self, ids: &[u32]) -> Option<f64> {
        loop {
            match self.advance(ids) {
                Ok(Some(v)) => return Some(v),
                Ok(None) => {}
                Err(_) => return None,
            }
        }
    }
}

/// A sample being generated a few characters at a time; the same steps, random draws and
/// checks as `sample::sample`.
pub struct SampleJob {
    model: Model,
    opts: SampleOpts,
    rng: Rng,
    carry: Carry,
    logits: Vec<f32>,
    /// The characters so far.
    pub text: String,
    /// The distribution the latest character was drawn from.
    pub last_probs: Vec<f32>,
    done: usize,
}

impl SampleJob {
    /// Checks the options and runs the prime through a copy of `model` (from a zero state).
    pub fn new(model: &Model, prime: &str, opts: SampleOpts) -> Result<Self> {
        let ids = prime_ids(model, prime, &opts)?;
        let (carry, logits) = Carry::start(model, &ids)?;
        Ok(SampleJob {
            model: model.clone(),
            rng: Rng::new(opts.seed),
            opts,
            logits,
            carry,
            text: String::new(),
            last_probs: Vec::new(),
            done: 0,
        })
    }

    /// Whether every character has been drawn.
    pub fn finished(&self) -> bool {
        self.done >= self.opts.len
    }

    /// Draws the next character (and runs it through the model unless it is the last).
    pub fn advance(&mut self) -> Result<()> {
        if self.finished() {
            return Ok(());
        }
        let (id, p) = pick(&self.logits, &self.opts, &mut self.rng);
        self.text.push(self.model.spec.vocab[id]);
        self.last_probs = p;
        self.done += 1;
        if !self.finished() {
            self.logits = self.carry.step(&self.model, id as u32)?;
        }
        Ok(())
    }
}
