//! Running a text through a character model (batch 1, zero state) and keeping what it did: every
//! layer's `h` (and an LSTM's `c`) after every character, the loss of each next character and the
//! likeliest next characters.
//!
//! The gates are not kept: an LSTM's are four times its states, so a 20,000-character inspection
//! would hold 80 MB more. [`Inspection::step`] and [`Inspection::gate_series`] recompute them from
//! the stored states with the same kernels and cells as the forward pass, so they give the same
//! bits as [`Model::forward`].

use super::cell::{Cell, StepOut};
use super::error::{Error, Result};
use super::kernels::{add_bias, dot, gemm_nt};
use super::loss::{log_sum_exp, softmax};
use super::model::{Input, LossKind, Model, Residual, State, Trace};
use super::sample::top_k;

/// What a model did on a text: after reading character t (t = 0..n), per layer, its h (and c).
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    pub ids: Vec<u32>,
    pub layers: usize,
    pub hidden: usize,
    /// h after each character, per layer: `[l][t·H + j]`.
    pub h: Vec<Vec<f32>>,
    /// c after each character (LSTM only; empty vectors otherwise), `[l][t·H + j]`.
    pub c: Vec<Vec<f32>>,
    /// −log p(ids[t+1] | ids[..=t]) for t = 0..n−1 (nats), length n − 1.
    pub loss: Vec<f32>,
    /// The `top_k` likeliest next characters after each character, (id, probability), best first.
    pub top: Vec<Vec<(u32, f32)>>,
}

/// One step in full, for the step-through: the input vector `x_t` (one-hot, the embedding row,
/// or the layer below's h), `h_{t−1}`, `c_{t−1}` (LSTM; empty otherwise), the input and recurrent
/// parts of the gate pre-activations (`gi = W_ih x + b_ih`, `gh = W_hh h_{t−1} + b_hh`, `[G·H]` in
/// PyTorch's gate order), the gate activations `[G·H]`, and `c_t` (LSTM), `h_t`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepDetail {
    pub x: Vec<f32>,
    pub h_prev: Vec<f32>,
    pub c_prev: Vec<f32>,
    pub gi: Vec<f32>,
    pub gh: Vec<f32>,
    pub gates: Vec<f32>,
    pub c: Vec<f32>,
    pub h: Vec<f32>,
}

/// Characters forwarded at a time, carrying the state: memory stays at one chunk's trace, and
/// the results are the bits of one pass (every product's element is one dot product, whatever
/// the number of rows).
const CHUNK: usize = 1000;

/// Most characters one inspection reads.
pub const MAX_INSPECT_CHARS: usize = 1_000_000;

/// Most state values one inspection keeps (n × layers × H, twice for an LSTM): 512 MB of f32,
/// 524,288 characters of the default 128-unit LSTM.
pub const MAX_INSPECT_VALUES: usize = 1 << 27;

/// Runs `ids` through `model` from a zero state and keeps every state, the loss of every next
/// character and the `top_k` likeliest next characters after each one (`top_k` 0: none).
pub fn inspect(model: &Model, ids: &[u32], top_k: usize) -> Result<Inspection> {
    let mut job = Inspector::new(model, ids, top_k)?;
    while !job.advance(model, CHUNK)? {}
    Ok(job.ins)
}

/// An inspection made a piece at a time (a page spreads 20,000 characters over frames): the
/// same bits as [`inspect`] whatever the pieces, as long as every piece uses the same model.
pub struct Inspector {
    ins: Inspection,
    state: State,
    tr: Trace,
    top_k: usize,
    /// Characters read so far.
    done: usize,
}

impl Inspector {
    /// A job over `ids` (checked as [`inspect`] checks them); nothing read yet.
    pub fn new(model: &Model, ids: &[u32], top_k: usize) -> Result<Self> {
        check_text(model, ids)?;
        Ok(Inspector {
            ins: Inspection::new(model, ids),
            state: State::zeros(&model.spec, 1),
            tr: Trace::default(),
            top_k,
            done: 0,
        })
    }

    /// Reads up to `max_chars` more characters (at least one, at most a [`CHUNK`]); whether the
    /// whole text is read.
    pub fn advance(&mut self, model: &Model, max_chars: usize) -> Result<bool> {
        let (start, n) = (self.done, self.ins.ids.len());
        if start < n {
            let end = (start + max_chars.clamp(1, CHUNK)).min(n);
            // The ids are lent out while the inspection they belong to grows.
            let ids = std::mem::take(&mut self.ins.ids);
            let read = model.forward_into(
                Input::Tokens(&ids[start..end]),
                1,
                &self.state,
                &mut self.tr,
            );
            if read.is_ok() {
                self.ins.keep_states(&self.tr);
                let o = model.spec.output_size;
                self.ins
                    .keep_predictions(&self.tr, o, &ids[start + 1..], self.top_k);
                self.tr.final_state_into(&mut self.state);
                self.done = end;
            }
            self.ins.ids = ids;
            read?;
        }
        Ok(self.done >= n)
    }

