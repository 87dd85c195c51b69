/**
 * The options of create(), load() and predict(), and their validation: a malformed option is
 * OPTIONS_INVALID naming it, at the call that got it, not a confusing failure later.
 */
import { InpageError } from '../errors.js';
import { DEFAULTS } from '../protocol/defaults.js';
import type { BackendPreference } from '../protocol/backend-report.js';
import type { DownloadProgress, InpageWarning } from '../protocol/events.js';
import type { TaskName } from '../protocol/task-io.js';
import { optionalGlobals } from '../optional-globals.js';

/**
 * Options of {@link create}; all are optional.
 * @example
 * ```ts
 * const options: CreateOptions = { registry: 'https://cdn.example.com/models/registry.json', backend: 'wasm', retries: 5 };
 * const inpage = await create(options);
 * ```
 */
export interface CreateOptions {
  /**
   * registry.json URL, or several: the first is the primary, the rest are mirrors tried in turn
   * on a network failure. Relative URLs resolve against the page. Default: `models/registry.json`
   * next to the page.
   */
  registry?: string | URL | (string | URL)[];
  /** `auto` (default): WebGPU on a real GPU adapter whose session builds, else WASM. */
  backend?: BackendPreference;
  /** Run models in a Web Worker (default true) so the page never freezes. */
  worker?: boolean;
  /**
   * Folder holding `inpage.worker.js` and onnxruntime-web's `.mjs`/`.wasm` files. Default: next
   * to the inpage bundle. Set it when you host those files elsewhere.
   */
  assetBase?: string | URL;
  /** Keep verified model files in Cache Storage for offline use (default true). */
  cache?: boolean;
  /**
   * onnxruntime-web wasm threads (default `'auto'`: on a cross-origin isolated page, half the
   * cores, at least 2 and at most 4; elsewhere 1, as threads need SharedArrayBuffer).
   * `inpage.backend.threads` says how many run and why.
   */
  numThreads?: number | 'auto';
  /** Most inputs coalesced into one batched run (default 32). */
  maxBatch?: number;
  /** A download with no bytes for this long is retried, then fails with TIMEOUT (default 30 000). */
  stallTimeoutMs?: number;
  /** Retries per file on network errors and 5xx (default 3). */
  retries?: number;
  /** Called for recoverable problems (cache unavailable, quota, retries); also a `warning` event. */
  onWarning?: (warning: InpageWarning) => void;
  /**
   * How long to wait for the worker to start (its script, the runtime, the backend check) before
   * giving up on it: create() then runs in-thread with a `WORKER_UNAVAILABLE` warning (default 10 000).
   */
  workerTimeoutMs?: number;
  /**
   * Origins (e.g. `'https://cdn.example.com'`) a registry or model request may be redirected to,
   * beside those of the registry URLs. A redirect anywhere else is refused (`HTTP`). Default: none.
   */
  allowedOrigins?: (string | URL)[];
}

/**
 * Options of `inpage.load()`.
 * @example
 * ```ts
 * const controller = new AbortController();
 * const model = await inpage.load('mnist', { signal: controller.signal, onProgress: ({ loaded, total }) => console.log(loaded / total) });
 * ```
 */
export interface LoadOptions {
  /**
   * The task the entry must have (e.g. `'image-classification'`): the model is typed by it, and
   * an entry of another task is OPTIONS_INVALID instead of a model of the wrong kind.
   */
  task?: TaskName;
  /** Download progress; `total` is the sum of the model's files, known before the first byte. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborts the download, the session build and nothing else: ABORTED. */
  signal?: AbortSignal;
}

/**
 * Options of `model.predict()`.
 * @example
 * ```ts
 * const result = await model.predict(canvas, { signal: AbortSignal.timeout(2000) });
 * ```
 */
export interface PredictOptions {
  /** Aborts this prediction (queued or running): ABORTED. */
  signal?: AbortSignal;
}

export interface ResolvedCreateOptions {
  registryUrls: string[];
  backend: BackendPreference;
  worker: boolean;
  assetBase: string | URL | undefined;
  cache: boolean;
  numThreads: number | 'auto';
  maxBatch: number;
  stallTimeoutMs: number;
  retries: number;
  onWarning: ((warning: InpageWarning) => void) | undefined;
  workerTimeoutMs: number;
  /** The registry URLs' origins and `allowedOrigins`, serialised (`https://host:port`). */
  allowedOrigins: string[];
}

const CREATE_KEYS = [
  'registry',
  'backend',
  'worker',
  'assetBase',
  'cache',
  'numThreads',
  'maxBatch',
  'stallTimeoutMs',
  'retries',
  'onWarning',
  'workerTimeoutMs',
  'allowedOrigins',
] as const;

/** Where a registry may live: fetched over HTTP(S) only; data:, blob:, file: and the like cannot hold a folder of model files. */
const REGISTRY_SCHEMES = new Set(['http:', 'https:']);

