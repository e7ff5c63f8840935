//! Step-through of the latest training window: the columns of one time step (input, previous
//! state, gates, new state, backward signal) and the cell's equations filled in with one
//! unit's live numbers, all read from the trainer's diagnostics (batch row 0, the weights the
//! step used).

use super::run::{Run, Session};
use crate::core::data::{Source, WindowInput};
use crate::core::diag::Diagnostics;
use crate::core::error::{Error, Result};
use crate::core::model::Residual;
use crate::core::tasks::Task;
use crate::web::equations::{num, show_char, StepNumbers};
use crate::web::types::{Floats, GateColumn, StepColumns};

/// The real-valued inputs of the latest window, batch row 0, `[t·I + k]`, by replaying the
/// task's episode generator up to that window (its episodes are a pure function of the seed).
pub fn replay_real_inputs(run: &Run) -> Result<Vec<f32>> {
    let Session::Task(s) = &run.session else {
        return Err(Error::Data("only tasks have real-valued inputs".into()));
    };
    let kind = s
        .config
        .task
        .synthetic()
        .ok_or_else(|| Error::config("task", s.config.task, "not a synthetic task"))?;
    let b = s.config.batch;
    let mut task = Task::new(kind, s.config.task_len, b, s.config.seed)?;
    let cursor = run.cursor();
    task.set_cursor(cursor.saturating_sub(b));
    let w = task.next_window();
    let WindowInput::Real(x) = w.input else {
        return Err(Error::Data("this task's inputs are symbols".into()));
    };
    let i = s.info.input_size;
    let t = s.info.steps;
    Ok((0..t)
        .flat_map(|ti| x[ti * b * i..ti * b * i + i].to_vec())
        .collect())
}

fn check(run: &Run, layer: usize, t: usize) -> Result<(usize, usize)> {
    let d = run.diag();
    if d.steps_t == 0 {
        return Err(Error::Data(
            "no training step yet: press Step once to fill the window".into(),
        ));
    }
    if layer >= d.hidden_states.len() {
        return Err(Error::config(
            "layer",
            layer + 1,
            format!("the model has {} layers", d.hidden_states.len()),
        ));
    }
    if t >= d.steps_t {
        return Err(Error::config(
            "time step",
            t,
            format!("the window has steps 0..{}", d.steps_t - 1),
        ));
    }
    Ok((d.hidden, d.steps_t))
}

fn at(v: &[f32], t: usize, hs: usize) -> Vec<f32> {
    v.get(t * hs..(t + 1) * hs)
        .map_or_else(|| vec![f32::NAN; hs], <[f32]>::to_vec)
}

fn prev(run: &Run, v: &[Vec<f32>], carried: &[Vec<f32>], layer: usize, t: usize) -> Vec<f32> {
    let hs = run.diag().hidden;
    match (t, v.get(layer)) {
        (0, _) => carried
            .get(layer)
            .filter(|c| c.len() == hs)
            .cloned()
            .unwrap_or_else(|| vec![0.0; hs]),
        (_, Some(s)) if !s.is_empty() => at(s, t - 1, hs),
        _ => Vec::new(),
    }
}

/// The input column of step `t` of `layer`: values, a label per entry, and the input in words.
fn input_column(
    run: &Run,
    layer: usize,
    t: usize,
    real_x: Option<&[f32]>,
) -> (Vec<f32>, Vec<String>, String) {
    let d = run.diag();
    if layer > 0 {
        // With residual=layers the layer reads o = the sum of every state below it.
        let residual = run.model().spec.residual == Residual::Layers;
        let (first, name) = if residual { (0, 'o') } else { (layer - 1, 'h') };
        let mut x = vec![0.0; d.hidden];
        for h in &d.hidden_states[first..layer] {
            x.iter_mut()
                .zip(at(h, t, d.hidden))
                .for_each(|(x, v)| *x += v);
        }
        let labels = (0..d.hidden)
            .map(|j| format!("{name}{j} of layer {layer}"))
            .collect();
        return (x, labels, format!("{name}\u{209c} of layer {layer}"));
    }
    if let Some(&tok) = d.tokens.get(t) {
        let vocab = run.vocab();
        let mut x = vec![0.0; vocab.len()];
        if let Some(v) = x.get_mut(tok as usize) {
            *v = 1.0;
        }
        let ch = vocab.get(tok as usize).copied().unwrap_or('\u{fffd}');
        let labels = vocab.iter().map(|&c| show_char(c)).collect();
        return (x, labels, format!("“{}”", show_char(ch)));
    }
    let i = run.model().spec.input_size;
    let x = real_x
        .and_then(|r| r.get(t * i..(t + 1) * i))
        .map_or_else(|| vec![f32::NAN; i], <[f32]>::to_vec);
    let labels = (0..i).map(|k| format!("x[{k}]")).collect();
    let words = x.iter().map(|v| num(*v)).collect::<Vec<_>>().join(", ");
    (x, labels, format!("({words})"))
}

