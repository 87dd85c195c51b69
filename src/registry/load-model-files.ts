/**
 * Everything between a model spec and verified file bytes: manifest (network-first, cached copy
 * offline), resolution, cache lookups, quota check, downloads with progress, cache writes.
 * Runs in the Worker or in-thread; it only needs fetch, SubtleCrypto and (optionally) Cache Storage.
 */
import { throwIfAborted } from '../errors.js';
import { DEFAULTS } from '../protocol/defaults.js';
import type { DownloadProgress, DownloadWarning } from '../protocol/events.js';
import type { ModelCache } from '../cache/model-cache.js';
import { CacheWriter } from './cache-writer.js';
import { downloadFile } from './download-file.js';
import { withDownloadLock } from './download-lock.js';
import type { Sleep } from './download-types.js';
import { fetchManifest } from './fetch-manifest.js';
import type { FileRole, ManifestFile, ModelVersion } from './manifest-types.js';
import { resolveModel } from './resolve-model.js';
import { SharedDownloads } from './shared-downloads.js';

/** What {@link loadModelFiles} needs. Only `spec`, `registryUrls` and `cache` are required. */
export interface ModelFilesRequest {
  /** `'mnist'` (newest) | `'mnist@1.0.0'` | `'mnist@^1'` */
  spec: string;
  /** Absolute URLs of registry.json mirrors, in order. */
  registryUrls: string[];
  /** Null loads without caching (a CACHE_UNAVAILABLE warning fires unless `cacheDisabled`). */
  cache: ModelCache | null;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  onWarning?: (w: DownloadWarning) => void;
  /** Injectable for unit tests. */
  fetch?: typeof fetch;
  /** How retries wait out their delays; injectable for unit tests like `fetch` (default: a real timer). */
  sleep?: Sleep;
  /** Extra attempts per mirror after the first (default 3). */
  retries?: number;
  /** A download with no bytes for this long is retried, finally TIMEOUT (default 30 000). */
  stallTimeoutMs?: number;
  /** Origins a redirect may end on besides the requested URL's (default: any; create() always sets it). */
  allowedOrigins?: readonly string[];
  /** First retry delay, doubling (default 500). */
  retryBaseDelayMs?: number;
  /** Cap on an honoured Retry-After (default 10 000). */
  maxRetryAfterMs?: number;
  /** Set when the user turned caching off, so `cache: null` is not reported as CACHE_UNAVAILABLE. */
  cacheDisabled?: boolean;
  /** Downloads in flight in this inpage instance, shared by its loads (see {@link createSharedDownloads}). */
  downloads?: FileDownloads;
}

/** How a load got one file: from the cache (another load or tab stored it meanwhile) or the network. */
export interface ObtainedFile {
  bytes: Uint8Array;
  fromCache: boolean;
  /** Whether this download put it in the cache. */
  stored: boolean;
}

/** The in-flight downloads one inpage instance shares between its loads. */
export type FileDownloads = SharedDownloads<ObtainedFile>;

/** A fresh set of shared downloads, one per inpage instance. */
export function createSharedDownloads(): FileDownloads {
  return new SharedDownloads<ObtainedFile>();
}

/** The verified files of one model version. */
export interface LoadedModelFiles {
  id: string;
  version: string;
  entry: ModelVersion;
  /** Bytes by role; every one matched the manifest's size and sha256. */
  files: Map<FileRole, Uint8Array>;
  /** True when every file came from the offline cache. */
  fromCache: boolean;
  /** Sum of the sizes of the files fetched from the network (0 when all were cached). */
  bytesDownloaded: number;
}

// Leave headroom: estimate() is approximate and Cache Storage adds per-entry overhead.
const QUOTA_HEADROOM = 1.1;

/**
 * Resolves `request.spec` in the registry and returns the model's verified file bytes, from the
 * offline cache when possible, otherwise downloaded (and then cached).
 *
 * Progress: `total` is the sum of all files from the manifest, known before the first byte.
 * Never fails because of storage: quota or cache trouble becomes an `onWarning` and the model
 * loads uncached.
 *
 * @throws InpageError `NOT_FOUND`, `MANIFEST_INVALID`, `NETWORK`, `HTTP`, `TIMEOUT`, `INTEGRITY`,
 *   `ABORTED` (the registry URLs come checked from create()'s options)
 * @example
 * ```ts
 * const loaded = await loadModelFiles({
 *   spec: 'mnist@^1',
 *   registryUrls: ['https://cdn.example.com/models/registry.json'],
 *   cache: await openModelCache(),
 *   onProgress: (p) => bar.value = p.loaded / p.total,
 * });
 * const onnx = loaded.files.get('model');
 * ```
 */
