//! The forward pass: per layer, the input products of every step at once, then the recurrence
//! one step at a time; then the decoder.

use super::attention;
use super::{input_of, prev_and_next, sized, Dims, LayerInput, LayerTrace, Trace};
use crate::core::cell::StepOut;
use crate::core::error::{Error, Result};
use crate::core::kernels::{add_bias, gemm_nt, transpose_into};
use crate::core::model::{Input, LossKind, Model, Residual, State};

/// `gi = x·w_ihᵀ + b_ih` for all `rows` of the window. A one-hot x picks column `id` of w_ih
/// (bit-identical to the product); for a window of more rows than inputs, as a row of
/// `w_ihᵀ + b_ih`, made once in `wt`.
#[allow(clippy::too_many_arguments)]
fn input_products(
    rows: usize,
    gh: usize,
    nin: usize,
    x: LayerInput,
    w_ih: &[f32],
    b_ih: &[f32],
    wt: &mut Vec<f32>,
    gi: &mut [f32],
) {
    match x {
        LayerInput::OneHot(tokens) if rows < nin => {
            for (gi, &id) in gi.chunks_exact_mut(gh).zip(tokens) {
                for ((v, w), b) in gi
                    .iter_mut()
                    .zip(w_ih.iter().skip(id as usize).step_by(nin))
                    .zip(b_ih)
                {
                    *v = w + b;
                }
            }
        }
        LayerInput::OneHot(tokens) => {
            sized(wt, nin * gh);
            transpose_into(gh, nin, w_ih, wt);
            add_bias(wt, b_ih);
            for (gi, &id) in gi.chunks_exact_mut(gh).zip(tokens) {
                gi.copy_from_slice(&wt[id as usize * gh..(id as usize + 1) * gh]);
            }
        }
        LayerInput::Dense(x) => {
            gemm_nt(rows, gh, nin, x, w_ih, gi);
            add_bias(gi, b_ih);
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
            let b_ih = p.b_ih.as_slice().unwrap();
            let (nin, gi) = (s.layer_input(l), &mut lt.gi);
            input_products(d.rows(), d.gh, nin, x, w_ih, b_ih, &mut tr.w_t, gi);
            let perturb = perturb
                .filter(|&(pl, ..)| pl == l)
                .map(|(_, t, k, delta)| (t, k, delta));
            self.recurrence(l, d, lt, perturb);
            lt.o.clear();
            if let (Residual::Layers, Some(b)) = (s.residual, below.last()) {
                // o_l = h_l + o_{l-1}.
                let h = &lt.h[lt.bh..];
                lt.o.extend(h.iter().zip(b.out()).map(|(h, o)| h + o));
            }
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
        let cell = self.spec.step_cell();
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

    /// The decoder over all `T·B` rows at once: `logits = z_t·dec_wᵀ + dec_b` of what the top
    /// layer gives (`h_t`, or `o_t` with `residual=layers`), or with attention of `[z_t ; a_t]`.
    fn decode(&self, d: Dims, tr: &mut Trace) {
        let Some(top) = tr.layers.last() else {
            return;
        };
        let input = match &self.params.attention {
            Some(w_a) => {
                let w_a = w_a.as_slice().expect("contiguous");
                attention::forward(d.shape(), top.out(), w_a, &mut tr.attn);
                &tr.attn.dec_in
            }
            None => top.out(),
        };
        self.decoder_rows(input, &mut tr.logits);
    }

    /// `logits = input·dec_wᵀ + dec_b` for every row of `input`.
    fn decoder_rows(&self, input: &[f32], logits: &mut Vec<f32>) {
        let (o, n) = (self.spec.output_size, self.spec.decoder_input());
        let rows = input.len() / n;
        sized(logits, rows * o);
        let dec_w = self.params.dec_w.as_slice().expect("contiguous");
        gemm_nt(rows, o, n, input, dec_w, logits);
        add_bias(logits, self.params.dec_b.as_slice().unwrap());
    }

    /// `u = W_a z` of one state `z` (`[H]`): the attention key a sampler keeps beside `z`.
    pub fn attention_key(&self, z: &[f32]) -> Vec<f32> {
        let hs = self.spec.hidden;
        let mut u = vec![0.0; hs];
        if let Some(w_a) = &self.params.attention {
            gemm_nt(1, hs, hs, z, w_a.as_slice().expect("contiguous"), &mut u);
        }
        u
    }

    /// The logits of the newest of the states `z` when the decoder attends over all of them
    /// (`z`, `u`: `[n·H]`, oldest first, `u` from [`Model::attention_key`]).
    pub fn decode_attending(&self, z: &[f32], u: &[f32]) -> Vec<f32> {
        let mut logits = Vec::new();
        self.decoder_rows(&attention::newest(self.spec.hidden, z, u), &mut logits);
        logits
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
        if batch == 0 || !ids.len().is_multiple_of(batch) {
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
        if s.embed != 0 || batch == 0 || !v.len().is_multiple_of(batch * w) {
            return Err(Error::shape(
                "forward: real inputs",
                format!("T×{batch}×{w} without embedding"),
                v.len().to_string(),
            ));
        }
        Ok(())
    }
}
