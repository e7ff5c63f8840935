// Firefox for the end-to-end tests: Debian's firefox-esr, driven by puppeteer-core over
// WebDriver BiDi, behind the part of playwright-core's Browser and Page API that the tests
// use, so one test body runs in both engines (harness.mjs picks the engine).
//
// Written by hand: playwright-core drives only its own patched Firefox, and puppeteer has no
// playwright-like layer. This covers only what tests/e2e/*.spec.mjs call (downloads through
// the context's download folder); a test that needs more (CDP tracing) stays Chromium-only.
//
// puppeteer-core never downloads a browser (no install script; it launches executablePath).

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX || '/usr/bin/firefox-esr';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const uploads = path.join(out, 'uploads');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Launch headless Firefox; returns a browser with playwright's newContext/version/close. */
export async function launchFirefox() {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
  const version = (await browser.version()).replace('firefox/', '');
  return {
    puppeteer: browser,
    version: () => version,
    connected: () => browser.connected,
    close: () => browser.close(),
    async newContext({ viewport, deviceScaleFactor = 1 } = {}) {
      mkdirSync(out, { recursive: true });
      const downloads = mkdtempSync(path.join(out, 'downloads-'));
      const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
      return {
        close: async () => {
          await context.close();
          rmSync(downloads, { recursive: true, force: true });
        },
        async newPage() {
          const page = await context.newPage();
          if (viewport) await page.setViewport({ ...viewport, deviceScaleFactor });
          return playwrightLike(page, downloads);
        },
      };
    },
  };
}

/** Adds to a puppeteer element handle the playwright names the tests use. */
function handle(h) {
  if (!h) return h;
  return Object.assign(h, {
    scrollIntoViewIfNeeded: () => h.scrollIntoView(),
    getAttribute: (name) => h.evaluate((el, name) => el.getAttribute(name), name),
    check: () => h.evaluate((el) => el.checked || el.click()),
    uncheck: () => h.evaluate((el) => el.checked && el.click()),
  });
}

/** Writes playwright's in-memory upload ({name, mimeType, buffer}) to a file for puppeteer. */
function uploadPath(file, dir) {
  if (typeof file === 'string') return file;
  mkdirSync(dir, { recursive: true });
  const p = path.join(dir, file.name);
  writeFileSync(p, file.buffer);
  return p;
}

/** Playwright's download event, from the context's download folder: resolves once one new
 * file is there and the folder has not changed for half a second (Firefox writes temporary
 * files, then renames the finished one). The file then moves to a folder of its own, so that
 * saving the same name again is not renamed `name(1).png` by Firefox. */
async function nextDownload(dir, timeout = 30_000) {
  const before = new Set(readdirSync(dir));
  const listing = () => readdirSync(dir).filter((f) => !before.has(f)).map((f) => [f, statSync(path.join(dir, f), { throwIfNoEntry: false })?.size]);
  const deadline = Date.now() + timeout;
  let last = '';
  let since = Date.now();
  for (;;) {
    const files = listing();
    const now = JSON.stringify(files);
    if (now !== last) [last, since] = [now, Date.now()];
    else if (files.length === 1 && files[0][1] > 0 && Date.now() - since > 500) {
      const file = path.join(mkdtempSync(path.join(dir, 'kept-')), files[0][0]);
      renameSync(path.join(dir, files[0][0]), file);
      return { suggestedFilename: () => files[0][0], path: async () => file, saveAs: async (to) => copyFileSync(file, to) };
    }
    if (Date.now() > deadline) throw new Error(`no finished download in ${dir} after ${timeout} ms: ${now}`);
    await sleep(50);
  }
}

/** `p`, marked as handled: a test that failed before awaiting it (as `Promise.all([wait, act()])`
 * does when `act` throws) leaves it behind, and its later failure must not end the whole run.
 * Whoever awaits `p` still gets the failure. */
function handled(p) {
  p.catch(() => {});
  return p;
}

/** Playwright's `context.route(glob, handler)` for one page, through puppeteer's request
 * interception: requests whose URL matches `glob` (`**` and `*` wildcards) go to `handler`
 * with a route that can `fulfill` or `continue`; the others go on. */
