//! Element-wise activations natively: the portable scalar `libm` (`expf`, `tanhf`, and the
//! former libm sigmoid, `1/(1 + expf(−x))`) against the branch-free, vectorised slice functions
//! of `core::mathf`, over 4096 floats in [−10, 10]. Criterion reports the time per 4096 and the
//! throughput in elements/s (ns/element = 1 / throughput).

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, Throughput,
};
use rnnlab::core::mathf;
use std::hint::black_box;
use std::time::Duration;

const N: usize = 4096;

/// Times `f` on a fresh copy of the inputs (the copy is not timed).
fn run(g: &mut BenchmarkGroup<WallTime>, name: &str, f: impl Fn(&mut [f32])) {
    let xs: Vec<f32> = (0..N)
        .map(|i| -10.0 + 20.0 * (i as f32 + 0.5) / N as f32)
        .collect();
    g.bench_function(name, |b| {
        b.iter_batched_ref(|| xs.clone(), |v| f(black_box(v)), BatchSize::SmallInput)
    });
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("mathf");
    g.throughput(Throughput::Elements(N as u64));
    run(&mut g, "libm_expf", |v| {
        v.iter_mut().for_each(|x| *x = libm::expf(*x))
    });
    run(&mut g, "mathf_exp_slice", mathf::exp_slice);
    run(&mut g, "libm_sigmoid", |v| {
        v.iter_mut()
            .for_each(|x| *x = 1.0 / (1.0 + libm::expf(-*x)))
    });
    run(&mut g, "mathf_sigmoid_slice", mathf::sigmoid_slice);
    run(&mut g, "libm_tanhf", |v| {
        v.iter_mut().for_each(|x| *x = libm::tanhf(*x))
    });
    run(&mut g, "mathf_tanh_slice", mathf::tanh_slice);
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .without_plots()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
