// The training worker (a module worker): loads the same wasm build as the page, holds the model
// that trains and answers the page's requests (protocol.js), one at a time.

import { loadRnnlab } from './loader.js';
import { REQ, RES } from './protocol.js';

let lib = null;
let pg = null;
let session = -1;
/** Requests are handled in order, each after the one before has finished. */
let queue = Promise.resolve();

function reply(msg, transfer = []) {
  self.postMessage({ ...msg, memoryBytes: lib ? lib.wasm.memory.buffer.byteLength : 0 }, transfer);
}

/** The sync packet: what the page's copy lacks (Playground.syncOut), the weights if asked. */
function packet(weights) {
  const [head, states] = pg.syncOut();
  return { head, states, weights: weights ? pg.weights() : new Float32Array(0) };
}

/** The packet's buffers, to transfer rather than copy. */
const buffers = (p) => (p ? [p.head.buffer, p.states.buffer, p.weights.buffer] : []);

function open(req) {
  const made = req.bytes ? lib.mod.Playground.load(req.bytes, req.text) : new lib.mod.Playground(req.query, req.text);
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

function stepOnce(weights) {
  const t0 = performance.now();
  const last = pg.step();
  return trained({ steps: 1, ms: performance.now() - t0, valMs: 0, last }, weights);
}

const HANDLERS = {
  [REQ.OPEN]: open,
  [REQ.TRAIN]: (r) => trained(pg.trainFor(r.maxSteps, r.budgetMs), r.weights),
  [REQ.STEP]: (r) => stepOnce(r.weights),
  [REQ.ROLLBACK]: () => {
    const step = pg.rollback();
    const p = packet(true);
    return [{ kind: RES.ROLLED_BACK, step, packet: p }, buffers(p)];
  },
  [REQ.SET_LIVE]: (r) => [{ kind: RES.LIVE, query: pg.setLive(r.key, r.value) }, []],
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
};

function handle(req) {
  if (req.kind !== REQ.OPEN && (req.session !== session || !pg)) {
    return reply({ id: req.id, kind: RES.FAILED, message: 'this model was replaced', diverged: false });
  }
  try {
    const [msg, transfer] = HANDLERS[req.kind](req);
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

loadRnnlab({ flavour: new URL(self.location.href).searchParams.get('flavour') || 'auto' }).then(
  (l) => {
    lib = l;
    reply({ kind: RES.READY, flavour: l.flavour });
  },
  (e) => {
    // The page times out waiting for READY and says why it trains on its own thread.
    self.postMessage({ kind: RES.FAILED, message: `the worker could not load WebAssembly (${e && e.message ? e.message : e})` });
  },
);
