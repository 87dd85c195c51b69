// A webpack 5 app with nothing configured for inpage: webpack itself turns the package's
// new URL('./file', import.meta.url) references into emitted files (worker, worklet, wasm).
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('./dist', import.meta.url)), filename: 'main.js', clean: true },
  // onnxruntime-web's wasm is 14-26 MB: that is the point, not a warning.
  performance: { hints: false },
};
