// The lab: starts the shared shell and the wasm module, wires the views and runs the frame loop
// (train the main model, the race and the sweep within the frame, then redraw what changed).

import { $, fmtInt, fmtNum, fmtPct, fmtSci, setText } from '../shared/format.js';
import { bootPage, clearMessage, setStatus, hideDiverged } from '../shared/shell.js';
import { SettingsForm } from '../shared/controls.js';
import { Trainer, startLoop } from '../shared/loop.js';
import { onHashEdit } from '../shared/hash.js';
import { onPixelRatioChange, onWidthChange } from '../shared/canvas.js';
import { startWorker } from '../shared/workers.js';
import { state, useWasm, wasm } from './state.js';
import { openHash, onSettings, pageState, build } from './controls.js';
import { Charts } from './charts.js';
import { initStep, drawStep, wireStep } from './step.js';
import { initText, runText, wireText } from './text.js';
import { drawLatch, wireLatch } from './latch.js';
import { raceCharts, resetRace, setRaceRunning, setRaceOptions, raceFrame, table, wireRace } from './race.js';
import { sweepCharts, sweepFrame, setSweepOptions, wireSweep } from './sweep.js';
import { statesCharts, statesFrame, resetStates, wireStates } from './states.js';
import { LESSONS } from './lessons.js';
import { wireDownloads } from './downloads.js';

const READOUTS = [
  ['r-step', 'step'],
  ['r-loss', 'loss (smoothed)'],
  ['r-acc', 'accuracy (smoothed)'],
  ['r-base', 'baseline', 'r-base-name'],
  ['r-params', 'parameters'],
  ['r-sps', 'steps / s'],
];
/** Training time per frame for the race and the sweep (twice this while the main model rests). */
const SIDE_MS = 6;

let charts;
let race;
let sweep;
let states;
let stepDirty = true;
let textDirty = false;

function markTrained() {
  charts.markAll();
  stepDirty = textDirty = true;
}

/** A checkbox per entry a race or sweep can take in each `fieldset.cells`: the cells (ticked),
 * then the remedies (`rnn+clip`, …; not ticked). */
function cellBoxes() {
  const entries = [
    ...wasm.LabRace.cells().map((c) => ({ name: c, label: c.toUpperCase(), on: true })),
    ...wasm.LabRace.remedies().map((e) => ({ name: e.name, label: e.label, on: false })),
  ];
  for (const box of document.querySelectorAll('fieldset.cells')) {
    box.append(
      ...entries.map((e) => {
        const label = document.createElement('label');
        label.className = 'check';
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.value = e.name;
        input.checked = e.on;
        label.append(input, ` ${e.label}`);
        return label;
      }),
    );
  }
}

/** The main model's charts. */
function mainCharts() {
  const lab = () => state.lab;
  return new Charts([
    { id: 'c-loss', draw: (c) => lab().drawLoss(c) },
    { id: 'c-acc', draw: (c) => lab().drawAccuracy(c) },
    { id: 'c-flow', draw: (c) => lab().drawFlow(c) },
    { id: 'c-heat', draw: (c) => lab().drawFlowHeat(c) },
    { id: 'c-clip', draw: (c) => lab().drawClip(c) },
  ]);
}

const perLayer = (arr, f) => (arr && arr.length ? [...arr].map(f).join(' · ') : '–');

