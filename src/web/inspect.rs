//! Looking inside the playground's model on a text: the model reads it from a zero state (a copy
//! of the model as it was: training goes on meanwhile), a slice per frame, and then answers what
//! each character cost, what it predicted, every unit's state, one step in full with its
//! equations, which units track a feature, what a prediction looked at, and the path of the
//! hidden state.

use super::equations::StepNumbers;
use std::cell::RefCell;

use super::types::{Floats, GateColumn, InspectPoint, InspectText, StepColumns, UnitScore};
use super::Clock;
use crate::core::error::{Error, Result};
use crate::core::inspect::{Inspection, Inspector};
use crate::core::model::Model;
use crate::core::neurons::{features::Feature, rank_units};
use crate::core::pca::{pca_sampled, Projection};
use crate::core::saliency::saliency_from;
use crate::render::{LineChart, Series, Trajectory};

/// Most characters the page inspects: 20,000 (about 3 MB of states for the default model).
pub const MAX_CHARS: usize = 20_000;
/// Characters read per slice between two looks at the clock.
const SLICE: usize = 250;
/// The saliency reads this many characters before a position, from the stored state there: a
/// character model's gradient has faded by then, and one look stays near 40 ms in the browser
/// (the CLI's `saliency` reads the whole text).
const SALIENCY_REACH: usize = 300;
/// States the trajectory's components are fitted on at most (evenly spaced; every state is
/// projected): 20,000 would take 85 ms in the browser, 2,000 take 9.
const PCA_FIT: usize = 2000;
/// Points the trajectory draws at most (each costs a canvas call or two): a longer text shows
/// every k-th character.
const TRAJECTORY_POINTS: usize = 4000;
/// Next characters kept per position.
const TOP: usize = 5;
/// Units a neuron search lists.
const RANKED: usize = 12;

/// The groups the trajectory colours its points by.
const CLASSES: [&str; 5] = [
    "letter",
    "space",
    "newline",
    "punctuation",
    "digit or other",
];

fn class(c: char) -> usize {
    match c {
        c if c.is_alphabetic() => 0,
        '\n' => 2,
        c if c.is_whitespace() => 1,
        c if c.is_ascii_punctuation() => 3,
        _ => 4,
    }
}

/// A text being read, or read, by a copy of the model.
pub struct Inspect {
    chars: Vec<char>,
    /// The model of the finished reading (`done`); every answer uses it.
    model: Model,
    /// A reading under way, with the model it reads with.
    job: Option<(Inspector, Model)>,
    done: Option<Inspection>,
    projection: Option<Projection>,
    /// The latest saliency asked for, by position (the colouring and the chart both ask).
    salient: RefCell<Option<(usize, Floats)>>,
}

impl Inspect {
    /// The characters of `text` that `model` knows (at most [`MAX_CHARS`]), to be read from the
    /// next [`Inspect::advance`]; what was left out is reported.
    pub fn new(model: &Model, text: &str) -> Result<(Self, InspectText)> {
        let vocab = &model.spec.vocab;
        let (mut chars, mut skipped) = (Vec::new(), String::new());
        let mut cut = false;
        for c in text.chars() {
            match vocab.contains(&c) {
                true if chars.len() < MAX_CHARS => chars.push(c),
                true => cut = true,
                false if !skipped.contains(c) => skipped.push(c),
                false => {}
            }
        }
        if chars.is_empty() {
            let why = if text.is_empty() {
                "type or paste a text to look at".to_string()
            } else {
                format!("none of its characters is one the model knows (skipped: {skipped})")
            };
            return Err(Error::Data(format!("nothing to inspect: {why}")));
        }
        let info = InspectText {
            chars: chars.iter().map(char::to_string).collect(),
            skipped,
            cut,
            limit: MAX_CHARS as u32,
        };
        let mut view = Inspect {
            chars,
            model: model.clone(),
            job: None,
            done: None,
            projection: None,
            salient: RefCell::new(None),
        };
        view.restart(model)?;
        Ok((view, info))
    }

    /// Reads the same text again with `model` as it is now (the answers so far stay until then).
    pub fn restart(&mut self, model: &Model) -> Result<()> {
        let ids: Vec<u32> = (self.chars.iter())
            .map(|c| model.spec.vocab.iter().position(|v| v == c).unwrap_or(0) as u32)
            .collect();
        self.job = Some((Inspector::new(model, &ids, TOP)?, model.clone()));
        Ok(())
    }

    /// Reads for about `budget_ms` (a slice at least); whether the text is read. The answers
    /// switch to the new reading when it is complete.
    pub fn advance(&mut self, budget_ms: f64, now: Clock) -> Result<bool> {
        let Some((job, model)) = self.job.as_mut() else {
            return Ok(true);
        };
        let t0 = now();
        while !job.advance(model, SLICE)? {
            if now() - t0 >= budget_ms {
                return Ok(false);
            }
        }
        let (job, model) = self.job.take().expect("a reading under way");
        (self.done, self.model) = (job.finish(), model);
        self.projection = None;
        self.salient.take();
        Ok(true)
    }

