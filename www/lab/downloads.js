// The lab's downloads (shared/download.js): every chart as PNG and SVG, the loss history, the
// race's table and the sweep's runs as CSV. File names say what and at which step.

import { $ } from '../shared/format.js';
import { addDownloads, addTableDownload, useCapture } from '../shared/download.js';
import { stepView } from '../shared/steps.js';
import { drawOf } from './charts.js';
import { drawLatch } from './latch.js';
import { state } from './state.js';

const lab = () => state.lab;
const step = () => `step${lab() ? lab().steps() : 0}`;
/** The race's furthest lane, in steps. */
const raceStep = () => `step${Math.max(0, ...(state.race ? state.race.lanes().map((l) => l.step) : []))}`;
const latchName = (what) => `rnnlab-latch-${what}-w${$('latch-w').value}-x${$('latch-x').value}-T${$('latch-t').value}`;

/** The charts drawn from wasm through the lab's chart lists: canvas id, what it is, when it can
 * be kept, and the step in its name. */
const CHARTS = [
  ['c-loss', 'loss', lab, step],
  ['c-acc', 'accuracy', lab, step],
  ['c-flow', 'gradient-flow', lab, step],
  ['c-heat', 'gradient-flow-heatmap', lab, step],
  ['c-clip', 'clipping', lab, step],
  ['c-race-loss', 'race-loss', () => state.race, raceStep],
  ['c-race-acc', 'race-accuracy', () => state.race, raceStep],
  ['c-race-flow', 'race-gradient-flow', () => state.race, raceStep],
  ['c-states', 'state-space', () => state.states, () => `step${state.states ? state.states.report().step : 0}`],
  ['c-sweep', 'sweep', () => state.sweep, () => `lags${$('sweep-lags').value.replace(/[^0-9]+/g, '-')}`],
];

export function wireDownloads(mod) {
  useCapture(mod);
  for (const [id, what, ready, at] of CHARTS) {
    const chart = { name: () => `rnnlab-lab-${what}-${at()}`, draw: (c) => drawOf(id)(c), ready: () => !!ready() };
    if (id === 'c-loss') chart.csv = () => lab().historyCsv();
    if (id === 'c-sweep') chart.csv = () => state.sweep.csv();
    addDownloads(id, chart);
  }
  const view = stepView('c-step');
  addDownloads('c-step', { name: () => `rnnlab-lab-step-t${view.t}-${step()}`, svg: () => view.svg(), ready: () => view.drawn() });
  addDownloads('c-latch-h', { name: () => latchName('h'), draw: drawLatch });
  addDownloads('c-latch-d', { name: () => latchName('gradient'), draw: drawLatch });
  addTableDownload('race-table', { name: () => `rnnlab-lab-race-${raceStep()}`, csv: () => state.race.csv(), ready: () => !!state.race });
}
