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

use super::{gate_saturation, Cell, StepCache, StepGrad, StepOut};
use crate::core::mathf::{sigmoid, tanh};

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
            let (x_n, u_n) = (&x[2 * hs..], &u[2 * hs..]);
            for j in 0..hs {
                n[j] = tanh(x_n[j] + r[j] * u_n[j]); // candidate, reset after W_hn h
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
        let gates = grad
            .dgi
            .chunks_exact_mut(g3)
            .zip(grad.dgh.chunks_exact_mut(g3));
        for (b, (di, du)) in gates.enumerate() {
            let rows = b * hs..(b + 1) * hs;
            let (dh, hp) = (&dh[rows.clone()], &h_prev[rows.clone()]);
            let direct = &mut grad.dh_prev_direct[rows];
            let a = &cache.act[b * g3..(b + 1) * g3];
            let u_n = &cache.gh[b * g3 + 2 * hs..(b + 1) * g3];
            let (a_r, rest) = a.split_at(hs);
            let (a_z, a_n) = rest.split_at(hs);
            let (di_r, rest) = di.split_at_mut(hs);
            let (di_z, di_n) = rest.split_at_mut(hs);
            let (du_r, rest) = du.split_at_mut(hs);
            let (du_z, du_n) = rest.split_at_mut(hs);
            for j in 0..hs {
                let (r, z, n) = (a_r[j], a_z[j], a_n[j]);
                let dn = dh[j] * (1.0 - z) * (1.0 - n * n); // ∂L/∂(pre-activation of n)
                let dr = dn * u_n[j] * r * (1.0 - r); // through r ⊙ (W_hn h + b_hn)
                let dz = dh[j] * (hp[j] - n) * z * (1.0 - z);
                di_r[j] = dr;
                di_z[j] = dz;
                di_n[j] = dn;
                du_r[j] = dr;
                du_z[j] = dz;
                du_n[j] = dn * r;
                direct[j] = dh[j] * z;
            }
        }
    }

    fn saturation(&self, hs: usize, act: &[f32], _h: &[f32]) -> (usize, usize) {
        gate_saturation(hs, 3, 2, act) // n is a tanh; r, z are sigmoids
    }
}
