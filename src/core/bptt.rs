//! The forward pass through a window and its exact backward pass (full BPTT).
//!
//! Only the two recurrent products (`h_{t-1}·w_hhᵀ` forward, `∂gh_t·w_hh` backward) have to run
//! one step at a time. Everything else is one matrix product over all `T·B` rows of the window:
//! the input products `x·w_ihᵀ`, the decoder, the weight gradients `∂W = Σ_t ∂g_tᵀ·x_t`, and the
//! gradients passed down to the layer below. Activations are therefore stored per layer as one
//! buffer over the window, time-major then batch-major: step `t`, row `b`, unit `j` at
//! `[(t·B + b)·H + j]`.

use super::cell::{Cell, StepCache, StepGrad, StepOut};
use super::error::{Error, Result};
use super::kernels::{add_bias, gemm_nn_acc, gemm_nt, gemm_tn_acc, norm, sum_rows_acc};
use super::model::{Input, Layer, LossKind, Model, Params, State};

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
}

impl LayerTrace {
    /// `h_t` of steps `0..T`, `[T·B·H]`.
    pub fn outputs(&self) -> &[f32] {
        &self.h[self.bh..]
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
        Some(b) => LayerInput::Dense(b.outputs()),
        None if one_hot => LayerInput::OneHot(tokens),
        None => LayerInput::Dense(x0),
    }
}

/// `gi = x·w_ihᵀ` for all `rows` of the window. A one-hot x picks column `id` of w_ih
/// (bit-identical to the product).
fn input_products(rows: usize, gh: usize, nin: usize, x: LayerInput, w_ih: &[f32], gi: &mut [f32]) {
    match x {
        LayerInput::OneHot(tokens) => {
            for (gi, &id) in gi.chunks_exact_mut(gh).zip(tokens) {
                for (g, v) in gi.iter_mut().enumerate() {
                    *v = w_ih[g * nin + id as usize];
                }
            }
        }
        LayerInput::Dense(x) => gemm_nt(rows, gh, nin, x, w_ih, gi),
    }
}

/// `∂w_ih += Σ_t ∂gi_tᵀ·x_t` over all `rows` of the window. A one-hot x adds each row of `∂gi`
/// to column `id`.
fn add_w_ih_grad(rows: usize, gh: usize, nin: usize, x: LayerInput, dgi: &[f32], gw: &mut [f32]) {
    match x {
        LayerInput::OneHot(tokens) => {
            for (d, &id) in dgi.chunks_exact(gh).zip(tokens) {
                for (g, v) in d.iter().enumerate() {
                    gw[g * nin + id as usize] += v;
                }
            }
        }
        LayerInput::Dense(x) => gemm_tn_acc(rows, gh, nin, dgi, x, gw),
    }
}

/// `∂E[id] += ∂L/∂x_t` for the token of every row: the embedding gradient `ge` (`[V·e]`) from the
/// layer-0 input gradient `dx` (`[T·B·e]`).
fn add_embedding_grad(e: usize, dx: &[f32], tokens: &[u32], ge: &mut [f32]) {
    for (d, &id) in dx.chunks_exact(e).zip(tokens) {
        let row = &mut ge[id as usize * e..(id as usize + 1) * e];
        for (r, v) in row.iter_mut().zip(d) {
            *r += v;
        }
    }
}

impl LayerTrace {
    /// Sizes the buffers for a window and puts the initial state `h0`, `c0` in slot 0.
    fn start(&mut self, d: Dims, h0: &[f32], c0: &[f32]) {
        let (bh, cells) = (d.bh(), d.cells);
        self.bh = bh;
        // Every element of these is written before it is read.
        sized(&mut self.gi, d.rows() * d.gh);
        sized(&mut self.gh, d.rows() * d.gh);
        sized(&mut self.act, d.rows() * d.gh);
        sized(&mut self.h, (d.steps_t + 1) * bh);
        sized(&mut self.c, (d.steps_t + 1) * cells);
        self.h[..bh].copy_from_slice(h0);
        self.c[..cells].copy_from_slice(c0);
    }
}

