// Look inside: a text run through the model (a copy, from a zero state) a slice per frame; each
// character coloured by its surprise, by one unit's value or by what a prediction looked at; the
// chosen character's top-5 and its update h_{t-1} → gates → h_t with the numbers (the shared step
// view); units ranked by how closely they follow a feature; the saliency by distance and the
// hidden state's path. Characters are spans filled with textContent.

import { $, fmtNum, setText, visibleChar } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { diverging } from '../shared/colour.js';
import { fitCanvas } from '../shared/canvas.js';
import { StepView } from '../shared/steps.js';
import { regexValues } from '../shared/features.js';
import { probabilityBars } from '../shared/bars.js';
import { state, wasm } from './state.js';

/** Length of a passage of the training text. */
const PASSAGE = 2000;
/** While training with "read it again" on: a new reading this often (ms). */
const FOLLOW_MS = 2000;
/** Reading time per frame while training (the rest of the budget is training's). */
const SLICE_MS = 3;
/** Characters recoloured per frame. */
const PAINT_PER_FRAME = 2000;

const view = {
  chars: [], // the characters read
  values: null, // what colours them now
  t: 0, // the chosen character
  brush: null, // [from, to) of a dragged span
  reading: false,
  ready: false,
  lastRead: -Infinity,
  readOf: '', // the model the last reading began with (modelNow)
  passage: 0,
  spans: [], // one per character
  paint: null, // the recolouring under way: { colour, values, next, left }
};

const pg = () => state.pg;
/** The model the page's copy holds now: its step, and which weights from the worker. */
const modelNow = () => `${pg().steps()}:${state.remote ? state.remote.weightsVersion : 0}`;
const layer = () => Number($('inspect-layer').value) || 0;

/** The chosen character once the text is read: its position `t`, and whether it is the `last`
 * (nothing comes after it to predict). `null` before. */
export function chosen() {
  return view.ready ? { t: view.t, last: view.t + 1 >= view.chars.length } : null;
}

const steps = new StepView('c-inspect-step', 'inspect-equations', {
  columns: (t) => pg().inspectColumns(layer(), t),
  equations: (t, unit) => pg().inspectEquations(layer(), t, unit),
  cell: () => pg() && pg().info().cell,
  dhNote: [],
  pick: (state, unit) => showUnit(layer(), unit, state),
});

/** New model: the layer and state choices; the text is read again by the new model. */
export function initInspect(info) {
  const layers = Array.from({ length: info.layers }, (_, i) => new Option(String(i + 1), String(i)));
  $('unit-layer').replaceChildren(...layers);
  $('inspect-layer').replaceChildren(...layers.map((o) => new Option(o.text, o.value)));
  const kinds = ['h', ...(info.cell === 'lstm' ? ['c'] : []), ...(info.gates.length > 1 ? info.gates : [])];
  $('unit-state').replaceChildren(...kinds.map((k) => new Option(k, k)));
  $('unit-n').max = String(info.hidden - 1);
  steps.reset();
  view.ready = false;
  if (view.chars.length) read($('inspect-in').value);
}

/** Starts reading `text`. */
function read(text) {
  try {
    const r = pg().inspect(text);
    view.chars = r.chars;
    view.t = Math.min(view.t, r.chars.length - 1);
    view.brush = null;
    view.reading = true;
    view.lastRead = performance.now();
    view.readOf = modelNow();
    const notes = [];
    if (r.skipped) notes.push(`left out (not among the model’s characters): ${[...r.skipped].map(visibleChar).join(' ')}`);
    if (r.cut) notes.push(`only the first ${r.limit.toLocaleString('en-US')} characters are read`);
    setText('inspect-note', notes.join(' · '));
    spans();
    clearMessage('inspect');
  } catch (e) {
    message(errorText(e), { key: 'inspect' });
  }
}

/** Characters per block of the text box at most (a block also ends after a newline). */
const BLOCK = 120;

/** One span per character (made once per text; colours change without rebuilding), in blocks
 * of a line or so that the browser skips while they are scrolled out of view (CSS
 * content-visibility), so recolouring 20,000 characters repaints only the ones in view. */
function spans() {
  view.spans = view.chars.map((c, i) => {
    const s = document.createElement('span');
    s.textContent = c === '\n' ? '⏎\n' : c;
    s.dataset.t = String(i);
    return s;
  });
  const blocks = [];
  let block = null;
  view.spans.forEach((s, i) => {
    if (!block || block.childElementCount >= BLOCK) {
      block = document.createElement('div');
      blocks.push(block);
    }
    block.append(s);
    if (view.chars[i] === '\n') block = null;
  });
  $('inspect-text').replaceChildren(...blocks);
  $('pos').max = String(Math.max(0, view.chars.length - 1));
}

/** Whether a text is being looked at (the inspector reads it with the page's copy's weights). */
export function inspecting() {
  return view.chars.length > 0;
}

