// The lab page (www/lab/) as the e2e tests open and read it.

import { openApp } from './harness.mjs';

/** Opens the lab (with an optional hash) and waits for its model. */
export async function openLab(hash = '', { browser, viewport } = {}) {
  const ready = () => window.__lab && window.__lab.lab && window.__lab.state.info;
  return openApp(`www/lab/${hash}`, { browser, viewport, ready, readyMessage: 'the lab model' });
}

/** The lab's readouts: step, accuracy, and the gradient's fall and shrink per layer. */
export const labReadouts = (page) =>
  page.evaluate(() => {
    const r = window.__lab.lab.readouts();
    return { step: r.step, accuracy: r.accuracy, fall: [...r.fall], shrink: [...r.shrink] };
  });
