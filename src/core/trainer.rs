//! The pull-based trainer: the caller asks for [`Trainer::step`] and gets [`StepStats`] back,
//! then redraws whatever it likes from [`Trainer::diagnostics`].

use super::data::{Source, Window, WindowInput, WindowTarget};
use super::diag::{
    last_step_denominator, target_rows, BatchDiag, Diagnose, Diagnostics, PowerIteration,
};
use super::error::{Error, Result};
use super::exec::{Executor, Serial};
use super::loss::{denominator, loss_and_grad, Target, IGNORE};
use super::model::{Input, LossKind, Model, Params, State, Trace};
use super::optim::{clip, Clip, Optimizer};
use super::shards::{self, Job, Shard};
use std::ops::Range;

/// What one training step reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepStats {
    /// Steps completed, this one included.
    pub step: u64,
    /// Mean loss of the window before the update (nats per char for text).
    pub loss: f32,
    /// Global gradient norm before clipping.
    pub grad_norm: f32,
    /// Global gradient norm after clipping (what the optimizer used).
    pub grad_norm_clipped: f32,
    /// Whether clipping changed the gradient.
    pub clipped: bool,
    /// Characters (positions × batch) trained on so far.
    pub chars: u64,
    /// Whether this window started from a zero hidden state.
    pub reset: bool,
    /// Fraction of predicted positions right (see [`super::loss::accuracy`]).
    pub accuracy: Option<f32>,
}

/// Everything needed to resume training exactly where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub params: Params,
    pub opt: Optimizer,
    pub state: State,
    pub cursor: usize,
    pub step: u64,
    pub chars: u64,
}

/// Takes a "last good" snapshot this often (steps).
pub const SNAPSHOT_EVERY: u64 = 50;

/// A model, its optimizer and a data source, stepped one window at a time.
pub struct Trainer {
    pub model: Model,
    pub opt: Optimizer,
    pub clip: Clip,
    source: Box<dyn Source>,
    state: State,
    grads: Params,
    step: u64,
    chars: u64,
    /// How much of the teaching diagnostics each step records ([`Diagnose::Full`] costs about
    /// one extra backward sweep without weight gradients; [`Diagnose::States`] next to nothing).
    pub diagnose: Diagnose,
    diag: Diagnostics,
    power: PowerIteration,
    good: Snapshot,
    first_loss: Option<f32>,
    work: Work,
    executor: Box<dyn Executor>,
}

/// Buffers a step refills instead of allocating: after the first step, a step without
/// diagnostics allocates nothing (a text source; tasks make fresh episodes).
struct Work {
    window: Window,
    /// The batch's fixed partition into shards ([`shards::partition`]), and their buffers.
    parts: Vec<Range<usize>>,
    shards: Vec<Shard>,
    /// The step begun and not finished.
    begun: Option<Begun>,
}

/// A step begun ([`Trainer::begin_step`]): the data position before its window, and what its
/// mean losses divide by.
struct Begun {
    cursor: usize,
    n: usize,
    last_n: Option<usize>,
}

fn no_step() -> Error {
    Error::Data("no training step has begun".into())
}

fn no_shard() -> Error {
    Error::Data("no such shard in this step's batch".into())
}

impl Trainer {
    /// A trainer at step 0.
    pub fn new(model: Model, opt: Optimizer, clip: Clip, source: Box<dyn Source>) -> Self {
        let b = source.batch();
        let parts = shards::partition(b);
        let state = State::zeros(&model.spec, b);
        let grads = Params::zeros(&model.spec);
        let power = PowerIteration::new(&model);
        let good = Snapshot {
            params: model.params.clone(),
            opt: opt.clone(),
            state: state.clone(),
            cursor: source.cursor(),
            step: 0,
            chars: 0,
        };
        Trainer {
            model,
            opt,
            clip,
            source,
            state,
            grads,
            step: 0,
            chars: 0,
            diagnose: Diagnose::Full,
            diag: Diagnostics::default(),
            power,
            good,
            first_loss: None,
            work: Work {
                window: Window {
                    input: WindowInput::Tokens(Vec::new()),
                    target: WindowTarget::Tokens(Vec::new()),
                    reset: false,
                },
                shards: parts.iter().map(|_| Shard::default()).collect(),
                parts,
                begun: None,
            },
            executor: Box::new(Serial),
        }
    }

