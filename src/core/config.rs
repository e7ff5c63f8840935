//! The one place where every setting and its default lives.
//!
//! A [`Config`] round-trips through `key=value` pairs: the page's URL hash is
//! `#cell=lstm&hidden=128&…` and the CLI flag for a key is `--key` (e.g. `--seq-len 25`).

use super::cell::Activation;
use super::error::{Error, Result};
use super::init::{InitKind, InitOpts};
use super::model::{Attention, CellKind, CellType, ModelSpec, Residual, MAX_HIDDEN, MAX_LAYERS};
use super::optim::{Clip, ClipMode, OptKind, OptimizerType};
use super::settings::{settings, Group, Live};
use super::tasks::{TaskType, MAX_TASK_LEN};

pub use super::settings::Setting;

/// Largest sequence length (T) and batch (B) accepted.
pub const MAX_SEQ_LEN: usize = 1000;
pub const MAX_BATCH: usize = 512;
/// Largest chrono `T_max`: time scales far past any window.
pub const MAX_CHRONO: usize = 100_000;

fn always(_: &Config) -> bool {
    true
}

settings! {
    /// Model and training settings: one typed field per row of the table below, which is the
    /// only place a setting is named. Row: `field: Type = default, "key", Group, Live|Fixed,
    /// Linear|Log, [range lo => hi,] [flag "cli-flag",] when applies, "doc";`.
    pub struct Config {
        cell: CellType = CellType::Lstm, "cell", Model, Fixed, Linear,
            when always, "Cell; the recurrent unit";
        nonlinearity: Activation = Activation::Tanh, "nonlinearity", Model, Fixed, Linear,
            when |c| c.cell == CellType::Rnn, "RNN nonlinearity; of the vanilla RNN only";
        hidden: usize = 128, "hidden", Model, Fixed, Linear, range 1 => MAX_HIDDEN,
            when always, "Hidden units per layer";
        layers: usize = 1, "layers", Model, Fixed, Linear, range 1 => MAX_LAYERS,
            when always, "Layers; stacked recurrent layers";
        residual: Residual = Residual::None, "residual", Model, Fixed, Linear,
            when always,
            "Residual; shortcuts across layers, or through time (RNN only)";
        attention: Attention = Attention::None, "attention", Model, Fixed, Linear,
            when always,
            "Attention; the decoder also reads a weighted sum of earlier states";
        embed: usize = 0, "embed", Model, Fixed, Linear, range 0 => MAX_HIDDEN,
            when |c| c.task.symbols(), "Input embedding; its width, 0 means one-hot input";
        seq_len: usize = 25, "seq-len", Training, Fixed, Linear, range 1 => MAX_SEQ_LEN,
            when |c| c.task == TaskType::Text, "Sequence length; steps (characters, or values of a series) per truncated-BPTT window, T";
        batch: usize = 1, "batch", Training, Fixed, Linear, range 1 => MAX_BATCH,
            when always, "Batch; parallel streams per step, B";
        optimizer: OptimizerType = OptimizerType::Adam, "optimizer", Training, Fixed, Linear,
            when always, "Optimizer";
        lr: f32 = 2e-3, "lr", Training, Live, Log, range 1e-7 => 100.0,
            when always, "Learning rate";
        momentum: f32 = 0.0, "momentum", Training, Live, Linear, range 0.0 => 0.999,
            when |c| c.optimizer == OptimizerType::Sgd, "Momentum; for SGD, 0 is plain SGD";
        weight_decay: f32 = 0.0, "weight-decay", Training, Live, Linear, range 0.0 => 10.0,
            when always, "Weight decay; an L2 penalty added to the gradient";
        clip: f32 = 5.0, "clip", Training, Live, Linear, range 0.0 => 1e6,
            when always, "Gradient clipping; the threshold, 0 turns clipping off";
        clip_mode: ClipMode = ClipMode::Norm, "clip-mode", Training, Live, Linear,
            when |c| c.clip > 0.0, "Clip by; the global L2 norm of all gradients, or each entry";
        init: InitKind = InitKind::Pytorch, "init", Init, Fixed, Linear, flag "init-scheme",
            when always, "Scheme; how the recurrent weights start";
        gain: f32 = 1.0, "gain", Init, Fixed, Linear, range 0.0 => 10.0,
            when |c| c.init != InitKind::Pytorch,
            "Gain; of the orthogonal or identity initialisation";
        forget_bias: f32 = 1.0, "forget-bias", Init, Fixed, Linear, range -1.0 => 10.0,
            when |c| c.cell == CellType::Lstm && c.chrono == 0,
            "Forget-gate bias; of an LSTM, negative keeps PyTorch's default";
        chrono: usize = 0, "chrono", Init, Fixed, Linear, range 0 => MAX_CHRONO,
            when |c| c.cell != CellType::Rnn,
            "Chrono init; T_max of an LSTM's or GRU's gate biases (Tallec & Ollivier 2018), 0 is off";
        seed: u64 = 42, "seed", Init, Fixed, Linear,
            when always, "Seed; of the initialisation, and of a task's episodes";
        task: TaskType = TaskType::Text, "task", Task, Fixed, Linear,
            when always, "Task; the text, or a synthetic memory task";
        task_len: usize = 20, "task-len", Task, Fixed, Linear, range 1 => MAX_TASK_LEN,
            when |c| c.task != TaskType::Text,
            "Task length; the copy task's lag, the other tasks' sequence length";
    }
}

