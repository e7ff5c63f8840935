//! Robustness: seeded mutations of model files, texts, links and CSV series go through the
//! pages' own entry points (`Playground::load`, `Playground::new`, the Series page's `columns` and
//! `SeriesLab::new`) and must give a valid model or a clear error, never a panic.
//!
//! CI runs a slice (`RNNLAB_FUZZ_CASES`, default 2500 per target); `bash scripts/fuzz.sh`
//! runs 100,000 per target (test profile, overflow checks on). A failure prints the seed, the case and what the
//! mutation did, so `RNNLAB_FUZZ_SEED=S RNNLAB_FUZZ_FROM=K` replays it.

#[path = "fuzz/mutate.rs"]
mod mutate;

mod common;

use rnnlab::core::io;
use rnnlab::core::rng::Rng;
use rnnlab::core::sample::SampleOpts;
use rnnlab::core::session::TaskSession;
use rnnlab::web::playground::{Fix, Playground};
use rnnlab::web::series::{columns, SeriesLab};
use rnnlab::web::Training;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

fn env(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Cases per target, the seed, and the first case to run.
fn plan() -> (u64, u64, u64) {
    let from = env("RNNLAB_FUZZ_FROM", 0);
    (
        from,
        from + env("RNNLAB_FUZZ_CASES", 2500),
        env("RNNLAB_FUZZ_SEED", 1),
    )
}

/// What a target's run found: cases that loaded, were refused, and the slowest case.
#[derive(Default)]
struct Tally {
    ok: u64,
    refused: u64,
    slowest_ms: f64,
    /// One example message per kind of refusal (its first words), with a count.
    kinds: BTreeMap<String, (u64, String)>,
}

impl Tally {
    fn print(&self, what: &str, t0: Instant) {
        println!(
            "fuzz {what}: {} cases, {} valid, {} refused with a message, 0 panics; slowest case {:.1} ms, {:.1} s in all",
            self.ok + self.refused,
            self.ok,
            self.refused,
            self.slowest_ms,
            t0.elapsed().as_secs_f64()
        );
        let mut kinds: Vec<_> = self.kinds.values().collect();
        kinds.sort_by_key(|k| std::cmp::Reverse(k.0));
        for (n, example) in kinds.iter().take(12) {
            println!("  {n:>7} like: {example}");
        }
    }
}

/// Runs `case` for every case of the plan with panics caught. A panic fails the test with the
/// case's seed and the note `case` wrote of its input; `case` returns whether the input loaded.
fn run(what: &str, mut case: impl FnMut(&mut Rng, &mut String) -> Result<bool, String>) {
    let (from, to, seed) = plan();
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let (mut tally, t0) = (Tally::default(), Instant::now());
    let mut failure = None;
    for k in from..to {
        let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(k));
        let (t, mut note) = (Instant::now(), String::new());
        let res = panic::catch_unwind(AssertUnwindSafe(|| case(&mut rng, &mut note)));
        tally.slowest_ms = tally.slowest_ms.max(t.elapsed().as_secs_f64() * 1e3);
        match res {
            Ok(Ok(true)) => tally.ok += 1,
            Ok(Ok(false)) => {
                tally.refused += 1;
                let msg = LAST_REFUSAL.with(|r| r.take());
                tally.kinds.entry(kind(&msg)).or_insert((0, msg)).0 += 1;
            }
            Ok(Err(why)) => failure = Some(format!("case {k} (seed {seed}): {why}")),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failure = Some(format!("case {k} (seed {seed}, {note}) panicked: {msg}"));
            }
        }
        if failure.is_some() {
            break;
        }
    }
    panic::set_hook(hook);
    if let Some(f) = failure {
        panic!("fuzz {what}: {f}");
    }
    tally.print(what, t0);
}

const TEXT_LEN: usize = 400;

