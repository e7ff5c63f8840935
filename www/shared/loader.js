// Loads rnnlab's WebAssembly module for every page: the page's own build (the playground's in
// www/pkg/, with the bench page's classes too; the lab's and the Series page's in www/pkg-lab/),
// with SIMD where the
// browser supports WebAssembly SIMD, else the scalar build beside it (www/pkg-scalar/,
// www/pkg-lab-scalar/).
//
//   import { loadRnnlab } from '../shared/loader.js';
//   const { mod, wasm, flavour } = await loadRnnlab();             // the playground's
//   const { mod: lab } = await loadRnnlab({ page: 'lab' });        // the lab's
//   new mod.Playground(query, text);  // mod: the wasm-bindgen module's exports
//   wasm.memory.buffer.byteLength;    // wasm: the instance's raw exports
//
// `flavour` is 'simd' or 'scalar'. loadRnnlab({ flavour: 'scalar' }) forces one build.

// The smallest module using a SIMD op: (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt).
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0a, 0x01, 0x08, 0x00, // code section: one body, no locals
  0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b, // i32.const 0, i8x16.splat, i8x16.popcnt, end
]);

/** Whether this browser's WebAssembly supports the SIMD (simd128) instructions. */
export function hasWasmSimd() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

const LAB = { simd: '../pkg-lab/rnnlab.js', scalar: '../pkg-lab-scalar/rnnlab.js' };
/** Each page's build: the lab's also has the Series page's class. */
const FOLDERS = {
  playground: { simd: '../pkg/rnnlab.js', scalar: '../pkg-scalar/rnnlab.js' },
  lab: LAB,
  series: LAB,
};
const loaded = new Map();

/**
 * Imports and initialises one build of rnnlab (once per page and flavour; later calls reuse it).
 * @param {{page?: 'playground'|'lab'|'series', flavour?: 'auto'|'simd'|'scalar'}} [options] the page
 *   whose build to load (default: the playground's); 'auto' (default) picks the flavour by
 *   feature detection.
 * @returns {Promise<{mod: object, wasm: object, flavour: 'simd'|'scalar', simdSupported: boolean}>}
 */
export async function loadRnnlab({ page = 'playground', flavour = 'auto' } = {}) {
  const simdSupported = hasWasmSimd();
  const pick = flavour === 'auto' ? (simdSupported ? 'simd' : 'scalar') : flavour;
  if (!(page in FOLDERS)) throw new Error(`loadRnnlab: unknown page “${page}” (use playground, lab or series)`);
  if (!(pick in FOLDERS[page])) throw new Error(`loadRnnlab: unknown flavour “${flavour}” (use auto, simd or scalar)`);
  if (pick === 'simd' && !simdSupported) throw new Error('loadRnnlab: this browser has no WebAssembly SIMD');
  const key = `${FOLDERS[page][pick]}`;
  if (!loaded.has(key)) {
    loaded.set(
      key,
      (async () => {
        const mod = await import(new URL(FOLDERS[page][pick], import.meta.url).href);
        const wasm = await mod.default();
        return { mod, wasm, flavour: pick, simdSupported };
      })(),
    );
  }
  try {
    return await loaded.get(key);
  } catch (e) {
    loaded.delete(key);
    if (pick === 'scalar' && flavour === 'auto') {
      throw new Error(`this browser has no WebAssembly SIMD and the build without it could not be loaded (${e.message || e})`);
    }
    throw e;
  }
}
