//! One training run of the lab: a task or text session plus what the teaching views plot
//! over training (loss, accuracy, gradient norms, clipping) and a ring of the latest steps'
//! gradient-flow profiles.

use crate::core::average::Ema;
use crate::core::config::Config;
use crate::core::diag::{Diagnose, Diagnostics};
use crate::core::error::{Error, Result};
use crate::core::model::{LossKind, Model};
use crate::core::session::{apply_live, TaskSession, TextSession};
use crate::core::tasks::TaskType;
use crate::core::trainer::Trainer;
use crate::core::StepStats;
use crate::web::check_text;
use std::collections::VecDeque;

/// Steps of `‖∂L_T/∂h_t‖` profiles kept for the flow heatmap.
pub const FLOW_RING: usize = 300;
/// Share of a text held out (unused by the lab's views but kept out of training).
const VAL_FRACTION: f64 = 0.05;

/// What a run trains on.
pub enum Session {
    Task(TaskSession),
    Text(TextSession),
}

/// One step as plotted.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    pub step: f64,
    pub loss: f64,
    pub loss_smooth: f64,
    /// NaN when the step has no accuracy.
    pub acc: f64,
    pub acc_smooth: f64,
    pub grad_norm: f64,
    pub grad_norm_clipped: f64,
    pub clipped: bool,
}

/// One step's figures as the trainer reported them (what a [`Point`] is made from).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Raw {
    pub step: f64,
    pub loss: f64,
    /// NaN when the step has no accuracy.
    pub acc: f64,
    pub grad_norm: f64,
    pub grad_norm_clipped: f64,
    pub clipped: bool,
}

/// What a copy of a run that trains elsewhere (the page's worker, see [`super::sync`]) shows
/// in place of its own trainer's: the steps, the data cursor and the latest diagnostics.
pub struct Mirrored {
    pub steps: u64,
    pub cursor: usize,
    pub diag: Box<Diagnostics>,
}

/// A run and its history.
pub struct Run {
    pub session: Session,
    pub points: Vec<Point>,
    /// `(step, ‖∂L_T/∂h_t‖ of the top layer for t = 0..T)` of the latest steps.
    pub flow: VecDeque<(u64, Vec<f32>)>,
    /// Row 0 of the state carried into the latest window, per layer (`h`, and `c` for LSTM).
    pub h_in: Vec<Vec<f32>>,
    pub c_in: Vec<Vec<f32>>,
    pub diverged: bool,
    /// Set in a copy that mirrors a run training elsewhere.
    pub mirror: Option<Mirrored>,
    loss_ema: Ema,
    acc_ema: Ema,
}

impl Run {
    /// A fresh run for `config`: the task it names, or `text` when the task is `text`.
    pub fn new(config: &Config, text: &str) -> Result<Self> {
        let session = if config.task == TaskType::Text {
            check_text(text)?;
            Session::Text(TextSession::new(config, text, VAL_FRACTION)?)
        } else {
            Session::Task(TaskSession::new(config)?)
        };
        Ok(Run {
            session,
            points: Vec::new(),
            flow: VecDeque::with_capacity(FLOW_RING),
            h_in: Vec::new(),
            c_in: Vec::new(),
            diverged: false,
            mirror: None,
            loss_ema: Ema::new(Ema::CURVE),
            acc_ema: Ema::new(Ema::CURVE),
        })
    }

    /// The settings and the trainer, whatever the run trains on.
    fn parts(&self) -> (&Config, &Trainer) {
        match &self.session {
            Session::Task(s) => (&s.config, &s.trainer),
            Session::Text(s) => (&s.config, &s.trainer),
        }
    }

    fn parts_mut(&mut self) -> (&mut Config, &mut Trainer) {
        match &mut self.session {
            Session::Task(s) => (&mut s.config, &mut s.trainer),
            Session::Text(s) => (&mut s.config, &mut s.trainer),
        }
    }

    pub fn trainer(&self) -> &Trainer {
        self.parts().1
    }

    fn trainer_mut(&mut self) -> &mut Trainer {
        self.parts_mut().1
    }

