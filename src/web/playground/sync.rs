//! Mirroring a playground that trains elsewhere (the page's worker). After training, the trained
//! playground gives what the page shows in three plain arrays, and the page's copy takes them:
//!
//! - the *head* (`f64`): the counters and the part of the loss history the copy lacks;
//! - the *states* (`f32`): the latest window's tokens, hidden and cell states and gates (the
//!   heatmap), when they changed;
//! - the *weights* (`f32`, in `Params::slices` order), when asked for.
//!
//! Plain arrays cross to JavaScript as typed arrays whose buffers the worker transfers (no
//! copy); a serialisation crate would add to the wasm for one message.

use super::History;
use crate::core::diag::Diagnostics;
use crate::core::error::{Error, Result};

/// What a trained playground has sent of its history: its generation, its length and the step
/// of the states sent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sent {
    pub generation: u32,
    pub len: usize,
    pub steps: Option<u64>,
}

/// The counters a head carries besides the history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Counters {
    pub steps: u64,
    pub chars: u64,
    pub diverged: bool,
}

fn bad(why: &str) -> Error {
    Error::Data(format!(
        "a training update from the worker could not be read: {why}"
    ))
}

/// `[steps, chars, diverged, generation, from, smoothed, n, n (step, loss) pairs, n (step,
/// smoothed) pairs, m, m validation pairs]`: the history past what `sent` says the copy has
/// (all of it after a rewrite).
pub fn head(c: Counters, h: &History, sent: Sent) -> Vec<f64> {
    let from = if sent.generation == h.generation && sent.len <= h.train.len() {
        sent.len
    } else {
        0
    };
    let mut v = vec![
        c.steps as f64,
        c.chars as f64,
        f64::from(u8::from(c.diverged)),
        f64::from(h.generation),
        from as f64,
        h.smoothed(),
        (h.train.len() - from) as f64,
    ];
    put_pairs(&mut v, &h.train[from..]);
    put_pairs(&mut v, &h.smooth[from..]);
    v.push(h.val.len() as f64);
    put_pairs(&mut v, &h.val);
    v
}

#[inline(never)]
fn put_pairs(v: &mut Vec<f64>, p: &[(f64, f64)]) {
    for &(a, b) in p {
        v.extend_from_slice(&[a, b]);
    }
}

/// Pairs from a flat `[a, b, a, b, …]`.
fn pairs(v: &[f64]) -> Vec<(f64, f64)> {
    v.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

/// Brings `h` up to the sender's history (unchanged when the head is malformed).
pub fn apply_head(h: &mut History, v: &[f64]) -> Result<Counters> {
    let count = |x: f64| (x >= 0.0 && x.fract() == 0.0).then_some(x as usize);
    let n = v.get(6).copied().and_then(count).unwrap_or(usize::MAX);
    let (from, m_at) = (
        v.get(4).copied().and_then(count),
        7usize.saturating_add(n.saturating_mul(4)),
    );
    let m = v.get(m_at).copied().and_then(count);
    let (Some(from), Some(m)) = (from, m) else {
        return Err(bad("it is cut short"));
    };
    if from > h.train.len() || v.len() != m_at + 1 + 2 * m {
        return Err(bad("its loss history does not follow the page's"));
    }
    h.train.truncate(from);
    h.smooth.truncate(from);
    h.train.extend(pairs(&v[7..7 + 2 * n]));
    h.smooth.extend(pairs(&v[7 + 2 * n..m_at]));
    h.val = pairs(&v[m_at + 1..]);
    h.generation = v[3] as u32;
    h.mirrored = Some(v[5]);
    Ok(Counters {
        steps: v[0] as u64,
        chars: v[1] as u64,
        diverged: v[2] != 0.0,
    })
}

/// `[T, H, tokens…, h of each layer…, c of each layer…, gates of each layer…]`, each array
/// preceded by its length (lengths are below 2²⁴, exact in `f32`; token ids travel as bits).
pub fn states(d: &Diagnostics) -> Vec<f32> {
    let mut v = vec![d.steps_t as f32, d.hidden as f32, d.tokens.len() as f32];
    v.extend(d.tokens.iter().map(|&t| f32::from_bits(t)));
    put_layers(&mut v, &d.hidden_states);
    put_layers(&mut v, &d.cell_states);
    put_layers(&mut v, &d.gates);
    v
}

#[inline(never)]
fn put_layers(v: &mut Vec<f32>, layers: &[Vec<f32>]) {
    v.push(layers.len() as f32);
    for l in layers {
        v.push(l.len() as f32);
        v.extend_from_slice(l);
    }
}

/// The diagnostics `states` wrote (the rest empty), with the cell's gate names.
pub fn read_states(v: &[f32], gate_names: &[&'static str]) -> Result<Diagnostics> {
    let mut d = Diagnostics {
        gate_names: gate_names.to_vec(),
        ..Diagnostics::default()
    };
    let mut rest = v;
    match fill(&mut d, &mut rest) {
        Some(()) if rest.is_empty() => Ok(d),
        _ => Err(bad("its states are cut short or malformed")),
    }
}

/// The next `n` numbers of `rest`.
#[inline(never)]
fn take<'a>(rest: &mut &'a [f32], n: usize) -> Option<&'a [f32]> {
    let head = rest.get(..n)?;
    *rest = &rest[n..];
    Some(head)
}

fn fill(d: &mut Diagnostics, rest: &mut &[f32]) -> Option<()> {
    let top = take(rest, 3)?;
    (d.steps_t, d.hidden) = (top[0] as usize, top[1] as usize);
    d.tokens = take(rest, top[2] as usize)?
        .iter()
        .map(|t| t.to_bits())
        .collect();
    d.hidden_states = read_layers(rest)?;
    d.cell_states = read_layers(rest)?;
    d.gates = read_layers(rest)?;
    Some(())
}

#[inline(never)]
fn read_layers(rest: &mut &[f32]) -> Option<Vec<Vec<f32>>> {
    let n = take(rest, 1)?[0] as usize;
    let mut layers = Vec::new();
    for _ in 0..n {
        let len = take(rest, 1)?[0] as usize;
        layers.push(take(rest, len)?.to_vec());
    }
    Some(layers)
}
