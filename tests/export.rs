//! `rnnlab export-torch` and `rnnlab train --log-json`: the exported files are the run's start
//! (its step-0 checkpoint resumes into exactly the run `rnnlab train` makes), the script is
//! www/export/train.py, and bad targets are refused before anything is written. That the script
//! makes the same run in PyTorch is checked by scripts/torch-parity.sh, which needs torch.

mod common;
#[path = "common/run.rs"]
mod run;

use common::{cfg, tempest};
use rnnlab::core::io;
use rnnlab::core::session::TextSession;
use run::{fails, ok};
use std::path::Path;
use tempfile::TempDir;

const SETTINGS: &str = "--cell lstm --layers 2 --embed 6 --hidden 12 --batch 3 --seq-len 9 --optimizer sgd --momentum 0.5 --seed 11";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `rnnlab` with `fixed` words and then the words of `flags`.
fn cmd<'a>(fixed: &[&'a str], flags: &'a str) -> Vec<&'a str> {
    fixed
        .iter()
        .copied()
        .chain(flags.split_whitespace())
        .collect()
}

fn losses(path: &Path) -> Vec<f64> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let list = v["losses"].as_array().expect("a list of losses");
    list.iter().map(|l| l.as_f64().unwrap()).collect()
}

#[test]
fn export_writes_the_script_the_start_of_the_run_and_the_text() {
    let dir = TempDir::new().unwrap();
    let text = tempest(2000);
    let file = dir.path().join("tempest.txt");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("torch");
    let o = ok(&cmd(
        &[
            "export-torch",
            "--text",
            s(&file),
            "--val",
            "0.2",
            "--out",
            s(&out),
        ],
        SETTINGS,
    ));
    assert!(o.stdout.contains("train.py"), "{}", o.stdout);
    let script = std::fs::read_to_string(out.join("train.py")).unwrap();
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/www/export/train.py");
    assert_eq!(script, std::fs::read_to_string(source).unwrap());
    assert_eq!(std::fs::read_to_string(out.join("text.txt")).unwrap(), text);

    // The model file is the step-0 checkpoint of the session `rnnlab train` builds.
    let bytes = std::fs::read(out.join("init.safetensors")).unwrap();
    let c = cfg(
        "cell=lstm&layers=2&embed=6&hidden=12&batch=3&seq-len=9&optimizer=sgd&momentum=0.5&seed=11",
    );
    let session = TextSession::new(&c, &text, 0.2).unwrap();
    assert_eq!(bytes, session.save().unwrap());
    let loaded = io::load(&bytes).unwrap();
    assert_eq!(loaded.checkpoint.unwrap().step, 0);
    assert_eq!(loaded.config.as_deref(), Some(c.to_query().as_str()));
    assert!(String::from_utf8_lossy(&bytes).contains(r#""train.held_out":"400""#));

    // Resuming it is the run itself, loss for loss (bit for bit).
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    let train = ["train", "--text", s(&file), "--val", "0.2", "--steps", "12"];
    ok(&cmd(
        &[&train[..], &["--log-json", s(&a)]].concat(),
        SETTINGS,
    ));
    let init = out.join("init.safetensors");
    let resumed = ok(&cmd(
        &[&train[..], &["--log-json", s(&b), "--init", s(&init)]].concat(),
        SETTINGS,
    ));
    assert!(
        resumed.stderr.contains("resuming at step 0"),
        "{}",
        resumed.stderr
    );
    let (la, lb) = (losses(&a), losses(&b));
    assert_eq!(la.len(), 12);
    assert_eq!(la, lb);
    assert!(la.iter().all(|l| l.is_finite() && *l > 0.0), "{la:?}");
}

#[test]
fn export_refuses_to_overwrite_and_tasks() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("t.txt");
    std::fs::write(&file, tempest(500)).unwrap();
    let out = dir.path().join("torch");
    let base = [
        "export-torch",
        "--text",
        s(&file),
        "--out",
        s(&out),
        "--hidden",
        "8",
    ];
    let export = |extra: &[&'static str]| -> Vec<String> {
        base.iter().chain(extra).map(|w| w.to_string()).collect()
    };
    ok(&export(&[]));
    let before = std::fs::read(out.join("init.safetensors")).unwrap();
    fails(&export(&["--seed", "2"]), 1, &["already holds", "train.py"]);
    assert_eq!(std::fs::read(out.join("init.safetensors")).unwrap(), before);
    fails(&export(&["--task", "copy"]), 1, &["--task copy", "text"]);
    fails(&export(&["--val", "0.7"]), 1, &["--val"]);
    let elsewhere = dir.path().join("other");
    let short = ["export-torch", "--text", s(&file), "--out", s(&elsewhere)];
    fails(
        &cmd(&short, "--batch 20 --seq-len 50"),
        1,
        &["t.txt", "characters"],
    );
    assert!(!elsewhere.exists(), "a refused export made its directory");
    fails(
        &["export-torch", "--text", s(&file), "--out", s(&file)],
        1,
        &["not a directory"],
    );
}

#[test]
fn log_json_is_written_also_when_training_diverges() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("t.txt");
    std::fs::write(&file, tempest(3000)).unwrap();
    let log = dir.path().join("log.json");
    let flags = "--optimizer sgd --lr 100 --clip 0 --hidden 32 --steps 200 --cell rnn";
    fails(
        &cmd(&["train", "--text", s(&file), "--log-json", s(&log)], flags),
        1,
        &["exploded"],
    );
    let l = losses(&log);
    assert!(!l.is_empty() && l.len() < 200, "{} losses", l.len());
    fails(
        &[
            "train",
            "--text",
            s(&file),
            "--log-json",
            "/no/such/dir/log.json",
        ],
        1,
        &["--log-json", "does not exist"],
    );
}
