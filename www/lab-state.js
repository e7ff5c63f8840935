// The lab page's shared state, element lookup, messages and number formatting.
// Text from users or the model only ever reaches the page through textContent.

export const $ = (id) => document.getElementById(id);

export const state = {
  lab: null, // the running Lab
  query: '', // its full settings query
  text: '', // the corpus for task=text
  running: false,
  speed: 0,
  frame: 0,
  lesson: null,
  race: null,
  raceRunning: false,
  sweep: null,
  sweepRunning: false,
  stepsThisSecond: 0,
  sps: NaN,
  secondStart: 0,
};

// For tests and the curious.
window.__lab = {
  get lab() {
    return state.lab;
  },
  get race() {
    return state.race;
  },
  get sweep() {
    return state.sweep;
  },
  state,
};

export function setStatus(text) {
  $('status').textContent = text;
}

// Messages and number formats are the playground's own (ui.js).
export { message, clearMessage, errorText, fmtInt, fmtNum } from './ui.js';

export function fmtPct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–';
}

/** A positive number that may span many decades: 0.53, 3.2e-7, 1.5e+12. */
export function fmtSci(x) {
  if (!Number.isFinite(x)) return x === Infinity ? '∞' : '–';
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.01 || a >= 1e4)) return x.toExponential(1).replace('-', '−');
  return a === 0 ? '0' : String(Number(x.toPrecision(3)));
}

/** Sets an element's text only when it changed (no layout churn). */
export function setText(id, text) {
  const el = $(id);
  if (el && el.textContent !== text) el.textContent = text;
}

/** A character made visible in a label. */
export function visibleChar(c) {
  if (c === ' ') return '␣';
  if (c === '\n') return '⏎';
  if (c === '\t') return '⇥';
  return c;
}

/** Blue–white–red for v in [−range, range], as a CSS colour. */
export function diverging(v, range) {
  if (!Number.isFinite(v)) return 'rgb(200,200,200)';
  const t = Math.max(-1, Math.min(1, range > 0 ? v / range : 0));
  const stops = [
    [33, 102, 172],
    [146, 197, 222],
    [255, 255, 255],
    [244, 165, 130],
    [178, 24, 43],
  ];
  const p = (t + 1) * 2;
  const i = Math.min(3, Math.floor(p));
  const f = p - i;
  const [a, b] = [stops[i], stops[i + 1]];
  const m = (k) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${m(0)},${m(1)},${m(2)})`;
}

/** Matches a canvas's pixel width to its CSS width. Returns whether it changed. */
export function fitCanvas(canvas) {
  const w = Math.max(280, Math.round(canvas.clientWidth || canvas.width));
  const h = `${canvas.height}px`;
  if (canvas.style.height !== h) canvas.style.height = h;
  if (canvas.width !== w) {
    canvas.width = w;
    return true;
  }
  return false;
}