impl BackScratch {
    /// Sizes the buffers for a window of `layers` layers and clears the record (`record`: with
    /// room for batch row 0's `∂L/∂h_t`).
    fn start(&mut self, d: Dims, layers: usize, record: bool) {
        let (tt, hs) = (d.steps_t, d.hs);
        let rec = &mut self.rec;
        rec.dh_norms.resize_with(layers, Vec::new);
        rec.dh_norms.iter_mut().for_each(|v| zeros(v, tt));
        rec.dh_row0
            .resize_with(if record { layers } else { 0 }, Vec::new);
        rec.dh_row0.iter_mut().for_each(|v| zeros(v, tt * hs));
        rec.dx0_norms.clear();
        // The cells write every element of these.
        sized(&mut self.dgi, d.rows() * d.gh);
        sized(&mut self.dgh, d.rows() * d.gh);
        zeros(&mut self.dh_direct, d.bh());
        zeros(&mut self.dc_prev, d.cells);
    }

    /// Layer `l`'s backward through time, the part that has to go one step at a time: from
    /// `t = T-1` down to 0, `∂L/∂h_t` is the gradient from above (`dh_above`) plus the one from
    /// step `t+1`; its norm is recorded, the cell turns it into `∂gi_t`, `∂gh_t` (`dgi`, `dgh`)
    /// and `∂L/∂c_{t-1}`, and `∂L/∂h_{t-1} = direct + ∂gh_t·w_hh` goes on to step `t-1`.
    fn backward_through_time(
        &mut self,
        cell: &dyn Cell,
        d: Dims,
        lt: &LayerTrace,
        w_hh: &[f32],
        l: usize,
        record: bool,
    ) {
        let (hs, bh, bg) = (d.hs, d.bh(), d.bg());
        zeros(&mut self.dh_next, bh);
        zeros(&mut self.dc_next, d.cells);
        for t in (0..d.steps_t).rev() {
            let dh = &mut self.dh_above[t * bh..(t + 1) * bh];
            for (d, n) in dh.iter_mut().zip(&self.dh_next) {
                *d += n;
            }
            self.rec.dh_norms[l][t] = norm(dh) as f32;
            if record {
                self.rec.dh_row0[l][t * hs..(t + 1) * hs].copy_from_slice(&dh[..hs]);
            }
            let (h_prev, c_prev) = (lt.h_at(t as isize - 1), lt.c_at(t as isize - 1));
            let grad = StepGrad {
                dgi: &mut self.dgi[t * bg..(t + 1) * bg],
                dgh: &mut self.dgh[t * bg..(t + 1) * bg],
                dh_prev_direct: &mut self.dh_direct,
                dc_prev: &mut self.dc_prev,
            };
            cell.backward(hs, h_prev, c_prev, lt.step(t), dh, &self.dc_next, grad);
            self.dh_next.copy_from_slice(&self.dh_direct);
            let dgh_t = &self.dgh[t * bg..(t + 1) * bg];
            gemm_nn_acc(d.batch, d.gh, hs, dgh_t, w_hh, &mut self.dh_next);
            self.dc_next.copy_from_slice(&self.dc_prev);
        }
    }

    /// The weight gradients of the whole window, one product each: `∂w_hh += Σ_t ∂gh_tᵀ·h_{t-1}`,
    /// `∂b_hh += Σ_t ∂gh_t`, `∂w_ih += Σ_t ∂gi_tᵀ·x_t`, `∂b_ih += Σ_t ∂gi_t`.
    fn add_weight_grads(
        &self,
        d: Dims,
        nin: usize,
        x: LayerInput,
        lt: &LayerTrace,
        gl: &mut Layer,
    ) {
        let rows = d.rows();
        let (dgi, dgh) = (&self.dgi, &self.dgh);
        let h_prev = &lt.h[..rows * d.hs];
        let gw_hh = gl.w_hh.as_slice_mut().unwrap();
        gemm_tn_acc(rows, d.gh, d.hs, dgh, h_prev, gw_hh);
        sum_rows_acc(dgh, gl.b_hh.as_slice_mut().unwrap());
        add_w_ih_grad(rows, d.gh, nin, x, dgi, gl.w_ih.as_slice_mut().unwrap());
        sum_rows_acc(dgi, gl.b_ih.as_slice_mut().unwrap());
    }

