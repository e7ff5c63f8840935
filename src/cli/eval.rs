//! `rnnlab eval`: mean cross-entropy and perplexity of a model on a text.

use super::files::{encode, read_char_model, read_text, text_error, ModelText};
use super::{print_out, Outcome};
use clap::Args;
use rnnlab::core::trainer::evaluate;

/// Score a text: mean cross-entropy (nats/char) and perplexity.
///
/// The model runs statefully over the whole text from a zero state.
#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub input: ModelText,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

/// Steps per forward chunk (the state carries over; only speed depends on it).
const CHUNK: usize = 256;

pub fn run(a: EvalArgs) -> Outcome {
    let loaded = read_char_model(&a.input.model)?;
    let text = read_text(&a.input.text)?;
    let ids = encode(&loaded.model.spec.vocab, &text, &a.input.text)?;
    let (loss, predicted) =
        evaluate(&loaded.model, &ids, CHUNK).map_err(|e| text_error(&a.input.text, e))?;
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
        format!("loss {loss:.4} nats/char ({bits:.4} bits/char), perplexity {ppl:.3}\nover {predicted} predicted characters of `{}`\n", a.input.text.display())
    };
    print_out(&out)
}
