/**
 * Issue 5: network and storage faults, in Chromium, against a private CDN with fault switches.
 * For each fault: the typed error (or the recovery), nothing wrong left in Cache Storage (read
 * directly in the page), and a clean load once the fault is gone.
 */
import { createServer } from 'node:net';
import { expect, type Page } from '@playwright/test';
import { fileRequests, test, type FaultSpec, type TestCdn } from './helpers/cdn';
import {
  cachedHashes,
  cacheKeys,
  cacheList,
  createInpage,
  loadFails,
  loadOk,
  openHarness,
  warnings,
  type PageError,
  type Warning,
} from './fixtures/faults/client';

const RETRIES = 2;
const options = (cdn: TestCdn, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  registry: cdn.registryUrl,
  retries: RETRIES,
  stallTimeoutMs: 5_000,
  ...extra,
});

/** After a failure: no model version listed, no file in Cache Storage. */
async function expectNothingCached(page: Page): Promise<void> {
  expect(await cacheList(page)).toEqual([]);
  expect(await cachedHashes(page)).toEqual([]);
}

/** With the fault gone, the same page loads and caches exactly the model's file. */
async function expectRecovery(page: Page, cdn: TestCdn): Promise<void> {
  await cdn.clearFaults();
  await cdn.clearOverrides();
  await cdn.clearLog();
  const info = await loadOk(page, 'tiny-digits@1.0.0');
  expect(info).toMatchObject({ fromCache: false, bytesDownloaded: cdn.files.tiny.bytes });
  expect(await cachedHashes(page)).toEqual([cdn.files.tiny.sha256]);
}

const modelRequests = async (cdn: TestCdn): Promise<number> => (await cdn.log()).filter((r) => r.path === cdn.files.tiny.urlPath).length;
const codes = (list: Warning[]): string[] => list.map((w) => w.code);

interface FileFaultCase {
  name: string;
  fault: Omit<FaultSpec, 'path'>;
  code: PageError['code'];
  /** Requests the CDN should see for the file: 1 when not retried, 1 + RETRIES when it is. */
  requests: number;
  check?: (error: PageError) => void;
}

const fileFaults: FileFaultCase[] = [
  {
    name: 'a connection dropped after N bytes on every attempt',
    fault: { fault: 'drop-after', bytes: 2_000 },
    code: 'NETWORK',
    requests: 1 + RETRIES,
  },
  {
    name: '404',
    fault: { fault: 'status', status: 404 },
    code: 'HTTP',
    requests: 1,
    check: (e) => {
      expect(e.details).toMatchObject({ status: 404, file: 'tiny-digits/1.0.0/model.onnx' });
    },
  },
  {
    name: '500',
    fault: { fault: 'status', status: 500 },
    code: 'HTTP',
    requests: 1 + RETRIES,
    check: (e) => {
      expect(e.details).toMatchObject({ status: 500 });
    },
  },
  {
    name: '503 with Retry-After on every attempt',
    fault: { fault: 'status', status: 503, retryAfter: 1 },
    code: 'HTTP',
    requests: 1 + RETRIES,
    check: (e) => {
      expect(e.details).toMatchObject({ status: 503 });
    },
  },
  {
    name: 'a stall with no bytes',
    fault: { fault: 'stall', bytes: 0 },
    code: 'TIMEOUT',
    requests: 1 + RETRIES,
  },
  {
    name: 'wrong bytes',
    fault: { fault: 'wrong-bytes' },
    code: 'INTEGRITY',
    requests: 1,
    check: (e) => {
      expect(e.message).toMatch(/sha256/);
    },
  },
  {
    name: 'an HTML page in place of the model file',
    fault: { fault: 'html' },
    code: 'INTEGRITY',
    requests: 1,
    check: (e) => {
      expect(e.message).toMatch(/HTML/);
    },
  },
  {
    name: 'a missing CORS header',
    fault: { fault: 'no-cors' },
    code: 'NETWORK',
    requests: 1 + RETRIES,
    check: (e) => {
      expect(e.message).toMatch(/CORS/);
    },
  },
];

for (const c of fileFaults) {
  test(`model file: ${c.name} → ${c.code}, nothing cached, then recovers`, async ({ page, cdn }) => {
    const { tiny } = cdn.files;
    await cdn.fault({ path: tiny.urlPath, ...c.fault });
    await openHarness(page);
    // A short stall timeout only where the stall is the point: elsewhere it must not fire.
    await createInpage(page, options(cdn, c.fault.fault === 'stall' ? { stallTimeoutMs: 1_000 } : {}));
    const error = await loadFails(page, 'tiny-digits@1.0.0');
    expect(error).toMatchObject({ isInpageError: true, code: c.code });
    expect(error.message).toContain(tiny.path);
    c.check?.(error);
    expect(await modelRequests(cdn)).toBe(c.requests);
    const { option, events } = await warnings(page);
    expect(events).toEqual(option);
    expect(codes(option).filter((code) => code === 'RETRY')).toHaveLength(c.requests - 1);
    await expectNothingCached(page);
    await expectRecovery(page, cdn);
  });
}

