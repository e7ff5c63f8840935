//! Optimizers and gradient clipping, following `torch.optim` update rules exactly.

use super::kernels::sum_sq;
use super::model::Params;

super::settings::choice! {
    /// The setting `optimizer`: which update rule.
    pub enum OptimizerType { Adam = "adam", Sgd = "sgd", RmsProp = "rmsprop", Adagrad = "adagrad" }
}

impl OptimizerType {
    /// The rule with PyTorch's default hyperparameters (and SGD's `momentum`).
    pub fn kind(self, momentum: f32) -> OptKind {
        match self {
            OptimizerType::Sgd => OptKind::Sgd { momentum },
            OptimizerType::Adam => OptKind::Adam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
            },
            OptimizerType::RmsProp => OptKind::RmsProp {
                alpha: 0.99,
                eps: 1e-8,
            },
            OptimizerType::Adagrad => OptKind::Adagrad { eps: 1e-10 },
        }
    }
}

super::settings::choice! {
    /// The setting `clip-mode`: what the clipping threshold bounds.
    pub enum ClipMode {
        /// The global L2 norm of all gradients.
        Norm = "norm",
        /// Every gradient entry.
        Value = "value",
    }
}

/// Which update rule, with its own hyperparameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptKind {
    /// `buf = μ·buf + g; p −= lr·buf` (PyTorch's form; μ = 0 is plain SGD).
    Sgd { momentum: f32 },
    /// Adam with bias correction (PyTorch defaults β1 0.9, β2 0.999, ε 1e-8).
    Adam { beta1: f32, beta2: f32, eps: f32 },
    /// `v = α·v + (1−α)·g²; p −= lr·g/(√v + ε)` (PyTorch defaults α 0.99, ε 1e-8).
    RmsProp { alpha: f32, eps: f32 },
    /// `s += g²; p −= lr·g/(√s + ε)` (PyTorch default ε 1e-10).
    Adagrad { eps: f32 },
}

impl OptKind {
    /// The name used in configs and checkpoints.
    pub fn name(&self) -> &'static str {
        match self {
            OptKind::Sgd { .. } => "sgd",
            OptKind::Adam { .. } => "adam",
            OptKind::RmsProp { .. } => "rmsprop",
            OptKind::Adagrad { .. } => "adagrad",
        }
    }
}

/// How gradients are clipped before the update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clip {
    None,
    /// Rescale all gradients together when their global L2 norm exceeds the value
    /// (`torch.nn.utils.clip_grad_norm_`).
    Norm(f32),
    /// Clamp every gradient entry to `[−v, v]` (`clip_grad_value_`).
    Value(f32),
}

impl Clip {
    /// The rule for a mode and threshold; a threshold of 0 (or less) turns clipping off.
    pub fn new(mode: ClipMode, threshold: f32) -> Self {
        match mode {
            _ if threshold <= 0.0 => Clip::None,
            ClipMode::Norm => Clip::Norm(threshold),
            ClipMode::Value => Clip::Value(threshold),
        }
    }
}

/// An optimizer with its per-parameter state.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer {
    pub kind: OptKind,
    pub lr: f32,
    /// L2 penalty added to the gradient (`g += wd·p`), as `weight_decay` in torch.optim.
    pub weight_decay: f32,
    /// Updates applied so far.
    pub t: u64,
    /// First state per tensor (momentum buffer, Adam m, RMSProp v, Adagrad sum).
    pub s1: Vec<Vec<f32>>,
    /// Second state per tensor (Adam v; empty otherwise).
    pub s2: Vec<Vec<f32>>,
}

impl Optimizer {
    /// A fresh optimizer for tensors of the given lengths.
    pub fn new(kind: OptKind, lr: f32, weight_decay: f32, sizes: &[usize]) -> Self {
        let s2 = if matches!(kind, OptKind::Adam { .. }) {
            sizes.iter().map(|&n| vec![0.0; n]).collect()
        } else {
            Vec::new()
        };
        Optimizer {
            kind,
            lr,
            weight_decay,
            t: 0,
            s1: sizes.iter().map(|&n| vec![0.0; n]).collect(),
            s2,
        }
    }

