// Test double shared by the cache-*.test.ts files (not a test file itself).
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
