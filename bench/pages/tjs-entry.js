// Entry for the transformers.js browser bundle (built by bench/lib/prepare.mjs with Vite into bench/.tmp/tjs/):
// what an app using transformers.js with a bundler ships, unmodified.
export { pipeline, env } from '@huggingface/transformers';
