//! `rnnlab train`: build (or load) a model, train it on a text or a task, save a checkpoint.

use super::files::{self, check_target, write_atomic};
use super::flags::{ConfigFlags, HeldOut, ThreadsFlag};
use super::plot;
use super::progress::Progress;
use super::run::Run;
use super::setup::{self, Start};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::average::Ema;
use rnnlab::core::diag::Diagnose;
use rnnlab::core::Error;
use std::path::{Path, PathBuf};

/// Train a model on a text (or on a synthetic long-memory task).
#[derive(Args, Debug)]
#[command(after_help = "\
`--init MODEL` continues from a model file: its vocabulary, cell and sizes (the model settings) \
win over the flags. When MODEL is a checkpoint written by `--out` and this run's task and \
training settings match it, training resumes exactly where it stopped (optimizer state, hidden \
state, position in the same text); otherwise it starts afresh from the weights. The \
weight-initialisation setting (config key `init`) is `--init-scheme`.")]
pub struct TrainArgs {
    /// Text to learn from (UTF-8)
    #[arg(long, value_name = "FILE", required_unless_present_any = ["task", "series"])]
    pub text: Option<PathBuf>,
    /// A time series to learn instead: a CSV file, one row per step; the model predicts the
    /// next value from windows of seq-len values (MSE on values normalised with the mean and
    /// standard deviation of the first 80%, the training part)
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["text", "task"])]
    pub series: Option<PathBuf>,
    /// The series' column [default: the first numeric one]
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// Training steps (one window of seq-len characters per stream each)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub steps: u64,
    #[command(flatten)]
    pub held_out: HeldOut,
    /// Start from this model file (resumes a checkpoint; see below)
    #[arg(long, value_name = "MODEL")]
    pub init: Option<PathBuf>,
    /// With --init: take only the weights, never the checkpoint's training state
    #[arg(long, requires = "init")]
    pub weights_only: bool,
    /// Write the trained model here, as a checkpoint that --init can resume
    #[arg(long, value_name = "MODEL")]
    pub out: Option<PathBuf>,
    /// Draw the loss curve to this .svg or .png file
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Write {"losses": [...]} here: the mean window loss of every step (as the script of
    /// `export-torch` does with its --log-json)
    #[arg(long, value_name = "FILE")]
    pub log_json: Option<PathBuf>,
    #[command(flatten)]
    pub threads: ThreadsFlag,
    #[command(flatten)]
    pub config: ConfigFlags,
}

pub fn run(a: TrainArgs) -> Outcome {
    a.held_out.checked()?;
    let threads = a.threads.executor()?;
    if let Some(out) = &a.out {
        check_target(out, "--out")?;
    }
    if let Some(log) = &a.log_json {
        check_target(log, "--log-json")?;
    }
    if let Some(p) = &a.plot {
        plot::check_path(p)?;
    }
    let text = a.text.as_deref().map(files::read_text).transpose()?;
    let Start {
        mut run,
        resumed_from,
    } = setup::start(&a, text.as_deref())?;
    run.trainer_mut().diagnose = Diagnose::Off;
    run.trainer_mut().set_executor(Box::new(threads));
    let source = match (&a.text, &text, &a.series) {
        (Some(p), Some(t), _) => format!("`{}` ({} chars)", p.display(), t.chars().count()),
        (_, _, Some(p)) => format!("`{}`", p.display()),
        _ => String::new(),
    };
    eprintln!("{}", run.describe(&source));
    if let Some(step) = resumed_from {
        eprintln!("resuming at step {step}");
    }
    let mut curve = plot::loss_chart(&run);
    let mut losses = Vec::new();
    let outcome = train_loop(&mut run, a.steps, &mut curve, a.plot.is_some(), &mut losses);
    let logged = a
        .log_json
        .as_deref()
        .map_or(Ok(()), |p| log_json(p, &losses));
    let plotted = logged.and(a.plot.as_deref().map_or(Ok(()), |p| plot::draw(p, &curve)));
    match (outcome, &a.out) {
        (Ok(report), out) => {
            if let Some(out) = out {
                save(&run, out)?;
            }
            print_out(&summary(&run, &report, out.as_deref()))?;
            plotted
        }
        (Err(e), out) => {
            if let Err(f) = plotted {
                eprintln!("rnnlab: warning: {f}");
            }
            Err(match (e, out) {
                (e @ Error::Diverged { .. }, Some(out)) => diverged(&mut run, e, out),
                (e @ Error::Diverged { .. }, None) => {
                    Fail(format!("{e}\n(no --out given, so nothing was saved)"))
                }
                (e, _) => e.into(),
            })
        }
    }
}

