// Issue 19, classes 2, 6, 7 and 9, and shared downloads: loadModelFiles against a scripted CDN.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import { openModelCache, type ModelCache } from '../../src/cache/model-cache.js';
import { GrowingBuffer } from '../../src/registry/growing-buffer.js';
import type { DownloadWarning } from '../../src/protocol/events.js';
import { createSharedDownloads, loadModelFiles } from '../../src/registry/load-model-files.js';
import { FakeCacheStorage } from './cache-fake-storage.js';
import { json, manifestFor, redirectedResponse, scriptedFetch, sha, silence, trickle, type FileSpec, type Route } from './hostile-cdn-helpers.js';

const REGISTRY = 'https://cdn.test/models/registry.json';
const MIRROR = 'https://mirror.test/models/registry.json';

async function freshCache(): Promise<{ cache: ModelCache; storage: FakeCacheStorage }> {
  const storage = new FakeCacheStorage();
  const cache = await openModelCache('t', { caches: storage as unknown as CacheStorage, storage: null, locks: null });
  return { cache: cache!, storage };
}
const fileKeys = (storage: FakeCacheStorage): string[] => [...storage.caches.get('t')!.entries.keys()].filter((k) => k.includes('/sha256/'));

function serve(files: FileSpec[], extra: Record<string, Route> = {}): Record<string, Route> {
  const routes: Record<string, Route> = { 'registry.json': () => json(manifestFor(files)) };
  for (const f of files) routes[f.path] = () => new Response(new Uint8Array(f.bytes));
  return { ...routes, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<InpageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InpageError);
  return error as InpageError;
}

const base = { spec: 'm', registryUrls: [REGISTRY], retryBaseDelayMs: 1 };

describe('class 7: sizes are never taken on trust', () => {
  it.each([1e15, 4e9, 2 ** 32 + 1, 10_000_000])('a manifest declaring %d bytes for a small file is INTEGRITY, not INTERNAL', async (declared) => {
    const model = randomBytes(4_000);
    const { fetch } = scriptedFetch(serve([{ path: 'model.onnx', role: 'model', bytes: model, declared }]));
    const error = await failure(loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, retries: 0 }));
    expect(error.code).toBe('INTEGRITY');
    expect(error.message).toMatch(/4000 bytes|more than/);
  });

  it('a file longer than declared is INTEGRITY as soon as the excess arrives', async () => {
    const model = randomBytes(5_000);
    const { fetch } = scriptedFetch(serve([{ path: 'model.onnx', role: 'model', bytes: model, declared: 4_999 }]));
    expect((await failure(loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, retries: 0 }))).code).toBe('INTEGRITY');
  });

  it('the buffer grows with what arrives, up to its limit, and ends at exactly the honest size', () => {
    const buffer = new GrowingBuffer(200_000, () => new InpageError('INTEGRITY', 'too much'));
    for (let i = 0; i < 100; i++) buffer.append(new Uint8Array(2_000).fill(i));
    expect(buffer.length).toBe(200_000);
    expect(buffer.bytes().buffer.byteLength).toBe(200_000);
    expect(buffer.bytes()[199_999]).toBe(99);
    expect(() => {
      buffer.append(new Uint8Array(1));
    }).toThrow(/too much/);
    buffer.truncate(10);
    expect(buffer.length).toBe(10);
    buffer.append(new Uint8Array([7]));
    expect([...buffer.bytes().subarray(9)]).toEqual([0, 7]);
  });

  it('a huge limit allocates nothing near it before bytes arrive', () => {
    const buffer = new GrowingBuffer(2 ** 32, () => new InpageError('INTEGRITY', 'x'));
    buffer.append(new Uint8Array(10));
    expect(buffer.bytes().buffer.byteLength).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('class 2: registry.json follows the stall rule, retries and mirrors', () => {
  it('a slow but steady manifest loads, even when it takes many stall periods in all', async () => {
    const model = randomBytes(100);
    const files: FileSpec[] = [{ path: 'model.onnx', role: 'model', bytes: model }];
    const text = new TextEncoder().encode(JSON.stringify({ ...manifestFor(files), padding: 'x'.repeat(20_000) }));
    const { fetch } = scriptedFetch(
      serve(files, {
        'registry.json': (_u, init) => new Response(trickle(text, 30, 30, init?.signal), { headers: { 'content-type': 'application/json' } }),
      }),
    );
    // 30 chunks × 30 ms = 900 ms in all, three times the stall limit, but never 300 ms without a byte.
    const loaded = await loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, stallTimeoutMs: 300, retries: 0 });
    expect(loaded.files.get('model')).toEqual(new Uint8Array(model));
  });

  it('a manifest that stalls is retried, then TIMEOUT naming stallTimeoutMs', async () => {
    const warnings: DownloadWarning[] = [];
    const { fetch, requests } = scriptedFetch({ 'registry.json': (_u, init) => new Response(silence(init?.signal)) });
    const error = await failure(
      loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, stallTimeoutMs: 40, retries: 2, onWarning: (w) => warnings.push(w) }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('40 ms');
    expect(requests).toHaveLength(3);
    expect(warnings.filter((w) => w.code === 'RETRY')).toHaveLength(2);
  });

  it('a network error on the manifest is retried when no cached copy waits', async () => {
    let calls = 0;
    const model = randomBytes(100);
    const files: FileSpec[] = [{ path: 'model.onnx', role: 'model', bytes: model }];
    const { fetch } = scriptedFetch(
      serve(files, {
        'registry.json': () => {
          calls += 1;
          if (calls < 3) throw new TypeError('Failed to fetch');
          return json(manifestFor(files));
        },
      }),
    );
    await loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch });
    expect(calls).toBe(3);
  });

  it('a stalled primary fails over to the mirror', async () => {
    const model = randomBytes(100);
    const files: FileSpec[] = [{ path: 'model.onnx', role: 'model', bytes: model }];
    const warnings: DownloadWarning[] = [];
    const { fetch } = scriptedFetch({
      ...serve(files),
      'registry.json': (url, init) => (url.startsWith('https://cdn.test') ? new Response(silence(init?.signal)) : json(manifestFor(files))),
    });
    const loaded = await loadModelFiles({
      ...base,
      registryUrls: [REGISTRY, MIRROR],
      cache: null,
      cacheDisabled: true,
      fetch,
      stallTimeoutMs: 30,
      retries: 0,
      onWarning: (w) => warnings.push(w),
    });
    expect(loaded.files.get('model')).toEqual(new Uint8Array(model));
    expect(warnings.map((w) => w.code)).toContain('MIRROR_FAILED');
  });
});

