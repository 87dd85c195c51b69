/**
 * The offline model cache: Cache Storage keyed by content hash (sha256), plus a small index of
 * which model versions are complete. Content addressing means a new version only downloads the
 * files that changed, and two models sharing a file store it once.
 * Owns: the Cache Storage entries and their index; writes to the index are serialised by a Web Lock (and a queue where there is none).
 */
import { InpageError, toInpageError } from '../errors.js';
import type { CachedModelInfo } from '../protocol/cached-model.js';
import type { ManifestFile } from '../registry/manifest-types.js';
import { emptyIndex, parseIndex, SHA256_RE, unreferenced, withModel, withoutModels, type CacheIndex } from './cache-index.js';
import { sha256Hex, toArrayBufferView, type VerifiedBytes } from './sha256.js';

/** A content-addressed store for model files. Obtain one with {@link openModelCache}. */
export interface ModelCache {
  /** The file with this sha256, re-verified (size and hash); a corrupt entry is deleted and reported as a miss. */
  match(sha256: string): Promise<Uint8Array | null>;
  /** Stores bytes under their hash, which {@link VerifiedBytes} proves was checked. Throws `QUOTA` when storage is full. */
  put(verified: VerifiedBytes): Promise<void>;
  /**
   * Records `id@version` in the index, so {@link ModelCache.list} can report it, only if every one
   * of its files is in storage at that moment (another tab may have cleared it meanwhile); resolves
   * false otherwise. A republished version's old files that nothing else uses are deleted.
   */
  recordModel(id: string, version: string, files: ManifestFile[]): Promise<boolean>;
  /** Versions whose files are all present; entries whose files went missing are dropped from the index as they are found. */
  list(): Promise<CachedModelInfo[]>;
  /**
   * Deletes the given files unless a recorded version uses them: a load that failed (e.g. a later
   * file failed INTEGRITY) leaves nothing unreachable behind. Returns bytes freed.
   */
  discardUnrecorded(sha256s: readonly string[]): Promise<number>;
  /** Deletes every stored model file no recorded version uses (left by a crash or an older inpage); returns bytes freed. */
  prune(): Promise<number>;
  /** Removes index entries and the files no other cached version uses; returns bytes freed. */
  delete(id: string, version?: string): Promise<number>;
  clear(): Promise<void>;
  /** Asks the browser not to evict the cache under storage pressure (`navigator.storage.persist()`). */
  persist(): Promise<boolean>;
  /** Free bytes per navigator.storage.estimate(), or null when unknown */
  available(): Promise<number | null>;
  /** Last good copy of a registry manifest, for offline reloads. */
  matchManifest?(url: string): Promise<string | null>;
  putManifest?(url: string, text: string): Promise<void>;
}

/** Test seams: inject a CacheStorage/StorageManager (Node has neither). */
export interface OpenModelCacheOptions {
  caches?: CacheStorage;
  /** `null` means "no StorageManager" (estimate/persist unknown). */
  storage?: StorageManager | null;
  /** Cross-tab lock for index updates; defaults to `navigator.locks` when present. */
  locks?: LockManager | null;
}

/** Default Cache Storage name; bump the suffix if the stored layout ever changes. */
export const DEFAULT_CACHE_NAME = 'inpage-models-v1';

// `.invalid` is a reserved TLD: these keys can never collide with a real request.
const KEY_BASE = 'https://inpage.invalid/';
const INDEX_KEY = `${KEY_BASE}index.json`;
const fileKey = (sha256: string): string => `${KEY_BASE}sha256/${sha256}`;
const manifestKey = (url: string): string => `${KEY_BASE}manifest?url=${encodeURIComponent(url)}`;
const FILE_PREFIX = `${KEY_BASE}sha256/`;
const BYTES_HEADER = 'x-inpage-bytes';

function isQuotaError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED')
  );
}

// Typed as Navigator (the DOM lib); in a Worker it is a WorkerNavigator with the same storage/locks.
function globalNavigator(): Navigator | undefined {
  return 'navigator' in globalThis ? globalThis.navigator : undefined;
}

interface IndexChange<T> {
  /** null: nothing changed, skip the write. */
  index: CacheIndex | null;
  result: T;
}

