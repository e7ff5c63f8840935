//! `rnnlab grads`: how far back the gradient of the last step's loss reaches.

use super::files::{encode, read_char_model, read_text, text_error, ModelText};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::config::MAX_SEQ_LEN;
use rnnlab::core::trainer::last_step_grad_norms;

/// Show how the gradient of the last step's loss fades (or explodes) back through time.
///
/// Prints ‖∂L_T/∂h_t‖ of the top layer for t = 1..T, where L_T is the loss of the last step only
/// (inputs text[0..T), targets shifted by one, from a zero state).
#[derive(Args, Debug)]
pub struct GradsArgs {
    #[command(flatten)]
    pub input: ModelText,
    /// Steps T
    #[arg(long, value_name = "T")]
    pub len: usize,
    /// Print one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Width of the longest bar (characters).
const BAR: usize = 40;

pub fn run(a: GradsArgs) -> Outcome {
    if a.len == 0 || a.len > MAX_SEQ_LEN {
        return Err(Fail(format!(
            "--len {}: must be between 1 and {MAX_SEQ_LEN}",
            a.len
        )));
    }
    let loaded = read_char_model(&a.input.model)?;
    let spec = &loaded.model.spec;
    let text = read_text(&a.input.text)?;
    let prefix: String = text.chars().take(a.len + 1).collect();
    let have = prefix.chars().count();
    if have < a.len + 1 {
        return Err(Fail(format!(
            "text file `{}` has {have} characters; --len {} needs T+1 = {}",
            a.input.text.display(),
            a.len,
            a.len + 1
        )));
    }
    let ids = encode(&spec.vocab, &prefix, &a.input.text)?;
    let layers =
        last_step_grad_norms(&loaded.model, &ids).map_err(|e| text_error(&a.input.text, e))?;
    let top = layers.last().cloned().unwrap_or_default();
    let out = if a.json {
        let v = serde_json::json!({
            "norms": top,
            "layers": layers,
            "cell": spec.cell.name(),
            "nonlinearity": spec.cell.nonlinearity(),
            "hidden": spec.hidden,
            "len": a.len,
        });
        format!("{v}\n")
    } else {
        let cell = if spec.cell.name() == "rnn" {
            format!("rnn({})", spec.cell.nonlinearity())
        } else {
            spec.cell.name().to_string()
        };
        let head = format!(
            "‖∂L_T/∂h_t‖, top layer of a {}-layer {cell} with {} hidden, T = {}\n",
            spec.layers, spec.hidden, a.len
        );
        head + &table(&top)
    };
    print_out(&out)
}

/// Rows `t  norm  bar`, the bar log-scaled between the smallest and largest nonzero norm.
fn table(norms: &[f32]) -> String {
    let logs: Vec<f64> = norms
        .iter()
        .filter(|n| **n > 0.0 && n.is_finite())
        .map(|n| (*n as f64).log10())
        .collect();
    let hi = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = logs.iter().copied().fold(f64::INFINITY, f64::min);
    let width = norms.len().to_string().len().max(3);
    let mut s = format!(
        "{:>width$}  {:>10}  log scale, {:.1e} .. {:.1e}\n",
        "t",
        "norm",
        10f64.powf(lo),
        10f64.powf(hi)
    );
    for (i, &n) in norms.iter().enumerate() {
        let bar = if n > 0.0 && n.is_finite() {
            let frac = if hi > lo {
                ((n as f64).log10() - lo) / (hi - lo)
            } else {
                1.0
            };
            "█".repeat(1 + (frac * (BAR - 1) as f64).round() as usize)
        } else {
            String::new()
        };
        s += &format!("{:>width$}  {n:>10.3e}  {bar}\n", i + 1);
    }
    if let (Some(first), Some(last)) = (norms.first(), norms.last()) {
        if *last > 0.0 {
            s += &format!("first / last = {:.3e}\n", first / last);
        }
    }
    s
}
