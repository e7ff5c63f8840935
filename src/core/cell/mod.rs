//! Recurrent cells: one file per cell behind the [`Cell`] trait.
//!
//! Every cell follows PyTorch's equations and parameter layout. A layer owns
//! `w_ih [G·H, in]`, `w_hh [G·H, H]`, `b_ih [G·H]`, `b_hh [G·H]` with the G gate blocks stacked in
//! PyTorch's order. The layer code (`model.rs`) does the two matrix products
//! `gi = x·w_ihᵀ + b_ih` and `gh = h_{t-1}·w_hhᵀ + b_hh`; a cell does only the element-wise part
//! that differs between RNN, LSTM and GRU, forwards and backwards.

mod gru;
mod lstm;
mod rnn;

pub use gru::Gru;
pub use lstm::Lstm;
pub use rnn::{Activation, Rnn};

/// What a cell keeps from its forward step for the backward step and the teaching views.
/// All buffers are batch-major: `[B, G·H]` for gates, `[B, H]` for states.
#[derive(Clone, Debug, Default)]
pub struct StepCache {
    /// `x·w_ihᵀ + b_ih`.
    pub gi: Vec<f32>,
    /// `h_{t-1}·w_hhᵀ + b_hh`.
    pub gh: Vec<f32>,
    /// Activated gate values in PyTorch order (RNN: h_t itself; LSTM: i,f,g,o; GRU: r,z,n).
    pub act: Vec<f32>,
    /// Hidden state h_t.
    pub h: Vec<f32>,
    /// Cell state c_t (LSTM only; empty otherwise).
    pub c: Vec<f32>,
}

/// Gradients a cell produces from `∂L/∂h_t` and `∂L/∂c_t`.
#[derive(Clone, Debug, Default)]
pub struct StepGrad {
    /// `∂L/∂gi` `[B, G·H]`.
    pub dgi: Vec<f32>,
    /// `∂L/∂gh` `[B, G·H]` (differs from `dgi` only for the GRU's candidate block).
    pub dgh: Vec<f32>,
    /// The part of `∂L/∂h_{t-1}` that does not go through `w_hh` (GRU's `z ⊙ dh`), else zeros.
    pub dh_prev_direct: Vec<f32>,
    /// `∂L/∂c_{t-1}` (LSTM only).
    pub dc_prev: Vec<f32>,
}

/// The element-wise part of a recurrent cell.
pub trait Cell {
    /// Number of gate blocks G (RNN 1, LSTM 4, GRU 3).
    fn gates(&self) -> usize;
    /// Whether the cell carries a cell state `c` besides `h` (LSTM).
    fn has_cell_state(&self) -> bool {
        false
    }
    /// Names of the gate blocks in PyTorch order, for the teaching views.
    fn gate_names(&self) -> &'static [&'static str];
    /// From `cache.gi`, `cache.gh` and the previous state, fill `cache.act`, `cache.h` (and `cache.c`).
    fn forward(&self, hs: usize, h_prev: &[f32], c_prev: &[f32], cache: &mut StepCache);
    /// From `dh = ∂L/∂h_t` and `dc = ∂L/∂c_t` (LSTM), fill every field of `grad`.
    // The arguments are the quantities of the backward equations; bundling them would hide that.
    #[allow(clippy::too_many_arguments)]
    fn backward(
        &self,
        hs: usize,
        h_prev: &[f32],
        c_prev: &[f32],
        cache: &StepCache,
        dh: &[f32],
        dc: &[f32],
        grad: &mut StepGrad,
    );
    /// Fraction-of-saturation count over the nonlinearity outputs of one step: (saturated, total).
    fn saturation(&self, hs: usize, cache: &StepCache) -> (usize, usize);
}

/// Counts values of a sigmoid output in its flat tails (< 0.02 or > 0.98).
pub(crate) fn sigmoid_saturated(v: f32) -> bool {
    !(0.02..=0.98).contains(&v)
}

/// Counts values of a tanh output in its flat tails (|v| > 0.96).
pub(crate) fn tanh_saturated(v: f32) -> bool {
    v.abs() > 0.96
}
