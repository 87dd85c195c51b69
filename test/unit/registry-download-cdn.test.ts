// loadModelFiles against the real dev CDN (scripts/cdn-server.mjs) on 127.0.0.1, with faults.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCdnServer, type CdnServer } from '../../scripts/cdn-server.mjs';
import { InpageError } from '../../src/errors.js';
import type { DownloadProgress, DownloadWarning } from '../../src/protocol/events.js';
import { loadModelFiles } from '../../src/registry/load-model-files.js';
import { recordingSleep } from './fake-sleep.js';

interface LogEntry {
  method: string;
  path: string;
  range: string | null;
  status: number;
  bytes: number;
}

const MODEL = randomBytes(300_000);
const TOKENIZER = Buffer.from(JSON.stringify({ model: { vocab: { a: 1, b: 2 } }, pad: 'x'.repeat(2000) }));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const MODEL_PATH = '/models/sentiment/1.0.0/model.onnx';

let root: string;
let cdn: CdnServer;
let mirror: CdnServer;

function registry(): object {
  const version = {
    task: 'text-classification',
    files: [
      { path: 'sentiment/1.0.0/model.onnx', role: 'model', sha256: sha(MODEL), bytes: MODEL.length },
      { path: 'sentiment/1.0.0/tokenizer.json', role: 'tokenizer', sha256: sha(TOKENIZER), bytes: TOKENIZER.length },
    ],
    inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'] }],
    outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', 2] }],
    labels: ['negative', 'positive'],
    preprocess: { kind: 'tokenizer', maxLength: 64 },
    license: 'MIT',
    metrics: {},
  };
  return { schemaVersion: 1, models: { sentiment: { versions: { '1.0.0': version } } } };
}

