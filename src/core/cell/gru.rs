//! GRU, as `torch.nn.GRU`. Gate blocks in PyTorch's order r, z, n:
//!
//! ```text
//! r = σ(W_ir x + b_ir + W_hr h + b_hr)            reset gate
//! z = σ(W_iz x + b_iz + W_hz h + b_hz)            update gate
//! n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   candidate
//! h' = (1 − z) ⊙ n + z ⊙ h
//! ```
//!
//! How this differs from the textbook (Cho et al. 2014) form: there the reset gate is applied to
//! the hidden state *before* the matrix product, `n = tanh(W_in x + W_hn (r ⊙ h))`, and the update
//! gate is often written with the roles of `z` and `1 − z` swapped. PyTorch (like cuDNN) applies
//! `r` *after* the product, to `W_hn h + b_hn`, so the hidden bias `b_hn` sits inside the reset
//! and all three `W_h·` products can be done as one matrix product before `r` is known. The two
//! forms are different functions of the same weights; models only load across them by retraining.

use super::{sigmoid_saturated, tanh_saturated, Cell, StepCache, StepGrad, StepOut};
use crate::core::kernels::{sigmoid, tanh};

/// Gated recurrent unit (three gate blocks).
#[derive(Clone, Copy, Debug)]
pub struct Gru;

impl Cell for Gru {
    fn gates(&self) -> usize {
        3
    }

    fn gate_names(&self) -> &'static [&'static str] {
        &["r", "z", "n"]
    }

    fn forward(&self, hs: usize, gi: &[f32], gh: &[f32], h_prev: &[f32], _c: &[f32], out: StepOut) {
        let StepOut { act, h, .. } = out;
        let g3 = 3 * hs;
        for (b, a) in act.chunks_exact_mut(g3).enumerate() {
            let x = &gi[b * g3..(b + 1) * g3];
            let u = &gh[b * g3..(b + 1) * g3];
            let (rz, n) = a.split_at_mut(2 * hs);
            for ((a, x), u) in rz.iter_mut().zip(x).zip(u) {
                *a = sigmoid(x + u); // reset gate r, then update gate z
            }
            let (r, z) = rz.split_at(hs);
            for j in 0..hs {
                n[j] = tanh(x[2 * hs + j] + r[j] * u[2 * hs + j]); // candidate, reset after W_hn h
            }
            let rows = b * hs..(b + 1) * hs;
            let (hp, hn) = (&h_prev[rows.clone()], &mut h[rows]);
            for j in 0..hs {
                hn[j] = (1.0 - z[j]) * n[j] + z[j] * hp[j]; // h' = (1 − z) ⊙ n + z ⊙ h
            }
        }
    }

    fn backward(
        &self,
        hs: usize,
        h_prev: &[f32],
        _c_prev: &[f32],
        cache: StepCache,
        dh: &[f32],
        _dc: &[f32],
        grad: StepGrad,
    ) {
        let g3 = 3 * hs;
        let batch = dh.len() / hs;
        for b in 0..batch {
            let a = &cache.act[b * g3..(b + 1) * g3];
            let u = &cache.gh[b * g3..(b + 1) * g3];
            let di = &mut grad.dgi[b * g3..(b + 1) * g3];
            let du = &mut grad.dgh[b * g3..(b + 1) * g3];
            for j in 0..hs {
                let k = b * hs + j;
                let (r, z, n) = (a[j], a[hs + j], a[2 * hs + j]);
                let dn = dh[k] * (1.0 - z) * (1.0 - n * n); // ∂L/∂(pre-activation of n)
                let dr = dn * u[2 * hs + j] * r * (1.0 - r); // through r ⊙ (W_hn h + b_hn)
                let dz = dh[k] * (h_prev[k] - n) * z * (1.0 - z);
                di[j] = dr;
                di[hs + j] = dz;
                di[2 * hs + j] = dn;
                du[j] = dr;
                du[hs + j] = dz;
                du[2 * hs + j] = dn * r;
                grad.dh_prev_direct[k] = dh[k] * z;
            }
        }
    }

    fn saturation(&self, hs: usize, act: &[f32], _h: &[f32]) -> (usize, usize) {
        let sat = act
            .iter()
            .enumerate()
            .filter(|(n, v)| {
                if (n / hs) % 3 == 2 {
                    tanh_saturated(**v)
                } else {
                    sigmoid_saturated(**v)
                }
            })
            .count();
        (sat, act.len())
    }
}
