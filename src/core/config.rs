//! The one place where every setting and its default lives.
//!
//! A [`Config`] round-trips through `key=value` pairs: the page's URL hash is
//! `#cell=lstm&hidden=128&…` and the CLI flag for a key is `--key` (e.g. `--seq-len 25`).

use super::error::{Error, Result};
use super::init::{InitKind, InitOpts};
use super::model::{CellKind, MAX_HIDDEN, MAX_LAYERS};
use super::optim::{Clip, OptKind};

/// Largest sequence length (T) and batch (B) accepted.
pub const MAX_SEQ_LEN: usize = 1000;
pub const MAX_BATCH: usize = 512;

/// Model and training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `rnn`, `lstm` or `gru`.
    pub cell: String,
    /// `tanh` or `relu` (vanilla RNN only).
    pub nonlinearity: String,
    pub hidden: usize,
    pub layers: usize,
    /// Embedding width; 0 = one-hot input.
    pub embed: usize,
    pub seq_len: usize,
    pub batch: usize,
    /// `adam`, `sgd`, `rmsprop` or `adagrad`.
    pub optimizer: String,
    pub lr: f32,
    /// SGD momentum (0 = plain SGD).
    pub momentum: f32,
    pub weight_decay: f32,
    /// Clipping threshold; 0 turns clipping off.
    pub clip: f32,
    /// `norm` (global L2 norm) or `value`.
    pub clip_mode: String,
    /// `pytorch`, `orthogonal` or `identity`.
    pub init: String,
    /// Gain of the orthogonal or identity recurrent init.
    pub gain: f32,
    /// LSTM forget-gate bias; negative means "leave PyTorch's default".
    pub forget_bias: f32,
    pub seed: u64,
    /// `text`, or a synthetic task: `copy`, `adding`, `order`, `sine`.
    pub task: String,
    /// The task's lag (copy) or sequence length (adding, order, sine).
    pub task_len: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cell: "lstm".into(),
            nonlinearity: "tanh".into(),
            hidden: 128,
            layers: 1,
            embed: 0,
            seq_len: 25,
            batch: 1,
            optimizer: "adam".into(),
            lr: 2e-3,
            momentum: 0.0,
            weight_decay: 0.0,
            clip: 5.0,
            clip_mode: "norm".into(),
            init: "pytorch".into(),
            gain: 1.0,
            forget_bias: 1.0,
            seed: 42,
            task: "text".into(),
            task_len: 20,
        }
    }
}

/// Every key, in the order [`Config::pairs`] emits them.
pub const KEYS: &[&str] = &[
    "cell",
    "nonlinearity",
    "hidden",
    "layers",
    "embed",
    "seq-len",
    "batch",
    "optimizer",
    "lr",
    "momentum",
    "weight-decay",
    "clip",
    "clip-mode",
    "init",
    "gain",
    "forget-bias",
    "seed",
    "task",
    "task-len",
];

fn num<T: std::str::FromStr>(key: &str, v: &str) -> Result<T> {
    v.trim()
        .parse::<T>()
        .map_err(|_| Error::config(key, v, "not a number"))
}

fn range<T: PartialOrd + std::fmt::Display + Copy>(key: &str, v: T, lo: T, hi: T) -> Result<T> {
    if v >= lo && v <= hi {
        Ok(v)
    } else {
        Err(Error::config(
            key,
            v,
            format!("must be between {lo} and {hi}"),
        ))
    }
}

fn finite(key: &str, v: f32, lo: f32, hi: f32) -> Result<f32> {
    if v.is_finite() {
        range(key, v, lo, hi)
    } else {
        Err(Error::config(key, v, "must be a finite number"))
    }
}

fn one_of(key: &str, v: &str, allowed: &[&str]) -> Result<String> {
    if allowed.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(Error::config(
            key,
            v,
            format!("expected one of {}", allowed.join(", ")),
        ))
    }
}

impl Config {
    /// Sets one key from its text form, validating the value.
    pub fn set(&mut self, key: &str, v: &str) -> Result<()> {
        match key {
            "cell" => self.cell = one_of(key, v, &["rnn", "lstm", "gru"])?,
            "nonlinearity" => self.nonlinearity = one_of(key, v, &["tanh", "relu"])?,
            "hidden" => self.hidden = range(key, num(key, v)?, 1, MAX_HIDDEN)?,
            "layers" => self.layers = range(key, num(key, v)?, 1, MAX_LAYERS)?,
            "embed" => self.embed = range(key, num(key, v)?, 0, MAX_HIDDEN)?,
            "seq-len" => self.seq_len = range(key, num(key, v)?, 1, MAX_SEQ_LEN)?,
            "batch" => self.batch = range(key, num(key, v)?, 1, MAX_BATCH)?,
            "optimizer" => self.optimizer = one_of(key, v, &["adam", "sgd", "rmsprop", "adagrad"])?,
            "lr" => self.lr = finite(key, num(key, v)?, 1e-7, 100.0)?,
            "momentum" => self.momentum = finite(key, num(key, v)?, 0.0, 0.999)?,
            "weight-decay" => self.weight_decay = finite(key, num(key, v)?, 0.0, 10.0)?,
            "clip" => self.clip = finite(key, num(key, v)?, 0.0, 1e6)?,
            "clip-mode" => self.clip_mode = one_of(key, v, &["norm", "value"])?,
            "init" => self.init = one_of(key, v, &["pytorch", "orthogonal", "identity"])?,
            "gain" => self.gain = finite(key, num(key, v)?, 0.0, 10.0)?,
            "forget-bias" => self.forget_bias = finite(key, num(key, v)?, -1.0, 10.0)?,
            "seed" => self.seed = num(key, v)?,
            "task" => self.task = one_of(key, v, &["text", "copy", "adding", "order", "sine"])?,
            "task-len" => self.task_len = range(key, num(key, v)?, 1, super::tasks::MAX_TASK_LEN)?,
            _ => {
                return Err(Error::config(
                    key,
                    v,
                    format!("unknown setting; known: {}", KEYS.join(", ")),
                ))
            }
        }
        Ok(())
    }

