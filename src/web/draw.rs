//! Drawing on canvases with the shared renderers, and what the page needs to answer a hover
//! over the heatmap.

use super::history::History;
use crate::core::diag::Diagnostics;
use crate::core::error::{Error, Result};
use crate::core::session::TextSession;
use crate::render::{
    draw_heatmap_frame, draw_loss_chart, heatmap_pixels, Heatmap, HeatmapLayout, LossChart,
};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The heatmap as last drawn: where its cells are and what they hold.
#[derive(Clone, Debug)]
pub struct DrawnHeatmap {
    pub layout: HeatmapLayout,
    pub values: Vec<f32>,
    pub chars: Vec<char>,
}

/// A cell under the mouse.
pub struct Cell {
    pub unit: usize,
    pub t: usize,
    pub ch: Option<char>,
    pub value: f32,
}

impl DrawnHeatmap {
    pub fn at(&self, x: f64, y: f64) -> Option<Cell> {
        let (row, col) = self.layout.cell_at(x.floor() as i32, y.floor() as i32)?;
        let value = *self.values.get(row * self.layout.cols + col)?;
        Some(Cell {
            unit: row,
            t: col,
            ch: self.chars.get(col).copied(),
            value,
        })
    }
}

fn backend(canvas: &HtmlCanvasElement) -> Result<CanvasBackend> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| Error::Data("this canvas has no 2D drawing context".into()))
}

fn render_err(e: crate::render::RenderError) -> Error {
    Error::Data(e.to_string())
}

/// Draws the loss chart: raw and smoothed train loss, validation loss and the two baselines.
pub fn loss(canvas: &HtmlCanvasElement, s: &TextSession, h: &History) -> Result<()> {
    let chart = LossChart {
        train: h.train.clone(),
        train_smooth: h.smooth.clone(),
        val: h.val.clone(),
        baselines: vec![
            ("uniform ln V".into(), s.uniform),
            ("unigram entropy".into(), s.unigram),
        ],
        x_label: "training step".into(),
        y_label: "loss (nats/char)".into(),
    };
    draw_loss_chart(&backend(canvas)?.into_drawing_area(), &chart).map_err(render_err)
}

/// What `which` names, for layer `layer`: the values `[t·H + j]`, a title and the colour range.
fn series(
    d: &Diagnostics,
    cell: &str,
    layer: usize,
    which: &str,
) -> Result<(Vec<f32>, String, Option<f32>)> {
    let bad = |why: String| Error::config("heatmap", which, why);
    if layer >= d.hidden_states.len() {
        return Err(bad(format!(
            "layer {} does not exist (the model has {})",
            layer + 1,
            d.hidden_states.len()
        )));
    }
    let (t, hs) = (d.steps_t, d.hidden);
    let unit_range = if cell == "rnn-relu" { None } else { Some(1.0) };
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
            let names = &d.gate_names;
            let gi = names
                .iter()
                .position(|n| *n == g && names.len() > 1)
                .ok_or_else(|| {
                    bad(format!(
                        "this cell's gates are {}",
                        if names.len() > 1 {
                            names.join(", ")
                        } else {
                            "none (a plain RNN has none)".into()
                        }
                    ))
                })?;
            let gh = names.len() * hs;
            let src = &d.gates[layer];
            let v = (0..t)
                .flat_map(|ti| {
                    src[ti * gh + gi * hs..ti * gh + (gi + 1) * hs]
                        .iter()
                        .copied()
                })
                .collect();
            Ok((v, format!("{} gate, {at}", gate_title(g)), Some(1.0)))
        }
    }
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

/// Draws units × time for the latest step's window and returns what is needed for hovers.
pub fn heatmap(
    canvas: &HtmlCanvasElement,
    s: &TextSession,
    layer: usize,
    which: &str,
) -> Result<DrawnHeatmap> {
    let d = s.trainer.diagnostics();
    let kind = s.trainer.model.spec.cell;
    let cell = format!("{}-{}", kind.name(), kind.nonlinearity());
    let (t, hs) = (d.steps_t, d.hidden);
    let (values, title, range) = if t == 0 {
        (Vec::new(), "no step yet".to_string(), Some(1.0))
    } else {
        series(d, &cell, layer, which)?
    };
    // Units are rows: transpose [t·H + j] into [j·T + t].
    let rows: Vec<f32> = (0..hs * t)
        .map(|k| values[(k % t.max(1)) * hs + k / t.max(1)])
        .collect();
    let chars: Vec<char> = d
        .tokens
        .iter()
        .map(|&i| s.vocab.chars.get(i as usize).copied().unwrap_or('\u{fffd}'))
        .collect();
    let map = Heatmap {
        values: rows,
        rows: if t == 0 { 0 } else { hs },
        cols: t,
        col_labels: chars.iter().map(char::to_string).collect(),
        title,
        range,
    };
    // Axes, labels and legend through plotters; the cells as one image (one canvas call instead
    // of one per cell — 512 units × 200 steps would be 100k rectangles).
    let layout =
        draw_heatmap_frame(&backend(canvas)?.into_drawing_area(), &map).map_err(render_err)?;
    put_cells(canvas, &map, &layout)?;
    Ok(DrawnHeatmap {
        layout,
        values: map.values,
        chars,
    })
}

fn put_cells(canvas: &HtmlCanvasElement, map: &Heatmap, layout: &HeatmapLayout) -> Result<()> {
    let (w, h) = (layout.width() as u32, layout.height() as u32);
    if w == 0 || h == 0 {
        return Ok(());
    }
    let fail = |what: &str| Error::Data(format!("drawing the heatmap: {what}"));
    let pixels = heatmap_pixels(map, layout);
    let image =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&pixels), w, h)
            .map_err(|_| fail("could not make the image"))?;
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| wasm_bindgen::JsCast::dyn_into::<web_sys::CanvasRenderingContext2d>(c).ok())
        .ok_or_else(|| fail("no 2d context"))?;
    ctx.put_image_data(&image, layout.left as f64, layout.top as f64)
        .map_err(|_| fail("could not paint the cells"))
}
