//! Data-parallel batches. The `B` streams of a window are split into a fixed partition of
//! shards that depends only on `B` ([`partition`]); each shard's forward, loss and backward
//! run on their own ([`Job::run`], on any thread or worker), and the shards' gradients, loss
//! sums and diagnostics are combined in a fixed order ([`combine_grads`]: a pairwise tree over
//! shard index). The bits are therefore the same for any number of threads, and natively and
//! in wasm. A batch of at most [`SHARD_STREAMS`] streams is one shard: exactly the unsharded
//! computation.

use super::bptt::BackScratch;
use super::data::{Window, WindowInput, WindowTarget};
use super::diag::BatchDiag;
use super::error::Error;
use super::loss::{accuracy_counts, loss_sum_and_grad_into};
use super::model::{Model, Params, State, Trace};
use super::trainer::{forward_window_into, target_of};
use std::ops::Range;

/// Streams per shard: a batch of up to this many is one shard.
pub const SHARD_STREAMS: usize = 16;

/// At most this many shards (bigger batches get bigger shards): each shard keeps its own
/// gradient buffer, as big as the model.
pub const MAX_SHARDS: usize = 8;

/// The streams of each shard of a batch of `b`: `⌈b / SHARD_STREAMS⌉` shards (at most
/// [`MAX_SHARDS`]) of consecutive streams, sizes differing by at most one, bigger ones first.
pub fn partition(b: usize) -> Vec<Range<usize>> {
    let n = b.div_ceil(SHARD_STREAMS).clamp(1, MAX_SHARDS);
    let (size, extra) = (b / n, b % n);
    let mut start = 0;
    (0..n)
        .map(|k| {
            let len = size + usize::from(k < extra);
            start += len;
            start - len..start
        })
        .collect()
}

/// One shard's buffers, kept between steps, and what its latest run found.
#[derive(Debug, Default)]
pub struct Shard {
    /// Its streams of the window and of the carried state (none when it has all of them).
    sub: Option<(Window, State)>,
    /// Its forward pass.
    pub trace: Trace,
    dlogits: Vec<f32>,
    pub back: BackScratch,
    /// Its weight gradient (the trainer lends shard 0 its own buffer).
    pub grads: Option<Params>,
    /// Its share of the loss: the summed loss of its streams.
    pub loss_sum: f64,
    /// `(right, predicted)` positions of its streams.
    pub hits: (usize, usize),
    /// Its part of the batch-wide diagnostics (when asked for).
    pub diag: Option<BatchDiag>,
    /// Why its forward pass failed.
    pub error: Option<Error>,
    /// The state after the last step of its streams.
    pub end: State,
    /// Whether it ran (or took a replica's result) since the step began.
    pub ran: bool,
}

/// What every shard of a step reads: the model, the whole window and carried state, and the
/// whole batch's loss denominators.
pub struct Job<'a> {
    pub model: &'a Model,
    pub window: &'a Window,
    pub state: &'a State,
    /// The partition of the batch ([`partition`]).
    pub parts: &'a [Range<usize>],
    /// What the window's mean loss divides by ([`super::loss::denominator`]).
    pub n: usize,
    /// With diagnostics: what the last step's mean loss divides by.
    pub last_n: Option<usize>,
}