/// The row of `key`.
pub fn setting(key: &str) -> Option<&'static Setting<Config>> {
    SETTINGS.iter().find(|s| s.key == key)
}

impl Config {
    /// Every setting as `(key, value)` text, in [`KEYS`] order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        SETTINGS
            .iter()
            .map(|s| (s.key, self.get(s.key).unwrap_or_default()))
            .collect()
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
        Self::from_query_over(Config::default(), q)
    }

    /// [`Config::from_query`] over other defaults (a page's own starting point).
    pub fn from_query_over(base: Config, q: &str) -> (Config, Vec<String>) {
        let mut c = base;
        let mut notes = Vec::new();
        for part in query_parts(q) {
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
        for part in query_parts(q) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| Error::config(part, "", "expected key=value"))?;
            c.set(k, v)?;
        }
        c.validate()?;
        Ok(c)
    }

    /// Sets a setting that keeps the trained model; a fixed one is an error naming it.
    pub fn set_live(&mut self, key: &str, text: &str) -> Result<()> {
        match setting(key) {
            Some(s) if s.live == Live::Live => self.set(key, text),
            Some(_) => Err(Error::config(
                key,
                text,
                "this setting changes the model: start a new one instead",
            )),
            None => self.set(key, text),
        }
    }

    /// The keys whose values differ from `other`'s, among the settings of `groups`.
    pub fn changed(&self, other: &Config, groups: &[Group]) -> Vec<(&'static str, String, String)> {
        SETTINGS
            .iter()
            .filter(|s| groups.contains(&s.group))
            .filter_map(|s| {
                let (a, b) = (self.get(s.key)?, other.get(s.key)?);
                (a != b).then_some((s.key, a, b))
            })
            .collect()
    }

    /// The cell kind.
    pub fn cell_kind(&self) -> Result<CellKind> {
        Ok(CellKind::new(self.cell, self.nonlinearity))
    }

    /// The optimizer's update rule.
    pub fn opt_kind(&self) -> Result<OptKind> {
        Ok(self.optimizer.kind(self.momentum))
    }

    /// The clipping rule.
    pub fn clip_rule(&self) -> Clip {
        Clip::new(self.clip_mode, self.clip)
    }

    /// The initialisation settings.
    pub fn init_opts(&self) -> Result<InitOpts> {
        Ok(InitOpts {
            kind: self.init,
            gain: self.gain,
            forget_bias: (self.forget_bias >= 0.0).then_some(self.forget_bias),
            chrono: (self.chrono > 0).then_some(self.chrono),
        })
    }

    /// Makes the architecture settings describe `cell` (a loaded model's, or a race lane's):
    /// `residual=time` belongs to the vanilla RNN, so another cell drops it.
    pub fn set_cell(&mut self, cell: CellKind) {
        (self.cell, self.nonlinearity) = (cell.cell_type(), cell.activation());
        if self.cell != CellType::Rnn && self.residual == Residual::Time {
            self.residual = Residual::None;
        }
    }

    /// Makes every architecture setting describe a loaded model's `spec`.
    pub fn set_model(&mut self, spec: &ModelSpec) {
        self.set_cell(spec.cell);
        (self.hidden, self.layers, self.embed) = (spec.hidden, spec.layers, spec.embed);
        (self.residual, self.attention) = (spec.residual, spec.attention);
    }

    /// Re-validates every field (for configs built in code rather than parsed).
    pub fn validate(&self) -> Result<()> {
        let mut c = Config::default();
        for (k, v) in self.pairs() {
            c.set(k, &v)?;
        }
        super::model::check_residual(self.residual, self.cell)
    }
}