/// What a finished run reports.
struct Report {
    steps: u64,
    chars: u64,
    seconds: f64,
    loss: Option<f64>,
    accuracy: Option<f64>,
}

/// Trains `steps` steps; every step's loss goes to `losses`, also when a step fails.
fn train_loop(
    r: &mut Run,
    steps: u64,
    curve: &mut rnnlab::render::LossChart,
    keep_curve: bool,
    losses: &mut Vec<f32>,
) -> Result<Report, Error> {
    let progress = Progress::new(steps);
    let chars0 = r.trainer().chars();
    let (mut loss, mut acc) = (Ema::new(Ema::LOSS), Ema::new(Ema::LOSS));
    for done in 1..=steps {
        let st = r.step().inspect_err(|_| progress.finish())?;
        losses.push(st.loss);
        let sm = loss.push(st.loss as f64);
        let sa = st
            .accuracy
            .filter(|_| r.is_task())
            .map(|a| acc.push(a as f64));
        if keep_curve {
            let tenth = done % (steps / 10).max(1) == 0 || done == steps;
            let val = tenth.then(|| r.held_out().map(|h| h.loss)).flatten();
            plot::push(curve, st.step, st.loss as f64, sm, val);
        }
        let cps = (st.chars - chars0) as f64 / progress.elapsed().max(1e-9);
        progress.update(done, sm, sa, cps);
    }
    progress.finish();
    let chars = r.trainer().chars() - chars0;
    Ok(Report {
        steps,
        chars,
        seconds: progress.elapsed(),
        loss: Some(loss.value()).filter(|v| v.is_finite()),
        accuracy: Some(acc.value()).filter(|v| v.is_finite()),
    })
}

/// `{"losses": [...]}`, every loss written as the exact value of its f32.
fn log_json(path: &Path, losses: &[f32]) -> Outcome {
    let losses: Vec<f64> = losses.iter().map(|&l| f64::from(l)).collect();
    let json = serde_json::json!({ "losses": losses });
    write_atomic(path, json.to_string().as_bytes())
}

fn save(r: &Run, out: &Path) -> Outcome {
    write_atomic(out, &r.save()?)
}

/// Rolls back to the last good snapshot and saves it, then explains.
fn diverged(r: &mut Run, e: Error, out: &Path) -> Fail {
    let step = r.trainer_mut().rollback();
    match save(r, out) {
        Ok(()) => Fail(format!(
            "{e}\nwrote the last good checkpoint (step {step}) to `{}`",
            out.display()
        )),
        Err(f) => Fail(format!(
            "{e}\nand saving the last good checkpoint failed: {f}"
        )),
    }
}

fn summary(r: &Run, rep: &Report, out: Option<&Path>) -> String {
    let now = r.trainer().steps();
    let mut lines = vec![if rep.steps == 0 {
        format!("no training steps: the model is as it started (step {now})")
    } else {
        let s = if rep.steps == 1 { "" } else { "s" };
        let cps = rep.chars as f64 / rep.seconds.max(1e-9);
        let what = match r {
            Run::Text(_) => "chars",
            Run::Task(_) => "positions",
            Run::Series(_) => "values",
        };
        format!(
            "trained {} step{s} ({} {what}) in {:.1} s, {cps:.0} {what}/s; now at step {now}",
            rep.steps, rep.chars, rep.seconds
        )
    }];
    let unit = r.loss_unit();
    let pct = |a: f64| format!(", accuracy {:.1}%", 100.0 * a);
    if let Some(l) = rep.loss {
        let acc = rep.accuracy.map_or(String::new(), pct);
        let refs: Vec<String> = r
            .baselines()
            .iter()
            .map(|(n, v)| format!("{n} {v:.4}"))
            .collect();
        lines.push(format!(
            "train loss {l:.4} {unit}{acc} (smoothed; {})",
            refs.join(", ")
        ));
    }
    if let Some(h) = r.held_out() {
        let acc = h.accuracy.map_or(String::new(), pct);
        lines.push(format!("val loss {:.4} {unit}{acc} on {}", h.loss, h.on));
    }
    if let Some(o) = out {
        lines.push(format!("wrote `{}`", o.display()));
    }
    lines.join("\n") + "\n"
}
