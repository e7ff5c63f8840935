//! Fixed points of a trained network's dynamics (Sussillo & Barak 2013).
//!
//! `F(s)` is one step of the top layer with zero input (`gi = b_ih`), on its whole state `s`:
//! `h`, and for an LSTM `[h; c]`. Starting from states the network visits, the finder minimises
//! `q(s) = ½‖F(s) − s‖²`, whose gradient is `(J − I)ᵀ (F(s) − s)` with `J = ∂F/∂s`. It keeps the
//! points with `q` below a tolerance, merges duplicates, and classifies each by the eigenvalues
//! of `J`: stable when every `|λ| < 1`.
//!
//! `Jᵀv` comes from the cell's own backward step (the same code training uses), so the finder
//! needs no derivative of its own.

use super::cell::{Cell, StepCache, StepGrad, StepOut};
use super::model::Model;

mod search;
mod states;
pub use search::{find, Search};
pub use states::{task_states, token_states, TaskStates};

/// The finder's settings.
#[derive(Clone, Copy, Debug)]
pub struct Opts {
    /// Starting states to run from.
    pub starts: usize,
    /// Gradient steps per start (Adam).
    pub iters: usize,
    /// Adam's learning rate.
    pub lr: f32,
    /// Keep points with `q` below this. True fixed points reach 1e-12 or less after Newton's
    /// polish in f32; slow points on a nearly flat manifold stay far above.
    pub tol_q: f32,
    /// Points closer than this (Euclidean) are one point.
    pub merge: f32,
    /// Standard deviation of the noise added to each start.
    pub noise: f32,
    pub seed: u64,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            starts: 64,
            iters: 4000,
            lr: 0.01,
            tol_q: 1e-9,
            merge: 0.1,
            noise: 0.01,
            seed: 1,
        }
    }
}

/// One fixed point (or slow point below the tolerance).
#[derive(Clone, Debug, PartialEq)]
pub struct FixedPoint {
    /// The hidden state.
    pub h: Vec<f32>,
    /// The cell state (LSTM; empty otherwise).
    pub c: Vec<f32>,
    pub q: f32,
    /// Largest `|λ|` of `J` at the point.
    pub max_abs_eig: f32,
    /// Every `|λ| < 1`.
    pub stable: bool,
}

/// The map `F` of the top layer with zero input, and its vector-Jacobian products.
pub struct Dynamics<'a> {
    model: &'a Model,
    cell: &'static dyn Cell,
    hs: usize,
    /// 1 for `h`, 2 for an LSTM's `[h; c]`.
    parts: usize,
}

/// One evaluation of `F` at a state: the cell's forward buffers, which its backward reads.
struct Eval {
    gi: Vec<f32>,
    gh: Vec<f32>,
    act: Vec<f32>,
    h: Vec<f32>,
    c: Vec<f32>,
}

impl<'a> Dynamics<'a> {
    pub fn new(model: &'a Model) -> Self {
        let cell = model.spec.step_cell();
        let parts = if cell.has_cell_state() { 2 } else { 1 };
        Dynamics {
            model,
            cell,
            hs: model.spec.hidden,
            parts,
        }
    }

    /// Length of the state `s`.
    pub fn dim(&self) -> usize {
        self.parts * self.hs
    }

    fn top(&self) -> &super::model::Layer {
        self.model.params.layers.last().expect("a model has layers")
    }

    fn eval(&self, s: &[f32]) -> Eval {
        let (hs, p) = (self.hs, self.top());
        let gates = p.b_hh.len();
        let (h, c) = s.split_at(hs);
        let w_hh = p.w_hh.as_slice().expect("contiguous");
        let mut gh = p.b_hh.to_vec();
        for (g, v) in gh.iter_mut().enumerate() {
            *v += dot(&w_hh[g * hs..(g + 1) * hs], h);
        }
        let mut e = Eval {
            gi: p.b_ih.to_vec(),
            gh,
            act: vec![0.0; gates],
            h: vec![0.0; hs],
            c: vec![0.0; c.len()],
        };
        let out = StepOut {
            act: &mut e.act,
            h: &mut e.h,
            c: &mut e.c,
        };
        self.cell.forward(hs, &e.gi, &e.gh, h, c, out);
        e
    }

    /// `F(s)`.
    pub fn step(&self, s: &[f32]) -> Vec<f32> {
        let mut e = self.eval(s);
        e.h.append(&mut e.c);
        e.h
    }

    /// `Jᵀv` at `s`, `J = ∂F/∂s`.
    pub fn vjp(&self, s: &[f32], v: &[f32]) -> Vec<f32> {
        self.vjp_at(s, &self.eval(s), v)
    }