impl Job<'_> {
    /// Shard `k`'s forward, loss and backward: its summed loss, hits and (with `last_n`)
    /// diagnostics go into `sh`, its weight gradient is added to `sh.grads`, which must be zero
    /// or absent (then it is made).
    pub fn run(&self, k: usize, sh: &mut Shard) {
        let (model, len) = (self.model, self.parts[k].len());
        sh.ran = true;
        let whole = self.slice(k, sh);
        let (w, state) = match (&sh.sub, whole) {
            (Some((w, s)), false) => (w, s),
            _ => (self.window, self.state),
        };
        sh.error = forward_window_into(model, w, len, state, &mut sh.trace).err();
        if sh.error.is_some() {
            return;
        }
        sh.trace.final_state_into(&mut sh.end);
        let (tr, o, kind) = (&sh.trace, model.spec.output_size, model.spec.loss);
        sh.loss_sum =
            loss_sum_and_grad_into(kind, &tr.logits, o, target_of(w), self.n, &mut sh.dlogits);
        sh.hits = accuracy_counts(&tr.logits, o, target_of(w));
        let grads = sh.grads.get_or_insert_with(|| Params::zeros(&model.spec));
        let record = self.last_n.is_some();
        model.backward_into(tr, &sh.dlogits, Some(grads), record, &mut sh.back);
        sh.diag = self
            .last_n
            .map(|n| BatchDiag::of(model, tr, w, &sh.back.rec.dh_norms, n));
    }

    /// Shard `k`'s streams of the window and state into `sh.sub`, unless it has all of them
    /// (then returns true).
    fn slice(&self, k: usize, sh: &mut Shard) -> bool {
        let (hs, range) = (self.model.spec.hidden, self.parts[k].clone());
        let b = self.state.batch(hs);
        if range.len() == b {
            return true;
        }
        let (w, s) = sh.sub.get_or_insert_with(empty_parts);
        slice_window(self.window, b, range.clone(), w);
        slice_state(self.state, hs, range, s);
        false
    }

    /// What a replica needs to run shard `k` ([`super::replica::Replica::run`]): its streams of
    /// the window and state and the batch's denominators, as words.
    pub fn task(&self, k: usize, sh: &mut Shard) -> Vec<u32> {
        let whole = self.slice(k, sh);
        let (w, state) = match (&sh.sub, whole) {
            (Some((w, s)), false) => (w, s),
            _ => (self.window, self.state),
        };
        super::replica::encode_task(w, state, self.parts[k].len(), self.n, self.last_n)
    }
}

fn empty_parts() -> (Window, State) {
    let w = Window {
        input: WindowInput::Tokens(Vec::new()),
        target: WindowTarget::Tokens(Vec::new()),
        reset: false,
    };
    let s = State {
        h: Vec::new(),
        c: Vec::new(),
    };
    (w, s)
}

/// Streams `r` of every step of a time-major `[T·B·width]` buffer, into `out` (`[T·|r|·width]`).
fn slice_rows<T: Copy>(v: &[T], b: usize, width: usize, r: &Range<usize>, out: &mut Vec<T>) {
    out.clear();
    for step in v.chunks_exact(b * width) {
        out.extend_from_slice(&step[r.start * width..r.end * width]);
    }
}

/// Streams `r` of the window `w` of `b` streams, into `out`, reusing its buffers.
pub fn slice_window(w: &Window, b: usize, r: Range<usize>, out: &mut Window) {
    out.reset = w.reset;
    let t = steps(w, b).max(1);
    let empty = WindowInput::Tokens(Vec::new());
    out.input = match (&w.input, std::mem::replace(&mut out.input, empty)) {
        (WindowInput::Tokens(x), WindowInput::Tokens(mut o)) => {
            slice_rows(x, b, 1, &r, &mut o);
            WindowInput::Tokens(o)
        }
        (WindowInput::Tokens(x), _) => WindowInput::Tokens(sliced(x, b, 1, &r)),
        (WindowInput::Real(x), WindowInput::Real(mut o)) => {
            slice_rows(x, b, x.len() / b / t, &r, &mut o);
            WindowInput::Real(o)
        }
        (WindowInput::Real(x), _) => WindowInput::Real(sliced(x, b, x.len() / b / t, &r)),
    };
    let empty = WindowTarget::Tokens(Vec::new());
    out.target = match (&w.target, std::mem::replace(&mut out.target, empty)) {
        (WindowTarget::Tokens(y), WindowTarget::Tokens(mut o)) => {
            slice_rows(y, b, 1, &r, &mut o);
            WindowTarget::Tokens(o)
        }
        (WindowTarget::Tokens(y), _) => WindowTarget::Tokens(sliced(y, b, 1, &r)),
        (WindowTarget::Real { y, mask }, old) => {
            let (mut oy, mut om) = match old {
                WindowTarget::Real { y, mask } => (y, mask),
                WindowTarget::Tokens(_) => (Vec::new(), Vec::new()),
            };
            slice_rows(y, b, y.len() / b / t, &r, &mut oy);
            om.clone_from(mask);
            WindowTarget::Real { y: oy, mask: om }
        }
    };
}

