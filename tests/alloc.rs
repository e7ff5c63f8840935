//! A training step allocates nothing once its buffers exist (the speed issue's "no allocation
//! in the step"): counted with a global allocator that tallies every allocation made on the
//! test's own thread while it measures (the test harness's other threads allocate too, late
//! when the machine is loaded, and must not count).

mod common;

use common::cfg;
use rnnlab::core::data::{Streams, Vocab};
use rnnlab::core::diag::Diagnose;
use rnnlab::core::rng::Rng;
use rnnlab::core::session::{build_model, build_optimizer};
use rnnlab::core::Trainer;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted.
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if MEASURING.with(Cell::get) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn trainer(cell: &str, layers: &str, opt: &str, clip: &str, batch: usize) -> Trainer {
    let c = cfg(&format!(
        "cell={cell}&hidden=32&layers={layers}&seq-len=10&batch={batch}&optimizer={opt}&clip={clip}"
    ));
    let vocab = Vocab {
        chars: "abcdefghij".chars().collect(),
    };
    let model = build_model(&c, &vocab).unwrap();
    let opt = build_optimizer(&c, &model).unwrap();
    let mut rng = Rng::new(7);
    let data: Vec<u32> = (0..batch * 200).map(|_| rng.below(10) as u32).collect();
    let mut t = Trainer::new(
        model,
        opt,
        c.clip_rule(),
        Box::new(Streams::new(data, batch, 10).unwrap()),
    );
    t.diagnose = Diagnose::Off;
    t
}

#[test]
fn a_training_step_allocates_nothing_after_the_first() {
    for (cell, layers, opt, clip, batch) in [
        ("lstm", "1", "adam", "5", 1),
        ("gru", "2", "sgd", "1", 4),
        ("rnn", "1", "rmsprop", "0", 3),
    ] {
        let mut t = trainer(cell, layers, opt, clip, batch);
        for _ in 0..3 {
            t.step().unwrap();
        }
        // Steps 4..=40 cross an epoch boundary (a state reset) but not a snapshot (every 50).
        let before = ALLOCS.load(Ordering::Relaxed);
        MEASURING.with(|m| m.set(true));
        for _ in 0..36 {
            t.step().unwrap();
        }
        MEASURING.with(|m| m.set(false));
        let n = ALLOCS.load(Ordering::Relaxed) - before;
        assert_eq!(
            n, 0,
            "{cell} ×{layers} {opt} B={batch}: {n} allocations in 36 steps"
        );
    }
}
