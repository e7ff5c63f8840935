// Sampling while it trains: the Sample button, automatic samples generated a few characters per
// frame, and the sample box with the bars of the last step's next-character odds.

import { $, visibleChar } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { probabilityBars } from '../shared/bars.js';
import { state } from './state.js';

/** Time per frame for an automatic sample while training (while paused it gets the whole
 * budget): 300 characters of an LSTM H=128 take ~10 ms, so three or four frames. */
const SAMPLE_SLICE_MS = 3;

/** What to sample: the prime (only this text's characters; a notice names the others), length,
 * temperature, greedy and seed (an automatic sample's seed is its step: reproducible). */
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

/** Fills the sample box and the bars of the last step's distribution. */
function showSample(prime, out) {
  $('sample-prime').textContent = prime;
  $('sample-text').textContent = out.text;
  $('bars').replaceChildren(...probabilityBars(out.top, out.picked, 'the character drawn here'));
}

/** Samples now (the Sample button, and a new model's first sample); drops an automatic sample
 * still being generated. */
export function sample(auto) {
  const pg = state.pg;
  pg.cancelSample();
  const args = sampleArgs(auto);
  if (state.trainer.worker()) {
    state.lastSampleStep = pg.steps();
    sampleInWorker(args, false);
    return;
  }
  try {
    showSample(args[0], pg.sample(...args));
    clearMessage('sample');
  } catch (e) {
    message(errorText(e), { key: 'sample' });
  }
  state.lastSampleStep = pg.steps();
}

/** A sample drawn by the worker, which has the model (the page's copy may lag behind in its
 * weights); shown when it arrives. */
function sampleInWorker(args, auto) {
  const drawn = state.remote.sample(args, auto).then(
    (res) => {
      if (res) {
        showSample(args[0], res.sampled);
        if (auto) state.lastSampleStep = res.step;
        clearMessage('sample');
      }
    },
    (e) => message(errorText(e), { key: 'sample' }),
  );
  state.workerSample = drawn;
  drawn.finally(() => {
    if (state.workerSample === drawn) state.workerSample = null;
  });
}

/** Automatic samples, a few characters per frame (so no frame waits for a whole sample); a new
 * one starts only once the last is shown. `budgetMs` applies while paused. */
export function autoSample(budgetMs) {
  const pg = state.pg;
  if (state.trainer.worker()) {
    const every = $('auto-every').valueAsNumber;
    if (state.workerSample || !(every > 0 && pg.steps() - state.lastSampleStep >= every)) return;
    state.lastSampleStep = pg.steps();
    sampleInWorker(sampleArgs(true), true);
    return;
  }
  try {
    if (!pg.sampling()) {
      const every = $('auto-every').valueAsNumber;
      if (!(every > 0 && pg.steps() - state.lastSampleStep >= every)) return;
      const args = sampleArgs(true);
      state.autoPrime = args[0];
      state.lastSampleStep = pg.steps();
      pg.startSample(...args);
    }
    const out = pg.sampleFor(state.trainer.running ? SAMPLE_SLICE_MS : budgetMs);
    if (out) {
      showSample(state.autoPrime, out);
      clearMessage('sample');
    }
  } catch (e) {
    pg.cancelSample();
    message(errorText(e), { key: 'sample' });
  }
}

export function wireSampling() {
  $('sample').addEventListener('click', () => sample(false));
  const showTemp = () => {
    $('temp-out').textContent = Number($('temp').value).toFixed(2);
  };
  $('temp').addEventListener('input', showTemp);
  showTemp();
}
