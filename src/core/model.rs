//! The model: stacked recurrent layers between an input (one-hot, embedding or real vectors) and
//! a linear decoder, with exact forward and backward passes through a whole window (full BPTT).
//!
//! Activations are time-major and batch-major inside a step: step `t`, batch row `b`, unit `j`
//! lives at `[t][b·H + j]`. Parameters use PyTorch's names and layouts (see [`Params::named`]).

use super::cell::{Activation, Cell, Gru, Lstm, Rnn, StepCache, StepGrad};
use super::error::{Error, Result};
use super::kernels::{add_bias, gemm_nn_acc, gemm_nt_acc, gemm_tn_acc, norm, sum_rows_acc};
use ndarray::{Array1, Array2};

/// Which recurrent cell the layers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    Rnn(Activation),
    Lstm,
    Gru,
}

impl CellKind {
    /// The element-wise cell implementation.
    pub fn cell(self) -> &'static dyn Cell {
        match self {
            CellKind::Rnn(Activation::Tanh) => &Rnn(Activation::Tanh),
            CellKind::Rnn(Activation::Relu) => &Rnn(Activation::Relu),
            CellKind::Lstm => &Lstm,
            CellKind::Gru => &Gru,
        }
    }

    /// `rnn`, `lstm` or `gru` (the model file's `cell`).
    pub fn name(self) -> &'static str {
        match self {
            CellKind::Rnn(_) => "rnn",
            CellKind::Lstm => "lstm",
            CellKind::Gru => "gru",
        }
    }

    /// `tanh` or `relu` (the model file's `nonlinearity`; LSTM and GRU report `tanh`).
    pub fn nonlinearity(self) -> &'static str {
        match self {
            CellKind::Rnn(a) => a.name(),
            _ => "tanh",
        }
    }

    /// From the two names used in model files, URLs and CLI flags.
    pub fn parse(cell: &str, nonlinearity: &str) -> Result<Self> {
        let act = match nonlinearity {
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            _ => {
                return Err(Error::config(
                    "nonlinearity",
                    nonlinearity,
                    "expected tanh or relu",
                ))
            }
        };
        match cell {
            "rnn" => Ok(CellKind::Rnn(act)),
            "lstm" => Ok(CellKind::Lstm),
            "gru" => Ok(CellKind::Gru),
            _ => Err(Error::config("cell", cell, "expected rnn, lstm or gru")),
        }
    }
}

/// The training objective of the decoder output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossKind {
    /// Softmax cross-entropy over characters (nats).
    CrossEntropy,
    /// Mean squared error over real-valued outputs.
    Mse,
}

/// Sizes and kinds: everything needed to build a model except its weights.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    pub cell: CellKind,
    /// Vocabulary size V (one-hot/embedding input) or real input width I.
    pub input_size: usize,
    pub hidden: usize,
    pub layers: usize,
    /// Embedding width E; 0 means one-hot (or real-valued) input.
    pub embed: usize,
    /// Decoder width O (V for characters).
    pub output_size: usize,
    pub loss: LossKind,
    /// The characters, in index order (empty for real-valued models).
    pub vocab: Vec<char>,
}

/// Upper bounds that keep a model within what a browser tab (and this machine) can hold.
pub const MAX_HIDDEN: usize = 4096;
pub const MAX_LAYERS: usize = 4;
pub const MAX_PARAMS: usize = 64 * 1024 * 1024;

impl ModelSpec {
    /// A character-level model spec.
    pub fn chars(
        cell: CellKind,
        vocab: Vec<char>,
        hidden: usize,
        layers: usize,
        embed: usize,
    ) -> Self {
        let v = vocab.len();
        ModelSpec {
            cell,
            input_size: v,
            hidden,
            layers,
            embed,
            output_size: v,
            loss: LossKind::CrossEntropy,
            vocab,
        }
    }

    /// Width of the input to layer `l`.
    pub fn layer_input(&self, l: usize) -> usize {
        match (l, self.embed) {
            (0, 0) => self.input_size,
            (0, e) => e,
            _ => self.hidden,
        }
    }

    /// Number of trainable scalars.
    pub fn param_count(&self) -> usize {
        let gh = self.cell.cell().gates() * self.hidden;
        let rec: usize = (0..self.layers)
            .map(|l| gh * (self.layer_input(l) + self.hidden + 2))
            .sum();
        self.input_size * self.embed + rec + self.output_size * (self.hidden + 1)
    }

