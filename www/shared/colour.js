// The charts' colours, from wasm (the same palette and scales src/render draws with), for the few
// things a page draws itself: the step-through's cells, the coloured text, the bars and swatches.

let palette = null;

/** Takes the palette from the wasm module and exposes the series colours as CSS variables
 * (`--series-0`, …). */
export function usePalette(p) {
  palette = p;
  p.series.forEach((c, i) => document.documentElement.style.setProperty(`--series-${i}`, c));
}

/** The `i`-th series colour. */
export function seriesColour(i) {
  return palette.series[i % palette.series.length];
}

function lut(table, t) {
  const n = palette.lutSize;
  const i = 4 * Math.round(Math.max(0, Math.min(1, t)) * (n - 1));
  return `rgb(${table[i]},${table[i + 1]},${table[i + 2]})`;
}

/** Blue–white–red for `v` in [−range, range] (values beyond are clamped; NaN is grey). */
export function diverging(v, range) {
  return divergingColour(divergingIndex(v, range));
}

/** The entry of the diverging scale's table `diverging` takes for `v` (−1 for NaN): many cells
 * share one, so a page drawing thousands can set each colour once. */
export function divergingIndex(v, range) {
  if (!Number.isFinite(v)) return -1;
  const t = range > 0 ? (v / range + 1) / 2 : 0.5;
  return Math.round(Math.max(0, Math.min(1, t)) * (palette.lutSize - 1));
}

/** The colour of the diverging table's entry `i` (−1: the missing colour). */
export function divergingColour(i) {
  return i < 0 ? palette.missing : lut(palette.diverging, i / (palette.lutSize - 1));
}

/** The sequential scale at `t` in [0, 1]. */
export function sequential(t) {
  return Number.isFinite(t) ? lut(palette.sequential, t) : palette.missing;
}