    /// The gradient of the layer's input over the window, `∂L/∂x = ∂gi·w_ih` (into `dx`); with
    /// `record_x0` (layer 0), also the norms `‖∂L/∂x_t‖` of batch row 0.
    fn input_grad(&mut self, d: Dims, nin: usize, w_ih: &[f32], record_x0: bool) {
        let (rows, b) = (d.rows(), d.batch);
        zeros(&mut self.dx, rows * nin);
        gemm_nn_acc(rows, d.gh, nin, &self.dgi, w_ih, &mut self.dx);
        if record_x0 {
            let dx = &self.dx;
            self.rec
                .dx0_norms
                .extend((0..d.steps_t).map(|t| norm(&dx[t * b * nin..t * b * nin + nin]) as f32));
        }
    }
}

impl Model {
    /// Runs the window forward from `state`. `batch` is B; the input length fixes T.
    pub fn forward(&self, input: Input, batch: usize, state: &State) -> Result<Trace> {
        self.forward_perturbed(input, batch, state, None)
    }

    /// [`Model::forward`] into an existing trace, reusing its buffers.
    pub fn forward_into(
        &self,
        input: Input,
        batch: usize,
        state: &State,
        tr: &mut Trace,
    ) -> Result<()> {
        self.run_forward(input, batch, state, None, tr)
    }

    /// [`Model::forward`] with `delta` added to `h_t[k]` of layer `l` right after it is computed
    /// (`(l, t, k, delta)`, `k` indexing the flat `[B·H]` state) — for finite-difference checks of
    /// `∂L/∂h_t`.
    #[doc(hidden)]
    pub fn forward_perturbed(
        &self,
        input: Input,
        batch: usize,
        state: &State,
        perturb: Option<(usize, usize, usize, f32)>,
    ) -> Result<Trace> {
        let mut tr = Trace::default();
        self.run_forward(input, batch, state, perturb, &mut tr)?;
        Ok(tr)
    }

