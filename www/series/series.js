// The Series page: a bundled series or an uploaded CSV, one column of it learnt by a SeriesModel
// (wasm) with the shared shell, settings form and frame loop; the forecast chart with a cut point
// the user drags, and the model's MSE beside the naive baselines'. Every number is the core's.
// Text from the CSV (headers, file names) reaches the page only through textContent and Option.

import { $, fmtInt, fmtNum, setText } from '../shared/format.js';
import { bootPage, clearMessage, message, errorText, setStatus, hideDiverged } from '../shared/shell.js';
import { SettingsForm, applyLive } from '../shared/controls.js';
import { Trainer, startLoop } from '../shared/loop.js';
import { readHash, writeHash, toMap, changedKeys, onHashEdit } from '../shared/hash.js';
import { fitCanvas, onPixelRatioChange, onWidthChange } from '../shared/canvas.js';
import { readTextFile } from '../shared/data.js';
import { addDownloads, useCapture } from '../shared/download.js';

/** The bundled series: file, the column, season and horizon they start with. The weather is
 * daily, so its season is a year (365); CO₂ is monthly (12). */
const BUNDLED = {
  co2: { file: 'co2-concentration.csv', column: 'CO2', season: 12, horizon: 24 },
  weather: { file: 'seattle-weather.csv', column: 'temp_max', season: 365, horizon: 30 },
};
const PAGE_KEYS = ['data', 'column', 'cut', 'horizon', 'season'];
const MAX_CSV_BYTES = 20 * 1048576;
const READOUTS = [
  ['r-step', 'step'],
  ['r-loss', 'loss (smoothed)'],
  ['r-base', 'last value'],
  ['r-params', 'parameters'],
  ['r-sps', 'steps / s'],
];
/** Frames between two forecast redraws while training (a forecast runs the model over the whole
 * series). */
const FORECAST_EVERY = 20;

let wasm;
const state = {
  model: null,
  info: null,
  query: '',
  data: 'co2',
  csv: '',
  column: '',
  columns: [],
  upload: null, // {name, csv, columns} of the last good upload
  cut: 0,
  horizon: 24,
  season: 12,
  scores: null,
  form: null,
  trainer: null,
  frame: 0,
  lossDirty: true,
  forecastDirty: true,
  forecastFrame: -1e9,
  dragging: false,
};

// For tests and the curious.
window.__series = {
  get model() {
    return state.model;
  },
  state,
};

const cache = new Map();

/** The text of a bundled series (fetched once). */
async function fetchSeries(name) {
  if (!cache.has(name)) {
    const res = await fetch(new URL(`data/${BUNDLED[name].file}`, import.meta.url));
    if (!res.ok) throw new Error(`Could not load the series ${BUNDLED[name].file} (HTTP ${res.status}).`);
    cache.set(name, await res.text());
  }
  return cache.get(name);
}

function save() {
  const page = new Map([
    ['data', state.data === 'upload' ? 'co2' : state.data],
    ['column', state.column],
    ['cut', String(state.cut)],
    ['horizon', String(state.horizon)],
    ['season', String(state.season)],
  ]);
  if (state.data === 'upload') page.delete('column');
  writeHash(state.query, page, wasm.SeriesModel.defaultQuery());
}

function showSettings() {
  state.form.fill(state.query, wasm.SeriesModel.settingsTable(state.query));
  const i = state.info;
  if (!i) return;
  setText('r-params', fmtInt(i.parameters));
  setText('r-base', `MSE ${fmtNum(i.baselineLoss, 4)}`);
  setText(
    'series-about',
    `${fmtInt(i.len)} values; the first ${fmtInt(i.trainLen)} train the model. Normalised with their mean ${fmtNum(i.mean, 3)} and standard deviation ${fmtNum(i.std, 3)}.`,
  );
}

function fillColumns() {
  $('column').replaceChildren(...state.columns.map((c) => new Option(c, c)));
  $('column').value = state.column;
  $('data').value = state.data;
}

/** A new model for `query` on `src` ({data, csv, column, columns}); on failure the old model
 * and its series stay, and a message says why. */
function build(query, src) {
  let m;
  try {
    m = new wasm.SeriesModel(query, src.csv, src.column);
  } catch (e) {
    message(`Could not use that series: ${errorText(e)}`, { key: 'build' });
    fillColumns();
    showSettings();
    return false;
  }
  const fresh = src.csv !== state.csv;
  if (state.model) state.model.free();
  Object.assign(state, src, { model: m, query: m.query(), info: m.info() });
  if (fresh || !(state.cut > 0 && state.cut < state.info.len)) state.cut = state.info.trainLen;
  clearMessage('build');
  hideDiverged();
  fillColumns();
  showSettings();
  save();
  state.lossDirty = state.forecastDirty = true;
  setStatus(state.trainer.running ? 'Training…' : 'Paused: press Play');
  return true;
}

