// Data-parallel steps in the browser: a pool of gradient workers (gradient.js) that run the
// shards of a batch of more than 16 streams (src/core/shards.rs) beside the thread that trains,
// which runs shard 0 itself and combines all of them in the fixed order, so the bits are those
// of one thread. Messages carry the weights, tasks and results as typed arrays, transferred:
// no SharedArrayBuffer, which needs cross-origin isolation headers static hosting cannot
// promise. A step of one shard (batch ≤ 16) never comes here.

/** The page key that sets the threads (`#…&threads=2`; 1 trains on one thread). */
export const THREADS_KEY = 'threads';
/** A batch has at most 8 shards (src/core/shards.rs MAX_SHARDS): more threads would idle. */
const MAX_THREADS = 8;
/** How long a gradient worker may take to load the wasm before training goes on without it. */
const START_TIMEOUT_MS = 15000;
/** How long a step's shards may take on the gradient workers before they count as stuck (far
 * longer than any shard of a model the page can hold). */
const RUN_TIMEOUT_MS = 60000;

/** Threads to use: `asked` (the `threads` key, a count) or one per core, 1 to MAX_THREADS. */
export function threadsFor(asked) {
  const n = asked === undefined || asked === null || asked === '' ? navigator.hardwareConcurrency || 1 : Number(asked);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : 1;
}

const errorText = (e) => (e && e.message ? e.message : String(e));

/** One gradient worker, ready once its wasm is loaded (rejects with the reason it could not). */
function startOne(flavour) {
  return new Promise((resolve, reject) => {
    const url = new URL('./gradient.js', import.meta.url);
    url.searchParams.set('flavour', flavour);
    const w = new Worker(url, { type: 'module' });
    const fail = (why) => {
      clearTimeout(timer);
      w.terminate();
      reject(new Error(why));
    };
    const timer = setTimeout(() => fail(`it did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    w.onerror = (e) => {
      e.preventDefault();
      fail(e.message || 'it failed to load');
    };
    w.onmessage = (e) => {
      if (e.data.kind === 'ready') {
        clearTimeout(timer);
        resolve(w);
      } else if (e.data.kind === 'failed') fail(e.data.error);
    };
  });
}

export class Pool {
  /** `threads − 1` gradient workers of the wasm build `flavour` (rejects if one cannot start). */
  static async start(threads, flavour) {
    const made = await Promise.allSettled(Array.from({ length: threads - 1 }, () => startOne(flavour)));
    const bad = made.find((m) => m.status === 'rejected');
    if (bad) {
      made.forEach((m) => m.status === 'fulfilled' && m.value.terminate());
      throw bad.reason;
    }
    return new Pool(made.map((m) => m.value));
  }

  constructor(workers) {
    this.workers = workers;
    this.nextId = 1;
    this.pending = new Map();
    /** Why the pool stopped (a worker failed), or null. */
    this.broken = null;
    /** The model its replicas hold (set by the caller). */
    this.model = null;
    /** Buffers back from the workers, for the next step's weights and results: a fresh 0.4 MB
     * typed array costs ~0.4–0.9 ms to allocate and fill in Chromium here, a reused one ~15 µs. */
    this.spareWeights = [];
    this.spareResults = [];
    for (const w of workers) {
      w.onmessage = (e) => this.onMessage(e.data);
      w.onerror = (e) => {
        // Handled here: the training worker goes on without the pool.
        e.preventDefault();
        this.stop(`a gradient worker stopped (${e.message || 'an error'})`);
      };
      w.onmessageerror = () => this.stop('a gradient worker could not read a message');
    }
  }

  /** Threads it trains with: its workers and the caller's. */
  get threads() {
    return this.workers.length + 1;
  }

  onMessage(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.error !== undefined) return this.stop(`a gradient worker failed (${msg.error})`);
    this.pending.delete(msg.id);
    p.resolve(msg);
  }

  /** Stops every worker; whatever is in flight fails with `why`. */
  stop(why) {
    this.broken = this.broken || why;
    for (const w of this.workers) w.terminate();
    for (const p of this.pending.values()) p.reject(new Error(this.broken));
    this.pending.clear();
  }

  /** Sends `msg` to `worker`; the pool stops if the answer takes longer than `timeoutMs`, so
   * training never waits on a gradient worker that went quiet. */
  send(worker, msg, transfer, timeoutMs) {
    if (this.broken) return Promise.reject(new Error(this.broken));
    const id = this.nextId++;
    const timer = setTimeout(() => this.stop(`a gradient worker did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...msg }, transfer);
    }).finally(() => clearTimeout(timer));
  }

  /** Gives every replica the model file `bytes` (a copy each). */
  async open(bytes, model) {
    this.model = null;
    await Promise.all(this.workers.map((w) => this.send(w, { kind: 'open', model: bytes }, [], START_TIMEOUT_MS)));
    this.model = model;
  }

  /** Runs `tasks` on the workers, `per` tasks each in order, with the weights `fill(buffer)`
   * writes into a Float32Array of `count`; the results (Uint32Array) in task order. Every
   * buffer is transferred, comes back with the answer and serves the next step. */
  run(fill, count, tasks, per) {
    return Promise.all(
      tasks.map((task, i) => {
        const spare = this.spareWeights.pop();
        const weights = spare && spare.length === count ? spare : new Float32Array(count);
        fill(weights);
        const result = this.spareResults.pop() || null;
        const worker = this.workers[Math.floor(i / per) % this.workers.length];
        const msg = { kind: 'run', weights, task, result };
        const transfer = [weights.buffer, task.buffer, ...(result ? [result.buffer] : [])];
        return this.send(worker, msg, transfer, RUN_TIMEOUT_MS).then((m) => {
          // Spares again: the caller reads the result before it asks for the next step.
          this.spareWeights.push(m.weights);
          this.spareResults.push(m.result);
          return m.result.subarray(0, m.length);
        });
      }),
    );
  }
}

/**
 * One step of `model` (a Playground or Bench: beginStep, runShards, putShard, finishStep,
 * weightCount, weightsInto) with the pool: its shards split into runs of consecutive shards, one per thread; the
 * first run here, the others on the gradient workers, then all combined in the fixed order
 * (`finishStep`: the bits of `step()`). If the pool fails, its shards run here and
 * `onBroken(why)` is told. Resolves with the StepReport.
 */
export async function pooledStep(model, pool, diag, onBroken) {
  const tasks = model.beginStep(diag);
  const n = tasks.length + 1;
  const threads = pool && !pool.broken ? Math.min(pool.threads, n) : 1;
  // Shards 0…per−1 run here; the tasks of the others go out (beginStep made them for 1…).
  const per = Math.ceil(n / threads);
  const fill = (buffer) => model.weightsInto(buffer);
  const sent = per < n ? pool.run(fill, model.weightCount(), tasks.slice(per - 1), per) : null;
  model.runShards(0, per);
  const results = sent
    ? await sent.catch((e) => {
        onBroken(errorText(e));
        return null;
      })
    : null;
  if (results) results.forEach((r, i) => model.putShard(per + i, r));
  else if (per < n) model.runShards(per, n);
  return model.finishStep();
}
