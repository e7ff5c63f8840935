// Numbers and characters for the readouts, and setting an element's text only when it changed
// (each change costs the browser a layout). Text from users or the model only ever reaches the
// page through textContent.

export const $ = (id) => document.getElementById(id);

/** One formatter for every integer readout (toLocaleString builds a new one per call). */
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(n) {
  return Number.isFinite(n) ? INT.format(Math.round(n)) : '–';
}

export function fmtNum(x, digits = 3) {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

export function fmtPct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–';
}

/** A positive number that may span many decades: 0.53, 3.2e−7, 1.5e+12. */
export function fmtSci(x) {
  if (!Number.isFinite(x)) return x === Infinity ? '∞' : '–';
  const a = Math.abs(x);
  if (a !== 0 && (a < 0.01 || a >= 1e4)) return x.toExponential(1).replace('-', '−');
  return a === 0 ? '0' : String(Number(x.toPrecision(3)));
}

/** A character made visible for a label. */
export function visibleChar(c) {
  if (c === ' ') return '␣';
  if (c === '\n') return '⏎';
  if (c === '\t') return '⇥';
  if (c === '\r') return '␍';
  return c;
}

/** Sets the text of element `id` (or an element) when it differs. */
export function setText(id, text) {
  const el = typeof id === 'string' ? $(id) : id;
  if (el && el.textContent !== text) el.textContent = text;
}
