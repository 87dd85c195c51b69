/** The offline model cache (Cache Storage, content-addressed by sha256). */
export { openModelCache, DEFAULT_CACHE_NAME } from './model-cache.js';
export type { CachedModelInfo, ModelCache, OpenModelCacheOptions } from './model-cache.js';
export { sha256Hex } from './sha256.js';
