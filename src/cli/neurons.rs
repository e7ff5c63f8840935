//! `rnnlab neurons`: the units whose activation follows a feature of the text.

use super::files::{text_error, ModelText};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::inspect::{inspect, MAX_INSPECT_CHARS};
use rnnlab::core::neurons::{features, rank_units, Feature, UnitScore};
use serde::Serialize;

/// Find the units whose activation tracks a feature of the text.
///
/// The model reads the text from a zero state; every unit of every layer is scored by Pearson's
/// r between its h after each character and the feature at that character, and the units with
/// the largest |r| are listed (0-based layer and unit). Features: line-pos (characters since the
/// last newline), in-quotes (1 inside "…" or '…'; an apostrophe inside a word such as don't opens
/// nothing), in-brackets (1 inside (…), […] or {…}), word-pos (position in the current word, 0
/// outside words), vowel, upper, space (1 at such a character), regex:PATTERN (1 inside a match,
/// Rust's regex syntax without Unicode classes such as \p{L}). The text may have up to 1,000,000
/// characters.
#[derive(Args, Debug)]
pub struct NeuronsArgs {
    #[command(flatten)]
    pub input: ModelText,
    /// What to look for: line-pos, in-quotes, in-brackets, word-pos, vowel, upper, space or
    /// regex:PATTERN
    #[arg(long, value_name = "FEATURE", value_parser = feature_name)]
    pub feature: String,
    /// How many units to list
    #[arg(long, value_name = "K", default_value_t = 10)]
    pub top: usize,
    /// Print one JSON object, {"units": [{"layer", "unit", "r"}, …]}, instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Accepts a feature's name or `regex:PATTERN` (the pattern is checked when the command runs).
fn feature_name(s: &str) -> Result<String, String> {
    if s.starts_with("regex:") || Feature::from_name(s).is_some() {
        Ok(s.to_string())
    } else {
        Err(format!(
            "expected one of {}, or regex:PATTERN",
            Feature::NAMES.join(", ")
        ))
    }
}

/// `neurons --json`.
#[derive(Serialize)]
struct NeuronsOut {
    units: Vec<UnitOut>,
}

/// One unit of `neurons --json`.
#[derive(Serialize)]
struct UnitOut {
    layer: usize,
    unit: usize,
    r: f64,
}

/// Width of the longest bar (characters).
const BAR: usize = 40;

pub fn run(a: NeuronsArgs) -> Outcome {
    let (loaded, text, ids) = a.input.read(MAX_INSPECT_CHARS, "neurons")?;
    let model = &loaded.model;
    let feature = features::named(&text, &a.feature)
        .map_err(|e| Fail(format!("--feature {}: {e}", a.feature)))?;
    let ins = inspect(model, &ids, 0).map_err(|e| text_error(&a.input.text, e))?;
    let units = rank_units(&ins, &feature, a.top);
    let out = if a.json {
        let units = units
            .iter()
            .map(|u| UnitOut {
                layer: u.layer,
                unit: u.unit,
                r: u.r,
            })
            .collect();
        format!(
            "{}\n",
            serde_json::to_string(&NeuronsOut { units }).expect("plain data")
        )
    } else {
        format!(
            "units whose h follows `{}` over {} characters, by |Pearson r|\n{}",
            a.feature,
            ids.len(),
            table(&units)
        )
    };
    print_out(&out)
}

/// Rows `layer  unit  r  bar`.
fn table(units: &[UnitScore]) -> String {
    let mut s = format!("{:>5}  {:>5}  {:>7}\n", "layer", "unit", "r");
    for u in units {
        let bar = "█".repeat((u.r.abs() * BAR as f64).round() as usize);
        s += &format!("{:>5}  {:>5}  {:>+7.4}  {bar}\n", u.layer, u.unit, u.r);
    }
    s
}
