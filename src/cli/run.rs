//! What `rnnlab train` trains: a text or a synthetic task, behind one interface.

use rnnlab::core::series::session::SeriesSession;
use rnnlab::core::session::{TaskSession, TextSession};
use rnnlab::core::{Config, LossKind, Result, StepStats, Trainer};

/// Held-out characters scored for a text's validation loss.
const VAL_CHARS: usize = 50_000;
/// Fresh episodes scored for a task's held-out loss and accuracy.
const VAL_EPISODES: usize = 200;

/// A training run.
pub enum Run {
    Text(TextSession),
    Task(TaskSession),
    Series(SeriesSession),
}

/// A held-out score.
pub struct HeldOut {
    pub loss: f64,
    pub accuracy: Option<f64>,
    /// What was scored, e.g. "4606 held-out chars".
    pub on: String,
}

impl Run {
    pub fn trainer(&self) -> &Trainer {
        match self {
            Run::Text(s) => &s.trainer,
            Run::Task(s) => &s.trainer,
            Run::Series(s) => &s.trainer,
        }
    }

    pub fn trainer_mut(&mut self) -> &mut Trainer {
        match self {
            Run::Text(s) => &mut s.trainer,
            Run::Task(s) => &mut s.trainer,
            Run::Series(s) => &mut s.trainer,
        }
    }

    pub fn config(&self) -> &Config {
        match self {
            Run::Text(s) => &s.config,
            Run::Task(s) => &s.config,
            Run::Series(s) => &s.config,
        }
    }

    pub fn step(&mut self) -> Result<StepStats> {
        self.trainer_mut().step()
    }

    /// The model and its training state as a checkpoint file's bytes.
    pub fn save(&self) -> Result<Vec<u8>> {
        match self {
            Run::Text(s) => s.save(),
            Run::Task(s) => s.save(),
            Run::Series(s) => s.save(),
        }
    }

    /// Whether the run is a synthetic task (its accuracy is worth showing).
    pub fn is_task(&self) -> bool {
        matches!(self, Run::Task(_))
    }

    /// Unit of the loss, for the summary and the chart.
    pub fn loss_unit(&self) -> &'static str {
        match self.trainer().model.spec.loss {
            LossKind::CrossEntropy if !self.is_task() => "nats/char",
            LossKind::CrossEntropy => "nats",
            LossKind::Mse => "MSE",
        }
    }

    /// Validation loss on the held-out text, or on fresh episodes of the task.
    pub fn held_out(&self) -> Option<HeldOut> {
        match self {
            Run::Text(s) => {
                let n = s.val_ids.len().min(VAL_CHARS);
                s.val_loss(VAL_CHARS).map(|loss| HeldOut {
                    loss,
                    accuracy: None,
                    on: format!("{n} held-out chars"),
                })
            }
            Run::Task(s) => s.evaluate(VAL_EPISODES).ok().map(|(loss, acc)| HeldOut {
                loss,
                accuracy: Some(acc),
                on: format!("{VAL_EPISODES} fresh episodes"),
            }),
            Run::Series(s) => s.held_out_mse().map(|loss| HeldOut {
                loss,
                accuracy: None,
                on: format!(
                    "the last {} values, one step ahead",
                    s.series.values.len() - s.series.train_len
                ),
            }),
        }
    }

    /// Reference losses: `(name, loss)`.
    pub fn baselines(&self) -> Vec<(String, f64)> {
        match self {
            Run::Text(s) => vec![
                ("uniform ln V".into(), s.uniform),
                ("unigram".into(), s.unigram),
            ],
            Run::Task(s) => vec![(s.info.baseline_name.to_string(), s.info.baseline_loss)],
            Run::Series(s) => vec![("repeat the last value".into(), s.last_value_mse())],
        }
    }
}

impl Run {
    /// Two lines describing the run; `source` names the text file (and its size).
    pub fn describe(&self, source: &str) -> String {
        let (c, spec) = (self.config(), &self.trainer().model.spec);
        let cell = match spec.cell.name() {
            "rnn" => format!("rnn({})", spec.cell.nonlinearity()),
            n => n.to_string(),
        };
        let input = match (spec.embed, spec.vocab.len()) {
            (0, 0) => format!("{} real input(s)", spec.input_size),
            (0, v) => format!("one-hot over {v} symbols"),
            (e, v) => format!("embed {e} over {v} symbols"),
        };
        let clip = if c.clip > 0.0 {
            format!("clip {} {}", c.clip_mode, c.clip)
        } else {
            "no clipping".into()
        };
        let data = match self {
            Run::Text(s) => format!("on {source}, {} chars held out, seq-len {}", s.val_ids.len(), c.seq_len),
            Run::Task(s) => format!(
                "on the {} task (task-len {}, {} steps per episode; baseline {}: loss {:.4}, accuracy {:.1}%)",
                c.task,
                c.task_len,
                s.info.steps,
                s.info.baseline_name,
                s.info.baseline_loss,
                100.0 * s.info.baseline_accuracy
            ),
            Run::Series(s) => format!(
                "on column {:?} of {source} ({} values, the first {} for training; normalised with mean {:.6}, std {:.6}), seq-len {}",
                s.series.column,
                s.series.values.len(),
                s.series.train_len,
                s.series.norm.mean,
                s.series.norm.std,
                c.seq_len
            ),
        };
        format!(
            "training {cell}: {} layer(s) x {} hidden, {input}, {} parameters\n{data}, batch {}, {} lr {}, {clip}",
            spec.layers,
            spec.hidden,
            spec.param_count(),
            c.batch,
            c.optimizer,
            c.lr
        )
    }
}
