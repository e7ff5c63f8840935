// The messages between a page and its training worker (worker.js), all of them, in one place.
// The page sends requests, the worker answers each with one response carrying the request's
// `id`; requests are handled one at a time, in order. A `session` number names the model a
// request is about: the page opens a new session for every new model and drops the answers
// of older ones.
//
// The worker owns the training copy of the page's model (the playground's Playground or the
// lab's Lab: the worker is started with `?page=`). After training it answers with a sync packet,
// `{head: Float64Array, states: Float32Array, weights: Float32Array}` (the model's syncOut and
// weights; the buffers are transferred, not copied; `states` is empty when no step was taken
// since, `weights` unless asked for), that the page's own copy reads with syncIn; the page
// draws, samples and inspects its copy, and asks the worker for what costs more than a frame
// (the lab's text views).

/** Request kinds (page → worker). */
export const REQ = Object.freeze({
  /** {session, query, text} a fresh model, or (playground) {session, bytes, text, fix?} one
   * from a model file (Playground.load, then Playground.fixUnknown(fix) when given) → OPENED */
  OPEN: 'open',
  /** {session, maxSteps, budgetMs, weights} → TRAINED (Playground.trainFor) */
  TRAIN: 'train',
  /** {session, weights} exactly one step → TRAINED */
  STEP: 'step',
  /** {session} → ROLLED_BACK */
  ROLLBACK: 'rollback',
  /** {session, key, value} a setting that keeps the model → LIVE */
  SET_LIVE: 'setLive',
  /** {session} the model file → SAVED */
  SAVE: 'save',
  /** {session} the sync packet with the weights, after what is in flight → SYNCED */
  SYNC: 'sync',
  /** (playground) {session, args: [prime, len, temperature, greedy, topK, seed], auto} a sample
   * of the model as it is when the request is handled (Playground.sample); with `auto` the
   * seed is that step + 1, as an automatic sample's on the page's thread → SAMPLED */
  SAMPLE: 'sample',
  /** (lab) {session, input, layer} the model run over a text: Lab.connectivity(input) and
   * Lab.activations(input, layer) → READ */
  READ_TEXT: 'readText',
  /** (lab) {session, len, temperature, seed} Lab.sampleText → SAMPLED_TEXT */
  SAMPLE_TEXT: 'sampleText',
});

/** Response kinds (worker → page). Every response has `id`, `kind`, `memoryBytes` (the
 * worker's wasm memory), `threads` (how many the model's steps train on: pool.js) and `notice`
 * (a sentence for the page, such as why training went back to one thread, or null). */
export const RES = Object.freeze({
  /** {flavour} sent once, unasked, when the wasm module is loaded */
  READY: 'ready',
  /** {packet} the new model's state */
  OPENED: 'opened',
  /** {report: TrainReport, packet} */
  TRAINED: 'trained',
  /** {step, packet} */
  ROLLED_BACK: 'rolledBack',
  /** {query} */
  LIVE: 'live',
  /** {bytes} */
  SAVED: 'saved',
  /** {packet} */
  SYNCED: 'synced',
  /** {conn: TextRun, act: TextRun} */
  READ: 'read',
  /** {text} */
  SAMPLED_TEXT: 'sampledText',
  /** {sampled: Sampled, step} */
  SAMPLED: 'sampled',
  /** {message, diverged, packet?} the request failed (a divergence carries the packet that
   * says so) */
  FAILED: 'failed',
});
