//! The heatmap of the latest training window: which series a choice of layer and state (or
//! gate) names, as plain data for the renderer, and the heatmap as drawn, to answer a hover.

use crate::core::diag::Diagnostics;
use crate::core::error::{Error, Result};
use crate::core::model::CellKind;
use crate::core::session::TextSession;
use crate::render::{Heatmap, HeatmapLayout};
use crate::web::types::HeatCell;

/// What the heatmap shows: a layer (0-based) and `h`, `c` (LSTM) or a gate's name.
#[derive(Clone, Copy, Debug)]
pub struct HeatChoice<'a> {
    pub layer: usize,
    pub which: &'a str,
}

/// The heatmap as last drawn: where its cells are and what they hold.
#[derive(Clone, Debug)]
pub struct DrawnHeatmap {
    pub layout: HeatmapLayout,
    pub values: Vec<f32>,
    pub chars: Vec<char>,
}

impl DrawnHeatmap {
    /// What `map` shows where `layout` put it.
    pub fn new(map: &Heatmap, layout: HeatmapLayout) -> Self {
        let chars = map
            .col_labels
            .iter()
            .map(|s| s.chars().next().unwrap_or('\u{fffd}'))
            .collect();
        DrawnHeatmap {
            layout,
            values: map.values.clone(),
            chars,
        }
    }

    /// The cell at pixel `(x, y)` of the drawing, `None` outside the cells.
    pub fn at(&self, x: f64, y: f64) -> Option<HeatCell> {
        let (row, col) = self.layout.cell_at(x.floor() as i32, y.floor() as i32)?;
        let value = *self.values.get(row * self.layout.cols + col)?;
        Some(HeatCell {
            unit: row as u32,
            t: col as u32,
            char: self.chars.get(col).map(char::to_string).unwrap_or_default(),
            value: f64::from(value),
        })
    }
}

/// Units × time for the latest step's window, `d` (units are rows), titled and ranged.
pub fn heatmap(s: &TextSession, d: &Diagnostics, choice: HeatChoice) -> Result<Heatmap> {
    let (t, hs) = (d.steps_t, d.hidden);
    let (values, title, range) = if t == 0 {
        (Vec::new(), "no step yet".to_string(), Some(1.0))
    } else {
        series(d, s.trainer.model.spec.cell, choice)?
    };
    // Units are rows: transpose [t·H + j] into [j·T + t].
    let rows: Vec<f32> = (0..hs * t)
        .map(|k| values[(k % t.max(1)) * hs + k / t.max(1)])
        .collect();
    let col_labels = d
        .tokens
        .iter()
        .map(|&i| {
            let c = s.vocab.chars.get(i as usize).copied();
            c.unwrap_or('\u{fffd}').to_string()
        })
        .collect();
    Ok(Heatmap {
        values: rows,
        rows: if t == 0 { 0 } else { hs },
        cols: t,
        col_labels,
        title,
        range,
    })
}

/// What `choice` names: the values `[t·H + j]`, a title and the colour range.
fn series(
    d: &Diagnostics,
    cell: CellKind,
    choice: HeatChoice,
) -> Result<(Vec<f32>, String, Option<f32>)> {
    let HeatChoice { layer, which } = choice;
    let bad = |why: String| Error::config("heatmap", which, why);
    if layer >= d.hidden_states.len() {
        return Err(bad(format!(
            "layer {} does not exist (the model has {})",
            layer + 1,
            d.hidden_states.len()
        )));
    }
    let unit_range = if cell == CellKind::Rnn(crate::core::cell::Activation::Relu) {
        None
    } else {
        Some(1.0)
    };
    let at = format!("layer {}", layer + 1);
    match which {
        "h" => Ok((
            d.hidden_states[layer].clone(),
            format!("hidden state h\u{209c}, {at}"),
            unit_range,
        )),
        "c" if !d.cell_states.get(layer).is_none_or(Vec::is_empty) => Ok((
            d.cell_states[layer].clone(),
            format!("cell state c\u{209c}, {at}"),
            None,
        )),
        "c" => Err(bad("only an LSTM has a cell state c_t".into())),
        g => {
            // The cell's own names: a copy of a playground receives no names with the states.
            let names = cell.cell().gate_names();
            let gi = gate_index(names, g).ok_or_else(|| bad(gates_are(names)))?;
            let v = gate_series(d, layer, gi, names.len());
            Ok((v, format!("{} gate, {at}", gate_title(g)), Some(1.0)))
        }
    }
}

fn gate_index(names: &[&str], g: &str) -> Option<usize> {
    names.iter().position(|n| *n == g && names.len() > 1)
}

fn gates_are(names: &[&str]) -> String {
    if names.len() > 1 {
        format!("this cell's gates are {}", names.join(", "))
    } else {
        "this cell's gates are none (a plain RNN has none)".into()
    }
}

/// Gate `gi` of `layer` over the window, `[t·H + j]`.
fn gate_series(d: &Diagnostics, layer: usize, gi: usize, gates: usize) -> Vec<f32> {
    let (t, hs) = (d.steps_t, d.hidden);
    let gh = gates * hs;
    let src = &d.gates[layer];
    (0..t)
        .flat_map(|ti| {
            src[ti * gh + gi * hs..ti * gh + (gi + 1) * hs]
                .iter()
                .copied()
        })
        .collect()
}

fn gate_title(g: &str) -> &'static str {
    match g {
        "i" => "input (i)",
        "f" => "forget (f)",
        "g" => "candidate (g)",
        "o" => "output (o)",
        "r" => "reset (r)",
        "z" => "update (z)",
        "n" => "new (n)",
        _ => "?",
    }
}
