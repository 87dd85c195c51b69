// loadModelFiles with the real ModelCache (over a Map-backed CacheStorage) and the real dev CDN:
// second visit, offline reload, new version, corrupt entries, quota.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCdnServer, type CdnServer } from '../../scripts/cdn-server.mjs';
import { openModelCache, type ModelCache } from '../../src/cache/model-cache.js';
import type { DownloadProgress, DownloadWarning } from '../../src/protocol/events.js';
import { loadModelFiles } from '../../src/registry/load-model-files.js';
import { FakeCacheStorage } from './cache-fake-storage.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const MODEL_V1 = randomBytes(50_000);
const MODEL_V2 = randomBytes(60_000);
const CONFIG = Buffer.from('{"model_type":"demo"}');

function version(model: Buffer, dir: string): object {
  return {
    task: 'digits',
    files: [
      { path: `${dir}/model.onnx`, role: 'model', sha256: sha(model), bytes: model.length },
      { path: 'm/shared/config.json', role: 'config', sha256: sha(CONFIG), bytes: CONFIG.length },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 784] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 10] }],
    labels: ['0', '1'],
    preprocess: { kind: 'mnist', size: 28, fit: 20, mean: 0.1, std: 0.3 },
    license: 'MIT',
    metrics: {},
  };
}
const manifest = (versions: Record<string, object>): object => ({ schemaVersion: 1, models: { m: { versions } } });

let root: string;
let cdn: CdnServer;

async function control(method: string, route: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  return (await fetch(`${cdn.url}/__control/${route}`, init)).json();
}
async function fileRequests(): Promise<string[]> {
  const log = (await control('GET', 'log')) as { path: string }[];
  return log.map((e) => e.path).filter((p) => !p.endsWith('registry.json'));
}

async function freshCache(storage: Partial<StorageManager> | null = null): Promise<{ cache: ModelCache; storageApi: FakeCacheStorage }> {
  const storageApi = new FakeCacheStorage();
  const cache = await openModelCache('t', { caches: storageApi as unknown as CacheStorage, storage: storage as StorageManager | null, locks: null });
  return { cache: cache!, storageApi };
}

