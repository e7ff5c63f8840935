//! The plain-array encoding both pages' worker updates share ([`super::playground::sync`],
//! [`super::lab::sync`]): numbers in a flat `f32` or `f64` array, each variable-length part
//! preceded by its length. Lengths stay below 2²⁴, so they are exact in `f32`.
//!
//! Plain arrays cross to JavaScript as typed arrays whose buffers the worker transfers (no
//! copy); a serialisation crate would add to the wasm for a handful of messages.

use crate::core::error::{Error, Result};
use crate::core::model::Model;

/// The error for an update that cannot be read, saying which part.
pub fn bad(why: &str) -> Error {
    Error::Data(format!(
        "a training update from the worker could not be read: {why}"
    ))
}

/// Appends `layers` as `[count, (len, values…) per layer]`.
#[inline(never)]
pub fn put_layers(v: &mut Vec<f32>, layers: &[Vec<f32>]) {
    v.push(layers.len() as f32);
    for l in layers {
        v.push(l.len() as f32);
        v.extend_from_slice(l);
    }
}

/// The next `n` numbers of `rest` (None when it is shorter).
#[inline(never)]
pub fn take<'a, T>(rest: &mut &'a [T], n: usize) -> Option<&'a [T]> {
    let head = rest.get(..n)?;
    *rest = &rest[n..];
    Some(head)
}

/// What [`put_layers`] wrote.
#[inline(never)]
pub fn read_layers(rest: &mut &[f32]) -> Option<Vec<Vec<f32>>> {
    let n = take(rest, 1)?[0] as usize;
    let mut layers = Vec::new();
    for _ in 0..n {
        let len = take(rest, 1)?[0] as usize;
        layers.push(take(rest, len)?.to_vec());
    }
    Some(layers)
}

/// Every weight of `model`, in `Params::slices` order.
pub fn weights(model: &Model) -> Vec<f32> {
    model.params.slices().concat()
}

/// Whether `weights` (unless empty: none sent) fit `model`.
pub fn check_weights(model: &Model, weights: &[f32]) -> Result<()> {
    if weights.is_empty() || weights.len() == model.spec.param_count() {
        return Ok(());
    }
    Err(Error::Data(
        "a training update from the worker does not fit this model's weights".into(),
    ))
}

/// Sets every weight of `model` from what [`weights`] gave for a model of the same shape
/// (none when `weights` is empty); nothing changes when the count differs.
pub fn set_weights(model: &mut Model, weights: &[f32]) -> Result<()> {
    check_weights(model, weights)?;
    if weights.is_empty() {
        return Ok(());
    }
    let mut rest = weights;
    for s in model.params.slices_mut() {
        let (w, tail) = rest.split_at(s.len());
        s.copy_from_slice(w);
        rest = tail;
    }
    Ok(())
}
