//! `rnnlab export-torch`: the run `rnnlab train` would make, as a PyTorch script with its
//! starting weights and its text, to train on more cores, GPUs or machines.

use super::files::{self, text_error, write_atomic};
use super::flags::{ConfigFlags, HeldOut};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::session::TextSession;
use rnnlab::core::tasks::TaskType;
use std::fs;
use std::path::{Path, PathBuf};

/// The PyTorch training script: one static file, which the playground's "Export to PyTorch"
/// fetches too. Its settings travel in the metadata of `init.safetensors`.
const TRAIN_PY: &str = include_str!("../../www/export/train.py");

/// The files written, in the order they are written.
const FILES: [&str; 3] = ["text.txt", "init.safetensors", "train.py"];

/// Write a PyTorch script that makes the run `rnnlab train` would make with these settings.
#[derive(Args, Debug)]
#[command(after_help = "\
Writes DIR/train.py, DIR/init.safetensors (the weights `rnnlab train` starts from with these \
settings and seed, the settings in its metadata) and DIR/text.txt. Then, with torch and \
safetensors installed:

  python DIR/train.py --steps 1000 --log-json losses.json --out model.safetensors
  torchrun --nproc_per_node 2 DIR/train.py --steps 1000 --out model.safetensors

It reads the same windows of the text as the same B streams, with the same optimizer and \
clipping, so its losses are rnnlab's; under torchrun the streams are shared out between the \
processes. `rnnlab train --init model.safetensors` and the playground load its --out.")]
pub struct ExportArgs {
    /// Text to learn from (UTF-8)
    #[arg(long, value_name = "FILE")]
    pub text: PathBuf,
    #[command(flatten)]
    pub held_out: HeldOut,
    /// Directory to write train.py, init.safetensors and text.txt to (made if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub config: ConfigFlags,
}

pub fn run(a: ExportArgs) -> Outcome {
    let val = a.held_out.checked()?;
    let cfg = a.config.config()?;
    if cfg.task != TaskType::Text {
        return Err(Fail(format!(
            "--task {}: the PyTorch script trains on a text (the synthetic tasks are rnnlab's own)",
            cfg.task
        )));
    }
    let text = files::read_text(&a.text)?;
    let session = TextSession::new(&cfg, &text, val).map_err(|e| text_error(&a.text, e))?;
    let init = session.save()?;
    prepare_dir(&a.out)?;
    let contents: [&[u8]; 3] = [text.as_bytes(), &init, TRAIN_PY.as_bytes()];
    for (name, bytes) in FILES.iter().zip(contents) {
        write_atomic(&a.out.join(name), bytes)?;
    }
    let spec = &session.trainer.model.spec;
    let dir = a.out.display();
    print_out(&format!(
        "wrote {dir}/train.py, {dir}/init.safetensors ({} {} x {} layer(s), {} parameters) and {dir}/text.txt ({} chars, the last {} held out)\nrun it: python {dir}/train.py --steps 1000 --out model.safetensors\n",
        spec.cell.name(),
        spec.hidden,
        spec.layers,
        spec.param_count(),
        text.chars().count(),
        session.val_ids.len()
    ))
}

/// Makes `dir` if it is missing; refuses to overwrite any of the files it would write.
fn prepare_dir(dir: &Path) -> Outcome {
    if dir.exists() && !dir.is_dir() {
        return Err(Fail(format!(
            "--out `{}` is a file, not a directory",
            dir.display()
        )));
    }
    fs::create_dir_all(dir)
        .map_err(|e| Fail(format!("--out `{}`: cannot make it: {e}", dir.display())))?;
    let there: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).exists())
        .collect();
    if !there.is_empty() {
        return Err(Fail(format!(
            "--out `{}` already holds {}: remove them or choose another directory",
            dir.display(),
            there.join(", ")
        )));
    }
    Ok(())
}
