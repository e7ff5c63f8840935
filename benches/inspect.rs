//! "Look inside" speed natively on the default LSTM (one-hot over 65 symbols, H=128): inspecting
//! 20,000 characters (states, losses and the top 5 after every character) and ranking every unit
//! against a feature of the same text. Criterion prints the times; a summary table follows, with
//! the forward pass alone and the PCA of the states for reference.

use criterion::{criterion_group, criterion_main, Criterion};
use rnnlab::core::data::Vocab;
use rnnlab::core::inspect::{inspect, Inspection};
use rnnlab::core::model::{Input, State};
use rnnlab::core::neurons::{rank_units, Feature};
use rnnlab::core::pca::pca;
use rnnlab::core::rng::Rng;
use rnnlab::core::session::build_model;
use rnnlab::core::{Config, Model};
use std::time::Instant;

const V: usize = 65;
const N: usize = 20_000;

/// The default model (LSTM, H=128, one-hot) over 65 symbols, with a newline and a space among them.
fn model() -> Model {
    let mut chars: Vec<char> = (0..V as u32 - 2)
        .map(|i| char::from_u32(0x21 + i).unwrap())
        .collect();
    chars.extend(['\n', ' ']);
    chars.sort();
    build_model(&Config::default(), &Vocab { chars }).unwrap()
}

/// N random characters of the model's vocabulary, with their text.
fn text(m: &Model) -> (Vec<u32>, String) {
    let mut rng = Rng::new(1);
    let ids: Vec<u32> = (0..N).map(|_| rng.below(V) as u32).collect();
    let s = ids.iter().map(|&i| m.spec.vocab[i as usize]).collect();
    (ids, s)
}

/// Median milliseconds of `runs` calls of `f`.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn bench(c: &mut Criterion) {
    let m = model();
    let (ids, s) = text(&m);
    c.bench_function("inspect_lstm_20k", |b| {
        b.iter(|| inspect(&m, &ids, 5).unwrap())
    });
    let ins: Inspection = inspect(&m, &ids, 5).unwrap();
    let feature = Feature::LinePos.values(&s);
    c.bench_function("rank_units_20k", |b| {
        b.iter(|| rank_units(&ins, &feature, 10))
    });
    let inspect_ms = median_ms(10, || {
        inspect(&m, &ids, 5).unwrap();
    });
    let forward_ms = median_ms(10, || {
        let mut state = State::zeros(&m.spec, 1);
        for chunk in ids.chunks(1000) {
            state = m
                .forward(Input::Tokens(chunk), 1, &state)
                .unwrap()
                .final_state();
        }
    });
    let rank_ms = median_ms(10, || {
        rank_units(&ins, &feature, 10);
    });
    let pca_ms = median_ms(5, || {
        pca(&ins.h[0], 128, 3);
    });
    println!("\n| default LSTM (V=65 H=128), {N} chars | median ms |\n|---|---|");
    println!("| inspect (states, loss, top 5) | {inspect_ms:.1} |");
    println!("| of which the forward pass | {forward_ms:.1} |");
    println!("| rank_units (128 units) | {rank_ms:.2} |");
    println!("| pca of the 128-unit h, 3 components | {pca_ms:.1} |");
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots().sample_size(10).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
