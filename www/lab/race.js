// The race: RNN, LSTM and GRU side by side on the same task stream and seed, with the main
// model's settings; overlaid loss, accuracy and gradient-flow curves.

import { $, fmtInt, fmtNum, fmtPct, fmtSci } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { Charts } from './charts.js';
import { state, wasm } from './state.js';

export function raceCharts() {
  const race = () => state.race;
  return new Charts([
    { id: 'c-race-loss', draw: (c) => race() && race().drawLoss(c) },
    { id: 'c-race-acc', draw: (c) => race() && race().drawAccuracy(c) },
    { id: 'c-race-flow', draw: (c) => race() && race().drawFlow(c) },
  ]);
}

function cells() {
  return [...document.querySelectorAll('#race-cells input:checked')].map((i) => i.value).join(',');
}

/** Sets the cell checkboxes and budget option (from a link). */
export function setRaceOptions(list, equal) {
  if (list) {
    const want = list.split(',');
    for (const i of document.querySelectorAll('#race-cells input')) i.checked = want.includes(i.value);
  }
  $('race-equal').checked = equal === '1';
}

export function setRaceRunning(on) {
  state.raceRunning = on && !!state.race;
  $('race-play').textContent = state.raceRunning ? 'Pause race' : 'Start race';
}

/** The loss and accuracy charts' legends take a row per two or three lanes above the plot: the
 * charts grow with the lanes so the plot keeps its height. */
function fitLegends(lanes) {
  const height = 240 + 24 * Math.max(0, lanes - 3);
  for (const id of ['c-race-loss', 'c-race-acc']) $(id).dataset.cssHeight = String(height);
}

/** A new race with the current settings. */
export function resetRace(charts) {
  setRaceRunning(false);
  if (state.race) {
    state.race.free();
    state.race = null;
  }
  try {
    state.race = new wasm.LabRace(state.query, state.text, cells(), $('race-equal').checked);
    clearMessage('race');
    fitLegends(state.race.lanes().length);
  } catch (e) {
    message(`Could not start the race: ${errorText(e)}`, { kind: 'notice', key: 'race' });
  }
  table();
  charts.markAll();
}

/** Trains the race for about `budget` ms when it runs. */
export function raceFrame(charts, rounds, budget) {
  if (!state.raceRunning || !state.race) return;
  state.race.trainFor(rounds, budget);
  charts.markAll();
}

/** The table of lanes. */
export function table() {
  const body = $('race-table').tBodies[0];
  if (!state.race) {
    body.replaceChildren();
    return;
  }
  const lanes = state.race.lanes();
  if (body.rows.length !== lanes.length) {
    body.replaceChildren(...lanes.map(() => {
      const tr = document.createElement('tr');
      for (let i = 0; i < 7; i++) tr.append(document.createElement('td'));
      return tr;
    }));
  }
  lanes.forEach((l, i) => {
    const cells = body.rows[i].cells;
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = l.colour;
    const name = l.stopped ? `${l.label} (stopped: diverged)` : l.label;
    if (cells[0].textContent !== name) {
      cells[0].replaceChildren(sw, document.createTextNode(name));
      cells[0].title = l.stopped || '';
    }
    const vals = [fmtInt(l.hidden), fmtInt(l.params), fmtInt(l.step), fmtNum(l.loss), fmtPct(l.accuracy), Number.isFinite(l.fall) ? `${fmtSci(l.fall)}×` : '–'];
    vals.forEach((v, k) => {
      if (cells[k + 1].textContent !== v) cells[k + 1].textContent = v;
    });
  });
}

export function wireRace(charts) {
  $('race-play').addEventListener('click', () => {
    if (!state.race) resetRace(charts);
    setRaceRunning(!state.raceRunning);
  });
  $('race-reset').addEventListener('click', () => resetRace(charts));
  for (const i of document.querySelectorAll('#race-cells input, #race-equal')) {
    i.addEventListener('change', () => resetRace(charts));
  }
}