    /// Rejects absurd or inconsistent sizes with a message naming the setting.
    pub fn validate(&self) -> Result<()> {
        if self.hidden == 0 || self.hidden > MAX_HIDDEN {
            return Err(Error::config(
                "hidden",
                self.hidden,
                format!("must be 1..={MAX_HIDDEN}"),
            ));
        }
        if self.layers == 0 || self.layers > MAX_LAYERS {
            return Err(Error::config(
                "layers",
                self.layers,
                format!("must be 1..={MAX_LAYERS}"),
            ));
        }
        if self.input_size == 0 || self.output_size == 0 {
            return Err(Error::Data(
                "the model needs at least one input and one output (empty vocabulary?)".into(),
            ));
        }
        if self.loss == LossKind::CrossEntropy && self.vocab.len() != self.input_size {
            return Err(Error::shape(
                "model spec",
                format!("vocab of {} chars", self.input_size),
                format!("{}", self.vocab.len()),
            ));
        }
        if self.embed > MAX_HIDDEN {
            return Err(Error::config(
                "embed",
                self.embed,
                format!("must be 0..={MAX_HIDDEN}"),
            ));
        }
        let n = self.param_count();
        if n > MAX_PARAMS {
            return Err(Error::config(
                "hidden",
                self.hidden,
                format!("the model would have {n} parameters; the limit is {MAX_PARAMS}"),
            ));
        }
        Ok(())
    }
}

/// One recurrent layer's weights, named as in PyTorch.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// `[G·H, in]`.
    pub w_ih: Array2<f32>,
    /// `[G·H, H]`.
    pub w_hh: Array2<f32>,
    /// `[G·H]`.
    pub b_ih: Array1<f32>,
    /// `[G·H]`.
    pub b_hh: Array1<f32>,
}

/// All trainable tensors (also used for their gradients and optimizer moments).
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// `[V, E]` when the input is embedded.
    pub embedding: Option<Array2<f32>>,
    pub layers: Vec<Layer>,
    /// `[O, H]`.
    pub dec_w: Array2<f32>,
    /// `[O]`.
    pub dec_b: Array1<f32>,
}

fn sl(a: &Array2<f32>) -> &[f32] {
    a.as_slice().expect("parameters are contiguous")
}

impl Params {
    /// All-zero tensors shaped for `spec`.
    pub fn zeros(spec: &ModelSpec) -> Self {
        let gh = spec.cell.cell().gates() * spec.hidden;
        Params {
            embedding: (spec.embed > 0).then(|| Array2::zeros((spec.input_size, spec.embed))),
            layers: (0..spec.layers)
                .map(|l| Layer {
                    w_ih: Array2::zeros((gh, spec.layer_input(l))),
                    w_hh: Array2::zeros((gh, spec.hidden)),
                    b_ih: Array1::zeros(gh),
                    b_hh: Array1::zeros(gh),
                })
                .collect(),
            dec_w: Array2::zeros((spec.output_size, spec.hidden)),
            dec_b: Array1::zeros(spec.output_size),
        }
    }

    /// `(PyTorch name, shape, data)` for every tensor, in a fixed order.
    pub fn named(&self) -> Vec<(String, Vec<usize>, &[f32])> {
        let mut v = Vec::new();
        if let Some(e) = &self.embedding {
            v.push(("embedding.weight".to_string(), e.shape().to_vec(), sl(e)));
        }
        for (k, l) in self.layers.iter().enumerate() {
            v.push((
                format!("rnn.weight_ih_l{k}"),
                l.w_ih.shape().to_vec(),
                sl(&l.w_ih),
            ));
            v.push((
                format!("rnn.weight_hh_l{k}"),
                l.w_hh.shape().to_vec(),
                sl(&l.w_hh),
            ));
            v.push((
                format!("rnn.bias_ih_l{k}"),
                l.b_ih.shape().to_vec(),
                l.b_ih.as_slice().unwrap(),
            ));
            v.push((
                format!("rnn.bias_hh_l{k}"),
                l.b_hh.shape().to_vec(),
                l.b_hh.as_slice().unwrap(),
            ));
        }
        v.push((
            "decoder.weight".to_string(),
            self.dec_w.shape().to_vec(),
            sl(&self.dec_w),
        ));
        v.push((
            "decoder.bias".to_string(),
            self.dec_b.shape().to_vec(),
            self.dec_b.as_slice().unwrap(),
        ));
        v
    }