/// Valid model files to mutate: checkpoints of each cell form, a plain model, an MSE model.
fn seed_files() -> Vec<Vec<u8>> {
    let text = common::tempest(TEXT_LEN);
    let mut files = Vec::new();
    for q in [
        "cell=lstm&hidden=6&layers=2&seq-len=8&batch=2&seed=3",
        "cell=gru&hidden=5&embed=4&seq-len=8&optimizer=sgd&momentum=0.9&seed=4",
        "cell=rnn&nonlinearity=relu&hidden=7&seq-len=8&optimizer=rmsprop&seed=5",
        "cell=rnn&hidden=4&layers=2&seq-len=8&optimizer=adagrad&seed=6",
    ] {
        let mut pg = Playground::new(q, &text).unwrap();
        pg.step().unwrap();
        files.push(pg.save().unwrap());
        files.push(io::save(pg.model(), None).unwrap());
    }
    let task = TaskSession::new(&common::cfg("task=sine&cell=gru&hidden=5&seed=2")).unwrap();
    files.push(io::save(&task.trainer.model, None).unwrap());
    files
}

fn opts() -> SampleOpts {
    SampleOpts {
        len: 12,
        ..SampleOpts::default()
    }
}

/// A loaded playground must work: sample, and train a step (or say why it cannot).
fn exercise(pg: &mut Playground) {
    let _ = pg.sample("", opts());
    if pg.unknown().is_some() {
        let _ = pg.fix_unknown(Fix::Drop);
    }
    let _ = pg.step();
    let _ = pg.inspect("to be");
}

/// An error must say something, and a non-finite value poked into a tensor must be refused
/// with that tensor's name.
fn check_refusal(note: &str, msg: &str) -> Result<bool, String> {
    if msg.trim().is_empty() {
        return Err(format!("{note}: refused with an empty message"));
    }
    LAST_REFUSAL.with(|r| r.replace(msg.to_string()));
    Ok(false)
}

