//! Saliency: how much a prediction depends on each character read before it,
//! `s_t = ‖∂ log p(y | x_1..x_m) / ∂x_t‖₂`, where `x_t` is the input vector at step t (the one-hot
//! row, or the embedding row when the model has one). One forward and one backward pass through
//! the whole text (batch 1, zero state), with the loss on the last step alone.

use super::error::{Error, Result};
use super::loss::{loss_and_grad, Target, IGNORE};
use super::model::{Input, LossKind, Model, State};

/// Most characters one saliency reads: the backward pass keeps the whole text's trace (about
/// 7 KB per character for the default 128-unit LSTM), and the gradient is long gone by then.
pub const MAX_SALIENCY_CHARS: usize = 10_000;

/// `s_t = ‖∂ log p(target | ids) / ∂x_t‖₂` for every input `ids[t]` (batch 1, zero state): the
/// norm of the gradient of the log-probability of `target`, predicted after the last input, with
/// respect to each step's input vector, by backpropagation through time.
pub fn saliency(model: &Model, ids: &[u32], target: u32) -> Result<Vec<f32>> {
    saliency_from(model, &State::zeros(&model.spec, 1), ids, target)
}

/// [`saliency`] of inputs read from `state` (batch 1) instead of a zero state: the exact
/// gradients with respect to these inputs when `state` is what the model held before them (a
/// page looks at the last stretch of a long text this way).
pub fn saliency_from(model: &Model, state: &State, ids: &[u32], target: u32) -> Result<Vec<f32>> {
    check(model, ids, target)?;
    let spec = &model.spec;
    let tr = model.forward(Input::Tokens(ids), 1, state)?;
    // The loss −log p(y) on the last step only: its gradient is minus that of log p(y), which
    // has the same norm.
    let mut targets = vec![IGNORE; ids.len()];
    targets[ids.len() - 1] = target;
    let o = spec.output_size;
    let (_, dlogits) = loss_and_grad(spec.loss, &tr.logits, o, Target::Tokens(&targets));
    Ok(model.backward_with(&tr, &dlogits, None, true).dx0_norms)
}

/// The saliency the page shows for position `pos`: of the prefix `ids[..=pos]` with the target
/// `ids[pos + 1]`, the character that actually came next.
pub fn saliency_at(model: &Model, ids: &[u32], pos: usize) -> Result<Vec<f32>> {
    match ids.get(pos + 1) {
        Some(&next) => saliency(model, &ids[..=pos], next),
        None => Err(Error::config(
            "position",
            pos,
            format!(
                "must be below {}: the character after it is the target",
                ids.len().saturating_sub(1)
            ),
        )),
    }
}

/// Refuses a real-valued model, an empty or too long text and a target outside the vocabulary.
fn check(model: &Model, ids: &[u32], target: u32) -> Result<()> {
    let v = model.spec.output_size;
    if model.spec.loss != LossKind::CrossEntropy {
        return Err(Error::Data(
            "saliency needs a character model (this one predicts real values)".into(),
        ));
    }
    if ids.is_empty() {
        return Err(Error::Data(
            "saliency needs at least one character before the target".into(),
        ));
    }
    if ids.len() > MAX_SALIENCY_CHARS {
        return Err(Error::Data(format!(
            "saliency reads at most {MAX_SALIENCY_CHARS} characters before the target, got {}",
            ids.len()
        )));
    }
    if target as usize >= v {
        return Err(Error::config(
            "target",
            target,
            format!("must be a character id below {v}"),
        ));
    }
    Ok(())
}
