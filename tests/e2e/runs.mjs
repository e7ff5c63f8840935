// A playground run the bit-identity specs compare (worker.spec.mjs, threads.spec.mjs): reset,
// a few steps pressed one by one, then max speed for a while.

import { waitFor } from './harness.mjs';

/** Pauses the playground if it runs. */
export async function pause(page) {
  if (await page.evaluate(() => window.__rnnlab.state.running)) await page.click('#play');
}

/** Resets, presses Step `steps` times (waiting for each to land), then plays at max speed for
 * `playMs`; returns the f64 bits of every step's loss, the model file's SHA-256 after the
 * steps, the steps done and the threads the page reports. */
export async function recordRun(page, steps, playMs) {
  await pause(page);
  await page.click('#reset');
  await waitFor(() => page.evaluate(() => window.__rnnlab.pg.steps() === 0), { message: 'the reset' });
  for (let i = 1; i <= steps; i++) {
    await page.click('#step');
    await waitFor(() => page.evaluate((i) => window.__rnnlab.pg.steps() === i, i), { message: `step ${i}` });
  }
  const model = await page.evaluate(async () => {
    const bytes = await window.__rnnlab.modelFile();
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
  });
  await page.$eval('#speed', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input'));
  });
  await page.click('#play');
  await page.waitForTimeout(playMs);
  await pause(page);
  // An answer in flight lands after the pause.
  await page.evaluate(() => window.__rnnlab.settled());
  const losses = await page.evaluate(() => {
    const v = new DataView(new ArrayBuffer(8));
    const bits = (x) => (v.setFloat64(0, x), v.getBigUint64(0).toString(16).padStart(16, '0'));
    return window.__rnnlab.pg
      .historyCsv()
      .trim()
      .split('\n')
      .slice(1)
      .map((row) => row.split(','))
      .map(([step, loss]) => `${step}:${bits(Number(loss))}`);
  });
  const [done, threads] = await page.evaluate(() => [window.__rnnlab.pg.steps(), window.__rnnlab.threads]);
  return { model, losses, steps: done, threads };
}
