//! The `rnnlab` binary end to end: every subcommand, the exact-update and resume contracts, and
//! clear failures (exit 1, or 2 for usage errors) on bad input.

mod common;
#[path = "common/run.rs"]
mod run;

use common::{tempest, words};
use rnnlab::core::config::KEYS;
use rnnlab::core::data::Vocab;
use rnnlab::core::io::{self, Loaded};
use rnnlab::core::loss::{loss_and_grad, Target};
use rnnlab::core::model::{Input, Params, State};
use run::{fails, ok, Out};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

/// The words of a command line: `fixed` (paths and the like) then the flags in `flags`.
fn args(fixed: &[&str], flags: &str) -> Vec<String> {
    let flags = flags.split_whitespace();
    fixed
        .iter()
        .copied()
        .chain(flags)
        .map(String::from)
        .collect()
}

/// `rnnlab COMMAND --model M --text FILE FLAGS…` on the shared fixture, as arguments.
fn on_fixture(command: &'static str) -> impl Fn(&str) -> Vec<String> {
    let f = fixture();
    move |flags| {
        args(
            &[command, "--model", s(&f.model), "--text", s(&f.text)],
            flags,
        )
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn load(p: &Path) -> Loaded {
    io::load(&std::fs::read(p).unwrap()).unwrap()
}

/// Writes `bytes` to the file `name` in `dir` and returns its path.
fn write_file(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A text of 400 characters and an LSTM trained on it for 30 steps (Adam), shared by the tests.
struct Fixture {
    _dir: TempDir,
    text: PathBuf,
    model: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        let text = write_file(&dir, "tempest.txt", tempest(400));
        let model = dir.path().join("m.safetensors");
        ok(&[
            "train",
            "--text",
            s(&text),
            "--hidden",
            "16",
            "--steps",
            "30",
            "--seq-len",
            "10",
            "--out",
            s(&model),
        ]);
        Fixture {
            _dir: dir,
            text,
            model,
        }
    })
}

#[test]
fn help_shows_every_setting_with_its_default() {
    let h = ok(&["train", "--help"]).stdout;
    for k in KEYS {
        let flag = if *k == "init" {
            "--init-scheme".to_string()
        } else {
            format!("--{k}")
        };
        assert!(h.contains(&flag), "{flag} missing from train --help");
    }
    for d in [
        "[default: 128]",
        "[default: lstm]",
        "[default: adam]",
        "[default: 0.002]",
        "[default: pytorch]",
    ] {
        assert!(h.contains(d), "{d} missing from train --help");
    }
}

#[test]
fn train_writes_a_loadable_checkpoint_and_reports() {
    let f = fixture();
    let l = load(&f.model);
    assert_eq!(l.model.spec.hidden, 16);
    assert_eq!(l.checkpoint.expect("a checkpoint").step, 30);
    assert!(l.config.unwrap().contains("seq-len=10"));
    assert!(!f.model.with_extension("safetensors.tmp").exists());
}

#[test]
fn sample_prints_len_chars_deterministically() {
    let m = s(&fixture().model);
    let run =
        |extra: &[&str]| ok(&[&["sample", "--model", m, "--len", "60"][..], extra].concat()).stdout;
    let a = run(&["--seed", "1"]);
    assert_eq!(a.chars().count(), 60, "{a:?}");
    assert_eq!(a, run(&["--seed", "1"]));
    assert_ne!(a, run(&["--seed", "2"]));
    let g = run(&["--greedy", "--prime", "Master"]);
    assert_eq!(g.chars().count(), 60);
    assert_eq!(g, run(&["--greedy", "--prime", "Master", "--seed", "9"]));
    assert_eq!(
        run(&["--top-k", "1", "--temperature", "0.5"])
            .chars()
            .count(),
        60
    );
    fails(
        &["sample", "--model", m, "--prime", "ß"],
        1,
        &["--prime", "vocabulary"],
    );
    fails(
        &["sample", "--model", m, "--temperature", "0"],
        1,
        &["temperature"],
    );
}

#[test]
fn eval_prints_loss_and_perplexity() {
    let f = fixture();
    let t = ok(&["eval", "--model", s(&f.model), "--text", s(&f.text)]).stdout;
    assert!(t.contains("loss") && t.contains("perplexity"), "{t}");
    let j: serde_json::Value = serde_json::from_str(
        &ok(&args(
            &["eval", "--model", s(&f.model), "--text", s(&f.text)],
            "--json",
        ))
        .stdout,
    )
    .unwrap();
    let (loss, ppl) = (
        j["loss"].as_f64().unwrap(),
        j["perplexity"].as_f64().unwrap(),
    );
    assert!(loss > 0.5 && loss < 5.0, "{j}");
    assert!((ppl - loss.exp()).abs() < 1e-9 * ppl, "{j}");
    assert_eq!(j["chars"].as_u64(), Some(400));
}

#[test]
fn grads_show_the_vanishing_gradient_of_a_tanh_rnn() {
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let m = dir.path().join("rnn.safetensors");
    let small = "--steps 0 --cell rnn --hidden 16 --init-scheme orthogonal --gain 0.5";
    ok(&args(
        &["train", "--text", s(&f.text), "--out", s(&m)],
        small,
    ));
    let grads = |flags: &str| args(&["grads", "--model", s(&m), "--text", s(&f.text)], flags);
    let j: serde_json::Value = serde_json::from_str(&ok(&grads("--len 20 --json")).stdout).unwrap();
    let norms: Vec<f64> = j["norms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(norms.len(), 20);
    assert!(norms.iter().all(|n| n.is_finite()));
    assert!(norms[0] < norms[19] * 1e-3, "{norms:?}");
    assert_eq!(j["layers"].as_array().unwrap().len(), 1);
    assert_eq!(
        (j["cell"].as_str(), j["len"].as_u64()),
        (Some("rnn"), Some(20))
    );
    let table = ok(&grads("--len 20")).stdout;
    assert!(
        table
            .lines()
            .any(|l| l.trim_start().starts_with("20 ") && l.contains('█')),
        "{table}"
    );
    fails(&grads("--len 400"), 1, &["400", "401"]);
}

/// `--init M --steps 1 --optimizer sgd --clip 0` applies exactly M − lr·∇L(text[0..T+1]).
#[test]
fn one_sgd_step_is_exactly_the_gradient_step() {
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let m2 = dir.path().join("m2.safetensors");
    let t = 12;
    let fixed = [
        "train",
        "--init",
        s(&f.model),
        "--text",
        s(&f.text),
        "--out",
        s(&m2),
    ];
    let flags = format!("--steps 1 --seq-len {t} --batch 1 --optimizer sgd --lr 0.5 --clip 0");
    ok(&args(&fixed, &flags));
    let model = load(&f.model).model;
    let ids = Vocab {
        chars: model.spec.vocab.clone(),
    }
    .encode(&tempest(t + 1))
    .unwrap();
    let tr = model
        .forward(Input::Tokens(&ids[..t]), 1, &State::zeros(&model.spec, 1))
        .unwrap();
    let (_, d) = loss_and_grad(
        model.spec.loss,
        &tr.logits,
        model.spec.output_size,
        Target::Tokens(&ids[1..]),
    );
    let mut g = Params::zeros(&model.spec);
    model.backward(&tr, &d, Some(&mut g));
    let after = load(&m2).model;
    let mut moved = 0.0f32;
    for ((p, q), g) in model
        .params
        .slices()
        .iter()
        .zip(after.params.slices())
        .zip(g.slices())
    {
        for ((p, q), g) in p.iter().zip(q.iter()).zip(g.iter()) {
            assert!((q - (p - 0.5 * g)).abs() <= 1e-6, "{q} vs {p} - 0.5·{g}");
            moved = moved.max((q - p).abs());
        }
    }
    assert!(moved > 1e-4, "the step changed nothing");
}

/// 20 steps in one run equal 10 + 10 through a checkpoint, bit for bit (across an epoch wrap).
#[test]
fn init_resumes_a_checkpoint_exactly() {
    let dir = TempDir::new().unwrap();
    let text = write_file(&dir, "short.txt", tempest(150));
    let (a, b1, b2) = (
        dir.path().join("a"),
        dir.path().join("b1"),
        dir.path().join("b2"),
    );
    let common = [
        "--text",
        s(&text),
        "--cell",
        "gru",
        "--hidden",
        "16",
        "--seq-len",
        "10",
        "--batch",
        "2",
        "--lr",
        "0.01",
    ];
    ok(&[&["train", "--steps", "20", "--out", s(&a)], &common[..]].concat());
    ok(&[&["train", "--steps", "10", "--out", s(&b1)], &common[..]].concat());
    let o = ok(&[
        &["train", "--steps", "10", "--init", s(&b1), "--out", s(&b2)],
        &common[..],
    ]
    .concat());
    assert!(o.stderr.contains("resuming at step 10"), "{}", o.stderr);
    let (a, b) = (load(&a), load(&b2));
    assert_eq!(a.model.params, b.model.params);
    assert_eq!(a.checkpoint, b.checkpoint);
    assert_eq!(b.checkpoint.unwrap().step, 20);
}

#[test]
fn plot_writes_an_svg() {
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let svg = dir.path().join("loss.svg");
    ok(&[
        "train",
        "--text",
        s(&f.text),
        "--hidden",
        "8",
        "--steps",
        "20",
        "--seq-len",
        "10",
        "--val",
        "0.2",
        "--plot",
        s(&svg),
    ]);
    let body = std::fs::read_to_string(&svg).unwrap();
    assert!(
        body.contains("<svg") && body.contains("</svg>"),
        "{}",
        &body[..body.len().min(200)]
    );
    fails(
        &[
            "train",
            "--text",
            s(&f.text),
            "--plot",
            s(&dir.path().join("loss.pdf")),
        ],
        1,
        &[".svg or .png"],
    );
}

#[test]
fn bad_texts_are_named_and_refused() {
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let out = write_file(&dir, "keep.safetensors", b"precious");
    let train = |text: &Path, extra: &[&str]| -> Vec<String> {
        let head = ["train", "--text", s(text), "--steps", "5", "--out", s(&out)];
        head.iter().chain(extra).map(|a| a.to_string()).collect()
    };
    let empty = write_file(&dir, "empty.txt", "");
    fails(&train(&empty, &[]), 1, &["empty.txt", "empty"]);
    let short = write_file(&dir, "short.txt", "Master: Boatswain!");
    fails(
        &train(&short, &["--seq-len", "50"]),
        1,
        &["short.txt", "18 characters", "51"],
    );
    let latin1 = write_file(&dir, "latin1.txt", b"caf\xe9 au lait");
    fails(
        &train(&latin1, &[]),
        1,
        &["latin1.txt", "not utf-8", "0xE9", "offset 3"],
    );
    fails(
        &train(&dir.path().join("nope.txt"), &[]),
        1,
        &["nope.txt", "cannot read"],
    );
    fails(
        &train(&short, &["--hidden", "1000000"]),
        1,
        &["hidden", "4096"],
    );
    fails(&train(&short, &["--seq-len", "0"]), 1, &["seq-len"]);
    fails(
        &train(&short, &["--optimizer", "adamw"]),
        1,
        &["optimizer", "sgd"],
    );
    fails(&train(&short, &["--val", "0.9"]), 1, &["--val"]);
    fails(
        &train(
            &short,
            &[
                "--seq-len",
                "1000",
                "--batch",
                "512",
                "--hidden",
                "4096",
                "--layers",
                "4",
            ],
        ),
        1,
        &["memory"],
    );
    let accents = write_file(
        &dir,
        "accents.txt",
        "Master:\nBoatswain!\nHere, ma\u{00ee}tre",
    );
    fails(
        &["eval", "--model", s(&f.model), "--text", s(&accents)],
        1,
        &["accents.txt", "'î'", "line 3", "vocabulary"],
    );
    fails(
        &train(&accents, &["--init", s(&f.model), "--seq-len", "5"]),
        1,
        &["accents.txt", "'î'", "m.safetensors"],
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"precious",
        "a failed run touched --out"
    );
    fails(
        &[
            "train",
            "--text",
            s(&short),
            "--out",
            s(&dir.path().join("no/such/dir/m")),
        ],
        1,
        &["--out", "does not exist"],
    );
}

#[test]
fn bad_model_files_are_named_and_refused() {
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let good = std::fs::read(&f.model).unwrap();
    let write = |name: &str, bytes: &[u8]| write_file(&dir, name, bytes);
    let sample = |p: &Path, words: &[&str]| {
        fails(
            &["sample", "--model", s(p)],
            1,
            &[&[p.file_name().unwrap().to_str().unwrap()], words].concat(),
        )
    };
    sample(&dir.path().join("missing.st"), &["cannot read"]);
    sample(&write("empty.st", b""), &["empty"]);
    sample(
        &write("truncated.st", &good[..good.len() / 2]),
        &["safetensors"],
    );
    sample(
        &write("text.st", b"Master: Boatswain! Here, master: what cheer?"),
        &["safetensors"],
    );
    let mut huge = (u64::MAX / 2).to_le_bytes().to_vec();
    huge.extend_from_slice(b"{}");
    sample(&write("header.st", &huge), &["safetensors"]);
    // Edit the JSON header in place (same length): a wrong size, then a missing key.
    let header_len = u64::from_le_bytes(good[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&good[8..8 + header_len]).unwrap();
    let edit = |from: &str, to: &str| {
        assert!(header.contains(from), "{header}");
        [
            &good[..8],
            header.replacen(from, to, 1).as_bytes(),
            &good[8 + header_len..],
        ]
        .concat()
    };
    sample(
        &write(
            "shape.st",
            &edit("\"hidden_size\":\"16\"", "\"hidden_size\":\"17\""),
        ),
        &["expected shape [68", "got [64"],
    );
    sample(
        &write("meta.st", &edit("\"vocab\":", "\"vocub\":")),
        &["missing metadata", "vocab"],
    );
    fails(
        &[
            "eval",
            "--model",
            s(&write("x.st", b"junk")),
            "--text",
            s(&f.text),
        ],
        1,
        &["x.st"],
    );
}

#[test]
fn divergence_stops_and_keeps_the_last_good_checkpoint() {
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("boom.safetensors");
    let err = fails(
        &[
            "train",
            "--text",
            s(&f.text),
            "--cell",
            "rnn",
            "--hidden",
            "16",
            "--seq-len",
            "10",
            "--optimizer",
            "sgd",
            "--lr",
            "100",
            "--clip",
            "0",
            "--steps",
            "200",
            "--out",
            s(&out),
        ],
        1,
        &["diverged", "learning rate", "clip", "last good checkpoint"],
    );
    let l = load(&out);
    assert!(l.model.params.all_finite(), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    fails(&["train"], 2, &["--text"]);
    fails(&["sample", "--model", "m", "--len", "many"], 2, &["--len"]);
    fails(&["frobnicate"], 2, &[]);
    fails(&["train", "--text", "t", "--weights-only"], 2, &["--init"]);
}

#[test]
fn synthetic_tasks_train_without_a_text_and_resume() {
    let dir = TempDir::new().unwrap();
    let c = dir.path().join("copy.safetensors");
    let task = words("--task copy --task-len 3 --hidden 16 --batch 8 --lr 0.01");
    let o = ok(&[&["train", "--steps", "40", "--out", s(&c)], &task[..]].concat());
    assert!(
        o.stdout.contains("accuracy") && o.stdout.contains("fresh episodes"),
        "{}",
        o.stdout
    );
    assert!(o.stderr.contains("copy task"), "{}", o.stderr);
    assert_eq!(load(&c).model.spec.vocab.len(), 9);
    let o = ok(&[&["train", "--steps", "5", "--init", s(&c)], &task[..]].concat());
    assert!(o.stderr.contains("resuming at step 40"), "{}", o.stderr);
    fails(
        &[&["train", "--text", s(&fixture().text)], &task[..]].concat(),
        1,
        &["--text is not used"],
    );
    fails(
        &["train", "--task", "adding", "--init", s(&c)],
        1,
        &["copy.safetensors", "adding task"],
    );
    fails(
        &["train", "--task", "copy", "--task-len", "0"],
        1,
        &["task-len"],
    );
}

/// The fixture model and the token ids of `text` in its vocabulary.
fn model_and_ids(text: &str) -> (rnnlab::core::Model, Vec<u32>) {
    let model = load(&fixture().model).model;
    let ids = Vocab {
        chars: model.spec.vocab.clone(),
    }
    .encode(text)
    .unwrap();
    (model, ids)
}

fn json(o: &Out) -> serde_json::Value {
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", o.stdout))
}

/// Floats of a JSON array, as the f32 they were printed from.
fn f32s(v: &serde_json::Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

#[test]
fn saliency_is_the_cores_for_the_last_character() {
    let dir = TempDir::new().unwrap();
    let text = tempest(40);
    let file = write_file(&dir, "forty.txt", &text);
    let m = s(&fixture().model);
    let run =
        |file: &Path, flags: &str| args(&["saliency", "--model", m, "--text", s(file)], flags);
    let j = json(&ok(&run(&file, "--json")));
    let last = text.chars().last().unwrap().to_string();
    assert_eq!(j["target"].as_str(), Some(last.as_str()));
    let got = f32s(&j["saliency"]);
    let (model, ids) = model_and_ids(&text);
    let want = rnnlab::core::saliency::saliency(&model, &ids[..39], ids[39]).unwrap();
    assert_eq!(got, want);
    assert!(want.iter().all(|v| *v > 0.0), "{want:?}");
    let table = ok(&run(&file, "")).stdout;
    assert_eq!(table.lines().count(), 2 + 39, "{table}");
    assert!(table.lines().last().unwrap().contains('█'), "{table}");
    fails(
        &run(&write_file(&dir, "one.txt", "M"), ""),
        1,
        &["one.txt", "at least 2"],
    );
    fails(
        &run(&write_file(&dir, "empty.txt", ""), ""),
        1,
        &["empty.txt", "empty"],
    );
    fails(
        &run(
            &write_file(&dir, "accent.txt", "Master:\nma\u{00ee}tre"),
            "",
        ),
        1,
        &["accent.txt", "'î'", "line 2", "column 3"],
    );
    fails(
        &run(&write_file(&dir, "long.txt", tempest(10_002)), ""),
        1,
        &["long.txt", "10002 characters", "at most 10001"],
    );
}

#[test]
fn neurons_rank_every_unit_by_r_as_the_core_does() {
    let run = on_fixture("neurons");
    let j = json(&ok(&run("--feature line-pos --top 5 --json")));
    let units = j["units"].as_array().unwrap();
    let text = tempest(400);
    let (model, ids) = model_and_ids(&text);
    let ins = rnnlab::core::inspect::inspect(&model, &ids, 0).unwrap();
    let want = rnnlab::core::neurons::rank_units(
        &ins,
        &rnnlab::core::neurons::features::line_pos(&text),
        5,
    );
    assert_eq!(units.len(), 5);
    for (u, w) in units.iter().zip(&want) {
        assert_eq!(u["layer"].as_u64(), Some(w.layer as u64), "{j}");
        assert_eq!(u["unit"].as_u64(), Some(w.unit as u64), "{j}");
        assert_eq!(u["r"].as_f64(), Some(w.r), "{j}");
    }
    assert!(
        want[0].r.abs() > 0.1 && want[0].r.abs() >= want[4].r.abs(),
        "{want:?}"
    );
    let j = json(&ok(&run("--feature regex:[aeiou] --json")));
    assert_eq!(
        j["units"].as_array().unwrap().len(),
        10,
        "the default --top"
    );
    let table = ok(&run("--feature vowel")).stdout;
    assert_eq!(table.lines().count(), 2 + 10, "{table}");
    assert!(table.contains("vowel") && table.contains('█'), "{table}");
    fails(
        &run("--feature regex:a(b"),
        1,
        &["--feature", "regex:a(b", "not a valid"],
    );
    fails(
        &run("--feature colour"),
        2,
        &["--feature", "line-pos", "regex:PATTERN"],
    );
}

#[test]
fn inspect_shows_each_character_as_the_model_read_it_from_the_start() {
    let run = on_fixture("inspect");
    let j = json(&ok(&run("--from 395 --to 400 --json")));
    let chars = j["chars"].as_array().unwrap();
    let text: Vec<char> = tempest(400).chars().collect();
    let (model, ids) = model_and_ids(&tempest(400));
    let tr = model
        .forward(Input::Tokens(&ids), 1, &State::zeros(&model.spec, 1))
        .unwrap();
    let ins = rnnlab::core::inspect::inspect(&model, &ids, 5).unwrap();
    assert_eq!(chars.len(), 5);
    for (c, t) in chars.iter().zip(395..) {
        assert_eq!(c["t"].as_u64(), Some(t as u64));
        assert_eq!(c["char"].as_str(), Some(text[t].to_string().as_str()));
        match ins.loss.get(t) {
            Some(&l) => assert_eq!(c["loss"].as_f64().map(|v| v as f32), Some(l)),
            None => assert!(t == 399 && c["loss"].is_null(), "{c}"),
        }
        let top = c["top"].as_array().unwrap();
        assert_eq!(top.len(), 5);
        let p: Vec<f32> = top.iter().map(|e| e[1].as_f64().unwrap() as f32).collect();
        assert!(p.windows(2).all(|w| w[0] >= w[1]) && p.iter().sum::<f32>() <= 1.0);
        let best = model.spec.vocab[ins.top[t][0].0 as usize].to_string();
        assert_eq!(top[0][0].as_str(), Some(best.as_str()));
        let layers = c["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 1);
        let lt = &tr.layers[0];
        assert_eq!(f32s(&layers[0]["h"]), lt.h_at(t as isize));
        assert_eq!(f32s(&layers[0]["c"]), lt.c_at(t as isize));
    }
    assert_eq!(
        json(&ok(&run("--json")))["chars"].as_array().unwrap().len(),
        400
    );
    let table = ok(&run("--from 10 --to 14")).stdout;
    assert_eq!(table.lines().count(), 1 + 4, "{table}");
    fails(&run("--from 5 --to 3"), 1, &["--from 5 --to 3", "400"]);
    fails(&run("--to 401"), 1, &["--to 401", "400", "tempest.txt"]);
    fails(&run("--from 400"), 1, &["--from 400"]);
    // Without a cell state, the layers have no "c".
    let f = fixture();
    let dir = TempDir::new().unwrap();
    let gru = dir.path().join("gru.safetensors");
    ok(&args(
        &["train", "--text", s(&f.text), "--out", s(&gru)],
        "--steps 0 --cell gru --hidden 4 --layers 2",
    ));
    let j = json(&ok(&args(
        &["inspect", "--model", s(&gru), "--text", s(&f.text)],
        "--to 1 --json",
    )));
    let layers = j["chars"][0]["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2);
    assert!(layers
        .iter()
        .all(|l| l.get("c").is_none() && f32s(&l["h"]).len() == 4));
}

#[test]
fn inspect_and_neurons_refuse_texts_over_their_limit() {
    let dir = TempDir::new().unwrap();
    let huge = write_file(&dir, "huge.txt", "a".repeat(1_000_001));
    let m = s(&fixture().model);
    for (cmd, extra) in [("inspect", ""), ("neurons", "--feature vowel")] {
        fails(
            &args(&[cmd, "--model", m, "--text", s(&huge)], extra),
            1,
            &["huge.txt", "1000001 characters", cmd, "at most 1000000"],
        );
    }
    fails(&["inspect", "--text", "t"], 2, &["--model"]);
}
