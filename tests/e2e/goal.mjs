// A measurement, not a test of the suite (not a *.spec.mjs, so CI does not run it): how long
// the lab, at its default speed of one step per frame, takes to teach an LSTM delayed recall at
// lag 30, and where a vanilla tanh RNN stands after 5, 10 and 15 s, with the gradient's fall
// across the lag. tests/tasks.rs checks the claim itself, in steps.
//
//   node tests/e2e/harness.mjs tests/e2e/goal.mjs    (after bash scripts/build-web.sh)

import { test, screenshot, assert } from './harness.mjs';
import { openLab as open, labReadouts as readouts } from './labpage.mjs';

test('lab: goal — delayed recall at lag 30, LSTM vs vanilla RNN (measured)', async () => {
  const { page, browser } = await open('#task-len=30&cell=lstm');
  await page.click('#play');
  const t0 = Date.now();
  let r;
  let hit = null;
  while (Date.now() - t0 < 60_000) {
    await page.waitForTimeout(500);
    r = await readouts(page);
    if (r.accuracy >= 0.95) {
      hit = (Date.now() - t0) / 1000;
      break;
    }
  }
  await page.click('#play');
  if (hit !== null) console.log(`  [goal] LSTM (forget bias 1) reached ${(100 * r.accuracy).toFixed(1)}% at lag 30 after ${hit.toFixed(1)} s (step ${r.step}; default speed, 1 step per frame)`);
  else console.log(`  [goal] LSTM at lag 30: accuracy ${(100 * r.accuracy).toFixed(1)}% after 60 s (step ${r.step}) — below 95%`);
  const lstmSteps = r.step;
  const { page: rnn } = await open('#task-len=30&cell=rnn', { browser });
  await rnn.click('#play');
  const trace = [];
  for (let s = 5; s <= 15; s += 5) {
    await rnn.waitForTimeout(5_000);
    const x = await readouts(rnn);
    trace.push(`${(100 * x.accuracy).toFixed(1)}% at step ${x.step}`);
  }
  await rnn.click('#play');
  const q = await readouts(rnn);
  console.log(`  [goal] vanilla tanh RNN at lag 30 (chance 25%), after 5/10/15 s: ${trace.join(', ')}`);
  console.log(`  [goal] RNN ‖∂L_T/∂h_T‖ / ‖∂L_T/∂h_0‖ across the lag: ${q.fall[0].toExponential(2)} (shrink ${q.shrink[0].toFixed(3)} per step; LSTM took ${lstmSteps} steps)`);
  await rnn.locator('#sec-flow').scrollIntoViewIfNeeded();
  await rnn.waitForTimeout(200);
  await screenshot(rnn, 'lab-goal-rnn');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(rnn.errors, []);
}, { timeout: 150_000 });
