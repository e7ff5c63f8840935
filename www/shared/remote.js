// The page's side of the training worker (worker.js, protocol.js): starts it, opens a model in
// it and sends it requests; each answer's sync packet goes into the page's copy of the model
// (its syncIn), which the page draws, samples and inspects as before. The shared trainer
// (loop.js) trains through `train`, `step` and `rollback` here when a worker runs.

import { REQ, RES } from './protocol.js';
import { ema } from './loop.js';

/** How long the worker may take to load the wasm before the page trains on its own thread. */
const START_TIMEOUT_MS = 15000;
/** The page's copy takes new weights only this often relative to what reading them costs: at
 * most 1% of the page's time (every packet for a small model, every ~15 s for a 30M-weight one). */
const WEIGHTS_COST_SHARE = 0.01;
/** Weights that take longer than this to read would hold up a frame: while training, the page's
 * copy then takes them only when `needWeights()` says it uses them (the inspector). */
const WEIGHTS_HITCH_MS = 8;

export class Remote {
  /** A worker for `page`'s model that has loaded the wasm build `flavour`, training a batch of
   * several shards on `threads` (pool.js; default one per core); rejects with the reason it
   * could not start. */
  static start(flavour, page, threads) {
    return new Promise((resolve, reject) => {
      let worker;
      try {
        const url = new URL('./worker.js', import.meta.url);
        url.searchParams.set('flavour', flavour);
        url.searchParams.set('page', page);
        if (threads !== undefined) url.searchParams.set('threads', threads);
        worker = new Worker(url, { type: 'module' });
      } catch (e) {
        reject(e);
        return;
      }
      const fail = (why) => {
        clearTimeout(timer);
        worker.terminate();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`it did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      worker.onerror = (e) => fail(e.message || 'it failed to load');
      worker.onmessage = (e) => {
        if (e.data.kind === RES.READY) {
          clearTimeout(timer);
          resolve(new Remote(worker));
        } else if (e.data.kind === RES.FAILED) {
          fail(e.data.message);
        }
      };
    });
  }

  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    this.session = 0;
    this.pg = null;
    /** The request in flight for the current session (training waits for it). */
    this.busy = null;
    this.memoryBytes = 0;
    /** Threads the model's steps train on (pool.js). */
    this.threads = 1;
    /** Shows a sentence from the worker (set by the page). */
    this.onNotice = () => {};
    this.weightsAt = -Infinity;
    this.weightsMs = NaN;
    /** Whether the page uses its copy's weights now (set by the page). */
    this.needWeights = () => false;
    /** Counts the weights the page's copy has taken; `weightsBehind`: whether the worker has
     * trained since (a packet came without them). */
    this.weightsVersion = 0;
    this.weightsBehind = false;
    worker.onmessage = (e) => this.onMessage(e.data);
    worker.onerror = (e) => this.onCrash(e.message || 'the worker stopped');
    this.crashed = null;
  }

  /** Whether training goes through the worker (a model is open there). After a crash it still
   * does: every request then fails saying why, and training stays paused (the page's copy cannot
   * take over the optimizer's state). */
  get active() {
    return this.pg !== null;
  }

  onMessage(msg) {
    this.memoryBytes = msg.memoryBytes || this.memoryBytes;
    this.threads = msg.threads || this.threads;
    if (msg.notice) this.onNotice(msg.notice);
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.kind === RES.FAILED) {
      const err = new Error(msg.message);
      err.diverged = msg.diverged;
      err.packet = msg.packet;
      p.reject(err);
    } else {
      p.resolve(msg);
    }
  }

  onCrash(why) {
    this.crashed = why;
    for (const p of this.pending.values()) p.reject(new Error(`the training worker stopped (${why})`));
    this.pending.clear();
  }

  request(kind, body = {}, transfer = []) {
    if (this.crashed) return Promise.reject(new Error(`the training worker stopped (${this.crashed})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, kind, session: this.session, ...body }, transfer);
    });
  }

  /** Reads a packet into the page's copy (if the answer is for the current model). */
  apply(session, packet) {
    if (session !== this.session || !packet) return false;
    const t0 = performance.now();
    this.pg.syncIn(packet.head, packet.states, packet.weights);
    this.weightsBehind = packet.weights.length === 0;
    if (!this.weightsBehind) this.weightsVersion++;
    return { ms: performance.now() - t0 };
  }

  /** Whether the answer to a `kind` request should carry the weights (see WEIGHTS_COST_SHARE
   * and WEIGHTS_HITCH_MS). */
  wantWeights(kind) {
    // A single step is a person's (Step, →): after it the page's copy is the model, whatever
    // reading the weights costs, so what is inspected is what was stepped to.
    if (kind === REQ.STEP) return true;
    if (kind === REQ.TRAIN && this.weightsMs > WEIGHTS_HITCH_MS && !this.needWeights()) return false;
    const now = performance.now();
    return !(Number.isFinite(this.weightsMs) && now - this.weightsAt < this.weightsMs / WEIGHTS_COST_SHARE);
  }

  noteWeights(asked, applied) {
    if (!asked || !applied || !this.pg) return;
    this.weightsAt = performance.now();
    this.weightsMs = ema(this.weightsMs, applied.ms);
  }

  /** Opens `pg`'s model in the worker: `fresh` (`{query}`) builds it afresh there (the same seed
   * gives the same bits), otherwise the worker loads `pg.save()` on `text`, and then drops or
   * maps the characters the model does not know as `fix` says, if given (Playground.fixUnknown).
   * Resolves once the worker has it. */
  async open(pg, text, fresh, fix) {
    const session = ++this.session;
    this.pg = pg;
    this.busy = null;
    const body = fresh ? { query: fresh.query, text } : { bytes: pg.save(), text, fix };
    // The page's copy starts with the weights; reading new ones costs about 5 ms per million
    // until measured.
    this.weightsAt = performance.now();
    this.weightsMs = pg.info().params * 5e-6;
    const res = await this.request(REQ.OPEN, body);
    this.apply(session, res.packet);
    // Its packet has no weights because the copy was made from the same settings or file.
    this.weightsBehind = false;
  }

  /** Stops training through the worker until the next `open` (a model that cannot train). */
  close() {
    this.session++;
    this.pg = null;
    this.busy = null;
  }

  /** Sends `kind`; the answer's packet goes into the page's copy. `then(res)` runs for answers
   * about the current model; errors (a divergence: after its packet) go to `fail`. */
  track(kind, body, then, fail) {
    const session = this.session;
    const weights = this.wantWeights(kind);
    const run = this.request(kind, { ...body, weights }).then(
      (res) => {
        if (this.busy === run) this.busy = null;
        this.noteWeights(weights, this.apply(session, res.packet));
        if (session === this.session) then(res);
      },
      (e) => {
        if (this.busy === run) this.busy = null;
        if (session !== this.session) return;
        if (e.packet) this.apply(session, e.packet);
        fail(e);
      },
    );
    this.busy = run;
    return run;
  }

  /** Up to `maxSteps` steps for about `budgetMs` (one at least), unless a request is in flight. */
  train(maxSteps, budgetMs, then, fail) {
    if (this.busy) return false;
    this.track(REQ.TRAIN, { maxSteps, budgetMs }, then, fail);
    return true;
  }

  /** Exactly one step, after what is in flight. */
  async step(then, fail) {
    await this.busy;
    return this.track(REQ.STEP, {}, then, fail);
  }

  async rollback() {
    await this.busy;
    const session = this.session;
    const run = this.request(REQ.ROLLBACK);
    this.busy = run;
    try {
      const res = await run;
      this.apply(session, res.packet);
      this.weightsAt = performance.now();
      return res.step;
    } finally {
      if (this.busy === run) this.busy = null;
    }
  }

  /** Resolves once no request is in flight. */
  async settled() {
    while (this.busy) await this.busy.catch(() => {});
  }

  async setLive(key, value) {
    return (await this.request(REQ.SET_LIVE, { key, value })).query;
  }

  /** A sample of the model in the worker (see REQ.SAMPLE): `{sampled, step}`, or null when the
   * model was replaced meanwhile. */
  sample(args, auto) {
    return this.ask(REQ.SAMPLE, { args, auto });
  }

  /** The answer to a `kind` request about the model as the worker has it, or null when the
   * model was replaced meanwhile. */
  async ask(kind, body) {
    const session = this.session;
    const res = await this.request(kind, body);
    return session === this.session ? res : null;
  }

  /** Brings the page's copy's weights up to date if the worker has trained since it took them
   * (after what is in flight); resolves to whether it did. */
  async catchUp() {
    if (!this.weightsBehind) return false;
    await this.sync();
    return true;
  }

  /** Brings the page's copy up to date, weights included, after what is in flight. */
  async sync() {
    const session = this.session;
    const res = await this.request(REQ.SYNC);
    this.noteWeights(true, this.apply(session, res.packet));
  }

  /** The model file, from the worker (its optimizer state is the one that trains). */
  async save() {
    await this.busy;
    return new Uint8Array((await this.request(REQ.SAVE)).bytes);
  }
}
