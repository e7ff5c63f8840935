// The lag sweep: copy task at growing lags for each chosen cell or remedy, trained a few
// milliseconds per animation frame; success rate against lag.

import { $, setText, fmtPct } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { context2d } from '../shared/canvas.js';
import { Charts } from './charts.js';
import { state, wasm } from './state.js';

export function sweepCharts() {
  return new Charts([{ id: 'c-sweep', draw: (c) => (state.sweep ? state.sweep.draw(c) : placeholder(c)) }]);
}

function placeholder(canvas) {
  const ctx = context2d(canvas);
  const [w, h] = [canvas.clientWidth, Number(canvas.dataset.cssHeight)];
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#5b6370';
  ctx.font = '15px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('Press “Start sweep”: success rate against lag appears here, one line per cell.', w / 2, h / 2);
}

function cells() {
  return [...document.querySelectorAll('#sweep-cells input:checked')].map((i) => i.value).join(',');
}

/** Ticks the sweep's entries and sets its lags (from a link). */
export function setSweepOptions(list, lags) {
  if (list) {
    const want = list.split(',');
    for (const i of document.querySelectorAll('#sweep-cells input')) i.checked = want.includes(i.value);
  }
  if (lags) $('sweep-lags').value = lags;
}

function setRunning(on) {
  state.sweepRunning = on && !!state.sweep;
  $('sweep-play').textContent = state.sweepRunning ? 'Stop sweep' : 'Start sweep';
}

function start(charts) {
  if (state.sweep) state.sweep.free();
  state.sweep = null;
  try {
    state.sweep = new wasm.LabSweep(state.query, cells(), $('sweep-lags').value, Number($('sweep-steps').value) || 1000);
    clearMessage('sweep');
    setRunning(true);
  } catch (e) {
    message(`Could not start the sweep: ${errorText(e)}`, { key: 'sweep' });
  }
  charts.markAll();
}

/** Works on the sweep for about `budget` ms when it runs. */
export function sweepFrame(charts, budget) {
  if (!state.sweepRunning || !state.sweep) return;
  let p;
  try {
    p = state.sweep.work(budget);
  } catch (e) {
    message(`The sweep stopped: ${errorText(e)}`, { key: 'sweep' });
    setRunning(false);
    return;
  }
  if (p.finished !== state.sweepFinished) {
    state.sweepFinished = p.finished;
    charts.markAll();
  }
  if (p.done) {
    setRunning(false);
    const res = state.sweep.results();
    const summary = res.map((r) => `${r.label} lag ${r.lag}: ${fmtPct(r.success)}`).join(' · ');
    setText('sweep-status', `Done (${res.length} runs). ${summary}`);
  } else {
    setText('sweep-status', `Run ${p.finished + 1} of ${p.jobs}: ${p.current}, step ${p.step}…`);
  }
}

export function wireSweep(charts) {
  $('sweep-play').addEventListener('click', () => {
    if (state.sweepRunning) setRunning(false);
    else start(charts);
  });
}
