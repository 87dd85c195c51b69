// downloadFile with an injected fetch: server behaviours the dev CDN does not produce.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import type { DownloadWarning } from '../../src/protocol/events.js';
import { downloadFile, type DownloadFileOptions } from '../../src/registry/download-file.js';
import { endlessSleep } from './fake-sleep.js';

const BYTES = randomBytes(10_000);
const FILE = { path: 'm/model.onnx', role: 'model' as const, sha256: createHash('sha256').update(BYTES).digest('hex'), bytes: BYTES.length };

/** A body that delivers `bytes` then fails like a dropped connection. */
function droppingBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let pulls = 0;
  // Error on the second pull: erroring right after enqueue would discard the queued chunk.
  return new ReadableStream({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue(bytes);
      else controller.error(new TypeError('terminated'));
    },
  });
}

type Handler = (url: string, init: RequestInit | undefined, call: number) => Response | Promise<Response>;
function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: { url: string; range: string | null }[] } {
  const calls: { url: string; range: string | null }[] = [];
  const impl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push({ url, range: new Headers(init?.headers).get('range') });
    return handler(url, init, calls.length);
  };
  return { fetch: impl, calls };
}

async function run(handler: Handler, extra: Partial<DownloadFileOptions> = {}) {
  const fake = fakeFetch(handler);
  const warnings: DownloadWarning[] = [];
  const seen: number[] = [];
  const promise = downloadFile({
    file: FILE,
    urls: ['https://a/m/model.onnx'],
    fetch: fake.fetch,
    retries: 3,
    baseDelayMs: 1,
    maxRetryAfterMs: 100,
    stallTimeoutMs: 1000,
    onBytes: (n) => seen.push(n),
    onWarning: (w) => warnings.push(w),
    ...extra,
  }).then((verified) => verified.bytes);
  return { promise, calls: fake.calls, warnings, seen };
}

describe('downloadFile', () => {
  it('restarts from zero when the server answers a Range request with 200', async () => {
    const { promise, calls, seen } = await run((_url, _init, call) =>
      call === 1 ? new Response(droppingBody(BYTES.subarray(0, 4000))) : new Response(BYTES),
    );
    expect(Buffer.from(await promise)).toEqual(BYTES);
    expect(calls.map((c) => c.range)).toEqual([null, 'bytes=4000-']);
    expect(seen).toContain(0); // progress went back to zero on the restart
  });

  it('accepts a 206 whose Content-Range starts where asked', async () => {
    const { promise, calls } = await run((_url, _init, call) =>
      call === 1
        ? new Response(droppingBody(BYTES.subarray(0, 4000)))
        : new Response(BYTES.subarray(4000), { status: 206, headers: { 'content-range': `bytes 4000-9999/${BYTES.length}` } }),
    );
    expect(Buffer.from(await promise)).toEqual(BYTES);
    expect(calls).toHaveLength(2);
  });

  it('a 206 starting elsewhere (or without Content-Range) restarts without Range', async () => {
    const { promise, calls } = await run((_url, _init, call) => {
      if (call === 1) return new Response(droppingBody(BYTES.subarray(0, 4000)));
      if (call === 2) return new Response(BYTES.subarray(3000), { status: 206, headers: { 'content-range': 'bytes 3000-9999/10000' } });
      return new Response(BYTES);
    });
    expect(Buffer.from(await promise)).toEqual(BYTES);
    expect(calls.map((c) => c.range)).toEqual([null, 'bytes=4000-', null]);
  });

  it('a 206 reporting a different total size → INTEGRITY', async () => {
    const { promise } = await run((_url, _init, call) =>
      call === 1
        ? new Response(droppingBody(BYTES.subarray(0, 4000)))
        : new Response(BYTES.subarray(4000), { status: 206, headers: { 'content-range': 'bytes 4000-9999/20000' } }),
    );
    await expect(promise).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  it('a TypeError from fetch (CORS, offline) → NETWORK with a CORS hint after retries', async () => {
    const { promise, calls, warnings } = await run(() => Promise.reject(new TypeError('Failed to fetch')), { retries: 2 });
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InpageError);
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect((error as Error).message).toMatch(/CORS/);
    expect(calls).toHaveLength(3);
    expect(warnings.map((w) => w.code)).toEqual(['RETRY', 'RETRY']);
  });

  it('HTML bytes without an HTML content type → INTEGRITY', async () => {
    const page = Buffer.alloc(BYTES.length, 0x20);
    page.write('\uFEFF  <!DOCTYPE html><html>');
    const { promise } = await run(() => new Response(page, { headers: { 'content-type': 'application/octet-stream' } }));
    await expect(promise).rejects.toMatchObject({ code: 'INTEGRITY', message: expect.stringMatching(/HTML/) });
  });

  it('more bytes than the manifest lists → INTEGRITY', async () => {
    const { promise } = await run(() => new Response(Buffer.concat([BYTES, Buffer.from('extra')])));
    await expect(promise).rejects.toMatchObject({ code: 'INTEGRITY', message: expect.stringMatching(/more than/) });
  });

  it('retries 408 and 429 as well as 5xx; other 4xx are final', async () => {
    const ok = await run((_u, _i, call) =>
      call === 1 ? new Response('', { status: 408 }) : call === 2 ? new Response('', { status: 429 }) : new Response(BYTES),
    );
    expect((await ok.promise).byteLength).toBe(BYTES.length);
    const forbidden = await run(() => new Response('', { status: 403 }));
    await expect(forbidden.promise).rejects.toMatchObject({ code: 'HTTP', details: { status: 403 } });
    expect(forbidden.calls).toHaveLength(1);
  });

  it('an abort during a backoff wait ends the wait with ABORTED', async () => {
    const controller = new AbortController();
    // A wait that never ends by itself, aborted once it has begun: only the abort can settle the download.
    const { sleep, waits } = endlessSleep(() => {
      controller.abort();
    });
    const { promise, calls } = await run(() => new Response('', { status: 503, headers: { 'retry-after': '60' } }), {
      signal: controller.signal,
      maxRetryAfterMs: 60_000,
      sleep,
    });
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(waits).toEqual([60_000]);
    expect(calls).toHaveLength(1);
  });

  it('tries the next mirror after a failure and reports MIRROR_FAILED', async () => {
    const { promise, calls, warnings } = await run(
      (url) => (url.startsWith('https://a/') ? new Response('', { status: 404 }) : new Response(BYTES)),
      {
        urls: ['https://a/m/model.onnx', 'https://b/m/model.onnx'],
      },
    );
    expect((await promise).byteLength).toBe(BYTES.length);
    expect(calls.map((c) => c.url)).toEqual(['https://a/m/model.onnx', 'https://b/m/model.onnx']);
    expect(warnings.map((w) => w.code)).toEqual(['MIRROR_FAILED']);
  });
});
