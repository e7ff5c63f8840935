//! LSTM, as `torch.nn.LSTM`. Gate blocks in PyTorch's order i, f, g, o:
//!
//! ```text
//! i = σ(W_ii x + b_ii + W_hi h + b_hi)      input gate
//! f = σ(W_if x + b_if + W_hf h + b_hf)      forget gate
//! g = tanh(W_ig x + b_ig + W_hg h + b_hg)   candidate cell
//! o = σ(W_io x + b_io + W_ho h + b_ho)      output gate
//! c' = f ⊙ c + i ⊙ g
//! h' = o ⊙ tanh(c')
//! ```

use super::{gate_saturation, Cell, StepCache, StepGrad, StepOut};
#[cfg(target_arch = "x86_64")]
use crate::core::kernels::has_avx512;
use crate::core::mathf::{sigmoid, tanh};

/// Long short-term memory cell (four gate blocks).
#[derive(Clone, Copy, Debug)]
pub struct Lstm;

impl Cell for Lstm {
    fn gates(&self) -> usize {
        4
    }

    fn has_cell_state(&self) -> bool {
        true
    }

    fn dgh_is_dgi(&self) -> bool {
        true
    }

    fn gate_names(&self) -> &'static [&'static str] {
        &["i", "f", "g", "o"]
    }

    fn forward(&self, hs: usize, gi: &[f32], gh: &[f32], _h: &[f32], c_prev: &[f32], out: StepOut) {
        #[cfg(target_arch = "x86_64")]
        if has_avx512() {
            // SAFETY: this CPU has AVX-512F.
            return unsafe { forward_avx512(hs, gi, gh, c_prev, out) };
        }
        forward_rows(hs, gi, gh, c_prev, out)
    }

    fn backward(
        &self,
        hs: usize,
        _h_prev: &[f32],
        c_prev: &[f32],
        cache: StepCache,
        dh: &[f32],
        dc: &[f32],
        grad: StepGrad,
    ) {
        #[cfg(target_arch = "x86_64")]
        if has_avx512() {
            // SAFETY: this CPU has AVX-512F.
            return unsafe { backward_avx512(hs, c_prev, cache, dh, dc, grad) };
        }
        backward_rows(hs, c_prev, cache, dh, dc, grad)
    }

    fn saturation(&self, hs: usize, act: &[f32], _h: &[f32]) -> (usize, usize) {
        gate_saturation(hs, 4, 2, act) // g is a tanh; i, f, o are sigmoids
    }
}

/// [`forward_rows`] compiled for AVX-512 (16 lanes; the same operations in the same order, so
/// the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn forward_avx512(hs: usize, gi: &[f32], gh: &[f32], c_prev: &[f32], out: StepOut) {
    forward_rows(hs, gi, gh, c_prev, out)
}

/// [`backward_rows`] compiled for AVX-512.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn backward_avx512(
    hs: usize,
    c_prev: &[f32],
    cache: StepCache,
    dh: &[f32],
    dc: &[f32],
    grad: StepGrad,
) {
    backward_rows(hs, c_prev, cache, dh, dc, grad)
}

/// The forward step of every batch row: for each unit, its four gates, then `c'` and `h'`, in
/// one pass.
#[inline(always)]
fn forward_rows(hs: usize, gi: &[f32], gh: &[f32], c_prev: &[f32], out: StepOut) {
    let StepOut { act, h, c } = out;
    let g4 = 4 * hs;
    for (b, a) in act.chunks_exact_mut(g4).enumerate() {
        let (x, r) = (&gi[b * g4..(b + 1) * g4], &gh[b * g4..(b + 1) * g4]);
        // W_i· x + b_i· + W_h· h + b_h· of gate block q.
        let (xq, rq) = (
            |q: usize| &x[q * hs..(q + 1) * hs],
            |q: usize| &r[q * hs..(q + 1) * hs],
        );
        let (x_i, x_f, x_g, x_o) = (xq(0), xq(1), xq(2), xq(3));
        let (r_i, r_f, r_g, r_o) = (rq(0), rq(1), rq(2), rq(3));
        let (a_i, rest) = a.split_at_mut(hs);
        let (a_f, rest) = rest.split_at_mut(hs);
        let (a_g, a_o) = rest.split_at_mut(hs);
        let rows = b * hs..(b + 1) * hs;
        let (cp, cn, hn) = (&c_prev[rows.clone()], &mut c[rows.clone()], &mut h[rows]);
        for j in 0..hs {
            let i = sigmoid(x_i[j] + r_i[j]); // input gate
            let f = sigmoid(x_f[j] + r_f[j]); // forget gate
            let g = tanh(x_g[j] + r_g[j]); // candidate
            let o = sigmoid(x_o[j] + r_o[j]); // output gate
            (a_i[j], a_f[j], a_g[j], a_o[j]) = (i, f, g, o);
            let ct = f * cp[j] + i * g; // c' = f ⊙ c + i ⊙ g
            cn[j] = ct;
            hn[j] = o * tanh(ct); // h' = o ⊙ tanh(c')
        }
    }
}

/// The backward step of every batch row.
#[inline(always)]
fn backward_rows(
    hs: usize,
    c_prev: &[f32],
    cache: StepCache,
    dh: &[f32],
    dc: &[f32],
    grad: StepGrad,
) {
    let g4 = 4 * hs;
    for (b, d) in grad.dgi.chunks_exact_mut(g4).enumerate() {
        let rows = b * hs..(b + 1) * hs;
        let (a, c) = (&cache.act[b * g4..(b + 1) * g4], &cache.c[rows.clone()]);
        let (dh, dc, cp) = (&dh[rows.clone()], &dc[rows.clone()], &c_prev[rows.clone()]);
        let dc_prev = &mut grad.dc_prev[rows];
        let (a_i, rest) = a.split_at(hs);
        let (a_f, rest) = rest.split_at(hs);
        let (a_g, a_o) = rest.split_at(hs);
        let (d_i, rest) = d.split_at_mut(hs);
        let (d_f, rest) = rest.split_at_mut(hs);
        let (d_g, d_o) = rest.split_at_mut(hs);
        let (a_o, d_o) = (&a_o[..hs], &mut d_o[..hs]);
        for j in 0..hs {
            let (i, f, g, o) = (a_i[j], a_f[j], a_g[j], a_o[j]);
            let tc = tanh(c[j]);
            let dct = dc[j] + dh[j] * o * (1.0 - tc * tc); // total ∂L/∂c_t
            d_i[j] = dct * g * i * (1.0 - i); // through σ of the input gate
            d_f[j] = dct * cp[j] * f * (1.0 - f); // forget gate
            d_g[j] = dct * i * (1.0 - g * g); // candidate (tanh)
            d_o[j] = dh[j] * tc * o * (1.0 - o); // output gate
            dc_prev[j] = dct * f;
        }
    }
    grad.dh_prev_direct.fill(0.0);
}
