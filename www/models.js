// Building, swapping, saving and loading models: from the link, the settings form, the
// text box, uploads and model files. A new Playground is built first; the current one is
// only replaced when that worked (and, if it had trained, the user agreed).

/** The `Playground` class of the wasm build app.js loaded (SIMD or scalar). */
let Playground;
export function useWasm(mod) {
  Playground = mod.Playground;
}
import * as settings from './settings.js';
import { PRESETS, fetchCorpus, readTextFile, readModelFile } from './data.js';
import { message, clearMessage, errorText, fmtInt } from './ui.js';
import { initHeatmap } from './heat.js';
import { $, state, setStatus } from './state.js';
import { hideDiverged, sample } from './loop.js';

// ---------------------------------------------------------------------------
// URL hash: the settings query plus `data=<preset>`.

function readHash() {
  const parts = location.hash.replace(/^#/, '').split('&').filter(Boolean);
  const notices = [];
  let data = 'hamlet';
  const rest = [];
  for (const p of parts) {
    if (p.startsWith('data=')) {
      let d = p.slice(5);
      try {
        d = decodeURIComponent(d);
      } catch {
        // keep it as written
      }
      if (d in PRESETS) data = d;
      else if (d === 'custom') notices.push('This link was made with the sender’s own text, which a link cannot carry: showing Hamlet instead. Paste the same text to reproduce the run.');
      else notices.push(`ignored data=${JSON.stringify(d)}: expected one of ${Object.keys(PRESETS).join(', ')}`);
    } else {
      rest.push(p);
    }
  }
  const parsed = Playground.parseQuery(rest.join('&'));
  return { query: parsed.query, data, notices: [...notices, ...parsed.notices] };
}

export let writtenHash = '';

export function writeHash() {
  writtenHash = `#${state.pg.query()}&data=${state.data}`;
  if (location.hash !== writtenHash) history.replaceState(null, '', writtenHash);
}

/** Builds the model a link describes: at start, or when someone edits the address bar. */
export async function openHash(first) {
  const { query, data, notices } = readHash();
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
    if (replaceWith(() => new Playground(query, text), text, data, 'Opening this link')) $('text').value = text;
    else writeHash();
    return true;
  }
  let pg;
  try {
    pg = new Playground(query, text);
  } catch (e) {
    message(`${errorText(e)} (starting with the default settings instead)`, { key: 'model' });
    pg = new Playground(Playground.defaultQuery(), text);
  }
  $('text').value = text;
  adopt(pg, text, data);
  return true;
}

// ---------------------------------------------------------------------------
// Building and swapping models.

function confirmDiscard(what) {
  const steps = state.pg ? state.pg.steps() : 0;
  if (steps === 0) return true;
  return window.confirm(`${what} starts over with a new model and discards the current one (trained for ${fmtInt(steps)} steps).\n\nContinue?`);
}

function adopt(pg, text, data) {
  if (state.pg) state.pg.free();
  state.pg = pg;
  state.text = text;
  state.data = data;
  state.query = settings.parse(pg.query());
  state.lastSampleStep = -Infinity;
  state.dirty = true;
  settings.fill(state.query);
  $('preset').value = data;
  const info = pg.info();
  $('data-info').textContent = `${fmtInt(info.trainChars)} characters to train on, ${pg.vocab().length} distinct; the last ${fmtInt(info.valChars)} are held out for the validation loss. Model: ${fmtInt(info.params)} weights.`;
  initHeatmap(info, state);
  hideDiverged();
  writeHash();
  sample(true);
}

/** Tries `make()`; on success asks before discarding a trained model, then adopts. Errors
 * are shown (after `errorPrefix`) and leave the current model as it was. */
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

// ---------------------------------------------------------------------------
// Settings.

export function onSettingChange() {
  const next = settings.read(state.query);
  const keys = settings.changed(state.query, next);
  if (!keys.length) return;
  if (keys.every((k) => settings.LIVE.has(k))) {
    try {
      for (const k of keys) state.pg.setLive(k, next.get(k));
      state.query = settings.parse(state.pg.query());
      clearMessage('model');
      writeHash();
    } catch (e) {
      message(errorText(e), { key: 'model' });
    }
    settings.fill(state.query);
    return;
  }
  const names = keys.filter((k) => k !== 'nonlinearity').join(', ');
  const q = settings.stringify(next);
  if (!replaceWith(() => new Playground(q, state.text), state.text, state.data, `Changing ${names}`)) settings.fill(state.query);
}

// ---------------------------------------------------------------------------
// Data.

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
  const q = settings.stringify(state.query);
  if (replaceWith(() => new Playground(q, text), text, name, `Switching to ${PRESETS[name]}`)) {
    $('text').value = text;
    clearMessage('data');
  } else {
    $('preset').value = state.data;
  }
}

export function useText(text, source) {
  if (text.length > Playground.maxTextBytes()) {
    message(`The text is ${(text.length / 1048576).toFixed(1)} MB; the playground trains on at most ${Playground.maxTextBytes() >> 20} MB.`, { key: 'data' });
    return;
  }
  const preset = Object.keys(PRESETS).find((k) => state.data === k && text === state.text);
  const data = preset || 'custom';
  const q = settings.stringify(state.query);
  if (replaceWith(() => new Playground(q, text), text, data, source)) {
    $('text').value = text;
    clearMessage('data');
  }
}

export async function onUploadText(e) {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  try {
    useText(await readTextFile(file, Playground.maxTextBytes()), `Training on “${file.name}”`);
  } catch (err) {
    message(errorText(err), { key: 'data' });
  }
}

// ---------------------------------------------------------------------------
// Model files.

export function onDownload() {
  let bytes;
  try {
    bytes = state.pg.save();
  } catch (e) {
    message(errorText(e), { key: 'file' });
    return;
  }
  const info = state.pg.info();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = `rnnlab-${info.cell}${info.hidden}-step${state.pg.steps()}.safetensors`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
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
  const load = () => Playground.load(bytes, state.text);
  if (replaceWith(load, state.text, state.data, `Loading “${file.name}”`, `Could not load “${file.name}”: `)) {
    clearMessage('file');
    message(`Loaded “${file.name}” at step ${fmtInt(state.pg.steps())}.`, { kind: 'notice', key: 'file' });
  }
}


/** A fresh model from the same settings and text (the same seed gives the same run). */
export function resetModel() {
  try {
    adopt(new Playground(settings.stringify(state.query), state.text), state.text, state.data);
    clearMessage('train');
  } catch (e) {
    message(errorText(e), { key: 'model' });
  }
}
