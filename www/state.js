// The page's shared state: the live Playground, what it was built from, and measurements.

export const $ = (id) => document.getElementById(id);

export const state = {
  pg: null,
  query: new Map(),
  data: 'hamlet',
  text: '',
  running: true,
  speed: 0,
  dirty: true,
  lossDirty: true,
  heatDirty: true,
  lastSampleStep: -Infinity,
  sampleSeed: 1,
  autoPrime: '',
  firstStepMs: null,
  frame: 0,
};
// drawMs and frameMs: average time per frame spent drawing (+ readouts) and in all; budgetMs:
// the script time per frame at max speed (adapted by loop.js), lastFrame: the latest frame's time.
export const perf = { fps: NaN, sps: NaN, msPerStep: NaN, drawMs: NaN, frameMs: NaN, lossMs: NaN, heatMs: NaN, budgetMs: 10, lastFrame: 0, frames: 0, steps: 0, t0: 0 };

// For tests and the curious: the live Playground and the page's measurements.
window.__rnnlab = {
  get pg() { return state.pg; },
  state,
  perf,
};

export function setStatus(text) {
  $('status').textContent = text;
}

