//! One `--flag value` per row of the settings table (`rnnlab::core::config::SETTINGS`): the
//! flags, their help, their `[default: …]` and possible values are built from the table, so a
//! setting added there appears here with nothing else to write. The core validates the values.

use super::{Fail, Outcome};
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use rnnlab::core::config::{Setting, SETTINGS};
use rnnlab::core::exec::Threads;
use rnnlab::core::settings::{Group, Kind};
use rnnlab::core::Config;

/// The settings given on the command line, by key (absent flags are `None`).
#[derive(Debug, Default)]
pub struct ConfigFlags {
    given: Vec<(&'static str, Option<String>)>,
}

fn heading(g: Group) -> &'static str {
    match g {
        Group::Task => "Task settings",
        Group::Model => "Model settings",
        Group::Init => "Initialisation settings",
        Group::Training => "Training settings",
    }
}

fn value_name(s: &Setting<Config>) -> &'static str {
    match s.kind {
        Kind::Int => "N",
        Kind::Float => "X",
        Kind::Choice(_) => "NAME",
    }
}

/// A bound as people write it: `1e-7`, `0.999`, `4096`.
fn number(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// The flag of one row, with its help from the table: doc, choices, range and default.
fn arg(s: &'static Setting<Config>, default: &Config) -> Arg {
    let mut help = s.doc.to_string();
    if let Kind::Choice(names) = s.kind {
        help += &format!(": {}", names.join(", "));
    }
    if let Some((lo, hi)) = s.range {
        help += &format!(" ({} to {})", number(lo), number(hi));
    }
    help += &format!(" [default: {}]", default.get(s.key).unwrap_or_default());
    Arg::new(s.flag)
        .long(s.flag)
        .value_name(value_name(s))
        .help(help)
        .help_heading(heading(s.group))
}

impl Args for ConfigFlags {
    fn augment_args(cmd: Command) -> Command {
        let default = Config::default();
        SETTINGS
            .iter()
            .fold(cmd, |cmd, s| cmd.arg(arg(s, &default)))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for ConfigFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let given = SETTINGS
            .iter()
            .map(|s| (s.key, m.get_one::<String>(s.flag).cloned()))
            .collect();
        Ok(ConfigFlags { given })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

/// `--val F`: the share of a text held out for a validation loss (`train` and `export-torch`).
#[derive(Args, Debug)]
pub struct HeldOut {
    /// Fraction of the text, from its end, held out for a validation loss (0 to 0.5)
    #[arg(long = "val", value_name = "F", default_value_t = 0.0)]
    pub fraction: f64,
}

impl HeldOut {
    /// The fraction, refused outside 0 to 0.5.
    pub fn checked(&self) -> Outcome<f64> {
        if (0.0..=0.5).contains(&self.fraction) {
            Ok(self.fraction)
        } else {
            Err(Fail(format!(
                "--val {}: the held-out fraction must be between 0 and 0.5",
                self.fraction
            )))
        }
    }
}

/// `--threads N`: how many threads share a batch's shards. A machine's setting, not the
/// model's: it changes no bit of the result (see `rnnlab::core::shards`), so it is not a row of
/// the settings table, which also makes the URL hash and the checkpoints.
#[derive(Args, Debug)]
pub struct ThreadsFlag {
    /// Threads for the shards of a batch (B > 8); the results are the same bits for any count
    /// [default: all cores]
    #[arg(long = "threads", value_name = "N")]
    pub threads: Option<usize>,
}

impl ThreadsFlag {
    /// The executor: `--threads` threads, or one per core.
    pub fn executor(&self) -> Outcome<Threads> {
        match self.threads {
            Some(0) => Err(Fail("--threads 0: it takes at least 1 thread".into())),
            Some(n) => Ok(Threads::new(n)),
            None => Ok(Threads::all_cores()),
        }
    }
}

/// The CLI flag of a config key (`--init-scheme` for `init`, which `--init MODEL` takes).
pub fn flag_of(key: &str) -> &str {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .map_or(key, |s| s.flag)
}

impl ConfigFlags {
    /// The value given for `key`, if its flag was on the command line.
    pub fn given(&self, key: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.as_deref())
    }

    /// `Config::default()` with every given flag applied through the core's validation.
    pub fn config(&self) -> Outcome<Config> {
        let mut c = Config::default();
        for (k, v) in &self.given {
            if let Some(v) = v {
                c.set(k, v)
                    .map_err(|e| Fail(format!("--{}: {e}", flag_of(k))))?;
            }
        }
        Ok(c)
    }
}
