//! `rnnlab eval`: mean cross-entropy and perplexity of a model on a text.

use super::files::{encode, read_char_model, read_text, text_error};
use super::{print_out, Outcome};
use clap::Args;
use rnnlab::core::trainer::evaluate;
use std::path::PathBuf;

/// Score a text: mean cross-entropy (nats/char) and perplexity.
///
/// The model runs statefully over the whole text from a zero state.
#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Model file (or checkpoint)
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Text to score (UTF-8, only characters the model knows)
    #[arg(long, value_name = "FILE")]
    pub text: PathBuf,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

/// Steps per forward chunk (the state carries over; only speed depends on it).
const CHUNK: usize = 256;

pub fn run(a: EvalArgs) -> Outcome {
    let loaded = read_char_model(&a.model)?;
    let text = read_text(&a.text)?;
    let ids = encode(&loaded.model.spec.vocab, &text, &a.text)?;
    let (loss, predicted) =
        evaluate(&loaded.model, &ids, CHUNK).map_err(|e| text_error(&a.text, e))?;
    let (ppl, bits) = (loss.exp(), loss / std::f64::consts::LN_2);
    let out = if a.json {
        let v = serde_json::json!({
            "loss": loss,
            "perplexity": ppl,
            "bits_per_char": bits,
            "chars": ids.len(),
            "predicted": predicted,
        });
        format!("{v}\n")
    } else {
        format!("loss {loss:.4} nats/char ({bits:.4} bits/char), perplexity {ppl:.3}\nover {predicted} predicted characters of `{}`\n", a.text.display())
    };
    print_out(&out)
}
