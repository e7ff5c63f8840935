// The model run over a typed or sampled text: connectivity under each character, and one
// unit's activation colouring each character. Characters are DOM spans filled with
// textContent; the model's unknown characters stay visible, struck through.

import { $, setText, visibleChar } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { diverging, seriesColour } from '../shared/colour.js';
import { state } from './state.js';

let sampleSeed = 1;

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

export function newSample() {
  const lab = state.lab;
  if (!lab) return;
  try {
    const len = state.info && state.info.task === 'text' ? 200 : 0;
    $('text-in').value = lab.sampleText(len, 0.8, sampleSeed++);
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

/** Runs the model over the box's text and redraws both rows. */
export function runText() {
  const lab = state.lab;
  const info = state.info;
  if (!lab || !info || info.real) return;
  const text = $('text-in').value;
  if (!text) {
    $('conn-out').replaceChildren();
    $('act-out').replaceChildren();
    return;
  }
  const known = new Set(info.vocab);
  try {
    const conn = lab.connectivity(text);
    let max = 0;
    for (const v of conn.values) max = Math.max(max, v);
    const connSpans = spans(text, known, conn.values,
      (v) => `color-mix(in srgb, ${seriesColour(0)} ${(max > 0 ? 8 + 80 * (v / max) : 0).toFixed(1)}%, transparent)`,
      (c, v, t) => `t = ${t} “${visibleChar(c)}”: ‖∂loss/∂xₜ‖ = ${v.toExponential(2)}`);
    const arrow = document.createElement('span');
    arrow.className = 'predicted';
    arrow.textContent = ` → predicts “${visibleChar(conn.predicted)}”`;
    $('conn-out').replaceChildren(...connSpans, arrow);
    const act = lab.activations(text, textLayer());
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
    setText('text-note', errorText(e));
  }
}

export function wireText() {
  $('text-sample').addEventListener('click', newSample);
  $('text-run').addEventListener('click', runText);
  $('unit').addEventListener('input', runText);
  $('text-layer').addEventListener('change', runText);
  let timer = 0;
  $('text-in').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(runText, 250);
  });
}
