//! Step-through of the latest training window: the columns of one time step (input, previous
//! state, gates, new state, backward signal) and the cell's equations filled in with one
//! unit's live numbers, all read from the trainer's diagnostics (batch row 0, the weights the
//! step used).

use super::run::{Run, Session};
use crate::core::data::{Source, WindowInput};
use crate::core::error::{Error, Result};
use crate::core::model::CellKind;
use crate::core::tasks::Task;

/// The columns of step `t` of `layer`, each `H` values (the input: its own width).
pub struct StepColumns {
    pub x: Vec<f32>,
    pub x_labels: Vec<String>,
    /// What went in, in words (`“a”`, or the real values).
    pub input: String,
    pub h_prev: Vec<f32>,
    pub c_prev: Vec<f32>,
    pub gates: Vec<(String, Vec<f32>)>,
    pub c: Vec<f32>,
    pub h: Vec<f32>,
    pub dh: Vec<f32>,
}

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
    let cursor = s.trainer.source().cursor();
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

/// Shows a symbol readably.
pub fn show_char(c: char) -> String {
    match c {
        ' ' => "␣".into(),
        '\n' => "⏎".into(),
        '\t' => "⇥".into(),
        c => c.to_string(),
    }
}

/// The columns of step `t` of `layer`; `real_x` are the replayed real inputs (real tasks).
pub fn columns(run: &Run, layer: usize, t: usize, real_x: Option<&[f32]>) -> Result<StepColumns> {
    let (hs, _) = check(run, layer, t)?;
    let d = run.diag();
    let g = d.gate_names.len();
    let (x, x_labels, input) = if layer > 0 {
        let x = at(&d.hidden_states[layer - 1], t, hs);
        let labels = (0..hs).map(|j| format!("h{j} of layer {layer}")).collect();
        (x, labels, format!("h\u{209c} of layer {layer}"))
    } else if let Some(&tok) = d.tokens.get(t) {
        let vocab = run.vocab();
        let mut x = vec![0.0; vocab.len()];
        if let Some(v) = x.get_mut(tok as usize) {
            *v = 1.0;
        }
        let ch = vocab.get(tok as usize).copied().unwrap_or('\u{fffd}');
        let labels = vocab.iter().map(|&c| show_char(c)).collect();
        (x, labels, format!("“{}”", show_char(ch)))
    } else {
        let i = run.model().spec.input_size;
        let x = real_x
            .and_then(|r| r.get(t * i..(t + 1) * i))
            .map_or_else(|| vec![f32::NAN; i], <[f32]>::to_vec);
        let labels = (0..i).map(|k| format!("x[{k}]")).collect();
        let words = x.iter().map(|v| num(*v)).collect::<Vec<_>>().join(", ");
        (x, labels, format!("({words})"))
    };
    let gates = if g > 1 {
        d.gate_names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let src = &d.gates[layer];
                let v = src
                    .get(t * g * hs + k * hs..t * g * hs + (k + 1) * hs)
                    .map_or_else(|| vec![f32::NAN; hs], <[f32]>::to_vec);
                (name.to_string(), v)
            })
            .collect()
    } else {
        Vec::new()
    };
    let lstm = !d.cell_states.get(layer).is_none_or(Vec::is_empty);
    Ok(StepColumns {
        x,
        x_labels,
        input,
        h_prev: prev(run, &d.hidden_states, &run.h_in, layer, t),
        c_prev: if lstm {
            prev(run, &d.cell_states, &run.c_in, layer, t)
        } else {
            Vec::new()
        },
        gates,
        c: if lstm {
            at(&d.cell_states[layer], t, hs)
        } else {
            Vec::new()
        },
        h: at(&d.hidden_states[layer], t, hs),
        dh: d
            .dh_vectors
            .get(layer)
            .map_or_else(Vec::new, |v| at(v, t, hs)),
    })
}