    /// Runs the shards of a batch with `e` (natively [`super::exec::Threads`]); the bits do
    /// not depend on it.
    pub fn set_executor(&mut self, e: Box<dyn Executor>) {
        self.executor = e;
    }

    /// Threads the shards of a batch may use.
    pub fn threads(&self) -> usize {
        self.executor.threads()
    }

    /// Shards of a step ([`shards::partition`] of the batch).
    pub fn shards(&self) -> usize {
        self.work.parts.len()
    }

    /// Steps done.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// Characters trained on.
    pub fn chars(&self) -> u64 {
        self.chars
    }

    /// The teaching diagnostics of the latest step.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diag
    }

    /// The recurrent state carried into the next window.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The data source.
    pub fn source(&self) -> &dyn Source {
        self.source.as_ref()
    }

    /// One truncated-BPTT step. On a non-finite or exploding loss nothing is updated and
    /// [`Error::Diverged`] explains what happened; [`Trainer::rollback`] restores the last good
    /// snapshot. The same as [`Trainer::begin_step`], [`Trainer::run_shards`] of every shard
    /// and [`Trainer::finish_step`].
    pub fn step(&mut self) -> Result<StepStats> {
        let n = self.begin_step();
        self.run_shards(0..n)?;
        self.finish_step()
    }

    /// Begins a step: reads the next window (a reset clears the carried state) and readies its
    /// shards; returns how many there are. Each then runs here ([`Trainer::run_shards`]) or on
    /// a [`super::replica::Replica`] ([`Trainer::shard_task`], [`Trainer::put_shard`]) before
    /// [`Trainer::finish_step`].
    pub fn begin_step(&mut self) -> usize {
        let work = &mut self.work;
        if let Some(old) = work.begun.take() {
            // A step begun and never finished leaves no trace: its window is read again.
            self.source.set_cursor(old.cursor);
            let grads = work.shards.iter_mut().filter_map(|s| s.grads.as_mut());
            grads.for_each(|g| g.fill_zero());
        }
        let cursor = self.source.cursor();
        self.source.next_window_into(&mut work.window);
        let w = &work.window;
        if w.reset {
            self.state.h.iter_mut().for_each(|v| v.fill(0.0));
            self.state.c.iter_mut().for_each(|v| v.fill(0.0));
        }
        let (b, o) = (self.source.batch(), self.model.spec.output_size);
        let n = denominator(target_of(w), target_rows(w, o), o);
        let last_n = (self.diagnose == Diagnose::Full).then(|| last_step_denominator(w, b, o));
        work.begun = Some(Begun { cursor, n, last_n });
        // Shard 0 adds its gradient straight into the trainer's (zero) buffer, lent for the step.
        if work.shards[0].grads.is_none() {
            work.shards[0].grads = Some(std::mem::replace(&mut self.grads, no_params()));
        }
        work.shards.iter_mut().for_each(|s| s.ran = false);
        work.parts.len()
    }

    /// Runs shards `ks` of the step begun here, with the executor.
    pub fn run_shards(&mut self, ks: Range<usize>) -> Result<()> {
        let (job, shards) = job_of(&self.model, &mut self.work, &self.state)?;
        let first = ks.start;
        let Some(shards) = shards.get_mut(ks) else {
            return Err(no_shard());
        };
        // One call site for the whole pipeline (so the wasm holds one copy of it); a batch of
        // one shard runs on the caller's thread whatever the executor.
        self.executor
            .for_each(shards, &|k, s| job.run(first + k, s));
        Ok(())
    }

    /// What a replica needs to run shard `k` of the step begun (its weights aside: every
    /// tensor of `model.params`, in [`Params::slices`] order).
    pub fn shard_task(&mut self, k: usize) -> Result<Vec<u32>> {
        let (job, shards) = self.job()?;
        let sh = shards.get_mut(k).ok_or_else(no_shard)?;
        Ok(job.task(k, sh))
    }

    /// Takes shard `k`'s result from a replica; one whose forward pass failed runs here.
    /// Shard 0 always runs here (the diagnostics read its forward pass).
    pub fn put_shard(&mut self, k: usize, result: &[u32]) -> Result<()> {
        let sh = self.work.shards.get_mut(k).filter(|_| k > 0);
        let sh = sh.ok_or_else(no_shard)?;
        if !super::replica::decode_result(result, &self.model.spec, sh)? {
            self.run_shards(k..k + 1)?;
        }
        Ok(())
    }

    /// The step begun's job and the shards it runs.
    fn job(&mut self) -> Result<(Job<'_>, &mut [Shard])> {
        job_of(&self.model, &mut self.work, &self.state)
    }

    /// Completes the step begun once every shard ran: combines their gradients in the fixed
    /// order, clips, checks for divergence and updates the weights (see [`Trainer::step`]).
    pub fn finish_step(&mut self) -> Result<StepStats> {
        let begun = self.work.begun.take().ok_or_else(no_step)?;
        if !self.work.shards.iter().all(|s| s.ran) {
            self.work.begun = Some(begun);
            return Err(Error::Data(
                "a training step cannot finish before every shard of its batch has run".into(),
            ));
        }
        let reset = self.work.window.reset;
        let (loss, acc) = self.gradient(begun.n)?;
        let (grad_norm, clipped) = clip(&mut self.grads, self.clip);
        if let Some(e) = self.divergence(loss, grad_norm as f32) {
            self.source.set_cursor(begun.cursor);
            self.grads.fill_zero();
            return Err(e);
        }
        // Diagnostics describe this step's forward and backward, so they use the weights
        // before the update.
        let diag = match self.diagnose {
            Diagnose::Off => None,
            Diagnose::States => Some(Diagnostics::states(&self.model, &self.work.shards[0].trace)),
            Diagnose::Full => {
                let parts = self.work.shards.iter_mut().filter_map(|s| s.diag.take());
                let batch = BatchDiag::combine(parts.collect());
                let first = &mut self.work.shards[0];
                let dh_row0 = std::mem::take(&mut first.back.rec.dh_row0);
                let power = &mut self.power;
                Some(Diagnostics::assemble(
                    &self.model,
                    &first.trace,
                    dh_row0,
                    batch,
                    power,
                ))
            }
        };
        let grad_norm_after = if clipped {
            super::optim::global_norm(&self.grads)
        } else {
            grad_norm
        };
        if !self.opt.step(&mut self.model.params, &mut self.grads) {
            // Finite gradients can still overflow an update; undo it from the snapshot.
            self.rollback();
            return Err(self.diverged(
                loss,
                grad_norm as f32,
                "the update made some weights infinite",
            ));
        }
        let (hs, work) = (self.model.spec.hidden, &self.work);
        shards::final_state_into(&work.shards, &work.parts, hs, &mut self.state);
        self.step += 1;
        self.chars += (work.shards[0].trace.steps_t * self.source.batch()) as u64;
        self.first_loss.get_or_insert(loss);
        if let Some(d) = diag {
            self.diag = d;
        }
        if self.step.is_multiple_of(SNAPSHOT_EVERY) {
            self.good = self.snapshot();
        }
        Ok(StepStats {
            step: self.step,
            loss,
            grad_norm: grad_norm as f32,
            grad_norm_clipped: grad_norm_after as f32,
            clipped,
            chars: self.chars,
            reset,
            accuracy: acc,
        })
    }

    /// The gradient of the step's shards, summed into `self.grads` in the fixed order of
    /// [`shards::combine_grads`]; returns the window's mean loss (over `n`) and accuracy.
    fn gradient(&mut self, n: usize) -> Result<(f32, Option<f32>)> {
        let (work, spec) = (&mut self.work, &self.model.spec);
        shards::combine_grads(&mut work.shards);
        let lent = work.shards[0].grads.take();
        self.grads = lent.unwrap_or_else(|| Params::zeros(spec));
        if let Some(e) = work.shards.iter_mut().find_map(|s| s.error.take()) {
            self.grads.fill_zero();
            return Err(e);
        }
        let (total, (right, predicted)) = shards::combine_loss(&work.shards);
        let loss = match n {
            0 if total.is_nan() => f32::NAN,
            0 => 0.0,
            n => (total / n as f64) as f32,
        };
        Ok((
            loss,
            (predicted > 0).then(|| right as f32 / predicted as f32),
        ))
    }

    fn divergence(&self, loss: f32, grad_norm: f32) -> Option<Error> {
        if !loss.is_finite() {
            return Some(self.diverged(loss, grad_norm, "the loss is not a number any more"));
        }
        if !grad_norm.is_finite() {
            return Some(self.diverged(loss, grad_norm, "the gradient overflowed"));
        }
        let limit = match (self.model.spec.loss, self.first_loss) {
            (LossKind::CrossEntropy, f) => {
                3.0 * f
                    .unwrap_or(0.0)
                    .max((self.model.spec.output_size as f32).ln())
            }
            (LossKind::Mse, Some(f)) => 1e3 * f.max(1e-3),
            (LossKind::Mse, None) => f32::INFINITY,
        };
        (loss > limit).then(|| {
            self.diverged(
                loss,
                grad_norm,
                &format!("the loss exploded past {limit:.2}"),
            )
        })
    }

    fn diverged(&self, loss: f32, grad_norm: f32, what: &str) -> Error {
        let hint = format!(
            "{what}: the gradients exploded. Roll back to the last good step ({}) and lower the learning rate (now {}) or clip the gradient norm (now {}).",
            self.good.step,
            self.opt.lr,
            match self.clip {
                Clip::None => "off".to_string(),
                Clip::Norm(v) => format!("norm {v}"),
                Clip::Value(v) => format!("value {v}"),
            }
        );
        Error::Diverged {
            step: self.step + 1,
            loss,
            grad_norm,
            hint,
        }
    }

    /// The current weights, optimizer state, carried state and data position.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            params: self.model.params.clone(),
            opt: self.opt.clone(),
            state: self.state.clone(),
            cursor: self.source.cursor(),
            step: self.step,
            chars: self.chars,
        }
    }

    /// Restores a snapshot (from [`Trainer::snapshot`] or a checkpoint file).
    pub fn restore(&mut self, s: Snapshot) -> Result<()> {
        if s.params.slices().iter().map(|x| x.len()).ne(self
            .model
            .params
            .slices()
            .iter()
            .map(|x| x.len()))
        {
            return Err(Error::shape(
                "restore snapshot",
                "tensors of this model",
                "another model's tensors",
            ));
        }
        if s.state.batch(self.model.spec.hidden) != self.source.batch() {
            return Err(Error::shape(
                "restore snapshot",
                format!("batch {}", self.source.batch()),
                format!("batch {}", s.state.batch(self.model.spec.hidden)),
            ));
        }
        self.model.params = s.params.clone();
        self.opt = s.opt.clone();
        self.state = s.state.clone();
        self.source.set_cursor(s.cursor);
        self.step = s.step;
        self.chars = s.chars;
        self.good = s;
        Ok(())
    }

    /// Goes back to the last good snapshot; returns its step.
    pub fn rollback(&mut self) -> u64 {
        let g = self.good.clone();
        let step = g.step;
        let _ = self.restore(g);
        step
    }

    /// Step of the last good snapshot.
    pub fn last_good_step(&self) -> u64 {
        self.good.step
    }
}

