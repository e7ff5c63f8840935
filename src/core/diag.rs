//! Teaching diagnostics, cheap enough for every step: hidden states and gates of the window,
//! `‖∂L/∂h_t‖` per layer and step (for the whole window's loss and for the last step's loss
//! alone), the largest singular value of each `W_hh`, and the fraction of saturated units;
//! [`Diagnose`] says how much of it a step records.

use super::data::{Window, WindowTarget};
use super::kernels::{dot, norm};
use super::loss::{denominator, loss_sum_and_grad_into};
use super::model::{BackwardRecord, Model, Trace};
use super::saliency::saliency;
use super::trainer::{last_step_target, target_of};
use ndarray::Array2;

/// What a training step records besides training ([`super::trainer::Trainer::diagnose`]).
/// None of it changes a bit of the training itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Diagnose {
    /// Nothing: the fastest step.
    Off,
    /// Batch row 0's tokens, states and gates over the window, read off the forward pass that
    /// training makes anyway (the playground's heatmap); the rest of [`Diagnostics`] is empty.
    States,
    /// All of [`Diagnostics`]: also the gradient norms through time (one more backward pass
    /// without weight gradients), saturation and `σ_max` (the lab).
    #[default]
    Full,
}

/// Diagnostics of the latest step, for batch row 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostics {
    /// Steps T of the window.
    pub steps_t: usize,
    /// Hidden size H.
    pub hidden: usize,
    /// Gate names in PyTorch order (`["h"]`, `["i","f","g","o"]`, `["r","z","n"]`).
    pub gate_names: Vec<&'static str>,
    /// Input tokens of batch row 0 (empty for real-valued inputs).
    pub tokens: Vec<u32>,
    /// `h_t` per layer, time-major `[l][t·H + j]`.
    pub hidden_states: Vec<Vec<f32>>,
    /// `c_t` per layer (LSTM; empty otherwise), `[l][t·H + j]`.
    pub cell_states: Vec<Vec<f32>>,
    /// Gate activations per layer, `[l][t·G·H + g·H + j]`.
    pub gates: Vec<Vec<f32>>,
    /// Input part of the gate pre-activations, `x·w_ihᵀ + b_ih`, `[l][t·G·H + g·H + j]`.
    pub gi: Vec<Vec<f32>>,
    /// Recurrent part, `h_{t−1}·w_hhᵀ + b_hh`, `[l][t·G·H + g·H + j]`.
    pub gh: Vec<Vec<f32>>,
    /// `∂L/∂h_t` vectors of the window loss for batch row 0, `[l][t·H + j]`.
    pub dh_vectors: Vec<Vec<f32>>,
    /// `‖∂L/∂h_t‖` for the whole window's loss, `[l][t]` (norm over the batch).
    pub dh_total: Vec<Vec<f32>>,
    /// `‖∂L_T/∂h_t‖` for the loss of the last step only, `[l][t]`.
    pub dh_last: Vec<Vec<f32>>,
    /// Largest singular value of each layer's `W_hh` (all gate blocks stacked).
    pub sigma_max: Vec<f32>,
    /// Fraction of nonlinearity outputs in their flat tails over the window, per layer.
    pub saturation: Vec<f32>,
}

impl Diagnostics {
    /// Gathers the diagnostics of a step from its forward trace and total-loss gradient norms.
    pub fn collect(
        model: &Model,
        tr: &Trace,
        w: &Window,
        total: BackwardRecord,
        power: &mut PowerIteration,
    ) -> Self {
        let last_n = last_step_denominator(w, tr.batch, model.spec.output_size);
        let batch = BatchDiag::of(model, tr, w, &total.dh_norms, last_n);
        Self::assemble(model, tr, total.dh_row0, batch, power)
    }

