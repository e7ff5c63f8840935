//! What a race lane or a line of the lag sweep trains: a cell, alone or with remedies for the
//! vanishing gradient, named like `rnn`, `rnn+clip` or `lstm+chrono`. One table names the
//! remedies, the settings each sets and what legends call them.

use crate::core::cell::Activation;
use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::core::model::CellKind;
use crate::core::tasks::TaskType;

/// A remedy: its name in an entry, its name in legends, and the settings it sets (`T` stands
/// for the task's lag, or the text's window).
struct Remedy {
    name: &'static str,
    label: &'static str,
    settings: &'static [(&'static str, &'static str)],
}

const REMEDIES: &[Remedy] = &[
    Remedy {
        name: "clip",
        label: "clipping",
        settings: &[("clip", "1"), ("clip-mode", "norm")],
    },
    Remedy {
        name: "orthogonal",
        label: "orthogonal init",
        settings: &[("init", "orthogonal"), ("gain", "1")],
    },
    Remedy {
        name: "identity",
        label: "identity init",
        settings: &[("init", "identity"), ("gain", "1")],
    },
    Remedy {
        name: "chrono",
        label: "chrono init",
        settings: &[("chrono", "T")],
    },
    // h_t = h_{t−1} + φ(…): the state is a running sum, which PyTorch's initial W_hh makes
    // drift until the loss diverges; started from W_hh = 0 it is at first a sum of the inputs'
    // contributions, and ∂h_t/∂h_{t−1} = I. Nothing shrinks the gradient on that path, so at
    // long lags its first updates blow the sum up: at lag 60 (seed 5) the loss went from 4.2 to
    // 12.0 after one Adam step at lr 0.01, clipped or not (Adam's step does not shrink with the
    // gradient). Clipped and at lr 0.002 it reached 100% in 300 steps on seeds 1, 3 and 5; seed
    // 2 still diverged at step 2.
    Remedy {
        name: "residual",
        label: "residual (through time; clipped, lr 0.002)",
        settings: &[
            ("residual", "time"),
            ("init", "identity"),
            ("gain", "0"),
            ("clip", "1"),
            ("clip-mode", "norm"),
            ("lr", "0.002"),
        ],
    },
    Remedy {
        name: "attention",
        label: "attention",
        settings: &[("attention", "dot")],
    },
];

/// The cells by name (`rnn` takes the base settings' nonlinearity).
const CELLS: &[(&str, Option<CellKind>)] = &[
    ("rnn", None),
    ("rnn-tanh", Some(CellKind::Rnn(Activation::Tanh))),
    ("rnn-relu", Some(CellKind::Rnn(Activation::Relu))),
    ("rnn-sigmoid", Some(CellKind::Rnn(Activation::Sigmoid))),
    ("lstm", Some(CellKind::Lstm)),
    ("gru", Some(CellKind::Gru)),
];

/// A cell and its remedies.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub cell: CellKind,
    /// Indices into the table of remedies, in the order named.
    remedies: Vec<usize>,
}

impl Entry {
    /// `rnn`, `lstm+chrono`, `rnn-relu+identity+clip`, …
    pub fn parse(name: &str, base: Activation) -> Result<Entry> {
        let mut parts = name.trim().split('+').map(str::trim);
        let cell_name = parts.next().unwrap_or("");
        let Some(&(_, kind)) = CELLS.iter().find(|c| c.0 == cell_name) else {
            let why = "expected rnn, rnn-tanh, rnn-relu, rnn-sigmoid, lstm or gru, then remedies like +clip";
            return Err(Error::config("cells", name.trim(), why));
        };
        let mut remedies = Vec::new();
        for r in parts {
            let Some(i) = REMEDIES.iter().position(|x| x.name == r) else {
                let names: Vec<&str> = REMEDIES.iter().map(|x| x.name).collect();
                let why = format!("unknown remedy `{r}`: expected {}", names.join(", "));
                return Err(Error::config("cells", name.trim(), why));
            };
            remedies.push(i);
        }
        Ok(Entry {
            cell: kind.unwrap_or(CellKind::Rnn(base)),
            remedies,
        })
    }

    /// The name in legends and tables: `RNN (tanh) + clipping`.
    pub fn label(&self) -> String {
        let mut s = cell_label(self.cell);
        for &i in &self.remedies {
            s += " + ";
            s += REMEDIES[i].label;
        }
        s
    }

    /// Whether the entry is a cell alone.
    pub fn plain(&self) -> bool {
        self.remedies.is_empty()
    }

    /// `base` with this cell and the settings of its remedies; a remedy that does not apply to
    /// the cell (chrono for an RNN) is an error naming the setting.
    pub fn config(&self, base: &Config) -> Result<Config> {
        let mut c = base.clone();
        c.set_cell(self.cell);
        let lag = match c.task {
            TaskType::Text => c.seq_len,
            _ => c.task_len,
        };
        for &i in &self.remedies {
            for &(key, value) in REMEDIES[i].settings {
                let value = if value == "T" {
                    lag.max(2).to_string()
                } else {
                    value.to_string()
                };
                c.set(key, &value)?;
            }
        }
        let gated = matches!(self.cell, CellKind::Lstm | CellKind::Gru);
        if self.remedies.iter().any(|&i| REMEDIES[i].name == "chrono") && !gated {
            let why = "chrono initialisation is for an LSTM or a GRU";
            return Err(Error::config("chrono", lag, why));
        }
        c.validate().map(|_| c)
    }
}

/// How a cell is named in legends and tables.
pub fn cell_label(cell: CellKind) -> String {
    match cell {
        CellKind::Rnn(Activation::Tanh) => "RNN (tanh)".into(),
        CellKind::Rnn(Activation::Relu) => "RNN (ReLU)".into(),
        CellKind::Rnn(Activation::Sigmoid) => "RNN (sigmoid)".into(),
        CellKind::Lstm => "LSTM".into(),
        CellKind::Gru => "GRU".into(),
    }
}

/// The remedy entries the page offers beside the plain cells: each remedy on the cells it
/// applies to.
pub fn remedy_entries() -> Vec<String> {
    let mut out = Vec::new();
    for r in REMEDIES {
        let cells: &[&str] = match r.name {
            "chrono" => &["lstm", "gru"],
            _ => &["rnn"],
        };
        out.extend(cells.iter().map(|c| format!("{c}+{}", r.name)));
    }
    out
}

#[cfg(test)]
mod tests;
