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

/// One step of a layer's forward trace, as the backward pass reads it. Buffers are
/// batch-major: `[B, G·H]` for gates, `[B, H]` for states.
#[derive(Clone, Copy, Debug)]
pub struct StepCache<'a> {
    /// `x·w_ihᵀ + b_ih`.
    pub gi: &'a [f32],
    /// `h_{t-1}·w_hhᵀ + b_hh`.
    pub gh: &'a [f32],
    /// Activated gate values in PyTorch order (RNN: h_t itself; LSTM: i,f,g,o; GRU: r,z,n).
    pub act: &'a [f32],
    /// Hidden state h_t.
    pub h: &'a [f32],
    /// Cell state c_t (LSTM only; empty otherwise).
    pub c: &'a [f32],
}

/// What a cell's forward step writes (same layouts as [`StepCache`]).
#[derive(Debug)]
pub struct StepOut<'a> {
    pub act: &'a mut [f32],
    pub h: &'a mut [f32],
    /// Empty unless the cell has a cell state.
    pub c: &'a mut [f32],
}

/// Gradients a cell produces from `∂L/∂h_t` and `∂L/∂c_t`.
#[derive(Debug)]
pub struct StepGrad<'a> {
    /// `∂L/∂gi` `[B, G·H]`.
    pub dgi: &'a mut [f32],
    /// `∂L/∂gh` `[B, G·H]` (differs from `dgi` only for the GRU's candidate block; left
    /// untouched by the cells whose [`Cell::dgh_is_dgi`] says so).
    pub dgh: &'a mut [f32],
    /// The part of `∂L/∂h_{t-1}` that does not go through `w_hh` (GRU's `z ⊙ dh`), else zeros.
    pub dh_prev_direct: &'a mut [f32],
    /// `∂L/∂c_{t-1}` (LSTM only; empty otherwise).
    pub dc_prev: &'a mut [f32],
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
    /// From the two gate pre-activation parts `gi`, `gh` and the previous state, fill `out`.
    fn forward(
        &self,
        hs: usize,
        gi: &[f32],
        gh: &[f32],
        h_prev: &[f32],
        c_prev: &[f32],
        out: StepOut,
    );
    /// Whether `∂L/∂gh` always equals `∂L/∂gi` (RNN, LSTM, where `gi` and `gh` are only added):
    /// such a cell's [`Cell::backward`] leaves `dgh` untouched and callers read `dgi` for both,
    /// saving a copy of the window's gate gradients.
    fn dgh_is_dgi(&self) -> bool {
        false
    }
    /// From `dh = ∂L/∂h_t` and `dc = ∂L/∂c_t` (LSTM), fill every field of `grad` (but `dgh`
    /// when [`Cell::dgh_is_dgi`]).
    // The arguments are the quantities of the backward equations; bundling them would hide that.
    #[allow(clippy::too_many_arguments)]
    fn backward(
        &self,
        hs: usize,
        h_prev: &[f32],
        c_prev: &[f32],
        cache: StepCache,
        dh: &[f32],
        dc: &[f32],
        grad: StepGrad,
    );
    /// Saturation count over the nonlinearity outputs of any number of whole steps (`act` and
    /// `h` hold the same steps): (saturated, total).
    fn saturation(&self, hs: usize, act: &[f32], h: &[f32]) -> (usize, usize);
}

/// Counts values of a sigmoid output in its flat tails (< 0.02 or > 0.98).
pub(crate) fn sigmoid_saturated(v: f32) -> bool {
    !(0.02..=0.98).contains(&v)
}

/// Counts values of a tanh output in its flat tails (|v| > 0.96).
pub(crate) fn tanh_saturated(v: f32) -> bool {
    v.abs() > 0.96
}

/// Saturation count over the gate activations `act` of whole rows (`gates` blocks of `hs` each,
/// in PyTorch order) where block `tanh_block` is a tanh and the others are sigmoids:
/// (saturated, total).
#[inline]
pub(crate) fn gate_saturation(
    hs: usize,
    gates: usize,
    tanh_block: usize,
    act: &[f32],
) -> (usize, usize) {
    let sat = act
        .iter()
        .enumerate()
        .filter(|(n, v)| {
            if (n / hs) % gates == tanh_block {
                tanh_saturated(**v)
            } else {
                sigmoid_saturated(**v)
            }
        })
        .count();
    (sat, act.len())
}