    /// Whether a reading is under way, and how far: `(read, of)`.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(|(j, _)| (j.done(), j.len()))
    }

    fn ready(&self) -> Result<&Inspection> {
        self.done
            .as_ref()
            .ok_or_else(|| Error::Data("the model is still reading the text".into()))
    }

    /// Every character's surprise: the loss of predicting it from the ones before (NaN for the
    /// first, which nothing predicts).
    pub fn surprise(&self) -> Result<Floats> {
        let ins = self.ready()?;
        Ok(std::iter::once(f32::NAN)
            .chain(ins.loss.iter().copied())
            .collect())
    }

    /// Character `t`: its surprise and the likeliest characters after it.
    pub fn point(&self, t: usize) -> Result<InspectPoint> {
        let ins = self.ready()?;
        let c = *self
            .chars
            .get(t)
            .ok_or_else(|| out_of_text(t, self.chars.len()))?;
        let vocab = &self.model.spec.vocab;
        let top = ins.top[t]
            .iter()
            .map(|&(i, p)| (vocab[i as usize].to_string(), f64::from(p)));
        Ok(InspectPoint {
            t: t as u32,
            char: c.to_string(),
            surprise: t
                .checked_sub(1)
                .map_or(f64::NAN, |s| f64::from(ins.loss[s])),
            top: top.collect(),
        })
    }

    /// The columns of step `t` of `layer`: input, state before, gates, state after.
    pub fn columns(&self, layer: usize, t: usize) -> Result<StepColumns> {
        let d = self.ready()?.step(&self.model, layer, t)?;
        let hs = d.h.len();
        let names = self.model.spec.cell.cell().gate_names();
        let gates = if names.len() > 1 {
            let block = |k: usize| Floats(d.gates[k * hs..(k + 1) * hs].to_vec());
            let col = |(k, &name)| GateColumn {
                name,
                values: block(k),
            };
            names.iter().enumerate().map(col).collect()
        } else {
            Vec::new()
        };
        let c = self.chars[t];
        let (input, x_labels) = if layer == 0 {
            let vocab = &self.model.spec.vocab;
            let labels = if self.model.params.embedding.is_some() {
                (0..d.x.len()).map(|k| format!("e[{k}]")).collect()
            } else {
                vocab
                    .iter()
                    .map(|&v| super::equations::show_char(v))
                    .collect()
            };
            (format!("“{}”", super::equations::show_char(c)), labels)
        } else {
            let labels = (0..d.x.len())
                .map(|j| format!("h{j} of layer {layer}"))
                .collect();
            (format!("h\u{209c} of layer {layer}"), labels)
        };
        Ok(StepColumns {
            t: t as u32,
            steps: self.chars.len() as u32,
            input,
            x: Floats(d.x),
            x_labels,
            h_prev: Floats(d.h_prev),
            c_prev: Floats(d.c_prev),
            gates,
            c: Floats(d.c),
            h: Floats(d.h),
            dh: Floats::default(),
        })
    }

    /// The cell's equations for `unit` at step `t` of `layer`, filled in.
    pub fn equations(&self, layer: usize, t: usize, unit: usize) -> Result<Vec<String>> {
        let d = self.ready()?.step(&self.model, layer, t)?;
        let numbers = StepNumbers {
            gi: d.gi,
            gh: d.gh,
            gates: d.gates,
            h: d.h,
            h_prev: d.h_prev,
            c: d.c,
            c_prev: d.c_prev,
            dh: None,
        };
        let spec = &self.model.spec;
        numbers.equations(spec.cell, spec.residual, layer, t, unit)
    }

    /// One unit's value at every character: `which` is `h`, `c` (LSTM) or a gate's name.
    pub fn unit(&self, layer: usize, which: &str, unit: usize) -> Result<Floats> {
        let ins = self.ready()?;
        let hs = ins.hidden;
        if layer >= ins.layers || unit >= hs {
            let why = format!("the model has {} layers of {hs} units", ins.layers);
            return Err(Error::config("unit", format!("{}:{unit}", layer + 1), why));
        }
        let column = |v: &[f32]| Floats(v.iter().skip(unit).step_by(hs).copied().collect());
        let names = self.model.spec.cell.cell().gate_names();
        match which {
            "h" => Ok(column(&ins.h[layer])),
            "c" if !ins.c[layer].is_empty() => Ok(column(&ins.c[layer])),
            g => match names
                .iter()
                .position(|n| *n == g)
                .filter(|_| names.len() > 1)
            {
                Some(k) => Ok(Floats(ins.gate_series(&self.model, layer, k, unit)?)),
                None => Err(Error::config(
                    "state",
                    g,
                    "expected h, c (LSTM) or a gate's name",
                )),
            },
        }
    }

    /// The units whose h follows `feature` (a feature's name, or its values per character) most
    /// closely, by |Pearson r|.
    pub fn rank(&self, feature: FeatureOf) -> Result<Vec<UnitScore>> {
        let ins = self.ready()?;
        let values = match feature {
            FeatureOf::Named(name) => {
                let f = Feature::from_name(name).ok_or_else(|| {
                    let known = Feature::NAMES.join(", ");
                    Error::config("feature", name, format!("expected one of {known}"))
                })?;
                f.values(&self.chars.iter().collect::<String>())
            }
            FeatureOf::Values(v) if v.len() == self.chars.len() => v.to_vec(),
            FeatureOf::Values(v) => {
                let why = format!("needs one value per character ({})", self.chars.len());
                return Err(Error::config("feature", v.len(), why));
            }
        };
        let scores = rank_units(ins, &values, RANKED);
        Ok(scores
            .into_iter()
            .map(|s| UnitScore {
                layer: s.layer as u32,
                unit: s.unit as u32,
                r: s.r,
            })
            .collect())
    }

    /// What the prediction after character `t` looked at: `‖∂ log p(next)/∂x_s‖` for the
    /// characters s up to t (the last [`SALIENCY_REACH`] of them; earlier ones are NaN).
    pub fn saliency(&self, t: usize) -> Result<Floats> {
        if let Some((at, s)) = self.salient.borrow().as_ref() {
            if *at == t {
                return Ok(s.clone());
            }
        }
        let ins = self.ready()?;
        let next = *ins.ids.get(t + 1).ok_or_else(|| {
            Error::config(
                "position",
                t,
                "the last character has no next one to predict",
            )
        })?;
        let from = (t + 1).saturating_sub(SALIENCY_REACH);
        let state = ins.state_after(from as isize - 1);
        let s = saliency_from(&self.model, &state, &ins.ids[from..=t], next)?;
        let s: Floats = std::iter::repeat_n(f32::NAN, from).chain(s).collect();
        *self.salient.borrow_mut() = Some((t, s.clone()));
        Ok(s)
    }

    /// The saliency of position `t` against distance (1 = the character itself), log scale.
    pub fn saliency_chart(&self, t: usize) -> Result<LineChart> {
        let s = self.saliency(t)?;
        let points = (s.0.iter().enumerate().rev())
            .map(|(i, &v)| ((t - i + 1) as f64, f64::from(v)))
            .collect();
        Ok(LineChart {
            series: vec![Series {
                name: format!(
                    "predicting “{}”",
                    super::equations::show_char(self.chars[t + 1])
                ),
                points,
                color: None,
            }],
            x_label: "distance back (1 = the character just read)".into(),
            y_label: "‖∂ log p / ∂xₛ‖".into(),
            log_y: true,
            ..LineChart::default()
        })
    }

    /// The path of the top layer's h over the text, on its first two principal components,
    /// coloured by character class, with character `highlight` ringed.
    pub fn trajectory(&mut self, highlight: Option<usize>) -> Result<Trajectory> {
        let ins = self.ready()?;
        let p = match &self.projection {
            Some(p) => p,
            None => {
                self.projection
                    .insert(pca_sampled(&ins.h[ins.layers - 1], ins.hidden, 2, PCA_FIT))
            }
        };
        let pct = |k: usize| 100.0 * p.explained.get(k).copied().unwrap_or(0.0);
        // Every step-th character (and the highlighted one) is drawn.
        let n = self.chars.len();
        let step = n.div_ceil(TRAJECTORY_POINTS).max(1);
        let shown: Vec<usize> = (0..n)
            .filter(|&i| i % step == 0 || Some(i) == highlight)
            .collect();
        let which = match step {
            1 => String::new(),
            _ => format!("; every {} of {n} characters", ordinal(step)),
        };
        Ok(Trajectory {
            points: (shown.iter())
                .map(|&i| (f64::from(p.coords[2 * i]), f64::from(p.coords[2 * i + 1])))
                .collect(),
            group: shown.iter().map(|&i| class(self.chars[i])).collect(),
            groups: CLASSES.iter().map(|s| s.to_string()).collect(),
            highlight: highlight.and_then(|h| shown.iter().position(|&i| i == h)),
            x_label: format!(
                "first principal component ({:.0}% of the variance{which})",
                pct(0)
            ),
            y_label: format!("second ({:.0}%)", pct(1)),
            ..Trajectory::default()
        })
    }
}

/// A feature to rank the units by: a name the core knows, or values from the page (a regular
/// expression's matches, a brushed span).
pub enum FeatureOf<'a> {
    Named(&'a str),
    Values(&'a [f32]),
}

fn out_of_text(t: usize, n: usize) -> Error {
    Error::config("position", t, format!("the text has characters 0..{n}"))
}

/// 2nd, 3rd, 5th, 11th, 21st…
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests;
