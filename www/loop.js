// The training loop (one step per animation frame by default, more with the speed
// control), sampling, drawing and the readouts.

import { message, clearMessage, errorText, fmtInt, fmtNum, showSample, visibleChar } from './ui.js';
import { heatChoice, refreshTip } from './heat.js';
import { $, state, perf, setStatus } from './state.js';

/** Steps per frame for each position of the speed slider; Infinity = as many as fit. */
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, Infinity];
/** Script time per frame at "max" (training, plus drawing and sampling, which are taken off
 * the training time) adapts between these bounds to what the machine can do: a late frame
 * (20-100 ms after the one before, instead of 16.7 ms; longer gaps are not the budget's doing:
 * a hidden tab, a file dialog) cuts it by 15%, and each frame on time gives back 0.05 ms. So
 * it only shrinks while more than ~2 frames a second come late (under ~58 fps). The rest of
 * the 16.7 ms is the browser's (style, layout, paint, commit: ~1-3 ms on a 2-core machine). */
const MAX_BUDGET_MS = 10;
const MIN_BUDGET_MS = 4;
const LATE_FRAME_MS = [20, 100];
/** Fixed speeds stop early past this, so the page never freezes on a big model. */
const FIXED_BUDGET_MS = 40;
/** Time per frame for an automatic sample being generated while training (while paused, it
 * gets the whole budget): 300 characters of an LSTM H=128 take ~10 ms, so three or four frames. */
const SAMPLE_SLICE_MS = 3;

// ---------------------------------------------------------------------------
// Training.

export function setRunning(on) {
  state.running = on;
  $('play').textContent = on ? 'Pause' : 'Play';
  $('play').setAttribute('aria-pressed', String(on));
  setStatus(on ? 'Training…' : 'Paused');
}

export function hideDiverged() {
  $('diverged').hidden = true;
}

function onTrainError(e) {
  setRunning(false);
  if (state.pg.diverged()) {
    $('diverged-detail').textContent = errorText(e);
    $('diverged').hidden = false;
    setStatus('Paused: training diverged');
  } else {
    message(errorText(e), { key: 'train' });
  }
  state.dirty = true;
}

function noteSteps(r) {
  if (!r.steps) return;
  if (state.firstStepMs === null) state.firstStepMs = performance.now();
  perf.steps += r.steps;
  const ms = (r.ms - (r.valMs || 0)) / r.steps;
  perf.msPerStep = Number.isFinite(perf.msPerStep) ? 0.9 * perf.msPerStep + 0.1 * ms : ms;
  state.dirty = true;
}

/** Trains for this frame; at "max", for the budget less what this frame spends on other work
 * (drawing, sampling). At one step per frame the budget only bounds the share of a pending
 * validation loss measured in this frame (trainFor always makes one step). */
function trainFrame(otherMs) {
  const speed = SPEEDS[state.speed];
  const max = speed === Infinity ? 1e6 : speed;
  const budget = speed === Infinity ? Math.max(1, perf.budgetMs - otherMs) : speed === 1 ? perf.budgetMs : FIXED_BUDGET_MS;
  try {
    noteSteps(state.pg.trainFor(max, budget));
  } catch (e) {
    onTrainError(e);
  }
}

export function stepOnce() {
  if (!state.pg) return;
  if (state.running) setRunning(false);
  if (!$('diverged').hidden) return;
  const t0 = performance.now();
  try {
    state.pg.step();
    noteSteps({ steps: 1, ms: performance.now() - t0 });
  } catch (e) {
    onTrainError(e);
  }
}

// ---------------------------------------------------------------------------
// Sampling.

/** What to sample: the prime (only this text's characters; a notice names the others),
 * length, temperature, greedy and seed (an automatic sample's seed is its step, so it is
 * reproducible). */
function sampleArgs(auto) {
  const pg = state.pg;
  const vocab = new Set(pg.vocab());
  const raw = $('prime').value;
  const prime = [...raw].filter((c) => vocab.has(c)).join('');
  const dropped = [...new Set([...raw].filter((c) => !vocab.has(c)))];
  if (dropped.length) {
    message(`Left out of “Start with” (not among this text’s characters): ${dropped.map(visibleChar).join(' ')}`, { kind: 'notice', key: 'prime' });
  } else {
    clearMessage('prime');
  }
  const len = Math.max(1, Math.min(5000, Number($('sample-len').value) || 300));
  const temp = Number($('temp').value);
  const seed = auto ? pg.steps() + 1 : ++state.sampleSeed;
  return [prime, len, temp, $('greedy').checked, 0, seed];
}

/** Samples now (the Sample button, and a new model's first sample); drops an automatic sample
 * still being generated. */
export function sample(auto) {
  const pg = state.pg;
  pg.cancelSample();
  const args = sampleArgs(auto);
  try {
    showSample(args[0], pg.sample(...args));
    clearMessage('sample');
  } catch (e) {
    message(errorText(e), { key: 'sample' });
  }
  state.lastSampleStep = pg.steps();
}

/** Automatic samples are generated a few characters per frame (pg.startSample/sampleFor), so
 * no frame waits for a whole sample; a new one starts only once the last is shown. */
function autoSample(sliceMs) {
  const pg = state.pg;
  try {
    if (!pg.sampling()) {
      const every = $('auto-every').valueAsNumber;
      if (!(every > 0 && pg.steps() - state.lastSampleStep >= every)) return;
      const args = sampleArgs(true);
      state.autoPrime = args[0];
      state.lastSampleStep = pg.steps();
      pg.startSample(...args);
    }
    const out = pg.sampleFor(sliceMs);
    if (out) {
      showSample(state.autoPrime, out);
      clearMessage('sample');
    }
  } catch (e) {
    pg.cancelSample();
    message(errorText(e), { key: 'sample' });
  }
}

