//! Who runs the shards of a batch ([`super::shards`]): the caller's thread ([`Serial`], the only
//! one in wasm) or scoped native threads ([`Threads`]). The shards' results never depend on which
//! thread ran them, so the bits are the same for every executor and thread count; a browser can
//! plug in its own (Web Workers) through the same trait.

use super::shards::Shard;

/// Runs `job(k, &mut shards[k])` for every shard `k`, in any order on any thread, and returns
/// when all are done.
pub trait Executor: Send + Sync {
    /// Threads it uses at most (1: only the caller's).
    fn threads(&self) -> usize;

    /// Runs `job` on every shard.
    fn for_each(&self, shards: &mut [Shard], job: &(dyn Fn(usize, &mut Shard) + Sync));
}

/// Every shard in turn on the caller's thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct Serial;

impl Executor for Serial {
    fn threads(&self) -> usize {
        1
    }

    fn for_each(&self, shards: &mut [Shard], job: &(dyn Fn(usize, &mut Shard) + Sync)) {
        for (k, s) in shards.iter_mut().enumerate() {
            job(k, s);
        }
    }
}

/// Up to `n` threads: the caller's and `n − 1` scoped ones started for each call, each taking
/// a contiguous run of shards. Starting a thread costs some tens of µs, small against a step
/// that has more than one shard (B > [`super::shards::SHARD_STREAMS`]); a one-shard step never
/// gets here. `std::thread::scope` rather than a pool crate: one scope per step is all it
/// needs.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug)]
pub struct Threads(usize);

#[cfg(not(target_arch = "wasm32"))]
impl Threads {
    /// `n` threads (0 is taken as 1).
    pub fn new(n: usize) -> Self {
        Threads(n.max(1))
    }

    /// One thread per core (`std::thread::available_parallelism`, 1 if unknown).
    pub fn all_cores() -> Self {
        Threads::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Executor for Threads {
    fn threads(&self) -> usize {
        self.0
    }

    fn for_each(&self, shards: &mut [Shard], job: &(dyn Fn(usize, &mut Shard) + Sync)) {
        let per = shards.len().div_ceil(self.0.min(shards.len()).max(1));
        if per == shards.len() {
            return Serial.for_each(shards, job);
        }
        let run = |first: usize, run: &mut [Shard]| {
            for (i, s) in run.iter_mut().enumerate() {
                job(first + i, s);
            }
        };
        std::thread::scope(|scope| {
            let mut runs = shards.chunks_mut(per).enumerate();
            let (_, mine) = runs.next().expect("at least one shard");
            for (r, part) in runs {
                scope.spawn(move || run(r * per, part));
            }
            run(0, mine);
        });
    }
}