/// The job of the step begun in `work` and the shards it runs.
fn job_of<'a>(
    model: &'a Model,
    work: &'a mut Work,
    state: &'a State,
) -> Result<(Job<'a>, &'a mut [Shard])> {
    let begun = work.begun.as_ref().ok_or_else(no_step)?;
    let job = Job {
        model,
        window: &work.window,
        state,
        parts: &work.parts,
        n: begun.n,
        last_n: begun.last_n,
    };
    Ok((job, &mut work.shards))
}

/// A placeholder without tensors (allocates nothing).
fn no_params() -> Params {
    Params {
        embedding: None,
        layers: Vec::new(),
        attention: None,
        dec_w: ndarray::Array2::zeros((0, 0)),
        dec_b: ndarray::Array1::zeros(0),
    }
}

/// Forward pass of a window into a kept trace.
pub fn forward_window_into(
    model: &Model,
    w: &Window,
    b: usize,
    state: &State,
    tr: &mut Trace,
) -> Result<()> {
    match &w.input {
        WindowInput::Tokens(t) => model.forward_into(Input::Tokens(t), b, state, tr),
        WindowInput::Real(x) => model.forward_into(Input::Real(x), b, state, tr),
    }
}

/// Forward pass of a window.
pub fn forward_window(model: &Model, w: &Window, b: usize, state: &State) -> Result<Trace> {
    match &w.input {
        WindowInput::Tokens(t) => model.forward(Input::Tokens(t), b, state),
        WindowInput::Real(x) => model.forward(Input::Real(x), b, state),
    }
}

