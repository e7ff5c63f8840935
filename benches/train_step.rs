//! Training-step speed natively: the standard char-LM config (V=65, H=128, T=25) for RNN, LSTM
//! and GRU at batch 1 and 32. Criterion prints ms/step; a summary table adds chars/s and GFLOP/s
//! (nominal FLOPs with the one-hot input counted as a dense product, as in the speed issue).
//! `BENCH_THREADS=1,2` (default 1) times each config on each of those thread counts (a batch of
//! more than 16 streams is split into shards that run in parallel, src/core/shards.rs);
//! `BENCH_CELLS=lstm` (default rnn,lstm,gru) times only those cells.

use criterion::{criterion_group, criterion_main, Criterion};
use rnnlab::core::data::Streams;
use rnnlab::core::diag::Diagnose;
use rnnlab::core::exec::Threads;
use rnnlab::core::rng::Rng;
use rnnlab::core::session::{build_model, build_optimizer};
use rnnlab::core::{Config, Trainer};
use std::time::Instant;

const V: usize = 65;
const H: usize = 128;
const T: usize = 25;

fn trainer(cell: &str, batch: usize, threads: usize, diagnose: Diagnose) -> Trainer {
    let mut c = Config::default();
    for (k, v) in [
        ("cell", cell),
        ("hidden", "128"),
        ("seq-len", "25"),
        ("batch", &batch.to_string()),
    ] {
        c.set(k, v).unwrap();
    }
    let vocab = rnnlab::core::data::Vocab {
        chars: (0..V as u32)
            .map(|i| char::from_u32(0x21 + i).unwrap())
            .collect(),
    };
    let model = build_model(&c, &vocab).unwrap();
    let opt = build_optimizer(&c, &model).unwrap();
    let mut rng = Rng::new(1);
    let data: Vec<u32> = (0..batch * (T * 40 + 1))
        .map(|_| rng.below(V) as u32)
        .collect();
    let mut t = Trainer::new(
        model,
        opt,
        c.clip_rule(),
        Box::new(Streams::new(data, batch, T).unwrap()),
    );
    t.diagnose = diagnose;
    t.set_executor(Box::new(Threads::new(threads)));
    t
}

/// CPU time of the whole process so far (user + system, all threads), from `/proc/self/stat`
/// in clock ticks of 10 ms (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which is in parentheses): utime and stime are the
    // 12th and 13th of them.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// The cells of `BENCH_CELLS` (default all three) with their gate counts.
fn cells() -> Vec<(&'static str, usize)> {
    let list = std::env::var("BENCH_CELLS").unwrap_or_else(|_| "rnn,lstm,gru".into());
    let all = [("rnn", 1), ("lstm", 4), ("gru", 3)];
    let wanted: Vec<_> = all
        .into_iter()
        .filter(|(c, _)| list.split(',').any(|w| w.trim() == *c))
        .collect();
    assert!(
        !wanted.is_empty(),
        "BENCH_CELLS={list:?}: expected cells like rnn,lstm,gru"
    );
    wanted
}

/// The thread counts of `BENCH_THREADS` (default 1).
fn thread_counts() -> Vec<usize> {
    let list = std::env::var("BENCH_THREADS").unwrap_or_else(|_| "1".into());
    list.split(',')
        .map(|n| match n.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => panic!("BENCH_THREADS={list:?}: expected thread counts like 1,2"),
        })
        .collect()
}

/// Nominal FLOPs of one step: forward (2 products per layer + decoder) and a backward of twice that.
fn flops(gates: usize, batch: usize) -> f64 {
    let per_t = 2 * gates * H * (V + H) + 2 * V * H;
    3.0 * (T * batch * per_t) as f64
}

fn bench(c: &mut Criterion) {
    let mut summary = Vec::new();
    let runs = cells()
        .into_iter()
        .flat_map(|cg| [1, 32].map(|b| (cg, b)))
        .flat_map(|cgb| thread_counts().into_iter().map(move |n| (cgb, n)));
    for (((cell, gates), batch), threads) in runs {
        let mut t = trainer(cell, batch, threads, Diagnose::Off);
        c.bench_function(&format!("{cell}_b{batch}_t{threads}"), |b| {
            b.iter(|| t.step().unwrap())
        });
        // Our own median over a fixed number of steps for the summary table, and the process's
        // CPU time over them (all threads), which a busy machine distorts far less.
        let cpu0 = cpu_seconds();
        let mut times: Vec<f64> = (0..30)
            .map(|_| {
                let s = Instant::now();
                t.step().unwrap();
                s.elapsed().as_secs_f64()
            })
            .collect();
        let cpu_ms = cpu0.zip(cpu_seconds()).map(|(a, b)| (b - a) / 30.0 * 1e3);
        times.sort_by(f64::total_cmp);
        let ms = times[times.len() / 2] * 1e3;
        summary.push((
            format!("{cell} B={batch} threads={threads}"),
            ms,
            (T * batch) as f64 / (ms / 1e3),
            flops(gates, batch) / (ms / 1e3) / 1e9,
            cpu_ms.map_or("–".into(), |c| format!("{c:.2}")),
        ));
    }
    // A step with diagnostics: all of them (the lab's) and the heatmap's states (the
    // playground's), against none above.
    for (name, level) in [
        ("diagnostics", Diagnose::Full),
        ("states", Diagnose::States),
    ] {
        for batch in [1, 32] {
            let mut t = trainer("lstm", batch, 1, level);
            c.bench_function(&format!("lstm_b{batch}_with_{name}"), |b| {
                b.iter(|| t.step().unwrap())
            });
        }
    }
    println!("\n| config (V=65 H=128 T=25) | ms/step | chars/s | GFLOP/s | CPU ms/step |\n|---|---|---|---|---|");
    for (name, ms, cps, gf, cpu) in summary {
        println!("| {name} | {ms:.3} | {cps:.0} | {gf:.2} | {cpu} |");
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots().sample_size(20).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
