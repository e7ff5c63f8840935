//! Weight initialisation. Every draw comes from one seeded [`Rng`] in a fixed order:
//! embedding, then per layer `w_ih, w_hh, b_ih, b_hh`, then decoder weight and bias; the
//! recurrent overrides (orthogonal, identity) draw afterwards, then chrono's gate biases, and the
//! attention matrix `W_a` last.

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
    /// Chrono initialisation (Tallec & Ollivier 2018) with this `T_max`, for LSTMs and GRUs;
    /// it replaces `forget_bias`. See [`chrono_biases`].
    pub chrono: Option<usize>,
}

impl Default for InitOpts {
    /// PyTorch's default initialisation.
    fn default() -> Self {
        InitOpts {
            kind: InitKind::Pytorch,
            gain: 1.0,
            forget_bias: None,
            chrono: None,
        }
    }
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
    // nn.Linear(H, O): weight and bias ~ U(−1/√H, 1/√H); with attention nn.Linear(2H, O).
    let kd = 1.0 / (spec.decoder_input() as f32).sqrt();
    p.dec_w
        .iter_mut()
        .for_each(|v| *v = rng.uniform_in(-kd, kd));
    p.dec_b
        .iter_mut()
        .for_each(|v| *v = rng.uniform_in(-kd, kd));
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
        if let (CellKind::Lstm, Some(fb), None) = (spec.cell, opts.forget_bias, opts.chrono) {
            l.b_ih.slice_mut(ndarray::s![hs..2 * hs]).fill(fb);
            l.b_hh.slice_mut(ndarray::s![hs..2 * hs]).fill(0.0);
        }
    }
    if let Some(t_max) = opts.chrono {
        for l in &mut p.layers {
            chrono_biases(spec.cell, hs, t_max, l, rng);
        }
    }
    // W_a last, so that a model without attention draws exactly what it did before:
    // U(−1/√H, 1/√H), as nn.Linear(H, H, bias=False) or nn.Bilinear would.
    if let Some(a) = &mut p.attention {
        a.iter_mut().for_each(|v| *v = rng.uniform_in(-k, k));
    }
    p
}

/// Chrono initialisation (Tallec & Ollivier 2018, "Can recurrent neural networks warp time?"):
/// the gate that keeps the old state gets the total bias `b = ln u`, `u ~ U[1, T_max − 1]` per
/// unit, so at the start a unit keeps its memory for about `u` steps, spread over the time
/// scales up to `T_max`.
///
/// - LSTM (gates i, f, g, o): `b_f = ln u` and `b_i = −b_f`.
/// - GRU (gates r, z, n): in PyTorch's form `h_t = (1 − z)·n + z·h_{t−1}` the update gate z is the
///   keep gate, so `b_z = ln u` (the paper's z writes, so it has the opposite sign).
///
/// The bias goes into `b_ih`; that gate's `b_hh` is zero. A vanilla RNN has no gate: unchanged.
fn chrono_biases(
    cell: CellKind,
    hs: usize,
    t_max: usize,
    l: &mut super::model::Layer,
    rng: &mut Rng,
) {
    if let CellKind::Rnn(_) = cell {
        return;
    }
    let keep = 1; // f of i, f, g, o; z of r, z, n
    let hi = (t_max as f32 - 1.0).max(1.0);
    for j in 0..hs {
        let b = libm::logf(rng.uniform_in(1.0, hi));
        l.b_ih[keep * hs + j] = b;
        l.b_hh[keep * hs + j] = 0.0;
        if cell == CellKind::Lstm {
            l.b_ih[j] = -b;
            l.b_hh[j] = 0.0;
        }
    }
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

#[cfg(test)]
mod tests;
