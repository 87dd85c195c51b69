// A page with no bundler: the browser loads dist/index.js as the packed package ships it (the copy
// e2e/consumer.spec.ts unpacked from the tarball), then its lazy chunk, the worker and the wasm by
// the relative URLs the package itself holds.
import { create, InpageError } from '../consumer/node_modules/inpage/dist/index.js';
import { runModels } from '../consumer/src/run-models.js';

window.consumer = { run: (...args) => runModels({ create, InpageError }, ...args) };
