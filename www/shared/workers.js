// Whether a page trains in a worker: yes, unless the link says `worker=off` or the worker cannot
// start (then the page says why and trains on its own thread, as it always could). The worker
// trains a batch of more than 16 streams on `threads=N` threads (default one per core; pool.js);
// a page key like `worker`, not a model setting: it never changes the bits.

import { Remote } from './remote.js';
import { message, errorText } from './shell.js';
import { toMap } from './hash.js';
import { THREADS_KEY } from './pool.js';

/** The page key that turns the worker off (`#…&worker=off`). */
export const WORKER_KEY = 'worker';

/** The training worker for `page`'s model, or null (with a message when it failed to start). */
export async function startWorker(page = 'playground') {
  const hash = toMap(location.hash);
  const asked = hash.get(WORKER_KEY);
  if (asked === 'off') return null;
  try {
    if (typeof Worker !== 'function') throw new Error('this browser has no Web Workers');
    const flavour = (window.__rnnlabWasm && window.__rnnlabWasm.flavour) || 'auto';
    const remote = await Remote.start(flavour, page, hash.get(THREADS_KEY));
    window.__rnnlabWasm.workerMemoryBytes = () => remote.memoryBytes;
    remote.onNotice = (text) => message(text, { kind: 'notice', key: 'threads' });
    return remote;
  } catch (e) {
    message(`Training runs on the page itself: the background worker could not start (${errorText(e)}). The page stays responsive for small models; a large one will slow it down.`, { kind: 'notice', key: 'worker' });
    return null;
  }
}