async function route(page, glob, handler) {
  const pattern = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*?/g, '.*')}$`);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    if (!pattern.test(request.url())) return request.continue();
    return handler({
      request: () => request,
      fulfill: ({ status = 200, contentType, body = '' }) => request.respond({ status, contentType, body }),
      continue: () => request.continue(),
    });
  });
}

/** Adds playwright's Page methods to a puppeteer page (in place; puppeteer's own stay). */
function playwrightLike(page, downloads) {
  const $ = page.$.bind(page);
  const $$ = page.$$.bind(page);
  const click = page.click.bind(page);
  const press = page.keyboard.press.bind(page.keyboard);
  // Playwright's key names that puppeteer's WebDriver BiDi keyboard does not know.
  page.keyboard.press = (key, options) => press(key === 'Space' ? ' ' : key, options);
  // The first element matching `sel` (whose text contains `hasText`, as playwright's locator
  // option; case-sensitive here).
  const must = async (sel, hasText) => {
    for (const h of await $$(sel)) {
      if (!hasText || (await h.evaluate((el) => el.textContent)).includes(hasText)) return handle(h);
    }
    throw new Error(`no element matches ${sel}${hasText ? ` with the text ${JSON.stringify(hasText)}` : ''}`);
  };
  return Object.assign(page, {
    $: async (sel) => handle(await $(sel)),
    $$: async (sel) => (await $$(sel)).map(handle),
    // In the page, as playwright does: puppeteer's own $$eval fetches a handle per element
    // first (46 s for 20,000 spans over BiDi).
    $$eval: (sel, fn, ...args) => page.evaluate(`(${fn})([...document.querySelectorAll(${JSON.stringify(sel)})], ...${JSON.stringify(args)})`),
    click: (sel, { position, ...rest } = {}) => click(sel, position ? { ...rest, offset: position } : rest),
    locator: (sel, { hasText } = {}) => ({
      scrollIntoViewIfNeeded: async () => (await must(sel, hasText)).scrollIntoView(),
      boundingBox: async () => (await must(sel, hasText)).boundingBox(),
      click: async () => (await must(sel, hasText)).click(),
      screenshot: async (options) => (await must(sel, hasText)).screenshot(options),
    }),
    context: () => ({ route: (glob, handler) => route(page, glob, handler) }),
    // As playwright does: select the field's text and insert the new text as typed, so the
    // page sees an edit (input now, change on Enter or blur).
    fill: (sel, value) =>
      page.$eval(
        sel,
        (el, value) => {
          el.focus();
          el.select();
          document.execCommand(value ? 'insertText' : 'delete', false, value);
          if (el.value !== value) throw new Error(`fill: ${el.id} holds ${JSON.stringify(el.value)}`);
        },
        value,
      ),
    press: async (sel, key) => {
      await page.focus(sel);
      await page.keyboard.press(key);
    },
    selectOption: (sel, value) => page.select(sel, value),
    inputValue: (sel) => page.$eval(sel, (el) => el.value),
    check: async (sel) => (await must(sel)).check(),
    uncheck: async (sel) => (await must(sel)).uncheck(),
    dispatchEvent: (sel, type) => page.$eval(sel, (el, type) => el.dispatchEvent(new Event(type, { bubbles: true, cancelable: true })), type),
    setInputFiles: async (sel, file) => (await must(sel)).uploadFile(uploadPath(file, uploads)),
    viewportSize: () => page.viewport(),
    setViewportSize: ({ width, height }) => page.setViewport({ ...page.viewport(), width, height }),
    waitForTimeout: sleep,
    waitForLoadState: (_state, { timeout } = {}) => page.waitForNetworkIdle({ timeout }),
    addInitScript: (fn) => page.evaluateOnNewDocument(fn),
    waitForEvent: (name) => (name === 'download' ? handled(nextDownload(downloads)) : Promise.reject(new Error(`the Firefox adapter has no waitForEvent('${name}')`))),
  });
}