class CacheStorageModelCache implements ModelCache {
  // Serialises index read-modify-write within this context; `locks` does it across tabs.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cache: Cache,
    private readonly name: string,
    // Partial: not every browser has persist() and estimate().
    private readonly storage: Partial<Pick<StorageManager, 'estimate' | 'persist'>> | null,
    private readonly locks: LockManager | null,
  ) {}

  async match(sha256: string): Promise<Uint8Array | null> {
    if (!SHA256_RE.test(sha256)) return null;
    const key = fileKey(sha256);
    const response = await this.cache.match(key);
    if (!response) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const declared = Number(response.headers.get(BYTES_HEADER));
    if (declared !== bytes.byteLength || (await sha256Hex(bytes)) !== sha256) {
      await this.cache.delete(key); // a corrupt entry must never be served again
      return null;
    }
    return bytes;
  }

  async put({ sha256, bytes }: VerifiedBytes): Promise<void> {
    const body = toArrayBufferView(bytes);
    const headers = { 'content-type': 'application/octet-stream', [BYTES_HEADER]: String(bytes.byteLength) };
    try {
      await this.cache.put(fileKey(sha256), new Response(body, { headers }));
    } catch (error) {
      if (isQuotaError(error)) {
        throw new InpageError('QUOTA', `Storage is full: could not cache ${bytes.byteLength} bytes`, {
          cause: error,
          details: { bytes: bytes.byteLength },
        });
      }
      throw toInpageError(error, 'INTERNAL', 'Cache write failed');
    }
  }

  async recordModel(id: string, version: string, files: ManifestFile[]): Promise<boolean> {
    const entry = {
      id,
      version,
      files: files.map((f) => ({ sha256: f.sha256, bytes: f.bytes })),
      cachedAt: new Date().toISOString(),
    };
    return this.updateIndex(async (index) => {
      // Checked under the lock that clear() and delete() take too, so the index never claims a file
      // that is gone at the moment it is written.
      const present = await this.storedHashes();
      if (!entry.files.every((f) => present.has(f.sha256))) return { index: null, result: false };
      // Re-recording an unchanged version (every cached reload does) keeps its date and skips the write.
      const same = index.models.find((m) => m.id === id && m.version === version);
      if (same?.files.map((f) => f.sha256).join() === entry.files.map((f) => f.sha256).join()) return { index: null, result: true };
      const next = withModel(index, entry);
      // A republished id@version (new sha256) would otherwise leave its old bytes unreachable.
      for (const file of unreferenced(next, same?.files ?? [])) await this.cache.delete(fileKey(file.sha256));
      return { index: next, result: true };
    });
  }

  async list(): Promise<CachedModelInfo[]> {
    const index = await this.updateIndex(async (stored) => {
      const present = await this.storedHashes();
      const complete = stored.models.filter((m) => m.files.every((f) => present.has(f.sha256)));
      // Repair as we read: a version whose files another tab deleted is not cached any more.
      const repaired = complete.length === stored.models.length ? null : { v: 1 as const, models: complete };
      return { index: repaired, result: repaired ?? stored };
    });
    return index.models
      .map((m) => ({
        id: m.id,
        version: m.version,
        bytes: m.files.reduce((n, f) => n + f.bytes, 0),
        files: m.files.length,
        cachedAt: m.cachedAt,
      }))
      .sort((a, b) => (a.id === b.id ? a.version.localeCompare(b.version) : a.id.localeCompare(b.id)));
  }

  async delete(id: string, version?: string): Promise<number> {
    return this.updateIndex(async (index) => {
      const { index: next, orphans } = withoutModels(index, id, version);
      let freed = 0;
      for (const file of orphans) {
        if (await this.cache.delete(fileKey(file.sha256))) freed += file.bytes;
      }
      return { index: next, result: freed };
    });
  }

  async discardUnrecorded(sha256s: readonly string[]): Promise<number> {
    return this.updateIndex(async (index) => {
      const used = new Set(index.models.flatMap((m) => m.files.map((f) => f.sha256)));
      let freed = 0;
      for (const sha256 of new Set(sha256s)) {
        if (!used.has(sha256)) freed += await this.deleteFile(sha256);
      }
      return { index: null, result: freed };
    });
  }

  async prune(): Promise<number> {
    return this.updateIndex(async (index) => {
      const used = new Set(index.models.flatMap((m) => m.files.map((f) => f.sha256)));
      let freed = 0;
      for (const sha256 of await this.storedHashes()) {
        if (!used.has(sha256)) freed += await this.deleteFile(sha256);
      }
      return { index: null, result: freed };
    });
  }

  /** The hashes of the model files in storage, from the keys alone (no body is read). */
  private async storedHashes(): Promise<Set<string>> {
    const hashes = new Set<string>();
    for (const request of await this.cache.keys()) {
      if (request.url.startsWith(FILE_PREFIX)) hashes.add(request.url.slice(FILE_PREFIX.length));
    }
    return hashes;
  }

  /** Deletes one stored file; returns its size (0 when it was not there). */
  private async deleteFile(sha256: string): Promise<number> {
    const key = fileKey(sha256);
    const response = await this.cache.match(key);
    if (!response) return 0;
    const bytes = Number(response.headers.get(BYTES_HEADER)) || 0;
    await response.body?.cancel().catch(() => undefined);
    return (await this.cache.delete(key)) ? bytes : 0;
  }

  async clear(): Promise<void> {
    // Delete entries one by one instead of caches.delete(name): our Cache handle stays usable.
    await this.withLock(async () => {
      for (const request of await this.cache.keys()) await this.cache.delete(request);
    });
  }

  async persist(): Promise<boolean> {
    try {
      return (await this.storage?.persist?.()) ?? false;
    } catch {
      return false;
    }
  }

  async available(): Promise<number | null> {
    try {
      const estimate = await this.storage?.estimate?.();
      const { quota, usage } = estimate ?? {};
      return typeof quota === 'number' && typeof usage === 'number' ? Math.max(0, quota - usage) : null;
    } catch {
      return null;
    }
  }

  async matchManifest(url: string): Promise<string | null> {
    const response = await this.cache.match(manifestKey(url));
    return response ? response.text() : null;
  }

  async putManifest(url: string, text: string): Promise<void> {
    await this.cache.put(manifestKey(url), new Response(text, { headers: { 'content-type': 'application/json' } }));
  }

  private async readIndex(): Promise<CacheIndex> {
    const response = await this.cache.match(INDEX_KEY);
    if (!response) return emptyIndex();
    try {
      return parseIndex(JSON.parse(await response.text()));
    } catch {
      return emptyIndex(); // unreadable index: start over rather than break every load
    }
  }

  private async updateIndex<T>(change: (index: CacheIndex) => Promise<IndexChange<T>> | IndexChange<T>): Promise<T> {
    return this.withLock(async () => {
      const { index, result } = await change(await this.readIndex());
      if (index === null) return result;
      const body = JSON.stringify(index);
      try {
        await this.cache.put(INDEX_KEY, new Response(body, { headers: { 'content-type': 'application/json' } }));
      } catch (error) {
        if (isQuotaError(error)) {
          throw new InpageError('QUOTA', 'Storage is full: could not update the cache index', { cause: error });
        }
        throw toInpageError(error, 'INTERNAL', 'Cache index write failed');
      }
      return result;
    });
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    // `await` flattens the Promise<Promise<T>> that LockManager.request's typing produces.
    const locked = async (): Promise<T> => (this.locks ? await this.locks.request(`${this.name}:index`, fn) : await fn());
    const run = this.queue.then(locked, locked);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Opens (creating if needed) the model cache, or returns null when Cache Storage is unavailable
 * (insecure or opaque origins, some private modes, Node) — callers then load without caching.
 *
 * @param name - Cache Storage name (default `inpage-models-v1`)
 * @example
 * ```ts
 * const cache = await openModelCache();
 * console.log(await cache?.list());
 * ```
 */
export async function openModelCache(name: string = DEFAULT_CACHE_NAME, options: OpenModelCacheOptions = {}): Promise<ModelCache | null> {
  let cache: Cache;
  try {
    // Reading the global itself can throw (a SecurityError where storage is blocked by policy).
    const storageApi = options.caches ?? ('caches' in globalThis ? globalThis.caches : undefined);
    if (!storageApi) return null;
    cache = await storageApi.open(name);
  } catch {
    return null; // SecurityError on opaque origins, or storage disabled by the user
  }
  const nav = globalNavigator();
  const storage = options.storage === undefined ? (nav?.storage ?? null) : options.storage;
  const locks = options.locks === undefined ? (nav?.locks ?? null) : options.locks;
  return new CacheStorageModelCache(cache, name, storage, locks);
}
