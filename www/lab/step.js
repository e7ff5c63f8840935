// The lab's step-through: the latest training window, a scrubber and a strip of its inputs over
// the shared step view (shared/steps.js), which draws one step's columns and the equations.

import { $, visibleChar } from '../shared/format.js';
import { StepView } from '../shared/steps.js';
import { state } from './state.js';

const layer = () => Number($('step-layer').value) || 0;

const view = new StepView('c-step', 'equations', {
  columns: (t) => state.lab.stepColumns(layer(), t),
  equations: (t, unit) => state.lab.equations(layer(), t, unit),
  cell: () => state.info && state.info.cell,
  dhNote: ['∂L/∂hₜ: the gradient of the whole window’s loss', 'reaching this step (the backward pass)'],
});

export function scrubT() {
  return Number($('scrub').value) || 0;
}

/** New model: layer choices. */
export function initStep(info) {
  $('step-layer').replaceChildren(...Array.from({ length: info.layers }, (_, i) => new Option(String(i + 1), String(i))));
  view.reset();
}

/** The window strip: one button per input (character or step index). */
function strip(steps) {
  const chars = state.lab.windowChars();
  const key = `${steps}|${chars.join('')}`;
  const box = $('step-strip');
  if (box.dataset.key !== key) {
    box.dataset.key = key;
    const buttons = Array.from({ length: steps }, (_, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = chars.length ? visibleChar(chars[i]) : String(i);
      b.title = `t = ${i}`;
      b.addEventListener('click', () => {
        $('scrub').value = String(i);
        drawStep();
      });
      return b;
    });
    box.replaceChildren(...buttons);
  }
  [...box.children].forEach((b, i) => b.classList.toggle('now', i === scrubT()));
}

/** Draws the scrubbed step of the latest window (and refreshes the strip). */
export function drawStep() {
  if (!state.lab) return;
  const steps = state.lab.windowLen();
  const scrub = $('scrub');
  scrub.max = String(Math.max(0, steps - 1));
  if (scrubT() > steps - 1) scrub.value = String(Math.max(0, steps - 1));
  $('scrub-out').textContent = steps ? `${scrubT()} / ${steps - 1}` : '(no step yet)';
  if (steps) strip(steps);
  view.draw(scrubT(), steps ? '' : 'No training step yet: press Step.');
}

export function wireStep() {
  $('scrub').addEventListener('input', drawStep);
  $('step-layer').addEventListener('change', drawStep);
}