function invalid(name: string, expected: string, got: unknown): InpageError {
  const shown = typeof got === 'string' ? `"${got}"` : got === null ? 'null' : typeof got;
  return new InpageError('OPTIONS_INVALID', `Option ${name} must be ${expected}, got ${shown}`, { details: { option: name } });
}

function pageUrl(): string {
  return optionalGlobals.document?.baseURI ?? optionalGlobals.location?.href ?? 'http://localhost/';
}

function toAbsoluteUrl(value: unknown, name: string): string {
  if (!(typeof value === 'string' || value instanceof URL) || String(value).trim() === '') {
    throw invalid(name, 'a URL string or URL', value);
  }
  try {
    return new URL(value, pageUrl()).href;
  } catch {
    throw invalid(name, 'a valid URL', value);
  }
}

function registryUrl(value: unknown, name: string): string {
  const href = toAbsoluteUrl(value, name);
  if (!REGISTRY_SCHEMES.has(new URL(href).protocol)) {
    throw invalid(name, 'an http(s) URL or a path relative to the page', value);
  }
  return href;
}

function originsOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('allowedOrigins', 'an array of origins', value);
  return value.map((origin, i) => {
    const url = new URL(toAbsoluteUrl(origin, `allowedOrigins[${i}]`));
    if (!REGISTRY_SCHEMES.has(url.protocol)) throw invalid(`allowedOrigins[${i}]`, 'an http(s) origin', origin);
    return url.origin;
  });
}

function integerIn<T>(value: unknown, name: string, fallback: T, min: number, max: number): number | T {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function threadsOption(value: unknown): number | 'auto' {
  if (value === undefined) return DEFAULTS.numThreads;
  if (value === 'auto') return 'auto';
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 64)
    throw invalid('numThreads', '"auto" or an integer from 1 to 64', value);
  return value;
}

function optionalNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(name, `a number from ${min} to ${max}`, value);
  }
  return value;
}

function optionalBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, 'true or false', value);
  return value;
}

export function resolveCreateOptions(options: unknown): ResolvedCreateOptions {
  const given = checkObject(options, 'create()', CREATE_KEYS);
  const registry = given.registry ?? DEFAULTS.registry;
  const registries: unknown[] = Array.isArray(registry) ? registry : [registry];
  if (registries.length === 0) throw invalid('registry', 'a URL or a non-empty list of URLs', registry);
  const backend = given.backend ?? DEFAULTS.backend;
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'webgpu') throw invalid('backend', '"auto", "wasm" or "webgpu"', backend);
  const assetBase = given.assetBase;
  const registryUrls = registries.map((url, i) => registryUrl(url, registries.length > 1 ? `registry[${i}]` : 'registry'));
  const origins = [...registryUrls.map((url) => new URL(url).origin), ...originsOf(given.allowedOrigins)];
  return {
    registryUrls,
    backend,
    worker: optionalBoolean(given.worker, 'worker', DEFAULTS.worker),
    assetBase: assetBase === undefined ? undefined : toAbsoluteUrl(assetBase, 'assetBase'),
    cache: optionalBoolean(given.cache, 'cache', DEFAULTS.cache),
    numThreads: threadsOption(given.numThreads),
    maxBatch: integerIn(given.maxBatch, 'maxBatch', DEFAULTS.maxBatch, 1, 1024),
    // setTimeout's delay is a 32-bit integer: a larger one would fire at once.
    stallTimeoutMs: optionalNumber(given.stallTimeoutMs, 'stallTimeoutMs', 1, 2_147_483_647) ?? DEFAULTS.stallTimeoutMs,
    retries: integerIn(given.retries, 'retries', DEFAULTS.retries, 0, 100),
    onWarning: checkCallback<InpageWarning>(given.onWarning, 'onWarning'),
    workerTimeoutMs: optionalNumber(given.workerTimeoutMs, 'workerTimeoutMs', 1, 2_147_483_647) ?? DEFAULTS.workerTimeoutMs,
    allowedOrigins: [...new Set(origins)],
  };
}

export function checkSignal(signal: unknown, call: string): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (typeof AbortSignal !== 'undefined' && signal instanceof AbortSignal) return signal;
  throw invalid(`${call}.signal`, 'an AbortSignal', signal);
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- callers name T: the argument type the page's callback receives
export function checkCallback<T>(value: unknown, name: string): ((arg: T) => void) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalid(name, 'a function', value);
  return (arg: T) => {
    // A throwing progress callback must not break the download it reports on.
    try {
      Reflect.apply(value, undefined, [arg]);
    } catch (error) {
      console.error(`inpage: ${name} threw`, error);
    }
  };
}

/** An options object with only known keys: a misspelt callback would otherwise be ignored silently. */
export function checkObject(value: unknown, call: string, known: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${call} options`, 'an object', value);
  const given: Record<string, unknown> = { ...value };
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new InpageError('OPTIONS_INVALID', `Unknown option "${key}" for ${call}; known: ${known.join(', ')}`, { details: { option: key } });
    }
  }
  return given;
}
