//! Dot attention of the decoder over the window (`attention=dot`), forwards and backwards.
//!
//! `z_t` is what the decoder reads without attention (the top layer's `h_t`, or `o_t` with
//! `residual=layers`). With `u_s = W_a z_s`, the scores are `e_{t,s} = z_tᵀ u_s` for `s ≤ t`,
//! `α_{t,·} = softmax(e_{t,·})`, `a_t = Σ_s α_{t,s} z_s`, and the decoder reads `[z_t ; a_t]`.
//! Per batch row the window's states are gathered into one `[T, H]` matrix, so every product is
//! one call of the shared kernels (the `T×T` ones over the full square, the later steps masked to
//! zero weight); the products with `W_a` are one product over the whole window.

use crate::core::kernels::{gemm_nn_acc, gemm_nt, gemm_tn_acc};
use crate::core::loss::softmax;

/// What the forward pass keeps for the backward pass, and its scratch.
#[derive(Clone, Debug, Default)]
pub struct AttnTrace {
    /// `u_s = W_a z_s`, `[T·B·H]` (time-major, as every window buffer).
    pub u: Vec<f32>,
    /// `α_{t,s}`, `[B·T·T]`: row `b`, query `t`, key `s` (zero for `s > t`).
    pub alpha: Vec<f32>,
    /// The decoder's input `[z_t ; a_t]`, `[T·B·2H]`.
    pub dec_in: Vec<f32>,
    /// One batch row's `z`, `u` and `a`, `[T·H]`.
    zb: Vec<f32>,
    ub: Vec<f32>,
    ab: Vec<f32>,
}

/// The backward pass's buffers: one batch row's `z`, `u`, `∂a`, `∂z`, `∂u` (`[T·H]`), `∂α` / `∂e`
/// (`[T·T]`), and the window's `∂u` (`[T·B·H]`).
#[derive(Clone, Debug, Default)]
pub struct AttnScratch {
    zb: Vec<f32>,
    ub: Vec<f32>,
    db: Vec<f32>,
    dzb: Vec<f32>,
    dub: Vec<f32>,
    de: Vec<f32>,
    du: Vec<f32>,
}

/// The window's sizes.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub steps_t: usize,
    pub batch: usize,
    pub hs: usize,
}

/// Batch row `b`'s `w` columns from `at` of every step of a time-major buffer of `width`-wide
/// rows, into `out` (`[T·w]`).
#[inline(never)]
fn gather(
    v: &[f32],
    sh: Shape,
    b: usize,
    (at, w, width): (usize, usize, usize),
    out: &mut Vec<f32>,
) {
    out.clear();
    for t in 0..sh.steps_t {
        let r = (t * sh.batch + b) * width + at;
        out.extend_from_slice(&v[r..r + w]);
    }
}

/// Adds `rows` (`[T·H]`) to batch row `b` of every step of the time-major `v` (`[T·B·H]`).
#[inline(never)]
fn scatter_add(rows: &[f32], sh: Shape, b: usize, v: &mut [f32]) {
    let hs = sh.hs;
    for t in 0..sh.steps_t {
        let r = (t * sh.batch + b) * hs;
        for (d, s) in v[r..r + hs].iter_mut().zip(&rows[t * hs..(t + 1) * hs]) {
            *d += s;
        }
    }
}

/// Turns the scores `row` of query `t` into `α_{t,·}`: a softmax over `s ≤ t`, zero after.
#[inline(never)]
fn softmax_causal(row: &mut [f32], t: usize) {
    let (now, later) = row.split_at_mut(t + 1);
    later.fill(0.0);
    let p = softmax(now, 1.0); // the decoder's softmax (x / 1 is x exactly)
    now.copy_from_slice(&p);
}

/// `α` (`[n·n]`, causal) and `a = α·z` (`[n·H]`) of the `n` states `z` with keys `u`.
fn attend(n: usize, hs: usize, z: &[f32], u: &[f32], alpha: &mut [f32], a: &mut Vec<f32>) {
    gemm_nt(n, n, hs, z, u, alpha); // e_{t,s} = z_t · u_s
    for (t, row) in alpha.chunks_exact_mut(n).enumerate() {
        softmax_causal(row, t);
    }
    super::zeros(a, n * hs);
    gemm_nn_acc(n, n, hs, alpha, z, a);
}