test('model file: one 503 with Retry-After is waited out (the header is honoured) and the load succeeds', async ({ page, cdn }) => {
  await cdn.fault({ path: cdn.files.tiny.urlPath, fault: 'status', status: 503, retryAfter: 1, times: 1 });
  await openHarness(page);
  await createInpage(page, options(cdn));
  const info = await loadOk(page, 'tiny-digits@1.0.0');
  expect(info.fromCache).toBe(false);
  const retry = (await warnings(page)).option.find((w) => w.code === 'RETRY');
  expect(retry?.details).toMatchObject({ delayMs: 1_000, file: cdn.files.tiny.path });
  expect(await modelRequests(cdn)).toBe(2);
  expect(await cachedHashes(page)).toEqual([cdn.files.tiny.sha256]);
});

test('model file: a very slow response still succeeds, with no retry', async ({ page, cdn }) => {
  await cdn.fault({ path: cdn.files.tiny.urlPath, fault: 'delay', ms: 2_500 });
  await openHarness(page);
  await createInpage(page, options(cdn));
  const info = await loadOk(page, 'tiny-digits@1.0.0');
  expect(info.fromCache).toBe(false);
  expect((await warnings(page)).option).toEqual([]);
  expect(await modelRequests(cdn)).toBe(1);
  expect(await cachedHashes(page)).toEqual([cdn.files.tiny.sha256]);
});

for (const worker of [true, false]) {
  test(`an HTML page in place of the ORT wasm is a typed error (${worker ? 'worker' : 'in-thread'})`, async ({ page, context, cdn }) => {
    // onnxruntime-web initialises its wasm backend lazily inside InferenceSession.create; its "no
    // available backend found" (here: CompileError, expected magic word) was once MODEL_INVALID,
    // and src/runtime/ort-session.ts now reports it as BACKEND_UNAVAILABLE.
    await context.route('**/ort-wasm-simd-threaded*.wasm', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><h1>Not found</h1>' }),
    );
    await openHarness(page);
    await createInpage(page, options(cdn, { worker, backend: 'wasm' }));
    const error = await loadFails(page, 'tiny-digits@1.0.0');
    expect(error).toMatchObject({ isInpageError: true, code: 'BACKEND_UNAVAILABLE' });
    // The model files themselves were fine: they are verified and cached for the next try.
    expect(await cachedHashes(page)).toEqual([cdn.files.tiny.sha256]);
  });
}

test('registry.json that is not JSON → MANIFEST_INVALID; no manifest copy is kept', async ({ page, cdn }) => {
  await cdn.override('{ nope');
  await openHarness(page);
  await createInpage(page, options(cdn));
  const error = await loadFails(page, 'tiny-digits@1.0.0');
  expect(error).toMatchObject({ isInpageError: true, code: 'MANIFEST_INVALID' });
  expect(error.message).toContain(cdn.registryUrl);
  expect(await cacheKeys(page)).toEqual([]);
  expect(fileRequests(await cdn.log())).toEqual([]);
  await expectRecovery(page, cdn);
});

test('registry.json failing its schema (a bad sha256) → MANIFEST_INVALID naming the field', async ({ page, cdn }) => {
  const manifest = cdn.manifest();
  const files = manifest.models['tiny-digits']?.versions['1.0.0']?.files as Record<string, unknown>[];
  files[0].sha256 = 'not-a-sha256';
  await cdn.override(JSON.stringify(manifest));
  await openHarness(page);
  await createInpage(page, options(cdn));
  const error = await loadFails(page, 'tiny-digits@1.0.0');
  expect(error).toMatchObject({ isInpageError: true, code: 'MANIFEST_INVALID' });
  expect(error.details.path).toBe('models.tiny-digits.versions.1.0.0.files[0].sha256');
  expect(error.message).toContain('files[0].sha256');
  expect(await cacheKeys(page)).toEqual([]);
  expect(fileRequests(await cdn.log())).toEqual([]);
  await expectRecovery(page, cdn);
});

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 1;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return `http://127.0.0.1:${port}/models/registry.json`;
}

test('mirrors: the first registry down (closed port) → the second serves everything, with a MIRROR_FAILED warning', async ({ page, cdn }) => {
  const down = await closedPortUrl();
  await openHarness(page);
  await createInpage(page, options(cdn, { registry: [down, cdn.registryUrl] }));
  const info = await loadOk(page, 'tiny-digits@1.0.0');
  expect(info.fromCache).toBe(false);
  const { option, events } = await warnings(page);
  expect(events).toEqual(option);
  const mirror = option.find((w) => w.code === 'MIRROR_FAILED');
  expect(mirror?.details).toMatchObject({ url: down, next: cdn.registryUrl, code: 'NETWORK' });
  expect(fileRequests(await cdn.log()).map((r) => r.path)).toEqual([cdn.files.tiny.urlPath]);
  expect(await cachedHashes(page)).toEqual([cdn.files.tiny.sha256]);
});