    /// Characters read so far, of [`Inspector::len`].
    pub fn done(&self) -> usize {
        self.done
    }

    /// Characters to read in all.
    pub fn len(&self) -> usize {
        self.ins.ids.len()
    }

    /// Whether there is nothing to read (never: [`Inspector::new`] refuses an empty text).
    pub fn is_empty(&self) -> bool {
        self.ins.ids.is_empty()
    }

    /// The inspection, once [`Inspector::advance`] said the text is read.
    pub fn finish(self) -> Option<Inspection> {
        (self.done >= self.ins.ids.len()).then_some(self.ins)
    }
}

/// Refuses an empty text, a real-valued model and a text whose states would not fit in memory.
fn check_text(model: &Model, ids: &[u32]) -> Result<()> {
    let s = &model.spec;
    if s.loss != LossKind::CrossEntropy {
        return Err(Error::Data(
            "inspecting needs a character model (this one predicts real values)".into(),
        ));
    }
    if ids.is_empty() {
        return Err(Error::Data(
            "inspecting needs at least one character".into(),
        ));
    }
    if ids.len() > MAX_INSPECT_CHARS {
        return Err(Error::Data(format!(
            "the text is {} characters; inspecting reads at most {MAX_INSPECT_CHARS}",
            ids.len()
        )));
    }
    let states = if s.step_cell().has_cell_state() { 2 } else { 1 };
    let per_char = s.layers * s.hidden * states;
    if ids.len() * per_char > MAX_INSPECT_VALUES {
        return Err(Error::Data(format!(
            "the text is {} characters; inspecting keeps {per_char} values per character for this model ({} layers of {} units), so at most {} characters",
            ids.len(),
            s.layers,
            s.hidden,
            MAX_INSPECT_VALUES / per_char
        )));
    }
    Ok(())
}

impl Inspection {
    /// An inspection of `ids` with room for every state and nothing kept yet.
    fn new(model: &Model, ids: &[u32]) -> Self {
        let s = &model.spec;
        let n = ids.len();
        let cells = if s.step_cell().has_cell_state() {
            n * s.hidden
        } else {
            0
        };
        Inspection {
            ids: ids.to_vec(),
            layers: s.layers,
            hidden: s.hidden,
            h: vec![Vec::with_capacity(n * s.hidden); s.layers],
            c: vec![Vec::with_capacity(cells); s.layers],
            loss: Vec::with_capacity(n - 1),
            top: Vec::with_capacity(n),
        }
    }

    /// Characters read.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no character was read (never, for an inspection [`inspect`] made).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Appends every layer's h (and c) of a chunk's trace.
    fn keep_states(&mut self, tr: &Trace) {
        for ((lt, h), c) in tr.layers.iter().zip(&mut self.h).zip(&mut self.c) {
            h.extend_from_slice(lt.outputs());
            c.extend_from_slice(lt.cell_outputs());
        }
    }

    /// Appends a chunk's next-character losses (`next` holds the characters after the chunk's
    /// first, as far as the text goes) and its `k` likeliest next characters.
    fn keep_predictions(&mut self, tr: &Trace, o: usize, next: &[u32], k: usize) {
        for (t, z) in tr.logits.chunks_exact(o).enumerate() {
            if let Some(&y) = next.get(t) {
                self.loss.push(log_sum_exp(z) - z[y as usize]); // −log softmax(z)[y]
            }
            let best = if k == 0 {
                Vec::new()
            } else {
                let p = softmax(z, 1.0);
                top_k(&p, k)
                    .into_iter()
                    .map(|(i, q)| (i as u32, q))
                    .collect()
            };
            self.top.push(best);
        }
    }

    /// Checks that `model` is the one inspected (same sizes) and `layer`, `t` are in range.
    fn check_step(&self, model: &Model, layer: usize, t: usize) -> Result<()> {
        let s = &model.spec;
        if s.layers != self.layers || s.hidden != self.hidden {
            return Err(Error::shape(
                "inspection step",
                format!("a model of {} layers × {} units", self.layers, self.hidden),
                format!("{} layers × {}", s.layers, s.hidden),
            ));
        }
        if layer >= self.layers {
            return Err(Error::config(
                "layer",
                layer,
                format!("the model has layers 0..{}", self.layers),
            ));
        }
        if t >= self.len() {
            return Err(Error::config(
                "t",
                t,
                format!("the text has characters 0..{}", self.len()),
            ));
        }
        Ok(())
    }