/// The loss target of a window.
pub fn target_of(w: &Window) -> Target<'_> {
    match &w.target {
        WindowTarget::Tokens(t) => Target::Tokens(t),
        WindowTarget::Real { y, mask } => Target::Real { y, mask },
    }
}

/// The same window's targets restricted to its last step (for `‖∂L_T/∂h_t‖`).
pub fn last_step_target(w: &Window, b: usize) -> WindowTarget {
    match &w.target {
        WindowTarget::Tokens(t) => {
            let n = t.len();
            WindowTarget::Tokens(
                t.iter()
                    .enumerate()
                    .map(|(i, &v)| if i + b >= n { v } else { IGNORE })
                    .collect(),
            )
        }
        WindowTarget::Real { y, mask } => {
            let n = mask.len();
            WindowTarget::Real {
                y: y.clone(),
                mask: (0..n).map(|i| i + 1 == n).collect(),
            }
        }
    }
}

/// Mean loss of `model` over a whole token sequence, run statefully from a zero state in chunks
/// of `chunk` steps (batch 1). Returns `(mean loss, predicted positions)`.
pub fn evaluate(model: &Model, ids: &[u32], chunk: usize) -> Result<(f64, usize)> {
    if ids.len() < 2 {
        return Err(Error::Data(format!(
            "evaluation needs at least 2 characters, got {}",
            ids.len()
        )));
    }
    let mut state = State::zeros(&model.spec, 1);
    let (mut total, mut count) = (0.0f64, 0usize);
    let mut start = 0;
    while start + 1 < ids.len() {
        let end = (start + chunk.max(1)).min(ids.len() - 1);
        let tr = model.forward(Input::Tokens(&ids[start..end]), 1, &state)?;
        let (l, _) = loss_and_grad(
            model.spec.loss,
            &tr.logits,
            model.spec.output_size,
            Target::Tokens(&ids[start + 1..end + 1]),
        );
        let n = end - start;
        total += l as f64 * n as f64;
        count += n;
        state = tr.final_state();
        start = end;
    }
    Ok((total / count as f64, count))
}

/// `‖∂L_T/∂h_t‖` for the loss of the last step only, inputs `ids[0..T)`, targets `ids[1..T+1)`,
/// from a zero state with batch 1; `[layer][t]`.
pub fn last_step_grad_norms(model: &Model, ids: &[u32]) -> Result<Vec<Vec<f32>>> {
    if ids.len() < 2 {
        return Err(Error::Data(format!(
            "need at least 2 characters (T+1), got {}",
            ids.len()
        )));
    }
    let t = ids.len() - 1;
    let w = Window {
        input: WindowInput::Tokens(ids[..t].to_vec()),
        target: WindowTarget::Tokens(ids[1..].to_vec()),
        reset: true,
    };
    let state = State::zeros(&model.spec, 1);
    let tr = forward_window(model, &w, 1, &state)?;
    let last = Window {
        target: last_step_target(&w, 1),
        ..w
    };
    let (_, d) = loss_and_grad(
        model.spec.loss,
        &tr.logits,
        model.spec.output_size,
        target_of(&last),
    );
    Ok(model.backward(&tr, &d, None))
}