    /// Every setting as `(key, value)` text, in [`KEYS`] order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let vals = [
            self.cell.clone(),
            self.nonlinearity.clone(),
            self.hidden.to_string(),
            self.layers.to_string(),
            self.embed.to_string(),
            self.seq_len.to_string(),
            self.batch.to_string(),
            self.optimizer.clone(),
            self.lr.to_string(),
            self.momentum.to_string(),
            self.weight_decay.to_string(),
            self.clip.to_string(),
            self.clip_mode.clone(),
            self.init.clone(),
            self.gain.to_string(),
            self.forget_bias.to_string(),
            self.seed.to_string(),
            self.task.clone(),
            self.task_len.to_string(),
        ];
        KEYS.iter().copied().zip(vals).collect()
    }

    /// `key=value&key=value…` (the URL hash without `#`).
    pub fn to_query(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parses a query; bad or unknown entries are skipped and reported, the rest applied over the
    /// defaults. Never fails: a garbage URL hash gives the defaults plus notices.
    pub fn from_query(q: &str) -> (Config, Vec<String>) {
        let mut c = Config::default();
        let mut notes = Vec::new();
        for part in q
            .trim_start_matches('#')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            match part.split_once('=') {
                Some((k, v)) => {
                    if let Err(e) = c.set(k, v) {
                        notes.push(e.to_string());
                    }
                }
                None => notes.push(format!("ignored {part:?}: expected key=value")),
            }
        }
        (c, notes)
    }

    /// Parses a query strictly: the first bad or unknown entry is an error naming it (for
    /// settings the user just typed, where silently falling back would hide a mistake).
    pub fn from_query_strict(q: &str) -> Result<Config> {
        let mut c = Config::default();
        for part in q
            .trim_start_matches('#')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| Error::config(part, "", "expected key=value"))?;
            c.set(k, v)?;
        }
        c.validate()?;
        Ok(c)
    }

    /// The cell kind.
    pub fn cell_kind(&self) -> Result<CellKind> {
        CellKind::parse(&self.cell, &self.nonlinearity)
    }

    /// The optimizer's update rule.
    pub fn opt_kind(&self) -> Result<OptKind> {
        Ok(match self.optimizer.as_str() {
            "sgd" => OptKind::Sgd {
                momentum: self.momentum,
            },
            "adam" => OptKind::Adam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
            },
            "rmsprop" => OptKind::RmsProp {
                alpha: 0.99,
                eps: 1e-8,
            },
            "adagrad" => OptKind::Adagrad { eps: 1e-10 },
            o => {
                return Err(Error::config(
                    "optimizer",
                    o,
                    "expected adam, sgd, rmsprop or adagrad",
                ))
            }
        })
    }

    /// The clipping rule.
    pub fn clip_rule(&self) -> Clip {
        match (self.clip > 0.0, self.clip_mode.as_str()) {
            (false, _) => Clip::None,
            (true, "value") => Clip::Value(self.clip),
            (true, _) => Clip::Norm(self.clip),
        }
    }

    /// The initialisation settings.
    pub fn init_opts(&self) -> Result<InitOpts> {
        let kind = match self.init.as_str() {
            "pytorch" => InitKind::Pytorch,
            "orthogonal" => InitKind::Orthogonal,
            "identity" => InitKind::Identity,
            o => {
                return Err(Error::config(
                    "init",
                    o,
                    "expected pytorch, orthogonal or identity",
                ))
            }
        };
        Ok(InitOpts {
            kind,
            gain: self.gain,
            forget_bias: (self.forget_bias >= 0.0).then_some(self.forget_bias),
        })
    }

    /// Re-validates every field (for configs built in code rather than parsed).
    pub fn validate(&self) -> Result<()> {
        let mut c = Config::default();
        for (k, v) in self.pairs() {
            c.set(k, &v)?;
        }
        self.cell_kind()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip_and_garbage() {
        let mut c = Config::default();
        c.set("cell", "gru").unwrap();
        c.set("lr", "0.0125").unwrap();
        c.set("seq-len", "40").unwrap();
        c.set("seed", "7").unwrap();
        let (back, notes) = Config::from_query(&format!("#{}", c.to_query()));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back, c);
        let (g, notes) = Config::from_query("#%%%&hidden=1e99&cell=banana&layers=2");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert_eq!(g.layers, 2);
        assert_eq!(g.hidden, Config::default().hidden);
        assert!(notes[1].contains("hidden"));
    }

    #[test]
    fn strict_query_names_the_first_bad_entry() {
        let c = Config::from_query_strict("#cell=gru&hidden=64").unwrap();
        assert_eq!((c.cell.as_str(), c.hidden), ("gru", 64));
        let e = Config::from_query_strict("cell=gru&hidden=lots")
            .unwrap_err()
            .to_string();
        assert!(e.contains("hidden"), "{e}");
        assert!(Config::from_query_strict("nonsense").is_err());
    }

    #[test]
    fn absurd_sizes_are_rejected_with_the_setting_named() {
        let mut c = Config::default();
        let e = c.set("hidden", "1000000").unwrap_err().to_string();
        assert!(e.contains("hidden") && e.contains("4096"), "{e}");
        let e = c.set("seq-len", "0").unwrap_err().to_string();
        assert!(e.contains("seq-len"), "{e}");
        assert!(c.set("lr", "NaN").is_err());
    }
}