    /// What the model held after reading character `t` (the zero state at t = −1), as the state
    /// to go on from.
    pub fn state_after(&self, t: isize) -> State {
        State {
            h: self.h.iter().map(|v| self.state_at(v, t)).collect(),
            c: self.c.iter().map(|v| self.state_at(v, t)).collect(),
        }
    }

    /// Slot `t` (`[t·H, (t+1)·H)`) of a per-character state buffer; zeros at t = −1, empty for an
    /// empty buffer (no cell state).
    fn state_at(&self, v: &[f32], t: isize) -> Vec<f32> {
        let hs = self.hidden;
        match (v.is_empty(), t) {
            (true, _) => Vec::new(),
            (false, -1) => vec![0.0; hs],
            (false, t) => v[t as usize * hs..(t as usize + 1) * hs].to_vec(),
        }
    }

    /// The input vector of `layer` at step `t`: the one-hot row or the embedding row of the
    /// character (layer 0), or the layer below's h.
    fn input_at(&self, model: &Model, layer: usize, t: usize) -> Vec<f32> {
        let s = &model.spec;
        let id = self.ids[t] as usize;
        match (layer, &model.params.embedding) {
            (0, None) => {
                let mut x = vec![0.0; s.input_size];
                x[id] = 1.0;
                x
            }
            (0, Some(e)) => e.row(id).to_vec(),
            (l, _) => self.below(model, l, t),
        }
    }

    /// What layer `l ≥ 1` reads at step `t`: the layer below's `h_t`, or with `residual=layers`
    /// `o_t = h_t + o_t` of the layer below it, summed in the forward pass's order.
    fn below(&self, model: &Model, l: usize, t: usize) -> Vec<f32> {
        let hs = self.hidden;
        let first = if model.spec.residual == Residual::Layers {
            0
        } else {
            l - 1
        };
        let mut o = vec![0.0; hs];
        for h in &self.h[first..l] {
            o.iter_mut().zip(&h[t * hs..]).for_each(|(o, h)| *o += h);
        }
        o
    }

    /// Step `t` of layer `layer`, recomputed from the stored states (not stored for every t: a
    /// 20,000-character LSTM inspection would otherwise hold every gate). h_prev/c_prev at t = 0
    /// are zeros.
    pub fn step(&self, model: &Model, layer: usize, t: usize) -> Result<StepDetail> {
        self.check_step(model, layer, t)?;
        let (s, p) = (&model.spec, &model.params.layers[layer]);
        let cell = s.step_cell();
        let (hs, gh_len, nin) = (s.hidden, cell.gates() * s.hidden, s.layer_input(layer));
        let mut d = StepDetail {
            x: self.input_at(model, layer, t),
            h_prev: self.state_at(&self.h[layer], t as isize - 1),
            c_prev: self.state_at(&self.c[layer], t as isize - 1),
            gi: vec![0.0; gh_len],
            gh: vec![0.0; gh_len],
            gates: vec![0.0; gh_len],
            c: vec![0.0; if cell.has_cell_state() { hs } else { 0 }],
            h: vec![0.0; hs],
        };
        let (w_ih, w_hh) = (p.w_ih.as_slice().unwrap(), p.w_hh.as_slice().unwrap());
        gemm_nt(1, gh_len, nin, &d.x, w_ih, &mut d.gi); // W_ih x
        add_bias(&mut d.gi, p.b_ih.as_slice().unwrap()); // + b_ih
        gemm_nt(1, gh_len, hs, &d.h_prev, w_hh, &mut d.gh); // W_hh h_{t−1}
        add_bias(&mut d.gh, p.b_hh.as_slice().unwrap()); // + b_hh
        let out = StepOut {
            act: &mut d.gates,
            h: &mut d.h,
            c: &mut d.c,
        };
        cell.forward(hs, &d.gi, &d.gh, &d.h_prev, &d.c_prev, out);
        Ok(d)
    }