/// A number for an equation: two decimals, or scientific when tiny or huge; a true minus.
pub fn num(v: f32) -> String {
    let a = v.abs();
    let s = if v == 0.0 {
        "0.00".to_string()
    } else if !(0.005..1000.0).contains(&a) {
        format!("{v:.2e}")
    } else {
        format!("{v:.2}")
    };
    s.replace('-', "−")
}

/// The equations of unit `j` at step `t` of `layer`, filled in.
pub fn equations(run: &Run, layer: usize, t: usize, j: usize) -> Result<Vec<String>> {
    let (hs, _) = check(run, layer, t)?;
    if j >= hs {
        return Err(Error::config(
            "unit",
            j,
            format!("the layer has units 0..{}", hs - 1),
        ));
    }
    let d = run.diag();
    let g = d.gate_names.len();
    let base = t * g * hs;
    let gi = |k: usize| d.gi[layer][base + k * hs + j];
    let gh = |k: usize| d.gh[layer][base + k * hs + j];
    let act = |k: usize| d.gates[layer][base + k * hs + j];
    let h = d.hidden_states[layer][t * hs + j];
    let h_prev = prev(run, &d.hidden_states, &run.h_in, layer, t)[j];
    let sum = |k: usize| format!("{} + {}", num(gi(k)), num(gh(k)));
    let mut out = vec![format!(
        "unit {j}, layer {}, step t = {t} (W·x and U·hₜ₋₁ include their biases)",
        layer + 1
    )];
    match run.model().spec.cell {
        CellKind::Rnn(a) => {
            let f = if a.name() == "relu" {
                "max(0, "
            } else {
                "tanh("
            };
            out.push(format!(
                "hₜ = {f}W·x + U·hₜ₋₁) = {f}{}) = {}",
                sum(0),
                num(h)
            ));
        }
        CellKind::Lstm => {
            let c = d.cell_states[layer][t * hs + j];
            let c_prev = prev(run, &d.cell_states, &run.c_in, layer, t)[j];
            for (k, (name, f, what)) in [
                ("i", "σ", "input gate: how much of g to write"),
                ("f", "σ", "forget gate: how much of cₜ₋₁ to keep"),
                ("g", "tanh", "candidate value"),
                ("o", "σ", "output gate"),
            ]
            .iter()
            .enumerate()
            {
                out.push(format!(
                    "{name} = {f}(W·x + U·hₜ₋₁) = {f}({}) = {}    ({what})",
                    sum(k),
                    num(act(k))
                ));
            }
            out.push(format!(
                "cₜ = f·cₜ₋₁ + i·g = {}·{} + {}·{} = {}",
                num(act(1)),
                num(c_prev),
                num(act(0)),
                num(act(2)),
                num(c)
            ));
            out.push(format!(
                "hₜ = o·tanh(cₜ) = {}·tanh({}) = {}",
                num(act(3)),
                num(c),
                num(h)
            ));
        }
        CellKind::Gru => {
            out.push(format!(
                "r = σ(W·x + U·hₜ₋₁) = σ({}) = {}    (reset gate)",
                sum(0),
                num(act(0))
            ));
            out.push(format!(
                "z = σ(W·x + U·hₜ₋₁) = σ({}) = {}    (update gate: how much of hₜ₋₁ to keep)",
                sum(1),
                num(act(1))
            ));
            out.push(format!(
                "n = tanh(W·x + r·(U·hₜ₋₁)) = tanh({} + {}·{}) = {}    (candidate)",
                num(gi(2)),
                num(act(0)),
                num(gh(2)),
                num(act(2))
            ));
            out.push(format!(
                "hₜ = (1 − z)·n + z·hₜ₋₁ = (1 − {})·{} + {}·{} = {}",
                num(act(1)),
                num(act(2)),
                num(act(1)),
                num(h_prev),
                num(h)
            ));
        }
    }
    if let Some(v) = d.dh_vectors.get(layer).and_then(|v| v.get(t * hs + j)) {
        out.push(format!(
            "∂L/∂hₜ = {}    (backward: how the window's loss changes with this unit now)",
            num(*v)
        ));
    }
    Ok(out)
}