/** A bundled series by name, with its own column, season and horizon unless given. */
async function openBundled(name, { column, season, horizon } = {}) {
  const b = BUNDLED[name];
  const csv = await fetchSeries(name);
  const columns = wasm.SeriesModel.columns(csv);
  state.season = season ?? b.season;
  state.horizon = horizon ?? b.horizon;
  $('season').value = String(state.season);
  $('horizon').value = String(state.horizon);
  return build(state.query, { data: name, csv, column: column || b.column, columns });
}

async function onUpload() {
  const file = $('upload').files[0];
  if (!file) return;
  try {
    const csv = await readTextFile(file, MAX_CSV_BYTES);
    const columns = wasm.SeriesModel.columns(csv);
    if (build(state.query, { data: 'upload', csv, column: columns[0], columns })) {
      state.upload = { csv, columns };
      const opt = $('data').querySelector('option[value="upload"]');
      opt.disabled = false;
      opt.textContent = `Your CSV: ${file.name}`;
      $('data').value = 'upload';
    }
  } catch (e) {
    message(`Could not use ${file.name}: ${errorText(e)}`, { key: 'build' });
  }
}

async function onData() {
  const name = $('data').value;
  try {
    if (name === 'upload' && state.upload) {
      const { csv, columns } = state.upload;
      build(state.query, { data: 'upload', csv, column: columns[0], columns });
    } else if (name in BUNDLED) {
      await openBundled(name);
    }
  } catch (e) {
    message(errorText(e), { key: 'build' });
    fillColumns();
  }
}

/** The settings form changed: live settings apply at once, others rebuild the model. */
function onSettings(next) {
  const keys = changedKeys(toMap(state.query), toMap(next));
  if (!keys.length) return;
  if (!state.form.allLive(keys)) {
    build(next, { data: state.data, csv: state.csv, column: state.column, columns: state.columns });
    return;
  }
  try {
    state.query = applyLive(state.model, keys, next);
    clearMessage('build');
    save();
  } catch (e) {
    message(errorText(e), { key: 'build' });
  }
  showSettings();
}

/** A whole number from an input, within lo..hi (the old value when it is not a number). */
function intOf(id, lo, hi, old) {
  const v = Math.round(Number($(id).value));
  const out = Number.isFinite(v) && $(id).value.trim() !== '' ? Math.min(hi, Math.max(lo, v)) : old;
  $(id).value = String(out);
  return out;
}

function setCut(cut) {
  if (!state.model || cut === state.cut) return;
  state.cut = cut;
  state.forecastDirty = true;
}

function drawForecast() {
  const canvas = $('c-forecast');
  fitCanvas(canvas);
  try {
    const s = state.model.forecast(canvas, state.cut, state.horizon, state.season);
    state.scores = s;
    state.cut = s.cut;
    clearMessage('forecast');
    setText('r-mse', fmtNum(s.mse, 4));
    setText('r-naive', fmtNum(s.naiveMse, 4));
    setText('r-seasonal-name', `seasonal naive MSE (season ${state.season})`);
    setText('r-seasonal', Number.isFinite(s.seasonalMse) ? fmtNum(s.seasonalMse, 4) : '–');
    setText('r-onestep', fmtNum(s.oneStepMse, 4));
    setText('r-range', `values ${fmtInt(s.cut)}–${fmtInt(s.cut + s.horizon - 1)}`);
    if (document.activeElement !== $('cut')) $('cut').value = String(s.cut);
  } catch (e) {
    message(`Could not forecast: ${errorText(e)}`, { key: 'forecast' });
  }
  state.forecastDirty = false;
  state.forecastFrame = state.frame;
  save();
}

function drawLoss() {
  const canvas = $('c-loss');
  fitCanvas(canvas);
  try {
    state.model.drawLoss(canvas);
  } catch (e) {
    message(`Could not draw a chart: ${errorText(e)}`, { key: 'draw:c-loss' });
  }
  state.lossDirty = false;
}

