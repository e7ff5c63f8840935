//! A training session on a text: vocabulary, held-out split, model, trainer and baselines — what
//! both the CLI and the page build from a [`Config`] and a text.

use super::config::Config;
use super::data::{unigram_entropy, Streams, Vocab};
use super::error::{Error, Result};
use super::init::init_params;
use super::io;
use super::model::LossKind;
use super::model::{Model, ModelSpec};
use super::optim::Optimizer;
use super::rng::Rng;
use super::tasks::{Task, TaskInfo};
use super::trainer::{evaluate, forward_window, target_of, Snapshot, StepStats, Trainer};

/// A fresh character model for `config` and `vocab`, initialised from `config.seed`.
pub fn build_model(config: &Config, vocab: &Vocab) -> Result<Model> {
    config.validate()?;
    let spec = ModelSpec::chars(
        config.cell_kind()?,
        vocab.chars.clone(),
        config.hidden,
        config.layers,
        config.embed,
    )
    .with_remedies(config.residual, config.attention, config.seq_len);
    spec.validate()?;
    let mut rng = Rng::new(config.seed);
    let params = init_params(&spec, config.init_opts()?, &mut rng);
    Ok(Model { spec, params })
}

/// An optimizer for `model` from `config`.
pub fn build_optimizer(config: &Config, model: &Model) -> Result<Optimizer> {
    let sizes: Vec<usize> = model.params.slices().iter().map(|s| s.len()).collect();
    Ok(Optimizer::new(
        config.opt_kind()?,
        config.lr,
        config.weight_decay,
        &sizes,
    ))
}

/// Copies the settings that keep the model (learning rate, weight decay, clipping, momentum)
/// from `config` into `trainer`.
pub fn apply_live(config: &Config, trainer: &mut Trainer) {
    trainer.opt.lr = config.lr;
    trainer.opt.weight_decay = config.weight_decay;
    trainer.clip = config.clip_rule();
    if let super::optim::OptKind::Sgd { momentum } = &mut trainer.opt.kind {
        *momentum = config.momentum;
    }
}

/// A checkpoint of `trainer` trained with `config`, `held_out` characters of its text kept back.
fn save_checkpoint(trainer: &Trainer, config: &Config, held_out: usize) -> Result<Vec<u8>> {
    let checkpoint = io::Checkpoint {
        snapshot: &trainer.snapshot(),
        config: &config.to_query(),
        held_out,
    };
    io::save(&trainer.model, Some(&checkpoint))
}

/// Training on a text with a held-out tail for validation.
pub struct TextSession {
    pub config: Config,
    pub vocab: Vocab,
    pub trainer: Trainer,
    /// Held-out token ids (may be empty).
    pub val_ids: Vec<u32>,
    /// `ln V`: the loss of a uniform guess (nats/char).
    pub uniform: f64,
    /// Entropy of the training text's character frequencies (nats/char).
    pub unigram: f64,
}

impl TextSession {
    /// A new model on `text`; the last `val_fraction` of it is held out.
    pub fn new(config: &Config, text: &str, val_fraction: f64) -> Result<Self> {
        let vocab = Vocab::from_text(text)?;
        let model = build_model(config, &vocab)?;
        Self::with_model(config, model, text, val_fraction, None)
    }

    /// Continues training `model` (its vocabulary and sizes win over `config`) on `text`;
    /// a checkpoint snapshot resumes optimizer state, carried state and position too.
    pub fn with_model(
        config: &Config,
        model: Model,
        text: &str,
        val_fraction: f64,
        ckpt: Option<Snapshot>,
    ) -> Result<Self> {
        if text.is_empty() {
            return Err(Error::Data(
                "the text is empty: paste or load some text to learn from".into(),
            ));
        }
        let vocab = Vocab {
            chars: model.spec.vocab.clone(),
        };
        let ids = vocab.encode(text)?;
        let n_val = ((ids.len() as f64) * val_fraction.clamp(0.0, 0.5)) as usize;
        let (train, val) = ids.split_at(ids.len() - n_val);
        let streams = Streams::new(train.to_vec(), config.batch, config.seq_len)?;
        let opt = build_optimizer(config, &model)?;
        let uniform = (vocab.len() as f64).ln();
        let unigram = unigram_entropy(train, vocab.len());
        let mut trainer = Trainer::new(model, opt, config.clip_rule(), Box::new(streams));
        if let Some(s) = ckpt {
            trainer.restore(s)?;
        }
        Ok(TextSession {
            config: config.clone(),
            vocab,
            trainer,
            val_ids: val.to_vec(),
            uniform,
            unigram,
        })
    }

