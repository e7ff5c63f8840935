// The playground's state: the live Playground, what it was built from, and what is to redraw.
// The wasm module's classes are set once it has loaded (`useWasm`).

export const wasm = { Playground: null, settingsTable: null };

export function useWasm(mod) {
  wasm.Playground = mod.Playground;
  wasm.settingsTable = mod.settingsTable;
}

export const state = {
  pg: null,
  /** The training worker (shared/remote.js), or null: training on the page's own thread. */
  remote: null,
  /** The settings form (shared/controls.js) and the training driver (shared/loop.js). */
  form: null,
  trainer: null,
  data: 'hamlet',
  text: '',
  dirty: true,
  lossDirty: true,
  heatDirty: true,
  lastSampleStep: -Infinity,
  sampleSeed: 1,
  autoPrime: '',
  /** A sample the worker is drawing (a promise), if any. */
  workerSample: null,
  frame: 0,
};

// Drawing and frame times (ms, moving averages): drawMs and frameMs per frame, lossMs and heatMs
// per draw of each chart.
export const drawPerf = { drawMs: NaN, frameMs: NaN, lossMs: NaN, heatMs: NaN };

// For tests and the curious: the live Playground, the page's state and its measurements.
window.__rnnlab = {
  get pg() {
    return state.pg;
  },
  state: {
    get running() {
      return state.trainer.running;
    },
    get firstStepMs() {
      return state.trainer.firstStepMs;
    },
    get text() {
      return state.text;
    },
  },
  /** Resolves once the worker has answered everything asked of it and, paused, the page's copy
   * has its weights (at once without one). */
  async settled() {
    await state.trainer.caughtUp;
    if (state.remote) await state.remote.settled();
  },
  /** `Playground.sample(...args).text` of the model as the worker has it (the page's copy's
   * without a worker). */
  async workerSample(...args) {
    if (!(state.remote && state.remote.active)) return state.pg.sample(...args).text;
    return (await state.remote.sample(args, false)).sampled.text;
  },
  /** Whether a worker trains the model (false: the page's own thread). */
  get worker() {
    return !!(state.remote && state.remote.active);
  },
  /** Threads the model's steps train on (pool.js). */
  get threads() {
    return state.remote && state.remote.active ? state.remote.threads : 1;
  },
  get perf() {
    return { ...state.trainer.perf, ...drawPerf };
  },
};
