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

use super::{sigmoid_saturated, tanh_saturated, Cell, StepCache, StepGrad};
use crate::core::kernels::{sigmoid, tanh};

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

    fn gate_names(&self) -> &'static [&'static str] {
        &["i", "f", "g", "o"]
    }

    fn forward(&self, hs: usize, _h_prev: &[f32], c_prev: &[f32], cache: &mut StepCache) {
        let StepCache { gi, gh, act, h, c } = cache;
        let batch = h.len() / hs;
        for b in 0..batch {
            let x = &gi[b * 4 * hs..(b + 1) * 4 * hs];
            let r = &gh[b * 4 * hs..(b + 1) * 4 * hs];
            let a = &mut act[b * 4 * hs..(b + 1) * 4 * hs];
            for j in 0..hs {
                let i = sigmoid(x[j] + r[j]); // input gate
                let f = sigmoid(x[hs + j] + r[hs + j]); // forget gate
                let g = tanh(x[2 * hs + j] + r[2 * hs + j]); // candidate
                let o = sigmoid(x[3 * hs + j] + r[3 * hs + j]); // output gate
                a[j] = i;
                a[hs + j] = f;
                a[2 * hs + j] = g;
                a[3 * hs + j] = o;
                let k = b * hs + j;
                let cn = f * c_prev[k] + i * g;
                c[k] = cn;
                h[k] = o * tanh(cn);
            }
        }
    }

    fn backward(
        &self,
        hs: usize,
        _h_prev: &[f32],
        c_prev: &[f32],
        cache: &StepCache,
        dh: &[f32],
        dc: &[f32],
        grad: &mut StepGrad,
    ) {
        let batch = dh.len() / hs;
        for b in 0..batch {
            let a = &cache.act[b * 4 * hs..(b + 1) * 4 * hs];
            let d = &mut grad.dgi[b * 4 * hs..(b + 1) * 4 * hs];
            for j in 0..hs {
                let k = b * hs + j;
                let (i, f, g, o) = (a[j], a[hs + j], a[2 * hs + j], a[3 * hs + j]);
                let tc = tanh(cache.c[k]);
                let dct = dc[k] + dh[k] * o * (1.0 - tc * tc); // total ∂L/∂c_t
                d[j] = dct * g * i * (1.0 - i); // through σ of the input gate
                d[hs + j] = dct * c_prev[k] * f * (1.0 - f); // forget gate
                d[2 * hs + j] = dct * i * (1.0 - g * g); // candidate (tanh)
                d[3 * hs + j] = dh[k] * tc * o * (1.0 - o); // output gate
                grad.dc_prev[k] = dct * f;
            }
        }
        grad.dgh.copy_from_slice(&grad.dgi);
        grad.dh_prev_direct.fill(0.0);
    }

    fn saturation(&self, hs: usize, cache: &StepCache) -> (usize, usize) {
        let sat = cache
            .act
            .iter()
            .enumerate()
            .filter(|(n, v)| {
                if (n / hs) % 4 == 2 {
                    tanh_saturated(**v) // g is a tanh
                } else {
                    sigmoid_saturated(**v) // i, f, o are sigmoids
                }
            })
            .count();
        (sat, cache.act.len())
    }
}
