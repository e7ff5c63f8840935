// The training worker (a module worker): loads the same wasm build as the page (`?page=`), holds
// the model that trains and answers the page's requests (protocol.js), one at a time. On the
// playground a batch of more than 16 streams trains on several threads: its gradient workers
// (pool.js) run shards of each step.

import { loadRnnlab } from './loader.js';
import { REQ, RES } from './protocol.js';
import { Pool, pooledStep, threadsFor } from './pool.js';

const params = new URL(self.location.href).searchParams;
/** The page whose model this worker trains: its build and its class. */
const PAGE = params.get('page') || 'playground';
const CLASS = { playground: 'Playground', lab: 'Lab' };

let lib = null;
/** The model that trains (a Playground or a Lab). */
let pg = null;
let session = -1;
/** Requests are handled in order, each after the one before has finished. */
let queue = Promise.resolve();
/** Whether the page's model can train a step in shards on other threads (the playground's). */
const SHARDED = PAGE === 'playground';
/** Threads a batch of several shards trains on (the page's `threads` key, else one per core). */
const THREADS = threadsFor(params.get('threads'));
/** The gradient workers (started for the first model with more than one shard, again with more
 * for a model with more shards), or null; false once they failed to start. */
let pool = null;
/** What the page should say about the threads (once), or null. */
let notice = null;
/** Milliseconds per pooled step (moving average), for trainFor's budget. */
let msPerStep = 0;

function reply(msg, transfer = []) {
  const threads = SHARDED && pool && !pool.broken && pg && pg.shards() > 1 ? Math.min(pool.threads, pg.shards()) : 1;
  self.postMessage({ ...msg, memoryBytes: lib ? lib.wasm.memory.buffer.byteLength : 0, threads, notice }, transfer);
  notice = null;
}

function poolBroke(why) {
  notice = `Training goes on with one thread: ${why}.`;
}

/** The pool for this model's steps, holding its replicas; null for a batch of one shard, one
 * thread asked, or a pool that failed (the page is told once). */
async function poolFor() {
  if (!SHARDED) return null;
  const want = Math.min(THREADS, pg.shards());
  if (want < 2 || pool === false) return null;
  if (!pool || pool.threads < want) {
    if (pool) pool.stop('a bigger pool took over');
    pool = await Pool.start(want, lib.flavour).catch((e) => {
      poolBroke(`the gradient workers could not start (${e && e.message ? e.message : e})`);
      return false;
    });
  }
  if (!pool || pool.broken) return null;
  if (pool.model !== session) {
    try {
      await pool.open(pg.replicaModel(), session);
    } catch (e) {
      pool.stop(e.message);
      poolBroke(e.message);
      return null;
    }
  }
  return pool;
}

/** Up to `maxSteps` pooled steps for about `budgetMs` (one at least), as Playground.trainFor
 * spends it: the last one with the diagnostics. */
async function trainPooled(p, maxSteps, budgetMs) {
  const t0 = performance.now();
  for (let steps = 1; ; steps++) {
    const last = steps >= maxSteps || performance.now() - t0 + 2 * msPerStep > budgetMs;
    const t1 = performance.now();
    const report = await pooledStep(pg, p, last, poolBroke);
    const ms = performance.now() - t1;
    msPerStep = msPerStep ? 0.8 * msPerStep + 0.2 * ms : ms;
    if (last) return { steps, ms: performance.now() - t0, valMs: 0, last: report };
  }
}

async function train(r) {
  const p = await poolFor();
  const report = p ? await trainPooled(p, r.maxSteps, r.budgetMs) : pg.trainFor(r.maxSteps, r.budgetMs);
  return trained(report, r.weights);
}

/** The sync packet: what the page's copy lacks (Playground.syncOut), the weights if asked. */
function packet(weights) {
  const [head, states] = pg.syncOut();
  return { head, states, weights: weights ? pg.weights() : new Float32Array(0) };
}

