//! Losses on the decoder output, with their gradients.

use super::mathf;
use super::model::LossKind;

/// Target id meaning "no loss at this position" (like PyTorch's `ignore_index`).
pub const IGNORE: u32 = u32::MAX;

/// Targets of a window, time-major like the inputs.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Class ids `[T·B]`; [`IGNORE`] skips a position.
    Tokens(&'a [u32]),
    /// Real targets `[T·B·O]` with a per-step mask `[T]` (false = no loss at that step).
    Real { y: &'a [f32], mask: &'a [bool] },
}

/// Mean loss over the predicted positions and `∂loss/∂logits`.
///
/// Cross-entropy: mean over positions of `−log softmax(logits)[target]` (nats).
/// MSE: mean over positions *and* output dimensions of `(ŷ − y)²` (PyTorch's `mse_loss`).
pub fn loss_and_grad(kind: LossKind, logits: &[f32], o: usize, target: Target) -> (f32, Vec<f32>) {
    let mut d = Vec::new();
    let loss = loss_and_grad_into(kind, logits, o, target, &mut d);
    (loss, d)
}

/// [`loss_and_grad`] writing the gradient into `d`, reusing its allocation.
pub fn loss_and_grad_into(
    kind: LossKind,
    logits: &[f32],
    o: usize,
    target: Target,
    d: &mut Vec<f32>,
) -> f32 {
    let n = denominator(target, logits.len() / o, o);
    let total = loss_sum_and_grad_into(kind, logits, o, target, n, d);
    if n == 0 {
        return if total.is_nan() { f32::NAN } else { 0.0 };
    }
    (total / n as f64) as f32
}

/// What the mean loss divides by: the predicted positions for cross-entropy, those times the
/// output width for MSE (`rows` is T·B).
pub fn denominator(target: Target, rows: usize, o: usize) -> usize {
    match target {
        Target::Tokens(ids) => ids.iter().filter(|&&i| i != IGNORE).count(),
        Target::Real { mask, .. } => {
            let b = rows / mask.len().max(1);
            mask.iter().filter(|m| **m).count() * b * o
        }
    }
}

/// The summed loss of some rows and `∂mean/∂logits` for a mean over `n` terms in all
/// ([`denominator`] of the whole batch): a shard of a batch's streams gets its share of the
/// whole batch's gradient, and the shards' sums add up to the batch's.
pub fn loss_sum_and_grad_into(
    kind: LossKind,
    logits: &[f32],
    o: usize,
    target: Target,
    n: usize,
    d: &mut Vec<f32>,
) -> f64 {
    d.clear();
    d.resize(logits.len(), 0.0);
    // With n = 0 no row has a loss, so nothing below divides by it.
    let rows = logits.len() / o;
    match (kind, target) {
        (LossKind::CrossEntropy, Target::Tokens(ids)) => {
            let mut total = 0.0f64;
            for ((z, dr), &id) in logits.chunks_exact(o).zip(d.chunks_exact_mut(o)).zip(ids) {
                if id == IGNORE {
                    continue;
                }
                // The exponentials once, for both the softmax and log Σ exp (same bits as
                // `softmax` and `log_sum_exp`).
                let m = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                for (e, v) in dr.iter_mut().zip(z) {
                    *e = mathf::exp(v - m);
                }
                let sum: f32 = dr.iter().sum();
                let lse = if m.is_finite() {
                    m + libm::logf(sum)
                } else {
                    m
                };
                total += (lse - z[id as usize]) as f64;
                for (k, dv) in dr.iter_mut().enumerate() {
                    let y = if k == id as usize { 1.0 } else { 0.0 };
                    *dv = (*dv / sum - y) / n as f32;
                }
            }
            total
        }
        (LossKind::Mse, Target::Real { y, mask }) => {
            let b = rows / mask.len().max(1);
            let n = n as f64;
            let mut total = 0.0f64;
            for (r, dr) in d.chunks_exact_mut(o).enumerate() {
                if !mask[r / b] {
                    continue;
                }
                for k in 0..o {
                    let e = logits[r * o + k] - y[r * o + k];
                    total += (e as f64) * (e as f64);
                    dr[k] = (2.0 * e as f64 / n) as f32;
                }
            }
            total
        }
        _ => f64::NAN,
    }
}

/// `log Σ exp(z)`, stabilised by the maximum.
pub fn log_sum_exp(z: &[f32]) -> f32 {
    let m = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    if !m.is_finite() {
        return m;
    }
    let s: f32 = z.iter().map(|v| mathf::exp(v - m)).sum();
    m + libm::logf(s)
}

/// Softmax of `z / temperature`.
pub fn softmax(z: &[f32], temperature: f32) -> Vec<f32> {
    let m = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut p: Vec<f32> = z
        .iter()
        .map(|v| mathf::exp((v - m) / temperature))
        .collect();
    let s: f32 = p.iter().sum();
    for v in &mut p {
        *v /= s;
    }
    p
}

/// Tolerance under which a real-valued prediction counts as a success (H&S 1997's adding problem).
pub const SUCCESS_TOL: f32 = 0.04;

/// Fraction of predicted positions that are right: argmax = target for classes, every output
/// within [`SUCCESS_TOL`] for real values. `None` when nothing is predicted.
pub fn accuracy(logits: &[f32], o: usize, target: Target) -> Option<f32> {
    let (ok, n) = accuracy_counts(logits, o, target);
    (n > 0).then(|| ok as f32 / n as f32)
}

/// `(right, predicted)` positions of [`accuracy`], which shards of a batch add up.
pub fn accuracy_counts(logits: &[f32], o: usize, target: Target) -> (usize, usize) {
    let (mut ok, mut n) = (0usize, 0usize);
    match target {
        Target::Tokens(ids) => {
            for (r, &id) in ids.iter().enumerate().filter(|(_, &i)| i != IGNORE) {
                n += 1;
                ok +=
                    usize::from(super::sample::argmax(&logits[r * o..(r + 1) * o]) == id as usize);
            }
        }
        Target::Real { y, mask } => {
            let b = logits.len() / o / mask.len().max(1);
            for (r, row) in logits
                .chunks_exact(o)
                .enumerate()
                .filter(|(r, _)| mask[r / b.max(1)])
            {
                n += 1;
                ok += usize::from(
                    row.iter()
                        .zip(&y[r * o..(r + 1) * o])
                        .all(|(p, t)| (p - t).abs() < SUCCESS_TOL),
                );
            }
        }
    }
    (ok, n)
}
