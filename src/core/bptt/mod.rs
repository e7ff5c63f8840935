//! The forward pass through a window and its exact backward pass (full BPTT).
//!
//! Only the two recurrent products (`h_{t-1}·w_hhᵀ` forward, `∂gh_t·w_hh` backward) have to run
//! one step at a time. Everything else is one matrix product over all `T·B` rows of the window:
//! the input products `x·w_ihᵀ`, the decoder, the weight gradients `∂W = Σ_t ∂g_tᵀ·x_t`, and the
//! gradients passed down to the layer below. Activations are therefore stored per layer as one
//! buffer over the window, time-major then batch-major: step `t`, row `b`, unit `j` at
//! `[(t·B + b)·H + j]`.

mod attention;
mod backward;
mod forward;

use super::cell::StepCache;
use super::model::{Model, State};
pub use attention::AttnTrace;

/// One layer's activations over a window.
#[derive(Clone, Debug, Default)]
pub struct LayerTrace {
    /// `B·H`: the length of one step's state.
    pub bh: usize,
    /// `x_t·w_ihᵀ + b_ih`, `[T·B·G·H]`.
    pub gi: Vec<f32>,
    /// `h_{t-1}·w_hhᵀ + b_hh`, `[T·B·G·H]`.
    pub gh: Vec<f32>,
    /// Activated gates in PyTorch order, `[T·B·G·H]`.
    pub act: Vec<f32>,
    /// Hidden states `[(T+1)·B·H]`: slot 0 is the state the window started from, slot `t+1`
    /// is `h_t`, so the `h_{t-1}` of all steps are the first `T` slots, in one piece.
    pub h: Vec<f32>,
    /// Cell states in the same slots (LSTM; empty otherwise).
    pub c: Vec<f32>,
    /// With `residual=layers`, above layer 0: `o_t = h_t + o_{t}` of the layer below, `[T·B·H]`;
    /// empty otherwise.
    pub o: Vec<f32>,
}

impl LayerTrace {
    /// `h_t` of steps `0..T`, `[T·B·H]`.
    pub fn outputs(&self) -> &[f32] {
        &self.h[self.bh..]
    }

    /// What the layer above (or the decoder) reads, `[T·B·H]`: `o_t` with `residual=layers`, else
    /// `h_t`.
    pub fn out(&self) -> &[f32] {
        if self.o.is_empty() {
            self.outputs()
        } else {
            &self.o
        }
    }

    /// `c_t` of steps `0..T` (empty unless LSTM).
    pub fn cell_outputs(&self) -> &[f32] {
        self.c.get(self.bh..).unwrap_or(&[])
    }

    /// `h_t` (`t = -1` is the initial state).
    pub fn h_at(&self, t: isize) -> &[f32] {
        slot(&self.h, t, self.bh)
    }

    /// `c_t` (`t = -1` is the initial state; empty unless LSTM).
    pub fn c_at(&self, t: isize) -> &[f32] {
        slot(&self.c, t, self.bh)
    }

    /// What the cell's backward step needs of step `t`.
    pub fn step(&self, t: usize) -> StepCache<'_> {
        let g = self.act.len() / (self.h.len() / self.bh - 1);
        StepCache {
            gi: &self.gi[t * g..(t + 1) * g],
            gh: &self.gh[t * g..(t + 1) * g],
            act: &self.act[t * g..(t + 1) * g],
            h: self.h_at(t as isize),
            c: self.c_at(t as isize),
        }
    }
}

/// Slot `t + 1` of a `[(T+1)·n]` state buffer (empty buffers stay empty).
fn slot(v: &[f32], t: isize, n: usize) -> &[f32] {
    if v.is_empty() {
        return v;
    }
    let s = (t + 1) as usize * n;
    &v[s..s + n]
}

/// Splits a `[(T+1)·n]` state buffer into slot `t` (read) and slot `t + 1` (written).
fn prev_and_next(v: &mut [f32], t: usize, n: usize) -> (&[f32], &mut [f32]) {
    if v.is_empty() {
        return (&[], v);
    }
    let (before, after) = v.split_at_mut((t + 1) * n);
    (&before[t * n..], &mut after[..n])
}

/// Everything the forward pass keeps for the backward pass and the teaching views. A trainer
/// keeps one and refills it every step ([`Model::forward_into`]), so a step allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub steps_t: usize,
    pub batch: usize,
    /// Tokens of the window (empty for real inputs).
    pub tokens: Vec<u32>,
    /// Input to layer 0, `[T·B·in0]`: embedded or real vectors. Empty for one-hot inputs, whose
    /// products are column look-ups by token.
    pub x0: Vec<f32>,
    /// Per layer.
    pub layers: Vec<LayerTrace>,
    /// Decoder outputs `[T·B·O]`.
    pub logits: Vec<f32>,
    /// The attention's buffers (empty without attention).
    pub attn: AttnTrace,
    /// `w_ihᵀ + b_ih` of the layer being computed, for one-hot inputs (a row per token).
    w_t: Vec<f32>,
}