/// Forward: fills `tr` from the states `z` (`[T·B·H]`) and `w_a` (`[H, H]`).
pub fn forward(sh: Shape, z: &[f32], w_a: &[f32], tr: &mut AttnTrace) {
    let (tt, b, hs) = (sh.steps_t, sh.batch, sh.hs);
    let rows = tt * b;
    super::sized(&mut tr.u, rows * hs);
    gemm_nt(rows, hs, hs, z, w_a, &mut tr.u);
    super::sized(&mut tr.alpha, b * tt * tt);
    super::sized(&mut tr.dec_in, rows * 2 * hs);
    for bi in 0..b {
        gather(z, sh, bi, (0, hs, hs), &mut tr.zb);
        gather(&tr.u, sh, bi, (0, hs, hs), &mut tr.ub);
        let alpha = &mut tr.alpha[bi * tt * tt..(bi + 1) * tt * tt];
        attend(tt, hs, &tr.zb, &tr.ub, alpha, &mut tr.ab);
        for t in 0..tt {
            let out = &mut tr.dec_in[(t * b + bi) * 2 * hs..][..2 * hs];
            out[..hs].copy_from_slice(&tr.zb[t * hs..(t + 1) * hs]);
            out[hs..].copy_from_slice(&tr.ab[t * hs..(t + 1) * hs]);
        }
    }
}

/// Backward: from `ddec` = `∂L/∂[z_t ; a_t]` (`[T·B·2H]`), adds `∂L/∂z` into `dz` (`[T·B·H]`) and,
/// with `gw`, `∂L/∂W_a` into it (`at` holds the forward pass's `u` and `α`).
// The arguments are the quantities of the backward equations; bundling them would hide that.
#[allow(clippy::too_many_arguments)]
pub fn backward(
    sh: Shape,
    z: &[f32],
    w_a: &[f32],
    at: &AttnTrace,
    ddec: &[f32],
    dz: &mut [f32],
    gw: Option<&mut [f32]>,
    tr: &mut AttnScratch,
) {
    let (tt, b, hs) = (sh.steps_t, sh.batch, sh.hs);
    let rows = tt * b;
    super::zeros(&mut tr.du, rows * hs);
    for bi in 0..b {
        let alpha = &at.alpha[bi * tt * tt..(bi + 1) * tt * tt];
        gather(z, sh, bi, (0, hs, hs), &mut tr.zb);
        gather(&at.u, sh, bi, (0, hs, hs), &mut tr.ub);
        gather(ddec, sh, bi, (0, hs, 2 * hs), &mut tr.dzb); // ∂L/∂z_t straight from the decoder
        gather(ddec, sh, bi, (hs, hs, 2 * hs), &mut tr.db); // ∂L/∂a_t
        super::sized(&mut tr.de, tt * tt);
        gemm_nt(tt, tt, hs, &tr.db, &tr.zb, &mut tr.de); // ∂α_{t,s} = ∂a_t · z_s
        gemm_tn_acc(tt, tt, hs, alpha, &tr.db, &mut tr.dzb); // z_s gets Σ_t α_{t,s} ∂a_t
                                                             // Through the softmax: ∂e_{t,s} = α_{t,s} (∂α_{t,s} − Σ_s' α_{t,s'} ∂α_{t,s'}).
        for (de, a) in tr.de.chunks_exact_mut(tt).zip(alpha.chunks_exact(tt)) {
            let mean: f32 = de.iter().zip(a).map(|(d, a)| d * a).sum();
            de.iter_mut().zip(a).for_each(|(d, a)| *d = a * (*d - mean));
        }
        // e_{t,s} = z_t · u_s: z_t gets Σ_s ∂e_{t,s} u_s, u_s gets Σ_t ∂e_{t,s} z_t.
        gemm_nn_acc(tt, tt, hs, &tr.de, &tr.ub, &mut tr.dzb);
        super::zeros(&mut tr.dub, tt * hs);
        gemm_tn_acc(tt, tt, hs, &tr.de, &tr.zb, &mut tr.dub);
        scatter_add(&tr.dzb, sh, bi, dz);
        scatter_add(&tr.dub, sh, bi, &mut tr.du);
    }
    // u = z·W_aᵀ: ∂z += ∂u·W_a and ∂W_a += ∂uᵀ·z.
    gemm_nn_acc(rows, hs, hs, &tr.du, w_a, dz);
    if let Some(gw) = gw {
        gemm_tn_acc(rows, hs, hs, &tr.du, z, gw);
    }
}

/// The decoder input `[z ; a]` of the newest of `n` states, from the states `z` and their
/// `u = W_a z` (`[n·H]` each, oldest first): what a sampler needs at every character. It
/// computes only the newest query's row of [`attend`].
pub fn newest(hs: usize, z: &[f32], u: &[f32]) -> Vec<f32> {
    let n = z.len() / hs;
    let zt = &z[(n - 1) * hs..];
    let mut alpha = vec![0.0; n];
    gemm_nt(1, n, hs, zt, u, &mut alpha);
    softmax_causal(&mut alpha, n - 1);
    let mut out = zt.to_vec();
    out.resize(2 * hs, 0.0);
    gemm_nn_acc(1, n, hs, &alpha, z, &mut out[hs..]);
    out
}