/// The `key=value` parts of a query (a leading `#` is ignored; so are empty parts).
fn query_parts(q: &str) -> impl Iterator<Item = &str> {
    q.trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty())
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
    fn every_row_prints_its_default_and_parses_it_back() {
        let d = Config::default();
        assert_eq!(KEYS.len(), SETTINGS.len());
        for s in SETTINGS {
            let text = d.get(s.key).expect("a value");
            let mut c = Config::default();
            c.set(s.key, &text).unwrap();
            assert_eq!(c, d, "{}", s.key);
            assert!(!s.doc.is_empty(), "{} has no doc", s.key);
        }
        let keys: std::collections::HashSet<_> = KEYS.iter().collect();
        assert_eq!(keys.len(), KEYS.len(), "a key is listed twice");
    }

    #[test]
    fn choices_are_enums_and_name_their_options() {
        let mut c = Config::default();
        c.set("optimizer", "rmsprop").unwrap();
        assert_eq!(c.optimizer, OptimizerType::RmsProp);
        let e = c.set("clip-mode", "both").unwrap_err().to_string();
        assert!(e.contains("clip-mode") && e.contains("norm, value"), "{e}");
        let cell = setting("cell").unwrap();
        assert_eq!(
            cell.kind,
            super::super::settings::Kind::Choice(&["rnn", "lstm", "gru"])
        );
        assert_eq!(Config::default().get("cell").unwrap(), "lstm");
    }

    #[test]
    fn live_settings_apply_and_fixed_ones_are_refused() {
        let live: Vec<&str> = SETTINGS
            .iter()
            .filter(|s| s.live == Live::Live)
            .map(|s| s.key)
            .collect();
        assert_eq!(
            live,
            ["lr", "momentum", "weight-decay", "clip", "clip-mode"]
        );
        let mut c = Config::default();
        c.set_live("lr", "0.5").unwrap();
        assert_eq!(c.lr, 0.5);
        let e = c.set_live("hidden", "8").unwrap_err().to_string();
        assert!(e.contains("hidden") && e.contains("new one"), "{e}");
        assert!(c.set_live("lr", "-1").is_err());
        assert_eq!(c.hidden, Config::default().hidden);
    }

    #[test]
    fn applies_follows_the_other_settings() {
        let applies = |c: &Config, key: &str| (setting(key).unwrap().applies)(c);
        let mut c = Config::default();
        assert!(!applies(&c, "momentum") && !applies(&c, "nonlinearity") && !applies(&c, "gain"));
        assert!(applies(&c, "forget-bias") && applies(&c, "seq-len") && !applies(&c, "task-len"));
        c.set("chrono", "50").unwrap();
        assert!(
            applies(&c, "chrono") && !applies(&c, "forget-bias"),
            "chrono replaces it"
        );
        assert_eq!(c.init_opts().unwrap().chrono, Some(50));
        c.set("chrono", "0").unwrap();
        c.set("optimizer", "sgd").unwrap();
        c.set("cell", "rnn").unwrap();
        c.set("init", "identity").unwrap();
        c.set("task", "adding").unwrap();
        assert!(applies(&c, "momentum") && applies(&c, "nonlinearity") && applies(&c, "gain"));
        assert!(!applies(&c, "forget-bias") && !applies(&c, "seq-len") && applies(&c, "task-len"));
        assert!(!applies(&c, "embed"), "the adding task feeds real numbers");
    }

    #[test]
    fn residual_through_time_is_the_rnns_alone() {
        let e = Config::from_query_strict("cell=gru&residual=time")
            .unwrap_err()
            .to_string();
        assert!(e.contains("residual") && e.contains("cell=gru"), "{e}");
        let mut c = Config::from_query_strict("cell=rnn&residual=time").unwrap();
        c.set_cell(CellKind::Lstm);
        assert_eq!((c.cell, c.residual), (CellType::Lstm, Residual::None));
        c.validate().unwrap();
        let mut c = Config::from_query_strict("cell=rnn&residual=layers&attention=dot").unwrap();
        c.set_cell(CellKind::Gru);
        assert_eq!(
            (c.residual, c.attention),
            (Residual::Layers, Attention::Dot)
        );
    }

    #[test]
    fn changed_lists_the_differences_in_the_given_groups() {
        let a = Config::default();
        let mut b = a.clone();
        b.set("hidden", "64").unwrap();
        b.set("lr", "0.1").unwrap();
        assert_eq!(
            a.changed(&b, &[Group::Model]),
            [("hidden", "128".into(), "64".into())]
        );
        assert_eq!(a.changed(&b, &[Group::Training]).len(), 1);
        assert!(a.changed(&b, &[Group::Init, Group::Task]).is_empty());
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
