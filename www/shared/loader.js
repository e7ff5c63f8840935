// Loads rnnlab's WebAssembly module for every page: the SIMD build (www/pkg/) where the browser
// supports WebAssembly SIMD, the scalar build (www/pkg-scalar/, `scripts/build-web.sh
// --with-scalar`) elsewhere.
//
//   import { loadRnnlab } from '../shared/loader.js';
//   const { mod, wasm, flavour } = await loadRnnlab();
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

const FOLDERS = { simd: '../pkg/rnnlab.js', scalar: '../pkg-scalar/rnnlab.js' };
const loaded = new Map();

/**
 * Imports and initialises one build of rnnlab (once per flavour; later calls reuse it).
 * @param {{flavour?: 'auto'|'simd'|'scalar'}} [options] 'auto' (default) picks by feature
 *   detection.
 * @returns {Promise<{mod: object, wasm: object, flavour: 'simd'|'scalar', simdSupported: boolean}>}
 */
export async function loadRnnlab({ flavour = 'auto' } = {}) {
  const simdSupported = hasWasmSimd();
  const pick = flavour === 'auto' ? (simdSupported ? 'simd' : 'scalar') : flavour;
  if (!(pick in FOLDERS)) throw new Error(`loadRnnlab: unknown flavour “${flavour}” (use auto, simd or scalar)`);
  if (pick === 'simd' && !simdSupported) throw new Error('loadRnnlab: this browser has no WebAssembly SIMD');
  if (!loaded.has(pick)) {
    loaded.set(
      pick,
      (async () => {
        const mod = await import(new URL(FOLDERS[pick], import.meta.url).href);
        const wasm = await mod.default();
        return { mod, wasm, flavour: pick, simdSupported };
      })(),
    );
  }
  try {
    return await loaded.get(pick);
  } catch (e) {
    loaded.delete(pick);
    if (pick === 'scalar' && flavour === 'auto') {
      throw new Error(`this browser has no WebAssembly SIMD and the build without it could not be loaded (${e.message || e})`);
    }
    throw e;
  }
}
