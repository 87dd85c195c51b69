// Failure classes 5 and 6 of issue 19: the index never claims a file that is gone, and every
// stored byte is reachable by list()/delete() or collected (discardUnrecorded, prune, republish).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openModelCache } from '../../src/cache/model-cache.js';
import { FakeCacheStorage, file, sha, verified } from './cache-fake-storage.js';

const FILE_KEYS = (raw: { entries: Map<string, unknown> }): string[] => [...raw.entries.keys()].filter((k) => k.includes('/sha256/'));

async function setup() {
  const storageApi = new FakeCacheStorage();
  const cache = (await openModelCache('honest', { caches: storageApi as unknown as CacheStorage, storage: null, locks: null }))!;
  return { cache, raw: storageApi.caches.get('honest')! };
}

describe('the cache index tells the truth', () => {
  it('does not record a version whose files are not all stored', async () => {
    const { cache } = await setup();
    const a = randomBytes(50);
    const b = randomBytes(60);
    await cache.put(await verified(a));
    expect(await cache.recordModel('m', '1.0.0', [file(a, 'a'), file(b, 'b', 'tokenizer')])).toBe(false);
    expect(await cache.list()).toEqual([]);
    await cache.put(await verified(b));
    expect(await cache.recordModel('m', '1.0.0', [file(a, 'a'), file(b, 'b', 'tokenizer')])).toBe(true);
    expect((await cache.list()).map((m) => m.version)).toEqual(['1.0.0']);
  });

  it('does not record a version cleared (by another tab) between download and record', async () => {
    const { cache } = await setup();
    const a = randomBytes(50);
    await cache.put(await verified(a));
    await cache.clear(); // what another tab's cache.clear() does to the shared Cache Storage
    expect(await cache.recordModel('m', '1.0.0', [file(a, 'a')])).toBe(false);
    expect(await cache.list()).toEqual([]);
  });

  it('drops, on read, a listed version whose file went missing, and keeps the others', async () => {
    const { cache, raw } = await setup();
    const a = randomBytes(50);
    const b = randomBytes(70);
    for (const x of [a, b]) await cache.put(await verified(x));
    await cache.recordModel('m', '1.0.0', [file(a, 'a')]);
    await cache.recordModel('n', '1.0.0', [file(b, 'b')]);
    raw.entries.delete(`https://inpage.invalid/sha256/${sha(a)}`); // evicted or deleted behind our back
    expect((await cache.list()).map((m) => m.id)).toEqual(['n']);
    // The repair was written: a second read agrees without re-deciding.
    const index = JSON.parse(new TextDecoder().decode(raw.entries.get('https://inpage.invalid/index.json')!.body)) as { models: { id: string }[] };
    expect(index.models.map((m) => m.id)).toEqual(['n']);
  });
});

describe('every stored byte is reachable or collected', () => {
  it('discardUnrecorded deletes what a failed load stored, but never a file a listed version uses', async () => {
    const { cache, raw } = await setup();
    const used = randomBytes(40);
    const orphan = randomBytes(30);
    for (const x of [used, orphan]) await cache.put(await verified(x));
    await cache.recordModel('m', '1.0.0', [file(used, 'u')]);
    expect(await cache.discardUnrecorded([sha(used), sha(orphan), sha(orphan)])).toBe(30);
    expect(FILE_KEYS(raw)).toEqual([`https://inpage.invalid/sha256/${sha(used)}`]);
  });

  it('republishing id@version with a new sha256 deletes the old bytes, unless another version shares them', async () => {
    const { cache, raw } = await setup();
    const old = randomBytes(100);
    const fresh = randomBytes(120);
    const shared = randomBytes(10);
    for (const x of [old, fresh, shared]) await cache.put(await verified(x));
    await cache.recordModel('m', '1.0.0', [file(old, 'model.onnx'), file(shared, 't', 'tokenizer')]);
    await cache.recordModel('m', '1.0.0', [file(fresh, 'model.onnx'), file(shared, 't', 'tokenizer')]);
    expect(await cache.match(sha(old))).toBeNull();
    expect(FILE_KEYS(raw).sort()).toEqual([fresh, shared].map((x) => `https://inpage.invalid/sha256/${sha(x)}`).sort());
    expect((await cache.list())[0].bytes).toBe(130);
  });

  it('prune() frees every file no listed version uses and keeps the rest', async () => {
    const { cache, raw } = await setup();
    const keep = randomBytes(64);
    const strays = [randomBytes(5), randomBytes(6), randomBytes(7)];
    for (const x of [keep, ...strays]) await cache.put(await verified(x));
    await cache.recordModel('m', '1.0.0', [file(keep, 'k')]);
    await cache.putManifest!('https://cdn/registry.json', '{}');
    expect(await cache.prune()).toBe(18);
    expect(await cache.prune()).toBe(0);
    expect(FILE_KEYS(raw)).toEqual([`https://inpage.invalid/sha256/${sha(keep)}`]);
    expect(await cache.matchManifest!('https://cdn/registry.json')).toBe('{}'); // the offline manifest stays
    expect((await cache.list()).map((m) => m.id)).toEqual(['m']);
  });

  it('after delete() of every version, prune() finds nothing left', async () => {
    const { cache, raw } = await setup();
    const xs = [randomBytes(11), randomBytes(12)];
    for (const x of xs) await cache.put(await verified(x));
    await cache.recordModel('m', '1.0.0', [file(xs[0], 'a')]);
    await cache.recordModel('m', '2.0.0', [file(xs[1], 'a')]);
    expect(await cache.delete('m')).toBe(23);
    expect(await cache.prune()).toBe(0);
    expect(FILE_KEYS(raw)).toEqual([]);
  });
});
