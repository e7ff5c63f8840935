//! Running the model over a typed or sampled text (batch 1, zero state): its connectivity
//! (how much the prediction after the last character depends on each earlier one) and the
//! activation of every unit at every character.

use super::run::{Run, Session};
use crate::core::data::{Source, WindowInput};
use crate::core::diag;
use crate::core::error::{Error, Result};
use crate::core::model::{Input, State};
use crate::core::sample::{argmax, sample, SampleOpts};
use crate::core::tasks::Task;
use crate::web::types::{Floats, TextRun};

/// Longest text the views run the model over.
pub const MAX_CHARS: usize = 2000;

/// A text reduced to the model's characters.
struct Encoded {
    pub ids: Vec<u32>,
    pub chars: Vec<char>,
    /// Distinct characters left out (not in the vocabulary).
    pub skipped: Vec<char>,
    /// Whether the text was cut to [`MAX_CHARS`].
    pub cut: bool,
}

fn needs_chars(run: &Run) -> Result<()> {
    if run.is_real() {
        return Err(Error::Data(
            "this task feeds real numbers, not characters: pick copy, order or text to type into the model".into(),
        ));
    }
    Ok(())
}

fn encode(run: &Run, text: &str) -> Result<Encoded> {
    needs_chars(run)?;
    let vocab = run.vocab();
    let (mut ids, mut chars, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    let mut cut = false;
    for c in text.chars() {
        match vocab.iter().position(|&v| v == c) {
            Some(i) if ids.len() < MAX_CHARS => {
                ids.push(i as u32);
                chars.push(c);
            }
            Some(_) => cut = true,
            None if !skipped.contains(&c) => skipped.push(c),
            None => {}
        }
    }
    if ids.is_empty() {
        let some: String = vocab.iter().take(20).collect();
        return Err(Error::Data(format!(
            "none of these characters is one the model knows (it knows: {some}{})",
            if vocab.len() > 20 { "…" } else { "" }
        )));
    }
    Ok(Encoded {
        ids,
        chars,
        skipped,
        cut,
    })
}

impl Encoded {
    /// What the model read, with `values` per character (`hidden` each).
    fn run(self, values: Vec<f32>, hidden: usize, predicted: String) -> TextRun {
        TextRun {
            chars: self.chars.iter().map(char::to_string).collect(),
            values: Floats(values),
            hidden: hidden as u32,
            predicted,
            skipped: self.skipped.iter().collect(),
            cut: self.cut,
        }
    }
}

/// Connectivity of every character of `input`, and the character predicted after the last one.
pub fn connectivity(run: &Run, input: &str) -> Result<TextRun> {
    let e = encode(run, input)?;
    let m = run.model();
    let values = diag::connectivity(m, &e.ids)?;
    let tr = m.forward(Input::Tokens(&e.ids), 1, &State::zeros(&m.spec, 1))?;
    let o = m.spec.output_size;
    let t = e.ids.len();
    let best = argmax(&tr.logits[(t - 1) * o..t * o]);
    let predicted = run.vocab().get(best).copied().unwrap_or('?');
    Ok(e.run(values, 1, predicted.to_string()))
}

/// `h_t` of `layer` for every character of `input`, `[t·H + j]`.
pub fn activations(run: &Run, input: &str, layer: usize) -> Result<TextRun> {
    let e = encode(run, input)?;
    let m = run.model();
    if layer >= m.spec.layers {
        return Err(Error::config(
            "layer",
            layer + 1,
            format!("the model has {} layers", m.spec.layers),
        ));
    }
    let tr = m.forward(Input::Tokens(&e.ids), 1, &State::zeros(&m.spec, 1))?;
    let values = tr.layers[layer].outputs().to_vec();
    Ok(e.run(values, m.spec.hidden, String::new()))
}

/// A text to look at: sampled from a text model, or a fresh episode of a symbol task.
pub fn sample_text(run: &Run, len: usize, temperature: f32, seed: u64) -> Result<String> {
    needs_chars(run)?;
    match &run.session {
        Session::Text(_) => {
            let opts = SampleOpts {
                len: len.clamp(1, MAX_CHARS),
                temperature,
                greedy: false,
                top_k: 0,
                seed,
            };
            Ok(sample(run.model(), "", opts)?.text)
        }
        Session::Task(s) => {
            let kind = s
                .config
                .task
                .synthetic()
                .ok_or_else(|| Error::config("task", s.config.task, "not a synthetic task"))?;
            let mut task = Task::new(kind, s.config.task_len, 1, seed)?;
            let w = task.next_window();
            let WindowInput::Tokens(ids) = w.input else {
                return Err(Error::Data("this task's inputs are not symbols".into()));
            };
            Ok(ids
                .iter()
                .map(|&i| s.info.vocab.get(i as usize).copied().unwrap_or('?'))
                .collect())
        }
    }
}
