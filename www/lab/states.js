// The state space: the fixed points of the lab's model under zero input, searched a few ms per
// frame on a copy of the model, drawn over its states' first two principal components.

import { $, fmtInt, fmtSci, setText } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { Charts } from './charts.js';
import { state, wasm } from './state.js';

/** Search time per frame (ms); twice this while nothing trains. */
const SEARCH_MS = 6;
/** The seed of the episodes and of the starts (the same model gives the same points). */
const SEED = 1;

export function statesCharts() {
  return new Charts([{ id: 'c-states', draw: (c) => state.states && state.states.draw(c) }]);
}

/** Forgets the search (a new model). */
export function resetStates(charts) {
  if (state.states) state.states.free();
  state.states = null;
  state.statesSearching = false;
  clearMessage('states');
  setText('states-status', 'Press “Find fixed points” to search the model as it is now.');
  charts.markAll();
}

/** Starts a search of the model as it is now (the worker's weights first, when it trains). */
export async function startStates(charts) {
  resetStates(charts);
  try {
    if (state.trainer.worker()) await state.remote.sync();
    state.states = new wasm.LabStates(state.lab, SEED);
  } catch (e) {
    message(`Could not look for fixed points: ${errorText(e)}`, { key: 'states' });
    setText('states-status', '');
    return;
  }
  state.statesSearching = true;
  show(state.states.report());
}

/** Searches for a slice of the frame while a search is under way. */
export function statesFrame(charts, busy) {
  if (!state.statesSearching || !state.states) return;
  const r = state.states.advance(busy ? SEARCH_MS : 2 * SEARCH_MS);
  show(r);
  if (r.finished) {
    state.statesSearching = false;
    charts.markAll();
  }
}

function show(r) {
  const at = `the model at step ${fmtInt(r.step)}`;
  if (!r.finished) {
    setText('states-status', `Searching ${at}: ${r.done} of ${r.starts} starts, ${r.found} distinct points so far…`);
    return;
  }
  const n = r.stable + r.unstable;
  const q = n ? `, q ≤ ${fmtSci(r.maxQ)}` : '';
  const secs = (r.ms / 1000).toFixed(2);
  setText('states-status', `${n} fixed points of ${at} (${r.stable} stable, ${r.unstable} unstable${q}), found in ${secs} s of search from ${r.starts} starts.`);
}

export function wireStates(charts) {
  $('states-find').addEventListener('click', () => startStates(charts));
}
