// Keeping what the pages show: under each chart a small "PNG · SVG" control (and "CSV" where
// the chart has a table behind it). The PNG is the canvas's own pixels, as drawn at the screen's
// pixel density (canvas.toBlob: no encoder in the wasm, and exactly what is on screen). The SVG
// is the same chart drawn again by the same renderer into an SVG document: from wasm with
// `captureSvg` (the renderer's SVG backend), for a chart the page draws itself with its own
// drawing code on an SvgContext (shared/svg.js). File names say what the chart is and at which
// step, e.g. rnnlab-loss-step1200.svg.

import { $ } from './format.js';
import { message, errorText } from './shell.js';

let capture = null;

/** The wasm module's `captureSvg` (call once it has loaded). */
export function useCapture(mod) {
  capture = mod.captureSvg;
}

/** Saves `blob` as the file `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The canvas's pixels as a PNG blob. */
function png(canvas) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not make a PNG of this chart'))), 'image/png');
  });
}

/** The SVG of what `draw(canvas)` draws from wasm, drawn again into an SVG document. */
function wasmSvg(canvas, draw) {
  const svg = capture(canvas, draw);
  if (svg === null || svg === undefined) throw new Error('nothing is drawn there yet');
  return svg;
}

function button(label, title, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.addEventListener('click', async () => {
    try {
      await onClick();
    } catch (e) {
      message(`Could not download: ${errorText(e)}`, { key: 'download' });
    }
  });
  return b;
}

/**
 * Puts a download control under the canvas `id`. `chart`:
 * - `name()`: the file name without its extension;
 * - `draw(canvas)`: draws the chart from wasm (its SVG is that drawing, captured), or
 *   `svg()`: the SVG document of a chart the page draws itself;
 * - `ready()`: whether there is a chart to keep yet (default: always);
 * - `csv()`: the table behind the chart, as CSV text (adds a CSV button).
 */
export function addDownloads(id, chart) {
  const canvas = $(id);
  const ready = chart.ready || (() => true);
  const guard = (f) => async () => {
    if (!ready()) throw new Error('there is nothing to keep yet');
    await f();
  };
  const what = canvas.getAttribute('aria-label') || 'this chart';
  const box = document.createElement('div');
  box.className = 'downloads';
  box.dataset.for = id;
  const svgText = () => (chart.svg ? chart.svg() : wasmSvg(canvas, chart.draw));
  box.append(
    'Download ',
    button('PNG', `${what}, as a PNG image`, guard(async () => saveBlob(await png(canvas), `${chart.name()}.png`))),
    button('SVG', `${what}, as an SVG drawing`, guard(() => saveBlob(new Blob([svgText()], { type: 'image/svg+xml' }), `${chart.name()}.svg`))),
  );
  if (chart.csv) {
    const csv = () => saveBlob(new Blob([chart.csv()], { type: 'text/csv' }), `${chart.name()}.csv`);
    box.append(button('CSV', 'the numbers behind it, as a CSV table', guard(csv)));
  }
  // In a grid of charts the control must not become a cell of its own: the canvas and its
  // control go into one box.
  if (getComputedStyle(canvas.parentElement).display === 'grid') {
    const cell = document.createElement('div');
    cell.className = 'chart-box';
    canvas.replaceWith(cell);
    cell.append(canvas);
  }
  canvas.after(box);
  return box;
}

/** Puts a "Download CSV" control after the element `id` (a table): `csv()` gives the text,
 * `name()` the file name without its extension, `ready()` whether there is a table yet. */
export function addTableDownload(id, { name, csv, ready = () => true }) {
  const box = document.createElement('div');
  box.className = 'downloads';
  box.dataset.for = id;
  const save = async () => {
    if (!ready()) throw new Error('there is nothing to keep yet');
    saveBlob(new Blob([csv()], { type: 'text/csv' }), `${name()}.csv`);
  };
  box.append('Download ', button('CSV', 'this table, as a CSV file', save));
  $(id).after(box);
  return box;
}