/// The gate columns of step `t` of `layer` (none for a plain RNN).
fn gate_columns(d: &Diagnostics, layer: usize, t: usize) -> Vec<GateColumn> {
    let (g, hs) = (d.gate_names.len(), d.hidden);
    if g < 2 {
        return Vec::new();
    }
    let src = &d.gates[layer];
    let base = t * g * hs;
    d.gate_names
        .iter()
        .enumerate()
        .map(|(k, &name)| GateColumn {
            name,
            values: Floats(
                src.get(base + k * hs..base + (k + 1) * hs)
                    .map_or_else(|| vec![f32::NAN; hs], <[f32]>::to_vec),
            ),
        })
        .collect()
}

/// The columns of step `t` of `layer`; `real_x` are the replayed real inputs (real tasks).
pub fn columns(run: &Run, layer: usize, t: usize, real_x: Option<&[f32]>) -> Result<StepColumns> {
    let (hs, steps) = check(run, layer, t)?;
    let d = run.diag();
    let (x, x_labels, input) = input_column(run, layer, t, real_x);
    let lstm = !d.cell_states.get(layer).is_none_or(Vec::is_empty);
    let cell_col = |v: &dyn Fn() -> Vec<f32>| Floats(if lstm { v() } else { Vec::new() });
    Ok(StepColumns {
        t: t as u32,
        steps: steps as u32,
        input,
        x: Floats(x),
        x_labels,
        h_prev: Floats(prev(run, &d.hidden_states, &run.h_in, layer, t)),
        c_prev: cell_col(&|| prev(run, &d.cell_states, &run.c_in, layer, t)),
        gates: gate_columns(d, layer, t),
        c: cell_col(&|| at(&d.cell_states[layer], t, hs)),
        h: Floats(at(&d.hidden_states[layer], t, hs)),
        dh: Floats(
            d.dh_vectors
                .get(layer)
                .map_or_else(Vec::new, |v| at(v, t, hs)),
        ),
    })
}

/// The equations of unit `j` at step `t` of `layer`, filled in with the window's numbers.
pub fn equations(run: &Run, layer: usize, t: usize, j: usize) -> Result<Vec<String>> {
    let (hs, _) = check(run, layer, t)?;
    let d = run.diag();
    let g = d.gate_names.len();
    let block = |v: &[Vec<f32>]| v[layer][t * g * hs..(t + 1) * g * hs].to_vec();
    let lstm = !d.cell_states.get(layer).is_none_or(Vec::is_empty);
    let step = StepNumbers {
        gi: block(&d.gi),
        gh: block(&d.gh),
        gates: block(&d.gates),
        h: at(&d.hidden_states[layer], t, hs),
        h_prev: prev(run, &d.hidden_states, &run.h_in, layer, t),
        c: if lstm {
            at(&d.cell_states[layer], t, hs)
        } else {
            Vec::new()
        },
        c_prev: if lstm {
            prev(run, &d.cell_states, &run.c_in, layer, t)
        } else {
            Vec::new()
        },
        dh: d.dh_vectors.get(layer).map(|v| at(v, t, hs)),
    };
    let spec = &run.model().spec;
    step.equations(spec.cell, spec.residual, layer, t, j)
}
