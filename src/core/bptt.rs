//! The forward pass through a window and its exact backward pass (full BPTT).
//!
//! Only the two recurrent products (`h_{t-1}·w_hhᵀ` forward, `∂gh_t·w_hh` backward) have to run
//! one step at a time. Everything else is one matrix product over all `T·B` rows of the window:
//! the input products `x·w_ihᵀ`, the decoder, the weight gradients `∂W = Σ_t ∂g_tᵀ·x_t`, and the
//! gradients passed down to the layer below. Activations are therefore stored per layer as one
//! buffer over the window, time-major then batch-major: step `t`, row `b`, unit `j` at
//! `[(t·B + b)·H + j]`.

use super::cell::{StepCache, StepGrad, StepOut};
use super::error::{Error, Result};
use super::kernels::{add_bias, gemm_nn_acc, gemm_nt, gemm_tn_acc, norm, sum_rows_acc};
use super::model::{Input, LossKind, Model, Params, State};

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

    fn run_forward(
        &self,
        input: Input,
        batch: usize,
        state: &State,
        perturb: Option<(usize, usize, usize, f32)>,
        tr: &mut Trace,
    ) -> Result<()> {
        let s = &self.spec;
        let (hs, cell) = (s.hidden, s.cell.cell());
        let gh = cell.gates() * hs;
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
        let steps_t = self.embed_input(input, batch, &mut tr.x0, &mut tr.tokens)?;
        let one_hot = s.embed == 0 && !tr.tokens.is_empty();
        let (rows, bh, bg) = (steps_t * batch, batch * hs, batch * gh);
        tr.steps_t = steps_t;
        tr.batch = batch;
        tr.layers.resize_with(s.layers, LayerTrace::default);
        for (l, p) in self.params.layers.iter().enumerate() {
            let nin = s.layer_input(l);
            let cells = if cell.has_cell_state() { bh } else { 0 };
            let (below, here) = tr.layers.split_at_mut(l);
            let lt = &mut here[0];
            lt.bh = bh;
            // Every element of these is written below before it is read.
            sized(&mut lt.gi, rows * gh);
            sized(&mut lt.gh, rows * gh);
            sized(&mut lt.act, rows * gh);
            sized(&mut lt.h, (steps_t + 1) * bh);
            sized(&mut lt.c, (steps_t + 1) * cells);
            lt.h[..bh].copy_from_slice(&state.h[l]);
            lt.c[..cells].copy_from_slice(&state.c[l]);
            // The input products of every step at once.
            let w_ih = p.w_ih.as_slice().expect("contiguous");
            if l == 0 && one_hot {
                // x is one-hot: x·w_ihᵀ is column `id` of w_ih (bit-identical to the product).
                for (gi, &id) in lt.gi.chunks_exact_mut(gh).zip(&tr.tokens) {
                    for (g, v) in gi.iter_mut().enumerate() {
                        *v = w_ih[g * nin + id as usize];
                    }
                }
            } else {
                let x = if l == 0 {
                    &tr.x0[..]
                } else {
                    below[l - 1].outputs()
                };
                gemm_nt(rows, gh, nin, x, w_ih, &mut lt.gi);
            }
            add_bias(&mut lt.gi, p.b_ih.as_slice().unwrap());
            // The recurrence, one step at a time.
            let w_hh = p.w_hh.as_slice().expect("contiguous");
            for t in 0..steps_t {
                let (h_prev, h_next) = prev_and_next(&mut lt.h, t, bh);
                let (c_prev, c_next) = prev_and_next(&mut lt.c, t, cells);
                let g_rec = &mut lt.gh[t * bg..(t + 1) * bg];
                gemm_nt(batch, gh, hs, h_prev, w_hh, g_rec);
                add_bias(g_rec, p.b_hh.as_slice().unwrap());
                let out = StepOut {
                    act: &mut lt.act[t * bg..(t + 1) * bg],
                    h: h_next,
                    c: c_next,
                };
                let g_in = &lt.gi[t * bg..(t + 1) * bg];
                cell.forward(hs, g_in, g_rec, h_prev, c_prev, out);
                if let Some((pl, pt, k, delta)) = perturb {
                    if (pl, pt) == (l, t) {
                        lt.h[(t + 1) * bh + k] += delta;
                    }
                }
            }
        }
        let o = s.output_size;
        sized(&mut tr.logits, rows * o);
        if let Some(top) = tr.layers.last() {
            let dec_w = self.params.dec_w.as_slice().expect("contiguous");
            gemm_nt(rows, o, hs, top.outputs(), dec_w, &mut tr.logits);
            add_bias(&mut tr.logits, self.params.dec_b.as_slice().unwrap());
        }
        Ok(())
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
        let s = &self.spec;
        x0.clear();
        tokens.clear();
        match input {
            Input::Tokens(ids) => {
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
                if let Some(e) = &self.params.embedding {
                    let (e, w) = (e.as_slice().expect("contiguous"), s.embed);
                    for &id in ids {
                        x0.extend_from_slice(&e[id as usize * w..(id as usize + 1) * w]);
                    }
                }
                tokens.extend_from_slice(ids);
                Ok(ids.len() / batch)
            }
            Input::Real(v) => {
                let w = s.input_size;
                if s.embed != 0 || batch == 0 || v.len() % (batch * w) != 0 {
                    return Err(Error::shape(
                        "forward: real inputs",
                        format!("T×{batch}×{w} without embedding"),
                        v.len().to_string(),
                    ));
                }
                x0.extend_from_slice(v);
                Ok(v.len() / (batch * w))
            }
        }
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
        let (hs, b, tt, o) = (s.hidden, tr.batch, tr.steps_t, s.output_size);
        let cell = s.cell.cell();
        let gh = cell.gates() * hs;
        let (rows, bh, bg) = (tt * b, b * hs, b * gh);
        let top = &tr.layers[s.layers - 1];
        // ∂L/∂h_t of the top layer, from the decoder, for all steps at once.
        let dec_w = self.params.dec_w.as_slice().expect("contiguous");
        zeros(&mut sc.dh_above, rows * hs);
        gemm_nn_acc(rows, o, hs, dlogits, dec_w, &mut sc.dh_above);
        if let Some(g) = grads.as_deref_mut() {
            let gw = g.dec_w.as_slice_mut().unwrap();
            gemm_tn_acc(rows, o, hs, dlogits, top.outputs(), gw);
            sum_rows_acc(dlogits, g.dec_b.as_slice_mut().unwrap());
        }
        let rec = &mut sc.rec;
        rec.dh_norms.resize_with(s.layers, Vec::new);
        rec.dh_norms.iter_mut().for_each(|v| zeros(v, tt));
        rec.dh_row0
            .resize_with(if record { s.layers } else { 0 }, Vec::new);
        rec.dh_row0.iter_mut().for_each(|v| zeros(v, tt * hs));
        rec.dx0_norms.clear();
        let one_hot = s.embed == 0 && !tr.tokens.is_empty();
        let cells = if cell.has_cell_state() { bh } else { 0 };
        // The cells write every element of these.
        sized(&mut sc.dgi, rows * gh);
        sized(&mut sc.dgh, rows * gh);
        zeros(&mut sc.dh_direct, bh);
        zeros(&mut sc.dc_prev, cells);
        for l in (0..s.layers).rev() {
            let (p, lt) = (&self.params.layers[l], &tr.layers[l]);
            let nin = s.layer_input(l);
            let w_hh = p.w_hh.as_slice().expect("contiguous");
            zeros(&mut sc.dh_next, bh);
            zeros(&mut sc.dc_next, cells);
            for t in (0..tt).rev() {
                let dh = &mut sc.dh_above[t * bh..(t + 1) * bh];
                for (d, n) in dh.iter_mut().zip(&sc.dh_next) {
                    *d += n;
                }
                rec.dh_norms[l][t] = norm(dh) as f32;
                if record {
                    rec.dh_row0[l][t * hs..(t + 1) * hs].copy_from_slice(&dh[..hs]);
                }
                let (h_prev, c_prev) = (lt.h_at(t as isize - 1), lt.c_at(t as isize - 1));
                let grad = StepGrad {
                    dgi: &mut sc.dgi[t * bg..(t + 1) * bg],
                    dgh: &mut sc.dgh[t * bg..(t + 1) * bg],
                    dh_prev_direct: &mut sc.dh_direct,
                    dc_prev: &mut sc.dc_prev,
                };
                cell.backward(hs, h_prev, c_prev, lt.step(t), dh, &sc.dc_next, grad);
                sc.dh_next.copy_from_slice(&sc.dh_direct);
                let dgh_t = &sc.dgh[t * bg..(t + 1) * bg];
                gemm_nn_acc(b, gh, hs, dgh_t, w_hh, &mut sc.dh_next);
                sc.dc_next.copy_from_slice(&sc.dc_prev);
            }
            let x: &[f32] = if l == 0 {
                &tr.x0
            } else {
                tr.layers[l - 1].outputs()
            };
            if let Some(g) = grads.as_deref_mut() {
                // The weight gradients of the whole window: one product each.
                let gl = &mut g.layers[l];
                let (dgi, dgh) = (&sc.dgi, &sc.dgh);
                let h_prev = &lt.h[..rows * hs];
                gemm_tn_acc(rows, gh, hs, dgh, h_prev, gl.w_hh.as_slice_mut().unwrap());
                sum_rows_acc(dgh, gl.b_hh.as_slice_mut().unwrap());
                let gw = gl.w_ih.as_slice_mut().unwrap();
                if l == 0 && one_hot {
                    for (d, &id) in dgi.chunks_exact(gh).zip(&tr.tokens) {
                        for (g, v) in d.iter().enumerate() {
                            gw[g * nin + id as usize] += v;
                        }
                    }
                } else {
                    gemm_tn_acc(rows, gh, nin, dgi, x, gw);
                }
                sum_rows_acc(dgi, gl.b_ih.as_slice_mut().unwrap());
            }
            let need_dx = l > 0 || (grads.is_some() && s.embed > 0) || record;
            if !need_dx {
                continue;
            }
            zeros(&mut sc.dx, rows * nin);
            gemm_nn_acc(
                rows,
                gh,
                nin,
                &sc.dgi,
                p.w_ih.as_slice().unwrap(),
                &mut sc.dx,
            );
            let dx = &sc.dx;
            if l == 0 && record {
                rec.dx0_norms
                    .extend((0..tt).map(|t| norm(&dx[t * b * nin..t * b * nin + nin]) as f32));
            }
            if l > 0 {
                std::mem::swap(&mut sc.dh_above, &mut sc.dx);
            } else if let (Some(g), Some(_)) = (grads.as_deref_mut(), &self.params.embedding) {
                let e = s.embed;
                let ge = g.embedding.as_mut().unwrap().as_slice_mut().unwrap();
                for (d, &id) in dx.chunks_exact(e).zip(&tr.tokens) {
                    let row = &mut ge[id as usize * e..(id as usize + 1) * e];
                    for (r, v) in row.iter_mut().zip(d) {
                        *r += v;
                    }
                }
            }
        }
    }
}