    pub fn config(&self) -> &Config {
        self.parts().0
    }

    pub fn model(&self) -> &Model {
        &self.trainer().model
    }

    pub fn model_mut(&mut self) -> &mut Model {
        &mut self.trainer_mut().model
    }

    /// The latest step's diagnostics (the mirrored ones in a copy).
    pub fn diag(&self) -> &Diagnostics {
        match &self.mirror {
            Some(m) => &m.diag,
            None => self.trainer().diagnostics(),
        }
    }

    pub fn steps(&self) -> u64 {
        self.mirror
            .as_ref()
            .map_or_else(|| self.trainer().steps(), |m| m.steps)
    }

    /// The data source's position (windows read).
    pub fn cursor(&self) -> usize {
        self.mirror
            .as_ref()
            .map_or_else(|| self.trainer().source().cursor(), |m| m.cursor)
    }

    /// The characters of a token model (empty for real-valued tasks).
    pub fn vocab(&self) -> &[char] {
        &self.model().spec.vocab
    }

    pub fn is_real(&self) -> bool {
        self.model().spec.loss == LossKind::Mse
    }

    /// `(loss, accuracy, name)` of the memoryless or chance baseline; for text the uniform
    /// guess `ln V` (accuracy: the most frequent character is not tracked, so NaN).
    pub fn baseline(&self) -> (f64, f64, String) {
        match &self.session {
            Session::Task(s) => (
                s.info.baseline_loss,
                s.info.baseline_accuracy,
                s.info.baseline_name.to_string(),
            ),
            Session::Text(s) => (s.uniform, f64::NAN, "uniform guess ln V".into()),
        }
    }

    /// The unigram entropy of a text (NaN for tasks).
    pub fn unigram(&self) -> f64 {
        match &self.session {
            Session::Text(s) => s.unigram,
            Session::Task(_) => f64::NAN,
        }
    }

    /// One training step; `diag` collects the teaching diagnostics (and a flow profile).
    pub fn step(&mut self, diag: bool) -> Result<StepStats> {
        if diag {
            let hs = self.model().spec.hidden;
            let st = self.trainer().state();
            let row0 = |v: &Vec<f32>| v.get(..hs).map_or_else(Vec::new, <[f32]>::to_vec);
            let (h, c) = (
                st.h.iter().map(row0).collect(),
                st.c.iter().map(row0).collect(),
            );
            (self.h_in, self.c_in) = (h, c);
        }
        self.trainer_mut().diagnose = if diag { Diagnose::Full } else { Diagnose::Off };
        let res = self.trainer_mut().step();
        self.trainer_mut().diagnose = Diagnose::Full;
        let st = match res {
            Ok(st) => st,
            Err(e) => {
                self.diverged = matches!(e, Error::Diverged { .. });
                return Err(e);
            }
        };
        self.diverged = false;
        if diag && st.reset {
            self.h_in.iter_mut().for_each(|v| v.fill(0.0));
            self.c_in.iter_mut().for_each(|v| v.fill(0.0));
        }
        self.record(Raw {
            step: st.step as f64,
            loss: f64::from(st.loss),
            acc: st.accuracy.map_or(f64::NAN, f64::from),
            grad_norm: f64::from(st.grad_norm),
            grad_norm_clipped: f64::from(st.grad_norm_clipped),
            clipped: st.clipped,
        });
        if diag {
            if let Some(top) = self.diag().dh_last.last().cloned() {
                self.push_flow(st.step, top);
            }
        }
        Ok(st)
    }

    /// Adds a step to the history, with the smoothed loss and accuracy.
    pub fn record(&mut self, r: Raw) {
        self.points.push(Point {
            step: r.step,
            loss: r.loss,
            loss_smooth: self.loss_ema.push(r.loss),
            acc: r.acc,
            acc_smooth: if r.acc.is_nan() {
                f64::NAN
            } else {
                self.acc_ema.push(r.acc)
            },
            grad_norm: r.grad_norm,
            grad_norm_clipped: r.grad_norm_clipped,
            clipped: r.clipped,
        });
    }