    /// The diagnostics from batch row 0's trace `tr` (with its `∂L/∂h_t` vectors `dh_row0`) and
    /// the parts that span the whole batch.
    pub fn assemble(
        model: &Model,
        tr: &Trace,
        dh_row0: Vec<Vec<f32>>,
        batch: BatchDiag,
        power: &mut PowerIteration,
    ) -> Self {
        Diagnostics {
            dh_vectors: dh_row0,
            dh_total: batch.dh_total,
            dh_last: batch.dh_last,
            sigma_max: model
                .params
                .layers
                .iter()
                .enumerate()
                .map(|(l, p)| power.sigma(l, &p.w_hh, 3))
                .collect(),
            saturation: batch
                .saturation
                .iter()
                .map(|&(sat, tot)| sat as f32 / tot.max(1) as f32)
                .collect(),
            ..Self::states(model, tr)
        }
    }

    /// Only what batch row 0's forward trace `tr` holds ([`Diagnose::States`]): tokens, states,
    /// gates and their two pre-activation parts; the gradient norms, `σ_max` and saturation
    /// are left empty.
    pub fn states(model: &Model, tr: &Trace) -> Self {
        let (hs, b) = (model.spec.hidden, tr.batch);
        let cell = model.spec.step_cell();
        let gh = cell.gates() * hs;
        // Batch row 0 of every step of a `[T·B·width]` buffer, as `[T·width]`.
        let row0 = |v: &[f32], width: usize| -> Vec<f32> {
            v.chunks_exact(b.max(1) * width)
                .flat_map(|step| &step[..width])
                .copied()
                .collect()
        };
        Diagnostics {
            steps_t: tr.steps_t,
            hidden: hs,
            gate_names: cell.gate_names().to_vec(),
            tokens: tr.tokens.iter().step_by(b.max(1)).copied().collect(),
            hidden_states: tr.layers.iter().map(|l| row0(l.outputs(), hs)).collect(),
            cell_states: tr
                .layers
                .iter()
                .map(|l| row0(l.cell_outputs(), hs))
                .collect(),
            gates: tr.layers.iter().map(|l| row0(&l.act, gh)).collect(),
            gi: tr.layers.iter().map(|l| row0(&l.gi, gh)).collect(),
            gh: tr.layers.iter().map(|l| row0(&l.gh, gh)).collect(),
            ..Self::default()
        }
    }
}

/// What the last step's mean loss of a window of `b` streams divides by (see
/// [`super::loss::denominator`]).
pub fn last_step_denominator(w: &Window, b: usize, o: usize) -> usize {
    let last = Window {
        target: last_step_target(w, b),
        ..w.clone()
    };
    denominator(target_of(&last), target_rows(w, o), o)
}

/// T·B: the rows of a window's targets (`o` outputs per row).
pub fn target_rows(w: &Window, o: usize) -> usize {
    match &w.target {
        WindowTarget::Tokens(t) => t.len(),
        WindowTarget::Real { y, .. } => y.len() / o.max(1),
    }
}

/// The diagnostics that span the whole batch: gradient norms over all streams and saturation
/// counts. Shards of a batch compute theirs for their own streams; [`BatchDiag::combine`]
/// makes the batch's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchDiag {
    /// `‖∂L/∂h_t‖` of the window loss, `[l][t]`.
    pub dh_total: Vec<Vec<f32>>,
    /// `‖∂L_T/∂h_t‖` of the last step's loss, `[l][t]`.
    pub dh_last: Vec<Vec<f32>>,
    /// `(saturated, all)` nonlinearity outputs per layer.
    pub saturation: Vec<(usize, usize)>,
}

impl BatchDiag {
    /// The streams of `tr` (window `w`), with the window loss's norms `dh_total`; `last_n` is
    /// [`last_step_denominator`] of the whole batch.
    pub fn of(model: &Model, tr: &Trace, w: &Window, dh_total: &[Vec<f32>], last_n: usize) -> Self {
        let hs = model.spec.hidden;
        let cell = model.spec.cell.cell();
        let last = Window {
            target: last_step_target(w, tr.batch),
            ..w.clone()
        };
        let mut d = Vec::new();
        let o = model.spec.output_size;
        loss_sum_and_grad_into(
            model.spec.loss,
            &tr.logits,
            o,
            target_of(&last),
            last_n,
            &mut d,
        );
        BatchDiag {
            dh_total: dh_total.to_vec(),
            dh_last: model.backward(tr, &d, None),
            saturation: tr
                .layers
                .iter()
                .map(|l| cell.saturation(hs, &l.act, l.outputs()))
                .collect(),
        }
    }