/** The packet's buffers, to transfer rather than copy. */
const buffers = (p) => (p ? [p.head.buffer, p.states.buffer, p.weights.buffer] : []);

function open(req) {
  const Model = lib.mod[CLASS[PAGE]];
  const made = req.bytes ? Model.load(req.bytes, req.text) : new Model(req.query, req.text);
  if (req.fix !== undefined) made.fixUnknown(req.fix);
  if (pg) pg.free();
  pg = made;
  session = req.session;
  // The page's copy was built from the same settings or file: it has these weights.
  const p = packet(false);
  return [{ kind: RES.OPENED, packet: p }, buffers(p)];
}

function trained(report, weights) {
  const p = packet(weights);
  return [{ kind: RES.TRAINED, report, packet: p }, buffers(p)];
}

async function stepOnce(weights) {
  const t0 = performance.now();
  const p = await poolFor();
  const last = p ? await pooledStep(pg, p, true, poolBroke) : pg.step();
  return trained({ steps: 1, ms: performance.now() - t0, valMs: 0, last }, weights);
}

/** What every page's worker answers. */
const HANDLERS = {
  [REQ.OPEN]: open,
  [REQ.TRAIN]: train,
  [REQ.STEP]: (r) => stepOnce(r.weights),
  [REQ.ROLLBACK]: () => {
    const step = pg.rollback();
    const p = packet(true);
    return [{ kind: RES.ROLLED_BACK, step, packet: p }, buffers(p)];
  },
  [REQ.SET_LIVE]: (r) => [{ kind: RES.LIVE, query: pg.setLive(r.key, r.value) }, []],
  [REQ.SYNC]: () => {
    const p = packet(true);
    return [{ kind: RES.SYNCED, packet: p }, buffers(p)];
  },
};

/** What only one page's model does. */
const PAGE_HANDLERS = {
  playground: {
    [REQ.SAMPLE]: (r) => {
      const args = [...r.args];
      const step = pg.steps();
      if (r.auto) args[5] = step + 1;
      return [{ kind: RES.SAMPLED, sampled: pg.sample(...args), step }, []];
    },
    [REQ.SAVE]: () => {
      const bytes = pg.save();
      return [{ kind: RES.SAVED, bytes }, [bytes.buffer]];
    },
  },
  lab: {
    [REQ.READ_TEXT]: (r) => [{ kind: RES.READ, conn: pg.connectivity(r.input), act: pg.activations(r.input, r.layer) }, []],
    [REQ.SAMPLE_TEXT]: (r) => [{ kind: RES.SAMPLED_TEXT, text: pg.sampleText(r.len, r.temperature, r.seed) }, []],
  },
};
Object.assign(HANDLERS, PAGE_HANDLERS[PAGE]);

async function handle(req) {
  if (req.kind !== REQ.OPEN && (req.session !== session || !pg)) {
    return reply({ id: req.id, kind: RES.FAILED, message: 'this model was replaced', diverged: false });
  }
  try {
    const handler = HANDLERS[req.kind];
    if (!handler) throw new Error(`the ${PAGE} page's worker does not answer “${req.kind}”`);
    const [msg, transfer] = await handler(req);
    reply({ id: req.id, ...msg }, transfer);
  } catch (e) {
    const diverged = !!pg && pg.diverged();
    const p = diverged ? packet(false) : null;
    reply({ id: req.id, kind: RES.FAILED, message: e && e.message ? e.message : String(e), diverged, packet: p }, buffers(p));
  }
}

self.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};

loadRnnlab({ page: PAGE, flavour: params.get('flavour') || 'auto' }).then(
  (l) => {
    lib = l;
    reply({ kind: RES.READY, flavour: l.flavour });
  },
  (e) => {
    // The page times out waiting for READY and says why it trains on its own thread.
    self.postMessage({ kind: RES.FAILED, message: `the worker could not load WebAssembly (${e && e.message ? e.message : e})` });
  },
);
