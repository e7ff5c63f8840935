//! Mirroring a playground that trains elsewhere (the page's worker). After training, the trained
//! playground gives what the page shows in three plain arrays, and the page's copy takes them:
//!
//! - the *head* (`f64`): the counters and the changes to the loss history since the last
//!   head, which the copy makes too (the same pushes give the same bits, smoothed loss and
//!   thinning included);
//! - the *states* (`f32`): the latest window's tokens, hidden and cell states and gates (the
//!   heatmap), when they changed;
//! - the *weights* (`f32`, in `Params::slices` order), when asked for.
//!
//! The arrays use the encoding of [`crate::web::wire`].

use super::History;
use crate::core::diag::Diagnostics;
use crate::core::error::Result;
use crate::web::wire::{bad, put_layers, read_layers, take};

/// The counters a head carries besides the history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Counters {
    pub steps: u64,
    pub chars: u64,
    pub diverged: bool,
}

/// `[steps, chars, diverged, then the history's changes since the last head, three numbers
/// each]` (see `History::log`; logging starts with the first head).
pub fn head(c: Counters, h: &mut History) -> Vec<f64> {
    let log = h.log.get_or_insert_with(Vec::new);
    let mut v = vec![
        c.steps as f64,
        c.chars as f64,
        f64::from(u8::from(c.diverged)),
    ];
    v.extend(log.drain(..).flatten());
    v
}

/// Makes the same changes to `h` (unchanged when the head is malformed).
pub fn apply_head(h: &mut History, v: &[f64]) -> Result<Counters> {
    let ops = v.get(3..).unwrap_or_default();
    if v.len() < 3 || ops.len() % 3 != 0 || ops.chunks(3).any(|o| !(0.0..=2.0).contains(&o[0])) {
        return Err(bad("it is cut short or malformed"));
    }
    for o in ops.chunks(3) {
        let step = o[1] as u64;
        match o[0] as u8 {
            0 => _ = h.push(step, o[2] as f32),
            1 => h.push_val(step, o[2]),
            _ => h.truncate(step),
        }
    }
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

/// The diagnostics `states` wrote (the rest empty: the heatmap takes the gate names from the
/// cell).
pub fn read_states(v: &[f32]) -> Result<Box<Diagnostics>> {
    let mut d = Box::<Diagnostics>::default();
    let mut rest = v;
    match fill(&mut d, &mut rest) {
        Some(()) if rest.is_empty() => Ok(d),
        _ => Err(bad("its states are cut short or malformed")),
    }
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
