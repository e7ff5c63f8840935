//! The [`Lab`]'s close-ups: one time step of the latest window with the cell's equations, and
//! the model run over a typed or sampled text.

use super::js::{self, err, Obj};
use super::{explain, text, Lab};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Lab {
    /// Steps T of the latest window (0 before the first step).
    #[wasm_bindgen(js_name = windowLen)]
    pub fn window_len(&self) -> u32 {
        self.run.diag().steps_t as u32
    }

    /// The columns of step `t` of `layer` in the latest window: `{t, steps, input, x, xLabels,
    /// hPrev, cPrev, gates: [{name, values}], c, h, dh}` (Float32Arrays; `cPrev`/`c` empty
    /// unless LSTM).
    #[wasm_bindgen(js_name = stepColumns)]
    pub fn step_columns(&mut self, layer: usize, t: usize) -> Result<JsValue, JsError> {
        let step = self.run.steps();
        if self.run.is_real() && layer == 0 && self.real_x.as_ref().is_none_or(|r| r.0 != step) {
            let x = explain::replay_real_inputs(&self.run).map_err(err)?;
            self.real_x = Some((step, x));
        }
        let real = self.real_x.as_ref().map(|r| r.1.as_slice());
        let c = explain::columns(&self.run, layer, t, real).map_err(err)?;
        let gates = c
            .gates
            .iter()
            .map(|(n, v)| {
                Obj::new()
                    .set("name", n.as_str())
                    .set("values", js::f32s(v))
                    .build()
            })
            .collect();
        Ok(Obj::new()
            .set("t", t as u32)
            .set("steps", self.run.diag().steps_t as u32)
            .set("input", c.input)
            .set("x", js::f32s(&c.x))
            .set("xLabels", js::strings(&c.x_labels))
            .set("hPrev", js::f32s(&c.h_prev))
            .set("cPrev", js::f32s(&c.c_prev))
            .set("gates", js::array(gates))
            .set("c", js::f32s(&c.c))
            .set("h", js::f32s(&c.h))
            .set("dh", js::f32s(&c.dh))
            .build())
    }

    /// The cell's equations for unit `unit` at step `t` of `layer`, filled in with the latest
    /// window's numbers, one line each.
    pub fn equations(&self, layer: usize, t: usize, unit: usize) -> Result<JsValue, JsError> {
        let lines = explain::equations(&self.run, layer, t, unit).map_err(err)?;
        Ok(js::strings(&lines))
    }

    /// The input characters of the latest window (batch row 0), one string each.
    #[wasm_bindgen(js_name = windowChars)]
    pub fn window_chars(&self) -> JsValue {
        let v = self.run.vocab();
        let chars: Vec<String> = self
            .run
            .diag()
            .tokens
            .iter()
            .map(|&i| v.get(i as usize).map_or("?".into(), |&c| c.to_string()))
            .collect();
        js::strings(&chars)
    }

    /// Connectivity of `input` (its characters the model knows): `{chars, values, predicted,
    /// skipped, cut}`.
    pub fn connectivity(&self, input: &str) -> Result<JsValue, JsError> {
        let e = text::encode(&self.run, input).map_err(err)?;
        let (values, predicted) = text::connect(&self.run, &e).map_err(err)?;
        Ok(encoded_obj(&e)
            .set("values", js::f32s(&values))
            .set("predicted", predicted.to_string())
            .build())
    }

    /// `h_t` of every unit of `layer` at every character of `input`: `{chars, values
    /// [t·H + j], hidden, skipped, cut}`.
    pub fn activations(&self, input: &str, layer: usize) -> Result<JsValue, JsError> {
        let e = text::encode(&self.run, input).map_err(err)?;
        let values = text::activations(&self.run, &e, layer).map_err(err)?;
        Ok(encoded_obj(&e)
            .set("values", js::f32s(&values))
            .set("hidden", self.run.model().spec.hidden as u32)
            .build())
    }

    /// A text to look at: sampled (text model) or a fresh episode (symbol task).
    #[wasm_bindgen(js_name = sampleText)]
    pub fn sample_text(&self, len: usize, temperature: f32, seed: f64) -> Result<String, JsError> {
        text::sample_text(&self.run, len, temperature, seed as u64).map_err(err)
    }
}

fn encoded_obj(e: &text::Encoded) -> Obj {
    let chars: Vec<String> = e.chars.iter().map(char::to_string).collect();
    let skipped: String = e.skipped.iter().collect();
    Obj::new()
        .set("chars", js::strings(&chars))
        .set("skipped", skipped)
        .set("cut", e.cut)
}
