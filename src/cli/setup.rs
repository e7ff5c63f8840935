//! Building the run of `rnnlab train`: a fresh model from the flags, or the model of `--init`,
//! resuming its checkpoint when this run continues the same training; on a text or a task.

use super::files::{self, text_error};
use super::flags::flag_of;
use super::run::Run;
use super::series::{read_series, read_series_model, series_error};
use super::train::TrainArgs;
use super::{Fail, Outcome};
use rnnlab::core::data::Vocab;
use rnnlab::core::series::session::{build_model as build_series_model, SeriesSession};
use rnnlab::core::session::{build_optimizer, TaskSession, TextSession};
use rnnlab::core::settings::Group;
use rnnlab::core::tasks::{Task, TaskType};
use rnnlab::core::trainer::Snapshot;
use rnnlab::core::{Config, Error, Model, ModelSpec, Trainer};
use std::path::Path;

/// Settings that must be unchanged for a checkpoint's training state to stay meaningful (a
/// task's episodes also depend on the seed: see [`checkpoint`]).
const RESUME_GROUPS: &[Group] = &[Group::Training, Group::Task];

/// A ready run; `resumed_from` is the checkpoint's step when its state was restored.
pub struct Start {
    pub run: Run,
    pub resumed_from: Option<u64>,
}

/// The run for `a`; `text` is the contents of `--text` (absent for a task).
pub fn start(a: &TrainArgs, text: Option<&str>) -> Outcome<Start> {
    let cfg = a.config.config()?;
    if let Some(csv) = &a.series {
        return start_series(a, cfg, csv);
    }
    if a.column.is_some() {
        return Err(Fail("--column names a column of --series FILE.csv".into()));
    }
    match (cfg.task != TaskType::Text, text, &a.init) {
        (true, Some(_), _) => Err(Fail(format!(
            "--text is not used with --task {}: the task makes up its own episodes",
            cfg.task
        ))),
        (true, None, _) => start_task(a, cfg),
        (false, None, _) => Err(Fail("--task text needs --text FILE".into())),
        (false, Some(text), None) => start_text(cfg, text, a),
        (false, Some(text), Some(path)) => resume_text(cfg, text, a, path),
    }
}

fn resume_text(mut cfg: Config, text: &str, a: &TrainArgs, path: &Path) -> Outcome<Start> {
    let loaded = files::read_char_model(path)?;
    adopt_model(&mut cfg, &loaded.model.spec, a, path)?;
    check_memory(cfg.seq_len, &cfg, &loaded.model.spec)?;
    let ckpt = checkpoint(&cfg, loaded.checkpoint, loaded.config.as_deref(), a, path);
    let resumed_from = ckpt.as_ref().map(|s| s.step);
    let text_file = a.text.as_deref().unwrap_or(Path::new("-"));
    let session = TextSession::with_model(&cfg, loaded.model, text, a.held_out.fraction, ckpt)
        .map_err(|e| match e {
            Error::UnknownChar { .. } => Fail(format!(
                "text file `{}`: {e} (the vocabulary of `{}`)",
                text_file.display(),
                path.display()
            )),
            e => text_error(text_file, e),
        })?;
    Ok(Start {
        run: Run::Text(session),
        resumed_from,
    })
}

fn start_text(cfg: Config, text: &str, a: &TrainArgs) -> Outcome<Start> {
    let file = a.text.as_deref().unwrap_or(Path::new("-"));
    let vocab = Vocab::from_text(text).map_err(|e| text_error(file, e))?;
    let (cell, (h, l, e)) = (cfg.cell_kind()?, (cfg.hidden, cfg.layers, cfg.embed));
    check_memory(
        cfg.seq_len,
        &cfg,
        &ModelSpec::chars(cell, vocab.chars, h, l, e),
    )?;
    let session =
        TextSession::new(&cfg, text, a.held_out.fraction).map_err(|e| text_error(file, e))?;
    Ok(Start {
        run: Run::Text(session),
        resumed_from: None,
    })
}

fn start_task(a: &TrainArgs, mut cfg: Config) -> Outcome<Start> {
    let kind = cfg
        .task
        .synthetic()
        .ok_or_else(|| Fail(format!("--task {}: not a synthetic task", cfg.task)))?;
    let task = Task::new(kind, cfg.task_len, cfg.batch, cfg.seed)
        .map_err(|e| Fail(format!("--task-len: {e}")))?;
    let steps = task.info.steps;
    if a.held_out.fraction > 0.0 {
        eprintln!("note: --val is ignored for a task: fresh episodes are scored instead");
    }
    let Some(path) = &a.init else {
        let session = TaskSession::new(&cfg)?;
        check_memory(steps, &cfg, &session.trainer.model.spec)?;
        return Ok(Start {
            run: Run::Task(session),
            resumed_from: None,
        });
    };
    let loaded = files::read_model(path)?;
    let (spec, info) = (&loaded.model.spec, &task.info);
    if (spec.loss, spec.input_size, spec.output_size, &spec.vocab)
        != (info.loss, info.input_size, info.output_size, &info.vocab)
    {
        return Err(Fail(format!("model file `{}` was not built for the {} task (its inputs, outputs or vocabulary differ)", path.display(), cfg.task)));
    }
    adopt_model(&mut cfg, spec, a, path)?;
    check_memory(steps, &cfg, spec)?;
    let ckpt = checkpoint(&cfg, loaded.checkpoint, loaded.config.as_deref(), a, path);
    let resumed_from = ckpt.as_ref().map(|s| s.step);
    let info = task.info.clone();
    let trainer = trainer_for(&cfg, loaded.model, task, ckpt)?;
    Ok(Start {
        run: Run::Task(TaskSession {
            config: cfg,
            info,
            trainer,
        }),
        resumed_from,
    })
}

