//! Data-parallel batches (src/core/shards.rs): the same bits for any number of threads, and
//! the sharded gradient equal to the unsharded one up to the order of its sums.

mod common;

use common::{cfg, tempest};
use rnnlab::core::data::{Source, Streams};
use rnnlab::core::diag::{last_step_denominator, target_rows, BatchDiag, Diagnose};
use rnnlab::core::exec::{Executor, Serial, Threads};
use rnnlab::core::loss::denominator;
use rnnlab::core::model::{Params, State};
use rnnlab::core::replica::Replica;
use rnnlab::core::session::{TaskSession, TextSession};
use rnnlab::core::shards::{combine_grads, combine_loss, partition, Job, Shard};
use rnnlab::core::trainer::target_of;
use rnnlab::core::{Config, Trainer};

/// Loss bits of every step, the final weights' bits and the last diagnostics of `steps` steps.
/// Every cell, and the remedies that change the passes: residual connections both ways and
/// attention.
const CELLS: [&str; 5] = [
    "rnn",
    "lstm",
    "gru",
    "rnn&residual=time&init=identity&gain=0",
    "gru&residual=layers&attention=dot",
];

fn run(trainer: &mut Trainer, threads: usize, steps: usize) -> (Vec<u32>, Vec<u32>, String) {
    trainer.set_executor(Box::new(Threads::new(threads)));
    assert_eq!(trainer.threads(), threads);
    let losses = (0..steps)
        .map(|_| trainer.step().unwrap().loss.to_bits())
        .collect();
    bits(trainer, losses)
}

/// The loss bits given, the weights' bits and the last diagnostics of `trainer`.
fn bits(trainer: &Trainer, losses: Vec<u32>) -> (Vec<u32>, Vec<u32>, String) {
    let weights = trainer
        .model
        .params
        .iter()
        .flat_map(|s| s.iter().map(|v| v.to_bits()))
        .collect();
    (losses, weights, format!("{:?}", trainer.diagnostics()))
}

fn text_trainer(query: &str) -> Trainer {
    TextSession::new(&cfg(query), &tempest(4000), 0.0)
        .unwrap()
        .trainer
}

#[test]
fn a_batch_of_37_is_three_shards() {
    assert_eq!(partition(37), vec![0..13, 13..25, 25..37]);
    assert_eq!((partition(16).len(), partition(16)[0].clone()), (1, 0..16));
    assert_eq!((partition(1).len(), partition(1)[0].clone()), (1, 0..1));
    assert_eq!(partition(32), vec![0..16, 16..32]);
    // Big batches get bigger shards, never more than eight.
    let p = partition(500);
    assert_eq!((p.len(), p[0].len(), p[7].end), (8, 63, 500));
}

#[test]
fn text_training_gives_the_same_bits_on_1_2_and_3_threads() {
    for cell in CELLS {
        let q = format!("cell={cell}&hidden=12&layers=2&seq-len=7&batch=37&lr=0.02&seed=5");
        let want = run(&mut text_trainer(&q), 1, 6);
        for threads in [2, 3] {
            let got = run(&mut text_trainer(&q), threads, 6);
            assert_eq!(got.0, want.0, "{cell}: losses on {threads} threads");
            assert_eq!(got.1, want.1, "{cell}: weights on {threads} threads");
            assert_eq!(got.2, want.2, "{cell}: diagnostics on {threads} threads");
        }
    }
}

#[test]
fn task_training_gives_the_same_bits_on_1_and_3_threads() {
    // Real-valued inputs and targets (adding, sine) and embedded symbols (copy).
    for q in [
        "task=adding&task-len=10&cell=gru&hidden=10&batch=21&seed=2",
        "task=sine&task-len=10&cell=lstm&hidden=10&batch=20&seed=2",
        "task=copy&task-len=10&cell=lstm&hidden=10&embed=4&batch=37&seed=2",
    ] {
        let trainer = || TaskSession::new(&cfg(q)).unwrap().trainer;
        let want = run(&mut trainer(), 1, 5);
        let got = run(&mut trainer(), 3, 5);
        assert_eq!(got, want, "{q}");
    }
}