    /// Applies one update to `params` from `grads` (same order and lengths), and zeroes `grads`
    /// for the next step's accumulation in the same pass. Returns whether every updated
    /// weight is finite.
    ///
    /// Arithmetic follows torch.optim's float32 kernels: scalars such as Adam's bias corrections
    /// are computed in f64 (Python floats there) and applied as f32.
    pub fn step(&mut self, params: &mut Params, grads: &mut Params) -> bool {
        self.t += 1;
        let (lr, wd) = (self.lr, self.weight_decay);
        let mut finite = true;
        for (i, (p, g)) in params.iter_mut().zip(grads.iter_mut()).enumerate() {
            let s1 = &mut self.s1[i][..];
            match self.kind {
                OptKind::Sgd { momentum } if momentum != 0.0 => {
                    for ((p, g), b) in p.iter_mut().zip(g.iter_mut()).zip(s1.iter_mut()) {
                        let grad = *g + wd * *p;
                        *b = momentum * *b + grad;
                        *p -= lr * *b;
                        *g = 0.0;
                        finite &= finite_bits(*p);
                    }
                }
                OptKind::Sgd { .. } => {
                    for (p, g) in p.iter_mut().zip(g.iter_mut()) {
                        *p -= lr * (*g + wd * *p);
                        *g = 0.0;
                        finite &= finite_bits(*p);
                    }
                }
                OptKind::Adam { beta1, beta2, eps } => {
                    // β^t is 0 in f64 long before 2³¹ steps; capping keeps a huge loaded `t`
                    // from wrapping negative.
                    let t = self.t.min(i32::MAX as u64) as i32;
                    let bc1 = 1.0 - (beta1 as f64).powi(t);
                    let bc2_sqrt = (1.0 - (beta2 as f64).powi(t)).sqrt() as f32;
                    let step_size = (lr as f64 / bc1) as f32;
                    let s2 = &mut self.s2[i][..];
                    for (((p, g), m), v) in p
                        .iter_mut()
                        .zip(g.iter_mut())
                        .zip(s1.iter_mut())
                        .zip(s2.iter_mut())
                    {
                        let grad = *g + wd * *p;
                        *m = beta1 * *m + (1.0 - beta1) * grad;
                        *v = beta2 * *v + (1.0 - beta2) * grad * grad;
                        let denom = v.sqrt() / bc2_sqrt + eps;
                        *p -= step_size * (*m / denom);
                        *g = 0.0;
                        finite &= finite_bits(*p);
                    }
                }
                OptKind::RmsProp { alpha, eps } => {
                    for ((p, g), v) in p.iter_mut().zip(g.iter_mut()).zip(s1.iter_mut()) {
                        let grad = *g + wd * *p;
                        *v = alpha * *v + (1.0 - alpha) * grad * grad;
                        *p -= lr * grad / (v.sqrt() + eps);
                        *g = 0.0;
                        finite &= finite_bits(*p);
                    }
                }
                OptKind::Adagrad { eps } => {
                    for ((p, g), s) in p.iter_mut().zip(g.iter_mut()).zip(s1.iter_mut()) {
                        let grad = *g + wd * *p;
                        *s += grad * grad;
                        *p -= lr * grad / (s.sqrt() + eps);
                        *g = 0.0;
                        finite &= finite_bits(*p);
                    }
                }
            }
        }
        finite
    }
}

/// Whether `v` is finite, by its exponent bits (integer ops, which vectorise with the update
/// loops they sit in).
#[inline(always)]
fn finite_bits(v: f32) -> bool {
    v.to_bits() & 0x7f80_0000 != 0x7f80_0000
}

/// Global L2 norm of all gradients (f64 accumulation, fixed order).
pub fn global_norm(grads: &Params) -> f64 {
    grads.iter().map(sum_sq).sum::<f64>().sqrt()
}

/// Clips in place; returns `(norm before clipping, whether anything changed)`.
pub fn clip(grads: &mut Params, clip: Clip) -> (f64, bool) {
    let norm = global_norm(grads);
    match clip {
        Clip::None => (norm, false),
        Clip::Norm(max) => {
            // Same coefficient as clip_grad_norm_: max / (norm + 1e-6), applied when below 1.
            let coef = max as f64 / (norm + 1e-6);
            if coef < 1.0 {
                for g in grads.iter_mut() {
                    for v in g.iter_mut() {
                        *v *= coef as f32;
                    }
                }
                (norm, true)
            } else {
                (norm, false)
            }
        }
        Clip::Value(c) => {
            let mut changed = false;
            for g in grads.iter_mut() {
                for v in g.iter_mut() {
                    if v.abs() > c {
                        *v = v.clamp(-c, c);
                        changed = true;
                    }
                }
            }
            (norm, changed)
        }
    }
}