export async function loadModelFiles(request: ModelFilesRequest): Promise<LoadedModelFiles> {
  const { signal } = request;
  const warn = (w: DownloadWarning): void => request.onWarning?.(w);
  const fetchImpl = request.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const policy = {
    retries: request.retries ?? DEFAULTS.retries,
    baseDelayMs: request.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
    maxRetryAfterMs: request.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    sleep: request.sleep,
  };
  throwIfAborted(signal, `Loading ${request.spec}`);

  const fetched = await fetchManifest({
    ...policy,
    urls: request.registryUrls,
    fetch: fetchImpl,
    cache: request.cache,
    signal,
    stallTimeoutMs: request.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs,
    onWarning: warn,
    allowedOrigins: request.allowedOrigins,
  });
  const { id, version, entry } = resolveModel(fetched.manifest, request.spec);
  const total = entry.files.reduce((n, f) => n + f.bytes, 0);
  const cache = new CacheWriter(request.cache, warn);
  if (!request.cache && !request.cacheDisabled) {
    cache.warnOnce({ code: 'CACHE_UNAVAILABLE', message: 'Cache Storage is unavailable here; the model will be downloaded on every load' });
  }
  const files = new Map<FileRole, Uint8Array>();
  let loaded = 0;
  const report = (file: ManifestFile, fileLoaded: number, fromCache: boolean): void =>
    request.onProgress?.({ loaded: loaded + fileLoaded, total, file: file.path, fileLoaded, fileTotal: file.bytes, fromCache, id, version });

  const missing: ManifestFile[] = [];
  for (const file of entry.files) {
    throwIfAborted(signal, `Loading ${id}@${version}`);
    const hit = await cache.match(file);
    if (hit) {
      files.set(file.role, hit);
      report(file, file.bytes, true);
      loaded += file.bytes;
    } else missing.push(file);
  }

  const needed = missing.reduce((n, f) => n + f.bytes, 0);
  if (request.cache && cache.writable && needed > 0) {
    const free = await request.cache.available().catch(() => null);
    if (free !== null && free < needed * QUOTA_HEADROOM) {
      cache.writable = false;
      cache.warnOnce({
        code: 'QUOTA',
        message: `Only ${free} bytes of storage free for ${needed} bytes of model files; loading without caching`,
        details: { free, needed },
      });
    }
  }

  // The manifest's mirror first (known to be up), mirrors that just failed last.
  const others = request.registryUrls.filter((u) => u !== fetched.url);
  const failed = new Set(fetched.failedUrls);
  const bases = [fetched.url, ...others.filter((u) => !failed.has(u)), ...others.filter((u) => failed.has(u))];
  const downloads = request.downloads ?? createSharedDownloads();
  const stallTimeoutMs = request.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs;
  const urlsOf = (file: ManifestFile): string[] => bases.map((base) => new URL(file.path, base).href);

  /** The file from the network, unless another tab cached it while this one waited for the download lock. */
  const download = (file: ManifestFile, downloadSignal: AbortSignal, onBytes: (n: number) => void): Promise<ObtainedFile> =>
    withDownloadLock(file.sha256, downloadSignal, stallTimeoutMs, async () => {
      const hit = await cache.match(file);
      if (hit) return { bytes: hit, fromCache: true, stored: false };
      const verified = await downloadFile({
        ...policy,
        file,
        urls: urlsOf(file),
        fetch: fetchImpl,
        signal: downloadSignal,
        stallTimeoutMs,
        onBytes,
        onWarning: warn,
        allowedOrigins: request.allowedOrigins,
      });
      return { bytes: verified.bytes, fromCache: false, stored: await cache.put(file, verified) };
    });

  let allCached = missing.length === 0 || cache.writable;
  const stored: string[] = [];
  // What really came over the network: a file another tab cached while this one waited does not count.
  let downloaded = 0;
  let recorded = false;
  try {
    for (const file of missing) {
      const obtained = await downloads.join(
        file.sha256,
        (s, onBytes) => download(file, s, onBytes),
        signal,
        (n) => {
          report(file, n, false);
        },
      );
      loaded += file.bytes;
      files.set(file.role, obtained.bytes);
      if (!obtained.fromCache) downloaded += file.bytes;
      if (obtained.stored) stored.push(file.sha256);
      else if (!obtained.fromCache) allCached = false;
    }
    if (request.cache && allCached && cache.writable) recorded = await record(request.cache);
  } finally {
    // Files stored by a load that failed, or that could not be recorded, would be unlisted and undeletable.
    if (!recorded && stored.length > 0) await request.cache?.discardUnrecorded(stored).catch(() => undefined);
  }

  async function record(store: ModelCache): Promise<boolean> {
    try {
      if (await store.recordModel(id, version, entry.files)) return true;
      cache.warnOnce({
        code: 'CACHE_WRITE_FAILED',
        message: `${id}@${version} was not recorded as cached: some of its files left the cache while it loaded (cleared in another tab?)`,
      });
    } catch (error) {
      cache.warnOnce({ code: 'CACHE_WRITE_FAILED', message: `Could not record ${id}@${version} in the cache index: ${String(error)}` });
    }
    return false;
  }
  return { id, version, entry, files, fromCache: downloaded === 0, bytesDownloaded: downloaded };
}
