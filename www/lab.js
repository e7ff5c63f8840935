// rnnlab lab: starts the wasm module, wires the views and runs the frame loop (train the
// main model, the race and the sweep within the frame, then redraw what changed).

import init from './pkg/rnnlab.js';
import { $, state, setStatus, message, clearMessage, errorText } from './lab-state.js';
import { FORM_KEYS, openHash, onSetting, showOutputs, writtenHash, pageState } from './lab-controls.js';
import { mainCharts, readouts, showBaseline } from './lab-charts.js';
import { initStep, drawStep, wireStep } from './lab-step.js';
import { initText, runText, wireText } from './lab-text.js';
import { drawLatch, wireLatch } from './lab-latch.js';
import { raceCharts, resetRace, setRaceRunning, setRaceOptions, raceFrame, table, wireRace } from './lab-race.js';
import { sweepCharts, sweepFrame, wireSweep } from './lab-sweep.js';
import { LESSONS } from './lab-lessons.js';

/** Steps per frame for each speed position; Infinity = as many as fit in MAX_MS. */
const SPEEDS = [1, 2, 5, 10, 20, 50, Infinity];
const MAX_MS = 25;
/** Fixed speeds stop early past this, so the page never freezes. */
const FIXED_MS = 40;
/** Training time per frame for the race and the sweep. */
const SIDE_MS = 6;

let charts;
let race;
let sweep;
let stepDirty = true;
let textDirty = false;

function setRunning(on) {
  state.running = on;
  $('play').textContent = on ? 'Pause' : 'Play';
  $('play').setAttribute('aria-pressed', String(on));
  setStatus(on ? 'Training…' : 'Paused');
  if (!on) stepDirty = true;
}

function onTrainError(e) {
  setRunning(false);
  if (state.lab.diverged()) {
    $('diverged-detail').textContent = errorText(e);
    $('diverged').hidden = false;
    setStatus('Paused: training diverged');
  } else {
    message(errorText(e), { key: 'train' });
  }
  charts.markAll();
}

function trained(n) {
  state.stepsThisSecond += n;
  charts.markAll();
  stepDirty = true;
  textDirty = true;
}

function train() {
  const speed = SPEEDS[state.speed];
  const max = speed === Infinity ? 1e6 : speed;
  const budget = speed === Infinity ? MAX_MS : speed === 1 ? 1e9 : FIXED_MS;
  try {
    trained(state.lab.trainFor(max, budget).steps);
  } catch (e) {
    onTrainError(e);
  }
}

function stepOnce() {
  if (!state.lab || !$('diverged').hidden) return;
  if (state.running) setRunning(false);
  try {
    state.lab.step();
    trained(1);
  } catch (e) {
    onTrainError(e);
  }
}

function togglePlay() {
  if (!state.lab || (!state.running && !$('diverged').hidden)) return;
  setRunning(!state.running);
}

function rollback() {
  const step = state.lab.rollback();
  $('diverged').hidden = true;
  message(`Rolled back to step ${step}. Lower the learning rate or turn clipping on before pressing Play again.`, { kind: 'notice', key: 'train' });
  charts.markAll();
  stepDirty = textDirty = true;
}

/** After a new main model: reset the views that depend on its shape. */
function onNewModel() {
  const info = state.lab.info();
  state.info = info;
  $('diverged').hidden = true;
  clearMessage('train');
  showBaseline(info);
  initStep(info);
  initText(info);
  charts.markAll();
  stepDirty = true;
  setStatus(state.running ? 'Training…' : 'Paused: press Play');
  // An idle race follows the settings; a running one keeps its own until reset.
  if (!state.raceRunning) resetRace(race);
}

async function followHash() {
  const page = pageState();
  await openHash(onNewModel);
  setRaceOptions(page.get('race'), page.get('equal'));
  resetRace(race);
  const lesson = LESSONS[page.get('lesson')];
  if (lesson) {
    setRunning(false);
    if (lesson.autoRace) setRaceRunning(true);
    $('lesson-box').scrollIntoView({ block: 'nearest' });
  }
}

function showSpeed() {
  const s = SPEEDS[state.speed];
  $('speed-out').textContent = s === Infinity ? `max (~${MAX_MS} ms/frame)` : `${s} step${s > 1 ? 's' : ''} / frame`;
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = e.target.closest && e.target.closest('input, textarea, select, [contenteditable]');
  if (typing) return;
  if (e.key === ' ' && !e.target.closest('button, a, label')) {
    e.preventDefault();
    togglePlay();
  } else if (e.key === 'ArrowRight') {
    e.preventDefault();
    stepOnce();
  }
}

function frame(now) {
  requestAnimationFrame(frame);
  if (!state.lab) return;
  state.frame++;
  if (now - state.secondStart >= 1000) {
    state.sps = state.running ? (state.stepsThisSecond * 1000) / (now - state.secondStart) : NaN;
    state.stepsThisSecond = 0;
    state.secondStart = now;
  }
  if (state.running) train();
  // The race and the sweep get more of the frame while the main model rests.
  const side = state.running ? SIDE_MS : 2 * SIDE_MS;
  raceFrame(race, Math.min(SPEEDS[state.speed], 50), side);
  sweepFrame(sweep, side);
  const busy = state.running || state.raceRunning || state.sweepRunning;
  charts.run(busy, state.frame);
  race.run(busy, state.frame);
  sweep.run(busy, state.frame);
  if (stepDirty && (!state.running || state.frame % 15 === 0)) {
    drawStep();
    stepDirty = false;
  }
  if (textDirty && (!state.running || state.frame % 120 === 0)) {
    runText();
    textDirty = false;
  }
  readouts();
  if (state.raceRunning && state.frame % 10 === 0) table();
}

function wire() {
  for (const k of FORM_KEYS) $(k).addEventListener('change', (e) => onSetting(e, onNewModel));
  for (const k of ['task-len', 'gain', 'forget-bias']) $(k).addEventListener('input', showOutputs);
  $('play').addEventListener('click', togglePlay);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', () => onSetting({ target: { id: 'seed', value: $('seed').value } }, onNewModel));
  $('rollback').addEventListener('click', rollback);
  $('speed').addEventListener('input', () => {
    state.speed = Number($('speed').value);
    showSpeed();
  });
  document.addEventListener('keydown', onKey);
  wireStep();
  wireText();
  wireLatch();
  wireRace(race);
  wireSweep(sweep);
  window.addEventListener('hashchange', () => {
    if (location.hash !== writtenHash) followHash();
  });
  new ResizeObserver(() => {
    charts.markAll();
    race.markAll();
    sweep.markAll();
    stepDirty = true;
    drawLatch();
  }).observe(document.querySelector('.content'));
}

async function boot() {
  try {
    await init();
  } catch (e) {
    setStatus('Could not start');
    message(`This browser could not start the WebAssembly module (${errorText(e)}). The lab needs a current browser with WebAssembly SIMD.`);
    return;
  }
  charts = mainCharts();
  race = raceCharts();
  sweep = sweepCharts();
  wire();
  state.speed = Number($('speed').value);
  showSpeed();
  setRunning(false);
  await followHash();
  drawLatch();
  requestAnimationFrame(frame);
}

boot();
