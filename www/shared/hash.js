// The URL hash: the settings query (`key=value&…`, parsed and checked by wasm) plus the page's
// own keys (the playground's `data`, the lab's `lesson`, `race`, `equal`). A shared link
// reproduces the page.

/** `a=1&b=2` (a leading # is ignored) → Map, in order. */
export function toMap(query) {
  const m = new Map();
  for (const part of String(query).replace(/^#/, '').split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
    else m.set(part, '');
  }
  return m;
}

/** Map → `a=1&b=2`. */
export function toQuery(m) {
  return [...m].map(([k, v]) => `${k}=${v}`).join('&');
}

/** Keys whose values differ between two queries (as maps). */
export function changedKeys(a, b) {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}

function decode(v) {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The hash split into the page's own keys (decoded) and the settings query. */
export function readHash(pageKeys) {
  const page = new Map();
  const settings = new Map();
  for (const [k, v] of toMap(location.hash)) {
    if (pageKeys.includes(k)) page.set(k, decode(v));
    else settings.set(k, v);
  }
  return { page, settings: toQuery(settings) };
}

let written = '';

/** Writes the settings `query` and the `page` keys to the hash (without a history entry); with
 * `defaults`, only the settings that differ from them. */
export function writeHash(query, page, defaults) {
  let m = toMap(query);
  if (defaults !== undefined) {
    const d = toMap(defaults);
    m = new Map([...m].filter(([k, v]) => d.get(k) !== v));
  }
  for (const [k, v] of page) m.set(k, v);
  written = `#${toQuery(m)}`;
  if (location.hash !== written) history.replaceState(null, '', written);
}

/** Calls `onEdit` when someone changes the hash (not when the page writes it). */
export function onHashEdit(onEdit) {
  window.addEventListener('hashchange', () => {
    if (location.hash !== written) onEdit();
  });
}
