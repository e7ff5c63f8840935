//! Dot attention of the decoder over the window (`attention=dot`), forwards and backwards.
//!
//! `z_t` is what the decoder reads without attention (the top layer's `h_t`, or `o_t` with
//! `residual=layers`). With `u_s = W_a z_s`, the scores are `e_{t,s} = z_tᵀ u_s` for `s ≤ t`,
//! `α_{t,·} = softmax(e_{t,·})`, `a_t = Σ_s α_{t,s} z_s`, and the decoder reads `[z_t ; a_t]`.
//! The `T×T` part runs per batch row; the products with `W_a` are one product over the window.

use crate::core::kernels::{axpy, dot, gemm_nn_acc, gemm_nt, gemm_tn_acc};
use crate::core::mathf::exp;

/// What the forward pass keeps for the backward pass and the views.
#[derive(Clone, Debug, Default)]
pub struct AttnTrace {
    /// `u_s = W_a z_s`, `[T·B·H]` (time-major, as every window buffer).
    pub u: Vec<f32>,
    /// `α_{t,s}`, `[B·T·T]`: row `b`, query `t`, key `s` (zero for `s > t`).
    pub alpha: Vec<f32>,
    /// The decoder's input `[z_t ; a_t]`, `[T·B·2H]`.
    pub dec_in: Vec<f32>,
}

/// The window's sizes.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub steps_t: usize,
    pub batch: usize,
    pub hs: usize,
}

impl Shape {
    /// Row of step `t`, batch row `b` in a time-major buffer.
    fn row(self, t: usize, b: usize) -> usize {
        t * self.batch + b
    }
}

/// `α_{t,·} = softmax(e_{t,0..=t})` written into `alpha[..=t]` from the scores already there.
fn softmax_prefix(alpha: &mut [f32], t: usize) {
    let m = alpha[..=t].iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut sum = 0.0;
    for v in &mut alpha[..=t] {
        *v = exp(*v - m);
        sum += *v;
    }
    alpha[..=t].iter_mut().for_each(|v| *v /= sum);
}

/// Forward: fills `tr` from the states `z` (`[T·B·H]`) and `w_a` (`[H, H]`).
pub fn forward(sh: Shape, z: &[f32], w_a: &[f32], tr: &mut AttnTrace) {
    let (tt, b, hs) = (sh.steps_t, sh.batch, sh.hs);
    let rows = tt * b;
    super::sized(&mut tr.u, rows * hs);
    gemm_nt(rows, hs, hs, z, w_a, &mut tr.u);
    super::zeros(&mut tr.alpha, b * tt * tt);
    super::zeros(&mut tr.dec_in, rows * 2 * hs);
    for bi in 0..b {
        for t in 0..tt {
            let zt = &z[sh.row(t, bi) * hs..][..hs];
            let alpha = &mut tr.alpha[(bi * tt + t) * tt..][..tt];
            for (s, e) in alpha[..=t].iter_mut().enumerate() {
                *e = dot(zt, &tr.u[sh.row(s, bi) * hs..][..hs]);
            }
            softmax_prefix(alpha, t);
            let out = &mut tr.dec_in[sh.row(t, bi) * 2 * hs..][..2 * hs];
            out[..hs].copy_from_slice(zt);
            for (s, &a) in alpha[..=t].iter().enumerate() {
                axpy(a, &z[sh.row(s, bi) * hs..][..hs], &mut out[hs..]);
            }
        }
    }
}

/// Backward: from `ddec` = `∂L/∂[z_t ; a_t]` (`[T·B·2H]`), adds `∂L/∂z` into `dz` (`[T·B·H]`) and,
/// with `gw`, `∂L/∂W_a` into it. `du` is scratch.
// The arguments are the quantities of the backward equations; bundling them would hide that.
#[allow(clippy::too_many_arguments)]
pub fn backward(
    sh: Shape,
    z: &[f32],
    w_a: &[f32],
    tr: &AttnTrace,
    ddec: &[f32],
    dz: &mut [f32],
    gw: Option<&mut [f32]>,
    du: &mut Vec<f32>,
) {
    let (tt, b, hs) = (sh.steps_t, sh.batch, sh.hs);
    let rows = tt * b;
    super::zeros(du, rows * hs);
    let mut dalpha = vec![0.0f32; tt];
    for bi in 0..b {
        for t in 0..tt {
            let rt = sh.row(t, bi);
            let (dzt, da) = ddec[rt * 2 * hs..][..2 * hs].split_at(hs);
            axpy(1.0, dzt, &mut dz[rt * hs..][..hs]);
            let alpha = &tr.alpha[(bi * tt + t) * tt..][..tt];
            // ∂α_{t,s} = a-gradient · z_s, and z_s gets α_{t,s}·∂a_t.
            for s in 0..=t {
                let rs = sh.row(s, bi);
                dalpha[s] = dot(da, &z[rs * hs..][..hs]);
                axpy(alpha[s], da, &mut dz[rs * hs..][..hs]);
            }
            // Through the softmax: ∂e_s = α_s (∂α_s − Σ α ∂α); then e_{t,s} = z_tᵀ u_s.
            let mean: f32 = (0..=t).map(|s| alpha[s] * dalpha[s]).sum();
            for s in 0..=t {
                let de = alpha[s] * (dalpha[s] - mean);
                let rs = sh.row(s, bi);
                axpy(de, &tr.u[rs * hs..][..hs], &mut dz[rt * hs..][..hs]);
                axpy(de, &z[rt * hs..][..hs], &mut du[rs * hs..][..hs]);
            }
        }
    }
    // u = z·W_aᵀ: ∂z += ∂u·W_a and ∂W_a += ∂uᵀ·z.
    gemm_nn_acc(rows, hs, hs, du, w_a, dz);
    if let Some(gw) = gw {
        gemm_tn_acc(rows, hs, hs, du, z, gw);
    }
}

/// The decoder input `[z ; a]` of the newest of `n` states, from the states `z` and their
/// `u = W_a z` (`[n·H]` each, oldest first), the same sums as [`forward`] gives its last step:
/// a sampler keeps both and attends over them at every character.
pub fn newest(hs: usize, z: &[f32], u: &[f32]) -> Vec<f32> {
    let n = z.len() / hs;
    let zt = &z[(n - 1) * hs..];
    let mut alpha: Vec<f32> = u.chunks_exact(hs).map(|u| dot(zt, u)).collect();
    softmax_prefix(&mut alpha, n - 1);
    let mut out = vec![0.0; 2 * hs];
    out[..hs].copy_from_slice(zt);
    for (a, zs) in alpha.iter().zip(z.chunks_exact(hs)) {
        axpy(*a, zs, &mut out[hs..]);
    }
    out
}
