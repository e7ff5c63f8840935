//! The exact backward pass through the window (full BPTT): the decoder's gradient, then per
//! layer, top down, the backward through time, the window-wide weight gradients and the
//! gradient passed to the layer below (or to the embedding).

use super::{
    attention, input_of, sized, zeros, BackScratch, BackwardRecord, Dims, LayerInput, LayerTrace,
    Trace,
};
use crate::core::cell::{Cell, StepGrad};
use crate::core::kernels::{gemm_nn_acc, gemm_tn_acc, norm, sum_rows_acc, transpose_into};
use crate::core::model::{Layer, Model, Params, Residual};

/// `∂w_ih += Σ_t ∂gi_tᵀ·x_t` over all `rows` of the window. A one-hot x adds each row of `∂gi`
/// to column `id`; for a window of more rows than inputs, to a row of `∂w_ihᵀ` in `wt`
/// (contiguous), transposed back after. Every element adds its rows in order either way.
#[allow(clippy::too_many_arguments)]
fn add_w_ih_grad(
    rows: usize,
    gh: usize,
    nin: usize,
    x: LayerInput,
    dgi: &[f32],
    wt: &mut Vec<f32>,
    gw: &mut [f32],
) {
    match x {
        LayerInput::OneHot(tokens) if rows < nin => {
            for (d, &id) in dgi.chunks_exact(gh).zip(tokens) {
                for (g, v) in d.iter().enumerate() {
                    gw[g * nin + id as usize] += v;
                }
            }
        }
        LayerInput::OneHot(tokens) => {
            sized(wt, nin * gh);
            transpose_into(gh, nin, gw, wt);
            for (d, &id) in dgi.chunks_exact(gh).zip(tokens) {
                let row = &mut wt[id as usize * gh..(id as usize + 1) * gh];
                for (w, v) in row.iter_mut().zip(d) {
                    *w += v;
                }
            }
            transpose_into(nin, gh, wt, gw);
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
        // The cells write every element of these (of `dgh` unless `Cell::dgh_is_dgi`, when it
        // is not read either).
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
            let dgh = if cell.dgh_is_dgi() {
                &self.dgi
            } else {
                &self.dgh
            };
            let dgh_t = &dgh[t * bg..(t + 1) * bg];
            gemm_nn_acc(d.batch, d.gh, hs, dgh_t, w_hh, &mut self.dh_next);
            self.dc_next.copy_from_slice(&self.dc_prev);
        }
    }

    /// The weight gradients of the whole window, one product each: `∂w_hh += Σ_t ∂gh_tᵀ·h_{t-1}`,
    /// `∂b_hh += Σ_t ∂gh_t`, `∂w_ih += Σ_t ∂gi_tᵀ·x_t`, `∂b_ih += Σ_t ∂gi_t`.
    fn add_weight_grads(
        &mut self,
        d: Dims,
        nin: usize,
        x: LayerInput,
        lt: &LayerTrace,
        gl: &mut Layer,
        dgh_is_dgi: bool,
    ) {
        let rows = d.rows();
        let dgi = &self.dgi;
        let dgh = if dgh_is_dgi { dgi } else { &self.dgh };
        let h_prev = &lt.h[..rows * d.hs];
        let gw_hh = gl.w_hh.as_slice_mut().unwrap();
        gemm_tn_acc(rows, d.gh, d.hs, dgh, h_prev, gw_hh);
        sum_rows_acc(dgh, gl.b_hh.as_slice_mut().unwrap());
        let gw_ih = gl.w_ih.as_slice_mut().unwrap();
        add_w_ih_grad(rows, d.gh, nin, x, dgi, &mut self.w_t, gw_ih);
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
        self.decoder_backward(d, tr, dlogits, grads.as_deref_mut(), sc);
        sc.start(d, s.layers, record);
        for l in (0..s.layers).rev() {
            let (p, lt) = (&self.params.layers[l], &tr.layers[l]);
            let residual = s.residual == Residual::Layers && l > 0;
            if residual {
                // ∂L/∂o_l also reaches o_{l-1} directly (o_l = h_l + o_{l-1}).
                sc.res.clear();
                sc.res.extend_from_slice(&sc.dh_above);
            }
            let nin = s.layer_input(l);
            let w_hh = p.w_hh.as_slice().expect("contiguous");
            sc.backward_through_time(s.step_cell(), d, lt, w_hh, l, record);
            if let Some(g) = grads.as_deref_mut() {
                let x = input_of(&tr.layers[..l], &tr.x0, &tr.tokens, one_hot);
                let same = s.step_cell().dgh_is_dgi();
                sc.add_weight_grads(d, nin, x, lt, &mut g.layers[l], same);
            }
            let need_dx = l > 0 || (grads.is_some() && s.embed > 0) || record;
            if !need_dx {
                continue;
            }
            sc.input_grad(d, nin, p.w_ih.as_slice().unwrap(), l == 0 && record);
            if l > 0 {
                // ∂L/∂x of this layer (plus the residual path) is ∂L/∂o from above for the
                // layer below.
                if residual {
                    sc.dx.iter_mut().zip(&sc.res).for_each(|(d, r)| *d += r);
                }
                std::mem::swap(&mut sc.dh_above, &mut sc.dx);
            } else if let (Some(g), Some(_)) = (grads.as_deref_mut(), &self.params.embedding) {
                let ge = g.embedding.as_mut().unwrap().as_slice_mut().unwrap();
                add_embedding_grad(s.embed, &sc.dx, &tr.tokens, ge);
            }
        }
    }

    /// The decoder's backward over all `T·B` rows at once: `∂L/∂z_t = ∂logits·dec_w` of what the
    /// top layer gives (into `sc.dh_above`; with attention through [`attention::backward`]), and
    /// with `grads`, `∂dec_w += ∂logitsᵀ·z_t` (or `[z_t ; a_t]`), `∂dec_b += Σ ∂logits` and `∂W_a`.
    fn decoder_backward(
        &self,
        d: Dims,
        tr: &Trace,
        dlogits: &[f32],
        grads: Option<&mut Params>,
        sc: &mut BackScratch,
    ) {
        let (rows, o, n) = (d.rows(), self.spec.output_size, self.spec.decoder_input());
        let z = tr.layers[self.spec.layers - 1].out();
        let dec_w = self.params.dec_w.as_slice().expect("contiguous");
        let attn = self
            .params
            .attention
            .as_ref()
            .map(|w| w.as_slice().unwrap());
        let (ddec, input) = match attn {
            Some(_) => (&mut sc.ddec, &tr.attn.dec_in[..]),
            None => (&mut sc.dh_above, z),
        };
        zeros(ddec, rows * n);
        gemm_nn_acc(rows, o, n, dlogits, dec_w, ddec);
        let mut gw_a = None;
        if let Some(g) = grads {
            let gw = g.dec_w.as_slice_mut().unwrap();
            gemm_tn_acc(rows, o, n, dlogits, input, gw);
            sum_rows_acc(dlogits, g.dec_b.as_slice_mut().unwrap());
            gw_a = g.attention.as_mut().map(|a| a.as_slice_mut().unwrap());
        }
        if let Some(w_a) = attn {
            zeros(&mut sc.dh_above, rows * d.hs);
            let (ddec, dz, scratch) = (&sc.ddec, &mut sc.dh_above, &mut sc.attn);
            attention::backward(d.shape(), z, w_a, &tr.attn, ddec, dz, gw_a, scratch);
        }
    }
}
