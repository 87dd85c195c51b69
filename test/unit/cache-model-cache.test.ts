import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import { parseIndex, withoutModels } from '../../src/cache/cache-index.js';
import { openModelCache } from '../../src/cache/model-cache.js';
import { checkSha256 } from '../../src/cache/sha256.js';
import { FakeCacheStorage, file, sha, verified } from './cache-fake-storage.js';

async function setup(storage: Partial<StorageManager> | null = null) {
  const storageApi = new FakeCacheStorage();
  const cache = (await openModelCache('test-cache', {
    caches: storageApi as unknown as CacheStorage, // test double: only the methods used are implemented
    storage: storage as StorageManager | null,
    locks: null,
  }))!;
  return { cache, raw: storageApi.caches.get('test-cache')!, storageApi };
}

describe('openModelCache', () => {
  it('returns null when Cache Storage is missing or refuses to open', async () => {
    expect(await openModelCache('x', { caches: undefined })).toBeNull(); // Node has no global caches
    const storageApi = new FakeCacheStorage();
    storageApi.failOpen = true;
    expect(await openModelCache('x', { caches: storageApi as unknown as CacheStorage })).toBeNull();
  });
});

describe('openModelCache when reading the caches global throws', () => {
  it('returns null instead of throwing, so create() still works uncached', async () => {
    const had = Object.getOwnPropertyDescriptor(globalThis, 'caches');
    Object.defineProperty(globalThis, 'caches', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    try {
      expect(await openModelCache('x')).toBeNull();
    } finally {
      if (had) Object.defineProperty(globalThis, 'caches', had);
      else Reflect.deleteProperty(globalThis, 'caches');
    }
  });
});

describe('ModelCache', () => {
  it('stores by content hash; only bytes whose hash was checked can go in', async () => {
    const { cache } = await setup();
    const a = randomBytes(1000);
    await cache.put(await verified(a));
    expect(Buffer.from((await cache.match(sha(a)))!)).toEqual(a);
    expect(await cache.match('f'.repeat(64))).toBeNull();
    expect(await cache.match('not-a-hash')).toBeNull();
    // Only checkSha256 makes the VerifiedBytes that put() takes: bytes under the wrong name cannot get in.
    expect(await checkSha256(a, '0'.repeat(64))).toEqual({ ok: false, actual: sha(a) });
  });

  it('treats a corrupt entry as a miss and deletes it', async () => {
    const { cache, raw } = await setup();
    const a = randomBytes(1000);
    await cache.put(await verified(a));
    const key = [...raw.entries.keys()].find((k) => k.includes(sha(a)))!;
    raw.entries.get(key)!.body[10] ^= 0xff; // same size, flipped bits
    expect(await cache.match(sha(a))).toBeNull();
    expect(raw.entries.has(key)).toBe(false);

    await cache.put(await verified(a));
    raw.entries.get(key)!.body = raw.entries.get(key)!.body.subarray(0, 500); // truncated
    expect(await cache.match(sha(a))).toBeNull();
  });

  it('throws QUOTA when storage is full', async () => {
    const { cache, raw } = await setup();
    raw.quotaFull = true;
    const a = randomBytes(10);
    const error = await cache.put(await verified(a)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InpageError);
    expect(error).toMatchObject({ code: 'QUOTA' });
  });

  it('lists recorded models, dedupes shared files, and frees only unreferenced files', async () => {
    const { cache, raw } = await setup();
    const shared = randomBytes(100);
    const v1 = randomBytes(200);
    const v2 = randomBytes(300);
    for (const b of [shared, v1, v2]) await cache.put(await verified(b));
    await cache.recordModel('m', '1.0.0', [file(v1, 'm/1/model.onnx'), file(shared, 'm/1/tokenizer.json', 'tokenizer')]);
    await cache.recordModel('m', '2.0.0', [file(v2, 'm/2/model.onnx'), file(shared, 'm/2/tokenizer.json', 'tokenizer')]);
    await cache.recordModel('other', '1.0.0', [file(shared, 'o/model.onnx')]);
    const list = await cache.list();
    expect(list.map((m) => `${m.id}@${m.version}:${m.bytes}:${m.files}`)).toEqual(['m@1.0.0:300:2', 'm@2.0.0:400:2', 'other@1.0.0:100:1']);
    expect(list[0].cachedAt).toMatch(/^\d{4}-/);
    expect(raw.entries.size).toBe(4); // 3 files + index: the shared file is stored once

    expect(await cache.delete('m', '1.0.0')).toBe(200);
    expect(await cache.match(sha(v1))).toBeNull();
    expect(await cache.match(sha(shared))).not.toBeNull();
    expect(await cache.delete('m')).toBe(300); // shared still used by "other"
    expect(await cache.delete('m')).toBe(0);
    expect(await cache.delete('other')).toBe(100);
    expect(await cache.list()).toEqual([]);
  });

  it('re-recording an unchanged version keeps its date', async () => {
    const { cache } = await setup();
    const a = randomBytes(10);
    await cache.put(await verified(a));
    await cache.recordModel('m', '1.0.0', [file(a, 'a')]);
    const first = (await cache.list())[0].cachedAt;
    await new Promise((r) => setTimeout(r, 5));
    await cache.recordModel('m', '1.0.0', [file(a, 'a')]);
    expect((await cache.list())[0].cachedAt).toBe(first);
  });

  it('serialises concurrent index updates', async () => {
    const { cache } = await setup();
    const blobs = Array.from({ length: 10 }, () => randomBytes(5));
    for (const b of blobs) await cache.put(await verified(b));
    await Promise.all(blobs.map((b, i) => cache.recordModel('m', `1.0.${i}`, [file(b, `f${i}`)])));
    expect(await cache.list()).toHaveLength(10);
  });

  it('clear() empties everything; a corrupt index reads as empty', async () => {
    const { cache, raw } = await setup();
    const a = randomBytes(10);
    await cache.put(await verified(a));
    await cache.recordModel('m', '1.0.0', [file(a, 'a')]);
    raw.entries.get('https://inpage.invalid/index.json')!.body = new TextEncoder().encode('{garbage');
    expect(await cache.list()).toEqual([]);
    await cache.clear();
    expect(raw.entries.size).toBe(0);
    expect(await cache.match(sha(a))).toBeNull();
  });

  it('reports free space and persistence through navigator.storage', async () => {
    const { cache } = await setup({
      estimate: async () => ({ quota: 1000, usage: 400 }),
      persist: async () => true,
    });
    expect(await cache.available()).toBe(600);
    expect(await cache.persist()).toBe(true);
    const none = (await setup(null)).cache;
    expect(await none.available()).toBeNull();
    expect(await none.persist()).toBe(false);
    const broken = (await setup({ estimate: () => Promise.reject(new Error('no')) })).cache;
    expect(await broken.available()).toBeNull();
  });

  it('keeps a copy of the manifest text per URL', async () => {
    const { cache } = await setup();
    await cache.putManifest!('https://cdn/a.json', '{"x":1}');
    expect(await cache.matchManifest!('https://cdn/a.json')).toBe('{"x":1}');
    expect(await cache.matchManifest!('https://cdn/b.json')).toBeNull();
  });
});

describe('cache index parsing', () => {
  it('drops malformed entries instead of trusting them', () => {
    const good = { id: 'm', version: '1', cachedAt: 'now', files: [{ sha256: 'a'.repeat(64), bytes: 1 }] };
    const index = parseIndex({ v: 1, models: [good, { id: 1 }, { ...good, files: [{ sha256: 'x', bytes: 1 }] }, null] });
    expect(index.models).toEqual([good]);
    expect(parseIndex('nope').models).toEqual([]);
    expect(parseIndex({ v: 2, models: [good] }).models).toEqual([]);
  });

  it('withoutModels reports each orphaned hash once', () => {
    const f = { sha256: 'a'.repeat(64), bytes: 5 };
    const index = { v: 1 as const, models: [{ id: 'm', version: '1', cachedAt: '', files: [f, f] }] };
    expect(withoutModels(index, 'm').orphans).toEqual([f]);
  });
});
