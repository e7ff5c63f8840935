// The lab's state: the running Lab, the race and the sweep, what they were built from, and the
// wasm module's classes once it has loaded.

export const wasm = { Lab: null, LabRace: null, LabStates: null, LabSweep: null, settingsTable: null };

export function useWasm(mod) {
  Object.assign(wasm, { Lab: mod.Lab, LabRace: mod.LabRace, LabStates: mod.LabStates, LabSweep: mod.LabSweep, settingsTable: mod.settingsTable });
}

export const state = {
  lab: null, // the running Lab
  info: null, // its lab.info()
  query: '', // its full settings query
  text: '', // the corpus for task=text
  form: null, // the settings form (shared/controls.js)
  trainer: null, // the training driver (shared/loop.js)
  remote: null, // the training worker (shared/remote.js), or null: training on the page's thread
  frame: 0,
  lesson: null,
  race: null,
  raceRunning: false,
  sweep: null,
  sweepRunning: false,
  sweepFinished: -1,
  states: null, // the fixed-point search (LabStates)
  statesSearching: false,
};

// For tests and the curious.
window.__lab = {
  get lab() {
    return state.lab;
  },
  get race() {
    return state.race;
  },
  get sweep() {
    return state.sweep;
  },
  get states() {
    return state.states;
  },
  state: new Proxy(state, {
    get: (s, k) => (k === 'running' ? s.trainer.running : s[k]),
  }),
};
