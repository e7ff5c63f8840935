// The training worker (a module worker): loads the same wasm build as the page (`?page=`), holds
// the model that trains and answers the page's requests (protocol.js), one at a time.

import { loadRnnlab } from './loader.js';
import { REQ, RES } from './protocol.js';

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

function stepOnce(weights) {
  const t0 = performance.now();
  const last = pg.step();
  return trained({ steps: 1, ms: performance.now() - t0, valMs: 0, last }, weights);
}

/** What every page's worker answers. */
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

function handle(req) {
  if (req.kind !== REQ.OPEN && (req.session !== session || !pg)) {
    return reply({ id: req.id, kind: RES.FAILED, message: 'this model was replaced', diverged: false });
  }
  try {
    const handler = HANDLERS[req.kind];
    if (!handler) throw new Error(`the ${PAGE} page's worker does not answer “${req.kind}”`);
    const [msg, transfer] = handler(req);
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
