//! `rnnlab inspect`: what the model did at each character of a text.

use super::files::{shown, text_error, ModelText};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::inspect::{inspect, Inspection, MAX_INSPECT_CHARS};
use serde::Serialize;

/// Show what the model did at each character of a text.
///
/// For each character in [--from, --to): the loss of the next character and the five likeliest
/// next characters, and with --json every layer's state. The model reads the text from its start,
/// from a zero state, so the states are those of the whole text. With --json: {"chars": [{"t",
/// "char", "loss" (−log p of the next character in nats, null for the text's last), "top" (the
/// five likeliest next characters, [["e", 0.31], …]), "layers": [{"h": […], "c": […] (LSTM
/// only)}, …]}, …]}. The text may have up to 1,000,000 characters (fewer for large models: at
/// most 2^27 stored state values).
#[derive(Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    pub input: ModelText,
    /// First character to show (0-based)
    #[arg(long, value_name = "A", default_value_t = 0)]
    pub from: usize,
    /// End of the characters to show, exclusive [default: the text's length]
    #[arg(long, value_name = "B")]
    pub to: Option<usize>,
    /// Print one JSON object with every layer's state instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Likeliest next characters shown per character.
const TOP: usize = 5;

/// Output is written in pieces of about this many bytes (a long text's JSON is large).
const PIECE: usize = 1 << 16;

pub fn run(a: InspectArgs) -> Outcome {
    let (loaded, text, ids) = a.input.read(MAX_INSPECT_CHARS, "inspect")?;
    let model = &loaded.model;
    let n = ids.len();
    let to = a.to.unwrap_or(n);
    if a.from >= to || to > n {
        return Err(Fail(format!(
            "--from {} --to {to}: need from < to ≤ {n}, the length of text file `{}`",
            a.from,
            a.input.text.display()
        )));
    }
    // The states up to `to` need the text up to there; the loss at to − 1 needs one more.
    let ins =
        inspect(model, &ids[..n.min(to + 1)], TOP).map_err(|e| text_error(&a.input.text, e))?;
    let chars: Vec<char> = text.chars().collect();
    let view = View {
        ins: &ins,
        chars: &chars,
        vocab: &model.spec.vocab,
    };
    if a.json {
        view.json(a.from, to)
    } else {
        print_out(&view.table(a.from, to))
    }
}

/// An inspection with the text's characters and the model's vocabulary, to print.
struct View<'a> {
    ins: &'a Inspection,
    chars: &'a [char],
    vocab: &'a [char],
}

/// One character of `inspect --json`.
#[derive(Serialize)]
struct CharOut<'a> {
    t: usize,
    char: String,
    /// −log p(next character), null for the text's last character.
    loss: Option<f32>,
    top: Vec<(String, f32)>,
    layers: Vec<LayerOut<'a>>,
}

/// One layer's state after a character.
#[derive(Serialize)]
struct LayerOut<'a> {
    h: &'a [f32],
    #[serde(skip_serializing_if = "<[f32]>::is_empty")]
    c: &'a [f32],
}

impl View<'_> {
    /// Character t for `--json`.
    fn char_out(&self, t: usize) -> CharOut<'_> {
        let (ins, hs) = (self.ins, self.ins.hidden);
        let top = &ins.top[t];
        CharOut {
            t,
            char: self.chars[t].to_string(),
            loss: ins.loss.get(t).copied(),
            top: top
                .iter()
                .map(|&(id, p)| (self.vocab[id as usize].to_string(), p))
                .collect(),
            layers: (0..ins.layers)
                .map(|l| LayerOut {
                    h: &ins.h[l][t * hs..(t + 1) * hs],
                    c: ins.c[l].get(t * hs..(t + 1) * hs).unwrap_or(&[]),
                })
                .collect(),
        }
    }

    /// `{"chars": [...]}` for the characters `from..to`, written in pieces.
    fn json(&self, from: usize, to: usize) -> Outcome {
        let mut out = String::from("{\"chars\":[");
        for t in from..to {
            if t > from {
                out.push(',');
            }
            out += &serde_json::to_string(&self.char_out(t)).expect("plain data");
            if out.len() >= PIECE {
                print_out(&out)?;
                out.clear();
            }
        }
        out += "]}\n";
        print_out(&out)
    }

    /// Rows `t  char  loss  likeliest next`.
    fn table(&self, from: usize, to: usize) -> String {
        let width = to.to_string().len().max(3);
        let mut s = format!(
            "{:>width$}  {:<6}  {:>7}  likeliest next characters (--json for the states)\n",
            "t", "char", "loss"
        );
        for t in from..to {
            let loss = self
                .ins
                .loss
                .get(t)
                .map_or("-".to_string(), |l| format!("{l:.3}"));
            let top: Vec<String> = self.ins.top[t]
                .iter()
                .map(|&(id, p)| format!("{} {:.0}%", shown(self.vocab[id as usize]), p * 100.0))
                .collect();
            let c = shown(self.chars[t]);
            s += &format!("{t:>width$}  {c:<6}  {loss:>7}  {}\n", top.join("  "));
        }
        s
    }
}
