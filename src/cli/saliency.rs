//! `rnnlab saliency`: which earlier characters the prediction of the last one depends on.

use super::files::{shown, text_error, ModelText};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::saliency::{saliency, MAX_SALIENCY_CHARS};
use serde::Serialize;

/// Show how much the prediction of a text's last character depends on each character before it.
///
/// The model reads the text's first n−1 characters x_1..x_{n−1} from a zero state; the target y
/// is its last character. Prints s_t = ‖∂ log p(y | x_1..x_{n−1}) / ∂x_t‖₂ for t = 1..n−1, where
/// x_t is the input vector at t (the one-hot row, or the embedding row), by backpropagation
/// through the whole text (at most 10,001 characters).
#[derive(Args, Debug)]
pub struct SaliencyArgs {
    #[command(flatten)]
    pub input: ModelText,
    /// Print one JSON object, {"target": "c", "saliency": [s_1, …]}, instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `saliency --json`.
#[derive(Serialize)]
struct SaliencyOut<'a> {
    target: String,
    saliency: &'a [f32],
}

/// Width of the longest bar (characters).
const BAR: usize = 40;

pub fn run(a: SaliencyArgs) -> Outcome {
    let (loaded, text, ids) = a.input.read(MAX_SALIENCY_CHARS + 1, "saliency")?;
    let vocab = &loaded.model.spec.vocab;
    if ids.len() < 2 {
        return Err(Fail(format!(
            "text file `{}` has 1 character; saliency needs at least 2 (the inputs, then the target)",
            a.input.text.display()
        )));
    }
    let (inputs, target) = ids.split_at(ids.len() - 1);
    let s = saliency(&loaded.model, inputs, target[0]).map_err(|e| text_error(&a.input.text, e))?;
    let y = vocab[target[0] as usize];
    let out = if a.json {
        let v = SaliencyOut {
            target: y.to_string(),
            saliency: &s,
        };
        format!("{}\n", serde_json::to_string(&v).expect("plain data"))
    } else {
        let head = format!(
            "‖∂ log p(y | x_1..x_T) / ∂x_t‖ for the target y = {} after T = {} characters\n",
            shown(y),
            inputs.len()
        );
        head + &table(&text, &s)
    };
    print_out(&out)
}

/// Rows `t  char  value  bar`, the bars linear up to the largest value.
fn table(text: &str, s: &[f32]) -> String {
    let hi = s
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f32::max);
    let width = s.len().to_string().len().max(3);
    let mut out = format!("{:>width$}  {:<6}  {:>10}\n", "t", "char", "saliency");
    for (t, (c, &v)) in text.chars().zip(s).enumerate() {
        let bar = if hi > 0.0 && v.is_finite() {
            "█".repeat((v / hi * BAR as f32).round() as usize)
        } else {
            String::new()
        };
        out += &format!("{:>width$}  {:<6}  {v:>10.3e}  {bar}\n", t + 1, shown(c));
    }
    out
}