    /// Mutable data of every tensor, in the order of [`Params::named`].
    pub fn slices_mut(&mut self) -> Vec<&mut [f32]> {
        let mut v: Vec<&mut [f32]> = Vec::new();
        if let Some(e) = &mut self.embedding {
            v.push(e.as_slice_mut().unwrap());
        }
        for l in &mut self.layers {
            v.push(l.w_ih.as_slice_mut().unwrap());
            v.push(l.w_hh.as_slice_mut().unwrap());
            v.push(l.b_ih.as_slice_mut().unwrap());
            v.push(l.b_hh.as_slice_mut().unwrap());
        }
        v.push(self.dec_w.as_slice_mut().unwrap());
        v.push(self.dec_b.as_slice_mut().unwrap());
        v
    }

    /// Data of every tensor, in the order of [`Params::named`].
    pub fn slices(&self) -> Vec<&[f32]> {
        self.named().into_iter().map(|(_, _, d)| d).collect()
    }

    /// Sets every value to zero.
    pub fn fill_zero(&mut self) {
        for s in self.slices_mut() {
            s.fill(0.0);
        }
    }

    /// Whether every value is finite.
    pub fn all_finite(&self) -> bool {
        self.slices()
            .iter()
            .all(|s| s.iter().all(|v| v.is_finite()))
    }
}

/// The recurrent state carried between windows: per layer, `h` (and `c` for LSTM), `[B·H]`.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub h: Vec<Vec<f32>>,
    pub c: Vec<Vec<f32>>,
}

impl State {
    /// The zero state for batch `b`.
    pub fn zeros(spec: &ModelSpec, b: usize) -> Self {
        let n = b * spec.hidden;
        let c = if spec.cell.cell().has_cell_state() {
            n
        } else {
            0
        };
        State {
            h: vec![vec![0.0; n]; spec.layers],
            c: vec![vec![0.0; c]; spec.layers],
        }
    }

    /// Batch size this state was made for.
    pub fn batch(&self, hidden: usize) -> usize {
        self.h.first().map_or(0, |h| h.len() / hidden.max(1))
    }
}

