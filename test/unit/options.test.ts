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
    expect(() => resolveCreateOptions(options)).toThrowError(expect.objectContaining({ code: 'OPTIONS_INVALID', message: expect.stringMatching(message) }));
  });
});
