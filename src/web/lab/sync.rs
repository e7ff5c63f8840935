//! Mirroring a lab that trains elsewhere (the page's worker). After training, the trained lab
//! gives what the lab's views read in plain arrays ([`crate::web::wire`]), and the page's copy
//! takes them:
//!
//! - the *head* (`f64`): the counters, a roll-back if there was one, and the steps and flow
//!   profiles added since the last head; the copy records them the same way, so its smoothed
//!   curves have the same bits;
//! - the *states* (`f32`): the latest step's diagnostics and the state carried into its window
//!   (the step-through, the flow and clipping readouts), when a step was taken since;
//! - the *weights*, when asked for ([`crate::web::wire::weights`]).

use super::run::{Mirrored, Raw, Run};
use crate::core::diag::Diagnostics;
use crate::core::error::Result;
use crate::web::wire::{bad, put_layers, read_layers, take};

/// What the copy already has: points, the newest flow profile, the step of the last states.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    points: usize,
    flow: Option<u64>,
    states: Option<u64>,
    rolled_back: Option<u64>,
}

impl Sent {
    /// The run went back to `step` and kept `points` points: the copy must forget the rest.
    pub fn rolled_back(&mut self, step: u64, points: usize) {
        self.points = self.points.min(points);
        self.flow = self.flow.map(|f| f.min(step));
        self.rolled_back = Some(self.rolled_back.map_or(step, |s| s.min(step)));
    }
}

/// Numbers per point in the head.
const POINT: usize = 6;

/// `[steps, cursor, diverged, roll-back step (−1: none), n, n points × (step, loss, acc,
/// grad norm, clipped grad norm, clipped), m, m flow profiles × (step, T, T values)]`.
pub fn head(run: &Run, sent: &mut Sent) -> Vec<f64> {
    let mut v = vec![
        run.steps() as f64,
        run.cursor() as f64,
        f64::from(u8::from(run.diverged)),
        sent.rolled_back.take().map_or(-1.0, |s| s as f64),
    ];
    let new = &run.points[sent.points.min(run.points.len())..];
    v.push(new.len() as f64);
    for p in new {
        let clipped = f64::from(u8::from(p.clipped));
        v.extend([
            p.step,
            p.loss,
            p.acc,
            p.grad_norm,
            p.grad_norm_clipped,
            clipped,
        ]);
    }
    sent.points = run.points.len();
    let flows: Vec<_> = run
        .flow
        .iter()
        .filter(|f| sent.flow.is_none_or(|s| f.0 > s))
        .collect();
    v.push(flows.len() as f64);
    for (step, profile) in flows {
        v.extend([*step as f64, profile.len() as f64]);
        v.extend(profile.iter().map(|&x| f64::from(x)));
    }
    sent.flow = run.flow.back().map(|f| f.0).or(sent.flow);
    v
}

/// A head read back, before anything is changed.
struct Head {
    steps: u64,
    cursor: usize,
    diverged: bool,
    rolled_back: Option<u64>,
    points: Vec<Raw>,
    flows: Vec<(u64, Vec<f32>)>,
}

fn read_head(v: &[f64]) -> Option<Head> {
    let mut rest = v;
    let top = take(&mut rest, 5)?;
    let points = take(&mut rest, top[4] as usize * POINT)?
        .chunks_exact(POINT)
        .map(|p| Raw {
            step: p[0],
            loss: p[1],
            acc: p[2],
            grad_norm: p[3],
            grad_norm_clipped: p[4],
            clipped: p[5] != 0.0,
        })
        .collect();
    let mut flows = Vec::new();
    for _ in 0..take(&mut rest, 1)?[0] as usize {
        let at = take(&mut rest, 2)?;
        let profile = take(&mut rest, at[1] as usize)?;
        flows.push((at[0] as u64, profile.iter().map(|&x| x as f32).collect()));
    }
    rest.is_empty().then_some(Head {
        steps: top[0] as u64,
        cursor: top[1] as usize,
        diverged: top[2] != 0.0,
        rolled_back: (top[3] >= 0.0).then_some(top[3] as u64),
        points,
        flows,
    })
}

