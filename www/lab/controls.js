// Building the Lab from the URL hash (settings + the page's lesson, race and budget keys) and
// from the settings form; the lesson box and the task's description.

import { $, fmtInt, setText } from '../shared/format.js';
import { message, clearMessage, errorText } from '../shared/shell.js';
import { readHash, writeHash, toMap, changedKeys } from '../shared/hash.js';
import { applyLive } from '../shared/controls.js';
import { fetchCorpus } from '../shared/data.js';
import { WORKER_KEY } from '../shared/workers.js';
import { LESSONS } from './lessons.js';
import { state, wasm } from './state.js';

/** The page's own keys in the hash. */
const PAGE_KEYS = ['lesson', 'race', 'equal', 'sweep', 'lags', WORKER_KEY];

let page = new Map();

/** The lesson, race, budget and sweep keys of the hash. */
export function pageState() {
  return readHash(PAGE_KEYS).page;
}

function save() {
  writeHash(state.query, page, wasm.Lab.defaultQuery());
}

function showSettings() {
  state.form.fill(state.query, wasm.settingsTable(state.query));
  if (!state.info) return;
  setText('task-about', state.info.about);
  $('r-params').textContent = fmtInt(state.info.params);
}

/** Hands the new Lab to the training worker, which builds the same one from its settings;
 * if it cannot, the page trains it itself and says so. */
function openRemote(lab) {
  const r = state.remote;
  if (!r) return;
  r.open(lab, state.text, { query: state.query }).catch((e) => {
    if (state.lab !== lab) return;
    r.close();
    message(`The training worker could not take this model (${errorText(e)}); it trains on the page itself.`, { kind: 'notice', key: 'worker' });
  });
}

/** Builds a Lab for `query`; on failure keeps the old one and says why. */
export async function build(query, onNew) {
  try {
    // The lab's text task learns Hamlet (fetched once; the other tasks make up their episodes).
    state.text = await fetchCorpus('hamlet');
    const lab = new wasm.Lab(query, state.text);
    if (state.lab) state.lab.free();
    state.lab = lab;
    state.query = lab.query();
    state.info = lab.info();
    openRemote(lab);
    clearMessage('build');
    showSettings();
    save();
    onNew();
    return true;
  } catch (e) {
    message(`Could not build that model: ${errorText(e)}`, { key: 'build' });
    showSettings();
    return false;
  }
}

/** Opens what the hash describes (at start and when a lesson link is followed). */
export async function openHash(onNew) {
  const { page: p, settings } = readHash(PAGE_KEYS);
  page = p;
  const parsed = wasm.Lab.parseQuery(settings);
  for (const n of parsed.notices) message(`Part of the link was left out: ${n}`, { kind: 'notice', key: `hash:${n}` });
  showLesson(page.get('lesson'));
  return build(parsed.query, onNew);
}

export function showLesson(name) {
  const box = $('lesson-box');
  const lesson = LESSONS[name];
  state.lesson = lesson ? name : null;
  if (!lesson) {
    box.hidden = true;
    if (name) message(`There is no lesson called “${name}”.`, { kind: 'notice', key: 'lesson' });
    return;
  }
  $('lesson-title').textContent = lesson.title;
  const body = lesson.paragraphs.map((t) => {
    const para = document.createElement('p');
    para.textContent = t;
    return para;
  });
  const ul = document.createElement('ul');
  for (const w of lesson.watch) {
    const li = document.createElement('li');
    li.textContent = `Watch: ${w}`;
    ul.append(li);
  }
  $('lesson-body').replaceChildren(...body, ul);
  box.hidden = false;
}

/** The settings form changed: live settings apply at once, others rebuild the model. */
export async function onSettings(next, onNew) {
  const keys = changedKeys(toMap(state.query), toMap(next));
  if (!keys.length) return;
  if (state.form.allLive(keys)) {
    try {
      state.query = applyLive(state.lab, keys, next);
      if (state.trainer.worker()) {
        const m = toMap(next);
        for (const k of keys) state.remote.setLive(k, m.get(k)).catch((e) => message(errorText(e), { key: 'build' }));
      }
      clearMessage('build');
      save();
    } catch (e) {
      message(errorText(e), { key: 'build' });
    }
    showSettings();
    return;
  }
  await build(next, onNew);
}
