import { describe, expect, it } from 'vitest';
import { resolveCreateOptions } from '../../src/client/options.js';

describe('create() options', () => {
  it('fills defaults: auto backend, a worker, the cache, one thread, the registry next to the page', () => {
    const resolved = resolveCreateOptions(undefined);
    expect(resolved).toMatchObject({ backend: 'auto', worker: true, cache: true, numThreads: 'auto', maxBatch: 32 });
    expect(resolved.registryUrls).toEqual([new URL('models/registry.json', 'http://localhost/').href]);
  });

  it('resolves mirrors in order, relative ones against the page', () => {
    const resolved = resolveCreateOptions({ registry: ['https://a.example/r.json', new URL('https://b.example/r.json'), '/m/r.json'] });
    expect(resolved.registryUrls).toEqual(['https://a.example/r.json', 'https://b.example/r.json', 'http://localhost/m/r.json']);
  });

  it.each([
    [{ backend: 'cuda' }, /backend must be "auto", "wasm" or "webgpu", got "cuda"/],
    [{ worker: 'yes' }, /worker must be true or false/],
    [{ registry: [] }, /registry/],
    [{ registry: '' }, /registry must be a URL/],
    [{ registry: 42 }, /registry must be a URL/],
    [{ numThreads: 0 }, /numThreads must be "auto" or an integer from 1/],
    [{ maxBatch: 1.5 }, /maxBatch/],
    [{ stallTimeoutMs: -1 }, /stallTimeoutMs must be a number from 1 to 2147483647/],
    [{ stallTimeoutMs: 2 ** 32 }, /stallTimeoutMs/],
    [{ retries: 1.5 }, /retries must be an integer from 0 to 100/],
    [{ onWarning: 'log' }, /onWarning must be a function/],
    [{ registy: 'x' }, /Unknown option "registy"/],
    ['fast', /options must be an object/],
    [null, /options must be an object/],
  ])('refuses %j with OPTIONS_INVALID', (options, message) => {
    expect(() => resolveCreateOptions(options)).toThrow(
      expect.objectContaining({ code: 'OPTIONS_INVALID', message: expect.stringMatching(message) }),
    );
  });

  it.each([
    'data:application/json,{}',
    'blob:http://localhost/1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    'file:///etc/registry.json',
    'javascript:alert(1)',
    'ftp://example.com/registry.json',
  ])('a registry URL of scheme %s is OPTIONS_INVALID at create()', (registry) => {
    expect(() => resolveCreateOptions({ registry })).toThrow(
      expect.objectContaining({ code: 'OPTIONS_INVALID', message: expect.stringMatching(/registry must be an http\(s\) URL/) }),
    );
    expect(() => resolveCreateOptions({ registry: ['https://ok.example/r.json', registry] })).toThrow(/registry\[1\]/);
  });

  it('allowedOrigins: the registry origins always, plus the listed ones, as origins', () => {
    const resolved = resolveCreateOptions({
      registry: ['https://a.example/m/r.json', '/r.json'],
      allowedOrigins: ['https://files.example/some/path', new URL('https://b.example:8443')],
    });
    expect(resolved.allowedOrigins).toEqual(['https://a.example', 'http://localhost', 'https://files.example', 'https://b.example:8443']);
    expect(() => resolveCreateOptions({ allowedOrigins: 'https://x.example' })).toThrow(/allowedOrigins must be an array/);
    expect(() => resolveCreateOptions({ allowedOrigins: ['data:,x'] })).toThrow(/allowedOrigins\[0\]/);
  });

  it('workerTimeoutMs defaults to 10 s and must be a positive number', () => {
    expect(resolveCreateOptions({}).workerTimeoutMs).toBe(10_000);
    expect(resolveCreateOptions({ workerTimeoutMs: 500 }).workerTimeoutMs).toBe(500);
    for (const bad of [0, -1, Number.NaN, '10', 2 ** 32]) {
      expect(() => resolveCreateOptions({ workerTimeoutMs: bad })).toThrow(expect.objectContaining({ code: 'OPTIONS_INVALID' }));
    }
  });
});
