// A gradient worker (a module worker of pool.js): loads the same wasm build as the training
// worker and runs the shards of its steps it is sent on a copy of the model (ShardWorker).
//
//   {kind: 'open', id, model: Uint8Array}  the model file (replicaModel) → {id}
//   {kind: 'run', id, weights: Float32Array, task: Uint32Array, result: Uint32Array | null}
//     → {id, result: Uint32Array, length, weights}: the result in the first `length` words of
//     the buffer sent (a new one if it was missing or too short), and the weights' buffer back,
//     so the same buffers serve step after step
//   any failure → {id, error: message}; the wasm failing to load → {kind: 'failed', error}

import { loadRnnlab } from './loader.js';

let lib = null;
let replica = null;

function handle(msg) {
  if (msg.kind === 'open') {
    const made = new lib.mod.ShardWorker(msg.model);
    if (replica) replica.free();
    replica = made;
    return [{ id: msg.id }, []];
  }
  if (!replica) throw new Error('no model was opened');
  const length = replica.run(msg.weights, msg.task);
  const result = msg.result && msg.result.length >= length ? msg.result : new Uint32Array(length);
  replica.resultInto(result);
  return [{ id: msg.id, result, length, weights: msg.weights }, [result.buffer, msg.weights.buffer]];
}

self.onmessage = (e) => {
  try {
    const [reply, transfer] = handle(e.data);
    self.postMessage(reply, transfer);
  } catch (err) {
    self.postMessage({ id: e.data.id, error: err && err.message ? err.message : String(err) });
  }
};

loadRnnlab({ flavour: new URL(self.location.href).searchParams.get('flavour') || 'auto' }).then(
  (l) => {
    lib = l;
    self.postMessage({ kind: 'ready' });
  },
  (e) => self.postMessage({ kind: 'failed', error: `it could not load WebAssembly (${e && e.message ? e.message : e})` }),
);
