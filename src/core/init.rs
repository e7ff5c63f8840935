//! Weight initialisation. Every draw comes from one seeded [`Rng`] in a fixed order:
//! embedding, then per layer `w_ih, w_hh, b_ih, b_hh`, then decoder weight and bias; the
//! recurrent overrides (orthogonal, identity) draw afterwards.

use super::model::{CellKind, ModelSpec, Params};
use super::rng::Rng;

super::settings::choice! {
    /// How recurrent weights start.
    pub enum InitKind {
        /// PyTorch's default: every RNN weight and bias ~ U(−1/√H, 1/√H).
        Pytorch = "pytorch",
        /// PyTorch's default, then each `H×H` gate block of `w_hh` is a random orthogonal matrix
        /// × gain.
        Orthogonal = "orthogonal",
        /// PyTorch's default, then each gate block of `w_hh` = gain·I and the recurrent-layer
        /// biases zero (IRNN, Le et al. 2015).
        Identity = "identity",
    }
}

/// Initialisation settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InitOpts {
    pub kind: InitKind,
    pub gain: f32,
    /// For LSTMs: set the forget gate's total bias (`b_ih + b_hh`) to this value.
    pub forget_bias: Option<f32>,
}

/// Fresh parameters for `spec`.
pub fn init_params(spec: &ModelSpec, opts: InitOpts, rng: &mut Rng) -> Params {
    let mut p = Params::zeros(spec);
    let k = 1.0 / (spec.hidden as f32).sqrt();
    if let Some(e) = &mut p.embedding {
        e.iter_mut().for_each(|v| *v = rng.normal()); // nn.Embedding: N(0, 1)
    }
    for l in &mut p.layers {
        for t in [&mut l.w_ih, &mut l.w_hh] {
            t.iter_mut().for_each(|v| *v = rng.uniform_in(-k, k));
        }
        for t in [&mut l.b_ih, &mut l.b_hh] {
            t.iter_mut().for_each(|v| *v = rng.uniform_in(-k, k));
        }
    }
    // nn.Linear(H, O): weight and bias ~ U(−1/√H, 1/√H).
    p.dec_w.iter_mut().for_each(|v| *v = rng.uniform_in(-k, k));
    p.dec_b.iter_mut().for_each(|v| *v = rng.uniform_in(-k, k));
    let hs = spec.hidden;
    for l in &mut p.layers {
        let gates = l.w_hh.nrows() / hs;
        for g in 0..gates {
            let mut block = l.w_hh.slice_mut(ndarray::s![g * hs..(g + 1) * hs, ..]);
            match opts.kind {
                InitKind::Pytorch => {}
                InitKind::Orthogonal => {
                    let q = orthogonal(hs, rng);
                    block
                        .iter_mut()
                        .zip(q)
                        .for_each(|(v, q)| *v = q * opts.gain);
                }
                InitKind::Identity => {
                    block.fill(0.0);
                    block.diag_mut().fill(opts.gain);
                }
            }
        }
        if opts.kind == InitKind::Identity {
            l.b_ih.fill(0.0);
            l.b_hh.fill(0.0);
        }
        if let (CellKind::Lstm, Some(fb)) = (spec.cell, opts.forget_bias) {
            l.b_ih.slice_mut(ndarray::s![hs..2 * hs]).fill(fb);
            l.b_hh.slice_mut(ndarray::s![hs..2 * hs]).fill(0.0);
        }
    }
    p
}

/// A random `n×n` orthogonal matrix (row-major): Gram–Schmidt on a Gaussian matrix, run twice
/// for numerical orthogonality. Written here because ndarray-linalg needs LAPACK, which does not
/// build for wasm32; n is at most a few thousand and this runs once per model.
pub fn orthogonal(n: usize, rng: &mut Rng) -> Vec<f32> {
    let mut a: Vec<f64> = (0..n * n).map(|_| rng.normal() as f64).collect();
    for i in 0..n {
        for _pass in 0..2 {
            for j in 0..i {
                let d: f64 = (0..n).map(|k| a[i * n + k] * a[j * n + k]).sum();
                for k in 0..n {
                    a[i * n + k] -= d * a[j * n + k];
                }
            }
        }
        let norm = (0..n)
            .map(|k| a[i * n + k] * a[i * n + k])
            .sum::<f64>()
            .sqrt()
            .max(1e-30);
        for k in 0..n {
            a[i * n + k] /= norm;
        }
    }
    a.into_iter().map(|v| v as f32).collect()
}
