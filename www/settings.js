// The settings form and the `key=value&…` query it stands for (the URL hash and the
// wasm Playground speak the same query; the Rust side validates it).

const $ = (id) => document.getElementById(id);

/** Settings that keep the trained model when changed (the rest start a new one). */
export const LIVE = new Set(['lr', 'clip', 'clip-mode', 'momentum', 'weight-decay']);

/** Form controls, by id, for the query keys they edit (cell covers cell + nonlinearity). */
const FIELDS = ['hidden', 'layers', 'embed', 'init', 'seed', 'seq-len', 'batch', 'optimizer', 'momentum', 'clip', 'clip-mode'];

/** `a=1&b=2` → Map (order kept). */
export function parse(query) {
  const m = new Map();
  for (const part of String(query).replace(/^#/, '').split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

/** Map → `a=1&b=2`. */
export function stringify(m) {
  return [...m].map(([k, v]) => `${k}=${v}`).join('&');
}

/** The learning rate for a position of the log slider, to 3 significant digits. */
export function lrFromSlider(x) {
  return Number(Math.pow(10, Number(x)).toPrecision(3));
}

function fmtLr(lr) {
  return lr >= 0.01 ? String(lr) : Number(lr).toExponential(1).replace('e-', 'e−');
}

function ensureOption(select, value, label) {
  if (![...select.options].some((o) => o.value === value)) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.append(o);
  }
}

/** Shows the settings of query map `m` in the form. */
export function fill(m) {
  const cell = m.get('cell') === 'rnn' ? `rnn-${m.get('nonlinearity') || 'tanh'}` : m.get('cell');
  $('cell').value = cell;
  ensureOption($('embed'), m.get('embed'), `embedding ${m.get('embed')}`);
  ensureOption($('layers'), m.get('layers'), m.get('layers'));
  for (const id of FIELDS) if (m.has(id)) $(id).value = m.get(id);
  const lr = Number(m.get('lr'));
  $('lr').value = String(Math.log10(lr));
  // The slider spans 1e-5..100; remember where it was put so an untouched slider keeps a
  // rate from the link that lies outside that span.
  $('lr').dataset.filled = $('lr').value;
  $('lr-out').textContent = fmtLr(lr);
  $('momentum').disabled = m.get('optimizer') !== 'sgd';
}

/** The query map after the form's edits, on top of `base` (keeps keys the form lacks). */
export function read(base) {
  const m = new Map(base);
  const [cell, nl] = $('cell').value.split('-');
  m.set('cell', cell);
  m.set('nonlinearity', nl || 'tanh');
  for (const id of FIELDS) m.set(id, String($(id).value).trim());
  if ($('lr').value !== $('lr').dataset.filled) m.set('lr', String(lrFromSlider($('lr').value)));
  return m;
}

/** Keys whose values differ between two query maps. */
export function changed(a, b) {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}

/** Live label of the learning-rate slider while it moves. */
export function showLr() {
  $('lr-out').textContent = fmtLr(lrFromSlider($('lr').value));
}