    /// One training step.
    pub fn step(&mut self) -> Result<StepStats> {
        self.trainer.step()
    }

    /// The model with its optimizer state, carried state, position, settings and held-out size,
    /// as a checkpoint file's bytes (a fresh session's is what training starts from).
    pub fn save(&self) -> Result<Vec<u8>> {
        save_checkpoint(&self.trainer, &self.config, self.val_ids.len())
    }

    /// Mean loss on (at most the first `max_chars` of) the held-out text, from a zero state.
    pub fn val_loss(&self, max_chars: usize) -> Option<f64> {
        let n = self.val_ids.len().min(max_chars);
        (n >= 2)
            .then(|| {
                evaluate(&self.trainer.model, &self.val_ids[..n], 100)
                    .map(|r| r.0)
                    .ok()
            })
            .flatten()
    }
}

/// Training on a synthetic task (`config.task` other than `text`).
pub struct TaskSession {
    pub config: Config,
    pub info: TaskInfo,
    pub trainer: Trainer,
}

impl TaskSession {
    /// A new model on the task named by `config.task`, episodes seeded from `config.seed`.
    pub fn new(config: &Config) -> Result<Self> {
        config.validate()?;
        let kind = config.task.synthetic().ok_or_else(|| {
            Error::config("task", config.task, "expected copy, adding, order or sine")
        })?;
        let task = Task::new(kind, config.task_len, config.batch, config.seed)?;
        let info = task.info.clone();
        let embed = if info.loss == LossKind::CrossEntropy {
            config.embed
        } else {
            0
        };
        let spec = ModelSpec {
            cell: config.cell_kind()?,
            input_size: info.input_size,
            hidden: config.hidden,
            layers: config.layers,
            embed,
            output_size: info.output_size,
            loss: info.loss,
            vocab: info.vocab.clone(),
            ..ModelSpec::chars(config.cell_kind()?, Vec::new(), 0, 0, 0)
        }
        .with_remedies(config.residual, config.attention, info.steps);
        spec.validate()?;
        let params = init_params(&spec, config.init_opts()?, &mut Rng::new(config.seed));
        let model = Model { spec, params };
        let opt = build_optimizer(config, &model)?;
        let trainer = Trainer::new(model, opt, config.clip_rule(), Box::new(task));
        Ok(TaskSession {
            config: config.clone(),
            info,
            trainer,
        })
    }

    /// One training step.
    pub fn step(&mut self) -> Result<StepStats> {
        self.trainer.step()
    }

    /// The model with its optimizer state, carried state, position and settings, as a checkpoint
    /// file's bytes.
    pub fn save(&self) -> Result<Vec<u8>> {
        save_checkpoint(&self.trainer, &self.config, 0)
    }

    /// Mean loss and accuracy on `episodes` fresh held-out episodes (a differently seeded generator).
    pub fn evaluate(&self, episodes: usize) -> Result<(f64, f64)> {
        let mut task = Task::new(
            self.info.kind,
            self.config.task_len,
            1,
            self.config.seed ^ 0x5eed_e7a1,
        )?;
        let m = &self.trainer.model;
        let (mut loss, mut acc) = (0.0, 0.0);
        for _ in 0..episodes.max(1) {
            let w = super::data::Source::next_window(&mut task);
            let tr = forward_window(m, &w, 1, &super::model::State::zeros(&m.spec, 1))?;
            let (l, _) = super::loss::loss_and_grad(
                m.spec.loss,
                &tr.logits,
                m.spec.output_size,
                target_of(&w),
            );
            loss += l as f64;
            acc += super::loss::accuracy(&tr.logits, m.spec.output_size, target_of(&w))
                .unwrap_or(0.0) as f64;
        }
        let n = episodes.max(1) as f64;
        Ok((loss / n, acc / n))
    }
}