fn start_series(a: &TrainArgs, mut cfg: Config, csv: &Path) -> Outcome<Start> {
    let series = read_series(csv, a.column.as_deref())?;
    if a.held_out.fraction > 0.0 {
        eprintln!("note: --val is ignored for a series: its last 20% is held out");
    }
    let (model, ckpt) = match &a.init {
        None => (build_series_model(&cfg)?, None),
        Some(path) => {
            let (loaded, _) = read_series_model(path)?;
            adopt_model(&mut cfg, &loaded.model.spec, a, path)?;
            let ckpt = checkpoint(&cfg, loaded.checkpoint, loaded.config.as_deref(), a, path);
            (loaded.model, ckpt)
        }
    };
    check_memory(cfg.seq_len, &cfg, &model.spec)?;
    let resumed_from = ckpt.as_ref().map(|s| s.step);
    let session =
        SeriesSession::with_model(&cfg, series, model, ckpt).map_err(|e| series_error(csv, e))?;
    Ok(Start {
        run: Run::Series(session),
        resumed_from,
    })
}

fn trainer_for(cfg: &Config, model: Model, task: Task, ckpt: Option<Snapshot>) -> Outcome<Trainer> {
    let opt = build_optimizer(cfg, &model)?;
    let mut trainer = Trainer::new(model, opt, cfg.clip_rule(), Box::new(task));
    if let Some(s) = ckpt {
        trainer.restore(s)?;
    }
    Ok(trainer)
}

/// Makes `cfg` describe the loaded model; flags that disagree with it are reported and ignored.
fn adopt_model(cfg: &mut Config, spec: &ModelSpec, a: &TrainArgs, path: &Path) -> Outcome {
    let asked = cfg.clone();
    cfg.set_model(spec);
    cfg.validate()
        .map_err(|e| Fail(format!("model file `{}`: {e}", path.display())))?;
    for (k, has, _) in cfg.changed(&asked, &[Group::Model]) {
        if let Some(g) = a.config.given(k) {
            eprintln!(
                "note: --{} {g} ignored: `{}` has {k} {has}",
                flag_of(k),
                path.display()
            );
        }
    }
    Ok(())
}

/// The checkpoint's state when this run continues its training unchanged; otherwise `None`,
/// with a note saying why.
fn checkpoint(
    cfg: &Config,
    snap: Option<Snapshot>,
    query: Option<&str>,
    a: &TrainArgs,
    path: &Path,
) -> Option<Snapshot> {
    let snap = snap.filter(|_| !a.weights_only)?;
    let Some(q) = query else {
        eprintln!(
            "note: `{}` records no training settings; starting afresh from its weights",
            path.display()
        );
        return None;
    };
    let (old, _) = Config::from_query(q);
    let mut changed = cfg.changed(&old, RESUME_GROUPS);
    if cfg.task != TaskType::Text && cfg.seed != old.seed {
        // The task's episodes come from the seed.
        changed.push(("seed", cfg.seed.to_string(), old.seed.to_string()));
    }
    let diff: Vec<String> = changed
        .iter()
        .map(|(k, now, was)| format!("{k} {was} -> {now}"))
        .collect();
    if diff.is_empty() {
        return Some(snap);
    }
    eprintln!(
        "note: `{}` is a checkpoint of other training settings ({}); starting afresh from its weights (new optimizer state, zero hidden state, from the start)",
        path.display(),
        diff.join(", ")
    );
    None
}

/// Refuses runs whose activations for one window of `t` steps would not fit in memory.
fn check_memory(t: usize, cfg: &Config, spec: &ModelSpec) -> Outcome {
    const LIMIT_BYTES: f64 = 8e9;
    let g = spec.cell.cell().gates() as f64;
    let (b, h, l) = (cfg.batch as f64, spec.hidden as f64, spec.layers as f64);
    let per_step =
        l * (3.0 * g * h + 2.0 * h) + spec.layer_input(0) as f64 + 3.0 * spec.output_size as f64;
    let bytes = 4.0 * t as f64 * b * per_step;
    if bytes > LIMIT_BYTES {
        return Err(Fail(format!(
            "one training window would need about {:.0} GB of memory ({t} steps x batch {} x {} layers of {} units); lower --seq-len (or --task-len), --batch or --hidden",
            bytes / 1e9,
            cfg.batch,
            spec.layers,
            spec.hidden
        )));
    }
    Ok(())
}