    /// One gate's activation of one unit over the whole text (`[t]`), recomputed: for colouring
    /// the text by a gate. `gate` indexes the cell's gates in PyTorch order (RNN: 0 is h itself).
    pub fn gate_series(
        &self,
        model: &Model,
        layer: usize,
        gate: usize,
        unit: usize,
    ) -> Result<Vec<f32>> {
        self.check_step(model, layer, 0)?;
        let cell = model.spec.step_cell();
        if gate >= cell.gates() {
            return Err(Error::config(
                "gate",
                gate,
                format!(
                    "the {} cell has gates 0..{} ({})",
                    model.spec.cell.name(),
                    cell.gates(),
                    cell.gate_names().join(", ")
                ),
            ));
        }
        if unit >= self.hidden {
            return Err(Error::config(
                "unit",
                unit,
                format!("the layer has units 0..{}", self.hidden),
            ));
        }
        let unit_step = UnitStep::new(model, layer, unit);
        Ok((0..self.len())
            .map(|t| unit_step.gates(self, model, t)[gate])
            .collect())
    }
}

/// Most gates of a cell (the LSTM's four).
const MAX_GATES: usize = 4;

/// One unit's share of a layer's step: the cells are element-wise, so unit `j`'s gates follow from
/// its G rows of the weights (`g·H + j`, one per gate block) and its own previous state — a cell
/// step with `H = 1`, and each pre-activation is the same dot product as in the forward pass.
struct UnitStep<'a> {
    cell: &'static dyn Cell,
    layer: usize,
    unit: usize,
    /// The rows `g·H + j`: (w_ih row, b_ih, w_hh row, b_hh) per gate.
    rows: Vec<(&'a [f32], f32, &'a [f32], f32)>,
    /// `h_{−1}` (and `c_{−1}`): the zero state.
    zeros: Vec<f32>,
}

impl<'a> UnitStep<'a> {
    fn new(model: &'a Model, layer: usize, unit: usize) -> Self {
        let (s, p) = (&model.spec, &model.params.layers[layer]);
        let cell = s.step_cell();
        let (hs, nin) = (s.hidden, s.layer_input(layer));
        let (w_ih, w_hh) = (p.w_ih.as_slice().unwrap(), p.w_hh.as_slice().unwrap());
        let rows = (0..cell.gates())
            .map(|g| {
                let r = g * hs + unit;
                let w_ih_r = &w_ih[r * nin..(r + 1) * nin];
                (w_ih_r, p.b_ih[r], &w_hh[r * hs..(r + 1) * hs], p.b_hh[r])
            })
            .collect();
        UnitStep {
            cell,
            layer,
            unit,
            rows,
            zeros: vec![0.0; hs],
        }
    }

    /// Slot `t − 1` of a per-character state buffer: the zero state at t = 0, empty for an empty
    /// buffer (no cell state).
    fn prev<'b>(&'b self, v: &'b [f32], t: usize) -> &'b [f32] {
        let hs = self.zeros.len();
        match (v.is_empty(), t) {
            (true, _) => &[],
            (false, 0) => &self.zeros,
            (false, t) => &v[(t - 1) * hs..t * hs],
        }
    }

    /// The unit's G gate activations at step `t` (`[..G]`), from the stored states.
    fn gates(&self, ins: &Inspection, model: &Model, t: usize) -> [f32; MAX_GATES] {
        let (j, l) = (self.unit, self.layer);
        let h_prev = self.prev(&ins.h[l], t);
        let c_prev = self.prev(&ins.c[l], t);
        let id = ins.ids[t] as usize;
        let below;
        // The layer's input x_t; None for one-hot, whose product picks a column as the forward does.
        let x = match (l, &model.params.embedding) {
            (0, None) => None,
            (0, Some(e)) => {
                let w = model.spec.embed;
                Some(&e.as_slice().unwrap()[id * w..(id + 1) * w])
            }
            (l, _) => {
                below = ins.below(model, l, t);
                Some(&below[..])
            }
        };
        let (mut gi, mut gh) = ([0.0f32; MAX_GATES], [0.0f32; MAX_GATES]);
        for (g, &(w_ih, b_ih, w_hh, b_hh)) in self.rows.iter().enumerate() {
            let xi = match x {
                Some(x) => dot(w_ih, x),
                None => w_ih[id],
            };
            gi[g] = xi + b_ih; // (W_ih x + b_ih)[g·H + j]
            gh[g] = dot(w_hh, h_prev) + b_hh; // (W_hh h_{t−1} + b_hh)[g·H + j]
        }
        let g = self.rows.len();
        let (mut act, mut h, mut c) = ([0.0f32; MAX_GATES], [0.0f32], [0.0f32]);
        let c_j = c_prev.get(j..j + 1).unwrap_or(&[]);
        let out = StepOut {
            act: &mut act[..g],
            h: &mut h,
            c: &mut c[..c_j.len()],
        };
        self.cell
            .forward(1, &gi[..g], &gh[..g], &h_prev[j..j + 1], c_j, out);
        act
    }
}