/// The combined gradient, loss sum and batch-wide diagnostics of a window cut into `parts`.
fn sharded(c: &Config, parts: &[std::ops::Range<usize>]) -> (Params, f64, BatchDiag) {
    let text: Vec<u32> = tempest(3000).chars().map(|ch| ch as u32 % 60).collect();
    let b = c.batch;
    let vocab = rnnlab::core::data::Vocab {
        chars: (0..60).map(|i| char::from_u32(0x30 + i).unwrap()).collect(),
    };
    let model = rnnlab::core::session::build_model(c, &vocab).unwrap();
    let mut streams = Streams::new(text, b, c.seq_len).unwrap();
    let w = streams.next_window();
    let mut state = State::zeros(&model.spec, b);
    // A carried state that is not zero, different in every stream.
    for (i, v) in state.h.iter_mut().flatten().enumerate() {
        *v = ((i % 13) as f32 - 6.0) / 10.0;
    }
    for (i, v) in state.c.iter_mut().flatten().enumerate() {
        *v = ((i % 7) as f32 - 3.0) / 5.0;
    }
    let o = model.spec.output_size;
    let job = Job {
        model: &model,
        window: &w,
        state: &state,
        parts,
        n: denominator(target_of(&w), target_rows(&w, o), o),
        last_n: Some(last_step_denominator(&w, b, o)),
    };
    let mut shards: Vec<Shard> = parts.iter().map(|_| Shard::default()).collect();
    Serial.for_each(&mut shards, &|k, s| job.run(k, s));
    combine_grads(&mut shards);
    let (loss, _) = combine_loss(&shards);
    let diag = BatchDiag::combine(shards.iter_mut().map(|s| s.diag.take().unwrap()).collect());
    (shards[0].grads.take().unwrap(), loss, diag)
}

fn close(what: &str, a: &[f32], b: &[f32]) {
    let scale = b.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-5 * scale,
            "{what}[{i}]: sharded {x} vs unsharded {y}"
        );
    }
}

#[test]
fn the_sharded_gradient_is_the_unsharded_one() {
    for cell in CELLS {
        let c = cfg(&format!(
            "cell={cell}&hidden=9&layers=2&embed=5&seq-len=6&batch=37&seed=4"
        ));
        let (whole, whole_loss, whole_diag) = sharded(&c, std::slice::from_ref(&(0..37)));
        let (parts, loss, diag) = sharded(&c, &partition(37));
        assert!(
            (loss - whole_loss).abs() < 1e-9 * whole_loss.abs(),
            "{cell}: loss"
        );
        for ((name, _, g), (_, _, w)) in parts.named().iter().zip(whole.named().iter()) {
            close(&format!("{cell} ∂{name}"), g, w);
        }
        for (a, b) in diag.dh_total.iter().zip(&whole_diag.dh_total) {
            close(&format!("{cell} ‖∂L/∂h‖"), a, b);
        }
        for (a, b) in diag.dh_last.iter().zip(&whole_diag.dh_last) {
            close(&format!("{cell} ‖∂L_T/∂h‖"), a, b);
        }
        assert_eq!(diag.saturation, whole_diag.saturation, "{cell}");
        assert!(
            parts.iter().flatten().any(|v| *v != 0.0),
            "{cell}: a zero gradient"
        );
    }
}

#[path = "common/run.rs"]
mod run;

#[test]
fn the_cli_trains_the_same_model_on_1_and_3_threads() {
    let dir = tempfile::TempDir::new().unwrap();
    let text = dir.path().join("t.txt");
    std::fs::write(&text, tempest(2000)).unwrap();
    let train = |threads: &str, out: &str| {
        let out = dir.path().join(out);
        let flags = "--hidden 12 --seq-len 8 --batch 40 --steps 5 --threads";
        let mut a: Vec<String> = ["train", "--text", text.to_str().unwrap()]
            .iter()
            .chain(&flags.split(' ').collect::<Vec<_>>())
            .map(|s| s.to_string())
            .collect();
        a.extend([threads.into(), "--out".into(), out.to_str().unwrap().into()]);
        run::ok(&a);
        rnnlab::core::io::load(&std::fs::read(out).unwrap()).unwrap()
    };
    let (one, three) = (train("1", "a"), train("3", "b"));
    assert_eq!(one.model.params, three.model.params);
    assert_eq!(one.checkpoint, three.checkpoint);
    let t = text.to_str().unwrap();
    run::fails(
        &["train", "--text", t, "--threads", "0"],
        1,
        &["--threads 0", "at least 1"],
    );
}

/// The levels of diagnostics, taken in turn by the step loops below.
const LEVELS: [Diagnose; 3] = [Diagnose::Off, Diagnose::States, Diagnose::Full];