impl Trace {
    /// The state after the last step (to carry into the next window).
    pub fn final_state(&self) -> State {
        let mut s = State {
            h: Vec::new(),
            c: Vec::new(),
        };
        self.final_state_into(&mut s);
        s
    }

    /// [`Trace::final_state`] into `state`, reusing its buffers.
    pub fn final_state_into(&self, state: &mut State) {
        let t = self.steps_t as isize - 1;
        state.h.resize_with(self.layers.len(), Vec::new);
        state.c.resize_with(self.layers.len(), Vec::new);
        for ((l, h), c) in self.layers.iter().zip(&mut state.h).zip(&mut state.c) {
            h.clear();
            h.extend_from_slice(l.h_at(t));
            c.clear();
            c.extend_from_slice(l.c_at(t));
        }
    }
}

/// What [`Model::backward_with`] returns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackwardRecord {
    /// `‖∂L/∂h_t‖` per layer and step `[l][t]` (norm over the batch).
    pub dh_norms: Vec<Vec<f32>>,
    /// `∂L/∂h_t` of batch row 0, `[l][t·H + j]` (when recorded).
    pub dh_row0: Vec<Vec<f32>>,
    /// `‖∂L/∂x_t‖` of batch row 0's layer-0 input, `[t]` (when recorded).
    pub dx0_norms: Vec<f32>,
}

/// The backward pass's buffers, kept between steps so that a step allocates nothing; the
/// record of the latest pass is `rec`.
#[derive(Clone, Debug, Default)]
pub struct BackScratch {
    pub rec: BackwardRecord,
    dgi: Vec<f32>,
    dgh: Vec<f32>,
    dh_above: Vec<f32>,
    dx: Vec<f32>,
    dh_next: Vec<f32>,
    dc_next: Vec<f32>,
    dh_direct: Vec<f32>,
    dc_prev: Vec<f32>,
    /// `∂L/∂o` from above, kept for the residual path to the layer below (`residual=layers`).
    res: Vec<f32>,
    /// `∂L/∂[z_t ; a_t]` (attention).
    ddec: Vec<f32>,
    /// The attention's backward buffers.
    attn: attention::AttnScratch,
    /// `∂w_ihᵀ` while one-hot rows are added to it.
    w_t: Vec<f32>,
}

/// Gives `v` length `n`, keeping its allocation and (unlike [`zeros`]) its old values: for
/// buffers that are written in full before they are read.
fn sized(v: &mut Vec<f32>, n: usize) {
    v.resize(n, 0.0);
    v.truncate(n);
}

/// Sets `v` to `n` zeros, keeping its allocation.
fn zeros(v: &mut Vec<f32>, n: usize) {
    v.clear();
    v.resize(n, 0.0);
}

/// The sizes of one window's buffers.
#[derive(Clone, Copy, Debug)]
struct Dims {
    /// H.
    hs: usize,
    /// B.
    batch: usize,
    /// T.
    steps_t: usize,
    /// G·H: the width of one row's gates.
    gh: usize,
    /// The length of one step's cell state: B·H for an LSTM, 0 otherwise.
    cells: usize,
}

impl Dims {
    /// T·B: the rows of the window's one-product-for-all-steps matrices.
    fn rows(self) -> usize {
        self.steps_t * self.batch
    }

    /// B·H: one step's state.
    fn bh(self) -> usize {
        self.batch * self.hs
    }

    /// B·G·H: one step's gates.
    fn bg(self) -> usize {
        self.batch * self.gh
    }

    /// The attention's view of the sizes.
    fn shape(self) -> attention::Shape {
        attention::Shape {
            steps_t: self.steps_t,
            batch: self.batch,
            hs: self.hs,
        }
    }
}

/// What a layer reads at every step: dense vectors `x` (`[T·B·in]`: embedded or real inputs, or
/// the layer below's `h_t`), or one-hot tokens, whose products are columns of `w_ih`.
#[derive(Clone, Copy, Debug)]
enum LayerInput<'a> {
    Dense(&'a [f32]),
    OneHot(&'a [u32]),
}

/// The input of the layer above `below`: the outputs of the layer under it, or for layer 0 the
/// one-hot tokens or `x0`.
fn input_of<'a>(
    below: &'a [LayerTrace],
    x0: &'a [f32],
    tokens: &'a [u32],
    one_hot: bool,
) -> LayerInput<'a> {
    match below.last() {
        Some(b) => LayerInput::Dense(b.out()),
        None if one_hot => LayerInput::OneHot(tokens),
        None => LayerInput::Dense(x0),
    }
}

impl Model {
    /// The sizes of a window of `steps_t` steps of `batch` rows.
    fn dims(&self, batch: usize, steps_t: usize) -> Dims {
        let s = &self.spec;
        let cell = s.step_cell();
        Dims {
            hs: s.hidden,
            batch,
            steps_t,
            gh: cell.gates() * s.hidden,
            cells: if cell.has_cell_state() {
                batch * s.hidden
            } else {
                0
            },
        }
    }
}