describe('class 9: hosts the page did not name', () => {
  const model = randomBytes(300);
  const files: FileSpec[] = [{ path: 'model.onnx', role: 'model', bytes: model }];

  it('refuses a model file redirected to another origin, naming it', async () => {
    const { fetch } = scriptedFetch(serve(files, { 'model.onnx': () => redirectedResponse(model, 'https://evil.test/model.onnx') }));
    const error = await failure(loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, allowedOrigins: [] }));
    expect(error.code).toBe('HTTP');
    expect(error.details.origin).toBe('https://evil.test');
  });

  it('refuses a registry.json redirected to another origin', async () => {
    const { fetch } = scriptedFetch(
      serve(files, { 'registry.json': () => redirectedResponse(JSON.stringify(manifestFor(files)), 'https://evil.test/r.json') }),
    );
    expect((await failure(loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, allowedOrigins: [] }))).code).toBe('HTTP');
  });

  it('follows a redirect to an allowed origin, and one within the same origin', async () => {
    for (const finalUrl of ['https://files.test/blob/1', 'https://cdn.test/elsewhere/model.onnx']) {
      const { fetch } = scriptedFetch(serve(files, { 'model.onnx': () => redirectedResponse(model, finalUrl) }));
      const loaded = await loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch, allowedOrigins: ['https://files.test'] });
      expect(loaded.files.get('model')).toEqual(new Uint8Array(model));
    }
  });

  it.each([
    ['text/html', '<!doctype html><title>Sign in to Wi-Fi</title>'],
    ['application/json', '  <html><body>portal</body></html>'],
  ])('an HTML page (%s) where registry.json should be falls back to the cached manifest', async (type, page) => {
    const { cache } = await freshCache();
    const first = scriptedFetch(serve(files));
    await loadModelFiles({ ...base, cache, fetch: first.fetch });
    const warnings: DownloadWarning[] = [];
    const portal = scriptedFetch({
      'registry.json': () => new Response(page, { headers: { 'content-type': type, 'access-control-allow-origin': '*' } }),
    });
    await loadModelFiles({ ...base, cache, fetch: portal.fetch, onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.code)).toContain('MANIFEST_FROM_CACHE');
  });

  it('an HTML page where registry.json should be, with nothing cached, is MANIFEST_INVALID saying so', async () => {
    const { fetch } = scriptedFetch({ 'registry.json': () => new Response('<html>portal</html>', { headers: { 'content-type': 'text/html' } }) });
    const error = await failure(loadModelFiles({ ...base, cache: null, cacheDisabled: true, fetch }));
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.message).toMatch(/HTML/);
  });

  it('a broken JSON publish is still MANIFEST_INVALID even with a cached copy (never masked)', async () => {
    const { cache } = await freshCache();
    await loadModelFiles({ ...base, cache, fetch: scriptedFetch(serve(files)).fetch });
    const { fetch } = scriptedFetch({ 'registry.json': () => json({ schemaVersion: 1, models: { m: { versions: {} } } }) });
    expect((await failure(loadModelFiles({ ...base, cache, fetch }))).code).toBe('MANIFEST_INVALID');
  });
});