function frame() {
  if (!state.model) return;
  state.frame++;
  state.trainer.trainFrame();
  const running = state.trainer.running;
  if (state.lossDirty && (!running || state.frame % 5 === 0)) drawLoss();
  const due = !running || state.dragging || state.frame - state.forecastFrame >= FORECAST_EVERY;
  if (state.forecastDirty && due) drawForecast();
  setText('r-step', fmtInt(state.model.steps()));
  setText('r-loss', fmtNum(state.model.smoothLoss(), 4));
  const sps = state.trainer.perf.sps;
  setText('r-sps', Number.isFinite(sps) ? fmtInt(sps) : '–');
}

function wireDrag() {
  const canvas = $('c-forecast');
  const at = (e) => state.model.cutAt(canvas.clientWidth, e.offsetX);
  canvas.addEventListener('pointerdown', (e) => {
    if (!state.model) return;
    state.dragging = true;
    canvas.setPointerCapture(e.pointerId);
    setCut(at(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    if (state.dragging) setCut(at(e));
  });
  const stop = () => {
    state.dragging = false;
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
  canvas.addEventListener('keydown', (e) => {
    const d = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
    if (!d || !state.model) return;
    e.preventDefault();
    e.stopPropagation();
    setCut(Math.min(state.info.len - 1, Math.max(1, state.cut + d * (e.shiftKey ? 10 : 1))));
  });
  $('cut').addEventListener('change', () => setCut(intOf('cut', 1, state.info.len - 1, state.cut)));
}

function wire() {
  state.trainer.wire(() => build(state.query, { data: state.data, csv: state.csv, column: state.column, columns: state.columns }));
  $('data').addEventListener('change', onData);
  $('upload').addEventListener('change', onUpload);
  $('column').addEventListener('change', () => {
    build(state.query, { data: state.data, csv: state.csv, column: $('column').value, columns: state.columns });
  });
  $('horizon').addEventListener('change', () => {
    state.horizon = intOf('horizon', 1, 1000, state.horizon);
    state.forecastDirty = true;
  });
  $('season').addEventListener('change', () => {
    state.season = intOf('season', 0, 10000, state.season);
    state.forecastDirty = true;
  });
  wireDrag();
  onHashEdit(openHash);
  const resized = () => {
    state.lossDirty = state.forecastDirty = true;
  };
  onWidthChange(document.querySelector('.content'), resized);
  onPixelRatioChange(resized);
  addDownloads('c-forecast', {
    name: () => `rnnlab-series-forecast-cut${state.cut}-step${state.model.steps()}`,
    draw: (c) => state.model.forecast(c, state.cut, state.horizon, state.season),
    ready: () => !!state.model,
  });
  addDownloads('c-loss', {
    name: () => `rnnlab-series-loss-step${state.model.steps()}`,
    draw: (c) => state.model.drawLoss(c),
    ready: () => !!state.model,
    csv: () => state.model.historyCsv(),
  });
}

/** Opens what the hash describes: settings, series, column, cut, horizon and season. */
async function openHash() {
  const { page, settings } = readHash(PAGE_KEYS);
  const parsed = wasm.SeriesModel.parseQuery(settings);
  for (const n of parsed.notices) message(`Part of the link was left out: ${n}`, { kind: 'notice', key: `hash:${n}` });
  state.query = parsed.query;
  let data = page.get('data') || 'co2';
  if (!(data in BUNDLED)) {
    message(`There is no bundled series called “${data}”; showing CO₂ instead.`, { kind: 'notice', key: 'data' });
    data = 'co2';
  }
  const num = (k) => (page.has(k) && Number.isFinite(Number(page.get(k))) ? Math.round(Number(page.get(k))) : undefined);
  try {
    const ok = await openBundled(data, { column: page.get('column'), season: num('season'), horizon: num('horizon') });
    if (!ok && page.get('column')) await openBundled(data, { season: num('season'), horizon: num('horizon') });
  } catch (e) {
    message(errorText(e), { key: 'build' });
  }
  if (num('cut') !== undefined && state.info) setCut(Math.min(state.info.len - 1, Math.max(1, num('cut'))));
}

bootPage({
  page: 'series',
  readouts: READOUTS,
  async start(mod) {
    wasm = mod;
    useCapture(mod);
    state.form = new SettingsForm(mod.SeriesModel.settingsTable(''), onSettings);
    // A series is one real number per step: there is nothing to embed.
    $('embed').closest('.field').style.display = 'none';
    state.trainer = new Trainer({
      model: () => state.model,
      onTrained: () => {
        state.lossDirty = state.forecastDirty = true;
      },
      onRollback: () => {
        state.lossDirty = state.forecastDirty = true;
      },
    });
    wire();
    state.trainer.setRunning(false);
    await openHash();
    setStatus('Paused: press Play');
    startLoop(state.trainer, frame);
  },
});
