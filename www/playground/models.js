// Building, swapping, saving and loading models: from the link, the settings form, the text box,
// uploads and model files. A new Playground is built first; the current one is only replaced
// when that worked (and, if it had trained, the user agreed).

import { $, fmtInt, visibleChar } from '../shared/format.js';
import { message, clearMessage, errorText, setStatus, hideDiverged } from '../shared/shell.js';
import { readHash, writeHash, toMap, changedKeys } from '../shared/hash.js';
import { WORKER_KEY } from '../shared/workers.js';
import { THREADS_KEY } from '../shared/pool.js';
import { PRESETS, fetchCorpus, readTextFile, readModelFile, saveBytes } from '../shared/data.js';
import { initHeatmap } from './heat.js';
import { initInspect } from './inspect.js';
import { sample } from './sample.js';
import { state, wasm } from './state.js';

/** The page's own keys in the hash: which shipped text (or `custom`), `worker=off` and
 * `threads=N`. */
const PAGE_KEYS = ['data', WORKER_KEY, THREADS_KEY];

function save() {
  const page = new Map([['data', state.data]]);
  const asked = readHash(PAGE_KEYS).page;
  if (asked.get(WORKER_KEY) === 'off') page.set(WORKER_KEY, 'off');
  if (asked.has(THREADS_KEY)) page.set(THREADS_KEY, asked.get(THREADS_KEY));
  writeHash(state.pg.query(), page);
}

/** Playgrounds built afresh from settings and a text: the worker builds its own the same way. */
const FRESH = new WeakMap();

function fresh(query, text) {
  const pg = new wasm.Playground(query, text);
  FRESH.set(pg, { query: pg.query() });
  return pg;
}

/** The model file: from the worker when it trains the model (its optimizer state is the live
 * one), else from the page's model. */
export async function modelFile() {
  return state.trainer.worker() ? state.remote.save() : state.pg.save();
}

/** Loaded models whose unknown characters were dropped or mapped: to what. */
const FIXED = new WeakMap();

/** Hands the new model to the worker (none while it cannot train on the text). */
function openRemote(pg, text) {
  const r = state.remote;
  if (!r) return;
  if (pg.unknown()) {
    r.close();
    return;
  }
  r.open(pg, text, FRESH.get(pg), FIXED.get(pg)).catch((e) => {
    if (state.pg !== pg) return;
    r.close();
    message(`The training worker could not take this model (${errorText(e)}); it trains on the page itself.`, { kind: 'notice', key: 'worker' });
  });
}

/** The settings and text a link describes, with notices for what it could not use. */
function fromHash() {
  const { page, settings } = readHash(PAGE_KEYS);
  const notices = [];
  let data = 'hamlet';
  const d = page.get('data');
  if (d in PRESETS) data = d;
  else if (d === 'custom') notices.push('This link was made with the sender’s own text, which a link cannot carry: showing Hamlet instead. Paste the same text to reproduce the run.');
  else if (d !== undefined) notices.push(`ignored data=${JSON.stringify(d)}: expected one of ${Object.keys(PRESETS).join(', ')}`);
  const parsed = wasm.Playground.parseQuery(settings);
  return { query: parsed.query, data, notices: [...notices, ...parsed.notices] };
}

/** Builds the model a link describes: at start, or when someone edits the address bar. */
export async function openHash(first) {
  const { query, data, notices } = fromHash();
  for (const n of notices) message(`Part of the link was not usable and was left out: ${n}`, { kind: 'notice', key: `hash:${n}` });
  let text;
  try {
    text = await fetchCorpus(data);
  } catch (e) {
    message(errorText(e), { key: 'data' });
    if (first) setStatus('Could not load the text');
    return false;
  }
  if (!first) {
    if (replaceWith(() => fresh(query, text), text, data, 'Opening this link')) $('text').value = text;
    else save();
    return true;
  }
  let pg;
  try {
    pg = fresh(query, text);
  } catch (e) {
    message(`${errorText(e)} (starting with the default settings instead)`, { key: 'model' });
    pg = fresh(wasm.Playground.defaultQuery(), text);
  }
  $('text').value = text;
  adopt(pg, text, data);
  return true;
}

function confirmDiscard(what) {
  const steps = state.pg ? state.pg.steps() : 0;
  if (steps === 0) return true;
  return window.confirm(`${what} starts over with a new model and discards the current one (trained for ${fmtInt(steps)} steps).\n\nContinue?`);
}

function showSettings() {
  const q = state.pg.query();
  state.form.fill(q, wasm.settingsTable(q));
}

function adopt(pg, text, data) {
  if (state.pg && state.pg !== pg) state.pg.free();
  Object.assign(state, { pg, text, data, lastSampleStep: -Infinity, dirty: true });
  showSettings();
  $('preset').value = data;
  openRemote(pg, text);
  const info = pg.info();
  $('data-info').textContent = pg.unknown()
    ? `The loaded model reads ${pg.vocab().length} distinct characters, not all of this text’s (see the box above). Model: ${fmtInt(info.params)} weights.`
    : `${fmtInt(info.trainChars)} characters to train on, ${pg.vocab().length} distinct; the last ${fmtInt(info.valChars)} are held out for the validation loss. Model: ${fmtInt(info.params)} weights.`;
  initHeatmap(info);
  initInspect(info);
  hideDiverged();
  showUnknown();
  save();
  sample(true);
}

/** A loaded model that cannot read the text: the box that says which characters and offers the
 * ways forward; training waits. */