// ---------------------------------------------------------------------------
// The frame loop: train, draw (less often when drawing is slow), update the readouts.

const ema = (old, x) => (Number.isFinite(old) ? 0.9 * old + 0.1 * x : x);

/** Every how many frames the heatmap (the slow chart: one canvas call per cell, and as much
 * again for the browser to rasterise them) is redrawn while training: at most 20 times a
 * second, and so that it costs at most ~2 ms per frame on average. */
function heatEvery() {
  return Number.isFinite(perf.heatMs) ? Math.min(10, Math.max(3, Math.round(perf.heatMs / 2))) : 3;
}

/** Draws what changed. While training, a frame draws either the heatmap (on its turn) or
 * the loss chart, never both, so no frame gets both costs; paused, it draws both. */
function draw(heatTurn) {
  const pg = state.pg;
  const both = !state.running;
  try {
    if (state.heatDirty && (heatTurn || both)) {
      const t0 = performance.now();
      const { layer, which } = heatChoice();
      pg.drawHeatmap($('heat-canvas'), layer, which);
      perf.heatMs = ema(perf.heatMs, performance.now() - t0);
      state.heatDirty = false;
      refreshTip(pg);
      if (!both) return;
    }
    if (state.lossDirty) {
      const t0 = performance.now();
      pg.drawLoss($('loss-canvas'));
      perf.lossMs = ema(perf.lossMs, performance.now() - t0);
      state.lossDirty = false;
    }
    clearMessage('draw');
  } catch (e) {
    state.lossDirty = state.heatDirty = false;
    message(`Could not draw the charts: ${errorText(e)}`, { key: 'draw' });
  }
}

function setText(id, text) {
  const el = $(id);
  if (el.textContent !== text) el.textContent = text;
}

/** While training, the readouts change at most this often: each change costs the browser a
 * layout and a repaint of the page (~1-2 ms on a 2-core machine), and digits changing 60 times
 * a second cannot be read anyway. */
const READOUT_EVERY_MS = 100;
let lastReadout = -Infinity;

function readouts(now) {
  if (state.running && now - lastReadout < READOUT_EVERY_MS) return;
  lastReadout = now;
  const pg = state.pg;
  setText('r-step', fmtInt(pg.steps()));
  setText('r-chars', fmtInt(pg.chars()));
  setText('r-loss', fmtNum(pg.smoothLoss()));
  setText('r-val', fmtNum(pg.lastValLoss()));
  setText('r-ms', fmtNum(perf.msPerStep, 2));
  setText('r-sps', Number.isFinite(perf.sps) ? fmtInt(perf.sps) : '–');
  setText('r-fps', Number.isFinite(perf.fps) ? fmtInt(perf.fps) : '–');
}

/** At max speed, less training after a late frame and a little more after each one on time. */
function adaptBudget(now) {
  const gap = now - perf.lastFrame;
  perf.lastFrame = now;
  if (!state.running || SPEEDS[state.speed] !== Infinity) return;
  if (gap > LATE_FRAME_MS[1]) return;
  if (gap > LATE_FRAME_MS[0]) perf.budgetMs = Math.max(MIN_BUDGET_MS, 0.85 * perf.budgetMs);
  else perf.budgetMs = Math.min(MAX_BUDGET_MS, perf.budgetMs + 0.05);
}

export function frame(now) {
  requestAnimationFrame(frame);
  if (!state.pg) return;
  state.frame++;
  perf.frames++;
  adaptBudget(now);
  if (now - perf.t0 >= 1000) {
    const dt = (now - perf.t0) / 1000;
    perf.fps = perf.frames / dt;
    perf.sps = state.running ? perf.steps / dt : NaN;
    perf.frames = 0;
    perf.steps = 0;
    perf.t0 = now;
  }
  const heatTurn = state.frame % heatEvery() === 0;
  const t0 = performance.now();
  autoSample(state.running ? SAMPLE_SLICE_MS : perf.budgetMs);
  const sampleMs = performance.now() - t0;
  if (state.running) trainFrame(sampleMs + (heatTurn ? perf.heatMs || 0 : perf.lossMs || 0));
  if (state.dirty) {
    state.lossDirty = state.heatDirty = true;
    state.dirty = false;
  }
  const t1 = performance.now();
  if (state.lossDirty || state.heatDirty) draw(heatTurn);
  readouts(now);
  const t2 = performance.now();
  perf.drawMs = ema(perf.drawMs, t2 - t1);
  perf.frameMs = ema(perf.frameMs, t2 - t0);
}

export function togglePlay() {
  if (!state.pg) return;
  if (!state.running && !$('diverged').hidden) return;
  setRunning(!state.running);
}

export function showSpeed() {
  const s = SPEEDS[state.speed];
  $('speed-out').textContent = s === Infinity ? `max (up to ≈${MAX_BUDGET_MS} ms of training per frame)` : `${s} step${s > 1 ? 's' : ''} / frame`;
}

/** Back to the last good snapshot after a divergence. */
export function rollback() {
  const step = state.pg.rollback();
  hideDiverged();
  setStatus('Paused');
  state.dirty = true;
  message(`Rolled back to step ${fmtInt(step)}. Lower the learning rate or turn on gradient clipping before pressing Play again.`, { kind: 'notice', key: 'train' });
}
