// onnxruntime-web's wasm build from our dist/ (ort-wasm.mjs, the plain wasm), on the calling
// thread: the runtime of every raw-ORT baseline, so each compares inpage with the very build it
// ships. One wasm thread unless told otherwise; onnxruntime reads the count once, when its wasm
// starts, so a page that needs another count is a fresh page.
export async function rawOrt(dist, threads = 1) {
  const ort = await import(`${dist}ort-wasm.mjs`);
  ort.env.wasm.wasmPaths = { wasm: `${dist}ort-wasm-simd-threaded.wasm` };
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  return ort;
}
