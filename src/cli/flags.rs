//! One `--key value` flag per setting of [`Config`] (the core validates the values), and the
//! `[default: …]` notes in `--help`, taken from `Config::default()` so they never drift.

use super::Outcome;
use clap::{Args, Command};
use rnnlab::core::Config;

/// The model and training settings. The config key `init` is spelled `--init-scheme` here,
/// because `--init` names a model file to start from.
#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Model and training settings")]
pub struct ConfigFlags {
    /// Recurrent cell: rnn, lstm or gru
    #[arg(long, value_name = "CELL")]
    pub cell: Option<String>,
    /// Nonlinearity of the vanilla RNN: tanh or relu
    #[arg(long, value_name = "FN")]
    pub nonlinearity: Option<String>,
    /// Hidden units per layer
    #[arg(long, value_name = "N")]
    pub hidden: Option<String>,
    /// Stacked recurrent layers
    #[arg(long, value_name = "N")]
    pub layers: Option<String>,
    /// Embedding width (0 = one-hot input)
    #[arg(long, value_name = "N")]
    pub embed: Option<String>,
    /// Characters per truncated-BPTT window (T)
    #[arg(long, value_name = "T")]
    pub seq_len: Option<String>,
    /// Parallel streams per step (B)
    #[arg(long, value_name = "B")]
    pub batch: Option<String>,
    /// Optimizer: adam, sgd, rmsprop or adagrad
    #[arg(long, value_name = "OPT")]
    pub optimizer: Option<String>,
    /// Learning rate
    #[arg(long, value_name = "X")]
    pub lr: Option<String>,
    /// SGD momentum (0 = plain SGD)
    #[arg(long, value_name = "X")]
    pub momentum: Option<String>,
    /// L2 weight decay added to the gradient
    #[arg(long, value_name = "X")]
    pub weight_decay: Option<String>,
    /// Gradient clipping threshold (0 = off)
    #[arg(long, value_name = "X")]
    pub clip: Option<String>,
    /// Clipping mode: norm (global L2 norm) or value (per entry)
    #[arg(long, value_name = "MODE")]
    pub clip_mode: Option<String>,
    /// Weight initialisation: pytorch, orthogonal or identity (the config key `init`)
    #[arg(long, value_name = "SCHEME")]
    pub init_scheme: Option<String>,
    /// Gain of the orthogonal or identity recurrent initialisation
    #[arg(long, value_name = "X")]
    pub gain: Option<String>,
    /// LSTM forget-gate bias (negative = PyTorch's default)
    #[arg(long, value_name = "X")]
    pub forget_bias: Option<String>,
    /// Seed of the weight initialisation (and of a task's episodes)
    #[arg(long, value_name = "N")]
    pub seed: Option<String>,
    /// What to learn: text (from --text), or a synthetic task: copy, adding, order or sine
    #[arg(long, value_name = "TASK")]
    pub task: Option<String>,
    /// The task's lag (copy) or sequence length (adding, order, sine)
    #[arg(long, value_name = "N")]
    pub task_len: Option<String>,
}

/// The CLI flag of a config key.
pub fn flag_of(key: &str) -> &str {
    if key == "init" {
        "init-scheme"
    } else {
        key
    }
}

impl ConfigFlags {
    /// The value given for each config key (`None` when the flag was absent).
    pub fn given(&self) -> Vec<(&'static str, Option<&str>)> {
        let v = [
            ("cell", &self.cell),
            ("nonlinearity", &self.nonlinearity),
            ("hidden", &self.hidden),
            ("layers", &self.layers),
            ("embed", &self.embed),
            ("seq-len", &self.seq_len),
            ("batch", &self.batch),
            ("optimizer", &self.optimizer),
            ("lr", &self.lr),
            ("momentum", &self.momentum),
            ("weight-decay", &self.weight_decay),
            ("clip", &self.clip),
            ("clip-mode", &self.clip_mode),
            ("init", &self.init_scheme),
            ("gain", &self.gain),
            ("forget-bias", &self.forget_bias),
            ("seed", &self.seed),
            ("task", &self.task),
            ("task-len", &self.task_len),
        ];
        v.into_iter().map(|(k, o)| (k, o.as_deref())).collect()
    }

    /// `Config::default()` with every given flag applied through the core's validation.
    pub fn config(&self) -> Outcome<Config> {
        let mut c = Config::default();
        for (k, v) in self.given() {
            if let Some(v) = v {
                c.set(k, v)
                    .map_err(|e| super::Fail(format!("--{}: {e}", flag_of(k))))?;
            }
        }
        Ok(c)
    }
}

/// Appends `[default: …]` from `Config::default()` to the help of every config flag of `train`.
pub fn with_default_help(cmd: Command) -> Command {
    cmd.mut_subcommand("train", |mut sub| {
        for (k, v) in Config::default().pairs() {
            let id = flag_of(k).replace('-', "_");
            // A key added to the core without a flag here must not break the CLI (the tests
            // check that every key has its flag).
            if !sub.get_arguments().any(|a| a.get_id() == id.as_str()) {
                continue;
            }
            sub = sub.mut_arg(id, |a| {
                let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                a.help(format!("{help} [default: {v}]"))
            });
        }
        sub
    })
}
