// The one-unit latch h = tanh(w·h + x): its state and ∂h_T/∂h_t, redrawn as the sliders move.

import { $, setText, fmtSci } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { fitCanvas } from '../shared/canvas.js';
import { wasm } from './state.js';

function values() {
  return { w: Number($('latch-w').value), x: Number($('latch-x').value), steps: Number($('latch-t').value) };
}

export function drawLatch() {
  const { w, x, steps } = values();
  setText('latch-w-out', w.toFixed(2));
  setText('latch-x-out', x.toFixed(1));
  setText('latch-t-out', String(steps));
  const hc = $('c-latch-h');
  const dc = $('c-latch-d');
  fitCanvas(hc);
  fitCanvas(dc);
  try {
    wasm.Lab.drawLatch(hc, dc, w, 0, x, steps);
    const r = wasm.Lab.latch(w, 0, x, steps);
    const hT = r.h[r.h.length - 1];
    const d0 = Math.abs(r.d[0]);
    const perStep = d0 > 0 ? d0 ** (1 / Math.max(1, steps - 1)) : 0;
    let what;
    if (Math.abs(hT) > 0.5 && perStep < 0.9) what = 'it remembers the pulse (latched), but the unit is saturated so the gradient still vanishes';
    else if (Math.abs(hT) < 0.05 && perStep < 0.99) what = 'it forgets the pulse, and the gradient shrinks geometrically (contraction)';
    else if (perStep >= 0.99) what = 'near the edge: both the memory and the gradient survive for a while';
    else what = 'the memory fades and the gradient shrinks';
    setText('latch-note', `h(T) = ${hT.toFixed(3)}; |∂h(T)/∂h(0)| = ${fmtSci(d0)} (×${perStep.toFixed(3)} per step): ${what}.`);
    clearMessage('latch');
  } catch (e) {
    message(errorText(e), { key: 'latch' });
  }
}

export function wireLatch() {
  for (const id of ['latch-w', 'latch-x', 'latch-t']) $(id).addEventListener('input', drawLatch);
}
