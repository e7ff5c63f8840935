//! Subcommands of the `rnnlab` binary. Every failure becomes a [`Fail`]: one clear message on
//! stderr and exit code 1 (clap's own usage errors exit with 2).

mod eval;
mod export;
mod files;
mod fixedpoints;
mod flags;
mod forecast;
mod grads;
mod inspect;
mod neurons;
mod plot;
mod progress;
mod run;
mod saliency;
mod sample;
mod series;
mod setup;
mod train;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rnnlab::core::Error;
use std::io::Write;
use std::process::ExitCode;

/// Watch a recurrent neural network learn: train character-level RNN/LSTM/GRU models, sample
/// from them, score texts, look at their gradients and look inside them.
#[derive(Parser)]
#[command(name = "rnnlab", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Train(Box<train::TrainArgs>),
    Sample(sample::SampleArgs),
    Eval(eval::EvalArgs),
    Grads(grads::GradsArgs),
    Saliency(saliency::SaliencyArgs),
    Neurons(neurons::NeuronsArgs),
    Inspect(inspect::InspectArgs),
    Fixedpoints(fixedpoints::FixedPointsArgs),
    Forecast(forecast::ForecastArgs),
    ExportTorch(export::ExportArgs),
}

/// A failed command: the message printed after `rnnlab: error:`.
#[derive(Debug)]
pub struct Fail(pub String);

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail(e.to_string())
    }
}

/// A command's result.
pub type Outcome<T = ()> = Result<T, Fail>;

/// Parses the arguments, runs the subcommand and turns its outcome into an exit code.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let outcome = match cli.command {
        Command::Train(a) => train::run(*a),
        Command::Sample(a) => sample::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Grads(a) => grads::run(a),
        Command::Saliency(a) => saliency::run(a),
        Command::Neurons(a) => neurons::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Fixedpoints(a) => fixedpoints::run(a),
        Command::Forecast(a) => forecast::run(a),
        Command::ExportTorch(a) => export::run(a),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("rnnlab: error: {f}");
            ExitCode::from(1)
        }
    }
}

/// Writes `s` to stdout; a closed pipe (`rnnlab sample | head`) is not an error.
pub fn print_out(s: &str) -> Outcome {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fail(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
