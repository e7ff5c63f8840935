//! Step-through of the latest training window: the columns of one time step (input, previous
//! state, gates, new state, backward signal) and the cell's equations filled in with one
//! unit's live numbers, all read from the trainer's diagnostics (batch row 0, the weights the
//! step used).

use super::run::{Run, Session};
use crate::core::data::{Source, WindowInput};
use crate::core::diag::Diagnostics;
use crate::core::error::{Error, Result};
use crate::core::model::CellKind;
use crate::core::tasks::Task;
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

/// The input column of step `t` of `layer`: values, a label per entry, and the input in words.
fn input_column(
    run: &Run,
    layer: usize,
    t: usize,
    real_x: Option<&[f32]>,
) -> (Vec<f32>, Vec<String>, String) {
    let d = run.diag();
    if layer > 0 {
        let x = at(&d.hidden_states[layer - 1], t, d.hidden);
        let labels = (0..d.hidden)
            .map(|j| format!("h{j} of layer {layer}"))
            .collect();
        return (x, labels, format!("h\u{209c} of layer {layer}"));
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

/// One unit's numbers at one step: its pre-activations (input and recurrent parts) and
/// activations per gate block, and its state before and after.
struct Unit<'a> {
    d: &'a Diagnostics,
    layer: usize,
    /// Offset of step t's gate blocks, and the unit.
    base: usize,
    j: usize,
    hs: usize,
    h: f32,
    h_prev: f32,
}

impl Unit<'_> {
    fn gi(&self, k: usize) -> f32 {
        self.d.gi[self.layer][self.base + k * self.hs + self.j]
    }
    fn gh(&self, k: usize) -> f32 {
        self.d.gh[self.layer][self.base + k * self.hs + self.j]
    }
    fn act(&self, k: usize) -> f32 {
        self.d.gates[self.layer][self.base + k * self.hs + self.j]
    }
    /// `W·x + U·hₜ₋₁` of block `k`, as the two parts.
    fn sum(&self, k: usize) -> String {
        format!("{} + {}", num(self.gi(k)), num(self.gh(k)))
    }
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
    let u = Unit {
        d,
        layer,
        base: t * d.gate_names.len() * hs,
        j,
        hs,
        h: d.hidden_states[layer][t * hs + j],
        h_prev: prev(run, &d.hidden_states, &run.h_in, layer, t)[j],
    };
    let mut out = vec![format!(
        "unit {j}, layer {}, step t = {t} (W·x and U·hₜ₋₁ include their biases)",
        layer + 1
    )];
    match run.model().spec.cell {
        CellKind::Rnn(a) => out.push(rnn_equation(&u, a.name() == "relu")),
        CellKind::Lstm => {
            let c = d.cell_states[layer][t * hs + j];
            let c_prev = prev(run, &d.cell_states, &run.c_in, layer, t)[j];
            out.extend(lstm_equations(&u, c_prev, c));
        }
        CellKind::Gru => out.extend(gru_equations(&u)),
    }
    if let Some(v) = d.dh_vectors.get(layer).and_then(|v| v.get(t * hs + j)) {
        out.push(format!(
            "∂L/∂hₜ = {}    (backward: how the window's loss changes with this unit now)",
            num(*v)
        ));
    }
    Ok(out)
}

fn rnn_equation(u: &Unit, relu: bool) -> String {
    let f = if relu { "max(0, " } else { "tanh(" };
    format!("hₜ = {f}W·x + U·hₜ₋₁) = {f}{}) = {}", u.sum(0), num(u.h))
}

fn lstm_equations(u: &Unit, c_prev: f32, c: f32) -> Vec<String> {
    let gates = [
        ("i", "σ", "input gate: how much of g to write"),
        ("f", "σ", "forget gate: how much of cₜ₋₁ to keep"),
        ("g", "tanh", "candidate value"),
        ("o", "σ", "output gate"),
    ];
    let mut out: Vec<String> = gates
        .iter()
        .enumerate()
        .map(|(k, (name, f, what))| {
            format!(
                "{name} = {f}(W·x + U·hₜ₋₁) = {f}({}) = {}    ({what})",
                u.sum(k),
                num(u.act(k))
            )
        })
        .collect();
    let (i, f, g, o) = (num(u.act(0)), num(u.act(1)), num(u.act(2)), num(u.act(3)));
    let (c, c_prev) = (num(c), num(c_prev));
    out.push(format!("cₜ = f·cₜ₋₁ + i·g = {f}·{c_prev} + {i}·{g} = {c}"));
    out.push(format!("hₜ = o·tanh(cₜ) = {o}·tanh({c}) = {}", num(u.h)));
    out
}

fn gru_equations(u: &Unit) -> Vec<String> {
    let (r, z, n) = (num(u.act(0)), num(u.act(1)), num(u.act(2)));
    vec![
        format!(
            "r = σ(W·x + U·hₜ₋₁) = σ({}) = {r}    (reset gate)",
            u.sum(0)
        ),
        format!(
            "z = σ(W·x + U·hₜ₋₁) = σ({}) = {z}    (update gate: how much of hₜ₋₁ to keep)",
            u.sum(1)
        ),
        format!(
            "n = tanh(W·x + r·(U·hₜ₋₁)) = tanh({} + {r}·{}) = {n}    (candidate)",
            num(u.gi(2)),
            num(u.gh(2))
        ),
        format!(
            "hₜ = (1 − z)·n + z·hₜ₋₁ = (1 − {z})·{n} + {z}·{} = {}",
            num(u.h_prev),
            num(u.h)
        ),
    ]
}