/** Reads a slice of the text each frame while a reading is under way. With "read it again" on,
 * starts a new one when the model has changed: every couple of seconds while training, and at
 * once after a Step or a roll-back. */
export function inspectFrame(budgetMs) {
  if (!pg() || !view.chars.length) return;
  paint();
  const now = performance.now();
  const due = state.trainer.running ? now - view.lastRead > FOLLOW_MS : true;
  if (!view.reading && due && $('inspect-follow').checked && modelNow() !== view.readOf) {
    try {
      pg().inspectAgain();
      view.reading = true;
      view.lastRead = now;
      view.readOf = modelNow();
    } catch (e) {
      message(errorText(e), { key: 'inspect' });
    }
  }
  if (!view.reading) return;
  try {
    const p = pg().inspectFor(state.trainer.running ? SLICE_MS : budgetMs);
    if (!p.done) {
      if (!view.ready) setText('inspect-note', `reading… ${p.read.toLocaleString('en-US')} of ${p.of.toLocaleString('en-US')} characters`);
      return;
    }
    view.reading = false;
    view.ready = true;
    if ($('inspect-note').textContent.startsWith('reading')) setText('inspect-note', '');
    refresh();
  } catch (e) {
    view.reading = false;
    message(errorText(e), { key: 'inspect' });
  }
}

/** What colours the characters now, and how. */
function colouring() {
  const by = $('colour-by').value;
  if (by === 'unit') {
    const v = pg().unitValues(layer(), $('unit-state').value, Number($('unit-n').value) || 0);
    let max = 1;
    for (const x of v) if (Number.isFinite(x)) max = Math.max(max, Math.abs(x));
    const s = $('unit-state').value;
    return { values: v, colour: (x) => diverging(x, max), key: `unit ${$('unit-n').value} (${s}) of layer ${layer() + 1}: blue −${fmtNum(max, 2)} … white 0 … red +${fmtNum(max, 2)}` };
  }
  if (by === 'saliency') {
    const v = pg().saliency(view.t);
    let max = 0;
    for (const x of v) if (Number.isFinite(x)) max = Math.max(max, x);
    const key = `‖∂ log p(“${visibleChar(view.chars[view.t + 1] || '')}”) / ∂xₛ‖ for each character s up to the chosen one: white none … red ${fmtNum(max, 4)}`;
    return { values: v, colour: (x) => (Number.isFinite(x) ? diverging(x, max) : ''), key };
  }
  const v = pg().surprise();
  let max = 0;
  for (const x of v) if (Number.isFinite(x)) max = Math.max(max, x);
  return { values: v, colour: (x) => (Number.isFinite(x) ? diverging(x, max) : ''), key: `surprise: −log p of each character given the ones before, white 0 … red ${fmtNum(max, 2)} nats` };
}

/** Recolours the text and redraws the chosen character's views. */
export function refresh() {
  if (!view.ready || !pg()) return;
  try {
    const c = colouring();
    view.values = c.values;
    view.paint = { colour: c.colour, values: c.values, next: firstVisible(), left: view.chars.length };
    paint();
    setText('inspect-key', c.key);
    choose(view.t);
    clearMessage('inspect');
  } catch (e) {
    message(errorText(e), { key: 'inspect' });
  }
}

/** About the first character in view (a little before it). */
function firstVisible() {
  const box = $('inspect-text');
  if (!box.scrollHeight) return 0;
  return Math.max(0, Math.floor((box.scrollTop / box.scrollHeight) * view.chars.length) - 200);
}

/** Recolours the next spans, from about the first one in view and round: restyling 20,000 at
 * once would stall a frame, so a long text is coloured over a few. */
function paint() {
  const p = view.paint;
  const spans = view.spans;
  if (!p || !spans.length) return;
  for (let k = 0; k < PAINT_PER_FRAME && p.left > 0; k++, p.left--) {
    const i = p.next;
    p.next = (i + 1) % spans.length;
    const bg = i < p.values.length ? p.colour(p.values[i]) : '';
    if (spans[i].style.background !== bg) spans[i].style.background = bg;
  }
  if (p.left === 0) view.paint = null;
}

/** Makes character `t` the chosen one: its readout, the step view, the saliency and the path. */
function choose(t) {
  const n = view.chars.length;
  view.t = Math.max(0, Math.min(n - 1, t));
  $('pos').value = String(view.t);
  const box = $('inspect-text');
  box.querySelector('span.now')?.classList.remove('now');
  view.spans[view.t]?.classList.add('now');
  setText('pos-out', `t = ${view.t} “${visibleChar(view.chars[view.t])}”`);
  if (!view.ready) return;
  const p = pg().inspectPoint(view.t);
  setText('pos-info', Number.isFinite(p.surprise) ? `surprise ${fmtNum(p.surprise)} nats; the model expected next:` : 'the first character (nothing predicts it); the model expects next:');
  $('pos-top').replaceChildren(...probabilityBars(p.top, view.chars[view.t + 1], 'what came next'));
  steps.draw(view.t);
  drawCharts();
}