function showUnknown() {
  const u = state.pg.unknown();
  $('unknown').hidden = !u;
  if (!u) return;
  state.trainer.setRunning(false);
  $('unknown-detail').textContent = `${u.message}.`;
  const vocab = [...state.pg.vocab()];
  const keep = $('unknown-to').value;
  $('unknown-to').replaceChildren(...vocab.map((c) => new Option(`“${visibleChar(c)}”`, c)));
  $('unknown-to').value = vocab.includes(keep) ? keep : vocab.includes(' ') ? ' ' : vocab[0];
}

/** Drops the unknown characters (`to` empty) or maps them to `to`, and trains on the result. */
function fixUnknown(to) {
  try {
    state.pg.fixUnknown(to);
    FIXED.set(state.pg, to);
    adopt(state.pg, state.text, 'custom');
    message(to ? `Mapped them to “${visibleChar(to)}”: training can start.` : 'Dropped them: training can start.', { kind: 'notice', key: 'model' });
  } catch (e) {
    message(errorText(e), { key: 'model' });
  }
}

export function wireUnknown() {
  $('unknown-drop').addEventListener('click', () => fixUnknown(''));
  $('unknown-map').addEventListener('click', () => fixUnknown($('unknown-to').value));
  $('unknown-retext').addEventListener('click', () => {
    const text = $('text').value;
    try {
      adopt(state.pg.retext(text), text, 'custom');
    } catch (e) {
      message(errorText(e), { key: 'model' });
    }
  });
}

/** Tries `make()`; on success asks before discarding a trained model, then adopts. Errors are
 * shown (after `errorPrefix`) and leave the current model as it was. */
function replaceWith(make, text, data, what, errorPrefix = '') {
  let pg;
  try {
    pg = make();
  } catch (e) {
    message(errorPrefix + errorText(e), { key: 'model' });
    return false;
  }
  if (!confirmDiscard(what)) {
    pg.free();
    return false;
  }
  clearMessage('model');
  adopt(pg, text, data);
  return true;
}

/** The settings form changed: live settings apply to the running model, others rebuild it. */
export function onSettings(next) {
  const now = toMap(state.pg.query());
  const keys = changedKeys(now, toMap(next));
  if (!keys.length) return;
  if (state.form.allLive(keys)) {
    try {
      const m = toMap(next);
      for (const k of keys) {
        state.pg.setLive(k, m.get(k));
        if (state.trainer.worker()) state.remote.setLive(k, m.get(k)).catch((e) => message(errorText(e), { key: 'model' }));
      }
      clearMessage('model');
      save();
    } catch (e) {
      message(errorText(e), { key: 'model' });
    }
    showSettings();
    return;
  }
  const names = keys.join(', ');
  if (!replaceWith(() => fresh(next, state.text), state.text, state.data, `Changing ${names}`)) showSettings();
}

export async function onPreset() {
  const name = $('preset').value;
  if (name === 'custom') {
    $('text').focus();
    $('preset').value = state.data;
    message('Paste or type your text in the box below, or upload a .txt file, then press “Train on this text”.', { kind: 'notice', key: 'data' });
    return;
  }
  let text;
  try {
    text = await fetchCorpus(name);
  } catch (e) {
    message(errorText(e), { key: 'data' });
    $('preset').value = state.data;
    return;
  }
  const q = state.pg.query();
  if (replaceWith(() => fresh(q, text), text, name, `Switching to ${PRESETS[name]}`)) {
    $('text').value = text;
    clearMessage('data');
  } else {
    $('preset').value = state.data;
  }
}

export function useText(text, source) {
  const max = wasm.Playground.maxTextBytes();
  if (text.length > max) {
    message(`The text is ${(text.length / 1048576).toFixed(1)} MB; the playground trains on at most ${max >> 20} MB.`, { key: 'data' });
    return;
  }
  const preset = Object.keys(PRESETS).find((k) => state.data === k && text === state.text);
  const q = state.pg.query();
  if (replaceWith(() => fresh(q, text), text, preset || 'custom', source)) {
    $('text').value = text;
    clearMessage('data');
  }
}

export async function onUploadText(e) {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  try {
    useText(await readTextFile(file, wasm.Playground.maxTextBytes()), `Training on “${file.name}”`);
  } catch (err) {
    message(errorText(err), { key: 'data' });
  }
}

export async function onDownload() {
  let bytes;
  try {
    bytes = await modelFile();
  } catch (e) {
    message(errorText(e), { key: 'file' });
    return;
  }
  const info = state.pg.info();
  saveBytes(bytes, `rnnlab-${info.cell}${info.hidden}-step${state.pg.steps()}.safetensors`);
}

export async function onUploadModel(e) {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  let bytes;
  try {
    bytes = await readModelFile(file);
  } catch (err) {
    message(errorText(err), { key: 'file' });
    return;
  }
  const load = () => wasm.Playground.load(bytes, state.text);
  if (replaceWith(load, state.text, state.data, `Loading “${file.name}”`, `Could not load “${file.name}”: `)) {
    clearMessage('file');
    message(`Loaded “${file.name}” at step ${fmtInt(state.pg.steps())}.`, { kind: 'notice', key: 'file' });
  }
}

/** A fresh model from the same settings and text (the same seed gives the same run). */
export function resetModel() {
  try {
    adopt(fresh(state.pg.query(), state.text), state.text, state.data);
    clearMessage('train');
  } catch (e) {
    message(errorText(e), { key: 'model' });
  }
}