/// Inputs of a window, time-major (`[t][b]`).
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// Token ids `[T·B]`.
    Tokens(&'a [u32]),
    /// Real vectors `[T·B·I]`.
    Real(&'a [f32]),
}

/// Everything the forward pass keeps for the backward pass and the teaching views.
#[derive(Clone, Debug)]
pub struct Trace {
    pub steps_t: usize,
    pub batch: usize,
    /// Tokens of the window (empty for real inputs).
    pub tokens: Vec<u32>,
    /// Input to layer 0 at each step `[t][B·in0]` (one-hot, embedded or real).
    pub x0: Vec<Vec<f32>>,
    /// Per layer, per step caches `[l][t]`.
    pub steps: Vec<Vec<StepCache>>,
    /// The state the window started from.
    pub init: State,
    /// Decoder outputs `[T·B·O]`.
    pub logits: Vec<f32>,
}

impl Trace {
    /// The state after the last step (to carry into the next window).
    pub fn final_state(&self) -> State {
        State {
            h: self
                .steps
                .iter()
                .map(|s| s.last().map_or_else(Vec::new, |c| c.h.clone()))
                .collect(),
            c: self
                .steps
                .iter()
                .map(|s| s.last().map_or_else(Vec::new, |c| c.c.clone()))
                .collect(),
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

/// A model: spec plus weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub spec: ModelSpec,
    pub params: Params,
}

impl Model {
    /// Runs the window forward from `state`. `batch` is B; the input length fixes T.
    pub fn forward(&self, input: Input, batch: usize, state: &State) -> Result<Trace> {
        self.forward_perturbed(input, batch, state, None)
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
        let (x0, tokens) = self.embed_input(input, batch)?;
        let one_hot = s.embed == 0 && !tokens.is_empty();
        let steps_t = x0.len();
        let mut steps: Vec<Vec<StepCache>> = Vec::with_capacity(s.layers);
        for (l, p) in self.params.layers.iter().enumerate() {
            let nin = s.layer_input(l);
            let mut caches: Vec<StepCache> = Vec::with_capacity(steps_t);
            for t in 0..steps_t {
                let x: &[f32] = if l == 0 { &x0[t] } else { &steps[l - 1][t].h };
                let (h_prev, c_prev) = match caches.last() {
                    Some(c) => (&c.h[..], &c.c[..]),
                    None => (&state.h[l][..], &state.c[l][..]),
                };
                let mut c = StepCache {
                    gi: vec![0.0; batch * gh],
                    gh: vec![0.0; batch * gh],
                    act: vec![0.0; batch * gh],
                    h: vec![0.0; batch * hs],
                    c: vec![0.0; if cell.has_cell_state() { batch * hs } else { 0 }],
                };
                if l == 0 && one_hot {
                    // x is one-hot: x·w_ihᵀ is column `id` of w_ih (bit-identical to the product).
                    let w = sl(&p.w_ih);
                    for (bb, gi) in c.gi.chunks_exact_mut(gh).enumerate() {
                        let id = tokens[t * batch + bb] as usize;
                        for (g, v) in gi.iter_mut().enumerate() {
                            *v = w[g * nin + id];
                        }
                    }
                } else {
                    gemm_nt_acc(batch, gh, nin, x, sl(&p.w_ih), &mut c.gi);
                }
                add_bias(&mut c.gi, p.b_ih.as_slice().unwrap());
                gemm_nt_acc(batch, gh, hs, h_prev, sl(&p.w_hh), &mut c.gh);
                add_bias(&mut c.gh, p.b_hh.as_slice().unwrap());
                cell.forward(hs, h_prev, c_prev, &mut c);
                if let Some((pl, pt, k, delta)) = perturb {
                    if (pl, pt) == (l, t) {
                        c.h[k] += delta;
                    }
                }
                caches.push(c);
            }
            steps.push(caches);
        }
        let o = s.output_size;
        let mut logits = vec![0.0; steps_t * batch * o];
        if let Some(top) = steps.last() {
            for (t, c) in top.iter().enumerate() {
                let y = &mut logits[t * batch * o..(t + 1) * batch * o];
                gemm_nt_acc(batch, o, hs, &c.h, sl(&self.params.dec_w), y);
                add_bias(y, self.params.dec_b.as_slice().unwrap());
            }
        }
        Ok(Trace {
            steps_t,
            batch,
            tokens,
            x0,
            steps,
            init: state.clone(),
            logits,
        })
    }

    /// Builds the layer-0 input of every step.
    fn embed_input(&self, input: Input, batch: usize) -> Result<(Vec<Vec<f32>>, Vec<u32>)> {
        let s = &self.spec;
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
                let x0 = ids
                    .chunks_exact(batch)
                    .map(|row| {
                        let w = s.layer_input(0);
                        let mut x = vec![0.0; batch * w];
                        for (b, &id) in row.iter().enumerate() {
                            match &self.params.embedding {
                                Some(e) => x[b * w..(b + 1) * w].copy_from_slice(
                                    &sl(e)[id as usize * w..(id as usize + 1) * w],
                                ),
                                None => x[b * w + id as usize] = 1.0,
                            }
                        }
                        x
                    })
                    .collect();
                Ok((x0, ids.to_vec()))
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
                Ok((
                    v.chunks_exact(batch * w).map(<[f32]>::to_vec).collect(),
                    Vec::new(),
                ))
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
        mut grads: Option<&mut Params>,
        record: bool,
    ) -> BackwardRecord {
        let s = &self.spec;
        let (hs, b, tt, o) = (s.hidden, tr.batch, tr.steps_t, s.output_size);
        let cell = s.cell.cell();
        let gh = cell.gates() * hs;
        let top = s.layers - 1;
        // ∂L/∂h_t of the top layer from the decoder.
        let mut dh_above: Vec<Vec<f32>> = (0..tt)
            .map(|t| {
                let dy = &dlogits[t * b * o..(t + 1) * b * o];
                let mut dh = vec![0.0; b * hs];
                gemm_nn_acc(b, o, hs, dy, sl(&self.params.dec_w), &mut dh);
                if let Some(g) = grads.as_deref_mut() {
                    gemm_tn_acc(
                        b,
                        o,
                        hs,
                        dy,
                        &tr.steps[top][t].h,
                        g.dec_w.as_slice_mut().unwrap(),
                    );
                    sum_rows_acc(dy, g.dec_b.as_slice_mut().unwrap());
                }
                dh
            })
            .collect();
        let mut norms = vec![vec![0.0; tt]; s.layers];
        let mut sg = StepGrad {
            dgi: vec![0.0; b * gh],
            dgh: vec![0.0; b * gh],
            dh_prev_direct: vec![0.0; b * hs],
            dc_prev: vec![0.0; if cell.has_cell_state() { b * hs } else { 0 }],
        };
        let mut rec = BackwardRecord {
            dh_norms: Vec::new(),
            dh_row0: if record {
                vec![vec![0.0; tt * hs]; s.layers]
            } else {
                Vec::new()
            },
            dx0_norms: Vec::new(),
        };
        for l in (0..s.layers).rev() {
            let p = &self.params.layers[l];
            let nin = s.layer_input(l);
            let need_dx = l > 0 || (grads.is_some() && s.embed > 0) || record;
            let one_hot = s.embed == 0 && !tr.tokens.is_empty();
            let mut dx_below = vec![Vec::new(); if need_dx { tt } else { 0 }];
            let mut dh_next = vec![0.0; b * hs];
            let mut dc_next = vec![0.0; sg.dc_prev.len()];
            for t in (0..tt).rev() {
                let mut dh = std::mem::take(&mut dh_above[t]);
                for (d, n) in dh.iter_mut().zip(&dh_next) {
                    *d += n;
                }
                norms[l][t] = norm(&dh) as f32;
                if record {
                    rec.dh_row0[l][t * hs..(t + 1) * hs].copy_from_slice(&dh[..hs]);
                }
                let (h_prev, c_prev) = if t == 0 {
                    (&tr.init.h[l][..], &tr.init.c[l][..])
                } else {
                    (&tr.steps[l][t - 1].h[..], &tr.steps[l][t - 1].c[..])
                };
                let cache = &tr.steps[l][t];
                cell.backward(hs, h_prev, c_prev, cache, &dh, &dc_next, &mut sg);
                dh_next.copy_from_slice(&sg.dh_prev_direct);
                gemm_nn_acc(b, gh, hs, &sg.dgh, sl(&p.w_hh), &mut dh_next);
                dc_next.copy_from_slice(&sg.dc_prev);
                let x: &[f32] = if l == 0 {
                    &tr.x0[t]
                } else {
                    &tr.steps[l - 1][t].h
                };
                if let Some(g) = grads.as_deref_mut() {
                    let gl = &mut g.layers[l];
                    gemm_tn_acc(b, gh, hs, &sg.dgh, h_prev, gl.w_hh.as_slice_mut().unwrap());
                    sum_rows_acc(&sg.dgh, gl.b_hh.as_slice_mut().unwrap());
                    let gw = gl.w_ih.as_slice_mut().unwrap();
                    if l == 0 && one_hot {
                        for (bb, dgi) in sg.dgi.chunks_exact(gh).enumerate() {
                            let id = tr.tokens[t * b + bb] as usize;
                            for (g, d) in dgi.iter().enumerate() {
                                gw[g * nin + id] += d;
                            }
                        }
                    } else {
                        gemm_tn_acc(b, gh, nin, &sg.dgi, x, gw);
                    }
                    sum_rows_acc(&sg.dgi, gl.b_ih.as_slice_mut().unwrap());
                }
                if need_dx {
                    let mut dx = vec![0.0; b * nin];
                    gemm_nn_acc(b, gh, nin, &sg.dgi, sl(&p.w_ih), &mut dx);
                    dx_below[t] = dx;
                }
            }
            if l == 0 && record {
                rec.dx0_norms = dx_below.iter().map(|dx| norm(&dx[..nin]) as f32).collect();
            }
            if l > 0 {
                dh_above = dx_below;
            } else if let (Some(g), Some(_)) = (grads.as_deref_mut(), &self.params.embedding) {
                let e = s.embed;
                let ge = g.embedding.as_mut().unwrap().as_slice_mut().unwrap();
                for (t, dx) in dx_below.iter().enumerate() {
                    for bb in 0..b {
                        let id = tr.tokens[t * b + bb] as usize;
                        for (d, v) in ge[id * e..(id + 1) * e]
                            .iter_mut()
                            .zip(&dx[bb * e..(bb + 1) * e])
                        {
                            *d += v;
                        }
                    }
                }
            }
        }
        rec.dh_norms = norms;
        rec
    }
}
