// Test double shared by the cache-*.test.ts files (not a test file itself).
import { createHash } from 'node:crypto';
import { checkSha256, type VerifiedBytes } from '../../src/cache/sha256.js';
import type { ManifestFile } from '../../src/registry/manifest-types.js';

export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** `b` as the verified bytes only checkSha256 can make. */
export async function verified(b: Uint8Array): Promise<VerifiedBytes> {
  const check = await checkSha256(b, sha(b));
  if (!check.ok) throw new Error('checkSha256 disagrees with node:crypto');
  return check.verified;
}

/** A manifest file entry for `bytes`. */
export const file = (bytes: Uint8Array, path: string, role: ManifestFile['role'] = 'model'): ManifestFile => ({
  path,
  role,
  sha256: sha(bytes),
  bytes: bytes.byteLength,
});
/** Map-backed Cache/CacheStorage: enough of the API for the model cache, with a switchable quota. */
export class FakeCache {
  readonly entries = new Map<string, { body: Uint8Array; headers: Headers }>();
  quotaFull = false;
  async match(key: RequestInfo | URL): Promise<Response | undefined> {
    const hit = this.entries.get(String(key instanceof Request ? key.url : key));
    return hit ? new Response(hit.body.slice(), { headers: hit.headers }) : undefined;
  }
  async put(key: RequestInfo | URL, response: Response): Promise<void> {
    const body = new Uint8Array(await response.arrayBuffer());
    if (this.quotaFull) throw new DOMException('full', 'QuotaExceededError');
    this.entries.set(String(key instanceof Request ? key.url : key), { body, headers: response.headers });
  }
  async delete(key: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(String(key instanceof Request ? key.url : key));
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((k) => new Request(k));
  }
}

export class FakeCacheStorage {
  readonly caches = new Map<string, FakeCache>();
  failOpen = false;
  async open(name: string): Promise<FakeCache> {
    if (this.failOpen) throw new DOMException('opaque origin', 'SecurityError');
    let cache = this.caches.get(name);
    if (!cache) this.caches.set(name, (cache = new FakeCache()));
    return cache;
  }
}