/// The latest step's diagnostics and the carried-in state, `[T, H, tokens, then layer lists:
/// h, c, gates, gi, gh, ∂L/∂h vectors, ‖∂L/∂h‖ total, ‖∂L_T/∂h‖, [σ_max], [saturation], h in,
/// c in]`; empty before the first step and when no step was taken since the last states.
pub fn states(run: &Run, sent: &mut Sent) -> Vec<f32> {
    let (steps, d) = (run.steps(), run.diag());
    if sent.states == Some(steps) || d.steps_t == 0 {
        return Vec::new();
    }
    sent.states = Some(steps);
    let mut v = vec![d.steps_t as f32, d.hidden as f32, d.tokens.len() as f32];
    v.extend(d.tokens.iter().map(|&t| f32::from_bits(t)));
    for layers in [
        &d.hidden_states,
        &d.cell_states,
        &d.gates,
        &d.gi,
        &d.gh,
        &d.dh_vectors,
        &d.dh_total,
        &d.dh_last,
    ] {
        put_layers(&mut v, layers);
    }
    put_layers(&mut v, &[d.sigma_max.clone(), d.saturation.clone()]);
    put_layers(&mut v, &run.h_in);
    put_layers(&mut v, &run.c_in);
    v
}

/// What [`states`] wrote: the diagnostics, `h` in and `c` in.
type States = (Box<Diagnostics>, Vec<Vec<f32>>, Vec<Vec<f32>>);

fn read_states(v: &[f32], gate_names: &[&'static str]) -> Option<States> {
    let mut rest = v;
    let top = take(&mut rest, 3)?;
    let mut d = Box::new(Diagnostics {
        steps_t: top[0] as usize,
        hidden: top[1] as usize,
        gate_names: gate_names.to_vec(),
        tokens: take(&mut rest, top[2] as usize)?
            .iter()
            .map(|t| t.to_bits())
            .collect(),
        ..Diagnostics::default()
    });
    for layers in [
        &mut d.hidden_states,
        &mut d.cell_states,
        &mut d.gates,
        &mut d.gi,
        &mut d.gh,
        &mut d.dh_vectors,
        &mut d.dh_total,
        &mut d.dh_last,
    ] {
        *layers = read_layers(&mut rest)?;
    }
    let [sigma, saturation]: [Vec<f32>; 2] = read_layers(&mut rest)?.try_into().ok()?;
    (d.sigma_max, d.saturation) = (sigma, saturation);
    let (h_in, c_in) = (read_layers(&mut rest)?, read_layers(&mut rest)?);
    rest.is_empty().then_some((d, h_in, c_in))
}

/// Makes `run` (a copy built from the same settings) show what `head` and `states` of the run
/// it mirrors say. Nothing changes when either is malformed.
pub fn apply(run: &mut Run, head: &[f64], states: &[f32]) -> Result<()> {
    let h = read_head(head).ok_or_else(|| bad("its history is cut short or malformed"))?;
    let s = match states {
        [] => None,
        s => {
            let gates = run.model().spec.step_cell().gate_names();
            Some(
                read_states(s, gates)
                    .ok_or_else(|| bad("its states are cut short or malformed"))?,
            )
        }
    };
    if let Some(step) = h.rolled_back {
        run.forget_after(step);
    }
    for p in h.points {
        run.record(p);
    }
    for (step, profile) in h.flows {
        run.push_flow(step, profile);
    }
    let old = run.mirror.take().map(|m| m.diag);
    let diag = match s {
        Some((d, h_in, c_in)) => {
            (run.h_in, run.c_in) = (h_in, c_in);
            d
        }
        None => old.unwrap_or_default(),
    };
    run.mirror = Some(Mirrored {
        steps: h.steps,
        cursor: h.cursor,
        diag,
    });
    run.diverged = h.diverged;
    Ok(())
}