thread_local! {
    /// The message of the last refused case, for the tally.
    static LAST_REFUSAL: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A refusal's kind: its words up to the first digit or double quote.
fn kind(msg: &str) -> String {
    msg.split(|c: char| c.is_ascii_digit() || c == '"')
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn mutated_model_files_load_or_are_refused_clearly() {
    let seeds = seed_files();
    let text = common::tempest(TEXT_LEN);
    run("model files", |rng, out| {
        let seed = &seeds[rng.below(seeds.len())];
        let (bytes, note) = mutate::model_file(seed, rng);
        out.clone_from(&note);
        match Playground::load(&bytes, &text) {
            Ok(mut pg) => {
                if let Some(name) = note.strip_prefix("poked non-finite ") {
                    return Err(format!("{name}: loaded a non-finite weight"));
                }
                exercise(&mut pg);
                Ok(true)
            }
            Err(e) => {
                let msg = e.to_string();
                if let Some(t) = note.split("into tensor ").nth(1) {
                    if note.starts_with("poked non-finite") && !msg.contains(t) {
                        return Err(format!("{note}: the message {msg:?} does not name {t}"));
                    }
                }
                check_refusal(&note, &msg)
            }
        }
    });
}

#[test]
fn mutated_texts_and_links_train_or_are_refused_clearly() {
    let text = common::tempest(TEXT_LEN);
    let file = &seed_files()[0];
    let query = "cell=gru&hidden=6&seq-len=8&batch=2&seed=9";
    run("texts and links", |rng, out| {
        let (t, note) = mutate::text(&text, rng);
        let (q, qnote) = if rng.below(3) == 0 {
            mutate::text(query, rng)
        } else {
            (query.to_string(), "valid link".into())
        };
        let note = format!("{note}, link {q:?} ({qnote})");
        out.clone_from(&note);
        let made = match rng.below(3) {
            0 => Playground::load(file, &t),
            _ => Playground::new(&q, &t),
        };
        match made {
            Ok(mut pg) => {
                exercise(&mut pg);
                Ok(true)
            }
            Err(e) => check_refusal(&note, &e.to_string()),
        }
    });
}

/// NaN and ±infinity in any tensor of any seed file, weights, optimizer moments or carried
/// state, are refused with a message that names the tensor.
#[test]
fn non_finite_values_are_refused_naming_the_tensor() {
    let text = common::tempest(TEXT_LEN);
    let mut checked = 0;
    for file in seed_files() {
        for name in mutate::tensor_names(&file) {
            for bits in [0x7fc0_0000, 0x7f80_0000, 0xff80_0000] {
                let bad = mutate::poke(&file, &name, 0, bits).unwrap();
                let err = Playground::load(&bad, &text)
                    .err()
                    .expect("a non-finite value loaded");
                let msg = err.to_string();
                assert!(
                    msg.contains(&format!("`{name}`")),
                    "{msg:?} does not name `{name}`"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} tensors checked");
}

/// Texts at the edges: empty, one character, one repeated character, only newlines, and a text
/// over the page's limit get a clear message or train.
#[test]
fn edge_texts_get_a_clear_message_or_train() {
    let q = "cell=lstm&hidden=4&seq-len=8&seed=1";
    for (t, refused) in [
        (String::new(), true),
        ("a".into(), true),
        ("\n".repeat(50), false),
        ("ab".repeat(5), false),
        ("x".repeat(rnnlab::web::MAX_TEXT_BYTES + 1), true),
    ] {
        match Playground::new(q, &t) {
            Ok(mut pg) => {
                assert!(!refused, "a text of {} bytes trained", t.len());
                pg.step().unwrap();
            }
            Err(e) => {
                assert!(refused, "a text of {} bytes was refused: {e}", t.len());
                assert!(!e.to_string().is_empty());
            }
        }
    }
}

/// The first `lines` lines of a bundled series.
fn bundled(file: &str, lines: usize) -> String {
    let path = format!("{}/www/series/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().take(lines).collect::<Vec<_>>().join("\n") + "\n"
}

/// Mutated CSVs through the Series page's entry points: the column list, a model on one column,
/// then a training step, forecasts from random cut points and the chart's cut under a pixel.
#[test]
fn mutated_csvs_train_or_are_refused_clearly() {
    let seeds = [
        bundled("co2-concentration.csv", 60),
        bundled("seattle-weather.csv", 60),
        "t,\"a, b\",c\r\n1,\"2.5\",x\r\n2,3e1,\"y\"\"z\"\r\n3,-4,\r\n4,5,w\r\n5,6,\r\n".to_string()
            + &(6..40)
                .map(|i| format!("{i},{},q\r\n", i * 7 % 11))
                .collect::<String>(),
    ];
    let query = "cell=gru&hidden=4&seq-len=8&batch=2&seed=3";
    run("CSV series", |rng, out| {
        let (csv, note) = mutate::csv(&seeds[rng.below(seeds.len())], rng);
        out.clone_from(&note);
        let cols = match columns(&csv) {
            Ok(c) => c,
            Err(e) => return check_refusal(&note, &e.to_string()),
        };
        if cols.is_empty() {
            return Err(format!("{note}: no columns and no error"));
        }
        let column = &cols[rng.below(cols.len())];
        match SeriesLab::new(query, &csv, column) {
            Ok(mut lab) => {
                let _ = lab.step();
                let n = lab.info().len as usize;
                for _ in 0..3 {
                    let (cut, horizon) = (rng.below(n + 5), rng.below(n + 5));
                    let season = [0, 1, 12, 365, n][rng.below(5)];
                    if let Err(e) = lab.forecast(cut, horizon, season) {
                        return Err(format!(
                            "{note}: forecast({cut}, {horizon}, {season}) failed: {e}"
                        ));
                    }
                }
                let px = [f64::NAN, -1.0, 0.0, 500.0, 1e12][rng.below(5)];
                let cut = lab.cut_at(640.0, px);
                if cut == 0 || cut >= n {
                    return Err(format!("{note}: cut_at({px}) = {cut} outside 1..{n}"));
                }
                Ok(true)
            }
            Err(e) => check_refusal(&note, &e.to_string()),
        }
    });
}