/// [`slice_rows`] into a new vector.
fn sliced<T: Copy>(v: &[T], b: usize, width: usize, r: &Range<usize>) -> Vec<T> {
    let mut o = Vec::new();
    slice_rows(v, b, width, r, &mut o);
    o
}

/// T of a window of `b` streams.
fn steps(w: &Window, b: usize) -> usize {
    match (&w.input, &w.target) {
        (WindowInput::Tokens(t), _) => t.len() / b,
        (_, WindowTarget::Real { mask, .. }) => mask.len(),
        (WindowInput::Real(_), WindowTarget::Tokens(t)) => t.len() / b,
    }
}

/// Streams `r` of a state (`[B·H]` per layer), into `out`.
fn slice_state(s: &State, hs: usize, r: Range<usize>, out: &mut State) {
    let rows = |v: &[Vec<f32>], out: &mut Vec<Vec<f32>>| {
        out.resize_with(v.len(), Vec::new);
        for (o, v) in out.iter_mut().zip(v) {
            o.clear();
            if !v.is_empty() {
                o.extend_from_slice(&v[r.start * hs..r.end * hs]);
            }
        }
    };
    rows(&s.h, &mut out.h);
    rows(&s.c, &mut out.c);
}

/// Writes the state after the last step of every shard into its streams of `state`.
pub fn final_state_into(shards: &[Shard], parts: &[Range<usize>], hs: usize, state: &mut State) {
    for (sh, r) in shards.iter().zip(parts) {
        let (to, from) = (state.h.iter_mut(), sh.end.h.iter());
        let (to_c, from_c) = (state.c.iter_mut(), sh.end.c.iter());
        for (to, from) in to.zip(from).chain(to_c.zip(from_c)) {
            if !to.is_empty() {
                to[r.start * hs..r.end * hs].copy_from_slice(from);
            }
        }
    }
}

/// Adds every shard's gradient into shard 0's, along a fixed pairwise tree over shard index
/// (`g0 += g1, g2 += g3, …`, then `g0 += g2, …`), whatever ran the shards; the others are left
/// zeroed for the next step.
pub fn combine_grads(shards: &mut [Shard]) {
    let n = shards.len();
    let mut stride = 1;
    while stride < n {
        for i in (0..n).step_by(2 * stride).filter(|i| i + stride < n) {
            let (a, b) = shards.split_at_mut(i + stride);
            if let (Some(to), Some(from)) = (a[i].grads.as_mut(), b[0].grads.as_ref()) {
                // `slices`: the tensor walk already in the wasm, no new copy of it.
                for (t, f) in to.slices_mut().into_iter().zip(from.slices()) {
                    add(t, f);
                }
            }
        }
        stride *= 2;
    }
    for g in shards[1..].iter_mut().filter_map(|s| s.grads.as_mut()) {
        g.fill_zero();
    }
}

/// `to += from`, element by element (one copy of the loop: the wasm stays small).
#[inline(never)]
fn add(to: &mut [f32], from: &[f32]) {
    for (x, y) in to.iter_mut().zip(from) {
        *x += y;
    }
}

/// The shards' summed losses added in shard order, and their hits.
pub fn combine_loss(shards: &[Shard]) -> (f64, (usize, usize)) {
    shards.iter().fold((0.0, (0, 0)), |(l, (r, p)), s| {
        (l + s.loss_sum, (r + s.hits.0, p + s.hits.1))
    })
}
