// Sharp canvases: a canvas's backing store is its CSS size × devicePixelRatio (so it stays sharp
// on high-density screens and when zoomed); charts from wasm are laid out in CSS pixels and drawn
// in device pixels, and a page drawing itself scales its context the same way.

/** Device pixels per CSS pixel now (zooming changes it). */
export function pixelRatio() {
  return Math.max(1, Math.min(4, window.devicePixelRatio || 1));
}

/** Sizes `canvas` to its CSS width (at least `minWidth`) × `cssHeight` (by default the height
 * its markup gave it) at the pixel ratio. Returns whether the size changed (the drawing is then
 * gone). */
export function fitCanvas(canvas, cssHeight, minWidth = 280) {
  if (cssHeight === undefined) {
    if (!canvas.dataset.cssHeight) canvas.dataset.cssHeight = String(canvas.height);
    cssHeight = Number(canvas.dataset.cssHeight);
  }
  const r = pixelRatio();
  const w = Math.max(minWidth, Math.round(canvas.clientWidth || minWidth));
  const h = Math.round(cssHeight);
  if (canvas.style.height !== `${h}px`) canvas.style.height = `${h}px`;
  const pw = Math.round(w * r);
  const ph = Math.round(h * r);
  if (canvas.width === pw && canvas.height === ph) return false;
  canvas.width = pw;
  canvas.height = ph;
  return true;
}

/** A 2D context drawing in CSS pixels on a fitted canvas. */
export function context2d(canvas) {
  const ctx = canvas.getContext('2d');
  const r = canvas.width / Math.max(1, canvas.clientWidth);
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return ctx;
}

/** Calls `onChange` when the pixel ratio changes (zoom, or moving to another screen). */
export function onPixelRatioChange(onChange) {
  let query;
  const watch = () => {
    query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener('change', () => {
      onChange();
      watch();
    }, { once: true });
  };
  watch();
}

/** Calls `onChange` when `el`'s width changes (the charts follow the width; their heights are
 * fixed). A ResizeObserver alone also fires when only the height changes — on the lab, every
 * time a readout's text wraps differently — and redrawing everything then cost whole frames. */
export function onWidthChange(el, onChange) {
  let width = -1;
  new ResizeObserver((entries) => {
    const w = entries[entries.length - 1].contentRect.width;
    if (w === width) return;
    width = w;
    onChange();
  }).observe(el);
}