async function control(method: string, route: string, body?: unknown, server: CdnServer = cdn): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${server.url}/__control/${route}`, init);
  return response.json();
}
const fault = (spec: Record<string, unknown>, server: CdnServer = cdn): Promise<unknown> => control('POST', 'faults', spec, server);
const requests = async (server: CdnServer = cdn): Promise<LogEntry[]> => (await control('GET', 'log', undefined, server)) as LogEntry[];
const registryUrl = (server: CdnServer = cdn): string => `${server.url}/models/registry.json`;

async function load(extra: Partial<Parameters<typeof loadModelFiles>[0]> = {}) {
  const warnings: DownloadWarning[] = [];
  const progress: DownloadProgress[] = [];
  const result = await loadModelFiles({
    spec: 'sentiment',
    registryUrls: [registryUrl()],
    cache: null,
    cacheDisabled: true,
    retryBaseDelayMs: 10,
    onWarning: (w) => warnings.push(w),
    onProgress: (p) => progress.push(p),
    ...extra,
  });
  return { result, warnings, progress };
}

async function failure(extra: Partial<Parameters<typeof loadModelFiles>[0]> = {}): Promise<InpageError> {
  try {
    await load(extra);
  } catch (error) {
    if (error instanceof InpageError) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'inpage-cdn-'));
  mkdirSync(path.join(root, 'sentiment/1.0.0'), { recursive: true });
  writeFileSync(path.join(root, 'sentiment/1.0.0/model.onnx'), MODEL);
  writeFileSync(path.join(root, 'sentiment/1.0.0/tokenizer.json'), TOKENIZER);
  writeFileSync(path.join(root, 'registry.json'), JSON.stringify(registry()));
  cdn = await startCdnServer({ root, port: 0, quiet: true });
  mirror = await startCdnServer({ root, port: 0, quiet: true });
});

afterAll(async () => {
  await cdn?.close();
  await mirror?.close();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(async () => {
  for (const server of [cdn, mirror]) {
    await control('DELETE', 'faults', undefined, server);
    await control('DELETE', 'log', undefined, server);
    await control('DELETE', 'override', undefined, server);
  }
});

describe('loadModelFiles over HTTP', () => {
  it('downloads, verifies and reports progress with the total known up front', async () => {
    const { result, progress, warnings } = await load();
    expect(Buffer.from(result.files.get('model')!)).toEqual(MODEL);
    expect(Buffer.from(result.files.get('tokenizer')!)).toEqual(TOKENIZER);
    expect(result).toMatchObject({ id: 'sentiment', version: '1.0.0', fromCache: false });
    expect(result.bytesDownloaded).toBe(MODEL.length + TOKENIZER.length);
    const total = MODEL.length + TOKENIZER.length;
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((p) => p.total === total)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ loaded: total, file: 'sentiment/1.0.0/tokenizer.json', fromCache: false });
    for (let i = 1; i < progress.length; i++) expect(progress[i].loaded).toBeGreaterThanOrEqual(progress[i - 1].loaded);
    expect(warnings).toEqual([]);
  });

  it('resumes a dropped connection with a Range request and yields the exact bytes', async () => {
    await fault({ path: MODEL_PATH, fault: 'drop-after', bytes: 100_000, times: 1 });
    const { result, warnings } = await load();
    expect(Buffer.from(result.files.get('model')!)).toEqual(MODEL);
    const modelRequests = (await requests()).filter((r) => r.path === MODEL_PATH);
    expect(modelRequests).toHaveLength(2);
    expect(modelRequests[1].range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(modelRequests[1].status).toBe(206);
    expect(modelRequests[1].bytes).toBeLessThan(MODEL.length);
    expect(warnings.map((w) => w.code)).toEqual(['RETRY']);
  });

  it("honours Retry-After on 503: waits the header's second between the refused request and the next", async () => {
    await fault({ path: MODEL_PATH, fault: 'status', status: 503, retryAfter: 1, times: 1 });
    const modelRequests = async (): Promise<number> => (await requests()).filter((r) => r.path === MODEL_PATH).length;
    const requestsBeforeWait: number[] = [];
    const { sleep, waits } = recordingSleep(async () => requestsBeforeWait.push(await modelRequests()));
    const { result, warnings } = await load({ sleep });
    expect(waits).toEqual([1000]);
    expect(requestsBeforeWait, 'the wait came after the 503 and before the retry').toEqual([1]);
    expect(await modelRequests()).toBe(2);
    expect(result.files.get('model')?.byteLength).toBe(MODEL.length);
    expect(warnings[0]).toMatchObject({ code: 'RETRY', details: { delayMs: 1000 } });
  });

  it('caps a huge Retry-After', async () => {
    await fault({ path: MODEL_PATH, fault: 'status', status: 429, retryAfter: 3600, times: 1 });
    const { warnings } = await load({ maxRetryAfterMs: 50 });
    expect(warnings[0]).toMatchObject({ code: 'RETRY', details: { delayMs: 50 } });
  });

  it('gives up after the retries with HTTP, and does not retry a 404', async () => {
    await fault({ path: MODEL_PATH, fault: 'status', status: 500 });
    const e = await failure({ retries: 2 });
    expect(e).toMatchObject({ code: 'HTTP', details: { status: 500 } });
    expect((await requests()).filter((r) => r.path === MODEL_PATH)).toHaveLength(3);

    await control('DELETE', 'faults');
    await control('DELETE', 'log');
    await fault({ path: MODEL_PATH, fault: 'status', status: 404 });
    expect(await failure()).toMatchObject({ code: 'HTTP', details: { status: 404 } });
    expect((await requests()).filter((r) => r.path === MODEL_PATH)).toHaveLength(1);
  });

  it('wrong bytes → INTEGRITY naming the file', async () => {
    await fault({ path: MODEL_PATH, fault: 'wrong-bytes' });
    const e = await failure();
    expect(e.code).toBe('INTEGRITY');
    expect(e.message).toContain('sentiment/1.0.0/model.onnx');
    expect(e.message).toMatch(/sha256/);
    expect(e.details).toMatchObject({ file: 'sentiment/1.0.0/model.onnx', expected: sha(MODEL) });
  });

  it('an HTML page instead of the file → INTEGRITY', async () => {
    await fault({ path: MODEL_PATH, fault: 'html' });
    const e = await failure();
    expect(e.code).toBe('INTEGRITY');
    expect(e.message).toMatch(/HTML/);
  });

  it('a truncated file on the server → INTEGRITY (size)', async () => {
    await fault({ path: MODEL_PATH, fault: 'truncate', bytes: 1000 });
    const e = await failure();
    expect(e.code).toBe('INTEGRITY');
    expect(e.message).toMatch(/1000 bytes/);
  });

  it('a stall is retried, finally TIMEOUT', async () => {
    await fault({ path: MODEL_PATH, fault: 'stall', bytes: 1000 });
    const { sleep, waits } = recordingSleep();
    const e = await failure({ stallTimeoutMs: 200, retries: 1, sleep });
    // The stall timer ended each attempt (its message names it), and one backoff came between the two.
    expect(e).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/No data .* for 200 ms/) });
    expect(waits).toHaveLength(1);
    expect((await requests()).filter((r) => r.path === MODEL_PATH)).toHaveLength(2);
  });

  it('a stall that recovers resumes from where it stopped', async () => {
    await fault({ path: MODEL_PATH, fault: 'stall', bytes: 50_000, times: 1 });
    const { result } = await load({ stallTimeoutMs: 200 });
    expect(Buffer.from(result.files.get('model')!)).toEqual(MODEL);
    expect((await requests()).filter((r) => r.path === MODEL_PATH)[1]?.range).toBe('bytes=50000-');
  });

  it('an abort mid-download ends it with ABORTED, with no retry', async () => {
    await fault({ path: MODEL_PATH, fault: 'stall', bytes: 1000 });
    const controller = new AbortController();
    const warnings: DownloadWarning[] = [];
    const { sleep, waits } = recordingSleep();
    const promise = load({
      signal: controller.signal,
      // Longer than the test may run: only the abort can end this download.
      stallTimeoutMs: 600_000,
      sleep,
      onWarning: (w) => warnings.push(w),
      onProgress: (p) => {
        if (p.fileLoaded > 0) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(waits).toEqual([]);
    expect(warnings).toEqual([]);
    expect((await requests()).filter((r) => r.path === MODEL_PATH)).toHaveLength(1);
  });

  it('an already-aborted signal fails before any request', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure({ signal: controller.signal })).code).toBe('ABORTED');
    expect(await requests()).toHaveLength(0);
  });

  it('falls back to the next mirror for the manifest and for files', async () => {
    const dead = await startCdnServer({ root, port: 0, quiet: true });
    const deadUrl = registryUrl(dead);
    await dead.close();
    await fault({ path: MODEL_PATH, fault: 'status', status: 503 });
    const { result, warnings } = await load({ registryUrls: [deadUrl, registryUrl(), registryUrl(mirror)], retries: 1 });
    expect(Buffer.from(result.files.get('model')!)).toEqual(MODEL);
    expect(warnings.filter((w) => w.code === 'MIRROR_FAILED')).toHaveLength(2); // dead manifest, 503 file
    expect((await requests(mirror)).map((r) => r.path)).toEqual([MODEL_PATH]);
  });

  it('a malformed or invalid manifest → MANIFEST_INVALID naming the field', async () => {
    await control('PUT', 'override?path=/models/registry.json', '{ "schemaVersion": 1, "models": ');
    expect((await failure()).code).toBe('MANIFEST_INVALID');
    const bad = registry() as { models: { sentiment: { versions: Record<string, { files: { sha256: string }[] }> } } };
    bad.models.sentiment.versions['1.0.0'].files[0].sha256 = 'nope';
    await control('PUT', 'override?path=/models/registry.json', bad);
    const e = await failure();
    expect(e.code).toBe('MANIFEST_INVALID');
    expect(e.details.path).toBe('models.sentiment.versions.1.0.0.files[0].sha256');
  });

  it('unknown model → NOT_FOUND listing what exists', async () => {
    const e = await failure({ spec: 'mnist' });
    expect(e.code).toBe('NOT_FOUND');
    expect(e.details.available).toEqual(['sentiment']);
  });
});
