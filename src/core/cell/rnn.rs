//! Elman RNN, as `torch.nn.RNN`:
//!
//! `h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)` with `act` = tanh, ReLU or the logistic
//! sigmoid. PyTorch's `nn.RNN` has no sigmoid; it is the activation of the course's worked
//! examples, and its derivative (at most 1/4) makes gradients vanish fastest.
//!
//! With a residual path through time (`residual=time`):
//! `h_t = h_{t-1} + act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`, so `∂L/∂h_{t-1}` also gets
//! `∂L/∂h_t` directly.

use super::{sigmoid_saturated, tanh_saturated, Cell, StepCache, StepGrad, StepOut};
use crate::core::mathf::{sigmoid, tanh};

crate::core::settings::choice! {
    /// The RNN's nonlinearity, named as in PyTorch's `nonlinearity=` and the model file metadata.
    pub enum Activation {
        Tanh = "tanh",
        Relu = "relu",
        Sigmoid = "sigmoid",
    }
}

/// Vanilla RNN cell (one gate block); the flag adds the residual path through time.
#[derive(Clone, Copy, Debug)]
pub struct Rnn(pub Activation, pub bool);

impl Cell for Rnn {
    fn gates(&self) -> usize {
        1
    }

    fn dgh_is_dgi(&self) -> bool {
        true
    }

    fn gate_names(&self) -> &'static [&'static str] {
        &["h"]
    }

    fn forward(
        &self,
        _hs: usize,
        gi: &[f32],
        gh: &[f32],
        h_prev: &[f32],
        _c: &[f32],
        out: StepOut,
    ) {
        let StepOut { act, h, .. } = out;
        for ((a, x), r) in act.iter_mut().zip(gi).zip(gh) {
            let pre = x + r; // W_ih x + b_ih + W_hh h + b_hh
            *a = match self.0 {
                Activation::Tanh => tanh(pre),
                Activation::Relu => pre.max(0.0),
                Activation::Sigmoid => sigmoid(pre),
            };
        }
        h.copy_from_slice(act);
        if self.1 {
            h.iter_mut().zip(h_prev).for_each(|(h, p)| *h += p);
        }
    }

    fn backward(
        &self,
        _hs: usize,
        _h_prev: &[f32],
        _c_prev: &[f32],
        cache: StepCache,
        dh: &[f32],
        _dc: &[f32],
        grad: StepGrad,
    ) {
        // `act` is act(·) (the same as h_t without the residual path).
        for ((d, &h), &g) in grad.dgi.iter_mut().zip(cache.act).zip(dh) {
            // tanh' = 1 - h²; relu' = 1 where the unit is active; σ' = h(1 - h).
            *d = match self.0 {
                Activation::Tanh => g * (1.0 - h * h),
                Activation::Relu => {
                    if h > 0.0 {
                        g
                    } else {
                        0.0
                    }
                }
                Activation::Sigmoid => g * (h * (1.0 - h)),
            };
        }
        if self.1 {
            grad.dh_prev_direct.copy_from_slice(dh);
        } else {
            grad.dh_prev_direct.fill(0.0);
        }
    }

    /// Over `act`, the nonlinearity's output (`h_t` itself without the residual path).
    fn saturation(&self, _hs: usize, act: &[f32], _h: &[f32]) -> (usize, usize) {
        let sat = match self.0 {
            Activation::Tanh => act.iter().filter(|v| tanh_saturated(**v)).count(),
            // A ReLU unit "saturates" when it is dead (zero output, zero gradient).
            Activation::Relu => act.iter().filter(|v| **v <= 0.0).count(),
            Activation::Sigmoid => act.iter().filter(|v| sigmoid_saturated(**v)).count(),
        };
        (sat, act.len())
    }
}
