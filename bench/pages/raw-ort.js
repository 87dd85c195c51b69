// onnxruntime-web's wasm build from our dist/ (ort-wasm.mjs, the plain wasm), on the calling
// thread with 1 wasm thread: the runtime of every raw-ORT baseline, so each compares inpage with
// the very build it ships.
export async function rawOrt(dist) {
  const ort = await import(`${dist}ort-wasm.mjs`);
  ort.env.wasm.wasmPaths = { wasm: `${dist}ort-wasm-simd-threaded.wasm` };
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  return ort;
}