    fn vjp_at(&self, s: &[f32], e: &Eval, v: &[f32]) -> Vec<f32> {
        let (hs, p) = (self.hs, self.top());
        let gates = e.gh.len();
        let (h, c) = s.split_at(hs);
        let (vh, vc) = v.split_at(hs);
        let (mut dgi, mut dgh) = (vec![0.0; gates], vec![0.0; gates]);
        let (mut direct, mut dc_prev) = (vec![0.0; hs], vec![0.0; c.len()]);
        let cache = StepCache {
            gi: &e.gi,
            gh: &e.gh,
            act: &e.act,
            h: &e.h,
            c: &e.c,
        };
        let grad = StepGrad {
            dgi: &mut dgi,
            dgh: &mut dgh,
            dh_prev_direct: &mut direct,
            dc_prev: &mut dc_prev,
        };
        self.cell.backward(hs, h, c, cache, vh, vc, grad);
        // ∂/∂h through gh = W_hh h + b_hh, plus the GRU's direct z ⊙ h path.
        let w_hh = p.w_hh.as_slice().expect("contiguous");
        let dgh = if self.cell.dgh_is_dgi() { &dgi } else { &dgh };
        for (g, d) in dgh.iter().enumerate() {
            for (o, w) in direct.iter_mut().zip(&w_hh[g * hs..(g + 1) * hs]) {
                *o += d * w;
            }
        }
        direct.append(&mut dc_prev);
        direct
    }

    /// `q(s) = ½‖F(s) − s‖²` and its gradient `Jᵀr − r`, `r = F(s) − s`.
    pub fn q_and_grad(&self, s: &[f32]) -> (f32, Vec<f32>) {
        let e = self.eval(s);
        let r: Vec<f32> = e.h.iter().chain(&e.c).zip(s).map(|(f, x)| f - x).collect();
        let q = 0.5 * dot(&r, &r);
        let mut g = self.vjp_at(s, &e, &r);
        for (g, r) in g.iter_mut().zip(&r) {
            *g -= r;
        }
        (q, g)
    }

    /// `J` at `s`, row-major `[n, n]`: row i is `(Jᵀ e_i)ᵀ`.
    pub fn jacobian(&self, s: &[f32]) -> Vec<f64> {
        let (n, e) = (self.dim(), self.eval(s));
        let mut jac = vec![0.0f64; n * n];
        let mut unit = vec![0.0f32; n];
        for i in 0..n {
            unit[i] = 1.0;
            let row = self.vjp_at(s, &e, &unit);
            unit[i] = 0.0;
            for (k, v) in row.iter().enumerate() {
                jac[i * n + k] = *v as f64;
            }
        }
        jac
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The spectral radius `max |λ|` of the `n×n` row-major matrix `a`, as `‖A^(2^k)‖^(1/2^k)`
/// by repeated squaring with rescaling (Gelfand's formula).
///
/// Written here rather than with an eigensolver: the finder needs only this number, and
/// nalgebra's Schur decomposition would grow the page's wasm. The test checks it against
/// nalgebra's eigenvalues. After 12 squarings (A^4096) the factor a Frobenius norm or a Jordan
/// block adds is at most `(n·4096)^(1/4096)`, under 0.5% for n ≤ 8192.
pub fn spectral_radius(a: &[f64], n: usize) -> f64 {
    let mut m = a.to_vec();
    let mut log_scale = 0.0f64; // ln of the factor divided out so far, per power
    let mut power = 1.0f64;
    let mut next = vec![0.0; n * n];
    for _ in 0..12 {
        let norm = frobenius(&m);
        if norm == 0.0 || !norm.is_finite() {
            return if norm == 0.0 { 0.0 } else { f64::INFINITY };
        }
        m.iter_mut().for_each(|v| *v /= norm);
        log_scale += norm.ln() / power;
        square(&m, n, &mut next);
        std::mem::swap(&mut m, &mut next);
        power *= 2.0;
    }
    (log_scale + frobenius(&m).ln() / power).exp()
}

fn frobenius(m: &[f64]) -> f64 {
    m.iter().map(|v| v * v).sum::<f64>().sqrt()
}

fn square(m: &[f64], n: usize, out: &mut [f64]) {
    out.fill(0.0);
    for i in 0..n {
        for k in 0..n {
            let a = m[i * n + k];
            if a != 0.0 {
                for j in 0..n {
                    out[i * n + j] += a * m[k * n + j];
                }
            }
        }
    }
}

/// The top layer's states in a forward trace, one `[h; c]` per step and stream: where the
/// network goes, to start the finder from.
pub fn visited(tr: &super::model::Trace, hs: usize) -> Vec<Vec<f32>> {
    let Some(top) = tr.layers.last() else {
        return Vec::new();
    };
    let (h, c) = (top.outputs(), top.cell_outputs());
    (0..h.len() / hs)
        .map(|r| {
            let mut s = h[r * hs..(r + 1) * hs].to_vec();
            s.extend_from_slice(c.get(r * hs..(r + 1) * hs).unwrap_or(&[]));
            s
        })
        .collect()
}

#[cfg(test)]
mod tests;
