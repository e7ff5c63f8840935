// The model run over a typed or sampled text: connectivity under each character, and one
// unit's activation colouring each character. Characters are DOM spans filled with
// textContent; the model's unknown characters stay visible, struck through. When a worker
// trains the model, it runs the text too (a big model's reading takes longer than a frame).

import { $, setText, visibleChar } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { diverging, seriesColour } from '../shared/colour.js';
import { REQ } from '../shared/protocol.js';
import { state } from './state.js';

let sampleSeed = 1;
/** The latest reading asked for (older answers are dropped), whether one is under way, and how
 * long the last took: the automatic refresh while training leaves the worker at least 90% of
 * its time for training. */
const reads = { asked: 0, busy: false, ms: 0, ended: -Infinity };
const AUTO_SHARE = 0.1;

/** The answer to `kind` from the worker when it trains the model (null when a newer model
 * replaced it), else `local(lab)` from the page's copy: both `{conn, act}` or `{text}`. */
async function fromModel(kind, body, local) {
  return state.trainer.worker() ? state.remote.ask(kind, body) : local(state.lab);
}

/** The model's reading of `text`: connectivity, and `h` of `layer`. */
const readText = (text, layer) =>
  fromModel(REQ.READ_TEXT, { input: text, layer }, (lab) => ({ conn: lab.connectivity(text), act: lab.activations(text, layer) }));

/** A new text to look at (sampled from a text model, an episode of a task). */
const sampleText = (len, temperature, seed) =>
  fromModel(REQ.SAMPLE_TEXT, { len, temperature, seed }, (lab) => ({ text: lab.sampleText(len, temperature, seed) }));

function textLayer() {
  return Number($('text-layer').value) || 0;
}

/** New model: layer choices, unit range, and a fresh sample when the box does not fit it. */
export function initText(info) {
  $('text-layer').replaceChildren(...Array.from({ length: info.layers }, (_, i) => new Option(String(i + 1), String(i))));
  const unit = $('unit');
  unit.max = String(info.hidden - 1);
  if (Number(unit.value) > info.hidden - 1) unit.value = '0';
  const box = $('text-in');
  if (info.real) {
    setText('text-note', 'This task feeds numbers, not characters: switch to copy, order or text to use this view.');
    $('conn-out').replaceChildren();
    $('act-out').replaceChildren();
    return;
  }
  setText('text-note', '');
  const known = new Set(info.vocab);
  const fits = box.value && [...box.value].some((c) => known.has(c));
  if (!fits) newSample();
  else runText();
}

export async function newSample() {
  if (!state.lab) return;
  try {
    const len = state.info && state.info.task === 'text' ? 200 : 0;
    const sampled = await sampleText(len, 0.8, sampleSeed++);
    if (!sampled) return;
    $('text-in').value = sampled.text;
    clearMessage('text');
  } catch (e) {
    message(errorText(e), { key: 'text' });
    return;
  }
  runText();
}

/** Spans for every character of `text`; known ones get `style(value)`. */
function spans(text, known, values, style, title) {
  let k = 0;
  return [...text].map((c) => {
    const s = document.createElement('span');
    s.textContent = c === '\n' ? '⏎\n' : c;
    if (known.has(c) && k < values.length) {
      s.style.background = style(values[k]);
      s.title = title(c, values[k], k);
      k++;
    } else {
      s.className = 'unknown';
      s.title = 'not one of the model’s characters: skipped';
    }
    return s;
  });
}

/** Runs the model over the box's text and redraws both rows. `auto` (the refresh while
 * training) skips a turn while a reading is under way or the worker's share would be too big. */
export async function runText({ auto = false } = {}) {
  const info = state.info;
  if (!state.lab || !info || info.real) return;
  const text = $('text-in').value;
  if (!text) {
    $('conn-out').replaceChildren();
    $('act-out').replaceChildren();
    return;
  }
  if (auto && (reads.busy || performance.now() - reads.ended < reads.ms / AUTO_SHARE)) return;
  const asked = ++reads.asked;
  const known = new Set(info.vocab);
  const t0 = performance.now();
  reads.busy = true;
  try {
    const read = await readText(text, textLayer());
    if (!read || asked !== reads.asked) return;
    const conn = read.conn;
    let max = 0;
    for (const v of conn.values) max = Math.max(max, v);
    const connSpans = spans(text, known, conn.values,
      (v) => `color-mix(in srgb, ${seriesColour(0)} ${(max > 0 ? 8 + 80 * (v / max) : 0).toFixed(1)}%, transparent)`,
      (c, v, t) => `t = ${t} “${visibleChar(c)}”: ‖∂loss/∂xₜ‖ = ${v.toExponential(2)}`);
    const arrow = document.createElement('span');
    arrow.className = 'predicted';
    arrow.textContent = ` → predicts “${visibleChar(conn.predicted)}”`;
    $('conn-out').replaceChildren(...connSpans, arrow);
    const act = read.act;
    const h = act.hidden;
    const unit = Math.min(h - 1, Math.max(0, Number($('unit').value) || 0));
    const values = Array.from({ length: act.values.length / h }, (_, t) => act.values[t * h + unit]);
    $('act-out').replaceChildren(...spans(text, known, values,
      (v) => diverging(v, 1),
      (c, v, t) => `t = ${t} “${visibleChar(c)}”: h[${unit}] = ${v.toFixed(3)}`));
    const notes = [];
    if (conn.skipped) notes.push(`Skipped (not among the model’s characters): ${[...conn.skipped].map(visibleChar).join(' ')}`);
    if (conn.cut) notes.push('Only the first 2000 known characters are used.');
    setText('text-note', notes.join(' · '));
    clearMessage('text');
  } catch (e) {
    if (asked === reads.asked) setText('text-note', errorText(e));
  } finally {
    reads.busy = false;
    reads.ended = performance.now();
    reads.ms = reads.ended - t0;
  }
}

export function wireText() {
  $('text-sample').addEventListener('click', newSample);
  $('text-run').addEventListener('click', () => runText());
  $('unit').addEventListener('input', () => runText());
  $('text-layer').addEventListener('change', () => runText());
  let timer = 0;
  $('text-in').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => runText(), 250);
  });
}