function drawCharts() {
  const sal = $('c-saliency');
  const path = $('c-trajectory');
  fitCanvas(sal);
  fitCanvas(path);
  try {
    if (view.t + 1 < view.chars.length) pg().drawSaliency(sal, view.t);
    pg().drawTrajectory(path, view.t);
  } catch (e) {
    message(`Could not draw: ${errorText(e)}`, { key: 'inspect-draw' });
  }
}

/** The feature choices: the core's, a regular expression, the selected span. */
function features() {
  const names = wasm.Playground.features();
  $('feature').replaceChildren(
    ...names.map((n) => new Option(n, n)),
    new Option('a regular expression (1 inside a match)', 'regex'),
    new Option('the selected span (drag over the text)', 'span'),
  );
}

/** One value per character for the page-side features. */
function pageFeature(kind) {
  const n = view.chars.length;
  const v = new Float32Array(n);
  if (kind === 'span') {
    if (!view.brush) throw new Error('Drag over the text first to select a span.');
    for (let i = view.brush[0]; i < view.brush[1]; i++) v[i] = 1;
    return v;
  }
  return regexValues(view.chars, $('feature-regex').value);
}

/** Ranks the units by the chosen feature and lists them. */
function rank() {
  if (!view.ready) return;
  const kind = $('feature').value;
  try {
    const scores = kind === 'regex' || kind === 'span' ? pg().rankUnitsBy(pageFeature(kind)) : pg().rankUnits(kind);
    $('ranked').tBodies[0].replaceChildren(
      ...scores.map((s) => {
        const tr = document.createElement('tr');
        for (const v of [s.layer + 1, s.unit, s.r.toFixed(3)]) {
          const td = document.createElement('td');
          td.textContent = String(v);
          tr.append(td);
        }
        tr.addEventListener('click', () => showUnit(s.layer, s.unit));
        return tr;
      }),
    );
    clearMessage('inspect');
  } catch (e) {
    message(errorText(e), { key: 'inspect' });
  }
}

/** Colours the text by unit `unit` of `layer`'s `state` (h, c or a gate). */
function showUnit(l, unit, state = 'h') {
  $('unit-layer').value = String(l);
  $('inspect-layer').value = String(l);
  $('unit-state').value = state;
  $('unit-n').value = String(unit);
  $('colour-by').value = 'unit';
  refresh();
}

/** A passage of the training text, the next one each time. */
function passage() {
  const text = state.text;
  const from = (view.passage++ * 7919 * PASSAGE) % Math.max(1, text.length - PASSAGE);
  $('inspect-in').value = text.slice(from, from + PASSAGE);
  read($('inspect-in').value);
}

/** Clicks choose a character; a drag selects a span (for the "selected span" feature). */
function wireText() {
  const box = $('inspect-text');
  let down = null;
  const at = (e) => (e.target.dataset && e.target.dataset.t !== undefined ? Number(e.target.dataset.t) : null);
  box.addEventListener('mousedown', (e) => {
    down = at(e);
  });
  box.addEventListener('mouseup', (e) => {
    const up = at(e);
    if (down === null || up === null) return;
    if (up === down) {
      choose(up);
      if ($('colour-by').value === 'saliency') refresh();
    } else {
      view.brush = [Math.min(up, down), Math.max(up, down) + 1];
      for (const s of box.querySelectorAll('span.brushed')) s.classList.remove('brushed');
      for (let i = view.brush[0]; i < view.brush[1]; i++) view.spans[i].classList.add('brushed');
      $('feature').value = 'span';
      $('feature-regex').hidden = true;
    }
    down = null;
  });
}

export function wireInspect() {
  features();
  $('inspect-run').addEventListener('click', () => read($('inspect-in').value));
  $('inspect-passage').addEventListener('click', passage);
  for (const id of ['colour-by', 'unit-layer', 'unit-state', 'unit-n']) $(id).addEventListener('change', refresh);
  $('inspect-layer').addEventListener('change', () => steps.draw(view.t));
  $('pos').addEventListener('input', () => {
    choose(Number($('pos').value));
    if ($('colour-by').value === 'saliency') refresh();
  });
  $('pos-prev').addEventListener('click', () => choose(view.t - 1));
  $('pos-next').addEventListener('click', () => choose(view.t + 1));
  $('feature').addEventListener('change', () => {
    $('feature-regex').hidden = $('feature').value !== 'regex';
  });
  $('rank').addEventListener('click', rank);
  wireText();
}

// For tests and the curious: the view, and whether its reading is done and of the model now.
window.__inspect = view;
view.current = () => view.ready && !view.reading && view.readOf === modelNow();
