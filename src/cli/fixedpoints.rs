//! `rnnlab fixedpoints`: the fixed points of a trained model's dynamics with zero input.

use super::files::{encode, read_model, read_text};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::config::Config;
use rnnlab::core::fixed::{find, task_states, visited, FixedPoint, Opts};
use rnnlab::core::io::Loaded;
use rnnlab::core::model::{Input, State};
use serde::Serialize;
use std::path::PathBuf;

/// Find the fixed points of the top layer's dynamics with zero input, F(s) = s, and say which
/// are stable (Sussillo & Barak 2013).
///
/// The search minimises q(s) = ½‖F(s) − s‖² by gradient steps and then Newton's method, from
/// states the network visits: on a text (`--text`), or, for a checkpoint trained on a synthetic
/// task (`--task flipflop`, …), on fresh episodes of that task. A point is stable when every
/// eigenvalue of the Jacobian has |λ| < 1. For an LSTM the state is [h; c].
#[derive(Args, Debug)]
pub struct FixedPointsArgs {
    /// Model file (or checkpoint)
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Text whose states start the search (a character model reads its first 2,000 characters)
    #[arg(long, value_name = "FILE")]
    pub text: Option<PathBuf>,
    /// Starting states
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub starts: u32,
    /// Keep the points with q below this
    #[arg(long, default_value_t = 1e-9)]
    pub tol: f32,
    /// Seed of the starting states and of the task episodes
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object, {"points": [{"h": […], "q": q, "stable": …, "max_abs_eig": x}, …]}
    #[arg(long)]
    pub json: bool,
}

/// One point of `fixedpoints --json` (`c` only for an LSTM).
#[derive(Serialize)]
struct PointOut<'a> {
    h: &'a [f32],
    #[serde(skip_serializing_if = "<[f32]>::is_empty")]
    c: &'a [f32],
    q: f32,
    stable: bool,
    max_abs_eig: f32,
}

#[derive(Serialize)]
struct FixedPointsOut<'a> {
    points: Vec<PointOut<'a>>,
}

/// Characters of `--text` run to collect starting states.
const TEXT_CHARS: usize = 2000;
/// Episodes of a task run to collect starting states.
const EPISODES: usize = 8;

pub fn run(a: FixedPointsArgs) -> Outcome {
    if !(a.tol > 0.0 && a.tol.is_finite()) {
        return Err(Fail(format!("--tol {} must be a positive number", a.tol)));
    }
    let loaded = read_model(&a.model)?;
    let states = starting_states(&a, &loaded)?;
    let opts = Opts {
        starts: a.starts as usize,
        tol_q: a.tol,
        seed: a.seed,
        ..Opts::default()
    };
    let points = find(&loaded.model, &states, opts)?;
    let out = if a.json {
        json(&points)
    } else {
        table(&points, a.tol)
    };
    print_out(&out)
}

/// The top layer's states on the text, or on episodes of the checkpoint's task.
fn starting_states(a: &FixedPointsArgs, loaded: &Loaded) -> Outcome<Vec<Vec<f32>>> {
    let m = &loaded.model;
    let tr = if let Some(path) = &a.text {
        let text: String = read_text(path)?.chars().take(TEXT_CHARS).collect();
        let ids = encode(&m.spec.vocab, &text, path)?;
        m.forward(Input::Tokens(&ids), 1, &State::zeros(&m.spec, 1))?
    } else {
        let config = loaded.config.as_deref().map(|q| Config::from_query(q).0);
        let Some((c, kind)) = config.and_then(|c| c.task.synthetic().map(|k| (c, k))) else {
            return Err(Fail(format!(
                "model file `{}` is not a checkpoint of a synthetic task: give --text FILE, a text the model reads, to start the search from its states",
                a.model.display()
            )));
        };
        return Ok(task_states(m, kind, c.task_len, EPISODES, a.seed)?.visited);
    };
    Ok(visited(&tr, m.spec.hidden))
}

fn json(points: &[FixedPoint]) -> String {
    let v = FixedPointsOut {
        points: points
            .iter()
            .map(|p| PointOut {
                h: &p.h,
                c: &p.c,
                q: p.q,
                stable: p.stable,
                max_abs_eig: p.max_abs_eig,
            })
            .collect(),
    };
    format!("{}\n", serde_json::to_string(&v).expect("plain data"))
}

/// One row per point: q, the spectral radius, stable or not, and ‖h‖.
fn table(points: &[FixedPoint], tol: f32) -> String {
    let stable = points.iter().filter(|p| p.stable).count();
    let mut out = format!(
        "{} fixed points with q < {tol:e} ({stable} stable, {} unstable)\n{:>4}  {:>9}  {:>9}  {:<8}  {:>6}\n",
        points.len(),
        points.len() - stable,
        "#",
        "q",
        "max |λ|",
        "",
        "‖h‖"
    );
    for (i, p) in points.iter().enumerate() {
        let norm = p.h.iter().map(|v| v * v).sum::<f32>().sqrt();
        let kind = if p.stable { "stable" } else { "unstable" };
        out += &format!(
            "{i:>4}  {:>9.2e}  {:>9.4}  {kind:<8}  {norm:>6.3}\n",
            p.q, p.max_abs_eig
        );
    }
    out
}