    /// The sizes of a window of `steps_t` steps of `batch` rows.
    fn dims(&self, batch: usize, steps_t: usize) -> Dims {
        let s = &self.spec;
        let cell = s.cell.cell();
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

    /// The forward pass: per layer, bottom up, the input products of every step at once and then
    /// the recurrence; then the decoder over the top layer's outputs.
    fn run_forward(
        &self,
        input: Input,
        batch: usize,
        state: &State,
        perturb: Option<(usize, usize, usize, f32)>,
        tr: &mut Trace,
    ) -> Result<()> {
        let s = &self.spec;
        self.check_state(state, batch)?;
        let steps_t = self.embed_input(input, batch, &mut tr.x0, &mut tr.tokens)?;
        let one_hot = s.embed == 0 && !tr.tokens.is_empty();
        let d = self.dims(batch, steps_t);
        tr.steps_t = steps_t;
        tr.batch = batch;
        tr.layers.resize_with(s.layers, LayerTrace::default);
        for (l, p) in self.params.layers.iter().enumerate() {
            let (below, here) = tr.layers.split_at_mut(l);
            let lt = &mut here[0];
            lt.start(d, &state.h[l], &state.c[l]);
            // The input products of every step at once.
            let x = input_of(below, &tr.x0, &tr.tokens, one_hot);
            let w_ih = p.w_ih.as_slice().expect("contiguous");
            input_products(d.rows(), d.gh, s.layer_input(l), x, w_ih, &mut lt.gi);
            add_bias(&mut lt.gi, p.b_ih.as_slice().unwrap());
            let perturb = perturb
                .filter(|&(pl, ..)| pl == l)
                .map(|(_, t, k, delta)| (t, k, delta));
            self.recurrence(l, d, lt, perturb);
        }
        self.decode(d, tr);
        Ok(())
    }

    /// Checks that `state` has every layer's state for `batch` rows.
    fn check_state(&self, state: &State, batch: usize) -> Result<()> {
        let s = &self.spec;
        let hs = s.hidden;
        if state.h.len() != s.layers || state.batch(hs) != batch {
            return Err(Error::shape(
                "forward: initial state",
                format!("{} layers × [{batch}×{hs}]", s.layers),
                format!(
                    "{} layers × {} values",
                    state.h.len(),
                    state.h.first().map_or(0, Vec::len)
                ),
            ));
        }
        Ok(())
    }

    /// Layer `l`'s recurrence, one step at a time: `gh_t = h_{t-1}·w_hhᵀ + b_hh`, then the cell
    /// makes `h_t` (and `c_t`) from `gi_t`, `gh_t` and the previous state. With `perturb`
    /// `(t, k, delta)`, `delta` is added to `h_t[k]` right after it is computed.
    fn recurrence(
        &self,
        l: usize,
        d: Dims,
        lt: &mut LayerTrace,
        perturb: Option<(usize, usize, f32)>,
    ) {
        let p = &self.params.layers[l];
        let cell = self.spec.cell.cell();
        let (hs, bh, bg) = (d.hs, d.bh(), d.bg());
        let w_hh = p.w_hh.as_slice().expect("contiguous");
        for t in 0..d.steps_t {
            let (h_prev, h_next) = prev_and_next(&mut lt.h, t, bh);
            let (c_prev, c_next) = prev_and_next(&mut lt.c, t, d.cells);
            let g_rec = &mut lt.gh[t * bg..(t + 1) * bg];
            gemm_nt(d.batch, d.gh, hs, h_prev, w_hh, g_rec);
            add_bias(g_rec, p.b_hh.as_slice().unwrap());
            let out = StepOut {
                act: &mut lt.act[t * bg..(t + 1) * bg],
                h: h_next,
                c: c_next,
            };
            let g_in = &lt.gi[t * bg..(t + 1) * bg];
            cell.forward(hs, g_in, g_rec, h_prev, c_prev, out);
            if let Some((pt, k, delta)) = perturb {
                if pt == t {
                    lt.h[(t + 1) * bh + k] += delta;
                }
            }
        }
    }

    /// The decoder over all `T·B` rows at once: `logits = h_t·dec_wᵀ + dec_b` of the top layer.
    fn decode(&self, d: Dims, tr: &mut Trace) {
        let o = self.spec.output_size;
        sized(&mut tr.logits, d.rows() * o);
        if let Some(top) = tr.layers.last() {
            let dec_w = self.params.dec_w.as_slice().expect("contiguous");
            gemm_nt(d.rows(), o, d.hs, top.outputs(), dec_w, &mut tr.logits);
            add_bias(&mut tr.logits, self.params.dec_b.as_slice().unwrap());
        }
    }

    /// Checks the input and fills the layer-0 input `x0` (`[T·B·in0]`, left empty for one-hot
    /// tokens) and `tokens`. Returns T.
    fn embed_input(
        &self,
        input: Input,
        batch: usize,
        x0: &mut Vec<f32>,
        tokens: &mut Vec<u32>,
    ) -> Result<usize> {
        x0.clear();
        tokens.clear();
        match input {
            Input::Tokens(ids) => {
                self.check_tokens(ids, batch)?;
                if let Some(e) = &self.params.embedding {
                    let (e, w) = (e.as_slice().expect("contiguous"), self.spec.embed);
                    for &id in ids {
                        x0.extend_from_slice(&e[id as usize * w..(id as usize + 1) * w]);
                    }
                }
                tokens.extend_from_slice(ids);
                Ok(ids.len() / batch)
            }
            Input::Real(v) => {
                self.check_reals(v, batch)?;
                x0.extend_from_slice(v);
                Ok(v.len() / (batch * self.spec.input_size))
            }
        }
    }

    /// Checks token ids: the model reads tokens, they fill whole steps of `batch` rows, and each
    /// is in the vocabulary.
    fn check_tokens(&self, ids: &[u32], batch: usize) -> Result<()> {
        let s = &self.spec;
        if s.loss != LossKind::CrossEntropy && s.vocab.is_empty() && s.embed == 0 {
            return Err(Error::shape("forward", "real-valued inputs", "token ids"));
        }
        if batch == 0 || ids.len() % batch != 0 {
            return Err(Error::shape(
                "forward: token ids",
                format!("T×{batch}"),
                ids.len().to_string(),
            ));
        }
        if let Some(&bad) = ids.iter().find(|&&i| i as usize >= s.input_size) {
            return Err(Error::shape(
                "forward: token id",
                format!("< {}", s.input_size),
                bad.to_string(),
            ));
        }
        Ok(())
    }

    /// Checks real inputs: the model has no embedding and they fill whole steps of `batch` rows.
    fn check_reals(&self, v: &[f32], batch: usize) -> Result<()> {
        let (s, w) = (&self.spec, self.spec.input_size);
        if s.embed != 0 || batch == 0 || v.len() % (batch * w) != 0 {
            return Err(Error::shape(
                "forward: real inputs",
                format!("T×{batch}×{w} without embedding"),
                v.len().to_string(),
            ));
        }
        Ok(())
    }

    /// Backpropagates `dlogits` (`[T·B·O]`, ∂L/∂logits) through the whole window.
    ///
    /// With `grads`, parameter gradients are *added* to it; without, only the hidden-state
    /// gradients are computed (cheaper: no weight products). Returns `‖∂L/∂h_t‖` per layer and
    /// step, `[l][t]`, the Frobenius norm over the batch of the full gradient reaching `h_t`.
    pub fn backward(
        &self,
        tr: &Trace,
        dlogits: &[f32],
        grads: Option<&mut Params>,
    ) -> Vec<Vec<f32>> {
        self.backward_with(tr, dlogits, grads, false).dh_norms
    }

    /// [`Model::backward`] that can also record, for batch row 0, the gradient vectors
    /// `∂L/∂h_t` of every layer and the norms `‖∂L/∂x_t‖` of the layer-0 inputs (`record`).
    pub fn backward_with(
        &self,
        tr: &Trace,
        dlogits: &[f32],
        grads: Option<&mut Params>,
        record: bool,
    ) -> BackwardRecord {
        let mut scratch = BackScratch::default();
        self.backward_into(tr, dlogits, grads, record, &mut scratch);
        scratch.rec
    }

    /// [`Model::backward_with`] with kept buffers; the record is left in `sc.rec`.
    pub fn backward_into(
        &self,
        tr: &Trace,
        dlogits: &[f32],
        mut grads: Option<&mut Params>,
        record: bool,
        sc: &mut BackScratch,
    ) {
        let s = &self.spec;
        let d = self.dims(tr.batch, tr.steps_t);
        let one_hot = s.embed == 0 && !tr.tokens.is_empty();
        self.decoder_backward(d, tr, dlogits, grads.as_deref_mut(), &mut sc.dh_above);
        sc.start(d, s.layers, record);
        for l in (0..s.layers).rev() {
            let (p, lt) = (&self.params.layers[l], &tr.layers[l]);
            let nin = s.layer_input(l);
            let w_hh = p.w_hh.as_slice().expect("contiguous");
            sc.backward_through_time(s.cell.cell(), d, lt, w_hh, l, record);
            if let Some(g) = grads.as_deref_mut() {
                let x = input_of(&tr.layers[..l], &tr.x0, &tr.tokens, one_hot);
                sc.add_weight_grads(d, nin, x, lt, &mut g.layers[l]);
            }
            let need_dx = l > 0 || (grads.is_some() && s.embed > 0) || record;
            if !need_dx {
                continue;
            }
            sc.input_grad(d, nin, p.w_ih.as_slice().unwrap(), l == 0 && record);
            if l > 0 {
                // ∂L/∂x of this layer is ∂L/∂h_t from above for the layer below.
                std::mem::swap(&mut sc.dh_above, &mut sc.dx);
            } else if let (Some(g), Some(_)) = (grads.as_deref_mut(), &self.params.embedding) {
                let ge = g.embedding.as_mut().unwrap().as_slice_mut().unwrap();
                add_embedding_grad(s.embed, &sc.dx, &tr.tokens, ge);
            }
        }
    }

    /// The decoder's backward over all `T·B` rows at once: `∂L/∂h_t = ∂logits·dec_w` of the top
    /// layer (into `dh`), and with `grads`, `∂dec_w += ∂logitsᵀ·h_t` and `∂dec_b += Σ ∂logits`.
    fn decoder_backward(
        &self,
        d: Dims,
        tr: &Trace,
        dlogits: &[f32],
        grads: Option<&mut Params>,
        dh: &mut Vec<f32>,
    ) {
        let (rows, o, hs) = (d.rows(), self.spec.output_size, d.hs);
        let top = &tr.layers[self.spec.layers - 1];
        let dec_w = self.params.dec_w.as_slice().expect("contiguous");
        zeros(dh, rows * hs);
        gemm_nn_acc(rows, o, hs, dlogits, dec_w, dh);
        if let Some(g) = grads {
            let gw = g.dec_w.as_slice_mut().unwrap();
            gemm_tn_acc(rows, o, hs, dlogits, top.outputs(), gw);
            sum_rows_acc(dlogits, g.dec_b.as_slice_mut().unwrap());
        }
    }
}