    /// The whole batch's from its shards' in shard order: norms `√Σ‖·‖²` (in f64), counts
    /// added. One part is returned as it is.
    pub fn combine(mut parts: Vec<BatchDiag>) -> BatchDiag {
        if parts.len() == 1 {
            return parts.pop().unwrap();
        }
        let norms = |pick: fn(&BatchDiag) -> &Vec<Vec<f32>>| -> Vec<Vec<f32>> {
            let first = pick(&parts[0]);
            (0..first.len())
                .map(|l| {
                    (0..first[l].len())
                        .map(|t| {
                            let sq: f64 =
                                parts.iter().map(|p| (pick(p)[l][t] as f64).powi(2)).sum();
                            sq.sqrt() as f32
                        })
                        .collect()
                })
                .collect()
        };
        BatchDiag {
            dh_total: norms(|p| &p.dh_total),
            dh_last: norms(|p| &p.dh_last),
            saturation: (0..parts[0].saturation.len())
                .map(|l| {
                    parts.iter().fold((0, 0), |(s, a), p| {
                        (s + p.saturation[l].0, a + p.saturation[l].1)
                    })
                })
                .collect(),
        }
    }
}

/// Power iteration for the largest singular value, warm-started from the previous step's vector
/// so a few iterations per step track it as training moves the weights.
#[derive(Clone, Debug)]
pub struct PowerIteration {
    v: Vec<Vec<f32>>,
}

impl PowerIteration {
    /// Start vectors (all ones, normalised) for every layer, then converge once.
    pub fn new(model: &Model) -> Self {
        let hs = model.spec.hidden;
        let mut p = PowerIteration {
            v: vec![vec![1.0 / (hs as f32).sqrt(); hs]; model.spec.layers],
        };
        for (l, layer) in model.params.layers.iter().enumerate() {
            p.sigma(l, &layer.w_hh, 30);
        }
        p
    }

    /// σ_max of `w` (`[rows, H]`) after `iters` more iterations for layer `l`.
    pub fn sigma(&mut self, l: usize, w: &Array2<f32>, iters: usize) -> f32 {
        let (rows, cols) = w.dim();
        let ws = w.as_slice().expect("contiguous");
        let v = &mut self.v[l];
        let mut u = vec![0.0f32; rows];
        let mut sigma = 0.0;
        for _ in 0..iters.max(1) {
            for (i, ui) in u.iter_mut().enumerate() {
                *ui = dot(&ws[i * cols..(i + 1) * cols], v); // u = W v
            }
            sigma = norm(&u) as f32;
            let mut nv = vec![0.0f32; cols];
            for (i, ui) in u.iter().enumerate() {
                super::kernels::axpy(*ui, &ws[i * cols..(i + 1) * cols], &mut nv);
                // Wᵀ u
            }
            let n = norm(&nv) as f32;
            if n == 0.0 || !n.is_finite() {
                return sigma;
            }
            for (a, b) in v.iter_mut().zip(&nv) {
                *a = b / n;
            }
        }
        sigma
    }
}

/// Connectivity as in Distill's "Memorization in RNNs": for inputs `ids` (batch 1, zero state),
/// `‖∂(−log p(ŷ_T))/∂x_t‖` for every step t, where ŷ_T is the most likely next character after
/// the last input and `x_t` is the layer-0 input (one-hot or embedding). Shows which earlier
/// characters the prediction at the end depends on: the [`saliency`] of the model's own guess.
pub fn connectivity(model: &Model, ids: &[u32]) -> super::error::Result<Vec<f32>> {
    let spec = &model.spec;
    if ids.is_empty() {
        return Err(super::error::Error::Data(
            "connectivity needs at least one character".into(),
        ));
    }
    let tr = model.forward(
        super::model::Input::Tokens(ids),
        1,
        &super::model::State::zeros(spec, 1),
    )?;
    let o = spec.output_size;
    let t = ids.len();
    let best = super::sample::argmax(&tr.logits[(t - 1) * o..t * o]) as u32;
    saliency(model, ids, best)
}