describe('class 6: a failed load leaves no unreachable bytes', () => {
  it('files verified before a later file fails INTEGRITY are removed from the cache', async () => {
    const { cache, storage } = await freshCache();
    const model = randomBytes(500);
    const config = randomBytes(50);
    const files: FileSpec[] = [
      { path: 'model.onnx', role: 'model', bytes: model },
      { path: 'config.json', role: 'config', bytes: config },
    ];
    const { fetch } = scriptedFetch(serve(files, { 'config.json': () => new Response(randomBytes(50)) }));
    expect((await failure(loadModelFiles({ ...base, cache, fetch, retries: 0 }))).code).toBe('INTEGRITY');
    expect(fileKeys(storage)).toEqual([]);
    expect(await cache.list()).toEqual([]);
  });

  it('a file shared with a cached version survives the failed load', async () => {
    const { cache, storage } = await freshCache();
    const config = randomBytes(50);
    const first: FileSpec[] = [{ path: 'config.json', role: 'model', bytes: config }];
    await loadModelFiles({ ...base, cache, fetch: scriptedFetch(serve(first)).fetch });
    await cache.recordModel('other', '1.0.0', [{ path: 'c', role: 'model', sha256: sha(config), bytes: 50 }]);
    const model = randomBytes(500);
    const broken: FileSpec[] = [
      { path: 'model.onnx', role: 'model', bytes: model },
      { path: 'config.json', role: 'config', bytes: config },
    ];
    const { fetch } = scriptedFetch(serve(broken, { 'model.onnx': () => new Response(randomBytes(500)) }));
    await failure(loadModelFiles({ ...base, cache, fetch, retries: 0 }));
    expect(fileKeys(storage)).toHaveLength(1);
  });
});

describe('shared downloads within an instance', () => {
  const model = randomBytes(40_000);
  const files: FileSpec[] = [{ path: 'model.onnx', role: 'model', bytes: model }];
  const slowModel = (): Record<string, Route> => serve(files, { 'model.onnx': (_u, init) => new Response(trickle(model, 8, 10, init?.signal)) });

  it('two concurrent loads of the same model download its file once', async () => {
    const { fetch, requests } = scriptedFetch(slowModel());
    const downloads = createSharedDownloads();
    const opts = { ...base, cache: null, cacheDisabled: true, fetch, downloads };
    const [a, b, c] = await Promise.all([loadModelFiles(opts), loadModelFiles(opts), loadModelFiles(opts)]);
    expect(requests.filter((u) => u.endsWith('model.onnx'))).toHaveLength(1);
    for (const loaded of [a, b, c]) expect(loaded.files.get('model')).toEqual(new Uint8Array(model));
    expect(downloads.size).toBe(0);
  });

  it('one load aborted does not abort the other; both aborted cancels the request', async () => {
    const { fetch, requests } = scriptedFetch(slowModel());
    const downloads = createSharedDownloads();
    const stop = new AbortController();
    const opts = { ...base, cache: null, cacheDisabled: true, fetch, downloads };
    const aborted = loadModelFiles({ ...opts, signal: stop.signal });
    const kept = loadModelFiles(opts);
    setTimeout(() => {
      stop.abort();
    }, 20);
    expect((await failure(aborted)).code).toBe('ABORTED');
    expect((await kept).files.get('model')).toEqual(new Uint8Array(model));
    expect(requests.filter((u) => u.endsWith('model.onnx'))).toHaveLength(1);

    const both = new AbortController();
    const x = loadModelFiles({ ...opts, signal: both.signal });
    const y = loadModelFiles({ ...opts, signal: both.signal });
    setTimeout(() => {
      both.abort();
    }, 20);
    expect((await failure(x)).code).toBe('ABORTED');
    expect((await failure(y)).code).toBe('ABORTED');
    await new Promise((r) => setTimeout(r, 50));
    expect(downloads.size).toBe(0);
  });

  it('a second load after the first finished uses the cache, not the network', async () => {
    const { cache } = await freshCache();
    const { fetch, requests } = scriptedFetch(slowModel());
    const downloads = createSharedDownloads();
    await Promise.all([loadModelFiles({ ...base, cache, fetch, downloads }), loadModelFiles({ ...base, cache, fetch, downloads })]);
    await loadModelFiles({ ...base, cache, fetch, downloads });
    expect(requests.filter((u) => u.endsWith('model.onnx'))).toHaveLength(1);
    expect((await cache.list()).map((m) => m.id)).toEqual(['m']);
  });
});
