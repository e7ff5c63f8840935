//! A training session on a text: vocabulary, held-out split, model, trainer and baselines — what
//! both the CLI and the page build from a [`Config`] and a text.

use super::config::Config;
use super::data::{unigram_entropy, Streams, Vocab};
use super::error::{Error, Result};
use super::init::init_params;
use super::model::{Model, ModelSpec};
use super::optim::Optimizer;
use super::rng::Rng;
use super::trainer::{evaluate, Snapshot, StepStats, Trainer};

/// A fresh character model for `config` and `vocab`, initialised from `config.seed`.
pub fn build_model(config: &Config, vocab: &Vocab) -> Result<Model> {
    config.validate()?;
    let spec = ModelSpec::chars(config.cell_kind()?, vocab.chars.clone(), config.hidden, config.layers, config.embed);
    spec.validate()?;
    let mut rng = Rng::new(config.seed);
    let params = init_params(&spec, config.init_opts()?, &mut rng);
    Ok(Model { spec, params })
}

/// An optimizer for `model` from `config`.
pub fn build_optimizer(config: &Config, model: &Model) -> Result<Optimizer> {
    let sizes: Vec<usize> = model.params.slices().iter().map(|s| s.len()).collect();
    Ok(Optimizer::new(config.opt_kind()?, config.lr, config.weight_decay, &sizes))
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
    pub fn with_model(config: &Config, model: Model, text: &str, val_fraction: f64, ckpt: Option<Snapshot>) -> Result<Self> {
        if text.is_empty() {
            return Err(Error::Data("the text is empty: paste or load some text to learn from".into()));
        }
        let vocab = Vocab { chars: model.spec.vocab.clone() };
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
        Ok(TextSession { config: config.clone(), vocab, trainer, val_ids: val.to_vec(), uniform, unigram })
    }

    /// One training step.
    pub fn step(&mut self) -> Result<StepStats> {
        self.trainer.step()
    }

    /// Mean loss on (at most the first `max_chars` of) the held-out text, from a zero state.
    pub fn val_loss(&self, max_chars: usize) -> Option<f64> {
        let n = self.val_ids.len().min(max_chars);
        (n >= 2).then(|| evaluate(&self.trainer.model, &self.val_ids[..n], 100).map(|r| r.0).ok()).flatten()
    }
}