/// Steps as a browser's training worker takes them with its gradient workers: every shard but
/// the first runs on a [`Replica`] (its own copy of the model, holding other weights) from its
/// task and the weights, as words; each level of diagnostics in turn. Loss bits, weight bits,
/// diagnostics.
fn run_split(trainer: &mut Trainer, steps: usize) -> (Vec<u32>, Vec<u32>, String) {
    let mut other = trainer.model.clone();
    other
        .params
        .slices_mut()
        .into_iter()
        .for_each(|s| s.fill(0.25));
    let mut replicas: Vec<Replica> = (0..8).map(|_| Replica::new(other.clone())).collect();
    let mut losses = Vec::new();
    for i in 0..steps {
        trainer.diagnose = LEVELS[i % 3];
        let n = trainer.begin_step();
        let weights = trainer.model.params.slices().concat();
        let tasks: Vec<Vec<u32>> = (1..n).map(|k| trainer.shard_task(k).unwrap()).collect();
        // The replicas finish in any order.
        let mut results: Vec<(usize, Vec<u32>)> = tasks
            .iter()
            .enumerate()
            .rev()
            .map(|(i, t)| (i + 1, replicas[i].run(&weights, t).unwrap()))
            .collect();
        trainer.run_shards(0..1).unwrap();
        for (k, r) in results.drain(..) {
            trainer.put_shard(k, &r).unwrap();
        }
        losses.push(trainer.finish_step().unwrap().loss.to_bits());
    }
    bits(trainer, losses)
}

/// The same steps taken whole by `step()`, each level of diagnostics in turn.
fn run_whole(trainer: &mut Trainer, steps: usize) -> (Vec<u32>, Vec<u32>, String) {
    let losses = (0..steps)
        .map(|i| {
            trainer.diagnose = LEVELS[i % 3];
            trainer.step().unwrap().loss.to_bits()
        })
        .collect();
    bits(trainer, losses)
}

#[test]
fn shards_run_on_replicas_from_words_give_the_bits_of_step() {
    for cell in CELLS {
        for batch in [32, 48] {
            let q =
                format!("cell={cell}&hidden=12&layers=2&seq-len=7&batch={batch}&lr=0.02&seed=5");
            let want = run_whole(&mut text_trainer(&q), 6);
            let got = run_split(&mut text_trainer(&q), 6);
            assert_eq!(got.0, want.0, "{cell} B={batch}: losses");
            assert_eq!(got.1, want.1, "{cell} B={batch}: weights");
            assert_eq!(got.2, want.2, "{cell} B={batch}: diagnostics");
        }
    }
    // Real-valued inputs and targets.
    let q = "task=adding&task-len=10&cell=gru&hidden=10&batch=40&seed=2";
    let trainer = || TaskSession::new(&cfg(q)).unwrap().trainer;
    assert_eq!(
        run_split(&mut trainer(), 5),
        run_whole(&mut trainer(), 5),
        "{q}"
    );
}

#[test]
fn a_split_step_refuses_what_does_not_fit() {
    let q = "cell=lstm&hidden=8&seq-len=5&batch=32&seed=1";
    let mut t = text_trainer(q);
    assert!(t.finish_step().is_err(), "no step begun");
    assert_eq!(t.begin_step(), 2);
    let task = t.shard_task(1).unwrap();
    let weights = t.model.params.slices().concat();
    let mut r = Replica::new(t.model.clone());
    let msg = |e: rnnlab::core::Error| e.to_string();
    let e = r.run(&weights[1..], &task).map(|_| ()).map_err(msg);
    assert!(e.unwrap_err().contains("gradient worker weights"));
    let e = r
        .run(&weights, &task[..task.len() - 3])
        .map(|_| ())
        .map_err(msg);
    assert!(e.unwrap_err().contains("cut short"));
    let result = r.run(&weights, &task).unwrap();
    assert!(t.put_shard(1, &task).is_err(), "a task is not a result");
    assert!(
        t.put_shard(0, &result).is_err(),
        "shard 0 runs where the step began"
    );
    t.run_shards(0..1).unwrap();
    let e = t.finish_step().map(|_| ()).map_err(msg);
    assert!(e.unwrap_err().contains("every shard"));
    t.put_shard(1, &result).unwrap();
    let abandoned_then_taken = {
        // A step begun again (its first never finished) reads the same window.
        t.begin_step();
        t.step().unwrap().loss.to_bits()
    };
    let fresh = text_trainer(q).step().unwrap().loss.to_bits();
    assert_eq!(abandoned_then_taken, fresh);
}
