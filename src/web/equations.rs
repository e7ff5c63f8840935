//! The cell's equations for one unit at one step, filled in with the numbers of that step: the
//! lab's training window and the playground's inspected text both show them.

use crate::core::cell::Activation;
use crate::core::error::{Error, Result};
use crate::core::model::{CellKind, Residual};

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

/// Shows a symbol readably.
pub fn show_char(c: char) -> String {
    match c {
        ' ' => "␣".into(),
        '\n' => "⏎".into(),
        '\t' => "⇥".into(),
        c => c.to_string(),
    }
}

/// One step of one layer, in full: the input and recurrent parts of the gate pre-activations
/// (`W·x + b_ih`, `U·hₜ₋₁ + b_hh`) and the gate activations, `[G·H]` in PyTorch's order; the state
/// before and after (`c`: LSTM only, else empty); and `∂L/∂hₜ` when a backward pass gave one.
pub struct StepNumbers {
    pub gi: Vec<f32>,
    pub gh: Vec<f32>,
    pub gates: Vec<f32>,
    pub h: Vec<f32>,
    pub h_prev: Vec<f32>,
    pub c: Vec<f32>,
    pub c_prev: Vec<f32>,
    pub dh: Option<Vec<f32>>,
}

/// One unit's numbers of a [`StepNumbers`].
struct Unit<'a> {
    s: &'a StepNumbers,
    j: usize,
    hs: usize,
    h: f32,
    h_prev: f32,
}

impl Unit<'_> {
    fn gi(&self, k: usize) -> f32 {
        self.s.gi[k * self.hs + self.j]
    }
    fn gh(&self, k: usize) -> f32 {
        self.s.gh[k * self.hs + self.j]
    }
    fn act(&self, k: usize) -> f32 {
        self.s.gates[k * self.hs + self.j]
    }
    /// `W·x + U·hₜ₋₁` of block `k`, as the two parts.
    fn sum(&self, k: usize) -> String {
        format!("{} + {}", num(self.gi(k)), num(self.gh(k)))
    }
}

impl StepNumbers {
    /// The equations of unit `j` (of `layer`, at step `t`, for the heading) of a `cell` with
    /// `residual` connections.
    pub fn equations(
        &self,
        cell: CellKind,
        residual: Residual,
        layer: usize,
        t: usize,
        j: usize,
    ) -> Result<Vec<String>> {
        let hs = self.h.len();
        if j >= hs {
            let why = format!("the layer has units 0..{}", hs.saturating_sub(1));
            return Err(Error::config("unit", j, why));
        }
        let u = Unit {
            s: self,
            j,
            hs,
            h: self.h[j],
            h_prev: self.h_prev.get(j).copied().unwrap_or(0.0),
        };
        let mut out = vec![format!(
            "unit {j}, layer {}, step t = {t} (W·x and U·hₜ₋₁ include their biases)",
            layer + 1
        )];
        match cell {
            CellKind::Rnn(a) => out.push(rnn_equation(&u, a, residual == Residual::Time)),
            CellKind::Lstm => out.extend(lstm_equations(&u, self.c_prev[j], self.c[j])),
            CellKind::Gru => out.extend(gru_equations(&u)),
        }
        if let Some(v) = self.dh.as_ref().and_then(|v| v.get(j)) {
            out.push(format!(
                "∂L/∂hₜ = {}    (backward: how the window's loss changes with this unit now)",
                num(*v)
            ));
        }
        Ok(out)
    }
}

/// `hₜ = φ(W·x + U·hₜ₋₁)`, or with a residual connection through time `hₜ = hₜ₋₁ + φ(…)`.
fn rnn_equation(u: &Unit, a: Activation, residual: bool) -> String {
    let f = match a {
        Activation::Tanh => "tanh(",
        Activation::Relu => "max(0, ",
        Activation::Sigmoid => "σ(",
    };
    let (sym, val) = match residual {
        true => ("hₜ₋₁ + ".to_string(), format!("{} + ", num(u.h_prev))),
        false => (String::new(), String::new()),
    };
    format!(
        "hₜ = {sym}{f}W·x + U·hₜ₋₁) = {val}{f}{}) = {}",
        u.sum(0),
        num(u.h)
    )
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