async function load(cache: ModelCache | null, extra: Partial<Parameters<typeof loadModelFiles>[0]> = {}) {
  const warnings: DownloadWarning[] = [];
  const progress: DownloadProgress[] = [];
  const result = await loadModelFiles({
    spec: 'm',
    registryUrls: [`${cdn.url}/models/registry.json`],
    cache,
    retryBaseDelayMs: 10,
    onWarning: (w) => warnings.push(w),
    onProgress: (p) => progress.push(p),
    ...extra,
  });
  return { result, warnings, progress };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'inpage-cache-'));
  for (const [dir, bytes] of [
    ['m/1.0.0', MODEL_V1],
    ['m/1.1.0', MODEL_V2],
  ] as const) {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, 'model.onnx'), bytes);
  }
  mkdirSync(path.join(root, 'm/shared'), { recursive: true });
  writeFileSync(path.join(root, 'm/shared/config.json'), CONFIG);
  writeFileSync(path.join(root, 'registry.json'), JSON.stringify(manifest({ '1.0.0': version(MODEL_V1, 'm/1.0.0') })));
  cdn = await startCdnServer({ root, port: 0, quiet: true });
});
afterAll(async () => {
  await cdn?.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(async () => {
  await control('DELETE', 'faults');
  await control('DELETE', 'override');
  await control('DELETE', 'log');
});

describe('loadModelFiles with the cache', () => {
  it('second load makes zero model-file requests', async () => {
    const { cache } = await freshCache();
    const first = await load(cache);
    expect(first.result.fromCache).toBe(false);
    expect(await cache.list()).toMatchObject([{ id: 'm', version: '1.0.0', files: 2, bytes: MODEL_V1.length + CONFIG.length }]);
    await control('DELETE', 'log');

    const second = await load(cache);
    expect(await fileRequests()).toEqual([]);
    expect(second.result).toMatchObject({ fromCache: true, bytesDownloaded: 0 });
    expect(Buffer.from(second.result.files.get('model')!)).toEqual(MODEL_V1);
    expect(second.progress.every((p) => p.fromCache)).toBe(true);
    expect(second.progress.at(-1)).toMatchObject({ loaded: second.progress[0].total });
    expect(second.warnings).toEqual([]);
  });

  it('loads offline from the cached manifest and files', async () => {
    const { cache } = await freshCache();
    const server = await startCdnServer({ root, port: 0, quiet: true });
    const url = `${server.url}/models/registry.json`;
    await load(cache, { registryUrls: [url] });
    await server.close(); // the CDN (or the network) goes away
    const offline = await load(cache, { registryUrls: [url] });
    expect(offline.result.fromCache).toBe(true);
    expect(Buffer.from(offline.result.files.get('model')!)).toEqual(MODEL_V1);
    expect(offline.warnings.map((w) => w.code)).toEqual(['MANIFEST_FROM_CACHE']);
  });

  it('offline with nothing cached fails with NETWORK', async () => {
    const { cache } = await freshCache();
    const dead = await startCdnServer({ root, port: 0, quiet: true });
    await dead.close();
    await expect(load(cache, { registryUrls: [`${dead.url}/models/registry.json`] })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('a new version downloads only the changed files', async () => {
    const { cache } = await freshCache();
    await load(cache);
    await control(
      'PUT',
      'override?path=/models/registry.json',
      manifest({ '1.0.0': version(MODEL_V1, 'm/1.0.0'), '1.1.0': version(MODEL_V2, 'm/1.1.0') }),
    );
    await control('DELETE', 'log');
    const next = await load(cache);
    expect(next.result.version).toBe('1.1.0');
    expect(await fileRequests()).toEqual(['/models/m/1.1.0/model.onnx']);
    expect(next.result.bytesDownloaded).toBe(MODEL_V2.length);
    expect((await cache.list()).map((m) => m.version)).toEqual(['1.0.0', '1.1.0']);
    expect(await cache.delete('m', '1.0.0')).toBe(MODEL_V1.length); // the shared config stays
  });

  it('a corrupt cached file is a miss and is downloaded again', async () => {
    const { cache, storageApi } = await freshCache();
    await load(cache);
    const raw = storageApi.caches.get('t')!;
    const key = [...raw.entries.keys()].find((k) => k.endsWith(sha(MODEL_V1)))!;
    raw.entries.get(key)!.body[0] ^= 1;
    await control('DELETE', 'log');
    const again = await load(cache);
    expect(await fileRequests()).toEqual(['/models/m/1.0.0/model.onnx']);
    expect(Buffer.from(again.result.files.get('model')!)).toEqual(MODEL_V1);
  });

  it('an INTEGRITY failure caches nothing and a later good load works', async () => {
    const { cache, storageApi } = await freshCache();
    await control('POST', 'faults', { path: '/models/m/1.0.0/model.onnx', fault: 'wrong-bytes', times: 1 });
    await expect(load(cache)).rejects.toMatchObject({ code: 'INTEGRITY' });
    const keys = [...storageApi.caches.get('t')!.entries.keys()];
    expect(keys.some((k) => k.endsWith(sha(MODEL_V1)))).toBe(false);
    expect(await cache.list()).toEqual([]);
    expect((await load(cache)).result.files.get('model')?.byteLength).toBe(MODEL_V1.length);
  });

  it('too little quota → QUOTA warning, loads uncached', async () => {
    const { cache } = await freshCache({ estimate: async () => ({ quota: 1000, usage: 900 }) });
    const { result, warnings } = await load(cache);
    expect(result.files.get('model')?.byteLength).toBe(MODEL_V1.length);
    expect(warnings.map((w) => w.code)).toEqual(['QUOTA']);
    expect(await cache.list()).toEqual([]);
  });

  it('QuotaExceededError on put → QUOTA warning, loads uncached', async () => {
    const { cache, storageApi } = await freshCache();
    storageApi.caches.get('t')!.quotaFull = true;
    const { result, warnings } = await load(cache);
    expect(result.files.size).toBe(2);
    expect(warnings.map((w) => w.code)).toEqual(['QUOTA']);
  });

  it('no cache → CACHE_UNAVAILABLE warning (unless caching was turned off)', async () => {
    expect((await load(null)).warnings.map((w) => w.code)).toEqual(['CACHE_UNAVAILABLE']);
    expect((await load(null, { cacheDisabled: true })).warnings).toEqual([]);
  });

  it('a cache that throws on read → CACHE_UNAVAILABLE, still loads', async () => {
    const { cache } = await freshCache();
    const broken: ModelCache = {
      ...cache,
      match: () => Promise.reject(new Error('disk gone')),
      list: () => cache.list(),
      available: async () => null,
    };
    const { result, warnings } = await load(broken);
    expect(result.files.size).toBe(2);
    expect(warnings[0]?.code).toBe('CACHE_UNAVAILABLE');
  });
});