    /// Adds a step's `‖∂L_T/∂h_t‖` profile of the top layer to the flow ring.
    pub fn push_flow(&mut self, step: u64, profile: Vec<f32>) {
        if self.flow.len() == FLOW_RING {
            self.flow.pop_front();
        }
        self.flow.push_back((step, profile));
    }

    /// Back to the last good snapshot; forgets the history after it. Returns its step.
    pub fn rollback(&mut self) -> u64 {
        let step = self.trainer_mut().rollback();
        self.forget_after(step);
        self.diverged = false;
        step
    }

    /// Forgets the history after `step` (a roll-back), smoothing the rest afresh.
    pub fn forget_after(&mut self, step: u64) {
        self.points.retain(|p| p.step <= step as f64);
        self.flow.retain(|f| f.0 <= step);
        let (mut l, mut a) = (Ema::new(Ema::CURVE), Ema::new(Ema::CURVE));
        for p in &mut self.points {
            p.loss_smooth = l.push(p.loss);
            if !p.acc.is_nan() {
                p.acc_smooth = a.push(p.acc);
            }
        }
        (self.loss_ema, self.acc_ema) = (l, a);
    }

    /// Sets a setting that keeps the model and applies it to the trainer.
    pub fn set_live(&mut self, key: &str, value: &str) -> Result<()> {
        let (config, trainer) = self.parts_mut();
        config.set_live(key, value)?;
        apply_live(config, trainer);
        Ok(())
    }

    /// Copies the settings that keep the model (learning rate, clipping, momentum, weight
    /// decay) from the config into the trainer (after a roll-back brought back old ones).
    pub fn apply_live(&mut self) {
        let (config, trainer) = self.parts_mut();
        apply_live(config, trainer);
    }

    pub fn smooth_loss(&self) -> f64 {
        self.loss_ema.value()
    }

    pub fn smooth_acc(&self) -> f64 {
        self.acc_ema.value()
    }

    /// Mean accuracy of the last `n` steps (NaN without accuracies).
    pub fn recent_acc(&self, n: usize) -> f64 {
        let v: Vec<f64> = self
            .points
            .iter()
            .rev()
            .take(n)
            .map(|p| p.acc)
            .filter(|a| !a.is_nan())
            .collect();
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    }

    /// Fraction of clipped steps among the last `n` (all when `n` is 0).
    pub fn clipped_fraction(&self, n: usize) -> f64 {
        let k = if n == 0 { self.points.len() } else { n };
        let recent: Vec<&Point> = self.points.iter().rev().take(k).collect();
        if recent.is_empty() {
            return f64::NAN;
        }
        recent.iter().filter(|p| p.clipped).count() as f64 / recent.len() as f64
    }
}

/// Flow statistics of one `‖∂L_T/∂h_t‖` profile (`t = 0..T`, the loss at `T−1`).
#[derive(Clone, Copy, Debug)]
pub struct FlowStats {
    /// Geometric mean of `‖∂L/∂h_{t−1}‖ / ‖∂L/∂h_t‖` over the window.
    pub shrink: f64,
    /// `‖∂L/∂h_{T−1}‖ / ‖∂L/∂h_0‖`: how far the gradient falls across the whole lag.
    pub fall: f64,
}

pub fn flow_stats(norms: &[f32]) -> FlowStats {
    let mut logs = 0.0;
    let mut n = 0usize;
    for w in norms.windows(2) {
        let (a, b) = (f64::from(w[0]), f64::from(w[1]));
        if a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() {
            logs += (a / b).ln();
            n += 1;
        }
    }
    let shrink = if n > 0 {
        (logs / n as f64).exp()
    } else {
        f64::NAN
    };
    let fall = match (norms.first(), norms.last()) {
        (Some(&a), Some(&b)) if a > 0.0 => f64::from(b) / f64::from(a),
        (Some(_), Some(_)) => f64::INFINITY,
        _ => f64::NAN,
    };
    FlowStats { shrink, fall }
}