test('mirrors: a model file failing on the first mirror is fetched from the second', async ({ page, cdn }) => {
  // Two registry URLs on the same CDN (by hostname), so one fault can hit only the first.
  const second = cdn.registryUrl.replace('127.0.0.1', 'localhost');
  await cdn.fault({ path: cdn.files.tiny.urlPath, fault: 'status', status: 404, times: 1 });
  await openHarness(page);
  await createInpage(page, options(cdn, { registry: [cdn.registryUrl, second] }));
  const info = await loadOk(page, 'tiny-digits@1.0.0');
  expect(info.fromCache).toBe(false);
  const mirror = (await warnings(page)).option.find((w) => w.code === 'MIRROR_FAILED');
  expect(mirror?.details).toMatchObject({ file: cdn.files.tiny.path, code: 'HTTP' });
  expect(await modelRequests(cdn)).toBe(2);
  expect(await cachedHashes(page)).toEqual([cdn.files.tiny.sha256]);
});

// ---- Storage faults -------------------------------------------------------------------------

/**
 * Storage faults, as code run in the engine's realm. In-thread: a page init script, before
 * inpage starts. In the worker: init scripts do not run there, and a worker whose script is
 * fulfilled by page.route cannot fetch cross-origin in this Chromium (every fetch fails), so the
 * fault is evaluated in the live worker right after create(): Cache Storage then breaks after
 * the cache was opened, which is what a storage policy change or eviction looks like mid-session.
 */
const BEFORE_START = {
  'Cache API unavailable': `Object.defineProperty(globalThis, 'caches', { configurable: true, get() { throw new DOMException('blocked', 'SecurityError'); } });`,
  'Cache.put over quota': `Cache.prototype.put = function () { return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')); };`,
  'a tiny storage estimate': `Object.defineProperty(StorageManager.prototype, 'estimate', { configurable: true, value: () => Promise.resolve({ quota: 1000, usage: 900 }) });`,
} as const;
type StorageFault = keyof typeof BEFORE_START;
const IN_LIVE_WORKER: Record<StorageFault, string> = {
  'Cache API unavailable': `for (const name of ['match', 'put', 'keys', 'delete']) Cache.prototype[name] = function () { return Promise.reject(new DOMException('blocked', 'SecurityError')); };`,
  'Cache.put over quota': BEFORE_START['Cache.put over quota'],
  'a tiny storage estimate': BEFORE_START['a tiny storage estimate'],
};

async function createWithStorageFault(page: Page, cdn: TestCdn, fault: StorageFault, worker: boolean): Promise<void> {
  if (!worker) await page.addInitScript({ content: BEFORE_START[fault] });
  await openHarness(page);
  const created = await page.evaluate((o) => window.h.create(o), options(cdn, { worker }));
  expect(created, 'create() must not fail because of storage').toMatchObject({ ok: true });
  if (worker) {
    const engine = page.workers().find((w) => w.url().endsWith('/inpage.worker.js'));
    expect(engine, 'the inpage worker is running').toBeDefined();
    await engine!.evaluate(IN_LIVE_WORKER[fault]);
  }
}

const storageCases: { fault: StorageFault; warning: string[] }[] = [
  { fault: 'Cache API unavailable', warning: ['CACHE_UNAVAILABLE'] },
  { fault: 'Cache.put over quota', warning: ['QUOTA', 'CACHE_WRITE_FAILED'] },
  { fault: 'a tiny storage estimate', warning: ['QUOTA'] },
];

for (const { fault, warning } of storageCases) {
  for (const worker of [false, true]) {
    test(`storage: ${fault} (${worker ? 'worker' : 'in-thread'}) → loads uncached with a ${warning.join('/')} warning`, async ({ page, cdn }) => {
      await createWithStorageFault(page, cdn, fault, worker);
      const first = await loadOk(page, 'tiny-digits@1.0.0');
      expect(first).toMatchObject({ fromCache: false, bytesDownloaded: cdn.files.tiny.bytes });
      const { option, events } = await warnings(page);
      expect(events).toEqual(option);
      expect(
        option.some((w) => warning.includes(w.code)),
        `warnings ${JSON.stringify(option)}`,
      ).toBe(true);
      expect(
        codes(option).filter((c) => warning.includes(c)),
        'warned once per problem',
      ).toHaveLength(1);

      // Nothing was cached, so the next load downloads again (and still loads).
      await cdn.clearLog();
      const second = await loadOk(page, 'tiny-digits@1.0.0');
      expect(second).toMatchObject({ fromCache: false });
      expect(await modelRequests(cdn)).toBe(1);
      if (worker || fault !== 'Cache API unavailable') {
        // The page's own Cache Storage works here: check directly that nothing went in.
        expect(await cachedHashes(page)).toEqual([]);
      }
    });
  }
}
