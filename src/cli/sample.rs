//! `rnnlab sample`: generate characters from a model.

use super::files::read_char_model;
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::sample::{sample, SampleOpts};
use rnnlab::core::Error;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Generate text from a model; prints only the generated characters on stdout.
#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Model file (or checkpoint)
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Text to warm the model up with (not printed); empty starts from a newline
    #[arg(long, value_name = "STR", default_value = "")]
    pub prime: String,
    /// Characters to generate
    #[arg(long, value_name = "N", default_value_t = SampleOpts::default().len)]
    pub len: usize,
    /// Softmax temperature; lower is more conservative
    #[arg(long, value_name = "X", default_value_t = SampleOpts::default().temperature)]
    pub temperature: f32,
    /// Always take the most likely character
    #[arg(long)]
    pub greedy: bool,
    /// Draw only among the K most likely characters (0 = all)
    #[arg(long, value_name = "K", default_value_t = SampleOpts::default().top_k)]
    pub top_k: usize,
    /// Seed of the random draws
    #[arg(long, value_name = "N", default_value_t = SampleOpts::default().seed)]
    pub seed: u64,
}

pub fn run(a: SampleArgs) -> Outcome {
    let loaded = read_char_model(&a.model)?;
    let opts = SampleOpts {
        len: a.len,
        temperature: a.temperature,
        greedy: a.greedy,
        top_k: a.top_k,
        seed: a.seed,
    };
    let out = sample(&loaded.model, &a.prime, opts).map_err(|e| match e {
        Error::UnknownChar { .. } => Fail(format!("--prime: {e} (model `{}`)", a.model.display())),
        Error::Config { ref key, .. } => Fail(format!("--{key}: {e}")),
        e => e.into(),
    })?;
    let newline = if std::io::stdout().is_terminal() {
        "\n"
    } else {
        ""
    };
    print_out(&format!("{}{newline}", out.text))
}