/** The numbers of the toolbar, flow and clipping panels. */
function readouts() {
  const r = state.lab.readouts();
  const info = state.info;
  const sps = state.trainer.perf.sps;
  setText('r-step', fmtInt(r.step));
  setText('r-loss', fmtNum(r.loss));
  setText('r-acc', info.real && !Number.isFinite(r.accuracy) ? '–' : fmtPct(r.accuracy));
  setText('r-sps', Number.isFinite(sps) ? fmtInt(sps) : '–');
  setText('r-shrink', perLayer(r.shrink, (x) => fmtNum(x, 3)));
  setText('r-fall', perLayer(r.fall, (x) => (Number.isFinite(x) ? `${fmtSci(x)}×` : fmtSci(x))));
  setText('r-sigma', perLayer(r.sigmaMax, (x) => fmtNum(x, 2)));
  setText('r-sat', perLayer(r.saturation, (x) => fmtPct(x)));
  setText('r-clip-all', fmtPct(r.clipFraction));
  setText('r-clip-recent', fmtPct(r.clipRecent));
  setText('r-gn', fmtSci(r.gradNorm));
  setText('r-gnc', fmtSci(r.gradNormClipped));
}

/** After a new main model: reset the views that depend on its shape. */
function onNewModel() {
  const info = state.info;
  hideDiverged();
  clearMessage('train');
  const acc = Number.isFinite(info.baselineAccuracy) ? `, ${fmtPct(info.baselineAccuracy)} right` : '';
  setText('r-base-name', `baseline: ${info.baselineName}`);
  setText('r-base', `loss ${fmtNum(info.baselineLoss)}${acc}`);
  initStep(info);
  initText(info);
  markTrained();
  setStatus(state.trainer.running ? 'Training…' : 'Paused: press Play');
  resetStates(states);
  // An idle race follows the settings; a running one keeps its own until reset.
  if (!state.raceRunning) resetRace(race);
}

async function followHash() {
  const page = pageState();
  await openHash(onNewModel);
  setRaceOptions(page.get('race'), page.get('equal'));
  setSweepOptions(page.get('sweep'), page.get('lags'));
  resetRace(race);
  const lesson = LESSONS[page.get('lesson')];
  if (lesson) {
    state.trainer.setRunning(false);
    if (lesson.autoRace) setRaceRunning(true);
    $('lesson-box').scrollIntoView({ block: 'nearest' });
  }
}

function frame() {
  if (!state.lab) return;
  state.frame++;
  state.trainer.trainFrame();
  const running = state.trainer.running;
  raceFrame(race, Math.min(state.trainer.stepsPerFrame(), 50), running ? SIDE_MS : 2 * SIDE_MS);
  sweepFrame(sweep, running ? SIDE_MS : 2 * SIDE_MS);
  statesFrame(states, running);
  const busy = running || state.raceRunning || state.sweepRunning || state.statesSearching;
  for (const c of [charts, race, sweep, states]) c.run(busy, state.frame);
  if (stepDirty && (!running || state.frame % 15 === 0)) {
    drawStep();
    stepDirty = false;
  }
  if (textDirty && (!running || state.frame % 120 === 0)) {
    runText({ auto: running });
    textDirty = false;
  }
  readouts();
  if (state.raceRunning && state.frame % 10 === 0) table();
}

function wire() {
  state.trainer.wire(() => build(state.query, onNewModel));
  wireStep();
  wireText();
  wireLatch();
  wireRace(race);
  wireSweep(sweep);
  wireStates(states);
  onHashEdit(followHash);
  const resized = () => {
    for (const c of [charts, race, sweep, states]) c.markAll();
    stepDirty = true;
    drawLatch();
  };
  onWidthChange(document.querySelector('.content'), resized);
  onPixelRatioChange(resized);
}

bootPage({
  page: 'lab',
  readouts: READOUTS,
  async start(mod) {
    useWasm(mod);
    charts = mainCharts();
    race = raceCharts();
    sweep = sweepCharts();
    states = statesCharts();
    cellBoxes();
    state.form = new SettingsForm(wasm.settingsTable(''), (q) => onSettings(q, onNewModel));
    state.remote = await startWorker('lab');
    state.trainer = new Trainer({
      model: () => state.lab,
      remote: () => state.remote,
      onTrained: markTrained,
      onRollback: markTrained,
    });
    wire();
    wireDownloads(mod);
    state.trainer.setRunning(false);
    await followHash();
    drawLatch();
    startLoop(state.trainer, frame);
  },
});
