/**
 * The <script> build: exposes the module as the global `Inpage` (`Inpage.create()`), and finds
 * the worker and wasm files next to this script, wherever it is hosted. The script's URL must
 * be read now: document.currentScript is only set while the script first runs.
 */
import { setDefaultAssetBase } from './client/create.js';

const script = typeof document === 'undefined' ? null : document.currentScript;
if (script instanceof HTMLScriptElement && script.src) {
  setDefaultAssetBase(new URL('./', script.src).href);
}

export * from './index.js';
